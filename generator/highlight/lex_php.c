/* lex_php.c: the PHP lexers of the highlighter. "php" follows Pygments'
 * PhpLexer (pygments/lexers/php.py, Debian's 2.14) rule by rule: text before
 * <?php is Other (x), then keywords, variables, names (builtin functions nb),
 * numbers, strings with their interpolations, heredocs and comments.
 * "html+php" is Pygments' HtmlPhpLexer: the Other text lexed as HTML. */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

/* Pygments' states */
enum { ROOT, PHP, CLASSNAME, FUNCNAME, STRING };

/* The lines that could close a heredoc: a word after a newline and blanks,
 * then ";\n" or "\n"; grouped by the word (ASCII case folded, as the regex
 * compares it), each group in text order with a cursor that only moves on. */
struct heredoc_line {
    size_t at;       /* the word */
    size_t nl;       /* the last newline before it */
    uint32_t len;    /* of the word */
    uint32_t next;   /* the next line of the same word, or NONE */
};
struct heredocs {
    struct heredoc_line *lines;
    size_t count;
    uint32_t *heads;  /* hash slot -> first line not yet passed, or NONE */
    uint32_t *keys;   /* hash slot -> a line of the group (for its word), or NONE */
    size_t mask;
};
#define NONE UINT32_MAX

/* What searches found, kept so that no text is scanned twice. A lexer shares
 * it with the lexers it runs over interpolations in strings, which come
 * after it in the text, so that positions only grow. */
struct memo {
    struct hl_seek comment_end, brace, braces, bracket, newline;
    size_t sq_fail, sq_end;    /* a '...' string opened after sq_fail (end sq_end) is unclosed */
    size_t bq_fail, bq_end;    /* the same for `...` */
    size_t ws_from, ws_at;     /* next_space's last answer */
    bool ws_none;
    size_t run_end, run_brace; /* the last '}' of the \S run that ends at run_end */
    struct heredocs *heredocs; /* built at the first <<< */
    size_t top_base, top_end;  /* the text of the outermost lexer */
};

struct php {
    struct hl *h;
    struct hl_stack st;
    struct memo *m;
};

static void run(struct hl *h, struct memo *m, bool inline_start);

/* ---- characters and words ------------------------------------------------------ */

/* What the rules ask of a byte, one bit each. _ident_inner: [\\_a-z] or
 * any non-ASCII, then [\\\w] or non-ASCII (ID_START, ID_CONT, NS);
 * _ident_nons without the backslash. WORD is ASCII [A-Za-z0-9_], SPACE
 * ASCII \s, OP [~!%^&*+=|:.<>/@-] and PUNCT [\[\]{}();,]. */
enum { ID_START = 1, ID_CONT = 2, NS = 4, WORD = 8, SPACE = 16, OP = 32, PUNCT = 64 };
static const unsigned char byte_class[256] = {
#define L ID_START | ID_CONT | WORD
#define D ID_CONT | WORD
    ['\\'] = NS,
    ['0'] = D, ['1'] = D, ['2'] = D, ['3'] = D, ['4'] = D,
    ['5'] = D, ['6'] = D, ['7'] = D, ['8'] = D, ['9'] = D,
    ['_'] = L,
    ['A'] = L, ['B'] = L, ['C'] = L, ['D'] = L, ['E'] = L, ['F'] = L, ['G'] = L,
    ['H'] = L, ['I'] = L, ['J'] = L, ['K'] = L, ['L'] = L, ['M'] = L, ['N'] = L,
    ['O'] = L, ['P'] = L, ['Q'] = L, ['R'] = L, ['S'] = L, ['T'] = L, ['U'] = L,
    ['V'] = L, ['W'] = L, ['X'] = L, ['Y'] = L, ['Z'] = L,
    ['a'] = L, ['b'] = L, ['c'] = L, ['d'] = L, ['e'] = L, ['f'] = L, ['g'] = L,
    ['h'] = L, ['i'] = L, ['j'] = L, ['k'] = L, ['l'] = L, ['m'] = L, ['n'] = L,
    ['o'] = L, ['p'] = L, ['q'] = L, ['r'] = L, ['s'] = L, ['t'] = L, ['u'] = L,
    ['v'] = L, ['w'] = L, ['x'] = L, ['y'] = L, ['z'] = L,
#undef D
#undef L
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    [0x1c] = SPACE, [0x1d] = SPACE, [0x1e] = SPACE, [0x1f] = SPACE, [' '] = SPACE,
    ['~'] = OP, ['!'] = OP, ['%'] = OP, ['^'] = OP, ['&'] = OP, ['*'] = OP, ['+'] = OP,
    ['='] = OP, ['|'] = OP, [':'] = OP, ['.'] = OP, ['<'] = OP, ['>'] = OP, ['/'] = OP,
    ['@'] = OP, ['-'] = OP,
    ['['] = PUNCT, [']'] = PUNCT, ['{'] = PUNCT, ['}'] = PUNCT, ['('] = PUNCT,
    [')'] = PUNCT, [';'] = PUNCT, [','] = PUNCT,
#define HI ID_START | ID_CONT
#define HI8 HI, HI, HI, HI, HI, HI, HI, HI
#define HI64 HI8, HI8, HI8, HI8, HI8, HI8, HI8, HI8
    [0x80] = HI64, HI64,
#undef HI64
#undef HI8
#undef HI
};

