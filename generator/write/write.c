/* write.c: the write stage, as a session. Each batch of files is planned
 * (which changed, which folders are new) and its changed files staged at
 * once, so that the caller may free them; the end plans what the previous
 * build made and this one does not, and hands it all to journal.c to swap
 * in. The manifest in .gazette/ names the folder it belongs to and each
 * file gazette wrote with the identity it had then, so that only those are
 * ever removed, and the key it was made from, so that the next build can
 * keep it without making it again. */
#include "write_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/progress.h"
#include "../diag.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
write_check_output(const char *dir, bool force, struct diags *d)
{
    struct place p;
    int rc = place_open(&p, dir, false, force, d);
    struct stat st;
    if (rc == 0 && p.root >= 0 &&
        fstatat(p.root, WRITE_STATE_DIR, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        rc = place_lock(&p, dir, d);
        if (rc == 0)
            rc = journal_recover(&p, dir, d);
    }
    place_close(&p);
    return rc;
}

/* True when some component of path is longer than a file name may be. */
static bool
name_too_long(const char *path)
{
    size_t len = strlen(path);
    if (len <= NAME_MAX) /* no component is longer: most paths */
        return false;
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX)
            return true;
        p += n + (p[n] == '/');
    }
    return len >= PATH_MAX / 2;
}

/* The paths of a publish so far, which each new one is checked against. */
struct path_set {
    struct map *files;   /* path -> itself */
    struct map *holders; /* folder -> the first file found inside it */
    struct arena *a;     /* the folders' names */
};

static void
path_set_init(struct path_set *ps, struct arena *a)
{
    *ps = (struct path_set){ map_new(), map_new(), a };
}

static void
path_set_dispose(struct path_set *ps)
{
    map_free(ps->files);
    map_free(ps->holders);
}

/* True when path is one of gazette's own records: in .gazette/, or the
 * manifest of old. */
static bool
is_record(const char *path)
{
    size_t state = strlen(WRITE_STATE_DIR);
    return !strcmp(path, WRITE_LEGACY_MANIFEST) ||
           (!strncmp(path, WRITE_STATE_DIR, state) &&
            (!path[state] || path[state] == '/'));
}

/* Notes the folders of path as holding it, deepest first: once one is
 * known, so are its parents. */
static void
note_folders(struct path_set *ps, const char *path)
{
    for (size_t n = strlen(path); n > 0;) {
        while (n > 0 && path[n - 1] != '/')
            n--;
        if (n-- == 0 || map_getn(ps->holders, path, n))
            break;
        map_put(ps->holders, arena_strndup(ps->a, path, n), (void *)path);
    }
}

/* Applies write_check_paths' rules to path against the paths added before
 * it, then adds it (path must outlive the set). */
static int
path_set_add(struct path_set *ps, const char *path, struct diags *d)
{
    if (!fs_path_is_safe(path) || is_record(path))
        return diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                         "refusing to write \"%s\": not a path inside the "
                         "output folder", path);
    if (name_too_long(path))
        return diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                         "cannot write \"%.80s...\": a name in it is longer "
                         "than a file system allows", path);
    if (map_get(ps->files, path))
        return diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                         "two outputs would be written to \"%s\"", path);
    const char *inside = map_get(ps->holders, path);
    if (inside)
        return diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                         "\"%s\" would be both a file and the folder of "
                         "\"%s\"", path, inside);
    int rc = 0;
    for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
        if (map_getn(ps->files, path, (size_t)(s - path)))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "\"%.*s\" would be both a file and the folder of "
                           "\"%s\"", (int)(s - path), path, path);
    if (rc < 0)
        return rc;
    map_put(ps->files, path, (void *)path);
    note_folders(ps, path);
    return 0;
}

int
write_check_paths(const struct output *files, struct diags *d)
{
    struct arena *a = arena_new();
    struct path_set ps;
    path_set_init(&ps, a);
    int rc = 0;
    for (size_t i = 0; i < files->len; i++)
        if (path_set_add(&ps, files->files[i].path, d) < 0)
            rc = -1;
    path_set_dispose(&ps);
    arena_free(a);
    return rc;
}

