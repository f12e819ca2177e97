/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-emc: the exact-match cache, the first lookup stage of a PMD thread.
 *
 * A per-PMD hash table from a packet's full flow key (struct flow_key: map,
 * words and hash) to a cached datapath flow, opaque here ('void *').  It is
 * owned by one PMD thread and never shared, so it takes no locks.  Entries
 * sit in buckets of DP_EMC_WAYS slots chosen by the key hash; insertion
 * replaces the entry with the same key, else an empty slot, else the slot
 * the hash picks.
 *
 * Flow lifetime.  The EMC holds plain pointers.  When flows are deleted the
 * datapath marks them dead; each PMD, before it reports a quiescent state,
 * calls dp_emc_purge() to drop entries whose flow is dead.  Dead flows are
 * freed only after a grace period, so a pointer found in the EMC is always
 * valid memory for the PMD holding it.
 */
#ifndef TERN_DP_EMC_H
#define TERN_DP_EMC_H 1

#include "lib/flow.h"

#define DP_EMC_WAYS            2
#define DP_EMC_DEFAULT_ENTRIES 8192

struct dp_emc;

/* Creates a cache of 'n_entries' (rounded up to a power of 2, min 16). */
struct dp_emc *dp_emc_create(size_t n_entries);
void dp_emc_destroy(struct dp_emc *);

/* Returns the flow cached for 'key' or NULL.  Compares the hash, then the
 * map, then the words in the map: 'key' must be finished (map and hash as
 * flow_key_finish() or flow_extract() set them). */
void *dp_emc_lookup(const struct dp_emc *, const struct flow_key *key);
/* Caches 'flow' for 'key' (copied; the cache does not own 'flow').  A NULL
 * 'flow' drops the entry for 'key', if any. */
void dp_emc_insert(struct dp_emc *, const struct flow_key *key, void *flow);
/* Drops every entry whose flow 'is_dead' says is dead; returns how many.
 * Walks the whole cache: call it when flows have died, not every
 * iteration. */
size_t dp_emc_purge(struct dp_emc *, bool (*is_dead)(const void *flow));
/* Drops every entry. */
void dp_emc_clear(struct dp_emc *);
/* Number of entries in use. */
size_t dp_emc_count(const struct dp_emc *);

#endif /* TERN_DP_EMC_H */
