/* parse.h: the second stage. Turns source files into plain data: the site
 * settings (site.yaml), channels (_index.md) and posts (front matter with
 * libyaml, Markdown with cmark-gfm). Only this stage sees those libraries. */
#ifndef GZ_PARSE_H
#define GZ_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../source/source.h"

struct arena;
struct diags;

/* A front matter or settings field this program does not know, kept for
 * templates as `params`: a scalar (text), a list or a map (keys). */
enum param_kind { PARAM_SCALAR, PARAM_LIST, PARAM_MAP };
struct param {
    enum param_kind kind;
    const char *text;        /* PARAM_SCALAR */
    const char **keys;       /* PARAM_MAP, parallel to items */
    struct param **items;    /* PARAM_LIST, PARAM_MAP */
    size_t len, cap;
};

/* A string with where it was written, for errors found in later stages. */
struct located {
    const char *text;
    unsigned line, col;
};

/* A tag of a post: a #hashtag in its text or an entry of its front matter
 * `tags`. name is as written (no '#', no "@channel"); slug is its
 * identity: NFC, case-folded, safe as one URL segment and file name. */
struct tag_use {
    const char *name;
    const char *slug;
    unsigned line, col;
};

/* A link or image of a Markdown text (a post's body, a channel's about
 * text), for the stages after parse: render writes a link to another post's
 * file (`other.md`, `../travel/trip.md#day-2`) with that post's URL, and
 * `gazette check` checks every local destination. */
enum link_kind {
    LINK_OTHER,    /* with a scheme (https:, mailto:), "//host/...", or
                      nothing but a query ("?q") or nothing at all */
    LINK_FRAGMENT, /* "#id" alone: a place in the same page */
    LINK_ROOTED,   /* "/news/x/": a path on the site's host */
    LINK_RELATIVE, /* "pic.png", "../travel/trip.md#day-2" */
};
struct link_use {
    const char *url;      /* the destination as cmark-gfm read it (entities
                             and backslash escapes decoded) */
    enum link_kind kind;
    const char *path;     /* LINK_RELATIVE: the repository path it names
                             (see parse_relative_path, from the file's
                             path); NULL when it climbs out of the
                             repository */
    const char *fragment; /* what follows '#', as written; NULL if none */
    unsigned line, col;   /* of its '[' (or '!') in the file */
    bool image;
    bool to_post;         /* a link to a relative path ending in ".md"
                             or ".markdown" */
    /* to_post: its href value (escaped) is html[at .. at + len) of the
     * text's HTML and summary[summary_at .. summary_at + len) of the
     * post's summary_html (summary_at is SIZE_MAX when it is not there). */
    size_t at, len, summary_at;
};

/* What links into and out of a Markdown text's HTML: its links and images
 * in document order, and the id of every element in it (headings,
 * footnotes, raw HTML), entities decoded, for #fragment links. */
struct anchors {
    struct link_use *links;
    size_t nlinks;
    size_t nto_post; /* links with to_post: most texts have none, and the
                        model, digest and check then never read links */
    bool relative;   /* some link is LINK_RELATIVE */
    const char **ids;
    size_t nids;
};

/* Bounds on what one input may cost; site.yaml's `limits:` changes them. */
struct site_limits {
    size_t front_matter_bytes; /* 64 KiB */
    size_t post_bytes;         /* 8 MiB: a larger file is never read */
    size_t page_bytes;         /* 16 MiB of HTML for one page */
    unsigned yaml_depth;       /* 64 levels of nesting */
    unsigned parse_seconds;    /* CPU time for one post's Markdown */
    size_t parse_memory;       /* bytes a parse worker may use */
};
#define PARSE_POST_BYTES_DEFAULT ((size_t)8 << 20)

/* `permalinks:` in site.yaml: a URL pattern for one channel's posts, of
 * literal segments and :year :month :day :slug :channel. As parse_config
 * checks it: it starts and ends with '/', has no empty, "." or ".."
 * segment, and besides the tokens holds only letters, digits and "-._~";
 * a token may share a segment with literal text ("/:year-:month/"): each
 * is ':' and its name, and no other ':' is allowed. */
