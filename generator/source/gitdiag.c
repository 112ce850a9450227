/* gitdiag.c: libgit2's failures as diagnostics. Part of source/; shared by
 * the reader (source.c) and the history walk (history.c). */
#include "source_private.h"
#include "../base/base.h"
#include "../diag.h"

#include <stdarg.h>

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
