/* check.h: what `gazette check` finds beyond a build's own errors, on what
 * a build made (the model, the site's files, the rendered output): links
 * and images of the published posts and channels' about texts that lead
 * nowhere, #fragments that name no heading, front matter fields gazette
 * does not know, posts dated in the future. */
#ifndef GZ_CHECK_H
#define GZ_CHECK_H

#include <stdbool.h>

struct diags;
struct output;
struct site;
struct source;

/* Checks site, whose files are src and whose output is files, each problem
 * at the path:line:col of the link or field in its Markdown file.
 *
 * With full false (a build) it reports only links to a .md file that is
 * no published post, whose hrefs the build leaves as written: each is a
 * DIAG_WARNING. With full set (gazette check) each of those is a
 * DIAG_CONTENT, and so is
 *   - a relative link or image whose file is not in src (the path resolved
 *     against its Markdown file's folder), unless the page it is on has it
 *     as a browser resolves it (against the page's URL);
 *   - a root-relative one (/assets/x.css, /news/other/) that is no file or
 *     page of files below the base path (a folder /x/ is its x/index.html)
 *     nor a file under static/ in src;
 *   - a #fragment of a link to the same text, to a post's file or to a
 *     post's or channel's page that names no id of that text (heading and
 *     footnote ids count);
 * while a front matter field gazette does not know and a post dated later
 * than now are DIAG_NOTEs. Absolute URLs (with a scheme), "//host/..." and
 * mailto: are not checked. Returns -1 when it reported an error, else 0. */
int check_site(const struct site *site, const struct source *src,
               const struct output *files, bool full, struct diags *d);

#endif
