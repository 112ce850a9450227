/* test_model.c: model/ on hand-made posts: channels, cross-posting, drafts,
 * order, and every conflict between files. */
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
#include "../../generator/model/model.h"

static struct site_config cfg = { .language = "en", .per_page = 10 };

static struct post
post(const char *path, const char *folder, const char *slug, int64_t date)
{
    struct post p = { 0 };
    p.path = path;
    p.folder = folder;
    p.slug = slug;
    p.title = slug;
    p.date = (struct timestamp){ date, 0, true };
    return p;
}

static char *
printed(struct diags *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    diags_print(d, out);
    fclose(out);
    return text;
}

static char *
dumped(const struct site *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    model_dump(s, out);
    fclose(out);
    return text;
}

static void
test_cross_posting_order_drafts(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch[2] = { { .name = "b", .title = "B", .lang = "ru" },
                             { .name = "a", .title = "A" } };
    struct located both[2] = { { "a", 2, 12 }, { "b", 2, 15 } };
    struct post p[4] = {
        post("content/a/old.md", "a", "old", 100),
        post("content/a/new.md", "a", "new", 300),
        post("content/x.md", NULL, "x", 200),
        post("content/b/d.md", "b", "d", 400),
    };
    p[2].channels = both;
    p[2].nchannels = 2;
    p[3].draft = true;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, false, a, &d), 0);
    char *text = dumped(&s);
    assert_string_equal(text,
        "channel a url=/a/ lang=en title=\"A\" posts=3\n"
        "channel b url=/b/ lang=ru title=\"B\" posts=1\n"
        "post content/a/new.md url=/a/new/ lang=en date=300 title=\"new\" in=a\n"
        "post content/x.md url=/x/ lang=en date=200 title=\"x\" in=a,b\n"
        "post content/a/old.md url=/a/old/ lang=en date=100 title=\"old\" in=a\n");
    free(text);
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, true, a, &d), 0);
    assert_int_equal(s.nentries, 4);
    assert_string_equal(s.entries[0]->lang, "ru");
    diags_dispose(&d);
    arena_free(a);
}

static void
test_conflicts(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch[2] = { { .name = "a", .path = "content/a/_index.md" },
                             { .name = "tags" } };
    struct located nope[1] = { { "nope", 3, 13 } };
    struct post p[6] = {
        post("content/a/one.md", "a", "same", 1),
        post("content/a/two.md", "a", "Same", 2),
        post("content/a/three.md", "a", "three", 3),
        post("content/root.md", NULL, "root", 4),
        post("content/a.md", NULL, "a", 5),
        post("content/a/page.md", "a", "page", 6),
    };
    p[1].slug_at = (struct located){ "Same", 4, 7 };
    p[2].channels = nope;
    p[2].nchannels = 1;
    p[4].channels = (struct located[]){ { "a", 2, 12 } };
    p[4].nchannels = 1;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 6, false, a, &d), -1);
    char *text = printed(&d);
    assert_string_equal(text,
        "content:1:1: \"tags\" cannot be a channel: the site uses /tags/ itself\n"
        "content/a.md:1:1: the URL /a/ is already used by content/a/_index.md\n"
        "content/a/page.md:1:1: the slug \"page\" is taken by the site's own pages\n"
        "content/a/three.md:3:13: channel \"nope\" does not exist (a channel is a folder of content/)\n"
        "content/a/two.md:4:7: the URL /a/Same/ is already used by content/a/one.md\n"
        "content/root.md:1:1: a post directly under content/ must name its channels (channels: [name, ...])\n");
    free(text);
    diags_dispose(&d);
    arena_free(a);
}

/* A link to a post's file leads to that post when it is published: not to
 * a draft, a file that is no post, or nothing; other links lead nowhere
 * (render leaves them as they are). A channel's about text links too. */
