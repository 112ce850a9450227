/* parse_private.h: what the files of parse/ share: document.c (a file with
 * front matter), frontmatter.c (the cut), yaml.c (typed reads of YAML
 * nodes), markdown.c with its cmark-gfm extensions (tagging.c, code.c).
 * Never included from outside. */
#ifndef GZ_PARSE_PRIVATE_H
#define GZ_PARSE_PRIVATE_H

#include <yaml.h>

#include "parse.h"

/* Reports the first invalid UTF-8 byte (or NUL) of in as a DIAG_CONTENT
 * and returns -1; 0 when the file is valid. */
int document_check_utf8(const struct source_file *in, struct diags *d);

/* A file cut into its front matter and Markdown body. */
struct split {
    const char *yaml;     /* between the --- lines; NULL when none */
    size_t yaml_len;
    unsigned yaml_line;   /* file line of the YAML's first line */
    const char *body;
    size_t body_len;
    unsigned body_line;   /* file line of the body's first line */
};

/* Cuts data into front matter and body. An opening --- without a closing
 * one is a DIAG_CONTENT at 1:1; returns -1 then. */
int frontmatter_split(struct split *out, const char *path, const char *data,
                      size_t len, struct diags *d);

/* A loaded YAML document and what its errors need. */
struct yaml_file {
    yaml_document_t doc;
    bool loaded;
    const char *path;
    unsigned line0;       /* file line of the YAML's first line */
    struct arena *a;
    struct diags *d;
    int errors;           /* DIAG_CONTENT added so far */
};

/* Loads text as one YAML document; syntax errors are reported with file
 * positions. The root must be a mapping (or empty). Returns 0 or -1; call
 * yaml_file_dispose in both cases. */
int yaml_file_load(struct yaml_file *y, const char *path, const char *text,
                   size_t len, unsigned line0, struct arena *a,
                   struct diags *d);
void yaml_file_dispose(struct yaml_file *y);

/* Calls fn for each key/value of the root mapping; duplicate keys are
 * reported. fn returns nothing: it reports its own errors via yaml_error. */
typedef void (*yaml_field_fn)(struct yaml_file *y, const char *key,
                              yaml_node_t *value, void *payload);
void yaml_file_fields(struct yaml_file *y, yaml_field_fn fn, void *payload);

/* Reports a DIAG_CONTENT at node (which may be NULL: 1:1 of the YAML). */
void yaml_error(struct yaml_file *y, yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Typed reads. Each reports "<key>: expected ..., got ..." and returns -1
 * when node is not of the wanted kind. */
int yaml_get_string(struct yaml_file *y, const char *key, yaml_node_t *node,
                    const char **out);
int yaml_get_bool(struct yaml_file *y, const char *key, yaml_node_t *node,
                  bool *out);
int yaml_get_long(struct yaml_file *y, const char *key, yaml_node_t *node,
                  long *out);
int yaml_get_timestamp(struct yaml_file *y, const char *key,
                       yaml_node_t *node, struct timestamp *out);
int yaml_get_list(struct yaml_file *y, const char *key, yaml_node_t *node,
                  struct located **out, size_t *len);
struct located yaml_locate(struct yaml_file *y, yaml_node_t *node);
struct param *yaml_to_param(struct yaml_file *y, yaml_node_t *node);
/* Adds key = value to a PARAM_MAP. */
void yaml_params_add(struct arena *a, struct param *map, const char *key,
                   struct param *value);

/* Markdown rendered to HTML, with what titles and summaries need. */
struct markdown {
    const char *html;
    struct tag_use *tags;        /* the hashtags of the text, in order */
    size_t ntags;
    const char *first_line;      /* plain text of the first text line */
    const char *summary_html;    /* the first paragraph, rendered */
    const char *summary_text;    /* its plain text */
};

/* The hashtag node type: registered once by parse_init, which hands in the
 * model's builder of tag URLs. */
void tagging_init(parse_tag_url_fn tag_url);

/* Finds the hashtags of the text in doc (a cmark document) and turns each
 * into a hashtag node that renders as a link to its tag page. Fills
 * out->tags. body_line is the file line of the body's first line. */
struct cmark_node;
void tagging_mark(struct markdown *out, struct cmark_node *doc,
                  const char *body, size_t len, unsigned body_line,
                  const struct site_config *cfg, struct arena *a);

/* The highlighted code block node type: registered once by parse_init. */
void code_init(void);

/* Replaces each fenced code block that names a language with a node that
 * renders it highlighted (see code.c). */
void code_blocks_mark(struct cmark_node *doc, struct arena *a);

/* Registers cmark-gfm's extensions and ours (see parse_init). */
void markdown_init(parse_tag_url_fn tag_url);

int markdown_render(struct markdown *out, const char *path,
                    const char *body, size_t len, unsigned body_line,
                    const struct site_config *cfg, struct arena *a,
                    struct diags *d);

/* Reads a Markdown file with front matter (a post or an _index.md): checks
 * its UTF-8, hands each front matter field to fn and renders the body into
 * md. Returns -1 when it reported an error; md is filled as far as the file
 * allowed (its html is "" when the file could not be read at all). */
int document_read(struct markdown *md, const struct source_file *in,
                  yaml_field_fn fn, void *payload,
                  const struct site_config *cfg, struct arena *a,
                  struct diags *d);

#endif
