/* model.c: the site model. Resolves each post's channels, gives every page
 * and alias its URL (paths.c says where), rejects URLs that two inputs
 * claim or that the site's own pages use, and orders posts newest first.
 * Cost is linear in posts (maps, one sort), never quadratic. */
#include "model_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/jobs.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Top-level names the site's own files use (render/ makes each of them),
 * and sitemap-<n>.xml. "page" is only taken where a list has that page:
 * see claim_pages. */
static const char *const reserved_root[] = {
    "tags",          "assets",        "404.html",    "index.html",
    MODEL_FEED_ATOM, MODEL_FEED_JSON, MODEL_SITEMAP, MODEL_ROBOTS,
};
/* Names inside a channel folder its pages and feeds use. */
static const char *const reserved_channel[] = { "tags", "index.html",
                                                MODEL_FEED_ATOM,
                                                MODEL_FEED_JSON };
#define MODEL_SLUG_MAX 255 /* bytes of a file name (NAME_MAX) */
#define MODEL_PAGES "page" /* page n of a list is "<list>page/<n>/" */

/* True for name[0..len) in list. Case does not matter: on a
 * case-insensitive file system "Tags" is "tags". */
static bool
is_reserved(const char *name, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && !strncasecmp(name, list[i], len))
            return true;
    return false;
}

#define RESERVED(name, len, list) \
    is_reserved(name, len, list, sizeof list / sizeof *list)

/* True for a name the root of the site keeps for itself: those of
 * reserved_root and every sitemap-<n>.xml. */
