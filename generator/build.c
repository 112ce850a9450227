/* build.c: runs the pipeline once: source -> parse -> model -> render ->
 * write. Posts are parsed in -j worker processes, pages rendered on -j
 * threads. Each stage returns 0 or -1 (see diag.h); nothing is published
 * unless every stage succeeded. A build into an output folder holds it
 * from the start: its caches (.gazette/cache/) spare reading, hashing and
 * parsing what has not changed, its manifest's keys spare rendering, and
 * a build whose inputs are all as the last one found them stops early. */
#include "build.h"
#include "base/arena.h"
#include "base/base.h"
#include "base/fs.h"
#include "base/hash.h"
#include "base/jobs.h"
#include "base/progress.h"
#include "check/check.h"
#include "diag.h"
#include "model/model.h"
#include "parse/parse.h"
#include "render/render.h"
#include "source/source.h"
#include "write/write.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The channel folders: content/<name>/ holding a Markdown file at any
 * depth, into *out; each described by its _index.md (else
 * _index.markdown). */
static int
load_channels(struct channel **out, size_t *n, struct source *src,
              const struct site_config *cfg, struct arena *a, struct diags *d)
{
    struct map *seen = map_new();
    struct channel *list = NULL;
    size_t cap = 0;
    int rc = 0;
    *n = 0;
    for (size_t i = 0; i < src->nfiles; i++) {
        const char *rel = src->files[i].path;
        const char *slash = model_is_markdown(rel) ? strchr(rel + 8, '/') : NULL;
        if (!slash)
            continue;
        char *name = arena_strndup(a, rel + 8, (size_t)(slash - rel - 8));
        if (map_get(seen, name))
            continue;
        map_put(seen, name, name);
        list = arena_grow(a, list, sizeof *list, &cap, *n + 1);
        const struct source_file *index = source_find(
            src, arena_printf(a, "content/%s/_index.md", name));
        if (!index)
            index = source_find(
                src, arena_printf(a, "content/%s/_index.markdown", name));
        if ((index && source_load(src, (struct source_file *)index, a, d) < 0) ||
            parse_channel(&list[(*n)++], name, index, cfg, a, d) < 0)
            rc = -1;
    }
    map_free(seen);
    *out = list;
    return rc;
}

/* Every post file: the Markdown files of content/ but the _index files.
 * Those describe channels only as content/<channel>/_index.md (or
 * .markdown when there is no .md); any other one (Hugo's sections below a
 * channel, its home page's content/_index.md) is left out with a note. */
static const struct source_file **
post_files(size_t *n, const struct source *src, struct arena *a,
           struct diags *d)
{
    const struct source_file **files =
        arena_alloc(a, (src->nfiles + 1) * sizeof *files);
    *n = 0;
    for (size_t i = 0; i < src->nfiles; i++) {
        const char *p = src->files[i].path;
        if (!model_is_markdown(p))
            continue;
        if (!model_is_index(p)) {
            files[(*n)++] = &src->files[i];
            continue;
        }
        const char *slash = strchr(p + 8, '/');
        bool channel = slash && slash == strrchr(p, '/') &&
                       (str_ends_with(p, ".md") ||
                        !source_find(src, arena_printf(a, "%.*s_index.md",
                                                       (int)(slash + 1 - p),
                                                       p)));
        if (!channel)
            diags_add(d, DIAG_NOTE, p, 0, 0,
                      "left out: an _index file describes a channel only as "
                      "content/<channel>/_index.md, and is never a post");
    }
    return files;
}

/* The source as parse_posts reads it. */
struct load_state {
    struct source *src;
    struct arena *a;
    struct diags *d;
};

static int
load_file(struct source_file *f, void *payload)
{
    struct load_state *s = payload;
    return source_load(s->src, f, s->a, s->d);
}

/* Parses every post into *out; those with errors are left out. A post
 * whose parse the cache has is not read. */
