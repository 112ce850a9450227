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
document_check_size(const struct source_file *in,
                    const struct site_limits *limits, struct diags *d)
{
    if (!in->too_big)
        return 0;
    return diags_add(d, DIAG_CONTENT, in->path, 1, 1,
                     "%zu bytes, over the limit of %zu MiB (limits.post_mib "
                     "in site.yaml)", in->size, limits->post_bytes >> 20);
}

/* Loads the front matter, unless it is over the limit (then libyaml never
 * sees it), and hands its fields to fn. Returns 0 or -1. */
static int
read_front_matter(const struct split *sp, const struct source_file *in,
                  yaml_field_fn fn, void *payload,
                  const struct site_config *cfg, struct arena *a,
                  struct diags *d)
{
    const struct site_limits *l = &cfg->limits;
    if (sp->yaml_len > l->front_matter_bytes)
        return diags_add(d, DIAG_CONTENT, in->path, sp->yaml_line - 1, 1,
                         "front matter is %zu bytes, over the limit of %zu "
                         "KiB (limits.front_matter_kib in site.yaml)",
                         sp->yaml_len, l->front_matter_bytes >> 10);
    struct yaml_file y;
    if (yaml_file_load(&y, in->path, sp->yaml, sp->yaml_len, sp->yaml_line,
                       l->yaml_depth, a, d) == 0)
        yaml_file_fields(&y, fn, payload);
    int rc = y.errors ? -1 : 0;
    yaml_file_dispose(&y);
    return rc;
}

int
document_read(struct markdown *md, const struct source_file *in,
              yaml_field_fn fn, void *payload,
              const enum hashtag_source *hashtags,
              const struct site_config *cfg, struct arena *a,
              struct diags *d)
{
    memset(md, 0, sizeof *md);
    md->html = "";
    struct split sp;
    if (document_check_size(in, &cfg->limits, d) < 0 ||
        document_check_utf8(in, d) < 0 ||
        frontmatter_split(&sp, in->path, in->data, in->len, d) < 0)
        return -1;
    int rc = 0;
    if (sp.yaml && read_front_matter(&sp, in, fn, payload, cfg, a, d) < 0)
        rc = -1;
    enum hashtag_source mode =
        *hashtags != HASHTAGS_UNSET ? *hashtags : cfg->hashtags;
    if (markdown_render(md, in->path, sp.body, sp.body_len, sp.body_line,
                        cfg, mode == HASHTAGS_TEXT, a, d) < 0)
        rc = -1;
    /* The whole page is checked again when rendered; a body over the
     * limit alone needs no template to be too big. */
    size_t html_len = strlen(md->html);
    if (html_len > cfg->limits.page_bytes)
        rc = diags_add(d, DIAG_CONTENT, in->path, 1, 1,
                       "its HTML is %zu bytes, over the limit of %zu MiB "
                       "(limits.page_mib in site.yaml)",
                       html_len, cfg->limits.page_bytes >> 20);
    return rc;
}
