/* lex_cpp.c: the C++ lexer of the highlighter, after Pygments' CppLexer (its
 * CFamilyLexer rules with C++'s keywords): keywords (k, kr, kt), the standard
 * library's typedefs (kt), preprocessor lines (cp, cpf), #if 0 blocks (c),
 * comments, strings, raw strings (sa, dl), characters, numbers, labels (nl),
 * case constants (no), class, enum and namespace names (nc, nn) and function
 * names (nf), with Pygments' stack of states, which a namespace's braces
 * leave deeper and an unclosed string's newline resets. */
#include "lex_c.h"

/* Pygments' states; those below MACRO are statement-like. */
enum state { ROOT, STATEMENT, FUNCTION, CASE_VALUE, NAMESPACE, ENUMNAME, CLASSNAME, MACRO,
             IF0 };

/* What a word does besides its class. */
enum action {
    PLAIN,      /* a keyword or type like any other */
    CLASS_WS,   /* class, concept, typename, struct, union: a class name after spaces */
    ENUM_WS,    /* enum: a class name after spaces, perhaps class or struct */
    NS,         /* namespace */
    CASE,       /* case: names up to ':' are constants */
    TYPE,       /* a type (kt, or kr for __int8 ...), after the function rules */
    CONSTANT,   /* true, false, NULL (nb), after the keywords and types */
    LIB_TYPE,   /* a typedef of the libraries: a name that Pygments calls a type */
};

