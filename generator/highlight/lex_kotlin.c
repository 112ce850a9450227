/* lex_kotlin.c: the Kotlin lexer of the highlighter, after Pygments'
 * KotlinLexer (pygments/lexers/jvm.py in Debian's Pygments 2.14) state by
 * state: comments, keywords (k), modifiers and declarations (kd), builtin
 * types (kt), the names after class, val, var and fun (nc, nv, nf),
 * attributes after a dot (na), annotations and labels (nd), strings with
 * ${...} and $name (si), characters (sc) and numbers (m). Like Pygments, a
 * number is one digit unless a point or a suffix follows. */
#include "lexer.h"
#include "lex_bytes.h"

#include "../base/utf8.h"

/* Pygments' states */
enum {
    ROOT, CLASS, VARIABLE, DESTRUCTURING, FUNCTION, GENERIC, STRING, MULTILINE_STRING,
    INTERPOLATION, SCOPE,
};

/* The words of root's rules: those of its keyword rules (KW_TYPE: kt,
 * also with a '?' right after it; KW_NAMESPACE: package and import, with
 * the name after them), then those that start a declaration, which are
 * names unless a declaration rule matches. NAME: a word not among them. */
enum kind {
    NAME, KW, KW_TYPE, KW_NAMESPACE,
    DECL_MOD,    /* a modifier */
    DECL_FUN,    /* fun */
    DECL_CLASS,  /* class, interface, object */
    DECL_VAR,    /* var, val */
};
/* The words at their slots of a perfect hash, so that a lookup looks at one
 * entry: a word's key is its first 8 bytes, NUL-padded, as a little-endian
 * integer, and its slot the top byte of key * WORD_HASH, a multiplier under
 * which no two of them share a slot. When the words change, try random odd
 * multipliers for such a one (about one in 200,000 is) and renumber the
 * slots. The words have 2 to 11 bytes. */
#define LONGEST_WORD 11
struct word {
    _Alignas(16) char w[LONGEST_WORD + 1];   /* NUL-padded */
    unsigned char cls;    /* an enum hl_class */
    unsigned char kind;   /* an enum kind */
};
#define W(w, cls, kind) { w, cls, kind }
#define WORD_HASH UINT64_C(0xce0707db68213147)
static const struct word word_table[256] = {
    [11] = W("Any", HL_KT, KW_TYPE), [247] = W("Boolean", HL_KT, KW_TYPE),
    [144] = W("Byte", HL_KT, KW_TYPE), [117] = W("Char", HL_KT, KW_TYPE),
    [97] = W("Double", HL_KT, KW_TYPE), [6] = W("Float", HL_KT, KW_TYPE),
    [84] = W("Int", HL_KT, KW_TYPE), [221] = W("Long", HL_KT, KW_TYPE),
    [243] = W("Short", HL_KT, KW_TYPE), [146] = W("String", HL_KT, KW_TYPE),
    [17] = W("Unit", HL_KT, KW_TYPE), [225] = W("abstract", HL_KD, DECL_MOD),
    [20] = W("actual", HL_KD, DECL_MOD), [206] = W("annotation", HL_KD, DECL_MOD),
    [57] = W("as", HL_K, KW), [194] = W("break", HL_K, KW), [49] = W("by", HL_K, KW),
    [12] = W("catch", HL_K, KW), [244] = W("class", HL_KD, DECL_CLASS),
    [197] = W("companion", HL_KD, DECL_MOD), [216] = W("const", HL_KD, DECL_MOD),
    [154] = W("constructor", HL_K, KW), [5] = W("continue", HL_K, KW),
    [74] = W("crossinline", HL_KD, DECL_MOD), [214] = W("data", HL_KD, DECL_MOD),
    [135] = W("do", HL_K, KW), [81] = W("dynamic", HL_K, KW), [87] = W("else", HL_K, KW),
    [80] = W("enum", HL_KD, DECL_MOD), [227] = W("expect", HL_KD, DECL_MOD),
    [245] = W("external", HL_KD, DECL_MOD), [182] = W("false", HL_KC, KW),
    [105] = W("final", HL_KD, DECL_MOD), [181] = W("finally", HL_K, KW),
    [162] = W("for", HL_K, KW), [173] = W("fun", HL_KD, DECL_FUN), [58] = W("get", HL_K, KW),
    [78] = W("if", HL_K, KW), [122] = W("import", HL_K, KW_NAMESPACE), [134] = W("in", HL_K, KW),
    [116] = W("infix", HL_KD, DECL_MOD), [42] = W("init", HL_K, KW),
    [171] = W("inline", HL_KD, DECL_MOD), [213] = W("inner", HL_KD, DECL_MOD),
    [95] = W("interface", HL_KD, DECL_CLASS), [231] = W("internal", HL_KD, DECL_MOD),
    [169] = W("is", HL_K, KW), [176] = W("it", HL_NB, KW), [15] = W("lateinit", HL_KD, DECL_MOD),
    [205] = W("noinline", HL_KD, DECL_MOD), [158] = W("null", HL_KC, KW),
    [38] = W("object", HL_KD, DECL_CLASS), [200] = W("open", HL_KD, DECL_MOD),
    [177] = W("operator", HL_KD, DECL_MOD), [27] = W("out", HL_K, KW),
    [159] = W("override", HL_KD, DECL_MOD), [203] = W("package", HL_K, KW_NAMESPACE),
    [143] = W("private", HL_KD, DECL_MOD), [90] = W("protected", HL_KD, DECL_MOD),
    [119] = W("public", HL_KD, DECL_MOD), [55] = W("reified", HL_K, KW),
    [253] = W("return", HL_K, KW), [233] = W("sealed", HL_KD, DECL_MOD),
    [226] = W("set", HL_K, KW), [34] = W("super", HL_K, KW), [224] = W("suspend", HL_KD, DECL_MOD),
    [83] = W("tailrec", HL_KD, DECL_MOD), [255] = W("this", HL_K, KW), [63] = W("throw", HL_K, KW),
    [164] = W("true", HL_KC, KW), [51] = W("try", HL_K, KW), [64] = W("typealias", HL_K, KW),
    [13] = W("typeof", HL_K, KW), [241] = W("val", HL_KD, DECL_VAR),
    [77] = W("value", HL_KD, DECL_MOD), [32] = W("var", HL_KD, DECL_VAR),
    [252] = W("vararg", HL_K, KW), [0] = W("when", HL_K, KW), [131] = W("where", HL_K, KW),
    [126] = W("while", HL_K, KW),
};
#undef W
/* The entry of the words not in the table */
static const struct word no_word = { "", HL_N, NAME };

