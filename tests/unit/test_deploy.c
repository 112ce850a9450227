/* test_deploy.c: unit tests of deploy/, the commit step (deploy_commit).
 * Each test makes real git repositories in a fresh temporary folder with
 * the git command, commits rendered files by hand-made struct outputs and
 * reads the result back with git. The whole command (build, push) is
 * checked by tests/check_deploy.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../generator/base/base.h"
#include "../../generator/deploy/deploy.h"
#include "../../generator/diag.h"
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp[] = "/tmp/gz-test-deploy-XXXXXX";

/* Fails unless the output of the command fmt is want. */
#define assert_sh(want, ...)                                                 \
    do {                                                                     \
        char *got_ = sh_out(__VA_ARGS__);                                    \
        assert_string_equal(got_, (want));                                   \
        free(got_);                                                          \
    } while (0)

/* A new repository tmp/name on main with one commit (site.yaml). */
static void
make_repo(const char *name)
{
    sh("git init -q -b main '%s/%s' && cd '%s/%s' && "
       "printf 'title: t\\n' >site.yaml && git add site.yaml && "
       "git commit -q -m one",
       tmp, name, tmp, name);
}

/* The rendered site used by most tests: nested folders, names that sort
 * around '/' ("a-b", "a.txt", "a/"), an empty file. */
static const char *const site[][2] = {
    { "index.html", "<p>home</p>\n" },
    { "a/b/c.html", "c\n" },
    { "a/x.css", "x {}\n" },
    { "a.txt", "dot\n" },
    { "a-b/y", "y\n" },
    { "z/deep/er/est/f", "" },
    { "404.html", "<p>lost</p>\n" },
};
#define NSITE (sizeof site / sizeof *site)

/* An output of the n files of table (path, bytes); the bytes stay the
 * table's, so never output_dispose it: free(out->files). */
static void
make_output(struct output *out, const char *const (*table)[2], size_t n)
{
    out->files = xcalloc(n + 1, sizeof *out->files);
    out->len = out->cap = n;
    for (size_t i = 0; i < n; i++)
        out->files[i] = (struct output_file){
            .path = table[i][0], .data = (char *)table[i][1],
            .len = strlen(table[i][1]) };
}

/* One deploy_commit call with its diags, released by done(). */
struct call {
    struct diags d;
    struct deploy_report r;
    int rc;
};

static void
deploy(struct call *c, const char *repo, const struct output *files,
       const char *cname, const struct deploy_options *o, const char *expect)
{
    char dir[256];
    char *head = sh_out("git -C '%s/%s' rev-parse HEAD", tmp, repo);
    snprintf(dir, sizeof dir, "%s/%s", tmp, repo);
    diags_init(&c->d);
    c->rc = deploy_commit(&c->r, dir, files, cname, head, o, expect, &c->d);
    free(head);
}

static void
done(struct call *c)
{
    diags_dispose(&c->d);
}

/* Fails unless c failed with exactly one diag, of kind, holding text. */
static void
assert_refused(const struct call *c, enum diag_kind kind, const char *text)
{
    assert_int_equal(c->rc, -1);
    assert_int_equal(c->d.len, 1);
    if (c->d.items[0].kind != kind || !strstr(c->d.items[0].msg, text))
        fail_msg("got \"%s\" (kind %d), want kind %d with \"%s\"",
                 c->d.items[0].msg, c->d.items[0].kind, kind, text);
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
    setenv("GIT_AUTHOR_NAME", "Ada", 1);
    setenv("GIT_AUTHOR_EMAIL", "ada@example.org", 1);
    setenv("GIT_COMMITTER_NAME", "Ada", 1);
    setenv("GIT_COMMITTER_EMAIL", "ada@example.org", 1);
    setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05+02:00", 1);
    setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05+02:00", 1);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    sh("rm -rf '%s'", tmp);
    return 0;
}

/* 1. A new branch: every file as a blob in nested trees, .nojekyll and
 * CNAME beside them, no parent, gazette's name without a user in the
 * configuration, "Deploy <short id>"; HEAD and main untouched. */
