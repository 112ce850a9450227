/* lex_yaml.c: the YAML lexer of the highlighter, line by line with the
 * token classes of Pygments' YamlLexer: keys (nt), indicators (p), plain
 * scalars (l in blocks, nv in flow collections), quoted scalars (s, se),
 * block scalars (no), tags (kt), anchors (nl), aliases (nv), comments,
 * directives and document markers (nn). */
#include "lexer.h"

#define NONE ((size_t)-1)

struct yaml {
    struct hl *h;
    struct hl_stack flow;  /* '[' or '{' for each open flow collection */
    size_t block_indent;   /* a block scalar's lines are indented deeper; NONE */
    size_t line_begin;     /* where the current line starts */
    size_t key_col;        /* column of the key on this line, or NONE */
    size_t no_key_before;  /* no key starts before this offset of the line */
    struct hl_seek angle;  /* the next '>', for !<tag> */
};

/* The bytes of a tag besides \w: #;/?:@&=+$,.!~*'()[]%- */
static bool
tag_char(const struct hl *h, size_t p)
{
    return hl_word_at(h, p) || hl_in(hl_at(h, p), "#;/?:@&=+$,.!~*'()[]%-");
}

/* The run at p of \w and '-'. */
static size_t
name_run(const struct hl *h, size_t p)
{
    size_t q = p;
    int32_t cp;
    while (q < h->end && (hl_word_at(h, q) || h->s[q] == '-'))
        q += hl_char(h, q, &cp);
    return q - p;
}

/* The run at p of spaces, tabs and carriage returns before eol. */
static size_t
blanks(const struct hl *h, size_t p, size_t eol)
{
    size_t q = p;
    while (q < eol && (h->s[q] == ' ' || h->s[q] == '\t' || h->s[q] == '\r'))
        q++;
    return q - p;
}

/* True if p is a space, the end of the line or of the text. */
static bool
gap_at(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    return c < 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- tokens every context has ------------------------------------------------- */

/* A tag (kt), an anchor (nl) or an alias (nv) at pos: emitted, true. */
static bool
descriptor(struct yaml *y)
{
    struct hl *h = y->h;
    size_t p = h->pos, q = p + 1, n;
    int32_t cp;
    char c = h->s[p];
    if (c == '!') {
        if (hl_at(h, q) == '<') {
            size_t close = hl_seek(h, &y->angle, ">", 1, q);
            if (close != NONE && close > q + 1 && close < hl_line_end(h, q)) {
                hl_emit(h, HL_KT, close + 1 - p);
                return true;
            }
        }
        while (q < h->end && tag_char(h, q))
            q += hl_char(h, q, &cp);
        hl_emit(h, HL_KT, q - p);
        return true;
    }
    if ((c == '&' || c == '*') && (n = name_run(h, q))) {
        hl_emit(h, c == '&' ? HL_NL : HL_NV, 1 + n);
        return true;
    }
    return false;
}

/* A quoted scalar at pos, over lines if need be: text (s), '' or \x \u \U
 * escapes (se); an unclosed one runs to the end. */
static void
quoted(struct hl *h)
{
    char q = h->s[h->pos];
    hl_emit(h, HL_S, 1);
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        char c = h->s[p];
        if (c == q && q == '\'' && hl_at(h, p + 1) == '\'') {
            hl_emit(h, HL_SE, 2);
        } else if (c == q) {
            hl_emit(h, HL_S, 1);
            return;
        } else if (c == '\\' && q == '"') {
            n = hl_at(h, p + 1) == 'x' ? hl_hex_escape(h, p, 'x', 2) : hl_unicode_escape(h, p);
            if (n)
                hl_emit(h, HL_SE, n);
            else
                hl_emit(h, HL_S, p + 1 < h->end ? 2 : 1);
        } else {
            const char *next = memchr(h->s + p, q, h->end - p);
            size_t stop = next ? (size_t)(next - h->s) : h->end;
            if (q == '"') {
                const char *bs = memchr(h->s + p, '\\', stop - p);
                stop = bs ? (size_t)(bs - h->s) : stop;
            }
            hl_emit(h, HL_S, stop - p);
        }
    }
}

/* A comment, which only starts a line or follows a space. */
static bool
comment(struct hl *h, size_t eol)
{
    size_t p = h->pos;
    if (h->s[p] != '#' || (p > h->base && !gap_at(h, p - 1)))
        return false;
    hl_emit(h, HL_C1, eol - p);
    return true;
}

