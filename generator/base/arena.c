/* arena.c: the per-build region allocator. Chunks are chained and freed
 * together; a GZ_DEBUG_ARENA build mallocs each allocation on its own so
 * that sanitizers see every overrun. */
#include "arena.h"
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#define ARENA_CHUNK (64 * 1024)
/* Chunks double up to this. From 2 MiB on they are mapped on their own,
 * aligned, and offered to the kernel as huge pages: touching fresh memory
 * one 4 KiB page at a time is what a large build spends most of its
 * system time on. */
#define ARENA_CHUNK_MAX (8 * 1024 * 1024)
#define HUGE_PAGE (2 * 1024 * 1024)

struct chunk {
    struct chunk *next;
    size_t used, size;
    bool mapped; /* a mapping of its own (munmap), else calloc'd */
    _Alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct chunk *head;
    size_t next_size; /* of the next regular chunk */
};

struct arena *
arena_new(void)
{
    struct arena *a = xcalloc(1, sizeof(struct arena));
    a->next_size = ARENA_CHUNK;
    return a;
}

static void
chunk_free(struct chunk *c)
{
    if (c->mapped)
        munmap(c, sizeof *c + c->size);
    else
        free(c);
}

void
arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        chunk_free(c);
    }
    free(a);
}

void
arena_adopt(struct arena *a, struct arena *from)
{
    struct chunk *tail = from->head;
    if (tail) {
        while (tail->next)
            tail = tail->next;
        /* behind a's current chunk, which stays the one allocated from */
        if (a->head) {
            tail->next = a->head->next;
            a->head->next = from->head;
        } else {
            a->head = from->head;
        }
    }
    free(from);
}

/* Keeps the first regular chunk met (the newest, so the largest), zeroed
 * again as far as it was used: arena_alloc hands out zeroed memory
 * without clearing it. */
void
arena_clear(struct arena *a)
{
    struct chunk *keep = NULL;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep && c->size >= ARENA_CHUNK)
            keep = c;
        else
            chunk_free(c);
    }
    a->head = keep;
    if (keep) {
        memset(keep->data, 0, keep->used);
        keep->next = NULL;
        keep->used = 0;
    }
}

/* A zeroed chunk of size bytes of data: from 2 MiB on a huge-page-aligned
 * mapping of its own (the kernel zeroes it), else calloc'd. */
static struct chunk *
chunk_new(size_t size, struct chunk *next)
{
    struct chunk *c = NULL;
    size_t total = (sizeof *c + size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    if (size >= HUGE_PAGE) {
        unsigned char *m = mmap(NULL, total + HUGE_PAGE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            size_t lead = (HUGE_PAGE - (uintptr_t)m % HUGE_PAGE) % HUGE_PAGE;
            if (lead)
                munmap(m, lead);
            munmap(m + lead + total, HUGE_PAGE - lead);
            c = (struct chunk *)(m + lead);
            madvise(c, total, MADV_HUGEPAGE); /* advice: may be refused */
            c->mapped = true;
            size = total - sizeof *c;
        }
    }
    if (!c)
        c = xcalloc(1, sizeof *c + size);
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
    return a->head->data;
#else
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        if (n > a->next_size / 4) {
            /* A big block gets its own chunk behind the current one, so the
             * current chunk's free space is not wasted. */
            struct chunk *big = chunk_new(n, c ? c->next : NULL);
            if (c)
                c->next = big;
            else
                a->head = big;
            big->used = n;
            return big->data;
        }
        c = a->head = chunk_new(a->next_size, c);
        if (a->next_size < ARENA_CHUNK_MAX)
            a->next_size *= 2;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
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
    /* formatted once, on the stack, where it fits there: the usual */
    char small[256];
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = str_quick_vformat(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) {
        va_copy(copy, ap);
        n = vsnprintf(small, sizeof small, fmt, copy);
        va_end(copy);
    }
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0 && (size_t)n < sizeof small)
        memcpy(p, small, (size_t)n);
    else if (n > 0)
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
