/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-dpdk: the "dpdk" netdev provider, a DPDK ethdev port (a PCI NIC
 * bound to a DPDK driver, or a virtual device such as net_pcap, net_null,
 * net_ring or net_tap).
 *
 * Options:
 *   dpdk-devargs=ARGS  required: a PCI address ("0000:01:00.0") or a vdev
 *                      string ("net_null0,no-rx=1", "net_pcap0,rx_pcap=F,
 *                      tx_pcap=G", "net_ring0", "net_tap0,iface=t0").
 *                      Probed (hot-plugged) at open, removed at close.
 *   n_rxq=N            rx queues (default 1), capped by the driver.
 *   n_rxq_desc=N, n_txq_desc=N  ring sizes (default 2048), adjusted to the
 *                      driver's limits.
 *   mtu=N              MTU to set (must fit the default pool's buffers).
 * Tx queues: as many as netdev_set_tx_multiq() asks for, capped by the
 * driver.  Every queue takes its buffers from the default dp-packet pool.
 *
 * This file is the only place that converts DPDK's negative error returns
 * and rte_errno into Tern's positive errno values.
 *
 * Threads: open/close/config on the main thread with the port idle;
 * rxq_recv by the PMD owning the queue; send by one thread per queue (the
 * generic layer locks shared queues); getters from any thread (ethdev's
 * stats and link queries are thread-safe for reading).
 */
#include <config.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lib/dpdk.h"
#include "lib/dpdk-mbuf.h"
#include "lib/netdev-provider.h"
#include "lib/packets.h"
#include "lib/vlog.h"

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

VLOG_DEFINE_THIS_MODULE(netdev_dpdk);

#define DPDK_DEFAULT_DESC 2048
#define DPDK_TX_RETRIES   4

struct netdev_dpdk {
    struct netdev up; /* First: the generic layer casts. */

    /* Set on the main thread while the port is idle. */
    uint16_t port_id;
    char *devargs;
    struct rte_mempool *pool;
    int socket_id;
    int n_rxq_desc, n_txq_desc;
    int max_rxq, max_txq; /* Driver limits. */
    bool started;

    /* Our own drops (multi-segment packets received, tx ring full). */
    _Atomic uint64_t rx_dropped, tx_dropped;
};

/* Ports owned by an open netdev.  Main thread. */
static bool port_in_use[RTE_MAX_ETHPORTS];

static struct netdev_dpdk *
netdev_dpdk_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_dpdk, up);
}

/* Converts a DPDK return value (negative errno) or rte_errno into a
 * positive errno. */
static int
dpdk_error__(int ret)
{
    if (ret < 0) {
        return -ret;
    }
    return rte_errno > 0 ? rte_errno : EIO;
}

static int
netdev_dpdk_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);
    if (error) {
        VLOG_ERR("dpdk devices need DPDK: %s", err ? err : "");
    }
    free(err);
    return error;
}

/* Finds the ethdev port that 'devargs' names.  Returns true and stores it
 * in *port_id on success. */
static bool
find_port__(const char *devargs, uint16_t *port_id)
{
    struct rte_dev_iterator it;
    uint16_t id;
    RTE_ETH_FOREACH_MATCHING_DEV(id, devargs, &it)
    {
        *port_id = id;
        rte_eth_iterator_cleanup(&it);
        return true;
    }

    /* Fall back to the device name (devargs up to the first comma). */
    char *name = xstrdup(devargs);
    name[strcspn(name, ",")] = '\0';
    int ret = rte_eth_dev_get_port_by_name(name, &id);
    free(name);
    if (!ret) {
        *port_id = id;
        return true;
    }
    return false;
}

/* Probes the device named by 'devargs' unless it is already attached, and
 * finds its port. */
static int
attach__(const char *name, const char *devargs, uint16_t *port_id, char **errp)
{
    if (find_port__(devargs, port_id)) {
        return 0;
    }
    int ret = rte_dev_probe(devargs);
    if (ret < 0) {
        *errp = xasprintf("%s: cannot attach DPDK device '%s': %s", name,
                          devargs, rte_strerror(-ret));
        return dpdk_error__(ret);
    }
    if (!find_port__(devargs, port_id)) {
        *errp = xasprintf("%s: DPDK device '%s' attached but it is not an "
                          "ethdev port",
                          name, devargs);
        return ENODEV;
    }
    return 0;
}

