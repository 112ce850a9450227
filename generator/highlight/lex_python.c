/* lex_python.c: the Python 3 lexer of the highlighter. A state machine that
 * follows Pygments' PythonLexer (pygments/lexers/python.py in Debian's Pygments
 * 2.14) rule by rule, one function per Pygments state, so the classes agree. */
#include "lexer.h"

#include <string.h>

/* Pygments' states. A string state carries its quote and escapes as flags. */
enum {
    ROOT, FUNCNAME, CLASSNAME, FROMIMPORT, IMPORT, SOFT_INNER, FEXPR, FEXPR_INNER,
    STRING,
    KIND = 0x0f,
    DQ = 0x10,        /* '"' rather than '\'' */
    TRIPLE = 0x20,
    FSTR = 0x40,      /* f-string: {expr} and the escapes {{ }} */
    UNIESC = 0x80,    /* \N{name}, \uXXXX, \UXXXXXXXX */
    BYTESESC = 0x100, /* \\ \' \" \a \b \f \n \r \t \v \<newline> \xXX \ooo */
};

struct py {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek dq3, sq3, bracket, brace, newline;
    size_t ws_from, ws_to; /* the last run of \s measured */
};

/* The words that Pygments' word lists give a class. ROOT_ONLY: only in the
 * 'keywords' rule of root, not in f-string expressions; NODOT: not right
 * after a '.'. Sorted by strcmp. */
