/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-flow: the datapath's cached megaflows and the table that holds them.
 *
 * A 'struct dp_flow' is a classifier rule (masked key + mask, priority 0)
 * with an action list, statistics and a 'dead' flag.  The table of one
 * datapath ('struct dp_flow_table') is a single classifier shared by all its
 * PMD threads:
 *
 *   - Readers (PMD threads, in the packet path) look flows up without locks
 *     under RCU (lib/rcu.h), through the classifier or their exact-match
 *     cache, and read the action list with rcu_get().
 *   - Writers (the main thread for put/del/flush/expiry, and PMD threads
 *     installing the result of an upcall) serialise on 'mutex', which is
 *     never held across I/O or a callback into the caller.
 *
 * Keys.  On every install the mask is widened to the prerequisites of the
 * fields it covers (flow_wildcards_add_prereqs()), in_port must be exact,
 * and the key is stored masked; a (key, mask) pair so normalised identifies
 * a flow.
 *
 * Actions are an immutable blob.  Modifying a flow publishes a new blob and
 * retires the old one with rcu_postpone().
 *
 * Statistics are updated once per burst and flow (never per packet, never
 * under a lock).  The first thread to account a flow becomes its owner and
 * adds to the packet and byte counters with plain loads and stores (it is
 * their only writer); any other thread adds to a second pair with atomic
 * read-modify-writes.  A locked add per flow and burst cost more than the
 * rest of an exact-match hit when every packet of a burst has its own flow,
 * and one thread per flow is the common case (a port's queue is polled by
 * one thread).  Zeroing records the current totals as a base that readers
 * subtract, so it never races with the owner's stores.
 *
 * Deletion marks the flow dead (release), removes it from the classifier,
 * bumps the table generation 'gen' (release) and frees the flow after two
 * grace periods.  A PMD that sees 'gen' change drops dead flows from its
 * exact-match cache (dp_emc_purge() with dp_flow_is_dead()) before its next
 * quiescent point; the second grace period makes sure every PMD has done so
 * before the memory goes, so the purge itself never touches freed memory.
 * A dead flow found in an exact-match cache in between is treated as a miss.
 */
#ifndef TERN_DP_FLOW_H
#define TERN_DP_FLOW_H 1

#include <pthread.h>
#include <stdatomic.h>

#include "datapath/dpif.h"
#include "lib/classifier.h"

/* An immutable action list. */
struct dp_flow_actions {
    uint32_t len;
    uint32_t pad;
    uint8_t data[]; /* 'len' bytes, 8-byte aligned. */
};

struct dp_flow {
    /* What the packet path reads or writes for every packet, on the cache
     * line before the key (flows are 64-byte aligned). */
    struct dp_flow_actions *_Atomic actions; /* rcu_get() to read. */
    /* The port if 'actions' is a single output, the common case, else
     * UINT32_MAX: the packet path need not read the actions then.  Set
     * after each new 'actions' is published. */
    _Atomic uint32_t out_port;
    _Atomic bool dead;
    /* Statistics (see above).  'owner' is the accounting thread's token,
     * NULL until one claims it; only that thread writes 'n_packets' and
     * 'n_bytes'; the others add to the '_shared' pair. */
    _Atomic(const void *) owner;
    _Atomic uint64_t n_packets;
    _Atomic uint64_t n_bytes;
    _Atomic long long used;
    _Atomic uint16_t tcp_flags;

    _Alignas(64) struct cls_rule cr; /* Masked key and mask; priority 0. */

    _Atomic uint64_t n_packets_shared;
    _Atomic uint64_t n_bytes_shared;
    /* The totals at the last zeroing (written by table writers). */
    _Atomic uint64_t base_packets;
    _Atomic uint64_t base_bytes;
    long long created; /* time_msec() at install. */
};

static inline struct dp_flow *
dp_flow_from_rule(const struct cls_rule *rule)
{
    return rule ? CONTAINER_OF(rule, struct dp_flow, cr) : NULL;
}

/* Any thread: true once the flow has been deleted.  For dp_emc_purge(). */
bool dp_flow_is_dead(const void *flow);

/* Reader: adds a burst's counts to the flow's statistics.  'self' is the
 * calling thread's token: any non-null pointer no other live thread uses
 * (a PMD passes its 'struct dp_pmd'). */
