/* feeds.c: the feeds of the site, of each channel and of each tag, in Atom
 * 1.0 (RFC 4287) and JSON Feed 1.1: the latest feed_size posts, newest
 * first, each with its whole content and every link in it absolute. Part
 * of render/, and the one file that sees jansson. A post is prepared once
 * (links resolved, text cleaned, its Atom entry and its JSON item written)
 * however many feeds list it, and kept until the last batch of feeds that
 * lists it; the feeds are written on -j threads. */
#include "render_private.h"
#include "../base/arena.h"
#include "../base/hash.h"
#include "../base/jobs.h"
#include "../diag.h"

#include <jansson.h>
#include <string.h>

#define JSON_FEED_VERSION "https://jsonfeed.org/version/1.1"
#define FEEDS_BATCH 64 /* feeds written, then handed over, at once */

/* A list of posts and its two feeds. */
struct feed {
    const char *url; /* of its page, below the base path: "", "astro/" */
    const char *title, *description, *lang;
    struct entry *const *entries; /* newest first */
    size_t n;                     /* at most feed_size */
};

/* A post as every feed shows it, made once: text cleaned for XML, links
 * absolute. */
struct item {
    const struct entry *e;
    size_t last_batch; /* the last batch of feeds that lists it */
    bool prepared;
    /* What the batch that prepares it reads, in its worker's arena: */
    const char *id, *url, *title, *summary, *author, *image;
    const char *published, *updated;  /* RFC 3339 */
    const char *content_html, *summary_html;
    /* What the feeds are made of, until the end of last_batch: */
    const struct timestamp *modified; /* when it last changed */
    char *atom; /* its whole <entry> element, malloc'd */
    size_t atom_len;
    char *json; /* its object in a JSON feed's items, malloc'd; NULL when
                 * jansson failed */
    size_t json_len;
};

struct feeds_job {
    const struct site *site;
    const struct feed *feeds;
    size_t nfeeds;
    struct item *items;        /* of every feed to write */
    size_t nitems;
    struct map *index;         /* post path -> 1 + its index in items */
    struct item **todo;        /* what the batch prepares */
    size_t ntodo;
    struct arena **arenas;     /* one per worker, cleared per batch */
    const bool *kept;          /* per feed: still as last published */
    struct output_file *files; /* two a feed: Atom, then JSON */
    int *status;               /* per feed */
    struct diags *d;
};

/* What put_text looks at in a byte: a C0 control XML forbids, the first
 * byte of U+FFFE or U+FFFF, a character markup escapes. Any other byte is
 * copied as it is, in runs. */
