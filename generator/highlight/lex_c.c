/* lex_c.c: the C lexer of the highlighter, after Pygments' CLexer: keywords
 * (k), types (kt, the standard library's typedefs too), reserved words (kr),
 * preprocessor lines (cp, cpf), #if 0 blocks (c), comments, strings and
 * characters, numbers, labels (nl), case constants (no), struct names (nc),
 * and function names (nf) where a definition or declaration names them. */
#include "lex_c.h"

/* What a word is: how the lexer treats it besides its class. */
enum kind {
    WORD,       /* a keyword like any other */
    STRUCT,     /* struct, union: a name (nc) follows */
    CASE,       /* case: names up to ':' are constants (no) */
    QUALIFIER,  /* a reserved word (kr) */
    TYPE,       /* a type keyword (kt) */
    NAME_TYPE,  /* a typedef of the libraries, a name that Pygments calls a type */
    CONSTANT,   /* true, false, NULL */
};

/* Sorted by strcmp. */
static const struct word {
    const char *w;
    enum hl_class cls;
    enum kind kind;
} words[] = {
    {"DIR", HL_KT, NAME_TYPE}, {"FILE", HL_KT, NAME_TYPE}, {"NULL", HL_NB, CONSTANT},
    {"_Alignas", HL_K, WORD}, {"_Alignof", HL_K, WORD}, {"_Atomic", HL_KT, TYPE},
    {"_Bool", HL_KT, TYPE}, {"_Complex", HL_KT, TYPE}, {"_Generic", HL_K, WORD},
    {"_Imaginary", HL_K, WORD}, {"_Noreturn", HL_K, WORD}, {"_Pragma", HL_K, WORD},
    {"_Static_assert", HL_K, WORD}, {"_Thread_local", HL_K, WORD},
    {"__asm", HL_KR, QUALIFIER}, {"__assume", HL_KR, QUALIFIER},
    {"__based", HL_KR, QUALIFIER}, {"__cdecl", HL_KR, QUALIFIER},
    {"__declspec", HL_KR, QUALIFIER}, {"__except", HL_KR, QUALIFIER},
    {"__fastcall", HL_KR, QUALIFIER}, {"__finally", HL_KR, QUALIFIER},
    {"__forceinline", HL_KR, QUALIFIER}, {"__identifier", HL_KR, QUALIFIER},
    {"__inline", HL_KR, QUALIFIER}, {"__int16", HL_KR, QUALIFIER},
    {"__int32", HL_KR, QUALIFIER}, {"__int64", HL_KR, QUALIFIER},
    {"__int8", HL_KR, QUALIFIER}, {"__leave", HL_KR, QUALIFIER},
    {"__m128", HL_KR, QUALIFIER}, {"__m128d", HL_KR, QUALIFIER},
    {"__m128i", HL_KR, QUALIFIER}, {"__m64", HL_KR, QUALIFIER},
    {"__noop", HL_KR, QUALIFIER}, {"__raise", HL_KR, QUALIFIER},
    {"__stdcall", HL_KR, QUALIFIER}, {"__try", HL_KR, QUALIFIER},
    {"__unaligned", HL_KR, QUALIFIER}, {"__w64", HL_KR, QUALIFIER},
    {"__wchar_t", HL_KR, QUALIFIER}, {"_inline", HL_KR, QUALIFIER},
    {"alignas", HL_K, WORD}, {"alignof", HL_K, WORD}, {"asm", HL_K, WORD},
    {"atomic_bool", HL_KT, NAME_TYPE}, {"atomic_char", HL_KT, NAME_TYPE},
    {"atomic_char16_t", HL_KT, NAME_TYPE}, {"atomic_char32_t", HL_KT, NAME_TYPE},
    {"atomic_int", HL_KT, NAME_TYPE}, {"atomic_int_fast16_t", HL_KT, NAME_TYPE},
    {"atomic_int_fast32_t", HL_KT, NAME_TYPE},
    {"atomic_int_fast64_t", HL_KT, NAME_TYPE}, {"atomic_int_fast8_t", HL_KT, NAME_TYPE},
    {"atomic_int_least16_t", HL_KT, NAME_TYPE},
    {"atomic_int_least32_t", HL_KT, NAME_TYPE},
    {"atomic_int_least64_t", HL_KT, NAME_TYPE},
    {"atomic_int_least8_t", HL_KT, NAME_TYPE}, {"atomic_intmax_t", HL_KT, NAME_TYPE},
    {"atomic_intptr_t", HL_KT, NAME_TYPE}, {"atomic_llong", HL_KT, NAME_TYPE},
    {"atomic_long", HL_KT, NAME_TYPE}, {"atomic_ptrdiff_t", HL_KT, NAME_TYPE},
    {"atomic_schar", HL_KT, NAME_TYPE}, {"atomic_short", HL_KT, NAME_TYPE},
    {"atomic_size_t", HL_KT, NAME_TYPE}, {"atomic_uchar", HL_KT, NAME_TYPE},
    {"atomic_uint", HL_KT, NAME_TYPE}, {"atomic_uint_fast16_t", HL_KT, NAME_TYPE},
    {"atomic_uint_fast32_t", HL_KT, NAME_TYPE},
    {"atomic_uint_fast64_t", HL_KT, NAME_TYPE},
    {"atomic_uint_fast8_t", HL_KT, NAME_TYPE},
    {"atomic_uint_least16_t", HL_KT, NAME_TYPE},
    {"atomic_uint_least32_t", HL_KT, NAME_TYPE},
    {"atomic_uint_least64_t", HL_KT, NAME_TYPE},
    {"atomic_uint_least8_t", HL_KT, NAME_TYPE}, {"atomic_uintmax_t", HL_KT, NAME_TYPE},
    {"atomic_uintptr_t", HL_KT, NAME_TYPE}, {"atomic_ullong", HL_KT, NAME_TYPE},
    {"atomic_ulong", HL_KT, NAME_TYPE}, {"atomic_ushort", HL_KT, NAME_TYPE},
    {"atomic_wchar_t", HL_KT, NAME_TYPE}, {"auto", HL_K, WORD}, {"bool", HL_KT, TYPE},
    {"break", HL_K, WORD}, {"case", HL_K, CASE}, {"char", HL_KT, TYPE},
    {"clock_t", HL_KT, NAME_TYPE}, {"clockid_t", HL_KT, NAME_TYPE},
    {"complex", HL_K, WORD}, {"const", HL_K, WORD}, {"continue", HL_K, WORD},
    {"cpu_set_t", HL_KT, NAME_TYPE}, {"cpumask_t", HL_KT, NAME_TYPE},
    {"default", HL_K, WORD}, {"dev_t", HL_KT, NAME_TYPE}, {"div_t", HL_KT, NAME_TYPE},
    {"do", HL_K, WORD}, {"double", HL_KT, TYPE}, {"else", HL_K, WORD},
    {"enum", HL_K, WORD}, {"extern", HL_K, WORD}, {"false", HL_NB, CONSTANT},
    {"float", HL_KT, TYPE}, {"for", HL_K, WORD}, {"fpos_t", HL_KT, NAME_TYPE},
    {"gid_t", HL_KT, NAME_TYPE}, {"goto", HL_K, WORD}, {"id_t", HL_KT, NAME_TYPE},
    {"if", HL_K, WORD}, {"imaginary", HL_K, WORD}, {"inline", HL_KR, QUALIFIER},
    {"ino_t", HL_KT, NAME_TYPE}, {"int", HL_KT, TYPE}, {"int16_t", HL_KT, NAME_TYPE},
    {"int32_t", HL_KT, NAME_TYPE}, {"int64_t", HL_KT, NAME_TYPE},
    {"int8_t", HL_KT, NAME_TYPE}, {"int_fast16_t", HL_KT, NAME_TYPE},
    {"int_fast32_t", HL_KT, NAME_TYPE}, {"int_fast64_t", HL_KT, NAME_TYPE},
    {"int_fast8_t", HL_KT, NAME_TYPE}, {"int_least16_t", HL_KT, NAME_TYPE},
    {"int_least32_t", HL_KT, NAME_TYPE}, {"int_least64_t", HL_KT, NAME_TYPE},
    {"int_least8_t", HL_KT, NAME_TYPE}, {"intmax_t", HL_KT, NAME_TYPE},
    {"intptr_t", HL_KT, NAME_TYPE}, {"jmp_buf", HL_KT, NAME_TYPE},
    {"key_t", HL_KT, NAME_TYPE}, {"ldiv_t", HL_KT, NAME_TYPE}, {"long", HL_KT, TYPE},
    {"mbstate_t", HL_KT, NAME_TYPE}, {"mode_t", HL_KT, NAME_TYPE},
    {"naked", HL_KR, QUALIFIER}, {"nfds_t", HL_KT, NAME_TYPE}, {"noreturn", HL_K, WORD},
    {"off_t", HL_KT, NAME_TYPE}, {"pid_t", HL_KT, NAME_TYPE},
    {"ptrdiff_t", HL_KT, NAME_TYPE}, {"register", HL_K, WORD},
    {"restrict", HL_KR, QUALIFIER}, {"restricted", HL_K, WORD}, {"return", HL_K, WORD},
    {"rlim_t", HL_KT, NAME_TYPE}, {"short", HL_KT, TYPE},
    {"sig_atomic_t", HL_KT, NAME_TYPE}, {"sig_t", HL_KT, NAME_TYPE},
    {"sighandler_t", HL_KT, NAME_TYPE}, {"siginfo_t", HL_KT, NAME_TYPE},
    {"signed", HL_KT, TYPE}, {"sigset_t", HL_KT, NAME_TYPE},
    {"sigval_t", HL_KT, NAME_TYPE}, {"size_t", HL_KT, NAME_TYPE},
    {"sizeof", HL_K, WORD}, {"socklen_t", HL_KT, NAME_TYPE},
    {"ssize_t", HL_KT, NAME_TYPE}, {"static", HL_K, WORD},
    {"static_assert", HL_K, WORD}, {"struct", HL_K, STRUCT}, {"switch", HL_K, WORD},
    {"thread", HL_KR, QUALIFIER}, {"thread_local", HL_K, WORD},
    {"time_t", HL_KT, NAME_TYPE}, {"timer_t", HL_KT, NAME_TYPE},
    {"true", HL_NB, CONSTANT}, {"typedef", HL_K, WORD}, {"uid_t", HL_KT, NAME_TYPE},
    {"uint16_t", HL_KT, NAME_TYPE}, {"uint32_t", HL_KT, NAME_TYPE},
    {"uint64_t", HL_KT, NAME_TYPE}, {"uint8_t", HL_KT, NAME_TYPE},
    {"uint_fast16_t", HL_KT, NAME_TYPE}, {"uint_fast32_t", HL_KT, NAME_TYPE},
    {"uint_fast64_t", HL_KT, NAME_TYPE}, {"uint_fast8_t", HL_KT, NAME_TYPE},
    {"uint_least16_t", HL_KT, NAME_TYPE}, {"uint_least32_t", HL_KT, NAME_TYPE},
    {"uint_least64_t", HL_KT, NAME_TYPE}, {"uint_least8_t", HL_KT, NAME_TYPE},
    {"uintmax_t", HL_KT, NAME_TYPE}, {"uintptr_t", HL_KT, NAME_TYPE},
    {"union", HL_K, STRUCT}, {"unsigned", HL_KT, TYPE}, {"va_list", HL_KT, NAME_TYPE},
    {"void", HL_KT, TYPE}, {"volatile", HL_K, WORD}, {"wchar_t", HL_KT, NAME_TYPE},
    {"wctrans_t", HL_KT, NAME_TYPE}, {"wctype_t", HL_KT, NAME_TYPE},
    {"while", HL_K, WORD}, {"wint_t", HL_KT, NAME_TYPE},
};
static struct hl_words word_index = HL_WORDS(words);

