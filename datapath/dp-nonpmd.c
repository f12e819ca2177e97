/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-nonpmd: receiving on the main thread from the ports whose netdev
 * class is not polled by PMD threads (see dp-nonpmd.h).  The queues are
 * the poll list of the datapath's main dp_pmd, which dpif-netdev.c fills
 * when it assigns rx queues.
 */
#include <config.h>

#include "datapath/dp-nonpmd.h"

#include <poll.h>

#include <rte_cycles.h>

#include "datapath/dpif-netdev-private.h"
#include "lib/netdev-provider.h"
#include "lib/rcu.h"

/* Bursts received per queue per main loop iteration, at most. */
#define DP_NONPMD_MAX_BURSTS 4
/* How often a queue without a file descriptor is polled. */
#define DP_NONPMD_POLL_MS 10

bool
dp_nonpmd_port(const struct dp_port *port)
{
    return port->netdev->class->main_thread_rx;
}

int
dp_nonpmd_poll_fds(const struct dpif *dp, struct pollfd *pfds, int max,
                   int *timeout_ms)
{
    /* The main thread publishes the poll lists, so it reads them
     * directly. */
    const struct dp_poll_list *poll = rcu_get_relaxed(dp->main_pmd->poll);
    int n = 0;

    for (size_t i = 0; poll && i < poll->n; i++) {
        const struct dp_poll_entry *e = &poll->entries[i];
        const struct netdev *netdev = e->port->netdev;
        int fd = netdev->class->rxq_wait_fd
                     ? netdev->class->rxq_wait_fd(netdev, e->qid)
                     : -1;

        if (fd < 0) {
            *timeout_ms = MIN(*timeout_ms, DP_NONPMD_POLL_MS);
        } else if (n < max) {
            pfds[n].fd = fd;
            pfds[n].events = POLLIN;
            pfds[n++].revents = 0;
        }
    }
    return n;
}

/* Receives one burst from 'e' and forwards it.  Returns the packets
 * received. */
static uint32_t
dp_nonpmd_recv__(struct dp_pmd *pmd, const struct dp_poll_entry *e)
{
    uint64_t start = rte_rdtsc();
    struct dp_packet_batch batch;
    _Atomic uint64_t *cycles;
    uint32_t n;

    dp_packet_batch_init(&batch);
    if (netdev_rxq_recv(e->port->netdev, e->qid, &batch) || !batch.count) {
        return 0;
    }
    n = batch.count;
    for (uint32_t j = 0; j < n; j++) {
        batch.packets[j]->md.md.in_port = e->port->port_no;
    }
    pmd->cnt[DP_PERF_RECV] += n;
    dp_pmd_process(pmd, &batch);
    if (pmd->n_tx) {
        dp_pmd_flush_tx(pmd);
    }
    dp_perf_add_all(&pmd->perf, pmd->cnt);

    cycles = &e->port->rxq_cycles[e->qid];
    atomic_store_explicit(cycles,
                          atomic_load_explicit(cycles, memory_order_relaxed) +
                              (rte_rdtsc() - start),
                          memory_order_relaxed);
    return n;
}

void
dp_nonpmd_run(struct dpif *dp)
{
    struct dp_pmd *pmd = dp->main_pmd;
    const struct dp_poll_list *poll = rcu_get_relaxed(pmd->poll);

    if (!poll || !poll->n) {
        return;
    }
    /* The main thread writes the port map, so it may read it directly. */
    pmd->ports = rcu_get_relaxed(dp->port_map);
    for (size_t i = 0; i < poll->n; i++) {
        for (int k = 0; k < DP_NONPMD_MAX_BURSTS; k++) {
            if (dp_nonpmd_recv__(pmd, &poll->entries[i]) <
                DP_PACKET_BATCH_SIZE) {
                break;
            }
        }
    }
}
