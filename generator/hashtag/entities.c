/* entities.c: the text under tdlib's entity matchers (code points and
 * character classes) and its URL and e-mail matchers, which decide where a
 * link hides a hashtag. Part of parse/, for hashtag.c only. */
#include "entities.h"
#include "../base/utf8.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* ---- code points ---------------------------------------------------- */

/* Decodes the code point that ends at pos (0 < pos <= len, pos on a
 * character boundary) and returns its start; agrees with entity_cp_next
 * on where characters begin, invalid bytes included. */
static size_t
cp_prev(const struct entity_text *t, size_t pos, uint32_t *cp)
{
    size_t lead = pos - 1;
    while (lead > 0 && pos - lead < 4 && (t->s[lead] & 0xC0) == 0x80)
        lead--;
    if (entity_cp_next(t, lead, cp) == pos && *cp != ENTITY_CP_INVALID)
        return lead;
    *cp = t->s[pos - 1] < 0x80 ? t->s[pos - 1] : ENTITY_CP_INVALID;
    return pos - 1;
}

uint32_t
entity_cp_before(const struct entity_text *t, size_t pos)
{
    uint32_t c = t->prev;
    if (pos > 0)
        cp_prev(t, pos, &c);
    return c;
}

size_t
entity_find_byte(const struct entity_text *t, size_t from, int c)
{
    if (from >= t->len)
        return ENTITY_NONE;
    const unsigned char *p = memchr(t->s + from, c, t->len - from);
    return p ? (size_t)(p - t->s) : ENTITY_NONE;
}

/* ---- character classes (entity_category: entities.h) --------------- */

bool
entity_is_word_char(uint32_t c)
{
    enum utf8_class k = entity_category(c);
    return k == UTF8_LETTER || k == UTF8_DIGIT || k == UTF8_NUMBER || c == '_';
}

/* tdlib: is_url_unicode_symbol. */
static bool
is_url_unicode_symbol(uint32_t c)
{
    /* General Punctuation: only ZWNJ, ZWJ and the dashes U+2010..2015 */
    if (c >= 0x2000 && c <= 0x206F)
        return c == 0x200C || c == 0x200D || (c >= 0x2010 && c <= 0x2015);
    return entity_category(c) != UTF8_SEPARATOR;
}

/* tdlib: is_url_path_symbol. */
static bool
is_url_path_symbol(uint32_t c)
{
    switch (c) {
    case '\n': case '<': case '>': case '"': case 0xAB: case 0xBB:
        return false;
    default:
        return is_url_unicode_symbol(c);
    }
}

/* tdlib: match_urls' is_domain_symbol. */
static bool
is_domain_symbol(uint32_t c)
{
    if (c < 0xC0)
        return c == '.' || entity_is_username_char(c) || c == '-' || c == '~';
    return is_url_unicode_symbol(c);
}

/* tdlib: match_urls' is_user_data_symbol. */
static bool
is_user_data_symbol(uint32_t c)
{
    switch (c) {
    case '\n': case '/': case '[': case ']': case '{': case '}':
    case '(': case ')': case '\'': case '`': case '<': case '>':
    case '"': case '@': case 0xAB: case 0xBB:
        return false;
    default:
        return is_url_unicode_symbol(c);
    }
}

/* tdlib: match_urls' is_protocol_symbol. */
static bool
is_protocol_symbol(uint32_t c)
{
    if (c < 0x80)
        return entity_is_alnum(c) || c == '+' || c == '-';
    return entity_category(c) != UTF8_SEPARATOR;
}

/* tdlib: bad_path_end_chars of match_urls, match_tg_urls and fix_url. */
static bool
is_bad_path_end(unsigned char c)
{
    return c != '\0' && strchr(".:;,('?!`", c) != NULL;
}

/* Moves back from pos over code points that satisfy ok, never before
 * limit; returns where it stopped. */
static size_t
scan_back(const struct entity_text *t, size_t pos, size_t limit, bool (*ok)(uint32_t))
{
    while (pos > limit) {
        uint32_t c;
        size_t start = cp_prev(t, pos, &c);
        if (!ok(c))
            break;
        pos = start;
    }
    return pos;
}

