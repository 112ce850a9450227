/* lex_go.c: the Go lexer of the highlighter, after Pygments' GoLexer
 * (pygments/lexers/go.py in Debian's Pygments 2.14), whose one state this
 * follows rule by rule: comments, keywords (k, kn, kd, kc), builtin types
 * (kt) and functions called (nb), numbers, runes (sc), strings (s),
 * operators (o), punctuation (p) and other names (nx). */
#include "lexer.h"

/* What a word is to Pygments' word rules. */
enum kind { KEYWORD, TYPE, BUILTIN };

/* Sorted by strcmp. TYPE: kt, or nb right before a '('; BUILTIN: nb right
 * before a '(', else a name. */
static const struct word {
    const char *w;
    enum hl_class cls;
    enum kind kind;
} words[] = {
    {"any", HL_KT, TYPE}, {"append", HL_NB, BUILTIN}, {"bool", HL_KT, TYPE},
    {"break", HL_K, KEYWORD}, {"byte", HL_KT, TYPE}, {"cap", HL_NB, BUILTIN},
    {"case", HL_K, KEYWORD}, {"chan", HL_KD, KEYWORD}, {"close", HL_NB, BUILTIN},
    {"comparable", HL_KT, TYPE}, {"complex", HL_NB, BUILTIN},
    {"complex128", HL_KT, TYPE}, {"complex64", HL_KT, TYPE}, {"const", HL_KD, KEYWORD},
    {"continue", HL_K, KEYWORD}, {"copy", HL_NB, BUILTIN}, {"default", HL_K, KEYWORD},
    {"defer", HL_K, KEYWORD}, {"delete", HL_NB, BUILTIN}, {"else", HL_K, KEYWORD},
    {"error", HL_KT, TYPE}, {"fallthrough", HL_K, KEYWORD}, {"false", HL_KC, KEYWORD},
    {"float", HL_KT, TYPE}, {"float32", HL_KT, TYPE}, {"float64", HL_KT, TYPE},
    {"for", HL_K, KEYWORD}, {"func", HL_KD, KEYWORD}, {"go", HL_K, KEYWORD},
    {"goto", HL_K, KEYWORD}, {"if", HL_K, KEYWORD}, {"imag", HL_NB, BUILTIN},
    {"import", HL_KN, KEYWORD}, {"int", HL_KT, TYPE}, {"int16", HL_KT, TYPE},
    {"int32", HL_KT, TYPE}, {"int64", HL_KT, TYPE}, {"int8", HL_KT, TYPE},
    {"interface", HL_KD, KEYWORD}, {"iota", HL_KC, KEYWORD}, {"len", HL_NB, BUILTIN},
    {"make", HL_NB, BUILTIN}, {"map", HL_KD, KEYWORD}, {"new", HL_NB, BUILTIN},
    {"nil", HL_KC, KEYWORD}, {"package", HL_KN, KEYWORD}, {"panic", HL_NB, BUILTIN},
    {"print", HL_NB, BUILTIN}, {"println", HL_NB, BUILTIN}, {"range", HL_K, KEYWORD},
    {"real", HL_NB, BUILTIN}, {"recover", HL_NB, BUILTIN}, {"return", HL_K, KEYWORD},
    {"rune", HL_KT, TYPE}, {"select", HL_K, KEYWORD}, {"string", HL_KT, TYPE},
    {"struct", HL_KD, KEYWORD}, {"switch", HL_K, KEYWORD}, {"true", HL_KC, KEYWORD},
    {"type", HL_KD, KEYWORD}, {"uint", HL_KT, TYPE}, {"uint16", HL_KT, TYPE},
    {"uint32", HL_KT, TYPE}, {"uint64", HL_KT, TYPE}, {"uint8", HL_KT, TYPE},
    {"uintptr", HL_KT, TYPE}, {"var", HL_KD, KEYWORD},
};
static struct hl_words word_index = HL_WORDS(words);

