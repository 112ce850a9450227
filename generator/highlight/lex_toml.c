/* lex_toml.c: the TOML lexer of the highlighter, after Pygments' TOMLLexer
 * (pygments/lexers/configs.py, 2.14): [table] lines (k), comments (c1),
 * strings (s), true and false at a line's end (kc), bare names (n), dates,
 * numbers, punctuation and '='. Like Pygments it does not validate. */
#include "lexer.h"

struct toml {
    struct hl *h;
    struct hl_stack st;        /* one state; hl_no_match wants a stack */
    size_t ws_from, ws_to;     /* the last run of \s skipped for a table */
    bool ws_table;             /* whether a table line follows it */
    size_t no_dq_after;        /* no "..." closes at or after this */
    size_t no_sq_after;        /* no '...' closes at or after this */
    size_t triple_eol;         /* the line whose last ''' is triple_at */
    size_t triple_at;          /* (size_t)-1 if it has none */
};

/* What can start at each byte, from which of TOMLLexer's rules can match
 * there (after a table line, which only a line start can begin). */
enum {
    K_RULES,   /* several, or a character to decode: try them in order */
    K_BLANK,   /* only [ \t]+ */
    K_NEWLINE, /* only \n */
    K_PUNCT,   /* only []{}:(),; */
    K_EQUALS,  /* only = */
    /* and the three that continue a name, \w in ASCII: */
    K_NAME,    /* [a-zA-Z_] but t and f: only a name */
    K_TF,      /* t and f: true or false at a line's end, else a name */
    K_DIGIT,   /* only a date or number */
};
#define R_ K_RULES
#define N_ K_NAME
#define D_ K_DIGIT
#define P_ K_PUNCT
static const unsigned char kind[256] = {
    /* 0x00 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, K_BLANK, K_NEWLINE, R_, R_, R_, R_, R_,
    /* 0x10 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_,
    /*  !"# */ K_BLANK, R_, R_, R_, R_, R_, R_, R_, P_, P_, R_, R_, P_, R_, R_, R_,
    /* 0-9  */ D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, P_, P_, R_, K_EQUALS, R_, R_,
    /* @A-O */ R_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_,
    /* P-Z_ */ N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, N_, P_, R_, P_, R_, N_,
    /* `a-o */ R_, N_, N_, N_, N_, N_, K_TF, N_, N_, N_, N_, N_, N_, N_, N_, N_,
    /* p-z  */ N_, N_, N_, N_, K_TF, N_, N_, N_, N_, N_, N_, P_, R_, P_, R_, R_,
    /* bytes >= 0x80 are R_ (0) */
};
#undef R_
#undef N_
#undef D_
#undef P_

/* The length of the \d at p, 0 if none. */
static size_t
digit(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c < 0x80)
        return c >= '0' && c <= '9';
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    return hl_cp_digit(cp) ? n : 0;
}

/* The length of the match at p of pat, where 'd' is \d and '[xy]' one
 * byte of a set, every other byte itself; 0 if none. */
static size_t
pattern(const struct hl *h, size_t p, const char *pat)
{
    size_t q = p, n;
    for (; *pat; pat++) {
        if (*pat == 'd') {
            if (!(n = digit(h, q)))
                return 0;
            q += n;
        } else if (*pat == '[') {
            const char *close = strchr(pat, ']');
            bool in = false;
            for (const char *c = pat + 1; c < close; c++)
                in |= hl_at(h, q) == (unsigned char)*c;
            if (!in)
                return 0;
            q++;
            pat = close;
        } else if (hl_at(h, q) != (unsigned char)*pat) {
            return 0;
        } else {
            q++;
        }
    }
    return q - p;
}

/* ^(\s*)(\[.*?\])$ at a line start: blanks (newlines too) before a line
 * that is '[', anything, ']'. The blanks are measured once however many
 * lines they hold. */
