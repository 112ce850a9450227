/* render.c: lists every page the site has (home, channels, posts, 404,
 * each list paginated) and renders them on -j threads, each worker with
 * its own arena; then the feeds, the sitemap and robots.txt, the theme's
 * assets, the files published as they are and the redirect pages, and
 * checks that no two of them share a path. The entry point of render/. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/hash.h"
#include "../base/jobs.h"
#include "../base/progress.h"
#include "../diag.h"

#include <stdlib.h>
#include <string.h>

#define PAGES_BATCH 256 /* pages rendered, then handed over, at once */

struct render_job {
    const struct site *site;
    const struct mustache_set *templates;
    struct page *pages;
    struct output_file *files; /* one per page, same index */
    bool *kept;                /* per page: still as last published */
    size_t *todo;              /* the batch's pages to render */
    int *status;               /* mustache_render's, per page */
    struct arena **arenas;     /* one per worker */
    struct shared *shared;     /* one per worker */
    struct diags *d;
};

/* How many pages a list of entries takes: one at least. */
static size_t
pages_of(size_t entries, long per_page)
{
    return entries ? (entries + (size_t)per_page - 1) / (size_t)per_page : 1;
}

/* A run of pages list_pages makes: the pages of a paginated list (kind
 * PAGE_HOME, PAGE_CHANNEL or PAGE_TAG, starting at first, "" or
 * "astro/"), the pages of posts [from, to), or one page of the site's
 * own (the tags index, 404). at: the index of its first page. */
struct run {
    enum page_kind kind;
    const struct site_channel *c;
    const struct tag_list *tag;
    const char *first;
    size_t from, to; /* entries of a list; posts */
    size_t at;
};

#define POSTS_RUN 512 /* post pages a run makes */

struct runs {
    struct run *items;
    size_t len, cap;
    size_t pages; /* the pages of those so far */
    struct arena *a;
};

static void
add_run(struct runs *l, struct run r, size_t pages)
{
    l->items = arena_grow(l->a, l->items, sizeof *l->items, &l->cap,
                          l->len + 1);
    r.at = l->pages;
    l->items[l->len++] = r;
    l->pages += pages;
}

static void
add_list_run(struct runs *l, enum page_kind kind, const struct site_channel *c,
             const struct tag_list *tag, const char *first, size_t entries,
             long per_page)
{
    add_run(l, (struct run){ kind, c, tag, first, 0, entries, 0 },
            pages_of(entries, per_page));
}

/* The runs of every page the site has, in the order of its pages. */
static struct runs
plan_pages(const struct site *s, struct arena *a)
{
    struct runs l = { NULL, 0, 0, 0, a };
    long per = s->config->per_page;
    /* the list at its size at once: doubling it is fresh memory each time */
    size_t count = 3 + s->nchannels + (s->nentries + POSTS_RUN - 1) / POSTS_RUN +
                   s->ntags;
    for (size_t i = 0; i < s->nchannels; i++)
        count += s->channels[i].ntags;
    l.items = arena_grow(a, NULL, sizeof *l.items, &l.cap, count);
    add_list_run(&l, PAGE_HOME, NULL, NULL, "", s->nentries, per);
    for (size_t i = 0; i < s->nchannels; i++) {
        const struct site_channel *c = &s->channels[i];
        add_list_run(&l, PAGE_CHANNEL, c, NULL, c->url, c->nentries, per);
        for (size_t j = 0; j < c->ntags; j++)
            add_list_run(&l, PAGE_TAG, c, &c->tags[j], c->tags[j].url,
                         c->tags[j].nentries, per);
    }
    for (size_t i = 0; i < s->nentries; i += POSTS_RUN) {
        size_t to = s->nentries - i < POSTS_RUN ? s->nentries : i + POSTS_RUN;
        add_run(&l, (struct run){ PAGE_POST, NULL, NULL, NULL, i, to, 0 },
                to - i);
    }
    add_run(&l, (struct run){ PAGE_TAGS, NULL, NULL, NULL, 0, 0, 0 }, 1);
    for (size_t i = 0; i < s->ntags; i++)
        add_list_run(&l, PAGE_TAG, NULL, &s->tags[i]->all,
                     s->tags[i]->all.url, s->tags[i]->all.nentries, per);
    add_run(&l, (struct run){ PAGE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 }, 1);
    return l;
}