/* The first offset at or after q whose byte has none of the bits, or end:
 * a plain loop, as most runs here are a few bytes long. */
static inline size_t
skip(const struct hl *h, size_t q, unsigned bits)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t end = h->end;
    while (q < end && (byte_class[s[q]] & bits))
        q++;
    return q;
}

/* The end of the run of ASCII \s at q, or end: most often at once (one
 * blank), else indentation eight blanks at a time and the rest a byte at a
 * time. */
static inline size_t
skip_spaces(const struct hl *h, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t end = h->end;
    uint64_t eight;
    if (q >= end || !(byte_class[s[q]] & SPACE))
        return q;
    while (end - q >= 8 && (memcpy(&eight, s + q, 8), eight == 0x2020202020202020u))
        q += 8;
    while (q < end && (byte_class[s[q]] & SPACE))
        q++;
    return q;
}

/* The length of the run at p of bytes with one of the bits. */
static inline size_t
run_of(const struct hl *h, size_t p, unsigned bits)
{
    return skip(h, p, bits) - p;
}

/* Length of the identifier at p, with backslashes when ns (_ident_inner),
 * without (_ident_nons); 0 if none. */
static inline size_t
ident(const struct hl *h, size_t p, bool ns)
{
    const unsigned char *s = (const unsigned char *)h->s;
    unsigned extra = ns ? NS : 0;
    if (p >= h->end || !(byte_class[s[p]] & (ID_START | extra)))
        return 0;
    return hl_skip(h, p + 1, byte_class, ID_CONT | extra) - p;
}

static bool
is_ascii_space(int c)
{
    return byte_class[(unsigned char)c] & SPACE;
}

/* The keywords of the long alternation, which IGNORECASE lets match in any
 * case: looked up case-folded (word_kind). */
static const char *const keywords[] = {
    "abstract", "and", "array", "as", "break", "case", "catch", "cfunction", "clone",
    "continue", "declare", "default", "die", "do", "e_all", "e_error", "e_parse",
    "e_warning", "echo", "else", "elseif", "empty", "enddeclare", "endfor", "endforeach",
    "endif", "endswitch", "endwhile", "eval", "exit", "extends", "false", "final",
    "finally", "for", "foreach", "global", "if", "implements", "include", "include_once",
    "interface", "list", "match", "namespace", "new", "not", "null", "old_function", "or",
    "parent", "php_os", "php_user_filter", "php_version", "print", "private", "protected",
    "public", "require", "require_once", "return", "static", "stdclass", "switch", "this",
    "throw", "trait", "true", "try", "use", "var", "virtual", "while", "xor", "yield",
};
/* The magic names, all "__" first, sorted for a binary search. */
static const char *const magic_functions[] = {
    "__call", "__callstatic", "__clone", "__construct", "__debuginfo", "__destruct",
    "__get", "__invoke", "__isset", "__set", "__set_state", "__sleep", "__tostring",
    "__unset", "__wakeup",
};
static const char *const magic_constants[] = {
    "__class__", "__dir__", "__file__", "__function__", "__line__", "__method__",
    "__namespace__", "__trait__",
};
#define COUNT(a) (sizeof (a) / sizeof *(a))

/* Compares w[0..n), ASCII lower-cased, with the lower-case word t as strcmp
 * would: in the order the tables are sorted in. */
static int
compare_fold(const char *w, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)w[i], b = (unsigned char)t[i];
        if (a >= 'A' && a <= 'Z')
            a += 32;
        if (a != b)
            return a < b ? -1 : 1;
    }
    return t[n] ? -1 : 0;
}

/* Whether w[0..n) is one of the count sorted words, in any case: a binary
 * search, for the short tables that need no index. */
