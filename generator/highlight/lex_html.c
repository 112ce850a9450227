/* lex_html.c: the HTML lexer of the highlighter, after Pygments' HtmlLexer
 * rule by rule: tags (nt) and their '<' '/' '>' (p), attributes (na), '='
 * (o), values (s), entities (ni), comments (cm), doctypes, processing
 * instructions and CDATA (cp). The content of <script> is lexed as
 * JavaScript and that of <style> as CSS, up to the closing tag. */
#include "lex_markup.h"

#define NONE ((size_t)-1)
#define INLINE __attribute__((always_inline)) static inline
#define RARE __attribute__((noinline)) static

/* Pygments' states. Only root pushes (script or style content, then tag)
 * and only tag pushes attr, so what lies below a state is known: tag below
 * attr, root below script and style, and below tag the content it was
 * pushed with (root, script or style). No stack, then: the state and the
 * content below tag. */
enum { ROOT, TAG, ATTR, SCRIPT, STYLE };

/* The searches the rules repeat, one memo each. A quoted value needs none:
 * its search ends at its closing quote, where the lexing goes on. */
enum { M_CDATA, M_COMMENT, M_PI, M_DECL, M_ENTITY, M_SCRIPT, M_STYLE, M_COUNT };

struct html {
    struct hl *h;
    unsigned state;
    unsigned content;          /* below tag: ROOT, SCRIPT or STYLE */
    struct hl_seek memo[M_COUNT];
};

/* The run of \s at p: hl_space, after a look at p's byte that settles
 * the common case of none inline. */
static inline size_t
spaces(const struct hl *h, size_t p)
{
    return p < h->end && (class_at(h, p) & (SPACE | HIGH)) ? hl_space(h, p, true) : 0;
}

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

/* The same for a w of lower-case letters only, which a byte matches in
 * either case exactly when it is w's letter with bit 5 set. */
static inline bool
starts_letters_ci(const struct hl *h, size_t p, const char *w, size_t n)
{
    if (p + n > h->end)
        return false;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)h->s[p + i] | 0x20) != (unsigned char)w[i])
            return false;
    return true;
}

/* True if "script" or "style" in any case starts at p: "sc" or "st" is
 * enough to check for (span, strong and their like have neither). */
static inline bool
maybe_script_or_style(const struct hl *h, size_t p)
{
    int second = hl_at(h, p + 1) | 0x20;
    return (second == 'c' && starts_letters_ci(h, p, "script", 6)) ||
           (second == 't' && starts_letters_ci(h, p, "style", 5));
}

/* hl_no_match on our state in place of a stack. */
static void
no_match(struct html *x)
{
    if (hl_unmatched(x->h))
        x->state = ROOT;
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
        m->at = p + 1 + non_space_run(h, p + 1, SEMI);
    }
    return hl_at(h, m->at) == ';' ? m->at + 1 - p : 0;
}

/* The parts of (<)(\s*)(/)(\s*)(NAME)(\s*)(>) at a '<' */
struct end_tag {
    size_t slash, name, name_end, gt;
};

/* An end tag at p, its name either the lower-case name[0..n) in any case
 * or, when name is NULL, [\w:.-]+: true with its parts in *t, or false. */
static inline bool
end_tag_at(const struct hl *h, size_t p, const char *name, size_t n, struct end_tag *t)
{
    t->slash = p + 1 + spaces(h, p + 1);
    if (hl_at(h, t->slash) != '/')
        return false;
    t->name = t->slash + 1 + spaces(h, t->slash + 1);
    if (name ? !starts_letters_ci(h, t->name, name, n) : !(n = name_run(h, t->name, TAG_NAME)))
        return false;
    t->name_end = t->name + n;
    t->gt = t->name_end + spaces(h, t->name_end);
    return hl_at(h, t->gt) == '>';
}

/* The first end tag of name at or after from, or NONE. */
static size_t
find_end_tag(struct html *x, struct hl_seek *m, const char *name, size_t n, size_t from)
{
    const struct hl *h = x->h;
    struct end_tag t;
    if (!hl_seek_valid(m, from)) {
        size_t q = from;
        for (;;) {
            const char *lt = q < h->end ? memchr(h->s + q, '<', h->end - q) : NULL;
            if (!lt) {
                q = h->end;
                break;
            }
            q = (size_t)(lt - h->s);
            if (end_tag_at(h, q, name, n, &t))
                break;
            q++;
        }
        m->from = from;
        m->at = q;
    }
    return m->at < h->end ? m->at : NONE;
}

