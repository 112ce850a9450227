/* pool.c: parses posts in worker processes. Each worker is handed a job
 * (the settings a parse reads and the files) and parses its share of the
 * posts under a CPU-time bound per post and a memory bound, and sends
 * each parsed post back through a pipe. A worker that crashes, runs out of
 * memory or time (in cmark-gfm, libyaml or our code) costs the post it was
 * on, reported by name, and a new worker takes the rest of its share. Being
 * processes, the workers also parse in parallel, which cmark-gfm's global
 * special-character table forbids to threads. Part of parse/. */
#include "parse.h"
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/jobs.h"
#include "../base/progress.h"
#include "../diag.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- The wire: a post and its diags as bytes ---------------------------
 * Numbers are varints: 7 bits a byte, low bits first, the top bit set on
 * all bytes but the last (most are line numbers and sizes: a byte, where
 * 8 made most of a record); the three that open a record are 8 bytes in
 * the host's order, read where they lie (both ends are one program, and
 * the cache is only read by the program that wrote it). A string is its
 * length + 1 (0 for NULL), its bytes and a NUL, so that a record kept in
 * the cache can lend its strings without a copy. A record is the post's
 * index and status, the size of its tail, its diags, every field of the
 * post but three, then the tail: the summary, the description and the
 * body, each its bytes and a NUL (nothing for NULL), their sizes in the
 * fields. The cache keeps the tail apart (cache.c): a rebuild reads every
 * post's fields, but these three only for the pages it makes again. */

static void
put_u64(struct buf *b, uint64_t v)
{
    char bytes[10];
    size_t n = 0;
    for (; v >= 0x80; v >>= 7)
        bytes[n++] = (char)(v | 0x80);
    bytes[n++] = (char)v;
    buf_put(b, bytes, n);
}

static void
put_fixed(struct buf *b, uint64_t v)
{
    buf_put(b, (const char *)&v, sizeof v);
}

static void
put_str(struct buf *b, const char *s)
{
    if (!s) {
        put_u64(b, 0);
        return;
    }
    size_t n = strlen(s);
    put_u64(b, n + 1);
    buf_put(b, s, n + 1);
}

/* The size of s in a record's tail: its bytes and NUL, 0 for NULL. */
static size_t
tail_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static void
put_located(struct buf *b, const struct located *l)
{
    put_str(b, l->text);
    put_u64(b, l->line);
    put_u64(b, l->col);
}

static void
put_time(struct buf *b, const struct timestamp *t)
{
    put_u64(b, (uint64_t)t->secs);
    put_u64(b, (uint64_t)(int64_t)t->offset_min);
    put_u64(b, t->set);
}

/* A parameter tree, written depth first without recursion: each node is
 * its kind, text and count, followed by its children (keys first). */
static void
put_params(struct buf *b, const struct param *root)
{
    struct vec todo = VEC_INIT;
    vec_push(&todo, (void *)root);
    while (todo.len) {
        const struct param *p = todo.items[--todo.len];
        put_u64(b, p ? p->kind + 1 : 0);
        if (!p)
            continue;
        put_str(b, p->text);
        put_u64(b, p->kind == PARAM_SCALAR ? 0 : p->len);
        for (size_t i = 0; p->kind == PARAM_MAP && i < p->len; i++)
            put_str(b, p->keys[i]);
        for (size_t i = p->kind == PARAM_SCALAR ? 0 : p->len; i-- > 0;)
            vec_push(&todo, p->items[i]); /* popped in order */
    }
    vec_dispose(&todo);
}

/* A text's links and ids. */
static void
put_anchors(struct buf *b, const struct anchors *an)
{
    put_u64(b, an->nlinks);
    for (size_t i = 0; i < an->nlinks; i++) {
        const struct link_use *u = &an->links[i];
        put_str(b, u->url);
        put_str(b, u->path);
        put_str(b, u->fragment);
        put_u64(b, u->line);
        put_u64(b, u->col);
        put_u64(b, u->kind);
        put_u64(b, (uint64_t)u->image | (uint64_t)u->to_post << 1);
        put_u64(b, u->at);
        put_u64(b, u->len);
        put_u64(b, u->summary_at);
    }
    put_u64(b, an->nids);
    for (size_t i = 0; i < an->nids; i++)
        put_str(b, an->ids[i]);
}

