/* lex_rust.c: the Rust lexer of the highlighter, after Pygments' RustLexer
 * (pygments/lexers/rust.py in Debian's Pygments 2.14) state by state:
 * comments and doc comments (sd), keywords (k, kr, kd, kc), primitive types
 * (kt), prelude names (nb), builtin macros (fm), the names after fn, mod,
 * struct and a ':' or '->' (nf, nn, nc), lifetimes (na), labels (nl),
 * numbers and their suffixes, strings and raw strings, attributes (cp). */
#include "lexer.h"

/* Pygments' states; 'root' is only the shebang test at the start. */
enum {
    BASE, COMMENT, DOCCOMMENT, MODNAME, FUNCNAME, TYPENAME, LIFETIME, NUMBER_LIT,
    STRING, BYTESTRING, ATTRIBUTE,
};

/* What the word rules of 'base' do with a word. */
enum kind {
    PLAIN,      /* the class, nothing more */
    PUSH,       /* the class, then the state */
    TYPEWORD,   /* a primitive type (kt), also in 'typename' */
    PRELUDE,    /* a prelude name (nb), also in 'typename' */
    MACRO,      /* fm with the '!' right after it, else a name */
    DEFAULT,    /* default type|fn */
    JUMP,       /* break and continue, with a label after them */
};