static bool
table(struct toml *t)
{
    struct hl *h = t->h;
    size_t p = h->pos;
    if (!(t->ws_from <= p && p <= t->ws_to)) {
        size_t q = p + hl_space(h, p, true), eol = hl_line_end(h, q);
        t->ws_from = p;
        t->ws_to = q;
        t->ws_table = hl_at(h, q) == '[' && eol >= q + 2 && h->s[eol - 1] == ']';
    }
    if (!t->ws_table)
        return false;
    if (t->ws_to > p)
        hl_emit(h, HL_TEXT, t->ws_to - p);
    hl_emit(h, HL_K, hl_line_end(h, h->pos) - h->pos);
    return true;
}

/* '''(.*)''' on one line: up to the line's last ''' that leaves room. */
static size_t
triple(struct toml *t)
{
    struct hl *h = t->h;
    size_t p = h->pos, eol = hl_line_end(h, p);
    if (t->triple_eol != eol) {
        t->triple_eol = eol;
        t->triple_at = (size_t)-1;
        for (size_t r = eol; r >= p + 3; r--)
            if (!memcmp(h->s + r - 3, "'''", 3)) {
                t->triple_at = r - 3;
                break;
            }
    }
    if (t->triple_at == (size_t)-1 || t->triple_at < p + 3)
        return 0;
    return t->triple_at + 3 - p;
}

/* A "..." string with escapes, or an '...' one: its length, or 0. Once
 * one is left open no later one closes (its quote would close the first). */
static size_t
string(struct toml *t)
{
    static const bool stop[256] = { ['"'] = true };
    struct hl *h = t->h;
    size_t p = h->pos, n;
    if (h->s[p] == '"') {
        if (p >= t->no_dq_after)
            return 0;
        n = 1 + hl_until_escaped(h, p + 1, stop);
        if (p + n < h->end)
            return n + 1;
        t->no_dq_after = p;
        return 0;
    }
    if (hl_starts(h, p, "'''", 3) && (n = triple(t)))
        return n;
    if (p >= t->no_sq_after)
        return 0;
    const char *q = memchr(h->s + p + 1, '\'', h->end - p - 1);
    if (q)
        return (size_t)(q - h->s) + 1 - p;
    t->no_sq_after = p;
    return 0;
}

