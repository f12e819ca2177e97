/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-netdev-private: the layout of a userspace datapath, shared by the
 * files that implement datapath/dpif.h (dpif-netdev.c: the API, ports and
 * configuration; dp-flow.c: the flow table; dp-pmd.c and dp-process.c: the
 * forwarding threads; dp-perf.c: counters and unixctl commands).  Nothing
 * outside datapath/ includes it.
 *
 * Threads.  Fields marked "main" are read and written by the main thread
 * only.  Fields marked "RCU" are immutable objects published with
 * rcu_publish() and read by PMD threads with rcu_get(); replaced objects
 * are freed through rcu_postpone().  Configuration read by PMDs is atomic.
 */
#ifndef TERN_DPIF_NETDEV_PRIVATE_H
#define TERN_DPIF_NETDEV_PRIVATE_H 1

#include <stdatomic.h>

#include "datapath/dp-flow.h"
#include "datapath/dp-perf.h"
#include "datapath/dp-pmd.h"
#include "datapath/dpif.h"

/* A port.  Immutable while any PMD runs, except the rx queue cycle
 * counters (each written by the PMD polling that queue). */
struct dp_port {
    uint32_t port_no;
    struct netdev *netdev; /* Owned. */
    int n_rxq;
    bool concurrent_txq;          /* Fewer tx queues than sending threads. */
    _Atomic uint64_t *rxq_cycles; /* [n_rxq]: busy TSC cycles per queue. */
    uint64_t change_seq; /* main: netdev_get_change_seq() last acted on. */
};

/* RCU snapshot of the port table for PMD threads. */
struct dp_port_map {
    struct dp_port *ports[DPIF_MAX_PORTS];
};

/* RCU: the registered upcall callback, published as one object so that a
 * reader never pairs a callback with another's 'aux'. */
struct dp_upcall_reg {
    dpif_upcall_cb *cb;
    void *aux;
};

#define DP_MAX_PMDS 128

struct dpif {
    char *name; /* main */

    /* Ports. */
    struct dp_port *ports[DPIF_MAX_PORTS]; /* main */
    struct dp_port_map *_Atomic port_map;  /* RCU */

    /* Flows. */
    struct dp_flow_table flows;
    long long max_idle;    /* main: ms. */
    long long next_expire; /* main */

    /* Configuration read by PMDs. */
    _Atomic uint32_t emc_insert_inv_prob; /* 0: never insert. */
    struct dp_upcall_reg *_Atomic upcall; /* RCU, NULL if none. */

    /* Meters (datapath/dp-meter.h: set by main, run by PMDs). */
    struct dp_meters *meters;

    /* Threads (main). */
    struct dp_pmd *pmds[DP_MAX_PMDS];
    size_t n_pmds;
    struct dp_pmd *main_pmd;
    char *pmd_cpu_mask; /* As configured ("" = default). */
    /* Raw counters of PMDs that have been destroyed (for dpif stats). */
    uint64_t retired[DP_PERF_N];
    /* main: earliest time (ms) for the next port reconfiguration, so that a
     * device asking again and again cannot keep the PMDs stopped. */
    long long next_port_reconfigure;
};

/* Main thread: the datapath called 'name', the only one if 'name' is NULL
 * and exactly one exists, else NULL. */
struct dpif *dpif_netdev_find(const char *name);

#endif /* TERN_DPIF_NETDEV_PRIVATE_H */
