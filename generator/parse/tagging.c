/* tagging.c: Telegram's entities in Markdown. A pass over the cmark-gfm
 * tree finds hashtags, @mentions, URLs and e-mail addresses in text (never
 * in code, link text or destinations, or raw HTML) with the tdlib-faithful
 * scanner of hashtag/, and links them as Telegram does: a hashtag becomes a
 * node of our extension's type, rendered as a link to its tag page, the
 * others become links. cmark-gfm's own autolinking is off: where its URLs
 * end is not where Telegram's do. Also the tag slug, the identity of a tag.
 * Part of parse/. */
#include "../hashtag/hashtag.h"
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/render.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static cmark_syntax_extension *hashtag_extension;
static cmark_node_type NODE_HASHTAG;
static parse_tag_url_fn tag_url_of;

static const char *
hashtag_type_string(cmark_syntax_extension *ext, cmark_node *node)
{
    (void)ext, (void)node;
    return "hashtag";
}

/* A hashtag node holds its text ("#tag") as one text child. */
static int
hashtag_can_contain(cmark_syntax_extension *ext, cmark_node *node,
                    cmark_node_type child)
{
    (void)ext, (void)node;
    return child == CMARK_NODE_TEXT;
}

/* The node carries its opening tag, escaped, as user data; cmark renders
 * the text child in between. */
static void
hashtag_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
             cmark_node *node, cmark_event_type ev, int options)
{
    (void)ext, (void)options;
    cmark_strbuf_puts(r->html, ev == CMARK_EVENT_ENTER
                                   ? cmark_node_get_user_data(node)
                                   : "</a>");
}

void
tagging_init(parse_tag_url_fn tag_url)
{
    tag_url_of = tag_url;
    if (hashtag_extension)
        return;
    hashtag_extension = cmark_syntax_extension_new("hashtag");
    NODE_HASHTAG = cmark_syntax_extension_add_node(1);
    cmark_syntax_extension_set_get_type_string_func(hashtag_extension,
                                                    hashtag_type_string);
    cmark_syntax_extension_set_can_contain_func(hashtag_extension,
                                                hashtag_can_contain);
    cmark_syntax_extension_set_html_render_func(hashtag_extension,
                                                hashtag_html);
}

/* The last code point of what node shows as text (0 when none). A loop
 * down the last children, not recursion: inline nesting is the text's. */
static uint32_t
last_code_point(cmark_node *node)
{
    for (; node; node = cmark_node_last_child(node)) {
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            return '\n';
        if (t == CMARK_NODE_HTML_INLINE)
            return 0;
        if (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE)
            continue;
        const char *s = cmark_node_get_literal(node);
        size_t n = s ? strlen(s) : 0, i = n;
        while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
            i--;
        size_t used;
        int32_t c = i > 0 ? utf8_decode(s + i - 1, n - i + 1, &used) : 0;
        return c < 0 ? 0 : (uint32_t)c;
    }
    return 0;
}

/* The code point shown just before text node n within its block, so that
 * "**word**#tag" is known to be glued, as in Telegram's plain text. */
static uint32_t
code_point_before(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n)) {
        cmark_node *prev = cmark_node_previous(n);
        if (prev)
            return last_code_point(prev);
        cmark_node *up = cmark_node_parent(n);
        if (!up || (cmark_node_get_type(up) & CMARK_NODE_TYPE_MASK) !=
                       CMARK_NODE_TYPE_INLINE)
            return 0;
    }
    return 0;
}

/* The first text node of each run of text nodes outside links and images:
 * where hashtags may stand. */
static void
collect_runs(cmark_node *doc, struct vec *runs)
{
    cmark_iter *it = cmark_iter_new(doc);
    int inside_link = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        cmark_node *prev = cmark_node_previous(n);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            inside_link += ev == CMARK_EVENT_ENTER ? 1 : -1;
        else if (t == CMARK_NODE_TEXT && !inside_link &&
                 (!prev || cmark_node_get_type(prev) != CMARK_NODE_TEXT))
            vec_push(runs, n);
    }
    cmark_iter_free(it);
}