static void
put_post(struct buf *b, const struct post *p)
{
    put_str(b, p->folder);
    put_str(b, p->slug);
    put_located(b, &p->slug_at);
    put_str(b, p->title);
    put_time(b, &p->date);
    put_time(b, &p->updated);
    put_located(b, &p->date_at);
    put_u64(b, p->nchannels);
    for (size_t i = 0; i < p->nchannels; i++)
        put_located(b, &p->channels[i]);
    put_u64(b, p->ntags);
    for (size_t i = 0; i < p->ntags; i++) {
        put_str(b, p->tags[i].name);
        put_str(b, p->tags[i].slug);
        put_u64(b, p->tags[i].line);
        put_u64(b, p->tags[i].col);
    }
    /* A record written before the last two bits were, reads them as 0:
     * false, the safe side. */
    put_u64(b, (uint64_t)p->draft | (uint64_t)p->title_given << 1 |
                   (uint64_t)p->body_anywhere << 2 |
                   (uint64_t)p->summary_anywhere << 3);
    put_str(b, p->lang);
    put_u64(b, tail_size(p->summary_html));
    put_u64(b, tail_size(p->description));
    put_anchors(b, &p->anchors);
    put_params(b, p->params);
    put_u64(b, p->nunknown);
    for (size_t i = 0; i < p->nunknown; i++)
        put_located(b, &p->unknown[i]);
    put_located(b, &p->url);
    put_u64(b, p->naliases);
    for (size_t i = 0; i < p->naliases; i++)
        put_located(b, &p->aliases[i]);
    put_str(b, p->author);
    put_u64(b, p->ntoc);
    for (size_t i = 0; i < p->ntoc; i++) {
        put_u64(b, (uint64_t)p->toc[i].level);
        put_str(b, p->toc[i].id);
        put_str(b, p->toc[i].text);
    }
    put_fixed(b, p->listed[0]);
    put_fixed(b, p->listed[1]);
}

/* Reading: a cursor over one record; a short record sets bad. With
 * borrow, strings point into the record, which outlives the post. */
struct reader {
    const char *p, *end;
    struct arena *a;
    bool bad, borrow;
};

static uint64_t
get_u64(struct reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; r->p < r->end && shift < 64; shift += 7) {
        unsigned char c = (unsigned char)*r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    r->bad = true; /* cut short, or longer than 64 bits */
    return 0;
}

