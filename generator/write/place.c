/* place.c: the output folder. Decides whether a folder may be gazette's
 * output (never the site, what holds it, its sources, / or home), opens it
 * without following a symlink, tells whether gazette made it, locks it so
 * that one build writes it at a time, and reads and writes its manifest,
 * the record of what gazette wrote there. Part of write/. */
#include "write_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/hash.h"
#include "../diag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2 gave each file its key; 3 a check of its lines, so that one read
 * back whole and unaltered is known to be as a publish wrote it */
#define MANIFEST_VERSION 3

struct id {
    dev_t dev;
    ino_t ino;
    bool set;
};

static struct id
id_at(int dirfd, const char *name, int flags)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, flags) < 0 || !S_ISDIR(st.st_mode))
        return (struct id){ 0, 0, false };
    return (struct id){ st.st_dev, st.st_ino, true };
}

static bool
same(struct id a, struct id b)
{
    return a.set && b.set && a.dev == b.dev && a.ino == b.ino;
}

/* True when dir fd, or a folder above it, is the folder want. */
static bool
is_within(int fd, struct id want)
{
    int cur = dup(fd);
    bool found = false;
    for (int depth = 0; cur >= 0 && depth < 4096 && !found; depth++) {
        struct id here = id_at(cur, "", AT_EMPTY_PATH);
        found = same(here, want);
        struct id up = id_at(cur, "..", 0);
        if (!here.set || same(here, up))
            break; /* the root */
        int next = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(cur);
        cur = next;
    }
    if (cur >= 0)
        close(cur);
    return found;
}

static struct id
home_id(void)
{
    const char *home = getenv("HOME");
    struct passwd *pw;
    if ((!home || !*home) && (pw = getpwuid(getuid())))
        home = pw->pw_dir;
    return home ? id_at(AT_FDCWD, home, 0) : (struct id){ 0, 0, false };
}

/* The refusals that depend on where fd is; exists: fd is the output
 * folder itself, else its nearest existing parent. */
static int
check_where(int fd, bool exists, const char *dir, struct diags *d)
{
    int site = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (site < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "the site folder: %s",
                         strerror(errno));
    struct id out = id_at(fd, "", AT_EMPTY_PATH);
    const char *why = NULL;
    static const char *const sources[] = { "content", "themes", "static",
                                           ".git" };
    for (size_t i = 0; i < sizeof sources / sizeof *sources && !why; i++) {
        struct id src = id_at(site, sources[i], AT_SYMLINK_NOFOLLOW);
        if (src.set && is_within(fd, src))
            why = sources[i];
    }
    int rc = 0;
    if (why)
        rc = diags_add(d, DIAG_USAGE, NULL, 0, 0,
                       "-o %s: the output folder may not lie inside the "
                       "site's %s/", dir, why);
    else if (exists && same(out, id_at(site, "", AT_EMPTY_PATH)))
        rc = diags_add(d, DIAG_USAGE, NULL, 0, 0,
                       "-o %s: the output folder may not be the site itself",
                       dir);
    else if (exists && is_within(site, out))
        rc = diags_add(d, DIAG_USAGE, NULL, 0, 0,
                       "-o %s: the output folder may not hold the site", dir);
    else if (exists && same(out, home_id()))
        rc = diags_add(d, DIAG_USAGE, NULL, 0, 0,
                       "-o %s: the output folder may not be the home folder",
                       dir);
    close(site);
    return rc;
}

/* Opens name in parent as a folder, never through a symlink; creates it
 * when create is set. Returns the fd, or -1 with errno (ELOOP: a symlink,
 * ENOENT: absent). */
static int
open_child(int parent, const char *name, bool create)
{
    if (create && mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
        return -1;
    int fd = openat(parent, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOTDIR) {
        struct stat st;
        if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(st.st_mode))
            errno = ELOOP;
    }
    return fd;
}

/* Opens the nearest folder above path (a writable copy) that exists. */
static int
nearest_existing(char *path)
{
    for (;;) {
        char *slash = strrchr(path, '/');
        if (!slash)
            return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (slash == path)
            return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        *slash = '\0';
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT)
            return fd;
    }
}

/* Walks dir from a starting folder one component at a time: inside the
 * site no component may be a symlink; outside it (an absolute path or one
 * with ..), only the last. *exists tells whether the whole path was there;
 * when not (and !create), the fd returned is the nearest existing parent. */
