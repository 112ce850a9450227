/* serve_private.h: the parts of serve/ that know no sockets: which request
 * paths and Host headers are allowed (http.c) and the watching of the
 * site's files (watch.c). Unit-tested on their own. */
#ifndef GZ_SERVE_PRIVATE_H
#define GZ_SERVE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* Turns a request path ("/news/a%20b/") into a path below the output root
 * ("news/a b/"; "" for "/"), into out. The path is percent-decoded once;
 * an encoded '/' or '\\', a NUL, a backslash, an empty, "." or ".."
 * segment, a control character or a bad escape is refused with 400, the
 * output folder's own records (.gazette/) with 404. Returns 0 or the HTTP
 * status to answer. */
int http_request_path(const char *raw, char *out, size_t cap);

/* True when a request naming host (the Host header: a name or address,
 * maybe with ":port") may be answered by a server bound to bind. Any IP
 * address is allowed (DNS rebinding needs a name), and "localhost"; other
 * names only when they are the bound name, or this machine's name when
 * bound beyond loopback. */
bool http_host_allowed(const char *host, const char *bind, bool loopback);

/* The Content-Type for a file name, by its extension. */
const char *http_content_type(const char *name);

/* Copies html into a new buffer (malloc'd, *len updated) with tag inserted
 * before the last "</body>", or at the end when there is none. */
char *http_inject(const char *html, size_t *len, const char *tag);

struct watch;

/* Watches site.yaml, content/, themes/ and static/ below the current
 * directory (recursively; folders made later are watched too). Returns
 * NULL with errno set when inotify is not available. */
struct watch *watch_open(void);
/* The descriptor to poll for readability. */
int watch_fd(const struct watch *w);
/* Reads the pending events; true when one of them changes an input (an
 * editor's swap and backup files do not). */
bool watch_read(struct watch *w);
void watch_close(struct watch *w);

#endif
