/* lex_sql.c: the SQL lexer of the highlighter, after Pygments' SqlLexer
 * (pygments/lexers/sql.py, 2.14): ANSI keywords (k) and type names (nb) in
 * any case, comments (c1, nested cm), '...' (s1) and "..." (ss) with doubled
 * quotes, integers, operators, names and punctuation. */
#include "lexer.h"
#include "lex_bytes.h"

struct sql {
    struct hl *h;
    size_t no_quote_after[2]; /* no ' (0) or " (1) closes at or after this */
};

/* SqlLexer's words, lower case: keywords (k) and type names (nb); ' TEMP'
 * (with its space) never matches. First the empty word, where word_slot's
 * free slots point. Each is padded with NULs, so that lookup compares
 * eight bytes at a time, to 31 (an entry of 32 bytes is quick to index). */
#define LONGEST_WORD 27   /* datetime_interval_precision */
static const struct word {
    char w[31];
    unsigned char cls;
} words[] = {
    {"", HL_N},
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

/* A perfect hash of the words, so that a lookup looks at one entry. A
 * word's key mixes its first 16 bytes (in lower case, NULs past its end)
 * and its length into 64 bits; the top 6 bits pick a bucket, whose
 * displacement, added before a second multiplication, gives a slot of
 * word_slot (the top 10 bits) that no other word of the table lands on.
 * word_slot holds an index in words, 0 for none. When words change, search
 * again: for random odd multipliers, place the buckets from the fullest
 * down, each at the first displacement (0-255) that lands all its words on
 * free slots, until one set of multipliers places them all (most do). */
#define WORD_MIX0 UINT64_C(0x91b7584a2265b1f5)
#define WORD_MIX1 UINT64_C(0xcd613e30d8f16adf)
#define WORD_SPREAD UINT64_C(0x1027c4d1c386bbc5)
static const unsigned char word_displacement[64] = {
      0,   4,   9,  11,  20,   3,  15,   4,   0,  46,   4,   0,   1,   2,  38,   1,
     16,   1,   6,  12,   3,  47,   1,  23,   1,  21,  50,   2,   1,   0,  65,   1,
      2,  86,  43,   2,  40, 117,   3,  55,   1,   0,  13,   3,   8,  39,   0,  13,
      9,  86,   1,   6,  16,   6,  12,  33,   6,  20,  12,  29,   4,  62,  77,   4,
};
static const unsigned short word_slot[1024] = {
    422,   0, 491,   0,  80,   0, 349,   0,  93, 180,   0, 412, 392,   0,   0,   0,
      0,   0,   0, 418, 444, 521,   0, 313,   0,   0,  44,   0,   0,   0, 198,  56,
    502,   0,   0,  64, 314,   0, 175, 431, 263,   0, 507,   0,  91, 387,   0,   0,
    125,   0, 246,   0, 267,   0, 296, 318, 321,  59,   0,   0,   0,   0,   0,   0,
    224,  36,   0,   5, 500,   0, 480, 154,   0,   0, 385,   0, 243, 408,   0, 419,
      0, 348,   0,   0, 213, 254, 489,   0,   0,  41, 393, 189,   0,   0, 177,   0,
    245, 172,   0,   0, 247, 225,  35, 421,   0,   0, 443,   0, 410,   0,   0, 413,
    454,   0, 107,   0,  28,  13, 293, 289, 160, 355,  12, 194,   0,   0,   0, 181,
     37,   0,   0,   0,   0,   0,   0,   0, 286,   0, 266, 365,  61, 137,   0, 436,
      0,   0,   0,   0, 403,  94, 297,   0,   0,   0,   0,   0,   0,   6,   0,  90,
      0, 163, 301, 283,   0,   0, 187,   0,   0,   0,  45,   0,   0,  30, 105, 250,
    433, 477, 274, 409,   0,   0, 255,   0,   0,   0, 398,   0, 522, 171,   0,   0,
      0,   0,  84, 218, 427, 141,   0, 139, 515,   0, 367, 350, 279, 371, 414,   0,
      0,   0,   0, 499, 169,  25,   0, 158,   0,   0,   0,   0, 473,  32,   0,   0,
    339, 441,  47, 253,   0,   0,   0, 199, 185,   0,   0,  67,  11,  10,   0, 205,
      0, 401,   0, 103,   0, 315, 463, 369, 438, 357,   0,  75,   0, 508,   0,   0,
      0, 518,  33, 446,   0,  82, 488,   0, 428,   0,   0,   0,  83,   0, 520, 345,
      0, 496,   0,   0,  39, 106,  65, 467,   0, 478,  92,   0, 429, 483, 337,   0,
    416,   0,   0,   0, 306,  49, 366,   0, 282, 215,   0,   0,   0, 396,   0, 383,
      0, 203,   0, 110,   0, 317,   0, 462, 290,  72, 112, 111,   0, 148, 380, 170,
      0, 494, 375,   0, 458, 209,   0, 116, 415,   0,   0,   0, 370, 326, 354,   0,
      0, 528, 305,   0,   0,   0, 186, 324, 378, 363,   0,   0, 482, 361,   0, 382,
      0, 340,   0,  89, 320,   0,   0,   0,   0, 484,   0, 501,   0,  87,   0,   0,
      4,   0,   0, 291,   0, 207, 523, 275, 264, 165,   0,   0, 229,   0,   0, 503,
      0,  97,   0,   0, 126,   0,   8,   0, 527, 251, 155, 356,   0, 411,   0,   0,
      0,   0, 341, 174,  43,   0,   0, 164,   0, 335, 353,   0,   0,   0, 360,   0,
      0,   0, 338,   0, 364,   0,   0, 426, 114,   0, 497,   0,   0, 138,  55, 261,
      0, 122,   0,   0,   0,   0, 202,   0, 457, 285,   0,   0,   0,   0,  14,   0,
      0,   0, 271,   0,   0,   0,   0,   0, 130,   0, 440, 108, 327,   0,  66,   0,
    121,   0, 402,   0,   0,   0, 192, 334, 450, 400,   0, 399,   0, 193,   0,   0,
    278,   0,   0, 136,   0, 476,   0, 323,  86, 425,   0,   0, 196,   0, 223,   0,
    197,   0,   0,   0,  18,   0,  34, 284, 417, 514,   0, 351, 300,   0, 195,  88,
    188, 168,   0,   0,   0, 272, 227, 295, 470, 268,   0,   0, 379,   0, 298, 153,
      0,   0,   0, 166, 342, 333, 453,   9,   0, 129,   0,   0,   0, 432,   0, 135,
      0, 510, 304,   0,   0, 102,  77, 352,   0,   0,   0, 509,   0, 214, 167,   0,
      0, 226,   0, 460,   0, 405,   0,   0,   0, 475, 120,   0,   0, 238, 386,   0,
      0,   0,  19, 395,   0, 525,   0,   0,  68,   0, 336, 485,   0, 281,   0, 204,
      0,  42,   0, 232,   0,   0, 372,   0,   0,   0,   0,   0,   0,   0, 210,   0,
      0, 182, 173,   0, 142,   0,   0,   0, 119, 288,   0,   0, 134, 143,  38,   0,
    113,   0, 448, 233,   0,   0,   0,   0, 152,   0,  73,  71, 249,   0,  50,   0,
      0,   0,   0, 147,   0,   0, 423,   0,   0,  20, 234,  24, 220, 316,  29,   0,
    311,   0,   0,   0,   0, 133, 437, 277, 190, 303, 252,   0, 325,   0,  62,   0,
    524, 343,   0, 492, 156,   0, 307, 344, 455, 302, 162,   0, 144,   0, 201,   0,
      0,   2,  26, 145,   0,   0, 240,   0,   0,   0,   0, 269, 452,   3,   0, 511,
      0,   0,  58,   0, 273,   0,   0,   0,   0, 331,   0, 468,   0, 376, 109, 239,
    228, 373, 447, 442,   0, 149,   0, 505,   0, 248,  60,   0,   0,   0,   0,   0,
      0, 498,   0, 495,   0,   0, 178,   0,   0, 280,   0,   0,   0, 362, 211, 212,
      0,   0,   0, 258, 123,   0, 319, 265,   0, 397, 377,   0, 434,   0,   0,  40,
     76,   0,   0,   0, 472, 513,  17,   0,   0, 391,   0,  53,   0,   0,   0, 260,
      0, 132,  69, 100,   0,  99,   0,  57, 512,   0,   0, 257,   0,  21, 118, 479,
    424,   0, 219,   0,   0,   0,   0, 368,   0,   0,   0,   0,   0, 310,   0,  15,
      0, 256,   0,   0, 235, 407, 237, 244, 151,   0,   0,   0,   0, 159,  54,   0,
    231, 184,   0, 493, 176,   0, 406,   0, 206,   0, 430,   0,   0, 161,   0, 127,
      0,  74,   0,   0,   0,   0,  70, 183, 506,   0, 270,   0,   0,   0, 346,   0,
      0, 449,   0,  27,   0, 146,  95,  46,   0, 486,   0, 150, 115,   0, 459,  52,
      0, 359,   0, 221,   0,   0,   0, 466, 179,   0,  79,  31,   0, 526, 322, 308,
    242, 445, 404,   0,   0,   0,   0,   0, 312, 517,   0, 191,   0, 469,   0,   0,
      0,   0,   0, 128, 222,   0, 332, 456,   0, 504,   0,   0,   0, 461,  98, 328,
    381, 309,   0, 200,   0, 384,   0, 276, 529, 216, 131,  51,  16, 292,  63, 294,
    481, 262,   0, 471,   0,   0,   0,   0, 329, 124, 101,   0, 217,   0,   0,   7,
      0, 236,  81, 330,   0,   0,   0,   0,   0, 451, 394, 358,  96, 516, 389, 287,
      0,   0, 439,   0,   0,   0,   0, 420, 230,   0, 388,  85, 490, 390, 519, 474,
      1, 374,   0, 299, 117,   0,   0,  78, 435,  23, 465,   0,   0,   0,   0, 347,
      0, 487,   0,   0,   0, 140, 241,   0, 208,   0, 259, 157, 464,  48, 104,  22,
};

/* The class of the keyword or type name w[0..n) (n >= 1 bytes of
 * [A-Za-z0-9_] in any case), or -1 if it is none of words; low0 and low1
 * are its first 16 bytes in lower case, NULs past n. One entry to look at,
 * compared eight bytes at a time. */
static inline int
lookup(uint64_t low0, uint64_t low1, const char *w, size_t n)
{
    uint64_t key = low0 * WORD_MIX0 + low1 * WORD_MIX1 + n;
    const struct word *e =
        &words[word_slot[((key + word_displacement[key >> 58]) * WORD_SPREAD) >> 54]];
    if (hl_load_le64(e->w) != low0 || hl_load_le64(e->w + 8) != low1)
        return -1;   /* a shorter word has a NUL where w goes on: only n >= 16 is left */
    if (n >= 16) {
        if (n > LONGEST_WORD || e->w[n])
            return -1;
        for (size_t i = 16; i < n; i++)
            if ((w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]) != e->w[i])
                return -1;
    }
    return e->cls;
}

