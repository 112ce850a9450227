/* lex_javascript.c: the JavaScript lexer of the highlighter, after Pygments'
 * JavascriptLexer state by state: where a '/' starts a regular expression
 * (sr) rather than a division, template strings (sb) with ${} (si),
 * keywords (k, kd, kr), constants (kc), builtins (nb), other names (nx);
 * every number without a radix is a float (mf), as Pygments has it.
 * TypeScript (lex_typescript.c) is this lexer with rules of its own first.
 *
 * 'root' is tried by its first byte: few of its rules can start with any
 * one byte, so each byte goes straight to those, in Pygments' order.
 * 'slashstartsregex' only ever skips comments and whitespace before it
 * pops, so it runs at once after the token that enters it, off the stack. */
#include "lex_javascript.h"

/* Pygments' states that outlive a token */
enum { ROOT, BADREGEX, TEMPLATE, TEMPLATE_EXPR };

/* After a word: a regular expression may follow; only after a word
 * boundary (constructor, from, as). */
enum { REGEX_NEXT = 1, AFTER_BOUNDARY = 2 };

/* Sorted by strcmp. */
static const struct word {
    const char *w;
    enum hl_class cls;
    unsigned flags;
} words[] = {
    {"Array", HL_NB, 0}, {"ArrayBuffer", HL_NB, 0}, {"Atomics", HL_NB, 0},
    {"BigInt", HL_NB, 0}, {"BigInt64Array", HL_NB, 0}, {"BigUint64Array", HL_NB, 0},
    {"Boolean", HL_NB, 0}, {"DataView", HL_NB, 0}, {"Date", HL_NB, 0},
    {"Error", HL_NE, 0}, {"EvalError", HL_NE, 0}, {"Float32Array", HL_NB, 0},
    {"Float64Array", HL_NB, 0}, {"Function", HL_NB, 0}, {"Infinity", HL_KC, 0},
    {"Int16Array", HL_NB, 0}, {"Int32Array", HL_NB, 0}, {"Int8Array", HL_NB, 0},
    {"InternalError", HL_NE, 0}, {"Intl", HL_NB, 0}, {"JSON", HL_NB, 0},
    {"Map", HL_NB, 0}, {"Math", HL_NB, 0}, {"NaN", HL_KC, 0}, {"Number", HL_NB, 0},
    {"Object", HL_NB, 0}, {"Promise", HL_NB, 0}, {"Proxy", HL_NB, 0},
    {"RangeError", HL_NE, 0}, {"ReferenceError", HL_NE, 0}, {"Reflect", HL_NB, 0},
    {"RegExp", HL_NB, 0}, {"Set", HL_NB, 0}, {"String", HL_NB, 0}, {"Symbol", HL_NB, 0},
    {"SyntaxError", HL_NE, 0}, {"TypeError", HL_NE, 0}, {"URIError", HL_NE, 0},
    {"Uint16Array", HL_NB, 0}, {"Uint32Array", HL_NB, 0}, {"Uint8Array", HL_NB, 0},
    {"Uint8ClampedArray", HL_NB, 0}, {"WeakMap", HL_NB, 0}, {"WeakSet", HL_NB, 0},
    {"abstract", HL_KR, 0}, {"as", HL_KR, AFTER_BOUNDARY}, {"async", HL_K, REGEX_NEXT},
    {"await", HL_K, REGEX_NEXT}, {"boolean", HL_KR, 0}, {"break", HL_K, REGEX_NEXT},
    {"byte", HL_KR, 0}, {"case", HL_K, REGEX_NEXT}, {"catch", HL_K, REGEX_NEXT},
    {"char", HL_KR, 0}, {"class", HL_KD, REGEX_NEXT}, {"const", HL_KD, REGEX_NEXT},
    {"constructor", HL_KR, AFTER_BOUNDARY}, {"continue", HL_K, REGEX_NEXT},
    {"debugger", HL_K, REGEX_NEXT}, {"decodeURI", HL_NB, 0},
    {"decodeURIComponent", HL_NB, 0}, {"default", HL_K, REGEX_NEXT},
    {"delete", HL_OW, REGEX_NEXT}, {"do", HL_K, REGEX_NEXT}, {"document", HL_NB, 0},
    {"double", HL_KR, 0}, {"else", HL_K, REGEX_NEXT}, {"encodeURI", HL_NB, 0},
    {"encodeURIComponent", HL_NB, 0}, {"enum", HL_KR, 0}, {"eval", HL_NB, 0},
    {"export", HL_K, REGEX_NEXT}, {"extends", HL_K, REGEX_NEXT}, {"false", HL_KC, 0},
    {"final", HL_KR, 0}, {"finally", HL_K, REGEX_NEXT}, {"float", HL_KR, 0},
    {"for", HL_K, REGEX_NEXT}, {"from", HL_KR, AFTER_BOUNDARY},
    {"function", HL_KD, REGEX_NEXT}, {"global", HL_NB, 0}, {"globalThis", HL_NB, 0},
    {"goto", HL_KR, 0}, {"if", HL_K, REGEX_NEXT}, {"implements", HL_KR, 0},
    {"import", HL_K, REGEX_NEXT}, {"in", HL_OW, REGEX_NEXT},
    {"instanceof", HL_OW, REGEX_NEXT}, {"int", HL_KR, 0}, {"interface", HL_KR, 0},
    {"isFinite", HL_NB, 0}, {"isNaN", HL_NB, 0}, {"let", HL_KD, REGEX_NEXT},
    {"long", HL_KR, 0}, {"native", HL_KR, 0}, {"new", HL_OW, REGEX_NEXT},
    {"null", HL_KC, 0}, {"of", HL_K, REGEX_NEXT}, {"package", HL_KR, 0},
    {"parseFloat", HL_NB, 0}, {"parseInt", HL_NB, 0}, {"private", HL_KR, 0},
    {"protected", HL_KR, 0}, {"public", HL_KR, 0}, {"return", HL_K, REGEX_NEXT},
    {"short", HL_KR, 0}, {"static", HL_K, REGEX_NEXT}, {"super", HL_K, REGEX_NEXT},
    {"switch", HL_K, REGEX_NEXT}, {"synchronized", HL_KR, 0},
    {"this", HL_K, REGEX_NEXT}, {"throw", HL_K, REGEX_NEXT}, {"throws", HL_KR, 0},
    {"transient", HL_KR, 0}, {"true", HL_KC, 0}, {"try", HL_K, REGEX_NEXT},
    {"typeof", HL_OW, REGEX_NEXT}, {"undefined", HL_KC, 0}, {"var", HL_KD, REGEX_NEXT},
    {"void", HL_OW, REGEX_NEXT}, {"volatile", HL_KR, 0}, {"while", HL_K, REGEX_NEXT},
    {"window", HL_NB, 0}, {"with", HL_KD, REGEX_NEXT}, {"yield", HL_K, REGEX_NEXT},
};
static struct hl_words word_index = HL_WORDS(words);

