/* markdown.c: Markdown to HTML with cmark-gfm and GitHub's extensions, and
 * the plain text that titles and summaries are made of; headings get ids
 * (GitHub's rules, or `{#id}`), and links and images are recorded with
 * where they are in the file and in the HTML (struct anchors). Part of
 * parse/. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/houdini.h>
#include <cmark-gfm/render.h>
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* cmark-gfm keeps the inline parser's table of special characters in one
 * global, which every parse changes (extensions add their characters when
 * inlines are parsed and remove them after), so two parses at once lose
 * autolinks and strikethroughs. Parsing is serialised; what follows it (our
 * passes over the tree, rendering) runs in parallel. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* No "autolink": tagging.c links URLs where Telegram does. */
static const char *const extension_names[] = {
    "table", "strikethrough", "tasklist", "tagfilter",
};

/* ---- cmark's memory ---------------------------------------------------- */

/* cmark allocates and frees every node and buffer of a post one by one:
 * malloc and free were a sixth of a parse worker's time. Its memory for a
 * post comes instead from a region of the thread's, taken by bumping a
 * pointer and given back whole when the post is done (region_reset); the
 * newest allocation grows and is given back in place, as cmark's buffers
 * are. cmark_mem holds no context, hence one region per thread. A
 * GZ_DEBUG_ARENA build mallocs each allocation on its own. */
#define REGION_BLOCK (64 * 1024) /* below malloc's mmap threshold */

struct region {
    char *block; /* the block being filled */
    size_t used, size;
    char *last;       /* the newest allocation's data */
    struct vec full;  /* blocks filled before, freed by region_reset */
};

static _Thread_local struct region region;

/* Each allocation's size lies before it, keeping its data aligned. */
struct region_head {
    size_t size;
    size_t pad;
};

static size_t
region_room(size_t n)
{
    return (n + sizeof(struct region_head) - 1) &
           ~(sizeof(struct region_head) - 1);
}

static void *
region_malloc(size_t n)
{
    struct region *r = &region;
    if (n > SIZE_MAX / 4)
        return NULL; /* cmark then reports running out of memory */
    size_t need = sizeof(struct region_head) + region_room(n);
#ifdef GZ_DEBUG_ARENA
    /* Each on its own, for the sanitizers, and none grown in place. */
    struct region_head *own = xmalloc(need);
    own->size = n;
    vec_push(&r->full, own);
    return own + 1;
#else
    if (!r->block || r->size - r->used < need) {
        if (r->block)
            vec_push(&r->full, r->block);
        r->size = need > REGION_BLOCK ? need : REGION_BLOCK;
        r->block = xmalloc(r->size);
        r->used = 0;
    }
    struct region_head *h = (void *)(r->block + r->used);
    h->size = n;
    r->used += need;
    return r->last = (char *)(h + 1);
#endif
}

static void *
region_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / 4 / size)
        return NULL;
    void *p = region_malloc(count * size);
    return p ? memset(p, 0, count * size) : NULL;
}

static void *
region_realloc(void *p, size_t n)
{
    struct region *r = &region;
    if (!p)
        return region_malloc(n);
    struct region_head *h = (struct region_head *)p - 1;
    char *data = p;
    if (data == r->last && n <= SIZE_MAX / 4 &&
        region_room(n) <= (size_t)(r->block + r->size - data)) {
        h->size = n;
        r->used = (size_t)(data - r->block) + region_room(n);
        return p;
    }
    if (n <= h->size)
        return p;
    void *q = region_malloc(n);
    if (q)
        memcpy(q, p, h->size);
    return q;
}

static void
region_free(void *p)
{
    struct region *r = &region;
    if (p && p == r->last) {
        r->used = (size_t)((char *)p - r->block) - sizeof(struct region_head);
        r->last = NULL;
    }
}

/* Gives back everything cmark took from this thread's region. */
static void
region_reset(void)
{
    struct region *r = &region;
    for (size_t i = 0; i < r->full.len; i++)
        free(r->full.items[i]);
    vec_dispose(&r->full);
    free(r->block);
    *r = (struct region){ 0 };
}

static cmark_mem region_mem = { region_calloc, region_realloc, region_free };

cmark_mem *
markdown_mem(void)
{
    return &region_mem;
}

/* Rendering of two of cmark's own node types, given to a node by setting
 * its extension: a heading with an id, a link whose href is recorded. */
static cmark_syntax_extension *heading_extension, *link_extension;

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

/* Pushes every node of doc of type a or b onto out, in document order
 * (collected first: the passes that use them change the tree). */
static void
nodes_of(struct vec *out, cmark_node *doc, cmark_node_type a,
         cmark_node_type b)
{
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER && (t == a || t == b))
            vec_push(out, n);
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

/* An attribute with a value, of a start tag in HTML, as written (its
 * entities not decoded): what html_attributes hands its callback. */
struct attribute {
    const char *tag, *name, *value;
    size_t tag_len, name_len, value_len;
};
typedef void (*attribute_fn)(const struct attribute *at, void *payload);

/* Reads the attributes of a start tag from p (just after its name) to its
 * '>', calling fn for each that has a value; returns where it stopped. */
static const char *
scan_attributes(struct attribute *at, const char *p, const char *end,
                attribute_fn fn, void *payload)
{
    for (;;) {
        while (p < end && (is_html_space(*p) || *p == '/'))
            p++;
        if (p >= end || *p == '>')
            return p;
        at->name = p++;
        while (p < end && !is_html_space(*p) && !strchr("/>=", *p))
            p++;
        at->name_len = (size_t)(p - at->name);
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
        at->value = value;
        at->value_len = (size_t)(value_end - value);
        fn(at, payload);
    }
}

