/* model.h: the third stage. Joins parsed posts and channels into the site:
 * who is listed where, in which order, under which URL. Plain data; checks
 * every rule that involves more than one file (URLs, channel names). */
#ifndef GZ_MODEL_H
#define GZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../parse/parse.h"

struct site_channel;
struct site_tag;

/* A post as the site publishes it. */
struct entry {
    const struct post *post;
    const char *url;   /* below the base path: a folder, "astro/ngc/" (its
                          page is index.html in it), or a file, "old.html"
                          (see model_page_path). From the post's url:, else
                          its channel's permalinks: pattern, else its
                          file's path: content/astro/2024/ngc.md and
                          content/astro/ngc/index.md (a post as a folder)
                          give "astro/2024/ngc/" and "astro/ngc/" */
    const char **aliases; /* for each of post->aliases, the URL its
                             redirect page has, in the same form */
    const char *lang;  /* resolved: the post's, its channel's or the site's */
    struct site_channel **channels; /* where it is listed, in given order */
    size_t nchannels;
    struct site_tag **tags; /* its tags, each once, in order of appearance */
    size_t ntags;
    struct entry **links; /* for each of post->anchors.links: the entry
                             of the post a link to a post's file names
                             (link_use.to_post), NULL for other links and
                             when no published post is there; NULL
                             itself when the text has no link to a post's
                             file (anchors.nto_post 0) */
    uint64_t digest[2]; /* of all a page shows of it (model_digest) */
    uint64_t listed[2]; /* of what a list shows of it */
    size_t index;       /* its place in site->entries */
};

/* A tag as a list of posts: site-wide, or one channel's share of it. */
struct tag_list {
    struct site_tag *tag;
    struct site_channel *channel; /* NULL for the site-wide list */
    const char *url;        /* "tags/<slug>/" or "<channel>/tags/<slug>/" */
    struct entry **entries; /* newest first */
    size_t nentries;
    uint64_t digest[2];     /* of all its pages show but the posts */
    uint64_t link[2];       /* of what a link to it shows: the tag's name
                               and slug, the URL, the count */
};

struct site_tag {
    const char *slug;       /* the identity: folded text */
    const char *name;       /* its most frequent spelling (first seen on
                               ties) */
    struct tag_list all;    /* the posts of every channel */
    struct tag_list **channels; /* its list in each channel it appears in,
                                   by channel name */
    size_t nchannels;
    uint64_t lists[2];      /* of the links to all its lists, and their
                               channels */
    size_t index;           /* its place in the site's tags */
};

struct site_channel {
    const struct channel *channel;
    const char *url;              /* e.g. "astro/" */
    const char *lang;             /* the channel's or the site's */
    struct entry **entries;       /* newest first */
    size_t nentries;
    struct tag_list *tags;        /* its tags, most used first */
    size_t ntags;
    struct entry **links;         /* as in struct entry, for its
                                     channel->anchors.links */
    uint64_t digest[2];           /* as tag_list's */
};

/* A file published as it is: a file of static/ (at its path below
 * static/), a file in the folder of a post that is a folder (beside the
 * post's page: content/news/trip/photo.jpg beside content/news/trip/
 * index.md), or another file of content/ that is no Markdown (at its path
 * below content/). */
struct site_file {
    const struct source_file *src;
    const char *url;            /* its path below the base path */
    const struct entry *bundle; /* the post whose folder holds it, or NULL */
};

struct site {
    const struct site_config *config;
    const char *host;              /* base_url's host, lower case, without
                                      port; NULL when base_url has none
                                      ("/"): then nothing needs absolute
                                      URLs, so no feeds and no sitemap */
    struct site_channel *channels; /* sorted by name */
    size_t nchannels;
    struct entry **entries;        /* every published post, newest first */
    size_t nentries;
    struct site_tag **tags;        /* most used first, then by slug */
    size_t ntags;
    struct site_file *files;       /* by source path (model_files) */
    size_t nfiles;
    uint64_t digest[2];            /* of what every page shows: the
                                      settings, the channel menu */
};

