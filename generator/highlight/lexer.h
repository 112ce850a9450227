/* lexer.h: the highlighting engine as the lexers (lex_*.c) see it: the
 * cursor, token output, a state stack, character classes and word tables.
 * Private to highlight/; never included from outside. */
#ifndef GZ_LEXER_H
#define GZ_LEXER_H

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "highlight.h"


/* Pygments' token types by their short CSS class (pygments.token.
 * STANDARD_TYPES). HL_TEXT is Text and Whitespace: written without a span. */
enum hl_class {
    HL_TEXT, HL_ERR,
    HL_C, HL_CH, HL_CM, HL_CP, HL_CPF, HL_C1, HL_CS,
    HL_K, HL_KC, HL_KD, HL_KN, HL_KP, HL_KR, HL_KT,
    HL_N, HL_NA, HL_NB, HL_BP, HL_NC, HL_NO, HL_ND, HL_NI, HL_NE, HL_NF,
    HL_FM, HL_NL, HL_NN, HL_NT, HL_NV, HL_VC, HL_VG, HL_VI, HL_VM, HL_NX,
    HL_L,
    HL_S, HL_SA, HL_SB, HL_SC, HL_DL, HL_SD, HL_S2, HL_SE, HL_SH, HL_SI,
    HL_SX, HL_SR, HL_S1, HL_SS,
    HL_M, HL_MB, HL_MF, HL_MH, HL_MI, HL_IL, HL_MO,
    HL_O, HL_OW, HL_P,
    HL_GD, HL_GE, HL_GH, HL_GI, HL_GO, HL_GP, HL_GS, HL_GU, HL_GR, HL_GT,
    HL_X,     /* Other: text a template lexer leaves to another (hl_delegate) */
    HL_CLASS_COUNT
};

/* The runs of one class a lexer emitted, in text order from the offset
 * from, not yet written as HTML. */
struct hl_token {
    uint32_t len;   /* a block is shorter than 4 GiB (highlight_code) */
    uint32_t cls;   /* an enum hl_class */
};
struct hl_tokens {
    struct hl_token *items;
    size_t count, cap;
    size_t from;
};

/* A lexer's view of the block. A lexer reads s[base..end) only, emits its
 * tokens in order with hl_emit (which advances pos) and returns when pos
 * reaches end. base is where "start of text" and a first "start of line"
 * are; a sub-lexer (hl_sub) sees a narrower [base, end). */
struct hl {
    const char *s;
    size_t len;              /* of the whole block */
    size_t base, end;
    size_t pos;
    /* private to engine.c: the run of one class still growing, s[run..pos),
     * and the runs before it; those are written to out as HTML whenever
     * tokens fills up, or kept when out is NULL (hl_delegate) */
    size_t run;
    enum hl_class run_cls;
    struct hl_tokens *tokens;
    struct buf *out;
    bool tokens_on_stack;   /* with out NULL: tokens' items are not the heap's */
};

/* A lexer: tokenises h->s[h->pos..h->end) completely. */
typedef void (*hl_lexer)(struct hl *h);

void lex_python(struct hl *h);
void lex_c(struct hl *h);
void lex_bash(struct hl *h);
void lex_console(struct hl *h);
void lex_json(struct hl *h);
void lex_yaml(struct hl *h);
void lex_javascript(struct hl *h);
void lex_diff(struct hl *h);
void lex_cpp(struct hl *h);
void lex_csharp(struct hl *h);
void lex_java(struct hl *h);
void lex_kotlin(struct hl *h);
void lex_go(struct hl *h);
void lex_rust(struct hl *h);
void lex_swift(struct hl *h);
void lex_typescript(struct hl *h);
void lex_php(struct hl *h);
void lex_html_php(struct hl *h);
void lex_ruby(struct hl *h);
void lex_lua(struct hl *h);
void lex_html(struct hl *h);
void lex_xml(struct hl *h);
void lex_css(struct hl *h);
void lex_scss(struct hl *h);
void lex_sql(struct hl *h);
void lex_toml(struct hl *h);
void lex_ini(struct hl *h);
void lex_dockerfile(struct hl *h);
void lex_make(struct hl *h);
void lex_go_html_template(struct hl *h);

/* Makes room in h->tokens, writing them out when h->out is set; for
 * hl_emit only. */