/* ---- flow collections ------------------------------------------------------------ */

/* A key in a flow mapping at pos: [^,:?[]{}"'\n]+ then ':' and a space. */
static bool
flow_key(struct yaml *y, size_t eol)
{
    static const bool stop[256] = {
        [','] = true, [':'] = true, ['?'] = true, ['['] = true, [']'] = true,
        ['{'] = true, ['}'] = true, ['"'] = true, ['\''] = true, ['\n'] = true,
    };
    struct hl *h = y->h;
    if (hl_stack_top(&y->flow) != '{' || h->pos < y->no_key_before)
        return false;
    size_t n = hl_until(h, h->pos, stop);
    if (!n || h->pos + n >= eol || h->s[h->pos + n] != ':' || !gap_at(h, h->pos + n + 1)) {
        y->no_key_before = h->pos + n;   /* nor from anywhere in this run */
        return false;
    }
    hl_emit(h, HL_NT, n);
    hl_emit(h, HL_P, 1);
    return true;
}

/* A plain scalar at pos, up to " #" or the end of the line, inner spaces
 * included: in a flow collection (nv) up to an indicator too, in a block
 * (l) up to ": ". */
static void
plain(struct hl *h, size_t eol, bool flow)
{
    size_t p = h->pos, q = p, last = p;
    while (q < eol) {
        char c = h->s[q];
        if (flow ? hl_in(c, ",:?[]{}") : c == ':' && (q + 1 >= eol || gap_at(h, q + 1)))
            break;
        if (c == ' ' || c == '\t') {
            size_t b = blanks(h, q, eol);
            if (q + b >= eol || h->s[q + b] == '#')
                break;
            q += b;
            continue;
        }
        q++;
        last = q;
    }
    hl_emit(h, flow ? HL_NV : HL_L, last > p ? last - p : 1);
}

/* One token inside [...] or {...}. */
static void
flow_token(struct yaml *y, size_t eol)
{
    struct hl *h = y->h;
    char c = h->s[h->pos];
    if (c == '[' || c == '{') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&y->flow, (unsigned char)c);
    } else if (c == ']' || c == '}') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&y->flow);
    } else if (blanks(h, h->pos, eol)) {
        hl_emit(h, HL_TEXT, blanks(h, h->pos, eol));
    } else if (comment(h, eol) || flow_key(y, eol) || descriptor(y)) {
        return;
    } else if (hl_in(c, ",?:")) {
        hl_emit(h, HL_P, 1);
    } else if (c == '\'' || c == '"') {
        quoted(h);
    } else {
        plain(h, eol, true);
    }
}

/* ---- block context ----------------------------------------------------------------- */

/* A key at pos: the longest run of [^#,?[]{}"'\n] that ends before a ':'
 * followed by a space or the end of the line (Pygments' greedy rule). */
static bool
block_key(struct yaml *y, size_t eol)
{
    static const bool stop[256] = {
        ['#'] = true, [','] = true, ['?'] = true, ['['] = true, [']'] = true, ['{'] = true,
        ['}'] = true, ['"'] = true, ['\''] = true, ['\n'] = true,
    };
    struct hl *h = y->h;
    size_t p = h->pos;
    if (p < y->no_key_before)
        return false;
    size_t run = hl_until(h, p, stop), k;
    if (p + run > eol)
        run = eol - p;
    for (k = run; k > 1; k--)
        if (h->s[p + k - 1] == ':' && (p + k >= eol || gap_at(h, p + k)))
            break;
    if (k <= 1) {
        y->no_key_before = p + run;   /* no key starts anywhere in this run */
        return false;
    }
    y->key_col = p - y->line_begin;
    hl_emit(h, HL_NT, k - 1);
    hl_emit(h, HL_P, 1);
    return true;
}

/* A block scalar's header at pos: | or >, then an indentation digit and a
 * chomping sign in either order (p). Its lines follow. */
static void
block_scalar(struct yaml *y, size_t line_indent)
{
    struct hl *h = y->h;
    size_t n = 1;
    while (n < 3 && hl_in(hl_at(h, h->pos + n), "123456789+-"))
        n++;
    hl_emit(h, HL_P, n);
    y->block_indent = y->key_col != NONE ? y->key_col : line_indent;
}

/* One token of a block line; plain scalars only start where Pygments
 * allows them, anything else is an error. */
