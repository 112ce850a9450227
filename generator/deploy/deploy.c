/* deploy.c: after the build. Builds a commit in memory (build_run with a
 * publish callback), writes its output as blobs and nested trees with
 * libgit2's object database and tree builders, commits the tree on a
 * branch with a compare-and-swap of the branch's tip, and pushes it. The
 * index, the working tree, HEAD and other references are never written. */
#include "deploy.h"
#include "../base/base.h"
#include "../build.h"
#include "../diag.h"
#include "../parse/parse.h"
#include "../source/source.h"

#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REFS_HEADS "refs/heads/"

/* The branch's tip as read before or during a deploy. */
struct tip {
    bool exists;
    git_oid id;   /* of the commit, when exists */
    git_oid tree; /* of its tree */
};

static const char *
branch_of(const struct deploy_options *o)
{
    return o->branch ? o->branch : DEPLOY_BRANCH_DEFAULT;
}

/* Checks the options that need no repository; fills refname with
 * "refs/heads/<branch>". Each refusal is a DIAG_USAGE. */
static int
check_options(struct buf *refname, const struct deploy_options *o,
              struct diags *d)
{
    const char *branch = branch_of(o);
    int valid = 0;
    if (git_branch_name_is_valid(&valid, branch) < 0 || !valid) {
        git_error_clear();
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "--branch: \"%s\" is not a valid branch name",
                         branch);
    }
    if (!strncmp(branch, REFS_HEADS, strlen(REFS_HEADS)))
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "--branch: expected a branch's short name such as "
                         "gh-pages, got \"%s\"", branch);
    if (o->message && !o->message[strspn(o->message, " \t\r\n")])
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "--message: the message is empty");
    buf_clear(refname);
    buf_printf(refname, REFS_HEADS "%s", branch);
    return 0;
}

static int
open_repo(git_repository **out, const char *dir, struct diags *d)
{
    if (git_repository_open_ext(out, dir, 0, NULL) < 0) {
        *out = NULL;
        return gitdiag_add(d, "opening the git repository around \"%s\"", dir);
    }
    return 0;
}

/* Refuses (DIAG_USAGE) a branch that HEAD or another worktree's HEAD
 * points at: committing on it would leave that working tree behind. */
static int
refuse_checked_out(git_repository *repo, const char *refname,
                   const char *branch, struct diags *d)
{
    git_reference *head = NULL, *ref = NULL;
    bool checked_out = false;
    int rc = -1, err;
    if (git_reference_lookup(&head, repo, "HEAD") < 0) {
        gitdiag_add(d, "reading HEAD");
        goto out;
    }
    if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
        !strcmp(git_reference_symbolic_target(head), refname)) {
        checked_out = true;
    } else if ((err = git_reference_lookup(&ref, repo, refname)) == 0) {
        if ((err = git_branch_is_checked_out(ref)) < 0) {
            gitdiag_add(d, "looking for a worktree with %s checked out", branch);
            goto out;
        }
        checked_out = err == 1;
    } else if (err != GIT_ENOTFOUND) {
        gitdiag_add(d, "reading the branch %s", branch);
        goto out;
    }
    git_error_clear();
    if (checked_out) {
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "the branch %s is checked out: deploy commits only on a "
                  "branch that no working tree has checked out (name "
                  "another with --branch)", branch);
        goto out;
    }
    rc = 0;
out:
    git_reference_free(ref);
    git_reference_free(head);
    return rc;
}

/* Reads the branch's tip into *out (exists false when there is no such
 * branch). A symbolic reference or a tip that is no commit is refused. */
static int
read_tip(struct tip *out, git_repository *repo, const char *refname,
         const char *branch, struct diags *d)
{
    git_reference *ref = NULL;
    git_commit *commit = NULL;
    int rc = -1, err;
    memset(out, 0, sizeof *out);
    if ((err = git_reference_lookup(&ref, repo, refname)) == GIT_ENOTFOUND) {
        git_error_clear();
        return 0;
    }
    if (err < 0) {
        gitdiag_add(d, "reading the branch %s", branch);
        goto out;
    }
    if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "the branch %s is a symbolic reference (to %s): deploy "
                  "commits only on a plain branch", branch,
                  git_reference_symbolic_target(ref));
        goto out;
    }
    out->id = *git_reference_target(ref);
    if (git_commit_lookup(&commit, repo, &out->id) < 0) {
        gitdiag_add(d, "reading %s, the tip of %s", git_oid_tostr_s(&out->id),
                 branch);
        goto out;
    }
    out->tree = *git_commit_tree_id(commit);
    out->exists = true;
    rc = 0;
