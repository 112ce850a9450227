/* test_parse.c: parse/ on strings: front matter fields and their errors
 * (with path:line:col), defaults for absent fields, Markdown options,
 * YAML timestamps and site.yaml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/model/model.h"
#include "../../generator/parse/parse.h"

struct fixture {
    struct arena *a;
    struct diags d;
    struct site_config cfg;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diags_init(&f->d);
    parse_init(model_tag_url);
    parse_config(&f->cfg, NULL, f->a, &f->d);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    diags_dispose(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

/* Every diag printed, as the user sees them. */
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

static struct source_file
file(const char *path, const char *text, size_t len)
{
    struct source_file f = { 0 };
    f.path = path;
    f.data = text;
    f.len = len ? len : strlen(text);
    f.created = (struct timestamp){ 1700000000, 120, true };
    f.updated = (struct timestamp){ 1710000000, 0, true };
    return f;
}

/* Bad posts: each input and every message it must give. */
static const struct {
    const char *name, *text, *messages;
} bad_posts[] = {
    { "unclosed front matter", "---\ntitle: x\n\nbody\n",
      "content/c/p.md:1:1: front matter opened here is never closed with a "
      "'---' line\n" },
    { "invalid YAML", "---\ntitle: [a, b\n---\nbody\n",
      "content/c/p.md:3:1: invalid YAML: did not find expected ',' or ']' "
      "while parsing a flow sequence started at line 2, column 8\n" },
    { "date soon", "---\ntitle: ok\ndate: soon\n---\nbody\n",
      "content/c/p.md:3:7: date: expected a timestamp such as 2024-03-01 or "
      "2024-03-01T10:00:00+02:00, got \"soon\"\n" },
    { "tags a number", "---\ntags: 3\n---\nbody\n",
      "content/c/p.md:2:7: tags: expected a list such as [a, b], got "
      "\"3\"\n" },
    { "tag not text", "---\ntags: [a, [b]]\n---\n",
      "content/c/p.md:2:11: tags: each item must be text, got a list\n" },
    { "invalid UTF-8", "---\ntitle: ok\n---\nhello w\xc3\x28rld\n",
      "content/c/p.md:4:8: invalid UTF-8 (the file must be UTF-8 text)\n" },
    { "all errors of a post",
      "---\ndate: 2024-02-30\ndraft: maybe\nslug: a/b\ntitle: ok\n"
      "title: twice\n---\n",
      "content/c/p.md:2:7: date: expected a timestamp such as 2024-03-01 or "
      "2024-03-01T10:00:00+02:00, got \"2024-02-30\"\n"
      "content/c/p.md:3:8: draft: expected true or false, got \"maybe\"\n"
      "content/c/p.md:4:7: slug: \"a/b\" cannot be a URL segment (no spaces, "
      "'/', '?', '#', '%' or leading '.')\n"
      "content/c/p.md:6:1: field \"title\" is given twice\n" },
    { "front matter not a mapping", "---\n- a\n- b\n---\n",
      "content/c/p.md:2:1: expected a mapping of fields (key: value)\n" },
    { "title not text", "---\ntitle: {a: 1}\n---\n",
      "content/c/p.md:2:8: title: expected text, got a mapping\n" },
    { "anchor", "---\ntitle: ok\nx: &a 1\ny: 2\n---\n",
      "content/c/p.md:3:4: front matter has no use for anchors and "
      "aliases\n" },
    { "alias of nothing", "---\nx: [1, *a]\n---\n",
      "content/c/p.md:2:8: front matter has no use for anchors and "
      "aliases\n" },
    { "anchor on a list", "---\nx:\n  - &a [*a]\n---\n",
      "content/c/p.md:3:5: front matter has no use for anchors and "
      "aliases\n" },
    { "a NUL written as \\0", "---\ntitle: ok\nx: [\"a\", \"x\\0y\"]\n---\n",
      "content/c/p.md:3:10: a NUL character is not allowed\n" },
    { "a NUL in a key", "---\n\"k\\0\": 1\n---\n",
      "content/c/p.md:2:1: a NUL character is not allowed\n" },
    { "a long value shown cut, never inside a character",
      "---\ndate: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9\n---\n",
      "content/c/p.md:2:7: date: expected a timestamp such as 2024-03-01 or "
      "2024-03-01T10:00:00+02:00, got \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9...\"\n" },
    { "link javascript:", "---\nlink: javascript:alert(1)\n---\n",
      "content/c/p.md:2:7: link: only http(s), mailto and relative URLs are "
      "allowed, got \"javascript:alert(1)\"\n" },
};

static void
test_bad_posts(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof bad_posts / sizeof *bad_posts; i++) {
        diags_dispose(&f->d);
        diags_init(&f->d);
        struct source_file in = file("content/c/p.md", bad_posts[i].text, 0);
        struct post p;
        int rc = parse_post(&p, &in, &f->cfg, f->a, &f->d);
        char *got = printed(&f->d);
        if (strcmp(got, bad_posts[i].messages) != 0)
            fail_msg("%s:\n got: %s\nwant: %s", bad_posts[i].name, got,
                     bad_posts[i].messages);
        assert_int_equal(rc, -1);
        free(got);
    }
}

