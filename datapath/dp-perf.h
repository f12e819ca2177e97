/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-perf: the per-thread counters of the userspace datapath and the
 * dpif-netdev/ unixctl commands that show them.
 *
 * Every forwarding thread (each PMD thread, and the main thread for
 * dpif_execute()) owns one 'struct dp_perf'.  The owner is the only writer
 * of its counters: it accumulates a burst's counts in plain locals and adds
 * them once per iteration with relaxed atomic load + store (no locked
 * instruction, no lock).  Any thread may read them with relaxed loads.
 *
 * Clearing ("pmd-stats-clear") never writes the owner's counters: the main
 * thread copies the current values into 'zero', a baseline it owns, and
 * readers report the difference.  So the owner keeps counting undisturbed
 * and a clear takes effect at once.
 *
 * Cycle accounting uses the TSC (rte_rdtsc()).  An iteration of a PMD loop
 * is "busy" if it received at least one packet, "idle" otherwise; its TSC
 * cycles go to DP_PERF_CYCLES_BUSY or DP_PERF_CYCLES_IDLE.  Cycles spent in
 * upcalls are also counted apart (they are part of busy cycles).
 *
 * The text formats of pmd-stats-show, pmd-perf-show and pmd-rxq-show follow
 * Open vSwitch 3.1's, so scripts written for it keep working; counters that
 * Tern does not have (hardware offload, miniflow extract and signature match
 * cache hits) print as 0; the in_port cache's hits are the simple match
 * hits.
 */
#ifndef TERN_DP_PERF_H
#define TERN_DP_PERF_H 1

#include <stdatomic.h>

#include "lib/util.h"

/* The counters, from one list: enum name and a description. */
#define DP_PERF_COUNTERS(C)                                                   \
    C(RECV, "packets received from rx queues")                                \
    C(RECIRC, "packets re-entering lookup after recirculation")               \
    C(SIMPLE_HIT, "in_port cache hits (Open vSwitch's simple match)")         \
    C(EMC_HIT, "exact-match cache hits")                                      \
    C(MASKED_HIT, "megaflow classifier hits")                                 \
    C(MASKED_LOOKUP, "subtable lookups made for megaflow hits")               \
    C(MISS, "misses whose upcall succeeded")                                  \
    C(LOST, "misses whose upcall failed (packet dropped)")                    \
    C(SENT_PKTS, "packets handed to netdev_send()")                           \
    C(SENT_BATCHES, "netdev_send() calls")                                    \
    C(ITER_IDLE, "loop iterations without packets")                           \
    C(ITER_BUSY, "loop iterations with packets")                              \
    C(CYCLES_IDLE, "TSC cycles of idle iterations")                           \
    C(CYCLES_BUSY, "TSC cycles of busy iterations")                           \
    C(CYCLES_UPCALL, "TSC cycles spent in upcalls")

enum dp_perf_counter {
#define DP_PERF_ENUM__(NAME, DESC) DP_PERF_##NAME,
    DP_PERF_COUNTERS(DP_PERF_ENUM__)
#undef DP_PERF_ENUM__
        DP_PERF_N
};

struct dp_perf {
    _Atomic uint64_t n[DP_PERF_N]; /* Written by the owner thread only. */
    uint64_t zero[DP_PERF_N];      /* Baseline of the last clear; main. */
    long long clear_ms;            /* time_msec() of the last clear; main. */
};

/* Owner thread: adds 'delta' to counter 'c'. */
static inline void
dp_perf_add(struct dp_perf *p, enum dp_perf_counter c, uint64_t delta)
{
    /* Single writer: a relaxed load and store suffice; readers see either
     * value, never a torn one. */
    uint64_t v = atomic_load_explicit(&p->n[c], memory_order_relaxed);
    atomic_store_explicit(&p->n[c], v + delta, memory_order_relaxed);
}

/* Owner thread: adds every non-zero entry of 'deltas' and zeroes it. */
void dp_perf_add_all(struct dp_perf *, uint64_t deltas[DP_PERF_N]);

/* Main thread: zeroes everything (before the owner starts). */
void dp_perf_init(struct dp_perf *);
/* Any thread: stores in 'out' the counts since the last clear. */
void dp_perf_read(const struct dp_perf *, uint64_t out[DP_PERF_N]);
/* Any thread: stores in 'out' the counts since dp_perf_init(). */
void dp_perf_read_raw(const struct dp_perf *, uint64_t out[DP_PERF_N]);
/* Main thread: makes the current counts the new zero. */
void dp_perf_clear(struct dp_perf *);

/* Main thread: the unixctl commands.  'argv' as unixctl passes it
 * (argv[0] is the command name).  Returns NULL with the reply text appended
 * to 'reply', or an error message the caller frees.  Exposed so that tests
 * can run the commands without a control socket. */
char *dp_perf_pmd_stats_show(int argc, const char *argv[], struct ds *reply);
char *dp_perf_pmd_perf_show(int argc, const char *argv[], struct ds *reply);
char *dp_perf_pmd_rxq_show(int argc, const char *argv[], struct ds *reply);
char *dp_perf_pmd_stats_clear(int argc, const char *argv[], struct ds *reply);

#endif /* TERN_DP_PERF_H */