/* Pygments' states root, statement and function are where a statement may
 * start, inside one, and inside a function's body; a function's name is
 * only found at the start of a statement outside functions. */
struct c {
    struct hl *h;
    bool in_statement;  /* Pygments' 'statement' */
    int fn_depth;       /* braces open in a function body ('function') */
    size_t fn_name;     /* offset of the function name ahead, or (size_t)-1 */
    bool fn_body;       /* a body follows that function's signature */
    bool in_case;       /* between case and its ':' ('case-value') */
    int if0;            /* #if nesting inside #if 0, 0 outside */
    struct hl_seek close[3]; /* the next "*\/", '"' and '>' */
    /* searches remembered so that no look-ahead rescans the text: the end
     * of the whitespace at [space_from, space_at], and the first byte of
     * ;"') and of {;/"' from [from, at] */
    size_t space_from, space_at, ws1_from, ws1_at;   /* ws1 from the text at ws1_from */
    struct stop_seek { size_t from, at; } paren, tail;
};

/* The first byte of stop at or after q, or end; remembered in m, whose
 * range a search from before it joins. */
static size_t
next_of(const struct hl *h, struct stop_seek *m, const bool stop[256], size_t q)
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

/* ---- scanners ----------------------------------------------------------------- */

size_t
c_ident_slow(const struct hl *h, size_t p, bool colons)
{
    size_t q = p;
    int32_t cp;
    if (p < h->end && hl_cp_digit((hl_char(h, p, &cp), cp)))
        return 0;
    for (;;) {
        q += hl_ascii_word(h, q);
        int c = hl_at(h, q);
        size_t n = c == '\\' ? hl_unicode_escape(h, q) : 0;
        if (n)
            q += n;
        else if (c == '$')
            q++;
        else if (colons && c == ':' && hl_at(h, q + 1) == ':')
            q += 2;
        else if (c >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &cp);
        else
            return q - p;
    }
}

