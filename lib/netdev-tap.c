/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-tap: the "internal" and "tap" netdev providers, a Linux tap device
 * named after the port, through which the host's own network stack talks
 * to the bridge.  The bridge's LOCAL port and Interface rows of type
 * "internal" use it; "tap" is the same device under Open vSwitch's other
 * name for it.
 *
 * Opening the device opens /dev/net/tun non-blocking with IFF_TAP |
 * IFF_NO_PI and the port's name, which creates the kernel interface (or
 * attaches to a persistent tap of that name).  The interface is not made
 * persistent, so it disappears when the device is closed, and with the
 * process.  Then options:mac (the bridge passes its own MAC for its LOCAL
 * port) and options:mtu (Interface.mtu_request) are applied over rtnetlink
 * (nl-link).  As in Open vSwitch, a new tap is left administratively down
 * until the host brings it up ("ip link set br0 up"), so that the host
 * decides when its stack starts talking on it (IPv6 autoconfiguration,
 * for one); that and every later change made outside Tern is followed.
 *
 * Receive reads one frame per read() into an mbuf of the default pool (or
 * of a pool with 9 kB buffers, made when a tap's MTU first needs it; larger
 * frames are dropped and counted as errors); transmit writes one
 * frame per write().  A frame the kernel refuses (interface down, queue
 * full) is dropped and counted.  The kernel's view of the interface (MAC,
 * MTU, IFF_UP, IFF_RUNNING) is cached in atomics, read once at open and
 * kept current by an nl-link watch from the main loop, so getters are
 * cheap and safe from any thread.  Statistics are Tern's own counters, seen
 * from the switch: rx is what Tern read from the tap (what the host sent),
 * tx what it wrote.
 *
 * One rx queue and one tx queue; concurrent senders share the tx queue
 * under the generic layer's lock.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/dpdk.h"
#include "lib/netdev-counters.h"
#include "lib/netdev-provider.h"
#include "lib/nl-link.h"
#include "lib/packets.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_tap);

/* Largest frame read: a 65535-byte MTU plus Ethernet and VLAN headers. */
#define TAP_MAX_FRAME (65535 + ETH_HEADER_LEN + 4)
/* The pool for frames too big for the default pool. */
#define TAP_JUMBO_DATA_ROOM (9216 + RTE_PKTMBUF_HEADROOM + 64)
#define TAP_JUMBO_POOL_N    4096

struct netdev_tap {
    struct netdev up; /* First: the generic layer casts. */

    /* Fixed after open. */
    int fd;      /* /dev/net/tun, non-blocking. */
    bool bad_fd; /* The interface went away under us. */

    /* Main thread only. */
    struct nl_link_watch *watch;
    struct eth_addr mac_request; /* options:mac applied, or zero. */
    int mtu_request;             /* options:mtu applied, or 0. */

    /* The kernel's view, written by the main thread, read by any. */
    _Atomic int ifindex;
    _Atomic int mtu;
    _Atomic uint64_t mac; /* struct eth_addr packed in the low 48 bits. */
    atomic_bool admin_up;
    atomic_bool carrier;
    atomic_bool deleted;

    /* Owned by the thread polling rx queue 0. */
    uint8_t *scratch; /* TAP_MAX_FRAME bytes, for frames too big. */

    struct netdev_counters counters;
};

static _Atomic(struct rte_mempool *) tap_jumbo_pool;

static struct netdev_tap *
netdev_tap_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_tap, up);
}

static uint64_t
tap_mac_pack__(const struct eth_addr *mac)
{
    uint64_t v = 0;
    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        v = (v << 8) | mac->ea[i];
    }
    return v;
}

static struct eth_addr
tap_mac_unpack__(uint64_t v)
{
    struct eth_addr mac;
    for (int i = ETH_ADDR_LEN - 1; i >= 0; i--) {
        mac.ea[i] = v & 0xff;
        v >>= 8;
    }
    return mac;
}

/* Received frames are copied into mbufs, so DPDK must be running. */
static int
netdev_tap_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);
    if (error) {
        VLOG_ERR("tap devices need DPDK packet buffers: %s", err ? err : "");
    }
    free(err);
    return error;
}

