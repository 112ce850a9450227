/* fuzz_mustache.c: libFuzzer target for mustache/. The input is split at
 * NUL bytes into up to three templates, compiled as "main", "part" and
 * "parent" (so that {{>part}}, {{<parent}}...{{/parent}} and the dynamic
 * {{>*dyn}} find something), then each one that compiled is rendered with
 * a small fixed context. Besides crashes it checks the contracts of
 * mustache.h: a failure leaves a diag, and a failed render leaves the
 * output as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/mustache/mustache.h"

/* Sections over a list render once per item, so n nested sections over
 * `items` render 3^n times: a template can take as long as it likes, by
 * design. Inputs naming the list more often than this are skipped, so
 * that a timeout means a real slow path. */
#define MAX_LIST_NAMES 6

static struct arena *ctx_arena;
static struct value *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct value *
item(struct arena *a, const char *name, const char *url, bool draft)
{
    struct value *m = value_map(a);
    value_set_str(a, m, "name", name);
    value_set_str(a, m, "url", url);
    value_set_bool(a, m, "draft", draft);
    return m;
}

/* The context: strings (one needing escapes, one empty), a null, booleans,
 * numbers, the names of the templates for dynamic tags, a nested map and
 * two lists. No value inside another reuses a key of the root. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    struct arena *a = ctx_arena = arena_new();
    ctx = value_map(a);
    value_set_str(a, ctx, "title", "Gazette <b>&amp;</b> \"quoted\" 'too'");
    value_set(a, ctx, "empty", value_str(a, ""));
    value_set(a, ctx, "none", value_null(a));
    value_set_bool(a, ctx, "yes", true);
    value_set_bool(a, ctx, "no", false);
    value_set_int(a, ctx, "n", 42);
    value_set(a, ctx, "ratio", value_number(a, "1.210"));
    value_set_str(a, ctx, "dyn", "part");
    value_set_str(a, ctx, "dyn_parent", "parent");
    value_set_str(a, ctx, "dyn_missing", "nowhere");

    struct value *site = value_map(a), *params = value_map(a);
    value_set_str(a, params, "color", "blue");
    value_set_bool(a, params, "flag", true);
    value_set_str(a, site, "base_url", "https://example.org/");
    value_set_str(a, site, "lang", "en");
    value_set(a, site, "params", params);
    value_set(a, ctx, "site", site);

    struct value *items = value_list(a);
    value_push(a, items, value_str(a, "first"));
    value_push(a, items, item(a, "x", "x/", false));
    value_push(a, items, item(a, "<y>", "y/", true));
    value_set(a, ctx, "items", items);
    value_set(a, ctx, "none_list", value_list(a));
    return 0;
}

/* How often "items" occurs in data. */
static size_t
count_list_names(const uint8_t *data, size_t size)
{
    size_t n = 0;
    const void *at = data, *end = data + size;
    while ((at = memmem(at, (size_t)((const uint8_t *)end -
                                     (const uint8_t *)at), "items", 5))) {
        n++;
        at = (const uint8_t *)at + 5;
    }
    return n;
}

static void
fail(const char *name, const char *why)
{
    fprintf(stderr, "fuzz_mustache: %s: %s\n", name, why);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (count_list_names(data, size) > MAX_LIST_NAMES)
        return 0;
    static const char *const names[] = { "main", "part", "parent" };
    static const char *const paths[] = {
        "themes/t/main.mustache", "themes/t/part.mustache",
        "themes/t/parent.mustache",
    };
    struct mustache_set *set = mustache_set_new();
    struct diags d;
    diags_init(&d);

    /* Split at the first two NULs; the last part keeps any others. */
    const char *src = (const char *)data, *end = src + size;
    bool compiled[3] = { false, false, false };
    for (int i = 0; i < 3 && src <= end; i++) {
        const char *nul = i < 2 ? memchr(src, '\0', (size_t)(end - src))
                                : NULL;
        size_t len = nul ? (size_t)(nul - src) : (size_t)(end - src);
        size_t before = diags_count(&d, DIAG_CONTENT);
        int rc = mustache_set_add(set, names[i], paths[i], src, len, &d);
        if (rc < 0 && diags_count(&d, DIAG_CONTENT) == before)
            fail(names[i], "mustache_set_add returned -1 without a diag");
        if (mustache_set_has(set, names[i]) != (rc == 0))
            fail(names[i], "mustache_set_has disagrees with mustache_set_add");
        compiled[i] = rc == 0;
        if (!nul)
            break;
        src = nul + 1;
    }

    struct buf out = BUF_INIT;
    for (int i = 0; i < 3; i++) {
        if (!compiled[i])
            continue;
        buf_clear(&out);
        buf_puts(&out, "kept");
        size_t before = diags_count(&d, DIAG_CONTENT);
        int rc = mustache_render(&out, set, names[i], ctx, &d);
        if (!out.data || out.data[out.len] != '\0')
            fail(names[i], "the output is not NUL-terminated");
        if (rc < 0 && diags_count(&d, DIAG_CONTENT) == before)
            fail(names[i], "mustache_render returned -1 without a diag");
        if (rc < 0 && strcmp(out.data, "kept") != 0)
            fail(names[i], "a failed render changed the output");
        if (rc == 0 && (out.len < 4 || memcmp(out.data, "kept", 4) != 0))
            fail(names[i], "the render did not append");
    }
    buf_dispose(&out);
    diags_dispose(&d);
    mustache_set_free(set);
    return 0;
}
