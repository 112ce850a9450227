/* lex_make.c: the Makefile lexer of the highlighter, after Pygments'
 * MakefileLexer (pygments/lexers/make.py, 2.14), what 'make' names there:
 * conditional and include lines (cp) and comment lines (c) set apart
 * first, the other lines lexed as by BaseMakefileLexer: recipes and
 * assigned values (lex_bash), variables (nv), targets (nf), $(...) (k). */
#include "lexer.h"

/* BaseMakefileLexer's states */
enum { ROOT, EXPANSION, EXPORT, HEADER };

struct mk {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek colon, newline;
    size_t name_from, name_to;  /* a run of name characters that is no assignment */
    size_t la_from, la_to;      /* a run of characters export's look-ahead allows */
    size_t no_quote_after[2];   /* no '"' (0) or '\'' (1) string closes after this */
    bool continued;             /* the last conditional line ended in a backslash */
    bool ws_carry;              /* the last segment ended in whitespace */
    bool value_carry;           /* or in a value continued by a backslash */
};

/* ---- lines set apart ---------------------------------------------------------- */

/* The end of the line at p as Python's str.splitlines has it (its
 * terminator: \n, \r\n, \r, \v, \f, \x1c-\x1e, U+0085, U+2028, U+2029
 * included), so the lines are the ones Pygments sets apart. */
static size_t
next_line(const struct hl *h, size_t p)
{
    static const bool stop[256] = {
        ['\n'] = true, ['\r'] = true, ['\v'] = true, ['\f'] = true, [0x1c] = true,
        [0x1d] = true, [0x1e] = true, [0xc2] = true, [0xe2] = true,
    };
    const unsigned char *s = (const unsigned char *)h->s;
    for (size_t q = p;; q++) {
        /* eight bytes at a time over printable ASCII, which ends no line:
         * subtracting 0x20 from each byte sets the top bit of the first
         * one below 0x20 (no borrow reaches it), and bytes >= 0x80 have it */
        uint64_t x;
        while (q + 8 <= h->end && (memcpy(&x, s + q, 8),
                                   !(((x - 0x2020202020202020u) | x) & 0x8080808080808080u)))
            q += 8;
        size_t chunk_end = q + 8 < h->end ? q + 8 : h->end;
        while (q < chunk_end && !stop[s[q]])
            q++;
        if (q >= h->end)
            return h->end;
        if (q == chunk_end) {
            q--;   /* the loop's q++ resumes there */
            continue;
        }
        int c = (unsigned char)h->s[q], c1 = hl_at(h, q + 1);
        if (c == '\r')
            return q + 1 + (c1 == '\n');
        if (c == 0xc2) {
            if (c1 == 0x85)
                return q + 2;
        } else if (c == 0xe2) {
            int c2 = hl_at(h, q + 2);
            if (c1 == 0x80 && (c2 == 0xa8 || c2 == 0xa9))
                return q + 3;
        } else {
            return q + 1;
        }
    }
}

/* True if the character at p is whitespace (\s). */
static bool
space_at(const struct hl *h, size_t p)
{
    int32_t cp;
    return p < h->end && hl_cp_space((hl_char(h, p, &cp), cp));
}

/* The end of the whitespace at p, not past e (which a line ends at). */
static size_t
skip_space(const struct hl *h, size_t p, size_t e)
{
    for (; p < e; p++) {
        unsigned char c = (unsigned char)h->s[p];
        if (c >= 0x80)
            break;
        if (!(c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)))
            return p;
    }
    while (p < e && space_at(h, p)) {
        int32_t cp;
        p += hl_char(h, p, &cp);
    }
    return p;
}

