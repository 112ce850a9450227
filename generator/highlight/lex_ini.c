/* lex_ini.c: the INI lexer of the highlighter, after Pygments' IniLexer
 * (pygments/lexers/configs.py, 2.14): [sections] (k), comments (c1), keys
 * (na), '=' or ':' (o) and values (s), values continued by a backslash. */
#include "lexer.h"

enum { ROOT, VALUE };

/* The end of s[p..e) without its trailing spaces and tabs, and with
 * nbsp also its no-break spaces (U+00A0). */
static inline size_t
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
static inline size_t
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
static inline size_t
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

/* The bytes that end a line's key (KEY_STOP) and its value (VALUE_STOP)
 * for the rule of a key and value; a backslash ends both, as the rule of a
 * continued value needs one. */
enum { KEY_STOP = 1, VALUE_STOP = 2 };
static const unsigned char line_stop[256] = {
    ['='] = KEY_STOP, [':'] = KEY_STOP, [';'] = VALUE_STOP, ['#'] = VALUE_STOP,
    ['\\'] = KEY_STOP | VALUE_STOP, ['\n'] = KEY_STOP | VALUE_STOP,
};

/* \s+ at pos, the whitespace a token leaves before the next: emitted as
 * root's first rule would, without a round of the main loop; most often
 * a newline alone. */
__attribute__((always_inline)) static inline void
trailing_space(struct hl *h)
{
    size_t p = h->pos, n;
    if (p == h->end)
        return;
    unsigned char next = p + 1 < h->end ? (unsigned char)h->s[p + 1] : ' ';
    if (h->s[p] == '\n' && !(hl_ascii[next] & HL_A_SPACE) && next < 0x80)
        hl_emit(h, HL_TEXT, 1);
    else if ((n = hl_space(h, p, true)))
        hl_emit(h, HL_TEXT, n);
}

/* The rules from that of a continued value on, for a line with a
 * backslash: the slow way. */
static void
key_line(struct hl *h, struct hl_stack *st)
{
    size_t p = h->pos, eol = hl_line_end(h, p);
    if (continued(h, eol, st))
        return;
    const char *op = first_op(h, p, eol);
    if (!op) {
        hl_emit(h, HL_NA, eol - p);
        return;
    }
    size_t v = key_op(h, (size_t)(op - h->s), false), e = v;
    /* [^ ;#\n]*(?: +[^ ;#\n]+)*: up to ';', '#' or newline, not its last spaces */
    while (e < eol && h->s[e] != ';' && h->s[e] != '#')
        e++;
    while (e > v && h->s[e - 1] == ' ')
        e--;
    if (e > v)
        hl_emit(h, HL_S, e - v);
}

static void
root(struct hl *h, struct hl_stack *st)
{
    const char *s = h->s;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)s[p];
    if (((hl_ascii[c] & HL_A_SPACE) || c >= 0x80) && (n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (c == ';' || c == '#') {
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
        trailing_space(h);
        return;
    }
    if (c == '[' && section(h, hl_line_end(h, p))) {
        trailing_space(h);
        return;
    }
    /* The rules of a key, decided by the first '=', ':', backslash or
     * newline: a line with a backslash may continue its value, else it
     * is a key and value at its first '=' or ':', or a key alone. */
    size_t o = hl_skip_to(h, p, line_stop, KEY_STOP);
    if (o == h->end || s[o] == '\n') {
        hl_emit(h, HL_NA, o - p);   /* (.+?)$ */
        trailing_space(h);
        return;
    }
    size_t e = s[o] == '\\' ? o : hl_skip_to(h, o + 1, line_stop, VALUE_STOP);
    bool backslash = e < h->end && s[e] == '\\';
    if (e < h->end && (s[e] == ';' || s[e] == '#'))   /* the rest of the line unseen */
        backslash = memchr(s + e, '\\', hl_line_end(h, e) - e) != NULL;
    if (backslash) {
        key_line(h, st);
        return;
    }
    /* (.*?)([ \t]*)([=:])([  \t]*)([^ ;#\n]*(?: +[^ ;#\n]+)*): the key
     * but for its last blanks, the op, blanks, the value up to e but for
     * its last spaces */
    size_t k = o, v = o + 1;
    while (k > p && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    if (k > p)
        hl_emit(h, HL_NA, k - p);
    if (o > k)
        hl_emit(h, HL_TEXT, o - k);
    hl_emit(h, HL_O, 1);
    v += blanks(h, v, true);
    if (v > o + 1)
        hl_emit(h, HL_TEXT, v - o - 1);
    while (e > v && s[e - 1] == ' ')
        e--;
    if (e > v)
        hl_emit(h, HL_S, e - v);
    trailing_space(h);
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
