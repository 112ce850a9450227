/* hash.c: two 64-bit lanes, each word multiplied in with a different odd
 * constant and rotated, then a final mix of both lanes and the length so
 * that every input bit reaches every output bit. */
#include "hash.h"

#include <string.h>
#include <sys/stat.h>

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xc2b2ae3d27d4eb4fULL
#define K3 0xff51afd7ed558ccdULL

static inline uint64_t
rotl(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

static inline uint64_t
avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= K3;
    x ^= x >> 29;
    x *= K2;
    x ^= x >> 32;
    return x;
}

static inline void
word(struct hash *h, uint64_t w)
{
    h->a = rotl(h->a ^ (w * K1), 31) * K2;
    h->b = rotl(h->b + (w * K2), 27) * K1 ^ h->a;
}

void
hash_init(struct hash *h)
{
    h->a = 0x243f6a8885a308d3ULL;
    h->b = 0x13198a2e03707344ULL;
    h->len = 0;
}

void
hash_bytes(struct hash *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->len += len;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        word(h, w);
    }
    if (len) { /* the tail, with its length so that zeros count */
        uint64_t w = (uint64_t)len << 56;
        memcpy(&w, p, len);
        word(h, w ^ ((uint64_t)len << 56));
    }
}

void
hash_str(struct hash *h, const char *s)
{
    if (!s) {
        hash_u64(h, 0xfffffffffffffffeULL);
        return;
    }
    size_t n = strlen(s);
    hash_bytes(h, s, n);
    hash_u64(h, n);
}

void
hash_u64(struct hash *h, uint64_t v)
{
    h->len += 8;
    word(h, v);
}

void
hash_final(const struct hash *h, uint64_t out[2])
{
    uint64_t a = h->a ^ h->len, b = h->b + h->len * K3;
    out[0] = avalanche(a + rotl(b, 17));
    out[1] = avalanche(b ^ rotl(a, 41) ^ K1);
}

uint64_t
hash64(const void *data, size_t len)
{
    struct hash h;
    uint64_t out[2];
    hash_init(&h);
    hash_bytes(&h, data, len);
    hash_final(&h, out);
    return out[0];
}

void
hash_program(struct hash *h)
{
    hash_str(h, GZ_VERSION);
    struct stat st;
    if (stat("/proc/self/exe", &st) == 0) {
        hash_u64(h, (uint64_t)st.st_size);
        hash_u64(h, (uint64_t)st.st_ino);
        hash_u64(h, (uint64_t)st.st_mtim.tv_sec);
        hash_u64(h, (uint64_t)st.st_mtim.tv_nsec);
    }
}
