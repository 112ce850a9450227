/* config.c: reads site.yaml into struct site_config. Part of parse/; every
 * bad value is reported with its position. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <ctype.h>
#include <string.h>

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
    c->params = arena_alloc(a, sizeof *c->params);
    c->params->kind = PARAM_MAP;
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

static void
config_field(struct yaml_file *y, const char *key, yaml_node_t *v, void *p)
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
    } else if (!strcmp(key, "unsafe_html")) {
        yaml_get_bool(y, key, v, &c->unsafe_html);
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
    if (document_check_utf8(in, d) < 0)
        return -1;
    struct yaml_file y;
    int rc = yaml_file_load(&y, in->path, in->data, in->len, 1, a, d);
    if (rc == 0)
        yaml_file_fields(&y, config_field, out);
    if (y.errors)
        rc = -1;
    yaml_file_dispose(&y);
    return rc;
}
