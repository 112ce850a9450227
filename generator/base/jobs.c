/* jobs.c: a minimal parallel for-loop over pthreads, used by the parse and
 * render stages for -j. */
#include "jobs.h"
#include "base.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>

struct worker {
    size_t n;
    atomic_size_t *next;
    int id;
    jobs_fn fn;
    void *payload;
};

static void *
work(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(w->next, 1);
        if (i >= w->n)
            return NULL;
        w->fn(i, w->id, w->payload);
    }
}

void
jobs_run(size_t n, int jobs, jobs_fn fn, void *payload)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    atomic_size_t next = 0;
    struct worker *w = xcalloc((size_t)jobs, sizeof *w);
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    for (int i = 0; i < jobs; i++) {
        w[i] = (struct worker){ n, &next, i, fn, payload };
        if (i > 0 && pthread_create(&threads[i], NULL, work, &w[i]) != 0)
            w[i].id = -1; /* could not start: the others take its share */
    }
    work(&w[0]);
    for (int i = 1; i < jobs; i++)
        if (w[i].id >= 0)
            pthread_join(threads[i], NULL);
    free(threads);
    free(w);
}

int
jobs_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}
