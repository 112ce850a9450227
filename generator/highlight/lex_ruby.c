/* lex_ruby.c: the Ruby lexer of the highlighter, after Pygments' RubyLexer
 * (pygments/lexers/ruby.py, Debian's 2.14) rule by rule: here-documents (sh,
 * dl) read after the line that opens them, strings and %-literals with
 * #{} interpolation (si) nested to any depth, regular expressions (sr),
 * symbols (ss), characters (sc), variables (vc, vi, vg), keywords (k, kp),
 * builtins (nb), def and class names (nf, nc), and =begin comments (cm). */
#include "lexer.h"

/* Pygments' states. The braced %-literals are BRACED + kind * 4 + brace. */
enum {
    ROOT, FUNCNAME, CLASSNAME, DEFEXPR, IN_INTP, INTERP_REGEX, INTERP_STRING,
    ML_REGEX, END_PART, S_DOUBLE, S_SINGLE, S_SYM, S_BACKTICK,
    BRACED = 16,
};
enum { K_INTP_STRING, K_STRING, K_REGEX };
static const char braces[4][3] = { "{}", "[]", "()", "<>" };

/* Look-aheads that may fail over the rest of the text (unclosed %-literals
 * and here-documents) spend from one budget, a few times the text's size:
 * past it, such a literal is taken as unclosed without looking. Real code
 * never comes near it; it keeps hostile text linear. */
struct shared {
    size_t budget;
    struct hl_seek end_comment;   /* "\n=end" */
};

#define MAX_HEREDOCS 100
#define MAX_DEPTH 32              /* of %-literal bodies lexed within bodies */

struct ruby {
    struct hl *h;
    struct hl_stack st;
    struct shared *sh;
    unsigned depth;
    /* the here-documents opened on the line being lexed */
    struct heredoc {
        size_t name, len;         /* the terminator's name in the text */
        bool tolerant;            /* <<- or <<~: indented terminator */
    } heredocs[MAX_HEREDOCS];
    size_t n_heredocs;
    bool in_heredoc_line;
    struct heredoc failed;        /* the last terminator not found, */
    size_t failed_from;           /* from here on */
};

static void step(struct ruby *r);
static void root(struct ruby *r);

/* ---- word lists ------------------------------------------------------------------- */

