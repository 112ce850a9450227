/* serve.h: the preview server. Builds the site, serves the output over
 * HTTP, rebuilds when an input changes and makes open pages reload, or
 * show the build's errors over the page. */
#ifndef GZ_SERVE_H
#define GZ_SERVE_H

#include <stdbool.h>

struct diags;

#define SERVE_BIND_DEFAULT "127.0.0.1"
#define SERVE_PORT_DEFAULT 8080

struct serve_options {
    const char *bind;    /* an address or name; NULL: SERVE_BIND_DEFAULT */
    int port;            /* 0: any free port; < 0: SERVE_PORT_DEFAULT */
    const char *out_dir; /* NULL: a temporary folder, removed at the end */
    bool drafts;
};

/* Serves the site in the current directory until SIGINT or SIGTERM. Each
 * build runs as a child `gazette build`, so a crash in one never takes the
 * server down and a Ctrl-C during a publish is handled as the build
 * handles it. Prints "serving URL" on stdout once listening. Returns 0
 * after a clean stop, or the exit status with a diag when it cannot start
 * (bad address, port in use). */
int serve_run(const struct serve_options *o, struct diags *d);

#endif
