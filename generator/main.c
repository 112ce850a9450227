/* main.c: the command line. Parses options, runs one command, prints the
 * diagnostics and turns them into the exit status: 0 done, 1 content
 * errors, 2 bad usage, 3 the system failed. */
#include "build.h"
#include "base/progress.h"
#include "deploy/deploy.h"
#include "serve/serve.h"
#include "source/source.h"
#include "diag.h"
#include "import/import.h"
#include "new/new.h"
#include "parse/parse.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const char usage_main[] =
    "usage: gazette COMMAND [OPTIONS]\n"
    "\n"
    "Builds a static website from a git repository of Markdown posts.\n"
    "\n"
    "commands:\n"
    "  build   build the site into an output folder (default public/)\n"
    "  check   read and check the whole site, writing nothing\n"
    "  deploy  commit the site built from a commit on a branch (gh-pages)\n"
    "  import  import a channel: gazette import telegram EXPORT\n"
    "  new     start a post: write content/CHANNEL/NAME.md and print its path\n"
    "  serve   preview the site, rebuilt and reloaded on every save\n"
    "\n"
    "options:\n"
    "  -h, --help      show help (gazette COMMAND --help for a command)\n"
    "  -V, --version   show the version\n";

static const char usage_build[] =
    "usage: gazette build [-C DIR] [--ref REV] [-o DIR] [--base-url URL]\n"
    "                     [--drafts] [--force] [-j N] [-q] [--no-sync]\n"
    "\n"
    "Builds the site into DIR (default public/). Without --ref the working\n"
    "tree is read; with --ref every input comes from that commit and the\n"
    "output is the same on every run. Only changed files are rewritten.\n"
    "\n"
    "  -C DIR          run in DIR (the site's folder) instead of here\n"
    "  --ref REV       read the site from commit REV (e.g. HEAD, v1.0)\n"
    "  -o, --output DIR  output folder, relative to the site (public)\n"
    "  --base-url URL  override site.yaml's base_url\n"
    "  --drafts        also build posts marked draft: true\n"
    "  --force         build into a folder that gazette did not make\n"
    "  -j N            parse and render on N threads (default: cores)\n"
    "  -q, --quiet     no progress line (there is one on a terminal when\n"
    "                  the build takes over a second)\n"
    "  --no-sync       never wait for the disk: for a preview's output (as\n"
    "                  serve's), which a power cut may spoil\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit status: 0 done, 1 the content has errors, 2 bad usage,\n"
    "3 the system failed (I/O, repository)\n";

static const char usage_check[] =
    "usage: gazette check [-C DIR] [--ref REV] [--drafts] [-j N] [-q]\n"
    "\n"
    "Reads and checks every post, channel, template and setting as a build\n"
    "would, and writes nothing. Then every link and image of the posts:\n"
    "a relative .md link must name a post, a relative or root-relative\n"
    "path a file of the site or a page of the build, a #fragment a heading\n"
    "id there. Front matter fields gazette does not know and posts dated\n"
    "in the future are notes. Prints every problem as path:line:col:\n"
    "message. Exit status as for build (notes change nothing).\n";

static const char usage_deploy[] =
    "usage: gazette deploy [-C DIR] [--ref REV] [--branch NAME]\n"
    "                      [--message TEXT] [--push REMOTE]\n"
    "\n"
    "Builds the site from commit REV, as build --ref does, and commits the\n"
    "output, an empty .nojekyll and a CNAME (when site.yaml sets cname:) as\n"
    "the new tip of branch NAME, created when absent. The working tree, the\n"
    "index, HEAD and every other branch are left alone. Prints the id of\n"
    "the branch's tip; when it already holds the same files, no commit is\n"
    "made. Refuses the branch that is checked out and one that moves while\n"
    "the site is built.\n"
    "\n"
    "  -C DIR          run in DIR (the site's folder) instead of here\n"
    "  --ref REV       the commit to build (default HEAD)\n"
    "  --branch NAME   the branch to commit on (default gh-pages)\n"
    "  -m, --message TEXT  the commit message (default \"Deploy <REV's id>\")\n"
    "  --push REMOTE   then push the branch to REMOTE, a remote's name or a\n"
    "                  URL or path, never forcing it\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit status: 0 done, 1 the content has errors, 2 bad usage (such as\n"
    "the branch being checked out), 3 the system failed (a REV that does\n"
    "not resolve, the repository, the branch moving, the push)\n";

