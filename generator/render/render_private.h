/* render_private.h: shared inside render/: the theme loader, the list of
 * pages, the view builders, URLs, feeds and the sitemap. Never included
 * from outside. */
#ifndef GZ_RENDER_PRIVATE_H
#define GZ_RENDER_PRIVATE_H

#include "../base/base.h"
#include "../mustache/mustache.h"
#include "render.h"

#include <pthread.h>
#include <stdatomic.h>

/* A compiled theme (see render_theme). */
struct theme {
    struct mustache_set *templates;
    struct output assets;
    uint64_t digest[2]; /* of the templates: names and bytes */
};

/* Appends a file to out; path is copied into the arena. */
void output_add(struct output *out, struct arena *a, const char *path,
                char *data, size_t len);
/* The same with bytes that someone else owns (a source file's), which
 * must outlive out: output_dispose leaves them. */
void output_add_shared(struct output *out, struct arena *a, const char *path,
                       const char *data, size_t len);

/* A position in a list of pages: page number (1-based) of total. */
struct pager {
    size_t page, total;
    const char *first_url; /* URL of page 1, below the base path */
};

enum page_kind {
    PAGE_HOME,
    PAGE_CHANNEL,
    PAGE_POST,
    PAGE_NOT_FOUND,
    PAGE_TAGS,
    PAGE_TAG,
};

/* A page of the site, as render.c lists them. */
struct page {
    enum page_kind kind;
    const struct site_channel *channel; /* PAGE_CHANNEL, PAGE_TAG */
    const struct entry *entry;          /* PAGE_POST */
    const struct tag_list *tag;         /* PAGE_TAG */
    struct pager pager;                 /* PAGE_HOME, PAGE_CHANNEL, PAGE_TAG */
    const char *url;                    /* below the base path: "astro/" */
    const char *path;                   /* output file */
};

/* What pages share, read by every page and never changed by one. One a
 * worker, all sharing the same values:
 * - the site's values, the channel menu (one menu with no channel
 *   current, then one for each channel current) and the links to the
 *   site's and each channel's feeds, made before any page;
 * - each post's summary, made by the first page that lists it and read by
 *   every one after (a post is listed on the home page, in its channels,
 *   and in each of its tags, site-wide and in the channel);
 * - each tag's links to its share in each channel, made by the first of
 *   its pages and read by the others, and its link as posts show it. */
struct shared {
    struct value *site;
    struct value *const *menus;         /* 1 + nchannels */
    struct value *const *feeds; /* links to the site's, then each channel's */
    _Atomic(struct value *) *summaries; /* by entry->index; NULL: not yet */
    /* by site_tag->index: the links to the tag's share in each channel,
     * two each (not the page's channel, and the page's); NULL: not yet */
    _Atomic(struct value *) *shares; /* a list */
    /* by site_tag->index: the link to the tag's list of all channels, as
     * each post that has the tag shows it; NULL: not yet */
    _Atomic(struct value *) *tags;
    struct arena *keep; /* the worker's, freed once every page is made */
    struct mustache_memo *memo; /* the worker's, as long as keep */
};

/* The site's values and menus of sh, in arena a (which outlives them). */
void view_share(const struct site *s, struct shared *sh, struct arena *a);

/* The views: each returns the root value a page template receives. */
struct value *view_home(const struct site *s, const struct pager *pg,
                        struct shared *sh, struct arena *a);
struct value *view_channel(const struct site *s, const struct site_channel *c,
                           const struct pager *pg, struct shared *sh,
                           struct arena *a);
struct value *view_post(const struct site *s, const struct entry *e,
                        struct shared *sh, struct arena *a);
struct value *view_not_found(const struct site *s, struct shared *sh,
                             struct arena *a);
/* /tags/: every tag with its count. */
struct value *view_tags(const struct site *s, struct shared *sh,
                        struct arena *a);
/* A tag's posts: site-wide (c == NULL) or in channel c. */
struct value *view_tag(const struct site *s, const struct site_channel *c,
                       const struct tag_list *l, const struct pager *pg,
                       struct shared *sh, struct arena *a);

