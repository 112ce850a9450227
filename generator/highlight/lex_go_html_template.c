/* lex_go_html_template.c: Go's html/template as Hugo writes it: {{ }}
 * actions in HTML. Pygments 2.14 has no such lexer; this one follows Chroma's
 * (Hugo's highlighter) go-html-template rule by rule (lexers/embedded/
 * go_template.xml) with Pygments' classes: delimiters cp, comments cm,
 * keywords and builtin functions k, variables and functions nx, fields na,
 * strings and numbers; the text between actions is lexed as HTML, as
 * Chroma's DelegatingLexer does. */
#include "lex_bytes.h"

#include <string.h>

/* Chroma's states: root, template (an action) and subexpression (a '('
 * inside one), which only ever stack in that order; so the stack holds
 * root alone (for hl_no_match), action() is the template state, and a
 * count of the '(' open stands for the subexpressions on top of it. */
enum { ROOT };

struct tmpl {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek close;              /* a comment's "*" "/}}" or "*" "/ -}}" */
    size_t last_quote;                 /* the text's last '"' (end if none), or
                                        * (size_t)-1 until a string needs it */
};

/* What Pygments does where no rule matches (hl_no_match), through h. */
__attribute__((always_inline)) static inline void
no_match(struct tmpl *t, struct hl_out *o)
{
    hl_out_put(o);
    hl_no_match(t->h, &t->st);
    hl_out_get(o);
}

/* Whether w[0..n) is a word of the keyword rule (a \b after them): by its
 * first byte, the one to three of them to compare, in place of a hash. */
__attribute__((always_inline)) static inline bool
is_keyword(const char *w, size_t n)
{
#define IS(k) (n == sizeof(k) - 1 && !memcmp(w, k, sizeof(k) - 1))
    switch (w[0]) {
    case 'a': return IS("and");
    case 'b': return IS("block") || IS("break");
    case 'c': return IS("call") || IS("continue");
    case 'd': return IS("define");
    case 'e': return IS("else") || IS("end") || IS("eq");
    case 'f': return IS("false");
    case 'g': return IS("ge") || IS("gt");
    case 'h': return IS("html");
    case 'i': return IS("if") || IS("index");
    case 'j': return IS("js");
    case 'l': return IS("le") || IS("len") || IS("lt");
    case 'n': return IS("ne") || IS("nil") || IS("not");
    case 'o': return IS("or");
    case 'p': return IS("print") || IS("printf") || IS("println");
    case 'r': return IS("range");
    case 's': return IS("slice");
    case 't': return IS("template") || IS("true");
    case 'u': return IS("urlquery");
    case 'w': return IS("while") || IS("with");
    default: return false;
    }
#undef IS
}

static inline void action(struct tmpl *t, struct hl_out *o);

/* ---- root ------------------------------------------------------------------------- */

/* The first "*" "/" at or after from that "}}" or " -}}" follows (the
 * comment rule's lazy end), or end; found by its rare '*', remembered. */
static size_t
comment_close(struct tmpl *t, size_t from)
{
    const struct hl *h = t->h;
    if (!hl_seek_valid(&t->close, from)) {
        size_t at = h->end;
        const char *star;
        for (size_t q = from; q < h->end && (star = memchr(h->s + q, '*', h->end - q)); q++) {
            q = (size_t)(star - h->s);
            if (hl_starts(h, q + 1, "/}}", 3) || hl_starts(h, q + 1, "/ -}}", 5)) {
                at = q;
                break;
            }
        }
        t->close.from = from;
        t->close.at = at;
    }
    return t->close.at;
}

/* {{(- )?/\*(.|\n)*?\*\/( -)?}}: the length of the comment at start, or 0. */
static inline size_t
comment_len(struct tmpl *t, size_t start)
{
    struct hl *h = t->h;
    size_t p = start + 2;
    if (hl_starts(h, p, "- ", 2))
        p += 2;
    if (!hl_starts(h, p, "/*", 2))
        return 0;
    size_t at = comment_close(t, p + 2);
    if (at == h->end)
        return 0;
    return at + (h->s[at + 2] == ' ' ? 6 : 4) - start;
}

/* Chroma's root state at o's cursor: a comment, an action's {{ or {{- and
 * the action, or the text up to the next '{' (Other, for the HTML lexer). */
__attribute__((always_inline)) static inline void
root(struct tmpl *t, struct hl_out *o)
{
    const struct hl *h = t->h;
    size_t p = o->pos, n;
    if (h->s[p] == '{' && hl_at(h, p + 1) == '{') {
        int next = hl_at(h, p + 2);   /* a comment starts with {{ and then / or - */
        if ((next == '/' || next == '-') && (n = comment_len(t, p))) {
            hl_out_emit(o, HL_CM, n);
            return;
        }
        hl_out_emit(o, HL_CP, 2 + (next == '-'));
        action(t, o);
        return;
    }
    const char *brace = memchr(h->s + p + 1, '{', h->end - p - 1);
    hl_out_emit(o, HL_X, brace ? (size_t)(brace - h->s) - p : h->end - p);
}