/* Calls fn for each attribute with a value of each start tag of html
 * s[0..n). Comments are skipped; closing tags hold no attributes. */
static void
html_attributes(const char *s, size_t n, attribute_fn fn, void *payload)
{
    const char *p = s, *end = s + n;
    while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
        p++;
        if (end - p >= 3 && !memcmp(p, "!--", 3)) {
            const char *close = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);
            p = close ? close + 3 : end;
            continue;
        }
        if (p >= end || !isalpha((unsigned char)*p))
            continue;
        struct attribute at = { .tag = p };
        while (p < end && !is_html_space(*p) && *p != '/' && *p != '>')
            p++;
        at.tag_len = (size_t)(p - at.tag);
        p = scan_attributes(&at, p, end, fn, payload);
    }
}

/* Sets *(bool *)payload for an event handler or a script URL. */
static void
risky_attribute(const struct attribute *at, void *payload)
{
    if (is_handler(at->name, at->name_len) ||
        is_script_url(at->value, at->value + at->value_len))
        *(bool *)payload = true;
}

/* True when raw HTML (an HTML block or inline tag) has a start tag with an
 * event handler or a script URL. */
static bool
html_is_risky(const char *s, size_t n)
{
    bool risky = false;
    html_attributes(s, n, risky_attribute, &risky);
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

/* ---- Heading ids ------------------------------------------------------ */

/* Writes ` name="value"`, value escaped as cmark escapes attributes;
 * nothing for a NULL value. */
static void
put_attribute(cmark_strbuf *html, const char *name, const char *value)
{
    if (!value)
        return;
    cmark_strbuf_putc(html, ' ');
    cmark_strbuf_puts(html, name);
    cmark_strbuf_puts(html, "=\"");
    houdini_escape_html0(html, (const uint8_t *)value,
                         (bufsize_t)strlen(value), 0);
    cmark_strbuf_putc(html, '"');
}

/* <hN id="..."> with the id (the node's user data) escaped as cmark
 * escapes attributes; cmark renders the heading's inlines in between, and
 * a link to the heading ends it (the theme shows it on hover). */
static void
heading_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
             cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    cmark_strbuf *html = r->html;
    char tag[16];
    int level = cmark_node_get_heading_level(node);
    const char *id = cmark_node_get_user_data(node);
    if (ev != CMARK_EVENT_ENTER) {
        cmark_strbuf_puts(html, " <a class=\"anchor\" href=\"#");
        houdini_escape_html0(html, (const uint8_t *)id, (bufsize_t)strlen(id),
                             0);
        cmark_strbuf_puts(html, "\" aria-label=\"Link to this section\">#"
                                "</a>");
        snprintf(tag, sizeof tag, "</h%d>\n", level);
        cmark_strbuf_puts(html, tag);
        return;
    }
    if (html->size && html->ptr[html->size - 1] != '\n')
        cmark_strbuf_putc(html, '\n'); /* as cmark starts a block */
    snprintf(tag, sizeof tag, "<h%d", level);
    cmark_strbuf_puts(html, tag);
    put_attribute(html, "id", id);
    cmark_strbuf_putc(html, '>');
}

/* The length of s[0..n) without its trailing spaces and tabs. */
static size_t
without_blanks(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n;
}

/* Where "{#id}" starts in s[0..end), which ends with it: after a blank or
 * at the start, the id a run of characters but blanks and braces; SIZE_MAX
 * when s does not end so. */
static size_t
custom_id_at(const char *s, size_t end)
{
    if (end < 4 || s[end - 1] != '}')
        return SIZE_MAX;
    size_t open = end - 1;
    while (open && !strchr("{} \t", s[open - 1]))
        open--;
    if (open < 1 || s[open - 1] != '{' || s[open] != '#' || open + 2 >= end)
        return SIZE_MAX;
    open--;
    return open == 0 || s[open - 1] == ' ' || s[open - 1] == '\t' ? open
                                                                  : SIZE_MAX;
}

/* Takes "{#id}" off the end of heading h's text and returns the id, in a;
 * NULL when the text does not end so. The text nodes it spans (cmark
 * splits text at '_', '*', ...) are joined first. */
static const char *
take_custom_id(cmark_node *h, struct arena *a)
{
    cmark_node *first = cmark_node_last_child(h);
    if (!first || cmark_node_get_type(first) != CMARK_NODE_TEXT)
        return NULL;
    while (cmark_node_previous(first) &&
           cmark_node_get_type(cmark_node_previous(first)) == CMARK_NODE_TEXT)
        first = cmark_node_previous(first);
    struct buf text = BUF_INIT;
    buf_puts(&text, "");
    for (cmark_node *n = first; n; n = cmark_node_next(n))
        buf_puts(&text, cmark_node_get_literal(n));
    size_t end = without_blanks(text.data, text.len);
    size_t open = custom_id_at(text.data, end);
    const char *id = NULL;
    if (open != SIZE_MAX) {
        id = arena_strndup(a, text.data + open + 2, end - open - 3);
        while (cmark_node_next(first))
            cmark_node_free(cmark_node_next(first));
        text.data[without_blanks(text.data, open)] = '\0';
        if (*text.data)
            cmark_node_set_literal(first, text.data);
        else
            cmark_node_free(first);
    }
    buf_dispose(&text);
    return id;
}

