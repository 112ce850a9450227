/* test_source.c: unit tests of source/, the first stage. Each group makes
 * real git repositories in a fresh temporary folder with the git command,
 * committing at fixed dates, then checks what source_open reads, and that
 * source_open_cached reads just that, whatever its cache holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/source/source.h"
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
/* The repository whose objects the fault tests break. */
#define O1 "2021-01-01T10:00:00+00:00"
#define O2 "2021-02-01T10:00:00+00:00"
/* The cache tests' repositories. */
#define K1 "2020-01-01T09:00:00+01:00"
#define K2 "2020-02-02T09:00:00+01:00"
#define K3 "2020-03-03T09:00:00-02:00"

static char tmp[] = "/tmp/gz-test-source-XXXXXX";
/* When setup made the cache tests' repositories: a file changed less than
 * 2 s before a scan may change again unseen, so the cache reads it again
 * the next time (see CACHE_RACY_NS); files older than that it trusts. */
static struct timespec made_at;

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

/* Reads tmp/rel (at ref, when not NULL) with files over max_bytes left
 * unread. */
static void
run_max(struct run *r, const char *rel, const char *ref, size_t max_bytes)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", tmp, rel);
    r->a = arena_new();
    diags_init(&r->d);
    r->rc = source_open(&r->s, dir, ref, max_bytes, r->a, &r->d);
}

static void
run(struct run *r, const char *rel, const char *ref)
{
    run_max(r, rel, ref, SIZE_MAX);
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
    put("repo/static/css/site.css", "body{}\n");
    put("repo/static/.well-known/x", "published as it is\n");
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

/* n letters in a fixed pseudo-random order: text that does not compress,
 * so that half its loose object still holds the object's header. The
 * caller frees. */
static char *
letters(size_t n, unsigned seed)
{
    char *s = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        s[i] = (char)('a' + (seed >> 16) % 26);
    }
    s[n] = '\0';
    return s;
}

/* "objs": O1 adds post.md and big.md (4096 bytes); O2 renames post.md to
 * moved.md with an edit, so that finding the rename reads both blobs.
 * big-new.md (5000 bytes) is left uncommitted. */
static void
make_objs(void)
{
    char *big = letters(4096, 1), *big_new = letters(5000, 2);
    sh("git init -q -b main '%s/objs'", tmp);
    put("objs/site.yaml", "title: objs\n");
    put("objs/content/post.md", "one\ntwo\nthree\nfour\nfive\n");
    put("objs/content/big.md", big);
    sh("git -C '%s/objs' add -A", tmp);
    commit("objs", O1, "Jo");
    sh("git -C '%s/objs' mv content/post.md content/moved.md", tmp);
    put("objs/content/moved.md", "one\ntwo\nthree\nfour\nfive\nsix\n");
    sh("git -C '%s/objs' add -A", tmp);
    commit("objs", O2, "Kim");
    put("objs/content/big-new.md", big_new);
    free(big);
    free(big_new);
}

/* A repository for the cache tests, tmp/name: two commits, then a new
 * file, an ignored one and a symlink left uncommitted. */
static void
make_cache_repo(const char *name)
{
    char rel[128];
    static const char *const files[][2] = {
        { "site.yaml", "title: cached\n" },
        { "content/a/one.md", "one\n" },
        { "content/a/two.md", "two, first\n" },
        { "content/b/three.md", "three\n" },
        { "content/old.md", "to be moved\n" },
        { "static/s.css", "body{}\n" },
        { "themes/t/templates/base.mustache", "{{x}}\n" },
        { ".gitignore", "*.tmp\n" },
    };
    sh("git init -q -b main '%s/%s'", tmp, name);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(rel, sizeof rel, "%s/%s", name, files[i][0]);
        put(rel, files[i][1]);
    }
    sh("git -C '%s/%s' add -A", tmp, name);
    commit(name, K1, "Ada");
    snprintf(rel, sizeof rel, "%s/content/a/two.md", name);
    put(rel, "two, second\n");
    sh("git -C '%s/%s' add -A", tmp, name);
    commit(name, K2, "Bob");
    snprintf(rel, sizeof rel, "%s/content/new.md", name);
    put(rel, "not committed\n");
    snprintf(rel, sizeof rel, "%s/content/skip.tmp", name);
    put(rel, "ignored\n");
    sh("ln -s ../site.yaml '%s/%s/content/link.md'", tmp, name);
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
    make_objs();
    static const char *const cache_repos[] = {
        "cache-eq", "cache-edit", "cache-files", "cache-head", "cache-bad",
        "cache-load", "cache-since", "cache-defer", "cache-untracked",
    };
    for (size_t i = 0; i < sizeof cache_repos / sizeof *cache_repos; i++)
        make_cache_repo(cache_repos[i]);
    for (int i = 0; i < 40; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "cache-defer/content/many/%02d.md", i);
        put(rel, "many\n");
    }
    put("cache-untracked/content/a/loose.md", "loose\n");
    clock_gettime(CLOCK_REALTIME, &made_at);
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

/* 2b. What a folder's entries can do between commits, as the walk reads
 * each version of a folder itself: a mode change is an update; a file that
 * was a symlink, and a folder that was a file, are new; a submodule beside
 * them changes nothing; a folder sorts as if its name ended in '/' (after
 * foo.txt, before foo0), so that a file deleted beside it is not taken for
 * the folder coming. */