struct js {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek comment_end;
    size_t no_close_after[2]; /* no closing " (0) or ' (1) at or after these */
    size_t dotted_from, dotted_to; /* the last run of [\w?.$] measured */
    const struct js_dialect *dialect; /* or NULL */
    struct js_memo memo;     /* the dialect's */
};

/* ---- bytes ------------------------------------------------------------------ */

/* ASCII bytes of \w (WORD: [A-Za-z0-9_]), of \s (SPACE), and those that
 * start a word in 'root' (NAME: [A-Za-z_$]) */
enum { WORD = 1, SPACE = 2, NAME = 4 };
#define LETTER(c) [c] = WORD | NAME
static const unsigned char ascii_class[256] = {
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    [0x1c] = SPACE, [0x1d] = SPACE, [0x1e] = SPACE, [0x1f] = SPACE, [' '] = SPACE,
    ['0'] = WORD, ['1'] = WORD, ['2'] = WORD, ['3'] = WORD, ['4'] = WORD, ['5'] = WORD,
    ['6'] = WORD, ['7'] = WORD, ['8'] = WORD, ['9'] = WORD,
    LETTER('A'), LETTER('B'), LETTER('C'), LETTER('D'), LETTER('E'), LETTER('F'),
    LETTER('G'), LETTER('H'), LETTER('I'), LETTER('J'), LETTER('K'), LETTER('L'),
    LETTER('M'), LETTER('N'), LETTER('O'), LETTER('P'), LETTER('Q'), LETTER('R'),
    LETTER('S'), LETTER('T'), LETTER('U'), LETTER('V'), LETTER('W'), LETTER('X'),
    LETTER('Y'), LETTER('Z'), LETTER('_'), ['$'] = NAME,
    LETTER('a'), LETTER('b'), LETTER('c'), LETTER('d'), LETTER('e'), LETTER('f'),
    LETTER('g'), LETTER('h'), LETTER('i'), LETTER('j'), LETTER('k'), LETTER('l'),
    LETTER('m'), LETTER('n'), LETTER('o'), LETTER('p'), LETTER('q'), LETTER('r'),
    LETTER('s'), LETTER('t'), LETTER('u'), LETTER('v'), LETTER('w'), LETTER('x'),
    LETTER('y'), LETTER('z'),
};
#undef LETTER

