/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-system: Linux kernel interfaces (veth, tap, a NIC left to its
 * kernel driver) as Tern ports, the netdev types "system" and "afxdp".  The
 * netdev's name is the interface name.
 *
 * Two ways to move packets, chosen when the port is opened:
 *   - AF_XDP (netdev-afxdp.c): an XDP program steers each receive queue's
 *     frames to an AF_XDP socket; options:n_rxq queues, options:xdp-mode
 *     native, generic or best-effort.  Type "afxdp" uses nothing else and
 *     fails to open when XDP cannot be attached.
 *   - AF_PACKET (this file): a memory-mapped TPACKET_V2 receive ring and
 *     sendmmsg(), one queue.  Type "system" tries AF_XDP first and falls
 *     back to this when XDP cannot be attached, or uses it straight away
 *     with options:io=af_packet.
 * get_status tells which one is in use ("io", "xdp-mode-in-use") and why a
 * port fell back.
 *
 * AF_PACKET details.  The kernel fills ring frames and flips their status
 * to TP_STATUS_USER, the PMD copies each frame into an mbuf from the
 * default dp-packet pool and hands the frame back.  V2 (rather than V3's
 * blocks) makes each packet visible as soon as it arrives, which a
 * busy-polling PMD wants.  When the kernel stripped a VLAN tag
 * (tp_vlan_tci with TP_STATUS_VLAN_VALID) the tag is put back in the copy.
 * PACKET_IGNORE_OUTGOING keeps our own transmissions out of the ring
 * (frames marked PACKET_OUTGOING are skipped as well, for older kernels).
 * Packets the kernel refuses on transmit are freed and counted.
 *
 * Both ways.  Every port keeps one AF_PACKET socket that holds the
 * interface in promiscuous mode for the port's lifetime and serves
 * interface ioctls (with AF_PACKET I/O it also carries the packets).  Link
 * state, MTU and MAC are followed through rtnetlink notifications
 * (nl-link.h) and cached, so the getters do not ask the kernel; the cache
 * is refreshed by nl_link_monitor_run(), which netdev_run() calls on the
 * main thread.  options:mtu (the
 * bridge passes Interface.mtu_request there) sets the kernel MTU.  Sockets
 * are created in the network namespace of the thread that opens the device
 * and keep it.
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
#include "lib/netdev-afxdp.h"
#include "lib/netdev-counters.h"
#include "lib/netdev-provider.h"
#include "lib/nl-link.h"
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

/* How a port moves packets. */
enum system_io {
    SYSTEM_IO_AUTO,      /* AF_XDP, else AF_PACKET (option value only). */
    SYSTEM_IO_AFXDP,     /* AF_XDP only. */
    SYSTEM_IO_AF_PACKET, /* AF_PACKET only. */
};

static const char *const system_io_names[] = {
    [SYSTEM_IO_AUTO] = "auto",
    [SYSTEM_IO_AFXDP] = "afxdp",
    [SYSTEM_IO_AF_PACKET] = "af_packet",
};

/* The options that choose the I/O; changing them re-creates the port. */
struct system_config {
    enum system_io io;
    enum afxdp_mode xdp_mode;
    int n_rxq;
};

struct netdev_system {
    struct netdev up; /* First: the generic layer casts. */

    /* Fixed after open. */
    struct system_config cfg; /* As requested. */
    enum system_io io;        /* In use: AFXDP or AF_PACKET. */
    char *fallback_reason;    /* Why AF_PACKET was used, or NULL. */
    int fd;                   /* AF_PACKET socket (ioctls, promisc). */
    int ifindex;
    struct afxdp_port *xdp; /* With AF_XDP I/O. */
    uint8_t *ring;          /* AF_PACKET: mmap()ed rx ring. */
    size_t ring_size;

    /* AF_PACKET: owned by the thread polling rx queue 0. */
    unsigned int rx_next; /* Next frame to look at. */

    /* AF_PACKET counters. */
    struct netdev_counters counters;
    _Atomic uint64_t kernel_drops; /* Accumulated PACKET_STATISTICS. */

