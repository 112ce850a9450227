/* serve.c: gazette serve. One thread watches the inputs and runs the
 * builds (each a child process); libmicrohttpd answers requests on a
 * thread per connection. Open pages hold an event stream
 * (/__gazette/events) that tells them when a build finished: a page made
 * before the latest build reloads, and a failed build's errors are shown
 * over the page until a build succeeds. */
#include "serve.h"
#include "serve_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LIVE_PREFIX "/__gazette/"
#define PING_SECONDS 5      /* keeps an event stream inside the timeout */
#define IDLE_SECONDS 15     /* an idle connection is closed after this */
#define MAX_CONNECTIONS 512 /* a thread each */
#define MAX_PER_CLIENT 256  /* a browser opens ~6, a tab's stream 1 more */
#define QUIET_MS 30         /* a burst of saves is one build ... */
#define BURST_MAX_MS 600    /* ... unless it goes on this long */
#define HTML_INJECT_MAX (64u << 20)

/* The browser side: reloads a page made before the latest build, shows a
 * failed build's errors over the page. Served at /__gazette/live.js. */
static const char live_js[] =
    "(function () {\n"
    "  'use strict';\n"
    "  var me = document.currentScript;\n"
    "  var made = me ? me.getAttribute('data-build') : '';\n"
    "  var box = null;\n"
    "  function show(text) {\n"
    "    if (!box) {\n"
    "      box = document.createElement('pre');\n"
    "      box.id = 'gazette-errors';\n"
    "      box.setAttribute('role', 'alert');\n"
    "      box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;"
    "margin:0;padding:1.5em;overflow:auto;white-space:pre-wrap;"
    "background:rgba(24,24,24,.95);color:#ffd0d0;"
    "font:14px/1.5 ui-monospace,monospace';\n"
    "      document.documentElement.appendChild(box);\n"
    "    }\n"
    "    box.textContent = text;\n"
    "  }\n"
    "  function hide() {\n"
    "    if (box) { box.remove(); box = null; }\n"
    "  }\n"
    "  var events = new EventSource('" LIVE_PREFIX "events');\n"
    "  events.addEventListener('build', function (e) {\n"
    "    var lines = e.data.split('\\n'), head = lines.shift().split(' ');\n"
    "    if (head[0] === 'failed')\n"
    "      show('gazette: the build failed; fix it and save.\\n\\n' +\n"
    "           lines.join('\\n'));\n"
    "    else if (head[1] !== made)\n"
    "      location.reload();\n"
    "    else\n"
    "      hide();\n"
    "  });\n"
    "})();\n";

/* What the last build left, shared by the builder and the streams. */
struct hub {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned long version; /* every finished build */
    char build_id[48];     /* the last successful build's, as pages see it */
    bool ok;
    char *errors; /* the failed build's output */
    bool stopping;
};

struct server {
    struct hub hub;
    const char *out_dir;
    int root; /* out_dir, once a build has made it; under hub.lock */
    const char *bind; /* as given */
    bool loopback;
    unsigned long start_ms;
};

static unsigned long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/* ---- answering requests ---- */

/* Queues r with its type. An etag makes it a response the browser keeps
 * and asks again about (no-cache): a reload then costs a 304 per
 * stylesheet or image; without one, nothing is kept (no-store). */
static enum MHD_Result
answer_tagged(struct MHD_Connection *c, unsigned status, const char *type,
              const char *etag, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            etag ? "no-cache" : "no-store");
    if (etag)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, const char *type,
       struct MHD_Response *r)
{
    return answer_tagged(c, status, type, NULL, r);
}

/* True when the browser holds this very version (If-None-Match). */
static bool
not_modified(struct MHD_Connection *c, const char *etag)
{
    const char *have = MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return have && !strcmp(have, etag);
}

static enum MHD_Result
answer_unchanged(struct MHD_Connection *c, const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        0, (void *)"", MHD_RESPMEM_PERSISTENT);
    return answer_tagged(c, 304, NULL, etag, r);
}

static enum MHD_Result
answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    return answer(c, status, "text/plain; charset=utf-8", r);
}

/* The tag that makes a page live, naming the build it comes from. */
static void
live_tag(struct server *s, char *tag, size_t cap)
{
    pthread_mutex_lock(&s->hub.lock);
    snprintf(tag, cap, "<script src=\"" LIVE_PREFIX "live.js\" "
             "data-build=\"%s\"></script>", s->hub.build_id);
    pthread_mutex_unlock(&s->hub.lock);
}

