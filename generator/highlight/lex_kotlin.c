/* lex_kotlin.c: the Kotlin lexer of the highlighter, after Pygments'
 * KotlinLexer (pygments/lexers/jvm.py in Debian's Pygments 2.14) state by
 * state: comments, keywords (k), modifiers and declarations (kd), builtin
 * types (kt), the names after class, val, var and fun (nc, nv, nf),
 * attributes after a dot (na), annotations and labels (nd), strings with
 * ${...} and $name (si), characters (sc) and numbers (m). Like Pygments, a
 * number is one digit unless a point or a suffix follows. */
#include "lexer.h"

#include "../base/utf8.h"

/* Pygments' states */
enum {
    ROOT, CLASS, VARIABLE, DESTRUCTURING, FUNCTION, GENERIC, STRING, MULTILINE_STRING,
    INTERPOLATION, SCOPE,
};

/* The words of root's rules, sorted by strcmp: those of its keyword rules
 * (KW_TYPE: kt, also with a '?' right after it; KW_NAMESPACE: package and
 * import, with the name after them), then those that start a declaration,
 * which are names unless a declaration rule matches. */
enum kind {
    KW, KW_TYPE, KW_NAMESPACE,
    DECL_MOD,    /* a modifier */
    DECL_FUN,    /* fun */
    DECL_CLASS,  /* class, interface, object */
    DECL_VAR,    /* var, val */
};
static const struct word {
    const char *w;
    enum hl_class cls;
    enum kind kind;
} words[] = {
    {"Any", HL_KT, KW_TYPE}, {"Boolean", HL_KT, KW_TYPE}, {"Byte", HL_KT, KW_TYPE},
    {"Char", HL_KT, KW_TYPE}, {"Double", HL_KT, KW_TYPE}, {"Float", HL_KT, KW_TYPE},
    {"Int", HL_KT, KW_TYPE}, {"Long", HL_KT, KW_TYPE}, {"Short", HL_KT, KW_TYPE},
    {"String", HL_KT, KW_TYPE}, {"Unit", HL_KT, KW_TYPE}, {"abstract", HL_KD, DECL_MOD},
    {"actual", HL_KD, DECL_MOD}, {"annotation", HL_KD, DECL_MOD}, {"as", HL_K, KW},
    {"break", HL_K, KW}, {"by", HL_K, KW}, {"catch", HL_K, KW},
    {"class", HL_KD, DECL_CLASS}, {"companion", HL_KD, DECL_MOD},
    {"const", HL_KD, DECL_MOD}, {"constructor", HL_K, KW}, {"continue", HL_K, KW},
    {"crossinline", HL_KD, DECL_MOD}, {"data", HL_KD, DECL_MOD}, {"do", HL_K, KW},
    {"dynamic", HL_K, KW}, {"else", HL_K, KW}, {"enum", HL_KD, DECL_MOD},
    {"expect", HL_KD, DECL_MOD}, {"external", HL_KD, DECL_MOD}, {"false", HL_KC, KW},
    {"final", HL_KD, DECL_MOD}, {"finally", HL_K, KW}, {"for", HL_K, KW},
    {"fun", HL_KD, DECL_FUN}, {"get", HL_K, KW}, {"if", HL_K, KW},
    {"import", HL_K, KW_NAMESPACE}, {"in", HL_K, KW}, {"infix", HL_KD, DECL_MOD},
    {"init", HL_K, KW}, {"inline", HL_KD, DECL_MOD}, {"inner", HL_KD, DECL_MOD},
    {"interface", HL_KD, DECL_CLASS}, {"internal", HL_KD, DECL_MOD}, {"is", HL_K, KW},
    {"it", HL_NB, KW}, {"lateinit", HL_KD, DECL_MOD}, {"noinline", HL_KD, DECL_MOD},
    {"null", HL_KC, KW}, {"object", HL_KD, DECL_CLASS}, {"open", HL_KD, DECL_MOD},
    {"operator", HL_KD, DECL_MOD}, {"out", HL_K, KW}, {"override", HL_KD, DECL_MOD},
    {"package", HL_K, KW_NAMESPACE}, {"private", HL_KD, DECL_MOD},
    {"protected", HL_KD, DECL_MOD}, {"public", HL_KD, DECL_MOD}, {"reified", HL_K, KW},
    {"return", HL_K, KW}, {"sealed", HL_KD, DECL_MOD}, {"set", HL_K, KW},
    {"super", HL_K, KW}, {"suspend", HL_KD, DECL_MOD}, {"tailrec", HL_KD, DECL_MOD},
    {"this", HL_K, KW}, {"throw", HL_K, KW}, {"true", HL_KC, KW}, {"try", HL_K, KW},
    {"typealias", HL_K, KW}, {"typeof", HL_K, KW}, {"val", HL_KD, DECL_VAR},
    {"value", HL_KD, DECL_MOD}, {"var", HL_KD, DECL_VAR}, {"vararg", HL_K, KW},
    {"when", HL_K, KW}, {"where", HL_K, KW}, {"while", HL_K, KW},
};
static struct hl_words word_index = HL_WORDS(words);