static void
test_new_branch(void **state)
{
    struct output files;
    struct deploy_options o = { 0 };
    struct call c;
    (void)state;
    make_repo("new");
    char *main_before = sh_out("git -C '%s/new' rev-parse main", tmp);
    make_output(&files, site, NSITE);
    deploy(&c, "new", &files, "www.example.org", &o, "");
    assert_int_equal(c.rc, 0);
    assert_int_equal(c.d.len, 0);
    assert_true(c.r.created);
    assert_int_equal(c.r.files, NSITE + 2);
    assert_sh(c.r.commit, "git -C '%s/new' rev-parse gh-pages", tmp);
    assert_sh(c.r.site_commit, "git -C '%s/new' rev-parse main", tmp);
    assert_sh(".nojekyll\n404.html\nCNAME\na-b/y\na.txt\na/b/c.html\n"
              "a/x.css\nindex.html\nz/deep/er/est/f",
              "git -C '%s/new' ls-tree -r --name-only gh-pages", tmp);
    assert_sh("a-b/\na/\na/b/\nz/\nz/deep/\nz/deep/er/\nz/deep/er/est/",
              "git -C '%s/new' ls-tree -r -d --name-only gh-pages | "
              "sed 's|$|/|'", tmp);
    for (size_t i = 0; i < NSITE; i++) {
        char *got = sh_out("git -C '%s/new' cat-file blob 'gh-pages:%s'; "
                           "echo .", tmp, site[i][0]);
        struct buf want = BUF_INIT;
        buf_printf(&want, "%s.", site[i][1]);
        assert_string_equal(got, want.data);
        buf_dispose(&want);
        free(got);
    }
    assert_sh("0", "git -C '%s/new' cat-file -s gh-pages:.nojekyll", tmp);
    assert_sh("www.example.org.", "git -C '%s/new' cat-file blob "
              "gh-pages:CNAME | tr '\\n' .", tmp);
    assert_sh("100644 100644 100644 100644 100644 100644 100644 100644 "
              "100644", "git -C '%s/new' ls-tree -r gh-pages | "
              "cut -d' ' -f1 | xargs", tmp);
    assert_sh("", "git -C '%s/new' log -1 --format=%%P gh-pages", tmp);
    char *want_msg = sh_out("git -C '%s/new' rev-parse --short main", tmp);
    char *msg = sh_out("git -C '%s/new' log -1 --format=%%B gh-pages", tmp);
    assert_true(!strncmp(msg, "Deploy ", 7));
    assert_string_equal(msg + 7, want_msg);
    assert_sh("gazette <gazette@localhost> gazette <gazette@localhost>",
              "git -C '%s/new' log -1 --format='%%an <%%ae> %%cn <%%ce>' "
              "gh-pages", tmp);
    assert_sh("", "git -C '%s/new' fsck --strict --no-dangling "
              "--no-progress 2>&1", tmp);
    assert_sh("refs/heads/main", "git -C '%s/new' symbolic-ref HEAD", tmp);
    assert_sh(main_before, "git -C '%s/new' rev-parse main", tmp);
    free(msg);
    free(want_msg);
    free(main_before);
    free(files.files);
    done(&c);
}

/* 2. The same files again make no commit; one changed file makes one
 * commit whose parent is the previous tip. Without cname, no CNAME. */
