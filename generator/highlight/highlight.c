/* highlight.c: the highlighter's entry points: the table of languages and
 * their aliases, and highlight_code, which runs one lexer (lex_*.c) over a
 * block with the engine (engine.c). */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

/* ---- the language table ---------------------------------------------------- */

static const struct language {
    const char *names[6];   /* the name, then its aliases (lower case) */
    hl_lexer lex;
} languages[] = {
    { { "python", "py", "python3", "py3", "sage" }, lex_python },
    { { "c" }, lex_c },
    { { "bash", "sh", "shell", "zsh", "ksh" }, lex_bash },
    { { "console", "shell-session" }, lex_console },
    { { "json", "json-object" }, lex_json },
    { { "yaml", "yml" }, lex_yaml },
    { { "javascript", "js" }, lex_javascript },
    { { "diff", "udiff", "patch" }, lex_diff },
    { { "cpp", "c++", "cc", "hpp", "cxx" }, lex_cpp },
    { { "csharp", "cs", "c#" }, lex_csharp },
    { { "java" }, lex_java },
    { { "kotlin", "kt", "kts" }, lex_kotlin },
    { { "go", "golang" }, lex_go },
    { { "rust", "rs" }, lex_rust },
    { { "swift" }, lex_swift },
    { { "typescript", "ts", "tsx" }, lex_typescript },
    { { "php", "php3", "php4", "php5" }, lex_php },
    { { "html+php" }, lex_html_php },
    { { "ruby", "rb", "duby" }, lex_ruby },
    { { "lua" }, lex_lua },
    { { "html", "htm", "xhtml" }, lex_html },
    { { "xml", "svg" }, lex_xml },
    { { "css" }, lex_css },
    { { "scss" }, lex_scss },
    { { "sql" }, lex_sql },
    { { "toml" }, lex_toml },
    { { "ini", "cfg", "dosini" }, lex_ini },
    { { "dockerfile", "docker" }, lex_dockerfile },
    { { "make", "makefile", "mf", "bsdmake" }, lex_make },
    { { "go-html-template", "gohtmltmpl" }, lex_go_html_template },
};

/* True if s[0..n) equals the lower-case word w, ignoring ASCII case. */
static bool
same_word(const char *s, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return !w[n];
}

static const struct language *
find_language(const char *lang)
{
    /* a site names a few languages over and over: the last one found (by
     * the name or alias it was found by) is tried first, per thread */
    static _Thread_local const char *last_name;
    static _Thread_local const struct language *last;
    size_t n = strlen(lang);
    if (!n)
        return NULL;
    if (last && same_word(lang, n, last_name))
        return last;
    char first = lang[0] >= 'A' && lang[0] <= 'Z' ? (char)(lang[0] - 'A' + 'a') : lang[0];
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++)
        for (const char *const *w = languages[i].names; *w; w++)
            if (**w == first && same_word(lang, n, *w)) {
                last_name = *w;
                last = &languages[i];
                return last;
            }
    return NULL;
}

const char *
highlight_language(const char *lang)
{
    const struct language *l = find_language(lang);
    return l ? l->names[0] : NULL;
}

/* Lexes code[0..len) with l into out. A text without a final newline is
 * lexed with one, which the output then leaves out: Pygments adds one
 * (ensurenl), and its rules (a keyword before a gap, a backslash before a
 * newline) count on it. */
static void
highlight(struct buf *out, const struct language *l, const char *code, size_t len)
{
    char *copy = NULL;
    size_t lexed = len;
    if (len && code[len - 1] != '\n') {
        copy = xmalloc(len + 1);
        memcpy(copy, code, len);
        copy[len] = '\n';
        code = copy;
        lexed = len + 1;
    }
    struct hl_token batch[1024];   /* runs are written out as it fills */
    struct hl_tokens tokens = { batch, 0, sizeof batch / sizeof *batch, 0 };
    struct hl h = { .s = code, .len = lexed, .base = 0, .end = lexed, .pos = 0,
                    .run = 0, .run_cls = HL_TEXT, .tokens = &tokens, .out = out };
    l->lex(&h);
    h.pos = len;   /* the newline added, if any, is the last byte and in no span */
    hl_finish(&h);
    free(copy);
}

bool
highlight_code(struct buf *out, const char *lang, const char *code, size_t len)
{
    const struct language *l = find_language(lang);
    if (!l || len >= UINT32_MAX)   /* runs are counted in 32 bits */
        return false;
    buf_grow(out, len + len / 2);
    highlight(out, l, code, len);
    return true;
}
