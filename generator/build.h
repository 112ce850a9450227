/* build.h: one whole build, source to output folder, shared by the build
 * and serve commands. */
#ifndef GZ_BUILD_H
#define GZ_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct output;
struct site_config;
struct source;

/* Takes the rendered files in place of the write stage (deploy commits
 * them on a branch); cfg and src are the build's settings and source.
 * Returns 0, or -1 with a diag. */
typedef int (*build_publish_fn)(const struct output *files,
                                const struct site_config *cfg,
                                const struct source *src, struct diags *d,
                                void *payload);

struct build_options {
    const char *ref;      /* NULL: the working tree */
    const char *out_dir;  /* default "public" */
    const char *base_url; /* NULL: site.yaml's */
    bool drafts;
    bool check_only;      /* stop before the write stage */
    bool force;           /* write into a folder gazette did not make */
    bool no_sync;         /* never wait for the disk (WRITE_NO_SYNC) */
    int jobs;             /* < 1: one per core */
    build_publish_fn publish; /* non-NULL: called instead of writing
                                 out_dir, which is then never checked */
    void *payload;            /* publish's */
};

struct build_report {
    size_t posts, channels, files, written, unchanged, removed;
};

/* Builds the site in the current directory into o->out_dir. Any content
 * error stops the build before the write stage, so the previous output
 * stays exactly as it was. Returns the exit status (0, 1, 2 or 3); every
 * problem is in d. */
int build_run(struct build_report *out, const struct build_options *o,
              struct diags *d);

/* A parse worker of a build (PARSE_WORKER_COMMAND, which the build
 * starts itself): argc and argv from the command on. */
int build_worker(int argc, char **argv);

#endif
