/* test_render.c: render/ on a hand-made site with the built-in theme:
 * the pages listed, pagination links, base paths, percent-encoded hrefs,
 * escaping, theme files overridden by the site's own, head metadata, the
 * feeds (links made absolute, text XML allows), links to posts' files,
 * the sitemap and its index, robots.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/render/render.h"
#include "../../generator/render/render_private.h"

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
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
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
    int rc = render_site(&f->out, &f->site, theme, NULL, jobs, f->a, &f->d);
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

/* The number of times needle occurs in haystack. */
static size_t
count(const char *haystack, const char *needle)
{
    /* No strstr: a sanitizer measures the whole haystack on every call. */
    size_t n = 0, len = strlen(needle);
    for (const char *p = haystack; *p; p++)
        n += *p == *needle && !strncmp(p, needle, len);
    return n;
}

static bool
has_file(struct fixture *f, const char *path)
{
    for (size_t i = 0; i < f->out.len; i++)
        if (!strcmp(f->out.files[i].path, path))
            return true;
    return false;
}

/* Every page links its feeds; posts are Open Graph articles with their
 * dates, tags, image and locale; other pages are websites. */
static void
test_head_metadata(void **state)
{
    struct fixture *f = *state;
    struct param *image = arena_alloc(f->a, sizeof *image);
    *image = (struct param){ .kind = PARAM_SCALAR, .text = "../img/a b.png" };
    struct param *params = f->posts[3].params =
        arena_alloc(f->a, sizeof *params);
    params->kind = PARAM_MAP;
    params->keys = (const char *[]){ "image" };
    params->items = (struct param *[]){ image };
    params->len = 1;
    f->posts[3].lang = "pt-BR";
    f->posts[4].lang = "eo";
    f->posts[5].lang = "zh-Hant-TW";
    f->posts[5].updated = (struct timestamp){ 1800000000, 0, true };
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    assert_int_equal(render(f, 2), 0);
    const char *home = page(f, "index.html");
    assert_non_null(strstr(home, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"T (Atom)\" href=\"/site/feed.xml\">"));
    assert_non_null(strstr(home, "<link rel=\"alternate\" type=\"application/feed+json\" title=\"T (JSON Feed)\" href=\"/site/feed.json\">"));
    assert_non_null(strstr(home, "<meta property=\"og:type\" content=\"website\">"));
    assert_non_null(strstr(home, "<meta property=\"og:url\" content=\"https://u.github.io/site/\">"));
    assert_non_null(strstr(home, "<meta property=\"og:locale\" content=\"en_US\">"));
    assert_non_null(strstr(home, "<meta name=\"twitter:card\" content=\"summary\">"));
    assert_null(strstr(home, "article:"));
    const char *chan = page(f, "c/page/2/index.html");
    assert_non_null(strstr(chan, "title=\"Chan · T (Atom)\" href=\"/site/c/feed.xml\">"));
    assert_non_null(strstr(chan, "href=\"/site/feed.json\">"));
    const char *post = page(f, "c/p3/index.html");
    assert_non_null(strstr(post, "<meta property=\"og:type\" content=\"article\">"));
    assert_non_null(strstr(post, "<meta property=\"og:image\" content=\"https://u.github.io/site/c/img/a%20b.png\">"));
    assert_non_null(strstr(post, "<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert_non_null(strstr(post, "<meta property=\"og:locale\" content=\"pt_BR\">"));
    assert_non_null(strstr(post, "<meta property=\"article:published_time\" content=\"2023-11-17T23:13:20+01:00\">"));
    assert_non_null(strstr(post, "href=\"/site/c/feed.xml\">"));
    assert_non_null(strstr(page(f, "c/p4/index.html"), "og:locale\" content=\"eo\">"));
    const char *p5 = page(f, "c/p5/index.html");
    assert_non_null(strstr(p5, "og:locale\" content=\"zh_TW\">"));
    assert_non_null(strstr(p5, "<meta property=\"article:modified_time\" content=\"2027-01-15T08:00:00+00:00\">"));
    /* The post with a <script> title: escaped in every meta tag. */
    const char *evil = page(f, "c/мир/index.html");
    assert_non_null(strstr(evil, "og:title\" content=\"&lt;script&gt;alert(1)&lt;/script&gt;\">"));
    assert_non_null(strstr(evil, "og:description\" content=\"&quot;&gt;&lt;img onerror=x&gt;\">"));
}

