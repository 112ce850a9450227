/* source.c: the first stage of the pipeline. Finds the git repository
 * around the site, reads the site's files from the working tree or from one
 * commit's tree, then has history.c date them. */
#include "source_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a site is made of, relative to its root: one file, two folders. */
#define SITE_CONFIG "site.yaml"
static const char *const site_dirs[] = { "content", "themes" };
#define NSITE_DIRS (sizeof site_dirs / sizeof *site_dirs)

/* The state of one source_open call; the git objects are released at its
 * end. */
struct reader {
    struct arena *a;
    struct diags *d;
    const char *root;     /* the site directory, absolute, no symlinks */
    git_repository *repo; /* NULL when dir is in no repository */
    const char *prefix;   /* root relative to the work tree: "" or "x/" */
    git_commit *commit;   /* the commit read, or HEAD; NULL when none */
    git_tree *tree;       /* its whole tree */
    git_index *index;     /* working tree mode: what git tracks */
    struct buf scratch;   /* a repository path being looked up */
    struct source_file *files;
    size_t nfiles, cap;
};

/* An I/O error on the site path rel, from errno. Returns -1. */
static int
io_error(struct reader *r, const char *rel)
{
    return diags_add(r->d, DIAG_SYSTEM, rel, 0, 0, "%s", strerror(errno));
}

/* The repository path of the site path rel, in r->scratch until the next
 * call. */
static const char *
repo_path(struct reader *r, const char *rel)
{
    buf_clear(&r->scratch);
    buf_printf(&r->scratch, "%s%s", r->prefix, rel);
    return r->scratch.data;
}

/* A new zeroed file named path at the end of r->files. The pointer is good
 * until the next call (the array grows). */
static struct source_file *
add_file(struct reader *r, const char *path)
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

/* Opens the repository around r->root, searching upward. No repository is
 * fine without a ref (r->repo stays NULL); with one it is an error. */
static int
open_repo(struct reader *r, const char *ref)
{
    int err = git_repository_open_ext(&r->repo, r->root, 0, NULL);
    if (err == GIT_ENOTFOUND) {
        r->repo = NULL;
        if (!ref)
            return 0;
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0,
                         "--ref \"%s\": \"%s\" is not in a git repository",
                         ref, r->root);
    }
    if (err < 0)
        return gitdiag_add(r->d, "\"%s\": cannot open the repository",
                                r->root);
    return find_prefix(r, ref);
}

/* Sets r->commit and r->tree: the commit ref names, or HEAD without a ref
 * (none when the repository has no commit yet). */
static int
find_commit(struct reader *r, const char *ref)
{
    git_object *obj = NULL, *peeled = NULL;
    int rc = -1;
    if (!r->repo || (!ref && git_repository_head_unborn(r->repo) == 1))
        return 0;
    if (git_revparse_single(&obj, r->repo, ref ? ref : "HEAD") < 0) {
        if (ref)
            gitdiag_add(r->d, "--ref \"%s\": revision not found", ref);
        else
            gitdiag_add(r->d, "reading HEAD");
        goto out;
    }
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
        gitdiag_add(r->d, "--ref \"%s\": not a commit",
                         ref ? ref : "HEAD");
        goto out;
    }
    r->commit = (git_commit *)peeled;
    if (git_commit_tree(&r->tree, r->commit) < 0) {
        gitdiag_add(r->d, "reading the tree of %s", ref ? ref : "HEAD");
        goto out;
    }
    rc = 0;
out:
    git_object_free(obj);
    return rc;
}

/* Sets blob_id to the id git gives the bytes as a blob. The working tree's
 * bytes are hashed as they are, with no clean filter or line-ending
 * conversion applied. */
static int
hash_blob(struct reader *r, struct source_file *f)
{
    git_oid id;
    if (git_odb_hash(&id, f->data, f->len, GIT_OBJECT_BLOB) < 0)
        return gitdiag_add(r->d, "%s: cannot hash", f->path);
    git_oid_tostr(f->blob_id, sizeof f->blob_id, &id);
    return 0;
}