static void
test_fields_and_defaults(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\r\ntitle: \"<script>\"\r\ndate: 2024-03-01 "
                       "10:00:00 +3\r\ntags: [a, b]\r\nchannels: [x]\r\n"
                       "draft: yes\r\nlang: ru\r\nmood: sunny\r\n---\r\n"
                       "First para *here*.\r\n\r\nSecond.\r\n";
    struct source_file in = file("content/c/My Post.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(p.title, "<script>");
    assert_string_equal(p.slug, "my-post");
    assert_string_equal(p.folder, "c");
    assert_int_equal(p.date.secs, 1709276400);
    assert_int_equal(p.date.offset_min, 180);
    assert_int_equal(p.updated.secs, 1710000000);
    assert_int_equal(p.ntags, 2);
    assert_string_equal(p.tags[1].name, "b");
    assert_string_equal(p.tags[1].slug, "b");
    assert_int_equal(p.channels[0].line, 5);
    assert_int_equal(p.channels[0].col, 12);
    assert_true(p.draft);
    assert_string_equal(p.lang, "ru");
    assert_string_equal(p.params->keys[0], "mood");
    assert_string_equal(p.params->items[0]->text, "sunny");
    assert_string_equal(p.summary_html, "<p>First para <em>here</em>.</p>\n");
    assert_string_equal(p.description, "First para here.");
    assert_non_null(strstr(p.body_html, "<p>Second.</p>"));
}

static void
test_title_from_text(void **state)
{
    struct fixture *f = *state;
    const char *text = "🪐 Far in the constellation Carina, the peculiar "
                       "galaxy ESO 137-001 speeds through the hot plasma\n"
                       "second line\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(p.title, "🪐 Far in the constellation Carina, the "
                                 "peculiar galaxy ESO 137-001…");
    /* No front matter: git supplies the dates. */
    assert_int_equal(p.date.secs, 1700000000);
    assert_int_equal(p.date.offset_min, 120);

    /* No text at all: the file's name. */
    in = file("content/c/Empty Post.md", "---\n---\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(p.title, "empty-post");
}

static void
test_byte_order_mark(void **state)
{
    struct fixture *f = *state;
    const char *text = "\xef\xbb\xbf---\r\ntitle: Windows\r\n"
                       "date: 2024-02-05\r\n---\r\nBody\r\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(p.title, "Windows");
    assert_string_equal(p.body_html, "<p>Body</p>\n");
}

static void
test_raw_html_omitted(void **state)
{
    struct fixture *f = *state;
    const char *text = "<script>alert(1)</script>\n\nhi <b>x</b> "
                       "[l](javascript:alert(1)) ~~s~~ www.example.org\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_null(strstr(p.body_html, "<script"));
    assert_null(strstr(p.body_html, "<b>"));
    assert_null(strstr(p.body_html, "javascript:"));
    assert_non_null(strstr(p.body_html, "<del>s</del>"));
    assert_non_null(strstr(p.body_html, "href=\"http://www.example.org\""));
    f->cfg.unsafe_html = true;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_non_null(strstr(p.body_html, "<b>x</b>"));
}

/* Hashtags in Markdown: where they count, and how they render. */
static const struct {
    const char *name, *text, *tags, *html;
} hashtag_cases[] = {
    { "plain", "#a #b\n", "a b",
      "<a class=\"hashtag\" href=\"/tags/a/\">#a</a>" },
    { "code span", "`#code` #yes\n", "yes", "<code>#code</code>" },
    { "fenced code", "```c\n#include <stdio.h>\n```\n", "",
      "<span class=\"cp\">#include</span> <span class=\"cpf\">&lt;stdio.h&gt;" },
    { "indented code", "    #indented\n", "", "<pre><code>#indented" },
    { "link text and destination",
      "[#linktext](https://x.org/#frag) #after\n", "after",
      "<a href=\"https://x.org/#frag\">#linktext</a>" },
    { "autolinks", "<https://x.org/#t1> https://example.org/#t2 "
      "www.example.org/#t3\n", "", "https://example.org/#t2</a>" },
    { "HTML block", "<div>\n#raw\n</div>\n", "", "raw HTML omitted" },
    { "glued to bold", "**bold**#glued\n", "", "</strong>#glued" },
    { "after emphasis and space", "*em* #ok\n", "ok", "#ok</a>" },
    { "case spellings", "#Carina and #carina\n", "Carina carina",
      "href=\"/tags/carina/\">#Carina</a>" },
    { "in a heading", "# Title #tag\n", "tag", "<h1 id=\"title-tag\">Title <a" },
    { "Unicode slug", "#Астрономия\n", "Астрономия",
      "href=\"/tags/%D0%B0%D1%81%D1%82%D1%80%D0%BE%D0%BD%D0%BE%D0%BC%D0%B8%D1%8F/\">#Астрономия</a>" },
    { "escaped in href and text", "#tag@chan\n", "tag",
      ">#tag@chan</a>" },
};

static void
test_hashtags_in_markdown(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof hashtag_cases / sizeof *hashtag_cases; i++) {
        struct source_file in = file("content/c/p.md", hashtag_cases[i].text,
                                     0);
        struct post p;
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
        char names[256] = "";
        for (size_t j = 0; j < p.ntags; j++)
            snprintf(names + strlen(names), sizeof names - strlen(names),
                     "%s%s", j ? " " : "", p.tags[j].name);
        if (strcmp(names, hashtag_cases[i].tags) != 0)
            fail_msg("%s: tags \"%s\", want \"%s\"", hashtag_cases[i].name,
                     names, hashtag_cases[i].tags);
        if (!strstr(p.body_html, hashtag_cases[i].html))
            fail_msg("%s: no %s in\n%s", hashtag_cases[i].name,
                     hashtag_cases[i].html, p.body_html);
    }
}

static void
test_hashtag_positions(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\ntitle: t\ntags: [\"#Extra\", \"a b\", \"!!\"]\n"
                       "---\nline one\n\n  text #tag here\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    assert_int_equal(p.ntags, 3);
    assert_string_equal(p.tags[0].name, "tag");
    assert_int_equal(p.tags[0].line, 7);
    assert_int_equal(p.tags[0].col, 8);
    assert_string_equal(p.tags[1].name, "Extra");
    assert_string_equal(p.tags[1].slug, "extra");
    assert_string_equal(p.tags[2].slug, "a-b");
    char *got = printed(&f->d);
    assert_string_equal(got, "content/c/p.md:3:25: tags: \"!!\" has no "
                             "letter or digit to name a tag\n");
    free(got);
}

/* cmark decodes entities and escapes: a hashtag after them is still placed
 * at its column in the file, not in the decoded text. */
static void
test_hashtag_positions_after_entities(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\ntitle: t\n---\n&amp;&amp;&amp;&amp; #e_tron "
                       "\\* &#35;x #y\nnext *line* #z\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    static const struct { const char *name; unsigned line, col; } want[] = {
        { "e_tron", 4, 22 }, { "x", 4, 33 }, { "y", 4, 40 }, { "z", 5, 13 },
    };
    assert_int_equal(p.ntags, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(p.tags[i].name, want[i].name);
        if (p.tags[i].line != want[i].line || p.tags[i].col != want[i].col)
            fail_msg("#%s at %u:%u, expected %u:%u", want[i].name,
                     p.tags[i].line, p.tags[i].col, want[i].line, want[i].col);
    }
}

static void
test_tag_slugs(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(parse_tag_slug(f->a, "Carina", 6), "carina");
    assert_string_equal(parse_tag_slug(f->a, "#ETRON", 6), "etron");
    assert_string_equal(parse_tag_slug(f->a, "<script>x</script>", 18),
                        "script-x-script");
    assert_null(parse_tag_slug(f->a, "../", 3));
    /* 300 Cyrillic letters: 600 bytes, shortened to fit a file name. */
    char long_tag[601];
    for (int i = 0; i < 300; i++)
        memcpy(long_tag + 2 * i, "я", 2);
    long_tag[600] = '\0';
    const char *slug = parse_tag_slug(f->a, long_tag, 600);
    assert_true(strlen(slug) <= 200);
    long_tag[598] = '\0'; /* a different long tag keeps a different slug */
    assert_string_not_equal(parse_tag_slug(f->a, long_tag, 598), slug);
}

/* Heading ids: GitHub's rules, `{#id}`, unique within the page. */
static const struct {
    const char *name, *text, *html;
} heading_cases[] = {
    { "GitHub's rules", "## Héllo, Wörld! 2024 _x_ `c` & \xe2\x80\x94 a_b-c\n",
      "<h2 id=\"héllo-wörld-2024-x-c---a_b-c\">" },
    { "Unicode letters and marks", "# Привет мир\n# नमस्ते\n",
      "<h1 id=\"привет-мир\">Привет мир</h1>\n"
      "<h1 id=\"नमस्ते\">" },
    { "repeats get -1, -2", "# A\n# A\n## a\n# A-1\n",
      "<h1 id=\"a\">A</h1>\n<h1 id=\"a-1\">A</h1>\n<h2 id=\"a-2\">a</h2>\n"
      "<h1 id=\"a-1-1\">A-1</h1>\n" },
    { "{#id} sets the id and is not shown", "## Setup {#setup}\n",
      "<h2 id=\"setup\">Setup</h2>\n" },
    { "{#id} spanning text nodes", "## Under score {#a_b_c}\n",
      "<h2 id=\"a_b_c\">Under score</h2>\n" },
    { "{#id} alone", "## {#only}\n", "<h2 id=\"only\"></h2>\n" },
    { "{#id} first claims its id", "# Intro\n# Other {#intro}\n",
      "<h1 id=\"intro-1\">Intro</h1>\n<h1 id=\"intro\">Other</h1>\n" },
    { "{#id} escaped", "# X {#a\"b<c&d}\n",
      "<h1 id=\"a&quot;b&lt;c&amp;d\">X</h1>\n" },
    { "{#id} glued to the text is text", "# X{#y}\n",
      "<h1 id=\"xy\">X{<a class=\"hashtag\"" },
    { "{#id} not at the end is text", "# {#y} z\n",
      "<h1 id=\"y-z\">{<a class=\"hashtag\"" },
    { "setext, and no word at all", "Title\n=====\n\n## !!!\n",
      "<h1 id=\"title\">Title</h1>\n<h2 id=\"section\">!!!</h2>\n" },
    { "a hashtag keeps its link", "# Title #tag\n",
      "<h1 id=\"title-tag\">Title <a class=\"hashtag\" href=\"/tags/tag/\">"
      "#tag</a></h1>\n" },
};

