/* yaml.c: loads YAML with libyaml and reads its nodes as typed values, each
 * error at its file:line:col. Part of parse/: front matter, _index.md and
 * site.yaml are all read through here. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
yaml_error(struct yaml_file *y, yaml_node_t *node, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    unsigned line = y->line0, col = 1;
    if (node) {
        line = y->line0 + (unsigned)node->start_mark.line;
        col = (unsigned)node->start_mark.column + 1;
    }
    diags_add(y->d, DIAG_CONTENT, y->path, line, col, "%s", msg.data);
    buf_dispose(&msg);
    y->errors++;
}

int
yaml_file_load(struct yaml_file *y, const char *path, const char *text,
               size_t len, unsigned line0, struct arena *a, struct diags *d)
{
    memset(y, 0, sizeof *y);
    y->path = path;
    y->line0 = line0;
    y->a = a;
    y->d = d;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = 0;
    if (!yaml_parser_load(&parser, &y->doc)) {
        unsigned line = line0 + (unsigned)parser.problem_mark.line;
        unsigned col = (unsigned)parser.problem_mark.column + 1;
        /* The context ("while parsing a flow sequence") says where the
         * construct that failed began: often the real mistake. */
        if (parser.context)
            diags_add(d, DIAG_CONTENT, path, line, col,
                      "invalid YAML: %s %s started at line %u, column %u",
                      parser.problem ? parser.problem : "syntax error",
                      parser.context,
                      line0 + (unsigned)parser.context_mark.line,
                      (unsigned)parser.context_mark.column + 1);
        else
            diags_add(d, DIAG_CONTENT, path, line, col, "invalid YAML: %s",
                      parser.problem ? parser.problem : "syntax error");
        y->errors++;
        rc = -1;
    } else {
        y->loaded = true;
        yaml_node_t *root = yaml_document_get_root_node(&y->doc);
        if (root && root->type != YAML_MAPPING_NODE &&
            !(root->type == YAML_SCALAR_NODE &&
              root->data.scalar.length == 0)) {
            yaml_error(y, root, "expected a mapping of fields (key: value)");
            rc = -1;
        }
    }
    yaml_parser_delete(&parser);
    return rc;
}

void
yaml_file_dispose(struct yaml_file *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = false;
}

void
yaml_file_fields(struct yaml_file *y, yaml_field_fn fn, void *payload)
{
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return;
    struct map *seen = map_new();
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE) {
            yaml_error(y, k, "a field name must be plain text");
            continue;
        }
        const char *key = arena_strndup(y->a, (const char *)k->data.scalar.value,
                                        k->data.scalar.length);
        if (map_put(seen, key, (void *)key)) {
            yaml_error(y, k, "field \"%s\" is given twice", key);
            continue;
        }
        fn(y, key, v, payload);
    }
    map_free(seen);
}

/* A scalar's text, quoting it for messages. */
static const char *
shown(struct yaml_file *y, yaml_node_t *node)
{
    if (!node)
        return "nothing";
    if (node->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (node->type == YAML_SEQUENCE_NODE)
        return "a list";
    size_t n = node->data.scalar.length;
    const char *s = (const char *)node->data.scalar.value;
    return arena_printf(y->a, "\"%.*s%s\"", (int)(n > 60 ? 60 : n), s,
                        n > 60 ? "..." : "");
}

static bool
is_plain(yaml_node_t *node)
{
    return node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool
is_null(yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE || !is_plain(node))
        return false;
    const char *s = (const char *)node->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
           !strcmp(s, "Null") || !strcmp(s, "NULL");
}

int
yaml_get_string(struct yaml_file *y, const char *key, yaml_node_t *node,
                const char **out)
{
    if (!node || node->type != YAML_SCALAR_NODE) {
        yaml_error(y, node, "%s: expected text, got %s", key, shown(y, node));
        return -1;
    }
    *out = is_null(node) ? NULL
                         : arena_strndup(y->a,
                                         (const char *)node->data.scalar.value,
                                         node->data.scalar.length);
    return 0;
}

int
yaml_get_bool(struct yaml_file *y, const char *key, yaml_node_t *node,
              bool *out)
{
    static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES",
                                 "on", "On", "ON" };
    static const char *no[] = { "false", "False", "FALSE", "no", "No", "NO",
                                "off", "Off", "OFF" };
    if (node && node->type == YAML_SCALAR_NODE && is_plain(node)) {
        const char *s = (const char *)node->data.scalar.value;
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (!strcmp(s, yes[i]))
                return *out = true, 0;
            if (!strcmp(s, no[i]))
                return *out = false, 0;
        }
    }
    yaml_error(y, node, "%s: expected true or false, got %s", key,
               shown(y, node));
    return -1;
}

