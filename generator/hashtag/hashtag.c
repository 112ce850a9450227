/* hashtag.c: finds #hashtags in plain text as Telegram's tdlib does
 * (td/telegram/MessageEntity.cpp), with every other entity that can hide one
 * (URLs: entities.c). Part of parse/: called on each Markdown text run. */
#include "hashtag.h"
#include "entities.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/*
 * How tdlib finds entities (find_entities, as getTextEntities calls it:
 * bot commands and media timestamps included): each matcher below runs
 * over the whole text on its own; the matches are sorted by start, the
 * longer first on a tie (MessageEntity::operator<), and
 * remove_intersecting_entities keeps a match only when it starts at or
 * after the end of the last kept one. So a URL hides the hashtags inside
 * it when it starts first, a hashtag hides a URL that starts inside it,
 * and a cashtag, card number or timestamp that hides a URL brings the
 * hashtags in that URL back ("$AB.com/#tag" has the tag). Every matcher
 * of find_entities is modelled, since any of them can take part in such
 * a chain.
 *
 * Each matcher is an iterator that resumes where tdlib's loop would; they
 * are merged in one pass, so the scan allocates nothing. The matchers of
 * URLs and e-mail addresses, and the code points and character classes
 * all matchers share, are in entities.c.
 */

enum kind {
    K_HASHTAG, K_MENTION, K_COMMAND, K_CASHTAG, K_CARD, K_TG_URL, K_URL,
    K_TIME, K_COUNT
};

#define HASHTAG_MAX_CHARS 256    /* match_hashtags: {1,256} */
#define USERNAME_MAX 32          /* "@username" after a hashtag or cashtag */

struct scan {
    const struct entity_text *t;
    size_t pos[K_COUNT];         /* where each matcher resumes */
    struct url_state url;
    struct entity_span head[K_COUNT];   /* each matcher's next match */
    bool live[K_COUNT];
};

/* ---- code points and character classes ------------------------------ */

/* The code point at pos, 0 at the end of the text (as tdlib's `next = 0`). */
static uint32_t
cp_at(const struct entity_text *t, size_t pos)
{
    uint32_t c = 0;
    if (pos < t->len)
        entity_cp_next(t, pos, &c);
    return c;
}

/* tdlib: is_hashtag_letter. Letters, decimal digits, '_', ZWNJ, the middle
 * dot and the whole Sinhala block (whose vowel signs are marks); *k gets
 * the category, since only Letter counts towards "at least one letter".
 * Other marks (Mn, Mc, Me) and emoji end a tag. */
static bool
is_hashtag_letter(uint32_t c, enum utf8_class *k)
{
    *k = entity_category(c);
    if (c == '_' || c == 0x200C || c == 0xB7 || (c >= 0xD80 && c <= 0xDFF))
        return true;
    return *k == UTF8_LETTER || *k == UTF8_DIGIT;
}

static bool
is_tag_char(uint32_t c)
{
    enum utf8_class k;
    return is_hashtag_letter(c, &k);
}

/* Moves forward from pos over ASCII username characters, at most max. */
static size_t
scan_username(const struct entity_text *t, size_t pos, size_t max)
{
    size_t end = pos;
    while (end < t->len && end - pos < max && entity_is_username_char(t->s[end]))
        end++;
    return end;
}

/* ---- hashtags: tdlib match_hashtags --------------------------------- */

/* Reads the name after the '#' at `at`: hashtag letters as far as they go
 * (*run_end), of which only the first 256 count (*name_end; tdlib keeps
 * the rest out of the entity but reads on). Returns whether a Letter is
 * among those 256; *count gets their number. */
