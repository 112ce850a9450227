/* cache.c: the file source_open_cached keeps in its cache folder, named
 * "source". Binary, little-endian, read in one go and used in place (no
 * table is copied out of it):
 *
 *   "GZSOURCE", u32 format, str gazette version, i64 scan start (ns),
 *   str site root, stat of .git/index,
 *   u32 n, then n stat entries of STAT_BYTES each:
 *       u32 path (offset in the strings), u32 rank, stat, u8 tracked,
 *       20 bytes blob id, 3 bytes of zeros                 (working tree)
 *   u32 bytes, then the strings: the paths, each ending in a NUL
 *   u32 n, n times: u32 bytes, then that many bytes of one commit's record:
 *       20 bytes commit id, str prefix, u64 shallow key,
 *       u32 n, n times str author,
 *       u32 n, n times: str path, 20 bytes blob id, date created,
 *                       date updated, u32 author (~0: none)   (path order)
 *   u64 checksum of all the bytes before it
 *
 * where str is u32 length, the bytes, a NUL (so that strings are used in
 * place), stat is u64 size, u64 inode, i64 mtime and i64 ctime in ns, and
 * date is u8 set, i64 seconds, i32 offset in minutes. Anything else
 * (another format or version, a short file, a bad checksum, a string
 * without its NUL) leaves the cache empty: it is only ever a shortcut. */
#include "source_private.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_FILE "source"
#define CACHE_MAGIC "GZSOURCE"
#define MAGIC_LEN (sizeof CACHE_MAGIC - 1)
#define CACHE_FORMAT 2
#define STAT_BYTES 64
/* Larger is no file cache_save wrote. */
#define CACHE_MAX_BYTES ((size_t)1 << 30)
#define NO_AUTHOR UINT32_MAX


/* Writing. */