static void
test_same_tree_then_change(void **state)
{
    static const char *const changed[][2] = {
        { "index.html", "<p>home, edited</p>\n" },
        { "a/b/c.html", "c\n" },
    };
    struct output files, files2;
    struct deploy_options o = { 0 };
    struct call c, again, next;
    (void)state;
    make_repo("same");
    make_output(&files, site, NSITE);
    deploy(&c, "same", &files, NULL, &o, NULL);
    assert_int_equal(c.rc, 0);
    assert_sh("", "git -C '%s/same' ls-tree --name-only gh-pages CNAME",
              tmp);
    deploy(&again, "same", &files, NULL, &o, NULL);
    assert_int_equal(again.rc, 0);
    assert_false(again.r.created);
    assert_string_equal(again.r.commit, c.r.commit);
    assert_sh("1", "git -C '%s/same' rev-list --count gh-pages", tmp);
    make_output(&files2, changed, 2);
    deploy(&next, "same", &files2, NULL, &o, c.r.commit);
    assert_int_equal(next.rc, 0);
    assert_true(next.r.created);
    assert_sh(next.r.commit, "git -C '%s/same' rev-parse gh-pages", tmp);
    assert_sh(c.r.commit, "git -C '%s/same' rev-parse gh-pages^", tmp);
    assert_sh("2", "git -C '%s/same' rev-list --count gh-pages", tmp);
    assert_sh(".nojekyll\na/b/c.html\nindex.html",
              "git -C '%s/same' ls-tree -r --name-only gh-pages", tmp);
    free(files.files);
    free(files2.files);
    done(&c);
    done(&again);
    done(&next);
}

/* 3. Compare-and-swap: a branch that is not where the caller found it
 * (moved, created or deleted meanwhile) is left alone. */
static void
test_moved(void **state)
{
    struct output files;
    struct deploy_options o = { 0 };
    struct call first, stale, created, gone;
    (void)state;
    make_repo("moved");
    make_output(&files, site, 3);
    deploy(&first, "moved", &files, NULL, &o, "");
    assert_int_equal(first.rc, 0);
    char *main_id = sh_out("git -C '%s/moved' rev-parse main", tmp);
    /* The caller read main's id as the tip: gh-pages has moved since. */
    free(files.files);
    make_output(&files, site, 4);
    deploy(&stale, "moved", &files, NULL, &o, main_id);
    assert_refused(&stale, DIAG_SYSTEM, "the branch gh-pages moved");
    assert_sh(first.r.commit, "git -C '%s/moved' rev-parse gh-pages", tmp);
    /* The caller found no branch: it has been created since. */
    deploy(&created, "moved", &files, NULL, &o, "");
    assert_refused(&created, DIAG_SYSTEM, "moved while deploying (from "
                   "nothing to ");
    assert_sh(first.r.commit, "git -C '%s/moved' rev-parse gh-pages", tmp);
    /* The caller found a tip: the branch has been deleted since. */
    sh("git -C '%s/moved' branch -q -D gh-pages", tmp);
    deploy(&gone, "moved", &files, NULL, &o, first.r.commit);
    assert_refused(&gone, DIAG_SYSTEM, "to nothing)");
    assert_sh("", "git -C '%s/moved' branch --list gh-pages", tmp);
    free(main_id);
    free(files.files);
    done(&first);
    done(&stale);
    done(&created);
    done(&gone);
}

/* 4. Refusals: bad options, the checked-out branch, a bad cname and files
 * where deploy writes its own. Each is one diag of its kind, and no
 * reference changes. */
