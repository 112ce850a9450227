/* lex_java.c: the Java lexer of the highlighter, after Pygments' JavaLexer:
 * keywords (k, kd, kt, kc, kn), method names (nf) after a return type,
 * annotations (nd), class and record names (nc), imports (nn), labels (nl),
 * names after a '.' (na), strings and text blocks, characters, numbers. */
#include "lexer.h"
#include "lex_bytes.h"

/* Pygments' states besides root, each of which takes one name. */
enum state { ROOT, CLASS, VAR, IMPORT };

/* What a word is when it starts a token in root. */
enum kind { KEYWORD, DECLARATION, TYPE, CONSTANT, PACKAGE, CLASS_WORD, VAR_WORD,
            IMPORT_WORD };

/* The words of root's keyword rules, each padded with NULs to 16 bytes so
 * that a lookup compares eight bytes at a time; first the empty word, where
 * word_slot's free slots point. */
#define LONGEST_WORD 12   /* synchronized */
static const struct word {
    char w[16];
    unsigned char kind;
} words[] = {
    {"", KEYWORD},
    {"assert", KEYWORD}, {"break", KEYWORD}, {"case", KEYWORD}, {"catch", KEYWORD},
    {"continue", KEYWORD}, {"default", KEYWORD}, {"do", KEYWORD}, {"else", KEYWORD},
    {"finally", KEYWORD}, {"for", KEYWORD}, {"if", KEYWORD}, {"goto", KEYWORD},
    {"instanceof", KEYWORD}, {"new", KEYWORD}, {"return", KEYWORD}, {"switch", KEYWORD},
    {"this", KEYWORD}, {"throw", KEYWORD}, {"try", KEYWORD}, {"while", KEYWORD},
    {"abstract", DECLARATION}, {"const", DECLARATION}, {"enum", DECLARATION},
    {"extends", DECLARATION}, {"final", DECLARATION}, {"implements", DECLARATION},
    {"native", DECLARATION}, {"private", DECLARATION}, {"protected", DECLARATION},
    {"public", DECLARATION}, {"sealed", DECLARATION}, {"static", DECLARATION},
    {"strictfp", DECLARATION}, {"super", DECLARATION}, {"synchronized", DECLARATION},
    {"throws", DECLARATION}, {"transient", DECLARATION}, {"volatile", DECLARATION},
    {"yield", DECLARATION},
    {"boolean", TYPE}, {"byte", TYPE}, {"char", TYPE}, {"double", TYPE}, {"float", TYPE},
    {"int", TYPE}, {"long", TYPE}, {"short", TYPE}, {"void", TYPE},
    {"true", CONSTANT}, {"false", CONSTANT}, {"null", CONSTANT},
    {"package", PACKAGE}, {"class", CLASS_WORD}, {"interface", CLASS_WORD},
    {"var", VAR_WORD}, {"import", IMPORT_WORD},
};

/* A perfect hash of the words: a word's first 16 bytes (NULs past its end)
 * as two little-endian 64-bit numbers lo and hi; the top 7 bits of
 * lo * WORD_MIX_LO + hi * WORD_MIX_HI pick a slot of word_slot that no other
 * word lands on, which holds its index in words (0 for none). When words
 * change, search again: random odd multipliers until one set places all the
 * words apart (a few hundred thousand tries for 56 words in 128 slots). */
#define WORD_MIX_LO UINT64_C(0x5b1c1a96241a8b21)
#define WORD_MIX_HI UINT64_C(0xe06230af159ba943)
static const unsigned char word_slot[128] = {
     0, 40,  0,  0,  0, 31, 17,  3,  0,  0, 28, 47, 23, 43, 35,  0,
     0,  0, 21,  0, 29,  0, 56, 49,  0,  0,  0,  0,  0,  0, 37, 38,
     0, 20,  0,  0,  0, 30,  0,  0,  0, 10,  9,  0, 36,  0, 19, 25,
     0, 54,  0,  0,  0,  0, 18,  1, 41,  0, 46,  0,  0, 55, 45,  0,
     0,  0,  0, 39,  0, 27, 51,  0, 11,  0, 42,  0, 14,  0,  0,  0,
     0,  0,  0, 22,  4,  0, 16,  0,  0,  5, 26, 34,  0,  0, 48, 13,
     0,  0,  0,  7, 24, 52,  0, 15,  0,  0, 53, 32,  0, 50,  2,  0,
     0,  0,  0,  6,  0,  0,  0, 44, 33,  0,  0,  0,  0,  8, 12,  0,
};

