/* highlight.c: the engine of the code highlighter in parse/: the language
 * table, a cursor that writes escaped text and merged spans with Pygments'
 * short classes, and the scanning helpers every lexer (lex_*.c) shares. */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

static const struct language {
    const char *name;
    const char *aliases; /* space-separated, lower case */
    hl_lexer lex;
} languages[] = {
    { "python", "py python3 py3 sage", lex_python },
    { "c", "", lex_c },
    { "bash", "sh shell zsh ksh", lex_bash },
    { "console", "shell-session", lex_console },
    { "json", "json-object", lex_json },
    { "yaml", "yml", lex_yaml },
    { "javascript", "js", lex_javascript },
    { "diff", "udiff patch", lex_diff },
};

static const char *const class_names[HL_CLASS_COUNT] = {
    [HL_TEXT] = "", [HL_ERR] = "err",
    [HL_C] = "c", [HL_CH] = "ch", [HL_CM] = "cm", [HL_CP] = "cp",
    [HL_CPF] = "cpf", [HL_C1] = "c1", [HL_CS] = "cs",
    [HL_K] = "k", [HL_KC] = "kc", [HL_KD] = "kd", [HL_KN] = "kn",
    [HL_KP] = "kp", [HL_KR] = "kr", [HL_KT] = "kt",
    [HL_N] = "n", [HL_NA] = "na", [HL_NB] = "nb", [HL_BP] = "bp",
    [HL_NC] = "nc", [HL_NO] = "no", [HL_ND] = "nd", [HL_NI] = "ni",
    [HL_NE] = "ne", [HL_NF] = "nf", [HL_FM] = "fm", [HL_NL] = "nl",
    [HL_NN] = "nn", [HL_NT] = "nt", [HL_NV] = "nv", [HL_VC] = "vc",
    [HL_VG] = "vg", [HL_VI] = "vi", [HL_VM] = "vm", [HL_NX] = "nx",
    [HL_L] = "l",
    [HL_S] = "s", [HL_SA] = "sa", [HL_SB] = "sb", [HL_SC] = "sc",
    [HL_DL] = "dl", [HL_SD] = "sd", [HL_S2] = "s2", [HL_SE] = "se",
    [HL_SH] = "sh", [HL_SI] = "si", [HL_SX] = "sx", [HL_SR] = "sr",
    [HL_S1] = "s1", [HL_SS] = "ss",
    [HL_M] = "m", [HL_MB] = "mb", [HL_MF] = "mf", [HL_MH] = "mh",
    [HL_MI] = "mi", [HL_IL] = "il", [HL_MO] = "mo",
    [HL_O] = "o", [HL_OW] = "ow", [HL_P] = "p",
    [HL_GD] = "gd", [HL_GE] = "ge", [HL_GH] = "gh", [HL_GI] = "gi",
    [HL_GO] = "go", [HL_GP] = "gp", [HL_GS] = "gs", [HL_GU] = "gu",
    [HL_GR] = "gr", [HL_GT] = "gt",
};

/* ---- the language table ---------------------------------------------------- */

/* True if s[0..n) equals the lower-case word w (which a space or NUL ends),
 * ignoring ASCII case. */
static bool
same_word(const char *s, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i] || c == ' ' || !w[i])
            return false;
    }
    return !w[n] || w[n] == ' ';
}

static const struct language *
find_language(const char *lang)
{
    size_t n = strlen(lang);
    if (!n)
        return NULL;
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++) {
        const struct language *l = &languages[i];
        if (same_word(lang, n, l->name))
            return l;
        for (const char *a = l->aliases; *a; a += strcspn(a, " "), a += *a == ' ')
            if (same_word(lang, n, a))
                return l;
    }
    return NULL;
}

const char *
highlight_language(const char *lang)
{
    const struct language *l = find_language(lang);
    return l ? l->name : NULL;
}

/* ---- writing HTML ------------------------------------------------------------ */

/* The entities of the bytes HTML needs escaped, NULL for the others. */
static const char *const entities[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

/* Writes s[0..n) escaped at d, which has room for 6n bytes; returns the end. */
static char *
escape_to(char *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *e = entities[(unsigned char)s[i]];
        if (!e) {
            *d++ = s[i];
            continue;
        }
        while (*e)
            *d++ = *e++;
    }
    return d;
}