/* The last chain of modifiers (each followed by spaces) measured: from
 * its word at 'from' it ends at 'end', and so it does from a later word. */
struct chain {
    size_t from, end;
};

struct kotlin {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek comment_end;
    struct chain mods, mods_fun;
    size_t label_from, label_end;   /* the last run of [\w.] measured */
};

static void root(struct kotlin *k);

/* ---- characters and names ------------------------------------------------------ */

/* True if cp lies in one of the count sorted ranges. */
static bool
in_ranges(int32_t cp, const int32_t (*r)[2], size_t count)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0])
            hi = mid;
        else if (cp > r[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Lu Ll Lt Lm Nl beyond ASCII (Pygments' unistring): letters without case
 * (Lo, as in CJK) are not among them. */
static const int32_t cased[][2] = {
    {0xb5, 0xb5}, {0xc0, 0xd6}, {0xd8, 0xf6}, {0xf8, 0x1ba}, {0x1bc, 0x1bf}, {0x1c4, 0x293},
    {0x295, 0x2c1}, {0x2c6, 0x2d1}, {0x2e0, 0x2e4}, {0x2ec, 0x2ec}, {0x2ee, 0x2ee},
    {0x370, 0x374}, {0x376, 0x377}, {0x37a, 0x37d}, {0x37f, 0x37f}, {0x386, 0x386},
    {0x388, 0x38a}, {0x38c, 0x38c}, {0x38e, 0x3a1}, {0x3a3, 0x3f5}, {0x3f7, 0x481},
    {0x48a, 0x52f}, {0x531, 0x556}, {0x559, 0x559}, {0x560, 0x588}, {0x640, 0x640},
    {0x6e5, 0x6e6}, {0x7f4, 0x7f5}, {0x7fa, 0x7fa}, {0x81a, 0x81a}, {0x824, 0x824},
    {0x828, 0x828}, {0x971, 0x971}, {0xe46, 0xe46}, {0xec6, 0xec6}, {0x10a0, 0x10c5},
    {0x10c7, 0x10c7}, {0x10cd, 0x10cd}, {0x10d0, 0x10fa}, {0x10fc, 0x10ff},
    {0x13a0, 0x13f5}, {0x13f8, 0x13fd}, {0x16ee, 0x16f0}, {0x17d7, 0x17d7},
    {0x1843, 0x1843}, {0x1aa7, 0x1aa7}, {0x1c78, 0x1c7d}, {0x1c80, 0x1c88},
    {0x1c90, 0x1cba}, {0x1cbd, 0x1cbf}, {0x1d00, 0x1dbf}, {0x1e00, 0x1f15},
    {0x1f18, 0x1f1d}, {0x1f20, 0x1f45}, {0x1f48, 0x1f4d}, {0x1f50, 0x1f57},
    {0x1f59, 0x1f59}, {0x1f5b, 0x1f5b}, {0x1f5d, 0x1f5d}, {0x1f5f, 0x1f7d},
    {0x1f80, 0x1fb4}, {0x1fb6, 0x1fbc}, {0x1fbe, 0x1fbe}, {0x1fc2, 0x1fc4},
    {0x1fc6, 0x1fcc}, {0x1fd0, 0x1fd3}, {0x1fd6, 0x1fdb}, {0x1fe0, 0x1fec},
    {0x1ff2, 0x1ff4}, {0x1ff6, 0x1ffc}, {0x2071, 0x2071}, {0x207f, 0x207f},
    {0x2090, 0x209c}, {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210a, 0x2113},
    {0x2115, 0x2115}, {0x2119, 0x211d}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212a, 0x212d}, {0x212f, 0x2134}, {0x2139, 0x2139},
    {0x213c, 0x213f}, {0x2145, 0x2149}, {0x214e, 0x214e}, {0x2160, 0x2188},
    {0x2c00, 0x2c2e}, {0x2c30, 0x2c5e}, {0x2c60, 0x2ce4}, {0x2ceb, 0x2cee},
    {0x2cf2, 0x2cf3}, {0x2d00, 0x2d25}, {0x2d27, 0x2d27}, {0x2d2d, 0x2d2d},
    {0x2d6f, 0x2d6f}, {0x2e2f, 0x2e2f}, {0x3005, 0x3005}, {0x3007, 0x3007},
    {0x3021, 0x3029}, {0x3031, 0x3035}, {0x3038, 0x303b}, {0x309d, 0x309e},
    {0x30fc, 0x30fe}, {0xa015, 0xa015}, {0xa4f8, 0xa4fd}, {0xa60c, 0xa60c},
    {0xa640, 0xa66d}, {0xa67f, 0xa69d}, {0xa6e6, 0xa6ef}, {0xa717, 0xa71f},
    {0xa722, 0xa788}, {0xa78b, 0xa78e}, {0xa790, 0xa7b9}, {0xa7f8, 0xa7fa},
    {0xa9cf, 0xa9cf}, {0xa9e6, 0xa9e6}, {0xaa70, 0xaa70}, {0xaadd, 0xaadd},
    {0xaaf3, 0xaaf4}, {0xab30, 0xab5a}, {0xab5c, 0xab65}, {0xab70, 0xabbf},
    {0xfb00, 0xfb06}, {0xfb13, 0xfb17}, {0xff21, 0xff3a}, {0xff41, 0xff5a},
    {0xff70, 0xff70}, {0xff9e, 0xff9f}, {0x10140, 0x10174}, {0x10341, 0x10341},
    {0x1034a, 0x1034a}, {0x103d1, 0x103d5}, {0x10400, 0x1044f}, {0x104b0, 0x104d3},
    {0x104d8, 0x104fb}, {0x10c80, 0x10cb2}, {0x10cc0, 0x10cf2}, {0x118a0, 0x118df},
    {0x12400, 0x1246e}, {0x16b40, 0x16b43}, {0x16e40, 0x16e7f}, {0x16f93, 0x16f9f},
    {0x16fe0, 0x16fe1}, {0x1d400, 0x1d454}, {0x1d456, 0x1d49c}, {0x1d49e, 0x1d49f},
    {0x1d4a2, 0x1d4a2}, {0x1d4a5, 0x1d4a6}, {0x1d4a9, 0x1d4ac}, {0x1d4ae, 0x1d4b9},
    {0x1d4bb, 0x1d4bb}, {0x1d4bd, 0x1d4c3}, {0x1d4c5, 0x1d505}, {0x1d507, 0x1d50a},
    {0x1d50d, 0x1d514}, {0x1d516, 0x1d51c}, {0x1d51e, 0x1d539}, {0x1d53b, 0x1d53e},
    {0x1d540, 0x1d544}, {0x1d546, 0x1d546}, {0x1d54a, 0x1d550}, {0x1d552, 0x1d6a5},
    {0x1d6a8, 0x1d6c0}, {0x1d6c2, 0x1d6da}, {0x1d6dc, 0x1d6fa}, {0x1d6fc, 0x1d714},
    {0x1d716, 0x1d734}, {0x1d736, 0x1d74e}, {0x1d750, 0x1d76e}, {0x1d770, 0x1d788},
    {0x1d78a, 0x1d7a8}, {0x1d7aa, 0x1d7c2}, {0x1d7c4, 0x1d7cb}, {0x1e900, 0x1e943},
};

/* Cf, Pc beyond '_', and Me, which utf8_classify counts among the marks. */
static const int32_t format[][2] = {
    {0xad, 0xad}, {0x600, 0x605}, {0x61c, 0x61c}, {0x6dd, 0x6dd}, {0x70f, 0x70f},
    {0x8e2, 0x8e2}, {0x180e, 0x180e}, {0x200b, 0x200f}, {0x202a, 0x202e},
    {0x2060, 0x2064}, {0x2066, 0x206f}, {0xfeff, 0xfeff}, {0xfff9, 0xfffb},
    {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
    {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
};
static const int32_t connector[][2] = {
    {0x203f, 0x2040}, {0x2054, 0x2054}, {0xfe33, 0xfe34}, {0xfe4d, 0xfe4f}, {0xff3f, 0xff3f},
};
static const int32_t enclosing[][2] = {
    {0x488, 0x489}, {0x1abe, 0x1abe}, {0x20dd, 0x20e0}, {0x20e2, 0x20e4}, {0xa670, 0xa672},
};
#define IN(cp, table) in_ranges((cp), (table), sizeof (table) / sizeof *(table))

/* The first character of a name: _, Lu Ll Lt Lm Nl. */
static bool
name_start(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    return IN(cp, cased);
}

/* The other characters of a name: also Nd Pc Cf Mn Mc. */
static bool
name_cont(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
               (cp >= '0' && cp <= '9');
    if (IN(cp, cased) || IN(cp, format) || IN(cp, connector))
        return true;
    enum utf8_class c = utf8_classify(cp);
    return c == UTF8_DIGIT || (c == UTF8_MARK && !IN(cp, enclosing));
}

/* Inside backquotes, also Zs and '~!%^&*()+=|[]:;,.<>/?- */
static bool
quoted_cont(int32_t cp)
{
    if (cp < 0x80 && hl_in(cp, " '~!%^&*()+=|[]:;,.<>/?-"))
        return true;
    return name_cont(cp) || (cp >= 0x80 && utf8_classify(cp) == UTF8_SEPARATOR &&
                             cp != 0x2028 && cp != 0x2029);
}

/* The run of characters at p for which ok is true. */
static size_t
run_of(const struct hl *h, size_t p, bool (*ok)(int32_t))
{
    size_t q = p;
    int32_t cp;
    while (q < h->end) {
        size_t n = hl_char(h, q, &cp);
        if (!ok(cp))
            break;
        q += n;
    }
    return q - p;
}

/* @?, a name_start, name_cont* (Pygments' kt_name), or with body for
 * backquotes. Its length at p, or 0. */
static size_t
name_body(const struct hl *h, size_t p, bool (*body)(int32_t))
{
    int32_t cp;
    size_t q = p + (hl_at(h, p) == '@');
    if (q >= h->end)
        return 0;
    size_t n = hl_char(h, q, &cp);
    if (!name_start(cp))
        return 0;
    q += n;
    if (body == name_cont)   /* ASCII first, which \w and the name agree on */
        q += hl_ascii_word(h, q);
    return q + run_of(h, q, body) - p;
}

/* kt_id: a name, or a backquoted name that may hold spaces. Its length at
 * p, or 0. */
static size_t
kt_id(const struct hl *h, size_t p)
{
    if (hl_at(h, p) != '`')
        return name_body(h, p, name_cont);
    size_t n = name_body(h, p + 1, quoted_cont);
    return n && hl_at(h, p + 1 + n) == '`' ? n + 2 : 0;
}

/* [^\W\d] at p: \w but no digit. */
static bool
word_start(const struct hl *h, size_t p)
{
    int32_t cp;
    if (p >= h->end)
        return false;
    hl_char(h, p, &cp);
    return hl_cp_word(cp) && !hl_cp_digit(cp);
}

/* [\w$]* at p. */
static size_t
word_dollar_run(const struct hl *h, size_t p)
{
    size_t q = p;
    for (;;) {
        size_t n = hl_word_run(h, q);
        q += n;
        if (hl_at(h, q) != '$')
            return q - p;
        q++;
    }
}

/* True if the word of n bytes at p is w. */
static bool
word_is(const struct hl *h, size_t p, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(h->s + p, w, n);
}

/* ---- modifiers and declarations -------------------------------------------------- */

/* The entry of the word of [a-z] at p if \s follows it and its kind is
 * one of kinds (a bit each), else NULL; *n is its length. */
static const struct word *
word_then_space(const struct hl *h, size_t p, unsigned kinds, size_t *n)
{
    size_t q = p;
    while (q < h->end && h->s[q] >= 'a' && h->s[q] <= 'z')
        q++;
    *n = q - p;
    if (!*n || !hl_space(h, q, true))
        return NULL;
    int i = hl_words_find(&word_index, h->s + p, *n);
    return i >= 0 && (kinds >> words[i].kind & 1) ? &words[i] : NULL;
}

#define BIT(kind) (1u << (kind))

/* ((?:(?:modifiers|fun)\s+)*) at p, fun only when with_fun: where it ends.
 * A chain measured from one of its words serves the later ones. */
static size_t
chain_end(struct kotlin *k, size_t p, bool with_fun)
{
    const struct hl *h = k->h;
    struct chain *c = with_fun ? &k->mods_fun : &k->mods;
    unsigned kinds = BIT(DECL_MOD) | (with_fun ? BIT(DECL_FUN) : 0);
    size_t q = p, n;
    if (c->from < p && p < c->end)
        return c->end;
    while (word_then_space(h, q, kinds, &n))
        q += n + hl_space(h, q + n, true);
    c->from = p;
    c->end = q;
    return q;
}

/* The chain pos..e (its words kd), the keyword of n bytes (kd), its spaces;
 * then state. */
static void
declaration(struct kotlin *k, size_t e, size_t n, unsigned state)
{
    struct hl *h = k->h;
    while (h->pos < e) {
        size_t w = hl_ascii_word(h, h->pos);
        if (w)
            hl_emit(h, HL_KD, w);
        else
            hl_emit(h, HL_TEXT, hl_space(h, h->pos, true));
    }
    hl_emit(h, HL_KD, n);
    hl_emit(h, HL_TEXT, hl_space(h, h->pos, true));
    hl_stack_push(&k->st, state);
}

/* object : and the declarations with their modifiers at pos, where a word
 * of kind DECL_* starts; false if none matches. */
static bool
declarations(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, e, n, ws, ws2;
    const struct word *w = word_then_space(h, p, BIT(DECL_CLASS) | BIT(DECL_VAR), &n);
    if (w && h->s[p] == 'o' && (ws = hl_space(h, p + n, true)) &&
        hl_at(h, p + n + ws) == ':' && (ws2 = hl_space(h, p + n + ws + 1, true))) {
        hl_emit(h, HL_K, n);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_TEXT, ws2);
        hl_stack_push(&k->st, CLASS);
        return true;
    }
    e = chain_end(k, p, true);
    if (word_then_space(h, e, BIT(DECL_CLASS), &n)) {
        declaration(k, e, n, CLASS);
        return true;
    }
    if (w && w->kind == DECL_VAR && hl_at(h, p + n + (ws = hl_space(h, p + n, true))) == '(') {
        hl_emit(h, HL_KD, n);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_P, 1);
        hl_stack_push(&k->st, DESTRUCTURING);
        return true;
    }
    e = chain_end(k, p, false);
    if ((w = word_then_space(h, e, BIT(DECL_VAR) | BIT(DECL_FUN), &n))) {
        declaration(k, e, n, w->kind == DECL_VAR ? VARIABLE : FUNCTION);
        return true;
    }
    return false;
}

/* ---- root ------------------------------------------------------------------------ */

/* [^\W\d][\w.]+@ at pos (a label): its length, or 0. The run of [\w.] is
 * remembered, as every word inside it ends where it does. */
static size_t
label(struct kotlin *k)
{
    const struct hl *h = k->h;
    size_t p = h->pos;
    if (!(k->label_from <= p && p < k->label_end)) {
        size_t q = p;
        for (;;) {
            q += hl_word_run(h, q);
            if (hl_at(h, q) != '.')
                break;
            q++;
        }
        k->label_from = p;
        k->label_end = q;
    }
    size_t n = k->label_end - p;
    int32_t cp;
    return n > hl_char(h, p, &cp) && hl_at(h, k->label_end) == '@' ? n + 1 : 0;
}

/* (package|import)(\s+)(\S+) at pos, the keyword n bytes. */
static bool
namespace(struct hl *h, size_t n)
{
    size_t p = h->pos, ws = hl_space(h, p + n, true), q;
    if (!ws || p + n + ws >= h->end)
        return false;
    for (q = p + n + ws; q < h->end && !hl_space(h, q, true);)
        q += hl_char(h, q, &(int32_t){0});
    hl_emit(h, HL_K, n);
    hl_emit(h, HL_TEXT, ws);
    hl_emit(h, HL_NN, q - h->pos);
    return true;
}

/* A name (kt_id) and Pygments' (\?[^.])? after it. */
static bool
name(struct hl *h, enum hl_class cls, bool nullable)
{
    size_t n = kt_id(h, h->pos);
    int32_t cp;
    if (!n)
        return false;
    if (nullable && hl_at(h, h->pos + n) == '?' && h->pos + n + 1 < h->end &&
        h->s[h->pos + n + 1] != '.')
        n += 1 + hl_char(h, h->pos + n + 1, &cp);
    hl_emit(h, cls, n);
    return true;
}

/* The rules of root that start with a word character, in Pygments' order:
 * keywords, types, constants, package and import, labels, declarations,
 * names. False if none matches. */
static bool
word(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n = hl_word_run(h, p), m;
    /* the words of the table have 2 to 11 bytes */
    int i = n >= 2 && n <= 11 ? hl_words_find(&word_index, h->s + p, n) : -1;
    int next = hl_at(h, p + n);
    const struct word *w = i >= 0 ? &words[i] : NULL;
    if (n == 2 && next == '?' && hl_starts(h, p, "as", 2)) {
        hl_emit(h, HL_K, 3);
        return true;
    }
    if (w && w->kind < DECL_MOD) {
        if (w->kind == KW_TYPE && next == '?')
            n++;
        if (w->kind != KW_NAMESPACE) {
            hl_emit(h, w->cls, n);
            return true;
        }
        if (namespace(h, n))
            return true;
    }
    /* a label's run of [\w.] can only go on past a '.' or a non-ASCII \w */
    if ((next == '.' || next == '@' || next >= 0x80) && word_start(h, p) && (m = label(k))) {
        hl_emit(h, HL_ND, m);
        return true;
    }
    if (w && w->kind >= DECL_MOD && declarations(k))
        return true;
    if (n && next < 0x80 && hl_ascii_word(h, p) == n && !(h->s[p] >= '0' && h->s[p] <= '9')) {
        /* an ASCII name, which kt_id takes whole */
        if (next == '?' && hl_at(h, p + n + 1) != '.' && p + n + 1 < h->end)
            n += 1 + hl_char(h, p + n + 1, &(int32_t){0});
        hl_emit(h, HL_N, n);
        return true;
    }
    return name(h, HL_N, true);
}

/* The one-byte operators (1) and punctuation (2) of root. */
static const unsigned char op_kind[256] = {
    ['~'] = 1, ['^'] = 1, ['*'] = 1, ['!'] = 1, ['%'] = 1, ['&'] = 1, ['['] = 1, [']'] = 1,
    ['<'] = 1, ['>'] = 1, ['|'] = 1, ['+'] = 1, ['='] = 1, ['/'] = 1, ['?'] = 1, ['-'] = 1,
    ['{'] = 2, ['}'] = 2, ['('] = 2, [')'] = 2, [';'] = 2, [':'] = 2, ['.'] = 2, [','] = 2,
};

/* The rest of the operators, then punctuation; false if neither. */
static bool
operator(struct hl *h)
{
    size_t p = h->pos;
    int c = (unsigned char)h->s[p], d = hl_at(h, p + 1);
    if ((c == ':' && d == ':') || (c == '!' && d == '!') || (c == '?' && (d == ':' || d == '.')))
        hl_emit(h, HL_O, 2);
    else if (op_kind[c])
        hl_emit(h, op_kind[c] == 1 ? HL_O : HL_P, 1);
    else
        return false;
    return true;
}

/* '\\.'|'[^\\]' at p: its length, or 0. */
static size_t
char_literal(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t q = p + 1 + (hl_at(h, p + 1) == '\\');
    if (q >= h->end)
        return 0;
    q += hl_char(h, q, &cp);
    return hl_at(h, q) == '\'' ? q + 1 - p : 0;
}

/* [0-9](\.[0-9]*)?([eE][+-][0-9]+)?[flFL]? at p, a digit. */
static size_t
number_len(const struct hl *h, size_t p)
{
    static const char digits[] = "0123456789";
    size_t q = p + 1, d;
    if (hl_at(h, q) == '.')
        q += 1 + hl_span(h, q + 1, digits, SIZE_MAX);
    if (hl_in(hl_at(h, q), "eE") && hl_in(hl_at(h, q + 1), "+-") &&
        (d = hl_span(h, q + 2, digits, SIZE_MAX)))
        q += 2 + d;
    return q + hl_in(hl_at(h, q), "flFL") - p;
}

/* Comments and whitespace at pos; false if none. */
static bool
space_or_comment(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (c != '\\' && c != '/' && c != '#') {
        return false;
    } else if (c == '\\' && (p + 1 == h->end || h->s[p + 1] == '\n')) {
        hl_emit(h, HL_SE, 1);
    } else if (c == '/' && hl_at(h, p + 1) == '/' && (n = hl_line_end(h, p)) < h->end) {
        hl_emit(h, HL_C1, n - p);
    } else if (c == '#' && hl_starts(h, p, "#!/", 3) && hl_line_start(h, p) &&
               p + 3 < h->end && (n = hl_line_end(h, p + 4)) < h->end) {
        hl_emit(h, HL_C1, n - p);
    } else if (c == '/' && hl_at(h, p + 1) == '*' &&
               (n = hl_seek(h, &k->comment_end, "*/", 2, p + 2)) != (size_t)-1) {
        hl_emit(h, HL_CM, n + 2 - p);
    } else {
        return false;
    }
    return true;
}

static void
root(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        /* no rule before the word rules takes a letter */
        if (!word(k))
            hl_no_match(h, &k->st);
        return;
    }
    if (space_or_comment(k))
        return;
    if (c == '!' && (n = hl_span(h, p, "!", SIZE_MAX)) &&
        (hl_starts(h, p + n, "in", 2) || hl_starts(h, p + n, "is", 2)) &&
        hl_boundary(h, p + n + 2)) {
        hl_emit(h, HL_K, n + 2);
    } else if (c >= 0x80) {
        if (!word(k))
            hl_no_match(h, &k->st);
    } else if ((c == '.' || (c == '?' && hl_at(h, p + 1) == '.')) &&
               (hl_at(h, p + 1 + (c == '?')) == '$' || word_start(h, p + 1 + (c == '?')))) {
        size_t dot = c == '?' ? 2 : 1;
        hl_emit(h, c == '?' ? HL_O : HL_P, dot);
        hl_emit(h, HL_NA, word_dollar_run(h, h->pos));
    } else if (c == '@' && word_start(h, p + 1)) {
        for (n = 1 + hl_char(h, p + 1, &(int32_t){0});
             hl_at(h, p + n) == '.' || hl_word_at(h, p + n);)
            n += hl_at(h, p + n) == '.' ? 1 : hl_word_run(h, p + n);
        hl_emit(h, HL_ND, n);
    } else if (operator(h)) {
        return;
    } else if (c == '"') {
        bool triple = hl_starts(h, p, "\"\"\"", 3);
        hl_emit(h, HL_S, triple ? 3 : 1);
        hl_stack_push(&k->st, triple ? MULTILINE_STRING : STRING);
    } else if (c == '\'' && (n = char_literal(h, p))) {
        hl_emit(h, HL_SC, n);
    } else if (c >= '0' && c <= '9') {
        hl_emit(h, HL_M, number_len(h, p));
    } else if (!name(h, HL_N, true)) {
        hl_no_match(h, &k->st);
    }
}

/* ---- the states after declarations -------------------------------------------------- */

/* 'class' and 'variable': a name, then back. */
static void
declared_name(struct kotlin *k, enum hl_class cls)
{
    if (name(k->h, cls, false))
        hl_stack_pop(&k->st);
    else
        hl_no_match(k->h, &k->st);
}

static void
destructuring(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n, ws;
    int c = h->s[p];
    if (c == ',') {
        hl_emit(h, HL_P, 1);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (name(h, HL_NV, false)) {
        return;
    } else if (c == ':' && (ws = hl_space(h, p + 1, true)) && (n = kt_id(h, p + 1 + ws))) {
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_TEXT, ws);
        hl_emit(h, HL_N, n);
    } else if (c == '<') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&k->st, GENERIC);
    } else if (c == ')') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&k->st);
    } else {
        hl_no_match(h, &k->st);
    }
}