/* Removes the rte_device behind 'port_id' once no port uses it. */
static void
detach__(uint16_t port_id)
{
    struct rte_eth_dev_info info;
    struct rte_device *rte_dev = NULL;
    if (!rte_eth_dev_info_get(port_id, &info)) {
        rte_dev = info.device;
    }
    rte_eth_dev_stop(port_id);
    rte_eth_dev_close(port_id);
    if (!rte_dev) {
        return;
    }
    uint16_t sibling;
    RTE_ETH_FOREACH_DEV_OF(sibling, rte_dev)
    {
        return; /* Another port of the same device is still in use. */
    }
    int ret = rte_dev_remove(rte_dev);
    if (ret < 0) {
        VLOG_WARN("cannot remove DPDK device of port %u: %s",
                  (unsigned)port_id, rte_strerror(-ret));
    }
}

/* Reads a positive integer option with default 'def'. */
static bool
get_count__(const struct smap *options, const char *key, int def, int max,
            int *out, const char *name, char **errp)
{
    long long v = smap_get_int(options, key, def);
    if (v < 1 || v > max) {
        *errp = xasprintf("%s: %s must be between 1 and %d", name, key, max);
        return false;
    }
    *out = (int)v;
    return true;
}

/* (Re)configures and starts the port with the current queue and ring
 * settings.  Main thread, port idle. */
static int
dpdk_configure__(struct netdev_dpdk *dev, int n_rxq, int n_txq, char **errp)
{
    struct rte_eth_dev_info info;
    int ret = rte_eth_dev_info_get(dev->port_id, &info);
    if (ret < 0) {
        *errp = xasprintf("%s: cannot get device info: %s", dev->up.name,
                          rte_strerror(-ret));
        return dpdk_error__(ret);
    }
    n_rxq = MAX(1, MIN(n_rxq, (int)info.max_rx_queues));
    n_txq = MAX(1, MIN(n_txq, (int)info.max_tx_queues));
    dev->max_rxq = info.max_rx_queues;
    dev->max_txq = info.max_tx_queues;

    if (dev->started) {
        rte_eth_dev_stop(dev->port_id);
        dev->started = false;
    }

    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    uint64_t rss = info.flow_type_rss_offloads &
                   (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
    if (n_rxq > 1 && rss) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = rss;
    }
    ret = rte_eth_dev_configure(dev->port_id, n_rxq, n_txq, &conf);
    if (ret < 0) {
        *errp = xasprintf("%s: cannot configure %d rx and %d tx queues: %s",
                          dev->up.name, n_rxq, n_txq, rte_strerror(-ret));
        return dpdk_error__(ret);
    }

    uint16_t n_rxd = dev->n_rxq_desc, n_txd = dev->n_txq_desc;
    rte_eth_dev_adjust_nb_rx_tx_desc(dev->port_id, &n_rxd, &n_txd);
    for (int q = 0; q < n_rxq; q++) {
        ret = rte_eth_rx_queue_setup(dev->port_id, q, n_rxd, dev->socket_id,
                                     NULL, dev->pool);
        if (ret < 0) {
            *errp = xasprintf("%s: cannot set up rx queue %d: %s",
                              dev->up.name, q, rte_strerror(-ret));
            return dpdk_error__(ret);
        }
    }
    for (int q = 0; q < n_txq; q++) {
        ret = rte_eth_tx_queue_setup(dev->port_id, q, n_txd, dev->socket_id,
                                     NULL);
        if (ret < 0) {
            *errp = xasprintf("%s: cannot set up tx queue %d: %s",
                              dev->up.name, q, rte_strerror(-ret));
            return dpdk_error__(ret);
        }
    }

    ret = rte_eth_dev_start(dev->port_id);
    if (ret < 0) {
        *errp = xasprintf("%s: cannot start port: %s", dev->up.name,
                          rte_strerror(-ret));
        return dpdk_error__(ret);
    }
    dev->started = true;
    ret = rte_eth_promiscuous_enable(dev->port_id);
    if (ret < 0 && ret != -ENOTSUP) {
        VLOG_INFO("%s: cannot enable promiscuous mode: %s", dev->up.name,
                  rte_strerror(-ret));
    }
    dev->up.n_rxq = n_rxq;
    dev->up.n_txq = n_txq;
    return 0;
}

