/* journal.c: the swap that publishes a build. Changed files are staged in
 * .gazette/stage/ (a folder new to the output is staged whole, with all
 * that goes in it), the list of steps is written to .gazette/journal, the
 * steps run (each a rename: a reader sees a whole old file or a whole new
 * one, and a new folder with everything in it), and removing the journal
 * commits them. Replaced and removed files wait in .gazette/old/ until
 * then, so an interrupted swap can be undone step by step, by this run or,
 * after a SIGKILL or power cut, by the next one. Part of write/. */
#include "write_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/progress.h"
#include "../diag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A journal's first line: version 2 names the folder it is the journal
 * of (device and inode) and has T steps; version 1 is still read. */
#define JOURNAL_HEAD "gazette journal 2 %llu %llu\n"
#define JOURNAL_HEAD_1 "gazette journal 1\n"

/* The length of the journal head text starts with (0: none), and the
 * folder it names (0, 0 for version 1). */
static size_t
journal_head(const char *text, unsigned long long *dev,
             unsigned long long *ino)
{
    int at = 0;
    if (sscanf(text, "gazette journal 2 %llu %llu\n%n", dev, ino, &at) == 2 &&
        at)
        return (size_t)at;
    *dev = *ino = 0;
    size_t n = strlen(JOURNAL_HEAD_1);
    return strncmp(text, JOURNAL_HEAD_1, n) ? 0 : n;
}

static volatile sig_atomic_t interrupted; /* see journal_catch_signals */

/* Splits "a/b/c.html" into its folder ("a/b", or "") and name. */
static const char *
split_path(const char *path, char *folder, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(folder, path, n);
    folder[n] = '\0';
    return slash ? slash + 1 : path;
}

/* Removes all that is in the folder name of dir: files, and folders
 * with what is in them (a staged folder). No symlink is followed. */
static void
clear_folder(int dir, const char *name)
{
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
    DIR *list = fd < 0 ? NULL : fdopendir(fd);
    if (!list) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(list));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(dirfd(list), e->d_name, 0) < 0 && errno == EISDIR) {
            clear_folder(dirfd(list), e->d_name);
            unlinkat(dirfd(list), e->d_name, AT_REMOVEDIR);
        }
    }
    closedir(list);
}

static int
sys_error(struct diags *d, const char *dir, const char *path)
{
    return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", dir, path,
                     strerror(errno));
}

/* Folders the steps opened lately, kept open: a post's folder is made in
 * its channel's folder, and its page is put in it, so each of the two is
 * opened once for many steps, not once a step. */
#define OPEN_FOLDERS 4

/* The folders a step works in: the step's own, stage/ and old/. */
struct step_dirs {
    int root, stage, old;
    struct {
        char *path;    /* NULL: the slot is free */
        int fd;
        size_t used;   /* when last used: the oldest goes first */
    } open[OPEN_FOLDERS];
    size_t clock;
};

static int
open_parent(const struct step_dirs *s, const char *path, const char **name)
{
    char folder[4096];
    *name = split_path(path, folder, sizeof folder);
    return fs_open_dir_below(s->root, folder, false);
}

static void
close_folders(struct step_dirs *s)
{
    for (int i = 0; i < OPEN_FOLDERS; i++) {
        if (s->open[i].path)
            close(s->open[i].fd);
        free(s->open[i].path);
        s->open[i].path = NULL;
        s->open[i].used = 0;
    }
}

/* The parent folder of path, from the open ones or opened and kept (not
 * to be closed by the caller); -1 with errno when it cannot be opened. */
static int
kept_parent(struct step_dirs *s, const char *path, const char **name)
{
    char folder[4096];
    *name = split_path(path, folder, sizeof folder);
    int k = 0; /* a free slot, else the one used least lately */
    for (int i = 0; i < OPEN_FOLDERS; i++) {
        if (s->open[i].path && !strcmp(s->open[i].path, folder)) {
            s->open[i].used = ++s->clock;
            return s->open[i].fd;
        }
        if (s->open[i].used < s->open[k].used)
            k = i;
    }
    int fd = fs_open_dir_below(s->root, folder, false);
    if (fd < 0)
        return -1;
    if (s->open[k].path)
        close(s->open[k].fd);
    free(s->open[k].path);
    s->open[k].path = xstrdup(folder);
    s->open[k].fd = fd;
    s->open[k].used = ++s->clock;
    return fd;
}