static bool
sorted_has(const char *const *words, size_t count, const char *w, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = compare_fold(w, n, words[mid]);
        if (!c)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* What a word that ends a run of ASCII \w can start, by the rules before
 * the name rule: class, function and const with what follows them, the
 * keywords, the magic constants. */
enum word_kind { PLAIN_WORD, CLASS_WORD, FUNCTION_WORD, CONST_WORD, KEYWORD, MAGIC_CONSTANT };

/* The words of those rules by a key: the word's first 16 bytes (none is
 * longer), each ORed with 0x20, the rest zero. Over [A-Za-z0-9_] that folds
 * ASCII case and nothing else, as IGNORECASE does. */
struct word_key {
    uint64_t lo, hi;
};
struct word_slot {
    struct word_key key;   /* lo is 0 in an empty slot */
    unsigned kind;
};
#define WORD_SLOTS 256     /* a third full */
#define WORD_KEY_MAX 16

/* The key of the n bytes at w (0 < n <= 16, all ASCII \w), reading 16 bytes
 * when has_16 says that they lie in the buffer: the bytes past n are
 * masked off, so what they hold does not matter. */
static inline struct word_key
word_key(const char *w, size_t n, bool has_16)
{
    /* 0xff for each byte the key keeps, in memory order */
    static const unsigned char keep[2 * WORD_KEY_MAX] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    uint64_t lo, hi, keep_lo, keep_hi;
    if (has_16) {
        memcpy(&lo, w, 8);
        memcpy(&hi, w + 8, 8);
    } else {
        unsigned char bytes[WORD_KEY_MAX] = { 0 };
        memcpy(bytes, w, n);
        memcpy(&lo, bytes, 8);
        memcpy(&hi, bytes + 8, 8);
    }
    memcpy(&keep_lo, keep + WORD_KEY_MAX - n, 8);
    memcpy(&keep_hi, keep + WORD_KEY_MAX - n + 8, 8);
    uint64_t fold = 0x2020202020202020u;
    return (struct word_key){ (lo | fold) & keep_lo, (hi | fold) & keep_hi };
}

static size_t
word_slot_of(struct word_key k)
{
    return (size_t)(((k.lo ^ (k.hi * 0xff51afd7ed558ccdu)) * 0x9e3779b97f4a7c15u) >> 56);
}

static void
word_table_add(struct word_slot *table, const char *w, unsigned kind)
{
    struct word_key k = word_key(w, strlen(w), false);
    size_t at = word_slot_of(k);
    while (table[at].key.lo)
        at = (at + 1) % WORD_SLOTS;
    table[at] = (struct word_slot){ k, kind };
}

/* Built by the first lookup; a thread that loses the race to publish its
 * table uses the winner's. */
static _Atomic(struct word_slot *) word_table;

static const struct word_slot *
word_table_build(void)
{
    struct word_slot *table = xcalloc(WORD_SLOTS, sizeof *table);
    word_table_add(table, "class", CLASS_WORD);
    word_table_add(table, "function", FUNCTION_WORD);
    word_table_add(table, "const", CONST_WORD);
    for (size_t i = 0; i < COUNT(keywords); i++)
        word_table_add(table, keywords[i], KEYWORD);
    for (size_t i = 0; i < COUNT(magic_constants); i++)
        word_table_add(table, magic_constants[i], MAGIC_CONSTANT);
    struct word_slot *expected = NULL;
    if (!atomic_compare_exchange_strong(&word_table, &expected, table)) {
        free(table);
        return expected;
    }
    return table;
}

/* The kind of the ASCII word s[p..p+n), n >= 1: one lookup for all the
 * word rules before the name rule. */
static enum word_kind
word_kind(const struct hl *h, size_t p, size_t n)
{
    if (n > WORD_KEY_MAX)
        return PLAIN_WORD;
    const struct word_slot *table = atomic_load_explicit(&word_table, memory_order_acquire);
    if (!table)
        table = word_table_build();
    /* the bytes read past end but inside the block are masked off */
    struct word_key k = word_key(h->s + p, n, h->len - p >= WORD_KEY_MAX);
    for (size_t at = word_slot_of(k); table[at].key.lo; at = (at + 1) % WORD_SLOTS)
        if (table[at].key.lo == k.lo && table[at].key.hi == k.hi)
            return table[at].kind;
    return PLAIN_WORD;
}

/* Whether a \b ends the ASCII word that ends at p: no \w at p. */
static inline bool
word_ends(const struct hl *h, size_t p)
{
    return p >= h->end || !((unsigned char)h->s[p] & 0x80) || !hl_word_at(h, p);
}

/* Length of the word at p that is one of the count sorted words, any case,
 * and that a \b ends; 0 if none. */
static size_t
word_in(const struct hl *h, size_t p, const char *const *words, size_t count)
{
    size_t n = run_of(h, p, WORD);
    return n && word_ends(h, p + n) && sorted_has(words, count, h->s + p, n) ? n : 0;
}

/* Whether s[p..) starts with the lower-case word w, in any case. */
static bool
word_is(const struct hl *h, size_t p, const char *w)
{
    for (; *w; w++, p++)
        if (p >= h->end || (h->s[p] | 32) != *w)
            return false;
    return true;
}

/* Whether s[a..a+n) equals s[b..b+n), ASCII case folded. */
static bool
same_fold(const char *s, size_t a, size_t b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)s[a + i], y = (unsigned char)s[b + i];
        if (x != y && ((x | 32) != (y | 32) || (x | 32) < 'a' || (x | 32) > 'z'))
            return false;
    }
    return true;
}

/* ---- remembered searches ---------------------------------------------------------- */

/* The first \s at or after p, or end. The last answer is kept: the first
 * \s after ws_from is at ws_at, or there is none before ws_at when
 * ws_none (ws_at was then the end). */
static size_t
next_space(const struct hl *h, struct memo *m, size_t p)
{
    if (m->ws_from <= p && p <= m->ws_at && (!m->ws_none || h->end <= m->ws_at))
        return m->ws_at < h->end ? m->ws_at : h->end;
    size_t q = p;
    while (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (c < 0x80) {
            if (is_ascii_space(c))
                break;
            q++;
            continue;
        }
        int32_t cp;
        size_t n = hl_char(h, q, &cp);
        if (hl_cp_space(cp))
            break;
        q += n;
    }
    m->ws_from = p;
    m->ws_at = q;
    m->ws_none = q == h->end;
    return q;
}

static uint32_t
fold_hash(const char *s, size_t n)
{
    uint32_t x = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        x = (x ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
    }
    return x;
}