/* The last chains measured of modifiers and fun (each followed by \s), from
 * their words at 'from', and of modifiers alone, from mods_from: they end
 * at end and mods_end, where the words after and after_mods are (with \s
 * after them, else no_word). So they do from a later word of theirs. */
struct chain {
    size_t from, end, mods_from, mods_end;
    const struct word *after, *after_mods;
    size_t after_len, after_mods_len;
};

struct kotlin {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek comment_end;
    struct chain chain;
    size_t label_from, label_end;   /* the last run of [\w.] measured */
    size_t bangs_from, bangs_end;   /* the last run of '!' measured */
};

/* ---- bytes, 16 at a time -------------------------------------------------------- */

/* The rules of root that a token starting with a byte can match: few can
 * match any one byte. */
enum first_rule {
    F_OTHER,      /* only a name (kt_id: '`'), else no rule */
    F_WORD,       /* [A-Za-z_]: keywords, labels, declarations, names */
    F_SPACE,      /* ASCII \s */
    F_HIGH,       /* bytes of UTF-8's multibyte characters: \s, else words */
    F_PUNCT,      /* ( ) ; , one byte of p each, so a run of them is one run */
    F_BRACE,      /* { }: p, one at a time, as 'interpolation' and 'scope' take them */
    F_OPERATOR,   /* one byte of o each, so a run of them is one run */
    F_SLASH,      /* comments, else an operator */
    F_BANG,       /* !in and !is, then !!, else an operator */
    F_QUESTION,   /* ?. and a name (na), ?: and ?., else an operator */
    F_DOT,        /* . and a name (na), else p */
    F_COLON,      /* ::, else p */
    F_AT,         /* an annotation */
    F_DIGIT,
    F_QUOTE,      /* a string */
    F_APOSTROPHE, /* a character */
    F_BACKSLASH,  /* a line continuation */
    F_HASH,       /* a hashbang comment */
};
#define HIGH_ROW(r) \
    [r] = F_HIGH, [r + 1] = F_HIGH, [r + 2] = F_HIGH, [r + 3] = F_HIGH, [r + 4] = F_HIGH, \
    [r + 5] = F_HIGH, [r + 6] = F_HIGH, [r + 7] = F_HIGH, [r + 8] = F_HIGH, [r + 9] = F_HIGH, \
    [r + 10] = F_HIGH, [r + 11] = F_HIGH, [r + 12] = F_HIGH, [r + 13] = F_HIGH, \
    [r + 14] = F_HIGH, [r + 15] = F_HIGH
static const unsigned char first_rule[256] = {
    HL_LETTER_BYTES(F_WORD), HL_DIGIT_BYTES(F_DIGIT),
    [' '] = F_SPACE, ['\t'] = F_SPACE, ['\n'] = F_SPACE, ['\r'] = F_SPACE, ['\v'] = F_SPACE,
    ['\f'] = F_SPACE, [0x1c] = F_SPACE, [0x1d] = F_SPACE, [0x1e] = F_SPACE,
    [0x1f] = F_SPACE,
    ['('] = F_PUNCT, [')'] = F_PUNCT, [';'] = F_PUNCT, [','] = F_PUNCT,
    ['{'] = F_BRACE, ['}'] = F_BRACE,
    ['~'] = F_OPERATOR, ['^'] = F_OPERATOR, ['*'] = F_OPERATOR, ['%'] = F_OPERATOR,
    ['&'] = F_OPERATOR, ['['] = F_OPERATOR, [']'] = F_OPERATOR, ['<'] = F_OPERATOR,
    ['>'] = F_OPERATOR, ['|'] = F_OPERATOR, ['+'] = F_OPERATOR, ['='] = F_OPERATOR,
    ['-'] = F_OPERATOR,
    ['/'] = F_SLASH, ['!'] = F_BANG, ['?'] = F_QUESTION, ['.'] = F_DOT, [':'] = F_COLON,
    ['@'] = F_AT, ['"'] = F_QUOTE, ['\''] = F_APOSTROPHE, ['\\'] = F_BACKSLASH,
    ['#'] = F_HASH,
    HIGH_ROW(0x80), HIGH_ROW(0x90), HIGH_ROW(0xa0), HIGH_ROW(0xb0),
    HIGH_ROW(0xc0), HIGH_ROW(0xd0), HIGH_ROW(0xe0), HIGH_ROW(0xf0),
};
#undef HIGH_ROW

#ifdef __SSE2__
#endif

/* The length of the run of [A-Za-z0-9_] and of the byte also at s, up to
 * 16 (also NUL: none). */
static inline size_t
word_or16(const unsigned char *s, unsigned char also)
{
#ifdef __SSE2__
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    if (!also)
        return hl_set_prefix(hl_word_bytes(v));
    __m128i also_bytes = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)also));
    return hl_set_prefix(_mm_or_si128(hl_word_bytes(v), also_bytes));
#else
    size_t n = 0;
    while (n < 16 && ((hl_ascii[s[n]] & HL_A_WORD) || (also && s[n] == also)))
        n++;
    return n;
#endif
}