/* Moves forward from pos over code points that satisfy ok. */
static size_t
scan_forward(const struct entity_text *t, size_t pos, bool (*ok)(uint32_t))
{
    while (pos < t->len) {
        uint32_t c;
        size_t next = entity_cp_next(t, pos, &c);
        if (!ok(c))
            break;
        pos = next;
    }
    return pos;
}

/* ---- tg:// URLs: tdlib match_tg_urls -------------------------------- */

static bool
ends_with_ci(const unsigned char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && strncasecmp((const char *)s + n - m, suffix, m) == 0;
}

/* Where a tg://, ton:// or tonsite:// link whose ':' is at `colon` begins;
 * ENTITY_NONE when there is none. tdlib starts a tonsite:// link 3 bytes before
 * the ':' (as for ton://), so its entity is "ite://..."; kept as is. */
static size_t
tg_url_begin(const struct entity_text *t, size_t colon)
{
    if (t->len - colon < 3 || t->s[colon + 1] != '/' || t->s[colon + 2] != '/')
        return ENTITY_NONE;
    if (ends_with_ci(t->s, colon, "tg"))
        return colon - 2;
    if (ends_with_ci(t->s, colon, "ton") ||
        ends_with_ci(t->s, colon, "tonsite"))
        return colon - 3;
    return ENTITY_NONE;
}

/* Extends a URL ending at pos by a path, query or fragment starting with
 * '/', '?' or '#': path symbols, minus trailing .:;,('?!` characters; a
 * lone '?' or '#' is dropped. Shared by match_tg_urls and match_urls. */
static size_t
url_path(const struct entity_text *t, size_t pos)
{
    if (pos >= t->len || !memchr("/?#", t->s[pos], 3))
        return pos;
    size_t end = scan_forward(t, pos + 1, is_url_path_symbol);
    while (end > pos + 1 && is_bad_path_end(t->s[end - 1]))
        end--;
    return t->s[pos] == '/' || end > pos + 1 ? end : pos;
}

static bool
is_tg_host_char(uint32_t c)
{
    return entity_is_username_char(c) || c == '-';
}

/* The next tg://host[path]: 1..253 host characters [A-Za-z0-9_-]. */
bool
entity_tg_url_next(const struct entity_text *t, size_t *pos, struct entity_span *out)
{
    while (t->len - *pos > 5) {
        size_t colon = entity_find_byte(t, *pos, ':');
        if (colon == ENTITY_NONE)
            break;
        size_t begin = tg_url_begin(t, colon);
        if (begin == ENTITY_NONE) {
            *pos = colon + 1;
            continue;
        }
        size_t host = colon + 3, end = host;
        while (end < t->len && end - host != 253 && is_tg_host_char(t->s[end]))
            end++;
        *pos = end;
        if (end == host)
            continue;
        *pos = url_path(t, end);
        *out = (struct entity_span){begin, *pos, *pos};
        return true;
    }
    *pos = t->len;
    return false;
}

/* ---- URLs: tdlib match_urls ----------------------------------------- */

/* tdlib's optional ":port" after the domain: digits whose value, leading
 * zeros aside, has 1..5 digits and is at most 65535. */
static size_t
url_port(const struct entity_text *t, size_t pos)
{
    if (pos >= t->len || t->s[pos] != ':')
        return pos;
    size_t end = pos + 1, first = pos + 1;
    while (end < t->len && entity_is_digit(t->s[end]))
        end++;
    while (first < end && t->s[first] == '0')
        first++;
    if (first == end || end - first > 5)
        return pos;
    unsigned long value = 0;
    for (size_t i = first; i < end; i++)
        value = value * 10 + (t->s[i] - '0');
    return value <= 65535 ? end : pos;
}

/* Makes sure the cached run covers dot: tdlib scans forward from each dot
 * over domain symbols and '@' to the end of the domain, then over port and
 * path. Every dot inside one run stops at the same place, so one scan per
 * run keeps match_urls linear where tdlib would rescan (e.g. "#a....."). */