/* The slot of the group of word s[p..p+n), or of the empty slot for it. */
static size_t
heredoc_slot(const struct heredocs *hd, const char *s, size_t p, size_t n)
{
    size_t at = fold_hash(s + p, n) & hd->mask;
    for (; hd->keys[at] != NONE; at = (at + 1) & hd->mask) {
        const struct heredoc_line *l = &hd->lines[hd->keys[at]];
        if (l->len == n && same_fold(s, l->at, p, n))
            break;
    }
    return at;
}

/* Finds every line that could close a heredoc in [base, end). */
static struct heredocs *
heredocs_build(const struct hl *h, size_t base, size_t end)
{
    struct heredocs *hd = xcalloc(1, sizeof *hd);
    size_t cap = 64;
    hd->lines = xmalloc(cap * sizeof *hd->lines);
    const char *s = h->s;
    for (size_t p = base; p < end;) {
        const char *nl = memchr(s + p, '\n', end - p);
        if (!nl)
            break;
        size_t last = (size_t)(nl - s), q = last + 1;
        for (; q < end && is_ascii_space((unsigned char)s[q]); q++)
            if (s[q] == '\n')
                last = q;
        p = q;
        size_t n = 0;
        if (q < end && (byte_class[(unsigned char)s[q]] & ID_START))
            for (n = 1; q + n < end && (byte_class[(unsigned char)s[q + n]] & ID_CONT); n++)
                ;
        size_t r = q + n;
        if (!n || n >= NONE || !(r < end && (s[r] == '\n' || (s[r] == ';' && r + 1 < end &&
                                                               s[r + 1] == '\n'))))
            continue;
        if (hd->count == cap) {
            cap *= 2;
            hd->lines = xrealloc(hd->lines, cap * sizeof *hd->lines);
        }
        hd->lines[hd->count++] = (struct heredoc_line){ q, last, (uint32_t)n, NONE };
    }
    size_t slots = 16;
    while (slots < 2 * hd->count)
        slots *= 2;
    hd->mask = slots - 1;
    hd->heads = xmalloc(slots * sizeof *hd->heads);
    hd->keys = xmalloc(slots * sizeof *hd->keys);
    uint32_t *tails = xmalloc(slots * sizeof *tails);
    memset(hd->keys, 0xff, slots * sizeof *hd->keys);
    for (size_t i = 0; i < hd->count; i++) {
        size_t at = heredoc_slot(hd, s, hd->lines[i].at, hd->lines[i].len);
        if (hd->keys[at] == NONE) {
            hd->keys[at] = hd->heads[at] = (uint32_t)i;
        } else {
            hd->lines[tails[at]].next = (uint32_t)i;
        }
        tails[at] = (uint32_t)i;
    }
    free(tails);
    return hd;
}

static void
heredocs_free(struct heredocs *hd)
{
    if (!hd)
        return;
    free(hd->lines);
    free(hd->heads);
    free(hd->keys);
    free(hd);
}

/* The closing line of the heredoc whose word is s[p..p+n) and whose body
 * starts at body: the first line of that word after a newline at or after
 * body (the regex's \n.*?\n\s*WORD;?\n); its word's offset, or (size_t)-1. */
static size_t
heredoc_close(struct php *x, size_t p, size_t n, size_t body)
{
    struct memo *m = x->m;
    if (!m->heredocs)
        m->heredocs = heredocs_build(x->h, m->top_base, m->top_end);
    struct heredocs *hd = m->heredocs;
    size_t at = heredoc_slot(hd, x->h->s, p, n);
    if (hd->keys[at] == NONE)
        return (size_t)-1;
    uint32_t i = hd->heads[at];
    while (i != NONE && hd->lines[i].nl < body)
        i = hd->lines[i].next;
    hd->heads[at] = i;
    if (i == NONE)
        return (size_t)-1;
    const struct heredoc_line *l = &hd->lines[i];
    size_t after = l->at + l->len + (x->h->s[l->at + l->len] == ';');
    return after < x->h->end ? l->at : (size_t)-1;
}

/* ---- the php state ---------------------------------------------------------------- */

/* (<<<)(['"]?)(WORD)(\2\n.*?\n\s*)(\3)(;?)(\n): s, s, sd, s, sd, p, text. */
static bool
heredoc(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos + 3, q = 0, n, close;
    int quote = hl_at(h, p);
    if (quote == '\'' || quote == '"')
        q = 1;
    else
        quote = 0;
    if (!(n = ident(h, p + q, false)))
        return false;
    size_t r = p + q + n;
    if (quote && hl_at(h, r++) != quote)
        return false;
    if (hl_at(h, r) != '\n')
        return false;
    if ((close = heredoc_close(x, p + q, n, r + 1)) == (size_t)-1)
        return false;
    hl_emit(h, HL_S, 3 + q);
    hl_emit(h, HL_DL, n);
    hl_emit(h, HL_S, close - h->pos);
    hl_emit(h, HL_DL, n);
    if (h->s[h->pos] == ';')
        hl_emit(h, HL_P, 1);
    hl_emit(h, HL_TEXT, 1);
    return true;
}

/* The comments of the php state: # and // to the end of the line (c1), the
 * empty block comment (cm), doc comments (sd), block comments (cm). False
 * where none is closed. */