/* Answers with an HTML page made live. */
static enum MHD_Result
answer_page(struct MHD_Connection *c, unsigned status, const char *html,
            size_t len, const char *tag)
{
    char *page = http_inject(html, &len, tag);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, page, MHD_RESPMEM_MUST_FREE);
    return answer(c, status, "text/html; charset=utf-8", r);
}

/* Reads all of fd (which this closes) into b. 0, or -1. */
static int
read_all(struct buf *b, int fd)
{
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b->len < HTML_INJECT_MAX)
        buf_put(b, chunk, (size_t)n);
    close(fd);
    return n < 0 ? -1 : 0;
}

static enum MHD_Result
answer_html_file(struct server *s, struct MHD_Connection *c, unsigned status,
                 int fd)
{
    char tag[128];
    live_tag(s, tag, sizeof tag); /* before reading: never newer than it */
    struct buf b = BUF_INIT;
    if (read_all(&b, fd) < 0) {
        buf_dispose(&b);
        return answer_text(c, 500, "the file could not be read\n");
    }
    enum MHD_Result rc = answer_page(c, status, b.data ? b.data : "",
                                     b.len, tag);
    buf_dispose(&b);
    return rc;
}

/* Opens rel (checked by http_request_path) below the output folder, never
 * through a symlink; a folder's index.html stands for the folder. Returns
 * the fd of a regular file, or -1 with errno EISDIR when rel names a
 * folder without its final '/' (to be redirected), else ENOENT. */
static int
open_below(int root, const char *rel, struct stat *st)
{
    char folder[PATH_MAX];
    const char *slash = strrchr(rel, '/');
    const char *name = slash ? slash + 1 : rel;
    size_t n = slash ? (size_t)(slash - rel) : 0;
    memcpy(folder, rel, n);
    folder[n] = '\0';
    bool index = !*name;
    int dir = fs_open_dir_below(root, folder, false);
    if (dir < 0) {
        errno = ENOENT;
        return -1;
    }
    /* O_NONBLOCK: a FIFO put there must not hang the thread */
    int fd = openat(dir, index ? "index.html" : name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    close(dir);
    if (fd >= 0 && fstat(fd, st) == 0 && S_ISREG(st->st_mode))
        return fd;
    bool is_folder = fd >= 0 && !index && S_ISDIR(st->st_mode);
    if (fd >= 0)
        close(fd);
    errno = is_folder ? EISDIR : ENOENT;
    return -1;
}

/* The output folder, opened when a build has made it (a site broken from
 * the start has none, and is still served: its errors show). */
static int
output_root(struct server *s)
{
    pthread_mutex_lock(&s->hub.lock);
    if (s->root < 0)
        s->root = open(s->out_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                       O_CLOEXEC);
    int fd = s->root;
    pthread_mutex_unlock(&s->hub.lock);
    return fd;
}

/* The site's 404 page, or a plain one while there is none. */
static enum MHD_Result
answer_missing(struct server *s, struct MHD_Connection *c)
{
    struct stat st;
    int fd = open_below(output_root(s), "404.html", &st);
    if (fd >= 0)
        return answer_html_file(s, c, 404, fd);
    static const char page[] =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Not "
        "found</title></head><body><p>Not found.</p></body></html>\n";
    char tag[128];
    live_tag(s, tag, sizeof tag);
    return answer_page(c, 404, page, sizeof page - 1, tag);
}

/* ---- the event stream ---- */

struct stream {
    struct server *s;
    unsigned long version; /* the build last told; ULONG_MAX: none yet */
    struct buf out;        /* what is being sent */
    size_t sent;
};

/* Appends the state after the last build as one "build" event: "ok ID"
 * or "failed ID" and the failed build's output, a data line each. */
static void
put_state(struct buf *b, const struct hub *h)
{
    buf_printf(b, "event: build\ndata: %s %s\n", h->ok ? "ok" : "failed",
               h->build_id);
    for (const char *p = h->ok || !h->errors ? "" : h->errors; *p;) {
        size_t n = strcspn(p, "\r\n");
        buf_puts(b, "data: ");
        buf_put(b, p, n);
        buf_putc(b, '\n');
        p += n;
        p += strspn(p, "\r\n") ? 1 : 0;
    }
    buf_putc(b, '\n');
}

/* Waits (a thread of its own per stream) for the next build or a ping. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct stream *st = cls;
    struct hub *h = &st->s->hub;
    (void)pos;
    if (st->sent == st->out.len) {
        buf_clear(&st->out);
        st->sent = 0;
        pthread_mutex_lock(&h->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += PING_SECONDS;
        while (!h->stopping && st->version == h->version &&
               pthread_cond_timedwait(&h->changed, &h->lock, &until) == 0)
            ;
        if (h->stopping) {
            pthread_mutex_unlock(&h->lock);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (st->version != h->version && h->version) {
            put_state(&st->out, h);
            st->version = h->version;
        } else {
            buf_puts(&st->out, ": ping\n\n");
        }
        pthread_mutex_unlock(&h->lock);
    }
    size_t n = st->out.len - st->sent < max ? st->out.len - st->sent : max;
    memcpy(out, st->out.data + st->sent, n);
    st->sent += n;
    return (ssize_t)n;
}

static void
stream_free(void *cls)
{
    struct stream *st = cls;
    buf_dispose(&st->out);
    free(st);
}

static enum MHD_Result
answer_stream(struct server *s, struct MHD_Connection *c)
{
    struct stream *st = xcalloc(1, sizeof *st);
    st->s = s;
    st->version = ULONG_MAX;
    buf_puts(&st->out, "retry: 500\n\n"); /* reconnect soon after a restart */
    struct MHD_Response *r = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
    if (!r) {
        stream_free(st);
        return MHD_NO;
    }
    return answer(c, 200, "text/event-stream", r);
}

