/* views.c: the values each template receives, prepared from the model:
 * formatted dates, absolute and root-relative URLs, pagination links.
 * Templates hold no logic, so every choice is made here. Part of render/. */
#include "render_private.h"
#include "../base/arena.h"

#include <string.h>
#include <time.h>

#define CHANNEL_TOP_TAGS 12 /* tags a channel page shows */

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* A URL path below the base path, percent-encoded for an href: bytes other
 * than unreserved ASCII and '/' are encoded (Unicode slugs included). */
static const char *
href(const struct site *s, const char *rel, struct arena *a)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, s->config->base_path);
    buf_put_url_path(&b, rel);
    const char *url = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return url;
}

/* The absolute URL of a page, for canonical links: base_url + path. */
static const char *
absolute(const struct site *s, const char *rel, struct arena *a)
{
    const char *path = href(s, rel, a) + strlen(s->config->base_path);
    return arena_printf(a, "%s%s", s->config->base_url, path);
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
    int off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
    struct value *v = value_map(a);
    value_set_str(a, v, "iso", arena_printf(a,
                  "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec, t->offset_min < 0 ? '-' : '+',
                  off / 60, off % 60));
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
    value_set_str(a, v, "url", href(s, c->url, a));
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
    value_set_str(a, v, "url", href(s, l->url, a));
    value_set_int(a, v, "count", (long long)l->nentries);
    if (max) {
        /* Five steps by the share of the most used tag's count. */
        size_t level = 1 + (4 * l->nentries + *max / 2) / (*max ? *max : 1);
        value_set_int(a, v, "level", (long long)(level > 5 ? 5 : level));
    }
    return v;
}

/* What every page has: the site, the channel menu, the page's own facts. */
static struct value *
view_common(const struct site *s, const char *title, const char *description,
            const char *rel, const char *lang, const struct site_channel *cur,
            struct arena *a)
{
    const struct site_config *cfg = s->config;
    struct value *root = value_map(a), *site = value_map(a);
    value_set_str(a, site, "title", cfg->title);
    value_set_str(a, site, "description", cfg->description);
    value_set_str(a, site, "author", cfg->author);
    value_set_str(a, site, "base_url", cfg->base_url);
    value_set_str(a, site, "root", href(s, "", a));
    value_set_str(a, site, "language", cfg->language);
    value_set(a, site, "params", param_value(cfg->params, a));
    value_set(a, root, "site", site);

    struct value *page = value_map(a);
    value_set_str(a, page, "title", title);
    value_set_str(a, page, "description",
                  description && *description ? description
                                              : cfg->description);
    value_set_str(a, page, "url", href(s, rel, a));
    value_set_str(a, page, "canonical", absolute(s, rel, a));
    value_set_str(a, page, "lang", lang);
    value_set(a, root, "page", page);

    struct value *menu = value_list(a);
    for (size_t i = 0; i < s->nchannels; i++) {
        struct value *c = channel_link(s, &s->channels[i], a);
        value_set_bool(a, c, "current", &s->channels[i] == cur);
        value_push(a, menu, c);
    }
    value_set(a, root, "channels", menu);
    return root;
}

/* A post as lists show it. */
static struct value *
entry_summary(const struct site *s, const struct entry *e, struct arena *a)
{
    const struct post *p = e->post;
    struct value *v = value_map(a);
    value_set_str(a, v, "title", p->title);
    value_set_str(a, v, "url", href(s, e->url, a));
    value_set_str(a, v, "lang", e->lang);
    value_set(a, v, "date", date_value(&p->date, a));
    value_set(a, v, "summary", value_str_ref(a, p->summary_html,
                                             strlen(p->summary_html)));
    value_set(a, v, "channels", channel_links(s, e->channels, e->nchannels, a));
    value_set_bool(a, v, "draft", p->draft);
    struct value *tags = value_list(a);
    for (size_t i = 0; i < e->ntags; i++)
        value_push(a, tags, tag_link(s, &e->tags[i]->all, NULL, a));
    value_set(a, v, "tags", tags);
    value_set_bool(a, v, "has_tags", e->ntags > 0);
    return v;
}

const char *
view_pager_url(struct arena *a, const char *first, size_t n)
{
    return n <= 1 ? first : arena_printf(a, "%spage/%zu/", first, n);
}