/* The kind of the word s[p..p+n) (1 <= n <= LONGEST_WORD), or -1 if it is
 * none of words. */
static inline int
word_kind(const struct hl *h, size_t p, size_t n)
{
    uint64_t lo, hi;
    if (h->end - p >= 16) {   /* the usual: two loads, the bytes past n masked off */
        lo = hl_load_le64(h->s + p) & (n >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << 8 * n) - 1);
        hi = n > 8 ? hl_load_le64(h->s + p + 8) & ((UINT64_C(1) << 8 * (n - 8)) - 1) : 0;
    } else {
        char w[16] = {0};
        memcpy(w, h->s + p, n);
        lo = hl_load_le64(w);
        hi = hl_load_le64(w + 8);
    }
    const struct word *e = &words[word_slot[(lo * WORD_MIX_LO + hi * WORD_MIX_HI) >> 57]];
    return hl_load_le64(e->w) == lo && hl_load_le64(e->w + 8) == hi ? e->kind : -1;
}

/* ASCII classes for the fast paths, one bit each; bytes >= 0x80 have none
 * and take the slow paths. */
enum {
    J_WORD = 1,     /* [A-Za-z0-9_] */
    J_DOLLAR = 2,   /* $, in names */
    J_TYPE = 4,     /* .[]<>, in a return type's words */
    J_START = 8,    /* [A-Za-z_$], a name's first byte */
    J_SPACE = 16,   /* \s but the newline */
    J_DOT = 32,     /* ., in dotted names */
    J_NEWLINE = 64,
};
static const unsigned char ascii[256] = {
    HL_LETTER_BYTES(J_START | J_WORD), HL_DIGIT_BYTES(J_WORD), ['$'] = J_START | J_DOLLAR,
    ['.'] = J_TYPE | J_DOT, ['['] = J_TYPE, [']'] = J_TYPE, ['<'] = J_TYPE, ['>'] = J_TYPE,
    [' '] = J_SPACE, ['\t'] = J_SPACE, ['\v'] = J_SPACE, ['\f'] = J_SPACE,
    ['\r'] = J_SPACE, [0x1c] = J_SPACE, [0x1d] = J_SPACE, [0x1e] = J_SPACE,
    [0x1f] = J_SPACE, ['\n'] = J_NEWLINE,
};

/* What can start at each byte in root, from which of JavaLexer's rules can
 * match there. */
enum {
    R_OTHER,   /* several, or a character to decode: try the rules in order */
    R_BLANK,   /* ASCII \s: whitespace, or a record or label after it */
    R_WORD,    /* [A-Za-z_$]: a word */
    R_SLASH,   /* a comment, else an operator */
    R_QUOTE,   /* a string */
    R_APOS,    /* a character, else an error */
    R_AT,      /* an annotation, else an error */
    R_DOT,     /* .name, else a number, else punctuation */
    R_DIGIT,   /* a number */
    R_OP,      /* only an operator, one a byte: a run of them is one run of o */
    R_PUNCT,   /* only punctuation, one a byte: likewise */
};
static const unsigned char first[256] = {
    HL_LETTER_BYTES(R_WORD), HL_DIGIT_BYTES(R_DIGIT), ['$'] = R_WORD,
    [' '] = R_BLANK, ['\t'] = R_BLANK, ['\n'] = R_BLANK, ['\v'] = R_BLANK,
    ['\f'] = R_BLANK, ['\r'] = R_BLANK, [0x1c] = R_BLANK, [0x1d] = R_BLANK,
    [0x1e] = R_BLANK, [0x1f] = R_BLANK,
    ['/'] = R_SLASH, ['"'] = R_QUOTE, ['\''] = R_APOS, ['@'] = R_AT, ['.'] = R_DOT,
    ['~'] = R_OP, ['^'] = R_OP, ['*'] = R_OP, ['!'] = R_OP, ['%'] = R_OP, ['&'] = R_OP,
    ['['] = R_OP, [']'] = R_OP, ['<'] = R_OP, ['>'] = R_OP, ['|'] = R_OP, ['+'] = R_OP,
    ['='] = R_OP, ['?'] = R_OP, ['-'] = R_OP,
    ['{'] = R_PUNCT, ['}'] = R_PUNCT, ['('] = R_PUNCT, [')'] = R_PUNCT, [';'] = R_PUNCT,
    [':'] = R_PUNCT, [','] = R_PUNCT,
};