/* Makes the pages of the runs on jobs threads, their URLs and paths in
 * each worker's arena: a rebuild lists all 27,887 pages of 10,000 posts,
 * two new strings each, to ask which of them changed. */
struct pages_job {
    const struct site *site;
    const struct runs *runs;
    struct page *pages;
    struct arena **arenas;
};

static void
make_run(size_t k, int worker, void *payload)
{
    const struct pages_job *j = payload;
    const struct run *r = &j->runs->items[k];
    const struct site *s = j->site;
    struct arena *a = j->arenas[worker];
    struct page *pg = &j->pages[r->at];
    switch (r->kind) {
    case PAGE_POST:
        for (size_t i = r->from; i < r->to; i++)
            *pg++ = (struct page){ PAGE_POST, NULL, s->entries[i], NULL,
                                   { 0, 0, NULL }, s->entries[i]->url,
                                   model_page_path(a, s->entries[i]->url) };
        break;
    case PAGE_TAGS:
        *pg = (struct page){ PAGE_TAGS, NULL, NULL, NULL, { 0, 0, NULL },
                             MODEL_TAGS_URL, MODEL_TAGS_URL "index.html" };
        break;
    case PAGE_NOT_FOUND:
        *pg = (struct page){ PAGE_NOT_FOUND, NULL, NULL, NULL, { 0, 0, NULL },
                             "404.html", "404.html" };
        break;
    default: {
        size_t total = pages_of(r->to, s->config->per_page);
        for (size_t i = 1; i <= total; i++) {
            const char *url = view_pager_url(a, r->first, i);
            *pg++ = (struct page){ r->kind, r->c, NULL, r->tag,
                                   { i, total, r->first }, url,
                                   arena_printf(a, "%sindex.html", url) };
        }
    }
    }
}

static struct page *
list_pages(const struct site *s, size_t *n, int jobs, struct arena *a)
{
    struct runs runs = plan_pages(s, a);
    struct pages_job j = { s, &runs,
                           arena_alloc(a, (runs.pages + 1) * sizeof *j.pages),
                           arena_alloc(a, (size_t)jobs * sizeof *j.arenas) };
    for (int w = 0; w < jobs; w++)
        j.arenas[w] = arena_new();
    jobs_run(runs.len, jobs, make_run, &j);
    for (int w = 0; w < jobs; w++)
        arena_adopt(a, j.arenas[w]);
    *n = runs.pages;
    return j.pages;
}

static void
render_one(size_t k, int worker, void *payload)
{
    struct render_job *job = payload;
    size_t i = job->todo[k];
    struct page *pg = &job->pages[i];
    struct arena *a = job->arenas[worker];
    struct shared *sh = &job->shared[worker];
    struct value *view = NULL;
    const char *template = NULL;
    switch (pg->kind) {
    case PAGE_HOME:
        view = view_home(job->site, &pg->pager, sh, a);
        template = "home";
        break;
    case PAGE_CHANNEL:
        view = view_channel(job->site, pg->channel, &pg->pager, sh, a);
        template = "channel";
        break;
    case PAGE_POST:
        view = view_post(job->site, pg->entry, sh, a), template = "post";
        break;
    case PAGE_NOT_FOUND:
        view = view_not_found(job->site, sh, a), template = "404";
        break;
    case PAGE_TAGS:
        view = view_tags(job->site, sh, a), template = "tags";
        break;
    case PAGE_TAG:
        view = view_tag(job->site, pg->channel, pg->tag, &pg->pager, sh, a);
        template = "tag";
        break;
    }
    struct buf html = BUF_INIT;
    buf_grow(&html, 32768); /* most pages fit: no reallocations */
    job->status[i] = mustache_render_memo(&html, job->templates, template,
                                          view, sh->memo, job->d);
    size_t bound = job->site->config->limits.page_bytes;
    if (html.len > bound)
        job->status[i] = diags_add(job->d, DIAG_CONTENT, NULL, 0, 0,
                                   "the page %s is %zu bytes, over the limit "
                                   "of %zu MiB (limits.page_mib in "
                                   "site.yaml)", pg->path, html.len,
                                   bound >> 20);
    struct output_file *f = &job->files[i];
    f->data = buf_detach(&html, &f->len);
    /* Pages wait for write/ in memory: no spare room. */
    f->data = xrealloc(f->data, f->len + 1);
    arena_clear(a); /* the view is done with: keep the worker's memory warm */
    progress_advance(1);
}

