/* parse.c: a post or a channel from its source file: front matter fields,
 * then the Markdown body, then the defaults DESIGN.md gives for every
 * absent field. The entry points of parse/. */
#include "parse_private.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/hash.h"
#include "../base/utf8.h"
#include "../base/html.h"
#include "../diag.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#define TITLE_MAX 70        /* characters of a title made from the text */
#define DESCRIPTION_MAX 160 /* characters of a meta description */

/* Cuts text to at most max characters at a word boundary, adding an
 * ellipsis when it cut. */
static const char *
cut_words(struct arena *a, const char *text, size_t max)
{
    size_t len = strlen(text);
    while (len && isspace((unsigned char)*text))
        text++, len--;
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    size_t keep = utf8_prefix(text, len, max);
    if (keep == len)
        return arena_strndup(a, text, len);
    size_t space = keep;
    while (space > 0 && text[space] != ' ')
        space--;
    if (space > keep / 2)
        keep = space;
    while (keep && text[keep - 1] == ' ')
        keep--;
    return arena_printf(a, "%.*s…", (int)keep, text);
}

/* A slug must stay one URL segment and one folder name. */
static bool
is_slug(const char *s)
{
    if (!s || !*s || s[0] == '.')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || strchr("/\\?#%\"'<>`", *s))
            return false;
    return true;
}

/* The slug made from a file name: spaces become '-', case is folded so that
 * two spellings cannot fight over one folder. */
static const char *
slug_from_name(struct arena *a, const char *name, size_t len)
{
    char *folded = utf8_fold(a, name, len);
    if (!folded)
        folded = arena_strndup(a, name, len);
    for (char *p = folded; *p; p++)
        if (*p == ' ')
            *p = '-';
    return folded;
}

/* True when a URL is http(s), mailto or relative (no scheme, "//host"
 * too), read as a browser reads it: leading spaces and control characters
 * dropped, tabs and newlines anywhere ignored, the scheme in any case. */
static bool
is_allowed_url(const char *s)
{
    static const char *const allowed[] = { "http", "https", "mailto" };
    while (*s && (unsigned char)*s <= ' ')
        s++;
    char scheme[8];
    size_t n = 0;
    for (; *s && *s != ':'; s++) {
        if (*s == '\t' || *s == '\n' || *s == '\r')
            continue;
        if (!(n ? isalnum((unsigned char)*s) || strchr("+-.", *s)
                : isalpha((unsigned char)*s)))
            return true; /* no scheme before this: a relative URL */
        if (n < sizeof scheme - 1)
            scheme[n] = (char)tolower((unsigned char)*s);
        n++;
    }
    if (!*s || n == 0)
        return true;
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (n == strlen(allowed[i]) && !memcmp(scheme, allowed[i], n))
            return true;
    return false;
}

/* link, canonical and image end up in href and src: one URL or a list of
 * them, checked before they join the params. Returns 0 or -1 (reported). */
static int
check_url_field(struct yaml_file *y, const char *key, struct ynode *v)
{
    size_t n = v->kind == YNODE_LIST ? v->nitems : 1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct ynode *u = v->kind == YNODE_LIST ? v->items[i] : v;
        if (u->kind == YNODE_SCALAR && !is_allowed_url(u->text)) {
            yaml_error(y, u, "%s: only http(s), mailto and relative URLs are "
                       "allowed, got %s", key, yaml_shown(y, u));
            rc = -1;
        }
    }
    return rc;
}

static bool
is_url_field(const char *key)
{
    return !strcmp(key, "link") || !strcmp(key, "canonical") ||
           !strcmp(key, "image");
}

/* The fields a post takes: DESIGN.md's, and those the templates and feeds
 * read from its params. Any other is kept for templates, and `gazette
 * check` notes it (a misspelt field would otherwise go unseen). */
static const char *const post_known[] = {
    "title",   "date",        "updated", "tags",    "channels",
    "slug",    "draft",       "lang",    "summary", "description",
    "url",     "aliases",     "author",  "image",   "link",
    "canonical", "message_id",
};
/* A channel's _index.md takes four. */
static const char *const channel_known[] = { "title", "description", "lang",
                                             "hashtags" };

/* Hugo's and Jekyll's names for fields a post takes: each means the same
 * as its field, and the two may not both be given. */
