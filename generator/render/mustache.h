/* mustache.h: our Mustache 1.4 engine (with inheritance and dynamic names).
 * Templates are compiled once into a set; rendering only reads the set, so
 * any number of threads may render from one set at once. */
#ifndef GZ_MUSTACHE_H
#define GZ_MUSTACHE_H

#include "../base/base.h"
#include "../diag.h"
#include "value.h"

struct mustache_set;

struct mustache_set *mustache_set_new(void);
void mustache_set_free(struct mustache_set *set);

/* Compiles src as the template (and partial) called name, e.g. "base".
 * path is the file it came from, used only in diagnostics. src is copied.
 * A syntax error (unclosed tag or section, mismatched close, bad delimiter)
 * is reported as a DIAG_CONTENT at path:line:col, every one of them, and
 * returns -1; the name then stays undefined. Adding a name twice replaces. */
int mustache_set_add(struct mustache_set *set, const char *name,
                     const char *path, const char *src, size_t len,
                     struct diags *d);

bool mustache_set_has(const struct mustache_set *set, const char *name);

/* Renders template name with ctx as the context stack's root, appending to
 * out. Missing partials and missing names render as empty (per the spec).
 * Returns -1 (with a diag) only when name itself is not in the set or
 * partials nest beyond a fixed depth (a recursion guard). */
int mustache_render(struct buf *out, const struct mustache_set *set,
                    const char *name, const struct value *ctx,
                    struct diags *d);

#endif
