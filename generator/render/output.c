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
    out->files[out->len++] = (struct output_file){ arena_strdup(a, path),
                                                   data, len };
}

void
output_dispose(struct output *out)
{
    for (size_t i = 0; i < out->len; i++)
        free(out->files[i].data);
    memset(out, 0, sizeof *out);
}