/* [a-zA-Z_][\w\-]* */
static size_t
name(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (!(c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z')))
        return 0;
    size_t q = p + 1;
    for (;;) {   /* the ASCII bytes in a tight loop, others as \w */
        while (q < h->end && (kind[(unsigned char)h->s[q]] >= K_NAME || h->s[q] == '-'))
            q++;
        size_t n = q < h->end && (unsigned char)h->s[q] >= 0x80 ? hl_word_run(h, q) : 0;
        if (!n)
            return q - p;
        q += n;
    }
}

/* ([eE][+-]?[0-9]+)? then j? */
static size_t
float_tail(const struct hl *h, size_t q)
{
    if (hl_in(hl_at(h, q), "eE")) {
        size_t s = q + 1 + hl_in(hl_at(h, q + 1), "+-");
        size_t d = hl_span(h, s, "0123456789", (size_t)-1);
        if (d)
            q = s + d;
    }
    return q + (hl_at(h, q) == 'j');
}

/* A date and time, a float or an integer at pos (perhaps signed): true
 * when one was emitted. */
static bool
number(struct hl *h)
{
    size_t p = h->pos, a = hl_digits(h, p), n, d;
    if (a == 4 && (n = pattern(h, p, "dddd-dd-dd[T ]dd:dd:dd"))) {
        size_t z = hl_at(h, p + n) == 'Z' ? 1 : pattern(h, p + n, "[-+]dd:dd");
        if (z) {
            hl_emit(h, HL_MI, n + z);
            return true;
        }
    }
    if (a && hl_at(h, p + a) == '.') {
        size_t q = p + a + 1;
        hl_emit(h, HL_MF, float_tail(h, q + hl_digits(h, q)) - p);
        return true;
    }
    if (!a && h->s[p] == '.' && (d = hl_digits(h, p + 1))) {
        hl_emit(h, HL_MF, float_tail(h, p + 1 + d) - p);
        return true;
    }
    if (a && hl_in(hl_at(h, p + a), "eE")) {
        size_t s = p + a + 1 + hl_in(hl_at(h, p + a + 1), "+-");
        if ((d = hl_span(h, s, "0123456789", (size_t)-1))) {
            hl_emit(h, HL_MF, s + d + (hl_at(h, s + d) == 'j') - p);
            return true;
        }
    }
    size_t sign = hl_in(h->s[p], "+-");
    int first = hl_at(h, p + sign);   /* inf, infinity and nan need an i or an n */
    if (first == 'i' && hl_starts(h, p + sign, "infinity", 8)) {
        hl_emit(h, HL_MF, sign + 8);
        return true;
    }
    if ((first == 'i' || first == 'n') &&
        (hl_starts(h, p + sign, "inf", 3) || hl_starts(h, p + sign, "nan", 3))) {
        hl_emit(h, HL_MF, sign + 3);
        return true;
    }
    if ((d = hl_digits(h, p + sign))) {
        hl_emit(h, HL_MI, sign + d);
        return true;
    }
    return false;
}

/* (true|false)$ */
static size_t
constant(const struct hl *h, size_t p)
{
    size_t n = hl_starts(h, p, "true", 4) ? 4 : hl_starts(h, p, "false", 5) ? 5 : 0;
    return n && (p + n == h->end || h->s[p + n] == '\n') ? n : 0;
}

static void
token(struct toml *t)
{
    struct hl *h = t->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (hl_line_start(h, p) && table(t))
        return;
    switch (kind[(unsigned char)c]) {
    case K_BLANK:
        for (n = 1; p + n < h->end && (h->s[p + n] == ' ' || h->s[p + n] == '\t'); n++)
            ;
        hl_emit(h, HL_TEXT, n);
        return;
    case K_NEWLINE:
        hl_emit(h, HL_TEXT, 1);
        return;
    case K_TF:
    case K_NAME:
        if ((c == 't' || c == 'f') && (n = constant(h, p)))
            hl_emit(h, HL_KC, n);
        else
            hl_emit(h, HL_N, name(h, p));
        return;
    case K_DIGIT:   /* [+-]?\d+ at once unless a date, a float or more \d may follow */
        for (n = 1; p + n < h->end && kind[(unsigned char)h->s[p + n]] == K_DIGIT; n++)
            ;
        if (p + n == h->end || ((unsigned char)h->s[p + n] < 0x80 && !hl_in(h->s[p + n], ".eE-")))
            hl_emit(h, HL_MI, n);
        else if (!number(h))
            hl_no_match(h, &t->st);
        return;
    case K_EQUALS:
        hl_emit(h, HL_O, 1);
        return;
    case K_PUNCT:
        hl_emit(h, HL_P, 1);
        return;
    default:
        break;
    }
    if (c == ' ' || c == '\t')
        hl_emit(h, HL_TEXT, hl_span(h, p, " \t", (size_t)-1));
    else if (c == '\n')
        hl_emit(h, HL_TEXT, 1);
    else if (c == '#')
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
    else if ((c == '"' || c == '\'') && (n = string(t)))
        hl_emit(h, HL_S, n);
    else if ((n = constant(h, p)))
        hl_emit(h, HL_KC, n);
    else if ((n = name(h, p)))
        hl_emit(h, HL_N, n);
    else if (number(h))
        return;
    else if (hl_in(c, "[]{}:(),;."))
        hl_emit(h, HL_P, 1);
    else if (c == '=')
        hl_emit(h, HL_O, 1);
    else
        hl_no_match(h, &t->st);
}

void
lex_toml(struct hl *h)
{
    struct toml t = { .h = h, .ws_from = 1, .ws_to = 0, .no_dq_after = (size_t)-1,
                      .no_sq_after = (size_t)-1, .triple_eol = (size_t)-1 };
    hl_stack_init(&t.st, 0);
    while (h->pos < h->end)
        token(&t);
    hl_stack_dispose(&t.st);
}
