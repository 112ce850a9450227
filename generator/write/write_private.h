/* write_private.h: what the files of write/ share: place.c (the output
 * folder: where it may be, opening it without symlinks, its lock, its
 * manifest) and journal.c (the staged, journaled swap and its undoing).
 * Never included from outside this folder. */
#ifndef GZ_WRITE_PRIVATE_H
#define GZ_WRITE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "write.h"
#include "../base/base.h"

#define WRITE_MANIFEST WRITE_STATE_DIR "/manifest"
#define WRITE_LEGACY_MANIFEST ".gazette-manifest" /* before .gazette/ */

/* An output folder, open and checked. */
struct place {
    int root;        /* the folder; -1 when not open */
    int state;       /* its .gazette/ folder; -1 when absent */
    int lock;        /* .gazette/lock, held (flock) once locked */
    dev_t dev;       /* the folder's identity, which the manifest names */
    ino_t ino;
    bool owned;      /* gazette made it (or --force adopted it) */
    bool sync;       /* wait for the disk at each step of a publish */
};

/* Opens dir as the output folder, creating it when create is set, and
 * applies write_check_output's rules to it (DIAG_USAGE, -1, on refusal;
 * DIAG_SYSTEM on I/O errors). Without create, a folder that does not exist
 * yet is checked by its nearest existing parent and out->root is -1. */
int place_open(struct place *out, const char *dir, bool create, bool force,
               struct diags *d);

/* Makes .gazette/ and takes its lock, waiting (with a message naming the
 * holder's pid) while another gazette holds it. */
int place_lock(struct place *p, const char *dir, struct diags *d);

/* Releases the lock and closes what place_open opened. */
void place_close(struct place *p);

/* What the manifest says of one file: the identity gazette left it with,
 * and the key it was made from (all zero: none). */
struct owned {
    const char *path;
    unsigned long long ino;
    long long sec, nsec;
    struct output_key key;
};

/* An output folder's manifest as the last publish left it. Its first line
 * is "gazette manifest 3 DEV INO CHECK" (the folder's identity, a check of
 * the rest), then a line a file, "INO SEC NSEC KEY PATH", KEY being 32 hex
 * digits or "-" for none. Versions 1 (no KEY: files keyless) and 2 (no
 * CHECK) are still read. */
struct manifest {
    struct buf text;     /* the file, cut into lines: the paths below */
    struct owned *files; /* in the manifest's order */
    size_t len;
    struct map *by_path; /* path -> its struct owned; NULL until asked */
    bool exact;          /* this version of this folder's, every line read
                            and as written, no path twice: one that lists
                            the same files says the same */
    bool twice;          /* a path on two lines (known once by_path is) */
};

/* Reads p's manifest. Its files are listed only when it names p's folder
 * (one copied from elsewhere is not this folder's record); a missing or
 * unreadable one is empty. Lines that make no sense are skipped. */
void manifest_read(struct manifest *out, const struct place *p);
void manifest_dispose(struct manifest *m);
/* The file of m at path (the first line naming it), or NULL. */
const struct owned *manifest_find(struct manifest *m, const char *path);
/* Appends the first line of a manifest of p's folder, its check left
 * blank (returned: where it is); one file's line; the check, once the
 * lines are all there. */
size_t manifest_put_head(struct buf *b, const struct place *p);
void manifest_put_file(struct buf *b, const struct owned *o);
/* Lines from..to (to > from) of m, which manifest_read found exact, copied
 * as they were written: most of a manifest is the last one's lines. */
void manifest_put_lines(struct buf *b, const struct manifest *m,
                        size_t from, size_t to);
void manifest_seal(struct buf *b, size_t check);

/* One step of a publish, in the order they are applied. */
enum change_kind {
    CHANGE_MKDIR,   /* make folder path in its CHANGE_TREE's staged folder
                       (parents come first); a version 1 journal's M step
                       made it in place, and is still undone */
    CHANGE_TREE,    /* put staged folder n, made whole, at path */
    CHANGE_WRITE,   /* put staged file n at path; had_old: one was there */
    CHANGE_REMOVE,  /* take path away (kept as old/n until committed) */
    CHANGE_RMDIR,   /* take folder path away if it is empty by then */
};

struct change {
    enum change_kind kind;
    const char *path;
    size_t n;
    bool had_old;
    size_t tree;      /* 1 + the CHANGE_TREE whose staged folder this
                         is made in (always, for a MKDIR), not put in
                         place by a step of its own; else 0 */
    const char *data; /* CHANGE_WRITE: the bytes to stage, which are
                         someone else's: NULL once staged */
    size_t len;
    ino_t ino;        /* CHANGE_WRITE, once staged: the file's identity, */
    struct timespec mtime; /* which it keeps when renamed into place */
};

struct changes {
    struct change *items;
    size_t len, cap;
};

/* Makes the staged folder of every CHANGE_TREE from index from on
 * (.gazette/stage/<n>) and the folders made in it, and writes the bytes of
 * every CHANGE_WRITE to .gazette/stage/<n> or to its place in the staged
 * folder it is in, noting each file's identity. Nothing is synced
 * yet: journal_publish syncs all that was staged at once. Once a signal
 * was caught it stages no more and returns 0: the caller asks
 * journal_interrupted. On failure removes all that was staged; -1 with a
 * DIAG_SYSTEM. */
int journal_stage(struct place *p, struct changes *c, size_t from,
                  const char *dir, struct diags *d);

/* Syncs what was staged, records c as .gazette/journal (atomically,
 * synced), applies it, syncs, and removes the journal: the commit. A
 * failure while applying undoes what was applied; -1 with a DIAG_SYSTEM.
 * Signals that would stop the process are held back while it runs. */
int journal_publish(struct place *p, const struct changes *c,
                    const char *dir, struct diags *d);

/* True when the folder root holds the journal of an interrupted publish
 * into it (one that names its device and inode): the folder is gazette's
 * even before its first manifest. */
bool journal_names(int root, dev_t dev, ino_t ino);

/* Undoes an interrupted publish whose journal is still there, then clears
 * .gazette/stage and .gazette/old. -1 with a DIAG_SYSTEM when the journal
 * cannot be read or undone. */
int journal_recover(struct place *p, const char *dir, struct diags *d);

/* While on, SIGINT, SIGTERM and SIGHUP only set a flag, which
 * journal_interrupted returns (the signal's number, or 0). */
void journal_catch_signals(bool on);
int journal_interrupted(void);

#endif
