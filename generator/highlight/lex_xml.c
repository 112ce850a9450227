/* lex_xml.c: the XML lexer of the highlighter (SVG too), after Pygments'
 * XmlLexer rule by rule: tags with their '<' '/' '>' (nt), attributes with
 * their '=' (na), values (s), entities (ni), comments (cm), declarations,
 * processing instructions and CDATA (cp). Case matters, unlike in HTML. */
#include "lex_markup.h"

#define NONE ((size_t)-1)

/* Pygments' states. Only root pushes tag and only tag pushes attr, so the
 * stack is one of [root], [root tag], [root tag attr]: its top says all. */
enum { ROOT, TAG, ATTR };

/* The searches the rules repeat, one memo each */
enum { M_CDATA, M_COMMENT, M_PI, M_DECL, M_DQUOTE, M_SQUOTE, M_ENTITY, M_COUNT };

struct xml {
    struct hl *h;
    unsigned state;
    struct hl_seek memo[M_COUNT];
};

/* What a RegexLexer does where no rule matches: hl_no_match, on our
 * state in place of a stack. */
static void
no_match(struct xml *x)
{
    struct hl *h = x->h;
    int32_t cp;
    if (h->s[h->pos] == '\n') {
        x->state = ROOT;
        hl_emit(h, HL_TEXT, 1);
        return;
    }
    hl_emit(h, HL_ERR, hl_char(h, h->pos, &cp));
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
        m->at = p + 1 + non_space_run(h, p + 1, SEMI);
    }
    return hl_at(h, m->at) == ';' ? m->at + 1 - p : 0;
}

/* A construct at '<' closed by closer, searched from pos + skip: emitted as
 * cls, true; false if it is not closed. */
static bool
closed(struct xml *x, int memo, size_t skip, const char *closer, size_t n,
       enum hl_class cls)
{
    struct hl *h = x->h;
    size_t at = hl_seek(h, &x->memo[memo], closer, n, h->pos + skip);
    if (at == NONE)
        return false;
    hl_emit(h, cls, at + n - h->pos);
    return true;
}

static void tag(struct xml *x);

/* <\s*[\w:.-]+ (an opening tag, then its attributes) or an end tag with
 * spaces allowed around the '/' and before the '>', at pos; false if
 * neither. */
static bool
tag_open(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, q = p + 1 + hl_space(h, p + 1, true), n;
    if ((n = name_run(h, q, TAG_NAME))) {
        hl_emit(h, HL_NT, q + n - p);
        x->state = TAG;
        if (h->pos < h->end)   /* the attributes, without a round of the loop */
            tag(x);
        return true;
    }
    if (hl_at(h, q) != '/')
        return false;
    q += 1 + hl_space(h, q + 1, true);
    if (!(n = name_run(h, q, TAG_NAME)))
        return false;
    q += n + hl_space(h, q + n, true);
    if (hl_at(h, q) != '>')
        return false;
    hl_emit(h, HL_NT, q + 1 - p);
    return true;
}

/* Pygments' root: text and whitespace up to '<' or '&', entities, and the
 * rules of '<', those after "<!" and "<?" tried only there. */
static void
root(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (c != '<' && c != '&') {
        /* the text, then straight on to the '<' or '&' that ends it */
        hl_emit(h, HL_TEXT, skip_to(h, p, TEXT_STOP) - p);
        if (h->pos == h->end)
            return;
        p = h->pos;
        c = h->s[p];
    }
    if (c == '&') {
        if ((n = entity(x, p)))
            hl_emit(h, HL_NI, n);
        else
            no_match(x);
        return;
    }
    int next = hl_at(h, p + 1);
    if (next == '!') {
        if (hl_starts(h, p, "<![CDATA[", 9) && closed(x, M_CDATA, 9, "]]>", 3, HL_CP))
            return;
        if (hl_starts(h, p, "<!--", 4) && closed(x, M_COMMENT, 4, "-->", 3, HL_CM))
            return;
        size_t gt = hl_seek(h, &x->memo[M_DECL], ">", 1, p + 2);
        if (gt != NONE) {
            hl_emit(h, HL_CP, gt + 1 - p);
            return;
        }
    } else if (next == '?' && closed(x, M_PI, 2, "?>", 2, HL_CP)) {
        return;
    }
    if (!tag_open(x))
        no_match(x);
}

/* Pygments' attr: \s+; ".*?", '.*?' or [^\s>]+ (s) back to tag. */
static inline void
attr(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, close = NONE;
    char c = h->s[p];
    if ((class_at(h, p) & (SPACE | HIGH)) && (n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (c == '"' || c == '\'')
        close = hl_seek(h, &x->memo[c == '"' ? M_DQUOTE : M_SQUOTE], c == '"' ? "\"" : "'", 1,
                        p + 1);
    n = close != NONE ? close + 1 - p : non_space_run(h, p, ATTR_STOP);
    if (!n) {
        no_match(x);
        return;
    }
    hl_emit(h, HL_S, n);
    x->state = TAG;
}

/* Pygments' tag: \s+; [\w.:-]+\s*= (na) into attr; /?\s*> (nt) out. All
 * the state's tokens while it lasts, without a round of the main loop each. */
static void
tag(struct xml *x)
{
    struct hl *h = x->h;
    do {
        size_t p = h->pos, n, sp;
        unsigned k = class_at(h, p);
        if (k & (SPACE | HIGH)) {
            /* \s+: most often the one ' ' between attributes, seen inline */
            n = k == SPACE && p + 1 < h->end && !(class_at(h, p + 1) & (SPACE | HIGH))
                    ? 1 : hl_space(h, p, true);
            if (n) {
                hl_emit(h, HL_TEXT, n);
                continue;
            }
        }
        if ((k & (TAG_NAME | HIGH)) && (n = name_run(h, p, TAG_NAME))) {
            sp = hl_space(h, p + n, true);
            if (hl_at(h, p + n + sp) == '=') {
                hl_emit(h, HL_NA, n + sp + 1);
                x->state = ATTR;
                if (h->pos < h->end)   /* the value, without a round of the loop */
                    attr(x);
            } else {
                /* no rule matches at any byte of the name: each is an error,
                 * as its rest is a name with nothing after it either */
                hl_emit(h, HL_ERR, n);
            }
        } else if (h->s[p] == '>' ||
                   (h->s[p] == '/' && hl_at(h, p + 1 + (sp = hl_space(h, p + 1, true))) == '>')) {
            hl_emit(h, HL_NT, h->s[p] == '>' ? 1 : sp + 2);
            x->state = ROOT;
        } else {
            no_match(x);
        }
    } while (h->pos < h->end && x->state == TAG);
}

void
lex_xml(struct hl *h)
{
    struct xml x = { .h = h, .state = ROOT };
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
        default:
            attr(&x);
            break;
        }
    }
}