static const struct word {
    const char *w;
    enum hl_class cls;
    enum action action;
} words[] = {
    /* C++'s keywords */
    {"class", HL_K, CLASS_WS}, {"concept", HL_K, CLASS_WS}, {"typename", HL_K, CLASS_WS},
    {"catch", HL_K, PLAIN}, {"const_cast", HL_K, PLAIN}, {"delete", HL_K, PLAIN},
    {"dynamic_cast", HL_K, PLAIN}, {"explicit", HL_K, PLAIN}, {"export", HL_K, PLAIN},
    {"friend", HL_K, PLAIN}, {"mutable", HL_K, PLAIN}, {"new", HL_K, PLAIN},
    {"operator", HL_K, PLAIN}, {"private", HL_K, PLAIN}, {"protected", HL_K, PLAIN},
    {"public", HL_K, PLAIN}, {"reinterpret_cast", HL_K, PLAIN}, {"restrict", HL_K, PLAIN},
    {"static_cast", HL_K, PLAIN}, {"template", HL_K, PLAIN}, {"this", HL_K, PLAIN},
    {"throw", HL_K, PLAIN}, {"throws", HL_K, PLAIN}, {"try", HL_K, PLAIN},
    {"typeid", HL_K, PLAIN}, {"using", HL_K, PLAIN}, {"virtual", HL_K, PLAIN},
    {"constexpr", HL_K, PLAIN}, {"nullptr", HL_K, PLAIN}, {"decltype", HL_K, PLAIN},
    {"noexcept", HL_K, PLAIN}, {"override", HL_K, PLAIN}, {"final", HL_K, PLAIN},
    {"constinit", HL_K, PLAIN}, {"consteval", HL_K, PLAIN}, {"co_await", HL_K, PLAIN},
    {"co_return", HL_K, PLAIN}, {"co_yield", HL_K, PLAIN}, {"requires", HL_K, PLAIN},
    {"import", HL_K, PLAIN}, {"module", HL_K, PLAIN},
    {"namespace", HL_K, NS}, {"enum", HL_K, ENUM_WS},
    /* C's */
    {"struct", HL_K, CLASS_WS}, {"union", HL_K, CLASS_WS}, {"case", HL_K, CASE},
    {"asm", HL_K, PLAIN}, {"auto", HL_K, PLAIN}, {"break", HL_K, PLAIN},
    {"const", HL_K, PLAIN}, {"continue", HL_K, PLAIN}, {"default", HL_K, PLAIN},
    {"do", HL_K, PLAIN}, {"else", HL_K, PLAIN}, {"extern", HL_K, PLAIN},
    {"for", HL_K, PLAIN}, {"goto", HL_K, PLAIN}, {"if", HL_K, PLAIN},
    {"register", HL_K, PLAIN}, {"restricted", HL_K, PLAIN}, {"return", HL_K, PLAIN},
    {"sizeof", HL_K, PLAIN}, {"static", HL_K, PLAIN}, {"switch", HL_K, PLAIN},
    {"typedef", HL_K, PLAIN}, {"volatile", HL_K, PLAIN}, {"while", HL_K, PLAIN},
    {"thread_local", HL_K, PLAIN}, {"alignas", HL_K, PLAIN}, {"alignof", HL_K, PLAIN},
    {"static_assert", HL_K, PLAIN}, {"_Pragma", HL_K, PLAIN},
    {"inline", HL_KR, PLAIN}, {"_inline", HL_KR, PLAIN}, {"__inline", HL_KR, PLAIN},
    {"naked", HL_KR, PLAIN}, {"thread", HL_KR, PLAIN},
    {"__m128i", HL_KR, PLAIN}, {"__m128d", HL_KR, PLAIN}, {"__m128", HL_KR, PLAIN},
    {"__m64", HL_KR, PLAIN},
    {"__asm", HL_KR, PLAIN}, {"__based", HL_KR, PLAIN}, {"__except", HL_KR, PLAIN},
    {"__stdcall", HL_KR, PLAIN}, {"__cdecl", HL_KR, PLAIN}, {"__fastcall", HL_KR, PLAIN},
    {"__declspec", HL_KR, PLAIN}, {"__finally", HL_KR, PLAIN}, {"__try", HL_KR, PLAIN},
    {"__leave", HL_KR, PLAIN}, {"__w64", HL_KR, PLAIN}, {"__unaligned", HL_KR, PLAIN},
    {"__raise", HL_KR, PLAIN}, {"__noop", HL_KR, PLAIN}, {"__identifier", HL_KR, PLAIN},
    {"__forceinline", HL_KR, PLAIN}, {"__assume", HL_KR, PLAIN},
    /* types */
    {"char16_t", HL_KT, TYPE}, {"char32_t", HL_KT, TYPE}, {"char8_t", HL_KT, TYPE},
    {"__int8", HL_KR, TYPE}, {"__int16", HL_KR, TYPE}, {"__int32", HL_KR, TYPE},
    {"__int64", HL_KR, TYPE}, {"__wchar_t", HL_KR, TYPE},
    {"bool", HL_KT, TYPE}, {"int", HL_KT, TYPE}, {"long", HL_KT, TYPE},
    {"float", HL_KT, TYPE}, {"short", HL_KT, TYPE}, {"double", HL_KT, TYPE},
    {"char", HL_KT, TYPE}, {"unsigned", HL_KT, TYPE}, {"signed", HL_KT, TYPE},
    {"void", HL_KT, TYPE},
    {"true", HL_NB, CONSTANT}, {"false", HL_NB, CONSTANT}, {"NULL", HL_NB, CONSTANT},
    /* the libraries' typedefs */
    {"size_t", HL_KT, LIB_TYPE}, {"ssize_t", HL_KT, LIB_TYPE}, {"off_t", HL_KT, LIB_TYPE},
    {"wchar_t", HL_KT, LIB_TYPE}, {"ptrdiff_t", HL_KT, LIB_TYPE},
    {"sig_atomic_t", HL_KT, LIB_TYPE}, {"fpos_t", HL_KT, LIB_TYPE},
    {"clock_t", HL_KT, LIB_TYPE}, {"time_t", HL_KT, LIB_TYPE}, {"va_list", HL_KT, LIB_TYPE},
    {"jmp_buf", HL_KT, LIB_TYPE}, {"FILE", HL_KT, LIB_TYPE}, {"DIR", HL_KT, LIB_TYPE},
    {"div_t", HL_KT, LIB_TYPE}, {"ldiv_t", HL_KT, LIB_TYPE}, {"mbstate_t", HL_KT, LIB_TYPE},
    {"wctrans_t", HL_KT, LIB_TYPE}, {"wint_t", HL_KT, LIB_TYPE},
    {"wctype_t", HL_KT, LIB_TYPE},
    {"int8_t", HL_KT, LIB_TYPE}, {"int16_t", HL_KT, LIB_TYPE}, {"int32_t", HL_KT, LIB_TYPE},
    {"int64_t", HL_KT, LIB_TYPE}, {"uint8_t", HL_KT, LIB_TYPE},
    {"uint16_t", HL_KT, LIB_TYPE}, {"uint32_t", HL_KT, LIB_TYPE},
    {"uint64_t", HL_KT, LIB_TYPE}, {"int_least8_t", HL_KT, LIB_TYPE},
    {"int_least16_t", HL_KT, LIB_TYPE}, {"int_least32_t", HL_KT, LIB_TYPE},
    {"int_least64_t", HL_KT, LIB_TYPE}, {"uint_least8_t", HL_KT, LIB_TYPE},
    {"uint_least16_t", HL_KT, LIB_TYPE}, {"uint_least32_t", HL_KT, LIB_TYPE},
    {"uint_least64_t", HL_KT, LIB_TYPE}, {"int_fast8_t", HL_KT, LIB_TYPE},
    {"int_fast16_t", HL_KT, LIB_TYPE}, {"int_fast32_t", HL_KT, LIB_TYPE},
    {"int_fast64_t", HL_KT, LIB_TYPE}, {"uint_fast8_t", HL_KT, LIB_TYPE},
    {"uint_fast16_t", HL_KT, LIB_TYPE}, {"uint_fast32_t", HL_KT, LIB_TYPE},
    {"uint_fast64_t", HL_KT, LIB_TYPE}, {"intptr_t", HL_KT, LIB_TYPE},
    {"uintptr_t", HL_KT, LIB_TYPE}, {"intmax_t", HL_KT, LIB_TYPE},
    {"uintmax_t", HL_KT, LIB_TYPE},
    {"clockid_t", HL_KT, LIB_TYPE}, {"cpu_set_t", HL_KT, LIB_TYPE},
    {"cpumask_t", HL_KT, LIB_TYPE}, {"dev_t", HL_KT, LIB_TYPE}, {"gid_t", HL_KT, LIB_TYPE},
    {"id_t", HL_KT, LIB_TYPE}, {"ino_t", HL_KT, LIB_TYPE}, {"key_t", HL_KT, LIB_TYPE},
    {"mode_t", HL_KT, LIB_TYPE}, {"nfds_t", HL_KT, LIB_TYPE}, {"pid_t", HL_KT, LIB_TYPE},
    {"rlim_t", HL_KT, LIB_TYPE}, {"sig_t", HL_KT, LIB_TYPE},
    {"sighandler_t", HL_KT, LIB_TYPE}, {"siginfo_t", HL_KT, LIB_TYPE},
    {"sigset_t", HL_KT, LIB_TYPE}, {"sigval_t", HL_KT, LIB_TYPE},
    {"socklen_t", HL_KT, LIB_TYPE}, {"timer_t", HL_KT, LIB_TYPE}, {"uid_t", HL_KT, LIB_TYPE},
    {"atomic_bool", HL_KT, LIB_TYPE}, {"atomic_char", HL_KT, LIB_TYPE},
    {"atomic_schar", HL_KT, LIB_TYPE}, {"atomic_uchar", HL_KT, LIB_TYPE},
    {"atomic_short", HL_KT, LIB_TYPE}, {"atomic_ushort", HL_KT, LIB_TYPE},
    {"atomic_int", HL_KT, LIB_TYPE}, {"atomic_uint", HL_KT, LIB_TYPE},
    {"atomic_long", HL_KT, LIB_TYPE}, {"atomic_ulong", HL_KT, LIB_TYPE},
    {"atomic_llong", HL_KT, LIB_TYPE}, {"atomic_ullong", HL_KT, LIB_TYPE},
    {"atomic_char16_t", HL_KT, LIB_TYPE}, {"atomic_char32_t", HL_KT, LIB_TYPE},
    {"atomic_wchar_t", HL_KT, LIB_TYPE}, {"atomic_int_least8_t", HL_KT, LIB_TYPE},
    {"atomic_uint_least8_t", HL_KT, LIB_TYPE}, {"atomic_int_least16_t", HL_KT, LIB_TYPE},
    {"atomic_uint_least16_t", HL_KT, LIB_TYPE}, {"atomic_int_least32_t", HL_KT, LIB_TYPE},
    {"atomic_uint_least32_t", HL_KT, LIB_TYPE}, {"atomic_int_least64_t", HL_KT, LIB_TYPE},
    {"atomic_uint_least64_t", HL_KT, LIB_TYPE}, {"atomic_int_fast8_t", HL_KT, LIB_TYPE},
    {"atomic_uint_fast8_t", HL_KT, LIB_TYPE}, {"atomic_int_fast16_t", HL_KT, LIB_TYPE},
    {"atomic_uint_fast16_t", HL_KT, LIB_TYPE}, {"atomic_int_fast32_t", HL_KT, LIB_TYPE},
    {"atomic_uint_fast32_t", HL_KT, LIB_TYPE}, {"atomic_int_fast64_t", HL_KT, LIB_TYPE},
    {"atomic_uint_fast64_t", HL_KT, LIB_TYPE}, {"atomic_intptr_t", HL_KT, LIB_TYPE},
    {"atomic_uintptr_t", HL_KT, LIB_TYPE}, {"atomic_size_t", HL_KT, LIB_TYPE},
    {"atomic_ptrdiff_t", HL_KT, LIB_TYPE}, {"atomic_intmax_t", HL_KT, LIB_TYPE},
    {"atomic_uintmax_t", HL_KT, LIB_TYPE},
};
static struct hl_words word_index = HL_WORDS(words);

