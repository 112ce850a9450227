/* history.c: git dates and authors for source/. One walk of the
 * first-parent history, newest first, comparing each commit's site folders
 * with its first parent's; a map from path to file, no per-file scans.
 *
 * The comparison is our own: it reads only the trees that differ, each
 * once, and lists the files that the commit added or changed. It takes
 * the commits a chunk at a time and reads their trees folder by folder,
 * every version of one folder before the next folder: git packs each
 * version of a folder as a delta on another, and libgit2 keeps only the
 * last 16 MiB it unpacked, so reading the folders of each commit in turn
 * would unpack every version's delta chain again.
 * Only a commit that both adds a file we follow and deletes something may
 * hold a rename, and those few are diffed again by libgit2 with its rename
 * detection, whose result is then the one applied: the dates are exactly
 * those of a libgit2 diff of every commit.
 *
 * A walk given the cache's record of an older commit stops there: what
 * a file still looks for below it, the record has, under the file's name
 * in that commit. */
#include "source_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The state of one walk. names maps each path, as the commit being looked at
 * names it (relative to the site), to the file it is now; a file leaves the
 * map (its value becomes NULL) once its adding commit is found. */
struct walk {
    git_repository *repo;
    git_odb *odb;         /* the folders below the top are read raw */
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
    const atomic_bool *stop; /* set: give up, the caller failed */
    const struct cache_commit *since; /* a record to stop at, or NULL */
    git_oid since_id;
    /* The chunk of commits being compared, newest first. */
    struct step *steps;
    size_t nsteps, chunk_len; /* taken, and the most to take */
    struct step *cur;         /* the step whose folders are compared */
    struct tree_set *sets[2]; /* the top trees of each side read so far */
    char ids[2][GIT_OID_HEXSZ + 1]; /* each side's commit, for messages */
    struct buf path;          /* the folder compared, from the top of
                                 the repository: prefix, then "x/y/" */
    struct pairs *next;       /* the folders to compare one level down */
    struct arena *chunk;      /* the chunk's keys and paths */
};

/* The two sides of a step. */
enum { OLD, NEW };

/* A file a commit added or changed. key is its name in the commit's
 * tree, relative to the site (in the chunk's arena); whether it is one we
 * follow is known only when the commit's turn comes. */
struct change {
    const char *key;
    bool added;
};

/* One commit of a chunk: its first parent (NULL for a root) and what it
 * changed in the site folders. */
struct step {
    git_commit *c, *parent;
    struct change *changes;
    size_t nchanges, cap;
    bool deletes; /* it deleted something: maybe a rename */
};

/* One folder of one step to compare: path from the top of the
 * repository (prefix, then "x/y/"), the tree ids on each side (no old
 * one: the step added the folder). */
struct pair {
    size_t step;
    const char *path;
    git_oid old, new;
    bool has_old;
};

struct pairs {
    struct pair *items;
    size_t len, cap;
};

/* The top trees of one commit that the walk has read, by id (the root,
 * the site folder and those on the way to it). A step compares a commit
 * with its parent, and the next one that parent with its own, so each
 * tree is read once; libgit2's cache keeps none over 4 KiB. */