static bool
hashtag_name(const struct entity_text *t, size_t at, size_t *name_end,
             size_t *run_end, size_t *count)
{
    size_t pos = at + 1, n = 0;
    bool letter = false;
    *name_end = ENTITY_NONE;
    while (pos < t->len) {
        uint32_t c;
        enum utf8_class k;
        size_t next = entity_cp_next(t, pos, &c);
        if (!is_hashtag_letter(c, &k))
            break;
        pos = next;
        if (n < HASHTAG_MAX_CHARS) {
            letter |= k == UTF8_LETTER;
            if (++n == HASHTAG_MAX_CHARS)
                *name_end = pos;
        }
    }
    if (*name_end == ENTITY_NONE)
        *name_end = pos;
    *run_end = pos;
    *count = n;
    return letter;
}

/* Reads the '#' at `at` (not glued to a preceding tag character); sets
 * *resume where tdlib searches on. Returns true and fills *out for a
 * hashtag: 1..256 name characters with at least one Letter, then an
 * optional "@username" of 3..32 ASCII username characters (taken only
 * after an untruncated name; a longer one is cut at 32), and no '#'
 * right after all of it. */
static bool
hashtag_read(const struct entity_text *t, size_t at, struct entity_span *out, size_t *resume)
{
    size_t name_end, ptr, count;
    bool letter = hashtag_name(t, at, &name_end, &ptr, &count);
    size_t end = name_end;
    *resume = ptr;
    if (count == 0)
        return false;
    if (name_end == ptr && ptr < t->len && t->s[ptr] == '@') {
        size_t user_end = scan_username(t, ptr + 1, USERNAME_MAX);
        if (user_end - ptr - 1 >= 3)
            ptr = end = user_end;
    }
    *resume = ptr;
    if ((ptr < t->len && t->s[ptr] == '#') || !letter)
        return false;
    *out = (struct entity_span){at, end, name_end};
    return true;
}

/* The next hashtag: a '#' at the start or after a character that is not a
 * hashtag letter (tdlib's lookbehind), then hashtag_read's rules. */
static bool
hashtag_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_HASHTAG];
    for (size_t at; (at = entity_find_byte(t, *pos, '#')) != ENTITY_NONE;) {
        *pos = at + 1;
        if (!is_tag_char(entity_cp_before(t, at)) &&
            hashtag_read(t, at, out, pos))
            return true;
    }
    *pos = t->len;
    return false;
}

/* ---- mentions: tdlib match_mentions and find_mentions ---------------- */

/* tdlib: get_valid_short_usernames; the only names under 4 characters. */
static bool
is_short_username(const unsigned char *s, size_t n)
{
    const char *p = (const char *)s;
    return n == 3 && (strncasecmp(p, "gif", 3) == 0 ||
                      strncasecmp(p, "vid", 3) == 0 ||
                      strncasecmp(p, "pic", 3) == 0);
}

/* The next "@name": not after a word character, 2..32 ASCII username
 * characters not followed by a word character, and at least 4 of them
 * unless the name is gif, vid or pic. */
static bool
mention_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_MENTION];
    for (size_t at; (at = entity_find_byte(t, *pos, '@')) != ENTITY_NONE;) {
        *pos = at + 1;
        if (entity_is_word_char(entity_cp_before(t, at)))
            continue;
        size_t end = scan_username(t, at + 1, ENTITY_NONE);
        size_t n = end - at - 1;
        *pos = end;
        if (n < 2 || n > USERNAME_MAX || entity_is_word_char(cp_at(t, end)))
            continue;
        if (n < 4 && !is_short_username(t->s + at + 1, n))
            continue;
        *out = (struct entity_span){at, end, end};
        return true;
    }
    *pos = t->len;
    return false;
}

/* ---- bot commands: tdlib match_bot_commands ------------------------- */

static bool
is_command_stop(uint32_t c)
{
    return entity_is_word_char(c) || c == '/' || c == '<' || c == '>';
}

/* Reads "/command[@bot]" at `at`: 1..64 username characters, then, after
 * an '@', 3..32 more (else no command at all), not followed by a word
 * character, '/', '<' or '>'. *resume is where tdlib searches on. */
