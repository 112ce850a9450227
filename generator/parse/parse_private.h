/* parse_private.h: what the files of parse/ share: document.c (a file with
 * front matter), frontmatter.c (the cut), yaml.c (YAML from libyaml's
 * events, typed reads of its nodes), markdown.c with its cmark-gfm extensions (tagging.c, code.c).
 * Never included from outside. */
#ifndef GZ_PARSE_PRIVATE_H
#define GZ_PARSE_PRIVATE_H

#include "parse.h"
#include "../base/base.h"

/* Reports the first invalid UTF-8 byte (or NUL) of in as a DIAG_CONTENT
 * and returns -1; 0 when the file is valid. */
int document_check_utf8(const struct source_file *in, struct diags *d);

/* A file over limits.post_mib (too_big: never read) is a DIAG_CONTENT
 * giving its size; returns -1 then, 0 when the file was read. */
int document_check_size(const struct source_file *in,
                        const struct site_limits *limits, struct diags *d);

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
 * one, or TOML front matter (a first line +++, which is never read as
 * text), is a DIAG_CONTENT at 1:1; returns -1 then. */
int frontmatter_split(struct split *out, const char *path, const char *data,
                      size_t len, struct diags *d);

/* A YAML node, built by yaml.c from libyaml's events: a scalar (text), a
 * list, or a mapping whose items are key, value, key, value... Positions
 * are in the file (1-based). Lives in its yaml_file's tree. */
enum ynode_kind { YNODE_SCALAR, YNODE_LIST, YNODE_MAP };
struct ynode {
    enum ynode_kind kind;
    bool plain;          /* a scalar written without quotes */
    unsigned line, col;
    const char *text;    /* YNODE_SCALAR, NUL-terminated (never holds one) */
    size_t len;
    struct ynode **items;
    size_t nitems, cap;
};

/* A loaded YAML document and what its errors need. */
struct yaml_file {
    struct ynode *root;   /* NULL when empty or not loaded */
    struct arena *tree;   /* the nodes; freed by yaml_file_dispose */
    const char *path;
    unsigned line0;       /* file line of the YAML's first line */
    struct arena *a;      /* where typed reads copy what they return */
    struct diags *d;
    int errors;           /* DIAG_CONTENT added so far */
    struct ynode *key;    /* in a yaml_field_fn: the key of its field */
};

/* Loads the first document of text; syntax errors are reported with file
 * positions. An anchor or alias, a NUL in a scalar ("\0") or nesting
 * deeper than max_depth collections stops the load with an error at its
 * position. The root must be a mapping (or empty). Returns 0 or -1; call
 * yaml_file_dispose in both cases. */
int yaml_file_load(struct yaml_file *y, const char *path, const char *text,
                   size_t len, unsigned line0, unsigned max_depth,
                   struct arena *a, struct diags *d);
void yaml_file_dispose(struct yaml_file *y);

/* Calls fn for each key/value of the root mapping; duplicate keys are
 * reported. fn returns nothing: it reports its own errors via yaml_error. */
typedef void (*yaml_field_fn)(struct yaml_file *y, const char *key,
                              struct ynode *value, void *payload);
void yaml_file_fields(struct yaml_file *y, yaml_field_fn fn, void *payload);