static void
test_entry_kinds(void **state)
{
    static const char *const K[] = {
        "2023-05-01T10:00:00+00:00", "2023-05-02T10:00:00+00:00",
        "2023-05-03T10:00:00+00:00", "2023-05-04T10:00:00+00:00",
        "2023-05-05T10:00:00+00:00", "2023-05-06T10:00:00+00:00",
        "2023-05-07T10:00:00+00:00",
    };
    static const char *const names[] = { "a.md", "a-b.md", "b.md", "foo.md",
                                         "foo/in.md", "foo-x.md", "foo0.md",
                                         "foo.txt", "x" };
    char rel[256];
    (void)state;
    sh("git init -q -b main '%s/kinds'", tmp);
    put("kinds/site.yaml", "title: kinds\n");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(rel, sizeof rel, "kinds/content/c/%s", names[i]);
        put(rel, "text\n");
    }
    sh("git -C '%s/kinds' add -A", tmp);
    commit("kinds", K[0], "Ada");
    sh("chmod +x '%s/kinds/content/c/a.md' && git -C '%s/kinds' add -A", tmp,
       tmp);
    commit("kinds", K[1], "Bob");
    sh("cd '%s/kinds/content/c' && rm b.md && ln -s a.md b.md && "
       "git -C '%s/kinds' add -A", tmp, tmp);
    commit("kinds", K[2], "Cy");
    sh("rm '%s/kinds/content/c/b.md'", tmp);
    put("kinds/content/c/b.md", "a file again\n");
    sh("rm '%s/kinds/content/c/x'", tmp);
    put("kinds/content/c/x/y.md", "in a folder that was a file\n");
    sh("git -C '%s/kinds' add -A", tmp);
    commit("kinds", K[3], "Dee");
    put("kinds/content/c/foo/in.md", "changed\n");
    sh("git -C '%s/kinds' update-index --add --cacheinfo "
       "160000,$(git -C '%s/kinds' rev-parse HEAD),content/c/mod && "
       "git -C '%s/kinds' add content/c/foo/in.md", tmp, tmp, tmp);
    commit("kinds", K[4], "Eve");
    put("kinds/content/c/foo.md", "changed\n");
    sh("git -C '%s/kinds' rm -q --cached content/c/mod && "
       "git -C '%s/kinds' add content/c/foo.md", tmp, tmp);
    commit("kinds", K[5], "Fay");
    put("kinds/content/c/foo0.md", "changed\n");
    sh("git -C '%s/kinds' rm -q content/c/foo.txt && "
       "git -C '%s/kinds' add content/c/foo0.md", tmp, tmp);
    commit("kinds", K[6], "Gus");

    struct run r;
    run(&r, "kinds", NULL);
    assert_int_equal(r.rc, 0);
    static const struct {
        const char *path;
        int created, updated;
    } want[] = {
        { "content/c/a.md", 0, 1 },     { "content/c/a-b.md", 0, 0 },
        { "content/c/b.md", 3, 3 },     { "content/c/x/y.md", 3, 3 },
        { "content/c/foo/in.md", 0, 4 }, { "content/c/foo.md", 0, 5 },
        { "content/c/foo-x.md", 0, 0 }, { "content/c/foo0.md", 0, 6 },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const struct source_file *f = file(&r, want[i].path);
        assert_ts(f->created, K[want[i].created]);
        assert_ts(f->updated, K[want[i].updated]);
    }
    done(&r);
}

/* 2c. A folder of many files whose versions differ at the start, in the
 * middle and at the end: the walk steps over what two versions hold alike,
 * byte for byte, and must still see each change, wherever it is. */
static void
test_long_folder(void **state)
{
    static const char *const K[] = {
        "2023-06-01T10:00:00+00:00", "2023-06-02T10:00:00+00:00",
        "2023-06-03T10:00:00+00:00", "2023-06-04T10:00:00+00:00",
        "2023-06-05T10:00:00+00:00", "2023-06-06T10:00:00+00:00",
        "2023-06-07T10:00:00+00:00", "2023-06-08T10:00:00+00:00",
    };
    /* What each commit does, after the first adds p000.md to p299.md. */
    static const char *const steps[] = {
        "echo 1 >> p000.md",
        "echo 2 >> p150.md",
        "echo 3 >> p299.md",
        "echo 4 > p150a.md",
        "rm p100.md && chmod +x p101.md",
        "mkdir p200 && echo 6 > p200/in.md && echo 6 >> p201.md",
        "echo 7 >> p150.md && echo 7 >> p002.md",
    };
    char rel[64];
    (void)state;
    sh("git init -q -b main '%s/long'", tmp);
    put("long/site.yaml", "title: long\n");
    for (int i = 0; i < 300; i++) {
        snprintf(rel, sizeof rel, "long/content/c/p%03d.md", i);
        put(rel, "text\n");
    }
    sh("git -C '%s/long' add -A", tmp);
    commit("long", K[0], "Ada");
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        sh("cd '%s/long/content/c' && %s && git -C '%s/long' add -A", tmp,
           steps[i], tmp);
        commit("long", K[i + 1], "Bob");
    }

    struct run r;
    run(&r, "long", NULL);
    assert_int_equal(r.rc, 0);
    static const struct {
        const char *path;
        int created, updated;
    } want[] = {
        { "content/c/p000.md", 0, 1 },   { "content/c/p001.md", 0, 0 },
        { "content/c/p002.md", 0, 7 },   { "content/c/p149.md", 0, 0 },
        { "content/c/p150.md", 0, 7 },   { "content/c/p150a.md", 4, 4 },
        { "content/c/p151.md", 0, 0 },   { "content/c/p101.md", 0, 5 },
        { "content/c/p200.md", 0, 0 },   { "content/c/p200/in.md", 6, 6 },
        { "content/c/p201.md", 0, 6 },   { "content/c/p298.md", 0, 0 },
        { "content/c/p299.md", 0, 3 },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const struct source_file *f = file(&r, want[i].path);
        assert_ts(f->created, K[want[i].created]);
        assert_ts(f->updated, K[want[i].updated]);
    }
    assert_null(source_find(&r.s, "content/c/p100.md"));
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
    /* the three symlinks of the fixture are said to be left out */
    assert_int_equal(r.d.len, 3);
    for (size_t i = 0; i < r.d.len; i++) {
        assert_int_equal(r.d.items[i].kind, DIAG_WARNING);
        assert_non_null(strstr(r.d.items[i].msg, "a symlink, left out"));
    }
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

/* 5. Only site.yaml, content/, static/ and themes/; no dot-files (but in
 * static/, published as it is), ignored files nor symlinks; tracked files
 * are read even when an ignore rule matches. */
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
        "static/.well-known/x",
        "static/css/site.css",
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

/* Files over max_bytes are listed with their size and blob id, unread;
 * one of exactly max_bytes is read. */
