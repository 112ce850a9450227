/* diag.h: the one error type, and the one error convention.
 *
 * Every stage function that can fail returns int: 0 on success, -1 on
 * failure, and a failure always leaves at least one diag in the caller's
 * struct diags. Content errors are collected, not fatal: a stage skips
 * what is bad and goes on, so that one build reports every problem, printed
 * sorted as path:line:col: message. The caller acts on the return values
 * (build_run stops before writing when any stage returned -1); the exit
 * status comes from the worst kind of diag: content 1, usage 2, system 3.
 * Warnings and notes change nothing. Positions are 1-based; 0 means
 * unknown. */
#ifndef GZ_DIAG_H
#define GZ_DIAG_H

#include <pthread.h>
#include <stdio.h>

enum diag_kind {
    DIAG_NOTE,    /* printed, changes nothing: worth knowing, not wrong */
    DIAG_WARNING, /* printed, changes nothing */
    DIAG_CONTENT, /* exit 1 */
    DIAG_USAGE,   /* exit 2 */
    DIAG_SYSTEM,  /* exit 3 */
};

struct diag {
    char *path;         /* relative to the site root; NULL when none */
    unsigned line, col; /* 1-based; 0 when unknown */
    enum diag_kind kind;
    char *msg; /* one line, no trailing period */
};

/* A thread-safe list of diags; the list owns every string in it. */
struct diags {
    struct diag *items;
    size_t len, cap;
    pthread_mutex_t lock;
};

void diags_init(struct diags *d);
void diags_dispose(struct diags *d);
/* Appends a diag; returns -1 so that callers can `return diags_add(...)`. */
int diags_add(struct diags *d, enum diag_kind kind, const char *path,
              unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* How many diags of kind or worse (notes and warnings excluded unless
 * asked). */
size_t diags_count(const struct diags *d, enum diag_kind at_least);
/* Prints all, sorted by path, line, col, as "path:line:col: message"
 * ("path: message" when the line is unknown)
 * (warnings prefixed "warning: ", notes "note: "). */
void diags_print(struct diags *d, FILE *f);
/* 0, or the exit status of the worst kind: content 1, usage 2, system 3. */
int diags_exit_status(const struct diags *d);

#endif
