/* write.c: the write stage. Compares each rendered file with what is on
 * disk and replaces only changed ones atomically (temporary file, rename);
 * a manifest of the files it owns lets the next build remove what is no
 * longer produced without ever deleting anything else. */
#include "write.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Splits "a/b/c.html" into its folder ("a/b", or "" ) and name. */
static const char *
split_path(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return slash ? slash + 1 : path;
}

/* True when name in dfd is a regular file holding exactly data. */
static bool
same_bytes(int dfd, const char *name, const char *data, size_t len)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                (size_t)st.st_size == len;
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

static int
write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n, len -= (size_t)n;
    }
    return 0;
}

/* Writes data to name in dfd through a temporary file and a rename, so a
 * reader sees the old file or the new one, never half of one. */
static int
replace_file(int dfd, const char *name, const char *data, size_t len)
{
    char tmp[300];
    snprintf(tmp, sizeof tmp, ".%.200s.gazette-%ld", name, (long)getpid());
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
                    O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, data, len);
    if (close(fd) < 0)
        rc = -1;
    if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0)
        rc = -1;
    if (rc < 0) {
        int e = errno;
        unlinkat(dfd, tmp, 0);
        errno = e;
    }
    return rc;
}

/* Folders this build has made or checked component by component (no
 * symlink on the way): later files in them open the folder in one call. */
struct folders {
    struct map *seen;
    struct vec names; /* owns the keys of seen */
};

static int
open_folder(int root, const char *folder, struct folders *known)
{
    if (!*folder)
        return dup(root);
    if (map_get(known->seen, folder))
        return openat(root, folder,
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int fd = fs_open_dir_below(root, folder, true);
    if (fd >= 0) {
        char *name = xstrdup(folder);
        vec_push(&known->names, name);
        map_put(known->seen, name, name);
    }
    return fd;
}

/* 1 written, 0 unchanged, -1 failed (with a diag). */
static int
put_file(int root, const char *dir, const struct output_file *f,
         struct folders *known, struct diags *d)
{
    char folder[4096];
    const char *name = split_path(f->path, folder, sizeof folder);
    int dfd = open_folder(root, folder, known);
    if (dfd < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", dir,
                         f->path, strerror(errno));
    int rc = 0;
    if (!same_bytes(dfd, name, f->data, f->len)) {
        rc = replace_file(dfd, name, f->data, f->len) < 0
                 ? diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", dir,
                             f->path, strerror(errno))
                 : 1;
    }
    close(dfd);
    return rc;
}

/* Removes a file the previous build made, then its folders while empty. */
static bool
remove_stale(int root, const char *path)
{
    char folder[4096];
    const char *name = split_path(path, folder, sizeof folder);
    int dfd = fs_open_dir_below(root, folder, false);
    if (dfd < 0)
        return false;
    struct stat st;
    bool removed = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                   S_ISREG(st.st_mode) && unlinkat(dfd, name, 0) == 0;
    close(dfd);
    while (removed && *folder) {
        if (unlinkat(root, folder, AT_REMOVEDIR) < 0)
            break;
        char *slash = strrchr(folder, '/');
        if (slash)
            *slash = '\0';
        else
            *folder = '\0';
    }
    return removed;
}

static int
check_paths(const struct output *files, struct map *paths, struct diags *d)
{
    int rc = 0;
    for (size_t i = 0; i < files->len; i++) {
        const char *p = files->files[i].path;
        if (!fs_path_is_safe(p) || !strcmp(p, WRITE_MANIFEST))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "refusing to write \"%s\": not a path inside the "
                           "output folder", p);
        else if (map_put(paths, p, (void *)p))
            rc = diags_add(d, DIAG_CONTENT, NULL, 0, 0,
                           "two outputs would be written to \"%s\"", p);
    }
    return rc;
}

/* Reads the previous manifest and, when remove is set, removes what this
 * build does not make; appends to keep the old paths still owned (all of
 * them when not removing, so that a later build can remove them). */
static void
prune(int root, const struct map *paths, struct buf *keep, bool remove,
      struct write_stats *st)
{
    struct buf old = BUF_INIT;
    int fd = openat(root, WRITE_MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        char chunk[65536];
        ssize_t n;
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
            buf_put(&old, chunk, (size_t)n);
        close(fd);
    }
    for (char *line = old.data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (!fs_path_is_safe(line) || map_get(paths, line))
            continue;
        if (remove && remove_stale(root, line))
            st->removed++;
        else if (faccessat(root, line, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
            buf_printf(keep, "%s\n", line);
    }
    buf_dispose(&old);
}

int
write_output(struct write_stats *out, const char *dir,
             const struct output *files, struct diags *d)
{
    memset(out, 0, sizeof *out);
    struct map *paths = map_new();
    struct buf manifest = BUF_INIT;
    int root = -1, rc = check_paths(files, paths, d);
    if (rc < 0)
        goto out;
    if (fs_mkdirs(dir) < 0 ||
        (root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s: %s", dir,
                       strerror(errno));
        goto out;
    }
    struct folders known = { map_new(), VEC_INIT };
    for (size_t i = 0; i < files->len; i++) {
        int w = put_file(root, dir, &files->files[i], &known, d);
        if (w < 0)
            rc = -1;
        else
            *(w ? &out->written : &out->unchanged) += 1;
        buf_printf(&manifest, "%s\n", files->files[i].path);
    }
    for (size_t i = 0; i < known.names.len; i++)
        free(known.names.items[i]);
    vec_dispose(&known.names);
    map_free(known.seen);
    prune(root, paths, &manifest, rc == 0, out);
    if (!same_bytes(root, WRITE_MANIFEST, manifest.data, manifest.len) &&
        replace_file(root, WRITE_MANIFEST, manifest.data ? manifest.data : "",
                     manifest.len) < 0)
        rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "%s/%s: %s", dir,
                       WRITE_MANIFEST, strerror(errno));
out:
    if (root >= 0)
        close(root);
    buf_dispose(&manifest);
    map_free(paths);
    return rc;
}
