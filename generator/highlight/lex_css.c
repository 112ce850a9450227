/* lex_css.c: the CSS lexer of the highlighter, after Pygments' CssLexer
 * state by state: selectors (nt, nc, nn, nd), at-rules (k), property names
 * (k, nv, n), and values: keywords (kc), functions (nb, nf), numbers with
 * their units (mi, mf, kt), colours (mh), strings, url() (sx) and comments. */
#include "lexer.h"
#include "lex_bytes.h"

#define NONE ((size_t)-1)

/* Pygments' states: basics (ROOT), atrule, atcontent, content,
 * value-start (VALUE), function-start (FUNC); numeric-end is inline. */
enum { ROOT, ATRULE, ATCONTENT, CONTENT, VALUE, FUNC };

/* Pygments' word lists (pygments/lexers/css.py and _css_builtins.py) in one
 * table, each word with the lists it is in; values try the lists in this
 * order. The two keyword values with a space in them are matched apart. */
enum { KEYWORD = 1, OTHER = 2, COLOR = 4, PROPERTY = 8, FUNCTIONAL = 16 };

#include "lex_css_words.inc"

/* The longest of the words above */
#define LONGEST_WORD 29

/* A remembered search: the first hit at or after from is at (end if none),
 * which holds for any later start up to at. */

enum { M_COMMENT, M_DQUOTE, M_SQUOTE, M_URL_DQ, M_URL_SQ, M_URL_PAREN, M_NEWLINE,
       M_NAME, M_COUNT };

struct css {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
    size_t name_colon;      /* for memo[M_NAME]: the ':' after the run and spaces, or NONE */
    size_t name_ascii_end;  /* for memo[M_NAME]: where its first byte >= 0x80 is, or at */
};

/* What each ASCII byte may start or continue, so that a state decides by
 * the first byte which of its rules can match at all: [A-Za-z0-9_-]
 * (NAME), [A-Za-z_] (LETTER), ASCII \s (SPACE), where a number may start
 * ([0-9.+#-]), the operators of basics and of values, the punctuation of
 * values, [A-Za-z0-9_] (WORD: ASCII \w). Bytes >= 0x80 have none: they
 * take the slow paths. */
enum {
    NAME = 1, LETTER = 2, SPACE = 4, NUMBER_START = 8, OPERATOR = 16, VALUE_OPERATOR = 32,
    VALUE_PUNCTUATION = 64, WORD = 128
};
#define N_ NAME
#define L_ (NAME | LETTER | WORD)
#define D_ (NAME | NUMBER_START | WORD)
#define O_ (OPERATOR | VALUE_OPERATOR)
static const unsigned char byte_class[256] = {
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    [0x1c] = SPACE, [0x1d] = SPACE, [0x1e] = SPACE, [0x1f] = SPACE, [' '] = SPACE,
    HL_DIGIT_BYTES(D_),
    HL_LETTER_BYTES(L_),
    ['#'] = NUMBER_START,
    ['-'] = N_ | NUMBER_START | O_, ['+'] = NUMBER_START | O_, ['.'] = NUMBER_START | O_,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['!'] = O_, ['%'] = O_, ['&'] = O_, ['<'] = O_,
    ['>'] = O_, ['|'] = O_, ['='] = O_, ['@'] = O_, [':'] = O_, ['/'] = O_, ['?'] = O_,
    ['$'] = OPERATOR, [';'] = OPERATOR,
    ['['] = OPERATOR | VALUE_PUNCTUATION, [']'] = OPERATOR | VALUE_PUNCTUATION,
    ['('] = OPERATOR | VALUE_PUNCTUATION, [')'] = OPERATOR | VALUE_PUNCTUATION,
    [','] = OPERATOR | VALUE_PUNCTUATION,
};
#undef N_
#undef L_
#undef D_
#undef O_

/* Whether c, a byte or -1, is of the class cls of byte_class. */
static bool
is(int c, unsigned cls)
{
    return c >= 0 && (byte_class[c] & cls);
}

/* The run at p of bytes of the class cls of byte_class. */
static size_t
run_of(const struct hl *h, size_t p, unsigned cls)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && (byte_class[s[q]] & cls))
        q++;
    return q - p;
}

/* [A-Za-z_] */
static bool
ascii_letter(int c)
{
    return is(c, LETTER);
}

/* The length of the \w character at p >= 0x80, or 0; out of line, so
 * that the ASCII loops that call it stay lean. */