static void
function(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n = kt_id(h, p), m;
    if (h->s[p] == '<') {
        hl_emit(h, HL_O, 1);
        hl_stack_push(&k->st, GENERIC);
    } else if (n && hl_at(h, p + n) == '.' && (m = kt_id(h, p + n + 1))) {
        hl_emit(h, HL_N, n);
        hl_emit(h, HL_P, 1);
        hl_emit(h, HL_NF, m);
        hl_stack_pop(&k->st);
    } else if (n) {
        hl_emit(h, HL_NF, n);
        hl_stack_pop(&k->st);
    } else {
        hl_no_match(h, &k->st);
    }
}

static void
generic(struct kotlin *k)
{
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if (c == '>') {
        hl_emit(h, HL_O, 1);
        if ((n = hl_space(h, h->pos, true)))
            hl_emit(h, HL_TEXT, n);
        hl_stack_pop(&k->st);
    } else if (c == ':' || c == ',') {
        hl_emit(h, HL_P, 1);
    } else if ((n = hl_word_run(h, p)) &&
               (word_is(h, p, n, "reified") || word_is(h, p, n, "out") ||
                word_is(h, p, n, "in"))) {
        hl_emit(h, HL_K, n);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (!name(h, HL_N, false)) {
        hl_no_match(h, &k->st);
    }
}

/* ---- strings --------------------------------------------------------------------------- */

/* 'string_common': backslashes, ${ and $name (si), other text. */
static void
string_common(struct kotlin *k)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true, ['$'] = true };
    struct hl *h = k->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if (c == '\\') {
        hl_emit(h, HL_S, hl_in(hl_at(h, p + 1), "\\\"") ? 2 : 1);
    } else if (c == '$' && hl_at(h, p + 1) == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&k->st, INTERPOLATION);
    } else if (c == '$' && (n = hl_word_run(h, p + 1))) {
        hl_emit(h, HL_SI, 1);
        hl_emit(h, HL_N, n);
    } else if (c == '$') {
        hl_no_match(h, &k->st);
    } else {
        hl_emit(h, HL_S, hl_until(h, p, stop));
    }
}