static void
put_u32(struct buf *b, uint32_t v)
{
    unsigned char c[4];
    for (int i = 0; i < 4; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    buf_put(b, c, 4);
}

static void
put_u64(struct buf *b, uint64_t v)
{
    unsigned char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    buf_put(b, c, 8);
}

static void
put_str(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_put(b, s, n + 1);
}

static void
put_stat(struct buf *b, const struct cache_stat *s)
{
    put_u64(b, s->size);
    put_u64(b, s->ino);
    put_u64(b, (uint64_t)s->mtime_ns);
    put_u64(b, (uint64_t)s->ctime_ns);
}

static void
put_date(struct buf *b, struct timestamp t)
{
    buf_putc(b, t.set ? 1 : 0);
    put_u64(b, (uint64_t)t.secs);
    put_u32(b, (uint32_t)t.offset_min);
}

/* A hex id as its 20 bytes. */
static void
put_hex_id(struct buf *b, const char *hex)
{
    git_oid id = { { 0 } };
    git_oid_fromstrn(&id, hex, strlen(hex));
    buf_put(b, id.id, GIT_OID_RAWSZ);
}

/* Reading: the cursor (in source_private.h) turns ok false at the first
 * byte out of place, and reads nothing after. */

static bool
take(struct cursor *c, size_t n)
{
    if (!c->ok || (size_t)(c->end - c->p) < n)
        return c->ok = false;
    return true;
}

static uint32_t
le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint32_t
get_u32(struct cursor *c)
{
    if (!take(c, 4))
        return 0;
    c->p += 4;
    return le32(c->p - 4);
}

static uint64_t
get_u64(struct cursor *c)
{
    if (!take(c, 8))
        return 0;
    c->p += 8;
    return le64(c->p - 8);
}

static const char *
get_str(struct cursor *c)
{
    size_t n = get_u32(c);
    const char *s = (const char *)c->p;
    if (!take(c, n + 1) || s[n] != '\0' || memchr(s, '\0', n)) {
        c->ok = false;
        return "";
    }
    c->p += n + 1;
    return s;
}

static const unsigned char *
get_bytes(struct cursor *c, size_t n)
{
    static const unsigned char zeros[GIT_OID_RAWSZ];
    if (!take(c, n))
        return zeros;
    c->p += n;
    return c->p - n;
}

static void
get_stat(struct cursor *c, struct cache_stat *s)
{
    s->size = get_u64(c);
    s->ino = get_u64(c);
    s->mtime_ns = (int64_t)get_u64(c);
    s->ctime_ns = (int64_t)get_u64(c);
}

static struct timestamp
get_date(struct cursor *c)
{
    struct timestamp t = { 0 };
    if (!take(c, 13))
        return t;
    t.set = c->p[0] != 0;
    c->p++;
    t.secs = (int64_t)get_u64(c);
    t.offset_min = (int)(int32_t)get_u32(c);
    return t;
}

/* The count of a list whose items take at least min bytes each: one that
 * could not fit in what is left is damage (and no huge allocation). */
static size_t
get_count(struct cursor *c, size_t min)
{
    size_t n = get_u32(c);
    if (c->ok && n > (size_t)(c->end - c->p) / min)
        c->ok = false;
    return c->ok ? n : 0;
}

/* The stat table and the strings its paths are in. Offsets are checked
 * when used: the strings end in a NUL, so any offset in them is a C
 * string. */
static void
read_stats(struct cache *out, struct cursor *c)
{
    size_t n = get_count(c, STAT_BYTES);
    const unsigned char *table = get_bytes(c, n * STAT_BYTES);
    size_t nstrings = get_count(c, 1);
    const char *strings = (const char *)get_bytes(c, nstrings);
    if (!c->ok || (nstrings && strings[nstrings - 1] != '\0') ||
        (n && !nstrings)) {
        c->ok = false;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (le32(table + i * STAT_BYTES) >= nstrings) {
            c->ok = false;
            return;
        }
    out->nstats = n;
    out->stat_table = table;
    out->strings = strings;
    out->nstrings = nstrings;
}

void
cache_stat_at(const struct cache *c, size_t i, struct cache_stat *out)
{
    const unsigned char *e = c->stat_table + i * STAT_BYTES;
    out->path = c->strings + le32(e);
    out->rank = le32(e + 4);
    out->size = le64(e + 8);
    out->ino = le64(e + 16);
    out->mtime_ns = (int64_t)le64(e + 24);
    out->ctime_ns = (int64_t)le64(e + 32);
    out->tracked = e[40] != 0;
    memcpy(out->id.id, e + 41, GIT_OID_RAWSZ);
}

/* Reads a commit record's key, leaving its files to a record_reader: most
 * runs need one record of the two, and the other is copied as it is. */
static void
read_commit_record(struct cache_commit *rec, struct cursor *c)
{
    size_t n = get_u32(c);
    if (!take(c, n))
        return;
    struct cursor in = { c->p, c->p + n, true };
    rec->bytes = c->p;
    rec->nbytes = n;
    c->p += n;
    git_oid id;
    memcpy(id.id, get_bytes(&in, GIT_OID_RAWSZ), GIT_OID_RAWSZ);
    git_oid_tostr(rec->id, sizeof rec->id, &id);
    rec->prefix = get_str(&in);
    rec->shallow_key = get_u64(&in);
    rec->rest = in.p;
    c->ok = in.ok;
}

static void
read_commits(struct cache *out, struct cursor *c)
{
    size_t n = get_count(c, 4 + 20 + 5 + 8 + 8);
    if (n > CACHE_COMMITS)
        c->ok = false;
    for (size_t i = 0; i < n && c->ok; i++)
        read_commit_record(&out->commits[i], c);
    out->ncommits = c->ok ? n : 0;
}

/* Maps the whole cache file into out->data (left NULL when there is
 * none to trust): never through a symlink, never a FIFO or anything but a
 * file. Mapped, not read: the bytes are the page cache's own, where
 * reading would fill fresh pages, and a first touch of each costs a fault
 * (dearly on a virtual machine). cache_save never writes a file in place,
 * so the mapping cannot shrink under us. */
static void
map_file(struct cache *out, int dir_fd)
{
    struct stat st;
    int fd = openat(dir_fd, CACHE_FILE,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (size_t)st.st_size <= CACHE_MAX_BYTES) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ,
                       MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p != MAP_FAILED) {
            out->data = p;
            out->nbytes = (size_t)st.st_size;
        }
    }
    close(fd);
}