struct go {
    struct hl *h;
    struct hl_stack st;   /* Pygments' stack: root alone */
    struct hl_seek star_slash, star_nl_slash, backquote;
    /* the last "..." scanned: from its opening quote 'from', every position
     * up to 'close' that follows a byte other than a backslash is where a
     * scan stands; 'close' is its closing quote, or end if none */
    size_t dq_from, dq_close;
};

/* ---- numbers -------------------------------------------------------------------- */

/* [Ee][-+]\d+ at p (the sign required), or 0. */
static size_t
signed_exponent(const struct hl *h, size_t p)
{
    if (!hl_in(hl_at(h, p), "eE") || !hl_in(hl_at(h, p + 1), "+-"))
        return 0;
    size_t d = hl_digits(h, p + 2);
    return d ? d + 2 : 0;
}

/* [eE][+\-]?\d+ at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p)
{
    if (!hl_in(hl_at(h, p), "eE"))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = hl_digits(h, q);
    return d ? q + d - p : 0;
}

/* The imaginary literals, in Pygments' order: \d+i, \d+\.\d*(E)?i,
 * \.\d+(E)?i, \d+E i, with E a signed exponent. Their length, or 0. */
static size_t
imaginary(const struct hl *h, size_t p)
{
    size_t d = hl_digits(h, p), q, e;
    if (d && hl_at(h, p + d) == 'i')
        return d + 1;
    if (hl_at(h, p + d) == '.' && (d || hl_digits(h, p + 1))) {
        /* \d+\.\d* needs digits before the point, \.\d+ after it */
        q = p + d + 1 + hl_digits(h, p + d + 1);
        e = signed_exponent(h, q);
        if (e && hl_at(h, q + e) == 'i')
            return q + e + 1 - p;
        if (hl_at(h, q) == 'i')
            return q + 1 - p;
        return 0;
    }
    if (d && (e = signed_exponent(h, p + d)) && hl_at(h, p + d + e) == 'i')
        return d + e + 1;
    return 0;
}

/* \d+(\.\d+[eE][+\-]?\d+|\.\d*|[eE][+\-]?\d+), then \.\d+([eE][+\-]?\d+)? */
static size_t
go_float(const struct hl *h, size_t p)
{
    size_t d = hl_digits(h, p), f, e;
    if (d) {
        if (hl_at(h, p + d) == '.') {
            f = hl_digits(h, p + d + 1);
            e = f ? exponent(h, p + d + 1 + f) : 0;
            return d + 1 + f + e;   /* the first alternative, or \.\d* */
        }
        e = exponent(h, p + d);
        return e ? d + e : 0;
    }
    if (hl_at(h, p) != '.' || !(f = hl_digits(h, p + 1)))
        return 0;
    return 1 + f + exponent(h, p + 1 + f);
}

/* Pygments' numbers in its order; false if none matches at pos. */
static bool
number(struct go *g)
{
    struct hl *h = g->h;
    size_t p = h->pos, n;
    if ((n = imaginary(h, p)))
        hl_emit(h, HL_M, n);
    else if ((n = go_float(h, p)))
        hl_emit(h, HL_MF, n);
    else if (hl_at(h, p) == '0' && (n = hl_span(h, p + 1, "01234567", SIZE_MAX)))
        hl_emit(h, HL_MO, n + 1);
    else if (hl_at(h, p) == '0' && hl_in(hl_at(h, p + 1), "xX") &&
             (n = hl_span(h, p + 2, HL_HEX, SIZE_MAX)))
        hl_emit(h, HL_MH, n + 2);
    else if (hl_at(h, p) == '0')
        hl_emit(h, HL_MI, 1);
    else if (hl_in(hl_at(h, p), "123456789"))
        hl_emit(h, HL_MI, hl_span(h, p, "0123456789", SIZE_MAX));
    else
        return false;
    return true;
}

