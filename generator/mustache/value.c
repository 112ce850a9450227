/* value.c: building the value trees that templates read. Part of render/;
 * every value lives in the build's arena. */
#include "mustache.h"
#include "../base/arena.h"

#include <string.h>

static struct value *
value_new(struct arena *a, enum value_kind kind)
{
    struct value *v = arena_alloc(a, sizeof *v);
    v->kind = kind;
    return v;
}

struct value *
value_null(struct arena *a)
{
    return value_new(a, VALUE_NULL);
}

struct value *
value_bool(struct arena *a, bool b)
{
    struct value *v = value_new(a, VALUE_BOOL);
    v->boolean = b;
    return v;
}

struct value *
value_number(struct arena *a, const char *text)
{
    struct value *v = value_new(a, VALUE_NUMBER);
    v->len = strlen(text);
    v->str = arena_strndup(a, text, v->len);
    return v;
}

struct value *
value_int(struct arena *a, long long n)
{
    /* By hand, not snprintf: every list page has counts and page numbers */
    char text[24];
    int_format(text, n);
    return value_number(a, text);
}

struct value *
value_str_ref(struct arena *a, const char *s, size_t len)
{
    struct value *v = value_new(a, VALUE_STRING);
    v->str = s;
    v->len = len;
    return v;
}

struct value *
value_strn(struct arena *a, const char *s, size_t len)
{
    return value_str_ref(a, arena_strndup(a, s, len), len);
}

struct value *
value_str(struct arena *a, const char *s)
{
    return s ? value_strn(a, s, strlen(s)) : value_null(a);
}

struct value *
value_list(struct arena *a)
{
    return value_new(a, VALUE_LIST);
}

struct value *
value_map(struct arena *a)
{
    return value_new(a, VALUE_MAP);
}

void
value_push(struct arena *a, struct value *list, struct value *item)
{
    size_t cap = list->cap;
    list->items = arena_grow(a, list->items, sizeof *list->items, &cap,
                             list->len + 1);
    list->cap = cap;
    list->items[list->len++] = item;
}

void
value_set(struct arena *a, struct value *map, const char *key,
          struct value *v)
{
    for (size_t i = 0; i < map->len; i++)
        if (map->keys[i][0] == key[0] && strcmp(map->keys[i], key) == 0) {
            map->vals[i] = v;
            return;
        }
    size_t cap = map->cap;
    map->keys = arena_grow(a, map->keys, sizeof *map->keys, &cap,
                           map->len + 1);
    cap = map->cap;
    map->vals = arena_grow(a, map->vals, sizeof *map->vals, &cap,
                           map->len + 1);
    map->cap = cap;
    map->keys[map->len] = key;
    map->vals[map->len++] = v;
}

void
value_set_str(struct arena *a, struct value *map, const char *key,
              const char *s)
{
    value_set(a, map, key,
              s && *s ? value_str_ref(a, s, strlen(s)) : value_null(a));
}

void
value_set_bool(struct arena *a, struct value *map, const char *key, bool b)
{
    value_set(a, map, key, value_bool(a, b));
}

void
value_set_int(struct arena *a, struct value *map, const char *key,
              long long n)
{
    value_set(a, map, key, value_int(a, n));
}

struct value *
value_get(const struct value *v, const char *key, size_t len)
{
    if (!v || v->kind != VALUE_MAP)
        return NULL;
    for (size_t i = 0; i < v->len; i++) {
        const char *k = v->keys[i]; /* first letters differ most often */
        /* strnlen: key may hold a NUL, and k be shorter than len */
        if ((!len || k[0] == key[0]) && strnlen(k, len + 1) == len &&
            !memcmp(k, key, len))
            return v->vals[i];
    }
    return NULL;
}

bool
value_truthy(const struct value *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case VALUE_NULL: return false;
    case VALUE_BOOL: return v->boolean;
    case VALUE_LIST: return v->len > 0;
    default: return true;
    }
}