static const struct {
    const char *name, *field;
} synonyms[] = {
    { "lastmod", "updated" },
    { "permalink", "url" },
    { "redirect_from", "aliases" },
};
#define NSYNONYMS (sizeof synonyms / sizeof *synonyms)

/* Fields seen so far that are in no list of known ones. */
struct unknown_fields {
    struct located **list;
    size_t *len, cap;
};

/* Records the field being read (y->key) when key is not in known[0..n). */
static void
note_unknown(struct yaml_file *y, const char *key, const char *const *known,
             size_t n, struct unknown_fields *u)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, known[i]))
            return;
    *u->list = arena_grow(y->a, *u->list, sizeof **u->list, &u->cap,
                          *u->len + 1);
    (*u->list)[(*u->len)++] = yaml_locate(y, y->key);
}

struct post_fields {
    struct post *post;
    const char *summary, *description;
    struct located *tags; /* front matter tags */
    size_t ntags;
    bool has_date, has_updated;
    struct timestamp name_date; /* from a name "2024-03-01-slug.md" */
    struct ynode *given[NSYNONYMS]; /* the key that gave each field */
    struct unknown_fields unknown;
};

/* The field key stands for (see synonyms), or NULL when the field was
 * given under its other name too (reported). */
static const char *
field_of(struct yaml_file *y, const char *key, struct post_fields *f)
{
    for (size_t i = 0; i < NSYNONYMS; i++) {
        if (strcmp(key, synonyms[i].name) && strcmp(key, synonyms[i].field))
            continue;
        if (f->given[i]) {
            yaml_error(y, y->key, "%s: means the same as \"%s\", given on "
                       "line %u", key, f->given[i]->text, f->given[i]->line);
            return NULL;
        }
        f->given[i] = y->key;
        return synonyms[i].field;
    }
    return key;
}

/* What is wrong with a URL path a post gives (url, aliases), or NULL: see
 * struct post. */
static const char *
url_path_problem(const char *s)
{
    if (s[0] != '/')
        return "must be a path on this site, starting with '/', such as "
               "/2019/05/hello/";
    if (!s[1])
        return "is the home page";
    for (const char *seg = s + 1; *seg;) {
        size_t len = strcspn(seg, "/");
        if (!len || (len == 1 && *seg == '.') ||
            (len == 2 && !strncmp(seg, "..", 2)))
            return "has an empty, \".\" or \"..\" segment";
        seg += len + (seg[len] == '/');
    }
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f ||
            strchr("?#%\\\"'<>`", *p))
            return "may not hold a space, a control character or any of "
                   "? # % \\ \" ' < > `";
    return NULL;
}

/* Checks URL paths read from key; returns how many of them passed, moved
 * to the front of list. */
static size_t
keep_url_paths(struct yaml_file *y, const char *key, struct located *list,
               size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const char *problem = url_path_problem(list[i].text);
        if (!problem) {
            list[kept++] = list[i];
            continue;
        }
        diags_add(y->d, DIAG_CONTENT, y->path, list[i].line, list[i].col,
                  "%s: \"%s\" %s", key, list[i].text, problem);
        y->errors++;
    }
    return kept;
}

/* `author:` a name, or Hugo's list of names: joined by ", ". Kept in the
 * params too, as text, for the feeds. */
static void
post_author(struct yaml_file *y, const char *key, struct ynode *v,
            struct post *post)
{
    struct located *names;
    size_t n = 0;
    if (v->kind == YNODE_SCALAR)
        yaml_get_string(y, key, v, &post->author);
    else if (v->kind == YNODE_MAP)
        yaml_error(y, v, "%s: expected a name or a list of names, got %s",
                   key, yaml_shown(y, v));
    else if (yaml_get_list(y, key, v, &names, &n) == 0 && n) {
        struct buf joined = BUF_INIT;
        for (size_t i = 0; i < n; i++)
            buf_printf(&joined, "%s%s", i ? ", " : "", names[i].text);
        post->author = arena_strndup(y->a, joined.data, joined.len);
        buf_dispose(&joined);
    }
    struct param *text = arena_alloc(y->a, sizeof *text);
    text->kind = PARAM_SCALAR;
    text->text = post->author;
    yaml_params_add(y->a, post->params, key, text);
}

