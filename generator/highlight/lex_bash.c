/* lex_bash.c: the shell lexers of the highlighter. Bash follows Pygments'
 * BashLexer state by state (keywords, builtins, variables, strings with
 * interpolation, $(...), $((...)), ${...}, here-documents); console is a
 * shell session: prompt lines (gp, then bash), everything else output (go). */
#include "lexer.h"

/* Pygments' states */
enum { ROOT, STRING, CURLY, PAREN, MATH, BACKTICKS };

struct sh {
    struct hl *h;
    struct hl_stack st;
    size_t no_quote_after;  /* no closing ' at or after this offset */
    size_t no_ansi_after;   /* no $'...' closes at or after this offset */
    size_t search_budget;   /* bytes left for here-document searches */
    size_t last_newline;    /* of the text, or (size_t)-1: a '#' after it
                               starts no comment (Pygments' needs a '\n') */
};

static const char *const keywords[] = {
    "case", "continue", "do", "done", "elif", "else", "esac", "fi", "for", "function",
    "if", "in", "return", "select", "then", "until", "while",
};
static const char *const builtins[] = {
    "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen",
    "complete", "declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit",
    "export", "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill",
    "let", "local", "logout", "popd", "printf", "pushd", "pwd", "read", "readonly", "set",
    "shift", "shopt", "source", "suspend", "test", "time", "times", "trap", "true", "type",
    "typeset", "ulimit", "umask", "unalias", "unset", "wait",
};
static struct hl_words keyword_index = HL_WORDS(keywords);
static struct hl_words builtin_index = HL_WORDS(builtins);

static void root(struct sh *b);

/* What can start at each byte in root, from which rules can match there. */
enum {
    B_RULES,  /* several: try them in order */
    B_SPACE,  /* ASCII \s: only data's \s+ */
    B_WORD,   /* [A-Za-z0-9_]: keywords, builtins, assignment, \d+\b, text */
    B_TEXT,   /* any other ASCII: only data's run of text */
    B_DATA,   /* ' " ;: only data's rules (then interp, which cannot match) */
    B_DOLLAR, /* $: data's $"..." and $'...', else only interp */
};
#define S_ B_SPACE
#define W_ B_WORD
#define T_ B_TEXT
#define R_ B_RULES
#define D_ B_DATA
static const unsigned char root_kind[256] = {
    /* 0x00 */ T_, T_, T_, T_, T_, T_, T_, T_, T_, S_, S_, S_, S_, S_, T_, T_,
    /* 0x10 */ T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, S_, S_, S_, S_,
    /*  !"# */ S_, T_, D_, R_, B_DOLLAR, T_, R_, D_, R_, R_, T_, T_, T_, T_, T_, T_,
    /* 0-9  */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, T_, D_, R_, R_, T_, T_,
    /* @A-O */ T_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
    /* P-Z_ */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, R_, R_, R_, T_, W_,
    /* `a-o */ R_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
    /* p-z  */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, R_, R_, R_, T_, T_,
    /* bytes >= 0x80 are R_ (0): a Unicode space or word character needs decoding */
};
#undef S_
#undef W_
#undef T_
#undef R_
#undef D_

/* ---- 'basic' --------------------------------------------------------------- */

/* A keyword or builtin word at pos, between word boundaries; builtins only
 * before whitespace, ')' or '`' (or the end, where Pygments has a newline). */
static bool
word(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, n = hl_ascii_word(h, p);
    if (!n || hl_word_before(h, p) || !hl_boundary(h, p + n))
        return false;
    if (hl_words_find(&keyword_index, h->s + p, n) >= 0) {
        hl_emit(h, HL_K, n);
        return true;
    }
    int next = hl_at(h, p + n);
    if ((hl_space(h, p + n, true) || next == ')' || next == '`') &&
        hl_words_find(&builtin_index, h->s + p, n) >= 0) {
        hl_emit(h, HL_NB, n);
        return true;
    }
    return false;
}