/* Where a piece of a run's text was written: a text node of its own, with
 * its source position. */
struct piece {
    size_t at; /* offset of the piece in the run's text */
    unsigned line, col;
};

/* Joins the run of text nodes that starts at first into first (as
 * cmark_consolidate_text_nodes would), recording each node as a piece. */
static void
join_run(cmark_node *first, struct vec *pieces)
{
    struct buf text = BUF_INIT;
    cmark_node *n = first;
    while (n && cmark_node_get_type(n) == CMARK_NODE_TEXT) {
        struct piece *p = xmalloc(sizeof *p);
        p->at = text.len;
        p->line = (unsigned)cmark_node_get_start_line(n);
        p->col = (unsigned)cmark_node_get_start_column(n);
        vec_push(pieces, p);
        buf_puts(&text, cmark_node_get_literal(n));
        cmark_node *next = cmark_node_next(n);
        if (n != first)
            cmark_node_free(n);
        n = next;
    }
    if (pieces->len > 1)
        cmark_node_set_literal(first, text.data);
    buf_dispose(&text);
}

/* Length of the entity reference (&amp; &#35; &#x23;) at s, 0 if none. */
static size_t
entity_len(const char *s, const char *end)
{
    const char *p = s + 1;
    if (p < end && *p == '#')
        p++;
    const char *name = p;
    while (p < end && p - name < 32 && (isalnum((unsigned char)*p)))
        p++;
    return p > name && p < end && *p == ';' ? (size_t)(p + 1 - s) : 0;
}

/* The source offset, within src[0..end), of decoded offset k of a text
 * node whose text is dec and whose source starts at src. cmark turns
 * entities and backslash escapes into their characters; everything else
 * stands as written. An entity's characters are found as the shortest
 * stretch of dec after which dec and the source agree again. */
static size_t
source_offset(const char *src, const char *end, const char *dec, size_t k)
{
    const char *s = src;
    size_t d = 0;
    while (d < k && s < end) {
        size_t n;
        if (*s == '\\' && s + 1 < end && ispunct((unsigned char)s[1])) {
            s += 2, d += 1;
        } else if (*s == '&' && (n = entity_len(s, end)) &&
                   strncmp(dec + d, s, n)) {
            size_t take = 1;
            while (dec[d + take] && ((unsigned char)dec[d + take] & 0xc0) == 0x80)
                take++; /* the first character it decodes to */
            for (size_t more = take; dec[d + more] && more < 16; more++)
                if (s + n < end && dec[d + more] == s[n] &&
                    ((unsigned char)dec[d + more] & 0xc0) != 0x80) {
                    take = more;
                    break;
                }
            s += n, d += take;
        } else {
            s++, d++;
        }
    }
    return (size_t)(s - src);
}

struct marking {
    struct arena *a;
    const struct site_config *cfg;
    struct lines *body;          /* the Markdown source */
    unsigned body_line;          /* its first line in the file */
    const char *url;             /* of the last hashtag node made */
    const char *text;
    struct vec found; /* struct hashtag copies, malloc'd */
    bool hashtags;    /* link and record hashtags too */
};

static void
found_one(const struct hashtag *tag, void *payload)
{
    struct marking *m = payload;
    struct hashtag *copy = xmalloc(sizeof *copy);
    *copy = *tag;
    vec_push(&m->found, copy);
}

static cmark_node *
text_node(const char *s, size_t len)
{
    cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, markdown_mem());
    char *copy = xstrndup(s, len);
    cmark_node_set_literal(t, copy);
    free(copy);
    return t;
}

/* A hashtag node for text[tag], rendering as a link to the tag's page:
 * a channel's own page for #tag@channel when the site has that channel. */