/* `tags: a b`, a single text, is a list of its words, as Jekyll reads
 * it; each is placed at its column. */
static void
split_words(struct post_fields *f, struct yaml_file *y, struct ynode *v)
{
    const char *text = f->tags[0].text;
    unsigned line = f->tags[0].line;
    unsigned col = f->tags[0].col + !v->plain; /* after a quote */
    f->ntags = 0;
    f->tags = arena_alloc(y->a, (strlen(text) / 2 + 1) * sizeof *f->tags);
    for (const char *p = text; *p;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (len)
            f->tags[f->ntags++] = (struct located){
                arena_strndup(y->a, p, len), line,
                col + (unsigned)utf8_length(text, (size_t)(p - text)) };
        p += len;
    }
}

static void
post_field(struct yaml_file *y, const char *key, struct ynode *v, void *p)
{
    struct post_fields *f = p;
    struct post *post = f->post;
    const char *s = NULL, *field = field_of(y, key, f);
    if (!field)
        return; /* reported */
    if (!strcmp(key, "title")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s)
            post->title = s;
    } else if (!strcmp(key, "date")) {
        f->has_date = yaml_get_timestamp(y, key, v, &post->date) == 0;
        post->date_at = yaml_locate(y, v);
    } else if (!strcmp(field, "updated")) {
        f->has_updated = yaml_get_timestamp(y, key, v, &post->updated) == 0;
    } else if (!strcmp(key, "tags")) {
        if (yaml_get_texts(y, key, v, &f->tags, &f->ntags) == 0 &&
            v->kind == YNODE_SCALAR && f->ntags)
            split_words(f, y, v);
    } else if (!strcmp(field, "url")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s) {
            post->url = yaml_locate(y, v);
            if (!keep_url_paths(y, key, &post->url, 1))
                post->url.text = NULL;
        }
    } else if (!strcmp(field, "aliases")) {
        if (yaml_get_texts(y, key, v, &post->aliases, &post->naliases) == 0)
            post->naliases = keep_url_paths(y, key, post->aliases,
                                            post->naliases);
    } else if (!strcmp(key, "author")) {
        post_author(y, key, v, post);
    } else if (!strcmp(key, "channels")) {
        yaml_get_list(y, key, v, &post->channels, &post->nchannels);
    } else if (!strcmp(key, "slug")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s && !is_slug(s))
            yaml_error(y, v, "slug: \"%s\" cannot be a URL segment (no "
                       "spaces, '/', '?', '#', '%%' or leading '.')", s);
        else if (s)
            post->slug_at = yaml_locate(y, v), post->slug = s;
    } else if (!strcmp(key, "draft")) {
        yaml_get_bool(y, key, v, &post->draft);
    } else if (!strcmp(key, "lang")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s)
            post->lang = s;
    } else if (!strcmp(key, "summary")) {
        yaml_get_string(y, key, v, &f->summary);
    } else if (!strcmp(key, "description") &&
               yaml_get_string(y, key, v, &f->description) < 0) {
        return; /* reported; as text it joins the params too */
    } else if (!is_url_field(key) || check_url_field(y, key, v) == 0) {
        yaml_params_add(y->a, post->params, key, yaml_to_param(y, v));
        note_unknown(y, key, post_known,
                     sizeof post_known / sizeof *post_known, &f->unknown);
    }
}

/* "<p>text</p>" with text escaped; "" for no text. */
static const char *
escaped_paragraph(struct arena *a, const char *text)
{
    if (!text || !*text)
        return "";
    struct buf html = BUF_INIT;
    buf_puts(&html, "<p>");
    buf_put_html(&html, text, strlen(text));
    buf_puts(&html, "</p>\n");
    const char *copy = arena_strndup(a, html.data, html.len);
    buf_dispose(&html);
    return copy;
}

