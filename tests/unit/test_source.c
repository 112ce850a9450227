/* test_source.c: unit tests of source/, the first stage. Each group makes
 * real git repositories in a fresh temporary folder with the git command,
 * committing at fixed dates, then checks what source_open reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/source/source.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The commits of the main repository, oldest first. */
#define C1 "2024-01-02T03:04:05+02:00"
#define C2 "2024-02-03T04:05:06-05:00"
#define C3 "2024-03-04T05:06:07+00:00"
#define C4 "2024-04-05T06:07:08+05:30"
/* The subfolder repository's and the merge repository's. */
#define S1 "2023-05-06T07:08:09+01:00"
#define S2 "2023-06-07T08:09:10-03:30"
#define M1 "2022-01-01T10:00:00+00:00"
#define M2 "2022-02-02T10:00:00+00:00"
#define M3 "2022-03-03T10:00:00+00:00"

static char tmp[] = "/tmp/gz-test-source-XXXXXX";

/* Runs a shell command built from fmt; fails the test unless it exits 0. */
static void
sh(const char *fmt, ...)
{
    struct buf cmd = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    int status = system(cmd.data);
    if (status != 0)
        fail_msg("command failed (%d): %s", status, cmd.data);
    buf_dispose(&cmd);
}

/* Output of a shell command built from fmt, without its trailing newline;
 * the caller frees it. */
static char *
sh_out(const char *fmt, ...)
{
    struct buf cmd = BUF_INIT, out = BUF_INIT;
    char chunk[256];
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd.data, "r");
    assert_non_null(p);
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_put(&out, chunk, n);
    assert_int_equal(pclose(p), 0);
    buf_dispose(&cmd);
    while (out.len && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return buf_detach(&out, NULL);
}