/* The entries a list page shows, as far as it shows them. */
static void
hash_slice(struct hash *h, struct entry *const *entries, size_t n,
           const struct pager *pg, long per_page)
{
    size_t per = (size_t)per_page, from = (pg->page - 1) * per;
    for (size_t i = from; i < n && i < from + per; i++) {
        hash_u64(h, entries[i]->listed[0]);
        hash_u64(h, entries[i]->listed[1]);
    }
    hash_u64(h, pg->page);
    hash_u64(h, pg->total);
}

/* The key of a page: the site's and the templates' digests, its kind,
 * and the digests of what it shows (see model_digest). The tags index and
 * the 404 page have none: they are made each time (one page each). */
static struct output_key
page_key(const struct site *s, const struct theme *t, const struct page *pg)
{
    struct output_key k = { { 0, 0 } };
    if (pg->kind == PAGE_TAGS || pg->kind == PAGE_NOT_FOUND)
        return k;
    struct hash h;
    hash_init(&h);
    hash_u64(&h, pg->kind);
    hash_bytes(&h, s->digest, sizeof s->digest);
    hash_bytes(&h, t->digest, sizeof t->digest);
    long per = s->config->per_page;
    switch (pg->kind) {
    case PAGE_POST:
        hash_bytes(&h, pg->entry->digest, sizeof pg->entry->digest);
        break;
    case PAGE_HOME:
        hash_slice(&h, s->entries, s->nentries, &pg->pager, per);
        break;
    case PAGE_CHANNEL:
        hash_bytes(&h, pg->channel->digest, sizeof pg->channel->digest);
        hash_slice(&h, pg->channel->entries, pg->channel->nentries,
                   &pg->pager, per);
        break;
    case PAGE_TAG:
        hash_bytes(&h, pg->tag->digest, sizeof pg->tag->digest);
        hash_slice(&h, pg->tag->entries, pg->tag->nentries, &pg->pager, per);
        break;
    default:
        break;
    }
    hash_final(&h, k.h);
    return k;
}

/* The output files of pages and their keys, made on jobs threads: a
 * list page's key reads the digest of each entry it shows, most of them
 * a cache miss (a tag's entries lie all over the model). */
struct keys_job {
    const struct site *site;
    const struct theme *theme;
    const struct page *pages;
    struct output_file *files;
    size_t n;
};

#define KEYS_CHUNK 512

static void
page_keys(size_t k, int worker, void *payload)
{
    const struct keys_job *j = payload;
    (void)worker;
    for (size_t i = k * KEYS_CHUNK; i < j->n && i < (k + 1) * KEYS_CHUNK;
         i++)
        /* the path list_pages made, an arena string of a too: not copied */
        j->files[i] = (struct output_file){
            .path = j->pages[i].path,
            .key = page_key(j->site, j->theme, &j->pages[i]) };
}

bool
render_kept(const struct render_sink *sink, const struct output_file *f)
{
    struct output_key old;
    return sink && output_key_set(&f->key) &&
           sink->old_key(f->path, &old, sink->payload) &&
           !memcmp(&old, &f->key, sizeof old);
}