/* One link of a post's HTML and what the feeds make of it. */
static const struct {
    const char *html, *feed;
} link_cases[] = {
    { "<a href=\"../x/\">", "<a href=\"https://u.github.io/site/c/x/\">" },
    { "<a href=\"x\">", "<a href=\"https://u.github.io/site/c/p7/x\">" },
    { "<img src=\"i.png\" alt=\"\">",
      "<img src=\"https://u.github.io/site/c/p7/i.png\" alt=\"\">" },
    { "<a href=\"/site/tags/t/\">", "<a href=\"https://u.github.io/site/tags/t/\">" },
    { "<a href=\"/other/\">", "<a href=\"https://u.github.io/other/\">" },
    { "<a href=\"../../../../up\">", "<a href=\"https://u.github.io/up\">" },
    { "<a href=\"./a/./b/../c?q=1&amp;r=2#f\">",
      "<a href=\"https://u.github.io/site/c/p7/a/c?q=1&amp;r=2#f\">" },
    { "<a href=\"?page=2\">", "<a href=\"https://u.github.io/site/c/p7/?page=2\">" },
    { "<a href=\"#top\">", "<a href=\"https://u.github.io/site/c/p7/#top\">" },
    { "<a href=\"\">", "<a href=\"\">" },
    { "<a href=\"mailto:a@b.org\">", "<a href=\"mailto:a@b.org\">" },
    { "<a href=\"HTTPS://x.org/y\">", "<a href=\"HTTPS://x.org/y\">" },
    { "<a href=\"//cdn.org/z\">", "<a href=\"https://cdn.org/z\">" },
    { "<a HREF='q'>", "<a HREF='https://u.github.io/site/c/p7/q'>" },
    { "<a href=unquoted>", "<a href=\"https://u.github.io/site/c/p7/unquoted\">" },
    { "<img srcset=\"a.png 1x, /b.png 2x\">",
      "<img srcset=\"https://u.github.io/site/c/p7/a.png 1x, https://u.github.io/b.png 2x\">" },
    { "<video poster=\"p.jpg\" controls>",
      "<video poster=\"https://u.github.io/site/c/p7/p.jpg\" controls>" },
    { "<a title=\"href=x\" data-src=\"y\">", "<a title=\"href=x\" data-src=\"y\">" },
    { "<!-- <a href=\"c\"> -->", "<!-- <a href=\"c\"> -->" },
    { "<p>a href=\"t\" in text</p>", "<p>a href=\"t\" in text</p>" },
};

/* The feeds: the latest feed_size posts, newest first, ids and links
 * absolute, and text XML allows: "]]>" escaped, U+000B and U+FFFE gone. */
