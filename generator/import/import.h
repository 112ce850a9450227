/* import.h: `gazette import telegram`: a Telegram Desktop export of a
 * channel (result.json and its media folders) into posts of one channel
 * of the site, one post and one git commit per message. Sits beside new/
 * and deploy/: it writes content/ and commits with libgit2; reads the
 * export with jansson. */
#ifndef GZ_IMPORT_H
#define GZ_IMPORT_H

#include <stddef.h>

struct diags;

struct import_options {
    const char *export_path; /* the ChatExport folder, or its result.json */
    const char *channel;     /* NULL: a slug of the export's "name" */
};

struct import_report {
    char channel[256]; /* the channel folder written to ("" before known) */
    size_t imported;   /* messages written as posts, one commit each */
    size_t service;    /* service messages skipped */
    size_t already;    /* messages whose post was already there */
    size_t skipped;    /* other messages not imported (each has a note) */
    size_t commits;
};

/* Imports the export into content/<channel>/ of the site in the current
 * directory, which must be inside a git repository with a work tree and
 * a HEAD on a branch (born or not):
 *
 *   - each message becomes content/<channel>/<id>.md, or <id>/index.md
 *     with its photo or file beside it; front matter date (with the
 *     exporter's UTC offset), updated (when edited) and message_id;
 *   - _index.md with the export's name as title, when the channel has
 *     none;
 *   - one commit per message, in the export's order, authored at the
 *     message's date by the repository's user (else "gazette import"),
 *     on the current branch; the index gets the new files' entries and
 *     nothing else changes (other staged or unstaged changes stay);
 *   - a message whose post exists (in the work tree or HEAD) is skipped,
 *     so importing the same export again adds nothing.
 *
 * Everything in the export is checked before a byte is written: malformed
 * JSON (path:line:col), a message without id or date, a media path that
 * leaves the export folder or goes through a symlink are DIAG_CONTENT and
 * nothing is written. Unknown message or entity types, media that was not
 * downloaded are notes. A failure while writing removes every file this
 * import wrote and leaves the branch where it was. Returns 0, or -1 with
 * diags (DIAG_USAGE for a bad --channel or a folder that is no site, or no
 * repository; DIAG_SYSTEM for I/O and libgit2 failures). */
int import_telegram(struct import_report *out, const struct import_options *o,
                    struct diags *d);

#endif
