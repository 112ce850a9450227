/* views.c: the values each template receives, prepared from the model:
 * formatted dates, absolute and root-relative URLs, pagination links.
 * Templates hold no logic, so every choice is made here. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"

#include <ctype.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define CHANNEL_TOP_TAGS 12 /* tags a channel page shows */
#define TOC_MIN_HEADINGS 3  /* a post shows its table of contents from */

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

const char *
view_iso_time(const struct timestamp *t, struct arena *a)
{
    time_t local = (time_t)(t->secs + t->offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    int off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999 || off / 60 > 99)
        return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                            year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                            tm.tm_min, tm.tm_sec,
                            t->offset_min < 0 ? '-' : '+', off / 60,
                            off % 60);
    /* The same by hand, the usual case: a build of 2,000 posts makes
     * 25,000 of these (pages and feed entries). */
    char *out = arena_alloc(a, sizeof "2024-03-01T12:00:00+00:00"), *o = out;
    const int parts[] = { year / 100, year % 100, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, off / 60,
                          off % 60 };
    const char after[] = { 0, '-', '-', 'T', ':', ':',
                           t->offset_min < 0 ? '-' : '+', ':', 0 };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        *o++ = (char)('0' + parts[i] / 10);
        *o++ = (char)('0' + parts[i] % 10);
        if (after[i])
            *o++ = after[i];
    }
    return out;
}

const struct timestamp *
view_modified(const struct entry *e)
{
    const struct post *p = e->post;
    return p->updated.set && p->updated.secs > p->date.secs ? &p->updated
                                                            : &p->date;
}

/* {iso, text} of a timestamp in its own UTC offset; null when unset. */
static struct value *
date_value(const struct timestamp *t, struct arena *a)
{
    if (!t->set)
        return value_null(a);
    time_t local = (time_t)(t->secs + t->offset_min * 60);
    struct tm tm;
    gmtime_r(&local, &tm);
    struct value *v = value_map(a);
    value_set_str(a, v, "iso", view_iso_time(t, a));
    value_set_str(a, v, "text", arena_printf(a, "%d %s %d", tm.tm_mday,
                  month_names[tm.tm_mon], tm.tm_year + 1900));
    return v;
}

static struct value *
param_value(const struct param *p, struct arena *a)
{
    if (p->kind == PARAM_SCALAR)
        return p->text ? value_str(a, p->text) : value_null(a);
    struct value *v = p->kind == PARAM_LIST ? value_list(a) : value_map(a);
    for (size_t i = 0; i < p->len; i++) {
        if (p->kind == PARAM_LIST)
            value_push(a, v, param_value(p->items[i], a));
        else
            value_set(a, v, p->keys[i], param_value(p->items[i], a));
    }
    return v;
}

static struct value *
channel_link(const struct site *s, const struct site_channel *c,
             struct arena *a)
{
    struct value *v = value_map(a);
    value_set_str(a, v, "name", c->channel->name);
    value_set_str(a, v, "title", c->channel->title);
    value_set_str(a, v, "url", url_href(s, c->url, a));
    return v;
}

static struct value *
channel_links(const struct site *s, struct site_channel *const *list,
              size_t n, struct arena *a)
{
    struct value *v = value_list(a);
    for (size_t i = 0; i < n; i++)
        value_push(a, v, channel_link(s, list[i], a));
    return v;
}

/* {name, slug, url, count}: a link to a tag's list, site-wide or in one
 * channel. level (1-5) says how popular it is against max, when given. */
static struct value *
tag_link(const struct site *s, const struct tag_list *l, const size_t *max,
         struct arena *a)
{
    struct value *v = value_map(a);
    value_set_str(a, v, "name", l->tag->name);
    value_set_str(a, v, "slug", l->tag->slug);
    value_set_str(a, v, "url", url_href(s, l->url, a));
    value_set_int(a, v, "count", (long long)l->nentries);
    if (max) {
        /* Five steps by the share of the most used tag's count. */
        size_t level = 1 + (4 * l->nentries + *max / 2) / (*max ? *max : 1);
        value_set_int(a, v, "level", (long long)(level > 5 ? 5 : level));
    }
    return v;
}

