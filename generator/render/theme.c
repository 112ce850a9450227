/* theme.c: the theme: finds its files, the site's own over the built-in
 * default theme file by file, compiles the templates and collects the
 * assets. Part of render/. */
#include "render_private.h"
#include "embedded.h"
#include "../base/arena.h"
#include "../base/fs.h"
#include "../base/hash.h"
#include "../diag.h"

#include <string.h>

static const char *const required[] = { "base", "home", "channel", "post",
                                        "404",  "tags", "tag" };

/* Adds one theme file: a template (templates/NAME.mustache) or an asset. */
static int
add_file(struct mustache_set *set, struct output *assets, struct hash *h,
         const char *rel, const char *shown_path, const char *data,
         size_t len, struct arena *a, struct diags *d)
{
    const char *ext = ".mustache";
    size_t n = strlen(rel), e = strlen(ext);
    if (!strncmp(rel, "templates/", 10) && n > 10 + e &&
        !strcmp(rel + n - e, ext)) {
        const char *name = arena_strndup(a, rel + 10, n - 10 - e);
        hash_str(h, name); /* the pages' digests: render.c */
        hash_bytes(h, data, len);
        hash_u64(h, len);
        return mustache_set_add(set, name, shown_path, data, len, d);
    }
    if (!strncmp(rel, "assets/", 7) && fs_path_is_safe(rel))
        output_add(assets, a, rel, xstrndup(data, len), len);
    return 0;
}

/* A theme other than the built-in one must have a folder in the site, and
 * a theme must have every page template. Errors point at the theme: setting of site.yaml, or
 * at the missing file when the site has no such setting. */
static int
theme_check(const struct mustache_set *set, const struct site_config *cfg,
            const struct source *src, const char *prefix, struct arena *a,
            struct diags *d)
{
    const struct located *at = &cfg->theme_at;
    size_t has_files = 0;
    for (size_t i = 0; i < src->nfiles && !has_files; i++)
        has_files = !strncmp(src->files[i].path, prefix, strlen(prefix));
    if (at->line && strcmp(cfg->theme, "default") && !has_files)
        return diags_add(d, DIAG_CONTENT, cfg->path, at->line, at->col,
                         "theme: no folder %s in the site", prefix);
    int rc = 0;
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (mustache_set_has(set, required[i]))
            continue;
        const char *file = arena_printf(a, "%stemplates/%s.mustache", prefix,
                                        required[i]);
        if (at->line)
            rc = diags_add(d, DIAG_CONTENT, cfg->path, at->line, at->col,
                           "theme \"%s\" has no template %s", cfg->theme,
                           file);
        else
            rc = diags_add(d, DIAG_CONTENT, file, 0, 0,
                           "theme \"%s\" has no template %s.mustache",
                           cfg->theme, required[i]);
    }
    return rc;
}

static int
theme_load(struct theme *t, const struct site_config *cfg,
           const struct source *src, struct arena *a, struct diags *d)
{
    struct mustache_set *set = t->templates = mustache_set_new();
    struct output *assets = &t->assets;
    struct hash h;
    hash_init(&h);
    const char *prefix = arena_printf(a, "themes/%s/", cfg->theme);
    size_t plen = strlen(prefix);
    int rc = 0;
    /* The built-in theme first, skipping what the site overrides. */
    for (size_t i = 0; i < embedded_theme_len; i++) {
        const struct embedded_file *f = &embedded_theme[i];
        const char *site_path = arena_printf(a, "%s%s", prefix, f->path);
        if (source_find(src, site_path))
            continue;
        const char *shown = arena_printf(a, "(built-in)/themes/default/%s",
                                         f->path);
        if (add_file(set, assets, &h, f->path, shown, (const char *)f->data,
                     f->len, a, d) < 0)
            rc = -1;
    }
    for (size_t i = 0; i < src->nfiles; i++) {
        const struct source_file *f = &src->files[i];
        if (strncmp(f->path, prefix, plen))
            continue;
        if (f->too_big) { /* never read: publishing it empty would lie */
            rc = diags_add(d, DIAG_CONTENT, f->path, 0, 0,
                           "%zu bytes, over the limit of %zu MiB for one "
                           "file (limits.post_mib in site.yaml)", f->size,
                           cfg->limits.post_bytes >> 20);
            continue;
        }
        if (add_file(set, assets, &h, f->path + plen, f->path, f->data,
                     f->len, a, d) < 0)
            rc = -1;
    }
    hash_final(&h, t->digest);
    return rc < 0 ? -1 : theme_check(set, cfg, src, prefix, a, d);
}

int
render_theme(struct theme **out, const struct site_config *cfg,
             const struct source *src, struct arena *a, struct diags *d)
{
    struct theme *t = arena_alloc(a, sizeof *t);
    memset(t, 0, sizeof *t);
    if (theme_load(t, cfg, src, a, d) < 0) {
        render_theme_free(t);
        t = NULL;
    }
    *out = t;
    return t ? 0 : -1;
}

void
render_theme_free(struct theme *t)
{
    if (t) {
        mustache_set_free(t->templates);
        output_dispose(&t->assets);
    }
}
