/* yaml.c: loads YAML from libyaml's events into a tree of our own and
 * reads its nodes as typed values, each error at its file:line:col. Part of
 * parse/: front matter, _index.md and site.yaml are all read through here.
 *
 * Why events and not yaml_parser_load: the loader follows aliases (a bomb
 * of nested aliases takes gigabytes, a self-referencing one crashes a
 * recursive reader), and its scanner is quadratic in flow depth. Here an
 * anchor or alias is an error at once, nesting stops at limits.yaml_depth
 * before libyaml looks further, and nothing recurses on the input's depth. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static void
report(struct yaml_file *y, unsigned line, unsigned col, const char *fmt,
       va_list ap)
{
    struct buf msg = BUF_INIT;
    buf_vprintf(&msg, fmt, ap);
    diags_add(y->d, DIAG_CONTENT, y->path, line, col, "%s", msg.data);
    buf_dispose(&msg);
    y->errors++;
}

void
yaml_error(struct yaml_file *y, struct ynode *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(y, node ? node->line : y->line0, node ? node->col : 1, fmt, ap);
    va_end(ap);
}

/* An error at a libyaml mark (0-based, within the YAML text). */
static int
mark_error(struct yaml_file *y, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
mark_error(struct yaml_file *y, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(y, y->line0 + (unsigned)m.line, (unsigned)m.column + 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* libyaml's syntax error, with where the construct that failed began: often
 * the real mistake. */
static int
syntax_error(struct yaml_file *y, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "syntax error";
    if (!p->context)
        return mark_error(y, p->problem_mark, "invalid YAML: %s", problem);
    return mark_error(y, p->problem_mark,
                      "invalid YAML: %s %s started at line %u, column %u",
                      problem, p->context,
                      y->line0 + (unsigned)p->context_mark.line,
                      (unsigned)p->context_mark.column + 1);
}

/* The tree being built: the collections still open, innermost last. */
struct loader {
    struct yaml_file *y;
    unsigned max_depth;
    struct ynode **open;
    size_t depth, cap;
};

/* A node for event ev, added to the innermost open collection (or made the
 * root); a collection is opened. Returns -1 on an anchor, a NUL in a
 * scalar or nesting past max_depth, each reported at its mark. */
static int
add_node(struct loader *l, const yaml_event_t *ev, enum ynode_kind kind)
{
    struct yaml_file *y = l->y;
    const yaml_char_t *anchor = kind == YNODE_SCALAR ? ev->data.scalar.anchor
                                : kind == YNODE_LIST
                                    ? ev->data.sequence_start.anchor
                                    : ev->data.mapping_start.anchor;
    if (anchor)
        return mark_error(y, ev->start_mark,
                          "front matter has no use for anchors and aliases");
    if (kind != YNODE_SCALAR && l->depth >= l->max_depth)
        return mark_error(y, ev->start_mark, "nested deeper than %u levels",
                          l->max_depth);
    struct ynode *n = arena_alloc(y->tree, sizeof *n);
    n->kind = kind;
    n->line = y->line0 + (unsigned)ev->start_mark.line;
    n->col = (unsigned)ev->start_mark.column + 1;
    if (kind == YNODE_SCALAR) {
        n->text = (const char *)ev->data.scalar.value;
        n->len = ev->data.scalar.length;
        /* "\0" decodes to a NUL byte, which would cut the C string. */
        if (strlen(n->text) != n->len)
            return mark_error(y, ev->start_mark,
                              "a NUL character is not allowed");
        n->text = arena_strndup(y->tree, n->text, n->len);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    }
    if (l->depth) {
        struct ynode *up = l->open[l->depth - 1];
        up->items = arena_grow(y->tree, up->items, sizeof *up->items,
                               &up->cap, up->nitems + 1);
        up->items[up->nitems++] = n;
    } else {
        y->root = n;
    }
    if (kind != YNODE_SCALAR) {
        if (l->depth == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 16;
            l->open = xrealloc(l->open, l->cap * sizeof *l->open);
        }
        l->open[l->depth++] = n;
    }
    return 0;
}

/* Takes one event. Returns 1 once the first document is complete, 0 to go
 * on, -1 on an error (reported). */
static int
take_event(struct loader *l, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return mark_error(l->y, ev->start_mark,
                          "front matter has no use for anchors and aliases");
    case YAML_SCALAR_EVENT:
        return add_node(l, ev, YNODE_SCALAR);
    case YAML_SEQUENCE_START_EVENT:
        return add_node(l, ev, YNODE_LIST);
    case YAML_MAPPING_START_EVENT:
        return add_node(l, ev, YNODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        l->depth--;
        return 0;
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT:
        return 1;
    default: /* stream and document start */
        return 0;
    }
}

/* Runs the parser over the first document into y->tree. Returns 0 or -1,
 * stopping at the first error. */
static int
load_events(struct yaml_file *y, const char *text, size_t len,
            unsigned max_depth)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    struct loader l = { .y = y, .max_depth = max_depth };
    int rc = 0;
    while (rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = syntax_error(y, &parser);
            break;
        }
        rc = take_event(&l, &ev);
        yaml_event_delete(&ev);
    }
    free(l.open);
    yaml_parser_delete(&parser);
    return rc < 0 ? -1 : 0;
}

int
yaml_file_load(struct yaml_file *y, const char *path, const char *text,
               size_t len, unsigned line0, unsigned max_depth,
               struct arena *a, struct diags *d)
{
    memset(y, 0, sizeof *y);
    y->path = path;
    y->line0 = line0;
    y->a = a;
    y->d = d;
    y->tree = arena_new();
    if (load_events(y, text, len, max_depth) < 0) {
        y->root = NULL; /* half-built: nobody reads it */
        return -1;
    }
    struct ynode *root = y->root;
    if (root && root->kind != YNODE_MAP &&
        !(root->kind == YNODE_SCALAR && root->len == 0)) {
        yaml_error(y, root, "expected a mapping of fields (key: value)");
        return -1;
    }
    return 0;
}

void
yaml_file_dispose(struct yaml_file *y)
{
    if (y->tree)
        arena_free(y->tree);
    y->tree = NULL;
    y->root = NULL;
}

void
yaml_file_fields(struct yaml_file *y, yaml_field_fn fn, void *payload)
{
    struct ynode *root = y->root;
    if (!root || root->kind != YNODE_MAP)
        return;
    struct map *seen = map_new();
    for (size_t i = 0; i + 1 < root->nitems; i += 2) {
        struct ynode *k = root->items[i], *v = root->items[i + 1];
        if (k->kind != YNODE_SCALAR) {
            yaml_error(y, k, "a field name must be plain text");
            continue;
        }
        const char *key = arena_strndup(y->a, k->text, k->len);
        if (map_put(seen, key, (void *)key)) {
            yaml_error(y, k, "field \"%s\" is given twice", key);
            continue;
        }
        y->key = k;
        fn(y, key, v, payload);
    }
    y->key = NULL;
    map_free(seen);
}

const char *
yaml_shown(struct yaml_file *y, struct ynode *node)
{
    if (!node)
        return "nothing";
    if (node->kind == YNODE_MAP)
        return "a mapping";
    if (node->kind == YNODE_LIST)
        return "a list";
    /* 60 characters, never half of one; control characters escaped, so
     * that a message stays one line and cannot drive the terminal. */
    size_t keep = utf8_prefix(node->text, node->len, 60);
    struct buf b = BUF_INIT;
    buf_putc(&b, '"');
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = (unsigned char)node->text[i];
        if (c == '\t')
            buf_puts(&b, "\\t");
        else if (c == '\n')
            buf_puts(&b, "\\n");
        else if (c < ' ' || c == 0x7f)
            buf_printf(&b, "\\x%02x", c);
        else
            buf_putc(&b, (char)c);
    }
    buf_puts(&b, keep < node->len ? "...\"" : "\"");
    const char *text = arena_strndup(y->a, b.data, b.len);
    buf_dispose(&b);
    return text;
}