static bool
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool
is_hex(int c)
{
    return is_digit(c) || (unsigned)((c | 32) - 'a') < 6;
}

/* The end of the run of bytes at p for which in(byte) holds. */
static inline size_t
run_end(const struct hl *h, size_t p, bool (*in)(int))
{
    const unsigned char *s = (const unsigned char *)h->s;
    while (p < h->end && in(s[p]))
        p++;
    return p;
}

static bool
is_binary(int c)
{
    return c == '0' || c == '1';
}

static bool
is_octal(int c)
{
    return c >= '0' && c <= '7';
}

/* No match of \w at p: a boundary after an ASCII word that ends at p. */
static bool
word_ends_at(const struct hl *h, size_t p)
{
    return p >= h->end || (unsigned char)h->s[p] < 0x80 || !hl_word_at(h, p);
}

/* ---- scanners --------------------------------------------------------------- */

/* A name: $ _ letters, then digits, marks, connectors, ZWNJ, ZWJ too, and
 * \uXXXX anywhere. Its length, or 0. */
size_t
js_ident_len(const struct hl *h, size_t p)
{
    size_t q = p, n;
    int32_t cp;
    for (;;) {
        if (q > p)   /* the common case, a byte at a time */
            q = hl_skip(h, q, ascii_class, WORD);
        if (hl_at(h, q) == '\\' && (n = hl_hex_escape(h, q, 'u', 4))) {
            q += n;
            continue;
        }
        if (q >= h->end)
            break;
        n = hl_char(h, q, &cp);
        if (!(cp == '$' || (q == p ? hl_cp_id_start(cp)
                                   : hl_cp_id_cont(cp) || cp == 0x200c || cp == 0x200d)))
            break;
        q += n;
    }
    return q - p;
}

/* Whether c may start a comment, whitespace or a regular expression: \s
 * is at most ' ' in ASCII; comments start with '<' or '/'. */
static bool
may_start_gap(unsigned char c)
{
    return c <= ' ' || c >= 0x80 || c == '<' || c == '/';
}

/* A comment or whitespace at p ('commentsandwhitespace'): emitted, true;
 * false if there is none. */
static bool
comment_or_space(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    if (!may_start_gap((unsigned char)h->s[p]))
        return false;
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (hl_starts(h, p, "<!--", 4)) {
        hl_emit(h, HL_C, 4);
    } else if (hl_starts(h, p, "//", 2)) {
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
    } else if (hl_starts(h, p, "/*", 2)) {
        size_t close = hl_seek(h, &j->comment_end, "*/", 2, p + 2);
        if (close == (size_t)-1)
            return false;
        hl_emit(h, HL_CM, close + 2 - p);
    } else {
        return false;
    }
    return true;
}

/* A quoted string at p, newlines allowed, escapes taking the next byte:
 * its length, or 0 when it is never closed (and then no later one is). */
static size_t
quoted(struct js *j, size_t p)
{
    static const bool stops[2][256] = { { ['"'] = true }, { ['\''] = true } };
    struct hl *h = j->h;
    bool single = h->s[p] == '\'';
    size_t *none = &j->no_close_after[single];
    if (p >= *none)
        return 0;
    size_t n = 1 + hl_until_escaped(h, p + 1, stops[single]);
    if (p + n < h->end)
        return n + 1;
    *none = p;
    return 0;
}

/* A regular expression literal at p: /body/flags, the body one line of
 * escapes, classes and other characters. Its length, or 0. */
static size_t
regex_len(const struct hl *h, size_t p)
{
    size_t i = p + 1, items = 0, f;
    for (;; items++) {
        int c = hl_at(h, i);
        if (c == '/' || c == '\n' || c < 0)
            break;
        if (c == '\\' && i + 1 < h->end) {
            i += hl_escaped_char(h, i);
        } else if (c == '[') {
            for (i++; hl_at(h, i) != ']'; i++) {
                if (hl_at(h, i) == '\n' || hl_at(h, i) < 0)
                    return 0;
                if (hl_at(h, i) == '\\' && i + 1 < h->end)
                    i++;
            }
            i++;
        } else if (c == '\\') {
            return 0;
        } else {
            i++;
        }
    }
    if (!items || hl_at(h, i) != '/')
        return 0;
    i++;
    f = hl_span(h, i, "gimuysd", (size_t)-1);
    if (f ? !hl_boundary(h, i + f) : hl_word_at(h, i))
        return 0;
    return i + f - p;
}

