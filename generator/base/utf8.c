/* utf8.c: UTF-8 validation with positions, and case folding through
 * utf8proc. Used by parse/ for error positions and by model/ for slugs. */
#include "utf8.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool
utf8_check(const char *s, size_t len, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
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