static void
string(struct kotlin *k, bool triple)
{
    struct hl *h = k->h;
    size_t p = h->pos;
    if (h->s[p] != '"') {
        string_common(k);
    } else if (!triple || hl_starts(h, p, "\"\"\"", 3)) {
        hl_emit(h, HL_S, triple ? 3 : 1);
        hl_stack_pop(&k->st);
    } else {
        hl_emit(h, HL_S, 1);
    }
}

/* 'interpolation' and 'scope': braces, then root. */
static void
braces(struct kotlin *k, bool interpolation)
{
    struct hl *h = k->h;
    size_t p = h->pos;
    int c = h->s[p];
    if (interpolation && c == '"') {
        hl_emit(h, HL_S, 1);
    } else if (interpolation && c == '$' && hl_at(h, p + 1) == '{') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&k->st, INTERPOLATION);
    } else if (c == '{') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&k->st, SCOPE);
    } else if (c == '}') {
        hl_emit(h, interpolation ? HL_SI : HL_P, 1);
        hl_stack_pop(&k->st);
    } else {
        root(k);
    }
}

void
lex_kotlin(struct hl *h)
{
    struct kotlin k = {
        .h = h, .comment_end = HL_SEEK_INIT, .mods = { 1, 0 }, .mods_fun = { 1, 0 },
        .label_from = 1, .label_end = 0,
    };
    hl_stack_init(&k.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&k.st)) {
        case ROOT: root(&k); break;
        case CLASS: declared_name(&k, HL_NC); break;
        case VARIABLE: declared_name(&k, HL_NV); break;
        case DESTRUCTURING: destructuring(&k); break;
        case FUNCTION: function(&k); break;
        case GENERIC: generic(&k); break;
        case STRING: string(&k, false); break;
        case MULTILINE_STRING: string(&k, true); break;
        case INTERPOLATION: braces(&k, true); break;
        case SCOPE: braces(&k, false); break;
        }
    }
    hl_stack_dispose(&k.st);
}