enum { ROOT_ONLY = 1, NODOT = 2 };
static const struct word {
    const char *w;
    unsigned char cls, flags;
} words[] = {
    {"ArithmeticError", HL_NE, NODOT}, {"AssertionError", HL_NE, NODOT},
    {"AttributeError", HL_NE, NODOT}, {"BaseException", HL_NE, NODOT},
    {"BlockingIOError", HL_NE, NODOT}, {"BrokenPipeError", HL_NE, NODOT},
    {"BufferError", HL_NE, NODOT}, {"BytesWarning", HL_NE, NODOT},
    {"ChildProcessError", HL_NE, NODOT}, {"ConnectionAbortedError", HL_NE, NODOT},
    {"ConnectionError", HL_NE, NODOT}, {"ConnectionRefusedError", HL_NE, NODOT},
    {"ConnectionResetError", HL_NE, NODOT}, {"DeprecationWarning", HL_NE, NODOT},
    {"EOFError", HL_NE, NODOT}, {"Ellipsis", HL_BP, NODOT},
    {"EncodingWarning", HL_NE, NODOT}, {"EnvironmentError", HL_NE, NODOT},
    {"Exception", HL_NE, NODOT}, {"False", HL_KC, 0}, {"FileExistsError", HL_NE, NODOT},
    {"FileNotFoundError", HL_NE, NODOT}, {"FloatingPointError", HL_NE, NODOT},
    {"FutureWarning", HL_NE, NODOT}, {"GeneratorExit", HL_NE, NODOT},
    {"IOError", HL_NE, NODOT}, {"ImportError", HL_NE, NODOT},
    {"ImportWarning", HL_NE, NODOT}, {"IndentationError", HL_NE, NODOT},
    {"IndexError", HL_NE, NODOT}, {"InterruptedError", HL_NE, NODOT},
    {"IsADirectoryError", HL_NE, NODOT}, {"KeyError", HL_NE, NODOT},
    {"KeyboardInterrupt", HL_NE, NODOT}, {"LookupError", HL_NE, NODOT},
    {"MemoryError", HL_NE, NODOT}, {"ModuleNotFoundError", HL_NE, NODOT},
    {"NameError", HL_NE, NODOT}, {"None", HL_KC, 0},
    {"NotADirectoryError", HL_NE, NODOT}, {"NotImplemented", HL_BP, NODOT},
    {"NotImplementedError", HL_NE, NODOT}, {"OSError", HL_NE, NODOT},
    {"OverflowError", HL_NE, NODOT}, {"PendingDeprecationWarning", HL_NE, NODOT},
    {"PermissionError", HL_NE, NODOT}, {"ProcessLookupError", HL_NE, NODOT},
    {"RecursionError", HL_NE, NODOT}, {"ReferenceError", HL_NE, NODOT},
    {"ResourceWarning", HL_NE, NODOT}, {"RuntimeError", HL_NE, NODOT},
    {"RuntimeWarning", HL_NE, NODOT}, {"StopAsyncIteration", HL_NE, NODOT},
    {"StopIteration", HL_NE, NODOT}, {"SyntaxError", HL_NE, NODOT},
    {"SyntaxWarning", HL_NE, NODOT}, {"SystemError", HL_NE, NODOT},
    {"SystemExit", HL_NE, NODOT}, {"TabError", HL_NE, NODOT},
    {"TimeoutError", HL_NE, NODOT}, {"True", HL_KC, 0}, {"TypeError", HL_NE, NODOT},
    {"UnboundLocalError", HL_NE, NODOT}, {"UnicodeDecodeError", HL_NE, NODOT},
    {"UnicodeEncodeError", HL_NE, NODOT}, {"UnicodeError", HL_NE, NODOT},
    {"UnicodeTranslateError", HL_NE, NODOT}, {"UnicodeWarning", HL_NE, NODOT},
    {"UserWarning", HL_NE, NODOT}, {"VMSError", HL_NE, NODOT},
    {"ValueError", HL_NE, NODOT}, {"Warning", HL_NE, NODOT},
    {"WindowsError", HL_NE, NODOT}, {"ZeroDivisionError", HL_NE, NODOT},
    {"__abs__", HL_FM, 0}, {"__add__", HL_FM, 0}, {"__aenter__", HL_FM, 0},
    {"__aexit__", HL_FM, 0}, {"__aiter__", HL_FM, 0}, {"__and__", HL_FM, 0},
    {"__anext__", HL_FM, 0}, {"__annotations__", HL_VM, 0}, {"__await__", HL_FM, 0},
    {"__bases__", HL_VM, 0}, {"__bool__", HL_FM, 0}, {"__bytes__", HL_FM, 0},
    {"__call__", HL_FM, 0}, {"__class__", HL_VM, 0}, {"__closure__", HL_VM, 0},
    {"__code__", HL_VM, 0}, {"__complex__", HL_FM, 0}, {"__contains__", HL_FM, 0},
    {"__defaults__", HL_VM, 0}, {"__del__", HL_FM, 0}, {"__delattr__", HL_FM, 0},
    {"__delete__", HL_FM, 0}, {"__delitem__", HL_FM, 0}, {"__dict__", HL_VM, 0},
    {"__dir__", HL_FM, 0}, {"__divmod__", HL_FM, 0}, {"__doc__", HL_VM, 0},
    {"__enter__", HL_FM, 0}, {"__eq__", HL_FM, 0}, {"__exit__", HL_FM, 0},
    {"__file__", HL_VM, 0}, {"__float__", HL_FM, 0}, {"__floordiv__", HL_FM, 0},
    {"__format__", HL_FM, 0}, {"__func__", HL_VM, 0}, {"__ge__", HL_FM, 0},
    {"__get__", HL_FM, 0}, {"__getattr__", HL_FM, 0}, {"__getattribute__", HL_FM, 0},
    {"__getitem__", HL_FM, 0}, {"__globals__", HL_VM, 0}, {"__gt__", HL_FM, 0},
    {"__hash__", HL_FM, 0}, {"__iadd__", HL_FM, 0}, {"__iand__", HL_FM, 0},
    {"__ifloordiv__", HL_FM, 0}, {"__ilshift__", HL_FM, 0}, {"__imatmul__", HL_FM, 0},
    {"__imod__", HL_FM, 0}, {"__import__", HL_NB, NODOT}, {"__imul__", HL_FM, 0},
    {"__index__", HL_FM, 0}, {"__init__", HL_FM, 0}, {"__instancecheck__", HL_FM, 0},
    {"__int__", HL_FM, 0}, {"__invert__", HL_FM, 0}, {"__ior__", HL_FM, 0},
    {"__ipow__", HL_FM, 0}, {"__irshift__", HL_FM, 0}, {"__isub__", HL_FM, 0},
    {"__iter__", HL_FM, 0}, {"__itruediv__", HL_FM, 0}, {"__ixor__", HL_FM, 0},
    {"__kwdefaults__", HL_VM, 0}, {"__le__", HL_FM, 0}, {"__len__", HL_FM, 0},
    {"__length_hint__", HL_FM, 0}, {"__lshift__", HL_FM, 0}, {"__lt__", HL_FM, 0},
    {"__matmul__", HL_FM, 0}, {"__missing__", HL_FM, 0}, {"__mod__", HL_FM, 0},
    {"__module__", HL_VM, 0}, {"__mro__", HL_VM, 0}, {"__mul__", HL_FM, 0},
    {"__name__", HL_VM, 0}, {"__ne__", HL_FM, 0}, {"__neg__", HL_FM, 0},
    {"__new__", HL_FM, 0}, {"__next__", HL_FM, 0}, {"__objclass__", HL_VM, 0},
    {"__or__", HL_FM, 0}, {"__pos__", HL_FM, 0}, {"__pow__", HL_FM, 0},
    {"__prepare__", HL_FM, 0}, {"__qualname__", HL_VM, 0}, {"__radd__", HL_FM, 0},
    {"__rand__", HL_FM, 0}, {"__rdivmod__", HL_FM, 0}, {"__repr__", HL_FM, 0},
    {"__reversed__", HL_FM, 0}, {"__rfloordiv__", HL_FM, 0}, {"__rlshift__", HL_FM, 0},
    {"__rmatmul__", HL_FM, 0}, {"__rmod__", HL_FM, 0}, {"__rmul__", HL_FM, 0},
    {"__ror__", HL_FM, 0}, {"__round__", HL_FM, 0}, {"__rpow__", HL_FM, 0},
    {"__rrshift__", HL_FM, 0}, {"__rshift__", HL_FM, 0}, {"__rsub__", HL_FM, 0},
    {"__rtruediv__", HL_FM, 0}, {"__rxor__", HL_FM, 0}, {"__self__", HL_VM, 0},
    {"__set__", HL_FM, 0}, {"__setattr__", HL_FM, 0}, {"__setitem__", HL_FM, 0},
    {"__slots__", HL_VM, 0}, {"__str__", HL_FM, 0}, {"__sub__", HL_FM, 0},
    {"__subclasscheck__", HL_FM, 0}, {"__truediv__", HL_FM, 0},
    {"__weakref__", HL_VM, 0}, {"__xor__", HL_FM, 0}, {"abs", HL_NB, NODOT},
    {"all", HL_NB, NODOT}, {"and", HL_OW, 0}, {"any", HL_NB, NODOT},
    {"as", HL_K, ROOT_ONLY}, {"assert", HL_K, ROOT_ONLY}, {"async", HL_K, ROOT_ONLY},
    {"await", HL_K, 0}, {"bin", HL_NB, NODOT}, {"bool", HL_NB, NODOT},
    {"break", HL_K, ROOT_ONLY}, {"breakpoint", HL_NB, NODOT},
    {"bytearray", HL_NB, NODOT}, {"bytes", HL_NB, NODOT}, {"chr", HL_NB, NODOT},
    {"classmethod", HL_NB, NODOT}, {"cls", HL_BP, NODOT}, {"compile", HL_NB, NODOT},
    {"complex", HL_NB, NODOT}, {"continue", HL_K, ROOT_ONLY}, {"del", HL_K, ROOT_ONLY},
    {"delattr", HL_NB, NODOT}, {"dict", HL_NB, NODOT}, {"dir", HL_NB, NODOT},
    {"divmod", HL_NB, NODOT}, {"elif", HL_K, ROOT_ONLY}, {"else", HL_K, 0},
    {"enumerate", HL_NB, NODOT}, {"eval", HL_NB, NODOT}, {"except", HL_K, ROOT_ONLY},
    {"filter", HL_NB, NODOT}, {"finally", HL_K, ROOT_ONLY}, {"float", HL_NB, NODOT},
    {"for", HL_K, 0}, {"format", HL_NB, NODOT}, {"frozenset", HL_NB, NODOT},
    {"getattr", HL_NB, NODOT}, {"global", HL_K, ROOT_ONLY}, {"globals", HL_NB, NODOT},
    {"hasattr", HL_NB, NODOT}, {"hash", HL_NB, NODOT}, {"hex", HL_NB, NODOT},
    {"id", HL_NB, NODOT}, {"if", HL_K, 0}, {"in", HL_OW, 0}, {"input", HL_NB, NODOT},
    {"int", HL_NB, NODOT}, {"is", HL_OW, 0}, {"isinstance", HL_NB, NODOT},
    {"issubclass", HL_NB, NODOT}, {"iter", HL_NB, NODOT}, {"lambda", HL_K, 0},
    {"len", HL_NB, NODOT}, {"list", HL_NB, NODOT}, {"locals", HL_NB, NODOT},
    {"map", HL_NB, NODOT}, {"max", HL_NB, NODOT}, {"memoryview", HL_NB, NODOT},
    {"min", HL_NB, NODOT}, {"next", HL_NB, NODOT}, {"nonlocal", HL_K, ROOT_ONLY},
    {"not", HL_OW, 0}, {"object", HL_NB, NODOT}, {"oct", HL_NB, NODOT},
    {"open", HL_NB, NODOT}, {"or", HL_OW, 0}, {"ord", HL_NB, NODOT},
    {"pass", HL_K, ROOT_ONLY}, {"pow", HL_NB, NODOT}, {"print", HL_NB, NODOT},
    {"property", HL_NB, NODOT}, {"raise", HL_K, ROOT_ONLY}, {"range", HL_NB, NODOT},
    {"repr", HL_NB, NODOT}, {"return", HL_K, ROOT_ONLY}, {"reversed", HL_NB, NODOT},
    {"round", HL_NB, NODOT}, {"self", HL_BP, NODOT}, {"set", HL_NB, NODOT},
    {"setattr", HL_NB, NODOT}, {"slice", HL_NB, NODOT}, {"sorted", HL_NB, NODOT},
    {"staticmethod", HL_NB, NODOT}, {"str", HL_NB, NODOT}, {"sum", HL_NB, NODOT},
    {"super", HL_NB, NODOT}, {"try", HL_K, ROOT_ONLY}, {"tuple", HL_NB, NODOT},
    {"type", HL_NB, NODOT}, {"vars", HL_NB, NODOT}, {"while", HL_K, ROOT_ONLY},
    {"with", HL_K, ROOT_ONLY}, {"yield", HL_K, 0}, {"zip", HL_NB, NODOT},
};

