/* base.h: allocation that never fails, growable bytes, pointer vectors and
 * string maps. Shared by every stage; knows nothing of any stage. */
#ifndef GZ_BASE_H
#define GZ_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Out of memory prints a message and aborts: no caller checks. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* True when s ends with suffix. */
bool str_ends_with(const char *s, const char *suffix);
/* n in decimal into out (room for 21 bytes), NUL-terminated; returns its
 * length. */
size_t uint_format(char *out, unsigned long long n);
size_t int_format(char *out, long long n);
/* vsnprintf for the directives most calls use (%s, %.*s, %d, %u, %zu,
 * %lld, %%), at a fraction of its cost; -1 (out undefined) for any other,
 * a NULL string or too little room. It takes the arguments from ap. */
int str_quick_vformat(char *out, size_t cap, const char *fmt, va_list ap);

/* The high bit of each byte of w that equals c, eight bytes at a time (a
 * byte equal to c is zero after the xor, and borrows into its high bit;
 * any found means some byte equals c). */
static inline uint64_t
word_has_byte(uint64_t w, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t x = w ^ (ones * c);
    return (x - ones) & ~x & (ones << 7);
}

/* Growable bytes, always NUL-terminated when data != NULL.
 * The caller owns data: buf_dispose() frees it, buf_detach() hands it over. */
struct buf {
    char *data;
    size_t len, cap;
};
#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends text with &, <, >, " and ' replaced by entities. */
void buf_put_html(struct buf *b, const char *s, size_t len);
/* Appends s percent-encoded for a URL path: bytes other than unreserved
 * ASCII and '/' become %XX (so Unicode slugs stay valid hrefs). */
void buf_put_url_path(struct buf *b, const char *s);
/* The same into out, which has room for 3 * strlen(s) + 1 bytes; returns
 * the length written (out is NUL-terminated). */
size_t url_path_encode(char *out, const char *s);
void buf_clear(struct buf *b);
void buf_dispose(struct buf *b);
/* Returns the malloc'd string (never NULL) and resets b. */
char *buf_detach(struct buf *b, size_t *len);

/* A growable array of pointers; items is malloc'd and freed by vec_dispose
 * (the pointed-to objects are not). */
struct vec {
    void **items;
    size_t len, cap;
};
#define VEC_INIT { NULL, 0, 0 }
void vec_push(struct vec *v, void *item);
void vec_dispose(struct vec *v);

/* A hash map from NUL-terminated strings to pointers. Keys are not copied:
 * they must outlive the map (arena strings do). */
struct map;
struct map *map_new(void);
/* A map with room for n keys before it has to grow. */
struct map *map_new_sized(size_t n);
void map_free(struct map *m);
/* Returns the previous value for key, or NULL. */
void *map_put(struct map *m, const char *key, void *value);
/* Puts key unless it is there: NULL when it was put, else the value it
 * has (left as it is; never NULL, then). One lookup where map_get and
 * map_put take two. */
void *map_add(struct map *m, const char *key, void *value);
void *map_get(const struct map *m, const char *key);
void *map_getn(const struct map *m, const char *key, size_t len);
size_t map_count(const struct map *m);

#endif