/* Sorted by strcmp. */
static const struct word {
    const char *w;
    enum hl_class cls;
    enum kind kind;
    unsigned char state;
} words[] = {
    {"AsMut", HL_NB, PRELUDE, 0}, {"AsRef", HL_NB, PRELUDE, 0}, {"Box", HL_NB, PRELUDE, 0},
    {"Clone", HL_NB, PRELUDE, 0}, {"Copy", HL_NB, PRELUDE, 0},
    {"Default", HL_NB, PRELUDE, 0}, {"DoubleEndedIterator", HL_NB, PRELUDE, 0},
    {"Drop", HL_NB, PRELUDE, 0}, {"Eq", HL_NB, PRELUDE, 0}, {"Err", HL_NB, PRELUDE, 0},
    {"ExactSizeIterator", HL_NB, PRELUDE, 0}, {"Extend", HL_NB, PRELUDE, 0},
    {"Fn", HL_NB, PRELUDE, 0}, {"FnMut", HL_NB, PRELUDE, 0},
    {"FnOnce", HL_NB, PRELUDE, 0}, {"From", HL_NB, PRELUDE, 0},
    {"Into", HL_NB, PRELUDE, 0}, {"IntoIterator", HL_NB, PRELUDE, 0},
    {"Iterator", HL_NB, PRELUDE, 0}, {"None", HL_NB, PRELUDE, 0},
    {"Ok", HL_NB, PRELUDE, 0}, {"Option", HL_NB, PRELUDE, 0}, {"Ord", HL_NB, PRELUDE, 0},
    {"PartialEq", HL_NB, PRELUDE, 0}, {"PartialOrd", HL_NB, PRELUDE, 0},
    {"Result", HL_NB, PRELUDE, 0}, {"Self", HL_BP, PLAIN, 0}, {"Send", HL_NB, PRELUDE, 0},
    {"Sized", HL_NB, PRELUDE, 0}, {"Some", HL_NB, PRELUDE, 0},
    {"String", HL_NB, PRELUDE, 0}, {"Sync", HL_NB, PRELUDE, 0},
    {"ToOwned", HL_NB, PRELUDE, 0}, {"ToString", HL_NB, PRELUDE, 0},
    {"Unpin", HL_NB, PRELUDE, 0}, {"Vec", HL_NB, PRELUDE, 0},
    {"abstract", HL_KR, PLAIN, 0}, {"as", HL_K, PLAIN, 0}, {"asm", HL_FM, MACRO, 0},
    {"assert", HL_FM, MACRO, 0}, {"assert_eq", HL_FM, MACRO, 0},
    {"assert_ne", HL_FM, MACRO, 0}, {"async", HL_K, PLAIN, 0}, {"await", HL_K, PLAIN, 0},
    {"become", HL_KR, PLAIN, 0}, {"bool", HL_KT, TYPEWORD, 0}, {"box", HL_K, PLAIN, 0},
    {"break", HL_K, JUMP, 0}, {"cfg", HL_FM, MACRO, 0}, {"char", HL_KT, TYPEWORD, 0},
    {"column", HL_FM, MACRO, 0}, {"compile_error", HL_FM, MACRO, 0},
    {"concat", HL_FM, MACRO, 0}, {"concat_idents", HL_FM, MACRO, 0},
    {"const", HL_K, PLAIN, 0}, {"continue", HL_K, JUMP, 0}, {"crate", HL_K, PLAIN, 0},
    {"dbg", HL_FM, MACRO, 0}, {"debug_assert", HL_FM, MACRO, 0},
    {"debug_assert_eq", HL_FM, MACRO, 0}, {"debug_assert_ne", HL_FM, MACRO, 0},
    {"default", HL_K, DEFAULT, 0}, {"do", HL_KR, PLAIN, 0}, {"drop", HL_NB, PRELUDE, 0},
    {"dyn", HL_K, PLAIN, 0}, {"else", HL_K, PLAIN, 0}, {"enum", HL_K, PUSH, TYPENAME},
    {"env", HL_FM, MACRO, 0}, {"eprint", HL_FM, MACRO, 0},
    {"eprintln", HL_FM, MACRO, 0}, {"extern", HL_K, PLAIN, 0},
    {"f32", HL_KT, TYPEWORD, 0}, {"f64", HL_KT, TYPEWORD, 0},
    {"false", HL_KC, PLAIN, 0}, {"file", HL_FM, MACRO, 0}, {"final", HL_KR, PLAIN, 0},
    {"fn", HL_K, PUSH, FUNCNAME}, {"for", HL_K, PLAIN, 0}, {"format", HL_FM, MACRO, 0},
    {"format_args", HL_FM, MACRO, 0}, {"format_args_nl", HL_FM, MACRO, 0},
    {"global_asm", HL_FM, MACRO, 0}, {"i128", HL_KT, TYPEWORD, 0},
    {"i16", HL_KT, TYPEWORD, 0}, {"i32", HL_KT, TYPEWORD, 0},
    {"i64", HL_KT, TYPEWORD, 0}, {"i8", HL_KT, TYPEWORD, 0}, {"if", HL_K, PLAIN, 0},
    {"impl", HL_K, PLAIN, 0}, {"in", HL_K, PLAIN, 0}, {"include", HL_FM, MACRO, 0},
    {"include_bytes", HL_FM, MACRO, 0}, {"include_str", HL_FM, MACRO, 0},
    {"is_aarch64_feature_detected", HL_FM, MACRO, 0},
    {"is_arm_feature_detected", HL_FM, MACRO, 0},
    {"is_mips64_feature_detected", HL_FM, MACRO, 0},
    {"is_mips_feature_detected", HL_FM, MACRO, 0},
    {"is_powerpc64_feature_detected", HL_FM, MACRO, 0},
    {"is_powerpc_feature_detected", HL_FM, MACRO, 0},
    {"is_x86_feature_detected", HL_FM, MACRO, 0}, {"isize", HL_KT, TYPEWORD, 0},
    {"let", HL_KD, PLAIN, 0}, {"line", HL_FM, MACRO, 0}, {"llvm_asm", HL_FM, MACRO, 0},
    {"log_syntax", HL_FM, MACRO, 0}, {"loop", HL_K, PLAIN, 0},
    {"macro", HL_KR, PLAIN, 0}, {"macro_rules", HL_FM, MACRO, 0},
    {"match", HL_K, PLAIN, 0}, {"matches", HL_FM, MACRO, 0},
    {"mod", HL_K, PUSH, MODNAME}, {"module_path", HL_FM, MACRO, 0},
    {"move", HL_K, PLAIN, 0}, {"mut", HL_K, PLAIN, 0}, {"option_env", HL_FM, MACRO, 0},
    {"override", HL_KR, PLAIN, 0}, {"panic", HL_FM, MACRO, 0},
    {"print", HL_FM, MACRO, 0}, {"println", HL_FM, MACRO, 0}, {"priv", HL_KR, PLAIN, 0},
    {"pub", HL_K, PLAIN, 0}, {"ref", HL_K, PLAIN, 0}, {"return", HL_K, PLAIN, 0},
    {"self", HL_BP, PLAIN, 0}, {"static", HL_K, PLAIN, 0}, {"str", HL_KT, TYPEWORD, 0},
    {"stringify", HL_FM, MACRO, 0}, {"struct", HL_K, PUSH, TYPENAME},
    {"super", HL_K, PLAIN, 0}, {"thread_local", HL_FM, MACRO, 0},
    {"todo", HL_FM, MACRO, 0}, {"trace_macros", HL_FM, MACRO, 0},
    {"trait", HL_K, PLAIN, 0}, {"true", HL_KC, PLAIN, 0}, {"try", HL_KR, PLAIN, 0},
    {"type", HL_K, PUSH, TYPENAME}, {"typeof", HL_KR, PLAIN, 0},
    {"u128", HL_KT, TYPEWORD, 0}, {"u16", HL_KT, TYPEWORD, 0},
    {"u32", HL_KT, TYPEWORD, 0}, {"u64", HL_KT, TYPEWORD, 0}, {"u8", HL_KT, TYPEWORD, 0},
    {"unimplemented", HL_FM, MACRO, 0}, {"union", HL_K, PUSH, TYPENAME},
    {"unreachable", HL_FM, MACRO, 0}, {"unsafe", HL_K, PLAIN, 0},
    {"unsized", HL_KR, PLAIN, 0}, {"use", HL_K, PLAIN, 0},
    {"usize", HL_KT, TYPEWORD, 0}, {"vec", HL_FM, MACRO, 0},
    {"virtual", HL_KR, PLAIN, 0}, {"where", HL_K, PLAIN, 0}, {"while", HL_K, PLAIN, 0},
    {"write", HL_FM, MACRO, 0}, {"writeln", HL_FM, MACRO, 0}, {"yield", HL_KR, PLAIN, 0},
};
static struct hl_words word_index = HL_WORDS(words);

