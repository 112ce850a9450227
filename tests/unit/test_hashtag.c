/* test_hashtag.c: the hashtag scanner on a table of texts, each row named
 * and run as its own test. Expected tags follow tdlib's rules
 * (td/telegram/MessageEntity.cpp); the seed lines are copied verbatim from
 * the files in shared/seeds. Three timed tests guard against quadratic
 * scans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../generator/hashtag/hashtag.h"

#define MAX_WANT 12

/* One case: the text, the code point before it, and the tags expected
 * (whole matches, '#' and "@channel" included), in order. */
struct row {
    const char *name;
    const char *text;
    uint32_t prev;
    const char *want[MAX_WANT + 1];   /* NULL-terminated */
};

#define A10 "aaaaaaaaaa"
#define A50 A10 A10 A10 A10 A10
#define A100 A50 A50
#define A255 A100 A100 A50 "aaaaa"
#define B10 "bbbbbbbbbb"
#define B50 B10 B10 B10 B10 B10
#define B255 B50 B50 B50 B50 B50 "bbbbb"
#define D10 "1111111111"
#define D50 D10 D10 D10 D10 D10
#define D100 D50 D50
#define D200 D100 D100
#define D255 D200 D50 "11111"
#define T10 "2222222222"
#define T50 T10 T10 T10 T10 T10
#define T200 T50 T50 T50 T50
#define U32 "abcdefghijklmnopqrstuvwxyz012345"

