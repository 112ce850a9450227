/* urls.c: the URLs of the output: hrefs below the base path, absolute URLs
 * for canonical links, feeds and the sitemap, links to posts' files
 * written as their posts' URLs, and references in a post's HTML resolved
 * against its page, for feeds read away from the site. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/html.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* base, then rel encoded as a URL path, in the arena (made often: every
 * link of every page). */
static const char *
join_url(const char *base, const char *rel, struct arena *a)
{
    size_t n = strlen(base);
    char *url = arena_alloc(a, n + 3 * strlen(rel) + 1);
    memcpy(url, base, n);
    url_path_encode(url + n, rel);
    return url;
}

const char *
url_href(const struct site *s, const char *rel, struct arena *a)
{
    return join_url(s->config->base_path, rel, a);
}

const char *
url_absolute(const struct site *s, const char *rel, struct arena *a)
{
    return join_url(s->config->base_url, rel, a);
}

void
url_put_escaped(struct buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("\"<>\\^`{|}", *p)) {
            char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            buf_put(out, esc, 3);
        } else {
            buf_putc(out, (char)*p);
        }
    }
}

/* Appends path[0..len) (which starts with '/') with its "." and ".."
 * segments removed (RFC 3986, 5.2.4); ".." never climbs above the root. */
static void
put_without_dots(struct buf *out, const char *path, size_t len)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < len) {
        /* Here path[i] is '/': one segment up to the next '/' or the end. */
        size_t j = i + 1;
        while (j < len && path[j] != '/')
            j++;
        size_t seg = j - i - 1;
        bool last = j == len;
        if (seg == 1 && path[i + 1] == '.') {
            if (last)
                buf_putc(out, '/');
        } else if (seg == 2 && path[i + 1] == '.' && path[i + 2] == '.') {
            while (out->len > start && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > start)
                out->len--; /* the '/' before the removed segment */
            if (last)
                buf_putc(out, '/');
        } else {
            buf_put(out, path + i, j - i);
        }
        i = j;
    }
    if (out->len == start)
        buf_putc(out, '/');
    out->data[out->len] = '\0';
}

void
url_resolve(struct buf *out, const char *base, const char *ref, size_t len)
{
    if (!len || url_scheme_len(ref, len)) {
        buf_put(out, ref, len);
        return;
    }
    if (ref[0] == '#') { /* the base's own page: a feed has no ids */
        buf_put(out, base, strcspn(base, "#"));
        buf_put(out, ref, len);
        return;
    }
    size_t scheme = url_scheme_len(base, strlen(base));
    if (len >= 2 && ref[0] == '/' && ref[1] == '/') {
        buf_put(out, base, scheme);
        buf_put(out, ref, len);
        return;
    }
    /* base: scheme "//" authority path, the path starting at its first
     * '/' after the authority (a base without one has the path "/"); a
     * base without a scheme is a path alone. */
    const char *bpath = base;
    if (scheme) {
        const char *auth = base + scheme + (strncmp(base + scheme, "//", 2)
                                            ? 0 : 2);
        bpath = auth + strcspn(auth, "/");
    }
    size_t blen = strlen(bpath);
    size_t plen = 0;
    while (plen < len && ref[plen] != '?' && ref[plen] != '#')
        plen++;
    buf_put(out, base, (size_t)(bpath - base));
    struct buf path = BUF_INIT;
    if (plen && ref[0] == '/') {
        buf_put(&path, ref, plen);
    } else if (!plen) {
        buf_put(&path, blen ? bpath : "/", blen ? blen : 1);
    } else {
        /* Merge: the base's path up to its last '/', then ref's path. */
        const char *slash = blen ? strrchr(bpath, '/') : NULL;
        if (slash)
            buf_put(&path, bpath, (size_t)(slash - bpath) + 1);
        else
            buf_putc(&path, '/');
        buf_put(&path, ref, plen);
    }
    put_without_dots(out, path.data, path.len);
    buf_put(out, ref + plen, len - plen);
    buf_dispose(&path);
}

/* An html_url_fn: ref resolved against the base (escaped) in payload. */
static void
put_resolved(struct buf *out, const char *ref, size_t len, void *base)
{
    url_resolve(out, base, ref, len);
}

void
url_absolute_html(struct buf *out, const char *html, size_t len,
                  const char *base)
{
    /* In an attribute the base is escaped like the text around it. */
    struct buf escaped = BUF_INIT;
    buf_put_html(&escaped, base, strlen(base));
    html_put_urls(out, html, len, put_resolved, escaped.data);
    buf_dispose(&escaped);
}

/* ---- A post's own files ------------------------------------------------ */

/* A text being written, for put_post_url. */
struct post_text {
    const struct site *s;
    const struct text_place *at;
    const char *page; /* the href of its page, escaped for an attribute */
    struct arena *a;
};

/* The length of the entity cmark-gfm writes in attributes (&amp; &lt;
 * &gt; &quot; &#39; &#x27;) at the start of s[0..len), and its character
 * in *c; 0 when there is none. */