/* Raw strings closed by '"' and k '#' for k below this have a search each. */
#define RAW_SEEKS 8

struct rust {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek raw[RAW_SEEKS];
    /* no '"' and raw_fail_k or more '#' at or after raw_fail_from */
    size_t raw_fail_from, raw_fail_k;
};

/* ---- scanners --------------------------------------------------------------------- */

static bool
is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* [a-zA-Z_]\w* at p: its length, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    return is_alpha(hl_at(h, p)) ? hl_word_run(h, p) : 0;
}

/* The entry of the whole word of n bytes at p, or NULL. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t n)
{
    int i = n >= 2 ? hl_words_find(&word_index, h->s + p, n) : -1;
    return i < 0 ? NULL : &words[i];
}

/* The escapes of 'string' at p (a backslash): \\['"\\nrt], \x[0-7][hex], \0,
 * \u{1 to 6 hex}; with bytes also \x[89a-fA-F][hex]. Their length, or 0. */
static size_t
escape_len(const struct hl *h, size_t p, bool bytes)
{
    int c = hl_at(h, p + 1);
    if (hl_in(c, "'\"\\nrt0"))
        return 2;
    if (c == 'x' && hl_in(hl_at(h, p + 3), HL_HEX) &&
        hl_in(hl_at(h, p + 2), bytes ? HL_HEX : "01234567"))
        return 4;
    if (c == 'u' && hl_at(h, p + 2) == '{') {
        size_t n = hl_span(h, p + 3, HL_HEX, 6);
        return n && hl_at(h, p + 3 + n) == '}' ? n + 4 : 0;
    }
    return 0;
}

/* A character literal at p (after a b, when bytes): a quote, an escape or
 * any character but a newline, a quote. Its length, or 0. */
