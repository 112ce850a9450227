/* engine.c: the highlighting engine every lexer (lex_*.c) runs on: a
 * cursor that writes escaped text and merged spans with Pygments' short
 * classes, a state stack, Python's character classes, and the shared
 * scanners of words, numbers, escapes and strings. Part of highlight/. */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

/* The opening tag of each class's span, copied whole: the buffer has slack. */
#define TAG(cls) { "<span class=\"" cls "\">", sizeof "<span class=\"" cls "\">" - 1 }
static const struct {
    _Alignas(32) char text[24];
    unsigned char len;
} open_tags[HL_CLASS_COUNT] = {
    [HL_TEXT] = { "", 0 }, [HL_ERR] = TAG("err"), [HL_C] = TAG("c"),
    [HL_CH] = TAG("ch"), [HL_CM] = TAG("cm"), [HL_CP] = TAG("cp"),
    [HL_CPF] = TAG("cpf"), [HL_C1] = TAG("c1"), [HL_CS] = TAG("cs"), [HL_K] = TAG("k"),
    [HL_KC] = TAG("kc"), [HL_KD] = TAG("kd"), [HL_KN] = TAG("kn"), [HL_KP] = TAG("kp"),
    [HL_KR] = TAG("kr"), [HL_KT] = TAG("kt"), [HL_N] = TAG("n"), [HL_NA] = TAG("na"),
    [HL_NB] = TAG("nb"), [HL_BP] = TAG("bp"), [HL_NC] = TAG("nc"), [HL_NO] = TAG("no"),
    [HL_ND] = TAG("nd"), [HL_NI] = TAG("ni"), [HL_NE] = TAG("ne"), [HL_NF] = TAG("nf"),
    [HL_FM] = TAG("fm"), [HL_NL] = TAG("nl"), [HL_NN] = TAG("nn"), [HL_NT] = TAG("nt"),
    [HL_NV] = TAG("nv"), [HL_VC] = TAG("vc"), [HL_VG] = TAG("vg"), [HL_VI] = TAG("vi"),
    [HL_VM] = TAG("vm"), [HL_NX] = TAG("nx"), [HL_L] = TAG("l"), [HL_S] = TAG("s"),
    [HL_SA] = TAG("sa"), [HL_SB] = TAG("sb"), [HL_SC] = TAG("sc"), [HL_DL] = TAG("dl"),
    [HL_SD] = TAG("sd"), [HL_S2] = TAG("s2"), [HL_SE] = TAG("se"), [HL_SH] = TAG("sh"),
    [HL_SI] = TAG("si"), [HL_SX] = TAG("sx"), [HL_SR] = TAG("sr"), [HL_S1] = TAG("s1"),
    [HL_SS] = TAG("ss"), [HL_M] = TAG("m"), [HL_MB] = TAG("mb"), [HL_MF] = TAG("mf"),
    [HL_MH] = TAG("mh"), [HL_MI] = TAG("mi"), [HL_IL] = TAG("il"), [HL_MO] = TAG("mo"),
    [HL_O] = TAG("o"), [HL_OW] = TAG("ow"), [HL_P] = TAG("p"), [HL_GD] = TAG("gd"),
    [HL_GE] = TAG("ge"), [HL_GH] = TAG("gh"), [HL_GI] = TAG("gi"), [HL_GO] = TAG("go"),
    [HL_GP] = TAG("gp"), [HL_GS] = TAG("gs"), [HL_GU] = TAG("gu"), [HL_GR] = TAG("gr"),
    [HL_GT] = TAG("gt"), [HL_X] = TAG("x"),
};
#undef TAG

/* ---- writing HTML ------------------------------------------------------------ */

/* What HTML's specials are written as, by byte; len 0 for the rest. */
static const struct {
    _Alignas(16) char text[8];   /* copied whole: the buffer has slack */
    unsigned char len;
} entity_of[256] = {
    ['&'] = { "&amp;", 5 }, ['<'] = { "&lt;", 4 }, ['>'] = { "&gt;", 4 },
    ['"'] = { "&quot;", 6 }, ['\''] = { "&#39;", 5 },
};

#ifdef __SSE2__
#include <emmintrin.h>

/* The 16 bytes at s. */
static inline __m128i
load16(const char *s)
{
    return _mm_loadu_si128((const __m128i *)(const void *)s);
}

