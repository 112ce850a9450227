/* hashtag.h: Telegram's text rules. A pure function over plain text that
 * finds hashtags, mentions, URLs and e-mail addresses exactly as tdlib
 * does (with the other entities that can hide one); no cmark, no
 * libyaml. hashtag.c and entities.c share entities.h, private here. */
#ifndef GZ_HASHTAG_H
#define GZ_HASHTAG_H

#include <stddef.h>
#include <stdint.h>

/* What Telegram links in text. */
enum hashtag_kind {
    HASHTAG_TAG,     /* #name or #name@channel */
    HASHTAG_MENTION, /* @name */
    HASHTAG_URL,     /* a URL, with or without its scheme */
    HASHTAG_EMAIL,   /* an e-mail address */
};

/* An entity found in text: byte offsets into the scanned text. */
struct hashtag {
    enum hashtag_kind kind;
    size_t start;    /* offset of the '#', '@' or the URL's first byte */
    size_t len;      /* bytes of the whole match, '#' included (and
                        "@channel" if any) */
    size_t name_len; /* a tag: bytes of its name after '#', up to '@' or
                        the end; <= 256 characters as tdlib counts.
                        Otherwise len. */
};

/* Receives one entity; tag is the scanner's, valid during the call only. */
typedef void (*hashtag_fn)(const struct hashtag *tag, void *payload);

/* Calls fn for each hashtag, mention, URL and e-mail address of
 * text[0..len) in order, as tdlib recognises them, the entity that starts
 * first winning where two overlap (bot commands, cashtags, card numbers
 * and timestamps take part but are not reported). prev is the code point just
 * before text (0 at the start of a paragraph), so that a scan of one text
 * run in a longer line knows whether '#' is glued to a preceding word.
 * Invalid UTF-8 never matches and never crashes. Allocates nothing; time
 * is linear in len. For example, with
 *     static void count(const struct hashtag *t, void *n)
 *     { (void)t; ++*(size_t *)n; }
 * hashtag_scan("#a #b#c x.com/#d", 16, 0, count, &n) adds 2 to n: "#a" and
 * the URL "x.com/#d"; "#b" is glued to "#c", "#c" to 'b'. */
void hashtag_scan(const char *text, size_t len, uint32_t prev, hashtag_fn fn,
                  void *payload);

#endif
