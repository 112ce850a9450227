/* lex_c.h: what the C lexer (lex_c.c) shares with C++ (lex_cpp.c), whose
 * Pygments lexers share CFamilyLexer. Private to highlight/. */
#ifndef GZ_LEX_C_H
#define GZ_LEX_C_H

#include "lexer.h"

/* A number at pos (0x1.8p3, 1.5e3f, 0x1F, 0b101, 017, 42ul, with the '-'
 * before it if any, as Pygments has it), emitted; false if there is none. */
bool c_number(struct hl *h);

/* What the C family's fast paths make of a byte where it starts a token:
 * which of Pygments' rules can match there at all. */
enum c_byte {
    CB_OTHER,       /* none of the below: the rules in full */
    CB_LETTER,      /* [A-Za-z_] */
    CB_DIGIT,       /* [0-9] */
    CB_SPACE,       /* ASCII \s but the newline */
    CB_NEWLINE,
    CB_OPERATOR,    /* ~!%^&*+=|?:<> ('-' and '/' apart) */
    CB_PUNCT,       /* ()[], ('.' apart) */
    CB_BRACE,       /* {}; */
    CB_QUOTE,       /* " ' */
    CB_MINUS,       /* an operator, or a number's sign */
    CB_SLASH,       /* an operator, or a comment */
    CB_DOT,         /* punctuation, or a number */
    CB_BACKSLASH,   /* a line continuation, or an escape in a name */
    CB_HIGH,        /* >= 0x80: UTF-8, the slow paths */
};
#define CB_RANGE_8(a) [(a)] = CB_HIGH, [(a) + 1] = CB_HIGH, [(a) + 2] = CB_HIGH, \
    [(a) + 3] = CB_HIGH, [(a) + 4] = CB_HIGH, [(a) + 5] = CB_HIGH, [(a) + 6] = CB_HIGH, \
    [(a) + 7] = CB_HIGH
#define CB_RANGE_32(a) CB_RANGE_8(a), CB_RANGE_8((a) + 8), CB_RANGE_8((a) + 16), \
    CB_RANGE_8((a) + 24)
static const unsigned char c_bytes[256] = {
    ['a'] = CB_LETTER, ['b'] = CB_LETTER, ['c'] = CB_LETTER, ['d'] = CB_LETTER,
    ['e'] = CB_LETTER, ['f'] = CB_LETTER, ['g'] = CB_LETTER, ['h'] = CB_LETTER,
    ['i'] = CB_LETTER, ['j'] = CB_LETTER, ['k'] = CB_LETTER, ['l'] = CB_LETTER,
    ['m'] = CB_LETTER, ['n'] = CB_LETTER, ['o'] = CB_LETTER, ['p'] = CB_LETTER,
    ['q'] = CB_LETTER, ['r'] = CB_LETTER, ['s'] = CB_LETTER, ['t'] = CB_LETTER,
    ['u'] = CB_LETTER, ['v'] = CB_LETTER, ['w'] = CB_LETTER, ['x'] = CB_LETTER,
    ['y'] = CB_LETTER, ['z'] = CB_LETTER, ['A'] = CB_LETTER, ['B'] = CB_LETTER,
    ['C'] = CB_LETTER, ['D'] = CB_LETTER, ['E'] = CB_LETTER, ['F'] = CB_LETTER,
    ['G'] = CB_LETTER, ['H'] = CB_LETTER, ['I'] = CB_LETTER, ['J'] = CB_LETTER,
    ['K'] = CB_LETTER, ['L'] = CB_LETTER, ['M'] = CB_LETTER, ['N'] = CB_LETTER,
    ['O'] = CB_LETTER, ['P'] = CB_LETTER, ['Q'] = CB_LETTER, ['R'] = CB_LETTER,
    ['S'] = CB_LETTER, ['T'] = CB_LETTER, ['U'] = CB_LETTER, ['V'] = CB_LETTER,
    ['W'] = CB_LETTER, ['X'] = CB_LETTER, ['Y'] = CB_LETTER, ['Z'] = CB_LETTER,
    ['_'] = CB_LETTER, ['0'] = CB_DIGIT, ['1'] = CB_DIGIT, ['2'] = CB_DIGIT,
    ['3'] = CB_DIGIT, ['4'] = CB_DIGIT, ['5'] = CB_DIGIT, ['6'] = CB_DIGIT,
    ['7'] = CB_DIGIT, ['8'] = CB_DIGIT, ['9'] = CB_DIGIT,
    [' '] = CB_SPACE, ['\t'] = CB_SPACE, ['\v'] = CB_SPACE, ['\f'] = CB_SPACE,
    ['\r'] = CB_SPACE, [0x1c] = CB_SPACE, [0x1d] = CB_SPACE, [0x1e] = CB_SPACE,
    [0x1f] = CB_SPACE, ['\n'] = CB_NEWLINE,
    ['~'] = CB_OPERATOR, ['!'] = CB_OPERATOR, ['%'] = CB_OPERATOR, ['^'] = CB_OPERATOR,
    ['&'] = CB_OPERATOR, ['*'] = CB_OPERATOR, ['+'] = CB_OPERATOR, ['='] = CB_OPERATOR,
    ['|'] = CB_OPERATOR, ['?'] = CB_OPERATOR, [':'] = CB_OPERATOR, ['<'] = CB_OPERATOR,
    ['>'] = CB_OPERATOR, ['('] = CB_PUNCT, [')'] = CB_PUNCT, ['['] = CB_PUNCT,
    [']'] = CB_PUNCT, [','] = CB_PUNCT, ['{'] = CB_BRACE, ['}'] = CB_BRACE,
    [';'] = CB_BRACE, ['"'] = CB_QUOTE, ['\''] = CB_QUOTE, ['-'] = CB_MINUS,
    ['/'] = CB_SLASH, ['.'] = CB_DOT, ['\\'] = CB_BACKSLASH,
    CB_RANGE_32(0x80), CB_RANGE_32(0xa0), CB_RANGE_32(0xc0), CB_RANGE_32(0xe0),
};
#undef CB_RANGE_32
#undef CB_RANGE_8

