/* lex_go_html_template.c: Go's html/template as Hugo writes it: {{ }}
 * actions in HTML. Pygments 2.14 has no such lexer; this one follows Chroma's
 * (Hugo's highlighter) go-html-template rule by rule (lexers/embedded/
 * go_template.xml) with Pygments' classes: delimiters cp, comments cm,
 * keywords and builtin functions k, variables and functions nx, fields na,
 * strings and numbers; the text between actions is lexed as HTML, as
 * Chroma's DelegatingLexer does. */
#include "lexer.h"

#include <string.h>

/* Chroma's states */
enum { ROOT, TEMPLATE, SUBEXPRESSION };

struct tmpl {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek close, close_trim;  /* "*" "/}}" and "*" "/ -}}" */
    size_t last_quote;                 /* the text's last '"', or (size_t)-1 */
};

/* The words of the keyword rule (a \b after them), sorted. */
static const char *const keywords[] = {
    "and", "block", "break", "call", "continue", "define", "else", "end", "eq", "false",
    "ge", "gt", "html", "if", "index", "js", "le", "len", "lt", "ne", "nil", "not", "or",
    "print", "printf", "println", "range", "slice", "template", "true", "urlquery",
    "while", "with",
};
static struct hl_words keyword_index = HL_WORDS(keywords);

/* ---- root ------------------------------------------------------------------------- */

/* {{(- )?/\*(.|\n)*?\*\/( -)?}}: the comment's length at pos, or 0. */
static size_t
comment_len(struct tmpl *t)
{
    struct hl *h = t->h;
    size_t p = h->pos + 2;
    if (hl_starts(h, p, "- ", 2))
        p += 2;
    if (!hl_starts(h, p, "/*", 2))
        return 0;
    size_t a = hl_seek(h, &t->close, "*/}}", 4, p + 2);
    size_t b = hl_seek(h, &t->close_trim, "*/ -}}", 6, p + 2);
    if (a == (size_t)-1 && b == (size_t)-1)
        return 0;
    if (b < a)   /* (size_t)-1 is the largest */
        return b + 6 - h->pos;
    return a + 4 - h->pos;
}

static void
root(struct tmpl *t)
{
    struct hl *h = t->h;
    size_t p = h->pos, n;
    if (h->s[p] == '{' && hl_at(h, p + 1) == '{') {
        if ((n = comment_len(t))) {
            hl_emit(h, HL_CM, n);
            return;
        }
        hl_emit(h, HL_CP, 2 + (hl_at(h, p + 2) == '-'));
        hl_stack_push(&t->st, TEMPLATE);
        return;
    }
    const char *brace = memchr(h->s + p + 1, '{', h->end - p - 1);
    hl_emit(h, HL_X, brace ? (size_t)(brace - h->s) - p : h->end - p);
}

/* ---- expressions ------------------------------------------------------------------- */

/* "(\\\\|\\"|[^"])*": to the first '"' that no backslash escapes, or else,
 * as the regex backtracks, to the text's last '"'; its length, or 0. */
static size_t
string_len(struct tmpl *t, size_t p)
{
    struct hl *h = t->h;
    for (size_t i = p + 1; i < h->end; i++) {
        if (h->s[i] == '"')
            return i + 1 - p;
        if (h->s[i] == '\\' && i + 1 < h->end)
            i++;
    }
    if (t->last_quote == (size_t)-1 || t->last_quote <= p || t->last_quote >= h->end)
        return 0;
    return t->last_quote + 1 - p;
}

/* '(\\['"\\abfnrtv]|\\x..|\\ooo|\\u....|\\U........|[^\\])': its length, or 0. */
static size_t
char_len(const struct hl *h, size_t p)
{
    size_t n = 0;
    int32_t cp;
    if (p + 1 >= h->end)
        return 0;
    if (h->s[p + 1] != '\\')
        n = hl_char(h, p + 1, &cp);
    else if (hl_in(hl_at(h, p + 2), "'\"\\abfnrtv"))
        n = 2;
    else if (!(n = hl_hex_escape(h, p + 1, 'x', 2)) && !(n = hl_hex_escape(h, p + 1, 'u', 4)))
        n = hl_hex_escape(h, p + 1, 'U', 8);
    if (!n && (n = hl_span(h, p + 2, "01234567", 3)))
        n++;
    return n && hl_at(h, p + 1 + n) == '\'' ? n + 2 : 0;
}

/* [eE][+-]D or, with sign_optional, [eE][+-]?D: its length at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p, bool sign_optional)
{
    if (!hl_in(hl_at(h, p), "eE"))
        return 0;
    size_t s = hl_in(hl_at(h, p + 1), "+-");
    if (!s && !sign_optional)
        return 0;
    size_t d = hl_digits(h, p + 1 + s);
    return d ? 1 + s + d : 0;
}

/* The number rules, in order, at p (after an optional '-' at p): the length
 * and class of the first that matches, 0 if none. Those that start with a
 * '.' are left out: the field rule before them takes a '.' alone. */