    /* Link state followed through rtnetlink, written by the main thread. */
    pthread_mutex_t link_mutex;
    struct nl_link_info link; /* Guarded by 'link_mutex'. */
    bool link_valid;          /* Guarded by 'link_mutex'. */
    struct nl_link_watch *watch;
};

static struct netdev_system *
netdev_system_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_system, up);
}

static bool
netdev_is_afxdp_type__(const struct netdev *netdev)
{
    return netdev->class == &netdev_afxdp_class;
}

/* Received packets are copied into mbufs, so DPDK must be running. */
static int
netdev_system_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);
    if (error) {
        VLOG_ERR("kernel interface devices need DPDK packet buffers: %s",
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

/* Binds the packet socket of 'dev' to its interface for every protocol. */
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
    return 0;
}

/* Parses the I/O options of 'options' for 'netdev' into '*cfg'. */
static int
system_parse_config__(const struct netdev *netdev, const struct smap *options,
                      struct system_config *cfg, char **errp)
{
    const char *name = netdev->name;
    const char *s;

    cfg->io =
        netdev_is_afxdp_type__(netdev) ? SYSTEM_IO_AFXDP : SYSTEM_IO_AUTO;
    s = smap_get(options, "io");
    if (s) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(system_io_names); i++) {
            if (!strcmp(s, system_io_names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(system_io_names) ||
            (netdev_is_afxdp_type__(netdev) && i != SYSTEM_IO_AFXDP)) {
            *errp = xasprintf("%s: bad io '%s' (%s)", name, s,
                              netdev_is_afxdp_type__(netdev)
                                  ? "afxdp ports only know afxdp"
                                  : "auto, afxdp or af_packet");
            return EINVAL;
        }
        cfg->io = (enum system_io)i;
    }

    s = smap_get(options, "xdp-mode");
    if (!afxdp_mode_from_string(s, &cfg->xdp_mode)) {
        *errp = xasprintf("%s: bad xdp-mode '%s' (native, generic or "
                          "best-effort)",
                          name, s);
        return EINVAL;
    }

    uint32_t n = 1;
    s = smap_get(options, "n_rxq");
    if (s && (!str_to_u32(s, &n) || n < 1 || n > NETDEV_MAX_QUEUES)) {
        *errp = xasprintf("%s: bad n_rxq '%s' (1 to %d)", name, s,
                          NETDEV_MAX_QUEUES);
        return EINVAL;
    }
    cfg->n_rxq = (int)n;
    return 0;
}

/* Sets up AF_PACKET I/O on the socket of 'dev'. */
static int
system_packet_open__(struct netdev_system *dev, char **errp)
{
    if (set_int_opt__(dev->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)) {
        VLOG_DBG("%s: PACKET_IGNORE_OUTGOING unsupported", dev->up.name);
    }
    int error = system_setup_ring__(dev, errp);
    if (!error) {
        error = system_bind__(dev, errp);
    }
    if (!error) {
        dev->io = SYSTEM_IO_AF_PACKET;
        dev->up.n_rxq = 1;
        dev->up.n_txq = 1;
    }
    return error;
}

/* Chooses and opens the I/O of 'dev' as its configuration asks. */
static int
system_open_io__(struct netdev_system *dev, char **errp)
{
    const char *name = dev->up.name;

    if (dev->cfg.io == SYSTEM_IO_AF_PACKET) {
        dev->fallback_reason = xstrdup("io=af_packet requested");
        return system_packet_open__(dev, errp);
    }

    char *xdp_err = NULL;
    int error = afxdp_port_open(name, dev->cfg.n_rxq, dev->cfg.xdp_mode,
                                &dev->xdp, &xdp_err);
    if (!error) {
        dev->io = SYSTEM_IO_AFXDP;
        dev->up.n_rxq = afxdp_port_n_queues(dev->xdp);
        dev->up.n_txq = 1;
        free(xdp_err);
        return 0;
    }
    if (dev->cfg.io == SYSTEM_IO_AFXDP) {
        *errp = xdp_err;
        return error;
    }
    VLOG_INFO("%s: AF_XDP unavailable (%s), using AF_PACKET", name,
              xdp_err ? xdp_err : tern_strerror(error));
    dev->fallback_reason = xdp_err ? xdp_err : xstrdup(tern_strerror(error));
    return system_packet_open__(dev, errp);
}

/* Follows the link of 'info' into the cache of 'aux' (a netdev_system).
 * Main thread, from nl_link_monitor_run(). */
static void
system_link_changed__(const struct nl_link_info *info, bool deleted, void *aux)
{
    struct netdev_system *dev = aux;

    pthread_mutex_lock(&dev->link_mutex);
    bool was_up = dev->link_valid && dev->link.carrier;
    if (deleted) {
        dev->link.carrier = false;
        dev->link.admin_up = false;
    } else {
        dev->link = *info;
        dev->link_valid = true;
    }
    bool is_up = dev->link.carrier;
    pthread_mutex_unlock(&dev->link_mutex);

    if (deleted) {
        VLOG_INFO("%s: interface deleted", dev->up.name);
    } else if (was_up != is_up) {
        VLOG_INFO("%s: link %s", dev->up.name, is_up ? "up" : "down");
    }
}

/* Reads the link state of 'dev' and starts following it. */
static void
system_link_start__(struct netdev_system *dev)
{
    struct nl_link_info info;
    int error = nl_link_get(dev->up.name, &info);
    if (!error) {
        pthread_mutex_lock(&dev->link_mutex);
        dev->link = info;
        dev->link_valid = true;
        pthread_mutex_unlock(&dev->link_mutex);
    } else {
        VLOG_DBG("%s: cannot read link state over rtnetlink: %s", dev->up.name,
                 tern_strerror(error));
    }
    dev->watch =
        nl_link_watch_create(dev->up.name, system_link_changed__, dev);
}

static void
netdev_system_free__(struct netdev_system *dev)
{
    nl_link_watch_destroy(dev->watch);
    afxdp_port_close(dev->xdp);
    if (dev->ring) {
        munmap(dev->ring, dev->ring_size);
    }
    if (dev->fd >= 0) {
        close(dev->fd);
    }
    free(dev->fallback_reason);
    pthread_mutex_destroy(&dev->link_mutex);
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int netdev_system_set_config(struct netdev *,
                                    const struct smap *options, char **errp);

/* Opens the control socket of 'dev' and puts the interface in promiscuous
 * mode for as long as the socket lives. */
static int
system_open_socket__(struct netdev_system *dev, char **errp)
{
    const char *name = dev->up.name;

    /* Protocol 0: nothing is received until bind(), after the ring is
     * ready (and never, with AF_XDP I/O). */
    dev->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (dev->fd < 0) {
        int error = errno;
        *errp = xasprintf("%s: cannot create packet socket: %s", name,
                          tern_strerror(error));
        return error;
    }
    struct packet_mreq mreq = {
        .mr_ifindex = dev->ifindex,
        .mr_type = PACKET_MR_PROMISC,
    };
    if (setsockopt(dev->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq,
                   sizeof mreq)) {
        VLOG_WARN("%s: cannot enable promiscuous mode: %s", name,
                  tern_strerror(errno));
    }
    return 0;
}

static int
system_open__(const struct netdev_class *class, const char *name,
              const struct smap *options, struct netdev **netdevp, char **errp)
{
    if (strlen(name) >= IFNAMSIZ) {
        *errp = xasprintf("%s: interface name too long", name);
        return EINVAL;
    }
    struct netdev_system *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, class, name);
    pthread_mutex_init(&dev->link_mutex, NULL);
    dev->fd = -1;

    int error = system_parse_config__(&dev->up, options, &dev->cfg, errp);
    if (error) {
        goto fail;
    }
    errno = 0;
    dev->ifindex = (int)if_nametoindex(name);
    if (!dev->ifindex) {
        error = errno ? errno : ENODEV;
        *errp = xasprintf("%s: no such network interface: %s", name,
                          tern_strerror(error));
        goto fail;
    }
    error = system_open_socket__(dev, errp);
    if (!error) {
        error = system_open_io__(dev, errp);
    }
    if (error) {
        goto fail;
    }
    system_link_start__(dev);
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

static int
netdev_system_open(const char *name, const struct smap *options,
                   struct netdev **netdevp, char **errp)
{
    return system_open__(&netdev_system_class, name, options, netdevp, errp);
}

static int
netdev_afxdp_open(const char *name, const struct smap *options,
                  struct netdev **netdevp, char **errp)
{
    return system_open__(&netdev_afxdp_class, name, options, netdevp, errp);
}

static void
netdev_system_close(struct netdev *netdev)
{
    netdev_system_free__(netdev_system_cast(netdev));
}

static int system_ioctl__(const struct netdev *, unsigned long cmd,
                          struct ifreq *);
static int netdev_system_get_mtu(const struct netdev *, int *mtu);

/* Sets the kernel MTU of 'netdev' to 'mtu' if it differs. */
static int
system_set_mtu__(struct netdev *netdev, int mtu)
{
    int cur;
    if (!netdev_system_get_mtu(netdev, &cur) && cur == mtu) {
        return 0;
    }
    int error = nl_link_set_mtu(netdev->name, mtu);
    if (error == ENOSYS || error == EOPNOTSUPP) {
        /* No rtnetlink: the ioctl does the same. */
        struct ifreq ifr;
        error = system_ioctl__(netdev, SIOCGIFMTU, &ifr);
        if (!error) {
            ifr.ifr_mtu = mtu;
            error = ioctl(netdev_system_cast(netdev)->fd, SIOCSIFMTU, &ifr)
                        ? errno
                        : 0;
        }
    }
    if (!error) {
        /* The notification will say so too; do not wait for it. */
        struct netdev_system *dev = netdev_system_cast(netdev);
        pthread_mutex_lock(&dev->link_mutex);
        dev->link.mtu = mtu;
        pthread_mutex_unlock(&dev->link_mutex);
    }
    return error;
}

/* Applies options:mtu to the kernel interface.  Options that choose the I/O
 * (io, xdp-mode, n_rxq) cannot change in place: a change returns EBUSY so
 * that the port is re-created. */
static int
netdev_system_set_config(struct netdev *netdev, const struct smap *options,
                         char **errp)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    struct system_config cfg;
    int error = system_parse_config__(netdev, options, &cfg, errp);
    if (error) {
        return error;
    }
    if (cfg.io != dev->cfg.io || cfg.xdp_mode != dev->cfg.xdp_mode ||
        cfg.n_rxq != dev->cfg.n_rxq) {
        *errp = xasprintf("%s: io, xdp-mode and n_rxq take effect when the "
                          "port is re-created",
                          netdev->name);
        return EBUSY;
    }

    const char *s = smap_get(options, "mtu");
    uint32_t mtu;
    if (!s) {
        return 0;
    }
    if (!str_to_u32(s, &mtu) || mtu < 68 || mtu > 65535) {
        *errp = xasprintf("%s: bad mtu '%s' (68 to 65535)", netdev->name, s);
        return EINVAL;
    }
    error = system_set_mtu__(netdev, (int)mtu);
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
system_packet_recv__(struct netdev *netdev, struct dp_packet_batch *batch)
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
    netdev_counters_add(&dev->counters.rx, count, bytes, dropped, errors);
    return count ? 0 : EAGAIN;
}

static int
system_packet_send__(struct netdev *netdev, struct dp_packet_batch *batch)
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

    netdev_counters_add(&dev->counters.tx, sent, bytes, dropped, errors);
    dp_packet_batch_free(batch);
    return (int)sent;
}