static const struct row rows[] = {
    /* ---- the seed hashtag lines, verbatim ---- */
    {"seed_async",
     "#async",
     0, {"#async"}},
    {"seed_astro_line32",
     "#galaxies⚡#starformation⚡#Carina⚡#nasa⚡#galaxy⚡"
     "#stars⚡#astronomy⚡#universe⚡#cosmos⚡#space",
     0, {"#galaxies", "#starformation", "#Carina", "#nasa", "#galaxy",
      "#stars", "#astronomy", "#universe", "#cosmos", "#space"}},
    {"seed_astro_line35",
     "#neutronstars⚡#carina⚡#xray⚡#nasa⚡#galaxy⚡"
     "#stars⚡#astronomy⚡#universe⚡#cosmos⚡#space",
     0, {"#neutronstars", "#carina", "#xray", "#nasa", "#galaxy",
      "#stars", "#astronomy", "#universe", "#cosmos", "#space"}},
    {"seed_astro_line39",
     "#darkmatter⚡#galaxyclusters⚡#carina⚡#nasa⚡#galaxy⚡"
     "#stars⚡#astronomy⚡#universe⚡#cosmos⚡#space",
     0, {"#darkmatter", "#galaxyclusters", "#carina", "#nasa", "#galaxy",
      "#stars", "#astronomy", "#universe", "#cosmos", "#space"}},
    /* 001_6f3a31005875d96f.txt:30 repeats an earlier seed line */
    {"seed_crypto_line33",
     "#zkSync#TokenUnlock#Cryptocurrency#Blockchain#MarketUpdate"
     "#CryptoNews#ZK",
     0, {NULL}},
    {"seed_crypto_line36",
     "#ImmutableX#IMX#TokenUnlock#Web3#Crypto#Blockchain#RootData"
     "#ChainCatcher",
     0, {NULL}},
    {"seed_crypto_line39",
     "#Kaito#TokenUnlock#Web3#RootData#Crypto#Blockchain#TokenRelease"
     "#April20#KAITO",
     0, {NULL}},
    {"seed_crypto_line42",
     "#QuaiNetwork#TokenRelease#Web3#Crypto#Blockchain#TokenUnlock"
     "#Investors#Stakeholders#ChainCatcher",
     0, {NULL}},
    /* 002_317dcfc60c4b0506.txt:30 repeats an earlier seed line */
    {"seed_arch_line37",
     "#iarchitectures#superarchitects#archdaily#architecture"
     "#architecturedrawing#archisource#architecturedesign#allofarchitectur"
     "e#sketchbook#architecturalsketch#architecturesketch#arch_shovel",
     0, {NULL}},
    {"seed_arch_line42",
     "#iarchitectures#superarchitects#flatdesign#architectural"
     "#archdaily#architecture#architecturedrawing#archi_students"
     "#showitbetter#archisource#archdraw#architecturedesign"
     "#arch_shovel#arch_shovel_architecture",
     0, {NULL}},
    /* 002_317dcfc60c4b0506.txt:48 repeats an earlier seed line */
    /* 002_317dcfc60c4b0506.txt:53 repeats an earlier seed line */
    /* 002_317dcfc60c4b0506.txt:56 repeats an earlier seed line */
    {"seed_arch_line61",
     "#iarchitectures#superarchitects#architectural#archdaily"
     "#architecture#architecturedrawing#archi_students#showitbetter"
     "#archisource #\n"
     "#archisketcher#arqsketch#arch_shovel#studioklm",
     0, {NULL}},
    {"seed_arch_line67",
     "#iarchitectures#superarchitects#flatdesign#architectural"
     "#archdaily#architecture#architecturedrawing#archi_students"
     "#showitbetter#archisource#archdraw#architecturedesign"
     "#arch_shovel#henninglarsen",
     0, {NULL}},
    /* 003_1d0ca0982d64781d.txt:30 repeats an earlier seed line */
    {"seed_audi_line37",
     "#Audi#A6#ElectricVehicles#ETRON#CarLaunch#LuxuryCars"
     "#Innovation#S6#Auto",
     0, {NULL}},
    {"seed_audi_line45",
     "#AudiQ6#eTron#Sportback#ElectricVehicle#EV#SustainableDriving"
     "#LuxuryCars#Innovation#AudiFamily#Auto🚘🌍",
     0, {NULL}},
    /* 004_d00a9ff9bd8d9baa.txt:30 repeats an earlier seed line */
    {"seed_ethiopia_line32",
     "https://borkena.com/2026/03/03/ethiopian-orthodox-christians"
     "-who-is-behind-the-alleged-genocide-against-christian"
     "-amhara-communities-in-east-arsi-ethiopia/#Ethiopia#humanrights"
     "#Arsi",
     0, {NULL}},
    {"seed_ethiopia_line34",
     "https://borkena.com/2026/03/15/ethipoia-the-unspoken"
     "-crisis-of-ethiopian-orthodoxy/#Ethiopia#Orthodox#Arsi",
     0, {NULL}},
    {"seed_ethiopia_line36",
     "https://borkena.com/2026/03/04/ethiopia-oromo-liberation"
     "-army-points-finger-at-abiy-ahmeds-admin-over-arsi-massacre"
     "/#Ethiopia#OLA#Arsi",
     0, {NULL}},
    {"seed_ethiopia_line38",
     "https://borkena.com/2026/02/25/ethiopia-three-orthodox"
     "-christians-reportedly-killed-in-arsi-oromia-region/"
     "#Ethiopia#News#OrthodoxChristians#Arsi#Orthodox",
     0, {NULL}},
    {"seed_ethiopia_line40",
     "https://borkena.com/2026/03/03/ethiopia-death-toll-from"
     "-arsi-massacre-rise-to-34-as-killing-orthodox-christian"
     "-continues/#Ethiopia#Arsi#humanrights#Oromia#OrthodoxChristians",
     0, {NULL}},
    {"seed_ethiopia_line42",
     "https://borkena.com/2025/11/15/ethiopia-world-council"
     "-of-churches-condemns-all-acts-of-violence-in-ethiopia"
     "/#Ethiopia#News#OrthodoxChristianchurch#Ethiopia#WorldCouncilofchurc"
     "hes#Arsi",
     0, {NULL}},
    {"seed_ethiopia_line43",
     "Systematic Persecution in Oromia: The Role of Militias"
     " and Political Actors in Targeting Ethiopian Orthodox"
     " Christians. Read more. https://borkena.com/2025/11/05"
     "/systematic-persecution-in-oromia-the-role-of-militias"
     "-and-political-actors-in-targeting-ethiopian-orthodox"
     "-christians/#Ethiopia#Orthodox#OrthodoxChristians#OromiaMassacre"
     "#Arsi",
     0, {NULL}},

    /* ---- where a tag may start (match_hashtags' lookbehind) ---- */
    {"empty_text", "", 0, {NULL}},
    {"hash_alone", "#", 0, {NULL}},
    {"hash_at_end", "see #", 0, {NULL}},
    {"two_hashes", "##", 0, {NULL}},
    {"three_hashes", "###", 0, {NULL}},
    {"hash_hash_x", "##x", 0, {"#x"}},
    {"hash_then_space", "# tag", 0, {NULL}},
    {"start_of_text", "#a", 0, {"#a"}},
    {"between_spaces", " #a ", 0, {"#a"}},
    {"after_newline", "#tag\n#next", 0, {"#tag", "#next"}},
    {"glued_to_word", "text#tag", 0, {NULL}},
    {"a_hash_b", "a#b", 0, {NULL}},
    {"c_sharp", "C# and F#", 0, {NULL}},
    {"glued_to_digit", "1#tag", 0, {NULL}},
    {"glued_to_underscore", "_#tag", 0, {NULL}},
    {"glued_to_middle_dot", "x\u00b7#tag", 0, {NULL}},
    {"glued_to_cyrillic", " \u044f#a ", 0, {NULL}},
    {"after_dash", "-#tag", 0, {"#tag"}},
    {"after_superscript_two", "\u00b2#tag", 0, {"#tag"}},
    {"after_emoji", "\U0001F600#tag", 0, {"#tag"}},
    {"after_mention", "@user#tag", 0, {NULL}},
    {"include_line", "#include <stdio.h>", 0, {"#include"}},
    {"prev_letter", "#a", 'x', {NULL}},
    {"prev_space", "#a", ' ', {"#a"}},
    {"prev_underscore", "#a", '_', {NULL}},
    {"prev_middle_dot", "#a", 0xB7, {NULL}},
    {"prev_emoji", "#a", 0x26A1, {"#a"}},

    /* ---- what a tag is made of (is_hashtag_letter) ---- */
    {"latin", "#tag", 0, {"#tag"}},
    {"underscore_inside", "#tag_with_underscore", 0, {"#tag_with_underscore"}},
    {"underscores_only", "#___", 0, {NULL}},
    {"underscore_digit", "#_1", 0, {NULL}},
    {"digits_only", "#2024", 0, {NULL}},
    {"digits_then_letter", " #123a ", 0, {"#123a"}},
    {"letter_then_digits", " #a123 ", 0, {"#a123"}},
    {"arabic_indic_digits_only", "#\u0661\u0662\u0663", 0, {NULL}},
    {"arabic_indic_digit_then_letters", "#\u0663abc", 0, {"#\u0663abc"}},
    {"cyrillic", " #\u044f ", 0, {"#\u044f"}},
    {"cyrillic_word", "#\u041c\u043e\u0441\u043a\u0432\u0430_2024", 0,
     {"#\u041c\u043e\u0441\u043a\u0432\u0430_2024"}},
    {"cjk", "#\u4e2d\u6587\u6807\u7b7e", 0, {"#\u4e2d\u6587\u6807\u7b7e"}},
    {"japanese_katakana", "#\u30cf\u30c3\u30b7\u30e5\u30bf\u30b0", 0,
     {"#\u30cf\u30c3\u30b7\u30e5\u30bf\u30b0"}},
    {"cjk_with_digits", "#\u6771\u4eac2024", 0, {"#\u6771\u4eac2024"}},
    {"arabic", "#\u0645\u0631\u062d\u0628\u0627", 0,
     {"#\u0645\u0631\u062d\u0628\u0627"}},
    {"arabic_harakat_ends_tag", "#\u0645\u064e\u0631\u062d\u0628\u0627", 0,
     {"#\u0645"}},
    {"devanagari_vowel_sign_ends_tag",
     "#\u0939\u093f\u0928\u094d\u0926\u0940", 0,
     {"#\u0939"}},
    {"devanagari_virama_ends_tag", "#\u0928\u092e\u0938\u094d\u0924\u0947", 0,
     {"#\u0928\u092e\u0938"}},
    {"thai_letters", "#\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22", 0,
     {"#\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22"}},
    {"combining_acute_ends_tag", "#cafe\u0301", 0, {"#cafe"}},
    {"sinhala_marks_inside", "#\u0dbd\u0d82\u0d9a\u0dcf", 0,
     {"#\u0dbd\u0d82\u0d9a\u0dcf"}},
    {"sinhala_block_tdlib_test", "#a\u0d81\u0d82\u0df4\u0e01\u0e3f", 0,
     {"#a\u0d81\u0d82\u0df4\u0e01"}},
    {"sinhala_zwj_ends_tag", "#\u0dc1\u0dca\u200d\u0dbb\u0dd3", 0,
     {"#\u0dc1\u0dca"}},
    {"malayalam_number_ends_tag", "#a\u0d79", 0, {"#a"}},
    {"zwnj_inside", "#\u0646\u0645\u06cc\u200c\u062f\u0627\u0646\u0645", 0,
     {"#\u0646\u0645\u06cc\u200c\u062f\u0627\u0646\u0645"}},
    {"zwnj_latin", "#a\u200cb", 0, {"#a\u200cb"}},
    {"zwj_ends_tag", "#a\u200db", 0, {"#a"}},
    {"middle_dot_inside", "#te\u00b7st", 0, {"#te\u00b7st"}},
    {"middle_dot_only", "#\u00b7\u00b7", 0, {NULL}},
    {"trademark_ends_tag", "#a\u2122", 0, {"#a"}},
    {"superscript_ends_tag", "#a\u00b2", 0, {"#a"}},
    {"roman_numeral_is_no_letter", "#\u216b", 0, {NULL}},
    {"ligature_is_letter", "#\ufb01x", 0, {"#\ufb01x"}},
    {"variation_selector_ends_tag", "#a\ufe0f", 0, {"#a"}},
    {"emoji_inside", "#ab\U0001F600cd", 0, {"#ab"}},
    {"emoji_after", "#Auto\U0001F698\U0001F30D", 0, {"#Auto"}},
    {"lightning_separators", "#a\u26a1#b\u26a1#c", 0, {"#a", "#b", "#c"}},
    {"full_stop", "#tag.", 0, {"#tag"}},
    {"comma", "#tag, #next", 0, {"#tag", "#next"}},
    {"parentheses", "(#tag)", 0, {"#tag"}},
    {"no_break_space", "#tag\u00a0x", 0, {"#tag"}},
    {"line_separator", "#a\u2028#b", 0, {"#a", "#b"}},
    {"tab", "#a\t#b", 0, {"#a", "#b"}},

    /* ---- a tag directly followed by '#' is no tag ---- */
    {"tag_then_hash", " #a# ", 0, {NULL}},
    {"run_together", "#a#b", 0, {NULL}},
    {"run_together_then_spaced", "#a#b #c #d", 0, {"#c", "#d"}},
    {"digits_letter_hash", " #123a# ", 0, {NULL}},

    /* ---- 256 characters (tdlib keeps the first 256, reads on) ---- */
    {"300_letters_truncated", "#" A255 A10 A10 A10 A10 "aaaaa", 0,
     {"#" A255 "a"}},
    {"256_letters_with_channel", "#" A255 "a@channel", 0,
     {"#" A255 "a@channel"}},
    {"truncated_drops_channel", "#" A255 "aa@channel", 0, {"#" A255 "a"}},
    {"255_digits_and_letter", " #" D255 "a", 0, {"#" D255 "a"}},
    {"256_digits_then_letter", " #" D255 "1a ", 0, {NULL}},
    {"300_digits", " #" D255 D10 D10 D10 D10 "11111", 0, {NULL}},
    {"long_tag_then_hash", " #" D255 "a" B255 "# ", 0, {NULL}},
    {"truncated_in_cyrillic", "\U0001F604 \U0001F604#" D200
     "\u041e\u041e\u041e" T200, 0, {"#" D200 "\u041e\u041e\u041e" T50 "222"}},

    /* ---- "#tag@channel" (match_hashtags, newer tdlib) ---- */
    {"channel", "#tag@channel", 0, {"#tag@channel"}},
    {"channel_of_three", "#tag@abc", 0, {"#tag@abc"}},
    {"channel_too_short", "#tag@ab", 0, {"#tag"}},
    {"channel_then_hash", "#tag@channel#x", 0, {NULL}},
    {"channel_cut_at_32", "#tag@" U32 "6789 x", 0, {"#tag@" U32}},
    {"channel_underscores", "#tag@_a_", 0, {"#tag@_a_"}},
    {"channel_not_ascii", "#tag@\u044e\u0437\u0435\u0440", 0, {"#tag"}},
    {"channel_before_domain", "#tag@example.com", 0, {"#tag@example"}},
    {"channel_needs_letter", "#2024@channel", 0, {NULL}},
    {"at_after_space", "#tag @channel", 0, {"#tag"}},

    /* ---- URLs that start first hide the tags inside them ---- */
    {"url_fragment", "https://example.com/#tag", 0, {NULL}},
    {"domain_fragment", "example.com/#tag", 0, {NULL}},
    {"tag_before_domain", "#tag example.com", 0, {"#tag"}},
    {"tag_after_url", "https://example.com #tag", 0, {"#tag"}},
    {"tme_fragment", "see t.me/#x", 0, {NULL}},
    {"uppercase_tld", "example.COM/#tag", 0, {NULL}},
    {"capitalised_tld_is_no_url", "example.Com/#tag", 0, {"#tag"}},
    {"unknown_tld_without_scheme", "example.zzz/#tag", 0, {"#tag"}},
    {"unknown_tld_with_scheme", "https://example.zzz/#tag", 0, {NULL}},
    {"single_label_host", "http://localhost/#tag", 0, {"#tag"}},
    {"ipv4", "127.0.0.1/#tag", 0, {NULL}},
    {"not_ipv4", "999.0.0.1/#tag", 0, {"#tag"}},
    {"idn_tld", "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/#tag", 0,
     {NULL}},
    {"path_stops_at_unbalanced_paren", "x.com/a)#tag", 0, {"#tag"}},
    {"url_in_parentheses", "(see example.com/#tag)", 0, {NULL}},
    {"url_then_full_stop", "example.com/#tag.", 0, {NULL}},
    {"tag_is_no_domain", "#tag.com", 0, {"#tag"}},
    {"email_then_tag", "mail me@example.com #tag", 0, {"#tag"}},
    {"tg_url_fragment", "tg://resolve/#tag", 0, {NULL}},
    {"ftp_url_fragment", "ftp://files.example.org/#tag", 0, {NULL}},
    {"stdio_h_is_no_url", "stdio.h/#tag", 0, {"#tag"}},
    {"url_tags_glued",
     "https://borkena.com/2026/03/03/x/#Ethiopia#humanrights#Arsi", 0, {NULL}},

    /* ---- other entities decide too (remove_intersecting_entities) ---- */
    {"tag_hides_url_inside", "#a\u00b7b.com/#x", 0, {"#a\u00b7b", "#x"}},
    {"cashtag_hides_url", "$AB.com/#tag", 0, {"#tag"}},
    {"timestamp_hides_url", "12:30.com/#x", 0, {"#x"}},
    {"card_number_hides_url", "4111 1111 1111 1111.com/#x", 0, {"#x"}},
    /* the card's first digit at each place of an eight-byte step */
    {"card_after_2", "x 4111 1111 1111 1111.com/#x", 0, {"#x"}},
    {"card_after_5", "abcd 4111 1111 1111 1111.com/#x", 0, {"#x"}},
    {"card_after_8", "abcdefg 4111 1111 1111 1111.com/#x", 0, {"#x"}},
    {"card_after_12", "abcdefghijk 4111 1111 1111 1111.com/#x", 0, {"#x"}},
    {"card_after_15", "abcdefghijklmn 4111 1111 1111 1111.com/#x", 0,
     {"#x"}},
    {"card_after_16", "abcdefghijklmno 4111 1111 1111 1111.com/#x", 0,
     {"#x"}},
    {"mention_hides_card", "@4111 1111 1111 1111.com/#x", 0, {NULL}},
    {"bot_command_and_url", "/cmd@bot.com/#x", 0, {"#x"}},
    {"tonsite_link", "tonsite://a.b/#x", 0, {"#x"}},

    /* ---- invalid UTF-8 never matches ---- */
    {"invalid_byte_ends_tag", "#a\xff" "b", 0, {"#a"}},
    {"invalid_byte_alone", "#\xff", 0, {NULL}},
    {"invalid_byte_before", "\xff#tag", 0, {"#tag"}},
    {"truncated_sequence", "#ab\xe2\x82", 0, {"#ab"}},
    {"surrogate_ends_tag", "#ab\xed\xa0\x80" "cd", 0, {"#ab"}},
    {"overlong_ends_tag", "#ab\xc0\xaf", 0, {"#ab"}},
    {"invalid_in_url", "example.com/\xff#tag", 0, {"#tag"}},
};