static void
url_run(const struct entity_text *t, struct url_state *u, size_t dot)
{
    if (dot >= u->run_from && dot < u->run_end)
        return;
    size_t end = dot, at = ENTITY_NONE;
    while (end < t->len) {
        uint32_t c;
        size_t next = entity_cp_next(t, end, &c);
        if (c == '@')
            at = end;
        else if (!is_domain_symbol(c))
            break;
        end = next;
    }
    u->run_from = dot;
    u->run_end = end;
    u->run_at = at;
    u->run_tail = url_path(t, url_port(t, end));
}

/* tdlib: a "scheme://" before the URL at ub. Returns where the URL starts
 * (http, https, ftp and tonsite are kept, "xhttp://" starts at "http");
 * sets *bad for any other scheme. */
static size_t
url_protocol(const struct entity_text *t, size_t begin, size_t ub, bool *bad)
{
    size_t end = ub - 3;
    size_t start = scan_back(t, end, begin, is_protocol_symbol);
    const unsigned char *p = t->s + start;
    size_t n = end - start;
    if (ends_with_ci(p, n, "http") && !(n == 5 && ends_with_ci(p, n, "shttp")))
        return ub - 7;
    if (ends_with_ci(p, n, "https"))
        return ub - 8;
    if (ends_with_ci(p, n, "ftp") &&
        !(n == 4 && (ends_with_ci(p, n, "tftp") || ends_with_ci(p, n, "sftp"))))
        return ub - 6;
    if (ends_with_ci(p, n, "tonsite"))
        return ub - 10;
    *bad = true;
    return ub;
}

/* Whether the character before a URL spoils it: a word character, '/',
 * '#' or '@'. At the start of the text only the caller's prev is known:
 * when it could continue the domain, tdlib's URL would start earlier, and
 * we keep the part we see. */
static bool
url_glued(const struct entity_text *t, size_t begin, size_t ub)
{
    if (ub == begin && ub != 0)
        return false;
    uint32_t c = entity_cp_before(t, ub);
    if (ub == 0 && (c == 0 || is_domain_symbol(c)))
        return false;
    return entity_is_word_char(c) || c == '/' || c == '#' || c == '@';
}

/* tdlib: the start of the URL whose domain starts at db: back over
 * "user:info@" and a scheme. *bad is set when the URL must be dropped:
 * a second '@', empty user info, an unknown scheme or a glued prefix. */
static size_t
url_start(const struct entity_text *t, const struct url_state *u, size_t db,
          bool has_at, bool *bad)
{
    size_t ub = db;
    if (ub != u->begin && t->s[ub - 1] == '@') {
        size_t user = scan_back(t, ub - 1, u->begin, is_user_data_symbol);
        *bad = has_at || user == ub - 1;
        ub = user;
    }
    if (ub - u->begin >= 6 && memcmp(t->s + ub - 3, "://", 3) == 0)
        return url_protocol(t, u->begin, ub, bad);
    if (url_glued(t, u->begin, ub))
        *bad = true;
    return ub;
}

/* One step of tdlib's match_urls loop, from the next '.': returns -1 when
 * no dot is left, 1 with a URL in *out, 0 otherwise. */
static int
url_step(const struct entity_text *t, struct url_state *u, struct entity_span *out)
{
    size_t dot = entity_find_byte(t, u->begin, '.');
    if (dot == ENTITY_NONE || dot + 1 == t->len)
        return -1;
    if (t->s[dot + 1] == ' ') {
        u->begin = dot + 2;
        return 0;
    }
    url_run(t, u, dot);
    bool has_at = u->run_at != ENTITY_NONE && u->run_at >= dot, bad = false;
    size_t db = scan_back(t, dot, u->begin, is_domain_symbol);
    if (has_at)
        db = scan_back(t, db, u->begin, is_user_data_symbol);
    size_t ue = u->run_tail;
    while (ue > dot + 1 && t->s[ue - 1] == '.')
        ue--;
    size_t ub = url_start(t, u, db, has_at, &bad);
    if (bad) {
        while (t->s[ue - 1] != '.')
            ue--;
        u->begin = ue;
        return 0;
    }
    *out = (struct entity_span){ub, ue, ue};
    while (ue < t->len && t->s[ue] == '.')
        ue++;
    u->begin = ue;
    return out->end > dot + 1;
}

