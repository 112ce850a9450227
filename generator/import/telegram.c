/* telegram.c: `gazette import telegram`: reads a Telegram Desktop export
 * (result.json, one message at a time through json.c) into the posts to
 * write, every message checked before anything is written; commit.c then
 * writes and commits them. import_telegram is the command's entry. */
#include "import.h"
#include "import_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/fs.h"
#include "../base/utf8.h"
#include "../diag.h"

#include <errno.h>
#include <stdarg.h>
#include <strings.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The reading's state, for the message callback. */
struct reader {
    struct import_export *ex;
    struct import_report *r;
    struct arena *a;
    struct diags *d;
    struct map *ids;       /* "id" -> (void *)1: each message once */
    bool noted_no_unixtime; /* an old export: dates taken as UTC, once */
    struct vec parts;      /* of struct part *, reused */
};

/* Adds a diag at the message's place: "message 12: ..." */
static int
at_message(struct reader *rd, enum diag_kind kind, unsigned line,
           unsigned col, long long id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
at_message(struct reader *rd, enum diag_kind kind, unsigned line,
           unsigned col, long long id, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    int rc = diags_add(rd->d, kind, rd->ex->path, line, col,
                       "message %lld: %s", id, msg.data);
    buf_dispose(&msg);
    return rc;
}

/* "2024-03-01T10:00:00" (the exporter's local time) into *local as if it
 * were UTC. -1 when it is not such a date. */
static int
parse_local(const char *s, int64_t *local)
{
    struct tm tm = { 0 };
    int n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
                     &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                     &n) != 6 ||
        s[n] || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60 || tm.tm_year < 1970)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *local = (int64_t)timegm(&tm);
    return 0;
}

/* A Unix time given as a string of digits (as the exporter writes it) or
 * a number. */
