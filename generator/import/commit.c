/* commit.c: the posts read by telegram.c into the site and its history.
 * Each message's files are written into content/<channel>/ (a temporary
 * file, then link(2), which never replaces one) and as blobs; its commit's
 * tree is the previous commit's tree plus those files, never the index,
 * so what the user has staged stays out. When every file and commit is
 * made, the branch moves once (compare-and-swap) and the index gets the
 * new files' entries and nothing else. A failure before the branch moves
 * removes every file written: the commits made are then unreferenced. */
#include "import.h"
#include "import_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/utf8.h"
#include "../diag.h"
#include "../source/source.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file or folder this import made in the work tree. */
struct made {
    const char *path; /* relative to the site */
    bool folder;
    git_oid id; /* a file's blob */
};

struct committer {
    git_repository *repo;
    const char *prefix;  /* the site's folder in the repository, "" or "a/b/" */
    const char *refname; /* the branch HEAD names */
    bool born;
    git_oid head;        /* when born */
    git_tree *head_tree; /* when born */
    git_oid last;        /* the last commit made (or head) */
    bool have_last;
    int root, channel_fd; /* the site, content/<channel> (-1: not yet) */
    const char *channel;
    struct vec made;     /* struct made *, in order */
    struct map *there;   /* "<id>" -> path of each post that exists */
    /* Posts, trees and commits go to an in-memory pack (c->odb's first
     * backend), written as a packfile every IMPORT_PACK_BATCH messages:
     * each commit's channel tree lists every post so far, and as loose
     * objects these would take space and files in proportion to the
     * square of the messages; a pack stores them as deltas. Media go
     * straight to the loose objects (disk), never into memory. */
    git_odb *odb, *disk;
    git_odb_backend *mempack;
    size_t pending; /* messages in the in-memory pack */
    struct arena *a;
    struct diags *d;
};

static const char *
post_path(struct arena *a, const char *channel, long long id, bool folder)
{
    return folder ? arena_printf(a, "content/%s/%lld/index.md", channel, id)
                  : arena_printf(a, "content/%s/%lld.md", channel, id);
}

/* Whether path (relative to the site) is in HEAD's tree or the work
 * tree (as anything: a symlink or folder there is not ours to replace). */
static bool
exists(const struct committer *c, const char *path)
{
    struct stat st;
    if (fstatat(c->root, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return true;
    if (!c->head_tree)
        return false;
    git_tree_entry *e = NULL;
    char *full = arena_printf(c->a, "%s%s", c->prefix, path);
    bool found = git_tree_entry_bypath(&e, c->head_tree, full) == 0;
    git_tree_entry_free(e);
    git_error_clear();
    return found;
}

/* Opens the repository around the site, finds the site's place in it and
 * HEAD's branch and tree. */
static int
open_repository(struct committer *c)
{
    struct diags *d = c->d;
    git_reference *head = NULL;
    git_commit *commit = NULL;
    char site[PATH_MAX], work[PATH_MAX];
    int rc = -1;
    if (git_repository_open_ext(&c->repo, ".", 0, NULL) < 0) {
        c->repo = NULL;
        git_error_clear();
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "the site is in no git repository: import commits "
                         "each message (git init first)");
    }
    if (git_repository_is_bare(c->repo) || !git_repository_workdir(c->repo))
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "the repository is bare: import needs a work tree");
    if (!realpath(".", site) ||
        !realpath(git_repository_workdir(c->repo), work))
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                         "finding the site in its repository: %s",
                         strerror(errno));
    size_t n = strlen(work);
    if (strncmp(site, work, n) || (site[n] && site[n] != '/'))
        return diags_add(d, DIAG_USAGE, NULL, 0, 0,
                         "the site %s is not inside the work tree %s", site,
                         work);
    c->prefix = site[n] ? arena_printf(c->a, "%s/", site + n + 1) : "";
    if (git_reference_lookup(&head, c->repo, "HEAD") < 0) {
        gitdiag_add(d, "reading HEAD");
        goto out;
    }
    if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
        diags_add(d, DIAG_USAGE, NULL, 0, 0,
                  "HEAD is detached: check out the branch to import on");
        goto out;
    }
    c->refname = arena_strdup(c->a, git_reference_symbolic_target(head));
    git_reference *branch = NULL;
    int err = git_reference_lookup(&branch, c->repo, c->refname);
    if (err == GIT_ENOTFOUND) {
        git_error_clear();
        rc = 0; /* unborn: the first commit is ours */
        goto out;
    }
    if (err < 0 ||
        git_reference_peel((git_object **)&commit, branch, GIT_OBJECT_COMMIT) <
            0 ||
        git_commit_tree(&c->head_tree, commit) < 0) {
        git_reference_free(branch);
        gitdiag_add(d, "reading %s", c->refname);
        goto out;
    }
    git_reference_free(branch);
    c->head = *git_commit_id(commit);
    c->last = c->head;
    c->born = c->have_last = true;
    rc = 0;
