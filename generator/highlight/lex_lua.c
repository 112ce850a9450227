/* lex_lua.c: the Lua lexer of the highlighter, after Pygments' LuaLexer
 * (pygments/lexers/scripting.py, Debian's 2.14) rule by rule: long comments
 * and strings ([==[ ]==]), quoted strings with escapes (se), keywords,
 * function names (nf, nc), labels (nl), and the builtins of _lua_builtins
 * (nb), 'a.b' split into two names as Pygments splits it. */
#include "lexer.h"
#include "lex_bytes.h"

#include <stdlib.h>

/* Pygments' states ('root' is only the hashbang at the start; 'sqs' and
 * 'dqs' run inside 'base', in quoted_string) */
enum { BASE, FUNCNAME, GOTO, LABEL };

/* The closers ]=*] of the text, bucketed by level (the number of '='),
 * each bucket sorted: built at the first long bracket, so that finding the
 * closer of any level costs a binary search, whatever the openers. */
struct closers {
    bool built;
    size_t levels;
    size_t *first;   /* levels + 1 offsets into pos */
    size_t *pos;
};

struct lua {
    struct hl *h;
    struct hl_stack st;
    struct closers cl;
};

/* ---- words ------------------------------------------------------------------------ */

/* The words without a dot: the keywords (pushing a state or not), the
 * builtins of pygments.lexers._lua_builtins.MODULES (nb) and the modules of
 * the dotted ones (n), in word_table at their slots of a perfect hash: a
 * word's key is its first 8 bytes, NUL-padded, as a little-endian integer,
 * and its slot the top byte of key * WORD_HASH, a multiplier under which no
 * two words share a slot. A lookup looks at that one entry. When words
 * change, try random odd multipliers for such a one (one in a few hundred
 * is) and number the slots again. */
enum { NAME, KEYWORD, MODULE };
struct word {
    _Alignas(32) unsigned char w[16];   /* NUL-padded, for word_find's 8-byte loads */
    unsigned char cls;      /* an enum hl_class */
    unsigned char next;     /* the state a keyword pushes, or BASE for none */
    unsigned char kind;     /* KEYWORD, NAME (n or nb), or MODULE: the first half of dotted nb */
};
#define W(w, cls, next) { w, cls, next, cls == HL_NB ? NAME : cls == HL_N ? MODULE : KEYWORD }
#define WORD_HASH UINT64_C(0x5c92426e803d7eb1)
static const struct word word_table[256] = {
    [234] = W("_G", HL_NB, BASE), [237] = W("_VERSION", HL_NB, BASE),
    [223] = W("and", HL_OW, BASE), [48] = W("assert", HL_NB, BASE), [150] = W("bit32", HL_N, BASE),
    [63] = W("break", HL_KR, BASE), [219] = W("collectgarbage", HL_NB, BASE),
    [52] = W("coroutine", HL_N, BASE), [100] = W("debug", HL_N, BASE),
    [147] = W("do", HL_KR, BASE), [187] = W("dofile", HL_NB, BASE), [169] = W("else", HL_KR, BASE),
    [195] = W("elseif", HL_KR, BASE), [81] = W("end", HL_KR, BASE), [65] = W("error", HL_NB, BASE),
    [143] = W("false", HL_KC, BASE), [226] = W("for", HL_KR, BASE),
    [83] = W("function", HL_KR, FUNCNAME), [196] = W("getmetatable", HL_NB, BASE),
    [173] = W("goto", HL_KR, GOTO), [62] = W("if", HL_KR, BASE), [208] = W("in", HL_KR, BASE),
    [98] = W("io", HL_N, BASE), [46] = W("ipairs", HL_NB, BASE), [206] = W("load", HL_NB, BASE),
    [103] = W("loadfile", HL_NB, BASE), [33] = W("local", HL_KD, BASE),
    [211] = W("math", HL_N, BASE), [176] = W("next", HL_NB, BASE), [202] = W("nil", HL_KC, BASE),
    [75] = W("not", HL_OW, BASE), [69] = W("or", HL_OW, BASE), [215] = W("os", HL_N, BASE),
    [28] = W("package", HL_N, BASE), [251] = W("pairs", HL_NB, BASE),
    [243] = W("pcall", HL_NB, BASE), [119] = W("print", HL_NB, BASE),
    [129] = W("rawequal", HL_NB, BASE), [112] = W("rawget", HL_NB, BASE),
    [40] = W("rawlen", HL_NB, BASE), [158] = W("rawset", HL_NB, BASE),
    [10] = W("repeat", HL_KR, BASE), [184] = W("require", HL_NB, BASE),
    [15] = W("return", HL_KR, BASE), [94] = W("select", HL_NB, BASE),
    [27] = W("setmetatable", HL_NB, BASE), [156] = W("string", HL_N, BASE),
    [2] = W("table", HL_N, BASE), [13] = W("then", HL_KR, BASE), [91] = W("tonumber", HL_NB, BASE),
    [66] = W("tostring", HL_NB, BASE), [8] = W("true", HL_KC, BASE),
    [188] = W("type", HL_NB, BASE), [174] = W("until", HL_KR, BASE), [57] = W("utf8", HL_N, BASE),
    [131] = W("warn", HL_NB, BASE), [232] = W("while", HL_KR, BASE),
    [252] = W("xpcall", HL_NB, BASE),
};
/* The entry of the names not in the table */
static const struct word no_word = { "", HL_N, BASE, NAME };
#undef W

