/* watch.c: inotify over the site's inputs. The site folder itself is
 * watched for site.yaml and for the input folders appearing; content/,
 * themes/ and static/ are watched with every folder below them, and a
 * folder made later is added when its creation is read. Part of serve/. */
#include "serve_private.h"
#include "../base/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const input_dirs[] = { "content", "themes", "static" };

#define TREE_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
                     IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_ONLYDIR)
#define ROOT_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
                     IN_CREATE | IN_DELETE)

struct watch {
    int fd, root_wd;
    char **paths; /* by watch descriptor: the folder, relative */
    size_t npaths;
};

static void
remember(struct watch *w, int wd, const char *path)
{
    if (wd < 0)
        return;
    if ((size_t)wd >= w->npaths) {
        size_t n = (size_t)wd * 2 + 16;
        w->paths = xrealloc(w->paths, n * sizeof *w->paths);
        memset(w->paths + w->npaths, 0, (n - w->npaths) * sizeof *w->paths);
        w->npaths = n;
    }
    free(w->paths[wd]);
    w->paths[wd] = xstrdup(path);
}

/* Watches path and every folder below it; symlinks are not followed, as
 * the build does not follow them. */
static void
add_tree(struct watch *w, const char *path)
{
    int wd = inotify_add_watch(w->fd, path, TREE_EVENTS | IN_DONT_FOLLOW);
    if (wd < 0)
        return; /* gone already, or out of watches: the rest still works */
    remember(w, wd, path);
    DIR *dir = opendir(path);
    if (!dir)
        return;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] ||
                                    (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        char sub[PATH_MAX];
        struct stat st;
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) <
                (int)sizeof sub &&
            lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            add_tree(w, sub);
    }
    closedir(dir);
}

struct watch *
watch_open(void)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct watch *w = xcalloc(1, sizeof *w);
    w->fd = fd;
    w->root_wd = inotify_add_watch(fd, ".", ROOT_EVENTS | IN_ONLYDIR);
    if (w->root_wd < 0) {
        int e = errno;
        watch_close(w);
        errno = e;
        return NULL;
    }
    for (size_t i = 0; i < sizeof input_dirs / sizeof *input_dirs; i++)
        add_tree(w, input_dirs[i]);
    return w;
}

int
watch_fd(const struct watch *w)
{
    return w->fd;
}

/* Editors save through temporary names (vim's 4913 and .swp, emacs's
 * .#lock and backup~); only the final rename or write is a change. */
static bool
is_editor_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || !strcmp(name, "4913") ||
           (n && name[n - 1] == '~') ||
           (n > 4 && (!strcmp(name + n - 4, ".swp") ||
                      !strcmp(name + n - 4, ".swx")));
}

static bool
is_input_dir(const char *name)
{
    for (size_t i = 0; i < sizeof input_dirs / sizeof *input_dirs; i++)
        if (!strcmp(name, input_dirs[i]))
            return true;
    return false;
}

/* Acts on one event; true when it changes an input. */
static bool
take_event(struct watch *w, const struct inotify_event *ev)
{
    if (ev->mask & IN_IGNORED) {
        if ((size_t)ev->wd < w->npaths) {
            free(w->paths[ev->wd]);
            w->paths[ev->wd] = NULL;
        }
        return false;
    }
    if (ev->mask & IN_Q_OVERFLOW)
        return true; /* events were lost: rebuild to be sure */
    const char *name = ev->len ? ev->name : "";
    if (ev->wd == w->root_wd) {
        if (is_input_dir(name)) {
            if (ev->mask & (IN_CREATE | IN_MOVED_TO))
                add_tree(w, name);
            return true;
        }
        return !strcmp(name, "site.yaml");
    }
    if ((size_t)ev->wd >= w->npaths || !w->paths[ev->wd])
        return false;
    if (ev->mask & IN_DELETE_SELF)
        return true;
    if (!*name || is_editor_file(name))
        return false;
    if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
        char sub[PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", w->paths[ev->wd], name) <
            (int)sizeof sub)
            add_tree(w, sub);
        return true;
    }
    /* A new file counts when it is written and closed, not when opened. */
    return !(ev->mask & IN_CREATE);
}

bool
watch_read(struct watch *w)
{
    char buf[64 * 1024]
        __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            return changed; /* EAGAIN: all read */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const void *)p;
            if (take_event(w, ev))
                changed = true;
            p += sizeof *ev + ev->len;
        }
    }
}

void
watch_close(struct watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->npaths; i++)
        free(w->paths[i]);
    free(w->paths);
    close(w->fd);
    free(w);
}