out:
    git_commit_free(commit);
    git_reference_free(head);
    return rc;
}

/* Marks each message whose post exists (either form) as there, and
 * records where every post of the channel is or will be, for replies. */
static void
find_existing(struct committer *c, const struct import_export *ex,
              struct import_report *r)
{
    for (size_t i = 0; i < ex->messages->len; i++) {
        struct import_message *m = ex->messages->items[i];
        const char *key = arena_printf(c->a, "%lld", m->id);
        const char *flat = post_path(c->a, c->channel, m->id, false);
        const char *folder = post_path(c->a, c->channel, m->id, true);
        if (exists(c, flat) || exists(c, folder)) {
            m->there = true;
            r->already++;
            map_put(c->there, key, (void *)(exists(c, flat) ? flat : folder));
        } else {
            map_put(c->there, key, (void *)(m->has_media ? folder : flat));
        }
    }
}

/* The link to the post of message id from the post at from, or NULL when
 * there is none (neither imported now nor before). */
static const char *
reply_target(struct committer *c, long long id, const char *from)
{
    const char *key = arena_printf(c->a, "%lld", id);
    const char *to = map_get(c->there, key);
    if (!to) {
        const char *flat = post_path(c->a, c->channel, id, false);
        const char *folder = post_path(c->a, c->channel, id, true);
        to = exists(c, flat) ? flat : exists(c, folder) ? folder : NULL;
        if (!to)
            return NULL;
    }
    /* Both are content/<channel>/X: relative from from's folder. */
    size_t base = strlen("content/") + strlen(c->channel) + 1;
    bool deep = strchr(from + base, '/') != NULL;
    return arena_printf(c->a, "%s%s", deep ? "../" : "", to + base);
}

/* The post's text: front matter, then the reply, "Forwarded from", the
 * photo or file, the text. */
static void
post_text(struct buf *b, struct committer *c, const struct import_message *m,
          const char *path)
{
    buf_printf(b, "---\ndate: %s\n", m->date);
    if (m->updated)
        buf_printf(b, "updated: %s\n", m->updated);
    buf_printf(b, "message_id: %lld\n---\n", m->id);
    if (m->has_reply) {
        const char *to = reply_target(c, m->reply_to, path);
        if (to) {
            buf_printf(b, "\n[In reply to message %lld](", m->reply_to);
            import_markdown_dest(b, to);
            buf_puts(b, ")\n");
        } else {
            buf_printf(b, "\nIn reply to message %lld\n", m->reply_to);
        }
    }
    if (m->forwarded)
        buf_printf(b, "\n%s\n", m->forwarded);
    if (m->has_media) {
        buf_puts(b, m->media.image ? "\n![](" : "\n[");
        if (!m->media.image) {
            import_markdown_line(b, m->media.name, strlen(m->media.name));
            buf_puts(b, "](");
        }
        import_markdown_dest(b, m->media.name);
        buf_puts(b, ")\n");
    }
    if (*m->body)
        buf_printf(b, "\n%s", m->body);
}

