/* tags.c: the tags of the site model. One tag per slug (the folded
 * spelling), named by its most frequent spelling; lists of posts per tag
 * and per channel; and a lint for tags that look alike but are different.
 * Linear in the number of tag uses: maps, no nested scans. */
#include "model.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/jobs.h"
#include "../diag.h"

#include <stdlib.h>
#include <string.h>

/* A tag while it is being gathered; tag comes first so that a pointer to
 * it is a pointer to the whole. A use is older when its entry's index is
 * greater, or, in one post, when it comes earlier: "first seen" is the
 * oldest use. */
struct gathering {
    struct site_tag tag;
    size_t nentries;           /* posts it is in: its list's length */
    const struct entry *last;  /* the entry added last, to add each once */
    struct spelling *spelled;  /* the spelling counted last */
    const struct post *first;  /* where it was first seen, for the lint */
    size_t first_index;        /* of that entry */
    unsigned line, col;
    struct gathering *into;    /* a share's: the site's tag it adds to */
};

struct spelling {
    const char *name;
    struct gathering *of;
    size_t count;
    size_t first_index, first_use; /* where first seen: entry, tag use */
};

const char *
model_tag_url(struct arena *a, const char *slug)
{
    return arena_printf(a, MODEL_TAGS_URL "%s/", slug);
}

static void
push_entry(struct arena *a, struct tag_list *l, size_t *cap, struct entry *e)
{
    l->entries = arena_grow(a, l->entries, sizeof *l->entries, cap,
                            l->nentries + 1);
    l->entries[l->nentries++] = e;
}

static struct gathering *
gathering_for(struct map *by_slug, struct vec *all, const struct tag_use *u,
              struct arena *a)
{
    struct gathering *g = map_get(by_slug, u->slug);
    if (g)
        return g;
    g = arena_alloc(a, sizeof *g);
    g->tag.slug = u->slug;
    g->tag.name = u->name;
    g->tag.all.tag = &g->tag;
    g->tag.all.url = model_tag_url(a, u->slug);
    map_put(by_slug, u->slug, g);
    vec_push(all, g);
    return g;
}

/* Counts use j of entry e of a spelling. */
static void
count_spelling(struct map *spellings, struct vec *order, struct gathering *g,
               const struct entry *e, size_t j, struct arena *a)
{
    const char *name = e->post->tags[j].name;
    struct spelling *s = g->spelled; /* most tags are spelled one way */
    if (!s || strcmp(s->name, name)) {
        s = map_get(spellings, name);
        if (!s) {
            s = arena_alloc(a, sizeof *s);
            s->name = name;
            s->of = g;
            s->first_index = e->index;
            s->first_use = j;
            map_put(spellings, name, s);
            vec_push(order, s);
        }
        g->spelled = s;
    }
    s->count++;
    if (e->index > s->first_index) /* an older post */
        s->first_index = e->index, s->first_use = j;
}

/* Names each tag by its most frequent spelling, the first seen of equals. */
static void
name_tags(const struct vec *order)
{
    for (size_t i = 0; i < order->len; i++) {
        struct spelling *sp = order->items[i];
        struct gathering *g = sp->of;
        struct spelling *best = g->spelled;
        if (sp->count > best->count ||
            (sp->count == best->count &&
             (sp->first_index > best->first_index ||
              (sp->first_index == best->first_index &&
               sp->first_use < best->first_use))))
            g->spelled = sp;
    }
    for (size_t i = 0; i < order->len; i++) {
        struct spelling *sp = order->items[i];
        sp->of->tag.name = sp->of->spelled->name;
    }
}

/* One thread's share of the entries, by_post[from, to): its own tags
 * and spellings, merged into the site's after. The entries are read in
 * by_post's order, the order their posts lie in memory: in date order,
 * each tag use was a cache miss, and this loop took half the model's
 * time. */
struct share {
    struct map *by_slug, *spellings;
    struct vec all, order; /* gatherings, spellings: as first seen */
    struct arena *a;
};

struct gather_job {
    struct entry *const *by_post;
    size_t n;
    struct share *shares;
    size_t nshares;
};