static void
test_links_to_posts(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct link_use to_b = { .url = "../b/b.md#x", .kind = LINK_RELATIVE,
                             .path = "content/b/b.md", .fragment = "x",
                             .line = 4, .col = 2, .to_post = true };
    struct link_use links[] = {
        to_b,
        { .url = "d.md", .kind = LINK_RELATIVE, .path = "content/a/d.md",
          .line = 5, .col = 1, .to_post = true },
        { .url = "_index.md", .kind = LINK_RELATIVE,
          .path = "content/a/_index.md", .line = 5, .col = 9,
          .to_post = true },
        { .url = "gone.md", .kind = LINK_RELATIVE, .path = "content/a/gone.md",
          .line = 6, .col = 1, .to_post = true },
        { .url = "../../../x.md", .kind = LINK_RELATIVE, .line = 6, .col = 9,
          .to_post = true },
        { .url = "pic.png", .kind = LINK_RELATIVE, .path = "content/a/pic.png",
          .image = true },
    };
    struct channel ch[2] = {
        { .name = "a", .title = "A", .path = "content/a/_index.md",
          .anchors = { &to_b, 1, NULL, 0 } },
        { .name = "b", .title = "B" },
    };
    struct post p[3] = {
        post("content/a/a.md", "a", "a", 1),
        post("content/b/b.md", "b", "b", 2),
        post("content/a/d.md", "a", "d", 3),
    };
    p[0].anchors = (struct anchors){ links, 6, NULL, 0 };
    p[2].draft = true;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 3, false, a, &d), 0);
    char *text = dumped(&s);
    assert_string_equal(text,
        "channel a url=/a/ lang=en title=\"A\" posts=1\n"
        "link content/a/_index.md:4:2 ../b/b.md#x -> /b/b/\n"
        "channel b url=/b/ lang=en title=\"B\" posts=1\n"
        "post content/b/b.md url=/b/b/ lang=en date=2 title=\"b\" in=b\n"
        "post content/a/a.md url=/a/a/ lang=en date=1 title=\"a\" in=a\n"
        "link content/a/a.md:4:2 ../b/b.md#x -> /b/b/\n"
        "link content/a/a.md:5:1 d.md -> none\n"
        "link content/a/a.md:5:9 _index.md -> none\n"
        "link content/a/a.md:6:1 gone.md -> none\n"
        "link content/a/a.md:6:9 ../../../x.md -> none\n");
    free(text);
    assert_null(s.entries[1]->links[5]);
    /* With drafts, the draft is there to link to. */
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 3, true, a, &d), 0);
    assert_string_equal(s.entries[2]->post->path, "content/a/a.md");
    assert_string_equal(s.entries[2]->links[1]->url, "a/d/");
    assert_int_equal(d.len, 0);
    diags_dispose(&d);
    arena_free(a);
}

static struct arena *slugs; /* the tag slugs of every test */

static int
group_setup(void **state)
{
    (void)state;
    slugs = arena_new();
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    arena_free(slugs);
    return 0;
}

static struct tag_use
use(const char *name, unsigned line)
{
    return (struct tag_use){ name, parse_tag_slug(slugs, name, strlen(name)),
                             line, 1 };
}