/* Likely regions of bare languages (CLDR's likely subtags) for og:locale,
 * which wants language_TERRITORY: the most used languages only. */
static const char likely_locales[] =
    "am_ET ar_EG bg_BG bn_BD ca_ES cs_CZ da_DK de_DE el_GR en_US es_ES "
    "et_EE fa_IR fi_FI fr_FR he_IL hi_IN hr_HR hu_HU id_ID it_IT ja_JP "
    "ko_KR lt_LT lv_LV nb_NO nl_NL om_ET pl_PL pt_BR ro_RO ru_RU sk_SK "
    "sl_SI sr_RS sv_SE sw_TZ th_TH tr_TR uk_UA vi_VN zh_CN";

/* og:locale of a language tag: "pt-BR" gives "pt_BR", "zh-Hant-TW"
 * "zh_TW", a bare "en" its likely region ("en_US"), or itself ("eo")
 * when it is not in likely_locales. */
static const char *
og_locale(const char *lang, struct arena *a)
{
    size_t n = strcspn(lang, "-_");
    char ll[9] = "";
    for (size_t i = 0; i < n && i < sizeof ll - 1; i++)
        ll[i] = (char)tolower((unsigned char)lang[i]);
    /* A region is a later subtag of two letters or three digits. */
    for (const char *sub = lang + n; *sub;) {
        sub++;
        size_t len = strcspn(sub, "-_");
        bool alpha = len == 2 && isalpha((unsigned char)sub[0]) &&
                     isalpha((unsigned char)sub[1]);
        if (alpha || (len == 3 && strspn(sub, "0123456789") == 3))
            return arena_printf(a, "%s_%c%c%.*s", ll,
                                toupper((unsigned char)sub[0]),
                                toupper((unsigned char)sub[1]),
                                alpha ? 0 : 1, sub + 2);
        sub += len;
    }
    if (strlen(ll) == 2)
        for (const char *l = likely_locales; *l; l += l[5] ? 6 : 5)
            if (!strncmp(l, ll, 2))
                return arena_strndup(a, l, 5);
    return arena_strdup(a, ll);
}

const char *
view_feed_title(const struct site *s, const struct site_channel *c,
                const struct site_tag *t, struct arena *a)
{
    if (t)
        return arena_printf(a, "#%s · %s", t->name, s->config->title);
    if (c)
        return arena_printf(a, "%s · %s", c->channel->title,
                            s->config->title);
    return s->config->title;
}

const char *
view_param(const struct param *map, const char *key)
{
    for (size_t i = 0; map && map->kind == PARAM_MAP && i < map->len; i++) {
        const struct param *v = map->items[i];
        if (!strcmp(map->keys[i], key))
            return v->kind == PARAM_SCALAR && v->text && *v->text ? v->text
                                                                  : NULL;
    }
    return NULL;
}

const char *
view_image(const struct site *s, const struct entry *e, struct arena *a)
{
    const char *image = view_param(e->post->params, "image");
    if (!image)
        return NULL;
    /* A file named from the post's own file, as its links are */
    const char *repo = parse_relative_path(a, e->post->path, image,
                                           strlen(image));
    const struct site_file *f = repo ? model_file(s, repo) : NULL;
    if (f)
        return url_absolute(s, f->url, a);
    struct buf escaped = BUF_INIT, b = BUF_INIT;
    url_put_escaped(&escaped, image);
    url_resolve(&b, url_absolute(s, e->url, a), escaped.data, escaped.len);
    const char *url = arena_strndup(a, b.data, b.len);
    buf_dispose(&escaped);
    buf_dispose(&b);
    return url;
}

/* The links to the feeds of a list (at url, below the base path), for a
 * page's <link rel="alternate">: none when the site makes no feeds. */
