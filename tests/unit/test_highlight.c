/* test_highlight.c: the code highlighter (parse/highlight.c and lex_*.c) on a
 * table of snippets per language with the HTML expected (the Python rows agree
 * with Pygments' lexers class for class), language names, hostile bytes
 * that must come out escaped and round-trip, and timed big inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../generator/highlight/highlight.h"

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
      S("mf", "1e-3") " " S("mi", "2j") " " S("mf", "1.5j") " "
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
    {"py_type_alias", "python",
     "type X = int\n  type Y[T] = list[T]\ntype = 3\n",
      S("k", "type") " " S("n", "X") " " S("o", "=") " " S("nb", "int") "\n  "
      S("k", "type") " " S("n", "Y") S("p", "[") S("n", "T") S("p", "]") " " S("o", "=")
      " " S("nb", "list") S("p", "[") S("n", "T") S("p", "]") "\n" S("nb", "type") " "
      S("o", "=") " " S("mi", "3") "\n"},
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
    {"py_escapes_digits", "python",
     "b'\\x41\\101\\q' '\\U0001F600\\N{DASH}\\x4' 0x_1f 0o1_7 0b1_0 1_0.5e-1_0 1e5j\n",
      S("sa", "b") S("s1", "&#39;") S("se", "\\x41\\101") S("s1", "\\q&#39;") " "
      S("s1", "&#39;") S("se", "\\U0001F600\\N{DASH}") S("s1", "\\x4&#39;") " "
      S("mh", "0x_1f") " " S("mo", "0o1_7") " " S("mb", "0b1_0") " " S("mf", "1_0.5e-1_0")
      " " S("mf", "1e5j") "\n"},
    /* ---- the other languages: each row checked against Pygments 2.14 ---- */
    /* ---- c ---- */
    {"c_function", "c",
     "static int add(int a, int b)\n"
     "{\n"
     "    return a + b; // sum\n"
     "}\n",
      S("k", "static") " " S("kt", "int") " " S("nf", "add") S("p", "(") S("kt", "int")
      " " S("n", "a") S("p", ",") " " S("kt", "int") " " S("n", "b") S("p", ")") "\n"
      S("p", "{") "\n    " S("k", "return") " " S("n", "a") " " S("o", "+") " "
      S("n", "b") S("p", ";") " " S("c1", "// sum") "\n" S("p", "}") "\n"},
    {"c_preprocessor", "c",
     "#include <stdio.h>\n"
     "#define N 10 /* ten */\n"
     "#if 0\n"
     "ignored();\n"
     "#endif\n",
      S("cp", "#include") " " S("cpf", "&lt;stdio.h&gt;") "\n" S("cp", "#define N 10 ")
      S("cm", "/* ten */") "\n" S("cp", "#if 0") "\n" S("c", "ignored();") "\n"
      S("cp", "#endif") "\n"},
    {"c_literals", "c",
     "char c = '\\n'; const char *s = u8\"a\\tb\";\n"
     "double d = 1.5e3f; long x = 0x1FUL | 017 | 0b101;\n",
      S("kt", "char") " " S("n", "c") " " S("o", "=") " " S("sc", "&#39;\\n&#39;")
      S("p", ";") " " S("k", "const") " " S("kt", "char") " " S("o", "*") S("n", "s") " "
      S("o", "=") " " S("sa", "u8") S("s", "&quot;a") S("se", "\\t") S("s", "b&quot;")
      S("p", ";") "\n" S("kt", "double") " " S("n", "d") " " S("o", "=") " "
      S("mf", "1.5e3f") S("p", ";") " " S("kt", "long") " " S("n", "x") " " S("o", "=")
      " " S("mh", "0x1FUL") " " S("o", "|") " " S("mo", "017") " " S("o", "|") " "
      S("mb", "0b101") S("p", ";") "\n"},
    {"c_struct_case_label", "c",
     "struct point { size_t x; };\n"
     "switch (k) { case RED: goto done; }\n"
     "done:\n"
     "    return NULL;\n",
      S("k", "struct") " " S("nc", "point") " " S("p", "{") " " S("kt", "size_t") " "
      S("n", "x") S("p", ";") " " S("p", "};") "\n" S("k", "switch") " " S("p", "(")
      S("n", "k") S("p", ")") " " S("p", "{") " " S("k", "case") " " S("no", "RED")
      S("p", ":") " " S("k", "goto") " " S("n", "done") S("p", ";") " " S("p", "}") "\n"
      S("nl", "done") S("p", ":") "\n    " S("k", "return") " " S("nb", "NULL")
      S("p", ";") "\n"},
    {"c_escapes_digits", "c",
     "s = \"\\x41\\x4142\\101\\u00e9\\U0001F600\\q\"; c = '\\x4';\n"
     "n = 1'000 + 0x1'F + 0b1'0 + 01'7 + 1'0.5e1'0L + id\\u00e9x;\n",
      S("n", "s") " " S("o", "=") " " S("s", "&quot;")
      S("se", "\\x41\\x4142\\101\\u00e9\\U0001F600") S("s", "\\q&quot;") S("p", ";") " "
      S("n", "c") " " S("o", "=") " " S("sc", "&#39;\\x4&#39;") S("p", ";") "\n"
      S("n", "n") " " S("o", "=") " " S("mi", "1&#39;000") " " S("o", "+") " "
      S("mh", "0x1&#39;F") " " S("o", "+") " " S("mb", "0b1&#39;0") " " S("o", "+") " "
      S("mo", "01&#39;7") " " S("o", "+") " " S("mf", "1&#39;0.5e1&#39;0L") " " S("o", "+")
      " " S("n", "id\\u00e9x") S("p", ";") "\n"},
    /* ---- json ---- */
    {"json_object", "json",
     "{\"name\": \"gazette\", \"tags\": [\"a\", \"b\"], \"n\": -1.5e3, \"ok\": true, \"none\": null}\n",
      S("p", "{") S("nt", "&quot;name&quot;") S("p", ":") " "
      S("s2", "&quot;gazette&quot;") S("p", ",") " " S("nt", "&quot;tags&quot;")
      S("p", ":") " " S("p", "[") S("s2", "&quot;a&quot;") S("p", ",") " "
      S("s2", "&quot;b&quot;") S("p", "],") " " S("nt", "&quot;n&quot;") S("p", ":") " "
      S("mf", "-1.5e3") S("p", ",") " " S("nt", "&quot;ok&quot;") S("p", ":") " "
      S("kc", "true") S("p", ",") " " S("nt", "&quot;none&quot;") S("p", ":") " "
      S("kc", "null") S("p", "}") "\n"},
    {"json_comments_errors", "json",
     "// c\n"
     "/* d */ [1, 2 /* x */, 'bad']\n",
      S("c1", "// c") "\n" S("cm", "/* d */") " " S("p", "[") S("mi", "1") S("p", ",") " "
      S("mi", "2") " " S("cm", "/* x */") S("p", ",") " " S("err", "&#39;bad&#39;")
      S("p", "]") "\n"},
    /* ---- yaml ---- */
    {"yaml_mapping", "yaml",
     "---\n"
     "# config\n"
     "title: My site\n"
     "author: &me {name: Ann, url: \"https://x\"}\n"
     "tags:\n"
     "  - a\n"
     "  - 'b''s'\n",
      S("nn", "---") "\n" S("c1", "# config") "\n" S("nt", "title") S("p", ":") " "
      S("l", "My site") "\n" S("nt", "author") S("p", ":") " " S("nl", "&amp;me") " "
      S("p", "{") S("nt", "name") S("p", ":") " " S("nv", "Ann") S("p", ",") " "
      S("nt", "url") S("p", ":") " " S("s", "&quot;https://x&quot;") S("p", "}") "\n"
      S("nt", "tags") S("p", ":") "\n  " S("p", "-") " " S("l", "a") "\n  " S("p", "-")
      " " S("s", "&#39;b") S("se", "&#39;&#39;") S("s", "s&#39;") "\n"},
    {"yaml_block_scalar", "yaml",
     "script: |\n"
     "  echo hi\n"
     "  exit 0\n"
     "next: !!str 1.0\n"
     "alias: *me\n"
     "...\n",
      S("nt", "script") S("p", ":") " " S("p", "|") "\n  " S("no", "echo hi") "\n  "
      S("no", "exit 0") "\n" S("nt", "next") S("p", ":") " " S("kt", "!!str") " "
      S("l", "1.0") "\n" S("nt", "alias") S("p", ":") " " S("nv", "*me") "\n"
      S("nn", "...") "\n"},
    {"yaml_escapes", "yaml",
     "k: \"a\\x41\\u00e9\\U0001F600 b\"\nl: [\"\\x41\", plain text, x]\n",
      S("nt", "k") S("p", ":") " " S("s", "&quot;a") S("se", "\\x41\\u00e9\\U0001F600")
      S("s", " b&quot;") "\n" S("nt", "l") S("p", ":") " " S("p", "[") S("s", "&quot;")
      S("se", "\\x41") S("s", "&quot;") S("p", ",") " " S("nv", "plain text") S("p", ",")
      " " S("nv", "x") S("p", "]") "\n"},
    /* ---- javascript ---- */
    {"js_basic", "javascript",
     "const re = /a+b/gi; let x = 0x1F + 42n;\n"
     "function f(a) { return `sum ${a + 1}`; }\n",
      S("kd", "const") " " S("nx", "re") " " S("o", "=") " " S("sr", "/a+b/gi")
      S("p", ";") " " S("kd", "let") " " S("nx", "x") " " S("o", "=") " " S("mh", "0x1F")
      " " S("o", "+") " " S("mi", "42n") S("p", ";") "\n" S("kd", "function") " "
      S("nx", "f") S("p", "(") S("nx", "a") S("p", ")") " " S("p", "{") " "
      S("k", "return") " " S("sb", "`sum ") S("si", "${") S("nx", "a") " " S("o", "+") " "
      S("mf", "1") S("si", "}") S("sb", "`") S("p", ";") " " S("p", "}") "\n"},
    {"js_comments_builtins", "javascript",
     "// c\n"
     "/* d */\n"
     "if (typeof x === \"undefined\") throw new TypeError('x');\n",
      S("c1", "// c") "\n" S("cm", "/* d */") "\n" S("k", "if") " " S("p", "(")
      S("ow", "typeof") " " S("nx", "x") " " S("o", "===") " "
      S("s2", "&quot;undefined&quot;") S("p", ")") " " S("k", "throw") " " S("ow", "new")
      " " S("ne", "TypeError") S("p", "(") S("s1", "&#39;x&#39;") S("p", ");") "\n"},
    {"js_escapes", "javascript",
     "var \\u0061b = \"x\\\"y\" + 'it\\'s' + `a\\`b` + /\\//g;\n",
      S("kd", "var") " " S("nx", "\\u0061b") " " S("o", "=") " "
      S("s2", "&quot;x\\&quot;y&quot;") " " S("o", "+") " " S("s1", "&#39;it\\&#39;s&#39;")
      " " S("o", "+") " " S("sb", "`a\\`b`") " " S("o", "+") " " S("sr", "/\\//g")
      S("p", ";") "\n"},
    /* ---- bash ---- */
    {"bash_script", "bash",
     "#!/bin/sh\n"
     "# comment\n"
     "for f in *.md; do\n"
     "  echo \"$f: ${#f}\" > /dev/null 2>&1\n"
     "done\n",
      S("ch", "#!/bin/sh") "\n" S("c1", "# comment") "\n" S("k", "for") " f " S("k", "in")
      " *.md" S("p", ";") " " S("k", "do") "\n  " S("nb", "echo") " " S("s2", "&quot;")
      S("nv", "$f") S("s2", ": ") S("si", "${#") S("nv", "f") S("si", "}")
      S("s2", "&quot;") " &gt; /dev/null " S("m", "2") "&gt;" S("p", "&amp;") S("m", "1")
      "\n" S("k", "done") "\n"},
    {"bash_vars_subst", "bash",
     "NAME=world; export PATH=\"$HOME/bin:$PATH\"\n"
     "n=$((1 + 2)); d=$(date +%s)\n"
     "cat <<EOF\n"
     "hi $NAME\n"
     "EOF\n",
      S("nv", "NAME") S("o", "=") "world" S("p", ";") " " S("nb", "export") " "
      S("nv", "PATH") S("o", "=") S("s2", "&quot;") S("nv", "$HOME") S("s2", "/bin:")
      S("nv", "$PATH") S("s2", "&quot;") "\n" S("nv", "n") S("o", "=") S("k", "$((")
      S("m", "1") " " S("o", "+") " " S("m", "2") S("k", "))") S("p", ";") " "
      S("nv", "d") S("o", "=") S("k", "$(") "date +%s" S("k", ")") "\ncat "
      S("s", "&lt;&lt;EOF") "\n" S("s", "hi $NAME") "\n" S("s", "EOF") "\n"},
    {"bash_escapes", "bash",
     "echo \"a\\\"b\" $'c\\'d' \"e\\$f\" \\; $(ls) `pwd`\n",
      S("nb", "echo") " " S("s2", "&quot;a\\&quot;b&quot;") " "
      S("s1", "$&#39;c\\&#39;d&#39;") " " S("s2", "&quot;e\\$f&quot;") " " S("se", "\\;")
      " " S("k", "$(") "ls" S("k", ")") " " S("sb", "`") S("nb", "pwd") S("sb", "`") "\n"},
    /* ---- console ---- */
    {"console_session", "console",
     "$ ls -la\n"
     "total 0\n"
     "user@host:~$ echo \"hi\" | wc -c\n"
     "3\n",
      S("gp", "$ ") "ls -la\n" S("go", "total 0") "\n" S("gp", "user@host:~$ ")
      S("nb", "echo") " " S("s2", "&quot;hi&quot;") " " S("p", "|") " wc -c\n"
      S("go", "3") "\n"},
    /* ---- diff ---- */
    {"diff_patch", "diff",
     "diff --git a/x b/x\n"
     "index 1..2\n"
     "--- a/x\n"
     "+++ b/x\n"
     "@@ -1,2 +1,2 @@\n"
     " context\n"
     "-old\n"
     "+new\n",
      S("gh", "diff --git a/x b/x") "\n" S("gh", "index 1..2") "\n" S("gd", "--- a/x")
      "\n" S("gi", "+++ b/x") "\n" S("gu", "@@ -1,2 +1,2 @@") "\n context\n"
      S("gd", "-old") "\n" S("gi", "+new") "\n"},
};