/* Python's keyword.kwlist (3.11), sorted: a soft keyword followed by one of
 * these is a name. */
static const char *const kwlist[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break",
    "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
    "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield",
};

static struct hl_words word_index = HL_WORDS(words);
static struct hl_words kwlist_index = HL_WORDS(kwlist);

static void expr(struct py *py, bool in_root);

/* ---- helpers ------------------------------------------------------------------ */

static void
no_match(struct py *py)
{
    hl_no_match(py->h, &py->st);
}

/* ---- small scanners ------------------------------------------------------------ */

/* The \s* at p, remembered, so that runs of blank lines are measured once. */
static size_t
space_run(struct py *py, size_t p)
{
    if (py->ws_from <= p && p <= py->ws_to)
        return py->ws_to - p;
    py->ws_from = p;
    py->ws_to = p + hl_space(py->h, p, true);
    return py->ws_to - p;
}

/* (?:\s|\\\s)+ after def, class, from and import. */
static size_t
keyword_gap(const struct hl *h, size_t p)
{
    size_t q = p, n;
    for (;;) {
        if ((n = hl_space(h, q, true)))
            q += n;
        else if (hl_at(h, q) == '\\' && (n = hl_space(h, q + 1, true)))
            q += 1 + n;
        else
            return q - p;
    }
}