static struct value *
feed_links(const struct site *s, const char *url, const char *title,
           struct arena *a)
{
    struct value *list = value_list(a);
    if (!s->host)
        return list;
    static const struct {
        const char *file, *type, *kind;
    } formats[] = {
        { MODEL_FEED_ATOM, "application/atom+xml", "Atom" },
        { MODEL_FEED_JSON, "application/feed+json", "JSON Feed" },
    };
    for (size_t i = 0; i < 2; i++) {
        struct value *v = value_map(a);
        value_set_str(a, v, "type", formats[i].type);
        value_set_str(a, v, "title", arena_printf(a, "%s (%s)", title,
                                                  formats[i].kind));
        value_set_str(a, v, "url", url_href(s, arena_printf(a, "%s%s", url,
                                            formats[i].file), a));
        value_push(a, list, v);
    }
    return list;
}

/* Links the page to the feeds of links (see feed_links). */
static void
add_feeds(struct value *root, const struct value *links, struct arena *a)
{
    struct value *list = value_get(value_get(root, "page", 4), "feeds", 5);
    for (size_t i = 0; i < links->len; i++)
        value_push(a, list, links->items[i]);
}

/* Where channel c (NULL: none) has its menu and its feed links in struct
 * shared. */
static size_t
shared_at(const struct site *s, const struct site_channel *c)
{
    return c ? (size_t)(c - s->channels) + 1 : 0;
}

void
view_share(const struct site *s, struct shared *sh, struct arena *a)
{
    const struct site_config *cfg = s->config;
    struct value *site = value_map(a);
    value_set_str(a, site, "title", cfg->title);
    value_set_str(a, site, "description", cfg->description);
    value_set_str(a, site, "author", cfg->author);
    value_set_str(a, site, "base_url", cfg->base_url);
    value_set_str(a, site, "root", url_href(s, "", a));
    value_set_str(a, site, "tags_url", url_href(s, MODEL_TAGS_URL, a));
    if (s->host)
        value_set_str(a, site, "feed_url", url_href(s, MODEL_FEED_ATOM, a));
    value_set_str(a, site, "language", cfg->language);
    value_set(a, site, "params", param_value(cfg->params, a));
    sh->site = site;
    struct value **menus = arena_alloc(a, (s->nchannels + 1) *
                                              sizeof *menus);
    struct value **feeds = arena_alloc(a, (s->nchannels + 1) *
                                              sizeof *feeds);
    for (size_t m = 0; m <= s->nchannels; m++) {
        const struct site_channel *c = m ? &s->channels[m - 1] : NULL;
        feeds[m] = feed_links(s, c ? c->url : "",
                              view_feed_title(s, c, NULL, a), a);
        menus[m] = value_list(a);
        for (size_t i = 0; i < s->nchannels; i++) {
            struct value *c = channel_link(s, &s->channels[i], a);
            value_set_bool(a, c, "current", m == i + 1);
            value_push(a, menus[m], c);
        }
        menus[m]->stable = true; /* one menu, every page of its channel */
    }
    sh->menus = menus;
    sh->feeds = feeds;
}

/* What every page has: the site, the channel menu, the page's own facts
 * (with what Open Graph and Twitter cards say of a page that is not a
 * post). */
static struct value *
view_common(const struct site *s, const char *title, const char *description,
            const char *rel, const char *lang, const struct site_channel *cur,
            const struct shared *sh, struct arena *a)
{
    const struct site_config *cfg = s->config;
    struct value *root = value_map(a);
    value_set(a, root, "site", sh->site);

    struct value *page = value_map(a);
    value_set_str(a, page, "title", title);
    value_set_str(a, page, "description",
                  description && *description ? description
                                              : cfg->description);
    value_set_str(a, page, "url", url_href(s, rel, a));
    value_set_str(a, page, "canonical", url_absolute(s, rel, a));
    value_set_str(a, page, "lang", lang);
    value_set_str(a, page, "locale", og_locale(lang, a));
    value_set_str(a, page, "og_type", "website");
    value_set_str(a, page, "twitter_card", "summary");
    value_set(a, page, "feeds", value_list(a));
    value_set(a, root, "page", page);

    value_set(a, root, "channels", sh->menus[shared_at(s, cur)]);
    return root;
}

/* HTML of a text (a post's body or summary, a channel's about text) for a
 * template, its links to posts' files written as their posts' URLs. */