static inline size_t
ident_len(const struct hl *h, size_t p)
{
    bool ascii;
    return c_ident_scan(h, p, false, &ascii);
}

/* [0-9a-fA-F]('?[0-9a-fA-F])* */
static size_t
hex_digits(const struct hl *h, size_t p)
{
    return hl_in(hl_at(h, p), HL_HEX) ? hl_radix_groups(h, p, '\'', HL_HEX) : 0;
}

/* The integer suffix ([uU][lL]{0,2}|[lL]{1,2}[uU]?)? at p. */
static size_t
int_suffix(const struct hl *h, size_t p)
{
    size_t q = p;
    if (hl_in(hl_at(h, q), "uU")) {
        q++;
        while (q < p + 3 && hl_in(hl_at(h, q), "lL"))
            q++;
    } else if (hl_in(hl_at(h, q), "lL")) {
        q++;
        q += hl_in(hl_at(h, q), "lL");
        q += hl_in(hl_at(h, q), "uU");
    }
    return q - p;
}

/* The end of the line at p with the lines its backslashes continue. */
size_t
c_logical_line_end(const struct hl *h, size_t p)
{
    size_t eol = hl_line_end(h, p);
    while (eol < h->end && eol > p && h->s[eol - 1] == '\\')
        eol = hl_line_end(h, eol + 1);
    return eol;
}