/* GitHub's id of a heading's text: lower-cased; every character that is
 * not a letter, mark, digit, space, '-' or '_' left out; spaces as '-'. */
static const char *
heading_slug(const char *text, size_t len, struct arena *a)
{
    char *lower = xmalloc(2 * len + 1);
    size_t n = utf8_lower(lower, text, len);
    struct buf id = BUF_INIT;
    for (size_t i = 0, used; i < n; i += used) {
        int32_t c = utf8_decode(lower + i, n - i, &used);
        enum utf8_class k = utf8_classify(c);
        if (c == ' ')
            buf_putc(&id, '-');
        else if (c == '-' || c == '_' || k == UTF8_LETTER || k == UTF8_MARK ||
                 k == UTF8_DIGIT)
            buf_put(&id, lower + i, used);
    }
    /* No word at all ("!!!"): an id must not be empty. */
    const char *out = id.len ? arena_strndup(a, id.data, id.len) : "section";
    free(lower);
    buf_dispose(&id);
    return out;
}

/* The page's ids so far, and the last suffix tried for each base. */
struct id_set {
    struct map *used, *suffix;
    struct arena *a;
};

/* base if the page has no such id yet, else base-1, base-2, ...: the first
 * that is free. Each base remembers its last suffix: linear in headings. */
static const char *
unique_id(struct id_set *ids, const char *base)
{
    const char *id = base;
    size_t k = (size_t)map_get(ids->suffix, base);
    while (map_get(ids->used, id))
        id = arena_printf(ids->a, "%s-%zu", base, ++k);
    map_put(ids->suffix, base, (void *)k);
    map_put(ids->used, id, (void *)id);
    return id;
}

/* Gives every heading of doc its id (custom ones first, so that no
 * heading's own text takes an id another one asked for) and the heading
 * extension that renders it, and lists them in out->toc. Runs before
 * hashtags are marked: `{#id}` is never a hashtag. */
static void
headings_mark(struct markdown *out, cmark_node *doc, struct arena *a)
{
    struct vec headings = VEC_INIT;
    nodes_of(&headings, doc, CMARK_NODE_HEADING, CMARK_NODE_HEADING);
    struct id_set ids = { map_new(), map_new(), a };
    const char **custom = xcalloc(headings.len + 1, sizeof *custom);
    for (size_t i = 0; i < headings.len; i++)
        if ((custom[i] = take_custom_id(headings.items[i], a)))
            custom[i] = unique_id(&ids, custom[i]);
    struct buf text = BUF_INIT;
    out->ntoc = headings.len;
    out->toc = arena_alloc(a, (headings.len + 1) * sizeof *out->toc);
    for (size_t i = 0; i < headings.len; i++) {
        cmark_node *h = headings.items[i];
        buf_clear(&text);
        buf_puts(&text, "");
        plain_text(&text, h, false);
        const char *id = custom[i];
        if (!id)
            id = unique_id(&ids, heading_slug(text.data, text.len, a));
        cmark_node_set_syntax_extension(h, heading_extension);
        cmark_node_set_user_data(h, (void *)id);
        out->toc[i] = (struct toc_entry){
            cmark_node_get_heading_level(h), id,
            arena_strndup(a, text.data, text.len) };
    }
    buf_dispose(&text);
    free(custom);
    map_free(ids.used);
    map_free(ids.suffix);
    vec_dispose(&headings);
}

/* ---- Links ------------------------------------------------------------ */

/* A link to a post's file, written as cmark writes a link, with where its
 * href is recorded in its struct link_use (the node's user data). Inside
 * an image's description cmark writes text only, and this is not called. */
static void
link_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
          cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    if (ev != CMARK_EVENT_ENTER) {
        cmark_strbuf_puts(r->html, "</a>");
        return;
    }
    struct link_use *use = cmark_node_get_user_data(node);
    const char *url = cmark_node_get_url(node);
    const char *title = cmark_node_get_title(node);
    cmark_strbuf_puts(r->html, "<a href=\"");
    use->at = (size_t)r->html->size;
    houdini_escape_href(r->html, (const uint8_t *)url, (bufsize_t)strlen(url));
    use->len = (size_t)r->html->size - use->at;
    if (title && *title) {
        cmark_strbuf_puts(r->html, "\" title=\"");
        houdini_escape_html0(r->html, (const uint8_t *)title,
                             (bufsize_t)strlen(title), 0);
    }
    cmark_strbuf_puts(r->html, "\">");
}

/* The length of url's scheme and its ':', 0 when it has none. */
static size_t
scheme_length(const char *url)
{
    if (!isalpha((unsigned char)url[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)url[i]) || (url[i] && strchr("+-.", url[i])))
        i++;
    return url[i] == ':' ? i + 1 : 0;
}

char *
parse_url_decode(struct arena *a, const char *s, size_t len)
{
    char *out = arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = { s[i + 1], s[i + 2], 0 };
            out[n++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[n++] = s[i];
        }
        if (!out[n - 1])
            return NULL;
    }
    return out;
}