struct tree_set {
    struct map *by_id; /* hex id -> git_tree */
    struct arena *ids; /* the keys */
    struct vec trees;  /* all of them, to free */
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

/* Commit c changed f, named key (relative to the site) there: the newest
 * such commit is its update. When c added it, the file leaves the map. */
static void
changed_file(struct walk *w, struct source_file *f, const char *key,
             git_commit *c, bool add)
{
    if (!f->updated.set)
        f->updated = author_date(c);
    if (!add)
        return;
    added(w, f, c);
    map_put(w->names, key, NULL);
}

/* Commit c changed the file the repository path path names, if any. */
static void
changed(struct walk *w, const char *path, git_commit *c, bool add)
{
    struct source_file *f = file_at(w, path);
    if (f)
        changed_file(w, f, path + w->prefix_len, c, add);
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

/* Diffs c against parent (NULL: the empty tree) with libgit2, renames
 * found, and applies the result. Returns libgit2's error code; the step of
 * w->watch names what failed. */
static int
diff_with_renames(struct walk *w, git_commit *c, git_commit *parent)
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

/* The mode bits that tell a blob, a symlink, a tree and a submodule apart
 * (libgit2's GIT_MODE_TYPE, which its header does not export). */
#define MODE_TYPE(mode) ((unsigned)(mode) & 0170000u)

/* The mode libgit2 reports for an entry of mode as written
 * (git_tree_entry_filemode): the kind, and for a blob whether its owner
 * may run it. */
static unsigned
filemode(unsigned mode)
{
    if (MODE_TYPE(mode) == GIT_FILEMODE_TREE)
        return GIT_FILEMODE_TREE;
    if (mode & 0100)
        return GIT_FILEMODE_BLOB_EXECUTABLE;
    if (MODE_TYPE(mode) == GIT_FILEMODE_COMMIT ||
        MODE_TYPE(mode) == GIT_FILEMODE_LINK)
        return MODE_TYPE(mode);
    return GIT_FILEMODE_BLOB;
}

/* An entry of a folder: from a tree libgit2 parsed (the top folders), or
 * as a tree object holds it, "<mode> <name>\0" and a 20-byte id. */
struct raw_entry {
    unsigned mode;    /* as written: 40000 (octal) a folder */
    const char *name; /* NUL-terminated where it lies */
    size_t name_len;
    const git_oid *id;
};

static bool
is_folder(const struct raw_entry *e)
{
    return MODE_TYPE(e->mode) == GIT_FILEMODE_TREE;
}

static struct raw_entry
entry_of(const git_tree_entry *e)
{
    const char *name = git_tree_entry_name(e);
    return (struct raw_entry){ git_tree_entry_filemode_raw(e), name,
                               strlen(name), git_tree_entry_id(e) };
}

/* A folder below the top read raw: the walk reads every version of every
 * folder that changed, and most entries of each are those of the version
 * before, so it steps over the object's bytes instead of having libgit2
 * make an entry of each. */
struct raw_tree {
    git_odb_object *obj; /* NULL: none */
    const char *data;
    size_t len;
    git_oid id;
    /* Where each of its first entries ends, as far as they are known to
     * be well formed with an id that is not zero: those that another
     * version holds at the same place, byte for byte, it holds
     * unchanged (see same_start). */
    struct ends {
        size_t *items;
        size_t len, cap;
    } ends;
};

static void
raw_free(struct raw_tree *t)
{
    git_odb_object_free(t->obj);
    free(t->ends.items);
    *t = (struct raw_tree){ 0 };
}

/* Room in e for n more. */
static void
ends_reserve(struct ends *e, size_t n)
{
    if (e->len + n <= e->cap)
        return;
    while (e->len + n > e->cap)
        e->cap = e->cap ? 2 * e->cap : 256;
    e->items = xrealloc(e->items, e->cap * sizeof *e->items);
}

static void
ends_push(struct ends *e, size_t end)
{
    ends_reserve(e, 1);
    e->items[e->len++] = end;
}

/* The entry of t at *at into e, *at past it; false at the end, and on an
 * entry libgit2 would not parse (*bad then says what is wrong with it). */
static bool
next_entry(const struct raw_tree *t, size_t *at, struct raw_entry *e,
           const char **bad)
{
    const char *p = t->data + *at, *end = t->data + t->len, *q = p;
    if (!t->obj || p == end)
        return false;
    unsigned mode = 0;
    while (q < end && *q >= '0' && *q <= '7' && mode <= 0xFFFF)
        mode = mode * 8 + (unsigned)(*q++ - '0');
    const char *nul = NULL;
    if (q == p || mode > 0xFFFF)
        *bad = "a mode that is no octal number of 16 bits";
    else if (q == end || *q != ' ')
        *bad = "no space after the mode";
    else if (!(nul = memchr(q + 1, '\0', (size_t)(end - q - 1))))
        *bad = "a name without its end";
    else if (nul == q + 1 || nul - (q + 1) > 0xFFFF)
        *bad = "an empty or overlong name";
    else if ((size_t)(end - nul - 1) < GIT_OID_RAWSZ)
        *bad = "an id cut short";
    else {
        *e = (struct raw_entry){ mode, q + 1, (size_t)(nul - (q + 1)),
                                 (const git_oid *)(const void *)(nul + 1) };
        *at = (size_t)(nul + 1 + GIT_OID_RAWSZ - t->data);
        return true;
    }
    return false;
}

/* Orders entries as git sorts a tree (git_tree_entry_cmp): by name, a
 * folder's read as if it ended in '/'. */
static int
entry_cmp(const struct raw_entry *a, const struct raw_entry *b)
{
    size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, n);
    if (c)
        return c;
    unsigned ca = n < a->name_len ? (unsigned char)a->name[n]
                  : is_folder(a)  ? '/'
                                  : 0;
    unsigned cb = n < b->name_len ? (unsigned char)b->name[n]
                  : is_folder(b)  ? '/'
                                  : 0;
    return (ca > cb) - (ca < cb);
}

static struct tree_set *
set_new(void)
{
    struct tree_set *set = xcalloc(1, sizeof *set);
    set->by_id = map_new();
    set->ids = arena_new();
    return set;
}

static void
set_free(struct tree_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->trees.len; i++)
        git_tree_free(set->trees.items[i]);
    vec_dispose(&set->trees);
    arena_free(set->ids);
    map_free(set->by_id);
    free(set);
}