/* A file of the session, in the order added: what the manifest will say
 * of it. */
struct added {
    struct owned id; /* its path (the session's copy), identity, key */
    size_t change;   /* its CHANGE_WRITE + 1 once staged, else 0 */
};

struct write_session {
    struct place p;
    char *dir;
    struct manifest old;   /* what the last publish left: see last */
    pthread_mutex_t old_lock;
    bool old_done;
    pthread_t reader;      /* write_prefetch's, when reading is set */
    bool reading;
    size_t old_next;       /* the line of old after the last one asked for */
    struct arena *a;       /* paths and folder names, for the session */
    struct path_set paths; /* every file added, and their folders, but
                              those of the first `same`: */
    size_t same;           /* added[0..same) are the first files of the
                              last publish, in its order: their paths were
                              checked then (see add_paths) */
    bool diverged;         /* a file came that the last publish did not
                              have there: every path goes to paths now */
    struct added *added;   /* in the order added */
    size_t len, cap;
    struct changes c;      /* the publish being planned */
    struct map *folders;   /* folder -> plan_folder's answer */
    int open_fd;           /* see folder_fd */
    char *open_name;
    int cache;             /* .gazette/cache/, once asked for */
    bool cache_tried;
    struct write_stats stats;
    bool ready;            /* begun: the journal is ours to recover */
    bool failed, finished, published;
};

/* True when name in dfd is a regular file holding exactly data. */
static bool
same_bytes(int dfd, const char *name, const char *data, size_t len,
           struct stat *st)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool same = fstat(fd, st) == 0 && S_ISREG(st->st_mode) &&
                (size_t)st->st_size == len;
    char chunk[65536];
    for (size_t off = 0; same && off < len;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0 || memcmp(chunk, data + off, (size_t)n) != 0)
            same = false;
        else
            off += (size_t)n;
    }
    close(fd);
    return same;
}

static void
add_change(struct write_session *s, struct change ch)
{
    if (s->c.len == s->c.cap) {
        s->c.cap = s->c.cap ? 2 * s->c.cap : 64;
        s->c.items = xrealloc(s->c.items, s->c.cap * sizeof *s->c.items);
    }
    ch.n = s->c.len;
    s->c.items[s->c.len++] = ch;
}

/* Whether folder is there (1) or this publish makes it (2 + the index of
 * the CHANGE_TREE it is made in), after planning the making of it and of
 * its missing parents; -1 on error. A missing folder whose parent is
 * there is made whole in the stage and put in place by one rename, with
 * all that is in it. No component may be a symlink or a file. */
static intptr_t
plan_folder(struct write_session *s, const char *folder, struct diags *d)
{
    if (!*folder)
        return 1;
    intptr_t known = (intptr_t)map_get(s->folders, folder);
    if (known)
        return known;
    const char *last = strrchr(folder, '/');
    char *up = xstrndup(folder, last ? (size_t)(last - folder) : 0);
    intptr_t parent = plan_folder(s, up, d);
    free(up);
    if (parent < 0)
        return -1;
    intptr_t state = parent;
    if (parent == 1) {
        int fd = fs_open_dir_below(s->p.root, folder, false);
        if (fd < 0 && errno != ENOENT)
            return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                             "%s/%s: cannot be a folder (%s)", s->dir,
                             folder, strerror(errno));
        if (fd >= 0)
            close(fd);
        else
            state = 2 + (intptr_t)s->c.len;
    }
    const char *key = arena_strdup(s->a, folder);
    map_put(s->folders, key, (void *)state);
    if (parent == 1 && state > 1)
        add_change(s, (struct change){ .kind = CHANGE_TREE, .path = key });
    else if (state > 1)
        add_change(s, (struct change){ .kind = CHANGE_MKDIR, .path = key,
                                       .tree = (size_t)state - 1 });
    return state;
}

/* The folder of the file being planned, open: consecutive files mostly
 * share one, so it stays open until the next folder. */