const char *
parse_relative_path(struct arena *a, const char *from, const char *ref,
                    size_t len)
{
    const char *decoded = parse_url_decode(a, ref, len);
    if (!decoded)
        return NULL;
    len = strlen(decoded);
    const char *slash = strrchr(from, '/');
    struct buf path = BUF_INIT;
    buf_puts(&path, "");
    if (slash)
        buf_put(&path, from, (size_t)(slash - from) + 1);
    bool out = false;
    for (size_t i = 0; i < len && !out;) {
        size_t j = i;
        while (j < len && decoded[j] != '/')
            j++;
        size_t seg = j - i;
        if (seg == 2 && decoded[i] == '.' && decoded[i + 1] == '.') {
            if (!path.len)
                out = true;
            else /* the folder's last segment, with its '/' */
                for (path.len--; path.len && path.data[path.len - 1] != '/';)
                    path.len--;
        } else if (seg && !(seg == 1 && decoded[i] == '.')) {
            buf_put(&path, decoded + i, seg);
            if (j < len)
                buf_putc(&path, '/');
        }
        i = j + 1;
    }
    const char *resolved = out ? NULL : arena_strndup(a, path.data, path.len);
    buf_dispose(&path);
    return resolved;
}

static bool
ends_with(const char *s, size_t n, const char *end)
{
    size_t k = strlen(end);
    return n >= k && !memcmp(s + n - k, end, k);
}

/* Fills what u says of its destination: the path a relative one names
 * from the file at from, its fragment, and whether it links to a post. */
static void
read_destination(struct link_use *u, const char *from, struct arena *a)
{
    const char *url = u->url;
    const char *hash = strchr(url, '#');
    if (hash)
        u->fragment = arena_strdup(a, hash + 1);
    size_t plen = strcspn(url, "?#");
    if (url[0] == '#') {
        u->kind = LINK_FRAGMENT;
    } else if (url[0] == '/') {
        u->kind = url[1] == '/' ? LINK_OTHER : LINK_ROOTED;
    } else if (plen && !scheme_length(url)) {
        u->kind = LINK_RELATIVE;
        u->path = parse_relative_path(a, from, url, plen);
        u->to_post = !u->image && url[plen] != '?' &&
                     (ends_with(url, plen, ".md") ||
                      ends_with(url, plen, ".markdown"));
    }
}

bool
line_span(struct lines *l, unsigned line, size_t *start, size_t *width)
{
    if (!l->starts.len) {
        const char *end = l->text + l->len;
        vec_push(&l->starts, (void *)0);
        for (const char *nl = l->text;
             (nl = memchr(nl, '\n', (size_t)(end - nl))); nl++)
            vec_push(&l->starts, (void *)(nl + 1 - l->text));
    }
    if (line < 1 || line > l->starts.len)
        return false;
    *start = (size_t)l->starts.items[line - 1];
    const char *nl = memchr(l->text + *start, '\n', l->len - *start);
    *width = (size_t)((nl ? nl : l->text + l->len) - (l->text + *start));
    return true;
}

/* The character column (1-based) of byte column col of line line of the
 * text, both as cmark-gfm counts them (1-based, bytes); col itself when
 * the position is outside the text (a re-parsed table row). */
static unsigned
char_column(struct lines *l, unsigned line, unsigned col)
{
    size_t start, width;
    if (!line_span(l, line, &start, &width) || col < 1 || col - 1 > width)
        return col ? col : 1;
    return 1 + (unsigned)utf8_length(l->text + start, col - 1);
}

/* The character column where needle is written on line line of the text,
 * from byte column col on; when the line does not hold it as written (an
 * entity spelt it), col's character column and skip characters more. */
static unsigned
find_column(struct lines *l, unsigned line, unsigned col, const char *needle,
            size_t skip)
{
    size_t start, width;
    if (line_span(l, line, &start, &width) && col >= 1 && col - 1 <= width) {
        const char *from = l->text + start + col - 1;
        const char *found = memmem(from, width - (col - 1), needle,
                                   strlen(needle));
        if (found)
            return char_column(l, line,
                               (unsigned)(found - l->text - start) + 1);
    }
    return char_column(l, line, col) + (unsigned)skip;
}

/* The line (of the body) where link n opens. cmark-gfm gives a link the
 * line where it closes and the column where it opens; the line of its
 * first text, less the line breaks before that text, is where it opens. */
static unsigned
link_line(cmark_node *n)
{
    unsigned breaks = 0, line = 0;
    cmark_iter *it = cmark_iter_new(n);
    for (cmark_event_type ev;
         !line && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *c = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(c);
        if (ev != CMARK_EVENT_ENTER || c == n)
            continue;
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            breaks++;
        else if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
                  t == CMARK_NODE_HTML_INLINE) &&
                 cmark_node_get_start_line(c) > 0)
            line = (unsigned)cmark_node_get_start_line(c);
    }
    cmark_iter_free(it);
    if (!line)
        line = (unsigned)cmark_node_get_start_line(n);
    return line > breaks ? line - breaks : 1;
}

/* Records every link and image of doc into out->anchors (see struct
 * link_use), path being the file's and lines its Markdown body from file
 * line body_line on. A link to a post's file gets the link extension, so that
 * rendering records where its href is. */
static void
links_mark(struct markdown *out, cmark_node *doc, const char *path,
           struct lines *lines, unsigned body_line, struct arena *a)
{
    struct vec nodes = VEC_INIT;
    nodes_of(&nodes, doc, CMARK_NODE_LINK, CMARK_NODE_IMAGE);
    struct anchors *an = &out->anchors;
    an->nlinks = nodes.len;
    an->links = arena_alloc(a, (nodes.len + 1) * sizeof *an->links);
    an->nto_post = 0;
    an->relative = false;
    for (size_t i = 0; i < nodes.len; i++) {
        cmark_node *n = nodes.items[i];
        struct link_use *u = &an->links[i];
        const char *url = cmark_node_get_url(n);
        u->url = arena_strdup(a, url ? url : "");
        u->image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
        read_destination(u, path, a);
        unsigned line = link_line(n);
        u->col = char_column(lines, line,
                             (unsigned)cmark_node_get_start_column(n));
        u->line = body_line - 1 + line;
        u->at = u->summary_at = SIZE_MAX;
        an->nto_post += u->to_post;
        an->relative |= u->kind == LINK_RELATIVE;
        if (u->to_post) {
            cmark_node_set_syntax_extension(n, link_extension);
            cmark_node_set_user_data(n, u);
        }
    }
    vec_dispose(&nodes);
}