static void
test_tags(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch[2] = { { .name = "a" }, { .name = "b" } };
    struct post p[4] = {
        post("content/a/1.md", "a", "1", 100),
        post("content/a/2.md", "a", "2", 200),
        post("content/b/3.md", "b", "3", 300),
        post("content/b/4.md", "b", "4", 400),
    };
    struct tag_use t1[] = { use("Carina", 2), use("TokenUnlock", 3),
                            use("carina", 4) };
    struct tag_use t2[] = { use("carina", 2), use("e_tron", 3) };
    struct tag_use t3[] = { use("CARINA", 2), use("eTron", 3),
                            use("TokenUnlocks", 4) };
    struct tag_use t4[] = { use("Carina", 5) };
    p[0].tags = t1, p[0].ntags = 3;
    p[1].tags = t2, p[1].ntags = 2;
    p[2].tags = t3, p[2].ntags = 3;
    p[3].tags = t4, p[3].ntags = 1;
    p[3].draft = true; /* not built: its tags do not count */
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, false, a, &d), 0);
    char *text = dumped(&s);
    /* The draft is not built, so "carina" (2 uses) beats "Carina" and
     * "CARINA" (1 each). */
    assert_string_equal(text,
        "channel a url=/a/ lang=en title=\"(null)\" posts=2\n"
        "channel b url=/b/ lang=en title=\"(null)\" posts=1\n"
        "post content/b/3.md url=/b/3/ lang=en date=300 title=\"3\" in=b tags=carina,etron,tokenunlocks\n"
        "post content/a/2.md url=/a/2/ lang=en date=200 title=\"2\" in=a tags=carina,e_tron\n"
        "post content/a/1.md url=/a/1/ lang=en date=100 title=\"1\" in=a tags=carina,tokenunlock\n"
        "tag carina name=carina posts=3 in=a:2,b:1\n"
        "tag e_tron name=e_tron posts=1 in=a:1\n"
        "tag etron name=eTron posts=1 in=b:1\n"
        "tag tokenunlock name=TokenUnlock posts=1 in=a:1\n"
        "tag tokenunlocks name=TokenUnlocks posts=1 in=b:1\n");
    free(text);
    text = printed(&d);
    assert_string_equal(text,
        "content/b/3.md:3:1: warning: #eTron looks like #e_tron "
        "(content/a/2.md:3:1) but they are different tags\n"
        "content/b/3.md:4:1: warning: #TokenUnlocks looks like #TokenUnlock "
        "(content/a/1.md:3:1) but they are different tags\n");
    free(text);
    assert_int_equal(diags_exit_status(&d), 0);
    /* Channel a's share of carina: newest first. */
    assert_string_equal(s.channels[0].tags[0].url, "a/tags/carina/");
    assert_string_equal(s.channels[0].tags[0].entries[0]->post->path,
                        "content/a/2.md");
    diags_dispose(&d);
    arena_free(a);
}

static void
test_tie_goes_to_first_seen(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch = { .name = "a" };
    struct post p[2] = { post("content/a/new.md", "a", "new", 200),
                         post("content/a/old.md", "a", "old", 100) };
    struct tag_use t_new[] = { use("Async", 1) };
    struct tag_use t_old[] = { use("async", 1) };
    p[0].tags = t_new, p[0].ntags = 1;
    p[1].tags = t_old, p[1].ntags = 1;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, &ch, 1, p, 2, false, a, &d), 0);
    assert_int_equal(s.ntags, 1);
    assert_string_equal(s.tags[0]->name, "async"); /* the older post's */
    assert_int_equal(s.tags[0]->all.nentries, 2);
    diags_dispose(&d);
    arena_free(a);
}

static void
test_many_posts_linear(void **state)
{
    (void)state;
    /* 100000 posts in one channel: a quadratic path would take minutes. */
    enum { N = 100000 };
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch = { .name = "c" };
    struct post *p = calloc(N, sizeof *p);
    for (int i = 0; i < N; i++)
        p[i] = post(arena_printf(a, "content/c/p%d.md", i), "c",
                    arena_printf(a, "p%d", i), (i * 7919) % N);
    struct site s;
    assert_int_equal(model_build(&s, &cfg, &ch, 1, p, N, false, a, &d), 0);
    assert_int_equal(s.channels[0].nentries, N);
    for (int i = 1; i < N; i++)
        assert_true(s.entries[i - 1]->post->date.secs >=
                    s.entries[i]->post->date.secs);
    free(p);
    diags_dispose(&d);
    arena_free(a);
}

/* Feed ids: tag: URIs from the host (no user, port or case), the day of
 * the post's date in its own offset and its URL path with the base path,
 * percent-encoded; a title edit changes nothing; no host, no ids. */