/* The comment at p, // (continued by a backslash at the line's end) or
 * a block, which an unclosed one runs to the end: its length, or 0. */
static size_t
comment_len(const struct hl *h, size_t p)
{
    if (hl_at(h, p) != '/')
        return 0;
    if (hl_at(h, p + 1) == '/')
        return c_logical_line_end(h, p) - p;
    if (hl_at(h, p + 1) != '*')
        return 0;
    size_t close = hl_find(h, p + 2, h->end, "*/", 2);
    return close != (size_t)-1 ? close + 2 - p : h->end - p;
}

/* ---- numbers ------------------------------------------------------------------ */

/* 0x1.8p3: a hexadecimal float, or 0. */
static size_t
hex_float(const struct hl *h, size_t p)
{
    if (hl_at(h, p) != '0' || !hl_in(hl_at(h, p + 1), "xX"))
        return 0;
    size_t q = p + 2, a = hex_digits(h, q), b, e;
    if (a && hl_at(h, q + a) == '.' && (b = hex_digits(h, q + a + 1)))
        q += a + 1 + b;
    else if (!a && hl_at(h, q) == '.' && (b = hex_digits(h, q + 1)))
        q += 1 + b;
    else if (a)
        q += a;
    else
        return 0;
    if (!hl_in(hl_at(h, q), "pP"))
        return 0;
    q += 1 + hl_in(hl_at(h, q + 1), "+-");
    if (!(e = hex_digits(h, q)))
        return 0;
    q += e;
    return q + hl_in(hl_at(h, q), "lL") - p;
}

/* A decimal float at p: 1.5e3 .5e3 1e3, or 1.5 1. .5, with an [fFlL]
 * suffix; or, unless after a sign, 1f. Its length, or 0. */
static size_t
decimal_float(const struct hl *h, size_t p, bool after_sign)
{
    size_t a = hl_digit_groups(h, p, '\''), q = p + a, b = 0, e;
    bool point = hl_at(h, q) == '.';
    if (point)
        b = hl_digit_groups(h, q + 1, '\'');
    size_t mantissa = point && b ? a + 1 + b : point ? 0 : a;
    if (mantissa && (e = hl_exponent(h, p + mantissa, '\'')))
        return mantissa + e + hl_in(hl_at(h, p + mantissa + e), "fFlL");
    if (point && (a || b))
        return a + 1 + b + hl_in(hl_at(h, q + 1 + b), "fFlL");
    return !after_sign && a && hl_in(hl_at(h, q), "fFlL") ? a + 1 : 0;
}

/* An integer: 0x1F, 0b101, 017 or 42, with the '-' before it if any, as
 * Pygments has it, and its suffix. Its length, or 0. */
static size_t
integer(const struct hl *h, size_t p, enum hl_class *cls)
{
    size_t q = p + (hl_at(h, p) == '-'), n, r;
    int x = hl_at(h, q + 1);
    if (hl_at(h, q) == '0' && hl_in(x, "xX") && (n = hex_digits(h, q + 2))) {
        *cls = HL_MH;
        r = q + 2 + n;
    } else if (hl_at(h, q) == '0' && hl_in(x, "bB") && hl_in(hl_at(h, q + 2), "01")) {
        *cls = HL_MB;
        r = q + 2 + hl_radix_groups(h, q + 2, '\'', "01");
    } else if (hl_at(h, q) == '0' && (n = hl_radix_groups(h, q + 1, '\'', "01234567"))) {
        *cls = HL_MO;
        r = q + 1 + n;
    } else if ((n = hl_digit_groups(h, q, '\''))) {
        *cls = HL_MI;
        r = q + n;
    } else {
        return 0;
    }
    return r + int_suffix(h, r) - p;
}

/* The common integers 42, 0 and 0x1F at p with nothing after them that
 * could make them more (a word byte, '.', '\'', UTF-8): the length, all
 * rules agreeing on it (none of the floats, no suffix; 0 alone is not
 * octal), or 0 if the full rules must decide. */
static size_t
plain_integer(const struct hl *h, size_t p, enum hl_class *cls)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    if (q >= h->end || c_bytes[s[q]] != CB_DIGIT)
        return 0;
    if (s[q] == '0' && q + 2 < h->end && (s[q + 1] | 0x20) == 'x') {
        for (q += 2; q < h->end && (c_bytes[s[q]] == CB_DIGIT ||
                                     ((s[q] | 0x20) >= 'a' && (s[q] | 0x20) <= 'f')); q++)
            ;
        if (q == p + 2)
            return 0;
        *cls = HL_MH;
    } else {
        while (q < h->end && c_bytes[s[q]] == CB_DIGIT)
            q++;
        if (s[p] == '0' && q > p + 1)   /* octal, or not */
            return 0;
        *cls = HL_MI;
    }
    if (q < h->end && (c_is_word(s[q]) || s[q] == '.' || s[q] == '\'' || s[q] >= 0x80))
        return 0;
    return q - p;
}