/* The words of r_special, each of which needs whitespace after it. */
struct word {
    const char *w;
    size_t n;
};
#define WORD(w) { w, sizeof w - 1 }
#define WORD_THEN_SPACE(h, p, words) word_then_space(h, p, words, sizeof words / sizeof *words)
static const struct word bsd_words[] = {   /* after '.' */
    WORD("include"), WORD("undef"), WORD("error"), WORD("warning"), WORD("if"), WORD("else"),
    WORD("elif"), WORD("endif"), WORD("for"), WORD("endfor"),
};
static const struct word gnu_words[] = {
    WORD("ifeq"), WORD("ifneq"), WORD("ifdef"), WORD("ifndef"), WORD("else"), WORD("endif"),
    WORD("include"), WORD("-include"), WORD("define"), WORD("endef"), WORD(":"),
    WORD("vpath"), WORD("if"),
};

/* True if one of the count words starts the text at p and a whitespace
 * character follows it. Its first byte rules out most at once. */
static bool
word_then_space(const struct hl *h, size_t p, const struct word *words, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (words[i].w[0] == h->s[p] && hl_starts(h, p, words[i].w, words[i].n) &&
            space_at(h, p + words[i].n))
            return true;
    return false;
}

/* MakefileLexer's r_special at the line start p (of the line ending at e),
 * q being where the whitespace at p ends: BSD .include and .if lines, GNU
 * ifeq, include, define and the like, Automake's if. */
static bool
special(const struct hl *h, size_t p, size_t q, size_t e)
{
    if (h->s[p] == '.') {
        size_t r = skip_space(h, p + 1, e);
        if (r < e && hl_in(h->s[r], "iuewf") && WORD_THEN_SPACE(h, r, bsd_words))
            return true;
    }
    return q < e && hl_in(h->s[q], "ied-:v") && WORD_THEN_SPACE(h, q, gnu_words);
}

/* r_comment, q being where the whitespace at the line start ends: blanks,
 * perhaps '@', then '#'. */
static bool
comment_line(const struct hl *h, size_t q, size_t e)
{
    q += q < e && h->s[q] == '@';
    return q < e && h->s[q] == '#';
}

/* Whether s[p..e) stripped of whitespace ends with a backslash. */
static bool
ends_in_backslash(const struct hl *h, size_t p, size_t e)
{
    bool last = false;
    while (p < e) {
        int32_t cp;
        size_t n = hl_char(h, p, &cp);
        if (!hl_cp_space(cp))
            last = h->s[p] == '\\';
        p += n;
    }
    return last;
}

/* The class of the line p..e that MakefileLexer sets apart (cp or c), or
 * HL_TEXT if it is kept for the base lexer; with update, records whether
 * the lines after it continue a conditional. */
static enum hl_class
set_apart(struct mk *m, size_t p, size_t e, bool update)
{
    struct hl *h = m->h;
    size_t q = skip_space(h, p, e);
    if (m->continued || special(h, p, q, e)) {
        if (update)
            m->continued = ends_in_backslash(h, p, e);
        return HL_CP;
    }
    return comment_line(h, q, e) ? HL_C : HL_TEXT;
}

/* ---- the base lexer: root ------------------------------------------------------- */

/* ^(?:[\t ]+.*\n|\n)+ : where the block of recipe and empty lines at p ends. */
static size_t
recipes_end(const struct hl *h, size_t p)
{
    for (;;) {
        int c = hl_at(h, p);
        size_t eol;
        if (c == '\n')
            p++;
        else if ((c == ' ' || c == '\t') && (eol = hl_line_end(h, p)) < h->end)
            p = eol + 1;
        else
            return p;
    }
}

static void
bash_to(struct hl *h, size_t end)
{
    if (end > h->pos)
        hl_sub(h, end, lex_bash);
}

/* The run at p of [\w${}().-], of [\w${}-] without parens, or of the
 * characters export's look-ahead allows, [\w${}\t -]. */
