/* lex_java.c: the Java lexer of the highlighter, after Pygments' JavaLexer:
 * keywords (k, kd, kt, kc, kn), method names (nf) after a return type,
 * annotations (nd), class and record names (nc), imports (nn), labels (nl),
 * names after a '.' (na), strings and text blocks, characters, numbers. */
#include "lexer.h"

/* Pygments' states besides root, each of which takes one name. */
enum state { ROOT, CLASS, VAR, IMPORT };

/* What a word is when it starts a token in root. */
enum kind { KEYWORD, DECLARATION, TYPE, CONSTANT, PACKAGE, CLASS_WORD, VAR_WORD,
            IMPORT_WORD };

static const struct word {
    const char *w;
    enum kind kind;
} words[] = {
    {"assert", KEYWORD}, {"break", KEYWORD}, {"case", KEYWORD}, {"catch", KEYWORD},
    {"continue", KEYWORD}, {"default", KEYWORD}, {"do", KEYWORD}, {"else", KEYWORD},
    {"finally", KEYWORD}, {"for", KEYWORD}, {"if", KEYWORD}, {"goto", KEYWORD},
    {"instanceof", KEYWORD}, {"new", KEYWORD}, {"return", KEYWORD}, {"switch", KEYWORD},
    {"this", KEYWORD}, {"throw", KEYWORD}, {"try", KEYWORD}, {"while", KEYWORD},
    {"abstract", DECLARATION}, {"const", DECLARATION}, {"enum", DECLARATION},
    {"extends", DECLARATION}, {"final", DECLARATION}, {"implements", DECLARATION},
    {"native", DECLARATION}, {"private", DECLARATION}, {"protected", DECLARATION},
    {"public", DECLARATION}, {"sealed", DECLARATION}, {"static", DECLARATION},
    {"strictfp", DECLARATION}, {"super", DECLARATION}, {"synchronized", DECLARATION},
    {"throws", DECLARATION}, {"transient", DECLARATION}, {"volatile", DECLARATION},
    {"yield", DECLARATION},
    {"boolean", TYPE}, {"byte", TYPE}, {"char", TYPE}, {"double", TYPE}, {"float", TYPE},
    {"int", TYPE}, {"long", TYPE}, {"short", TYPE}, {"void", TYPE},
    {"true", CONSTANT}, {"false", CONSTANT}, {"null", CONSTANT},
    {"package", PACKAGE}, {"class", CLASS_WORD}, {"interface", CLASS_WORD},
    {"var", VAR_WORD}, {"import", IMPORT_WORD},
};
static struct hl_words word_index = HL_WORDS(words);

/* Bytes that are one token each in root: operators and punctuation. */
enum { OP = 1, PUNCT = 2 };
static const unsigned char single[256] = {
    ['~'] = OP, ['^'] = OP, ['*'] = OP, ['!'] = OP, ['%'] = OP, ['&'] = OP, ['['] = OP,
    [']'] = OP, ['<'] = OP, ['>'] = OP, ['|'] = OP, ['+'] = OP, ['='] = OP, ['/'] = OP,
    ['?'] = OP, ['-'] = OP, ['{'] = PUNCT, ['}'] = PUNCT, ['('] = PUNCT, [')'] = PUNCT,
    [';'] = PUNCT, [':'] = PUNCT, ['.'] = PUNCT, [','] = PUNCT,
};

/* The modifiers that may come before 'record'. */
static const struct modifier {
    const char *w;
    size_t n;
} modifiers[] = { {"public", 6}, {"private", 7}, {"protected", 9}, {"static", 6},
                  {"strictfp", 8} };

/* ASCII classes for the fast paths, one bit each; bytes >= 0x80 have none
 * and take the slow paths. */