bool
c_number(struct hl *h)
{
    size_t p = h->pos, sign = hl_at(h, p) == '-', n;
    enum hl_class cls;
    /* after '.' or '-' every alternative needs a digit (or '-' a '.'):
     * an ASCII byte that is neither rules them all out */
    int first = hl_at(h, p), next = hl_at(h, p + 1);
    if ((first == '.' || first == '-') && next >= 0 && next < 0x80 &&
        !(next >= '0' && next <= '9') && !(first == '-' && next == '.'))
        return false;
    if ((n = plain_integer(h, p + sign, &cls))) {
        hl_emit(h, cls, sign + n);
        return true;
    }
    if (!sign && (n = hex_float(h, p)))
        hl_emit(h, HL_MF, n);
    else if ((n = decimal_float(h, p + sign, sign)))
        hl_emit(h, HL_MF, sign + n);
    else if ((n = integer(h, p, &cls)))
        hl_emit(h, cls, n);
    else
        return false;
    return true;
}

/* A number at pos, emitted; false if there is none. */
static bool
number(struct c *c)
{
    if (!c_number(c->h))
        return false;
    c->in_statement = true;
    return true;
}

/* ---- strings and characters ------------------------------------------------------- */

/* The length of the prefix (L, u, U, u8) at p before the quote q, or -1. */
size_t
c_prefix_before(const struct hl *h, size_t p, char q)
{
    if (hl_at(h, p) == q)
        return 0;
    if (hl_in(hl_at(h, p), "LuU") && hl_at(h, p + 1) == q)
        return 1;
    if (hl_starts(h, p, "u8", 2) && hl_at(h, p + 2) == q)
        return 2;
    return (size_t)-1;
}

/* \\ \a ... \xHH(HH) \uHHHH \UHHHHHHHH \ooo in a string at p: its length, or 0. */
size_t
c_string_escape(const struct hl *h, size_t p)
{
    int d = hl_at(h, p + 1);
    size_t n;
    if (hl_in(d, "\\abfnrtv\"'"))
        return 2;
    if (d == 'x')
        return (n = hl_span(h, p + 2, HL_HEX, 4)) >= 2 ? n + 2 : 0;
    if (d == 'u' || d == 'U')
        return hl_unicode_escape(h, p);
    return hl_octal_escape(h, p);
}

/* The rest of a string after its opening quote: text (s), escapes (se), up
 * to the closing quote, or to the end of the line, where Pygments gives up. */
static void
string_body(struct hl *h)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true, ['\n'] = true };
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        char c = h->s[p];
        if (c == '"') {
            hl_emit(h, HL_S, 1);
            return;
        }
        if (c == '\n')
            return;
        if (c == '\\' && (n = c_string_escape(h, p)))
            hl_emit(h, HL_SE, n);
        else if (c == '\\')
            hl_emit(h, HL_S, 1 + (hl_at(h, p + 1) == '\n'));
        else
            hl_emit(h, HL_S, hl_until(h, p, stop));
    }
}

/* The character literal whose quote is at q: its length, quotes included,
 * or 0: '\.' '\ooo' '\xHH' or one character other than \ ' and newline. */
size_t
c_char_literal(const struct hl *h, size_t q)
{
    size_t i = q + 1, n;
    int32_t cp;
    if (i >= h->end || h->s[i] == '\'' || h->s[i] == '\n')
        return 0;
    if (h->s[i] != '\\')
        return hl_at(h, i + hl_char(h, i, &cp)) == '\'' ? 2 + hl_char(h, i, &cp) : 0;
    if (i + 1 < h->end && h->s[i + 1] != '\n' &&
        hl_at(h, i + 1 + hl_char(h, i + 1, &cp)) == '\'')
        return 3 + hl_char(h, i + 1, &cp);
    bool x = hl_at(h, i + 1) == 'x';
    n = hl_span(h, i + 1 + x, x ? HL_HEX : "01234567", x ? 2 : 3);
    return n && hl_at(h, i + 1 + x + n) == '\'' ? 3 + x + n : 0;
}

/* A string or a character literal, its prefix (sa) first; false if the
 * quote at the end of the prefix opens neither. */
static bool
quoted(struct c *c, size_t k, char q)
{
    struct hl *h = c->h;
    size_t n = q == '\'' ? c_char_literal(h, h->pos + k) : 1;
    if (!n)
        return false;
    if (k)
        hl_emit(h, HL_SA, k);
    hl_emit(h, q == '\'' ? HL_SC : HL_S, n);
    if (q == '"')
        string_body(h);
    c->in_statement = true;
    return true;
}

/* ---- preprocessor ------------------------------------------------------------------ */

