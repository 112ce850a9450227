/* model_private.h: what the files of model/ share: model.c (the site, its
 * lists and every URL conflict), paths.c (where each post, alias and file
 * is published) and tags.c. Never included from outside this folder. */
#ifndef GZ_MODEL_PRIVATE_H
#define GZ_MODEL_PRIVATE_H

#include "model.h"

struct arena;

/* The URL of post p (see struct entry): its url:, else pattern (its
 * channel's permalinks:, NULL for none; channel fills :channel) with the
 * tokens filled in, else its file's path. When it is the file's path,
 * *slug is the slug that ends it, else NULL. An arena string. */
const char *model_post_url(const struct post *p, const char *pattern,
                           const char *channel, const char **slug,
                           struct arena *a);

/* The slug a post's URL uses: its own, except for a post that is a folder
 * (content/<channel>/.../<name>/index.md) whose slug was not given: its
 * folder's name, case-folded, spaces as '-'. */
const char *model_post_slug(const struct post *p, struct arena *a);

/* A URL path as front matter writes it (url:, aliases:; parse checked
 * it: "/2019/old/", "/about", "/old.html") in the model's form: without
 * the leading '/', a folder ending in '/' (added unless the last segment
 * is an .html or .htm file, and "index.html" at the end means its
 * folder). An arena string. */
const char *model_url_path(const char *path, struct arena *a);

/* A new map of the site's entries by their posts' source paths. */
struct map *model_posts_by_path(const struct site *s);

#endif