/* Fills what the front matter left out, from the text and from git. */
static void
post_defaults(struct post *post, struct post_fields *f,
              const struct markdown *md, const struct source_file *in,
              struct arena *a)
{
    post->title_given = post->title && *post->title;
    if (!post->title_given) {
        post->title = cut_words(a, md->first_line ? md->first_line : "",
                                TITLE_MAX);
        if (!*post->title && post->slug) /* no text at all: its name */
            post->title = post->slug;
    }
    if (!f->has_date)
        post->date = f->name_date.set   ? f->name_date
                     : in->created.set ? in->created
                                       : in->mtime;
    if (!f->has_updated)
        post->updated = in->updated;
    const char *text = f->summary ? f->summary : md->summary_text;
    post->description = f->description
                            ? f->description
                            : cut_words(a, text ? text : "", DESCRIPTION_MAX);
    if (f->summary || f->description)
        post->summary_html = escaped_paragraph(a, f->summary ? f->summary
                                                             : f->description);
    else if (md->summary_html)
        post->summary_html = md->summary_html;
    else
        post->summary_html = escaped_paragraph(a, md->summary_text);
}

/* The post's tags: the hashtags of its text, then its front matter tags
 * (a leading '#' allowed). A front matter tag with nothing a slug can hold
 * is an error at its position. */
static int
post_tags(struct post *post, const struct post_fields *f,
          const struct markdown *md, struct arena *a, struct diags *d)
{
    int rc = 0;
    post->tags = arena_alloc(a, (md->ntags + f->ntags + 1) *
                                    sizeof *post->tags);
    if (md->ntags) /* a file that was not read has no tags array */
        memcpy(post->tags, md->tags, md->ntags * sizeof *post->tags);
    post->ntags = md->ntags;
    for (size_t i = 0; i < f->ntags; i++) {
        const struct located *l = &f->tags[i];
        const char *name = l->text[0] == '#' ? l->text + 1 : l->text;
        const char *slug = parse_tag_slug(a, name, strlen(name));
        if (!slug) {
            rc = diags_add(d, DIAG_CONTENT, post->path, l->line, l->col,
                           "tags: \"%s\" has no letter or digit to name a "
                           "tag", l->text);
            continue;
        }
        post->tags[post->ntags++] = (struct tag_use){ name, slug, l->line,
                                                      l->col };
    }
    return rc;
}

/* The length of a post's file name without its extension (".md",
 * ".markdown"). */
static size_t
stem_length(const char *name)
{
    size_t n = strlen(name);
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? (size_t)(dot - name) : n;
}

/* A name "2024-03-01-slug" (Jekyll's posts): its date (midnight UTC) into
 * *date; returns the length of "2024-03-01-", or 0 when name is not so. */
static size_t
date_prefix(const char *name, size_t n, struct timestamp *date)
{
    char day[11];
    if (n < 12 || name[10] != '-')
        return 0;
    memcpy(day, name, 10);
    day[10] = '\0';
    return strspn(day, "0123456789-") == 10 && parse_timestamp(date, day) == 0
               ? 11
               : 0;
}

/* Where the post sits: content/<name>.md, or in a channel's folder,
 * content/<folder>/.../<name>.md (subfolders and a post that is a folder,
 * .../<name>/index.md, are the model's to place); a name
 * "2024-03-01-slug.md" gives a date and the slug after it. */
static int
post_place(struct post *post, struct timestamp *name_date, const char *path,
           struct arena *a, struct diags *d)
{
    const char *rel = path + strlen("content/");
    const char *slash = strchr(rel, '/'), *last = strrchr(rel, '/');
    const char *name = last ? last + 1 : rel;
    if (slash)
        post->folder = arena_strndup(a, rel, (size_t)(slash - rel));
    size_t n = stem_length(name), skip = date_prefix(name, n, name_date);
    name += skip, n -= skip;
    post->slug = slug_from_name(a, name, n);
    if (!is_slug(post->slug))
        return diags_add(d, DIAG_CONTENT, path, 1, 1,
                         "the file name \"%.*s\" cannot be a URL segment: "
                         "rename it or give a slug",
                         (int)n, name);
    return 0;
}

/* Sets p->listed: what render's list entry of a post shows of it, as far
 * as its parse decides (the model hashes its URL, channels, tags and the
 * posts its links lead to with it). Every link counts, where it is too:
 * the summary's are found among them. */