/* name= and name+= : the variable (nv), any spaces, the operator. */
static bool
assignment(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, n = hl_word_run(h, p);
    if (!n || hl_word_before(h, p))
        return false;
    size_t ws = hl_space(h, p + n, true), q = p + n + ws;
    size_t op = hl_at(h, q) == '=' ? 1 : hl_at(h, q) == '+' && hl_at(h, q + 1) == '=' ? 2 : 0;
    if (!op)
        return false;
    hl_emit(h, HL_NV, n);
    if (ws)
        hl_emit(h, HL_TEXT, ws);
    hl_emit(h, HL_O, op);
    return true;
}

/* The first occurrence of word[0..n) at or after from, the search drawing
 * on the budget when it finds nothing; NULL if none. */
static const char *
search(struct sh *b, size_t from, const char *word, size_t n)
{
    struct hl *h = b->h;
    if (from >= h->end)
        return NULL;
    size_t window = h->end - from < b->search_budget ? h->end - from : b->search_budget;
    const char *hit = memmem(h->s + from, window, word, n);
    if (!hit)
        b->search_budget -= window;
    return hit;
}

/* The here-document from p whose word starts at q: the longest prefix of
 * the word's n bytes, cut between characters, found again after it. */
static bool
heredoc_prefix(struct sh *b, size_t p, size_t q, size_t n)
{
    struct hl *h = b->h;
    while (n) {
        const char *hit = search(b, q + n + 1, h->s + q, n);
        if (hit) {
            hl_emit(h, HL_S, (size_t)(hit - h->s) + n - p);
            return true;
        }
        do   /* back to the start of the word's last character */
            n--;
        while (n && ((unsigned char)h->s[q + n] & 0xc0) == 0x80);
    }
    return false;
}

/* A here-document as Pygments has it: <<WORD, <<-WORD, <<'WORD' up to the
 * first WORD after it, even inside another word, or failing that the
 * first of a shorter prefix of WORD (the regex backtracks), the whole a
 * string (s). Searches that find nothing draw on a budget of a few times
 * the text, so that many of them cannot take quadratic time. */
static bool
heredoc(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, q = p + 2;
    q += hl_at(h, q) == '-';
    q += hl_space(h, q, true);
    q += hl_at(h, q) == '\'';
    q += hl_at(h, q) == '\\';
    return heredoc_prefix(b, p, q, hl_word_run(h, q));
}

/* Pygments' 'basic' rules at pos; false if none matched. */
static bool
basic(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos;
    int c = (unsigned char)h->s[p];
    bool at_word = c >= 0x80 || root_kind[c] == B_WORD;   /* which the next two need */
    if (at_word && word(b))
        return true;
    if (c == '#' && b->last_newline != (size_t)-1 && p < b->last_newline) {
        hl_hash_comment(h);
    } else if (c == '\\' && p + 1 < h->end) {
        hl_emit(h, HL_SE, hl_escaped_char(h, p));
    } else if (at_word && assignment(b)) {
        return true;
    } else if (hl_in(c, "[]{}()=")) {
        hl_emit(h, HL_O, 1);
    } else if (hl_starts(h, p, "<<<", 3)) {
        hl_emit(h, HL_O, 3);
    } else if (hl_starts(h, p, "<<", 2) && heredoc(b)) {
        return true;
    } else if (hl_starts(h, p, "&&", 2) || hl_starts(h, p, "||", 2)) {
        hl_emit(h, HL_O, 2);
    } else {
        return false;
    }
    return true;
}

/* ---- 'data' ------------------------------------------------------------------- */

/* What ends the text of a "..." string (s2): its quote, or a '$'. */
static const bool double_stop[256] = { ['"'] = true, ['$'] = true };

/* A double-quoted string without $ in it, $"..." too: its length, or 0. */
static size_t
plain_double(const struct hl *h, size_t p)
{
    size_t i = p + (h->s[p] == '$') + 1;
    i += hl_until_escaped(h, i, double_stop);
    return hl_at(h, i) == '"' ? i + 1 - p : 0;
}

/* $'...' with its escapes: its length, or 0. Once one is never closed, no
 * later one is: its quote would have closed the first. */