out:
    git_commit_free(commit);
    git_reference_free(ref);
    return rc;
}

/* Says (DIAG_SYSTEM) that the branch is no longer where the deploy found
 * it; now is NULL when it is gone. Returns -1. */
static int
moved(const char *branch, const char *was, const git_oid *now,
      struct diags *d)
{
    return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                     "the branch %s moved while deploying (from %s to %s): "
                     "it is left as it is now; deploy again",
                     branch, *was ? was : "nothing",
                     now ? git_oid_tostr_s(now) : "nothing");
}

/* Checks that the branch's tip is still expect (hex, "" for none). */
static int
check_expected(const struct tip *tip, const char *expect, const char *branch,
               struct diags *d)
{
    git_oid want;
    if (!*expect ? !tip->exists
                 : git_oid_fromstr(&want, expect) == 0 && tip->exists &&
                       git_oid_equal(&want, &tip->id))
        return 0;
    git_error_clear();
    return moved(branch, expect, tip->exists ? &tip->id : NULL, d);
}

/* A host name: dot-separated labels of letters, digits, '-' (or UTF-8),
 * none empty, at most 63 bytes each and 253 in all. parse_config checks
 * site.yaml's cname: more strictly; this keeps deploy_commit's other
 * callers from writing anything but one line of a name into CNAME. */
static bool
is_host_name(const char *s)
{
    size_t n = strlen(s), label = 0;
    if (n == 0 || n > 253 || s[n - 1] == '.')
        return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                   (*c >= '0' && *c <= '9') || *c == '-' || *c >= 0x80) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/* Refuses (DIAG_CONTENT) a bad cname and an output file where deploy puts
 * its own .nojekyll or CNAME. */
static int
check_extras(const struct output *files, const char *cname, struct diags *d)
{
    static const char *const extras[] = { ".nojekyll", "CNAME" };
    int rc = 0;
    if (cname && *cname && !is_host_name(cname))
        rc = diags_add(d, DIAG_CONTENT, "site.yaml", 0, 0,
                       "cname: expected a host name such as "
                       "www.example.org, got \"%s\"", cname);
    for (size_t i = 0; i < files->len; i++)
        for (size_t k = 0; k < 2; k++) {
            const char *p = files->files[i].path;
            size_t n = strlen(extras[k]);
            if (!strncmp(p, extras[k], n) && (!p[n] || p[n] == '/'))
                rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                               "%s: the site makes a file where deploy "
                               "writes its own %s", p, extras[k]);
        }
    return rc;
}

static int
by_path(const void *x, const void *y)
{
    const struct output_file *const *a = x, *const *b = y;
    return strcmp((*a)->path, (*b)->path);
}

/* Writes the tree of files[0..n), sorted by path, whose paths all begin
 * with a folder's skip bytes ("" or "a/b/"), into *out: a blob per file
 * and a tree per folder, each written once. */
static int
write_tree(git_oid *out, git_repository *repo, git_odb *odb,
           const struct output_file *const *files, size_t n, size_t skip,
           struct diags *d)
{
    git_treebuilder *tb = NULL;
    char *name = NULL;
    int rc = -1;
    if (git_treebuilder_new(&tb, repo, NULL) < 0) {
        gitdiag_add(d, "starting a tree");
        goto out;
    }
    for (size_t i = 0, next; i < n; i = next) {
        const char *rest = files[i]->path + skip;
        const char *slash = strchr(rest, '/');
        size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
        git_filemode_t mode = slash ? GIT_FILEMODE_TREE : GIT_FILEMODE_BLOB;
        git_oid id;
        next = i + 1;
        if (slash) { /* the folder: every path that starts with rest/ */
            while (next < n && !strncmp(files[next]->path + skip, rest,
                                        len + 1))
                next++;
            if (write_tree(&id, repo, odb, files + i, next - i,
                           skip + len + 1, d) < 0)
                goto out;
        } else if (git_odb_write(&id, odb, files[i]->data, files[i]->len,
                                 GIT_OBJECT_BLOB) < 0) {
            gitdiag_add(d, "writing the blob of %s", files[i]->path);
            goto out;
        }
        free(name);
        name = xstrndup(rest, len);
        if (git_treebuilder_insert(NULL, tb, name, &id, mode) < 0) {
            gitdiag_add(d, "adding %.*s to its tree", (int)(skip + len),
                     files[i]->path);
            goto out;
        }
    }
    if (git_treebuilder_write(out, tb) < 0) {
        gitdiag_add(d, "writing the tree of %.*s", skip ? (int)skip : 2,
                 skip ? files[0]->path : "./");
        goto out;
    }
    rc = 0;
out:
    free(name);
    git_treebuilder_free(tb);
    return rc;
}

