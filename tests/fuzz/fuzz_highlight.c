/* fuzz_highlight.c: libFuzzer target for every lexer of highlight/. The
 * first byte picks the language, the rest is highlighted with
 * highlight_code. Besides crashes it checks what highlight.h promises of
 * the HTML (as tests/highlight_fidelity.py reads it): stripping the tags
 * and unescaping gives back the code byte for byte; the only tags are
 * <span class="X"> and </span>, not nested, all closed; no span holds a
 * newline; no span follows one of its own class directly (adjacent tokens
 * of one class are merged); text outside tags has no raw '<', '>', '"' or
 * '\'' and no '&' but the five entities. Any breach aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/base/base.h"
#include "../../generator/highlight/highlight.h"

/* The canonical names highlight_language accepts. */
static const char *const langs[] = {
    "python", "c", "bash", "console", "json", "yaml", "javascript", "diff",
};
#define NLANGS (sizeof langs / sizeof *langs)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    for (size_t i = 0; i < NLANGS; i++) {
        const char *name = highlight_language(langs[i]);
        if (!name || strcmp(name, langs[i]) != 0) {
            fprintf(stderr, "fuzz_highlight: highlight_language(\"%s\") "
                    "gives %s\n", langs[i], name ? name : "NULL");
            abort();
        }
    }
    return 0;
}

/* What is being checked, for the message. */
struct check {
    const char *lang;
    const char *html;
    size_t len;
};

static void
fail(const struct check *c, size_t at, const char *why)
{
    size_t from = at > 40 ? at - 40 : 0;
    size_t to = at + 40 < c->len ? at + 40 : c->len;
    fprintf(stderr, "fuzz_highlight: %s: %s at byte %zu of the HTML: "
            "...%.*s...\n", c->lang, why, at, (int)(to - from),
            c->html + from);
    abort();
}

static const struct {
    const char *text;
    size_t len;
    char c;
} entities[] = {
    { "&amp;", 5, '&' }, { "&lt;", 4, '<' },    { "&gt;", 4, '>' },
    { "&quot;", 6, '"' }, { "&#39;", 5, '\'' },
};

/* The length of the entity at s (n bytes left), *out its character; 0
 * when s starts no entity. */
static size_t
entity(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
        if (n >= entities[i].len &&
            memcmp(s, entities[i].text, entities[i].len) == 0) {
            *out = entities[i].c;
            return entities[i].len;
        }
    return 0;
}

/* The length of the tag at html[at] ('<'): an opening span (its class in
 * *cls, *cls_len) or "</span>" (*cls_len 0). Aborts on anything else. */
static size_t
tag(const struct check *c, size_t at, const char **cls, size_t *cls_len)
{
    static const char open[] = "<span class=\"", close[] = "</span>";
    const char *s = c->html + at;
    size_t n = c->len - at;
    if (n >= sizeof close - 1 && memcmp(s, close, sizeof close - 1) == 0) {
        *cls_len = 0;
        return sizeof close - 1;
    }
    if (n < sizeof open - 1 || memcmp(s, open, sizeof open - 1) != 0)
        fail(c, at, "a tag other than <span class=\"X\"> or </span>");
    size_t i = sizeof open - 1;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9')))
        i++;
    if (i == sizeof open - 1 || i + 1 >= n || s[i] != '"' || s[i + 1] != '>')
        fail(c, at, "a span class that is not [a-z0-9]+");
    *cls = s + sizeof open - 1;
    *cls_len = i - (sizeof open - 1);
    return i + 2;
}

/* Checks c's HTML and returns the text it shows (malloc'd, *len bytes). */
static char *
text_of(const struct check *c, size_t *text_len)
{
    char *text = xmalloc(c->len + 1);
    size_t n = 0, at = 0;
    const char *open_cls = NULL, *last_cls = NULL; /* last_cls: closed
                                                       just before */
    size_t open_len = 0, last_len = 0;
    while (at < c->len) {
        char ch = c->html[at];
        if (ch == '<') {
            const char *cls;
            size_t cls_len, taglen = tag(c, at, &cls, &cls_len);
            if (cls_len == 0) {
                if (!open_cls)
                    fail(c, at, "</span> with no span open");
                last_cls = open_cls, last_len = open_len;
                open_cls = NULL;
            } else {
                if (open_cls)
                    fail(c, at, "a span inside a span");
                if (last_cls && last_len == cls_len &&
                    memcmp(last_cls, cls, cls_len) == 0)
                    fail(c, at, "two adjacent spans of one class");
                open_cls = cls, open_len = cls_len;
                last_cls = NULL;
            }
            at += taglen;
            continue;
        }
        last_cls = NULL;
        if (ch == '&') {
            size_t elen = entity(c->html + at, c->len - at, &text[n]);
            if (!elen)
                fail(c, at, "a raw '&'");
            n++;
            at += elen;
            continue;
        }
        if (ch == '>' || ch == '"' || ch == '\'')
            fail(c, at, "an unescaped '>', '\"' or '\\''");
        if (ch == '\n' && open_cls)
            fail(c, at, "a newline inside a span");
        text[n++] = ch;
        at++;
    }
    if (open_cls)
        fail(c, c->len, "a span left open at the end");
    *text_len = n;
    return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *lang = langs[data[0] % NLANGS];
    const char *code = (const char *)data + 1;
    size_t len = size - 1;
    struct buf html = BUF_INIT;
    if (!highlight_code(&html, lang, code, len)) {
        fprintf(stderr, "fuzz_highlight: %s: highlight_code returned false\n",
                lang);
        abort();
    }
    struct check c = { lang, html.data ? html.data : "", html.len };
    size_t text_len;
    char *text = text_of(&c, &text_len);
    if (text_len != len || memcmp(text, code, len) != 0) {
        size_t i = 0;
        while (i < len && i < text_len && text[i] == code[i])
            i++;
        fprintf(stderr, "fuzz_highlight: %s: the round trip differs at byte "
                "%zu of the code (%zu bytes in, %zu out)\n", lang, i, len,
                text_len);
        abort();
    }
    free(text);
    buf_dispose(&html);
    return 0;
}
