/* mustache.c: our Mustache 1.4 engine, with inheritance and dynamic names:
 * the compiler. Part of render/: theme templates are compiled once into
 * node trees in a set, which mustache_render.c renders from. */
#include "mustache_private.h"
#include "../base/arena.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 100 /* sections inside sections within one template */
#define NONE ((size_t)-1)

/* ---- Compiling: tokens ---------------------------------------------------- */

/* Compiling runs in passes over a flat list of tokens: lex (delimiters and
 * tags), match sections, find standalone lines, strip block indentation,
 * build the tree. Diag positions are 1-based; columns count bytes. */

enum tok_kind {
    TOK_TEXT,     /* at most one newline, at its end */
    TOK_VAR,      /* {{x}} */
    TOK_RAW,      /* {{{x}}}, {{&x}} */
    TOK_SECTION,  /* {{#x}} */
    TOK_INVERTED, /* {{^x}} */
    TOK_CLOSE,    /* {{/x}} */
    TOK_COMMENT,  /* {{!x}}, and tags dropped after an error */
    TOK_DELIMS,   /* {{=<% %>=}} */
    TOK_PARTIAL,  /* {{>x}} */
    TOK_PARENT,   /* {{<x}} */
    TOK_BLOCK,    /* {{$x}} */
};

struct token {
    enum tok_kind kind;
    const char *s; /* text, or the tag's name */
    size_t len;
    unsigned line, col;
    size_t lineno; /* index of its line in compiler.lines */
    size_t match;  /* opening tag: its closing tag, and back */
    size_t owner;  /* the innermost opening tag around it, or NONE */
    const char *indent;
    size_t indent_len;
    bool bol;        /* text: starts a line of the source */
    bool dynamic;    /* partial, parent: {{>*x}} */
    bool removed;    /* text: dropped by the standalone rules */
    bool standalone; /* partial, parent: indented by indent */
    bool has_indent; /* parameter block: overrides get indent */
    bool intrinsic;  /* argument block: indent is stripped from its lines */
};

/* A line of the source; a tag spanning lines (a comment) joins them. */
struct line {
    size_t first, last;             /* its tokens */
    size_t first_solid, last_solid; /* tokens other than blank text, NONE */
};

struct compiler {
    const char *src; /* the template's own copy */
    size_t len;
    const char *path;
    struct diags *d;
    int errors;
    struct token *toks;
    size_t ntoks, cap;
    struct line *lines;
    size_t nlines;
    size_t pos, line_start; /* the lexer's cursor */
    unsigned line;
    const char *open, *close; /* current delimiters, inside src */
    size_t olen, clen;
    struct arena *a;
};