static size_t
word_char(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    return hl_cp_word(cp) ? n : 0;
}

/* name_run from q on, where a byte >= 0x80 stopped its ASCII loop; out
 * of line, so that name_run stays a leaf. */
__attribute__((noinline)) static size_t
wide_name_run(const struct hl *h, size_t p, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t n;
    for (;;) {
        if (q < h->end && s[q] >= 0x80 && (n = word_char(h, q)))
            q += n;
        else
            return q - p;
        while (q < h->end && (byte_class[s[q]] & NAME))
            q++;
    }
}

#ifdef __SSE2__
/* The length of the run of [A-Za-z0-9_-] at w, up to 16. */
static inline size_t
ascii_name16(const unsigned char *w)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)w);
    __m128i letter = hl_bytes_in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);   /* case folded */
    __m128i marks = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    __m128i name = _mm_or_si128(_mm_or_si128(letter, hl_bytes_in(v, '0', 10)), marks);
    return (size_t)__builtin_ctz(~(unsigned)_mm_movemask_epi8(name));
}
#endif

/* The end of the run at q of [A-Za-z0-9_-]. Most of the lexer's time goes
 * here: sixteen bytes a round (SSE2) while the block has sixteen more to
 * read (bytes past end are read, not taken), else one at a time. */
__attribute__((always_inline)) static inline size_t
ascii_name_end(const struct hl *h, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t end = h->end;
#ifdef __SSE2__
    while (h->len - q >= 16) {
        size_t n = ascii_name16(s + q);
        q += n;
        if (n < 16 || q >= end)
            return q < end ? q : end;
    }
#endif
    while (q < end && (byte_class[s[q]] & NAME))
        q++;
    return q;
}

/* The run at p of \w and '-'. */
__attribute__((always_inline)) static inline size_t
name_run(const struct hl *h, size_t p)
{
    size_t q = ascii_name_end(h, p);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        return wide_name_run(h, p, q);
    return q - p;
}

/* name_end where the remembered run does not hold p: scans the run at p. */
__attribute__((noinline)) static size_t
scan_name(struct css *c, size_t p)
{
    const struct hl *h = c->h;
    struct hl_seek *m = &c->memo[M_NAME];
    size_t q = ascii_name_end(h, p);
    m->from = p;
    m->at = q < h->end && (unsigned char)h->s[q] >= 0x80 ? p + wide_name_run(h, p, q) : q;
    c->name_ascii_end = q;
    size_t colon = m->at + hl_space(h, m->at, true);
    c->name_colon = hl_at(h, colon) == ':' ? colon : NONE;
    return m->at;
}

/* The end of the run of \w and '-' that p lies in (p inside the run).
 * Remembered, so that the rules tried at each byte of a long run scan it
 * once, with where the ':' after it and spaces is (name_colon) and where its
 * ASCII part ends (name_ascii_end). */
static inline size_t
name_end(struct css *c, size_t p)
{
    const struct hl_seek *m = &c->memo[M_NAME];
    if (m->from <= p && p < m->at)   /* from is NONE, the largest, before the first */
        return m->at;
    return scan_name(c, p);
}

/* The comment (slash-star to star-slash) at pos: its length, or 0 if it
 * is not closed. */
static size_t
comment(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (h->s[p] != '/' || hl_at(h, p + 1) != '*')
        return 0;
    size_t at = hl_seek(h, &c->memo[M_COMMENT], "*/", 2, p + 2);
    return at == NONE ? 0 : at + 2 - p;
}

/* A quoted string at pos, backslash escapes inside: its length, or 0 if it
 * is not closed. The closing quote found from one opener serves the
 * openers inside the string too, so that none is scanned twice. */
static size_t
string(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    char q = h->s[p];
    struct hl_seek *m = &c->memo[q == '"' ? M_DQUOTE : M_SQUOTE];
    if (!hl_seek_valid(m, p + 1)) {
        size_t i = p + 1;
        while (i < h->end && h->s[i] != q) {
            if (h->s[i] == '\\' && i + 1 >= h->end) {
                i = h->end;
                break;
            }
            i += h->s[i] == '\\' ? 2 : 1;
        }
        m->from = p + 1;
        m->at = i;
    }
    return m->at < h->end ? m->at + 1 - p : 0;
}