/* Bytes of v equal to c, as 0xff. */
static inline __m128i
equal(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

/* A bit for each of v's bytes that is set. */
static inline unsigned
bits(__m128i v)
{
    return (unsigned)_mm_movemask_epi8(v);
}

/* A bit for each byte of v that HTML escapes: '<' and '>' are the bytes
 * that are '>' with bit 1 set, '&' and '\'' those that are '\'' with bit 0
 * set, which saves two compares. */
static inline unsigned
html_bits(__m128i v)
{
    __m128i lt_gt = equal(_mm_or_si128(v, _mm_set1_epi8(2)), '>');
    __m128i amp_apos = equal(_mm_or_si128(v, _mm_set1_epi8(1)), '\'');
    return bits(_mm_or_si128(_mm_or_si128(lt_gt, amp_apos), equal(v, '"')));
}

/* Writes the specials marked in html, bits of s[block..block + 16), as
 * entities at d, and the plain bytes between them: s[*done..*done + 16)
 * is already copied at d, and is again after each entity. Returns the end
 * of what is written up to the last special. */
static inline char *
put_specials(char *d, const char *s, size_t block, unsigned html, size_t *done)
{
    for (; html; html &= html - 1) {
        size_t at = block + (size_t)__builtin_ctz(html);
        d += at - *done;
        unsigned char c = (unsigned char)s[at];
        memcpy(d, entity_of[c].text, 8);
        d += entity_of[c].len;
        *done = at + 1;
        _mm_storeu_si128((__m128i *)(void *)d, load16(s + *done));
    }
    return d;
}

/* Copies s[0..n) escaped to d, newlines as they are, sixteen bytes at a
 * time. s[0..n + 32) is readable and d has room for 6n + 16 bytes.
 * Returns the end. */
static inline char *
escape_run(char *d, const char *s, size_t n)
{
    size_t done = 0;
    for (size_t block = 0; block < n; block += 16) {
        __m128i v = load16(s + block);
        _mm_storeu_si128((__m128i *)(void *)d, v);
        unsigned html = html_bits(v);
        if (n - block < 16)
            html &= (1u << (n - block)) - 1;
        d = put_specials(d, s, block, html, &done);
        size_t block_end = n - block < 16 ? n : block + 16;
        d += block_end - done;
        done = block_end;
    }
    return d;
}

/* The length of s[0..n)'s first line; s[0..n + 16) is readable. */
static inline size_t
line_length(const char *s, size_t n)
{
    for (size_t block = 0; block < n; block += 16) {
        unsigned newlines = bits(equal(load16(s + block), '\n'));
        if (newlines) {
            size_t at = block + (size_t)__builtin_ctz(newlines);
            return at < n ? at : n;
        }
    }
    return n;
}

/* put_token for a token of at most 16 bytes, the usual, with no loop over
 * its bytes; NULL when it is a span holding a newline. */
static inline char *
put_short_token(char *d, enum hl_class cls, const char *s, unsigned n)
{
    __m128i v = load16(s);
    unsigned in_token = (1u << n) - 1;
    if (cls != HL_TEXT && bits(equal(v, '\n')) & in_token)
        return NULL;
    unsigned html = html_bits(v) & in_token;
    memcpy(d, open_tags[cls].text, sizeof open_tags[cls].text);
    d += open_tags[cls].len;
    _mm_storeu_si128((__m128i *)(void *)d, v);
    size_t done = 0;
    d = put_specials(d, s, 0, html, &done);
    d += n - done;
    memcpy(d, "</span>", 8);
    return d + (cls == HL_TEXT ? 0 : 7);
}

/* Writes the token s[0..n) of class cls at d as put_long_html would, a
 * span on each of its lines. s[0..n + 32) is readable and d has room for
 * 32n + 64 bytes. Returns the end. */
static inline char *
put_token(char *d, enum hl_class cls, const char *s, size_t n)
{
    if (cls == HL_TEXT)
        return escape_run(d, s, n);
    const char *end = s + n;
    while (s < end) {
        if (*s == '\n') {
            *d++ = *s++;
            continue;
        }
        /* a line's span, escaped sixteen bytes at a time up to its newline
         * or the token's end, found on the way: one pass over it */
        memcpy(d, open_tags[cls].text, sizeof open_tags[cls].text);
        d += open_tags[cls].len;
        for (;;) {
            __m128i v = load16(s);
            size_t left = (size_t)(end - s);
            unsigned in_token = left < 16 ? (1u << left) - 1 : 0xffffu;
            unsigned newline = bits(equal(v, '\n')) & in_token;
            unsigned in_line = newline ? (newline & -newline) - 1 : in_token;
            size_t done = 0;
            size_t line = newline ? (size_t)__builtin_ctz(newline) : left < 16 ? left : 16;
            _mm_storeu_si128((__m128i *)(void *)d, v);
            d = put_specials(d, s, 0, html_bits(v) & in_line, &done);
            d += line - done;
            s += line;
            if (newline || s == end)
                break;
        }
        memcpy(d, "</span>", 8);
        d += 7;
    }
    return d;
}
#endif

/* Copies s[*p..end) escaped to d up to a newline or end; returns d's end. */
static inline char *
escape_line(char *d, const char **p, const char *end)
{
    const char *s = *p;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (__builtin_expect(!entity_of[c].len, 1)) {
            if (c == '\n')
                break;
            *d++ = *s++;
            continue;
        }
        memcpy(d, entity_of[c].text, 8);
        d += entity_of[c].len;
        s++;
    }
    *p = s;
    return d;
}

