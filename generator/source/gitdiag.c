/* gitdiag.c: libgit2's failures as diagnostics, and a watchdog for its
 * hangs. Part of source/; shared by the reader (source.c) and the history
 * walk (history.c). */
#include "source_private.h"
#include "../base/base.h"
#include "../diag.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
gitdiag_add(struct diags *d, const char *fmt, ...)
{
    const git_error *e = git_error_last();
    struct buf what = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&what, fmt, ap);
    va_end(ap);
    diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s (%s)", what.data,
              e && e->message ? e->message : "unknown libgit2 error");
    buf_dispose(&what);
    return -1;
}

/* The watchdog's state. The reader's thread writes deadline and what under
 * lock; the watchdog thread reads them under lock, and alone may end the
 * process. */
struct watch {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* signalled by stop */
    bool stop;
    struct timespec deadline; /* CLOCK_MONOTONIC: the current step's end */
    char what[512];           /* the current step, for the message */
};

/* A step that says it reads bytes gets 1 s more per this many: a slow
 * disk's pace, for hashing a large file. */
#define WATCH_BYTES_PER_SEC ((size_t)16 << 20)

static struct timespec
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static bool
passed(struct timespec deadline)
{
    struct timespec t = now();
    return t.tv_sec > deadline.tv_sec ||
           (t.tv_sec == deadline.tv_sec && t.tv_nsec >= deadline.tv_nsec);
}

/* One step ran past its deadline: prints what it was reading and ends the
 * process at once. Nothing else can stop a libgit2 call that never
 * returns; exit(3) would run atexit handlers under the stuck thread's feet,
 * so _exit. Called with w->lock held. */
static void
give_up(struct watch *w)
{
    char msg[sizeof w->what + 160];
    int n = snprintf(msg, sizeof msg,
                     "gazette: %s: no progress in %d s, giving up (is the "
                     "repository corrupt? git fsck checks it)\n",
                     w->what, GITDIAG_STALL_SECS);
    if (n > (int)sizeof msg - 1)
        n = (int)sizeof msg - 1;
    if (write(STDERR_FILENO, msg, (size_t)n) < 0) {
        /* nowhere left to say it; the status still tells */
    }
    _exit(3);
}

/* The watchdog thread: sleeps until the current step's deadline, which
 * each new step moves later, until stopped. */
static void *
watch_thread(void *arg)
{
    struct watch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        int err = pthread_cond_timedwait(&w->cond, &w->lock, &w->deadline);
        if (err == ETIMEDOUT && !w->stop && passed(w->deadline))
            give_up(w);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct watch *
gitdiag_watch_start(struct diags *d)
{
    struct watch *w = xcalloc(1, sizeof *w);
    pthread_condattr_t attr;
    int err;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&attr);
    /* The monotonic clock: a clock set back must not hold the bound off. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &attr);
    pthread_condattr_destroy(&attr);
    gitdiag_watch_step(w, 0, "opening the repository");
    if ((err = pthread_create(&w->thread, NULL, watch_thread, w)) != 0) {
        diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                  "cannot start the thread that bounds reading the "
                  "repository: %s",
                  strerror(err));
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void
gitdiag_watch_step(struct watch *w, size_t bytes, const char *fmt, ...)
{
    struct timespec deadline = now();
    va_list ap;
    deadline.tv_sec += GITDIAG_STALL_SECS + (time_t)(bytes /
                                                     WATCH_BYTES_PER_SEC);
    pthread_mutex_lock(&w->lock);
    va_start(ap, fmt);
    vsnprintf(w->what, sizeof w->what, fmt, ap);
    va_end(ap);
    w->deadline = deadline;
    pthread_mutex_unlock(&w->lock);
}

const char *
gitdiag_watch_what(const struct watch *w)
{
    return w->what; /* only this thread writes it: no lock to read */
}

void
gitdiag_watch_stop(struct watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