/* Applies the MTU option, if any.  Main thread. */
static int
dpdk_set_mtu__(struct netdev_dpdk *dev, const struct smap *options,
               char **errp)
{
    const char *s = smap_get(options, "mtu");
    if (!s) {
        return 0;
    }
    long long mtu = smap_get_int(options, "mtu", -1);
    long long room = rte_pktmbuf_data_room_size(dev->pool) -
                     RTE_PKTMBUF_HEADROOM - ETH_HEADER_LEN -
                     2 * VLAN_HEADER_LEN - RTE_ETHER_CRC_LEN;
    if (mtu < 68 || mtu > room) {
        *errp = xasprintf("%s: mtu '%s' must be between 68 and %lld",
                          dev->up.name, s, room);
        return EINVAL;
    }
    int ret = rte_eth_dev_set_mtu(dev->port_id, (uint16_t)mtu);
    if (ret < 0 && ret != -ENOTSUP) {
        *errp = xasprintf("%s: cannot set mtu %lld: %s", dev->up.name, mtu,
                          rte_strerror(-ret));
        return dpdk_error__(ret);
    }
    return 0;
}

/* Reads the queue options into 'dev' and *n_rxq. */
static int
dpdk_parse_queue_options__(struct netdev_dpdk *dev, const struct smap *options,
                           int *n_rxq, char **errp)
{
    if (!get_count__(options, "n_rxq", 1, NETDEV_MAX_QUEUES, n_rxq,
                     dev->up.name, errp) ||
        !get_count__(options, "n_rxq_desc", DPDK_DEFAULT_DESC, 32768,
                     &dev->n_rxq_desc, dev->up.name, errp) ||
        !get_count__(options, "n_txq_desc", DPDK_DEFAULT_DESC, 32768,
                     &dev->n_txq_desc, dev->up.name, errp)) {
        return EINVAL;
    }
    return 0;
}

static void
netdev_dpdk_free__(struct netdev_dpdk *dev)
{
    free(dev->devargs);
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int
netdev_dpdk_open(const char *name, const struct smap *options,
                 struct netdev **netdevp, char **errp)
{
    const char *devargs = smap_get(options, "dpdk-devargs");
    if (!devargs || !devargs[0]) {
        *errp = xasprintf("%s: options:dpdk-devargs is required", name);
        return EINVAL;
    }

    struct netdev_dpdk *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, &netdev_dpdk_class, name);
    dev->devargs = xstrdup(devargs);
    int n_rxq;
    int error = dpdk_parse_queue_options__(dev, options, &n_rxq, errp);
    if (error) {
        netdev_dpdk_free__(dev);
        return error;
    }
    dev->pool = dp_packet_default_pool();
    if (!dev->pool) {
        *errp = xasprintf("%s: no packet pool", name);
        netdev_dpdk_free__(dev);
        return ENOMEM;
    }

    error = attach__(name, devargs, &dev->port_id, errp);
    if (error) {
        netdev_dpdk_free__(dev);
        return error;
    }
    if (port_in_use[dev->port_id]) {
        *errp = xasprintf("%s: DPDK device '%s' is already used by another "
                          "port",
                          name, devargs);
        netdev_dpdk_free__(dev);
        return EBUSY;
    }
    int socket = rte_eth_dev_socket_id(dev->port_id);
    dev->socket_id = socket >= 0 ? socket : (int)SOCKET_ID_ANY;

    error = dpdk_set_mtu__(dev, options, errp);
    if (!error) {
        error = dpdk_configure__(dev, n_rxq, dev->up.requested_n_txq, errp);
    }
    if (error) {
        detach__(dev->port_id);
        netdev_dpdk_free__(dev);
        return error;
    }
    port_in_use[dev->port_id] = true;
    VLOG_INFO("%s: DPDK port %u (%s) started with %d rx and %d tx queues",
              name, (unsigned)dev->port_id, devargs, dev->up.n_rxq,
              dev->up.n_txq);
    *netdevp = &dev->up;
    return 0;
}

