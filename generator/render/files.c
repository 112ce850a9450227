/* files.c: the files the site publishes as they are (static/, a post's
 * folder, the rest of content/), their bytes shared with the source, and
 * the check that no two outputs of a build share a path: with static
 * files, bundles and redirects, a page is no longer the only thing that
 * may sit at a URL. Part of render/; linear in the outputs' paths. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/hash.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

void
files_render(struct output *out, struct origin *origins,
             const struct site *s, struct arena *a)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct site_file *f = &s->files[i];
        assert(!f->src->too_big); /* source/ reads every file published */
        /* Unread, it is the one the last build published (see
         * render_file_key): kept. */
        output_add_shared(out, a, f->url, f->src->data, f->src->len);
        render_file_key(f->src, &out->files[out->len - 1].key);
        origins[i] = (struct origin){ .path = f->src->path,
                                      .self = "this file",
                                      .name = f->src->path };
    }
}

void
render_file_key(const struct source_file *f, struct output_key *out)
{
    struct hash h;
    hash_init(&h);
    hash_str(&h, "file");
    hash_str(&h, f->blob_id);
    hash_final(&h, out->h);
}

/* The key of path[0..len) in the check's maps: case-folded, so that two
 * paths one case-insensitive file system takes for one are one. */
static const char *
key_of(const char *path, size_t len, struct arena *a)
{
    const char *key = utf8_fold(a, path, len);
    return key ? key : arena_strndup(a, path, len);
}

/* The folder of path that is key[0..slash) in its key (folding keeps
 * every '/'), in the arena. */
static const char *
same_folder(const char *path, const char *key, const char *slash,
            struct arena *a)
{
    const char *end = path;
    for (const char *k = key; (k = strchr(k, '/')) && k <= slash; k++)
        end = strchr(end + (end != path), '/');
    return arena_strndup(a, path, (size_t)(end - path));
}

/* How two outputs clash. */
enum clash {
    CLASH_SAME,   /* one path */
    CLASH_FOLDER, /* a file where the other needs a folder */
    CLASH_FILE,   /* a folder where the other is a file */
};

/* The name of a page of the site, for another output's error. */
static const char *
page_name(const struct page *pg, struct arena *a)
{
    const char *nth = pg->pager.page > 1
                          ? arena_printf(a, "page %zu of ", pg->pager.page)
                          : "";
    switch (pg->kind) {
    case PAGE_HOME:
        return arena_printf(a, "%sthe home page", nth);
    case PAGE_CHANNEL:
        return arena_printf(a, "%sthe channel %s", nth,
                            pg->channel->channel->name);
    case PAGE_POST:
        return arena_printf(a, "the page of %s", pg->entry->post->path);
    case PAGE_TAG:
        return arena_printf(a, "%sthe tag #%s%s%s", nth, pg->tag->tag->name,
                            pg->channel ? " in the channel " : "",
                            pg->channel ? pg->channel->channel->name : "");
    case PAGE_TAGS:
        return "the list of tags";
    case PAGE_NOT_FOUND:
        break;
    }
    return "the 404 page";
}

/* How another output's error names output i, of origin o. */
static const char *
name_of(const struct output *out, size_t i, const struct origin *o,
        struct arena *a)
{
    if (o->page)
        return page_name(o->page, a);
    return o->path ? o->name
                   : arena_printf(a, "%s %s", o->name, out->files[i].path);
}

/* Reports the output of origin o at path (its own, or a folder of it)
 * against other's, which was there first; returns -1. */
static int
clash(struct diags *d, enum clash how, const struct origin *o,
      const char *path, const char *other)
{
    const char *self = o->self ? o->self : o->name;
    if (how == CLASH_SAME)
        return diags_add(d, DIAG_CONTENT, o->path, o->line, o->col,
                         "%s and %s would both be written to %s", self,
                         other, path);
    if (how == CLASH_FOLDER)
        return diags_add(d, DIAG_CONTENT, o->path, o->line, o->col,
                         "%s would be written to %s, where %s needs a "
                         "folder", self, path, other);
    return diags_add(d, DIAG_CONTENT, o->path, o->line, o->col,
                     "%s needs a folder %s, where %s is written", self, path,
                     other);
}

int
output_check(const struct output *out, const struct origin *origins,
             struct arena *a, struct diags *d)
{
    /* files: each output path; folders: each folder an output is in; both
     * to 1 + the index of the first output that made it. */
    struct map *files = map_new(), *folders = map_new();
    int rc = 0;
    for (size_t i = 0; i < out->len; i++) {
        const char *path = out->files[i].path;
        const char *key = key_of(path, strlen(path), a);
        const struct origin *o = &origins[i];
        uintptr_t prev = (uintptr_t)map_get(files, key);
        if (prev) {
            rc = clash(d, CLASH_SAME, o, path,
                       name_of(out, prev - 1, &origins[prev - 1], a));
            continue;
        }
        if ((prev = (uintptr_t)map_get(folders, key))) {
            rc = clash(d, CLASH_FOLDER, o, path,
                       name_of(out, prev - 1, &origins[prev - 1], a));
            continue;
        }
        const char *slash = key;
        while ((slash = strchr(slash + 1, '/')) &&
               !(prev = (uintptr_t)map_getn(files, key,
                                            (size_t)(slash - key))))
            ;
        if (slash) {
            rc = clash(d, CLASH_FILE, o, same_folder(path, key, slash, a),
                       name_of(out, prev - 1, &origins[prev - 1], a));
            continue;
        }
        map_put(files, key, (void *)(i + 1));
        for (slash = strchr(key, '/'); slash; slash = strchr(slash + 1, '/'))
            if (!map_getn(folders, key, (size_t)(slash - key)))
                map_put(folders, arena_strndup(a, key, (size_t)(slash - key)),
                        (void *)(i + 1));
    }
    map_free(files);
    map_free(folders);
    return rc;
}
