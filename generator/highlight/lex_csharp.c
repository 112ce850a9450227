/* lex_csharp.c: the C# lexer of the highlighter, after Pygments' CSharpLexer
 * (its default 'basic' identifiers): keywords (k, kt), method names (nf)
 * after a return type at a line's start, attributes (na), class names (nc),
 * namespaces (nn), preprocessor lines (cp), comments, strings (s, verbatim
 * and interpolated alike), characters (sc) and numbers (m). */
#include "lexer.h"

/* Pygments' states besides root: each takes one name, or nothing. */
enum state { ROOT, CLASS, NAMESPACE };

/* What a word is when it starts a token in root. */
enum kind { KEYWORD, TYPE, EXTERN, GLOBAL, CLASS_WORD, NAMESPACE_WORD };

static const struct word {
    const char *w;
    enum kind kind;
} words[] = {
    {"abstract", KEYWORD}, {"as", KEYWORD}, {"async", KEYWORD}, {"await", KEYWORD},
    {"base", KEYWORD}, {"break", KEYWORD}, {"by", KEYWORD}, {"case", KEYWORD},
    {"catch", KEYWORD}, {"checked", KEYWORD}, {"const", KEYWORD}, {"continue", KEYWORD},
    {"default", KEYWORD}, {"delegate", KEYWORD}, {"do", KEYWORD}, {"else", KEYWORD},
    {"enum", KEYWORD}, {"event", KEYWORD}, {"explicit", KEYWORD}, {"extern", EXTERN},
    {"false", KEYWORD}, {"finally", KEYWORD}, {"fixed", KEYWORD}, {"for", KEYWORD},
    {"foreach", KEYWORD}, {"goto", KEYWORD}, {"if", KEYWORD}, {"implicit", KEYWORD},
    {"in", KEYWORD}, {"interface", KEYWORD}, {"internal", KEYWORD}, {"is", KEYWORD},
    {"let", KEYWORD}, {"lock", KEYWORD}, {"new", KEYWORD}, {"null", KEYWORD},
    {"on", KEYWORD}, {"operator", KEYWORD}, {"out", KEYWORD}, {"override", KEYWORD},
    {"params", KEYWORD}, {"private", KEYWORD}, {"protected", KEYWORD},
    {"public", KEYWORD}, {"readonly", KEYWORD}, {"ref", KEYWORD}, {"return", KEYWORD},
    {"sealed", KEYWORD}, {"sizeof", KEYWORD}, {"stackalloc", KEYWORD},
    {"static", KEYWORD}, {"switch", KEYWORD}, {"this", KEYWORD}, {"throw", KEYWORD},
    {"true", KEYWORD}, {"try", KEYWORD}, {"typeof", KEYWORD}, {"unchecked", KEYWORD},
    {"unsafe", KEYWORD}, {"virtual", KEYWORD}, {"void", KEYWORD}, {"while", KEYWORD},
    {"get", KEYWORD}, {"set", KEYWORD}, {"partial", KEYWORD}, {"yield", KEYWORD},
    {"add", KEYWORD}, {"remove", KEYWORD}, {"value", KEYWORD}, {"alias", KEYWORD},
    {"ascending", KEYWORD}, {"descending", KEYWORD}, {"from", KEYWORD},
    {"group", KEYWORD}, {"into", KEYWORD}, {"orderby", KEYWORD}, {"select", KEYWORD},
    {"thenby", KEYWORD}, {"where", KEYWORD}, {"join", KEYWORD}, {"equals", KEYWORD},
    {"global", GLOBAL},
    {"bool", TYPE}, {"byte", TYPE}, {"char", TYPE}, {"decimal", TYPE}, {"double", TYPE},
    {"dynamic", TYPE}, {"float", TYPE}, {"int", TYPE}, {"long", TYPE}, {"object", TYPE},
    {"sbyte", TYPE}, {"short", TYPE}, {"string", TYPE}, {"uint", TYPE}, {"ulong", TYPE},
    {"ushort", TYPE}, {"var", TYPE},
    {"class", CLASS_WORD}, {"struct", CLASS_WORD},
    {"namespace", NAMESPACE_WORD}, {"using", NAMESPACE_WORD},
};
static struct hl_words word_index = HL_WORDS(words);

