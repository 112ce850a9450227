/* lex_lua.c: the Lua lexer of the highlighter, after Pygments' LuaLexer
 * (pygments/lexers/scripting.py, Debian's 2.14) rule by rule: long comments
 * and strings ([==[ ]==]), quoted strings with escapes (se), keywords,
 * function names (nf, nc), labels (nl), and the builtins of _lua_builtins
 * (nb), 'a.b' split into two names as Pygments splits it. */
#include "lexer.h"

#include <stdlib.h>

/* Pygments' states ('root' is only the hashbang at the start) */
enum { BASE, FUNCNAME, GOTO, LABEL, SQS, DQS };

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

/* The keywords (pushing a state or not), the builtins of
 * pygments.lexers._lua_builtins.MODULES (nb), and the modules of the dotted
 * ones (n), looked up once per word. Sorted by strcmp. */
static const struct word {
    const char *w;
    enum hl_class cls;
    unsigned char next;     /* the state a keyword pushes, or BASE for none */
    unsigned char module;   /* the first half of dotted builtins */
} words[] = {
    {"_G", HL_NB, BASE, 0}, {"_VERSION", HL_NB, BASE, 0}, {"and", HL_OW, BASE, 0},
    {"assert", HL_NB, BASE, 0}, {"bit32", HL_N, BASE, 1},
    {"bit32.arshift", HL_NB, BASE, 0}, {"bit32.band", HL_NB, BASE, 0},
    {"bit32.bnot", HL_NB, BASE, 0}, {"bit32.bor", HL_NB, BASE, 0},
    {"bit32.btest", HL_NB, BASE, 0}, {"bit32.bxor", HL_NB, BASE, 0},
    {"bit32.extract", HL_NB, BASE, 0}, {"bit32.lrotate", HL_NB, BASE, 0},
    {"bit32.lshift", HL_NB, BASE, 0}, {"bit32.replace", HL_NB, BASE, 0},
    {"bit32.rrotate", HL_NB, BASE, 0}, {"bit32.rshift", HL_NB, BASE, 0},
    {"break", HL_KR, BASE, 0}, {"collectgarbage", HL_NB, BASE, 0},
    {"coroutine", HL_N, BASE, 1}, {"coroutine.close", HL_NB, BASE, 0},
    {"coroutine.create", HL_NB, BASE, 0}, {"coroutine.isyieldable", HL_NB, BASE, 0},
    {"coroutine.resume", HL_NB, BASE, 0}, {"coroutine.running", HL_NB, BASE, 0},
    {"coroutine.status", HL_NB, BASE, 0}, {"coroutine.wrap", HL_NB, BASE, 0},
    {"coroutine.yield", HL_NB, BASE, 0}, {"debug", HL_N, BASE, 1},
    {"debug.debug", HL_NB, BASE, 0}, {"debug.gethook", HL_NB, BASE, 0},
    {"debug.getinfo", HL_NB, BASE, 0}, {"debug.getlocal", HL_NB, BASE, 0},
    {"debug.getmetatable", HL_NB, BASE, 0}, {"debug.getregistry", HL_NB, BASE, 0},
    {"debug.getupvalue", HL_NB, BASE, 0}, {"debug.getuservalue", HL_NB, BASE, 0},
    {"debug.sethook", HL_NB, BASE, 0}, {"debug.setlocal", HL_NB, BASE, 0},
    {"debug.setmetatable", HL_NB, BASE, 0}, {"debug.setupvalue", HL_NB, BASE, 0},
    {"debug.setuservalue", HL_NB, BASE, 0}, {"debug.traceback", HL_NB, BASE, 0},
    {"debug.upvalueid", HL_NB, BASE, 0}, {"debug.upvaluejoin", HL_NB, BASE, 0},
    {"do", HL_KR, BASE, 0}, {"dofile", HL_NB, BASE, 0}, {"else", HL_KR, BASE, 0},
    {"elseif", HL_KR, BASE, 0}, {"end", HL_KR, BASE, 0}, {"error", HL_NB, BASE, 0},
    {"false", HL_KC, BASE, 0}, {"for", HL_KR, BASE, 0},
    {"function", HL_KR, FUNCNAME, 0}, {"getmetatable", HL_NB, BASE, 0},
    {"goto", HL_KR, GOTO, 0}, {"if", HL_KR, BASE, 0}, {"in", HL_KR, BASE, 0},
    {"io", HL_N, BASE, 1}, {"io.close", HL_NB, BASE, 0}, {"io.flush", HL_NB, BASE, 0},
    {"io.input", HL_NB, BASE, 0}, {"io.lines", HL_NB, BASE, 0},
    {"io.open", HL_NB, BASE, 0}, {"io.output", HL_NB, BASE, 0},
    {"io.popen", HL_NB, BASE, 0}, {"io.read", HL_NB, BASE, 0},
    {"io.stderr", HL_NB, BASE, 0}, {"io.stdin", HL_NB, BASE, 0},
    {"io.stdout", HL_NB, BASE, 0}, {"io.tmpfile", HL_NB, BASE, 0},
    {"io.type", HL_NB, BASE, 0}, {"io.write", HL_NB, BASE, 0},
    {"ipairs", HL_NB, BASE, 0}, {"load", HL_NB, BASE, 0}, {"loadfile", HL_NB, BASE, 0},
    {"local", HL_KD, BASE, 0}, {"math", HL_N, BASE, 1}, {"math.abs", HL_NB, BASE, 0},
    {"math.acos", HL_NB, BASE, 0}, {"math.asin", HL_NB, BASE, 0},
    {"math.atan", HL_NB, BASE, 0}, {"math.atan2", HL_NB, BASE, 0},
    {"math.ceil", HL_NB, BASE, 0}, {"math.cos", HL_NB, BASE, 0},
    {"math.cosh", HL_NB, BASE, 0}, {"math.deg", HL_NB, BASE, 0},
    {"math.exp", HL_NB, BASE, 0}, {"math.floor", HL_NB, BASE, 0},
    {"math.fmod", HL_NB, BASE, 0}, {"math.frexp", HL_NB, BASE, 0},
    {"math.huge", HL_NB, BASE, 0}, {"math.ldexp", HL_NB, BASE, 0},
    {"math.log", HL_NB, BASE, 0}, {"math.max", HL_NB, BASE, 0},
    {"math.maxinteger", HL_NB, BASE, 0}, {"math.min", HL_NB, BASE, 0},
    {"math.mininteger", HL_NB, BASE, 0}, {"math.modf", HL_NB, BASE, 0},
    {"math.pi", HL_NB, BASE, 0}, {"math.pow", HL_NB, BASE, 0},
    {"math.rad", HL_NB, BASE, 0}, {"math.random", HL_NB, BASE, 0},
    {"math.randomseed", HL_NB, BASE, 0}, {"math.sin", HL_NB, BASE, 0},
    {"math.sinh", HL_NB, BASE, 0}, {"math.sqrt", HL_NB, BASE, 0},
    {"math.tan", HL_NB, BASE, 0}, {"math.tanh", HL_NB, BASE, 0},
    {"math.tointeger", HL_NB, BASE, 0}, {"math.type", HL_NB, BASE, 0},
    {"math.ult", HL_NB, BASE, 0}, {"next", HL_NB, BASE, 0}, {"nil", HL_KC, BASE, 0},
    {"not", HL_OW, BASE, 0}, {"or", HL_OW, BASE, 0}, {"os", HL_N, BASE, 1},
    {"os.clock", HL_NB, BASE, 0}, {"os.date", HL_NB, BASE, 0},
    {"os.difftime", HL_NB, BASE, 0}, {"os.execute", HL_NB, BASE, 0},
    {"os.exit", HL_NB, BASE, 0}, {"os.getenv", HL_NB, BASE, 0},
    {"os.remove", HL_NB, BASE, 0}, {"os.rename", HL_NB, BASE, 0},
    {"os.setlocale", HL_NB, BASE, 0}, {"os.time", HL_NB, BASE, 0},
    {"os.tmpname", HL_NB, BASE, 0}, {"package", HL_N, BASE, 1},
    {"package.config", HL_NB, BASE, 0}, {"package.cpath", HL_NB, BASE, 0},
    {"package.loaded", HL_NB, BASE, 0}, {"package.loadlib", HL_NB, BASE, 0},
    {"package.path", HL_NB, BASE, 0}, {"package.preload", HL_NB, BASE, 0},
    {"package.searchers", HL_NB, BASE, 0}, {"package.searchpath", HL_NB, BASE, 0},
    {"pairs", HL_NB, BASE, 0}, {"pcall", HL_NB, BASE, 0}, {"print", HL_NB, BASE, 0},
    {"rawequal", HL_NB, BASE, 0}, {"rawget", HL_NB, BASE, 0},
    {"rawlen", HL_NB, BASE, 0}, {"rawset", HL_NB, BASE, 0}, {"repeat", HL_KR, BASE, 0},
    {"require", HL_NB, BASE, 0}, {"return", HL_KR, BASE, 0}, {"select", HL_NB, BASE, 0},
    {"setmetatable", HL_NB, BASE, 0}, {"string", HL_N, BASE, 1},
    {"string.byte", HL_NB, BASE, 0}, {"string.char", HL_NB, BASE, 0},
    {"string.dump", HL_NB, BASE, 0}, {"string.find", HL_NB, BASE, 0},
    {"string.format", HL_NB, BASE, 0}, {"string.gmatch", HL_NB, BASE, 0},
    {"string.gsub", HL_NB, BASE, 0}, {"string.len", HL_NB, BASE, 0},
    {"string.lower", HL_NB, BASE, 0}, {"string.match", HL_NB, BASE, 0},
    {"string.pack", HL_NB, BASE, 0}, {"string.packsize", HL_NB, BASE, 0},
    {"string.rep", HL_NB, BASE, 0}, {"string.reverse", HL_NB, BASE, 0},
    {"string.sub", HL_NB, BASE, 0}, {"string.unpack", HL_NB, BASE, 0},
    {"string.upper", HL_NB, BASE, 0}, {"table", HL_N, BASE, 1},
    {"table.concat", HL_NB, BASE, 0}, {"table.insert", HL_NB, BASE, 0},
    {"table.move", HL_NB, BASE, 0}, {"table.pack", HL_NB, BASE, 0},
    {"table.remove", HL_NB, BASE, 0}, {"table.sort", HL_NB, BASE, 0},
    {"table.unpack", HL_NB, BASE, 0}, {"then", HL_KR, BASE, 0},
    {"tonumber", HL_NB, BASE, 0}, {"tostring", HL_NB, BASE, 0},
    {"true", HL_KC, BASE, 0}, {"type", HL_NB, BASE, 0}, {"until", HL_KR, BASE, 0},
    {"utf8", HL_N, BASE, 1}, {"utf8.char", HL_NB, BASE, 0},
    {"utf8.charpattern", HL_NB, BASE, 0}, {"utf8.codepoint", HL_NB, BASE, 0},
    {"utf8.codes", HL_NB, BASE, 0}, {"utf8.len", HL_NB, BASE, 0},
    {"utf8.offset", HL_NB, BASE, 0}, {"warn", HL_NB, BASE, 0},
    {"while", HL_KR, BASE, 0}, {"xpcall", HL_NB, BASE, 0},
};
static struct hl_words word_index = HL_WORDS(words);

