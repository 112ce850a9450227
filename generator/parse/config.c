/* config.c: reads site.yaml into struct site_config. Part of parse/; every
 * bad value is reported with its position. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void
config_defaults(struct site_config *c, struct arena *a)
{
    memset(c, 0, sizeof *c);
    c->title = "gazette";
    c->description = "";
    c->language = "en";
    c->theme = "default";
    c->base_url = "/";
    c->base_path = "/";
    c->per_page = 10;
    c->feed_size = 20;
    c->limits = (struct site_limits){
        .front_matter_bytes = 64 << 10,
        .post_bytes = PARSE_POST_BYTES_DEFAULT,
        .page_bytes = 16 << 20,
        .yaml_depth = 64,
        .parse_seconds = 2,
        .parse_memory = (size_t)512 << 20,
    };
    c->params = arena_alloc(a, sizeof *c->params);
    c->params->kind = PARAM_MAP;
    c->hashtags = HASHTAGS_TEXT;
    c->channel_hashtags = arena_alloc(a, sizeof *c->channel_hashtags);
    c->channel_hashtags->a = a;
}

int
config_hashtags(struct yaml_file *y, struct ynode *v,
                enum hashtag_source *out)
{
    const char *s = NULL;
    if (yaml_get_string(y, "hashtags", v, &s) < 0)
        return -1;
    if (s && !strcmp(s, "text"))
        *out = HASHTAGS_TEXT;
    else if (s && !strcmp(s, "front_matter"))
        *out = HASHTAGS_FRONT_MATTER;
    else {
        yaml_error(y, v, "hashtags: expected text (hashtags in the text and "
                   "tags count) or front_matter (only tags counts), got %s",
                   yaml_shown(y, v));
        return -1;
    }
    return 0;
}

void
config_record_hashtags(const struct site_config *cfg, const char *channel,
                       enum hashtag_source mode)
{
    struct channel_hashtags *t = cfg->channel_hashtags;
    if (!t)
        return; /* settings parse_config did not make */
    size_t i = 0;
    while (i < t->len && strcmp(t->items[i].channel, channel))
        i++;
    if (i == t->len) {
        t->items = arena_grow(t->a, t->items, sizeof *t->items, &t->cap,
                              t->len + 1);
        t->items[t->len++].channel = arena_strdup(t->a, channel);
    }
    t->items[i].mode = mode;
}

enum hashtag_source
config_hashtags_of(const struct site_config *cfg, const char *channel)
{
    const struct channel_hashtags *t = cfg->channel_hashtags;
    for (size_t i = 0; channel && t && i < t->len; i++)
        if (!strcmp(t->items[i].channel, channel) &&
            t->items[i].mode != HASHTAGS_UNSET)
            return t->items[i].mode;
    return cfg->hashtags;
}

const char *
config_channel_named(const struct site_config *cfg, const char *name, size_t n)
{
    const struct channel_hashtags *t = cfg->channel_hashtags;
    for (size_t i = 0; t && i < t->len; i++) {
        const char *c = t->items[i].channel;
        if (strlen(c) == n && !strncasecmp(c, name, n))
            return c;
    }
    return NULL;
}

