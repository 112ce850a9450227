/* lex_html.c: the HTML lexer of the highlighter, after Pygments' HtmlLexer
 * rule by rule: tags (nt) and their '<' '/' '>' (p), attributes (na), '='
 * (o), values (s), entities (ni), comments (cm), doctypes, processing
 * instructions and CDATA (cp). The content of <script> is lexed as
 * JavaScript and that of <style> as CSS, up to the closing tag. */
#include "lexer.h"

#define NONE ((size_t)-1)

/* Pygments' states */
enum { ROOT, TAG, ATTR, SCRIPT, STYLE };

/* A remembered search: the first hit at or after from is at (end if none),
 * which holds for any later start up to at. Bounded by the lexer's end, so
 * that a lexer run on many small ranges never reads past them. */

/* The searches the rules repeat, one memo each */
enum { M_CDATA, M_COMMENT, M_PI, M_DECL, M_DQUOTE, M_SQUOTE, M_ENTITY,
       M_SCRIPT, M_STYLE, M_COUNT };

struct html {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
};



/* True if s[p..) starts with the lower-case w[0..n), ignoring ASCII case. */
static bool
starts_ci(const struct hl *h, size_t p, const char *w, size_t n)
{
    if (p + n > h->end)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h->s[p + i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)w[i])
            return false;
    }
    return true;
}

/* The ASCII bytes of names: 1 in attribute names ([\w:-]), 2 in tag
 * names ([\w:.-]) */
