/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-system: the "system" netdev provider, a Linux kernel interface
 * (veth, tap, a NIC left to its kernel driver) reached through an AF_PACKET
 * socket.  The netdev's name is the interface name.
 *
 * Receive uses a memory-mapped TPACKET_V2 ring: the kernel fills frames
 * and flips their status to TP_STATUS_USER, the PMD copies each frame into
 * an mbuf from the default dp-packet pool and hands the frame back.  V2
 * (rather than V3's blocks) makes each packet visible as soon as it
 * arrives, which a busy-polling PMD wants.  When the kernel stripped a
 * VLAN tag (tp_vlan_tci with TP_STATUS_VLAN_VALID) the tag is put back in
 * the copy, so the datapath sees the frame as it was on the wire.
 * Transmit uses sendmmsg() on the same non-blocking socket; packets the
 * kernel refuses (queue full, too big) are freed and counted as tx_dropped.
 * PACKET_IGNORE_OUTGOING keeps our own transmissions out of the ring
 * (frames marked PACKET_OUTGOING are skipped as well, for older kernels).
 * The interface is put in promiscuous mode for the socket's lifetime.
 *
 * One rx queue and one tx queue; concurrent senders share the tx queue
 * under the generic layer's lock.  Statistics are our own counters plus
 * the kernel's ring drops (PACKET_STATISTICS).  The socket is created in
 * the network namespace of the thread that opens the device and keeps it.
 *
 * AF_XDP will come later behind this same type (an XDP socket where the
 * driver allows it, this AF_PACKET path otherwise).
 */
#include <config.h>

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/dpdk.h"
#include "lib/netdev-provider.h"
#include "lib/packets.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_system);

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* Ring geometry: 1024 frames of 4 kB (packets up to about 4000 bytes),
 * 32 frames per block. */
#define SYSTEM_FRAME_SIZE       4096
#define SYSTEM_FRAMES_PER_BLOCK 32
#define SYSTEM_N_BLOCKS         32
#define SYSTEM_N_FRAMES         (SYSTEM_FRAMES_PER_BLOCK * SYSTEM_N_BLOCKS)

struct netdev_system {
    struct netdev up; /* First: the generic layer casts. */

    /* Fixed after open. */
    int fd;
    int ifindex;
    uint8_t *ring; /* mmap()ed rx ring of SYSTEM_N_FRAMES frames. */
    size_t ring_size;

    /* Owned by the thread polling rx queue 0. */
    unsigned int rx_next; /* Next frame to look at. */

    /* Counters: relaxed atomics. */
    _Atomic uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
    _Atomic uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
    _Atomic uint64_t kernel_drops; /* Accumulated PACKET_STATISTICS. */
};

static struct netdev_system *
netdev_system_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_system, up);
}

/* Received packets are copied into mbufs, so DPDK must be running. */
static int
netdev_system_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);
    if (error) {
        VLOG_ERR("system devices need DPDK packet buffers: %s",
                 err ? err : "");
    }
    free(err);
    return error;
}

static int
set_int_opt__(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value) ? errno : 0;
}

/* Sets up the TPACKET_V2 rx ring of 'dev'. */
static int
system_setup_ring__(struct netdev_system *dev, char **errp)
{
    int error = set_int_opt__(dev->fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2);
    if (error) {
        *errp = xasprintf("%s: TPACKET_V2 not supported: %s", dev->up.name,
                          tern_strerror(error));
        return error;
    }
    struct tpacket_req req = {
        .tp_block_size = SYSTEM_FRAME_SIZE * SYSTEM_FRAMES_PER_BLOCK,
        .tp_block_nr = SYSTEM_N_BLOCKS,
        .tp_frame_size = SYSTEM_FRAME_SIZE,
        .tp_frame_nr = SYSTEM_N_FRAMES,
    };
    if (setsockopt(dev->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req)) {
        error = errno;
        *errp = xasprintf("%s: cannot set up the rx ring: %s", dev->up.name,
                          tern_strerror(error));
        return error;
    }
    dev->ring_size = (size_t)req.tp_block_size * req.tp_block_nr;
    void *ring = mmap(NULL, dev->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                      dev->fd, 0);
    if (ring == MAP_FAILED) {
        error = errno;
        *errp = xasprintf("%s: cannot map the rx ring: %s", dev->up.name,
                          tern_strerror(error));
        return error;
    }
    dev->ring = ring;
    return 0;
}

/* Binds the socket of 'dev' to its interface and turns on promiscuous
 * mode. */