enum { NAME, EXPORT_NAME, LOOKAHEAD };
static size_t
name_run(const struct hl *h, size_t p, int kind)
{
    static const char *const extra[] = { "${}().-", "${}-", "${}\t -" };
    size_t q = p;
    for (;;) {
        size_t n = hl_word_run(h, q);
        q += n;
        if (q < h->end && hl_in(h->s[q], extra[kind]))
            q++;
        else if (!n)
            return q - p;
    }
}

/* (?=[\w${}\t -]+\n) at p: measured once for a whole run. */
static bool
lookahead(struct mk *m, size_t p)
{
    struct hl *h = m->h;
    if (!(m->la_from <= p && p <= m->la_to)) {
        m->la_from = p;
        m->la_to = p + name_run(h, p, LOOKAHEAD);
    }
    return m->la_to > p && hl_at(h, m->la_to) == '\n';
}

/* ((?:un)?export)(\s+)(?=[\w${}\t -]+\n) into the export state, or else
 * (?:un)?export\s+ as a keyword. The look-ahead may take a shorter gap:
 * one that ends at a blank before a newline. */
static bool
export(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos, n = hl_starts(h, p, "unexport", 8) ? 8 : 0;
    n = n ? n : hl_starts(h, p, "export", 6) ? 6 : 0;
    size_t ws = n ? hl_space(h, p + n, true) : 0;
    if (!ws)
        return false;
    size_t a = p + n, b = a + ws, gap = 0;
    if (lookahead(m, b))
        gap = ws;
    for (size_t x = b - 1; !gap && x > a + 1; x--)
        if ((h->s[x - 1] == ' ' || h->s[x - 1] == '\t') && h->s[x] == '\n')
            gap = x - 1 - a;
    if (!gap) {
        hl_emit(h, HL_K, n + ws);
        return true;
    }
    hl_emit(h, HL_K, n);
    hl_emit(h, HL_TEXT, gap);
    hl_stack_push(&m->st, EXPORT);
    return true;
}

/* (?:.*\\\n)* : where the lines at p that end in a backslash end. */
static size_t
continued_lines(const struct hl *h, size_t p)
{
    size_t eol;
    while ((eol = hl_line_end(h, p)) < h->end && eol > p && h->s[eol - 1] == '\\')
        p = eol + 1;
    return p;
}

/* ((?:.*\\\n)+|.*\n): the lines a backslash continues, without the last,
 * or else one line; where it ends, or 0. */
static size_t
value_end(const struct hl *h, size_t p)
{
    size_t q = continued_lines(h, p), eol;
    if (q > p)
        return q;
    eol = hl_line_end(h, p);
    return eol < h->end ? eol + 1 : 0;
}

/* name [!?:+]= value, the value for bash. A run of name characters that
 * is no assignment is remembered, so its tail is not measured again. */
static bool
assignment(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos;
    if (m->name_from <= p && p < m->name_to)
        return false;
    size_t n = name_run(h, p, NAME);
    if (!n)
        return false;
    size_t ws = hl_space(h, p + n, true), o = p + n + ws, op = 0, v = 0;
    if (hl_at(h, o) == '=')
        op = 1;
    else if (hl_in(hl_at(h, o), "!?:+") && hl_at(h, o + 1) == '=')
        op = 2;
    size_t e = op ? value_end(h, v = o + op + hl_span(h, o + op, " \t", (size_t)-1)) : 0;
    if (!e) {
        m->name_from = p;
        m->name_to = p + n;
        return false;
    }
    hl_emit(h, HL_NV, n);
    if (ws)
        hl_emit(h, HL_TEXT, ws);
    hl_emit(h, HL_O, op);
    if (v > h->pos)
        hl_emit(h, HL_TEXT, v - h->pos);
    bash_to(h, e);
    m->value_carry = e == h->end && h->s[e - 2] == '\\';
    return true;
}

/* "..." or '...' with backslash escapes: its length, or 0 if it is left
 * open, after which no later one closes. */
