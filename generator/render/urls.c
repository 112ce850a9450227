/* urls.c: the URLs of the output: hrefs below the base path, absolute URLs
 * for canonical links, feeds and the sitemap, links to posts' files
 * written as their posts' URLs, and references in a post's HTML resolved
 * against its page, for feeds read away from the site. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"

#include <ctype.h>
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

/* The length of ref's scheme and its ':' (RFC 3986: ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ) ":"), or 0 when it has none. */
static size_t
scheme_len(const char *ref, size_t len)
{
    if (!len || !isalpha((unsigned char)ref[0]))
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (ref[i] == ':')
            return i + 1;
        if (!isalnum((unsigned char)ref[i]) && !strchr("+-.", ref[i]))
            return 0;
    }
    return 0;
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
    if (!len || scheme_len(ref, len)) {
        buf_put(out, ref, len);
        return;
    }
    if (ref[0] == '#') { /* the base's own page: a feed has no ids */
        buf_put(out, base, strcspn(base, "#"));
        buf_put(out, ref, len);
        return;
    }
    size_t scheme = scheme_len(base, strlen(base));
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

/* The attributes whose value is one URL, and the one that lists several. */
static bool
is_url_attribute(const char *name, size_t len)
{
    static const char *const names[] = { "href", "src", "poster", "cite" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == len && !strncasecmp(name, names[i], len))
            return true;
    return false;
}

/* Appends a URL attribute's value ref[0..len), as the HTML has it (its
 * entities not decoded), rewritten as the function sees fit. */
typedef void (*put_url_fn)(struct buf *out, const char *ref, size_t len,
                           void *payload);

/* Appends a srcset's candidates ("a.png 1x, b.png 2x") with each URL
 * put by fn. */
static void
put_srcset(struct buf *out, const char *v, size_t len, put_url_fn fn,
           void *payload)
{
    size_t i = 0;
    while (i < len) {
        size_t ws = i;
        while (i < len && (isspace((unsigned char)v[i]) || v[i] == ','))
            i++;
        buf_put(out, v + ws, i - ws);
        size_t url = i;
        while (i < len && !isspace((unsigned char)v[i]) &&
               !(v[i] == ',' && (i + 1 == len ||
                                 isspace((unsigned char)v[i + 1]))))
            i++;
        fn(out, v + url, i - url, payload);
        size_t rest = i;
        while (i < len && v[i] != ',')
            i++;
        buf_put(out, v + rest, i - rest);
    }
}

/* Scans one start tag's attributes from html[i] (just after its name) to
 * its '>', appending them with the value of each URL attribute put by fn.
 * Returns the index after the tag. */
static size_t
put_attributes(struct buf *out, const char *html, size_t len, size_t i,
               put_url_fn fn, void *payload)
{
    while (i < len && html[i] != '>') {
        size_t from = i;
        while (i < len && (isspace((unsigned char)html[i]) || html[i] == '/'))
            i++;
        size_t name = i;
        while (i < len && !isspace((unsigned char)html[i]) &&
               !strchr("/>=", html[i]))
            i++;
        size_t name_len = i - name;
        while (i < len && isspace((unsigned char)html[i]))
            i++;
        if (i >= len || html[i] != '=' || !name_len) {
            buf_put(out, html + from, (i > from ? i : i + 1) - from);
            if (i == from)
                i++; /* a stray '=': copied, never stuck */
            continue;
        }
        i++; /* '=' */
        while (i < len && isspace((unsigned char)html[i]))
            i++;
        char quote = i < len && (html[i] == '"' || html[i] == '\'') ? html[i]
                                                                    : 0;
        size_t v = i + (quote != 0), end = v;
        while (end < len && (quote ? html[end] != quote
                                   : !isspace((unsigned char)html[end]) &&
                                         html[end] != '>'))
            end++;
        buf_put(out, html + from, i - from);
        bool srcset = name_len == 6 && !strncasecmp(html + name, "srcset", 6);
        if (!is_url_attribute(html + name, name_len) && !srcset) {
            buf_put(out, html + i, end + (quote && end < len) - i);
        } else {
            buf_putc(out, quote ? quote : '"');
            if (srcset)
                put_srcset(out, html + v, end - v, fn, payload);
            else
                fn(out, html + v, end - v, payload);
            buf_putc(out, quote ? quote : '"');
        }
        i = end + (quote && end < len);
    }
    if (i < len)
        buf_putc(out, html[i++]);
    return i;
}

/* Appends html[0..len) with the value of every URL attribute (href, src,
 * poster, cite, each URL of a srcset) put by fn; all else, comments
 * included, byte for byte. */
static void
put_html(struct buf *out, const char *html, size_t len, put_url_fn fn,
         void *payload)
{
    size_t i = 0;
    while (i < len) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t at = lt ? (size_t)(lt - html) : len;
        buf_put(out, html + i, at - i);
        i = at;
        if (i >= len)
            break;
        if (len - i >= 4 && !memcmp(html + i, "<!--", 4)) {
            const char *end = memmem(html + i + 4, len - i - 4, "-->", 3);
            size_t stop = end ? (size_t)(end - html) + 3 : len;
            buf_put(out, html + i, stop - i);
            i = stop;
        } else if (i + 1 < len && isalpha((unsigned char)html[i + 1])) {
            size_t name = i + 1;
            while (name < len && isalnum((unsigned char)html[name]))
                name++;
            buf_put(out, html + i, name - i);
            i = put_attributes(out, html, len, name, fn, payload);
        } else {
            buf_putc(out, html[i++]);
        }
    }
}

/* A put_url_fn: ref resolved against the base (escaped) in payload. */
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
    put_html(out, html, len, put_resolved, escaped.data);
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

/* A put_url_fn for a post's text: a relative path that names a published
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
    if (!len || ref[0] == '/' || ref[0] == '#' || scheme_len(ref, len)) {
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
    put_html(&b, html, len, put_post_url, &t);
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
    return fill_relative(s, at, fill_post_links(s, html, an, to, at->summary,
                                                a), a);
}