static size_t
char_literal(const struct hl *h, size_t p, bool bytes)
{
    size_t q = p + 1, n;
    int32_t cp;
    if (q >= h->end || h->s[q] == '\n')
        return 0;
    if (h->s[q] == '\\' && (n = escape_len(h, q, bytes)) && hl_at(h, q + n) == '\'')
        return n + 2;
    n = hl_char(h, q, &cp);   /* '.', a backslash too */
    return hl_at(h, q + n) == '\'' ? n + 2 : 0;
}

/* The end of the raw string whose k '#' and '"' end at q: after the first
 * '"' followed by k '#', or 0 if none. Searches are remembered per k. */
static size_t
raw_end(struct rust *r, size_t q, size_t k)
{
    const struct hl *h = r->h;
    if (q >= r->raw_fail_from && k >= r->raw_fail_k)
        return 0;
    for (size_t from = q;;) {
        size_t at;
        if (k < RAW_SEEKS) {
            char needle[RAW_SEEKS] = "\"#######";
            at = hl_seek(h, &r->raw[k], needle, k + 1, from);
        } else {
            const char *hit = memchr(h->s + from, '"', h->end - from);
            at = hit ? (size_t)(hit - h->s) : (size_t)-1;
        }
        if (at == (size_t)-1)
            break;
        if (k < RAW_SEEKS || hl_span(h, at + 1, "#", k) == k)
            return at + 1 + k;
        from = at + 1;
    }
    r->raw_fail_from = q;
    r->raw_fail_k = k;
    return 0;
}

/* b?r(#*)".*?"\1 at p: its length, or 0. */
static size_t
raw_string(struct rust *r, size_t p)
{
    const struct hl *h = r->h;
    size_t q = p + (hl_at(h, p) == 'b');
    if (hl_at(h, q) != 'r')
        return 0;
    size_t k = hl_span(h, q + 1, "#", SIZE_MAX);
    if (hl_at(h, q + 1 + k) != '"')
        return 0;
    size_t end = raw_end(r, q + 2 + k, k);
    return end ? end - p : 0;
}

/* ---- numbers ----------------------------------------------------------------------- */

/* The run of [0-9_] at p. */
static size_t
digits_(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && ((h->s[q] >= '0' && h->s[q] <= '9') || h->s[q] == '_'))
        q++;
    return q - p;
}

/* [eE][+\-]?[0-9_]+ at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p)
{
    if (!hl_in(hl_at(h, p), "eE"))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = digits_(h, q);
    return d ? q + d - p : 0;
}

/* The float rule after the integer part that ends at q:
 * \.[0-9_]+[eE][+\-]?[0-9_]+ | \.[0-9_]*(?!\.) | [eE][+\-]?[0-9_]+ */
static size_t
float_tail(const struct hl *h, size_t q)
{
    if (hl_at(h, q) == '.') {
        size_t f = digits_(h, q + 1), e = f ? exponent(h, q + 1 + f) : 0;
        if (e)
            return 1 + f + e;
        if (hl_at(h, q + 1 + f) != '.')
            return 1 + f;
        if (f)
            return f;   /* backs off one digit, which is no '.' */
    }
    return exponent(h, q);
}

/* The number rules, which push 'number_lit'. */
static bool
number(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    int c = hl_at(h, p + 1);
    if (h->s[p] == '0' && c == 'b' && (n = hl_span(h, p + 2, "01_", SIZE_MAX)))
        hl_emit(h, HL_MB, n + 2);
    else if (h->s[p] == '0' && c == 'o' && (n = hl_span(h, p + 2, "01234567_", SIZE_MAX)))
        hl_emit(h, HL_MO, n + 2);
    else if (h->s[p] == '0' && (c == 'x' || c == 'X') &&
             (n = hl_span(h, p + 2, "0123456789abcdefABCDEF_", SIZE_MAX)))
        hl_emit(h, HL_MH, n + 2);
    else if ((n = float_tail(h, p + digits_(h, p))))
        hl_emit(h, HL_MF, digits_(h, p) + n);
    else
        hl_emit(h, HL_MI, digits_(h, p));
    hl_stack_push(&r->st, NUMBER_LIT);
    return true;
}