/* ---- URLs: tdlib find_urls, is_email_address, fix_url, is_common_tld ---- */

/* The top-level domains tdlib's is_common_tld accepts without a scheme: its
 * list (the IANA root zone as of tdlib's last update: 1448 names, 151 of
 * them internationalised), kept here as sorted space-separated words, one
 * string per first letter and one for the non-ASCII names, searched by
 * bisection instead of tdlib's hash set. */
static const char *const tld_lists[27] = {
    "aaa aarp abb abbott abbvie abc able abogado abudhabi ac academy "
    "accenture accountant accountants aco actor ad ads adult ae aeg aero "
    "aetna af afl africa ag agakhan agency ai aig airbus airforce airtel "
    "akdn al alibaba alipay allfinanz allstate ally alsace alstom am amazon "
    "americanexpress americanfamily amex amfam amica amsterdam analytics "
    "android anquan anz ao aol apartments app apple aq aquarelle ar arab "
    "aramco archi army arpa art arte as asda asia associates at athleta "
    "attorney au auction audi audible audio auspost author auto autos aw aws "
    "ax axa az azure",
    "ba baby baidu banamex band bank bar barcelona barclaycard barclays "
    "barefoot bargains baseball basketball bauhaus bayern bb bbc bbt bbva "
    "bcg bcn bd be beats beauty beer bentley berlin best bestbuy bet bf bg "
    "bh bharti bi bible bid bike bing bingo bio biz bj black blackfriday "
    "blockbuster blog bloomberg blue bm bms bmw bn bnpparibas bo boats "
    "boehringer bofa bom bond boo book booking bosch bostik boston bot "
    "boutique box br bradesco bridgestone broadway broker brother brussels "
    "bs bt build builders business buy buzz bv bw by bz bzh",
    "ca cab cafe cal call calvinklein cam camera camp canon capetown capital "
    "capitalone car caravan cards care career careers cars casa case cash "
    "casino cat catering catholic cba cbn cbre cc cd center ceo cern cf cfa "
    "cfd cg ch chanel channel charity chase chat cheap chintai christmas "
    "chrome church ci cipriani circle cisco citadel citi citic city ck cl "
    "claims cleaning click clinic clinique clothing cloud club clubmed cm cn "
    "co coach codes coffee college cologne com commbank community company "
    "compare computer comsec condos construction consulting contact "
    "contractors cooking cool coop corsica country coupon coupons courses "
    "cpa cr credit creditcard creditunion cricket crown crs cruise cruises "
    "cu cuisinella cv cw cx cy cymru cyou cz",
    "dabur dad dance data date dating datsun day dclk dds de deal dealer "
    "deals degree delivery dell deloitte delta democrat dental dentist desi "
    "design dev dhl diamonds diet digital direct directory discount discover "
    "dish diy dj dk dm dnp do docs doctor dog domains dot download drive dtv "
    "dubai dunlop dupont durban dvag dvr dz",
    "earth eat ec eco edeka edu education ee eg email emerck energy engineer "
    "engineering enterprises epson equipment er ericsson erni es esq estate "
    "et eu eurovision eus events exchange expert exposed express extraspace",
    "fage fail fairwinds faith family fan fans farm farmers fashion fast "
    "fedex feedback ferrari ferrero fi fidelity fido film final finance "
    "financial fire firestone firmdale fish fishing fit fitness fj fk flickr "
    "flights flir florist flowers fly fm fo foo food football ford forex "
    "forsale forum foundation fox fr free fresenius frl frogans frontier ftr "
    "fujitsu fun fund furniture futbol fyi",
    "ga gal gallery gallo gallup game games gap garden gay gb gbiz gd gdn ge "
    "gea gent genting george gf gg ggee gh gi gift gifts gives giving gl "
    "glass gle global globo gm gmail gmbh gmo gmx gn godaddy gold goldpoint "
    "golf goo goodyear goog google gop got gov gp gq gr grainger graphics "
    "gratis green gripe grocery group gs gt gu gucci guge guide guitars guru "
    "gw gy",
    "hair hamburg hangout haus hbo hdfc hdfcbank health healthcare help "
    "helsinki here hermes hiphop hisamitsu hitachi hiv hk hkt hm hn hockey "
    "holdings holiday homedepot homegoods homes homesense honda horse "
    "hospital host hosting hot hotels hotmail house how hr hsbc ht hu hughes "
    "hyatt hyundai",
    "ibm icbc ice icu id ie ieee ifm ikano il im imamat imdb immo immobilien "
    "in inc industries infiniti info ing ink institute insurance insure int "
    "international intuit investments io ipiranga iq ir irish is ismaili ist "
    "istanbul it itau itv",
    "jaguar java jcb je jeep jetzt jewelry jio jll jm jmp jnj jo jobs joburg "
    "jot joy jp jpmorgan jprs juegos juniper",
    "kaufen kddi ke kerryhotels kerrylogistics kerryproperties kfh kg kh ki "
    "kia kids kim kindle kitchen kiwi km kn koeln komatsu kosher kp kpmg kpn "
    "kr krd kred kuokgroup kw ky kyoto kz",
    "la lacaixa lamborghini lamer lancaster land landrover lanxess lasalle "
    "lat latino latrobe law lawyer lb lc lds lease leclerc lefrak legal lego "
    "lexus lgbt li lidl life lifeinsurance lifestyle lighting like lilly "
    "limited limo lincoln link lipsy live living lk llc llp loan loans "
    "locker locus lol london lotte lotto love lpl lplfinancial lr ls lt ltd "
    "ltda lu lundbeck luxe luxury lv ly",
    "ma madrid maif maison makeup man management mango map market marketing "
    "markets marriott marshalls mattel mba mc mckinsey md me med media meet "
    "melbourne meme memorial men menu merckmsd mg mh miami microsoft mil "
    "mini mint mit mitsubishi mk ml mlb mls mm mma mn mo mobi mobile moda "
    "moe moi mom monash money monster mormon mortgage moscow moto "
    "motorcycles mov movie mp mq mr ms msd mt mtn mtr mu museum music mv mw "
    "mx my mz",
    "na nab nagoya name navy nba nc ne nec net netbank netflix network "
    "neustar new news next nextdirect nexus nf nfl ng ngo nhk ni nico nike "
    "nikon ninja nissan nissay nl no nokia norton now nowruz nowtv np nr nra "
    "nrw ntt nu nyc nz",
    "obi observer office okinawa olayan olayangroup ollo om omega one ong "
    "onion onl online ooo open oracle orange org organic origins osaka "
    "otsuka ott ovh",
    "pa page panasonic paris pars partners parts party pay pccw pe pet pf "
    "pfizer pg ph pharmacy phd philips phone photo photography photos physio "
    "pics pictet pictures pid pin ping pink pioneer pizza pk pl place play "
    "playstation plumbing plus pm pn pnc pohl poker politie porn post pr "
    "pramerica praxi press prime pro prod productions prof progressive promo "
    "properties property protection pru prudential ps pt pub pw pwc py",
    "qa qpon quebec quest",
    "racing radio re read realestate realtor realty recipes red redstone "
    "redumbrella rehab reise reisen reit reliance ren rent rentals repair "
    "report republican rest restaurant review reviews rexroth rich richardli "
    "ricoh ril rio rip ro rocks rodeo rogers room rs rsvp ru rugby ruhr run "
    "rw rwe ryukyu",
    "sa saarland safe safety sakura sale salon samsclub samsung sandvik "
    "sandvikcoromant sanofi sap sarl sas save saxo sb sbi sbs sc scb "
    "schaeffler schmidt scholarships school schule schwarz science scot sd "
    "se search seat secure security seek select sener services seven sew sex "
    "sexy sfr sg sh shangrila sharp shell shia shiksha shoes shop shopping "
    "shouji show si silk sina singles site sj sk ski skin sky skype sl sling "
    "sm smart smile sn sncf so soccer social softbank software sohu solar "
    "solutions song sony soy spa space sport spot sr srl ss st stada staples "
    "star statebank statefarm stc stcgroup stockholm storage store stream "
    "studio study style su sucks supplies supply support surf surgery suzuki "
    "sv swatch swiss sx sy sydney systems sz",
    "tab taipei talk taobao target tatamotors tatar tattoo tax taxi tc tci "
    "td tdk team tech technology tel temasek tennis teva tf tg th thd "
    "theater theatre tiaa tickets tienda tips tires tirol tj tjmaxx tjx tk "
    "tkmaxx tl tm tmall tn to today tokyo ton tools top toray toshiba total "
    "tours town toyota toys tr trade trading training travel travelers "
    "travelersinsurance trust trv tt tube tui tunes tushu tv tvs tw tz",
    "ua ubank ubs ug uk unicom university uno uol ups us uy uz",
    "va vacations vana vanguard vc ve vegas ventures verisign versicherung "
    "vet vg vi viajes video vig viking villas vin vip virgin visa vision "
    "viva vivo vlaanderen vn vodka volvo vote voting voto voyage vu",
    "wales walmart walter wang wanggou watch watches weather weatherchannel "
    "webcam weber website wed wedding weibo weir wf whoswho wien wiki "
    "williamhill win windows wine winners wme wolterskluwer woodside work "
    "works world wow ws wtc wtf",
    "xbox xerox xihuan xin xxx xyz",
    "yachts yahoo yamaxun yandex ye yodobashi yoga yokohama you youtube yt "
    "yun",
    "za zappos zara zero zip zm zone zuerich zw",
    "vermögensberater vermögensberatung ελ ευ бг бел дети "
    "ею католик ком мкд мон москва онлайн "
    "орг рус рф сайт срб укр қаз հայ ישראל "
    "קום ابوظبي ارامكو الاردن البحرين "
    "الجزائر السعودية العليان المغرب "
    "امارات ایران بارت بازار بيتك بھارت "
    "تونس سودان سورية شبكة عراق عرب عمان "
    "فلسطين قطر كاثوليك كوم مصر مليسيا "
    "موريتانيا موقع همراه پاکستان ڀارت "
    "कॉम नेट भारत भारतम् भारोत "
    "संगठन বাংলা ভারত ভাৰত ਭਾਰਤ "
    "ભારત ଭାରତ இந்தியா இலங்கை "
    "சிங்கப்பூர் భారత్ ಭಾರತ "
    "ഭാരതം ලංකා คอม ไทย ລາວ გე "
    "みんな アマゾン クラウド グーグル コム ストア "
    "セール ファッション ポイント 世界 中信 中国 中國 "
    "中文网 亚马逊 企业 佛山 信息 健康 八卦 公司 公益 "
    "台湾 台灣 商城 商店 商标 嘉里 嘉里大酒店 在线 大拿 "
    "天主教 娱乐 家電 广东 微博 慈善 我爱你 手机 招聘 "
    "政务 政府 新加坡 新闻 时尚 書籍 机构 淡马锡 游戏 "
    "澳門 点看 移动 组织机构 网址 网店 网站 网络 联通 "
    "谷歌 购物 通販 集团 電訊盈科 飞利浦 食品 餐厅 "
    "香格里拉 香港 닷넷 닷컴 삼성 한국"
};