/* 'slashstartsregex', entered after the token just emitted: comments and
 * whitespace, then a regular expression (sr); a '/' that starts none makes
 * the rest of the line an error, as Pygments' 'badregex' does; anything
 * else pops it without a token. */
static void
slash_starts_regex(struct js *j)
{
    struct hl *h = j->h;
    size_t n;
    while (h->pos < h->end && comment_or_space(j))
        ;
    if (h->pos >= h->end || h->s[h->pos] != '/')
        return;
    if ((n = regex_len(h, h->pos)))
        hl_emit(h, HL_SR, n);
    else
        hl_stack_push(&j->st, BADREGEX);
}

/* 'slashstartsregex' after the token just emitted, which most often pops
 * at once: at a byte that starts no comment, whitespace or '/'. */
static inline void
regex_may_follow(struct js *j)
{
    struct hl *h = j->h;
    if (h->pos < h->end && may_start_gap((unsigned char)h->s[h->pos]))
        slash_starts_regex(j);
}

/* ---- numbers, operators, words ------------------------------------------------- */

/* Pygments' numbers, at a digit or at '.' before one: 0b 0o 0x (and 07)
 * with an n for BigInt, 12n, and the rest floats: 1, 1., 1.5, .5, each
 * with an exponent or not, (\.D|D\.D?|D)([eE][-+]?D)?. */
static void
number(struct hl *h)
{
    size_t p = h->pos, q, n;
    int x = hl_at(h, p + 1);
    if (h->s[p] == '0') {
        size_t o = (x | 32) == 'o';
        if ((x | 32) == 'b' && (q = run_end(h, p + 2, is_binary)) > p + 2) {
            hl_emit(h, HL_MB, q + (hl_at(h, q) == 'n') - p);
            return;
        }
        if ((q = run_end(h, p + 1 + o, is_octal)) > p + 1 + o) {
            hl_emit(h, HL_MO, q + (hl_at(h, q) == 'n') - p);
            return;
        }
        if ((x | 32) == 'x' && (q = run_end(h, p + 2, is_hex)) > p + 2) {
            hl_emit(h, HL_MH, q + (hl_at(h, q) == 'n') - p);
            return;
        }
    }
    q = run_end(h, p, is_digit);
    if (q > p && hl_at(h, q) == 'n') {
        hl_emit(h, HL_MI, q + 1 - p);
        return;
    }
    if (q == p)
        q = run_end(h, p + 1, is_digit);
    else if (hl_at(h, q) == '.')
        q = run_end(h, q + 1, is_digit);
    if ((hl_at(h, q) | 32) == 'e') {
        size_t r = q + 1 + (hl_at(h, q + 1) == '+' || hl_at(h, q + 1) == '-');
        if ((n = run_end(h, r, is_digit)) > r)
            q = n;
    }
    hl_emit(h, HL_MF, q - p);
}

/* Pygments' operators and punctuation at p: its length and class, or 0:
 * ... => (p); ++ -- ~ ?? ??= ? : a backslash before a newline, and
 * << >> >>> = == != ! ** || && - < > + * % & | ^ / each with an '=' or not
 * (o); [{([;,] (p, a regular expression may follow); [})\].] (p). */
static size_t
symbol_len(const struct hl *h, size_t p, enum hl_class *cls, bool *regex_next)
{
    int c = (unsigned char)h->s[p], d = hl_at(h, p + 1);
    size_t n;
    *cls = HL_O;
    *regex_next = true;
    switch (c) {
    case '{': case '(': case '[': case ';': case ',':
        *cls = HL_P;
        return 1;
    case '}': case ')': case ']': case '.':
        *cls = HL_P;
        *regex_next = false;
        return c == '.' && d == '.' && hl_at(h, p + 2) == '.' ? 3 : 1;
    case '+': case '-':
        if (d == c)
            return 2;
        n = 1;
        break;
    case '~': case ':':
        return 1;
    case '?':
        return d == '?' ? 2 + (hl_at(h, p + 2) == '=') : 1;
    case '\\':   /* before a newline, or the end, where Pygments adds one */
        return d == '\n' || d < 0;
    case '<':
        n = 1 + (d == '<');
        break;
    case '>':
        n = d != '>' ? 1 : 2 + (hl_at(h, p + 2) == '>');
        break;
    case '=':
        if (d == '>') {
            *cls = HL_P;
            *regex_next = false;
            return 2;
        }
        n = 1 + (d == '=');
        break;
    case '!':
        n = 1 + (d == '=');
        break;
    case '*': case '|': case '&':
        n = 1 + (d == c);
        break;
    case '%': case '^': case '/':
        n = 1;
        break;
    default:
        return 0;
    }
    return n + (hl_at(h, p + n) == '=');
}

