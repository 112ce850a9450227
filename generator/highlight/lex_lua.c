/* lex_lua.c: the Lua lexer of the highlighter, after Pygments' LuaLexer
 * (pygments/lexers/scripting.py, Debian's 2.14) rule by rule: long comments
 * and strings ([==[ ]==]), quoted strings with escapes (se), keywords,
 * function names (nf, nc), labels (nl), and the builtins of _lua_builtins
 * (nb), 'a.b' split into two names as Pygments splits it. */
#include "lexer.h"

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
 * the dotted ones (n). Sorted by strcmp after an empty word that no lookup
 * matches; word_slot indexes them. */
enum { LONGEST_WORD = 14 };   /* "collectgarbage" */
enum { KEYWORD, BUILTIN, MODULE };
static const struct word {
    char w[16];             /* padded with NULs, for word_find's 8-byte loads */
    unsigned char len;
    unsigned char cls;      /* an enum hl_class */
    unsigned char next;     /* the state a keyword pushes, or BASE for none */
    unsigned char kind;     /* KEYWORD, BUILTIN, or MODULE: the first half of dotted builtins */
} words[] = {
#define W(w, cls, next) \
    { w, sizeof w - 1, cls, next, cls == HL_NB ? BUILTIN : cls == HL_N ? MODULE : KEYWORD }
    W("", HL_N, BASE),
    W("_G", HL_NB, BASE), W("_VERSION", HL_NB, BASE), W("and", HL_OW, BASE),
    W("assert", HL_NB, BASE), W("bit32", HL_N, BASE), W("break", HL_KR, BASE),
    W("collectgarbage", HL_NB, BASE), W("coroutine", HL_N, BASE),
    W("debug", HL_N, BASE), W("do", HL_KR, BASE), W("dofile", HL_NB, BASE),
    W("else", HL_KR, BASE), W("elseif", HL_KR, BASE), W("end", HL_KR, BASE),
    W("error", HL_NB, BASE), W("false", HL_KC, BASE), W("for", HL_KR, BASE),
    W("function", HL_KR, FUNCNAME), W("getmetatable", HL_NB, BASE),
    W("goto", HL_KR, GOTO), W("if", HL_KR, BASE), W("in", HL_KR, BASE),
    W("io", HL_N, BASE), W("ipairs", HL_NB, BASE), W("load", HL_NB, BASE),
    W("loadfile", HL_NB, BASE), W("local", HL_KD, BASE), W("math", HL_N, BASE),
    W("next", HL_NB, BASE), W("nil", HL_KC, BASE), W("not", HL_OW, BASE),
    W("or", HL_OW, BASE), W("os", HL_N, BASE), W("package", HL_N, BASE),
    W("pairs", HL_NB, BASE), W("pcall", HL_NB, BASE), W("print", HL_NB, BASE),
    W("rawequal", HL_NB, BASE), W("rawget", HL_NB, BASE),
    W("rawlen", HL_NB, BASE), W("rawset", HL_NB, BASE), W("repeat", HL_KR, BASE),
    W("require", HL_NB, BASE), W("return", HL_KR, BASE),
    W("select", HL_NB, BASE), W("setmetatable", HL_NB, BASE),
    W("string", HL_N, BASE), W("table", HL_N, BASE), W("then", HL_KR, BASE),
    W("tonumber", HL_NB, BASE), W("tostring", HL_NB, BASE),
    W("true", HL_KC, BASE), W("type", HL_NB, BASE), W("until", HL_KR, BASE),
    W("utf8", HL_N, BASE), W("warn", HL_NB, BASE), W("while", HL_KR, BASE),
    W("xpcall", HL_NB, BASE),
#undef W
};

/* A perfect hash of the words, so that a lookup looks at one entry: the
 * key packs a word's first, middle (w[n / 2]) and last byte and its
 * length, and word_slot[(key * WORD_HASH) >> 24] is the index in words of
 * the only word whose key can land there, or 0 (the empty word).
 * WORD_HASH is a multiplier under which no two words' keys land in one
 * slot: when words change, try random odd ones for such a multiplier (one
 * in a few hundred is) and fill word_slot again. */