/* Names tree id of side's commit as the step being taken; where names
 * it for messages ("" for the root). */
static void
watch_tree(struct walk *w, int side, const git_oid *id, const char *where)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    if (*where)
        gitdiag_watch_step(w->watch, 0, "tree %s (%s) of commit %s", hex,
                           where, w->ids[side]);
    else
        gitdiag_watch_step(w->watch, 0, "tree %s of commit %s", hex,
                           w->ids[side]);
}

/* Reads tree id of side's commit as a step of its own (see watch_tree). */
static int
read_tree(struct walk *w, int side, const git_oid *id, const char *where,
          git_tree **out)
{
    watch_tree(w, side, id, where);
    return git_tree_lookup(out, w->repo, id);
}

/* The same, raw (see struct raw_tree). */
static int
read_raw(struct walk *w, int side, const git_oid *id, const char *where,
         struct raw_tree *out)
{
    watch_tree(w, side, id, where);
    int err = git_odb_read(&out->obj, w->odb, id);
    if (err < 0)
        return err;
    if (git_odb_object_type(out->obj) != GIT_OBJECT_TREE) {
        raw_free(out);
        git_error_set_str(GIT_ERROR_INVALID, "the object is not a tree");
        return -1;
    }
    out->data = git_odb_object_data(out->obj);
    out->len = git_odb_object_size(out->obj);
    out->id = *id;
    return 0;
}

/* The tree id of side's commit into *out, read unless that side read it
 * already (see read_tree). The tree belongs to the side's set. */
static int
side_tree(struct walk *w, int side, const git_oid *id, const char *where,
          git_tree **out)
{
    struct tree_set *set = w->sets[side];
    char hex[GIT_OID_HEXSZ + 1];
    int err;
    git_oid_tostr(hex, sizeof hex, id);
    if ((*out = map_get(set->by_id, hex)))
        return 0;
    if ((err = read_tree(w, side, id, where, out)) < 0)
        return err;
    map_put(set->by_id, arena_strdup(set->ids, hex), *out);
    vec_push(&set->trees, *out);
    return 0;
}

/* Appends the folder e names to w->path; returns the length to go back
 * to. */
static size_t
enter(struct walk *w, const struct raw_entry *e)
{
    size_t keep = w->path.len;
    buf_put(&w->path, e->name, e->name_len);
    buf_putc(&w->path, '/');
    return keep;
}

static void
leave(struct walk *w, size_t keep)
{
    w->path.len = keep;
    w->path.data[keep] = '\0';
}

/* Notes that the step compared added or changed the file named name in
 * w->path. */
static void
note_change(struct walk *w, const char *name, bool add)
{
    struct step *s = w->cur;
    size_t keep = w->path.len;
    buf_puts(&w->path, name);
    if (s->nchanges == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->changes = xrealloc(s->changes, s->cap * sizeof *s->changes);
    }
    s->changes[s->nchanges++] = (struct change){
        arena_strndup(w->chunk, w->path.data + w->prefix_len,
                      w->path.len - w->prefix_len), add
    };
    leave(w, keep);
}

/* Leaves the folder e names (old id: NULL when the step added it) to the
 * next level's comparisons. */