/* A remembered search for the first byte of a set, like hl_seek. */
struct set_seek {
    size_t from, at;
};

/* Raw strings' closers, by delimiter, a few at a time. */
struct raw_seek {
    char needle[20];   /* ")delim\"" */
    size_t n;
    struct hl_seek seek;
};

struct cpp {
    struct hl *h;
    struct hl_stack st;
    int if0;                          /* #if nesting inside IF0 */
    struct hl_seek comment_close;     /* "*\/" */
    struct hl_seek quote, angle;      /* '"' and '>' of #include */
    struct set_seek sig, def, decl;   /* ;"') and ;{/"' and ;/"' */
    struct raw_seek raw[4];
    unsigned raw_next;
    size_t space_from, space_at;      /* whitespace from [from, at] runs to at */
    size_t hash_from, hash_at;        /* a line's text at hash_from: its '#', or -1 */
    /* the name at word_at, looked up once for root and statement */
    size_t word_at, word_n, word_len;
    const struct word *word;
};

/* The bytes that end a function's signature, its tail before '{', and
 * before ';'. */
static const bool sig_stop[256] = { [';'] = true, ['"'] = true, ['\''] = true, [')'] = true };
static const bool def_stop[256] = { [';'] = true, ['{'] = true, ['/'] = true, ['"'] = true,
                                    ['\''] = true };