int
yaml_get_long(struct yaml_file *y, const char *key, yaml_node_t *node,
              long *out)
{
    if (node && node->type == YAML_SCALAR_NODE && is_plain(node)) {
        const char *s = (const char *)node->data.scalar.value;
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (*s && !*end && errno == 0)
            return *out = v, 0;
    }
    yaml_error(y, node, "%s: expected a whole number, got %s", key,
               shown(y, node));
    return -1;
}

int
yaml_get_timestamp(struct yaml_file *y, const char *key, yaml_node_t *node,
                   struct timestamp *out)
{
    if (node && node->type == YAML_SCALAR_NODE &&
        parse_timestamp(out, (const char *)node->data.scalar.value) == 0)
        return 0;
    yaml_error(y, node, "%s: expected a timestamp such as 2024-03-01 or "
               "2024-03-01T10:00:00+02:00, got %s", key, shown(y, node));
    return -1;
}

struct located
yaml_locate(struct yaml_file *y, yaml_node_t *node)
{
    struct located l = { NULL, y->line0, 1 };
    if (node) {
        l.line = y->line0 + (unsigned)node->start_mark.line;
        l.col = (unsigned)node->start_mark.column + 1;
        if (node->type == YAML_SCALAR_NODE)
            l.text = arena_strndup(y->a, (const char *)node->data.scalar.value,
                                   node->data.scalar.length);
    }
    return l;
}

int
yaml_get_list(struct yaml_file *y, const char *key, yaml_node_t *node,
              struct located **out, size_t *len)
{
    *len = 0;
    if (is_null(node))
        return 0;
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        yaml_error(y, node, "%s: expected a list such as [a, b], got %s", key,
                   shown(y, node));
        return -1;
    }
    size_t n = (size_t)(node->data.sequence.items.top -
                        node->data.sequence.items.start);
    *out = arena_alloc(y->a, (n ? n : 1) * sizeof **out);
    *len = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(
            &y->doc, node->data.sequence.items.start[i]);
        if (!item || item->type != YAML_SCALAR_NODE || is_null(item)) {
            yaml_error(y, item ? item : node,
                       "%s: each item must be text, got %s", key,
                       shown(y, item));
            rc = -1;
            continue;
        }
        (*out)[(*len)++] = yaml_locate(y, item);
    }
    return rc;
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

struct param *
yaml_to_param(struct yaml_file *y, yaml_node_t *node)
{
    struct param *p = arena_alloc(y->a, sizeof *p);
    if (!node || node->type == YAML_SCALAR_NODE) {
        p->kind = PARAM_SCALAR;
        p->text = node && !is_null(node)
                      ? arena_strndup(y->a,
                                      (const char *)node->data.scalar.value,
                                      node->data.scalar.length)
                      : NULL;
    } else if (node->type == YAML_SEQUENCE_NODE) {
        p->kind = PARAM_LIST;
        size_t n = (size_t)(node->data.sequence.items.top -
                            node->data.sequence.items.start);
        p->items = arena_alloc(y->a, (n ? n : 1) * sizeof *p->items);
        for (size_t i = 0; i < n; i++)
            p->items[p->len++] = yaml_to_param(
                y, yaml_document_get_node(&y->doc,
                                          node->data.sequence.items.start[i]));
    } else {
        p->kind = PARAM_MAP;
        for (yaml_node_pair_t *q = node->data.mapping.pairs.start;
             q < node->data.mapping.pairs.top; q++) {
            yaml_node_t *k = yaml_document_get_node(&y->doc, q->key);
            if (!k || k->type != YAML_SCALAR_NODE)
                continue;
            yaml_params_add(y->a, p,
                          arena_strndup(y->a, (const char *)k->data.scalar.value,
                                        k->data.scalar.length),
                          yaml_to_param(y, yaml_document_get_node(&y->doc,
                                                                  q->value)));
        }
    }
    return p;
}
