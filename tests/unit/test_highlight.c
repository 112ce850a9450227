/* test_highlight.c: the code highlighter (parse/highlight.c and lex_*.c) on a
 * table of snippets per language with the HTML expected (the Python rows agree
 * with Pygments' HtmlFormatter class for class), language names, hostile
 * bytes that must come out escaped and round-trip, and timed big inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../generator/parse/highlight.h"

#define S(cls, text) "<span class=\"" cls "\">" text "</span>"

/* One case: a snippet in a language and the HTML expected for it. */
struct row {
    const char *name;
    const char *lang;
    const char *code;
    const char *want;
};

static const struct row rows[] = {
    /* ---- python: each row checked against Pygments 2.14's PythonLexer ---- */
    {"py_def_class", "python",
     "class A(B):\n    def f(self, x=None):\n        return x\n",
      S("k", "class") " " S("nc", "A") S("p", "(") S("n", "B") S("p", "):") "\n    "
      S("k", "def") " " S("nf", "f") S("p", "(") S("bp", "self") S("p", ",") " "
      S("n", "x") S("o", "=") S("kc", "None") S("p", "):") "\n        " S("k", "return")
      " " S("n", "x") "\n"},
    {"py_imports", "python",
     "from . import a\nimport os.path as p, sys\nraise E from None\n",
      S("kn", "from") " " S("nn", ".") " " S("kn", "import") " " S("n", "a") "\n"
      S("kn", "import") " " S("nn", "os.path") " " S("k", "as") " " S("nn", "p")
      S("o", ",") " " S("nn", "sys") "\n" S("k", "raise") " " S("n", "E") " "
      S("kn", "from") " " S("bp", "None") "\n"},
    {"py_fstring", "python",
     "f\"{x!r:>{w}} {{}} {d['k']=}\"\n",
      S("sa", "f") S("s2", "&quot;") S("si", "{") S("n", "x") S("si", "!r:")
      S("s2", "&gt;") S("si", "{") S("n", "w") S("si", "}}") S("s2", " ") S("se", "{{}}")
      S("s2", " ") S("si", "{") S("n", "d") S("p", "[") S("s1", "&#39;k&#39;") S("p", "]")
      S("si", "=}") S("s2", "&quot;") "\n"},
    {"py_prefixes", "python",
     "rb'\\d' Br\"x\" u'\\u00e9' b'\\N{X}' R'''a\\'''\n",
      S("sa", "rb") S("s1", "&#39;\\d&#39;") " " S("sa", "Br") S("s2", "&quot;x&quot;")
      " " S("sa", "u") S("s1", "&#39;") S("se", "\\u00e9") S("s1", "&#39;") " "
      S("sa", "b") S("s1", "&#39;\\N") S("si", "{X}") S("s1", "&#39;") " " S("sa", "R")
      S("s1", "&#39;&#39;&#39;a\\&#39;&#39;&#39;") "\n"},
    {"py_numbers", "python",
     "1_000 0x1F 0o7 0b1 1e-3 2j 1.5j .5 1.\n",
      S("mi", "1_000") " " S("mh", "0x1F") " " S("mo", "0o7") " " S("mb", "0b1") " "
      S("mf", "1e-3") " " S("mi", "2") S("n", "j") " " S("mf", "1.5") S("n", "j") " "
      S("mf", ".5") " " S("mf", "1.") "\n"},
    {"py_decorator_magic", "python",
     "@property\ndef __init__(cls): return __name__, a @ b\n",
      S("nd", "@property") "\n" S("k", "def") " " S("fm", "__init__") S("p", "(")
      S("bp", "cls") S("p", "):") " " S("k", "return") " " S("vm", "__name__") S("p", ",")
      " " S("n", "a") " " S("o", "@") " " S("n", "b") "\n"},
    {"py_soft_keywords", "python",
     "match x:\n    case [a, _]:\n        pass\nmatch = 1\ntype(x)\n",
      S("k", "match") " " S("n", "x") S("p", ":") "\n    " S("k", "case") " " S("p", "[")
      S("n", "a") S("p", ",") " " S("k", "_") S("p", "]:") "\n        " S("k", "pass")
      "\n" S("n", "match") " " S("o", "=") " " S("mi", "1") "\n" S("nb", "type")
      S("p", "(") S("n", "x") S("p", ")") "\n"},
    {"py_docstring", "python",
     "def f():\n    \"\"\"Doc %s {x}.\"\"\"\n    s = \"\"\"no doc %s\"\"\"\n",
      S("k", "def") " " S("nf", "f") S("p", "():") "\n    "
      S("sd", "&quot;&quot;&quot;Doc %s {x}.&quot;&quot;&quot;") "\n    " S("n", "s") " "
      S("o", "=") " " S("s2", "&quot;&quot;&quot;no doc ") S("si", "%s")
      S("s2", "&quot;&quot;&quot;") "\n"},
    {"py_comment_shebang", "python",
     "#!/usr/bin/env python3\n# hi\nx = 1  # two\n",
      S("ch", "#!/usr/bin/env python3") "\n" S("c1", "# hi") "\n" S("n", "x") " "
      S("o", "=") " " S("mi", "1") "  " S("c1", "# two") "\n"},
    {"py_operators_words", "python",
     "a != b and not c in d or e is f; g := h\n",
      S("n", "a") " " S("o", "!=") " " S("n", "b") " " S("ow", "and") " " S("ow", "not")
      " " S("n", "c") " " S("ow", "in") " " S("n", "d") " " S("ow", "or") " " S("n", "e")
      " " S("ow", "is") " " S("n", "f") S("p", ";") " " S("n", "g") " " S("o", ":=") " "
      S("n", "h") "\n"},
    {"py_continuation", "python",
     "x = 1 + \\\n    2\n",
      S("n", "x") " " S("o", "=") " " S("mi", "1") " " S("o", "+") " \\\n    "
      S("mi", "2") "\n"},
    {"py_percent_format", "python",
     "'%(name)s %5.2f %%' % d\n",
      S("s1", "&#39;") S("si", "%(name)s") S("s1", " ") S("si", "%5.2f") S("s1", " ")
      S("si", "%%") S("s1", "&#39;") " " S("o", "%") " " S("n", "d") "\n"},
    {"py_unterminated", "python",
     "s = 'abc\nt = 1\n",
      S("n", "s") " " S("o", "=") " " S("s1", "&#39;abc") "\n" S("n", "t") " " S("o", "=")
      " " S("mi", "1") "\n"},
    {"py_error_chars", "python",
     "a $ b ? c\n",
      S("n", "a") " " S("err", "$") " " S("n", "b") " " S("err", "?") " " S("n", "c") "\n"},
    {"py_unicode_names", "python",
     "café = ñ\n",
      S("n", "café") " " S("o", "=") " " S("n", "ñ") "\n"},
    {"py_exceptions_builtins", "python",
     "raise ValueError(len(x)); x.len\n",
      S("k", "raise") " " S("ne", "ValueError") S("p", "(") S("nb", "len") S("p", "(")
      S("n", "x") S("p", "));") " " S("n", "x") S("o", ".") S("n", "len") "\n"},
    {"py_hostile", "python",
     "</code></pre><script>alert(\"x\")</script>\n",
      S("o", "&lt;/") S("n", "code") S("o", "&gt;&lt;/") S("n", "pre") S("o", "&gt;&lt;")
      S("n", "script") S("o", "&gt;") S("n", "alert") S("p", "(") S("s2", "&quot;x&quot;")
      S("p", ")") S("o", "&lt;/") S("n", "script") S("o", "&gt;") "\n"},
};

