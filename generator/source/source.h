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
    const char *data; /* the bytes, NUL-terminated (a NUL inside is data) */
    size_t len;
    char blob_id[41]; /* git blob id of the bytes (hex), also for
                         uncommitted files (hashed as git would) */
    /* From the history of the commit read (HEAD for the working tree):
     * created = author date of the commit that added the file (following
     * renames), updated = author date of the last commit that changed it.
     * Both unset for a file not yet committed; then mtime is set (working
     * tree only; unset with a ref). */
    struct timestamp created, updated, mtime;
    const char *author; /* of the adding commit; NULL when unknown */
    bool dirty;         /* working tree differs from HEAD for this file */
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
 * site.yaml and every regular file under content/ and themes/, skipping
 * dot-files, files git ignores, and symlinks that point outside dir. With a
 * ref (anything git rev-parse accepts), the same paths come from that
 * commit's tree. Dates come from one walk of the history, following renames.
 * Everything lives in arena a.
 *
 * A ref that does not resolve, an unreadable repository or an I/O error is a
 * DIAG_SYSTEM (libgit2's message copied) and returns -1. A shallow history
 * sets out->shallow and adds one DIAG_WARNING. A dir that is not in a git
 * repository is read as a working tree with mtimes only, and a ref there is
 * a DIAG_SYSTEM error. */
int source_open(struct source *out, const char *dir, const char *ref,
                struct arena *a, struct diags *d);

/* Binary search by path; NULL when absent. */
const struct source_file *source_find(const struct source *s,
                                      const char *path);

#endif