static void
defer(struct walk *w, const struct raw_entry *e, const git_oid *old)
{
    struct pairs *next = w->next;
    if (next->len == next->cap) {
        next->cap = next->cap ? 2 * next->cap : 64;
        next->items = xrealloc(next->items, next->cap * sizeof *next->items);
    }
    size_t keep = enter(w, e);
    next->items[next->len++] = (struct pair){
        (size_t)(w->cur - w->steps), arena_strdup(w->chunk, w->path.data),
        old ? *old : (git_oid){ { 0 } }, *e->id, old != NULL
    };
    leave(w, keep);
}

/* Entry n is only on the new side: it and every file below it are
 * added. */
static void
came(struct walk *w, const struct raw_entry *n)
{
    if (!is_folder(n))
        note_change(w, n->name, true);
    else
        defer(w, n, NULL);
}

/* Entries o and n have the same name and are both trees or both not; as
 * libgit2 sees two files of one path: another kind (a blob become a
 * symlink) is a delete and an add, another id or mode a change. */
static void
compare_entries(struct walk *w, const struct raw_entry *o,
                const struct raw_entry *n)
{
    unsigned omode = filemode(o->mode), nmode = filemode(n->mode);
    if (!is_folder(n)) {
        if (MODE_TYPE(omode) != MODE_TYPE(nmode)) {
            w->cur->deletes = true;
            note_change(w, n->name, true);
        } else if (!git_oid_equal(o->id, n->id) || omode != nmode ||
                   git_oid_is_zero(o->id)) {
            note_change(w, n->name, false);
        }
    } else if (!git_oid_equal(o->id, n->id)) {
        defer(w, n, o->id);
    }
}

/* How many bytes a and b (n each) begin with alike. */
static size_t
common_bytes(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            break;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* Whether e is an entry whose end new->ends may hold. */
static bool
plain_entry(const struct raw_entry *e)
{
    return !git_oid_is_zero(e->id);
}

/* Where old and new stop holding the same entries at the same places:
 * those entries the comparison would find alike on both sides, each
 * noting nothing (a zero id, which counts as a change, ends new->ends).
 * new->ends is read on as far as it needs (a version read afresh has
 * none yet), and old->ends begins with those entries. */
static size_t
same_start(struct raw_tree *old, struct raw_tree *new)
{
    size_t n = old->len < new->len ? old->len : new->len;
    size_t alike = old->obj ? common_bytes(old->data, new->data, n) : 0;
    struct ends *ends = &new->ends;
    size_t at = ends->len ? ends->items[ends->len - 1] : 0;
    const char *bad = NULL; /* the comparison meets it again */
    struct raw_entry e;
    /* Known up to at; read on past what is alike. */
    while (at < alike && next_entry(new, &at, &e, &bad) && plain_entry(&e))
        ends_push(ends, at);
    /* The entries that end where both are still alike. */
    size_t lo = 0, hi = ends->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ends->items[mid] <= alike)
            lo = mid + 1;
        else
            hi = mid;
    }
    old->ends.len = 0;
    if (lo) {
        ends_reserve(&old->ends, lo);
        memcpy(old->ends.items, ends->items, lo * sizeof *ends->items);
        old->ends.len = lo;
    }
    return lo ? ends->items[lo - 1] : 0;
}

/* next_entry on the old side, noting in old->ends where the entry
 * ends while *plain (all of old's entries so far were plain). */
static bool
next_old(struct raw_tree *old, size_t *at, struct raw_entry *e,
         const char **bad, bool *plain)
{
    if (!next_entry(old, at, e, bad))
        return false;
    if (*plain && (*plain = plain_entry(e)))
        ends_push(&old->ends, *at);
    return true;
}

/* Compares two versions of a folder (old's obj NULL: absent) entry by
 * entry, in the order git keeps them. Whatever is only on the old side
 * was deleted; what it held matters no more than that. -1 on an entry
 * libgit2 would not parse: the walk fails, as when libgit2 read it.
 * old->ends is left holding old's entries (see struct raw_tree): it is
 * the next comparison's new side. */
