/* test_serve.c: the preview server's rules that need no socket: request
 * paths decoded once and confined, Host headers, content types, the live
 * tag's place, and which file events start a rebuild (real inotify in a
 * temporary site folder). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../generator/serve/serve_private.h"

static void
test_request_paths(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *rel;
        int status;
    } cases[] = {
        { "/", "", 0 },
        { "/news/hello/", "news/hello/", 0 },
        { "/assets/style.css", "assets/style.css", 0 },
        { "/tags/%D0%BF%D1%80/", "tags/\xd0\xbf\xd1\x80/", 0 },
        { "/a%20b", "a b", 0 },
        { "/%252e%252e/site.yaml", "%2e%2e/site.yaml", 0 }, /* once only */
        { "/../site.yaml", NULL, 400 },
        { "/%2e%2e/site.yaml", NULL, 400 },
        { "/%2E%2E/site.yaml", NULL, 400 },
        { "/%2e%2e%2fsite.yaml", NULL, 400 },
        { "/..%5csite.yaml", NULL, 400 },
        { "/..\\site.yaml", NULL, 400 },
        { "/%5c%5cserver", NULL, 400 },
        { "//etc/passwd", NULL, 400 },
        { "/news//hello", NULL, 400 },
        { "/%00", NULL, 400 },
        { "/a%0ab", NULL, 400 },
        { "/news/.", NULL, 400 },
        { "/news/..", NULL, 400 },
        { "/%", NULL, 400 },
        { "/%4", NULL, 400 },
        { "/%zz", NULL, 400 },
        { "news", NULL, 400 },
        { "http://evil/", NULL, 400 },
        { "/.gazette/manifest", NULL, 404 },
        { "/%2egazette/journal", NULL, 404 },
        { "/news/.gazette", "news/.gazette", 0 }, /* only the root's */
        { "/.well-known/x", ".well-known/x", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[256];
        int status = http_request_path(cases[i].raw, out, sizeof out);
        if (status != cases[i].status)
            fail_msg("%s: status %d, want %d", cases[i].raw, status,
                     cases[i].status);
        if (cases[i].rel)
            assert_string_equal(out, cases[i].rel);
    }
    char small[4];
    assert_int_equal(http_request_path("/abcdef", small, sizeof small), 414);
}

static void
test_hosts(void **state)
{
    (void)state;
    /* loopback bind */
    assert_true(http_host_allowed("127.0.0.1:8080", "127.0.0.1", true));
    assert_true(http_host_allowed("localhost:8080", "127.0.0.1", true));
    assert_true(http_host_allowed("LOCALHOST.", "127.0.0.1", true));
    assert_true(http_host_allowed("[::1]:8080", "::1", true));
    assert_true(http_host_allowed("10.1.2.3", "127.0.0.1", true));
    assert_false(http_host_allowed("evil.example", "127.0.0.1", true));
    assert_false(http_host_allowed("evil.example:8080", "127.0.0.1", true));
    assert_false(http_host_allowed("localhost.evil.example", "127.0.0.1",
                                   true));
    assert_false(http_host_allowed("127.0.0.1.evil.example", "127.0.0.1",
                                   true));
    assert_false(http_host_allowed("", "127.0.0.1", true));
    assert_false(http_host_allowed(":8080", "127.0.0.1", true));
    assert_false(http_host_allowed("[::1", "127.0.0.1", true));
    assert_false(http_host_allowed("[::1]x", "127.0.0.1", true));
    assert_false(http_host_allowed(NULL, "127.0.0.1", true));
    /* a name given to --bind */
    assert_true(http_host_allowed("preview.test:9000", "preview.test", true));
    /* this machine's name: only beyond loopback */
    char self[256];
    assert_int_equal(gethostname(self, sizeof self), 0);
    if (strcmp(self, "localhost")) {
        assert_false(http_host_allowed(self, "127.0.0.1", true));
        assert_true(http_host_allowed(self, "0.0.0.0", false));
        char local[300];
        snprintf(local, sizeof local, "%s.local:80", self);
        assert_true(http_host_allowed(local, "0.0.0.0", false));
    }
    assert_false(http_host_allowed("evil.example", "0.0.0.0", false));
}

static void
test_content_types(void **state)
{
    (void)state;
    assert_string_equal(http_content_type("index.html"),
                        "text/html; charset=utf-8");
    assert_string_equal(http_content_type("a/b/style.CSS"),
                        "text/css; charset=utf-8");
    assert_string_equal(http_content_type("feed.json"), "application/json");
    assert_string_equal(http_content_type("p.JPG"), "image/jpeg");
    assert_string_equal(http_content_type("a.b/noext"),
                        "application/octet-stream");
    assert_string_equal(http_content_type("x.tar.gz"),
                        "application/octet-stream");
}

static void
test_inject(void **state)
{
    (void)state;
    const char *page = "<html><body><p>a</p></body></html>\n";
    size_t len = strlen(page);
    char *out = http_inject(page, &len, "<s>");
    assert_string_equal(out, "<html><body><p>a</p><s></body></html>\n");
    assert_int_equal(len, strlen(out));
    free(out);
    /* the last </BODY>, in any case; none: at the end */
    page = "<body>x</body> y </BODY>";
    len = strlen(page);
    out = http_inject(page, &len, "<s>");
    assert_string_equal(out, "<body>x</body> y <s></BODY>");
    free(out);
    len = 3;
    out = http_inject("abc", &len, "<s>");
    assert_string_equal(out, "abc<s>");
    free(out);
}

static char site[64];

static void
write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", site, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Waits a little for events, then reads them. */
static bool
changed_after(struct watch *w)
{
    usleep(50 * 1000);
    return watch_read(w);
}

static void
test_watch(void **state)
{
    (void)state;
    snprintf(site, sizeof site, "/tmp/gz-watch-XXXXXX");
    assert_non_null(mkdtemp(site));
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(site), 0);
    assert_int_equal(mkdir("content", 0755), 0);
    assert_int_equal(mkdir("content/news", 0755), 0);
    struct watch *w = watch_open();
    assert_non_null(w);
    assert_false(watch_read(w));

    write_file("content/news/a.md", "a");
    assert_true(changed_after(w));
    write_file("content/news/.a.md.swp", "x");
    write_file("content/news/a.md~", "x");
    write_file("content/news/4913", "x");
    assert_false(changed_after(w));
    write_file("notes.txt", "x"); /* beside the site's inputs */
    assert_false(changed_after(w));
    write_file("site.yaml", "title: x\n");
    assert_true(changed_after(w));
    /* a folder made after the start, and a file in it */
    assert_int_equal(mkdir("content/news/2024", 0755), 0);
    assert_true(changed_after(w));
    write_file("content/news/2024/b.md", "b");
    assert_true(changed_after(w));
    /* an input folder that appears later */
    assert_int_equal(mkdir("static", 0755), 0);
    assert_true(changed_after(w));
    write_file("static/robots.txt", "x");
    assert_true(changed_after(w));
    assert_int_equal(rename("content/news/a.md", "content/news/c.md"), 0);
    assert_true(changed_after(w));
    assert_int_equal(unlink("content/news/c.md"), 0);
    assert_true(changed_after(w));
    watch_close(w);

    assert_int_equal(chdir(old), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", site);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_paths),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_inject),
        cmocka_unit_test(test_watch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