static void
test_heading_ids(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof heading_cases / sizeof *heading_cases;
         i++) {
        struct source_file in = file("content/c/p.md", heading_cases[i].text,
                                     0);
        struct post p;
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
        if (!strstr(p.body_html, heading_cases[i].html))
            fail_msg("%s: no\n%s\nin\n%s", heading_cases[i].name,
                     heading_cases[i].html, p.body_html);
    }
    /* `{#id}` is never a hashtag, and the title leaves it out. */
    struct source_file in = file("content/c/p.md", "# Set up {#setup}\n", 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.ntags, 0);
    assert_string_equal(p.title, "Set up");
    assert_int_equal(p.anchors.nids, 1);
    assert_string_equal(p.anchors.ids[0], "setup");
    /* A channel's about text too. */
    in = file("content/c/_index.md", "---\ntitle: C\n---\n## About us\n", 0);
    struct channel c;
    assert_int_equal(parse_channel(&c, "c", &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(c.about_html, "<h2 id=\"about-us\">About us</h2>\n");
    assert_int_equal(f->d.len, 0);
}

/* The links and images of a post: what they name, where they are in the
 * file and, for links to posts' files, where their hrefs are in the HTML
 * and in the summary. */
static void
test_links(void **state)
{
    struct fixture *f = *state;
    const char *text =
        "---\ntitle: t\n---\n"
        "Привет [a](../travel/trip.md#day-2 \"T&\") and [b\n"
        "c](./b%20c.md) ![i](img/x.png) [s](#setup)\n"
        "\n"
        "> [r](/news/x/?q=1#f) [m](mailto:a@b.org) [w](https://x.org/a.md)\n"
        "> [up](../../../x.md) [q](a.md?x) [d](sub/../../c/d.md)\n"
        "\n"
        "| x |\n|---|\n| [t](t.md) |\n";
    struct source_file in = file("content/news/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    static const struct {
        const char *url, *path, *fragment;
        enum link_kind kind;
        bool image, to_post;
        unsigned line, col;
        const char *href; /* in body_html at [at, at + len) */
    } want[] = {
        { "../travel/trip.md#day-2", "content/travel/trip.md", "day-2",
          LINK_RELATIVE, false, true, 4, 8, "../travel/trip.md#day-2" },
        { "./b%20c.md", "content/news/b c.md", NULL, LINK_RELATIVE, false,
          true, 4, 46, "./b%20c.md" },
        { "img/x.png", "content/news/img/x.png", NULL, LINK_RELATIVE, true,
          false, 5, 16, NULL },
        { "#setup", NULL, "setup", LINK_FRAGMENT, false, false, 5, 32, NULL },
        { "/news/x/?q=1#f", NULL, "f", LINK_ROOTED, false, false, 7, 3, NULL },
        { "mailto:a@b.org", NULL, NULL, LINK_OTHER, false, false, 7, 23,
          NULL },
        { "https://x.org/a.md", NULL, NULL, LINK_OTHER, false, false, 7, 43,
          NULL },
        { "../../../x.md", NULL, NULL, LINK_RELATIVE, false, true, 8, 3,
          "../../../x.md" },
        { "a.md?x", "content/news/a.md", NULL, LINK_RELATIVE, false, false, 8,
          23, NULL },
        { "sub/../../c/d.md", "content/c/d.md", NULL, LINK_RELATIVE, false,
          true, 8, 35, "sub/../../c/d.md" },
        { "t.md", "content/news/t.md", NULL, LINK_RELATIVE, false, true, 12, 3,
          "t.md" },
    };
    assert_int_equal(p.anchors.nlinks, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const struct link_use *u = &p.anchors.links[i];
        assert_string_equal(u->url, want[i].url);
        if (want[i].path)
            assert_string_equal(u->path, want[i].path);
        else
            assert_null(u->path);
        if (want[i].fragment)
            assert_string_equal(u->fragment, want[i].fragment);
        else
            assert_null(u->fragment);
        assert_int_equal(u->kind, want[i].kind);
        assert_int_equal(u->image, want[i].image);
        assert_int_equal(u->to_post, want[i].to_post);
        if (u->line != want[i].line || u->col != want[i].col)
            fail_msg("%s at %u:%u, expected %u:%u", u->url, u->line, u->col,
                     want[i].line, want[i].col);
        if (!want[i].href) {
            assert_int_equal(u->at, SIZE_MAX);
            continue;
        }
        assert_true(u->at < strlen(p.body_html));
        assert_int_equal(u->len, strlen(want[i].href));
        assert_memory_equal(p.body_html + u->at, want[i].href, u->len);
        assert_memory_equal(p.body_html + u->at - 9, "<a href=\"", 9);
    }
    /* The title is written as cmark writes it. */
    assert_non_null(strstr(p.body_html, "<a href=\"../travel/trip.md#day-2\" "
                                        "title=\"T&amp;\">a</a>"));
    /* The first paragraph is the summary: its links have their place in it
     * too, and no other link has one. */
    for (size_t i = 0; i < p.anchors.nlinks; i++) {
        const struct link_use *u = &p.anchors.links[i];
        if (i > 1) {
            assert_int_equal(u->summary_at, SIZE_MAX);
            continue;
        }
        assert_true(u->summary_at < strlen(p.summary_html));
        assert_memory_equal(p.summary_html + u->summary_at, u->url, u->len);
    }
    /* A summary from the front matter holds no link of the body. */
    in = file("content/news/p.md", "---\nsummary: s\n---\n[a](a.md)\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.anchors.nlinks, 1);
    assert_int_equal(p.anchors.links[0].summary_at, SIZE_MAX);
    assert_int_not_equal(p.anchors.links[0].at, SIZE_MAX);
    /* A link inside an image's description is text: it has no href. */
    in = file("content/news/p.md", "![x [a](a.md)](i.png)\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.anchors.nlinks, 2);
    assert_true(p.anchors.links[1].to_post);
    assert_int_equal(p.anchors.links[1].at, SIZE_MAX);
    assert_int_equal(f->d.len, 0);
}

/* The ids a #fragment can name: headings', footnotes' (as cmark-gfm writes
 * them), and those of raw HTML, entities decoded. */
static void
test_ids(void **state)
{
    struct fixture *f = *state;
    const char *text = "# One\n\nA note[^n].\n\n<a name=\"old&amp;\"></a>"
                       "<p id='x&#39;y'>p</p>\n\n`<i id=\"code\">`\n\n"
                       "[^n]: The note.\n";
    struct source_file in = file("content/c/p.md", text, 0);
    f->cfg.unsafe_html = true;
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    const char *want[] = { "one", "fnref-n", "old&", "x'y", "fn-n" };
    assert_int_equal(p.anchors.nids, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(p.anchors.ids[i], want[i]);
}

/* Front matter fields gazette does not know, each at its key; where the
 * date is. */
static void
test_unknown_fields(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\ntittle: x\ndate: 2024-03-01\nimage: a.png\n"
                       "  \nmood:\n  - calm\n---\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.nunknown, 2);
    assert_string_equal(p.unknown[0].text, "tittle");
    assert_int_equal(p.unknown[0].line, 2);
    assert_int_equal(p.unknown[0].col, 1);
    assert_string_equal(p.unknown[1].text, "mood");
    assert_int_equal(p.unknown[1].line, 6);
    assert_int_equal(p.date_at.line, 3);
    assert_int_equal(p.date_at.col, 7);
    assert_int_equal(p.params->len, 3); /* all kept for templates */
    in = file("content/c/_index.md", "---\ntitle: C\ncolour: red\n---\n", 0);
    struct channel c;
    assert_int_equal(parse_channel(&c, "c", &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(c.nunknown, 1);
    assert_string_equal(c.unknown[0].text, "colour");
    assert_int_equal(c.unknown[0].line, 3);
    /* No date in the front matter: no place for it. */
    in = file("content/c/p.md", "text\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.date_at.line, 0);
    assert_int_equal(p.nunknown, 0);
}

/* Relative paths as a link names them from its file. */
static void
test_relative_paths(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *from, *ref, *want;
    } cases[] = {
        { "content/news/a.md", "b.md", "content/news/b.md" },
        { "content/news/a.md", "./b.md", "content/news/b.md" },
        { "content/news/a.md", "../travel/t.md", "content/travel/t.md" },
        { "content/news/a.md", "../../site.yaml", "site.yaml" },
        { "content/news/a.md", "../../../x", NULL },
        { "content/news/a.md", "x//y/./z/", "content/news/x/y/z/" },
        { "content/news/a.md", "%C3%BC%20b.md", "content/news/ü b.md" },
        { "content/news/a.md", "a%00b.md", NULL },
        { "content/news/a.md", "100%.md", "content/news/100%.md" },
        { "news/a/index.html", "../b/", "news/b/" },
        { "", "x/../../y", NULL },
        { "", "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = parse_relative_path(f->a, cases[i].from,
                                              cases[i].ref,
                                              strlen(cases[i].ref));
        if (cases[i].want ? !got || strcmp(got, cases[i].want) : got != NULL)
            fail_msg("%s from %s: \"%s\", want \"%s\"", cases[i].ref,
                     cases[i].from, got ? got : "(null)",
                     cases[i].want ? cases[i].want : "(null)");
    }
}

/* Fenced code: highlighted, wrapped for Pygments stylesheets, with Hugo's
 * options; unknown languages plain; hostile text always escaped. */
static const struct {
    const char *name, *text, *want;
} code_cases[] = {
    { "python", "```python\nx = 1\n```\n",
      "<div class=\"highlight\"><pre><code class=\"language-python\">"
      "<span class=\"n\">x</span> <span class=\"o\">=</span> "
      "<span class=\"mi\">1</span>\n</code></pre></div>" },
    { "alias", "```py3\nNone\n```\n",
      "<code class=\"language-python\"><span class=\"kc\">None</span>" },
    { "unknown language", "```klingon\nqapla' <b>\n```\n",
      "<code class=\"language-klingon\">qapla&#39; &lt;b&gt;\n</code>" },
    { "hostile language name", "```\"><script>\nx\n```\n",
      "<code class=\"language-&quot;&gt;&lt;script&gt;\">x\n</code>" },
    { "hostile code", "```python\n'</code></pre><script>'\n```\n",
      "<span class=\"s1\">&#39;&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;&#39;"
      "</span>" },
    { "line numbers and marked lines",
      "```python {linenos=true hl_lines=\"2-3\" linenostart=5}\na\n'''x\n"
      "y'''\nb\n```\n",
      "<span class=\"ln\">5</span><span class=\"n\">a</span>\n"
      "<span class=\"hll\"><span class=\"ln\">6</span><span class=\"sd\">"
      "&#39;&#39;&#39;x</span>\n</span>"
      "<span class=\"hll\"><span class=\"ln\">7</span><span class=\"sd\">"
      "y&#39;&#39;&#39;</span>\n</span>"
      "<span class=\"ln\">8</span><span class=\"n\">b</span>\n" },
    { "Hugo's list of marked lines", "```sh {HL_Lines=[1,\"3-4\"], lineNos=false}\n"
      "a\nb\nc\nd\n```\n",
      "<code class=\"language-bash\"><span class=\"hll\">a\n</span>b\n"
      "<span class=\"hll\">c\n</span><span class=\"hll\">d\n</span></code>" },
    { "no language: CommonMark's own", "```\n<x>\n```\n",
      "<pre><code>&lt;x&gt;\n</code></pre>" },
};

static void
test_code_blocks(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof code_cases / sizeof *code_cases; i++) {
        struct source_file in = file("content/c/p.md", code_cases[i].text, 0);
        struct post p;
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
        if (!strstr(p.body_html, code_cases[i].want))
            fail_msg("%s: no\n%s\nin\n%s", code_cases[i].name,
                     code_cases[i].want, p.body_html);
    }
    assert_int_equal(f->d.len, 0);
}

static void
test_huge_code_blocks(void **state)
{
    struct fixture *f = *state;
    /* A 10 MB block of many lines and a 1 MB line: linear, escaped. */
    const size_t sizes[] = { 10u << 20, 1u << 20 };
    for (int k = 0; k < 2; k++) {
        struct buf b = BUF_INIT;
        buf_puts(&b, "```python\n");
        while (b.len < sizes[k])
            buf_puts(&b, k == 0 ? "x = '<script>' # c\n" : "'<a>' + ");
        buf_puts(&b, "\n```\n");
        struct source_file in = file("content/c/p.md", b.data, b.len);
        struct post p;
        f->cfg.limits.page_bytes = (size_t)256 << 20; /* not the point */
        clock_t start = clock();
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
        double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
        if (secs > 5)
            fail_msg("%zu bytes took %.1f s", sizes[k], secs);
        assert_null(strstr(p.body_html, "<script>"));
        assert_null(strstr(p.body_html, "<a>"));
        buf_dispose(&b);
    }
}

static void
test_timestamps(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t secs;
        int offset;
    } good[] = {
        { "1970-01-01", 0, 0 },
        { "2024-02-29", 1709164800, 0 },
        { "2001-12-14t21:59:43.10-05:00", 1008385183, -300 },
        { "2001-12-14 21:59:43.10 -5", 1008385183, -300 },
        { "2001-12-15T02:59:43.1Z", 1008385183, 0 },
        { "2001-12-15 2:59:43.10", 1008385183, 0 },
        { "2024-03-01T10:00:00+05:30", 1709267400, 330 },
    };
    static const char *bad[] = { "soon", "2023-02-29", "2024-13-01",
                                 "2024-01-01T25:00:00", "2024-1-1x", "",
                                 "2024-01-01 10:00", "24-01-01" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        struct timestamp t;
        assert_int_equal(parse_timestamp(&t, good[i].text), 0);
        assert_int_equal(t.secs, good[i].secs);
        assert_int_equal(t.offset_min, good[i].offset);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct timestamp t;
        if (parse_timestamp(&t, bad[i]) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void
test_config(void **state)
{
    struct fixture *f = *state;
    const char *text = "title: T\nbase_url: https://u.github.io/site\n"
                       "per_page: 0\nlanguage: en us\nunsafe_html: true\n"
                       "extra: [1, 2]\n";
    struct source_file in = file("site.yaml", text, 0);
    struct site_config c;
    assert_int_equal(parse_config(&c, &in, f->a, &f->d), -1);
    assert_string_equal(c.base_url, "https://u.github.io/site/");
    assert_string_equal(c.base_path, "/site/");
    assert_int_equal(c.per_page, 10);
    assert_true(c.unsafe_html);
    assert_int_equal(c.params->len, 1);
    char *got = printed(&f->d);
    assert_string_equal(got,
        "site.yaml:3:11: per_page: expected a number from 1 to 100000, got 0\n"
        "site.yaml:4:11: language: expected a language tag such as en or "
        "pt-BR, got \"en us\"\n");
    free(got);
}

/* A value of the wrong type is reported once, at its position, and the
 * default stays (it once read an uninitialised number). */
static void
test_config_wrong_types(void **state)
{
    struct fixture *f = *state;
    const char *text = "title: T\nper_page: many\nunsafe_html: maybe\n";
    struct source_file in = file("site.yaml", text, 0);
    struct site_config c;
    assert_int_equal(parse_config(&c, &in, f->a, &f->d), -1);
    assert_int_equal(c.per_page, 10);
    assert_false(c.unsafe_html);
    char *got = printed(&f->d);
    assert_string_equal(got,
        "site.yaml:2:11: per_page: expected a whole number, got \"many\"\n"
        "site.yaml:3:14: unsafe_html: expected true or false, got "
        "\"maybe\"\n");
    free(got);
}

static void
test_channel(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\ntitle: Universe Mysteries\nlang: en\n---\n"
                       "About the *universe*.\n";
    struct source_file in = file("content/u/_index.md", text, 0);
    struct channel c;
    assert_int_equal(parse_channel(&c, "u", &in, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(c.title, "Universe Mysteries");
    assert_string_equal(c.description, "About the universe.");
    assert_string_equal(c.about_html, "<p>About the <em>universe</em>.</p>\n");
    assert_int_equal(parse_channel(&c, "v", NULL, &f->cfg, f->a, &f->d), 0);
    assert_string_equal(c.title, "v");
}

/* Clears the diags between cases of a table. */
static void
reset_diags(struct fixture *f)
{
    diags_dispose(&f->d);
    diags_init(&f->d);
}

/* Fails with name unless the diags print exactly as want. */
static void
expect_printed(struct fixture *f, const char *name, const char *want)
{
    char *got = printed(&f->d);
    if (strcmp(got, want) != 0)
        fail_msg("%s:\n got: %s\nwant: %s", name, got, want);
    free(got);
}

/* site.yaml's limits: each value in its range, at its position. */
static const struct {
    const char *name, *text, *messages;
} limit_cases[] = {
    { "all set", "limits:\n  front_matter_kib: 128\n  post_mib: 16\n"
      "  page_mib: 32\n  yaml_depth: 10\n  parse_seconds: 20\n"
      "  parse_mib: 512\n", "" },
    { "empty", "limits:\n", "" },
    { "out of range",
      "limits:\n  post_mib: 0\n  page_mib: 2000\n  yaml_depth: 1001\n"
      "  front_matter_kib: -1\n  parse_seconds: 0\n  parse_mib: 8\n",
      "site.yaml:2:13: limits.post_mib: expected a number from 1 to 1024, "
      "got 0\n"
      "site.yaml:3:13: limits.page_mib: expected a number from 1 to 1024, "
      "got 2000\n"
      "site.yaml:4:15: limits.yaml_depth: expected a number from 1 to 1000, "
      "got 1001\n"
      "site.yaml:5:21: limits.front_matter_kib: expected a number from 1 to "
      "16384, got -1\n"
      "site.yaml:6:18: limits.parse_seconds: expected a number from 1 to "
      "3600, got 0\n"
      "site.yaml:7:14: limits.parse_mib: expected a number from 16 to "
      "65536, got 8\n" },
    { "not whole numbers", "limits: {post_mib: 1.5, page_mib: \"8\", "
      "yaml_depth: [1]}\n",
      "site.yaml:1:20: limits.post_mib: expected a whole number, got "
      "\"1.5\"\n"
      "site.yaml:1:35: limits.page_mib: expected a whole number, got "
      "\"8\"\n"
      "site.yaml:1:52: limits.yaml_depth: expected a whole number, got a "
      "list\n" },
    { "unknown key", "title: T\nlimits:\n  post_mb: 8\n  post_mib: 9\n",
      "site.yaml:3:3: limits: unknown limit \"post_mb\" (known: "
      "front_matter_kib, post_mib, page_mib, yaml_depth, parse_seconds, "
      "parse_mib)\n" },
    { "not a mapping", "limits: 8\n",
      "site.yaml:1:9: limits: expected a mapping such as {post_mib: 8}, got "
      "\"8\"\n" },
};

static void
test_config_limits(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof limit_cases / sizeof *limit_cases; i++) {
        reset_diags(f);
        struct source_file in = file("site.yaml", limit_cases[i].text, 0);
        struct site_config c;
        int rc = parse_config(&c, &in, f->a, &f->d);
        expect_printed(f, limit_cases[i].name, limit_cases[i].messages);
        assert_int_equal(rc, *limit_cases[i].messages ? -1 : 0);
        if (i == 0) {
            assert_int_equal(c.limits.front_matter_bytes, 128 << 10);
            assert_int_equal(c.limits.post_bytes, 16 << 20);
            assert_int_equal(c.limits.page_bytes, 32 << 20);
            assert_int_equal(c.limits.yaml_depth, 10);
            assert_int_equal(c.limits.parse_seconds, 20);
            assert_int_equal(c.limits.parse_memory, (size_t)512 << 20);
            assert_int_equal(c.params->len, 0);
        } else if (i == 4) { /* the good one beside a bad one is taken */
            assert_int_equal(c.limits.post_bytes, 9 << 20);
        } else {
            assert_int_equal(c.limits.post_bytes, 8 << 20);
            assert_int_equal(c.limits.yaml_depth, 64);
        }
    }
}

/* n copies of unit after head, then tail, in the arena. */
static char *
repeated(struct arena *a, const char *head, const char *unit, size_t n,
         const char *tail)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, head);
    for (size_t i = 0; i < n; i++)
        buf_puts(&b, unit);
    buf_puts(&b, tail);
    char *copy = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return copy;
}

/* Nesting up to limits.yaml_depth collections (the root mapping counts)
 * parses; one more is an error where it opens. */
static void
test_yaml_depth(void **state)
{
    struct fixture *f = *state;
    struct post p;
    /* x: [[...]] with 63 lists: 64 levels with the root. */
    char *text = arena_printf(f->a, "---\nx: %s%s\n---\n",
                        repeated(f->a, "", "[", 63, ""),
                        repeated(f->a, "", "]", 63, ""));
    struct source_file in = file("content/c/p.md", text, 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    text = arena_printf(f->a, "---\nx: %s%s\n---\n",
                        repeated(f->a, "", "[", 64, ""),
                        repeated(f->a, "", "]", 64, ""));
    in = file("content/c/p.md", text, 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    expect_printed(f, "flow", "content/c/p.md:2:67: nested deeper than 64 "
                              "levels\n");

    /* Block lists, each a line further in: the 64th dash is too deep. */
    reset_diags(f);
    struct buf b = BUF_INIT;
    buf_puts(&b, "---\nx:\n");
    for (int i = 1; i <= 64; i++)
        buf_printf(&b, "%*s-\n", i, "");
    buf_puts(&b, "---\n");
    in = file("content/c/p.md", b.data, b.len);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    expect_printed(f, "block", "content/c/p.md:66:65: nested deeper than 64 "
                               "levels\n");
    buf_dispose(&b);

    /* The limit is site.yaml's to change. */
    reset_diags(f);
    f->cfg.limits.yaml_depth = 3;
    in = file("content/c/p.md", "---\ntags: [a]\nx: [[a]]\ny: [[[a]]]\n---\n",
              0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    expect_printed(f, "limit 3", "content/c/p.md:4:6: nested deeper than 3 "
                                 "levels\n");
}

/* Anchors and aliases in _index.md and site.yaml too. */
static void
test_anchors_everywhere(void **state)
{
    struct fixture *f = *state;
    struct source_file in = file("content/u/_index.md",
                                 "---\ntitle: &t T\nx: *t\n---\n", 0);
    struct channel c;
    assert_int_equal(parse_channel(&c, "u", &in, &f->cfg, f->a, &f->d), -1);
    in = file("site.yaml", "base: &b {a: 1}\nmore:\n  <<: *b\n", 0);
    struct site_config cfg;
    assert_int_equal(parse_config(&cfg, &in, f->a, &f->d), -1);
    expect_printed(f, "anchors",
                   "content/u/_index.md:2:8: front matter has no use for "
                   "anchors and aliases\n"
                   "site.yaml:1:7: front matter has no use for anchors and "
                   "aliases\n");
}

/* What once took gigabytes, crashed or ran for minutes: each is one error
 * naming its file, in well under a second, in little memory. */
static void
test_pathological_yaml(void **state)
{
    struct fixture *f = *state;
    struct arena *a = f->a;
    struct buf bomb = BUF_INIT;
    buf_puts(&bomb, "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (char c = 'b'; c <= 'g'; c++) {
        buf_printf(&bomb, "%c: &%c [", c, c);
        for (int i = 0; i < 10; i++)
            buf_printf(&bomb, "%s*%c", i ? "," : "", c - 1);
        buf_puts(&bomb, "]\n");
    }
    struct buf blocks = BUF_INIT; /* 3000 block lists, a line each */
    for (int i = 0; i < 3000; i++)
        buf_printf(&blocks, "%*s-\n", i, "");
    const size_t big = (size_t)16 << 20; /* front matter limit raised */
    const struct {
        const char *name, *path, *text;
        size_t front_matter_bytes;
        const char *want;
    } cases[] = {
        { "alias bomb", "content/c/p.md",
          arena_printf(a, "---\n%s---\n", bomb.data), 0,
          "content/c/p.md:2:4: front matter has no use for anchors and "
          "aliases\n" },
        { "self alias", "content/c/p.md", "---\na: &x [*x]\n---\n", 0,
          "content/c/p.md:2:4: front matter has no use for anchors and "
          "aliases\n" },
        { "[ x 100000", "content/c/p.md",
          repeated(a, "---\na: ", "[", 100000, "\n---\n"), 0,
          "content/c/p.md:1:1: front matter is 100004 bytes, over the limit "
          "of 64 KiB (limits.front_matter_kib in site.yaml)\n" },
        { "[ x 100000, no size limit", "content/c/p.md",
          repeated(a, "---\na: ", "[", 100000, "\n---\n"), big,
          "content/c/p.md:2:67: nested deeper than 64 levels\n" },
        { "[ x 100000 in site.yaml", "site.yaml",
          repeated(a, "a: ", "[", 100000, "\n"), 0,
          "site.yaml:1:67: nested deeper than 64 levels\n" },
        { "{a: x 100000 in site.yaml", "site.yaml",
          repeated(a, "a: ", "{a: ", 100000, "\n"), 0,
          "site.yaml:1:256: nested deeper than 64 levels\n" },
        { "- x 200000 on a line", "content/c/p.md",
          repeated(a, "---\nx:\n  ", "- ", 200000, "y\n---\n"), big,
          "content/c/p.md:3:129: nested deeper than 64 levels\n" },
        { "- x 200000 in site.yaml", "site.yaml",
          repeated(a, "", "- ", 200000, "y\n"), 0,
          "site.yaml:1:129: nested deeper than 64 levels\n" },
        { "nested block lists", "site.yaml", blocks.data, 0,
          "site.yaml:65:65: nested deeper than 64 levels\n" },
        { "10 MB title", "content/c/p.md",
          repeated(a, "---\ntitle: ", "0123456789", 1 << 20, "\n---\n"), 0,
          "content/c/p.md:1:1: front matter is 10485768 bytes, over the "
          "limit of 64 KiB (limits.front_matter_kib in site.yaml)\n" },
        { "\"x\\0y\"", "content/c/p.md", "---\ntitle: \"x\\0y\"\n---\n", 0,
          "content/c/p.md:2:8: a NUL character is not allowed\n" },
    };
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        reset_diags(f);
        f->cfg.limits.front_matter_bytes =
            cases[i].front_matter_bytes ? cases[i].front_matter_bytes
                                        : 64 << 10;
        struct source_file in = file(cases[i].path, cases[i].text, 0);
        clock_t start = clock();
        int rc;
        if (!strcmp(cases[i].path, "site.yaml")) {
            struct site_config c;
            rc = parse_config(&c, &in, f->a, &f->d);
        } else {
            struct post p;
            rc = parse_post(&p, &in, &f->cfg, f->a, &f->d);
        }
        double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
        assert_int_equal(rc, -1);
        expect_printed(f, cases[i].name, cases[i].want);
        if (secs > 0.5)
            fail_msg("%s took %.2f s", cases[i].name, secs);
    }
    getrusage(RUSAGE_SELF, &after);
    /* The inputs themselves are ~35 MB (arena copies included). */
    long grown_mb = (after.ru_maxrss - before.ru_maxrss) / 1024;
    if (grown_mb > 128)
        fail_msg("peak memory grew by %ld MB", grown_mb);
    buf_dispose(&bomb);
    buf_dispose(&blocks);
}

/* A file source/ did not read for its size: one error, no parse. */
static void
test_too_big(void **state)
{
    struct fixture *f = *state;
    struct source_file in = file("content/c/big.md", "", 0);
    in.data = NULL;
    in.len = 0;
    in.size = 9437184;
    in.too_big = true;
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    in.path = "content/c/_index.md";
    struct channel c;
    assert_int_equal(parse_channel(&c, "c", &in, &f->cfg, f->a, &f->d), -1);
    in.path = "site.yaml";
    struct site_config cfg;
    assert_int_equal(parse_config(&cfg, &in, f->a, &f->d), -1);
    expect_printed(f, "too big",
        "content/c/_index.md:1:1: 9437184 bytes, over the limit of 8 MiB "
        "(limits.post_mib in site.yaml)\n"
        "content/c/big.md:1:1: 9437184 bytes, over the limit of 8 MiB "
        "(limits.post_mib in site.yaml)\n"
        "site.yaml:1:1: 9437184 bytes, over the limit of 8 MiB "
        "(limits.post_mib in site.yaml)\n");
}

/* Front matter over its limit never reaches libyaml; the body still
 * renders, and exactly the limit is fine. */
static void
test_front_matter_limit(void **state)
{
    struct fixture *f = *state;
    f->cfg.limits.front_matter_bytes = 1024;
    for (size_t size = 1024; size <= 1025; size++) {
        struct buf b = BUF_INIT;
        buf_puts(&b, "\xef\xbb\xbf---\ntitle: ");
        while (b.len - 7 < size - 1)
            buf_putc(&b, 'x');
        buf_puts(&b, "\n---\nBody\n");
        struct source_file in = file("content/c/p.md", b.data, b.len);
        struct post p;
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d),
                         size == 1024 ? 0 : -1);
        assert_string_equal(p.body_html, "<p>Body</p>\n");
        buf_dispose(&b);
    }
    expect_printed(f, "limit", "content/c/p.md:1:1: front matter is 1025 "
                   "bytes, over the limit of 1 KiB (limits.front_matter_kib "
                   "in site.yaml)\n");
}

/* A rendered body over limits.page_mib is an error naming the post. */
static void
test_page_limit(void **state)
{
    struct fixture *f = *state;
    f->cfg.limits.page_bytes = 1 << 20;
    char *text = repeated(f->a, "", "a & b\n", 200000, "");
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    char want[200];
    snprintf(want, sizeof want, "content/c/p.md:1:1: its HTML is %zu bytes, "
             "over the limit of 1 MiB (limits.page_mib in site.yaml)\n",
             strlen(p.body_html));
    expect_printed(f, "page", want);
}

/* unsafe_html: one warning for raw HTML that could run a script, at the
 * first such piece (file line:col); none for harmless HTML. */
static const struct {
    const char *name, *text, *warning; /* warning "": none */
} risky_cases[] = {
    { "event handler", "hi <img src=x onerror=alert(1)>\n", "1:4" },
    { "after a slash", "<div>\n<svg/onload=alert(1)>\n</div>\n", "1:1" },
    { "glued to a value", "<div title=\"x\"onClick=\"y\">b</div>\n", "1:1" },
    { "handler in any case", "a <i ONMOUSEOVER = 'x'>i</i>\n", "1:3" },
    { "javascript:", "<A HREF=\"JaVaScRiPt:alert(1)\">x</A>\n", "1:1" },
    { "tab reference", "<a href=\"java&#x09;script:x\">x</a>\n", "1:1" },
    { "letter reference", "<a href=\"jav&#x61;script:x\">x</a>\n", "1:1" },
    { "no semicolon", "<a href=\"&#106avascript:x\">x</a>\n", "1:1" },
    { "named colon", "<a href=\"javascript&colon;x\">x</a>\n", "1:1" },
    { "Tab and spaces", "<a href=' java&Tab;script:x'>x</a>\n", "1:1" },
    { "vbscript:", "<a href=vbscript:x>x</a>\n", "1:1" },
    { "data:text/html", "<iframe src=\"data:text/html,<script>x</script>\">"
      "\n", "1:1" },
    { "in a block, after front matter",
      "---\ntitle: t\n---\nText.\n\n> <div>\n> <a\n> href=\"javascript:x\">"
      "</a>\n> </div>\n", "6:3" },
    { "the first of two", "a <b onclick=x>b</b>\n\n<i onclick=y>c</i>\n",
      "1:3" },
    { "harmless", "<b title=\"on=off\" class=x>b</b> turn on=off "
      "<a href=\"https://x.org/javascript:\">l</a>\n", "" },
    { "in a comment", "<!-- <img onerror=x> -->\n", "" },
    { "data: image", "<img src=\"data:image/png;base64,AA==\">\n", "" },
    { "closing tag", "a </b onclick=x>\n", "" },
};

static void
test_risky_html(void **state)
{
    struct fixture *f = *state;
    f->cfg.unsafe_html = true;
    for (size_t i = 0; i < sizeof risky_cases / sizeof *risky_cases; i++) {
        reset_diags(f);
        struct source_file in = file("content/c/p.md", risky_cases[i].text,
                                     0);
        struct post p;
        assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
        const char *want = *risky_cases[i].warning
            ? arena_printf(f->a, "content/c/p.md:%s: warning: raw HTML with "
                           "an event handler or javascript: URL (unsafe_html "
                           "is on)\n", risky_cases[i].warning)
            : "";
        expect_printed(f, risky_cases[i].name, want);
    }
    /* Raw HTML omitted: nothing to warn about. */
    reset_diags(f);
    f->cfg.unsafe_html = false;
    struct source_file in = file("content/c/p.md", risky_cases[0].text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(f->d.len, 0);
}

/* link, canonical and image: http(s), mailto and relative URLs only. */
static const struct {
    const char *value, *got; /* got NULL: allowed */
} url_cases[] = {
    { "https://example.org/a", NULL },
    { "HTTP://example.org/a", NULL },
    { "mailto:a@example.org", NULL },
    { "/images/a.png", NULL },
    { "a.png", NULL },
    { "//cdn.example.org/a.png", NULL },
    { "./a:b.png", NULL },
    { "page?x=a:b", NULL },
    { "javascript:alert(1)", "\"javascript:alert(1)\"" },
    { "\" \\tJaVaScRiPt:alert(1)\"", "\" \\tJaVaScRiPt:alert(1)\"" },
    { "\"\\x01java\\nscript:x\"", "\"\\x01java\\nscript:x\"" },
    { "vbscript:x", "\"vbscript:x\"" },
    { "data:image/png;base64,AA==", "\"data:image/png;base64,AA==\"" },
    { "ftp://example.org/", "\"ftp://example.org/\"" },
};

static void
test_url_fields(void **state)
{
    struct fixture *f = *state;
    static const char *keys[] = { "link", "canonical", "image" };
    for (size_t i = 0; i < sizeof url_cases / sizeof *url_cases; i++) {
        const char *key = keys[i % 3];
        reset_diags(f);
        char *text = arena_printf(f->a, "---\ntitle: t\n%s: %s\n---\n", key,
                                  url_cases[i].value);
        struct source_file in = file("content/c/p.md", text, 0);
        struct post p;
        int rc = parse_post(&p, &in, &f->cfg, f->a, &f->d);
        const char *want = "";
        if (url_cases[i].got)
            want = arena_printf(f->a, "content/c/p.md:3:%zu: %s: only "
                                "http(s), mailto and relative URLs are "
                                "allowed, got %s\n", strlen(key) + 3, key,
                                url_cases[i].got);
        expect_printed(f, url_cases[i].value, want);
        assert_int_equal(rc, url_cases[i].got ? -1 : 0);
        if (!url_cases[i].got) { /* kept for templates */
            assert_int_equal(p.params->len, 1);
            assert_string_equal(p.params->keys[0], key);
        }
    }
    /* A list of images, and a channel's link. */
    reset_diags(f);
    struct source_file in = file("content/c/p.md", "---\nimage: [a.png, "
                                 "\"javascript:x\"]\n---\n", 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), -1);
    in = file("content/c/_index.md", "---\nlink: JAVASCRIPT:x\n"
              "image: /i.png\n---\n", 0);
    struct channel c;
    assert_int_equal(parse_channel(&c, "c", &in, &f->cfg, f->a, &f->d), -1);
    assert_int_equal(c.params->len, 1);
    assert_string_equal(c.params->items[0]->text, "/i.png");
    expect_printed(f, "list and channel",
        "content/c/_index.md:2:7: link: only http(s), mailto and relative "
        "URLs are allowed, got \"JAVASCRIPT:x\"\n"
        "content/c/p.md:2:16: image: only http(s), mailto and relative URLs "
        "are allowed, got \"javascript:x\"\n");
}

/* Params of any shape come through whole (built without recursion). */
static void
test_params_shapes(void **state)
{
    struct fixture *f = *state;
    const char *text = "---\nmenu:\n  - {name: a, url: /a/}\n  - [x, ~]\n"
                       "empty: {}\nnothing:\n---\n";
    struct source_file in = file("content/c/p.md", text, 0);
    struct post p;
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    struct param *m = p.params;
    assert_int_equal(m->len, 3);
    struct param *menu = m->items[0];
    assert_int_equal(menu->kind, PARAM_LIST);
    assert_int_equal(menu->len, 2);
    assert_int_equal(menu->items[0]->kind, PARAM_MAP);
    assert_string_equal(menu->items[0]->keys[1], "url");
    assert_string_equal(menu->items[0]->items[1]->text, "/a/");
    assert_int_equal(menu->items[1]->kind, PARAM_LIST);
    assert_string_equal(menu->items[1]->items[0]->text, "x");
    assert_null(menu->items[1]->items[1]->text);
    assert_int_equal(m->items[1]->kind, PARAM_MAP);
    assert_int_equal(m->items[1]->len, 0);
    assert_int_equal(m->items[2]->kind, PARAM_SCALAR);
    assert_null(m->items[2]->text);
}

/* Markdown that nests as deep as its text goes, parsed on a thread with a
 * small stack: nothing in parse/ may recurse on that depth. */
struct deep_job {
    struct fixture *f;
    const char *text;
    int rc;
};

static void *
parse_deep(void *payload)
{
    struct deep_job *job = payload;
    struct source_file in = file("content/c/p.md", job->text, 0);
    struct post p;
    job->rc = parse_post(&p, &in, &job->f->cfg, job->f->a, &job->f->d);
    return NULL;
}

static void
test_deep_markdown(void **state)
{
    struct fixture *f = *state;
    const char *texts[] = {
        repeated(f->a, "", ">", 20000, "x #tag\n"),
        repeated(f->a, "", "- ", 20000, "x #tag\n"),
        arena_printf(f->a, "%s#tag\n", repeated(f->a, "", "*a", 20000,
                     repeated(f->a, "", "*", 20000, ""))),
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        struct deep_job job = { f, texts[i], -2 };
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 256 << 10);
        pthread_t t;
        clock_t start = clock();
        assert_int_equal(pthread_create(&t, &attr, parse_deep, &job), 0);
        pthread_join(t, NULL);
        pthread_attr_destroy(&attr);
        double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
        assert_int_equal(job.rc, 0);
        if (secs > 1)
            fail_msg("case %zu took %.2f s", i, secs);
    }
}

/* What the wire carries of a post besides its text: where its date and
 * unknown fields are, its links and ids. */
static void
expect_same_post(const struct post *got, const struct post *want)
{
    assert_int_equal(got->date_at.line, want->date_at.line);
    assert_int_equal(got->date_at.col, want->date_at.col);
    assert_int_equal(got->nunknown, want->nunknown);
    assert_true(got->nunknown > 0);
    for (size_t i = 0; i < got->nunknown; i++) {
        assert_string_equal(got->unknown[i].text, want->unknown[i].text);
        assert_int_equal(got->unknown[i].line, want->unknown[i].line);
    }
    const struct anchors *g = &got->anchors, *w = &want->anchors;
    assert_int_equal(g->nlinks, w->nlinks);
    assert_true(g->nlinks > 0);
    for (size_t i = 0; i < g->nlinks; i++) {
        const struct link_use *x = &g->links[i], *y = &w->links[i];
        assert_string_equal(x->url, y->url);
        assert_int_equal(x->kind, y->kind);
        assert_string_equal(x->path, y->path);
        assert_true(!x->fragment == !y->fragment);
        if (x->fragment)
            assert_string_equal(x->fragment, y->fragment);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->col, y->col);
        assert_int_equal(x->image, y->image);
        assert_int_equal(x->to_post, y->to_post);
        assert_int_equal(x->at, y->at);
        assert_int_equal(x->len, y->len);
        assert_int_equal(x->summary_at, y->summary_at);
    }
    assert_int_equal(g->nids, w->nids);
    assert_true(g->nids > 0);
    for (size_t i = 0; i < g->nids; i++)
        assert_string_equal(g->ids[i], w->ids[i]);
}

/* Posts parsed in worker processes: the same posts as parse_post makes,
 * in order for any number of workers, and a post past its CPU bound (or,
 * without the address sanitizer, its memory bound) is an error naming it
 * while the posts around it are parsed as usual. */
static void
test_parse_workers(void **state)
{
    struct fixture *f = *state;
    size_t n = 1 << 17;
    char *slow = malloc(3 * n + 2);
    for (size_t i = 0; i < n; i++)
        memcpy(slow + 2 * i, " -", 2);
    slow[2 * n] = 'x';
    memset(slow + 2 * n + 1, '\n', n);
    slow[3 * n + 1] = '\0';
    struct source_file in[4] = {
        file("content/c/a.md", "---\ntitle: A\ntags: [x]\nextra: {k: [1, 2]}"
             "\ndate: 2024-01-02\n---\nFirst #one [b](b.md#s \"t\") ![i](i.png)"
             "\n\n## H\n", 0),
        file("content/c/slow.md", slow, 0),
        file("content/c/b.md", "Second #two, with a [link](/x) and `code`\n",
             0),
        file("content/c/c.md", "---\ntitle: [bad\n---\n", 0),
    };
    const struct source_file *files[4] = { &in[0], &in[1], &in[2], &in[3] };
    f->cfg.limits.parse_seconds = 1;
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        struct post posts[4];
        int status[4];
        diags_dispose(&f->d);
        diags_init(&f->d);
        assert_int_equal(parse_posts(posts, status, files, 4, &f->cfg, jobs,
                                     f->a, &f->d), -1);
        assert_int_equal(status[0], 0);
        assert_int_equal(status[1], -1);
        assert_int_equal(status[2], 0);
        assert_int_equal(status[3], -1);
        struct post direct;
        struct diags quiet;
        diags_init(&quiet);
        assert_int_equal(parse_post(&direct, &in[0], &f->cfg, f->a, &quiet), 0);
        assert_string_equal(posts[0].path, "content/c/a.md");
        assert_string_equal(posts[0].title, direct.title);
        assert_string_equal(posts[0].body_html, direct.body_html);
        assert_int_equal(posts[0].ntags, direct.ntags);
        assert_string_equal(posts[0].tags[1].slug, "x");
        assert_int_equal(posts[0].params->len, 1);
        assert_string_equal(posts[0].params->keys[0], "extra");
        assert_string_equal(posts[0].params->items[0]->keys[0], "k");
        assert_string_equal(posts[0].params->items[0]->items[0]->items[1]->text,
                            "2");
        assert_int_equal(posts[0].date.secs, direct.date.secs);
        expect_same_post(&posts[0], &direct);
        diags_dispose(&quiet);
        assert_string_equal(posts[2].tags[0].name, "two");
        char *got = printed(&f->d);
        assert_non_null(strstr(got, "content/c/slow.md: parsing took more "
                                    "than 1 s of CPU time"));
        assert_non_null(strstr(got, "content/c/c.md:"));
        free(got);
    }
#ifndef __SANITIZE_ADDRESS__
    /* 200 columns by 20,000 rows: 4 million cells, past 64 MiB. */
    struct buf table = BUF_INIT;
    buf_puts(&table, "|");
    for (int i = 0; i < 200; i++)
        buf_printf(&table, "h%d|", i);
    buf_puts(&table, "\n|");
    for (int i = 0; i < 200; i++)
        buf_puts(&table, "-|");
    buf_puts(&table, "\n");
    for (int i = 0; i < 20000; i++)
        buf_puts(&table, "|x\n");
    in[1] = file("content/c/table.md", table.data, table.len);
    f->cfg.limits.parse_seconds = 60;
    f->cfg.limits.parse_memory = (size_t)64 << 20;
    struct post posts[4];
    int status[4];
    diags_dispose(&f->d);
    diags_init(&f->d);
    parse_posts(posts, status, files, 4, &f->cfg, 2, f->a, &f->d);
    assert_int_equal(status[1], -1);
    assert_int_equal(status[2], 0);
    char *got = printed(&f->d);
    assert_non_null(strstr(got, "content/c/table.md: parsing needed more "
                                "than 64 MiB"));
    free(got);
    buf_dispose(&table);
#endif
    free(slow);
}

/* Inputs the fuzzers found (tests/fuzz/crashes/), each a case. */
static void
test_fuzz_findings(void **state)
{
    struct fixture *f = *state;
    struct post p;
    /* A hashtag in a table cell, which takes only cmark's own inline
     * types: a link to the tag page, never lost (nor leaked). */
    struct source_file in = file("content/c/t.md",
                                 "| a |\n|---|\n| y #two z |\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_non_null(strstr(p.body_html, "y <a href=\"/tags/two/\">#two</a> z"));
    assert_int_equal(p.ntags, 1);
    /* A one-column table after paragraph lines: cmark re-parses them with
     * column 0; the position stays inside the file. */
    in = file("content/c/u.md", "x\nn #ab\ng\n:-\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_int_equal(p.ntags, 1);
    assert_true(p.tags[0].line >= 1);
    /* A line number past any line: ignored, no overflow. */
    in = file("content/c/v.md", "```py3 {linenostart=99999999999999999999 "
              "linenos=1}\na\nb\n```\n", 0);
    assert_int_equal(parse_post(&p, &in, &f->cfg, f->a, &f->d), 0);
    assert_non_null(strstr(p.body_html, "<span class=\"ln\">1</span>"));
    assert_non_null(strstr(p.body_html, "<span class=\"ln\">2</span>"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: its peak memory is measured. */
        cmocka_unit_test_setup_teardown(test_pathological_yaml, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_and_defaults, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_title_from_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_order_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_html_omitted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hashtags_in_markdown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hashtag_positions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hashtag_positions_after_entities,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_tag_slugs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_code_blocks, setup,
                                        teardown),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_wrong_types, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_channel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yaml_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchors_everywhere, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_front_matter_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_risky_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_workers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fuzz_findings, setup, teardown),
    };
    return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
