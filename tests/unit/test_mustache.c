/* test_mustache.c: render/mustache.c against the Mustache spec (every case
 * of every YAML file in $GZ_SHARED/spec/mustache, read with libyaml, is one
 * test named "<file>: <case>") and our own table-driven cases: syntax
 * errors with their path:line:col, HTML escaping, guards and replacement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../../generator/base/arena.h"
#include "../../generator/base/base.h"
#include "../../generator/diag.h"
#include "../../generator/mustache/mustache.h"

/* The spec's main template: tag names hold no spaces, so no tag can name
 * it and no partial can clash with it. */
#define MAIN " main"

struct spec_case {
    const char *name; /* "<file stem>: <case name>" */
    const char *error; /* the file could not be read: why */
    const char *template, *expected;
    size_t template_len, expected_len;
    const struct value *data;
    size_t npartials;
    const char **partial_names, **partials;
    size_t *partial_lens;
};

/* Every case, value and name lives here until the tests are over. */
static struct arena *arena;

/* ---- Reading the spec --------------------------------------------------- */

struct tests {
    struct CMUnitTest *v;
    size_t len, cap;
};

static void
add_test(struct tests *ts, const char *name, CMUnitTestFunction fn,
         void *state)
{
    if (ts->len == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
    }
    ts->v[ts->len++] = (struct CMUnitTest){ name, fn, NULL, NULL, state };
}

static bool
is_one_of(const char *s, const char *a, const char *b, const char *c)
{
    return !strcmp(s, a) || !strcmp(s, b) || !strcmp(s, c);
}

/* A YAML number: [-+]digits[.digits][(e|E)[-+]digits], or .digits. */
static bool
is_number(const char *s)
{
    size_t digits = 0;
    s += *s == '-' || *s == '+';
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (digits && (*s == 'e' || *s == 'E')) {
        s++;
        s += *s == '-' || *s == '+';
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return digits && !*s;
}

/* Plain true/false are booleans, null/~/nothing null, numbers numbers
 * printed as the spec expects (1.210 as "1.21"); the rest are strings. */
static struct value *
scalar_value(const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return value_strn(arena, s, len);
    if (is_one_of(s, "true", "True", "TRUE"))
        return value_bool(arena, true);
    if (is_one_of(s, "false", "False", "FALSE"))
        return value_bool(arena, false);
    if (!len || is_one_of(s, "null", "Null", "NULL") || !strcmp(s, "~"))
        return value_null(arena);
    if (is_number(s)) {
        char text[64];
        snprintf(text, sizeof text, "%.15g", strtod(s, NULL));
        return value_number(arena, text);
    }
    return value_strn(arena, s, len);
}

static struct value *
to_value(yaml_document_t *doc, yaml_node_t *n)
{
    struct value *v;
    if (!n)
        return value_null(arena);
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return scalar_value(n);
    case YAML_SEQUENCE_NODE:
        v = value_list(arena);
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             i < n->data.sequence.items.top; i++)
            value_push(arena, v, to_value(doc, yaml_document_get_node(doc, *i)));
        return v;
    case YAML_MAPPING_NODE:
        v = value_map(arena);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            const char *key = k && k->type == YAML_SCALAR_NODE
                                  ? arena_strndup(arena,
                                                  (char *)k->data.scalar.value,
                                                  k->data.scalar.length)
                                  : "";
            value_set(arena, v, key,
                      to_value(doc, yaml_document_get_node(doc, p->value)));
        }
        return v;
    default:
        return value_null(arena);
    }
}

/* The value of key in mapping n, or NULL. */
static yaml_node_t *
get(yaml_document_t *doc, yaml_node_t *n, const char *key)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            !strcmp((char *)k->data.scalar.value, key))
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

/* A scalar's text (copied), "" when n is not a scalar. */
static const char *
text(yaml_node_t *n, size_t *len)
{
    if (!n || n->type != YAML_SCALAR_NODE) {
        *len = 0;
        return "";
    }
    *len = n->data.scalar.length;
    return arena_strndup(arena, (char *)n->data.scalar.value, *len);
}