/* put_html for a token of any length: reserves the worst case (32 bytes
 * out per byte in: a one-byte line in a span) a chunk at a time. A chunk
 * 32 bytes or more before readable is copied as put_token would. */
static void
put_long_html(struct buf *b, enum hl_class cls, const char *s, size_t n,
              const char *readable)
{
#ifndef __SSE2__
    (void)readable;
#endif
    const char *open = open_tags[cls].text;
    size_t open_len = open_tags[cls].len, close_len = cls == HL_TEXT ? 0 : 7;
    const char *end = s + n;
    bool in_span = false;
    while (s < end) {
        size_t chunk = (size_t)(end - s) < 2048 ? (size_t)(end - s) : 2048;
        buf_grow(b, 32 * chunk + 64);
        char *d = b->data + b->len;
        for (const char *stop = s + chunk; s < stop;) {
            if (*s == '\n') {
                memcpy(d, "</span>", 8);
                d += in_span ? close_len : 0;
                in_span = false;
                *d++ = '\n';
                s++;
                continue;
            }
            if (!in_span) {
                memcpy(d, open, sizeof open_tags[cls].text);
                d += open_len;
                in_span = true;
            }
#ifdef __SSE2__
            if (readable - stop >= 32) {
                size_t line = line_length(s, (size_t)(stop - s));
                d = escape_run(d, s, line);
                s += line;
                continue;
            }
#endif
            d = escape_line(d, &s, stop);
        }
        b->len = (size_t)(d - b->data);
    }
    if (in_span) {
        memcpy(b->data + b->len, "</span>", 8);
        b->len += close_len;
    }
}

/* Writes s[0..n) (0 < n <= 2048) at d as put_long_html would, d having
 * room for 32n + 64 bytes; returns the end. */
static inline char *
put_short_html(char *d, enum hl_class cls, const char *s, size_t n)
{
    const char *end = s + n;
    if (cls == HL_TEXT) {
        for (;;) {
            d = escape_line(d, &s, end);
            if (s == end)
                return d;
            *d++ = *s++;   /* a newline */
        }
    }
    for (;;) {
        if (*s != '\n') {
            memcpy(d, open_tags[cls].text, sizeof open_tags[cls].text);
            d += open_tags[cls].len;
            d = escape_line(d, &s, end);
            memcpy(d, "</span>", 8);
            d += 7;
            if (s == end)
                return d;
        }
        *d++ = *s++;   /* a newline */
        if (s == end)
            return d;
    }
}

/* Writes h's recorded runs to h->out and empties the record. A short run,
 * the usual, is written with its worst case reserved (32 bytes out per byte
 * in) and with whole-word copies into the slack: sixteen bytes at a time
 * where the machine has SSE2 (every x86-64) and the block goes on for 32
 * bytes more, for a read past the run's end. */
static void
write_tokens(struct hl *h)
{
    struct hl_tokens *t = h->tokens;
    struct buf *b = h->out;
    const char *s = h->s + t->from, *readable = h->s + h->len;
    char *d = b->data + b->len, *limit = b->data + b->cap;
    /* in locals: a store through d may alias anything */
    const struct hl_token *items = t->items;
    size_t count = t->count;
    for (size_t i = 0; i < count; i++) {
        size_t n = items[i].len;
        enum hl_class cls = items[i].cls;
#ifdef __SSE2__
        /* a short token with room for its worst case and a read past it */
        if (n <= 16 && (size_t)(limit - d) >= 32 * 16 + 64 && (size_t)(readable - s) >= 48) {
            if (cls == HL_TEXT) {
                __m128i v = load16(s);
                unsigned html = html_bits(v) & ((1u << n) - 1);
                _mm_storeu_si128((__m128i *)(void *)d, v);
                size_t done = 0;
                d = put_specials(d, s, 0, html, &done);
                d += n - done;
                s += n;
                continue;
            }
            char *end = put_short_token(d, cls, s, (unsigned)n);
            d = end ? end : put_token(d, cls, s, n);
            s += n;
            continue;
        }
#endif
        if (n > 2048 || (size_t)(limit - d) < 32 * n + 64) {
            b->len = (size_t)(d - b->data);
            if (n > 2048)
                put_long_html(b, cls, s, n, readable);
            else
                buf_grow(b, 32 * n + 64);
            d = b->data + b->len;
            limit = b->data + b->cap;
            if (n > 2048) {
                s += n;
                continue;
            }
        }
#ifdef __SSE2__
        if ((size_t)(readable - s) >= n + 32) {
            char *end = n <= 16 ? put_short_token(d, cls, s, (unsigned)n) : NULL;
            d = end ? end : put_token(d, cls, s, n);
            s += n;
            continue;
        }
#endif
        d = put_short_html(d, cls, s, n);
        s += n;
    }
    b->len = (size_t)(d - b->data);
    if (b->data)
        b->data[b->len] = '\0';
    t->from = (size_t)(s - h->s);
    t->count = 0;
}

