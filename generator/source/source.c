/* source.c: the first stage of the pipeline. Finds the git repository
 * around the site, reads the site's files from one commit's tree or has
 * worktree.c read them from the working tree, and dates them by
 * history.c's walk, from a second thread meanwhile in working tree mode,
 * or from the record cache.c kept of that commit. Each read is a step of
 * the watchdog in gitdiag.c, so that a corrupt repository cannot hang
 * it. */
#include "source_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/hash.h"
#include "../base/fs.h"
#include "../diag.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/x509_crt.h>

const char *const source_site_dirs[SOURCE_NDIRS] = { "content", "static",
                                                     "themes" };

/* The repository path of the site path rel, in r->scratch until the next
 * call. */
const char *
reader_repo_path(struct reader *r, const char *rel)
{
    buf_clear(&r->scratch);
    buf_printf(&r->scratch, "%s%s", r->prefix, rel);
    return r->scratch.data;
}

/* A new zeroed file named path at the end of r->files. The pointer is good
 * until the next call (the array grows). */
struct source_file *
reader_add_file(struct reader *r, const char *path)
{
    r->files = arena_grow(r->a, r->files, sizeof *r->files, &r->cap,
                          r->nfiles + 1);
    struct source_file *f = &r->files[r->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = arena_strdup(r->a, path);
    return f;
}

/* Whether a tree entry is a file we read: a blob, not a symlink (120000)
 * nor a submodule. */
static bool
is_file_entry(const git_tree_entry *e)
{
    git_filemode_t mode = git_tree_entry_filemode(e);
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* Sets r->root to dir made absolute with every symlink resolved. Returns 0,
 * or -1 with a diag when dir is not a readable directory. */
static int
find_root(struct reader *r, const char *dir)
{
    struct stat st;
    char *real = realpath(dir, NULL);
    if (!real)
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0, "\"%s\": %s", dir,
                         strerror(errno));
    r->root = arena_strdup(r->a, real);
    free(real);
    if (stat(r->root, &st) < 0 || !S_ISDIR(st.st_mode))
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                         "\"%s\": not a directory", dir);
    return 0;
}

/* Sets r->prefix, the site root relative to the work tree. A bare
 * repository has no work tree: it can only be read with a ref. */
static int
find_prefix(struct reader *r, const char *ref)
{
    const char *workdir = git_repository_workdir(r->repo);
    if (!workdir)
        return ref ? 0
                   : diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                               "\"%s\" is in a bare repository: name a "
                               "commit with --ref",
                               r->root);
    char *real = realpath(workdir, NULL);
    if (!real)
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0, "\"%s\": %s",
                         workdir, strerror(errno));
    size_t n = strlen(real);
    while (n > 0 && real[n - 1] == '/')
        n--;
    int rc = 0;
    const char *rest = r->root + n;
    if (strncmp(r->root, real, n) != 0 || (*rest && *rest != '/'))
        rc = diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                       "\"%s\" is not inside the work tree \"%s\"", r->root,
                       real);
    else if (*rest && rest[1])
        r->prefix = arena_printf(r->a, "%s/", rest + 1);
    free(real);
    return rc;
}

/* The .git entry (folder or file) in the nearest folder at or above
 * r->root, on the same file system: where git and libgit2 look first, and
 * stop when it is a repository. NULL when there is none. */
static const char *
find_dotgit(struct reader *r)
{
    struct buf path = BUF_INIT;
    const char *found = NULL;
    struct stat st;
    size_t n = strlen(r->root);
    dev_t dev;
    if (stat(r->root, &st) < 0)
        return NULL;
    dev = st.st_dev;
    for (;;) {
        buf_clear(&path);
        buf_put(&path, r->root, n);
        if (stat(path.data, &st) < 0 || st.st_dev != dev)
            break;
        buf_puts(&path, n > 1 ? "/.git" : ".git");
        if (lstat(path.data, &st) == 0) {
            found = arena_strdup(r->a, path.data);
            break;
        }
        if (n <= 1)
            break;
        while (n > 1 && r->root[n - 1] != '/')
            n--;
        if (n > 1)
            n--; /* the parent, without its '/' unless it is "/" */
    }
    buf_dispose(&path);
    return found;
}

/* The folder holding the entry at path ("/a/.git" -> "/a"), in the arena. */
static const char *
parent_dir(struct reader *r, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == path)
        return "/";
    return arena_strndup(r->a, path, (size_t)(slash - path));
}

/* Why the .git folder at dotgit is no repository, as git and libgit2 judge
 * it: one needs HEAD, objects/ and refs/. NULL when all are there. */
static const char *
what_is_missing(struct reader *r, const char *dotgit)
{
    static const char *const needed[] = { "HEAD", "objects", "refs" };
    struct stat st;
    for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
        const char *path = arena_printf(r->a, "%s/%s", dotgit, needed[i]);
        if (lstat(path, &st) < 0)
            return arena_printf(r->a, "it has no %s", needed[i]);
    }
    return NULL;
}