/* Writes the whole tree: files, an empty .nojekyll and CNAME when cname
 * is set. *count is the number of files in it. */
static int
write_site_tree(git_oid *out, size_t *count, git_repository *repo,
                const struct output *files, const char *cname,
                struct diags *d)
{
    static char empty[1];
    struct buf cname_text = BUF_INIT;
    struct output_file nojekyll = { .path = ".nojekyll", .data = empty },
                       cname_file;
    const struct output_file **list =
        xmalloc((files->len + 2) * sizeof *list);
    git_odb *odb = NULL;
    size_t n = 0;
    int rc = -1;
    for (size_t i = 0; i < files->len; i++)
        list[n++] = &files->files[i];
    list[n++] = &nojekyll;
    if (cname && *cname) {
        buf_printf(&cname_text, "%s\n", cname);
        cname_file = (struct output_file){ .path = "CNAME",
                                           .data = cname_text.data,
                                           .len = cname_text.len };
        list[n++] = &cname_file;
    }
    qsort(list, n, sizeof *list, by_path);
    if (git_repository_odb(&odb, repo) < 0) {
        gitdiag_add(d, "opening the object database");
        goto out;
    }
    if (write_tree(out, repo, odb, list, n, 0, d) < 0)
        goto out;
    *count = n;
    rc = 0;
out:
    git_odb_free(odb);
    free(list);
    buf_dispose(&cname_text);
    return rc;
}

/* The commit message: o's (cleaned up as git commit does), else "Deploy"
 * and the short id of the commit built. */
static int
commit_message(struct buf *out, git_repository *repo, const char *message,
               const char *site_commit, struct diags *d)
{
    git_buf text = GIT_BUF_INIT;
    git_object *built = NULL;
    git_oid id;
    int rc = -1;
    if (message) {
        if (git_message_prettify(&text, message, 0, 0) < 0) {
            gitdiag_add(d, "cleaning up the message");
            goto out;
        }
        if (!text.size) {
            diags_add(d, DIAG_USAGE, NULL, 0, 0,
                      "--message: the message is empty");
            goto out;
        }
        buf_put(out, text.ptr, text.size);
    } else if (site_commit) {
        if (git_oid_fromstr(&id, site_commit) < 0 ||
            git_object_lookup(&built, repo, &id, GIT_OBJECT_COMMIT) < 0 ||
            git_object_short_id(&text, built) < 0) {
            gitdiag_add(d, "reading the commit built, %s", site_commit);
            goto out;
        }
        buf_printf(out, "Deploy %s\n", text.ptr);
    } else {
        buf_puts(out, "Deploy\n");
    }
    rc = 0;
out:
    git_object_free(built);
    git_buf_dispose(&text);
    return rc;
}

/* Writes a commit of tree (parent: the tip, when it exists) into *out,
 * signed by the repository's user, else gazette; no reference moves. */
static int
write_commit(git_oid *out, git_repository *repo, const git_oid *tree_id,
             const struct tip *tip, const char *message, struct diags *d)
{
    git_signature *sig = NULL;
    git_tree *tree = NULL;
    git_commit *parent = NULL;
    int rc = -1;
    if (git_signature_default(&sig, repo) < 0) {
        git_error_clear(); /* no user.name or user.email: ours */
        if (git_signature_now(&sig, "gazette", "gazette@localhost") < 0) {
            gitdiag_add(d, "making the commit's author");
            goto out;
        }
    }
    if (git_tree_lookup(&tree, repo, tree_id) < 0 ||
        (tip->exists && git_commit_lookup(&parent, repo, &tip->id) < 0)) {
        gitdiag_add(d, "reading back the tree and parent of the commit");
        goto out;
    }
    const git_commit *parents[] = { parent };
    if (git_commit_create(out, repo, NULL, sig, sig, NULL, message, tree,
                          parent ? 1 : 0, parents) < 0) {
        gitdiag_add(d, "writing the commit");
        goto out;
    }
    rc = 0;
out:
    git_commit_free(parent);
    git_tree_free(tree);
    git_signature_free(sig);
    return rc;
}

/* Points the branch at id if it is still at tip (compare-and-swap under
 * the reference's lock): created when tip does not exist, moved from
 * tip->id otherwise. */