/* The rules a word is in, in Pygments' order. */
enum {
    W_KEYWORD = 1,    /* k, \b after */
    W_PSEUDO = 2,     /* kp, \b after */
    W_OPWORD = 4,     /* ow, \b after */
    W_QUERY = 8,      /* nb with the '?' after it */
    W_BANG = 16,      /* nb with the '!' after it */
    W_BUILTIN = 32,   /* nb, not after '.', \b after */
    W_PSEUDO_VAR = 64 /* bp, \b after */
};
/* Sorted by strcmp. */
static const struct word {
    const char *w;
    unsigned flags;
} words[] = {
    {"Array", W_BUILTIN}, {"BEGIN", W_KEYWORD}, {"END", W_KEYWORD}, {"Float", W_BUILTIN},
    {"Integer", W_BUILTIN}, {"String", W_BUILTIN}, {"__FILE__", W_PSEUDO_VAR},
    {"__LINE__", W_PSEUDO_VAR}, {"__id__", W_BUILTIN}, {"__send__", W_BUILTIN},
    {"abort", W_BUILTIN}, {"alias", W_KEYWORD}, {"ancestors", W_BUILTIN}, {"and", W_OPWORD},
    {"at_exit", W_BUILTIN}, {"attr", W_PSEUDO}, {"attr_accessor", W_PSEUDO},
    {"attr_reader", W_PSEUDO}, {"attr_writer", W_PSEUDO}, {"autoload", W_QUERY | W_BUILTIN},
    {"begin", W_KEYWORD}, {"binding", W_BUILTIN}, {"block_given", W_QUERY},
    {"break", W_KEYWORD}, {"callcc", W_BUILTIN}, {"caller", W_BUILTIN}, {"case", W_KEYWORD},
    {"catch", W_PSEUDO | W_BUILTIN}, {"chomp", W_BANG | W_BUILTIN},
    {"chop", W_BANG | W_BUILTIN}, {"class_eval", W_BUILTIN}, {"class_variables", W_BUILTIN},
    {"clone", W_BUILTIN}, {"const_defined", W_QUERY}, {"const_get", W_BUILTIN},
    {"const_missing", W_BUILTIN}, {"const_set", W_BUILTIN}, {"constants", W_BUILTIN},
    {"display", W_BUILTIN}, {"do", W_KEYWORD}, {"dup", W_BUILTIN}, {"else", W_KEYWORD},
    {"elsif", W_KEYWORD}, {"end", W_KEYWORD}, {"ensure", W_KEYWORD}, {"eql", W_QUERY},
    {"equal", W_QUERY}, {"eval", W_BUILTIN}, {"exec", W_BUILTIN},
    {"exit", W_BANG | W_BUILTIN}, {"extend", W_PSEUDO | W_BUILTIN}, {"fail", W_BUILTIN},
    {"false", W_PSEUDO}, {"for", W_KEYWORD}, {"fork", W_BUILTIN}, {"format", W_BUILTIN},
    {"freeze", W_BUILTIN}, {"frozen", W_QUERY}, {"getc", W_BUILTIN}, {"gets", W_BUILTIN},
    {"global_variables", W_BUILTIN}, {"gsub", W_BANG | W_BUILTIN}, {"hash", W_BUILTIN},
    {"id", W_BUILTIN}, {"if", W_KEYWORD}, {"in", W_KEYWORD}, {"include", W_PSEUDO | W_QUERY},
    {"included_modules", W_BUILTIN}, {"initialize", W_PSEUDO}, {"inspect", W_BUILTIN},
    {"instance_eval", W_BUILTIN}, {"instance_method", W_BUILTIN},
    {"instance_methods", W_BUILTIN}, {"instance_of", W_QUERY},
    {"instance_variable_get", W_BUILTIN}, {"instance_variable_set", W_BUILTIN},
    {"instance_variables", W_BUILTIN}, {"is_a", W_QUERY}, {"iterator", W_QUERY},
    {"kind_of", W_QUERY}, {"lambda", W_BUILTIN}, {"load", W_BUILTIN},
    {"local_variables", W_BUILTIN}, {"loop", W_PSEUDO | W_BUILTIN}, {"method", W_BUILTIN},
    {"method_defined", W_QUERY}, {"method_missing", W_BUILTIN}, {"methods", W_BUILTIN},
    {"module_eval", W_BUILTIN}, {"module_function", W_PSEUDO}, {"name", W_BUILTIN},
    {"new", W_PSEUDO}, {"next", W_KEYWORD}, {"nil", W_PSEUDO | W_QUERY}, {"not", W_OPWORD},
    {"object_id", W_BUILTIN}, {"open", W_BUILTIN}, {"or", W_OPWORD}, {"p", W_BUILTIN},
    {"print", W_BUILTIN}, {"printf", W_BUILTIN}, {"private", W_PSEUDO},
    {"private_class_method", W_BUILTIN}, {"private_instance_methods", W_BUILTIN},
    {"private_method_defined", W_QUERY}, {"private_methods", W_BUILTIN}, {"proc", W_BUILTIN},
    {"protected", W_PSEUDO}, {"protected_instance_methods", W_BUILTIN},
    {"protected_method_defined", W_QUERY}, {"protected_methods", W_BUILTIN},
    {"public", W_PSEUDO}, {"public_class_method", W_BUILTIN},
    {"public_instance_methods", W_BUILTIN}, {"public_method_defined", W_QUERY},
    {"public_methods", W_BUILTIN}, {"putc", W_BUILTIN}, {"puts", W_BUILTIN},
    {"raise", W_KEYWORD}, {"rand", W_BUILTIN}, {"readline", W_BUILTIN},
    {"readlines", W_BUILTIN}, {"redo", W_KEYWORD}, {"require", W_BUILTIN},
    {"rescue", W_KEYWORD}, {"respond_to", W_QUERY}, {"retry", W_KEYWORD},
    {"return", W_KEYWORD}, {"scan", W_BUILTIN}, {"select", W_BUILTIN}, {"self", W_BUILTIN},
    {"send", W_BUILTIN}, {"set_trace_func", W_BUILTIN}, {"singleton_methods", W_BUILTIN},
    {"sleep", W_BUILTIN}, {"split", W_BUILTIN}, {"sprintf", W_BUILTIN}, {"srand", W_BUILTIN},
    {"sub", W_BANG | W_BUILTIN}, {"super", W_KEYWORD}, {"syscall", W_BUILTIN},
    {"system", W_BUILTIN}, {"taint", W_BUILTIN}, {"tainted", W_QUERY}, {"test", W_BUILTIN},
    {"then", W_KEYWORD}, {"throw", W_PSEUDO | W_BUILTIN}, {"to_a", W_BUILTIN},
    {"to_s", W_BUILTIN}, {"trace_var", W_BUILTIN}, {"trap", W_BUILTIN}, {"true", W_PSEUDO},
    {"undef", W_KEYWORD}, {"unless", W_KEYWORD}, {"untaint", W_BUILTIN},
    {"untrace_var", W_BUILTIN}, {"until", W_KEYWORD}, {"warn", W_BUILTIN},
    {"when", W_KEYWORD}, {"while", W_KEYWORD}, {"yield", W_KEYWORD},
};
static struct hl_words word_index = HL_WORDS(words);

/* ---- small scanners ------------------------------------------------------------- */

static bool
is_alpha(int c)
{
    return c >= 0 && c < 0x80 && (c | 32) >= 'a' && (c | 32) <= 'z';
}

static bool
is_name_start(int c)
{
    return c == '_' || is_alpha(c);
}

/* The character before p, or -1 at base: what a look-behind sees. */
static int
before(const struct hl *h, size_t p)
{
    return p > h->base ? (unsigned char)h->s[p - 1] : -1;
}

/* [a-zA-Z_]\w*: its length at p, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    return is_name_start(hl_at(h, p)) ? 1 + hl_word_run(h, p + 1) : 0;
}

/* ASCII \s, which is all a look-behind here needs to see. */
static bool
is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Whether w (n bytes) ends at p, within the text. */
static bool
ends_with(const struct hl *h, size_t p, const char *w, size_t n)
{
    return p >= h->base + n && !memcmp(h->s + p - n, w, n);
}

/* The look-behinds of the rule for a regular expression after a keyword,
 * an operator or a method that takes one: at p, the start of \s* before '/'. */
