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

const char *
url_href(const struct site *s, const char *rel, struct arena *a)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, s->config->base_path);
    buf_put_url_path(&b, rel);
    const char *url = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return url;
}

const char *
url_absolute(const struct site *s, const char *rel, struct arena *a)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, s->config->base_url);
    buf_put_url_path(&b, rel);
    const char *url = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return url;
}

const char *
url_fill_links(const struct site *s, const char *html,
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
    if (!len || ref[0] == '#' || scheme_len(ref, len)) {
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

/* Appends a srcset's candidates ("a.png 1x, b.png 2x") with each URL
 * resolved. */
static void
put_srcset(struct buf *out, const char *v, size_t len, const char *base)
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
        url_resolve(out, base, v + url, i - url);
        size_t rest = i;
        while (i < len && v[i] != ',')
            i++;
        buf_put(out, v + rest, i - rest);
    }
}

/* Scans one start tag's attributes from html[i] (just after its name) to
 * its '>', appending them with URL attributes resolved against base (the
 * base escaped for an attribute). Returns the index after the tag. */
static size_t
put_attributes(struct buf *out, const char *html, size_t len, size_t i,
               const char *base)
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
                put_srcset(out, html + v, end - v, base);
            else
                url_resolve(out, base, html + v, end - v);
            buf_putc(out, quote ? quote : '"');
        }
        i = end + (quote && end < len);
    }
    if (i < len)
        buf_putc(out, html[i++]);
    return i;
}

void
url_absolute_html(struct buf *out, const char *html, size_t len,
                  const char *base)
{
    /* In an attribute the base is escaped like the text around it. */
    struct buf escaped = BUF_INIT;
    buf_put_html(&escaped, base, strlen(base));
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
            i = put_attributes(out, html, len, name, escaped.data);
        } else {
            buf_putc(out, html[i++]);
        }
    }
    buf_dispose(&escaped);
}