void
hl_tokens_full(struct hl *h)
{
    struct hl_tokens *t = h->tokens;
    if (h->out) {   /* a batch, of the caller's size */
        write_tokens(h);
        return;
    }
    t->cap = t->cap ? 2 * t->cap : 256;
    if (h->tokens_on_stack) {   /* hl_delegate's first room: moved to the heap */
        struct hl_token *items = xmalloc(t->cap * sizeof *items);
        memcpy(items, t->items, t->count * sizeof *items);
        t->items = items;
        h->tokens_on_stack = false;
        return;
    }
    t->items = xrealloc(t->items, t->cap * sizeof *t->items);
}

/* Records the growing run as it stands. */
static void
end_run(struct hl *h)
{
    if (h->pos > h->run) {
        struct hl_tokens *t = h->tokens;
        if (t->count == t->cap)
            hl_tokens_full(h);
        t->items[t->count++] = (struct hl_token){ (uint32_t)(h->pos - h->run), h->run_cls };
    }
    h->run = h->pos;
}

void
hl_finish(struct hl *h)
{
    end_run(h);
    write_tokens(h);
}

void
hl_sub(struct hl *h, size_t end, hl_lexer lex)
{
    size_t base = h->base, outer_end = h->end;
    h->base = h->pos;
    h->end = end;
    lex(h);
    h->base = base;
    h->end = outer_end;
}

/* ---- the state stack ------------------------------------------------------ */

void
hl_stack_init(struct hl_stack *st, unsigned bottom)
{
    st->items = st->first;
    st->cap = sizeof st->first / sizeof *st->first;
    st->depth = 1;
    st->items[0] = (uint16_t)bottom;
}

void
hl_stack_grow(struct hl_stack *st)
{
    size_t cap = st->cap * 2;
    uint16_t *items = xmalloc(cap * sizeof *items);
    memcpy(items, st->items, st->depth * sizeof *items);
    if (st->items != st->first)
        free(st->items);
    st->items = items;
    st->cap = cap;
}

void
hl_stack_dispose(struct hl_stack *st)
{
    if (st->items != st->first)
        free(st->items);
    st->items = NULL;
}

bool
hl_unmatched(struct hl *h)
{
    int32_t cp;
    if (h->s[h->pos] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        return true;
    }
    hl_emit(h, HL_ERR, hl_char(h, h->pos, &cp));
    return false;
}

void
hl_no_match(struct hl *h, struct hl_stack *st)
{
    if (hl_unmatched(h))
        hl_stack_reset(st);
}

/* ---- characters ---------------------------------------------------------------- */

enum { A_WORD = HL_A_WORD, A_SPACE = HL_A_SPACE, A_LETTER = HL_A_WORD | HL_A_LETTER };
const unsigned char hl_ascii[256] = {
    ['\t'] = A_SPACE, ['\n'] = A_SPACE, ['\v'] = A_SPACE, ['\f'] = A_SPACE,
    ['\r'] = A_SPACE, [0x1c] = A_SPACE, [0x1d] = A_SPACE, [0x1e] = A_SPACE,
    [0x1f] = A_SPACE, [' '] = A_SPACE,
    ['0'] = A_WORD, ['1'] = A_WORD, ['2'] = A_WORD, ['3'] = A_WORD, ['4'] = A_WORD,
    ['5'] = A_WORD, ['6'] = A_WORD, ['7'] = A_WORD, ['8'] = A_WORD, ['9'] = A_WORD,
    ['A'] = A_LETTER, ['B'] = A_LETTER, ['C'] = A_LETTER, ['D'] = A_LETTER, ['E'] = A_LETTER,
    ['F'] = A_LETTER, ['G'] = A_LETTER, ['H'] = A_LETTER, ['I'] = A_LETTER, ['J'] = A_LETTER,
    ['K'] = A_LETTER, ['L'] = A_LETTER, ['M'] = A_LETTER, ['N'] = A_LETTER, ['O'] = A_LETTER,
    ['P'] = A_LETTER, ['Q'] = A_LETTER, ['R'] = A_LETTER, ['S'] = A_LETTER, ['T'] = A_LETTER,
    ['U'] = A_LETTER, ['V'] = A_LETTER, ['W'] = A_LETTER, ['X'] = A_LETTER, ['Y'] = A_LETTER,
    ['Z'] = A_LETTER, ['_'] = A_LETTER,
    ['a'] = A_LETTER, ['b'] = A_LETTER, ['c'] = A_LETTER, ['d'] = A_LETTER, ['e'] = A_LETTER,
    ['f'] = A_LETTER, ['g'] = A_LETTER, ['h'] = A_LETTER, ['i'] = A_LETTER, ['j'] = A_LETTER,
    ['k'] = A_LETTER, ['l'] = A_LETTER, ['m'] = A_LETTER, ['n'] = A_LETTER, ['o'] = A_LETTER,
    ['p'] = A_LETTER, ['q'] = A_LETTER, ['r'] = A_LETTER, ['s'] = A_LETTER, ['t'] = A_LETTER,
    ['u'] = A_LETTER, ['v'] = A_LETTER, ['w'] = A_LETTER, ['x'] = A_LETTER, ['y'] = A_LETTER,
    ['z'] = A_LETTER,
};