/* Asks for what gather_share reads of the entries ahead of i, a step of
 * the chain further for each one nearer: the entry, its post, the post's
 * tags, their slugs. Each was a cache miss waited for. */
static void
prefetch_tags(struct entry *const *by_post, size_t i, size_t to)
{
    if (i + 8 < to)
        __builtin_prefetch(by_post[i + 8]);
    if (i + 6 < to)
        __builtin_prefetch(by_post[i + 6]->post);
    if (i + 4 < to)
        __builtin_prefetch(by_post[i + 4]->post->tags);
    if (i + 2 < to) {
        const struct post *p = by_post[i + 2]->post;
        for (size_t t = 0; t < p->ntags; t++)
            __builtin_prefetch(p->tags[t].slug);
    }
}

/* Gives each entry of share k its tags (in order, each once, the share's
 * own for now) and counts each tag's posts and spellings. */
static void
gather_share(size_t k, int worker, void *payload)
{
    (void)worker;
    struct gather_job *j = payload;
    struct share *sh = &j->shares[k];
    size_t from = j->n * k / j->nshares, to = j->n * (k + 1) / j->nshares;
    for (size_t i = from; i < to; i++) {
        prefetch_tags(j->by_post, i, to);
        struct entry *e = j->by_post[i];
        const struct post *p = e->post;
        e->tags = arena_alloc(sh->a, (p->ntags + 1) * sizeof *e->tags);
        for (size_t t = 0; t < p->ntags; t++) {
            struct gathering *g = gathering_for(sh->by_slug, &sh->all,
                                                &p->tags[t], sh->a);
            count_spelling(sh->spellings, &sh->order, g, e, t, sh->a);
            if (!g->first || e->index > g->first_index) {
                g->first = p;
                g->first_index = e->index;
                g->line = p->tags[t].line;
                g->col = p->tags[t].col;
            }
            if (g->last == e)
                continue;
            g->last = e;
            g->nentries++;
            e->tags[e->ntags++] = &g->tag;
        }
    }
}

/* Adds a share's tags and spellings to the site's (by_slug, all;
 * spellings, order). A post is in one share: no use is counted twice,
 * and no two shares see a use at one entry index. */
static void
merge_share(struct share *sh, struct map *by_slug, struct vec *all,
            struct map *spellings, struct vec *order, struct arena *a)
{
    for (size_t i = 0; i < sh->all.len; i++) {
        struct gathering *g = sh->all.items[i];
        struct gathering *to = map_get(by_slug, g->tag.slug);
        if (!to) {
            to = arena_alloc(a, sizeof *to);
            to->tag.slug = g->tag.slug;
            to->tag.all.tag = &to->tag;
            to->tag.all.url = g->tag.all.url;
            map_put(by_slug, to->tag.slug, to);
            vec_push(all, to);
        }
        to->nentries += g->nentries;
        if (!to->first || g->first_index > to->first_index) {
            to->first = g->first;
            to->first_index = g->first_index;
            to->line = g->line;
            to->col = g->col;
        }
        g->into = to;
    }
    for (size_t i = 0; i < sh->order.len; i++) {
        struct spelling *sp = sh->order.items[i];
        struct spelling *to = map_get(spellings, sp->name);
        if (!to) {
            to = arena_alloc(a, sizeof *to);
            *to = (struct spelling){ sp->name, sp->of->into, 0,
                                     sp->first_index, sp->first_use };
            map_put(spellings, to->name, to);
            vec_push(order, to);
            to->of->spelled = to; /* one of its spellings, for name_tags */
        }
        to->count += sp->count;
        if (sp->first_index > to->first_index)
            to->first_index = sp->first_index, to->first_use = sp->first_use;
    }
}

/* Reads every entry's tags on jobs threads, each a share of the entries,
 * giving each entry its tags (in order, each once) and each tag its
 * entries (newest first). */
