/* lex_ini.c: the INI lexer of the highlighter, after Pygments' IniLexer
 * (pygments/lexers/configs.py, 2.14): [sections] (k), comments (c1), keys
 * (na), '=' or ':' (o) and values (s), values continued by a backslash. */
#include "lexer.h"

enum { ROOT, VALUE };

/* The end of s[p..e) without its trailing spaces and tabs, and with
 * nbsp also its no-break spaces (U+00A0). */
static size_t
trim_end(const struct hl *h, size_t p, size_t e, bool nbsp)
{
    for (;;) {
        if (e > p && (h->s[e - 1] == ' ' || h->s[e - 1] == '\t'))
            e--;
        else if (nbsp && e >= p + 2 && h->s[e - 2] == '\xc2' && h->s[e - 1] == '\xa0')
            e -= 2;
        else
            return e;
    }
}

/* The run at p of spaces, tabs and, with nbsp, no-break spaces. */
static size_t
blanks(const struct hl *h, size_t p, bool nbsp)
{
    size_t q = p;
    for (;;) {
        if (hl_at(h, q) == ' ' || hl_at(h, q) == '\t')
            q++;
        else if (nbsp && hl_at(h, q) == 0xc2 && hl_at(h, q + 1) == 0xa0)
            q += 2;
        else
            return q - p;
    }
}

/* (\[.*?\])([ \t]*)$ at pos: a line that ends in ']' but for blanks. */
static bool
section(struct hl *h, size_t eol)
{
    size_t p = h->pos, e = trim_end(h, p, eol, false);
    if (e < p + 2 || h->s[e - 1] != ']')
        return false;
    hl_emit(h, HL_K, e - p);
    if (eol > e)
        hl_emit(h, HL_TEXT, eol - e);
    return true;
}

/* Emits key, blanks and operator at o, with nbsp_before if the blanks
 * before the operator may hold no-break spaces; returns the end of the
 * blanks after it, which may hold them if the blanks before may not. */
static size_t
key_op(struct hl *h, size_t o, bool nbsp_before)
{
    size_t p = h->pos, k = trim_end(h, p, o, nbsp_before);
    if (k > p)
        hl_emit(h, HL_NA, k - p);
    if (o > k)
        hl_emit(h, HL_TEXT, o - k);
    hl_emit(h, HL_O, 1);
    size_t v = o + 1 + blanks(h, o + 1, !nbsp_before);
    if (v > o + 1)
        hl_emit(h, HL_TEXT, v - o - 1);
    return v;
}

/* The first '=' or ':' in s[p..e), or NULL. */
static const char *
first_op(const struct hl *h, size_t p, size_t e)
{
    const char *eq = memchr(h->s + p, '=', e - p), *colon = memchr(h->s + p, ':', e - p);
    return !eq ? colon : !colon || eq < colon ? eq : colon;
}

/* The rule for a value continued on the next line: the first '=' or ':' of
 * the line whose value, before any ';' or '#', holds a backslash followed
 * by whitespace, the last such backslash ending the value. The first op of
 * a stretch between ';' and '#' decides for the rest of it. */
static bool
continued(struct hl *h, size_t eol, struct hl_stack *st)
{
    size_t p = h->pos;
    if (!memchr(h->s + p, '\\', eol - p))
        return false;
    while (p < eol) {
        size_t e = p;
        while (e < eol && h->s[e] != ';' && h->s[e] != '#')
            e++;
        const char *op = first_op(h, p, e);
        for (size_t b = e; op && b-- > (size_t)(op - h->s) + 1;) {
            if (h->s[b] != '\\' || !hl_space(h, b + 1, true))
                continue;
            size_t v = key_op(h, (size_t)(op - h->s), true);
            if (b > v)
                hl_emit(h, HL_S, b - v);
            hl_emit(h, HL_TEXT, 1 + hl_space(h, b + 1, true));
            hl_stack_push(st, VALUE);
            return true;
        }
        p = e + 1;
    }
    return false;
}

/* [^ ;#\n]*(?: +[^ ;#\n]+)*: a value, its inner spaces but not its last. */
static size_t
value_len(const struct hl *h, size_t p)
{
    static const bool stop[256] = { [' '] = true, [';'] = true, ['#'] = true, ['\n'] = true };
    size_t q = p + hl_until(h, p, stop);
    while (hl_at(h, q) == ' ') {
        size_t r = q;
        while (hl_at(h, r) == ' ')
            r++;
        size_t n = hl_until(h, r, stop);
        if (!n)
            break;
        q = r + n;
    }
    return q - p;
}

static void
root(struct hl *h, struct hl_stack *st)
{
    size_t p = h->pos, n, eol;
    char c = h->s[p];
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    eol = hl_line_end(h, p);
    if (c == ';' || c == '#') {
        hl_emit(h, HL_C1, eol - p);
    } else if (c == '[' && section(h, eol)) {
        return;
    } else if (continued(h, eol, st)) {
        return;
    } else {
        const char *op = first_op(h, p, eol);
        if (!op) {
            hl_emit(h, HL_NA, eol - p);
            return;
        }
        size_t v = key_op(h, (size_t)(op - h->s), false);
        if ((n = value_len(h, v)))
            hl_emit(h, HL_S, n);
    }
}

/* A continued value's next line: up to its last backslash, or all of it. */
static void
value(struct hl *h, struct hl_stack *st)
{
    size_t p = h->pos, n, eol;
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    eol = hl_line_end(h, p);
    const char *b = memrchr(h->s + p, '\\', eol - p);
    if (!b) {
        hl_emit(h, HL_S, eol - p);
        hl_stack_pop(st);
        return;
    }
    if ((size_t)(b - h->s) > p)
        hl_emit(h, HL_S, (size_t)(b - h->s) - p);
    hl_emit(h, HL_TEXT, 1 + blanks(h, (size_t)(b - h->s) + 1, false));
}

void
lex_ini(struct hl *h)
{
    struct hl_stack st;
    hl_stack_init(&st, ROOT);
    while (h->pos < h->end) {
        if (hl_stack_top(&st) == VALUE)
            value(h, &st);
        else
            root(h, &st);
    }
    hl_stack_dispose(&st);
}
