/* hash.h: a fast 128-bit digest for what must be told apart between builds
 * (a post's parse inputs, the inputs of an output page), and the hash of
 * base's maps (eight bytes a step, where FNV took one). Not
 * cryptographic: it guards against accidents, not against an adversary,
 * and a site's author is no adversary of their own output. */
#ifndef GZ_HASH_H
#define GZ_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash {
    uint64_t a, b;  /* the two lanes */
    uint64_t len;   /* bytes fed so far */
};

void hash_init(struct hash *h);
void hash_bytes(struct hash *h, const void *data, size_t len);
/* A string and its end, so that ("ab", "c") and ("a", "bc") differ; NULL
 * is its own value. */
void hash_str(struct hash *h, const char *s);
void hash_u64(struct hash *h, uint64_t v);
/* This program, as a file: its version and the identity of its binary, so
 * that what a digest stands for cannot outlive a change of the code that
 * made it, whatever the version says. */
void hash_program(struct hash *h);
/* The first half of the digest of data alone: a map's hash, a checksum. */
uint64_t hash64(const void *data, size_t len);
/* The digest; h may be fed on after it. */
void hash_final(const struct hash *h, uint64_t out[2]);

#endif