struct java {
    struct hl *h;
    enum state state;
    struct hl_seek comment_close;  /* the next "*\/" */
    /* the method rule's last chain: from each word start in [chain_lo,
     * chain_hi] it leads to the name at chain_name, or to none (-1) */
    size_t chain_lo, chain_hi, chain_name;
    /* from each line start in [lead_from, lead_at], whitespace and record's
     * modifiers run to lead_at; from each offset in [space_from, space_at],
     * whitespace runs to space_at */
    size_t lead_from, lead_at, space_from, space_at;
    /* from each offset in [word_from, word_at], a type_word runs to word_at */
    size_t word_from, word_at;
};

/* ---- sixteen bytes at a time ---------------------------------------------------- */

#ifdef __SSE2__
static inline __m128i
load16(const struct hl *h, size_t p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
}
#endif

/* The first offset at or after q whose byte is not of the run that bits
 * (J_WORD and any of J_DOLLAR, J_DOT, J_TYPE) make, or end: sixteen bytes
 * a round where the machine has SSE2. */
static inline size_t
skip_run(const struct hl *h, size_t q, unsigned bits)
{
#ifdef __SSE2__
    for (; h->end - q >= 16; q += 16) {
        __m128i v = load16(h, q), in = hl_word_bytes(v);
        if (bits & J_DOLLAR)
            in = _mm_or_si128(in, _mm_cmpeq_epi8(v, _mm_set1_epi8('$')));
        if (bits & (J_DOT | J_TYPE))
            in = _mm_or_si128(in, _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
        if (bits & J_TYPE)   /* < and > are 0x3c and 0x3e: one compare for both */
            in = _mm_or_si128(in, _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('[')),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8(']'))),
                _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'))));
        unsigned n = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(in));
        if (n < 16)
            return q + n;
    }
#endif
    return hl_skip(h, q, ascii, bits);
}

/* Length of the run of [A-Za-z0-9_] at p. */
static inline size_t
ascii_word_len(const struct hl *h, size_t p)
{
    return skip_run(h, p, J_WORD) - p;
}

/* ---- scanners ----------------------------------------------------------------- */

/* A character that starts a name: [^\W\d] or '$'. */
static inline bool
name_start(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c < 0x80)
        return c >= 0 && (ascii[c] & J_START);
    int32_t cp;
    hl_char(h, p, &cp);
    return hl_cp_word(cp) && !hl_cp_digit(cp);
}

/* [\w$]* at p: ASCII runs in a tight loop. */
static size_t
name_rest(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = skip_run(h, q, J_WORD | J_DOLLAR);
        if (hl_at(h, q) >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* (?:[^\W\d]|\$)[\w$]*: its length at p, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    if (!name_start(h, p))
        return 0;
    size_t n = (unsigned char)h->s[p] < 0x80 ? 1 : hl_char(h, p, &(int32_t){0});
    return n + name_rest(h, p + n);
}

/* name_len, where the usual name, ASCII and ended by ASCII other than '$',
 * is scanned sixteen bytes at a time. */
static inline size_t
name_at(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c < 0 || (ascii[c] & (J_START | J_WORD)) != (J_START | J_WORD))
        return c == '$' || c >= 0x80 ? name_len(h, p) : 0;
    size_t n = ascii_word_len(h, p);
    int after = hl_at(h, p + n);
    return after == '$' || after >= 0x80 ? name_len(h, p) : n;
}