/* ---- the request handler ---- */

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **con_cls)
{
    struct server *s = cls;
    (void)version, (void)upload_data, (void)upload_data_size;
    bool readable = !strcmp(method, MHD_HTTP_METHOD_GET) ||
                    !strcmp(method, MHD_HTTP_METHOD_HEAD);
    /* The first call only sees the headers; answering then would close
     * the connection, as a body might follow. A body is refused anyway. */
    if (!*con_cls && readable) {
        *con_cls = s;
        return MHD_YES;
    }
    const char *host =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!http_host_allowed(host, s->bind, s->loopback))
        return answer_text(c, 403, "this server answers to localhost and "
                           "addresses only\n");
    if (!readable) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            20, (void *)"only GET and HEAD\n\n", MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        return answer(c, 405, "text/plain; charset=utf-8", r);
    }
    if (!strcmp(url, LIVE_PREFIX "live.js")) {
        char etag[32]; /* the same script as long as this server runs */
        snprintf(etag, sizeof etag, "\"live-%lu\"", s->start_ms);
        if (not_modified(c, etag))
            return answer_unchanged(c, etag);
        struct MHD_Response *r = MHD_create_response_from_buffer(
            sizeof live_js - 1, (void *)live_js, MHD_RESPMEM_PERSISTENT);
        return answer_tagged(c, 200, "text/javascript; charset=utf-8", etag,
                             r);
    }
    if (!strcmp(url, LIVE_PREFIX "events"))
        return answer_stream(s, c);
    char rel[PATH_MAX];
    int status = http_request_path(url, rel, sizeof rel);
    if (status == 404)
        return answer_missing(s, c);
    if (status)
        return answer_text(c, status, "bad request path\n");
    struct stat st;
    int fd = open_below(output_root(s), rel, &st);
    if (fd < 0 && errno == EISDIR) {
        char *to = xmalloc(strlen(url) + 2);
        sprintf(to, "%s/", url); /* url passed http_request_path */
        struct MHD_Response *r = MHD_create_response_from_buffer(
            0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
        free(to);
        return answer(c, 301, "text/plain; charset=utf-8", r);
    }
    if (fd < 0)
        return answer_missing(s, c);
    const char *type = http_content_type(*rel && rel[strlen(rel) - 1] != '/'
                                         ? rel : "index.html");
    if (!strncmp(type, "text/html", 9) && st.st_size <= HTML_INJECT_MAX)
        return answer_html_file(s, c, 200, fd);
    /* A publish replaces a file by renaming a new one over it: a new
     * inode, so a new tag, even within the same second. */
    char etag[96];
    snprintf(etag, sizeof etag, "\"%lx-%llx-%llx.%lx\"",
             (unsigned long)st.st_ino, (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec,
             (unsigned long)st.st_mtim.tv_nsec);
    if (not_modified(c, etag)) {
        close(fd);
        return answer_unchanged(c, etag);
    }
    return answer_tagged(c, 200, type, etag,
                         MHD_create_response_from_fd64((uint64_t)st.st_size,
                                                       fd));
}

/* Leaves the raw path to http_request_path, which decodes it once. */
static size_t
keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    return strlen(s);
}

/* ---- listening ---- */

static bool
is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >>
                24) == 127;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a) ||
           (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
}