/* The entry of word_table for w[0..n) (ASCII \w, no dot, n < 16), where w has
 * 16 readable bytes, or no_word: the slot's word compared with the 16
 * bytes masked to n (its NULs after it make the lengths agree too). */
static const struct word *
word_find(const unsigned char *w, size_t n)
{
    /* n bytes of 0xff from ones + 16 - n, then NULs: a mask of w's bytes */
    static const unsigned char ones[32] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    uint64_t lo = hl_load_le64(w) & hl_load_le64(ones + 16 - n);
    uint64_t hi = hl_load_le64(w + 8) & hl_load_le64(ones + 24 - n);
    const struct word *e = &word_table[(lo * WORD_HASH) >> 56];
    return (lo ^ hl_load_le64(e->w)) | (hi ^ hl_load_le64(e->w + 8)) ? &no_word : e;
}

/* The dotted builtins (nb), looked up only after a module's name. */
static const char *const dotted[] = {
    "bit32.arshift", "bit32.band", "bit32.bnot", "bit32.bor", "bit32.btest",
    "bit32.bxor", "bit32.extract", "bit32.lrotate", "bit32.lshift", "bit32.replace",
    "bit32.rrotate", "bit32.rshift", "coroutine.close", "coroutine.create",
    "coroutine.isyieldable", "coroutine.resume", "coroutine.running",
    "coroutine.status", "coroutine.wrap", "coroutine.yield", "debug.debug",
    "debug.gethook", "debug.getinfo", "debug.getlocal", "debug.getmetatable",
    "debug.getregistry", "debug.getupvalue", "debug.getuservalue", "debug.sethook",
    "debug.setlocal", "debug.setmetatable", "debug.setupvalue", "debug.setuservalue",
    "debug.traceback", "debug.upvalueid", "debug.upvaluejoin", "io.close", "io.flush",
    "io.input", "io.lines", "io.open", "io.output", "io.popen", "io.read", "io.stderr",
    "io.stdin", "io.stdout", "io.tmpfile", "io.type", "io.write", "math.abs",
    "math.acos", "math.asin", "math.atan", "math.atan2", "math.ceil", "math.cos",
    "math.cosh", "math.deg", "math.exp", "math.floor", "math.fmod", "math.frexp",
    "math.huge", "math.ldexp", "math.log", "math.max", "math.maxinteger", "math.min",
    "math.mininteger", "math.modf", "math.pi", "math.pow", "math.rad", "math.random",
    "math.randomseed", "math.sin", "math.sinh", "math.sqrt", "math.tan", "math.tanh",
    "math.tointeger", "math.type", "math.ult", "os.clock", "os.date", "os.difftime",
    "os.execute", "os.exit", "os.getenv", "os.remove", "os.rename", "os.setlocale",
    "os.time", "os.tmpname", "package.config", "package.cpath", "package.loaded",
    "package.loadlib", "package.path", "package.preload", "package.searchers",
    "package.searchpath", "string.byte", "string.char", "string.dump", "string.find",
    "string.format", "string.gmatch", "string.gsub", "string.len", "string.lower",
    "string.match", "string.pack", "string.packsize", "string.rep", "string.reverse",
    "string.sub", "string.unpack", "string.upper", "table.concat", "table.insert",
    "table.move", "table.pack", "table.remove", "table.sort", "table.unpack",
    "utf8.char", "utf8.charpattern", "utf8.codepoint", "utf8.codes", "utf8.len",
    "utf8.offset",
};
static struct hl_words dotted_index = HL_WORDS(dotted);

