/* lex_sql.c: the SQL lexer of the highlighter, after Pygments' SqlLexer
 * (pygments/lexers/sql.py, 2.14): ANSI keywords (k) and type names (nb) in
 * any case, comments (c1, nested cm), '...' (s1) and "..." (ss) with doubled
 * quotes, integers, operators, names and punctuation. */
#include "lexer.h"

struct sql {
    struct hl *h;
    size_t no_quote_after[2]; /* no ' (0) or " (1) closes at or after this */
};

/* SqlLexer's words, lower case: keywords (k) and type names (nb); ' TEMP'
 * (with its space) never matches. */
static const struct word {
    const char *w;
    unsigned char cls;
} words[] = {
    {"abort", HL_K}, {"abs", HL_K}, {"absolute", HL_K}, {"access", HL_K}, {"ada", HL_K},
    {"add", HL_K}, {"admin", HL_K}, {"after", HL_K}, {"aggregate", HL_K}, {"alias", HL_K},
    {"all", HL_K}, {"allocate", HL_K}, {"alter", HL_K}, {"analyse", HL_K},
    {"analyze", HL_K}, {"and", HL_K}, {"any", HL_K}, {"are", HL_K}, {"array", HL_NB},
    {"as", HL_K}, {"asc", HL_K}, {"asensitive", HL_K}, {"assertion", HL_K},
    {"assignment", HL_K}, {"asymmetric", HL_K}, {"at", HL_K}, {"atomic", HL_K},
    {"authorization", HL_K}, {"avg", HL_K}, {"backward", HL_K}, {"before", HL_K},
    {"begin", HL_K}, {"between", HL_K}, {"bigint", HL_NB}, {"binary", HL_NB},
    {"bit", HL_NB}, {"bit_length", HL_K}, {"bitvar", HL_K}, {"blob", HL_NB},
    {"boolean", HL_NB}, {"both", HL_K}, {"breadth", HL_K}, {"by", HL_K}, {"c", HL_K},
    {"cache", HL_K}, {"call", HL_K}, {"called", HL_K}, {"cardinality", HL_K},
    {"cascade", HL_K}, {"cascaded", HL_K}, {"case", HL_K}, {"cast", HL_K},
    {"catalog", HL_K}, {"catalog_name", HL_K}, {"chain", HL_K}, {"char", HL_NB},
    {"char_length", HL_K}, {"character", HL_NB}, {"character_length", HL_K},
    {"character_set_catalog", HL_K}, {"character_set_name", HL_K},
    {"character_set_schema", HL_K}, {"characteristics", HL_K}, {"check", HL_K},
    {"checked", HL_K}, {"checkpoint", HL_K}, {"class", HL_K}, {"class_origin", HL_K},
    {"clob", HL_K}, {"close", HL_K}, {"cluster", HL_K}, {"coalesce", HL_K}, {"cobol", HL_K},
    {"collate", HL_K}, {"collation", HL_K}, {"collation_catalog", HL_K},
    {"collation_name", HL_K}, {"collation_schema", HL_K}, {"column", HL_K},
    {"column_name", HL_K}, {"command_function", HL_K}, {"command_function_code", HL_K},
    {"comment", HL_K}, {"commit", HL_K}, {"committed", HL_K}, {"completion", HL_K},
    {"condition_number", HL_K}, {"connect", HL_K}, {"connection", HL_K},
    {"connection_name", HL_K}, {"constraint", HL_K}, {"constraint_catalog", HL_K},
    {"constraint_name", HL_K}, {"constraint_schema", HL_K}, {"constraints", HL_K},
    {"constructor", HL_K}, {"contains", HL_K}, {"continue", HL_K}, {"conversion", HL_K},
    {"convert", HL_K}, {"copy", HL_K}, {"corresponding", HL_K}, {"count", HL_K},
    {"create", HL_K}, {"createdb", HL_K}, {"createuser", HL_K}, {"cross", HL_K},
    {"cube", HL_K}, {"current", HL_K}, {"current_date", HL_K}, {"current_path", HL_K},
    {"current_role", HL_K}, {"current_time", HL_K}, {"current_timestamp", HL_K},
    {"current_user", HL_K}, {"cursor", HL_K}, {"cursor_name", HL_K}, {"cycle", HL_K},
    {"data", HL_K}, {"database", HL_K}, {"date", HL_NB}, {"datetime_interval_code", HL_K},
    {"datetime_interval_precision", HL_K}, {"day", HL_K}, {"deallocate", HL_K},
    {"dec", HL_NB}, {"decimal", HL_NB}, {"declare", HL_K}, {"default", HL_K},
    {"defaults", HL_K}, {"deferrable", HL_K}, {"deferred", HL_K}, {"defined", HL_K},
    {"definer", HL_K}, {"delete", HL_K}, {"delimiter", HL_K}, {"delimiters", HL_K},
    {"deref", HL_K}, {"desc", HL_K}, {"describe", HL_K}, {"descriptor", HL_K},
    {"destroy", HL_K}, {"destructor", HL_K}, {"deterministic", HL_K}, {"diagnostics", HL_K},
    {"dictionary", HL_K}, {"disconnect", HL_K}, {"dispatch", HL_K}, {"distinct", HL_K},
    {"do", HL_K}, {"domain", HL_K}, {"drop", HL_K}, {"dynamic", HL_K},
    {"dynamic_function", HL_K}, {"dynamic_function_code", HL_K}, {"each", HL_K},
    {"else", HL_K}, {"elsif", HL_K}, {"encoding", HL_K}, {"encrypted", HL_K}, {"end", HL_K},
    {"end-exec", HL_K}, {"equals", HL_K}, {"escape", HL_K}, {"every", HL_K},
    {"except", HL_K}, {"exception", HL_K}, {"excluding", HL_K}, {"exclusive", HL_K},
    {"exec", HL_K}, {"execute", HL_K}, {"existing", HL_K}, {"exists", HL_K},
    {"explain", HL_K}, {"external", HL_K}, {"extract", HL_K}, {"false", HL_K},
    {"fetch", HL_K}, {"final", HL_K}, {"first", HL_K}, {"float", HL_NB}, {"for", HL_K},
    {"force", HL_K}, {"foreign", HL_K}, {"fortran", HL_K}, {"forward", HL_K},
    {"found", HL_K}, {"free", HL_K}, {"freeze", HL_K}, {"from", HL_K}, {"full", HL_K},
    {"function", HL_K}, {"g", HL_K}, {"general", HL_K}, {"generated", HL_K}, {"get", HL_K},
    {"global", HL_K}, {"go", HL_K}, {"goto", HL_K}, {"grant", HL_K}, {"granted", HL_K},
    {"group", HL_K}, {"grouping", HL_K}, {"handler", HL_K}, {"having", HL_K},
    {"hierarchy", HL_K}, {"hold", HL_K}, {"host", HL_K}, {"identity", HL_K}, {"if", HL_K},
    {"ignore", HL_K}, {"ilike", HL_K}, {"immediate", HL_K}, {"immediately", HL_K},
    {"immutable", HL_K}, {"implementation", HL_K}, {"implicit", HL_K}, {"in", HL_K},
    {"including", HL_K}, {"increment", HL_K}, {"index", HL_K}, {"inditcator", HL_K},
    {"infix", HL_K}, {"inherits", HL_K}, {"initialize", HL_K}, {"initially", HL_K},
    {"inner", HL_K}, {"inout", HL_K}, {"input", HL_K}, {"insensitive", HL_K},
    {"insert", HL_K}, {"instantiable", HL_K}, {"instead", HL_K}, {"int", HL_NB},
    {"int8", HL_NB}, {"integer", HL_NB}, {"intersect", HL_K}, {"interval", HL_NB},
    {"into", HL_K}, {"invoker", HL_K}, {"is", HL_K}, {"isnull", HL_K}, {"isolation", HL_K},
    {"iterate", HL_K}, {"join", HL_K}, {"key", HL_K}, {"key_member", HL_K},
    {"key_type", HL_K}, {"lancompiler", HL_K}, {"language", HL_K}, {"large", HL_K},
    {"last", HL_K}, {"lateral", HL_K}, {"leading", HL_K}, {"left", HL_K}, {"length", HL_K},
    {"less", HL_K}, {"level", HL_K}, {"like", HL_K}, {"limit", HL_K}, {"listen", HL_K},
    {"load", HL_K}, {"local", HL_K}, {"localtime", HL_K}, {"localtimestamp", HL_K},
    {"location", HL_K}, {"locator", HL_K}, {"lock", HL_K}, {"lower", HL_K}, {"map", HL_K},
    {"match", HL_K}, {"max", HL_K}, {"maxvalue", HL_K}, {"message_length", HL_K},
    {"message_octet_length", HL_K}, {"message_text", HL_K}, {"method", HL_K}, {"min", HL_K},
    {"minute", HL_K}, {"minvalue", HL_K}, {"mod", HL_K}, {"mode", HL_K}, {"modifies", HL_K},
    {"modify", HL_K}, {"month", HL_K}, {"more", HL_K}, {"move", HL_K}, {"mumps", HL_K},
    {"names", HL_K}, {"national", HL_K}, {"natural", HL_K}, {"nchar", HL_K},
    {"nclob", HL_K}, {"new", HL_K}, {"next", HL_K}, {"no", HL_K}, {"nocreatedb", HL_K},
    {"nocreateuser", HL_K}, {"none", HL_K}, {"not", HL_K}, {"nothing", HL_K},
    {"notify", HL_K}, {"notnull", HL_K}, {"null", HL_K}, {"nullable", HL_K},
    {"nullif", HL_K}, {"number", HL_NB}, {"numeric", HL_NB}, {"object", HL_K},
    {"octet_length", HL_K}, {"of", HL_K}, {"off", HL_K}, {"offset", HL_K}, {"oids", HL_K},
    {"old", HL_K}, {"on", HL_K}, {"only", HL_K}, {"open", HL_K}, {"operation", HL_K},
    {"operator", HL_K}, {"option", HL_K}, {"options", HL_K}, {"or", HL_K}, {"order", HL_K},
    {"ordinality", HL_K}, {"out", HL_K}, {"outer", HL_K}, {"output", HL_K},
    {"overlaps", HL_K}, {"overlay", HL_K}, {"overriding", HL_K}, {"owner", HL_K},
    {"pad", HL_K}, {"parameter", HL_K}, {"parameter_mode", HL_K}, {"parameter_name", HL_K},
    {"parameter_ordinal_position", HL_K}, {"parameter_specific_catalog", HL_K},
    {"parameter_specific_name", HL_K}, {"parameter_specific_schema", HL_K},
    {"parameters", HL_K}, {"partial", HL_K}, {"pascal", HL_K}, {"pendant", HL_K},
    {"period", HL_K}, {"placing", HL_K}, {"pli", HL_K}, {"position", HL_K},
    {"postfix", HL_K}, {"preceeds", HL_K}, {"precision", HL_K}, {"prefix", HL_K},
    {"preorder", HL_K}, {"prepare", HL_K}, {"preserve", HL_K}, {"primary", HL_K},
    {"prior", HL_K}, {"privileges", HL_K}, {"procedural", HL_K}, {"procedure", HL_K},
    {"public", HL_K}, {"read", HL_K}, {"reads", HL_K}, {"real", HL_NB}, {"recheck", HL_K},
    {"recursive", HL_K}, {"ref", HL_K}, {"references", HL_K}, {"referencing", HL_K},
    {"reindex", HL_K}, {"relative", HL_K}, {"rename", HL_K}, {"repeatable", HL_K},
    {"replace", HL_K}, {"reset", HL_K}, {"restart", HL_K}, {"restrict", HL_K},
    {"result", HL_K}, {"return", HL_K}, {"returned_length", HL_K},
    {"returned_octet_length", HL_K}, {"returned_sqlstate", HL_K}, {"returns", HL_K},
    {"revoke", HL_K}, {"right", HL_K}, {"role", HL_K}, {"rollback", HL_K}, {"rollup", HL_K},
    {"routine", HL_K}, {"routine_catalog", HL_K}, {"routine_name", HL_K},
    {"routine_schema", HL_K}, {"row", HL_K}, {"row_count", HL_K}, {"rows", HL_K},
    {"rule", HL_K}, {"save_point", HL_K}, {"scale", HL_K}, {"schema", HL_K},
    {"schema_name", HL_K}, {"scope", HL_K}, {"scroll", HL_K}, {"search", HL_K},
    {"second", HL_K}, {"security", HL_K}, {"select", HL_K}, {"self", HL_K},
    {"sensitive", HL_K}, {"serial", HL_NB}, {"serial8", HL_NB}, {"serializable", HL_K},
    {"server_name", HL_K}, {"session", HL_K}, {"session_user", HL_K}, {"set", HL_K},
    {"setof", HL_K}, {"sets", HL_K}, {"share", HL_K}, {"show", HL_K}, {"similar", HL_K},
    {"simple", HL_K}, {"size", HL_K}, {"smallint", HL_NB}, {"some", HL_K}, {"source", HL_K},
    {"space", HL_K}, {"specific", HL_K}, {"specific_name", HL_K}, {"specifictype", HL_K},
    {"sql", HL_K}, {"sqlcode", HL_K}, {"sqlerror", HL_K}, {"sqlexception", HL_K},
    {"sqlstate", HL_K}, {"sqlwarninig", HL_K}, {"stable", HL_K}, {"start", HL_K},
    {"state", HL_K}, {"statement", HL_K}, {"static", HL_K}, {"statistics", HL_K},
    {"stdin", HL_K}, {"stdout", HL_K}, {"storage", HL_K}, {"strict", HL_K},
    {"structure", HL_K}, {"stype", HL_K}, {"subclass_origin", HL_K}, {"sublist", HL_K},
    {"substring", HL_K}, {"succeeds", HL_K}, {"sum", HL_K}, {"symmetric", HL_K},
    {"sysid", HL_K}, {"system", HL_K}, {"system_user", HL_K}, {"table", HL_K},
    {"table_name", HL_K}, {"template", HL_K}, {"temporary", HL_K}, {"terminate", HL_K},
    {"text", HL_NB}, {"than", HL_K}, {"then", HL_K}, {"time", HL_K}, {"timestamp", HL_K},
    {"timezone_hour", HL_K}, {"timezone_minute", HL_K}, {"to", HL_K}, {"toast", HL_K},
    {"trailing", HL_K}, {"transaction", HL_K}, {"transaction_active", HL_K},
    {"transactions_committed", HL_K}, {"transactions_rolled_back", HL_K},
    {"transform", HL_K}, {"transforms", HL_K}, {"translate", HL_K}, {"translation", HL_K},
    {"treat", HL_K}, {"trigger", HL_K}, {"trigger_catalog", HL_K}, {"trigger_name", HL_K},
    {"trigger_schema", HL_K}, {"trim", HL_K}, {"true", HL_K}, {"truncate", HL_K},
    {"trusted", HL_K}, {"type", HL_K}, {"uncommitted", HL_K}, {"under", HL_K},
    {"unencrypted", HL_K}, {"union", HL_K}, {"unique", HL_K}, {"unknown", HL_K},
    {"unlisten", HL_K}, {"unnamed", HL_K}, {"unnest", HL_K}, {"until", HL_K},
    {"update", HL_K}, {"upper", HL_K}, {"usage", HL_K}, {"user", HL_K},
    {"user_defined_type_catalog", HL_K}, {"user_defined_type_name", HL_K},
    {"user_defined_type_schema", HL_K}, {"using", HL_K}, {"vacuum", HL_K}, {"valid", HL_K},
    {"validator", HL_K}, {"values", HL_K}, {"varchar", HL_NB}, {"variable", HL_K},
    {"varying", HL_NB}, {"verbose", HL_K}, {"version", HL_K}, {"versioning", HL_K},
    {"versions", HL_K}, {"view", HL_K}, {"volatile", HL_K}, {"when", HL_K},
    {"whenever", HL_K}, {"where", HL_K}, {"with", HL_K}, {"without", HL_K}, {"work", HL_K},
    {"write", HL_K}, {"year", HL_K}, {"zone", HL_K},
};
static struct hl_words word_index = HL_WORDS(words);