/* Every language, for the tests that run them all. */
static const char *const languages[] = {
    "python", "c", "bash", "console", "json", "yaml", "javascript", "diff",
};

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
        { "python3", "python" }, { "Py3", "python" }, { "c", "c" }, { "C", "c" },
        { "bash", "bash" }, { "sh", "bash" }, { "shell", "bash" }, { "zsh", "bash" },
        { "console", "console" }, { "shell-session", "console" },
        { "json", "json" }, { "yaml", "yaml" }, { "yml", "yaml" },
        { "javascript", "javascript" }, { "js", "javascript" },
        { "diff", "diff" }, { "patch", "diff" }, { "udiff", "diff" },
        { "c++", "cpp" }, { "CC", "cpp" }, { "hpp", "cpp" }, { "cs", "csharp" },
        { "c#", "csharp" }, { "java", "java" }, { "kt", "kotlin" }, { "golang", "go" },
        { "rs", "rust" }, { "swift", "swift" }, { "ts", "typescript" },
        { "tsx", "typescript" }, { "php", "php" }, { "rb", "ruby" }, { "lua", "lua" },
        { "html", "html" }, { "svg", "xml" }, { "css", "css" }, { "scss", "scss" },
        { "sql", "sql" }, { "toml", "toml" }, { "cfg", "ini" }, { "docker", "dockerfile" },
        { "Makefile", "make" }, { "go-html-template", "go-html-template" },
        { "", NULL }, { "pythons", NULL }, { "py ", NULL }, { "cobol", NULL },
        { "c+", NULL }, { "javascript1", NULL }, { "py python3", NULL }, { "sh ", NULL },
        { "go-html", NULL }, { "html+", NULL },
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
    static const char *const units[][2] = {
        { "python", "class A(B):\n    \"\"\"Doc.\"\"\"\n    def f(self, x=1.5):\n"
                    "        return f\"{x!r:>10}\" % {'a': [1, 0x1F]}  # c\n" },
        { "c", "#include <stdio.h>\nstatic int f(int a, char *s)\n{\n"
               "    return a + s[0] * 0x1F; /* c */\n}\n" },
        { "bash", "for f in *.md; do\n  echo \"$f ${#f}\" | wc -c > /dev/null 2>&1\ndone\n" },
        { "console", "$ ls -la | wc -l\n42\nuser@host:~$ echo \"$HOME\"\n/root\n" },
        { "json", "{\"key\": [1, -2.5e3, true, null, \"value\"], \"k2\": {\"a\": \"b\"}},\n" },
        { "yaml", "key: value\nlist:\n  - 'a'\n  - {b: \"c\", d: 1.5}\ntext: |\n  line\n" },
        { "javascript", "const f = (a) => a.map(x => x * 2); // c\n"
                        "let s = `v ${f([1])}`, r = /a+b/g;\n" },
        { "diff", "@@ -1,3 +1,3 @@\n context line\n-old line\n+new line\n" },
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        time_repeated(units[i][0], "", units[i][1], 10 * MB);
}