/* Creates the pool for frames bigger than the default pool holds, once an
 * MTU of 'mtu' needs it.  Main thread. */
static void
tap_ensure_jumbo_pool__(int mtu)
{
    static bool failed;
    struct rte_mempool *pool = dp_packet_default_pool();

    if (failed || !pool ||
        atomic_load_explicit(&tap_jumbo_pool, memory_order_relaxed) ||
        mtu + ETH_HEADER_LEN + 4 <=
            rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM) {
        return;
    }
    int error;
    pool = dp_packet_pool_create("tern_tap_jumbo", TAP_JUMBO_POOL_N,
                                 TAP_JUMBO_DATA_ROOM, SOCKET_ID_ANY, &error);
    if (!pool) {
        failed = true;
        return;
    }
    /* Pairs with the acquire load in tap_rx_pool__(). */
    atomic_store_explicit(&tap_jumbo_pool, pool, memory_order_release);
}

/* Stores the kernel's view 'info' in 'dev'.  Main thread. */
static void
tap_store_info__(struct netdev_tap *dev, const struct nl_link_info *info)
{
    tap_ensure_jumbo_pool__(info->mtu);
    atomic_store_explicit(&dev->ifindex, info->ifindex, memory_order_relaxed);
    atomic_store_explicit(&dev->mtu, info->mtu, memory_order_relaxed);
    atomic_store_explicit(&dev->mac, tap_mac_pack__(&info->mac),
                          memory_order_relaxed);
    atomic_store_explicit(&dev->admin_up, info->admin_up,
                          memory_order_relaxed);
    atomic_store_explicit(&dev->carrier, info->carrier, memory_order_relaxed);
}

/* Reads the kernel's view of 'dev' again. */
static void
tap_refresh__(struct netdev_tap *dev)
{
    struct nl_link_info info;
    if (!nl_link_get(dev->up.name, &info)) {
        tap_store_info__(dev, &info);
    }
}

/* nl-link watch callback (main thread). */
static void
tap_link_changed__(const struct nl_link_info *info, bool deleted, void *aux)
{
    struct netdev_tap *dev = aux;
    int ifindex = atomic_load_explicit(&dev->ifindex, memory_order_relaxed);

    if (deleted) {
        if (info->ifindex == ifindex) {
            VLOG_WARN("%s: interface deleted outside Tern", dev->up.name);
            atomic_store_explicit(&dev->deleted, true, memory_order_relaxed);
            atomic_store_explicit(&dev->admin_up, false, memory_order_relaxed);
            atomic_store_explicit(&dev->carrier, false, memory_order_relaxed);
        }
        return;
    }
    /* Notifications may be older than what open() or set_config() already
     * stored: read the current state instead of trusting 'info'. */
    struct nl_link_info now;
    if (info->ifindex != ifindex || nl_link_get(dev->up.name, &now) ||
        now.ifindex != ifindex) {
        return; /* Another interface took the name, or it is going. */
    }
    bool was_up = atomic_load_explicit(&dev->admin_up, memory_order_relaxed);
    bool had_carrier =
        atomic_load_explicit(&dev->carrier, memory_order_relaxed);
    tap_store_info__(dev, &now);
    if (was_up != now.admin_up || had_carrier != now.carrier) {
        VLOG_INFO("%s: link is now administratively %s, carrier %s",
                  dev->up.name, now.admin_up ? "up" : "down",
                  now.carrier ? "up" : "down");
    }
}

