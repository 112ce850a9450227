/* markdown.c: the parts of a Telegram message (plain text and entities)
 * as Markdown that cmark-gfm renders back to the same text and
 * formatting, for import/. Lines are written one by one: a newline is a
 * hard break, an empty line a paragraph break; inline formatting never
 * spans a line, so no block syntax can start inside it. Emphasis follows
 * CommonMark's flanking rules: a delimiter that would not open or close
 * where it stands gets the space or punctuation next to it moved outside,
 * rather than being shown as a literal asterisk. */
#include "import_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/utf8.h"

#include <string.h>

/* What CommonMark's flanking rules see in a character. Non-ASCII
 * punctuation and symbols are UNSURE (cmark-gfm's versions disagree on
 * symbols, and utf8_classify tells neither apart): every check treats
 * them as the worse of punctuation and alphanumeric. */
enum cls { CL_WS, CL_PUNCT, CL_ALNUM, CL_UNSURE };

static enum cls
classify(int32_t c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return CL_WS;
    if (c < 0x80)
        return (c > ' ' && c < 0x7f && !((c >= '0' && c <= '9') ||
                                         ((c | 0x20) >= 'a' &&
                                          (c | 0x20) <= 'z')))
                   ? CL_PUNCT
                   : CL_ALNUM;
    switch (utf8_classify(c)) {
    case UTF8_SEPARATOR:
        return c == 0x2028 || c == 0x2029 ? CL_ALNUM : CL_WS;
    case UTF8_OTHER:
        return CL_UNSURE;
    default:
        return CL_ALNUM;
    }
}

static int32_t
first_char(const char *s, size_t len)
{
    size_t n;
    int32_t c = utf8_decode(s, len, &n);
    return c < 0 ? 0xfffd : c;
}

/* The start of the last character of s[0..len) (len > 0). */
static size_t
last_start(const char *s, size_t len)
{
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static int32_t
last_char(const char *s, size_t len)
{
    size_t i = last_start(s, len);
    return first_char(s + i, len - i);
}

/* A delimiter opens where it stands when the character after it (c) is
 * surely no punctuation, or the one before it (p) is a space or surely
 * punctuation; it closes when the one before it (e) is surely no
 * punctuation, or the one after it (n) is a space or surely punctuation.
 * (The content never starts or ends with a space.) '_' must besides not
 * stand inside a word. */
static bool
opens(enum cls p, enum cls c, char delim)
{
    if (delim == '_')
        return p == CL_WS || p == CL_PUNCT;
    return c == CL_ALNUM || p == CL_WS || p == CL_PUNCT;
}

static bool
closes(enum cls e, enum cls n, char delim)
{
    if (delim == '_')
        return n == CL_WS || n == CL_PUNCT;
    return e == CL_ALNUM || n == CL_WS || n == CL_PUNCT;
}

/* The writer of one line. */
struct line_out {
    struct buf *out;
    size_t start; /* where the line's text starts in out */
    char closer;  /* the character of the closing delimiter run that out
                     ends with, or 0 */
};

static enum cls
class_before(const struct line_out *w)
{
    if (w->out->len == w->start)
        return CL_WS;
    return classify(last_char(w->out->data + w->start,
                              w->out->len - w->start));
}

static bool
is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
                                                   (c | 0x20) <= 'z');
}

/* Whether s[i] ('&') could start an entity reference: &name; &#123; &#x1f; */
static bool
entity_like(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    if (j < len && s[j] == '#')
        j++;
    size_t k = j;
    while (k < len && k - j < 32 && is_word_byte((unsigned char)s[k]) &&
           (unsigned char)s[k] < 0x80)
        k++;
    return k > j && k < len && s[k] == ';';
}

/* At the start of a line: the escape that keeps s from starting a block
 * (heading, list item, thematic break, setext underline, table row);
 * returns the bytes written from s. */
