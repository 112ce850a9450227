/* lex_xml.c: the XML lexer of the highlighter (SVG too), after Pygments'
 * XmlLexer rule by rule: tags with their '<' '/' '>' (nt), attributes with
 * their '=' (na), values (s), entities (ni), comments (cm), declarations,
 * processing instructions and CDATA (cp). Case matters, unlike in HTML.
 *
 * The common tokens (text, "<name", "name=", a quoted value, ">") are
 * lexed inline in one loop; the rest, rarer, out of line. */
#include "lex_markup.h"
#include "lex_bytes.h"

#define NONE ((size_t)-1)
#define INLINE __attribute__((always_inline)) static inline
#define RARE __attribute__((noinline)) static

/* Pygments' states. Only root pushes tag and only tag pushes attr, so the
 * stack is one of [root], [root tag], [root tag attr]: its top says all. */
enum { ROOT, TAG, ATTR };

/* The searches the rules repeat, one memo each */
enum { M_CDATA, M_COMMENT, M_PI, M_DECL, M_ENTITY, M_COUNT };

struct xml {
    struct hl *h;
    unsigned state;
    struct hl_seek memo[M_COUNT];
};

/* hl_no_match on our state in place of a stack. */
static void
no_match(struct xml *x)
{
    if (hl_unmatched(x->h))
        x->state = ROOT;
}

/* &\S*?; at pos, else no rule: the end of the run scanned is remembered
 * for the '&'s inside it. */
