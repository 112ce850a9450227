/* mustache_private.h: the compiled form of templates, shared by the
 * compiler (mustache.c) and the renderer (mustache_render.c). Read-only
 * once built. */
#ifndef GZ_MUSTACHE_PRIVATE_H
#define GZ_MUSTACHE_PRIVATE_H

#include "mustache.h"

enum node_kind {
    NODE_TEXT,
    NODE_VAR,
    NODE_SECTION,
    NODE_INVERTED,
    NODE_PARTIAL,
    NODE_PARENT,
    NODE_BLOCK,
};

struct node {
    enum node_kind kind;
    bool escape;     /* NODE_VAR: {{x}}, not {{{x}}} or {{&x}} */
    bool dynamic;    /* partial, parent: str names the value naming it */
    bool standalone; /* partial, parent: alone on its line, so indented */
    bool has_indent; /* block: indent is added to each overriding line */
    const char *str; /* text, or the tag's name */
    size_t len;
    const char *indent; /* partial, parent, block: see the flags above */
    size_t indent_len;
    const struct node *kids; /* section, inverted, block: its content;
                                parent: its argument blocks */
    size_t nkids;
    const char *path; /* where the tag is, for diags while rendering */
    unsigned line, col;
};

struct template {
    char *name;           /* the map's key: lives as long as the set */
    bool defined;         /* false after a failed replacement */
    struct arena *arena;  /* source copy, path copy and every node */
    const struct node *kids;
    size_t nkids;
};

struct mustache_set {
    struct map *by_name; /* name -> struct template */
    struct vec all;      /* every template, to free them */
};

/* The template called name (len bytes), if it compiled; NULL if not. */
const struct template *mustache_find(const struct mustache_set *set,
                                     const char *name, size_t len);

#endif
