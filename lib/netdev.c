/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev: the generic network device layer (see netdev.h for the client
 * API and netdev-provider.h for the provider contract).
 *
 * This file keeps the registry of provider classes and the table of open
 * devices by name, checks arguments, serialises concurrent senders on a
 * shared tx queue with the per-queue spinlocks of the base struct, and
 * forwards everything else to the device's class.  It has no knowledge of
 * any particular device type.
 */
#include <config.h>

#include "lib/netdev.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "lib/netdev-provider.h"
#include "lib/nl-link.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev);

#define NETDEV_MAX_PROVIDERS 16

/* A registered provider.  Main thread only. */
struct netdev_registered_class {
    const struct netdev_class *class;
    bool initialized; /* class->init() succeeded (or is NULL). */
};

static struct netdev_registered_class providers[NETDEV_MAX_PROVIDERS];
static size_t n_providers;

/* Open devices by name.  Changed by the main thread; guarded by
 * 'netdevs_mutex' so that netdev_from_name() is safe from any thread. */
static pthread_mutex_t netdevs_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct netdev **netdevs;
static size_t n_netdevs, allocated_netdevs;

static struct netdev_registered_class *
lookup_provider__(const char *type)
{
    for (size_t i = 0; i < n_providers; i++) {
        if (!strcmp(providers[i].class->type, type)) {
            return &providers[i];
        }
    }
    return NULL;
}

int
netdev_register_provider(const struct netdev_class *class)
{
    if (lookup_provider__(class->type)) {
        return EEXIST;
    }
    if (n_providers >= ARRAY_SIZE(providers)) {
        VLOG_ERR("too many netdev providers, cannot register %s", class->type);
        return ENOSPC;
    }
    providers[n_providers].class = class;
    providers[n_providers].initialized = false;
    n_providers++;
    return 0;
}

void
netdev_register_builtin_providers(void)
{
    netdev_register_provider(&netdev_dummy_class);
    netdev_register_provider(&netdev_dpdk_class);
    netdev_register_provider(&netdev_system_class);
    netdev_register_provider(&netdev_afxdp_class);
    netdev_register_provider(&netdev_internal_class);
    netdev_register_provider(&netdev_tap_class);
    netdev_register_provider(&netdev_vhost_server_class);
    netdev_register_provider(&netdev_vhost_client_class);
}

bool
netdev_type_is_registered(const char *type)
{
    for (size_t i = 0; i < n_providers; i++) {
        if (!strcmp(providers[i].class->type, type)) {
            return true;
        }
    }
    return false;
}

size_t
netdev_registered_types(const char **types, size_t max)
{
    for (size_t i = 0; i < n_providers && i < max; i++) {
        types[i] = providers[i].class->type;
    }
    return n_providers;
}

void
netdev_init_base(struct netdev *netdev, const struct netdev_class *class,
                 const char *name)
{
    netdev->class = class;
    netdev->name = xstrdup(name);
    netdev->n_rxq = 1;
    netdev->n_txq = 1;
    netdev->requested_n_txq = 1;
    for (size_t i = 0; i < ARRAY_SIZE(netdev->tx_locks); i++) {
        rte_spinlock_init(&netdev->tx_locks[i]);
    }
    atomic_init(&netdev->change_seq, 0);
}

void
netdev_change_seq_changed(struct netdev *netdev)
{
    /* Pairs with the acquire load in netdev_get_change_seq(). */
    atomic_fetch_add_explicit(&netdev->change_seq, 1, memory_order_release);
}

uint64_t
netdev_get_change_seq(const struct netdev *netdev)
{
    return atomic_load_explicit(&netdev->change_seq, memory_order_acquire);
}

int
netdev_reconfigure(struct netdev *netdev)
{
    return (netdev->class->reconfigure ? netdev->class->reconfigure(netdev)
                                       : 0);
}

void
netdev_uninit_base(struct netdev *netdev)
{
    free(netdev->name);
    netdev->name = NULL;
}