/* Bytes of operators and punctuation. */
enum { OP = 1, PUNCT = 2 };
static const unsigned char single[256] = {
    ['+'] = OP, ['-'] = OP, ['*'] = OP, ['/'] = OP, ['%'] = OP, ['&'] = OP, ['|'] = OP,
    ['^'] = OP, ['<'] = OP, ['>'] = OP, ['?'] = OP, ['!'] = OP, ['~'] = OP, ['='] = OP,
    ['('] = PUNCT, [')'] = PUNCT, ['['] = PUNCT, [']'] = PUNCT, [';'] = PUNCT,
    [':'] = PUNCT, [','] = PUNCT, ['.'] = PUNCT, ['{'] = PUNCT, ['}'] = PUNCT,
};

/* The operators of more than one byte, longest first: Pygments' words()
 * takes the longest. */
#define OP(s) { s, sizeof s - 1 }
static const struct long_op {
    const char *w;
    size_t n;
} long_ops[] = {
    OP(">>>="), OP(">>="), OP("<<="), OP("?\?="), OP(">>>"), OP("<="), OP(">="), OP("+="),
    OP("-="), OP("*="), OP("/="), OP("%="), OP("&="), OP("|="), OP("^="), OP("=>"), OP("??"),
    OP("?."), OP("!="), OP("=="), OP("&&"), OP("||"), OP(">>"), OP("<<"), OP("++"), OP("--"),
};
#undef OP

/* ASCII classes for the fast paths, one bit each; bytes >= 0x80 have none
 * and take the slow paths. */
enum {
    C_WORD = 1,      /* [A-Za-z0-9_] */
    C_START = 2,     /* [A-Za-z_], an identifier's first byte */
    C_SPACE = 4,     /* \s but the newline */
    C_NEWLINE = 8,
};
static const unsigned char ascii[256] = {
    ['a'] = C_START | C_WORD, ['b'] = C_START | C_WORD, ['c'] = C_START | C_WORD,
    ['d'] = C_START | C_WORD, ['e'] = C_START | C_WORD, ['f'] = C_START | C_WORD,
    ['g'] = C_START | C_WORD, ['h'] = C_START | C_WORD, ['i'] = C_START | C_WORD,
    ['j'] = C_START | C_WORD, ['k'] = C_START | C_WORD, ['l'] = C_START | C_WORD,
    ['m'] = C_START | C_WORD, ['n'] = C_START | C_WORD, ['o'] = C_START | C_WORD,
    ['p'] = C_START | C_WORD, ['q'] = C_START | C_WORD, ['r'] = C_START | C_WORD,
    ['s'] = C_START | C_WORD, ['t'] = C_START | C_WORD, ['u'] = C_START | C_WORD,
    ['v'] = C_START | C_WORD, ['w'] = C_START | C_WORD, ['x'] = C_START | C_WORD,
    ['y'] = C_START | C_WORD, ['z'] = C_START | C_WORD, ['A'] = C_START | C_WORD,
    ['B'] = C_START | C_WORD, ['C'] = C_START | C_WORD, ['D'] = C_START | C_WORD,
    ['E'] = C_START | C_WORD, ['F'] = C_START | C_WORD, ['G'] = C_START | C_WORD,
    ['H'] = C_START | C_WORD, ['I'] = C_START | C_WORD, ['J'] = C_START | C_WORD,
    ['K'] = C_START | C_WORD, ['L'] = C_START | C_WORD, ['M'] = C_START | C_WORD,
    ['N'] = C_START | C_WORD, ['O'] = C_START | C_WORD, ['P'] = C_START | C_WORD,
    ['Q'] = C_START | C_WORD, ['R'] = C_START | C_WORD, ['S'] = C_START | C_WORD,
    ['T'] = C_START | C_WORD, ['U'] = C_START | C_WORD, ['V'] = C_START | C_WORD,
    ['W'] = C_START | C_WORD, ['X'] = C_START | C_WORD, ['Y'] = C_START | C_WORD,
    ['Z'] = C_START | C_WORD, ['_'] = C_START | C_WORD, ['0'] = C_WORD, ['1'] = C_WORD,
    ['2'] = C_WORD, ['3'] = C_WORD, ['4'] = C_WORD, ['5'] = C_WORD, ['6'] = C_WORD,
    ['7'] = C_WORD, ['8'] = C_WORD, ['9'] = C_WORD, [' '] = C_SPACE, ['\t'] = C_SPACE,
    ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [0x1c] = C_SPACE,
    [0x1d] = C_SPACE, [0x1e] = C_SPACE, [0x1f] = C_SPACE, ['\n'] = C_NEWLINE,
};