static int
parse_unixtime(json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    long long t = strtoll(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = t;
    return 0;
}

/* RFC 3339 of secs in the offset, e.g. 2024-03-01T10:00:00+03:00. */
static const char *
rfc3339(struct arena *a, int64_t secs, int offset_min)
{
    time_t t = (time_t)(secs + offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    int off = offset_min < 0 ? -offset_min : offset_min;
    return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec,
                        offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* Reads the date field key ("date", "edited") and key_unixtime: the
 * difference of the two is the exporter's UTC offset. Sets *secs and
 * *offset_min; -1 with a diag when the date is missing or wrong. */
static int
read_date(struct reader *rd, json_t *m, const char *key, unsigned line,
          unsigned col, long long id, int64_t *secs, int *offset_min)
{
    const char *local_text = json_string_value(json_object_get(m, key));
    char unix_key[32];
    snprintf(unix_key, sizeof unix_key, "%s_unixtime", key);
    json_t *unix_v = json_object_get(m, unix_key);
    int64_t local, unix_t;
    if (!local_text)
        return at_message(rd, DIAG_CONTENT, line, col, id,
                          "no \"%s\": expected the date as "
                          "\"2024-03-01T10:00:00\"", key);
    if (parse_local(local_text, &local) < 0)
        return at_message(rd, DIAG_CONTENT, line, col, id,
                          "\"%s\": expected a date such as "
                          "\"2024-03-01T10:00:00\", got \"%s\"", key,
                          local_text);
    if (!unix_v) { /* exports before 2021 have no Unix time */
        if (!rd->noted_no_unixtime)
            at_message(rd, DIAG_NOTE, line, col, id,
                       "no \"%s\" (an older export): its dates are taken "
                       "as UTC", unix_key);
        rd->noted_no_unixtime = true;
        *secs = local;
        *offset_min = 0;
        return 0;
    }
    if (parse_unixtime(unix_v, &unix_t) < 0)
        return at_message(rd, DIAG_CONTENT, line, col, id,
                          "\"%s\": expected a Unix time", unix_key);
    int64_t off = local - unix_t;
    if (off > 18 * 3600 || off < -18 * 3600)
        return at_message(rd, DIAG_CONTENT, line, col, id,
                          "\"%s\" and \"%s\" are %lld s apart: no UTC "
                          "offset is that large", key, unix_key,
                          (long long)off);
    *secs = unix_t;
    *offset_min = (int)((off + (off >= 0 ? 30 : -30)) / 60);
    return 0;
}

/* The part type of an entity type; -1 for one gazette does not know. */
static int
part_type(const char *t)
{
    static const struct { const char *name; enum part_type type; } map[] = {
        { "plain", PART_PLAIN },           { "bold", PART_BOLD },
        { "italic", PART_ITALIC },         { "underline", PART_UNDERLINE },
        { "strikethrough", PART_STRIKE },  { "spoiler", PART_SPOILER },
        { "code", PART_CODE },             { "pre", PART_PRE },
        { "text_link", PART_TEXT_LINK },   { "phone", PART_PHONE },
        { "blockquote", PART_BLOCKQUOTE }, { "link", PART_AUTO },
        { "email", PART_AUTO },            { "mention", PART_AUTO },
        { "hashtag", PART_AUTO },          { "cashtag", PART_AUTO },
        { "bot_command", PART_AUTO },      { "bank_card", PART_AUTO },
        { "mention_name", PART_PLAIN },    { "custom_emoji", PART_PLAIN },
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(t, map[i].name))
            return (int)map[i].type;
    return -1;
}

static void
add_part(struct reader *rd, enum part_type type, const char *text,
         size_t len, const char *extra)
{
    struct part *p = arena_alloc(rd->a, sizeof *p);
    *p = (struct part){ .type = type, .text = text, .len = len,
                        .extra = extra };
    vec_push(&rd->parts, p);
}

/* The parts of the message's text: text_entities when present (every part
 * an object), else text (a string, or strings and objects). Parts that
 * are neither, or objects without a string "text", are skipped with a
 * note; an unknown entity type is kept as plain text with a note. */
static void
read_parts(struct reader *rd, json_t *m, unsigned line, unsigned col,
           long long id)
{
    json_t *list = json_object_get(m, "text_entities");
    if (!json_is_array(list))
        list = json_object_get(m, "text");
    rd->parts.len = 0;
    if (json_is_string(list)) {
        add_part(rd, PART_PLAIN, json_string_value(list),
                 json_string_length(list), NULL);
        return;
    }
    if (!list || json_is_null(list))
        return;
    if (!json_is_array(list)) {
        at_message(rd, DIAG_NOTE, line, col, id,
                   "\"text\" is neither a string nor a list: no text "
                   "imported");
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (json_is_string(e)) {
            add_part(rd, PART_PLAIN, json_string_value(e),
                     json_string_length(e), NULL);
            continue;
        }
        json_t *text = json_object_get(e, "text");
        const char *type = json_string_value(json_object_get(e, "type"));
        if (!json_is_string(text) || !type) {
            at_message(rd, DIAG_NOTE, line, col, id,
                       "part %zu of its text has no \"type\" and \"text\": "
                       "left out", i + 1);
            continue;
        }
        int t = part_type(type);
        if (t < 0) {
            at_message(rd, DIAG_NOTE, line, col, id,
                       "unknown entity type \"%s\": its text is kept as "
                       "plain text", type);
            t = PART_PLAIN;
        }
        const char *extra = NULL;
        if (t == PART_PRE)
            extra = json_string_value(json_object_get(e, "language"));
        else if (t == PART_TEXT_LINK)
            extra = json_string_value(json_object_get(e, "href"));
        if (t == PART_TEXT_LINK && !extra)
            t = PART_PLAIN;
        add_part(rd, (enum part_type)t, json_string_value(text),
                 json_string_length(text), extra);
    }
}

/* Whether a media path is the exporter's placeholder for a file it did
 * not download, such as "(File not included. Change data exporting
 * settings to download.)". */
static bool
placeholder(const char *s)
{
    size_t n = strlen(s);
    return n && (s[0] == '(' ||
                 (s[n - 1] == ')' && (strstr(s, "(File ") ||
                                      strstr(s, "(Photo "))));
}

int
import_open_media(int dir, const char *src)
{
    if (!fs_path_is_safe(src)) {
        errno = EINVAL;
        return -1;
    }
    const char *slash = strrchr(src, '/');
    int sub = dir;
    if (slash) {
        char *folder = xstrndup(src, (size_t)(slash - src));
        sub = fs_open_dir_below(dir, folder, false);
        free(folder);
        if (sub < 0)
            return -1;
    }
    int fd = openat(sub, slash ? slash + 1 : src,
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    int err = errno;
    if (sub != dir)
        close(sub);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
        err = EINVAL;
    }
    errno = err;
    return fd;
}

/* The name a media file gets beside index.md: its base name ('#', '?'
 * and '%' as '_': in a link they would end the path or start an escape),
 * unless the build would take it for something else (a hidden file, or
 * Markdown, which would be a post of its own). */
static const char *
media_name(struct arena *a, const char *src)
{
    char *base = arena_strdup(a, strrchr(src, '/') ? strrchr(src, '/') + 1
                                                   : src);
    size_t n = strlen(base);
    for (char *c = base; *c; c++)
        if (*c == '#' || *c == '?' || *c == '%')
            *c = '_';
    if (base[0] == '.')
        return arena_printf(a, "file%s", base);
    if ((n >= 3 && !strcasecmp(base + n - 3, ".md")) ||
        (n >= 9 && !strcasecmp(base + n - 9, ".markdown")))
        return arena_printf(a, "%s.txt", base);
    return base;
}

/* Reads the message's photo or file into msg->media: a note when it was
 * not downloaded, an error when its path leaves the export, goes through
 * a symlink or names no file. */
static int
read_media(struct reader *rd, json_t *m, struct import_message *msg)
{
    const char *kinds[] = { "photo", "file" };
    for (size_t k = 0; k < 2; k++) {
        const char *src = json_string_value(json_object_get(m, kinds[k]));
        if (!src)
            continue;
        if (placeholder(src)) {
            at_message(rd, DIAG_NOTE, msg->line, msg->col, msg->id,
                       "its %s was not downloaded (\"%s\"): the post has "
                       "its text only", kinds[k], src);
            return 0;
        }
        if (!fs_path_is_safe(src))
            return at_message(rd, DIAG_CONTENT, msg->line, msg->col, msg->id,
                              "%s \"%s\": refused, a media path must stay "
                              "inside the export folder", kinds[k], src);
        int fd = import_open_media(rd->ex->dir, src);
        if (fd < 0)
            return at_message(
                rd, DIAG_CONTENT, msg->line, msg->col, msg->id, "%s \"%s\": %s",
                kinds[k], src,
                errno == ELOOP || errno == ENOTDIR
                    ? "refused, it goes through a symlink"
                : errno == EINVAL ? "refused, not a regular file (a "
                                    "symlink, a folder or a device)"
                : errno == ENOENT ? "not in the export folder"
                                  : strerror(errno));
        close(fd);
        msg->has_media = true;
        const char *copy = arena_strdup(rd->a, src);
        msg->media = (struct import_media){
            .src = copy, .name = media_name(rd->a, copy), .image = k == 0 };
        return 0;
    }
    return 0;
}

/* The "Forwarded from" paragraph. */
static void
read_forwarded(struct reader *rd, json_t *m, struct import_message *msg)
{
    json_t *f = json_object_get(m, "forwarded_from");
    if (!f)
        return;
    struct buf b = BUF_INIT;
    if (json_is_string(f)) {
        buf_puts(&b, "Forwarded from ");
        import_markdown_line(&b, json_string_value(f), json_string_length(f));
    } else {
        buf_puts(&b, "Forwarded message");
    }
    msg->forwarded = arena_strdup(rd->a, b.data);
    buf_dispose(&b);
}

/* A message of type "message" into a struct import_message. */
static int
read_message(struct reader *rd, json_t *m, long long id, unsigned line,
             unsigned col)
{
    struct import_message *msg = arena_alloc(rd->a, sizeof *msg);
    memset(msg, 0, sizeof *msg);
    msg->id = id, msg->line = line, msg->col = col;
    int rc = read_date(rd, m, "date", line, col, id, &msg->secs,
                       &msg->offset_min);
    if (rc == 0)
        msg->date = rfc3339(rd->a, msg->secs, msg->offset_min);
    if (json_object_get(m, "edited")) {
        int64_t secs;
        int off;
        if (read_date(rd, m, "edited", line, col, id, &secs, &off) < 0)
            rc = -1;
        else
            msg->updated = rfc3339(rd->a, secs, off);
    }
    if (read_media(rd, m, msg) < 0)
        rc = -1;
    json_t *reply = json_object_get(m, "reply_to_message_id");
    /* A reply to another chat's message (reply_to_peer_id) has no post
     * here to link to. */
    if (json_is_integer(reply) && !json_object_get(m, "reply_to_peer_id")) {
        msg->has_reply = true;
        msg->reply_to = (long long)json_integer_value(reply);
    }
    read_forwarded(rd, m, msg);
    read_parts(rd, m, line, col, id);
    struct buf body = BUF_INIT;
    struct part *parts = xmalloc((rd->parts.len + 1) * sizeof *parts);
    for (size_t i = 0; i < rd->parts.len; i++)
        parts[i] = *(struct part *)rd->parts.items[i];
    import_markdown(&body, parts, rd->parts.len);
    free(parts);
    msg->body = arena_strdup(rd->a, body.len ? body.data : "");
    buf_dispose(&body);
    if (rc < 0)
        return 0; /* reported; the reading goes on to find the others */
    if (!*msg->body && !msg->has_media) {
        at_message(rd, DIAG_NOTE, line, col, id,
                   "nothing to import: no text, and no photo or file "
                   "(polls, locations, contacts and stickers are not "
                   "imported)");
        rd->r->skipped++;
        return 0;
    }
    vec_push(rd->ex->messages, msg);
    return 0;
}

/* The callback for each element of "messages". Errors are reported and
 * the reading goes on, so that one run shows every problem. */
static int
on_message(json_t *m, unsigned line, unsigned col, void *payload)
{
    struct reader *rd = payload;
    if (!json_is_object(m))
        return diags_add(rd->d, DIAG_CONTENT, rd->ex->path, line, col,
                         "a message must be an object"),
               0;
    json_t *idv = json_object_get(m, "id");
    const char *type = json_string_value(json_object_get(m, "type"));
    if (!json_is_integer(idv)) {
        diags_add(rd->d, DIAG_CONTENT, rd->ex->path, line, col,
                  "a message without a numeric \"id\"");
        return 0;
    }
    long long id = (long long)json_integer_value(idv);
    if (id < 0) {
        at_message(rd, DIAG_CONTENT, line, col, id, "a negative id");
        return 0;
    }
    if (!type) {
        at_message(rd, DIAG_CONTENT, line, col, id, "no \"type\"");
        return 0;
    }
    if (!strcmp(type, "service")) {
        rd->r->service++;
        return 0;
    }
    if (strcmp(type, "message")) {
        at_message(rd, DIAG_NOTE, line, col, id,
                   "type \"%s\" is not imported", type);
        rd->r->skipped++;
        return 0;
    }
    const char *key = arena_printf(rd->a, "%lld", id);
    if (map_get(rd->ids, key)) {
        at_message(rd, DIAG_CONTENT, line, col, id,
                   "a second message with this id");
        return 0;
    }
    map_put(rd->ids, key, (void *)1);
    return read_message(rd, m, id, line, col);
}

int
import_read_export(struct import_export *ex, struct import_report *r,
                   struct arena *a, struct diags *d)
{
    struct reader rd = { .ex = ex, .r = r, .a = a, .d = d, .ids = map_new(),
                         .parts = VEC_INIT };
    struct buf text = BUF_INIT;
    char *name = NULL;
    int rc = -1;
    if (fs_read_at(ex->dir, "result.json", &text) < 0) {
        if (errno == ENOENT)
            diags_add(d, DIAG_USAGE, ex->path, 0, 0,
                      "not found: EXPORT must be the folder that Telegram "
                      "Desktop's \"Export chat history\" (format JSON) "
                      "made, or its result.json");
        else
            diags_add(d, errno == EINVAL ? DIAG_CONTENT : DIAG_SYSTEM,
                      ex->path, 0, 0, "%s",
                      errno == EINVAL ? "not a regular file (a symlink?)"
                                      : strerror(errno));
        goto out;
    }
    size_t before = diags_count(d, DIAG_CONTENT);
    if (import_json_read(text.data ? text.data : "", text.len, ex->path,
                         &name, on_message, &rd, d) < 0 ||
        diags_count(d, DIAG_CONTENT) > before)
        goto out;
    ex->name = name ? arena_strdup(a, name) : NULL;
    rc = 0;
out:
    free(name);
    buf_dispose(&text);
    vec_dispose(&rd.parts);
    map_free(rd.ids);
    return rc;
}

/* ---- the command ---- */

/* The channel folder made from the export's name: letters and digits
 * lower-cased, every other run of characters one '-'. */
static const char *
slug_of(struct arena *a, const char *name)
{
    size_t len = strlen(name), n;
    char *out = arena_alloc(a, 2 * len + 1), *o = out;
    bool dash = false;
    for (size_t i = 0; i < len; i += n) {
        int32_t c = utf8_decode(name + i, len - i, &n);
        enum utf8_class k = c < 0 ? UTF8_OTHER : utf8_classify(c);
        if (k == UTF8_LETTER || k == UTF8_DIGIT || k == UTF8_MARK ||
            k == UTF8_NUMBER) {
            if (dash && o > out)
                *o++ = '-';
            dash = false;
            o += utf8_lower(o, name + i, n);
        } else {
            dash = true;
        }
    }
    *o = '\0';
    if (o - out > 100)
        out[utf8_prefix(out, (size_t)(o - out), 100)] = '\0';
    return out;
}

/* Why name cannot be a channel folder, or NULL when it can. */
static const char *
bad_channel(const char *name)
{
    static const char *const reserved[] = { "tags", "page", "assets" };
    unsigned line, col;
    if (!*name)
        return "is empty";
    if (strchr(name, '/') || !fs_path_is_safe(name))
        return "must be one plain folder name (no '/', '..' or control "
               "characters)";
    if (!utf8_check(name, strlen(name), &line, &col))
        return "is not valid UTF-8";
    if (name[0] == '.' || name[0] == '_')
        return "may not start with '.' or '_' (the build skips or "
               "reserves such names)";
    if (strlen(name) > 200)
        return "is too long";
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!strcmp(name, reserved[i]))
            return "is a name the site's own pages take";
    return NULL;
}

/* Opens the export folder (EXPORT, or the folder of EXPORT when it names
 * result.json) and sets ex->path. */
static int
open_export(struct import_export *ex, const char *path, struct arena *a,
            struct diags *d)
{
    struct stat st;
    const char *dir = path;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        const char *slash = strrchr(path, '/');
        dir = slash ? arena_strndup(a, path, (size_t)(slash - path + 1))
                    : ".";
    }
    ex->path = arena_printf(a, "%s%sresult.json", dir == path ? path : dir,
                            dir == path && !str_ends_with(path, "/") ? "/"
                                                                      : "");
    if (dir != path && !strcmp(dir, "."))
        ex->path = "result.json";
    ex->dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ex->dir < 0)
        return diags_add(d, errno == ENOENT || errno == ENOTDIR ? DIAG_USAGE
                                                                : DIAG_SYSTEM,
                         NULL, 0, 0, "EXPORT %s: %s", path, strerror(errno));
    return 0;
}