/* The length of the run of ASCII [A-Za-z0-9_] and also (or NUL: none) at p. */
static size_t
ascii_word_or(const struct hl *h, size_t p, unsigned char also)
{
    unsigned char padded[16];
    size_t q = p, n;
    do {
        n = word_or16(hl_bytes16(h, q, padded), also);
        q += n;
    } while (n == 16);
    return q - p;
}

/* The length of the run of [\w] and also (or NUL: none) at p: [\w.]* and
 * [\w$]* of Pygments' rules. */
static size_t
word_or_len(const struct hl *h, size_t p, unsigned char also)
{
    size_t q = p, n;
    for (;;) {
        q += ascii_word_or(h, q, also);
        if (q < h->end && (unsigned char)h->s[q] >= 0x80 && (n = hl_word_run_utf8(h, q)))
            q += n;
        else
            return q - p;
    }
}

/* The offset of the first backslash, '"' or '$' at or after p, or end. */
static size_t
string_stop(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('$'))));
        unsigned found = (unsigned)_mm_movemask_epi8(stops);
        if (found)
            return p + (size_t)__builtin_ctz(found);
    }
#endif
    while (p < h->end && h->s[p] != '\\' && h->s[p] != '"' && h->s[p] != '$')
        p++;
    return p;
}

/* The offset of the first ASCII \s or byte >= 0x80 at or after p, or end. */
static size_t
ascii_nonspace_end(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        __m128i space = _mm_or_si128(hl_bytes_in(v, '\t', 5), hl_bytes_in(v, 0x1c, 5));
        __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128());
        unsigned found = (unsigned)_mm_movemask_epi8(_mm_or_si128(space, high));
        if (found)
            return p + (size_t)__builtin_ctz(found);
    }
#endif
    while (p < h->end && (unsigned char)h->s[p] < 0x80 &&
           !(hl_ascii[(unsigned char)h->s[p]] & HL_A_SPACE))
        p++;
    return p;
}