static const char usage_serve[] =
    "usage: gazette serve [-C DIR] [--bind ADDR] [--port N] [--drafts]\n"
    "                     [-o DIR]\n"
    "\n"
    "Builds the site and serves it at http://127.0.0.1:8080/. Each save in\n"
    "content/, themes/, static/ or site.yaml rebuilds it, and open pages\n"
    "reload; a failed build shows its errors over the page until it is\n"
    "fixed. The pages link to the server (base_url is replaced by its\n"
    "address), so the output is for previewing, not publishing.\n"
    "\n"
    "  -C DIR          run in DIR (the site's folder) instead of here\n"
    "  --bind ADDR     the address to listen on (127.0.0.1); another than\n"
    "                  loopback shows the site to the network\n"
    "  --port N        the port (8080; 0 picks a free one)\n"
    "  --drafts        also build posts marked draft: true\n"
    "  -o, --output DIR  build into DIR and keep it (default: a temporary\n"
    "                  folder, removed when the server stops)\n"
    "  -h, --help      show this help\n"
    "\n"
    "Ctrl-C stops it. exit status: 0 stopped, 2 bad usage (such as a port\n"
    "in use), 3 the system failed\n";

static int
usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "gazette: %s\nTry 'gazette %s--help'.\n", msg,
            cmd ? cmd : "");
    return 2;
}

/* The usage error for the option getopt_long just refused. */
static int
bad_option(const char *cmd, char **argv)
{
    char msg[128];
    snprintf(msg, sizeof msg, "unknown or incomplete option '%s'",
             argv[optind - 1]);
    return usage_error(cmd, msg);
}

/* -C DIR: runs in the site's folder. 0, or -1 after saying why. */
static int
enter_dir(const char *dir)
{
    if (chdir(dir) == 0)
        return 0;
    fprintf(stderr, "gazette: -C %s: %s\n", dir, strerror(errno));
    return -1;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* dir/rel, malloc'd. */
static char *
join_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p) {
        fputs("gazette: out of memory\n", stderr);
        abort();
    }
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

/* Runs build or check (check == true writes nothing). */
static int
cmd_build(int argc, char **argv, bool check)
{
    static const struct option longopts[] = {
        { "ref", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "base-url", required_argument, NULL, 'b' },
        { "drafts", no_argument, NULL, 'd' },
        { "force", no_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { "no-sync", no_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd = check ? "check " : "build ";
    bool quiet = false;
    struct build_options o = { .out_dir = "public" };
    const char *dir = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, check ? "C:j:qh" : "C:o:j:qh",
                            longopts, NULL)) != -1) {
        switch (c) {
        case 'C': dir = optarg; break;
        case 'r': o.ref = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'b': o.base_url = optarg; break;
        case 'd': o.drafts = true; break;
        case 'f': o.force = true; break;
        case 'q': quiet = true; break;
        case 's': o.no_sync = true; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256)
                return usage_error(cmd, "-j: expected a number from 1 to 256");
            o.jobs = (int)n;
            break;
        }
        case 'h':
            fputs(check ? usage_check : usage_build, stdout);
            return 0;
        default: return bad_option(cmd, argv);
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument");
    o.check_only = check;
    if (dir && enter_dir(dir) < 0)
        return 3;
    double start = now_ms();
    struct diags d;
    diags_init(&d);
    struct build_report r;
    progress_start(!quiet && isatty(2));
    int status = build_run(&r, &o, &d);
    progress_end();
    diags_print(&d, stderr);
    diags_dispose(&d);
#define PLURAL(n) (n) == 1 ? "" : "s"
    if (status == 0 && check)
        printf("checked %zu post%s in %zu channel%s: no errors\n", r.posts,
               PLURAL(r.posts), r.channels, PLURAL(r.channels));
    else if (status == 0)
        printf("built %zu post%s in %zu channel%s: %zu file%s (%zu written, "
               "%zu unchanged, %zu removed) in %.0f ms -> %s/\n",
               r.posts, PLURAL(r.posts), r.channels, PLURAL(r.channels),
               r.files, PLURAL(r.files), r.written, r.unchanged, r.removed,
               now_ms() - start, o.out_dir);
    return status;
}

static const char usage_new[] =
    "usage: gazette new [-C DIR] CHANNEL/NAME [--title TEXT]\n"
    "\n"
    "Starts a post: writes content/CHANNEL/NAME.md with front matter (the\n"
    "title, date: now with the local UTC offset, tags: []) and prints its\n"
    "path. CHANNEL must be a folder of content/; NAME (a trailing .md is\n"
    "dropped) names the file and the post's URL, so it must be a name the\n"
    "build accepts. An existing file is never replaced.\n"
    "\n"
    "  -C DIR          run in DIR (the site's folder) instead of here\n"
    "  --title TEXT    the post's title, one line (default: NAME with '-'\n"
    "                  and '_' as spaces, its first letter upper-cased)\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit status: 0 done, 2 bad usage (an unknown channel, a name the build\n"
    "would refuse, a file already there), 3 the system failed (I/O)\n";