static void
error(struct compiler *c, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports a syntax error at line:col and counts it. */
static void
error(struct compiler *c, unsigned line, unsigned col, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diags_add(c->d, DIAG_CONTENT, c->path, line, col, "%s",
              msg.data ? msg.data : "");
    buf_dispose(&msg);
    c->errors++;
}

/* Appends a token at line:col; the caller fills in the rest. */
static struct token *
push_token(struct compiler *c, enum tok_kind kind, unsigned line,
           unsigned col)
{
    if (c->ntoks == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->toks = xrealloc(c->toks, c->cap * sizeof *c->toks);
    }
    struct token *t = &c->toks[c->ntoks++];
    *t = (struct token){ .kind = kind, .line = line, .col = col,
                         .match = NONE, .owner = NONE };
    return t;
}

static bool
is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* True when text holds only spaces and tabs, then maybe a line end. */
static bool
is_blank(const char *s, size_t len)
{
    if (len && s[len - 1] == '\n')
        len -= 1 + (len > 1 && s[len - 2] == '\r');
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* The leading spaces and tabs of s (at most len bytes). */
static size_t
indent_of(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && (s[n] == ' ' || s[n] == '\t'))
        n++;
    return n;
}

static void
trim(const char **s, size_t *len)
{
    while (*len && is_space(**s))
        (*s)++, (*len)--;
    while (*len && is_space((*s)[*len - 1]))
        (*len)--;
}

/* Index of needle in src[from, to), or NONE. Scans once per candidate. */
static size_t
find(const char *src, size_t from, size_t to, const char *needle, size_t n)
{
    size_t i = from;
    while (i + n <= to) {
        const char *p = memchr(src + i, needle[0], to - n + 1 - i);
        if (!p)
            return NONE;
        i = (size_t)(p - src);
        if (memcmp(p, needle, n) == 0)
            return i;
        i++;
    }
    return NONE;
}

/* Moves the lexer's cursor to pos, counting lines on the way. */
static void
advance(struct compiler *c, size_t pos)
{
    while (c->pos < pos) {
        const char *nl = memchr(c->src + c->pos, '\n', pos - c->pos);
        if (!nl) {
            c->pos = pos;
            break;
        }
        c->line++;
        c->pos = c->line_start = (size_t)(nl - c->src) + 1;
    }
}

static unsigned
column(const struct compiler *c)
{
    return (unsigned)(c->pos - c->line_start + 1);
}

/* Turns src[pos, end) into text tokens, one per line. */
static void
lex_text(struct compiler *c, size_t end)
{
    while (c->pos < end) {
        const char *nl = memchr(c->src + c->pos, '\n', end - c->pos);
        size_t stop = nl ? (size_t)(nl - c->src) + 1 : end;
        struct token *t = push_token(c, TOK_TEXT, c->line, column(c));
        t->s = c->src + c->pos;
        t->len = stop - c->pos;
        t->bol = c->pos == c->line_start;
        advance(c, stop);
    }
}

/* Where the closing delimiter of a tag whose content starts at from is,
 * or NONE. want, when not 0, must come just before it ('}' or '=').
 * Only comments may span lines or hold the opening delimiter. */
static size_t
find_close(struct compiler *c, size_t from, char want, bool comment)
{
    size_t limit = c->len, next_open = NONE;
    if (!comment) {
        const char *nl = memchr(c->src + from, '\n', c->len - from);
        limit = nl ? (size_t)(nl - c->src) : c->len;
        if (want != '=')
            next_open = find(c->src, from, limit, c->open, c->olen);
    }
    for (size_t at = from;;) {
        at = find(c->src, at, limit, c->close, c->clen);
        if (at == NONE || (next_open != NONE && next_open < at))
            return NONE;
        if (!want || (at > from && c->src[at - 1] == want))
            return at;
        at++;
    }
}

/* After a tag that is never closed: goes on at the next tag on the same
 * line, else at the end of the line (comments: at the end). */
static void
skip_broken_tag(struct compiler *c, size_t from, bool comment)
{
    size_t resume = c->len;
    if (!comment) {
        const char *nl = memchr(c->src + from, '\n', c->len - from);
        resume = nl ? (size_t)(nl - c->src) : c->len;
        size_t open = find(c->src, from, resume, c->open, c->olen);
        if (open != NONE)
            resume = open;
    }
    advance(c, resume);
}

/* Applies {{=<% %>=}}, whose content (between the '=' signs) is s. */
static void
set_delims(struct compiler *c, const char *s, size_t len, unsigned line,
           unsigned col)
{
    const char *all = s;
    size_t all_len = len;
    trim(&s, &len);
    size_t olen = 0;
    while (olen < len && !is_space(s[olen]))
        olen++;
    const char *cl = s + olen;
    size_t clen = len - olen;
    trim(&cl, &clen);
    size_t i = 0;
    while (i < clen && !is_space(cl[i]))
        i++;
    if (!olen || !clen || i < clen || memchr(s, '=', olen) ||
        memchr(cl, '=', clen)) {
        error(c, line, col,
              "bad delimiter change \"%.*s\": expected two delimiters "
              "separated by a space, without '='",
              (int)all_len, all);
        return;
    }
    c->open = s, c->olen = olen;
    c->close = cl, c->clen = clen;
}

static enum tok_kind
sigil_kind(char sigil)
{
    switch (sigil) {
    case '{':
    case '&': return TOK_RAW;
    case '#': return TOK_SECTION;
    case '^': return TOK_INVERTED;
    case '/': return TOK_CLOSE;
    case '!': return TOK_COMMENT;
    case '=': return TOK_DELIMS;
    case '>': return TOK_PARTIAL;
    case '<': return TOK_PARENT;
    case '$': return TOK_BLOCK;
    default: return TOK_VAR;
    }
}

/* Checks and stores the name of tag t, found in s. A bad name leaves a
 * diag and turns t into a comment, so that compiling goes on. */
static void
set_name(struct compiler *c, struct token *t, const char *s, size_t len)
{
    trim(&s, &len);
    if (len && *s == '*' && (t->kind == TOK_PARTIAL ||
                             t->kind == TOK_PARENT || t->kind == TOK_CLOSE)) {
        t->dynamic = true;
        s++, len--;
        trim(&s, &len);
    }
    t->s = s, t->len = len;
    size_t i = 0;
    while (i < len && !is_space(s[i]))
        i++;
    if (!len)
        error(c, t->line, t->col, "tag has no name");
    else if (i < len)
        error(c, t->line, t->col, "tag name \"%.*s\" contains whitespace",
              (int)len, s);
    else
        return;
    t->kind = TOK_COMMENT;
}

/* Lexes the tag whose opening delimiter is at the cursor. */
static void
lex_tag(struct compiler *c)
{
    unsigned line = c->line, col = column(c);
    size_t inner = c->pos + c->olen;
    char sigil = inner < c->len ? c->src[inner] : '\0';
    enum tok_kind kind = sigil_kind(sigil);
    size_t from = inner + (kind != TOK_VAR);
    char want = sigil == '{' ? '}' : sigil == '=' ? '=' : '\0';
    size_t at = find_close(c, from, want, kind == TOK_COMMENT);
    if (at == NONE) {
        error(c, line, col, "tag is never closed");
        skip_broken_tag(c, from, kind == TOK_COMMENT);
        return;
    }
    size_t end = at - (want != '\0'), next = at + c->clen;
    struct token *t = push_token(c, kind, line, col);
    if (kind == TOK_DELIMS)
        set_delims(c, c->src + from, end - from, line, col);
    else if (kind != TOK_COMMENT)
        set_name(c, t, c->src + from, end - from);
    advance(c, next);
}

/* Tokenizes the whole source, reporting every broken tag. */
static void
lex(struct compiler *c)
{
    c->open = "{{", c->olen = 2;
    c->close = "}}", c->clen = 2;
    c->line = 1;
    while (c->pos < c->len) {
        size_t at = find(c->src, c->pos, c->len, c->open, c->olen);
        lex_text(c, at == NONE ? c->len : at);
        if (at != NONE)
            lex_tag(c);
    }
}

/* ---- Compiling: sections ------------------------------------------------- */

static bool
is_opener(enum tok_kind kind)
{
    return kind == TOK_SECTION || kind == TOK_INVERTED ||
           kind == TOK_PARENT || kind == TOK_BLOCK;
}

static const char *
kind_word(enum tok_kind kind)
{
    switch (kind) {
    case TOK_INVERTED: return "inverted section";
    case TOK_PARENT: return "parent";
    case TOK_BLOCK: return "block";
    default: return "section";
    }
}

static bool
same_name(const struct token *a, const struct token *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Reports opener as never closed and ends it at token end. */
static void
never_closed(struct compiler *c, size_t opener, size_t end)
{
    struct token *o = &c->toks[opener];
    error(c, o->line, o->col, "%s \"%.*s\" is never closed",
          kind_word(o->kind), (int)o->len, o->s);
    o->match = end;
}

/* Closes a section at closing tag i, given the stack of open ones (n deep).
 * A name found deeper closes the ones above it, reported as never closed;
 * a name found nowhere is reported and closes the innermost one. Returns
 * the new depth. */
static size_t
close_section(struct compiler *c, size_t *stack, size_t n, size_t i)
{
    struct token *t = &c->toks[i];
    if (n == 0) {
        error(c, t->line, t->col, "closing tag \"%.*s\" has no open section",
              (int)t->len, t->s);
        t->kind = TOK_COMMENT;
        return 0;
    }
    size_t k = n;
    while (k > 0 && !same_name(&c->toks[stack[k - 1]], t))
        k--;
    if (k == 0) {
        const struct token *top = &c->toks[stack[n - 1]];
        error(c, t->line, t->col,
              "closing tag \"%.*s\" does not match open %s \"%.*s\"",
              (int)t->len, t->s, kind_word(top->kind), (int)top->len, top->s);
        k = n;
    }
    for (size_t j = n; j > k; j--)
        never_closed(c, stack[j - 1], i);
    c->toks[stack[k - 1]].match = i;
    t->match = stack[k - 1];
    return k - 1;
}

/* Pairs every opening tag with its closing tag and sets owners. */
static void
match_sections(struct compiler *c)
{
    size_t *stack = xmalloc((c->ntoks + 1) * sizeof *stack);
    size_t n = 0;
    bool too_deep = false;
    for (size_t i = 0; i < c->ntoks; i++) {
        struct token *t = &c->toks[i];
        t->owner = n ? stack[n - 1] : NONE;
        if (t->kind == TOK_CLOSE) {
            n = close_section(c, stack, n, i);
        } else if (is_opener(t->kind)) {
            if (n == MAX_NESTING && !too_deep) {
                error(c, t->line, t->col,
                      "sections nest deeper than %d levels", MAX_NESTING);
                too_deep = true;
            }
            stack[n++] = i;
        }
    }
    while (n > 0)
        never_closed(c, stack[--n], c->ntoks);
    free(stack);
}

/* ---- Compiling: standalone lines and indentation --------------------------- */

/* As the spec's tests (and its whitespace notes) have it:
 * - a line holding only blank text and one tag that is not an interpolation
 *   is removed whole; a partial or parent there indents each line it renders
 *   by the line's leading blank;
 * - a parent is standalone too when only blank text precedes its opening
 *   tag and follows its closing tag, even with both on one line;
 * - in a parent's body, text is ignored, so a block's tags only need to be
 *   alone on the side facing the block's content; a block opening a line
 *   has that line's indentation (intrinsic) stripped from its own lines;
 * - a block in a template body, when standalone, adds to overriding lines
 *   the indentation of its default content, or of its opening tag. */

static bool
is_blank_text(const struct token *t)
{
    return t->kind == TOK_TEXT && is_blank(t->s, t->len);
}

static bool
ends_line(const struct token *t)
{
    return t->kind == TOK_TEXT && t->len && t->s[t->len - 1] == '\n';
}

/* Groups the tokens into lines. */
static void
find_lines(struct compiler *c)
{
    c->lines = xmalloc((c->ntoks + 1) * sizeof *c->lines);
    struct line *l = NULL;
    for (size_t i = 0; i < c->ntoks; i++) {
        if (!l) {
            l = &c->lines[c->nlines++];
            *l = (struct line){ i, i, NONE, NONE };
        }
        l->last = i;
        c->toks[i].lineno = c->nlines - 1;
        if (!is_blank_text(&c->toks[i])) {
            if (l->first_solid == NONE)
                l->first_solid = i;
            l->last_solid = i;
        }
        if (ends_line(&c->toks[i]))
            l = NULL;
    }
}

/* Whether tag i has only blank text before it (left) or after it (right)
 * on its line. */
static bool
left_clear(const struct compiler *c, size_t i)
{
    return c->lines[c->toks[i].lineno].first_solid == i;
}

static bool
right_clear(const struct compiler *c, size_t i)
{
    return i < c->ntoks && c->lines[c->toks[i].lineno].last_solid == i;
}

/* Drops the blank text before (or after) clear tag i on its line. */
static void
remove_before(struct compiler *c, size_t i)
{
    for (size_t j = c->lines[c->toks[i].lineno].first; j < i; j++)
        c->toks[j].removed = true;
}

static void
remove_after(struct compiler *c, size_t i)
{
    for (size_t j = i + 1; j <= c->lines[c->toks[i].lineno].last; j++)
        c->toks[j].removed = true;
}

/* Sets t's indent to the whitespace before left-clear tag i. */
static void
indent_before(struct compiler *c, struct token *t, size_t i)
{
    const struct token *first = &c->toks[c->lines[t->lineno].first];
    t->indent = "", t->indent_len = 0;
    if (first != &c->toks[i] && first->kind == TOK_TEXT)
        t->indent = first->s, t->indent_len = indent_of(first->s, first->len);
}

/* Sets t's indent to the leading whitespace of the line after its own. */
static void
indent_after(struct compiler *c, struct token *t)
{
    const struct token *last = &c->toks[c->lines[t->lineno].last];
    t->indent = "", t->indent_len = 0;
    if (ends_line(last)) {
        const char *next = last->s + last->len;
        t->indent = next;
        t->indent_len = indent_of(next, (size_t)(c->src + c->len - next));
    }
}

/* A line holding one tag (not an interpolation) and blank text: the
 * whole line goes; a partial's or parent's leading blank is its indent. */
static void
standalone_line(struct compiler *c, const struct line *l)
{
    size_t i = l->first_solid;
    if (i == NONE || i != l->last_solid)
        return;
    struct token *t = &c->toks[i];
    if (t->kind == TOK_TEXT || t->kind == TOK_VAR || t->kind == TOK_RAW)
        return;
    remove_before(c, i);
    remove_after(c, i);
    if (t->kind == TOK_PARTIAL || t->kind == TOK_PARENT) {
        t->standalone = true;
        indent_before(c, t, i);
    }
}

/* A parent is also standalone when blank text alone precedes its opening
 * tag and follows its closing tag, even with both on one line. */
static void
standalone_parent(struct compiler *c, size_t i)
{
    struct token *t = &c->toks[i];
    if (!left_clear(c, i) || !right_clear(c, t->match))
        return;
    t->standalone = true;
    indent_before(c, t, i);
    remove_before(c, i);
    remove_after(c, t->match);
}

/* A block passed to a parent: the text around it in the parent's body is
 * ignored, so its tags stand alone on the side facing its content. When
 * the opening tag ends its line, the next line's indentation (intrinsic)
 * is stripped from each of its lines. */
static void
argument_block(struct compiler *c, size_t i)
{
    struct token *t = &c->toks[i];
    if (right_clear(c, i)) {
        remove_after(c, i);
        t->intrinsic = true;
        indent_after(c, t);
    }
    if (t->match < c->ntoks && left_clear(c, t->match))
        remove_before(c, t->match);
}

/* A block in a template's own body (a parameter): when standalone, lines
 * overriding it are indented like its default content (when its opening
 * tag ends the line) or like its opening tag. */
static void
parameter_block(struct compiler *c, size_t i)
{
    struct token *t = &c->toks[i];
    if (!left_clear(c, i) || !right_clear(c, t->match))
        return;
    t->has_indent = true;
    if (right_clear(c, i))
        indent_after(c, t);
    else
        indent_before(c, t, i);
}

static void
find_standalone(struct compiler *c)
{
    for (size_t l = 0; l < c->nlines; l++)
        standalone_line(c, &c->lines[l]);
    for (size_t i = 0; i < c->ntoks; i++) {
        const struct token *t = &c->toks[i];
        if (t->kind == TOK_PARENT)
            standalone_parent(c, i);
        else if (t->kind == TOK_BLOCK && t->owner != NONE &&
                 c->toks[t->owner].kind == TOK_PARENT)
            argument_block(c, i);
        else if (t->kind == TOK_BLOCK)
            parameter_block(c, i);
    }
}

static void
strip_prefix(const char **s, size_t *len, const char *prefix, size_t n)
{
    if (*len >= n && memcmp(*s, prefix, n) == 0)
        *s += n, *len -= n;
}

/* Strips argument block i's intrinsic indentation from the start of each
 * line inside it, and from the indentation of tags inside it. */
static void
strip_intrinsic(struct compiler *c, size_t i)
{
    const struct token *b = &c->toks[i];
    for (size_t j = i + 1; j < b->match; j++) {
        struct token *t = &c->toks[j];
        if (t->kind == TOK_TEXT && t->bol && !t->removed)
            strip_prefix(&t->s, &t->len, b->indent, b->indent_len);
        else if (t->indent)
            strip_prefix(&t->indent, &t->indent_len, b->indent,
                         b->indent_len);
    }
}

/* ---- Compiling: the tree --------------------------------------------------- */

struct nodes {
    struct node *v;
    size_t len, cap;
};

static struct node *
add_node(struct compiler *c, struct nodes *ns, enum node_kind kind,
         const struct token *t)
{
    if (ns->len == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
    }
    struct node *n = &ns->v[ns->len++];
    *n = (struct node){ .kind = kind, .str = t->s, .len = t->len,
                        .indent = t->indent, .indent_len = t->indent_len,
                        .dynamic = t->dynamic, .standalone = t->standalone,
                        .has_indent = t->has_indent, .path = c->path,
                        .line = t->line, .col = t->col };
    return n;
}

static const struct node *build(struct compiler *c, size_t from, size_t to,
                                bool args_only, size_t *n);

/* Adds the text starting at token i, joined with the text tokens after it
 * that follow it in the source; returns the next token. */
static size_t
build_text(struct compiler *c, struct nodes *ns, size_t i, size_t to)
{
    const struct token *t = &c->toks[i];
    size_t len = t->len, j = i + 1;
    while (j < to && c->toks[j].kind == TOK_TEXT && !c->toks[j].removed &&
           c->toks[j].s == t->s + len)
        len += c->toks[j++].len;
    if (len)
        add_node(c, ns, NODE_TEXT, t)->len = len;
    return j;
}

/* Adds the node for token i (or nothing); returns the next token. */
static size_t
build_one(struct compiler *c, struct nodes *ns, size_t i, size_t to)
{
    const struct token *t = &c->toks[i];
    struct node *n;
    switch (t->kind) {
    case TOK_TEXT:
        return t->removed ? i + 1 : build_text(c, ns, i, to);
    case TOK_VAR:
    case TOK_RAW:
        add_node(c, ns, NODE_VAR, t)->escape = t->kind == TOK_VAR;
        return i + 1;
    case TOK_PARTIAL:
        add_node(c, ns, NODE_PARTIAL, t);
        return i + 1;
    case TOK_SECTION:
    case TOK_INVERTED:
    case TOK_BLOCK:
    case TOK_PARENT:
        n = add_node(c, ns, t->kind == TOK_SECTION    ? NODE_SECTION
                            : t->kind == TOK_INVERTED ? NODE_INVERTED
                            : t->kind == TOK_BLOCK    ? NODE_BLOCK
                                                      : NODE_PARENT, t);
        n->kids = build(c, i + 1, t->match, t->kind == TOK_PARENT, &n->nkids);
        return t->match + 1;
    default:
        return i + 1;
    }
}

/* The nodes for tokens [from, to), in the arena. In a parent's body
 * (args_only) only blocks count: the rest is ignored. */
static const struct node *
build(struct compiler *c, size_t from, size_t to, bool args_only, size_t *n)
{
    struct nodes ns = { NULL, 0, 0 };
    for (size_t i = from; i < to;) {
        const struct token *t = &c->toks[i];
        if (!args_only || t->kind == TOK_BLOCK)
            i = build_one(c, &ns, i, to);
        else
            i = is_opener(t->kind) ? t->match + 1 : i + 1;
    }
    struct node *kids = NULL;
    if (ns.len) {
        kids = arena_alloc(c->a, ns.len * sizeof *kids);
        memcpy(kids, ns.v, ns.len * sizeof *kids);
    }
    free(ns.v);
    *n = ns.len;
    return kids;
}

/* Compiles src into t (its arena and nodes). Returns -1 after reporting
 * every syntax error, leaving t untouched. */
static int
compile(struct template *t, const char *path, const char *src, size_t len,
        struct diags *d)
{
    struct compiler c = { .d = d, .a = arena_new() };
    c.src = arena_strndup(c.a, src, len);
    c.len = len;
    c.path = path ? arena_strdup(c.a, path) : NULL;
    lex(&c);
    match_sections(&c);
    int rc = -1;
    if (c.errors)
        goto out;
    find_lines(&c);
    find_standalone(&c);
    for (size_t i = 0; i < c.ntoks; i++)
        if (c.toks[i].intrinsic && c.toks[i].indent_len)
            strip_intrinsic(&c, i);
    t->kids = build(&c, 0, c.ntoks, false, &t->nkids);
    t->arena = c.a;
    c.a = NULL;
    rc = 0;
out:
    arena_free(c.a);
    free(c.toks);
    free(c.lines);
    return rc;
}

/* ---- The set ---------------------------------------------------------------- */

struct mustache_set *
mustache_set_new(void)
{
    struct mustache_set *set = xcalloc(1, sizeof *set);
    set->by_name = map_new();
    return set;
}

void
mustache_set_free(struct mustache_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->all.len; i++) {
        struct template *t = set->all.items[i];
        arena_free(t->arena);
        free(t->name);
        free(t);
    }
    vec_dispose(&set->all);
    map_free(set->by_name);
    free(set);
}

int
mustache_set_add(struct mustache_set *set, const char *name,
                 const char *path, const char *src, size_t len,
                 struct diags *d)
{
    struct template fresh = { 0 };
    int rc = compile(&fresh, path, src, len, d);
    struct template *t = map_get(set->by_name, name);
    if (rc < 0 && !t)
        return -1;
    if (!t) {
        t = xcalloc(1, sizeof *t);
        t->name = xstrdup(name);
        map_put(set->by_name, t->name, t);
        vec_push(&set->all, t);
    }
    /* The entry (and its name, the map's key) stays; its contents go. */
    arena_free(t->arena);
    t->arena = fresh.arena;
    t->kids = fresh.kids;
    t->nkids = fresh.nkids;
    t->defined = rc == 0;
    return rc;
}

const struct template *
mustache_find(const struct mustache_set *set, const char *name, size_t len)
{
    const struct template *t = map_getn(set->by_name, name, len);
    return t && t->defined ? t : NULL;
}

bool
mustache_set_has(const struct mustache_set *set, const char *name)
{
    return mustache_find(set, name, strlen(name)) != NULL;
}
