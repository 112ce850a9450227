/* new.c: `gazette new`: the front matter of a new post, checked by the
 * build's own parse/ and model/ before a byte is written, then put in its
 * channel folder with link(2), which never replaces a file. */
#include "new.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/utf8.h"
#include "../diag.h"
#include "../model/model.h"
#include "../parse/parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NEW_NAME_MAX (255 - 3) /* NAME.md must fit a file name (NAME_MAX) */

/* The post being made; strings in the arena. */
struct fresh {
    const char *channel, *name; /* NAME without ".md" */
    const char *file, *path;    /* "NAME.md", "content/CHANNEL/NAME.md" */
    const char *title;
    struct timestamp date;      /* now, in the local UTC offset */
    struct buf text;            /* the file's bytes */
};

/* Splits "CHANNEL/NAME" at its first '/' (so a '/' in NAME is seen and
 * refused by check_name); a trailing ".md" is dropped, as users type
 * either (hugo new takes the file name). */
static int
split_target(struct fresh *p, const char *target, struct arena *a,
             struct diags *d)
{
    const char *slash = strchr(target, '/');
    if (!slash || slash == target)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "expected CHANNEL/NAME, such as news/my-post, got "
                         "\"%s\"", target);
    size_t n = strlen(slash + 1);
    if (n >= 3 && !strcmp(slash + 1 + n - 3, ".md"))
        n -= 3;
    p->channel = arena_strndup(a, target, (size_t)(slash - target));
    p->name = arena_strndup(a, slash + 1, n);
    p->file = arena_printf(a, "%s.md", p->name);
    p->path = arena_printf(a, "content/%s/%s", p->channel, p->file);
    return 0;
}

/* Why s cannot stand on one line of YAML as it is: invalid UTF-8, a line
 * break (YAML also ends lines at U+0085, U+2028 and U+2029), another
 * control character (C0, DEL, C1) or U+FFFE/U+FFFF. NULL when it can. */
static const char *
bad_character(const char *s, struct arena *a)
{
    size_t len = strlen(s), n;
    for (const char *p = s; p < s + len; p += n) {
        int32_t c = utf8_decode(p, (size_t)(s + len - p), &n);
        if (c < 0)
            return "is not valid UTF-8";
        if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 ||
            c == 0x2029)
            return "holds a line break: it must be one line";
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
            return arena_printf(a, "holds a control character (U+%04X)",
                                (unsigned)c);
        if (c == 0xfffe || c == 0xffff) /* not printable for YAML */
            return arena_printf(a, "holds the non-character U+%04X",
                                (unsigned)c);
    }
    return NULL;
}

/* NAME's own rules, before the build's (probe): one file name that the
 * build reads as a post. The name is quoted only when it is printable. */
static int
check_name(const char *name, struct arena *a, struct diags *d)
{
    const char *why = bad_character(name, a);
    if (!why && !*name)
        why = "is empty: give one, such as news/my-post";
    if (why)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0, "NAME %s", why);
    if (strchr(name, '/'))
        why = "holds a '/': gazette new writes a post directly in the "
              "channel's folder";
    else if (!strcmp(name, ".") || !strcmp(name, ".."))
        why = "is not a file name";
    else if (name[0] == '.') /* source/ skips dot-files */
        why = "starts with '.': the build skips hidden files";
    else if (name[0] == '_') /* _index.md, as in Hugo and Zola */
        why = "starts with '_', which marks a channel's own files";
    else if (strlen(name) > NEW_NAME_MAX)
        why = arena_printf(a, "is %zu bytes long; a name may have %d",
                           strlen(name), NEW_NAME_MAX);
    if (why)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0, "NAME \"%s\" %s", name,
                         why);
    return 0;
}

static int
check_title(const char *title, struct arena *a, struct diags *d)
{
    const char *why = bad_character(title, a);
    if (!why && !title[strspn(title, " ")])
        why = "is empty: leave it out to make the title from NAME";
    return why ? diags_add(d, DIAG_USAGE, NULL, 0, 0, "--title %s", why) : 0;
}

/* The title made from NAME as Hugo's archetype makes it: '-' and '_' as
 * spaces, the first letter upper-cased (ASCII only: case mapping of other
 * letters is utf8proc's, which only base/utf8.c may call). */
static const char *
title_from_name(const char *name, struct arena *a)
{
    char *t = arena_strdup(a, name);
    for (char *c = t; *c; c++)
        if (*c == '-' || *c == '_')
            *c = ' ';
    if (*t >= 'a' && *t <= 'z')
        *t = (char)(*t - 'a' + 'A');
    return t;
}

/* Appends s as a YAML double-quoted scalar: inside double quotes only '\'
 * and '"' are special ('#', ':', a leading '-', '*' or '&' are text), and
 * every other character is kept as it is; bad_character refused those
 * that would need an escape. */
