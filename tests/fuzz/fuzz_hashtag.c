/* fuzz_hashtag.c: libFuzzer target for hashtag/. The first byte picks the
 * code point before the text (prev), the rest is scanned with hashtag_scan.
 * Besides crashes it checks what hashtag.h promises of each match: inside
 * the text, starting with '#', in order without overlap, the name (and the
 * "@channel" after it) within the match. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../generator/hashtag/hashtag.h"

/* Code points that decide whether a '#' is glued to what precedes it. */
static const uint32_t prevs[] = {
    0,      ' ',    '\n',   'a',    'Z',    '0',    '_',    '#',
    '@',    '/',    '.',    ':',    '-',    0xE9,   0x436,  0x4E2D,
    0x200C, 0x200D, 0xB7,   0x30FB, 0xFF03, 0x1F600, 0xFFFD, 0x301,
};

struct scan {
    const char *text;
    size_t len;
    size_t end; /* of the previous match */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const struct scan *s, const struct hashtag *t, const char *why)
{
    fprintf(stderr, "fuzz_hashtag: %s: start %zu len %zu name_len %zu "
            "(text %zu bytes, previous match ended at %zu)\n", why, t->start,
            t->len, t->name_len, s->len, s->end);
    abort();
}

static void
check(const struct hashtag *t, void *payload)
{
    struct scan *s = payload;
    if (t->start < s->end)
        fail(s, t, "match before the end of the previous one");
    if (t->start >= s->len || t->len > s->len - t->start)
        fail(s, t, "match outside the text");
    if ((s->text[t->start] == '#') != (t->kind == HASHTAG_TAG))
        fail(s, t, "a tag that does not start with '#', or another match that does");
    if (t->kind != HASHTAG_TAG) {
        if (t->name_len != t->len || t->len == 0)
            fail(s, t, "a mention or URL whose name is not all of it");
        s->end = t->start + t->len;
        return;
    }
    if (t->name_len == 0 || t->name_len > t->len - 1)
        fail(s, t, "name empty or longer than the match");
    if (t->len > 1 + t->name_len && s->text[t->start + 1 + t->name_len] != '@')
        fail(s, t, "something other than \"@channel\" after the name");
    s->end = t->start + t->len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint32_t prev = prevs[data[0] % (sizeof prevs / sizeof *prevs)];
    /* The text ends where libFuzzer's buffer ends: no copy, so ASan sees
     * any read past it. */
    struct scan s = { (const char *)data + 1, size - 1, 0 };
    hashtag_scan(s.text, s.len, prev, check, &s);
    return 0;
}