void hl_tokens_full(struct hl *h);

/* Emits the next n bytes (n >= 1, pos + n <= end) as one token of class
 * cls. A token of another class than the run before it ends that run. */
static inline void
hl_emit(struct hl *h, enum hl_class cls, size_t n)
{
    size_t pos = h->pos;   /* read once: the stores below could alias it */
    assert(n - 1 < h->end - pos);   /* n >= 1, pos + n <= end: else a lexer loops or overruns */
    if (cls != h->run_cls) {
        size_t run = h->run;
        if (pos > run) {
            struct hl_tokens *t = h->tokens;
            if (t->count == t->cap)
                hl_tokens_full(h);
            t->items[t->count++] = (struct hl_token){ (uint32_t)(pos - run), h->run_cls };
        }
        h->run_cls = cls;
        h->run = pos;
    }
    h->pos = pos + n;
}

/* hl_emit with h's cursor, growing run and the end of its token list held
 * in a lexer's locals (registers) while its hot loop runs: where tokens are
 * a few bytes each, hl_emit's stores to h and loads back of them are most
 * of a lexer's cost. hl_out_put hands them back to h before anything else
 * uses h; hl_out_get takes them again. */
struct hl_out {
    struct hl *h;
    size_t pos, run;
    enum hl_class run_cls;
    struct hl_token *next, *limit;   /* the token list's free room */
};

__attribute__((always_inline)) static inline void
hl_out_get(struct hl_out *o)
{
    const struct hl *h = o->h;
    const struct hl_tokens *t = h->tokens;
    o->pos = h->pos;
    o->run = h->run;
    o->run_cls = h->run_cls;
    /* a list not allocated yet (NULL) has no room: the first token makes it */
    o->next = t->items ? t->items + t->count : NULL;
    o->limit = t->items ? t->items + t->cap : NULL;
}

__attribute__((always_inline)) static inline void
hl_out_put(const struct hl_out *o)
{
    struct hl *h = o->h;
    h->pos = o->pos;
    h->run = o->run;
    h->run_cls = o->run_cls;
    if (o->next)
        h->tokens->count = (size_t)(o->next - h->tokens->items);
}

/* Room in o's token list for one more: the engine makes it (or writes
 * the list out) when there is none. These are inline whole, as all that
 * takes o's address, so that o stays in registers. */
__attribute__((always_inline)) static inline void
hl_out_room(struct hl_out *o)
{
    if (o->next == o->limit) {
        hl_out_put(o);
        hl_tokens_full(o->h);
        hl_out_get(o);
    }
}

/* Ends o's growing run, appending it to o's list unless it is empty. */
__attribute__((always_inline)) static inline void
hl_out_end_run(struct hl_out *o)
{
    if (o->pos > o->run) {
        hl_out_room(o);
        *o->next++ = (struct hl_token){ (uint32_t)(o->pos - o->run), o->run_cls };
    }
    o->run = o->pos;
}

/* hl_emit through o. Its assert is the caller's: each rule's length is
 * >= 1 and ends by end. */
__attribute__((always_inline)) static inline void
hl_out_emit(struct hl_out *o, enum hl_class cls, size_t n)
{
    if (cls != o->run_cls) {
        hl_out_end_run(o);
        o->run_cls = cls;
    }
    o->pos += n;
}

/* Writes the runs emitted into h (the growing one cut short at pos) to its
 * out as HTML. */
void hl_finish(struct hl *h);

/* Runs lex over h->s[h->pos..end) as if it were a text of its own (start of
 * text and of line at pos, nothing read past end), then restores h. */
void hl_sub(struct hl *h, size_t end, hl_lexer lex);

/* A stack of lexer states (a lexer's own numbers) that never pops its
 * bottom, the first few inline. Not to be copied once initialised. */