static void
record(struct committer *c, const char *path, bool folder, const git_oid *id)
{
    struct made *m = arena_alloc(c->a, sizeof *m);
    memset(m, 0, sizeof *m);
    m->path = path;
    m->folder = folder;
    if (id)
        m->id = *id;
    vec_push(&c->made, m);
}

/* A temporary file in dir (a dot-file: the build skips it should a crash
 * leave it). Returns its fd, its name in tmp. */
static int
temp_file(int dir, char *tmp, size_t size)
{
    static unsigned serial;
    int fd = -1;
    for (unsigned i = 0; fd < 0 && i < 100; i++) {
        snprintf(tmp, size, ".gazette-import-%ld-%u.tmp", (long)getpid(),
                 serial++);
        fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                  O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    return fd;
}

/* Gives the temporary file tmp of dir its name, which must be new. */
static int
publish(int dir, const char *tmp, const char *name)
{
    int rc = linkat(dir, tmp, dir, name, 0);
    int err = errno;
    unlinkat(dir, tmp, 0);
    errno = err;
    return rc;
}

/* Writes data as the new file name of dir (path: its path in the site)
 * and as a blob. */
static int
write_file(struct committer *c, int dir, const char *name, const char *path,
           const char *data, size_t len, git_oid *id)
{
    char tmp[64];
    if (git_blob_create_from_buffer(id, c->repo, data, len) < 0)
        return gitdiag_add(c->d, "writing the blob of %s", path);
    int fd = temp_file(dir, tmp, sizeof tmp);
    if (fd < 0)
        return diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s",
                         strerror(errno));
    int rc = fs_write_all(fd, data, len);
    int err = errno;
    if (close(fd) < 0 && rc == 0)
        rc = -1, err = errno;
    if (rc == 0 && (rc = publish(dir, tmp, name)) < 0)
        err = errno;
    else if (rc < 0)
        unlinkat(dir, tmp, 0);
    if (rc < 0)
        return diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s%s",
                         strerror(err),
                         err == EEXIST ? " (made meanwhile: left as it is)"
                                       : "");
    record(c, path, false, id);
    return 0;
}

/* Copies the media file src of the export into dir as name, and into a
 * loose blob, a piece at a time. */
static int
copy_media(struct committer *c, int export_dir, const struct import_media *md,
           int dir, const char *path, git_oid *id)
{
    char tmp[64] = "", piece[1 << 16];
    git_odb_stream *blob = NULL;
    struct stat st;
    int in = import_open_media(export_dir, md->src), out = -1, rc = -1;
    if (in < 0 || fstat(in, &st) < 0) {
        diags_add(c->d, DIAG_SYSTEM, NULL, 0, 0, "reading %s: %s", md->src,
                  strerror(errno));
        goto out;
    }
    if (git_odb_open_wstream(&blob, c->disk, (git_object_size_t)st.st_size,
                             GIT_OBJECT_BLOB) < 0) {
        gitdiag_add(c->d, "writing the blob of %s", path);
        goto out;
    }
    if ((out = temp_file(dir, tmp, sizeof tmp)) < 0) {
        *tmp = '\0';
        diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s", strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t n = read(in, piece, sizeof piece);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diags_add(c->d, DIAG_SYSTEM, NULL, 0, 0, "reading %s: %s",
                      md->src, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (fs_write_all(out, piece, (size_t)n) < 0) {
            diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s", strerror(errno));
            goto out;
        }
        if (git_odb_stream_write(blob, piece, (size_t)n) < 0) {
            gitdiag_add(c->d, "writing the blob of %s (did %s change while "
                              "importing?)", path, md->src);
            goto out;
        }
    }
    if (git_odb_stream_finalize_write(id, blob) < 0) {
        gitdiag_add(c->d, "writing the blob of %s (did %s change while "
                          "importing?)", path, md->src);
        goto out;
    }
    int err = close(out);
    out = -1;
    if (err < 0) {
        diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s", strerror(errno));
        goto out;
    }
    err = publish(dir, tmp, md->name); /* the temporary name goes */
    *tmp = '\0';
    if (err < 0) {
        diags_add(c->d, DIAG_SYSTEM, path, 0, 0, "%s", strerror(errno));
        goto out;
    }
    record(c, path, false, id);
    rc = 0;
out:
    git_odb_stream_free(blob);
    if (out >= 0)
        close(out);
    if (*tmp)
        unlinkat(dir, tmp, 0);
    if (in >= 0)
        close(in);
    return rc;
}