static size_t
put_line_start(struct buf *b, const char *s, size_t len)
{
    char c = s[0];
    if (c == '#') {
        size_t n = 0;
        while (n < len && s[n] == '#')
            n++;
        if (n <= 6 && (n == len || s[n] == ' ' || s[n] == '\t')) {
            buf_puts(b, "\\#");
            return 1;
        }
        return 0;
    }
    if (c == '-' || c == '+' || c == '=' || c == ':') {
        buf_putc(b, '\\');
        buf_putc(b, c);
        return 1;
    }
    if (c >= '0' && c <= '9') {
        size_t n = 0;
        while (n < len && n < 10 && s[n] >= '0' && s[n] <= '9')
            n++;
        if (n <= 9 && n < len && (s[n] == '.' || s[n] == ')')) {
            buf_put(b, s, n);
            buf_putc(b, '\\');
            buf_putc(b, s[n]);
            return n + 1;
        }
    }
    return 0;
}

/* Appends s[0..len) (no line break in it) so that it renders as itself.
 * Light (for URLs and other text gazette links itself): '_', '~' inside
 * a word and '&' that cannot start an entity stay as they are, so that a
 * URL stays one run of text. */
static void
put_text(struct line_out *w, const char *s, size_t len, bool light)
{
    struct buf *b = w->out;
    if (len)
        w->closer = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (b->len == w->start) {
            if (c == ' ' || c == '\t') { /* no indented code, kept */
                buf_puts(b, c == ' ' ? "&#32;" : "&#9;");
                continue;
            }
            size_t n = put_line_start(b, s + i, len - i);
            if (n) {
                i += n - 1;
                continue;
            }
        }
        bool esc;
        switch (c) {
        case '\\': case '`': case '*': case '[': case ']': case '<':
        case '>': case '|':
            esc = true;
            break;
        case '_': case '~':
            esc = !light || i == 0 || i + 1 == len ||
                  !is_word_byte((unsigned char)s[i - 1]) ||
                  !is_word_byte((unsigned char)s[i + 1]);
            break;
        case '&':
            esc = !light || entity_like(s, len, i);
            break;
        case '{': /* "{:" would start a Kramdown attribute list */
            esc = i + 1 < len && s[i + 1] == ':';
            break;
        default:
            esc = false;
        }
        if (esc)
            buf_putc(b, '\\');
        buf_putc(b, c);
    }
}

static bool
is_space(int32_t c)
{
    return classify(c) == CL_WS;
}

/* Appends a code span: enough backticks, padded when the code starts or
 * ends with a backtick or with spaces at both ends (one is stripped). */
static void
put_code(struct line_out *w, const char *s, size_t len)
{
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    bool all_spaces = strspn(s, " ") >= len;
    bool pad = s[0] == '`' || s[len - 1] == '`' ||
               (s[0] == ' ' && s[len - 1] == ' ' && !all_spaces);
    for (size_t i = 0; i <= longest; i++)
        buf_putc(w->out, '`');
    if (pad)
        buf_putc(w->out, ' ');
    buf_put(w->out, s, len);
    if (pad)
        buf_putc(w->out, ' ');
    for (size_t i = 0; i <= longest; i++)
        buf_putc(w->out, '`');
    w->closer = 0;
}

/* The class of the first character that the segment after the one being
 * written will put out (next: NULL at the end of the line). Emphasis
 * counts by its text, in case it moves that character outside. */
static enum cls
next_class(const struct part *next)
{
    if (!next)
        return CL_WS;
    switch (next->type) {
    case PART_PLAIN: case PART_AUTO: case PART_BOLD: case PART_ITALIC:
    case PART_STRIKE:
        return classify(first_char(next->text, next->len));
    default:
        return CL_PUNCT; /* '`', '[', '<' */
    }
}

/* Appends bold, italic or strikethrough text. Spaces at its ends go
 * outside the delimiters; then, while a delimiter would not open or close
 * next to the character at that end, that character goes outside too;
 * text left with nothing inside is written plain. A delimiter next to a
 * closing run of the same character (bold right after italic) is written
 * with '_' when that works there. */