/* ---- The end of the summary: <!--more--> ------------------------------- */

static cmark_syntax_extension *more_extension;

/* Renders nothing: records where it stands in the HTML into its user data
 * (a size_t), where the summary ends. */
static void
more_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
          cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    if (ev == CMARK_EVENT_ENTER)
        *(size_t *)cmark_node_get_user_data(node) = (size_t)r->html->size;
}

/* True for raw HTML that is the summary divider of Hugo and Jekyll sites,
 * "<!--more-->" (blanks allowed in and around it). */
static bool
is_more(const char *html)
{
    const char *p = html + strspn(html, " \t\r\n");
    if (strncmp(p, "<!--", 4))
        return false;
    p += 4 + strspn(p + 4, " \t");
    if (strncmp(p, "more", 4))
        return false;
    p += 4 + strspn(p + 4, " \t");
    if (strncmp(p, "-->", 3))
        return false;
    p += 3;
    return p[strspn(p, " \t\r\n")] == '\0';
}

/* Finds the first <!--more--> (raw HTML, found before raw HTML is left
 * out) and puts a block rendered by more_html, which records its offset in
 * *cut, in its place; inside a paragraph, list or quote, the marker goes
 * and the block follows the top-level block that held it. Returns that
 * block: the summary is what comes before it. NULL when there is none. */
static cmark_node *
more_mark(cmark_node *doc, size_t *cut)
{
    cmark_node *marker = NULL;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev;
         !marker && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) &&
            is_more(cmark_node_get_literal(n)))
            marker = n;
    }
    cmark_iter_free(it);
    if (!marker)
        return NULL;
    cmark_node *top = marker, *end = marker;
    while (cmark_node_parent(top) != doc)
        top = cmark_node_parent(top);
    if (top != marker) {
        end = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK, markdown_mem());
        cmark_node_insert_after(top, end);
        cmark_node_free(marker);
    }
    cmark_node_set_syntax_extension(end, more_extension);
    cmark_node_set_user_data(end, cut);
    return end;
}

/* The plain text of doc's blocks before end, one space between two. */
static const char *
text_before(cmark_node *doc, cmark_node *end, struct arena *a)
{
    struct buf text = BUF_INIT;
    buf_puts(&text, "");
    for (cmark_node *n = cmark_node_first_child(doc); n && n != end;
         n = cmark_node_next(n)) {
        if (text.len && text.data[text.len - 1] != ' ')
            buf_putc(&text, ' ');
        plain_text(&text, n, false);
    }
    const char *copy = arena_strndup(a, text.data, text.len);
    buf_dispose(&text);
    return copy;
}

/* ---- Kramdown attribute lists ------------------------------------------ */

/* What a Kramdown attribute list says that gazette uses: "{: #id}" and
 * "{: .class}" are the paragraph's it ends or begins (or the id of the
 * heading on the line before it), "{:toc}" makes the list it ends
 * Kramdown's table of contents (the theme shows its own). */
struct attributes {
    const char *id, *classes; /* classes: space-separated; NULL: none */
    bool toc;
};

static cmark_syntax_extension *paragraph_extension;

/* A paragraph with attributes (its user data, a struct attributes), as
 * cmark writes a paragraph: no <p> in a tight list. */
static void
paragraph_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
               cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    cmark_node *item = cmark_node_parent(node);
    cmark_node *list = item ? cmark_node_parent(item) : NULL;
    if (list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
        cmark_node_get_list_tight(list))
        return;
    cmark_strbuf *html = r->html;
    if (ev != CMARK_EVENT_ENTER) {
        cmark_strbuf_puts(html, "</p>\n");
        return;
    }
    const struct attributes *at = cmark_node_get_user_data(node);
    if (html->size && html->ptr[html->size - 1] != '\n')
        cmark_strbuf_putc(html, '\n'); /* as cmark starts a block */
    cmark_strbuf_puts(html, "<p");
    put_attribute(html, "id", at->id);
    put_attribute(html, "class", at->classes);
    cmark_strbuf_putc(html, '>');
}

/* Where an attribute list ("{: .note}", "{: #v4-4-1}", "{:toc}",
 * "{::options ... /}") starts in s[0..end), which ends with it: "{:" after
 * a blank or at the start, no brace inside, and '}'; SIZE_MAX when s does
 * not end so. */
static size_t
attributes_at(const char *s, size_t end)
{
    end = without_blanks(s, end);
    if (end < 3 || s[end - 1] != '}')
        return SIZE_MAX;
    size_t open = end - 1;
    while (open && !strchr("{}", s[open - 1]))
        open--;
    if (open < 1 || s[open - 1] != '{' || s[open] != ':')
        return SIZE_MAX;
    open--;
    return open == 0 || s[open - 1] == ' ' || s[open - 1] == '\t' ? open
                                                                  : SIZE_MAX;
}

