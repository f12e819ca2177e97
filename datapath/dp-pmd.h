/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-pmd: the forwarding threads of the userspace datapath.
 *
 * Threads.  A datapath runs one PMD ("poll mode driver") pthread per CPU of
 * its "pmd-cpu-mask" (default: one, on the highest-numbered CPU the process
 * may use other than the main thread's; CPU 0 on a one-CPU machine).  Each
 * is pinned to its CPU, registers with DPDK (dpdk_register_thread()) and as
 * an RCU reader, and loops until its 'exit' flag is set.  It never blocks
 * and never waits for the main thread; the only lock it may take is the
 * flow table's writer mutex, to install a flow after an upcall.
 *
 * Rx queues.  The rx queues of every port whose class polls on PMDs are
 * spread over the PMDs round robin, by port number then queue id; those of
 * classes marked main_thread_rx (tap and internal ports) are read by the
 * main thread instead (dp-nonpmd.h).  Each PMD reads its poll list, an
 * immutable array that the main thread replaces (rcu_publish()) on every
 * port add, delete or PMD change; a netdev is closed only after a grace
 * period, when no PMD can still poll or send on it.
 *
 * Tx queues.  Ports ask for n_pmds + 1 tx queues: queue 0 belongs to the
 * main thread (dpif_execute()), queue i + 1 to PMD i.  A port that granted
 * fewer is used with concurrent_txq (the provider's per-queue spinlock).
 *
 * One iteration.  For each rx queue: receive a burst of up to 32 packets,
 * set in_port, then dp_pmd_process() (see below).  After all queues, flush
 * the per-port output batches, account the iteration's TSC cycles as busy
 * or idle, purge the exact-match cache if the flow table generation
 * changed, and report a quiescent state (rcu_quiesce()).
 *
 * The main thread has a 'struct dp_pmd' too (is_main, no thread, no
 * exact-match cache, tx queue 0): it runs dpif_execute() and appears as
 * "main thread" in pmd-stats-show.
 */
#ifndef TERN_DP_PMD_H
#define TERN_DP_PMD_H 1

#include <pthread.h>
#include <stdatomic.h>

#include "datapath/dp-perf.h"
#include "lib/dp-actions.h"
#include "lib/dp-packet.h"

struct dpif;
struct dp_port;
struct dp_port_map;
struct dp_flow;
struct dp_emc;

/* One rx queue to poll. */
struct dp_poll_entry {
    struct dp_port *port;
    int qid;
};

/* Immutable once published. */
struct dp_poll_list {
    size_t n;
    struct dp_poll_entry entries[];
};

/* Recirculation passes allowed per packet. */
#define DP_PMD_MAX_RECIRC_DEPTH 6
/* Output ports one burst may batch for at once. */
#define DP_PMD_MAX_TX_PORTS 16

struct dp_tx_pending {
    struct dp_port *port;
    struct dp_packet_batch batch;
};

/* Packets of one burst that hit the same flow. */
struct dp_flow_group {
    struct dp_flow *flow;
    uint64_t n_bytes;
    uint16_t tcp_flags;
    uint16_t slot; /* In dp_pmd's 'group_index'. */
    struct dp_packet_batch batch;
};
/* The index from flow to group: twice the groups a burst may have. */
#define DP_PMD_GROUP_BITS  6
#define DP_PMD_GROUP_SLOTS (1u << DP_PMD_GROUP_BITS)
BUILD_ASSERT(DP_PMD_GROUP_SLOTS >= 2 * DP_PACKET_BATCH_SIZE);

/* The in_port cache: while the megaflow table has a single mask and it
 * matches only on in_port (and recirc_id), the flow of a burst depends on
 * nothing but its in_port and recirc_id, so no key needs extracting.  One
 * entry per in_port modulo DP_PMD_PORT_CACHE. */
#define DP_PMD_PORT_CACHE 16
struct dp_port_cache_entry {
    struct dp_flow *flow;           /* NULL if empty. */
    const struct dp_flow *rejected; /* Last flow found not to qualify. */
    uint32_t in_port;
    uint32_t recirc_id;
    uint32_t recirc_mask; /* 0 or UINT32_MAX: the flow's recirc_id mask. */
};

struct dp_pmd {
    struct dpif *dp;
    unsigned core_id; /* CPU; UINT32_MAX for the main thread. */
    int numa_id;
    int tx_qid;
    bool is_main;

    /* Thread control: set by the main thread. */
    pthread_t thread;
    bool started;
    _Atomic bool exit;
    struct dp_poll_list *_Atomic poll; /* rcu_get() to read. */

    struct dp_perf perf;
    long long start_ms; /* Main thread: creation or last clear. */

    /* Owned by the forwarding thread. */
    struct dp_emc *emc; /* NULL for the main thread. */
    /* Flows here are dropped with the dead flows of the EMC (same rules). */
    struct dp_port_cache_entry port_cache[DP_PMD_PORT_CACHE];
    uint32_t flow_gen;   /* Flow table generation last purged for. */
    uint32_t rand;       /* PRNG state for EMC insertion. */
    long long now;       /* time_msec(), refreshed at most once a ms. */
    uint64_t now_tsc;    /* TSC when 'now' was read. */
    uint64_t tsc_per_ms; /* TSC ticks a millisecond; 0 without DPDK. */
    const struct dp_port_map *ports; /* Port snapshot of this iteration. */
    uint64_t cnt[DP_PERF_N];         /* This iteration's counts. */

    struct flow_key keys[DP_PACKET_BATCH_SIZE];
    struct dp_flow *flows[DP_PACKET_BATCH_SIZE];
    struct dp_flow_group groups[DP_PACKET_BATCH_SIZE];
    uint8_t group_index[DP_PMD_GROUP_SLOTS]; /* All zero between bursts. */
    struct dp_tx_pending tx[DP_PMD_MAX_TX_PORTS];
    size_t n_tx;
    struct dp_packet_batch recirc;

    /* Upcall scratch: actions of a miss upcall, and a second buffer for
     * DPA_USERSPACE upcalls, which may run while the first one's actions
     * execute. */
    struct dp_actions_buf uc_actions;
    struct dp_actions_buf uc_scratch;
    struct flow_key uc_key;
};

/* Main thread.  Creates the PMD for CPU 'core_id' with tx queue 'tx_qid'
 * (not started), or the main thread's (core_id UINT32_MAX). */
struct dp_pmd *dp_pmd_create(struct dpif *, unsigned core_id, int tx_qid);
/* Starts the thread.  Returns 0 or a positive errno. */
int dp_pmd_start(struct dp_pmd *);
/* Stops the thread (if started) and waits for it to exit. */
void dp_pmd_stop(struct dp_pmd *);
/* Frees a stopped PMD, its poll list and cache. */
void dp_pmd_destroy(struct dp_pmd *);
/* Publishes 'list' (taken over) as the PMD's poll list; the old list is
 * freed after a grace period. */
void dp_pmd_set_poll_list(struct dp_pmd *, struct dp_poll_list *list);

/* Forwarding thread: runs one burst received on 'in_port' (packets' md
 * already set) through lookup, upcalls and actions; takes the packets.
 * Outputs stay batched until dp_pmd_flush_tx(). */
void dp_pmd_process(struct dp_pmd *, struct dp_packet_batch *);
/* Forwarding thread: sends every pending output batch. */
void dp_pmd_flush_tx(struct dp_pmd *);
/* Main thread pmd: runs 'actions' on 'packet' (taken), recirculating as
 * needed, and sends the outputs at once. */
void dp_pmd_execute(struct dp_pmd *, struct dp_packet *packet,
                    const void *actions, size_t len);

/* CPU placement.  The set of CPUs the process may use (captured before
 * DPDK pins the main thread) and the default PMD CPU. */
unsigned dp_pmd_default_cpu(void);
/* Parses a hex CPU mask ("0x6", "6", "" = default) into at most 'max'
 * CPU numbers in 'cpus'; CPUs the process may not use are left out with a
 * warning.  Returns the count, or -1 with a message in *errp if 's' is not
 * a hex mask. */
int dp_pmd_parse_cpu_mask(const char *s, unsigned *cpus, int max, char **errp);
/* NUMA node of 'cpu' (0 if unknown). */
int dp_pmd_cpu_numa(unsigned cpu);

#endif /* TERN_DP_PMD_H */
