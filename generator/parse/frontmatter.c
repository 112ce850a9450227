/* frontmatter.c: cuts a file into its YAML front matter and Markdown body.
 * Part of parse/. */
#include "parse_private.h"
#include "../diag.h"

#include <string.h>

/* True when the line at p (up to end) is exactly the fence ("---", or
 * TOML's "+++"), a trailing \r or spaces allowed, as editors leave them. */
static bool
is_fence(const char *p, const char *end, const char *fence)
{
    if (end - p < 3 || memcmp(p, fence, 3) != 0)
        return false;
    for (p += 3; p < end && *p != '\n'; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

int
frontmatter_split(struct split *out, const char *path, const char *data,
                  size_t len, struct diags *d)
{
    /* A byte order mark, as some Windows editors write, is not text. */
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        data += 3, len -= 3;
    const char *end = data + len;
    memset(out, 0, sizeof *out);
    out->body = data;
    out->body_len = len;
    out->body_line = 1;
    if (is_fence(data, end, "+++"))
        return diags_add(d, DIAG_CONTENT, path, 1, 1,
                         "TOML front matter (+++) is not read: write it as "
                         "YAML between '---' lines, e.g. title = \"x\" "
                         "becomes title: \"x\"");
    if (!is_fence(data, end, "---"))
        return 0;
    const char *yaml = memchr(data, '\n', len);
    yaml = yaml ? yaml + 1 : end;
    unsigned line = 2;
    for (const char *p = yaml; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (is_fence(p, end, "---")) {
            out->yaml = yaml;
            out->yaml_len = (size_t)(p - yaml);
            out->yaml_line = 2;
            out->body = nl ? nl + 1 : end;
            out->body_len = (size_t)(end - out->body);
            out->body_line = line + 1;
            return 0;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return diags_add(d, DIAG_CONTENT, path, 1, 1,
                     "front matter opened here is never closed with a '---' "
                     "line");
}