/* Adds what the attribute list s[0..len) ("{: ... }") says to *out. */
static void
attributes_read(struct attributes *out, const char *s, size_t len,
                struct arena *a)
{
    const char *end = s + without_blanks(s, len) - 1;
    for (const char *p = s + 2; p < end;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ':'))
            p++;
        const char *word = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - word);
        if (n > 1 && *word == '#')
            out->id = arena_strndup(a, word + 1, n - 1);
        else if (n > 1 && *word == '.')
            out->classes = out->classes ? arena_printf(a, "%s %.*s",
                                                       out->classes,
                                                       (int)n - 1, word + 1)
                                        : arena_strndup(a, word + 1, n - 1);
        else if (n == 3 && !memcmp(word, "toc", 3))
            out->toc = true;
    }
}

/* The text of the text nodes from first up to (not including) stop, joined
 * into text; false when another kind of node is among them. */
static bool
join_texts(struct buf *text, cmark_node *first, cmark_node *stop)
{
    buf_clear(text);
    buf_puts(text, "");
    for (cmark_node *n = first; n != stop; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_TEXT)
            return false;
        buf_puts(text, cmark_node_get_literal(n));
    }
    return true;
}

static bool
is_break(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* Frees the nodes from first up to (not including) stop. */
static void
free_nodes(cmark_node *first, cmark_node *stop)
{
    while (first != stop) {
        cmark_node *next = cmark_node_next(first);
        cmark_node_free(first);
        first = next;
    }
}

/* True when line line of the text ends with attr[0..n) as written, not
 * after a backslash: an attribute list is one only when written plain, so
 * that text can say "\{: .x}" (as the Telegram importer writes it). */
static bool
written_plain(struct lines *l, unsigned line, const char *attr, size_t n)
{
    size_t start, width;
    while (n && (attr[n - 1] == ' ' || attr[n - 1] == '\t'))
        n--;
    if (!line_span(l, line, &start, &width))
        return false;
    const char *p = l->text + start, *end = p + width;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    return (size_t)(end - p) >= n && !memcmp(end - n, attr, n) &&
           (end - n == p || *(end - n - 1) != '\\');
}

/* Takes an attribute list off the end of block's last line (the text
 * nodes that end it, joined first), adding what it says to *out. In a
 * heading (out is its own), an id it names becomes "{#id}", which
 * headings_mark reads. */
static void
strip_trailing_attributes(cmark_node *block, struct attributes *out,
                          struct lines *lines, struct arena *a)
{
    cmark_node *first = cmark_node_last_child(block);
    if (!first || cmark_node_get_type(first) != CMARK_NODE_TEXT)
        return;
    while (cmark_node_previous(first) &&
           cmark_node_get_type(cmark_node_previous(first)) == CMARK_NODE_TEXT)
        first = cmark_node_previous(first);
    struct buf text = BUF_INIT;
    join_texts(&text, first, NULL);
    size_t at = attributes_at(text.data, text.len);
    if (at != SIZE_MAX &&
        written_plain(lines, (unsigned)cmark_node_get_end_line(block),
                      text.data + at, text.len - at)) {
        attributes_read(out, text.data + at, text.len - at, a);
        free_nodes(cmark_node_next(first), NULL);
        text.len = without_blanks(text.data, at);
        bool heading = cmark_node_get_type(block) == CMARK_NODE_HEADING;
        if (heading && out->id)
            buf_printf(&text, "%s{#%s}", text.len ? " " : "", out->id);
        text.data[text.len] = '\0';
        if (text.len)
            cmark_node_set_literal(first, text.data);
        else
            cmark_node_free(first);
    }
    buf_dispose(&text);
}

/* Removes each line of paragraph p that is an attribute list and nothing
 * else, with the line break that joined it to the rest. */
static void
strip_attribute_lines(cmark_node *p, struct attributes *out,
                      struct lines *lines, struct arena *a)
{
    struct buf text = BUF_INIT;
    for (cmark_node *line = cmark_node_first_child(p); line;) {
        cmark_node *stop = line;
        while (stop && !is_break(stop))
            stop = cmark_node_next(stop);
        cmark_node *next = stop ? cmark_node_next(stop) : NULL;
        bool texts = join_texts(&text, line, stop);
        size_t start = strspn(text.data, " \t");
        if (texts && start < text.len &&
            attributes_at(text.data, text.len) == start &&
            written_plain(lines, (unsigned)cmark_node_get_start_line(line),
                          text.data + start, text.len - start)) {
            attributes_read(out, text.data + start, text.len - start, a);
            cmark_node *before = cmark_node_previous(line);
            free_nodes(line, stop);
            if (stop)
                cmark_node_free(stop);
            else if (before && is_break(before))
                cmark_node_free(before);
        }
        line = next;
    }
    buf_dispose(&text);
}

/* The outermost list that holds node, or NULL. */
static cmark_node *
outer_list(cmark_node *node)
{
    cmark_node *list = NULL;
    for (; node; node = cmark_node_parent(node))
        if (cmark_node_get_type(node) == CMARK_NODE_LIST)
            list = node;
    return list;
}

/* Takes Kramdown's attribute lists (Jekyll's Markdown) out of the text,
 * on a line of their own or at the end of a paragraph or heading: they
 * are never text, nor hashtags. A paragraph gets the id and classes they
 * give it ("{: .note}" on its last line); "{: #id}" on the line after a
 * heading sets its id; a list ended by "{:toc}" (Kramdown's table of
 * contents) goes with it. */
static void
attributes_strip(cmark_node *doc, struct lines *lines, struct arena *a)
{
    struct vec blocks = VEC_INIT, lists = VEC_INIT;
    nodes_of(&blocks, doc, CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING);
    for (size_t i = 0; i < blocks.len; i++) {
        cmark_node *b = blocks.items[i];
        struct attributes found = { 0 };
        if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH)
            strip_attribute_lines(b, &found, lines, a);
        strip_trailing_attributes(b, &found, lines, a);
        if (found.toc && outer_list(b))
            vec_push(&lists, outer_list(b));
        if (cmark_node_get_type(b) == CMARK_NODE_HEADING)
            continue;
        if (cmark_node_first_child(b)) {
            if ((found.id || found.classes) &&
                cmark_node_get_type(cmark_node_parent(b)) !=
                    CMARK_NODE_FOOTNOTE_DEFINITION) {
                struct attributes *keep = arena_alloc(a, sizeof *keep);
                *keep = found;
                cmark_node_set_syntax_extension(b, paragraph_extension);
                cmark_node_set_user_data(b, keep);
            }
            continue;
        }
        cmark_node *h = cmark_node_previous(b);
        if (found.id && h && cmark_node_get_type(h) == CMARK_NODE_HEADING &&
            cmark_node_get_end_line(h) + 1 == cmark_node_get_start_line(b)) {
            const char *id = arena_printf(a, " {#%s}", found.id);
            cmark_node *t =
                cmark_node_new_with_mem(CMARK_NODE_TEXT, markdown_mem());
            cmark_node_set_literal(t, id);
            cmark_node_append_child(h, t);
        }
        cmark_node_free(b);
    }
    for (size_t i = 0; i < lists.len; i++) {
        size_t j = 0;
        while (j < i && lists.items[j] != lists.items[i])
            j++;
        if (j == i) /* each list once */
            cmark_node_free(lists.items[i]);
    }
    vec_dispose(&blocks);
    vec_dispose(&lists);
}