static void
read_partials(struct spec_case *sc, yaml_document_t *doc, yaml_node_t *n)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return;
    size_t max = (size_t)(n->data.mapping.pairs.top -
                          n->data.mapping.pairs.start);
    sc->partial_names = arena_alloc(arena, (max + 1) * sizeof(char *));
    sc->partials = arena_alloc(arena, (max + 1) * sizeof(char *));
    sc->partial_lens = arena_alloc(arena, (max + 1) * sizeof(size_t));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        size_t len, i = sc->npartials++;
        sc->partial_names[i] = text(yaml_document_get_node(doc, p->key), &len);
        sc->partials[i] = text(yaml_document_get_node(doc, p->value),
                               &sc->partial_lens[i]);
    }
}

static void test_spec_case(void **state);

/* Names a case "<stem>: <name>", with " (2)" and so on when a file holds
 * two cases of one name. */
static const char *
case_name(struct tests *ts, const char *stem, const char *name)
{
    const char *full = arena_printf(arena, "%s: %s", stem, name);
    for (int n = 2;; n++) {
        size_t i = 0;
        while (i < ts->len && strcmp(ts->v[i].name, full))
            i++;
        if (i == ts->len)
            return full;
        full = arena_printf(arena, "%s: %s (%d)", stem, name, n);
    }
}

static void
read_cases(struct tests *ts, const char *stem, yaml_document_t *doc)
{
    yaml_node_t *cases = get(doc, yaml_document_get_root_node(doc), "tests");
    if (!cases || cases->type != YAML_SEQUENCE_NODE)
        return;
    for (yaml_node_item_t *i = cases->data.sequence.items.start;
         i < cases->data.sequence.items.top; i++) {
        yaml_node_t *n = yaml_document_get_node(doc, *i);
        struct spec_case *sc = arena_alloc(arena, sizeof *sc);
        size_t len;
        sc->name = case_name(ts, stem, text(get(doc, n, "name"), &len));
        sc->template = text(get(doc, n, "template"), &sc->template_len);
        sc->expected = text(get(doc, n, "expected"), &sc->expected_len);
        sc->data = to_value(doc, get(doc, n, "data"));
        read_partials(sc, doc, get(doc, n, "partials"));
        add_test(ts, sc->name, test_spec_case, sc);
    }
}

/* Adds one test per case of the spec file dir/file; a file that cannot be
 * read or parsed becomes one failing test. */
static void
read_spec_file(struct tests *ts, const char *dir, const char *file)
{
    const char *stem = arena_strndup(arena, file, strlen(file) - 4);
    const char *path = arena_printf(arena, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    if (f)
        yaml_parser_set_input_file(&parser, f);
    if (f && yaml_parser_load(&parser, &doc)) {
        read_cases(ts, stem, &doc);
        yaml_document_delete(&doc);
    } else {
        struct spec_case *sc = arena_alloc(arena, sizeof *sc);
        sc->name = arena_printf(arena, "%s: reading the file", stem);
        sc->error = arena_printf(arena, "%s: %s", path,
                                 f ? parser.problem : "cannot open");
        add_test(ts, sc->name, test_spec_case, sc);
    }
    yaml_parser_delete(&parser);
    if (f)
        fclose(f);
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_spec_missing(void **state)
{
    fprintf(stderr, "mustache spec suite not found at %s: skipped\n",
            (const char *)*state);
    skip();
}

/* Adds every case of every *.yml in dir, files in name order; or one
 * skipped test when dir is absent (a user's clone has no ../shared). */
static void
read_spec(struct tests *ts, const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        add_test(ts, "mustache spec suite", test_spec_missing, (void *)dir);
        return;
    }
    struct vec files = VEC_INIT;
    for (struct dirent *e; (e = readdir(dh));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".yml"))
            vec_push(&files, arena_strdup(arena, e->d_name));
    }
    closedir(dh);
    if (files.len)
        qsort(files.items, files.len, sizeof *files.items, compare_names);
    for (size_t i = 0; i < files.len; i++)
        read_spec_file(ts, dir, files.items[i]);
    vec_dispose(&files);
}

/* ---- Running a spec case ------------------------------------------------ */

/* Prints s with C escapes, on one TAP comment line. */
static void
print_escaped(const char *label, const char *s, size_t len)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '\n': buf_puts(&b, "\\n"); break;
        case '\r': buf_puts(&b, "\\r"); break;
        case '\t': buf_puts(&b, "\\t"); break;
        case '"': buf_puts(&b, "\\\""); break;
        case '\\': buf_puts(&b, "\\\\"); break;
        default: buf_putc(&b, s[i]);
        }
    }
    print_message("#   %-8s \"%s\"\n", label, b.data ? b.data : "");
    buf_dispose(&b);
}