/* [\w.]* at p: ASCII runs in a tight loop. */
static size_t
dotted_len(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = skip_run(h, q, J_WORD | J_DOT);
        if (hl_at(h, q) >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* [\w.\[\]$<>]* at p: a word of a return type in the method rule. */
static size_t
type_word_run(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = skip_run(h, q, J_WORD | J_DOLLAR | J_TYPE);
        int c = hl_at(h, q);
        if (c >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* type_word_run, where the usual ASCII byte that ends it at once is
 * decided inline. */
static inline size_t
type_word(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c < 0 || (c < 0x80 && !(ascii[c] & (J_WORD | J_DOLLAR | J_TYPE))))
        return 0;
    return type_word_run(h, p);
}

/* type_word at p, remembered for the offsets it spans: a name inside
 * a<b<c... would otherwise scan the rest of the run again. Its first
 * known bytes are known to be of it. */
static size_t
type_word_end(struct java *j, size_t p, size_t known)
{
    if (!(j->word_from <= p && p <= j->word_at)) {
        j->word_from = p;
        j->word_at = p + known + type_word(j->h, p + known);
    }
    return j->word_at;
}

/* The method rule's ((?:type_word\s+)+?)(name)(\s*)(\() at a word start whose
 * type_word ends at te: the offset of the name, or (size_t)-1. The chain of
 * words it walks is remembered, so that a word start later in it is
 * answered at once. */
static size_t
method_name(struct java *j, size_t te)
{
    const struct hl *h = j->h;
    size_t w, sp = hl_space(h, te, true);
    if (!sp)
        return (size_t)-1;
    size_t node = te + sp;
    if (j->chain_lo <= node && node <= j->chain_hi)
        return j->chain_name;
    j->chain_lo = node;
    for (;;) {
        size_t n = name_at(h, node);
        if (n && hl_at(h, node + n + hl_space(h, node + n, true)) == '(') {
            j->chain_name = node;
            break;
        }
        j->chain_name = (size_t)-1;
        if (!n)
            break;
        w = n + type_word(h, node + n);   /* a name is the start of a type_word */
        sp = hl_space(h, node + w, true);
        if (!sp)
            break;
        node += w + sp;
    }
    j->chain_hi = node;
    return j->chain_name;
}

/* The end of the whitespace at p, remembered for the offsets it spans. */
static size_t
space_end(struct java *j, size_t p)
{
    if (!(j->space_from <= p && p <= j->space_at)) {
        j->space_from = p;
        j->space_at = p + hl_space(j->h, p, true);
    }
    return j->space_at;
}

/* True if s[p..p+n) is one of record's modifiers. */
static bool
modifier(const struct hl *h, size_t p, size_t n)
{
    const char *w = h->s + p;
    switch (n) {
    case 6: return !memcmp(w, "public", 6) || !memcmp(w, "static", 6);
    case 7: return !memcmp(w, "private", 7);
    case 8: return !memcmp(w, "strictfp", 8);
    case 9: return !memcmp(w, "protected", 9);
    default: return false;
    }
}

/* Where ^\s*(?:modifier\s+)* from the line start p ends; 'record' there
 * makes a record's declaration. Remembered for the line starts it spans. */
static size_t
lead_end(struct java *j, size_t p)
{
    const struct hl *h = j->h;
    if (j->lead_from <= p && p <= j->lead_at)
        return j->lead_at;
    size_t q = space_end(j, p), n, sp;
    /* every modifier starts with 'p' or 's' and is a whole ASCII word */
    while ((hl_at(h, q) == 'p' || hl_at(h, q) == 's') && modifier(h, q, n = ascii_word_len(h, q))
           && (sp = hl_space(h, q + n, true)))
        q += n + sp;
    j->lead_from = p;
    j->lead_at = q;
    return q;
}

/* [0-9][0-9_]* at p, or 0. */
static size_t
digits(const struct hl *h, size_t p)
{
    return hl_in(hl_at(h, p), "0123456789") ? hl_span(h, p, "0123456789_", (size_t)-1) : 0;
}

/* [0-9a-fA-F][0-9a-fA-F_]* at p, or 0. */
static size_t
hex_digits(const struct hl *h, size_t p)
{
    return hl_in(hl_at(h, p), HL_HEX) ? hl_span(h, p, HL_HEX "_", (size_t)-1) : 0;
}

/* [eE][+\-]?[0-9][0-9_]* at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p, const char *letters)
{
    if (!hl_in(hl_at(h, p), letters))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = digits(h, q);
    return d ? q + d - p : 0;
}

/* Pygments' Number.Float alternatives at p: the length, or 0. */
static size_t
float_len(const struct hl *h, size_t p)
{
    size_t a = digits(h, p), q, e, x;
    if ((a && hl_at(h, p + a) == '.') || (!a && hl_at(h, p) == '.' && digits(h, p + 1))) {
        q = p + a + 1;
        q += digits(h, q);
        q += exponent(h, q, "eE");
        return q + hl_in(hl_at(h, q), "fFdD") - p;
    }
    if (!a)
        return 0;
    if ((e = exponent(h, p + 1, "eE")))   /* one digit, then an exponent */
        return 1 + e + hl_in(hl_at(h, p + 1 + e), "fFdD");
    if (hl_in(hl_at(h, p + 1), "fFdD"))
        return 2;
    if (hl_at(h, p) != '0' || !hl_in(hl_at(h, p + 1), "xX"))
        return 0;
    q = p + 2;
    x = hex_digits(h, q);
    if (x && hl_in(hl_at(h, q + x + (hl_at(h, q + x) == '.')), "pP"))
        q += x + (hl_at(h, q + x) == '.');
    else if (hl_at(h, q + x) == '.' && (e = hex_digits(h, q + x + 1)))
        q += x + 1 + e;
    else
        return 0;
    if (!(e = exponent(h, q, "pP")))
        return 0;
    return q + e + hl_in(hl_at(h, q + e), "fFdD") - p;
}

/* A number at pos, emitted; false if there is none. */
static bool
number(struct hl *h)
{
    size_t p = h->pos, n;
    int x = hl_at(h, p + 1);
    enum hl_class cls = HL_MI;
    if ((n = float_len(h, p))) {
        hl_emit(h, HL_MF, n);
        return true;
    }
    if (hl_at(h, p) == '0' && hl_in(x, "xX") && (n = hex_digits(h, p + 2))) {
        cls = HL_MH;
        n += 2;
    } else if (hl_at(h, p) == '0' && hl_in(x, "bB") && hl_in(hl_at(h, p + 2), "01")) {
        cls = HL_MB;
        n = 3 + hl_span(h, p + 3, "01_", (size_t)-1);
    } else if (hl_at(h, p) == '0' && (n = hl_span(h, p + 1, "01234567_", (size_t)-1))) {
        cls = HL_MO;
        n += 1;
    } else if (hl_at(h, p) == '0') {
        hl_emit(h, HL_MI, 1);   /* 0 takes no suffix */
        return true;
    } else if (!(n = digits(h, p))) {
        return false;
    }
    hl_emit(h, cls, n + hl_in(hl_at(h, p + n), "lL"));
    return true;
}

/* The first '"' or '\\' at or after p, or end. */
static size_t
quote_or_backslash(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = load16(h, p);
        unsigned marks = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        if (marks)
            return p + (size_t)__builtin_ctz(marks);
    }
#endif
    while (p < h->end && h->s[p] != '"' && h->s[p] != '\\')
        p++;
    return p;
}

/* A string after its opening quote(s), to the closing quote (or """ for a
 * text block) or the end: all of it s, escapes too. */
static void
string(struct hl *h, bool block)
{
    size_t q = h->pos;
    while (q < h->end) {
        q = quote_or_backslash(h, q);
        char c = q < h->end ? h->s[q] : 0;
        if (c == '\\') {
            q += hl_in(hl_at(h, q + 1), "\\\"") ? 2 : 1;
        } else if (c == '"' && (!block || hl_starts(h, q, "\"\"\"", 3))) {
            q += block ? 3 : 1;
            break;
        } else if (c == '"') {
            q++;
        }
    }
    if (q > h->pos)
        hl_emit(h, HL_S, q - h->pos);
}

/* '\.' '[^\\]' '\uHHHH' at p: the length, or 0. */
static size_t
char_len(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n;
    if (p + 1 >= h->end)
        return 0;
    if (h->s[p + 1] == '\\') {
        if (p + 2 < h->end && hl_at(h, p + 2 + (n = hl_char(h, p + 2, &cp))) == '\'')
            return 3 + n;
        return hl_hex_escape(h, p + 1, 'u', 4) && hl_at(h, p + 7) == '\'' ? 8 : 0;
    }
    n = hl_char(h, p + 1, &cp);
    return hl_at(h, p + 1 + n) == '\'' ? 2 + n : 0;
}

/* ---- root ----------------------------------------------------------------------- */

/* The record rule, first in root, where ^\s* has run from a line start to q
 * (at pos or after whitespace from pos): after record's modifiers,
 * 'record' is kd and a class name follows. False if it does not match. */
static bool
record(struct java *j, size_t q)
{
    struct hl *h = j->h;
    size_t n = ascii_word_len(h, q), r = q;
    /* the usual first word, neither 'record' nor a modifier, decides at once */
    if (!(n == 6 && !memcmp(h->s + q, "record", 6))) {
        if (!modifier(h, q, n))
            return false;
        r = lead_end(j, q);
    }
    if (!(hl_at(h, r) == 'r' && hl_starts(h, r, "record", 6) && hl_boundary(h, r + 6)))
        return false;
    if (q > h->pos)
        hl_emit(h, HL_TEXT, q - h->pos);
    if (r > q)
        hl_sub(h, r, lex_java);
    hl_emit(h, HL_KD, 6);
    j->state = CLASS;
    return true;
}

/* ^(\s*)(default)(:) and the label rule, where \s* has run from a newline
 * that starts a line to q: the whitespace is text, default k, another name
 * nl. False if there is no name and ':' at q. */
static bool
label(struct java *j, size_t q)
{
    struct hl *h = j->h;
    size_t n = name_at(h, q);
    if (!n || hl_at(h, q + n) != ':')
        return false;
    if (q > h->pos)
        hl_emit(h, HL_TEXT, q - h->pos);
    bool dflt = n == 7 && hl_starts(h, q, "default", 7);
    hl_emit(h, dflt ? HL_K : HL_NL, n);
    hl_emit(h, HL_P, 1);
    return true;
}

/* At a line start p: record after whitespace and modifiers, or, where the
 * line is empty, default: or a label after the blank lines; for a first
 * character to decode. False if none. */
static bool
line_start(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos;
    if (record(j, space_end(j, p)))
        return true;
    return h->s[p] == '\n' && label(j, space_end(j, p));
}

/* Whitespace at pos, an ASCII \s byte, up to the next other character q:
 * text, all of it, but where a line starts in it (or at q) and the record
 * rule matches, or where a newline in it starts a line (an empty line) and
 * the label rule matches at q. Each of those rules' ^\s* runs to q from
 * wherever it starts. */
static void
blank(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, q = p;
    /* newlines: one in the run; one at a line start */
    unsigned starts = hl_line_start(h, p), newline = 0, empty_line = 0;
#ifdef __SSE2__
    for (; h->end - q >= 16; q += 16) {
        __m128i v = load16(h, q);
        __m128i space = _mm_or_si128(hl_bytes_in(v, '\t', 5), hl_bytes_in(v, 0x1c, 5));
        unsigned run = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(space));
        unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))
                      & ((1u << run) - 1);
        newline |= nl;
        empty_line |= nl & (nl << 1 | starts);
        if (run < 16) {
            q += run;   /* the loop below stops at once */
            break;
        }
        starts = nl >> 15;
    }
