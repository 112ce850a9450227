/* http.c: the rules of the preview server that need no socket: request
 * paths, Host headers, content types and the live-reload tag. Part of
 * serve/. */
#include "serve_private.h"
#include "../base/base.h"
#include "../write/write.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
http_request_path(const char *raw, char *out, size_t cap)
{
    if (raw[0] != '/')
        return 400;
    size_t n = 0;
    for (const char *p = raw + 1; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
            if (lo < 0)
                return 400;
            c = (unsigned char)(hi * 16 + lo);
            /* An encoded separator would be a second, hidden path syntax;
             * decoding happens once, so "%252e" stays the name "%2e". */
            if (c == '/' || c == '\\' || c == '\0')
                return 400;
            p += 2;
        }
        if (c == '\\' || c < 0x20 || c == 0x7f)
            return 400;
        if (n + 1 >= cap)
            return 414;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    /* Every segment but a last empty one (a folder's "/") is a name. */
    for (const char *s = out; *s;) {
        const char *end = strchr(s, '/');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == 0 || (len == 1 && s[0] == '.') ||
            (len == 2 && s[0] == '.' && s[1] == '.'))
            return 400;
        if (s == out && len == strlen(WRITE_STATE_DIR) &&
            !memcmp(s, WRITE_STATE_DIR, len))
            return 404;
        if (!end)
            break;
        s = end + 1;
    }
    return 0;
}

/* Copies the host part of a Host header (no port, no brackets) into out. */
static bool
host_name(const char *host, char *out, size_t cap)
{
    const char *start = host, *end;
    if (*host == '[') {
        start = host + 1;
        end = strchr(start, ']');
        if (!end || (end[1] && end[1] != ':'))
            return false;
    } else {
        end = strchr(host, ':');
        if (!end)
            end = host + strlen(host);
    }
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, start, n);
    out[n] = '\0';
    return true;
}

static bool
is_address(const char *name)
{
    unsigned char addr[16];
    return inet_pton(AF_INET, name, addr) == 1 ||
           inet_pton(AF_INET6, name, addr) == 1;
}

bool
http_host_allowed(const char *host, const char *bind, bool loopback)
{
    char name[256];
    if (!host || !host_name(host, name, sizeof name))
        return false;
    size_t n = strlen(name);
    if (name[n - 1] == '.') /* "localhost." is "localhost" */
        name[--n] = '\0';
    if (n == 0)
        return false;
    if (is_address(name) || !strcasecmp(name, "localhost") ||
        (bind && !strcasecmp(name, bind)))
        return true;
    char self[256];
    if (loopback || gethostname(self, sizeof self) < 0)
        return false;
    self[sizeof self - 1] = '\0';
    size_t m = strlen(self);
    return !strcasecmp(name, self) ||
           (n == m + 6 && !strncasecmp(name, self, m) &&
            !strcasecmp(name + m, ".local"));
}

const char *
http_content_type(const char *name)
{
    static const char *const types[][2] = {
        { "html", "text/html; charset=utf-8" },
        { "htm", "text/html; charset=utf-8" },
        { "css", "text/css; charset=utf-8" },
        { "js", "text/javascript; charset=utf-8" },
        { "mjs", "text/javascript; charset=utf-8" },
        { "json", "application/json" },
        { "xml", "application/xml" },
        { "txt", "text/plain; charset=utf-8" },
        { "md", "text/plain; charset=utf-8" },
        { "svg", "image/svg+xml" },
        { "png", "image/png" },
        { "jpg", "image/jpeg" },
        { "jpeg", "image/jpeg" },
        { "gif", "image/gif" },
        { "webp", "image/webp" },
        { "avif", "image/avif" },
        { "ico", "image/vnd.microsoft.icon" },
        { "woff", "font/woff" },
        { "woff2", "font/woff2" },
        { "ttf", "font/ttf" },
        { "otf", "font/otf" },
        { "pdf", "application/pdf" },
        { "mp4", "video/mp4" },
        { "webm", "video/webm" },
        { "mp3", "audio/mpeg" },
        { "ogg", "audio/ogg" },
        { "wasm", "application/wasm" },
        { "map", "application/json" },
    };
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash + 1 : name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (!strcasecmp(dot + 1, types[i][0]))
                return types[i][1];
    return "application/octet-stream";
}

char *
http_inject(const char *html, size_t *len, const char *tag)
{
    size_t n = *len, t = strlen(tag), at = n;
    for (size_t i = n; i >= 7; i--)
        if (!strncasecmp(html + i - 7, "</body>", 7)) {
            at = i - 7;
            break;
        }
    char *out = xmalloc(n + t + 1);
    memcpy(out, html, at);
    memcpy(out + at, tag, t);
    memcpy(out + at + t, html + at, n - at);
    out[n + t] = '\0';
    *len = n + t;
    return out;
}
