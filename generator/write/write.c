/* write.c: the write stage. Plans a publish (which files changed, which
 * folders are new, which files the previous build made and this one does
 * not), then hands it to journal.c to stage and swap in. The manifest in
 * .gazette/ names the folder it belongs to and each file gazette wrote with
 * the identity it had then, so that only those are ever removed. */
#include "write_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/progress.h"
#include "../diag.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX)
            return true;
        p += n + (p[n] == '/');
    }
    return strlen(path) >= PATH_MAX / 2;
}

int
write_check_paths(const struct output *files, struct diags *d)
{
    struct map *paths = map_new();
    int rc = 0;
    for (size_t i = 0; i < files->len; i++) {
        const char *p = files->files[i].path;
        size_t state = strlen(WRITE_STATE_DIR);
        if (!fs_path_is_safe(p) || !strcmp(p, WRITE_LEGACY_MANIFEST) ||
            (!strncmp(p, WRITE_STATE_DIR, state) &&
             (!p[state] || p[state] == '/')))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "refusing to write \"%s\": not a path inside the "
                           "output folder", p);
        else if (name_too_long(p))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "cannot write \"%.80s...\": a name in it is "
                           "longer than a file system allows", p);
        else if (map_put(paths, p, (void *)p))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "two outputs would be written to \"%s\"", p);
    }
    /* A path may not be a file for one output and a folder for another. */
    struct buf folder = BUF_INIT;
    for (size_t i = 0; i < files->len; i++) {
        const char *p = files->files[i].path;
        for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
            buf_clear(&folder);
            buf_put(&folder, p, (size_t)(s - p));
            if (map_get(paths, folder.data))
                rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                               "\"%s\" would be both a file and the folder "
                               "of \"%s\"", folder.data, p);
        }
    }
    buf_dispose(&folder);
    map_free(paths);
    return rc;
}

/* What the manifest says of one file: the identity gazette left it with. */
struct owned {
    const char *path; /* in the manifest's text */
    unsigned long long ino;
    long long sec, nsec;
};

/* Reads the manifest into text and, when it names this folder, its files
 * into owned (struct owned, malloc'd, paths in *lines, to free). */
