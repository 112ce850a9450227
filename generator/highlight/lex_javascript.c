/* lex_javascript.c: the JavaScript lexer of the highlighter, after Pygments'
 * JavascriptLexer state by state: where a '/' starts a regular expression
 * (sr) rather than a division, template strings (sb) with ${} (si),
 * keywords (k, kd, kr), constants (kc), builtins (nb), other names (nx);
 * every number without a radix is a float (mf), as Pygments has it.
 * TypeScript (lex_typescript.c) is this lexer with rules of its own first. */
#include "lex_javascript.h"

/* Pygments' states */
enum { ROOT, REGEX_OK, BADREGEX, TEMPLATE, TEMPLATE_EXPR };

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
    js_rules first;          /* the dialect's rules, or NULL */
    struct js_memo memo;     /* the dialect's */
};

static void root(struct js *j);

/* ---- scanners --------------------------------------------------------------- */

static bool
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* The run of bytes of set at p. */
static size_t
run_of(const struct hl *h, size_t p, const char *set)
{
    size_t q = p;
    while (hl_in(hl_at(h, q), set))
        q++;
    return q - p;
}

/* A name: $ _ letters, then digits, marks, connectors, ZWNJ, ZWJ too, and
 * \uXXXX anywhere. Its length, or 0. */
size_t
js_ident_len(const struct hl *h, size_t p)
{
    size_t q = p, n;
    int32_t cp;
    for (;;) {
        if (q > p)   /* the common case, a byte at a time */
            q += hl_ascii_word(h, q);
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

/* A comment or whitespace at p ('commentsandwhitespace'): emitted, true;
 * false if there is none. */
static bool
comment_or_space(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    if (c > ' ' && c < 0x80 && c != '<' && c != '/')
        return false;   /* the common case: \s is at most ' ' in ASCII */
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

/* ---- numbers, operators, words ------------------------------------------------- */

/* (\.D|D\.D?|D)([eE][-+]?D)? at p, D a run of digits. */
static size_t
float_len(const struct hl *h, size_t p)
{
    static const char digits[] = "0123456789";
    size_t q = p + run_of(h, p, digits), e;
    if (q == p)
        q += 1 + run_of(h, p + 1, digits);
    else if (hl_at(h, q) == '.')
        q += 1 + run_of(h, q + 1, digits);
    if (hl_in(hl_at(h, q), "eE")) {
        size_t r = q + 1 + hl_in(hl_at(h, q + 1), "+-");
        if ((e = run_of(h, r, digits)))
            q = r + e;
    }
    return q - p;
}

/* Pygments' numbers: 0b 0o 0x (and 07) with an n for BigInt, 12n, and
 * the rest floats: 1, 1., 1.5, .5, each with an exponent or not. */
static bool
number(struct hl *h)
{
    size_t p = h->pos, n;
    int c = hl_at(h, p), x = hl_at(h, p + 1);
    if (c == '0' && hl_in(x, "bB") && (n = run_of(h, p + 2, "01")))
        hl_emit(h, HL_MB, 2 + n + (hl_at(h, p + 2 + n) == 'n'));
    else if (c == '0' && (n = run_of(h, p + 1 + hl_in(x, "oO"), "01234567")))
        hl_emit(h, HL_MO, 1 + hl_in(x, "oO") + n + (hl_at(h, p + 1 + hl_in(x, "oO") + n) == 'n'));
    else if (c == '0' && hl_in(x, "xX") && (n = run_of(h, p + 2, HL_HEX)))
        hl_emit(h, HL_MH, 2 + n + (hl_at(h, p + 2 + n) == 'n'));
    else if ((n = run_of(h, p, "0123456789")) && hl_at(h, p + n) == 'n')
        hl_emit(h, HL_MI, n + 1);
    else if (n || (c == '.' && is_digit(x)))
        hl_emit(h, HL_MF, float_len(h, p));
    else
        return false;
    return true;
}

/* Pygments' operators: ++ -- ~ ?? ??= ? : a backslash before a newline,
 * and << >> >>> = == != ! ** || && - < > + * % & | ^ / each with an '='
 * or not. Their length, or 0. */
static size_t
operator_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p), d = hl_at(h, p + 1);
    size_t n;
    if ((c == '+' || c == '-') && d == c)
        return 2;
    if (c == '~' || c == ':')
        return 1;
    if (c == '?')
        return d == '?' ? 2 + (hl_at(h, p + 2) == '=') : 1;
    if (c == '\\')   /* before a newline, or the end, where Pygments adds one */
        return d == '\n' || d < 0;
    if (c == '<' && d == '<')
        n = 2;
    else if (c == '>' && d == '>')
        n = 2 + (hl_at(h, p + 2) == '>');
    else if (c == '=' || c == '!')
        n = 1 + (d == '=');
    else if ((c == '*' || c == '|' || c == '&') && d == c)
        n = 2;
    else if (hl_in(c, "-<>+*%&|^/"))
        n = 1;
    else
        return 0;
    return n + (hl_at(h, p + n) == '=');
}

/* A word of the lists at pos, between word boundaries: emitted, true. */
static bool
known_word(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n = hl_ascii_word(h, p);
    if (!n || !hl_boundary(h, p + n))
        return false;
    int i = hl_words_find(&word_index, h->s + p, n);
    if (i < 0 || ((words[i].flags & AFTER_BOUNDARY) && hl_word_before(h, p)))
        return false;
    hl_emit(h, words[i].cls, n);
    if (words[i].flags & REGEX_NEXT)
        hl_stack_push(&j->st, REGEX_OK);
    return true;
}

/* A name, or a dotted one right before "() {", which a regular expression
 * may follow (Pygments' rule for "function() {...}"). */
static bool
name(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, q, n = js_ident_len(h, p);
    int c = h->s[p];
    bool dotted_start = c == '_' || c == '$' || (c >= 0 && c < 0x80 && (c | 32) >= 'a' &&
                                                 (c | 32) <= 'z');
    if (dotted_start && (hl_in(hl_at(h, p + n), "?.$(") || hl_word_at(h, p + n))) {
        q = js_dotted_end(j, p);
        if (hl_starts(h, q, "() {", 4)) {
            hl_emit(h, HL_NX, q - p);
            hl_stack_push(&j->st, REGEX_OK);
            return true;
        }
    }
    if (!n)
        return false;
    hl_emit(h, HL_NX, n);
    return true;
}

/* ---- the states --------------------------------------------------------------------- */

/* The tokens of 'root' that start with punctuation: spread, arrows,
 * operators and brackets. False if none matched. */
static bool
symbol(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (hl_starts(h, p, "...", 3) || hl_starts(h, p, "=>", 2)) {
        hl_emit(h, HL_P, c == '.' ? 3 : 2);
    } else if ((n = operator_len(h, p))) {
        hl_emit(h, HL_O, n);
        hl_stack_push(&j->st, REGEX_OK);
    } else if (hl_in(c, "{([;,")) {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&j->st, REGEX_OK);
    } else if (hl_in(c, "})].")) {
        hl_emit(h, HL_P, 1);
    } else {
        return false;
    }
    return true;
}