static void
test_size_cap(void **state)
{
    struct run r;
    (void)state;
    char *big = sh_out("git -C '%s/objs' rev-parse HEAD:content/big.md", tmp);
    char *big_new =
        sh_out("git -C '%s/objs' hash-object content/big-new.md", tmp);
    for (int mode = 0; mode < 2; mode++) {
        run_max(&r, "objs", mode ? "HEAD" : NULL, 4095);
        assert_int_equal(r.rc, 0);
        const struct source_file *f = file(&r, "content/big.md");
        assert_true(f->too_big);
        assert_null(f->data);
        assert_int_equal(f->len, 0);
        assert_int_equal(f->size, 4096);
        assert_string_equal(f->blob_id, big);
        assert_false(f->dirty);
        assert_ts(f->created, O1);
        f = file(&r, "content/moved.md");
        assert_false(f->too_big);
        assert_string_equal(f->data, "one\ntwo\nthree\nfour\nfive\nsix\n");
        assert_int_equal(f->size, f->len);
        assert_ts(f->created, O1);
        assert_ts(f->updated, O2);
        done(&r);

        run_max(&r, "objs", mode ? "HEAD" : NULL, 4096);
        f = file(&r, "content/big.md");
        assert_false(f->too_big);
        assert_int_equal(f->len, 4096);
        assert_int_equal(f->size, 4096);
        assert_int_equal(strlen(f->data), 4096);
        done(&r);
    }
    /* Uncommitted: its id hashed from the file in pieces. */
    run_max(&r, "objs", NULL, 4096);
    const struct source_file *f = file(&r, "content/big-new.md");
    assert_true(f->too_big);
    assert_null(f->data);
    assert_int_equal(f->size, 5000);
    assert_string_equal(f->blob_id, big_new);
    assert_true(f->dirty);
    assert_true(f->mtime.set);
    assert_false(f->created.set);
    for (size_t i = 0; i < r.s.nfiles; i++)
        assert_true(r.s.files[i].too_big ||
                    r.s.files[i].size == r.s.files[i].len);
    done(&r);
    free(big);
    free(big_new);
}

/* Only the files gazette parses are bounded: Markdown of content/,
 * templates, site.yaml. Those it publishes as they are (static/, a post's
 * pictures, theme assets) are read whatever their size, in both modes. */
static void
test_published_files(void **state)
{
    static const char *const big[] = {
        "content/a/pic.png", "static/big.bin", "themes/t/assets/big.css",
        "content/a/post.md", "content/a/more.markdown",
        "themes/t/templates/base.mustache", "site.yaml",
    };
    struct run r;
    (void)state;
    char *text = letters(5000, 3);
    sh("git init -q -b main '%s/pub'", tmp);
    for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "pub/%s", big[i]);
        put(rel, text);
    }
    sh("git -C '%s/pub' add -A", tmp);
    commit("pub", O1, "Lu");
    for (int mode = 0; mode < 2; mode++) {
        run_max(&r, "pub", mode ? "HEAD" : NULL, 4096);
        assert_int_equal(r.rc, 0);
        for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
            const struct source_file *f = file(&r, big[i]);
            assert_int_equal(f->size, 5000);
            assert_int_equal(f->too_big, i >= 3);
            assert_true(source_bounded(big[i]) == (i >= 3));
            if (i < 3)
                assert_memory_equal(f->data, text, 5000);
        }
        done(&r);
    }
    assert_false(source_bounded("content/a.md/x.png"));
    assert_false(source_bounded("static/x.md"));
    free(text);
}

/* Waits until the cache tests' files are old enough for a cache to trust
 * them (2 s, and a little more, after setup made them). */
static void
wait_old(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double age = (double)(now.tv_sec - made_at.tv_sec) +
                 (double)(now.tv_nsec - made_at.tv_nsec) / 1e9;
    if (age < 2.3)
        usleep((useconds_t)((2.3 - age) * 1e6));
}

