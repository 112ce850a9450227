/* test_parse.c: parse/ on strings: front matter fields and their errors
 * (with path:line:col), defaults for absent fields, Markdown options,
 * YAML timestamps and site.yaml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    { "in a heading", "# Title #tag\n", "tag", "<h1>Title <a" },
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test_setup_teardown(test_code_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_code_blocks, setup,
                                        teardown),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_wrong_types, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_channel, setup, teardown),
    };
    return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