enum { TEXT_FORBIDDEN = 1, TEXT_EF = 2, TEXT_MARKUP = 4 };
static const unsigned char text_class[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
    [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1,
    [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1,
    [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
    [0xEF] = TEXT_EF, ['&'] = TEXT_MARKUP, ['<'] = TEXT_MARKUP,
    ['>'] = TEXT_MARKUP, ['"'] = TEXT_MARKUP,
};

/* How many bytes at s[i] (of kind, its text_class) XML 1.0 forbids: 1
 * for a C0 control other than tab, LF and CR, 3 for U+FFFE or U+FFFF (the
 * text is valid UTF-8, so there are no surrogates), else 0. */
static size_t
forbidden_at(const char *s, size_t i, size_t len, unsigned kind)
{
    if (kind == TEXT_FORBIDDEN)
        return 1;
    if (kind == TEXT_EF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
        ((unsigned char)s[i + 2] & 0xFE) == 0xBE)
        return 3;
    return 0;
}

/* Appends s[0..len) without the characters XML 1.0 forbids (see
 * forbidden_at), with &, <, > and " escaped when xml is set
 * (so "]]>" is "]]&gt;" and no CDATA is needed). */
static void
put_text(struct buf *b, const char *s, size_t len, bool xml)
{
    unsigned look = TEXT_FORBIDDEN | TEXT_EF | (xml ? TEXT_MARKUP : 0);
    /* Written in place: a post's HTML in an Atom entry has markup to
     * escape every few bytes. There is room for the rest as it is and one
     * escape ("&quot;"), made again when an escape took it. */
    buf_grow(b, len + 6);
    char *o = b->data + b->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned kind = text_class[c] & look;
        if (!kind) {
            *o++ = (char)c;
            continue;
        }
        if (kind == TEXT_MARKUP) {
            const char *rep = c == '&'   ? "&amp;"
                              : c == '<' ? "&lt;"
                              : c == '>' ? "&gt;"
                                         : "&quot;";
            size_t n = strlen(rep), rest = len - i - 1 + 6;
            memcpy(o, rep, n);
            o += n;
            if (b->cap - 1 - (size_t)(o - b->data) < rest) {
                b->len = (size_t)(o - b->data);
                buf_grow(b, rest);
                o = b->data + b->len;
            }
            continue;
        }
        size_t skip = forbidden_at(s, i, len, kind);
        if (skip)
            i += skip - 1;
        else
            *o++ = (char)c;
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

/* True when s[0..len) holds a character that put_text drops. */
static bool
has_forbidden(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned kind = text_class[(unsigned char)s[i]] &
                        (TEXT_FORBIDDEN | TEXT_EF);
        if (kind && forbidden_at(s, i, len, kind))
            return true;
    }
    return false;
}

/* s without the characters XML forbids: s itself when it has none (most
 * text), else a copy in the arena; "" for NULL. */
static const char *
clean(struct arena *a, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (!has_forbidden(s, len))
        return s ? s : "";
    struct buf b = BUF_INIT;
    buf_grow(&b, len);
    put_text(&b, s, len, false);
    const char *out = arena_strndup(a, b.data, b.len);
    buf_dispose(&b);
    return out;
}

/* html with its links resolved against url, cleaned, in the arena. */
static const char *
absolute_html(struct arena *a, const char *html, const char *url)
{
    struct buf abs = BUF_INIT;
    size_t len = strlen(html);
    buf_grow(&abs, len + len / 8); /* room for longer links */
    url_absolute_html(&abs, html, len, url);
    const char *out = clean(a, abs.data);
    if (out == abs.data)
        out = arena_strndup(a, abs.data, abs.len);
    buf_dispose(&abs);
    return out;
}

/* <name>text</name> and a newline, text escaped. */
static void
put_element(struct buf *b, const char *name, const char *text)
{
    buf_printf(b, "<%s>", name);
    put_text(b, text, strlen(text), true);
    buf_printf(b, "</%s>\n", name);
}

static void
put_link(struct buf *b, const char *rel, const char *type, const char *href)
{
    buf_printf(b, "<link rel=\"%s\" type=\"%s\" href=\"", rel, type);
    put_text(b, href, strlen(href), true);
    buf_puts(b, "\"/>\n");
}

/* The item's <entry>: everything but the list it is in. */
static void
atom_entry(struct item *it)
{
    const struct entry *e = it->e;
    struct buf b = BUF_INIT;
    /* room for the escaped content, so that it is not copied as it grows */
    size_t text = strlen(it->content_html) + strlen(it->summary_html);
    buf_grow(&b, text + text / 4 + 1024);
    buf_puts(&b, "<entry xml:lang=\"");
    put_text(&b, e->lang, strlen(e->lang), true);
    buf_puts(&b, "\">\n");
    put_element(&b, "id", it->id);
    put_element(&b, "title", it->title);
    put_link(&b, "alternate", "text/html", it->url);
    put_element(&b, "published", it->published);
    put_element(&b, "updated", it->updated);
    if (it->author) {
        buf_puts(&b, "<author>\n");
        put_element(&b, "name", it->author);
        buf_puts(&b, "</author>\n");
    }
    for (size_t i = 0; i < e->ntags; i++) {
        buf_puts(&b, "<category term=\"");
        put_text(&b, e->tags[i]->name, strlen(e->tags[i]->name), true);
        buf_puts(&b, "\"/>\n");
    }
    if (*it->summary_html) {
        buf_puts(&b, "<summary type=\"html\">");
        put_text(&b, it->summary_html, strlen(it->summary_html), true);
        buf_puts(&b, "</summary>\n");
    }
    buf_puts(&b, "<content type=\"html\">");
    put_text(&b, it->content_html, strlen(it->content_html), true);
    buf_puts(&b, "</content>\n</entry>\n");
    it->atom = buf_detach(&b, &it->atom_len);
}

/* Sets key to the string s in o; returns -1 when jansson fails. */
static int
set_string(json_t *o, const char *key, const char *s)
{
    /* Every text of the site is valid UTF-8 (parse checks it), and
     * jansson checks each character again as it writes it. */
    return json_object_set_new(o, key, json_string_nocheck(s));
}

/* {"name": name} in a one-element list, as JSON Feed 1.1 lists authors. */
static json_t *
json_authors(const char *name)
{
    json_t *list = json_array(), *author = json_object();
    if (set_string(author, "name", name) < 0 ||
        json_array_append_new(list, author) < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* One item of a JSON feed as an object; NULL when jansson fails. */
static json_t *
json_object_of(const struct item *it)
{
    const struct entry *e = it->e;
    json_t *o = json_object(), *tags = json_array();
    int rc = set_string(o, "id", it->id);
    rc |= set_string(o, "url", it->url);
    rc |= set_string(o, "title", it->title);
    rc |= set_string(o, "content_html", it->content_html);
    if (*it->summary)
        rc |= set_string(o, "summary", it->summary);
    if (it->image)
        rc |= set_string(o, "image", it->image);
    rc |= set_string(o, "date_published", it->published);
    rc |= set_string(o, "date_modified", it->updated);
    if (it->author)
        rc |= json_object_set_new(o, "authors", json_authors(it->author));
    for (size_t i = 0; i < e->ntags; i++)
        rc |= json_array_append_new(tags,
                                    json_string_nocheck(e->tags[i]->name));
    if (e->ntags)
        rc |= json_object_set(o, "tags", tags);
    rc |= set_string(o, "language", e->lang);
    json_decref(tags);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Where jansson's text goes: b, each line indented by depth more spaces
 * (jansson escapes the newlines in strings, so every newline it writes is
 * between values). */
struct json_out {
    struct buf *b;
    int depth;
};

static int
put_json(const char *data, size_t size, void *payload)
{
    struct json_out *o = payload;
    for (const char *nl; (nl = memchr(data, '\n', size));) {
        size_t line = (size_t)(nl - data) + 1;
        buf_put(o->b, data, line);
        for (int i = 0; i < o->depth; i++)
            buf_putc(o->b, ' ');
        data += line;
        size -= line;
    }
    buf_put(o->b, data, size);
    return 0;
}

/* Appends v as jansson writes it (JSON_INDENT(1), keys in the order set),
 * indented by depth; -1 when jansson fails (b then holds part of it). */
static int
put_json_value(struct buf *b, json_t *v, int depth)
{
    struct json_out o = { b, depth };
    int rc = v ? json_dump_callback(v, put_json, &o,
                                    JSON_INDENT(1) | JSON_PRESERVE_ORDER)
               : -1;
    json_decref(v);
    return rc;
}

/* The item's object as a JSON feed's items list shows it, written once
 * like its Atom entry; NULL when jansson failed. */
static void
json_item(struct item *it)
{
    struct buf b = BUF_INIT;
    size_t text = strlen(it->content_html); /* and its escapes */
    buf_grow(&b, text + text / 4 + 1024);
    if (put_json_value(&b, json_object_of(it), 2) == 0) {
        it->json = buf_detach(&b, &it->json_len);
    } else {
        it->json = NULL;
        buf_dispose(&b);
    }
}

/* Prepares the batch's todo[i] in the worker's arena. */
static void
prepare_one(size_t i, int worker, void *payload)
{
    struct feeds_job *job = payload;
    const struct site *s = job->site;
    struct arena *a = job->arenas[worker];
    struct item *it = job->todo[i];
    const struct post *p = it->e->post;
    it->id = model_entry_id(s, it->e, a);
    it->url = url_absolute(s, it->e->url, a);
    it->title = clean(a, p->title);
    it->summary = clean(a, p->description);
    const char *author = view_param(p->params, "author");
    if (!author && s->config->author && *s->config->author)
        author = s->config->author;
    it->author = author ? clean(a, author) : NULL;
    const char *image = view_image(s, it->e, a);
    it->image = image ? clean(a, image) : NULL;
    it->published = view_iso_time(&p->date, a);
    it->modified = view_modified(it->e);
    it->updated = view_iso_time(it->modified, a);
    const struct entry *e = it->e;
    struct text_place body = { p->path, e->url, false, false,
                               p->body_anywhere },
                      summary = { p->path, e->url, true, true,
                                  p->summary_anywhere };
    it->content_html = absolute_html(
        a, url_fill_links(s, p->body_html, &p->anchors, e->links, &body, a),
        it->url);
    it->summary_html = absolute_html(
        a, url_fill_links(s, p->summary_html, &p->anchors, e->links, &summary,
                          a),
        it->url);
    atom_entry(it);
    json_item(it);
}

static struct item *
item_of(const struct feeds_job *job, const struct entry *e)
{
    return &job->items[(size_t)map_get(job->index, e->post->path) - 1];
}

/* The newest change among the feed's posts (RFC 3339); the epoch for an
 * empty feed, so that the same site always gives the same bytes. */
static const char *
feed_updated(const struct feeds_job *job, const struct feed *f,
             struct arena *a)
{
    const struct timestamp *newest = NULL;
    for (size_t i = 0; i < f->n; i++) {
        const struct timestamp *t = item_of(job, f->entries[i])->modified;
        if (!newest || t->secs > newest->secs)
            newest = t;
    }
    static const struct timestamp epoch = { 0, 0, true };
    return view_iso_time(newest ? newest : &epoch, a);
}

/* The Atom feed of f: malloc'd bytes for the output. */
static char *
atom_feed(const struct feeds_job *job, const struct feed *f, size_t *len,
          struct arena *a)
{
    const struct site_config *cfg = job->site->config;
    struct buf b = BUF_INIT;
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    put_text(&b, f->lang, strlen(f->lang), true);
    buf_puts(&b, "\">\n");
    const char *page = url_absolute(job->site, f->url, a);
    put_element(&b, "id", page);
    put_element(&b, "title", clean(a, f->title));
    if (f->description && *f->description)
        put_element(&b, "subtitle", clean(a, f->description));
    put_link(&b, "self", "application/atom+xml",
             url_absolute(job->site, arena_printf(a, "%s" MODEL_FEED_ATOM,
                                                  f->url), a));
    put_link(&b, "alternate", "text/html", page);
    put_element(&b, "updated", feed_updated(job, f, a));
    /* Every entry without an author of its own takes the feed's. */
    buf_puts(&b, "<author>\n");
    put_element(&b, "name", clean(a, cfg->author && *cfg->author
                                         ? cfg->author
                                         : cfg->title));
    buf_puts(&b, "</author>\n<generator>gazette</generator>\n");
    for (size_t i = 0; i < f->n; i++) {
        const struct item *it = item_of(job, f->entries[i]);
        buf_put(&b, it->atom, it->atom_len);
    }
    buf_puts(&b, "</feed>\n");
    return buf_detach(&b, len);
}

/* The JSON feed of f into out. jansson writes it with its items list
 * empty, and the items go between the brackets as written by json_item.
 * Returns -1 when jansson failed. */
static int
json_feed(struct buf *out, const struct feeds_job *job, const struct feed *f,
          struct arena *a)
{
    const struct site_config *cfg = job->site->config;
    json_t *root = json_object();
    int rc = set_string(root, "version", JSON_FEED_VERSION);
    rc |= set_string(root, "title", clean(a, f->title));
    rc |= set_string(root, "home_page_url",
                     url_absolute(job->site, f->url, a));
    rc |= set_string(root, "feed_url",
                     url_absolute(job->site, arena_printf(a, "%s"
                                  MODEL_FEED_JSON, f->url), a));
    if (f->description && *f->description)
        rc |= set_string(root, "description", clean(a, f->description));
    if (cfg->author && *cfg->author)
        rc |= json_object_set_new(root, "authors",
                                  json_authors(clean(a, cfg->author)));
    rc |= set_string(root, "language", f->lang);
    rc |= json_object_set_new(root, "items", json_array());
    static const char empty_end[] = "[]\n}"; /* the last member, items */
    size_t end = strlen(empty_end);
    if (rc || put_json_value(out, root, 0) < 0 || out->len < end ||
        memcmp(out->data + out->len - end, empty_end, end))
        return -1;
    out->len -= end - 1; /* keeps the '[' */
    for (size_t i = 0; i < f->n; i++) {
        const struct item *it = item_of(job, f->entries[i]);
        if (!it->json)
            return -1;
        buf_puts(out, i ? ",\n  " : "\n  ");
        buf_put(out, it->json, it->json_len);
    }
    buf_puts(out, f->n ? "\n ]\n}\n" : "]\n}\n");
    return 0;
}

/* Writes both feeds of feeds[i]. */
static void
feed_one(size_t i, int worker, void *payload)
{
    struct feeds_job *job = payload;
    const struct feed *f = &job->feeds[i];
    struct arena *a = job->arenas[worker];
    struct output_file *atom = &job->files[2 * i], *json = atom + 1;
    job->status[i] = 0;
    if (job->kept[i])
        return;
    atom->data = atom_feed(job, f, &atom->len, a);
    struct buf b = BUF_INIT;
    job->status[i] = json_feed(&b, job, f, a);
    if (job->status[i] < 0)
        diags_add(job->d, DIAG_SYSTEM, NULL, 0, 0,
                  "the JSON library could not write %s", json->path);
    json->data = buf_detach(&b, &json->len);
}

/* The feeds: the site's, each channel's, each tag's. */
static struct feed *
list_feeds(const struct site *s, size_t *n, struct arena *a)
{
    const struct site_config *cfg = s->config;
    size_t size = (size_t)cfg->feed_size;
    struct feed *feeds = arena_alloc(a, (1 + s->nchannels + s->ntags) *
                                            sizeof *feeds);
    size_t k = 0;
#define AT_MOST(x) ((x) < size ? (x) : size)
    feeds[k++] = (struct feed){ "", cfg->title, cfg->description,
                                cfg->language, s->entries,
                                AT_MOST(s->nentries) };
    for (size_t i = 0; i < s->nchannels; i++) {
        const struct site_channel *c = &s->channels[i];
        feeds[k++] = (struct feed){ c->url, view_feed_title(s, c, NULL, a),
                                    c->channel->description, c->lang,
                                    c->entries, AT_MOST(c->nentries) };
    }
    for (size_t i = 0; i < s->ntags; i++) {
        const struct tag_list *l = &s->tags[i]->all;
        feeds[k++] = (struct feed){ l->url,
                                    view_feed_title(s, NULL, l->tag, a),
                                    NULL, cfg->language, l->entries,
                                    AT_MOST(l->nentries) };
    }
#undef AT_MOST
    *n = k;
    return feeds;
}

/* The posts that the feeds to write list, each once, in items and index
 * (in arena a), each with the last batch that lists it; *len of them. */
static struct item *
gather_items(const struct feed *feeds, size_t nfeeds, const bool *kept,
             struct map *index, size_t *len, struct arena *a)
{
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < nfeeds; i++)
        for (size_t j = 0; !kept[i] && j < feeds[i].n; j++) {
            const struct entry *e = feeds[i].entries[j];
            size_t at = (size_t)map_get(index, e->post->path);
            if (!at) {
                items = arena_grow(a, items, sizeof *items, &cap, n + 1);
                items[n++] = (struct item){ .e = e };
                map_put(index, e->post->path, (void *)(at = n));
            }
            items[at - 1].last_batch = i / FEEDS_BATCH;
        }
    *len = n;
    return items;
}

/* The items the batch's feeds list that no batch before prepared, in
 * job->todo (in arena a). */
static void
gather_todo(struct feeds_job *job, struct arena *a)
{
    size_t cap = 0;
    job->todo = NULL;
    job->ntodo = 0;
    for (size_t i = 0; i < job->nfeeds; i++)
        for (size_t j = 0; !job->kept[i] && j < job->feeds[i].n; j++) {
            struct item *it = item_of(job, job->feeds[i].entries[j]);
            if (it->prepared)
                continue;
            it->prepared = true;
            job->todo = arena_grow(a, job->todo, sizeof *job->todo, &cap,
                                   job->ntodo + 1);
            job->todo[job->ntodo++] = it;
        }
}

/* Frees the texts of the items whose last batch is b, the batch of the
 * job's feeds. */
static void
retire_items(struct feeds_job *job, size_t b)
{
    for (size_t i = 0; i < job->nfeeds; i++)
        for (size_t j = 0; !job->kept[i] && j < job->feeds[i].n; j++) {
            struct item *it = item_of(job, job->feeds[i].entries[j]);
            if (it->last_batch != b || !it->atom)
                continue;
            free(it->atom);
            free(it->json);
            it->atom = it->json = NULL;
        }
}

/* The key of a feed: its list, its posts, the site (the feeds use no
 * template); the Atom and JSON files are told apart by kind. */
static struct output_key
feed_key(const struct site *s, const struct feed *f, char kind)
{
    struct hash h;
    hash_init(&h);
    hash_u64(&h, (uint64_t)kind);
    hash_u64(&h, s->digest[0]);
    hash_u64(&h, s->digest[1]);
    hash_str(&h, f->url);
    hash_str(&h, f->title);
    hash_str(&h, f->description);
    hash_str(&h, f->lang);
    for (size_t i = 0; i < f->n; i++) {
        hash_u64(&h, f->entries[i]->digest[0]);
        hash_u64(&h, f->entries[i]->digest[1]);
    }
    hash_u64(&h, f->n);
    struct output_key k;
    hash_final(&h, k.h);
    return k;
}

int
feeds_render(struct output *out, const struct site *s,
             const struct render_sink *sink, int jobs, struct arena *a,
             struct diags *d)
{
    if (!s->host)
        return 0;
    size_t nfeeds, base = out->len;
    struct feed *feeds = list_feeds(s, &nfeeds, a);
    bool *kept = arena_alloc(a, (nfeeds + 1) * sizeof *kept);
    for (size_t i = 0; i < nfeeds; i++) {
        const char *url = feeds[i].url;
        output_add(out, a, arena_printf(a, "%s" MODEL_FEED_ATOM, url), NULL, 0);
        out->files[out->len - 1].key = feed_key(s, &feeds[i], 'A');
        output_add(out, a, arena_printf(a, "%s" MODEL_FEED_JSON, url), NULL, 0);
        out->files[out->len - 1].key = feed_key(s, &feeds[i], 'J');
        kept[i] = render_kept(sink, &out->files[out->len - 2]) &&
                  render_kept(sink, &out->files[out->len - 1]);
    }
    if (jobs < 1)
        jobs = 1;
    struct feeds_job job = { .site = s, .d = d, .index = map_new() };
    job.items = gather_items(feeds, nfeeds, kept, job.index, &job.nitems, a);
    job.arenas = arena_alloc(a, (size_t)jobs * sizeof *job.arenas);
    for (int w = 0; w < jobs; w++)
        job.arenas[w] = arena_new();
    struct arena *batch = arena_new();
    struct render_sender sender;
    render_sender_init(&sender, out, sink, 1); /* feeds are big */
    int rc = 0;
    /* In batches, so that the feeds written live only as long as their
     * batch, and a post's prepared text until the last batch listing it. */
    for (size_t b = 0; b < nfeeds && rc == 0; b += FEEDS_BATCH) {
        job.feeds = feeds + b;
        job.nfeeds = nfeeds - b < FEEDS_BATCH ? nfeeds - b : FEEDS_BATCH;
        job.kept = kept + b;
        job.files = out->files + base + 2 * b;
        job.status = arena_alloc(batch, job.nfeeds * sizeof *job.status);
        gather_todo(&job, batch);
        jobs_run(job.ntodo, jobs, prepare_one, &job);
        jobs_run(job.nfeeds, jobs, feed_one, &job);
        for (size_t i = 0; i < job.nfeeds; i++)
            if (!kept[b + i] && job.status[i] < 0)
                rc = -1;
        retire_items(&job, b / FEEDS_BATCH);
        if (rc == 0 && sink)
            rc = render_sender_send(&sender, base + 2 * (b + job.nfeeds));
        for (int w = 0; w < jobs; w++)
            arena_clear(job.arenas[w]);
        arena_clear(batch);
    }
    for (size_t i = 0; i < job.nitems; i++) { /* left by a failed batch */
        free(job.items[i].atom);
        free(job.items[i].json);
    }
    map_free(job.index);
    if (render_sender_wait(&sender) < 0)
        rc = -1;
    for (int w = 0; w < jobs; w++)
        arena_free(job.arenas[w]);
    arena_free(batch);
    return rc;
}
