/* fs.h: file system helpers that confine every write to one folder.
 * Paths handed in are relative, '/'-separated and already validated. */
#ifndef GZ_FS_H
#define GZ_FS_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* True when rel is a safe relative path: not empty, no leading '/', no
 * empty, "." or ".." component, no backslash or control character. */
bool fs_path_is_safe(const char *rel);

/* Reads the whole file at path into out (cleared first). Returns 0, or -1
 * with errno set. */
int fs_read_file(struct buf *out, const char *path);
/* The same with the regular file name in folder dir, never through a
 * symlink (-1 with EINVAL for anything but a regular file). */
int fs_read_at(int dir, const char *name, struct buf *out);

/* Opens the directory rel below root_fd, creating missing components; no
 * component may be a symlink (O_NOFOLLOW), so nothing escapes root_fd.
 * Returns a directory fd (caller closes) or -1 with errno set. */
int fs_open_dir_below(int root_fd, const char *rel, bool create);
/* Creates (or empties) the regular file rel below root_fd and opens it
 * for writing, with no symlink on the way or at its end: one openat2 where
 * the kernel has it. Returns the fd or -1 with errno set. */
int fs_create_below(int root_fd, const char *rel);

/* Writes all of data to fd, going on after EINTR and short writes.
 * Returns 0, or -1 with errno set. */
int fs_write_all(int fd, const char *data, size_t len);

/* Replaces the file name in folder dir with data, whole or not at all:
 * written as a new name.tmp, then renamed. No sync: for caches, which a power
 * cut may lose. Never follows a symlink. 0, or -1 with errno. */
int fs_replace_at(int dir, const char *name, const char *data, size_t len);

/* Makes directory path and its parents (mode 0755). 0, or -1 with errno. */
int fs_mkdirs(const char *path);

#endif