/* ---- strings --------------------------------------------------------------------- */

/* '(\\['"\\abfnrtv]|\\x..|\\[0-7]{1,3}|\\u....|\\U........|[^\\])' at p:
 * its length, or 0. */
static size_t
rune(const struct hl *h, size_t p)
{
    size_t q = p + 1, n;
    int32_t cp;
    if (q >= h->end)
        return 0;
    if (h->s[q] != '\\')
        n = hl_char(h, q, &cp);
    else if (hl_in(hl_at(h, q + 1), "'\"\\abfnrtv"))
        n = 2;
    else if (!(n = hl_hex_escape(h, q, 'x', 2)) && !(n = hl_octal_escape(h, q)))
        n = hl_unicode_escape(h, q);
    return n && hl_at(h, q + n) == '\'' ? n + 2 : 0;
}

/* The closing quote of the "..." opening at p, where a backslash takes the
 * byte after it along, or (size_t)-1. A scan that reaches a position the
 * last one stood at ends as it did, so repeated openers cost linear time. */
static size_t
dq_close(struct go *g, size_t p)
{
    const struct hl *h = g->h;
    size_t q = p + 1;
    while (q < h->end) {
        if (q > g->dq_from && q <= g->dq_close &&
            (q == g->dq_from + 1 || h->s[q - 1] != '\\'))
            break;   /* where the last scan stood: the rest is the same */
        if (h->s[q] == '"') {
            g->dq_close = q;
            break;
        }
        q += h->s[q] == '\\' ? 2 : 1;
    }
    if (q >= h->end)
        g->dq_close = h->end;
    g->dq_from = p;
    return g->dq_close < h->end ? g->dq_close : (size_t)-1;
}

/* ---- root -------------------------------------------------------------------------- */

/* A block comment at p: /, perhaps \<newline>, *, then the first * that a
 * / follows, perhaps after \<newline>. Its length, or 0 if never closed. */
static size_t
block_comment(struct go *g, size_t p)
{
    const struct hl *h = g->h;
    size_t q = p + 1;
    if (hl_starts(h, q, "\\\n", 2))
        q += 2;
    if (hl_at(h, q) != '*')
        return 0;
    size_t a = hl_seek(h, &g->star_slash, "*/", 2, q + 1);
    size_t b = hl_seek(h, &g->star_nl_slash, "*\\\n/", 4, q + 1);
    if (a == (size_t)-1 && b == (size_t)-1)
        return 0;
    return a < b ? a + 2 - p : b + 4 - p;   /* (size_t)-1 is the largest */
}

/* The operators, longest first, as Pygments lists them; 0 if none. */
static size_t
operator_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p), d = hl_at(h, p + 1);
    switch (c) {
    case '<':
        if (d == '<')
            return hl_at(h, p + 2) == '=' ? 3 : 2;
        return d == '=' || d == '-' ? 2 : 0;
    case '>':
        if (d == '>')
            return hl_at(h, p + 2) == '=' ? 3 : 2;
        return d == '=' ? 2 : 0;
    case '&':
        if (d == '^')
            return hl_at(h, p + 2) == '=' ? 3 : 2;
        return d == '=' || d == '&' ? 2 : 1;
    case '+': return d == '=' || d == '+' ? 2 : 1;
    case '-': return d == '=' || d == '-' ? 2 : 1;
    case '*': case '/': case '%': return d == '=' ? 2 : 1;
    case '|': return d == '=' || d == '|' ? 2 : 1;
    case '=': case '!': case ':': return d == '=' ? 2 : 0;
    case '.': return d == '.' && hl_at(h, p + 2) == '.' ? 3 : 0;
    case '~': return 1;
    default: return 0;
    }
}