/* Emits the string at pos and returns true, or false if there is none. */
static bool
emit_string(struct css *c)
{
    struct hl *h = c->h;
    char q = h->s[h->pos];
    size_t n;
    if ((q != '"' && q != '\'') || !(n = string(c)))
        return false;
    hl_emit(h, q == '"' ? HL_S2 : HL_S1, n);
    return true;
}

/* 32 bytes of ones, then 32 of zeros: from 32 - n on, a mask of n bytes. */
static const unsigned char word_mask[64] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};

/* The lists that the word s[p..p+n) is in, 0 if none: its bytes, NULs
 * past n, as four numbers, hashed to the one entry it can be, which is
 * compared whole. */
static unsigned
lists_of(const struct hl *h, size_t p, size_t n)
{
    const unsigned char *s = (const unsigned char *)h->s + p;
    unsigned char padded[32];
    if (n > LONGEST_WORD)
        return 0;
    if (h->len - p < 32) {   /* too near the end of the block to read 32 bytes */
        memset(padded, 0, sizeof padded);
        s = memcpy(padded, s, n);
    }
    const unsigned char *mask = word_mask + 32 - n;
    uint64_t x0 = hl_load_le64(s) & hl_load_le64(mask);
    uint64_t x1 = hl_load_le64(s + 8) & hl_load_le64(mask + 8);
    uint64_t x2 = hl_load_le64(s + 16) & hl_load_le64(mask + 16);
    uint64_t x3 = hl_load_le64(s + 24) & hl_load_le64(mask + 24);
    uint64_t key = x0 * WORD_MIX0 + x1 * WORD_MIX1 + x2 * WORD_MIX2;
    unsigned slot = word_slot[((key >> 45) + word_displacement[key >> 56]) & 2047];
    if (!slot)
        return 0;
    const struct word *w = &words[slot - 1];
    const unsigned char *t = (const unsigned char *)w->w;
    if ((hl_load_le64(t) ^ x0) | (hl_load_le64(t + 8) ^ x1) | (hl_load_le64(t + 16) ^ x2) |
        (hl_load_le64(t + 24) ^ x3))
        return 0;
    return w->lists;
}

/* The longest word of each of the lists at p followed by a word boundary,
 * by list; returns the lists found. The candidates end before a '-' or at
 * the end of the run of names: inside the run only a '-' is no \w. Words
 * are ASCII: the run's ASCII part (name_end found it) is enough. */
static unsigned
longest_words(struct css *c, size_t p, size_t len[5])
{
    const struct hl *h = c->h;
    const unsigned char *s = (const unsigned char *)h->s;
    name_end(c, p);
    size_t run = (p < c->name_ascii_end ? c->name_ascii_end : ascii_name_end(h, p)) - p;
    unsigned found = 0;
    size_t longest = run > LONGEST_WORD ? LONGEST_WORD : run;
    for (size_t n = longest; n > 0 && !(found & KEYWORD); n--) {
        if (s[p + n - 1] == '-')
            continue;
        if (n < run ? s[p + n] != '-' : hl_at(h, p + n) >= 0x80 && !hl_boundary(h, p + n))
            continue;
        unsigned new = lists_of(h, p, n) & ~found;
        for (int k = 0; k < 5; k++)
            if (new & 1u << k)
                len[k] = n;
        found |= new;
    }
    return found;
}

/* 'repeat no-repeat' and 'weight style' at p, with a boundary: length or 0. */
static size_t
spaced_keyword(const struct hl *h, size_t p)
{
    if (h->s[p] != 'r' && h->s[p] != 'w')
        return 0;
    if (hl_starts(h, p, "repeat no-repeat", 16) && hl_boundary(h, p + 16))
        return 16;
    if (hl_starts(h, p, "weight style", 12) && hl_boundary(h, p + 12))
        return 12;
    return 0;
}

/* Length of the literal w if s[p..) starts with it, else 0. */
#define PREFIX(h, p, w) (hl_starts((h), (p), (w), sizeof(w) - 1) ? sizeof(w) - 1 : 0)

/* One of the vendor prefixes (-moz- ...) at p: its length, or 0. No one
 * of them is the start of another, so the byte after the '-' picks the
 * one or two to try. */