static void
test_feeds(void **state)
{
    struct fixture *f = *state;
    struct buf body = BUF_INIT;
    for (size_t i = 0; i < sizeof link_cases / sizeof *link_cases; i++)
        buf_printf(&body, "%s|\n", link_cases[i].html);
    f->posts[7].body_html = body.data;
    f->posts[24].title = "A ]]> & <b> \v\xef\xbf\xbe\xef\xbf\xbf end";
    f->cfg.feed_size = 3;
    f->cfg.author = "Ann";
    assert_int_equal(render(f, 3), 0);
    const char *atom = page(f, "feed.xml");
    assert_int_equal(count(atom, "<entry "), 3);
    assert_non_null(strstr(atom, "<title>A ]]&gt; &amp; &lt;b&gt;  end</title>"));
    assert_null(strstr(atom, "]]>"));
    assert_null(strchr(atom, '\v'));
    assert_null(strstr(atom, "\xef\xbf"));
    assert_true(strstr(atom, "/c/p24/</id>") < strstr(atom, "/c/p23/</id>"));
    assert_non_null(strstr(atom, "<id>tag:u.github.io,2023-12-08:/site/c/p24/</id>"));
    assert_non_null(strstr(atom, "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://u.github.io/site/feed.xml\"/>"));
    assert_non_null(strstr(atom, "<updated>2023-12-08T23:13:20+01:00</updated>"));
    assert_non_null(strstr(atom, "<author>\n<name>Ann</name>"));
    assert_non_null(strstr(atom, "<content type=\"html\">&lt;p&gt;body&lt;/p&gt;</content>"));
    f->cfg.feed_size = 20;
    output_dispose(&f->out);
    assert_int_equal(render(f, 2), 0);
    assert_int_equal(count(page(f, "c/feed.xml"), "<entry "), 20);
    /* The JSON feed, read back: its fields, and p7's links resolved. */
    json_error_t err;
    json_t *feed = json_loads(page(f, "c/feed.json"), 0, &err);
    assert_non_null(feed);
    assert_string_equal(json_string_value(json_object_get(feed, "version")),
                        "https://jsonfeed.org/version/1.1");
    assert_string_equal(json_string_value(json_object_get(feed, "feed_url")),
                        "https://u.github.io/site/c/feed.json");
    assert_string_equal(json_string_value(json_object_get(feed, "title")),
                        "Chan · T");
    json_t *items = json_object_get(feed, "items");
    assert_int_equal(json_array_size(items), 20);
    json_t *first = json_array_get(items, 0), *p7 = json_array_get(items, 17);
    assert_string_equal(json_string_value(json_object_get(first, "title")),
                        "A ]]> & <b>  end");
    assert_string_equal(json_string_value(json_object_get(first, "date_published")),
                        "2023-12-08T23:13:20+01:00");
    assert_string_equal(json_string_value(json_object_get(p7, "url")),
                        "https://u.github.io/site/c/p7/");
    const char *html = json_string_value(json_object_get(p7, "content_html"));
    for (size_t i = 0; i < sizeof link_cases / sizeof *link_cases; i++) {
        const char *want = arena_printf(f->a, "%s|\n", link_cases[i].feed);
        if (!strstr(html, want))
            fail_msg("%s gave no %s in\n%s", link_cases[i].html,
                     link_cases[i].feed, html);
    }
    json_decref(feed);
    buf_dispose(&body);
}

/* Parses text as the post at path, dated secs, into p. */
static void
parse_into(struct fixture *f, struct post *p, const char *path,
           const char *text, int64_t secs)
{
    struct source_file in = { .path = path, .data = text, .len = strlen(text),
                              .created = { secs, 0, true } };
    assert_int_equal(parse_post(p, &in, &f->cfg, f->a, &f->d), 0);
}

/* Links to posts' files are written as their posts' URLs (the base path
 * before, the fragment kept) on the post's page, in list summaries, in the
 * feeds (made absolute) and in a channel's about text; one to no
 * published post stays as written, and so does its post's own summary. */