static size_t
ansi_c_string(struct sh *b, size_t p)
{
    static const bool stop[256] = { ['\''] = true };
    struct hl *h = b->h;
    if (p >= b->no_ansi_after)
        return 0;
    size_t i = p + 2 + hl_until_escaped(h, p + 2, stop);
    if (i < h->end)
        return i + 1 - p;
    b->no_ansi_after = p;
    return 0;
}

/* '...' (newlines allowed): its length, or 0. Once one finds no closing
 * quote, none after it will either. */
static size_t
single_quoted(struct sh *b, size_t p)
{
    struct hl *h = b->h;
    if (p >= b->no_quote_after)
        return 0;
    const char *q = memchr(h->s + p + 1, '\'', h->end - p - 1);
    if (q)
        return (size_t)(q - h->s) + 1 - p;
    b->no_quote_after = p;
    return 0;
}

/* The bytes that end a run of plain text: [=\s\[\]{}()$"'`\\<&|;] */
static const bool text_stop[256] = {
    ['='] = true, [' '] = true, ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true,
    ['\r'] = true, [0x1c] = true, [0x1d] = true, [0x1e] = true, [0x1f] = true,
    ['['] = true, [']'] = true, ['{'] = true, ['}'] = true, ['('] = true, [')'] = true,
    ['$'] = true, ['"'] = true, ['\''] = true, ['`'] = true, ['\\'] = true, ['<'] = true,
    ['&'] = true, ['|'] = true, [';'] = true,
};

/* A run of text, which non-ASCII whitespace ends too. */
static size_t
text_run(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        q += hl_until(h, q, text_stop);
        if (q >= h->end || (unsigned char)h->s[q] < 0x80 || hl_space(h, q, true))
            return q - p;
        int32_t cp;
        q += hl_char(h, q, &cp);
    }
}

static void
open_string(struct sh *b)
{
    hl_emit(b->h, HL_S2, 1);
    hl_stack_push(&b->st, STRING);
}

/* Pygments' 'data' rules at pos; false if none matched. */
static bool
data(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if ((c == '"' || (c == '$' && hl_at(h, p + 1) == '"')) && (n = plain_double(h, p)))
        hl_emit(h, HL_S2, n);
    else if (c == '"')
        open_string(b);
    else if (c == '$' && hl_at(h, p + 1) == '\'' && (n = ansi_c_string(b, p)))
        hl_emit(h, HL_S1, n);
    else if (c == '\'' && (n = single_quoted(b, p)))
        hl_emit(h, HL_S1, n);
    else if (c == ';' || c == '&' || c == '|')
        hl_emit(h, HL_P, 1);
    else if ((n = hl_space(h, p, true)))
        hl_emit(h, HL_TEXT, n);
    else if ((n = hl_digits(h, p)) && hl_boundary(h, p + n))
        hl_emit(h, HL_M, n);
    else if ((n = text_run(h, p)))
        hl_emit(h, HL_TEXT, n);
    else if (c == '<')
        hl_emit(h, HL_TEXT, 1);
    else
        return false;
    return true;
}

/* Pygments' 'interp' rules at pos: $((, $(, ${, $name, $1, $?, a lone $. */
static bool
interp(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos;
    if (h->s[p] != '$')
        return false;
    int c = hl_at(h, p + 1);
    size_t n;
    if (c == '(' && hl_at(h, p + 2) == '(') {
        hl_emit(h, HL_K, 3);
        hl_stack_push(&b->st, MATH);
    } else if (c == '(') {
        hl_emit(h, HL_K, 2);
        hl_stack_push(&b->st, PAREN);
    } else if (c == '{') {
        hl_emit(h, HL_SI, 2 + (hl_at(h, p + 2) == '#'));
        hl_stack_push(&b->st, CURLY);
    } else if (c == '_' || (c >= 0 && c < 0x80 && ((c | 32) >= 'a' && (c | 32) <= 'z'))) {
        hl_emit(h, HL_NV, 1 + hl_word_run(h, p + 1));
    } else if ((n = hl_digits(h, p + 1))) {
        hl_emit(h, HL_NV, 1 + n);
    } else if (hl_in(c, "#$?!_*@-")) {
        hl_emit(h, HL_NV, 2);
    } else {
        hl_emit(h, HL_TEXT, 1);
    }
    return true;
}