static bool
regex_may_follow(const struct hl *h, size_t p)
{
    static const struct { const char *w; unsigned char n, after_space, after_dot, line; } ws[] = {
        {"when", 4, 1, 0, 1}, {"or", 2, 1, 0, 0}, {"and", 3, 1, 0, 0}, {"if", 2, 1, 0, 1},
        {"elsif", 5, 1, 0, 1}, {"index", 5, 0, 1, 1}, {"scan", 4, 0, 1, 1},
        {"sub", 3, 0, 1, 1}, {"sub!", 4, 0, 1, 1}, {"gsub", 4, 0, 1, 1},
        {"gsub!", 5, 0, 1, 1}, {"match", 5, 0, 1, 1},
    };
    if (hl_line_start(h, p) || hl_in(before(h, p), "=<>~!:"))
        return true;
    if (!is_space(before(h, p)))
        return false;
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++) {
        size_t n = ws[i].n;
        if (!ends_with(h, p - 1, ws[i].w, n))
            continue;
        int c = before(h, p - 1 - n);
        if ((ws[i].after_space && (is_space(c) || c == ';')) || (ws[i].after_dot && c == '.') ||
            (ws[i].line && hl_line_start(h, p - 1 - n)))
            return true;
    }
    return false;
}

/* ---- %-literals with any delimiter ------------------------------------------------ */

/* The body of a %-literal whose delimiter d (dn bytes at dp) ends at body:
 * (?:\\d|(?!d).)* then d, as the regex engine finds it: up to the first d
 * not escaped, else, backtracking, up to the last escaped one. Returns the
 * offset of the closing d, or (size_t)-1 if there is none. */
static size_t
delimited(struct ruby *r, size_t body, size_t dp, size_t dn)
{
    struct hl *h = r->h;
    const char *d = h->s + dp;
    size_t i = body, last_escaped = (size_t)-1;
    if (r->sh->budget == 0)
        return (size_t)-1;
    while (i < h->end) {
        char c = h->s[i];
        if (c == '\\' && hl_starts(h, i + 1, d, dn)) {
            last_escaped = i;
            i += 1 + dn;
        } else if (c == d[0] && hl_starts(h, i, d, dn)) {
            return i;
        } else if ((unsigned char)c < 0x80) {
            i++;
        } else {
            int32_t cp;
            i += hl_char(h, i, &cp);
        }
    }
    if (last_escaped != (size_t)-1)   /* the backslash matches '.', the d closes */
        return dn == 1 && d[0] == '\\' ? last_escaped : last_escaped + 1;
    r->sh->budget = r->sh->budget > i - body ? r->sh->budget - (i - body) : 0;
    return (size_t)-1;
}

/* Lexes s[pos..end) as a text of its own, from state: what Pygments does
 * with the body of %r/../ and %Q|..|. Past MAX_DEPTH, emits it as cls. */
static void
sub_context(struct ruby *r, size_t end, unsigned state, enum hl_class cls)
{
    struct hl *h = r->h;
    if (h->pos >= end)
        return;
    if (r->depth >= MAX_DEPTH) {
        hl_emit(h, cls, end - h->pos);
        return;
    }
    size_t base = h->base, outer_end = h->end;
    struct ruby sub = { .h = h, .sh = r->sh, .depth = r->depth + 1,
                        .failed_from = (size_t)-1 };
    h->base = h->pos;
    h->end = end;
    hl_stack_init(&sub.st, state);
    while (h->pos < h->end)
        step(&sub);
    hl_stack_dispose(&sub.st);
    h->base = base;
    h->end = outer_end;
}

/* A %-literal with any delimiter at pos: the opener (olen bytes, the
 * delimiter last, dn bytes), the body lexed from state, the closer with
 * flags for a regular expression. False if it is not closed. */
static bool
percent_literal(struct ruby *r, size_t olen, size_t dn, unsigned state, enum hl_class cls)
{
    struct hl *h = r->h;
    size_t p = h->pos, body = p + olen, close = delimited(r, body, body - dn, dn);
    if (close == (size_t)-1)
        return false;
    size_t flags = state == INTERP_REGEX ? hl_span(h, close + dn, "mixounse", (size_t)-1) : 0;
    hl_emit(h, cls, olen);
    if (state == ROOT)   /* no interpolation: one token */
        hl_emit(h, cls, close - body);
    else
        sub_context(r, close, state, cls);
    hl_emit(h, cls, dn + flags);
    return true;
}

/* The length of the character at p (1 at end, for safety). */
static size_t
char_len(const struct hl *h, size_t p)
{
    int32_t cp;
    return p < h->end ? hl_char(h, p, &cp) : 1;
}

/* A %-literal with a space or tab for delimiter, after gap bytes of space
 * at pos, which follows one of - + / * % = < > & ! ^ | ~ , ( or starts a
 * line: Pygments' two rules for it. False if there is none. */
static bool
spaced_percent(struct ruby *r, size_t gap)
{
    struct hl *h = r->h;
    size_t p = h->pos;
    if (hl_at(h, p + gap) != '%' || !hl_in(hl_at(h, p + gap + 1), " \t") ||
        !(hl_in(before(h, p), "-+/*%=<>&!^|~,(") || hl_line_start(h, p)))
        return false;
    size_t close = delimited(r, p + gap + 2, p + gap + 1, 1);
    if (close == (size_t)-1)
        return false;
    if (gap)
        hl_emit(h, HL_TEXT, gap);
    hl_emit(h, HL_SX, close + 1 - h->pos);
    return true;
}