/* Runs new: the path written on stdout, nothing else. */
static int
cmd_new(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "title", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct new_options o = { 0 };
    const char *dir = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'C': dir = optarg; break;
        case 't': o.title = optarg; break;
        case 'h': fputs(usage_new, stdout); return 0;
        default: return bad_option("new ", argv);
        }
    }
    if (optind == argc)
        return usage_error("new ", "missing CHANNEL/NAME");
    if (optind + 1 < argc)
        return usage_error("new ", "unexpected argument");
    o.target = argv[optind];
    if (dir && enter_dir(dir) < 0)
        return 3;
    struct diags d;
    diags_init(&d);
    char *path = NULL;
    int status = new_post(&path, &o, &d) == 0 ? 0 : diags_exit_status(&d);
    diags_print(&d, stderr);
    diags_dispose(&d);
    if (path)
        printf("%s\n", path);
    free(path);
    return status;
}

/* Runs deploy: the commit id on stdout, what happened on stderr. */
static int
cmd_deploy(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "ref", required_argument, NULL, 'r' },
        { "branch", required_argument, NULL, 'b' },
        { "message", required_argument, NULL, 'm' },
        { "push", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct deploy_options o = { 0 };
    const char *dir = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "C:m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'C': dir = optarg; break;
        case 'r': o.ref = optarg; break;
        case 'b': o.branch = optarg; break;
        case 'm': o.message = optarg; break;
        case 'p': o.push = optarg; break;
        case 'h': fputs(usage_deploy, stdout); return 0;
        default: return bad_option("deploy ", argv);
        }
    }
    if (optind < argc)
        return usage_error("deploy ", "unexpected argument");
    if (dir && enter_dir(dir) < 0)
        return 3;
    struct diags d;
    diags_init(&d);
    struct deploy_report r;
    int status = deploy_run(&r, &o, &d);
    diags_print(&d, stderr);
    diags_dispose(&d);
    const char *branch = o.branch ? o.branch : DEPLOY_BRANCH_DEFAULT;
    if (status != 0)
        return status;
    if (r.created)
        fprintf(stderr, "deployed %.12s on %s: commit %.12s, %zu file%s\n",
                r.site_commit, branch, r.commit, r.files,
                r.files == 1 ? "" : "s");
    else
        fprintf(stderr, "%s already holds the build of %.12s: no commit "
                "made\n", branch, r.site_commit);
    if (r.pushed)
        fprintf(stderr, "pushed %s to %s\n", branch, o.push);
    printf("%s\n", r.commit);
    return 0;
}

static const char usage_import[] =
    "usage: gazette import telegram [-C DIR] EXPORT [--channel NAME]\n"
    "\n"
    "Imports a Telegram Desktop export of a channel (\"Export chat history\",\n"
    "format JSON: the folder with result.json, or result.json itself) into\n"
    "content/NAME/: a post per message, content/NAME/ID.md, or ID/index.md\n"
    "with its photo or file beside it, its text and formatting as Markdown,\n"
    "its date (with the exporter's UTC offset), updated when edited, and\n"
    "message_id; _index.md titled with the channel's name when missing.\n"
    "Commits each message on the current branch, dated as the message, in\n"
    "the export's order; the index gets the new files and nothing else.\n"
    "Messages already imported are skipped, so a newer export adds only\n"
    "the new ones; service messages are skipped. Nothing is written when\n"
    "the export has an error (malformed JSON, a media path that leaves the\n"
    "export folder or goes through a symlink).\n"
    "\n"
    "  -C DIR          run in DIR (the site's folder) instead of here\n"
    "                  (EXPORT stays relative to where you are)\n"
    "  --channel NAME  the channel folder (default: the export's name as a\n"
    "                  slug, e.g. \"Universe Mysteries\": universe-mysteries)\n"
    "  -h, --help      show this help\n"
    "\n"
    "exit status: 0 done, 1 the export has errors, 2 bad usage (no site,\n"
    "no repository, a bad NAME), 3 the system failed (I/O, repository)\n";

/* Runs import telegram: the summary on stdout, notes and errors on
 * stderr. */