static int
load_posts(struct post **out, size_t *n, struct source *src,
           const struct site_config *cfg, struct post_cache *cache,
           struct parse_prestart *pre, int jobs, struct arena *a,
           struct diags *d)
{
    size_t nfiles;
    const struct source_file **files = post_files(&nfiles, src, a, d);
    struct post *posts = arena_alloc(a, (nfiles + 1) * sizeof *posts);
    int *status = arena_alloc(a, (nfiles + 1) * sizeof *status);
    progress_stage("parsing posts", nfiles);
    struct load_state state = { src, a, d };
    struct parse_source from = { load_file, &state };
    int rc = parse_posts(posts, status, files, nfiles, &from, cfg, cache,
                         pre, jobs, a, d);
    *n = 0;
    for (size_t i = 0; i < nfiles && rc == 0; i++)
        if (status[i] == 0)
            posts[(*n)++] = posts[i];
    *out = posts;
    return rc;
}

/* True when some file's size lies between the bound it was read under
 * and bound: only then must the site be read again. */
static bool
bound_matters(const struct source *src, size_t bound)
{
    for (size_t i = 0; i < src->nfiles; i++) {
        const struct source_file *f = &src->files[i];
        if (source_bounded(f->path) && f->too_big != (f->size > bound))
            return true;
    }
    return false;
}

/* Reads the site again under another size bound; what the first reading
 * warned of (a shallow history) is not said twice. */
static int
reopen_source(struct source *src, const char *ref, size_t max_bytes,
              struct arena *a, struct diags *d)
{
    struct diags again;
    diags_init(&again);
    int rc = source_open(src, ".", ref, max_bytes, a, &again);
    for (size_t i = 0; i < again.len; i++) {
        const struct diag *g = &again.items[i];
        if (g->kind != DIAG_WARNING)
            diags_add(d, g->kind, g->path, g->line, g->col, "%s", g->msg);
    }
    diags_dispose(&again);
    return rc;
}

/* ---- The last build: a rebuild with nothing to do does nothing ---------
 * Its record, in the cache folder: the digest of every input (each file's
 * path, blob id and dates, the commit, the options, this program), what
 * it reported and made. When a build finds the same digest, the output
 * folder already holds what it would make: it says so again and stops. */
#define LAST_BUILD "build"
#define LAST_MAGIC "gazette build 2\n" /* 16 bytes */

static void
state_digest(const struct source *src, const struct build_options *o,
             uint64_t out[2])
{
    struct hash h;
    hash_init(&h);
    hash_program(&h);
    hash_str(&h, o->base_url);
    hash_u64(&h, o->drafts);
    hash_u64(&h, src->from_ref);
    hash_u64(&h, src->shallow);
    hash_str(&h, src->commit);
    for (size_t i = 0; i < src->nfiles; i++) {
        const struct source_file *f = &src->files[i];
        hash_str(&h, f->path);
        hash_str(&h, f->blob_id);
        hash_str(&h, f->author);
        uint64_t facts[] = { f->size, f->too_big, f->dirty,
            (uint64_t)f->created.secs, (uint64_t)f->created.offset_min,
            f->created.set, (uint64_t)f->updated.secs,
            (uint64_t)f->updated.offset_min, f->updated.set,
            (uint64_t)f->mtime.secs, (uint64_t)f->mtime.offset_min,
            f->mtime.set };
        hash_bytes(&h, facts, sizeof facts);
    }
    hash_final(&h, out);
}

/* Reads a NUL-terminated string at *p (before end); NULL past the end. */
static const char *
take_str(const char **p, const char *end)
{
    const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));
    if (!nul)
        return NULL;
    *p = nul + 1;
    return s;
}

/* When the last build's record has state, adds what it reported to d,
 * fills out with what it made, and returns true. */
static bool
replay_last(int cache_fd, const uint64_t state[2], struct build_report *out,
            struct diags *d)
{
    struct buf b = BUF_INIT;
    uint64_t head[6]; /* state (2), posts, channels, files, diags */
    bool same = cache_fd >= 0 && fs_read_at(cache_fd, LAST_BUILD, &b) == 0 &&
                b.len >= 16 + sizeof head && !memcmp(b.data, LAST_MAGIC, 16);
    if (same) {
        memcpy(head, b.data + 16, sizeof head);
        same = head[0] == state[0] && head[1] == state[1];
    }
    const char *p = b.data + 16 + sizeof head, *end = b.data + b.len;
    struct diags again;
    diags_init(&again);
    for (uint64_t i = 0; same && i < head[5]; i++) {
        uint32_t at[3]; /* kind, line, col */
        const char *path, *msg;
        same = end - p >= (ptrdiff_t)sizeof at;
        if (same) {
            memcpy(at, p, sizeof at);
            p += sizeof at;
        }
        same = same && at[0] <= DIAG_SYSTEM && (path = take_str(&p, end)) &&
               (msg = take_str(&p, end));
        if (same)
            diags_add(&again, (enum diag_kind)at[0], *path ? path : NULL,
                      at[1], at[2], "%s", msg);
    }
    for (size_t i = 0; same && i < again.len; i++) {
        const struct diag *g = &again.items[i];
        diags_add(d, g->kind, g->path, g->line, g->col, "%s", g->msg);
    }
    if (same)
        *out = (struct build_report){ head[2], head[3], head[4], 0, head[4],
                                      0 };
    diags_dispose(&again);
    buf_dispose(&b);
    return same;
}

