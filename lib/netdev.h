/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev: network devices as the datapath sees them — a named port with rx
 * queues to poll, tx queues to send on, statistics and link properties.
 *
 * Clients (the datapath, the bridge layer, dpctl) use only this header and
 * see 'struct netdev' as opaque.  Implementations ("providers": dummy, dpdk,
 * system, and later vhost, afxdp, internal) live behind netdev-provider.h and
 * are chosen by type name.
 *
 * Threads.  netdev_open(), netdev_close(), netdev_set_config(),
 * netdev_set_tx_multiq() and netdev_run() are main-thread only.
 * netdev_rxq_recv() on a given queue is called by exactly one thread at a
 * time (the PMD that polls it).  netdev_send() may be called by several
 * threads at once with different 'qid's; when the device has fewer tx queues
 * than threads, callers pass concurrent_txq=true and the provider serialises
 * with a per-queue spinlock.  Getters (stats, mtu, carrier, status) are safe
 * from any thread.
 */
#ifndef TERN_NETDEV_H
#define TERN_NETDEV_H 1

#include "lib/dp-packet.h"
#include "lib/smap.h"

struct netdev;

struct netdev_stats {
    uint64_t rx_packets;
    uint64_t rx_bytes;
    uint64_t tx_packets;
    uint64_t tx_bytes;
    uint64_t rx_dropped;
    uint64_t tx_dropped;
    uint64_t rx_errors;
    uint64_t tx_errors;
    /* Extra attempts to send a burst whose first attempt was cut short by a
     * full ring (vhost-user "tx-retries-max"); 0 where not applicable. */
    uint64_t tx_retries;
};

/* Registers the built-in providers.  Idempotent; main thread. */
void netdev_register_builtin_providers(void);

/* Returns true when a provider for 'type' is registered. */
bool netdev_type_is_registered(const char *type);
/* Stores up to 'max' registered type names (static strings) in 'types' in
 * registration order and returns how many there are in all. */
size_t netdev_registered_types(const char **types, size_t max);

/* Opens the device 'name' of 'type' ("dummy", "dpdk", "system", ...) with
 * 'options' (may be NULL).  On success stores a new reference in *netdevp
 * and returns 0; on failure returns a positive errno and, if 'errp' is
 * non-NULL, stores a message the caller frees.  Opening a name that is
 * already open returns EEXIST. */
int netdev_open(const char *name, const char *type, const struct smap *options,
                struct netdev **netdevp, char **errp);
/* Stops and frees 'netdev'.  The caller must make sure no thread still
 * polls or sends on it.  NULL is allowed. */
void netdev_close(struct netdev *);

/* Applies new options.  Same error convention as netdev_open(). */
int netdev_set_config(struct netdev *, const struct smap *options,
                      char **errp);
/* Asks for 'n_txq' transmit queues (one per sending thread).  The device
 * may grant fewer; netdev_n_txq() tells.  Returns 0 or a positive errno. */
int netdev_set_tx_multiq(struct netdev *, int n_txq);

const char *netdev_get_name(const struct netdev *);
const char *netdev_get_type(const struct netdev *);
int netdev_n_rxq(const struct netdev *);
int netdev_n_txq(const struct netdev *);

/* Receives up to DP_PACKET_BATCH_SIZE packets from rx queue 'qid' into the
 * empty 'batch'.  Returns 0 with batch->count > 0, EAGAIN if nothing was
 * waiting, or another positive errno.  Received packets belong to the caller
 * and have their metadata reset with in_port 0 (the datapath sets it). */
int netdev_rxq_recv(struct netdev *, int qid, struct dp_packet_batch *batch);

/* Transmits every packet of 'batch' on tx queue 'qid' (taken modulo the
 * device's queue count) and takes ownership of all of them: packets that
 * could not be sent are freed and counted as tx_dropped.  Returns the number
 * of packets sent. */
int netdev_send(struct netdev *, int qid, struct dp_packet_batch *batch,
                bool concurrent_txq);

int netdev_get_stats(const struct netdev *, struct netdev_stats *);
int netdev_get_etheraddr(const struct netdev *, struct eth_addr *);
int netdev_get_mtu(const struct netdev *, int *mtu);
/* Link state: true when up. */
bool netdev_get_carrier(const struct netdev *);
/* Administrative state (e.g. a kernel interface's IFF_UP): true when up;
 * devices without the notion are always up. */
bool netdev_get_admin_up(const struct netdev *);
/* Adds provider-specific status (driver, queues, mode...) to 'status'. */
int netdev_get_status(const struct netdev *, struct smap *status);

/* Reconfiguration requests.  The value changes whenever the device wants
 * to be reconfigured while idle, e.g. a vhost-user guest enabled another
 * queue pair: the client that polls the device (the datapath) remembers the
 * last value it acted on, compares in its main loop and, on a change, stops
 * polling, calls netdev_reconfigure(), reads netdev_n_rxq() again and
 * resumes.  Any thread. */
uint64_t netdev_get_change_seq(const struct netdev *);
/* Applies what the device asked for since the last call (see above); may
 * change netdev_n_rxq() and netdev_n_txq().  The caller makes sure no
 * thread polls or sends on 'netdev' meanwhile.  Returns 0 or a positive
 * errno.  Main thread. */
int netdev_reconfigure(struct netdev *);

/* Periodic main-thread work of every provider (flushing captures, link
 * polling).  Call from the daemon's main loop. */
void netdev_run(void);

/* Returns the open netdev called 'name' or NULL (no new reference). */
struct netdev *netdev_from_name(const char *name);

#endif /* TERN_NETDEV_H */