static bool
comment(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, e;
    if (h->s[p] == '#' || hl_at(h, p + 1) == '/') {
        e = hl_seek(h, &x->m->newline, "\n", 1, p + 1 + (h->s[p] == '/'));
        if (e == (size_t)-1)
            return false;
        hl_emit(h, HL_C1, e + 1 - p);
        return true;
    }
    if (hl_at(h, p + 1) != '*')
        return false;
    if (hl_starts(h, p + 2, "*/", 2)) {
        hl_emit(h, HL_CM, 4);
        return true;
    }
    bool doc = hl_at(h, p + 2) == '*';
    if ((e = hl_seek(h, &x->m->comment_end, "*/", 2, p + 2 + doc)) == (size_t)-1)
        return false;
    hl_emit(h, doc ? HL_SD : HL_CM, e + 2 - p);
    return true;
}

/* '...' or `...` with backslash escapes whose first quote closes it, as
 * one token; false if some backslash comes before that quote, or none. */
static inline bool
quoted_plain(struct hl *h, enum hl_class cls)
{
    size_t p = h->pos;
    const char *close = memchr(h->s + p + 1, h->s[p], h->end - p - 1);
    if (close && !memchr(h->s + p + 1, '\\', (size_t)(close - h->s) - p - 1)) {
        hl_emit(h, cls, (size_t)(close - h->s) + 1 - p);
        return true;
    }
    return false;
}

/* The rest of quoted_plain's strings: the one at pos, as one token, false
 * if unclosed. Once a string opened at p is found unclosed, so is any
 * opened after p. */
static bool
quoted(struct php *x, enum hl_class cls, size_t *fail, size_t *fail_end)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    char q = h->s[p];
    if (*fail != (size_t)-1 && *fail < p && h->end <= *fail_end)
        return false;
    const char *close = memchr(h->s + p + 1, q, h->end - p - 1);
    for (size_t i = p + 1; close && i < h->end; i++) {
        char c = h->s[i];
        if (c == q) {
            hl_emit(h, cls, i + 1 - p);
            return true;
        }
        if (c == '\\')
            i++;
    }
    *fail = p;
    *fail_end = h->end;
    return false;
}

/* Numbers, in the rules' order: floats, octal, hex, decimal. */
static void
number(struct hl *h)
{
    size_t p = h->pos, d = hl_digits(h, p), q = p + d, e;
    if (hl_at(h, q) == '.') {
        q += 1 + hl_digits(h, q + 1);
        if (hl_in(hl_at(h, q) | 32, "e")) {
            e = q + 1 + hl_in(hl_at(h, q + 1), "+-");
            size_t k = hl_span(h, e, "0123456789", (size_t)-1);
            if (k)
                q = e + k;
        }
        hl_emit(h, HL_MF, q - p);
        return;
    }
    if ((hl_at(h, q) | 32) == 'e') {
        e = q + 1 + hl_in(hl_at(h, q + 1), "+-");
        size_t k = hl_span(h, e, "0123456789", (size_t)-1);
        if (k) {
            hl_emit(h, HL_MF, e + k - p);
            return;
        }
    }
    if (h->s[p] == '0' && (e = hl_span(h, p + 1, "01234567", (size_t)-1))) {
        hl_emit(h, HL_MO, 1 + e);
        return;
    }
    if (h->s[p] == '0' && (hl_at(h, p + 1) | 32) == 'x' &&
        (e = hl_span(h, p + 2, HL_HEX, (size_t)-1))) {
        hl_emit(h, HL_MH, 2 + e);
        return;
    }
    hl_emit(h, HL_MI, d);
}

/* The rules that start with a word: class, function, const, the keywords,
 * the magic constants, then a name (nb if a builtin function). The ASCII
 * word is looked up once, for all but the last. True if it changed the
 * state. */
static bool
word(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n = hl_skip(h, p, byte_class, WORD) - p, ws, k;
    switch (n ? word_kind(h, p, n) : PLAIN_WORD) {
    case CLASS_WORD:   /* (class)(\s+) */
        if ((ws = hl_space(h, p + 5, true))) {
            hl_emit(h, HL_K, 5);
            hl_emit(h, HL_TEXT, ws);
            hl_stack_push(&x->st, CLASSNAME);
            return true;
        }
        break;
    case FUNCTION_WORD:   /* (function)(\s*)(?=\(), then (function)(\s+)(&?)(\s*) */
        ws = hl_space(h, p + 8, true);
        if (hl_at(h, p + 8 + ws) == '(' || ws) {
            hl_emit(h, HL_K, 8);
            if (ws)
                hl_emit(h, HL_TEXT, ws);
            if (hl_at(h, h->pos) == '(')
                return false;
            if (hl_at(h, h->pos) == '&') {
                hl_emit(h, HL_O, 1);
                if ((ws = hl_space(h, h->pos, true)))
                    hl_emit(h, HL_TEXT, ws);
            }
            hl_stack_push(&x->st, FUNCNAME);
            return true;
        }
        break;
    case CONST_WORD:   /* (const)(\s+)(name) */
        if ((ws = hl_space(h, p + 5, true)) && (k = ident(h, p + 5 + ws, true))) {
            hl_emit(h, HL_K, 5);
            hl_emit(h, HL_TEXT, ws);
            hl_emit(h, HL_NO, k);
            return false;
        }
        break;
    case KEYWORD:   /* the keywords, then the magic constants: each needs a \b */
        if (word_ends(h, p + n)) {
            hl_emit(h, HL_K, n);
            return false;
        }
        break;
    case MAGIC_CONSTANT:
        if (word_ends(h, p + n)) {
            hl_emit(h, HL_NO, n);
            return false;
        }
        break;
    default:
        break;
    }
    /* the name goes on past the ASCII word only at a '\\' or a byte >= 0x80,
     * and then is no builtin (all are ASCII words) */
    if (p + n < h->end && (byte_class[(unsigned char)h->s[p + n]] & (NS | ID_CONT))) {
        hl_emit(h, HL_NX, ident(h, p, true));
        return false;
    }
    hl_emit(h, lex_php_builtin(h->s + p, n) ? HL_NB : HL_NX, n);
    return false;
}