/* A word starting at pos ([^\W\d]\w*): keyword, type, builtin or name. */
static void
word(struct go *g, size_t n)
{
    struct hl *h = g->h;
    /* every word of the table is lower case and at most 11 bytes */
    int c = h->s[h->pos];
    int i = c >= 'a' && c <= 'z' && n <= 11 ? hl_words_find(&word_index, h->s + h->pos, n) : -1;
    if (i < 0) {
        hl_emit(h, HL_NX, n);
        return;
    }
    const struct word *w = &words[i];
    bool call = hl_at(h, h->pos + n) == '(';
    if (w->kind != KEYWORD && call) {
        hl_emit(h, HL_NB, n);
        hl_emit(h, HL_P, 1);
    } else {
        hl_emit(h, w->kind == BUILTIN ? HL_NX : w->cls, n);
    }
}

/* True if the character at p may start a name: \w but not \d. */
static bool
name_start(const struct hl *h, size_t p)
{
    int32_t cp;
    hl_char(h, p, &cp);
    return hl_cp_word(cp) && !hl_cp_digit(cp);
}

/* root's punctuation, after the operators */
static const bool punct[256] = {
    ['|'] = true, ['^'] = true, ['<'] = true, ['>'] = true, ['='] = true, ['!'] = true,
    ['('] = true, [')'] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true,
    ['.'] = true, [','] = true, [';'] = true, [':'] = true,
};

/* The rules of root that a byte beyond ASCII may start: spaces, numbers
 * (in other scripts' digits), names. */
static void
unicode(struct go *g)
{
    struct hl *h = g->h;
    size_t n = hl_space(h, h->pos, true);
    if (n)
        hl_emit(h, HL_TEXT, n);
    else if (number(g))
        return;
    else if (name_start(h, h->pos))
        word(g, hl_word_run(h, h->pos));
    else
        hl_no_match(h, &g->st);
}

/* root's rules in Pygments' order, dispatched on the byte at pos, which
 * decides which of them can match. */
static void
root(struct go *g)
{
    struct hl *h = g->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
    case 0x1c: case 0x1d: case 0x1e: case 0x1f:
        hl_emit(h, HL_TEXT, hl_space(h, p, true));
        return;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    case '8': case '9':
        number(g);
        return;
    case '.':
        if (number(g))
            return;
        break;
    case '/':
        if (hl_at(h, p + 1) == '/') {
            hl_emit(h, HL_C1, hl_line_end(h, p) - p);
            return;
        }
        if ((n = block_comment(g, p))) {
            hl_emit(h, HL_CM, n);
            return;
        }
        break;
    case '\\':
        if (hl_at(h, p + 1) == '\n') {
            hl_emit(h, HL_TEXT, 2);
            return;
        }
        break;
    case '\'':
        if ((n = rune(h, p))) {
            hl_emit(h, HL_SC, n);
            return;
        }
        break;
    case '`':
        if ((n = hl_seek(h, &g->backquote, "`", 1, p + 1)) != (size_t)-1) {
            hl_emit(h, HL_S, n + 1 - p);
            return;
        }
        break;
    case '"':
        if ((n = dq_close(g, p)) != (size_t)-1) {
            hl_emit(h, HL_S, n + 1 - p);
            return;
        }
        break;
    default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            word(g, hl_word_run(h, p));
            return;
        }
        if (c >= 0x80) {
            unicode(g);
            return;
        }
    }
    if ((n = operator_len(h, p)))
        hl_emit(h, HL_O, n);
    else if (punct[c])
        hl_emit(h, HL_P, 1);
    else
        hl_no_match(h, &g->st);
}

void
lex_go(struct hl *h)
{
    struct go g = { .h = h, .star_slash = HL_SEEK_INIT, .star_nl_slash = HL_SEEK_INIT,
                    .backquote = HL_SEEK_INIT, .dq_from = (size_t)-1, .dq_close = 0 };
    hl_stack_init(&g.st, 0);
    while (h->pos < h->end)
        root(&g);
    hl_stack_dispose(&g.st);
}