/* s quoted for a POSIX shell when it needs it, in the arena. */
static const char *
shell_quote(struct reader *r, const char *s)
{
    struct buf q = BUF_INIT;
    if (s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789/._-+@%:,")] == '\0')
        return s;
    buf_putc(&q, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_puts(&q, "'\\''");
        else
            buf_putc(&q, *s);
    }
    buf_putc(&q, '\'');
    const char *out = arena_strdup(r->a, q.data);
    buf_dispose(&q);
    return out;
}

/* git (since 2.35.2) and libgit2 refuse a repository whose folders belong
 * to another user unless safe.directory names its work tree: someone else's
 * repository could run their code (hooks, filters) as us. libgit2 1.5 says
 * so with GIT_EOWNER, or, when safe.directory is set nowhere, with
 * GIT_ENOTFOUND and a message about that setting (fixed in 1.6): not to be
 * taken for "no repository". */
static bool
is_owner_error(int err, const char *msg)
{
    return err == GIT_EOWNER ||
           (err == GIT_ENOTFOUND && msg && strstr(msg, "safe.directory"));
}

/* The repository libgit2 refused for its owner: names the fix. The key
 * libgit2 1.5 compares safe.directory with is the work tree (the folder
 * holding .git), or the git folder of a bare repository; it takes no
 * wildcard ('*'), so the exact path is given. */
static int
owner_error(struct reader *r, const char *dotgit)
{
    const char *top = r->root;
    git_buf found = { 0 };
    if (dotgit) {
        top = parent_dir(r, dotgit);
    } else if (git_repository_discover(&found, r->root, 0, NULL) == 0) {
        size_t n = found.size;
        while (n > 1 && found.ptr[n - 1] == '/')
            n--;
        top = arena_strndup(r->a, found.ptr, n);
    }
    git_buf_dispose(&found);
    return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                     "the git repository \"%s\" is owned by another user; "
                     "if you trust it, run: git config --global --add "
                     "safe.directory %s",
                     top, shell_quote(r, top));
}

/* libgit2 opened no repository (err, with its message msg), yet there may
 * be one: refused for its owner, or a .git that is broken. Without a .git
 * anywhere above, there is none: fine without a ref. */
static int
open_failed(struct reader *r, const char *ref, const char *dotgit, int err,
            const char *msg)
{
    const char *why;
    if (is_owner_error(err, msg))
        return owner_error(r, dotgit);
    if (dotgit) {
        struct stat st;
        why = lstat(dotgit, &st) == 0 && S_ISDIR(st.st_mode)
                  ? what_is_missing(r, dotgit)
                  : NULL;
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                         "\"%s\" is not a usable git repository: %s", dotgit,
                         why ? why : msg ? msg : "libgit2 cannot open it");
    }
    if (err != GIT_ENOTFOUND)
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                         "\"%s\": cannot open the repository (%s)", r->root,
                         msg ? msg : "unknown libgit2 error");
    if (!ref)
        return 0;
    return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                     "--ref \"%s\": \"%s\" is not in a git repository", ref,
                     r->root);
}

/* Whether the repository opened lies above the folder holding dotgit:
 * libgit2, like git, passes over a .git that is no repository (no HEAD)
 * and takes the next one up, which would read the site as an untracked
 * folder of some other repository (a home folder's, say). */
static bool
passed_over(struct reader *r, const char *dotgit)
{
    const char *top = git_repository_workdir(r->repo);
    char *real = realpath(top ? top : git_repository_path(r->repo), NULL);
    bool above = false;
    if (real) {
        size_t n = strlen(real);
        while (n > 0 && real[n - 1] == '/')
            n--;
        above = strncmp(dotgit, real, n) == 0 && dotgit[n] == '/' &&
                strcmp(dotgit + n, "/.git") != 0;
    }
    free(real);
    return above;
}

/* Opens the repository around r->root, searching upward as git does. No
 * repository is fine without a ref (r->repo stays NULL); with one it is an
 * error. A repository that is there but cannot be used (a .git with no
 * HEAD, one owned by another user) is an error either way: reading the
 * site without its history would quietly change every date. */
static int
open_repo(struct reader *r, const char *ref)
{
    const char *dotgit = find_dotgit(r);
    int err = git_repository_open_ext(&r->repo, r->root, 0, NULL);
    if (err < 0) {
        const git_error *e = git_error_last();
        const char *msg = e && e->message ? arena_strdup(r->a, e->message)
                                          : NULL;
        r->repo = NULL;
        return open_failed(r, ref, dotgit, err, msg);
    }
    if (dotgit && passed_over(r, dotgit))
        return open_failed(r, ref, dotgit, GIT_ENOTFOUND, NULL);
    return find_prefix(r, ref);
}

/* Names, as the step of r->watch, the object that resolving name reads:
 * by id when name is a reference (HEAD, a branch, a tag), which costs no
 * object read; otherwise (HEAD~2) by name. */
static void
step_ref(struct reader *r, const char *name)
{
    git_reference *found = NULL, *resolved = NULL;
    char id[GIT_OID_HEXSZ + 1];
    if (git_reference_dwim(&found, r->repo, name) == 0 &&
        git_reference_resolve(&resolved, found) == 0) {
        git_oid_tostr(id, sizeof id, git_reference_target(resolved));
        gitdiag_watch_step(r->watch, 0, "object %s (%s)", id, name);
    } else {
        gitdiag_watch_step(r->watch, 0, "the commit \"%s\" names", name);
    }
    git_error_clear(); /* a name that is no reference is no error yet */
    git_reference_free(resolved);
    git_reference_free(found);
}

