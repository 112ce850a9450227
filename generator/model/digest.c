/* digest.c: what each part of the model looks like to a page, as a
 * digest, so that render/ can tell an output whose inputs are the same as
 * last time without building its view. Every field a view reads of an
 * entry, a channel or a tag list goes into its digest; what every page
 * reads (settings, the channel menu) goes into the site's. A digest that
 * misses a field leaves a stale page: tests/check_incremental.sh compares
 * rebuilds with clean builds after random edits. Part of model/. */
#include "model.h"
#include "../base/hash.h"
#include "../base/jobs.h"

#include <string.h>

#define CHANNEL_TOP_TAGS 12 /* as many as a channel page shows */

static void
hash_digest(struct hash *h, const uint64_t d[2])
{
    hash_u64(h, d[0]);
    hash_u64(h, d[1]);
}

/* The published files, as links to them from a text read them. */
static void
files_digest(const struct site *s, uint64_t out[2])
{
    struct hash h;
    hash_init(&h);
    for (size_t i = 0; i < s->nfiles; i++) {
        hash_str(&h, s->files[i].src->path);
        hash_str(&h, s->files[i].url);
    }
    hash_final(&h, out);
}

/* Whether a text's links can name a published file: a relative link or
 * image in its Markdown, or any raw HTML passed through. */
static bool
reads_files(const struct site *s, const struct anchors *an)
{
    return s->config->unsafe_html || an->relative;
}

/* Whether front matter names an image (a file, maybe). */
static bool
names_image(const struct param *params)
{
    for (size_t i = 0; params && params->kind == PARAM_MAP &&
                       i < params->len; i++)
        if (!strcmp(params->keys[i], "image"))
            return true;
    return false;
}

/* The posts a text's links to posts' files lead to, by URL. */
static void
hash_links(struct hash *h, struct entry *const *links, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hash_str(h, links && links[i] ? links[i]->url : NULL);
}

static void
link_digest(struct tag_list *l)
{
    struct hash h;
    hash_init(&h);
    hash_str(&h, l->tag->name);
    hash_str(&h, l->tag->slug);
    hash_str(&h, l->url);
    hash_u64(&h, l->nentries);
    hash_final(&h, l->link);
}

/* Every list of the tag, as the pages of each show them all: once a tag,
 * not once a list. */
static void
lists_digest(struct site_tag *t)
{
    struct hash h;
    hash_init(&h);
    hash_digest(&h, t->all.link);
    for (size_t i = 0; i < t->nchannels; i++) {
        hash_digest(&h, t->channels[i]->link);
        hash_str(&h, t->channels[i]->channel->channel->name);
    }
    hash_u64(&h, t->nchannels);
    hash_final(&h, t->lists);
}

static void
entry_digest(struct entry *e, const struct site *s, const uint64_t files[2])
{
    const struct post *p = e->post;
    struct hash h;
    hash_init(&h);
    /* its feed id is its URL, its date (in p->digest) and the host (in the
     * site's digest) */
    hash_str(&h, e->url);
    hash_str(&h, e->lang);
    for (size_t i = 0; i < e->nchannels; i++)
        hash_str(&h, e->channels[i]->channel->name);
    hash_u64(&h, e->nchannels);
    for (size_t i = 0; i < e->ntags; i++)
        hash_digest(&h, e->tags[i]->all.link);
    hash_u64(&h, e->ntags);
    hash_links(&h, e->links, p->anchors.nlinks);
    if (reads_files(s, &p->anchors) || names_image(p->params))
        hash_digest(&h, files);
    /* its page and the feeds show all its post, lists what they show of
     * it (p->listed), found from its path */
    struct hash listed = h;
    hash_digest(&h, p->digest);
    hash_final(&h, e->digest);
    hash_digest(&listed, p->listed);
    hash_str(&listed, p->path);
    hash_final(&listed, e->listed);
}

