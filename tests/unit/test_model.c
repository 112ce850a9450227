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
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, false, 1, a, &d), 0);
    char *text = dumped(&s);
    assert_string_equal(text,
        "channel a url=/a/ lang=en title=\"A\" posts=3\n"
        "channel b url=/b/ lang=ru title=\"B\" posts=1\n"
        "post content/a/new.md url=/a/new/ lang=en date=300 title=\"new\" in=a\n"
        "post content/x.md url=/x/ lang=en date=200 title=\"x\" in=a,b\n"
        "post content/a/old.md url=/a/old/ lang=en date=100 title=\"old\" in=a\n");
    free(text);
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, true, 1, a, &d), 0);
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
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 6, false, 1, a, &d), -1);
    /* "page" is free: /a/page/ is no page of a list. */
    char *text = printed(&d);
    assert_string_equal(text,
        "content:1:1: \"tags\" cannot be a channel: the site uses /tags/ itself\n"
        "content/a.md:1:1: the URL /a/ is already used by content/a/_index.md\n"
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
          .anchors = { .links = &to_b, .nlinks = 1, .nto_post = 1,
                       .relative = true } },
        { .name = "b", .title = "B" },
    };
    struct post p[3] = {
        post("content/a/a.md", "a", "a", 1),
        post("content/b/b.md", "b", "b", 2),
        post("content/a/d.md", "a", "d", 3),
    };
    p[0].anchors = (struct anchors){ .links = links, .nlinks = 6,
                                     .nto_post = 5, .relative = true };
    p[2].draft = true;
    struct site s;
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 3, false, 1, a, &d), 0);
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
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 3, true, 1, a, &d), 0);
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
    assert_int_equal(model_build(&s, &cfg, ch, 2, p, 4, false, 1, a, &d), 0);
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

/* The one tag of a site of two posts, a new one and an old one (in that
 * order in memory), with these tag uses. */
static const struct site_tag *
tag_of_two(struct tag_use *t_new, size_t n_new, struct tag_use *t_old,
           size_t n_old, struct site *s, struct arena *a)
{
    struct diags d;
    diags_init(&d);
    static struct channel ch = { .name = "a" };
    struct post *p = arena_alloc(a, 2 * sizeof *p);
    p[0] = post("content/a/new.md", "a", "new", 200);
    p[1] = post("content/a/old.md", "a", "old", 100);
    p[0].tags = t_new, p[0].ntags = n_new;
    p[1].tags = t_old, p[1].ntags = n_old;
    assert_int_equal(model_build(s, &cfg, &ch, 1, p, 2, false, 1, a, &d), 0);
    assert_int_equal(s->ntags, 1);
    assert_int_equal(s->tags[0]->all.nentries, 2);
    assert_string_equal(s->tags[0]->all.entries[0]->post->path,
                        "content/a/new.md");
    diags_dispose(&d);
    return s->tags[0];
}

static void
test_tie_goes_to_first_seen(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct tag_use t_new[] = { use("Async", 1) };
    struct tag_use t_old[] = { use("async", 1) };
    struct site s;
    const struct site_tag *t = tag_of_two(t_new, 1, t_old, 1, &s, a);
    assert_string_equal(t->name, "async"); /* the older post's */
    /* Two spellings in one post, once each: the one written first wins,
     * though the newer post (read first) has the other. */
    struct tag_use t_new2[] = { use("rust", 1) };
    struct tag_use t_old2[] = { use("Rust", 1), use("rust", 2),
                                use("Rust", 3) };
    t = tag_of_two(t_new2, 1, t_old2, 3, &s, a);
    assert_string_equal(t->name, "Rust"); /* 2 against 2: first */
    assert_int_equal(s.entries[1]->ntags, 1); /* each tag once a post */
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
    assert_int_equal(model_build(&s, &cfg, &ch, 1, p, N, false, 1, a, &d), 0);
    assert_int_equal(s.channels[0].nentries, N);
    for (int i = 1; i < N; i++)
        assert_true(s.entries[i - 1]->post->date.secs >=
                    s.entries[i]->post->date.secs);
    free(p);
    diags_dispose(&d);
    arena_free(a);
}

/* The same posts, their entries made and their tags gathered on 1 and on
 * 4 threads: the same model, the same messages; drafts, unknown channels,
 * two posts at one URL, reserved slugs, tags spelled several ways and
 * tags that look alike among them. */