static size_t
number(const struct hl *h, size_t p, enum hl_class *cls)
{
    size_t m = hl_at(h, p) == '-', q = p + m, d = hl_digits(h, q), f, e;
    if (d && hl_at(h, q + d) == 'i') {
        *cls = HL_M;
        return m + d + 1;
    }
    if (d && hl_at(h, q + d) == '.') {
        f = q + d + 1 + hl_digits(h, q + d + 1);
        e = exponent(h, f, false);
        if (hl_at(h, f + e) == 'i') {
            *cls = HL_M;
            return f + e + 1 - p;
        }
    }
    d = hl_digits(h, q);
    if (d && (e = exponent(h, q + d, false)) && hl_at(h, q + d + e) == 'i') {
        *cls = HL_M;
        return m + d + e + 1;
    }
    if (d) {
        /* \.\d+[eE][+-]?\d+ | \.\d* | [eE][+-]?\d+ */
        size_t r = q + d;
        if (hl_at(h, r) == '.') {
            size_t d2 = hl_digits(h, r + 1);
            e = d2 ? exponent(h, r + 1 + d2, true) : 0;
            *cls = HL_MF;
            return r + 1 + d2 + e - p;
        }
        if ((e = exponent(h, r, true))) {
            *cls = HL_MF;
            return r + e - p;
        }
    }
    if (hl_at(h, q) == '.' && (d = hl_digits(h, q + 1))) {
        *cls = HL_MF;
        return m + 1 + d + exponent(h, q + 1 + d, true);
    }
    if (hl_at(h, q) == '0') {
        if ((d = hl_span(h, q + 1, "01234567", (size_t)-1))) {
            *cls = HL_MO;
            return m + 1 + d;
        }
        if (hl_in(hl_at(h, q + 1), "xX") && (d = hl_span(h, q + 2, HL_HEX, (size_t)-1))) {
            *cls = HL_MH;
            return m + 2 + d;
        }
        if (hl_at(h, q + 1) == 'b' && (d = hl_span(h, q + 2, "01_", (size_t)-1))) {
            *cls = HL_MB;
            return m + 2 + d;
        }
        *cls = HL_MI;
        return m + 1;
    }
    if (hl_in(hl_at(h, q), "123456789")) {
        *cls = HL_MI;
        return m + hl_span(h, q, "0123456789", (size_t)-1);
    }
    return 0;
}

/* [^\W\d]\w*: a name's length at p, or 0. */
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

/* The rules of 'expression' from the keywords on. */
static void
expression_word(struct tmpl *t)
{
    struct hl *h = t->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    enum hl_class cls;
    const char *tick;
    n = hl_word_run(h, p);
    if (n && hl_words_find(&keyword_index, h->s + p, n) >= 0) {
        hl_emit(h, HL_K, n);
    } else if (c == '|' || c == ',' || c == '=' || (c == ':' && hl_at(h, p + 1) == '=')) {
        hl_emit(h, HL_O, c == ':' ? 2 : 1);
    } else if ((n = name_len(h, p + (c == '$')))) {
        hl_emit(h, HL_NX, n + (c == '$'));
    } else if (c == '$' && hl_at(h, p + 1) != '.') {
        hl_emit(h, HL_NA, 1);
    } else if (c == '$' || c == '.') {
        size_t q = p + (c == '$') + 1;
        hl_emit(h, HL_NA, q - p + name_len(h, q));
    } else if (c == '"' && (n = string_len(t, p))) {
        hl_emit(h, HL_S, n);
    } else if ((c == '-' || c == '.' || (c >= '0' && c <= '9') || c >= 0x80) &&
               (n = number(h, p, &cls))) {
        hl_emit(h, cls, n);
    } else if (c == '\'' && (n = char_len(h, p))) {
        hl_emit(h, HL_SC, n);
    } else if (c == '`' && (tick = memchr(h->s + p + 1, '`', h->end - p - 1))) {
        /* a ` left open has none after it: the search is not repeated */
        hl_emit(h, HL_S, (size_t)(tick - h->s) + 1 - p);
    } else {
        hl_no_match(h, &t->st);
    }
}

static void
expression(struct tmpl *t)
{
    struct hl *h = t->h;
    size_t n = hl_space(h, h->pos, true);
    if (n) {
        hl_emit(h, HL_TEXT, n);
    } else if (h->s[h->pos] == '(') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&t->st, SUBEXPRESSION);
    } else {
        expression_word(t);
    }
}

/* An action: -}} or }} ends it; ( opens a subexpression; strings; the rest. */
static void
template(struct tmpl *t)
{
    struct hl *h = t->h;
    size_t p = h->pos, n = h->s[p] == '-';
    if (hl_at(h, p + n) == '}' && hl_at(h, p + n + 1) == '}') {
        hl_emit(h, HL_CP, n + 2);
        hl_stack_pop(&t->st);
    } else {
        expression(t);   /* its ( and strings are the template's own rules */
    }
}

static void
subexpression(struct tmpl *t)
{
    struct hl *h = t->h;
    if (h->s[h->pos] == ')') {
        hl_emit(h, HL_O, 1);
        hl_stack_pop(&t->st);
    } else {
        expression(t);
    }
}

/* The Go template lexer alone: the text outside actions is Other (HL_X). */
static void
lex_go_template(struct hl *h)
{
    struct tmpl t = { .h = h, .close = HL_SEEK_INIT, .close_trim = HL_SEEK_INIT,
                      .last_quote = (size_t)-1 };
    for (size_t i = h->end; i > h->pos; i--)
        if (h->s[i - 1] == '"') {
            t.last_quote = i - 1;
            break;
        }
    hl_stack_init(&t.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&t.st)) {
        case ROOT: root(&t); break;
        case TEMPLATE: template(&t); break;
        default: subexpression(&t); break;
        }
    }
    hl_stack_dispose(&t.st);
}

void
lex_go_html_template(struct hl *h)
{
    hl_delegate(h, lex_html, lex_go_template);
}
