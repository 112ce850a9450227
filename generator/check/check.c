/* check.c: the checks `gazette check` adds to a build (see check.h): every
 * link and image of the published texts against the site's files, the
 * rendered output and the ids of the texts; unknown front matter fields
 * and future dates as notes. Runs after render, on what the build made;
 * each lookup goes through a map, so the cost is linear in links, ids and
 * files. */
#include "check.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"
#include "../model/model.h"
#include "../render/render.h"
#include "../source/source.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

struct checker {
    const struct site *site;
    const struct source *src;
    bool full;
    struct diags *d;
    struct arena *a;     /* the keys of the maps, decoded paths */
    struct map *outputs; /* output path -> its struct output_file */
    struct map *pages;   /* page URL below the base path -> the source
                            path of the text whose ids it has */
    struct map *ids;     /* "<source path>#<id>" -> itself, for each id of
                            each text, also with the id percent-decoded */
    int rc;
};

/* A Markdown text of the site: a post's body or a channel's about text. */
struct text {
    const char *path;          /* its source file */
    const char *page;          /* URL of the page it is on, below the base
                                  path: "news/a/" */
    const struct anchors *an;
    struct entry *const *to;   /* where its links to posts' files lead */
};

/* Reports link or image u of the text at path: "link to \"url\": why". */
static void
problem(struct checker *c, enum diag_kind kind, const char *path,
        const struct link_use *u, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void
problem(struct checker *c, enum diag_kind kind, const char *path,
        const struct link_use *u, const char *fmt, ...)
{
    struct buf why = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&why, fmt, ap);
    va_end(ap);
    diags_add(c->d, kind, path, u->line, u->col, "%s \"%s\": %s",
              u->image ? "image" : "link to", u->url, why.data);
    buf_dispose(&why);
    if (kind == DIAG_CONTENT)
        c->rc = -1;
}

static const char *
key(struct checker *c, const char *path, const char *id)
{
    return arena_printf(c->a, "%s#%s", path, id);
}

/* Adds the ids of the text at path, as written and decoded. */
static void
add_ids(struct checker *c, const char *path, const struct anchors *an)
{
    for (size_t i = 0; i < an->nids; i++) {
        const char *id = an->ids[i];
        const char *k = key(c, path, id);
        map_put(c->ids, k, (void *)k);
        const char *decoded = parse_url_decode(c->a, id, strlen(id));
        if (decoded && strcmp(decoded, id)) {
            k = key(c, path, decoded);
            map_put(c->ids, k, (void *)k);
        }
    }
}

/* True when the text at path has the id a link's fragment names: as
 * written, or percent-decoded (as a browser tries both). */
static bool
has_id(struct checker *c, const char *path, const char *fragment)
{
    if (map_get(c->ids, key(c, path, fragment)))
        return true;
    const char *decoded = parse_url_decode(c->a, fragment, strlen(fragment));
    return decoded && map_get(c->ids, key(c, path, decoded));
}

/* Reports u's fragment when the text at path has no such id. */
static void
check_fragment(struct checker *c, const struct text *t,
               const struct link_use *u, const char *path)
{
    if (u->fragment && *u->fragment && !has_id(c, path, u->fragment))
        problem(c, DIAG_CONTENT, t->path, u, "%s has no heading or footnote "
                "with the id \"%s\"", path, u->fragment);
}

/* True for the path of a post's file (build.c reads the same ones). */
static bool
is_post_file(const char *path)
{
    return model_is_markdown(path) && !model_is_index(path);
}

/* A link to a post's file: its post, and the id its fragment names. What
 * names no published post is a warning in a build, an error in a check. */
static void
check_post_link(struct checker *c, const struct text *t,
                const struct link_use *u, const struct entry *to)
{
    enum diag_kind kind = c->full ? DIAG_CONTENT : DIAG_WARNING;
    if (to && c->full)
        check_fragment(c, t, u, to->post->path);
    else if (to)
        return;
    else if (!u->path)
        problem(c, kind, t->path, u, "it leads out of the site");
    else if (!source_find(c->src, u->path))
        problem(c, kind, t->path, u, "there is no file %s", u->path);
    else if (!is_post_file(u->path))
        problem(c, kind, t->path, u, "%s is not a post", u->path);
    else
        problem(c, kind, t->path, u, "%s is a draft, built only with "
                "--drafts", u->path);
}

/* True when rel (a decoded path below the base path) is a file the build
 * makes, or a folder holding its index.html, or a file of static/. */
static bool
is_published(struct checker *c, const char *rel)
{
    size_t n = strlen(rel);
    bool folder = !n || rel[n - 1] == '/';
    return (!folder && map_get(c->outputs, rel)) ||
           map_get(c->outputs, arena_printf(c->a, "%s%sindex.html", rel,
                                            folder ? "" : "/")) ||
           (!folder && source_find(c->src, arena_printf(c->a, "static/%s",
                                                        rel)));
}

/* The page URL (below the base path) of a published path rel, to look it
 * up in c->pages: "news/a" and "news/a/index.html" are "news/a/". */
static const char *
page_of(struct checker *c, const char *rel)
{
    size_t n = strlen(rel), index = strlen("index.html");
    if (n >= index && !strcmp(rel + n - index, "index.html") &&
        (n == index || rel[n - index - 1] == '/'))
        return arena_strndup(c->a, rel, n - index);
    return !n || rel[n - 1] == '/' ? rel : arena_printf(c->a, "%s/", rel);
}

/* A link to "/...": a file or page of the output below the base path;
 * its fragment an id of the text on that page. */