/* $ and what may follow it: ${$name} and $$name (nv), else an error. */
static void
variable(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, q, n;
    /* most often a name right after one $: \$+name */
    if (p + 1 < h->end && (byte_class[(unsigned char)h->s[p + 1]] & ID_START)) {
        hl_emit(h, HL_NV, hl_skip(h, p + 2, byte_class, ID_CONT | NS) - p);
        return;
    }
    if (hl_at(h, p + 1) == '{' && hl_at(h, p + 2) == '$') {
        for (q = p + 3; hl_at(h, q) == '$'; q++)
            ;
        if ((n = ident(h, q, true)) && hl_at(h, q + n) == '}') {
            hl_emit(h, HL_NV, q + n + 1 - p);
            return;
        }
    }
    for (q = p + 1; hl_at(h, q) == '$'; q++)
        ;
    if ((n = ident(h, q, true))) {
        hl_emit(h, HL_NV, q + n - p);
        return;
    }
    /* each $ of the run fails alike, but the last may start ${$name} */
    if (q - p > 1)
        hl_emit(h, HL_ERR, q - p - 1);
    else
        hl_emit(h, HL_ERR, 1);
}

/* (->|::)(\s*)(name): o, text, na; false if no name follows. */
static bool
member(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, ws, n;
    int c = h->s[p];
    if (!((c == '-' && hl_at(h, p + 1) == '>') || (c == ':' && hl_at(h, p + 1) == ':')))
        return false;
    /* \s* (most often none: no call for it before an ASCII name) */
    unsigned char next = p + 2 < h->end ? (unsigned char)h->s[p + 2] : 0;
    ws = next >= 0x80 || (byte_class[next] & SPACE) ? hl_space(h, p + 2, true) : 0;
    if (!(n = ident(h, p + 2 + ws, false)))
        return false;
    hl_emit(h, HL_O, 2);
    if (ws)
        hl_emit(h, HL_TEXT, ws);
    hl_emit(h, HL_NA, n);
    return true;
}

static void
no_match(struct php *x)
{
    hl_no_match(x->h, &x->st);
}

/* What the byte at a token's start can begin in the php state: most rules
 * cannot match most bytes, so the byte picks the few to try, in order. */
enum {
    START_NONE,      /* no rule matches: hl_no_match */
    START_SPACE,     /* \s+ (ASCII) */
    START_HIGH,      /* a byte >= 0x80: \s+, else a name */
    START_OPERATOR,  /* [~!%^&*+=|:.<>/@-]+ */
    START_LT,        /* <<< heredocs, else operators */
    START_SLASH,     /* the comments, else operators */
    START_MEMBER,    /* (->|::), else operators */
    START_PUNCT,     /* [\[\]{}();,]+ */
    START_QUESTION,  /* \?>, else \? */
    START_HASH,      /* #.*?\n */
    START_DIGIT,     /* the numbers */
    START_NAME,      /* the word rules and the name: [\\_a-z] */
    START_DOLLAR,    /* the variables */
    START_SQUOTE, START_BQUOTE, START_DQUOTE,
};
static const unsigned char php_start[256] = {
    ['\t'] = START_SPACE, ['\n'] = START_SPACE, ['\v'] = START_SPACE, ['\f'] = START_SPACE,
    ['\r'] = START_SPACE, [0x1c] = START_SPACE, [0x1d] = START_SPACE, [0x1e] = START_SPACE,
    [0x1f] = START_SPACE, [' '] = START_SPACE,
    ['~'] = START_OPERATOR, ['!'] = START_OPERATOR, ['%'] = START_OPERATOR,
    ['^'] = START_OPERATOR, ['&'] = START_OPERATOR, ['*'] = START_OPERATOR,
    ['+'] = START_OPERATOR, ['='] = START_OPERATOR, ['|'] = START_OPERATOR,
    ['.'] = START_OPERATOR, ['>'] = START_OPERATOR, ['@'] = START_OPERATOR,
    ['<'] = START_LT, ['/'] = START_SLASH, ['-'] = START_MEMBER, [':'] = START_MEMBER,
    ['['] = START_PUNCT, [']'] = START_PUNCT, ['{'] = START_PUNCT, ['}'] = START_PUNCT,
    ['('] = START_PUNCT, [')'] = START_PUNCT, [';'] = START_PUNCT, [','] = START_PUNCT,
    ['?'] = START_QUESTION, ['#'] = START_HASH, ['$'] = START_DOLLAR,
    ['\''] = START_SQUOTE, ['`'] = START_BQUOTE, ['"'] = START_DQUOTE,
    HL_DIGIT_BYTES(START_DIGIT), HL_LETTER_BYTES(START_NAME), ['\\'] = START_NAME,
#define H8 START_HIGH, START_HIGH, START_HIGH, START_HIGH, \
           START_HIGH, START_HIGH, START_HIGH, START_HIGH
#define H64 H8, H8, H8, H8, H8, H8, H8, H8
    [0x80] = H64, H64,
#undef H64
#undef H8
};

