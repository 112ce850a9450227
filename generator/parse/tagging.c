/* tagging.c: hashtags in Markdown. A pass over the cmark-gfm tree finds
 * them in text (never in code, link text or destinations, autolinks or raw
 * HTML) with the tdlib-faithful scanner of hashtag.c and replaces each with
 * a node of our extension's type, rendered as a link to its tag page. Also
 * the tag slug, the identity of a tag. Part of parse/. */
#include "hashtag.h"
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/render.h>
#include <stdlib.h>
#include <string.h>

#define SLUG_MAX_BYTES 200 /* a file name holds 255 bytes; keep room */

static cmark_syntax_extension *hashtag_extension;
static cmark_node_type NODE_HASHTAG;

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
hashtags_init(void)
{
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

/* True for what may stand in a slug: the characters of hashtags. */
static bool
is_slug_char(int32_t c)
{
    enum utf8_class k = utf8_classify(c);
    return k == UTF8_LETTER || k == UTF8_MARK || k == UTF8_DIGIT ||
           k == UTF8_NUMBER || c == '_' || c == 0x200C || c == 0xB7;
}

const char *
parse_tag_slug(struct arena *a, const char *name, size_t len)
{
    if (len && name[0] == '#')
        name++, len--;
    char *folded = utf8_fold(a, name, len);
    if (!folded)
        return NULL;
    struct buf b = BUF_INIT;
    const char *p = folded, *end = folded + strlen(folded);
    for (size_t n; p < end; p += n) {
        int32_t c = utf8_decode(p, (size_t)(end - p), &n);
        if (c < 0)
            break;
        if (is_slug_char(c))
            buf_put(&b, p, n);
        else if (b.len && b.data[b.len - 1] != '-')
            buf_putc(&b, '-');
    }
    while (b.len && b.data[b.len - 1] == '-')
        b.len--;
    const char *slug = NULL;
    if (b.len > SLUG_MAX_BYTES) {
        /* Distinct long tags keep distinct slugs: a hash of the whole. */
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < b.len; i++)
            h = (h ^ (unsigned char)b.data[i]) * 16777619u;
        size_t keep = SLUG_MAX_BYTES - 9;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xc0) == 0x80)
            keep--; /* cut on a character boundary */
        slug = arena_printf(a, "%.*s-%08x", (int)keep, b.data, (unsigned)h);
    } else if (b.len) {
        slug = arena_strndup(a, b.data, b.len);
    }
    buf_dispose(&b);
    return slug;
}

/* The last code point of what node shows as text (0 when none). */
static uint32_t
last_code_point(cmark_node *node)
{
    cmark_node_type t = cmark_node_get_type(node);
    if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
        return '\n';
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
        const char *s = cmark_node_get_literal(node);
        size_t n = s ? strlen(s) : 0, i = n;
        while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
            i--;
        size_t used;
        int32_t c = i > 0 ? utf8_decode(s + i - 1, n - i + 1, &used) : 0;
        return c < 0 ? 0 : (uint32_t)c;
    }
    if (t == CMARK_NODE_HTML_INLINE)
        return 0;
    cmark_node *last = cmark_node_last_child(node);
    return last ? last_code_point(last) : 0;
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

/* Text nodes outside links and images: where hashtags may stand. */
static void
collect_texts(cmark_node *doc, struct vec *texts)
{
    cmark_iter *it = cmark_iter_new(doc);
    int inside_link = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            inside_link += ev == CMARK_EVENT_ENTER ? 1 : -1;
        else if (t == CMARK_NODE_TEXT && !inside_link)
            vec_push(texts, n);
    }
    cmark_iter_free(it);
}

struct marking {
    struct arena *a;
    const struct site_config *cfg;
    const char *text;
    struct vec found; /* struct hashtag copies, malloc'd */
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
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    char *copy = xstrndup(s, len);
    cmark_node_set_literal(t, copy);
    free(copy);
    return t;
}

/* A hashtag node for text[tag], rendering as a link to the tag's page. */
static cmark_node *
hashtag_node(struct marking *m, const struct hashtag *tag, const char *slug)
{
    struct buf html = BUF_INIT;
    buf_puts(&html, "<a class=\"hashtag\" href=\"");
    buf_put_html(&html, m->cfg->base_path, strlen(m->cfg->base_path));
    buf_puts(&html, "tags/");
    buf_put_url_path(&html, slug);
    buf_puts(&html, "/\">");
    cmark_node *node = cmark_node_new_with_ext(NODE_HASHTAG,
                                               hashtag_extension);
    cmark_node_set_user_data(node, arena_strndup(m->a, html.data, html.len));
    cmark_node_append_child(node, text_node(m->text + tag->start, tag->len));
    buf_dispose(&html);
    return node;
}

static void
insert_text(cmark_node *before, const char *s, size_t len)
{
    if (len)
        cmark_node_insert_before(before, text_node(s, len));
}

/* Splits one text node around its hashtags and records them. */
static void
mark_text(struct vec *uses, cmark_node *node, unsigned body_line,
          struct marking *m)
{
    m->text = cmark_node_get_literal(node);
    size_t len = strlen(m->text), at = 0;
    m->found.len = 0;
    hashtag_scan(m->text, len, code_point_before(node), found_one, m);
    if (!m->found.len)
        return;
    unsigned line = body_line - 1 + (unsigned)cmark_node_get_start_line(node);
    unsigned col = (unsigned)cmark_node_get_start_column(node);
    for (size_t i = 0; i < m->found.len; i++) {
        struct hashtag *tag = m->found.items[i];
        struct tag_use *use = arena_alloc(m->a, sizeof *use);
        use->name = arena_strndup(m->a, m->text + tag->start + 1,
                                  tag->name_len);
        use->slug = parse_tag_slug(m->a, use->name, tag->name_len);
        use->line = line;
        use->col = col + (unsigned)utf8_length(m->text, tag->start);
        insert_text(node, m->text + at, tag->start - at);
        if (use->slug) {
            cmark_node_insert_before(node, hashtag_node(m, tag, use->slug));
            vec_push(uses, use);
        } else {
            insert_text(node, m->text + tag->start, tag->len);
        }
        at = tag->start + tag->len;
        free(tag);
    }
    insert_text(node, m->text + at, len - at);
    cmark_node_free(node);
}

void
hashtags_mark(struct markdown *out, cmark_node *doc, unsigned body_line,
              const struct site_config *cfg, struct arena *a)
{
    struct vec texts = VEC_INIT, uses = VEC_INIT;
    struct marking m = { a, cfg, NULL, VEC_INIT };
    cmark_consolidate_text_nodes(doc);
    collect_texts(doc, &texts);
    for (size_t i = 0; i < texts.len; i++)
        mark_text(&uses, texts.items[i], body_line, &m);
    out->ntags = uses.len;
    out->tags = arena_alloc(a, (uses.len ? uses.len : 1) * sizeof *out->tags);
    for (size_t i = 0; i < uses.len; i++)
        out->tags[i] = *(struct tag_use *)uses.items[i];
    vec_dispose(&texts);
    vec_dispose(&uses);
    vec_dispose(&m.found);
}
