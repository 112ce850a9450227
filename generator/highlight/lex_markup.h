/* lex_markup.h: what the HTML and XML lexers (lex_html.c, lex_xml.c) share,
 * whose Pygments lexers have the same rules for names, spaces and text: a
 * table of what the rules ask of each byte and the scanners on it. Private
 * to highlight/. */
#ifndef GZ_LEX_MARKUP_H
#define GZ_LEX_MARKUP_H

#include "lexer.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* What the rules ask of an ASCII byte, one bit each; bytes >= 0x80 are
 * HIGH and decoded where they matter. */
enum {
    ATTR_NAME = 1,   /* [\w:-] */
    TAG_NAME = 2,    /* [\w:.-] */
    SPACE = 4,       /* \s */
    TEXT_STOP = 8,   /* '<' '&': what ends root's text */
    ATTR_STOP = 16,  /* '>': what ends a bare value */
    SEMI = 32,       /* ';': what ends an entity */
    HIGH = 64,
};
#define N (ATTR_NAME | TAG_NAME)
#define H HIGH
#define H8 H, H, H, H, H, H, H, H
#define H64 H8, H8, H8, H8, H8, H8, H8, H8
static const unsigned char byte_class[256] = {
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    [0x1c] = SPACE, [0x1d] = SPACE, [0x1e] = SPACE, [0x1f] = SPACE, [' '] = SPACE,
    ['<'] = TEXT_STOP, ['&'] = TEXT_STOP, ['>'] = ATTR_STOP, [';'] = SEMI,
    ['-'] = N, ['.'] = TAG_NAME, [':'] = N, ['_'] = N,
    ['0'] = N, ['1'] = N, ['2'] = N, ['3'] = N, ['4'] = N, ['5'] = N, ['6'] = N,
    ['7'] = N, ['8'] = N, ['9'] = N,
    ['A'] = N, ['B'] = N, ['C'] = N, ['D'] = N, ['E'] = N, ['F'] = N, ['G'] = N,
    ['H'] = N, ['I'] = N, ['J'] = N, ['K'] = N, ['L'] = N, ['M'] = N, ['N'] = N,
    ['O'] = N, ['P'] = N, ['Q'] = N, ['R'] = N, ['S'] = N, ['T'] = N, ['U'] = N,
    ['V'] = N, ['W'] = N, ['X'] = N, ['Y'] = N, ['Z'] = N,
    ['a'] = N, ['b'] = N, ['c'] = N, ['d'] = N, ['e'] = N, ['f'] = N, ['g'] = N,
    ['h'] = N, ['i'] = N, ['j'] = N, ['k'] = N, ['l'] = N, ['m'] = N, ['n'] = N,
    ['o'] = N, ['p'] = N, ['q'] = N, ['r'] = N, ['s'] = N, ['t'] = N, ['u'] = N,
    ['v'] = N, ['w'] = N, ['x'] = N, ['y'] = N, ['z'] = N,
    [0x80] = H64, H64,
};
#undef N
#undef H
#undef H8
#undef H64

static inline unsigned
class_at(const struct hl *h, size_t p)
{
    return byte_class[(unsigned char)h->s[p]];
}

/* hl_skip and hl_skip_to on this lexer's table. */
static inline size_t
skip(const struct hl *h, size_t q, unsigned bits)
{
    return hl_skip(h, q, byte_class, bits);
}

static inline size_t
skip_to(const struct hl *h, size_t q, unsigned bits)
{
    return hl_skip_to(h, q, byte_class, bits);
}

/* The length of the \w character at p >= 0x80, or 0; out of line, so
 * that the ASCII loops that call it stay lean. */
static size_t
word_char(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    return hl_cp_word(cp) ? n : 0;
}

/* The rest of a name of kind from q >= p, at a byte >= 0x80. */
__attribute__((noinline)) static size_t
name_run_high(const struct hl *h, size_t p, size_t q, unsigned kind)
{
    size_t n;
    while (q < h->end && (class_at(h, q) & HIGH) && (n = word_char(h, q)))
        q = skip(h, q + n, kind);
    return q - p;
}

/* The run at p of \w and the other bytes of the names of kind: the ASCII
 * inline, the rest out of line. For names as short as HTML's and XML's
 * are, a byte at a time costs less than setting up a vector. */
__attribute__((always_inline)) static inline size_t
name_run(const struct hl *h, size_t p, unsigned kind)
{
    size_t q = skip(h, p, kind);
    return q < h->end && (class_at(h, q) & HIGH) ? name_run_high(h, p, q, kind) : q - p;
}

/* The first byte c at or after p, or NONE: the first sixteen bytes
 * inline, where most values close, the rest by memchr. */
__attribute__((always_inline)) static inline size_t
find_byte(const struct hl *h, size_t p, char c)
{
#ifdef __SSE2__
    if (h->end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(h->s + p));
        unsigned hit = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
        if (hit)
            return p + (size_t)__builtin_ctz(hit);
        p += 16;
    }
#endif
    const char *at = p < h->end ? memchr(h->s + p, c, h->end - p) : NULL;
    return at ? (size_t)(at - h->s) : (size_t)-1;
}

/* The first '<' or '&' at or after p, or end: what ends root's text. */
__attribute__((always_inline)) static inline size_t
text_end(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    while (h->end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(h->s + p));
        unsigned stop = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))));
        if (stop)
            return p + (size_t)__builtin_ctz(stop);
        p += 16;
    }
#endif
    return skip_to(h, p, TEXT_STOP);
}

/* The run at p of characters other than \s and the ASCII bytes of stop. */
static size_t
non_space_run(const struct hl *h, size_t p, unsigned stop)
{
    size_t q = p;
    int32_t cp;
    for (;;) {
        q = skip_to(h, q, SPACE | HIGH | stop);
        if (q == h->end || !(class_at(h, q) & HIGH))
            return q - p;
        size_t n = hl_char(h, q, &cp);
        if (hl_cp_space(cp))
            return q - p;
        q += n;
    }
}

#endif