/* The php state, token after token for as long as it lasts: the cases
 * that change the state return (no_match would reset the stack only at a
 * newline, which is \s here). */
static void
php_state(struct php *x)
{
    struct hl *h = x->h;
    const unsigned char *s = (const unsigned char *)h->s;
    const size_t end = h->end;
    size_t p, n;
    while ((p = h->pos) < end) {
        switch (php_start[s[p]]) {
        case START_SPACE:
            n = skip_spaces(h, p + 1) - p;
            if (p + n < end && s[p + n] >= 0x80)
                n += hl_space(h, p + n, true);
            hl_emit(h, HL_TEXT, n);
            break;
        case START_HIGH:
            if ((n = hl_space(h, p, true)))
                hl_emit(h, HL_TEXT, n);
            else if (word(x))
                return;
            break;
        case START_LT:
            if (hl_starts(h, p, "<<<", 3) && heredoc(x))
                break;
            hl_emit(h, HL_O, run_of(h, p, OP));
            break;
        case START_SLASH:
            if (!comment(x))
                hl_emit(h, HL_O, run_of(h, p, OP));
            break;
        case START_MEMBER:
            if (!member(x))
                hl_emit(h, HL_O, run_of(h, p, OP));
            break;
        case START_OPERATOR:
            hl_emit(h, HL_O, run_of(h, p, OP));
            break;
        case START_PUNCT:
            hl_emit(h, HL_P, run_of(h, p, PUNCT));
            break;
        case START_QUESTION:
            if (p + 1 < end && s[p + 1] == '>') {
                hl_emit(h, HL_CP, 2);
                hl_stack_pop(&x->st);
                return;
            }
            hl_emit(h, HL_O, 1);
            break;
        case START_DIGIT:
            number(h);
            break;
        case START_NAME:
            if (word(x))
                return;
            break;
        case START_DOLLAR:
            variable(x);
            break;
        case START_SQUOTE:
            if (!quoted_plain(h, HL_S1) && !quoted(x, HL_S1, &x->m->sq_fail, &x->m->sq_end))
                no_match(x);
            break;
        case START_BQUOTE:
            if (!quoted_plain(h, HL_SB) && !quoted(x, HL_SB, &x->m->bq_fail, &x->m->bq_end))
                no_match(x);
            break;
        case START_DQUOTE:
            hl_emit(h, HL_S2, 1);
            hl_stack_push(&x->st, STRING);
            return;
        case START_HASH:
            if (!comment(x))
                no_match(x);
            break;
        default:
            no_match(x);
            break;
        }
    }
}

/* ---- the other states --------------------------------------------------------------- */

/* <?php or <? opens php (cp); the rest is Other. */
static void
root_state(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos;
    if (h->s[p] == '<' && hl_at(h, p + 1) == '?') {
        hl_emit(h, HL_CP, word_is(h, p + 2, "php") ? 5 : 2);
        hl_stack_push(&x->st, PHP);
        return;
    }
    /* Other up to the next "<?" */
    size_t q = p + 1;
    for (;;) {
        const char *lt = memchr(h->s + q, '<', h->end - q);
        if (!lt) {
            q = h->end;
            break;
        }
        q = (size_t)(lt - h->s);
        if (q + 1 < h->end && h->s[q + 1] == '?')
            break;
        q++;
    }
    hl_emit(h, HL_X, q - p);
}

static void
classname_state(struct php *x)
{
    size_t n = ident(x->h, x->h->pos, true);
    if (!n) {
        no_match(x);
        return;
    }
    hl_emit(x->h, HL_NC, n);
    hl_stack_pop(&x->st);
}

/* A magic method's name (fm) leaves the state to its default. */
static void
funcname_state(struct php *x)
{
    struct hl *h = x->h;
    size_t n = h->s[h->pos] == '_'
                   ? word_in(h, h->pos, magic_functions, COUNT(magic_functions)) : 0;
    if (n) {
        hl_emit(h, HL_FM, n);
        return;
    }
    if ((n = ident(h, h->pos, true)))
        hl_emit(h, HL_NF, n);
    hl_stack_pop(&x->st);
}

/* ---- strings ----------------------------------------------------------------------- */

/* Runs the php lexer, already in php, over [pos, end), as a text of its
 * own: using(this, _startinline=True) over an interpolation. */
static void
interpolation(struct php *x, size_t end)
{
    struct hl *h = x->h;
    size_t base = h->base, outer_end = h->end;
    h->base = h->pos;
    h->end = end;
    run(h, x->m, true);
    h->base = base;
    h->end = outer_end;
}

/* \\([nrt"$\\]|[0-7]{1,3}|x[0-9a-f]{1,2}), any case: its length, or 0. */
static size_t
escape_len(const struct hl *h, size_t p)
{
    int c = hl_at(h, p + 1);
    size_t n;
    if (c >= 0 && hl_in(c, "nrtNRT\"$\\"))
        return 2;
    if ((n = hl_span(h, p + 1, "01234567", 3)))
        return 1 + n;
    if ((c | 32) == 'x' && (n = hl_span(h, p + 2, HL_HEX, 2)))
        return 2 + n;
    return 0;
}

