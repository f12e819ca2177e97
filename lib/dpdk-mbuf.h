/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpdk-mbuf: mbuf helpers the DPDK-based netdev providers share
 * (netdev-dpdk.c for ethdev ports, vhost/netdev-vhost.c for vhost-user
 * ports).  Tern's datapath works on single-segment packets, so a frame
 * that a driver or rte_vhost hands over as a chain of segments is copied
 * into one segment first.
 *
 * Threads: any thread registered with DPDK (the mempool caches are per
 * lcore); nothing is shared between calls.
 */
#ifndef TERN_DPDK_MBUF_H
#define TERN_DPDK_MBUF_H 1

struct rte_mbuf;

/* Copies the chained mbuf 'm' into one segment taken from m's own pool and
 * returns it (owned by the caller), or returns NULL if no buffer is free
 * or the frame is longer than one segment can hold.  Frees 'm' either
 * way. */
struct rte_mbuf *dpdk_mbuf_linearize(struct rte_mbuf *m);

#endif /* TERN_DPDK_MBUF_H */