static int
system_bind__(struct netdev_system *dev, char **errp)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = dev->ifindex,
    };
    if (bind(dev->fd, (struct sockaddr *)&sll, sizeof sll)) {
        int error = errno;
        *errp = xasprintf("%s: cannot bind packet socket: %s", dev->up.name,
                          tern_strerror(error));
        return error;
    }
    struct packet_mreq mreq = {
        .mr_ifindex = dev->ifindex,
        .mr_type = PACKET_MR_PROMISC,
    };
    if (setsockopt(dev->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq,
                   sizeof mreq)) {
        VLOG_WARN("%s: cannot enable promiscuous mode: %s", dev->up.name,
                  tern_strerror(errno));
    }
    return 0;
}

static void
netdev_system_free__(struct netdev_system *dev)
{
    if (dev->ring) {
        munmap(dev->ring, dev->ring_size);
    }
    if (dev->fd >= 0) {
        close(dev->fd);
    }
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int netdev_system_set_config(struct netdev *,
                                    const struct smap *options, char **errp);

static int
netdev_system_open(const char *name, const struct smap *options,
                   struct netdev **netdevp, char **errp)
{
    if (strlen(name) >= IFNAMSIZ) {
        *errp = xasprintf("%s: interface name too long", name);
        return EINVAL;
    }
    struct netdev_system *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, &netdev_system_class, name);
    dev->fd = -1;

    int error = 0;
    errno = 0;
    dev->ifindex = (int)if_nametoindex(name);
    if (!dev->ifindex) {
        error = errno ? errno : ENODEV;
        *errp = xasprintf("%s: no such network interface: %s", name,
                          tern_strerror(error));
        goto fail;
    }
    /* Protocol 0: nothing is received until bind(), after the ring is
     * ready. */
    dev->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (dev->fd < 0) {
        error = errno;
        *errp = xasprintf("%s: cannot create packet socket: %s", name,
                          tern_strerror(error));
        goto fail;
    }
    if (set_int_opt__(dev->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)) {
        VLOG_DBG("%s: PACKET_IGNORE_OUTGOING unsupported", name);
    }
    error = system_setup_ring__(dev, errp);
    if (!error) {
        error = system_bind__(dev, errp);
    }
    if (error) {
        goto fail;
    }
    dev->up.n_rxq = 1;
    dev->up.n_txq = 1;
    error = netdev_system_set_config(&dev->up, options, errp);
    if (error) {
        goto fail;
    }
    *netdevp = &dev->up;
    return 0;

fail:
    netdev_system_free__(dev);
    return error;
}

static void
netdev_system_close(struct netdev *netdev)
{
    netdev_system_free__(netdev_system_cast(netdev));
}

static int system_ioctl__(const struct netdev *, unsigned long cmd,
                          struct ifreq *);

/* Applies options:mtu (the bridge layer passes Interface.mtu_request there)
 * to the kernel interface with SIOCSIFMTU; other options are accepted and
 * not used yet. */
static int
netdev_system_set_config(struct netdev *netdev, const struct smap *options,
                         char **errp)
{
    const char *s = smap_get(options, "mtu");
    uint32_t mtu;

    if (!s) {
        return 0;
    }
    if (!str_to_u32(s, &mtu) || mtu < 68 || mtu > 65535) {
        *errp = xasprintf("%s: bad mtu '%s' (68 to 65535)", netdev->name, s);
        return EINVAL;
    }

    struct ifreq ifr;
    int error = system_ioctl__(netdev, SIOCGIFMTU, &ifr);
    if (!error && ifr.ifr_mtu != (int)mtu) {
        /* 'ifr' still names the interface. */
        ifr.ifr_mtu = (int)mtu;
        error = ioctl(netdev_system_cast(netdev)->fd, SIOCSIFMTU, &ifr) ? errno
                                                                        : 0;
    }
    if (error) {
        *errp = xasprintf("%s: cannot set mtu %s: %s", netdev->name, s,
                          tern_strerror(error));
    }
    return error;
}

static inline struct tpacket2_hdr *
system_frame__(const struct netdev_system *dev, unsigned int idx)
{
    return (struct tpacket2_hdr *)(void *)(dev->ring +
                                           (size_t)idx * SYSTEM_FRAME_SIZE);
}

/* Copies the frame 'hdr' into a new packet from 'pool', restoring a VLAN
 * tag the kernel stripped.  Returns NULL if the pool is empty or the frame
 * was truncated. */
