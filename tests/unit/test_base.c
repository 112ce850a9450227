/* test_base.c: base/ (buf, vec, map, arena, utf8, fs paths, jobs) and
 * diag.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/base/fs.h"
#include "../../generator/base/html.h"
#include "../../generator/base/jobs.h"
#include "../../generator/base/utf8.h"
#include "../../generator/diag.h"

static void
test_buf_html(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    const char *in = "<script>\"'&x</script>";
    buf_put_html(&b, in, strlen(in));
    assert_string_equal(b.data,
                        "&lt;script&gt;&quot;&#39;&amp;x&lt;/script&gt;");
    buf_printf(&b, "%d", 42);
    size_t len;
    char *s = buf_detach(&b, &len);
    assert_int_equal(len, strlen(s));
    assert_null(b.data);
    free(s);
    /* each byte at each place of a text of 1 to 20 bytes, eight at a time
     * or not, escaped as one byte at a time would be */
    char text[21], want[64];
    for (int c = 1; c < 256; c++)
        for (size_t n = 1; n < sizeof text; n++)
            for (size_t at = 0; at < n; at++) {
                memset(text, 'a', n);
                text[at] = (char)c;
                const char *rep = c == '&'    ? "&amp;"
                                  : c == '<'  ? "&lt;"
                                  : c == '>'  ? "&gt;"
                                  : c == '"'  ? "&quot;"
                                  : c == '\'' ? "&#39;"
                                               : NULL;
                snprintf(want, sizeof want, "%.*s%s%.*s", (int)at, text,
                         rep ? rep : (char[]){ (char)c, 0 },
                         (int)(n - at - 1), text + at + 1);
                buf_clear(&b);
                buf_put_html(&b, text, n);
                assert_string_equal(b.data, want);
            }
    buf_dispose(&b);
}

/* Which HTML reads the same from every page: render shows such a text as
 * it is, without looking at its links, so each URL that a page would
 * change must be seen, in every attribute and way of writing it. */
static void
test_html_urls_anywhere(void **state)
{
    (void)state;
    static const char *const anywhere[] = {
        "",
        "plain text, a < b",
        "<p><a href=\"/tags/x/\">#x</a> <a href='https://t.me/a'>a</a></p>",
        "<a href=\"\">empty</a><img src=mailto:a@b.c>",
        "<a data-href=\"pic.png\" title=\"#x\">not URL attributes</a>",
        "<!-- <img src=\"pic.png\"> --><code>&lt;a href=\"x\"&gt;</code>",
        "<img srcset=\"/a.png 1x, https://h/b.png 2x\">",
    };
    static const char *const placed[] = {
        "<a href=\"#fn-1\">1</a>",
        "<img src=\"pic.png\">",
        "<IMG SRC=pic.png>",
        "<a class=x href = '../other.md#day-2'>",
        "<a href=\"?page=2\">",
        "<video poster=\"still.jpg\"></video>",
        "<q cite=\"notes/\">",
        "<img srcset=\"/a.png 1x, b.png 2x\">",
        "<a href=\"/x\">x</a> then <a href=\"y\">y</a>",
    };
    for (size_t i = 0; i < sizeof anywhere / sizeof *anywhere; i++)
        assert_true(html_urls_anywhere(anywhere[i], strlen(anywhere[i])));
    for (size_t i = 0; i < sizeof placed / sizeof *placed; i++)
        assert_false(html_urls_anywhere(placed[i], strlen(placed[i])));
}

/* Formatting, short and long: into a buffer with room and without, and
 * into an arena past its function's room on the stack. */
