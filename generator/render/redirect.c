/* redirect.c: a page at each old URL of a post (its aliases: and
 * redirect_from:) that sends the reader to its page: a meta refresh, a
 * canonical link (so that search engines move what they knew to the new
 * URL) and a plain link, never indexed itself. Listed nowhere: no list,
 * no feed, no sitemap. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"

#include <string.h>

/* The redirect page to entry e: malloc'd bytes for the output. */
static char *
redirect_page(const struct site *s, const struct entry *e, size_t *len,
              struct arena *a)
{
    const char *href = url_href(s, e->url, a);
    const char *canonical = url_absolute(s, e->url, a);
    const char *title = e->post->title;
    struct buf b = BUF_INIT;
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"");
    buf_put_html(&b, e->lang, strlen(e->lang));
    buf_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    buf_put_html(&b, title, strlen(title));
    buf_puts(&b, "</title>\n<link rel=\"canonical\" href=\"");
    buf_put_html(&b, canonical, strlen(canonical));
    buf_puts(&b, "\">\n<meta name=\"robots\" content=\"noindex\">\n"
                 "<meta http-equiv=\"refresh\" content=\"0; url=");
    buf_put_html(&b, href, strlen(href));
    buf_puts(&b, "\">\n</head>\n<body>\n<p>This page has moved to <a href=\"");
    buf_put_html(&b, href, strlen(href));
    buf_puts(&b, "\">");
    buf_put_html(&b, title, strlen(title));
    buf_puts(&b, "</a>.</p>\n</body>\n</html>\n");
    return buf_detach(&b, len);
}

size_t
redirects_render(struct output *out, struct origin *origins,
                 const struct site *s, struct arena *a)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nentries; i++) {
        const struct entry *e = s->entries[i];
        const struct post *p = e->post;
        for (size_t j = 0; j < p->naliases; j++) {
            size_t len;
            char *html = redirect_page(s, e, &len, a);
            output_add(out, a, model_page_path(a, e->aliases[j]), html, len);
            const char *self = arena_printf(a, "the alias /%s",
                                            e->aliases[j]);
            origins[n++] = (struct origin){
                .path = p->path, .line = p->aliases[j].line,
                .col = p->aliases[j].col, .self = self,
                .name = arena_printf(a, "%s of %s", self, p->path) };
        }
    }
    return n;
}