/* Opens (and makes) the cache folder tmp/name. */
static int
cache_dir(const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", path, strerror(errno));
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

/* Reads tmp/rel (at ref, when not NULL) with the cache folder tmp/cache
 * (none when cache is NULL). */
static void
run_cached(struct run *r, const char *rel, const char *ref, const char *cache)
{
    char dir[PATH_MAX];
    int fd = cache ? cache_dir(cache) : -1;
    snprintf(dir, sizeof dir, "%s/%s", tmp, rel);
    r->a = arena_new();
    diags_init(&r->d);
    r->rc = source_open_cached(&r->s, dir, ref, SIZE_MAX, fd, r->a, &r->d);
    if (fd >= 0)
        close(fd);
}

static void
check_same_ts(struct timestamp a, struct timestamp b, const char *path,
              const char *what)
{
    if (a.set != b.set || (a.set && (a.secs != b.secs ||
                                     a.offset_min != b.offset_min)))
        fail_msg("%s: %s differs from source_open's", path, what);
}

/* Fails unless the cached read c is the plain read p, but for the data of
 * the files c left unread. */
static void
assert_same_source(const struct run *c, const struct run *p)
{
    assert_int_equal(c->rc, p->rc);
    assert_int_equal(c->d.len, p->d.len);
    for (size_t i = 0; i < c->d.len; i++) {
        assert_int_equal(c->d.items[i].kind, p->d.items[i].kind);
        assert_string_equal(c->d.items[i].msg, p->d.items[i].msg);
    }
    if (p->rc < 0)
        return;
    assert_string_equal(c->s.root, p->s.root);
    assert_true(!c->s.commit == !p->s.commit);
    if (p->s.commit)
        assert_string_equal(c->s.commit, p->s.commit);
    assert_int_equal(c->s.from_ref, p->s.from_ref);
    assert_int_equal(c->s.shallow, p->s.shallow);
    assert_int_equal(c->s.nfiles, p->s.nfiles);
    for (size_t i = 0; i < p->s.nfiles; i++) {
        const struct source_file *f = &c->s.files[i], *g = &p->s.files[i];
        assert_string_equal(f->path, g->path);
        if (strcmp(f->blob_id, g->blob_id) != 0)
            fail_msg("%s: blob id %s, source_open's %s", f->path, f->blob_id,
                     g->blob_id);
        assert_int_equal(f->size, g->size);
        assert_int_equal(f->too_big, g->too_big);
        assert_int_equal(f->dirty, g->dirty);
        check_same_ts(f->created, g->created, f->path, "created");
        check_same_ts(f->updated, g->updated, f->path, "updated");
        check_same_ts(f->mtime, g->mtime, f->path, "mtime");
        assert_true(!f->author == !g->author);
        if (g->author)
            assert_string_equal(f->author, g->author);
        assert_false(g->unread);
        if (f->unread) {
            assert_null(f->data);
            assert_int_equal(f->len, 0);
            assert_false(f->too_big);
            continue;
        }
        assert_int_equal(f->len, g->len);
        assert_true(!f->data == !g->data);
        if (g->data)
            assert_memory_equal(f->data, g->data, g->len + 1);
    }
}

/* Reads tmp/rel at ref both ways, with the cache folder tmp/cache, checks
 * that the results are the same and returns how many files the cached
 * read left unread. */
static size_t
check_cached(const char *rel, const char *ref, const char *cache)
{
    struct run c, p;
    size_t unread = 0;
    run_cached(&c, rel, ref, cache);
    run(&p, rel, ref);
    assert_same_source(&c, &p);
    for (size_t i = 0; i < c.s.nfiles; i++)
        unread += c.s.files[i].unread;
    done(&p);
    done(&c);
    return unread;
}

/* Whether the cached read of tmp/rel left the file path unread. */
static bool
left_unread(const char *rel, const char *cache, const char *path)
{
    struct run c;
    run_cached(&c, rel, NULL, cache);
    assert_int_equal(c.rc, 0);
    bool unread = file(&c, path)->unread;
    done(&c);
    return unread;
}

/* The cached read is the plain one, cache or not, in both modes: from
 * the working tree, files the cache knows are left unread (but for
 * site.yaml and themes/, always read); with a ref, none. A cache made by
 * one mode serves the other. */
static void
test_cache_same_result(void **state)
{
    (void)state;
    wait_old();
    /* The first read makes the cache, the second one uses it. */
    assert_int_equal(check_cached("cache-eq", NULL, "cache-eq.c"), 0);
    size_t unread = check_cached("cache-eq", NULL, "cache-eq.c");
    /* one, two, three, old, new (content/) and s.css (static/) */
    assert_int_equal(unread, 6);
    assert_true(left_unread("cache-eq", "cache-eq.c", "content/a/one.md"));
    assert_false(left_unread("cache-eq", "cache-eq.c", "site.yaml"));
    assert_false(left_unread("cache-eq", "cache-eq.c",
                             "themes/t/templates/base.mustache"));
    for (int i = 0; i < 2; i++) {
        assert_int_equal(check_cached("cache-eq", "HEAD~1", "cache-eq.c"), 0);
        assert_int_equal(check_cached("cache-eq", "HEAD", "cache-eq.c"), 0);
    }
    assert_int_equal(check_cached("cache-eq", NULL, "cache-eq.c"), 6);
    /* Another site's cache is no use, and no harm: the folder then holds
     * the cache of the site read last. */
    assert_int_equal(check_cached("repo", NULL, "cache-eq.c"), 0);
    assert_true(check_cached("repo", NULL, "cache-eq.c") > 0);
    assert_int_equal(check_cached("cache-eq", NULL, "cache-eq.c"), 0);
}

/* A file rewritten after the cache was made, with bytes of the same size
 * and its mtime put back as it was (ctime tells), is read again; and so
 * is it the next time, as it changed less than 2 s before the last
 * scan. */
static void
test_cache_edit(void **state)
{
    struct stat st;
    char path[PATH_MAX];
    (void)state;
    wait_old();
    snprintf(path, sizeof path, "%s/cache-edit/content/a/one.md", tmp);
    check_cached("cache-edit", NULL, "cache-edit.c");
    assert_true(left_unread("cache-edit", "cache-edit.c",
                            "content/a/one.md"));
    assert_int_equal(stat(path, &st), 0);
    put("cache-edit/content/a/one.md", "ONE\n");
    struct timespec times[2] = { st.st_atim, st.st_mtim };
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    struct stat now;
    assert_int_equal(stat(path, &now), 0);
    assert_int_equal(now.st_size, st.st_size);
    assert_int_equal(now.st_mtim.tv_sec, st.st_mtim.tv_sec);
    assert_int_equal(now.st_mtim.tv_nsec, st.st_mtim.tv_nsec);

    struct run c;
    run_cached(&c, "cache-edit", NULL, "cache-edit.c");
    const struct source_file *f = file(&c, "content/a/one.md");
    assert_false(f->unread);
    assert_string_equal(f->data, "ONE\n");
    char *id = sh_out("git -C '%s/cache-edit' hash-object content/a/one.md",
                      tmp);
    assert_string_equal(f->blob_id, id);
    assert_true(f->dirty);
    free(id);
    done(&c);
    /* Changed within 2 s of the scan that cached it: read again. */
    assert_false(left_unread("cache-edit", "cache-edit.c",
                             "content/a/one.md"));
    check_cached("cache-edit", NULL, "cache-edit.c");
}

/* The inode of the cache folder tmp/name's cache file. */
static ino_t
cache_file(const char *name)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s/source", tmp, name);
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/* A file edited since the cache was written is read again, and the cache
 * is not written again for it until more than 32 are so: a writer saving
 * a post costs the next build a read of it, not a new cache. */
static void
test_cache_defers_save(void **state)
{
    (void)state;
    wait_old();
    check_cached("cache-defer", NULL, "cache-defer.c");
    ino_t written = cache_file("cache-defer.c");
    put("cache-defer/content/a/one.md", "one, edited\n");
    for (int i = 0; i < 2; i++) {
        /* 40 many/, two, three, old, new and s.css unread */
        assert_int_equal(check_cached("cache-defer", NULL, "cache-defer.c"), 45);
        assert_false(left_unread("cache-defer", "cache-defer.c",
                                 "content/a/one.md"));
        assert_true(cache_file("cache-defer.c") == written);
    }
    for (int i = 0; i < 32; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "cache-defer/content/many/%02d.md", i);
        put(rel, "many, edited\n");
    }
    /* 33 files edited: the cache is written, and the files read */
    assert_int_equal(check_cached("cache-defer", NULL, "cache-defer.c"), 13);
    assert_true(cache_file("cache-defer.c") != written);
}

/* An untracked file is known to be so from the cache while the index is
 * as the cache saw it (the index is then not read at all); an edit of it,
 * a rule that ignores it and a git add are each seen at once. */