/* Whether git ignores the site path rel: it is not tracked (git never
 * ignores a file in its index) and an ignore rule matches it or a folder
 * above it. */
static int
is_ignored(struct reader *r, const char *rel, bool *out)
{
    int ignored = 0;
    *out = false;
    if (!r->repo)
        return 0;
    const char *path = repo_path(r, rel);
    if (git_index_get_bypath(r->index, path, 0))
        return 0;
    if (git_ignore_path_is_ignored(&ignored, r->repo, path) < 0)
        return gitdiag_add(r->d, "%s: checking .gitignore", rel);
    *out = ignored != 0;
    return 0;
}

/* Reads n bytes at most from fd into data; returns how many, or -1. */
static ssize_t
read_all(int fd, char *data, size_t n)
{
    size_t len = 0;
    while (len < n) {
        ssize_t got = read(fd, data + len, n - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        len += (size_t)got;
    }
    return (ssize_t)len;
}

/* Reads the regular file at abs (its site path starts at rel_at) into the
 * arena. O_NOFOLLOW: a file swapped for a link since lstat is not followed
 * (nor is a FIFO opened blocking). */
static int
read_file(struct reader *r, const struct buf *abs, size_t rel_at)
{
    const char *rel = abs->data + rel_at;
    struct stat st;
    int rc = 0;
    int fd = open(abs->data, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ELOOP ? 0 : io_error(r, rel);
    if (fstat(fd, &st) < 0) {
        rc = io_error(r, rel);
        goto out;
    }
    if (!S_ISREG(st.st_mode))
        goto out;
    char *data = arena_alloc(r->a, (size_t)st.st_size + 1);
    ssize_t len = read_all(fd, data, (size_t)st.st_size);
    if (len < 0) {
        rc = io_error(r, rel);
        goto out;
    }
    struct source_file *f = add_file(r, rel);
    f->data = data;
    f->len = (size_t)len;
    f->mtime = (struct timestamp){ st.st_mtim.tv_sec, 0, true };
    rc = hash_blob(r, f);
out:
    close(fd);
    return rc;
}

static int read_dir(struct reader *r, struct buf *abs, size_t rel_at);

/* Reads the entry at abs (its site path starts at rel_at): a folder
 * recursively, a regular file unless git ignores it. When only is not 0 the
 * entry must be of that type (S_IFDIR, S_IFREG) or is skipped.
 *
 * Symlinks are skipped, files and folders alike, wherever they point: one
 * could lead out of the site (and the repository), and following those
 * that stay inside would buy little. Devices, FIFOs and sockets too. */
static int
read_entry(struct reader *r, struct buf *abs, size_t rel_at, mode_t only)
{
    struct stat st;
    bool ignored;
    if (lstat(abs->data, &st) < 0)
        return errno == ENOENT ? 0 : io_error(r, abs->data + rel_at);
    if (only && (st.st_mode & S_IFMT) != only)
        return 0;
    if (S_ISDIR(st.st_mode))
        return read_dir(r, abs, rel_at);
    if (!S_ISREG(st.st_mode))
        return 0;
    if (is_ignored(r, abs->data + rel_at, &ignored) < 0)
        return -1;
    return ignored ? 0 : read_file(r, abs, rel_at);
}

/* Reads every entry of the folder at abs but those whose names start with
 * '.' (.git, .DS_Store, editor files, hidden folders). */
static int
read_dir(struct reader *r, struct buf *abs, size_t rel_at)
{
    DIR *dir = opendir(abs->data);
    size_t keep = abs->len;
    int rc = 0;
    if (!dir)
        return io_error(r, abs->data + rel_at);
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (!e) {
            if (errno)
                rc = io_error(r, abs->data + rel_at);
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        buf_putc(abs, '/');
        buf_puts(abs, e->d_name);
        rc = read_entry(r, abs, rel_at, 0);
        abs->len = keep;
        abs->data[keep] = '\0';
        if (rc < 0)
            break;
    }
    closedir(dir);
    return rc;
}

/* Working tree mode: site.yaml and the site folders from the file system. */
static int
read_worktree(struct reader *r)
{
    struct buf abs = BUF_INIT;
    size_t rel_at = strlen(r->root) + 1;
    int rc = 0;
    if (r->repo && git_repository_index(&r->index, r->repo) < 0)
        return gitdiag_add(r->d, "reading the index");
    buf_printf(&abs, "%s/%s", r->root, SITE_CONFIG);
    rc = read_entry(r, &abs, rel_at, S_IFREG);
    for (size_t i = 0; rc == 0 && i < NSITE_DIRS; i++) {
        buf_clear(&abs);
        buf_printf(&abs, "%s/%s", r->root, site_dirs[i]);
        rc = read_entry(r, &abs, rel_at, S_IFDIR);
    }
    buf_dispose(&abs);
    return rc;
}

/* Copies the blob of tree entry e into a new file named path. */
static int
read_blob(struct reader *r, const char *path, const git_tree_entry *e)
{
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, r->repo, git_tree_entry_id(e)) < 0)
        return gitdiag_add(r->d, "%s: cannot read the blob", path);
    size_t len = (size_t)git_blob_rawsize(blob);
    struct source_file *f = add_file(r, path);
    f->data = arena_strndup(r->a, git_blob_rawcontent(blob), len);
    f->len = len;
    git_oid_tostr(f->blob_id, sizeof f->blob_id, git_tree_entry_id(e));
    git_blob_free(blob);
    return 0;
}

