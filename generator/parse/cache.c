/* cache.c: parsed posts kept between builds, in three files of the cache
 * folder. A worker's record of a post is split in two: its head (every
 * field but the body) goes to posts.head, its body to posts.body, each
 * appended to; posts.idx says where the head and body of each post the
 * last build used lie, by the post's digest. Heads lie together, so that
 * a build that reads every post but shows few bodies brings few pages of
 * posts.body into memory. The index is replaced whole (a temporary file
 * renamed over it) at the end of each build; the packs are rewritten
 * only when more than half of them is records no build uses any more.
 * Anything unexpected (another version, other packs, a short read)
 * empties the cache: it only ever saves time. Part of parse/. */
#include "parse.h"
#include "parse_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define INDEX "posts.idx"
#define INDEX_MAGIC "gazette posts 3\n" /* 16 bytes */
#define PAGE 4096

/* A file records are appended to, mapped for reading. */
struct pack {
    const char *name;
    int fd;            /* -1: none */
    bool full;         /* a write failed: nothing more is added */
    uint64_t ino, end; /* end: where the next record goes */
    const char *map;   /* mapped up to map_len */
    size_t map_len;
};

/* Where a post's head and body lie. */
struct slot {
    uint64_t key[2];
    uint64_t head_at, head_len, body_at, body_len;
    bool full, used;
};

struct post_cache {
    int dir;              /* -1: nothing is kept */
    uint64_t settings[2]; /* of the settings and the program */
    struct pack head, body;
    struct slot *slots;   /* open addressing, nslots a power of 2 */
    size_t nslots, count;
};

/* The index: its header, then count slots of six numbers (key, head_at,
 * head_len, body_at, body_len). */
struct index_head {
    char magic[16];
    uint64_t settings[2];
    uint64_t head_ino, head_len, body_ino, body_len, count;
};
#define SLOT_WORDS 6

static struct slot *
slot_of(const struct post_cache *c, const uint64_t key[2])
{
    if (!c->nslots)
        return NULL;
    size_t mask = c->nslots - 1;
    for (size_t i = key[0] & mask;; i = (i + 1) & mask) {
        struct slot *s = &c->slots[i];
        if (!s->full || (s->key[0] == key[0] && s->key[1] == key[1]))
            return s;
    }
}

static void
slot_put(struct post_cache *c, const struct slot *in)
{
    if ((c->count + 1) * 2 > c->nslots) {
        struct slot *old = c->slots;
        size_t n = c->nslots;
        c->nslots = n ? n * 2 : 1024;
        c->slots = xcalloc(c->nslots, sizeof *c->slots);
        c->count = 0;
        for (size_t i = 0; i < n; i++)
            if (old[i].full)
                slot_put(c, &old[i]);
        free(old);
    }
    struct slot *s = slot_of(c, in->key);
    if (!s->full)
        c->count++;
    *s = *in;
    s->full = true;
}

/* ---- Packs ------------------------------------------------------------- */

static void
pack_open(struct pack *p, int dir, const char *name)
{
    *p = (struct pack){ name, -1, false, 0, 0, NULL, 0 };
    int fd = openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                    0644);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        p->fd = fd;
        p->ino = (uint64_t)st.st_ino;
        p->end = (uint64_t)st.st_size;
    }
}

/* Maps all that was added; -1 with errno. */
static int
pack_map(struct pack *p)
{
    if (p->map_len == p->end)
        return 0;
    if (p->map)
        munmap((void *)p->map, p->map_len);
    p->map = NULL;
    p->map_len = 0;
    if (!p->end)
        return 0;
    if (p->fd < 0)
        return -1;
    void *m = mmap(NULL, (size_t)p->end, PROT_READ, MAP_SHARED, p->fd, 0);
    if (m == MAP_FAILED)
        return -1;
    p->map = m;
    p->map_len = (size_t)p->end;
    return 0;
}

/* Appends bytes; where they went in *at. A zero follows when they would
 * end a page: a body lent without being looked at (pool.c) ends there at
 * the latest. false when the pack cannot take them (a full disk). */