static void
test_cache_untracked(void **state)
{
    (void)state;
    wait_old();
    const char *loose = "content/a/loose.md";
    check_cached("cache-untracked", NULL, "cache-untracked.c");
    check_cached("cache-untracked", NULL, "cache-untracked.c");
    put("cache-untracked/content/a/loose.md", "loose, edited\n");
    check_cached("cache-untracked", NULL, "cache-untracked.c");
    struct run c;
    run_cached(&c, "cache-untracked", NULL, "cache-untracked.c");
    assert_string_equal(file(&c, loose)->data, "loose, edited\n");
    done(&c);
    put("cache-untracked/.gitignore", "loose.md\n");
    check_cached("cache-untracked", NULL, "cache-untracked.c");
    run_cached(&c, "cache-untracked", NULL, "cache-untracked.c");
    assert_null(source_find(&c.s, loose));
    done(&c);
    sh("cd '%s/cache-untracked' && rm .gitignore && git add %s", tmp, loose);
    check_cached("cache-untracked", NULL, "cache-untracked.c");
    run_cached(&c, "cache-untracked", NULL, "cache-untracked.c");
    assert_non_null(source_find(&c.s, loose));
    done(&c);
}

/* New, removed and renamed files (uncommitted) are seen as they are. */
static void
test_cache_files(void **state)
{
    (void)state;
    wait_old();
    check_cached("cache-files", NULL, "cache-files.c");
    assert_int_equal(check_cached("cache-files", NULL, "cache-files.c"), 6);
    put("cache-files/content/b/four.md", "four\n");
    sh("cd '%s/cache-files' && rm content/b/three.md && "
       "mv content/old.md content/b/moved.md",
       tmp);
    /* one, two, new and s.css still unread; four and moved read */
    assert_int_equal(check_cached("cache-files", NULL, "cache-files.c"), 4);
    struct run c;
    run_cached(&c, "cache-files", NULL, "cache-files.c");
    assert_null(source_find(&c.s, "content/b/three.md"));
    assert_null(source_find(&c.s, "content/old.md"));
    assert_true(file(&c, "content/b/moved.md")->dirty);
    assert_false(file(&c, "content/b/moved.md")->created.set);
    assert_true(file(&c, "content/b/four.md")->dirty);
    done(&c);
}

/* A commit moves HEAD: the dates are those of the new history. */
static void
test_cache_head_moved(void **state)
{
    (void)state;
    wait_old();
    check_cached("cache-head", NULL, "cache-head.c");
    check_cached("cache-head", NULL, "cache-head.c");
    put("cache-head/content/a/two.md", "two, third\n");
    sh("git -C '%s/cache-head' add -A", tmp);
    commit("cache-head", K3, "Cy");
    check_cached("cache-head", NULL, "cache-head.c");
    struct run c;
    run_cached(&c, "cache-head", NULL, "cache-head.c");
    assert_ts(file(&c, "content/a/two.md")->updated, K3);
    assert_ts(file(&c, "content/a/two.md")->created, K1);
    assert_false(file(&c, "content/a/two.md")->dirty);
    assert_ts(file(&c, "content/new.md")->created, K3);
    assert_string_equal(file(&c, "content/new.md")->author, "Cy");
    assert_false(file(&c, "content/new.md")->dirty);
    done(&c);
    /* The old HEAD's record still serves a ref. */
    check_cached("cache-head", "HEAD~1", "cache-head.c");
    check_cached("cache-head", "HEAD~1", "cache-head.c");
}

/* A walk that meets a commit the cache has the dates of stops there, and
 * gives what a whole walk gives: after a rename, a delete and a re-add,
 * also when HEAD moved off that commit's line (then it walks on). */
static void
test_cache_since(void **state)
{
    (void)state;
    wait_old();
    check_cached("cache-since", NULL, "cache-since.c");
    sh("cd '%s/cache-since' && git mv content/old.md content/b/new-name.md "
       "&& git rm -q content/b/three.md && git add -A",
       tmp);
    commit("cache-since", K3, "Cy");
    check_cached("cache-since", NULL, "cache-since.c");
    struct run c;
    run_cached(&c, "cache-since", NULL, "cache-since.c");
    assert_ts(file(&c, "content/b/new-name.md")->created, K1);
    assert_ts(file(&c, "content/b/new-name.md")->updated, K3);
    assert_string_equal(file(&c, "content/b/new-name.md")->author, "Ada");
    assert_ts(file(&c, "content/new.md")->created, K3);
    done(&c);
    /* Back, then another way: the cached commit is off the new line. */
    sh("git -C '%s/cache-since' reset -q --hard HEAD~1", tmp);
    put("cache-since/content/b/three.md", "three, again\n");
    sh("git -C '%s/cache-since' add -A", tmp);
    commit("cache-since", K3, "Dee");
    check_cached("cache-since", NULL, "cache-since.c");
    check_cached("cache-since", "HEAD~1", "cache-since.c");
    check_cached("cache-since", "HEAD", "cache-since.c");
    run_cached(&c, "cache-since", NULL, "cache-since.c");
    assert_ts(file(&c, "content/b/three.md")->created, K1);
    assert_ts(file(&c, "content/b/three.md")->updated, K3);
    done(&c);
    /* Proof that it stops: with the first commit's objects gone, a whole
     * walk fails, and one that stops at the cached HEAD~1 does not. */
    put("cache-since/content/a/one.md", "one, changed\n");
    sh("git -C '%s/cache-since' add -A", tmp);
    commit("cache-since", K3, "Eve");
    char *root = sh_out("git -C '%s/cache-since' rev-list --max-parents=0 "
                        "HEAD",
                        tmp);
    sh("rm '%s/cache-since/.git/objects/%.2s/%s'", tmp, root, root + 2);
    free(root);
    struct run p;
    run(&p, "cache-since", NULL);
    assert_int_equal(p.rc, -1);
    done(&p);
    run_cached(&c, "cache-since", NULL, "cache-since.c");
    assert_int_equal(c.rc, 0);
    assert_ts(file(&c, "content/a/one.md")->updated, K3);
    assert_ts(file(&c, "content/a/one.md")->created, K1);
    assert_string_equal(file(&c, "content/a/one.md")->author, "Ada");
    done(&c);
}