struct permalink {
    const char *channel;
    struct located pattern;
};

/* Where hashtags come from (`hashtags:` in site.yaml or a channel's
 * _index.md). */
enum hashtag_source {
    HASHTAGS_UNSET,       /* a channel that follows the site */
    HASHTAGS_TEXT,        /* the text and `tags:` (the default) */
    HASHTAGS_FRONT_MATTER /* only `tags:` */
};

/* A heading of a post, for its table of contents. */
struct toc_entry {
    int level;        /* 1 to 6 */
    const char *id;   /* its id attribute */
    const char *text; /* plain text, as shown */
};

struct site_config {
    const char *path;        /* "site.yaml", or NULL when there is none */
    const char *title, *description, *language, *theme, *author;
    struct located theme_at; /* where site.yaml sets theme; line 0: not */
    const char *base_url;    /* absolute, ends in '/' */
    const char *base_path;   /* the path part of base_url: "/" or "/site/" */
    long per_page;           /* posts per list page, >= 1 */
    long feed_size;          /* posts per feed, >= 1 (default 20) */
    const char *cname;       /* the host name of a CNAME file for GitHub
                                Pages (`cname:`), or NULL */
    bool unsafe_html;        /* pass raw HTML in Markdown through */
    struct permalink *permalinks; /* by channel; none: the file's path */
    size_t npermalinks;
    enum hashtag_source hashtags; /* never HASHTAGS_UNSET */
    /* Each channel's own `hashtags:`, recorded by parse_channel for the
     * posts parsed after it (a post follows its folder's channel); made
     * by parse_config, in its arena. */
    struct channel_hashtags *channel_hashtags;
    struct site_limits limits;
    struct param *params;    /* unknown keys, a PARAM_MAP */
};

struct post {
    const char *path;        /* source path, e.g. "content/astro/ngc.md" */
    const char *folder;      /* its channel folder; NULL directly under
                                content/ */
    const char *slug;        /* last part of its URL */
    struct located slug_at;  /* where slug was given (line 0 if derived) */
    const char *title;       /* given, or derived from the first line */
    bool title_given;        /* title: set in the front matter (a post
                                without one shows its text, no heading) */
    struct timestamp date, updated; /* from front matter, else git/mtime */
    struct located date_at;  /* where date was given (line 0 if not) */
    struct located *channels; /* as given in front matter */
    size_t nchannels;         /* 0: not given */
    struct tag_use *tags;     /* hashtags in the text, in order, then the
                                 front matter's tags; repeats kept */
    size_t ntags;
    bool draft;
    const char *lang;        /* NULL: the channel's, else the site's */
    const char *summary_html; /* `summary:` or `description:` (escaped, as
                                 a paragraph), else the text before
                                 <!--more--> or the first paragraph */
    const char *description; /* `description:`, else the plain text of the
                                summary, for meta tags */
    const char *body_html;
    /* body_html (summary_html) reads the same from every page: no URL in
     * it is relative or a #fragment alone (html_urls_anywhere), so render
     * shows it as it is. */
    bool body_anywhere, summary_anywhere;
    struct anchors anchors;  /* of body_html (and summary_html) */
    struct param *params;    /* unknown fields, a PARAM_MAP */
    struct located *unknown; /* the keys of the fields gazette does not
                                know (not even as params that templates or
                                feeds read), with where each is written */
    size_t nunknown;
    struct located url;      /* `url:` (Jekyll's `permalink:`): the post's
                                own URL path; text NULL when not given */
    struct located *aliases; /* `aliases:` and `redirect_from:`: old URL
                                paths that redirect to the post */
    size_t naliases;
    /* Each URL path above is as written, checked: it starts with '/' and
     * has no empty, "." or ".." segment, no '?', '#', '%', '\\', quote,
     * '<', '>', '`', space or control character. */
    const char *author;      /* `author:` (a list: its names joined by
                                ", "), or NULL */
    struct toc_entry *toc;   /* its headings, in order */
    size_t ntoc;
    uint64_t digest[2];      /* of all its parse read (see parse_posts):
                                equal digests, equal posts */
    uint64_t listed[2];      /* of what a list shows of it (its title,
                                date, summary and its links): a list is
                                made again when this changes, not when
                                only the rest of its body does */
};