/* Where change n is staged, relative to stage/: "<n>", or, for a change
 * made in a staged folder, its path below that folder's "<n>". */
static void
staged_name(const struct changes *c, const struct change *ch, char *out,
            size_t cap)
{
    if (!ch->tree) {
        snprintf(out, cap, "%zu", ch->n);
        return;
    }
    const struct change *root = &c->items[ch->tree - 1];
    snprintf(out, cap, "%zu/%s", root->n, ch->path + strlen(root->path) + 1);
}

int
journal_stage(struct place *p, struct changes *c, size_t from,
              const char *dir, struct diags *d)
{
    if (from == c->len) /* a rebuild's batch of kept pages: no calls */
        return 0;
    if (mkdirat(p->state, "stage", 0755) < 0 && errno != EEXIST)
        return sys_error(d, dir, WRITE_STATE_DIR "/stage");
    /* the folders being filled, kept open as in a publish's steps */
    struct step_dirs st = { .root = openat(p->state, "stage", O_RDONLY |
                                           O_DIRECTORY | O_NOFOLLOW |
                                           O_CLOEXEC) };
    if (st.root < 0)
        return sys_error(d, dir, WRITE_STATE_DIR "/stage");
    int rc = 0;
    char staged[4096];
    for (size_t i = from; i < c->len && rc == 0 && !interrupted; i++) {
        struct change *ch = &c->items[i];
        if (ch->kind == CHANGE_REMOVE || ch->kind == CHANGE_RMDIR)
            continue;
        staged_name(c, ch, staged, sizeof staged);
        if (ch->kind != CHANGE_WRITE) {
            const char *name = staged;
            int at = ch->tree ? kept_parent(&st, staged, &name) : st.root;
            if (at < 0 || mkdirat(at, name, 0755) < 0)
                rc = sys_error(d, dir, ch->path);
            continue;
        }
        /* A file is opened from stage/ in one call: the folders kept open
         * are the ones folders are made in, not each page's own. */
        int fd = fs_create_below(st.root, staged);
        struct stat sb;
        if (fd < 0 || fs_write_all(fd, ch->data, ch->len) < 0 ||
            fstat(fd, &sb) < 0)
            rc = sys_error(d, dir, ch->path);
        else
            ch->ino = sb.st_ino, ch->mtime = sb.st_mtim;
        if (fd >= 0 && close(fd) < 0 && rc == 0)
            rc = sys_error(d, dir, ch->path);
        progress_advance(1);
    }
    close_folders(&st);
    close(st.root);
    if (rc < 0)
        clear_folder(p->state, "stage");
    return rc;
}

static int
apply(struct step_dirs *s, const struct change *ch)
{
    if (ch->tree) /* put in place with its staged folder */
        return 0;
    /* A folder that may go is not kept open, nor are the ones kept open
     * trusted after it went. */
    if (ch->kind == CHANGE_REMOVE || ch->kind == CHANGE_RMDIR)
        close_folders(s);
    const char *name;
    int parent = kept_parent(s, ch->path, &name);
    if (parent < 0)
        return -1;
    char n[32];
    snprintf(n, sizeof n, "%zu", ch->n);
    int rc = 0;
    switch (ch->kind) {
    case CHANGE_MKDIR: /* made in its staged folder: ch->tree, above */
        break;
    case CHANGE_TREE: /* never over a folder made since it was planned */
        rc = (int)syscall(SYS_renameat2, s->stage, n, parent, name,
                          RENAME_NOREPLACE);
        if (rc < 0 && errno == EINVAL) /* a filesystem without it */
            rc = renameat(s->stage, n, parent, name);
        break;
    case CHANGE_WRITE:
        if (ch->had_old && linkat(parent, name, s->old, n, 0) < 0)
            rc = -1;
        else
            rc = renameat(s->stage, n, parent, name);
        break;
    case CHANGE_REMOVE:
        rc = renameat(parent, name, s->old, n);
        break;
    case CHANGE_RMDIR: /* a folder someone else still uses stays */
        rc = unlinkat(parent, name, AT_REMOVEDIR);
        if (rc < 0 && (errno == ENOTEMPTY || errno == EEXIST ||
                       errno == ENOENT))
            rc = 0;
        break;
    }
    return rc;
}

/* Undoes ch, looking at what is there, so that it is right whether ch ran
 * wholly, partly or not at all. */