/* Bits of lua_bytes: the runs that hl_skip scans, and the classes that
 * the fast paths test a byte for. */
enum {
    B_WORD = 1, B_SPACE = 2, B_OPERATOR = 4, B_PUNCT = 8,
    B_HIGH = 16,   /* bytes of UTF-8's multibyte characters, for the slow paths */
};
#define HIGH_ROW(r) \
    [r] = B_HIGH, [r + 1] = B_HIGH, [r + 2] = B_HIGH, [r + 3] = B_HIGH, [r + 4] = B_HIGH, \
    [r + 5] = B_HIGH, [r + 6] = B_HIGH, [r + 7] = B_HIGH, [r + 8] = B_HIGH, [r + 9] = B_HIGH, \
    [r + 10] = B_HIGH, [r + 11] = B_HIGH, [r + 12] = B_HIGH, [r + 13] = B_HIGH, \
    [r + 14] = B_HIGH, [r + 15] = B_HIGH
static const unsigned char lua_bytes[256] = {
    HL_LETTER_BYTES(B_WORD), HL_DIGIT_BYTES(B_WORD),
    [' '] = B_SPACE, ['\t'] = B_SPACE, ['\n'] = B_SPACE, ['\r'] = B_SPACE, ['\v'] = B_SPACE,
    ['\f'] = B_SPACE, [0x1c] = B_SPACE, [0x1d] = B_SPACE, [0x1e] = B_SPACE,
    [0x1f] = B_SPACE,
    [']'] = B_PUNCT, ['{'] = B_PUNCT, ['}'] = B_PUNCT, ['('] = B_PUNCT, [')'] = B_PUNCT,
    [','] = B_PUNCT, [';'] = B_PUNCT,
    ['='] = B_OPERATOR, ['<'] = B_OPERATOR, ['>'] = B_OPERATOR, ['|'] = B_OPERATOR,
    ['~'] = B_OPERATOR, ['&'] = B_OPERATOR, ['+'] = B_OPERATOR, ['-'] = B_OPERATOR,
    ['*'] = B_OPERATOR, ['/'] = B_OPERATOR, ['%'] = B_OPERATOR, ['#'] = B_OPERATOR,
    ['^'] = B_OPERATOR,
    HIGH_ROW(0x80), HIGH_ROW(0x90), HIGH_ROW(0xa0), HIGH_ROW(0xb0),
    HIGH_ROW(0xc0), HIGH_ROW(0xd0), HIGH_ROW(0xe0), HIGH_ROW(0xf0),
};
#undef HIGH_ROW

/* The rules of 'base' that a token starting with a byte can match: few
 * can match any one byte. */
enum first_rule {
    F_NONE,       /* \s and \d of other scripts (bytes >= 0x80), else no rule */
    F_WORD,       /* keywords and names: [A-Za-z_] (tested before the others) */
    F_SPACE,      /* ASCII \s */
    F_MINUS,      /* a comment, else an operator */
    F_OPERATOR,
    F_DIGIT,
    F_DOT,        /* .5, ..., .., . */
    F_BRACKET,    /* a long string, else '[' */
    F_COLON,      /* '::' enters 'label', else ':' */
    F_PUNCT,      /* one byte each, so a run of them is a run of p */
    F_QUOTE,
};
static const unsigned char first_rule[256] = {
    HL_LETTER_BYTES(F_WORD), HL_DIGIT_BYTES(F_DIGIT),
    [' '] = F_SPACE, ['\t'] = F_SPACE, ['\n'] = F_SPACE, ['\r'] = F_SPACE, ['\v'] = F_SPACE,
    ['\f'] = F_SPACE, [0x1c] = F_SPACE, [0x1d] = F_SPACE, [0x1e] = F_SPACE,
    [0x1f] = F_SPACE,
    ['-'] = F_MINUS,
    ['='] = F_OPERATOR, ['<'] = F_OPERATOR, ['>'] = F_OPERATOR, ['|'] = F_OPERATOR,
    ['~'] = F_OPERATOR, ['&'] = F_OPERATOR, ['+'] = F_OPERATOR, ['*'] = F_OPERATOR,
    ['/'] = F_OPERATOR, ['%'] = F_OPERATOR, ['#'] = F_OPERATOR, ['^'] = F_OPERATOR,
    ['.'] = F_DOT, ['['] = F_BRACKET, [':'] = F_COLON,
    [']'] = F_PUNCT, ['{'] = F_PUNCT, ['}'] = F_PUNCT, ['('] = F_PUNCT, [')'] = F_PUNCT,
    [','] = F_PUNCT, [';'] = F_PUNCT,
    ['\''] = F_QUOTE, ['"'] = F_QUOTE,
};