static inline uint32_t
load_le32(const void *s)
{
    uint32_t v;
    memcpy(&v, s, 4);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

/* The entry of word_table for the word w[0..n) (n <= LONGEST_WORD), where
 * w has 12 readable bytes, or no_word: the slot's word compared with w's
 * bytes masked to n (the entry's NULs after its word make lengths agree). */
static const struct word *
word_find(const unsigned char *w, size_t n)
{
    uint64_t head = hl_load_le64(w);
    uint32_t tail = load_le32(w + 8);
    if (n < 8) {
        head &= (UINT64_C(1) << (8 * n)) - 1;
        tail = 0;
    } else {
        tail &= (UINT32_C(1) << (8 * (n - 8))) - 1;
    }
    const struct word *e = &word_table[(head * WORD_HASH) >> 56];
    return head == hl_load_le64(e->w) && tail == load_le32(e->w + 8) ? e : &no_word;
}

/* The entry of the word of n bytes at p, or no_word. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t n)
{
    unsigned char padded[16];
    return n && n <= LONGEST_WORD ? word_find(hl_bytes16(h, p, padded), n) : &no_word;
}

/* ---- characters and names ------------------------------------------------------ */

/* True if cp lies in one of the count sorted ranges. */
static bool
in_ranges(int32_t cp, const int32_t (*r)[2], size_t count)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0])
            hi = mid;
        else if (cp > r[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Lu Ll Lt Lm Nl beyond ASCII (Pygments' unistring): letters without case
 * (Lo, as in CJK) are not among them. */
static const int32_t cased[][2] = {
    {0xb5, 0xb5}, {0xc0, 0xd6}, {0xd8, 0xf6}, {0xf8, 0x1ba}, {0x1bc, 0x1bf}, {0x1c4, 0x293},
    {0x295, 0x2c1}, {0x2c6, 0x2d1}, {0x2e0, 0x2e4}, {0x2ec, 0x2ec}, {0x2ee, 0x2ee},
    {0x370, 0x374}, {0x376, 0x377}, {0x37a, 0x37d}, {0x37f, 0x37f}, {0x386, 0x386},
    {0x388, 0x38a}, {0x38c, 0x38c}, {0x38e, 0x3a1}, {0x3a3, 0x3f5}, {0x3f7, 0x481},
    {0x48a, 0x52f}, {0x531, 0x556}, {0x559, 0x559}, {0x560, 0x588}, {0x640, 0x640},
    {0x6e5, 0x6e6}, {0x7f4, 0x7f5}, {0x7fa, 0x7fa}, {0x81a, 0x81a}, {0x824, 0x824},
    {0x828, 0x828}, {0x971, 0x971}, {0xe46, 0xe46}, {0xec6, 0xec6}, {0x10a0, 0x10c5},
    {0x10c7, 0x10c7}, {0x10cd, 0x10cd}, {0x10d0, 0x10fa}, {0x10fc, 0x10ff},
    {0x13a0, 0x13f5}, {0x13f8, 0x13fd}, {0x16ee, 0x16f0}, {0x17d7, 0x17d7},
    {0x1843, 0x1843}, {0x1aa7, 0x1aa7}, {0x1c78, 0x1c7d}, {0x1c80, 0x1c88},
    {0x1c90, 0x1cba}, {0x1cbd, 0x1cbf}, {0x1d00, 0x1dbf}, {0x1e00, 0x1f15},
    {0x1f18, 0x1f1d}, {0x1f20, 0x1f45}, {0x1f48, 0x1f4d}, {0x1f50, 0x1f57},
    {0x1f59, 0x1f59}, {0x1f5b, 0x1f5b}, {0x1f5d, 0x1f5d}, {0x1f5f, 0x1f7d},
    {0x1f80, 0x1fb4}, {0x1fb6, 0x1fbc}, {0x1fbe, 0x1fbe}, {0x1fc2, 0x1fc4},
    {0x1fc6, 0x1fcc}, {0x1fd0, 0x1fd3}, {0x1fd6, 0x1fdb}, {0x1fe0, 0x1fec},
    {0x1ff2, 0x1ff4}, {0x1ff6, 0x1ffc}, {0x2071, 0x2071}, {0x207f, 0x207f},
    {0x2090, 0x209c}, {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210a, 0x2113},
    {0x2115, 0x2115}, {0x2119, 0x211d}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212a, 0x212d}, {0x212f, 0x2134}, {0x2139, 0x2139},
    {0x213c, 0x213f}, {0x2145, 0x2149}, {0x214e, 0x214e}, {0x2160, 0x2188},
    {0x2c00, 0x2c2e}, {0x2c30, 0x2c5e}, {0x2c60, 0x2ce4}, {0x2ceb, 0x2cee},
    {0x2cf2, 0x2cf3}, {0x2d00, 0x2d25}, {0x2d27, 0x2d27}, {0x2d2d, 0x2d2d},
    {0x2d6f, 0x2d6f}, {0x2e2f, 0x2e2f}, {0x3005, 0x3005}, {0x3007, 0x3007},
    {0x3021, 0x3029}, {0x3031, 0x3035}, {0x3038, 0x303b}, {0x309d, 0x309e},
    {0x30fc, 0x30fe}, {0xa015, 0xa015}, {0xa4f8, 0xa4fd}, {0xa60c, 0xa60c},
    {0xa640, 0xa66d}, {0xa67f, 0xa69d}, {0xa6e6, 0xa6ef}, {0xa717, 0xa71f},
    {0xa722, 0xa788}, {0xa78b, 0xa78e}, {0xa790, 0xa7b9}, {0xa7f8, 0xa7fa},
    {0xa9cf, 0xa9cf}, {0xa9e6, 0xa9e6}, {0xaa70, 0xaa70}, {0xaadd, 0xaadd},
    {0xaaf3, 0xaaf4}, {0xab30, 0xab5a}, {0xab5c, 0xab65}, {0xab70, 0xabbf},
    {0xfb00, 0xfb06}, {0xfb13, 0xfb17}, {0xff21, 0xff3a}, {0xff41, 0xff5a},
    {0xff70, 0xff70}, {0xff9e, 0xff9f}, {0x10140, 0x10174}, {0x10341, 0x10341},
    {0x1034a, 0x1034a}, {0x103d1, 0x103d5}, {0x10400, 0x1044f}, {0x104b0, 0x104d3},
    {0x104d8, 0x104fb}, {0x10c80, 0x10cb2}, {0x10cc0, 0x10cf2}, {0x118a0, 0x118df},
    {0x12400, 0x1246e}, {0x16b40, 0x16b43}, {0x16e40, 0x16e7f}, {0x16f93, 0x16f9f},
    {0x16fe0, 0x16fe1}, {0x1d400, 0x1d454}, {0x1d456, 0x1d49c}, {0x1d49e, 0x1d49f},
    {0x1d4a2, 0x1d4a2}, {0x1d4a5, 0x1d4a6}, {0x1d4a9, 0x1d4ac}, {0x1d4ae, 0x1d4b9},
    {0x1d4bb, 0x1d4bb}, {0x1d4bd, 0x1d4c3}, {0x1d4c5, 0x1d505}, {0x1d507, 0x1d50a},
    {0x1d50d, 0x1d514}, {0x1d516, 0x1d51c}, {0x1d51e, 0x1d539}, {0x1d53b, 0x1d53e},
    {0x1d540, 0x1d544}, {0x1d546, 0x1d546}, {0x1d54a, 0x1d550}, {0x1d552, 0x1d6a5},
    {0x1d6a8, 0x1d6c0}, {0x1d6c2, 0x1d6da}, {0x1d6dc, 0x1d6fa}, {0x1d6fc, 0x1d714},
    {0x1d716, 0x1d734}, {0x1d736, 0x1d74e}, {0x1d750, 0x1d76e}, {0x1d770, 0x1d788},
    {0x1d78a, 0x1d7a8}, {0x1d7aa, 0x1d7c2}, {0x1d7c4, 0x1d7cb}, {0x1e900, 0x1e943},
};

/* Cf, Pc beyond '_', and Me, which utf8_classify counts among the marks. */
static const int32_t format[][2] = {
    {0xad, 0xad}, {0x600, 0x605}, {0x61c, 0x61c}, {0x6dd, 0x6dd}, {0x70f, 0x70f},
    {0x8e2, 0x8e2}, {0x180e, 0x180e}, {0x200b, 0x200f}, {0x202a, 0x202e},
    {0x2060, 0x2064}, {0x2066, 0x206f}, {0xfeff, 0xfeff}, {0xfff9, 0xfffb},
    {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
    {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
};
static const int32_t connector[][2] = {
    {0x203f, 0x2040}, {0x2054, 0x2054}, {0xfe33, 0xfe34}, {0xfe4d, 0xfe4f}, {0xff3f, 0xff3f},
};
static const int32_t enclosing[][2] = {
    {0x488, 0x489}, {0x1abe, 0x1abe}, {0x20dd, 0x20e0}, {0x20e2, 0x20e4}, {0xa670, 0xa672},
};
#define IN(cp, table) in_ranges((cp), (table), sizeof (table) / sizeof *(table))

/* The first character of a name: _, Lu Ll Lt Lm Nl. */
static bool
name_start(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    return IN(cp, cased);
}

/* The other characters of a name: also Nd Pc Cf Mn Mc. */
static bool
name_cont(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
               (cp >= '0' && cp <= '9');
    if (IN(cp, cased) || IN(cp, format) || IN(cp, connector))
        return true;
    enum utf8_class c = utf8_classify(cp);
    return c == UTF8_DIGIT || (c == UTF8_MARK && !IN(cp, enclosing));
}

/* Inside backquotes, also Zs and '~!%^&*()+=|[]:;,.<>/?- */
static bool
quoted_cont(int32_t cp)
{
    if (cp < 0x80 && hl_in(cp, " '~!%^&*()+=|[]:;,.<>/?-"))
        return true;
    return name_cont(cp) || (cp >= 0x80 && utf8_classify(cp) == UTF8_SEPARATOR &&
                             cp != 0x2028 && cp != 0x2029);
}

/* The run of characters at p for which ok is true. */
static size_t
run_of(const struct hl *h, size_t p, bool (*ok)(int32_t))
{
    size_t q = p;
    int32_t cp;
    while (q < h->end) {
        size_t n = hl_char(h, q, &cp);
        if (!ok(cp))
            break;
        q += n;
    }
    return q - p;
}

/* @?, a name_start, name_cont* (Pygments' kt_name), or with body for
 * backquotes. Its length at p, or 0. */
static size_t
name_body(const struct hl *h, size_t p, bool (*body)(int32_t))
{
    int32_t cp;
    size_t q = p + (hl_at(h, p) == '@');
    if (q >= h->end)
        return 0;
    size_t n = hl_char(h, q, &cp);
    if (!name_start(cp))
        return 0;
    q += n;
    if (body == name_cont) {   /* ASCII first, which \w and the name agree on */
        q += hl_ascii_word(h, q);
        if (q >= h->end || (unsigned char)h->s[q] < 0x80)
            return q - p;
    }
    return q + run_of(h, q, body) - p;
}

/* kt_id: a name, or a backquoted name that may hold spaces. Its length at
 * p, or 0. */
static size_t
kt_id(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c >= 0 && (hl_ascii[c] & HL_A_LETTER)) {   /* ASCII, as most names are */
        size_t q = p + 1 + hl_ascii_word(h, p + 1);
        if (q >= h->end || (unsigned char)h->s[q] < 0x80)
            return q - p;
    }
    if (c != '`')
        return name_body(h, p, name_cont);
    size_t n = name_body(h, p + 1, quoted_cont);
    return n && hl_at(h, p + 1 + n) == '`' ? n + 2 : 0;
}

/* [^\W\d] at p: \w but no digit. */
static bool
word_start(const struct hl *h, size_t p)
{
    int32_t cp;
    if (p >= h->end)
        return false;
    if ((unsigned char)h->s[p] < 0x80)
        return hl_ascii[(unsigned char)h->s[p]] & HL_A_LETTER;
    hl_char(h, p, &cp);
    return hl_cp_word(cp) && !hl_cp_digit(cp);
}

/* [\w$]* at p. */
static size_t
word_dollar_run(const struct hl *h, size_t p)
{
    return word_or_len(h, p, '$');
}

/* True if the word of n bytes at p is w. */
static bool
word_is(const struct hl *h, size_t p, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(h->s + p, w, n);
}

/* ---- modifiers and declarations -------------------------------------------------- */

/* The entry of the word of [a-z] at p if \s follows it, else no_word; *n
 * is its length. */
static const struct word *
spaced_word(const struct hl *h, size_t p, size_t *n)
{
    unsigned char padded[16];
    const unsigned char *text = hl_bytes16(h, p, padded);
    size_t len = 0;
    while (len <= LONGEST_WORD && text[len] >= 'a' && text[len] <= 'z')
        len++;
    *n = len;
    int next = hl_at(h, p + len);
    if (len > LONGEST_WORD || next == -1 ||
        (next < 0x80 ? !(hl_ascii[next] & HL_A_SPACE) : !hl_space(h, p + len, true)))
        return &no_word;
    return word_find(text, len);
}

#define BIT(kind) (1u << (kind))

/* The end of the chain from q of spaced words of kinds (a bit each), the
 * first of which is *w of *n bytes; *w and *n become the word there. */
static size_t
chain_walk(const struct hl *h, size_t q, unsigned kinds, const struct word **w, size_t *n)
{
    while (kinds >> (*w)->kind & 1) {
        q += *n + hl_space(h, q + *n, true);
        *w = spaced_word(h, q, n);
    }
    return q;
}

/* ((?:(?:modifiers|fun)\s+)*) and ((?:(?:modifiers)\s+)*) at p, where the
 * word w of n bytes, \s after it, starts: each measured once for the words
 * of its chain. */
static const struct chain *
measure_chain(struct kotlin *k, size_t p, const struct word *w, size_t n)
{
    const struct hl *h = k->h;
    struct chain *c = &k->chain;
    bool known = c->from <= p && p < c->end;
    if (known && c->mods_from <= p && p < c->mods_end)
        return c;
    c->mods_from = p;
    c->mods_end = chain_walk(h, p, BIT(DECL_MOD), &w, &n);
    c->after_mods = w;
    c->after_mods_len = n;
    if (!known) {   /* on from there past fun too */
        c->from = p;
        c->end = chain_walk(h, c->mods_end, BIT(DECL_MOD) | BIT(DECL_FUN), &w, &n);
        c->after = w;
        c->after_len = n;
    }
    return c;
}

/* The chain pos..e (its words kd), the keyword of n bytes (kd), its spaces;
 * then state. */
static void
declaration(struct kotlin *k, size_t e, size_t n, unsigned state)
{
    struct hl *h = k->h;
    while (h->pos < e) {
        size_t w = hl_ascii_word(h, h->pos);
        if (w)
            hl_emit(h, HL_KD, w);
        else
            hl_emit(h, HL_TEXT, hl_space(h, h->pos, true));
    }
    hl_emit(h, HL_KD, n);
    hl_emit(h, HL_TEXT, hl_space(h, h->pos, true));
    hl_stack_push(&k->st, state);
}

/* object : and the declarations with their modifiers at pos, where the
 * word w (of kind DECL_*) of n bytes starts; false if none matches. */
static bool
declarations(struct kotlin *k, const struct word *w, size_t n)
{
    struct hl *h = k->h;
    size_t p = h->pos, ws = hl_space(h, p + n, true), ws2;
    if (!ws)   /* each rule has \s after the first word */
        return false;
    int after = hl_at(h, p + n + ws);
    /* (object)(\s+)(:)(\s+) */
    if (w->kind == DECL_CLASS && h->s[p] == 'o' && after == ':' &&
        (ws2 = hl_space(h, p + n + ws + 1, true))) {
        hl_emit(h, HL_K, n);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_TEXT, ws2);
        hl_stack_push(&k->st, CLASS);
        return true;
    }
    const struct chain *c = measure_chain(k, p, w, n);
    /* types */
    if (c->after->kind == DECL_CLASS) {
        declaration(k, c->end, c->after_len, CLASS);
        return true;
    }
    /* (var|val)(\s+)(\() */
    if (w->kind == DECL_VAR && after == '(') {
        hl_emit(h, HL_KD, n);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_P, 1);
        hl_stack_push(&k->st, DESTRUCTURING);
        return true;
    }
    /* variables, functions */
    if (c->after_mods->kind == DECL_VAR || c->after_mods->kind == DECL_FUN) {
        declaration(k, c->mods_end, c->after_mods_len,
                    c->after_mods->kind == DECL_VAR ? VARIABLE : FUNCTION);
        return true;
    }
    return false;
}

/* ---- root ------------------------------------------------------------------------ */

/* [^\W\d][\w.]+@ at pos (a label): its length, or 0. The run of [\w.] is
 * remembered, as every word inside it ends where it does. */
static size_t
label(struct kotlin *k)
{
    const struct hl *h = k->h;
    size_t p = h->pos;
    if (!(k->label_from <= p && p < k->label_end)) {
        k->label_from = p;
        k->label_end = p + word_or_len(h, p, '.');
    }
    size_t n = k->label_end - p;
    int32_t cp;
    return n > hl_char(h, p, &cp) && hl_at(h, k->label_end) == '@' ? n + 1 : 0;
}

/* (package|import)(\s+)(\S+) at pos, the keyword n bytes. */
static bool
namespace(struct hl *h, size_t n)
{
    size_t p = h->pos, ws = hl_space(h, p + n, true), q;
    if (!ws || p + n + ws >= h->end)
        return false;
    for (q = p + n + ws; q < h->end;) {
        q = ascii_nonspace_end(h, q);
        if (q == h->end)
            break;
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80 && !(hl_ascii[c] & HL_A_SPACE))
            q++;
        else if (c < 0x80 || hl_space(h, q, true))
            break;
        else
            q += hl_char(h, q, &(int32_t){0});
    }
    hl_emit(h, HL_K, n);
    hl_emit(h, HL_TEXT, ws);
    hl_emit(h, HL_NN, q - h->pos);
    return true;
}