static const bool decl_stop[256] = { [';'] = true, ['/'] = true, ['"'] = true,
                                     ['\''] = true };

/* The first byte of stop at or after q, or end; remembered in m, whose
 * range a search from before it joins. */
static size_t
next_of(const struct hl *h, struct set_seek *m, const bool stop[256], size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    if (m->from <= q && q <= m->at)
        return m->at;
    size_t r = q;
    for (; r < h->end && !stop[s[r]]; r++)
        if (r == m->from) {
            m->from = q;
            return m->at;
        }
    m->from = q;
    m->at = r;
    return r;
}

/* The end of the whitespace (newlines too) at p, remembered. */
static size_t
space_end(struct cpp *c, size_t p)
{
    if (!(c->space_from <= p && p <= c->space_at)) {
        c->space_from = p;
        c->space_at = p + hl_space(c->h, p, true);
    }
    return c->space_at;
}

/* ---- scanners ----------------------------------------------------------------- */

static inline size_t
ident_len(const struct hl *h, size_t p, bool colons)
{
    bool ascii;
    return c_ident_scan(h, p, colons, &ascii);
}

/* A // comment at p to its (continued) line's newline, exclusive: its
 * length, or 0 if no newline ends it. */
static size_t
line_comment(const struct hl *h, size_t p)
{
    size_t eol = c_logical_line_end(h, p);
    if (eol < h->end)
        return eol - p;
    /* the last line continued into the end: back to the last newline */
    const char *nl = eol > p ? memrchr(h->s + p, '\n', eol - p) : NULL;
    return nl ? (size_t)(nl - h->s) - p : 0;
}

/* A closed block comment at p (slash, star, perhaps a backslash-newline
 * between): its length, or 0. */
static size_t
block_comment(struct cpp *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = p + 1 + (hl_starts(h, p + 1, "\\\n", 2) ? 2 : 0), close;
    if (hl_at(h, q) != '*')
        return 0;
    close = hl_seek(h, &c->comment_close, "*/", 2, q + 1);
    return close == (size_t)-1 ? 0 : close + 2 - p;
}

/* Pygments' _possible_comments at p: spaces and closed comments. */
static size_t
gap_len(struct cpp *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = p, n;
    for (;;) {
        q += hl_space(h, q, true);
        if (hl_at(h, q) != '/')
            break;
        if (hl_at(h, q + 1) == '/' && (n = line_comment(h, q)))
            q += n + 1;
        else if ((n = block_comment(c, q)))
            q += n;
        else
            break;
    }
    return q - p;
}

/* Emits the spaces and comments of a gap of n bytes (or of ws1). */
static void
emit_gap(struct cpp *c, size_t n)
{
    struct hl *h = c->h;
    size_t end = h->pos + n, k;
    while (h->pos < end) {
        if ((k = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, k < end - h->pos ? k : end - h->pos);
        else if (hl_at(h, h->pos + 1) == '/')
            hl_emit(h, HL_C1, line_comment(h, h->pos));
        else
            hl_emit(h, HL_CM, block_comment(c, h->pos));
    }
}

/* Pygments' _ws1 at p: spaces, at most one block comment on one line, spaces. */
static size_t
ws1(struct cpp *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = space_end(c, p);
    if (hl_starts(h, q, "/*", 2)) {
        size_t close = hl_seek(h, &c->comment_close, "*/", 2, q + 2);
        if (close != (size_t)-1 && !memchr(h->s + q, '\n', close - q))
            q = close + 2 + hl_space(h, close + 2, true);
    }
    return q - p;
}

/* _ws1 before a '#' at the line start p: its length, or (size_t)-1. The
 * comment's lazy .*? may reach past a first star-slash to a later one on
 * its line when only that one has the '#' after it. */
static size_t
ws1_hash(struct cpp *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = space_end(c, p);
    if (q == c->hash_from)   /* a blank line before the one just looked at */
        return c->hash_at == (size_t)-1 ? c->hash_at : c->hash_at - p;
    c->hash_from = q;
    c->hash_at = (size_t)-1;
    if (hl_starts(h, q, "/*", 2)) {
        size_t eol = hl_line_end(h, q), from = q + 2, r, close;
        while (from < eol && (close = hl_find(h, from, eol, "*/", 2)) != (size_t)-1) {
            r = close + 2;
            r += hl_space(h, r, true);
            if (hl_at(h, r) == '#') {
                c->hash_at = r;
                return r - p;
            }
            from = close + 1;
        }
    }
    if (hl_at(h, q) != '#')
        return (size_t)-1;
    c->hash_at = q;
    return q - p;
}

/* ---- strings and characters ------------------------------------------------------- */

/* Pygments' 'string' state after the opening quote: text (s), escapes (se),
 * to the closing quote; a newline no backslash escapes resets the stack. */
static void
string_body(struct cpp *c)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true, ['\n'] = true };
    struct hl *h = c->h;
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        char ch = h->s[p];
        if (ch == '"') {
            hl_emit(h, HL_S, 1);
            return;
        }
        if (ch == '\n') {
            hl_stack_reset(&c->st);
            hl_emit(h, HL_TEXT, 1);
            return;
        }
        if (ch == '\\' && (n = c_string_escape(h, p)))
            hl_emit(h, HL_SE, n);
        else if (ch == '\\')
            hl_emit(h, HL_S, 1 + (hl_at(h, p + 1) == '\n'));
        else
            hl_emit(h, HL_S, hl_until(h, p, stop));
    }
}

