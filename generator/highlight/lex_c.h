/* lex_c.h: what the C lexer (lex_c.c) shares with C++ (lex_cpp.c), whose
 * Pygments lexers share CFamilyLexer. Private to highlight/. */
#ifndef GZ_LEX_C_H
#define GZ_LEX_C_H

#include "lexer.h"

/* A number at pos (0x1.8p3, 1.5e3f, 0x1F, 0b101, 017, 42ul, with the '-'
 * before it if any, as Pygments has it), emitted; false if there is none. */
bool c_number(struct hl *h);

#endif