static void
print_diags(const struct diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        print_message("#   diag     %s:%u:%u: %s\n",
                      d->items[i].path ? d->items[i].path : "-",
                      d->items[i].line, d->items[i].col, d->items[i].msg);
}

/* Marks v and every value inside it stable. */
static void
mark_stable(struct value *v)
{
    if (!v)
        return;
    v->stable = true;
    if (v->kind == VALUE_LIST)
        for (size_t i = 0; i < v->len; i++)
            mark_stable(v->items[i]);
    if (v->kind == VALUE_MAP)
        for (size_t i = 0; i < v->len; i++)
            mark_stable(v->vals[i]);
}

/* Renders the case with a memo, every value stable, twice: the second
 * render is made of what the first left in the memo. */
static bool
spec_case_memo(const struct spec_case *sc, const struct mustache_set *set,
               struct buf *out, struct diags *d)
{
    mark_stable((struct value *)sc->data);
    struct mustache_memo *memo = mustache_memo_new();
    bool ok = true;
    for (int pass = 0; pass < 2 && ok; pass++) {
        buf_clear(out);
        ok = mustache_render_memo(out, set, MAIN, sc->data, memo, d) == 0 &&
             d->len == 0 && out->len == sc->expected_len &&
             memcmp(out->data, sc->expected, out->len) == 0;
    }
    mustache_memo_free(memo);
    return ok;
}

static void
test_spec_case(void **state)
{
    const struct spec_case *sc = *state;
    if (sc->error)
        fail_msg("%s", sc->error);
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    int rc = 0;
    for (size_t i = 0; i < sc->npartials; i++)
        rc |= mustache_set_add(set, sc->partial_names[i],
                               sc->partial_names[i], sc->partials[i],
                               sc->partial_lens[i], &d);
    rc |= mustache_set_add(set, MAIN, "template", sc->template,
                           sc->template_len, &d);
    struct buf out = BUF_INIT;
    if (rc == 0)
        rc = mustache_render(&out, set, MAIN, sc->data, &d);
    bool ok = rc == 0 && d.len == 0 && out.len == sc->expected_len &&
              memcmp(out.data, sc->expected, out.len) == 0;
    if (ok && !spec_case_memo(sc, set, &out, &d)) {
        print_message("#   with a memo:\n");
        ok = false;
    }
    if (!ok) {
        print_escaped("template", sc->template, sc->template_len);
        print_escaped("expected", sc->expected, sc->expected_len);
        print_escaped("got", out.data ? out.data : "", out.len);
        print_diags(&d);
    }
    buf_dispose(&out);
    mustache_set_free(set);
    diags_dispose(&d);
    assert_true(ok);
}

/* ---- Our own cases: syntax errors --------------------------------------- */

struct error_case {
    const char *name, *src;
    const char *diags; /* as diags_print prints them, sorted */
};