static bool
is_null(struct ynode *node)
{
    if (!node || node->kind != YNODE_SCALAR || !node->plain)
        return false;
    const char *s = node->text;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
           !strcmp(s, "Null") || !strcmp(s, "NULL");
}

int
yaml_get_string(struct yaml_file *y, const char *key, struct ynode *node,
                const char **out)
{
    if (!node || node->kind != YNODE_SCALAR) {
        yaml_error(y, node, "%s: expected text, got %s", key,
                   yaml_shown(y, node));
        return -1;
    }
    *out = is_null(node) ? NULL : arena_strndup(y->a, node->text, node->len);
    return 0;
}

int
yaml_get_bool(struct yaml_file *y, const char *key, struct ynode *node,
              bool *out)
{
    static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES",
                                 "on", "On", "ON" };
    static const char *no[] = { "false", "False", "FALSE", "no", "No", "NO",
                                "off", "Off", "OFF" };
    if (node && node->kind == YNODE_SCALAR && node->plain) {
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (!strcmp(node->text, yes[i]))
                return *out = true, 0;
            if (!strcmp(node->text, no[i]))
                return *out = false, 0;
        }
    }
    yaml_error(y, node, "%s: expected true or false, got %s", key,
               yaml_shown(y, node));
    return -1;
}

int
yaml_get_long(struct yaml_file *y, const char *key, struct ynode *node,
              long *out)
{
    if (node && node->kind == YNODE_SCALAR && node->plain) {
        const char *s = node->text;
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (*s && !*end && errno == 0)
            return *out = v, 0;
    }
    yaml_error(y, node, "%s: expected a whole number, got %s", key,
               yaml_shown(y, node));
    return -1;
}

int
yaml_get_timestamp(struct yaml_file *y, const char *key, struct ynode *node,
                   struct timestamp *out)
{
    if (node && node->kind == YNODE_SCALAR &&
        parse_timestamp(out, node->text) == 0)
        return 0;
    yaml_error(y, node, "%s: expected a timestamp such as 2024-03-01 or "
               "2024-03-01T10:00:00+02:00, got %s", key, yaml_shown(y, node));
    return -1;
}

