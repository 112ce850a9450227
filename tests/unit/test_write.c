/* test_write.c: write/ in a temporary folder: unchanged files untouched,
 * stale files removed by the manifest only, no escape through symlinks or
 * bad paths, and nothing written when any path is bad; sessions in
 * batches, kept files and their keys, the manifest's versions, the cache
 * folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/base/hash.h"
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

/* Adds a file made from key; text NULL: kept as the last build made it. */
static void
add_keyed(struct output *o, struct arena *a, const char *path,
          const char *text, struct output_key key)
{
    o->files = arena_grow(a, o->files, sizeof *o->files, &o->cap, o->len + 1);
    o->files[o->len++] = (struct output_file){
        arena_strdup(a, path), text ? xstrdup(text) : NULL,
        text ? strlen(text) : 0, key };
}

static void
add(struct output *o, struct arena *a, const char *path, const char *text)
{
    add_keyed(o, a, path, text, (struct output_key){ { 0, 0 } });
}

static struct output_key
key(uint64_t hi, uint64_t lo)
{
    return (struct output_key){ { hi, lo } };
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

/* A name of 255 bytes is written, one of 256 is refused, and so is a
 * path of 2048 bytes or more of short names; the first build and a
 * rebuild in the same order (which checks paths on its own) alike. */
static void
test_long_names(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct write_stats st;
    char name[257], deep[2100];
    memset(name, 'n', 255);
    name[255] = '\0';
    for (size_t i = 0; i + 2 < sizeof deep; i += 2)
        deep[i] = 'd', deep[i + 1] = '/';
    strcpy(deep + 2040, "end.html"); /* 2048 bytes */
    for (int round = 0; round < 2; round++) {
        struct output o = { 0 };
        add(&o, a, "index.html", "home");
        add(&o, a, arena_printf(a, "%s/index.html", name), "255");
        add(&o, a, arena_printf(a, "a/%s/b/%s.x", name, "bb"), "long path");
        assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
        assert_int_equal(d.len, 0);
        add(&o, a, arena_printf(a, "%sn/index.html", name), "256");
        add(&o, a, deep, "deep");
        deep[2039] = '\0'; /* 2047 bytes: a path PATH_MAX allows */
        add(&o, a, arena_printf(a, "x/%s", deep + 2), "shorter");
        deep[2039] = '/';
        assert_int_equal(write_output(&st, dir, &o, 0, &d), -1);
        assert_int_equal(diags_count(&d, DIAG_CONTENT), 2);
        for (size_t i = 0; i < d.len; i++)
            assert_non_null(strstr(d.items[i].msg, "a name in it is longer"));
        output_dispose(&o);
        diags_dispose(&d);
        diags_init(&d);
    }
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

/* Publishes o into out in batches of at most per files, each a copy that
 * is freed as soon as it is handed over, as a build does. */
static int
publish_batches(struct write_stats *st, const char *out,
                const struct output *o, size_t per, struct diags *d)
{
    struct write_session *s;
    int rc = write_begin(&s, out, 0, d);
    for (size_t from = 0; rc == 0 && from < o->len; from += per) {
        struct output batch = { 0 };
        size_t n = o->len - from < per ? o->len - from : per;
        batch.files = xcalloc(n, sizeof *batch.files);
        for (size_t i = 0; i < n; i++) {
            const struct output_file *f = &o->files[from + i];
            batch.files[batch.len++] = (struct output_file){
                xstrdup(f->path), f->data ? xstrdup(f->data) : NULL, f->len,
                f->key };
        }
        rc = write_add(s, &batch, d);
        struct output_file *files = batch.files;
        for (size_t i = 0; i < n; i++)
            free((char *)files[i].path);
        output_dispose(&batch);
        free(files);
    }
    if (rc == 0)
        rc = write_finish(s, st, d);
    write_end(s);
    return rc;
}

/* What a snapshot holds besides names and bytes. */
enum snap {
    SNAP_BYTES,     /* nothing more */
    SNAP_FILE_IDS,  /* each file's inode and mtime */
    SNAP_ALL_IDS,   /* each folder's too */
};

/* What snapshot collects (nftw takes no payload). */
static struct vec snap_lines;
static size_t snap_skip;
static enum snap snap_ids;

static int
snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    const char *rel = path + snap_skip;
    if (!strncmp(rel, "/.gazette", 9) && (!rel[9] || rel[9] == '/'))
        return 0;
    struct buf line = BUF_INIT;
    buf_printf(&line, "%s %d", rel, type);
    if (snap_ids == SNAP_ALL_IDS || (snap_ids && type == FTW_F))
        buf_printf(&line, " %llu %lld.%09ld", (unsigned long long)st->st_ino,
                   (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec);
    if (type == FTW_F) {
        char *text = slurp(path + strlen(dir) + 1);
        buf_printf(&line, " [%s]", text ? text : "?");
        free(text);
    }
    vec_push(&snap_lines, buf_detach(&line, NULL));
    return 0;
}

static int
by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file and folder of the output rel (below dir) but gazette's
 * records, with their bytes and what ids asks for; sorted. */
static char *
snapshot(const char *rel, enum snap ids)
{
    char root[512];
    snprintf(root, sizeof root, "%s%s%s", dir, *rel ? "/" : "", rel);
    snap_skip = strlen(root);
    snap_ids = ids;
    assert_int_equal(nftw(root, snap_one, 16, FTW_PHYS), 0);
    qsort(snap_lines.items, snap_lines.len, sizeof *snap_lines.items,
          by_text);
    struct buf all = BUF_INIT;
    for (size_t i = 0; i < snap_lines.len; i++) {
        buf_printf(&all, "%s\n", (char *)snap_lines.items[i]);
        free(snap_lines.items[i]);
    }
    vec_dispose(&snap_lines);
    return buf_detach(&all, NULL);
}

/* The manifest of the output rel without its folder line and identities:
 * each file's key and path, in order. */
static char *
manifest_keys(const char *rel)
{
    char path[300];
    snprintf(path, sizeof path, "%s/.gazette/manifest", rel);
    char *text = slurp(path);
    assert_non_null(text);
    struct buf out = BUF_INIT;
    for (char *line = strchr(text, '\n'); line && line[1];
         line = strchr(line + 1, '\n')) {
        const char *s = line + 1;
        for (int field = 0; field < 3; field++)
            s = strchr(s, ' ') + 1;
        buf_put(&out, s, strcspn(s, "\n") + 1);
    }
    free(text);
    return buf_detach(&out, NULL);
}

static size_t
count_entries(const char *rel)
{
    DIR *folder = opendir(at(rel));
    size_t n = 0;
    for (struct dirent *e; folder && (e = readdir(folder));)
        n += e->d_name[0] != '.';
    if (folder)
        closedir(folder);
    return n;
}

/* A site of 30 posts in three channels; version 2 changes every fourth
 * post and drops a page. */
static void
make_site(struct output *o, struct arena *a, int version)
{
    for (int i = 0; i < 30; i++) {
        char path[64], text[64];
        snprintf(path, sizeof path, "c%d/p%d/index.html", i % 3, i);
        snprintf(text, sizeof text, "post %d, version %d", i,
                 i % 4 ? 1 : version);
        add_keyed(o, a, path, text, key((uint64_t)(i % 4 ? 1 : version),
                                         (uint64_t)i + 1));
    }
    add(o, a, "index.html", version == 1 ? "home 1" : "home 2");
    if (version == 1)
        add(o, a, "gone/index.html", "only in version 1");
}

static void
test_session_batches(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    char one[300], three[300];
    snprintf(one, sizeof one, "%s/one", dir);
    snprintf(three, sizeof three, "%s/three", dir);
    for (int version = 1; version <= 2; version++) {
        struct output o = { 0 };
        make_site(&o, a, version);
        struct write_stats st1, st3;
        assert_int_equal(write_output(&st1, one, &o, 0, &d), 0);
        assert_int_equal(publish_batches(&st3, three, &o, 11, &d), 0);
        assert_int_equal(st1.written, st3.written);
        assert_int_equal(st1.unchanged, st3.unchanged);
        assert_int_equal(st1.removed, st3.removed);
        assert_int_equal(st3.written, version == 1 ? 32 : 9);
        assert_int_equal(st3.removed, version == 1 ? 0 : 1);
        char *a1 = snapshot("one", SNAP_BYTES);
        char *a3 = snapshot("three", SNAP_BYTES);
        assert_string_equal(a1, a3);
        free(a1);
        free(a3);
        a1 = manifest_keys("one");
        a3 = manifest_keys("three");
        assert_string_equal(a1, a3);
        free(a1);
        free(a3);
        output_dispose(&o);
    }
    assert_int_equal(access(at("three/gone"), F_OK), -1);
    assert_int_equal(count_entries("three/.gazette/stage"), 0);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

static void
test_kept_file(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add_keyed(&o, a, "a/index.html", "A", key(1, 2));
    add_keyed(&o, a, "b.html", "B", key(3, 4));
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    struct stat before, after;
    assert_int_equal(stat(at("a/index.html"), &before), 0);

    struct write_session *s;
    struct output_key k;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    assert_true(write_old_key(s, "a/index.html", &k));
    assert_true(k.h[0] == 1 && k.h[1] == 2);
    assert_false(write_old_key(s, "never.html", &k));
    add_keyed(&o, a, "a/index.html", NULL, key(1, 2));
    add_keyed(&o, a, "b.html", "B2", key(3, 5));
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    assert_int_equal(st.written, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.removed, 0);
    assert_int_equal(stat(at("a/index.html"), &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    char *text = slurp("b.html");
    assert_string_equal(text, "B2");
    free(text);

    /* The next session still knows both keys, and keeping both again
     * publishes nothing, not even the manifest. */
    assert_int_equal(stat(at(".gazette/manifest"), &before), 0);
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    assert_true(write_old_key(s, "a/index.html", &k));
    assert_true(k.h[0] == 1 && k.h[1] == 2);
    assert_true(write_old_key(s, "b.html", &k));
    assert_true(k.h[0] == 3 && k.h[1] == 5);
    add_keyed(&o, a, "a/index.html", NULL, key(1, 2));
    add_keyed(&o, a, "b.html", NULL, key(3, 5));
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    assert_int_equal(st.written, 0);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(stat(at(".gazette/manifest"), &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

/* Asserts that each line of the manifest names a file as it is now, in
 * order: paths f0.html.. f<n-1>.html. */
static void
assert_manifest_true(size_t n)
{
    char *text = slurp(".gazette/manifest");
    char *line = strchr(text, '\n') + 1;
    for (size_t i = 0; i < n; i++) {
        unsigned long long ino;
        long long sec, nsec;
        char key[40], path[32], want[32];
        assert_int_equal(sscanf(line, "%llu %lld %lld %39s %31s", &ino,
                                &sec, &nsec, key, path), 5);
        snprintf(want, sizeof want, "f%zu.html", i);
        assert_string_equal(path, want);
        struct stat st;
        assert_int_equal(stat(at(path), &st), 0);
        assert_true(st.st_ino == ino && st.st_mtim.tv_sec == sec &&
                    st.st_mtim.tv_nsec == nsec);
        line = strchr(line, '\n') + 1;
    }
    assert_int_equal(*line, '\0');
    free(text);
}

/* A session over f0.html..f6.html, f2, f5 and f6 under key (i, 2), the
 * others under (i, 1): with write, those three are written ("new") and
 * the rest kept; else all are kept. */
static void
publish_seven(struct arena *a, bool write, struct write_stats *st,
              struct diags *d)
{
    struct write_session *s;
    struct output o = { 0 };
    char path[32];
    assert_int_equal(write_begin(&s, dir, 0, d), 0);
    for (size_t i = 0; i < 7; i++) {
        bool changed = i == 2 || i >= 5;
        snprintf(path, sizeof path, "f%zu.html", i);
        add_keyed(&o, a, path, changed && write ? "new" : NULL,
                  key(i, changed + 1));
    }
    assert_int_equal(write_add(s, &o, d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, st, d), 0);
    write_end(s);
}

/* A publish that keeps some files and rewrites others carries the kept
 * ones' lines over from the last manifest: the lines are the files as
 * they are, and the manifest is sealed (a session keeping every file
 * leaves it as it is). */
static void
test_manifest_lines_carried(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    for (size_t i = 0; i < 6; i++) {
        char path[32];
        snprintf(path, sizeof path, "f%zu.html", i);
        add_keyed(&o, a, path, "old", key(i, 1));
    }
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    publish_seven(a, true, &st, &d);
    assert_int_equal(st.written, 3);
    assert_manifest_true(7);

    struct stat before, after;
    assert_int_equal(stat(at(".gazette/manifest"), &before), 0);
    publish_seven(a, false, &st, &d);
    assert_int_equal(st.unchanged, 7);
    assert_int_equal(stat(at(".gazette/manifest"), &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

/* A kept file the last build did not publish under that key is the
 * caller's bug: the session fails, and the folder stays as it was, though
 * an earlier batch had staged changes. */
static void
test_kept_file_refused(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct output o = { 0 };
    struct write_stats st;
    struct diags d;
    diags_init(&d);
    add_keyed(&o, a, "a.html", "A", key(1, 1));
    add(&o, a, "b.html", "B");
    add(&o, a, "c.html", "C");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    diags_dispose(&d);
    char *before = snapshot("", SNAP_ALL_IDS);
    static const struct {
        const char *path;
        struct output_key key;
    } wrong[] = {
        { "a.html", { { 1, 2 } } },     /* another key */
        { "never.html", { { 5, 5 } } }, /* never published */
        { "b.html", { { 0, 0 } } },     /* published without a key */
        { "a.html", { { 0, 0 } } },     /* no key given */
    };
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        diags_init(&d);
        struct write_session *s;
        assert_int_equal(write_begin(&s, dir, 0, &d), 0);
        add(&o, a, "new/index.html", "staged, then dropped");
        add(&o, a, "c.html", "C changed");
        assert_int_equal(write_add(s, &o, &d), 0);
        output_dispose(&o);
        add_keyed(&o, a, wrong[i].path, NULL, wrong[i].key);
        assert_int_equal(write_add(s, &o, &d), -1);
        output_dispose(&o);
        write_end(s);
        assert_int_equal(diags_exit_status(&d), 3);
        assert_non_null(strstr(d.items[d.len - 1].msg, "gazette bug"));
        assert_non_null(strstr(d.items[d.len - 1].msg, wrong[i].path));
        char *now = snapshot("", SNAP_ALL_IDS);
        assert_string_equal(before, now);
        free(now);
        assert_int_equal(count_entries(".gazette/stage"), 0);
        diags_dispose(&d);
    }
    free(before);
    arena_free(a);
}

/* The path rules hold across the batches of a session. */
static void
test_paths_across_batches(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        { "x.html", "y.html", "x.html" },    /* twice */
        { "a/b", "y.html", "a/b/c" },        /* a file, then its folder */
        { "m/n/o", "y.html", "m/n" },        /* a folder, then a file */
        { "p.html", "y.html", ".gazette/x" }, /* gazette's records */
    };
    static const char *const said[] = {
        "two outputs would be written to \"x.html\"",
        "\"a/b\" would be both a file and the folder of \"a/b/c\"",
        "\"m/n\" would be both a file and the folder of \"m/n/o\"",
        "refusing to write \".gazette/x\"",
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct diags d;
        diags_init(&d);
        struct write_session *s;
        assert_int_equal(write_begin(&s, dir, 0, &d), 0);
        int rc = 0;
        for (size_t b = 0; b < 3 && rc == 0; b++) {
            struct output o = { 0 };
            add(&o, a, cases[i][b], "x");
            rc = write_add(s, &o, &d);
            output_dispose(&o);
            if (rc < 0)
                assert_int_equal(b, 2);
        }
        assert_int_equal(rc, -1);
        write_end(s);
        assert_int_equal(diags_exit_status(&d), 1);
        assert_int_equal(d.len, 1);
        assert_non_null(strstr(d.items[0].msg, said[i]));
        assert_int_equal(access(at(cases[i][0]), F_OK), -1);
        diags_dispose(&d);
    }
    arena_free(a);
}

/* A session whose first files are the last publish's, in its order,
 * checks them against later ones all the same: a repeat of one, or one
 * made the folder of another, is refused after them as it is anywhere. */
static void
test_paths_after_same_order(void **state)
{
    (void)state;
    static const char *const later[] = { "a.html", "b/c.html/d", "new.html" };
    static const char *const said[] = {
        "two outputs would be written to \"a.html\"",
        "\"b/c.html\" would be both a file and the folder of",
        NULL,
    };
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    add(&o, a, "a.html", "a");
    add(&o, a, "b/c.html", "c");
    struct write_stats st;
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    for (size_t i = 0; i < sizeof later / sizeof *later; i++) {
        struct write_session *s;
        assert_int_equal(write_begin(&s, dir, 0, &d), 0);
        add(&o, a, "a.html", "a");
        add(&o, a, "b/c.html", "c");
        int rc = write_add(s, &o, &d);
        output_dispose(&o);
        assert_int_equal(rc, 0);
        add(&o, a, later[i], "x");
        rc = write_add(s, &o, &d);
        output_dispose(&o);
        assert_int_equal(rc, said[i] ? -1 : 0);
        if (said[i]) {
            assert_int_equal(d.len, 1);
            assert_non_null(strstr(d.items[0].msg, said[i]));
        } else {
            assert_int_equal(write_finish(s, &st, &d), 0);
            assert_int_equal(st.written, 1);
            assert_int_equal(st.unchanged, 2);
        }
        write_end(s);
        diags_dispose(&d);
        diags_init(&d);
    }
    assert_int_equal(access(at("b/c.html/d"), F_OK), -1);
    diags_dispose(&d);
    arena_free(a);
}

/* A session that ends unfinished leaves the folder as it was: bytes,
 * inodes and mtimes, folders' too. One whose finish fails leaves every
 * file as it was (its folders were written and put back). */
static void
test_end_unfinished(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    make_site(&o, a, 1);
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char *before = snapshot("", SNAP_ALL_IDS);
    struct write_session *s;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    make_site(&o, a, 2);
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    add(&o, a, "fresh/deep/index.html", "new");
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_true(count_entries(".gazette/stage") > 0);
    write_end(s);
    char *now = snapshot("", SNAP_ALL_IDS);
    assert_string_equal(before, now);
    free(now);
    assert_int_equal(count_entries(".gazette/stage"), 0);

    /* A finish that fails midway (a folder to make is now a file) is
     * undone. */
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    make_site(&o, a, 2);
    add(&o, a, "fresh/index.html", "new");
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    FILE *f = fopen(at("fresh"), "w");
    fclose(f);
    free(before);
    before = snapshot("", SNAP_FILE_IDS);
    assert_int_equal(write_finish(s, &st, &d), -1);
    assert_int_equal(st.written, 0);
    write_end(s);
    now = snapshot("", SNAP_FILE_IDS);
    assert_string_equal(before, now);
    free(now);
    free(before);
    assert_int_equal(diags_exit_status(&d), 3);
    diags_dispose(&d);
    arena_free(a);
}

/* Rewrites the manifest as version 1 wrote it: no keys. */
static void
make_manifest_v1(void)
{
    char *text = slurp(".gazette/manifest");
    assert_non_null(text);
    assert_int_equal(strncmp(text, "gazette manifest 3 ", 19), 0);
    struct buf v1 = BUF_INIT;
    buf_puts(&v1, "gazette manifest 1 ");
    char *line = text + 19;
    char *end = strchr(line, '\n');
    char *check = end; /* "DEV INO CHECK": v1 has no check */
    while (*check != ' ')
        check--;
    buf_put(&v1, line, (size_t)(check - line));
    buf_puts(&v1, "\n");
    for (line = end + 1; (end = strchr(line, '\n')); line = end + 1) {
        char *field = line;
        for (int i = 0; i < 3; i++)
            field = strchr(field, ' ') + 1;
        buf_put(&v1, line, (size_t)(field - line));
        char *path = strchr(field, ' ') + 1; /* past the key */
        buf_put(&v1, path, (size_t)(end - path + 1));
    }
    FILE *f = fopen(at(".gazette/manifest"), "w");
    fwrite(v1.data, 1, v1.len, f);
    fclose(f);
    buf_dispose(&v1);
    free(text);
}

static void
test_manifest_version_1(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add_keyed(&o, a, "keep.html", "K", key(7, 7));
    add_keyed(&o, a, "stale/index.html", "S", key(8, 8));
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    make_manifest_v1();
    /* Still gazette's folder (no --force), its files known, no keys. */
    struct write_session *s;
    struct output_key k;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    assert_false(write_old_key(s, "keep.html", &k));
    assert_false(write_old_key(s, "stale/index.html", &k));
    add_keyed(&o, a, "keep.html", "K", key(7, 7));
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.removed, 1);
    assert_int_equal(access(at("stale"), F_OK), -1);
    char *text = slurp(".gazette/manifest");
    assert_int_equal(strncmp(text, "gazette manifest 3 ", 19), 0);
    assert_non_null(strstr(text, " 00000000000000070000000000000007 "
                                 "keep.html\n"));
    free(text);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

/* Where the line of path starts in a manifest's text. */
static char *
line_of(char *text, const char *path)
{
    char *line = strstr(text, path);
    while (line[-1] != '\n')
        line--;
    return line;
}

/* Replaces the manifest with text, lines first, then more (or NULL). */
static void
put_manifest(const char *text, const char *more)
{
    FILE *f = fopen(at(".gazette/manifest"), "w");
    fputs(text, f);
    if (more)
        fputs(more, f);
    fclose(f);
}

/* A manifest line naming a path out of the folder, sealed as gazette
 * seals its manifests, is not taken for a file the last build made: a
 * rebuild making that path in that place is refused, not written. */
static void
test_manifest_unsafe_path(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add_keyed(&o, a, "a.html", "A", key(1, 1));
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char *text = slurp(".gazette/manifest");
    char *a_line = line_of(text, " a.html\n");
    struct buf b = BUF_INIT; /* its line first: where a rebuild starts */
    buf_put(&b, text, (size_t)(a_line - text));
    buf_printf(&b, "%.*s../escape.html\n",
               (int)(strstr(a_line, " a.html") + 1 - a_line), a_line);
    buf_puts(&b, a_line);
    char *first = strchr(b.data, '\n');
    uint64_t sum = hash64(first + 1, b.len - (size_t)(first + 1 - b.data));
    for (int k = 0; k < 16; k++)
        first[-16 + k] = "0123456789abcdef"[sum >> (60 - 4 * k) & 15];
    put_manifest(b.data, NULL);
    buf_dispose(&b);
    free(text);
    /* in a session, as a build hands its pages: no check of all first */
    add_keyed(&o, a, "../escape.html", NULL, key(1, 1)); /* "kept" */
    assert_int_equal(publish_batches(&st, dir, &o, 1, &d), -1);
    output_dispose(&o);
    add_keyed(&o, a, "../escape.html", "out", key(1, 1));
    assert_int_equal(publish_batches(&st, dir, &o, 1, &d), -1);
    output_dispose(&o);
    char probe[300];
    snprintf(probe, sizeof probe, "%s/../escape.html", dir);
    assert_int_equal(access(probe, F_OK), -1);
    assert_int_equal(diags_exit_status(&d), 1);
    diags_dispose(&d);
    arena_free(a);
}

/* A manifest altered after its publish (a line twice, here) fails its
 * check: the next publish trusts none of its order, looks up each file by
 * path, and writes a manifest without the extra line. */
static void
test_manifest_altered(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add_keyed(&o, a, "a.html", "A", key(1, 1));
    add_keyed(&o, a, "b.html", "B", key(2, 2));
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char *text = slurp(".gazette/manifest");
    put_manifest(text, line_of(text, " b.html\n")); /* b.html's again */
    free(text);
    struct write_session *s;
    struct output_key k;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    assert_true(write_old_key(s, "b.html", &k)); /* out of order: by path */
    assert_true(k.h[0] == 2 && k.h[1] == 2);
    assert_true(write_old_key(s, "a.html", &k));
    assert_true(k.h[0] == 1 && k.h[1] == 1);
    add_keyed(&o, a, "a.html", "A", key(1, 1));
    add_keyed(&o, a, "b.html", "B", key(2, 2));
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    assert_int_equal(st.unchanged, 2);
    text = slurp(".gazette/manifest");
    char *b_line = strstr(text, " b.html\n");
    assert_non_null(b_line);
    assert_null(strstr(b_line + 1, " b.html\n"));
    free(text);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

static void
test_keys_round_trip(void **state)
{
    (void)state;
    static const struct output_key keys[] = {
        { { UINT64_MAX, 0x0123456789abcdefu } },
        { { 0, 1 } },
        { { 1, 0 } },
        { { 0, 0 } },
    };
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    for (size_t i = 0; i < 4; i++) {
        char path[32];
        snprintf(path, sizeof path, "f%zu with space.html", i);
        add_keyed(&o, a, path, "x", keys[i]);
    }
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char *text = slurp(".gazette/manifest");
    assert_non_null(strstr(text, " ffffffffffffffff0123456789abcdef "
                                 "f0 with space.html\n"));
    assert_non_null(strstr(text, " - f3 with space.html\n"));
    free(text);
    struct write_session *s;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    for (size_t i = 0; i < 4; i++) {
        char path[32];
        snprintf(path, sizeof path, "f%zu with space.html", i);
        struct output_key k;
        assert_int_equal(write_old_key(s, path, &k), i < 3);
        assert_true(k.h[0] == keys[i].h[0] && k.h[1] == keys[i].h[1]);
    }
    write_end(s);
    diags_dispose(&d);
    arena_free(a);
}

/* A line of a manifest with a number over 64 bits, or a key not of 32
 * lower-case hex digits, is no line: its file has no key. */
static void
test_manifest_bad_lines(void **state)
{
    (void)state;
    static const char *const names[] = { "upper.html", "other.html",
                                         "big.html", "max.html" };
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add_keyed(&o, a, "upper.html", "x", key(0xab, 1));
    add_keyed(&o, a, "other.html", "x", key(1, 0xf0));
    add_keyed(&o, a, "big.html", "x", key(2, 2));
    add_keyed(&o, a, "max.html", "x", key(3, 3));
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    char *text = slurp(".gazette/manifest");
    /* the 'b' of 00ab in the first key, the 'f' of f0 in the second */
    strstr(line_of(text, " upper.html\n"), "ab")[1] = 'B';
    strstr(line_of(text, " other.html\n"), "f0 ")[0] = 'g';
    struct buf b = BUF_INIT; /* inodes of 2^64 and 2^64 - 1 */
    for (const char *line = strchr(text, '\n') + 1; *line;) {
        const char *end = strchr(line, '\n') + 1, *rest = strchr(line, ' ');
        if (strstr(line, " big.html\n") == end - 10)
            buf_printf(&b, "18446744073709551616%.*s", (int)(end - rest), rest);
        else if (strstr(line, " max.html\n") == end - 10)
            buf_printf(&b, "18446744073709551615%.*s", (int)(end - rest), rest);
        else
            buf_put(&b, line, (size_t)(end - line));
        line = end;
    }
    *(strchr(text, '\n') + 1) = '\0';
    put_manifest(text, b.data);
    buf_dispose(&b);
    free(text);
    struct write_session *s;
    struct output_key k;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(write_old_key(s, names[i], &k), i == 3);
    assert_true(k.h[0] == 3 && k.h[1] == 3);
    write_end(s);
    diags_dispose(&d);
    arena_free(a);
}

static void
test_cache_folder(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct output o = { 0 };
    struct write_stats st;
    add(&o, a, "a.html", "A");
    add(&o, a, "b.html", "B");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    struct write_session *s;
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    int fd = write_cache_fd(s);
    assert_true(fd >= 0);
    assert_int_equal(write_cache_fd(s), fd);
    int f = openat(fd, "entry", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(f >= 0);
    assert_int_equal(write(f, "cached", 6), 6);
    close(f);
    add(&o, a, "a.html", "A2"); /* b.html is removed */
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    assert_int_equal(st.removed, 1);
    assert_int_equal(write_check_output(dir, false, &d), 0);
    /* Even a manifest that names it does not get it removed. */
    struct stat cached;
    assert_int_equal(stat(at(".gazette/cache/entry"), &cached), 0);
    FILE *m = fopen(at(".gazette/manifest"), "a");
    fprintf(m, "%llu %lld %ld - .gazette/cache/entry\n",
            (unsigned long long)cached.st_ino,
            (long long)cached.st_mtim.tv_sec, (long)cached.st_mtim.tv_nsec);
    fclose(m);
    add(&o, a, "c.html", "C");
    assert_int_equal(write_output(&st, dir, &o, 0, &d), 0);
    output_dispose(&o);
    assert_int_equal(st.removed, 1); /* a.html */
    char *text = slurp(".gazette/cache/entry");
    assert_non_null(text);
    assert_string_equal(text, "cached");
    free(text);

    /* A symlink planted in its place is never followed. */
    assert_int_equal(unlink(at(".gazette/cache/entry")), 0);
    assert_int_equal(rmdir(at(".gazette/cache")), 0);
    char outside[300];
    snprintf(outside, sizeof outside, "%s-outside", dir);
    assert_int_equal(mkdir(outside, 0755), 0);
    assert_int_equal(symlink(outside, at(".gazette/cache")), 0);
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    assert_int_equal(write_cache_fd(s), -1);
    add(&o, a, "c.html", "C2");
    assert_int_equal(write_add(s, &o, &d), 0);
    output_dispose(&o);
    assert_int_equal(write_finish(s, &st, &d), 0);
    write_end(s);
    DIR *out = opendir(outside);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(out));)
        n += e->d_name[0] != '.';
    closedir(out);
    assert_int_equal(n, 0);
    assert_int_equal(diags_count(&d, DIAG_WARNING), 0);
    diags_dispose(&d);
    arena_free(a);
}

/* A manifest of 28,000 files (a site of 10,000 posts) is read in a few
 * milliseconds; the bound here is loose, for sanitizers and busy
 * machines: it catches a slow way of reading, not a slow machine. */
static void
test_large_manifest(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    struct stat self;
    assert_int_equal(mkdir(at(".gazette"), 0755), 0);
    assert_int_equal(stat(dir, &self), 0);
    FILE *f = fopen(at(".gazette/manifest"), "w");
    fprintf(f, "gazette manifest 2 %llu %llu\n",
            (unsigned long long)self.st_dev, (unsigned long long)self.st_ino);
    for (unsigned i = 0; i < 28000; i++)
        fprintf(f, "%u 1700000000 %u %016x%016x channel-%u/posts/a-post-"
                "with-a-long-title-%u/index.html\n", 1000000 + i,
                i * 7919 % 1000000000, i, 7 * i + 1, i % 7, i);
    fclose(f);
    struct timespec t0, t1;
    struct write_session *s;
    /* CPU time: a busy machine makes the wall clock say little. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    assert_int_equal(write_begin(&s, dir, 0, &d), 0);
    write_prefetch(s); /* read on a thread: the lookups wait for it */
    for (unsigned i = 0; i < 28000; i += 4999) {
        char path[128];
        snprintf(path, sizeof path,
                 "channel-%u/posts/a-post-with-a-long-title-%u/index.html",
                 i % 7, i);
        struct output_key k;
        assert_true(write_old_key(s, path, &k));
        assert_true(k.h[0] == i && k.h[1] == 7 * i + 1);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("# a manifest of 28,000 files read, 6 files looked up: %.1f ms of "
           "CPU\n", ms);
    write_end(s);
    const char *factor = getenv("TIME_FACTOR"); /* make asan: slower */
    assert_true(ms < 1000 * (factor ? atof(factor) : 1));
    diags_dispose(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_rewrite_prune, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_unsafe_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_changed_file_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_manifest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_manifest_altered, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_batches, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kept_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_lines_carried, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_manifest_bad_lines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kept_file_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_paths_across_batches, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_paths_after_same_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_end_unfinished, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_manifest_version_1, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_keys_round_trip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cache_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_manifest, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
