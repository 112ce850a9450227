/* html.c: the URL attributes of HTML text (see html.h). */
#include "html.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* out may be NULL: the scan then only finds the URLs. */
static void
put(struct buf *out, const char *s, size_t len)
{
    if (out)
        buf_put(out, s, len);
}

static void
put_char(struct buf *out, char c)
{
    if (out)
        buf_putc(out, c);
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
 * put by fn. */
static void
put_srcset(struct buf *out, const char *v, size_t len, html_url_fn fn,
           void *payload)
{
    size_t i = 0;
    while (i < len) {
        size_t ws = i;
        while (i < len && (isspace((unsigned char)v[i]) || v[i] == ','))
            i++;
        put(out, v + ws, i - ws);
        size_t url = i;
        while (i < len && !isspace((unsigned char)v[i]) &&
               !(v[i] == ',' && (i + 1 == len ||
                                 isspace((unsigned char)v[i + 1]))))
            i++;
        fn(out, v + url, i - url, payload);
        size_t rest = i;
        while (i < len && v[i] != ',')
            i++;
        put(out, v + rest, i - rest);
    }
}

/* Scans one start tag's attributes from html[i] (just after its name) to
 * its '>', appending them with the value of each URL attribute put by fn.
 * Returns the index after the tag. */
static size_t
put_attributes(struct buf *out, const char *html, size_t len, size_t i,
               html_url_fn fn, void *payload)
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
            put(out, html + from, (i > from ? i : i + 1) - from);
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
        put(out, html + from, i - from);
        bool srcset = name_len == 6 && !strncasecmp(html + name, "srcset", 6);
        if (!is_url_attribute(html + name, name_len) && !srcset) {
            put(out, html + i, end + (quote && end < len) - i);
        } else {
            put_char(out, quote ? quote : '"');
            if (srcset)
                put_srcset(out, html + v, end - v, fn, payload);
            else
                fn(out, html + v, end - v, payload);
            put_char(out, quote ? quote : '"');
        }
        i = end + (quote && end < len);
    }
    if (i < len)
        put_char(out, html[i++]);
    return i;
}

void
html_put_urls(struct buf *out, const char *html, size_t len, html_url_fn fn,
              void *payload)
{
    size_t i = 0;
    while (i < len) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t at = lt ? (size_t)(lt - html) : len;
        put(out, html + i, at - i);
        i = at;
        if (i >= len)
            break;
        if (len - i >= 4 && !memcmp(html + i, "<!--", 4)) {
            const char *end = memmem(html + i + 4, len - i - 4, "-->", 3);
            size_t stop = end ? (size_t)(end - html) + 3 : len;
            put(out, html + i, stop - i);
            i = stop;
        } else if (i + 1 < len && isalpha((unsigned char)html[i + 1])) {
            size_t name = i + 1;
            while (name < len && isalnum((unsigned char)html[name]))
                name++;
            put(out, html + i, name - i);
            i = put_attributes(out, html, len, name, fn, payload);
        } else {
            put_char(out, html[i++]);
        }
    }
}

size_t
url_scheme_len(const char *ref, size_t len)
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

/* An html_url_fn that clears *payload (a bool) at a URL that depends on
 * the page it is read from. */
static void
note_placed(struct buf *out, const char *ref, size_t len, void *payload)
{
    (void)out;
    if (len && ref[0] != '/' && !url_scheme_len(ref, len))
        *(bool *)payload = false;
}

bool
html_urls_anywhere(const char *html, size_t len)
{
    bool anywhere = true;
    html_put_urls(NULL, html, len, note_placed, &anywhere);
    return anywhere;
}