static void
gather(struct site *s, struct entry *const *by_post, struct vec *all,
       int jobs, struct arena *a)
{
    struct gather_job j = { by_post, s->nentries, NULL,
                            jobs < 1 ? 1 : (size_t)jobs };
    j.shares = xcalloc(j.nshares, sizeof *j.shares);
    for (size_t k = 0; k < j.nshares; k++)
        j.shares[k] = (struct share){ map_new(), map_new(), VEC_INIT,
                                      VEC_INIT, arena_new() };
    jobs_run(j.nshares, jobs, gather_share, &j);
    struct map *by_slug = map_new(), *spellings = map_new();
    struct vec order = VEC_INIT;
    for (size_t k = 0; k < j.nshares; k++)
        merge_share(&j.shares[k], by_slug, all, spellings, &order, a);
    for (size_t i = 0; i < s->nentries; i++) {
        struct entry *e = s->entries[i];
        for (size_t t = 0; t < e->ntags; t++)
            e->tags[t] = &((struct gathering *)e->tags[t])->into->tag;
    }
    for (size_t k = 0; k < j.nshares; k++) {
        struct share *sh = &j.shares[k];
        map_free(sh->by_slug);
        map_free(sh->spellings);
        vec_dispose(&sh->all);
        vec_dispose(&sh->order);
        arena_adopt(a, sh->a); /* the entries' lists of tags */
    }
    free(j.shares);
    name_tags(&order);
    for (size_t i = 0; i < all->len; i++) {
        struct gathering *g = all->items[i];
        g->tag.all.entries = arena_alloc(a, (g->nentries + 1) *
                                                sizeof *g->tag.all.entries);
    }
    for (size_t i = 0; i < s->nentries; i++) {
        struct entry *e = s->entries[i];
        for (size_t t = 0; t < e->ntags; t++) {
            struct tag_list *l = &e->tags[t]->all;
            l->entries[l->nentries++] = e;
        }
    }
    vec_dispose(&order);
    map_free(spellings);
    map_free(by_slug);
}

static int
cmp_tag(const void *pa, const void *pb)
{
    const struct site_tag *a = *(struct site_tag *const *)pa;
    const struct site_tag *b = *(struct site_tag *const *)pb;
    if (a->all.nentries != b->all.nentries)
        return a->all.nentries > b->all.nentries ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

static int
cmp_tag_list(const void *pa, const void *pb)
{
    const struct tag_list *a = pa, *b = pb;
    if (a->nentries != b->nentries)
        return a->nentries > b->nentries ? -1 : 1;
    return strcmp(a->tag->slug, b->tag->slug);
}

/* One channel's share of each tag, newest first like the entries. at is
 * scratch, all 0, one per tag of the site (by index), left all 0. */
static void
channel_tags(struct site_channel *c, size_t *at, struct arena *a)
{
    size_t n = 0, cap = 0;
    struct tag_list *tags = NULL;
    size_t *caps = NULL;
    /* Entries of a channel are few times tags: count first, then fill. */
    for (size_t i = 0; i < c->nentries; i++)
        for (size_t j = 0; j < c->entries[i]->ntags; j++) {
            struct site_tag *t = c->entries[i]->tags[j];
            if (at[t->index])
                continue;
            at[t->index] = n + 1;
            tags = arena_grow(a, tags, sizeof *tags, &cap, n + 1);
            tags[n++] = (struct tag_list){
                .tag = t, .channel = c,
                .url = arena_printf(a, "%s%s", c->url, t->all.url) };
        }
    caps = xcalloc(n + 1, sizeof *caps);
    for (size_t i = 0; i < c->nentries; i++)
        for (size_t j = 0; j < c->entries[i]->ntags; j++) {
            size_t k = at[c->entries[i]->tags[j]->index] - 1;
            push_entry(a, &tags[k], &caps[k], c->entries[i]);
        }
    free(caps);
    for (size_t k = 0; k < n; k++)
        at[tags[k].tag->index] = 0;
    if (n)
        qsort(tags, n, sizeof *tags, cmp_tag_list);
    c->tags = tags;
    c->ntags = n;
}

/* The channels' shares of the tags, on jobs threads: a channel's own
 * lists are made by one thread, with its scratch and its arena. */
struct channels_job {
    struct site *s;
    size_t **scratch;
    struct arena **arenas;
};

static void
channel_tags_one(size_t i, int worker, void *payload)
{
    struct channels_job *j = payload;
    channel_tags(&j->s->channels[i], j->scratch[worker], j->arenas[worker]);
}

static void
each_channel_tags(struct site *s, int jobs, struct arena *a)
{
    if (jobs < 1)
        jobs = 1;
    struct channels_job j = {
        s, xcalloc((size_t)jobs, sizeof *j.scratch),
        xcalloc((size_t)jobs, sizeof *j.arenas) };
    for (int w = 0; w < jobs; w++) {
        j.scratch[w] = xcalloc(s->ntags + 1, sizeof **j.scratch);
        j.arenas[w] = arena_new();
    }
    jobs_run(s->nchannels, jobs, channel_tags_one, &j);
    for (int w = 0; w < jobs; w++) {
        free(j.scratch[w]);
        arena_adopt(a, j.arenas[w]);
    }
    free(j.scratch);
    free(j.arenas);
}

/* What a tag looks like to a reader: case, '_', '-' and a plural 's'
 * aside. */
static const char *
look(const char *slug, struct arena *a)
{
    size_t n = strlen(slug), k = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (slug[i] == '_' || slug[i] == '-')
            continue;
        if (!strncmp(slug + i, "\u200c", 3) || !strncmp(slug + i, "\u00b7", 2)) {
            i += slug[i] == '\xe2' ? 2 : 1;
            continue;
        }
        out[k++] = slug[i];
    }
    if (k > 3 && out[k - 1] == 's')
        k--;
    out[k] = '\0';
    return out;
}

