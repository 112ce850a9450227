/* lex_xml.c: the XML lexer of the highlighter (SVG too), after Pygments'
 * XmlLexer rule by rule: tags with their '<' '/' '>' (nt), attributes with
 * their '=' (na), values (s), entities (ni), comments (cm), declarations,
 * processing instructions and CDATA (cp). Case matters, unlike in HTML. */
#include "lexer.h"

#define NONE ((size_t)-1)

/* Pygments' states */
enum { ROOT, TAG, ATTR };

/* A remembered search: the first hit at or after from is at (end if none),
 * which holds for any later start up to at. Bounded by the lexer's end. */

enum { M_CDATA, M_COMMENT, M_PI, M_DECL, M_DQUOTE, M_SQUOTE, M_ENTITY, M_NAME, M_COUNT };

struct xml {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
    bool name_eq;   /* for memo[M_NAME]: whether spaces and '=' follow */
};



/* The ASCII bytes of [\w:.-] */
static const bool name_bytes[256] = {
    ['-'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
    ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1,
    [':'] = 1, ['.'] = 1,
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

/* The run at p of [\w:.-]. */
static size_t
name_run(const struct hl *h, size_t p)
{
    size_t q = p, n;
    for (;;) {
        while (q < h->end && name_bytes[(unsigned char)h->s[q]])
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

/* &\S*?; at p: the entity's length, or 0; the end of the run scanned is
 * remembered for the '&'s inside it. */
static size_t
entity(struct xml *x, size_t p)
{
    const struct hl *h = x->h;
    struct hl_seek *m = &x->memo[M_ENTITY];
    if (!hl_seek_valid(m, p + 1)) {
        m->from = p + 1;
        m->at = p + 1 + non_space_run(h, p + 1, ";");
    }
    return hl_at(h, m->at) == ';' ? m->at + 1 - p : 0;
}

/* A construct at '<' closed by closer, searched from pos + skip: emitted as
 * cls, true; false if it is not closed. */
static bool
closed(struct xml *x, int memo, size_t skip, const char *closer, enum hl_class cls)
{
    struct hl *h = x->h;
    size_t n = strlen(closer);
    size_t at = hl_seek(h, &x->memo[memo], closer, n, h->pos + skip);
    if (at == NONE)
        return false;
    hl_emit(h, cls, at + n - h->pos);
    return true;
}

/* <\s*[\w:.-]+ (an opening tag, then its attributes) or an end tag with
 * spaces allowed around the '/' and before the '>', at pos; false if
 * neither. */
static bool
tag_open(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, q = p + 1 + hl_space(h, p + 1, true), n;
    if ((n = name_run(h, q))) {
        hl_emit(h, HL_NT, q + n - p);
        hl_stack_push(&x->st, TAG);
        return true;
    }
    if (hl_at(h, q) != '/')
        return false;
    q += 1 + hl_space(h, q + 1, true);
    if (!(n = name_run(h, q)))
        return false;
    q += n + hl_space(h, q + n, true);
    if (hl_at(h, q) != '>')
        return false;
    hl_emit(h, HL_NT, q + 1 - p);
    return true;
}

static void
root(struct xml *x)
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
    } else if (!(hl_starts(h, p, "<![CDATA[", 9) && closed(x, M_CDATA, 9, "]]>", HL_CP)) &&
               !(hl_starts(h, p, "<!--", 4) && closed(x, M_COMMENT, 4, "-->", HL_CM)) &&
               !(hl_starts(h, p, "<?", 2) && closed(x, M_PI, 2, "?>", HL_CP)) &&
               !(hl_starts(h, p, "<!", 2) && closed(x, M_DECL, 2, ">", HL_CP)) &&
               !tag_open(x)) {
        hl_no_match(h, &x->st);
    }
}

/* [\w.:-]+\s*= at p: its length, or 0. The run's end and what follows it
 * are remembered, so that the bytes of a long name without '=', each an
 * error, do not rescan it. */
static size_t
attribute(struct xml *x, size_t p)
{
    const struct hl *h = x->h;
    struct hl_seek *m = &x->memo[M_NAME];
    if (!(m->from != NONE && m->from <= p && p < m->at)) {
        size_t n = name_run(h, p);
        if (!n)
            return 0;
        m->from = p;
        m->at = p + n;
        x->name_eq = hl_at(h, m->at + hl_space(h, m->at, true)) == '=';
    }
    return x->name_eq ? m->at + hl_space(h, m->at, true) + 1 - p : 0;
}

static void
tag(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, sp = 0;
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if ((n = attribute(x, p))) {
        hl_emit(h, HL_NA, n);
        hl_stack_push(&x->st, ATTR);
    } else if (h->s[p] == '>' ||
               (h->s[p] == '/' && hl_at(h, p + 1 + (sp = hl_space(h, p + 1, true))) == '>')) {
        hl_emit(h, HL_NT, h->s[p] == '>' ? 1 : sp + 2);
        hl_stack_pop(&x->st);
    } else {
        hl_no_match(h, &x->st);
    }
}

static void
attr(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, close = NONE;
    char c = h->s[p];
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (c == '"' || c == '\'')
        close = hl_seek(h, &x->memo[c == '"' ? M_DQUOTE : M_SQUOTE], &c, 1, p + 1);
    n = close != NONE ? close + 1 - p : non_space_run(h, p, ">");
    if (!n) {
        hl_no_match(h, &x->st);
        return;
    }
    hl_emit(h, HL_S, n);
    hl_stack_pop(&x->st);
}

void
lex_xml(struct hl *h)
{
    struct xml x = { .h = h };
    for (int i = 0; i < M_COUNT; i++)
        x.memo[i] = (struct hl_seek){ NONE, 0 };
    hl_stack_init(&x.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&x.st)) {
        case ROOT:
            root(&x);
            break;
        case TAG:
            tag(&x);
            break;
        default:
            attr(&x);
            break;
        }
    }
    hl_stack_dispose(&x.st);
}
