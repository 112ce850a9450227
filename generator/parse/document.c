/* document.c: reads a Markdown file with front matter, the shape shared by
 * posts and channels' _index.md: UTF-8 check, front matter fields, body.
 * Part of parse/. */
#include "parse_private.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <string.h>

int
document_check_utf8(const struct source_file *in, struct diags *d)
{
    unsigned line, col;
    if (utf8_check(in->data, in->len, &line, &col))
        return 0;
    return diags_add(d, DIAG_CONTENT, in->path, line, col,
                     "invalid UTF-8 (the file must be UTF-8 text)");
}

int
document_read(struct markdown *md, const struct source_file *in,
              yaml_field_fn fn, void *payload, const struct site_config *cfg,
              struct arena *a, struct diags *d)
{
    memset(md, 0, sizeof *md);
    md->html = "";
    struct split sp;
    if (document_check_utf8(in, d) < 0 ||
        frontmatter_split(&sp, in->path, in->data, in->len, d) < 0)
        return -1;
    int rc = 0;
    if (sp.yaml) {
        struct yaml_file y;
        if (yaml_file_load(&y, in->path, sp.yaml, sp.yaml_len, sp.yaml_line,
                           a, d) == 0)
            yaml_file_fields(&y, fn, payload);
        if (y.errors)
            rc = -1;
        yaml_file_dispose(&y);
    }
    if (markdown_render(md, in->path, sp.body, sp.body_len, sp.body_line,
                        cfg, a, d) < 0)
        rc = -1;
    return rc;
}