/* Returns the open device 'name'; the caller holds 'netdevs_mutex'. */
static struct netdev *
find_netdev__(const char *name)
{
    for (size_t i = 0; i < n_netdevs; i++) {
        if (!strcmp(netdevs[i]->name, name)) {
            return netdevs[i];
        }
    }
    return NULL;
}

struct netdev *
netdev_from_name(const char *name)
{
    pthread_mutex_lock(&netdevs_mutex);
    struct netdev *netdev = find_netdev__(name);
    pthread_mutex_unlock(&netdevs_mutex);
    return netdev;
}

static void set_error__(char **errp, const char *format, ...)
    TERN_PRINTF(2, 3);

static void
set_error__(char **errp, const char *format, ...)
{
    if (errp) {
        va_list args;
        va_start(args, format);
        *errp = xvasprintf(format, args);
        va_end(args);
    }
}

/* Runs the class's init() once; retried at the next open if it failed. */
static int
init_provider__(struct netdev_registered_class *rc, char **errp)
{
    if (rc->initialized) {
        return 0;
    }
    int error = rc->class->init ? rc->class->init() : 0;
    if (error) {
        set_error__(errp, "cannot initialise netdev type %s: %s",
                    rc->class->type, tern_strerror(error));
        return error;
    }
    rc->initialized = true;
    return 0;
}

int
netdev_open(const char *name, const char *type, const struct smap *options,
            struct netdev **netdevp, char **errp)
{
    static const struct smap empty = SMAP_INITIALIZER;
    *netdevp = NULL;
    if (errp) {
        *errp = NULL;
    }
    if (!name || !name[0]) {
        set_error__(errp, "netdev name must not be empty");
        return EINVAL;
    }
    struct netdev_registered_class *rc = lookup_provider__(type ? type : "");
    if (!rc) {
        set_error__(errp, "%s: unknown netdev type '%s'", name,
                    type ? type : "");
        return EAFNOSUPPORT;
    }
    if (netdev_from_name(name)) {
        set_error__(errp, "%s: netdev already open", name);
        return EEXIST;
    }
    int error = init_provider__(rc, errp);
    if (error) {
        return error;
    }

    struct netdev *netdev = NULL;
    char *msg = NULL;
    error = rc->class->open(name, options ? options : &empty, &netdev, &msg);
    if (error) {
        if (!msg) {
            msg = xasprintf("%s: cannot open %s device: %s", name, type,
                            tern_strerror(error));
        }
        if (errp) {
            *errp = msg;
        } else {
            free(msg);
        }
        return error;
    }
    free(msg);

    pthread_mutex_lock(&netdevs_mutex);
    if (n_netdevs >= allocated_netdevs) {
        allocated_netdevs = allocated_netdevs ? 2 * allocated_netdevs : 8;
        netdevs = xrealloc(netdevs, allocated_netdevs * sizeof *netdevs);
    }
    netdevs[n_netdevs++] = netdev;
    pthread_mutex_unlock(&netdevs_mutex);

    VLOG_DBG("%s: opened (type %s, %d rxq, %d txq)", name, type, netdev->n_rxq,
             netdev->n_txq);
    *netdevp = netdev;
    return 0;
}

void
netdev_close(struct netdev *netdev)
{
    if (!netdev) {
        return;
    }
    pthread_mutex_lock(&netdevs_mutex);
    for (size_t i = 0; i < n_netdevs; i++) {
        if (netdevs[i] == netdev) {
            netdevs[i] = netdevs[--n_netdevs];
            break;
        }
    }
    if (!n_netdevs) {
        free(netdevs);
        netdevs = NULL;
        allocated_netdevs = 0;
    }
    pthread_mutex_unlock(&netdevs_mutex);
    netdev->class->close(netdev);
}

