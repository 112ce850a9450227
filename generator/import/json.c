/* json.c: reads a Telegram Desktop result.json one message at a time, for
 * import/. jansson has no streaming interface, and an export of a large
 * channel is hundreds of megabytes: as one tree it would take gigabytes.
 * So a skimmer walks the top-level object and the "messages" array only
 * far enough to find where each value ends (strings, brackets, commas),
 * and jansson parses and checks each value on its own. */
#include "import_private.h"
#include "../base/base.h"
#include "../diag.h"

#include <string.h>

struct skim {
    const char *start, *p, *end;
    const char *path;
    struct diags *d;
    bool hex; /* the value just skimmed holds a "\x" escape */
    /* The last position computed, to go on from (positions are asked
     * for in order, so counting lines stays linear). */
    const char *at;
    unsigned line, col;
};

/* The 1-based line and column (in characters, as jansson counts) of at. */
static void
position(struct skim *s, const char *at, unsigned *line, unsigned *col)
{
    if (!s->at || at < s->at)
        s->at = s->start, s->line = 1, s->col = 1;
    for (const char *q = s->at; q < at; q++) {
        if (*q == '\n')
            s->line++, s->col = 1;
        else if (((unsigned char)*q & 0xc0) != 0x80)
            s->col++;
    }
    s->at = at;
    *line = s->line;
    *col = s->col;
}

static int
fail_at(struct skim *s, const char *at, const char *msg)
{
    unsigned line, col;
    position(s, at, &line, &col);
    return diags_add(s->d, DIAG_CONTENT, s->path, line, col, "%s", msg);
}

static void
skip_ws(struct skim *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
                             *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* Skims the string at s->p (a '"'), past its closing quote. */
static int
skim_string(struct skim *s)
{
    const char *open = s->p++;
    while (s->p < s->end) {
        char c = *s->p++;
        if (c == '"')
            return 0;
        if (c == '\\' && s->p < s->end) {
            if (*s->p == 'x')
                s->hex = true;
            s->p++;
        }
    }
    return fail_at(s, open, "a string is not closed before the end of the "
                            "file");
}

/* Skims one value: a string, an object or array (brackets counted, not
 * matched: jansson checks them), or a scalar up to the next delimiter. */
static int
skim_value(struct skim *s)
{
    s->hex = false;
    if (s->p >= s->end)
        return fail_at(s, s->p, "expected a value, got the end of the file");
    if (*s->p == '"')
        return skim_string(s);
    if (*s->p == '{' || *s->p == '[') {
        const char *open = s->p;
        size_t depth = 0;
        while (s->p < s->end) {
            char c = *s->p;
            if (c == '"') {
                bool hex = s->hex;
                if (skim_string(s) < 0)
                    return -1;
                s->hex = s->hex || hex;
                continue;
            }
            s->p++;
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return 0;
        }
        return fail_at(s, open, *open == '{'
                                    ? "an object is not closed before the "
                                      "end of the file"
                                    : "an array is not closed before the "
                                      "end of the file");
    }
    const char *begin = s->p;
    while (s->p < s->end && !strchr(" \t\r\n,:]}[{\"", *s->p))
        s->p++;
    if (s->p == begin)
        return fail_at(s, begin, "expected a value");
    return 0;
}

/* The value at from..s->p with "\xHH" escapes inside strings turned into
 * "\u00HH", in out. */
static void
unhex(struct buf *out, const char *from, const char *to)
{
    bool in_string = false;
    buf_clear(out);
    for (const char *q = from; q < to; q++) {
        if (!in_string) {
            in_string = *q == '"';
            buf_putc(out, *q);
        } else if (*q == '"') {
            in_string = false;
            buf_putc(out, *q);
        } else if (*q == '\\' && q + 1 < to) {
            if (q[1] == 'x') {
                buf_puts(out, "\\u00");
                q++;
            } else {
                buf_put(out, q, 2);
                q++;
            }
        } else {
            buf_putc(out, *q);
        }
    }
}

/* Parses the value just skimmed (from..s->p) with jansson; an error is
 * placed in the whole file. Returns the value (the caller decrefs it) or
 * NULL after a diag. */
static json_t *
parse_value(struct skim *s, const char *from, struct buf *scratch)
{
    json_error_t err;
    const char *text = from;
    size_t len = (size_t)(s->p - from);
    if (s->hex) {
        unhex(scratch, from, s->p);
        text = scratch->data;
        len = scratch->len;
    }
    json_t *v = json_loadb(text, len, JSON_DECODE_ANY, &err);
    if (v)
        return v;
    unsigned line, col;
    position(s, from, &line, &col);
    if (err.line > 1)
        line += (unsigned)err.line - 1, col = (unsigned)(err.column > 0 ? err.column : 1);
    else if (err.column > 0)
        col += (unsigned)err.column - 1;
    diags_add(s->d, DIAG_CONTENT, s->path, line, col, "%s", err.text);
    return NULL;
}

/* Reads the "messages" array at s->p, handing each element to fn. */
static int
read_messages(struct skim *s, import_message_fn fn, void *payload,
              struct buf *scratch)
{
    if (s->p >= s->end || *s->p != '[')
        return fail_at(s, s->p, "\"messages\": expected an array");
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 0;
    }
    for (;;) {
        skip_ws(s);
        const char *from = s->p;
        if (skim_value(s) < 0)
            return -1;
        json_t *m = parse_value(s, from, scratch);
        if (!m)
            return -1;
        unsigned line, col;
        position(s, from, &line, &col);
        int rc = fn(m, line, col, payload);
        json_decref(m);
        if (rc < 0)
            return rc;
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return 0;
        }
        return fail_at(s, s->p, s->p < s->end
                                    ? "expected ',' or ']' after a message"
                                    : "the messages are not closed before "
                                      "the end of the file");
    }
}