static void
test_links_to_posts(void **state)
{
    struct fixture *f = *state;
    parse_init(model_tag_url);
    parse_into(f, &f->posts[1], "content/c/p1.md",
               "[two](p2.md#sec \"T\") and [none](zz.md)\n\n## Sec\n",
               1800000000);
    parse_into(f, &f->posts[2], "content/c/p2.md",
               "---\nsummary: Its own\n---\nBack to [one](./p1.md).\n",
               1800000001);
    struct source_file about = { .path = "content/c/_index.md",
                                 .data = "See [one](p1.md#sec)." };
    about.len = strlen(about.data);
    assert_int_equal(parse_channel(&f->channel, "c", &about, &f->cfg, f->a,
                                   &f->d), 0);
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    assert_int_equal(render(f, 2), 0);
    const char *two = "<a href=\"/site/c/p2/#sec\" title=\"T\">two</a> and "
                      "<a href=\"zz.md\">none</a>";
    assert_non_null(strstr(page(f, "c/p1/index.html"), two));
    assert_non_null(strstr(page(f, "c/p1/index.html"), "<h2 id=\"sec\">"));
    /* In a list, a link that stays relative leads where it did. */
    assert_non_null(strstr(page(f, "index.html"),
                           "<a href=\"/site/c/p2/#sec\" title=\"T\">two</a> "
                           "and <a href=\"/site/c/p1/zz.md\">none</a>"));
    assert_non_null(strstr(page(f, "c/p2/index.html"),
                           "Back to <a href=\"/site/c/p1/\">one</a>"));
    const char *chan = page(f, "c/index.html");
    assert_non_null(strstr(chan, "See <a href=\"/site/c/p1/#sec\">one</a>"));
    assert_non_null(strstr(chan, "<p>Its own</p>"));
    const char *atom = page(f, "feed.xml");
    assert_non_null(strstr(atom, "&lt;a href=&quot;https://u.github.io/site/"
                                 "c/p2/#sec&quot; title=&quot;T&quot;&gt;"));
    assert_non_null(strstr(atom, "&lt;a href=&quot;https://u.github.io/site/"
                                 "c/p1/zz.md&quot;&gt;"));
    assert_non_null(strstr(page(f, "feed.json"),
                           "<a href=\\\"https://u.github.io/site/c/p1/\\\">"));
    assert_null(strstr(atom, "p2.md"));
    assert_int_equal(f->d.len, 0);
}

/* robots.txt and the sitemap: every page but 404.html, with the time its
 * newest post changed; without a host, no feeds and no sitemap. */
static void
test_sitemap_and_robots(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(render(f, 2), 0);
    assert_string_equal(page(f, "robots.txt"),
                        "User-agent: *\nAllow: /\n\n"
                        "Sitemap: https://u.github.io/site/sitemap.xml\n");
    const char *map = page(f, "sitemap.xml");
    /* 3 home pages, 3 channel pages, 25 posts and /tags/. */
    assert_int_equal(count(map, "<url>"), 3 + 3 + 25 + 1);
    assert_non_null(strstr(map, "<url><loc>https://u.github.io/site/page/3/</loc><lastmod>2023-11-18T23:13:20+01:00</lastmod></url>"));
    assert_non_null(strstr(map, "<url><loc>https://u.github.io/site/c/%D0%BC%D0%B8%D1%80/</loc><lastmod>2023-11-14T23:13:20+01:00</lastmod></url>"));
    assert_null(strstr(map, "404"));
    output_dispose(&f->out);
    f->cfg.base_url = "/";
    f->cfg.base_path = "/";
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    assert_int_equal(render(f, 2), 0);
    assert_string_equal(page(f, "robots.txt"), "User-agent: *\nAllow: /\n");
    assert_false(has_file(f, "sitemap.xml"));
    assert_false(has_file(f, "feed.xml"));
    assert_false(has_file(f, "c/feed.json"));
    assert_null(strstr(page(f, "index.html"), "rel=\"alternate\""));
}