/* The ASCII letter a character at p matches under re.IGNORECASE, lower
 * case, with its length in *n; 0 if none. Besides ASCII, Python folds
 * U+0130 and U+0131 to i, U+017F to s and U+212A (Kelvin) to k. */
static char
folded_letter(const struct hl *h, size_t p, size_t *n)
{
    int c = hl_at(h, p);
    *n = 1;
    if ((c | 32) >= 'a' && (c | 32) <= 'z')
        return (char)(c | 32);
    if (c < 0xc4)
        return 0;
    int c1 = hl_at(h, p + 1), c2 = hl_at(h, p + 2);
    *n = c == 0xe2 ? 3 : 2;
    if (c == 0xc4 && (c1 == 0xb0 || c1 == 0xb1))
        return 'i';
    if (c == 0xc5 && c1 == 0xbf)
        return 's';
    if (c == 0xe2 && c1 == 0x84 && c2 == 0xaa)
        return 'k';
    return 0;
}

/* The lower-case letter, digit or '_' of the character at p, with its
 * length in *n; 0 if it is none of those. */
static char
word_char(const struct hl *h, size_t p, size_t *n)
{
    int c = hl_at(h, p);
    *n = 1;
    if ((c >= '0' && c <= '9') || c == '_')
        return (char)c;
    if ((c | 32) >= 'a' && (c | 32) <= 'z')
        return (char)(c | 32);
    return c >= 0xc4 ? folded_letter(h, p, n) : 0;
}

