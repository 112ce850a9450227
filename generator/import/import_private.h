/* import_private.h: what the files of import/ share: the JSON reader
 * (json.c) and the Markdown writer (markdown.c). Never included from
 * outside import/. */
#ifndef GZ_IMPORT_PRIVATE_H
#define GZ_IMPORT_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct diags;
struct import_report;
struct vec;

/* ---- json.c ---- */

/* Called with each element of "messages" (borrowed: valid during the
 * call) and where it starts in the file (1-based line, column in
 * characters). A negative return stops the reading. */
typedef int (*import_message_fn)(json_t *message, unsigned line,
                                 unsigned col, void *payload);

/* Reads the export's text data[0..len) one message at a time: a skimmer
 * finds where each top-level value and each message begins and ends, and
 * jansson parses and checks every one of them, so memory stays that of one
 * message and time is linear. Telegram Desktop's "\xHH" escapes (its
 * control characters) are read as "\u00HH". Sets *name to the export's
 * "name" (malloc'd, NULL when absent). Returns 0, or -1 with a
 * DIAG_CONTENT at path:line:col for malformed JSON or a file that is no
 * chat export, or whatever fn returned. */
int import_json_read(const char *data, size_t len, const char *path,
                     char **name, import_message_fn fn, void *payload,
                     struct diags *d);

/* ---- markdown.c ---- */

enum part_type {
    PART_PLAIN,
    PART_BOLD,
    PART_ITALIC,
    PART_UNDERLINE,
    PART_STRIKE,
    PART_SPOILER,
    PART_CODE,
    PART_PRE,       /* extra: the language ("" for none) */
    PART_TEXT_LINK, /* extra: the href */
    PART_PHONE,
    PART_BLOCKQUOTE,
    /* Text that gazette links itself (URLs, e-mail, @mentions, #hashtags)
     * or that is shown as it is: written as plain text, escaped lightly
     * so that a URL stays one run of text. */
    PART_AUTO,
};

struct part {
    enum part_type type;
    const char *text; /* UTF-8, NUL-terminated */
    size_t len;
    const char *extra; /* NULL unless said above */
};

/* Appends Markdown that renders to the text of parts[0..n), with its
 * formatting: paragraphs at empty lines, hard line breaks ("\" at the end
 * of a line) at single ones, blockquotes as "> " lines, pre as fenced
 * code blocks, every other character escaped so that it renders as
 * itself. Appends nothing for an empty text. */
void import_markdown(struct buf *out, const struct part *parts, size_t n);

/* Appends text[0..len) escaped as one paragraph of plain text (line
 * breaks become spaces): for the "Forwarded from" line and link texts. */
void import_markdown_line(struct buf *out, const char *text, size_t len);

/* Appends dest as a link destination: "<...>" with '<', '>' and '\'
 * escaped and line breaks percent-encoded. */
void import_markdown_dest(struct buf *out, const char *dest);

/* ---- telegram.c: the messages read, checked, as posts to write ---- */

/* A photo or file of a message, checked to be a regular file inside the
 * export, reached through no symlink. */
struct import_media {
    const char *src;  /* its path in the export ('/'-separated, safe) */
    const char *name; /* its file name beside the post */
    bool image;       /* a photo: shown, not linked */
};

/* One message to write as a post. Strings are in the import's arena. */
struct import_message {
    long long id;
    unsigned line, col;   /* where it starts in result.json */
    int64_t secs;         /* its date */
    int offset_min;       /* the exporter's UTC offset then */
    const char *date;     /* RFC 3339, with the offset */
    const char *updated;  /* likewise from "edited", or NULL */
    bool has_reply;
    long long reply_to;   /* a message of this channel */
    const char *forwarded; /* the "Forwarded from" paragraph, or NULL */
    const char *body;     /* the Markdown of its text, "" when none */
    bool has_media;
    struct import_media media;
    bool there; /* its post exists already: skipped */
};

/* What the reading gives: the export's name and the messages to write,
 * in the export's order. */
struct import_export {
    const char *path;  /* result.json as shown in diags */
    int dir;           /* the export folder */
    const char *name;  /* the export's "name", or NULL */
    struct vec *messages; /* of struct import_message * */
};

/* Reads result.json of the export folder dir (shown as shown) into ex
 * (ex->dir, ex->path set by the caller); counts what is not written in
 * r. Returns 0, or -1 when the export has an error (every one reported:
 * nothing may be written then). */
int import_read_export(struct import_export *ex, struct import_report *r,
                       struct arena *a, struct diags *d);

/* Opens the media file src (a path the reader checked) of the export
 * folder dir for reading, never through a symlink. Returns the fd, or -1
 * with errno set (ELOOP: a symlink on the way). */
int import_open_media(int dir, const char *src);

/* ---- commit.c ---- */

/* Writes the messages not yet there as posts of channel (and _index.md
 * titled title when the channel has none) and commits them, one commit
 * each. Fills r->imported and r->commits. 0, or -1 with diags and nothing
 * left written. */
int import_commit(const struct import_export *ex, const char *channel,
                  const char *title, struct import_report *r,
                  struct arena *a, struct diags *d);

#endif