#define WORD_HASH 0x8c9cf441u
static const unsigned char word_slot[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0, 21,  0,  0, 46,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0, 14,  0,  0,  0,  0,  6,  0,  0,  0,
     0, 18,  0, 32, 23,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0, 11,  0,  0,  0,  0,  0,  0, 25, 56,  0, 28,  0,  0, 13, 55,
     0, 26,  0, 34,  0,  0,  0,  0,  0,  0, 45, 24,  0, 36, 40,  0,
     0,  0,  0, 41,  0, 27, 47,  0, 50,  0,  0,  0,  0, 12,  0, 57,
     0,  0,  0,  0,  0, 10,  0,  4, 15,  0,  0,  0,  0,  0,  0, 48,
     0,  0,  7,  0,  0, 19,  0,  0,  0,  0,  0,  0,  0,  0, 43,  0,
     0,  0,  0,  0,  0,  2,  0,  0,  0,  0,  0,  0,  0,  9,  0,  0,
     0,  0,  0, 22,  0,  0,  0,  0,  0,  0, 30, 49, 17,  0, 20,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 29,
     0,  0, 54,  0, 33,  0,  0,  0,  0,  0,  0,  0,  0, 42,  0,  0,
     0,  0,  8, 53,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0, 44, 52,  0,  0, 37,  0,  0,  0,  0,  0,  0,  0,  0,
    16,  0,  0, 35,  3,  0,  0,  0,  0, 31, 51,  0,  5,  0,  0,  0,
     0,  0,  0, 58,  0,  0,  1, 39,  0, 38,  0,  0,  0,  0,  0,  0,
};

/* The entry of words for w[0..n) (ASCII \w, no dot; end is the end of
 * the text), or NULL: one slot to look at and, where 16 bytes of text
 * remain, compared without a branch per byte. */
static const struct word *
word_find(const char *w, size_t n, const char *end)
{
    /* n bytes of 0xff from ones + 16 - n, then NULs: a mask of w's bytes */
    static const unsigned char ones[32] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    if (n < 2 || n > LONGEST_WORD)   /* no word has one letter: most names in loops do */
        return NULL;
    uint32_t key = (uint32_t)(unsigned char)w[0] | (uint32_t)(unsigned char)w[n / 2] << 8 |
                   (uint32_t)(unsigned char)w[n - 1] << 16 | (uint32_t)n << 24;
    const struct word *e = &words[word_slot[(uint32_t)(key * WORD_HASH) >> 24]];
    if (end - w >= 16) {
        uint64_t t0, t1, w0, w1, m0, m1;
        memcpy(&t0, w, 8);
        memcpy(&t1, w + 8, 8);
        memcpy(&w0, e->w, 8);
        memcpy(&w1, e->w + 8, 8);
        memcpy(&m0, ones + 16 - n, 8);
        memcpy(&m1, ones + 24 - n, 8);
        return ((t0 ^ w0) & m0) | ((t1 ^ w1) & m1) | (e->len ^ n) ? NULL : e;
    }
    if (e->len != n)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (e->w[i] != w[i])
            return NULL;
    return e;
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

/* Bits of lua_bytes: the runs that hl_skip and hl_skip_to scan. */
enum {
    B_WORD = 1, B_SPACE = 2, B_OPERATOR = 4, B_PUNCT = 8, B_SQS_STOP = 16, B_DQS_STOP = 32,
};
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
    ['\\'] = B_SQS_STOP | B_DQS_STOP, ['\''] = B_SQS_STOP, ['"'] = B_DQS_STOP,
};

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
static size_t
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
static size_t
comment_len(struct lua *l, size_t p, bool *is_long)
{
    struct hl *h = l->h;
    if (!hl_starts(h, p, "--", 2))
        return 0;
    size_t n = hl_at(h, p + 2) == '[' ? long_bracket(l, p + 2) : 0;
    *is_long = n != 0;
    return n ? n + 2 : hl_line_end(h, p) - p;
}