static void
test_printf_lengths(void **state)
{
    (void)state;
    char long_text[1001];
    memset(long_text, 'x', 1000);
    long_text[1000] = '\0';
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s|%d", long_text, 7);
    assert_int_equal(b.len, 1002);
    assert_string_equal(b.data + 1000, "|7");
    buf_printf(&b, "<%s>", "a");
    assert_int_equal(b.len, 1005);
    assert_string_equal(b.data + 1000, "|7<a>");
    for (size_t room = 0; room < 80; room++) { /* every fit at the edge */
        struct buf c = BUF_INIT;
        buf_grow(&c, 127);
        size_t before = c.cap - 1 - room;
        memset(c.data, 'y', before);
        c.len = before;
        buf_printf(&c, "%.*s", 40, long_text);
        assert_int_equal(c.len, before + 40);
        assert_int_equal(strlen(c.data), c.len);
        assert_int_equal(c.data[c.len - 1], 'x');
        buf_dispose(&c);
    }
    buf_dispose(&b);
    struct arena *a = arena_new();
    const char *s = arena_printf(a, "%s%s", long_text, "!");
    assert_int_equal(strlen(s), 1001);
    assert_int_equal(s[1000], '!');
    assert_string_equal(arena_printf(a, "%d-%s", 12, "ab"), "12-ab");
    assert_string_equal(arena_printf(a, "%s", ""), "");
    arena_free(a);
}

/* quick FMT: str_quick_vformat into every room from none to enough, each
 * against vsnprintf: the same text where it fits, -1 where not. */
static void
quick(const char *fmt, ...)
{
    char want[256], got[256];
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(want, sizeof want, fmt, copy);
    va_end(copy);
    for (size_t cap = 0; cap <= (size_t)n + 2; cap++) {
        va_copy(copy, ap);
        int m = str_quick_vformat(got, cap, fmt, copy);
        va_end(copy);
        if (cap <= (size_t)n) {
            assert_int_equal(m, -1);
        } else {
            assert_int_equal(m, n);
            assert_string_equal(got, want);
        }
    }
    va_end(ap);
}

/* The directives it does not take: -1, for the caller's vsnprintf. */
static int
quick_refuses(const char *fmt, ...)
{
    char out[64];
    va_list ap;
    va_start(ap, fmt);
    int n = str_quick_vformat(out, sizeof out, fmt, ap);
    va_end(ap);
    return n;
}

static void
test_quick_format(void **state)
{
    (void)state;
    quick("");
    quick("plain text, 100%% sure");
    quick("%s%s", "tags/", "index.html");
    quick("%spage/%zu/", "astro/", (size_t)12);
    quick("%zu %zu", (size_t)0, (size_t)INT64_MAX);
    quick("%d %d %d %u", 0, -1, INT32_MIN, UINT32_MAX);
    quick("%lld|%lld|%lld", LLONG_MIN, LLONG_MAX, -7LL);
    quick("%.*s|%.*s|%.*s", 3, "abcdef", 0, "abc", -1, "whole");
    quick("%.*s", 9, "short");
    quick("мир %s", "миру");
    char out[64];
    assert_int_equal(quick_refuses("%04d", 7), -1);
    assert_int_equal(quick_refuses("%c", 'x'), -1);
    assert_int_equal(quick_refuses("%x", 255), -1);
    assert_int_equal(quick_refuses("%s", (char *)NULL), -1);
    assert_int_equal(quick_refuses("%5s", "a"), -1);
    assert_int_equal(quick_refuses("%zu", (size_t)-1), -1);
    /* arena_printf and buf_printf fall back: the same text as printf */
    snprintf(out, sizeof out, "%04d-%c%x", 7, 'x', 255);
    struct arena *a = arena_new();
    assert_string_equal(arena_printf(a, "%04d-%c%x", 7, 'x', 255), out);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%04d-%c%x", 7, 'x', 255);
    assert_string_equal(b.data, out);
    buf_dispose(&b);
    arena_free(a);
}

static void
test_map_many(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct map *m = map_new();
    for (int i = 0; i < 10000; i++)
        assert_null(map_put(m, arena_printf(a, "key%d", i), (void *)(intptr_t)(i + 1)));
    assert_int_equal(map_count(m), 10000);
    for (int i = 0; i < 10000; i++)
        assert_int_equal((intptr_t)map_get(m, arena_printf(a, "key%d", i)), i + 1);
    assert_null(map_get(m, "missing"));
    assert_int_equal((intptr_t)map_getn(m, "key12xyz", 5), 13);
    /* map_add keeps what is there, map_put replaces it */
    assert_int_equal((intptr_t)map_add(m, "key7", (void *)99), 8);
    assert_int_equal((intptr_t)map_get(m, "key7"), 8);
    assert_null(map_add(m, "key10000", (void *)99));
    assert_int_equal((intptr_t)map_get(m, "key10000"), 99);
    assert_int_equal((intptr_t)map_put(m, "key7", (void *)5), 8);
    assert_int_equal((intptr_t)map_get(m, "key7"), 5);
    assert_int_equal(map_count(m), 10001);
    map_free(m);
    arena_free(a);
}