struct cs {
    struct hl *h;
    enum state state;
    struct hl_seek comment_close, bracket_close, quote;  /* "*\/", ']', '"' */
    /* the method rule's last chain: from each word start in [chain_lo,
     * chain_hi] it leads to the name at chain_name, or to none (-1) */
    size_t chain_lo, chain_hi, chain_name;
    /* from each offset in [space_from, space_at], whitespace runs to space_at */
    size_t space_from, space_at;
    /* a string opened before each offset in [string_from, string_at] ends
     * at string_at ('"' or '\n'), or nowhere if string_at is end */
    size_t string_from, string_at;
};

/* ---- scanners ----------------------------------------------------------------- */

/* True for the other letters (Lo) of the big blocks that have little else:
 * CJK, kana, Hangul, Thai. Pygments' 'basic' identifiers leave Lo out. */
static bool
other_letter(int32_t cp)
{
    return (cp >= 0x0e01 && cp <= 0x0e30) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30a1 && cp <= 0x30fa) || (cp >= 0x3400 && cp <= 0x4dbf) ||
           (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
}

/* @?[letter][letter digit mark connector format]*: the length at p, or 0.
 * Python's identifier classes stand in for the Unicode categories. */
static size_t
ident_len(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t q = p + (hl_at(h, p) == '@');
    int c = hl_at(h, q);
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        q++;
    else if (c >= 0x80 && hl_cp_id_start((hl_char(h, q, &cp), cp)) && !other_letter(cp))
        q += hl_char(h, q, &cp);
    else
        return 0;
    for (;;) {
        q = hl_skip(h, q, ascii, C_WORD);
        if (hl_at(h, q) < 0x80)
            return q - p;
        size_t n = hl_char(h, q, &cp);
        if ((!hl_cp_id_cont(cp) && !(cp >= 0x200b && cp <= 0x200f) && cp != 0xfeff) ||
            other_letter(cp))
            return q - p;
        q += n;
    }
}

/* The end of the whitespace at p, remembered for the offsets it spans. */
static size_t
space_end(struct cs *c, size_t p)
{
    if (!(c->space_from <= p && p <= c->space_at)) {
        c->space_from = p;
        c->space_at = p + hl_space(c->h, p, true);
    }
    return c->space_at;
}

/* ident(?:\[\])?\s+ at p, whose ident is n bytes: the offset after it, or 0. */
static size_t
type_part_after(const struct hl *h, size_t p, size_t n)
{
    size_t sp;
    if (!n)
        return 0;
    if ((sp = hl_space(h, p + n, true)))
        return p + n + sp;
    if (hl_starts(h, p + n, "[]", 2) && (sp = hl_space(h, p + n + 2, true)))
        return p + n + 2 + sp;
    return 0;
}