static int
cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "channel", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct import_options o = { 0 };
    const char *dir = NULL;
    int c;
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage_import, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "telegram"))
        return usage_error("import ", argc < 2 ? "missing the format: gazette "
                                                 "import telegram EXPORT"
                                               : "unknown format: gazette "
                                                 "imports only 'telegram'");
    argc--, argv++;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'C': dir = optarg; break;
        case 'c': o.channel = optarg; break;
        case 'h': fputs(usage_import, stdout); return 0;
        default: return bad_option("import ", argv);
        }
    }
    if (optind == argc)
        return usage_error("import ", "missing EXPORT");
    if (optind + 1 < argc)
        return usage_error("import ", "unexpected argument");
    /* EXPORT is where the user is, not in the site: made absolute before
     * -C moves there. */
    char *export_path = NULL;
    const char *given = argv[optind];
    if (dir && given[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd) {
            fprintf(stderr, "gazette: the current folder: %s\n",
                    strerror(errno));
            return 3;
        }
        export_path = join_path(cwd, given);
        free(cwd);
    }
    o.export_path = export_path ? export_path : given;
    if (dir && enter_dir(dir) < 0) {
        free(export_path);
        return 3;
    }
    struct diags d;
    diags_init(&d);
    struct import_report r;
    int rc = import_telegram(&r, &o, &d);
    int status = rc == 0 ? 0 : diags_exit_status(&d);
    diags_print(&d, stderr);
    diags_dispose(&d);
    free(export_path);
    if (rc < 0)
        return status ? status : 3;
    printf("imported %zu message%s into content/%s/ (%zu service message%s "
           "skipped, %zu already there", r.imported, PLURAL(r.imported),
           r.channel, r.service, PLURAL(r.service), r.already);
    if (r.skipped)
        printf(", %zu not imported", r.skipped);
    printf("); %zu commit%s\n", r.commits, PLURAL(r.commits));
    return 0;
}

/* Runs serve until Ctrl-C. */
static int
cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "bind", required_argument, NULL, 'b' },
        { "port", required_argument, NULL, 'p' },
        { "drafts", no_argument, NULL, 'd' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct serve_options o = { .port = -1 };
    const char *dir = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "C:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'C': dir = optarg; break;
        case 'b': o.bind = optarg; break;
        case 'd': o.drafts = true; break;
        case 'o': o.out_dir = optarg; break;
        case 'p': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || !*optarg || n < 0 || n > 65535)
                return usage_error("serve ",
                                   "--port: expected a number from 0 to 65535");
            o.port = (int)n;
            break;
        }
        case 'h': fputs(usage_serve, stdout); return 0;
        default: return bad_option("serve ", argv);
        }
    }
    if (optind < argc)
        return usage_error("serve ", "unexpected argument");
    if (dir && enter_dir(dir) < 0)
        return 3;
    struct diags d;
    diags_init(&d);
    int status = serve_run(&o, &d);
    diags_print(&d, stderr);
    diags_dispose(&d);
    return status;
}

/* The heap on huge pages: each 4 KiB page a process first touches costs
 * a fault, dearly so on a virtual machine. malloc is made to take its
 * memory, for every thread, from one heap that grows 64 MiB at a time and
 * never shrinks, which is then advised as huge pages; growth past that is
 * as usual. A one-post rebuild of 10,000 posts made a third as many
 * faults and took a quarter less time. */
static void
heap_on_huge_pages(void)
{
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* the most it takes */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_ARENA_MAX, 1);
    char *first = malloc(1 << 20); /* grows the heap by the pad */
    if (!first)
        return;
    uintptr_t start = (uintptr_t)first & ~(uintptr_t)4095;
    char *end = sbrk(0);
    if (end != (char *)-1 && (uintptr_t)end > start)
        madvise((void *)start, (uintptr_t)end - start, MADV_HUGEPAGE);
    free(first);
}

/* Runs the command cmd (argv[0] of argc), or says it is unknown. */
static int
run(const char *cmd, int argc, char **argv)
{
    if (!strcmp(cmd, "build"))
        return cmd_build(argc, argv, false);
    if (!strcmp(cmd, "check"))
        return cmd_build(argc, argv, true);
    if (!strcmp(cmd, "deploy"))
        return cmd_deploy(argc, argv);
    if (!strcmp(cmd, "import"))
        return cmd_import(argc, argv);
    if (!strcmp(cmd, "new"))
        return cmd_new(argc, argv);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc, argv);
    if (!strcmp(cmd, PARSE_WORKER_COMMAND))
        return build_worker(argc, argv);
    char msg[256];
    snprintf(msg, sizeof msg, "unknown command '%s'", cmd);
    return usage_error(NULL, msg);
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(NULL, "no command given");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("gazette %s\n", GZ_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "build") || !strcmp(cmd, "check") || !strcmp(cmd, "deploy") ||
        !strcmp(cmd, "serve")) {
        heap_on_huge_pages();
        source_start_early();
        parse_start_workers_as("/proc/self/exe");
    } else if (!strcmp(cmd, PARSE_WORKER_COMMAND)) {
        heap_on_huge_pages(); /* as the build's own heap */
    }
    int rc = run(cmd, argc - 1, argv + 1);
    source_wait_early();
    return rc;
}