/* The %-literal rules of 'strings', in order. */
static bool
percent(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos;
    int c = hl_at(h, p + 1);
    for (int b = 0; b < 4; b++) {   /* %{ %Q{ %q{ %r{ and the other braces */
        size_t k = hl_in(c, "QWxqswr") ? 2 : 1;
        if (hl_at(h, p + k) != braces[b][0] || (k == 1 && c != braces[b][0]))
            continue;
        int kind = k == 1 || hl_in(c, "QWx") ? K_INTP_STRING : c == 'r' ? K_REGEX : K_STRING;
        hl_emit(h, kind == K_REGEX ? HL_SR : HL_SX, k + 1);
        hl_stack_push(&r->st, BRACED + (unsigned)kind * 4 + (unsigned)b);
        return true;
    }
    /* [\W_]: the delimiter after %r %q %Q ... */
    if (hl_in(c, "rqswQWx") && p + 2 < h->end) {
        size_t dn = char_len(h, p + 2);
        if (!(hl_word_at(h, p + 2) && h->s[p + 2] != '_')) {
            if (c == 'r')
                return percent_literal(r, 2 + dn, dn, INTERP_REGEX, HL_SR);
            if (hl_in(c, "qsw")) {
                if (percent_literal(r, 2 + dn, dn, ROOT, HL_SX))
                    return true;
            } else if (percent_literal(r, 2 + dn, dn, INTERP_STRING, HL_SX)) {
                return true;
            }
        }
    }
    if (spaced_percent(r, 0))
        return true;
    /* %([^a-zA-Z0-9\s]) */
    if (p + 1 < h->end && !is_alpha(c) && !(c >= '0' && c <= '9') &&
        !hl_space(h, p + 1, true)) {
        size_t dn = char_len(h, p + 1);
        if (percent_literal(r, 1 + dn, dn, INTERP_STRING, HL_SX))
            return true;
    }
    return false;
}

/* ---- here-documents ----------------------------------------------------------------- */

/* Whether the line [a, b) (b after its '\n') is the terminator of d: the
 * line, stripped of spaces (on the right, or both sides when tolerant),
 * is the name. */
static bool
is_terminator(const struct hl *h, size_t a, size_t b, const struct heredoc *d)
{
    size_t q = a;
    if (d->tolerant || !d->len)
        q += hl_space(h, q, true);
    if (d->len && !(q + d->len <= b && !memcmp(h->s + q, h->s + d->name, d->len)))
        return false;
    q += d->len;
    return q >= b || q + hl_space(h, q, true) >= b;
}

/* The body of d from pos on: its lines (sh) and the terminator's (dl).
 * Pygments leaves the text as it is when there is none. */
static void
heredoc_body(struct ruby *r, const struct heredoc *d)
{
    struct hl *h = r->h;
    size_t start = h->pos, a = start;
    if (r->failed_from <= start && r->failed.len == d->len &&
        r->failed.tolerant == d->tolerant &&
        !memcmp(h->s + r->failed.name, h->s + d->name, d->len))
        return;
    if (r->sh->budget == 0)
        return;
    while (a < h->end) {
        size_t b = hl_line_end(h, a);
        if (b >= h->end)   /* Pygments' lines end with '\n' */
            break;
        b++;
        if (is_terminator(h, a, b, d)) {
            if (a > start)
                hl_emit(h, HL_SH, a - start);
            hl_emit(h, HL_DL, b - a);
            return;
        }
        a = b;
    }
    r->failed = *d;
    r->failed_from = start;
    r->sh->budget = r->sh->budget > a - start ? r->sh->budget - (a - start) : 0;
}

/* (?<!\w)(<<[-~]?)(["`']?)([a-zA-Z_]\w*)(\2)(.*?\n) and the same with an
 * empty name between quotes. The rest of the line is lexed as the text
 * ending there, then the bodies of the line's here-documents follow. */
static bool
heredoc(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, q = p + 2, n;
    q += hl_in(hl_at(h, q), "-~");
    int quote = hl_at(h, q);
    size_t nq = hl_in(quote, "\"`'");
    bool named = !hl_word_before(h, p) && (n = name_len(h, q + nq));
    if (!named) {   /* the empty name: only between quotes */
        if (!hl_in(quote, "\"'") || hl_at(h, q + 1) != quote)
            return false;
        n = 0;
        nq = 1;
    }
    size_t close = q + nq + n;
    if (nq && hl_at(h, close) != quote)
        return false;
    size_t eol = hl_line_end(h, close + nq);
    if (eol >= h->end)
        return false;
    hl_emit(h, HL_O, q - p);
    if (nq)
        hl_emit(h, HL_SH, 1);
    if (n)
        hl_emit(h, HL_DL, n);
    if (nq)
        hl_emit(h, HL_SH, 1);
    bool outermost = !r->in_heredoc_line;
    r->heredocs[r->n_heredocs++] = (struct heredoc){ q + nq, n, q > p + 2 };
    if (r->n_heredocs >= MAX_HEREDOCS) {
        if (eol + 1 > h->pos)
            hl_emit(h, HL_SH, eol + 1 - h->pos);
    } else if (outermost) {
        size_t outer_end = h->end;
        r->in_heredoc_line = true;
        h->end = eol + 1;
        while (h->pos < h->end)
            step(r);
        while ((hl_stack_top(&r->st) == FUNCNAME || hl_stack_top(&r->st) == CLASSNAME) &&
               r->st.depth > 1)
            hl_stack_pop(&r->st);   /* their default('#pop') at the end */
        h->end = outer_end;
        r->in_heredoc_line = false;
    }
    if (outermost) {
        for (size_t i = 0; i < r->n_heredocs; i++)
            heredoc_body(r, &r->heredocs[i]);
        r->n_heredocs = 0;
    }
    return true;
}

/* ---- strings and symbols ------------------------------------------------------------ */