/* Records a build that published, with what it reported from d's item
 * from on; a build that did not publish removes the record. */
static void
record_last(int cache_fd, const uint64_t state[2],
            const struct build_report *r, const struct diags *d, size_t from)
{
    if (cache_fd < 0)
        return;
    if (!state) {
        unlinkat(cache_fd, LAST_BUILD, 0);
        return;
    }
    struct buf b = BUF_INIT;
    uint64_t head[6] = { state[0], state[1], r->posts, r->channels, r->files,
                         d->len - from };
    buf_put(&b, LAST_MAGIC, 16);
    buf_put(&b, head, sizeof head);
    for (size_t i = from; i < d->len; i++) {
        const struct diag *g = &d->items[i];
        uint32_t at[3] = { g->kind, g->line, g->col };
        buf_put(&b, at, sizeof at);
        buf_put(&b, g->path ? g->path : "", strlen(g->path ? g->path : "") + 1);
        buf_put(&b, g->msg, strlen(g->msg) + 1);
    }
    if (fs_replace_at(cache_fd, LAST_BUILD, b.data, b.len) < 0)
        unlinkat(cache_fd, LAST_BUILD, 0);
    buf_dispose(&b);
}

/* What bears on every page besides the content: site.yaml, the options
 * that change pages, this program. */
static void
settings_digest(const struct source *src, const struct build_options *o,
                uint64_t out[2])
{
    const struct source_file *cfg = source_find(src, "site.yaml");
    struct hash h;
    hash_init(&h);
    hash_program(&h);
    hash_str(&h, cfg ? cfg->blob_id : NULL);
    hash_str(&h, o->base_url);
    hash_u64(&h, o->drafts);
    hash_final(&h, out);
}

/* The write session as render/'s sink. */
struct sink_state {
    struct write_session *ws;
    struct diags *d;
};

static bool
sink_old_key(const char *path, struct output_key *key, void *payload)
{
    return write_old_key(((struct sink_state *)payload)->ws, path, key);
}

static int
sink_take(const struct output *files, void *payload)
{
    struct sink_state *s = payload;
    return write_add(s->ws, files, s->d);
}

static bool
sink_same_paths(const struct output *out, void *payload)
{
    return write_same_paths(((struct sink_state *)payload)->ws, out);
}

/* Reads each file published as it is that is unread and not kept: what
 * the last build published of it is not known to be these bytes. */
static int
load_files(const struct site *site, struct source *src,
           struct write_session *ws, struct arena *a, struct diags *d)
{
    int rc = 0;
    for (size_t i = 0; i < site->nfiles; i++) {
        const struct site_file *f = &site->files[i];
        struct output_key key, old;
        if (!f->src->unread)
            continue;
        render_file_key(f->src, &key);
        if (!write_old_key(ws, f->url, &old) || memcmp(&key, &old, sizeof key))
            if (source_load(src, (struct source_file *)f->src, a, d) < 0)
                rc = -1;
    }
    return rc;
}

