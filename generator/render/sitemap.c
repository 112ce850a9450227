/* sitemap.c: /sitemap.xml (sitemaps.org 0.9) listing every page with the
 * time its newest post changed, split under a sitemap index past 50,000
 * URLs, and /robots.txt naming it. Part of render/; runs after the pages
 * are listed, in time linear in the posts shown on them. A part whose key
 * the last build published is not written again. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/hash.h"
#include "../base/jobs.h"

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

/* The pages the sitemap lists and their digests, made on jobs threads a
 * chunk at a time: a page's URL lies wherever its list or post was made,
 * and each of its posts' changes is looked up, most of them a cache miss.
 * A part of the sitemap is whole chunks of the pages it lists. */
#define SITEMAP_CHUNK 1000
_Static_assert(SITEMAP_URLS % SITEMAP_CHUNK == 0, "parts of whole chunks");

struct listing {
    const struct site *s;
    const struct timestamp *const *mod;
    const struct page *pages;
    size_t n;
    struct sitemap_page *listed; /* per page, its page NULL for the 404 */
    size_t len;                  /* then only the listed ones, in order */
    uint64_t (*digests)[2];      /* per chunk of those */
};

/* Chunk k of the pages: when each last changed. */
static void
lastmod_chunk(size_t k, int worker, void *payload)
{
    const struct listing *l = payload;
    (void)worker;
    for (size_t i = k * SITEMAP_CHUNK; i < l->n && i < (k + 1) * SITEMAP_CHUNK;
         i++) {
        const struct page *pg = &l->pages[i];
        l->listed[i] = pg->kind == PAGE_NOT_FOUND
                           ? (struct sitemap_page){ NULL, NULL }
                           : (struct sitemap_page){
                                 pg, page_lastmod(l->s, l->mod, pg) };
    }
}

/* Chunk k of the listed pages: the digest of their URLs and lastmods,
 * which is all the file says of them. */
static void
digest_chunk(size_t k, int worker, void *payload)
{
    const struct listing *l = payload;
    (void)worker;
    struct hash h;
    hash_init(&h);
    for (size_t i = k * SITEMAP_CHUNK;
         i < l->len && i < (k + 1) * SITEMAP_CHUNK; i++) {
        const struct timestamp *t = l->listed[i].lastmod;
        hash_str(&h, l->listed[i].page->url);
        uint64_t when[2] = { t ? (uint64_t)t->secs : 0,
                             t ? (uint64_t)(t->offset_min + 1) << 1 | 1 : 0 };
        hash_bytes(&h, when, sizeof when);
    }
    hash_final(&h, l->digests[k]);
}

/* The key of a <urlset> of the pages of chunks [from, to), count of them
 * listed: the site's digest (its base URL among its settings) and the
 * chunks' digests. */
static struct output_key
urlset_key(const struct site *s, uint64_t (*digests)[2], size_t from,
           size_t to, size_t count)
{
    struct hash h;
    hash_init(&h);
    hash_u64(&h, 'S');
    hash_bytes(&h, s->digest, sizeof s->digest);
    hash_bytes(&h, digests + from, (to - from) * sizeof *digests);
    hash_u64(&h, count);
    struct output_key k;
    hash_final(&h, k.h);
    return k;
}

/* Adds the <urlset> of the listed pages [from, to) (404 already left
 * out) at path, with key; made only when the sink does not keep it. */
static void
add_urlset(struct output *out, const struct site *s,
           const struct sitemap_page *pages, size_t from, size_t to,
           const char *path, struct output_key key,
           const struct render_sink *sink, struct arena *a)
{
    output_add(out, a, path, NULL, 0);
    struct output_file *f = &out->files[out->len - 1];
    f->key = key;
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
               const struct render_sink *sink, int jobs, struct arena *a)
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
    struct listing l = { s, mod, pages, n,
                         arena_alloc(a, (n + 1) * sizeof *l.listed), 0, NULL };
    jobs_run((n + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK, jobs, lastmod_chunk, &l);
    for (size_t i = 0; i < n; i++)
        if (l.listed[i].page)
            l.listed[l.len++] = l.listed[i];
    size_t len = l.len, chunks = (len + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK;
    l.digests = arena_alloc(a, (chunks + 1) * sizeof *l.digests);
    jobs_run(chunks, jobs, digest_chunk, &l);
    if (len <= SITEMAP_URLS) {
        add_urlset(out, s, l.listed, 0, len, MODEL_SITEMAP,
                   urlset_key(s, l.digests, 0, chunks, len), sink, a);
        return;
    }
    struct buf index = BUF_INIT;
    buf_puts(&index, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<sitemapindex xmlns=\"" SITEMAP_NS "\">\n");
    for (size_t from = 0, part = 1; from < len; from += SITEMAP_URLS, part++) {
        size_t to = from + SITEMAP_URLS < len ? from + SITEMAP_URLS : len;
        const char *path = model_sitemap_part(a, part);
        add_urlset(out, s, l.listed, from, to, path,
                   urlset_key(s, l.digests, from / SITEMAP_CHUNK,
                              (to + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK,
                              to - from),
                   sink, a);
        /* The part changed when its newest page did. */
        const struct timestamp *t = NULL;
        for (size_t i = from; i < to; i++) {
            const struct timestamp *p = l.listed[i].lastmod;
            if (p && (!t || p->secs > t->secs))
                t = p;
        }
        put_location(&index, "sitemap", url_absolute(s, path, a), t, a);
    }
    buf_puts(&index, "</sitemapindex>\n");
    add_file(out, a, MODEL_SITEMAP, &index);
}