/* The word-list entry of the n-byte word at p, which a boundary ends, or NULL. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t n)
{
    if (n < 2 || n > 25)
        return NULL;
    int i = hl_words_find(&word_index, h->s + p, n);
    return i < 0 ? NULL : &words[i];
}

/* ---- numbers and operators ----------------------------------------------------- */

/* Number.Float with a point: (D\.D?|\.D)([eE][+-]?D)?, D = \d(?:_?\d)*. */
static size_t
point_float(const struct hl *h, size_t p)
{
    size_t d1 = hl_digit_groups(h, p, '_'), q = p + d1;
    if (hl_at(h, q) != '.')
        return 0;
    size_t d2 = hl_digit_groups(h, q + 1, '_');
    if (!d1 && !d2)
        return 0;
    q += 1 + d2;
    return q + hl_exponent(h, q, '_') - p;
}

/* Number.Float with an exponent only: D[eE][+-]?D */
static size_t
exponent_float(const struct hl *h, size_t p)
{
    size_t d = hl_digit_groups(h, p, '_'), e = d ? hl_exponent(h, p + d, '_') : 0;
    return e ? d + e : 0;
}

/* Python's imaginary suffix. Pygments takes it only after an exponent and
 * leaves the j of 2j or 1.5j a name; here every decimal literal keeps it,
 * since the language reads 2j as one number. */
static size_t
imaginary(const struct hl *h, size_t p, size_t n)
{
    return n && hl_in(hl_at(h, p + n), "jJ") ? n + 1 : n;
}

/* 0[xX](?:_?[0-9a-fA-F])+ and its octal and binary kin, digits from set. */
static size_t
radix_int(const struct hl *h, size_t p, const char *marks, const char *set)
{
    if (hl_at(h, p) != '0' || !hl_in(hl_at(h, p + 1), marks))
        return 0;
    size_t n = hl_radix_groups(h, p + 2, '_', set);
    return n ? n + 2 : 0;
}

/* Pygments' 'numbers', in its order. */
static bool
number(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, n;
    int c = hl_at(h, p);
    if (c != '.' && (c < 0x80 ? c < '0' || c > '9' : !hl_digits(h, p)))
        return false;
    if ((n = point_float(h, p)) || (n = exponent_float(h, p)))
        hl_emit(h, HL_MF, imaginary(h, p, n));
    else if ((n = radix_int(h, p, "oO", "01234567")))
        hl_emit(h, HL_MO, n);
    else if ((n = radix_int(h, p, "bB", "01")))
        hl_emit(h, HL_MB, n);
    else if ((n = radix_int(h, p, "xX", HL_HEX)))
        hl_emit(h, HL_MH, n);
    else if ((n = hl_digit_groups(h, p, '_')))
        hl_emit(h, HL_MI, imaginary(h, p, n));
    else
        return false;
    return true;
}

/* The operators: != == << >> := and each of - ~ + / * % = < > & ^ | . */
static size_t
operator_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p), d = hl_at(h, p + 1);
    switch (c) {
    case '!': return d == '=' ? 2 : 0;
    case ':': return d == '=' ? 2 : 0;
    case '=': case '<': case '>': return d == c ? 2 : 1;
    case '-': case '~': case '+': case '/': case '*': case '%': case '&': case '^':
    case '|': case '.':
        return 1;
    default: return 0;
    }
}

/* ---- strings ----------------------------------------------------------------- */

/* The flags of a string prefix of k letters (0, 1 or 2), or 0 with *ok false. */
static unsigned
prefix_flags(const char *s, size_t k, bool *ok)
{
    bool r = false, f = false, b = false;
    for (size_t i = 0; i < k; i++) {
        switch (s[i] | 32) {
        case 'r': r = true; break;
        case 'f': f = true; break;
        case 'b': b = true; break;
        case 'u': break;
        default: *ok = false; return 0;
        }
    }
    *ok = k < 2 || (r && (f || b));
    if (f)
        return r ? FSTR : FSTR | UNIESC | BYTESESC;
    if (r)
        return 0;
    return b ? BYTESESC : UNIESC | BYTESESC;
}

/* The string openers of 'expr': a prefix (sa), then the opening quote(s). */
static bool
string_open(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, k;
    if (hl_in(hl_at(h, p), "'\""))
        k = 0;
    else if (hl_in(hl_at(h, p + 1), "'\""))
        k = 1;
    else if (hl_in(hl_at(h, p + 2), "'\"") && hl_in(hl_at(h, p + 1), "rRfFbB"))
        k = 2;
    else
        return false;
    bool ok;
    unsigned st = STRING | prefix_flags(h->s + p, k, &ok);
    if (!ok)
        return false;
    char q = h->s[p + k];
    bool triple = hl_at(h, p + k + 1) == q && hl_at(h, p + k + 2) == q;
    st |= (q == '"' ? DQ : 0) | (triple ? TRIPLE : 0);
    if (k)
        hl_emit(h, HL_SA, k);
    hl_emit(h, q == '"' ? HL_S2 : HL_S1, triple ? 3 : 1);
    hl_stack_push(&py->st, st);
    return true;
}

/* \N{...}, \uXXXX, \UXXXXXXXX at p, or 0. */
static size_t
unicode_escape(struct py *py, size_t p)
{
    struct hl *h = py->h;
    int d = hl_at(h, p + 1);
    if (d == 'N' && hl_at(h, p + 2) == '{') {
        size_t b = hl_seek(h, &py->brace, "}", 1, p + 3);
        size_t nl = hl_seek(h, &py->newline, "\n", 1, p + 3);
        return b != (size_t)-1 && b < nl ? b + 1 - p : 0;
    }
    return hl_unicode_escape(h, p);
}