/* Spaces and at most one one-line block comment at p (Pygments' _ws1). */
static size_t
ws1(struct c *c, size_t p)
{
    const struct hl *h = c->h;
    if (!(c->space_from <= p && p <= c->space_at)) {   /* runs of blank lines */
        c->space_from = p;
        c->space_at = p + hl_space(h, p, true);
    }
    size_t q = c->space_at;
    if (q == c->ws1_from)   /* after blank lines, the line looked at last */
        return c->ws1_at - p;
    c->ws1_from = q;
    if (hl_starts(h, q, "/*", 2)) {
        size_t close = hl_find(h, q + 2, hl_line_end(h, q), "*/", 2);
        if (close != (size_t)-1)
            q = close + 2 + hl_space(h, close + 2, true);
    }
    c->ws1_at = q;
    return q - p;
}

/* Emits the spaces and comment of a ws1 of n bytes. */
static void
emit_ws1(struct hl *h, size_t n)
{
    size_t end = h->pos + n, k;
    while (h->pos < end) {
        if ((k = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, k < end - h->pos ? k : end - h->pos);
        else
            hl_emit(h, HL_CM, comment_len(h, h->pos));
    }
}

/* #include "file" or <file> at pos: include (cp), the file (cpf), the rest
 * of the line (c1). False if it is no include. */
static bool
include(struct c *c)
{
    struct hl *h = c->h;
    size_t a = ws1(c, h->pos), b, q, end;
    if (!hl_starts(h, h->pos + a, "include", 7))
        return false;
    b = ws1(c, h->pos + a + 7);
    q = h->pos + a + 7 + b;
    int open = hl_at(h, q);
    if (open == '"')
        end = hl_seek(h, &c->close[1], "\"", 1, q + 1);
    else if (open == '<')
        end = hl_seek(h, &c->close[2], ">", 1, q + 1);
    else
        return false;
    if (end == (size_t)-1 || end == q + 1)
        return false;
    emit_ws1(h, a);
    hl_emit(h, HL_CP, 7);
    emit_ws1(h, b);
    hl_emit(h, HL_CPF, end + 1 - q);
    size_t eol = hl_line_end(h, h->pos);
    if (eol > h->pos)
        hl_emit(h, HL_C1, eol - h->pos);
    return true;
}

/* A directive after its '#': preprocessor text (cp) and comments up to a
 * newline that no backslash continues. */
static void
macro(struct c *c)
{
    struct hl *h = c->h;
    size_t n, close;
    include(c);
    while (h->pos < h->end) {
        size_t p = h->pos;
        if (h->s[p] == '\n') {
            hl_emit(h, HL_TEXT, 1);
            if (p == 0 || h->s[p - 1] != '\\')
                return;
        } else if (hl_starts(h, p, "/*", 2) &&
                   (close = hl_seek(h, &c->close[0], "*/", 2, p + 2)) != (size_t)-1) {
            hl_emit(h, HL_CM, close + 2 - p);
        } else if (hl_starts(h, p, "//", 2)) {
            hl_emit(h, HL_C1, hl_line_end(h, p) - p);
            return;
        } else if ((n = until_slash_or_newline(h, p))) {
            hl_emit(h, HL_CP, n);
        } else {
            hl_emit(h, HL_CP, 1);
        }
    }
}

/* A directive starting the line at pos: #if 0 opens a block of comment,
 * anything else is a macro. False if the line has none. */
static bool
directive(struct c *c)
{
    struct hl *h = c->h;
    /* ws1 then '#': only a space, '/' or '#' can start that */
    enum c_byte b = c_bytes[(unsigned char)h->s[h->pos]];
    if (!(b == CB_SPACE || b == CB_NEWLINE || b == CB_SLASH || b == CB_HIGH ||
          h->s[h->pos] == '#'))
        return false;
    size_t a = ws1(c, h->pos), q = h->pos + a;
    if (hl_at(h, q) != '#')
        return false;
    emit_ws1(h, a);
    size_t sp = hl_starts(h, q, "#if", 3) ? hl_space(h, q + 3, true) : 0;
    if (sp && hl_at(h, q + 3 + sp) == '0') {
        hl_emit(h, HL_CP, 4 + sp);
        c->if0 = 1;
    } else {
        hl_emit(h, HL_CP, 1);
        macro(c);
    }
    return true;
}

/* A line inside #if 0: nested #if, #else, #elif and #endif lines (cp) keep
 * count, the others are comment (c). */
static void
if0_line(struct c *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p + hl_space(h, p, false), eol;
    bool bol = hl_line_start(h, p);
    enum hl_class cls = HL_C;
    if (bol && hl_starts(h, q, "#if", 3)) {
        c->if0++;
        cls = HL_CP;
    } else if (bol && (hl_starts(h, q, "#else", 5) || hl_starts(h, q, "#elif", 5) ||
                       hl_starts(h, q, "#endif", 6))) {
        c->if0--;
        cls = HL_CP;
    }
    eol = cls == HL_CP && !hl_starts(h, q, "#el", 3) ? c_logical_line_end(h, q)
                                                      : hl_line_end(h, p);
    if (eol > p)
        hl_emit(h, cls, eol - p);
    if (eol < h->end)
        hl_emit(h, HL_TEXT, 1);
}

/* ---- statements ------------------------------------------------------------------- */

/* A label starting the line at pos: name, spaces, one ':'. */
static bool
label(struct c *c)
{
    static const char *const not_labels[] = { "default", "private", "protected", "public" };
    struct hl *h = c->h;
    size_t p = h->pos, q = p, n, r;
    while (q < h->end && (h->s[q] == ' ' || h->s[q] == '\t'))
        q++;
    if (!(n = ident_len(h, q)))
        return false;
    /* the ':' first: it rules out most lines */
    r = q + n + hl_space(h, q + n, true);
    if (hl_at(h, r) != ':' || hl_at(h, r + 1) == ':')
        return false;
    for (size_t i = 0; i < sizeof not_labels / sizeof *not_labels; i++)
        if (strlen(not_labels[i]) == n && !memcmp(h->s + q, not_labels[i], n))
            return false;
    if (q > p)
        hl_emit(h, HL_TEXT, q - p);
    hl_emit(h, HL_NL, n);
    if (r > q + n)
        hl_emit(h, HL_TEXT, r - q - n);
    hl_emit(h, HL_P, 1);
    return true;
}

/* Pygments' _possible_comments at p: spaces, // and block comments. */
static size_t
gap_len(const struct hl *h, size_t p)
{
    size_t q = p, n;
    while ((n = hl_space(h, q, true)) ||
           ((n = comment_len(h, q)) && (h->s[q + 1] == '*' ? h->s[q + n - 1] == '/'
                                                            : q + n < h->end)))
        q += n;
    return q - p;
}

/* The end of a signature's tail at p: [^;{/"']* then '{' (a definition) or
 * [^;/"']* then ';' (a declaration). 0 if neither. */
static size_t
signature_tail(struct c *c, size_t p, bool *body)
{
    static const bool stop[256] = { ['{'] = true, [';'] = true, ['/'] = true, ['"'] = true,
                                    ['\''] = true };
    size_t q = next_of(c->h, &c->tail, stop, p);
    int ch = hl_at(c->h, q);
    if (ch != '{' && ch != ';')
        return 0;
    *body = ch == '{';
    return q;
}

/* Pygments' function rules at the name at p (n bytes): a return type, then
 * [&*\s]+, the function's name, (...) without ; " ' inside, and a '{' or a
 * ';' after it. Sets c->fn_name and c->fn_body and returns true if so. */
static bool
function_header(struct c *c, size_t p, size_t n)
{
    const struct hl *h = c->h;
    size_t q = p + n, g = 0, m;
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
    q += g + gap_len(h, q + g);
    size_t name = q;
    while ((m = ident_len(h, q)) || (hl_at(h, q) == ':' && hl_at(h, q + 1) == ':'))
        q += m ? m : 2;
    if (q == name)
        return false;
    q += gap_len(h, q);
    if (hl_at(h, q) != '(')
        return false;
    static const bool paren_stop[256] = { [';'] = true, ['"'] = true, ['\''] = true,
                                          [')'] = true };
    q = next_of(h, &c->paren, paren_stop, q + 1);
    if (hl_at(h, q) != ')')
        return false;
    q++;
    if (!signature_tail(c, q + gap_len(h, q), &c->fn_body))
        return false;
    c->fn_name = name;
    return true;
}

/* The word-list entry for the name of n bytes at p, if any: a keyword, type
 * or constant needs only a word boundary after it (so "static$x" starts
 * with a keyword, and *n becomes its length), a library type the whole name.
 * A name all of ASCII [A-Za-z0-9_] (ascii) is both: one lookup. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t *n, bool ascii)
{
    if (ascii) {
        int i = hl_words_find(&word_index, h->s + p, *n);
        return i >= 0 ? &words[i] : NULL;
    }
    size_t a = hl_ascii_word(h, p);
    int i = a && hl_boundary(h, p + a) ? hl_words_find(&word_index, h->s + p, a) : -1;
    if (i >= 0 && words[i].kind != NAME_TYPE) {
        *n = a;
        return &words[i];
    }
    if (a != *n)   /* a name with '$' or beyond ASCII: look it up whole */
        i = hl_words_find(&word_index, h->s + p, *n);
    return i >= 0 && words[i].kind == NAME_TYPE ? &words[i] : NULL;
}