/* 'number_lit': [ui](8|16|32|64|size) or f(32|64) as a keyword. */
static void
number_lit(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = 0;
    int c = h->s[p];
    if (c == 'u' || c == 'i') {
        if (hl_at(h, p + 1) == '8')
            n = 2;
        else if (hl_starts(h, p + 1, "16", 2) || hl_starts(h, p + 1, "32", 2) ||
                 hl_starts(h, p + 1, "64", 2))
            n = 3;
        else if (hl_starts(h, p + 1, "size", 4))
            n = 5;
    } else if (c == 'f' && (hl_starts(h, p + 1, "32", 2) || hl_starts(h, p + 1, "64", 2))) {
        n = 3;
    }
    if (n)
        hl_emit(h, HL_K, n);
    hl_stack_pop(&r->st);
}

/* ---- base --------------------------------------------------------------------------- */

/* The comments and doc comments of 'base' at pos; false if none. */
static bool
comment(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, eol;
    if (hl_at(h, p + 1) == '/') {
        eol = hl_line_end(h, p);
        if (eol >= h->end)
            return false;   /* .*?\n wants a newline */
        int c = hl_at(h, p + 2), d = hl_at(h, p + 3);
        bool doc = c == '!' || (c == '/' && d != '/');
        hl_emit(h, doc ? HL_SD : HL_C1, eol + 1 - p);
        return true;
    }
    if (hl_at(h, p + 1) != '*')
        return false;
    int c = hl_at(h, p + 2), d = hl_at(h, p + 3);
    if ((c == '*' && d != -1 && d != '/' && d != '*') || c == '!') {
        hl_emit(h, HL_SD, 3 + (c == '*'));
        hl_stack_push(&r->st, DOCCOMMENT);
    } else {
        hl_emit(h, HL_CM, 2);
        hl_stack_push(&r->st, COMMENT);
    }
    return true;
}

/* \$([a-zA-Z_]\w*|\(,?|\),?|,?) at pos. */
static void
macro_param(struct hl *h)
{
    size_t p = h->pos + 1, n = name_len(h, p);
    if (!n) {
        n = hl_in(hl_at(h, p), "()");
        n += hl_at(h, p + n) == ',';
    }
    hl_emit(h, HL_CP, 1 + n);
}

/* break or continue: the keyword, \b\s*, perhaps a label. */
static void
jump(struct hl *h, size_t n)
{
    hl_emit(h, HL_K, n);
    size_t ws = hl_space(h, h->pos, true), l;
    if (ws)
        hl_emit(h, HL_TEXT, ws);
    if (hl_at(h, h->pos) == '\'' && (l = name_len(h, h->pos + 1)))
        hl_emit(h, HL_NL, l + 1);
}

/* A word of 'base' at pos: b'', b"", raw strings, then the word rules and
 * the name rule. */
static void
word(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = hl_word_run(h, p), ws;
    int c = h->s[p];
    if (c == 'b' && hl_at(h, p + 1) == '\'' && (ws = char_literal(h, p + 1, true))) {
        hl_emit(h, HL_SC, ws + 1);
        return;
    }
    if (c == 'b' && hl_at(h, p + 1) == '"') {
        hl_emit(h, HL_S, 2);
        hl_stack_push(&r->st, BYTESTRING);
        return;
    }
    if ((c == 'b' || c == 'r') && n <= 2 && (ws = raw_string(r, p))) {
        hl_emit(h, HL_S, ws);
        return;
    }
    const struct word *w = lookup(h, p, n);
    if (!w) {
        hl_emit(h, HL_N, n);
        return;
    }
    switch (w->kind) {
    case PUSH:
        hl_emit(h, w->cls, n);
        hl_stack_push(&r->st, w->state);
        return;
    case MACRO:
        hl_emit(h, hl_at(h, p + n) == '!' ? HL_FM : HL_N, n + (hl_at(h, p + n) == '!'));
        return;
    case JUMP:
        jump(h, n);
        return;
    case DEFAULT:
        ws = hl_space(h, p + n, true);
        if (ws && (hl_starts(h, p + n + ws, "type", 4) || hl_starts(h, p + n + ws, "fn", 2))) {
            size_t k = h->s[p + n + ws] == 't' ? 4 : 2;
            if (hl_boundary(h, p + n + ws + k)) {
                hl_emit(h, HL_K, n);
                hl_emit(h, HL_TEXT, ws);
                hl_emit(h, HL_K, k);
                return;
            }
        }
        hl_emit(h, HL_N, n);
        return;
    default:
        hl_emit(h, w->cls, n);
    }
}