static uint64_t
get_fixed(struct reader *r)
{
    uint64_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static const char *
get_str(struct reader *r)
{
    uint64_t n = get_u64(r);
    if (n == 0)
        return NULL;
    if (n > (uint64_t)(r->end - r->p) || r->p[n - 1] != '\0') {
        r->bad = true;
        return NULL;
    }
    const char *s = r->borrow ? r->p
                              : arena_strndup(r->a, r->p, (size_t)(n - 1));
    r->p += n;
    return s;
}

static struct located
get_located(struct reader *r)
{
    struct located l;
    l.text = get_str(r);
    l.line = (unsigned)get_u64(r);
    l.col = (unsigned)get_u64(r);
    return l;
}

static struct timestamp
get_time(struct reader *r)
{
    struct timestamp t;
    t.secs = (int64_t)get_u64(r);
    t.offset_min = (int)(int64_t)get_u64(r);
    t.set = get_u64(r) != 0;
    return t;
}

/* A count of items of size numbers (a byte each at least) each that the
 * record can still hold. */
static size_t
get_count(struct reader *r, size_t size)
{
    uint64_t n = get_u64(r);
    if (n > (uint64_t)(r->end - r->p) / size) {
        r->bad = true;
        return 0;
    }
    return (size_t)n;
}

static struct param *
get_params(struct reader *r)
{
    struct param *root = NULL;
    struct vec todo = VEC_INIT; /* slots (struct param **) to fill */
    vec_push(&todo, &root);
    while (todo.len && !r->bad) {
        struct param **slot = todo.items[--todo.len];
        uint64_t kind = get_u64(r);
        if (kind == 0 || kind > PARAM_MAP + 1) {
            r->bad = kind != 0;
            continue;
        }
        struct param *p = arena_alloc(r->a, sizeof *p);
        p->kind = (enum param_kind)(kind - 1);
        p->text = get_str(r);
        p->len = p->cap = get_count(r, 1);
        p->items = arena_alloc(r->a, (p->len + 1) * sizeof *p->items);
        if (p->kind == PARAM_MAP) {
            p->keys = arena_alloc(r->a, (p->len + 1) * sizeof *p->keys);
            for (size_t i = 0; i < p->len; i++)
                p->keys[i] = get_str(r);
        }
        for (size_t i = p->len; i-- > 0;)
            vec_push(&todo, &p->items[i]);
        *slot = p;
    }
    vec_dispose(&todo);
    return root;
}

static void
get_anchors(struct reader *r, struct anchors *an)
{
    an->nlinks = get_count(r, 10);
    an->nto_post = 0;
    an->relative = false;
    an->links = arena_alloc(r->a, (an->nlinks + 1) * sizeof *an->links);
    for (size_t i = 0; i < an->nlinks; i++) {
        struct link_use *u = &an->links[i];
        u->url = get_str(r);
        u->path = get_str(r);
        u->fragment = get_str(r);
        u->line = (unsigned)get_u64(r);
        u->col = (unsigned)get_u64(r);
        uint64_t kind = get_u64(r);
        u->kind = kind <= LINK_RELATIVE ? (enum link_kind)kind : LINK_OTHER;
        uint64_t flags = get_u64(r);
        u->image = flags & 1;
        u->to_post = flags >> 1 & 1;
        u->at = (size_t)get_u64(r);
        u->len = (size_t)get_u64(r);
        u->summary_at = (size_t)get_u64(r);
        an->nto_post += u->to_post;
        an->relative |= u->kind == LINK_RELATIVE;
    }
    an->nids = get_count(r, 1);
    an->ids = arena_alloc(r->a, (an->nids + 1) * sizeof *an->ids);
    for (size_t i = 0; i < an->nids; i++)
        an->ids[i] = get_str(r);
}

/* tail: the sizes of the summary and the description, read from the
 * record's tail with the body (see read_record). */
static void
get_post(struct reader *r, struct post *p, size_t tail[2])
{
    p->folder = get_str(r);
    p->slug = get_str(r);
    p->slug_at = get_located(r);
    p->title = get_str(r);
    p->date = get_time(r);
    p->updated = get_time(r);
    p->date_at = get_located(r);
    p->nchannels = get_count(r, 3);
    p->channels = arena_alloc(r->a, (p->nchannels + 1) * sizeof *p->channels);
    for (size_t i = 0; i < p->nchannels; i++)
        p->channels[i] = get_located(r);
    p->ntags = get_count(r, 4);
    p->tags = arena_alloc(r->a, (p->ntags + 1) * sizeof *p->tags);
    for (size_t i = 0; i < p->ntags; i++) {
        p->tags[i].name = get_str(r);
        p->tags[i].slug = get_str(r);
        p->tags[i].line = (unsigned)get_u64(r);
        p->tags[i].col = (unsigned)get_u64(r);
    }
    uint64_t flags = get_u64(r);
    p->draft = flags & 1;
    p->title_given = flags >> 1 & 1;
    p->body_anywhere = flags >> 2 & 1;
    p->summary_anywhere = flags >> 3 & 1;
    p->lang = get_str(r);
    tail[0] = (size_t)get_u64(r);
    tail[1] = (size_t)get_u64(r);
    get_anchors(r, &p->anchors);
    p->params = get_params(r);
    p->nunknown = get_count(r, 3);
    p->unknown = arena_alloc(r->a, (p->nunknown + 1) * sizeof *p->unknown);
    for (size_t i = 0; i < p->nunknown; i++)
        p->unknown[i] = get_located(r);
    p->url = get_located(r);
    p->naliases = get_count(r, 3);
    p->aliases = arena_alloc(r->a, (p->naliases + 1) * sizeof *p->aliases);
    for (size_t i = 0; i < p->naliases; i++)
        p->aliases[i] = get_located(r);
    p->author = get_str(r);
    p->ntoc = get_count(r, 3);
    p->toc = arena_alloc(r->a, (p->ntoc + 1) * sizeof *p->toc);
    for (size_t i = 0; i < p->ntoc; i++) {
        p->toc[i].level = (int)get_u64(r);
        p->toc[i].id = get_str(r);
        p->toc[i].text = get_str(r);
    }
    p->listed[0] = get_fixed(r);
    p->listed[1] = get_fixed(r);
}

/* ---- Workers ------------------------------------------------------------ */

/* The posts to parse: todo[0..ntodo) index files (and out, status). */
struct job {
    const struct source_file *const *files;
    const size_t *todo;
    const struct site_config *cfg;
    struct post *out;
    int *status;
    struct post_cache *cache;
    uint64_t (*keys)[2];  /* per file: its digest */
    bool *kept;           /* per file: its record is in the cache */
};

/* ---- The job: what a worker is handed -------------------------------------
 * A worker is this program started afresh (/proc/self/exe parse-worker),
 * not a fork of the build: after a fork, both processes fault on each
 * page they write, and a build holds tens of MiB by then (started afresh,
 * a one-post rebuild of 10,000 posts takes 15 ms less, 35 ms less CPU
 * time). So a worker is handed its job as bytes, in a memfd: the settings
 * a parse reads (limits, unsafe_html, hashtags, base_path, the channels'
 * hashtags: a setting parse/ comes to read must be added here) and the
 * files to parse, in todo order, in the wire's encoding. */

#define JOB_MAGIC "gazette job 1\n\0\0" /* 16 bytes */

/* Appends b to fd and empties it; false when the write fails. */
static bool
job_flush(int fd, struct buf *b)
{
    bool ok = fs_write_all(fd, b->data, b->len) == 0;
    buf_clear(b);
    return ok;
}

/* Writes the job of posts todo[0..n) of job->files into the empty file
 * fd; -1 with errno. */
static int
job_write(const struct job *job, size_t n, int fd)
{
    const struct site_config *cfg = job->cfg;
    const struct site_limits *l = &cfg->limits;
    const struct channel_hashtags *t = cfg->channel_hashtags;
    struct buf b = BUF_INIT;
    buf_put(&b, JOB_MAGIC, 16);
    put_u64(&b, l->front_matter_bytes);
    put_u64(&b, l->post_bytes);
    put_u64(&b, l->page_bytes);
    put_u64(&b, l->yaml_depth);
    put_u64(&b, l->parse_seconds);
    put_u64(&b, l->parse_memory);
    put_u64(&b, cfg->unsafe_html);
    put_u64(&b, cfg->hashtags);
    put_str(&b, cfg->base_path);
    put_u64(&b, t ? t->len : 0);
    for (size_t i = 0; t && i < t->len; i++) {
        put_str(&b, t->items[i].channel);
        put_u64(&b, t->items[i].mode);
    }
    put_u64(&b, n);
    /* each file's fields, then all the bytes: a worker reads every file's
     * fields but only its own share's bytes */
    for (size_t i = 0; i < n; i++) {
        const struct source_file *f = job->files[job->todo[i]];
        put_str(&b, f->path);
        put_u64(&b, f->data ? f->len + 1 : 0); /* the bytes may hold NULs */
        put_str(&b, f->blob_id);
        put_time(&b, &f->created);
        put_time(&b, &f->updated);
        put_time(&b, &f->mtime);
        put_str(&b, f->author);
        put_u64(&b, (uint64_t)f->dirty | (uint64_t)f->too_big << 1);
        put_u64(&b, f->size);
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const struct source_file *f = job->files[job->todo[i]];
        if (f->data) {
            buf_put(&b, f->data, f->len);
            buf_putc(&b, '\0');
        }
        if (b.len >= 1 << 20) /* a cold build's job is the whole site */
            ok = job_flush(fd, &b);
    }
    if (!ok || !job_flush(fd, &b)) {
        int err = errno;
        buf_dispose(&b);
        errno = err;
        return -1;
    }
    buf_dispose(&b);
    return 0;
}

/* Reads the job in fd (mapped: strings and bytes lie in the mapping, for
 * the worker's life) into *job, *cfg and the arena; -1 when it is not
 * one. The todo list is the files in order. */
static int
job_read(int fd, struct job *job, struct site_config *cfg, struct arena *a)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < 16)
        return -1;
    const char *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
                         fd, 0);
    if (m == MAP_FAILED || memcmp(m, JOB_MAGIC, 16))
        return -1;
    struct reader r = { m + 16, m + st.st_size, a, false, true };
    struct site_limits *l = &cfg->limits;
    l->front_matter_bytes = (size_t)get_u64(&r);
    l->post_bytes = (size_t)get_u64(&r);
    l->page_bytes = (size_t)get_u64(&r);
    l->yaml_depth = (unsigned)get_u64(&r);
    l->parse_seconds = (unsigned)get_u64(&r);
    l->parse_memory = (size_t)get_u64(&r);
    cfg->unsafe_html = get_u64(&r) != 0;
    cfg->hashtags = (enum hashtag_source)get_u64(&r);
    cfg->base_path = get_str(&r);
    struct channel_hashtags *t = arena_alloc(a, sizeof *t);
    t->a = a;
    t->len = t->cap = get_count(&r, 2);
    t->items = arena_alloc(a, (t->len + 1) * sizeof *t->items);
    for (size_t i = 0; i < t->len; i++) {
        t->items[i].channel = get_str(&r);
        t->items[i].mode = (enum hashtag_source)get_u64(&r);
    }
    cfg->channel_hashtags = t;
    size_t n = get_count(&r, 15);
    struct source_file *files = arena_alloc(a, (n + 1) * sizeof *files);
    const struct source_file **ptrs = arena_alloc(a, (n + 1) * sizeof *ptrs);
    size_t *todo = arena_alloc(a, (n + 1) * sizeof *todo);
    uint64_t *lens = arena_alloc(a, (n + 1) * sizeof *lens);
    for (size_t i = 0; i < n && !r.bad; i++) {
        struct source_file *f = &files[i];
        f->path = get_str(&r);
        lens[i] = get_u64(&r);
        const char *blob = get_str(&r);
        snprintf(f->blob_id, sizeof f->blob_id, "%s", blob ? blob : "");
        f->created = get_time(&r);
        f->updated = get_time(&r);
        f->mtime = get_time(&r);
        f->author = get_str(&r);
        uint64_t flags = get_u64(&r);
        f->dirty = flags & 1;
        f->too_big = flags >> 1 & 1;
        f->size = (size_t)get_u64(&r);
        ptrs[i] = f;
        todo[i] = i;
    }
    for (size_t i = 0; i < n && !r.bad; i++) {
        uint64_t len = lens[i];
        if (len > (uint64_t)(r.end - r.p) || (len && r.p[len - 1])) {
            r.bad = true;
            break;
        }
        files[i].data = len ? r.p : NULL;
        files[i].len = len ? (size_t)len - 1 : 0;
        r.p += len;
    }
    job->files = ptrs;
    job->todo = todo;
    job->cfg = cfg;
    return r.bad || r.p != r.end || !cfg->base_path ? -1 : 0;
}