/* A keyword, type or name; struct and union take the name after them. At
 * the start of a statement outside functions, a name or a type may be the
 * return type of a function whose name follows. */
static void
word(struct c *c, size_t n, bool ascii)
{
    struct hl *h = c->h;
    size_t p = h->pos, ws;
    const struct word *w = c->in_case ? NULL : lookup(h, p, &n, ascii);
    bool typeish = !w || w->kind == TYPE || w->kind == NAME_TYPE;
    if (c->in_case) {
        hl_emit(h, HL_NO, n);
    } else if (p == c->fn_name) {
        hl_emit(h, HL_NF, n);
        c->fn_name = (size_t)-1;
    } else if (w && w->kind == STRUCT && (ws = hl_space(h, p + n, true))) {
        hl_emit(h, HL_K, n);
        hl_emit(h, HL_TEXT, ws);
        if ((n = ident_len(h, h->pos)))
            hl_emit(h, HL_NC, n);
    } else if (!c->in_statement && !c->fn_depth && typeish && function_header(c, p, n)) {
        hl_emit(h, w ? w->cls : HL_N, n);
    } else {
        hl_emit(h, w ? w->cls : HL_N, n);
        c->in_case = w && w->kind == CASE;
        /* keywords and type keywords leave a statement's start open */
        c->in_statement |= !w || w->kind == NAME_TYPE || w->kind == CONSTANT;
    }
}