static void
test_arena_big_and_small(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *small = arena_strdup(a, "abc");
    char *big = arena_alloc(a, 1 << 20);
    memset(big, 'x', 1 << 20);
    char *after = arena_strdup(a, "def");
    assert_string_equal(small, "abc");
    assert_string_equal(after, "def");
    size_t cap = 0;
    int *items = NULL;
    for (int i = 0; i < 1000; i++) {
        items = arena_grow(a, items, sizeof *items, &cap, (size_t)i + 1);
        items[i] = i;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(items[i], i);
    arena_free(a);
}

/* What a worker's arena held stays, once adopted, until the adopter is
 * freed; the adopter goes on allocating from its own chunk. */
static void
test_arena_adopt(void **state)
{
    (void)state;
    struct arena *a = arena_new(), *empty = arena_new();
    char *mine = arena_strdup(a, "mine");
    char *theirs[3];
    for (int w = 0; w < 3; w++) {
        struct arena *worker = arena_new();
        theirs[w] = arena_alloc(worker, (size_t)(w + 1) << 18);
        memset(theirs[w], 'a' + w, (size_t)(w + 1) << 18);
        arena_strdup(worker, "more");
        arena_adopt(a, worker);
    }
    arena_adopt(a, empty);
    char *later = arena_strdup(a, "later");
    assert_string_equal(mine, "mine");
    assert_string_equal(later, "later");
    for (int w = 0; w < 3; w++)
        for (size_t i = 0; i < (size_t)(w + 1) << 18; i += 4096)
            assert_int_equal(theirs[w][i], 'a' + w);
    struct arena *fresh = arena_new(), *worker = arena_new();
    char *only = arena_strdup(worker, "only");
    arena_adopt(fresh, worker); /* into one with nothing yet */
    assert_string_equal(only, "only");
    assert_string_equal(arena_strdup(fresh, "next"), "next");
    arena_free(fresh);
    arena_free(a);
}

/* Memory is zeroed however it came: fresh chunks, huge-page chunks, a
 * chunk reused after arena_clear. */
static void
test_arena_zeroed(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    for (int round = 0; round < 3; round++) {
        for (size_t n = 1; n <= (8u << 20); n *= 4) {
            unsigned char *p = arena_alloc(a, n);
            for (size_t i = 0; i < n; i += 4093)
                assert_int_equal(p[i], 0);
            assert_int_equal(p[n - 1], 0);
            memset(p, 0xa5, n);
        }
        arena_clear(a);
    }
    arena_free(a);
}

static void
test_utf8(void **state)
{
    (void)state;
    unsigned line = 0, col = 0;
    const char ok[] = "héllo\nмир";
    assert_true(utf8_check(ok, strlen(ok), &line, &col));
    const char bad[] = "ab\ncdé\xff";
    assert_false(utf8_check(bad, strlen(bad), &line, &col));
    assert_int_equal(line, 2);
    assert_int_equal(col, 4);
    const char nul[] = "a\0b";
    assert_false(utf8_check(nul, 3, &line, &col));
    assert_int_equal(col, 2);
    /* Long text is read eight bytes at a time: a NUL, a stray byte, a
     * surrogate or an overlong form at each place of a word is still
     * found, and a character split over two words is still whole. */
    const char *wrong[] = { "\0", "\x80", "\xff", "\xed\xa0\x80", "\xc0\xaf" };
    for (size_t w = 0; w < sizeof wrong / sizeof *wrong; w++)
        for (size_t at = 1; at < 24; at++) {
            char text[64];
            size_t n = strlen(wrong[w]) ? strlen(wrong[w]) : 1;
            memset(text, 'x', sizeof text);
            text[0] = '\n';
            memcpy(text + at, wrong[w], n);
            assert_false(utf8_check(text, sizeof text, &line, &col));
            assert_int_equal(line, 2);
            assert_int_equal(col, at);
        }
    for (size_t at = 0; at < 24; at++) {
        char text[64];
        memset(text, 'x', sizeof text);
        memcpy(text + at, "\xd0\xbc\xe2\x80\xa8\xf0\x9f\x98\x80", 9);
        assert_true(utf8_check(text, sizeof text, &line, &col));
    }
    assert_int_equal(utf8_length("мир", strlen("мир")), 3);
    assert_int_equal(utf8_prefix("мир", strlen("мир"), 2), 4);
    struct arena *a = arena_new();
    assert_string_equal(utf8_fold(a, "Carina", 6), "carina");
    assert_string_equal(utf8_fold(a, "МИР", strlen("МИР")), "мир");
    assert_null(utf8_fold(a, "\xff", 1));
    arena_free(a);
}

static void
test_url_path(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    buf_puts(&b, "/base/");
    buf_put_url_path(&b, "tags/мир a%b/");
    assert_string_equal(b.data, "/base/tags/%D0%BC%D0%B8%D1%80%20a%25b/");
    /* every byte: unreserved ASCII and '/' kept, the rest %XX */
    for (int c = 1; c < 256; c++) {
        char in[2] = { (char)c, 0 }, out[4];
        size_t n = url_path_encode(out, in);
        bool plain = (c < 128 && isalnum(c)) || (c && strchr("-._~/", c));
        char want[4];
        snprintf(want, sizeof want, plain ? "%c" : "%%%02X", c);
        assert_int_equal(n, strlen(want));
        assert_string_equal(out, want);
    }
    buf_dispose(&b);
}

static void
test_path_safety(void **state)
{
    (void)state;
    const char *good[] = { "index.html", "a/b/index.html", "мир/index.html",
                           "a/.hidden", "...", "a/.../b", "..a/b..", "~" };
    const char *bad[] = { "", "/etc/passwd", "../x", "a/../../x", "a//b",
                          "a/./b", "a\\b", "a/\n", "a/", ".", "..", "a/.",
                          "a/..", "./a", "a/\x7f", "\x1f" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(fs_path_is_safe(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(fs_path_is_safe(bad[i]));
    /* each byte at each place of a long path, eight at a time or not:
     * refused for a control character, DEL and a backslash only */
    char path[40];
    for (int c = 1; c < 256; c++)
        for (size_t at = 0; at < sizeof path - 1; at++) {
            memset(path, 'a', sizeof path - 1);
            path[sizeof path - 1] = '\0';
            path[at] = (char)c;
            bool unsafe = c < 0x20 || c == '\\' || c == 0x7f ||
                          (c == '/' && (at == 0 || at == sizeof path - 2));
            assert_int_equal(fs_path_is_safe(path), !unsafe);
        }
}

/* A file made below a folder, through its subfolders but never through a
 * symlink, whether on the way, at its end or out of the folder. */
static void
test_create_below(void **state)
{
    (void)state;
    char root[] = "/tmp/gz-test-base-XXXXXX";
    assert_non_null(mkdtemp(root));
    int fd = open(root, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(mkdirat(fd, "a", 0755), 0);
    assert_int_equal(mkdirat(fd, "a/b", 0755), 0);
    assert_int_equal(symlinkat("/tmp", fd, "a/link"), 0);
    assert_int_equal(symlinkat("/tmp/gz-test-base-target", fd, "a/b/end"), 0);
    int f = fs_create_below(fd, "a/b/index.html");
    assert_true(f >= 0);
    assert_int_equal(write(f, "x", 1), 1);
    close(f);
    f = fs_create_below(fd, "a/b/index.html"); /* made empty again */
    struct stat st;
    assert_int_equal(fstat(f, &st), 0);
    assert_int_equal(st.st_size, 0);
    close(f);
    assert_int_equal(fs_create_below(fd, "a/link/escaped"), -1);
    assert_int_equal(fs_create_below(fd, "a/b/end"), -1);
    assert_int_equal(fs_create_below(fd, "../escaped"), -1);
    assert_int_equal(fs_create_below(fd, "a/none/x"), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(access("/tmp/escaped", F_OK), -1);
    assert_int_equal(access("/tmp/gz-test-base-target", F_OK), -1);
    close(fd);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    assert_int_equal(system(cmd), 0);
}

static void
add_one(size_t item, int worker, void *payload)
{
    (void)worker;
    atomic_size_t *sum = payload;
    atomic_fetch_add(sum, item);
}

/* Sums the items as add_one does, and marks which workers took part. */
struct loop_seen {
    atomic_size_t sum;
    atomic_int workers[8];
    int jobs;
};

static void
add_and_mark(size_t item, int worker, void *payload)
{
    struct loop_seen *l = payload;
    atomic_fetch_add(&l->sum, item);
    if (worker >= 0 && worker < l->jobs)
        atomic_fetch_add(&l->workers[worker], 1);
    else
        atomic_fetch_add(&l->workers[7], 1000000); /* out of range */
}

/* A loop of its own while the test's thread runs another: the second
 * cannot have the kept threads and must start its own. */
static void *
loop_beside(void *arg)
{
    struct loop_seen *l = arg;
    jobs_run(5000, l->jobs, add_and_mark, l);
    return NULL;
}

static void
test_jobs(void **state)
{
    (void)state;
    atomic_size_t sum = 0;
    jobs_run(1000, 4, add_one, &sum);
    assert_int_equal(sum, 999 * 1000 / 2);
    sum = 0;
    jobs_run(0, 4, add_one, &sum);
    assert_int_equal(sum, 0);
    /* The kept threads again, with fewer and more workers, each worker
     * number below the loop's count of workers. */
    for (int jobs = 1; jobs <= 6; jobs++) {
        struct loop_seen l = { .jobs = jobs };
        jobs_run(20000, jobs, add_and_mark, &l);
        assert_int_equal(l.sum, (size_t)19999 * 20000 / 2);
        int taken = 0;
        for (int w = 0; w < 8; w++)
            taken += atomic_load(&l.workers[w]);
        assert_int_equal(taken, 20000);
    }
    struct loop_seen a = { .jobs = 3 }, b = { .jobs = 3 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, loop_beside, &b), 0);
    jobs_run(5000, 3, add_and_mark, &a);
    pthread_join(t, NULL);
    assert_int_equal(a.sum, (size_t)4999 * 5000 / 2);
    assert_int_equal(b.sum, (size_t)4999 * 5000 / 2);
    /* A child of fork has no kept threads: its loop starts its own. */
    pid_t pid = fork();
    if (pid == 0) {
        alarm(10); /* waiting for threads it does not have: a failure */
        struct loop_seen c = { .jobs = 4 };
        jobs_run(3000, 4, add_and_mark, &c);
        _exit(c.sum == (size_t)2999 * 3000 / 2 ? 0 : 1);
    }
    int how = -1;
    assert_true(pid > 0);
    waitpid(pid, &how, 0);
    assert_true(WIFEXITED(how) && WEXITSTATUS(how) == 0);
}

static void
test_diags_sorted_and_status(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    diags_add(&d, DIAG_CONTENT, "b.md", 3, 1, "second");
    diags_add(&d, DIAG_CONTENT, "a.md", 10, 2, "first\nline");
    diags_add(&d, DIAG_WARNING, "a.md", 2, 5, "careful");
    assert_int_equal(diags_exit_status(&d), 1);
    assert_int_equal(diags_count(&d, DIAG_CONTENT), 2);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    diags_print(&d, f);
    fclose(f);
    assert_string_equal(text, "a.md:2:5: warning: careful\n"
                              "a.md:10:2: first line\n"
                              "b.md:3:1: second\n");
    free(text);
    diags_add(&d, DIAG_SYSTEM, NULL, 0, 0, "disk");
    assert_int_equal(diags_exit_status(&d), 3);
    diags_dispose(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_html),
        cmocka_unit_test(test_html_urls_anywhere),
        cmocka_unit_test(test_printf_lengths),
        cmocka_unit_test(test_quick_format),
        cmocka_unit_test(test_map_many),
        cmocka_unit_test(test_arena_big_and_small),
        cmocka_unit_test(test_arena_adopt),
        cmocka_unit_test(test_arena_zeroed),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_url_path),
        cmocka_unit_test(test_path_safety),
        cmocka_unit_test(test_create_below),
        cmocka_unit_test(test_jobs),
        cmocka_unit_test(test_diags_sorted_and_status),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