/* lookup for w[0..n) on its own. */
static int
word_class(const char *w, size_t n)
{
    char low[16] = {0};
    for (size_t i = 0; i < n && i < sizeof low; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    return lookup(hl_load_le64(low), hl_load_le64(low + 8), w, n);
}

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
    char w[40] = {0};
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
    int cls = lookup(hl_load_le64(w), hl_load_le64(w + 8), w, len);
    if (cls < 0)
        return false;
    hl_emit(h, (enum hl_class)cls, p - h->pos);
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

/* Bits of sql_bytes: the runs that hl_skip and hl_skip_to scan. */
enum {
    B_SPACE = 1,      /* ASCII \s */
    B_WORD = 2,       /* [A-Za-z0-9_] */
    B_DIGIT = 4,      /* [0-9] */
    B_OPERATOR = 8,   /* an operator byte that starts no comment */
    B_PUNCT = 16,     /* [;:()\[\],.] */
    B_COMMENT = 32,   /* '/' and '*', which may open or close a block comment */
    B_DOLLAR_OR_HYPHEN = 64,   /* may go on a word: [\w$]*, END-EXEC */
    B_HIGH = 128,     /* bytes >= 0x80: of a character to decode */
};
#define HIGH_ROW(r) \
    [r] = B_HIGH, [r + 1] = B_HIGH, [r + 2] = B_HIGH, [r + 3] = B_HIGH, [r + 4] = B_HIGH, \
    [r + 5] = B_HIGH, [r + 6] = B_HIGH, [r + 7] = B_HIGH, [r + 8] = B_HIGH, [r + 9] = B_HIGH, \
    [r + 10] = B_HIGH, [r + 11] = B_HIGH, [r + 12] = B_HIGH, [r + 13] = B_HIGH, \
    [r + 14] = B_HIGH, [r + 15] = B_HIGH
static const unsigned char sql_bytes[256] = {
    HL_LETTER_BYTES(B_WORD),
    ['0'] = B_WORD | B_DIGIT, ['1'] = B_WORD | B_DIGIT, ['2'] = B_WORD | B_DIGIT,
    ['3'] = B_WORD | B_DIGIT, ['4'] = B_WORD | B_DIGIT, ['5'] = B_WORD | B_DIGIT,
    ['6'] = B_WORD | B_DIGIT, ['7'] = B_WORD | B_DIGIT, ['8'] = B_WORD | B_DIGIT,
    ['9'] = B_WORD | B_DIGIT,
    [' '] = B_SPACE, ['\t'] = B_SPACE, ['\n'] = B_SPACE, ['\r'] = B_SPACE, ['\v'] = B_SPACE,
    ['\f'] = B_SPACE, [0x1c] = B_SPACE, [0x1d] = B_SPACE, [0x1e] = B_SPACE,
    [0x1f] = B_SPACE,
    ['+'] = B_OPERATOR, ['<'] = B_OPERATOR, ['>'] = B_OPERATOR, ['='] = B_OPERATOR,
    ['~'] = B_OPERATOR, ['!'] = B_OPERATOR, ['@'] = B_OPERATOR, ['#'] = B_OPERATOR,
    ['%'] = B_OPERATOR, ['^'] = B_OPERATOR, ['&'] = B_OPERATOR, ['|'] = B_OPERATOR,
    ['`'] = B_OPERATOR, ['?'] = B_OPERATOR,
    ['*'] = B_OPERATOR | B_COMMENT, ['/'] = B_COMMENT,
    [';'] = B_PUNCT, [':'] = B_PUNCT, ['('] = B_PUNCT, [')'] = B_PUNCT, ['['] = B_PUNCT,
    [']'] = B_PUNCT, [','] = B_PUNCT, ['.'] = B_PUNCT,
    ['$'] = B_DOLLAR_OR_HYPHEN, ['-'] = B_DOLLAR_OR_HYPHEN,
    HIGH_ROW(0x80), HIGH_ROW(0x90), HIGH_ROW(0xa0), HIGH_ROW(0xb0),
    HIGH_ROW(0xc0), HIGH_ROW(0xd0), HIGH_ROW(0xe0), HIGH_ROW(0xf0),
};
#undef HIGH_ROW

/* The first '/' or '*' at or after p, or end: sixteen bytes a round where
 * the machine has SSE2. */
static size_t
comment_mark(const struct hl *h, size_t p)
{
#ifdef __SSE2__
    for (; h->end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        unsigned marks = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8('/')), _mm_cmpeq_epi8(v, _mm_set1_epi8('*'))));
        if (marks)
            return p + (size_t)__builtin_ctz(marks);
    }