static void
check_rooted(struct checker *c, const struct text *t,
             const struct link_use *u)
{
    const char *base = c->site->config->base_path; /* "/" or "/site/" */
    size_t skip = strlen(base) - 1;                 /* "" or "site/" */
    const char *rel = parse_relative_path(c->a, "", u->url + 1,
                                          strcspn(u->url + 1, "?#"));
    if (!rel) {
        problem(c, DIAG_CONTENT, t->path, u, "it leads out of the site");
        return;
    }
    if (skip && !strncmp(rel, base + 1, skip - 1) && !rel[skip - 1])
        rel = ""; /* "/site" for "/site/" */
    else if (!strncmp(rel, base + 1, skip))
        rel += skip;
    else {
        problem(c, DIAG_CONTENT, t->path, u, "it is not below the site's "
                "base path %s", base);
        return;
    }
    if (!is_published(c, rel)) {
        problem(c, DIAG_CONTENT, t->path, u, "the site has no such page or "
                "file");
        return;
    }
    const char *text = map_get(c->pages, page_of(c, rel));
    if (text)
        check_fragment(c, t, u, text);
}

/* A relative link or image: a file beside the text's file, or a file or
 * page of the output as a browser resolves it from the text's page. */
static void
check_relative(struct checker *c, const struct text *t,
               const struct link_use *u)
{
    if (u->path && source_find(c->src, u->path))
        return;
    const char *from = arena_printf(c->a, "%sindex.html", t->page);
    const char *rel = parse_relative_path(c->a, from, u->url,
                                          strcspn(u->url, "?#"));
    if (rel && is_published(c, rel)) {
        const char *text = map_get(c->pages, page_of(c, rel));
        if (text)
            check_fragment(c, t, u, text);
    } else if (!u->path) {
        problem(c, DIAG_CONTENT, t->path, u, "it leads out of the site");
    } else {
        problem(c, DIAG_CONTENT, t->path, u, "there is no file %s", u->path);
    }
}

static void
check_text(struct checker *c, const struct text *t)
{
    if (!c->full && !t->an->nto_post)
        return; /* the quick check looks at links to posts only */
    for (size_t i = 0; i < t->an->nlinks; i++) {
        const struct link_use *u = &t->an->links[i];
        if (u->to_post)
            check_post_link(c, t, u, t->to ? t->to[i] : NULL);
        else if (!c->full)
            continue;
        else if (u->kind == LINK_FRAGMENT)
            check_fragment(c, t, u, t->path);
        else if (u->kind == LINK_ROOTED)
            check_rooted(c, t, u);
        else if (u->kind == LINK_RELATIVE)
            check_relative(c, t, u);
    }
}

/* Notes each front matter field of a file that gazette does not know. */
static void
note_unknown(struct checker *c, const char *path, const struct located *f,
             size_t n)
{
    for (size_t i = 0; i < n; i++)
        diags_add(c->d, DIAG_NOTE, path, f[i].line, f[i].col,
                  "gazette does not know the field \"%s\" (templates see it "
                  "in params)", f[i].text);
}

/* Notes a post dated later than now (it is built all the same). */
static void
note_future(struct checker *c, const struct post *p, time_t now)
{
    if (p->date.secs <= (int64_t)now)
        return;
    time_t local = (time_t)(p->date.secs + p->date.offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    int off = p->date.offset_min < 0 ? -p->date.offset_min
                                     : p->date.offset_min;
    diags_add(c->d, DIAG_NOTE, p->path, p->date_at.line, p->date_at.col,
              "the post is dated in the future, %04d-%02d-%02d %02d:%02d "
              "%c%02d:%02d (it is built all the same)", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
              p->date.offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* The texts of the site: each published post, then each channel's about
 * text. Returns how many were put in out (room for all of them). */
static size_t
site_texts(struct text *out, const struct site *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nentries; i++) {
        const struct entry *e = s->entries[i];
        out[n++] = (struct text){ e->post->path, e->url, &e->post->anchors,
                                  e->links };
    }
    for (size_t i = 0; i < s->nchannels; i++) {
        const struct site_channel *sc = &s->channels[i];
        if (sc->channel->path)
            out[n++] = (struct text){ sc->channel->path, sc->url,
                                      &sc->channel->anchors, sc->links };
    }
    return n;
}

/* Fills the maps the full check looks links up in. */
static void
index_site(struct checker *c, const struct text *texts, size_t n,
           const struct output *files)
{
    for (size_t i = 0; i < files->len; i++)
        map_put(c->outputs, files->files[i].path, &files->files[i]);
    for (size_t i = 0; i < n; i++) {
        map_put(c->pages, texts[i].page, (void *)texts[i].path);
        add_ids(c, texts[i].path, texts[i].an);
    }
}

int
check_site(const struct site *site, const struct source *src,
           const struct output *files, bool full, struct diags *d)
{
    struct checker c = { site, src, full, d, arena_new(), map_new(),
                         map_new(), map_new(), 0 };
    struct text *texts = arena_alloc(
        c.a, (site->nentries + site->nchannels + 1) * sizeof *texts);
    size_t n = site_texts(texts, site);
    if (full)
        index_site(&c, texts, n, files);
    for (size_t i = 0; i < n; i++)
        check_text(&c, &texts[i]);
    time_t now = time(NULL);
    for (size_t i = 0; full && i < site->nentries; i++) {
        const struct post *p = site->entries[i]->post;
        note_unknown(&c, p->path, p->unknown, p->nunknown);
        note_future(&c, p, now);
    }
    for (size_t i = 0; full && i < site->nchannels; i++) {
        const struct channel *ch = site->channels[i].channel;
        note_unknown(&c, ch->path, ch->unknown, ch->nunknown);
    }
    map_free(c.outputs);
    map_free(c.pages);
    map_free(c.ids);
    arena_free(c.a);
    return c.rc;
}