/* The length of the run of \w at p: the ASCII ones here. */
static inline size_t
word_len(const struct hl *h, size_t p)
{
    size_t q = (p + hl_ascii_word(h, p));
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_word_run(h, q);
    return q - p;
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
    size_t n = long_bracket(l, p + 2);
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
    size_t n = hl_char(h, p, &cp);
    if (!hl_cp_word(cp) || hl_cp_digit(cp))
        return 0;
    return n + hl_word_run(h, p + n);
}

/* ---- numbers ---------------------------------------------------------------------- */

static bool
is_ascii_digit(int c)
{
    return (unsigned)(c - '0') < 10;
}

static bool
is_hex(int c)
{
    return is_ascii_digit(c) || (unsigned)((c | 32) - 'a') < 6;
}

static size_t
hex_run(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && is_hex((unsigned char)h->s[q]))
        q++;
    return q - p;
}

/* The length of the run of \d at p: ASCII digits here, any other script's
 * in the engine. */
static size_t
digit_run(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && is_ascii_digit((unsigned char)h->s[q]))
        q++;
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_digits(h, q);
    return q - p;
}

/* [eE][+-]?\d+ (letter e) or [pP][+-]?\d+ (p) at p: its length, or 0. */
static size_t
exponent(const struct hl *h, size_t p, char letter)
{
    if ((hl_at(h, p) | 32) != letter)
        return 0;
    size_t q = p + 1 + (hl_at(h, p + 1) == '+' || hl_at(h, p + 1) == '-'), d = digit_run(h, q);
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
    d1 = digit_run(h, p);
    if (hl_at(h, p + d1) == '.' && ((d2 = digit_run(h, p + d1 + 1)) || d1)) {
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

/* The word at pos, which starts with [A-Za-z_]: a keyword ended by a
 * boundary, else the name rule [A-Za-z_]\w*(\.[A-Za-z_]\w*)?, a builtin
 * (nb) whole, else its names (n) and the dot between them (p). True if it
 * entered a state. */
static bool
word(struct lua *l)
{
    struct hl *h = l->h;
    size_t p = h->pos, ascii = (p + hl_ascii_word(h, p)) - p, a = ascii, b = 0;
    if (hl_at(h, p + a) >= 0x80)
        a += hl_word_run(h, p + a);
    /* no word of the table has one letter: most names in loops have */
    int i = a == ascii && a > 1 ? hl_words_find(&word_index, h->s + p, a) : -1;
    if (i >= 0 && words[i].cls != HL_NB && words[i].cls != HL_N) {
        hl_emit(h, words[i].cls, a);
        if (words[i].next == BASE)
            return false;
        hl_stack_push(&l->st, words[i].next);
        return true;
    }
    int after_dot = hl_at(h, p + a) == '.' ? hl_at(h, p + a + 1) : -1;
    if (after_dot >= 0 && (hl_ascii[after_dot] & HL_A_LETTER))
        b = 1 + word_len(h, p + a + 2);
    if (b && i >= 0 && words[i].module) {
        int j = hl_words_find(&word_index, h->s + p, a + 1 + b);
        if (j >= 0 && words[j].cls == HL_NB) {
            hl_emit(h, HL_NB, a + 1 + b);
            return false;
        }
    }
    if (!b && i >= 0 && words[i].cls == HL_NB) {
        hl_emit(h, HL_NB, a);
        return false;
    }
    hl_emit(h, HL_N, a);
    if (b) {
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_N, b);
    }
    return false;
}

/* The operator rule's run of = < > | ~ & + - * / % # ^ at p: its length. */
static size_t
operator_len(const struct hl *h, size_t p)
{
    static const bool is_operator[256] = {
        ['='] = true, ['<'] = true, ['>'] = true, ['|'] = true, ['~'] = true, ['&'] = true,
        ['+'] = true, ['-'] = true, ['*'] = true, ['/'] = true, ['%'] = true, ['#'] = true,
        ['^'] = true,
    };
    size_t q = p;
    while (q < h->end && is_operator[(unsigned char)h->s[q]])
        q++;
    return q - p;
}

/* 'base', a token at a time by its first byte (few of its rules can start
 * with any one byte), until a rule enters another state or the text ends. */
static void
base(struct lua *l)
{
    struct hl *h = l->h;
    bool is_long;
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        unsigned char c = (unsigned char)h->s[p];
        if (hl_ascii[c] & HL_A_LETTER) {   /* the common case first: no other rule starts so */
            if (word(l))
                return;
            continue;
        }
        switch (c) {
        case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
        case 0x1c: case 0x1d: case 0x1e: case 0x1f:
            hl_emit(h, HL_TEXT, hl_space(h, p, true));
            break;
        case '-':   /* a comment ('ws') before the operators */
            if ((n = comment_len(l, p, &is_long)))
                hl_emit(h, is_long ? HL_CM : HL_C1, n);
            else
                hl_emit(h, HL_O, operator_len(h, p));
            break;
        case '=': case '<': case '>': case '|': case '~': case '&': case '+': case '*':
        case '/': case '%': case '#': case '^':
            hl_emit(h, HL_O, operator_len(h, p));
            break;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            number(h);
            break;
        case '.':   /* .5, then ... (p), .. (o), . (p) */
            if (number(h))
                break;
            if (hl_at(h, p + 1) != '.')
                hl_emit(h, HL_P, 1);
            else if (hl_at(h, p + 2) == '.')
                hl_emit(h, HL_P, 3);
            else
                hl_emit(h, HL_O, 2);
            break;
        case '[':   /* a long string before '[' */
            n = long_bracket(l, p);
            hl_emit(h, n ? HL_S : HL_P, n ? n : 1);
            break;
        case ':':
            if (hl_at(h, p + 1) == ':') {
                hl_emit(h, HL_P, 2);
                hl_stack_push(&l->st, LABEL);
                return;
            }
            hl_emit(h, HL_P, 1);
            break;
        case ']': case '{': case '}': case '(': case ')': case ',': case ';':
            hl_emit(h, HL_P, 1);
            break;
        case '\'': case '"':
            hl_emit(h, c == '"' ? HL_S2 : HL_S1, 1);
            hl_stack_push(&l->st, c == '"' ? DQS : SQS);
            return;
        default:   /* \s and \d of other scripts, else no rule */
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

static void
string(struct lua *l, char quote)
{
    static const bool stops[2][256] = { { ['\\'] = true, ['\''] = true },
                                        { ['\\'] = true, ['"'] = true } };
    struct hl *h = l->h;
    size_t p = h->pos, n;
    enum hl_class cls = quote == '"' ? HL_S2 : HL_S1;
    if (h->s[p] == '\\' && (n = escape_len(h, p))) {
        hl_emit(h, HL_SE, n);
    } else if (h->s[p] == quote) {
        hl_emit(h, cls, 1);
        hl_stack_pop(&l->st);
    } else if ((n = hl_until(h, p, stops[quote == '"']))) {
        hl_emit(h, cls, n);
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
    case SQS: string(l, '\''); break;
    case DQS: string(l, '"'); break;
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
