/* shell.h: running shell commands from unit tests that make real git
 * repositories (test_source.c, test_deploy.c). Test code only: included
 * once per test program, after cmocka.h, so its helpers are static. */
#ifndef GZ_TEST_SHELL_H
#define GZ_TEST_SHELL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../generator/base/base.h"

/* Runs a shell command built from fmt; fails the test unless it exits 0. */
static void
sh(const char *fmt, ...)
{
    struct buf cmd = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    int status = system(cmd.data);
    if (status != 0)
        fail_msg("command failed (%d): %s", status, cmd.data);
    buf_dispose(&cmd);
}

/* Output of a shell command built from fmt, without its trailing
 * newlines; the caller frees it. */
static char *
sh_out(const char *fmt, ...)
{
    struct buf cmd = BUF_INIT, out = BUF_INIT;
    char chunk[256];
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd.data, "r");
    assert_non_null(p);
    size_t n;
    buf_puts(&out, "");
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_put(&out, chunk, n);
    if (pclose(p) != 0)
        fail_msg("command failed: %s", cmd.data);
    buf_dispose(&cmd);
    while (out.len && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return buf_detach(&out, NULL);
}

#endif