int
netdev_set_config(struct netdev *netdev, const struct smap *options,
                  char **errp)
{
    static const struct smap empty = SMAP_INITIALIZER;
    if (errp) {
        *errp = NULL;
    }
    if (!netdev->class->set_config) {
        set_error__(errp, "%s: %s devices cannot be reconfigured",
                    netdev->name, netdev->class->type);
        return EOPNOTSUPP;
    }
    return netdev->class->set_config(netdev, options ? options : &empty, errp);
}

int
netdev_set_tx_multiq(struct netdev *netdev, int n_txq)
{
    n_txq = MAX(1, MIN(n_txq, NETDEV_MAX_QUEUES));
    netdev->requested_n_txq = n_txq;
    if (!netdev->class->set_tx_multiq) {
        netdev->n_txq = 1;
        return 0;
    }
    int error = netdev->class->set_tx_multiq(netdev, n_txq);
    if (netdev->n_txq < 1) {
        netdev->n_txq = 1;
    }
    return error;
}

const char *
netdev_get_name(const struct netdev *netdev)
{
    return netdev->name;
}

const char *
netdev_get_type(const struct netdev *netdev)
{
    return netdev->class->type;
}

int
netdev_n_rxq(const struct netdev *netdev)
{
    return netdev->n_rxq;
}

int
netdev_n_txq(const struct netdev *netdev)
{
    return netdev->n_txq;
}

int
netdev_rxq_recv(struct netdev *netdev, int qid, struct dp_packet_batch *batch)
{
    if (qid < 0 || qid >= netdev->n_rxq) {
        return EINVAL;
    }
    batch->count = 0;
    int error = netdev->class->rxq_recv(netdev, qid, batch);
    if (!error) {
        if (!batch->count) {
            return EAGAIN;
        }
        for (uint32_t i = 0; i < batch->count; i++) {
            dp_packet_reset_md(batch->packets[i], 0);
        }
    }
    return error;
}

int
netdev_send(struct netdev *netdev, int qid, struct dp_packet_batch *batch,
            bool concurrent_txq)
{
    if (!batch->count) {
        return 0;
    }
    int n_txq = netdev->n_txq > 0 ? netdev->n_txq : 1;
    qid = (int)((unsigned)qid % (unsigned)n_txq);

    int sent;
    if (concurrent_txq) {
        /* Serialises with the other threads that map to this queue. */
        rte_spinlock_lock(&netdev->tx_locks[qid]);
        sent = netdev->class->send(netdev, qid, batch);
        rte_spinlock_unlock(&netdev->tx_locks[qid]);
    } else {
        sent = netdev->class->send(netdev, qid, batch);
    }
    batch->count = 0;
    return sent;
}

int
netdev_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    return (netdev->class->get_stats ? netdev->class->get_stats(netdev, stats)
                                     : EOPNOTSUPP);
}

int
netdev_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    memset(mac, 0, sizeof *mac);
    return (netdev->class->get_etheraddr
                ? netdev->class->get_etheraddr(netdev, mac)
                : EOPNOTSUPP);
}

int
netdev_get_mtu(const struct netdev *netdev, int *mtu)
{
    *mtu = 0;
    return (netdev->class->get_mtu ? netdev->class->get_mtu(netdev, mtu)
                                   : EOPNOTSUPP);
}

bool
netdev_get_carrier(const struct netdev *netdev)
{
    return (netdev->class->get_carrier ? netdev->class->get_carrier(netdev)
                                       : true);
}

bool
netdev_get_admin_up(const struct netdev *netdev)
{
    return (netdev->class->get_admin_up ? netdev->class->get_admin_up(netdev)
                                        : true);
}

int
netdev_get_status(const struct netdev *netdev, struct smap *status)
{
    return (netdev->class->get_status
                ? netdev->class->get_status(netdev, status)
                : 0);
}

void
netdev_run(void)
{
    for (size_t i = 0; i < n_providers; i++) {
        if (providers[i].initialized && providers[i].class->run) {
            providers[i].class->run();
        }
    }
    /* Link notifications for the watchers of kernel interfaces. */
    nl_link_monitor_run();
}
