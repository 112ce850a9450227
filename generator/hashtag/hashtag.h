/* hashtag.h: Telegram's text rules. A pure function over plain text that
 * finds hashtags exactly as tdlib does (URLs, e-mail addresses, mentions
 * and the other entities that can hide one included); no cmark, no
 * libyaml. hashtag.c and entities.c share entities.h, private here. */
#ifndef GZ_HASHTAG_H
#define GZ_HASHTAG_H

#include <stddef.h>
#include <stdint.h>

/* A hashtag found in text: byte offsets into the scanned text. */
struct hashtag {
    size_t start;    /* offset of the '#' */
    size_t len;      /* bytes of the whole match, '#' included (and
                        "@channel" if any) */
    size_t name_len; /* bytes of the tag's name after '#', up to '@' or the
                        end; <= 256 characters as tdlib counts */
};

/* Receives one hashtag; tag is the scanner's, valid during the call only. */
typedef void (*hashtag_fn)(const struct hashtag *tag, void *payload);

/* Calls fn for each hashtag of text[0..len) in order, as tdlib recognises
 * them, URLs winning where they start first. prev is the code point just
 * before text (0 at the start of a paragraph), so that a scan of one text
 * run in a longer line knows whether '#' is glued to a preceding word.
 * Invalid UTF-8 never matches and never crashes. Allocates nothing; time
 * is linear in len. For example, with
 *     static void count(const struct hashtag *t, void *n)
 *     { (void)t; ++*(size_t *)n; }
 * hashtag_scan("#a #b#c x.com/#d", 16, 0, count, &n) adds 1 to n: "#b" is
 * glued to "#c", "#c" to 'b', and "#d" lies inside a URL. */
void hashtag_scan(const char *text, size_t len, uint32_t prev, hashtag_fn fn,
                  void *payload);

#endif
