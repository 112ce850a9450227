/* mustache_render.c: renders a compiled template (mustache_private.h)
 * against a value. Reads the set only, so any number of threads may render
 * from one set at once. Part of render/. */
#include "mustache_private.h"
#include "../base/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 100 /* partials and parents inside each other */

/* The context stack, innermost first, on the C stack. A frame pushed by
 * a memoised section has a watch, which a name looked up past it spoils:
 * what was rendered then depends on more than the section's value. */
struct ctx {
    const struct value *v;
    const struct ctx *up;
    struct watch *watch;
};

/* A memoised section being rendered, inside the one of outer. */
struct watch {
    bool spoiled;
    struct watch *outer;
};

/* The blocks passed to each parent being expanded, innermost first. */
struct frame {
    const struct node *parent;
    const struct frame *outer;
};

struct render {
    struct buf *out;
    const struct mustache_set *set;
    struct diags *d;
    struct buf indent; /* added before each line of template text */
    bool bol;          /* the output is at the start of a template line */
    bool failed;
    int depth;
    int peak;                  /* the deepest depth reached so far */
    struct mustache_memo *memo; /* NULL: nothing is reused */
    struct watch *watch;       /* the innermost memoised section, or NULL */
};

/* A section's output over a value: all of a stable value's section
 * (whole), or one stable item's turn in a list's. */
struct memo_slot {
    const struct node *node; /* NULL: a free slot */
    const struct value *v;
    bool whole;
    bool bol;  /* the line state it left, when it wrote anything */
    int depth; /* the partials it nests, counted from where it began */
    const char *data;
    size_t len;
};

struct mustache_memo {
    struct memo_slot *slots;
    size_t cap, count;
    struct arena *a; /* the outputs */
};

static void render_nodes(struct render *r, const struct node *kids,
                         size_t n, const struct ctx *ctx,
                         const struct frame *fr);

/* Resolves a (dotted) name: the first part up the context stack, the
 * others each in the value found before. NULL when missing. */
static const struct value *
lookup(const struct ctx *ctx, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return ctx ? ctx->v : NULL;
    const char *dot = memchr(name, '.', len);
    size_t part = dot ? (size_t)(dot - name) : len;
    const struct value *v = NULL;
    for (; ctx && !v; ctx = ctx->up)
        if (!(v = value_get(ctx->v, name, part)) && ctx->watch)
            ctx->watch->spoiled = true;
    while (v && part < len) {
        name += part + 1, len -= part + 1;
        dot = memchr(name, '.', len);
        part = dot ? (size_t)(dot - name) : len;
        v = value_get(v, name, part);
    }
    return v;
}

/* The text a value interpolates as; false for none (missing, null, list
 * or map). Booleans print as "true" and "false". */
static bool
value_text(const struct value *v, const char **s, size_t *len)
{
    if (!v)
        return false;
    switch (v->kind) {
    case VALUE_BOOL:
        *s = v->boolean ? "true" : "false";
        *len = strlen(*s);
        return true;
    case VALUE_NUMBER:
    case VALUE_STRING:
        *s = v->str, *len = v->len;
        return true;
    default:
        return false;
    }
}

/* Writes the indentation if a template line starts here and is not
 * blank (a blank line gets no trailing whitespace). */
static void
put_indent(struct render *r, char first)
{
    if (r->bol && r->indent.len && first != '\n' && first != '\r')
        buf_put(r->out, r->indent.data, r->indent.len);
}

/* Template text: each of its lines is indented. */
static void
emit_text(struct render *r, const char *s, size_t len)
{
    while (len) {
        const char *nl = r->indent.len ? memchr(s, '\n', len) : NULL;
        size_t n = nl ? (size_t)(nl - s) + 1 : len;
        put_indent(r, s[0]);
        buf_put(r->out, s, n);
        r->bol = s[n - 1] == '\n';
        s += n, len -= n;
    }
}

/* A value: data, so lines inside it are not indented. */
static void
emit_value(struct render *r, const char *s, size_t len, bool escape)
{
    if (!len)
        return;
    put_indent(r, s[0]);
    if (escape)
        buf_put_html(r->out, s, len);
    else
        buf_put(r->out, s, len);
    r->bol = false;
}

/* {{x}}: the value's text, escaped unless {{{x}}} or {{&x}}. */
static void
render_var(struct render *r, const struct node *n, const struct ctx *ctx)
{
    const char *s;
    size_t len;
    if (value_text(lookup(ctx, n->str, n->len), &s, &len))
        emit_value(r, s, len, n->escape);
}

/* ---- Memo ------------------------------------------------------------ */

struct mustache_memo *
mustache_memo_new(void)
{
    struct mustache_memo *m = xcalloc(1, sizeof *m);
    m->a = arena_new();
    return m;
}