static struct value *
html_value(const struct site *s, const char *html, const struct anchors *an,
           struct entry *const *to, const struct text_place *at,
           struct arena *a)
{
    const char *filled = url_fill_links(s, html, an, to, at, a);
    return value_str_ref(a, filled, strlen(filled));
}

/* Puts v, a value made for every page (see struct shared), in slot, and
 * marks it stable; another worker's may have come first, and stays. */
static struct value *
share_value(_Atomic(struct value *) *slot, struct value *v)
{
    struct value *first = NULL;
    v->stable = true;
    if (!atomic_compare_exchange_strong_explicit(slot, &first, v,
                                                 memory_order_acq_rel,
                                                 memory_order_acquire))
        return first;
    return v;
}

/* The link to tag t's list as a post shows it. */
static struct value *
post_tag_link(const struct site *s, const struct site_tag *t,
              struct shared *sh)
{
    _Atomic(struct value *) *slot = &sh->tags[t->index];
    struct value *v = atomic_load_explicit(slot, memory_order_acquire);
    return v ? v : share_value(slot, tag_link(s, &t->all, NULL, sh->keep));
}

/* A post as lists show it. */
static struct value *
entry_summary(const struct site *s, const struct entry *e, struct shared *sh,
              struct arena *a)
{
    const struct post *p = e->post;
    struct value *v = value_map(a);
    value_set_str(a, v, "title", p->title);
    value_set_bool(a, v, "has_title", p->title_given);
    value_set_str(a, v, "url", url_href(s, e->url, a));
    value_set_str(a, v, "lang", e->lang);
    value_set(a, v, "date", date_value(&p->date, a));
    struct text_place in_list = { p->path, e->url, true, true,
                                  p->summary_anywhere };
    value_set(a, v, "summary", html_value(s, p->summary_html, &p->anchors,
                                          e->links, &in_list, a));
    value_set(a, v, "channels", channel_links(s, e->channels, e->nchannels, a));
    value_set_bool(a, v, "draft", p->draft);
    struct value *tags = value_list(a);
    for (size_t i = 0; i < e->ntags; i++)
        value_push(a, tags, post_tag_link(s, e->tags[i], sh));
    value_set(a, v, "tags", tags);
    value_set_bool(a, v, "has_tags", e->ntags > 0);
    return v;
}

const char *
view_pager_url(struct arena *a, const char *first, size_t n)
{
    return n <= 1 ? first : arena_printf(a, "%spage/%zu/", first, n);
}

/* e's summary, shared by every list page (see struct shared). */
static struct value *
listed_summary(const struct site *s, const struct entry *e, struct shared *sh)
{
    _Atomic(struct value *) *slot = &sh->summaries[e->index];
    struct value *v = atomic_load_explicit(slot, memory_order_acquire);
    return v ? v : share_value(slot, entry_summary(s, e, sh, sh->keep));
}

/* The page's slice of entries and its links to neighbours. */
static void
set_listing(const struct site *s, struct value *root, struct entry **entries,
            size_t n, const struct pager *pg, struct shared *sh,
            struct arena *a)
{
    size_t per = (size_t)s->config->per_page, from = (pg->page - 1) * per;
    struct value *list = value_list(a);
    for (size_t i = from; i < n && i < from + per; i++)
        value_push(a, list, listed_summary(s, entries[i], sh));
    value_set(a, root, "posts", list);
    struct value *p = value_map(a);
    value_set_int(a, p, "current", (long long)pg->page);
    value_set_int(a, p, "total", (long long)pg->total);
    value_set_bool(a, p, "several", pg->total > 1);
    const char *first = pg->first_url;
    if (pg->page > 1)
        value_set_str(a, p, "prev_url",
                      url_href(s, view_pager_url(a, first, pg->page - 1), a));
    if (pg->page < pg->total)
        value_set_str(a, p, "next_url",
                      url_href(s, view_pager_url(a, first, pg->page + 1), a));
    value_set(a, root, "pagination", p);
}

/* " (page N)" after a title, so that paginated pages differ. */
static const char *
paged_title(const char *title, const struct pager *pg, struct arena *a)
{
    return pg->page > 1 ? arena_printf(a, "%s (page %zu)", title, pg->page)
                        : title;
}