static int
walk(const char *dir, bool create, bool *exists, struct diags *d)
{
    bool inside = dir[0] != '/' && fs_path_is_safe(dir);
    char *copy = xstrdup(dir);
    char *last = strrchr(copy, '/');
    while (last && last > copy && last[1] == '\0') { /* "out/" */
        *last = '\0';
        last = strrchr(copy, '/');
    }
    const char *name = last ? last + 1 : copy;
    int fd = -1;
    *exists = true;
    if (inside) {
        fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *save = NULL;
        for (char *part = strtok_r(copy, "/", &save); part && fd >= 0;
             part = strtok_r(NULL, "/", &save)) {
            int next = open_child(fd, part, create);
            if (next < 0 && errno == ENOENT) {
                *exists = false;
                break;
            }
            close(fd);
            fd = next;
        }
    } else if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* "/", "..", "x/." */
    } else {
        const char *parent = last == copy ? "/" : last ? copy : ".";
        if (last && last != copy)
            *last = '\0';
        if (create && fs_mkdirs(parent) < 0 && errno != EEXIST) {
            free(copy);
            return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "-o %s: %s", dir,
                             strerror(errno));
        }
        int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0 && errno == ENOENT) {
            *exists = false;
            fd = nearest_existing(copy);
        } else if (pfd >= 0) {
            fd = open_child(pfd, name, create);
            if (fd < 0 && errno == ENOENT) {
                *exists = false;
                fd = pfd;
            } else {
                int e = errno;
                close(pfd);
                errno = e;
            }
        }
    }
    free(copy);
    if (fd < 0 && errno == ELOOP)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "-o %s: the output folder is, or is reached "
                         "through, a symlink", dir);
    if (fd < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "-o %s: %s", dir,
                         strerror(errno));
    return fd;
}

/* The numbers of the manifest, read by hand: sscanf costs a few
 * microseconds a call, which a manifest of 28,000 lines would feel. Each
 * reader takes a number followed by the character end and returns what
 * follows, or NULL. */
static const char *
read_ull(const char *s, char end, unsigned long long *out)
{
    unsigned long long v = 0;
    const char *start = s;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, (unsigned)(*s - '0'), &v))
            return NULL; /* flags, not a division by 10 for each digit */
    }
    *out = v;
    return s > start && *s == end ? s + 1 : NULL;
}

static const char *
read_ll(const char *s, char end, long long *out)
{
    bool minus = *s == '-';
    unsigned long long v;
    s = read_ull(s + minus, end, &v);
    if (!s || v > (unsigned long long)LLONG_MAX)
        return NULL;
    *out = minus ? -(long long)v : (long long)v;
    return s;
}

/* 16 hex digits at s as a number into *out; false when they are not. By
 * table: a manifest's keys are random digits, and a branch between '9'
 * and 'a' was mispredicted on every other one. */
static bool
read_hex64(const char *s, uint64_t *out)
{
    /* a digit's value + 1; 0 for what is none */
    static const unsigned char value[256] = {
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
        ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11,
        ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16 };
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        unsigned d = value[(unsigned char)s[i]];
        if (!d) /* a NUL too: not read past */
            return false;
        v = v << 4 | (d - 1);
    }
    *out = v;
    return true;
}

/* v as 16 hex digits at out (no NUL). */
static void
put_hex64(char *out, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        out[i] = hex[v >> (60 - 4 * i) & 15];
}

/* A key: 32 hex digits, or "-" for none. */
static const char *
read_key(const char *s, struct output_key *out)
{
    *out = (struct output_key){ { 0, 0 } };
    if (s[0] == '-' && s[1] == ' ')
        return s + 2;
    if (!read_hex64(s, &out->h[0]) || !read_hex64(s + 16, &out->h[1]))
        return NULL;
    return s[32] == ' ' ? s + 33 : NULL;
}

/* Reads "gazette manifest V DEV INO\n" ("... INO CHECK\n" from version 3
 * on, CHECK being hash64 of the lines after it in 16 hex digits): the
 * version (0 when the text is no manifest), the folder it names and the
 * check (0 when none); *rest is what follows. */
static int
read_head(char *text, struct id *folder, uint64_t *check, char **rest)
{
    static const char magic[] = "gazette manifest ";
    if (!text || strncmp(text, magic, strlen(magic)))
        return 0;
    char *s = text + strlen(magic);
    int version = *s >= '1' && *s <= '0' + MANIFEST_VERSION ? *s - '0' : 0;
    unsigned long long dev, ino;
    const char *at = s + 2;
    uint64_t sum = 0;
    if (!version || s[1] != ' ' || !(at = read_ull(at, ' ', &dev)) ||
        !(at = read_ull(at, version >= 3 ? ' ' : '\n', &ino)))
        return 0;
    if (version >= 3) {
        if (!read_hex64(at, &sum) || at[16] != '\n')
            return 0;
        at += 17;
    }
    *folder = (struct id){ (dev_t)dev, (ino_t)ino, true };
    *check = sum;
    *rest = text + (at - text);
    return version;
}