static size_t
vendor_prefix(const struct hl *h, size_t p)
{
    switch (hl_at(h, p)) {
    case 'm':
        return PREFIX(h, p, "mso-");
    case 'p':
        return PREFIX(h, p, "prince-");
    case '-':
        break;
    default:
        return 0;
    }
    switch (hl_at(h, p + 1)) {
    case 'a':
        return hl_at(h, p + 2) == 't' ? PREFIX(h, p, "-atsc-") : PREFIX(h, p, "-ah-");
    case 'h':
        return PREFIX(h, p, "-hp-");
    case 'k':
        return PREFIX(h, p, "-khtml-");
    case 'm':
        return hl_at(h, p + 2) == 's' ? PREFIX(h, p, "-ms-") : PREFIX(h, p, "-moz-");
    case 'o':
        return PREFIX(h, p, "-o-");
    case 'r':
        return hl_at(h, p + 2) == 'o' ? PREFIX(h, p, "-ro-") : PREFIX(h, p, "-rim-");
    case 't':
        return PREFIX(h, p, "-tc-");
    case 'w':
        return hl_at(h, p + 2) == 'e' ? PREFIX(h, p, "-webkit-") : PREFIX(h, p, "-wap-");
    case 'x':
        return PREFIX(h, p, "-xv-");
    default:
        return 0;
    }
}

/* ---- basics, atrule, atcontent ----------------------------------------------- */

/* Pygments' basics at pos; false if none of its rules matches. Inline in
 * the three states that include it, root looping over it. */
__attribute__((always_inline)) static inline bool
basics(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & NAME) {
        /* [\w-]+: the rules before it cannot start with a name byte, and
         * '-' takes it before the operators */
        hl_emit(h, HL_NT, name_run(h, p));
        return true;
    }
    switch (ch) {
    case '{':
        hl_emit(h, HL_P, 1);
        hl_stack_push(&c->st, CONTENT);
        return true;
    case ':': { /* (\:{1,2})([\w-]+), else an operator */
        size_t colons = 1 + (hl_at(h, p + 1) == ':');
        if ((n = name_run(h, p + colons))) {
            hl_emit(h, HL_P, colons);
            hl_emit(h, HL_ND, n);
        } else {
            hl_emit(h, HL_O, 1);
        }
        return true;
    }
    case '.':
    case '#':
    case '@':   /* (\.)([\w-]+), (\#)([\w-]+), (@)([\w-]+), else '.' and '@' operators */
        if ((n = name_run(h, p + 1))) {
            hl_emit(h, HL_P, 1);
            hl_emit(h, ch == '.' ? HL_NC : ch == '#' ? HL_NN : HL_K, n);
            if (ch == '@')
                hl_stack_push(&c->st, ATRULE);
            return true;
        }
        if (ch == '#')
            return false;
        hl_emit(h, HL_O, 1);
        return true;
    case '/':   /* a comment, else an operator */
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_emit(h, HL_O, 1);
        return true;
    case '"':
    case '\'':
        return emit_string(c);
    default:
        if (byte_class[ch] & OPERATOR) {
            hl_emit(h, HL_O, 1);
        } else if ((n = hl_space(h, p, true))) {
            hl_emit(h, HL_TEXT, n);
        } else if (ch >= 0x80 && (n = name_run(h, p))) {
            hl_emit(h, HL_NT, n);
        } else {
            return false;
        }
        return true;
    }
}

/* Pygments' root: basics, token after token while the state stays (most
 * of a style sheet outside the braces is selectors); root is the bottom
 * of the stack, alone at depth 1. */
static void
root(struct css *c)
{
    struct hl *h = c->h;
    do {
        if (!basics(c, h))
            hl_no_match(h, &c->st);
    } while (h->pos < h->end && c->st.depth == 1);
}

static void
atrule(struct css *c)
{
    struct hl *h = c->h;
    char ch = h->s[h->pos];
    if (ch == '{') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&c->st, ATCONTENT);
    } else if (ch == ';') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
    } else if (!basics(c, h)) {
        hl_no_match(h, &c->st);
    }
}

/* Pygments' atcontent (the rules inside @media {}), token after token
 * while the state stays. */
static void
atcontent(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do {
        if (basics(c, h))
            continue;
        if (h->s[h->pos] == '}') {
            hl_emit(h, HL_P, 1);
            hl_stack_pop(&c->st);
            hl_stack_pop(&c->st);
        } else {
            hl_no_match(h, &c->st);
        }
    } while (h->pos < h->end && c->st.depth == depth);
}

/* ---- content: declarations ------------------------------------------------------- */