struct value *
view_home(const struct site *s, const struct pager *pg, struct shared *sh,
          struct arena *a)
{
    const char *rel = view_pager_url(a, "", pg->page);
    struct value *root = view_common(s, paged_title(s->config->title, pg, a),
                                     s->config->description, rel,
                                     s->config->language, NULL, sh, a);
    value_set_bool(a, root, "is_home", true);
    add_feeds(root, sh->feeds[0], a);
    set_listing(s, root, s->entries, s->nentries, pg, sh, a);
    return root;
}

struct value *
view_channel(const struct site *s, const struct site_channel *c,
             const struct pager *pg, struct shared *sh, struct arena *a)
{
    const struct channel *ch = c->channel;
    struct value *root = view_common(
        s, paged_title(ch->title, pg, a), ch->description,
        view_pager_url(a, c->url, pg->page), c->lang, c, sh, a);
    struct value *v = channel_link(s, c, a);
    value_set_str(a, v, "description", ch->description);
    /* a later page is away from the channel's own URL */
    struct text_place about = { ch->path, c->url, false, pg->page > 1,
                                false };
    value_set(a, v, "about", html_value(s, ch->about_html, &ch->anchors,
                                        c->links, &about, a));
    value_set_int(a, v, "count", (long long)c->nentries);
    value_set(a, v, "params", param_value(ch->params, a));
    struct value *tags = value_list(a);
    for (size_t i = 0; i < c->ntags && i < CHANNEL_TOP_TAGS; i++)
        value_push(a, tags, tag_link(s, &c->tags[i], NULL, a));
    value_set(a, v, "tags", tags);
    value_set_bool(a, v, "has_tags", c->ntags > 0);
    value_set(a, root, "channel", v);
    value_set_bool(a, root, "first_page", pg->page == 1);
    add_feeds(root, sh->feeds[shared_at(s, c)], a);
    add_feeds(root, sh->feeds[0], a);
    set_listing(s, root, c->entries, c->nentries, pg, sh, a);
    return root;
}

/* What Open Graph and Twitter cards say of a post: an article, when it
 * was published and changed, its tags, its image. */
static void
set_article(const struct site *s, struct value *page, const struct entry *e,
            struct arena *a)
{
    const struct post *p = e->post;
    value_set_str(a, page, "og_type", "article");
    struct value *v = value_map(a);
    if (p->date.set) {
        value_set_str(a, v, "published", view_iso_time(&p->date, a));
        value_set_str(a, v, "modified", view_iso_time(view_modified(e), a));
    }
    struct value *tags = value_list(a);
    for (size_t i = 0; i < e->ntags; i++) {
        struct value *t = value_map(a);
        value_set_str(a, t, "name", e->tags[i]->name);
        value_push(a, tags, t);
    }
    value_set(a, v, "tags", tags);
    value_set(a, page, "article", v);
    const char *image = view_image(s, e, a);
    if (image) {
        value_set_str(a, page, "image", image);
        value_set_str(a, page, "twitter_card", "summary_large_image");
    }
}

/* The table of contents of a post: [{level, id, text, url}], url being
 * "#id", its heading on the same page. */
static struct value *
toc_value(const struct post *p, struct arena *a)
{
    struct value *list = value_list(a);
    for (size_t i = 0; i < p->ntoc; i++) {
        const struct toc_entry *t = &p->toc[i];
        struct value *v = value_map(a);
        value_set_int(a, v, "level", t->level);
        value_set_str(a, v, "id", t->id);
        value_set_str(a, v, "text", t->text);
        value_set_str(a, v, "url", arena_printf(a, "#%s", t->id));
        value_push(a, list, v);
    }
    return list;
}

