/* progress.c: see progress.h. */
#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define DELAY_MS 1000 /* builds shorter than this print nothing */
#define EVERY_MS 100

static struct {
    bool on, drawn;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    const char *what; /* under lock */
    size_t total;     /* under lock */
    atomic_size_t done;
} p = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void
deadline(struct timespec *t, long ms)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static void *
draw(void *unused)
{
    (void)unused;
    struct timespec t;
    deadline(&t, DELAY_MS);
    pthread_mutex_lock(&p.lock);
    while (!p.stop) {
        if (pthread_cond_timedwait(&p.wake, &p.lock, &t) == 0)
            continue; /* woken to stop */
        size_t done = atomic_load(&p.done);
        if (p.total && done > p.total) /* a stage's last extra step */
            done = p.total;
        if (p.total)
            fprintf(stderr, "\r\033[K%s %zu/%zu (%zu%%)", p.what, done,
                    p.total, done * 100 / p.total);
        else
            fprintf(stderr, "\r\033[K%s", p.what);
        fflush(stderr);
        p.drawn = true;
        deadline(&t, EVERY_MS);
    }
    pthread_mutex_unlock(&p.lock);
    return NULL;
}

/* The drawing thread holds the lock while it prints, so a fork that
 * takes it (parse/'s workers) never happens in the middle of stdio or
 * malloc, whose locks would stay held in the child. */
static void
fork_prepare(void)
{
    pthread_mutex_lock(&p.lock);
}

static void
fork_done(void)
{
    pthread_mutex_unlock(&p.lock);
}

static void
register_fork(void)
{
    pthread_atfork(fork_prepare, fork_done, fork_done);
}

void
progress_start(bool enabled)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    p.what = "reading";
    p.stop = false;
    p.drawn = false;
    p.on = enabled && pthread_create(&p.thread, NULL, draw, NULL) == 0;
    if (p.on)
        pthread_once(&once, register_fork);
}

void
progress_stage(const char *what, size_t total)
{
    if (!p.on)
        return;
    pthread_mutex_lock(&p.lock);
    p.what = what;
    p.total = total;
    atomic_store(&p.done, 0);
    pthread_mutex_unlock(&p.lock);
}

void
progress_advance(size_t n)
{
    if (p.on)
        atomic_fetch_add_explicit(&p.done, n, memory_order_relaxed);
}

void
progress_end(void)
{
    if (!p.on)
        return;
    pthread_mutex_lock(&p.lock);
    p.stop = true;
    pthread_cond_signal(&p.wake);
    pthread_mutex_unlock(&p.lock);
    pthread_join(p.thread, NULL);
    if (p.drawn)
        fputs("\r\033[K", stderr);
    p.on = false;
}