struct channel {
    const char *name;        /* its folder under content/ */
    const char *path;        /* "content/<name>/_index.md" or NULL */
    const char *title, *description, *lang;
    const char *about_html;  /* the _index.md body, may be "" */
    struct anchors anchors;  /* of about_html */
    struct param *params;
    struct located *unknown; /* as in struct post */
    size_t nunknown;
    enum hashtag_source hashtags; /* HASHTAGS_UNSET: the site's */
    uint64_t digest[2];      /* of its _index file (path and blob id) */
};

/* Fills out from site.yaml (in may be NULL: defaults), `limits:` too.
 * Bad values are DIAG_CONTENT at path:line:col; returns -1 then, with
 * defaults in place. site.yaml itself is read under the default limits. */
int parse_config(struct site_config *out, const struct source_file *in,
                 struct arena *a, struct diags *d);

/* Parses one post. Dates left unset in the front matter are taken from a
 * name such as "2024-03-01-slug.md" (Jekyll's, midnight UTC; it gives the
 * slug too, and ".markdown" is a Markdown file as ".md" is), else from git
 * (created/updated) or the file's mtime. Hugo's and Jekyll's field names
 * are read too (lastmod, permalink, redirect_from); a first line "+++"
 * (TOML front matter) is an error. Its folder's channel decides whether
 * hashtags in the text count (see cfg->channel_hashtags). Headings get ids
 * (GitHub's rules; "{#id}" at the end of a heading's text, or Kramdown's
 * "{: #id}", sets one, and is never a hashtag) and a link to themselves,
 * and are listed in out->toc; Kramdown's attribute lists are left out;
 * "<!--more-->" ends the summary; links and images are recorded in
 * out->anchors. Every problem in the post is reported; returns -1 if any
 * was an error (the post must be skipped).
 * cfg->limits bound it: a file source/ did not read (too_big), front
 * matter over its size or nesting depth, HTML over page_bytes are errors.
 * YAML anchors and aliases are errors; link, canonical and image must be
 * http(s), mailto or relative URLs; with unsafe_html, raw HTML with an
 * event handler or a javascript: URL gets one DIAG_WARNING, and so does
 * another generator's template syntax ("{{< x >}}", "{% x %}") outside
 * code. */
int parse_post(struct post *out, const struct source_file *in,
               const struct site_config *cfg, struct arena *a,
               struct diags *d);

/* Parsed posts kept between builds (cache.c), in two files of a cache
 * folder: each post's parse (and what it reported) under a digest of all
 * the parse reads: the file's path, blob id, git dates and author (its
 * mtime when it has no history), the settings that bear on posts, and
 * this very program. */
struct post_cache;

/* Opens the cache kept in folder dir_fd for posts parsed under cfg, whose
 * site.yaml has blob id settings_blob (NULL: none). Never fails: a cache
 * that cannot be read starts empty; dir_fd -1, or one that cannot be
 * written, keeps nothing for the next build. */
struct post_cache *post_cache_open(int dir_fd, const struct site_config *cfg,
                                   const char *settings_blob);
/* Records what this build used for the next one (what it did not use is
 * dropped) and frees c: the posts parse_posts took from it die with it. */
void post_cache_close(struct post_cache *c);

/* A parse worker started now, before the build knows what it will parse
 * (NULL when workers are forked, or it could not be started): for
 * parse_posts, which gives it the first share, if any; then
 * parse_prestart_end, which ends it if it was given none. */
struct parse_prestart;
struct parse_prestart *parse_prestart(void);
void parse_prestart_end(struct parse_prestart *p);

/* How parse_posts reads the bytes of a file it must parse that are not
 * read yet (source_load): a file whose parse the cache has is not read. */