/* ':', '::' and '->' : Text, and the first and last push 'typename'. */
static bool
path_or_type(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos;
    if (h->s[p] == ':' && hl_at(h, p + 1) == ':' && hl_word_at(h, p + 2)) {
        hl_emit(h, HL_TEXT, 2);
        return true;
    }
    if (h->s[p] == ':' || (h->s[p] == '-' && hl_at(h, p + 1) == '>')) {
        hl_emit(h, HL_TEXT, h->s[p] == ':' ? 1 : 2);
        hl_stack_push(&r->st, TYPENAME);
        return true;
    }
    return false;
}

/* The one-byte punctuation (1) and operators (2) of 'base'. */
static const unsigned char op_kind[256] = {
    ['{'] = 1, ['}'] = 1, ['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, [','] = 1, ['.'] = 1,
    [';'] = 1, ['+'] = 2, ['*'] = 2, ['/'] = 2, ['%'] = 2, ['&'] = 2, ['|'] = 2, ['<'] = 2,
    ['>'] = 2, ['^'] = 2, ['!'] = 2, ['~'] = 2, ['@'] = 2, ['='] = 2, ['?'] = 2,
};

static void
base(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if (is_alpha(c)) {   /* no rule before the words takes a letter */
        word(r);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (c == '/' && comment(r)) {
        return;
    } else if (c == '$') {
        macro_param(h);
    } else if (c == ':' || c == '-') {
        if (!path_or_type(r))
            hl_emit(h, HL_O, 1);
    } else if (c == '\'') {
        if ((n = char_literal(h, p, false))) {
            hl_emit(h, HL_SC, n);
        } else {
            hl_emit(h, HL_O, 1);
            hl_stack_push(&r->st, LIFETIME);
        }
    } else if (c >= '0' && c <= '9') {
        number(r);
    } else if (c == '"') {
        hl_emit(h, HL_S, 1);
        hl_stack_push(&r->st, STRING);
    } else if (c == '.' && hl_at(h, p + 1) == '.') {
        hl_emit(h, HL_O, 2 + (hl_at(h, p + 2) == '='));
    } else if (op_kind[c]) {
        hl_emit(h, op_kind[c] == 1 ? HL_P : HL_O, 1);
    } else if (c == '#') {
        bool bang = hl_at(h, p + 1) == '!';
        if (hl_at(h, p + 1 + bang) == '[') {
            hl_emit(h, HL_CP, 2 + bang);
            hl_stack_push(&r->st, ATTRIBUTE);
        } else {
            hl_emit(h, HL_TEXT, 1);
        }
    } else {
        hl_no_match(h, &r->st);
    }
}

/* ---- the other states ---------------------------------------------------------------- */

/* 'comment' and 'doccomment', nested. */
static void
block_comment(struct rust *r, enum hl_class cls)
{
    static const bool stop[256] = { ['*'] = true, ['/'] = true };
    struct hl *h = r->h;
    size_t p = h->pos, n = hl_until(h, p, stop);
    if (n) {
        hl_emit(h, cls, n);
    } else if (h->s[p] == '/' && hl_at(h, p + 1) == '*') {
        hl_emit(h, cls, 2);
        hl_stack_push(&r->st, hl_stack_top(&r->st));
    } else if (h->s[p] == '*' && hl_at(h, p + 1) == '/') {
        hl_emit(h, cls, 2);
        hl_stack_pop(&r->st);
    } else {
        hl_emit(h, cls, 1);
    }
}

/* 'modname' and 'funcname': spaces, then a name of class cls, or nothing. */
static void
name_after(struct rust *r, enum hl_class cls)
{
    struct hl *h = r->h;
    size_t n = hl_space(h, h->pos, true);
    if (n) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if ((n = name_len(h, h->pos)))
        hl_emit(h, cls, n);
    hl_stack_pop(&r->st);
}

static void
typename(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n = hl_space(h, p, true);
    const struct word *w;
    if (n) {
        hl_emit(h, HL_TEXT, n);
    } else if (h->s[p] == '&') {
        hl_emit(h, HL_KP, 1);
    } else if (h->s[p] == '\'') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&r->st, LIFETIME);
    } else if ((n = name_len(h, p))) {
        w = lookup(h, p, n);
        if (w && (w->kind == PRELUDE || w->kind == TYPEWORD)) {
            hl_emit(h, w->cls, n);
        } else {
            hl_emit(h, HL_NC, n);
            hl_stack_pop(&r->st);
        }
    } else {
        hl_stack_pop(&r->st);
    }
}