/* Creates or attaches the tap of 'dev' on a new /dev/net/tun descriptor. */
static int
tap_open_fd__(struct netdev_tap *dev, char **errp)
{
    dev->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (dev->fd < 0) {
        int error = errno;
        *errp = xasprintf("%s: cannot open /dev/net/tun: %s", dev->up.name,
                          tern_strerror(error));
        return error;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", dev->up.name);
    if (ioctl(dev->fd, TUNSETIFF, &ifr)) {
        int error = errno;
        *errp = xasprintf("%s: cannot create tap device: %s%s", dev->up.name,
                          tern_strerror(error),
                          error == EINVAL || error == EBUSY
                              ? " (another interface has this name?)"
                              : "");
        return error;
    }
    if (strcmp(ifr.ifr_name, dev->up.name)) {
        *errp = xasprintf("%s: kernel named the tap %s", dev->up.name,
                          ifr.ifr_name);
        return EINVAL;
    }
    return 0;
}

static void
netdev_tap_free__(struct netdev_tap *dev)
{
    nl_link_watch_destroy(dev->watch);
    if (dev->fd >= 0) {
        close(dev->fd);
    }
    free(dev->scratch);
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int netdev_tap_set_config(struct netdev *, const struct smap *options,
                                 char **errp);

/* Opens a device of 'class' ("internal" or "tap"). */
static int
netdev_tap_open__(const struct netdev_class *class, const char *name,
                  const struct smap *options, struct netdev **netdevp,
                  char **errp)
{
    if (strlen(name) >= IFNAMSIZ) {
        *errp = xasprintf("%s: interface name too long", name);
        return EINVAL;
    }
    struct netdev_tap *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, class, name);
    dev->scratch = xmalloc(TAP_MAX_FRAME);

    int error = tap_open_fd__(dev, errp);
    if (error) {
        goto fail;
    }
    struct nl_link_info info;
    error = nl_link_get(name, &info);
    if (error) {
        *errp = xasprintf("%s: cannot read the new tap: %s", name,
                          tern_strerror(error));
        goto fail;
    }
    tap_store_info__(dev, &info);
    dev->watch = nl_link_watch_create(name, tap_link_changed__, dev);
    if (!dev->watch) {
        VLOG_WARN("%s: link changes made outside Tern will not be seen", name);
    }
    dev->up.n_rxq = 1;
    dev->up.n_txq = 1;
    error = netdev_tap_set_config(&dev->up, options, errp);
    if (error) {
        goto fail;
    }
    tap_refresh__(dev);
    *netdevp = &dev->up;
    return 0;

fail:
    netdev_tap_free__(dev);
    return error;
}

static int
netdev_internal_open(const char *name, const struct smap *options,
                     struct netdev **netdevp, char **errp)
{
    return netdev_tap_open__(&netdev_internal_class, name, options, netdevp,
                             errp);
}

static int
netdev_tap_open(const char *name, const struct smap *options,
                struct netdev **netdevp, char **errp)
{
    return netdev_tap_open__(&netdev_tap_class, name, options, netdevp, errp);
}

static void
netdev_tap_close(struct netdev *netdev)
{
    netdev_tap_free__(netdev_tap_cast(netdev));
}

/* Parses and applies options:mtu ("" or absent: left as it is). */
static int
tap_apply_mtu__(struct netdev_tap *dev, const struct smap *options,
                char **errp)
{
    const char *s = smap_get(options, "mtu");
    uint32_t mtu = 0;

    if (s && (!str_to_u32(s, &mtu) || mtu < 68 || mtu > 65535)) {
        *errp = xasprintf("%s: bad mtu '%s' (68 to 65535)", dev->up.name, s);
        return EINVAL;
    }
    if (!mtu || (int)mtu == dev->mtu_request) {
        dev->mtu_request = (int)mtu;
        return 0;
    }
    int error = nl_link_set_mtu(dev->up.name, (int)mtu);
    if (error) {
        *errp = xasprintf("%s: cannot set mtu %s: %s", dev->up.name, s,
                          tern_strerror(error));
        return error;
    }
    dev->mtu_request = (int)mtu;
    return 0;
}

/* Parses and applies options:mac ("" or absent: the kernel's choice). */
static int
tap_apply_mac__(struct netdev_tap *dev, const struct smap *options,
                char **errp)
{
    const char *s = smap_get(options, "mac");
    struct eth_addr mac = {{0}};

    if (s && *s &&
        (!eth_addr_from_string(s, &mac) || (mac.ea[0] & 1) ||
         eth_addr_is_zero(mac))) {
        *errp = xasprintf("%s: bad mac '%s' (a unicast Ethernet address)",
                          dev->up.name, s);
        return EINVAL;
    }
    if (eth_addr_is_zero(mac) ||
        !memcmp(&mac, &dev->mac_request, sizeof mac)) {
        dev->mac_request = mac;
        return 0;
    }
    int error = nl_link_set_mac(dev->up.name, &mac);
    if (error) {
        *errp = xasprintf("%s: cannot set mac %s: %s", dev->up.name, s,
                          tern_strerror(error));
        return error;
    }
    dev->mac_request = mac;
    return 0;
}

/* Applies options:mtu and options:mac; other options are accepted and not
 * used. */
static int
netdev_tap_set_config(struct netdev *netdev, const struct smap *options,
                      char **errp)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    int error = tap_apply_mtu__(dev, options, errp);
    if (!error) {
        error = tap_apply_mac__(dev, options, errp);
    }
    tap_refresh__(dev);
    return error;
}