#define IMPORT_PACK_BATCH 256

/* Opens the object database: the in-memory pack in front of it, and the
 * loose objects alone for media. */
static int
open_objects(struct committer *c)
{
    git_buf path = GIT_BUF_INIT;
    int rc = -1;
    if (git_repository_odb(&c->odb, c->repo) < 0 ||
        git_mempack_new(&c->mempack) < 0) {
        gitdiag_add(c->d, "opening the object database");
        goto out;
    }
    if (git_odb_add_backend(c->odb, c->mempack, 1000) < 0) {
        c->mempack->free(c->mempack);
        c->mempack = NULL;
        gitdiag_add(c->d, "opening the object database");
        goto out;
    }
    if (git_repository_item_path(&path, c->repo,
                                 GIT_REPOSITORY_ITEM_OBJECTS) < 0 ||
        git_odb_open(&c->disk, path.ptr) < 0) {
        gitdiag_add(c->d, "opening the object database");
        goto out;
    }
    rc = 0;
out:
    git_buf_dispose(&path);
    return rc;
}

/* Writes the in-memory pack as a packfile of the repository and empties
 * it. */
static int
flush_objects(struct committer *c)
{
    git_buf pack = GIT_BUF_INIT;
    git_odb_writepack *w = NULL;
    git_indexer_progress stats = { 0 };
    int rc = -1;
    if (!c->pending)
        return 0;
    if (git_mempack_dump(&pack, c->repo, c->mempack) < 0 ||
        git_odb_write_pack(&w, c->odb, NULL, NULL) < 0 ||
        w->append(w, pack.ptr, pack.size, &stats) < 0 ||
        w->commit(w, &stats) < 0) {
        gitdiag_add(c->d, "writing a packfile of the commits");
        goto out;
    }
    git_mempack_reset(c->mempack);
    c->pending = 0;
    rc = 0;
out:
    if (w)
        w->free(w);
    git_buf_dispose(&pack);
    return rc;
}

/* Opens content/<channel>, making it when missing (recorded). */
static int
open_channel(struct committer *c)
{
    if (c->channel_fd >= 0)
        return 0;
    const char *rel = arena_printf(c->a, "content/%s", c->channel);
    struct stat st;
    bool fresh = fstatat(c->root, rel, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
                 errno == ENOENT;
    c->channel_fd = fs_open_dir_below(c->root, rel, true);
    if (c->channel_fd < 0)
        return diags_add(c->d, errno == ELOOP || errno == ENOTDIR
                                   ? DIAG_USAGE
                                   : DIAG_SYSTEM,
                         rel, 0, 0, "%s",
                         errno == ELOOP || errno == ENOTDIR
                             ? "is a symlink or no folder: import writes "
                               "only inside the site"
                             : strerror(errno));
    if (fresh)
        record(c, rel, true, NULL);
    return 0;
}

/* Adds path = id to the tree update list. */
static void
add_update(struct committer *c, git_tree_update *u, size_t *n,
           const char *path, const git_oid *id)
{
    u[*n] = (git_tree_update){ .action = GIT_TREE_UPDATE_UPSERT, .id = *id,
                               .filemode = GIT_FILEMODE_BLOB,
                               .path = arena_printf(c->a, "%s%s", c->prefix,
                                                    path) };
    (*n)++;
}

/* The signature of the repository's user (else gazette import's) at
 * secs in offset_min; now when secs is -1. */
static int
signature(git_signature **out, struct committer *c, int64_t secs,
          int offset_min)
{
    git_signature *user = NULL;
    const char *name = "gazette import", *email = "gazette@localhost";
    if (git_signature_default(&user, c->repo) == 0)
        name = user->name, email = user->email;
    git_error_clear();
    int err = secs < 0 ? git_signature_now(out, name, email)
                       : git_signature_new(out, name, email,
                                           (git_time_t)secs, offset_min);
    git_signature_free(user);
    return err < 0 ? gitdiag_add(c->d, "making the commit's author") : 0;
}

/* Appends s as a YAML double-quoted scalar on one line: '"' and '\\'
 * escaped, line breaks (YAML's too: U+0085, U+2028, U+2029), other
 * control characters and non-characters as spaces. */
static void
put_yaml_string(struct buf *b, const char *s)
{
    size_t len = strlen(s), n;
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i += n) {
        int32_t c = utf8_decode(s + i, len - i, &n);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
            c == 0x2028 || c == 0x2029 || c == 0xfffe || c == 0xffff) {
            buf_putc(b, ' ');
            continue;
        }
        if (c == '"' || c == '\\')
            buf_putc(b, '\\');
        buf_put(b, s + i, n);
    }
    buf_putc(b, '"');
}