static int
cmp_slug(const void *pa, const void *pb)
{
    const struct site_tag *a = *(struct site_tag *const *)pa;
    const struct site_tag *b = *(struct site_tag *const *)pb;
    return strcmp(a->slug, b->slug);
}

/* Warns once per tag that looks like an earlier one (by slug order). */
static void
lint(struct site_tag **tags, size_t n, struct arena *a, struct diags *d)
{
    struct site_tag **sorted = xmalloc((n + 1) * sizeof *sorted);
    memcpy(sorted, tags, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_slug);
    struct map *looks = map_new();
    for (size_t i = 0; i < n; i++) {
        struct gathering *g = (struct gathering *)sorted[i];
        const char *key = look(g->tag.slug, a);
        struct gathering *other = map_get(looks, key);
        if (!other) {
            map_put(looks, key, g);
            continue;
        }
        diags_add(d, DIAG_WARNING, g->first->path, g->line, g->col,
                  "#%s looks like #%s (%s:%u:%u) but they are different tags",
                  g->tag.name, other->tag.name, other->first->path,
                  other->line, other->col);
    }
    map_free(looks);
    free(sorted);
}

void
model_tags(struct site *s, struct entry *const *by_post, int jobs,
           struct arena *a, struct diags *d)
{
    struct vec all = VEC_INIT;
    gather(s, by_post, &all, jobs, a);
    s->ntags = all.len;
    s->tags = arena_alloc(a, (all.len + 1) * sizeof *s->tags);
    for (size_t i = 0; i < all.len; i++)
        s->tags[i] = all.items[i];
    vec_dispose(&all);
    if (s->ntags)
        qsort(s->tags, s->ntags, sizeof *s->tags, cmp_tag);
    for (size_t i = 0; i < s->ntags; i++)
        s->tags[i]->index = i;
    each_channel_tags(s, jobs, a);
    /* Channels per tag, in channel (name) order. */
    size_t *scratch = xcalloc(s->ntags + 1, sizeof *scratch);
    size_t *caps = scratch;
    for (size_t i = 0; i < s->nchannels; i++)
        for (size_t j = 0; j < s->channels[i].ntags; j++) {
            struct site_tag *t = s->channels[i].tags[j].tag;
            t->channels = arena_grow(a, t->channels, sizeof *t->channels,
                                     &caps[t->index], t->nchannels + 1);
            t->channels[t->nchannels++] = &s->channels[i].tags[j];
        }
    free(scratch);
    lint(s->tags, s->ntags, a, d);
}
