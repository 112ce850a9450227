/* lex_dockerfile.c: the Dockerfile lexer of the highlighter, after
 * Pygments' DockerLexer (pygments/lexers/configs.py, 2.14): instructions
 * (k) in any case, FROM's image and stage and plain arguments (s), comments
 * (c), JSON argument lists (lex_json) and shell commands (lex_bash). Like
 * Pygments it knows an instruction by its first letters wherever a token
 * starts, even inside a word. */
#include "lexer.h"

/* True if the n letters of the upper-case w start the text at p, in any case. */
static bool
word_at(const struct hl *h, size_t p, const char *w, size_t n)
{
    if (p + n > h->end)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = h->s[p + i];
        if ((c | 32) < 'a' || (c | 32) > 'z' || (c & ~32) != w[i])
            return false;
    }
    return true;
}

/* The instructions of one of DockerLexer's rules, upper case. */
struct word {
    const char *w;
    size_t n;
};
#define WORD(w) { w, sizeof w - 1 }
#define ONE_OF(h, p, words) one_of(h, p, words, sizeof words / sizeof *words)
static const struct word json_forms[] = {
    WORD("VOLUME"), WORD("ENTRYPOINT"), WORD("CMD"), WORD("SHELL"),
};
static const struct word with_options[] = { WORD("LABEL"), WORD("ENV"), WORD("ARG") };
static const struct word with_string[] = {
    WORD("MAINTAINER"), WORD("EXPOSE"), WORD("WORKDIR"), WORD("USER"), WORD("STOPSIGNAL"),
    WORD("VOLUME"),
};
static const struct word before_bash[] = {
    WORD("RUN"), WORD("CMD"), WORD("ENTRYPOINT"), WORD("ADD"), WORD("COPY"),
};

/* The length of the first of the count words that starts the text at p,
 * in any case; 0 if none. Its first letter rules out most at once. */
static size_t
one_of(const struct hl *h, size_t p, const struct word *words, size_t count)
{
    char first = (char)(h->s[p] & ~32);
    for (size_t i = 0; i < count; i++)
        if (words[i].w[0] == first && word_at(h, p, words[i].w, words[i].n))
            return words[i].n;
    return 0;
}

/* The run of \S at p. */
static size_t
nonspace(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && !hl_space(h, q, true)) {
        int32_t cp;
        q += hl_char(h, q, &cp);
    }
    return q - p;
}

/* \s*\\?\s*: a line break that may hide behind a backslash. */
static size_t
line_break(const struct hl *h, size_t p)
{
    size_t q = p + hl_space(h, p, true);
    q += hl_at(h, q) == '\\';
    return q + hl_space(h, q, true) - p;
}

/* (LB --?\w+=\w+ LB)*, with the dashes if dashes: where the run ends. */
static size_t
options(const struct hl *h, size_t p, bool dashes)
{
    for (;;) {
        size_t q = p + line_break(h, p), n;
        if (dashes && !hl_starts(h, q, "--", 2))
            return p;
        q += dashes ? 2 : 0;
        if (!(n = hl_word_run(h, q)) || hl_at(h, q + n) != '=')
            return p;
        q += n + 1;
        if (!(n = hl_word_run(h, q)))
            return p;
        q += n;
        p = q + line_break(h, q);
    }
}

static void
bash_to(struct hl *h, size_t end)
{
    if (end > h->pos)
        hl_sub(h, end, lex_bash);
}

/* FROM image [AS name] */
static void
from(struct hl *h)
{
    hl_emit(h, HL_K, 4);
    for (int part = 0; part < 2; part++) {
        size_t n = hl_span(h, h->pos, " \t", (size_t)-1);
        if (n)
            hl_emit(h, HL_TEXT, n);
        if ((n = nonspace(h, h->pos)))
            hl_emit(h, HL_S, n);
        if ((n = hl_span(h, h->pos, " \t", (size_t)-1)))
            hl_emit(h, HL_TEXT, n);
        if (part || !word_at(h, h->pos, "AS", 2))
            return;
        hl_emit(h, HL_K, 2);
    }
}

/* The keyword of n bytes at pos, then the whitespace after it. */
static void
keyword(struct hl *h, size_t n)
{
    hl_emit(h, HL_K, n);
    hl_emit(h, HL_TEXT, hl_space(h, h->pos, true));
}

/* VOLUME, ENTRYPOINT, CMD or SHELL of n bytes at pos with a JSON list:
 * false if no list closes on its line. */