/* The URL path of page n of a list that starts at first (first itself for
 * n == 1): "astro/" gives "astro/page/2/". */
const char *view_pager_url(struct arena *a, const char *first, size_t n);

/* ---- URLs (urls.c) ---------------------------------------------------- */

/* The href of a URL path below the base path: the base path, then rel
 * percent-encoded (bytes other than unreserved ASCII and '/'), e.g.
 * "/site/c/%D0%BC%D0%B8%D1%80/". An arena string. */
const char *url_href(const struct site *s, const char *rel, struct arena *a);

/* The absolute URL of a path below the base path: base_url, then rel
 * percent-encoded. Without a host in base_url, it is url_href's. */
const char *url_absolute(const struct site *s, const char *rel,
                         struct arena *a);

/* Appends s, a URL as a person wrote it, with the bytes a URL cannot hold
 * (spaces, controls, non-ASCII, "<>\^`{|}) percent-encoded; '%' is kept,
 * so that an encoded URL stays as it is. */
void url_put_escaped(struct buf *out, const char *s);

/* Appends ref[0..len) resolved against base (an absolute URL with no query
 * or fragment) as RFC 3986 resolves references: "img.png", "../x/" and
 * "?q" against the base's path, "/x/" against its host, "//host/x" with
 * its scheme; a fragment alone ("#notes") names a place in the base's
 * page. A ref with a scheme (https:, mailto:) or nothing is appended as
 * it is. Works on the text as it is:
 * base and ref must be in the same form (both plain, or both escaped for
 * an HTML attribute). */
void url_resolve(struct buf *out, const char *base, const char *ref,
                 size_t len);

/* Appends html[0..len) with the URL of every href, src, poster and cite
 * attribute, and each URL of every srcset, resolved against base (an
 * absolute URL, plain text) by url_resolve; all else is copied byte for
 * byte. Comments are copied untouched. */
void url_absolute_html(struct buf *out, const char *html, size_t len,
                       const char *base);

/* Where a text of the site is shown: whose text it is, and where. */
struct text_place {
    const char *path; /* the Markdown file it comes from; NULL: none */
    const char *url;  /* the page it belongs to (a post's, a channel's) */
    bool summary;     /* it is the summary_html (else the body or about) */
    bool away;        /* shown on another page: a list, a later page of
                         a channel, a feed */
    bool anywhere;    /* it has no URL to fill (post.body_anywhere) */
};

/* html, a text of the site (a post's body or summary, a channel's about
 * text) whose anchors are an, with the href of each link to a post's file
 * (link_use.to_post) whose post to[i] names written as that post's href,
 * the link's #fragment kept. A relative reference (href, src, srcset,
 * poster, cite) that names a published file from the text's Markdown file
 * (content/news/img/a.png from content/news/a.md's "img/a.png") becomes
 * that file's href, unless the text, on its own page, reaches it as
 * written (a post's folder); shown away, every other relative reference is
 * resolved against its page, "#fragment" too. The rest as written. html
 * itself when no href changes, else an arena string. */
const char *url_fill_links(const struct site *s, const char *html,
                           const struct anchors *an, struct entry *const *to,
                           const struct text_place *at, struct arena *a);

/* ---- Files and redirects (files.c, redirect.c) ----------------------- */

/* What made an output file, for the error when two would share a path. */
struct origin {
    const char *path;   /* the source file an error about it is reported
                           at; NULL for the site's own pages and files */
    unsigned line, col;
    const char *self;   /* how its own error names it: "this file" */
    const char *name;   /* how another's error names it: "static/a.png";
                           for the site's own files, what its path follows:
                           "the theme's" (assets/style.css) */
    const struct page *page; /* a page of the site: named after it */
};

/* Adds each file the site publishes as it is (site->files), its bytes
 * shared with the source, and its origin at origins[i] for the i-th. */
void files_render(struct output *out, struct origin *origins,
                  const struct site *s, struct arena *a);

/* Adds a redirect page for each alias of each post (at its URL's page
 * path, see model_page_path), and its origin at origins[i] for the i-th.
 * Returns how many. */