/* Posts are dealt to the workers PARSE_CHUNK at a time, in turn, so that
 * no worker gets a costly folder (long posts, much code) to itself. */
#define PARSE_CHUNK 32

/* The post after i in the share of a worker among jobs. */
static size_t
share_next(size_t i, int jobs)
{
    i++;
    return i % PARSE_CHUNK ? i : i + (size_t)(jobs - 1) * PARSE_CHUNK;
}

/* A worker: the next post of its share (below end), its process and
 * pipe. */
struct worker {
    size_t next, end;
    int jobs;
    pid_t pid;
    int fd;
    struct buf in; /* bytes read, not yet a whole record */
};

/* The worker process: parses its share of the posts from post from on,
 * below to, each as one record (length, index, status, diags, post), and
 * exits. */
static void
worker_main(const struct job *job, size_t from, size_t to, int jobs, int fd)
{
    const struct site_limits *lim = &job->cfg->limits;
    struct rlimit rl;
#ifndef __SANITIZE_ADDRESS__ /* its shadow memory is address space too */
    long pages = 0, page = sysconf(_SC_PAGESIZE);
    FILE *statm = fopen("/proc/self/statm", "r");
    if (statm && fscanf(statm, "%ld", &pages) == 1) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)page +
                                    lim->parse_memory;
        setrlimit(RLIMIT_AS, &rl);
    }
    if (statm)
        fclose(statm);