static int
compare_trees(struct walk *w, struct raw_tree *old, struct raw_tree *new)
{
    size_t start = same_start(old, new), i = start, j = start;
    struct raw_entry o, n;
    const char *bad = NULL;
    bool plain = true; /* old's entries so far */
    bool has_o = next_old(old, &i, &o, &bad, &plain),
         has_n = next_entry(new, &j, &n, &bad);
    while (!bad && (has_o || has_n)) {
        int cmp = !has_o ? 1 : !has_n ? -1 : entry_cmp(&o, &n);
        if (cmp < 0)
            w->cur->deletes = true;
        else if (cmp > 0)
            came(w, &n);
        else
            compare_entries(w, &o, &n);
        if (cmp <= 0)
            has_o = next_old(old, &i, &o, &bad, &plain);
        if (cmp >= 0)
            has_n = next_entry(new, &j, &n, &bad);
    }
    if (!bad)
        return 0;
    git_error_set(GIT_ERROR_OBJECT, "a malformed tree entry: %s", bad);
    return -1;
}

/* Compares the entry name of the two site folders (either NULL): one of
 * the pathspec's three. A file named content or themes is none we follow,
 * and libgit2 may or may not count it in: a change to it counts as a
 * delete, so that libgit2 decides such a commit. */
static void
compare_top(struct walk *w, const git_tree *old, const git_tree *new,
            const char *name)
{
    const git_tree_entry *o = old ? git_tree_entry_byname(old, name) : NULL;
    const git_tree_entry *n = new ? git_tree_entry_byname(new, name) : NULL;
    bool folder_only = strcmp(name, "site.yaml") != 0;
    if (!o && !n)
        return;
    struct raw_entry ro = o ? entry_of(o) : (struct raw_entry){ 0 },
                     rn = n ? entry_of(n) : (struct raw_entry){ 0 };
    if (o && n && entry_cmp(&ro, &rn) == 0 &&
        (!folder_only || is_folder(&rn))) {
        compare_entries(w, &ro, &rn);
        return;
    }
    if (o && n && git_oid_equal(ro.id, rn.id) &&
        filemode(ro.mode) == filemode(rn.mode))
        return;
    if (o)
        w->cur->deletes = true;
    if (!n)
        return;
    if (folder_only && !is_folder(&rn)) {
        w->cur->deletes = true;
        return;
    }
    came(w, &rn);
}

/* The site folder (w->prefix) of side's commit tree root into *out; NULL
 * when that commit has none. */
static int
site_tree(struct walk *w, int side, git_tree *root, git_tree **out)
{
    const char *rest = w->prefix;
    *out = root;
    while (*out && *rest) {
        const char *slash = strchr(rest, '/');
        const char *name = arena_strndup(w->chunk, rest,
                                         (size_t)(slash - rest));
        const git_tree_entry *e = git_tree_entry_byname(*out, name);
        if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
            *out = NULL;
            return 0;
        }
        const char *where = arena_strndup(w->chunk, w->prefix,
                                          (size_t)(slash + 1 - w->prefix));
        int err = side_tree(w, side, git_tree_entry_id(e), where, out);
        if (err < 0)
            return err;
        rest = slash + 1;
    }
    return 0;
}

/* Names the commits of step s in messages. */
static void
step_ids(struct walk *w, const struct step *s)
{
    git_oid_tostr(w->ids[NEW], sizeof w->ids[NEW], git_commit_id(s->c));
    if (s->parent)
        git_oid_tostr(w->ids[OLD], sizeof w->ids[OLD],
                      git_commit_id(s->parent));
}

/* Compares the top of step s's site folders (site.yaml, and which of
 * content/ and themes/ differ) with its parent's; the folders below wait
 * in w->next. */
static int
compare_commit(struct walk *w, struct step *s)
{
    static const char *const tops[] = { "site.yaml", "content", "themes" };
    git_tree *roots[2] = { NULL, NULL }, *sites[2] = { NULL, NULL };
    int err = 0;
    w->cur = s;
    buf_clear(&w->path);
    buf_puts(&w->path, w->prefix);
    step_ids(w, s);
    if ((err = side_tree(w, NEW, git_commit_tree_id(s->c), "",
                         &roots[NEW])) < 0 ||
        (err = site_tree(w, NEW, roots[NEW], &sites[NEW])) < 0)
        return err;
    if (s->parent &&
        ((err = side_tree(w, OLD, git_commit_tree_id(s->parent), "",
                          &roots[OLD])) < 0 ||
         (err = site_tree(w, OLD, roots[OLD], &sites[OLD])) < 0))
        return err;
    if (sites[OLD] && sites[NEW] &&
        git_oid_equal(git_tree_id(sites[OLD]), git_tree_id(sites[NEW])))
        return 0;
    for (size_t i = 0; i < 3; i++)
        compare_top(w, sites[OLD], sites[NEW], tops[i]);
    return 0;
}