/* A walk of one site folder's tree: top is its name ("content"). With
 * ids set, it only records each file's blob id (path -> hex id) instead of
 * reading the blob. */
struct tree_walk {
    struct reader *r;
    const char *top;
    struct buf path;
    int rc;
    struct map *ids;
};

/* Records the blob id of the site path path in ids. */
static void
record_id(struct reader *r, struct map *ids, const char *path,
          const git_tree_entry *e)
{
    char id[GIT_OID_HEXSZ + 1];
    git_oid_tostr(id, sizeof id, git_tree_entry_id(e));
    map_put(ids, arena_strdup(r->a, path), arena_strdup(r->a, id));
}

/* git_tree_walk's callback: reads file entries, skips links and
 * submodules, and skips dot-names as the working tree mode does (1 skips a
 * subtree). */
static int
visit_entry(const char *root, const git_tree_entry *e, void *payload)
{
    struct tree_walk *w = payload;
    const char *name = git_tree_entry_name(e);
    if (name[0] == '.')
        return 1;
    if (!is_file_entry(e))
        return 0;
    buf_clear(&w->path);
    buf_printf(&w->path, "%s/%s%s", w->top, root, name);
    if (w->ids) {
        record_id(w->r, w->ids, w->path.data, e);
        return 0;
    }
    return w->rc = read_blob(w->r, w->path.data, e);
}

/* Reads every file of the commit's tree under the site folder top (only
 * their ids into ids, when given). */
static int
read_tree_dir(struct reader *r, const char *top, const git_tree_entry *e,
              struct map *ids)
{
    struct tree_walk w = { r, top, BUF_INIT, 0, ids };
    git_tree *tree = NULL;
    int rc = 0;
    if (git_tree_lookup(&tree, r->repo, git_tree_entry_id(e)) < 0)
        return gitdiag_add(r->d, "%s: cannot read the tree", top);
    if (git_tree_walk(tree, GIT_TREEWALK_PRE, visit_entry, &w) < 0)
        rc = w.rc < 0 ? -1 : gitdiag_add(r->d, "%s: cannot walk", top);
    buf_dispose(&w.path);
    git_tree_free(tree);
    return rc;
}

/* Finds the site path rel in the commit's tree into *out (NULL when it has
 * none). */
