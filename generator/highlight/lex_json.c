/* lex_json.c: the JSON lexer of the highlighter, after Pygments' JsonLexer:
 * object keys (nt) told from string values (s2) by the ':' after them,
 * constants (kc), numbers, punctuation, and the comments JSON in the wild has.
 * Like Pygments it does not validate: "trueish" is a constant, "--1" a number. */
#include "lexer.h"

/* What a string, or a run of strings, whitespace and comments, turned out to
 * be: remembered up to the first other byte so each run is scanned once. */
struct json {
    struct hl *h;
    size_t run_end;   /* where the last look-ahead stopped */
    bool run_is_key;  /* whether a ':' was found there */
};

static bool
is_space(int c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The length of the string at p, closing quote included, or 0 if it is not
 * closed. An escape takes the next character; \u takes up to four hex
 * digits, and the character that cuts it short is taken too, as Pygments
 * does. */
static size_t
string_len(const struct hl *h, size_t p)
{
    size_t i = p + 1;
    while (i < h->end) {
        char c = h->s[i++];
        if (c == '"')
            return i - p;
        if (c != '\\' || i >= h->end)
            continue;
        if (h->s[i++] != 'u')
            continue;
        for (int k = 0; k < 4 && i < h->end; k++)
            if (!hl_in(h->s[i++], "0123456789abcdefABCDEF"))
                break;
    }
    return 0;
}

/* The length of the comment at p, a line comment or a block comment, 0 if
 * s[p] starts none, or (size_t)-1 for a block comment left open. */
static size_t
comment_len(const struct hl *h, size_t p)
{
    int next = hl_at(h, p + 1);
    if (h->s[p] != '/' || (next != '/' && next != '*'))
        return 0;
    if (next == '/')
        return hl_line_end(h, p) - p;
    for (size_t i = p + 2; i + 1 < h->end; i++)
        if (h->s[i] == '*' && h->s[i + 1] == '/')
            return i + 2 - p;
    return (size_t)-1;
}

/* Whether the string ending at p is a key: whether a ':' follows it after
 * whitespace, comments and more strings. */
static bool
is_key(struct json *j, size_t p)
{
    struct hl *h = j->h;
    if (p <= j->run_end)
        return j->run_is_key;
    size_t n;
    while (p < h->end) {
        if (is_space(h->s[p]))
            p++;
        else if (h->s[p] == '"' && (n = string_len(h, p)))
            p += n;
        else if ((n = comment_len(h, p)) && n != (size_t)-1)
            p += n;
        else
            break;
    }
    j->run_end = p;
    j->run_is_key = hl_at(h, p) == ':';
    return j->run_is_key;
}

/* The run at pos of the bytes of set; at least one. */
static size_t
run_of(const struct hl *h, const char *set)
{
    size_t q = h->pos + 1;
    while (q < h->end && hl_in(h->s[q], set))
        q++;
    return q - h->pos;
}

static void
number(struct hl *h)
{
    size_t n = run_of(h, "-0123456789.eE+");
    bool fraction = false;
    for (size_t i = 0; i < n; i++)
        fraction |= hl_in(h->s[h->pos + i], ".eE+");
    hl_emit(h, fraction ? HL_MF : HL_MI, n);
}

static void
string(struct json *j)
{
    struct hl *h = j->h;
    size_t n = string_len(h, h->pos);
    if (!n)
        hl_emit(h, HL_ERR, h->end - h->pos);
    else
        hl_emit(h, is_key(j, h->pos + n) ? HL_NT : HL_S2, n);
}

static void
slash(struct hl *h)
{
    size_t n = comment_len(h, h->pos);
    if (n == (size_t)-1)
        hl_emit(h, HL_ERR, h->end - h->pos);
    else if (n)
        hl_emit(h, h->s[h->pos + 1] == '/' ? HL_C1 : HL_CM, n);
    else
        hl_emit(h, HL_ERR, 1);
}

void
lex_json(struct hl *h)
{
    struct json j = { .h = h, .run_end = 0, .run_is_key = false };
    if (h->pos > 0)
        j.run_end = h->pos - 1;
    while (h->pos < h->end) {
        char c = h->s[h->pos];
        if (c == '"')
            string(&j);
        else if (is_space(c))
            hl_emit(h, HL_TEXT, run_of(h, " \n\r\t"));
        else if (c == 'f' || c == 'n' || c == 't')
            hl_emit(h, HL_KC, run_of(h, "truefalsn"));
        else if (c == '-' || (c >= '0' && c <= '9'))
            number(h);
        else if (hl_in(c, "{}[],:"))
            hl_emit(h, HL_P, run_of(h, "{}[],"));
        else if (c == '/')
            slash(h);
        else
            hl_emit(h, HL_ERR, 1);
    }
}