/* Emits the end tag t at pos: p, text, p, text, nt, text, p. */
static inline void
emit_end_tag(struct hl *h, const struct end_tag *t)
{
    if (t->slash > h->pos + 1) {
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_TEXT, t->slash - h->pos);
    }
    hl_emit(h, HL_P, t->slash + 1 - h->pos);   /* "</" at once when adjacent */
    if (t->name > h->pos)
        hl_emit(h, HL_TEXT, t->name - h->pos);
    hl_emit(h, HL_NT, t->name_end - t->name);
    if (t->gt > h->pos)
        hl_emit(h, HL_TEXT, t->gt - h->pos);
    hl_emit(h, HL_P, 1);
}

/* A construct at '<' closed by closer, searched from p + skip: emitted as
 * cls, true; false if it is not closed. */
static bool
closed(struct html *x, int memo, size_t skip, const char *closer, size_t n,
       enum hl_class cls)
{
    struct hl *h = x->h;
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
    size_t p = h->pos, gt;
    if ((starts_ci(h, p, "<![cdata[", 9) && closed(x, M_CDATA, 9, "]]>", 3, HL_CP)) ||
        (hl_starts(h, p, "<!--", 4) && closed(x, M_COMMENT, 4, "-->", 3, HL_CM)))
        return true;
    if ((gt = hl_seek(h, &x->memo[M_DECL], ">", 1, p + 2)) == NONE)
        return false;
    hl_emit(h, HL_CP, gt + 1 - p);
    return true;
}

/* Pygments' attr: a quoted or bare value. */
INLINE void
attr(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n = 0, close;
    char c = h->s[p];
    /* ".*?" and '.*?', then [^\s>]+; no memo: an unclosed quote has none
     * of its kind after it, so it is searched past once */
    if ((c == '"' || c == '\'') && (close = find_byte(h, p + 1, c)) != NONE)
        n = close + 1 - p;
    if (!n && !(n = non_space_run(h, p, ATTR_STOP))) {
        no_match(x);
        return;
    }
    hl_emit(h, HL_S, n);
    x->state = TAG;
}

/* Pygments' tag: attributes up to the '>' that ends the tag; all the
 * state's tokens while it lasts, without a round of the main loop each. */
INLINE void
tag(struct html *x)
{
    struct hl *h = x->h;
    const char *s = h->s;
    do {
        size_t p = h->pos, n, sp = 0, eq;
        unsigned k = class_at(h, p);
        if (k & (SPACE | HIGH)) {
            /* \s+: most often the one ' ' between attributes, seen inline */
            n = k == SPACE && p + 1 < h->end && !(class_at(h, p + 1) & (SPACE | HIGH))
                    ? 1 : hl_space(h, p, true);
            if (n) {
                hl_emit(h, HL_TEXT, n);
                if (h->pos == h->end)
                    return;
                p = h->pos;   /* no space follows: on to the other rules */
                k = class_at(h, p);
            }
        }
        if ((k & (ATTR_NAME | HIGH)) && (n = name_run(h, p, ATTR_NAME))) {
            /* ([\w:-]+\s*)(=)(\s*), the '=' most often right after */
            eq = p + n;
            if (hl_at(h, eq) != '=')
                eq += spaces(h, eq);
            hl_emit(h, HL_NA, n);
            if (hl_at(h, eq) != '=')
                continue;
            if (eq > h->pos)
                hl_emit(h, HL_TEXT, eq - h->pos);
            hl_emit(h, HL_O, 1);
            if ((sp = spaces(h, h->pos)))
                hl_emit(h, HL_TEXT, sp);
            x->state = ATTR;
            if (h->pos < h->end)   /* the value, without a round of the loop */
                attr(x);
        } else if (s[p] == '>') {
            hl_emit(h, HL_P, 1);
            x->state = x->content;
        } else if (s[p] == '/' && hl_at(h, p + 1 + (sp = spaces(h, p + 1))) == '>') {
            if (sp) {
                hl_emit(h, HL_P, 1);
                hl_emit(h, HL_TEXT, sp);
                hl_emit(h, HL_P, 1);
            } else {
                hl_emit(h, HL_P, 2);   /* "/>" at once */
            }
            x->state = x->content;
        } else {
            no_match(x);
        }
    } while (h->pos < h->end && x->state == TAG);
}

