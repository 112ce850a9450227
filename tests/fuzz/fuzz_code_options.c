/* fuzz_code_options.c: libFuzzer target for the info string of fenced code
 * blocks (a language, then Hugo's options: {linenos=true hl_lines="3-5"
 * linenostart=10}), read by a static parser in parse/code.c; it is reached
 * through parse_post on the document "```" + input + "\n" + code + "```\n".
 * Line breaks in the input become spaces so that all of it stays the info
 * string, and a fence of tildes is used when it holds a backtick (which a
 * backtick fence's info string may not). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/model/model.h"
#include "../../generator/parse/parse.h"

/* Six lines, so that hl_lines and linenostart have lines to act on; valid
 * enough in every language to reach the lexers' common states. */
static const char code[] =
    "def f(x):  # a <comment>\n"
    "    return \"s\" + 'q' & 1\n"
    "{ \"key\": [1, 2.5, true, null] }\n"
    "$ echo $HOME > /tmp/x\n"
    "\n"
    "-old\n";

static struct arena *defaults_arena;
static struct site_config defaults;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    struct diags d;
    diags_init(&d);
    parse_init(model_tag_url);
    defaults_arena = arena_new();
    if (parse_config(&defaults, NULL, defaults_arena, &d) < 0) {
        fprintf(stderr, "fuzz_code_options: parse_config(NULL) failed\n");
        abort();
    }
    diags_dispose(&d);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *fence = memchr(data, '`', size) ? "~~~" : "```";
    struct buf doc = BUF_INIT;
    buf_puts(&doc, fence);
    for (size_t i = 0; i < size; i++)
        buf_putc(&doc, data[i] == '\n' || data[i] == '\r' ? ' '
                                                          : (char)data[i]);
    buf_putc(&doc, '\n');
    buf_puts(&doc, code);
    buf_puts(&doc, fence);
    buf_putc(&doc, '\n');

    struct arena *a = arena_new();
    struct diags d;
    diags_init(&d);
    struct source_file in = { 0 };
    in.path = "content/c/p.md";
    in.data = doc.data;
    in.len = doc.len;
    in.created = (struct timestamp){ 1700000000, 120, true };
    in.updated = (struct timestamp){ 1710000000, 0, true };
    struct post p;
    if (parse_post(&p, &in, &defaults, a, &d) < 0 &&
        diags_count(&d, DIAG_CONTENT) == 0) {
        fprintf(stderr, "fuzz_code_options: parse_post returned -1 without "
                "a diag\n");
        abort();
    }
    diags_dispose(&d);
    arena_free(a);
    buf_dispose(&doc);
    return 0;
}