static bool
command_read(const struct entity_text *t, size_t at, struct entity_span *out, size_t *resume)
{
    size_t end = scan_username(t, at + 1, ENTITY_NONE);
    *resume = end;
    if (end - at - 1 < 1 || end - at - 1 > 64)
        return false;
    if (end < t->len && t->s[end] == '@') {
        size_t bot = scan_username(t, end + 1, ENTITY_NONE);
        *resume = bot;
        if (bot - end - 1 < 3 || bot - end - 1 > USERNAME_MAX)
            return false;
        end = bot;
    }
    if (is_command_stop(cp_at(t, end)))
        return false;
    *out = (struct entity_span){at, end, end};
    return true;
}

/* The next bot command: a '/' not after a word character, '/', '<', '>'. */
static bool
command_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_COMMAND];
    for (size_t at; (at = entity_find_byte(t, *pos, '/')) != ENTITY_NONE;) {
        *pos = at + 1;
        if (!is_command_stop(entity_cp_before(t, at)) &&
            command_read(t, at, out, pos))
            return true;
    }
    *pos = t->len;
    return false;
}

/* ---- cashtags: tdlib match_cashtags --------------------------------- */

/* Reads "$" + (1INCH | 1..8 capital letters) + optional "@username" of
 * 3..32 characters at `at`; *resume is where tdlib searches on. The
 * cashtag must not be followed by a hashtag letter or '$'. */
static bool
cashtag_read(const struct entity_text *t, size_t at, struct entity_span *out, size_t *resume)
{
    size_t ptr = at + 1;
    if (t->len - ptr >= 5 && memcmp(t->s + ptr, "1INCH", 5) == 0)
        ptr += 5;
    else
        while (ptr < t->len && t->s[ptr] >= 'A' && t->s[ptr] <= 'Z')
            ptr++;
    *resume = ptr;
    if (ptr - at - 1 < 1 || ptr - at - 1 > 8)
        return false;
    if (ptr < t->len && t->s[ptr] == '@') {
        size_t user_end = scan_username(t, ptr + 1, ENTITY_NONE);
        if (user_end - ptr - 1 >= 3 && user_end - ptr - 1 <= USERNAME_MAX)
            ptr = user_end;
    }
    *resume = ptr;
    uint32_t next = cp_at(t, ptr);
    if (ptr < t->len && (is_tag_char(next) || next == '$'))
        return false;
    *out = (struct entity_span){at, ptr, ptr};
    return true;
}

/* The next cashtag: a '$' not after a hashtag letter or another '$'. */
static bool
cashtag_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_CASHTAG];
    for (size_t at; (at = entity_find_byte(t, *pos, '$')) != ENTITY_NONE;) {
        *pos = at + 1;
        uint32_t prev = entity_cp_before(t, at);
        if (!is_tag_char(prev) && prev != '$' && cashtag_read(t, at, out, pos))
            return true;
    }
    *pos = t->len;
    return false;
}

/* ---- bank card numbers: tdlib match_bank_card_numbers, is_valid_bank_card */

static bool
is_card_char(unsigned char c)
{
    return entity_is_digit(c) || c == ' ' || c == '-';
}

/* tdlib: is_valid_bank_card. The Luhn checksum, then the lengths some
 * networks (Visa, Mastercard, Amex, UnionPay, MIR) require. */
static bool
card_valid(const unsigned char *s, size_t n)
{
    int d[19], count = 0, sum = 0;
    for (size_t i = 0; i < n && count < 19; i++)
        if (entity_is_digit(s[i]))
            d[count++] = s[i] - '0';
    for (int i = count - 1, odd = 0; i >= 0; i--, odd ^= 1)
        sum += !odd ? d[i] : d[i] < 5 ? 2 * d[i] : 2 * d[i] - 9;
    if (sum % 10 != 0)
        return false;
    int p2 = d[0] * 10 + d[1], p4 = p2 * 100 + d[2] * 10 + d[3];
    if (d[0] == 4)
        return count == 13 || count == 16 || count == 18 || count == 19;
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720) ||
        (p4 >= 2200 && p4 <= 2204))
        return count == 16;   /* Mastercard, MIR */
    if (p2 == 34 || p2 == 37)
        return count == 15;
    if (p2 == 62 || p2 == 81)
        return count >= 16;
    return true;
}