/* Whether the word w[0..n) is in the sorted space-separated list. */
static bool
tld_in(const char *list, const unsigned char *w, size_t n)
{
    size_t lo = 0, hi = strlen(list);
    while (lo < hi) {
        size_t start = lo + (hi - lo) / 2, end;
        while (start > lo && list[start - 1] != ' ')
            start--;
        for (end = start; end < hi && list[end] != ' '; end++)
            ;
        size_t m = end - start < n ? end - start : n;
        int cmp = memcmp(list + start, w, m);
        if (cmp == 0 && end - start == n)
            return true;
        if (cmp < 0 || (cmp == 0 && end - start < n))
            lo = end + 1;
        else
            hi = start;
    }
    return false;
}

static bool
tld_listed(const unsigned char *w, size_t n)
{
    if (n == 0)
        return false;
    if (w[0] >= 'a' && w[0] <= 'z')
        return tld_in(tld_lists[w[0] - 'a'], w, n);
    return w[0] >= 0x80 && tld_in(tld_lists[26], w, n);
}

/* Bytes of the first character of the UTF-8 string s. */
static size_t
first_char_len(const unsigned char *s)
{
    return s[0] < 0xC0 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
}

/* tdlib: is_common_tld. A listed name, in any case except with only its
 * first letter in upper case ("Com" is refused, "COM" and "cOm" are not). */