/* The closer of a raw string with delimiter d[0..n), searched from q:
 * its offset, or (size_t)-1. The last few delimiters' searches are kept. */
static size_t
raw_close(struct cpp *c, const char *d, size_t n, size_t q)
{
    struct raw_seek *r = NULL;
    for (unsigned i = 0; i < 4 && !r; i++)
        if (c->raw[i].n == n + 2 && !memcmp(c->raw[i].needle + 1, d, n))
            r = &c->raw[i];
    if (!r) {
        r = &c->raw[c->raw_next++ % 4];
        r->needle[0] = ')';
        memcpy(r->needle + 1, d, n);
        r->needle[n + 1] = '"';
        r->n = n + 2;
        r->seek = (struct hl_seek)HL_SEEK_INIT;
    }
    return hl_seek(c->h, &r->seek, r->needle, r->n, q);
}

/* A raw string R"d(...)d" with its prefix at pos: emitted, or false. */
static bool
raw_string(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, k = hl_starts(h, p, "u8", 2) ? 2 : hl_in(hl_at(h, p), "LuU");
    if (hl_at(h, p + k) != 'R' || hl_at(h, p + k + 1) != '"')
        return false;
    size_t d = p + k + 2, n = 0;
    while (n <= 16 && d + n < h->end && !hl_in(h->s[d + n], "\\() \t\n\r\f\v"))
        n++;
    if (n > 16 || hl_at(h, d + n) != '(')
        return false;
    size_t close = raw_close(c, h->s + d, n, d + n + 1);
    if (close == (size_t)-1)
        return false;
    hl_emit(h, HL_SA, k + 1);
    hl_emit(h, HL_S, 1);
    if (n)
        hl_emit(h, HL_DL, n);
    hl_emit(h, HL_DL, 1);
    if (close > h->pos)
        hl_emit(h, HL_S, close - h->pos);
    hl_emit(h, HL_DL, n + 1);
    hl_emit(h, HL_S, 1);
    return true;
}

/* ---- preprocessor ------------------------------------------------------------------ */

/* #include's file after "include" at pos: include (cp), ws1, the file
 * (cpf), the rest of the line (c1). False if there is none. */
static bool
include(struct cpp *c)
{
    struct hl *h = c->h;
    size_t a = ws1(c, h->pos), b, q, end;
    if (!hl_starts(h, h->pos + a, "include", 7))
        return false;
    b = ws1(c, h->pos + a + 7);
    q = h->pos + a + 7 + b;
    int open = hl_at(h, q);
    if (open == '"')
        end = hl_seek(h, &c->quote, "\"", 1, q + 1);
    else if (open == '<')
        end = hl_seek(h, &c->angle, ">", 1, q + 1);
    else
        return false;
    if (end == (size_t)-1 || end == q + 1)
        return false;
    emit_gap(c, a);
    hl_emit(h, HL_CP, 7);
    emit_gap(c, b);
    hl_emit(h, HL_CPF, end + 1 - q);
    size_t eol = hl_line_end(h, h->pos);
    if (eol > h->pos)
        hl_emit(h, HL_C1, eol - h->pos);
    return true;
}

/* One token in 'macro'. */
static void
macro(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    if (include(c))
        return;
    if (h->s[p] == '\n') {
        hl_emit(h, HL_CP, 1);
        if (p == h->base || h->s[p - 1] != '\\')
            hl_stack_pop(&c->st);
    } else if ((n = until_slash_or_newline(h, p))) {
        hl_emit(h, HL_CP, n);
    } else if (hl_starts(h, p, "/*", 2) &&
               (n = hl_seek(h, &c->comment_close, "*/", 2, p + 2)) != (size_t)-1) {
        hl_emit(h, HL_CM, n + 2 - p);
    } else if (hl_starts(h, p, "//", 2) && (n = hl_line_end(h, p)) < h->end) {
        hl_emit(h, HL_C1, n + 1 - p);
        hl_stack_pop(&c->st);
    } else {
        hl_emit(h, HL_CP, 1);
    }
}

/* One line (or the rest of the line of #if 0) in 'if0': nested #if lines
 * (cp) count up, #else, #elif and #endif (cp) down, the rest is c. */
static void
if0(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, eol = hl_line_end(h, p), q;
    enum hl_class cls = HL_C;
    if (hl_line_start(h, p)) {
        q = p + hl_space(h, p, false);
        bool cont = eol > q && h->s[eol - 1] == '\\';
        if (hl_starts(h, q, "#if", 3) && !cont) {
            cls = HL_CP;
            c->if0++;
        } else if (hl_starts(h, q, "#else", 5) || hl_starts(h, q, "#elif", 5) ||
                   (hl_starts(h, q, "#endif", 6) && !cont)) {
            cls = HL_CP;
            if (c->if0-- == 0)
                hl_stack_pop(&c->st);
        }
    }
    if (eol > p)
        hl_emit(h, cls, eol - p);
    if (eol < h->end)
        hl_emit(h, HL_TEXT, 1);
}

