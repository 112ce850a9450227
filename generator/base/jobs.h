/* jobs.h: run independent work items on N threads. Items are taken in
 * order from a shared counter; fn gets the worker number so that it can
 * use that worker's own arena (arenas are not shared between threads). */
#ifndef GZ_JOBS_H
#define GZ_JOBS_H

#include <stddef.h>

typedef void (*jobs_fn)(size_t item, int worker, void *payload);

/* Calls fn for every item in [0, n) on min(jobs, n) threads (jobs < 1 means
 * one), this one among them, and returns when all are done. The other
 * threads are kept for the next call; a call made while another runs
 * starts threads of its own. */
void jobs_run(size_t n, int jobs, jobs_fn fn, void *payload);

/* The number of online processors, at least 1. */
int jobs_default(void);

#endif