/* A keyword or type name at pos: the run of letters, digits and '_' (folded
 * to lower case) that a word boundary ends; END-EXEC with its hyphen. */
static bool
word(struct hl *h)
{
    char w[40];
    size_t len = 0, p = h->pos, n;
    for (char f; (f = word_char(h, p, &n)); p += n) {
        if (len == sizeof w)
            return false;   /* longer than any keyword */
        w[len++] = f;
    }
    if (!len || !hl_boundary(h, p))
        return false;
    if (len == 3 && !memcmp(w, "end", 3) && hl_at(h, p) == '-') {
        size_t q = p + 1, i = 0;
        for (; i < 4 && folded_letter(h, q, &n) == "exec"[i]; i++)
            q += n;
        if (i == 4 && hl_boundary(h, q)) {
            hl_emit(h, HL_K, q - h->pos);
            return true;
        }
    }
    int i = hl_words_find(&word_index, w, len);
    if (i < 0)
        return false;
    hl_emit(h, (enum hl_class)words[i].cls, p - h->pos);
    return true;
}

/* [a-z_][\w$]* under re.IGNORECASE: its length at p, or 0. */
static size_t
name(const struct hl *h, size_t p)
{
    size_t n;
    if (hl_at(h, p) != '_' && !folded_letter(h, p, &n))
        return 0;
    size_t q = p;
    for (;;) {
        size_t w = hl_word_run(h, q);
        q += w;
        if (hl_at(h, q) == '$')
            q++;
        else if (!w)
            break;
    }
    return q - p;
}