static int
tree_entry(struct reader *r, const char *rel, git_tree_entry **out)
{
    int err = git_tree_entry_bypath(out, r->tree, repo_path(r, rel));
    if (err == GIT_ENOTFOUND) {
        *out = NULL;
        return 0;
    }
    return err < 0 ? gitdiag_add(r->d, "%s: cannot look up", rel) : 0;
}

/* Ref mode: site.yaml and the site folders from the commit's tree. With
 * ids, only the blob ids of those files (working tree mode compares them
 * with the files on disk), in one walk rather than a lookup per file. */
static int
read_commit(struct reader *r, struct map *ids)
{
    git_tree_entry *e = NULL;
    int rc = tree_entry(r, SITE_CONFIG, &e);
    if (rc == 0 && e && is_file_entry(e)) {
        if (ids)
            record_id(r, ids, SITE_CONFIG, e);
        else
            rc = read_blob(r, SITE_CONFIG, e);
    }
    git_tree_entry_free(e);
    for (size_t i = 0; rc == 0 && i < NSITE_DIRS; i++) {
        rc = tree_entry(r, site_dirs[i], &e);
        if (rc == 0 && e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
            rc = read_tree_dir(r, site_dirs[i], e, ids);
        git_tree_entry_free(e);
    }
    return rc;
}

/* Working tree mode: sets dirty by comparing each file with HEAD's tree,
 * and puts the files HEAD has in dated (*n of them): git dates only those.
 * A file not in HEAD (or no HEAD, or no repository) is dirty. */
static int
compare_head(struct reader *r, struct source_file **dated, size_t *n)
{
    struct map *ids = map_new();
    int rc = r->tree ? read_commit(r, ids) : 0;
    for (size_t i = 0; rc == 0 && i < r->nfiles; i++) {
        struct source_file *f = &r->files[i];
        const char *id = map_get(ids, f->path);
        f->dirty = !id || strcmp(id, f->blob_id) != 0;
        if (id)
            dated[(*n)++] = f;
    }
    map_free(ids);
    return rc;
}

static int
by_path(const void *pa, const void *pb)
{
    const struct source_file *a = pa, *b = pb;
    return strcmp(a->path, b->path);
}

/* Sorts the files and dates them from the history of r->commit. */
static int
date_files(struct reader *r, bool from_ref)
{
    struct source_file **dated = xcalloc(r->nfiles, sizeof *dated);
    size_t n = 0;
    int rc = -1;
    if (r->nfiles)
        qsort(r->files, r->nfiles, sizeof *r->files, by_path);
    if (from_ref)
        for (; n < r->nfiles; n++)
            dated[n] = &r->files[n];
    else if (compare_head(r, dated, &n) < 0)
        goto out;
    if (r->commit && history_walk(dated, n, r->repo, r->commit, r->prefix,
                                    r->a, r->d) < 0)
        goto out;
    rc = 0;
out:
    free(dated);
    return rc;
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

int
source_open(struct source *out, const char *dir, const char *ref,
            struct arena *a, struct diags *d)
{
    struct reader r = { .a = a, .d = d, .prefix = "" };
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (git_libgit2_init() < 0)
        return gitdiag_add(d, "starting libgit2");
    if (find_root(&r, dir) < 0 || open_repo(&r, ref) < 0 ||
        find_commit(&r, ref) < 0)
        goto out;
    if ((ref ? read_commit(&r, NULL) : read_worktree(&r)) < 0 ||
        date_files(&r, ref != NULL) < 0)
        goto out;
    out->shallow = check_shallow(&r);
    out->root = r.root;
    if (r.commit)
        out->commit = arena_strdup(a, git_oid_tostr_s(git_commit_id(r.commit)));
    out->from_ref = ref != NULL;
    out->files = r.files;
    out->nfiles = r.nfiles;
    rc = 0;
out:
    buf_dispose(&r.scratch);
    git_index_free(r.index);
    git_tree_free(r.tree);
    git_commit_free(r.commit);
    git_repository_free(r.repo);
    git_libgit2_shutdown();
    return rc;
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