/* What the scanner reported, as "tag tag ...", with each name checked. */
struct found {
    const struct row *row;
    char got[4096];
    size_t n;
};

static void
collect(const struct hashtag *tag, void *payload)
{
    struct found *f = payload;
    const char *s = f->row->text + tag->start;
    if (tag->kind != HASHTAG_TAG) {
        assert_true(s[0] != '#' && tag->name_len == tag->len);
        return;
    }
    const char *at = memchr(s, '@', tag->len);
    /* the name runs up to '@' (names never hold one) or to the end */
    assert_true(s[0] == '#');
    assert_int_equal(tag->name_len, at ? (size_t)(at - s - 1) : tag->len - 1);
    size_t used = strlen(f->got);
    snprintf(f->got + used, sizeof f->got - used, "%s%.*s", f->n ? " " : "",
             (int)tag->len, s);
    f->n++;
}

static void
test_row(void **state)
{
    const struct row *r = *state;
    char want[4096] = "";
    for (size_t i = 0; r->want[i]; i++) {
        size_t used = strlen(want);
        snprintf(want + used, sizeof want - used, "%s%s", i ? " " : "",
                 r->want[i]);
    }
    struct found f = {.row = r};
    hashtag_scan(r->text, strlen(r->text), r->prev, collect, &f);
    assert_string_equal(f.got, want);
}