/* \\ \' \" \a \b \f \n \r \t \v \<newline> \xXX \o \oo \ooo at p, or 0. */
static size_t
bytes_escape(const struct hl *h, size_t p)
{
    int d = hl_at(h, p + 1);
    if (hl_in(d, "\\abfnrtv\"'\n"))
        return 2;
    if (d == 'x')
        return hl_hex_escape(h, p, 'x', 2);
    return hl_octal_escape(h, p);
}

/* A backslash in a string: an escape (se) where the string's escapes or, in
 * a one-line string, \\ \<quote> \<newline> make one; else a plain character. */
static void
string_backslash(struct py *py, unsigned st, enum hl_class cls)
{
    struct hl *h = py->h;
    size_t p = h->pos, n = 0;
    if (st & UNIESC)
        n = unicode_escape(py, p);
    if (!n && (st & BYTESESC))
        n = bytes_escape(h, p);
    if (!n && !(st & TRIPLE) && hl_in(hl_at(h, p + 1), st & DQ ? "\\\"\n" : "\\'\n"))
        n = 2;
    hl_emit(h, n ? HL_SE : cls, n ? n : 1);
}

/* The tail of a format spec after fill and align:
 * [-+ ]?#?0?(\d+)?,?(\.\d+)?[E-GXb-gnosx%]?\}  Returns the end, or 0. */
static size_t
spec_tail(const struct hl *h, size_t q)
{
    size_t d;
    q += hl_in(hl_at(h, q), "-+ ");
    q += hl_at(h, q) == '#';
    q += hl_at(h, q) == '0';
    q += hl_digits(h, q);
    q += hl_at(h, q) == ',';
    if (hl_at(h, q) == '.' && (d = hl_digits(h, q + 1)))
        q += 1 + d;
    q += hl_in(hl_at(h, q), "EFGXbcdefgnosx%");
    return hl_at(h, q) == '}' ? q + 1 : 0;
}

/* The format spec after ':', trying a fill and align, an align, neither. */
static size_t
format_spec(const struct hl *h, size_t q)
{
    size_t r;
    int32_t cp;
    if (q < h->end && h->s[q] != '\n') {
        size_t f = hl_char(h, q, &cp);
        if (hl_in(hl_at(h, q + f), "<>=^") && (r = spec_tail(h, q + f + 1)))
            return r;
    }
    if (hl_in(hl_at(h, q), "<>=^") && (r = spec_tail(h, q + 1)))
        return r;
    return spec_tail(h, q);
}

/* A str.format field at p: {name.attr[key]!r:spec}, or 0. */
static size_t
format_field(struct py *py, size_t p)
{
    struct hl *h = py->h;
    size_t q = p + 1, w = hl_word_run(h, q);
    if (w) {
        q += w;
        for (;;) {
            size_t b;
            if (hl_at(h, q) == '.' && (w = hl_word_run(h, q + 1)))
                q += 1 + w;
            else if (hl_at(h, q) == '[' &&
                     (b = hl_seek(h, &py->bracket, "]", 1, q + 1)) != (size_t)-1 &&
                     b > q + 1)
                q = b + 1;
            else
                break;
        }
    }
    if (hl_at(h, q) == '!' && hl_in(hl_at(h, q + 1), "sra"))
        q += 2;
    if (hl_at(h, q) == '}')
        return q + 1 - p;
    if (hl_at(h, q) != ':' || !(q = format_spec(h, q + 1)))
        return 0;
    return q - p;
}

/* A printf-style conversion at p:
 * %(\(\w+\))?[-#0 +]*(\d+|\*)?(\.(\d+|\*))?[hlL]?[E-GXc-giorsaux%], or 0. */
static size_t
percent_field(const struct hl *h, size_t p)
{
    static const char digits[] = "0123456789";
    size_t q = p + 1, w;
    if (hl_at(h, q) == '(' && (w = hl_word_run(h, q + 1)) && hl_at(h, q + 1 + w) == ')')
        q += w + 2;
    while (hl_in(hl_at(h, q), "-#0 +"))
        q++;
    if (hl_at(h, q) == '*')
        q++;
    else
        q += hl_span(h, q, digits, SIZE_MAX);
    if (hl_at(h, q) == '.' && (hl_at(h, q + 1) == '*' || hl_in(hl_at(h, q + 1), digits))) {
        q++;
        q += hl_at(h, q) == '*' ? 1 : hl_span(h, q, digits, SIZE_MAX);
    }
    q += hl_in(hl_at(h, q), "hlL");
    return hl_in(hl_at(h, q), "EFGXcdefgiorsaux%") ? q + 1 - p : 0;
}

static bool plain_stop[256] = {
    ['\\'] = true, ['\''] = true, ['"'] = true, ['%'] = true, ['{'] = true, ['\n'] = true,
};
static bool fstring_stop[256] = {
    ['\\'] = true, ['\''] = true, ['"'] = true, ['{'] = true, ['}'] = true, ['\n'] = true,
};

/* The text of a string that is not an f-string: %-fields and {}-fields (si),
 * other text in the string's class. */