/* Columns count bytes: "é" takes two. */
static const struct error_case error_cases[] = {
    { "unclosed section", "{{#a}}x",
      "t.mustache:1:1: section \"a\" is never closed\n" },
    { "unclosed inverted section on a later line", "x\n  y {{^items}}\n",
      "t.mustache:2:5: inverted section \"items\" is never closed\n" },
    { "unclosed parent and block", "{{<base}}\n{{$title}}x\n",
      "t.mustache:1:1: parent \"base\" is never closed\n"
      "t.mustache:2:1: block \"title\" is never closed\n" },
    { "mismatched close", "{{#a}}{{/b}}",
      "t.mustache:1:7: closing tag \"b\" does not match open section "
      "\"a\"\n" },
    { "close of an outer section", "{{#a}}\n{{#b}}\n{{/a}}",
      "t.mustache:2:1: section \"b\" is never closed\n" },
    { "close without open", "x{{/a}}",
      "t.mustache:1:2: closing tag \"a\" has no open section\n" },
    { "unclosed tag", "{{name",
      "t.mustache:1:1: tag is never closed\n" },
    { "unclosed tag before another", "a {{b c {{d}}\n",
      "t.mustache:1:3: tag is never closed\n" },
    { "unclosed tag at end of line", "a {{b\n{{c}}\n",
      "t.mustache:1:3: tag is never closed\n" },
    { "unclosed comment", "x\n{{! no end",
      "t.mustache:2:1: tag is never closed\n" },
    { "unclosed triple mustache", "{{{x}}",
      "t.mustache:1:1: tag is never closed\n" },
    { "column counts bytes", "\xc3\xa9 {{x",
      "t.mustache:1:4: tag is never closed\n" },
    { "bad delimiter change", "{{=<% =}}",
      "t.mustache:1:1: bad delimiter change \"<% \": expected two "
      "delimiters separated by a space, without '='\n" },
    { "delimiters with =", "{{=<= =>=}}",
      "t.mustache:1:1: bad delimiter change \"<= =>\": expected two "
      "delimiters separated by a space, without '='\n" },
    { "empty and spaced names", "{{}} {{#a b}}{{/a b}}",
      "t.mustache:1:1: tag has no name\n"
      "t.mustache:1:6: tag name \"a b\" contains whitespace\n"
      "t.mustache:1:14: tag name \"a b\" contains whitespace\n" },
    { "two errors give two diags", "{{#list}}\n{{name\n{{/lisst}}\n",
      "t.mustache:2:1: tag is never closed\n"
      "t.mustache:3:1: closing tag \"lisst\" does not match open section "
      "\"list\"\n" },
    { "every error after a bad delimiter", "{{=<% =}}\n  {{#a}}\n{{b\n",
      "t.mustache:1:1: bad delimiter change \"<% \": expected two "
      "delimiters separated by a space, without '='\n"
      "t.mustache:2:3: section \"a\" is never closed\n"
      "t.mustache:3:1: tag is never closed\n" },
    { "errors under new delimiters", "{{=<% %>=}}\n<%#a%>\n<%/b%>\n",
      "t.mustache:3:1: closing tag \"b\" does not match open section "
      "\"a\"\n" },
};

static void
test_error_case(void **state)
{
    const struct error_case *ec = *state;
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    int rc = mustache_set_add(set, "t", "t.mustache", ec->src,
                              strlen(ec->src), &d);
    bool has = mustache_set_has(set, "t");
    char *got = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&got, &len);
    diags_print(&d, f);
    fclose(f);
    bool ok = rc == -1 && !has && !strcmp(got, ec->diags);
    if (!ok) {
        print_escaped("template", ec->src, strlen(ec->src));
        print_escaped("expected", ec->diags, strlen(ec->diags));
        print_escaped("got", got, len);
    }
    free(got);
    mustache_set_free(set);
    diags_dispose(&d);
    assert_true(ok);
}

/* ---- Our own cases: rendering ------------------------------------------- */

/* Renders src as template "t" with ctx; returns the output (malloc'd) or
 * NULL when adding or rendering fails. */
static char *
render(const char *src, const struct value *ctx, struct diags *d)
{
    struct mustache_set *set = mustache_set_new();
    struct buf out = BUF_INIT;
    int rc = mustache_set_add(set, "t", "t.mustache", src, strlen(src), d);
    if (rc == 0)
        rc = mustache_render(&out, set, "t", ctx, d);
    mustache_set_free(set);
    if (rc == 0)
        return buf_detach(&out, NULL);
    buf_dispose(&out);
    return NULL;
}

struct escape_case {
    const char *in, *escaped;
};

/* {{x}} escapes &, <, >, " (as the spec's &quot;) and ' (as &#39;; the
 * spec has no case for it); {{{x}}} and {{&x}} escape nothing. */
static const struct escape_case escape_cases[] = {
    { "<script>", "&lt;script&gt;" },
    { "\"><img onerror=", "&quot;&gt;&lt;img onerror=" },
    { "' onclick='x'", "&#39; onclick=&#39;x&#39;" },
    { "a & b", "a &amp; b" },
    { "&amp;", "&amp;amp;" },
    { "plain", "plain" },
};

static void
test_html_escaping(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof escape_cases / sizeof *escape_cases; i++) {
        const struct escape_case *ec = &escape_cases[i];
        struct value *ctx = value_map(arena);
        value_set_str(arena, ctx, "x", ec->in);
        struct diags d;
        diags_init(&d);
        char *got = render("{{x}}|{{{x}}}|{{&x}}", ctx, &d);
        char *want = arena_printf(arena, "%s|%s|%s", ec->escaped, ec->in,
                                  ec->in);
        bool ok = got && !strcmp(got, want) && d.len == 0;
        if (!ok)
            print_message("#   %s -> %s\n", ec->in, got ? got : "(failed)");
        free(got);
        diags_dispose(&d);
        assert_true(ok);
    }
}