/* Folders by path, then by step: every version of one folder in turn. */
static int
pair_order(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    return c ? c : (a->step > b->step) - (a->step < b->step);
}

/* Compares the folders of one level, one folder's versions after
 * another, newest first; those below them go to next. A step's new side
 * is the old side of the one before it (its child), so each tree is read
 * once. */
static int
compare_level(struct walk *w, struct pairs *level, struct pairs *next)
{
    struct raw_tree held = { 0 }; /* the last pair's old side */
    int err = 0;
    qsort(level->items, level->len, sizeof *level->items, pair_order);
    w->next = next;
    for (size_t i = 0; err == 0 && i < level->len; i++) {
        const struct pair *p = &level->items[i];
        struct raw_tree old = { 0 }, new = { 0 };
        if (w->stop && atomic_load(w->stop))
            break;
        w->cur = &w->steps[p->step];
        step_ids(w, w->cur);
        buf_clear(&w->path);
        buf_puts(&w->path, p->path);
        if (held.obj && i > 0 && !strcmp(level->items[i - 1].path, p->path) &&
            git_oid_equal(&held.id, &p->new))
            new = held;
        else
            raw_free(&held);
        held = (struct raw_tree){ 0 };
        if ((new.obj ||
             (err = read_raw(w, NEW, &p->new, p->path, &new)) == 0) &&
            (!p->has_old ||
             (err = read_raw(w, OLD, &p->old, p->path, &old)) == 0))
            err = compare_trees(w, &old, &new);
        raw_free(&new);
        held = old;
    }
    raw_free(&held);
    return err;
}

/* Whether step s leaves a rename possible: libgit2 pairs a deleted file
 * with an added one, and only the added files we follow matter. */
static bool
may_rename(const struct walk *w, const struct step *s)
{
    if (!s->deletes)
        return false;
    for (size_t i = 0; i < s->nchanges; i++)
        if (s->changes[i].added && map_get(w->names, s->changes[i].key))
            return true;
    return false;
}

/* Dates the files step s's commit added or changed: by our own
 * comparison, or by libgit2's diff when a rename may be in it. Returns
 * libgit2's error code; the step of w->watch names what failed. */
static int
visit(struct walk *w, struct step *s)
{
    if (may_rename(w, s))
        return diff_with_renames(w, s->c, s->parent);
    for (size_t i = 0; i < s->nchanges; i++) {
        struct source_file *f = map_get(w->names, s->changes[i].key);
        if (f)
            changed_file(w, f, s->changes[i].key, s->c, s->changes[i].added);
    }
    return 0;
}

/* The walk reached the commit of w->since, whose record holds, for each
 * file of that commit, the dates and author a walk from there finds:
 * each file still pending takes those of its name there (a file's dates
 * depend on its own names only, whatever else is followed). A file the
 * record does not name (a name hidden then) stays pending, and the walk
 * goes on for it. */
static void
take_dates(struct walk *w)
{
    struct record_reader rr;
    const struct cache_dated *d;
    struct source_file *f;
    if (cache_record_open(&rr, w->since) == 0)
        while (w->pending && (d = cache_record_next(&rr))) {
            if (!(f = map_get(w->names, d->path)))
                continue;
            if (!f->updated.set)
                f->updated = d->updated;
            f->created = d->created;
            f->author = d->author ? arena_strdup(w->a, d->author) : NULL;
            w->pending--;
            map_put(w->names, d->path, NULL);
        }
    cache_record_done(&rr);
}

/* Commits compared at once: the first chunk is small, as a walk given
 * a cached record or a short history needs few; each next one is twice
 * as long, up to enough that each folder has many versions in a chunk and
 * few enough that what they changed stays small. */
#define CHUNK_FIRST 256
#define CHUNK_COMMITS 4096