/* A name (kt_id) and Pygments' (\?[^.])? after it. */
static bool
name(struct hl *h, enum hl_class cls, bool nullable)
{
    size_t n = kt_id(h, h->pos);
    int32_t cp;
    if (!n)
        return false;
    if (nullable && hl_at(h, h->pos + n) == '?' && h->pos + n + 1 < h->end &&
        h->s[h->pos + n + 1] != '.')
        n += 1 + hl_char(h, h->pos + n + 1, &cp);
    hl_emit(h, cls, n);
    return true;
}

/* The rules of root that start with a word character, in Pygments' order:
 * keywords, types, constants, package and import, labels, declarations,
 * names. False if none matches. For any word (word() takes the ASCII
 * ones). */
static bool
word_slow(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n = hl_word_run(h, p), m;
    int next = hl_at(h, p + n);
    const struct word *w = lookup(h, p, n);
    if (w->kind == NAME)
        w = NULL;
    if (n == 2 && next == '?' && hl_starts(h, p, "as", 2)) {
        hl_emit(h, HL_K, 3);
        return true;
    }
    if (w && w->kind < DECL_MOD) {
        if (w->kind == KW_TYPE && next == '?')
            n++;
        if (w->kind != KW_NAMESPACE) {
            hl_emit(h, w->cls, n);
            return true;
        }
        if (namespace(h, n))
            return true;
    }
    /* a label's run of [\w.] can only go on past a '.' or a non-ASCII \w */
    if ((next == '.' || next == '@' || next >= 0x80) && word_start(h, p) && (m = label(k))) {
        hl_emit(h, HL_ND, m);
        return true;
    }
    if (w && w->kind >= DECL_MOD && declarations(k, w, n))
        return true;
    if (n && next < 0x80 && hl_ascii_word(h, p) == n && !(h->s[p] >= '0' && h->s[p] <= '9')) {
        /* an ASCII name, which kt_id takes whole */
        if (next == '?' && hl_at(h, p + n + 1) != '.' && p + n + 1 < h->end)
            n += 1 + hl_char(h, p + n + 1, &(int32_t){0});
        hl_emit(h, HL_N, n);
        return true;
    }
    return name(h, HL_N, true);
}