void
mustache_memo_free(struct mustache_memo *m)
{
    if (!m)
        return;
    free(m->slots);
    arena_free(m->a);
    free(m);
}

static struct memo_slot *
memo_slot(const struct mustache_memo *m, const struct node *n,
          const struct value *v, bool whole)
{
    uint64_t h = ((uintptr_t)n * 0x9e3779b97f4a7c15ULL) ^
                 ((uintptr_t)v * 0xc2b2ae3d27d4eb4fULL) ^ whole;
    size_t i = (size_t)(h ^ h >> 29) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        struct memo_slot *s = &m->slots[i];
        if (!s->node || (s->node == n && s->v == v && s->whole == whole))
            return s;
    }
}

static void
memo_grow(struct mustache_memo *m)
{
    struct memo_slot *old = m->slots;
    size_t cap = m->cap;
    m->cap = cap ? 2 * cap : 1024;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < cap; i++)
        if (old[i].node)
            *memo_slot(m, old[i].node, old[i].v, old[i].whole) = old[i];
    free(old);
}

/* Section n's content over v (each item of a list when whole, else v
 * alone), each pushed on the context stack meanwhile, watched by w. */
static void
section_body(struct render *r, const struct node *n, const struct value *v,
             bool whole, const struct ctx *ctx, const struct frame *fr,
             struct watch *w)
{
    if (!whole || v->kind != VALUE_LIST) {
        struct ctx top = { v, ctx, w };
        render_nodes(r, n->kids, n->nkids, &top, fr);
        return;
    }
    for (size_t i = 0; i < v->len && !r->failed; i++) {
        struct ctx top = { v->items[i], ctx, w };
        render_nodes(r, n->kids, n->nkids, &top, fr);
    }
}

/* section_body, from the memo when it rendered there before. What it
 * wrote is kept unless it looked past v (a name v lacks, a block's
 * override) or failed. Not under an indentation: that is the caller's. */
static void
memo_body(struct render *r, const struct node *n, const struct value *v,
          bool whole, const struct ctx *ctx, const struct frame *fr)
{
    struct mustache_memo *m = r->memo;
    if (!m || !v->stable || r->indent.len) {
        section_body(r, n, v, whole, ctx, fr, NULL);
        return;
    }
    if (m->cap) {
        const struct memo_slot *s = memo_slot(m, n, v, whole);
        if (s->node && r->depth + s->depth <= MAX_DEPTH) {
            buf_put(r->out, s->data, s->len);
            if (s->len)
                r->bol = s->bol;
            if (r->depth + s->depth > r->peak) /* for a memo around it */
                r->peak = r->depth + s->depth;
            return;
        }
    }
    struct watch w = { false, r->watch };
    size_t before = r->out->len;
    int peak = r->peak;
    r->peak = r->depth;
    r->watch = &w;
    section_body(r, n, v, whole, ctx, fr, &w);
    r->watch = w.outer;
    int depth = r->peak - r->depth;
    if (peak > r->peak)
        r->peak = peak;
    if (w.spoiled || r->failed)
        return;
    if ((m->count + 1) * 2 > m->cap)
        memo_grow(m);
    struct memo_slot *s = memo_slot(m, n, v, whole);
    m->count += !s->node; /* else one kept too deep for here, replaced */
    size_t len = r->out->len - before;
    *s = (struct memo_slot){ n, v, whole, r->bol, depth,
                             arena_strndup(m->a, r->out->data + before, len),
                             len };
}

/* ---- Rendering ------------------------------------------------------- */

/* A list renders its content once per item, another truthy value once;
 * each is pushed on the context stack meanwhile. */
static void
render_section(struct render *r, const struct node *n,
               const struct ctx *ctx, const struct frame *fr)
{
    const struct value *v = lookup(ctx, n->str, n->len);
    if (!value_truthy(v))
        return;
    if (v->kind != VALUE_LIST || v->stable) {
        memo_body(r, n, v, true, ctx, fr);
        return;
    }
    for (size_t i = 0; i < v->len && !r->failed; i++)
        memo_body(r, n, v->items[i], false, ctx, fr);
}

/* The template a partial or parent tag names, or NULL (renders empty). */
static const struct template *
tag_template(const struct render *r, const struct node *n,
             const struct ctx *ctx)
{
    const char *name = n->str;
    size_t len = n->len;
    if (n->dynamic && !value_text(lookup(ctx, n->str, n->len), &name, &len))
        return NULL;
    return mustache_find(r->set, name, len);
}