/* 'string-intp': #{ (pushing 'in-intp'), #@var, #@@var, #$var. */
static bool
interpolation(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    if (h->s[p] != '#')
        return false;
    int c = hl_at(h, p + 1);
    if (c == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&r->st, IN_INTP);
        return true;
    }
    size_t sigil = c == '$' ? 1 : c == '@' ? 1 + (hl_at(h, p + 2) == '@') : 0;
    if (!sigil || !(n = name_len(h, p + 1 + sigil)))
        return false;
    hl_emit(h, HL_SI, 1 + sigil + n);
    return true;
}

/* \\([\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3}) at p: its length, or 0. */
static size_t
escape_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p + 1);
    size_t n;
    if (hl_at(h, p) != '\\')
        return 0;
    if (hl_in(c, "\\abefnrstv#\"'"))
        return 2;
    if (c == 'x' && (n = hl_span(h, p + 2, HL_HEX, 2)))
        return 2 + n;
    n = hl_span(h, p + 1, "01234567", 3);
    return n ? 1 + n : 0;
}

/* 'string-intp-escaped' */
static bool
interpolation_or_escape(struct ruby *r)
{
    struct hl *h = r->h;
    size_t n;
    if (interpolation(r))
        return true;
    if ((n = escape_len(h, h->pos))) {
        hl_emit(h, HL_SE, n);
        return true;
    }
    return false;
}

/* 'simple-string-double' and its kin, closed by quote. */
static void
simple_string(struct ruby *r, char quote, enum hl_class cls)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = 0;
    if (interpolation_or_escape(r))
        return;
    char c = h->s[p];
    if (c == quote) {
        hl_emit(h, cls, 1);
        hl_stack_pop(&r->st);
        return;
    }
    if (c != '\\' && c != '#')
        while (p + n < h->end && !hl_in(h->s[p + n], "\\#") && h->s[p + n] != quote)
            n++;
    hl_emit(h, cls, n ? n : 1);
}

/* The braced %-literals: nested braces push and pop, \\ and an escaped
 * brace stay in the literal. */
static void
braced(struct ruby *r, unsigned state)
{
    struct hl *h = r->h;
    unsigned kind = (state - BRACED) / 4;
    const char *b = braces[(state - BRACED) % 4];
    enum hl_class cls = kind == K_REGEX ? HL_SR : HL_SX;
    size_t p = h->pos, n = 0;
    char c = h->s[p];
    int next = hl_at(h, p + 1);
    if (c == '\\' && (next == '\\' || next == b[0] || next == b[1])) {
        hl_emit(h, cls, 2);
    } else if (c == b[0]) {
        hl_emit(h, cls, 1);
        hl_stack_push(&r->st, state);
    } else if (c == b[1]) {
        hl_emit(h, cls, 1 + (kind == K_REGEX ? hl_span(h, p + 1, "mixounse", (size_t)-1) : 0));
        hl_stack_pop(&r->st);
    } else if ((kind == K_INTP_STRING && interpolation_or_escape(r)) ||
               (kind == K_REGEX && interpolation(r))) {
        return;
    } else {
        if (c != '\\' && c != '#')
            while (p + n < h->end && !hl_in(h->s[p + n], "\\#") && h->s[p + n] != b[0] &&
                   h->s[p + n] != b[1])
                n++;
        hl_emit(h, cls, n ? n : 1);
    }
}

/* 'multiline-regex', after a '/' that starts one. */
static void
ml_regex(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = 0;
    char c = h->s[p];
    if (interpolation(r))
        return;
    if (c == '\\' && hl_in(hl_at(h, p + 1), "\\/")) {
        hl_emit(h, HL_SR, 2);
    } else if (c == '/') {
        hl_emit(h, HL_SR, 1 + hl_span(h, p + 1, "mixounse", (size_t)-1));
        hl_stack_pop(&r->st);
    } else {
        if (c != '\\' && c != '#')
            while (p + n < h->end && !hl_in(h->s[p + n], "\\/#"))
                n++;
        hl_emit(h, HL_SR, n ? n : 1);
    }
}

/* 'interpolated-regex' and 'interpolated-string': a %-literal's body. */
static void
interpolated(struct ruby *r, enum hl_class cls)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = 0;
    if (interpolation(r))
        return;
    if (h->s[p] != '\\' && h->s[p] != '#')
        while (p + n < h->end && !hl_in(h->s[p + n], "\\#"))
            n++;
    hl_emit(h, cls, n ? n : 1);
}

/* The longest of RUBY_OPERATORS at p: its length, or 0. */
static size_t
ruby_operator(const struct hl *h, size_t p)
{
    static const char *const ops[] = {   /* longest first */
        "[]=", "<=>", "===", "**", "+@", "-@", "<<", "<>", "==", ">=", ">>", "[]",
        "*", "-", "+", "/", "%", "&", "|", "^", "`", "~", "<", ">",
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i]);
        if (hl_starts(h, p, ops[i], n))
            return n;
    }
    return 0;
}

/* The symbol rules of 'strings', at a ':'. */
static bool
symbol(struct ruby *r)
{
    static const bool stop[256] = { ['\''] = true };
    struct hl *h = r->h;
    size_t p = h->pos, q = p + 1, n;
    q += hl_span(h, q, "@", 2);
    if ((n = name_len(h, q))) {
        n += hl_in(hl_at(h, q + n), "!?");
        hl_emit(h, HL_SS, q + n - p);
    } else if ((n = ruby_operator(h, q))) {
        hl_emit(h, HL_SS, q + n - p);
    } else if (hl_at(h, p + 1) == '\'') {
        n = hl_until_escaped(h, p + 2, stop);
        if (p + 2 + n >= h->end || (h->s[p + 2 + n] != '\''))
            return false;
        hl_emit(h, HL_SS, n + 3);
    } else if (hl_at(h, p + 1) == '"') {
        hl_emit(h, HL_SS, 2);
        hl_stack_push(&r->st, S_SYM);
    } else {
        return false;
    }
    return true;
}