/* Ways a cache file can be wrong. */
enum spoil { FLIP, HALF_FILE, FOREIGN, LINK_OUT, LINK_GOOD, FIFO, NSPOIL };

/* Spoils the cache file of tmp/cache-bad.c one way. */
static void
spoil_cache(enum spoil how)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/cache-bad.c/source", tmp);
    assert_int_equal(stat(path, &st), 0);
    switch (how) {
    case FLIP: {
        FILE *f = fopen(path, "r+");
        assert_non_null(f);
        fseek(f, st.st_size / 2, SEEK_SET);
        int c = fgetc(f);
        fseek(f, st.st_size / 2, SEEK_SET);
        fputc(c ^ 0x20, f);
        fclose(f);
        break;
    }
    case HALF_FILE:
        assert_int_equal(truncate(path, st.st_size / 2), 0);
        break;
    case FOREIGN:
        /* The version string, same length, another version. */
        sh("sed -i 's/%s/9.9.9/' '%s'", GZ_VERSION, path);
        break;
    case LINK_OUT:
        put("victim", "not gazette's\n");
        sh("rm '%s' && ln -s ../victim '%s'", path, path);
        break;
    case LINK_GOOD:
        sh("cp '%s' '%s/good-cache' && rm '%s' && ln -s ../good-cache '%s'",
           path, tmp, path, path);
        break;
    case FIFO:
        sh("rm '%s' && mkfifo '%s'", path, path);
        break;
    case NSPOIL:
        break;
    }
}

/* A cache file that is damaged, cut short, from another version, a
 * symlink (wherever it points) or a FIFO is ignored, never followed nor
 * written through, and made anew. */