void
cache_unload(struct cache *c)
{
    if (c->data)
        munmap((void *)c->data, c->nbytes);
    c->data = NULL;
    c->nbytes = 0;
}

/* Whether the file is of our format and version: checked first, as
 * another version may sum its bytes otherwise. */
static bool
ours(struct cursor *c)
{
    if (!take(c, MAGIC_LEN) || memcmp(c->p, CACHE_MAGIC, MAGIC_LEN) != 0)
        return false;
    c->p += MAGIC_LEN;
    return get_u32(c) == CACHE_FORMAT && strcmp(get_str(c), GZ_VERSION) == 0;
}

/* Reads what follows the header; false when anything is out of place. */
static bool
parse(struct cache *out, struct cursor *c, const char *root)
{
    out->scan_ns = (int64_t)get_u64(c);
    if (strcmp(get_str(c), root) != 0)
        return false;
    get_stat(c, &out->index);
    read_stats(out, c);
    read_commits(out, c);
    return c->ok && c->p == c->end;
}

void
cache_load(struct cache *out, int dir_fd, const char *root)
{
    memset(out, 0, sizeof *out);
    map_file(out, dir_fd);
    if (!out->data || out->nbytes < MAGIC_LEN + 8)
        return;
    const unsigned char *end = out->data + out->nbytes - 8;
    struct cursor c = { out->data, end, true };
    if (!ours(&c) || le64(end) != hash64(out->data, out->nbytes - 8) ||
        !parse(out, &c, root)) {
        const unsigned char *data = out->data;
        size_t nbytes = out->nbytes;
        memset(out, 0, sizeof *out);
        out->data = data;
        out->nbytes = nbytes;
        return;
    }
    out->loaded = true;
}

int
cache_record_open(struct record_reader *rr, const struct cache_commit *rec)
{
    memset(rr, 0, sizeof *rr);
    rr->c = (struct cursor){ rec->rest, rec->bytes + rec->nbytes, true };
    rr->nauthors = get_count(&rr->c, 5);
    rr->authors = xcalloc(rr->nauthors ? rr->nauthors : 1,
                          sizeof *rr->authors);
    for (size_t i = 0; i < rr->nauthors; i++)
        rr->authors[i] = get_str(&rr->c);
    rr->left = get_count(&rr->c, 5 + 20 + 13 + 13 + 4);
    return rr->c.ok ? 0 : -1;
}

const struct cache_dated *
cache_record_next(struct record_reader *rr)
{
    struct cache_dated *f = &rr->file;
    const char *previous = f->path;
    if (!rr->left || !rr->c.ok)
        return NULL;
    rr->left--;
    f->path = get_str(&rr->c);
    f->id = get_bytes(&rr->c, GIT_OID_RAWSZ);
    f->created = get_date(&rr->c);
    f->updated = get_date(&rr->c);
    uint32_t who = get_u32(&rr->c);
    if (who != NO_AUTHOR && who >= rr->nauthors)
        rr->c.ok = false;
    f->author = who == NO_AUTHOR || !rr->c.ok ? NULL : rr->authors[who];
    /* In path order, each once, as put_record wrote them. */
    if (previous && strcmp(previous, f->path) >= 0)
        rr->c.ok = false;
    return rr->c.ok ? f : NULL;
}

bool
cache_record_done(struct record_reader *rr)
{
    bool whole = rr->c.ok && !rr->left && rr->c.p == rr->c.end;
    free(rr->authors);
    rr->authors = NULL;
    return whole;
}

/* Appends the record of the n files listed (paths, blob ids, dates), in
 * path order. */
