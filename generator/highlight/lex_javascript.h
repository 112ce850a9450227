/* lex_javascript.h: what the JavaScript lexer (lex_javascript.c) shares with
 * its dialect TypeScript (lex_typescript.c), whose rules Pygments tries
 * before JavaScript's. Private to highlight/. */
#ifndef GZ_LEX_JAVASCRIPT_H
#define GZ_LEX_JAVASCRIPT_H

#include "lexer.h"

struct js;

/* A dialect's rules, tried first wherever JavaScript's 'root' applies, but
 * only at the bytes of starts (a bitmap: byte c is bit c % 64 of word c / 64),
 * so that most tokens never try them. rules is given the end of the run of
 * [A-Za-z0-9_] at pos; it emits a token and returns true, or returns false
 * having emitted none. */
struct js_dialect {
    bool (*rules)(struct js *j, size_t word_end);
    uint64_t starts[4];
};

/* Whether byte c is in the bitmap set. */
static inline bool
js_byte_in(const uint64_t set[4], unsigned char c)
{
    return set[c >> 6] >> (c & 63) & 1;
}

/* Lexes h->s[h->pos..h->end) as JavaScript, with the dialect's rules (or
 * none, for NULL) ahead of the rules of 'root'. */
void js_lex(struct hl *h, const struct js_dialect *dialect);

/* The cursor that j lexes. */
struct hl *js_hl(struct js *j);
/* Enters 'slashstartsregex' after the token just emitted: a '/' there
 * starts a regular expression. */
void js_regex_next(struct js *j);
/* The length of JS_IDENT at p, or 0. */
size_t js_ident_len(const struct hl *h, size_t p);
/* The end of the run of [\w?.$] at p, given that [p, known) is in it:
 * js_dotted_end remembers the last run, so that the positions of one run
 * cost one scan in all. */
size_t js_dotted_end(struct js *j, size_t p, size_t known);
size_t js_dotted_scan(const struct hl *h, size_t p);
/* A dialect's remembered look-ahead: where it looked and what it found. */
struct js_memo {
    size_t at, found;
};
struct js_memo *js_memo(struct js *j);

#endif
