/* model.c: the site model. Resolves each post's channels, gives every page
 * its URL, rejects URLs that two inputs claim, and orders posts newest
 * first. Cost is linear in posts (maps, one sort), never quadratic. */
#include "model.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Top-level names the site's own files use (render/ makes each of them),
 * and sitemap-<n>.xml. */
static const char *const reserved_root[] = {
    "tags",          "page",          "assets",      "404.html",
    "index.html",
    MODEL_FEED_ATOM, MODEL_FEED_JSON, MODEL_SITEMAP, MODEL_ROBOTS,
};
/* Names inside a channel folder its pages and feeds use. */
#define MODEL_SLUG_MAX 255 /* bytes of a file name (NAME_MAX) */

static const char *const reserved_channel[] = { "tags", "page",
                                                "index.html",
                                                MODEL_FEED_ATOM,
                                                MODEL_FEED_JSON };

/* True for a name in list. Case does not matter: on a case-insensitive
 * file system "Tags" is "tags". */
static bool
is_reserved(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(name, list[i]))
            return true;
    return false;
}

#define RESERVED(name, list) is_reserved(name, list, sizeof list / sizeof *list)

/* True for a name the root of the site keeps for itself: those of
 * reserved_root and every sitemap-<n>.xml. */
static bool
reserved_at_root(const char *name)
{
    size_t len = strlen(name);
    if (RESERVED(name, reserved_root))
        return true;
    return len > 12 && !strncasecmp(name, "sitemap-", 8) &&
           strspn(name + 8, "0123456789") == len - 12 &&
           !strcasecmp(name + len - 4, ".xml");
}

const char *
model_sitemap_part(struct arena *a, size_t n)
{
    return arena_printf(a, "sitemap-%zu.xml", n);
}

/* base_url's host in lower case, without user or port; NULL for none. */
static const char *
base_host(const char *base_url, struct arena *a)
{
    const char *p = base_url ? strstr(base_url, "://") : NULL;
    if (!p || base_url[0] == '/')
        return NULL;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at)
        n -= (size_t)(at + 1 - p), p = at + 1;
    const char *close = p[0] == '[' ? memchr(p, ']', n) : NULL;
    size_t host = close ? (size_t)(close - p) + 1 /* an IPv6 literal */
                        : strcspn(p, ":/?#");
    if (host > n)
        host = n;
    if (!host)
        return NULL;
    char *out = arena_strndup(a, p, host);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return out;
}

/* The entry's tag: URI (see struct entry): stable as long as its URL, its
 * date and the site's host are. */