/* ---- whitespace, labels, directives ------------------------------------------------ */

/* A directive at the line start pos, after ws1: #if 0 enters 'if0', any
 * other '#' 'macro'. False if none. */
static bool
directive(struct cpp *c)
{
    struct hl *h = c->h;
    /* ws1 then '#': only a space, '/' or '#' can start that */
    enum c_byte b = c_bytes[(unsigned char)h->s[h->pos]];
    if (!(b == CB_SPACE || b == CB_NEWLINE || b == CB_SLASH || b == CB_HIGH ||
          h->s[h->pos] == '#'))
        return false;
    size_t a = ws1_hash(c, h->pos), q;
    if (a == (size_t)-1)
        return false;
    q = h->pos + a;
    if (a)   /* code, when the comment's .*? reached over some */
        hl_sub(h, q, lex_cpp);
    size_t sp = hl_starts(h, q, "#if", 3) ? hl_space(h, q + 3, true) : 0;
    if (sp && hl_at(h, q + 3 + sp) == '0') {
        hl_emit(h, HL_CP, 4 + sp);
        c->if0 = 0;
        hl_stack_push(&c->st, IF0);
    } else {
        hl_emit(h, HL_CP, 1);
        hl_stack_push(&c->st, MACRO);
    }
    return true;
}

/* A label starting the line at pos: [ \t]*, a name other than public,
 * private, protected, default; \s*, one ':'. */
static bool
label(struct cpp *c)
{
    static const char *const not_labels[] = { "default", "private", "protected", "public" };
    struct hl *h = c->h;
    size_t p = h->pos, q = p, n, r;
    while (q < h->end && (h->s[q] == ' ' || h->s[q] == '\t'))
        q++;
    if (!(n = ident_len(h, q, false)))
        return false;
    r = q + n + hl_space(h, q + n, true);
    if (hl_at(h, r) != ':' || hl_at(h, r + 1) == ':')
        return false;
    for (size_t i = 0; i < sizeof not_labels / sizeof *not_labels; i++) {
        size_t k = strlen(not_labels[i]);
        if (n >= k && !memcmp(h->s + q, not_labels[i], k) && hl_boundary(h, q + k))
            return false;
    }
    if (q > p)
        hl_emit(h, HL_TEXT, q - p);
    hl_emit(h, HL_NL, n);
    if (r > q + n)
        hl_emit(h, HL_TEXT, r - q - n);
    hl_emit(h, HL_P, 1);
    return true;
}

/* Pygments' 'whitespace': one token, or false. */
static bool
whitespace_rules(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    enum c_byte b = c_bytes[(unsigned char)h->s[p]];
    if (hl_line_start(h, p) && (directive(c) || label(c)))
        return true;
    /* the first byte decides which rule can match */
    if (b == CB_NEWLINE) {
        hl_emit(h, HL_TEXT, 1);
    } else if ((b == CB_SPACE || b == CB_HIGH) && (n = hl_space(h, p, false))) {
        hl_emit(h, HL_TEXT, n);
    } else if (b == CB_BACKSLASH && hl_at(h, p + 1) == '\n') {
        hl_emit(h, HL_TEXT, 2);
    } else if (b != CB_SLASH) {
        return false;
    } else if (hl_at(h, p + 1) == '/' && (n = line_comment(h, p))) {
        hl_emit(h, HL_C1, n);
    } else if ((n = block_comment(c, p))) {
        hl_emit(h, HL_CM, n);
    } else if (hl_at(h, p + 1) == '*' || hl_starts(h, p + 1, "\\\n*", 3)) {
        hl_emit(h, HL_CM, h->end - p);   /* open to the end */
    } else {
        return false;
    }
    return true;
}

/* whitespace_rules where they can match: at a line start (a directive, a
 * label), or at a space, backslash or slash; most tokens are neither. */
static inline bool
whitespace(struct cpp *c)
{
    const struct hl *h = c->h;
    enum c_byte b = c_bytes[(unsigned char)h->s[h->pos]];
    if (!(b == CB_SPACE || b == CB_NEWLINE || b == CB_HIGH || b == CB_BACKSLASH ||
          b == CB_SLASH) && !hl_line_start(h, h->pos))
        return false;
    return whitespace_rules(c);
}

/* ---- keywords, names, functions --------------------------------------------------- */

/* The table's entry for the word at p, if any: a keyword, type or constant
 * needs only a word boundary after it ("static$x" starts with one), a
 * library type the whole name of n bytes. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t n, size_t *len, bool ascii)
{
    if (ascii) {   /* all of ASCII [A-Za-z0-9_]: the word and the name are one */
        int i = hl_words_find(&word_index, h->s + p, n);
        *len = n;
        return i >= 0 ? &words[i] : NULL;
    }
    size_t a = hl_ascii_word(h, p);
    int i = a && hl_boundary(h, p + a) ? hl_words_find(&word_index, h->s + p, a) : -1;
    if (i >= 0 && words[i].action != LIB_TYPE) {
        *len = a;
        return &words[i];
    }
    if (a != n)
        i = hl_words_find(&word_index, h->s + p, n);
    *len = n;
    return i >= 0 && words[i].action == LIB_TYPE ? &words[i] : NULL;
}

