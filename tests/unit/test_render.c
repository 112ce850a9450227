/* test_render.c: render/ on a hand-made site with the built-in theme:
 * the pages listed, pagination links, base paths, percent-encoded hrefs,
 * escaping, and theme files overridden by the site's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/base/arena.h"
#include "../../generator/diag.h"
#include "../../generator/render/render.h"

struct fixture {
    struct arena *a;
    struct diags d;
    struct site_config cfg;
    struct channel channel;
    struct post posts[25];
    struct site site;
    struct source src;
    struct output out;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diags_init(&f->d);
    parse_config(&f->cfg, NULL, f->a, &f->d);
    f->cfg.title = "T";
    f->cfg.base_url = "https://u.github.io/site/";
    f->cfg.base_path = "/site/";
    f->channel = (struct channel){ .name = "c", .title = "Chan",
                                   .description = "", .about_html = "<p>A</p>" };
    for (int i = 0; i < 25; i++) {
        struct post *p = &f->posts[i];
        p->path = arena_printf(f->a, "content/c/p%d.md", i);
        p->folder = "c";
        p->slug = i == 0 ? "мир" : arena_printf(f->a, "p%d", i);
        p->title = i == 0 ? "<script>alert(1)</script>"
                          : arena_printf(f->a, "Post %d", i);
        p->date = (struct timestamp){ 1700000000 + i * 86400, 60, true };
        p->summary_html = "<p>s</p>";
        p->description = "\"><img onerror=x>";
        p->body_html = "<p>body</p>";
        p->params = arena_alloc(f->a, sizeof *p->params);
        p->params->kind = PARAM_MAP;
    }
    f->channel.params = f->posts[0].params;
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, f->a,
                &f->d);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    output_dispose(&f->out);
    diags_dispose(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static const char *
page(struct fixture *f, const char *path)
{
    for (size_t i = 0; i < f->out.len; i++)
        if (!strcmp(f->out.files[i].path, path))
            return f->out.files[i].data;
    fail_msg("no output file %s", path);
    return NULL;
}

/* Compiles the theme of f->src and renders the site with it on jobs threads;
 * returns render_theme's result. */
static int
render(struct fixture *f, int jobs)
{
    struct theme *theme;
    if (render_theme(&theme, &f->cfg, &f->src, f->a, &f->d) < 0)
        return -1;
    int rc = render_site(&f->out, &f->site, theme, jobs, f->a, &f->d);
    render_theme_free(theme);
    return rc;
}

static void
test_pages_and_links(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(render(f, 2), 0);
    const char *home = page(f, "index.html");
    page(f, "page/2/index.html");
    const char *last = page(f, "page/3/index.html");
    page(f, "c/index.html");
    page(f, "c/page/3/index.html");
    page(f, "404.html");
    page(f, "assets/style.css");
    const char *post = page(f, "c/мир/index.html");
    /* 3 + 3 list pages, 25 posts, 404, the assets. */
    assert_true(f->out.len >= 3 + 3 + 25 + 1 + 1);
    assert_non_null(strstr(home, "href=\"/site/page/2/\""));
    assert_non_null(strstr(home, "href=\"/site/assets/style.css\""));
    assert_non_null(strstr(home, "<link rel=\"canonical\" href=\"https://u.github.io/site/\">"));
    assert_null(strstr(home, "rel=\"prev\""));
    assert_non_null(strstr(last, "rel=\"prev\" href=\"/site/page/2/\""));
    assert_null(strstr(last, "rel=\"next\""));
    assert_non_null(strstr(last, "href=\"/site/c/%D0%BC%D0%B8%D1%80/\""));
    assert_non_null(strstr(post, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(post, "<script>"));
    assert_non_null(strstr(post, "content=\"&quot;&gt;&lt;img onerror=x&gt;\""));
    assert_non_null(strstr(post, "<time datetime=\"2023-11-14T23:13:20+01:00\">14 November 2023</time>"));
    assert_non_null(strstr(post, "<html lang=\"en\">"));
}

static void
test_theme_override_and_errors(void **state)
{
    struct fixture *f = *state;
    struct source_file files[2] = {
        { .path = "themes/default/templates/404.mustache",
          .data = "{{<base}}{{$content}}Custom 404{{/content}}{{/base}}" },
        { .path = "themes/default/templates/post.mustache",
          .data = "{{#post}}\n  {{title}}\n" },
    };
    files[0].len = strlen(files[0].data);
    files[1].len = strlen(files[1].data);
    f->src.files = files;
    f->src.nfiles = 1;
    assert_int_equal(render(f, 1), 0);
    assert_non_null(strstr(page(f, "404.html"), "Custom 404"));
    assert_non_null(strstr(page(f, "404.html"), "<html lang="));
    output_dispose(&f->out);
    f->src.nfiles = 2;
    assert_int_equal(render(f, 1), -1);
    assert_int_equal(f->d.len, 1);
    assert_string_equal(f->d.items[0].path,
                        "themes/default/templates/post.mustache");
    assert_int_equal(f->d.items[0].line, 1);
    assert_int_equal(f->d.items[0].col, 1);
}

/* A theme named in site.yaml that the site does not have is blamed on the
 * setting; with no site.yaml nothing is blamed on it. */
static void
test_theme_missing(void **state)
{
    struct fixture *f = *state;
    struct theme *t;
    struct source_file other = { .path = "themes/other/assets/x.css",
                                 .data = "", .len = 0 };
    f->src.files = &other;
    f->src.nfiles = 1;
    f->cfg.path = "site.yaml";
    f->cfg.theme = "mine";
    f->cfg.theme_at = (struct located){ "mine", 3, 8 };
    assert_int_equal(render_theme(&t, &f->cfg, &f->src, f->a, &f->d), -1);
    assert_null(t);
    assert_int_equal(f->d.len, 1);
    assert_string_equal(f->d.items[0].path, "site.yaml");
    assert_int_equal(f->d.items[0].line, 3);
    assert_int_equal(f->d.items[0].col, 8);
    assert_string_equal(f->d.items[0].msg,
                        "theme: no folder themes/mine/ in the site");
    /* No site.yaml: the built-in theme, and no error at all. */
    diags_dispose(&f->d);
    diags_init(&f->d);
    parse_config(&f->cfg, NULL, f->a, &f->d);
    assert_int_equal(render_theme(&t, &f->cfg, &f->src, f->a, &f->d), 0);
    assert_int_equal(f->d.len, 0);
    render_theme_free(t);
}

/* A page past limits.page_bytes is an error naming it. */
static void
test_page_bound(void **state)
{
    struct fixture *f = *state;
    f->cfg.limits.page_bytes = 2000;
    assert_int_equal(render(f, 2), -1);
    assert_true(f->d.len > 0);
    assert_non_null(strstr(f->d.items[0].msg, "over the limit of 0 MiB"));
    assert_non_null(strstr(f->d.items[0].msg, "the page "));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pages_and_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_theme_override_and_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_theme_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_bound, setup, teardown),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