/* Reports a DIAG_CONTENT at node (which may be NULL: 1:1 of the YAML). */
void yaml_error(struct yaml_file *y, struct ynode *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* node for messages: "\"text\"" (cut at 60 bytes), "a list", ... */
const char *yaml_shown(struct yaml_file *y, struct ynode *node);

/* Typed reads. Each reports "<key>: expected ..., got ..." and returns -1
 * when node is not of the wanted kind. Strings are copied into y->a. */
int yaml_get_string(struct yaml_file *y, const char *key, struct ynode *node,
                    const char **out);
int yaml_get_bool(struct yaml_file *y, const char *key, struct ynode *node,
                  bool *out);
int yaml_get_long(struct yaml_file *y, const char *key, struct ynode *node,
                  long *out);
int yaml_get_timestamp(struct yaml_file *y, const char *key,
                       struct ynode *node, struct timestamp *out);
int yaml_get_list(struct yaml_file *y, const char *key, struct ynode *node,
                  struct located **out, size_t *len);
/* As yaml_get_list, and a single text (not a number, a boolean or null)
 * is a list of one: `tags: foo` means `tags: [foo]`. */
int yaml_get_texts(struct yaml_file *y, const char *key, struct ynode *node,
                   struct located **out, size_t *len);
struct located yaml_locate(struct yaml_file *y, struct ynode *node);
struct param *yaml_to_param(struct yaml_file *y, struct ynode *node);
/* Adds key = value to a PARAM_MAP. */
void yaml_params_add(struct arena *a, struct param *map, const char *key,
                   struct param *value);

/* The `hashtags:` of each channel (see struct site_config). */
struct channel_hashtag {
    const char *channel;
    enum hashtag_source mode;
};
struct channel_hashtags {
    struct arena *a; /* the settings' */
    struct channel_hashtag *items;
    size_t len, cap;
};

/* Reads a `hashtags:` value (text or front_matter) into *out; returns -1,
 * reported, for any other. */
int config_hashtags(struct yaml_file *y, struct ynode *v,
                    enum hashtag_source *out);
/* Records a channel's own setting (HASHTAGS_UNSET: the site's). */
void config_record_hashtags(const struct site_config *cfg,
                            const char *channel, enum hashtag_source mode);
/* The setting that applies to a post of the channel's folder (NULL: one
 * directly under content/, which follows the site). */
enum hashtag_source config_hashtags_of(const struct site_config *cfg,
                                       const char *channel);
/* The site's channel named name[0..n), ASCII case aside (Telegram's
 * usernames ignore case), as its folder is named; NULL when there is none.
 * Knows the channels parse_channel has read. */
const char *config_channel_named(const struct site_config *cfg,
                                 const char *name, size_t n);

/* Markdown rendered to HTML, with what titles and summaries need. */
struct markdown {
    const char *html;
    struct tag_use *tags;        /* the hashtags of the text, in order */
    size_t ntags;
    const char *first_line;      /* plain text of the first text line */
    const char *summary_html;    /* what precedes <!--more-->, else the
                                    first paragraph, rendered */
    const char *summary_text;    /* its plain text */
    struct anchors anchors;      /* of html (and summary_html) */
    struct toc_entry *toc;       /* its headings */
    size_t ntoc;
};

/* The hashtag node type: registered once by parse_init, which hands in the
 * model's builder of tag URLs. */
void tagging_init(parse_tag_url_fn tag_url);

/* The lines of a post's Markdown body, their offsets made once, when
 * first asked for (markdown.c). */
struct lines {
    const char *text;
    size_t len;
    struct vec starts;
};

/* Where line line (1-based) of the text starts, and its width in bytes;
 * false when there is no such line. */
bool line_span(struct lines *l, unsigned line, size_t *start, size_t *width);

/* The allocator of a post's cmark tree (markdown.c): a node made for the
 * tree must come from it too, as cmark inserts no node from another. */
struct cmark_mem;
struct cmark_mem *markdown_mem(void);

/* Finds the hashtags, mentions, URLs and e-mail addresses of the text in
 * doc (a cmark document of body) and links them as Telegram does, each
 * hashtag as a node that renders as a link to its tag page, and fills
 * out->tags (hashtags false: leaves hashtags as text). body_line is the
 * file line of the body's first line. */
struct cmark_node;
void tagging_mark(struct markdown *out, struct cmark_node *doc,
                  struct lines *body, unsigned body_line,
                  const struct site_config *cfg, bool hashtags,
                  struct arena *a);

/* spans.c: <u> and <tg-spoiler> pairs in Markdown, rendered even with raw
 * HTML off. spans_init registers the node type (once, before any parse). */
void spans_init(void);
void spans_mark(struct cmark_node *doc);

/* The highlighted code block node type: registered once by parse_init. */
void code_init(void);

/* Replaces each fenced code block that names a language with a node that
 * renders it highlighted (see code.c). */
void code_blocks_mark(struct cmark_node *doc, struct arena *a);

/* Registers cmark-gfm's extensions and ours (see parse_init). */
void markdown_init(parse_tag_url_fn tag_url);

/* Renders body (file line body_line on) of the file at path into out, in
 * arena a: headings with ids (and a link to each, "#"), links and images
 * recorded in out->anchors (relative paths resolved against path's
 * folder), hashtags made links and listed unless hashtags is false (then
 * they are plain text), Kramdown attribute lists left out. With
 * unsafe_html, raw HTML that could run a script (an event handler, a
 * javascript: URL) gets one DIAG_WARNING per file; so does another
 * generator's template syntax ("{{< x >}}", "{% x %}") outside code.
 * Returns 0. */
int markdown_render(struct markdown *out, const char *path,
                    const char *body, size_t len, unsigned body_line,
                    const struct site_config *cfg, bool hashtags,
                    struct arena *a, struct diags *d);

/* Reads a Markdown file with front matter (a post or an _index.md): checks
 * its size and UTF-8, hands each front matter field to fn (unless the front
 * matter is over limits.front_matter_kib) and renders the body into md,
 * whose HTML must stay within limits.page_mib. *hashtags, as the fields
 * left it (HASHTAGS_UNSET: cfg's), says whether hashtags in the text
 * count. Returns -1 when it reported an error; md is filled as far as the
 * file allowed (its html is "" when the file could not be read at all). */
int document_read(struct markdown *md, const struct source_file *in,
                  yaml_field_fn fn, void *payload,
                  const enum hashtag_source *hashtags,
                  const struct site_config *cfg, struct arena *a,
                  struct diags *d);

/* ---- The cache's side for pool.c (cache.c) ---------------------------- */

/* The digest of all f's parse reads (struct post's digest); with a NULL
 * cache, of the file alone. */
void post_cache_key(const struct post_cache *c, const struct source_file *f,
                    uint64_t out[2]);
/* The head of the record kept under key (the bytes a worker sends after
 * the length, but the body), its length in *len, and where the body lies
 * in *body, body_len bytes (any may be NULL); NULL when there is none.
 * Records added since post_cache_map are not found until it runs again. */
const char *post_cache_find(const struct post_cache *c, const uint64_t key[2],
                            size_t *len, const char **body,
                            size_t *body_len);
/* Adds a record of len bytes under key, its last body_len bytes the
 * body, written to the cache's files at once; false when it could not be
 * (the caller reads it itself). */
bool post_cache_add(struct post_cache *c, const uint64_t key[2],
                    const char *rec, size_t len, size_t body_len);
/* Maps the cache's file with all that was added; -1 with errno. */
int post_cache_map(struct post_cache *c);

#endif