static struct dp_packet *
system_copy_frame__(struct rte_mempool *pool, const struct tpacket2_hdr *hdr)
{
    const uint8_t *data = (const uint8_t *)hdr + hdr->tp_mac;
    uint32_t len = hdr->tp_snaplen;
    if (len < hdr->tp_len) {
        return NULL;
    }
    bool vlan = (hdr->tp_status & TP_STATUS_VLAN_VALID) && len >= 12;
    if (!vlan) {
        return dp_packet_clone_data(pool, data, len);
    }

    struct dp_packet *p = dp_packet_clone_data(pool, NULL, 0);
    uint8_t *dst =
        p ? (uint8_t *)rte_pktmbuf_append(&p->mbuf, len + VLAN_HEADER_LEN)
          : NULL;
    if (!dst) {
        dp_packet_free(p);
        return NULL;
    }
    uint16_t tpid = (hdr->tp_status & TP_STATUS_VLAN_TPID_VALID)
                        ? hdr->tp_vlan_tpid
                        : ETH_TYPE_VLAN_8021Q;
    memcpy(dst, data, 2 * ETH_ADDR_LEN);
    dst[12] = tpid >> 8;
    dst[13] = tpid & 0xff;
    dst[14] = hdr->tp_vlan_tci >> 8;
    dst[15] = hdr->tp_vlan_tci & 0xff;
    memcpy(dst + 16, data + 12, len - 12);
    return p;
}

static int
netdev_system_rxq_recv(struct netdev *netdev, int qid TERN_UNUSED,
                       struct dp_packet_batch *batch)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct netdev_system *dev = netdev_system_cast(netdev);
    struct rte_mempool *pool = dp_packet_default_pool();
    uint32_t count = 0;
    uint64_t bytes = 0, dropped = 0, errors = 0;

    /* Bounded so that frames of our own outgoing traffic cannot keep us
     * here forever. */
    for (int budget = 2 * DP_PACKET_BATCH_SIZE;
         count < DP_PACKET_BATCH_SIZE && budget > 0; budget--) {
        struct tpacket2_hdr *hdr = system_frame__(dev, dev->rx_next);
        /* Pairs with the kernel's release of the frame to user space. */
        uint32_t status = __atomic_load_n(&hdr->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER)) {
            break;
        }
        const struct sockaddr_ll *sll =
            (const void *)((const uint8_t *)hdr +
                           TPACKET_ALIGN(sizeof(struct tpacket2_hdr)));
        if (sll->sll_pkttype != PACKET_OUTGOING) {
            struct dp_packet *p = system_copy_frame__(pool, hdr);
            if (p) {
                bytes += dp_packet_size(p);
                batch->packets[count++] = p;
            } else if (hdr->tp_snaplen < hdr->tp_len) {
                errors++;
                VLOG_WARN_RL(&rl,
                             "%s: dropped a %u-byte frame that does "
                             "not fit the ring",
                             netdev->name, hdr->tp_len);
            } else {
                dropped++;
            }
        }
        /* Hands the frame back; the kernel reads it after this store. */
        __atomic_store_n(&hdr->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        dev->rx_next = (dev->rx_next + 1) % SYSTEM_N_FRAMES;
    }

    batch->count = count;
    if (count) {
        atomic_fetch_add_explicit(&dev->rx_packets, count,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&dev->rx_bytes, bytes, memory_order_relaxed);
    }
    if (dropped) {
        atomic_fetch_add_explicit(&dev->rx_dropped, dropped,
                                  memory_order_relaxed);
    }
    if (errors) {
        atomic_fetch_add_explicit(&dev->rx_errors, errors,
                                  memory_order_relaxed);
    }
    return count ? 0 : EAGAIN;
}

static int
netdev_system_send(struct netdev *netdev, int qid TERN_UNUSED,
                   struct dp_packet_batch *batch)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct netdev_system *dev = netdev_system_cast(netdev);
    struct mmsghdr msgs[DP_PACKET_BATCH_SIZE];
    struct iovec iovs[DP_PACKET_BATCH_SIZE];
    uint32_t n = batch->count;

    memset(msgs, 0, n * sizeof msgs[0]);
    for (uint32_t i = 0; i < n; i++) {
        iovs[i].iov_base = dp_packet_data(batch->packets[i]);
        iovs[i].iov_len = dp_packet_size(batch->packets[i]);
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    uint32_t done = 0, sent = 0;
    uint64_t bytes = 0, dropped = 0, errors = 0;
    while (done < n) {
        int k = sendmmsg(dev->fd, msgs + done, n - done, MSG_DONTWAIT);
        if (k > 0) {
            for (int i = 0; i < k; i++) {
                bytes += iovs[done + i].iov_len;
            }
            done += k;
            sent += k;
            continue;
        }
        /* The packet at 'done' failed: drop it and go on with the rest. */
        int error = k < 0 ? errno : EAGAIN;
        if (error == EINTR) {
            continue;
        }
        if (error == EAGAIN || error == ENOBUFS || error == ENETDOWN ||
            error == ENXIO) {
            /* Queue full or link down: the rest would fail the same way. */
            dropped += n - done;
            break;
        }
        VLOG_WARN_RL(&rl, "%s: send failed: %s", netdev->name,
                     tern_strerror(error));
        errors++;
        dropped++;
        done++;
    }

    atomic_fetch_add_explicit(&dev->tx_packets, sent, memory_order_relaxed);
    atomic_fetch_add_explicit(&dev->tx_bytes, bytes, memory_order_relaxed);
    if (dropped) {
        atomic_fetch_add_explicit(&dev->tx_dropped, dropped,
                                  memory_order_relaxed);
    }
    if (errors) {
        atomic_fetch_add_explicit(&dev->tx_errors, errors,
                                  memory_order_relaxed);
    }
    dp_packet_batch_free(batch);
    return (int)sent;
}