/* word_slow for a word of ASCII letters, digits and '_' that starts with a
 * letter or '_' at pos, the \w run being those bytes alone. */
static void
word(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n, m;
    unsigned char padded[16];
    const unsigned char *text = hl_bytes16(h, p, padded);
    n = word_or16(text, 0);
    if (n == 16)
        n += ascii_word_or(h, p + 16, 0);
    int next = hl_at(h, p + n);
    if (next >= 0x80) {   /* the run of \w may go on */
        if (!word_slow(k))
            hl_no_match(h, &k->st);
        return;
    }
    const struct word *w = n <= LONGEST_WORD ? word_find(text, n) : &no_word;
    /* as\? */
    if (n == 2 && next == '?' && text[0] == 'a' && text[1] == 's') {
        hl_emit(h, HL_K, 3);
        return;
    }
    /* keywords, it, types, constants, package and import */
    switch (w->kind) {
    case KW:
        hl_emit(h, w->cls, n);
        return;
    case KW_TYPE:
        hl_emit(h, w->cls, n + (next == '?'));
        return;
    case KW_NAMESPACE:
        if (namespace(h, n))
            return;
        break;
    default:
        break;
    }
    /* labels: their run of [\w.] only goes on past a '.' here */
    if ((next == '.' || next == '@') && (m = label(k))) {
        hl_emit(h, HL_ND, m);
        return;
    }
    if (w->kind >= DECL_MOD && declarations(k, w, n))
        return;
    /* a name (kt_id, all of the run) and (\?[^.])? */
    if (next == '?' && p + n + 1 < h->end && h->s[p + n + 1] != '.')
        n += 1 + hl_char(h, p + n + 1, &(int32_t){0});
    hl_emit(h, HL_N, n);
}