RARE void
entity(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    struct hl_seek *m = &x->memo[M_ENTITY];
    if (!hl_seek_valid(m, p + 1)) {
        m->from = p + 1;
        m->at = p + 1 + non_space_run(h, p + 1, SEMI);
    }
    if (hl_at(h, m->at) == ';')
        hl_emit(h, HL_NI, m->at + 1 - p);
    else
        no_match(x);
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

/* <\s* then /\s*[\w:.-]+\s*> from the '/' at q, an end tag: emitted (nt),
 * true; false if it is not one. */
INLINE bool
end_tag(struct xml *x, size_t q)
{
    struct hl *h = x->h;
    size_t n;
    q++;
    if (q < h->end && (class_at(h, q) & (SPACE | HIGH)))
        q += hl_space(h, q, true);
    if (!(n = name_run(h, q, TAG_NAME)))
        return false;
    q += n;
    if (hl_at(h, q) != '>') {   /* most often right after the name */
        q += hl_space(h, q, true);
        if (hl_at(h, q) != '>')
            return false;
    }
    hl_emit(h, HL_NT, q + 1 - h->pos);
    return true;
}

/* The rules of root at the '<' at pos but where a name follows it: those
 * of "<!" and "<?" only there, then the tags' with spaces after the '<'. */
RARE void
markup(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, q, n;
    int next = hl_at(h, p + 1);
    if (next == '!') {
        if (hl_starts(h, p, "<![CDATA[", 9) && closed(x, M_CDATA, 9, "]]>", 3, HL_CP))
            return;
        if (hl_starts(h, p, "<!--", 4) && closed(x, M_COMMENT, 4, "-->", 3, HL_CM))
            return;
        size_t gt = hl_seek(h, &x->memo[M_DECL], ">", 1, p + 2);
        if (gt < h->end) {
            hl_emit(h, HL_CP, gt + 1 - p);
            return;
        }
    } else if (next == '?' && closed(x, M_PI, 2, "?>", 2, HL_CP)) {
        return;
    }
    q = p + 1 + hl_space(h, p + 1, true);
    if ((n = name_run(h, q, TAG_NAME))) {
        hl_emit(h, HL_NT, q + n - p);
        x->state = TAG;
    } else if (!(hl_at(h, q) == '/' && end_tag(x, q))) {
        no_match(x);
    }
}

/* Pygments' attr but for a closed quoted value: \s+; [^\s>]+ (s) back
 * to tag, and an unclosed '"' or '\'' is the start of one. */
RARE void
attr_other(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n;
    if ((class_at(h, p) & (SPACE | HIGH)) && (n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (!(n = non_space_run(h, p, ATTR_STOP))) {
        no_match(x);
        return;
    }
    hl_emit(h, HL_S, n);
    x->state = TAG;
}

/* Pygments' attr: \s+; ".*?", '.*?' or [^\s>]+ (s) back to tag. */
INLINE void
attr(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    char c = h->s[p];
    if (c == '"' || c == '\'') {
        /* no memo: an unclosed quote has none of its kind after it, so
         * it is searched past once; by memchr, as values are long enough
         * (XPath, URLs) for its vectors to pay */
        const char *close = memchr(h->s + p + 1, c, h->end - p - 1);
        if (close) {
            hl_emit(h, HL_S, (size_t)(close - h->s) + 1 - p);
            x->state = TAG;
            return;
        }
    }
    attr_other(x);
}

/* Pygments' tag at a byte that is not of an ASCII name, a space, '>' or
 * "/>": \s+ or [\w.:-]+\s*= from a byte >= 0x80, /\s*>, or no rule. */
RARE void
tag_other(struct xml *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n, sp;
    if (class_at(h, p) & HIGH) {
        if ((n = hl_space(h, p, true))) {
            hl_emit(h, HL_TEXT, n);
            return;
        }
        if ((n = name_run(h, p, TAG_NAME))) {
            sp = hl_space(h, p + n, true);
            if (hl_at(h, p + n + sp) == '=') {
                hl_emit(h, HL_NA, n + sp + 1);
                x->state = ATTR;
            } else {
                hl_emit(h, HL_ERR, n);   /* as tag() has it */
            }
            return;
        }
    }
    if (h->s[p] == '/' && hl_at(h, p + 1 + (sp = hl_space(h, p + 1, true))) == '>') {
        hl_emit(h, HL_NT, sp + 2);
        x->state = ROOT;
    } else {
        no_match(x);
    }
}

/* Pygments' tag: \s+; [\w.:-]+\s*= (na) into attr; /?\s*> (nt) out. All
 * the state's tokens while it lasts, and the values after the '='s,
 * without a round of the main loop each. */
INLINE void
tag(struct xml *x)
{
    struct hl *h = x->h;
    const char *s = h->s;
    do {
        size_t p = h->pos, n;
        unsigned k = class_at(h, p);
        if (k & SPACE) {
            /* most often the one ' ' before a name, else a newline and an
             * indent: sixteen bytes at a time */
            n = h->end - p > 1 && !(class_at(h, p + 1) & (SPACE | HIGH)) ? 1
                                                                         : hl_space_len(h, p);
            hl_emit(h, HL_TEXT, n);
            if (h->pos == h->end)
                return;
            p = h->pos;
            k = class_at(h, p);
        }
        if (k & TAG_NAME) {
            n = name_run(h, p, TAG_NAME);
            size_t e = p + n;
            if (hl_at(h, e) != '=') {   /* most often right after the name */
                e += hl_space(h, e, true);
                if (hl_at(h, e) != '=') {
                    /* no rule matches at any byte of the name: each is an
                     * error, as its rest is a name with nothing after it
                     * either */
                    hl_emit(h, HL_ERR, n);
                    continue;
                }
            }
            hl_emit(h, HL_NA, e + 1 - p);
            if (h->pos == h->end) {
                x->state = ATTR;
                return;
            }
            /* attr's closed quoted value, the usual, in place: the state
             * goes to attr and back only for the others */
            p = h->pos;
            const char *close = s[p] == '"' || s[p] == '\''
                                    ? memchr(s + p + 1, s[p], h->end - p - 1) : NULL;
            if (close) {
                hl_emit(h, HL_S, (size_t)(close - s) + 1 - p);
                continue;
            }
            x->state = ATTR;
            attr_other(x);
        } else if (s[p] == '>') {
            hl_emit(h, HL_NT, 1);
            x->state = ROOT;
            return;
        } else if (s[p] == '/' && hl_at(h, p + 1) == '>') {   /* /?\s*> as "/>" */
            hl_emit(h, HL_NT, 2);
            x->state = ROOT;
            return;
        } else {
            tag_other(x);
        }
    } while (h->pos < h->end && x->state == TAG);
}

/* Pygments' root: [^<&\s]+ and [^<&\S]+ as one run of text, then by the
 * byte that ends it &\S*?; or a rule of '<', "<name" (into tag, whose
 * tokens follow here) and "</name>" the common ones; all the state's
 * tokens while it lasts. */
INLINE void
root(struct xml *x)
{
    struct hl *h = x->h;
    const char *s = h->s;
    while (h->pos < h->end) {
        size_t p = h->pos;
        if (!(byte_class[(unsigned char)s[p]] & TEXT_STOP)) {
            hl_emit(h, HL_TEXT, text_end(h, p) - p);
            if (h->pos == h->end)
                return;
            p = h->pos;
        }
        if (s[p] == '&') {
            entity(x);
            continue;
        }
        int next = hl_at(h, p + 1);
        if (next >= 0 && (byte_class[next] & TAG_NAME)) {
            hl_emit(h, HL_NT, 1 + name_run(h, p + 1, TAG_NAME));
            x->state = TAG;
            if (h->pos == h->end)
                return;
            tag(x);
        } else if (!(next == '/' && end_tag(x, p + 1))) {
            markup(x);
        }
        if (x->state != ROOT)
            return;
    }
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