/* ---- the states ------------------------------------------------------------------- */

/* Bit n of a letter's entry is set if a keyword or builtin of n letters
 * starts with it (from the two tables above): most words need no lookup. */
static const uint16_t listed_lengths[128] = {
    ['a'] = 0x20, ['b'] = 0xb4, ['c'] = 0x1d4, ['d'] = 0xd4, ['e'] = 0x50, ['f'] = 0x12c,
    ['g'] = 0x80, ['h'] = 0x90, ['i'] = 0x4, ['j'] = 0x10, ['k'] = 0x10, ['l'] = 0x68,
    ['p'] = 0x78, ['r'] = 0x150, ['s'] = 0xe8, ['t'] = 0xb0, ['u'] = 0xe0, ['w'] = 0x30,
};

/* The run of text at p: data's [^=\s\[\]{}()$"'`\\<&|;]+ (as text_run). */
static inline size_t
text_at(const struct hl *h, size_t p)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && !text_stop[s[q]])
        q++;
    return q - p;
}

/* The rules of root at an ASCII word character at pos, decided on one
 * scan of its word: basic's keywords, builtins and assignment, then data's
 * \d+\b and run of text. False, having emitted nothing, if a non-ASCII
 * character follows the word: then the rules are tried one by one. */
static bool
word_token(struct sh *b)
{
    struct hl *h = b->h;
    const unsigned char *s = (const unsigned char *)h->s;
    size_t p = h->pos, q = p + 1;
    while (q < h->end && root_kind[s[q]] == B_WORD)
        q++;
    int next = q < h->end ? s[q] : -1;
    if (next >= 0x80)
        return false;
    size_t n = q - p;
    bool after_word = p > h->base && (s[p - 1] >= 0x80 ? hl_word_before(h, p)
                                                        : root_kind[s[p - 1]] == B_WORD);
    if (!after_word) {
        if (n < 16 && (listed_lengths[s[p]] >> n) & 1) {
            if (hl_words_find(&keyword_index, h->s + p, n) >= 0) {
                hl_emit(h, HL_K, n);
                return true;
            }
            if ((next == ')' || next == '`' || (next >= 0 && root_kind[next] == B_SPACE)) &&
                hl_words_find(&builtin_index, h->s + p, n) >= 0) {
                hl_emit(h, HL_NB, n);
                return true;
            }
        }
        /* (\b\w+)(\s*)(\+?=) */
        size_t ws = next >= 0 && root_kind[next] == B_SPACE ? hl_space(h, q, true) : 0;
        int c = hl_at(h, q + ws);
        size_t op = c == '=' ? 1 : c == '+' && hl_at(h, q + ws + 1) == '=' ? 2 : 0;
        if (op) {
            hl_emit(h, HL_NV, n);
            if (ws)
                hl_emit(h, HL_TEXT, ws);
            hl_emit(h, HL_O, op);
            return true;
        }
    }
    if (s[p] >= '0' && s[p] <= '9') {   /* \d+\b: all of the word */
        size_t d = 1;
        while (d < n && s[p + d] >= '0' && s[p + d] <= '9')
            d++;
        if (d == n) {
            hl_emit(h, HL_M, n);
            return true;
        }
    }
    hl_emit(h, HL_TEXT, n + text_at(h, q));
    return true;
}

/* 'root', which the other states include after their own rules. Most
 * bytes allow only one or a few of its rules; the rest try them all. */