static int
netdev_system_rxq_recv(struct netdev *netdev, int qid,
                       struct dp_packet_batch *batch)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    if (dev->io == SYSTEM_IO_AFXDP) {
        return afxdp_port_rx(dev->xdp, qid, batch) ? 0 : EAGAIN;
    }
    return system_packet_recv__(netdev, batch);
}

static int
netdev_system_send(struct netdev *netdev, int qid,
                   struct dp_packet_batch *batch)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    if (dev->io == SYSTEM_IO_AFXDP) {
        return afxdp_port_tx(dev->xdp, qid, batch);
    }
    return system_packet_send__(netdev, batch);
}

/* AF_XDP has one tx ring per queue; AF_PACKET one socket. */
static int
netdev_system_set_tx_multiq(struct netdev *netdev, int n_txq)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    int max = dev->io == SYSTEM_IO_AFXDP ? afxdp_port_n_queues(dev->xdp) : 1;
    netdev->n_txq = MAX(1, MIN(n_txq, max));
    return 0;
}

static int
netdev_system_get_stats(const struct netdev *netdev,
                        struct netdev_stats *stats)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    if (dev->io == SYSTEM_IO_AFXDP) {
        afxdp_port_get_stats(dev->xdp, stats);
        return 0;
    }

    struct tpacket_stats ks;
    socklen_t len = sizeof ks;
    /* Reading the kernel's counters resets them: accumulate. */
    if (!getsockopt(dev->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len)) {
        atomic_fetch_add_explicit(&dev->kernel_drops, ks.tp_drops,
                                  memory_order_relaxed);
    }
    netdev_counters_read(&dev->counters, stats);
    stats->rx_dropped +=
        atomic_load_explicit(&dev->kernel_drops, memory_order_relaxed);
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