static void
test_entries_any_jobs(void **state)
{
    (void)state;
    enum { N = 3000 };
    char *dump[2], *said[2];
    size_t entries[2];
    for (int run = 0; run < 2; run++) {
        struct arena *a = arena_new();
        struct diags d;
        diags_init(&d);
        struct channel ch[2] = { { .name = "b", .title = "B" },
                                 { .name = "a", .title = "A" } };
        struct located nowhere = { "nowhere", 3, 7 };
        struct post *p = calloc(N, sizeof *p);
        static const char *const names[] = { "Rust", "rust", "RUST", "Go",
                                             "go", "open_source",
                                             "opensource", "Наука", "наука",
                                             "GO" };
        struct tag_use *uses = calloc(3 * N, sizeof *uses);
        for (int i = 0; i < N; i++) {
            const char *folder = i % 3 ? "a" : "b";
            /* every 400th post takes the slug of the one before it */
            int slug = i % 400 == 399 ? i - 1 : i;
            p[i] = post(arena_printf(a, "content/%s/p%d.md", folder, i),
                        folder, arena_printf(a, "p%d", slug), (i * 7919) % N);
            if (i % 3 == 0 && slug != i) /* other folders: no conflict */
                p[i].slug = arena_printf(a, "p%d", i);
            p[i].draft = i % 11 == 5;
            if (i % 1000 == 17) {
                p[i].folder = NULL;
                p[i].channels = &nowhere;
                p[i].nchannels = 1;
            }
            if (i % 1000 == 29)
                p[i].slug = "tags";
            p[i].tags = uses + 3 * i;
            p[i].ntags = 3;
            p[i].tags[0] = use(names[(i * 7) % 10], (unsigned)(i % 5 + 1));
            p[i].tags[1] = use(names[(i * 3 + 1) % 10], 9);
            p[i].tags[2] = use(names[(i * 7 + 1) % 10], 2);
            /* Zig in half the posts of the first three quarters, ZIG in
             * every post of the last: Zig is used more, though the last
             * thread sees ZIG alone */
            if (i >= 3 * N / 4 || i % 2 == 0)
                p[i].tags[2] = use(i >= 3 * N / 4 ? "ZIG" : "Zig", 2);
        }
        struct site s;
        assert_int_equal(model_build(&s, &cfg, ch, 2, p, N, false,
                                     run ? 4 : 1, a, &d), -1);
        dump[run] = dumped(&s);
        said[run] = printed(&d);
        entries[run] = s.nentries;
        free(uses);
        free(p);
        diags_dispose(&d);
        arena_free(a);
    }
    assert_string_equal(dump[0], dump[1]);
    assert_string_equal(said[0], said[1]);
    assert_int_equal(entries[0], entries[1]);
    assert_true(entries[0] > N / 2 && entries[0] < N);
    assert_non_null(strstr(said[0], "channel \"nowhere\" does not exist"));
    assert_non_null(strstr(said[0], "is already used by"));
    assert_non_null(strstr(said[0], "taken by the site's own pages"));
    assert_non_null(strstr(said[0], "but they are different tags"));
    assert_non_null(strstr(dump[0], "tag rust name="));
    assert_non_null(strstr(dump[0], "tag zig name=Zig "));
    for (int run = 0; run < 2; run++) {
        free(dump[run]);
        free(said[run]);
    }
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
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, 1, a, &d), 0);
    assert_string_equal(s.host, "example.org");
    const struct entry *hello = s.entries[0]->post == &p[0] ? s.entries[0]
                                                            : s.entries[1];
    const struct entry *mir = hello == s.entries[0] ? s.entries[1]
                                                    : s.entries[0];
    assert_string_equal(model_entry_id(&s, hello, a),
                        "tag:example.org,2024-03-01:/site/a/hello/");
    assert_string_equal(model_entry_id(&s, mir, a),
                        "tag:example.org,2024-03-02:/site/a/%D0%BC%D0%B8%D1%80/");
    p[0].title = "A new title";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, 1, a, &d), 0);
    assert_string_equal(
        model_entry_id(&s, s.entries[s.entries[0]->post != &p[0]], a),
        "tag:example.org,2024-03-01:/site/a/hello/");
    /* No host: nothing can be absolute. */
    c.base_url = "/";
    c.base_path = "/";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, 1, a, &d), 0);
    assert_null(s.host);
    assert_null(model_entry_id(&s, s.entries[0], a));
    c.base_url = "http://[::1]:8080/";
    assert_int_equal(model_build(&s, &c, &ch, 1, p, 2, false, 1, a, &d), 0);
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
    assert_int_equal(model_build(&s, &cfg, ch, 3, p, 6, false, 1, a, &d), -1);
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

/* A post's URL: its file's path with subfolders kept (a post that is a
 * folder takes its folder's name), its channel's permalinks: pattern (the
 * date in its own offset), or its own url:; aliases in the same form. */