size_t
hl_char(const struct hl *h, size_t p, int32_t *cp)
{
    unsigned char c = (unsigned char)h->s[p];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    *cp = utf8_decode(h->s + p, h->end - p, &n);
    return n;
}

/* True if cp lies in one of the count sorted ranges. */
static bool
in_ranges(int32_t cp, const int32_t (*ranges)[2], size_t count)
{
    for (size_t i = 0; i < count && ranges[i][0] <= cp; i++)
        if (cp <= ranges[i][1])
            return true;
    return false;
}

/* The letter numbers (Nl), which utf8_classify counts with No, and which
 * may start an identifier (Unicode 14). */
static bool
is_letter_number(int32_t cp)
{
    static const int32_t nl[][2] = {
        {0x16ee, 0x16f0}, {0x2160, 0x2182}, {0x2185, 0x2188}, {0x3007, 0x3007},
        {0x3021, 0x3029}, {0x3038, 0x303a}, {0xa6e6, 0xa6ef}, {0x10140, 0x10174},
        {0x10341, 0x10341}, {0x1034a, 0x1034a}, {0x103d1, 0x103d5}, {0x12400, 0x1246e},
    };
    return in_ranges(cp, nl, sizeof nl / sizeof *nl);
}

/* The enclosing marks (Me), which utf8_classify counts with Mn and Mc, and
 * which may not continue an identifier. */
static bool
is_enclosing_mark(int32_t cp)
{
    static const int32_t me[][2] = {
        {0x488, 0x489}, {0x1abe, 0x1abe}, {0x20dd, 0x20e0}, {0x20e2, 0x20e4},
        {0xa670, 0xa672},
    };
    return in_ranges(cp, me, sizeof me / sizeof *me);
}

/* The connector punctuation (Pc) besides '_', which may continue one. */
static bool
is_connector(int32_t cp)
{
    static const int32_t pc[][2] = {
        {0x203f, 0x2040}, {0x2054, 0x2054}, {0xfe33, 0xfe34}, {0xfe4d, 0xfe4f},
        {0xff3f, 0xff3f},
    };
    return in_ranges(cp, pc, sizeof pc / sizeof *pc);
}

bool
hl_cp_word(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (hl_ascii[cp] & A_WORD);
    enum utf8_class c = utf8_classify(cp);
    return c == UTF8_LETTER || c == UTF8_DIGIT || c == UTF8_NUMBER;
}

bool
hl_cp_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1c && cp <= 0x1f);
    return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

bool
hl_cp_digit(int32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return utf8_classify(cp) == UTF8_DIGIT;
}

/* Letters that NFKC normalisation turns into something else, which Python
 * does not take in identifiers (not XID_Continue); with start, also the
 * four that may continue but not start one (not XID_Start). */
static bool
not_xid(int32_t cp, bool start)
{
    static const int32_t no_start[][2] = {
        {0x37a, 0x37a}, {0x2e2f, 0x2e2f}, {0x309b, 0x309c}, {0xfc5e, 0xfc63},
        {0xfdfa, 0xfdfb}, {0xfe70, 0xfe70}, {0xfe72, 0xfe72}, {0xfe74, 0xfe74},
        {0xfe76, 0xfe76}, {0xfe78, 0xfe78}, {0xfe7a, 0xfe7a}, {0xfe7c, 0xfe7c},
        {0xfe7e, 0xfe7e},
    };
    if (in_ranges(cp, no_start, sizeof no_start / sizeof *no_start))
        return true;
    return start && (cp == 0xe33 || cp == 0xeb3 || cp == 0xff9e || cp == 0xff9f);
}

/* Letters, letter numbers and Other_ID_Start, before the NFKC exceptions. */
static bool
id_letter(int32_t cp)
{
    return utf8_classify(cp) == UTF8_LETTER || is_letter_number(cp) || cp == 0x1885 ||
           cp == 0x1886 || cp == 0x2118 || cp == 0x212e;
}

bool
hl_cp_id_start(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (hl_ascii[cp] & A_WORD) && !(cp >= '0' && cp <= '9');
    return id_letter(cp) && !not_xid(cp, true);
}

bool
hl_cp_id_cont(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (hl_ascii[cp] & A_WORD);
    enum utf8_class c = utf8_classify(cp);
    bool other = cp == 0xb7 || cp == 0x387 || (cp >= 0x1369 && cp <= 0x1371) || cp == 0x19da;
    return (id_letter(cp) || (c == UTF8_MARK && !is_enclosing_mark(cp)) || c == UTF8_DIGIT ||
            is_connector(cp) || other) && !not_xid(cp, false);
}

/* The out-of-line parts of lexer.h's scanners, for a byte >= 0x80 at p
 * (at p - 1 for hl_word_before_utf8). */
