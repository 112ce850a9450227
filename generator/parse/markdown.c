/* markdown.c: Markdown to HTML with cmark-gfm and GitHub's extensions, and
 * the plain text that titles and summaries are made of. Part of parse/; the
 * only file that sees cmark-gfm. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

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
 * when one_line. With cmark's iterator: the text decides how deep inlines
 * nest, and nothing here may recurse on it. */
static void
plain_text(struct buf *out, cmark_node *node, bool one_line)
{
    cmark_iter *it = cmark_iter_new(node);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            buf_puts(out, cmark_node_get_literal(n));
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            if (one_line)
                break;
            buf_putc(out, ' ');
        }
    }
    cmark_iter_free(it);
}

/* The first paragraph or heading in document order (inside lists and
 * quotes too), found without recursion: "> > > ..." nests as deep as the
 * text goes. */
static cmark_node *
first_text_block(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node *found = NULL;
    for (cmark_event_type ev;
         !found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING))
            found = n;
    }
    cmark_iter_free(it);
    return found;
}

static bool
is_html_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* The character reference at s ("&#106;", "&#x6A", "&colon;"): its code
 * point into *cp and its length; 0 when there is none. A numeric one needs
 * no ';', as browsers read it; of the named ones only those that can help
 * spell a URL scheme matter here. */
static size_t
char_ref(const char *s, const char *end, uint32_t *cp)
{
    static const struct { const char *name; uint32_t cp; } named[] = {
        { "&Tab;", '\t' }, { "&NewLine;", '\n' }, { "&colon;", ':' },
    };
    const char *p = s + 1;
    if (p < end && *p == '#') {
        bool hex = ++p < end && (*p == 'x' || *p == 'X');
        p += hex;
        const char *digits = p;
        uint32_t v = 0;
        for (; p < end && (hex ? isxdigit((unsigned char)*p)
                               : isdigit((unsigned char)*p)); p++) {
            int c = tolower((unsigned char)*p);
            if (v < 0x110000)
                v = v * (hex ? 16 : 10) +
                    (uint32_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
        }
        if (p == digits)
            return 0;
        *cp = v;
        return (size_t)(p - s) + (p < end && *p == ';');
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t n = strlen(named[i].name);
        if ((size_t)(end - s) >= n && !memcmp(s, named[i].name, n))
            return *cp = named[i].cp, n;
    }
    return 0;
}

/* True when an attribute value is a javascript:, vbscript: or
 * data:text/html URL once its character references are decoded and every
 * ASCII space and control character is dropped, as browsers do before they
 * read the scheme ("java&#x09;script:", " JaVaScRiPt:"). */
static bool
is_script_url(const char *v, const char *end)
{
    static const char *const schemes[] = { "javascript:", "vbscript:",
                                           "data:text/html" };
    char head[16];
    size_t n = 0;
    while (v < end && n < sizeof head) {
        uint32_t c = (unsigned char)*v;
        size_t len = *v == '&' ? char_ref(v, end, &c) : 0;
        v += len ? len : 1;
        if (c > ' ' && c != 0x7f)
            head[n++] = c < 0x80 ? (char)tolower((int)c) : '?';
    }
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (n >= strlen(schemes[i]) &&
            !memcmp(head, schemes[i], strlen(schemes[i])))
            return true;
    return false;
}

/* True for an event handler attribute name: "on" and letters, any case. */
static bool
is_handler(const char *name, size_t n)
{
    if (n < 3 || strncasecmp(name, "on", 2))
        return false;
    for (size_t i = 2; i < n; i++)
        if (!isalnum((unsigned char)name[i]))
            return false;
    return true;
}

/* Reads the attributes of a start tag from p (just after its name) to its
 * '>'; returns where it stopped. *risky is set by an event handler or a
 * script URL in any value. */
static const char *
scan_attributes(const char *p, const char *end, bool *risky)
{
    for (;;) {
        while (p < end && (is_html_space(*p) || *p == '/'))
            p++;
        if (p >= end || *p == '>')
            return p;
        const char *name = p++;
        while (p < end && !is_html_space(*p) && !strchr("/>=", *p))
            p++;
        size_t name_len = (size_t)(p - name);
        while (p < end && is_html_space(*p))
            p++;
        if (p >= end || *p != '=')
            continue;
        for (p++; p < end && is_html_space(*p); p++)
            ;
        const char *value = p, *value_end;
        if (p < end && (*p == '"' || *p == '\'')) {
            value++;
            value_end = memchr(value, *p, (size_t)(end - value));
            value_end = value_end ? value_end : end;
            p = value_end + (value_end < end);
        } else {
            while (p < end && !is_html_space(*p) && *p != '>')
                p++;
            value_end = p;
        }
        if (is_handler(name, name_len) || is_script_url(value, value_end))
            *risky = true;
    }
}

/* True when raw HTML (an HTML block or inline tag) has a start tag with an
 * event handler or a script URL. Comments are skipped; closing tags hold
 * nothing that runs. */
static bool
html_is_risky(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    bool risky = false;
    while (!risky && p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
        p++;
        if (end - p >= 3 && !memcmp(p, "!--", 3)) {
            const char *close = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);
            p = close ? close + 3 : end;
            continue;
        }
        if (p >= end || !isalpha((unsigned char)*p))
            continue;
        while (p < end && !is_html_space(*p) && *p != '/' && *p != '>')
            p++;
        p = scan_attributes(p, end, &risky);
    }
    return risky;
}

/* With unsafe_html on, raw HTML passes through: one warning for the file,
 * at the first piece of raw HTML that could run a script. */
static void
warn_risky_html(cmark_node *doc, const char *path, unsigned body_line,
                struct diags *d)
{
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE)
            continue;
        const char *html = cmark_node_get_literal(n);
        if (!html || !html_is_risky(html, strlen(html)))
            continue;
        diags_add(d, DIAG_WARNING, path,
                  body_line + (unsigned)cmark_node_get_start_line(n) - 1,
                  (unsigned)cmark_node_get_start_column(n),
                  "raw HTML with an event handler or javascript: URL "
                  "(unsafe_html is on)");
        break;
    }
    cmark_iter_free(it);
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
    if (cfg->unsafe_html)
        warn_risky_html(doc, path, body_line, d);
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
