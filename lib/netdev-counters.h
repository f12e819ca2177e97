/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-counters: the packet counters of the netdev providers that move
 * frames through a file descriptor themselves (netdev-system.c's
 * AF_PACKET socket, netdev-tap.c's tap device).  A provider embeds one
 * struct netdev_counters in its device; its rx and tx functions add what a
 * batch did to one direction with one call, and its get_stats reads them
 * all at once.
 *
 * Threads: each counter is one relaxed atomic, so the thread polling a
 * queue adds while the main thread reads; a reader sees every counter at
 * some recent value (the set is not a snapshot).
 */
#ifndef TERN_NETDEV_COUNTERS_H
#define TERN_NETDEV_COUNTERS_H 1

#include <stdatomic.h>
#include <stdint.h>

#include "lib/netdev.h"

/* One direction's counters. */
struct netdev_counters_dir {
    _Atomic uint64_t packets; /* Delivered (rx) or sent (tx). */
    _Atomic uint64_t bytes;   /* Their bytes. */
    _Atomic uint64_t dropped; /* For want of room or of a link. */
    _Atomic uint64_t errors;  /* Refused as bad, or failed. */
};

struct netdev_counters {
    struct netdev_counters_dir rx, tx;
};

static inline void
netdev_counters_add__(_Atomic uint64_t *c, uint64_t n)
{
    if (n) {
        atomic_fetch_add_explicit(c, n, memory_order_relaxed);
    }
}

/* Adds what one batch did to 'dir' (the rx or tx member of a device's
 * counters, owned by the caller). */
static inline void
netdev_counters_add(struct netdev_counters_dir *dir, uint64_t packets,
                    uint64_t bytes, uint64_t dropped, uint64_t errors)
{
    netdev_counters_add__(&dir->packets, packets);
    netdev_counters_add__(&dir->bytes, bytes);
    netdev_counters_add__(&dir->dropped, dropped);
    netdev_counters_add__(&dir->errors, errors);
}

static inline uint64_t
netdev_counters_load__(const _Atomic uint64_t *c)
{
    return atomic_load_explicit((_Atomic uint64_t *)c, memory_order_relaxed);
}

/* Stores the counters of 'c' into 'stats' (both owned by the caller);
 * leaves the members of 'stats' that 'c' does not count alone. */
static inline void
netdev_counters_read(const struct netdev_counters *c,
                     struct netdev_stats *stats)
{
    stats->rx_packets = netdev_counters_load__(&c->rx.packets);
    stats->rx_bytes = netdev_counters_load__(&c->rx.bytes);
    stats->rx_dropped = netdev_counters_load__(&c->rx.dropped);
    stats->rx_errors = netdev_counters_load__(&c->rx.errors);
    stats->tx_packets = netdev_counters_load__(&c->tx.packets);
    stats->tx_bytes = netdev_counters_load__(&c->tx.bytes);
    stats->tx_dropped = netdev_counters_load__(&c->tx.dropped);
    stats->tx_errors = netdev_counters_load__(&c->tx.errors);
}

#endif /* TERN_NETDEV_COUNTERS_H */