static int
folder_fd(struct write_session *s, const char *folder)
{
    if (s->open_fd >= 0 && s->open_name && !strcmp(s->open_name, folder))
        return s->open_fd;
    if (s->open_fd >= 0)
        close(s->open_fd);
    free(s->open_name);
    s->open_name = xstrdup(folder);
    s->open_fd = *folder ? fs_open_dir_below(s->p.root, folder, false)
                         : dup(s->p.root);
    return s->open_fd;
}

static bool
same_key(const struct output_key *a, const struct output_key *b)
{
    return a->h[0] == b->h[0] && a->h[1] == b->h[1];
}

/* A file the caller knows to be what the last build published under the
 * same key: kept as it is, its line of the old manifest carried over,
 * without a look at the disk (that is the point of keys). */
static int
keep_file(struct write_session *s, const struct output_file *f,
          struct added *e, struct diags *d)
{
    /* added[0..same) are old's first files, in its order (add_paths) */
    size_t i = (size_t)(e - s->added);
    const struct owned *was = NULL;
    if (i < s->same) {
        was = &s->old.files[i];
    } else {
        pthread_mutex_lock(&s->old_lock);
        was = manifest_find(&s->old, e->id.path);
        pthread_mutex_unlock(&s->old_lock);
    }
    if (!was || !output_key_set(&f->key) || !same_key(&was->key, &f->key))
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                         "gazette bug: %s/%s came without its bytes, but "
                         "the last build did not publish it with this key",
                         s->dir, e->id.path);
    e->id.ino = was->ino;
    e->id.sec = was->sec;
    e->id.nsec = was->nsec;
    s->stats.unchanged++;
    progress_advance(1);
    return 0;
}

/* Plans one file: kept, unchanged (its identity noted) or to be staged to
 * replace what is there. */
static int
plan_file(struct write_session *s, const struct output_file *f,
          struct added *e, struct diags *d)
{
    if (!f->data)
        return keep_file(s, f, e, d);
    const char *path = e->id.path, *slash = strrchr(path, '/');
    char *folder = xstrndup(path, slash ? (size_t)(slash - path) : 0);
    intptr_t state = plan_folder(s, folder, d);
    int dfd = state == 1 ? folder_fd(s, folder) : -2;
    free(folder);
    if (state < 0)
        return -1;
    if (dfd == -1)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", s->dir,
                         path, strerror(errno));
    const char *name = slash ? slash + 1 : path;
    struct stat was;
    if (dfd >= 0 && same_bytes(dfd, name, f->data, f->len, &was)) {
        e->id.ino = was.st_ino;
        e->id.sec = was.st_mtim.tv_sec;
        e->id.nsec = was.st_mtim.tv_nsec;
        s->stats.unchanged++;
        progress_advance(1); /* a staged file counts once staged */
        return 0;
    }
    e->change = s->c.len + 1;
    bool had_old = dfd >= 0 && fstatat(dfd, name, &was,
                                       AT_SYMLINK_NOFOLLOW) == 0;
    add_change(s, (struct change){ .kind = CHANGE_WRITE, .path = path,
                                   .had_old = had_old, .data = f->data,
                                   .len = f->len,
                                   .tree = state > 1 ? (size_t)state - 1
                                                     : 0 });
    s->stats.written++;
    return 0;
}

static int
deeper_first(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    size_t da = 0, db = 0;
    for (const char *p = a; *p; p++)
        da += *p == '/';
    for (const char *p = b; *p; p++)
        db += *p == '/';
    return da != db ? (da > db ? -1 : 1) : strcmp(a, b);
}

/* The folders of removed files that no file of this session lies in go
 * too, deepest first, within the journal (a folder still holding someone
 * else's file stays). */
static void
plan_emptied_folders(struct write_session *s)
{
    struct map *seen = map_new();
    struct vec folders = VEC_INIT;
    size_t n = s->c.len;
    for (size_t i = 0; i < n; i++) {
        if (s->c.items[i].kind != CHANGE_REMOVE)
            continue;
        char *folder = arena_strdup(s->a, s->c.items[i].path);
        for (char *sl = strrchr(folder, '/'); sl; sl = strrchr(folder, '/')) {
            *sl = '\0';
            if (map_get(s->paths.holders, folder) || map_get(seen, folder))
                break;
            char *copy = arena_strdup(s->a, folder);
            map_put(seen, copy, copy);
            vec_push(&folders, copy);
        }
    }
    if (folders.len)
        qsort(folders.items, folders.len, sizeof *folders.items,
              deeper_first);
    for (size_t i = 0; i < folders.len; i++)
        add_change(s, (struct change){ .kind = CHANGE_RMDIR,
                                       .path = folders.items[i] });
    vec_dispose(&folders);
    map_free(seen);
}