static void
put_emphasis(struct line_out *w, const struct part *p,
             const struct part *next)
{
    const char *s = p->text;
    size_t b = 0, e = p->len, n;
    while (b < e && is_space(first_char(s + b, e - b))) {
        utf8_decode(s + b, e - b, &n);
        b += n;
    }
    while (e > b && is_space(last_char(s + b, e - b)))
        e = b + last_start(s + b, e - b);
    const char *star = p->type == PART_BOLD     ? "**"
                       : p->type == PART_ITALIC ? "*"
                                                : "~~";
    char delim = star[0];
    enum cls before = b > 0 ? CL_WS : class_before(w);
    /* Emphasis right after, with the same delimiter (bold then italic):
     * this one takes '_' when it can, so that the next one need not. */
    bool adjacent = e == p->len && next &&
                    (next->type == PART_BOLD || next->type == PART_ITALIC ||
                     next->type == PART_STRIKE) &&
                    !is_space(first_char(next->text, next->len));
    bool same = adjacent && delim == '*' && next->type != PART_STRIKE;
    if (same && p->type != PART_STRIKE && opens(before, CL_ALNUM, '_') &&
        w->closer != '_') {
        star = p->type == PART_BOLD ? "__" : "_";
        delim = '_';
    }
    /* The end first: what follows is known. Emphasis right after opens
     * next to this closing delimiter, so it starts with its own. */
    enum cls after = e < p->len                ? CL_WS
                     : adjacent && (!same || delim == '_') ? CL_PUNCT
                                                           : next_class(next);
    size_t core_e = e;
    while (core_e > b &&
           !closes(classify(last_char(s + b, core_e - b)), after, delim)) {
        core_e = b + last_start(s + b, core_e - b);
        after = classify(first_char(s + core_e, e - core_e));
    }
    /* Then the start, against what is written. */
    size_t core_b = b;
    bool merge = b == 0 && w->closer == delim;
    while (core_b < core_e) {
        enum cls c = classify(first_char(s + core_b, core_e - core_b));
        if (!merge && opens(before, c, delim))
            break;
        if (merge && delim == '*' && opens(before, c, '_') &&
            closes(CL_ALNUM, after, '_')) {
            star = p->type == PART_BOLD ? "__" : "_";
            break;
        }
        utf8_decode(s + core_b, core_e - core_b, &n);
        before = classify(first_char(s + core_b, core_e - core_b));
        core_b += n;
        merge = false;
    }
    if (core_b >= core_e) { /* nothing can be emphasised here */
        put_text(w, s, p->len, false);
        return;
    }
    put_text(w, s, core_b, false);
    buf_puts(w->out, star);
    put_text(w, s + core_b, core_e - core_b, false);
    buf_puts(w->out, star);
    w->closer = star[0];
    put_text(w, s + core_e, p->len - core_e, false);
}

static void
put_link(struct line_out *w, const struct part *p, const char *dest)
{
    if (!p->text[strspn(p->text, " \t")]) { /* nothing to click */
        put_text(w, p->text, p->len, false);
        return;
    }
    buf_putc(w->out, '[');
    put_text(w, p->text, p->len, false);
    buf_puts(w->out, "](");
    import_markdown_dest(w->out, dest);
    buf_putc(w->out, ')');
    w->closer = 0;
}

/* tel: and the number's digits, with its '+' when it has one. */
static void
put_phone(struct line_out *w, const struct part *p, struct arena *a)
{
    char *dest = arena_alloc(a, p->len + 6);
    size_t n = 0;
    memcpy(dest, "tel:", 4), n = 4;
    for (size_t i = 0; i < p->len; i++)
        if ((p->text[i] >= '0' && p->text[i] <= '9') ||
            (p->text[i] == '+' && n == 4))
            dest[n++] = p->text[i];
    dest[n] = '\0';
    if (n == 4)
        put_text(w, p->text, p->len, false);
    else
        put_link(w, p, dest);
}

/* Appends one line's segments. */
static void
put_line(struct buf *out, const struct part *segs, size_t n,
         struct arena *a)
{
    struct line_out w = { .out = out, .start = out->len };
    for (size_t i = 0; i < n; i++) {
        const struct part *p = &segs[i];
        const struct part *next = i + 1 < n ? &segs[i + 1] : NULL;
        switch (p->type) {
        case PART_BOLD: case PART_ITALIC: case PART_STRIKE:
            put_emphasis(&w, p, next);
            break;
        case PART_UNDERLINE: case PART_SPOILER: {
            bool u = p->type == PART_UNDERLINE;
            buf_puts(out, u ? "<u>" : "<tg-spoiler>");
            put_text(&w, p->text, p->len, false);
            buf_puts(out, u ? "</u>" : "</tg-spoiler>");
            w.closer = 0;
            break;
        }
        case PART_CODE:
            put_code(&w, p->text, p->len);
            break;
        case PART_TEXT_LINK:
            put_link(&w, p, p->extra ? p->extra : "");
            break;
        case PART_PHONE:
            put_phone(&w, p, a);
            break;
        case PART_AUTO:
            put_text(&w, p->text, p->len, true);
            break;
        default:
            put_text(&w, p->text, p->len, false);
        }
    }
}