/* Past 50,000 URLs, sitemap.xml is an index of parts of 50,000. */
static void
test_sitemap_index(void **state)
{
    struct fixture *f = *state;
    enum { N = 16700 }; /* with per_page 1: 3 pages a post */
    struct post *posts = calloc(N, sizeof *posts);
    for (int i = 0; i < N; i++) {
        posts[i] = f->posts[1];
        posts[i].path = arena_printf(f->a, "content/c/n%d.md", i);
        posts[i].slug = arena_printf(f->a, "n%d", i);
        posts[i].date.secs = 1700000000 + i;
    }
    /* Templates of one byte: this test is about the sitemap. */
    static const char *const names[] = { "base", "home", "channel", "post",
                                         "404",  "tags", "tag" };
    struct source_file files[7];
    for (int i = 0; i < 7; i++)
        files[i] = (struct source_file){
            .path = arena_printf(f->a, "themes/default/templates/%s.mustache",
                                 names[i]),
            .data = "x", .len = 1 };
    f->src.files = files;
    f->src.nfiles = 7;
    f->cfg.per_page = 1;
    f->cfg.feed_size = 1;
    model_build(&f->site, &f->cfg, &f->channel, 1, posts, N, false, 1, f->a,
                &f->d);
    assert_int_equal(render(f, 4), 0);
    const char *index = page(f, "sitemap.xml");
    assert_non_null(strstr(index, "<sitemapindex "));
    assert_non_null(strstr(index, "<sitemap><loc>https://u.github.io/site/sitemap-1.xml</loc><lastmod>"));
    assert_non_null(strstr(index, "<loc>https://u.github.io/site/sitemap-2.xml</loc>"));
    assert_null(strstr(index, "sitemap-3.xml"));
    assert_int_equal(count(page(f, "sitemap-1.xml"), "<url>"), 50000);
    assert_int_equal(count(page(f, "sitemap-2.xml"), "<url>"), 3 * N + 1 - 50000);
    free(posts);
}

/* Relative references of a post: one that names a published file from
 * the post's source file leads to it everywhere (on the page only when
 * the page would not reach it as written: a post's own folder); in lists
 * every other one is resolved against the post's page, as the feeds do,
 * and so is a #fragment alone. */
static void
test_relative_urls(void **state)
{
    struct fixture *f = *state;
    struct source_file files[] = {
        { .path = "content/c/img/a&b.png", .data = "png", .len = 3 },
        { .path = "content/c/img/a.png", .data = "png", .len = 3 },
        { .path = "content/c/trip/photo.jpg", .data = "jpg", .len = 3 },
    };
    struct source src = { .files = files, .nfiles = 3 };
    const char *html = "<p><img src=\"img/a.png\" alt=\"\"> <a href=\"x/\">x</a>"
                       " <a href=\"?q\">q</a> <a href=\"#f\">f</a>"
                       " <a href=\"img/a.png?v=1#z\">a</a>"
                       " <img src=\"./img/a&amp;b.png\"></p>";
    f->posts[24].body_html = f->posts[24].summary_html = html;
    f->posts[23].path = "content/c/trip/index.md";
    f->posts[23].slug = "index";
    f->posts[23].body_html = f->posts[23].summary_html =
        "<p><img src=\"photo.jpg\" alt=\"\"></p>";
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    model_files(&f->site, &src, f->a);
    assert_int_equal(render(f, 2), 0);
    const char *own = page(f, "c/p24/index.html");
    assert_non_null(strstr(own, "<p><img src=\"/site/c/img/a.png\" alt=\"\"> "
                                "<a href=\"x/\">x</a> <a href=\"?q\">q</a> "
                                "<a href=\"#f\">f</a> <a href=\"/site/c/img/"
                                "a.png?v=1#z\">a</a> "
                                "<img src=\"/site/c/img/a%26b.png\"></p>"));
    assert_non_null(strstr(page(f, "c/trip/index.html"),
                           "<img src=\"photo.jpg\" alt=\"\">"));
    const char *home = page(f, "index.html");
    assert_non_null(strstr(home, "<p><img src=\"/site/c/img/a.png\" alt=\"\"> "
                                 "<a href=\"/site/c/p24/x/\">x</a> "
                                 "<a href=\"/site/c/p24/?q\">q</a> "
                                 "<a href=\"/site/c/p24/#f\">f</a> "
                                 "<a href=\"/site/c/img/"
                                 "a.png?v=1#z\">a</a> "
                                 "<img src=\"/site/c/img/a%26b.png\"></p>"));
    assert_non_null(strstr(home, "<img src=\"/site/c/trip/photo.jpg\""));
    const char *atom = page(f, "c/feed.xml");
    assert_non_null(strstr(atom, "&lt;img src=&quot;https://u.github.io/site/"
                                 "c/img/a.png&quot;"));
    assert_non_null(strstr(atom, "&lt;img src=&quot;https://u.github.io/site/"
                                 "c/trip/photo.jpg&quot;"));
    assert_null(strstr(atom, "c/p24/img/"));
    assert_string_equal(page(f, "c/img/a.png"), "png");
    assert_int_equal(f->d.len, 0);
}