/* From now on every path goes through s->paths, those of the first
 * files, which matched the last publish, too. */
static void
diverge(struct write_session *s, struct diags *d)
{
    if (s->diverged)
        return;
    s->diverged = true;
    for (size_t i = 0; i < s->same; i++)
        path_set_add(&s->paths, s->added[i].id.path, d);
}

/* Plans the removal of each file the last build wrote, this one did not
 * add, and nobody has changed since (same inode, same mtime). gazette's
 * own records stay, whatever a manifest says. */
static void
plan_removals(struct write_session *s, struct diags *d)
{
    if (!s->diverged && s->same == s->old.len)
        return; /* the last publish's files, all made again */
    diverge(s, d);
    for (size_t i = 0; i < s->old.len; i++) {
        const struct owned *o = &s->old.files[i];
        if (map_get(s->paths.files, o->path) || is_record(o->path))
            continue;
        struct stat now;
        if (fstatat(s->p.root, o->path, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(now.st_mode) && now.st_ino == o->ino &&
            now.st_mtim.tv_sec == o->sec && now.st_mtim.tv_nsec == o->nsec) {
            add_change(s, (struct change){ .kind = CHANGE_REMOVE,
                                           .path = o->path });
            s->stats.removed++;
        }
    }
    plan_emptied_folders(s);
}

/* The manifest of the last publish, read when first needed: a rebuild
 * that finds nothing to do never needs it. Once, whichever thread asks. */
static const struct manifest *
last(struct write_session *s)
{
    pthread_mutex_lock(&s->old_lock);
    if (!s->old_done)
        manifest_read(&s->old, &s->p);
    s->old_done = true;
    pthread_mutex_unlock(&s->old_lock);
    return &s->old;
}

/* File i as this publish leaves it: its identity once staged. */
static struct owned
published(const struct write_session *s, size_t i)
{
    struct owned o = s->added[i].id;
    if (s->added[i].change) {
        const struct change *ch = &s->c.items[s->added[i].change - 1];
        o.ino = ch->ino;
        o.sec = ch->mtime.tv_sec;
        o.nsec = ch->mtime.tv_nsec;
    }
    return o;
}

/* True when file i's line is the last manifest's line i: the first `same`
 * files have its paths, in its order. */
static bool
same_line(const struct write_session *s, size_t i)
{
    if (i >= s->same)
        return false;
    const struct owned *was = &s->old.files[i];
    struct owned now = published(s, i);
    return was->ino == now.ino && was->sec == now.sec &&
           was->nsec == now.nsec && same_key(&was->key, &now.key);
}

/* True when the manifest of this publish would say, line for line, what
 * the last one says: then it is left as it is. */
static bool
manifest_unchanged(const struct write_session *s)
{
    if (s->c.len || !s->old.exact || s->old.len != s->len ||
        s->same != s->len)
        return false;
    for (size_t i = 0; i < s->len; i++)
        if (!same_line(s, i))
            return false;
    return true;
}

/* Stages the manifest of this publish, which is published with the files
 * it lists: its folder, then each file in the order added, with the
 * identity it has once published and its key. */
static int
stage_manifest(struct write_session *s, struct diags *d)
{
    struct buf text = BUF_INIT;
    /* Sized once, from the last manifest: grown by doubling, it touched
     * twice its size of fresh memory, the costliest thing a page does. */
    buf_grow(&text, last(s)->text.len + s->len * 8 + 4096);
    size_t check = manifest_put_head(&text, &s->p);
    for (size_t i = 0, j; i < s->len; i = j) {
        for (j = i; same_line(s, j); j++)
            ;
        if (j > i) {
            manifest_put_lines(&text, &s->old, i, j);
        } else {
            struct owned o = published(s, j++);
            manifest_put_file(&text, &o);
        }
    }
    manifest_seal(&text, check);
    struct stat st;
    size_t at = s->c.len;
    add_change(s, (struct change){
        .kind = CHANGE_WRITE, .path = WRITE_MANIFEST,
        .had_old = fstatat(s->p.root, WRITE_MANIFEST, &st,
                           AT_SYMLINK_NOFOLLOW) == 0,
        .data = text.data, .len = text.len });
    int rc = journal_stage(&s->p, &s->c, at, s->dir, d);
    s->c.items[at].data = NULL;
    buf_dispose(&text);
    return rc;
}

/* -1 with a diag once SIGINT, SIGTERM or SIGHUP came. */
static int
check_interrupted(const struct write_session *s, struct diags *d)
{
    int sig = journal_interrupted();
    if (!sig)
        return 0;
    return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                     "interrupted (signal %d): %s/ was left as it was", sig,
                     s->dir);
}