/* Writes text to tmp/rel, making its folders. */
static void
put(const char *rel, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    for (char *s = strchr(path + strlen(tmp) + 1, '/'); s;
         s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", path, strerror(errno));
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Commits everything staged in tmp/repo as author at date (ISO 8601). */
static void
commit(const char *repo, const char *date, const char *author)
{
    setenv("GIT_AUTHOR_DATE", date, 1);
    setenv("GIT_COMMITTER_DATE", date, 1);
    setenv("GIT_AUTHOR_NAME", author, 1);
    sh("git -C '%s/%s' commit -q --allow-empty -m '%s'", tmp, repo, date);
}

/* The timestamp an ISO 8601 date with offset stands for. */
static struct timestamp
ts(const char *iso)
{
    struct tm tm = { 0 };
    int oh, om;
    char sign;
    int n = sscanf(iso, "%d-%d-%dT%d:%d:%d%c%d:%d", &tm.tm_year, &tm.tm_mon,
                   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &sign,
                   &oh, &om);
    assert_int_equal(n, 9);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int off = (sign == '-' ? -1 : 1) * (oh * 60 + om);
    return (struct timestamp){ (int64_t)timegm(&tm) - off * 60, off, true };
}

/* Fails, naming the expression and the caller's line, unless got is the
 * timestamp iso stands for. */
#define assert_ts(got, iso) check_ts((got), (iso), #got, __LINE__)

static void
check_ts(struct timestamp got, const char *iso, const char *what, int line)
{
    struct timestamp want = ts(iso);
    if (!got.set)
        fail_msg("line %d: %s is unset, want %s", line, what, iso);
    if (got.secs != want.secs || got.offset_min != want.offset_min)
        fail_msg("line %d: %s is %lld%+d, want %lld%+d (%s)", line, what,
                 (long long)got.secs, got.offset_min, (long long)want.secs,
                 want.offset_min, iso);
}

/* One source_open call with its arena and diags, released by done(). */
struct run {
    struct arena *a;
    struct diags d;
    struct source s;
    int rc;
};

static void
run(struct run *r, const char *rel, const char *ref)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", tmp, rel);
    r->a = arena_new();
    diags_init(&r->d);
    r->rc = source_open(&r->s, dir, ref, r->a, &r->d);
}

static void
done(struct run *r)
{
    diags_dispose(&r->d);
    arena_free(r->a);
}

/* The file at path, which must have been read. */
static const struct source_file *
file(const struct run *r, const char *path)
{
    const struct source_file *f = source_find(&r->s, path);
    if (!f)
        fail_msg("%s was not read", path);
    return f;
}

/* The main repository "repo": four commits, then edits left uncommitted.
 *   C1 adds post.md, old-name.md, chain.md, again.md, site.yaml, a theme
 *      template, dot-files, keep.tmp (forced past .gitignore), README.md
 *      and public/x.html (outside the site folders);
 *   C2 changes site.yaml, renames chain.md, deletes again.md;
 *   C3 changes post.md and adds again.md back;
 *   C4 renames old-name.md, renames and edits chain-b.md, changes
 *      site.yaml. */
static void
make_repo(void)
{
    sh("git init -q -b main '%s/repo'", tmp);
    put("repo/.gitignore", "*.tmp\ndrafts/\n");
    put("repo/site.yaml", "title: one\n");
    put("repo/README.md", "readme\n");
    put("repo/public/x.html", "<p>built</p>\n");
    put("repo/content/astro/post.md", "post v1\n");
    put("repo/content/astro/old-name.md", "a post that moves\nover time\n");
    put("repo/content/chain.md", "a chain\nof\nrenames\nwith\nlines\n");
    put("repo/content/again.md", "first life\n");
    put("repo/content/.hidden.md", "hidden\n");
    put("repo/content/astro/.draft.md", "hidden too\n");
    put("repo/content/keep.tmp", "tracked though ignored\n");
    put("repo/themes/default/templates/base.mustache", "{{title}}\n");
    sh("git -C '%s/repo' add -A && git -C '%s/repo' add -f content/keep.tmp",
       tmp, tmp);
    commit("repo", C1, "Ada");
    put("repo/site.yaml", "title: two\n");
    sh("git -C '%s/repo' mv content/chain.md content/astro/chain-b.md && "
       "git -C '%s/repo' rm -q content/again.md && git -C '%s/repo' add -A",
       tmp, tmp, tmp);
    commit("repo", C2, "Bob");
    put("repo/content/astro/post.md", "post v2\n");
    put("repo/content/again.md", "second life\n");
    sh("git -C '%s/repo' add -A", tmp);
    commit("repo", C3, "Cy");
    put("repo/site.yaml", "title: four\n");
    put("repo/content/astro/chain-b.md", "a chain\nof\nrenames\nwith\nline\n");
    sh("git -C '%s/repo' mv content/astro/old-name.md content/astro/new-name.md"
       " && git -C '%s/repo' mv content/astro/chain-b.md content/chain-c.md"
       " && git -C '%s/repo' add -A",
       tmp, tmp, tmp);
    commit("repo", C4, "Dee");
}

/* Uncommitted state of "repo": a new file, an edit, ignored files,
 * symlinks out of the repository and inside it. */
static void
dirty_repo(void)
{
    put("repo/content/new.md", "not committed\n");
    put("repo/content/astro/post.md", "post v3, not committed\n");
    put("repo/content/scratch.tmp", "ignored\n");
    put("repo/content/drafts/later.md", "in an ignored folder\n");
    sh("ln -s /etc/passwd '%s/repo/content/passwd.md'", tmp);
    sh("ln -s /etc '%s/repo/content/etc'", tmp);
    sh("ln -s astro/post.md '%s/repo/content/link.md'", tmp);
}

/* "sub": the site lives in sub/site/; sub/content/ is not part of it. */
static void
make_sub(void)
{
    sh("git init -q -b main '%s/sub'", tmp);
    put("sub/content/outside.md", "not the site\n");
    put("sub/site/site.yaml", "title: sub\n");
    put("sub/site/content/a.md", "a v1\nwith some\nmore lines\n");
    sh("git -C '%s/sub' add -A", tmp);
    commit("sub", S1, "Eve");
    put("sub/site/content/a.md", "a v2\nwith some\nmore lines\n");
    sh("git -C '%s/sub' mv site/content/a.md site/content/b.md && "
       "git -C '%s/sub' add -A",
       tmp, tmp);
    commit("sub", S2, "Fay");
}

/* "merge": a post added on a branch, merged with a merge commit. */
static void
make_merge(void)
{
    sh("git init -q -b main '%s/merge'", tmp);
    put("merge/content/base.md", "base\n");
    sh("git -C '%s/merge' add -A", tmp);
    commit("merge", M1, "Gus");
    sh("git -C '%s/merge' checkout -q -b side", tmp);
    put("merge/content/side.md", "from the side\n");
    sh("git -C '%s/merge' add -A", tmp);
    commit("merge", M2, "Hal");
    sh("git -C '%s/merge' checkout -q main", tmp);
    setenv("GIT_AUTHOR_DATE", M3, 1);
    setenv("GIT_COMMITTER_DATE", M3, 1);
    setenv("GIT_AUTHOR_NAME", "Ivy", 1);
    sh("git -C '%s/merge' merge -q --no-ff -m merge side", tmp);
}

static int
setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmp))
        return -1;
    setenv("HOME", tmp, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
    setenv("GIT_COMMITTER_NAME", "Committer", 1);
    setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
    make_repo();
    dirty_repo();
    make_sub();
    make_merge();
    sh("git clone -q --depth 1 'file://%s/repo' '%s/shallow'", tmp, tmp);
    put("plain/content/p.md", "no git here\n");
    sh("git init -q -b main '%s/unborn'", tmp);
    put("unborn/content/u.md", "no commit yet\n");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    sh("rm -rf '%s'", tmp);
    return 0;
}