static void
netdev_dpdk_close(struct netdev *netdev)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    port_in_use[dev->port_id] = false;
    detach__(dev->port_id);
    netdev_dpdk_free__(dev);
}

static int
netdev_dpdk_set_config(struct netdev *netdev, const struct smap *options,
                       char **errp)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    const char *devargs = smap_get(options, "dpdk-devargs");
    if (!devargs || strcmp(devargs, dev->devargs)) {
        *errp = xasprintf("%s: dpdk-devargs cannot change; delete and add "
                          "the port again",
                          netdev->name);
        return EINVAL;
    }
    int old_rxd = dev->n_rxq_desc, old_txd = dev->n_txq_desc;
    int n_rxq;
    int error = dpdk_parse_queue_options__(dev, options, &n_rxq, errp);
    if (!error) {
        error = dpdk_set_mtu__(dev, options, errp);
    }
    if (error) {
        return error;
    }
    if (n_rxq != netdev->n_rxq || old_rxd != dev->n_rxq_desc ||
        old_txd != dev->n_txq_desc) {
        return dpdk_configure__(dev, n_rxq, netdev->requested_n_txq, errp);
    }
    return 0;
}

static int
netdev_dpdk_set_tx_multiq(struct netdev *netdev, int n_txq)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    int want = MIN(n_txq, dev->max_txq > 0 ? dev->max_txq : 1);
    if (want == netdev->n_txq) {
        return 0;
    }
    char *err = NULL;
    int error = dpdk_configure__(dev, netdev->n_rxq, want, &err);
    if (error) {
        VLOG_ERR("%s", err);
    }
    free(err);
    return error;
}

/* Copies the chained mbuf 'm' into one segment from the same pool, or
 * returns NULL.  Frees 'm' either way.  The copy is dpdk-mbuf's, shared
 * with the vhost-user ports. */
static inline struct rte_mbuf *
linearize__(struct rte_mbuf *m)
{
    return dpdk_mbuf_linearize(m);
}

static int
netdev_dpdk_rxq_recv(struct netdev *netdev, int qid,
                     struct dp_packet_batch *batch)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    struct rte_mbuf *mbufs[DP_PACKET_BATCH_SIZE];
    uint16_t n = rte_eth_rx_burst(dev->port_id, (uint16_t)qid, mbufs,
                                  DP_PACKET_BATCH_SIZE);
    uint32_t count = 0;
    for (uint16_t i = 0; i < n; i++) {
        struct rte_mbuf *m = mbufs[i];
        if (TERN_UNLIKELY(m->nb_segs > 1)) {
            m = linearize__(m);
            if (!m) {
                atomic_fetch_add_explicit(&dev->rx_dropped, 1,
                                          memory_order_relaxed);
                continue;
            }
        }
        batch->packets[count++] = dp_packet_from_mbuf(m);
    }
    batch->count = count;
    return count ? 0 : EAGAIN;
}

static int
netdev_dpdk_send(struct netdev *netdev, int qid, struct dp_packet_batch *batch)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    struct rte_mbuf *mbufs[DP_PACKET_BATCH_SIZE];
    uint16_t n = (uint16_t)batch->count;
    for (uint16_t i = 0; i < n; i++) {
        mbufs[i] = &batch->packets[i]->mbuf;
    }

    uint16_t sent = 0;
    for (int tries = 0; sent < n && tries < DPDK_TX_RETRIES; tries++) {
        uint16_t k = rte_eth_tx_burst(dev->port_id, (uint16_t)qid,
                                      mbufs + sent, n - sent);
        if (!k) {
            break;
        }
        sent += k;
    }
    if (sent < n) {
        rte_pktmbuf_free_bulk(mbufs + sent, n - sent);
        atomic_fetch_add_explicit(&dev->tx_dropped, n - sent,
                                  memory_order_relaxed);
    }
    batch->count = 0;
    return sent;
}