/* Copies the cached link state of 'netdev' into '*info'.  Returns false
 * when nothing is cached (rtnetlink unavailable). */
static bool
system_link_get__(const struct netdev *netdev, struct nl_link_info *info)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    pthread_mutex_lock(&dev->link_mutex);
    bool valid = dev->link_valid;
    if (valid) {
        *info = dev->link;
    }
    pthread_mutex_unlock(&dev->link_mutex);
    return valid;
}

static int
netdev_system_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct nl_link_info info;
    if (system_link_get__(netdev, &info)) {
        *mac = info.mac;
        return 0;
    }
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
    struct nl_link_info info;
    if (system_link_get__(netdev, &info)) {
        *mtu = info.mtu;
        return 0;
    }
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
    struct nl_link_info info;
    if (system_link_get__(netdev, &info)) {
        return info.carrier;
    }
    struct ifreq ifr;
    return (!system_ioctl__(netdev, SIOCGIFFLAGS, &ifr) &&
            (ifr.ifr_flags & IFF_RUNNING));
}

static bool
netdev_system_get_admin_up(const struct netdev *netdev)
{
    struct nl_link_info info;
    if (system_link_get__(netdev, &info)) {
        return info.admin_up;
    }
    struct ifreq ifr;
    return (!system_ioctl__(netdev, SIOCGIFFLAGS, &ifr) &&
            (ifr.ifr_flags & IFF_UP));
}