/* The rules of 'root' at a word ([A-Za-z_$]...): the dialect's, the lists
 * of keywords, constants and builtins (up to a word boundary), a (dotted)
 * name right before "() {", which a regular expression may follow
 * (Pygments' rule for "function() {...}"), and JS_IDENT. */
static void
word(struct js *j)
{
    struct hl *h = j->h;
    const char *s = h->s;
    size_t p = h->pos, q = hl_skip(h, p, ascii_class, WORD), n;
    if (j->dialect && j->dialect->rules(j, q))
        return;
    int d = q < h->end ? (unsigned char)s[q] : -1;
    if (q > p && word_ends_at(h, q)) {
        int i = hl_words_find(&word_index, s + p, q - p);
        if (i >= 0 && !((words[i].flags & AFTER_BOUNDARY) && hl_word_before(h, p))) {
            hl_emit(h, words[i].cls, q - p);
            if (words[i].flags & REGEX_NEXT)
                regex_may_follow(j);
            return;
        }
    }
    /* ([a-zA-Z_?.$][\w?.$]*)(?=\(\) \{): where the dotted name ends, if
     * "() {" may follow it; else JS_IDENT, n bytes */
    size_t dotted = (size_t)-1;
    if (s[p] != '$' && d != '$' && d != '\\' && d < 0x80) {
        n = q - p;   /* the name is the ASCII word, and so is the dotted name up to d */
        if (d == '(')
            dotted = q;
        else if (d == '?' || d == '.')
            dotted = js_dotted_end(j, p, q);
    } else {
        n = js_ident_len(h, p);
        int e = hl_at(h, p + n);
        if (e == '?' || e == '.' || e == '$' || e == '(' || hl_word_at(h, p + n))
            dotted = js_dotted_end(j, p, p);
    }
    if (dotted != (size_t)-1 && hl_starts(h, dotted, "() {", 4)) {
        hl_emit(h, HL_NX, dotted - p);
        regex_may_follow(j);
        return;
    }
    hl_emit(h, HL_NX, n);   /* [A-Za-z_$] starts a name: n >= 1 */
}

/* ---- the states --------------------------------------------------------------------- */

/* A byte that starts none of the tokens above: a string, a template, the
 * hashbang, JS_IDENT of \uXXXX or non-ASCII letters; else an error. */
static void
other(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    if ((c == '"' || c == '\'') && (n = quoted(j, p))) {
        hl_emit(h, c == '"' ? HL_S2 : HL_S1, n);
    } else if (c == '`') {
        hl_emit(h, HL_SB, 1);
        hl_stack_push(&j->st, TEMPLATE);
    } else if (c == '#' && p == h->base && hl_at(h, p + 1) == '!' &&
               (hl_at(h, p + 2) == '/' || (hl_at(h, p + 2) == ' ' && hl_at(h, p + 3) == '/'))) {
        hl_emit(h, HL_CH, hl_line_end(h, p) - p);
    } else if ((c == '\\' || c >= 0x80) && (n = js_ident_len(h, p))) {
        hl_emit(h, HL_NX, n);
    } else {
        hl_no_match(h, &j->st);
    }
}

