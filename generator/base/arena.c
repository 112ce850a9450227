/* arena.c: the per-build region allocator. Chunks are chained and freed
 * together; a GZ_DEBUG_ARENA build mallocs each allocation on its own so
 * that sanitizers see every overrun. */
#include "arena.h"
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct chunk *head;
};

struct arena *
arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void
arena_clear(struct arena *a)
{
    struct chunk *keep = NULL;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep && c->size == ARENA_CHUNK)
            keep = c;
        else
            free(c);
    }
    a->head = keep;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
}

static struct chunk *
chunk_new(size_t size, struct chunk *next)
{
    struct chunk *c = xmalloc(sizeof *c + size);
    c->next = next;
    c->used = 0;
    c->size = size;
    return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
#ifdef GZ_DEBUG_ARENA
    a->head = chunk_new(n, a->head);
    a->head->used = n;
    return memset(a->head->data, 0, n);
#else
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        if (n > ARENA_CHUNK / 4) {
            /* A big block gets its own chunk behind the current one, so the
             * current chunk's free space is not wasted. */
            struct chunk *big = chunk_new(n, c ? c->next : NULL);
            if (c)
                c->next = big;
            else
                a->head = big;
            big->used = n;
            return memset(big->data, 0, n);
        }
        c = a->head = chunk_new(ARENA_CHUNK, c);
    }
    void *p = c->data + c->used;
    c->used += n;
    return memset(p, 0, n);
#endif
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *
arena_grow(struct arena *a, void *items, size_t elem, size_t *cap, size_t need)
{
    if (need <= *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *p = arena_alloc(a, ncap * elem);
    if (items && *cap)
        memcpy(p, items, *cap * elem);
    *cap = ncap;
    return p;
}
