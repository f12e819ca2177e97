/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-emc: the per-PMD exact-match cache (see dp-emc.h), consulted before
 * the megaflow classifier for every packet.
 *
 * Layout.  Buckets of DP_EMC_WAYS slots.  The slots' hashes and flow
 * pointers sit together in a 32-byte bucket header, so a miss, or the
 * choice between the ways, reads half a cache line; the keys (map and
 * words) are kept in a parallel array and read only when a hash matches.
 * A slot is in use when its flow pointer is non-NULL.
 *
 * Single-threaded: one PMD owns the cache, no locks, no atomics.
 */
#include <config.h>

#include "datapath/dp-emc.h"

#include <stdalign.h>
#include <stdlib.h>

BUILD_ASSERT(DP_EMC_WAYS >= 1);

struct dp_emc_bucket {
    alignas(32) uint32_t hashes[DP_EMC_WAYS];
    void *flows[DP_EMC_WAYS];
};

/* The key of one slot. */
struct dp_emc_key {
    uint64_t map;
    struct flow flow;
};

struct dp_emc {
    size_t mask; /* Number of buckets - 1. */
    size_t count;
    struct dp_emc_bucket *buckets;
    struct dp_emc_key *keys; /* keys[bucket * DP_EMC_WAYS + way]. */
};

struct dp_emc *
dp_emc_create(size_t n_entries)
{
    struct dp_emc *emc = xzalloc(sizeof *emc);
    size_t n = 16, n_buckets, size;

    while (n < n_entries) {
        n *= 2;
    }
    n_buckets = DIV_ROUND_UP(n, DP_EMC_WAYS);
    while (n_buckets & (n_buckets - 1)) {
        n_buckets++; /* Only when DP_EMC_WAYS is not a power of 2. */
    }
    emc->mask = n_buckets - 1;

    size = ROUND_UP(n_buckets * sizeof *emc->buckets, 64);
    emc->buckets = aligned_alloc(64, size);
    if (!emc->buckets) {
        tern_fatal("dp-emc: out of memory");
    }
    memset(emc->buckets, 0, size);
    emc->keys = xcalloc(n_buckets * DP_EMC_WAYS, sizeof *emc->keys);
    return emc;
}

void
dp_emc_destroy(struct dp_emc *emc)
{
    if (emc) {
        free(emc->buckets);
        free(emc->keys);
        free(emc);
    }
}

/* True if the slot key 'k' holds the same flow as 'key'. */
static inline bool
dp_emc_key_equal__(const struct dp_emc_key *k, const struct flow_key *key)
{
    const uint64_t *a = flow_u64(&k->flow);
    const uint64_t *b = flow_u64(&key->flow);
    uint64_t diff = 0;

    if (k->map != key->map) {
        return false;
    }
    for (uint64_t m = key->map; m; m &= m - 1) {
        unsigned int i = __builtin_ctzll(m);
        diff |= a[i] ^ b[i];
    }
    return !diff;
}

/* Index in 'emc->keys' of slot 'way' of 'bucket'. */
static inline size_t
dp_emc_slot__(const struct dp_emc *emc, const struct dp_emc_bucket *bucket,
              int way)
{
    return (size_t)(bucket - emc->buckets) * DP_EMC_WAYS + way;
}

void *
dp_emc_lookup(const struct dp_emc *emc, const struct flow_key *key)
{
    const struct dp_emc_bucket *b = &emc->buckets[key->hash & emc->mask];

    for (int way = 0; way < DP_EMC_WAYS; way++) {
        if (b->hashes[way] == key->hash && b->flows[way] &&
            dp_emc_key_equal__(&emc->keys[dp_emc_slot__(emc, b, way)], key)) {
            return b->flows[way];
        }
    }
    return NULL;
}

void
dp_emc_insert(struct dp_emc *emc, const struct flow_key *key, void *flow)
{
    struct dp_emc_bucket *b = &emc->buckets[key->hash & emc->mask];
    struct dp_emc_key *k;
    int way;

    /* Same key: update in place. */
    for (way = 0; way < DP_EMC_WAYS; way++) {
        if (b->flows[way] && b->hashes[way] == key->hash &&
            dp_emc_key_equal__(&emc->keys[dp_emc_slot__(emc, b, way)], key)) {
            if (!flow) {
                emc->count--;
            }
            b->flows[way] = flow;
            return;
        }
    }
    if (!flow) {
        return;
    }

    /* An empty slot, else the victim the hash picks (bits above those
     * that chose the bucket). */
    for (way = 0; way < DP_EMC_WAYS; way++) {
        if (!b->flows[way]) {
            break;
        }
    }
    if (way == DP_EMC_WAYS) {
        way = (key->hash >> 24) % DP_EMC_WAYS;
    } else {
        emc->count++;
    }

    b->hashes[way] = key->hash;
    b->flows[way] = flow;
    k = &emc->keys[dp_emc_slot__(emc, b, way)];
    k->map = key->map;
    k->flow = key->flow;
}

size_t
dp_emc_purge(struct dp_emc *emc, bool (*is_dead)(const void *flow))
{
    size_t n = 0;

    for (size_t i = 0; i <= emc->mask; i++) {
        struct dp_emc_bucket *b = &emc->buckets[i];

        for (int way = 0; way < DP_EMC_WAYS; way++) {
            if (b->flows[way] && is_dead(b->flows[way])) {
                b->flows[way] = NULL;
                n++;
            }
        }
    }
    emc->count -= n;
    return n;
}

void
dp_emc_clear(struct dp_emc *emc)
{
    memset(emc->buckets, 0, (emc->mask + 1) * sizeof *emc->buckets);
    emc->count = 0;
}

size_t
dp_emc_count(const struct dp_emc *emc)
{
    return emc->count;
}