/* Tells whether the manifest names this folder: a manifest copied from
 * elsewhere (or committed into the site) is not this folder's record. */
static bool
manifest_is_ours(int root, struct id self)
{
    int fd = openat(root, WRITE_MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    char head[160];
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    if (n <= 0)
        return false;
    head[n] = '\0';
    struct id named;
    char *rest;
    uint64_t check;
    return read_head(head, &named, &check, &rest) && same(named, self);
}

/* True when root holds anything but gazette's own records. */
static bool
has_foreign_files(int root)
{
    int fd = dup(root);
    DIR *dir = fd < 0 ? NULL : fdopendir(fd);
    if (!dir)
        return true;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(dir));)
        found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                strcmp(e->d_name, WRITE_STATE_DIR) &&
                strcmp(e->d_name, WRITE_LEGACY_MANIFEST);
    closedir(dir);
    return found;
}

int
place_open(struct place *out, const char *dir, bool create, bool force,
           struct diags *d)
{
    *out = (struct place){ -1, -1, -1, 0, 0, false, true };
    bool exists;
    int fd = walk(dir, false, &exists, d);
    if (fd < 0)
        return -1;
    int rc = check_where(fd, exists, dir, d);
    if (rc == 0 && !exists && create) {
        close(fd);
        fd = walk(dir, true, &exists, d); /* now it is safe to make it */
        if (fd < 0)
            return -1;
    }
    if (rc < 0 || !exists) {
        close(fd);
        return rc;
    }
    struct id self = id_at(fd, "", AT_EMPTY_PATH);
    out->root = fd;
    out->dev = self.dev;
    out->ino = self.ino;
    struct stat st;
    out->owned = manifest_is_ours(fd, self) ||
                 journal_names(fd, self.dev, self.ino) ||
                 (fstatat(fd, WRITE_LEGACY_MANIFEST, &st,
                          AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) ||
                 !has_foreign_files(fd);
    if (!out->owned && !force)
        rc = diags_add(d, DIAG_USAGE, NULL, 0, 0,
                       "-o %s: the folder holds files gazette did not make; "
                       "empty it, choose another, or use --force to build "
                       "into it anyway", dir);
    if (rc < 0)
        place_close(out);
    return rc;
}

int
place_lock(struct place *p, const char *dir, struct diags *d)
{
    p->state = open_child(p->root, WRITE_STATE_DIR, true);
    if (p->state < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", dir,
                         WRITE_STATE_DIR, strerror(errno));
    p->lock = openat(p->state, "lock",
                     O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (p->lock < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s/lock: %s", dir,
                         WRITE_STATE_DIR, strerror(errno));
    if (flock(p->lock, LOCK_EX | LOCK_NB) < 0) {
        char pid[32] = "";
        ssize_t n = pread(p->lock, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        fprintf(stderr, "gazette: %s is being written by gazette (pid %s); "
                "waiting\n", dir, *pid ? pid : "unknown");
        while (flock(p->lock, LOCK_EX) < 0)
            if (errno != EINTR)
                return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                                 "%s: cannot lock: %s", dir, strerror(errno));
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(p->lock, 0) < 0 || pwrite(p->lock, pid, (size_t)n, 0) < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s/lock: %s", dir,
                         WRITE_STATE_DIR, strerror(errno));
    return 0;
}

void
place_close(struct place *p)
{
    if (p->lock >= 0)
        close(p->lock); /* releases the flock */
    if (p->state >= 0)
        close(p->state);
    if (p->root >= 0)
        close(p->root);
    p->lock = p->state = p->root = -1;
}

/* Reads one file's line (without its newline) in a manifest of version. */
static bool
read_file_line(const char *line, int version, struct owned *out)
{
    const char *s = read_ull(line, ' ', &out->ino);
    s = s ? read_ll(s, ' ', &out->sec) : NULL;
    s = s ? read_ll(s, ' ', &out->nsec) : NULL;
    out->key = (struct output_key){ { 0, 0 } };
    if (s && version >= 2)
        s = read_key(s, &out->key);
    if (!s || !fs_path_is_safe(s))
        return false;
    out->path = s;
    return true;
}

/* Makes m's map of paths, noting whether a path is on two lines (the
 * first line of a path counts). */
static void
map_paths(struct manifest *m)
{
    m->by_path = map_new_sized(m->len);
    for (size_t i = 0; i < m->len; i++) {
        void *first = map_put(m->by_path, m->files[i].path, &m->files[i]);
        if (first) {
            map_put(m->by_path, m->files[i].path, first);
            m->twice = true;
        }
    }
}

void
manifest_read(struct manifest *out, const struct place *p)
{
    *out = (struct manifest){ BUF_INIT, NULL, 0, NULL, false, false };
    struct id named, self = { p->dev, p->ino, true };
    char *line;
    uint64_t check;
    int version;
    if (fs_read_at(p->root, WRITE_MANIFEST, &out->text) < 0 ||
        !(version = read_head(out->text.data, &named, &check, &line)) ||
        !same(named, self))
        return;
    const char *end = out->text.data + out->text.len;
    /* As a publish wrote it: no two lines name one path (each publish
     * checks its paths), so the map of paths waits until asked for */
    bool sealed = version == MANIFEST_VERSION &&
                  hash64(line, (size_t)(end - line)) == check;
    size_t lines = 0;
    for (const char *s = line; (s = memchr(s, '\n', (size_t)(end - s))); s++)
        lines++;
    out->files = xcalloc(lines + 1, sizeof *out->files);
    bool skipped = false;
    for (char *nl; (nl = memchr(line, '\n', (size_t)(end - line))); line = nl + 1) {
        *nl = '\0';
        if (read_file_line(line, version, &out->files[out->len]))
            out->len++;
        else
            skipped = true;
    }
    if (!sealed) /* the map now, which finds a path named twice */
        map_paths(out);
    out->exact = sealed && !skipped && line == end && !out->twice;
}

const struct owned *
manifest_find(struct manifest *m, const char *path)
{
    if (!m->by_path)
        map_paths(m);
    return map_get(m->by_path, path);
}

void
manifest_dispose(struct manifest *m)
{
    buf_dispose(&m->text);
    free(m->files);
    if (m->by_path)
        map_free(m->by_path);
    *m = (struct manifest){ BUF_INIT, NULL, 0, NULL, false, false };
}

size_t
manifest_put_head(struct buf *b, const struct place *p)
{
    buf_printf(b, "gazette manifest %d %llu %llu ", MANIFEST_VERSION,
               (unsigned long long)p->dev, (unsigned long long)p->ino);
    size_t check = b->len;
    buf_puts(b, "0000000000000000\n");
    return check;
}

void
manifest_seal(struct buf *b, size_t check)
{
    size_t lines = check + 17;
    put_hex64(b->data + check, hash64(b->data + lines, b->len - lines));
}

void
manifest_put_lines(struct buf *b, const struct manifest *m, size_t from,
                   size_t to)
{
    const struct owned *last = &m->files[to - 1];
    const char *start = from ? m->files[from - 1].path +
                                   strlen(m->files[from - 1].path) + 1
                             : strchr(m->text.data, '\n') + 1;
    size_t at = b->len;
    buf_put(b, start, (size_t)(last->path + strlen(last->path) - start));
    char *end = b->data + b->len;
    for (char *p = b->data + at; (p = memchr(p, '\0', (size_t)(end - p)));)
        *p++ = '\n'; /* the line ends manifest_read cut at */
    buf_putc(b, '\n');
}

/* By hand, not printf: a build writes one line per file it publishes. */
void
manifest_put_file(struct buf *b, const struct owned *o)
{
    size_t len = strlen(o->path);
    buf_grow(b, 3 * 21 + 33 + len + 1);
    char *at = b->data + b->len, *p = at;
    /* 21 bytes a number: its digits and sign, then the NUL int_format
     * ends them with, which the space replaces */
    p += uint_format(p, o->ino);
    *p++ = ' ';
    p += int_format(p, o->sec);
    *p++ = ' ';
    p += int_format(p, o->nsec);
    *p++ = ' ';
    if (output_key_set(&o->key)) {
        put_hex64(p, o->key.h[0]);
        put_hex64(p + 16, o->key.h[1]);
        p += 32;
    } else {
        *p++ = '-';
    }
    *p++ = ' ';
    memcpy(p, o->path, len);
    p += len;
    *p++ = '\n';
    b->len += (size_t)(p - at);
    b->data[b->len] = '\0';
}