/* Appends s[0..n), which holds no newline, escaped and, unless cls is
 * HL_TEXT, in a span of class cls. Reserves the worst case (6 bytes out per
 * byte in) a chunk at a time. */
static void
put_run(struct buf *b, enum hl_class cls, const char *s, size_t n)
{
    size_t chunk = n < 4096 ? n : 4096;
    if (b->cap - b->len < 6 * chunk + 33)   /* buf_grow's test, without a call */
        buf_grow(b, 6 * chunk + 32);
    char *d = b->data + b->len;
    if (cls != HL_TEXT) {
        memcpy(d, "<span class=\"", 13);
        d += 13;
        for (const char *c = class_names[cls]; *c; c++)
            *d++ = *c;
        *d++ = '"';
        *d++ = '>';
    }
    for (;;) {
        d = escape_to(d, s, chunk);
        s += chunk;
        n -= chunk;
        if (!n)
            break;
        b->len = (size_t)(d - b->data);
        chunk = n < 4096 ? n : 4096;
        buf_grow(b, 6 * chunk + 32);
        d = b->data + b->len;
    }
    if (cls != HL_TEXT) {
        memcpy(d, "</span>", 7);
        d += 7;
    }
    b->len = (size_t)(d - b->data);
    b->data[b->len] = '\0';
}