/* One line of a megabyte per language. */
static void
test_megabyte_line(void **state)
{
    (void)state;
    static const char *const units[][2] = {
        { "python", "x = [1, 'a', b.c] + " }, { "c", "a = b[1] + f(c, \"s\") * 2; " },
        { "bash", "echo \"$a\" ${b} $((1 + 2)) | " }, { "console", "$ echo a; " },
        { "json", "{\"a\": [1, 2.5, \"x\"]}, " }, { "yaml", "- {a: b, c: [d, 'e']} " },
        { "javascript", "a = b(c) + /d/g.exec(`e${f}`); " }, { "diff", "+added text " },
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        time_repeated(units[i][0], "", units[i][1], MB);
}

/* Inputs that would make a careless scanner go back over the text again
 * and again: constructs left open, searches that find nothing. */
static void
test_pathological(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        { "python", "", "\"\"\"" },            /* docstrings never closed */
        { "python", "", "   \n" },              /* blank lines before a docstring */
        { "python", "x = '", "{a[" },          /* format fields never closed */
        { "python", "x = '", "\\N{" },         /* \N{ never closed */
        { "python", "f'", "{(" },              /* nested f-string expressions */
        { "python", "", "case " },             /* soft keywords, no '_' */
        { "python", "", "case a_\n" },
        { "python", "", "%(" },
        { "c", "", "/* " }, { "c", "", "#define X /*\n" }, { "c", "", "#include <\n" },
        { "c", "", "int f(" }, { "c", "", "int f() " }, { "c", "", "#if 0\n" },
        { "c", "", "'\\" }, { "c", "", "\"\\" },
        { "bash", "", "'" }, { "bash", "", "$'\\" }, { "bash", "", "\"$" },
        { "bash", "", "$((" }, { "bash", "", "${" }, { "bash", "", "<<EOF " },
        { "console", "", "$ '\n" }, { "console", "", "user@host:~$ x \\\n" },
        { "json", "", "\"a\" " }, { "json", "", "/*" }, { "json", "", "\"\\u" },
        { "yaml", "", "&a " }, { "yaml", "{", "&a " }, { "yaml", "", "!<!<" },
        { "yaml", "", "[" }, { "yaml", "", "'" }, { "yaml", "", "a: |\n" },
        { "javascript", "", "(/[" }, { "javascript", "", "\"\\" }, { "javascript", "", "/*" },
        { "javascript", "", "`${" }, { "javascript", "", "'" },
        { "diff", "", "\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        time_repeated(cases[i][0], cases[i][1], cases[i][2], MB);
}

/* Here-documents with words that never come back, each starting with a
 * character of its own, so that no cache helps: without the budget of the
 * bash lexer's searches this takes quadratic time. */
static void
test_heredoc_words(void **state)
{
    (void)state;
    struct buf text = BUF_INIT, out = BUF_INIT;
    for (unsigned cp = 0x4e00; cp < 0x9fff; cp++)   /* CJK ideographs, 3 bytes each */
        buf_printf(&text, "cat <<%c%c%cx\n", (char)(0xe0 | cp >> 12),
                   (char)(0x80 | ((cp >> 6) & 0x3f)), (char)(0x80 | (cp & 0x3f)));
    clock_t start = clock();
    assert_true(highlight_code(&out, "bash", text.data, text.len));
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    print_message("# bash: %zu bytes of here-documents never closed: %.3f s\n", text.len,
                  seconds);
    assert_round_trip(out.data, out.len, text.data, text.len);
    buf_dispose(&text);
    buf_dispose(&out);
    assert_true(seconds < BUDGET / 4);
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
        {"megabyte_line", test_megabyte_line},
        {"pathological", test_pathological},
        {"heredoc_words", test_heredoc_words},
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