static void
put_yaml_string(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

/* The file: front matter with the title, now as RFC 3339 in the local
 * offset (TZ honoured; "+00:00" rather than "Z", as Hugo writes it), no
 * tags yet, then an empty body line. */
static void
make_text(struct fresh *p)
{
    time_t now = time(NULL);
    struct tm tm;
    tzset(); /* localtime_r need not read TZ itself */
    localtime_r(&now, &tm);
    p->date = (struct timestamp){ .secs = now,
                                  .offset_min = (int)(tm.tm_gmtoff / 60),
                                  .set = true };
    int off = p->date.offset_min < 0 ? -p->date.offset_min
                                     : p->date.offset_min;
    buf_puts(&p->text, "---\ntitle: ");
    put_yaml_string(&p->text, p->title);
    buf_printf(&p->text,
               "\ndate: %04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d\n"
               "tags: []\n---\n\n",
               tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
               tm.tm_min, tm.tm_sec, p->date.offset_min < 0 ? '-' : '+',
               off / 60, off % 60);
}

/* Asks the build: parses the text as build does (site.yaml's defaults)
 * and joins it with its channel into a site. What they refuse (a name
 * that cannot be a URL segment, a slug the site's own pages take such as
 * "tags" or "feed.xml", a channel named "tags") is refused here in their
 * words; what they read back must be the title and date written, or the
 * YAML written here is wrong. */
static int
probe(const struct fresh *p, struct arena *a, struct diags *d)
{
    struct diags found;
    diags_init(&found);
    struct source_file in = { .path = p->path, .data = p->text.data,
                              .len = p->text.len, .size = p->text.len };
    struct site_config cfg;
    struct channel channel;
    struct post post;
    struct site site;
    parse_init(model_tag_url);
    int rc = parse_config(&cfg, NULL, a, &found);
    if (rc == 0)
        rc = parse_channel(&channel, p->channel, NULL, &cfg, a, &found) |
             parse_post(&post, &in, &cfg, a, &found);
    if (rc == 0)
        rc = model_build(&site, &cfg, &channel, 1, &post, 1, true, 1, a,
                         &found);
    for (size_t i = 0; i < found.len; i++)
        if (found.items[i].kind != DIAG_WARNING)
            diags_add(d, DIAG_USAGE, p->path, 0, 0,
                      "the build would refuse this post: %s",
                      found.items[i].msg);
    if (rc == 0 && (strcmp(post.title, p->title) ||
                    post.date.secs != p->date.secs ||
                    post.date.offset_min != p->date.offset_min))
        rc = diags_add(d, DIAG_USAGE, p->path, 0, 0,
                       "the front matter would not read back as written "
                       "(title \"%s\")", p->title);
    diags_dispose(&found);
    return rc < 0 ? -1 : 0;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The channels, sorted, into out (arena strings): the folders of content/
 * as the build sees them (no dot-folders, no symlinks). A folder with no
 * file yet counts too: the post written makes it a channel. Returns 0, or
 * -1 with errno set. */
static int
list_channels(struct vec *out, int content, struct arena *a)
{
    int fd = dup(content);
    DIR *dir = fd < 0 ? NULL : fdopendir(fd);
    if (!dir) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct dirent *e;
    struct stat st;
    while ((errno = 0, e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        if (e->d_type == DT_DIR ||
            (e->d_type == DT_UNKNOWN &&
             fstatat(content, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISDIR(st.st_mode)))
            vec_push(out, arena_strdup(a, e->d_name));
    }
    int rc = errno ? -1 : 0, e2 = errno;
    closedir(dir);
    errno = e2;
    if (out->len)
        qsort(out->items, out->len, sizeof *out->items, cmp_names);
    return rc;
}

/* The error for a CHANNEL that is no channel folder: a symlink, or a name
 * not listed, with the list. */
static int
unknown_channel(int content, const char *channel, struct arena *a,
                struct diags *d)
{
    struct stat st;
    if (fstatat(content, channel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(st.st_mode))
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "content/%s is a symlink: gazette new writes only "
                         "inside the site (the build skips symlinks too)",
                         channel);
    struct vec known = VEC_INIT;
    if (list_channels(&known, content, a) < 0) {
        vec_dispose(&known);
        return diags_add(d, DIAG_SYSTEM, "content", 0, 0, "%s",
                         strerror(errno));
    }
    struct buf list = BUF_INIT;
    for (size_t i = 0; i < known.len; i++)
        buf_printf(&list, "%s%s", i ? ", " : "", (char *)known.items[i]);
    if (known.len)
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "unknown channel \"%s\": the channels are %s", channel,
                  list.data);
    else
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "unknown channel \"%s\": content/ has no channel folder "
                  "yet (a channel is a folder of content/)", channel);
    buf_dispose(&list);
    vec_dispose(&known);
    return -1;
}

/* Why content/ cannot be opened (errno says), as a diag. */
static int
content_error(int err, struct diags *d)
{
    if (err == ENOENT || err == ENOTDIR)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "no content/ folder here: not a gazette site (run "
                         "this in the site's folder, or give it with -C DIR)");
    if (err == ELOOP)
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "content is a symlink: gazette new writes only "
                         "inside the site");
    return diags_add(d, DIAG_SYSTEM, "content", 0, 0, "%s", strerror(err));
}