/* A name of n bytes at pos, then \s* and the ':' at colon: emitted as
 * cls, the value begins. */
static void
declaration(struct css *c, size_t n, size_t colon, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t sp = colon - (h->pos + n);
    hl_emit(h, cls, n);
    if (sp)
        hl_emit(h, HL_TEXT, sp);
    hl_emit(h, HL_P, 1);
    hl_stack_push(&c->st, VALUE);
}

/* A property name at pos: a known property (k), a custom property (nv) or
 * another name (n), before spaces and a ':'. The properties are all
 * [a-z-], so one found in the table needs no check of its bytes. */
static bool
property(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, d = 0, n;
    while (hl_at(h, p + d) == '-')
        d++;
    if (!ascii_letter(hl_at(h, p + d)))
        return false;
    n = name_end(c, p + d) - p;
    if (c->name_colon == NONE)
        return false;
    if (lists_of(h, p, n) & PROPERTY)
        declaration(c, n, c->name_colon, HL_K);
    else
        declaration(c, n, c->name_colon, d ? HL_NV : HL_N);
    return true;
}

/* One token of Pygments' content: declarations up to the '}'. */
__attribute__((always_inline)) static inline void
content_token(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & LETTER || ch == '-') {
        /* the vendor prefixes (m, p, -), the three property rules */
        if ((ch == 'm' || ch == 'p' || ch == '-') && (n = vendor_prefix(h, p)))
            hl_emit(h, HL_KP, n);
        else if (!property(c))
            hl_no_match(h, &c->st);
        return;
    }
    switch (ch) {
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    case ';':
        hl_emit(h, HL_P, 1);
        return;
    case '@':   /* ^@.*?$ */
        if (hl_line_start(h, p)) {
            size_t eol = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p);
            hl_emit(h, HL_CP, (eol == NONE ? h->end : eol) - p);
        } else {
            hl_no_match(h, &c->st);
        }
        return;
    case '/':
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_no_match(h, &c->st);
        return;
    default:
        if ((n = hl_space(h, p, true)))
            hl_emit(h, HL_TEXT, n);
        else
            hl_no_match(h, &c->st);
        return;
    }
}

/* ---- values ------------------------------------------------------------------------ */

/* url(...) at pos: url (nb), '(' the address, quoted (s2, s1) or not (sx),
 * and ')', all on one line. */
static bool
url(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, eol, at = NONE;
    enum hl_class cls = HL_SX;
    if (h->s[p] != 'u' || !hl_starts(h, p, "url(", 4))
        return false;
    eol = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p + 4);
    if (eol == NONE)
        eol = h->end;
    char q = (char)hl_at(h, p + 4);
    if (q == '"' || q == '\'') {
        at = hl_seek(h, &c->memo[q == '"' ? M_URL_DQ : M_URL_SQ], q == '"' ? "\")" : "')", 2,
                  p + 5);
        cls = q == '"' ? HL_S2 : HL_S1;
        if (at != NONE && at < eol)
            at++;
        else
            at = NONE;
    }
    if (at == NONE) {
        cls = HL_SX;
        at = hl_seek(h, &c->memo[M_URL_PAREN], ")", 1, p + 4);
        if (at == NONE || at > eol)
            return false;
    }
    hl_emit(h, HL_NB, 3);
    hl_emit(h, HL_P, 1);
    if (at > h->pos)
        hl_emit(h, cls, at - h->pos);
    hl_emit(h, HL_P, 1);
    return true;
}

/* A function's name and '(' at pos: a CSS function (nb) or another (nf);
 * a function's arguments follow. */
static bool
function(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (!ascii_letter(h->s[p]))
        return false;
    size_t n = name_end(c, p) - p;
    if (hl_at(h, p + n) != '(')
        return false;
    if (lists_of(h, p, n) & FUNCTIONAL)
        hl_emit(h, HL_NB, n);
    else if (n >= 2)
        hl_emit(h, HL_NF, n);
    else
        return false;
    hl_emit(h, HL_P, 1);
    hl_stack_push(&c->st, FUNC);
    return true;
}

/* A keyword value (kc), or in a value also a property name (k): the
 * longest word of the first list with one. */