/* ---- runs of bytes, 16 at a time ------------------------------------------------- */

#ifdef __SSE2__
#endif

/* The offset of the first '\n' at or after p, or end. */
static size_t
line_end(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        unsigned newlines = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        if (newlines)
            return p + (size_t)__builtin_ctz(newlines);
    }
#endif
    return hl_line_end(h, p);
}

/* The offset of the first quote or backslash at or after p, or end. */
static size_t
string_stop(const struct hl *h, size_t p, unsigned char quote)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)quote)),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        unsigned found = (unsigned)_mm_movemask_epi8(stops);
        if (found)
            return p + (size_t)__builtin_ctz(found);
    }
#endif
    while (p < h->end && h->s[p] != (char)quote && h->s[p] != '\\')
        p++;
    return p;
}

/* ---- long brackets ------------------------------------------------------------ */

static int
cmp_pair(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Finds every ]=*] of the text once. */
static void
closers_build(struct closers *cl, const struct hl *h)
{
    size_t n = 0, cap = 64, *pairs = xmalloc(cap * 2 * sizeof *pairs), levels = 0;
    for (size_t i = h->base; i < h->end; i++) {
        const char *hit = memchr(h->s + i, ']', h->end - i);
        if (!hit)
            break;
        i = (size_t)(hit - h->s);
        size_t k = hl_span(h, i + 1, "=", (size_t)-1);
        if (hl_at(h, i + 1 + k) != ']')
            continue;
        if (n == cap) {
            cap *= 2;
            size_t *more = xmalloc(cap * 2 * sizeof *more);
            memcpy(more, pairs, n * 2 * sizeof *more);
            free(pairs);
            pairs = more;
        }
        pairs[2 * n] = k;
        pairs[2 * n + 1] = i;
        n++;
        if (k + 1 > levels)
            levels = k + 1;
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
    cl->levels = levels;
    cl->first = xmalloc((levels + 1) * sizeof *cl->first);
    cl->pos = xmalloc((n ? n : 1) * sizeof *cl->pos);
    for (size_t l = 0, j = 0; l <= levels; l++) {
        cl->first[l] = j;
        while (j < n && pairs[2 * j] == l) {
            cl->pos[j] = pairs[2 * j + 1];
            j++;
        }
    }
    free(pairs);
    cl->built = true;
}

/* The first closer of level at or after from, or (size_t)-1. */
static size_t
closer_at(struct lua *l, size_t level, size_t from)
{
    struct closers *cl = &l->cl;
    if (!cl->built)
        closers_build(cl, l->h);
    if (level >= cl->levels)
        return (size_t)-1;
    size_t lo = cl->first[level], hi = cl->first[level + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cl->pos[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cl->first[level + 1] ? cl->pos[lo] : (size_t)-1;
}

/* The length of the long bracket [=*[ ... ]=*] at p, or 0. */
static __attribute__((noinline)) size_t
long_bracket(struct lua *l, size_t p)
{
    struct hl *h = l->h;
    if (hl_at(h, p) != '[')
        return 0;
    size_t k = hl_span(h, p + 1, "=", (size_t)-1);
    if (hl_at(h, p + 1 + k) != '[')
        return 0;
    size_t c = closer_at(l, k, p + k + 2);
    return c == (size_t)-1 ? 0 : c + k + 2 - p;
}

/* ---- whitespace and comments ('ws') ------------------------------------------------ */

/* The length of the comment at p, long or to the end of its line, or 0. */
static __attribute__((noinline)) size_t
comment_len(struct lua *l, size_t p, bool *is_long)
{
    struct hl *h = l->h;
    if (!hl_starts(h, p, "--", 2))
        return 0;
    size_t n = hl_at(h, p + 2) == '[' ? long_bracket(l, p + 2) : 0;
    *is_long = n != 0;
    return n ? n + 2 : line_end(h, p) - p;
}

/* 'ws' at pos (< end): \s+ or a comment, emitted; false if neither. */
static __attribute__((noinline)) bool
ws(struct lua *l)
{
    struct hl *h = l->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    bool is_long;
    if ((lua_bytes[c] & (B_SPACE | B_HIGH)) && (n = hl_space_len(h, p)))
        hl_emit(h, HL_TEXT, n);
    else if (c == '-' && (n = comment_len(l, p, &is_long)))
        hl_emit(h, is_long ? HL_CM : HL_C1, n);
    else
        return false;
    return true;
}

/* [^\W\d]\w*: its length at p, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    int32_t cp;
    if (p >= h->end)
        return 0;
    if (hl_ascii[(unsigned char)h->s[p]] & HL_A_LETTER)   /* ASCII's [^\W\d] */
        return 1 + hl_word_len(h, p + 1);
    size_t n = hl_char(h, p, &cp);
    if (!hl_cp_word(cp) || hl_cp_digit(cp))
        return 0;
    return n + hl_word_run(h, p + n);
}

/* ---- numbers ---------------------------------------------------------------------- */

static bool
is_hex(int c)
{
    return (unsigned)(c - '0') < 10 || (unsigned)((c | 32) - 'a') < 6;
}

static size_t
hex_run(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && is_hex((unsigned char)h->s[q]))
        q++;
    return q - p;
}

/* [eE][+-]?\d+ (letter e) or [pP][+-]?\d+ (p) at p: its length, or 0. */
static size_t
exponent(const struct hl *h, size_t p, char letter)
{
    if ((hl_at(h, p) | 32) != letter)
        return 0;
    size_t q = p + 1 + (hl_at(h, p + 1) == '+' || hl_at(h, p + 1) == '-'), d = hl_digits(h, q);
    return d ? q + d - p : 0;
}

/* The rules for numbers, in Pygments' order; false if none matched. */
static __attribute__((noinline)) bool
number(struct hl *h)
{
    size_t p = h->pos, q, d1, d2;
    int c = hl_at(h, p);
    if (c == '0' && (hl_at(h, p + 1) | 32) == 'x') {
        q = p + 2 + hex_run(h, p + 2);
        if (hl_at(h, q) == '.')
            q += 1 + hex_run(h, q + 1);
        q += exponent(h, q, 'p');
        hl_emit(h, HL_MH, q - p);
        return true;
    }
    d1 = hl_digits(h, p);
    if (hl_at(h, p + d1) == '.' && ((d2 = hl_digits(h, p + d1 + 1)) || d1)) {
        q = p + d1 + 1 + d2;
        hl_emit(h, HL_MF, q + exponent(h, q, 'e') - p);
    } else if (d1 && (q = exponent(h, p + d1, 'e'))) {
        hl_emit(h, HL_MF, d1 + q);
    } else if (d1) {
        hl_emit(h, HL_MI, d1);
    } else {
        return false;
    }
    return true;
}

/* ---- the states ------------------------------------------------------------------- */

/* The name rule [A-Za-z_]\w*(\.[A-Za-z_]\w*)? for the name from pos to q,
 * whose entry in word_table is e (or no_word): a builtin (nb) whole, else
 * its names (n) and the dot between them (p). */
static void
name(struct hl *h, const struct word *e, size_t q)
{
    const char *s = h->s;
    size_t p = h->pos;
    if (q + 1 < h->end && s[q] == '.' && (hl_ascii[(unsigned char)s[q + 1]] & HL_A_LETTER)) {
        size_t b = 1 + hl_word_len(h, q + 2);
        if (e->kind == MODULE && hl_words_find(&dotted_index, s + p, q + 1 + b - p) >= 0) {
            hl_emit(h, HL_NB, q + 1 + b - p);
            return;
        }
        hl_emit(h, HL_N, q - p);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_N, b);
        return;
    }
    hl_emit(h, e->cls, q - p);
}