/* Reads digits, spaces and dashes from begin, stopping before a space
 * that follows 16..19 digits written without separators; *digits gets the
 * digit count. Returns where it stopped. */
static size_t
card_scan(const struct entity_text *t, size_t begin, size_t *digits)
{
    size_t pos = begin, n = 0;
    for (; pos < t->len && is_card_char(t->s[pos]); pos++) {
        if (t->s[pos] == ' ' && n >= 16 && n <= 19 && n == pos - begin)
            break;
        n += entity_is_digit(t->s[pos]);
    }
    *digits = n;
    return pos;
}

/* Whether a card number may start at pos: not after . , + - _ or a letter. */
static bool
card_may_start(const struct entity_text *t, size_t pos)
{
    uint32_t prev = entity_cp_before(t, pos);
    return !(prev == '.' || prev == ',' || prev == '+' || prev == '-' ||
             prev == '_' || entity_category(prev) == UTF8_LETTER);
}

/* Checks the run [begin, stop) holding `digits` digits: 13..19 digits,
 * trailing separators dropped, no doubled separators, not followed by
 * - _ or a letter, and a valid number. Fills *out when it is a card. */
static bool
card_check(const struct entity_text *t, size_t begin, size_t stop, size_t digits,
           struct entity_span *out)
{
    if (digits < 13 || digits > 19)
        return false;
    size_t end = stop;
    while (!entity_is_digit(t->s[end - 1]))
        end--;
    if (end - begin > 2 * digits - 1)
        return false;
    uint32_t next = cp_at(t, end);
    if (end < t->len &&
        (next == '-' || next == '_' || entity_category(next) == UTF8_LETTER))
        return false;
    if (!card_valid(t->s + begin, end - begin))
        return false;
    *out = (struct entity_span){begin, end, end};
    return true;
}

/* Whether one of the eight bytes at p is an ASCII digit: XOR with '0'
 * makes the digits the only bytes under 10, which the borrow of a
 * subtraction finds. */
static bool
has_digit8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    w ^= 0x3030303030303030ULL;
    return ((w - 0x0a0a0a0a0a0a0a0aULL) & ~w & 0x8080808080808080ULL) != 0;
}

/* The next bank card number. */
static bool
card_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_CARD];
    while (*pos < t->len) {
        /* to the next digit: eight bytes a step where there is none */
        size_t at = *pos;
        while (at + 8 <= t->len && !has_digit8(t->s + at))
            at += 8;
        while (at < t->len && !entity_is_digit(t->s[at]))
            at++;
        *pos = at;
        if (at == t->len)
            break;
        size_t begin = at, digits = 0;
        if (!card_may_start(t, begin)) {
            while (*pos < t->len && is_card_char(t->s[*pos]))
                (*pos)++;
            continue;
        }
        *pos = card_scan(t, begin, &digits);
        if (card_check(t, begin, *pos, digits, out))
            return true;
    }
    return false;
}

/* ---- media timestamps: tdlib match_media_timestamps, find_media_timestamps */

static bool
is_time_char(unsigned char c)
{
    return c == ':' || entity_is_digit(c);
}

/* find_media_timestamps: h:mm:ss (1..2 digit hours and minutes) or m:ss
 * (1..4 digit minutes); seconds of 2 digits under 60, and minutes under
 * 60 when hours are given. */
static bool
time_valid(const unsigned char *s, size_t n)
{
    size_t colon[3] = {0, 0, 0}, parts = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':' && parts++ < 3)
            colon[parts - 2] = i;
    if (parts > 3 || n - colon[parts - 2] - 1 != 2 || s[n - 2] >= '6')
        return false;
    size_t first = colon[0];
    if (parts == 2)
        return first >= 1 && first <= 4;
    size_t second = colon[1] - colon[0] - 1;
    return first >= 1 && first <= 2 && second >= 1 && second <= 2 &&
           (second == 1 || s[colon[0] + 1] < '6');
}

