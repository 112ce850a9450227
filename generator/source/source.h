/* source.h: the first stage. Reads a site from its git repository, either
 * the working tree (uncommitted edits show) or the tree of one commit, and
 * supplies each file's blob id and its git dates. Only this stage sees
 * libgit2. */
#ifndef GZ_SOURCE_H
#define GZ_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct diags;

/* A point in time as git and YAML give it: seconds since the epoch and the
 * UTC offset it was written in, in minutes. */
struct timestamp {
    int64_t secs;
    int offset_min;
    bool set;
};

struct source_file {
    const char *path; /* relative to the site root, '/'-separated, e.g.
                         "content/astro/ngc.md" or "site.yaml" */
    const char *data; /* the bytes, NUL-terminated (a NUL inside is data);
                         NULL when too_big */
    size_t len;       /* of data: size, or 0 when too_big */
    char blob_id[41]; /* git blob id of the bytes (hex), also for
                         uncommitted and too_big files (hashed as git
                         would) */
    /* From the history of the commit read (HEAD for the working tree):
     * created = author date of the commit that added the file (following
     * renames), updated = author date of the last commit that changed it.
     * Both unset for a file not yet committed; then mtime is set (working
     * tree only; unset with a ref). */
    struct timestamp created, updated, mtime;
    const char *author; /* of the adding commit; NULL when unknown */
    bool dirty;         /* working tree differs from HEAD for this file */
    size_t size;        /* bytes of the file, also when it was not read */
    bool too_big;       /* over source_open's max_bytes: data is NULL and
                           the file was never read */
    bool unread;        /* not read yet (source_open_cached found it as
                           its cache knows it): data NULL, len 0, until
                           source_load */
};

struct source {
    const char *root;   /* the site directory, absolute */
    const char *commit; /* hex id of the commit read or HEAD; NULL when the
                           repository has no commits (or no repository) */
    bool from_ref;      /* read from a commit, not the working tree */
    bool shallow;       /* history is cut: dates are approximate */
    struct source_file *files; /* sorted by path */
    size_t nfiles;
};

/* Reads the site at dir (a directory inside a git work tree; its files are
 * reported relative to dir). With ref == NULL the working tree is read:
 * site.yaml and every regular file under content/, static/ and themes/,
 * skipping dot-files and dot-folders (but in static/, where only .git is
 * skipped), files git ignores, and symlinks
 * wherever they point. With a ref (anything git rev-parse accepts), the
 * same paths come from that commit's tree. Dates come from one walk of the
 * history, following renames. Everything lives in arena a.
 *
 * Every file gets size. A file gazette parses (see source_bounded) larger
 * than max_bytes (SIZE_MAX: no cap) is listed with too_big set, data NULL
 * and len 0, and is never read: the decision comes from fstat, or from the
 * blob's object header with a ref. Its blob_id is still set: from the tree
 * with a ref; in the working tree by hashing the file in small pieces,
 * never holding it in memory. The other files (static/, a post's images,
 * theme assets) are published as they are, so they are read whatever
 * their size: the site's memory use grows with them.
 *
 * A ref that does not resolve, an unreadable repository, a corrupt object
 * (named by its id, and path where it has one) or an I/O error is a
 * DIAG_SYSTEM (libgit2's message copied) and returns -1. So is a
 * repository that is there but cannot be used: a .git without HEAD (which
 * git would pass over for a repository further up), a HEAD that cannot be
 * read, or a repository owned by another user (the message names the
 * safe.directory command that trusts it). A shallow history sets
 * out->shallow and adds one DIAG_WARNING. A dir that is in no git
 * repository is read as a working tree with mtimes only (a ref there is a
 * DIAG_SYSTEM error), and so is a repository with no commit yet (an unborn
 * branch) when no ref is given. Only the objects a mode needs are read: a
 * corrupt blob that the working tree mode never opens goes unnoticed, as
 * with git status.
 *
 * Each read is bounded: libgit2 1.5 can loop forever on a corrupt object,
 * so when one read makes no progress for 8 s the process prints what it
 * was reading ("gazette: blob <id> (<path>): no progress...") to stderr
 * and exits with status 3 at once, from a watchdog thread that lives only
 * during this call. */
int source_open(struct source *out, const char *dir, const char *ref,
                size_t max_bytes, struct arena *a, struct diags *d);

/* source_open with a cache in the folder cache_fd (-1: none), which it
 * reads and updates: each file's blob id by its stat (path, size, inode,
 * mtime and ctime; a file changed within the cache's own timestamp
 * granularity is hashed again, as git does with its index), and the git
 * dates of every file by the commit read, so that nothing is hashed and
 * no history walked when nothing changed. A file under content/ or
 * static/ whose blob id came from the cache is not read: it is unread
 * (too_big files stay too_big). With a ref, blob ids come from the tree
 * and only the dates are cached. A cache that is missing, stale, from
 * another version or corrupt is ignored and rewritten: the result is the
 * same as source_open's, byte for byte, in every case. */
int source_open_cached(struct source *out, const char *dir, const char *ref,
                       size_t max_bytes, int cache_fd, struct arena *a,
                       struct diags *d);

/* Starts libgit2 on a thread of its own, for a later source_open_cached
 * (which waits for it), and keeps it started for the process. */
void source_start_early(void);

/* Waits for that start, if it is still going. A process must not exit
 * before it ends: OpenSSL's exit handler would pull its state from under
 * the start (a crash in one exit of eight when `build -o /` was
 * refused). */
void source_wait_early(void);

/* git_libgit2_init, once that start is done: every stage that starts
 * libgit2 starts it with this. */
int source_libgit2_init(void);

/* Does what libgit2's start put off (see source.c): reads the TLS
 * certificates and starts libssh2. Call it, libgit2 started, before
 * anything that may connect to a server (a push). Until then libgit2
 * trusts no server. */
void source_libgit2_remote(void);

/* Reads an unread file's bytes into data and len (in a) and clears
 * unread; nothing for other files. A file that changed since
 * source_open_cached is read as it is now, its blob_id updated. -1 with a
 * DIAG_SYSTEM naming the file on an I/O error. */
int source_load(const struct source *src, struct source_file *f,
                struct arena *a, struct diags *d);

/* (gitdiag.c, for every module that calls libgit2: source/, deploy/.)
 * Adds a DIAG_SYSTEM diag, with no path, made of the formatted text and
 * libgit2's last error message in parentheses; returns -1. Call it right
 * after the failing libgit2 call, before another one overwrites the
 * message. */
int gitdiag_add(struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True for the files max_bytes bounds: those gazette parses, site.yaml,
 * the Markdown files of content/ (.md, .markdown) and the templates of
 * themes/ (.mustache). */
bool source_bounded(const char *path);

/* Binary search by path; NULL when absent. */
const struct source_file *source_find(const struct source *s,
                                      const char *path);

#endif