#endif
    rl.rlim_cur = rl.rlim_max = 0; /* a crash leaves no core file */
    setrlimit(RLIMIT_CORE, &rl);
    signal(SIGPROF, SIG_DFL);
    /* Ctrl-C stops a worker at once: the build (which may catch it to
     * keep its output whole, see write/) sees it die of it. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    /* What a worker has to say goes through the pipe; a library dying of
     * a bound ("[cmark] calloc returned null") is reported by the parent. */
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0)
        dup2(null, STDERR_FILENO);
    struct arena *a = arena_new();
    struct buf rec = BUF_INIT;
    for (size_t i = from; i < to; i = share_next(i, jobs)) {
        struct itimerval t = { { 0, 0 }, { lim->parse_seconds, 0 } };
        setitimer(ITIMER_PROF, &t, NULL); /* SIGPROF ends us past it */
        struct diags d;
        diags_init(&d);
        struct post p;
        int status = parse_post(&p, job->files[job->todo[i]], job->cfg, a,
                                &d);
        struct itimerval off = { { 0, 0 }, { 0, 0 } };
        setitimer(ITIMER_PROF, &off, NULL);
        buf_clear(&rec);
        put_fixed(&rec, 0); /* the length, set below */
        put_fixed(&rec, i);
        put_fixed(&rec, (uint64_t)(int64_t)status);
        const char *tail[] = { p.summary_html, p.description, p.body_html };
        size_t ntail = 0;
        for (size_t k = 0; k < 3; k++)
            ntail += tail_size(tail[k]);
        put_fixed(&rec, ntail);
        put_u64(&rec, d.len);
        for (size_t k = 0; k < d.len; k++) {
            put_u64(&rec, d.items[k].kind);
            put_str(&rec, d.items[k].path);
            put_u64(&rec, d.items[k].line);
            put_u64(&rec, d.items[k].col);
            put_str(&rec, d.items[k].msg);
        }
        put_post(&rec, &p);
        for (size_t k = 0; k < 3; k++)
            buf_put(&rec, tail[k], tail_size(tail[k]));
        uint64_t len = rec.len - sizeof len;
        memcpy(rec.data, &len, sizeof len);
        diags_dispose(&d);
        arena_clear(a);
        if (fs_write_all(fd, rec.data, rec.len) < 0)
            _exit(1);
    }
    _exit(0);
}

/* The program workers are started as; NULL: they are forked. */
static const char *worker_program;

void
parse_start_workers_as(const char *program)
{
    worker_program = program;
}

/* A worker's process, before it is given its share: started on stdin
 * job_fd, its results on stdout, its share on fd 3 (from, end, jobs; or
 * nothing, then it exits). */
struct started {
    pid_t pid;
    int results, control; /* the pipes' ends of the build */
};

/* Starts a worker: worker_program, with its signals as a fresh process has
 * them whatever the build's threads block or catch; else (or when it
 * cannot be started) a fork. -1 with errno. */
static int
start_worker(struct started *out, int job_fd)
{
    int res[2], ctl[2];
    if (pipe2(res, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(ctl, O_CLOEXEC) < 0) {
        close(res[0]);
        close(res[1]);
        return -1;
    }
    char parent[24];
    snprintf(parent, sizeof parent, "%ld", (long)getpid());
    char *argv[] = { "gazette", PARSE_WORKER_COMMAND, parent, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, job_fd, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, res[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, ctl[0], 3);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none, deflt;
    sigemptyset(&none);
    sigfillset(&deflt);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &deflt);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
                             POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    if (!worker_program ||
        posix_spawn(&pid, worker_program, &fa, &at, argv, environ) != 0) {
        fflush(NULL);
        pid = fork();
        if (pid == 0) { /* no exec closes the build's ends here */
            close(res[0]);
            close(ctl[1]);
            if (dup2(job_fd, STDIN_FILENO) < 0 ||
                dup2(res[1], STDOUT_FILENO) < 0 || dup2(ctl[0], 3) < 0)
                _exit(1);
            _exit(parse_worker(2, argv + 1));
        }
    }
    int err = errno;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(res[1]);
    close(ctl[0]);
    if (pid < 0) {
        close(res[0]);
        close(ctl[1]);
        errno = err;
        return -1;
    }
    *out = (struct started){ pid, res[0], ctl[1] };
    return 0;
}

/* Gives the started process s w's share: w then reads its results and
 * reaps it. */
static void
give_share(const struct started *s, struct worker *w)
{
    char share[80];
    int n = snprintf(share, sizeof share, "%zu %zu %d\n", w->next, w->end,
                     w->jobs);
    /* a worker that died before its share is seen dead on its post */
    (void)fs_write_all(s->control, share, (size_t)n);
    close(s->control);
    w->pid = s->pid;
    w->fd = s->results;
    buf_clear(&w->in);
}

/* Starts w's process on its share of the job in job_fd. */
static int
worker_start(struct worker *w, int job_fd, struct diags *d)
{
    struct started s;
    if (start_worker(&s, job_fd) < 0)
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                         "a parse worker cannot be started: %s",
                         strerror(errno));
    give_share(&s, w);
    return 0;
}

