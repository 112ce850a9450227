/* write.h: the last stage. Publishes the rendered files into the output
 * folder, all or nothing: each changed file is staged, a journal records
 * the swap, and the swap is a series of renames that the next run finishes
 * undoing if it was cut short (SIGKILL, power cut). Only files whose bytes
 * changed are touched; nothing is ever written outside the folder or
 * through a symlink; a file is removed only when gazette wrote it there and
 * nobody changed it since. The folder's own records live in .gazette/. */
#ifndef GZ_WRITE_H
#define GZ_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "../render/render.h"

#define WRITE_STATE_DIR ".gazette" /* manifest, journal, lock, staging */

struct write_stats {
    size_t written, unchanged, removed;
};

/* Checks, before anything is read or written, that dir may be gazette's
 * output folder: not the site (the current directory) nor a folder that
 * holds it, not inside its content/, themes/, static/ or .git, not / or
 * the home folder, not a symlink nor reached through one inside the site,
 * and, unless force, empty or made by gazette. Each refusal is a
 * DIAG_USAGE; returns -1 then. A publish that a killed run left half done
 * is undone here, so that the folder is whole again whatever comes next. */
int write_check_output(const char *dir, bool force, struct diags *d);

/* Checks the rendered paths: each one safe, short enough for the file
 * system, written once, never both a file and a folder, never inside
 * .gazette/. Each bad path is a DIAG_CONTENT; returns -1 then. */
int write_check_paths(const struct output *files, struct diags *d);

/* Publishes files into dir (write_check_output's rules apply again, under
 * the folder's lock, which a concurrent build waits for). A journal left by
 * an interrupted run is rolled back first. On any failure, SIGINT or
 * SIGTERM before the swap, the folder is left as it was, byte for byte and
 * mtimes included, and -1 is returned with a diag (DIAG_SYSTEM). */
int write_output(struct write_stats *out, const char *dir,
                 const struct output *files, unsigned flags,
                 struct diags *d);

/* The same in steps, so that a build can look up what the last one
 * published before it renders, and hand over its files in batches that it
 * frees as it goes (memory stays bounded by a batch, not the site):
 *
 *   write_begin    write_check_output's rules, under the folder's lock
 *                  (held until write_end), an interrupted publish undone;
 *                  the manifest is read when first needed (or from
 *                  write_prefetch on);
 *   write_old_key  the key (struct output_file) path was published with,
 *                  when the manifest records one: false otherwise (and
 *                  *key all zero); safe from several threads at once;
 *   write_cache_fd the folder's .gazette/cache/, made when missing, never
 *                  reached through a symlink, for what makes the next
 *                  build faster; -1 when it cannot be had. The session
 *                  owns the fd (the same one each call) until write_end;
 *   write_add      compares each file with what is there and stages the
 *                  changed ones: their bytes and paths may be freed on
 *                  return. A file with data NULL and a key equal to
 *                  write_old_key's is kept as it is, not read; any other
 *                  file with data NULL is an error (a bug of the caller).
 *                  One call at a time;
 *   write_finish   removes what the last build made and this one did not
 *                  add, publishes all that was staged with the manifest
 *                  (keys included), all or nothing as write_output;
 *   write_end      releases the lock; what was staged and not published
 *                  is dropped, the folder left as it was.
 *
 * write_begin returns -1 with a diag and *out NULL when it fails
 * (write_end(NULL) does nothing). write_add and write_finish return -1
 * with a diag; after one failure only write_end is left to call. SIGINT,
 * SIGTERM and SIGHUP are caught from write_begin to write_end: they make
 * the next write_add or write_finish fail. write_output is write_begin,
 * one write_add and write_finish. */
struct write_session;

int write_begin(struct write_session **out, const char *dir, unsigned flags,
                struct diags *d);
bool write_old_key(struct write_session *s, const char *path,
                   struct output_key *key);
int write_cache_fd(struct write_session *s);
/* Reads the manifest on a thread of its own from now on, for a caller
 * with other work to do first; write_old_key and the rest wait for it.
 * Not while the caller may fork (parse_posts): see build.c. */
void write_prefetch(struct write_session *s);
int write_add(struct write_session *s, const struct output *files,
              struct diags *d);
int write_finish(struct write_session *s, struct write_stats *out,
                 struct diags *d);
void write_end(struct write_session *s);
/* True when files are, path for path and in order, what the last publish
 * put there: no two of them can clash, since they did not then. */
bool write_same_paths(struct write_session *s, const struct output *files);
/* -1 with a diag when one of those signals came: a build stops then. */
int write_interrupted(const struct write_session *s, struct diags *d);

/* write_output's flags. */
enum write_flags {
    WRITE_FORCE = 1,  /* write into a folder gazette did not make */
    WRITE_NO_SYNC = 2 /* never wait for the disk: for a preview's output,
                         which a power cut may spoil at no cost; the swap
                         is still all or nothing for readers and signals */
};

#endif
