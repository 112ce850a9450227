/* new.h: `gazette new`: starts a post. Writes the skeleton of a post (its
 * front matter) into a channel folder, never replacing a file. Sits after
 * model/: it asks parse/ and model/ whether the post would build. */
#ifndef GZ_NEW_H
#define GZ_NEW_H

struct diags;

struct new_options {
    const char *target; /* "CHANNEL/NAME", a trailing ".md" allowed */
    const char *title;  /* NULL: made from NAME ("my-post": "My post") */
};

/* Writes content/CHANNEL/NAME.md in the site of the current directory:
 *
 *     ---
 *     title: "TITLE"
 *     date: 2026-11-30T01:02:03+01:00      (now, in the local offset)
 *     tags: []
 *     ---
 *
 * and sets *out to that path, relative to the site (malloc'd, the caller
 * frees it). Returns 0, or -1 with diags and nothing written: DIAG_USAGE
 * for a target or title that is not allowed (a NAME the build would
 * refuse, a title with a line break), an unknown channel (the message
 * lists the known ones), a folder that is no site, content/ or the
 * channel reached through a symlink, or a file already there (left as it
 * was: the file is created with link(2), which never replaces one);
 * DIAG_SYSTEM for a failed write (no temporary file is left behind). */
int new_post(char **out, const struct new_options *o, struct diags *d);

#endif
