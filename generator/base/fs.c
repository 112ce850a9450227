/* fs.c: file system helpers. The write stage goes through
 * fs_open_dir_below so that no symlink can lead a write out of the output
 * folder. */
#include "fs.h"
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* True when s[0..n) holds a control character, DEL or a backslash; eight
 * bytes at a time (every output path is checked on each build, kept or
 * not): a byte below 0x20 borrows into its high bit, as a byte equal to
 * the one sought does after the xor. */
static bool
has_unsafe_byte(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t high = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (((w - ones * 0x20) & ~w & high) | word_has_byte(w, '\\') |
            word_has_byte(w, 0x7f))
            return true;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '\\' || c == 0x7f)
            return true;
    }
    return false;
}

bool
fs_path_is_safe(const char *rel)
{
    if (!rel || !*rel || rel[0] == '/')
        return false;
    size_t n = strlen(rel);
    if (has_unsafe_byte(rel, n))
        return false;
    for (const char *seg = rel, *end = rel + n;;) {
        const char *slash = memchr(seg, '/', (size_t)(end - seg));
        size_t len = (size_t)((slash ? slash : end) - seg);
        if (len == 0 || (len <= 2 && seg[0] == '.' && seg[len - 1] == '.'))
            return false; /* "", "." or ".." */
        if (!slash)
            return true;
        seg = slash + 1;
    }
}

/* Reads all of fd into out (cleared first) and closes fd. */
static int
read_fd(int fd, struct buf *out)
{
    buf_clear(out);
    struct stat st; /* room for a regular file at once: no doubling */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        buf_grow(out, (size_t)st.st_size + 4096);
    for (;;) {
        if (out->cap - out->len < 4096)
            buf_grow(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    close(fd);
    return 0;
}

int
fs_read_file(struct buf *out, const char *path)
{
    buf_clear(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? -1 : read_fd(fd, out);
}

int
fs_read_at(int dir, const char *name, struct buf *out)
{
    buf_clear(out);
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    if (fd < 0)
        return -1;
    buf_grow(out, (size_t)st.st_size + 1); /* one read, mostly */
    return read_fd(fd, out);
}

/* rel opened with flags in one call that the kernel keeps beneath
 * root_fd, no symlink on the way or at the end; -1 with ENOSYS on a kernel
 * without openat2, for the caller to walk instead. */
static int
open_beneath(int root_fd, const char *rel, int flags, mode_t mode)
{
    struct open_how how = {
        .flags = (uint64_t)flags,
        .mode = mode,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
    };
    return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
}

int
fs_open_dir_below(int root_fd, const char *rel, bool create)
{
    if (!create && rel && *rel) {
        int fd = open_beneath(root_fd, rel, O_RDONLY | O_DIRECTORY |
                                                O_CLOEXEC, 0);
        if (fd >= 0 || errno != ENOSYS)
            return fd;
    }
    int fd = dup(root_fd);
    if (fd < 0 || !rel || !*rel)
        return fd;
    char *copy = xstrdup(rel), *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        if (create && mkdirat(fd, part, 0755) < 0 && errno != EEXIST)
            goto fail;
        int next = openat(fd, part,
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0)
            goto fail;
        close(fd);
        fd = next;
    }
    free(copy);
    return fd;
fail:;
    int e = errno;
    close(fd);
    free(copy);
    errno = e;
    return -1;
}

int
fs_create_below(int root_fd, const char *rel)
{
    int flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
    int fd = open_beneath(root_fd, rel, flags, 0644);
    if (fd >= 0 || errno != ENOSYS)
        return fd;
    const char *slash = strrchr(rel, '/');
    char *folder = slash ? xstrndup(rel, (size_t)(slash - rel)) : NULL;
    int dir = fs_open_dir_below(root_fd, folder, false);
    free(folder);
    if (dir < 0)
        return -1;
    fd = openat(dir, slash ? slash + 1 : rel, flags, 0644);
    int e = errno;
    close(dir);
    errno = e;
    return fd;
}

int
fs_write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n, len -= (size_t)n;
    }
    return 0;
}

int
fs_replace_at(int dir, const char *name, const char *data, size_t len)
{
    struct buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", name);
    /* A new file of ours, never one linked from elsewhere: a stale one (a
     * run that died) goes first, then O_EXCL. */
    int fd = unlinkat(dir, tmp.data, 0) < 0 && errno != ENOENT
                 ? -1
                 : openat(dir, tmp.data, O_WRONLY | O_CREAT | O_EXCL |
                          O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : fs_write_all(fd, data, len);
    if (fd >= 0 && close(fd) < 0)
        rc = -1;
    if (rc == 0)
        rc = renameat(dir, tmp.data, dir, name);
    if (rc < 0 && fd >= 0) {
        int e = errno;
        unlinkat(dir, tmp.data, 0);
        errno = e;
    }
    buf_dispose(&tmp);
    return rc;
}

int
fs_mkdirs(const char *path)
{
    char *copy = xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    int rc = mkdir(copy, 0755) < 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}
