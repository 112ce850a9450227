/* history.c: git dates and authors for source/. One walk of the
 * first-parent history, newest first, diffing each commit against its first
 * parent with rename detection; a map from path to file, no per-file scans. */
#include "source_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <stdlib.h>
#include <string.h>

/* The state of one walk. names maps each path, as the commit being looked at
 * names it (relative to the site), to the file it is now; a file leaves the
 * map (its value becomes NULL) once its adding commit is found. */
struct walk {
    git_repository *repo;
    const char *prefix;
    size_t prefix_len;
    struct map *names;
    struct arena *keys;   /* older names of renamed files, pathspecs */
    struct arena *a;      /* the build's: authors */
    size_t pending;       /* files whose adding commit is still ahead */
    char *paths[3];       /* the pathspec: site.yaml, content/, themes/ */
    git_diff_options opts;
    git_diff_find_options find;
    struct watch *watch;
    struct diags *d;
};

static struct timestamp
author_date(const git_commit *c)
{
    const git_signature *s = git_commit_author(c);
    return (struct timestamp){ s->when.time, s->when.offset, true };
}

/* The file a repository path of the commit being looked at is now, or NULL
 * when it is none we are following. */
static struct source_file *
file_at(const struct walk *w, const char *path)
{
    if (!path || strncmp(path, w->prefix, w->prefix_len) != 0)
        return NULL;
    return map_get(w->names, path + w->prefix_len);
}

/* Commit c added f: its creation; the file is done. */
static void
added(struct walk *w, struct source_file *f, git_commit *c)
{
    f->created = author_date(c);
    f->author = arena_strdup(w->a, git_commit_author(c)->name);
    w->pending--;
}

/* Commit c changed the file path names: the newest such commit is its
 * update. When c added it, the file leaves the map. */
static void
changed(struct walk *w, const char *path, git_commit *c, bool add)
{
    struct source_file *f = file_at(w, path);
    if (!f)
        return;
    if (!f->updated.set)
        f->updated = author_date(c);
    if (!add)
        return;
    added(w, f, c);
    map_put(w->names, path + w->prefix_len, NULL);
}

/* Follows the files diff renamed back to their old names. All renamed files
 * leave their new names before any takes an old one, so that renames that
 * swap or chain names within one commit cannot clobber each other. */