static void
test_bool_and_number(void **state)
{
    (void)state;
    struct value *ctx = value_map(arena);
    value_set_bool(arena, ctx, "yes", true);
    value_set_bool(arena, ctx, "no", false);
    value_set_int(arena, ctx, "n", 0);
    value_set(arena, ctx, "empty", value_str(arena, ""));
    value_set(arena, ctx, "none", value_list(arena));
    struct diags d;
    diags_init(&d);
    char *got = render("{{yes}} {{no}} {{n}} {{#n}}zero is truthy{{/n}}"
                       "{{#empty}}, so is \"\"{{/empty}}"
                       "{{^none}}, not []{{/none}}",
                       ctx, &d);
    assert_non_null(got);
    assert_string_equal(got,
                        "true false 0 zero is truthy, so is \"\", not []");
    free(got);
    diags_dispose(&d);
}

static void
test_recursion_guard(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    const char *loop = "x{{>loop}}";
    assert_int_equal(mustache_set_add(set, "loop", "loop.mustache", loop,
                                      strlen(loop), &d), 0);
    struct buf out = BUF_INIT;
    buf_puts(&out, "kept");
    assert_int_equal(mustache_render(&out, set, "loop", NULL, &d), -1);
    assert_string_equal(out.data, "kept"); /* nothing half-written */
    assert_int_equal(d.len, 1);
    assert_string_equal(d.items[0].path, "loop.mustache");
    assert_int_equal(d.items[0].line, 1);
    assert_int_equal(d.items[0].col, 2);
    assert_non_null(strstr(d.items[0].msg, "deeper than 100"));
    assert_int_equal(mustache_render(&out, set, "missing", NULL, &d), -1);
    assert_int_equal(d.len, 2);
    buf_dispose(&out);
    mustache_set_free(set);
    diags_dispose(&d);
}

static void
test_replace_and_undefine(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    struct buf out = BUF_INIT;
    assert_int_equal(mustache_set_add(set, "t", "t", "one", 3, &d), 0);
    assert_int_equal(mustache_set_add(set, "t", "t", "two", 3, &d), 0);
    assert_int_equal(mustache_render(&out, set, "t", NULL, &d), 0);
    assert_string_equal(out.data, "two");
    assert_int_equal(mustache_set_add(set, "t", "t", "{{#x}}", 6, &d), -1);
    assert_false(mustache_set_has(set, "t"));
    assert_int_equal(mustache_set_add(set, "u", "u", "{{>t}}!", 7, &d), 0);
    buf_clear(&out);
    assert_int_equal(mustache_render(&out, set, "u", NULL, &d), 0);
    assert_string_equal(out.data, "!"); /* an undefined partial is empty */
    assert_int_equal(d.len, 1);
    buf_dispose(&out);
    mustache_set_free(set);
    diags_dispose(&d);
}

struct thread_job {
    const struct mustache_set *set;
    const struct value *ctx;
    char *out;
};

static void *
render_thread(void *p)
{
    struct thread_job *job = p;
    struct diags d;
    diags_init(&d);
    struct buf out = BUF_INIT;
    for (int i = 0; i < 200; i++) {
        buf_clear(&out);
        mustache_render(&out, job->set, "page", job->ctx, &d);
    }
    job->out = buf_detach(&out, NULL);
    diags_dispose(&d);
    return NULL;
}

/* Many threads render from one set at once and all get the same text. */
static void
test_threads(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    const char *base = "<h1>{{$title}}?{{/title}}</h1>\n"
                       "  {{$body}}\n  {{/body}}\n";
    const char *page = "{{<base}}{{$title}}{{name}}{{/title}}{{$body}}\n"
                       "{{#items}}\n<li>{{.}}</li>\n{{/items}}\n"
                       "{{/body}}{{/base}}\n";
    assert_int_equal(mustache_set_add(set, "base", "base", base,
                                      strlen(base), &d), 0);
    assert_int_equal(mustache_set_add(set, "page", "page", page,
                                      strlen(page), &d), 0);
    struct value *ctx = value_map(arena);
    value_set_str(arena, ctx, "name", "A & B");
    struct value *items = value_list(arena);
    for (int i = 0; i < 3; i++)
        value_push(arena, items, value_int(arena, i));
    value_set(arena, ctx, "items", items);
    struct thread_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){ set, ctx, NULL };
        pthread_create(&th[i], NULL, render_thread, &jobs[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    const char *want = "<h1>A &amp; B</h1>\n"
                       "  <li>0</li>\n  <li>1</li>\n  <li>2</li>\n";
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        if (strcmp(jobs[i].out, want))
            print_escaped("got", jobs[i].out, strlen(jobs[i].out)), ok = false;
        free(jobs[i].out);
    }
    mustache_set_free(set);
    diags_dispose(&d);
    assert_true(ok);
}