static int
netdev_dpdk_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    struct rte_eth_stats s;
    int ret = rte_eth_stats_get(dev->port_id, &s);
    if (ret < 0) {
        return dpdk_error__(ret);
    }
    stats->rx_packets = s.ipackets;
    stats->rx_bytes = s.ibytes;
    stats->tx_packets = s.opackets;
    stats->tx_bytes = s.obytes;
    stats->rx_errors = s.ierrors;
    stats->tx_errors = s.oerrors;
    stats->rx_dropped =
        s.imissed + s.rx_nombuf +
        atomic_load_explicit(&dev->rx_dropped, memory_order_relaxed);
    stats->tx_dropped =
        atomic_load_explicit(&dev->tx_dropped, memory_order_relaxed);
    return 0;
}

static int
netdev_dpdk_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct rte_ether_addr addr;
    int ret = rte_eth_macaddr_get(netdev_dpdk_cast(netdev)->port_id, &addr);
    if (ret < 0) {
        return dpdk_error__(ret);
    }
    memcpy(mac->ea, addr.addr_bytes, ETH_ADDR_LEN);
    return 0;
}

static int
netdev_dpdk_get_mtu(const struct netdev *netdev, int *mtu)
{
    uint16_t m;
    int ret = rte_eth_dev_get_mtu(netdev_dpdk_cast(netdev)->port_id, &m);
    if (ret < 0) {
        return dpdk_error__(ret);
    }
    *mtu = m;
    return 0;
}

static bool
netdev_dpdk_get_carrier(const struct netdev *netdev)
{
    struct rte_eth_link link;
    memset(&link, 0, sizeof link);
    if (rte_eth_link_get_nowait(netdev_dpdk_cast(netdev)->port_id, &link)) {
        return false;
    }
    return link.link_status == RTE_ETH_LINK_UP;
}

static int
netdev_dpdk_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_dpdk *dev = netdev_dpdk_cast(netdev);
    struct rte_eth_dev_info info;
    int ret = rte_eth_dev_info_get(dev->port_id, &info);
    if (ret < 0) {
        return dpdk_error__(ret);
    }
    smap_replace(status, "driver", info.driver_name ? info.driver_name : "");
    smap_add_format(status, "port_id", "%u", (unsigned)dev->port_id);
    smap_replace(status, "devargs", dev->devargs);
    smap_add_format(status, "n_rxq", "%d", netdev->n_rxq);
    smap_add_format(status, "n_txq", "%d", netdev->n_txq);
    smap_add_format(status, "max_rx_queues", "%u",
                    (unsigned)info.max_rx_queues);
    smap_add_format(status, "max_tx_queues", "%u",
                    (unsigned)info.max_tx_queues);
    smap_add_format(status, "n_rxq_desc", "%d", dev->n_rxq_desc);
    smap_add_format(status, "n_txq_desc", "%d", dev->n_txq_desc);
    smap_add_format(status, "numa_id", "%d",
                    rte_eth_dev_socket_id(dev->port_id));

    struct rte_eth_link link;
    memset(&link, 0, sizeof link);
    if (!rte_eth_link_get_nowait(dev->port_id, &link)) {
        smap_add_format(status, "link_speed", "%u Mbps", link.link_speed);
    }
    return 0;
}

const struct netdev_class netdev_dpdk_class = {
    .type = "dpdk",
    .init = netdev_dpdk_init,
    .run = NULL,
    .open = netdev_dpdk_open,
    .close = netdev_dpdk_close,
    .set_config = netdev_dpdk_set_config,
    .set_tx_multiq = netdev_dpdk_set_tx_multiq,
    .rxq_recv = netdev_dpdk_rxq_recv,
    .send = netdev_dpdk_send,
    .get_stats = netdev_dpdk_get_stats,
    .get_etheraddr = netdev_dpdk_get_etheraddr,
    .get_mtu = netdev_dpdk_get_mtu,
    .get_carrier = netdev_dpdk_get_carrier,
    .get_status = netdev_dpdk_get_status,
};
