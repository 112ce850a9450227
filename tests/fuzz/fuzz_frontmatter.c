/* fuzz_frontmatter.c: libFuzzer target for parse/ (front matter, settings
 * and Markdown). The input is read as a file three ways: as site.yaml
 * (parse_config), as a post (parse_post) and as a channel's _index.md
 * (parse_channel). Any bytes must give a result or diags, never a crash, a
 * leak or a hang; a call that fails must have left a diag. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/model/model.h"
#include "../../generator/parse/parse.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    parse_init(model_tag_url);
    devnull = fopen("/dev/null", "w");
    return 0;
}

/* A file holding the input, dated as if committed. */
static struct source_file
file(const char *path, const char *text, size_t len)
{
    struct source_file f = { 0 };
    f.path = path;
    f.data = text;
    f.len = len;
    f.created = (struct timestamp){ 1700000000, 120, true };
    f.updated = (struct timestamp){ 1710000000, 0, true };
    return f;
}

/* Aborts when a call returned -1 without adding an error. */
static void
check_failure(const char *what, int rc, const struct diags *d, size_t before)
{
    if (rc < 0 && diags_count(d, DIAG_CONTENT) == before) {
        fprintf(stderr, "fuzz_frontmatter: %s returned -1 without a diag\n",
                what);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Files are NUL-terminated (a NUL inside is data). */
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);

    struct source_file in = file("site.yaml", text, size);
    struct site_config cfg;
    size_t before = diags_count(&d, DIAG_CONTENT);
    check_failure("parse_config", parse_config(&cfg, &in, a, &d), &d, before);

    /* Settings of this input's own (channels record their hashtag mode in
     * them), raw HTML on or off by the length's parity. */
    struct site_config post_cfg;
    if (parse_config(&post_cfg, NULL, a, &d) < 0)
        abort(); /* the defaults never fail */
    post_cfg.unsafe_html = size & 1;
    in.path = "content/c/p.md";
    struct post p;
    before = diags_count(&d, DIAG_CONTENT);
    check_failure("parse_post", parse_post(&p, &in, &post_cfg, a, &d), &d,
                  before);

    in.path = "content/c/_index.md";
    struct channel ch;
    before = diags_count(&d, DIAG_CONTENT);
    check_failure("parse_channel",
                  parse_channel(&ch, "c", &in, &post_cfg, a, &d), &d, before);

    diags_print(&d, devnull); /* messages quote the input */
    diags_dispose(&d);
    arena_free(a);
    free(text);
    return 0;
}