/* Sets r->commit and r->tree: the commit ref names, or HEAD without a ref
 * (none when the repository has no commit yet). A revision that does not
 * resolve is told apart from an object that cannot be read. */
static int
find_commit(struct reader *r, const char *ref)
{
    const char *name = ref ? ref : "HEAD";
    git_object *obj = NULL, *peeled = NULL;
    char id[GIT_OID_HEXSZ + 1];
    int rc = -1, err;
    if (!r->repo)
        return 0;
    gitdiag_watch_step(r->watch, 0, "HEAD");
    if (!ref && (err = git_repository_head_unborn(r->repo)) != 0) {
        const char *gitdir = git_repository_path(r->repo);
        int n = (int)strlen(gitdir) - 1; /* without its trailing '/' */
        return err == 1 ? 0
                        : gitdiag_add(r->d, "cannot read HEAD in \"%.*s\"",
                                      n, gitdir);
    }
    step_ref(r, name);
    if ((err = git_revparse_single(&obj, r->repo, name)) < 0) {
        if (ref && (err == GIT_ENOTFOUND || err == GIT_EAMBIGUOUS ||
                    err == GIT_EINVALIDSPEC))
            gitdiag_add(r->d, "--ref \"%s\": revision not found", ref);
        else
            gitdiag_add(r->d, "cannot read %s", gitdiag_watch_what(r->watch));
        goto out;
    }
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
        gitdiag_add(r->d, "--ref \"%s\": not a commit", name);
        goto out;
    }
    r->commit = (git_commit *)peeled;
    git_oid_tostr(id, sizeof id, git_commit_tree_id(r->commit));
    gitdiag_watch_step(r->watch, 0, "tree %s (%s)", id, name);
    if (git_commit_tree(&r->tree, r->commit) < 0) {
        gitdiag_add(r->d, "cannot read %s", gitdiag_watch_what(r->watch));
        goto out;
    }
    rc = 0;
out:
    git_object_free(obj);
    return rc;
}

/* Says that the symlink at path is left out, so that no file of a site
 * moved in goes missing without a word. */
void
reader_skip_symlink(struct reader *r, const char *path)
{
    diags_add(r->d, DIAG_WARNING, path, 0, 0, "a symlink, left out: gazette "
              "never follows one (put the file itself here)");
}

/* True for a name the site leaves out: one starting with '.' (.git,
 * .DS_Store, editor files, hidden folders), except below static/, which is
 * published as it is (.well-known/, .htaccess) but for a .git. */
bool
reader_hidden(const char *folder, const char *name)
{
    if (name[0] != '.')
        return false;
    bool in_static = !strncmp(folder, "static", 6) &&
                     (!folder[6] || folder[6] == '/');
    return !in_static || !strcmp(name, ".") || !strcmp(name, "..") ||
           !strcmp(name, ".git");
}

/* Copies the blob of tree entry e into a new file named path, unless it is
 * a bounded one whose size, read from the object's header alone (no
 * inflating of the rest), is over max_bytes: then the file is listed with
 * its size and id only. */
static int
read_blob(struct reader *r, const char *path, const git_tree_entry *e)
{
    const git_oid *id = git_tree_entry_id(e);
    git_blob *blob = NULL;
    git_object_t type;
    size_t size;
    struct source_file *f = reader_add_file(r, path);
    git_oid_tostr(f->blob_id, sizeof f->blob_id, id);
    gitdiag_watch_step(r->watch, 0, "blob %s (%s)", f->blob_id, path);
    if (git_odb_read_header(&size, &type, r->odb, id) < 0)
        return gitdiag_add(r->d, "%s: cannot read blob %s", path,
                           f->blob_id);
    f->size = size;
    if (size > r->max_bytes && source_bounded(path)) {
        f->too_big = true;
        return 0;
    }
    gitdiag_watch_step(r->watch, size, "blob %s (%s)", f->blob_id, path);
    if (git_blob_lookup(&blob, r->repo, id) < 0)
        return gitdiag_add(r->d, "%s: cannot read blob %s", path,
                           f->blob_id);
    f->len = f->size = (size_t)git_blob_rawsize(blob);
    f->data = arena_strndup(r->a, git_blob_rawcontent(blob), f->len);
    git_blob_free(blob);
    return 0;
}

/* A walk of one site folder's tree: top is its name ("content"). With
 * list_only, it only lists each file with its blob id (list_file) instead
 * of reading the blob. */
struct tree_walk {
    struct reader *r;
    const char *top;
    struct buf path;
    int rc;
    bool list_only;
};

/* Lists the file of the commit at the site path path, with its blob id
 * only, in r->listed and r->listed_by_path. */
static void
list_file(struct reader *r, const char *path, const git_tree_entry *e)
{
    struct source_file *f = arena_alloc(r->a, sizeof *f);
    f->path = arena_strdup(r->a, path);
    git_oid_tostr(f->blob_id, sizeof f->blob_id, git_tree_entry_id(e));
    if (!map_put(r->listed_by_path, f->path, f))
        vec_push(&r->listed, f);
}