/* memchr for '\n', without a call for the many short tokens. */
static const char *
find_newline(const char *s, size_t n)
{
    if (n > 32)
        return memchr(s, '\n', n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            return s + i;
    return NULL;
}

/* Writes the pending run s[run..pos) and starts an empty one. */
void
hl_flush(struct hl *h)
{
    const char *s = h->s + h->run;
    size_t n = h->pos - h->run;
    h->run = h->pos;
    if (h->run_cls == HL_TEXT) {
        put_run(h->out, HL_TEXT, s, n);
        return;
    }
    while (n) {
        const char *nl = find_newline(s, n);
        size_t line = nl ? (size_t)(nl - s) : n;
        if (line)
            put_run(h->out, h->run_cls, s, line);
        if (!nl)
            break;
        buf_putc(h->out, '\n');
        s += line + 1;
        n -= line + 1;
    }
}

void
hl_sub(struct hl *h, size_t end, hl_lexer lex)
{
    size_t base = h->base, outer_end = h->end;
    h->base = h->pos;
    h->end = end;
    lex(h);
    h->base = base;
    h->end = outer_end;
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
    struct hl h = { .s = code, .len = lexed, .base = 0, .end = lexed, .pos = 0,
                    .out = out, .run = 0, .run_cls = HL_TEXT };
    l->lex(&h);
    h.pos = len;   /* the newline added, if any, is the last byte and in no span */
    if (h.pos > h.run)
        hl_flush(&h);
    free(copy);
}

bool
highlight_code(struct buf *out, const char *lang, const char *code, size_t len)
{
    const struct language *l = find_language(lang);
    if (!l)
        return false;
    buf_grow(out, len + len / 2);
    highlight(out, l, code, len);
    return true;
}

/* ---- the state stack ------------------------------------------------------ */

void
hl_stack_init(struct hl_stack *st, unsigned bottom)
{
    st->items = st->first;
    st->cap = sizeof st->first / sizeof *st->first;
    st->depth = 1;
    st->items[0] = (uint16_t)bottom;
}

void
hl_stack_push(struct hl_stack *st, unsigned state)
{
    if (st->depth == st->cap) {
        size_t cap = st->cap * 2;
        uint16_t *items = xmalloc(cap * sizeof *items);
        memcpy(items, st->items, st->depth * sizeof *items);
        if (st->items != st->first)
            free(st->items);
        st->items = items;
        st->cap = cap;
    }
    st->items[st->depth++] = (uint16_t)state;
}

void
hl_stack_dispose(struct hl_stack *st)
{
    if (st->items != st->first)
        free(st->items);
    st->items = NULL;
}

void
hl_no_match(struct hl *h, struct hl_stack *st)
{
    int32_t cp;
    if (h->s[h->pos] == '\n') {
        hl_stack_reset(st);
        hl_emit(h, HL_TEXT, 1);
        return;
    }
    hl_emit(h, HL_ERR, hl_char(h, h->pos, &cp));
}

/* ---- characters ---------------------------------------------------------------- */

/* ASCII classes, one bit each, for the fast paths; bytes >= 0x80 have none */
enum { A_WORD = 1, A_SPACE = 2 };
static const unsigned char ascii[256] = {
    ['\t'] = A_SPACE, ['\n'] = A_SPACE, ['\v'] = A_SPACE, ['\f'] = A_SPACE,
    ['\r'] = A_SPACE, [0x1c] = A_SPACE, [0x1d] = A_SPACE, [0x1e] = A_SPACE,
    [0x1f] = A_SPACE, [' '] = A_SPACE,
    ['0'] = A_WORD, ['1'] = A_WORD, ['2'] = A_WORD, ['3'] = A_WORD, ['4'] = A_WORD,
    ['5'] = A_WORD, ['6'] = A_WORD, ['7'] = A_WORD, ['8'] = A_WORD, ['9'] = A_WORD,
    ['A'] = A_WORD, ['B'] = A_WORD, ['C'] = A_WORD, ['D'] = A_WORD, ['E'] = A_WORD,
    ['F'] = A_WORD, ['G'] = A_WORD, ['H'] = A_WORD, ['I'] = A_WORD, ['J'] = A_WORD,
    ['K'] = A_WORD, ['L'] = A_WORD, ['M'] = A_WORD, ['N'] = A_WORD, ['O'] = A_WORD,
    ['P'] = A_WORD, ['Q'] = A_WORD, ['R'] = A_WORD, ['S'] = A_WORD, ['T'] = A_WORD,
    ['U'] = A_WORD, ['V'] = A_WORD, ['W'] = A_WORD, ['X'] = A_WORD, ['Y'] = A_WORD,
    ['Z'] = A_WORD, ['_'] = A_WORD,
    ['a'] = A_WORD, ['b'] = A_WORD, ['c'] = A_WORD, ['d'] = A_WORD, ['e'] = A_WORD,
    ['f'] = A_WORD, ['g'] = A_WORD, ['h'] = A_WORD, ['i'] = A_WORD, ['j'] = A_WORD,
    ['k'] = A_WORD, ['l'] = A_WORD, ['m'] = A_WORD, ['n'] = A_WORD, ['o'] = A_WORD,
    ['p'] = A_WORD, ['q'] = A_WORD, ['r'] = A_WORD, ['s'] = A_WORD, ['t'] = A_WORD,
    ['u'] = A_WORD, ['v'] = A_WORD, ['w'] = A_WORD, ['x'] = A_WORD, ['y'] = A_WORD,
    ['z'] = A_WORD,
};

size_t
hl_char(const struct hl *h, size_t p, int32_t *cp)
{
    unsigned char c = (unsigned char)h->s[p];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    *cp = utf8_decode(h->s + p, h->end - p, &n);
    return n;
}

/* True if cp lies in one of the count sorted ranges. */
static bool
in_ranges(int32_t cp, const int32_t (*ranges)[2], size_t count)
{
    for (size_t i = 0; i < count && ranges[i][0] <= cp; i++)
        if (cp <= ranges[i][1])
            return true;
    return false;
}

/* The letter numbers (Nl), which utf8_classify counts with No, and which
 * may start an identifier (Unicode 14). */
static bool
is_letter_number(int32_t cp)
{
    static const int32_t nl[][2] = {
        {0x16ee, 0x16f0}, {0x2160, 0x2182}, {0x2185, 0x2188}, {0x3007, 0x3007},
        {0x3021, 0x3029}, {0x3038, 0x303a}, {0xa6e6, 0xa6ef}, {0x10140, 0x10174},
        {0x10341, 0x10341}, {0x1034a, 0x1034a}, {0x103d1, 0x103d5}, {0x12400, 0x1246e},
    };
    return in_ranges(cp, nl, sizeof nl / sizeof *nl);
}

/* The enclosing marks (Me), which utf8_classify counts with Mn and Mc, and
 * which may not continue an identifier. */
static bool
is_enclosing_mark(int32_t cp)
{
    static const int32_t me[][2] = {
        {0x488, 0x489}, {0x1abe, 0x1abe}, {0x20dd, 0x20e0}, {0x20e2, 0x20e4},
        {0xa670, 0xa672},
    };
    return in_ranges(cp, me, sizeof me / sizeof *me);
}

/* The connector punctuation (Pc) besides '_', which may continue one. */
static bool
is_connector(int32_t cp)
{
    static const int32_t pc[][2] = {
        {0x203f, 0x2040}, {0x2054, 0x2054}, {0xfe33, 0xfe34}, {0xfe4d, 0xfe4f},
        {0xff3f, 0xff3f},
    };
    return in_ranges(cp, pc, sizeof pc / sizeof *pc);
}

bool
hl_cp_word(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (ascii[cp] & A_WORD);
    enum utf8_class c = utf8_classify(cp);
    return c == UTF8_LETTER || c == UTF8_DIGIT || c == UTF8_NUMBER;
}

bool
hl_cp_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1c && cp <= 0x1f);
    return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