/* The escape of 'stringescape' at p (a backslash): its length, or 0. */
static size_t
escape_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p + 1);
    size_t n;
    if (hl_in(c, "abfnrtv\\\"'"))
        return 2;
    if (c == '\r' || c == '\n')
        return 2 + hl_in(hl_at(h, p + 2), "\r\n");
    if (c == 'z')
        return 2 + hl_space(h, p + 2, true);
    if (c == 'x')
        return hl_hex_escape(h, p, 'x', 2);
    if (c == 'u' && hl_at(h, p + 2) == '{' && (n = hex_run(h, p + 3)) &&
        hl_at(h, p + 3 + n) == '}')
        return n + 4;
    /* \d{1,3}, \d of any script */
    size_t q = p + 1;
    for (int k = 0; k < 3 && q < h->end; k++) {
        int32_t cp;
        n = hl_char(h, q, &cp);
        if (!hl_cp_digit(cp))
            break;
        q += n;
    }
    return q > p + 1 ? q - p : 0;
}

/* A quoted string from its opening quote at pos to its closing quote or
 * the end of the text: 'sqs' or 'dqs', 'stringescape' at a backslash, else
 * the quote, else the run up to either. Nothing in them enters a state or
 * resets the stack, so they run here rather than on the stack, and a
 * string without escapes is one token. */