enum {
    J_WORD = 1,     /* [A-Za-z0-9_] */
    J_DOLLAR = 2,   /* $, in names */
    J_TYPE = 4,     /* .[]<>, in a return type's words */
    J_START = 8,    /* [A-Za-z_$], a name's first byte */
    J_SPACE = 16,   /* \s but the newline */
    J_DOT = 32,     /* ., in dotted names */
    J_NEWLINE = 64,
};
static const unsigned char ascii[256] = {
    ['a'] = J_START | J_WORD, ['b'] = J_START | J_WORD, ['c'] = J_START | J_WORD,
    ['d'] = J_START | J_WORD, ['e'] = J_START | J_WORD, ['f'] = J_START | J_WORD,
    ['g'] = J_START | J_WORD, ['h'] = J_START | J_WORD, ['i'] = J_START | J_WORD,
    ['j'] = J_START | J_WORD, ['k'] = J_START | J_WORD, ['l'] = J_START | J_WORD,
    ['m'] = J_START | J_WORD, ['n'] = J_START | J_WORD, ['o'] = J_START | J_WORD,
    ['p'] = J_START | J_WORD, ['q'] = J_START | J_WORD, ['r'] = J_START | J_WORD,
    ['s'] = J_START | J_WORD, ['t'] = J_START | J_WORD, ['u'] = J_START | J_WORD,
    ['v'] = J_START | J_WORD, ['w'] = J_START | J_WORD, ['x'] = J_START | J_WORD,
    ['y'] = J_START | J_WORD, ['z'] = J_START | J_WORD, ['A'] = J_START | J_WORD,
    ['B'] = J_START | J_WORD, ['C'] = J_START | J_WORD, ['D'] = J_START | J_WORD,
    ['E'] = J_START | J_WORD, ['F'] = J_START | J_WORD, ['G'] = J_START | J_WORD,
    ['H'] = J_START | J_WORD, ['I'] = J_START | J_WORD, ['J'] = J_START | J_WORD,
    ['K'] = J_START | J_WORD, ['L'] = J_START | J_WORD, ['M'] = J_START | J_WORD,
    ['N'] = J_START | J_WORD, ['O'] = J_START | J_WORD, ['P'] = J_START | J_WORD,
    ['Q'] = J_START | J_WORD, ['R'] = J_START | J_WORD, ['S'] = J_START | J_WORD,
    ['T'] = J_START | J_WORD, ['U'] = J_START | J_WORD, ['V'] = J_START | J_WORD,
    ['W'] = J_START | J_WORD, ['X'] = J_START | J_WORD, ['Y'] = J_START | J_WORD,
    ['Z'] = J_START | J_WORD, ['_'] = J_START | J_WORD, ['0'] = J_WORD, ['1'] = J_WORD,
    ['2'] = J_WORD, ['3'] = J_WORD, ['4'] = J_WORD, ['5'] = J_WORD, ['6'] = J_WORD,
    ['7'] = J_WORD, ['8'] = J_WORD, ['9'] = J_WORD, ['$'] = J_START | J_DOLLAR,
    ['.'] = J_TYPE | J_DOT, ['['] = J_TYPE, [']'] = J_TYPE, ['<'] = J_TYPE, ['>'] = J_TYPE,
    [' '] = J_SPACE, ['\t'] = J_SPACE, ['\v'] = J_SPACE, ['\f'] = J_SPACE,
    ['\r'] = J_SPACE, [0x1c] = J_SPACE, [0x1d] = J_SPACE, [0x1e] = J_SPACE,
    [0x1f] = J_SPACE, ['\n'] = J_NEWLINE,
};

struct java {
    struct hl *h;
    enum state state;
    struct hl_seek comment_close;  /* the next "*\/" */
    /* the method rule's last chain: from each word start in [chain_lo,
     * chain_hi] it leads to the name at chain_name, or to none (-1) */
    size_t chain_lo, chain_hi, chain_name;
    /* from each line start in [lead_from, lead_at], whitespace and record's
     * modifiers run to lead_at; from each offset in [space_from, space_at],
     * whitespace runs to space_at */
    size_t lead_from, lead_at, space_from, space_at;
    /* from each offset in [word_from, word_at], a type_word runs to word_at */
    size_t word_from, word_at;
};