static cmark_node *
hashtag_node(struct marking *m, const struct hashtag *tag, const char *slug)
{
    struct buf url = BUF_INIT, html = BUF_INIT;
    buf_puts(&url, m->cfg->base_path);
    size_t scope = 1 + tag->name_len + 1; /* "#name@" */
    const char *channel = tag->len > scope
        ? config_channel_named(m->cfg, m->text + tag->start + scope,
                               tag->len - scope)
        : NULL;
    if (channel) {
        buf_put_url_path(&url, channel);
        buf_putc(&url, '/');
    }
    buf_put_url_path(&url, tag_url_of(m->a, slug));
    buf_puts(&html, "<a class=\"hashtag\" href=\"");
    buf_put_html(&html, url.data, url.len);
    buf_puts(&html, "\">");
    cmark_node *node = cmark_node_new_with_mem_and_ext(
        NODE_HASHTAG, markdown_mem(), hashtag_extension);
    cmark_node_set_user_data(node, arena_strndup(m->a, html.data, html.len));
    cmark_node_append_child(node, text_node(m->text + tag->start, tag->len));
    m->url = arena_strndup(m->a, url.data, url.len);
    buf_dispose(&url);
    buf_dispose(&html);
    return node;
}

/* Puts the hashtag before node. A table cell takes only cmark's own inline
 * types, so there the tag becomes a plain link to the same page. */
static void
insert_hashtag(struct marking *m, cmark_node *before, const struct hashtag *tag,
               const char *slug)
{
    cmark_node *h = hashtag_node(m, tag, slug);
    if (cmark_node_insert_before(before, h))
        return;
    cmark_node_free(h);
    cmark_node *link = cmark_node_new_with_mem(CMARK_NODE_LINK, markdown_mem());
    cmark_node_set_url(link, m->url);
    cmark_node_append_child(link, text_node(m->text + tag->start, tag->len));
    if (!cmark_node_insert_before(before, link)) {
        cmark_node_free(link);
        cmark_node_insert_before(before,
                                 text_node(m->text + tag->start, tag->len));
    }
}

/* Where Telegram sends a reader who clicks text[e]: a mention to the
 * site's channel of that name, else to t.me; a URL as it is when it names
 * its scheme, else over http:// as tdlib's get_url has it. */
static char *
entity_url(struct marking *m, const struct hashtag *e)
{
    const char *s = m->text + e->start;
    struct buf url = BUF_INIT;
    const char *channel;
    if (e->kind == HASHTAG_MENTION &&
        (channel = config_channel_named(m->cfg, s + 1, e->len - 1))) {
        buf_puts(&url, m->cfg->base_path);
        buf_put_url_path(&url, channel);
        buf_putc(&url, '/');
    } else if (e->kind == HASHTAG_MENTION) {
        buf_puts(&url, "https://t.me/");
        buf_put(&url, s + 1, e->len - 1);
    } else if (e->kind == HASHTAG_EMAIL) {
        buf_puts(&url, "mailto:");
        buf_put(&url, s, e->len);
    } else {
        size_t k = 0;
        while (k < e->len && isalpha((unsigned char)s[k]))
            k++;
        if (!(k > 0 && e->len - k > 3 && !memcmp(s + k, "://", 3)))
            buf_puts(&url, "http://");
        buf_put(&url, s, e->len);
    }
    char *out = arena_strndup(m->a, url.data, url.len);
    buf_dispose(&url);
    return out;
}

/* Puts a link to text[e] before node, or its text where no link may be. */
static void
insert_link(struct marking *m, cmark_node *before, const struct hashtag *e)
{
    cmark_node *link = cmark_node_new_with_mem(CMARK_NODE_LINK, markdown_mem());
    cmark_node_set_url(link, entity_url(m, e));
    cmark_node_append_child(link, text_node(m->text + e->start, e->len));
    if (!cmark_node_insert_before(before, link)) {
        cmark_node_free(link);
        cmark_node_insert_before(before, text_node(m->text + e->start, e->len));
    }
}