static void
plain_text(struct py *py, enum hl_class cls)
{
    struct hl *h = py->h;
    size_t p = h->pos, n;
    switch (h->s[p]) {
    case '%':
        n = percent_field(h, p);
        hl_emit(h, n ? HL_SI : cls, n ? n : 1);
        return;
    case '{':
        n = format_field(py, p);
        hl_emit(h, n ? HL_SI : cls, n ? n : 1 + (hl_at(h, p + 1) == '{'));
        return;
    case '\'': case '"':
        hl_emit(h, cls, 1);
        return;
    default:
        hl_emit(h, cls, hl_until(h, p, plain_stop));
    }
}

/* The text of an f-string: braces (si) open and close expressions. */
static void
fstring_text(struct py *py, enum hl_class cls)
{
    struct hl *h = py->h;
    switch (h->s[h->pos]) {
    case '}':
        hl_emit(h, HL_SI, 1);
        return;
    case '{':
        hl_emit(h, HL_SI, 1);
        hl_stack_push(&py->st, FEXPR);
        return;
    case '\'': case '"':
        hl_emit(h, cls, 1);
        return;
    default:
        hl_emit(h, cls, hl_until(h, h->pos, fstring_stop));
    }
}

/* States sqs dqs tsqs tdqs sqf dqf tsqf tdqf with the escapes combined in. */
static void
string(struct py *py, unsigned st)
{
    struct hl *h = py->h;
    size_t p = h->pos;
    char c = h->s[p], q = st & DQ ? '"' : '\'';
    enum hl_class cls = st & DQ ? HL_S2 : HL_S1;
    if (c == '\\') {
        string_backslash(py, st, cls);
    } else if ((st & FSTR) && (c == '{' || c == '}') && hl_at(h, p + 1) == c) {
        hl_emit(h, HL_SE, 2);
    } else if (c == q && (!(st & TRIPLE) || (hl_at(h, p + 1) == q && hl_at(h, p + 2) == q))) {
        hl_emit(h, cls, st & TRIPLE ? 3 : 1);
        hl_stack_pop(&py->st);
    } else if (c == '\n') {
        if (st & TRIPLE)
            hl_emit(h, cls, 1);
        else
            no_match(py);
    } else if (st & FSTR) {
        fstring_text(py, cls);
    } else {
        plain_text(py, cls);
    }
}

/* ---- f-string expressions ------------------------------------------------------ */

/* 'expr-inside-fstring': after '{' up to '}' or the ':' of a format spec. */
static void
fexpr(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, q = p, n;
    int c = h->s[p];
    if (c == '{' || c == '(' || c == '[') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&py->st, FEXPR_INNER);
        return;
    }
    if (c == '=')
        q = p + 1 + hl_space(h, p + 1, true);
    if (hl_at(h, q) == '!' && hl_in(hl_at(h, q + 1), "sraf"))
        q += 2;
    if (hl_at(h, q) == '}' || hl_at(h, q) == ':') {
        hl_emit(h, HL_SI, q + 1 - p);
        hl_stack_pop(&py->st);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else {
        expr(py, false);
    }
}

/* 'expr-inside-fstring-inner': inside brackets of an f-string expression. */
static void
fexpr_inner(struct py *py)
{
    struct hl *h = py->h;
    size_t n;
    int c = h->s[h->pos];
    if (c == '{' || c == '(' || c == '[') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&py->st, FEXPR_INNER);
    } else if (c == '}' || c == ')' || c == ']') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&py->st);
    } else if ((n = hl_space(h, h->pos, true))) {
        hl_emit(h, HL_TEXT, n);
    } else {
        expr(py, false);
    }
}

/* ---- names --------------------------------------------------------------------- */

/* The word rules of 'expr' (and root's 'keywords' when in_root) for the
 * entry w of the n-byte word at pos: operator words, keywords, constants,
 * builtins, exceptions, magic names. False where the rules reject it. */
static bool
known_word(struct py *py, const struct word *w, size_t n, bool in_root)
{
    struct hl *h = py->h;
    size_t p = h->pos;
    if ((w->flags & NODOT) && p > h->base && h->s[p - 1] == '.')
        return false;
    if ((w->flags & ROOT_ONLY) && !in_root) {
        /* expr-keywords has 'async for' but not 'async' */
        if (n != 5 || memcmp(h->s + p, "async", 5) || !hl_starts(h, p + 5, " for", 4) ||
            !hl_boundary(h, p + 9))
            return false;
        n = 9;
    }
    if (n == 5 && !memcmp(h->s + p, "yield", 5) && hl_starts(h, p + 5, " from", 5) &&
        hl_boundary(h, p + 10))
        n = 10;
    hl_emit(h, w->cls, n);
    return true;
}

/* 'name': @decorator, the @ operator, a name. */
static bool
name(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, n;
    if (h->s[p] == '@') {
        n = hl_ident(h, p + 1);
        hl_emit(h, n ? HL_ND : HL_O, n + 1);
        return true;
    }
    if (!(n = hl_ident(h, p)))
        return false;
    hl_emit(h, HL_N, n);
    return true;
}

/* The word lists, then 'name'. */
static void
word(struct py *py, bool in_root)
{
    struct hl *h = py->h;
    size_t p = h->pos, n = hl_ascii_word(h, p);
    const struct word *w;
    if (n && (p + n == h->end || (unsigned char)h->s[p + n] < 0x80)) {
        /* the common case: an ASCII word, which number() has seen not to
         * start with a digit, and an ASCII character after it */
        if (!(w = lookup(h, p, n)) || !known_word(py, w, n, in_root))
            hl_emit(h, HL_N, n);
        return;
    }
    if (n && hl_boundary(h, p + n) && (w = lookup(h, p, n)) && known_word(py, w, n, in_root))
        return;
    if (!name(py))
        no_match(py);
}

