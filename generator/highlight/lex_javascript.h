/* lex_javascript.h: what the JavaScript lexer (lex_javascript.c) shares with
 * its dialect TypeScript (lex_typescript.c), whose rules Pygments tries
 * before JavaScript's. Private to highlight/. */
#ifndef GZ_LEX_JAVASCRIPT_H
#define GZ_LEX_JAVASCRIPT_H

#include "lexer.h"

struct js;

/* A dialect's rules, tried first wherever JavaScript's 'root' applies:
 * emits a token and returns true, or returns false having emitted none. */
typedef bool (*js_rules)(struct js *j);

/* Lexes h->s[h->pos..h->end) as JavaScript, with first (or NULL) ahead of
 * the rules of 'root'. */
void js_lex(struct hl *h, js_rules first);

/* The cursor that j lexes. */
struct hl *js_hl(struct js *j);
/* Pushes 'slashstartsregex': a '/' after the token just emitted starts a
 * regular expression. */
void js_regex_next(struct js *j);
/* The length of JS_IDENT at p, or 0. */
size_t js_ident_len(const struct hl *h, size_t p);
/* The end of the run of [\w?.$] at p: js_dotted_end remembers the last run,
 * so that the positions of one run cost one scan in all. */
size_t js_dotted_end(struct js *j, size_t p);
size_t js_dotted_scan(const struct hl *h, size_t p);
/* A dialect's remembered look-ahead: where it looked and what it found. */
struct js_memo {
    size_t at, found;
};
struct js_memo *js_memo(struct js *j);

#endif