/* ident(?:\[\])?\s+ at p: the offset after it, or 0. */
static size_t
type_part(const struct hl *h, size_t p)
{
    return type_part_after(h, p, ident_len(h, p));
}

/* The method rule after a line's [ \t]*: ((?:type_part)+?)(ident)(\s*)(\()
 * at p: the offset of the name, or (size_t)-1. The chain of words walked is
 * remembered, so that a line start later in it is answered at once. */
static size_t
method_name(struct cs *c, size_t p)
{
    const struct hl *h = c->h;
    size_t node = type_part(h, p), next;
    if (!node)
        return (size_t)-1;
    if (c->chain_lo <= node && node <= c->chain_hi)
        return c->chain_name;
    c->chain_lo = node;
    c->chain_name = (size_t)-1;
    for (;;) {
        size_t n = ident_len(h, node);   /* once for both rules */
        if (n && hl_at(h, node + n + hl_space(h, node + n, true)) == '(') {
            c->chain_name = node;
            break;
        }
        if (!(next = type_part_after(h, node, n)))
            break;
        node = next;
    }
    c->chain_hi = node;
    return c->chain_name;
}

/* The end of the string whose quote is at p: the closing quote or the
 * newline, after which (\\\\|\\[^\\]|[^"\\\n])* stops; or (size_t)-1 if
 * the text ends first. Remembered: an escape is the same from every start. */
static size_t
string_end(struct cs *c, size_t p)
{
    static const bool stop[256] = { ['"'] = true, ['\n'] = true, ['\\'] = true };
    const struct hl *h = c->h;
    size_t q = p + 1;
    if (!(c->string_from <= q && q <= c->string_at)) {
        c->string_from = q;
        for (;;) {
            q += hl_until(h, q, stop);
            if (q >= h->end || h->s[q] != '\\')
                break;
            if (q + 1 >= h->end) {
                q = h->end;
                break;
            }
            q += 1 + hl_char(h, q + 1, &(int32_t){0});
        }
        c->string_at = q < h->end ? q : h->end;
    }
    return c->string_at < h->end ? c->string_at : (size_t)-1;
}

/* @"(""|[^"])*" at p: its length, or 0. Where no single quote closes it,
 * the regex backs off to the last doubled one. */
static size_t
verbatim_len(struct cs *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = p + 2, last_pair = (size_t)-1, at;
    while ((at = hl_seek(h, &c->quote, "\"", 1, q)) != (size_t)-1) {
        if (hl_at(h, at + 1) != '"')
            return at + 1 - p;
        last_pair = at;
        q = at + 2;
    }
    return last_pair != (size_t)-1 ? last_pair + 1 - p : 0;
}

/* [0-9]+(\.[0-9]*)?([eE][+-][0-9]+)?[flFLdD]? at p. */
static size_t
number_len(const struct hl *h, size_t p)
{
    const char *digit = "0123456789";
    size_t q = p + hl_span(h, p, digit, (size_t)-1);
    if (hl_at(h, q) == '.')
        q += 1 + hl_span(h, q + 1, digit, (size_t)-1);
    size_t e;
    if (hl_in(hl_at(h, q), "eE") && hl_in(hl_at(h, q + 1), "+-") &&
        (e = hl_span(h, q + 2, digit, (size_t)-1)))
        q += 2 + e;
    return q + hl_in(hl_at(h, q), "flFLdD") - p;
}

/* '\.' or '[^\\]' at p: the length, or 0. */
static size_t
char_len(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t i = p + 1 + (hl_at(h, p + 1) == '\\');
    if (i >= h->end)
        return 0;
    size_t n = hl_char(h, i, &cp);
    return hl_at(h, i + n) == '\'' ? i + n + 1 - p : 0;
}

/* The directives Pygments knows after '#'. */
static bool
directive_word(const struct hl *h, size_t p, size_t n)
{
    static const char *const names[] = { "if", "endif", "else", "elif", "define", "undef",
                                         "line", "error", "warning", "region",
                                         "endregion", "pragma" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && !memcmp(h->s + p, names[i], n))
            return true;
    return false;
}

