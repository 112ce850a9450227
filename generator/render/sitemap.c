/* sitemap.c: /sitemap.xml (sitemaps.org 0.9) listing every page with the
 * time its newest post changed, split under a sitemap index past 50,000
 * URLs, and /robots.txt naming it. Part of render/; runs after the pages
 * are listed, in time linear in the posts shown on them. A part whose key
 * the last build published is not written again. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/hash.h"

#include <string.h>

#define SITEMAP_URLS 50000 /* per file, the protocol's bound */
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

/* The newest change among entries[from, from + n), clipped to len; NULL
 * when there is none. mod is each entry's change, by its index. */
static const struct timestamp *
newest(const struct timestamp *const *mod, struct entry *const *entries,
       size_t len, size_t from, size_t n)
{
    const struct timestamp *best = NULL;
    for (size_t i = from; i < len && i < from + n; i++) {
        const struct timestamp *t = mod[entries[i]->index];
        if (t->set && (!best || t->secs > best->secs))
            best = t;
    }
    return best;
}

/* When the page last changed: its post's change, or the newest among the
 * posts it lists (all of them for the list of tags). */
static const struct timestamp *
page_lastmod(const struct site *s, const struct timestamp *const *mod,
             const struct page *pg)
{
    size_t per = (size_t)s->config->per_page;
    size_t from = pg->pager.page ? (pg->pager.page - 1) * per : 0;
    switch (pg->kind) {
    case PAGE_POST:
        return mod[pg->entry->index];
    case PAGE_HOME:
        return newest(mod, s->entries, s->nentries, from, per);
    case PAGE_CHANNEL:
        return newest(mod, pg->channel->entries, pg->channel->nentries, from,
                      per);
    case PAGE_TAG:
        return newest(mod, pg->tag->entries, pg->tag->nentries, from, per);
    case PAGE_TAGS:
        return newest(mod, s->entries, s->nentries, 0, s->nentries);
    case PAGE_NOT_FOUND:
        break;
    }
    return NULL;
}

static void
put_xml(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            buf_puts(b, "&amp;");
        else if (*s == '<')
            buf_puts(b, "&lt;");
        else if (*s == '>')
            buf_puts(b, "&gt;");
        else
            buf_putc(b, *s);
    }
}

/* <tag><loc>url</loc><lastmod>t</lastmod></tag>, lastmod when t is set. */
static void
put_location(struct buf *b, const char *tag, const char *url,
             const struct timestamp *t, struct arena *a)
{
    buf_printf(b, "<%s><loc>", tag);
    put_xml(b, url);
    buf_puts(b, "</loc>");
    if (t)
        buf_printf(b, "<lastmod>%s</lastmod>", view_iso_time(t, a));
    buf_printf(b, "</%s>\n", tag);
}

static void
add_file(struct output *out, struct arena *a, const char *path,
         struct buf *b)
{
    size_t len;
    char *data = buf_detach(b, &len);
    output_add(out, a, path, data, len);
}

/* A page the sitemap lists, with when it last changed (NULL: unknown). */
struct sitemap_page {
    const struct page *page;
    const struct timestamp *lastmod;
};

/* The key of the <urlset> of the listed pages [from, to): the site's
 * digest (its base URL among its settings) and each page's URL and
 * lastmod, which is all the file says. */
static struct output_key
urlset_key(const struct site *s, const struct sitemap_page *pages, size_t from,
           size_t to)
{
    struct hash h;
    hash_init(&h);
    hash_u64(&h, 'S');
    hash_bytes(&h, s->digest, sizeof s->digest);
    for (size_t i = from; i < to; i++) {
        const struct timestamp *t = pages[i].lastmod;
        hash_str(&h, pages[i].page->url);
        uint64_t when[2] = { t ? (uint64_t)t->secs : 0,
                             t ? (uint64_t)(t->offset_min + 1) << 1 | 1 : 0 };
        hash_bytes(&h, when, sizeof when);
    }
    hash_u64(&h, to - from);
    struct output_key k;
    hash_final(&h, k.h);
    return k;
}

/* Adds the <urlset> of the listed pages [from, to) (404 already left
 * out) at path, with its key; made only when the sink does not keep it. */
static void
add_urlset(struct output *out, const struct site *s,
           const struct sitemap_page *pages, size_t from, size_t to,
           const char *path, const struct render_sink *sink, struct arena *a)
{
    output_add(out, a, path, NULL, 0);
    struct output_file *f = &out->files[out->len - 1];
    f->key = urlset_key(s, pages, from, to);
    if (render_kept(sink, f))
        return;
    struct buf b = BUF_INIT;
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<urlset xmlns=\"" SITEMAP_NS "\">\n");
    for (size_t i = from; i < to; i++)
        put_location(&b, "url", url_absolute(s, pages[i].page->url, a),
                     pages[i].lastmod, a);
    buf_puts(&b, "</urlset>\n");
    f->data = buf_detach(&b, &f->len);
}

static void
add_robots(struct output *out, const struct site *s, struct arena *a)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "User-agent: *\nAllow: /\n");
    if (s->host)
        buf_printf(&b, "\nSitemap: %s\n",
                   url_absolute(s, MODEL_SITEMAP, a));
    add_file(out, a, MODEL_ROBOTS, &b);
}

void
sitemap_render(struct output *out, const struct site *s,
               const struct page *pages, size_t n,
               const struct render_sink *sink, struct arena *a)
{
    add_robots(out, s, a);
    if (!s->host)
        return; /* a sitemap lists absolute URLs */
    /* Each post's change, by its index: a list page looks up its posts'
     * here, not in posts that lie all over memory. */
    const struct timestamp **mod = arena_alloc(a, (s->nentries + 1) *
                                                      sizeof *mod);
    for (size_t i = 0; i < s->nentries; i++)
        mod[i] = view_modified(s->entries[i]);
    struct sitemap_page *listed = arena_alloc(a, (n + 1) * sizeof *listed);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        if (pages[i].kind != PAGE_NOT_FOUND)
            listed[len++] = (struct sitemap_page){ &pages[i],
                                             page_lastmod(s, mod, &pages[i]) };
    if (len <= SITEMAP_URLS) {
        add_urlset(out, s, listed, 0, len, MODEL_SITEMAP, sink, a);
        return;
    }
    struct buf index = BUF_INIT;
    buf_puts(&index, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<sitemapindex xmlns=\"" SITEMAP_NS "\">\n");
    for (size_t from = 0, part = 1; from < len; from += SITEMAP_URLS, part++) {
        size_t to = from + SITEMAP_URLS < len ? from + SITEMAP_URLS : len;
        const char *path = model_sitemap_part(a, part);
        add_urlset(out, s, listed, from, to, path, sink, a);
        /* The part changed when its newest page did. */
        const struct timestamp *t = NULL;
        for (size_t i = from; i < to; i++) {
            const struct timestamp *p = listed[i].lastmod;
            if (p && (!t || p->secs > t->secs))
                t = p;
        }
        put_location(&index, "sitemap", url_absolute(s, path, a), t, a);
    }
    buf_puts(&index, "</sitemapindex>\n");
    add_file(out, a, MODEL_SITEMAP, &index);
}