/* The name at pos (n bytes, 0 if none) and its table entry (of len
 * bytes), remembered for the next call at the same offset. */
static const struct word *
name_at(struct cpp *c, size_t *n, size_t *len)
{
    struct hl *h = c->h;
    if (c->word_at != h->pos) {
        bool ascii;
        c->word_at = h->pos;
        c->word_n = c_ident_scan(h, h->pos, false, &ascii);
        c->word = c->word_n ? lookup(h, h->pos, c->word_n, &c->word_len, ascii) : NULL;
    }
    *n = c->word_n;
    *len = c->word_len;
    return c->word;
}

/* A keyword of 'keywords' at pos (not a type or constant): emitted, with
 * the state it enters; false if the word is none. */
static bool
keyword(struct cpp *c, const struct word *w, size_t n)
{
    struct hl *h = c->h;
    size_t sp;
    if (!w || w->action == TYPE || w->action == CONSTANT || w->action == LIB_TYPE)
        return false;
    hl_emit(h, w->cls, n);
    switch (w->action) {
    case CLASS_WS:
    case ENUM_WS:
        if ((sp = hl_space(h, h->pos, true))) {
            hl_emit(h, HL_TEXT, sp);
            hl_stack_push(&c->st, w->action == ENUM_WS ? ENUMNAME : CLASSNAME);
        }
        break;
    case NS: hl_stack_push(&c->st, NAMESPACE); break;
    case CASE: hl_stack_push(&c->st, CASE_VALUE); break;
    default: break;
    }
    return true;
}

/* Pygments' function rules in root at p, the start of a name: a return
 * type's last name and [&*\s]+, a gap, the name, a gap, (...) without
 * ; " ' inside, a gap, then anything but ; { / " ' up to a '{' (a
 * definition), or anything but ; / " ' up to a ';' (a declaration).
 * Emitted, entering 'function' for a definition; false if neither. */
static bool
function(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p + ident_len(h, p, true), g = 0, name, name_end, open, close, m;
    for (;;) {   /* [&*\s]+ */
        int ch = hl_at(h, q + g);
        if (ch == '&' || ch == '*')
            g++;
        else if ((m = hl_space(h, q + g, true)))
            g += m;
        else
            break;
    }
    if (!g)
        return false;
    name = q + g + gap_len(c, q + g);
    name_end = name + ident_len(h, name, true);
    if (name_end == name || hl_at(h, open = name_end + gap_len(c, name_end)) != '(')
        return false;
    close = next_of(h, &c->sig, sig_stop, open + 1);
    if (hl_at(h, close) != ')')
        return false;
    size_t tail = close + 1 + gap_len(c, close + 1), end = next_of(h, &c->def, def_stop, tail);
    bool body = hl_at(h, end) == '{';
    if (!body) {
        end = next_of(h, &c->decl, decl_stop, tail);
        if (hl_at(h, end) != ';')
            return false;
    }
    hl_sub(h, q + g, lex_cpp);
    emit_gap(c, name - h->pos);
    hl_emit(h, HL_NF, name_end - name);
    emit_gap(c, open - h->pos);
    hl_sub(h, close + 1, lex_cpp);
    emit_gap(c, tail - h->pos);
    if (end > tail)
        hl_sub(h, end, lex_cpp);
    hl_emit(h, HL_P, 1);
    if (body)
        hl_stack_push(&c->st, FUNCTION);
    return true;
}

/* Pygments' 'statements': one token at pos; false if none matches. */
static bool
statements(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, k, n, len;
    unsigned char ch = (unsigned char)h->s[p];
    enum c_byte b = c_bytes[ch];
    bool prefix = false;
    const struct word *w = NULL;
    n = 0;
    /* the first byte decides which rules can match */
    if (b == CB_LETTER) {
        /* a raw string needs R" or a prefix and R (u8R) */
        int next = hl_at(h, p + 1);
        prefix = ch == 'L' || ch == 'u' || ch == 'U';
        if ((ch == 'R' ? next == '"' : prefix && (next == 'R' || next == '8')) &&
            raw_string(c))
            return true;
        w = name_at(c, &n, &len);
        if (keyword(c, w, len))
            return true;
        if (w && w->action == TYPE) {
            hl_emit(h, w->cls, len);
            return true;
        }
        if (!prefix) {   /* no string, number, operator or punctuation */
            hl_emit(h, w ? w->cls : HL_N, w ? len : n);
            return true;
        }
    }
    if (b == CB_QUOTE || prefix) {
        if ((k = c_prefix_before(h, p, '"')) != (size_t)-1) {
            if (k)
                hl_emit(h, HL_SA, k);
            hl_emit(h, HL_S, 1);
            string_body(c);
            return true;
        }
        if ((k = c_prefix_before(h, p, '\'')) != (size_t)-1 && (n = c_char_literal(h, p + k))) {
            if (k)
                hl_emit(h, HL_SA, k);
            hl_emit(h, HL_SC, n);
            return true;
        }
    }
    if ((b == CB_DIGIT || b == CB_MINUS || b == CB_DOT || b == CB_HIGH) && c_number(h))
        return true;
    if (b == CB_OPERATOR || b == CB_MINUS || b == CB_SLASH) {
        hl_emit(h, HL_O, 1);
        return true;
    }
    if (b == CB_PUNCT || b == CB_DOT) {
        hl_emit(h, HL_P, 1);
        return true;
    }
    if (!n)
        w = name_at(c, &n, &len);
    if (!n)
        return false;
    hl_emit(h, w ? w->cls : HL_N, w ? len : n);
    return true;
}