/* 'lifetime': (static|_) as builtins, [a-zA-Z_]+\w* as attributes. */
static void
lifetime(struct rust *r)
{
    struct hl *h = r->h;
    size_t p = h->pos, n;
    if (hl_starts(h, p, "static", 6))
        hl_emit(h, HL_NB, 6);
    else if (h->s[p] == '_')
        hl_emit(h, HL_NB, 1);
    else if ((n = name_len(h, p)))
        hl_emit(h, HL_NA, n);
    else
        hl_stack_pop(&r->st);
}

/* 'string' and 'bytestring'. */
static void
string(struct rust *r, bool bytes)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true };
    struct hl *h = r->h;
    size_t p = h->pos, n;
    if (h->s[p] == '"') {
        hl_emit(h, HL_S, 1);
        hl_stack_pop(&r->st);
    } else if (h->s[p] == '\\') {
        n = escape_len(h, p, bytes);
        hl_emit(h, n ? HL_SE : HL_S, n ? n : 1);
    } else {
        hl_emit(h, HL_S, hl_until(h, p, stop));
    }
}

/* 'attribute[': strings, nested brackets, the rest preprocessor text. */
static void
attribute(struct rust *r)
{
    static const bool stop[256] = { ['"'] = true, ['['] = true, [']'] = true };
    struct hl *h = r->h;
    char c = h->s[h->pos];
    if (c == '"') {
        hl_emit(h, HL_S, 1);
        hl_stack_push(&r->st, STRING);
    } else if (c == '[') {
        hl_emit(h, HL_CP, 1);
        hl_stack_push(&r->st, ATTRIBUTE);
    } else if (c == ']') {
        hl_emit(h, HL_CP, 1);
        hl_stack_pop(&r->st);
    } else {
        hl_emit(h, HL_CP, hl_until(h, h->pos, stop));
    }
}

/* 'root': a shebang line that is no inner attribute, at the start only. */
static void
shebang(struct hl *h)
{
    size_t p = h->pos;
    if (hl_starts(h, p, "#!", 2) && p + 2 < h->end && !hl_in(h->s[p + 2], "[\r\n"))
        hl_emit(h, HL_CP, hl_line_end(h, p) - p);
}

void
lex_rust(struct hl *h)
{
    struct rust r = { .h = h, .raw_fail_from = (size_t)-1, .raw_fail_k = 0 };
    for (size_t i = 0; i < RAW_SEEKS; i++)
        r.raw[i] = (struct hl_seek)HL_SEEK_INIT;
    hl_stack_init(&r.st, BASE);
    shebang(h);
    while (h->pos < h->end) {
        switch (hl_stack_top(&r.st)) {
        case BASE: base(&r); break;
        case COMMENT: block_comment(&r, HL_CM); break;
        case DOCCOMMENT: block_comment(&r, HL_SD); break;
        case MODNAME: name_after(&r, HL_NN); break;
        case FUNCNAME: name_after(&r, HL_NF); break;
        case TYPENAME: typename(&r); break;
        case LIFETIME: lifetime(&r); break;
        case NUMBER_LIT: number_lit(&r); break;
        case STRING: string(&r, false); break;
        case BYTESTRING: string(&r, true); break;
        case ATTRIBUTE: attribute(&r); break;
        }
    }
    hl_stack_dispose(&r.st);
}