/* The languages and a sample of each, for the tests that run them all. */
static const char *const languages[] = { "python" };

/* Highlights code[0..len) as lang into a fresh buffer; fails the test if
 * the language is unknown. The caller disposes of the buffer. */
static struct buf
highlight(const char *lang, const char *code, size_t len)
{
    struct buf out = BUF_INIT;
    assert_true(highlight_code(&out, lang, code, len));
    return out;
}

/* Checks that html is well formed as we write it (spans of a known shape,
 * never nested, never holding a newline; no other '<') and that stripping
 * the tags and unescaping gives back code[0..len). */
static void
assert_round_trip(const char *html, size_t html_len, const char *code, size_t len)
{
    static const char *const entities[][2] = {
        { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
    };
    struct buf text = BUF_INIT;
    bool in_span = false;
    for (size_t i = 0; i < html_len;) {
        const char *p = html + i;
        if (*p == '<') {
            const char *end = memchr(p, '>', html_len - i);
            assert_non_null(end);
            if (!strncmp(p, "</span>", 7)) {
                assert_true(in_span);
                in_span = false;
            } else {
                assert_false(in_span);
                assert_int_equal(strncmp(p, "<span class=\"", 13), 0);
                assert_int_equal(end[-1], '"');
                in_span = true;
            }
            i = (size_t)(end - html) + 1;
            continue;
        }
        if (*p == '&') {
            size_t k = 0;
            while (k < 5 && strncmp(p, entities[k][0], strlen(entities[k][0])))
                k++;
            assert_true(k < 5);
            buf_puts(&text, entities[k][1]);
            i += strlen(entities[k][0]);
            continue;
        }
        assert_false(in_span && *p == '\n');
        assert_true(*p != '>' && *p != '"' && *p != '\'');
        buf_putc(&text, *p);
        i++;
    }
    assert_false(in_span);
    assert_int_equal(text.len, len);
    assert_memory_equal(text.len ? text.data : "", code, len);
    buf_dispose(&text);
}

static void
test_row(void **state)
{
    const struct row *r = *state;
    struct buf out = highlight(r->lang, r->code, strlen(r->code));
    assert_string_equal(out.data, r->want);
    assert_round_trip(out.data, out.len, r->code, strlen(r->code));
    buf_dispose(&out);
}

static void
test_language_names(void **state)
{
    (void)state;
    static const char *const names[][2] = {
        { "python", "python" }, { "py", "python" }, { "PY", "python" },
        { "python3", "python" }, { "Py3", "python" },
        { "", NULL }, { "pythons", NULL }, { "py ", NULL }, { "cobol", NULL },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *got = highlight_language(names[i][0]);
        if (names[i][1])
            assert_string_equal(got, names[i][1]);
        else
            assert_null(got);
    }
}

static void
test_unknown_language(void **state)
{
    (void)state;
    struct buf out = BUF_INIT;
    buf_puts(&out, "kept");
    assert_false(highlight_code(&out, "cobol", "x = 1\n", 6));
    assert_false(highlight_code(&out, "", "x", 1));
    assert_string_equal(out.data, "kept");
    assert_true(highlight_code(&out, "py", "", 0));
    assert_string_equal(out.data, "kept");
    buf_dispose(&out);
}

/* Bytes that must never come out as markup: tags, quotes, invalid UTF-8,
 * NUL, lone continuation bytes, truncated sequences, CR. */
static const char hostile[] =
    "</code></pre><script>alert('x\")</script>&amp;\n"
    "\xff\xfe\x80 \xc3\x28 \xe2\x82 \xf0\x9f\x98 \xed\xa0\x80 \x00\x01\r\n"
    "\"\xff\" '\x00' `\xc0\xaf` # \xfe\n/* \xff */ <!-- \x80 --> \"\"\"\xff\n";

static void
test_hostile_bytes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++) {
        struct buf out = highlight(languages[i], hostile, sizeof hostile - 1);
        assert_null(strstr(out.data, "<script"));
        assert_null(strstr(out.data, "</code"));
        assert_null(strstr(out.data, "</pre"));
        assert_round_trip(out.data, out.len, hostile, sizeof hostile - 1);
        buf_dispose(&out);
    }
}