/* The page's slice of entries and its links to neighbours. */
static void
set_listing(const struct site *s, struct value *root, struct entry **entries,
            size_t n, const struct pager *pg, struct arena *a)
{
    size_t per = (size_t)s->config->per_page, from = (pg->page - 1) * per;
    struct value *list = value_list(a);
    for (size_t i = from; i < n && i < from + per; i++)
        value_push(a, list, entry_summary(s, entries[i], a));
    value_set(a, root, "posts", list);
    struct value *p = value_map(a);
    value_set_int(a, p, "current", (long long)pg->page);
    value_set_int(a, p, "total", (long long)pg->total);
    value_set_bool(a, p, "several", pg->total > 1);
    if (pg->page > 1)
        value_set_str(a, p, "prev_url",
                      href(s, view_pager_url(a, pg->first_url, pg->page - 1), a));
    if (pg->page < pg->total)
        value_set_str(a, p, "next_url",
                      href(s, view_pager_url(a, pg->first_url, pg->page + 1), a));
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
view_home(const struct site *s, const struct pager *pg, struct arena *a)
{
    const char *rel = view_pager_url(a, "", pg->page);
    struct value *root = view_common(s, paged_title(s->config->title, pg, a),
                                     s->config->description, rel,
                                     s->config->language, NULL, a);
    value_set_bool(a, root, "is_home", true);
    set_listing(s, root, s->entries, s->nentries, pg, a);
    return root;
}

struct value *
view_channel(const struct site *s, const struct site_channel *c,
             const struct pager *pg, struct arena *a)
{
    const struct channel *ch = c->channel;
    struct value *root = view_common(
        s, paged_title(ch->title, pg, a), ch->description,
        view_pager_url(a, c->url, pg->page), c->lang, c, a);
    struct value *v = channel_link(s, c, a);
    value_set_str(a, v, "description", ch->description);
    value_set(a, v, "about", value_str_ref(a, ch->about_html,
                                           strlen(ch->about_html)));
    value_set_int(a, v, "count", (long long)c->nentries);
    value_set(a, v, "params", param_value(ch->params, a));
    struct value *tags = value_list(a);
    for (size_t i = 0; i < c->ntags && i < CHANNEL_TOP_TAGS; i++)
        value_push(a, tags, tag_link(s, &c->tags[i], NULL, a));
    value_set(a, v, "tags", tags);
    value_set_bool(a, v, "has_tags", c->ntags > 0);
    value_set(a, root, "channel", v);
    value_set_bool(a, root, "first_page", pg->page == 1);
    set_listing(s, root, c->entries, c->nentries, pg, a);
    return root;
}

struct value *
view_post(const struct site *s, const struct entry *e, struct arena *a)
{
    const struct post *p = e->post;
    const struct site_channel *home = e->nchannels ? e->channels[0] : NULL;
    struct value *root = view_common(s, p->title, p->description, e->url,
                                     e->lang, home, a);
    struct value *v = entry_summary(s, e, a);
    /* An update is shown only when it is later than the publication. */
    bool later = p->updated.set && p->updated.secs > p->date.secs;
    value_set(a, v, "updated", later ? date_value(&p->updated, a)
                                     : value_null(a));
    value_set(a, v, "content", value_str_ref(a, p->body_html,
                                             strlen(p->body_html)));
    value_set(a, v, "params", param_value(p->params, a));
    value_set(a, root, "post", v);
    return root;
}

struct value *
view_not_found(const struct site *s, struct arena *a)
{
    return view_common(s, "Page not found", NULL, "404.html",
                       s->config->language, NULL, a);
}

struct value *
view_tags(const struct site *s, struct arena *a)
{
    struct value *root = view_common(s, "Tags", NULL, MODEL_TAGS_URL,
                                     s->config->language, NULL, a);
    size_t max = s->ntags ? s->tags[0]->all.nentries : 0;
    struct value *tags = value_list(a);
    for (size_t i = 0; i < s->ntags; i++)
        value_push(a, tags, tag_link(s, &s->tags[i]->all, &max, a));
    value_set(a, root, "tags", tags);
    return root;
}

struct value *
view_tag(const struct site *s, const struct site_channel *c,
         const struct tag_list *l, const struct pager *pg, struct arena *a)
{
    const struct site_tag *t = l->tag;
    const char *title = c ? arena_printf(a, "#%s in %s", t->name,
                                         c->channel->title)
                          : arena_printf(a, "#%s", t->name);
    struct value *root = view_common(s, paged_title(title, pg, a), NULL,
                                     view_pager_url(a, l->url, pg->page),
                                     c ? c->lang : s->config->language, c, a);
    struct value *v = tag_link(s, l, NULL, a);
    value_set_str(a, v, "all_url", href(s, t->all.url, a));
    value_set_int(a, v, "all_count", (long long)t->all.nentries);
    if (c)
        value_set(a, v, "channel", channel_link(s, c, a));
    /* The channels it appears in, each with its share. */
    struct value *in = value_list(a);
    for (size_t i = 0; i < t->nchannels; i++) {
        const struct tag_list *share = t->channels[i];
        struct value *link = tag_link(s, share, NULL, a);
        value_set_str(a, link, "title", share->channel->channel->title);
        value_set_bool(a, link, "current", share->channel == c);
        value_push(a, in, link);
    }
    value_set(a, v, "channels", in);
    value_set(a, root, "tag", v);
    set_listing(s, root, l->entries, l->nentries, pg, a);
    return root;
}