static void
listed_digest(struct post *p)
{
    struct hash h;
    hash_init(&h);
    hash_str(&h, p->title);
    uint64_t facts[] = { p->title_given, p->draft, p->summary_anywhere,
                         (uint64_t)p->date.secs,
                         (uint64_t)(int64_t)p->date.offset_min, p->date.set };
    hash_bytes(&h, facts, sizeof facts);
    hash_str(&h, p->summary_html);
    for (size_t i = 0; i < p->anchors.nlinks; i++) {
        const struct link_use *u = &p->anchors.links[i];
        hash_str(&h, u->url);
        hash_str(&h, u->path);
        hash_str(&h, u->fragment);
        uint64_t at[] = { u->kind, u->image, u->to_post, u->at, u->len,
                          u->summary_at };
        hash_bytes(&h, at, sizeof at);
    }
    hash_u64(&h, p->anchors.nlinks);
    hash_final(&h, p->listed);
}

int
parse_post(struct post *out, const struct source_file *in,
           const struct site_config *cfg, struct arena *a, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->path = in->path;
    out->params = arena_alloc(a, sizeof *out->params);
    out->params->kind = PARAM_MAP;
    struct post_fields f = { .post = out,
                             .unknown = { &out->unknown, &out->nunknown } };
    int place = post_place(out, &f.name_date, in->path, a, d);
    enum hashtag_source hashtags = config_hashtags_of(cfg, out->folder);
    struct markdown md;
    int rc = document_read(&md, in, post_field, &f, &hashtags, cfg, a, d);
    out->body_html = md.html;
    out->anchors = md.anchors;
    out->toc = md.toc;
    out->ntoc = md.ntoc;
    post_defaults(out, &f, &md, in, a);
    out->body_anywhere = out->body_html &&
                         html_urls_anywhere(out->body_html,
                                            strlen(out->body_html));
    out->summary_anywhere = out->summary_html &&
                            html_urls_anywhere(out->summary_html,
                                               strlen(out->summary_html));
    if (out->summary_html != md.summary_html) /* none of the body's links */
        for (size_t i = 0; i < md.anchors.nlinks; i++)
            md.anchors.links[i].summary_at = SIZE_MAX;
    if (post_tags(out, &f, &md, a, d) < 0 || place < 0)
        rc = -1;
    listed_digest(out);
    return rc;
}

struct channel_fields {
    struct channel *channel;
    struct unknown_fields unknown;
};

static void
channel_field(struct yaml_file *y, const char *key, struct ynode *v, void *p)
{
    struct channel_fields *f = p;
    struct channel *c = f->channel;
    const char *s = NULL;
    if (!strcmp(key, "title") || !strcmp(key, "description") ||
        !strcmp(key, "lang")) {
        if (yaml_get_string(y, key, v, &s) == 0 && s)
            *(!strcmp(key, "title")         ? &c->title
              : !strcmp(key, "description") ? &c->description
                                            : &c->lang) = s;
    } else if (!strcmp(key, "hashtags")) {
        config_hashtags(y, v, &c->hashtags);
    } else if (!is_url_field(key) || check_url_field(y, key, v) == 0) {
        yaml_params_add(y->a, c->params, key, yaml_to_param(y, v));
        note_unknown(y, key, channel_known,
                     sizeof channel_known / sizeof *channel_known,
                     &f->unknown);
    }
}

int
parse_channel(struct channel *out, const char *name,
              const struct source_file *in, const struct site_config *cfg,
              struct arena *a, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    out->title = name;
    out->description = "";
    out->about_html = "";
    out->params = arena_alloc(a, sizeof *out->params);
    out->params->kind = PARAM_MAP;
    config_record_hashtags(cfg, name, HASHTAGS_UNSET);
    struct hash h;
    hash_init(&h);
    hash_str(&h, name);
    hash_str(&h, in ? in->path : NULL);
    hash_str(&h, in ? in->blob_id : NULL);
    hash_final(&h, out->digest);
    if (!in)
        return 0;
    out->path = in->path;
    struct markdown md;
    struct channel_fields f = {
        .channel = out, .unknown = { &out->unknown, &out->nunknown } };
    int rc = document_read(&md, in, channel_field, &f, &out->hashtags, cfg,
                           a, d);
    config_record_hashtags(cfg, name, out->hashtags);
    out->about_html = md.html;
    out->anchors = md.anchors;
    if (!*out->description && md.summary_text)
        out->description = cut_words(a, md.summary_text, DESCRIPTION_MAX);
    return rc;
}

void
parse_init(parse_tag_url_fn tag_url)
{
    markdown_init(tag_url);
}