/* A token of 'root' at pos. */
static inline void
root_token(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    enum hl_class cls;
    bool regex_next;
    if (ascii_class[c] & NAME) {
        word(j);   /* the common case first */
        return;
    }
    if ((ascii_class[c] & SPACE) && !hl_line_start(h, p)) {
        /* 'commentsandwhitespace'; at the start of a line, the rule below */
        hl_emit(h, HL_TEXT, hl_space(h, p, true));
        return;
    }
    if (j->dialect && js_byte_in(j->dialect->starts, c) &&
        j->dialect->rules(j, hl_skip(h, p, ascii_class, WORD)))
        return;
    /* Pygments' ^(?=\s|/|<!--) at the start of a line enters
     * 'slashstartsregex' (where whitespace is what it is in 'root') */
    if (c <= ' ' || c >= 0x80 || c == '/' || c == '<') {
        if (hl_line_start(h, p) &&
            (c == '/' || (ascii_class[c] & SPACE) || hl_starts(h, p, "<!--", 4) ||
             (c >= 0x80 && hl_space(h, p, true)))) {
            regex_may_follow(j);
            return;
        }
        if (comment_or_space(j))
            return;
    }
    if (is_digit(c) || (c == '.' && is_digit(hl_at(h, p + 1)))) {
        number(h);
    } else if ((n = symbol_len(h, p, &cls, &regex_next))) {
        hl_emit(h, cls, n);
        if (regex_next)
            regex_may_follow(j);
    } else {
        other(j);
    }
}

/* 'root', or 'interp-inside' (state TEMPLATE_EXPR), which a '}' ends, a
 * token at a time until a rule enters another state or the text ends. */
static void
root(struct js *j, unsigned state)
{
    struct hl *h = j->h;
    do
        root_token(j);
    while (h->pos < h->end && hl_stack_top(&j->st) == state &&
           !(state == TEMPLATE_EXPR && h->s[h->pos] == '}'));
}

/* Inside `...`: text (sb), escapes, ${ opening an expression (si). */
static void
template(struct js *j)
{
    static const bool stop[256] = { ['`'] = true, ['\\'] = true, ['$'] = true };
    struct hl *h = j->h;
    size_t p = h->pos;
    char c = h->s[p];
    if (c == '`') {
        hl_emit(h, HL_SB, 1);
        hl_stack_pop(&j->st);
    } else if (c == '\\') {   /* at the end, Pygments would escape its newline */
        hl_emit(h, HL_SB, hl_escaped_char(h, p));
    } else if (c == '$' && hl_at(h, p + 1) == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&j->st, TEMPLATE_EXPR);
    } else if (c == '$') {
        hl_emit(h, HL_SB, 1);
    } else {
        hl_emit(h, HL_SB, hl_until(h, p, stop));
    }
}

void
js_lex(struct hl *h, const struct js_dialect *dialect)
{
    struct js j = { .h = h, .comment_end = HL_SEEK_INIT,
                    .no_close_after = { (size_t)-1, (size_t)-1 },
                    .dotted_from = (size_t)-1, .dialect = dialect,
                    .memo = { (size_t)-1, 0 } };
    hl_stack_init(&j.st, ROOT);
    while (h->pos < h->end) {
        unsigned state = hl_stack_top(&j.st);
        switch (state) {
        case BADREGEX:
            if (h->s[h->pos] == '\n') {
                hl_emit(h, HL_TEXT, 1);
                hl_stack_pop(&j.st);
            } else {
                hl_no_match(h, &j.st);
            }
            break;
        case TEMPLATE:
            template(&j);
            break;
        default:   /* ROOT, TEMPLATE_EXPR: one call, so that it is inlined */
            if (state == TEMPLATE_EXPR && h->s[h->pos] == '}') {
                hl_emit(h, HL_SI, 1);
                hl_stack_pop(&j.st);
            } else {
                root(&j, state);
            }
        }
    }
    hl_stack_dispose(&j.st);
}

void
lex_javascript(struct hl *h)
{
    js_lex(h, NULL);
}

/* ---- for dialects ------------------------------------------------------------------ */

struct hl *
js_hl(struct js *j)
{
    return j->h;
}

void
js_regex_next(struct js *j)
{
    regex_may_follow(j);
}

size_t
js_dotted_scan(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = hl_skip(h, q, ascii_class, WORD);
        if (q >= h->end)
            break;
        unsigned char c = (unsigned char)h->s[q];
        if (c == '?' || c == '.' || c == '$') {
            q++;
        } else if (c >= 0x80 && hl_word_at(h, q)) {
            int32_t cp;
            q += hl_char(h, q, &cp);
        } else {
            break;
        }
    }
    return q;
}

size_t
js_dotted_end(struct js *j, size_t p, size_t known)
{
    if (!(j->dotted_from <= p && p <= j->dotted_to)) {
        j->dotted_from = p;
        j->dotted_to = js_dotted_scan(j->h, known);
    }
    return j->dotted_to;
}

struct js_memo *
js_memo(struct js *j)
{
    return &j->memo;
}