static int
netdev_system_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_system *dev = netdev_system_cast(netdev);
    const char *io = system_io_names[dev->io];

    smap_replace(status, "driver", io);
    smap_replace(status, "io", io);
    smap_replace(status, "xdp-mode", afxdp_mode_to_string(dev->cfg.xdp_mode));
    if (dev->io == SYSTEM_IO_AFXDP) {
        afxdp_port_get_status(dev->xdp, status);
    } else {
        smap_replace(status, "mode", "tpacket_v2");
        smap_replace(status, "xdp-mode-in-use", "none");
        if (dev->fallback_reason) {
            smap_replace(status, "fallback-reason", dev->fallback_reason);
        }
    }
    smap_add_format(status, "ifindex", "%d", dev->ifindex);
    smap_add_format(status, "n_rxq", "%d", netdev->n_rxq);
    smap_add_format(status, "n_txq", "%d", netdev->n_txq);
    return 0;
}

#define SYSTEM_CLASS(TYPE, OPEN)                                              \
    {                                                                         \
        .type = TYPE, .init = netdev_system_init, .run = NULL, .open = OPEN,  \
        .close = netdev_system_close, .set_config = netdev_system_set_config, \
        .set_tx_multiq = netdev_system_set_tx_multiq,                         \
        .rxq_recv = netdev_system_rxq_recv, .send = netdev_system_send,       \
        .get_stats = netdev_system_get_stats,                                 \
        .get_etheraddr = netdev_system_get_etheraddr,                         \
        .get_mtu = netdev_system_get_mtu,                                     \
        .get_carrier = netdev_system_get_carrier,                             \
        .get_admin_up = netdev_system_get_admin_up,                           \
        .get_status = netdev_system_get_status,                               \
    }

const struct netdev_class netdev_system_class =
    SYSTEM_CLASS("system", netdev_system_open);
const struct netdev_class netdev_afxdp_class =
    SYSTEM_CLASS("afxdp", netdev_afxdp_open);