/* A worker started before the build knows what to parse, so that its
 * start (5 to 10 ms: loading, relocating) is done on the core the scan of
 * the source leaves idle. */
struct parse_prestart {
    struct started s;
    int job_fd; /* its stdin: a memfd, filled when the job is known */
    bool taken; /* by run_workers, which reaps it */
};

struct parse_prestart *
parse_prestart(void)
{
    struct parse_prestart p = { .job_fd = -1 };
    if (!worker_program ||
        (p.job_fd = memfd_create("gazette-parse-job", MFD_CLOEXEC)) < 0)
        return NULL;
    if (start_worker(&p.s, p.job_fd) < 0) {
        close(p.job_fd);
        return NULL;
    }
    struct parse_prestart *out = xmalloc(sizeof *out);
    *out = p;
    return out;
}

void
parse_prestart_end(struct parse_prestart *p)
{
    if (!p)
        return;
    close(p->job_fd);
    if (!p->taken) { /* no share: it reads the end of fd 3 and exits */
        close(p->s.control);
        close(p->s.results);
        while (waitpid(p->s.pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    free(p);
}

int
parse_worker(int argc, char **argv)
{
    /* a worker outlives no build, even one killed with SIGKILL */
    if (argc != 2 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
        getppid() != atol(argv[1]))
        return 1;
    char share[80];
    size_t len = 0;
    ssize_t got;
    while (len < sizeof share - 1 && !memchr(share, '\n', len) &&
           (got = read(3, share + len, sizeof share - 1 - len)) != 0)
        if (got > 0)
            len += (size_t)got;
        else if (errno != EINTR)
            return 1;
    share[len] = '\0';
    if (!len)
        return 0; /* nothing to parse */
    size_t from, end;
    int jobs;
    if (sscanf(share, "%zu %zu %d", &from, &end, &jobs) != 3 || jobs < 1)
        return 1;
    struct site_config cfg = { 0 };
    struct job job = { 0 };
    if (job_read(STDIN_FILENO, &job, &cfg, arena_new()) < 0)
        return 1;
    worker_main(&job, from, end, jobs, STDOUT_FILENO);
    return 0; /* not reached: worker_main exits */
}

/* The size of a record's tail (see the wire), which a whole record
 * (whole) holds; 0 when the record is too short for it. */
static size_t
body_size(const char *rec, size_t len, bool whole)
{
    uint64_t n = 0;
    if (len >= 3 * sizeof n)
        memcpy(&n, rec + 2 * sizeof n, sizeof n);
    return !whole || n <= len - 3 * sizeof n ? (size_t)n : 0;
}

/* Reads a record (after its length) into *p, status and d; -1 when it
 * is damaged. The tail is at body, body_len bytes, which the tail size
 * the record gives must be (NULL: the record's own last bytes);
 * with borrow, the strings are lent, and the tail is not even looked at,
 * so that a build that shows a post's summary, description and body only
 * on pages it keeps never brings them into memory (a damaged tail could
 * run into the next one: the cache's packs end in a zero). */
static int
read_record(const char *data, size_t len, const char *body, size_t body_len,
            bool borrow, struct post *p, int *status, struct arena *a,
            struct diags *d)
{
    size_t nbody = body_size(data, len, !body);
    if (body && nbody != body_len) /* its parts are found by their sizes */
        return -1;
    struct reader r = { data, data + len - (body ? 0 : nbody), a, false,
                        borrow };
    get_fixed(&r); /* the worker's index, checked by take_records */
    *status = (int)(int64_t)get_fixed(&r);
    get_fixed(&r); /* the tail's size: body_size */
    size_t nd = get_count(&r, 5);
    for (size_t k = 0; k < nd && !r.bad; k++) {
        enum diag_kind kind = (enum diag_kind)get_u64(&r);
        const char *path = get_str(&r);
        unsigned line = (unsigned)get_u64(&r), col = (unsigned)get_u64(&r);
        const char *msg = get_str(&r);
        if (!r.bad)
            diags_add(d, kind, path, line, col, "%s", msg ? msg : "");
    }
    const char *path = p->path;
    memset(p, 0, sizeof *p);
    size_t size[3];
    get_post(&r, p, size);
    p->path = path;
    if (size[0] > nbody || size[1] > nbody - size[0])
        return -1;
    size[2] = nbody - size[0] - size[1];
    const char **tail[] = { &p->summary_html, &p->description,
                            &p->body_html };
    const char *at = body ? body : r.end;
    for (size_t k = 0; k < 3; at += size[k], k++)
        if (size[k])
            *tail[k] = borrow ? at : arena_strndup(a, at, size[k] - 1);
    return r.bad || r.p != r.end ? -1 : 0;
}

/* Takes the whole records out of w->in: a post parsed well goes to the
 * cache, to be read from there with the posts found in it; any other is
 * read at once. */
static void
take_records(struct worker *w, const struct job *job, struct arena *a,
             struct diags *d)
{
    size_t at = 0;
    for (;;) {
        uint64_t len;
        if (w->in.len - at < sizeof len)
            break;
        memcpy(&len, w->in.data + at, sizeof len);
        if (w->in.len - at - sizeof len < len)
            break;
        const char *rec = w->in.data + at + sizeof len;
        at += sizeof len + len;
        uint64_t i, status;
        if (len < 2 * sizeof i)
            break; /* cannot happen: the worker is this program */
        memcpy(&i, rec, sizeof i);
        memcpy(&status, rec + sizeof i, sizeof status);
        if (i != w->next)
            break;
        size_t f = job->todo[i];
        if (status == 0 && job->cache &&
            post_cache_add(job->cache, job->keys[f], rec, (size_t)len,
                           body_size(rec, (size_t)len, true)))
            job->kept[f] = true;
        else if (read_record(rec, (size_t)len, NULL, 0, false, &job->out[f],
                             &job->status[f], a, d) < 0)
            job->status[f] = -1;
        w->next = share_next(w->next, w->jobs);
        progress_advance(1);
    }
    memmove(w->in.data, w->in.data + at, w->in.len - at);
    w->in.len -= at;
}

/* Reports the post a worker died on, by how it died. */
static void
report_death(int how, const struct job *job, size_t i, struct diags *d)
{
    const char *path = job->files[job->todo[i]]->path;
    const struct site_limits *lim = &job->cfg->limits;
    if (WIFSIGNALED(how) && WTERMSIG(how) == SIGPROF)
        diags_add(d, DIAG_CONTENT, path, 0, 0,
                  "parsing took more than %u s of CPU time, the bound set by "
                  "limits.parse_seconds", lim->parse_seconds);
    else if (WIFSIGNALED(how) && WTERMSIG(how) == SIGABRT)
        diags_add(d, DIAG_CONTENT, path, 0, 0,
                  "parsing needed more than %zu MiB of memory (limits."
                  "parse_mib) or failed inside a library", lim->parse_memory >> 20);
    else if (WIFSIGNALED(how))
        diags_add(d, DIAG_CONTENT, path, 0, 0,
                  "parsing crashed (signal %d, %s); the rest of the site was "
                  "parsed", WTERMSIG(how), strsignal(WTERMSIG(how)));
    else
        diags_add(d, DIAG_SYSTEM, path, 0, 0,
                  "a parse worker stopped (status %d)", WEXITSTATUS(how));
    job->status[job->todo[i]] = -1;
}

/* Parses job's todo list in jobs worker processes. */
static int
run_workers(const struct job *job, size_t n, struct parse_prestart *pre,
            int jobs, struct arena *a, struct diags *d)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    if (!n)
        return 0;
    if (pre && pre->taken)
        pre = NULL; /* one build, one parse */
    int job_fd = pre ? pre->job_fd : memfd_create("gazette-parse-job",
                                                  MFD_CLOEXEC);
    if (job_fd < 0 || job_write(job, n, job_fd) < 0) {
        int err = errno;
        if (job_fd >= 0 && !pre)
            close(job_fd);
        return diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                         "the posts to parse cannot be handed to a worker: "
                         "%s", strerror(err));
    }
    struct worker *w = xcalloc((size_t)jobs, sizeof *w);
    struct pollfd *pf = xcalloc((size_t)jobs, sizeof *pf);
    int rc = 0, alive = 0;
    for (int k = 0; k < jobs; k++) {
        w[k].next = (size_t)k * PARSE_CHUNK;
        w[k].end = n;
        w[k].jobs = jobs;
        w[k].fd = -1;
        if (w[k].next >= w[k].end)
            continue;
        if (k == 0 && pre) {
            give_share(&pre->s, &w[k]);
            pre->taken = true;
        } else if (worker_start(&w[k], job_fd, d) < 0)
            rc = -1;
        if (w[k].fd >= 0)
            alive++;
    }
    while (alive > 0 && rc == 0) {
        for (int k = 0; k < jobs; k++)
            pf[k] = (struct pollfd){ w[k].fd, POLLIN, 0 };
        if (poll(pf, (nfds_t)jobs, -1) < 0 && errno != EINTR)
            rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0, "poll: %s",
                           strerror(errno));
        for (int k = 0; k < jobs && rc == 0; k++) {
            if (w[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP)))
                continue;
            buf_grow(&w[k].in, 65536);
            ssize_t got = read(w[k].fd, w[k].in.data + w[k].in.len, 65536);
            if (got < 0 && errno == EINTR)
                continue;
            if (got > 0) {
                w[k].in.len += (size_t)got;
                take_records(&w[k], job, a, d);
                continue;
            }
            /* End of its pipe: done, or dead on post w[k].next. */
            close(w[k].fd);
            w[k].fd = -1;
            int how = 0;
            while (waitpid(w[k].pid, &how, 0) < 0 && errno == EINTR)
                ;
            alive--;
            int sig = WIFSIGNALED(how) ? WTERMSIG(how) : 0;
            if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
                rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                               "interrupted (signal %d) while parsing", sig);
                break;
            }
            if (w[k].next < w[k].end) {
                report_death(how, job, w[k].next, d);
                w[k].next = share_next(w[k].next, jobs);
                if (w[k].next < w[k].end) {
                    if (worker_start(&w[k], job_fd, d) < 0)
                        rc = -1;
                    else
                        alive++;
                }
            }
        }
    }
    for (int k = 0; k < jobs; k++) {
        if (w[k].fd >= 0) {
            close(w[k].fd);
            kill(w[k].pid, SIGKILL);
            waitpid(w[k].pid, NULL, 0);
        }
        buf_dispose(&w[k].in);
    }
    free(w);
    free(pf);
    if (!pre)
        close(job_fd); /* else parse_prestart_end's */
    return rc;
}