static void
insert_text(cmark_node *before, const char *s, size_t len)
{
    if (len)
        cmark_node_insert_before(before, text_node(s, len));
}

/* The file position of offset at in the run's text: its piece's start,
 * then the source of that line walked up to at. */
static void
locate(struct marking *m, const struct vec *pieces, size_t at,
       unsigned *line, unsigned *col)
{
    size_t i = pieces->len - 1;
    while (i > 0 && ((struct piece *)pieces->items[i])->at > at)
        i--;
    const struct piece *p = pieces->items[i];
    size_t start, width;
    *line = m->body_line - 1 + p->line;
    *col = p->col;
    if (p->line < 1 || p->col < 1 ||
        !line_span(m->body, p->line, &start, &width))
        return; /* cmark gave no usable position (a re-parsed table row) */
    const char *src = m->body->text + start + p->col - 1;
    const char *end = m->body->text + start + width;
    if (src > end)
        return;
    size_t n = source_offset(src, end, m->text + p->at, at - p->at);
    *col = p->col + (unsigned)utf8_length(src, n);
}

/* Splits the run of text nodes at node around its hashtags, mentions,
 * URLs and e-mail addresses, linking each, and records the hashtags. */
static void
mark_text(struct vec *uses, cmark_node *node, struct marking *m)
{
    struct vec pieces = VEC_INIT;
    uint32_t before = code_point_before(node);
    join_run(node, &pieces);
    m->text = cmark_node_get_literal(node);
    size_t len = strlen(m->text), at = 0;
    m->found.len = 0;
    hashtag_scan(m->text, len, before, found_one, m);
    for (size_t i = 0; i < m->found.len; i++) {
        struct hashtag *tag = m->found.items[i];
        if (tag->kind == HASHTAG_TAG && !m->hashtags) {
            free(tag);
            continue; /* stays in the text around */
        }
        if (tag->kind != HASHTAG_TAG) {
            insert_text(node, m->text + at, tag->start - at);
            insert_link(m, node, tag);
            at = tag->start + tag->len;
            free(tag);
            continue;
        }
        struct tag_use *use = arena_alloc(m->a, sizeof *use);
        use->name = arena_strndup(m->a, m->text + tag->start + 1,
                                  tag->name_len);
        use->slug = parse_tag_slug(m->a, use->name, tag->name_len);
        locate(m, &pieces, tag->start, &use->line, &use->col);
        insert_text(node, m->text + at, tag->start - at);
        if (use->slug) {
            insert_hashtag(m, node, tag, use->slug);
            vec_push(uses, use);
        } else {
            insert_text(node, m->text + tag->start, tag->len);
        }
        at = tag->start + tag->len;
        free(tag);
    }
    if (m->found.len) {
        insert_text(node, m->text + at, len - at);
        cmark_node_free(node);
    }
    for (size_t i = 0; i < pieces.len; i++)
        free(pieces.items[i]);
    vec_dispose(&pieces);
}

void
tagging_mark(struct markdown *out, cmark_node *doc, struct lines *body,
             unsigned body_line, const struct site_config *cfg, bool hashtags,
             struct arena *a)
{
    struct vec runs = VEC_INIT, uses = VEC_INIT;
    struct marking m = { a, cfg, body, body_line, NULL, NULL, VEC_INIT,
                         hashtags };
    collect_runs(doc, &runs);
    for (size_t i = 0; i < runs.len; i++)
        mark_text(&uses, runs.items[i], &m);
    out->ntags = uses.len;
    out->tags = arena_alloc(a, (uses.len ? uses.len : 1) * sizeof *out->tags);
    for (size_t i = 0; i < uses.len; i++)
        out->tags[i] = *(struct tag_use *)uses.items[i];
    vec_dispose(&runs);
    vec_dispose(&uses);
    vec_dispose(&m.found);
}
