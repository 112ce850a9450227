/* lex_typescript.c: the TypeScript lexer of the highlighter, after Pygments'
 * TypeScriptLexer: JavaScript's lexer (lex_javascript.c) with its rules
 * first: modifiers (k), declarations (kd), declare and type (kr), the three
 * type names (kt), 'module x', 'name: type' (nx, o, kt) and decorators (kd).
 * All of them start with [\w?.$@], so JavaScript's lexer tries them only
 * at those bytes. */
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

/* The words' first letters [abdeinoprst] and last ones [cdegmnrsty], as
 * bitmaps (js_byte_in): most names are none of them without a lookup. */
static const uint64_t first_letters[4] = { 0, 0x001dc23600000000, 0, 0 };
static const uint64_t last_letters[4] = { 0, 0x021c60b800000000, 0, 0 };

/* A word of the table at pos, [p, word_end) and a boundary: emitted, true. */
static bool
known_word(struct js *j, size_t word_end)
{
    struct hl *h = js_hl(j);
    size_t p = h->pos, n = word_end - p;
    if (n < 4 || n > 10 || !js_byte_in(first_letters, (unsigned char)h->s[p]) ||
        !js_byte_in(last_letters, (unsigned char)h->s[word_end - 1]) ||
        !hl_boundary(h, word_end))
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

/* The bytes that may follow [A-Za-z0-9_]* in ([\w?.$]+)(\s*)(:): \s, ':',
 * '?', '.', '$' and non-ASCII ones (js_byte_in) */
static const uint64_t after_word[4] = {
    0x84004011f0003e00, 0, 0xffffffffffffffff, 0xffffffffffffffff,
};

/* ([\w?.$]+)(\s*)(:)(\s*)([\w?.$]+): a name (nx), ':' (o), a type (kt).
 * What follows a run decides, so a failure is remembered by the run's end. */
static bool
annotation(struct js *j, size_t word_end)
{
    struct hl *h = js_hl(j);
    struct js_memo *failed = js_memo(j);
    if (word_end >= h->end || !js_byte_in(after_word, (unsigned char)h->s[word_end]))
        return false;   /* most names: then no ':' can follow */
    unsigned char d = (unsigned char)h->s[word_end];
    size_t p = h->pos, name = word_end;
    if (d == '?' || d == '.' || d == '$' || d >= 0x80)   /* the run goes on */
        name = js_dotted_end(j, p, word_end);
    if (name == p || name == failed->at)
        return false;
    size_t gap = hl_space(h, name, true), colon = name + gap;
    if (hl_at(h, colon) != ':') {
        failed->at = name;
        return false;
    }
    size_t gap2 = hl_space(h, colon + 1, true), type = colon + 1 + gap2;
    size_t type_end = js_dotted_scan(h, type);
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

/* The rules, in Pygments' order, at a byte of [\w?.$@]. */
static bool
typescript_rules(struct js *j, size_t word_end)
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
    return known_word(j, word_end) || (c == 'm' && module(j)) || annotation(j, word_end);
}

/* [\w?.$@] and every non-ASCII byte: where the rules can start */
static const struct js_dialect typescript = {
    typescript_rules,
    { 0x83ff401000000000, 0x07fffffe87ffffff, 0xffffffffffffffff, 0xffffffffffffffff },
};

void
lex_typescript(struct hl *h)
{
    js_lex(h, &typescript);
}
