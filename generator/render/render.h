/* render.h: the fourth stage. Turns the site model into output files in
 * memory: every page through the theme's Mustache templates, and the
 * theme's assets. Nothing touches the disk here; write/ does. */
#ifndef GZ_RENDER_H
#define GZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"
#include "../source/source.h"

/* What an output file was made from: a digest of every input that can
 * change its bytes (the posts it shows, the order of its list, templates
 * and settings). All zero: not known, the bytes decide. */
struct output_key {
    uint64_t h[2];
};

/* One file of the output: its path below the output folder (validated,
 * '/'-separated) and its bytes, which the output owns (see struct
 * output's shared). */
struct output_file {
    const char *path; /* arena string */
    char *data;       /* malloc'd, freed by output_dispose; never written.
                         NULL (len 0) with a key: the file the last build
                         published under this key is still right, and
                         stays as it is (see write_old_key) */
    size_t len;
    struct output_key key;
};

static inline bool
output_key_set(const struct output_key *k)
{
    return k->h[0] || k->h[1];
}

struct output {
    struct output_file *files;
    size_t len, cap;
    size_t sent;       /* files[0..sent) went to a render_sink: their
                          paths and keys are left, their bytes are not */
    bool *shared;      /* NULL, or for each file (shared_cap of them):
                          true when its data is someone else's (a file
                          published as it is: the source's bytes), which
                          output_dispose leaves */
    size_t shared_cap;
};

/* A theme ready to render: compiled templates and the assets to copy. */
struct theme;

/* Compiles the theme site.yaml names (its files in src override the
 * built-in default theme file by file). Every template error is a
 * DIAG_CONTENT at its file:line:col, and then returns -1 with *out NULL.
 * Needs no posts, so a build reports template errors with content ones. */
int render_theme(struct theme **out, const struct site_config *cfg,
                 const struct source *src, struct arena *a, struct diags *d);
void render_theme_free(struct theme *t);

/* Where render_site hands pages and feeds as it makes them, so that they
 * need not all be in memory at once, and learns which are still right. */
struct render_sink {
    /* The key path was last published with (write_old_key). */
    bool (*old_key)(const char *path, struct output_key *key, void *payload);
    /* Takes files (data NULL: kept, see struct output_file); their bytes
     * are freed when it returns. -1 (with a diag): take no more. */
    int (*take)(const struct output *files, void *payload);
    /* True when out's paths are, in order, those last published: then
     * none clash, and output_check need not look (write_same_paths). */
    bool (*same_paths)(const struct output *out, void *payload);
    void *payload;
};

/* Renders every page of site with theme, on jobs threads, and adds the
 * feeds, the sitemap, the theme's assets, the files published as they are
 * (site->files: their bytes are the source's, which must outlive out) and
 * a redirect page for each alias. Each page and feed gets a key of its
 * inputs (model_digest's, the templates'); with a sink, one whose key is
 * the one it was last published with is not rendered but kept, and pages
 * and feeds go to the sink in batches (out->sent), the rest staying in
 * out. out is filled either way; dispose it. Returns -1 when a page could
 * not be rendered, the sink failed, or two outputs would share a path (a
 * DIAG_CONTENT at the later one's source, naming both; see output_check). */
int render_site(struct output *out, const struct site *site,
                const struct theme *theme, const struct render_sink *sink,
                int jobs, struct arena *a, struct diags *d);

/* The key of a file published as it is (struct site_file): its bytes, by
 * blob id. A build reads an unread one (source_load) unless the key its
 * output was last published with is this one: render_site keeps it. */
void render_file_key(const struct source_file *f, struct output_key *out);

void output_dispose(struct output *out);

#endif