static const char *
entry_id(const struct site *s, const struct entry *e, struct arena *a)
{
    const struct timestamp *t = &e->post->date;
    time_t local = (time_t)(t->secs + t->offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    struct buf path = BUF_INIT;
    buf_puts(&path, s->config->base_path);
    buf_put_url_path(&path, e->url);
    const char *id = arena_printf(a, "tag:%s,%04d-%02d-%02d:%s", s->host,
                                  tm.tm_year + 1900, tm.tm_mon + 1,
                                  tm.tm_mday, path.data);
    buf_dispose(&path);
    return id;
}

/* Claims url for owner (a source path); a second claim is an error. URLs
 * are compared case-folded, so that no two outputs share a folder on a
 * case-insensitive file system either. */
static int
claim_url(struct map *urls, const char *url, const char *owner, unsigned line,
          unsigned col, struct arena *a, struct diags *d)
{
    const char *key = utf8_fold(a, url, strlen(url));
    const char *prev = map_get(urls, key ? key : url);
    if (prev)
        return diags_add(d, DIAG_CONTENT, owner, line, col,
                         "the URL /%s is already used by %s", url, prev);
    map_put(urls, key ? key : url, (void *)owner);
    return 0;
}

static int
cmp_channel(const void *pa, const void *pb)
{
    const struct site_channel *a = pa, *b = pb;
    return strcmp(a->channel->name, b->channel->name);
}

static int
cmp_entry(const void *pa, const void *pb)
{
    const struct entry *a = *(struct entry *const *)pa;
    const struct entry *b = *(struct entry *const *)pb;
    if (a->post->date.secs != b->post->date.secs)
        return a->post->date.secs > b->post->date.secs ? -1 : 1;
    return strcmp(a->post->path, b->post->path);
}

static int
add_channels(struct site *s, const struct channel *channels, size_t n,
             struct map *by_name, struct map *urls, struct arena *a,
             struct diags *d)
{
    int rc = 0;
    s->channels = arena_alloc(a, (n ? n : 1) * sizeof *s->channels);
    for (size_t i = 0; i < n; i++) {
        const struct channel *c = &channels[i];
        const char *where = c->path ? c->path : "content";
        if (reserved_at_root(c->name)) {
            rc = diags_add(d, DIAG_CONTENT, where, 1, 1,
                           "\"%s\" cannot be a channel: the site uses "
                           "/%s/ itself", c->name, c->name);
            continue;
        }
        struct site_channel *sc = &s->channels[s->nchannels++];
        sc->channel = c;
        sc->url = arena_printf(a, "%s/", c->name);
        sc->lang = c->lang ? c->lang : s->config->language;
        if (claim_url(urls, sc->url, where, 1, 1, a, d) < 0)
            rc = -1;
    }
    qsort(s->channels, s->nchannels, sizeof *s->channels, cmp_channel);
    for (size_t i = 0; i < s->nchannels; i++)
        map_put(by_name, s->channels[i].channel->name, &s->channels[i]);
    return rc;
}

/* Resolves where a post is listed: its front matter channels, else its
 * folder. */
static int
resolve_channels(struct entry *e, const struct post *p, struct map *by_name,
                 struct arena *a, struct diags *d)
{
    int rc = 0;
    if (!p->nchannels) {
        if (!p->folder)
            return diags_add(d, DIAG_CONTENT, p->path, 1, 1,
                             "a post directly under content/ must name its "
                             "channels (channels: [name, ...])");
        e->channels = arena_alloc(a, sizeof *e->channels);
        e->channels[e->nchannels++] = map_get(by_name, p->folder);
        return e->channels[0] ? 0 : -1;
    }
    e->channels = arena_alloc(a, p->nchannels * sizeof *e->channels);
    for (size_t i = 0; i < p->nchannels; i++) {
        const struct located *l = &p->channels[i];
        struct site_channel *c = map_get(by_name, l->text);
        if (!c) {
            rc = diags_add(d, DIAG_CONTENT, p->path, l->line, l->col,
                           "channel \"%s\" does not exist (a channel is a "
                           "folder of content/)", l->text);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < e->nchannels; j++)
            dup |= e->channels[j] == c;
        if (!dup)
            e->channels[e->nchannels++] = c;
    }
    return rc;
}

static int
add_entry(struct site *s, const struct post *p, struct map *by_name,
          struct map *urls, struct arena *a, struct diags *d)
{
    struct entry *e = arena_alloc(a, sizeof *e);
    e->post = p;
    unsigned line = p->slug_at.line ? p->slug_at.line : 1;
    unsigned col = p->slug_at.line ? p->slug_at.col : 1;
    int rc = resolve_channels(e, p, by_name, a, d);
    if (RESERVED(p->slug, reserved_channel) ||
        (!p->folder && reserved_at_root(p->slug)))
        rc = diags_add(d, DIAG_CONTENT, p->path, line, col,
                       "the slug \"%s\" is taken by the site's own pages",
                       p->slug);
    else if (strlen(p->slug) > MODEL_SLUG_MAX)
        rc = diags_add(d, DIAG_CONTENT, p->path, line, col,
                       "the slug is %zu bytes, longer than a folder name may "
                       "be (%d)", strlen(p->slug), MODEL_SLUG_MAX);
    e->url = p->folder ? arena_printf(a, "%s/%s/", p->folder, p->slug)
                       : arena_printf(a, "%s/", p->slug);
    if (rc == 0 && claim_url(urls, e->url, p->path, line, col, a, d) < 0)
        rc = -1;
    if (rc < 0)
        return -1;
    struct site_channel *home = p->folder ? map_get(by_name, p->folder) : NULL;
    if (s->host)
        e->id = entry_id(s, e, a);
    e->lang = p->lang                   ? p->lang
              : home                    ? home->lang
              : e->nchannels            ? e->channels[0]->lang
                                        : s->config->language;
    s->entries[s->nentries++] = e;
    for (size_t i = 0; i < e->nchannels; i++)
        e->channels[i]->nentries++;
    return 0;
}

/* Fills each channel's list from the sorted entries, keeping the order. */
static void
fill_channels(struct site *s, struct arena *a)
{
    for (size_t i = 0; i < s->nchannels; i++) {
        struct site_channel *c = &s->channels[i];
        c->entries = arena_alloc(a, (c->nentries ? c->nentries : 1) *
                                        sizeof *c->entries);
        c->nentries = 0;
    }
    for (size_t i = 0; i < s->nentries; i++) {
        struct entry *e = s->entries[i];
        for (size_t j = 0; j < e->nchannels; j++)
            e->channels[j]->entries[e->channels[j]->nentries++] = e;
    }
}

/* For each link of an (a post's or an about text's), the entry its
 * to_post link names in by_path (source path -> entry), or NULL. */
static struct entry **
resolve_links(const struct anchors *an, const struct map *by_path,
              struct arena *a)
{
    struct entry **to = arena_alloc(a, (an->nlinks + 1) * sizeof *to);
    for (size_t i = 0; i < an->nlinks; i++)
        if (an->links[i].to_post && an->links[i].path)
            to[i] = map_get(by_path, an->links[i].path);
    return to;
}

/* Finds the post of every link to a post's file of the site. */
static void
link_posts(struct site *s, struct arena *a)
{
    struct map *by_path = map_new();
    for (size_t i = 0; i < s->nentries; i++)
        map_put(by_path, s->entries[i]->post->path, s->entries[i]);
    for (size_t i = 0; i < s->nentries; i++)
        s->entries[i]->links =
            resolve_links(&s->entries[i]->post->anchors, by_path, a);
    for (size_t i = 0; i < s->nchannels; i++)
        s->channels[i].links =
            resolve_links(&s->channels[i].channel->anchors, by_path, a);
    map_free(by_path);
}

int
model_build(struct site *out, const struct site_config *cfg,
            const struct channel *channels, size_t nchannels,
            const struct post *posts, size_t nposts, bool drafts,
            struct arena *a, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->config = cfg;
    out->host = base_host(cfg->base_url, a);
    struct map *by_name = map_new(), *urls = map_new();
    int rc = add_channels(out, channels, nchannels, by_name, urls, a, d);
    out->entries = arena_alloc(a, (nposts ? nposts : 1) * sizeof *out->entries);
    for (size_t i = 0; i < nposts; i++)
        if ((drafts || !posts[i].draft) &&
            add_entry(out, &posts[i], by_name, urls, a, d) < 0)
            rc = -1;
    qsort(out->entries, out->nentries, sizeof *out->entries, cmp_entry);
    fill_channels(out, a);
    link_posts(out, a);
    model_tags(out, a, d);
    map_free(by_name);
    map_free(urls);
    return rc;
}

/* One line a link to a post's file of a text (at path): where it is, and
 * the URL of the post it leads to ("none" when none). */
static void
dump_links(FILE *f, const char *path, const struct anchors *an,
           struct entry *const *to)
{
    for (size_t i = 0; i < an->nlinks; i++)
        if (an->links[i].to_post)
            fprintf(f, "link %s:%u:%u %s -> %s%s\n", path,
                    an->links[i].line, an->links[i].col, an->links[i].url,
                    to[i] ? "/" : "none", to[i] ? to[i]->url : "");
}

void
model_dump(const struct site *s, FILE *f)
{
    for (size_t i = 0; i < s->nchannels; i++) {
        const struct site_channel *c = &s->channels[i];
        fprintf(f, "channel %s url=/%s lang=%s title=\"%s\" posts=%zu\n",
                c->channel->name, c->url, c->lang, c->channel->title,
                c->nentries);
        dump_links(f, c->channel->path, &c->channel->anchors, c->links);
    }
    for (size_t i = 0; i < s->nentries; i++) {
        const struct entry *e = s->entries[i];
        fprintf(f, "post %s url=/%s lang=%s date=%lld title=\"%s\" in=",
                e->post->path, e->url, e->lang, (long long)e->post->date.secs,
                e->post->title);
        for (size_t j = 0; j < e->nchannels; j++)
            fprintf(f, "%s%s", j ? "," : "", e->channels[j]->channel->name);
        for (size_t j = 0; j < e->ntags; j++)
            fprintf(f, "%s%s", j ? "," : " tags=", e->tags[j]->slug);
        fputc('\n', f);
        dump_links(f, e->post->path, &e->post->anchors, e->links);
    }
    for (size_t i = 0; i < s->ntags; i++) {
        const struct site_tag *t = s->tags[i];
        fprintf(f, "tag %s name=%s posts=%zu in=", t->slug, t->name,
                t->all.nentries);
        for (size_t j = 0; j < t->nchannels; j++)
            fprintf(f, "%s%s:%zu", j ? "," : "",
                    t->channels[j]->channel->channel->name,
                    t->channels[j]->nentries);
        fputc('\n', f);
    }
}