struct hl_stack {
    uint16_t *items;
    size_t depth, cap;
    uint16_t first[32];
};
void hl_stack_init(struct hl_stack *st, unsigned bottom);
/* Doubles st's room; for hl_stack_push only. */
void hl_stack_grow(struct hl_stack *st);
static inline void
hl_stack_push(struct hl_stack *st, unsigned state)
{
    if (st->depth == st->cap)
        hl_stack_grow(st);
    st->items[st->depth++] = (uint16_t)state;
}
void hl_stack_dispose(struct hl_stack *st);
static inline unsigned
hl_stack_top(const struct hl_stack *st)
{
    return st->items[st->depth - 1];
}
static inline void
hl_stack_pop(struct hl_stack *st)
{
    if (st->depth > 1)
        st->depth--;
}
/* Pops all but the bottom. */
static inline void
hl_stack_reset(struct hl_stack *st)
{
    st->depth = 1;
}

/* What a Pygments RegexLexer does where no rule matches at pos: a newline
 * is text and resets the state (true), any other character is an error
 * token (false). hl_no_match resets st, to its bottom. */
bool hl_unmatched(struct hl *h);
void hl_no_match(struct hl *h, struct hl_stack *st);

/* True if c (a byte, or -1) is one of the bytes of the NUL-terminated set;
 * for a literal set, a few comparisons once inlined. */
static inline bool
hl_in(int c, const char *set)
{
    for (; *set; set++)
        if (c == *set)
            return true;
    return false;
}

/* True if s[p..) starts with w[0..n) before end. */
static inline bool
hl_starts(const struct hl *h, size_t p, const char *w, size_t n)
{
    return p + n <= h->end && !memcmp(h->s + p, w, n);
}

/* The byte at p, or -1 at or past end. */
static inline int
hl_at(const struct hl *h, size_t p)
{
    return p < h->end ? (unsigned char)h->s[p] : -1;
}

/* True at the start of the text or of a line (a regex's ^ in multi-line mode). */
static inline bool
hl_line_start(const struct hl *h, size_t p)
{
    return p == h->base || h->s[p - 1] == '\n';
}

/* Decodes the character at p < end into *cp; returns its length in bytes.
 * An invalid or truncated sequence is one byte with *cp = -1. */
size_t hl_char(const struct hl *h, size_t p, int32_t *cp);

/* Character classes as Python's re module has them for str patterns, so
 * that lexers modelled on Pygments' regexes agree with them on Unicode. */
bool hl_cp_word(int32_t cp);     /* \w: letters, digits, numbers, '_' */
bool hl_cp_space(int32_t cp);    /* \s */
bool hl_cp_digit(int32_t cp);    /* \d: decimal digits of any script */
bool hl_cp_id_start(int32_t cp); /* Python identifier start (XID_Start, '_') */
bool hl_cp_id_cont(int32_t cp);  /* Python identifier continuation */

/* ASCII's \w, \s and [A-Za-z_], one bit each, for the inline fast paths
 * below (bytes >= 0x80 have none: those go out of line, to the _utf8
 * functions). */
enum { HL_A_WORD = 1, HL_A_SPACE = 2, HL_A_LETTER = 4 };
extern const unsigned char hl_ascii[256];
/* For a lexer's own table of byte classes: [A-Za-z_] and [0-9] all given
 * the value v, as designated initialisers. */
#define HL_LETTER_BYTES(v) \
    ['A'] = (v), ['B'] = (v), ['C'] = (v), ['D'] = (v), ['E'] = (v), ['F'] = (v), \
    ['G'] = (v), ['H'] = (v), ['I'] = (v), ['J'] = (v), ['K'] = (v), ['L'] = (v), \
    ['M'] = (v), ['N'] = (v), ['O'] = (v), ['P'] = (v), ['Q'] = (v), ['R'] = (v), \
    ['S'] = (v), ['T'] = (v), ['U'] = (v), ['V'] = (v), ['W'] = (v), ['X'] = (v), \
    ['Y'] = (v), ['Z'] = (v), ['_'] = (v), \
    ['a'] = (v), ['b'] = (v), ['c'] = (v), ['d'] = (v), ['e'] = (v), ['f'] = (v), \
    ['g'] = (v), ['h'] = (v), ['i'] = (v), ['j'] = (v), ['k'] = (v), ['l'] = (v), \
    ['m'] = (v), ['n'] = (v), ['o'] = (v), ['p'] = (v), ['q'] = (v), ['r'] = (v), \
    ['s'] = (v), ['t'] = (v), ['u'] = (v), ['v'] = (v), ['w'] = (v), ['x'] = (v), \
    ['y'] = (v), ['z'] = (v)