/* ---- lines and blocks ---- */

enum line_kind { LINE_TEXT, LINE_QUOTE, LINE_PRE };

struct line {
    enum line_kind kind;
    size_t first, n;       /* its segments */
    const struct part *pre; /* LINE_PRE */
};

struct lines {
    struct part *segs;
    size_t nsegs, segs_cap;
    struct line *items;
    size_t len, cap;
    struct line cur; /* being filled */
    struct arena *a;
};

static void
push_seg(struct lines *l, const struct part *p, const char *s, size_t len)
{
    if (!len)
        return;
    if (l->nsegs == l->segs_cap) {
        l->segs_cap = l->segs_cap ? 2 * l->segs_cap : 16;
        l->segs = xrealloc(l->segs, l->segs_cap * sizeof *l->segs);
    }
    l->segs[l->nsegs++] = (struct part){ .type = p->type,
                                         .text = arena_strndup(l->a, s, len),
                                         .len = len, .extra = p->extra };
    l->cur.n++;
}

/* Ends the current line (kept when keep_empty or not empty) and starts
 * one of kind. */
static void
end_line(struct lines *l, bool keep_empty, enum line_kind kind)
{
    if (l->cur.n || keep_empty) {
        if (l->len == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 16;
            l->items = xrealloc(l->items, l->cap * sizeof *l->items);
        }
        l->items[l->len++] = l->cur;
    }
    l->cur = (struct line){ .kind = kind, .first = l->nsegs };
}

/* Splits the parts into lines: at each newline, and around pre blocks and
 * blockquotes, which always stand on lines of their own. */
static void
split_lines(struct lines *l, const struct part *parts, size_t n)
{
    l->cur = (struct line){ .kind = LINE_TEXT };
    for (size_t i = 0; i < n; i++) {
        const struct part *p = &parts[i];
        if (p->type == PART_PRE) {
            end_line(l, false, LINE_PRE);
            l->cur.pre = p;
            end_line(l, true, LINE_TEXT);
            continue;
        }
        bool quote = p->type == PART_BLOCKQUOTE;
        enum line_kind kind = quote ? LINE_QUOTE : LINE_TEXT;
        if (l->cur.kind != kind) {
            /* A quote starts on a line of its own, and so does what
             * follows it. */
            if (l->cur.n)
                end_line(l, false, kind);
            else
                l->cur.kind = kind;
        }
        struct part plain = *p;
        if (quote)
            plain.type = PART_PLAIN;
        const char *s = p->text, *end = p->text + p->len;
        while (s <= end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            if (!nl) {
                push_seg(l, &plain, s, (size_t)(end - s));
                break;
            }
            push_seg(l, &plain, s, (size_t)(nl - s));
            end_line(l, true, kind);
            s = nl + 1;
        }
        if (quote && l->cur.n)
            end_line(l, false, LINE_TEXT);
        else if (quote)
            l->cur.kind = LINE_TEXT;
    }
    end_line(l, false, LINE_TEXT);
}

/* True when the line shows nothing (Markdown's blank line). */
static bool
blank(const struct lines *l, const struct line *ln)
{
    for (size_t i = ln->first; i < ln->first + ln->n; i++) {
        const struct part *p = &l->segs[i];
        if (p->len != strspn(p->text, " \t"))
            return false;
    }
    return true;
}