/* Reads one "key": value member of the top-level object. */
static int
read_member(struct skim *s, char **name, bool *seen_messages,
            import_message_fn fn, void *payload, struct buf *scratch)
{
    if (s->p >= s->end || *s->p != '"')
        return fail_at(s, s->p, "expected a member's name (a string)");
    const char *from = s->p;
    if (skim_string(s) < 0)
        return -1;
    json_t *key = parse_value(s, from, scratch);
    if (!key)
        return -1;
    char *k = xstrdup(json_string_value(key));
    json_decref(key);
    int rc = -1;
    skip_ws(s);
    if (s->p >= s->end || *s->p != ':') {
        fail_at(s, s->p, "expected ':' after a member's name");
        goto out;
    }
    s->p++;
    skip_ws(s);
    if (!strcmp(k, "messages")) {
        if (*seen_messages) {
            fail_at(s, from, "\"messages\" is given twice");
            goto out;
        }
        *seen_messages = true;
        rc = read_messages(s, fn, payload, scratch);
        goto out;
    }
    from = s->p;
    if (skim_value(s) < 0)
        goto out;
    json_t *v = parse_value(s, from, scratch);
    if (!v)
        goto out;
    if (!strcmp(k, "name") && json_is_string(v)) {
        free(*name);
        *name = xstrdup(json_string_value(v));
    }
    json_decref(v);
    rc = 0;
out:
    free(k);
    return rc;
}

int
import_json_read(const char *data, size_t len, const char *path,
                 char **name, import_message_fn fn, void *payload,
                 struct diags *d)
{
    struct skim s = { .start = data, .p = data, .end = data + len,
                      .path = path, .d = d };
    struct buf scratch = BUF_INIT;
    bool seen_messages = false;
    int rc = -1;
    *name = NULL;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) /* a BOM */
        s.p += 3;
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{') {
        fail_at(&s, s.p, "expected a JSON object: the result.json of "
                         "Telegram Desktop's \"Export chat history\" "
                         "(format JSON)");
        goto out;
    }
    s.p++;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}') {
        s.p++;
    } else {
        for (;;) {
            skip_ws(&s);
            if ((rc = read_member(&s, name, &seen_messages, fn, payload,
                                  &scratch)) < 0)
                goto out;
            rc = -1;
            skip_ws(&s);
            if (s.p < s.end && *s.p == ',') {
                s.p++;
                continue;
            }
            if (s.p < s.end && *s.p == '}') {
                s.p++;
                break;
            }
            fail_at(&s, s.p, s.p < s.end ? "expected ',' or '}' after a "
                                           "member"
                                         : "the object is not closed "
                                           "before the end of the file");
            goto out;
        }
    }
    skip_ws(&s);
    if (s.p < s.end) {
        fail_at(&s, s.p, "text after the end of the JSON object");
        goto out;
    }
    if (!seen_messages) {
        diags_add(d, DIAG_CONTENT, path, 0, 0,
                  "no \"messages\": this is not the export of one chat "
                  "(Telegram Desktop: the channel's menu, \"Export chat "
                  "history\", format JSON)");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        free(*name);
        *name = NULL;
    }
    buf_dispose(&scratch);
    return rc;
}