int
build_run(struct build_report *out, const struct build_options *o,
          struct diags *d)
{
    memset(out, 0, sizeof *out);
    /* its start, while the source is read */
    struct parse_prestart *pre = parse_prestart();
    int jobs = o->jobs > 0 ? o->jobs : jobs_default();
    struct arena *a = arena_new();
    struct output files = { 0 };
    struct theme *theme = NULL;
    struct source src;
    struct site_config cfg;
    struct write_session *ws = NULL;
    struct post_cache *cache = NULL;
    unsigned flags = (o->force ? WRITE_FORCE : 0) |
                     (o->no_sync ? WRITE_NO_SYNC : 0);
    /* A build that writes holds the output folder from the start: what
     * the last build left there (its keys, its caches) says what need not
     * be done again. */
    bool writes = !o->check_only && !o->publish;
    if (writes && write_begin(&ws, o->out_dir, flags, d) < 0)
        goto out;
    int cache_fd = ws ? write_cache_fd(ws) : -1;
    uint64_t state[2];
    if (source_open_cached(&src, ".", o->ref, PARSE_POST_BYTES_DEFAULT,
                           cache_fd, a, d) < 0)
        goto out;
    size_t from = d->len; /* what source/ says, it says each time */
    state_digest(&src, o, state);
    if (replay_last(cache_fd, state, out, d))
        goto out;
    record_last(cache_fd, NULL, NULL, NULL, 0); /* until this one is done */
    parse_init(model_tag_url);
    /* Every stage that can run does, so that one build reports every
     * problem; failed tells whether what they made may be published. */
    bool failed = parse_config(&cfg, source_find(&src, "site.yaml"), a, d) < 0;
    /* A site with a bound of its own is read again under it when that
     * changes what is read: files over the default were only measured. */
    if (bound_matters(&src, cfg.limits.post_bytes) &&
        reopen_source(&src, o->ref, cfg.limits.post_bytes, a, d) < 0)
        goto out;
    if (o->base_url && parse_base_url(&cfg, o->base_url, a) < 0) {
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "--base-url: expected an absolute URL such as "
                  "https://example.org/blog/, got \"%s\"", o->base_url);
        failed = true;
    }
    if (render_theme(&theme, &cfg, &src, a, d) < 0) /* needs no posts */
        failed = true;
    size_t nchannels, nposts;
    struct channel *channels;
    struct post *posts;
    if (load_channels(&channels, &nchannels, &src, &cfg, a, d) < 0)
        failed = true;
    const struct source_file *settings = source_find(&src, "site.yaml");
    cache = post_cache_open(cache_fd, &cfg, settings ? settings->blob_id
                                                     : NULL);
    if (load_posts(&posts, &nposts, &src, &cfg, cache, pre, jobs, a, d) < 0)
        failed = true;
    /* Only now, while the model is made: the parse starts its workers
     * (forked, where they cannot be started afresh), and a worker forked
     * while this thread held a lock (a sanitizer's allocator's) would wait
     * for it for ever. */
    write_prefetch(ws);
    if (ws && write_interrupted(ws, d) < 0) /* Ctrl-C while parsing */
        goto out;
    struct site site;
    if (model_build(&site, &cfg, channels, nchannels, posts, nposts,
                    o->drafts, jobs, a, d) < 0)
        failed = true;
    model_files(&site, &src, a);
    uint64_t digest[2];
    settings_digest(&src, o, digest);
    model_digest(&site, digest, jobs);
    out->posts = site.nentries;
    out->channels = site.nchannels;
    struct sink_state state_of_sink = { ws, d };
    struct render_sink sink = { sink_old_key, sink_take, sink_same_paths,
                                &state_of_sink };
    if (failed || (ws && load_files(&site, &src, ws, a, d) < 0) ||
        render_site(&files, &site, theme, ws ? &sink : NULL, jobs, a, d) < 0 ||
        (!ws && write_check_paths(&files, d) < 0) ||
        check_site(&site, &src, &files, o->check_only, d) < 0 ||
        o->check_only)
        goto out;
    if (o->publish) {
        if (o->publish(&files, &cfg, &src, d, o->payload) == 0)
            out->files = files.len;
        goto out;
    }
    struct output rest = { .files = files.files + files.sent,
                           .len = files.len - files.sent };
    struct write_stats ws_stats;
    if (write_add(ws, &rest, d) < 0 || write_finish(ws, &ws_stats, d) < 0)
        goto out;
    out->files = files.len;
    out->written = ws_stats.written;
    out->unchanged = ws_stats.unchanged;
    out->removed = ws_stats.removed;
    record_last(cache_fd, state, out, d, from);
out:
    parse_prestart_end(pre);
    post_cache_close(cache); /* in ws's cache folder */
    if (ws)
        write_end(ws);
    output_dispose(&files);
    render_theme_free(theme);
    arena_free(a);
    return diags_exit_status(d);
}

int
build_worker(int argc, char **argv)
{
    parse_init(model_tag_url);
    return parse_worker(argc, argv);
}