#endif
    return hl_skip_to(h, p, sql_bytes, B_COMMENT);
}

/* A block comment at pos; they nest. */
static void
comment(struct hl *h)
{
    size_t p = h->pos + 2, depth = 1;
    while (depth) {
        p = comment_mark(h, p);
        if (h->end - p < 2) {   /* a lone last '/' or '*' is comment too */
            p = h->end;
            break;
        }
        if (h->s[p] == '/' && h->s[p + 1] == '*')
            depth++, p += 2;
        else if (h->s[p] == '*' && h->s[p + 1] == '/')
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
    K_WORD,    /* [A-Za-z_]: a keyword or type, else a name */
    K_DIGIT,   /* [0-9]: only [0-9]+ (no keyword starts with a digit) */
    K_OP,      /* an operator but - and / (which may start comments) */
    K_PUNCT,   /* only [;:()\[\],.] */
    K_MINUS,   /* a -- comment, else an operator */
    K_SLASH,   /* a block comment, else an operator */
    K_QUOTE,   /* a string, else an error */
};
#define R_ K_RULES
#define S_ K_SPACE
#define W_ K_WORD
#define D_ K_DIGIT
#define O_ K_OP
#define P_ K_PUNCT
#define M_ K_MINUS
#define V_ K_SLASH
#define Q_ K_QUOTE
static const unsigned char kind[256] = {
    /* 0x00 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, S_, S_, S_, S_, S_, R_, R_,
    /* 0x10 */ R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, R_, S_, S_, S_, S_,
    /*  !"# */ S_, O_, Q_, O_, R_, O_, O_, Q_, P_, P_, O_, O_, P_, M_, P_, V_,
    /* 0-9  */ D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, P_, P_, O_, O_, O_, O_,
    /* @A-O */ O_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
    /* P-Z_ */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, P_, R_, P_, O_, W_,
    /* `a-o */ O_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
    /* p-z  */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, R_, O_, R_, O_, R_,
    /* bytes >= 0x80 are R_ (0) */
};
#undef R_
#undef S_
#undef W_
#undef D_
#undef O_
#undef P_
#undef M_
#undef V_
#undef Q_

/* A word of ASCII letters, digits and '_' at pos, which ends before ASCII
 * other than '$' and '-': a keyword or type (looked up once), else a name
 * (no keyword starts with '_'). False, having emitted nothing, for any
 * other word: the rules then run one by one. */
static bool
ascii_word(struct hl *h)
{
    size_t p = h->pos, q;
    int cls;
#ifdef __SSE2__
    if (h->end - p >= 16) {   /* the usual: the word and the byte after it in one load */
        /* 16 0xff bytes, then 16 NULs: at ones + 16 - n, a mask of n bytes */
        static const unsigned char ones[32] = {
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        };
        /* a byte is in [lo, lo + n) if, moved by 0x80 - lo, it is below
         * -128 + n as a signed byte: one add and one compare a range */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->s + p));
        __m128i letter = _mm_cmpgt_epi8(
            _mm_set1_epi8(-128 + 26),
            _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x80 - 'a')));
        __m128i digit = _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 10),
                                       _mm_add_epi8(v, _mm_set1_epi8(0x80 - '0')));
        __m128i word = _mm_or_si128(_mm_or_si128(letter, digit),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
        unsigned n = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(word));
        if (n < 16) {
            unsigned char c = (unsigned char)h->s[p + n];
            if (sql_bytes[c] & (B_HIGH | B_DOLLAR_OR_HYPHEN))
                return false;
            __m128i low = _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20)));
            low = _mm_and_si128(low, _mm_loadu_si128((const __m128i *)(const void *)
                                                     (ones + 16 - n)));
            char bytes[16];
            _mm_storeu_si128((__m128i *)(void *)bytes, low);
            cls = lookup(hl_load_le64(bytes), hl_load_le64(bytes + 8), h->s + p, n);
            hl_emit(h, cls < 0 ? HL_N : (enum hl_class)cls, n);
            /* the usual single space after a word, here rather than through
             * token's dispatch: before neither \s nor a byte >= 0x80 */
            if (c == ' ' && p + n + 1 < h->end) {
                c = (unsigned char)h->s[p + n + 1];
                if (!(sql_bytes[c] & (B_HIGH | B_SPACE)))
                    hl_emit(h, HL_TEXT, 1);
            }
            return true;
        }
    }