#define HL_DIGIT_BYTES(v) \
    ['0'] = (v), ['1'] = (v), ['2'] = (v), ['3'] = (v), ['4'] = (v), ['5'] = (v), \
    ['6'] = (v), ['7'] = (v), ['8'] = (v), ['9'] = (v)
bool hl_word_at_utf8(const struct hl *h, size_t p);
bool hl_word_before_utf8(const struct hl *h, size_t p);
size_t hl_word_run_utf8(const struct hl *h, size_t p);
size_t hl_digits_utf8(const struct hl *h, size_t p);

/* \w at p (false at end). */
static inline bool
hl_word_at(const struct hl *h, size_t p)
{
    if (p >= h->end)
        return false;
    unsigned char c = (unsigned char)h->s[p];
    return c < 0x80 ? hl_ascii[c] & HL_A_WORD : hl_word_at_utf8(h, p);
}
/* \w just before p, at or after base. */
static inline bool
hl_word_before(const struct hl *h, size_t p)
{
    if (p <= h->base)
        return false;
    unsigned char c = (unsigned char)h->s[p - 1];
    return c < 0x80 ? hl_ascii[c] & HL_A_WORD : hl_word_before_utf8(h, p);
}
/* \b after a word that ends at p: no \w at p. */
static inline bool
hl_boundary(const struct hl *h, size_t p)
{
    return !hl_word_at(h, p);
}
/* Length of the identifier (hl_cp_id_start, then hl_cp_id_cont*) at p, 0 if none. */
size_t hl_ident(const struct hl *h, size_t p);
/* Length of the run of \s at p; with newlines false, '\n' ends the run. */
size_t hl_space_run(const struct hl *h, size_t p, bool newlines);
static inline size_t
hl_space(const struct hl *h, size_t p, bool newlines)
{
    size_t q = p;   /* the ASCII part inline, the rest out of line */
    while (q < h->end && (hl_ascii[(unsigned char)h->s[q]] & HL_A_SPACE) &&
           (newlines || h->s[q] != '\n'))
        q++;
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_space_run(h, q, newlines);
    return q - p;
}

/* Length of the run of \d at p. */
static inline size_t
hl_digits(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && h->s[q] >= '0' && h->s[q] <= '9')
        q++;
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_digits_utf8(h, q);
    return q - p;
}
/* Length of the run of ASCII [A-Za-z0-9_] at p. */
static inline size_t
hl_ascii_word(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && (hl_ascii[(unsigned char)h->s[q]] & HL_A_WORD))
        q++;
    return q - p;
}
/* Length of the run of \w at p. */
static inline size_t
hl_word_run(const struct hl *h, size_t p)
{
    size_t q = p + hl_ascii_word(h, p);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        q += hl_word_run_utf8(h, q);
    return q - p;
}
/* The first offset at or after p whose byte's entry in classes (a lexer's
 * table of byte classes) has none of the bits (hl_skip) or one of them
 * (hl_skip_to), or end: four bytes a round, the loop's test once per four. */
static inline size_t
hl_skip(const struct hl *h, size_t p, const unsigned char classes[256], unsigned bits)
{
    const unsigned char *s = (const unsigned char *)h->s;
    for (; h->end - p >= 4; p += 4) {
        if (!(classes[s[p]] & bits))
            return p;
        if (!(classes[s[p + 1]] & bits))
            return p + 1;
        if (!(classes[s[p + 2]] & bits))
            return p + 2;
        if (!(classes[s[p + 3]] & bits))
            return p + 3;
    }
    while (p < h->end && (classes[s[p]] & bits))
        p++;
    return p;
}
static inline size_t
hl_skip_to(const struct hl *h, size_t p, const unsigned char classes[256], unsigned bits)
{
    const unsigned char *s = (const unsigned char *)h->s;
    for (; h->end - p >= 4; p += 4) {
        if (classes[s[p]] & bits)
            return p;
        if (classes[s[p + 1]] & bits)
            return p + 1;
        if (classes[s[p + 2]] & bits)
            return p + 2;
        if (classes[s[p + 3]] & bits)
            return p + 3;
    }
    while (p < h->end && !(classes[s[p]] & bits))
        p++;
    return p;
}
/* Length of the run at p of bytes for which stop[byte] is 0. */
size_t hl_until(const struct hl *h, size_t p, const bool stop[256]);
/* Offset of the first '\n' at or after p, or end. */
size_t hl_line_end(const struct hl *h, size_t p);