static void
root(struct js *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (c == '_' || c == '$' || ((c | 32) >= 'a' && (c | 32) <= 'z')) {
        /* the common case first: only these rules start with such a byte */
        if (!(j->first && j->first(j)) && !known_word(j))
            name(j);
    } else if (p == h->base && hl_starts(h, p, "#!", 2) &&
        (hl_at(h, p + 2) == '/' || (hl_at(h, p + 2) == ' ' && hl_at(h, p + 3) == '/'))) {
        hl_emit(h, HL_CH, hl_line_end(h, p) - p);
    } else if (hl_line_start(h, p) &&
               (hl_space(h, p, true) || c == '/' || hl_starts(h, p, "<!--", 4))) {
        hl_stack_push(&j->st, REGEX_OK);   /* Pygments' ^(?=\s|/|<!--) */
    } else if ((j->first && j->first(j)) || comment_or_space(j) || number(h) || symbol(j) ||
               known_word(j) || name(j)) {
        return;
    } else if ((c == '"' || c == '\'') && (n = quoted(j, p))) {
        hl_emit(h, c == '"' ? HL_S2 : HL_S1, n);
    } else if (c == '`') {
        hl_emit(h, HL_SB, 1);
        hl_stack_push(&j->st, TEMPLATE);
    } else {
        hl_no_match(h, &j->st);
    }
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
    f = run_of(h, i, "gimuysd");
    if (f ? !hl_boundary(h, i + f) : hl_word_at(h, i))
        return 0;
    return i + f - p;
}

/* 'slashstartsregex': after an operator or a keyword, where a '/' starts a
 * regular expression (sr); one that does not parse makes the rest of the
 * line an error, as Pygments' 'badregex' does. */
static void
regex_ok(struct js *j)
{
    struct hl *h = j->h;
    size_t n;
    if (comment_or_space(j))
        return;
    hl_stack_pop(&j->st);
    if (h->s[h->pos] != '/')
        return;
    if ((n = regex_len(h, h->pos)))
        hl_emit(h, HL_SR, n);
    else
        hl_stack_push(&j->st, BADREGEX);
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

static void
step(struct js *j)
{
    struct hl *h = j->h;
    switch (hl_stack_top(&j->st)) {
    case REGEX_OK:
        regex_ok(j);
        break;
    case BADREGEX:
        if (h->s[h->pos] == '\n') {
            hl_emit(h, HL_TEXT, 1);
            hl_stack_pop(&j->st);
        } else {
            hl_no_match(h, &j->st);
        }
        break;
    case TEMPLATE:
        template(j);
        break;
    case TEMPLATE_EXPR:
        if (h->s[h->pos] == '}') {
            hl_emit(h, HL_SI, 1);
            hl_stack_pop(&j->st);
        } else {
            root(j);
        }
        break;
    default:
        root(j);
    }
}

void
js_lex(struct hl *h, js_rules first)
{
    struct js j = { .h = h, .comment_end = HL_SEEK_INIT,
                    .no_close_after = { (size_t)-1, (size_t)-1 },
                    .dotted_from = (size_t)-1, .first = first,
                    .memo = { (size_t)-1, 0 } };
    hl_stack_init(&j.st, ROOT);
    while (h->pos < h->end)
        step(&j);
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
    hl_stack_push(&j->st, REGEX_OK);
}

size_t
js_dotted_scan(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q += hl_ascii_word(h, q);
        if (q >= h->end)
            break;
        if (hl_in(h->s[q], "?.$")) {
            q++;
        } else if ((unsigned char)h->s[q] >= 0x80 && hl_word_at(h, q)) {
            int32_t cp;
            q += hl_char(h, q, &cp);
        } else {
            break;
        }
    }
    return q;
}

size_t
js_dotted_end(struct js *j, size_t p)
{
    if (!(j->dotted_from <= p && p <= j->dotted_to)) {
        j->dotted_from = p;
        j->dotted_to = js_dotted_scan(j->h, p);
    }
    return j->dotted_to;
}

struct js_memo *
js_memo(struct js *j)
{
    return &j->memo;
}