/* git_tree_walk's callback: reads file entries, skips links and
 * submodules, and skips hidden names as the working tree mode does (1
 * skips a subtree). */
static int
visit_entry(const char *root, const git_tree_entry *e, void *payload)
{
    struct tree_walk *w = payload;
    const char *name = git_tree_entry_name(e);
    buf_clear(&w->path);
    buf_printf(&w->path, "%s/%s", w->top, root);
    if (reader_hidden(w->path.data, name))
        return 1;
    buf_puts(&w->path, name);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
        char id[GIT_OID_HEXSZ + 1];
        git_oid_tostr(id, sizeof id, git_tree_entry_id(e));
        /* The walk reads this tree when we return. */
        gitdiag_watch_step(w->r->watch, 0, "tree %s (%s/)", id,
                           w->path.data);
    }
    if (!w->list_only && git_tree_entry_filemode(e) == GIT_FILEMODE_LINK)
        reader_skip_symlink(w->r, w->path.data);
    if (!is_file_entry(e))
        return 0;
    if (w->list_only) {
        list_file(w->r, w->path.data, e);
        return 0;
    }
    return w->rc = read_blob(w->r, w->path.data, e);
}

/* Reads every file of the commit's tree under the site folder top (only
 * lists them, with list_only). */
static int
read_tree_dir(struct reader *r, const char *top, const git_tree_entry *e,
              bool list_only)
{
    struct tree_walk w = { r, top, BUF_INIT, 0, list_only };
    git_tree *tree = NULL;
    char id[GIT_OID_HEXSZ + 1];
    int rc = 0;
    git_oid_tostr(id, sizeof id, git_tree_entry_id(e));
    gitdiag_watch_step(r->watch, 0, "tree %s (%s/)", id, top);
    if (git_tree_lookup(&tree, r->repo, git_tree_entry_id(e)) < 0)
        return gitdiag_add(r->d, "cannot read %s",
                           gitdiag_watch_what(r->watch));
    if (git_tree_walk(tree, GIT_TREEWALK_PRE, visit_entry, &w) < 0)
        rc = w.rc < 0 ? -1
                      : gitdiag_add(r->d, "cannot read %s",
                                    gitdiag_watch_what(r->watch));
    buf_dispose(&w.path);
    git_tree_free(tree);
    return rc;
}

/* Finds the site path rel in the commit's tree into *out (NULL when it has
 * none). */
static int
tree_entry(struct reader *r, const char *rel, git_tree_entry **out)
{
    /* The trees on the way to a site in a subfolder are read here. */
    gitdiag_watch_step(r->watch, 0, "the trees holding %s", rel);
    int err = git_tree_entry_bypath(out, r->tree, reader_repo_path(r, rel));
    if (err == GIT_ENOTFOUND) {
        *out = NULL;
        return 0;
    }
    return err < 0 ? gitdiag_add(r->d, "cannot read %s",
                                 gitdiag_watch_what(r->watch))
                   : 0;
}

/* Ref mode: site.yaml and the site folders from the commit's tree. With
 * list_only, only a list of those files with their blob ids (working tree
 * mode compares them with the files on disk), in one walk rather than a
 * lookup per file. */