/* ASCII [A-Za-z0-9_], for the tightest loop over names. */
static const bool c_word[256] = {
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
    ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
};

static inline bool
c_is_word(unsigned char b)
{
    return c_word[b];
}

/* True if an identifier that ends its ASCII run at q goes no further:
 * only '\\' (\uXXXX), '$' and UTF-8 may continue one. */
static inline bool
c_word_stops(const struct hl *h, size_t q)
{
    unsigned char b = q < h->end ? (unsigned char)h->s[q] : 0;
    return !(b == '\\' || b == '$' || b >= 0x80);
}

/* The length of the run at p up to a '/' or a newline (a directive's
 * text): two memchr. */
static inline size_t
until_slash_or_newline(const struct hl *h, size_t p)
{
    size_t eol = hl_line_end(h, p);
    const char *slash = memchr(h->s + p, '/', eol - p);
    return (slash ? (size_t)(slash - h->s) : eol) - p;
}

/* An identifier at p: [\w$] and \uXXXX \UXXXXXXXX, not starting with a
 * digit, with colons also C++'s "::": its length, or 0. */
size_t c_ident_slow(const struct hl *h, size_t p, bool colons);
/* The length of the prefix (L, u, U, u8) at p before the quote q, or -1. */
size_t c_prefix_before(const struct hl *h, size_t p, char q);
/* \\ \a ... \xHH(HH) \uHHHH \UHHHHHHHH \ooo in a string at p: its length, or 0. */
size_t c_string_escape(const struct hl *h, size_t p);
/* The character literal whose quote is at q: its length, quotes included,
 * or 0: '\.' '\ooo' '\xHH' or one character other than \ ' and newline. */
size_t c_char_literal(const struct hl *h, size_t q);
/* The end of the line at p with the lines its backslashes continue. */
size_t c_logical_line_end(const struct hl *h, size_t p);

/* c_ident_slow, with the common all-ASCII name scanned inline; *ascii set
 * if the name is one run of [A-Za-z0-9_]. */
static inline size_t
c_ident_scan(const struct hl *h, size_t p, bool colons, bool *ascii)
{
    *ascii = false;
    if (p < h->end && c_bytes[(unsigned char)h->s[p]] == CB_LETTER) {
        size_t q = p + 1 + hl_ascii_word(h, p + 1);
        if (c_word_stops(h, q) && !(colons && hl_at(h, q) == ':' && hl_at(h, q + 1) == ':')) {
            *ascii = true;
            return q - p;
        }
    }
    return c_ident_slow(h, p, colons);
}

#endif