/* Pathological inputs: a huge line of tags and deep nesting stay linear
 * (a quadratic path would time out), too deep nesting is an error. */
static void
test_pathological(void **state)
{
    (void)state;
    struct buf src = BUF_INIT;
    for (int i = 0; i < 100000; i++)
        buf_puts(&src, "{{#a}}{{x}}{{/a}} ");
    struct value *ctx = value_map(arena);
    value_set_bool(arena, ctx, "a", true);
    value_set_str(arena, ctx, "x", "<");
    struct diags d;
    diags_init(&d);
    char *got = render(src.data, ctx, &d);
    assert_non_null(got);
    assert_int_equal(strlen(got), 100000 * strlen("&lt; "));
    free(got);
    buf_clear(&src);
    for (int i = 0; i < 150; i++)
        buf_puts(&src, "{{#a}}\n");
    for (int i = 0; i < 150; i++)
        buf_puts(&src, "{{/a}}\n");
    assert_null(render(src.data, ctx, &d));
    assert_int_equal(d.len, 1);
    assert_string_equal(d.items[0].msg, "sections nest deeper than 100 levels");
    assert_int_equal(d.items[0].line, 101);
    buf_dispose(&src);
    diags_dispose(&d);
}

/* value_int writes any long long as printf would; value_set replaces a
 * key it has and adds one that only starts like another. */
static void
test_value_building(void **state)
{
    (void)state;
    const long long ints[] = { 0, 7, -42, 1000000007, LLONG_MAX, LLONG_MIN };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", ints[i]);
        struct value *v = value_int(arena, ints[i]);
        assert_int_equal(v->kind, VALUE_NUMBER);
        assert_string_equal(v->str, want);
        assert_int_equal(v->len, strlen(want));
    }
    struct value *m = value_map(arena);
    value_set_str(arena, m, "title", "a");
    value_set_str(arena, m, "text", "b");
    value_set_str(arena, m, "title", "c");
    value_set_str(arena, m, "", "d");
    value_set_str(arena, m, "", "e");
    assert_int_equal(m->len, 3);
    assert_string_equal(value_get(m, "title", 5)->str, "c");
    assert_string_equal(value_get(m, "text", 4)->str, "b");
    assert_string_equal(value_get(m, "", 0)->str, "e");
    value_set_str(arena, m, "text", "");
    assert_int_equal(value_get(m, "text", 4)->kind, VALUE_NULL);
}

/* A name is compared by its length: one with a NUL byte in it (a template
 * can have one) matches no shorter key, and the comparison reads no byte
 * past the end of the key (make fuzz found that read). */
static void
test_names_with_nul(void **state)
{
    (void)state;
    struct value *ctx = value_map(arena);
    value_set_str(arena, ctx, "x", "1");
    assert_non_null(value_get(ctx, "x\0zz", 1));
    assert_null(value_get(ctx, "x\0zz", 4));
    assert_null(value_get(ctx, "x\0", 2));
    /* In a template: rendered as a missing name, or refused. */
    const char nul[] = "{{x\0zz}}{{x}}";
    struct mustache_set *set = mustache_set_new();
    struct buf out = BUF_INIT;
    struct diags d;
    diags_init(&d);
    if (mustache_set_add(set, "t", "t.mustache", nul, sizeof nul - 1,
                         &d) == 0) {
        assert_int_equal(mustache_render(&out, set, "t", ctx, &d), 0);
        assert_int_equal(out.len, 1);
        assert_memory_equal(out.data, "1", 1);
    }
    buf_dispose(&out);
    mustache_set_free(set);
    diags_dispose(&d);
}

/* ---- The memo -------------------------------------------------------- */

/* Pages rendered in turn with one memo, each against a render without:
 * the memo reuses a stable post's entry wherever it is the same, and only
 * there. */
