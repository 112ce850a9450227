/* output.c: the rendered site in memory, the list of files that write/
 * puts on disk. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"

#include <stdlib.h>
#include <string.h>

void
output_add(struct output *out, struct arena *a, const char *path, char *data,
           size_t len)
{
    out->files = arena_grow(a, out->files, sizeof *out->files, &out->cap,
                            out->len + 1);
    out->files[out->len++] = (struct output_file){
        .path = arena_strdup(a, path), .data = data, .len = len };
    if (out->shared && out->shared_cap < out->cap) {
        out->shared = xrealloc(out->shared, out->cap * sizeof *out->shared);
        memset(out->shared + out->shared_cap, 0,
               (out->cap - out->shared_cap) * sizeof *out->shared);
        out->shared_cap = out->cap;
    }
}

void
output_add_shared(struct output *out, struct arena *a, const char *path,
                  const char *data, size_t len)
{
    if (!out->shared) {
        out->shared_cap = out->cap ? out->cap : 16;
        out->shared = xcalloc(out->shared_cap, sizeof *out->shared);
    }
    output_add(out, a, path, (char *)data, len);
    out->shared[out->len - 1] = true;
}

void
output_dispose(struct output *out)
{
    for (size_t i = 0; i < out->len; i++)
        if (!out->shared || !out->shared[i])
            free(out->files[i].data);
    free(out->shared);
    memset(out, 0, sizeof *out);
}