static void
test_entry_ids(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct site_config c = cfg;
    c.base_url = "https://User@Example.ORG:8443/site/";
    c.base_path = "/site/";
    struct channel ch = { .name = "a" };
    struct post p[2] = { post("content/a/hello.md", "a", "hello", 0),
                         post("content/a/мир.md", "a", "мир", 0) };
    /* 2024-03-02T04:30:00Z is still March 1st at -05:00. */
    p[0].date = (struct timestamp){ 1709353800, -300, true };
    p[1].date = (struct timestamp){ 1709353800, 0, true };
    struct site s;
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, a, &d), 0);
    assert_string_equal(s.host, "example.org");
    const struct entry *hello = s.entries[0]->post == &p[0] ? s.entries[0]
                                                            : s.entries[1];
    const struct entry *mir = hello == s.entries[0] ? s.entries[1]
                                                    : s.entries[0];
    assert_string_equal(hello->id, "tag:example.org,2024-03-01:/site/a/hello/");
    assert_string_equal(mir->id,
                        "tag:example.org,2024-03-02:/site/a/%D0%BC%D0%B8%D1%80/");
    p[0].title = "A new title";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, a, &d), 0);
    assert_string_equal(s.entries[0]->post == &p[0] ? s.entries[0]->id
                                                    : s.entries[1]->id,
                        "tag:example.org,2024-03-01:/site/a/hello/");
    /* No host: nothing can be absolute. */
    c.base_url = "/";
    c.base_path = "/";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, a, &d), 0);
    assert_null(s.host);
    assert_null(s.entries[0]->id);
    c.base_url = "http://[::1]:8080/";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, a, &d), 0);
    assert_string_equal(s.host, "[::1]");
    diags_dispose(&d);
    arena_free(a);
}

/* Feeds, the sitemap (and its parts) and robots.txt take their names at
 * the root and in channel folders, in any case. */
static void
test_reserved_files(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct channel ch[3] = { { .name = "a" }, { .name = "Feed.json" },
                             { .name = "sitemap-12.xml" } };
    struct located in_a[1] = { { "a", 2, 12 } };
    struct post p[6] = {
        post("content/a/f.md", "a", "feed.xml", 1),
        post("content/a/s.md", "a", "sitemap.xml", 2),
        post("content/r.md", NULL, "robots.txt", 3),
        post("content/s.md", NULL, "sitemap-1.xml", 4),
        post("content/t.md", NULL, "sitemap-x.xml", 5),
        post("content/u.md", NULL, "sitemap-.xml", 6),
    };
    for (int i = 2; i < 6; i++)
        p[i].channels = in_a, p[i].nchannels = 1;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 3, p, 6, false, a, &d), -1);
    char *text = printed(&d);
    assert_string_equal(text,
        "content:1:1: \"Feed.json\" cannot be a channel: the site uses /Feed.json/ itself\n"
        "content:1:1: \"sitemap-12.xml\" cannot be a channel: the site uses /sitemap-12.xml/ itself\n"
        "content/a/f.md:1:1: the slug \"feed.xml\" is taken by the site's own pages\n"
        "content/r.md:1:1: the slug \"robots.txt\" is taken by the site's own pages\n"
        "content/s.md:1:1: the slug \"sitemap-1.xml\" is taken by the site's own pages\n");
    free(text);
    /* sitemap.xml is free in a channel folder; sitemap-x.xml anywhere. */
    assert_int_equal(s.nentries, 3);
    diags_dispose(&d);
    arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cross_posting_order_drafts),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_links_to_posts),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_tie_goes_to_first_seen),
        cmocka_unit_test(test_many_posts_linear),
        cmocka_unit_test(test_entry_ids),
        cmocka_unit_test(test_reserved_files),
    };
    return cmocka_run_group_tests_name("model", tests, group_setup,
                                       group_teardown);
}