static void
test_refusals(void **state)
{
    static const char *const cname_file[][2] = { { "CNAME", "x.org\n" } };
    static const char *const nojekyll_dir[][2] = { { ".nojekyll/x", "" } };
    static const char *const cname_dir[][2] = { { "CNAME/index.html", "" } };
    static const struct {
        const char *branch, *message, *cname;
        const char *const (*files)[2];
        enum diag_kind kind;
        const char *text;
    } cases[] = {
        { "a..b", NULL, NULL, NULL, DIAG_USAGE,
          "--branch: \"a..b\" is not a valid branch name" },
        { "-x", NULL, NULL, NULL, DIAG_USAGE, "not a valid branch name" },
        { "refs/heads/x", NULL, NULL, NULL, DIAG_USAGE,
          "expected a branch's short name" },
        { "main", NULL, NULL, NULL, DIAG_USAGE,
          "the branch main is checked out" },
        { NULL, " \n\t", NULL, NULL, DIAG_USAGE,
          "--message: the message is empty" },
        { NULL, "# only a comment? no: kept", "https://x.org", NULL,
          DIAG_CONTENT, "cname: expected a host name such as "
                        "www.example.org, got \"https://x.org\"" },
        { NULL, NULL, "two\nlines.org", NULL, DIAG_CONTENT,
          "cname: expected a host name" },
        { NULL, NULL, "x.org", cname_file, DIAG_CONTENT,
          "CNAME: the site makes a file where deploy writes its own CNAME" },
        { NULL, NULL, NULL, cname_file, DIAG_CONTENT,
          "writes its own CNAME" },
        { NULL, NULL, NULL, nojekyll_dir, DIAG_CONTENT,
          ".nojekyll/x: the site makes a file where deploy writes its own "
          ".nojekyll" },
        { NULL, NULL, NULL, cname_dir, DIAG_CONTENT,
          "CNAME/index.html: the site makes a file" },
    };
    (void)state;
    make_repo("refuse");
    char *refs = sh_out("git -C '%s/refuse' for-each-ref", tmp);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct deploy_options o = { .branch = cases[i].branch,
                                    .message = cases[i].message };
        struct output files;
        struct call c;
        if (cases[i].files)
            make_output(&files, cases[i].files, 1);
        else
            make_output(&files, site, NSITE);
        deploy(&c, "refuse", &files, cases[i].cname, &o, NULL);
        assert_refused(&c, cases[i].kind, cases[i].text);
        assert_sh(refs, "git -C '%s/refuse' for-each-ref", tmp);
        free(files.files);
        done(&c);
    }
    free(refs);
}

/* 5. A branch checked out in another worktree is refused too. */
static void
test_other_worktree(void **state)
{
    struct output files;
    struct deploy_options o = { .branch = "pages" };
    struct call c;
    (void)state;
    make_repo("wt");
    sh("git -C '%s/wt' branch pages && "
       "git -C '%s/wt' worktree add -q '%s/wt-pages' pages", tmp, tmp, tmp);
    char *tip = sh_out("git -C '%s/wt' rev-parse pages", tmp);
    make_output(&files, site, NSITE);
    deploy(&c, "wt", &files, NULL, &o, NULL);
    assert_refused(&c, DIAG_USAGE, "the branch pages is checked out");
    assert_sh(tip, "git -C '%s/wt' rev-parse pages", tmp);
    free(tip);
    free(files.files);
    done(&c);
}

/* 6. The repository's user signs; a given message is cleaned up as git
 * commit does; another branch name is used as given. */
static void
test_author_and_message(void **state)
{
    struct output files;
    struct deploy_options o = { .branch = "site/www",
                                .message = "Publish\n\n\n  body  \n\n" };
    struct call c;
    (void)state;
    make_repo("author");
    sh("git -C '%s/author' config user.name 'Grace H' && "
       "git -C '%s/author' config user.email grace@example.org", tmp, tmp);
    make_output(&files, site, NSITE);
    deploy(&c, "author", &files, NULL, &o, NULL);
    assert_int_equal(c.rc, 0);
    assert_sh(c.r.commit, "git -C '%s/author' rev-parse site/www", tmp);
    assert_sh("Grace H <grace@example.org> Grace H <grace@example.org>",
              "git -C '%s/author' log -1 --format='%%an <%%ae> %%cn <%%ce>' "
              "site/www", tmp);
    assert_sh("Publish\n\n  body.", "git -C '%s/author' cat-file commit "
              "site/www | sed '1,/^$/d' | sed '$s/$/./'", tmp);
    assert_sh("", "git -C '%s/author' branch --list gh-pages", tmp);
    free(files.files);
    done(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_branch),
        cmocka_unit_test(test_same_tree_then_change),
        cmocka_unit_test(test_moved),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_other_worktree),
        cmocka_unit_test(test_author_and_message),
    };
    return cmocka_run_group_tests_name("deploy", tests, setup, teardown);
}
