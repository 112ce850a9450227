/* render_private.h: shared inside render/: the theme loader and the view
 * builders. Never included from outside. */
#ifndef GZ_RENDER_PRIVATE_H
#define GZ_RENDER_PRIVATE_H

#include "../base/base.h"
#include "mustache.h"
#include "render.h"
#include "value.h"

/* Appends a file to out; path is copied into the arena. */
void output_add(struct output *out, struct arena *a, const char *path,
                char *data, size_t len);

/* Compiles the theme's templates (the site's themes/<theme>/ files over the
 * built-in default theme) into *out and adds its assets to assets as
 * assets/<path>. Returns -1 on any template error or missing template. */
int theme_load(struct mustache_set **out, struct output *assets,
               const struct site_config *cfg, const struct source *src,
               struct arena *a, struct diags *d);

/* A position in a list of pages: page number (1-based) of total. */
struct pager {
    size_t page, total;
    const char *first_url; /* URL of page 1, below the base path */
};

/* The views: each returns the root value a page template receives. */
struct value *view_home(const struct site *s, const struct pager *pg,
                        struct arena *a);
struct value *view_channel(const struct site *s, const struct site_channel *c,
                           const struct pager *pg, struct arena *a);
struct value *view_post(const struct site *s, const struct entry *e,
                        struct arena *a);
struct value *view_not_found(const struct site *s, struct arena *a);
/* /tags/: every tag with its count. */
struct value *view_tags(const struct site *s, struct arena *a);
/* A tag's posts: site-wide (c == NULL) or in channel c. */
struct value *view_tag(const struct site *s, const struct site_channel *c,
                       const struct tag_list *l, const struct pager *pg,
                       struct arena *a);

/* The URL path of page n of a list that starts at first (first itself for
 * n == 1): "astro/" gives "astro/page/2/". */
const char *pager_url(struct arena *a, const char *first, size_t n);

#endif
