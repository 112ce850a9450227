/* arena.h: the per-build region allocator. Everything in the model comes
 * from one arena released once; with -j each worker has its own. */
#ifndef GZ_ARENA_H
#define GZ_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Releases every allocation made from a at once. */
void arena_free(struct arena *a);
/* Moves everything allocated from from into a, to be released with a's,
 * and frees from: a worker's arena whose allocations outlive the work. */
void arena_adopt(struct arena *a, struct arena *from);
/* Releases every allocation but keeps one chunk for reuse: for per-item
 * scratch arenas (a worker's views, one page at a time). */
void arena_clear(struct arena *a);
/* Zeroed, aligned memory that lives until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies: the result is NUL-terminated. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grows an array of elements of size elem from *cap to at least need. */
void *arena_grow(struct arena *a, void *items, size_t elem, size_t *cap,
                 size_t need);

#endif