enum { ATTR_NAME = 1, TAG_NAME = 2 };
static const unsigned char name_bytes[256] = {
    ['-'] = 3, ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3,
    ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3, ['A'] = 3, ['B'] = 3, ['C'] = 3,
    ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3, ['H'] = 3, ['I'] = 3, ['J'] = 3,
    ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3, ['Q'] = 3,
    ['R'] = 3, ['S'] = 3, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3,
    ['Y'] = 3, ['Z'] = 3, ['_'] = 3, ['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3,
    ['e'] = 3, ['f'] = 3, ['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3,
    ['l'] = 3, ['m'] = 3, ['n'] = 3, ['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3,
    ['s'] = 3, ['t'] = 3, ['u'] = 3, ['v'] = 3, ['w'] = 3, ['x'] = 3, ['y'] = 3,
    ['z'] = 3,
    [':'] = 3, ['.'] = 2,
};

/* The length of the \w character at p >= 0x80, or 0; out of line, so
 * that the ASCII loops that call it stay lean. */
static size_t
word_char(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    return hl_cp_word(cp) ? n : 0;
}

/* The run at p of \w and the other bytes of the names of kind. */
static size_t
name_run(const struct hl *h, size_t p, unsigned kind)
{
    size_t q = p, n;
    for (;;) {
        while (q < h->end && (name_bytes[(unsigned char)h->s[q]] & kind))
            q++;
        if (q < h->end && (unsigned char)h->s[q] >= 0x80 && (n = word_char(h, q)))
            q += n;
        else
            return q - p;
    }
}

/* The run at p of characters other than \s and the ASCII bytes of stop. */
static size_t
non_space_run(const struct hl *h, size_t p, const char *stop)
{
    size_t q = p;
    int32_t cp;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (hl_in(c, stop) || hl_space(h, q, true))
                break;
            q++;
            continue;
        }
        size_t n = hl_char(h, q, &cp);
        if (hl_cp_space(cp))
            break;
        q += n;
    }
    return q - p;
}

/* &\S*?; at p: the entity's length, or 0. The end of the run of \S and
 * ';' is remembered, so that a run of '&' is scanned once. */
static size_t
entity(struct html *x, size_t p)
{
    const struct hl *h = x->h;
    struct hl_seek *m = &x->memo[M_ENTITY];
    if (!hl_seek_valid(m, p + 1)) {
        m->from = p + 1;
        m->at = p + 1 + non_space_run(h, p + 1, ";");
    }
    return hl_at(h, m->at) == ';' ? m->at + 1 - p : 0;
}

/* An end tag of NAME (lower case) at p, spaces allowed around the '/' and
 * before the '>': its length, or 0. */
static size_t
end_tag_at(const struct hl *h, size_t p, const char *name, size_t n)
{
    if (hl_at(h, p) != '<')
        return 0;
    size_t q = p + 1 + hl_space(h, p + 1, true);
    if (hl_at(h, q) != '/')
        return 0;
    q += 1 + hl_space(h, q + 1, true);
    if (!starts_ci(h, q, name, n))
        return 0;
    q += n + hl_space(h, q + n, true);
    return hl_at(h, q) == '>' ? q + 1 - p : 0;
}

/* The first end tag of name at or after from, or NONE. */
static size_t
find_end_tag(struct html *x, struct hl_seek *m, const char *name, size_t n, size_t from)
{
    const struct hl *h = x->h;
    if (!hl_seek_valid(m, from)) {
        size_t q = from;
        for (;;) {
            const char *lt = q < h->end ? memchr(h->s + q, '<', h->end - q) : NULL;
            if (!lt) {
                q = h->end;
                break;
            }
            q = (size_t)(lt - h->s);
            if (end_tag_at(h, q, name, n))
                break;
            q++;
        }
        m->from = from;
        m->at = q;
    }
    return m->at < h->end ? m->at : NONE;
}

/* Emits the end tag of n bytes at pos: punctuation, the name (nt). */
static void
emit_end_tag(struct hl *h, size_t n)
{
    size_t end = h->pos + n, k;
    hl_emit(h, HL_P, 1);
    if ((k = hl_space(h, h->pos, true)))
        hl_emit(h, HL_TEXT, k);
    hl_emit(h, HL_P, 1);
    if ((k = hl_space(h, h->pos, true)))
        hl_emit(h, HL_TEXT, k);
    k = name_run(h, h->pos, TAG_NAME);
    hl_emit(h, HL_NT, k);
    if (end - 1 > h->pos)
        hl_emit(h, HL_TEXT, end - 1 - h->pos);
    hl_emit(h, HL_P, 1);
}

/* A construct at '<' closed by closer, searched from p + skip: emitted as
 * cls, true; false if it is not closed. */
static bool
closed(struct html *x, int memo, size_t skip, const char *closer, enum hl_class cls)
{
    struct hl *h = x->h;
    size_t n = strlen(closer);
    size_t at = hl_seek(h, &x->memo[memo], closer, n, h->pos + skip);
    if (at == NONE)
        return false;
    hl_emit(h, cls, at + n - h->pos);
    return true;
}

/* CDATA, a comment or another declaration at "<!", if closed. */
static bool
markup_declaration(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    return (starts_ci(h, p, "<![cdata[", 9) && closed(x, M_CDATA, 9, "]]>", HL_CP)) ||
           (hl_starts(h, p, "<!--", 4) && closed(x, M_COMMENT, 4, "-->", HL_CM)) ||
           closed(x, M_DECL, 2, ">", HL_CP);
}

/* An opening tag at '<': '<', spaces, the name; pushes the tag's states. */
static bool
start_tag(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, sp = hl_space(h, p + 1, true), q = p + 1 + sp, n;
    unsigned content = ROOT;
    bool s = (hl_at(h, q) | 0x20) == 's';
    if (s && starts_ci(h, q, "script", 6)) {
        n = 6;
        content = SCRIPT;
    } else if (s && starts_ci(h, q, "style", 5)) {
        n = 5;
        content = STYLE;
    } else if (!(n = name_run(h, q, TAG_NAME))) {
        return false;
    }
    hl_emit(h, HL_P, 1);
    if (sp)
        hl_emit(h, HL_TEXT, sp);
    hl_emit(h, HL_NT, n);
    if (content != ROOT) {
        if ((sp = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, sp);
        hl_stack_push(&x->st, content);
    }
    hl_stack_push(&x->st, TAG);
    return true;
}

/* (<)(\s*)(/)(\s*)([\w:.-]+)(\s*)(>) at pos: its length, or 0. */
static size_t
end_tag(const struct hl *h)
{
    size_t q = h->pos + 1 + hl_space(h, h->pos + 1, true), n;
    if (hl_at(h, q) != '/')
        return 0;
    q += 1 + hl_space(h, q + 1, true);
    if (!(n = name_run(h, q, TAG_NAME)))
        return 0;
    q += n + hl_space(h, q + n, true);
    return hl_at(h, q) == '>' ? q + 1 - h->pos : 0;
}

/* Pygments' root: text, entities, and what starts with '<'. */
static void
root(struct html *x)
{
    static const bool stop[256] = { ['<'] = true, ['&'] = true };
    struct hl *h = x->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (c != '<' && c != '&') {
        hl_emit(h, HL_TEXT, hl_until(h, p, stop));
    } else if (c == '&') {
        if ((n = entity(x, p)))
            hl_emit(h, HL_NI, n);
        else
            hl_no_match(h, &x->st);
    } else if (!(hl_at(h, p + 1) == '!' && markup_declaration(x)) &&
               !(hl_at(h, p + 1) == '?' && closed(x, M_PI, 2, "?>", HL_CP)) &&
               !start_tag(x)) {
        if ((n = end_tag(h)))
            emit_end_tag(h, n);
        else
            hl_no_match(h, &x->st);
    }
}

/* Pygments' tag: attributes up to the '>' that ends the tag. */
static void
tag(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, sp, eq;
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if ((n = name_run(h, p, ATTR_NAME))) {
        sp = hl_space(h, p + n, true);
        if (hl_at(h, p + n + sp) != '=') {
            hl_emit(h, HL_NA, n);
            return;
        }
        hl_emit(h, HL_NA, n);
        if (sp)
            hl_emit(h, HL_TEXT, sp);
        hl_emit(h, HL_O, 1);
        if ((eq = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, eq);
        hl_stack_push(&x->st, ATTR);
    } else if (h->s[p] == '>' ||
               (h->s[p] == '/' && hl_at(h, p + 1 + (sp = hl_space(h, p + 1, true))) == '>')) {
        if (h->s[p] == '/') {
            hl_emit(h, HL_P, 1);
            if (sp)
                hl_emit(h, HL_TEXT, sp);
        }
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&x->st);
    } else {
        hl_no_match(h, &x->st);
    }
}

/* Pygments' attr: a quoted or bare value. */
static void
attr(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, close = NONE;
    char c = h->s[p];
    if (c == '"' || c == '\'')
        close = hl_seek(h, &x->memo[c == '"' ? M_DQUOTE : M_SQUOTE], &c, 1, p + 1);
    if (close != NONE)
        n = close + 1 - p;
    else
        n = non_space_run(h, p, ">");
    if (!n) {
        hl_no_match(h, &x->st);
        return;
    }
    hl_emit(h, HL_S, n);
    hl_stack_pop(&x->st);
}

/* Pygments' script-content and style-content: the closing tag, or the
 * text before it lexed by sub; without a closing tag, the rest of the
 * line, then root again. */
static void
content(struct html *x, bool script)
{
    struct hl *h = x->h;
    const char *name = script ? "script" : "style";
    size_t n = script ? 6 : 5, p = h->pos, k;
    hl_lexer sub = script ? lex_javascript : lex_css;
    if ((k = end_tag_at(h, p, name, n))) {
        emit_end_tag(h, k);
        hl_stack_pop(&x->st);
        return;
    }
    size_t end = find_end_tag(x, &x->memo[script ? M_SCRIPT : M_STYLE], name, n, p + 1);
    if (end == NONE) {
        const char *nl = p + 1 < h->end ? memchr(h->s + p + 1, '\n', h->end - p - 1) : NULL;
        end = nl ? (size_t)(nl - h->s) + 1 : h->end;
        hl_stack_pop(&x->st);
    }
    hl_sub(h, end, sub);
}

void
lex_html(struct hl *h)
{
    struct html x = { .h = h };
    for (int i = 0; i < M_COUNT; i++)
        x.memo[i] = (struct hl_seek)HL_SEEK_INIT;
    hl_stack_init(&x.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&x.st)) {
        case ROOT:
            root(&x);
            break;
        case TAG:
            tag(&x);
            break;
        case ATTR:
            attr(&x);
            break;
        default:
            content(&x, hl_stack_top(&x.st) == SCRIPT);
            break;
        }
    }
    hl_stack_dispose(&x.st);
}
