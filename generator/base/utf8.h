/* utf8.h: UTF-8 checks, decoding, and the Unicode properties behind slugs,
 * tags and the hashtag scanner (utf8proc is used here and nowhere else). */
#ifndef GZ_UTF8_H
#define GZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Returns true when s[0..len) is valid UTF-8 without NUL bytes. Otherwise
 * sets *line and *col (1-based, col counted in characters) to the first
 * bad byte. */
bool utf8_check(const char *s, size_t len, unsigned *line, unsigned *col);

/* The number of characters in s[0..len) (valid UTF-8 assumed). */
size_t utf8_length(const char *s, size_t len);

/* The longest prefix of s[0..len) of at most max characters, never cutting
 * a character; returns its length in bytes. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* NFC-normalised, case-folded copy in the arena (NULL if invalid). */
char *utf8_fold(struct arena *a, const char *s, size_t len);

/* Decodes the code point at the start of s[0..len): returns it and sets *n
 * to its length in bytes. Returns -1 when s does not start with valid
 * UTF-8 (overlong, surrogate, past U+10FFFF, cut short), with *n = 1 so
 * that a caller can step over the bad byte; *n = 0 when len is 0. */
int32_t utf8_decode(const char *s, size_t len, size_t *n);

/* General categories, only as finely as parse/ tells them apart. */
enum utf8_class {
    UTF8_OTHER,     /* P*, S*, C* (controls, format, unassigned, ...) */
    UTF8_LETTER,    /* Lu Ll Lt Lm Lo */
    UTF8_MARK,      /* Mn Mc Me */
    UTF8_DIGIT,     /* Nd */
    UTF8_NUMBER,    /* Nl No */
    UTF8_SEPARATOR  /* Zs Zl Zp (not '\t' or '\n', which are Cc) */
};

/* The class of code point c; UTF8_OTHER for a value that is none. */
enum utf8_class utf8_classify(int32_t c);

/* Writes s[0..len) to out with each code point lower-cased (Unicode's
 * simple mapping, one code point to one) and returns the bytes written,
 * at most 2 * len; bytes of invalid UTF-8 are copied as they are. */
size_t utf8_lower(char *out, const char *s, size_t len);

#endif