/* ---- scanners ----------------------------------------------------------------- */

/* A character that starts a name: [^\W\d] or '$'. */
static inline bool
name_start(const struct hl *h, size_t p)
{
    int c = hl_at(h, p);
    if (c < 0x80)
        return c >= 0 && (ascii[c] & J_START);
    int32_t cp;
    hl_char(h, p, &cp);
    return hl_cp_word(cp) && !hl_cp_digit(cp);
}

/* [\w$]* at p: ASCII runs in a tight loop. */
static size_t
name_rest(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = hl_skip(h, q, ascii, J_WORD | J_DOLLAR);
        if (hl_at(h, q) >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* (?:[^\W\d]|\$)[\w$]*: its length at p, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    if (!name_start(h, p))
        return 0;
    size_t n = (unsigned char)h->s[p] < 0x80 ? 1 : hl_char(h, p, &(int32_t){0});
    return n + name_rest(h, p + n);
}

/* [\w.]* at p: ASCII runs in a tight loop. */
static size_t
dotted_len(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = hl_skip(h, q, ascii, J_WORD | J_DOT);
        if (hl_at(h, q) >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* [\w.\[\]$<>]* at p: a word of a return type in the method rule. */
static size_t
type_word(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q = hl_skip(h, q, ascii, J_WORD | J_DOLLAR | J_TYPE);
        int c = hl_at(h, q);
        if (c >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &(int32_t){0});
        else
            return q - p;
    }
}

/* type_word at p, remembered for the offsets it spans: a name inside
 * a<b<c... would otherwise scan the rest of the run again. Its first
 * known bytes are known to be of it. */
static size_t
type_word_end(struct java *j, size_t p, size_t known)
{
    if (!(j->word_from <= p && p <= j->word_at)) {
        j->word_from = p;
        j->word_at = p + known + type_word(j->h, p + known);
    }
    return j->word_at;
}

/* The method rule's ((?:type_word\s+)+?)(name)(\s*)(\() at a word start p:
 * the offset of the name, or (size_t)-1. The chain of words it walks is
 * remembered, so that a word start later in it is answered at once. */
static size_t
method_name(struct java *j, size_t p, size_t known)
{
    const struct hl *h = j->h;
    size_t w = type_word_end(j, p, known) - p, sp = hl_space(h, p + w, true);
    if (!sp)
        return (size_t)-1;
    size_t node = p + w + sp;
    if (j->chain_lo <= node && node <= j->chain_hi)
        return j->chain_name;
    j->chain_lo = node;
    for (;;) {
        size_t n = name_len(h, node);
        if (n && hl_at(h, node + n + hl_space(h, node + n, true)) == '(') {
            j->chain_name = node;
            break;
        }
        j->chain_name = (size_t)-1;
        if (!n)
            break;
        w = n + type_word(h, node + n);   /* a name is the start of a type_word */
        sp = hl_space(h, node + w, true);
        if (!sp)
            break;
        node += w + sp;
    }
    j->chain_hi = node;
    return j->chain_name;
}

/* The end of the whitespace at p, remembered for the offsets it spans. */
static size_t
space_end(struct java *j, size_t p)
{
    if (!(j->space_from <= p && p <= j->space_at)) {
        j->space_from = p;
        j->space_at = p + hl_space(j->h, p, true);
    }
    return j->space_at;
}

/* Where ^\s*(?:modifier\s+)* from the line start p ends; 'record' there
 * makes a record's declaration. Remembered for the line starts it spans. */
static size_t
lead_end(struct java *j, size_t p)
{
    const struct hl *h = j->h;
    if (j->lead_from <= p && p <= j->lead_at)
        return j->lead_at;
    size_t q = space_end(j, p), sp;
    /* every modifier starts with 'p' or 's' */
    for (bool more = true; more && (hl_at(h, q) == 'p' || hl_at(h, q) == 's');) {
        more = false;
        for (size_t i = 0; i < sizeof modifiers / sizeof *modifiers; i++) {
            size_t n = modifiers[i].n;
            if (hl_starts(h, q, modifiers[i].w, n) && (sp = hl_space(h, q + n, true))) {
                q += n + sp;
                more = true;
                break;
            }
        }
    }
    j->lead_from = p;
    j->lead_at = q;
    return q;
}

/* [0-9][0-9_]* at p, or 0. */
static size_t
digits(const struct hl *h, size_t p)
{
    return hl_in(hl_at(h, p), "0123456789") ? hl_span(h, p, "0123456789_", (size_t)-1) : 0;
}

/* [0-9a-fA-F][0-9a-fA-F_]* at p, or 0. */
static size_t
hex_digits(const struct hl *h, size_t p)
{
    return hl_in(hl_at(h, p), HL_HEX) ? hl_span(h, p, HL_HEX "_", (size_t)-1) : 0;
}

/* [eE][+\-]?[0-9][0-9_]* at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p, const char *letters)
{
    if (!hl_in(hl_at(h, p), letters))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = digits(h, q);
    return d ? q + d - p : 0;
}

/* Pygments' Number.Float alternatives at p: the length, or 0. */
static size_t
float_len(const struct hl *h, size_t p)
{
    size_t a = digits(h, p), q, e, x;
    if ((a && hl_at(h, p + a) == '.') || (!a && hl_at(h, p) == '.' && digits(h, p + 1))) {
        q = p + a + 1;
        q += digits(h, q);
        q += exponent(h, q, "eE");
        return q + hl_in(hl_at(h, q), "fFdD") - p;
    }
    if (!a)
        return 0;
    if ((e = exponent(h, p + 1, "eE")))   /* one digit, then an exponent */
        return 1 + e + hl_in(hl_at(h, p + 1 + e), "fFdD");
    if (hl_in(hl_at(h, p + 1), "fFdD"))
        return 2;
    if (hl_at(h, p) != '0' || !hl_in(hl_at(h, p + 1), "xX"))
        return 0;
    q = p + 2;
    x = hex_digits(h, q);
    if (x && hl_in(hl_at(h, q + x + (hl_at(h, q + x) == '.')), "pP"))
        q += x + (hl_at(h, q + x) == '.');
    else if (hl_at(h, q + x) == '.' && (e = hex_digits(h, q + x + 1)))
        q += x + 1 + e;
    else
        return 0;
    if (!(e = exponent(h, q, "pP")))
        return 0;
    return q + e + hl_in(hl_at(h, q + e), "fFdD") - p;
}

/* A number at pos, emitted; false if there is none. */
static bool
number(struct hl *h)
{
    size_t p = h->pos, n;
    int x = hl_at(h, p + 1);
    enum hl_class cls = HL_MI;
    if ((n = float_len(h, p))) {
        hl_emit(h, HL_MF, n);
        return true;
    }
    if (hl_at(h, p) == '0' && hl_in(x, "xX") && (n = hex_digits(h, p + 2))) {
        cls = HL_MH;
        n += 2;
    } else if (hl_at(h, p) == '0' && hl_in(x, "bB") && hl_in(hl_at(h, p + 2), "01")) {
        cls = HL_MB;
        n = 3 + hl_span(h, p + 3, "01_", (size_t)-1);
    } else if (hl_at(h, p) == '0' && (n = hl_span(h, p + 1, "01234567_", (size_t)-1))) {
        cls = HL_MO;
        n += 1;
    } else if (hl_at(h, p) == '0') {
        hl_emit(h, HL_MI, 1);   /* 0 takes no suffix */
        return true;
    } else if (!(n = digits(h, p))) {
        return false;
    }
    hl_emit(h, cls, n + hl_in(hl_at(h, p + n), "lL"));
    return true;
}

/* A string after its opening quote(s), to the closing quote (or """ for a
 * text block) or the end: all of it s, escapes too. */
static void
string(struct hl *h, bool block)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true };
    size_t q = h->pos;
    while (q < h->end) {
        q += hl_until(h, q, stop);
        char c = q < h->end ? h->s[q] : 0;
        if (c == '\\') {
            q += hl_in(hl_at(h, q + 1), "\\\"") ? 2 : 1;
        } else if (c == '"' && (!block || hl_starts(h, q, "\"\"\"", 3))) {
            q += block ? 3 : 1;
            break;
        } else if (c == '"') {
            q++;
        }
    }
    if (q > h->pos)
        hl_emit(h, HL_S, q - h->pos);
}

