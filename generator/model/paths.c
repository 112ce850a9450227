/* paths.c: where each thing the site publishes lives below the base path:
 * a post (its url:, its channel's permalinks: pattern, or its file's path,
 * subfolders kept), an alias, a file published as it is (static/, a post's
 * folder, the rest of content/). Part of model/; each lookup is a map or
 * a binary search, so the cost is linear in files and posts. */
#include "model_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* True when s[0..n) ends with suffix, in any case. */
static bool
ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && !strncasecmp(s + n - m, suffix, m);
}

/* The number of '/' in s[0..n). */
static size_t
slashes(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '/';
    return k;
}

/* The Markdown files that make a folder a post: "index.md" first. */
static const char *const bundle_index[] = { "index.md", "index.markdown" };

/* True for a post that is a folder: content/<channel>/.../<name>/index.md
 * (or index.markdown), its folder below a channel's. */
static bool
is_bundle(const char *path)
{
    const char *name = strrchr(path, '/');
    return name && slashes(path, strlen(path)) >= 3 &&
           (!strcmp(name + 1, bundle_index[0]) ||
            !strcmp(name + 1, bundle_index[1]));
}

const char *
model_post_slug(const struct post *p, struct arena *a)
{
    if (p->slug_at.line || strcmp(p->slug, "index") || !is_bundle(p->path))
        return p->slug;
    const char *end = strrchr(p->path, '/'), *start = end;
    while (start[-1] != '/')
        start--;
    char *slug = utf8_fold(a, start, (size_t)(end - start));
    if (!slug)
        slug = arena_strndup(a, start, (size_t)(end - start));
    for (char *c = slug; *c; c++)
        if (*c == ' ')
            *c = '-';
    return slug;
}

/* content/<folder>/<sub>/<name>.md: "<folder>/<sub>/<slug>/"; a post that
 * is a folder takes its folder's place. */
static const char *
file_url(const struct post *p, const char *slug, struct arena *a)
{
    const char *rel = p->path + strlen("content/");
    const char *end = strrchr(rel, '/');
    if (end && is_bundle(p->path))
        end = memrchr(rel, '/', (size_t)(end - rel));
    if (!end)
        return arena_printf(a, "%s/", slug);
    return arena_printf(a, "%.*s/%s/", (int)(end - rel), rel, slug);
}

/* The pattern with its tokens (:year :month :day of the post's date in
 * its own offset, :slug, :channel) filled in, without its leading '/'.
 * parse checked the pattern: only these tokens follow a ':'. */