static void
put_record(struct buf *b, const struct cache_commit *rec,
           struct source_file *const *files, size_t n)
{
    struct map *index = map_new();
    struct vec authors = VEC_INIT;
    size_t at = b->len;
    put_u32(b, 0); /* the record's length, filled in below */
    put_hex_id(b, rec->id);
    put_str(b, rec->prefix);
    put_u64(b, rec->shallow_key);
    /* Each author once: a site has few, and many files each. */
    for (size_t i = 0; i < n; i++)
        if (files[i]->author && !map_get(index, files[i]->author)) {
            vec_push(&authors, (void *)files[i]->author);
            map_put(index, files[i]->author, (void *)(uintptr_t)authors.len);
        }
    put_u32(b, (uint32_t)authors.len);
    for (size_t i = 0; i < authors.len; i++)
        put_str(b, authors.items[i]);
    put_u32(b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        const struct source_file *f = files[i];
        uintptr_t who = f->author ? (uintptr_t)map_get(index, f->author) : 0;
        put_str(b, f->path);
        put_hex_id(b, f->blob_id);
        put_date(b, f->created);
        put_date(b, f->updated);
        put_u32(b, who ? (uint32_t)(who - 1) : NO_AUTHOR);
    }
    uint32_t len = (uint32_t)(b->len - at - 4);
    for (int i = 0; i < 4; i++)
        b->data[at + (size_t)i] = (char)(len >> (8 * i));
    vec_dispose(&authors);
    map_free(index);
}

/* Appends the stat table and its strings: u's, or the old cache's bytes
 * as they were. */
static void
put_stats(struct buf *b, const struct cache_update *u)
{
    if (!u->stats) {
        put_u32(b, (uint32_t)u->old->nstats);
        buf_put(b, u->old->stat_table, u->old->nstats * STAT_BYTES);
        put_u32(b, (uint32_t)u->old->nstrings);
        buf_put(b, u->old->strings, u->old->nstrings);
        return;
    }
    struct buf strings = BUF_INIT;
    put_u32(b, (uint32_t)u->nstats);
    for (size_t i = 0; i < u->nstats; i++) {
        const struct cache_stat *s = &u->stats[i];
        size_t at = b->len;
        put_u32(b, (uint32_t)strings.len);
        buf_put(&strings, s->path, strlen(s->path) + 1);
        put_u32(b, s->rank);
        put_stat(b, s);
        buf_putc(b, s->tracked ? 1 : 0);
        buf_put(b, s->id.id, GIT_OID_RAWSZ);
        while (b->len < at + STAT_BYTES)
            buf_putc(b, 0);
    }
    put_u32(b, (uint32_t)strings.len);
    buf_put(b, strings.data, strings.len);
    buf_dispose(&strings);
}

/* The bytes of the new cache file into b. */
static void
serialize(struct buf *b, const struct cache_update *u)
{
    buf_put(b, CACHE_MAGIC, MAGIC_LEN);
    put_u32(b, CACHE_FORMAT);
    put_str(b, GZ_VERSION);
    put_u64(b, (uint64_t)u->scan_ns);
    put_str(b, u->root);
    put_stat(b, &u->index);
    put_stats(b, u);
    put_u32(b, (uint32_t)(u->record ? 1 : 0) + (uint32_t)u->nkept);
    if (u->record)
        put_record(b, u->record, u->files, u->nfiles);
    for (size_t i = 0; i < u->nkept; i++) {
        put_u32(b, (uint32_t)u->kept[i]->nbytes);
        buf_put(b, u->kept[i]->bytes, u->kept[i]->nbytes);
    }
    put_u64(b, hash64(b->data, b->len));
}

/* Maps the pages of fresh memory at p in one call (Linux 5.14 on; a no-op
 * before): touched one by one, each costs a fault, which on a virtual
 * machine adds up to more than the writing. */
static void
prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)p + n) & ~(page - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

int
cache_save(const struct cache_update *u, int dir_fd)
{
    struct buf b = BUF_INIT;
    /* About the size of the last one: no copy as it grows. */
    buf_grow(&b, (u->old ? u->old->nbytes : 0) + u->nstats * STAT_BYTES +
                     u->nfiles * 128 + 4096);
    prefault(b.data, b.cap);
    serialize(&b, u);
    int rc = fs_replace_at(dir_fd, CACHE_FILE, b.data, b.len);
    buf_dispose(&b);
    return rc;
}