struct memo_page {
    const char *template;
    const char *here, *kind; /* names in the page's root: NULL, none */
    bool missing;            /* the root has "missing" */
};

static const char *const memo_templates[][2] = {
    { "plain", "{{#posts}}<{{title}}>{{/posts}}" },
    { "outer", "{{#posts}}<{{title}} on {{here}}>{{/posts}}" },
    { "missing", "{{#posts}}<{{title}}{{missing}}>{{/posts}}" },
    { "nested", "{{#posts}}{{#tags}}{{name}}/{{title}} {{/tags}}{{/posts}}" },
    { "menu", "{{#menu}}{{name}}{{#current}}*{{/current}}{{/menu}}|"
              "{{#menu}}{{name}}{{here}}{{/menu}}" },
    { "base", "{{#posts}}[{{$b}}default{{/b}}]{{/posts}}" },
    { "one", "{{<base}}{{$b}}one {{title}}{{/b}}{{/base}}" },
    { "two", "{{<base}}{{$b}}two {{title}}{{/b}}{{/base}}" },
    { "list", "{{#posts}}\n{{title}}\n{{/posts}}\n" },
    { "flat", "{{>list}}\n" },
    { "indented", "  {{>list}}\n" },
    { "deeper", "    {{>list}}\n" },
    { "dynamic", "{{#posts}}{{>*kind}}{{/posts}}" },
    { "a", "A{{title}}" },
    { "b", "B{{title}}" },
    { "item", "{{#posts}}{{>leaf}}{{/posts}}" },
    { "box", "{{#box}}{{>item}}{{/box}}" },
    /* the block's indentation goes where its line starts: after the
     * section, which ends a line that "x" began */
    { "lines", "x{{#posts}}\n{{title}}\n{{/posts}}\n  {{$b}}\n  {{/b}}\n" },
    { "block", "{{<lines}}{{$b}}\nB\n{{/b}}{{/lines}}" },
    { "leaf", "x" },
};

static const struct memo_page memo_pages[] = {
    { "plain", NULL, NULL, false }, { "plain", "p2", NULL, false },
    { "outer", "p1", NULL, false }, { "outer", "p2", NULL, false },
    { "missing", NULL, NULL, false }, { "missing", NULL, NULL, true },
    { "missing", NULL, NULL, false },
    { "nested", NULL, NULL, false }, { "nested", "p3", NULL, true },
    { "menu", "p1", NULL, false }, { "menu", "p2", NULL, false },
    { "one", NULL, NULL, false }, { "two", NULL, NULL, false },
    { "base", NULL, NULL, false }, { "one", NULL, NULL, false },
    { "flat", NULL, NULL, false }, { "indented", NULL, NULL, false },
    { "deeper", NULL, NULL, false }, { "flat", NULL, NULL, false },
    { "dynamic", NULL, "a", false }, { "dynamic", NULL, "b", false },
    { "item", NULL, NULL, false },
    { "block", NULL, NULL, false }, { "block", NULL, NULL, false },
    /* the same entry as deep as it may be, and one deeper: there the guard
     * stops it, as it stops a render without a memo */
    { "deep99", NULL, NULL, false }, { "deep100", NULL, NULL, false },
    /* and inside a stable value whose section met them in the memo: it
     * counts their depth too */
    { "box", NULL, NULL, false }, { "deepbox98", NULL, NULL, false },
    { "deepbox99", NULL, NULL, false },
    { "item", NULL, NULL, false },
};

static struct value *
memo_root(const struct memo_page *pg, struct value *posts, struct value *menu)
{
    struct value *root = value_map(arena);
    value_set(arena, root, "posts", posts);
    value_set(arena, root, "menu", menu);
    value_set_str(arena, root, "here", pg->here);
    value_set_str(arena, root, "kind", pg->kind);
    if (pg->missing)
        value_set_str(arena, root, "missing", "!");
    return root;
}

/* Templates <name>N for N up to most: each names <name>N-1 as a
 * partial, <name>1 names inner, which renders N partials deep. */
static void
add_deep(struct mustache_set *set, const char *name, const char *inner,
         int most, struct diags *d)
{
    const char *last = inner;
    for (int n = 1; n <= most; n++) {
        const char *src = arena_printf(arena, "{{>%s}}", last);
        last = arena_printf(arena, "%s%d", name, n);
        assert_int_equal(mustache_set_add(set, last, last, src, strlen(src),
                                          d), 0);
    }
}