static __attribute__((noinline)) void
quoted_string(struct lua *l, unsigned char quote)
{
    struct hl *h = l->h;
    enum hl_class cls = quote == '"' ? HL_S2 : HL_S1;
    size_t p = h->pos + 1, n;
    for (;;) {
        size_t q = string_stop(h, p, quote);
        if (q == h->end || h->s[q] == quote) {
            q += q < h->end;
            if (q > h->pos)
                hl_emit(h, cls, q - h->pos);
            return;
        }
        if (q > h->pos)
            hl_emit(h, cls, q - h->pos);
        if ((n = escape_len(h, q)))
            hl_emit(h, HL_SE, n);
        else
            hl_no_match(h, &l->st);
        p = h->pos;
    }
}

/* 'base', a token at a time by its first byte, until a rule enters
 * another state or the text ends. */
static void
base(struct lua *l)
{
    struct hl *h = l->h;
    const unsigned char *s = (const unsigned char *)h->s;
    const size_t end = h->end;
    unsigned char padded[16];
    size_t p, n;
    bool is_long;
    while ((p = h->pos) < end) {
        unsigned char c = s[p];
        enum first_rule rule = first_rule[c];
        if (rule == F_SPACE) {   /* \s+ ('ws'), mostly one space, then the token after it */
            const unsigned char *w = hl_bytes16(h, p, padded);
            n = hl_space16(w);
            if (n == 16 || w[n] >= 0x80)   /* longer, or other spaces */
                n = hl_space_len(h, p);
            hl_emit(h, HL_TEXT, n);
            if ((p += n) == end)
                return;
            c = s[p];
            rule = first_rule[c];
        }
        if (rule == F_WORD) {
            /* a word, then while a single space and another word follow, those:
             * the commonest tokens, without going round the loop */
            for (;;) {
                const unsigned char *w = hl_bytes16(h, p, padded);
                n = hl_word16(w);
                if (n == 16 || w[n] >= 0x80) {
                    size_t more = hl_word_len(h, p + n);
                    if (n == 16 || more) {   /* longer, or other letters, than the table's */
                        name(h, &no_word, p + n + more);
                        break;
                    }
                }
                /* a keyword (ended by a boundary, as w[n] is ASCII), else the name rule */
                const struct word *e = word_find(w, n);
                if (e->kind == KEYWORD) {
                    hl_emit(h, e->cls, n);
                    if (e->next != BASE) {
                        hl_stack_push(&l->st, e->next);
                        return;
                    }
                } else if (w[n] == '.') {
                    name(h, e, p + n);
                    break;
                } else {
                    hl_emit(h, e->cls, n);
                }
                p += n;
                if (w[n] != ' ' || p + 1 == end || first_rule[s[p + 1]] != F_WORD)
                    break;
                hl_emit(h, HL_TEXT, 1);
                p++;
            }
            continue;
        }
        switch (rule) {
        case F_WORD:   /* above */
        case F_SPACE:
            break;
        case F_MINUS:   /* a comment ('ws') before the operators */
            if ((n = comment_len(l, p, &is_long)))
                hl_emit(h, is_long ? HL_CM : HL_C1, n);
            else
                hl_emit(h, HL_O, hl_skip(h, p + 1, lua_bytes, B_OPERATOR) - p);
            break;
        case F_OPERATOR:
            hl_emit(h, HL_O, hl_skip(h, p + 1, lua_bytes, B_OPERATOR) - p);
            break;
        case F_DIGIT:
            number(h);
            break;
        case F_DOT:   /* .5, then ... (p), .. (o), . (p) */
            if (number(h))
                break;
            if (hl_at(h, p + 1) != '.')
                hl_emit(h, HL_P, 1);
            else if (hl_at(h, p + 2) == '.')
                hl_emit(h, HL_P, 3);
            else
                hl_emit(h, HL_O, 2);
            break;
        case F_BRACKET:   /* a long string before '[' */
            n = long_bracket(l, p);
            hl_emit(h, n ? HL_S : HL_P, n ? n : 1);
            break;
        case F_COLON:
            if (hl_at(h, p + 1) == ':') {
                hl_emit(h, HL_P, 2);
                hl_stack_push(&l->st, LABEL);
                return;
            }
            hl_emit(h, HL_P, 1);
            break;
        case F_PUNCT:
            hl_emit(h, HL_P, hl_skip(h, p + 1, lua_bytes, B_PUNCT) - p);
            break;
        case F_QUOTE:
            quoted_string(l, c);
            break;
        case F_NONE:
            if (c < 0x80 || !(ws(l) || number(h)))
                hl_no_match(h, &l->st);
        }
    }
}