/* ---- root ----------------------------------------------------------------------- */

/* At a line start: a method's return type and name, or an attribute after
 * whitespace. False if neither. */
static bool
line_start(struct cs *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p, name, n, close;
    while (q < h->end && (h->s[q] == ' ' || h->s[q] == '\t'))
        q++;
    if ((name = method_name(c, q)) != (size_t)-1) {
        if (q > p)
            hl_emit(h, HL_TEXT, q - p);
        hl_sub(h, name, lex_csharp);
        hl_emit(h, HL_NF, ident_len(h, name));
        if ((n = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, n);
        hl_emit(h, HL_P, 1);
        return true;
    }
    q = space_end(c, p);
    if (hl_at(h, q) == '[' && (close = hl_seek(h, &c->bracket_close, "]", 1, q + 1)) !=
                                  (size_t)-1) {
        if (q > p)
            hl_emit(h, HL_TEXT, q - p);
        hl_emit(h, HL_NA, close + 1 - q);
        return true;
    }
    return false;
}

/* A '#' and a directive up to the end of its line (cp); false if none. */
static bool
preprocessor(struct hl *h)
{
    size_t p = h->pos, sp = hl_span(h, p + 1, " \t", (size_t)-1), q = p + 1 + sp;
    size_t n = hl_word_run(h, q), eol;
    if (!n || !directive_word(h, q, n) || (eol = hl_line_end(h, q)) >= h->end)
        return false;
    hl_emit(h, HL_CP, 1);
    if (sp)
        hl_emit(h, HL_TEXT, sp);
    hl_emit(h, HL_CP, eol - q);
    return true;
}

/* The word at pos: a keyword or type, class, struct, namespace and using
 * with the name after them, or a name. False if no identifier starts here. */
static bool
word(struct cs *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, w = hl_skip(h, p, ascii, C_WORD) - p, sp, n;
    if (hl_at(h, p + w) >= 0x80)
        w = hl_word_run(h, p);
    /* every word of the table is lower-case ASCII; the whole \w run ends
     * at a word boundary */
    bool lower = h->s[p] >= 'a' && h->s[p] <= 'z' && w <= 10;
    int i = lower ? hl_words_find(&word_index, h->s + p, w) : -1;
    enum kind kind = i >= 0 ? words[i].kind : KEYWORD;
    if (kind == EXTERN && (sp = hl_space(h, p + w, true)) &&
        hl_starts(h, p + w + sp, "alias", 5) && hl_boundary(h, p + w + sp + 5)) {
        hl_emit(h, HL_K, w);
        hl_emit(h, HL_TEXT, sp);
        hl_emit(h, HL_K, 5);
        return true;
    }
    if (i >= 0 && (kind == KEYWORD || kind == EXTERN)) {
        hl_emit(h, HL_K, w);
        return true;
    }
    if (kind == GLOBAL && hl_starts(h, p + w, "::", 2)) {
        hl_emit(h, HL_K, w);
        hl_emit(h, HL_P, 2);
        return true;
    }
    if (i >= 0 && kind == TYPE) {
        hl_emit(h, HL_KT, w + (hl_at(h, p + w) == '?'));
        return true;
    }
    if (i >= 0 && (kind == CLASS_WORD || kind == NAMESPACE_WORD) &&
        (sp = hl_space(h, p + w, true))) {
        hl_emit(h, HL_K, w);
        hl_emit(h, HL_TEXT, sp);
        c->state = kind == CLASS_WORD ? CLASS : NAMESPACE;
        return true;
    }
    /* an ASCII name that no UTF-8 goes on is the word */
    if (w && (ascii[(unsigned char)h->s[p]] & C_START) && hl_at(h, p + w) < 0x80)
        n = w;
    else if (!(n = ident_len(h, p)))
        return false;
    hl_emit(h, HL_N, n);
    return true;
}

/* An operator, the longest of Pygments' list. */
static void
operator(struct hl *h)
{
    char first = h->s[h->pos];
    for (size_t i = 0; i < sizeof long_ops / sizeof *long_ops; i++) {
        size_t n = long_ops[i].n;
        if (long_ops[i].w[0] == first && hl_starts(h, h->pos, long_ops[i].w, n)) {
            hl_emit(h, HL_O, n);
            return;
        }
    }
    hl_emit(h, HL_O, 1);
}

/* One token in root at pos. */
static void
root(struct cs *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    int next = hl_at(h, p + 1);
    if (hl_line_start(h, p) && line_start(c))
        return;
    /* the commonest first bytes decide at once: a name, a space */
    if (ascii[ch] & C_START) {
        if (!word(c))
            hl_emit(h, HL_ERR, 1);
    } else if (ascii[ch] & C_SPACE) {
        hl_emit(h, HL_TEXT, hl_space(h, p, false));
    } else if (ch != '\n' && (n = hl_space(h, p, false))) {
        hl_emit(h, HL_TEXT, n);
    } else if (ch == '\\' && next == '\n') {
        hl_emit(h, HL_TEXT, 2);
    } else if (ch == '/' && next == '/' && hl_line_end(h, p) < h->end) {
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
    } else if (ch == '/' && next == '*' &&
               (n = hl_seek(h, &c->comment_close, "*/", 2, p + 2)) != (size_t)-1) {
        hl_emit(h, HL_CM, n + 2 - p);
    } else if (ch == '\n') {
        hl_emit(h, HL_TEXT, 1);
    } else if (single[ch] == OP) {
        operator(h);
    } else if (single[ch] == PUNCT) {
        hl_emit(h, HL_P, 1);
    } else if (ch == '@' && next == '"' && (n = verbatim_len(c, p))) {
        hl_emit(h, HL_S, n);
    } else if ((ch == '"' || (ch == '$' && next == '"')) &&
               (n = string_end(c, p + (ch == '$'))) != (size_t)-1) {
        hl_emit(h, HL_S, n + 1 - p);
    } else if (ch == '\'' && (n = char_len(h, p))) {
        hl_emit(h, HL_SC, n);
    } else if (ch >= '0' && ch <= '9') {
        hl_emit(h, HL_M, number_len(h, p));
    } else if (ch == '#' && preprocessor(h)) {
        ;
    } else if (!word(c)) {
        hl_emit(h, HL_ERR, hl_char(h, p, &(int32_t){0}));
    }
}

/* One token in class or namespace, which take a name and return to root;
 * in namespace, other text is an error but for a newline or a '('. */
static void
name_state(struct cs *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p, n;
    if (c->state == CLASS) {
        c->state = ROOT;
        if ((n = ident_len(h, p)))
            hl_emit(h, HL_NC, n);
        return;
    }
    while ((n = ident_len(h, q)) || hl_at(h, q) == '.')
        q += n ? n : 1;
    if (q > p) {
        hl_emit(h, HL_NN, q - p);
        c->state = ROOT;
    } else if (h->s[p] == '(') {
        c->state = ROOT;
    } else if (h->s[p] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        c->state = ROOT;
    } else {
        hl_emit(h, HL_ERR, hl_char(h, p, &(int32_t){0}));
    }
}

void
lex_csharp(struct hl *h)
{
    struct cs c = { .h = h, .state = ROOT, .comment_close = HL_SEEK_INIT,
                    .bracket_close = HL_SEEK_INIT, .quote = HL_SEEK_INIT,
                    .chain_lo = 1, .chain_hi = 0, .space_from = 1, .space_at = 0,
                    .string_from = 1, .string_at = 0 };
    while (h->pos < h->end) {
        if (c.state == ROOT)
            root(&c);
        else
            name_state(&c);
    }
}
