/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-provider: the contract between the generic netdev layer and a
 * device implementation.  A provider embeds 'struct netdev' as the first
 * member of its own device struct and publishes one 'struct netdev_class'
 * filled with designated initialisers (see netdev-dummy.c for the model).
 *
 * Each member documents its thread and whether it may be NULL.  The generic
 * layer (netdev.c) owns the name table and calls these members; clients
 * never call them directly.
 */
#ifndef TERN_NETDEV_PROVIDER_H
#define TERN_NETDEV_PROVIDER_H 1

#include <stdatomic.h>

#include <rte_spinlock.h>

#include "lib/netdev.h"

#define NETDEV_MAX_QUEUES 64

/* The base of every device.  Set up by netdev_init_base(). */
struct netdev {
    const struct netdev_class *class;
    char *name;
    int n_rxq; /* Set by the provider's open/set_config. */
    int n_txq; /* Set by the provider; <= requested_n_txq. */
    int requested_n_txq;
    rte_spinlock_t tx_locks[NETDEV_MAX_QUEUES]; /* For concurrent_txq. */

    /* Bumped by the provider (netdev_change_seq_changed(), any thread) when
     * it wants 'reconfigure' to run, e.g. its wanted rx queue count
     * changed.  Read with netdev_get_change_seq(). */
    _Atomic uint64_t change_seq;
};

struct netdev_class {
    const char *type; /* "dummy", "dpdk", "system", ... */

    /* Class-wide initialisation, once, before the first open.  May be NULL.
     * Main thread. */
    int (*init)(void);

    /* Periodic class-wide work from netdev_run().  May be NULL.  Main
     * thread. */
    void (*run)(void);

    /* Creates and starts the device 'name' with 'options' (never NULL).
     * Allocates the provider's struct, calls netdev_init_base(), stores it
     * in *netdevp.  On error returns a positive errno and may store a
     * message in *errp (caller frees).  Main thread.  Required. */
    int (*open)(const char *name, const struct smap *options,
                struct netdev **netdevp, char **errp);

    /* Stops the device and frees everything open() allocated, including
     * the base (netdev_uninit_base()).  Main thread.  Required. */
    void (*close)(struct netdev *);

    /* Applies changed options.  May be NULL (options fixed at open).
     * Main thread, no thread polls the device meanwhile. */
    int (*set_config)(struct netdev *, const struct smap *options,
                      char **errp);

    /* Reconfigures for 'n_txq' requested tx queues; sets netdev->n_txq.
     * May be NULL (one tx queue, n_txq stays 1).  Main thread, device
     * idle. */
    int (*set_tx_multiq)(struct netdev *, int n_txq);

    /* See netdev_rxq_recv().  Required.  Called by one thread per qid. */
    int (*rxq_recv)(struct netdev *, int qid, struct dp_packet_batch *);

    /* Sends the batch on 'qid' (< n_txq; the generic layer takes the tx
     * lock when concurrent).  Takes ownership of every packet; frees and
     * counts those not sent.  Returns the number sent.  Required. */
    int (*send)(struct netdev *, int qid, struct dp_packet_batch *);

    /* Getters.  Any thread.  Each may be NULL (EOPNOTSUPP / defaults). */
    int (*get_stats)(const struct netdev *, struct netdev_stats *);
    int (*get_etheraddr)(const struct netdev *, struct eth_addr *);
    int (*get_mtu)(const struct netdev *, int *mtu);
    bool (*get_carrier)(const struct netdev *);
    bool (*get_admin_up)(const struct netdev *); /* NULL: always up. */
    int (*get_status)(const struct netdev *, struct smap *);

    /* Applies a change the device asked for by bumping its change_seq, for
     * example a new rx queue count once a guest enabled more queues: sets
     * netdev->n_rxq (and n_txq).  May be NULL (nothing to apply).  Main
     * thread, no thread polls or sends on the device meanwhile. */
    int (*reconfigure)(struct netdev *);

    /* Rx from the main thread.  A class with 'main_thread_rx' set is not
     * polled by PMD threads: the datapath's main thread receives from it
     * when the main loop wakes up, which costs nothing while the device is
     * idle (a kernel device read through a system call, for example).
     * Classes that leave it false are polled by PMD threads. */
    bool main_thread_rx;

    /* With 'main_thread_rx': a file descriptor that becomes readable
     * (POLLIN) when rx queue 'qid' has packets, or -1 if there is none to
     * wait for (the main thread then polls the queue every 10 ms).  May be
     * NULL (same as -1).  Main thread. */
    int (*rxq_wait_fd)(const struct netdev *, int qid);
};

/* Registers 'class' (static storage).  Returns EEXIST for a known type. */
int netdev_register_provider(const struct netdev_class *class);
/* Initialises the base of a new device. */
void netdev_init_base(struct netdev *, const struct netdev_class *,
                      const char *name);
/* Frees what netdev_init_base() allocated (not 'netdev' itself). */
void netdev_uninit_base(struct netdev *);
/* Tells clients that 'netdev' changed (see 'change_seq').  Any thread; a
 * release increment, paired with the acquire load of
 * netdev_get_change_seq(). */
void netdev_change_seq_changed(struct netdev *);

extern const struct netdev_class netdev_dummy_class;
extern const struct netdev_class netdev_dpdk_class;
extern const struct netdev_class netdev_system_class;
extern const struct netdev_class netdev_afxdp_class;    /* netdev-system.c */
extern const struct netdev_class netdev_internal_class; /* netdev-tap.c */
extern const struct netdev_class netdev_tap_class;      /* netdev-tap.c */
extern const struct netdev_class netdev_vhost_server_class; /* vhost/ */
extern const struct netdev_class netdev_vhost_client_class; /* vhost/ */

#endif /* TERN_NETDEV_PROVIDER_H */
