/* render.h: the fourth stage. Turns the site model into output files in
 * memory: every page through the theme's Mustache templates, and the
 * theme's assets. Nothing touches the disk here; write/ does. */
#ifndef GZ_RENDER_H
#define GZ_RENDER_H

#include <stddef.h>

#include "../model/model.h"
#include "../source/source.h"

/* One file of the output: its path below the output folder (validated,
 * '/'-separated) and its bytes, which the output owns. */
struct output_file {
    const char *path; /* arena string */
    char *data;       /* malloc'd, freed by output_dispose */
    size_t len;
};

struct output {
    struct output_file *files;
    size_t len, cap;
};

/* Renders every page of site with the theme site.yaml names (its files in
 * src override the built-in default theme file by file), on jobs threads.
 * Template errors are DIAG_CONTENT at their file:line:col; returns -1 when
 * any error was found. out is filled either way; dispose it. */
int render_site(struct output *out, const struct site *site,
                const struct source *src, int jobs, struct arena *a,
                struct diags *d);

void output_dispose(struct output *out);

#endif
