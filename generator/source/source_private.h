/* source_private.h: what source.c (reading files), history.c (dates from
 * one walk of the history) and gitdiag.c (libgit2 errors and hangs) share
 * inside source/. Never included from outside this folder. */
#ifndef GZ_SOURCE_PRIVATE_H
#define GZ_SOURCE_PRIVATE_H

#include "source.h"

#include <git2.h>

struct arena;
struct watch;

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

/* Fills created, updated and author of the n files in dated (paths relative
 * to the site) from one walk of the first-parent history of tip, newest
 * first. prefix is the site directory relative to the work tree, "" or
 * ending in '/'; only paths under it count. A file whose adding commit the
 * walk does not reach keeps created unset. Authors are copied into a.
 * Each commit read is a step of watch. Returns 0, or -1 with a DIAG_SYSTEM
 * diag naming the commit when libgit2 fails. */
int history_walk(struct source_file **dated, size_t n, git_repository *repo,
                 git_commit *tip, const char *prefix, struct watch *watch,
                 struct arena *a, struct diags *d);

#endif