static bool
ws(struct lua *l)
{
    struct hl *h = l->h;
    size_t n;
    bool is_long;
    if ((n = hl_space(h, h->pos, true)))
        hl_emit(h, HL_TEXT, n);
    else if ((n = comment_len(l, h->pos, &is_long)))
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
        return 1 + hl_word_run(h, p + 1);
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
static bool
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

/* The word at pos, which starts with [A-Za-z_], scanned once and looked up
 * once: a keyword ended by a boundary, else the name rule
 * [A-Za-z_]\w*(\.[A-Za-z_]\w*)?, a builtin (nb) whole, else its names (n)
 * and the dot between them (p). True if it entered a state. */
static bool
word(struct lua *l)
{
    struct hl *h = l->h;
    const char *s = h->s;
    size_t p = h->pos, q = hl_skip(h, p + 1, lua_bytes, B_WORD), b, n = 0;
    const struct word *w = NULL;
    if (q < h->end && (unsigned char)s[q] >= 0x80)
        n = hl_word_run_utf8(h, q);
    if (!n)   /* no word of the table has other letters than ASCII's */
        w = word_find(s + p, q - p, s + h->end);
    q += n;
    if (w && w->kind == KEYWORD) {
        hl_emit(h, w->cls, q - p);
        if (w->next == BASE)
            return false;
        hl_stack_push(&l->st, w->next);
        return true;
    }
    if (q + 1 < h->end && s[q] == '.' && (hl_ascii[(unsigned char)s[q + 1]] & HL_A_LETTER)) {
        b = 1 + hl_word_run(h, q + 2);
        if (w && w->kind == MODULE && hl_words_find(&dotted_index, s + p, q + 1 + b - p) >= 0) {
            hl_emit(h, HL_NB, q + 1 + b - p);
            return false;
        }
        hl_emit(h, HL_N, q - p);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_N, b);
        return false;
    }
    hl_emit(h, w && w->kind == BUILTIN ? HL_NB : HL_N, q - p);
    return false;
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
static void
quoted_string(struct lua *l, unsigned char quote)
{
    struct hl *h = l->h;
    enum hl_class cls = quote == '"' ? HL_S2 : HL_S1;
    unsigned stops = quote == '"' ? B_DQS_STOP : B_SQS_STOP;
    size_t p = h->pos + 1, n;
    for (;;) {
        size_t q = hl_skip_to(h, p, lua_bytes, stops);
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
    bool is_long;
    while (h->pos < h->end) {
        size_t p = h->pos, q, n;
        unsigned char c = (unsigned char)h->s[p];
        if (first_rule[c] == F_WORD) {   /* the commonest, and no other rule starts so */
            if (word(l))
                return;
            continue;
        }
        if (c == ' ' && p + 1 < h->end && !(lua_bytes[(unsigned char)h->s[p + 1]] & B_SPACE) &&
            (unsigned char)h->s[p + 1] < 0x80) {   /* the next commonest: \s+ of one space */
            hl_emit(h, HL_TEXT, 1);
            continue;
        }
        switch ((enum first_rule)first_rule[c]) {
        case F_WORD:   /* above */
            break;
        case F_SPACE:   /* \s+ ('ws') */
            q = hl_skip(h, p + 1, lua_bytes, B_SPACE);
            if (q < h->end && (unsigned char)h->s[q] >= 0x80)
                q += hl_space_run(h, q, true);
            hl_emit(h, HL_TEXT, q - p);
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
        if ((n = hl_space(h, p, true)) || (n = comment_len(l, p, &is_long)))
            p += n;
        else
            return hl_in(hl_at(h, p), ".:");
    }
}

static void
funcname(struct lua *l)
{
    struct hl *h = l->h;
    size_t p = h->pos, n;
    if (ws(l))
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
static void
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