/* 1. Added in C1, changed in C3 (not in C2 nor C4). */
static void
test_created_and_updated(void **state)
{
    struct run r;
    (void)state;
    run(&r, "repo", NULL);
    assert_int_equal(r.rc, 0);
    const struct source_file *f = file(&r, "content/astro/post.md");
    assert_ts(f->created, C1);
    assert_ts(f->updated, C3);
    assert_string_equal(f->author, "Ada");
    f = file(&r, "site.yaml");
    assert_ts(f->created, C1);
    assert_ts(f->updated, C4);
    f = file(&r, "themes/default/templates/base.mustache");
    assert_ts(f->created, C1);
    assert_ts(f->updated, C1);
    assert_false(f->dirty);
    done(&r);
}

/* 2. Renamed files keep their creation; the rename is their update. */
static void
test_renames(void **state)
{
    struct run r;
    (void)state;
    run(&r, "repo", NULL);
    assert_int_equal(r.rc, 0);
    const struct source_file *f = file(&r, "content/astro/new-name.md");
    assert_null(source_find(&r.s, "content/astro/old-name.md"));
    assert_ts(f->created, C1);
    assert_ts(f->updated, C4);
    assert_string_equal(f->author, "Ada");
    /* Renamed twice, the second time with an edit. */
    f = file(&r, "content/chain-c.md");
    assert_ts(f->created, C1);
    assert_ts(f->updated, C4);
    /* Deleted in C2, added back in C3: a new file. */
    f = file(&r, "content/again.md");
    assert_ts(f->created, C3);
    assert_ts(f->updated, C3);
    assert_string_equal(f->author, "Cy");
    done(&r);
}

/* 3. Uncommitted files: no git dates, an mtime, dirty. */
static void
test_uncommitted(void **state)
{
    struct run r;
    (void)state;
    run(&r, "repo", NULL);
    assert_int_equal(r.rc, 0);
    assert_false(r.s.from_ref);
    assert_non_null(r.s.commit);
    const struct source_file *f = file(&r, "content/new.md");
    assert_false(f->created.set);
    assert_false(f->updated.set);
    assert_true(f->mtime.set);
    assert_true(f->mtime.secs > 1700000000);
    assert_int_equal(f->mtime.offset_min, 0);
    assert_true(f->dirty);
    assert_null(f->author);
    f = file(&r, "content/astro/post.md");
    assert_true(f->dirty);
    assert_string_equal(f->data, "post v3, not committed\n");
    assert_ts(f->created, C1);
    assert_false(file(&r, "content/again.md")->dirty);
    assert_int_equal(r.d.len, 0);
    done(&r);
}

/* 4. A ref reads that commit's tree and history; a bad ref is an error. */
static void
test_ref(void **state)
{
    struct run r;
    (void)state;
    run(&r, "repo", "HEAD~1");
    assert_int_equal(r.rc, 0);
    assert_true(r.s.from_ref);
    assert_string_equal(file(&r, "site.yaml")->data, "title: two\n");
    assert_ts(file(&r, "site.yaml")->updated, C2);
    const struct source_file *f = file(&r, "content/astro/old-name.md");
    assert_null(source_find(&r.s, "content/astro/new-name.md"));
    assert_null(source_find(&r.s, "content/new.md"));
    assert_ts(f->created, C1);
    assert_ts(f->updated, C1);
    assert_false(f->dirty);
    assert_false(f->mtime.set);
    f = file(&r, "content/astro/post.md");
    assert_string_equal(f->data, "post v2\n");
    assert_ts(f->updated, C3);
    assert_ts(file(&r, "content/astro/chain-b.md")->created, C1);
    assert_ts(file(&r, "content/astro/chain-b.md")->updated, C2);
    done(&r);

    run(&r, "repo", "nope");
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.d.len, 1);
    assert_int_equal(r.d.items[0].kind, DIAG_SYSTEM);
    assert_null(r.d.items[0].path);
    assert_non_null(strstr(r.d.items[0].msg, "--ref \"nope\""));
    done(&r);
}

/* 5. Only site.yaml, content/ and themes/; no dot-files, ignored files nor
 * symlinks; tracked files are read even when an ignore rule matches. */
static void
test_what_is_read(void **state)
{
    static const char *const want[] = {
        "content/again.md",
        "content/astro/new-name.md",
        "content/astro/post.md",
        "content/chain-c.md",
        "content/keep.tmp",
        "content/new.md",
        "site.yaml",
        "themes/default/templates/base.mustache",
    };
    struct run r;
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        run(&r, "repo", mode ? "HEAD" : NULL);
        assert_int_equal(r.rc, 0);
        size_t n = sizeof want / sizeof *want - (size_t)mode;
        assert_int_equal(r.s.nfiles, n);
        for (size_t i = 0, j = 0; i < n; i++, j++) {
            if (mode && strcmp(want[j], "content/new.md") == 0)
                j++;
            assert_string_equal(r.s.files[i].path, want[j]);
        }
        done(&r);
    }
}