static int
netdev_system_get_stats(const struct netdev *netdev,
                        struct netdev_stats *stats)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    struct tpacket_stats ks;
    socklen_t len = sizeof ks;
    /* Reading the kernel's counters resets them: accumulate. */
    if (!getsockopt(dev->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len)) {
        atomic_fetch_add_explicit(&dev->kernel_drops, ks.tp_drops,
                                  memory_order_relaxed);
    }
#define LOAD(FIELD) atomic_load_explicit(&dev->FIELD, memory_order_relaxed)
    stats->rx_packets = LOAD(rx_packets);
    stats->rx_bytes = LOAD(rx_bytes);
    stats->rx_dropped = LOAD(rx_dropped) + LOAD(kernel_drops);
    stats->rx_errors = LOAD(rx_errors);
    stats->tx_packets = LOAD(tx_packets);
    stats->tx_bytes = LOAD(tx_bytes);
    stats->tx_dropped = LOAD(tx_dropped);
    stats->tx_errors = LOAD(tx_errors);
#undef LOAD
    return 0;
}

/* Issues interface ioctl 'cmd' for 'netdev' into 'ifr'. */
static int
system_ioctl__(const struct netdev *netdev, unsigned long cmd,
               struct ifreq *ifr)
{
    memset(ifr, 0, sizeof *ifr);
    snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", netdev->name);
    return ioctl(netdev_system_cast(netdev)->fd, cmd, ifr) ? errno : 0;
}

static int
netdev_system_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct ifreq ifr;
    int error = system_ioctl__(netdev, SIOCGIFHWADDR, &ifr);
    if (!error) {
        memcpy(mac->ea, ifr.ifr_hwaddr.sa_data, ETH_ADDR_LEN);
    }
    return error;
}

static int
netdev_system_get_mtu(const struct netdev *netdev, int *mtu)
{
    struct ifreq ifr;
    int error = system_ioctl__(netdev, SIOCGIFMTU, &ifr);
    if (!error) {
        *mtu = ifr.ifr_mtu;
    }
    return error;
}

static bool
netdev_system_get_carrier(const struct netdev *netdev)
{
    struct ifreq ifr;
    return (!system_ioctl__(netdev, SIOCGIFFLAGS, &ifr) &&
            (ifr.ifr_flags & IFF_RUNNING));
}

static bool
netdev_system_get_admin_up(const struct netdev *netdev)
{
    struct ifreq ifr;
    return (!system_ioctl__(netdev, SIOCGIFFLAGS, &ifr) &&
            (ifr.ifr_flags & IFF_UP));
}

static int
netdev_system_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    smap_replace(status, "driver", "af_packet");
    smap_replace(status, "mode", "tpacket_v2");
    smap_add_format(status, "ifindex", "%d", dev->ifindex);
    smap_add_format(status, "n_rxq", "%d", netdev->n_rxq);
    smap_add_format(status, "n_txq", "%d", netdev->n_txq);
    return 0;
}

const struct netdev_class netdev_system_class = {
    .type = "system",
    .init = netdev_system_init,
    .run = NULL,
    .open = netdev_system_open,
    .close = netdev_system_close,
    .set_config = netdev_system_set_config,
    .set_tx_multiq = NULL,
    .rxq_recv = netdev_system_rxq_recv,
    .send = netdev_system_send,
    .get_stats = netdev_system_get_stats,
    .get_etheraddr = netdev_system_get_etheraddr,
    .get_mtu = netdev_system_get_mtu,
    .get_carrier = netdev_system_get_carrier,
    .get_admin_up = netdev_system_get_admin_up,
    .get_status = netdev_system_get_status,
};