/* '\\.'|'[^\\]' at p: its length, or 0. */
static size_t
char_literal(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t q = p + 1 + (hl_at(h, p + 1) == '\\');
    if (q >= h->end)
        return 0;
    q += hl_char(h, q, &cp);
    return hl_at(h, q) == '\'' ? q + 1 - p : 0;
}

/* [0-9](\.[0-9]*)?([eE][+-][0-9]+)?[flFL]? at p, a digit. */
static size_t
number_len(const struct hl *h, size_t p)
{
    static const char digits[] = "0123456789";
    size_t q = p + 1, d;
    if (hl_at(h, q) == '.')
        q += 1 + hl_span(h, q + 1, digits, SIZE_MAX);
    if (hl_in(hl_at(h, q), "eE") && hl_in(hl_at(h, q + 1), "+-") &&
        (d = hl_span(h, q + 2, digits, SIZE_MAX)))
        q += 2 + d;
    return q + hl_in(hl_at(h, q), "flFL") - p;
}

/* The length of the run at p of bytes whose first rule is rule. */
static size_t
rule_run(const struct hl *h, size_t p, enum first_rule rule)
{
    size_t q = p + 1;
    while (q < h->end && first_rule[(unsigned char)h->s[q]] == rule)
        q++;
    return q - p;
}

/* No rule but perhaps a name (kt_id) at pos. */
static void
name_or_nothing(struct kotlin *k)
{
    if (!name(k->h, HL_N, true))
        hl_no_match(k->h, &k->st);
}

/* The rules of root, in Pygments' order among those that the byte at pos
 * can start: whitespace, comments, keywords, dot access, annotations,
 * labels, declarations, operators, punctuation, strings, characters,
 * numbers, names. One token when once, else tokens up to the end or to a
 * rule that pushes a state (a loop of its own spares a dispatch a token). */
static void
root(struct kotlin *k, bool once)
{
    struct hl *h = k->h;
    do {
        size_t p = h->pos, n;
        int c = (unsigned char)h->s[p], d = hl_at(h, p + 1);
        switch ((enum first_rule)first_rule[c]) {
        case F_WORD:
            word(k);
            break;
        case F_SPACE:
            hl_emit(h, HL_TEXT, hl_space_len(h, p));
            break;
        case F_PUNCT:
            hl_emit(h, HL_P, rule_run(h, p, F_PUNCT));
            break;
        case F_BRACE:
            hl_emit(h, HL_P, 1);
            break;
        case F_OPERATOR:
            hl_emit(h, HL_O, rule_run(h, p, F_OPERATOR));
            break;
        case F_HIGH:
            if ((n = hl_space(h, p, true)))
                hl_emit(h, HL_TEXT, n);
            else if (!word_slow(k))
                hl_no_match(h, &k->st);
            break;
        case F_SLASH:
            /* //.*?$ (where a newline follows), /[*].*?[*]/, else an operator */
            if (d == '/' && (n = hl_line_end(h, p)) < h->end)
                hl_emit(h, HL_C1, n - p);
            else if (d == '*' && (n = hl_seek(h, &k->comment_end, "*/", 2, p + 2)) != (size_t)-1)
                hl_emit(h, HL_CM, n + 2 - p);
            else
                hl_emit(h, HL_O, 1);
            break;
        case F_DOT:
            /* (\.)((?:[^\W\d]|\$)[\w$]*), else punctuation */
            hl_emit(h, HL_P, 1);
            if (d == '$' || word_start(h, p + 1))
                hl_emit(h, HL_NA, word_dollar_run(h, p + 1));
            break;
        case F_QUESTION:
            /* (\?\.)((?:[^\W\d]|\$)[\w$]*), \?[:.], else an operator */
            if (d == '.' && (hl_at(h, p + 2) == '$' || word_start(h, p + 2))) {
                hl_emit(h, HL_O, 2);
                hl_emit(h, HL_NA, word_dollar_run(h, p + 2));
            } else {
                hl_emit(h, HL_O, d == ':' || d == '.' ? 2 : 1);
            }
            break;
        case F_COLON:
            if (d == ':')
                hl_emit(h, HL_O, 2);
            else
                hl_emit(h, HL_P, 1);
            break;
        case F_BANG:
            /* [!]*in\b, [!]*is\b, then !!, else an operator */
            /* the run of '!' measured once, not again from each !! of it */
            if (!(k->bangs_from <= p && p < k->bangs_end)) {
                k->bangs_from = p;
                k->bangs_end = p + hl_span(h, p, "!", SIZE_MAX);
            }
            n = k->bangs_end - p;
            if ((hl_starts(h, p + n, "in", 2) || hl_starts(h, p + n, "is", 2)) &&
                hl_boundary(h, p + n + 2))
                hl_emit(h, HL_K, n + 2);
            else
                hl_emit(h, HL_O, d == '!' ? 2 : 1);
            break;
        case F_AT:
            /* @[^\W\d][\w.]* */
            if (word_start(h, p + 1)) {
                n = 1 + hl_char(h, p + 1, &(int32_t){0});
                hl_emit(h, HL_ND, n + word_or_len(h, p + n, '.'));
            } else {
                name_or_nothing(k);
            }
            break;
        case F_QUOTE: {
            bool triple = hl_starts(h, p, "\"\"\"", 3);
            hl_emit(h, HL_S, triple ? 3 : 1);
            hl_stack_push(&k->st, triple ? MULTILINE_STRING : STRING);
            break;
        }
        case F_APOSTROPHE:
            if ((n = char_literal(h, p)))
                hl_emit(h, HL_SC, n);
            else
                name_or_nothing(k);
            break;
        case F_DIGIT:
            hl_emit(h, HL_M, number_len(h, p));
            break;
        case F_BACKSLASH:
            /* \\$: a line continuation */
            if (d == -1 || d == '\n')
                hl_emit(h, HL_SE, 1);
            else
                name_or_nothing(k);
            break;
        case F_HASH:
            /* ^#!/.+?$ (where a newline follows) */
            if (hl_starts(h, p, "#!/", 3) && hl_line_start(h, p) && p + 3 < h->end &&
                (n = hl_line_end(h, p + 4)) < h->end)
                hl_emit(h, HL_C1, n - p);
            else
                name_or_nothing(k);
            break;
        case F_OTHER:
            name_or_nothing(k);
            break;
        }
    } while (!once && h->pos < h->end && k->st.depth == 1);   /* root is the bottom alone */
}