bool
hl_word_at_utf8(const struct hl *h, size_t p)
{
    int32_t cp;
    hl_char(h, p, &cp);
    return hl_cp_word(cp);
}

bool
hl_word_before_utf8(const struct hl *h, size_t p)
{
    size_t start = p - 1;   /* back to the lead byte, at most three steps */
    while (start > h->base && p - start < 4 && ((unsigned char)h->s[start] & 0xc0) == 0x80)
        start--;
    int32_t cp;
    size_t n = hl_char(h, start, &cp);
    return start + n == p && hl_cp_word(cp);
}

size_t
hl_word_run_utf8(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && (unsigned char)h->s[q] >= 0x80) {
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_word(cp))
            break;
        q += n;
        q += hl_ascii_word(h, q);
    }
    return q - p;
}

size_t
hl_ident(const struct hl *h, size_t p)
{
    int32_t cp;
    if (p >= h->end)
        return 0;
    size_t q = p + hl_char(h, p, &cp);
    if (!hl_cp_id_start(cp))
        return 0;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (!(hl_ascii[c] & A_WORD))
                break;
            q++;
            continue;
        }
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_id_cont(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_space_run(const struct hl *h, size_t p, bool newlines)
{
    size_t q = p;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c == '\n' && !newlines)
            break;
        if (c < 0x80) {
            if (!(hl_ascii[c] & A_SPACE))
                break;
            q++;
            continue;
        }
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_space(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_digits_utf8(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (c < '0' || c > '9')
                break;
            q++;
            continue;
        }
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_digit(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_until(const struct hl *h, size_t p, const bool stop[256])
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && !stop[s[q]])
        q++;
    return q - p;
}

size_t
hl_line_end(const struct hl *h, size_t p)
{
    if (p >= h->end)
        return h->end;
    const char *nl = memchr(h->s + p, '\n', h->end - p);
    return nl ? (size_t)(nl - h->s) : h->end;
}

/* ---- numbers, escapes and strings --------------------------------------------- */

size_t
hl_span(const struct hl *h, size_t p, const char *set, size_t max)
{
    size_t n = 0;
    while (n < max && hl_in(hl_at(h, p + n), set))
        n++;
    return n;
}

size_t
hl_digit_groups(const struct hl *h, size_t p, char sep)
{
    size_t q = p + hl_digits(h, p), d;
    if (q == p)
        return 0;
    while (hl_at(h, q) == sep && (d = hl_digits(h, q + 1)))
        q += 1 + d;
    return q - p;
}

size_t
hl_radix_groups(const struct hl *h, size_t p, char sep, const char *set)
{
    size_t q = p;
    for (;;) {
        if (hl_in(hl_at(h, q), set))
            q++;
        else if (hl_at(h, q) == sep && hl_in(hl_at(h, q + 1), set))
            q += 2;
        else
            return q - p;
    }
}

size_t
hl_exponent(const struct hl *h, size_t p, char sep)
{
    if (!hl_in(hl_at(h, p), "eE"))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = hl_digit_groups(h, q, sep);
    return d ? q + d - p : 0;
}

size_t
hl_hex_escape(const struct hl *h, size_t p, char letter, size_t n)
{
    if (hl_at(h, p) != '\\' || hl_at(h, p + 1) != letter)
        return 0;
    return hl_span(h, p + 2, HL_HEX, n) == n ? n + 2 : 0;
}

size_t
hl_unicode_escape(const struct hl *h, size_t p)
{
    size_t n = hl_hex_escape(h, p, 'u', 4);
    return n ? n : hl_hex_escape(h, p, 'U', 8);
}

size_t
hl_octal_escape(const struct hl *h, size_t p)
{
    size_t n = hl_at(h, p) == '\\' ? hl_span(h, p + 1, "01234567", 3) : 0;
    return n ? n + 1 : 0;
}

size_t
hl_escaped_char(const struct hl *h, size_t p)
{
    int32_t cp;
    return p + 1 < h->end ? 1 + hl_char(h, p + 1, &cp) : 1;
}

size_t
hl_until_escaped(const struct hl *h, size_t p, const bool stop[256])
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && !stop[s[q]])
        q += s[q] == '\\' && q + 1 < h->end ? 2 : 1;
    return q - p;
}

void
hl_hash_comment(struct hl *h)
{
    size_t p = h->pos, eol = hl_line_end(h, p);
    bool bang = p == h->base && hl_at(h, p + 1) == '!' && eol > p + 2;
    hl_emit(h, bang ? HL_CH : HL_C1, eol - p);
}

/* ---- words and searches ----------------------------------------------------- */

/* FNV-1a: enough to spread a few hundred keywords */
static size_t
hash_word(const char *w, size_t n)
{
    uint32_t x = 2166136261u;
    for (size_t i = 0; i < n; i++)
        x = (x ^ (unsigned char)w[i]) * 16777619u;
    return x;
}

static uint32_t
length_bit(size_t n)
{
    return 1u << (n < 31 ? n : 31);
}