static int
update_branch(git_repository *repo, const char *refname, const char *branch,
              const git_oid *id, const struct tip *tip, const char *message,
              struct diags *d)
{
    git_reference *ref = NULL;
    struct buf log = BUF_INIT;
    int err;
    buf_printf(&log, "gazette deploy: %.*s", (int)strcspn(message, "\n"),
               message);
    err = tip->exists
              ? git_reference_create_matching(&ref, repo, refname, id, 1,
                                              &tip->id, log.data)
              : git_reference_create(&ref, repo, refname, id, 0, log.data);
    buf_dispose(&log);
    git_reference_free(ref);
    if (err == 0)
        return 0;
    if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ENOTFOUND) {
        struct tip now;
        char was[GIT_OID_HEXSZ + 1] = "";
        if (tip->exists)
            git_oid_tostr(was, sizeof was, &tip->id);
        git_error_clear();
        if (read_tip(&now, repo, refname, branch, d) < 0)
            return -1;
        return moved(branch, was, now.exists ? &now.id : NULL, d);
    }
    return gitdiag_add(d, "updating the branch %s", branch);
}

/* Everything deploy_commit holds, released at its end. */
struct step {
    git_repository *repo;
    struct buf refname, message;
};

int
deploy_commit(struct deploy_report *out, const char *dir,
              const struct output *files, const char *cname,
              const char *site_commit, const struct deploy_options *o,
              const char *expect_tip, struct diags *d)
{
    const char *branch = branch_of(o);
    struct step s = { .refname = BUF_INIT, .message = BUF_INIT };
    struct tip tip;
    git_oid tree, commit;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (site_commit)
        snprintf(out->site_commit, sizeof out->site_commit, "%s",
                 site_commit);
    if (source_libgit2_init() < 0)
        return gitdiag_add(d, "starting libgit2");
    if (check_options(&s.refname, o, d) < 0 ||
        check_extras(files, cname, d) < 0 || open_repo(&s.repo, dir, d) < 0 ||
        refuse_checked_out(s.repo, s.refname.data, branch, d) < 0 ||
        read_tip(&tip, s.repo, s.refname.data, branch, d) < 0 ||
        (expect_tip && check_expected(&tip, expect_tip, branch, d) < 0) ||
        write_site_tree(&tree, &out->files, s.repo, files, cname, d) < 0)
        goto out;
    if (tip.exists && git_oid_equal(&tip.tree, &tree)) {
        git_oid_tostr(out->commit, sizeof out->commit, &tip.id);
        rc = 0; /* the tip already holds this build */
        goto out;
    }
    if (commit_message(&s.message, s.repo, o->message, site_commit, d) < 0 ||
        write_commit(&commit, s.repo, &tree, &tip, s.message.data, d) < 0 ||
        refuse_checked_out(s.repo, s.refname.data, branch, d) < 0 ||
        update_branch(s.repo, s.refname.data, branch, &commit, &tip,
                      s.message.data, d) < 0)
        goto out;
    git_oid_tostr(out->commit, sizeof out->commit, &commit);
    out->created = true;
    rc = 0;
out:
    buf_dispose(&s.message);
    buf_dispose(&s.refname);
    git_repository_free(s.repo);
    git_libgit2_shutdown();
    return rc;
}

/* What a push learns from its callbacks. */
struct push_state {
    int tries;         /* credentials asked for */
    struct buf refused; /* the remote's reason for refusing the branch */
};

/* Credentials from the environment only: the SSH agent (as the URL's
 * user, else "git"), Kerberos or NTLM. Nothing is prompted for; after a
 * few refusals libgit2 is told there is nothing more to try. */
static int
credentials(git_credential **out, const char *url, const char *user,
            unsigned int allowed, void *payload)
{
    struct push_state *p = payload;
    (void)url;
    if (p->tries++ >= 3)
        return GIT_PASSTHROUGH;
    if (allowed & GIT_CREDENTIAL_SSH_KEY)
        return git_credential_ssh_key_from_agent(out, user ? user : "git");
    if (allowed & GIT_CREDENTIAL_USERNAME)
        return git_credential_username_new(out, user ? user : "git");
    if (allowed & GIT_CREDENTIAL_DEFAULT)
        return git_credential_default_new(out);
    return GIT_PASSTHROUGH;
}

static int
push_status(const char *refname, const char *status, void *payload)
{
    struct push_state *p = payload;
    if (status)
        buf_printf(&p->refused, "%s%s: %s", p->refused.len ? "; " : "",
                   refname, status);
    return 0;
}