/* '\.' '[^\\]' '\uHHHH' at p: the length, or 0. */
static size_t
char_len(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n;
    if (p + 1 >= h->end)
        return 0;
    if (h->s[p + 1] == '\\') {
        if (p + 2 < h->end && hl_at(h, p + 2 + (n = hl_char(h, p + 2, &cp))) == '\'')
            return 3 + n;
        return hl_hex_escape(h, p + 1, 'u', 4) && hl_at(h, p + 7) == '\'' ? 8 : 0;
    }
    n = hl_char(h, p + 1, &cp);
    return hl_at(h, p + 1 + n) == '\'' ? 2 + n : 0;
}

/* ---- root ----------------------------------------------------------------------- */

/* At a line start p: record after whitespace and modifiers (kd, then a
 * class name), or, where the line is empty, default: or a label after the
 * blank lines. False if none. */
static bool
line_start(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, q = lead_end(j, p), n;
    if (hl_at(h, q) == 'r' && hl_starts(h, q, "record", 6) && hl_boundary(h, q + 6)) {
        size_t ws = hl_space(h, p, true);
        if (ws)
            hl_emit(h, HL_TEXT, ws);
        if (q > h->pos)
            hl_sub(h, q, lex_java);
        hl_emit(h, HL_KD, 6);
        j->state = CLASS;
        return true;
    }
    if (h->s[p] != '\n')
        return false;
    q = space_end(j, p);
    if ((n = name_len(h, q)) && hl_at(h, q + n) == ':') {
        hl_emit(h, HL_TEXT, q - p);
        bool dflt = n == 7 && hl_starts(h, q, "default", 7);
        hl_emit(h, dflt ? HL_K : HL_NL, n);
        hl_emit(h, HL_P, 1);
        return true;
    }
    return false;
}