static void
test_cache_bad_file(void **state)
{
    char path[PATH_MAX];
    struct stat st;
    (void)state;
    wait_old();
    snprintf(path, sizeof path, "%s/cache-bad.c/source", tmp);
    for (int how = 0; how < NSPOIL; how++) {
        check_cached("cache-bad", NULL, "cache-bad.c");
        assert_int_equal(check_cached("cache-bad", NULL, "cache-bad.c"), 6);
        spoil_cache((enum spoil)how);
        if (check_cached("cache-bad", NULL, "cache-bad.c") != 0)
            fail_msg("spoil %d: the cache was used", how);
        assert_int_equal(lstat(path, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(check_cached("cache-bad", NULL, "cache-bad.c"), 6);
    }
    char *victim = sh_out("cat '%s/victim'", tmp);
    assert_string_equal(victim, "not gazette's");
    free(victim);
}

/* No cache folder: source_open itself, every file read. */
static void
test_cache_none(void **state)
{
    (void)state;
    assert_int_equal(check_cached("cache-eq", NULL, NULL), 0);
    assert_int_equal(check_cached("cache-eq", "HEAD", NULL), 0);
    assert_int_equal(check_cached("repo", NULL, NULL), 0);
}

/* source_load reads an unread file as it is now: one unchanged, one
 * changed since; others are left alone; a file gone is an error naming
 * it. */
static void
test_source_load(void **state)
{
    struct run c;
    (void)state;
    wait_old();
    check_cached("cache-load", NULL, "cache-load.c");
    run_cached(&c, "cache-load", NULL, "cache-load.c");
    assert_int_equal(c.rc, 0);
    struct source_file *one = (struct source_file *)file(&c,
                                                         "content/a/one.md");
    struct source_file *three =
        (struct source_file *)file(&c, "content/b/three.md");
    struct source_file *site = (struct source_file *)file(&c, "site.yaml");
    struct source_file *old = (struct source_file *)file(&c,
                                                         "content/old.md");
    assert_true(one->unread && three->unread && old->unread);
    char id[41];
    memcpy(id, one->blob_id, sizeof id);
    assert_int_equal(source_load(&c.s, one, c.a, &c.d), 0);
    assert_false(one->unread);
    assert_string_equal(one->data, "one\n");
    assert_int_equal(one->len, 4);
    assert_int_equal(one->size, 4);
    assert_string_equal(one->blob_id, id);

    put("cache-load/content/b/three.md", "three, and longer now\n");
    assert_int_equal(source_load(&c.s, three, c.a, &c.d), 0);
    assert_string_equal(three->data, "three, and longer now\n");
    assert_int_equal(three->len, strlen("three, and longer now\n"));
    assert_int_equal(three->size, three->len);
    char *want = sh_out("git -C '%s/cache-load' hash-object "
                        "content/b/three.md",
                        tmp);
    assert_string_equal(three->blob_id, want);
    free(want);

    const char *data = site->data;
    assert_int_equal(source_load(&c.s, site, c.a, &c.d), 0);
    assert_ptr_equal(site->data, data);

    sh("rm '%s/cache-load/content/old.md'", tmp);
    assert_int_equal(source_load(&c.s, old, c.a, &c.d), -1);
    assert_true(old->unread);
    assert_int_equal(c.d.items[c.d.len - 1].kind, DIAG_SYSTEM);
    assert_string_equal(c.d.items[c.d.len - 1].path, "content/old.md");
    done(&c);
}

/* The one diag of a failed read must be a DIAG_SYSTEM saying want. */
static void
check_fault(struct run *r, const char *want)
{
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->d.len, 1);
    assert_int_equal(r->d.items[0].kind, DIAG_SYSTEM);
    if (!strstr(r->d.items[0].msg, want))
        fail_msg("\"%s\" does not say \"%s\"", r->d.items[0].msg, want);
}

/* A .git without HEAD is a fault, not "no repository", also where git
 * would pass over it to a repository above; so is a HEAD of garbage. A
 * HEAD on a branch with no commit yet is no fault. */
static void
test_bad_head(void **state)
{
    struct run r;
    (void)state;
    sh("cp -a '%s/objs' '%s/nohead' && rm '%s/nohead/.git/HEAD'", tmp, tmp,
       tmp);
    for (int mode = 0; mode < 2; mode++) {
        run(&r, "nohead", mode ? "HEAD" : NULL);
        check_fault(&r, "nohead/.git\" is not a usable git repository: it "
                        "has no HEAD");
        done(&r);
    }
    sh("git init -q '%s/outer' && cp -a '%s/nohead' '%s/outer/site'", tmp,
       tmp, tmp);
    run(&r, "outer/site", NULL);
    check_fault(&r, "outer/site/.git\" is not a usable git repository");
    done(&r);

    sh("cp -a '%s/objs' '%s/garbled' && echo garbage >'%s/garbled/.git/HEAD'",
       tmp, tmp, tmp);
    run(&r, "garbled", NULL);
    check_fault(&r, "cannot read HEAD in \"");
    done(&r);

    sh("cp -a '%s/objs' '%s/orphan' && "
       "git -C '%s/orphan' symbolic-ref HEAD refs/heads/fresh",
       tmp, tmp, tmp);
    run(&r, "orphan", NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.d.len, 0);
    assert_null(r.s.commit);
    const struct source_file *f = file(&r, "content/moved.md");
    assert_true(f->dirty);
    assert_true(f->mtime.set);
    assert_false(f->created.set);
    done(&r);
}

/* A repository owned by another user: refused (as git does), with the
 * command that trusts it; that command works. Needs root to chown. */
static void
test_owner(void **state)
{
    struct run r;
    char want[PATH_MAX + 64];
    (void)state;
    if (geteuid() != 0)
        skip();
    sh("cp -a '%s/objs' '%s/owned' && chown -R 12345 '%s/owned/.git'", tmp,
       tmp, tmp);
    char *real = sh_out("cd '%s/owned' && pwd -P", tmp);
    snprintf(want, sizeof want,
             "run: git config --global --add safe.directory %s", real);
    /* safe.directory set nowhere: libgit2 1.5.1 says GIT_ENOTFOUND. */
    run(&r, "owned", NULL);
    check_fault(&r, want);
    check_fault(&r, "is owned by another user");
    done(&r);
    /* Set, to another folder: GIT_EOWNER. */
    sh("git config --global --add safe.directory /elsewhere");
    run(&r, "owned", "HEAD");
    check_fault(&r, want);
    done(&r);
    sh("git config --global --add safe.directory '%s'", real);
    run(&r, "owned", NULL);
    assert_int_equal(r.rc, 0);
    assert_non_null(r.s.commit);
    assert_ts(file(&r, "content/moved.md")->updated, O2);
    done(&r);
    sh("git config --global --unset-all safe.directory");
    free(real);
}

/* A channel folder's tree of an older commit whose last entry's id is
 * cut short (its zlib stream whole): the walk, which reads such folders
 * itself, fails as libgit2 would, naming the tree and what is wrong. */
static void
test_malformed_folder(void **state)
{
    (void)state;
    sh("git init -q -b main '%s/cut'", tmp);
    put("cut/site.yaml", "title: cut\n");
    put("cut/content/c/a.md", "a\n");
    sh("git -C '%s/cut' add -A", tmp);
    commit("cut", C1, "Ada");
    put("cut/content/c/b.md", "b\n");
    sh("git -C '%s/cut' add -A", tmp);
    commit("cut", C2, "Bob");
    char *id = sh_out("git -C '%s/cut' rev-parse HEAD~1:content/c", tmp);
    *strchrnul(id, '\n') = '\0';
    sh("cd '%s/cut/.git/objects' && chmod u+w %.2s/%s && python3 -c '"
       "import sys, zlib; b = b\"100644 a.md\\0\" + bytes(7); "
       "sys.stdout.buffer.write(zlib.compress(b\"tree %%d\\0\" %% len(b) + b))"
       "' > %.2s/%s", tmp, id, id + 2, id, id + 2);
    struct run r;
    run(&r, "cut", NULL);
    char *want = NULL;
    assert_true(asprintf(&want, "tree %s (content/c/)", id) > 0);
    check_fault(&r, want);
    check_fault(&r, "a malformed tree entry: an id cut short");
    free(want);
    free(id);
    done(&r);
}

/* How a fault test breaks a loose object. */
enum damage { HALF, EMPTY, GARBAGE };

/* One read of a copy of "objs" with one loose object broken. */
struct corrupt_case {
    const char *name;   /* also the copy's folder */
    const char *object; /* as git rev-parse names it */
    enum damage damage;
    const char *ref; /* NULL: the working tree */
    size_t max_bytes;
    int status;       /* the exit status wanted: 0, or 3 naming the object */
    const char *says; /* and this, when 3 */
};

#define BLOB "HEAD:content/moved.md"
#define STALL "no progress in 8 s"
static const struct corrupt_case corrupt_cases[] = {
    /* Truncated: libgit2 1.5 loops forever; the watchdog ends it. */
    { "blob-half-ref", BLOB, HALF, "HEAD", SIZE_MAX, 3, STALL },
    { "blob-half-wt", BLOB, HALF, NULL, SIZE_MAX, 3, "compared for renames" },
    { "tree-half-wt", "HEAD:content", HALF, NULL, SIZE_MAX, 3, STALL },
    { "commit-half-ref", "HEAD", HALF, "HEAD", SIZE_MAX, 3, STALL },
    { "parent-half-wt", "HEAD~1", HALF, NULL, SIZE_MAX, 3, STALL },
    /* Empty or garbage: libgit2 says so, in a diag naming the object. */
    { "blob-empty-ref", BLOB, EMPTY, "HEAD", SIZE_MAX, 3, "cannot read blob" },
    { "blob-garbage-ref", BLOB, GARBAGE, "HEAD", SIZE_MAX, 3, "moved.md" },
    { "blob-empty-wt", BLOB, EMPTY, NULL, SIZE_MAX, 3, "reading the history" },
    { "blob-garbage-wt", BLOB, GARBAGE, NULL, SIZE_MAX, 3, "moved.md" },
    { "tree-empty-ref", "HEAD:content", EMPTY, "HEAD", SIZE_MAX, 3,
      "cannot read tree" },
    { "commit-garbage-wt", "HEAD", GARBAGE, NULL, SIZE_MAX, 3,
      "cannot read object" },
    { "parent-empty-ref", "HEAD~1", EMPTY, "HEAD", SIZE_MAX, 3,
      "reading the history" },
    /* Too big: only the header is read, so the truncation goes unseen;
     * the working tree never needs the blob. */
    { "big-half-ref", "HEAD:content/big.md", HALF, "HEAD", 4095, 0, NULL },
    { "big-half-wt", "HEAD:content/big.md", HALF, NULL, SIZE_MAX, 0, NULL },
};
#define NCORRUPT (sizeof corrupt_cases / sizeof *corrupt_cases)
/* Kills a child that the watchdog failed to end. */
#define CHILD_ALARM 12

/* Breaks the loose object id in the case's copy of "objs". */
static void
break_object(const struct corrupt_case *c, const char *id)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s/.git/objects/%.2s/%s", tmp, c->name,
             id, id + 2);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(chmod(path, 0644), 0);
    if (c->damage == GARBAGE) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("this is no zlib stream, nor any object\n", f);
        fclose(f);
    } else {
        assert_int_equal(truncate(path, c->damage == HALF ? st.st_size / 2
                                                           : 0), 0);
    }
}

