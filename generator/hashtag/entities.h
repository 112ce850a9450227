/* entities.h: what the hashtag scanner (hashtag.c) takes from entities.c:
 * the text it scans, its code points, tdlib's character classes, and the
 * matchers of URLs and e-mail addresses. Private to hashtag/. */
#ifndef GZ_ENTITIES_H
#define GZ_ENTITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/utf8.h"

#define ENTITY_NONE ((size_t)-1)        /* no such offset */
#define ENTITY_CP_INVALID 0x110000u     /* one byte of invalid UTF-8 */

/* The text being scanned; the caller's, not copied. */
struct entity_text {
    const unsigned char *s;
    size_t len;
    uint32_t prev;               /* code point before s[0]; 0 when none */
};

/* A match: byte offsets into the text. */
struct entity_span {
    size_t start, end;
    size_t name_end;             /* hashtags: end of the name, before '@' */
};

/* Where match_urls resumes, and its cached forward scans (see url_run in
 * entities.c); all zero before the first entity_url_next on a text. */
struct url_state {
    size_t begin;                /* match_urls' `begin`: text not yet used */
    size_t run_from, run_end;    /* a run of domain symbols and '@' */
    size_t run_at;               /* the last '@' in it, or ENTITY_NONE */
    size_t run_tail;             /* run_end extended by ":port" and path */
};

/* Decodes the code point at t->s[pos] (pos < len) into *cp and returns the
 * offset after it. Invalid UTF-8 decodes one byte at a time as ENTITY_CP_INVALID
 * (tdlib assumes valid input; we must not). Inline: the scanner's loops
 * call it on every character. */
static inline size_t
entity_cp_next(const struct entity_text *t, size_t pos, uint32_t *cp)
{
    if (t->s[pos] < 0x80) {
        *cp = t->s[pos];
        return pos + 1;
    }
    size_t n;
    int32_t c = utf8_decode((const char *)t->s + pos, t->len - pos, &n);
    if (c < 0) {
        *cp = ENTITY_CP_INVALID;
        return pos + 1;
    }
    *cp = (uint32_t)c;
    return pos + n;
}

/* The code point before pos: the caller's prev at the start of the text. */
uint32_t entity_cp_before(const struct entity_text *t, size_t pos);

/* Finds byte c in t->s[from..len); ENTITY_NONE when absent. */
size_t entity_find_byte(const struct entity_text *t, size_t from, int c);

/* tdlib: get_unicode_simple_category (tdutils/td/utils/unicode.cpp). Its
 * generated table maps Lu Ll Lt Lm Lo to Letter, Nd to DecimalNumber, Nl No
 * to Number, Zs Zl Zp to Separator and the rest (marks, punctuation,
 * symbols, controls, format characters) to Unknown; decoded and compared
 * with utf8proc 2.8 (Unicode 15.0) code point by code point, the only
 * difference is CJK Extension I (Unicode 15.1), added by hand. Invalid
 * bytes count as separators here, so that nothing runs across them.
 * Unknown is UTF8_OTHER, DecimalNumber UTF8_DIGIT. */
static inline enum utf8_class
entity_category(uint32_t c)
{
    if (c == ENTITY_CP_INVALID)
        return UTF8_SEPARATOR;
    if (c >= 0x2EBF0 && c <= 0x2EE5D)
        return UTF8_LETTER;
    enum utf8_class k = utf8_classify((int32_t)c);
    return k == UTF8_MARK ? UTF8_OTHER : k;
}

static inline bool
entity_is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* tdlib: is_alpha_digit (ASCII only). */
static inline bool
entity_is_alnum(uint32_t c)
{
    return entity_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* tdlib: is_alpha_digit_or_underscore; the characters of a username. */
static inline bool
entity_is_username_char(uint32_t c)
{
    return entity_is_alnum(c) || c == '_';
}

/* tdlib: is_word_character. */
bool entity_is_word_char(uint32_t c);

/* tdlib: match_tg_urls. The next tg://, ton:// or tonsite:// link from
 * *pos, which it advances; false when there is none. */
bool entity_tg_url_next(const struct entity_text *t, size_t *pos, struct entity_span *out);

/* tdlib: match_urls, then find_urls' checks (is_email_address, fix_url).
 * The next URL or e-mail address after what u has seen; false when there
 * is none. */
bool entity_url_next(const struct entity_text *t, struct url_state *u,
                     struct entity_span *out);

/* tdlib: is_email_address. True if s[0..n) is an e-mail address. */
bool entity_is_email(const unsigned char *s, size_t n);

#endif