/* Writes the channel's _index.md, titled title, and adds it to u. */
static int
write_index(struct committer *c, const char *title, git_tree_update *u,
            size_t *n)
{
    struct buf text = BUF_INIT;
    git_oid id;
    buf_puts(&text, "---\ntitle: ");
    put_yaml_string(&text, title);
    buf_puts(&text, "\n---\n");
    const char *path = arena_printf(c->a, "content/%s/_index.md", c->channel);
    int rc = write_file(c, c->channel_fd, "_index.md", path, text.data,
                        text.len, &id);
    if (rc == 0)
        add_update(c, u, n, path, &id);
    buf_dispose(&text);
    return rc;
}

/* Opens the folder of message m's post, content/<channel>/<id>/, making
 * it when missing (recorded). Returns its fd, or -1 with a diag. */
static int
open_post_folder(struct committer *c, const struct import_message *m)
{
    const char *folder = arena_printf(c->a, "%lld", m->id);
    const char *rel = arena_printf(c->a, "content/%s/%s", c->channel, folder);
    if (mkdirat(c->channel_fd, folder, 0777) == 0)
        record(c, rel, true, NULL);
    else if (errno != EEXIST)
        return diags_add(c->d, DIAG_SYSTEM, rel, 0, 0, "%s", strerror(errno));
    int fd = fs_open_dir_below(c->channel_fd, folder, false);
    if (fd >= 0)
        return fd;
    if (errno == ENOTDIR || errno == ELOOP)
        return diags_add(c->d, DIAG_USAGE, rel, 0, 0,
                         "is in the way: the post of message %lld is a "
                         "folder of that name (with its %s)", m->id,
                         m->media.image ? "photo" : "file");
    return diags_add(c->d, DIAG_SYSTEM, rel, 0, 0, "%s", strerror(errno));
}

/* Writes message m's post (and its media) and adds them to u. */
static int
write_post(struct committer *c, const struct import_export *ex,
           const struct import_message *m, git_tree_update *u, size_t *n)
{
    const char *path = post_path(c->a, c->channel, m->id, m->has_media);
    struct buf text = BUF_INIT;
    int dir = c->channel_fd, post_dir = -1, rc = -1;
    git_oid id;
    if (m->has_media) {
        if ((post_dir = open_post_folder(c, m)) < 0)
            goto out;
        dir = post_dir;
        const char *media = arena_printf(c->a, "content/%s/%lld/%s",
                                         c->channel, m->id, m->media.name);
        if (copy_media(c, ex->dir, &m->media, dir, media, &id) < 0)
            goto out;
        add_update(c, u, n, media, &id);
    }
    post_text(&text, c, m, path);
    if (write_file(c, dir, strrchr(path, '/') + 1, path, text.data, text.len,
                   &id) < 0)
        goto out;
    add_update(c, u, n, path, &id);
    rc = 0;
out:
    if (post_dir >= 0)
        close(post_dir);
    buf_dispose(&text);
    return rc;
}

