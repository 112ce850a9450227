/* utf8.h: UTF-8 checks and the Unicode operations behind slugs and tags
 * (utf8proc is used here and nowhere else). */
#ifndef GZ_UTF8_H
#define GZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