static const char *
word_of(const struct hl_words *ws, size_t i)
{
    const char *w;
    memcpy(&w, (const char *)ws->table + i * ws->size, sizeof w);
    return w;
}

/* An open-addressed hash index: slot -> entry + 1, 0 when empty. Before
 * it, the lengths of the words by their first and by their last byte (bit
 * n for n bytes, bit 31 for 31 or more): most names that are none of the
 * words cost two loads. */
struct hl_words_index {
    uint32_t first[256], last[256];
    size_t mask;
    unsigned char *lens;  /* of each entry's word, after slots */
    uint16_t slots[];
};

/* Builds the index of ws, or takes the one another thread built first. */
static struct hl_words_index *
build_index(struct hl_words *ws)
{
    size_t n = 16;
    while (n < ws->count * 4)   /* at most a quarter full */
        n *= 2;
    struct hl_words_index *ix = xcalloc(1, sizeof *ix + n * sizeof *ix->slots + ws->count);
    ix->mask = n - 1;
    ix->lens = (unsigned char *)(ix->slots + n);
    for (size_t i = 0; i < ws->count; i++) {
        const char *w = word_of(ws, i);
        size_t len = strlen(w);
        ix->lens[i] = (unsigned char)(len < 255 ? len : 255);
        if (len) {
            ix->first[(unsigned char)w[0]] |= length_bit(len);
            ix->last[(unsigned char)w[len - 1]] |= length_bit(len);
        }
        size_t at = hash_word(w, len) & ix->mask;
        while (ix->slots[at])
            at = (at + 1) & ix->mask;
        ix->slots[at] = (uint16_t)(i + 1);
    }
    struct hl_words_index *expected = NULL;
    if (!atomic_compare_exchange_strong(&ws->index, &expected, ix)) {
        free(ix);
        return expected;
    }
    return ix;
}

int
hl_words_find(struct hl_words *ws, const char *w, size_t n)
{
    struct hl_words_index *ix = atomic_load_explicit(&ws->index, memory_order_acquire);
    if (!ix)
        ix = build_index(ws);
    if (n >= 255 || !n ||
        !(ix->first[(unsigned char)w[0]] & ix->last[(unsigned char)w[n - 1]] & length_bit(n)))
        return -1;
    for (size_t at = hash_word(w, n) & ix->mask; ix->slots[at]; at = (at + 1) & ix->mask) {
        size_t i = ix->slots[at] - 1u;
        if (ix->lens[i] == n && !memcmp(word_of(ws, i), w, n))
            return (int)i;
    }
    return -1;
}

size_t
hl_find(const struct hl *h, size_t from, size_t limit, const char *needle, size_t n)
{
    char last = needle[n - 1];
    if (n == 1) {
        const char *hit = from < limit ? memchr(h->s + from, last, limit - from) : NULL;
        return hit ? (size_t)(hit - h->s) : (size_t)-1;
    }
    for (size_t q = from + n - 1; q < limit; q++) {
        const char *hit = memchr(h->s + q, last, limit - q);
        if (!hit)
            break;
        q = (size_t)(hit - h->s);
        if (!memcmp(h->s + q - (n - 1), needle, n - 1))
            return q - (n - 1);
    }
    return (size_t)-1;
}

size_t
hl_seek(const struct hl *h, struct hl_seek *c, const char *needle, size_t n, size_t from)
{
    if (!hl_seek_valid(c, from)) {
        /* up to end only: a lexer run on many small ranges of a block (as
         * html+php runs html) must not search the whole block each time */
        size_t at = hl_find(h, from, h->end, needle, n);
        c->from = from;
        c->at = at == (size_t)-1 ? h->end : at;
    }
    if (c->at + n > h->end)
        return (size_t)-1;
    return c->at;
}

/* ---- delegation ------------------------------------------------------------- */

/* The token lists and the gathered text of a block this short live on
 * hl_delegate's stack: most blocks are (a template is a few KB), and three
 * allocations a block cost more than replaying it. */
enum { DELEGATE_RUNS = 1024, DELEGATE_TEXT = 8192 };

/* Emits runs[0..count) (count >= 1) through o as hl_out_emit would one by
 * one, runs[0] cut to its first `first` bytes and the last run to its first
 * `last` (runs[0] to first when it is the last): the runs of one lexer's
 * list, of which neighbours differ in class, so that only the first can
 * merge with o's growing run and those after it are copied as they are.
 * Inline, so that o stays in registers. */
__attribute__((always_inline)) static inline void
emit_runs(struct hl_out *o, const struct hl_token *runs, size_t count, size_t first,
          size_t last)
{
    hl_out_emit(o, runs[0].cls, first);
    if (count == 1)
        return;
    hl_out_end_run(o);
    for (size_t i = 1; i + 1 < count;) {
        hl_out_room(o);
        size_t room = (size_t)(o->limit - o->next), n = count - 1 - i;
        const struct hl_token *k = runs + i, *stop = k + (n < room ? n : room);
        for (; k < stop; k++) {
            *o->next++ = *k;
            o->pos += k->len;
        }
        i = (size_t)(stop - runs);
    }
    o->run = o->pos;
    o->run_cls = runs[count - 1].cls;
    o->pos += last;
}