/* ---- numbers, variables, characters ------------------------------------------------ */

/* D+(?:_D+)* with D from set (NULL: \d of any script): its length at p. */
static size_t
digit_groups(const struct hl *h, size_t p, const char *set)
{
    size_t q = p, n;
    for (;;) {
        n = set ? hl_span(h, q, set, (size_t)-1) : hl_digits(h, q);
        if (!n)
            return q == p ? 0 : q - 1 - p;   /* a '_' not followed by digits is not ours */
        q += n;
        if (hl_at(h, q) != '_')
            return q - p;
        q++;
    }
}

/* The number rules: octal, hex, binary, decimal, then \s* and a '/' or '?'
 * (an operator, never a regular expression or a character). */
static bool
number(struct hl *h)
{
    size_t p = h->pos, n = 0;
    enum hl_class cls = HL_MI;
    if (hl_at(h, p) == '0') {
        size_t u = hl_at(h, p + 1) == '_';
        if ((n = digit_groups(h, p + 1 + u, "01234567"))) {
            n += 1 + u;
            cls = HL_MO;
        } else if (hl_at(h, p + 1) == 'x' && (n = digit_groups(h, p + 2, HL_HEX))) {
            n += 2;
            cls = HL_MH;
        } else if (hl_at(h, p + 1) == 'b' && (n = digit_groups(h, p + 2, "01"))) {
            n += 2;
            cls = HL_MB;
        }
    }
    if (!n && !(n = digit_groups(h, p, NULL)))
        return false;
    hl_emit(h, cls, n);
    if ((n = hl_space(h, h->pos, true)))
        hl_emit(h, HL_TEXT, n);
    if (hl_in(hl_at(h, h->pos), "/?"))
        hl_emit(h, HL_O, 1);
    return true;
}

/* @@name (vc), @name (vi), $name, $ and a punctuation mark (vg). */
static bool
variable(struct hl *h)
{
    size_t p = h->pos, n;
    if (h->s[p] == '@') {
        bool cls = hl_at(h, p + 1) == '@';
        if (!(n = name_len(h, p + 1 + cls)))
            return false;
        hl_emit(h, cls ? HL_VC : HL_VI, 1 + cls + n);
    } else if ((n = hl_word_run(h, p + 1))) {
        hl_emit(h, HL_VG, 1 + n);
    } else if (hl_in(hl_at(h, p + 1), "!@&`'+~=/\\,;.<>_*$?:\"^-")) {
        hl_emit(h, HL_VG, 2);
    } else {
        return false;
    }
    return true;
}

/* \?(\\[MC]-)*(\\([\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})|\S)(?!\w) */
static bool
character(struct hl *h)
{
    size_t p = h->pos, q = p + 1, n;
    while (hl_at(h, q) == '\\' && hl_in(hl_at(h, q + 1), "MC") && hl_at(h, q + 2) == '-')
        q += 3;
    if (q >= h->end)
        return false;
    if ((n = escape_len(h, q)) && !hl_word_at(h, q + n)) {
        hl_emit(h, HL_SC, q + n - p);
        return true;
    }
    int32_t cp;
    n = hl_char(h, q, &cp);
    if (hl_cp_space(cp) || hl_word_at(h, q + n))
        return false;
    hl_emit(h, HL_SC, q + n - p);
    return true;
}

/* ---- names and keywords ------------------------------------------------------------ */

/* (module)(\s+)([a-zA-Z_]\w*(?:::[a-zA-Z_]\w*)*) at pos. */
static bool
module(struct hl *h)
{
    size_t p = h->pos, gap = hl_space(h, p + 6, true), q = p + 6 + gap, n;
    if (!gap || !(n = name_len(h, q)))
        return false;
    q += n;
    while (hl_starts(h, q, "::", 2) && (n = name_len(h, q + 2)))
        q += 2 + n;
    hl_emit(h, HL_K, 6);
    hl_emit(h, HL_TEXT, gap);
    hl_emit(h, HL_NN, q - h->pos);
    return true;
}

/* def and class: the keyword, then the state of the name. */
static bool
definition(struct ruby *r, size_t n)
{
    struct hl *h = r->h;
    size_t p = h->pos, gap = hl_space(h, p + n, true);
    bool def = n == 3;
    if (!gap && !(def && hl_in(hl_at(h, p + 3), "*%&^`~+,-./[<>=")))
        return false;
    hl_emit(h, HL_K, n);
    if (gap)
        hl_emit(h, HL_TEXT, gap);
    hl_stack_push(&r->st, def ? FUNCNAME : CLASSNAME);
    return true;
}

/* A word at pos, which starts with [a-zA-Z_]: the word rules of 'root' in
 * order, then name: (a symbol), [A-Z]\w+ (no), [a-zA-Z_]\w*[!?]? (n). */
