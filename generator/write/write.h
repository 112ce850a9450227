/* write.h: the last stage. Puts the rendered files into the output folder:
 * only files whose bytes changed, each through a temporary file and a
 * rename, never outside the folder; files that the previous build made
 * and this one did not are removed, and nothing else. */
#ifndef GZ_WRITE_H
#define GZ_WRITE_H

#include <stddef.h>

#include "../render/render.h"

#define WRITE_MANIFEST ".gazette-manifest" /* what the last build wrote */

struct write_stats {
    size_t written, unchanged, removed;
};

/* Checks every path first (unsafe or duplicate paths: DIAG_CONTENT, and
 * nothing is written), then writes. I/O errors are DIAG_SYSTEM naming the
 * file; returns -1 if anything failed. */
int write_output(struct write_stats *out, const char *dir,
                 const struct output *files, struct diags *d);

#endif