/* The pool for the frames of 'dev': the default pool unless the MTU needs
 * a bigger data room. */
static struct rte_mempool *
tap_rx_pool__(struct netdev_tap *dev)
{
    int mtu = atomic_load_explicit(&dev->mtu, memory_order_relaxed);
    struct rte_mempool *pool = dp_packet_default_pool();
    if (!pool || mtu + ETH_HEADER_LEN + 4 <=
                     rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM) {
        return pool;
    }
    struct rte_mempool *jumbo =
        atomic_load_explicit(&tap_jumbo_pool, memory_order_acquire);
    return jumbo ? jumbo : pool;
}

/* Reads one frame into a packet from 'pool'.  Returns 0 with '*pp' set (or
 * NULL for a frame dropped), or EAGAIN, or another positive errno. */
static int
tap_read_one__(struct netdev_tap *dev, struct rte_mempool *pool,
               struct dp_packet **pp)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
    struct iovec iov[2];
    int n_iov = 0;
    size_t room = 0;

    *pp = NULL;
    if (m) {
        room = rte_pktmbuf_tailroom(m);
        iov[n_iov].iov_base = rte_pktmbuf_mtod(m, void *);
        iov[n_iov++].iov_len = room;
    }
    iov[n_iov].iov_base = dev->scratch;
    iov[n_iov++].iov_len = TAP_MAX_FRAME;

    ssize_t n = readv(dev->fd, iov, n_iov);
    if (n < 0) {
        int error = errno;
        rte_pktmbuf_free(m);
        return error == EWOULDBLOCK ? EAGAIN : error;
    }
    if (!m) {
        netdev_counters_add(&dev->counters.rx, 0, 0, 1, 0);
        return 0;
    }
    if ((size_t)n > room) {
        VLOG_WARN_RL(&rl,
                     "%s: dropped a %zd-byte frame (packet buffers hold "
                     "%zu)",
                     dev->up.name, n, room);
        netdev_counters_add(&dev->counters.rx, 0, 0, 0, 1);
        rte_pktmbuf_free(m);
        return 0;
    }
    m->data_len = (uint16_t)n;
    m->pkt_len = (uint32_t)n;
    *pp = dp_packet_from_mbuf(m);
    return 0;
}

static int
netdev_tap_rxq_recv(struct netdev *netdev, int qid TERN_UNUSED,
                    struct dp_packet_batch *batch)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    struct rte_mempool *pool = tap_rx_pool__(dev);
    uint32_t count = 0;
    uint64_t bytes = 0;

    if (!pool || dev->bad_fd) {
        return EAGAIN;
    }
    for (int budget = DP_PACKET_BATCH_SIZE; budget > 0; budget--) {
        struct dp_packet *p;
        int error = tap_read_one__(dev, pool, &p);
        if (error) {
            if (error != EAGAIN && error != EINTR) {
                /* EBADFD: the interface was deleted. */
                VLOG_WARN_RL(&rl, "%s: read failed: %s", netdev->name,
                             tern_strerror(error));
                if (error == EBADFD || error == EBADF) {
                    dev->bad_fd = true;
                }
            }
            break;
        }
        if (p) {
            bytes += dp_packet_size(p);
            batch->packets[count++] = p;
        }
    }
    batch->count = count;
    netdev_counters_add(&dev->counters.rx, count, bytes, 0, 0);
    return count ? 0 : EAGAIN;
}