static void
word(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = hl_ascii_word(h, p), full;
    bool b = hl_boundary(h, p + n);
    int i = hl_words_find(&word_index, h->s + p, n);
    unsigned f = i >= 0 ? words[i].flags : 0;
    int next = hl_at(h, p + n);
    if (b && (f & W_KEYWORD)) {
        hl_emit(h, HL_K, n);
        return;
    }
    if (n == 7 && !memcmp(h->s + p, "defined", 7) && next == '?' && hl_word_at(h, p + 8)) {
        hl_emit(h, HL_K, 8);
        return;
    }
    if ((n == 6 && !memcmp(h->s + p, "module", 6) && module(h)) ||
        (n == 3 && !memcmp(h->s + p, "def", 3) && definition(r, 3)) ||
        (n == 5 && !memcmp(h->s + p, "class", 5) && definition(r, 5)))
        return;
    if (b && (f & (W_PSEUDO | W_OPWORD))) {
        hl_emit(h, f & W_PSEUDO ? HL_KP : HL_OW, n);
    } else if (((f & W_QUERY) && next == '?') || ((f & W_BANG) && next == '!')) {
        hl_emit(h, HL_NB, n + 1);
    } else if (b && (f & W_BUILTIN) && before(h, p) != '.') {
        hl_emit(h, HL_NB, n);
    } else if (b && (f & W_PSEUDO_VAR)) {
        hl_emit(h, HL_BP, n);
    } else if (hl_starts(h, p, "__END__", 7)) {
        hl_emit(h, HL_CP, 7);
        hl_stack_push(&r->st, END_PART);
    } else {
        full = n + hl_word_run(h, p + n);
        if (hl_at(h, p + full) == ':' && hl_at(h, p + full + 1) != ':') {
            hl_emit(h, HL_SS, full);
            hl_emit(h, HL_P, 1);
        } else if (h->s[p] >= 'A' && h->s[p] <= 'Z' && full > 1) {
            hl_emit(h, HL_NO, full);
        } else {
            hl_emit(h, HL_N, full + hl_in(hl_at(h, p + full), "!?"));
        }
    }
}

/* ---- 'root' -------------------------------------------------------------------------- */

/* =begin\s.*?\n=end.*?$ at pos: emitted (cm), true. */
static bool
begin_comment(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos;
    if (!hl_starts(h, p, "=begin", 6) || p + 6 >= h->end)
        return false;
    int32_t cp;
    size_t sp = hl_char(h, p + 6, &cp);
    if (!hl_cp_space(cp))
        return false;
    size_t end = hl_seek(h, &r->sh->end_comment, "\n=end", 5, p + 6 + sp);
    if (end == (size_t)-1)
        return false;
    hl_emit(h, HL_CM, hl_line_end(h, end + 5) - p);
    return true;
}

/* The rules for a regular expression that a '/' starts, at pos (the \s*
 * before it, or the '/'): emitted, true. */
static bool
regex_start(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, gap = hl_space(h, p, true);
    if (hl_at(h, p + gap) != '/')
        return false;
    if (regex_may_follow(h, p) || (!gap && hl_in(before(h, p), "(,[")) ||
        (gap && !hl_in(hl_at(h, p + gap + 1), "=") && !hl_space(h, p + gap + 1, true))) {
        if (gap)
            hl_emit(h, HL_TEXT, gap);
        hl_emit(h, HL_SR, 1);
        hl_stack_push(&r->st, ML_REGEX);
        return true;
    }
    return false;
}

/* Operators after strings and names: (\.|::) and a method name or operator,
 * then the operators and punctuation marks. */
static void
operator(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    char c = h->s[p];
    int d = hl_at(h, p + 1);
    if (c == '.' && (n = ruby_operator(h, p + 1))) {
        hl_emit(h, HL_O, 1);
        hl_emit(h, HL_N, n);   /* Name.Operator: n */
    } else if (c == '.' && (n = name_len(h, p + 1))) {
        hl_emit(h, HL_O, 1);
        hl_emit(h, HL_N, n + hl_in(hl_at(h, p + 1 + n), "!?"));
    } else if (c == '.' && hl_in(d, "*%&^`~+-/[<>=")) {
        hl_emit(h, HL_O, 1);
        hl_emit(h, HL_N, 1);
    } else if (c == '[' || c == ']') {
        hl_emit(h, HL_O, 1);
    } else if ((c == '*' && d == '*') || (c == '<' && d == '<') || (c == '>' && d == '>') ||
               (c == '=' && d == '~') || (c == '!' && d == '~') || (c == '&' && d == '&') ||
               (c == '|' && d == '|')) {
        hl_emit(h, HL_O, 2);
    } else if (c == '<' || c == '>' || c == '&') {
        hl_emit(h, HL_O, 1);
    } else if (hl_starts(h, p, "===", 3)) {
        hl_emit(h, HL_O, 3);
    } else if (c == '.') {
        hl_emit(h, HL_O, hl_span(h, p, ".", 3));
    } else if (hl_in(c, "-+/*%=<>&!^|~")) {
        hl_emit(h, HL_O, 1 + (d == '='));
    } else if (hl_in(c, "(){};,/?:\\")) {
        hl_emit(h, HL_P, 1);
    } else {
        hl_no_match(h, &r->st);
    }
}

