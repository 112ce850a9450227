/* deploy.h: after the build. Commits the rendered site, built from a
 * commit, as the new tip of a branch (gh-pages by default) and may push
 * it. Objects are written with libgit2's object database and tree
 * builders, never through the index: the working tree, the index, HEAD
 * and every other branch stay as they were. */
#ifndef GZ_DEPLOY_H
#define GZ_DEPLOY_H

#include <stdbool.h>
#include <stddef.h>

#include "../render/render.h"

struct diags;

#define DEPLOY_BRANCH_DEFAULT "gh-pages"

struct deploy_options {
    const char *ref;     /* the commit to build; NULL: HEAD */
    const char *branch;  /* a branch name; NULL: DEPLOY_BRANCH_DEFAULT */
    const char *message; /* NULL: "Deploy <short id of the commit built>" */
    const char *push;    /* a remote's name or URL; NULL: no push */
};

struct deploy_report {
    char commit[41];      /* the branch's tip afterwards (hex) */
    char site_commit[41]; /* the commit that was built (hex) */
    bool created;         /* false: the tip already held this very tree */
    bool pushed;
    size_t files;         /* in the tree, .nojekyll and CNAME included */
};

/* Deploys the site in the current directory: builds o->ref in memory
 * (every input from that commit, as build --ref), and commits the output
 * plus an empty .nojekyll and, when site.yaml sets cname:, a CNAME file,
 * with the branch's previous tip as parent (none when the branch is new).
 * When the tree equals the tip's, no commit is made (created false). The
 * author and committer are the repository's user.name and user.email,
 * else "gazette <gazette@localhost>". Then pushes the branch to o->push,
 * when given, never forcing it.
 *
 * Refused before anything is built: a bad branch name, an empty message,
 * the branch checked out in any worktree, a --push that names neither a
 * remote nor a URL or path (DIAG_USAGE, exit 2). A ref that
 * does not resolve or a repository that fails is a DIAG_SYSTEM; content
 * errors are DIAG_CONTENT; either way no reference changes. A branch that
 * moved while the site was being built is left alone (DIAG_SYSTEM). A push
 * that fails leaves the local branch deployed and says so (DIAG_SYSTEM).
 * Returns the exit status, as build_run. */
int deploy_run(struct deploy_report *out, const struct deploy_options *o,
               struct diags *d);

/* The commit step alone, on the repository around dir: commits files (as
 * render_site made them), .nojekyll and a CNAME holding cname (NULL or ""
 * for none; anything but a host name is a DIAG_CONTENT) on o->branch,
 * with the message from o and site_commit (hex, may be NULL). expect_tip
 * is the tip the branch must still have when it is updated: a hex id, ""
 * for a branch that must not exist yet, or NULL for its tip when this call
 * reads it. A file of files at .nojekyll or CNAME (or below) is a
 * DIAG_CONTENT. Fills out (but pushed); returns 0, or -1 with a diag and
 * no reference changed. */
int deploy_commit(struct deploy_report *out, const char *dir,
                  const struct output *files, const char *cname,
                  const char *site_commit, const struct deploy_options *o,
                  const char *expect_tip, struct diags *d);

#endif