/* A '...' or "..." string at pos, its quote doubled inside, as the regex
 * '(''|[^'])*' matches it: up to the first odd run of quotes or, failing
 * that, backtracking to the last doubled quote. False if not even that. */
static bool
string(struct sql *q)
{
    struct hl *h = q->h;
    char quote = h->s[h->pos];
    int k = quote == '"';
    size_t p = h->pos, i = p + 1, last_pair = 0;
    if (p >= q->no_quote_after[k])
        return false;
    while (i < h->end) {
        const char *at = memchr(h->s + i, quote, h->end - i);
        if (!at)
            break;
        size_t r = (size_t)(at - h->s), run = 1;
        while (r + run < h->end && h->s[r + run] == quote)
            run++;
        if (run % 2) {
            hl_emit(h, k ? HL_SS : HL_S1, r + run - p);
            return true;
        }
        last_pair = r + run - 2;   /* > p, so 0 is none */
        i = r + run;
    }
    if (!last_pair) {
        q->no_quote_after[k] = p;
        return false;
    }
    hl_emit(h, k ? HL_SS : HL_S1, last_pair + 1 - p);
    return true;
}

/* A block comment at pos; they nest. */
static void
comment(struct hl *h)
{
    size_t p = h->pos + 2, depth = 1;
    while (p < h->end && depth) {
        char c = h->s[p];
        int next = hl_at(h, p + 1);
        if (c == '/' && next == '*')
            depth++, p += 2;
        else if (c == '*' && next == '/')
            depth--, p += 2;
        else
            p++;
    }
    hl_emit(h, HL_CM, p - h->pos);
}