static bool
pack_add(struct pack *p, const char *data, size_t len, uint64_t *at)
{
    for (size_t done = 0; !p->full && done < len;) {
        ssize_t n = pwrite(p->fd, data + done, len - done,
                           (off_t)(p->end + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            p->full = true; /* what was written past end is not used */
        else
            done += (size_t)n;
    }
    if (p->full)
        return false;
    *at = p->end;
    p->end += len;
    if (p->end % PAGE == 0 && pwrite(p->fd, "", 1, (off_t)p->end) == 1)
        p->end++;
    return true;
}

static void
pack_close(struct pack *p)
{
    if (p->map)
        munmap((void *)p->map, p->map_len);
    if (p->fd >= 0)
        close(p->fd);
}

/* ---- The cache --------------------------------------------------------- */

/* Reads the index into the table when it matches the packs and the
 * settings; an index that does not is no loss. */
static void
read_index(struct post_cache *c)
{
    struct buf b = BUF_INIT;
    if (fs_read_at(c->dir, INDEX, &b) < 0) {
        buf_dispose(&b);
        return;
    }
    struct index_head h;
    const size_t entry = SLOT_WORDS * sizeof(uint64_t);
    if (b.len >= sizeof h) {
        memcpy(&h, b.data, sizeof h);
        if (!memcmp(h.magic, INDEX_MAGIC, sizeof h.magic) &&
            !memcmp(h.settings, c->settings, sizeof c->settings) &&
            h.head_ino == c->head.ino && h.head_len <= c->head.end &&
            h.body_ino == c->body.ino && h.body_len <= c->body.end &&
            h.count <= (b.len - sizeof h) / entry) {
            /* the table at its size at once: growing it is hashing again */
            c->nslots = 1024;
            while (c->nslots < 2 * (h.count + 64))
                c->nslots *= 2;
            c->slots = xcalloc(c->nslots, sizeof *c->slots);
            for (uint64_t i = 0; i < h.count; i++) {
                uint64_t e[SLOT_WORDS];
                memcpy(e, b.data + sizeof h + i * entry, sizeof e);
                struct slot s = { { e[0], e[1] }, e[2], e[3], e[4], e[5],
                                  true, false };
                if (s.head_at <= h.head_len &&
                    s.head_len <= h.head_len - s.head_at &&
                    s.body_at <= h.body_len &&
                    s.body_len <= h.body_len - s.body_at)
                    slot_put(c, &s);
            }
        }
    }
    buf_dispose(&b);
}

struct post_cache *
post_cache_open(int dir_fd, const struct site_config *cfg,
                const char *settings_blob)
{
    struct post_cache *c = xcalloc(1, sizeof *c);
    c->dir = dir_fd;
    c->head.fd = c->body.fd = -1;
    struct hash h;
    hash_init(&h);
    hash_program(&h); /* a new parser must not read an old parse */
    hash_str(&h, settings_blob);
    hash_str(&h, cfg->base_url); /* --base-url changes it after site.yaml */
    const struct channel_hashtags *ch = cfg->channel_hashtags;
    for (size_t i = 0; ch && i < ch->len; i++) {
        hash_str(&h, ch->items[i].channel);
        hash_u64(&h, ch->items[i].mode);
    }
    hash_final(&h, c->settings);
    if (dir_fd < 0)
        return c;
    pack_open(&c->head, dir_fd, "posts.head");
    pack_open(&c->body, dir_fd, "posts.body");
    if (c->head.fd < 0 || c->body.fd < 0) {
        c->dir = -1;
        return c;
    }
    read_index(c);
    if (post_cache_map(c) < 0) { /* unreadable packs are no cache */
        free(c->slots);
        c->slots = NULL;
        c->nslots = c->count = 0;
    }
    return c;
}

void
post_cache_key(const struct post_cache *c, const struct source_file *f,
               uint64_t out[2])
{
    struct hash h;
    hash_init(&h);
    if (c)
        hash_bytes(&h, c->settings, sizeof c->settings);
    hash_str(&h, f->path);
    hash_str(&h, f->blob_id);
    hash_u64(&h, f->too_big);
    hash_u64(&h, f->size);
    const struct timestamp *t[] = { &f->created, &f->updated, &f->mtime };
    /* The mtime is read only when git has no date for the file. */
    for (size_t i = 0; i < (f->created.set ? 2u : 3u); i++) {
        hash_u64(&h, t[i]->set);
        hash_u64(&h, (uint64_t)t[i]->secs);
        hash_u64(&h, (uint64_t)(int64_t)t[i]->offset_min);
    }
    hash_str(&h, f->author);
    hash_final(&h, out);
}

const char *
post_cache_find(const struct post_cache *c, const uint64_t key[2],
                size_t *len, const char **body, size_t *body_len)
{
    struct slot *s = slot_of(c, key);
    if (!s || !s->full || s->head_at + s->head_len > c->head.map_len ||
        s->body_at + s->body_len > c->body.map_len)
        return NULL;
    s->used = true;
    if (len)
        *len = (size_t)s->head_len;
    if (body)
        *body = c->body.map + s->body_at;
    if (body_len)
        *body_len = (size_t)s->body_len;
    return c->head.map + s->head_at;
}

bool
post_cache_add(struct post_cache *c, const uint64_t key[2], const char *rec,
               size_t len, size_t body_len)
{
    struct slot s = { { key[0], key[1] }, 0, len - body_len, 0, body_len,
                      true, true };
    return body_len <= len &&
           pack_add(&c->head, rec, len - body_len, &s.head_at) &&
           pack_add(&c->body, rec + len - body_len, body_len, &s.body_at) &&
           (slot_put(c, &s), true);
}

int
post_cache_map(struct post_cache *c)
{
    return pack_map(&c->head) < 0 || pack_map(&c->body) < 0 ? -1 : 0;
}

/* Rewrites both packs with the used records alone. */
static int
compact(struct post_cache *c)
{
    struct buf head = BUF_INIT, body = BUF_INIT;
    for (size_t i = 0; i < c->nslots; i++) {
        struct slot *s = &c->slots[i];
        if (!s->full || !s->used)
            continue;
        buf_put(&head, c->head.map + s->head_at, (size_t)s->head_len);
        buf_put(&body, c->body.map + s->body_at, (size_t)s->body_len);
        s->head_at = head.len - s->head_len;
        s->body_at = body.len - s->body_len;
    }
    buf_putc(&head, '\0'); /* as pack_add: never a page's end */
    buf_putc(&body, '\0');
    int rc = fs_replace_at(c->dir, c->head.name, head.data, head.len);
    if (rc == 0)
        rc = fs_replace_at(c->dir, c->body.name, body.data, body.len);
    struct stat st;
    if (rc == 0 && fstatat(c->dir, c->head.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        c->head.ino = (uint64_t)st.st_ino, c->head.end = head.len;
    if (rc == 0 && fstatat(c->dir, c->body.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        c->body.ino = (uint64_t)st.st_ino, c->body.end = body.len;
    buf_dispose(&head);
    buf_dispose(&body);
    return rc;
}

void
post_cache_close(struct post_cache *c)
{
    if (!c)
        return;
    bool ok = c->dir >= 0 && c->head.fd >= 0 && c->body.fd >= 0 &&
              post_cache_map(c) == 0;
    uint64_t live = 0, count = 0;
    for (size_t i = 0; i < c->nslots; i++)
        if (c->slots[i].full && c->slots[i].used)
            live += c->slots[i].head_len + c->slots[i].body_len, count++;
    if (ok && c->head.end + c->body.end > 2 * live + ((uint64_t)4 << 20))
        ok = compact(c) == 0;
    if (ok) {
        struct index_head h = { INDEX_MAGIC, { c->settings[0],
                                c->settings[1] }, c->head.ino, c->head.end,
                                c->body.ino, c->body.end, count };
        struct buf b = BUF_INIT;
        buf_grow(&b, sizeof h + count * SLOT_WORDS * sizeof(uint64_t));
        buf_put(&b, &h, sizeof h);
        for (size_t i = 0; i < c->nslots; i++) {
            const struct slot *s = &c->slots[i];
            uint64_t e[SLOT_WORDS] = { s->key[0], s->key[1], s->head_at,
                                       s->head_len, s->body_at, s->body_len };
            if (s->full && s->used)
                buf_put(&b, e, sizeof e);
        }
        fs_replace_at(c->dir, INDEX, b.data, b.len);
        buf_dispose(&b);
    }
    pack_close(&c->head);
    pack_close(&c->body);
    free(c->slots);
    free(c);
}