/* Opens the listening socket; *port is updated when it was 0. */
static int
listen_on(const char *bind_to, int *port, bool *loopback, char *host,
          size_t host_cap, struct diags *d)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *ai;
    char service[16];
    snprintf(service, sizeof service, "%d", *port);
    int rc = getaddrinfo(bind_to, service, &hints, &ai);
    if (rc)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0, "--bind %s: %s", bind_to,
                         gai_strerror(rc));
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return diags_add(d, e == EADDRINUSE || e == EACCES ? DIAG_USAGE
                         : DIAG_SYSTEM, NULL, 0, 0, "%s port %d: %s%s",
                         bind_to, *port, strerror(e), e == EADDRINUSE ?
                         " (choose another with --port)" : "");
    }
    *loopback = is_loopback(ai->ai_addr);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    char addr[INET6_ADDRSTRLEN] = "";
    bool any;
    if (sa.ss_family == AF_INET6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&sa;
        *port = ntohs(a6->sin6_port);
        inet_ntop(AF_INET6, &a6->sin6_addr, addr, sizeof addr);
        any = IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);
        snprintf(host, host_cap, "[%s]", addr);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&sa;
        *port = ntohs(a4->sin_port);
        inet_ntop(AF_INET, &a4->sin_addr, addr, sizeof addr);
        any = a4->sin_addr.s_addr == htonl(INADDR_ANY);
        snprintf(host, host_cap, "%s", addr);
    }
    if (any)
        snprintf(host, host_cap, "localhost");
    freeaddrinfo(ai);
    return fd;
}

/* ---- building ---- */

struct builder {
    const char *exe, *out_dir, *base_url;
    bool drafts;
    unsigned long start_ms, builds; /* a build's id: "start_ms.builds" */
    pid_t pid;  /* the running build, or 0 */
    int status; /* the last build's exit status */
    int output; /* its stdout and stderr, or -1 */
    struct buf log;
};

static int
build_start(struct builder *b, struct diags *d)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "pipe: %s",
                         strerror(errno));
    /* A preview's output need not outlive a power cut: no waiting for the
     * disk (syncfs took most of a rebuild's time on a busy machine). */
    const char *argv[] = { b->exe, "build", "--no-sync", "-o", b->out_dir,
                           "--base-url", b->base_url,
                           b->drafts ? "--drafts" : NULL, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    /* The build gets the signals as a terminal would give them. */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none, deflt;
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGTERM);
    sigaddset(&deflt, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &deflt);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
                             POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(&b->pid, b->exe, &fa, &at, (char **)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc) {
        close(fds[0]);
        b->pid = 0;
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s: %s", b->exe,
                         strerror(rc));
    }
    b->output = fds[0];
    buf_clear(&b->log);
    return 0;
}

/* Reads what the build printed, passing it on to stderr; at its end,
 * reaps it and tells the hub. True when the build has finished. */
static bool
build_read(struct builder *b, struct hub *h)
{
    char chunk[4096];
    ssize_t n = read(b->output, chunk, sizeof chunk);
    if (n > 0) {
        fs_write_all(2, chunk, (size_t)n);
        buf_put(&b->log, chunk, (size_t)n);
        return false;
    }
    if (n < 0 && errno == EINTR)
        return false;
    close(b->output);
    b->output = -1;
    int status;
    while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR)
        ;
    b->pid = 0;
    if (WIFSIGNALED(status))
        buf_printf(&b->log, "the build was killed by signal %d\n",
                   WTERMSIG(status));
    b->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    bool ok = b->status == 0;
    pthread_mutex_lock(&h->lock);
    h->version++;
    h->ok = ok;
    free(h->errors);
    h->errors = ok ? NULL : xstrdup(b->log.data ? b->log.data : "");
    if (ok)
        snprintf(h->build_id, sizeof h->build_id, "%lu.%lu", b->start_ms,
                 ++b->builds);
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
    return true;
}

/* Removes a temporary output folder: nftw with FTW_PHYS never follows a
 * symlink out of it. */
static int
remove_entry(const char *path, const struct stat *st, int flag,
             struct FTW *ftw)
{
    (void)st, (void)ftw;
    (flag == FTW_DP ? rmdir : unlink)(path);
    return 0;
}

