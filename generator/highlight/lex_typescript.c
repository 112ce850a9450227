/* lex_typescript.c: the TypeScript lexer of the highlighter, after Pygments'
 * TypeScriptLexer: JavaScript's lexer (lex_javascript.c) with its rules
 * first: modifiers (k), declarations (kd), declare and type (kr), the three
 * type names (kt), 'module x', 'name: type' (nx, o, kt) and decorators (kd). */
#include "lex_javascript.h"

/* The words of the first rules. BOUNDED: only after a word boundary.
 * Sorted by strcmp. */
enum { REGEX = 1, BOUNDED = 2 };
static const struct word {
    const char *w;
    enum hl_class cls;
    unsigned flags;
} words[] = {
    {"abstract", HL_K, REGEX}, {"boolean", HL_KT, BOUNDED}, {"declare", HL_KR, BOUNDED},
    {"enum", HL_KD, REGEX}, {"implements", HL_K, REGEX}, {"interface", HL_KD, REGEX},
    {"number", HL_KT, BOUNDED}, {"override", HL_KD, REGEX}, {"private", HL_K, REGEX},
    {"protected", HL_K, REGEX}, {"public", HL_K, REGEX}, {"readonly", HL_K, REGEX},
    {"string", HL_KT, BOUNDED}, {"type", HL_KR, BOUNDED},
};
static struct hl_words word_index = HL_WORDS(words);

/* A word of the table at pos, ended by a boundary: emitted, true. */
static bool
known_word(struct js *j)
{
    struct hl *h = js_hl(j);
    size_t p = h->pos, n;
    if (!hl_in(h->s[p], "abdeinoprst"))   /* the words' first letters */
        return false;
    n = hl_ascii_word(h, p);
    if (n < 4 || n > 10 || !hl_boundary(h, p + n))
        return false;
    int i = hl_words_find(&word_index, h->s + p, n);
    if (i < 0 || ((words[i].flags & BOUNDED) && hl_word_before(h, p)))
        return false;
    hl_emit(h, words[i].cls, n);
    if (words[i].flags & REGEX)
        js_regex_next(j);
    return true;
}

/* \b(module)(\s*)([\w?.$]+)(\s*): kr, a name (nx), a regular expression
 * may follow. */
static bool
module(struct js *j)
{
    struct hl *h = js_hl(j);
    size_t p = h->pos;
    if (!hl_starts(h, p, "module", 6) || hl_word_before(h, p))
        return false;
    size_t gap = hl_space(h, p + 6, true), name = js_dotted_scan(h, p + 6 + gap);
    if (name == p + 6 + gap)
        return false;
    hl_emit(h, HL_KR, 6);
    if (gap)
        hl_emit(h, HL_TEXT, gap);
    hl_emit(h, HL_NX, name - h->pos);
    if ((gap = hl_space(h, name, true)))
        hl_emit(h, HL_TEXT, gap);
    js_regex_next(j);
    return true;
}

/* ([\w?.$]+)(\s*)(:)(\s*)([\w?.$]+): a name (nx), ':' (o), a type (kt).
 * What follows a run decides, so a failure is remembered by the run's end. */
static bool
annotation(struct js *j)
{
    struct hl *h = js_hl(j);
    struct js_memo *failed = js_memo(j);
    size_t p = h->pos, name = js_dotted_end(j, p);
    if (name == p || name == failed->at)
        return false;
    size_t gap = hl_space(h, name, true), colon = name + gap;
    size_t gap2 = hl_at(h, colon) == ':' ? hl_space(h, colon + 1, true) : 0;
    size_t type = colon + 1 + gap2, type_end = hl_at(h, colon) == ':' ? js_dotted_scan(h, type) : type;
    if (type_end == type) {
        failed->at = name;
        return false;
    }
    hl_emit(h, HL_NX, name - p);
    if (gap)
        hl_emit(h, HL_TEXT, gap);
    hl_emit(h, HL_O, 1);
    if (gap2)
        hl_emit(h, HL_TEXT, gap2);
    hl_emit(h, HL_KT, type_end - type);
    return true;
}

static bool
typescript_rules(struct js *j)
{
    struct hl *h = js_hl(j);
    unsigned char c = (unsigned char)h->s[h->pos];
    size_t n;
    if (c == '@') {
        if (!(n = js_ident_len(h, h->pos + 1)))
            return false;
        hl_emit(h, HL_KD, 1 + n);
        return true;
    }
    if (!(c >= 0x80 || hl_word_at(h, h->pos) || c == '?' || c == '.' || c == '$'))
        return false;   /* no rule starts so: spaces and punctuation, the most */
    return known_word(j) || (c == 'm' && module(j)) || annotation(j);
}

void
lex_typescript(struct hl *h)
{
    js_lex(h, typescript_rules);
}