void
hl_delegate(struct hl *h, hl_lexer root, hl_lexer lang)
{
    struct hl_token lang_small[DELEGATE_RUNS], root_small[DELEGATE_RUNS];
    char text_small[DELEGATE_TEXT];
    size_t len = h->end - h->pos;
    /* lang's runs, then root's over lang's HL_X text. Room for the usual
     * count of runs at once: growing a list a doubling at a time costs more
     * than the lexing (a run every 8 bytes or so) */
    struct hl_tokens lang_runs = { lang_small, 0, DELEGATE_RUNS, h->pos };
    struct hl_tokens root_runs = { root_small, 0, DELEGATE_RUNS, 0 };
    struct hl l = *h;
    l.run = l.pos;
    l.run_cls = HL_TEXT;
    l.tokens = &lang_runs;
    l.out = NULL;
    l.tokens_on_stack = true;
    if (len / 16 + 256 > DELEGATE_RUNS) {
        lang_runs.cap = len / 16 + 256;
        lang_runs.items = xmalloc(lang_runs.cap * sizeof *lang_runs.items);
        l.tokens_on_stack = false;
    }
    lang(&l);
    end_run(&l);
    /* where lang's HL_X runs are, found without a branch on each run (one
     * that mispredicts at every HL_X run), then their text, with room after
     * it for a lexer's reads past its end (as a block's own text has) */
    struct x_run { uint32_t index, from; } xs_small[DELEGATE_RUNS];
    struct x_run *xs = lang_runs.count <= DELEGATE_RUNS ? xs_small
                                                       : xmalloc(lang_runs.count * sizeof *xs);
    size_t x_count = 0, from = 0;
    for (size_t i = 0; i < lang_runs.count; i++) {
        xs[x_count] = (struct x_run){ (uint32_t)i, (uint32_t)from };
        x_count += lang_runs.items[i].cls == HL_X;
        from += lang_runs.items[i].len;
    }
    char *other = len + 32 <= DELEGATE_TEXT ? text_small : xmalloc(len + 32);
    size_t other_len = 0;
    for (size_t j = 0; j < x_count; j++) {
        size_t n = lang_runs.items[xs[j].index].len;
        memcpy(other + other_len, h->s + h->pos + xs[j].from, n);
        other_len += n;
    }
    memset(other + other_len, 0, 32);
    struct hl r = { .s = other, .len = other_len, .base = 0, .end = other_len,
                    .pos = 0, .run = 0, .run_cls = HL_TEXT, .tokens = &root_runs,
                    .out = NULL, .tokens_on_stack = true };
    if (other_len) {
        if (other_len / 8 + 256 > DELEGATE_RUNS) {
            root_runs.cap = other_len / 8 + 256;
            root_runs.items = xmalloc(root_runs.cap * sizeof *root_runs.items);
            r.tokens_on_stack = false;
        }
        root(&r);
        end_run(&r);
    }
    /* lang's runs again, each HL_X one as the next of root's; between two
     * HL_X runs, lang's runs at once */
    struct hl_out o = { .h = h };
    hl_out_get(&o);
    const struct hl_token *runs = lang_runs.items;
    const struct hl_token *next = root_runs.items, *root_end = next + root_runs.count;
    size_t used = 0, done = 0;   /* of next; of lang's runs */
    for (size_t j = 0; j < x_count; j++) {
        size_t x = xs[j].index;
        if (x > done)
            emit_runs(&o, runs + done, x - done, runs[done].len, runs[x - 1].len);
        done = x + 1;
        /* root's runs to the end of this one: the first from used on, the
         * last perhaps cut short */
        size_t n = runs[x].len;
        if (next == root_end) {   /* root left text out: plain */
            hl_out_emit(&o, HL_TEXT, n);
            continue;
        }
        const struct hl_token *last = next;
        size_t rest = n + used;   /* from next's start */
        while (last->len < rest && last + 1 < root_end) {
            rest -= last->len;
            last++;
        }
        size_t taken = rest < last->len ? rest : last->len;
        emit_runs(&o, next, (size_t)(last - next) + 1,
                  last == next ? taken - used : next->len - used, taken);
        if (rest > taken)   /* root left text out: plain */
            hl_out_emit(&o, HL_TEXT, rest - taken);
        if (taken == last->len) {
            next = last + 1;
            used = 0;
        } else {
            next = last;
            used = taken;
        }
    }
    if (lang_runs.count > done)
        emit_runs(&o, runs + done, lang_runs.count - done, runs[done].len,
                  runs[lang_runs.count - 1].len);
    hl_out_put(&o);
    if (xs != xs_small)
        free(xs);
    if (other != text_small)
        free(other);
    if (!l.tokens_on_stack)
        free(lang_runs.items);
    if (!r.tokens_on_stack)
        free(root_runs.items);
}
