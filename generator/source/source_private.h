/* source_private.h: what source.c (the repository, a commit's files, the
 * whole of a read), worktree.c (the working tree's files), history.c
 * (dates from one walk of the history), cache.c (the cache file of
 * source_open_cached) and gitdiag.c (libgit2 errors and hangs) share
 * inside source/. Never included from outside this folder. */
#ifndef GZ_SOURCE_PRIVATE_H
#define GZ_SOURCE_PRIVATE_H

#include "source.h"
#include "../base/base.h"

#include <git2.h>
#include <stdatomic.h>

struct arena;
struct watch;

/* What a site is made of, relative to its root: one file, three folders
 * (source_site_dirs, in source.c). */
#define SOURCE_CONFIG "site.yaml"
#define SOURCE_NDIRS 3
extern const char *const source_site_dirs[SOURCE_NDIRS];

/* A watchdog over one source_open. libgit2 1.5 can loop forever inside a
 * single call on a corrupt object (a truncated loose object: inflate makes
 * no progress and libgit2 asks again; libgit2 issue #7342, fixed after
 * 1.5), and a libgit2 call cannot be interrupted. So each read is a step:
 * before it, the reader names what it reads; when one step runs for
 * GITDIAG_STALL_SECS (plus 1 s per 16 MiB it said it reads), a thread
 * prints "gazette: <what>: no progress..." and ends the process with
 * status 3, a system error. Each step gets its own time, so a long walk of
 * a large history that keeps moving is never cut; 8 s leaves room for what
 * comes before the stuck read within 10 s.
 *
 * start returns NULL, with a DIAG_SYSTEM diag, when the thread cannot be
 * made; stop (NULL is fine) ends the thread and frees the watch. what is
 * the last step's name, for error messages, good until the next step. */
#define GITDIAG_STALL_SECS 8
struct watch *gitdiag_watch_start(struct diags *d);
void gitdiag_watch_step(struct watch *w, size_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *gitdiag_watch_what(const struct watch *w);
void gitdiag_watch_stop(struct watch *w);

/* (cache.c) The cache file of source_open_cached, as read or to write. */

/* At most this many commits' dates are kept: the one read last, and the
 * one before (a build of HEAD and a deploy of another ref take turns). */
#define CACHE_COMMITS 2
/* The files new or changed since the cache (or settled since it found
 * them racy) that it may lack before it is written again: each costs a
 * build a read and a hash of that file; writing the cache (a line for
 * each file of the site) costs more, at each save of a post. */
#define CACHE_STALE_FILES 32

/* A working tree file's stat when its blob id was computed. */
struct cache_stat {
    const char *path; /* relative to the site */
    uint32_t rank;    /* its place among the files sorted by path */
    uint64_t size, ino;
    int64_t mtime_ns, ctime_ns;
    bool tracked; /* in the index */
    git_oid id;   /* its blob id */
};

/* A commit's record: the key it was made for, and where its files are.
 * Its files are read with a record_reader, only for the record used. */
struct cache_commit {
    char id[GIT_OID_HEXSZ + 1]; /* the commit */
    const char *prefix;         /* the site folder in the repository */
    uint64_t shallow_key;       /* of .git/shallow: the history's cut */
    const unsigned char *bytes, *rest; /* the whole record, its files */
    size_t nbytes;
};

/* What a cache file held, used in place: its strings and tables are in
 * data, the file's bytes, till cache_unload. A cache not loaded is
 * empty. */
struct cache {
    const unsigned char *data;
    size_t nbytes;
    bool loaded;
    int64_t scan_ns;         /* when the scan that wrote it began */
    struct cache_stat index; /* of .git/index, then */
    size_t nstats;           /* in the order of that scan */
    const unsigned char *stat_table;
    const char *strings;
    size_t nstrings;
    struct cache_commit commits[CACHE_COMMITS]; /* most recent first */
    size_t ncommits;
};

/* What cache_save writes: the stats of this scan (NULL: those of old, as
 * they were), the record of the commit read (new, with its files in path
 * order; NULL when it was taken from the cache, or there is no commit),
 * then older records as they were read. */
struct cache_update {
    int64_t scan_ns;
    const char *root;
    struct cache_stat index;
    const struct cache_stat *stats;
    size_t nstats;
    const struct cache *old;
    const struct cache_commit *record;
    struct source_file *const *files;
    size_t nfiles;
    const struct cache_commit *kept[CACHE_COMMITS];
    size_t nkept;
};

/* Reads the cache file of the folder dir_fd into out, when it is one
 * cache_save wrote, for gazette's version and this site root (an absolute
 * path). Anything else leaves out empty: a missing file, a symlink (never
 * followed), another format, a short or damaged file. */
void cache_load(struct cache *out, int dir_fd, const char *root);

/* Releases what cache_load read. */
void cache_unload(struct cache *c);

/* Stat i (below c->nstats) of the cache. */
void cache_stat_at(const struct cache *c, size_t i, struct cache_stat *out);

/* A file of a record, as a record_reader reads it. */
struct cache_dated {
    const char *path;
    const unsigned char *id; /* its blob id, 20 bytes */
    struct timestamp created, updated;
    const char *author; /* NULL: none */
};

/* Reads the files of a record one by one, in path order. */
struct record_reader {
    struct cursor {
        const unsigned char *p, *end;
        bool ok;
    } c;
    const char **authors;
    size_t nauthors, left;
    struct cache_dated file; /* the one read last */
};

/* Starts reading rec; -1 when it is damaged. */
int cache_record_open(struct record_reader *rr, const struct cache_commit *rec);
/* The next file, good until the next call (its strings the cache's); NULL
 * after the last, or at damage. */
const struct cache_dated *cache_record_next(struct record_reader *rr);
/* Ends reading: true when the record was read whole and sound. */
bool cache_record_done(struct record_reader *rr);

/* Replaces the cache file of dir_fd with u, whole or not at all (a
 * temporary file in the folder, then renamed; no sync: a cache may be
 * lost). Returns 0, or -1 with errno set. */
int cache_save(const struct cache_update *u, int dir_fd);

/* (source.c, worktree.c) The state of one source_open_cached call; the
 * git objects are released at its end. */
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
    /* read_commit's list_only mode: the commit's files, paths and ids. */
    struct vec listed;
    struct map *listed_by_path;
    /* source_open_cached: the cache as it was (NULL: none), its files by
     * path, and the stat of each file read now, as r->files (unsorted;
     * NULL while each is the cache's next one as it was). */
    const struct cache *old;
    struct map *old_stats;  /* made when the scan's order differs */
    size_t old_next;        /* the entry the scan should meet next */
    struct cache_stat *stats;
    size_t nstats, stats_cap;
    struct cache_stat index_stat; /* of .git/index */
    uint32_t *rank;         /* each file's place in path order */
    bool index_same;        /* unchanged: the cache's tracked flags stand */
    bool stats_changed;   /* the index is new or changed, or settled
                             since the cache found it racy */
    size_t stats_stale;   /* the files so (see CACHE_STALE_FILES) */
    struct arena *tmp;    /* the cache's data, HEAD's list: this call's */
    int64_t scan_ns;      /* when this call began, for the next cache */
};