static void
channel_digest(struct site_channel *c, const struct site *s,
               const uint64_t files[2])
{
    struct hash h;
    hash_init(&h);
    hash_digest(&h, c->channel->digest);
    hash_str(&h, c->url);
    hash_str(&h, c->lang);
    hash_u64(&h, c->nentries);
    hash_u64(&h, c->ntags);
    for (size_t i = 0; i < c->ntags && i < CHANNEL_TOP_TAGS; i++)
        hash_digest(&h, c->tags[i].link);
    hash_links(&h, c->links, c->channel->anchors.nlinks);
    if (reads_files(s, &c->channel->anchors))
        hash_digest(&h, files);
    hash_final(&h, c->digest);
}

/* A tag list's pages show the tag, its list, and its share in each
 * channel. */
static void
tag_list_digest(struct tag_list *l)
{
    struct hash h;
    hash_init(&h);
    hash_digest(&h, l->link);
    hash_digest(&h, l->tag->lists);
    hash_str(&h, l->channel ? l->channel->channel->name : NULL);
    hash_final(&h, l->digest);
}

/* Each tag's lists (in each of its channels, and of all) are its own, and
 * the site has thousands: they are digested on jobs threads, a tag at a
 * time. First the links to them, and the digest of those links. */
static void
tag_links(size_t i, int worker, void *payload)
{
    struct site_tag *t = ((struct site *)payload)->tags[i];
    (void)worker;
    for (size_t j = 0; j < t->nchannels; j++)
        link_digest(t->channels[j]);
    link_digest(&t->all);
    lists_digest(t); /* its channels' lists' links are done */
}

/* Then each of its lists, once lists_digest is done. */
static void
tag_lists(size_t i, int worker, void *payload)
{
    struct site_tag *t = ((struct site *)payload)->tags[i];
    (void)worker;
    for (size_t j = 0; j < t->nchannels; j++)
        tag_list_digest(t->channels[j]);
    tag_list_digest(&t->all);
}

/* Entries digested by one worker at a time: enough to pay for taking
 * them, few enough that both threads get a share. */
#define DIGEST_CHUNK 256

struct entries_job {
    struct site *s;
    const uint64_t *files;
};

/* Asks for what entry_digest reads of the entries ahead of i, a step of
 * the chain further for each one nearer: the entry, its post and tags,
 * the post's params. In date order the entries' data lies anywhere in
 * memory, and each of these was a cache miss waited for. */
static void
prefetch_entries(const struct site *s, size_t i)
{
    if (i + 8 < s->nentries)
        __builtin_prefetch(s->entries[i + 8]);
    if (i + 4 < s->nentries) {
        __builtin_prefetch(s->entries[i + 4]->post);
        __builtin_prefetch(s->entries[i + 4]->tags);
    }
    if (i + 2 < s->nentries)
        __builtin_prefetch(s->entries[i + 2]->post->params);
}

static void
digest_entries(size_t chunk, int worker, void *payload)
{
    const struct entries_job *job = payload;
    struct site *s = job->s;
    (void)worker;
    for (size_t i = chunk * DIGEST_CHUNK;
         i < s->nentries && i < (chunk + 1) * DIGEST_CHUNK; i++) {
        prefetch_entries(s, i);
        entry_digest(s->entries[i], s, job->files);
    }
}

void
model_digest(struct site *s, const uint64_t settings[2], int jobs)
{
    uint64_t files[2];
    files_digest(s, files);
    struct hash h;
    hash_init(&h);
    hash_digest(&h, settings);
    hash_str(&h, s->host);
    for (size_t i = 0; i < s->nchannels; i++) { /* the menu */
        const struct site_channel *c = &s->channels[i];
        hash_str(&h, c->channel->name);
        hash_str(&h, c->channel->title);
        hash_str(&h, c->url);
    }
    hash_u64(&h, s->nchannels);
    hash_final(&h, s->digest);
    jobs_run(s->ntags, jobs, tag_links, s);
    /* An entry's digest reads its post, its tags' and the files': these
     * are done, and each entry is written by one thread only. */
    struct entries_job job = { s, files };
    jobs_run((s->nentries + DIGEST_CHUNK - 1) / DIGEST_CHUNK, jobs,
             digest_entries, &job);
    for (size_t i = 0; i < s->nchannels; i++)
        channel_digest(&s->channels[i], s, files);
    jobs_run(s->ntags, jobs, tag_lists, s);
}