struct located
yaml_locate(struct yaml_file *y, struct ynode *node)
{
    struct located l = { NULL, y->line0, 1 };
    if (node) {
        l.line = node->line;
        l.col = node->col;
        if (node->kind == YNODE_SCALAR)
            l.text = arena_strndup(y->a, node->text, node->len);
    }
    return l;
}

int
yaml_get_list(struct yaml_file *y, const char *key, struct ynode *node,
              struct located **out, size_t *len)
{
    *len = 0;
    if (is_null(node))
        return 0;
    if (!node || node->kind != YNODE_LIST) {
        yaml_error(y, node, "%s: expected a list such as [a, b], got %s", key,
                   yaml_shown(y, node));
        return -1;
    }
    size_t n = node->nitems;
    *out = arena_alloc(y->a, (n ? n : 1) * sizeof **out);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct ynode *item = node->items[i];
        if (item->kind != YNODE_SCALAR || is_null(item)) {
            yaml_error(y, item, "%s: each item must be text, got %s", key,
                       yaml_shown(y, item));
            rc = -1;
            continue;
        }
        (*out)[(*len)++] = yaml_locate(y, item);
    }
    return rc;
}

/* True for a plain scalar that YAML reads as a number or a boolean, not
 * as text: "3", "-1.5e3", "true", "no". */
static bool
is_typed(struct ynode *node)
{
    static const char *const words[] = { "true", "True", "TRUE", "false",
                                         "False", "FALSE", "yes", "Yes",
                                         "YES", "no", "No", "NO", "on",
                                         "On", "ON", "off", "Off", "OFF" };
    if (!node->plain)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(node->text, words[i]))
            return true;
    const char *p = node->text + (*node->text == '-' || *node->text == '+');
    size_t whole = strspn(p, "0123456789");
    p += whole;
    size_t part = *p == '.' ? strspn(p + 1, "0123456789") : 0;
    if (*p == '.')
        p += 1 + part;
    if (!whole && !part)
        return false;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '-' || p[1] == '+');
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return false;
        p += exp;
    }
    return !*p;
}

int
yaml_get_texts(struct yaml_file *y, const char *key, struct ynode *node,
               struct located **out, size_t *len)
{
    if (!node || node->kind != YNODE_SCALAR || is_null(node) ||
        is_typed(node))
        return yaml_get_list(y, key, node, out, len);
    *out = arena_alloc(y->a, sizeof **out);
    (*out)[0] = yaml_locate(y, node);
    *len = 1;
    return 0;
}

void
yaml_params_add(struct arena *a, struct param *map, const char *key,
                struct param *value)
{
    size_t cap = map->cap;
    map->keys = arena_grow(a, map->keys, sizeof *map->keys, &cap,
                           map->len + 1);
    map->items = arena_grow(a, map->items, sizeof *map->items, &map->cap,
                            map->len + 1);
    map->keys[map->len] = key;
    map->items[map->len++] = value;
}

/* Fills p from node alone; its children's params are allocated (empty) and
 * pushed on todo with their nodes, to be filled in turn. */
static void
param_fill(struct yaml_file *y, struct param *p, struct ynode *node,
           struct vec *todo)
{
    if (node->kind == YNODE_SCALAR) {
        p->kind = PARAM_SCALAR;
        p->text = is_null(node) ? NULL
                                : arena_strndup(y->a, node->text, node->len);
        return;
    }
    bool map = node->kind == YNODE_MAP;
    p->kind = map ? PARAM_MAP : PARAM_LIST;
    size_t step = map ? 2 : 1, n = node->nitems / step;
    p->items = arena_alloc(y->a, (n ? n : 1) * sizeof *p->items);
    p->keys = map ? arena_alloc(y->a, (n ? n : 1) * sizeof *p->keys) : NULL;
    p->cap = n;
    for (size_t i = 0; i + step - 1 < node->nitems; i += step) {
        struct ynode *k = map ? node->items[i] : NULL;
        struct ynode *v = node->items[i + step - 1];
        if (k && k->kind != YNODE_SCALAR)
            continue; /* a mapping as a key: no template could use it */
        struct param *child = arena_alloc(y->a, sizeof *child);
        if (k)
            p->keys[p->len] = arena_strndup(y->a, k->text, k->len);
        p->items[p->len++] = child;
        vec_push(todo, child);
        vec_push(todo, v);
    }
}

/* With a worklist, not recursion: depth is bounded by limits.yaml_depth,
 * but nothing here should need to know that. */
struct param *
yaml_to_param(struct yaml_file *y, struct ynode *node)
{
    struct param *top = arena_alloc(y->a, sizeof *top);
    if (!node) {
        top->kind = PARAM_SCALAR;
        return top;
    }
    struct vec todo = { 0 };
    vec_push(&todo, top);
    vec_push(&todo, node);
    while (todo.len) {
        struct ynode *n = todo.items[--todo.len];
        struct param *p = todo.items[--todo.len];
        param_fill(y, p, n, &todo);
    }
    vec_dispose(&todo);
    return top;
}