struct value *
view_post(const struct site *s, const struct entry *e, struct shared *sh,
          struct arena *a)
{
    const struct post *p = e->post;
    const struct site_channel *home = e->nchannels ? e->channels[0] : NULL;
    struct value *root = view_common(s, p->title, p->description, e->url,
                                     e->lang, home, sh, a);
    struct value *v = entry_summary(s, e, sh, a);
    /* An update is shown only when it is later than the publication. */
    bool later = p->updated.set && p->updated.secs > p->date.secs;
    value_set(a, v, "updated", later ? date_value(&p->updated, a)
                                     : value_null(a));
    struct text_place page = { p->path, e->url, false, false,
                               p->body_anywhere };
    value_set(a, v, "content", html_value(s, p->body_html, &p->anchors,
                                          e->links, &page, a));
    value_set(a, v, "params", param_value(p->params, a));
    value_set_str(a, v, "author", p->author);
    value_set(a, v, "toc", toc_value(p, a));
    value_set_bool(a, v, "has_toc", p->ntoc >= TOC_MIN_HEADINGS);
    value_set(a, root, "post", v);
    set_article(s, value_get(root, "page", 4), e, a);
    if (home)
        add_feeds(root, sh->feeds[shared_at(s, home)], a);
    add_feeds(root, sh->feeds[0], a);
    return root;
}

struct value *
view_not_found(const struct site *s, struct shared *sh, struct arena *a)
{
    struct value *root = view_common(s, "Page not found", NULL, "404.html",
                                     s->config->language, NULL, sh, a);
    add_feeds(root, sh->feeds[0], a);
    return root;
}

struct value *
view_tags(const struct site *s, struct shared *sh, struct arena *a)
{
    struct value *root = view_common(s, "Tags", NULL, MODEL_TAGS_URL,
                                     s->config->language, NULL, sh, a);
    size_t max = s->ntags ? s->tags[0]->all.nentries : 0;
    struct value *tags = value_list(a);
    for (size_t i = 0; i < s->ntags; i++)
        value_push(a, tags, tag_link(s, &s->tags[i]->all, &max, a));
    value_set(a, root, "tags", tags);
    add_feeds(root, sh->feeds[0], a);
    return root;
}

/* The links to t's share in each channel, made once for all its pages:
 * for each channel, the link as a page of another channel shows it, then
 * as a page of that channel does (current). */
static struct value *const *
share_links(const struct site *s, const struct site_tag *t, struct shared *sh)
{
    _Atomic(struct value *) *slot = &sh->shares[t->index];
    struct value *v = atomic_load_explicit(slot, memory_order_acquire);
    if (v)
        return v->items;
    v = value_list(sh->keep);
    for (size_t i = 0; i < 2 * t->nchannels; i++) {
        const struct tag_list *share = t->channels[i / 2];
        struct value *link = tag_link(s, share, NULL, sh->keep);
        value_set_str(sh->keep, link, "title", share->channel->channel->title);
        value_set_bool(sh->keep, link, "current", i % 2);
        link->stable = true;
        value_push(sh->keep, v, link);
    }
    return share_value(slot, v)->items;
}

struct value *
view_tag(const struct site *s, const struct site_channel *c,
         const struct tag_list *l, const struct pager *pg,
         struct shared *sh, struct arena *a)
{
    const struct site_tag *t = l->tag;
    const char *title = c ? arena_printf(a, "#%s in %s", t->name,
                                         c->channel->title)
                          : arena_printf(a, "#%s", t->name);
    struct value *root = view_common(s, paged_title(title, pg, a), NULL,
                                     view_pager_url(a, l->url, pg->page),
                                     c ? c->lang : s->config->language, c, sh,
                                     a);
    struct value *v = tag_link(s, l, NULL, a);
    value_set_str(a, v, "all_url", url_href(s, t->all.url, a));
    value_set_int(a, v, "all_count", (long long)t->all.nentries);
    if (c)
        value_set(a, v, "channel", channel_link(s, c, a));
    /* The channels it appears in, each with its share. */
    struct value *const *shares = share_links(s, t, sh);
    struct value *in = value_list(a);
    for (size_t i = 0; i < t->nchannels; i++)
        value_push(a, in, shares[2 * i + (t->channels[i]->channel == c)]);
    value_set(a, v, "channels", in);
    value_set(a, root, "tag", v);
    add_feeds(root, feed_links(s, t->all.url, view_feed_title(s, NULL, t, a),
                               a), a);
    if (c)
        add_feeds(root, sh->feeds[shared_at(s, c)], a);
    set_listing(s, root, l->entries, l->nentries, pg, sh, a);
    return root;
}