/* Numbers, escapes and strings as several lexers' regexes have them; the
 * lexer chooses the separator (Python '_', C '\'') and the digits. */
#define HL_HEX "0123456789abcdefABCDEF"
/* Length of the run at p of at most max bytes of the set. */
size_t hl_span(const struct hl *h, size_t p, const char *set, size_t max);
/* \d(?:sep?\d)*: length of the digits at p, single seps between them, or 0. */
size_t hl_digit_groups(const struct hl *h, size_t p, char sep);
/* (?:sep?[set])*: length of the bytes of set at p, each perhaps after one sep. */
size_t hl_radix_groups(const struct hl *h, size_t p, char sep, const char *set);
/* [eE][+-]?D, D as hl_digit_groups: its length at p, or 0. */
size_t hl_exponent(const struct hl *h, size_t p, char sep);
/* Length of a backslash, letter and exactly n hex digits (\xHH) at p, or 0. */
size_t hl_hex_escape(const struct hl *h, size_t p, char letter, size_t n);
/* Length of \uHHHH or \UHHHHHHHH at p, or 0. */
size_t hl_unicode_escape(const struct hl *h, size_t p);
/* Length of \o, \oo or \ooo (octal) at p, or 0. */
size_t hl_octal_escape(const struct hl *h, size_t p);
/* Length of the backslash at p and the character after it; 1 at end. */
size_t hl_escaped_char(const struct hl *h, size_t p);
/* Length of the run at p up to a byte for which stop[byte] is true, a
 * backslash taking the byte after it along (stop['\\'] must be false). */
size_t hl_until_escaped(const struct hl *h, size_t p, const bool stop[256]);
/* Emits the '#' comment at pos to the end of its line (c1), or, when it
 * starts the text as #! and more, the hashbang (ch). */
void hl_hash_comment(struct hl *h);

struct hl_words_index;
/* A table of words: count entries of size bytes each whose first member is
 * the word, a const char *. Looked up through a hash index that the first
 * lookup builds (safely when threads race) and that lives as long as the
 * program. Declare as: static struct hl_words kw = HL_WORDS(table); */
struct hl_words {
    const void *table;
    size_t count, size;
    _Atomic(struct hl_words_index *) index; /* private to highlight.c */
};
#define HL_WORDS(table) { (table), sizeof(table) / sizeof *(table), sizeof *(table), NULL }
/* Index of the word w[0..n) in ws's table, or -1 when absent. */
int hl_words_find(struct hl_words *ws, const char *w, size_t n);

/* A remembered search, so that repeated searches for one needle from
 * increasing offsets cost linear time in all. Initialise with HL_SEEK_INIT. */
struct hl_seek {
    size_t from, at;
};
#define HL_SEEK_INIT { (size_t)-1, 0 }
/* True when c remembers a search from an offset at or before from whose
 * result lies at or after it: then that result holds for from too. */
static inline bool
hl_seek_valid(const struct hl_seek *c, size_t from)
{
    return c->from <= from && from <= c->at;
}
/* Offset of the first needle[0..n) (n >= 1) that lies in s[from..limit), or
 * (size_t)-1: a memchr for its last byte, then a look back. */
size_t hl_find(const struct hl *h, size_t from, size_t limit, const char *needle, size_t n);
/* Offset of the first needle[0..n) starting at or after from and ending by
 * end, or (size_t)-1. */
size_t hl_seek(const struct hl *h, struct hl_seek *c, const char *needle, size_t n,
               size_t from);

/* What Pygments' DelegatingLexer does: lexes [pos, end) with lang, whose
 * HL_X runs (Other) are lexed with root as one text put end to end (so
 * root's state runs on across lang's tokens), and whose tokens are then
 * emitted with root's in place of the HL_X ones. */
void hl_delegate(struct hl *h, hl_lexer root, hl_lexer lang);

/* Whether w[0..n) is a function Pygments' PhpLexer calls a builtin
 * (lex_php_builtins.c). */
bool lex_php_builtin(const char *w, size_t n);

#endif