static size_t
string(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos;
    int k = h->s[p] == '\'';
    if (p >= m->no_quote_after[k])
        return 0;
    static const bool stops[2][256] = { { ['"'] = true }, { ['\''] = true } };
    size_t n = 1 + hl_until_escaped(h, p + 1, stops[k]);
    if (p + n < h->end)
        return n + 1;
    m->no_quote_after[k] = p;
    return 0;
}

/* ([^\n:]+)(:+)([ \t]*) into the block header. */
static bool
target(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos;
    size_t colon = hl_seek(h, &m->colon, ":", 1, p);
    if (colon == (size_t)-1 || colon == p)
        return false;
    size_t nl = hl_seek(h, &m->newline, "\n", 1, p);
    if (nl != (size_t)-1 && nl < colon)
        return false;
    hl_emit(h, HL_NF, colon - p);
    hl_emit(h, HL_O, hl_span(h, colon, ":", (size_t)-1));
    size_t n = hl_span(h, h->pos, " \t", (size_t)-1);
    if (n)
        hl_emit(h, HL_TEXT, n);
    hl_stack_push(&m->st, HEADER);
    return true;
}

static void
root(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    bool carry = m->ws_carry, value = m->value_carry;
    m->ws_carry = m->value_carry = false;
    if (value && (n = continued_lines(h, p)) > p) {
        bash_to(h, n);
        m->value_carry = n == h->end;
    } else if (!carry && hl_line_start(h, p) && (n = recipes_end(h, p)) > p) {
        hl_sub(h, n, lex_bash);
    } else if (c == '$' && hl_in(hl_at(h, p + 1), "<@$+%?|*")) {
        hl_emit(h, HL_K, 2);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        m->ws_carry = h->pos == h->end;
    } else if (c == '#' && (n = hl_line_end(h, p)) < h->end) {
        hl_emit(h, HL_C, n + 1 - p);
    } else if ((c == 'e' || c == 'u') && export(m)) {
        return;
    } else if (assignment(m)) {
        return;
    } else if ((c == '"' || c == '\'') && (n = string(m))) {
        hl_emit(h, c == '"' ? HL_S2 : HL_S1, n);
    } else if (target(m)) {
        return;
    } else if (c == '$' && hl_at(h, p + 1) == '(') {
        hl_emit(h, HL_K, 2);
        hl_stack_push(&m->st, EXPANSION);
    } else {
        hl_no_match(h, &m->st);
    }
}

/* ---- the base lexer: the other states ------------------------------------------------- */

/* Inside $(...): text, variable names (nv), '$' and nested parentheses (k). */
static void
expansion(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos, q = p;
    char c = h->s[p];
    if (c == '(' || c == ')' || c == '$') {
        hl_emit(h, HL_K, 1);
        if (c == '(')
            hl_stack_push(&m->st, EXPANSION);
        else if (c == ')')
            hl_stack_pop(&m->st);
        return;
    }
    for (;;) {   /* [\w.-]+ */
        size_t n = hl_word_run(h, q);
        q += n;
        if (q < h->end && (h->s[q] == '.' || h->s[q] == '-'))
            q++;
        else if (!n)
            break;
    }
    if (q > p) {
        hl_emit(h, HL_NV, q - p);
        return;
    }
    while (q < h->end && !hl_in(h->s[q], "$().-") && !hl_word_at(h, q)) {   /* [^\w$().-]+ */
        int32_t cp;
        q += hl_char(h, q, &cp);
    }
    hl_emit(h, HL_TEXT, q - p);
}