/* Copies "objs" for each case and breaks its object, with one git and one
 * cp command in all (each command costs time); sets ids[i] to case i's
 * object id, in one malloc'd block at ids[0]. */
static void
break_objects(char **ids)
{
    struct buf names = BUF_INIT, specs = BUF_INIT;
    for (size_t i = 0; i < NCORRUPT; i++) {
        buf_printf(&names, " '%s'", corrupt_cases[i].name);
        buf_printf(&specs, " '%s'", corrupt_cases[i].object);
    }
    sh("cd '%s' && for n in%s; do cp -a objs \"$n\" || exit; done", tmp,
       names.data);
    char *all = sh_out("git -C '%s/objs' rev-parse%s", tmp, specs.data);
    for (size_t i = 0; i < NCORRUPT; i++) {
        ids[i] = i ? strchr(ids[i - 1], '\n') + 1 : all;
        assert_true(i + 1 == NCORRUPT || strchr(ids[i], '\n'));
    }
    for (size_t i = 0; i < NCORRUPT; i++) {
        *strchrnul(ids[i], '\n') = '\0';
        break_object(&corrupt_cases[i], ids[i]);
    }
    buf_dispose(&names);
    buf_dispose(&specs);
}

/* In a child process: reads the case's copy, printing diags to its .err
 * file, and exits as gazette would: 0, or the worst diag's status. */
static void
read_in_child(const struct corrupt_case *c)
{
    char path[PATH_MAX];
    struct run r;
    snprintf(path, sizeof path, "%s/%s.err", tmp, c->name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
        _exit(99);
    alarm(CHILD_ALARM);
    run_max(&r, c->name, c->ref, c->max_bytes);
    diags_print(&r.d, stderr);
    fflush(stderr);
    _exit(r.rc < 0 ? diags_exit_status(&r.d) : 0);
}

static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Checks how case c's child ended (status from wait, after took s). */
static void
check_child(const struct corrupt_case *c, const char *id, int status,
            double took)
{
    char path[PATH_MAX], said[4096] = "";
    snprintf(path, sizeof path, "%s/%s.err", tmp, c->name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    said[fread(said, 1, sizeof said - 1, f)] = '\0';
    fclose(f);
    said[strcspn(said, "\n")] = '\0';
    printf("# %s: %.2f s: %s\n", c->name, took, said);
    if (WIFSIGNALED(status))
        fail_msg("%s: killed by signal %d after %.1f s (the watchdog did "
                 "not end it)",
                 c->name, WTERMSIG(status), took);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != c->status)
        fail_msg("%s: exit status %d, want %d: %s", c->name,
                 WEXITSTATUS(status), c->status, said);
    if (c->status && (!strstr(said, id) || !strstr(said, c->says)))
        fail_msg("%s: \"%s\" names no %s, or says no \"%s\"", c->name, said,
                 id, c->says);
}

/* Broken loose objects, in both modes: an error names the object, a hang
 * ends with the object named once the watchdog's 8 s are up. The reads
 * run in child processes, all at once, under an alarm: a hang fails the
 * test, and the whole takes one watchdog's time. Each child's time is
 * printed; that it is under 10 s is checked end to end, by
 * tests/check_repo_faults.sh, as a sanitizer build or a loaded machine
 * may take longer here. */
static void
test_corrupt_objects(void **state)
{
    char *ids[NCORRUPT];
    pid_t pids[NCORRUPT];
    double start[NCORRUPT], took[NCORRUPT];
    int status[NCORRUPT];
    (void)state;
    break_objects(ids);
    fflush(NULL);
    for (size_t i = 0; i < NCORRUPT; i++) {
        start[i] = seconds();
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0)
            read_in_child(&corrupt_cases[i]);
    }
    for (size_t left = NCORRUPT; left > 0; left--) {
        int st;
        pid_t pid = wait(&st);
        assert_true(pid > 0);
        for (size_t i = 0; i < NCORRUPT; i++)
            if (pids[i] == pid) {
                took[i] = seconds() - start[i];
                status[i] = st;
            }
    }
    for (size_t i = 0; i < NCORRUPT; i++)
        check_child(&corrupt_cases[i], ids[i], status[i], took[i]);
    free(ids[0]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_created_and_updated),
        cmocka_unit_test(test_renames),
        cmocka_unit_test(test_entry_kinds),
        cmocka_unit_test(test_long_folder),
        cmocka_unit_test(test_malformed_folder),
        cmocka_unit_test(test_uncommitted),
        cmocka_unit_test(test_ref),
        cmocka_unit_test(test_what_is_read),
        cmocka_unit_test(test_shallow),
        cmocka_unit_test(test_subfolder),
        cmocka_unit_test(test_blob_ids),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_no_history),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_published_files),
        cmocka_unit_test(test_bad_head),
        cmocka_unit_test(test_owner),
        cmocka_unit_test(test_cache_none),
        cmocka_unit_test(test_cache_same_result),
        cmocka_unit_test(test_cache_edit),
        cmocka_unit_test(test_cache_files),
        cmocka_unit_test(test_cache_untracked),
        cmocka_unit_test(test_cache_defers_save),
        cmocka_unit_test(test_cache_head_moved),
        cmocka_unit_test(test_cache_since),
        cmocka_unit_test(test_cache_bad_file),
        cmocka_unit_test(test_source_load),
        cmocka_unit_test(test_corrupt_objects),
    };
    return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