/* What can start at each byte, from which of SqlLexer's rules can match there. */
enum {
    K_RULES,   /* several, or a character to decode: try them in order */
    K_SPACE,   /* ASCII \s: only \s+ */
    K_LETTER,  /* [A-Za-z]: a keyword or type, else a name */
    K_DIGIT,   /* [0-9]: only [0-9]+ (no keyword starts with a digit) */
    K_OP,      /* an operator but - and / (which may start comments) */
    K_PUNCT,   /* only [;:()\[\],.] */
};
#define R_ K_RULES
#define S_ K_SPACE
#define L_ K_LETTER
#define D_ K_DIGIT
#define O_ K_OP
#define P_ K_PUNCT
static const unsigned char kind[256] = {
    /* 0x00 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, S_, S_, S_, S_, S_, R_, R_,
    /* 0x10 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, S_, S_, S_, S_,
    /*  !"# */ S_, O_, R_, O_, R_, O_, O_, R_, P_, P_, O_, O_, P_, R_, P_, R_,
    /* 0-9  */ D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, P_, P_, O_, O_, O_, O_,
    /* @A-O */ O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    /* P-Z_ */ L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, P_, R_, P_, O_, R_,
    /* `a-o */ O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    /* p-z  */ L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, R_, O_, R_, O_, R_,
    /* bytes >= 0x80 are R_ (0) */
};
#undef R_
#undef S_
#undef L_
#undef D_
#undef O_
#undef P_