/* Renders template t in place of partial or parent tag n. */
static void
expand(struct render *r, const struct node *n, const struct template *t,
       const struct ctx *ctx, const struct frame *fr)
{
    if (r->depth == MAX_DEPTH) {
        diags_add(r->d, DIAG_CONTENT, n->path, n->line, n->col,
                  "partials nest deeper than %d levels at \"%.*s\" "
                  "(endless recursion?)", MAX_DEPTH, (int)n->len, n->str);
        r->failed = true;
        return;
    }
    size_t mark = r->indent.len, before = r->out->len;
    bool bol = r->bol;
    if (n->standalone) {
        buf_put(&r->indent, n->indent, n->indent_len);
        r->bol = true;
    }
    if (++r->depth > r->peak)
        r->peak = r->depth;
    render_nodes(r, t->kids, t->nkids, ctx, fr);
    r->depth--;
    r->indent.len = mark;
    if (r->out->len == before)
        r->bol = bol;
}

/* {{>x}}: another template in place, same context and blocks. */
static void
render_partial(struct render *r, const struct node *n,
               const struct ctx *ctx, const struct frame *fr)
{
    const struct template *t = tag_template(r, n, ctx);
    if (t)
        expand(r, n, t, ctx, fr);
}

/* {{<x}}...{{/x}}: like a partial, its blocks overridden by ours. */
static void
render_parent(struct render *r, const struct node *n,
              const struct ctx *ctx, const struct frame *fr)
{
    const struct template *t = tag_template(r, n, ctx);
    struct frame args = { n, fr };
    if (t)
        expand(r, n, t, ctx, &args);
}

/* The block called name passed by the outermost parent expansion that
 * passes one (the top-level template wins), with that frame in *owner. */
static const struct node *
find_argument(const struct frame *fr, const char *name, size_t len,
              const struct frame **owner)
{
    const struct node *found = NULL;
    for (; fr; fr = fr->outer)
        for (size_t i = 0; i < fr->parent->nkids; i++) {
            const struct node *b = &fr->parent->kids[i];
            if (b->len == len && memcmp(b->str, name, len) == 0)
                found = b, *owner = fr;
        }
    return found;
}

/* A block renders its override when there is one, in the context of the
 * parents outside the one passing it; else its own content. */
static void
render_block(struct render *r, const struct node *n, const struct ctx *ctx,
             const struct frame *fr)
{
    const struct frame *owner = NULL;
    /* what the parents pass is not the section's to know */
    for (struct watch *w = r->watch; w; w = w->outer)
        w->spoiled = true;
    const struct node *arg = find_argument(fr, n->str, n->len, &owner);
    if (!arg) {
        render_nodes(r, n->kids, n->nkids, ctx, fr);
        return;
    }
    size_t mark = r->indent.len;
    if (n->has_indent)
        buf_put(&r->indent, n->indent, n->indent_len);
    render_nodes(r, arg->kids, arg->nkids, ctx, owner->outer);
    r->indent.len = mark;
}

/* Renders nodes with ctx as the context stack and fr as the parents
 * being expanded; stops at once after a failure. */
static void
render_nodes(struct render *r, const struct node *kids, size_t n,
             const struct ctx *ctx, const struct frame *fr)
{
    for (size_t i = 0; i < n && !r->failed; i++) {
        const struct node *k = &kids[i];
        switch (k->kind) {
        case NODE_TEXT: emit_text(r, k->str, k->len); break;
        case NODE_VAR: render_var(r, k, ctx); break;
        case NODE_SECTION: render_section(r, k, ctx, fr); break;
        case NODE_INVERTED:
            if (!value_truthy(lookup(ctx, k->str, k->len)))
                render_nodes(r, k->kids, k->nkids, ctx, fr);
            break;
        case NODE_PARTIAL: render_partial(r, k, ctx, fr); break;
        case NODE_PARENT: render_parent(r, k, ctx, fr); break;
        case NODE_BLOCK: render_block(r, k, ctx, fr); break;
        }
    }
}

int
mustache_render(struct buf *out, const struct mustache_set *set,
                const char *name, const struct value *ctx, struct diags *d)
{
    return mustache_render_memo(out, set, name, ctx, NULL, d);
}

int
mustache_render_memo(struct buf *out, const struct mustache_set *set,
                     const char *name, const struct value *ctx,
                     struct mustache_memo *memo, struct diags *d)
{
    const struct template *t = mustache_find(set, name, strlen(name));
    if (!t)
        return diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                         "template \"%s\" is not defined", name);
    struct render r = { .out = out, .set = set, .d = d, .bol = true,
                        .memo = memo };
    struct ctx root = { ctx, NULL, NULL };
    size_t before = out->len;
    buf_put(out, "", 0); /* out->data is a string even when nothing renders */
    render_nodes(&r, t->kids, t->nkids, &root, NULL);
    buf_dispose(&r.indent);
    if (!r.failed)
        return 0;
    out->len = before; /* nothing half-written */
    out->data[before] = '\0';
    return -1;
}