/* The next media timestamp: a run of digits and ':' with a ':' followed by
 * a digit, not touching a word character, and a valid time. */
static bool
time_next(struct scan *sc, struct entity_span *out)
{
    const struct entity_text *t = sc->t;
    size_t *pos = &sc->pos[K_TIME];
    for (size_t colon; (colon = entity_find_byte(t, *pos, ':')) != ENTITY_NONE;) {
        size_t begin = colon, end = colon + 1;
        while (begin > 0 && is_time_char(t->s[begin - 1]))
            begin--;
        while (end < t->len && is_time_char(t->s[end]))
            end++;
        *pos = end;
        if (begin == colon || end == colon + 1 || !entity_is_digit(t->s[colon + 1]))
            continue;
        if (entity_is_word_char(entity_cp_before(t, begin)) ||
            entity_is_word_char(cp_at(t, end)))
            continue;
        if (time_valid(t->s + begin, end - begin)) {
            *out = (struct entity_span){begin, end, end};
            return true;
        }
    }
    *pos = t->len;
    return false;
}

/* ---- merging: tdlib fix_entity_offsets -> remove_intersecting_entities */

static bool
tg_url_next(struct scan *sc, struct entity_span *out)
{
    return entity_tg_url_next(sc->t, &sc->pos[K_TG_URL], out);
}

static bool
url_next(struct scan *sc, struct entity_span *out)
{
    return entity_url_next(sc->t, &sc->url, out);
}

typedef bool (*match_fn)(struct scan *sc, struct entity_span *out);

static const match_fn matchers[K_COUNT] = {
    [K_HASHTAG] = hashtag_next, [K_MENTION] = mention_next,
    [K_COMMAND] = command_next, [K_CASHTAG] = cashtag_next,
    [K_CARD] = card_next, [K_TG_URL] = tg_url_next, [K_URL] = url_next,
    [K_TIME] = time_next,
};

static void
advance(struct scan *sc, int k)
{
    sc->live[k] = matchers[k](sc, &sc->head[k]);
}

/* The matcher whose next match comes first in tdlib's order
 * (MessageEntity::operator<): by start, then the longer first. Types tie
 * at priority 50 for all these and never share start and length with a
 * hashtag. Returns -1 when all are done. */
static int
first_match(const struct scan *sc)
{
    int best = -1;
    for (int k = 0; k < K_COUNT; k++) {
        if (!sc->live[k])
            continue;
        const struct entity_span *a = &sc->head[k];
        const struct entity_span *b = best < 0 ? NULL : &sc->head[best];
        if (b == NULL || a->start < b->start ||
            (a->start == b->start && a->end > b->end))
            best = k;
    }
    return best;
}

void
hashtag_scan(const char *text, size_t len, uint32_t prev, hashtag_fn fn,
             void *payload)
{
    assert(text != NULL || len == 0);
    if (len == 0)
        return;
    struct entity_text t = {(const unsigned char *)text, len, prev};
    struct scan sc = {.t = &t};
    for (int k = 0; k < K_COUNT; k++)
        advance(&sc, k);
    size_t last_end = 0;
    for (int k; (k = first_match(&sc)) >= 0; advance(&sc, k)) {
        const struct entity_span *m = &sc.head[k];
        if (m->start < last_end)
            continue;   /* remove_intersecting_entities: overlaps a kept one */
        last_end = m->end;
        struct hashtag e = {HASHTAG_TAG, m->start, m->end - m->start,
                            m->end - m->start};
        if (k == K_HASHTAG)
            e.name_len = m->name_end - m->start - 1;
        else if (k == K_MENTION)
            e.kind = HASHTAG_MENTION;
        else if (k == K_URL)
            e.kind = entity_is_email(t.s + m->start, m->end - m->start)
                         ? HASHTAG_EMAIL : HASHTAG_URL;
        else
            continue;
        fn(&e, payload);
    }
}