/* Commits the tree of c->last plus the updates u[0..n) as message m's
 * commit, which becomes c->last. */
static int
make_commit(struct committer *c, const struct import_message *m,
            const git_tree_update *u, size_t n)
{
    git_signature *author = NULL, *committer = NULL;
    git_tree *base = NULL, *tree = NULL;
    git_commit *parent = NULL;
    git_oid tree_id, commit_id;
    int rc = -1;
    if ((c->have_last && (git_commit_lookup(&parent, c->repo, &c->last) < 0 ||
                          git_commit_tree(&base, parent) < 0)) ||
        git_tree_create_updated(&tree_id, c->repo, base, n, u) < 0 ||
        git_tree_lookup(&tree, c->repo, &tree_id) < 0) {
        gitdiag_add(c->d, "making the tree of message %lld", m->id);
        goto out;
    }
    if (signature(&author, c, m->secs, m->offset_min) < 0 ||
        signature(&committer, c, -1, 0) < 0)
        goto out;
    const char *message = arena_printf(c->a, "Import %s message %lld\n",
                                       c->channel, m->id);
    const git_commit *parents[] = { parent };
    if (git_commit_create(&commit_id, c->repo, NULL, author, committer, NULL,
                          message, tree, parent ? 1 : 0, parents) < 0) {
        gitdiag_add(c->d, "writing the commit of message %lld", m->id);
        goto out;
    }
    c->last = commit_id;
    c->have_last = true;
    rc = 0;
out:
    git_commit_free(parent);
    git_tree_free(base);
    git_tree_free(tree);
    git_signature_free(author);
    git_signature_free(committer);
    return rc;
}

/* Writes one message's files (and _index.md when title is set) and its
 * commit; every IMPORT_PACK_BATCH messages, the objects go to disk. */
static int
import_one(struct committer *c, const struct import_export *ex,
           const struct import_message *m, const char *title)
{
    git_tree_update updates[3];
    size_t n = 0;
    if (open_channel(c) < 0 ||
        (title && write_index(c, title, updates, &n) < 0) ||
        write_post(c, ex, m, updates, &n) < 0 ||
        make_commit(c, m, updates, n) < 0)
        return -1;
    return ++c->pending >= IMPORT_PACK_BATCH ? flush_objects(c) : 0;
}

/* Removes what this import wrote, newest first (folders only if empty). */
static void
undo(struct committer *c)
{
    for (size_t i = c->made.len; i-- > 0;) {
        const struct made *m = c->made.items[i];
        unlinkat(c->root, m->path, m->folder ? AT_REMOVEDIR : 0);
    }
}

/* Moves the branch from where it was to the last commit. */
static int
move_branch(struct committer *c, size_t count)
{
    git_reference *ref = NULL;
    char log[128];
    snprintf(log, sizeof log, "gazette import: %zu message%s", count,
             count == 1 ? "" : "s");
    int err = c->born ? git_reference_create_matching(&ref, c->repo,
                                                      c->refname, &c->last, 1,
                                                      &c->head, log)
                      : git_reference_create(&ref, c->repo, c->refname,
                                             &c->last, 0, log);
    git_reference_free(ref);
    if (err == GIT_EMODIFIED || err == GIT_EEXISTS)
        return diags_add(c->d, DIAG_SYSTEM, NULL, 0, 0,
                         "%s moved while importing: nothing imported; "
                         "import again", c->refname);
    return err < 0 ? gitdiag_add(c->d, "moving %s", c->refname) : 0;
}

/* Adds the new files to the index as they are in the work tree and the
 * commits, leaving every other entry as it is. */