/* A tiny deterministic generator, so that the fuzz cases are the same on
 * every run. */
static uint32_t
next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* Random texts glued from fragments that open and close every construct of
 * every lexer, and random bytes: each must round-trip in every language. */
static void
test_fuzz_round_trip(void **state)
{
    (void)state;
    static const char *const fragments[] = {
        "\"", "'", "\"\"\"", "'''", "`", "\\", "\n", " ", "\t", "{", "}", "(", ")", "[",
        "]", "#", "//", "/*", "*/", "$", "${", "$(", "$((", "<<EOF\n", "EOF\n", "@@ -1 +1 @@",
        "---", "+++", "- ", "+", "f", "rb", "0x", "1.5e3", ":", "- a", "&x", "*y", "!!tag",
        "|\n", ">-\n", "%", "{0}", "${x}", "/re/g", "=>", "case", "match", "_", "def",
        "import", "#include", "\xff", "\xc3\xa9", "\x00", "\r", "$ ", "> ", "# ",
    };
    uint32_t seed = 1;
    struct buf code = BUF_INIT;
    for (int round = 0; round < 3000; round++) {
        buf_clear(&code);
        int n = (int)(next_random(&seed) % 60);
        for (int k = 0; k < n; k++) {
            if (next_random(&seed) % 8 == 0)
                buf_putc(&code, (char)(next_random(&seed) & 0xff));
            else
                buf_puts(&code, fragments[next_random(&seed) % (sizeof fragments / sizeof *fragments)]);
        }
        for (size_t i = 0; i < sizeof languages / sizeof *languages; i++) {
            struct buf out = highlight(languages[i], code.data ? code.data : "", code.len);
            assert_round_trip(out.data ? out.data : "", out.len, code.data ? code.data : "", code.len);
            buf_dispose(&out);
        }
    }
    buf_dispose(&code);
}