static void
put_pre(struct buf *out, const struct part *p)
{
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < p->len; i++) {
        run = p->text[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest >= 3 ? longest + 1 : 3;
    for (size_t i = 0; i < fence; i++)
        buf_putc(out, '`');
    /* The language: one word without backticks (an info string may hold
     * none after a backtick fence). */
    const char *lang = p->extra ? p->extra : "";
    size_t n = strcspn(lang, " \t\r\n`");
    if (!lang[n] || lang[n] != '`')
        buf_put(out, lang, n);
    buf_putc(out, '\n');
    buf_put(out, p->text, p->len);
    if (p->len && p->text[p->len - 1] != '\n')
        buf_putc(out, '\n');
    for (size_t i = 0; i < fence; i++)
        buf_putc(out, '`');
}

/* Same type and extra: two parts that read as one. */
static bool
same_kind(const struct part *a, const struct part *b)
{
    if (a->type != b->type)
        return false;
    if (!a->extra || !b->extra)
        return a->extra == b->extra;
    return !strcmp(a->extra, b->extra);
}

/* Copies the parts into out with line endings made '\n' and neighbours
 * of the same kind joined (two bold parts in a row are one bold text: two
 * runs of delimiters side by side would not read as two). */
static size_t
normalise(struct part *out, const struct part *parts, size_t n,
          struct arena *a)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i].len)
            continue;
        struct buf t = BUF_INIT;
        if (k && same_kind(&out[k - 1], &parts[i]) &&
            parts[i].type != PART_PRE) {
            k--;
            buf_put(&t, out[k].text, out[k].len);
        }
        for (size_t j = 0; j < parts[i].len; j++) {
            char c = parts[i].text[j];
            if (c == '\r' && j + 1 < parts[i].len &&
                parts[i].text[j + 1] == '\n')
                continue;
            buf_putc(&t, c == '\r' ? '\n' : c);
        }
        out[k] = parts[i];
        out[k].text = arena_strndup(a, t.data ? t.data : "", t.len);
        out[k].len = t.len;
        buf_dispose(&t);
        k++;
    }
    return k;
}

void
import_markdown(struct buf *out, const struct part *parts, size_t n)
{
    struct arena *a = arena_new();
    struct part *norm = arena_alloc(a, (n ? n : 1) * sizeof *norm);
    n = normalise(norm, parts, n, a);
    struct lines l = { .a = a };
    split_lines(&l, norm, n);
    /* Lines into blocks: a paragraph's lines joined by hard breaks, an
     * empty line ends it, a quote's paragraphs stay in one quote. */
    enum line_kind prev = LINE_TEXT;
    bool open = false, any = false;
    for (size_t i = 0; i < l.len; i++) {
        const struct line *ln = &l.items[i];
        if (ln->kind == LINE_PRE) {
            if (any)
                buf_puts(out, "\n\n");
            put_pre(out, ln->pre);
            any = true, open = false, prev = LINE_PRE;
            continue;
        }
        if (blank(&l, ln)) {
            open = false;
            continue;
        }
        bool quote = ln->kind == LINE_QUOTE;
        if (open && prev == ln->kind)
            buf_puts(out, quote ? "\\\n> " : "\\\n");
        else if (any && quote && prev == LINE_QUOTE)
            buf_puts(out, "\n>\n> ");
        else
            buf_puts(out, !any ? (quote ? "> " : "")
                               : (quote ? "\n\n> " : "\n\n"));
        put_line(out, l.segs + ln->first, ln->n, a);
        any = open = true;
        prev = ln->kind;
    }
    if (any)
        buf_putc(out, '\n');
    free(l.segs);
    free(l.items);
    arena_free(a);
}

void
import_markdown_line(struct buf *out, const char *text, size_t len)
{
    struct line_out w = { .out = out, .start = out->len };
    char *flat = xstrndup(text, len);
    for (size_t i = 0; i < len; i++)
        if (flat[i] == '\n' || flat[i] == '\r')
            flat[i] = ' ';
    put_text(&w, flat, len, false);
    free(flat);
}

void
import_markdown_dest(struct buf *out, const char *dest)
{
    buf_putc(out, '<');
    for (const unsigned char *c = (const unsigned char *)dest; *c; c++) {
        if (*c == '<' || *c == '>' || *c == '\\')
            buf_printf(out, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            buf_printf(out, "%%%02X", *c);
        else
            buf_putc(out, (char)*c);
    }
    buf_putc(out, '>');
}