static bool
keyword(struct css *c, bool properties)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, len[5];
    if (!ascii_letter(h->s[p]) && h->s[p] != '-')
        return false;
    if ((n = spaced_keyword(h, p))) {
        hl_emit(h, HL_KC, n);
        return true;
    }
    unsigned found = longest_words(c, p, len);
    for (int k = 0; k < 3; k++) {
        if (found & 1u << k) {
            hl_emit(h, HL_KC, len[k]);
            return true;
        }
    }
    if (properties && (found & PROPERTY)) {
        hl_emit(h, HL_K, len[3]);
        return true;
    }
    return false;
}

/* The run of [0-9] at p. */
static size_t
digits(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && h->s[q] >= '0' && h->s[q] <= '9')
        q++;
    return q - p;
}

/* Up to four bytes in one number, the first lowest. */
#define PACK(a, b, c, d) \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* Whether the word of n <= 4 bytes packed in x (PACK) is one of
 * Pygments' units (_all_units): one switch in place of a hash lookup. */
static bool
is_unit(uint32_t x)
{
    switch (x) {
    case PACK('d', 'e', 'g', 0): case PACK('g', 'r', 'a', 'd'): case PACK('r', 'a', 'd', 0):
    case PACK('t', 'u', 'r', 'n'): case PACK('H', 'z', 0, 0): case PACK('k', 'H', 'z', 0):
    case PACK('e', 'm', 0, 0): case PACK('e', 'x', 0, 0): case PACK('c', 'h', 0, 0):
    case PACK('r', 'e', 'm', 0): case PACK('v', 'h', 0, 0): case PACK('v', 'w', 0, 0):
    case PACK('v', 'm', 'i', 'n'): case PACK('v', 'm', 'a', 'x'): case PACK('p', 'x', 0, 0):
    case PACK('m', 'm', 0, 0): case PACK('c', 'm', 0, 0): case PACK('i', 'n', 0, 0):
    case PACK('p', 't', 0, 0): case PACK('p', 'c', 0, 0): case PACK('q', 0, 0, 0):
    case PACK('d', 'p', 'i', 0): case PACK('d', 'p', 'c', 'm'): case PACK('d', 'p', 'p', 'x'):
    case PACK('s', 0, 0, 0): case PACK('m', 's', 0, 0):
        return true;
    default:
        return false;
    }
}

/* The length of the unit (a whole \w run that is one) or '%' at p, or 0. */
static size_t
unit(const struct hl *h, size_t p)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t n = 0;
    uint32_t x = 0;
    int c = hl_at(h, p);
    if (c == '%')
        return 1;
    if (!ascii_letter(c))   /* every unit starts with one */
        return 0;
    for (; n <= 4 && p + n < h->end && (byte_class[s[p + n]] & WORD); n++)
        x |= (uint32_t)s[p + n] << (8 * n & 31);
    if (n > 4 || (hl_at(h, p + n) >= 0x80 && !hl_boundary(h, p + n)))
        return 0;
    return is_unit(x) ? n : 0;
}

/* Pygments' numeric-values and numeric-end: a colour (mh), or a number
 * (mf, mi) and the units and '%' after it (kt). */
static bool
number(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p, n;
    if (!(byte_class[(unsigned char)h->s[p]] & NUMBER_START))
        return false;
    if (h->s[p] == '#') {
        const unsigned char *s = (const unsigned char *)h->s + p + 1;
        size_t most = h->end - p - 1 < 6 ? h->end - p - 1 : 6;
        for (n = 0; n < most && (byte_class[s[n]] & WORD) && s[n] != '_'; n++)
            ;
        if (!n)
            return false;
        hl_emit(h, HL_MH, 1 + n);
        return true;
    }
    q += h->s[q] == '+' || h->s[q] == '-';
    size_t i = digits(h, q);
    size_t f = hl_at(h, q + i) == '.' ? digits(h, q + i + 1) : 0;
    if (f)
        hl_emit(h, HL_MF, q + i + 1 + f - p);
    else if (i)
        hl_emit(h, HL_MI, q + i - p);
    else
        return false;
    while ((n = unit(h, h->pos)))
        hl_emit(h, HL_KT, n);
    return true;
}