/* Copies the start of s to out (24 bytes) with newlines shown as \n, for a
 * message on one line. */
static void
printable(char out[24], const char *s)
{
    size_t n = 0;
    for (; *s && n + 3 < 24; s++) {
        if (*s == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

/* The time budget of one big input: two seconds, ten times that when the
 * address sanitizer slows every memory access down. */
#ifdef __SANITIZE_ADDRESS__
#define BUDGET 20.0
#else
#define BUDGET 2.0
#endif

/* Highlights unit repeated up to size bytes (after head) as lang; fails
 * past the budget. */
static void
time_repeated(const char *lang, const char *head, const char *unit, size_t size)
{
    size_t len = strlen(head), unit_len = strlen(unit);
    char *text = malloc(size);
    assert_non_null(text);
    memcpy(text, head, len);
    for (; len + unit_len <= size; len += unit_len)
        memcpy(text + len, unit, unit_len);
    struct buf out = BUF_INIT;
    clock_t start = clock();
    assert_true(highlight_code(&out, lang, text, len));
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    char shown[2][24];
    printable(shown[0], head);
    printable(shown[1], unit);
    print_message("# %s: \"%s\" + \"%s\" x %zu: %.3f s\n", lang, shown[0], shown[1],
                  (len - strlen(head)) / unit_len, seconds);
    buf_dispose(&out);
    free(text);
    assert_true(seconds < BUDGET);
}

#define MB (1u << 20)

/* Ten megabytes of ordinary code per language. */
static void
test_ten_megabytes(void **state)
{
    (void)state;
    time_repeated("python", "",
                  "class A(B):\n    \"\"\"Doc.\"\"\"\n    def f(self, x=1.5):\n"
                  "        return f\"{x!r:>10}\" % {'a': [1, 0x1F]}  # c\n", 10 * MB);
}

/* One line of a megabyte per language, and the inputs that would make a
 * careless scanner go back over the text again and again. */
static void
test_pathological(void **state)
{
    (void)state;
    time_repeated("python", "", "x = [1, 'a', b.c] + ", MB);
    time_repeated("python", "", "\"\"\"", MB);            /* docstrings never closed */
    time_repeated("python", "", "   \n", MB);              /* blank lines before a docstring */
    time_repeated("python", "x = '", "{a[", MB);           /* format fields never closed */
    time_repeated("python", "x = '", "\\N{", MB);          /* \N{ never closed */
    time_repeated("python", "f'", "{(", MB);               /* nested f-string expressions */
    time_repeated("python", "", "case ", MB);              /* soft keywords, no '_' */
    time_repeated("python", "", "case a_\n", MB);
    time_repeated("python", "", "%(", MB);
}

int
main(void)
{
    static const struct {
        const char *name;
        CMUnitTestFunction fn;
    } more[] = {
        {"language_names", test_language_names},
        {"unknown_language", test_unknown_language},
        {"hostile_bytes", test_hostile_bytes},
        {"fuzz_round_trip", test_fuzz_round_trip},
        {"ten_megabytes", test_ten_megabytes},
        {"pathological", test_pathological},
    };
    size_t n = sizeof rows / sizeof rows[0], m = sizeof more / sizeof more[0];
    struct CMUnitTest *tests = calloc(n + m, sizeof *tests);
    if (tests == NULL)
        return 1;
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){.name = rows[i].name,
                                       .test_func = test_row,
                                       .initial_state = (void *)&rows[i]};
    for (size_t i = 0; i < m; i++)
        tests[n + i] = (struct CMUnitTest){.name = more[i].name, .test_func = more[i].fn};
    int failed = _cmocka_run_group_tests("highlight", tests, n + m, NULL, NULL);
    free(tests);
    return failed;
}
