/* render_private.h: shared inside render/: the theme loader and the view
 * builders. Never included from outside. */
#ifndef GZ_RENDER_PRIVATE_H
#define GZ_RENDER_PRIVATE_H

#include "../base/base.h"
#include "../mustache/mustache.h"
#include "render.h"

/* A compiled theme (see render_theme). */
struct theme {
    struct mustache_set *templates;
    struct output assets;
};

/* Appends a file to out; path is copied into the arena. */
void output_add(struct output *out, struct arena *a, const char *path,
                char *data, size_t len);

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
const char *view_pager_url(struct arena *a, const char *first, size_t n);

#endif