static void
test_urls(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct site_config c = cfg;
    struct permalink patterns[1] = {
        { "blog", { "/:year/:month/:day/:channel-:slug/", 4, 3 } } };
    c.permalinks = patterns;
    c.npermalinks = 1;
    struct channel ch[2] = { { .name = "blog" }, { .name = "news" } };
    struct located aliases[3] = { { "/old/trip/", 3, 11 },
                                  { "/trip.html", 3, 23 },
                                  { "/2019/trip", 4, 3 } };
    struct post p[8] = {
        post("content/news/2024/03/post.md", "news", "post", 8),
        post("content/news/trip/index.md", "news", "index", 7),
        post("content/news/2024/Big Trip/index.markdown", "news", "index", 6),
        post("content/news/trip2/index.md", "news", "voyage", 5),
        post("content/blog/_posts/first.md", "blog", "first", 4),
        post("content/blog/about.md", "blog", "about", 3),
        post("content/blog/old.md", "blog", "old", 2),
        post("content/news/index.md", "news", "index", 1),
    };
    p[3].slug_at = (struct located){ "voyage", 2, 7 };
    /* 2023-01-03T03:30Z is still January 2nd at -05:00. */
    p[4].date = (struct timestamp){ 1672716600, -300, true };
    p[5].url = (struct located){ "/about", 2, 6 };
    p[6].url = (struct located){ "/2019/x/index.html", 2, 6 };
    p[1].aliases = aliases;
    p[1].naliases = 3;
    struct site s;
    assert_int_equal(model_build(&s, &c, ch, 2, p, 8, false, 1, a, &d), 0);
    char *text = dumped(&s);
    assert_string_equal(text,
        "channel blog url=/blog/ lang=en title=\"(null)\" posts=3\n"
        "channel news url=/news/ lang=en title=\"(null)\" posts=5\n"
        "post content/blog/_posts/first.md url=/2023/01/02/blog-first/ lang=en date=1672716600 title=\"first\" in=blog\n"
        "post content/news/2024/03/post.md url=/news/2024/03/post/ lang=en date=8 title=\"post\" in=news\n"
        "post content/news/trip/index.md url=/news/trip/ lang=en date=7 title=\"index\" in=news\n"
        "alias content/news/trip/index.md:3:11 /old/trip/ -> /news/trip/\n"
        "alias content/news/trip/index.md:3:23 /trip.html -> /news/trip/\n"
        "alias content/news/trip/index.md:4:3 /2019/trip/ -> /news/trip/\n"
        "post content/news/2024/Big Trip/index.markdown url=/news/2024/big-trip/ lang=en date=6 title=\"index\" in=news\n"
        "post content/news/trip2/index.md url=/news/voyage/ lang=en date=5 title=\"voyage\" in=news\n"
        "post content/blog/about.md url=/about/ lang=en date=3 title=\"about\" in=blog\n"
        "post content/blog/old.md url=/2019/x/ lang=en date=2 title=\"old\" in=blog\n"
        "post content/news/index.md url=/news/index/ lang=en date=1 title=\"index\" in=news\n");
    free(text);
    /* A page at a file (url: /old.html) is that file. */
    p[6].url = (struct located){ "/old.html", 2, 6 };
    assert_int_equal(model_build(&s, &c, ch, 2, p, 8, false, 1, a, &d), 0);
    assert_string_equal(s.entries[6]->url, "old.html");
    assert_string_equal(model_page_path(a, s.entries[6]->url), "old.html");
    assert_string_equal(model_page_path(a, s.entries[1]->url),
                        "news/2024/03/post/index.html");
    assert_int_equal(d.len, 0);
    diags_dispose(&d);
    arena_free(a);
}

/* "page" is taken only where a list has that page; aliases conflict as
 * posts do, each at its own line:col; so do names the site keeps, in url:
 * too; a pattern for a channel that does not exist is an error. */
