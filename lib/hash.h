/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hash: fast non-cryptographic hashing for hash tables, the exact-match
 * cache and flow keys.  Everything is inline so that hashing a flow key on
 * the packet path costs a handful of multiplies and no call.
 *
 * Design.  The state is a 64-bit accumulator.  hash_add64() multiplies each
 * input word by an odd constant, folds its high bits down (xorshift), xors
 * it into the state and then rotates and multiplies the state, so word
 * order matters and every input bit reaches every state bit after a few
 * rounds.  hash_finish() runs a final avalanche (two multiply-xorshift
 * rounds) and returns the low 32 bits.  hash_add() takes 32-bit words for
 * callers that hash smaller things; it shares the same round.
 *
 * The results are stable within one build only: never store them on disk
 * or send them on the wire.  Not resistant to chosen-input flooding.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_HASH_H
#define TERN_HASH_H 1

#include <stdint.h>
#include <string.h>

#define HASH_MUL1 0x9e3779b97f4a7c15ULL /* 2^64 / golden ratio, odd. */
#define HASH_MUL2 0xd6e8feb86659fd93ULL
#define HASH_MUL3 0xa0761d6478bd642fULL

static inline uint64_t
hash_rotl64(uint64_t x, unsigned int r)
{
    return (x << r) | (x >> ((64 - r) & 63));
}

/* Mixes the 64-bit 'word' into the accumulator 'h' and returns the new
 * accumulator. */
static inline uint64_t
hash_add64(uint64_t h, uint64_t word)
{
    word *= HASH_MUL1;
    word ^= word >> 29;
    h ^= word;
    return hash_rotl64(h, 27) * HASH_MUL2 + HASH_MUL3;
}

/* Mixes a 32-bit word into 'h'. */
static inline uint64_t
hash_add(uint64_t h, uint32_t word)
{
    return hash_add64(h, word);
}

/* Final avalanche: mixes 'final' (usually the input length) into 'h' and
 * returns a 32-bit hash. */
static inline uint32_t
hash_finish(uint64_t h, uint64_t final)
{
    h ^= final * HASH_MUL3;
    h ^= h >> 32;
    h *= HASH_MUL1;
    h ^= h >> 29;
    h *= HASH_MUL2;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* Hash of the 'n' 64-bit words at 'p' (which need not be aligned). */
static inline uint32_t
hash_words64(const void *p, size_t n, uint32_t basis)
{
    const unsigned char *b = (const unsigned char *)p;
    uint64_t h = basis;

    for (size_t i = 0; i < n; i++) {
        uint64_t w;
        memcpy(&w, b + i * 8, 8);
        h = hash_add64(h, w);
    }
    return hash_finish(h, n * 8);
}

/* Hash of the 'n' bytes at 'p'. */
static inline uint32_t
hash_bytes(const void *p, size_t n, uint32_t basis)
{
    const unsigned char *b = (const unsigned char *)p;
    uint64_t h = basis;
    size_t i;

    for (i = 0; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = hash_add64(h, w);
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, b + i, n - i);
        h = hash_add64(h, w);
    }
    return hash_finish(h, n);
}

/* Hash of a NUL-terminated string. */
static inline uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}

/* Hash of one 32-bit integer. */
static inline uint32_t
hash_int(uint32_t x, uint32_t basis)
{
    return hash_finish(hash_add64(basis, x), 4);
}

/* Hash of one 64-bit integer. */
static inline uint32_t
hash_uint64(uint64_t x, uint32_t basis)
{
    return hash_finish(hash_add64(basis, x), 8);
}

/* Hash of a pointer value (not of what it points to). */
static inline uint32_t
hash_pointer(const void *p, uint32_t basis)
{
    return hash_uint64((uint64_t)(uintptr_t)p, basis);
}

#endif /* TERN_HASH_H */
