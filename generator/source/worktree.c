/* worktree.c: the working tree mode of source/: every file of the site
 * from the file system, hashed as git would, or known by its stat from
 * source_open_cached's cache (then left unread); and source_load, which
 * reads such a file later. */
#include "source_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/jobs.h"
#include "../diag.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file changed less than this before a scan began may change again
 * unseen within its timestamp's granularity: it is hashed again by the
 * next scan, as git does with racily clean index entries. 2 s covers the
 * coarse clocks file systems stamp with, and FAT's 2-second mtimes. */
#define CACHE_RACY_NS ((int64_t)2000000000)

/* An I/O error on the site path rel, from errno. Returns -1. */
static int
io_error(struct reader *r, const char *rel)
{
    return diags_add(r->d, DIAG_SYSTEM, rel, 0, 0, "%s", strerror(errno));
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

/* The index, read when first needed: a warm cache often needs none. */
static int
need_index(struct reader *r)
{
    if (r->index)
        return 0;
    gitdiag_watch_step(r->watch, 0, "the index");
    if (git_repository_index(&r->index, r->repo) < 0)
        return gitdiag_add(r->d, "reading the index");
    return 0;
}

/* One file of the scan: its name in its folder, the stat lstat gave it,
 * and what the cache knows of it: entry was_at of its stats (NO_STAT:
 * nothing). */
#define NO_STAT SIZE_MAX
struct entry {
    int dir_fd;
    const char *name;
    struct stat st;
    size_t was_at;
    struct cache_stat was;
    bool tracked;
};

/* Whether git ignores the site path rel: it is not tracked (git never
 * ignores a file in its index) and an ignore rule matches it or a folder
 * above it. Sets e->tracked, whether it is in the index, as the cache knows
 * it while the index has not changed: in it or not, as last time. */
static int
is_ignored(struct reader *r, const char *rel, struct entry *e, bool *out)
{
    int ignored = 0;
    *out = false;
    if (!r->repo)
        return 0;
    const char *path = reader_repo_path(r, rel);
    if (e->was_at != NO_STAT && r->index_same) {
        e->tracked = e->was.tracked;
    } else {
        if (need_index(r) < 0)
            return -1;
        e->tracked = git_index_get_bypath(r->index, path, 0) != NULL;
    }
    if (e->tracked)
        return 0;
    /* The .gitignore files on the way are read here. */
    gitdiag_watch_step(r->watch, 0, "%s", rel);
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

static int64_t
stat_ns(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static bool
same_values(const struct cache_stat *was, const struct cache_stat *s)
{
    return was->size == s->size && was->ino == s->ino &&
           was->mtime_ns == s->mtime_ns && was->ctime_ns == s->ctime_ns;
}

/* Whether the file of stat s last changed safely before the scan that
 * began at scan_ns (see CACHE_RACY_NS). */
static bool
settled(const struct cache_stat *s, int64_t scan_ns)
{
    int64_t safe = scan_ns - CACHE_RACY_NS;
    return s->mtime_ns < safe && s->ctime_ns < safe;
}

/* Whether the cache's stat was is just s, from a scan that began safely
 * after the file last changed: then its blob id is the file's. */
static bool
unchanged(const struct reader *r, const struct cache_stat *was,
          const struct cache_stat *s)
{
    return same_values(was, s) && settled(s, r->old->scan_ns);
}

/* unchanged() for the scan's entry e, which the cache may not know. */
static bool
same_stat(const struct reader *r, const struct entry *e,
          const struct cache_stat *s)
{
    return e->was_at != NO_STAT && unchanged(r, &e->was, s);
}

/* Whether the next cache must be written for a file of stat s, which the
 * cache had as was (NULL: not at all): it changed, or it was racy then
 * and is settled now (the cache written now will trust it). A file racy
 * still gains nothing from a new cache: it is read again anyway. */
static bool
worth_saving(const struct reader *r, const struct cache_stat *was,
             const struct cache_stat *s, bool same)
{
    return !same || (!settled(was, r->old->scan_ns) &&
                     settled(s, r->scan_ns));
}

static struct cache_stat
stat_of(const char *path, const struct stat *st, bool tracked)
{
    return (struct cache_stat){ .path = path,
                                .size = (uint64_t)st->st_size,
                                .ino = (uint64_t)st->st_ino,
                                .mtime_ns = stat_ns(st->st_mtim),
                                .ctime_ns = stat_ns(st->st_ctim),
                                .tracked = tracked };
}

/* Notes, for the next cache, the stat st that the blob id of f (just
 * added; id, when not NULL, is it already parsed) goes with; and whether
 * the cache had just that. While every file is the cache's next one as it
 * was, nothing is copied: the new stats are the old ones (r->stats stays
 * NULL). */
static void
remember_stat(struct reader *r, const struct source_file *f,
              const struct stat *st, const struct entry *e, const git_oid *id)
{
    if (!r->old)
        return;
    struct cache_stat now = stat_of(f->path, st, e->tracked);
    if (id)
        git_oid_cpy(&now.id, id);
    else
        git_oid_fromstr(&now.id, f->blob_id);
    bool same = e->was_at != NO_STAT && same_values(&e->was, &now) &&
                e->was.tracked == now.tracked &&
                git_oid_equal(&e->was.id, &now.id);
    r->stats_stale += worth_saving(r, &e->was, &now, same);
    if (same && !r->stats && e->was_at == r->nstats) {
        r->nstats++;
        return;
    }
    if (!r->stats) {
        r->stats_cap = r->old->nstats + 16;
        r->stats = arena_alloc(r->tmp, r->stats_cap * sizeof *r->stats);
        for (size_t i = 0; i < r->nstats; i++)
            cache_stat_at(r->old, i, &r->stats[i]);
    }
    r->stats = arena_grow(r->tmp, r->stats, sizeof *r->stats, &r->stats_cap,
                          r->nstats + 1);
    r->stats[r->nstats++] = now;
}

/* Reads the regular file e (its site path is rel) into the arena, unless
 * it is a bounded one over max_bytes: then it is listed with its size and
 * blob id only. The size is fstat's, before any read, and no more than it
 * is read should the file grow meanwhile. O_NOFOLLOW: a file swapped for a
 * link since lstat is not followed (nor is a FIFO opened blocking). */
static int
read_file(struct reader *r, const struct entry *e, const char *rel)
{
    struct source_file *f;
    struct stat st;
    int rc = 0;
    int fd = openat(e->dir_fd, e->name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
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
        f = reader_add_file(r, rel);
        f->size = size;
        f->too_big = true;
        f->mtime = (struct timestamp){ st.st_mtim.tv_sec, 0, true };
        const char *abs = arena_printf(r->tmp, "%s/%s", r->root, rel);
        if ((rc = hash_big(r, f, fd, abs)) == 0)
            remember_stat(r, f, &st, e, NULL);
        goto out;
    }
    char *data = arena_alloc(r->a, size + 1);
    ssize_t len = read_all(fd, data, size);
    if (len < 0) {
        rc = io_error(r, rel);
        goto out;
    }
    f = reader_add_file(r, rel);
    f->data = data;
    f->len = f->size = (size_t)len; /* less than fstat's if it shrank */
    f->mtime = (struct timestamp){ st.st_mtim.tv_sec, 0, true };
    if ((rc = hash_blob(r, f)) == 0)
        remember_stat(r, f, &st, e, NULL);
out:
    close(fd);
    return rc;
}

/* True for the files the cache may leave unread: those a build publishes
 * or parses only when they changed. site.yaml and themes/ are small and
 * always needed. */
static bool
may_stay_unread(const char *rel)
{
    return !strncmp(rel, "content/", 8) || !strncmp(rel, "static/", 7);
}

/* Lists the file e at rel with the blob id the cache has for it, unread
 * (or too big, as read_file would find it), when the cache may stand for
 * it. Returns false when the file must be read. */
static bool
reuse_cached(struct reader *r, const struct entry *e, const char *rel)
{
    size_t size = (size_t)e->st.st_size;
    bool too_big = size > r->max_bytes && source_bounded(rel);
    struct cache_stat now = stat_of(rel, &e->st, e->tracked);
    if (!(too_big || may_stay_unread(rel)) || !same_stat(r, e, &now))
        return false;
    struct source_file *f = reader_add_file(r, rel);
    f->size = size;
    f->too_big = too_big;
    f->unread = !too_big;
    f->mtime = (struct timestamp){ e->st.st_mtim.tv_sec, 0, true };
    git_oid_tostr(f->blob_id, sizeof f->blob_id, &e->was.id);
    remember_stat(r, f, &e->st, e, &e->was.id);
    return true;
}

/* Sets e->was_at and e->was to the cache's stat of the site path rel,
 * when it has one. The scan meets files in the order the last one did
 * (folders list their entries in a stable order), so the entry after the
 * last one found is tried first; a map, made on the first miss, finds the
 * others. */
static void
find_cached(struct reader *r, const char *rel, struct entry *e)
{
    const struct cache *old = r->old;
    e->was_at = NO_STAT;
    if (!old || !old->nstats)
        return;
    if (r->old_next < old->nstats) {
        cache_stat_at(old, r->old_next, &e->was);
        if (strcmp(e->was.path, rel) == 0) {
            e->was_at = r->old_next++;
            return;
        }
    }
    if (!r->old_stats) {
        r->old_stats = map_new();
        for (size_t i = 0; i < old->nstats; i++) {
            cache_stat_at(old, i, &e->was);
            map_put(r->old_stats, e->was.path, (void *)(uintptr_t)(i + 1));
        }
    }
    uintptr_t at = (uintptr_t)map_get(r->old_stats, rel);
    if (!at)
        return;
    e->was_at = at - 1;
    cache_stat_at(old, e->was_at, &e->was);
    r->old_next = e->was_at + 1;
}

static int read_dir(struct reader *r, int dir_fd, const char *name,
                    struct buf *rel);

/* The lstat of an entry, taken beforehand (see struct folder): err is its
 * errno, 0 when it succeeded. */
struct prestat {
    struct stat st;
    int err;
};

/* Reads the entry name of the folder dir_fd (its site path is rel), whose
 * lstat is pre (NULL: to take now): a folder recursively, a regular file
 * unless git ignores it. When only is not 0 the entry must be of that type
 * (S_IFDIR, S_IFREG) or is skipped.
 *
 * Symlinks are skipped, files and folders alike, wherever they point: one
 * could lead out of the site (and the repository), and following those
 * that stay inside would buy little. Devices, FIFOs and sockets too. */
static int
read_entry(struct reader *r, int dir_fd, const char *name, struct buf *rel,
           mode_t only, const struct prestat *pre)
{
    struct entry e = { .dir_fd = dir_fd, .name = name, .was_at = NO_STAT };
    bool ignored;
    if (pre) {
        e.st = pre->st;
        errno = pre->err;
    } else {
        gitdiag_watch_step(r->watch, 0, "%s", rel->data);
    }
    if (pre ? pre->err != 0
            : fstatat(dir_fd, name, &e.st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : io_error(r, rel->data);
    if (only && (e.st.st_mode & S_IFMT) != only)
        return 0;
    if (S_ISDIR(e.st.st_mode))
        return read_dir(r, dir_fd, name, rel);
    if (!S_ISREG(e.st.st_mode) && !S_ISLNK(e.st.st_mode))
        return 0;
    if (S_ISREG(e.st.st_mode))
        find_cached(r, rel->data, &e);
    if (is_ignored(r, rel->data, &e, &ignored) < 0)
        return -1;
    if (!ignored && S_ISLNK(e.st.st_mode))
        reader_skip_symlink(r, rel->data);
    if (ignored || S_ISLNK(e.st.st_mode) || reuse_cached(r, &e, rel->data))
        return 0;
    return read_file(r, &e, rel->data);
}

/* A folder's entries, listed whole before any is looked at, so that
 * their lstats can be taken on two threads: with a cache, a scan is mostly
 * lstat calls. names holds each name after the other, NUL-terminated. */
struct folder {
    struct buf names;
    size_t *at; /* where each name starts in names */
    struct prestat *stats;
    size_t n, cap;
    int err; /* readdir's errno when the listing stopped short, or 0 */
};

/* Lists the entries of dir but the hidden ones (rel is its site path). */
static void
list_folder(DIR *dir, const char *rel, struct folder *f)
{
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (!e) {
            f->err = errno;
            return;
        }
        if (reader_hidden(rel, e->d_name))
            continue;
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 64;
            f->at = xrealloc(f->at, f->cap * sizeof *f->at);
        }
        f->at[f->n++] = f->names.len;
        buf_put(&f->names, e->d_name, strlen(e->d_name) + 1);
    }
}

/* The entries each worker of stat_folder takes at a time. */
#define STAT_CHUNK 32

struct stat_job {
    int dir_fd;
    struct folder *f;
};

static void
stat_chunk(size_t item, int worker, void *payload)
{
    struct stat_job *job = payload;
    struct folder *f = job->f;
    (void)worker;
    for (size_t i = item * STAT_CHUNK; i < f->n && i < (item + 1) * STAT_CHUNK;
         i++) {
        struct prestat *l = &f->stats[i];
        l->err = fstatat(job->dir_fd, f->names.data + f->at[i], &l->st,
                         AT_SYMLINK_NOFOLLOW) < 0
                     ? errno
                     : 0;
    }
}

/* Takes the lstat of every entry of the folder dir_fd: on two threads
 * when a cache spares the reading of files and there are many. */
static void
stat_folder(const struct reader *r, int dir_fd, struct folder *f)
{
    struct stat_job job = { dir_fd, f };
    size_t chunks = (f->n + STAT_CHUNK - 1) / STAT_CHUNK;
    f->stats = xmalloc((f->n ? f->n : 1) * sizeof *f->stats);
    if (r->old && r->old->loaded && chunks > 2)
        jobs_run(chunks, 2, stat_chunk, &job);
    else
        for (size_t i = 0; i < chunks; i++)
            stat_chunk(i, 0, &job);
}

/* Reads every entry of the folder name of dir_fd (its site path is rel)
 * but the hidden ones, in the order the folder lists them. O_NOFOLLOW: a
 * folder swapped for a symlink since its lstat is not followed. */
static int
read_dir(struct reader *r, int dir_fd, const char *name, struct buf *rel)
{
    int fd = openat(dir_fd, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *dir = fd < 0 ? NULL : fdopendir(fd);
    struct folder f = { BUF_INIT, NULL, NULL, 0, 0, 0 };
    size_t keep = rel->len;
    int rc = 0;
    if (!dir) {
        rc = io_error(r, rel->data);
        if (fd >= 0)
            close(fd);
        return rc;
    }
    /* A step for the folder: its listing and its entries' lstat calls. */
    gitdiag_watch_step(r->watch, 0, "%s/", rel->data);
    list_folder(dir, rel->data, &f);
    stat_folder(r, fd, &f);
    for (size_t i = 0; rc == 0 && i < f.n; i++) {
        const char *entry = f.names.data + f.at[i];
        buf_putc(rel, '/');
        buf_puts(rel, entry);
        rc = read_entry(r, fd, entry, rel, 0, &f.stats[i]);
        rel->len = keep;
        rel->data[keep] = '\0';
    }
    if (rc == 0 && f.err) {
        errno = f.err;
        rc = io_error(r, rel->data);
    }
    closedir(dir);
    buf_dispose(&f.names);
    free(f.at);
    free(f.stats);
    return rc;
}

/* Whether the index is as the cache saw it (then the files it says are
 * tracked still are); notes its stat for the next cache either way, and
 * whether that is worth saving. A repository without an index file yet
 * has all zeros. */
static void
check_index(struct reader *r)
{
    struct stat st;
    const struct cache_stat *was = &r->old->index;
    const char *path = arena_printf(r->tmp, "%sindex",
                                    git_repository_path(r->repo));
    if (stat(path, &st) == 0)
        r->index_stat = stat_of("index", &st, false);
    else
        r->index_stat = (struct cache_stat){ .path = "index" };
    bool same = r->old->loaded && same_values(was, &r->index_stat);
    r->index_same = same && (!r->index_stat.ino ||
                             settled(&r->index_stat, r->old->scan_ns));
    r->stats_changed |= worth_saving(r, was, &r->index_stat, same);
}

/* Working tree mode: site.yaml and the site folders from the file system.
 * The index is read first, as ever, unless the cache stands for it. */
int
worktree_read(struct reader *r)
{
    struct buf rel = BUF_INIT;
    int rc = 0, root_fd;
    if (r->repo && r->old)
        check_index(r);
    if (r->repo && !r->index_same && need_index(r) < 0)
        return -1;
    /* O_PATH: a handle to find entries by, as lstat by path did, which
     * needs no right to list the folder. */
    if ((root_fd = open(r->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return diags_add(r->d, DIAG_SYSTEM, NULL, 0, 0, "\"%s\": %s",
                         r->root, strerror(errno));
    /* As many files as last time, most likely: one allocation. */
    if (r->old && r->old->nstats) {
        r->cap = r->old->nstats + 16;
        r->files = arena_alloc(r->a, r->cap * sizeof *r->files);
    }
    buf_puts(&rel, SOURCE_CONFIG);
    rc = read_entry(r, root_fd, SOURCE_CONFIG, &rel, S_IFREG, NULL);
    for (size_t i = 0; rc == 0 && i < SOURCE_NDIRS; i++) {
        buf_clear(&rel);
        buf_puts(&rel, source_site_dirs[i]);
        rc = read_entry(r, root_fd, source_site_dirs[i], &rel, S_IFDIR,
                        NULL);
    }
    close(root_fd);
    buf_dispose(&rel);
    return rc;
}

/* The stats of this scan, each with its place in path order: the cache's
 * own stats while they were met in order (r->stats NULL), those noted
 * since. One per file, in the order of r->rank. */
struct cache_stat *
worktree_stats(struct reader *r)
{
    assert(r->nstats == r->nfiles);
    if (!r->stats) {
        r->stats = arena_alloc(r->tmp, (r->nstats + 1) * sizeof *r->stats);
        for (size_t i = 0; i < r->nstats; i++)
            cache_stat_at(r->old, i, &r->stats[i]);
    }
    for (size_t i = 0; i < r->nstats; i++)
        r->stats[i].rank = r->rank[i];
    return r->stats;
}

/* A file's bytes as they are now, for source_load: its path under root. */
static int
load_file(const char *root, struct source_file *f, struct arena *a,
          struct diags *d)
{
    struct buf abs = BUF_INIT;
    struct stat st;
    int rc = -1;
    buf_printf(&abs, "%s/%s", root, f->path);
    int fd = open(abs.data, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    buf_dispose(&abs);
    if (fd < 0)
        return diags_add(d, DIAG_SYSTEM, f->path, 0, 0, "%s",
                         strerror(errno));
    if (fstat(fd, &st) < 0) {
        diags_add(d, DIAG_SYSTEM, f->path, 0, 0, "%s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        diags_add(d, DIAG_SYSTEM, f->path, 0, 0, "no longer a regular file");
        goto out;
    }
    char *data = arena_alloc(a, (size_t)st.st_size + 1);
    ssize_t len = read_all(fd, data, (size_t)st.st_size);
    if (len < 0) {
        diags_add(d, DIAG_SYSTEM, f->path, 0, 0, "%s", strerror(errno));
        goto out;
    }
    f->data = data;
    f->len = f->size = (size_t)len;
    rc = 0;
out:
    close(fd);
    return rc;
}

/* libgit2, for hashing, from the first source_load on: worker threads
 * load files long after source_open_cached has let libgit2 go. */
static void
init_libgit2(void)
{
    source_libgit2_init();
}

int
source_load(const struct source *src, struct source_file *f,
            struct arena *a, struct diags *d)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    git_oid id;
    if (!f->unread)
        return 0;
    if (load_file(src->root, f, a, d) < 0)
        return -1;
    pthread_once(&once, init_libgit2);
    if (git_odb_hash(&id, f->data, f->len, GIT_OBJECT_BLOB) < 0)
        return diags_add(d, DIAG_SYSTEM, f->path, 0, 0, "cannot hash (%s)",
                         git_error_last() ? git_error_last()->message
                                          : "unknown libgit2 error");
    git_oid_tostr(f->blob_id, sizeof f->blob_id, &id);
    f->unread = false;
    return 0;
}