/* ---- states ------------------------------------------------------------------------- */

static void statement_rest(struct cpp *c, enum state s);

/* 'root': whitespace, keywords, a function, types; else 'statement'. */
static void
root(struct cpp *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, len;
    if (whitespace(c))
        return;
    if ((n = ident_len(h, p, true))) {
        const struct word *w = name_at(c, &n, &len);
        if (keyword(c, w, len) || function(c))
            return;
        if (w && w->action == TYPE) {
            hl_emit(h, w->cls, len);
            return;
        }
    }
    hl_stack_push(&c->st, STATEMENT);
    statement_rest(c, STATEMENT);   /* whitespace failed here already */
}

/* One token in 'statement', 'function', 'case-value' or 'namespace'. */
static void
statement(struct cpp *c, enum state s)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    char ch = h->s[p];
    if (s == CASE_VALUE && ch == ':' && (p == h->base || h->s[p - 1] != ':') &&
        hl_at(h, p + 1) != ':') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    }
    if (s == NAMESPACE && (ch == ';' || ch == '{')) {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        hl_stack_push(&c->st, ROOT);
        return;
    }
    if (s == NAMESPACE && hl_starts(h, p, "inline", 6) && hl_boundary(h, p + 6)) {
        hl_emit(h, HL_KR, 6);
        return;
    }
    if ((s == CASE_VALUE || s == NAMESPACE) && (n = ident_len(h, p, false))) {
        hl_emit(h, s == CASE_VALUE ? HL_NO : HL_NN, n);
        return;
    }
    if (!whitespace(c))
        statement_rest(c, s);
}

/* The rest of a statement-like state's rules after 'whitespace'. */
static void
statement_rest(struct cpp *c, enum state s)
{
    struct hl *h = c->h;
    char ch = h->s[h->pos];
    if (statements(c))
        return;
    if (ch == '}' && s != CASE_VALUE) {
        hl_emit(h, HL_P, 1);
        if (s == FUNCTION)
            hl_stack_pop(&c->st);
    } else if (ch == '{' && (s == STATEMENT || s == FUNCTION)) {
        hl_emit(h, HL_P, 1);
        if (s == STATEMENT)
            hl_stack_pop(&c->st);
        else
            hl_stack_push(&c->st, FUNCTION);
    } else if (ch == ';' && (s == STATEMENT || s == FUNCTION)) {
        hl_emit(h, HL_P, 1);
        if (s == STATEMENT)
            hl_stack_pop(&c->st);
    } else {
        hl_no_match(h, &c->st);
    }
}

/* 'classname' and 'enumname': a class name, or nothing, then back. */
static void
class_name(struct cpp *c, enum state s)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    if (s == ENUMNAME) {
        if (whitespace(c))
            return;
        if ((hl_starts(h, p, "class", 5) && hl_boundary(h, p + 5)) ||
            (hl_starts(h, p, "struct", 6) && hl_boundary(h, p + 6))) {
            hl_emit(h, HL_K, h->s[p] == 'c' ? 5 : 6);
            return;
        }
    }
    hl_stack_pop(&c->st);
    if ((n = ident_len(h, p, false))) {
        hl_emit(h, HL_NC, n);
    } else if (hl_at(h, p + (n = hl_space(h, p, true))) == '>' && n) {
        hl_emit(h, HL_TEXT, n);
    }
}

void
lex_cpp(struct hl *h)
{
    struct cpp c = { .h = h, .comment_close = HL_SEEK_INIT, .quote = HL_SEEK_INIT,
                     .angle = HL_SEEK_INIT, .sig = { 1, 0 }, .def = { 1, 0 },
                     .decl = { 1, 0 }, .space_from = 1, .space_at = 0,
                     .hash_from = (size_t)-1, .word_at = (size_t)-1 };
    hl_stack_init(&c.st, ROOT);
    while (h->pos < h->end) {
        enum state s = hl_stack_top(&c.st);
        switch (s) {
        case ROOT: root(&c); break;
        case STATEMENT: case FUNCTION: case CASE_VALUE: case NAMESPACE:
            statement(&c, s);
            break;
        case ENUMNAME: case CLASSNAME: class_name(&c, s); break;
        case MACRO: macro(&c); break;
        case IF0: if0(&c); break;
        }
    }
    hl_stack_dispose(&c.st);
}