/* Builds the site from parsed channels and posts (drafts only when drafts
 * is set; their entries made on jobs threads, the same for any jobs), and
 * finds the post each link to a post's file names. Every
 * conflict is a DIAG_CONTENT at the post's path:line:col (of its url:, an
 * alias, its slug:, else 1:1); returns -1 if there was any: two posts or
 * aliases with one URL, or one with the URL of a channel or of the home
 * page ("the URL /x/ is already used by ..."), or of a list's page n
 * ("page/2/", "<channel>/page/2/", when that list has n pages), a name the
 * site keeps for its own pages and files (at the root: tags, assets,
 * index.html, 404.html, the feeds, the sitemap and its parts, robots.txt;
 * in a channel's folder: tags, index.html, the feeds), an unknown channel,
 * a permalinks: pattern for a channel that does not exist. A link to a
 * file that is no published post is no error here: render leaves it as
 * written, and check/ says so. */
int model_build(struct site *out, const struct site_config *cfg,
                const struct channel *channels, size_t nchannels,
                const struct post *posts, size_t nposts, bool drafts,
                int jobs, struct arena *a, struct diags *d);

/* Fills s->files from the files of src that are published as they are
 * (see struct site_file). A file in the folder of a post that is not
 * published (a draft) is not published either. Call after model_build. */
void model_files(struct site *s, const struct source *src, struct arena *a);

/* Sets the digests of s (entries, channels, tag lists, the site's own) for
 * render/ to tell which outputs changed since the last build: settings is
 * that of everything outside the content that bears on every page
 * (site.yaml, command-line options, this program). Equal digests, equal
 * views. Call after model_files; the entries are digested on jobs threads. */
void model_digest(struct site *s, const uint64_t settings[2], int jobs);

/* The published file made from the source file at path, or NULL. */
const struct site_file *model_file(const struct site *s, const char *path);

/* The output file of the page at url (a URL path below the base path, as
 * in struct entry): "news/a/" gives "news/a/index.html", "old.html"
 * itself. An arena string. */
const char *model_page_path(struct arena *a, const char *url);

/* Gathers the tags of the site's entries (called by model_build, by_post
 * being the entries in the order of their posts; on jobs threads, the
 * same for any jobs): one tag per slug, lists per tag and per channel,
 * and a DIAG_WARNING for each pair of tags that look alike but do not
 * fold together. */
void model_tags(struct site *s, struct entry *const *by_post, int jobs,
                struct arena *a, struct diags *d);

/* The URL path, below the base path, of the page listing every tag. */
#define MODEL_TAGS_URL "tags/"

/* The feeds of a list (the home page, a channel, a tag): these names
 * below its URL, e.g. "astro/feed.xml". Reserved at the root and in
 * channel folders. */
#define MODEL_FEED_ATOM "feed.xml"
#define MODEL_FEED_JSON "feed.json"

/* Files at the root of the site: the sitemap (or, for a site too large
 * for one, the sitemap index), and robots.txt. */
#define MODEL_SITEMAP "sitemap.xml"
#define MODEL_ROBOTS "robots.txt"

/* The URL path of part n (1-based) of a sitemap split in parts:
 * "sitemap-<n>.xml" (an arena string); every such name is reserved. */
const char *model_sitemap_part(struct arena *a, size_t n);

/* The feed id of entry e, a tag: URI (RFC 4151) that no title edit or
 * rebuild changes: "tag:example.org,2024-03-01:/site/news/hello/"
 * (base_url's host, the day of its date in its own offset, the path of
 * its absolute URL), in a; NULL when the site has no host. Made when a
 * feed shows it: an entry's digest has what it is made of. */
const char *model_entry_id(const struct site *s, const struct entry *e,
                           struct arena *a);

/* The URL path of a tag's site-wide page: "tags/<slug>/" (an arena
 * string). parse links hashtags through it (a parse_tag_url_fn). */
const char *model_tag_url(struct arena *a, const char *slug);

/* True for a Markdown file of content/ (.md or .markdown, at any depth):
 * a post, or an _index file (see model_is_index). */
bool model_is_markdown(const char *path);
/* True for an _index.md or _index.markdown, which describes a channel
 * (as content/<channel>/_index.md) and is never a post. */
bool model_is_index(const char *path);

/* Prints the site as text, one line a fact: for debugging and tests. */
void model_dump(const struct site *s, FILE *f);

#endif
