/* diag.c: collecting and printing errors. Every stage appends here; main
 * prints them sorted and turns the worst kind into the exit status. */
#include "diag.h"
#include "base/base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
diags_init(struct diags *d)
{
    memset(d, 0, sizeof *d);
    pthread_mutex_init(&d->lock, NULL);
}

void
diags_dispose(struct diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].path);
        free(d->items[i].msg);
    }
    free(d->items);
    pthread_mutex_destroy(&d->lock);
}

int
diags_add(struct diags *d, enum diag_kind kind, const char *path,
          unsigned line, unsigned col, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    /* One line: a message never carries a newline into the listing. */
    for (size_t i = 0; i < msg.len; i++)
        if (msg.data[i] == '\n' || msg.data[i] == '\r')
            msg.data[i] = ' ';
    struct diag item = { path ? xstrdup(path) : NULL, line, col, kind,
                         buf_detach(&msg, NULL) };
    pthread_mutex_lock(&d->lock);
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    d->items[d->len++] = item;
    pthread_mutex_unlock(&d->lock);
    return -1;
}

size_t
diags_count(const struct diags *d, enum diag_kind at_least)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].kind >= at_least;
    return n;
}

static int
diag_cmp(const void *pa, const void *pb)
{
    const struct diag *a = pa, *b = pb;
    int c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return strcmp(a->msg, b->msg);
}

void
diags_print(struct diags *d, FILE *f)
{
    if (d->len)
        qsort(d->items, d->len, sizeof *d->items, diag_cmp);
    for (size_t i = 0; i < d->len; i++) {
        const struct diag *g = &d->items[i];
        if (g->path && g->line)
            fprintf(f, "%s:%u:%u: ", g->path, g->line, g->col);
        else if (g->path) /* the whole file: no position to give */
            fprintf(f, "%s: ", g->path);
        else
            fputs("gazette: ", f);
        fprintf(f, "%s%s\n",
                g->kind == DIAG_WARNING ? "warning: "
                : g->kind == DIAG_NOTE  ? "note: "
                                        : "",
                g->msg);
    }
}

int
diags_exit_status(const struct diags *d)
{
    int worst = 0;
    for (size_t i = 0; i < d->len; i++) {
        int s = d->items[i].kind == DIAG_CONTENT  ? 1
                : d->items[i].kind == DIAG_USAGE  ? 2
                : d->items[i].kind == DIAG_SYSTEM ? 3
                                                  : 0;
        if (s > worst)
            worst = s;
    }
    return worst;
}