static void
undo(const struct step_dirs *s, const struct change *ch)
{
    if (ch->tree)
        return;
    const char *name;
    int parent = open_parent(s, ch->path, &name);
    if (parent < 0)
        return;
    char n[32];
    snprintf(n, sizeof n, "%zu", ch->n);
    struct stat st;
    bool kept = fstatat(s->old, n, &st, AT_SYMLINK_NOFOLLOW) == 0;
    switch (ch->kind) {
    case CHANGE_MKDIR:
        unlinkat(parent, name, AT_REMOVEDIR); /* fails unless emptied */
        break;
    case CHANGE_TREE: /* back to the stage, unless it never left */
        if (fstatat(s->stage, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
            renameat(parent, name, s->stage, n);
        break;
    case CHANGE_WRITE:
        if (kept)
            renameat(s->old, n, parent, name);
        else if (!ch->had_old &&
                 fstatat(s->stage, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
            unlinkat(parent, name, 0); /* it was put there */
        break;
    case CHANGE_REMOVE:
        if (kept)
            renameat(s->old, n, parent, name);
        break;
    case CHANGE_RMDIR:
        mkdirat(parent, name, 0755); /* fails when it was never removed */
        break;
    }
    close(parent);
}

static int
open_steps(struct step_dirs *s, const struct place *p)
{
    mkdirat(p->state, "old", 0755);
    mkdirat(p->state, "stage", 0755);
    *s = (struct step_dirs){ .root = p->root };
    s->stage = openat(p->state, "stage", O_RDONLY | O_DIRECTORY |
                      O_NOFOLLOW | O_CLOEXEC);
    s->old = openat(p->state, "old", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
    return s->stage < 0 || s->old < 0 ? -1 : 0;
}

static void
close_steps(struct step_dirs *s)
{
    close_folders(s);
    if (s->stage >= 0)
        close(s->stage);
    if (s->old >= 0)
        close(s->old);
}

static void
undo_all(const struct step_dirs *s, const struct changes *c, size_t upto)
{
    for (size_t i = upto; i-- > 0;)
        undo(s, &c->items[i]);
}

/* Writes the journal: to a temporary name, synced, then renamed. */
static int
write_journal(const struct place *p, const struct changes *c)
{
    struct buf j = BUF_INIT;
    int state = p->state;
    bool sync = p->sync;
    buf_printf(&j, JOURNAL_HEAD, (unsigned long long)p->dev,
               (unsigned long long)p->ino);
    for (size_t i = 0; i < c->len; i++) {
        const struct change *ch = &c->items[i];
        if (ch->tree) /* a MKDIR, or a file in a staged folder */
            continue;
        if (ch->kind == CHANGE_TREE)
            buf_printf(&j, "T %zu %s\n", ch->n, ch->path);
        else if (ch->kind == CHANGE_WRITE)
            buf_printf(&j, "W %zu %d %s\n", ch->n, ch->had_old, ch->path);
        else if (ch->kind == CHANGE_REMOVE)
            buf_printf(&j, "R %zu %s\n", ch->n, ch->path);
        else
            buf_printf(&j, "D %s\n", ch->path);
    }
    int fd = openat(state, "journal.tmp", O_WRONLY | O_CREAT | O_TRUNC |
                    O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd < 0 || fs_write_all(fd, j.data, j.len) < 0 ||
                     (sync && fsync(fd) < 0)
                 ? -1 : 0;
    if (fd >= 0 && close(fd) < 0)
        rc = -1;
    if (rc == 0)
        rc = renameat(state, "journal.tmp", state, "journal");
    if (rc == 0 && sync)
        rc = fsync(state);
    buf_dispose(&j);
    return rc;
}

static void
on_signal(int sig)
{
    interrupted = sig;
}

void
journal_catch_signals(bool on)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    static struct sigaction was[3]; /* what to put back */
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        if (on)
            sigaction(sigs[i], NULL, &was[i]);
        /* a signal ignored by whoever started us (nohup, `&`) stays so */
        if (on && was[i].sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
        else if (!on)
            sigaction(sigs[i], &was[i], NULL);
    }
    if (on)
        interrupted = 0;
}

int
journal_interrupted(void)
{
    return interrupted;
}

int
journal_publish(struct place *p, const struct changes *c, const char *dir,
                struct diags *d)
{
    /* One sync for all: the staged bytes are on disk before the journal
     * says they are to be used. */
    if (p->sync && syncfs(p->root) < 0)
        return sys_error(d, dir, WRITE_STATE_DIR "/stage");
    struct step_dirs s = { .stage = -1, .old = -1 };
    if (open_steps(&s, p) < 0 || write_journal(p, c) < 0) {
        int rc = sys_error(d, dir, WRITE_STATE_DIR "/journal");
        close_steps(&s);
        unlinkat(p->state, "journal", 0);
        return rc;
    }
    /* From here to the commit, a signal waits: the steps are renames, and
     * a swap cut short would need the next run to undo it. */
    sigset_t hold, was;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &was);
    int rc = 0;
    size_t i = 0;
    for (; i < c->len && rc == 0; i++)
        if (apply(&s, &c->items[i]) < 0)
            rc = sys_error(d, dir, c->items[i].path);
    if (rc == 0 && p->sync && syncfs(p->root) < 0)
        rc = sys_error(d, dir, WRITE_STATE_DIR);
    if (rc < 0)
        undo_all(&s, c, i);
    /* The commit (or, after undoing, the end of the attempt). */
    if (unlinkat(p->state, "journal", 0) < 0 && rc == 0)
        rc = sys_error(d, dir, WRITE_STATE_DIR "/journal");
    if (p->sync)
        fsync(p->state);
    sigprocmask(SIG_SETMASK, &was, NULL);
    close_steps(&s);
    clear_folder(p->state, "old");
    clear_folder(p->state, "stage");
    return rc;
}

bool
journal_names(int root, dev_t dev, ino_t ino)
{
    int fd = openat(root, WRITE_STATE_DIR "/journal",
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    char head[128];
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    head[n > 0 ? n : 0] = '\0';
    unsigned long long d, i;
    return journal_head(head, &d, &i) && d == (unsigned long long)dev &&
           i == (unsigned long long)ino && (d || i);
}

/* Reads a journal's steps into c (paths in the arena of the buf j). */
static int
read_journal(int state, struct buf *j, struct changes *c)
{
    if (fs_read_at(state, "journal", j) < 0)
        return errno == ENOENT ? 1 : -1;
    unsigned long long dev, ino;
    size_t head = j->data ? journal_head(j->data, &dev, &ino) : 0;
    if (!head)
        return -1;
    for (char *line = j->data + head, *next; *line; line = next) {
        next = strchr(line, '\n');
        if (!next)
            return -1; /* cut short: the rename makes this impossible */
        *next++ = '\0';
        struct change ch = { 0 };
        int at = 0, old = 0;
        if (sscanf(line, "M %n", &at) == 0 && at == 2) {
            ch.kind = CHANGE_MKDIR;
        } else if (sscanf(line, "D %n", &at) == 0 && at == 2) {
            ch.kind = CHANGE_RMDIR;
        } else if (sscanf(line, "W %zu %d %n", &ch.n, &old, &at) == 2 && at) {
            ch.kind = CHANGE_WRITE;
            ch.had_old = old;
        } else if (sscanf(line, "T %zu %n", &ch.n, &at) == 1 && at) {
            ch.kind = CHANGE_TREE;
        } else if (sscanf(line, "R %zu %n", &ch.n, &at) == 1 && at) {
            ch.kind = CHANGE_REMOVE;
        } else {
            return -1;
        }
        ch.path = line + at;
        if (!fs_path_is_safe(ch.path))
            return -1;
        c->items = xrealloc(c->items, (c->len + 1) * sizeof *c->items);
        c->items[c->len++] = ch;
    }
    return 0;
}

int
journal_recover(struct place *p, const char *dir, struct diags *d)
{
    struct buf j = BUF_INIT;
    struct changes c = { 0 };
    int found = read_journal(p->state, &j, &c);
    int rc = 0;
    if (found < 0) {
        rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                       "%s/%s/journal: cannot read the journal of an "
                       "interrupted publish", dir, WRITE_STATE_DIR);
    } else if (found == 0) {
        struct step_dirs s;
        if (open_steps(&s, p) < 0) {
            rc = sys_error(d, dir, WRITE_STATE_DIR);
        } else {
            undo_all(&s, &c, c.len);
            if (syncfs(p->root) < 0 || unlinkat(p->state, "journal", 0) < 0)
                rc = sys_error(d, dir, WRITE_STATE_DIR "/journal");
            fsync(p->state);
        }
        close_steps(&s);
    }
    if (rc == 0) {
        clear_folder(p->state, "old");
        clear_folder(p->state, "stage");
        unlinkat(p->state, "journal.tmp", 0);
    }
    free(c.items);
    buf_dispose(&j);
    return rc;
}
