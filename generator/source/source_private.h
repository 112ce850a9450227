/* source_private.h: what source.c (reading files), history.c (dates from
 * one walk of the history) and gitdiag.c (libgit2 errors) share inside
 * source/. Never included from outside this folder. */
#ifndef GZ_SOURCE_PRIVATE_H
#define GZ_SOURCE_PRIVATE_H

#include "source.h"

#include <git2.h>

struct arena;

/* Adds a DIAG_SYSTEM diag, with no path, made of the formatted text and
 * libgit2's last error message in parentheses; returns -1. Call it right
 * after the failing libgit2 call, before another one overwrites the
 * message. */
int gitdiag_add(struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fills created, updated and author of the n files in dated (paths relative
 * to the site) from one walk of the first-parent history of tip, newest
 * first. prefix is the site directory relative to the work tree, "" or
 * ending in '/'; only paths under it count. A file whose adding commit the
 * walk does not reach keeps created unset. Authors are copied into a.
 * Returns 0, or -1 with a DIAG_SYSTEM diag when libgit2 fails. */
int history_walk(struct source_file **dated, size_t n, git_repository *repo,
                   git_commit *tip, const char *prefix, struct arena *a,
                   struct diags *d);

#endif