static bool
is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The remote to push to: a remote of the repository by name, else a URL
 * or path (an anonymous remote). Anything else is a DIAG_USAGE. */
static int
find_remote(git_remote **out, git_repository *repo, const char *name,
            struct diags *d)
{
    int err = git_remote_lookup(out, repo, name);
    if (err == 0)
        return 0;
    *out = NULL;
    if (err != GIT_ENOTFOUND && err != GIT_EINVALIDSPEC)
        return gitdiag_add(d, "reading the remote %s", name);
    git_error_clear();
    if (!strchr(name, '/') && !strchr(name, ':') && !is_dir(name))
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "--push: \"%s\" is neither a remote of this "
                         "repository nor a URL or path", name);
    if (git_remote_create_anonymous(out, repo, name) < 0) {
        *out = NULL;
        return gitdiag_add(d, "--push: using \"%s\" as a remote", name);
    }
    return 0;
}

/* Pushes refname to the same name on remote, never forcing it. */
static int
push_branch(git_remote *remote, const char *refname, const char *branch,
            const char *commit, struct diags *d)
{
    struct push_state st = { .refused = BUF_INIT };
    git_push_options po;
    struct buf spec = BUF_INIT;
    char *specs[1];
    git_strarray list = { specs, 1 };
    const char *name = git_remote_name(remote) ? git_remote_name(remote)
                                                : git_remote_url(remote);
    int rc = -1;
    git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
    buf_printf(&spec, "%s:%s", refname, refname);
    specs[0] = spec.data;
    po.callbacks.credentials = credentials;
    po.callbacks.push_update_reference = push_status;
    po.callbacks.payload = &st;
    if (git_remote_push(remote, &list, &po) < 0) {
        gitdiag_add(d, "pushing %s to %s (the local %s is at %s)", branch, name,
                 branch, commit);
        goto out;
    }
    if (st.refused.len) {
        diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                  "%s refused %s (the local %s is at %s): %s", name, branch,
                  branch, commit, st.refused.data);
        goto out;
    }
    rc = 0;
out:
    buf_dispose(&spec);
    buf_dispose(&st.refused);
    return rc;
}

/* What deploy_run hands to the build's publish callback. */
struct run {
    struct deploy_report *report;
    const struct deploy_options *o;
    char tip[GIT_OID_HEXSZ + 1]; /* the branch before the build; "" none */
};

static int
publish(const struct output *files, const struct site_config *cfg,
        const struct source *src, struct diags *d, void *payload)
{
    struct run *r = payload;
    return deploy_commit(r->report, src->root, files, cfg->cname,
                         src->commit, r->o, r->tip, d);
}

/* Everything refused before the build: options, the branch checked out or
 * unusable, the remote. Fills r->tip; *remote is NULL without o->push. */
static int
prepare(struct run *r, git_remote **remote, git_repository *repo,
        struct diags *d)
{
    struct buf refname = BUF_INIT;
    struct tip tip;
    int rc = -1;
    *remote = NULL;
    if (check_options(&refname, r->o, d) < 0 ||
        refuse_checked_out(repo, refname.data, branch_of(r->o), d) < 0 ||
        read_tip(&tip, repo, refname.data, branch_of(r->o), d) < 0 ||
        (r->o->push && find_remote(remote, repo, r->o->push, d) < 0))
        goto out;
    if (tip.exists)
        git_oid_tostr(r->tip, sizeof r->tip, &tip.id);
    rc = 0;
out:
    buf_dispose(&refname);
    return rc;
}

int
deploy_run(struct deploy_report *out, const struct deploy_options *o,
           struct diags *d)
{
    struct run r = { .report = out, .o = o };
    struct build_options bo = { .ref = o->ref ? o->ref : "HEAD",
                                .publish = publish, .payload = &r };
    struct build_report br;
    git_repository *repo = NULL;
    git_remote *remote = NULL;
    struct buf refname = BUF_INIT;
    memset(out, 0, sizeof *out);
    if (source_libgit2_init() < 0) {
        gitdiag_add(d, "starting libgit2");
        return diags_exit_status(d);
    }
    if (open_repo(&repo, ".", d) < 0 || prepare(&r, &remote, repo, d) < 0 ||
        build_run(&br, &bo, d) != 0 || !remote)
        goto out;
    buf_printf(&refname, REFS_HEADS "%s", branch_of(o));
    source_libgit2_remote();
    if (push_branch(remote, refname.data, branch_of(o), out->commit, d) == 0)
        out->pushed = true;
out:
    buf_dispose(&refname);
    git_remote_free(remote);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return diags_exit_status(d);
}