struct parse_source {
    int (*load)(struct source_file *f, void *payload); /* 0, or -1 */
    void *payload;
};

/* Parses files[0..n) as parse_post does, in jobs worker processes (so in
 * parallel), each post bounded by cfg->limits: past parse_seconds of CPU
 * or parse_memory, or when its worker crashes, a post is a DIAG_CONTENT
 * naming it and the other posts are parsed all the same. Fills out[i] (in
 * a) and status[i] (0, or -1 for a post to skip); returns -1 if any post
 * failed. With a cache (else NULL), a post found there is taken from it
 * with what its parse reported, as it was, and a parsed one is added; the
 * posts then live until post_cache_close. Each post's digest is set.
 * An unread file to parse is read through from (NULL: none is unread).
 * pre (may be NULL) is given the first share. Workers that cannot be
 * started afresh are forked: no other thread of
 * the caller's may be running (one holding a lock, a sanitizer's
 * allocator's, leaves it held in the worker), but progress.h's. */
int parse_posts(struct post *out, int *status,
                const struct source_file *const *files, size_t n,
                const struct parse_source *from,
                const struct site_config *cfg, struct post_cache *cache,
                struct parse_prestart *pre, int jobs, struct arena *a,
                struct diags *d);

/* Parses content/<name>/_index.md (in may be NULL: a channel folder without
 * one gets its name as title). Its `hashtags:` is recorded in
 * cfg->channel_hashtags: parse a site's channels before its posts. Returns
 * -1 on errors. */
int parse_channel(struct channel *out, const char *name,
                  const struct source_file *in, const struct site_config *cfg,
                  struct arena *a, struct diags *d);

/* Sets cfg's base_url and base_path from url (as --base-url gives it).
 * Returns -1, changing nothing, when url is not an absolute URL. */
int parse_base_url(struct site_config *cfg, const char *url,
                   struct arena *a);

/* The URL path, below the base path, of a tag's site-wide page: the model
 * owns every URL (model_tag_url) and parse links hashtags through it. */
typedef const char *(*parse_tag_url_fn)(struct arena *a, const char *slug);

/* Registers cmark-gfm's extensions and the tag URL builder; call before
 * any parse, before threads start. */
void parse_init(parse_tag_url_fn tag_url);

/* A parse worker (pool.c): parse_posts starts one as `PROGRAM
 * parse-worker PID` with its job on stdin and its share on fd 3, and
 * reads the parsed posts from its stdout; PROGRAM calls parse_worker with argv from
 * the command on, after parse_init. It exits the process when the job is
 * sound, else returns an exit status. Until parse_start_workers_as names
 * such a program (gazette: /proc/self/exe), workers are forked, and a
 * fork costs the build a fault on each page it writes afterwards. */
#define PARSE_WORKER_COMMAND "parse-worker"
int parse_worker(int argc, char **argv);
void parse_start_workers_as(const char *program);

/* The slug of a tag name (see struct tag_use): folded, characters that
 * cannot be in a hashtag replaced by '-', long ones shortened with a hash
 * suffix so that every slug fits a file name. NULL when nothing is left. */
const char *parse_tag_slug(struct arena *a, const char *name, size_t len);

/* s[0..len) with each %XX decoded, in a; NULL when that gives a NUL. */
char *parse_url_decode(struct arena *a, const char *s, size_t len);

/* The path that ref[0..len), a relative URL path, names from the file at
 * from (a '/'-separated path, e.g. "content/news/a.md"): %XX decoded,
 * joined to from's folder, without "." and ".." segments or empty ones (a
 * trailing '/' kept: "content/travel/"). NULL when ".." climbs above the
 * root of from, or the path decodes to a NUL. In a. */
const char *parse_relative_path(struct arena *a, const char *from,
                                const char *ref, size_t len);

/* Parses a YAML 1.1 timestamp ("2024-03-01", "2024-03-01 10:00:00 +3",
 * "2024-03-01T10:00:00.5Z"). Returns 0, or -1 when text is not one. */
int parse_timestamp(struct timestamp *out, const char *text);

#endif
