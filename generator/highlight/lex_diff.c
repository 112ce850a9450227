/* lex_diff.c: the diff lexer of the highlighter (unified and context diffs,
 * patches): each line takes its class from how it starts, as in Pygments'
 * DiffLexer: + inserted (gi), - deleted (gd), @ hunk (gu), headers (gh). */
#include "lexer.h"

/* The class of the line s[p..eol). */
static enum hl_class
line_class(const struct hl *h, size_t p, size_t eol)
{
    if (p == eol)
        return HL_TEXT;
    switch (h->s[p]) {
    case '+': return HL_GI;
    case '-': return HL_GD;
    case '!': return HL_GS;
    case '@': return HL_GU;
    case '=': return HL_GH;
    case 'I': case 'i':
        return hl_starts(h, p + 1, "ndex", 4) ? HL_GH : HL_TEXT;
    case 'd':
        return hl_starts(h, p, "diff", 4) ? HL_GH : HL_TEXT;
    default: return HL_TEXT;
    }
}

void
lex_diff(struct hl *h)
{
    while (h->pos < h->end) {
        size_t eol = hl_line_end(h, h->pos);
        if (eol > h->pos)
            hl_emit(h, line_class(h, h->pos, eol), eol - h->pos);
        if (eol < h->end)
            hl_emit(h, HL_TEXT, 1);
    }
}