static bool
reserved_at_root(const char *name, size_t len)
{
    if (RESERVED(name, len, reserved_root))
        return true;
    return len > 12 && !strncasecmp(name, "sitemap-", 8) &&
           strspn(name + 8, "0123456789") == len - 12 &&
           !strncasecmp(name + len - 4, ".xml", 4);
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

const char *
model_entry_id(const struct site *s, const struct entry *e, struct arena *a)
{
    if (!s->host)
        return NULL;
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

/* The state of one model_build. */
struct builder {
    struct site *s;
    struct map *by_name;  /* channel name -> its struct site_channel */
    struct map *folded;   /* case-folded channel name -> the same */
    struct map *urls;     /* case-folded URL without its last '/' -> who
                             has it (text for messages) */
    struct map *patterns; /* channel name -> its permalinks: pattern */
    struct arena *a;
    struct diags *d;
};

/* s[0..len) case-folded (as it is when it is no valid UTF-8). */
static const char *
folded(struct builder *b, const char *s, size_t len)
{
    const char *f = utf8_fold(b->a, s, len);
    return f ? f : arena_strndup(b->a, s, len);
}

/* The key url is claimed by: case-folded and without a last '/', so that
 * no two outputs share a file or a folder on a case-insensitive file
 * system either, and a file "x.html" and a folder "x.html/" are one. */
static const char *
claim_key(struct builder *b, const char *url)
{
    size_t n = strlen(url);
    return folded(b, url, n && url[n - 1] == '/' ? n - 1 : n);
}

/* Claims url, whose claim_key is key, for owner (text naming it, not
 * NULL); a second claim is an error at path:line:col. */
static int
claim_key_of(struct builder *b, const char *key, const char *url,
             const char *owner, const char *path, unsigned line, unsigned col)
{
    const char *prev = map_add(b->urls, key, (void *)owner);
    if (prev)
        return diags_add(b->d, DIAG_CONTENT, path, line, col,
                         "the URL /%s is already used by %s", url, prev);
    return 0;
}

static int
claim_url(struct builder *b, const char *url, const char *owner,
          const char *path, unsigned line, unsigned col)
{
    return claim_key_of(b, claim_key(b, url), url, owner, path, line, col);
}

/* The channel whose folder is name[0..len), in any case, or NULL. As
 * written first: most URLs start with their channel's own name, and that
 * lookup needs no folded copy. */
static struct site_channel *
channel_at(struct builder *b, const char *name, size_t len)
{
    struct site_channel *c = map_getn(b->by_name, name, len);
    return c ? c : map_get(b->folded, folded(b, name, len));
}

/* The segment of url that names something the site keeps for its own
 * pages and files: its first one (reserved_root), or the second one
 * below a channel's folder (reserved_channel). Sets *at and *len to it;
 * false when there is none. */
static bool
reserved_segment(struct builder *b, const char *url, size_t *at, size_t *len)
{
    size_t first = strcspn(url, "/");
    *at = 0, *len = first;
    if (reserved_at_root(url, first))
        return true;
    if (url[first] != '/' || !channel_at(b, url, first))
        return false;
    *at = first + 1, *len = strcspn(url + first + 1, "/");
    return RESERVED(url + *at, *len, reserved_channel);
}

/* Reports a URL (a post's or an alias's, at path:line:col) that the site's
 * own pages take or that cannot be a path of folders; slug, when the URL
 * ends with it, is named instead. Returns 0 or -1. */
static int
check_url(struct builder *b, const char *url, const char *slug,
          const char *path, unsigned line, unsigned col)
{
    size_t at, len, n = strlen(url);
    size_t last = n && url[n - 1] == '/' ? n - 1 : n; /* end of its name */
    if (reserved_segment(b, url, &at, &len)) {
        if (slug && at + len == last)
            return diags_add(b->d, DIAG_CONTENT, path, line, col,
                             "the slug \"%s\" is taken by the site's own "
                             "pages", slug);
        if (at + len == last)
            return diags_add(b->d, DIAG_CONTENT, path, line, col,
                             "the URL /%s is taken by the site's own pages",
                             url);
        return diags_add(b->d, DIAG_CONTENT, path, line, col,
                         "the URL /%s is inside /%.*s/, which the site "
                         "keeps for its own pages", url, (int)(at + len),
                         url);
    }
    if (slug && strlen(slug) > MODEL_SLUG_MAX)
        return diags_add(b->d, DIAG_CONTENT, path, line, col,
                         "the slug is %zu bytes, longer than a folder name "
                         "may be (%d)", strlen(slug), MODEL_SLUG_MAX);
    for (const char *seg = url; *seg; seg += len + (seg[len] == '/')) {
        len = strcspn(seg, "/");
        if (len > MODEL_SLUG_MAX)
            return diags_add(b->d, DIAG_CONTENT, path, line, col,
                             "the URL has a part of %zu bytes, longer than "
                             "a folder name may be (%d)", len,
                             MODEL_SLUG_MAX);
    }
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
add_channels(struct builder *b, const struct channel *channels, size_t n)
{
    struct site *s = b->s;
    int rc = claim_url(b, "", "the home page", NULL, 0, 0);
    s->channels = arena_alloc(b->a, (n ? n : 1) * sizeof *s->channels);
    for (size_t i = 0; i < n; i++) {
        const struct channel *c = &channels[i];
        const char *where = c->path ? c->path : "content";
        if (reserved_at_root(c->name, strlen(c->name)) ||
            !strcasecmp(c->name, MODEL_PAGES)) {
            rc = diags_add(b->d, DIAG_CONTENT, where, 1, 1,
                           "\"%s\" cannot be a channel: the site uses "
                           "/%s/ itself", c->name, c->name);
            continue;
        }
        struct site_channel *sc = &s->channels[s->nchannels++];
        sc->channel = c;
        sc->url = arena_printf(b->a, "%s/", c->name);
        sc->lang = c->lang ? c->lang : s->config->language;
        const char *owner = c->path ? c->path
                                    : arena_printf(b->a, "the channel %s",
                                                   c->name);
        if (claim_url(b, sc->url, owner, where, 1, 1) < 0)
            rc = -1;
    }
    qsort(s->channels, s->nchannels, sizeof *s->channels, cmp_channel);
    for (size_t i = 0; i < s->nchannels; i++) {
        const char *name = s->channels[i].channel->name;
        map_put(b->by_name, name, &s->channels[i]);
        map_put(b->folded, folded(b, name, strlen(name)), &s->channels[i]);
    }
    return rc;
}

/* Keeps each permalinks: pattern of site.yaml by channel; one for a
 * channel that does not exist is an error at the pattern. */
static int
add_patterns(struct builder *b, const struct site_config *cfg)
{
    int rc = 0;
    for (size_t i = 0; i < cfg->npermalinks; i++) {
        const struct permalink *l = &cfg->permalinks[i];
        if (map_get(b->by_name, l->channel))
            map_put(b->patterns, l->channel, (void *)l->pattern.text);
        else
            rc = diags_add(b->d, DIAG_CONTENT,
                           cfg->path ? cfg->path : "site.yaml",
                           l->pattern.line, l->pattern.col,
                           "permalinks: there is no channel \"%s\" (a "
                           "channel is a folder of content/)", l->channel);
    }
    return rc;
}

/* Resolves where a post is listed: its front matter channels, else its
 * folder. */
static int
resolve_channels(struct builder *b, struct entry *e, const struct post *p)
{
    int rc = 0;
    if (!p->nchannels) {
        if (!p->folder)
            return diags_add(b->d, DIAG_CONTENT, p->path, 1, 1,
                             "a post directly under content/ must name its "
                             "channels (channels: [name, ...])");
        e->channels = arena_alloc(b->a, sizeof *e->channels);
        e->channels[e->nchannels++] = map_get(b->by_name, p->folder);
        return e->channels[0] ? 0 : -1;
    }
    e->channels = arena_alloc(b->a, p->nchannels * sizeof *e->channels);
    for (size_t i = 0; i < p->nchannels; i++) {
        const struct located *l = &p->channels[i];
        struct site_channel *c = map_get(b->by_name, l->text);
        if (!c) {
            rc = diags_add(b->d, DIAG_CONTENT, p->path, l->line, l->col,
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

/* Where the URL of a post comes from, for its errors: its url:, else its
 * slug:, else its first line. */
static struct located
url_at(const struct post *p)
{
    if (p->url.text)
        return p->url;
    if (p->slug_at.line)
        return p->slug_at;
    return (struct located){ NULL, 1, 1 };
}

/* The entry of post p, its channels resolved and its URL checked (not yet
 * claimed); NULL when that failed. Counts it in each of its channels. */
static struct entry *
new_entry(struct builder *b, const struct post *p)
{
    struct entry *e = arena_alloc(b->a, sizeof *e);
    e->post = p;
    int rc = resolve_channels(b, e, p);
    /* Its own channel: its folder's, else the first it names. */
    const char *home = p->folder      ? p->folder
                       : p->nchannels ? p->channels[0].text
                                      : NULL;
    const char *slug;
    e->url = model_post_url(p, home ? map_get(b->patterns, home) : NULL,
                            home, &slug, b->a);
    struct located at = url_at(p);
    if (check_url(b, e->url, slug, p->path, at.line, at.col) < 0 || rc < 0)
        return NULL;
    struct site_channel *own = home ? map_get(b->by_name, home) : NULL;
    e->lang = p->lang        ? p->lang
              : own          ? own->lang
              : e->nchannels ? e->channels[0]->lang
                             : b->s->config->language;
    return e;
}

/* The entries of posts, made on jobs threads: each reads the maps of
 * channels and patterns, made before, and allocates from its worker's
 * arena. */
struct entries_job {
    const struct builder *b;
    const struct post *posts;
    size_t nposts;
    bool drafts;
    struct entry **made; /* per post: its entry, NULL when it failed */
    const char **keys;   /* per post: the claim_key of its entry's URL */
    bool *skipped;       /* per post: a draft left out */
    struct arena **arenas;
};

#define ENTRIES_CHUNK 512 /* posts a worker takes at once */

static void
new_entries(size_t k, int worker, void *payload)
{
    const struct entries_job *j = payload;
    struct builder b = *j->b;
    b.a = j->arenas[worker];
    size_t end = (k + 1) * ENTRIES_CHUNK;
    for (size_t i = k * ENTRIES_CHUNK; i < j->nposts && i < end; i++) {
        if (i + 4 < j->nposts) { /* strings anywhere in the post cache */
            __builtin_prefetch(j->posts[i + 4].path);
            __builtin_prefetch(j->posts[i + 4].slug);
        }
        j->skipped[i] = j->posts[i].draft && !j->drafts;
        if (!j->skipped[i])
            j->made[i] = new_entry(&b, &j->posts[i]);
        if (j->made[i])
            j->keys[i] = claim_key(&b, j->made[i]->url);
    }
}

/* Claims the pages 2 and on of a list of n posts at url ("" or
 * "<channel>/"): "<url>page/<i>/", named after what (the home page). */
static void
claim_pages(struct builder *b, const char *url, size_t n, const char *what)
{
    size_t per = (size_t)b->s->config->per_page;
    for (size_t i = 2; i <= (n + per - 1) / per; i++)
        claim_url(b, arena_printf(b->a, "%s" MODEL_PAGES "/%zu/", url, i),
                  arena_printf(b->a, "page %zu of %s", i, what), NULL, 0,
                  0);
}

/* The URLs of the entry's aliases, each checked and claimed as a post's
 * URL is. */
static int
add_aliases(struct builder *b, struct entry *e)
{
    const struct post *p = e->post;
    const char *owner = p->naliases ? arena_printf(b->a, "an alias of %s",
                                                   p->path)
                                    : NULL;
    int rc = 0;
    e->aliases = arena_alloc(b->a, (p->naliases + 1) * sizeof *e->aliases);
    for (size_t i = 0; i < p->naliases; i++) {
        const struct located *l = &p->aliases[i];
        e->aliases[i] = model_url_path(l->text, b->a);
        if (check_url(b, e->aliases[i], NULL, p->path, l->line, l->col) <
                0 ||
            claim_url(b, e->aliases[i], owner, p->path, l->line, l->col) < 0)
            rc = -1;
    }
    return rc;
}

/* Publishes the posts whose URLs are free: those of the site's own pages
 * first (the pages of its lists, given their length), then each post's in
 * turn, then each alias. */
static int
add_entries(struct builder *b, const struct post *posts, size_t nposts,
            bool drafts, int jobs)
{
    struct site *s = b->s;
    if (jobs < 1)
        jobs = 1;
    struct entries_job job = {
        b, posts, nposts, drafts,
        arena_alloc(b->a, (nposts + 1) * sizeof *job.made),
        arena_alloc(b->a, (nposts + 1) * sizeof *job.keys),
        arena_alloc(b->a, (nposts + 1) * sizeof *job.skipped),
        arena_alloc(b->a, (size_t)jobs * sizeof *job.arenas) };
    for (int w = 0; w < jobs; w++)
        job.arenas[w] = arena_new();
    jobs_run((nposts + ENTRIES_CHUNK - 1) / ENTRIES_CHUNK, jobs, new_entries,
             &job);
    for (int w = 0; w < jobs; w++)
        arena_adopt(b->a, job.arenas[w]);
    struct entry **made = job.made;
    const char **keys = job.keys;
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < nposts; i++) {
        struct entry *e = made[i];
        if (job.skipped[i])
            continue;
        if (!e) {
            rc = -1;
            continue;
        }
        for (size_t k = 0; k < e->nchannels; k++)
            e->channels[k]->nentries++;
        keys[n] = keys[i];
        made[n++] = e; /* made[n] is read, n <= i */
    }
    claim_pages(b, "", n, "the home page");
    for (size_t i = 0; i < s->nchannels; i++)
        claim_pages(b, s->channels[i].url, s->channels[i].nentries,
                    arena_printf(b->a, "the channel %s",
                                 s->channels[i].channel->name));
    for (size_t i = 0; i < n; i++) {
        struct entry *e = made[i];
        struct located at = url_at(e->post);
        if (claim_key_of(b, keys[i], e->url, e->post->path, e->post->path,
                         at.line, at.col) < 0) {
            rc = -1;
            continue;
        }
        s->entries[s->nentries++] = e;
    }
    for (size_t i = 0; i < s->nentries; i++)
        if (add_aliases(b, s->entries[i]) < 0)
            rc = -1;
    return rc;
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
 * to_post link names (by source path), or NULL; NULL for a text with no
 * such link. The map of posts by path, *by_path, is made at the first. */
static struct entry **
resolve_links(const struct anchors *an, const struct site *s,
              struct map **by_path, struct arena *a)
{
    if (!an->nto_post)
        return NULL;
    if (!*by_path)
        *by_path = model_posts_by_path(s);
    struct entry **to = arena_alloc(a, (an->nlinks + 1) * sizeof *to);
    for (size_t i = 0; i < an->nlinks; i++)
        if (an->links[i].to_post && an->links[i].path)
            to[i] = map_get(*by_path, an->links[i].path);
    return to;
}

/* Finds the post of every link to a post's file of the site. */
static void
link_posts(struct site *s, struct arena *a)
{
    struct map *by_path = NULL;
    for (size_t i = 0; i < s->nentries; i++)
        s->entries[i]->links = resolve_links(&s->entries[i]->post->anchors,
                                             s, &by_path, a);
    for (size_t i = 0; i < s->nchannels; i++)
        s->channels[i].links = resolve_links(&s->channels[i].channel->anchors,
                                             s, &by_path, a);
    map_free(by_path);
}

int
model_build(struct site *out, const struct site_config *cfg,
            const struct channel *channels, size_t nchannels,
            const struct post *posts, size_t nposts, bool drafts, int jobs,
            struct arena *a, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->config = cfg;
    out->host = base_host(cfg->base_url, a);
    /* urls at their size at once: growing it is copying it, into fresh
     * memory each time */
    struct builder b = { out, map_new(), map_new(), map_new_sized(2 * nposts + 64),
                         map_new(), a, d };
    int rc = add_channels(&b, channels, nchannels);
    if (add_patterns(&b, cfg) < 0)
        rc = -1;
    out->entries = arena_alloc(a, (nposts ? nposts : 1) * sizeof *out->entries);
    if (add_entries(&b, posts, nposts, drafts, jobs) < 0)
        rc = -1;
    /* in the order of their posts, for model_tags */
    struct entry **by_post = arena_alloc(a, (out->nentries + 1) *
                                                sizeof *by_post);
    memcpy(by_post, out->entries, out->nentries * sizeof *by_post);
    qsort(out->entries, out->nentries, sizeof *out->entries, cmp_entry);
    for (size_t i = 0; i < out->nentries; i++)
        out->entries[i]->index = i;
    fill_channels(out, a);
    link_posts(out, a);
    model_tags(out, by_post, jobs, a, d);
    map_free(b.by_name);
    map_free(b.folded);
    map_free(b.urls);
    map_free(b.patterns);
    return rc;
}

/* One line a link to a post's file of a text (at path): where it is, and
 * the URL of the post it leads to ("none" when none). */
static void
dump_links(FILE *f, const char *path, const struct anchors *an,
           struct entry *const *to)
{
    for (size_t i = 0; i < an->nlinks; i++) {
        const struct entry *e = to ? to[i] : NULL;
        if (an->links[i].to_post)
            fprintf(f, "link %s:%u:%u %s -> %s%s\n", path,
                    an->links[i].line, an->links[i].col, an->links[i].url,
                    e ? "/" : "none", e ? e->url : "");
    }
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
        for (size_t j = 0; j < e->post->naliases; j++)
            fprintf(f, "alias %s:%u:%u /%s -> /%s\n", e->post->path,
                    e->post->aliases[j].line, e->post->aliases[j].col,
                    e->aliases[j], e->url);
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
    for (size_t i = 0; i < s->nfiles; i++)
        fprintf(f, "file %s url=/%s%s%s\n", s->files[i].src->path,
                s->files[i].url, s->files[i].bundle ? " post=" : "",
                s->files[i].bundle ? s->files[i].bundle->post->path : "");
}
