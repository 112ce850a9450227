/* code.c: fenced code blocks. Reads the info string (a language, then
 * Hugo's options in braces: {linenos=true hl_lines="3-5 8"
 * linenostart=10}), highlights the code at build time with highlight.c and
 * wraps it as <div class="highlight"><pre><code class="language-X">, so
 * that any Pygments or Chroma stylesheet applies. Part of parse/. */
#include "../highlight/highlight.h"
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/render.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_MARKED_RANGES 64 /* hl_lines ranges kept per block */

static cmark_syntax_extension *code_extension;
static cmark_node_type NODE_HIGHLIGHTED;

static const char *
code_type_string(cmark_syntax_extension *ext, cmark_node *node)
{
    (void)ext, (void)node;
    return "highlighted_code";
}

/* The node carries its finished HTML as user data. */
static void
code_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
          cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    if (ev == CMARK_EVENT_ENTER)
        cmark_strbuf_puts(r->html, cmark_node_get_user_data(node));
}

void
code_init(void)
{
    if (code_extension)
        return;
    code_extension = cmark_syntax_extension_new("highlighted_code");
    NODE_HIGHLIGHTED = cmark_syntax_extension_add_node(0);
    cmark_syntax_extension_set_get_type_string_func(code_extension,
                                                    code_type_string);
    cmark_syntax_extension_set_html_render_func(code_extension, code_html);
}

/* What an info string asks for. */
struct code_options {
    char lang[64];
    bool linenos;
    long start;
    struct { long from, to; } marked[MAX_MARKED_RANGES];
    size_t nmarked;
};

/* Reads "3-5 8" into ranges. */
static void
parse_ranges(struct code_options *o, const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end && o->nmarked < MAX_MARKED_RANGES) {
        char *after;
        long from = strtol(s, &after, 10), to = from;
        if (after == s) {
            s++;
            continue;
        }
        s = after;
        if (s < end && *s == '-') {
            to = strtol(s + 1, &after, 10);
            s = after;
        }
        o->marked[o->nmarked].from = from;
        o->marked[o->nmarked++].to = to < from ? from : to;
    }
}

/* Reads one key=value of the braces; values may be quoted. Keys are
 * compared without case and unknown ones ignored, as Hugo does. */
static const char *
parse_option(struct code_options *o, const char *p)
{
    const char *key = p;
    while (*p && *p != '=' && *p != '}' && !isspace((unsigned char)*p))
        p++;
    size_t klen = (size_t)(p - key);
    if (*p != '=')
        return *p ? p + 1 : p;
    p++;
    /* Hugo also takes a list: hl_lines=[8,"15-17"] */
    char quote = *p == '"' || *p == '\'' ? *p++ : *p == '[' ? (p++, ']') : 0;
    const char *value = p;
    while (*p && (quote ? *p != quote
                        : *p != '}' && *p != ',' && !isspace((unsigned char)*p)))
        p++;
    size_t vlen = (size_t)(p - value);
    if (quote && *p)
        p++;
    if (klen == 7 && !strncasecmp(key, "linenos", 7))
        o->linenos = !(vlen == 5 && !strncmp(value, "false", 5));
    else if (klen == 8 && !strncasecmp(key, "hl_lines", 8))
        parse_ranges(o, value, vlen);
    else if (klen == 11 && !strncasecmp(key, "linenostart", 11)) {
        o->start = strtol(value, NULL, 10);
        /* Past any real line number: ignored, so line arithmetic cannot
         * overflow. */
        if (o->start > 1000000000 || o->start < -1000000000)
            o->start = 1;
    }
    return p;
}

static void
parse_info(struct code_options *o, const char *info)
{
    memset(o, 0, sizeof *o);
    o->start = 1;
    const char *p = info;
    while (isspace((unsigned char)*p))
        p++;
    size_t n = 0;
    while (p[n] && !isspace((unsigned char)p[n]) && p[n] != '{')
        n++;
    if (n >= sizeof o->lang)
        n = sizeof o->lang - 1;
    memcpy(o->lang, p, n);
    const char *brace = strchr(p + n, '{');
    for (p = brace ? brace + 1 : ""; *p && *p != '}';) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (*p && *p != '}')
            p = parse_option(o, p);
    }
}

static bool
is_marked(const struct code_options *o, long line)
{
    for (size_t i = 0; i < o->nmarked; i++)
        if (line >= o->marked[i].from && line <= o->marked[i].to)
            return true;
    return false;
}

/* Splits highlighted HTML into lines, each with its number and, when
 * marked, an hll band. Spans are flat (never nested), so a span open at a
 * line's end is closed there and opened again on the next line. */
static void
number_lines(struct buf *out, const char *html, size_t len,
             const struct code_options *o)
{
    const char *open = NULL; /* the open span's start tag */
    size_t open_len = 0;
    long line = 1;
    for (size_t i = 0; i < len || line == 1;) {
        bool marked = is_marked(o, line);
        if (marked)
            buf_puts(out, "<span class=\"hll\">");
        if (o->linenos)
            buf_printf(out, "<span class=\"ln\">%ld</span>",
                       o->start + line - 1);
        if (open)
            buf_put(out, open, open_len);
        while (i < len && html[i] != '\n') {
            if (!strncmp(html + i, "<span ", 6)) {
                open = html + i;
                open_len = (size_t)((const char *)memchr(open, '>', len - i) -
                                    open) + 1;
            } else if (!strncmp(html + i, "</span>", 7)) {
                open = NULL;
            }
            buf_putc(out, html[i++]);
        }
        if (open)
            buf_puts(out, "</span>");
        if (i < len)
            buf_putc(out, html[i++]); /* the newline */
        if (marked)
            buf_puts(out, "</span>");
        line++;
        if (i >= len)
            break;
    }
}

/* The HTML of one fenced block with a language. */
static const char *
code_block_html(const char *info, const char *code, struct arena *a)
{
    struct code_options o;
    parse_info(&o, info);
    struct buf body = BUF_INIT, html = BUF_INIT;
    size_t len = strlen(code);
    if (!highlight_code(&body, o.lang, code, len))
        buf_put_html(&body, code, len); /* unknown: plain, escaped */
    const char *canonical = highlight_language(o.lang);
    buf_puts(&html, "<div class=\"highlight\"><pre><code class=\"language-");
    buf_put_html(&html, canonical ? canonical : o.lang,
                 strlen(canonical ? canonical : o.lang));
    buf_puts(&html, "\">");
    if (o.linenos || o.nmarked)
        number_lines(&html, body.data ? body.data : "", body.len, &o);
    else
        buf_put(&html, body.data ? body.data : "", body.len);
    buf_puts(&html, "</code></pre></div>\n");
    const char *copy = arena_strndup(a, html.data, html.len);
    buf_dispose(&body);
    buf_dispose(&html);
    return copy;
}

void
code_blocks_mark(cmark_node *doc, struct arena *a)
{
    struct vec blocks = VEC_INIT;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *info = cmark_node_get_fence_info(n);
        if (ev == CMARK_EVENT_ENTER &&
            cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK && info &&
            *info && !isspace((unsigned char)*info) && *info != '{')
            vec_push(&blocks, n);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < blocks.len; i++) {
        cmark_node *old = blocks.items[i];
        cmark_node *node = cmark_node_new_with_mem_and_ext(
            NODE_HIGHLIGHTED, markdown_mem(), code_extension);
        cmark_node_set_user_data(
            node, (void *)code_block_html(cmark_node_get_fence_info(old),
                                          cmark_node_get_literal(old), a));
        cmark_node_insert_before(old, node);
        cmark_node_free(old);
    }
    vec_dispose(&blocks);
}