static inline void
dp_flow_account(struct dp_flow *flow, const void *self, uint32_t n_packets,
                uint64_t n_bytes, uint16_t tcp_flags, long long now)
{
    const void *owner =
        atomic_load_explicit(&flow->owner, memory_order_relaxed);

    if (!owner) {
        /* Loses, harmlessly, to a thread that claimed it meanwhile. */
        atomic_compare_exchange_strong_explicit(&flow->owner, &owner, self,
                                                memory_order_relaxed,
                                                memory_order_relaxed);
        owner = atomic_load_explicit(&flow->owner, memory_order_relaxed);
    }
    if (owner == self) {
        /* The only writer of these two: no read-modify-write needed. */
        atomic_store_explicit(
            &flow->n_packets,
            atomic_load_explicit(&flow->n_packets, memory_order_relaxed) +
                n_packets,
            memory_order_relaxed);
        atomic_store_explicit(
            &flow->n_bytes,
            atomic_load_explicit(&flow->n_bytes, memory_order_relaxed) +
                n_bytes,
            memory_order_relaxed);
    } else {
        atomic_fetch_add_explicit(&flow->n_packets_shared, n_packets,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&flow->n_bytes_shared, n_bytes,
                                  memory_order_relaxed);
    }
    atomic_store_explicit(&flow->used, now, memory_order_relaxed);
    /* Locked only when a flag is new to the flow. */
    if (tcp_flags &
        ~atomic_load_explicit(&flow->tcp_flags, memory_order_relaxed)) {
        atomic_fetch_or_explicit(&flow->tcp_flags, tcp_flags,
                                 memory_order_relaxed);
    }
}

/* Any thread: a snapshot of the flow's statistics. */
void dp_flow_get_stats(const struct dp_flow *, struct dpif_flow_stats *);

/* The flow table of one datapath. */
struct dp_flow_table {
    pthread_mutex_t mutex;  /* Serialises writers. */
    struct classifier *cls; /* Writers hold 'mutex'; readers use RCU. */
    _Atomic uint32_t gen;   /* Bumped after every deletion. */
    _Atomic uint32_t limit; /* Maximum number of flows. */
    long long next_rank;    /* Main thread: next subtable ranking. */
};

#define DP_FLOW_DEFAULT_LIMIT 200000

void dp_flow_table_init(struct dp_flow_table *);
/* Deletes every flow and frees the classifier.  No reader may run. */
void dp_flow_table_destroy(struct dp_flow_table *);

/* Normalises a (key, mask) pair as installs do: 'mask' NULL means exact;
 * stores the widened mask in 'wc' and the masked key in 'mkey'.  Returns 0
 * or EINVAL if in_port is not exact. */
int dp_flow_normalize(const struct flow *key,
                      const struct flow_wildcards *mask, struct flow *mkey,
                      struct flow_wildcards *wc);

/* Main thread: dpif_flow_put(), dpif_flow_del(), dpif_flow_flush(),
 * dpif_flow_dump() and dpif_flow_get() semantics (see datapath/dpif.h);
 * actions must already be validated. */
int dp_flow_table_put(struct dp_flow_table *, enum dpif_flow_put_flags,
                      const struct flow *key,
                      const struct flow_wildcards *mask, const void *actions,
                      size_t actions_len, struct dpif_flow_stats *stats);
int dp_flow_table_del(struct dp_flow_table *, const struct flow *key,
                      const struct flow_wildcards *mask,
                      struct dpif_flow_stats *stats);
void dp_flow_table_flush(struct dp_flow_table *);
void dp_flow_table_dump(struct dp_flow_table *,
                        void (*cb)(const struct dpif_flow *, void *aux),
                        void *aux);
int dp_flow_table_get(struct dp_flow_table *, const struct flow *key,
                      struct dpif_flow *flow, void **actionsp);

/* Any thread (a PMD after an upcall): installs the megaflow (key & wc, wc,
 * actions) unless a flow with that match exists, which is returned instead.
 * 'wc' gets in_port forced exact and its prerequisites added.  Returns NULL
 * if the flow limit is reached.  The returned flow stays valid until the
 * caller's next quiescent point. */
struct dp_flow *dp_flow_table_install(struct dp_flow_table *,
                                      const struct flow *key,
                                      struct flow_wildcards *wc,
                                      const void *actions, size_t len);

/* Main thread: deletes flows unused for more than 'max_idle' ms at 'now';
 * returns how many. */
size_t dp_flow_table_expire(struct dp_flow_table *, long long now,
                            long long max_idle);
/* Main thread: re-ranks classifier subtables at most once a second. */
void dp_flow_table_run(struct dp_flow_table *, long long now);

size_t dp_flow_table_count(const struct dp_flow_table *);
size_t dp_flow_table_n_masks(const struct dp_flow_table *);

#endif /* TERN_DP_FLOW_H */