static void
test_memo(void **state)
{
    (void)state;
    struct diags d;
    diags_init(&d);
    struct mustache_set *set = mustache_set_new();
    for (size_t i = 0; i < sizeof memo_templates / sizeof *memo_templates;
         i++)
        assert_int_equal(mustache_set_add(set, memo_templates[i][0],
                                          memo_templates[i][0],
                                          memo_templates[i][1],
                                          strlen(memo_templates[i][1]), &d),
                         0);
    add_deep(set, "deep", "item", 100, &d);
    add_deep(set, "deepbox", "box", 99, &d);
    /* the stable posts, each with a tag, and a stable menu */
    struct value *posts = value_list(arena), *menu = value_list(arena);
    for (int i = 0; i < 3; i++) {
        struct value *post = value_map(arena), *tags = value_list(arena);
        struct value *tag = value_map(arena);
        value_set_str(arena, post, "title", arena_printf(arena, "t%d", i));
        value_set_str(arena, tag, "name", arena_printf(arena, "n%d", i));
        value_push(arena, tags, tag);
        value_set(arena, post, "tags", tags);
        post->stable = true;
        value_push(arena, posts, post);
        struct value *item = value_map(arena);
        value_set_str(arena, item, "name", arena_printf(arena, "m%d", i));
        value_set_bool(arena, item, "current", i == 1);
        value_push(arena, menu, item);
    }
    menu->stable = true;
    struct value *box = value_map(arena);
    value_set(arena, box, "posts", posts);
    box->stable = true;
    struct mustache_memo *memo = mustache_memo_new();
    struct buf with = BUF_INIT, without = BUF_INIT;
    for (size_t i = 0; i < sizeof memo_pages / sizeof *memo_pages; i++) {
        const struct memo_page *pg = &memo_pages[i];
        struct value *root = memo_root(pg, posts, menu);
        value_set(arena, root, "box", box);
        buf_clear(&with);
        buf_clear(&without);
        int rc = mustache_render(&without, set, pg->template, root, &d);
        int memo_rc = mustache_render_memo(&with, set, pg->template, root,
                                           memo, &d);
        if (memo_rc != rc || with.len != without.len ||
            memcmp(with.data, without.data, with.len) != 0)
            fail_msg("page %zu (%s): with a memo %d \"%s\", without %d "
                     "\"%s\"", i, pg->template, memo_rc, with.data, rc,
                     without.data);
        /* the deep end is where the guard stops a render */
        bool fails = !strcmp(pg->template, "deep100") ||
                     !strcmp(pg->template, "deepbox99");
        if (rc != (fails ? -1 : 0))
            fail_msg("page %zu (%s): %d", i, pg->template, rc);
    }
    buf_dispose(&with);
    buf_dispose(&without);
    mustache_memo_free(memo);
    mustache_set_free(set);
    diags_dispose(&d);
}

int
main(void)
{
    arena = arena_new();
    const char *shared = getenv("GZ_SHARED");
    const char *dir = arena_printf(arena, "%s/spec/mustache",
                                   shared && *shared ? shared : "../shared");
    struct tests ts = { NULL, 0, 0 };
    read_spec(&ts, dir);
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++)
        add_test(&ts, arena_printf(arena, "errors: %s", error_cases[i].name),
                 test_error_case, (void *)&error_cases[i]);
    add_test(&ts, "ours: HTML escaping", test_html_escaping, NULL);
    add_test(&ts, "ours: booleans, numbers, truthiness", test_bool_and_number,
             NULL);
    add_test(&ts, "ours: recursion guard", test_recursion_guard, NULL);
    add_test(&ts, "ours: replacing and undefining", test_replace_and_undefine,
             NULL);
    add_test(&ts, "ours: threads share a set", test_threads, NULL);
    add_test(&ts, "ours: pathological inputs", test_pathological, NULL);
    add_test(&ts, "ours: a name with a NUL byte", test_names_with_nul, NULL);
    add_test(&ts, "ours: numbers and keys of built values",
             test_value_building, NULL);
    add_test(&ts, "ours: a memo reuses a stable value's sections",
             test_memo, NULL);
    int failed = _cmocka_run_group_tests("mustache", ts.v, ts.len, NULL,
                                         NULL);
    free(ts.v);
    arena_free(arena);
    return failed;
}