/* (source.c, for worktree.c) A new zeroed file named path at the end of
 * r->files, good until the next call (the array grows). */
struct source_file *reader_add_file(struct reader *r, const char *path);
/* The repository path of the site path rel, in r->scratch until the next
 * call. */
const char *reader_repo_path(struct reader *r, const char *rel);
/* Says that the symlink at path is left out (a warning). */
void reader_skip_symlink(struct reader *r, const char *path);
/* True for a name in folder (a site path) that the site leaves out. */
bool reader_hidden(const char *folder, const char *name);
/* Sorts r->files by path, noting each one's place in r->rank (with a
 * cache). */
void reader_sort_files(struct reader *r);

/* (worktree.c) Working tree mode: site.yaml and the site folders from the
 * file system into r->files (unsorted), each file's stat noted for the
 * next cache when there is one (r->old). Returns 0, or -1 with a diag. */
int worktree_read(struct reader *r);
/* The stats of the scan to save in the cache, one per file of r->files as
 * worktree_read added them, each with its rank (after reader_sort_files). */
struct cache_stat *worktree_stats(struct reader *r);

/* Fills created, updated and author of the n files in dated (paths relative
 * to the site) from one walk of the first-parent history of tip, newest
 * first. prefix is the site directory relative to the work tree, "" or
 * ending in '/'; only paths under it count. A file whose adding commit the
 * walk does not reach keeps created unset. Authors are copied into a.
 * Each object read is a step of watch. since (NULL: none) is the cache's
 * record of an older commit, for the same prefix and shallow cut: should
 * the walk meet that commit, each file takes what the record has for its
 * name there, as a walk from there would find it, and the walk goes on
 * only for a file the record does not name. When stop (may be NULL)
 * becomes true, the walk ends early, its dates incomplete.
 * Returns 0, or -1 with a DIAG_SYSTEM diag naming the object when libgit2
 * fails. */
int history_walk(struct source_file **dated, size_t n, git_repository *repo,
                 git_commit *tip, const char *prefix, struct watch *watch,
                 const struct cache_commit *since, const atomic_bool *stop,
                 struct arena *a, struct diags *d);

#endif