/* ---- expressions ------------------------------------------------------------------- */

/* "(\\\\|\\"|[^"])*": to the first '"' that no backslash escapes, or else,
 * as the regex backtracks, to the text's last '"'; its length, or 0. */
static size_t
string_len(struct tmpl *t, size_t p)
{
    struct hl *h = t->h;
    const char *quote;
    /* each '"' in turn: a backslash escapes it when an odd run of them is
     * before it (the run cannot start inside an escape) */
    for (size_t from = p + 1;
         from < h->end && (quote = memchr(h->s + from, '"', h->end - from));) {
        size_t at = (size_t)(quote - h->s), run = at;
        while (run > p + 1 && h->s[run - 1] == '\\')
            run--;
        if ((at - run) % 2 == 0)
            return at + 1 - p;
        from = at + 1;
    }
    /* the text's last '"', found once: only a string left open needs it */
    if (t->last_quote == (size_t)-1) {
        quote = memrchr(h->s + p, '"', h->end - p);
        t->last_quote = quote ? (size_t)(quote - h->s) : h->end;
    }
    if (t->last_quote <= p || t->last_quote >= h->end)
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

/* What the first byte of a token inside an action tells: which rules can
 * match there (the kind, low bits), and whether the byte is ASCII \w. */
enum {
    K_NONE,      /* no rule: an error */
    K_LETTER,    /* a keyword or a name */
    K_SPACE,
    K_DIGIT,     /* a number */
    K_MINUS,     /* -}} or a number */
    K_CLOSE,     /* }} */
    K_LPAREN, K_RPAREN,
    K_OPERATOR,  /* | , = */
    K_COLON,     /* := */
    K_DOLLAR, K_DOT, K_DQUOTE, K_SQUOTE, K_BACKTICK,
    K_HIGH,      /* >= 0x80: decoded */
    K_KIND = 15,      /* the sixteen kinds above */
    K_WORD = 16,
    K_SPACE_GOES_ON = 32,   /* \s or a byte >= 0x80: a run of \s may go on */
};
#define S (K_SPACE | K_SPACE_GOES_ON)
#define H (K_HIGH | K_SPACE_GOES_ON)
#define HIGH8 H, H, H, H, H, H, H, H
#define HIGH64 HIGH8, HIGH8, HIGH8, HIGH8, HIGH8, HIGH8, HIGH8, HIGH8
static const unsigned char byte_kind[256] = {
    HL_LETTER_BYTES(K_LETTER | K_WORD), HL_DIGIT_BYTES(K_DIGIT | K_WORD),
    [' '] = S, ['\t'] = S, ['\n'] = S, ['\v'] = S, ['\f'] = S, ['\r'] = S,
    [0x1c] = S, [0x1d] = S, [0x1e] = S, [0x1f] = S,
    ['-'] = K_MINUS, ['}'] = K_CLOSE, ['('] = K_LPAREN, [')'] = K_RPAREN,
    ['|'] = K_OPERATOR, [','] = K_OPERATOR, ['='] = K_OPERATOR, [':'] = K_COLON,
    ['$'] = K_DOLLAR, ['.'] = K_DOT, ['"'] = K_DQUOTE, ['\''] = K_SQUOTE,
    ['`'] = K_BACKTICK,
    [0x80] = HIGH64, HIGH64,
};
#undef S
#undef H
#undef HIGH8
#undef HIGH64

/* name_len at a byte >= 0x80: decoded, out of line. */
static size_t
wide_name_len(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    if (!hl_cp_word(cp) || hl_cp_digit(cp))
        return 0;
    return n + hl_word_len(h, p + n);
}

/* [^\W\d]\w*: a name's length at p, or 0. */
__attribute__((always_inline)) static inline size_t
name_len(const struct hl *h, size_t p)
{
    if (p >= h->end)
        return 0;
    unsigned kind = byte_kind[(unsigned char)h->s[p]] & K_KIND;
    if (kind == K_LETTER)
        return hl_word_len(h, p);
    return kind == K_HIGH ? wide_name_len(h, p) : 0;
}

/* The rules of a byte >= 0x80, in Chroma's order: whitespace, a name (the
 * keywords are ASCII), a number. */
__attribute__((always_inline)) static inline void
wide_token(struct tmpl *t, struct hl_out *o, size_t p)
{
    const struct hl *h = t->h;
    enum hl_class cls;
    size_t n;
    if ((n = hl_space_run(h, p, true)))
        hl_out_emit(o, HL_TEXT, n);
    else if ((n = name_len(h, p)))
        hl_out_emit(o, HL_NX, n);
    else if ((n = number(h, p, &cls)))
        hl_out_emit(o, cls, n);
    else
        no_match(t, o);
}

/* Chroma's template and subexpression states, token after token until the
 * action's -}} or }} (or the end of the text). Each token's first byte
 * decides which rules can match there; where several can, they are tried
 * in Chroma's order (the closing -}} or }} or ')', whitespace, '(', the
 * keywords, operators, names, fields, strings, numbers, characters, raw
 * strings). */
__attribute__((always_inline)) static inline void
action(struct tmpl *t, struct hl_out *o)
{
    const struct hl *h = t->h;
    const char *s = h->s;
    const size_t end = h->end;
    size_t parens = 0;   /* subexpressions open */
    while (o->pos < end) {
        size_t p = o->pos, n, q;
        /* one ' ' before a token, the commonest whitespace: emitted here,
         * with no dispatch (the whitespace rule) */
        if (s[p] == ' ' && p + 1 < end && !(byte_kind[(unsigned char)s[p + 1]] & K_SPACE_GOES_ON)) {
            hl_out_emit(o, HL_TEXT, 1);
            p++;
        }
        unsigned char c = (unsigned char)s[p];
        enum hl_class cls;
        const char *tick;
        switch (byte_kind[c] & K_KIND) {
        case K_LETTER:
            /* a keyword (the whole \w run: all are lower case, 2 to 8
             * bytes), else a name */
            n = hl_word_len(h, p);
            hl_out_emit(o, c >= 'a' && n >= 2 && n <= 8 && is_keyword(s + p, n) ? HL_K : HL_NX, n);
            break;
        case K_SPACE:   /* most often one ' ' before a byte that is not \s */
            if (p + 1 < end && !(byte_kind[(unsigned char)s[p + 1]] & K_SPACE_GOES_ON))
                n = 1;
            else
                n = hl_space(h, p, true);
            hl_out_emit(o, HL_TEXT, n);
            break;
        case K_CLOSE:   /* }} ends the template state only */
            if (!parens && p + 1 < end && s[p + 1] == '}') {
                hl_out_emit(o, HL_CP, 2);
                return;
            }
            no_match(t, o);
            break;
        case K_MINUS:   /* -}} ends the template state only; else a number */
            if (!parens && hl_starts(h, p + 1, "}}", 2)) {
                hl_out_emit(o, HL_CP, 3);
                return;
            }
            /* fall through */
        case K_DIGIT:
            if ((n = number(h, p, &cls)))
                hl_out_emit(o, cls, n);
            else
                no_match(t, o);
            break;
        case K_RPAREN:   /* ends a subexpression */
            if (parens) {
                hl_out_emit(o, HL_O, 1);
                parens--;
            } else {
                no_match(t, o);
            }
            break;
        case K_LPAREN:
            hl_out_emit(o, HL_O, 1);
            parens++;
            break;
        case K_OPERATOR:
            hl_out_emit(o, HL_O, 1);
            break;
        case K_COLON:
            if (hl_at(h, p + 1) == '=')
                hl_out_emit(o, HL_O, 2);
            else
                no_match(t, o);
            break;
        case K_DOLLAR:   /* a variable; '$' alone; $.field */
            if ((n = name_len(h, p + 1)))
                hl_out_emit(o, HL_NX, 1 + n);
            else if (hl_at(h, p + 1) != '.')
                hl_out_emit(o, HL_NA, 1);
            else
                hl_out_emit(o, HL_NA, 2 + name_len(h, p + 2));
            break;
        case K_DOT:
            /* a field (before the numbers that start with '.'), and the
             * fields right after it, of the same class, at once */
            q = p;
            do
                q += 1 + name_len(h, q + 1);
            while (q < end && s[q] == '.');
            hl_out_emit(o, HL_NA, q - p);
            break;
        case K_DQUOTE:
            if ((n = string_len(t, p)))
                hl_out_emit(o, HL_S, n);
            else
                no_match(t, o);
            break;
        case K_SQUOTE:
            if ((n = char_len(h, p)))
                hl_out_emit(o, HL_SC, n);
            else
                no_match(t, o);
            break;
        case K_BACKTICK:
            /* a ` left open has none after it: the search is not repeated */
            if ((tick = memchr(s + p + 1, '`', end - p - 1)))
                hl_out_emit(o, HL_S, (size_t)(tick - s) + 1 - p);
            else
                no_match(t, o);
            break;
        case K_HIGH:
            wide_token(t, o, p);
            break;
        default:
            no_match(t, o);
            break;
        }
    }
}

/* The Go template lexer alone: the text outside actions is Other (HL_X). */
static void
lex_go_template(struct hl *h)
{
    struct tmpl t = { .h = h, .close = HL_SEEK_INIT,
                      .last_quote = (size_t)-1 };
    struct hl_out o = { .h = h };
    hl_stack_init(&t.st, ROOT);
    hl_out_get(&o);
    while (o.pos < h->end)
        root(&t, &o);
    hl_out_put(&o);
    hl_stack_dispose(&t.st);
}

void
lex_go_html_template(struct hl *h)
{
    hl_delegate(h, lex_html, lex_go_template);
}