static bool
is_common_tld(const unsigned char *tld, size_t n)
{
    unsigned char low[128];
    if (n > 63)
        return false;   /* a domain label has at most 63 bytes (fix_url) */
    size_t m = utf8_lower((char *)low, (const char *)tld, n); /* <= 2n */
    bool changed = m != n || memcmp(low, tld, n) != 0;
    size_t a = first_char_len(low), b = first_char_len(tld);
    if (changed && m - a == n - b && memcmp(low + a, tld + b, n - b) == 0)
        return false;
    return tld_listed(low, m);
}

static bool
is_email_char(unsigned char c)
{
    return entity_is_username_char(c) || c == '-';
}

/* tdlib: is_email_address, the user part: 1..11 parts joined by '.' or
 * '+', each under 27 characters of [A-Za-z0-9_-], the last one 1..35. */
static bool
email_user_ok(const unsigned char *s, size_t n)
{
    size_t prev = 0, parts = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == '+') {
            if (i - prev >= 27)
                return false;
            parts++;
            prev = i + 1;
        } else if (!is_email_char(s[i])) {
            return false;
        }
    }
    return parts + 1 < 12 && n - prev >= 1 && n - prev < 36;
}

/* tdlib: is_email_address, the domain: 2..7 labels; the last of 2..8
 * ASCII letters, the others of 1..30 [A-Za-z0-9_-] starting and ending
 * with a letter or digit. */