static void
read_manifest(const struct place *p, struct vec *owned, struct buf *text,
              char **lines)
{
    int fd = openat(p->root, WRITE_MANIFEST,
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        buf_put(text, chunk, (size_t)n);
    close(fd);
    unsigned long long dev, ino;
    int at = 0;
    if (!text->data ||
        sscanf(text->data, "gazette manifest 1 %llu %llu\n%n", &dev, &ino,
               &at) != 2 || !at || dev != (unsigned long long)p->dev ||
        ino != (unsigned long long)p->ino)
        return;
    *lines = xstrdup(text->data + at);
    for (char *line = *lines, *next; *line; line = next) {
        next = strchr(line, '\n');
        if (!next)
            break;
        *next++ = '\0';
        struct owned o;
        int path = 0;
        if (sscanf(line, "%llu %lld %lld %n", &o.ino, &o.sec, &o.nsec,
                   &path) == 3 && path && fs_path_is_safe(line + path)) {
            struct owned *copy = xmalloc(sizeof *copy);
            *copy = o;
            copy->path = line + path;
            vec_push(owned, copy);
        }
    }
}

/* The plan being made. */
struct plan {
    struct place *p;
    const char *dir;
    struct changes c;
    struct map *folders;  /* folder -> 1 (there) or 2 (to make) */
    struct vec names;     /* owns the keys of folders */
    int open_fd;          /* see folder_fd */
    char *open_name;
    struct buf manifest;
    struct owned *ids;    /* per rendered file: its identity once known */
    size_t *staged;       /* per rendered file: its change + 1, or 0 */
    struct diags *d;
};

/* The manifest of this publish: its folder, then each file in the order
 * rendered, with the identity it has once published. */
static void
make_manifest(struct plan *pl, const struct output *files)
{
    buf_printf(&pl->manifest, "gazette manifest 1 %llu %llu\n",
               (unsigned long long)pl->p->dev,
               (unsigned long long)pl->p->ino);
    for (size_t i = 0; i < files->len; i++) {
        struct owned o = pl->ids[i];
        if (pl->staged[i]) {
            const struct change *ch = &pl->c.items[pl->staged[i] - 1];
            o = (struct owned){ ch->path, ch->ino, ch->mtime.tv_sec,
                                ch->mtime.tv_nsec };
        }
        buf_printf(&pl->manifest, "%llu %lld %lld %s\n", o.ino, o.sec,
                   o.nsec, files->files[i].path);
    }
}

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
add_change(struct plan *pl, struct change ch)
{
    pl->c.items = xrealloc(pl->c.items, (pl->c.len + 1) *
                                            sizeof *pl->c.items);
    ch.n = pl->c.len;
    pl->c.items[pl->c.len++] = ch;
}

/* Whether folder is there (1) or this publish makes it (2), after planning
 * the making of it and of its missing parents; -1 on error. No component
 * may be a symlink or a file. */
static int
plan_folder(struct plan *pl, const char *folder)
{
    if (!*folder)
        return 1;
    intptr_t known = (intptr_t)map_get(pl->folders, folder);
    if (known)
        return (int)known;
    const char *last = strrchr(folder, '/');
    char *up = xstrndup(folder, last ? (size_t)(last - folder) : 0);
    int parent = plan_folder(pl, up);
    free(up);
    if (parent < 0)
        return -1;
    int state = 2;
    if (parent == 1) {
        int fd = fs_open_dir_below(pl->p->root, folder, false);
        if (fd < 0 && errno != ENOENT)
            return diags_add(pl->d, DIAG_SYSTEM, NULL, 0, 0,
                             "%s/%s: cannot be a folder (%s)", pl->dir,
                             folder, strerror(errno));
        if (fd >= 0) {
            close(fd);
            state = 1;
        }
    }
    char *key = xstrdup(folder);
    vec_push(&pl->names, key);
    map_put(pl->folders, key, (void *)(intptr_t)state);
    if (state == 2)
        add_change(pl, (struct change){ .kind = CHANGE_MKDIR, .path = key });
    return state;
}

/* The folder of the file being planned, open: consecutive files mostly
 * share one, so it stays open until the next folder. */
static int
folder_fd(struct plan *pl, const char *folder)
{
    if (pl->open_fd >= 0 && pl->open_name && !strcmp(pl->open_name, folder))
        return pl->open_fd;
    if (pl->open_fd >= 0)
        close(pl->open_fd);
    free(pl->open_name);
    pl->open_name = xstrdup(folder);
    pl->open_fd = *folder ? fs_open_dir_below(pl->p->root, folder, false)
                          : dup(pl->p->root);
    return pl->open_fd;
}

/* Plans one rendered file: unchanged (kept, listed in the manifest) or
 * staged to replace what is there. */
static int
plan_file(struct plan *pl, const struct output_file *f, size_t i,
          struct write_stats *st)
{
    const char *slash = strrchr(f->path, '/');
    char *folder = xstrndup(f->path, slash ? (size_t)(slash - f->path) : 0);
    int state = plan_folder(pl, folder);
    int dfd = state == 1 ? folder_fd(pl, folder) : -2;
    free(folder);
    if (state < 0)
        return -1;
    if (dfd == -1)
        return diags_add(pl->d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s",
                         pl->dir, f->path, strerror(errno));
    const char *name = slash ? slash + 1 : f->path;
    struct stat was;
    if (dfd >= 0 && same_bytes(dfd, name, f->data, f->len, &was)) {
        pl->ids[i] = (struct owned){ f->path, was.st_ino, was.st_mtim.tv_sec,
                                     was.st_mtim.tv_nsec };
        st->unchanged++;
        return 0;
    }
    pl->staged[i] = pl->c.len + 1;
    bool had_old = dfd >= 0 && fstatat(dfd, name, &was,
                                       AT_SYMLINK_NOFOLLOW) == 0;
    add_change(pl, (struct change){ .kind = CHANGE_WRITE, .path = f->path,
                                    .had_old = had_old, .data = f->data,
                                    .len = f->len });
    st->written++;
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

/* The folders of removed files that no output of this build lies in go
 * too, deepest first, within the journal (a folder still holding someone
 * else's file stays). */
static void
plan_emptied_folders(struct plan *pl)
{
    struct map *seen = map_new();
    struct vec folders = VEC_INIT;
    size_t n = pl->c.len;
    for (size_t i = 0; i < n; i++) {
        if (pl->c.items[i].kind != CHANGE_REMOVE)
            continue;
        char *folder = xstrdup(pl->c.items[i].path);
        for (char *s = strrchr(folder, '/'); s; s = strrchr(folder, '/')) {
            *s = '\0';
            if (map_get(pl->folders, folder) || map_get(seen, folder))
                break;
            char *copy = xstrdup(folder);
            vec_push(&pl->names, copy); /* freed with the plan */
            map_put(seen, copy, copy);
            vec_push(&folders, copy);
        }
        free(folder);
    }
    if (folders.len)
        qsort(folders.items, folders.len, sizeof *folders.items,
              deeper_first);
    for (size_t i = 0; i < folders.len; i++)
        add_change(pl, (struct change){ .kind = CHANGE_RMDIR,
                                        .path = folders.items[i] });
    vec_dispose(&folders);
    map_free(seen);
}

/* Plans the removal of each file the last build wrote, this one does not
 * make, and nobody has changed since (same inode, same mtime). */
static void
plan_removals(struct plan *pl, const struct vec *owned,
              const struct map *made, struct write_stats *st)
{
    for (size_t i = 0; i < owned->len; i++) {
        const struct owned *o = owned->items[i];
        const char *path = o->path;
        if (map_get(made, path))
            continue;
        struct stat now;
        if (fstatat(pl->p->root, path, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(now.st_mode) && now.st_ino == o->ino &&
            now.st_mtim.tv_sec == o->sec && now.st_mtim.tv_nsec == o->nsec) {
            add_change(pl, (struct change){ .kind = CHANGE_REMOVE,
                                            .path = path });
            st->removed++;
        }
    }
    plan_emptied_folders(pl);
}

static int
publish(struct plan *pl, const struct output *files, struct write_stats *out)
{
    struct map *made = map_new();
    struct vec owned = VEC_INIT;
    struct buf old = BUF_INIT;
    char *lines = NULL;
    read_manifest(pl->p, &owned, &old, &lines);
    pl->ids = xcalloc(files->len + 1, sizeof *pl->ids);
    pl->staged = xcalloc(files->len + 1, sizeof *pl->staged);
    int rc = 0;
    progress_stage("comparing", files->len);
    for (size_t i = 0; i < files->len && rc == 0; i++) {
        map_put(made, files->files[i].path, (void *)1);
        rc = plan_file(pl, &files->files[i], i, out);
        progress_advance(1);
    }
    if (rc == 0)
        plan_removals(pl, &owned, made, out);
    progress_stage("writing", out->written);
    if (rc == 0)
        rc = journal_stage(pl->p, &pl->c, 0, pl->dir, pl->d);
    if (rc == 0)
        make_manifest(pl, files);
    /* The manifest is published with the files it lists, when it changed. */
    if (rc == 0 && (pl->c.len || old.len != pl->manifest.len ||
                    (old.len && memcmp(old.data, pl->manifest.data, old.len)))) {
        struct stat st;
        size_t at = pl->c.len;
        add_change(pl, (struct change){
            .kind = CHANGE_WRITE, .path = WRITE_MANIFEST,
            .had_old = fstatat(pl->p->root, WRITE_MANIFEST, &st,
                               AT_SYMLINK_NOFOLLOW) == 0,
            .data = pl->manifest.data, .len = pl->manifest.len });
        rc = journal_stage(pl->p, &pl->c, at, pl->dir, pl->d);
    }
    if (rc == 0 && journal_interrupted())
        rc = diags_add(pl->d, DIAG_SYSTEM, NULL, 0, 0,
                       "interrupted (signal %d): %s/ was left as it was",
                       journal_interrupted(), pl->dir);
    if (rc == 0 && pl->c.len)
        rc = journal_publish(pl->p, &pl->c, pl->dir, pl->d);
    else if (rc < 0)
        journal_recover(pl->p, pl->dir, pl->d); /* drops what was staged */
    if (rc == 0) {
        unlinkat(pl->p->root, WRITE_LEGACY_MANIFEST, 0);
    }
    for (size_t i = 0; i < owned.len; i++)
        free(owned.items[i]);
    vec_dispose(&owned);
    free(lines);
    free(pl->ids);
    free(pl->staged);
    map_free(made);
    buf_dispose(&old);
    return rc;
}

int
write_output(struct write_stats *out, const char *dir,
             const struct output *files, unsigned flags, struct diags *d)
{
    memset(out, 0, sizeof *out);
    if (write_check_paths(files, d) < 0)
        return -1;
    journal_catch_signals(true);
    struct place p;
    struct plan pl = { &p, dir, { 0 }, map_new(), VEC_INIT, -1, NULL,
                       BUF_INIT, NULL, NULL, d };
    int rc = place_open(&p, dir, true, flags & WRITE_FORCE, d);
    p.sync = !(flags & WRITE_NO_SYNC);
    if (rc == 0)
        rc = place_lock(&p, dir, d);
    if (rc == 0)
        rc = journal_recover(&p, dir, d);
    if (rc == 0)
        rc = publish(&pl, files, out);
    if (rc < 0)
        out->written = out->removed = 0;
    place_close(&p);
    journal_catch_signals(false);
    if (pl.open_fd >= 0)
        close(pl.open_fd);
    free(pl.open_name);
    for (size_t i = 0; i < pl.names.len; i++)
        free(pl.names.items[i]);
    vec_dispose(&pl.names);
    map_free(pl.folders);
    free(pl.c.items);
    buf_dispose(&pl.manifest);
    return rc;
}