/* Releases the chunk's steps. */
static void
chunk_free(struct walk *w)
{
    for (size_t i = 0; i < w->nsteps; i++) {
        git_commit_free(w->steps[i].c);
        git_commit_free(w->steps[i].parent);
        free(w->steps[i].changes);
    }
    w->nsteps = 0;
    arena_clear(w->chunk);
}

/* Takes the commits from *c on, newest first, into a chunk: up to
 * w->chunk_len of them, the history's end, or w->since's commit
 * (left in *c). Each step's top is compared as it is taken, then every
 * folder below, level by level. */
static int
take_chunk(struct walk *w, git_commit **c)
{
    struct pairs level = { 0 }, next = { 0 };
    int err = 0;
    w->next = &level;
    while (*c && w->nsteps < w->chunk_len &&
           !(w->since && git_oid_equal(git_commit_id(*c), &w->since_id)) &&
           !(w->stop && atomic_load(w->stop))) {
        struct step *s = &w->steps[w->nsteps];
        *s = (struct step){ .c = *c };
        w->nsteps++;
        *c = NULL;
        if ((err = first_parent(w, &s->parent, s->c)) < 0 ||
            (err = compare_commit(w, s)) < 0)
            goto out;
        /* The parent's trees are the next step's new side. */
        set_free(w->sets[NEW]);
        w->sets[NEW] = w->sets[OLD];
        w->sets[OLD] = set_new();
        if (s->parent && (err = git_commit_dup(c, s->parent)) < 0)
            goto out;
    }
    while (err == 0 && level.len) {
        next.len = 0;
        err = compare_level(w, &level, &next);
        struct pairs t = level;
        level = next;
        next = t;
    }
out:
    free(level.items);
    free(next.items);
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
    git_commit *c = NULL;
    int rc = -1;
    if (git_commit_dup(&c, tip) < 0) {
        gitdiag_add(w->d, "reading the history");
        goto out;
    }
    w->steps = xcalloc(CHUNK_COMMITS, sizeof *w->steps);
    w->chunk_len = CHUNK_FIRST;
    while (c && w->pending > 0 && !(w->stop && atomic_load(w->stop))) {
        if (w->since && git_oid_equal(git_commit_id(c), &w->since_id)) {
            take_dates(w);
            w->since = NULL;
            continue;
        }
        int err = take_chunk(w, &c);
        if (w->chunk_len < CHUNK_COMMITS)
            w->chunk_len *= 2;
        for (size_t i = 0; err == 0 && i < w->nsteps && w->pending > 0; i++)
            err = visit(w, &w->steps[i]);
        chunk_free(w);
        if (err < 0) {
            gitdiag_add(w->d, "reading the history: %s",
                        gitdiag_watch_what(w->watch));
            goto out;
        }
    }
    rc = 0;
out:
    chunk_free(w);
    free(w->steps);
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
             const struct cache_commit *since, const atomic_bool *stop,
             struct arena *a, struct diags *d)
{
    struct walk w = { .repo = repo, .prefix = prefix,
                      .prefix_len = strlen(prefix), .watch = watch, .a = a,
                      .d = d, .stop = stop, .since = since };
    int rc;
    if (n == 0)
        return 0;
    if (since && git_oid_fromstr(&w.since_id, since->id) < 0)
        w.since = NULL;
    w.names = map_new();
    w.keys = arena_new();
    walk_init(&w);
    for (size_t i = 0; i < n; i++)
        if (!map_put(w.names, dated[i]->path, dated[i]))
            w.pending++;
    w.sets[OLD] = set_new();
    w.sets[NEW] = set_new();
    w.chunk = arena_new();
    if (git_repository_odb(&w.odb, repo) < 0) {
        gitdiag_add(d, "reading the history: the object database");
        rc = -1;
        goto out;
    }
    /* git itself reads objects without checking their SHA-1 (fsck does
     * that); libgit2 checks every one by default, which is most of this
     * walk's time, as it reads every version of every folder. zlib's
     * checksums still catch a damaged object. Nothing else reads objects
     * meanwhile (the working tree, read on the other thread, needs none),
     * and nothing else turns the check off. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    rc = walk_commits(&w, tip);
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
out:
    git_odb_free(w.odb);
    set_free(w.sets[OLD]);
    set_free(w.sets[NEW]);
    arena_free(w.chunk);
    buf_dispose(&w.path);
    arena_free(w.keys);
    map_free(w.names);
    return rc;
}