/* An opening tag at '<': '<', spaces, the name; pushes the tag's states. */
RARE bool
start_tag(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, sp = spaces(h, p + 1), q = p + 1 + sp, n;
    unsigned content = ROOT;
    bool s = (hl_at(h, q) | 0x20) == 's';
    if (s && starts_letters_ci(h, q, "script", 6)) {
        n = 6;
        content = SCRIPT;
    } else if (s && starts_letters_ci(h, q, "style", 5)) {
        n = 5;
        content = STYLE;
    } else if (!(n = name_run(h, q, TAG_NAME))) {
        return false;
    }
    hl_emit(h, HL_P, 1);
    if (sp)
        hl_emit(h, HL_TEXT, sp);
    hl_emit(h, HL_NT, n);
    if (content != ROOT && (sp = spaces(h, h->pos)))
        hl_emit(h, HL_TEXT, sp);
    x->content = content;
    x->state = TAG;
    return true;
}

/* The rules of root at the '<' at pos but for a plain start or end tag:
 * "<!" and "<?" open no tag, "</" only an end tag; only a start tag
 * leaves root. */
RARE void
markup(struct html *x)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    struct end_tag t;
    int next = hl_at(h, p + 1);
    if (next == '!' ? markup_declaration(x)
                    : next == '?' ? closed(x, M_PI, 2, "?>", 2, HL_CP)
                                  : next != '/' && start_tag(x))
        return;
    if (end_tag_at(h, p, NULL, 0, &t))
        emit_end_tag(h, &t);
    else
        no_match(x);
}

/* Pygments' root: text, entities, and what starts with '<'; all the
 * state's tokens while it lasts, and those of the tags it opens. */
INLINE void
root(struct html *x)
{
    struct hl *h = x->h;
    const char *s = h->s;
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        if (!(byte_class[(unsigned char)s[p]] & TEXT_STOP)) {
            hl_emit(h, HL_TEXT, text_end(h, p) - p);
            if (h->pos == h->end)
                return;
            p = h->pos;
        }
        if (s[p] == '&') {   /* no_match leaves the state root */
            if ((n = entity(x, p)))
                hl_emit(h, HL_NI, n);
            else
                no_match(x);
            continue;
        }
        int next = hl_at(h, p + 1);
        if (next >= 0 && (byte_class[next] & TAG_NAME) &&
            ((next | 0x20) != 's' || !maybe_script_or_style(h, p + 1))) {
            /* (<)(\s*)([\w:.-]+) with no space, not <script> or <style> */
            n = name_run(h, p + 1, TAG_NAME);
            hl_emit(h, HL_P, 1);
            hl_emit(h, HL_NT, n);
            x->content = ROOT;
            x->state = TAG;
        } else if (next == '/' && p + 2 < h->end && (class_at(h, p + 2) & TAG_NAME) &&
                   hl_at(h, p + 2 + (n = name_run(h, p + 2, TAG_NAME))) == '>') {
            /* (<)(\s*)(/)(\s*)([\w:.-]+)(\s*)(>) with no spaces */
            hl_emit(h, HL_P, 2);
            hl_emit(h, HL_NT, n);
            hl_emit(h, HL_P, 1);
            continue;
        } else {
            markup(x);
        }
        if (x->state == TAG && h->pos < h->end)   /* the attributes, without a round */
            tag(x);
        if (x->state != ROOT)
            return;
    }
}

/* Pygments' script-content and style-content: the closing tag, or the
 * text before it lexed by sub; without a closing tag, the rest of the
 * line, then root again. */
static void
content(struct html *x, bool script)
{
    struct hl *h = x->h;
    const char *name = script ? "script" : "style";
    size_t n = script ? 6 : 5, p = h->pos;
    hl_lexer sub = script ? lex_javascript : lex_css;
    struct end_tag t;
    if (h->s[p] == '<' && end_tag_at(h, p, name, n, &t)) {
        emit_end_tag(h, &t);
        x->state = ROOT;
        return;
    }
    size_t end = find_end_tag(x, &x->memo[script ? M_SCRIPT : M_STYLE], name, n, p + 1);
    if (end == NONE) {
        const char *nl = p + 1 < h->end ? memchr(h->s + p + 1, '\n', h->end - p - 1) : NULL;
        end = nl ? (size_t)(nl - h->s) + 1 : h->end;
        x->state = ROOT;
    }
    hl_sub(h, end, sub);
}

void
lex_html(struct hl *h)
{
    struct html x = { .h = h, .state = ROOT, .content = ROOT };
    for (int i = 0; i < M_COUNT; i++)
        x.memo[i] = (struct hl_seek)HL_SEEK_INIT;
    while (h->pos < h->end) {
        switch (x.state) {
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
            content(&x, x.state == SCRIPT);
            break;
        }
    }
}