static void
count_tags(const struct hashtag *tag, void *payload)
{
    if (tag->kind == HASHTAG_TAG)
        ++*(size_t *)payload;
}

/* Scans head followed by unit repeated up to 1 MiB; fails past a second.
 * Returns the number of tags. */
static size_t
scan_repeated(const char *head, const char *unit)
{
    size_t size = 1u << 20, len = strlen(head), unit_len = strlen(unit);
    char *text = malloc(size);
    assert_non_null(text);
    memcpy(text, head, len);
    for (; len + unit_len <= size; len += unit_len)
        memcpy(text + len, unit, unit_len);
    size_t tags = 0;
    clock_t start = clock();
    hashtag_scan(text, len, 0, count_tags, &tags);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    free(text);
    print_message("# \"%s\" + \"%s\" x %zu: %.3f s\n", head, unit,
                  (len - strlen(head)) / unit_len, seconds);
    assert_true(seconds < 1.0);
    return tags;
}

static void
test_megabyte_of_hash_a(void **state)
{
    (void)state;
    assert_int_equal(scan_repeated("", "#a"), 0);   /* each glued to the next */
    assert_int_equal(scan_repeated("", "#a "), 349525);
}

static void
test_megabyte_of_letters(void **state)
{
    (void)state;
    assert_int_equal(scan_repeated("#", "a"), 1);   /* one tag, cut at 256 */
    assert_int_equal(scan_repeated("#", "\u044f"), 1);
    assert_int_equal(scan_repeated("", "a"), 0);
}