/* 6. A shallow clone: flagged, one warning, dates from the cut. */
static void
test_shallow(void **state)
{
    struct run r;
    (void)state;
    run(&r, "shallow", NULL);
    assert_int_equal(r.rc, 0);
    assert_true(r.s.shallow);
    assert_int_equal(r.d.len, 1);
    assert_int_equal(r.d.items[0].kind, DIAG_WARNING);
    assert_null(r.d.items[0].path);
    assert_non_null(strstr(r.d.items[0].msg, "shallow"));
    assert_ts(file(&r, "content/astro/post.md")->created, C4);
    assert_ts(file(&r, "content/astro/post.md")->updated, C4);
    done(&r);

    run(&r, "repo", NULL);
    assert_false(r.s.shallow);
    done(&r);
}

/* 7. A site in a subfolder of the work tree. */
static void
test_subfolder(void **state)
{
    struct run r;
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        run(&r, "sub/site", mode ? "HEAD" : NULL);
        assert_int_equal(r.rc, 0);
        assert_int_equal(r.s.nfiles, 2);
        assert_string_equal(r.s.files[0].path, "content/b.md");
        assert_string_equal(r.s.files[1].path, "site.yaml");
        assert_ts(r.s.files[0].created, S1);
        assert_ts(r.s.files[0].updated, S2);
        assert_false(r.s.files[0].dirty);
        assert_ts(r.s.files[1].created, S1);
        assert_ts(r.s.files[1].updated, S1);
        assert_non_null(strstr(r.s.root, "/sub/site"));
        done(&r);
    }
}

/* 8. Blob ids are git's, for committed and uncommitted files alike. */
static void
test_blob_ids(void **state)
{
    struct run r;
    (void)state;
    run(&r, "repo", NULL);
    assert_int_equal(r.rc, 0);
    char *id = sh_out("git -C '%s/repo' rev-parse HEAD:content/again.md", tmp);
    assert_string_equal(file(&r, "content/again.md")->blob_id, id);
    free(id);
    id = sh_out("git -C '%s/repo' hash-object content/new.md", tmp);
    assert_string_equal(file(&r, "content/new.md")->blob_id, id);
    free(id);
    id = sh_out("git -C '%s/repo' rev-parse HEAD", tmp);
    assert_string_equal(r.s.commit, id);
    free(id);
    done(&r);
}

/* A merge commit is diffed against its first parent: a post brought in by
 * the merge was added by the merge. */
static void
test_merge(void **state)
{
    struct run r;
    (void)state;
    run(&r, "merge", NULL);
    assert_int_equal(r.rc, 0);
    assert_ts(file(&r, "content/side.md")->created, M3);
    assert_string_equal(file(&r, "content/side.md")->author, "Ivy");
    assert_ts(file(&r, "content/base.md")->created, M1);
    assert_ts(file(&r, "content/base.md")->updated, M1);
    done(&r);
}

/* No repository: mtimes only; a ref there is an error. No commit yet: no
 * dates, everything dirty. */
static void
test_no_history(void **state)
{
    struct run r;
    (void)state;
    run(&r, "plain", NULL);
    assert_int_equal(r.rc, 0);
    assert_null(r.s.commit);
    assert_int_equal(r.s.nfiles, 1);
    assert_true(r.s.files[0].mtime.set);
    assert_false(r.s.files[0].created.set);
    assert_int_equal(r.s.files[0].len, strlen("no git here\n"));
    done(&r);

    run(&r, "plain", "HEAD");
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.d.len, 1);
    assert_int_equal(r.d.items[0].kind, DIAG_SYSTEM);
    done(&r);

    run(&r, "unborn", NULL);
    assert_int_equal(r.rc, 0);
    assert_null(r.s.commit);
    assert_int_equal(r.s.nfiles, 1);
    assert_true(r.s.files[0].dirty);
    assert_false(r.s.files[0].updated.set);
    done(&r);

    run(&r, "missing", NULL);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.d.items[0].kind, DIAG_SYSTEM);
    done(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_created_and_updated),
        cmocka_unit_test(test_renames),
        cmocka_unit_test(test_uncommitted),
        cmocka_unit_test(test_ref),
        cmocka_unit_test(test_what_is_read),
        cmocka_unit_test(test_shallow),
        cmocka_unit_test(test_subfolder),
        cmocka_unit_test(test_blob_ids),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_no_history),
    };
    return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