static void
follow_renames(struct walk *w, git_diff *diff, git_commit *c)
{
    size_t n = git_diff_num_deltas(diff);
    struct source_file **moved = xcalloc(n, sizeof *moved);
    for (size_t i = 0; i < n; i++) {
        const git_diff_delta *dd = git_diff_get_delta(diff, i);
        if (dd->status != GIT_DELTA_RENAMED ||
            !(moved[i] = file_at(w, dd->new_file.path)))
            continue;
        changed(w, dd->new_file.path, c, false);
        map_put(w->names, dd->new_file.path + w->prefix_len, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        const char *old = git_diff_get_delta(diff, i)->old_file.path;
        if (!moved[i])
            continue;
        if (strncmp(old, w->prefix, w->prefix_len) == 0)
            map_put(w->names, arena_strdup(w->keys, old + w->prefix_len),
                    moved[i]);
        else
            added(w, moved[i], c); /* it came into the site here */
    }
    free(moved);
}

/* Applies one commit's diff against its first parent to the files. */
static void
apply_diff(struct walk *w, git_diff *diff, git_commit *c)
{
    size_t n = git_diff_num_deltas(diff);
    for (size_t i = 0; i < n; i++) {
        const git_diff_delta *dd = git_diff_get_delta(diff, i);
        switch (dd->status) {
        case GIT_DELTA_ADDED:
            changed(w, dd->new_file.path, c, true);
            break;
        case GIT_DELTA_MODIFIED:
        case GIT_DELTA_TYPECHANGE:
            changed(w, dd->new_file.path, c, false);
            break;
        default: /* deleted paths name no current file; renames below */
            break;
        }
    }
    follow_renames(w, diff, c);
}

/* c's first parent into *out, or NULL for a root commit. In a shallow
 * clone the parents of the oldest commits are missing: those count as
 * roots, so the cut "adds" every file it has. */
static int
first_parent(struct walk *w, git_commit **out, git_commit *c)
{
    char id[GIT_OID_HEXSZ + 1], child[GIT_OID_HEXSZ + 1];
    int err;
    *out = NULL;
    if (git_commit_parentcount(c) == 0)
        return 0;
    git_oid_tostr(id, sizeof id, git_commit_parent_id(c, 0));
    git_oid_tostr(child, sizeof child, git_commit_id(c));
    gitdiag_watch_step(w->watch, 0, "commit %s, the parent of %s", id,
                       child);
    err = git_commit_parent(out, c, 0);
    if (err == GIT_ENOTFOUND &&
        git_repository_is_shallow(git_commit_owner(c)) == 1) {
        git_error_clear();
        return 0;
    }
    return err;
}

/* The tree of commit c into *out, read as a step of its own. */
static int
commit_tree(struct walk *w, git_tree **out, git_commit *c)
{
    char tree[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1];
    git_oid_tostr(tree, sizeof tree, git_commit_tree_id(c));
    git_oid_tostr(commit, sizeof commit, git_commit_id(c));
    gitdiag_watch_step(w->watch, 0, "tree %s of commit %s", tree, commit);
    return git_commit_tree(out, c);
}

/* Blobs larger than this are left to rename detection unread: it skips
 * most of them anyway (sizes too far apart), and reading them twice would
 * cost more than naming them could save. */
#define PREREAD_MAX ((size_t)8 << 20)

/* The side of delta dd that rename detection compares: the new file of
 * an added one, the old of a deleted one; NULL for others. */
static const git_diff_file *
side(const git_diff_delta *dd)
{
    return dd->status == GIT_DELTA_ADDED     ? &dd->new_file
           : dd->status == GIT_DELTA_DELETED ? &dd->old_file
                                              : NULL;
}

/* Reads, each as a step of its own, the blobs that rename detection is
 * about to compare in commit c: those of added and deleted files, but for
 * a blob both added and deleted (matched by id, unread). It reads them
 * again, but names none: on a corrupt one it fails with no message, or
 * hangs (a truncated one). Only a commit that adds and deletes has any. */
static int
read_compared(struct walk *w, git_diff *diff, git_commit *c)
{
    size_t n = git_diff_num_deltas(diff), size;
    char id[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1];
    bool adds = false, deletes = false;
    for (size_t i = 0; i < n; i++) {
        git_delta_t status = git_diff_get_delta(diff, i)->status;
        adds |= status == GIT_DELTA_ADDED;
        deletes |= status == GIT_DELTA_DELETED;
    }
    if (!adds || !deletes)
        return 0;
    /* The ids of each side: [0] added, [1] deleted. */
    struct arena *ids = arena_new();
    struct map *seen[2] = { map_new(), map_new() };
    git_odb *odb = NULL;
    int err;
    for (size_t i = 0; i < n; i++) {
        const git_diff_delta *dd = git_diff_get_delta(diff, i);
        const git_diff_file *f = side(dd);
        if (f) {
            char *key = arena_strdup(ids, git_oid_tostr_s(&f->id));
            map_put(seen[dd->status == GIT_DELTA_DELETED], key, key);
        }
    }
    if ((err = git_repository_odb(&odb, w->repo)) < 0)
        goto out;
    git_oid_tostr(commit, sizeof commit, git_commit_id(c));
    for (size_t i = 0; err == 0 && i < n; i++) {
        const git_diff_delta *dd = git_diff_get_delta(diff, i);
        const git_diff_file *f = side(dd);
        git_object_t type;
        git_blob *blob = NULL;
        if (!f)
            continue;
        git_oid_tostr(id, sizeof id, &f->id);
        if (map_get(seen[dd->status == GIT_DELTA_ADDED], id))
            continue;
        gitdiag_watch_step(w->watch, 0,
                           "blob %s (%s, compared for renames in commit %s)",
                           id, f->path, commit);
        if ((err = git_odb_read_header(&size, &type, odb, &f->id)) < 0 ||
            size > PREREAD_MAX)
            continue;
        err = git_blob_lookup(&blob, w->repo, &f->id);
        git_blob_free(blob);
    }
out:
    git_odb_free(odb);
    map_free(seen[1]);
    map_free(seen[0]);
    arena_free(ids);
    return err;
}

/* Diffs c against parent (NULL: the empty tree) and applies the result.
 * Returns libgit2's error code; the step of w->watch names what failed. */
static int
visit(struct walk *w, git_commit *c, git_commit *parent)
{
    git_tree *tree = NULL, *old = NULL;
    git_diff *diff = NULL;
    char id[GIT_OID_HEXSZ + 1];
    int err;
    git_oid_tostr(id, sizeof id, git_commit_id(c));
    if ((err = commit_tree(w, &tree, c)) < 0 ||
        (parent && (err = commit_tree(w, &old, parent)) < 0))
        goto out;
    gitdiag_watch_step(w->watch, 0, "the trees commit %s changed", id);
    if ((err = git_diff_tree_to_tree(&diff, w->repo, old, tree, &w->opts)) <
            0 ||
        (err = read_compared(w, diff, c)) < 0)
        goto out;
    gitdiag_watch_step(w->watch, 0, "the files commit %s renamed", id);
    if ((err = git_diff_find_similar(diff, &w->find)) < 0)
        goto out;
    apply_diff(w, diff, c);
out:
    git_diff_free(diff);
    git_tree_free(old);
    git_tree_free(tree);
    return err;
}

/* Walks the first-parent chain from tip, newest first, until every file
 * has its adding commit or the history ends: a merge counts as one change
 * against its first parent, and a file it brings in was added by it.
 *
 * Along first parents this is the order a revwalk sorted by time and
 * topology gives, but libgit2's revwalk (1.5) parses every parent before
 * yielding anything and so fails on a shallow clone; hence the plain
 * loop. */
static int
walk_commits(struct walk *w, git_commit *tip)
{
    git_commit *c = NULL, *parent = NULL;
    int rc = -1;
    if (git_commit_dup(&c, tip) < 0) {
        gitdiag_add(w->d, "reading the history");
        goto out;
    }
    while (c && w->pending > 0) {
        if (first_parent(w, &parent, c) < 0 || visit(w, c, parent) < 0) {
            gitdiag_add(w->d, "reading the history: %s",
                        gitdiag_watch_what(w->watch));
            goto out;
        }
        git_commit_free(c);
        c = parent;
        parent = NULL;
    }
    rc = 0;
out:
    git_commit_free(parent);
    git_commit_free(c);
    return rc;
}

/* Sets up the diff options: only the site's own paths, taken literally (a
 * site folder may be named with glob characters), renames detected. */
static void
walk_init(struct walk *w)
{
    static const char *const tops[] = { "site.yaml", "content/", "themes/" };
    git_diff_options_init(&w->opts, GIT_DIFF_OPTIONS_VERSION);
    git_diff_find_options_init(&w->find, GIT_DIFF_FIND_OPTIONS_VERSION);
    for (size_t i = 0; i < 3; i++)
        w->paths[i] = arena_printf(w->keys, "%s%s", w->prefix, tops[i]);
    w->opts.pathspec.strings = w->paths;
    w->opts.pathspec.count = 3;
    w->opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    w->find.flags = GIT_DIFF_FIND_RENAMES;
}

int
history_walk(struct source_file **dated, size_t n, git_repository *repo,
             git_commit *tip, const char *prefix, struct watch *watch,
             struct arena *a, struct diags *d)
{
    struct walk w = { .repo = repo, .prefix = prefix,
                      .prefix_len = strlen(prefix), .watch = watch, .a = a,
                      .d = d };
    int rc;
    if (n == 0)
        return 0;
    w.names = map_new();
    w.keys = arena_new();
    walk_init(&w);
    for (size_t i = 0; i < n; i++)
        if (!map_put(w.names, dated[i]->path, dated[i]))
            w.pending++;
    rc = walk_commits(&w, tip);
    arena_free(w.keys);
    map_free(w.names);
    return rc;
}
