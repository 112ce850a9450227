/* write_floor FROM TO: the floor of writing a build's output. Copies the
 * tree FROM (a cold build's output folder, records and all) to the new
 * folder TO with nothing but mkdirat, openat, write and close, and prints
 * the CPU time (user + system) and wall time those calls took, in seconds:
 * "CPU WALL". Files are read into memory first, a batch of at most
 * BATCH_BYTES at a time, and only the writing of each batch is timed: what
 * any generator that writes this output file by file spends at least, on
 * this machine. For make bench (tests/bench.sh). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH_BYTES (256u << 20)

/* A folder to make or a file to write, by its path below TO. */
struct item {
    char *path;
    char *data; /* NULL for a folder */
    size_t len;
};

struct batch {
    struct item *items;
    size_t n, cap, bytes;
};

static double cpu_spent, wall_spent;

static void
die(const char *what, const char *path)
{
    fprintf(stderr, "write_floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static double
cpu_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static double
wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Writes the batch below the folder to and empties it: the timed part. */
static void
flush(struct batch *b, int to)
{
    double cpu = cpu_now(), wall = wall_now();
    for (size_t i = 0; i < b->n; i++) {
        struct item *it = &b->items[i];
        if (!it->data) {
            if (mkdirat(to, it->path, 0755) < 0)
                die("mkdir", it->path);
            continue;
        }
        int fd = openat(to, it->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                        0644);
        if (fd < 0)
            die("open", it->path);
        for (size_t done = 0; done < it->len;) {
            ssize_t w = write(fd, it->data + done, it->len - done);
            if (w < 0)
                die("write", it->path);
            done += (size_t)w;
        }
        if (close(fd) < 0)
            die("close", it->path);
    }
    cpu_spent += cpu_now() - cpu;
    wall_spent += wall_now() - wall;
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].path);
        free(b->items[i].data);
    }
    b->n = b->bytes = 0;
}

static void
add(struct batch *b, const char *path, char *data, size_t len)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4096;
        b->items = realloc(b->items, b->cap * sizeof *b->items);
        if (!b->items)
            die("memory for", path);
    }
    b->items[b->n++] = (struct item){ strdup(path), data, len };
    b->bytes += len;
}

/* Reads the file name of the folder dir (its path below FROM is rel). */
static char *
slurp(int dir, const char *name, const char *rel, size_t *len)
{
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        die("read", rel);
    char *data = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (data && got < (size_t)st.st_size) {
        ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
        if (r <= 0)
            die("read", rel);
        got += (size_t)r;
    }
    if (!data)
        die("memory for", rel);
    close(fd);
    *len = got;
    return data;
}

/* Queues the folder dir (rel below FROM, "" for FROM itself) and what it
 * holds, in the order it lists them, writing a batch whenever it is full:
 * a folder always comes before its entries. */
static void
walk(int dir, const char *rel, struct batch *b, int to)
{
    DIR *d = fdopendir(dir);
    if (!d)
        die("list", rel);
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "",
                 e->d_name);
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            die("stat", path);
        if (S_ISDIR(st.st_mode)) {
            add(b, path, NULL, 0);
            int sub = openat(dirfd(d), e->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                die("open", path);
            walk(sub, path, b, to);
        } else if (S_ISREG(st.st_mode)) {
            size_t len;
            char *data = slurp(dirfd(d), e->d_name, path, &len);
            add(b, path, data, len);
            if (b->bytes >= BATCH_BYTES)
                flush(b, to);
        }
    }
    closedir(d);
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: write_floor FROM TO\n");
        return 2;
    }
    int from = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (from < 0)
        die("open", argv[1]);
    if (mkdir(argv[2], 0755) < 0)
        die("mkdir", argv[2]);
    int to = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (to < 0)
        die("open", argv[2]);
    struct batch b = { 0 };
    walk(from, "", &b, to);
    flush(&b, to);
    free(b.items);
    printf("%.3f %.3f\n", cpu_spent, wall_spent);
    return 0;
}
