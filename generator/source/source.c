/* source.c: the first stage of the pipeline. Finds the git repository
 * around the site, reads the site's files from the working tree or from one
 * commit's tree, then has history.c date them; each read is a step of the
 * watchdog in gitdiag.c, so that a corrupt repository cannot hang it. */
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

/* What a site is made of, relative to its root: one file, three folders. */
#define SITE_CONFIG "site.yaml"
static const char *const site_dirs[] = { "content", "static", "themes" };
#define NSITE_DIRS (sizeof site_dirs / sizeof *site_dirs)

/* The state of one source_open call; the git objects are released at its
 * end. */
struct reader {
    struct arena *a;
    struct diags *d;
    size_t max_bytes;     /* larger files are listed, never read */
    struct watch *watch;  /* bounds each read */
    const char *root;     /* the site directory, absolute, no symlinks */
    git_repository *repo; /* NULL when dir is in no repository */
    git_odb *odb;         /* ref mode: blob sizes before reading */
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

/* Sets blob_id of a file too big to read, open as fd at abs: libgit2 hashes
 * it in small pieces. Through /dev/fd, the very file opened and checked
 * (a file swapped for a FIFO since would block the open); by path where
 * there is no /dev/fd. */
static int
hash_big(struct reader *r, struct source_file *f, int fd, const char *abs)
{
    char byfd[32];
    git_oid id;
    snprintf(byfd, sizeof byfd, "/dev/fd/%d", fd);
    if (git_odb_hashfile(&id, access(byfd, F_OK) == 0 ? byfd : abs,
                         GIT_OBJECT_BLOB) < 0)
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
 * arena, unless it is a bounded one over max_bytes: then it is listed with
 * its size and blob id only. The size is fstat's, before any read, and no more than it
 * is read should the file grow meanwhile. O_NOFOLLOW: a file swapped for a
 * link since lstat is not followed (nor is a FIFO opened blocking). */
static int
read_file(struct reader *r, const struct buf *abs, size_t rel_at)
{
    const char *rel = abs->data + rel_at;
    struct source_file *f;
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
    size_t size = (size_t)st.st_size;
    gitdiag_watch_step(r->watch, size, "%s", rel);
    if (size > r->max_bytes && source_bounded(rel)) {
        f = add_file(r, rel);
        f->size = size;
        f->too_big = true;
        f->mtime = (struct timestamp){ st.st_mtim.tv_sec, 0, true };
        rc = hash_big(r, f, fd, abs->data);
        goto out;
    }
    char *data = arena_alloc(r->a, size + 1);
    ssize_t len = read_all(fd, data, size);
    if (len < 0) {
        rc = io_error(r, rel);
        goto out;
    }
    f = add_file(r, rel);
    f->data = data;
    f->len = f->size = (size_t)len; /* less than fstat's if it shrank */
    f->mtime = (struct timestamp){ st.st_mtim.tv_sec, 0, true };
    rc = hash_blob(r, f);
out:
    close(fd);
    return rc;
}

static int read_dir(struct reader *r, struct buf *abs, size_t rel_at);

/* Says that the symlink at path is left out, so that no file of a site
 * moved in goes missing without a word. */
static void
skip_symlink(struct reader *r, const char *path)
{
    diags_add(r->d, DIAG_WARNING, path, 0, 0, "a symlink, left out: gazette "
              "never follows one (put the file itself here)");
}

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
    /* A step per entry: each one's lstat and .gitignore rules are reads. */
    gitdiag_watch_step(r->watch, 0, "%s", abs->data + rel_at);
    if (lstat(abs->data, &st) < 0)
        return errno == ENOENT ? 0 : io_error(r, abs->data + rel_at);
    if (only && (st.st_mode & S_IFMT) != only)
        return 0;
    if (S_ISDIR(st.st_mode))
        return read_dir(r, abs, rel_at);
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return 0;
    if (is_ignored(r, abs->data + rel_at, &ignored) < 0)
        return -1;
    if (!ignored && S_ISLNK(st.st_mode))
        skip_symlink(r, abs->data + rel_at);
    return ignored || S_ISLNK(st.st_mode) ? 0 : read_file(r, abs, rel_at);
}

/* True for a name the site leaves out: one starting with '.' (.git,
 * .DS_Store, editor files, hidden folders), except below static/, which is
 * published as it is (.well-known/, .htaccess) but for a .git. */
static bool
hidden(const char *folder, const char *name)
{
    if (name[0] != '.')
        return false;
    bool in_static = !strncmp(folder, "static", 6) &&
                     (!folder[6] || folder[6] == '/');
    return !in_static || !strcmp(name, ".") || !strcmp(name, "..") ||
           !strcmp(name, ".git");
}

/* Reads every entry of the folder at abs but the hidden ones. */
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
        if (hidden(abs->data + rel_at, e->d_name))
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
    gitdiag_watch_step(r->watch, 0, "the index");
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
    struct source_file *f = add_file(r, path);
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
 * submodules, and skips hidden names as the working tree mode does (1
 * skips a subtree). */
static int
visit_entry(const char *root, const git_tree_entry *e, void *payload)
{
    struct tree_walk *w = payload;
    const char *name = git_tree_entry_name(e);
    buf_clear(&w->path);
    buf_printf(&w->path, "%s/%s", w->top, root);
    if (hidden(w->path.data, name))
        return 1;
    buf_puts(&w->path, name);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
        char id[GIT_OID_HEXSZ + 1];
        git_oid_tostr(id, sizeof id, git_tree_entry_id(e));
        /* The walk reads this tree when we return. */
        gitdiag_watch_step(w->r->watch, 0, "tree %s (%s/)", id,
                           w->path.data);
    }
    if (!w->ids && git_tree_entry_filemode(e) == GIT_FILEMODE_LINK)
        skip_symlink(w->r, w->path.data);
    if (!is_file_entry(e))
        return 0;
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
    int err = git_tree_entry_bypath(out, r->tree, repo_path(r, rel));
    if (err == GIT_ENOTFOUND) {
        *out = NULL;
        return 0;
    }
    return err < 0 ? gitdiag_add(r->d, "cannot read %s",
                                 gitdiag_watch_what(r->watch))
                   : 0;
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
                                  r->watch, r->a, r->d) < 0)
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
            size_t max_bytes, struct arena *a, struct diags *d)
{
    struct reader r = { .a = a, .d = d, .max_bytes = max_bytes,
                        .prefix = "" };
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (git_libgit2_init() < 0)
        return gitdiag_add(d, "starting libgit2");
    if (!(r.watch = gitdiag_watch_start(d)))
        goto out;
    if (find_root(&r, dir) < 0 || open_repo(&r, ref) < 0 ||
        find_commit(&r, ref) < 0)
        goto out;
    if (ref && git_repository_odb(&r.odb, r.repo) < 0) {
        gitdiag_add(d, "opening the object database");
        goto out;
    }
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
    gitdiag_watch_stop(r.watch);
    buf_dispose(&r.scratch);
    git_odb_free(r.odb);
    git_index_free(r.index);
    git_tree_free(r.tree);
    git_commit_free(r.commit);
    git_repository_free(r.repo);
    git_libgit2_shutdown();
    return rc;
}

bool
source_bounded(const char *path)
{
    if (!strncmp(path, "content/", 8))
        return str_ends_with(path, ".md") || str_ends_with(path, ".markdown");
    if (!strncmp(path, "themes/", 7))
        return str_ends_with(path, ".mustache");
    return !strcmp(path, SITE_CONFIG);
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