/* The posts kept in the cache, found and read on jobs threads (10,000
 * of them are a tenth of a rebuild), each with an arena of its own. */
struct kept_read {
    const struct job *job;
    size_t n;
    bool *damaged;
    struct arena **arenas;
    struct diags *d;
};

/* Posts a worker takes at once: their records are all looked up first,
 * so that the lookups' cache misses overlap, and each record is asked for
 * a few posts before it is read. */
#define KEPT_CHUNK 64

static void
read_some_kept(size_t k, int worker, void *payload)
{
    struct kept_read *kr = payload;
    const struct job *job = kr->job;
    struct {
        const char *rec, *body;
        size_t len, body_len;
    } at[KEPT_CHUNK];
    size_t from = k * KEPT_CHUNK;
    size_t n = kr->n - from < KEPT_CHUNK ? kr->n - from : KEPT_CHUNK;
    for (size_t i = 0; i < n; i++)
        at[i].rec = job->kept[from + i]
                        ? post_cache_find(job->cache, job->keys[from + i],
                                          &at[i].len, &at[i].body,
                                          &at[i].body_len)
                        : NULL;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && at[i + 2].rec)
            __builtin_prefetch(at[i + 2].rec);
        if (!job->kept[from + i])
            continue;
        kr->damaged[from + i] =
            !at[i].rec ||
            read_record(at[i].rec, at[i].len, at[i].body, at[i].body_len,
                        true, &job->out[from + i], &job->status[from + i],
                        kr->arenas[worker], kr->d) < 0;
    }
}