/* $name, $name[...] or $name->name inside a string (si); ${...} (si nv si). */
static bool
string_dollar(struct php *x)
{
    struct hl *h = x->h;
    struct memo *m = x->m;
    size_t p = h->pos, n = ident(h, p + 1, false), q, k;
    if (n) {
        q = p + 1 + n;
        if (hl_at(h, q) == '[') {
            size_t ws = next_space(h, m, q + 1);
            size_t close = ws > q + 1 ? hl_seek(h, &m->bracket, "]", 1, q + 2) : (size_t)-1;
            if (close != (size_t)-1 && close < ws)
                q = close + 1;
        } else if (hl_starts(h, q, "->", 2) && (k = ident(h, q + 2, false))) {
            q += 2 + k;
        }
        hl_emit(h, HL_SI, q - p);
        return true;
    }
    if (hl_at(h, p + 1) != '{')
        return false;
    /* (\$\{)(\S+)(\}): the last '}' of the run of \S */
    size_t end = next_space(h, m, p + 2);
    if (end != m->run_end) {
        m->run_end = end;
        m->run_brace = (size_t)-1;
        for (size_t i = end; i > p + 2; i--)
            if (h->s[i - 1] == '}') {
                m->run_brace = i - 1;
                break;
            }
    }
    if (m->run_brace == (size_t)-1 || m->run_brace < p + 3)
        return false;
    hl_emit(h, HL_SI, 2);
    hl_emit(h, HL_NV, m->run_brace - h->pos);
    hl_emit(h, HL_SI, 1);
    return true;
}

/* {${...}} and {$...}: si, the php inside, si. */
static bool
string_brace(struct php *x)
{
    struct hl *h = x->h;
    struct memo *m = x->m;
    size_t p = h->pos, close;
    if (hl_at(h, p + 1) != '$')
        return false;
    if (hl_at(h, p + 2) == '{' && (close = hl_seek(h, &m->braces, "}}", 2, p + 3)) != (size_t)-1) {
        hl_emit(h, HL_SI, 3);
        if (close > h->pos)
            interpolation(x, close);
        hl_emit(h, HL_SI, 2);
        return true;
    }
    if ((close = hl_seek(h, &m->brace, "}", 1, p + 2)) == (size_t)-1)
        return false;
    hl_emit(h, HL_SI, 1);
    interpolation(x, close);
    hl_emit(h, HL_SI, 1);
    return true;
}

static const bool string_stop[256] = {
    ['{'] = true, ['$'] = true, ['"'] = true, ['\\'] = true,
};

static void
string_state(struct php *x)
{
    struct hl *h = x->h;
    size_t p = h->pos, n;
    switch (h->s[p]) {
    case '"':
        hl_emit(h, HL_S2, 1);
        hl_stack_pop(&x->st);
        return;
    case '\\':
        n = escape_len(h, p);
        hl_emit(h, n ? HL_SE : HL_S2, n ? n : 1);
        return;
    case '$':
        if (!string_dollar(x))
            hl_emit(h, HL_S2, 1);
        return;
    case '{':
        if (!string_brace(x))
            hl_emit(h, HL_S2, 1);
        return;
    default:
        hl_emit(h, HL_S2, hl_until(h, p, string_stop));
    }
}

/* ---- the machine ------------------------------------------------------------------- */

static void
run(struct hl *h, struct memo *m, bool inline_start)
{
    struct php x = { .h = h, .m = m };
    hl_stack_init(&x.st, ROOT);
    if (inline_start)
        hl_stack_push(&x.st, PHP);
    while (h->pos < h->end) {
        switch (hl_stack_top(&x.st)) {
        case ROOT: root_state(&x); break;
        case PHP: php_state(&x); break;
        case CLASSNAME: classname_state(&x); break;
        case FUNCNAME: funcname_state(&x); break;
        default: string_state(&x); break;
        }
    }
    hl_stack_dispose(&x.st);
}

static void
php(struct hl *h, bool inline_start)
{
    struct memo m = {
        .comment_end = HL_SEEK_INIT, .brace = HL_SEEK_INIT, .braces = HL_SEEK_INIT,
        .bracket = HL_SEEK_INIT, .newline = HL_SEEK_INIT,
        .sq_fail = (size_t)-1, .bq_fail = (size_t)-1, .ws_from = 1, .ws_at = 0,
        .run_end = (size_t)-1, .heredocs = NULL, .top_base = h->pos, .top_end = h->end,
    };
    run(h, &m, inline_start);
    heredocs_free(m.heredocs);
}

/* Pygments' PhpLexer leaves the text before "<?" to another lexer (class
 * x). A writer's ```php block without "<?" at all is PHP from its first
 * byte instead (Pygments' startinline, Chroma's only way). */
void
lex_php(struct hl *h)
{
    php(h, !memmem(h->s + h->pos, h->end - h->pos, "<?", 2));
}

static void
php_after_tag(struct hl *h)
{
    php(h, false);
}

void
lex_html_php(struct hl *h)
{
    hl_delegate(h, lex_html, php_after_tag);
}