/* Opens content/CHANNEL of the site in the current directory. Neither
 * may be a symlink (openat2 with RESOLVE_NO_SYMLINKS, so nothing is
 * written outside the site, even when a folder is swapped meanwhile).
 * Returns its fd (the caller closes it), or -1 with a diag. */
static int
open_channel(const char *channel, struct arena *a, struct diags *d)
{
    int root = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "the site's folder: %s",
                         strerror(errno));
    int content = fs_open_dir_below(root, "content", false);
    close(root);
    if (content < 0)
        return content_error(errno, d);
    /* A dot-folder is no channel: source/ skips it (and "." is content/
     * itself, ".." its parent). */
    int fd = channel[0] == '.' ? -1
                               : fs_open_dir_below(content, channel, false);
    if (fd < 0 && channel[0] != '.' && errno != ENOENT && errno != ENOTDIR &&
        errno != ELOOP)
        diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "content/%s: %s", channel,
                  strerror(errno));
    else if (fd < 0)
        unknown_channel(content, channel, a, d);
    close(content);
    return fd;
}

/* The error for dir/name already there, saying what it is. */
static int
name_taken(int dir, const struct fresh *p, struct diags *d)
{
    struct stat st;
    const char *what = "";
    if (fstatat(dir, p->file, &st, AT_SYMLINK_NOFOLLOW) == 0)
        what = S_ISLNK(st.st_mode)   ? " (a symlink)"
               : S_ISDIR(st.st_mode) ? " (a folder)"
                                     : "";
    return diags_add(d, DIAG_USAGE, p->path, 0, 0,
                     "already exists%s: gazette new never replaces a file",
                     what);
}

/* Writes the text as dir/NAME.md, which must not exist. The bytes go to
 * a temporary file beside it (a dot-file, which the build skips should a
 * crash leave it) and are synced; link(2) then gives them their name and
 * fails with EEXIST on any name already there, so checking and creating
 * are one step; the temporary name goes, in every case. */
static int
write_fresh(int dir, const struct fresh *p, struct diags *d)
{
    struct stat st;
    if (fstatat(dir, p->file, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return name_taken(dir, p, d); /* before a read-only disk says so */
    char tmp[64];
    int fd = -1;
    for (unsigned i = 0; fd < 0 && i < 100; i++) {
        snprintf(tmp, sizeof tmp, ".gazette-new-%ld-%u.tmp", (long)getpid(),
                 i);
        fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                  O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        return diags_add(d, DIAG_SYSTEM, p->path, 0, 0, "%s",
                         strerror(errno));
    int rc = fs_write_all(fd, p->text.data, p->text.len) < 0 || fsync(fd) < 0
                 ? -1
                 : 0;
    int err = errno;
    if (close(fd) < 0 && rc == 0)
        rc = -1, err = errno;
    if (rc == 0 && linkat(dir, tmp, dir, p->file, 0) < 0)
        rc = -1, err = errno;
    unlinkat(dir, tmp, 0);
    if (rc < 0 && err == EEXIST)
        return name_taken(dir, p, d);
    if (rc < 0)
        return diags_add(d, DIAG_SYSTEM, p->path, 0, 0, "%s", strerror(err));
    fsync(dir); /* the new name outlives a power cut; it is there anyway */
    return 0;
}

int
new_post(char **out, const struct new_options *o, struct diags *d)
{
    *out = NULL;
    struct arena *a = arena_new();
    struct fresh p = { .text = BUF_INIT };
    int dir = -1, rc = -1;
    if (split_target(&p, o->target, a, d) < 0)
        goto out;
    /* Every problem is reported, not just the first: the name and title,
     * then the build's verdict on them, and the channel. */
    bool ok = check_name(p.name, a, d) == 0;
    if (o->title && check_title(o->title, a, d) < 0)
        ok = false;
    if (ok) {
        p.title = o->title ? o->title : title_from_name(p.name, a);
        make_text(&p);
        ok = probe(&p, a, d) == 0;
    }
    dir = open_channel(p.channel, a, d);
    if (!ok || dir < 0 || write_fresh(dir, &p, d) < 0)
        goto out;
    *out = xstrdup(p.path);
    rc = 0;
out:
    if (dir >= 0)
        close(dir);
    buf_dispose(&p.text);
    arena_free(a);
    return rc;
}
