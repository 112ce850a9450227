/* base.c: allocation, growable bytes, pointer vectors and string maps.
 * The ground floor of the pipeline; depends on libc only. */
#include "base.h"
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
out_of_memory(size_t n)
{
    fprintf(stderr, "gazette: out of memory (%zu bytes)\n", n);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

bool
str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void
buf_grow(struct buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void
buf_put(struct buf *b, const void *data, size_t len)
{
    buf_grow(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
    buf_put(b, &c, 1);
}

size_t
uint_format(char *out, unsigned long long n)
{
    char digits[24], *t = digits + sizeof digits;
    do
        *--t = (char)('0' + n % 10);
    while (n /= 10);
    size_t len = (size_t)(digits + sizeof digits - t);
    memcpy(out, t, len);
    out[len] = '\0';
    return len;
}

size_t
int_format(char *out, long long n)
{
    if (n >= 0)
        return uint_format(out, (unsigned long long)n);
    out[0] = '-';
    return 1 + uint_format(out + 1, 0 - (unsigned long long)n);
}

int
str_quick_vformat(char *out, size_t cap, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (const char *f = fmt; *f; f++) {
        char digits[24];
        const char *s = digits;
        size_t len;
        if (*f != '%') {
            s = f, len = 1;
        } else if (*++f == 's') {
            if (!(s = va_arg(ap, const char *)))
                return -1; /* printf's "(null)" is not ours to copy */
            len = strlen(s);
        } else if (f[0] == '.' && f[1] == '*' && f[2] == 's') {
            f += 2;
            int most = va_arg(ap, int);
            if (!(s = va_arg(ap, const char *)))
                return -1;
            len = most < 0 ? strlen(s) : strnlen(s, (size_t)most);
        } else if (*f == 'd') {
            len = int_format(digits, va_arg(ap, int));
        } else if (*f == 'u') {
            len = uint_format(digits, va_arg(ap, unsigned));
        } else if (f[0] == 'z' && f[1] == 'u') {
            f++;
            size_t v = va_arg(ap, size_t);
            if (v > (size_t)INT64_MAX)
                return -1;
            len = int_format(digits, (long long)v);
        } else if (f[0] == 'l' && f[1] == 'l' && f[2] == 'd') {
            f += 2;
            len = int_format(digits, va_arg(ap, long long));
        } else if (*f == '%') {
            s = "%", len = 1;
        } else {
            return -1;
        }
        if (cap - n <= len)
            return -1;
        memcpy(out + n, s, len);
        n += len;
    }
    if (n >= cap)
        return -1;
    out[n] = '\0';
    return (int)n;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    /* formatted once where it fits the room there is, the usual */
    buf_grow(b, 63);
    va_list copy;
    va_copy(copy, ap);
    int n = str_quick_vformat(b->data + b->len, b->cap - b->len, fmt, copy);
    va_end(copy);
    if (n < 0) {
        va_copy(copy, ap);
        n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, copy);
        va_end(copy);
    }
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Whether the 8 bytes at s hold one that HTML escapes. */
static bool
has_html_special(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return word_has_byte(w, '&') | word_has_byte(w, '<') |
           word_has_byte(w, '>') | word_has_byte(w, '"') |
           word_has_byte(w, '\'');
}

void
buf_put_html(struct buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        /* Text is mostly plain: eight bytes at a time while it is. */
        while (i + 8 <= len && !has_html_special(s + i))
            i += 8;
        if (i == len)
            break;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_put(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_put(b, s + start, len - start);
}

/* The bytes a URL path keeps as they are: unreserved ASCII and '/'. */
static const bool url_path_plain[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['/'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

size_t
url_path_encode(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (url_path_plain[*p]) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}

void
buf_put_url_path(struct buf *b, const char *s)
{
    buf_grow(b, 3 * strlen(s));
    b->len += url_path_encode(b->data + b->len, s);
}

void
buf_clear(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
buf_dispose(struct buf *b)
{
    free(b->data);
    *b = (struct buf)BUF_INIT;
}

char *
buf_detach(struct buf *b, size_t *len)
{
    if (!b->data)
        buf_grow(b, 0), b->data[0] = '\0';
    char *data = b->data;
    if (len)
        *len = b->len;
    *b = (struct buf)BUF_INIT;
    return data;
}

void
vec_push(struct vec *v, void *item)
{
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->len++] = item;
}

void
vec_dispose(struct vec *v)
{
    free(v->items);
    *v = (struct vec)VEC_INIT;
}

/* Open addressing with linear probing; the table stays at most half full. */
struct map_slot {
    const char *key;
    size_t len;
    uint64_t hash;
    void *value;
};

struct map {
    struct map_slot *slots;
    size_t cap, count;
};

struct map *
map_new_sized(size_t n)
{
    struct map *m = xcalloc(1, sizeof *m);
    m->cap = 16;
    while (m->cap < 2 * n) /* map_put keeps it at most half full */
        m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    return m;
}

struct map *
map_new(void)
{
    return map_new_sized(0);
}

void
map_free(struct map *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

static struct map_slot *
find_slot(const struct map *m, const char *key, size_t len, uint64_t h)
{
    size_t i = h & (m->cap - 1);
    for (;;) {
        struct map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len &&
                        memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static void
map_rehash(struct map *m)
{
    struct map_slot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find_slot(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
}

/* The slot of key, put there (with no value) when it was not; *had says
 * whether it was. */
static struct map_slot *
slot_for(struct map *m, const char *key, bool *had)
{
    if ((m->count + 1) * 2 > m->cap)
        map_rehash(m);
    size_t len = strlen(key);
    uint64_t h = hash64(key, len);
    struct map_slot *s = find_slot(m, key, len, h);
    *had = s->key != NULL;
    if (!*had) {
        m->count++;
        *s = (struct map_slot){ key, len, h, NULL };
    }
    return s;
}

void *
map_put(struct map *m, const char *key, void *value)
{
    bool had;
    struct map_slot *s = slot_for(m, key, &had);
    void *prev = had ? s->value : NULL;
    s->value = value;
    return prev;
}

void *
map_add(struct map *m, const char *key, void *value)
{
    bool had;
    struct map_slot *s = slot_for(m, key, &had);
    if (had)
        return s->value;
    s->value = value;
    return NULL;
}

void *
map_getn(const struct map *m, const char *key, size_t len)
{
    struct map_slot *s = find_slot(m, key, len, hash64(key, len));
    return s->key ? s->value : NULL;
}

void *
map_get(const struct map *m, const char *key)
{
    return map_getn(m, key, strlen(key));
}

size_t
map_count(const struct map *m)
{
    return m->count;
}
