/* lex_bytes.h: what the lexers that scan sixteen bytes at a time share:
 * bytes read as a number, a padded copy near the end of the text, and the
 * SSE2 masks of byte ranges (each lexer keeps a plain loop for machines
 * without SSE2). Part of highlight/. */
#ifndef GZ_LEX_BYTES_H
#define GZ_LEX_BYTES_H

#include "lexer.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The 8 bytes at p as a little-endian integer, as the lexers' perfect
 * hashes of their words were computed. */
static inline uint64_t
hl_load_le64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* 16 readable bytes from p: the text's, or near its end a copy in padded
 * with NULs after the text (no run a lexer scans goes on over a NUL). */
static inline const unsigned char *
hl_bytes16(const struct hl *h, size_t p, unsigned char padded[16])
{
    const unsigned char *s = (const unsigned char *)h->s + p;
    if (h->end - p >= 16)
        return s;
    memset(padded, 0, 16);
    return memcpy(padded, s, h->end - p);
}

#ifdef __SSE2__
/* The bytes of v in [lo, lo + n) (n < 128), as a mask: a signed compare
 * after moving the range to start at -128. */
static inline __m128i
hl_bytes_in(__m128i v, unsigned char lo, unsigned char n)
{
    __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(0x80 + n)));
}

/* How many bytes of the mask are set before its first clear one (16 if
 * none is clear). */
static inline size_t
hl_set_prefix(__m128i mask)
{
    return (size_t)__builtin_ctz(~(unsigned)_mm_movemask_epi8(mask) | 0x10000u);
}

/* [A-Za-z0-9_] among the bytes of v, as a mask. */
static inline __m128i
hl_word_bytes(__m128i v)
{
    __m128i letters = hl_bytes_in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26); /* any case */
    __m128i digits = hl_bytes_in(v, '0', 10);
    return _mm_or_si128(_mm_or_si128(letters, digits), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
}
#endif

/* The length of the run of ASCII [A-Za-z0-9_] in the 16 bytes at s. */
static inline size_t
hl_word16(const unsigned char *s)
{
#ifdef __SSE2__
    return hl_set_prefix(hl_word_bytes(_mm_loadu_si128((const __m128i *)(const void *)s)));
#else
    size_t n = 0;
    while (n < 16 && (hl_ascii[s[n]] & HL_A_WORD))
        n++;
    return n;
#endif
}

/* The length of the run of ASCII \s ([\t-\r\x1c-\x20]) in the 16 bytes at s. */
static inline size_t
hl_space16(const unsigned char *s)
{
#ifdef __SSE2__
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    return hl_set_prefix(_mm_or_si128(hl_bytes_in(v, '\t', 5), hl_bytes_in(v, 0x1c, 5)));
#else
    size_t n = 0;
    while (n < 16 && (hl_ascii[s[n]] & HL_A_SPACE))
        n++;
    return n;
#endif
}

/* The length of the run of \w at p, sixteen ASCII bytes a round (most
 * words end in the first sixteen: no branch on each byte). */
static inline size_t
hl_word_len(const struct hl *h, size_t p)
{
    unsigned char padded[16];
    size_t q = p, n;
    do {
        n = hl_word16(hl_bytes16(h, q, padded));
        q += n;
    } while (n == 16);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_word_run_utf8(h, q);
    return q - p;
}

/* The length of the run of \s at p, non-ASCII spaces included. */
static inline size_t
hl_space_len(const struct hl *h, size_t p)
{
    unsigned char padded[16];
    size_t q = p, n;
    do {
        n = hl_space16(hl_bytes16(h, q, padded));
        q += n;
    } while (n == 16);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_space_run(h, q, true);
    return q - p;
}

#endif