int
write_interrupted(const struct write_session *s, struct diags *d)
{
    return check_interrupted(s, d);
}

static void *
read_last(void *session)
{
    last(session);
    return NULL;
}

void
write_prefetch(struct write_session *s)
{
    if (s && !s->reading)
        s->reading = pthread_create(&s->reader, NULL, read_last, s) == 0;
}

int
write_begin(struct write_session **out, const char *dir, unsigned flags,
            struct diags *d)
{
    struct write_session *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(dir);
    s->a = arena_new();
    path_set_init(&s->paths, s->a);
    s->folders = map_new();
    s->open_fd = s->cache = -1;
    pthread_mutex_init(&s->old_lock, NULL);
    journal_catch_signals(true);
    int rc = place_open(&s->p, dir, true, flags & WRITE_FORCE, d);
    s->p.sync = !(flags & WRITE_NO_SYNC);
    if (rc == 0)
        rc = place_lock(&s->p, dir, d);
    if (rc == 0)
        rc = journal_recover(&s->p, dir, d);
    if (rc == 0) {
        s->ready = true;
    } else {
        write_end(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

bool
write_old_key(struct write_session *s, const char *path, struct output_key *key)
{
    const struct manifest *old = last(s);
    /* A rebuild asks for its files in the order the last one listed
     * them, but for those without a key (the tags index): the few lines
     * after the last one found are tried before the map of all. */
    pthread_mutex_lock(&s->old_lock);
    const struct owned *o = NULL;
    for (size_t i = s->old_next; !o && i < old->len && i < s->old_next + 4; i++)
        if (!strcmp(old->files[i].path, path))
            o = &old->files[i];
    if (!o)
        o = manifest_find(&s->old, path);
    if (o)
        s->old_next = (size_t)(o - old->files) + 1;
    pthread_mutex_unlock(&s->old_lock);
    *key = o ? o->key : (struct output_key){ { 0, 0 } };
    return output_key_set(key);
}

int
write_cache_fd(struct write_session *s)
{
    if (!s->cache_tried) {
        s->cache_tried = true;
        if (mkdirat(s->p.state, "cache", 0755) == 0 || errno == EEXIST)
            s->cache = openat(s->p.state, "cache", O_RDONLY | O_DIRECTORY |
                              O_NOFOLLOW | O_CLOEXEC);
    }
    return s->cache;
}

/* Takes the batch's paths into the session, each checked against all the
 * paths before it: one entry a file, in order, when all are right. */
static int
add_paths(struct write_session *s, const struct output *files,
          struct diags *d)
{
    int rc = 0;
    const struct manifest *old = last(s);
    for (size_t i = 0; i < files->len; i++) {
        const struct output_file *f = &files->files[i];
        const char *path = arena_strdup(s->a, f->path);
        /* A site that makes the same files as last time, in the same
         * order, cannot make two at one path: the maps are for the rest.
         * Such a path is safe: reading the manifest checked its paths. */
        bool same = !s->diverged && old->exact && s->same == s->len &&
                    s->same < old->len &&
                    !strcmp(old->files[s->same].path, path) &&
                    !is_record(path) && !name_too_long(path);
        if (same)
            s->same++;
        else
            diverge(s, d);
        if (!same && path_set_add(&s->paths, path, d) < 0) {
            rc = -1;
            continue;
        }
        if (s->len == s->cap) {
            /* as many as last time at once: doubling is copying */
            s->cap = s->cap ? 2 * s->cap : old->len + 256;
            s->added = xrealloc(s->added, s->cap * sizeof *s->added);
        }
        s->added[s->len++] = (struct added){
            .id = { .path = path, .key = f->key } };
    }
    return rc;
}

bool
write_same_paths(struct write_session *s, const struct output *files)
{
    const struct manifest *old = last(s);
    if (!old->exact || old->len != files->len)
        return false;
    for (size_t i = 0; i < files->len; i++)
        if (strcmp(old->files[i].path, files->files[i].path))
            return false;
    return true;
}

int
write_add(struct write_session *s, const struct output *files,
          struct diags *d)
{
    assert(s->ready && !s->failed && !s->finished);
    last(s);
    size_t first = s->len, from = s->c.len;
    int rc = check_interrupted(s, d);
    if (rc == 0)
        rc = add_paths(s, files, d);
    for (size_t i = 0; i < files->len && rc == 0; i++)
        rc = plan_file(s, &files->files[i], &s->added[first + i], d);
    /* Staged now, so that the caller may free the bytes; forgotten even
     * when something failed. */
    if (rc == 0)
        rc = journal_stage(&s->p, &s->c, from, s->dir, d);
    for (size_t i = from; i < s->c.len; i++)
        s->c.items[i].data = NULL;
    if (rc == 0)
        rc = check_interrupted(s, d); /* staging stops at a signal */
    if (rc < 0)
        s->failed = true;
    return rc;
}

int
write_finish(struct write_session *s, struct write_stats *out,
             struct diags *d)
{
    assert(s->ready && !s->failed && !s->finished);
    s->finished = true;
    last(s);
    int rc = check_interrupted(s, d);
    if (rc == 0)
        plan_removals(s, d);
    if (rc == 0 && !manifest_unchanged(s))
        rc = stage_manifest(s, d);
    if (rc == 0)
        rc = check_interrupted(s, d);
    if (rc == 0 && s->c.len)
        rc = journal_publish(&s->p, &s->c, s->dir, d);
    if (rc == 0) {
        s->published = true;
        unlinkat(s->p.root, WRITE_LEGACY_MANIFEST, 0);
    }
    *out = s->stats;
    if (rc < 0) {
        out->written = out->removed = 0;
        s->failed = true;
    }
    return rc;
}

void
write_end(struct write_session *s)
{
    if (!s)
        return;
    if (s->reading)
        pthread_join(s->reader, NULL);
    if (s->ready && !s->published) { /* drops what was staged */
        struct diags quiet;
        diags_init(&quiet);
        journal_recover(&s->p, s->dir, &quiet);
        diags_dispose(&quiet);
    }
    if (s->cache >= 0)
        close(s->cache);
    if (s->open_fd >= 0)
        close(s->open_fd);
    place_close(&s->p);
    journal_catch_signals(false);
    free(s->open_name);
    free(s->added);
    free(s->c.items);
    map_free(s->folders);
    path_set_dispose(&s->paths);
    manifest_dispose(&s->old);
    pthread_mutex_destroy(&s->old_lock);
    arena_free(s->a);
    free(s->dir);
    free(s);
}

int
write_output(struct write_stats *out, const char *dir,
             const struct output *files, unsigned flags, struct diags *d)
{
    memset(out, 0, sizeof *out);
    if (write_check_paths(files, d) < 0) /* before anything is touched */
        return -1;
    struct write_session *s;
    int rc = write_begin(&s, dir, flags, d);
    progress_stage("writing", files->len);
    if (rc == 0)
        rc = write_add(s, files, d);
    if (rc == 0)
        rc = write_finish(s, out, d);
    write_end(s);
    return rc;
}
