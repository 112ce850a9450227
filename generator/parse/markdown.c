/* markdown.c: Markdown to HTML with cmark-gfm and GitHub's extensions, and
 * the plain text that titles and summaries are made of. Part of parse/; the
 * only file that sees cmark-gfm. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <string.h>

/* cmark-gfm keeps the inline parser's table of special characters in one
 * global, which every parse changes (extensions add their characters when
 * inlines are parsed and remove them after), so two parses at once lose
 * autolinks and strikethroughs. Parsing is serialised; what follows it (our
 * passes over the tree, rendering) runs in parallel. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const extension_names[] = {
    "table", "strikethrough", "autolink", "tasklist", "tagfilter",
};

void
markdown_init(parse_tag_url_fn tag_url)
{
    cmark_gfm_core_extensions_ensure_registered();
    tagging_init(tag_url);
    code_init();
}

/* Appends the plain text of node's inlines; stops at the first line break
 * when one_line. Returns false once it stopped. */
static bool
plain_text(struct buf *out, cmark_node *node, bool one_line)
{
    for (cmark_node *n = cmark_node_first_child(node); n;
         n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            buf_puts(out, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            if (one_line)
                return false;
            buf_putc(out, ' ');
            break;
        case CMARK_NODE_HTML_INLINE:
            break;
        default:
            if (!plain_text(out, n, one_line))
                return false;
        }
    }
    return true;
}

/* The first paragraph or heading, depth first (inside lists and quotes). */
static cmark_node *
first_text_block(cmark_node *node)
{
    for (cmark_node *n = cmark_node_first_child(node); n;
         n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
            return n;
        if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
            continue;
        cmark_node *inner = first_text_block(n);
        if (inner)
            return inner;
    }
    return NULL;
}

/* Copies a string cmark allocated into the arena and frees it. */
static const char *
take(struct arena *a, char *s)
{
    const char *copy = arena_strdup(a, s ? s : "");
    cmark_get_default_mem_allocator()->free(s);
    return copy;
}

int
markdown_render(struct markdown *out, const char *path, const char *body,
                size_t len, unsigned body_line, const struct site_config *cfg,
                struct arena *a, struct diags *d)
{
    (void)path, (void)d;
    int opts = CMARK_OPT_FOOTNOTES | (cfg->unsafe_html ? CMARK_OPT_UNSAFE : 0);
    pthread_mutex_lock(&parse_lock);
    cmark_parser *parser = cmark_parser_new(opts);
    for (size_t i = 0; i < sizeof extension_names / sizeof *extension_names;
         i++)
        cmark_parser_attach_syntax_extension(
            parser, cmark_find_syntax_extension(extension_names[i]));
    cmark_parser_feed(parser, body, len);
    cmark_node *doc = cmark_parser_finish(parser);
    pthread_mutex_unlock(&parse_lock);
    cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);

    memset(out, 0, sizeof *out);
    tagging_mark(out, doc, body, len, body_line, cfg, a);
    code_blocks_mark(doc, a);
    out->html = take(a, cmark_render_html(doc, opts, exts));
    cmark_node *first = first_text_block(doc);
    struct buf text = BUF_INIT;
    if (first) {
        plain_text(&text, first, true);
        out->first_line = arena_strndup(a, text.data ? text.data : "",
                                        text.len);
        buf_clear(&text);
        plain_text(&text, first, false);
        out->summary_text = arena_strndup(a, text.data ? text.data : "",
                                          text.len);
        if (cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH)
            out->summary_html = take(a, cmark_render_html(first, opts, exts));
    }
    buf_dispose(&text);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return 0;
}