static int
read_commit(struct reader *r, bool list_only)
{
    git_tree_entry *e = NULL;
    int rc = tree_entry(r, SOURCE_CONFIG, &e);
    if (rc == 0 && e && is_file_entry(e)) {
        if (list_only)
            list_file(r, SOURCE_CONFIG, e);
        else
            rc = read_blob(r, SOURCE_CONFIG, e);
    }
    git_tree_entry_free(e);
    for (size_t i = 0; rc == 0 && i < SOURCE_NDIRS; i++) {
        rc = tree_entry(r, source_site_dirs[i], &e);
        if (rc == 0 && e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
            rc = read_tree_dir(r, source_site_dirs[i], e, list_only);
        git_tree_entry_free(e);
    }
    return rc;
}

static int
by_path(const void *pa, const void *pb)
{
    const struct source_file *const *a = pa, *const *b = pb;
    return strcmp((*a)->path, (*b)->path);
}

/* The order of the files as the cache knew it, into order (order[k] is
 * the file whose place is k), when the scan met exactly the files it met
 * last time, in the same order: then their ranks are still right. */
static bool
order_by_rank(struct reader *r, struct source_file **order)
{
    const struct cache *old = r->old;
    struct cache_stat s;
    size_t n = r->nfiles;
    if (!old || r->stats || r->nstats != n || old->nstats != n)
        return false;
    memset(order, 0, n * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        cache_stat_at(old, i, &s);
        if (s.rank >= n || order[s.rank])
            return false;
        order[s.rank] = &r->files[i];
    }
    return true;
}

/* Sorts the files by path, noting each one's place for the cache's
 * ranks (r->rank, by the order the scan met them). Pointers are sorted
 * (or placed by the cache's ranks), then each file moved to its place
 * along the cycles of that order: no second array of files, which qsort
 * would allocate (fresh pages cost). */
void
reader_sort_files(struct reader *r)
{
    size_t n = r->nfiles;
    struct source_file **order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = &r->files[i];
    if (!order_by_rank(r, order))
        qsort(order, n, sizeof *order, by_path);
    if (r->old) {
        r->rank = arena_alloc(r->tmp, (n ? n : 1) * sizeof *r->rank);
        for (size_t k = 0; k < n; k++)
            r->rank[order[k] - r->files] = (uint32_t)k;
    }
    /* order[j] is the file that belongs at j; a placed one points at its
     * own place. */
    for (size_t i = 0; i < n; i++) {
        if (order[i] == &r->files[i])
            continue;
        struct source_file first = r->files[i];
        size_t j = i;
        for (;;) {
            size_t k = (size_t)(order[j] - r->files);
            order[j] = &r->files[j];
            if (k == i) {
                r->files[j] = first;
                break;
            }
            r->files[j] = r->files[k];
            j = k;
        }
    }
    free(order);
}

/* The key of a commit's dates in the cache: the commit, the site's
 * folder in it, and the cut of a shallow history (.git/shallow lists the
 * commits whose parents are missing; a deeper fetch changes it, and the
 * dates with it). */
static void
record_key(struct reader *r, struct cache_commit *out)
{
    struct buf shallow = BUF_INIT, path = BUF_INIT;
    memset(out, 0, sizeof *out);
    git_oid_tostr(out->id, sizeof out->id, git_commit_id(r->commit));
    out->prefix = r->prefix;
    buf_printf(&path, "%sshallow", git_repository_path(r->repo));
    if (fs_read_file(&shallow, path.data) == 0)
        out->shallow_key = hash64(shallow.data, shallow.len) | 1;
    buf_dispose(&shallow);
    buf_dispose(&path);
}

/* Whether the record rec reads whole and sound. */
static bool
record_sound(const struct cache_commit *rec)
{
    struct record_reader rr;
    if (cache_record_open(&rr, rec) == 0)
        while (cache_record_next(&rr))
            continue;
    return cache_record_done(&rr);
}

/* The cache's record of a commit for the key's site folder and shallow
 * cut, sound: of the key's commit itself when same_commit, else the most
 * recent of another (a walk may stop there). NULL when there is none. */
static const struct cache_commit *
cached_record(struct reader *r, const struct cache_commit *key,
              bool same_commit)
{
    for (size_t i = 0; r->old && i < r->old->ncommits; i++) {
        const struct cache_commit *rec = &r->old->commits[i];
        if ((strcmp(rec->id, key->id) == 0) != same_commit ||
            strcmp(rec->prefix, key->prefix) != 0 ||
            rec->shallow_key != key->shallow_key)
            continue;
        if (record_sound(rec))
            return rec;
        if (same_commit)
            return NULL;
    }
    return NULL;
}

/* A commit's files in path order: a list sorted by the job, or a cache
 * record read as it goes. */
struct head_files {
    struct source_file *const *list;
    size_t n, next;
    struct record_reader rr;
    bool from_record;
    struct source_file file; /* the current one, from a record */
};

static const struct source_file *
head_next(struct head_files *h)
{
    const struct cache_dated *d;
    git_oid id;
    if (!h->from_record)
        return h->next < h->n ? h->list[h->next++] : NULL;
    if (!(d = cache_record_next(&h->rr)))
        return NULL;
    h->file.path = d->path;
    memcpy(id.id, d->id, GIT_OID_RAWSZ);
    git_oid_tostr(h->file.blob_id, sizeof h->file.blob_id, &id);
    h->file.created = d->created;
    h->file.updated = d->updated;
    h->file.author = d->author;
    return &h->file;
}

/* Gives each file the dates and author of the file of the same path in
 * head, and, with set_dirty, sets dirty by comparing their blob ids: a
 * file not there (or no head at all) is dirty. Authors are copied into
 * the arena once each. */
static void
compare_head(struct reader *r, struct head_files *head, bool set_dirty)
{
    const struct source_file *h = head ? head_next(head) : NULL;
    struct map *authors = map_new();
    const char *last = NULL; /* the arena's copy of the last author */
    for (size_t i = 0; i < r->nfiles; i++) {
        struct source_file *f = &r->files[i];
        while (h && strcmp(h->path, f->path) < 0)
            h = head_next(head);
        bool same = h && strcmp(h->path, f->path) == 0;
        if (set_dirty)
            f->dirty = !same || strcmp(h->blob_id, f->blob_id) != 0;
        if (!same)
            continue;
        f->created = h->created;
        f->updated = h->updated;
        /* the author of the file before, most often: no lookup */
        if (h->author && last && !strcmp(h->author, last)) {
            f->author = last;
        } else if (h->author && !(f->author = map_get(authors, h->author))) {
            f->author = arena_strdup(r->a, h->author);
            map_put(authors, f->author, (void *)f->author);
        }
        last = f->author;
    }
    map_free(authors);
}

/* Dates (and with set_dirty compares) the files from the cache's record
 * rec. */
static void
compare_record(struct reader *r, const struct cache_commit *rec,
               bool set_dirty)
{
    struct head_files head = { .from_record = true };
    cache_record_open(&head.rr, rec);
    compare_head(r, &head, set_dirty);
    cache_record_done(&head.rr);
}

/* Ref mode: the files of r->commit, dated from its history, or from the
 * cache's record of that commit (*used, NULL when there was none). */
static int
read_dated_commit(struct reader *r, const struct cache_commit *key,
                  const struct cache_commit **used)
{
    if (read_commit(r, false) < 0)
        return -1;
    reader_sort_files(r);
    if ((*used = cached_record(r, key, true))) {
        compare_record(r, *used, false);
        return 0;
    }
    struct source_file **dated = xcalloc(r->nfiles, sizeof *dated);
    for (size_t i = 0; i < r->nfiles; i++)
        dated[i] = &r->files[i];
    int rc = history_walk(dated, r->nfiles, r->repo, r->commit, r->prefix,
                          r->watch, cached_record(r, key, false), NULL, r->a,
                          r->d);
    free(dated);
    return rc;
}

/* Working tree mode's second thread: it lists HEAD's files and dates them
 * while the first thread reads the working tree. It has a reader of its
 * own: its own handle on the repository (libgit2 objects are not shared
 * between threads), an arena only it allocates from, its own watch, and
 * diags kept apart until the first thread knows how its own read went. */
struct head_job {
    pthread_t thread;
    struct reader r;
    struct diags d;
    git_oid commit; /* HEAD, as the first thread found it */
    const struct cache_commit *since; /* a record to stop at, or NULL */
    atomic_bool stop;
    int rc;
};

/* Opens the repository and HEAD's commit and tree again, for the job. */
static int
reopen_head(struct reader *r, const git_oid *commit)
{
    char id[GIT_OID_HEXSZ + 1];
    if (git_repository_open_ext(&r->repo, r->root, 0, NULL) < 0)
        return gitdiag_add(r->d, "\"%s\": opening the repository", r->root);
    git_oid_tostr(id, sizeof id, commit);
    gitdiag_watch_step(r->watch, 0, "object %s (HEAD)", id);
    if (git_commit_lookup(&r->commit, r->repo, commit) < 0)
        return gitdiag_add(r->d, "cannot read %s",
                           gitdiag_watch_what(r->watch));
    git_oid_tostr(id, sizeof id, git_commit_tree_id(r->commit));
    gitdiag_watch_step(r->watch, 0, "tree %s (HEAD)", id);
    if (git_commit_tree(&r->tree, r->commit) < 0)
        return gitdiag_add(r->d, "cannot read %s",
                           gitdiag_watch_what(r->watch));
    return 0;
}

/* The job's thread: HEAD's files into r->listed, dated. */
static void *
date_head(void *arg)
{
    struct head_job *job = arg;
    struct reader *r = &job->r;
    job->rc = -1;
    if (!(r->watch = gitdiag_watch_start(r->d)))
        return NULL;
    if (reopen_head(r, &job->commit) == 0 && read_commit(r, true) == 0)
        job->rc = history_walk((struct source_file **)r->listed.items,
                               r->listed.len, r->repo, r->commit,
                               r->prefix, r->watch, job->since, &job->stop,
                               r->a, r->d);
    /* In path order, for compare_head and the cache's record. */
    qsort(r->listed.items, r->listed.len, sizeof *r->listed.items, by_path);
    gitdiag_watch_stop(r->watch);
    r->watch = NULL;
    return NULL;
}

static void
free_job(struct head_job *job)
{
    if (!job)
        return;
    git_tree_free(job->r.tree);
    git_commit_free(job->r.commit);
    git_repository_free(job->r.repo);
    buf_dispose(&job->r.scratch);
    vec_dispose(&job->r.listed);
    map_free(job->r.listed_by_path);
    arena_free(job->r.a);
    diags_dispose(&job->d);
    free(job);
}

/* Starts dating HEAD's files on a thread, stopping at the commit of the
 * record since (NULL: none); NULL, with a diag, when the thread cannot be
 * made. */
static struct head_job *
start_job(struct reader *r, const struct cache_commit *since)
{
    struct head_job *job = xcalloc(1, sizeof *job);
    int err;
    diags_init(&job->d);
    job->r = (struct reader){ .a = arena_new(), .d = &job->d,
                              .max_bytes = r->max_bytes, .root = r->root,
                              .prefix = r->prefix,
                              .listed_by_path = map_new() };
    git_oid_cpy(&job->commit, git_commit_id(r->commit));
    job->since = since;
    atomic_init(&job->stop, false);
    if ((err = pthread_create(&job->thread, NULL, date_head, job)) != 0) {
        diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                  "cannot start the thread that reads the history: %s",
                  strerror(err));
        free_job(job);
        return NULL;
    }
    return job;
}