/* Braces and ';': function bodies open and close, statements end. A '}'
 * outside a function starts a statement, as in Pygments' root. */
static void
punctuation(struct c *c, char ch)
{
    bool closes_body = ch == '}' && c->fn_depth == 1;
    if (ch == '{' && c->fn_body) {
        c->fn_depth = 1;
        c->fn_body = false;
    } else if (ch == '{' && c->fn_depth) {
        c->fn_depth++;
    } else if (ch == '}' && c->fn_depth) {
        c->fn_depth--;
    }
    if (ch == ';' && !c->fn_depth)
        c->fn_body = false;
    c->in_statement = !c->fn_depth && !(ch == '{' || ch == ';' || closes_body);
    hl_emit(c->h, HL_P, 1);
}

static void
operator(struct c *c, char ch)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (ch == ':' && c->in_case && (p == 0 || h->s[p - 1] != ':') && hl_at(h, p + 1) != ':') {
        c->in_case = false;
        hl_emit(h, HL_P, 1);
        return;
    }
    c->in_statement = true;
    hl_emit(h, HL_O, 1);
}

/* Pygments' 'statements': one token at pos, the first byte deciding
 * which rules can match: strings and characters (their quote, or the
 * prefix L u U u8), numbers (a digit, '-', '.', or UTF-8 digits),
 * operators, punctuation, names. */
static void
statement(struct c *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, k, n;
    char ch = h->s[p];
    enum c_byte b = c_bytes[(unsigned char)ch];
    bool ascii;
    if (b == CB_QUOTE || ch == 'L' || ch == 'u' || ch == 'U') {
        if ((k = c_prefix_before(h, p, '"')) != (size_t)-1 && quoted(c, k, '"'))
            return;
        if ((k = c_prefix_before(h, p, '\'')) != (size_t)-1 && quoted(c, k, '\''))
            return;
    }
    if ((b == CB_DIGIT || b == CB_MINUS || b == CB_DOT || b == CB_HIGH) && number(c))
        return;
    if (b == CB_OPERATOR || b == CB_MINUS || b == CB_SLASH)
        operator(c, ch);
    else if (b == CB_PUNCT || b == CB_DOT || b == CB_BRACE)
        punctuation(c, ch);
    else if ((n = c_ident_scan(h, p, false, &ascii)))
        word(c, n, ascii);
    else
        hl_emit(h, HL_ERR, hl_char(h, p, &(int32_t){0}));
}

/* Pygments' 'whitespace' rules, then a statement token. */
static void
step(struct c *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    if (c->if0) {
        if0_line(c);
        return;
    }
    if (hl_line_start(h, p) && (directive(c) || label(c)))
        return;
    /* the first byte decides which whitespace rule can match */
    switch (c_bytes[(unsigned char)h->s[p]]) {
    case CB_NEWLINE:
        hl_emit(h, HL_TEXT, 1);   /* alone, so that the next line starts a line */
        return;
    case CB_SPACE:
    case CB_HIGH:   /* perhaps a Unicode space */
        if ((n = hl_space(h, p, false))) {
            hl_emit(h, HL_TEXT, n);
            return;
        }
        break;
    case CB_BACKSLASH:
        if (hl_at(h, p + 1) == '\n') {
            hl_emit(h, HL_TEXT, 2);
            return;
        }
        break;
    case CB_SLASH:
        if ((n = comment_len(h, p))) {
            hl_emit(h, h->s[p + 1] == '/' ? HL_C1 : HL_CM, n);
            return;
        }
        break;
    default: break;
    }
    statement(c);
}

void
lex_c(struct hl *h)
{
    struct c c = { .h = h, .fn_name = (size_t)-1,
                   .close = { HL_SEEK_INIT, HL_SEEK_INIT, HL_SEEK_INIT },
                   .space_from = 1, .space_at = 0, .ws1_from = (size_t)-1,
                   .paren = { 1, 0 }, .tail = { 1, 0 } };
    while (h->pos < h->end)
        step(&c);
}