static void
test_url_conflicts(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct site_config c = cfg;
    c.per_page = 2;
    c.path = "site.yaml";
    struct permalink patterns[1] = { { "gone", { "/:slug/", 7, 9 } } };
    c.permalinks = patterns;
    c.npermalinks = 1;
    struct channel ch[2] = { { .name = "a" },
                             { .name = "b", .path = "content/b/_index.md" } };
    struct located to_b[2] = { { "/b/", 4, 3 }, { "/tags/x/", 5, 3 } };
    struct located again[2] = { { "/old/", 3, 11 }, { "/OLD", 3, 18 } };
    struct post p[8] = {
        post("content/a/1.md", "a", "1", 1),
        post("content/a/2.md", "a", "2", 2),
        post("content/a/page.md", "a", "page", 3),
        post("content/a/x.md", "a", "x", 4),
        post("content/a/y.md", "a", "y", 5),
        post("content/a/z.md", "a", "z", 6),
        post("content/a/w.md", "a", "w", 7),
        post("content/b/f.md", "b", "f", 8),
    };
    /* a lists 7 posts, the home page 8: 4 pages each. */
    p[3].url = (struct located){ "/a/page/2/", 2, 6 };
    p[4].url = (struct located){ "/a/page/5/", 2, 6 };
    p[5].url = (struct located){ "/page/4/", 2, 6 };
    p[6].url = (struct located){ "/b/feed.xml", 2, 6 };
    p[0].aliases = to_b, p[0].naliases = 2;
    p[1].aliases = again, p[1].naliases = 1;
    p[7].aliases = again + 1, p[7].naliases = 1;
    struct site s;
    assert_int_equal(model_build(&s, &c, ch, 2, p, 8, false, 1, a, &d), -1);
    char *text = printed(&d);
    assert_string_equal(text,
        "content/a/1.md:4:3: the URL /b/ is already used by content/b/_index.md\n"
        "content/a/1.md:5:3: the URL /tags/x/ is inside /tags/, which the site keeps for its own pages\n"
        "content/a/w.md:2:6: the URL /b/feed.xml/ is taken by the site's own pages\n"
        "content/a/x.md:2:6: the URL /a/page/2/ is already used by page 2 of the channel a\n"
        "content/a/z.md:2:6: the URL /page/4/ is already used by page 4 of the home page\n"
        "content/b/f.md:3:18: the URL /OLD/ is already used by an alias of content/a/2.md\n"
        "site.yaml:7:9: permalinks: there is no channel \"gone\" (a channel is a folder of content/)\n");
    free(text);
    /* /a/page/ and /a/page/5/ are free. */
    assert_string_equal(s.entries[s.nentries - 3]->url, "a/page/");
    assert_string_equal(s.entries[s.nentries - 4]->url, "a/page/5/");
    diags_dispose(&d);
    arena_free(a);
}

/* The files published as they are: static/ at the root, a post's folder
 * beside its page (wherever its URL is), the rest of content/ at its
 * path; a draft's folder is not published, nor is Markdown. */
static void
test_files(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct source_file f[] = {
        { .path = "content/a/draft/index.md" },
        { .path = "content/a/draft/z.png" },
        { .path = "content/a/img/x.png" },
        { .path = "content/a/moved/index.md" },
        { .path = "content/a/moved/m.png" },
        { .path = "content/a/notes.markdown" },
        { .path = "content/a/trip/index.md" },
        { .path = "content/a/trip/photo.jpg" },
        { .path = "content/a/trip/sub/y.png" },
        { .path = "content/top.png" },
        { .path = "site.yaml" },
        { .path = "static/css/s.css" },
        { .path = "themes/default/assets/t.css" },
    };
    struct source src = { .files = f, .nfiles = sizeof f / sizeof *f };
    struct channel ch = { .name = "a" };
    struct post p[3] = {
        post("content/a/draft/index.md", "a", "index", 1),
        post("content/a/moved/index.md", "a", "index", 2),
        post("content/a/trip/index.md", "a", "index", 3),
    };
    p[0].draft = true;
    p[1].url = (struct located){ "/2019/moved.html", 2, 6 };
    struct site s;
    assert_int_equal(model_build(&s, &cfg, &ch, 1, p, 3, false, 1, a, &d), 0);
    model_files(&s, &src, a);
    char *text = dumped(&s);
    assert_non_null(strstr(text,
        "file content/a/img/x.png url=/a/img/x.png\n"
        "file content/a/moved/m.png url=/2019/m.png post=content/a/moved/index.md\n"
        "file content/a/trip/photo.jpg url=/a/trip/photo.jpg post=content/a/trip/index.md\n"
        "file content/a/trip/sub/y.png url=/a/trip/sub/y.png post=content/a/trip/index.md\n"
        "file content/top.png url=/top.png\n"
        "file static/css/s.css url=/css/s.css\n"));
    free(text);
    assert_int_equal(s.nfiles, 6);
    assert_ptr_equal(model_file(&s, "static/css/s.css")->src, &f[11]);
    assert_null(model_file(&s, "content/a/draft/z.png"));
    assert_null(model_file(&s, "content/a/notes.markdown"));
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
        cmocka_unit_test(test_entries_any_jobs),
        cmocka_unit_test(test_entry_ids),
        cmocka_unit_test(test_reserved_files),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_url_conflicts),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests_name("model", tests, group_setup,
                                       group_teardown);
}