/* Watches, builds and tells the streams until a signal arrives. */
static void
run_loop(struct builder *b, struct hub *h, int signals, struct watch *w)
{
    unsigned long due = 0, first = 0;
    bool pending = false;
    for (;;) {
        struct pollfd p[3] = { { signals, POLLIN, 0 },
                               { w ? watch_fd(w) : -1, POLLIN, 0 },
                               { b->output, POLLIN, 0 } };
        int wait = -1;
        if (pending && !b->pid) {
            unsigned long now = now_ms();
            wait = due > now ? (int)(due - now) : 0;
        }
        if (wait == 0) {
            struct diags d;
            diags_init(&d);
            if (build_start(b, &d) < 0)
                diags_print(&d, stderr);
            diags_dispose(&d);
            pending = false;
            continue;
        }
        if (poll(p, 3, wait) < 0 && errno != EINTR)
            break;
        if (p[0].revents)
            break;
        if ((p[1].revents & POLLIN) && watch_read(w)) {
            unsigned long now = now_ms();
            if (!pending)
                first = now;
            pending = true;
            due = now + QUIET_MS < first + BURST_MAX_MS ? now + QUIET_MS
                                                         : first + BURST_MAX_MS;
        }
        if (p[2].revents && build_read(b, h) && pending)
            due = now_ms() + QUIET_MS;
    }
    if (b->pid) { /* a Ctrl-C reached it too; SIGTERM is for the rest */
        kill(b->pid, SIGTERM);
        while (b->output >= 0)
            build_read(b, h);
    }
}

int
serve_run(const struct serve_options *o, struct diags *d)
{
    const char *bind_to = o->bind ? o->bind : SERVE_BIND_DEFAULT;
    int port = o->port < 0 ? SERVE_PORT_DEFAULT : o->port;
    struct server s = { .bind = bind_to, .root = -1, .start_ms = now_ms() };
    char host[INET6_ADDRSTRLEN + 8], exe[PATH_MAX], tmp[PATH_MAX] = "";
    int listener = listen_on(bind_to, &port, &s.loopback, host, sizeof host,
                             d);
    if (listener < 0)
        return diags_exit_status(d);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0) {
        close(listener);
        diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "/proc/self/exe: %s",
                  strerror(errno));
        return diags_exit_status(d);
    }
    exe[n] = '\0';
    const char *out_dir = o->out_dir;
    if (!out_dir) {
        const char *t = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/gazette-serve-XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(tmp)) {
            close(listener);
            diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s: %s", tmp,
                      strerror(errno));
            return diags_exit_status(d);
        }
        out_dir = tmp;
    }
    s.out_dir = out_dir;
    char base_url[sizeof host + 32];
    snprintf(base_url, sizeof base_url, "http://%s:%d/", host, port);

    /* The signals are read from a descriptor, by the loop; every thread
     * started from here on inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    int signals = signalfd(-1, &stop, SFD_CLOEXEC);

    pthread_mutex_init(&s.hub.lock, NULL);
    pthread_cond_init(&s.hub.changed, NULL);
    struct builder b = { .exe = exe, .out_dir = out_dir,
                         .base_url = base_url, .drafts = o->drafts,
                         .start_ms = s.start_ms, .output = -1 };
    struct watch *w = watch_open();
    if (!w)
        fprintf(stderr, "warning: inotify: %s: edits will not rebuild\n",
                strerror(errno));
    /* A first build that is refused (exit 2: the output folder is the
     * site's, say) would be refused on every save: stop there. Content
     * errors are served, over the pages. */
    struct MHD_Daemon *daemon = NULL;
    if (build_start(&b, d) == 0)
        while (b.output >= 0)
            build_read(&b, &s.hub);
    if (b.status == 2)
        diags_add(d, DIAG_USAGE, NULL, 0, 0, "the build was refused: "
                  "nothing to serve");
    else if (!diags_exit_status(d))
        daemon = MHD_start_daemon(
            /* ITC: a connection's end wakes the listener, which then
             * drops it from the per-address counts at once */
            MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                MHD_USE_AUTO | MHD_USE_ITC,
            0, NULL, NULL, handle, &s,
            MHD_OPTION_LISTEN_SOCKET, listener,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_CLIENT,
            MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 << 10),
            MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
            MHD_OPTION_END);
    if (!daemon && !diags_exit_status(d))
        diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "the HTTP server did not start");
    if (daemon) {
        if (!s.loopback)
            fprintf(stderr, "warning: bound to %s, beyond this machine: "
                    "anyone who can reach it can read the site\n", bind_to);
        printf("serving http://%s:%d/ from %s (Ctrl-C to stop)\n", host,
               port, out_dir);
        fflush(stdout);
        run_loop(&b, &s.hub, signals, w);
        pthread_mutex_lock(&s.hub.lock);
        s.hub.stopping = true;
        pthread_cond_broadcast(&s.hub.changed);
        pthread_mutex_unlock(&s.hub.lock);
        MHD_stop_daemon(daemon);
    } else {
        close(listener);
    }
    watch_close(w);
    if (s.root >= 0)
        close(s.root);
    close(signals);
    free(s.hub.errors);
    buf_dispose(&b.log);
    if (*tmp)
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return diags_exit_status(d);
}