/* Waits for the job, told to give up when the read failed (read_rc < 0):
 * then its diags are dropped, as none would have been made before. A
 * failed job after a good read hands its diags over and fails. */
static int
join_job(struct head_job *job, int read_rc, struct diags *d)
{
    atomic_store(&job->stop, read_rc < 0);
    pthread_join(job->thread, NULL);
    if (read_rc < 0)
        return -1;
    for (size_t i = 0; i < job->d.len; i++) {
        const struct diag *g = &job->d.items[i];
        diags_add(d, g->kind, g->path, g->line, g->col, "%s", g->msg);
    }
    return job->rc;
}

/* Working tree mode: the files from the file system, compared with HEAD's
 * and dated from the cache's record of HEAD (*used), or else by a job
 * that runs meanwhile (*job, kept for the cache's new record). */
static int
read_dated_worktree(struct reader *r, const struct cache_commit *key,
                    const struct cache_commit **used, struct head_job **job)
{
    int rc;
    if (r->commit && !(*used = cached_record(r, key, true)) &&
        !(*job = start_job(r, cached_record(r, key, false))))
        return -1;
    rc = worktree_read(r);
    /* Nothing left here can hang, and the job has its own watch: this one
     * would fire while the job runs on. */
    gitdiag_watch_stop(r->watch);
    r->watch = NULL;
    if (*job)
        rc = join_job(*job, rc, r->d);
    if (rc < 0)
        return -1;
    reader_sort_files(r);
    if (*used) {
        compare_record(r, *used, true);
    } else {
        struct head_files head = { 0 };
        if (*job) {
            head.list = (struct source_file *const *)(*job)->r.listed.items;
            head.n = (*job)->r.listed.len;
        }
        compare_head(r, &head, true);
    }
    return 0;
}