/* ---- the states after declarations -------------------------------------------------- */

/* 'class' and 'variable': a name, then back. */
static void
declared_name(struct kotlin *k, enum hl_class cls)
{
    if (name(k->h, cls, false))
        hl_stack_pop(&k->st);
    else
        hl_no_match(k->h, &k->st);
}

static void
destructuring(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n, ws;
    int c = h->s[p];
    if (c == ',') {
        hl_emit(h, HL_P, 1);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (name(h, HL_NV, false)) {
        return;
    } else if (c == ':' && (ws = hl_space(h, p + 1, true)) && (n = kt_id(h, p + 1 + ws))) {
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_N, n);
    } else if (c == '<') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&k->st, GENERIC);
    } else if (c == ')') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&k->st);
    } else {
        hl_no_match(h, &k->st);
    }
}

static void
function(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n = kt_id(h, p), m;
    if (h->s[p] == '<') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&k->st, GENERIC);
    } else if (n && hl_at(h, p + n) == '.' && (m = kt_id(h, p + n + 1))) {
        hl_emit(h, HL_N, n);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_NF, m);
        hl_stack_pop(&k->st);
    } else if (n) {
        hl_emit(h, HL_NF, n);
        hl_stack_pop(&k->st);
    } else {
        hl_no_match(h, &k->st);
    }
}

static void
generic(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if (c == '>') {
        hl_emit(h, HL_O, 1);
        if ((n = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, n);
        hl_stack_pop(&k->st);
    } else if (c == ':' || c == ',') {
        hl_emit(h, HL_P, 1);
    } else if ((n = hl_word_run(h, p)) &&
               (word_is(h, p, n, "reified") || word_is(h, p, n, "out") ||
                word_is(h, p, n, "in"))) {
        hl_emit(h, HL_K, n);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (!name(h, HL_N, false)) {
        hl_no_match(h, &k->st);
    }
}

/* ---- strings --------------------------------------------------------------------------- */

/* 'string_common': backslashes, ${ and $name (si), other text. */
static void
string_common(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if (c == '\\') {
        hl_emit(h, HL_S, hl_in(hl_at(h, p + 1), "\\\"") ? 2 : 1);
    } else if (c == '$' && hl_at(h, p + 1) == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&k->st, INTERPOLATION);
    } else if (c == '$' && (n = hl_word_run(h, p + 1))) {
        hl_emit(h, HL_SI, 1);
        hl_emit(h, HL_N, n);
    } else if (c == '$') {
        hl_no_match(h, &k->st);
    } else {
        hl_emit(h, HL_S, string_stop(h, p) - p);
    }
}

static void
string(struct kotlin *k, bool triple)
{
    struct hl *h = k->h;
    size_t p = h->pos;
    if (h->s[p] != '"') {
        string_common(k);
    } else if (!triple || hl_starts(h, p, "\"\"\"", 3)) {
        hl_emit(h, HL_S, triple ? 3 : 1);
        hl_stack_pop(&k->st);
    } else {
        hl_emit(h, HL_S, 1);
    }
}

/* 'interpolation' and 'scope': braces, then root. */
static void
braces(struct kotlin *k, bool interpolation)
{
    struct hl *h = k->h;
    size_t p = h->pos;
    int c = h->s[p];
    if (interpolation && c == '"') {
        hl_emit(h, HL_S, 1);
    } else if (interpolation && c == '$' && hl_at(h, p + 1) == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&k->st, INTERPOLATION);
    } else if (c == '{') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&k->st, SCOPE);
    } else if (c == '}') {
        hl_emit(h, interpolation ? HL_SI : HL_P, 1);
        hl_stack_pop(&k->st);
    } else {
        root(k, true);
    }
}

void
lex_kotlin(struct hl *h)
{
    struct kotlin k = {
        .h = h, .comment_end = HL_SEEK_INIT, .chain = { .from = 1, .mods_from = 1 },
        .label_from = 1, .label_end = 0, .bangs_from = 1, .bangs_end = 0,
    };
    hl_stack_init(&k.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&k.st)) {
        case ROOT: root(&k, false); break;
        case CLASS: declared_name(&k, HL_NC); break;
        case VARIABLE: declared_name(&k, HL_NV); break;
        case DESTRUCTURING: destructuring(&k); break;
        case FUNCTION: function(&k); break;
        case GENERIC: generic(&k); break;
        case STRING: string(&k, false); break;
        case MULTILINE_STRING: string(&k, true); break;
        case INTERPOLATION: braces(&k, true); break;
        case SCOPE: braces(&k, false); break;
        }
    }
    hl_stack_dispose(&k.st);
}
