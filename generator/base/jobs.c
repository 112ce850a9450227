/* jobs.c: a minimal parallel for-loop over pthreads, used by the parse and
 * render stages for -j. Its helper threads are started on first use and
 * kept, waiting, for the next loop: a one-post rebuild runs a dozen loops,
 * and starting a thread for each took 0.15 ms on a virtual machine. */
#include "jobs.h"
#include "base.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>

#define MAX_HELPERS 63

/* One loop: items [0, n) handed out from next. */
struct loop {
    size_t n;
    atomic_size_t next;
    jobs_fn fn;
    void *payload;
};

static void
work(struct loop *l, int id)
{
    for (;;) {
        size_t i = atomic_fetch_add(&l->next, 1);
        if (i >= l->n)
            return;
        l->fn(i, id, l->payload);
    }
}

/* The kept helpers: helper k (1-based, its worker number) takes part in
 * loop number round when k < wanted. */
static struct {
    pthread_mutex_t lock; /* over all but busy */
    pthread_cond_t go, done;
    atomic_bool busy;     /* a loop runs on them: another caller spawns */
    int started;          /* helpers running */
    int wanted;           /* workers of the current loop, the caller too */
    int working;          /* helpers of it not yet done */
    unsigned long round;
    struct loop *loop;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
           PTHREAD_COND_INITIALIZER, false, 0, 0, 0, 0, NULL };

static void *
helper(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (pool.round == seen || id >= pool.wanted) {
            seen = pool.round;
            pthread_cond_wait(&pool.go, &pool.lock);
        }
        seen = pool.round;
        struct loop *l = pool.loop;
        pthread_mutex_unlock(&pool.lock);
        work(l, id);
        pthread_mutex_lock(&pool.lock);
        if (--pool.working == 0)
            pthread_cond_signal(&pool.done);
    }
    return NULL;
}

/* A child of fork has none of the helpers. */
static void
forget_helpers(void)
{
    pool.started = 0;
    atomic_store(&pool.busy, false);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.go, NULL);
    pthread_cond_init(&pool.done, NULL);
}

static void
forget_on_fork(void)
{
    pthread_atfork(NULL, NULL, forget_helpers);
}

/* Runs l on up to jobs - 1 kept helpers and this thread; false when
 * another loop has them. */
static bool
run_kept(struct loop *l, int jobs)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (atomic_exchange(&pool.busy, true))
        return false;
    pthread_once(&once, forget_on_fork);
    pthread_mutex_lock(&pool.lock);
    while (pool.started < jobs - 1 && pool.started < MAX_HELPERS) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int err = pthread_create(&t, &attr, helper,
                                 (void *)(intptr_t)(pool.started + 1));
        pthread_attr_destroy(&attr);
        if (err)
            break;
        pool.started++;
    }
    int helpers = jobs - 1 < pool.started ? jobs - 1 : pool.started;
    pool.loop = l;
    pool.wanted = helpers + 1;
    pool.working = helpers;
    pool.round++;
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.lock);
    work(l, 0);
    pthread_mutex_lock(&pool.lock);
    while (pool.working > 0)
        pthread_cond_wait(&pool.done, &pool.lock);
    pool.wanted = 0;
    pthread_mutex_unlock(&pool.lock);
    atomic_store(&pool.busy, false);
    return true;
}

/* A worker of a loop that could not have the kept helpers. */
struct spawned {
    struct loop *loop;
    int id;
};

static void *
run_spawned(void *arg)
{
    struct spawned *w = arg;
    work(w->loop, w->id);
    return NULL;
}

/* Runs l on jobs - 1 threads started for it and this one. */
static void
run_spawned_threads(struct loop *l, int jobs)
{
    struct spawned *w = xcalloc((size_t)jobs, sizeof *w);
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    for (int i = 1; i < jobs; i++) {
        w[i] = (struct spawned){ l, i };
        if (pthread_create(&threads[i], NULL, run_spawned, &w[i]) != 0)
            w[i].id = -1; /* could not start: the others take its share */
    }
    work(l, 0);
    for (int i = 1; i < jobs; i++)
        if (w[i].id >= 0)
            pthread_join(threads[i], NULL);
    free(threads);
    free(w);
}

void
jobs_run(size_t n, int jobs, jobs_fn fn, void *payload)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    struct loop l = { n, 0, fn, payload };
    if (jobs == 1)
        work(&l, 0);
    else if (!run_kept(&l, jobs))
        run_spawned_threads(&l, jobs);
}

int
jobs_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}