#endif
    q = hl_skip(h, p + 1, sql_bytes, B_WORD);
    if (q < h->end) {
        unsigned char c = (unsigned char)h->s[q];
        if (sql_bytes[c] & (B_HIGH | B_DOLLAR_OR_HYPHEN))
            return false;
    }
    cls = word_class(h->s + p, q - p);
    hl_emit(h, cls < 0 ? HL_N : (enum hl_class)cls, q - p);
    return true;
}

/* One token at pos, or a run of \s and the token after it. */
static void
token(struct hl *h, struct sql *q, struct hl_stack *st)
{
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p], k = kind[c];
    if (k == K_SPACE) {   /* \s+, then the token after it in the same round */
        n = hl_skip(h, p + 1, sql_bytes, B_SPACE) - p;
        if (p + n < h->end && (unsigned char)h->s[p + n] >= 0x80)
            n += hl_space_run(h, p + n, true);
        hl_emit(h, HL_TEXT, n);
        if ((p += n) == h->end)
            return;
        c = (unsigned char)h->s[p];
        k = kind[c];
    }
    /* the rules that can match at c, in Pygments' order; the commonest
     * first, before the switch */
    if (k == K_WORD) {
        if (ascii_word(h))
            return;
    } else if (k == K_PUNCT) {
        hl_emit(h, HL_P, hl_skip(h, p + 1, sql_bytes, B_PUNCT) - p);
        return;
    }
    switch (k) {
    case K_DIGIT:
        hl_emit(h, HL_MI, hl_skip(h, p + 1, sql_bytes, B_DIGIT) - p);
        return;
    case K_OP:   /* one a token, so a run of them is one run of o */
        hl_emit(h, HL_O, hl_skip(h, p + 1, sql_bytes, B_OPERATOR) - p);
        return;
    case K_MINUS:   /* no word starts with '-' */
        if (hl_at(h, p + 1) == '-')
            hl_emit(h, HL_C1, hl_line_end(h, p) - p);
        else
            hl_emit(h, HL_O, 1);
        return;
    case K_SLASH:
        if (hl_at(h, p + 1) == '*')
            comment(h);
        else
            hl_emit(h, HL_O, 1);
        return;
    case K_QUOTE:   /* only a string can match */
        if (!string(q))
            hl_no_match(h, st);
        return;
    default:   /* K_RULES, or a word ascii_word left */
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
        token(h, &q, &st);
    hl_stack_dispose(&st);
}