static bool
json_form(struct hl *h, size_t n)
{
    size_t p = h->pos, ws = hl_space(h, p + n, true);
    if (!ws)
        return false;
    size_t lb = p + n + ws, open = lb + line_break(h, lb);
    if (hl_at(h, open) != '[')
        return false;
    const char *close = memchr(h->s + open, ']', hl_line_end(h, open) - open);
    if (!close)
        return false;
    keyword(h, n);
    bash_to(h, open);
    hl_sub(h, (size_t)(close - h->s) + 1, lex_json);
    return true;
}

/* (.*\\\n)*.+ : a line and the lines its backslashes continue, for bash;
 * the last continued line is left out if an empty one follows. */
static size_t
command_end(const struct hl *h, size_t p)
{
    size_t q = p, last = 0;
    for (;;) {
        size_t eol = hl_line_end(h, q);
        if (eol > q && eol < h->end && h->s[eol - 1] == '\\') {
            last = eol;
            q = eol + 1;
            continue;
        }
        return eol > q ? eol : last;
    }
}

/* True if a string may be open at e after s[p..e): if a kind of quote
 * there is odd in number (escapes aside). */
static bool
string_open(const struct hl *h, size_t p, size_t e)
{
    unsigned single = 0, dq = 0, back = 0;
    for (; p < e; p++) {
        single += h->s[p] == '\'';
        dq += h->s[p] == '"';
        back += h->s[p] == '`';
    }
    return (single | dq | back) & 1;
}

/* Bash's comments end with a newline, and the command handed to it ends
 * before one: a last line of a continued command that is a comment is
 * code to Pygments, but lex_bash, which counts on a final newline, would
 * take it as a comment; so bash lexes up to its '#', which with the word
 * glued to it is text, and then the rest; unless a string may be open. */
static void
command(struct hl *h, size_t end)
{
    static const bool text_stop[256] = {
        ['='] = true, [' '] = true, ['\t'] = true, ['\n'] = true, ['\v'] = true,
        ['\f'] = true, ['\r'] = true, ['['] = true, [']'] = true, ['{'] = true,
        ['}'] = true, ['('] = true, [')'] = true, ['$'] = true, ['"'] = true,
        ['\''] = true, ['`'] = true, ['\\'] = true, ['<'] = true, ['&'] = true,
        ['|'] = true, [';'] = true,
    };
    const char *nl = memrchr(h->s + h->pos, '\n', end - h->pos);
    size_t line = nl ? (size_t)(nl - h->s) + 1 : h->pos;
    size_t hash = line + hl_span(h, line, " \t", (size_t)-1);
    if (hash >= end || h->s[hash] != '#' || string_open(h, h->pos, hash)) {
        hl_sub(h, end, lex_bash);
        return;
    }
    bash_to(h, hash);
    hl_emit(h, HL_TEXT, 1 + hl_until(h, hash + 1, text_stop));
    bash_to(h, end);
}

/* An instruction at pos, the rules before the catch-all: false if none. */
static bool
instruction(struct hl *h)
{
    size_t p = h->pos, n;
    if (word_at(h, p, "FROM", 4)) {
        from(h);
    } else if (word_at(h, p, "ONBUILD", 7) && hl_space(h, p + 7, true)) {
        keyword(h, 7);
        bash_to(h, h->pos + line_break(h, h->pos));
    } else if (word_at(h, p, "HEALTHCHECK", 11) && hl_space(h, p + 11, true)) {
        keyword(h, 11);
        bash_to(h, options(h, h->pos, true));
    } else if ((n = ONE_OF(h, p, json_forms)) && json_form(h, n)) {
        return true;
    } else if ((n = ONE_OF(h, p, with_options)) && hl_space(h, p + n, true)) {
        keyword(h, n);
        bash_to(h, options(h, h->pos, false));
    } else if ((n = ONE_OF(h, p, with_string)) &&
               hl_space(h, p + n, true)) {
        keyword(h, n);
        if ((n = hl_line_end(h, h->pos) - h->pos))
            hl_emit(h, HL_S, n);
    } else if ((n = ONE_OF(h, p, before_bash)) && hl_space(h, p + n, true)) {
        keyword(h, n);
    } else {
        return false;
    }
    return true;
}

static void
token(struct hl *h, struct hl_stack *st)
{
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p] | 32;
    if (h->s[p] == '#')
        hl_emit(h, HL_C, hl_line_end(h, p) - p);
    else if (c >= 'a' && c <= 'z' && instruction(h))
        return;
    else if ((n = command_end(h, p)))
        command(h, n);
    else
        hl_no_match(h, st);
}

void
lex_dockerfile(struct hl *h)
{
    struct hl_stack st;   /* one state; hl_no_match wants a stack */
    hl_stack_init(&st, 0);
    while (h->pos < h->end)
        token(h, &st);
    hl_stack_dispose(&st);
}