/* A shallow clone's history is cut: files inside it look added by the
 * oldest commit there is. One warning says so. */
static bool
check_shallow(struct reader *r)
{
    if (!r->repo || git_repository_is_shallow(r->repo) != 1)
        return false;
    diags_add(r->d, DIAG_WARNING, NULL, 0, 0,
              "the repository is a shallow clone: dates from git are "
              "approximate");
    return true;
}

/* Writes the cache again when it changed: the stats of this scan (the
 * cache's own in ref mode, which reads no file), the record of the commit
 * read first, then the most recent other. A cache that cannot be written
 * costs the next build time, not its result: a warning says so. */
static void
save_cache(struct reader *r, int cache_fd, bool from_ref,
           const struct cache_commit *key, const struct cache_commit *used,
           const struct head_job *job)
{
    const struct cache *old = r->old;
    struct cache_update u = { .root = r->root, .old = old };
    bool changed = !old->loaded;
    if (from_ref) {
        u.scan_ns = old->scan_ns;
        u.index = old->index;
    } else {
        u.scan_ns = r->scan_ns;
        u.index = r->index_stat;
        u.stats = r->stats;
        u.nstats = r->nstats;
        changed |= r->stats_changed || r->stats_stale > CACHE_STALE_FILES ||
                   r->nstats != old->nstats;
        if (changed)
            u.stats = worktree_stats(r);
    }
    if (used) {
        u.kept[u.nkept++] = used;
        changed |= used != &old->commits[0];
    } else if (r->commit) {
        u.record = key;
        if (job) {
            u.files = (struct source_file *const *)job->r.listed.items;
            u.nfiles = job->r.listed.len;
        } else {
            struct source_file **files = arena_alloc(r->tmp, (r->nfiles + 1) *
                                                             sizeof *files);
            for (size_t i = 0; i < r->nfiles; i++)
                files[i] = &r->files[i];
            u.files = files;
            u.nfiles = r->nfiles;
        }
        changed = true;
    }
    for (size_t i = 0; i < old->ncommits && u.nkept + (u.record != NULL) <
                                                 CACHE_COMMITS; i++)
        if (&old->commits[i] != used)
            u.kept[u.nkept++] = &old->commits[i];
    if (changed && cache_save(&u, cache_fd) < 0)
        diags_add(r->d, DIAG_WARNING, NULL, 0, 0,
                  "cannot write the source cache (the file \"source\" of "
                  "the cache folder): %s",
                  strerror(errno));
}

static int64_t
now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* libgit2's start: source_start_early has a thread start it while the
 * program reads its settings, and that start is kept for the process (it
 * took 5-10 ms, twice a build when it stopped between source_open_cached
 * and source_load; most of it was the certificates, see below). */
static pthread_t early;
static bool early_running;
static pthread_mutex_t early_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
start_libgit2(void *unused)
{
    (void)unused;
    git_libgit2_init();
    return NULL;
}

void
source_wait_early(void)
{
    pthread_mutex_lock(&early_lock);
    if (early_running)
        pthread_join(early, NULL);
    early_running = false;
    pthread_mutex_unlock(&early_lock);
}

void
source_start_early(void)
{
    pthread_mutex_lock(&early_lock);
    if (!early_running)
        early_running = pthread_create(&early, NULL, start_libgit2, NULL) == 0;
    pthread_mutex_unlock(&early_lock);
}

int
source_libgit2_init(void)
{
    source_wait_early();
    return git_libgit2_init();
}

/* Most of that start was what only a push uses. mbedtls parsing the
 * system's TLS certificates was 4.5 of its 5 ms: the Makefile links
 * libgit2 with --wrap=mbedtls_x509_crt_parse_file, so libgit2's call at
 * its start lands here: the chain it passes is left empty, and noted,
 * until source_libgit2_remote parses the file into it. An empty chain
 * trusts no server: a push without that call fails, it never trusts
 * blindly. libssh2's start (OpenSSL's, for ssh) was about half of the
 * rest: --wrap=libssh2_init puts it off the same way, until
 * source_libgit2_remote (libssh2 would also start itself with its first
 * session). */