static int
read_kept(const struct job *job, size_t n, int jobs, struct arena *a,
          struct diags *d)
{
    if (jobs < 1)
        jobs = 1;
    struct kept_read k = {
        job, n, arena_alloc(a, (n + 1) * sizeof *k.damaged),
        arena_alloc(a, (size_t)jobs * sizeof *k.arenas), d };
    for (int w = 0; w < jobs; w++)
        k.arenas[w] = arena_new();
    jobs_run((n + KEPT_CHUNK - 1) / KEPT_CHUNK, jobs, read_some_kept, &k);
    for (int w = 0; w < jobs; w++)
        arena_adopt(a, k.arenas[w]);
    for (size_t i = 0; i < n; i++)
        if (k.damaged[i]) /* one says it: the fix is one for all */
            return diags_add(d, DIAG_SYSTEM, job->files[i]->path, 0, 0,
                             "its parse in the cache of parsed posts is "
                             "damaged: remove the output folder's "
                             ".gazette/cache/ and build again");
    return 0;
}

/* Each file's key, and whether the cache has its parse (which marks it
 * used), on jobs threads: the keys are files' digests, the lookups read
 * the cache's table. */
static void
find_one(size_t i, int worker, void *payload)
{
    (void)worker;
    const struct job *job = payload;
    post_cache_key(job->cache, job->files[i], job->keys[i]);
    job->kept[i] = job->cache && post_cache_find(job->cache, job->keys[i],
                                                 NULL, NULL, NULL);
}

int
parse_posts(struct post *out, int *status,
            const struct source_file *const *files, size_t n,
            const struct parse_source *from, const struct site_config *cfg,
            struct post_cache *cache, struct parse_prestart *pre, int jobs,
            struct arena *a, struct diags *d)
{
    uint64_t(*keys)[2] = arena_alloc(a, (n + 1) * sizeof *keys);
    bool *kept = arena_alloc(a, (n + 1) * sizeof *kept);
    size_t *todo = arena_alloc(a, (n + 1) * sizeof *todo), ntodo = 0;
    struct job job = { files, todo, cfg, out, status, cache, keys, kept };
    jobs_run(n, jobs, find_one, &job);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        status[i] = -1; /* until its worker sends it */
        out[i].path = files[i]->path;
        if (kept[i]) {
            progress_advance(1);
            continue;
        }
        todo[ntodo++] = i;
        if (files[i]->unread && from &&
            from->load((struct source_file *)files[i], from->payload) < 0)
            rc = -1;
    }
    if (rc == 0)
        rc = run_workers(&job, ntodo, pre, jobs, a, d);
    /* The posts kept in the cache, found or just added, are read from
     * it, their strings lent by it. */
    if (rc == 0 && cache && post_cache_map(cache) < 0)
        rc = diags_add(d, DIAG_SYSTEM, NULL, 0, 0,
                       "the cache of parsed posts cannot be read: %s",
                       strerror(errno));
    if (rc == 0)
        rc = read_kept(&job, n, jobs, a, d);
    for (size_t i = 0; i < n; i++) {
        memcpy(out[i].digest, keys[i], sizeof keys[i]);
        if (status[i] < 0)
            rc = -1;
    }
    return rc;
}
