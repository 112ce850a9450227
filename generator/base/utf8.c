/* utf8.c: UTF-8 validation with positions, decoding, general categories
 * and case mapping through utf8proc. Used by parse/ for error positions,
 * tag slugs and the hashtag scanner, and by model/ for slugs. */
#include "utf8.h"
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Whether s[0..len) is UTF-8 without NUL. Text is mostly ASCII: eight
 * bytes at a time while none has its high bit set or is NUL. */
static bool
utf8_valid(const char *s, size_t len)
{
    const uint64_t high = 0x8080808080808080u, ones = 0x0101010101010101u;
    size_t i = 0;
    while (i < len) {
        uint64_t w;
        if (len - i >= sizeof w) {
            memcpy(&w, s + i, sizeof w);
            if (!((w & high) | ((w - ones) & ~w & high))) {
                i += sizeof w;
                continue;
            }
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0 || cp == 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

bool
utf8_check(const char *s, size_t len, unsigned *line, unsigned *col)
{
    if (utf8_valid(s, len))
        return true;
    unsigned l = 1, c = 1; /* where it is not: counted only then */
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0 || cp == 0) {
            *line = l;
            *col = c;
            return false;
        }
        i += (size_t)n;
        if (cp == '\n')
            l++, c = 1;
        else
            c++;
    }
    return true;
}

size_t
utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
    size_t chars = 0, i = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (chars == max)
                break;
            chars++;
        }
        i++;
    }
    return i;
}

char *
utf8_fold(struct arena *a, const char *s, size_t len)
{
    size_t ascii = 0;
    while (ascii < len && (unsigned char)s[ascii] - 1u < 0x7fu)
        ascii++;
    if (ascii == len) { /* folding ASCII is lowering it: no utf8proc */
        char *copy = arena_strndup(a, s, len);
        for (size_t i = 0; i < len; i++)
            if (copy[i] >= 'A' && copy[i] <= 'Z')
                copy[i] = (char)(copy[i] - 'A' + 'a');
        return copy;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    char *copy = arena_strndup(a, (const char *)out, (size_t)n);
    free(out);
    return copy;
}

int32_t
utf8_decode(const char *s, size_t len, size_t *n)
{
    utf8proc_int32_t c;
    /* A code point has at most 4 bytes; utf8proc reads no further. */
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)(len < 4 ? len : 4),
                                          &c);
    if (k <= 0) {
        *n = len > 0;
        return -1;
    }
    *n = (size_t)k;
    return c;
}

enum utf8_class
utf8_classify(int32_t c)
{
    /* utf8proc's categories to ours; the rest (P*, S*, C*) are 0, OTHER */
    static const unsigned char classes[UTF8PROC_CATEGORY_CO + 1] = {
        [UTF8PROC_CATEGORY_LU] = UTF8_LETTER,
        [UTF8PROC_CATEGORY_LL] = UTF8_LETTER,
        [UTF8PROC_CATEGORY_LT] = UTF8_LETTER,
        [UTF8PROC_CATEGORY_LM] = UTF8_LETTER,
        [UTF8PROC_CATEGORY_LO] = UTF8_LETTER,
        [UTF8PROC_CATEGORY_MN] = UTF8_MARK,
        [UTF8PROC_CATEGORY_MC] = UTF8_MARK,
        [UTF8PROC_CATEGORY_ME] = UTF8_MARK,
        [UTF8PROC_CATEGORY_ND] = UTF8_DIGIT,
        [UTF8PROC_CATEGORY_NL] = UTF8_NUMBER,
        [UTF8PROC_CATEGORY_NO] = UTF8_NUMBER,
        [UTF8PROC_CATEGORY_ZS] = UTF8_SEPARATOR,
        [UTF8PROC_CATEGORY_ZL] = UTF8_SEPARATOR,
        [UTF8PROC_CATEGORY_ZP] = UTF8_SEPARATOR,
    };
    if (c >= 0 && c < 0x80) { /* the common case, without utf8proc */
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return UTF8_LETTER;
        if (c >= '0' && c <= '9')
            return UTF8_DIGIT;
        return c == ' ' ? UTF8_SEPARATOR : UTF8_OTHER;
    }
    return (enum utf8_class)classes[utf8proc_category(c)];
}

size_t
utf8_lower(char *out, const char *s, size_t len)
{
    size_t used = 0;
    for (size_t i = 0, n; i < len; i += n) {
        int32_t c = utf8_decode(s + i, len - i, &n);
        if (c < 0) {
            out[used++] = s[i];
            continue;
        }
        utf8proc_uint8_t *to = (utf8proc_uint8_t *)out + used;
        used += (size_t)utf8proc_encode_char(utf8proc_tolower(c), to);
    }
    return used;
}
