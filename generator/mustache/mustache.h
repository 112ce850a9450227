/* mustache.h: our Mustache 1.4 engine (with inheritance and dynamic names).
 * Templates are compiled once into a set; rendering only reads the set, so
 * any number of threads may render from one set at once. */
#ifndef GZ_MUSTACHE_H
#define GZ_MUSTACHE_H

#include "../base/base.h"
#include "../diag.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- The data a template sees ------------------------------------------
 * Views are built as a tree of values; templates hold no logic, so every
 * value is prepared. */

struct arena;
enum value_kind {
    VALUE_NULL,
    VALUE_BOOL,
    VALUE_NUMBER, /* kept as its text, e.g. "1.210"; always truthy */
    VALUE_STRING, /* always truthy, "" too (views set null for no text) */
    VALUE_LIST,   /* falsy when empty */
    VALUE_MAP,
};

struct value {
    enum value_kind kind;
    bool boolean;
    /* Set by a view on a value shared by many pages, which stays as it is
     * while a memo (below) lives: a section over it renders once. */
    bool stable;
    const char *str; /* VALUE_STRING, VALUE_NUMBER: NUL-terminated text */
    size_t len;      /* of str; of items or keys for lists and maps */
    struct value **items;  /* VALUE_LIST */
    const char **keys;     /* VALUE_MAP, in insertion order */
    struct value **vals;   /* VALUE_MAP, parallel to keys */
    size_t cap;
};

/* Constructors: every value and copy lives in the arena. */
struct value *value_null(struct arena *a);
struct value *value_bool(struct arena *a, bool b);
struct value *value_number(struct arena *a, const char *text);
struct value *value_int(struct arena *a, long long n);
/* Copies s. */
struct value *value_strn(struct arena *a, const char *s, size_t len);
struct value *value_str(struct arena *a, const char *s);
/* Does not copy s: it must live as long as the arena. */
struct value *value_str_ref(struct arena *a, const char *s, size_t len);
struct value *value_list(struct arena *a);
struct value *value_map(struct arena *a);
void value_push(struct arena *a, struct value *list, struct value *item);
/* Sets key (not copied: a literal or arena string) in map; replaces. */
void value_set(struct arena *a, struct value *map, const char *key,
               struct value *v);
/* Shorthands for value_set(a, map, key, value_str_ref(a, s, strlen(s))):
 * s is not copied, so it must live as long as the arena (views hand in
 * the model's strings and the page's own); a NULL or empty s sets null,
 * so that {{#key}} skips what has no text. */
void value_set_str(struct arena *a, struct value *map, const char *key,
                   const char *s);
void value_set_bool(struct arena *a, struct value *map, const char *key,
                    bool b);
void value_set_int(struct arena *a, struct value *map, const char *key,
                   long long n);
/* Looks up key in a map; NULL when absent or v is not a map. */
struct value *value_get(const struct value *v, const char *key, size_t len);
/* Mustache truthiness: null, false and the empty list are false. */
bool value_truthy(const struct value *v);

/* ---- Templates ------------------------------------------------------- */

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

/* What one thread's renders reuse: the output of each section over a
 * stable value (or of each stable item of a list) that read nothing
 * outside it, such as a post's entry in every list that shows it. */
struct mustache_memo;
struct mustache_memo *mustache_memo_new(void);
void mustache_memo_free(struct mustache_memo *m);
/* mustache_render, reusing and adding to memo. */
int mustache_render_memo(struct buf *out, const struct mustache_set *set,
                         const char *name, const struct value *ctx,
                         struct mustache_memo *memo, struct diags *d);

#endif