static void
test_megabyte_of_url_material(void **state)
{
    (void)state;
    assert_int_equal(scan_repeated("#a", "."), 1);  /* one run, many dots */
    assert_int_equal(scan_repeated("", "#t a.com/#x "), 87381);
    assert_int_equal(scan_repeated("", "a.b@"), 0);
}

int
main(void)
{
    static const struct {
        const char *name;
        CMUnitTestFunction fn;
    } timed[] = {
        {"megabyte_of_hash_a", test_megabyte_of_hash_a},
        {"megabyte_of_letters", test_megabyte_of_letters},
        {"megabyte_of_url_material", test_megabyte_of_url_material},
    };
    size_t n = sizeof rows / sizeof rows[0], m = sizeof timed / sizeof timed[0];
    struct CMUnitTest *tests = calloc(n + m, sizeof *tests);
    if (tests == NULL)
        return 1;
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){.name = rows[i].name,
                                       .test_func = test_row,
                                       .initial_state = (void *)&rows[i]};
    for (size_t i = 0; i < m; i++)
        tests[n + i] = (struct CMUnitTest){.name = timed[i].name,
                                           .test_func = timed[i].fn};
    int failed = _cmocka_run_group_tests("hashtag", tests, n + m, NULL, NULL);
    free(tests);
    return failed;
}