/* Hands out->files[out->sent..upto) to the sink, unless it failed, and
 * frees their bytes; the sink's result. */
static int
send_batch(struct render_sender *s, size_t upto, bool failed)
{
    struct output *out = s->out;
    struct output batch = { .files = out->files + out->sent,
                            .len = upto - out->sent };
    int rc = failed ? -1 : s->sink->take(&batch, s->sink->payload);
    for (size_t i = out->sent; i < upto; i++) {
        free(out->files[i].data);
        out->files[i].data = NULL;
        out->files[i].len = 0;
    }
    out->sent = upto;
    return rc;
}

/* The sender's thread: the batches handed, in order, until told it is
 * done. */
static void *
send_batches(void *arg)
{
    struct render_sender *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (s->taken == s->given && !s->done)
            pthread_cond_wait(&s->changed, &s->lock);
        if (s->taken == s->given)
            break;
        size_t upto = s->marks[s->taken % s->depth];
        bool failed = s->rc < 0;
        pthread_mutex_unlock(&s->lock);
        int rc = send_batch(s, upto, failed);
        pthread_mutex_lock(&s->lock);
        if (rc < 0)
            s->rc = -1;
        s->taken++;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

void
render_sender_init(struct render_sender *s, struct output *out,
                   const struct render_sink *sink, size_t depth)
{
    *s = (struct render_sender){ .out = out, .sink = sink, .depth = depth };
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
}

int
render_sender_wait(struct render_sender *s)
{
    pthread_mutex_lock(&s->lock);
    s->done = true;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    if (s->started)
        pthread_join(s->thread, NULL);
    s->started = false;
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
    return s->rc;
}

int
render_sender_send(struct render_sender *s, size_t upto)
{
    if (!s->started)
        s->started = pthread_create(&s->thread, NULL, send_batches, s) == 0;
    if (!s->started) { /* no thread to spare: sent from this one */
        if (send_batch(s, upto, s->rc < 0) < 0)
            s->rc = -1;
        return s->rc;
    }
    pthread_mutex_lock(&s->lock);
    while (s->rc == 0 && s->given - s->taken == s->depth)
        pthread_cond_wait(&s->changed, &s->lock);
    int rc = s->rc;
    if (rc == 0) {
        s->marks[s->given++ % s->depth] = upto;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Renders the pages that changed, PAGES_BATCH at a time, each batch on
 * jobs threads; with a sink, each batch then goes to it. */
static int
render_pages(struct output *out, struct render_job *job, size_t n,
             const struct render_sink *sink, int jobs)
{
    int rc = 0; /* after a failure, pages are made for their errors only */
    struct render_sender sender;
    render_sender_init(&sender, out, sink, RENDER_SENDER_DEPTH);
    for (size_t b = 0; b < n; b += PAGES_BATCH) {
        size_t end = n - b < PAGES_BATCH ? n : b + PAGES_BATCH, ntodo = 0;
        for (size_t i = b; i < end; i++)
            if (!job->kept[i])
                job->todo[ntodo++] = i;
        jobs_run(ntodo, jobs, render_one, job);
        for (size_t k = 0; k < ntodo; k++)
            if (job->status[job->todo[k]] < 0)
                rc = -1;
        if (rc == 0 && sink && render_sender_send(&sender, end) < 0)
            break; /* the sink is done (Ctrl-C, a full disk) */
        for (size_t k = 0; rc < 0 && k < ntodo; k++) {
            free(job->files[job->todo[k]].data);
            job->files[job->todo[k]].data = NULL;
        }
    }
    return render_sender_wait(&sender) < 0 ? -1 : rc;
}

/* Adds what the site publishes besides its pages (out holds the pages,
 * its own files from index n on, the theme's assets from index assets
 * on): the files published as they are and the redirect pages; then
 * checks that no two outputs share a path. */
static int
add_published(struct output *out, const struct site *s,
              const struct page *pages, size_t n, size_t assets,
              const struct render_sink *sink, struct arena *a,
              struct diags *d)
{
    size_t aliases = 0;
    for (size_t i = 0; i < s->nentries; i++)
        aliases += s->entries[i]->post->naliases;
    struct origin *origins = arena_alloc(
        a, (out->len + s->nfiles + aliases + 1) * sizeof *origins);
    for (size_t i = 0; i < out->len; i++)
        origins[i] = (struct origin){
            .name = i < assets ? "the site's own" : "the theme's",
            .page = i < n ? &pages[i] : NULL };
    files_render(out, origins + out->len, s, a);
    redirects_render(out, origins + out->len, s, a);
    if (sink && sink->same_paths(out, sink->payload))
        return 0;
    return output_check(out, origins, a, d);
}

int
render_site(struct output *out, const struct site *site,
            const struct theme *theme, const struct render_sink *sink,
            int jobs, struct arena *a, struct diags *d)
{
    memset(out, 0, sizeof *out);
    if (jobs < 1)
        jobs = 1;
    size_t n;
    struct page *pages = list_pages(site, &n, jobs, a);
    struct render_job job = { site, theme->templates, pages, NULL, NULL,
                              NULL, NULL, NULL, NULL, d };
    job.kept = arena_alloc(a, (n + 1) * sizeof *job.kept);
    job.todo = arena_alloc(a, (n + 1) * sizeof *job.todo);
    job.status = arena_alloc(a, (n + 1) * sizeof *job.status);
    /* room for the pages and most of the rest (feeds, files, assets) */
    out->files = arena_grow(a, NULL, sizeof *out->files, &out->cap,
                            n + site->nfiles + theme->assets.len + 256);
    size_t changed = 0;
    out->len = n;
    struct keys_job keys = { site, theme, pages, out->files, n };
    jobs_run((n + KEYS_CHUNK - 1) / KEYS_CHUNK, jobs, page_keys, &keys);
    for (size_t i = 0; i < n; i++) {
        job.kept[i] = render_kept(sink, &out->files[i]);
        job.status[i] = 0;
        changed += !job.kept[i];
    }
    job.files = out->files;
    job.arenas = arena_alloc(a, (size_t)jobs * sizeof *job.arenas);
    job.shared = arena_alloc(a, (size_t)jobs * sizeof *job.shared);
    struct shared sh = { 0 };
    view_share(site, &sh, a);
    sh.summaries = arena_alloc(a, (site->nentries + 1) *
                                      sizeof *sh.summaries);
    for (size_t i = 0; i < site->nentries; i++)
        atomic_init(&sh.summaries[i], NULL);
    sh.shares = arena_alloc(a, (site->ntags + 1) * sizeof *sh.shares);
    sh.tags = arena_alloc(a, (site->ntags + 1) * sizeof *sh.tags);
    for (size_t i = 0; i < site->ntags; i++) {
        atomic_init(&sh.shares[i], NULL);
        atomic_init(&sh.tags[i], NULL);
    }
    for (int w = 0; w < jobs; w++) {
        job.arenas[w] = arena_new();
        job.shared[w] = sh;
        job.shared[w].keep = arena_new();
        job.shared[w].memo = mustache_memo_new();
    }
    progress_stage("rendering", changed);
    int rc = render_pages(out, &job, n, sink, jobs);
    for (int w = 0; w < jobs; w++) {
        arena_free(job.arenas[w]);
        arena_free(job.shared[w].keep);
        mustache_memo_free(job.shared[w].memo);
    }
    if (feeds_render(out, site, rc == 0 ? sink : NULL, jobs, a, d) < 0)
        rc = -1;
    sitemap_render(out, site, pages, n, rc == 0 ? sink : NULL, jobs, a);
    size_t assets = out->len;
    for (size_t i = 0; i < theme->assets.len; i++) {
        const struct output_file *f = &theme->assets.files[i];
        output_add(out, a, f->path, xstrndup(f->data, f->len), f->len);
    }
    if (add_published(out, site, pages, n, assets, sink, a, d) < 0)
        rc = -1;
    return rc;
}