/* ---- Another generator's template syntax -------------------------------- */

/* Hugo's shortcodes and templates, Liquid's tags (Jekyll's). */
static const char *const foreign_marks[] = { "{{<", "{{%", "{%", "{{ ." };

/* Where the first foreign mark starts in s, if before limit (its text
 * into *mark), or SIZE_MAX. */
static size_t
foreign_at(const char *s, size_t limit, const char **mark)
{
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < sizeof foreign_marks / sizeof *foreign_marks; i++) {
        const char *m = strstr(s, foreign_marks[i]);
        if (m && (size_t)(m - s) < limit && (size_t)(m - s) < first) {
            first = (size_t)(m - s);
            *mark = foreign_marks[i];
        }
    }
    return first;
}

/* The template tag at s as a message quotes it: up to its "}}" or "%}",
 * at most 60 characters, control characters as spaces. */
static const char *
foreign_shown(const char *s, struct arena *a)
{
    const char *close = NULL;
    for (const char *p = s + 2; *p && !close; p++)
        if ((*p == '}' || *p == '%') && p[1] == '}')
            close = p + 2;
    size_t n = close ? (size_t)(close - s) : strlen(s);
    size_t keep = utf8_prefix(s, n, 60);
    char *shown = arena_printf(a, "\"%.*s%s\"", (int)keep, s,
                               keep < n ? "..." : "");
    for (char *p = shown; *p; p++)
        if ((unsigned char)*p < ' ')
            *p = ' ';
    return shown;
}

/* Hugo shortcodes and Liquid tags outside code ("{{< figure >}}",
 * "{% include x.html %}") are shown as they are written: one DIAG_WARNING
 * for the file, at the first. Each text node is read with the text and
 * raw HTML that follow it on its line, where a mark may end. */
static void
warn_foreign_syntax(cmark_node *doc, const char *path, struct lines *lines,
                    unsigned body_line, struct arena *a, struct diags *d)
{
    struct buf text = BUF_INIT;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER ||
            cmark_node_get_type(n) != CMARK_NODE_TEXT)
            continue;
        const char *lit = cmark_node_get_literal(n);
        size_t own = strlen(lit);
        buf_clear(&text);
        buf_puts(&text, lit);
        for (cmark_node *m = cmark_node_next(n);
             m && text.len < own + 80 &&
             (cmark_node_get_type(m) == CMARK_NODE_TEXT ||
              cmark_node_get_type(m) == CMARK_NODE_HTML_INLINE);
             m = cmark_node_next(m)) {
            const char *more = cmark_node_get_literal(m);
            buf_put(&text, more, strnlen(more, 80));
        }
        const char *mark = NULL;
        size_t at = foreign_at(text.data, own, &mark);
        if (at == SIZE_MAX)
            continue;
        unsigned line = (unsigned)cmark_node_get_start_line(n);
        unsigned col = find_column(lines, line,
                                   (unsigned)cmark_node_get_start_column(n),
                                   mark, utf8_length(lit, at));
        diags_add(d, DIAG_WARNING, path, body_line - 1 + line, col,
                  "%s is another site generator's template syntax (a Hugo "
                  "shortcode or a Liquid tag): it is shown as text",
                  foreign_shown(text.data + at, a));
        break;
    }
    cmark_iter_free(it);
    buf_dispose(&text);
}

/* ---- Ids -------------------------------------------------------------- */

/* Collects an id attribute (and an a element's name, which a fragment
 * names as well), its entities decoded, into the vector of the payload. */
struct id_scan {
    struct vec ids;
    struct arena *a;
};