/* 'expr' where the first byte is not ASCII: in Pygments' order, of which
 * spaces, digits and names may start so. */
static void
expr_unicode(struct py *py, bool in_root)
{
    struct hl *h = py->h;
    size_t n = hl_space(h, h->pos, false);
    if (n)
        hl_emit(h, HL_TEXT, n);
    else if (!number(py))
        word(py, in_root);
}

/* 'expr', in Pygments' order (strings, spaces, numbers, operators,
 * punctuation, words, names), dispatched on the first byte, which decides
 * which rules can match; in_root adds root's 'keywords' to the words. */
static void
expr(struct py *py, bool in_root)
{
    struct hl *h = py->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if (c >= 0x80) {
        expr_unicode(py, in_root);
    } else if (c == '\'' || c == '"') {
        string_open(py);
    } else if (((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_') {
        if (!(hl_in(c, "rRuUbBfF") && string_open(py)))
            word(py, in_root);
    } else if ((c >= '0' && c <= '9') || c == '.') {
        if (!number(py))
            hl_emit(h, HL_O, 1);
    } else if ((n = hl_space(h, p, false))) {
        hl_emit(h, HL_TEXT, n);
    } else if ((n = operator_len(h, p))) {
        hl_emit(h, HL_O, n);
    } else if (hl_in(c, "[]{}:(),;")) {
        hl_emit(h, HL_P, 1);
    } else if (!(c == '@' && name(py))) {
        no_match(py);
    }
}

/* ---- root ---------------------------------------------------------------------- */

/* A triple-quoted string that starts a line: Pygments' docstring rule,
 * ^(\s*)([rRuUbB]{,2})("""(?:.|\n)*?"""), and its ''' twin. */
static bool
docstring(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, q = p + space_run(py, p), k = 0;
    while (k < 2 && hl_in(hl_at(h, q + k), "rRuUbB"))
        k++;
    int c = hl_at(h, q + k);
    if ((c != '"' && c != '\'') || hl_at(h, q + k + 1) != c || hl_at(h, q + k + 2) != c)
        return false;
    size_t open = q + k;
    size_t close = c == '"' ? hl_seek(h, &py->dq3, "\"\"\"", 3, open + 3)
                            : hl_seek(h, &py->sq3, "'''", 3, open + 3);
    if (close == (size_t)-1)
        return false;
    if (q > p)
        hl_emit(h, HL_TEXT, q - p);
    if (k)
        hl_emit(h, HL_SA, k);
    hl_emit(h, HL_SD, close + 3 - open);
    return true;
}

/* match or case at the start of a line, unless what follows shows it is a
 * name: an operator-like character or a keyword. */
static bool
soft_keyword(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, q = p, r, n, w;
    while (hl_in(hl_at(h, q), " \t"))
        q++;
    n = hl_ascii_word(h, q);
    if (!((n == 5 && hl_starts(h, q, "match", 5)) || (n == 4 && hl_starts(h, q, "case", 4))) ||
        !hl_boundary(h, q + n))
        return false;
    r = q + n;
    while (hl_in(hl_at(h, r), " \t"))
        r++;
    if (hl_in(hl_at(h, r), ":,;=^&|@~)]}"))
        return false;
    w = hl_ascii_word(h, r);
    if (w && hl_boundary(h, r + w) &&
        hl_words_find(&kwlist_index, h->s + r, w) >= 0)
        return false;
    if (q > p)
        hl_emit(h, HL_TEXT, q - p);
    hl_emit(h, HL_K, n);
    hl_stack_push(&py->st, SOFT_INNER);
    return true;
}

/* type as the soft keyword of a type alias (Python 3.12): "type NAME =" or
 * "type NAME[" at the start of a line. Pygments' PythonLexer has no rule for
 * it and calls it a builtin; elsewhere type stays the builtin. */
static bool
type_alias(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, q = p, r, n;
    while (hl_in(hl_at(h, q), " \t"))
        q++;
    if (!hl_starts(h, q, "type", 4) || !hl_in(hl_at(h, q + 4), " \t"))
        return false;
    for (r = q + 4; hl_in(hl_at(h, r), " \t"); r++)
        ;
    if (!(n = hl_ident(h, r)))
        return false;
    for (r += n; hl_in(hl_at(h, r), " \t"); r++)
        ;
    if (!(hl_at(h, r) == '[' || (hl_at(h, r) == '=' && hl_at(h, r + 1) != '=')))
        return false;
    if (q > p)
        hl_emit(h, HL_TEXT, q - p);
    hl_emit(h, HL_K, 4);
    return true;
}

/* def, class, from, import followed by a gap: the keyword, then a state for
 * the name that follows. */
static bool
statement_keyword(struct py *py)
{
    static const struct {
        const char *w;
        size_t n;
        enum hl_class cls;
        unsigned state;
    } heads[] = {
        { "def", 3, HL_K, FUNCNAME }, { "class", 5, HL_K, CLASSNAME },
        { "from", 4, HL_KN, FROMIMPORT }, { "import", 6, HL_KN, IMPORT },
    };
    struct hl *h = py->h;
    size_t p = h->pos, n = hl_ascii_word(h, p), gap;
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        if (n != heads[i].n || memcmp(h->s + p, heads[i].w, n))
            continue;
        if (!(gap = keyword_gap(h, p + n)))
            return false;
        hl_emit(h, heads[i].cls, n);
        hl_emit(h, HL_TEXT, gap);
        hl_stack_push(&py->st, heads[i].state);
        return true;
    }
    return false;
}

static void
root(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos;
    int c = (unsigned char)h->s[p];
    bool bol = hl_line_start(h, p);
    if (c == '\n')
        hl_emit(h, HL_TEXT, 1);
    else if (bol && docstring(py))
        return;
    else if (c == '#')
        hl_hash_comment(h);
    else if (c == '\\')
        hl_emit(h, HL_TEXT, 1 + (hl_at(h, p + 1) == '\n'));
    else if (bol && hl_in(c, " \tmc") && soft_keyword(py))
        return;
    else if (bol && hl_in(c, " \tt") && type_alias(py))
        return;
    else if (!(c >= 'c' && c <= 'i' && statement_keyword(py)))
        expr(py, true);
}

/* ---- the states after def, class, import, from, case ------------------------------- */

static void
funcname(struct py *py)
{
    struct hl *h = py->h;
    size_t n = hl_ascii_word(h, h->pos);
    const struct word *w = hl_boundary(h, h->pos + n) ? lookup(h, h->pos, n) : NULL;
    if (w && w->cls == HL_FM) {
        hl_emit(h, HL_FM, n);
        return;
    }
    if ((n = hl_ident(h, h->pos)))
        hl_emit(h, HL_NF, n);
    hl_stack_pop(&py->st);
}

static void
classname(struct py *py)
{
    size_t n = hl_ident(py->h, py->h->pos);
    if (!n) {
        no_match(py);
        return;
    }
    hl_emit(py->h, HL_NC, n);
    hl_stack_pop(&py->st);
}

/* 'import': dotted names (nn), "as", commas. */
static void
import_names(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, ws = hl_space(h, p, true), ws2, n;
    if (ws && hl_starts(h, p + ws, "as", 2) && (ws2 = hl_space(h, p + ws + 2, true))) {
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_K, 2);
        hl_emit(h, HL_TEXT, ws2);
    } else if (h->s[p] == '.') {
        hl_emit(h, HL_NN, 1);
    } else if ((n = hl_ident(h, p))) {
        hl_emit(h, HL_NN, n);
    } else if (hl_at(h, p + ws) == ',') {
        if (ws)
            hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_O, 1);
        if ((ws2 = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, ws2);
    } else {
        hl_stack_pop(&py->st);
    }
}

