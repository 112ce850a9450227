/* html.h: the URLs in HTML text: the value of every URL attribute (href,
 * src, poster, cite, each URL of a srcset) of its start tags, found by one
 * scanner for the stage that looks at them (parse) and the one that
 * rewrites them (render). */
#ifndef GZ_HTML_H
#define GZ_HTML_H

#include "base.h"

/* Appends a URL attribute's value ref[0..len), as the HTML has it (its
 * entities not decoded), rewritten as the function sees fit. */
typedef void (*html_url_fn)(struct buf *out, const char *ref, size_t len,
                            void *payload);

/* Appends html[0..len) to out with the value of every URL attribute put by
 * fn; all else, comments included, byte for byte. With out NULL, only
 * calls fn (with out NULL). */
void html_put_urls(struct buf *out, const char *html, size_t len,
                   html_url_fn fn, void *payload);

/* The length of ref's scheme and its ':' (RFC 3986: ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ) ":"), or 0 when it has none. */
size_t url_scheme_len(const char *ref, size_t len);

/* True when html reads the same from every page: each of its URL
 * attributes is empty, starts with '/' or has a scheme (none is relative
 * or a #fragment alone). */
bool html_urls_anywhere(const char *html, size_t len);

#endif