static const char *
pattern_url(const char *pattern, const struct post *p, const char *slug,
            const char *channel, struct arena *a)
{
    time_t local = (time_t)(p->date.secs + p->date.offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    struct buf b = BUF_INIT;
    buf_puts(&b, "");
    for (const char *c = pattern + (*pattern == '/'); *c;) {
        if (*c != ':') {
            buf_putc(&b, *c++);
            continue;
        }
        size_t n = 1;
        while (isalnum((unsigned char)c[n]) || c[n] == '_')
            n++;
        if (n == 5 && !strncmp(c, ":year", 5))
            buf_printf(&b, "%04d", tm.tm_year + 1900);
        else if (n == 6 && !strncmp(c, ":month", 6))
            buf_printf(&b, "%02d", tm.tm_mon + 1);
        else if (n == 4 && !strncmp(c, ":day", 4))
            buf_printf(&b, "%02d", tm.tm_mday);
        else if (n == 5 && !strncmp(c, ":slug", 5))
            buf_puts(&b, slug);
        else if (n == 8 && !strncmp(c, ":channel", 8))
            buf_puts(&b, channel);
        else
            buf_put(&b, c, n); /* not a token parse knows: as written */
        c += n;
    }
    const char *url = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return model_url_path(url, a);
}

const char *
model_post_url(const struct post *p, const char *pattern,
               const char *channel, const char **slug, struct arena *a)
{
    *slug = NULL;
    if (p->url.text)
        return model_url_path(p->url.text, a);
    const char *own = model_post_slug(p, a);
    if (pattern)
        return pattern_url(pattern, p, own, channel, a);
    *slug = own;
    return file_url(p, own, a);
}

const char *
model_url_path(const char *path, struct arena *a)
{
    while (*path == '/')
        path++;
    size_t n = strlen(path);
    if (!n || path[n - 1] == '/')
        return arena_strdup(a, path);
    const char *last = strrchr(path, '/');
    last = last ? last + 1 : path;
    size_t len = n - (size_t)(last - path);
    if (!strcasecmp(last, "index.html") || !strcasecmp(last, "index.htm"))
        return arena_strndup(a, path, (size_t)(last - path));
    if (ends_with(last, len, ".html") || ends_with(last, len, ".htm"))
        return arena_strdup(a, path);
    return arena_printf(a, "%s/", path);
}

const char *
model_page_path(struct arena *a, const char *url)
{
    size_t n = strlen(url);
    return !n || url[n - 1] == '/' ? arena_printf(a, "%sindex.html", url)
                                   : url;
}

/* The folder a post's files go to: its URL, or a file page's folder. */
static size_t
page_folder(const char *url)
{
    const char *slash = strrchr(url, '/');
    return slash ? (size_t)(slash - url) + 1 : 0;
}

/* The index.md (or index.markdown) of the folder path[0..n) in src, in
 * scratch; NULL when it has none. */
static const char *
folder_index(const struct source *src, const char *path, size_t n,
             struct buf *scratch)
{
    for (size_t i = 0; i < sizeof bundle_index / sizeof *bundle_index; i++) {
        buf_clear(scratch);
        buf_printf(scratch, "%.*s/%s", (int)n, path, bundle_index[i]);
        if (source_find(src, scratch->data))
            return scratch->data;
    }
    return NULL;
}

/* Where the file of content/ at path is published: beside the page of the
 * post whose folder holds it (the nearest one up, *bundle), else at its
 * path below content/. NULL when that post is not published. */
static const char *
content_file_url(const char *path, const struct source *src,
                 const struct map *posts, const struct entry **bundle,
                 struct arena *a)
{
    struct buf scratch = BUF_INIT;
    const char *url = path + strlen("content/");
    /* Its folders, nearest first, down to content/<channel>/<name>. */
    const char *end = strrchr(path, '/');
    while (end && slashes(path, (size_t)(end - path)) >= 2) {
        const char *index = folder_index(src, path, (size_t)(end - path),
                                         &scratch);
        if (index) {
            const struct entry *e = *bundle = map_get(posts, index);
            url = e ? arena_printf(a, "%.*s%s", (int)page_folder(e->url),
                                   e->url, end + 1)
                    : NULL;
            break;
        }
        end = memrchr(path, '/', (size_t)(end - path));
    }
    buf_dispose(&scratch);
    return url;
}

struct map *
model_posts_by_path(const struct site *s)
{
    struct map *m = map_new_sized(s->nentries);
    for (size_t i = 0; i < s->nentries; i++)
        map_put(m, s->entries[i]->post->path, s->entries[i]);
    return m;
}

void
model_files(struct site *s, const struct source *src, struct arena *a)
{
    struct map *posts = NULL; /* by source path, once a file needs it */
    s->files = arena_alloc(a, (src->nfiles + 1) * sizeof *s->files);
    s->nfiles = 0;
    for (size_t i = 0; i < src->nfiles; i++) {
        const struct source_file *f = &src->files[i];
        const struct entry *bundle = NULL;
        const char *url = NULL;
        if (!strncmp(f->path, "static/", 7))
            url = f->path + 7;
        else if (!strncmp(f->path, "content/", 8) &&
                 !source_bounded(f->path)) { /* no Markdown: no post */
            if (!posts)
                posts = model_posts_by_path(s);
            url = content_file_url(f->path, src, posts, &bundle, a);
        }
        if (url && *url)
            s->files[s->nfiles++] = (struct site_file){ f, url, bundle };
    }
    map_free(posts);
}

static int
by_source_path(const void *key, const void *item)
{
    return strcmp(key, ((const struct site_file *)item)->src->path);
}

const struct site_file *
model_file(const struct site *s, const char *path)
{
    return s->nfiles ? bsearch(path, s->files, s->nfiles, sizeof *s->files,
                               by_source_path)
                     : NULL;
}

bool
model_is_markdown(const char *path)
{
    return !strncmp(path, "content/", 8) &&
           (str_ends_with(path, ".md") || str_ends_with(path, ".markdown"));
}

bool
model_is_index(const char *path)
{
    return str_ends_with(path, "/_index.md") ||
           str_ends_with(path, "/_index.markdown");
}