/* Each alias is a page that sends the reader on (refresh, canonical, a
 * link; never indexed, in no sitemap); files of static/ are published as
 * they are, their bytes the source's. An output another already has is
 * an error at the later one's source, naming both. */
static void
test_redirects_and_files(void **state)
{
    struct fixture *f = *state;
    struct located aliases[2] = { { "/old/p24/", 3, 11 },
                                  { "/p24.html", 4, 3 } };
    f->posts[24].aliases = aliases;
    f->posts[24].naliases = 2;
    f->posts[24].title = "A & B";
    struct source_file files[] = {
        { .path = "static/css/x.css", .data = "body{}", .len = 6 },
        { .path = "static/index.html", .data = "mine", .len = 4 },
    };
    struct source src = { .files = files, .nfiles = 1 };
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    model_files(&f->site, &src, f->a);
    assert_int_equal(render(f, 2), 0);
    assert_string_equal(page(f, "old/p24/index.html"),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>A &amp; B</title>\n"
        "<link rel=\"canonical\" href=\"https://u.github.io/site/c/p24/\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        "<meta http-equiv=\"refresh\" content=\"0; url=/site/c/p24/\">\n"
        "</head>\n<body>\n"
        "<p>This page has moved to <a href=\"/site/c/p24/\">A &amp; B</a>.</p>\n"
        "</body>\n</html>\n");
    assert_string_equal(page(f, "p24.html"), page(f, "old/p24/index.html"));
    assert_ptr_equal(page(f, "css/x.css"), files[0].data);
    assert_null(strstr(page(f, "sitemap.xml"), "old"));
    assert_null(strstr(page(f, "feed.xml"), "old/p24"));
    output_dispose(&f->out); /* leaves the shared bytes alone */
    /* static/index.html is the home page; the alias /css/x.css/ would be a
     * folder where static/css/x.css is a file. */
    aliases[1].text = "/css/x.css";
    src.nfiles = 2;
    model_build(&f->site, &f->cfg, &f->channel, 1, f->posts, 25, false, 1, f->a,
                &f->d);
    model_files(&f->site, &src, f->a);
    assert_int_equal(render(f, 2), -1);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    diags_print(&f->d, out);
    fclose(out);
    assert_string_equal(text,
        "content/c/p24.md:4:3: the alias /css/x.css/ needs a folder css/x.css, "
        "where static/css/x.css is written\n"
        "static/index.html: this file and the home page would both be "
        "written to index.html\n");
    free(text);
}

/* Times as RFC 3339 in their own UTC offset: east and west of UTC, the
 * first year, and past 9999 (then with more digits, as printf gives). */
static void
test_iso_times(void **state)
{
    struct fixture *f = *state;
    static const struct {
        struct timestamp t;
        const char *iso;
    } cases[] = {
        { { 1700000000, 120, true }, "2023-11-15T00:13:20+02:00" },
        { { 1700000000, -330, true }, "2023-11-14T16:43:20-05:30" },
        { { 0, 0, true }, "1970-01-01T00:00:00+00:00" },
        { { -62135596800, 0, true }, "0001-01-01T00:00:00+00:00" },
        { { 253402300800, -60, true }, "9999-12-31T23:00:00-01:00" },
        { { 253402300800, 0, true }, "10000-01-01T00:00:00+00:00" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(view_iso_time(&cases[i].t, f->a), cases[i].iso);
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
        cmocka_unit_test_setup_teardown(test_head_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_to_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sitemap_and_robots, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sitemap_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redirects_and_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_iso_times, setup, teardown),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