/* [A-Za-z0-9_] bytes in lower case, 0 for any other byte. */
static const char lower[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9', ['_'] = '_',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
    ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
    ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
    ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* A word of ASCII letters, digits and '_' at pos, which ends before ASCII
 * other than '$' and '-': a keyword or type (looked up once, folded to
 * lower case), else a name. False, having emitted nothing, for any other
 * word: the rules then run one by one. */
static bool
ascii_word(struct hl *h)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t p = h->pos, q = p + 1;
    while (q < h->end && lower[s[q]])
        q++;
    if (q < h->end && (s[q] >= 0x80 || s[q] == '$' || s[q] == '-'))
        return false;
    char w[40];   /* as word() has it: longer than any keyword */
    size_t n = q - p;
    int i = -1;
    if (n <= sizeof w) {
        for (size_t k = 0; k < n; k++)
            w[k] = lower[s[p + k]];
        i = hl_words_find(&word_index, w, n);
    }
    hl_emit(h, i < 0 ? HL_N : (enum hl_class)words[i].cls, n);
    return true;
}

static void
token(struct sql *q, struct hl_stack *st)
{
    struct hl *h = q->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    switch (kind[c]) {   /* the rules that can match at c, in Pygments' order */
    case K_SPACE:
        for (n = 1; p + n < h->end && kind[(unsigned char)h->s[p + n]] == K_SPACE; n++)
            ;
        if (p + n < h->end && (unsigned char)h->s[p + n] >= 0x80)
            n += hl_space_run(h, p + n, true);
        hl_emit(h, HL_TEXT, n);
        return;
    case K_LETTER:
        if (ascii_word(h))
            return;
        break;
    case K_DIGIT:
        for (n = 1; p + n < h->end && kind[(unsigned char)h->s[p + n]] == K_DIGIT; n++)
            ;
        hl_emit(h, HL_MI, n);
        return;
    case K_OP:
        hl_emit(h, HL_O, 1);
        return;
    case K_PUNCT:
        hl_emit(h, HL_P, 1);
        return;
    default:
        break;
    }
    if ((n = hl_space(h, p, true)))
        hl_emit(h, HL_TEXT, n);
    else if (c == '-' && hl_at(h, p + 1) == '-')
        hl_emit(h, HL_C1, hl_line_end(h, p) - p);
    else if (c == '/' && hl_at(h, p + 1) == '*')
        comment(h);
    else if (word(h))
        return;
    else if (hl_in(c, "+*/<>=~!@#%^&|`?-"))
        hl_emit(h, HL_O, 1);
    else if (c >= '0' && c <= '9')
        hl_emit(h, HL_MI, hl_span(h, p, "0123456789", (size_t)-1));
    else if ((c == '\'' || c == '"') && string(q))
        return;
    else if ((n = name(h, p)))
        hl_emit(h, HL_N, n);
    else if (hl_in(c, ";:()[],."))
        hl_emit(h, HL_P, 1);
    else
        hl_no_match(h, st);
}

void
lex_sql(struct hl *h)
{
    struct sql q = { .h = h, .no_quote_after = { (size_t)-1, (size_t)-1 } };
    struct hl_stack st;   /* one state; hl_no_match wants a stack */
    hl_stack_init(&st, 0);
    while (h->pos < h->end)
        token(&q, &st);
    hl_stack_dispose(&st);
}
