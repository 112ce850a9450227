/* slug.c: a tag's slug, its identity in URLs and file names. Part of
 * parse/: hashtags in the text (tagging.c) and front matter tags (parse.c)
 * are named through it. */
#include "parse.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"

#include <string.h>

#define SLUG_MAX_BYTES 200 /* a file name holds 255 bytes; keep room */

/* True for what may stand in a slug: the characters of hashtags. */
static bool
is_slug_char(int32_t c)
{
    enum utf8_class k = utf8_classify(c);
    return k == UTF8_LETTER || k == UTF8_MARK || k == UTF8_DIGIT ||
           k == UTF8_NUMBER || c == '_' || c == 0x200C || c == 0xB7;
}

const char *
parse_tag_slug(struct arena *a, const char *name, size_t len)
{
    if (len && name[0] == '#')
        name++, len--;
    char *folded = utf8_fold(a, name, len);
    if (!folded)
        return NULL;
    struct buf b = BUF_INIT;
    const char *p = folded, *end = folded + strlen(folded);
    for (size_t n; p < end; p += n) {
        int32_t c = utf8_decode(p, (size_t)(end - p), &n);
        if (c < 0)
            break;
        if (is_slug_char(c))
            buf_put(&b, p, n);
        else if (b.len && b.data[b.len - 1] != '-')
            buf_putc(&b, '-');
    }
    while (b.len && b.data[b.len - 1] == '-')
        b.len--;
    const char *slug = NULL;
    if (b.len > SLUG_MAX_BYTES) {
        /* Distinct long tags keep distinct slugs: a hash of the whole. */
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < b.len; i++)
            h = (h ^ (unsigned char)b.data[i]) * 16777619u;
        size_t keep = SLUG_MAX_BYTES - 9;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xc0) == 0x80)
            keep--; /* cut on a character boundary */
        slug = arena_printf(a, "%.*s-%08x", (int)keep, b.data, (unsigned)h);
    } else if (b.len) {
        slug = arena_strndup(a, b.data, b.len);
    }
    buf_dispose(&b);
    return slug;
}