int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain,
                                       const char *path);
int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain,
                                       const char *path);
int __real_libssh2_init(int flags);
int __wrap_libssh2_init(int flags);

static pthread_mutex_t remote_lock = PTHREAD_MUTEX_INITIALIZER;
static bool remote_wanted;
static mbedtls_x509_crt *tls_chain; /* left empty; NULL: none */
static char *tls_path;
static bool ssh_put_off;
static int ssh_flags;

int
__wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path)
{
    pthread_mutex_lock(&remote_lock);
    bool now = remote_wanted;
    if (!now) {
        tls_chain = chain;
        free(tls_path);
        tls_path = xstrdup(path);
    }
    pthread_mutex_unlock(&remote_lock);
    return now ? __real_mbedtls_x509_crt_parse_file(chain, path) : 0;
}

int
__wrap_libssh2_init(int flags)
{
    pthread_mutex_lock(&remote_lock);
    bool now = remote_wanted;
    if (!now)
        ssh_put_off = true, ssh_flags = flags;
    pthread_mutex_unlock(&remote_lock);
    return now ? __real_libssh2_init(flags) : 0;
}

void
source_libgit2_remote(void)
{
    pthread_mutex_lock(&remote_lock);
    remote_wanted = true;
    /* A file it cannot read leaves the chain empty, as libgit2 does. */
    if (tls_chain && __real_mbedtls_x509_crt_parse_file(tls_chain,
                                                        tls_path) < 0) {
        mbedtls_x509_crt_free(tls_chain);
        mbedtls_x509_crt_init(tls_chain);
    }
    tls_chain = NULL;
    free(tls_path);
    tls_path = NULL;
    if (ssh_put_off)
        __real_libssh2_init(ssh_flags);
    ssh_put_off = false;
    pthread_mutex_unlock(&remote_lock);
}

int
source_open_cached(struct source *out, const char *dir, const char *ref,
                   size_t max_bytes, int cache_fd, struct arena *a,
                   struct diags *d)
{
    struct reader r = { .a = a, .d = d, .max_bytes = max_bytes,
                        .prefix = "", .scan_ns = now_ns() };
    struct cache old;
    struct cache_commit key = { .prefix = "" };
    const struct cache_commit *used = NULL;
    struct head_job *job = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (source_libgit2_init() < 0)
        return gitdiag_add(d, "starting libgit2");
    r.tmp = arena_new();
    if (!(r.watch = gitdiag_watch_start(d)))
        goto out;
    if (find_root(&r, dir) < 0 || open_repo(&r, ref) < 0 ||
        find_commit(&r, ref) < 0)
        goto out;
    if (ref && git_repository_odb(&r.odb, r.repo) < 0) {
        gitdiag_add(d, "opening the object database");
        goto out;
    }
    if (cache_fd >= 0) {
        cache_load(&old, cache_fd, r.root);
        r.old = &old;
        /* the list of files at its last size at once: each doubling of
         * it was a copy into fresh memory */
        r.files = arena_grow(r.a, NULL, sizeof *r.files, &r.cap,
                             old.nstats + 64);
        if (r.commit)
            record_key(&r, &key);
    }
    if ((ref ? read_dated_commit(&r, &key, &used)
             : read_dated_worktree(&r, &key, &used, &job)) < 0)
        goto out;
    out->shallow = check_shallow(&r);
    out->root = r.root;
    if (r.commit)
        out->commit = arena_strdup(a, git_oid_tostr_s(git_commit_id(r.commit)));
    out->from_ref = ref != NULL;
    out->files = r.files;
    out->nfiles = r.nfiles;
    if (cache_fd >= 0)
        save_cache(&r, cache_fd, ref != NULL, &key, used, job);
    rc = 0;
out:
    free_job(job);
    gitdiag_watch_stop(r.watch);
    buf_dispose(&r.scratch);
    map_free(r.old_stats);
    if (r.old)
        cache_unload(&old);
    arena_free(r.tmp);
    git_odb_free(r.odb);
    git_index_free(r.index);
    git_tree_free(r.tree);
    git_commit_free(r.commit);
    git_repository_free(r.repo);
    git_libgit2_shutdown();
    return rc;
}

int
source_open(struct source *out, const char *dir, const char *ref,
            size_t max_bytes, struct arena *a, struct diags *d)
{
    return source_open_cached(out, dir, ref, max_bytes, -1, a, d);
}

bool
source_bounded(const char *path)
{
    if (!strncmp(path, "content/", 8))
        return str_ends_with(path, ".md") || str_ends_with(path, ".markdown");
    if (!strncmp(path, "themes/", 7))
        return str_ends_with(path, ".mustache");
    return !strcmp(path, SOURCE_CONFIG);
}

const struct source_file *
source_find(const struct source *s, const char *path)
{
    size_t lo = 0, hi = s->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, s->files[mid].path);
        if (c == 0)
            return &s->files[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