/* The word at pos, a name start: a keyword, a method's return type and
 * name, a declaration, a label at the line start, or a name. */
static void
word(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, w = hl_skip(h, p, ascii, J_WORD) - p, n, name, sp;
    if (hl_at(h, p + w) >= 0x80)
        w = hl_word_run(h, p);
    /* every word of the table is lower-case ASCII; the whole \w run ends
     * at a word boundary */
    bool lower = h->s[p] >= 'a' && h->s[p] <= 'z' && w <= 12;
    int i = lower ? hl_words_find(&word_index, h->s + p, w) : -1;
    enum kind kind = i >= 0 ? words[i].kind : KEYWORD;
    if (i >= 0 && kind == KEYWORD) {
        hl_emit(h, HL_K, w);
        return;
    }
    if ((name = method_name(j, p, w)) != (size_t)-1) {
        hl_sub(h, name, lex_java);
        n = name_len(h, name);
        hl_emit(h, HL_NF, n);
        if ((sp = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, sp);
        hl_emit(h, HL_P, 1);
        return;
    }
    if (i >= 0) {
        sp = hl_space(h, p + w, true);
        switch (kind) {
        case DECLARATION: hl_emit(h, HL_KD, w); return;
        case TYPE: hl_emit(h, HL_KT, w); return;
        case CONSTANT: hl_emit(h, HL_KC, w); return;
        case CLASS_WORD:
            hl_emit(h, HL_KD, w);
            j->state = CLASS;
            return;
        case PACKAGE: case VAR_WORD: case IMPORT_WORD:
            if (!sp)
                break;
            if (kind == IMPORT_WORD && hl_starts(h, p + w + sp, "static", 6) &&
                (n = hl_space(h, p + w + sp + 6, true)))
                w += sp + 6, sp = n;
            hl_emit(h, kind == VAR_WORD ? HL_KD : HL_KN, w);
            hl_emit(h, HL_TEXT, sp);
            j->state = kind == VAR_WORD ? VAR : IMPORT;
            return;
        default: break;
        }
    }
    /* the name is the word unless '$' or UTF-8 goes on (or starts) it */
    int after = hl_at(h, p + w);
    n = w && after != '$' && after < 0x80 ? w : name_len(h, p);
    if (hl_line_start(h, p) && hl_at(h, p + n) == ':') {
        hl_emit(h, HL_NL, n);
        hl_emit(h, HL_P, 1);
        return;
    }
    hl_emit(h, HL_N, n);
}

/* One token in root at pos. */
static void
root(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    if (hl_line_start(h, p) && line_start(j))
        return;
    /* the commonest first bytes decide at once: a space, a name */
    if (ascii[c] & J_SPACE) {
        hl_emit(h, HL_TEXT, hl_space(h, p, false));
    } else if (ascii[c] & J_START) {
        word(j);
    } else if (c != '\n' && (n = hl_space(h, p, false))) {
        hl_emit(h, HL_TEXT, n);
    } else if (c == '/' && hl_at(h, p + 1) == '/' && hl_line_end(h, p) < h->end) {
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
    } else if (c == '/' && hl_at(h, p + 1) == '*' &&
               (n = hl_seek(h, &j->comment_close, "*/", 2, p + 2)) != (size_t)-1) {
        hl_emit(h, HL_CM, n + 2 - p);
    } else if (name_start(h, p)) {
        word(j);
    } else if (c == '@' && hl_at(h, p + 1) != '$' && name_start(h, p + 1)) {
        n = 1 + hl_char(h, p + 1, &(int32_t){0});
        hl_emit(h, HL_ND, n + dotted_len(h, p + n));
    } else if (c == '"') {
        bool block = hl_starts(h, p, "\"\"\"\n", 4);
        hl_emit(h, HL_S, block ? 4 : 1);
        string(h, block);
    } else if (c == '\'' && (n = char_len(h, p))) {
        hl_emit(h, HL_SC, n);
    } else if (c == '.' && (n = name_len(h, p + 1))) {
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_NA, n);
    } else if (((c >= '0' && c <= '9') || c == '.') && number(h)) {
        ;
    } else if (single[c]) {
        hl_emit(h, single[c] == OP ? HL_O : HL_P, 1);
    } else {
        hl_emit(h, c == '\n' ? HL_TEXT : HL_ERR, hl_char(h, p, &(int32_t){0}));
    }
}

/* One token in class, var or import, which take a name and return to root;
 * other text is an error, but for newlines (and whitespace in class). */
static void
name_state(struct java *j)
{
    struct hl *h = j->h;
    size_t p = h->pos, n;
    if (j->state == CLASS && (n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (j->state == IMPORT) {
        n = dotted_len(h, p);
        n += n && hl_at(h, p + n) == '*';
    } else {
        n = name_len(h, p);
    }
    if (n) {
        hl_emit(h, j->state == CLASS ? HL_NC : j->state == VAR ? HL_N : HL_NN, n);
        j->state = ROOT;
    } else if (h->s[p] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        j->state = ROOT;
    } else {
        hl_emit(h, HL_ERR, hl_char(h, p, &(int32_t){0}));
    }
}

void
lex_java(struct hl *h)
{
    struct java j = { .h = h, .state = ROOT, .comment_close = HL_SEEK_INIT,
                      .chain_lo = 1, .chain_hi = 0, .lead_from = 1, .lead_at = 0,
                      .space_from = 1, .space_at = 0, .word_from = 1, .word_at = 0 };
    while (h->pos < h->end) {
        if (j.state == ROOT)
            root(&j);
        else
            name_state(&j);
    }
}