/* One token of Pygments' value-start: a property's value up to ';' or '}'. */
__attribute__((always_inline)) static inline void
value_token(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & LETTER) {
        /* the vendor prefixes (m, p), urls, functions, keywords, properties,
         * then [a-zA-Z_][\w-]*: no other rule starts with a letter */
        if ((ch == 'm' || ch == 'p') && (n = vendor_prefix(h, p)))
            hl_emit(h, HL_BP, n);
        else if (!(ch == 'u' && url(c)) && !function(c) && !keyword(c, true))
            hl_emit(h, HL_N, name_end(c, p) - p);
        return;
    }
    if (byte_class[ch] & SPACE) {
        hl_emit(h, HL_TEXT, hl_space(h, p, true));
        return;
    }
    switch (ch) {
    case '-':   /* a vendor prefix, a keyword, a number, operators */
        if ((n = vendor_prefix(h, p)))
            hl_emit(h, HL_BP, n);
        else if (!keyword(c, true) && !number(c))
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '!':
        if (hl_starts(h, p, "!important", 10))
            hl_emit(h, HL_CP, 10);
        else
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '/':
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '"':
    case '\'':
        if (!emit_string(c))
            hl_no_match(h, &c->st);
        return;
    case ';':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        hl_stack_pop(&c->st);
        return;
    default:
        break;
    }
    if (number(c))   /* [0-9.+#] */
        ;
    else if ((n = run_of(h, p, VALUE_OPERATOR)))
        hl_emit(h, HL_O, n);
    else if ((n = run_of(h, p, VALUE_PUNCTUATION)))
        hl_emit(h, HL_P, n);
    else if ((n = hl_space(h, p, true)))
        hl_emit(h, HL_TEXT, n);
    else
        hl_no_match(h, &c->st);
}

/* value-start, token after token while the state stays. */
static void
value(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do
        value_token(c, h);
    while (h->pos < h->end && c->st.depth == depth);
}

/* Pygments' content, token after token while the state stays; the value
 * that a declaration enters is lexed at once, as it mostly returns here. */
static void
content(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do {
        content_token(c, h);
        if (c->st.depth > depth && h->pos < h->end)   /* only value-start is entered */
            value(c);
    } while (h->pos < h->end && c->st.depth == depth);
}

/* -+[\w+][\w+-]* at p (a custom property in var()): its length, or 0. */
static size_t
dashed_name(const struct hl *h, size_t p)
{
    size_t q = p;
    int32_t cp;
    while (hl_at(h, q) == '-')
        q++;
    if (q == p || !(hl_at(h, q) == '+' || hl_word_at(h, q)))
        return 0;
    while (q < h->end) {
        unsigned char ch = (unsigned char)h->s[q];
        if (byte_class[ch] & NAME || ch == '+')
            q++;
        else if (ch >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &cp);
        else
            break;
    }
    return q - p;
}

/* One token of Pygments' function-start: a function's arguments up to
 * its ')'. */
__attribute__((always_inline)) static inline void
func_token(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (ch == '-' && (n = dashed_name(h, p))) {
        hl_emit(h, HL_NV, n);
    } else if (byte_class[ch] & LETTER || ch == '-') {
        /* urls, vendor prefixes, keywords, functions, numbers ('-'), '-' an
         * operator, then [a-zA-Z_-]\w* */
        if ((n = vendor_prefix(h, p)))
            hl_emit(h, HL_KP, n);
        else if (url(c) || keyword(c, false) || function(c) || number(c))
            ;
        else if (ch == '-')
            hl_emit(h, HL_O, 1);
        else
            hl_emit(h, HL_N, 1 + hl_word_run(h, p + 1));
    } else if (ch == ',') {
        hl_emit(h, HL_P, 1);
    } else if (ch == ')') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if ((n = comment(c))) {
        hl_emit(h, HL_C, n);
    } else if (number(c)) {
        return;
    } else if (ch == '*' || ch == '+' || ch == '/') {
        hl_emit(h, HL_O, 1);
    } else if (!emit_string(c)) {
        hl_no_match(h, &c->st);
    }
}

/* function-start, token after token while the state stays. */
static void
func(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do
        func_token(c, h);
    while (h->pos < h->end && c->st.depth == depth);
}

void
lex_css(struct hl *h)
{
    struct css c = { .h = h };
    for (int i = 0; i < M_COUNT; i++)
        c.memo[i] = (struct hl_seek){ NONE, 0 };
    hl_stack_init(&c.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&c.st)) {
        case ROOT:
            root(&c);
            break;
        case ATRULE:
            atrule(&c);
            break;
        case ATCONTENT:
            atcontent(&c);
            break;
        case CONTENT:
            content(&c);
            break;
        case VALUE:
            value(&c);
            break;
        default:
            func(&c);
            break;
        }
    }
    hl_stack_dispose(&c.st);
}