static int
update_index(struct committer *c)
{
    git_index *index = NULL;
    int rc = -1;
    if (git_repository_index(&index, c->repo) < 0 ||
        git_index_read(index, 0) < 0) {
        gitdiag_add(c->d, "reading the index");
        goto out;
    }
    for (size_t i = 0; i < c->made.len; i++) {
        const struct made *m = c->made.items[i];
        struct stat st;
        if (m->folder)
            continue;
        git_index_entry e;
        memset(&e, 0, sizeof e);
        if (fstatat(c->root, m->path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
            e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
            e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
            e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
            e.dev = (uint32_t)st.st_dev;
            e.ino = (uint32_t)st.st_ino;
            e.uid = st.st_uid;
            e.gid = st.st_gid;
            e.file_size = (uint32_t)st.st_size;
        }
        e.mode = GIT_FILEMODE_BLOB;
        e.id = m->id;
        e.path = arena_printf(c->a, "%s%s", c->prefix, m->path);
        if (git_index_add(index, &e) < 0) {
            gitdiag_add(c->d, "adding %s to the index", m->path);
            goto out;
        }
    }
    if (git_index_write(index) < 0) {
        gitdiag_add(c->d, "writing the index (the commits are made; "
                          "`git reset -- content` puts it right)");
        goto out;
    }
    rc = 0;
out:
    git_index_free(index);
    return rc;
}

/* Opens the site's folder and checks that it has content/. */
static int
open_site(struct committer *c)
{
    c->root = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (c->root < 0)
        return diags_add(c->d, DIAG_SYSTEM, NULL, 0, 0,
                         "the site's folder: %s", strerror(errno));
    int content = fs_open_dir_below(c->root, "content", false);
    if (content < 0)
        return diags_add(c->d, errno == ENOENT || errno == ENOTDIR ||
                                       errno == ELOOP
                                   ? DIAG_USAGE
                                   : DIAG_SYSTEM,
                         NULL, 0, 0, "%s",
                         errno == ENOENT || errno == ENOTDIR
                             ? "no content/ folder here: not a gazette site "
                               "(run this in the site's folder, or give it "
                               "with -C DIR)"
                         : errno == ELOOP
                             ? "content is a symlink: import writes only "
                               "inside the site"
                             : strerror(errno));
    close(content);
    return 0;
}

int
import_commit(const struct import_export *ex, const char *channel,
              const char *title, struct import_report *r, struct arena *a,
              struct diags *d)
{
    struct committer c = { .root = -1, .channel_fd = -1, .channel = channel,
                           .made = VEC_INIT, .there = map_new(), .a = a,
                           .d = d };
    size_t count = 0;
    int rc = -1;
    if (git_libgit2_init() < 0) {
        gitdiag_add(d, "starting libgit2");
        map_free(c.there);
        return -1;
    }
    /* Every object a tree of ours names was just written or comes from
     * HEAD's tree: checking that each exists (libgit2's default) costs a
     * lookup per post per commit. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
    if (open_site(&c) < 0 || open_repository(&c) < 0 ||
        open_objects(&c) < 0)
        goto out;
    find_existing(&c, ex, r);
    const char *index_md = arena_printf(a, "content/%s/_index.md", channel);
    bool want_index = !exists(&c, index_md);
    for (size_t i = 0; i < ex->messages->len; i++) {
        const struct import_message *m = ex->messages->items[i];
        if (m->there)
            continue;
        if (import_one(&c, ex, m, want_index ? title : NULL) < 0) {
            undo(&c);
            goto out;
        }
        want_index = false;
        count++;
    }
    if (count) {
        if (flush_objects(&c) < 0) {
            undo(&c);
            goto out;
        }
        if (syncfs(c.root) < 0) {
            diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                      "syncing the files written: %s", strerror(errno));
            undo(&c);
            goto out;
        }
        if (move_branch(&c, count) < 0) {
            undo(&c);
            goto out;
        }
        r->imported = r->commits = count;
        if (update_index(&c) < 0)
            goto out;
    }
    rc = 0;
out:
    if (c.channel_fd >= 0)
        close(c.channel_fd);
    if (c.root >= 0)
        close(c.root);
    vec_dispose(&c.made);
    map_free(c.there);
    git_tree_free(c.head_tree);
    git_odb_free(c.disk);
    git_odb_free(c.odb);
    git_repository_free(c.repo);
    git_libgit2_shutdown();
    return rc;
}