static void
id_attribute(const struct attribute *at, void *payload)
{
    struct id_scan *scan = payload;
    bool id = at->name_len == 2 && !strncasecmp(at->name, "id", 2);
    bool name = at->name_len == 4 && !strncasecmp(at->name, "name", 4) &&
                at->tag_len == 1 && tolower((unsigned char)at->tag[0]) == 'a';
    if (!id && !name)
        return;
    cmark_strbuf text;
    cmark_strbuf_init(cmark_get_default_mem_allocator(), &text, 0);
    houdini_unescape_html_f(&text, (const uint8_t *)at->value,
                            (bufsize_t)at->value_len);
    vec_push(&scan->ids, arena_strndup(scan->a, (const char *)text.ptr,
                                       (size_t)text.size));
    cmark_strbuf_free(&text);
}

/* The ids of the elements of html, into an. */
static void
collect_ids(struct anchors *an, const char *html, struct arena *a)
{
    struct id_scan scan = { VEC_INIT, a };
    html_attributes(html, strlen(html), id_attribute, &scan);
    an->nids = scan.ids.len;
    an->ids = arena_alloc(a, (scan.ids.len + 1) * sizeof *an->ids);
    for (size_t i = 0; i < scan.ids.len; i++)
        an->ids[i] = scan.ids.items[i];
    vec_dispose(&scan.ids);
}

/* Copies a string cmark rendered from the region into the arena. */
static const char *
take(struct arena *a, char *s)
{
    const char *copy = arena_strdup(a, s ? s : "");
    region_free(s);
    return copy;
}

void
markdown_init(parse_tag_url_fn tag_url)
{
    cmark_gfm_core_extensions_ensure_registered();
    tagging_init(tag_url);
    spans_init();
    code_init();
    if (heading_extension)
        return;
    heading_extension = cmark_syntax_extension_new("heading_id");
    cmark_syntax_extension_set_html_render_func(heading_extension,
                                                heading_html);
    more_extension = cmark_syntax_extension_new("summary_end");
    cmark_syntax_extension_set_html_render_func(more_extension, more_html);
    paragraph_extension = cmark_syntax_extension_new("attributes");
    cmark_syntax_extension_set_html_render_func(paragraph_extension,
                                                paragraph_html);
    link_extension = cmark_syntax_extension_new("post_link");
    cmark_syntax_extension_set_html_render_func(link_extension, link_html);
}

/* Renders paragraph first as out's summary: the links to posts in it
 * record their hrefs' places in it (summary_at), those of the body kept. */
static void
summary_render(struct markdown *out, cmark_node *first, int opts,
               cmark_llist *exts, struct arena *a)
{
    struct anchors *an = &out->anchors;
    for (size_t i = 0; i < an->nlinks; i++) {
        an->links[i].summary_at = an->links[i].at;
        an->links[i].at = SIZE_MAX;
    }
    out->summary_html = take(a, cmark_render_html(first, opts, exts));
    for (size_t i = 0; i < an->nlinks; i++) {
        size_t at = an->links[i].summary_at;
        an->links[i].summary_at = an->links[i].at;
        an->links[i].at = at;
    }
}

/* Renders the text before <!--more--> (end, which rendered at html's
 * offset cut) as out's summary: the links to posts in it keep their
 * places. */
static void
summary_cut(struct markdown *out, cmark_node *doc, cmark_node *end, size_t cut,
            struct arena *a)
{
    out->summary_html = arena_strndup(a, out->html, cut);
    out->summary_text = text_before(doc, end, a);
    struct anchors *an = &out->anchors;
    for (size_t i = 0; i < an->nlinks; i++)
        an->links[i].summary_at = an->links[i].at < cut ? an->links[i].at
                                                        : SIZE_MAX;
}

int
markdown_render(struct markdown *out, const char *path, const char *body,
                size_t len, unsigned body_line, const struct site_config *cfg,
                bool hashtags, struct arena *a, struct diags *d)
{
    int opts = CMARK_OPT_FOOTNOTES | (cfg->unsafe_html ? CMARK_OPT_UNSAFE : 0);
    pthread_mutex_lock(&parse_lock);
    cmark_parser *parser = cmark_parser_new_with_mem(opts, &region_mem);
    for (size_t i = 0; i < sizeof extension_names / sizeof *extension_names;
         i++)
        cmark_parser_attach_syntax_extension(
            parser, cmark_find_syntax_extension(extension_names[i]));
    cmark_parser_feed(parser, body, len);
    cmark_node *doc = cmark_parser_finish(parser);
    pthread_mutex_unlock(&parse_lock);
    cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);

    memset(out, 0, sizeof *out);
    struct lines lines = { body, len, VEC_INIT };
    if (cfg->unsafe_html)
        warn_risky_html(doc, path, body_line, d);
    attributes_strip(doc, &lines, a);
    spans_mark(doc);
    warn_foreign_syntax(doc, path, &lines, body_line, a, d);
    size_t cut = 0;
    cmark_node *end = more_mark(doc, &cut);
    headings_mark(out, doc, a);
    links_mark(out, doc, path, &lines, body_line, a);
    tagging_mark(out, doc, &lines, body_line, cfg, hashtags, a);
    code_blocks_mark(doc, a);
    out->html = take(a, cmark_render_html(doc, opts, exts));
    collect_ids(&out->anchors, out->html, a);
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
    }
    if (end && cut > 0)
        summary_cut(out, doc, end, cut, a);
    else if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH)
        summary_render(out, first, opts, exts, a);
    buf_dispose(&text);
    vec_dispose(&lines.starts);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    region_reset();
    return 0;
}