static void
root(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, q;
    switch (root_kind[(unsigned char)h->s[p]]) {
    case B_SPACE:
        for (q = p + 1; q < h->end && root_kind[(unsigned char)h->s[q]] == B_SPACE; q++)
            ;
        if (q < h->end && (unsigned char)h->s[q] >= 0x80)
            q += hl_space_run(h, q, true);
        hl_emit(h, HL_TEXT, q - p);
        return;
    case B_TEXT:
        hl_emit(h, HL_TEXT, text_at(h, p));
        return;
    case B_WORD:
        if (word_token(b))
            return;
        break;
    case B_DOLLAR:
        if (!(hl_in(hl_at(h, p + 1), "\"'") && data(b)))
            interp(b);
        return;
    case B_DATA:
        if (!data(b))
            hl_no_match(h, &b->st);
        return;
    default:
        break;
    }
    if (basic(b))
        return;
    if (h->s[h->pos] == '`') {
        hl_emit(h, HL_SB, 1);
        hl_stack_push(&b->st, BACKTICKS);
        return;
    }
    if (!data(b) && !interp(b))
        hl_no_match(h, &b->st);
}

/* Inside "...": text with escapes (s2) up to the quote, and interpolation. */
static void
string(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, n;
    if (h->s[p] == '"') {
        hl_emit(h, HL_S2, 1);
        hl_stack_pop(&b->st);
        return;
    }
    if ((n = hl_until_escaped(h, p, double_stop)))
        hl_emit(h, HL_S2, n);
    else if (!interp(b))
        hl_no_match(h, &b->st);
}

/* Inside ${...}: the name (nv), :- (k), other punctuation, then root. */
static void
curly(struct sh *b)
{
    static const bool stop[256] = {
        ['}'] = true, [':'] = true, ['"'] = true, ['\''] = true, ['`'] = true, ['$'] = true,
        ['\\'] = true,
    };
    struct hl *h = b->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    if (c == '}') {
        hl_emit(h, HL_SI, 1);
        hl_stack_pop(&b->st);
    } else if (c == ':' && hl_at(h, p + 1) == '-') {
        hl_emit(h, HL_K, 2);
    } else if ((n = hl_word_run(h, p))) {
        hl_emit(h, HL_NV, n);
    } else if ((n = hl_until(h, p, stop))) {
        hl_emit(h, HL_P, n);
    } else if (c == ':') {
        hl_emit(h, HL_P, 1);
    } else {
        root(b);
    }
}

/* Inside $((...)): operators and numbers, then root. */
static void
math(struct sh *b)
{
    struct hl *h = b->h;
    size_t p = h->pos, n = hl_digits(h, p);
    char c = h->s[p];
    if (c == ')' && hl_at(h, p + 1) == ')') {
        hl_emit(h, HL_K, 2);
        hl_stack_pop(&b->st);
    } else if (hl_in(c, "-+*/%^|&")) {
        hl_emit(h, HL_O, 1);
    } else if (n && hl_at(h, p + n) == '#') {
        size_t m = hl_digits(h, p + n + 1);
        if (m || hl_at(h, p + n + 1) != ' ')
            hl_emit(h, HL_M, n + 1 + m);
        else
            hl_emit(h, HL_M, n);
    } else if (n) {
        hl_emit(h, HL_M, n);
    } else {
        root(b);
    }
}

/* Inside $(...) or `...`: the closing byte (of class cls) ends it, anything
 * else is root. */
static void
nested(struct sh *b, char close, enum hl_class cls)
{
    struct hl *h = b->h;
    if (h->s[h->pos] == close) {
        hl_emit(h, cls, 1);
        hl_stack_pop(&b->st);
    } else {
        root(b);
    }
}

static void
run(struct sh *b)
{
    struct hl *h = b->h;
    while (h->pos < h->end) {
        switch (hl_stack_top(&b->st)) {
        case STRING: string(b); break;
        case CURLY: curly(b); break;
        case MATH: math(b); break;
        case PAREN: nested(b, ')', HL_K); break;
        case BACKTICKS: nested(b, '`', HL_SB); break;
        default: root(b); break;
        }
    }
}

void
lex_bash(struct hl *h)
{
    const char *nl = memrchr(h->s + h->pos, '\n', h->end - h->pos);
    struct sh b = { .h = h, .no_quote_after = (size_t)-1, .no_ansi_after = (size_t)-1,
                    .search_budget = 4 * (h->end - h->pos) + 65536,
                    .last_newline = nl ? (size_t)(nl - h->s) : (size_t)-1 };
    hl_stack_init(&b.st, ROOT);
    run(&b);
    hl_stack_dispose(&b.st);
}