bool
hl_cp_digit(int32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return utf8_classify(cp) == UTF8_DIGIT;
}

/* Letters that NFKC normalisation turns into something else, which Python
 * does not take in identifiers (not XID_Continue); with start, also the
 * four that may continue but not start one (not XID_Start). */
static bool
not_xid(int32_t cp, bool start)
{
    static const int32_t no_start[][2] = {
        {0x37a, 0x37a}, {0x2e2f, 0x2e2f}, {0x309b, 0x309c}, {0xfc5e, 0xfc63},
        {0xfdfa, 0xfdfb}, {0xfe70, 0xfe70}, {0xfe72, 0xfe72}, {0xfe74, 0xfe74},
        {0xfe76, 0xfe76}, {0xfe78, 0xfe78}, {0xfe7a, 0xfe7a}, {0xfe7c, 0xfe7c},
        {0xfe7e, 0xfe7e},
    };
    if (in_ranges(cp, no_start, sizeof no_start / sizeof *no_start))
        return true;
    return start && (cp == 0xe33 || cp == 0xeb3 || cp == 0xff9e || cp == 0xff9f);
}

/* Letters, letter numbers and Other_ID_Start, before the NFKC exceptions. */
static bool
id_letter(int32_t cp)
{
    return utf8_classify(cp) == UTF8_LETTER || is_letter_number(cp) || cp == 0x1885 ||
           cp == 0x1886 || cp == 0x2118 || cp == 0x212e;
}

bool
hl_cp_id_start(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (ascii[cp] & A_WORD) && !(cp >= '0' && cp <= '9');
    return id_letter(cp) && !not_xid(cp, true);
}

bool
hl_cp_id_cont(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (ascii[cp] & A_WORD);
    enum utf8_class c = utf8_classify(cp);
    bool other = cp == 0xb7 || cp == 0x387 || (cp >= 0x1369 && cp <= 0x1371) || cp == 0x19da;
    return (id_letter(cp) || (c == UTF8_MARK && !is_enclosing_mark(cp)) || c == UTF8_DIGIT ||
            is_connector(cp) || other) && !not_xid(cp, false);
}

bool
hl_word_at(const struct hl *h, size_t p)
{
    if (p >= h->end)
        return false;
    unsigned char c = (unsigned char)h->s[p];
    if (c < 0x80)
        return ascii[c] & A_WORD;
    int32_t cp;
    hl_char(h, p, &cp);
    return hl_cp_word(cp);
}

bool
hl_word_before(const struct hl *h, size_t p)
{
    if (p <= h->base)
        return false;
    unsigned char c = (unsigned char)h->s[p - 1];
    if (c < 0x80)
        return ascii[c] & A_WORD;
    size_t start = p - 1;   /* back to the lead byte, at most three steps */
    while (start > h->base && p - start < 4 && ((unsigned char)h->s[start] & 0xc0) == 0x80)
        start--;
    int32_t cp;
    size_t n = hl_char(h, start, &cp);
    return start + n == p && hl_cp_word(cp);
}

size_t
hl_ascii_word(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && (ascii[(unsigned char)h->s[q]] & A_WORD))
        q++;
    return q - p;
}

