/* spans.c: the two kinds of Telegram formatting that Markdown has no
 * syntax for, written as Telegram's own HTML tags: <u>underline</u> and
 * <tg-spoiler>spoiler</tg-spoiler>. A matched pair of these raw HTML tags
 * within one paragraph (or emphasis, link, heading) becomes a node of our
 * extension around what lies between, rendered as <u> or as a spoiler
 * span, also when raw HTML is off. Any other tag, and one left unmatched,
 * stays raw HTML. Part of parse/. */
#include "parse_private.h"
#include "../base/base.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/render.h>
#include <strings.h>
#include <string.h>

static const struct span_kind {
    const char *open, *close;        /* as written in Markdown */
    const char *html_open, *html_close;
} kinds[] = {
    { "<u>", "</u>", "<u>", "</u>" },
    /* focusable, so that a keyboard reveals it as a hover does */
    { "<tg-spoiler>", "</tg-spoiler>", "<span class=\"spoiler\" tabindex=\"0\">",
      "</span>" },
};

static cmark_syntax_extension *span_extension;
static cmark_node_type NODE_SPAN;

static const char *
span_type_string(cmark_syntax_extension *ext, cmark_node *node)
{
    (void)ext, (void)node;
    return "telegram_span";
}

static int
span_can_contain(cmark_syntax_extension *ext, cmark_node *node,
                 cmark_node_type child)
{
    (void)ext, (void)node;
    return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

static void
span_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
          cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    const struct span_kind *k = cmark_node_get_user_data(node);
    cmark_strbuf_puts(r->html, ev == CMARK_EVENT_ENTER ? k->html_open
                                                       : k->html_close);
}

void
spans_init(void)
{
    if (span_extension)
        return;
    span_extension = cmark_syntax_extension_new("telegram_span");
    NODE_SPAN = cmark_syntax_extension_add_node(1);
    cmark_syntax_extension_set_get_type_string_func(span_extension,
                                                    span_type_string);
    cmark_syntax_extension_set_can_contain_func(span_extension,
                                                span_can_contain);
    cmark_syntax_extension_set_html_render_func(span_extension, span_html);
}

/* The kind whose opening (or, with closing, closing) tag node is; NULL
 * for any other node. */
static const struct span_kind *
kind_of(cmark_node *node, bool closing)
{
    if (cmark_node_get_type(node) != CMARK_NODE_HTML_INLINE)
        return NULL;
    const char *html = cmark_node_get_literal(node);
    for (size_t i = 0; html && i < sizeof kinds / sizeof *kinds; i++)
        if (!strcasecmp(html, closing ? kinds[i].close : kinds[i].open))
            return &kinds[i];
    return NULL;
}

/* Pairs the tags among parent's children, innermost first: a closing tag
 * takes the nearest unmatched opening one of its kind when no other
 * opening tag is open inside it. */
static void
mark_children(cmark_node *parent)
{
    cmark_node *open[16];
    size_t depth = 0;
    for (cmark_node *n = cmark_node_first_child(parent), *next; n; n = next) {
        next = cmark_node_next(n);
        const struct span_kind *k;
        if (kind_of(n, false)) {
            if (depth < sizeof open / sizeof *open)
                open[depth++] = n;
            continue;
        }
        if (!(k = kind_of(n, true)) || !depth ||
            kind_of(open[depth - 1], false) != k)
            continue;
        cmark_node *start = open[--depth];
        cmark_node *span = cmark_node_new_with_mem_and_ext(
            NODE_SPAN, markdown_mem(), span_extension);
        cmark_node_set_user_data(span, (void *)k);
        if (!cmark_node_insert_before(start, span)) { /* a table cell */
            cmark_node_free(span);
            continue;
        }
        for (cmark_node *c = cmark_node_next(start), *after; c != n; c = after) {
            after = cmark_node_next(c);
            cmark_node_append_child(span, c);
        }
        cmark_node_free(start);
        cmark_node_free(n);
    }
}

void
spans_mark(cmark_node *doc)
{
    struct vec parents = VEC_INIT;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && kind_of(n, false) &&
            (parents.len == 0 ||
             parents.items[parents.len - 1] != cmark_node_parent(n)))
            vec_push(&parents, cmark_node_parent(n));
    }
    cmark_iter_free(it);
    /* innermost parents last in document order: mark from the end, so a
     * parent moved into a span is still in the tree when its turn comes */
    for (size_t i = parents.len; i-- > 0;)
        mark_children(parents.items[i]);
    vec_dispose(&parents);
}
