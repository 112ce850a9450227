/* model.h: the third stage. Joins parsed posts and channels into the site:
 * who is listed where, in which order, under which URL. Plain data; checks
 * every rule that involves more than one file (URLs, channel names). */
#ifndef GZ_MODEL_H
#define GZ_MODEL_H

#include <stdbool.h>
#include <stdio.h>

#include "../parse/parse.h"

struct site_channel;

/* A post as the site publishes it. */
struct entry {
    const struct post *post;
    const char *url;   /* below the base path, e.g. "astro/ngc/" */
    const char *lang;  /* resolved: the post's, its channel's or the site's */
    struct site_channel **channels; /* where it is listed, in given order */
    size_t nchannels;
};

struct site_channel {
    const struct channel *channel;
    const char *url;              /* e.g. "astro/" */
    const char *lang;             /* the channel's or the site's */
    struct entry **entries;       /* newest first */
    size_t nentries;
};

struct site {
    const struct site_config *config;
    struct site_channel *channels; /* sorted by name */
    size_t nchannels;
    struct entry **entries;        /* every published post, newest first */
    size_t nentries;
};

/* Builds the site from parsed channels and posts (drafts only when drafts
 * is set). Every conflict (two posts with one URL, an unknown channel, a
 * reserved name) is a DIAG_CONTENT; returns -1 if there was any. */
int model_build(struct site *out, const struct site_config *cfg,
                const struct channel *channels, size_t nchannels,
                const struct post *posts, size_t nposts, bool drafts,
                struct arena *a, struct diags *d);

/* Prints the site as text, one line a fact: for debugging and tests. */
void model_dump(const struct site *s, FILE *f);

#endif