int
import_telegram(struct import_report *out, const struct import_options *o,
                struct diags *d)
{
    struct arena *a = arena_new();
    struct vec messages = VEC_INIT;
    struct import_export ex = { .dir = -1, .messages = &messages };
    int rc = -1;
    memset(out, 0, sizeof *out);
    const char *why;
    if (o->channel && (why = bad_channel(o->channel))) {
        diags_add(d, DIAG_USAGE, NULL, 0, 0, "--channel \"%s\" %s",
                  o->channel, why);
        goto out;
    }
    if (open_export(&ex, o->export_path, a, d) < 0 ||
        import_read_export(&ex, out, a, d) < 0)
        goto out;
    const char *channel = o->channel;
    if (!channel) {
        channel = ex.name ? slug_of(a, ex.name) : "";
        if ((why = bad_channel(channel))) {
            diags_add(d, DIAG_USAGE, NULL, 0, 0,
                      "the export's name \"%s\" gives no channel folder "
                      "(\"%s\" %s): name one with --channel NAME",
                      ex.name ? ex.name : "", channel, why);
            goto out;
        }
    }
    snprintf(out->channel, sizeof out->channel, "%s", channel);
    rc = import_commit(&ex, channel, ex.name ? ex.name : channel, out, a, d);
out:
    if (ex.dir >= 0)
        close(ex.dir);
    vec_dispose(&messages);
    arena_free(a);
    return rc;
}