/* After export: the names (nv) to the end of the line. */
static void
export_names(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos, n;
    if ((n = name_run(h, p, EXPORT_NAME))) {
        hl_emit(h, HL_NV, n);
    } else if (h->s[p] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        hl_stack_pop(&m->st);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else {
        hl_no_match(h, &m->st);
    }
}

/* The run of [a-zA-Z_] at p. */
static size_t
letters(const struct hl *h, size_t p)
{
    static const bool letter[256] = {
        ['A'] = true, ['B'] = true, ['C'] = true, ['D'] = true, ['E'] = true, ['F'] = true,
        ['G'] = true, ['H'] = true, ['I'] = true, ['J'] = true, ['K'] = true, ['L'] = true,
        ['M'] = true, ['N'] = true, ['O'] = true, ['P'] = true, ['Q'] = true, ['R'] = true,
        ['S'] = true, ['T'] = true, ['U'] = true, ['V'] = true, ['W'] = true, ['X'] = true,
        ['Y'] = true, ['Z'] = true, ['_'] = true,
        ['a'] = true, ['b'] = true, ['c'] = true, ['d'] = true, ['e'] = true, ['f'] = true,
        ['g'] = true, ['h'] = true, ['i'] = true, ['j'] = true, ['k'] = true, ['l'] = true,
        ['m'] = true, ['n'] = true, ['o'] = true, ['p'] = true, ['q'] = true, ['r'] = true,
        ['s'] = true, ['t'] = true, ['u'] = true, ['v'] = true, ['w'] = true, ['x'] = true,
        ['y'] = true, ['z'] = true,
    };
    size_t q = p;
    while (q < h->end && letter[(unsigned char)h->s[q]])
        q++;
    return q - p;
}

/* After a target's colon: prerequisites to the end of the line. */
static void
header(struct mk *m)
{
    struct hl *h = m->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (c == ',' || c == '|') {
        hl_emit(h, HL_P, 1);
    } else if (c == '#' && (n = hl_line_end(h, p)) < h->end) {
        hl_emit(h, HL_C, n + 1 - p);
        hl_stack_pop(&m->st);
    } else if (c == '\\' && hl_at(h, p + 1) == '\n') {
        hl_emit(h, HL_TEXT, 2);
    } else if (c == '$' && hl_at(h, p + 1) == '(') {
        hl_emit(h, HL_K, 2);
        hl_stack_push(&m->st, EXPANSION);
    } else if ((n = letters(h, p))) {
        hl_emit(h, HL_N, n);
    } else if (c == '\n') {
        hl_emit(h, HL_TEXT, 1);
        hl_stack_pop(&m->st);
    } else {
        int32_t cp;
        hl_emit(h, HL_TEXT, hl_char(h, p, &cp));
    }
}

/* Lexes the kept lines pos..end as BaseMakefileLexer would, its state
 * carried from the lines before. */
static void
base(struct mk *m)
{
    struct hl *h = m->h;
    if (hl_stack_top(&m->st) != ROOT)
        m->ws_carry = m->value_carry = false;
    while (h->pos < h->end) {
        switch (hl_stack_top(&m->st)) {
        case EXPANSION: expansion(m); break;
        case EXPORT: export_names(m); break;
        case HEADER: header(m); break;
        default: root(m); break;
        }
    }
}

/* Each line set apart is one token; the kept lines between them are lexed
 * together as if the others were not there (which Pygments does by lexing
 * them as one text), except that a token does not run across them. */
void
lex_make(struct hl *h)
{
    struct mk m = { .h = h, .colon = HL_SEEK_INIT, .newline = HL_SEEK_INIT,
                    .name_from = 1, .name_to = 0, .la_from = 1, .la_to = 0,
                    .no_quote_after = { (size_t)-1, (size_t)-1 } };
    hl_stack_init(&m.st, ROOT);
    size_t end = h->end;
    while (h->pos < end) {
        size_t e = next_line(h, h->pos);
        enum hl_class cls = set_apart(&m, h->pos, e, true);
        if (cls != HL_TEXT) {
            hl_emit(h, cls, e - h->pos);
            continue;
        }
        while (e < end) {   /* the kept lines that follow */
            size_t next = next_line(h, e);
            if (set_apart(&m, e, next, false) != HL_TEXT)
                break;
            e = next;
        }
        h->end = e;
        base(&m);
        h->end = end;
    }
    hl_stack_dispose(&m.st);
}