static size_t
entity_at(const char *s, size_t len, char *c)
{
    static const struct {
        const char *entity;
        char c;
    } known[] = { { "&amp;", '&' },  { "&lt;", '<' },   { "&gt;", '>' },
                  { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' } };
    for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
        size_t n = strlen(known[k].entity);
        if (n <= len && !strncasecmp(s, known[k].entity, n)) {
            *c = known[k].c;
            return n;
        }
    }
    return 0;
}

/* ref[0..len) of an attribute with its entities decoded, in the arena. */
static const char *
unescape(struct arena *a, const char *ref, size_t len)
{
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len;) {
        size_t n = ref[i] == '&' ? entity_at(ref + i, len - i, o) : 0;
        if (!n)
            *o = ref[i];
        o++;
        i += n ? n : 1;
    }
    return out;
}

/* The href (escaped) of the published file that the relative path
 * ref[0..len) names from the post's source file, as its Markdown was
 * written; NULL when it names none, or, on the post's own page, when the
 * browser reaches that file from the page anyway (a post's folder). */
static const char *
file_href(struct post_text *t, const char *ref, size_t len)
{
    const char *path = unescape(t->a, ref, len);
    const char *repo = t->at->path ? parse_relative_path(t->a, t->at->path,
                                                         path, strlen(path))
                                   : NULL;
    const struct site_file *f = repo ? model_file(t->s, repo) : NULL;
    if (!f)
        return NULL;
    const char *here = parse_relative_path(t->a, t->at->url, path,
                                           strlen(path));
    if (!t->at->away && here && !strcmp(here, f->url))
        return NULL;
    struct buf b = BUF_INIT;
    const char *href = url_href(t->s, f->url, t->a);
    buf_put_html(&b, href, strlen(href));
    href = arena_strndup(t->a, b.data, b.len);
    buf_dispose(&b);
    return href;
}

/* An html_url_fn for a post's text: a relative path that names a published
 * file from the post's source file becomes that file's href; away from
 * its page, every other relative reference is resolved against the page,
 * a #fragment alone included. */
static void
put_post_url(struct buf *out, const char *ref, size_t len, void *payload)
{
    struct post_text *t = payload;
    if (t->at->away && len && ref[0] == '#') { /* a place on the post's page */
        buf_puts(out, t->page);
        buf_put(out, ref, len);
        return;
    }
    if (!len || ref[0] == '/' || ref[0] == '#' || url_scheme_len(ref, len)) {
        buf_put(out, ref, len);
        return;
    }
    size_t path = 0;
    while (path < len && ref[path] != '?' && ref[path] != '#')
        path++;
    const char *href = path ? file_href(t, ref, path) : NULL;
    if (href) {
        buf_puts(out, href);
        buf_put(out, ref + path, len - path);
    } else if (t->at->away) {
        url_resolve(out, t->page, ref, len);
    } else {
        buf_put(out, ref, len);
    }
}

/* html, a text shown at at, with its relative references made to work
 * where it is shown (see url_fill_links); html itself when none changes. */
static const char *
fill_relative(const struct site *s, const struct text_place *at,
              const char *html, struct arena *a)
{
    struct buf page = BUF_INIT, b = BUF_INIT;
    const char *href = url_href(s, at->url, a);
    buf_put_html(&page, href, strlen(href));
    struct post_text t = { s, at, page.data, a };
    size_t len = strlen(html);
    buf_grow(&b, len + 1);
    html_put_urls(&b, html, len, put_post_url, &t);
    const char *out = b.len == len && !memcmp(b.data, html, len)
                          ? html
                          : arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    buf_dispose(&page);
    return out;
}

/* html with each link to a post's file written as that post's href (see
 * url_fill_links); html itself when there is none. */
static const char *
fill_post_links(const struct site *s, const char *html,
                const struct anchors *an, struct entry *const *to,
                bool summary, struct arena *a)
{
    size_t n = 0; /* links to fill */
    for (size_t i = 0; to && i < an->nlinks; i++)
        n += to[i] && (summary ? an->links[i].summary_at : an->links[i].at) !=
                          SIZE_MAX;
    if (!n)
        return html;
    size_t len = strlen(html), done = 0;
    struct buf b = BUF_INIT;
    buf_grow(&b, len + 64 * n);
    for (size_t i = 0; i < an->nlinks; i++) {
        const struct link_use *u = &an->links[i];
        size_t at = summary ? u->summary_at : u->at;
        if (!to[i] || at == SIZE_MAX || at < done || at > len ||
            u->len > len - at)
            continue; /* the last three cannot be: parse recorded it here */
        buf_put(&b, html + done, at - done);
        const char *href = url_href(s, to[i]->url, a);
        buf_put_html(&b, href, strlen(href));
        const char *hash = memchr(html + at, '#', u->len);
        done = hash ? (size_t)(hash - html) : at + u->len;
    }
    buf_put(&b, html + done, len - done);
    const char *filled = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return filled;
}

const char *
url_fill_links(const struct site *s, const char *html,
               const struct anchors *an, struct entry *const *to,
               const struct text_place *at, struct arena *a)
{
    if (at->anywhere)
        return html;
    return fill_relative(s, at, fill_post_links(s, html, an, to, at->summary,
                                                a), a);
}