/* True for a language tag as <html lang> takes it: letters, digits, '-'. */
static bool
is_lang_tag(const char *s)
{
    if (!s || !isalpha((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-')
            return false;
    return true;
}

/* True for a host name as a CNAME file holds it: dot-separated labels of
 * letters, digits and '-' (not first or last), 1-63 bytes each, 253 in
 * all, at least two labels. */
static bool
is_host_name(const char *s)
{
    size_t n = strlen(s), labels = 0;
    if (!n || n > 253)
        return false;
    for (const char *p = s; *p;) {
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (!len || len > 63 || p[0] == '-' || p[len - 1] == '-' ||
            (p[len] && p[len] != '.') || (p[len] == '.' && !p[len + 1]))
            return false;
        labels++;
        p += len + (p[len] == '.');
    }
    return labels >= 2;
}

/* Checks base_url and derives base_path: "https://host/site" gives
 * "https://host/site/" and "/site/". A bare "/" (no host) is allowed. */
int
parse_base_url(struct site_config *c, const char *url, struct arena *a)
{
    size_t n = strlen(url);
    const char *path;
    if (url[0] == '/') {
        path = url;
    } else {
        const char *scheme = strstr(url, "://");
        if (!scheme || (strncmp(url, "http", 4) && strncmp(url, "file", 4)))
            return -1;
        path = strchr(scheme + 3, '/');
        if (!path)
            path = url + n;
    }
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("\"'<>\\`", *p))
            return -1;
    bool slash = n && url[n - 1] == '/';
    c->base_url = slash ? arena_strdup(a, url) : arena_printf(a, "%s/", url);
    c->base_path = *path ? (slash ? arena_strdup(a, path)
                                  : arena_printf(a, "%s/", path))
                         : "/";
    return 0;
}

/* The keys of `limits:`, each a whole number in a range that keeps a
 * build possible (a depth of 1 still allows flat fields). */
static const struct {
    const char *key;
    long min, max;
} limit_keys[] = {
    { "front_matter_kib", 1, 16384 }, { "post_mib", 1, 1024 },
    { "page_mib", 1, 1024 },          { "yaml_depth", 1, 1000 },
    { "parse_seconds", 1, 3600 },     { "parse_mib", 16, 65536 },
};

static void
set_limit(struct site_limits *l, size_t which, long n)
{
    size_t u = (size_t)n;
    if (which == 0)
        l->front_matter_bytes = u << 10;
    else if (which == 1)
        l->post_bytes = u << 20;
    else if (which == 2)
        l->page_bytes = u << 20;
    else if (which == 3)
        l->yaml_depth = (unsigned)n;
    else if (which == 4)
        l->parse_seconds = (unsigned)n;
    else
        l->parse_memory = u << 20;
}

/* One key: value of `limits:`. */
static void
limit_field(struct yaml_file *y, struct ynode *k, struct ynode *v,
            struct site_limits *l)
{
    size_t n = sizeof limit_keys / sizeof *limit_keys, i = 0;
    while (i < n && (k->kind != YNODE_SCALAR || strcmp(k->text,
                                                       limit_keys[i].key)))
        i++;
    if (i == n) {
        yaml_error(y, k, "limits: unknown limit %s (known: front_matter_kib, "
                   "post_mib, page_mib, yaml_depth, parse_seconds, "
                   "parse_mib)", yaml_shown(y, k));
        return;
    }
    const char *name = arena_printf(y->a, "limits.%s", limit_keys[i].key);
    long num;
    if (yaml_get_long(y, name, v, &num) < 0)
        return; /* reported */
    if (num < limit_keys[i].min || num > limit_keys[i].max)
        yaml_error(y, v, "%s: expected a number from %ld to %ld, got %ld",
                   name, limit_keys[i].min, limit_keys[i].max, num);
    else
        set_limit(l, i, num);
}

static void
config_limits(struct yaml_file *y, struct ynode *v, struct site_limits *l)
{
    if (v->kind == YNODE_SCALAR && v->plain && !*v->text)
        return; /* "limits:" and nothing: the defaults */
    if (v->kind != YNODE_MAP) {
        yaml_error(y, v, "limits: expected a mapping such as {post_mib: 8}, "
                   "got %s", yaml_shown(y, v));
        return;
    }
    for (size_t i = 0; i + 1 < v->nitems; i += 2)
        limit_field(y, v->items[i], v->items[i + 1], l);
}

/* Checks a `permalinks:` pattern (see struct permalink), reporting what
 * is wrong with it at v. Returns 0 or -1. */
static int
check_permalink(struct yaml_file *y, struct ynode *v, const char *key,
                const char *s)
{
    static const char *const tokens[] = { "year", "month", "day", "slug",
                                          "channel" };
    size_t n = strlen(s);
    if (n < 2 || s[0] != '/' || s[n - 1] != '/') {
        yaml_error(y, v, "%s: \"%s\" must start and end with '/' and name "
                   "at least one segment, e.g. /:year/:month/:slug/", key, s);
        return -1;
    }
    for (const char *seg = s + 1; *seg; seg += strcspn(seg, "/") + 1) {
        size_t len = strcspn(seg, "/");
        if (!len || (len == 1 && *seg == '.') ||
            (len == 2 && !strncmp(seg, "..", 2))) {
            yaml_error(y, v, "%s: \"%s\" has an empty, \".\" or \"..\" "
                       "segment", key, s);
            return -1;
        }
        for (const char *p = seg; p < seg + len; p++) {
            if (*p != ':') {
                if (isalnum((unsigned char)*p) || strchr("-._~", *p))
                    continue;
                size_t bytes;
                utf8_decode(p, (size_t)(seg + len - p), &bytes);
                yaml_error(y, v, "%s: \"%s\" has \"%.*s\", which is not "
                           "allowed in a URL pattern (letters, digits, "
                           "\"-._~\" and the tokens :year :month :day :slug "
                           ":channel)", key, s, (int)bytes, p);
                return -1;
            }
            size_t name = 1;
            while (isalnum((unsigned char)p[name]) || p[name] == '_')
                name++;
            size_t k = 0;
            while (k < sizeof tokens / sizeof *tokens &&
                   (strlen(tokens[k]) != name - 1 ||
                    strncmp(p + 1, tokens[k], name - 1)))
                k++;
            if (k == sizeof tokens / sizeof *tokens) {
                yaml_error(y, v, "%s: \"%s\" has an unknown token \"%.*s\" "
                           "(known: :year :month :day :slug :channel)", key,
                           s, (int)name, p);
                return -1;
            }
            p += name - 1;
        }
    }
    return 0;
}

/* `permalinks:`: a channel's name -> its posts' URL pattern. */
static void
config_permalinks(struct yaml_file *y, struct ynode *v, struct site_config *c)
{
    if (v->kind == YNODE_SCALAR && v->plain && !*v->text)
        return; /* "permalinks:" and nothing: the files' paths */
    if (v->kind != YNODE_MAP) {
        yaml_error(y, v, "permalinks: expected a mapping of channels to URL "
                   "patterns such as {news: /:year/:month/:slug/}, got %s",
                   yaml_shown(y, v));
        return;
    }
    c->permalinks = arena_alloc(y->a, (v->nitems / 2 + 1) *
                                          sizeof *c->permalinks);
    for (size_t i = 0; i + 1 < v->nitems; i += 2) {
        struct ynode *k = v->items[i], *pattern = v->items[i + 1];
        if (k->kind != YNODE_SCALAR || !*k->text) {
            yaml_error(y, k, "permalinks: a channel's name must be text");
            continue;
        }
        size_t seen = 0;
        while (seen < i && (v->items[seen]->kind != YNODE_SCALAR ||
                            strcmp(v->items[seen]->text, k->text)))
            seen += 2;
        const char *key = arena_printf(y->a, "permalinks.%s", k->text);
        const char *s = NULL;
        if (seen < i)
            yaml_error(y, k, "permalinks: channel \"%s\" is given twice",
                       k->text);
        else if (yaml_get_string(y, key, pattern, &s) == 0 && s &&
                 check_permalink(y, pattern, key, s) == 0)
            c->permalinks[c->npermalinks++] = (struct permalink){
                arena_strdup(y->a, k->text), yaml_locate(y, pattern) };
    }
}

static void
config_field(struct yaml_file *y, const char *key, struct ynode *v, void *p)
{
    struct site_config *c = p;
    const char *s = NULL;
    if (!strcmp(key, "title") || !strcmp(key, "description") ||
        !strcmp(key, "author")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s)
            *(!strcmp(key, "title")         ? &c->title
              : !strcmp(key, "description") ? &c->description
                                            : &c->author) = s;
    } else if (!strcmp(key, "language")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s && !is_lang_tag(s))
            yaml_error(y, v, "language: expected a language tag such as en "
                       "or pt-BR, got \"%s\"", s);
        else if (s)
            c->language = s;
    } else if (!strcmp(key, "base_url")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s &&
            parse_base_url(c, s, y->a) < 0)
            yaml_error(y, v, "base_url: expected an absolute URL such as "
                       "https://example.org/blog/, got \"%s\"", s);
    } else if (!strcmp(key, "theme")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s &&
            (strchr(s, '/') || s[0] == '.' || !*s))
            yaml_error(y, v, "theme: expected the name of a folder in "
                       "themes/, got \"%s\"", s);
        else if (s)
            c->theme = s, c->theme_at = yaml_locate(y, v);
    } else if (!strcmp(key, "per_page")) {
        long n;
        if (yaml_get_long(y, key, v, &n) < 0)
            return; /* reported */
        if (n < 1 || n > 100000)
            yaml_error(y, v, "per_page: expected a number from 1 to 100000, "
                       "got %ld", n);
        else
            c->per_page = n;
    } else if (!strcmp(key, "feed_size")) {
        long n;
        if (yaml_get_long(y, key, v, &n) < 0)
            return; /* reported */
        if (n < 1 || n > 100000)
            yaml_error(y, v, "feed_size: expected a number from 1 to 100000, "
                       "got %ld", n);
        else
            c->feed_size = n;
    } else if (!strcmp(key, "cname")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s && !is_host_name(s))
            yaml_error(y, v, "cname: expected a host name such as "
                       "www.example.org, got \"%s\"", s);
        else if (s)
            c->cname = s;
    } else if (!strcmp(key, "unsafe_html")) {
        yaml_get_bool(y, key, v, &c->unsafe_html);
    } else if (!strcmp(key, "limits")) {
        config_limits(y, v, &c->limits);
    } else if (!strcmp(key, "permalinks")) {
        config_permalinks(y, v, c);
    } else if (!strcmp(key, "hashtags")) {
        config_hashtags(y, v, &c->hashtags);
    } else {
        yaml_params_add(y->a, c->params, key, yaml_to_param(y, v));
    }
}

int
parse_config(struct site_config *out, const struct source_file *in,
             struct arena *a, struct diags *d)
{
    config_defaults(out, a);
    if (!in)
        return 0;
    out->path = in->path;
    if (document_check_size(in, &out->limits, d) < 0 ||
        document_check_utf8(in, d) < 0)
        return -1;
    /* The defaults bound site.yaml itself: its limits apply to what
     * follows it. */
    struct yaml_file y;
    int rc = yaml_file_load(&y, in->path, in->data, in->len, 1,
                            out->limits.yaml_depth, a, d);
    if (rc == 0)
        yaml_file_fields(&y, config_field, out);
    if (y.errors)
        rc = -1;
    yaml_file_dispose(&y);
    return rc;
}
