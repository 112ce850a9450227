/* test_write.c: write/ in a temporary folder: unchanged files untouched,
 * stale files removed by the manifest only, no escape through symlinks or
 * bad paths, and nothing written when any path is bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/write/write.h"

static char dir[256];

/* Each test gets a fresh folder of its own, removed after it. */
static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gz-write-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-outside'", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
add(struct output *o, struct arena *a, const char *path, const char *text)
{
    o->files = arena_grow(a, o->files, sizeof *o->files, &o->cap, o->len + 1);
    o->files[o->len++] = (struct output_file){ arena_strdup(a, path),
                                               xstrdup(text), strlen(text) };
}

static const char *
at(const char *rel)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return path;
}

static char *
slurp(const char *rel)
{
    struct buf b = BUF_INIT;
    FILE *f = fopen(at(rel), "rb");
    if (!f)
        return NULL;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, NULL);
}

static void
test_write_rewrite_prune(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    add(&o, a, "index.html", "home");
    add(&o, a, "a/b/index.html", "deep");
    add(&o, a, "gone/index.html", "soon removed");
    struct write_stats st;
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    assert_int_equal(st.written, 3);
    FILE *mine = fopen(at("a/mine.txt"), "w"); /* not ours: must stay */
    fputs("user file", mine);
    fclose(mine);
    /* Dated in the past: a rewrite, even of the same bytes, would show. */
    const struct timespec past[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
    assert_int_equal(utimensat(AT_FDCWD, at("index.html"), past, 0), 0);
    struct stat before;
    stat(at("index.html"), &before);

    output_dispose(&o);
    add(&o, a, "index.html", "home");
    add(&o, a, "a/b/index.html", "deeper");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    assert_int_equal(st.written, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.removed, 1);
    struct stat after;
    stat(at("index.html"), &after);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(after.st_mtim.tv_sec, 1000000000);
    assert_int_equal(after.st_mtim.tv_nsec, 0);
    char *text = slurp("a/b/index.html");
    assert_string_equal(text, "deeper");
    free(text);
    assert_int_equal(access(at("gone/index.html"), F_OK), -1);
    assert_int_equal(access(at("gone"), F_OK), -1); /* emptied folder */
    text = slurp("a/mine.txt");
    assert_string_equal(text, "user file");
    free(text);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    output_dispose(&o);
    diags_dispose(&d);
    arena_free(a);
}

static void
test_no_escape(void **state)
{
    (void)state; /* its own folder: it needs nothing another test made */
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add(&o, a, "index.html", "home"); /* gazette's folder from now on */
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char outside[300];
    snprintf(outside, sizeof outside, "%s-outside", dir);
    mkdir(outside, 0755);
    symlink(outside, at("link"));
    add(&o, a, "link/index.html", "must not land outside");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), -1);
    char probe[400];
    snprintf(probe, sizeof probe, "%s/index.html", outside);
    assert_int_equal(access(probe, F_OK), -1);
    assert_int_equal(diags_exit_status(&d), 3);
    char *home = slurp("index.html"); /* the failed publish changed nothing */
    assert_string_equal(home, "home");
    free(home);
    output_dispose(&o);
    diags_dispose(&d);
    diags_init(&d);

    /* A bad or doubled path stops everything before the first write. */
    add(&o, a, "fresh.html", "x");
    add(&o, a, "../escape.html", "x");
    add(&o, a, "twice.html", "x");
    add(&o, a, "twice.html", "y");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), -1);
    assert_int_equal(access(at("fresh.html"), F_OK), -1);
    assert_int_equal(diags_count(&d, DIAG_CONTENT), 2);
    assert_int_equal(diags_exit_status(&d), 1);
    output_dispose(&o);
    diags_dispose(&d);
    arena_free(a);
}

/* A file gazette wrote and someone changed since is no longer gazette's:
 * it is left where it is when a build stops making it. */
static void
test_changed_file_kept(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add(&o, a, "a/index.html", "a");
    add(&o, a, "b/index.html", "b");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    FILE *f = fopen(at("b/index.html"), "w");
    fputs("edited by hand", f);
    fclose(f);
    add(&o, a, "a/index.html", "a");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    assert_int_equal(st.removed, 0);
    char *text = slurp("b/index.html");
    assert_string_equal(text, "edited by hand");
    free(text);
    output_dispose(&o);
    diags_dispose(&d);
    arena_free(a);
}

/* A manifest that names another folder (copied, or committed with the
 * site) is not this folder's: it makes the folder foreign, and even with
 * --force it removes nothing. */
static void
test_foreign_manifest(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    FILE *f = fopen(at("keep.txt"), "w");
    fputs("mine", f);
    fclose(f);
    struct stat st;
    stat(at("keep.txt"), &st);
    mkdir(at(".gazette"), 0755);
    f = fopen(at(".gazette/manifest"), "w");
    fprintf(f, "gazette manifest 1 1 2\n%llu %lld %ld keep.txt\n",
            (unsigned long long)st.st_ino, (long long)st.st_mtim.tv_sec,
            (long)st.st_mtim.tv_nsec);
    fclose(f);
    struct output o = { 0 };
    struct write_stats ws;
    add(&o, a, "index.html", "home");
    assert_int_equal(write_output(&ws, dir, &o, 0, &d), -1);
    assert_int_equal(diags_exit_status(&d), 2);
    assert_int_equal(access(at("index.html"), F_OK), -1);
    assert_int_equal(write_output(&ws, dir, &o, WRITE_FORCE, &d), 0);
    assert_int_equal(ws.removed, 0);
    assert_int_equal(access(at("keep.txt"), F_OK), 0);
    output_dispose(&o);
    diags_dispose(&d);
    arena_free(a);
}

/* Where an output folder may not be, each refused before anything is
 * made: the site, what holds it, its sources, a symlink. */
static void
test_refused_places(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    mkdir("content", 0755);
    mkdir("themes", 0755);
    mkdir("elsewhere", 0755);
    assert_int_equal(symlink(".", "public"), 0);
    assert_int_equal(symlink("elsewhere", "via"), 0);
    static const char *const refused[] = {
        ".", "/", "..", "content", "content/out", "themes/x/y", "public",
        "via/out", "public/out",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        struct diags d;
        diags_init(&d);
        if (write_check_output(refused[i], true, &d) == 0)
            fail_msg("-o %s was accepted", refused[i]);
        assert_int_equal(diags_exit_status(&d), 2);
        diags_dispose(&d);
    }
    struct diags d;
    diags_init(&d);
    assert_int_equal(write_check_output("out/deeper", false, &d), 0);
    assert_int_equal(access("out", F_OK), -1); /* checking makes nothing */
    diags_dispose(&d);
    assert_int_equal(chdir(cwd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_rewrite_prune, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_file_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_manifest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_places, setup, teardown),
    };
    return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