static bool
email_domain_ok(const unsigned char *s, size_t n)
{
    size_t labels = 1, start = 0;
    for (size_t i = 0; i < n; i++)
        labels += s[i] == '.';
    if (labels <= 1 || labels > 7)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        size_t len = i - start;
        const unsigned char *l = s + start;
        bool last = i == n;
        bool ok = last ? len >= 2 && len <= 8 : len >= 1 && len < 31;
        for (size_t j = 0; ok && j < len; j++)
            ok = last ? entity_is_alnum(l[j]) && !entity_is_digit(l[j]) : is_email_char(l[j]);
        if (!ok || (!last && (!entity_is_alnum(l[0]) || !entity_is_alnum(l[len - 1]))))
            return false;
        start = i + 1;
    }
    return true;
}

/* tdlib: is_email_address; user and domain split at the first '@'. */
bool
entity_is_email(const unsigned char *s, size_t n)
{
    const unsigned char *at = memchr(s, '@', n);
    if (at == NULL || at + 1 == s + n)
        return false;
    size_t user = (size_t)(at - s);
    return email_user_ok(s, user) && email_domain_ok(at + 1, n - user - 1);
}

/* fix_url: the path kept from p[0..n): up to the first unbalanced ')',
 * ']' or '}', minus trailing .:;,('?!` characters. */
static size_t
path_keep(const unsigned char *p, size_t n)
{
    int round = 0, square = 0, curly = 0;
    size_t keep = 0;
    for (; keep < n; keep++) {
        round += (p[keep] == '(') - (p[keep] == ')');
        square += (p[keep] == '[') - (p[keep] == ']');
        curly += (p[keep] == '{') - (p[keep] == '}');
        if (round < 0 || square < 0 || curly < 0)
            break;
    }
    while (keep > 0 && is_bad_path_end(p[keep - 1]))
        keep--;
    return keep;
}

/* fix_url: whether the label d[start..end) (end exclusive) still allows
 * an IPv4 address: at most 3 digits, at most 255, no leading zero. */
static bool
ipv4_label(const unsigned char *d, size_t start, size_t end)
{
    size_t n = end - start;
    if (n > 3 || (d[start] == '0' && n >= 2))
        return false;
    return n < 3 || memcmp(d + start, "255", 3) <= 0;
}

/* fix_url: the top-level domain. "xn--" and 2+ alphanumerics, or else no
 * '_' or '-' and, without a scheme, a common TLD. Then the second-level
 * label d[..tld) must hold no '_'. */
