/* build.c: runs the pipeline once: source -> parse -> model -> render ->
 * write. Posts are parsed in -j worker processes, pages rendered on -j
 * threads. Each stage
 * returns 0 or -1 (see diag.h); the write stage runs only when every stage
 * before it succeeded. */
#include "build.h"
#include "base/arena.h"
#include "base/base.h"
#include "base/jobs.h"
#include "base/progress.h"
#include "check/check.h"
#include "diag.h"
#include "model/model.h"
#include "parse/parse.h"
#include "render/render.h"
#include "source/source.h"
#include "write/write.h"

#include <string.h>

/* The channel folders: content/<name>/ holding a Markdown file at any
 * depth, into *out; each described by its _index.md (else
 * _index.markdown). */
static int
load_channels(struct channel **out, size_t *n, const struct source *src,
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
        if (parse_channel(&list[(*n)++], name, index, cfg, a, d) < 0)
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

/* Parses every post into *out; those with errors are left out. */
static int
load_posts(struct post **out, size_t *n, const struct source *src,
           const struct site_config *cfg, int jobs, struct arena *a,
           struct diags *d)
{
    size_t nfiles;
    const struct source_file **files = post_files(&nfiles, src, a, d);
    struct post *posts = arena_alloc(a, (nfiles + 1) * sizeof *posts);
    int *status = arena_alloc(a, (nfiles + 1) * sizeof *status);
    progress_stage("parsing posts", nfiles);
    int rc = parse_posts(posts, status, files, nfiles, cfg, jobs, a, d);
    *n = 0;
    for (size_t i = 0; i < nfiles; i++)
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

int
build_run(struct build_report *out, const struct build_options *o,
          struct diags *d)
{
    memset(out, 0, sizeof *out);
    int jobs = o->jobs > 0 ? o->jobs : jobs_default();
    struct arena *a = arena_new();
    struct output files = { 0 };
    struct theme *theme = NULL;
    struct source src;
    struct site_config cfg;
    if ((!o->check_only && !o->publish &&
         write_check_output(o->out_dir, o->force, d) < 0) ||
        source_open(&src, ".", o->ref, PARSE_POST_BYTES_DEFAULT, a, d) < 0)
        goto out;
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
    if (load_posts(&posts, &nposts, &src, &cfg, jobs, a, d) < 0)
        failed = true;
    struct site site;
    if (model_build(&site, &cfg, channels, nchannels, posts, nposts,
                    o->drafts, a, d) < 0)
        failed = true;
    model_files(&site, &src, a);
    out->posts = site.nentries;
    out->channels = site.nchannels;
    /* write_output checks the paths itself; check and deploy do not write */
    if (failed || render_site(&files, &site, theme, jobs, a, d) < 0 ||
        ((o->check_only || o->publish) && write_check_paths(&files, d) < 0) ||
        check_site(&site, &src, &files, o->check_only, d) < 0 ||
        o->check_only)
        goto out;
    if (o->publish) {
        if (o->publish(&files, &cfg, &src, d, o->payload) == 0)
            out->files = files.len;
        goto out;
    }
    struct write_stats ws;
    if (write_output(&ws, o->out_dir, &files,
                     (o->force ? WRITE_FORCE : 0) |
                         (o->no_sync ? WRITE_NO_SYNC : 0), d) < 0)
        goto out;
    out->files = files.len;
    out->written = ws.written;
    out->unchanged = ws.unchanged;
    out->removed = ws.removed;
out:
    output_dispose(&files);
    render_theme_free(theme);
    arena_free(a);
    return diags_exit_status(d);
}