size_t redirects_render(struct output *out, struct origin *origins,
                        const struct site *s, struct arena *a);

/* Reports each output whose path another already has (in any case), or
 * that would be a file where another needs a folder or the reverse, at
 * the later one's origin, naming both. Returns 0 or -1. */
int output_check(const struct output *out, const struct origin *origins,
                 struct arena *a, struct diags *d);

/* ---- Dates (views.c) -------------------------------------------------- */

/* RFC 3339 (and W3C datetime) text of a timestamp in its own UTC offset:
 * "2024-03-01T10:00:00+02:00". An arena string. */
const char *view_iso_time(const struct timestamp *t, struct arena *a);

/* When the entry last changed: its updated time when that is later than
 * its date, else its date. */
const struct timestamp *view_modified(const struct entry *e);

/* The title of a feed: the site's (c and t NULL), a channel's (c) or a
 * tag's (t), followed by the site's: "#carina · Space". */
const char *view_feed_title(const struct site *s, const struct site_channel *c,
                            const struct site_tag *t, struct arena *a);

/* The text of a scalar field key of a params map (a post's front matter),
 * NULL when it is absent, empty or not a scalar. */
const char *view_param(const struct param *map, const char *key);

/* The absolute URL of the post's `image:` (resolved against its page, as
 * a link in it would be), or NULL. */
const char *view_image(const struct site *s, const struct entry *e,
                       struct arena *a);

/* ---- Site files (feeds.c, sitemap.c) ---------------------------------- */

/* The Atom and JSON feeds (MODEL_FEED_ATOM, MODEL_FEED_JSON) of the site,
 * of each channel and of each tag, each with the latest feed_size posts,
 * made on jobs threads and added to out with their keys; with a sink, a
 * feed whose key it still has is kept, and the feeds go to it in batches
 * (render_sender_send). Nothing when the site has no host (no absolute URLs).
 * Returns -1 with a DIAG_SYSTEM when the JSON library failed, or when the
 * sink did. */
int feeds_render(struct output *out, const struct site *s,
                 const struct render_sink *sink, int jobs, struct arena *a,
                 struct diags *d);

/* True when f has a key and the sink's last publish made it under the
 * same one: f need not be made again. */
bool render_kept(const struct render_sink *sink, const struct output_file *f);

/* Hands batches of out's files to a sink on a thread of its own, in
 * order, while the next ones are made: up to `depth` batches wait to be
 * written (each is in memory until it is). out->files must not move
 * while batches are out. */
#define RENDER_SENDER_DEPTH 4
struct render_sender {
    struct output *out;
    const struct render_sink *sink;
    size_t depth;
    size_t marks[RENDER_SENDER_DEPTH]; /* where each waiting batch ends */
    size_t taken, given;               /* batches sent, batches handed */
    bool started, done;
    int rc; /* -1 once the sink failed: it takes no more */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
};

/* depth: 1 to RENDER_SENDER_DEPTH. */
void render_sender_init(struct render_sender *s, struct output *out,
                        const struct render_sink *sink, size_t depth);

/* Hands out->files[..upto) (from where the batch before ends) to the
 * sink, which frees their bytes and moves out->sent to upto; waits while
 * depth batches are waiting already. -1 when the sink failed on an
 * earlier batch (this one is not sent). */
int render_sender_send(struct render_sender *s, size_t upto);

/* Waits for the batches handed to be sent, and ends the thread; -1 when
 * the sink failed on any. */
int render_sender_wait(struct render_sender *s);

/* The sitemap of pages[0..n) (the 404 page left out), each URL with the
 * time its newest post changed, split in parts of at most 50,000 URLs
 * under a sitemap index when there are more; and robots.txt, allowing
 * everything and naming the sitemap. Without a host in base_url, only
 * robots.txt. Each sitemap file has a key; with a sink, one it still has
 * is kept. */
void sitemap_render(struct output *out, const struct site *s,
                    const struct page *pages, size_t n,
                    const struct render_sink *sink, int jobs,
                    struct arena *a);

#endif