static bool
tld_ok(const unsigned char *d, size_t tld, size_t n, bool has_protocol)
{
    const unsigned char *s = d + tld;
    size_t len = n - tld, chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += (s[i] & 0xC0) != 0x80;
    if (chars <= 1)
        return false;
    if (len >= 4 && memcmp(s, "xn--", 4) == 0) {
        for (size_t i = 4; i < len; i++)
            if (!entity_is_alnum(s[i]))
                return false;
        if (len <= 5)
            return false;
    } else if (memchr(s, '_', len) || memchr(s, '-', len) ||
               (!has_protocol && !is_common_tld(s, len))) {
        return false;
    }
    for (size_t i = tld - 1; i-- > 0 && d[i] != '.';)
        if (d[i] == '_')
            return false;
    return true;
}

/* fix_url: the domain check. Labels of 1..63 bytes not ending in '-'; an
 * IPv4 address passes, anything else needs 2+ labels, a non-digit and a
 * good TLD. */
static bool
domain_ok(const unsigned char *d, size_t n, bool has_protocol)
{
    size_t start = 0, labels = 0;
    bool ipv4 = true, non_digit = false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && d[i] != '.') {
            if (!entity_is_digit(d[i]))
                ipv4 = false, non_digit = true;
            continue;
        }
        if (i == start || i - start >= 64 || d[i - 1] == '-')
            return false;
        ipv4 = ipv4 && ipv4_label(d, start, i);
        labels++;
        if (i < n)
            start = i + 1;
    }
    if (labels == 1)
        return false;
    if (ipv4 && labels == 4)
        return true;
    return non_digit && tld_ok(d, start, n, has_protocol);
}

/* fix_url: the length of "http://", "https://", "ftp://" or "tonsite://"
 * (any case) at the start of s, or 0. */
static size_t
scheme_len(const unsigned char *s, size_t n)
{
    static const char *const schemes[] = {"http://", "https://", "ftp://",
                                          "tonsite://"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t m = strlen(schemes[i]);
        if (n >= m && strncasecmp((const char *)s, schemes[i], m) == 0)
            return m;
    }
    return 0;
}

/* tdlib: fix_url. Returns how many bytes of the URL s[0..n) to keep (the
 * path may lose a tail), 0 when it is no URL. The domain is what lies
 * between the scheme and the first '/', '?' or '#', after any '@' and
 * before a last ':'. */
static size_t
fix_url(const unsigned char *s, size_t n)
{
    size_t skip = scheme_len(s, n), de = skip;
    while (de < n && s[de] != '/' && s[de] != '?' && s[de] != '#')
        de++;
    const unsigned char *d = s + skip;
    size_t dn = de - skip;
    const unsigned char *at = memchr(d, '@', dn);
    if (at != NULL) {
        dn -= (size_t)(at + 1 - d);
        d = at + 1;
    }
    for (size_t i = dn; i-- > 0;)
        if (d[i] == ':') {
            dn = i;
            break;
        }
    if (dn == 12 && strncasecmp((const char *)d, "teiegram.org", 12) == 0)
        return 0;
    if (!domain_ok(d, dn, skip > 0))
        return 0;
    return de + path_keep(s + de, n - de);
}

/* tdlib: find_urls. E-mail addresses stay whole (or lose "mailto:"), other
 * URLs go through fix_url. Returns false when *sp is no URL. */
static bool
url_accept(const struct entity_text *t, struct entity_span *sp)
{
    const unsigned char *s = t->s + sp->start;
    size_t n = sp->end - sp->start;
    if (entity_is_email(s, n))
        return true;
    if (n > 7 && memcmp(s, "mailto:", 7) == 0 && entity_is_email(s + 7, n - 7)) {
        sp->start += 7;
        return true;
    }
    size_t keep = fix_url(s, n);
    sp->end = sp->name_end = sp->start + keep;
    return keep > 0;
}

/* The next URL or e-mail address. */
bool
entity_url_next(const struct entity_text *t, struct url_state *u, struct entity_span *out)
{
    int step;
    while ((step = url_step(t, u, out)) >= 0)
        if (step > 0 && url_accept(t, out))
            return true;
    u->begin = t->len;
    return false;
}