size_t
hl_word_run(const struct hl *h, size_t p)
{
    size_t q = p + hl_ascii_word(h, p);
    while (q < h->end && (unsigned char)h->s[q] >= 0x80) {
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_word(cp))
            break;
        q += n;
        q += hl_ascii_word(h, q);
    }
    return q - p;
}

size_t
hl_ident(const struct hl *h, size_t p)
{
    int32_t cp;
    if (p >= h->end)
        return 0;
    size_t q = p + hl_char(h, p, &cp);
    if (!hl_cp_id_start(cp))
        return 0;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (!(ascii[c] & A_WORD))
                break;
            q++;
            continue;
        }
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_id_cont(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_space_run(const struct hl *h, size_t p, bool newlines)
{
    size_t q = p;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c == '\n' && !newlines)
            break;
        if (c < 0x80) {
            if (!(ascii[c] & A_SPACE))
                break;
            q++;
            continue;
        }
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_space(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_digits(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (c < '0' || c > '9')
                break;
            q++;
            continue;
        }
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (!hl_cp_digit(cp))
            break;
        q += n;
    }
    return q - p;
}

size_t
hl_until(const struct hl *h, size_t p, const bool stop[256])
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && !stop[s[q]])
        q++;
    return q - p;
}

size_t
hl_line_end(const struct hl *h, size_t p)
{
    if (p >= h->end)
        return h->end;
    const char *nl = memchr(h->s + p, '\n', h->end - p);
    return nl ? (size_t)(nl - h->s) : h->end;
}

/* ---- words and searches ----------------------------------------------------- */

/* FNV-1a: enough to spread a few hundred keywords */
static size_t
hash_word(const char *w, size_t n)
{
    uint32_t x = 2166136261u;
    for (size_t i = 0; i < n; i++)
        x = (x ^ (unsigned char)w[i]) * 16777619u;
    return x;
}

static const char *
word_of(const struct hl_words *ws, size_t i)
{
    const char *w;
    memcpy(&w, (const char *)ws->table + i * ws->size, sizeof w);
    return w;
}

/* An open-addressed hash index: slot -> entry + 1, 0 when empty. */
struct hl_words_index {
    size_t mask;
    unsigned char *lens;  /* of each entry's word, after slots */
    uint16_t slots[];
};

/* Builds the index of ws, or takes the one another thread built first. */
static struct hl_words_index *
build_index(struct hl_words *ws)
{
    size_t n = 16;
    while (n < ws->count * 4)   /* at most a quarter full */
        n *= 2;
    struct hl_words_index *ix = xcalloc(1, sizeof *ix + n * sizeof *ix->slots + ws->count);
    ix->mask = n - 1;
    ix->lens = (unsigned char *)(ix->slots + n);
    for (size_t i = 0; i < ws->count; i++) {
        const char *w = word_of(ws, i);
        size_t len = strlen(w);
        ix->lens[i] = (unsigned char)(len < 255 ? len : 255);
        size_t at = hash_word(w, len) & ix->mask;
        while (ix->slots[at])
            at = (at + 1) & ix->mask;
        ix->slots[at] = (uint16_t)(i + 1);
    }
    struct hl_words_index *expected = NULL;
    if (!atomic_compare_exchange_strong(&ws->index, &expected, ix)) {
        free(ix);
        return expected;
    }
    return ix;
}

int
hl_words_find(struct hl_words *ws, const char *w, size_t n)
{
    struct hl_words_index *ix = atomic_load_explicit(&ws->index, memory_order_acquire);
    if (!ix)
        ix = build_index(ws);
    if (n >= 255)
        return -1;
    for (size_t at = hash_word(w, n) & ix->mask; ix->slots[at]; at = (at + 1) & ix->mask) {
        size_t i = ix->slots[at] - 1u;
        if (ix->lens[i] == n && !memcmp(word_of(ws, i), w, n))
            return (int)i;
    }
    return -1;
}

size_t
hl_seek(const struct hl *h, struct hl_seek *c, const char *needle, size_t n, size_t from)
{
    if (!(c->from <= from && from <= c->at)) {
        const char *hit = from + n <= h->len
                              ? memmem(h->s + from, h->len - from, needle, n) : NULL;
        c->from = from;
        c->at = hit ? (size_t)(hit - h->s) : h->len;
    }
    if (c->at + n > h->end)
        return (size_t)-1;
    return c->at;
}