static void
root(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    unsigned char c = (unsigned char)h->s[p];
    if (c < 0x80 && is_name_start(c)) {
        word(r);
    } else if (c == '#') {
        bool bang = p == h->base && hl_at(h, p + 1) == '!' && p + 2 < h->end;
        size_t eol = bang ? hl_line_end(h, p + 3) : hl_line_end(h, p);
        hl_emit(h, bang ? HL_CH : HL_C1, eol - p);
    } else if (c == '=' && begin_comment(r)) {
        return;
    } else if (c == '<' && hl_at(h, p + 1) == '<' && heredoc(r)) {
        return;
    } else if ((c == '/' || hl_space(h, p, true)) && regex_start(r)) {
        return;
    } else if (c >= '0' && c <= '9' ? number(h) : c >= 0x80 && hl_digits(h, p) && number(h)) {
        return;
    } else if ((c == '@' || c == '$') && variable(h)) {
        return;
    } else if (c == ':' && hl_at(h, p + 1) == ':') {
        hl_emit(h, HL_O, 2);
    } else if (c == ':' && symbol(r)) {
        return;
    } else if (c == '"' || c == '\'' || (c == '`' && before(h, p) != '.')) {
        hl_emit(h, c == '"' ? HL_S2 : c == '\'' ? HL_S1 : HL_SB, 1);
        hl_stack_push(&r->st, c == '"' ? S_DOUBLE : c == '\'' ? S_SINGLE : S_BACKTICK);
    } else if (c == '%' && percent(r)) {
        return;
    } else if ((n = hl_space(h, p, true))) {
        if (!spaced_percent(r, n))
            hl_emit(h, HL_TEXT, n);
    } else if (c == '?' && character(h)) {
        return;
    } else {
        operator(r);
    }
}

/* ---- the other states ------------------------------------------------------------------ */

/* A method name after def: (scope.)?name, an operator, [] or `. */
static size_t
method_name(const struct hl *h, size_t p)
{
    static const char *const ops[] = {   /* in the regex's order */
        "!=", "!~", "=~", "**", "*", "-@", "+@", "!@", "~@", "-", "+", "!", "~",
        "/", "%", "&", "|", "^", "<=>", "<<", "<=", "<", ">>", ">=", ">", "===", "==",
        "[]=", "[]", "`",
    };
    size_t q = p;
    int32_t cp;
    if (p < h->end) {
        size_t n = hl_char(h, p, &cp);
        if (is_alpha(cp) || (cp >= 0x80 && cp <= 0xffff)) {
            for (q = p + n; q < h->end; q += n) {
                n = hl_char(h, q, &cp);
                if (!(is_alpha(cp) || (cp >= '0' && cp <= '9') || cp == '_' ||
                      (cp >= 0x80 && cp <= 0xffff)))
                    break;
            }
            return q + hl_in(hl_at(h, q), "!?=") - p;
        }
    }
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i]);
        if (hl_starts(h, p, ops[i], n))
            return n;
    }
    return 0;
}

static void
funcname(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, scope = name_len(h, p), n;
    if (h->s[p] == '(') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&r->st, DEFEXPR);
        return;
    }
    hl_stack_pop(&r->st);
    if (scope && hl_at(h, p + scope) == '.' && (n = method_name(h, p + scope + 1))) {
        hl_emit(h, HL_NC, scope);
        hl_emit(h, HL_O, 1);
        hl_emit(h, HL_NF, n);
    } else if ((n = method_name(h, p))) {
        hl_emit(h, HL_NF, n);
    }
}

static void
classname(struct ruby *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    if (h->s[p] == '(') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&r->st, DEFEXPR);
        return;
    }
    hl_stack_pop(&r->st);
    if (hl_starts(h, p, "<<", 2))
        hl_emit(h, HL_O, 2);
    else if ((h->s[p] == '_' || (h->s[p] >= 'A' && h->s[p] <= 'Z')) &&
             (n = 1 + hl_word_run(h, p + 1)))
        hl_emit(h, HL_NC, n);
}

static void
step(struct ruby *r)
{
    struct hl *h = r->h;
    unsigned state = hl_stack_top(&r->st);
    char c = h->s[h->pos];
    switch (state) {
    case FUNCNAME: funcname(r); break;
    case CLASSNAME: classname(r); break;
    case DEFEXPR:
        if (c == ')') {
            hl_emit(h, HL_P, 1);
            if (hl_at(h, h->pos) == '.' || hl_starts(h, h->pos, "::", 2))
                hl_emit(h, HL_O, h->s[h->pos] == '.' ? 1 : 2);
            hl_stack_pop(&r->st);
        } else if (c == '(') {
            hl_emit(h, HL_O, 1);
            hl_stack_push(&r->st, DEFEXPR);
        } else {
            root(r);
        }
        break;
    case IN_INTP:
        if (c == '{' || c == '}') {
            hl_emit(h, HL_SI, 1);
            if (c == '{')
                hl_stack_push(&r->st, IN_INTP);
            else
                hl_stack_pop(&r->st);
        } else {
            root(r);
        }
        break;
    case INTERP_REGEX: interpolated(r, HL_SR); break;
    case INTERP_STRING: interpolated(r, HL_SX); break;
    case ML_REGEX: ml_regex(r); break;
    case END_PART:
        hl_emit(h, HL_CP, h->end - h->pos);
        hl_stack_pop(&r->st);
        break;
    case S_DOUBLE: simple_string(r, '"', HL_S2); break;
    case S_SINGLE: simple_string(r, '\'', HL_S1); break;
    case S_SYM: simple_string(r, '"', HL_SS); break;
    case S_BACKTICK: simple_string(r, '`', HL_SB); break;
    case ROOT: root(r); break;
    default: braced(r, state);
    }
}

void
lex_ruby(struct hl *h)
{
    struct shared sh = { .budget = 8 * (h->end - h->pos) + 65536,
                         .end_comment = HL_SEEK_INIT };
    struct ruby r = { .h = h, .sh = &sh, .failed_from = (size_t)-1 };
    hl_stack_init(&r.st, ROOT);
    while (h->pos < h->end)
        step(&r);
    hl_stack_dispose(&r.st);
}