/* Whether [.:] follows p after spaces and comments: (?=_s*[.:]). */
static bool
dot_follows(struct lua *l, size_t p)
{
    struct hl *h = l->h;
    size_t n;
    bool is_long;
    for (;;) {
        int c = hl_at(h, p);
        if (c < 0 || !((lua_bytes[c] & (B_SPACE | B_HIGH)) || c == '-'))   /* the usual */
            return c == '.' || c == ':';
        if ((n = hl_space_len(h, p)) || (n = comment_len(l, p, &is_long)))
            p += n;
        else
            return hl_in(c, ".:");
    }
}

/* 'funcname', after 'function': its spaces and comments, then the token
 * after them, in one go. */
static __attribute__((noinline)) void
funcname(struct lua *l)
{
    struct hl *h = l->h;
    size_t p, n;
    while (h->pos < h->end && ws(l))
        continue;
    if ((p = h->pos) == h->end)
        return;
    if (hl_in(h->s[p], ".:")) {
        hl_emit(h, HL_P, 1);
    } else if ((n = name_len(h, p))) {
        bool cls = dot_follows(l, p + n);
        hl_emit(h, cls ? HL_NC : HL_NF, n);
        if (!cls)
            hl_stack_pop(&l->st);
    } else if (h->s[p] == '(') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&l->st);
    } else {
        hl_no_match(h, &l->st);
    }
}

/* 'goto' and 'label': a label name (nl), after which goto pops. */
static __attribute__((noinline)) void
label(struct lua *l, bool in_goto)
{
    struct hl *h = l->h;
    size_t p = h->pos, n;
    if (ws(l))
        return;
    if (!in_goto && hl_starts(h, p, "::", 2)) {
        hl_emit(h, HL_P, 2);
        hl_stack_pop(&l->st);
    } else if ((n = name_len(h, p))) {
        hl_emit(h, HL_NL, n);
        if (in_goto)
            hl_stack_pop(&l->st);
    } else {
        hl_no_match(h, &l->st);
    }
}

static void
step(struct lua *l)
{
    switch (hl_stack_top(&l->st)) {
    case FUNCNAME: funcname(l); break;
    case GOTO: label(l, true); break;
    case LABEL: label(l, false); break;
    default: base(l);   /* until it enters a state */
    }
}

void
lex_lua(struct hl *h)
{
    struct lua l = { .h = h };
    if (hl_starts(h, h->pos, "#!", 2))
        hl_emit(h, HL_CP, hl_line_end(h, h->pos) - h->pos);
    hl_stack_init(&l.st, BASE);
    while (h->pos < h->end)
        step(&l);
    hl_stack_dispose(&l.st);
    if (l.cl.built) {
        free(l.cl.first);
        free(l.cl.pos);
    }
}