#endif
    for (; q < h->end && (ascii[(unsigned char)h->s[q]] & (J_SPACE | J_NEWLINE)); q++) {
        unsigned nl = h->s[q] == '\n';
        newline |= nl;
        empty_line |= nl & starts;
        starts = nl;
    }
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        goto decode;   /* \s goes on, perhaps */
    if (q < h->end) {
        int c = (unsigned char)h->s[q];
        if ((c == 'p' || c == 's' || c == 'r') && (newline || hl_line_start(h, p)) &&
            record(j, q))
            return;
        if (empty_line && label(j, q))
            return;
    }
    hl_emit(h, HL_TEXT, q - p);
    return;
decode:
    /* a character to decode: the run one rule at a time */
    if (hl_line_start(h, p) && line_start(j))
        return;
    hl_emit(h, HL_TEXT, h->s[p] == '\n' ? 1 : hl_space(h, p, false));
}

/* The word at pos, a name start: a keyword, a method's return type and
 * name, a declaration, a label at the line start, or a name. */
static void
word(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n, name, sp;
    int c = (unsigned char)h->s[p];
    if ((c == 'p' || c == 's' || c == 'r') && hl_line_start(h, p) && record(j, p))
        return;
    size_t w = ascii_word_len(h, p);
    int after = hl_at(h, p + w);
    if (after >= 0x80) {
        w = hl_word_run(h, p);
        after = hl_at(h, p + w);
    }
    /* every word of the table is lower-case ASCII; the whole \w run ends
     * at a word boundary */
    int kind = c >= 'a' && c <= 'z' && w <= LONGEST_WORD ? word_kind(h, p, w) : -1;
    if (kind == KEYWORD) {
        hl_emit(h, HL_K, w);
        return;
    }
    /* the method rule: its return type's first word runs on over [\w.\[\]$<>];
     * none follows without whitespace */
    size_t te = p + w;
    if (after >= 0 && (ascii[after] & (J_TYPE | J_DOLLAR))) {
        te = type_word_end(j, p, w);
        after = hl_at(h, te);
    }
    if ((after >= 0x80 || (after >= 0 && (ascii[after] & (J_SPACE | J_NEWLINE)))) &&
        (name = method_name(j, te)) != (size_t)-1) {
        hl_sub(h, name, lex_java);
        n = name_at(h, name);
        hl_emit(h, HL_NF, n);
        if ((sp = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, sp);
        hl_emit(h, HL_P, 1);
        return;
    }
    if (kind >= 0) {
        switch (kind) {
        case DECLARATION: hl_emit(h, HL_KD, w); return;
        case TYPE: hl_emit(h, HL_KT, w); return;
        case CONSTANT: hl_emit(h, HL_KC, w); return;
        case CLASS_WORD:
            hl_emit(h, HL_KD, w);
            j->state = CLASS;
            return;
        case PACKAGE: case VAR_WORD: case IMPORT_WORD:
            if (!(sp = hl_space(h, p + w, true)))
                break;
            if (kind == IMPORT_WORD && hl_starts(h, p + w + sp, "static", 6) &&
                (n = hl_space(h, p + w + sp + 6, true)))
                w += sp + 6, sp = n;
            hl_emit(h, kind == VAR_WORD ? HL_KD : HL_KN, w);
            hl_emit(h, HL_TEXT, sp);
            j->state = kind == VAR_WORD ? VAR : IMPORT;
            return;
        default: break;
        }
    }
    /* the name is the word unless '$' or UTF-8 goes on (or starts) it */
    after = hl_at(h, p + w);
    n = w && after != '$' && after < 0x80 ? w : name_len(h, p);
    if (hl_at(h, p + n) == ':' && hl_line_start(h, p)) {
        hl_emit(h, HL_NL, n);
        hl_emit(h, HL_P, 1);
        return;
    }
    hl_emit(h, HL_N, n);
}

/* The rules one by one at pos, for a first byte that first[] leaves to
 * them: one to decode, a control character. */
static void
other(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if (hl_line_start(h, p) && line_start(j))
        return;
    if (c != '\n' && (n = hl_space(h, p, false)))
        hl_emit(h, HL_TEXT, n);
    else if (name_start(h, p))
        word(j);
    else
        hl_emit(h, c == '\n' ? HL_TEXT : HL_ERR, hl_char(h, p, &(int32_t){0}));
}

/* After a token in root that ends at pos, on a line (not after a newline):
 * a single space before ASCII other than whitespace is text, as blank()
 * would find it, without a round of root for it. */
static inline void
single_space(struct hl *h)
{
    size_t p = h->pos;
    if (h->end - p >= 2 && h->s[p] == ' ') {
        unsigned char c = (unsigned char)h->s[p + 1];
        if (c < 0x80 && !(ascii[c] & (J_SPACE | J_NEWLINE)))
            hl_emit(h, HL_TEXT, 1);
    }
}

/* One token in root at pos, or a run of operators or punctuation. */
static void
root(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n, q;
    int c = (unsigned char)h->s[p], kind = first[c];
    /* the commonest first bytes decide at once */
    if (kind == R_WORD) {
        word(j);
        if (j->state == ROOT)
            single_space(h);
        return;
    }
    if (kind == R_BLANK) {
        blank(j);
        return;
    }
    switch (kind) {
    case R_OP: case R_PUNCT:
        for (q = p + 1; q < h->end && first[(unsigned char)h->s[q]] == kind; q++)
            ;
        hl_emit(h, kind == R_OP ? HL_O : HL_P, q - p);
        single_space(h);
        return;
    case R_SLASH:
        if (hl_at(h, p + 1) == '/' && (q = hl_line_end(h, p)) < h->end)
            hl_emit(h, HL_C1, q - p);   /* (//.*?)(\n) */
        else if (hl_at(h, p + 1) == '*' &&
                 (n = hl_seek(h, &j->comment_close, "*/", 2, p + 2)) != (size_t)-1)
            hl_emit(h, HL_CM, n + 2 - p);
        else
            hl_emit(h, HL_O, 1);
        return;
    case R_DOT:   /* (\.)(name), before the numbers */
        if ((n = name_at(h, p + 1))) {
            hl_emit(h, HL_P, 1);
            hl_emit(h, HL_NA, n);
        } else if (!number(h)) {
            hl_emit(h, HL_P, 1);
        }
        return;
    case R_DIGIT:
        number(h);   /* a digit always starts one */
        return;
    case R_QUOTE: {
        bool block = hl_starts(h, p, "\"\"\"\n", 4);
        hl_emit(h, HL_S, block ? 4 : 1);
        string(h, block);
        return;
    }
    case R_APOS:
        if ((n = char_len(h, p)))
            hl_emit(h, HL_SC, n);
        else
            hl_emit(h, HL_ERR, 1);
        return;
    case R_AT:   /* @[^\W\d][\w.]*, else no rule matches */
        if (hl_at(h, p + 1) != '$' && name_start(h, p + 1)) {
            n = 1 + hl_char(h, p + 1, &(int32_t){0});
            hl_emit(h, HL_ND, n + dotted_len(h, p + n));
        } else {
            hl_emit(h, HL_ERR, 1);
        }
        return;
    default:
        other(j);
        return;
    }
}

/* One token in class, var or import, which take a name and return to root;
 * other text is an error, but for newlines (and whitespace in class). */
static void
name_state(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    if (j->state == CLASS && (n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (j->state == IMPORT) {
        n = dotted_len(h, p);
        n += n && hl_at(h, p + n) == '*';
    } else {
        n = name_at(h, p);
    }
    if (n) {
        hl_emit(h, j->state == CLASS ? HL_NC : j->state == VAR ? HL_N : HL_NN, n);
        j->state = ROOT;
    } else if (h->s[p] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        j->state = ROOT;
    } else {
        hl_emit(h, HL_ERR, hl_char(h, p, &(int32_t){0}));
    }
}

void
lex_java(struct hl *h)
{
    struct java j = { .h = h, .state = ROOT, .comment_close = HL_SEEK_INIT,
                      .chain_lo = 1, .chain_hi = 0, .lead_from = 1, .lead_at = 0,
                      .space_from = 1, .space_at = 0, .word_from = 1, .word_at = 0 };
    while (h->pos < h->end) {
        if (j.state == ROOT)
            root(&j);
        else
            name_state(&j);
    }
}