static void
block_token(struct yaml *y, size_t eol, size_t indent)
{
    struct hl *h = y->h;
    size_t p = h->pos, b;
    char c = h->s[p];
    if ((b = blanks(h, p, eol))) {
        hl_emit(h, HL_TEXT, b);
    } else if (comment(h, eol) || block_key(y, eol) || descriptor(y)) {
        return;
    } else if (hl_in(c, "?:-") && gap_at(h, p + 1)) {
        hl_emit(h, HL_P, 1);
    } else if (c == '|' || c == '>') {
        block_scalar(y, indent);
    } else if (c == '[' || c == '{') {
        flow_token(y, eol);
    } else if (c == '\'' || c == '"') {
        quoted(h);
    } else if (!hl_in(c, "?:,[]{}#&*!|>'\"%@`-") || (hl_in(c, "?:-") && !gap_at(h, p + 1))) {
        plain(h, eol, false);
    } else {
        hl_emit(h, HL_ERR, 1);
    }
}

/* A line of a block scalar (no), or a blank one. */
static void
scalar_line(struct hl *h, size_t eol)
{
    size_t b = blanks(h, h->pos, eol);
    if (b)
        hl_emit(h, HL_TEXT, b);
    if (eol > h->pos)
        hl_emit(h, HL_NO, eol - h->pos);
}

/* %YAML 1.2, %TAG !e! tag:x: the name (nt), the rest (m, kt). */
static void
directive(struct hl *h, size_t eol)
{
    bool yaml = hl_starts(h, h->pos, "%YAML", 5);
    size_t n = name_run(h, h->pos + 1) + 1, b;
    hl_emit(h, HL_NT, n);
    while (h->pos < eol) {
        if ((b = blanks(h, h->pos, eol))) {
            hl_emit(h, HL_TEXT, b);
        } else if (!comment(h, eol)) {
            size_t q = h->pos;
            while (q < eol && !gap_at(h, q))
                q++;
            hl_emit(h, yaml ? HL_M : HL_KT, q - h->pos);
        }
    }
}

/* The start of a block line: ---/... markers, indentation, - ? : indicators. */
static size_t
line_start(struct yaml *y, size_t eol)
{
    struct hl *h = y->h;
    size_t indent = blanks(h, h->pos, eol), b;
    if ((hl_starts(h, h->pos, "---", 3) || hl_starts(h, h->pos, "...", 3)) &&
        gap_at(h, h->pos + 3)) {
        hl_emit(h, HL_NN, 3);
        return 0;
    }
    if (indent)
        hl_emit(h, HL_TEXT, indent);
    while (h->pos < eol && hl_in(h->s[h->pos], "?:-") && gap_at(h, h->pos + 1)) {
        hl_emit(h, HL_P, 1);
        if ((b = blanks(h, h->pos, eol)))
            hl_emit(h, HL_TEXT, b);
    }
    return indent;
}

/* The tokens of a line that is no block scalar's, up to eol or, after a
 * quoted scalar that goes on, the end of the line where it ends. */
static void
tokens(struct yaml *y, size_t eol)
{
    struct hl *h = y->h;
    size_t indent = 0;
    y->key_col = NONE;
    if (y->flow.depth == 1 && h->s[h->pos] == '%') {
        directive(h, eol);
        return;
    }
    if (y->flow.depth == 1)
        indent = line_start(y, eol);
    while (h->pos < eol) {
        if (y->flow.depth > 1)
            flow_token(y, eol);
        else
            block_token(y, eol, indent);
        if (h->pos > eol)
            eol = hl_line_end(h, h->pos);
    }
}

/* One line, its newline included. */
static void
line(struct yaml *y)
{
    struct hl *h = y->h;
    size_t eol = hl_line_end(h, h->pos);
    y->line_begin = h->pos;
    if (y->block_indent != NONE) {
        size_t b = blanks(h, h->pos, eol);
        if (h->pos + b == eol || b > y->block_indent)
            scalar_line(h, eol);
        else
            y->block_indent = NONE;
    }
    if (y->block_indent == NONE)
        tokens(y, eol);
    if (h->pos < h->end)
        hl_emit(h, HL_TEXT, 1);
}

void
lex_yaml(struct hl *h)
{
    struct yaml y = { .h = h, .block_indent = NONE, .key_col = NONE, .angle = HL_SEEK_INIT };
    hl_stack_init(&y.flow, 0);
    while (h->pos < h->end)
        line(&y);
    hl_stack_dispose(&y.flow);
}