static int
netdev_tap_send(struct netdev *netdev, int qid TERN_UNUSED,
                struct dp_packet_batch *batch)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    uint64_t sent = 0, bytes = 0, dropped = 0, errors = 0;

    for (uint32_t i = 0; i < batch->count; i++) {
        const struct dp_packet *p = batch->packets[i];
        ssize_t n;
        do {
            n = write(dev->fd, dp_packet_data(p), dp_packet_size(p));
        } while (n < 0 && errno == EINTR);
        if (n == (ssize_t)dp_packet_size(p)) {
            sent++;
            bytes += (uint64_t)n;
            continue;
        }
        int error = n < 0 ? errno : EIO;
        dropped++;
        /* EIO: the interface is down; EAGAIN/ENOBUFS: the kernel's queue is
         * full.  Both are ordinary drops. */
        if (error != EIO && error != EAGAIN && error != ENOBUFS &&
            error != EBADFD) {
            errors++;
            VLOG_WARN_RL(&rl, "%s: write failed: %s", netdev->name,
                         tern_strerror(error));
        }
    }
    netdev_counters_add(&dev->counters.tx, sent, bytes, dropped, errors);
    dp_packet_batch_free(batch);
    return (int)sent;
}

static int
netdev_tap_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    netdev_counters_read(&netdev_tap_cast(netdev)->counters, stats);
    return 0;
}

static int
netdev_tap_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    *mac = tap_mac_unpack__(
        atomic_load_explicit(&dev->mac, memory_order_relaxed));
    return 0;
}

static int
netdev_tap_get_mtu(const struct netdev *netdev, int *mtu)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    *mtu = atomic_load_explicit(&dev->mtu, memory_order_relaxed);
    return 0;
}

static bool
netdev_tap_get_carrier(const struct netdev *netdev)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    return atomic_load_explicit(&dev->carrier, memory_order_relaxed);
}

static bool
netdev_tap_get_admin_up(const struct netdev *netdev)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    return atomic_load_explicit(&dev->admin_up, memory_order_relaxed);
}

static int
netdev_tap_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_tap *dev = netdev_tap_cast(netdev);
    bool deleted = atomic_load_explicit(&dev->deleted, memory_order_relaxed);

    smap_replace(status, "driver_name", "tun");
    smap_replace(status, "mode", "tap");
    smap_add_format(status, "ifindex", "%d",
                    atomic_load_explicit(&dev->ifindex, memory_order_relaxed));
    if (deleted || dev->bad_fd) {
        smap_replace(status, "error", "interface deleted outside Tern");
    }
    return 0;
}

/* The kernel wakes the main thread up when the tap has a frame. */
static int
netdev_tap_rxq_wait_fd(const struct netdev *netdev, int qid TERN_UNUSED)
{
    const struct netdev_tap *dev = netdev_tap_cast(netdev);

    /* A dead fd would report an error forever: nothing to wait for. */
    return dev->bad_fd ? -1 : dev->fd;
}

/* The two classes differ only in their type and in how they open. */
#define TAP_CLASS(TYPE, OPEN)                                                 \
    {                                                                         \
        .type = TYPE, .init = netdev_tap_init, .run = NULL, .open = OPEN,     \
        .close = netdev_tap_close, .set_config = netdev_tap_set_config,       \
        .set_tx_multiq = NULL, .rxq_recv = netdev_tap_rxq_recv,               \
        .send = netdev_tap_send, .get_stats = netdev_tap_get_stats,           \
        .get_etheraddr = netdev_tap_get_etheraddr,                            \
        .get_mtu = netdev_tap_get_mtu, .get_carrier = netdev_tap_get_carrier, \
        .get_admin_up = netdev_tap_get_admin_up,                              \
        .get_status = netdev_tap_get_status, .main_thread_rx = true,          \
        .rxq_wait_fd = netdev_tap_rxq_wait_fd,                                \
    }

const struct netdev_class netdev_internal_class =
    TAP_CLASS("internal", netdev_internal_open);
const struct netdev_class netdev_tap_class = TAP_CLASS("tap", netdev_tap_open);