/* 'fromimport': the dotted module name up to "import"; "from None" ends it. */
static void
from_names(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, ws = hl_space(h, p, true), n;
    if (ws && hl_starts(h, p + ws, "import", 6) && hl_boundary(h, p + ws + 6)) {
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_KN, 6);
        hl_stack_pop(&py->st);
    } else if (h->s[p] == '.') {
        hl_emit(h, HL_NN, 1);
    } else if (hl_starts(h, p, "None", 4) && hl_boundary(h, p + 4)) {
        hl_emit(h, HL_BP, 4);
        hl_stack_pop(&py->st);
    } else if ((n = hl_ident(h, p))) {
        hl_emit(h, HL_NN, n);
    } else {
        hl_stack_pop(&py->st);
    }
}

/* 'soft-keywords-inner': after match or case, a '_' that is the first on its
 * line is a keyword, the text before it lexed as a text of its own. */
static void
soft_inner(struct py *py)
{
    struct hl *h = py->h;
    size_t p = h->pos, ws = hl_space(h, p, true), u = p + ws;
    while (u < h->end && h->s[u] != '_' && h->s[u] != '\n')
        u++;
    if (!ws || u >= h->end || h->s[u] != '_' || !hl_boundary(h, u + 1)) {
        hl_stack_pop(&py->st);
        return;
    }
    hl_emit(h, HL_TEXT, ws);
    if (u > h->pos)
        hl_sub(h, u, lex_python);
    hl_emit(h, HL_K, 1);
}

/* ---- the machine ----------------------------------------------------------------- */

static void
run(struct py *py)
{
    while (py->h->pos < py->h->end) {
        unsigned st = hl_stack_top(&py->st);
        if (st == ROOT) {   /* the common state: a branch the CPU predicts */
            root(py);
            continue;
        }
        switch (st & KIND) {
        case FUNCNAME: funcname(py); break;
        case CLASSNAME: classname(py); break;
        case FROMIMPORT: from_names(py); break;
        case IMPORT: import_names(py); break;
        case SOFT_INNER: soft_inner(py); break;
        case FEXPR: fexpr(py); break;
        case FEXPR_INNER: fexpr_inner(py); break;
        default: string(py, st); break;
        }
    }
}

void
lex_python(struct hl *h)
{
    struct py py = {
        .h = h, .dq3 = HL_SEEK_INIT, .sq3 = HL_SEEK_INIT, .bracket = HL_SEEK_INIT,
        .brace = HL_SEEK_INIT, .newline = HL_SEEK_INIT, .ws_from = 1, .ws_to = 0,
    };
    hl_stack_init(&py.st, ROOT);
    run(&py);
    hl_stack_dispose(&py.st);
}