/* ---- console ------------------------------------------------------------------------ */

/* After p: spaces, one of $ # %, spaces; the end of that, or 0. */
static size_t
sigil(const struct hl *h, size_t p, size_t eol)
{
    while (p < eol && (h->s[p] == ' ' || h->s[p] == '\t'))
        p++;
    if (p >= eol || !hl_in(h->s[p], "$#%"))
        return 0;
    p++;
    while (p < eol && (h->s[p] == ' ' || h->s[p] == '\t'))
        p++;
    return p;
}

/* The end of the non-space run at p before eol. */
static size_t
nonspace(const struct hl *h, size_t p, size_t eol)
{
    while (p < eol && h->s[p] != ' ' && h->s[p] != '\t')
        p++;
    return p;
}

/* A user@host:dir or sh-5.1 part of a prompt at p, its sigil included if
 * glued to it: the end of the prompt, or 0. */
static size_t
host_prompt(const struct hl *h, size_t p, size_t eol)
{
    size_t e = nonspace(h, p, eol), r;
    if (e == p)
        return 0;
    bool host = memchr(h->s + p + 1, '@', e - p - 1) || memchr(h->s + p + 1, ':', e - p - 1);
    if (!host && !hl_starts(h, p, "sh", 2))
        return 0;
    if (hl_in(h->s[e - 1], "$#%"))   /* user@host:~$ */
        return sigil(h, e - 1, eol);
    if ((r = sigil(h, e, eol)))
        return r;
    /* user@host dir $ */
    size_t w = e;
    while (w < eol && h->s[w] == ' ')
        w++;
    size_t e2 = nonspace(h, w, eol);
    if (w == e || e2 == w)
        return 0;
    if (hl_in(h->s[e2 - 1], "$#%"))
        return sigil(h, e2 - 1, eol);
    return sigil(h, e2, eol);
}

/* The length of the prompt starting the line s[p..eol), 0 if it is output:
 * an optional (venv), then $ # or %, alone or after [user@host dir],
 * user@host:dir or sh-5.1. */
static size_t
prompt_len(const struct hl *h, size_t p, size_t eol)
{
    size_t q = p, r;
    if (hl_at(h, q) == '(') {
        const char *close = memchr(h->s + q, ')', eol - q);
        if (close) {
            q = (size_t)(close - h->s) + 1;
            while (q < eol && (h->s[q] == ' ' || h->s[q] == '\t'))
                q++;
        }
    }
    if ((r = sigil(h, q, eol)))
        return r - p;
    if (hl_at(h, q) == '[') {
        const char *close = memchr(h->s + q, ']', eol - q);
        return close && (r = sigil(h, (size_t)(close - h->s) + 1, eol)) ? r - p : 0;
    }
    return (r = host_prompt(h, q, eol)) ? r - p : 0;
}

/* Lexes the command after a prompt: its line and the lines a trailing
 * backslash continues, a "> " at their start as a prompt. */
static void
command(struct hl *h)
{
    for (;;) {
        size_t eol = hl_line_end(h, h->pos);
        size_t stop = eol < h->end ? eol + 1 : eol;
        bool more = eol < h->end && eol > h->pos && h->s[eol - 1] == '\\';
        if (stop > h->pos)
            hl_sub(h, stop, lex_bash);
        if (!more || h->pos >= h->end)
            return;
        if (hl_starts(h, h->pos, "> ", 2))
            hl_emit(h, HL_GP, 2);
    }
}

void
lex_console(struct hl *h)
{
    while (h->pos < h->end) {
        size_t eol = hl_line_end(h, h->pos), n = prompt_len(h, h->pos, eol);
        if (n) {
            hl_emit(h, HL_GP, n);
            if (h->pos < h->end)
                command(h);
            continue;
        }
        if (eol > h->pos)
            hl_emit(h, HL_GO, eol - h->pos);
        if (eol < h->end)
            hl_emit(h, HL_TEXT, 1);
    }
}
