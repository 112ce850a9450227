/* highlight_driver.c: runs the code highlighter over files, for the fidelity
 * script (tests/highlight_fidelity.py) and the benchmark
 * (tests/bench_highlight.py). Not part of gazette.
 *
 *   highlight_driver LANG FILE...          for each file, a header line
 *       "== <html bytes> <path>\n", then the HTML and a "\n"
 *   highlight_driver --bench LANG FILE...  prints the throughput of
 *       highlighting the files held in memory, I/O excluded, best of rounds
 *   highlight_driver --check LANG FILE...  for each file, a line "<CPU
 *       seconds of highlighting it> <ok|differs> <path>": ok when the HTML,
 *       its tags stripped and unescaped, gives the file back byte for byte */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../generator/highlight/highlight.h"

struct file {
    char *data;
    size_t len;
};

/* Reads path whole into f; returns false with a message on failure. */
static bool
read_file(const char *path, struct file *f)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return false;
    }
    struct buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)))
        buf_put(&b, chunk, n);
    bool ok = !ferror(fp);
    fclose(fp);
    if (!ok) {
        perror(path);
        buf_dispose(&b);
        return false;
    }
    f->data = buf_detach(&b, &f->len);
    return true;
}

static int
print_all(const char *lang, char **paths, int count)
{
    struct buf out = BUF_INIT;
    for (int i = 0; i < count; i++) {
        struct file f;
        if (!read_file(paths[i], &f))
            return 1;
        buf_clear(&out);
        highlight_code(&out, lang, f.data, f.len);
        printf("== %zu %s\n", out.len, paths[i]);
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        putchar('\n');
        free(f.data);
    }
    buf_dispose(&out);
    return ferror(stdout) ? 1 : 0;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Highlights all files in rounds, at least three and for at least a second;
 * prints the throughput of the best round, the one least disturbed by
 * whatever else the machine was doing. */
static int
bench(const char *lang, char **paths, int count)
{
    struct file *files = xcalloc((size_t)count, sizeof *files);
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        if (!read_file(paths[i], &files[i]))
            return 1;
        total += files[i].len;
    }
    struct buf out = BUF_INIT;
    int rounds = 0;
    double start = now(), best = 0;
    do {
        double round_start = now();
        for (int i = 0; i < count; i++) {
            buf_clear(&out);
            highlight_code(&out, lang, files[i].data, files[i].len);
        }
        double t = now() - round_start;
        if (!rounds++ || t < best)
            best = t;
    } while (rounds < 3 || now() - start < 1.0);
    printf("ours: %d files, %.2f MB, best of %d rounds %.3f s: %.1f MB/s\n", count,
           (double)total / 1e6, rounds, best, (double)total / 1e6 / best);
    for (int i = 0; i < count; i++)
        free(files[i].data);
    free(files);
    buf_dispose(&out);
    return 0;
}

static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The text of html: its <span ...> and </span> tags left out and the five
 * entities the highlighter writes turned back, into out. */
static void
strip(struct buf *out, const char *html, size_t len)
{
    static const char *const entities[][2] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"},
    };
    buf_clear(out);
    for (size_t i = 0; i < len;) {
        if (html[i] == '<') {
            const char *end = memchr(html + i, '>', len - i);
            i = end ? (size_t)(end - html) + 1 : len;
            continue;
        }
        size_t k = 0, n = 5;
        if (html[i] == '&')
            for (k = 0; k < n && strncmp(html + i, entities[k][0], strlen(entities[k][0])); k++)
                ;
        if (html[i] == '&' && k < n) {
            buf_puts(out, entities[k][1]);
            i += strlen(entities[k][0]);
        } else {
            buf_putc(out, html[i++]);
        }
    }
}

static int
check(const char *lang, char **paths, int count)
{
    struct buf html = BUF_INIT, text = BUF_INIT;
    for (int i = 0; i < count; i++) {
        struct file f;
        if (!read_file(paths[i], &f))
            return 1;
        buf_clear(&html);
        double start = cpu_now();
        highlight_code(&html, lang, f.data, f.len);
        double spent = cpu_now() - start;
        strip(&text, html.data ? html.data : "", html.len);
        bool same = text.len == f.len && (!f.len || !memcmp(text.data, f.data, f.len));
        printf("%.3f %s %s\n", spent, same ? "ok" : "differs", paths[i]);
        free(f.data);
    }
    buf_dispose(&html);
    buf_dispose(&text);
    return ferror(stdout) ? 1 : 0;
}

int
main(int argc, char **argv)
{
    bool bench_mode = argc > 1 && !strcmp(argv[1], "--bench");
    bool check_mode = argc > 1 && !strcmp(argv[1], "--check");
    int first = bench_mode || check_mode ? 2 : 1;
    if (argc < first + 1) {
        fprintf(stderr, "usage: highlight_driver [--bench | --check] LANG FILE...\n");
        return 2;
    }
    const char *lang = argv[first];
    if (!highlight_language(lang)) {
        fprintf(stderr, "highlight_driver: unknown language \"%s\"\n", lang);
        return 2;
    }
    char **paths = argv + first + 1;
    int count = argc - first - 1;
    return bench_mode   ? bench(lang, paths, count)
           : check_mode ? check(lang, paths, count)
                        : print_all(lang, paths, count);
}
