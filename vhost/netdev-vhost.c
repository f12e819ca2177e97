/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-vhost: the "dpdkvhostuser" (Tern serves the socket) and
 * "dpdkvhostuserclient" (Tern connects to the VM's socket) netdev providers,
 * built on DPDK's rte_vhost.  A guest's virtio-net queue pair i is Tern's
 * rx queue i (the guest's TX vring 2i+1, dequeued) and one of the rings
 * Tern's tx queues send on (the guest's RX vring 2i, enqueued).
 *
 * Options (both types):
 *   tx-retries-max=N  extra enqueue attempts (0..32, default 8) when the
 *                     guest's RX ring fills mid-burst; what still does not
 *                     fit is dropped and counted (tx_dropped); the extra
 *                     attempts are counted in tx_retries.  An attempt that
 *                     moves nothing ends the burst at once, so a guest that
 *                     stopped reading costs one ring check per burst.
 *   mtu=N             the port's MTU (Interface mtu_request; 68..2030):
 *                     longer frames are not sent to the guest (tx_errors).
 *                     The MTU the guest sees is QEMU's host_mtu; when the
 *                     guest reports one (VIRTIO_NET_F_MTU) it is shown in
 *                     status as guest_mtu.
 *   vhost-server-path=PATH  dpdkvhostuserclient only, required.
 *
 * Queues.  Tern polls rx queue i only while the guest has enabled its TX
 * vring 2i+1 and sends only on enabled RX vrings, spreading packets over
 * them by flow hash (a flow keeps to one queue).  The number of rx queues is
 * the highest queue pair the guest has enabled since the port was created,
 * plus one; when it grows, the device bumps its change_seq and the datapath
 * re-places the rx queues on its PMDs (netdev_reconfigure()).  It never
 * shrinks (see vhost_update_wanted_rxq__()).
 *
 * Threads.
 *   - Main thread: open, close, set_config, set_tx_multiq, reconfigure,
 *     getters.  Getters read only atomics cached by the callbacks below,
 *     never rte_vhost device state (a device may vanish at any moment).
 *   - rte_vhost's event thread ("vhost-events") runs the callbacks
 *     (new_connection, new_device, vring_state_changed, destroy_device,
 *     destroy_connection).  They find the device by socket path in
 *     'vhost_devs' under 'vhost_mutex' and change only atomics of it; they
 *     never touch datapath state.  destroy_device may also run on the main
 *     thread, inside rte_vhost_driver_unregister() in close.
 *   - PMD threads (and the main thread for packets it executes) call
 *     rxq_recv and send.  Each queue has a 'busy' flag, set around every
 *     rte_vhost burst.
 *
 * Device removal handshake.  rte_vhost does not protect a burst against
 * the device being destroyed (its docs leave it to the application:
 * destroy_device must not return while a burst on the device runs).  The
 * burst side does: busy = 1; if ready: burst; busy = 0.  destroy_device
 * does: ready = 0; wait until every busy flag is 0.  All four accesses are
 * sequentially consistent, so either the burst sees ready == 0 or
 * destroy_device sees busy == 1 and waits; bursts are bounded (at most
 * 1 + tx-retries-max enqueue calls), so the wait is short.  A burst never
 * blocks on anything the vhost-events thread holds while it waits here:
 * rte_vhost takes no queue lock around destroy_device.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_pause.h>
#include <rte_vhost.h>

#include "lib/daemon.h"
#include "lib/dpdk.h"
#include "lib/dpdk-mbuf.h"
#include "lib/netdev-provider.h"
#include "lib/packets.h"
#include "lib/vlog.h"
#include "vhost/netdev-vhost.h"
#include "vhost/vhost-guard.h"

VLOG_DEFINE_THIS_MODULE(netdev_vhost);

#define VHOST_MAX_QP             32 /* Guest queue pairs Tern serves. */
#define VHOST_DEFAULT_TX_RETRIES 8
#define VHOST_MAX_TX_RETRIES     32
#define VHOST_DEFAULT_MTU        1500
#define VHOST_MIN_MTU            68
#define VHOST_MAX_MTU            2030     /* Default pool data room - L2. */
#define VHOST_L2_OVERHEAD        (14 + 4) /* Ethernet + one VLAN tag. */
#define VHOST_VIRTIO_RXQ(PAIR)   ((uint16_t)(2 * (PAIR)))
#define VHOST_VIRTIO_TXQ(PAIR)   ((uint16_t)(2 * (PAIR) + 1))

/* Offloads Tern does not handle: without them guests send and expect plain,
 * checksummed, unsegmented frames. */
#define VHOST_DISABLED_FEATURES                                               \
    ((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) |        \
     (1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) |  \
     (1ULL << VIRTIO_NET_F_GUEST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_UFO) |    \
     (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) |    \
     (1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_HOST_UFO))

/* Counters and the removal handshake flag of one queue.  Counters are
 * written by the one thread using the queue (relaxed) and read by getters;
 * 'busy' follows the handshake in the file comment.  Padded to a cache
 * line so that PMDs do not share lines. */
struct vhost_queue {
    _Atomic uint32_t busy;
    uint32_t empty_polls; /* Receive queues: by the polling thread only. */
    _Atomic uint64_t packets, bytes, dropped, errors, retries;
    uint8_t pad[64 - 6 * sizeof(uint64_t)];
};

struct netdev_vhost {
    struct netdev up; /* First: the generic layer casts. */

    /* Main thread. */
    char *path; /* Socket path. */
    bool client;
    bool registered; /* rte_vhost knows 'path'. */

    /* Options: set by the main thread, read by senders. */
    _Atomic int tx_retries_max;
    _Atomic int mtu;

    /* State of the guest, written by the vhost-events thread. */
    _Atomic bool connected;      /* The socket connection is up. */
    _Atomic int conn_vid;        /* Its rte_vhost id, -1 if none. */
    _Atomic bool ready;          /* new_device ran, destroy_device not. */
    _Atomic int vid;             /* rte_vhost device id, -1 if none. */
    _Atomic uint32_t rx_enabled; /* Bit i: guest RX vring of pair i. */
    _Atomic uint32_t tx_enabled; /* Bit i: guest TX vring of pair i. */
    _Atomic uint64_t features;   /* Negotiated virtio features. */
    _Atomic int n_vrings;        /* Vrings the guest set up. */
    _Atomic int guest_mtu;       /* 0: unknown. */
    _Atomic int wanted_n_rxq;    /* Applied by reconfigure. */
    _Atomic int applied_n_rxq;   /* Mirror of up.n_rxq for the callbacks. */
    _Atomic uint64_t n_connects; /* Connections so far. */

    struct vhost_queue rxqs[VHOST_MAX_QP];
    struct vhost_queue txqs[NETDEV_MAX_QUEUES];
};

/* Open vhost devices, found by socket path from the callbacks.  The list
 * and the devices' life are guarded by 'vhost_mutex': a callback holds it
 * while it uses a device, close removes the device under it. */
static pthread_mutex_t vhost_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct netdev_vhost **vhost_devs;
static size_t n_vhost_devs;

/* Main thread: other_config:vhost-sock-dir, NULL for the run directory. */
static char *vhost_sock_dir;

static const struct rte_vhost_device_ops vhost_ops;

static struct netdev_vhost *
netdev_vhost_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_vhost, up);
}

/* ---- Socket directory. ---- */

void
netdev_vhost_set_sock_dir(const char *dir)
{
    if (dir && !dir[0]) {
        dir = NULL;
    }
    if ((!dir && !vhost_sock_dir) ||
        (dir && vhost_sock_dir && !strcmp(dir, vhost_sock_dir))) {
        return;
    }
    free(vhost_sock_dir);
    vhost_sock_dir = dir ? xstrdup(dir) : NULL;
    VLOG_INFO("vhost-user sockets now go to %s",
              vhost_sock_dir ? vhost_sock_dir : daemon_rundir());
}

char *
netdev_vhost_server_path(const char *name)
{
    const char *dir = vhost_sock_dir;

    if (!dir) {
        return xasprintf("%s/%s", daemon_rundir(), name);
    }
    if (dir[0] == '/') {
        return xasprintf("%s/%s", dir, name);
    }
    return xasprintf("%s/%s/%s", daemon_rundir(), dir, name);
}

/* ---- The device registry, shared with the callbacks. ---- */

static void
vhost_devs_add__(struct netdev_vhost *dev)
{
    pthread_mutex_lock(&vhost_mutex);
    vhost_devs = xrealloc(vhost_devs, (n_vhost_devs + 1) * sizeof *vhost_devs);
    vhost_devs[n_vhost_devs++] = dev;
    pthread_mutex_unlock(&vhost_mutex);
}

static void
vhost_devs_remove__(struct netdev_vhost *dev)
{
    pthread_mutex_lock(&vhost_mutex);
    for (size_t i = 0; i < n_vhost_devs; i++) {
        if (vhost_devs[i] == dev) {
            vhost_devs[i] = vhost_devs[--n_vhost_devs];
            break;
        }
    }
    if (!n_vhost_devs) {
        free(vhost_devs);
        vhost_devs = NULL;
    }
    pthread_mutex_unlock(&vhost_mutex);
}

/* Returns the device whose socket is 'path'; the caller holds
 * 'vhost_mutex'. */
static struct netdev_vhost *
vhost_devs_find__(const char *path)
{
    for (size_t i = 0; i < n_vhost_devs; i++) {
        if (!strcmp(vhost_devs[i]->path, path)) {
            return vhost_devs[i];
        }
    }
    return NULL;
}

/* Takes 'vhost_mutex' and returns the device of rte_vhost device 'vid', or
 * releases the mutex and returns NULL.  The caller unlocks when done. */
static struct netdev_vhost *
vhost_lock_by_vid__(int vid)
{
    char path[PATH_MAX];

    if (rte_vhost_get_ifname(vid, path, sizeof path) < 0) {
        return NULL;
    }
    pthread_mutex_lock(&vhost_mutex);
    struct netdev_vhost *dev = vhost_devs_find__(path);
    if (!dev) {
        pthread_mutex_unlock(&vhost_mutex);
    }
    return dev;
}

/* ---- Callbacks: rte_vhost's event thread (see the file comment). ---- */

/* Highest enabled queue pair of 'mask' plus one, at least 1. */
static int
vhost_mask_n_queues__(uint32_t mask)
{
    return mask ? 32 - __builtin_clz(mask) : 1;
}

/* Asks the datapath for more rx queues if the guest enabled a TX vring
 * beyond the current count.  The count only grows: queues a guest disables
 * (on its way down, or with fewer channels) keep their place and are
 * skipped by rxq_recv at the cost of one load, so a guest that restarts
 * causes no re-placement and one that toggles its queues can stop the
 * PMDs at most VHOST_MAX_QP times in the port's life. */
static void
vhost_update_wanted_rxq__(struct netdev_vhost *dev)
{
    int n = vhost_mask_n_queues__(atomic_load(&dev->tx_enabled));
    if (n > atomic_load(&dev->wanted_n_rxq)) {
        atomic_store(&dev->wanted_n_rxq, n);
        if (n != atomic_load(&dev->applied_n_rxq)) {
            netdev_change_seq_changed(&dev->up);
        }
    }
}

static int
vhost_new_connection__(int vid)
{
    struct netdev_vhost *dev = vhost_lock_by_vid__(vid);

    if (!dev) {
        return 0;
    }
    if (atomic_load(&dev->conn_vid) >= 0) {
        /* One frontend per port: rte_vhost closes this one. */
        VLOG_WARN("%s: second vhost-user connection refused (%s)",
                  dev->up.name, dev->path);
        pthread_mutex_unlock(&vhost_mutex);
        return -1;
    }
    atomic_store(&dev->conn_vid, vid);
    atomic_store(&dev->rx_enabled, 0);
    atomic_store(&dev->tx_enabled, 0);
    atomic_store(&dev->connected, true);
    atomic_fetch_add(&dev->n_connects, 1);
    if (vhost_guard_attach(vid, dev->up.name)) {
        VLOG_WARN("%s: cannot check vhost-user messages", dev->up.name);
    }
    VLOG_INFO("%s: vhost-user %s connected (%s)", dev->up.name,
              dev->client ? "server" : "client", dev->path);
    pthread_mutex_unlock(&vhost_mutex);
    return 0;
}

static void
vhost_destroy_connection__(int vid)
{
    char why[200];
    bool bad = vhost_guard_detach(vid, why, sizeof why);
    struct netdev_vhost *dev = vhost_lock_by_vid__(vid);

    if (!dev) {
        return;
    }
    if (atomic_load(&dev->conn_vid) != vid) {
        pthread_mutex_unlock(&vhost_mutex);
        return;
    }
    atomic_store(&dev->conn_vid, -1);
    atomic_store(&dev->connected, false);
    atomic_store(&dev->rx_enabled, 0);
    atomic_store(&dev->tx_enabled, 0);
    if (bad) {
        VLOG_WARN("%s: vhost-user connection closed: %s (%s)", dev->up.name,
                  why, dev->path);
    } else {
        VLOG_INFO("%s: vhost-user connection closed (%s)", dev->up.name,
                  dev->path);
    }
    pthread_mutex_unlock(&vhost_mutex);
}

static int
vhost_new_device__(int vid)
{
    struct netdev_vhost *dev = vhost_lock_by_vid__(vid);
    uint64_t features = 0;
    uint16_t mtu = 0;

    if (!dev) {
        return -1;
    }
    if (atomic_load(&dev->conn_vid) != vid || atomic_load(&dev->ready)) {
        pthread_mutex_unlock(&vhost_mutex);
        return -1;
    }
    int n_vrings = rte_vhost_get_vring_num(vid);
    for (int q = 0; q < n_vrings && q < 2 * VHOST_MAX_QP; q++) {
        /* Tern polls: the guest need not kick. */
        rte_vhost_enable_guest_notification(vid, (uint16_t)q, 0);
    }
    rte_vhost_get_negotiated_features(vid, &features);
    atomic_store(&dev->features, features);
    atomic_store(&dev->n_vrings, n_vrings);
    atomic_store(&dev->guest_mtu, rte_vhost_get_mtu(vid, &mtu) ? 0 : (int)mtu);
    atomic_store(&dev->vid, vid);
    /* Publishes 'vid' and the above to the bursts that see ready. */
    atomic_store(&dev->ready, true);
    vhost_update_wanted_rxq__(dev);
    VLOG_INFO("%s: vhost-user guest driver ready (%d vrings, features "
              "%#" PRIx64 ")",
              dev->up.name, n_vrings, features);
    pthread_mutex_unlock(&vhost_mutex);
    return 0;
}

/* Waits until no burst runs on 'dev' (see the handshake in the file
 * comment).  'ready' is already false. */
static void
vhost_wait_idle__(struct netdev_vhost *dev)
{
    for (size_t i = 0; i < ARRAY_SIZE(dev->rxqs); i++) {
        while (atomic_load(&dev->rxqs[i].busy)) {
            rte_pause();
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(dev->txqs); i++) {
        while (atomic_load(&dev->txqs[i].busy)) {
            rte_pause();
        }
    }
}

static void
vhost_destroy_device__(int vid)
{
    struct netdev_vhost *dev = vhost_lock_by_vid__(vid);

    if (!dev) {
        return;
    }
    if (atomic_load(&dev->vid) != vid) {
        pthread_mutex_unlock(&vhost_mutex);
        return;
    }
    atomic_store(&dev->ready, false);
    vhost_wait_idle__(dev);
    atomic_store(&dev->vid, -1);
    VLOG_INFO("%s: vhost-user guest driver stopped", dev->up.name);
    pthread_mutex_unlock(&vhost_mutex);
}

static int
vhost_vring_state_changed__(int vid, uint16_t queue_id, int enable)
{
    struct netdev_vhost *dev = vhost_lock_by_vid__(vid);
    unsigned pair = queue_id / 2;

    if (!dev) {
        return 0;
    }
    if (atomic_load(&dev->conn_vid) != vid) {
        pthread_mutex_unlock(&vhost_mutex);
        return 0;
    }
    if (pair >= VHOST_MAX_QP) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl,
                     "%s: vring %u ignored (Tern serves %d queue "
                     "pairs)",
                     dev->up.name, (unsigned)queue_id, VHOST_MAX_QP);
    } else {
        _Atomic uint32_t *mask =
            queue_id % 2 ? &dev->tx_enabled : &dev->rx_enabled;
        if (enable) {
            atomic_fetch_or(mask, 1u << pair);
        } else {
            atomic_fetch_and(mask, ~(1u << pair));
        }
        vhost_update_wanted_rxq__(dev);
        VLOG_DBG("%s: vring %u %s", dev->up.name, (unsigned)queue_id,
                 enable ? "enabled" : "disabled");
    }
    pthread_mutex_unlock(&vhost_mutex);
    return 0;
}

static const struct rte_vhost_device_ops vhost_ops = {
    .new_device = vhost_new_device__,
    .destroy_device = vhost_destroy_device__,
    .vring_state_changed = vhost_vring_state_changed__,
    .new_connection = vhost_new_connection__,
    .destroy_connection = vhost_destroy_connection__,
};

/* ---- Bursts: PMD threads and the main thread. ---- */

/* Enters a burst on 'q': returns the device id, or -1 if the device is not
 * ready (then the burst must not run).  Pairs with vhost_burst_end__(). */
static inline int
vhost_burst_begin__(struct netdev_vhost *dev, struct vhost_queue *q)
{
    /* Sequentially consistent store then load: see the handshake. */
    atomic_store(&q->busy, 1);
    if (!atomic_load(&dev->ready)) {
        atomic_store_explicit(&q->busy, 0, memory_order_release);
        return -1;
    }
    return atomic_load_explicit(&dev->vid, memory_order_relaxed);
}

static inline void
vhost_burst_end__(struct vhost_queue *q)
{
    /* Pairs with the load in vhost_wait_idle__(). */
    atomic_store_explicit(&q->busy, 0, memory_order_release);
}

static inline void
vhost_count__(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

#define VHOST_STUCK_POLLS 256

/* True if the guest has made chains available on 'vring' of 'vid' that
 * rte_vhost has not taken: after a dequeue that returned nothing, the
 * queue is stuck (a chain rte_vhost cannot walk, or no mbufs), and only
 * then is vhost_guard_skip_bad_chain() worth its ring walk.  That look
 * takes rte_vhost's queue lock and reads the shared ring (18 % of a PMD's
 * time when done on every empty poll), so the receive path makes it once
 * per VHOST_STUCK_POLLS empty polls in a row.  rte_vhost returns the
 * 16-bit difference in 32 bits: only the low 16 bits mean anything. */
static inline bool
vhost_rxq_stuck__(int vid, uint16_t vring)
{
    return (rte_vhost_rx_queue_count(vid, vring) & UINT16_MAX) != 0;
}

static int
netdev_vhost_rxq_recv(struct netdev *netdev, int qid,
                      struct dp_packet_batch *batch)
{
    struct netdev_vhost *dev = netdev_vhost_cast(netdev);
    struct rte_mbuf *mbufs[DP_PACKET_BATCH_SIZE];

    if ((unsigned)qid >= VHOST_MAX_QP ||
        !atomic_load_explicit(&dev->ready, memory_order_relaxed) ||
        !(atomic_load_explicit(&dev->tx_enabled, memory_order_relaxed) &
          (1u << qid))) {
        return EAGAIN; /* Not enabled: not polled. */
    }
    struct vhost_queue *q = &dev->rxqs[qid];
    int vid = vhost_burst_begin__(dev, q);
    if (vid < 0) {
        return EAGAIN;
    }
    uint16_t n = rte_vhost_dequeue_burst(vid, VHOST_VIRTIO_TXQ(qid),
                                         dp_packet_default_pool(), mbufs,
                                         DP_PACKET_BATCH_SIZE);
    if (n) {
        q->empty_polls = 0;
    } else if (++q->empty_polls >= VHOST_STUCK_POLLS) {
        q->empty_polls = 0;
        if (vhost_rxq_stuck__(vid, VHOST_VIRTIO_TXQ(qid)) &&
            vhost_guard_skip_bad_chain(vid, VHOST_VIRTIO_TXQ(qid))) {
            vhost_count__(&q->errors, 1); /* Given back unused. */
        }
    }
    vhost_burst_end__(q);

    uint32_t count = 0;
    uint64_t bytes = 0, dropped = 0;
    for (uint16_t i = 0; i < n; i++) {
        struct rte_mbuf *m = mbufs[i];

        if (TERN_UNLIKELY(m->nb_segs > 1)) {
            m = dpdk_mbuf_linearize(m);
            if (!m) {
                dropped++;
                continue;
            }
        }
        bytes += m->pkt_len;
        batch->packets[count++] = dp_packet_from_mbuf(m);
    }
    batch->count = count;
    if (n) {
        vhost_count__(&q->packets, count);
        vhost_count__(&q->bytes, bytes);
        vhost_count__(&q->dropped, dropped);
    }
    return count ? 0 : EAGAIN;
}

/* Moves the packets of 'mbufs' that fit the MTU to its front; returns how
 * many; frees the others. */
static uint16_t
vhost_filter_mtu__(struct rte_mbuf **mbufs, uint16_t n, int mtu)
{
    uint32_t max = (uint32_t)mtu + VHOST_L2_OVERHEAD;
    uint16_t kept = 0;

    for (uint16_t i = 0; i < n; i++) {
        if (TERN_LIKELY(mbufs[i]->pkt_len <= max)) {
            mbufs[kept++] = mbufs[i];
        } else {
            rte_pktmbuf_free(mbufs[i]);
        }
    }
    return kept;
}

/* Enqueues 'n' packets on vring 'vring' with bounded retries; returns how
 * many went and adds the extra attempts to *retries.  Does not free. */
static uint16_t
vhost_enqueue__(int vid, uint16_t vring, struct rte_mbuf **mbufs, uint16_t n,
                int max_retries, uint64_t *retries)
{
    uint16_t sent = 0;

    for (int attempt = 0;; attempt++) {
        uint16_t k =
            rte_vhost_enqueue_burst(vid, vring, mbufs + sent, n - sent);
        sent += k;
        if (sent == n || !k || attempt >= max_retries) {
            break;
        }
        (*retries)++;
    }
    return sent;
}

/* Sorts the 'n' packets of 'in' into 'out' grouped by the guest RX vring
 * pair they go to, among the enabled pairs in 'mask' (non-zero): by the
 * flow hash, so that a flow keeps to one queue (a packet without a flow key
 * gets one extracted, only when there is more than one pair).  Stores the
 * pairs in 'pairs' and the group sizes in 'counts' (in the order of 'pairs');
 * returns the number of groups. */
static int
vhost_spread__(struct rte_mbuf **in, uint16_t n, uint32_t mask,
               struct rte_mbuf **out, unsigned *pairs, uint16_t *counts)
{
    uint8_t slot[DP_PACKET_BATCH_SIZE];
    uint16_t start[VHOST_MAX_QP];
    int n_pairs = 0;

    for (uint32_t m = mask; m; m &= m - 1) {
        pairs[n_pairs] = (unsigned)__builtin_ctz(m);
        counts[n_pairs++] = 0;
    }
    if (n_pairs == 1) {
        counts[0] = n;
        memcpy(out, in, n * sizeof *in);
        return 1;
    }
    for (uint16_t i = 0; i < n; i++) {
        uint32_t h = dp_packet_flow_hash(dp_packet_from_mbuf(in[i]));

        slot[i] = (uint8_t)(h % (uint32_t)n_pairs);
        counts[slot[i]]++;
    }
    for (int k = 0, ofs = 0; k < n_pairs; k++) {
        start[k] = (uint16_t)ofs;
        ofs += counts[k];
    }
    for (uint16_t i = 0; i < n; i++) {
        out[start[slot[i]]++] = in[i];
    }
    return n_pairs;
}

/* Sends the 'n' packets of 'mbufs' to the guest: returns how many went and
 * adds their bytes to *bytes and the extra attempts to *retries.  Does not
 * free.  Called inside a burst (vhost_burst_begin__()). */
static uint16_t
vhost_send_burst__(struct netdev_vhost *dev, int vid, int qid,
                   struct rte_mbuf **mbufs, uint16_t n, uint32_t mask,
                   uint64_t *bytes, uint64_t *retries)
{
    int max_retries =
        atomic_load_explicit(&dev->tx_retries_max, memory_order_relaxed);
    struct rte_mbuf *sorted[DP_PACKET_BATCH_SIZE];
    unsigned pairs[VHOST_MAX_QP];
    uint16_t counts[VHOST_MAX_QP];
    uint16_t sent = 0;

    int n_groups = vhost_spread__(mbufs, n, mask, sorted, pairs, counts);
    for (int k = 0, ofs = 0; k < n_groups; ofs += counts[k++]) {
        if (!counts[k]) {
            continue;
        }
        uint16_t done =
            vhost_enqueue__(vid, VHOST_VIRTIO_RXQ(pairs[k]), sorted + ofs,
                            counts[k], max_retries, retries);
        for (uint16_t i = 0; i < done; i++) {
            *bytes += sorted[ofs + i]->pkt_len;
        }
        sent += done;
    }
    return sent;
}

static int
netdev_vhost_send(struct netdev *netdev, int qid,
                  struct dp_packet_batch *batch)
{
    struct netdev_vhost *dev = netdev_vhost_cast(netdev);
    struct vhost_queue *q = &dev->txqs[(unsigned)qid % NETDEV_MAX_QUEUES];
    struct rte_mbuf *mbufs[DP_PACKET_BATCH_SIZE];
    uint16_t n = (uint16_t)batch->count, sent = 0;
    uint64_t bytes = 0, retries = 0;

    for (uint16_t i = 0; i < n; i++) {
        mbufs[i] = &batch->packets[i]->mbuf;
    }
    uint16_t fit = vhost_filter_mtu__(
        mbufs, n, atomic_load_explicit(&dev->mtu, memory_order_relaxed));
    uint32_t mask =
        atomic_load_explicit(&dev->rx_enabled, memory_order_relaxed);
    if (fit && mask) {
        int vid = vhost_burst_begin__(dev, q);
        if (vid >= 0) {
            sent = vhost_send_burst__(dev, vid, qid, mbufs, fit, mask, &bytes,
                                      &retries);
            vhost_burst_end__(q);
        }
    }
    /* rte_vhost copied what it sent: every packet is freed here. */
    if (fit) {
        rte_pktmbuf_free_bulk(mbufs, fit);
    }
    vhost_count__(&q->packets, sent);
    vhost_count__(&q->bytes, bytes);
    vhost_count__(&q->dropped, fit - sent);
    vhost_count__(&q->errors, n - fit);
    vhost_count__(&q->retries, retries);
    batch->count = 0;
    return sent;
}

/* ---- Configuration: main thread. ---- */

static int
netdev_vhost_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);

    if (error) {
        VLOG_ERR("vhost-user ports need DPDK: %s", err ? err : "");
    } else {
        vhost_guard_init();
    }
    free(err);
    return error;
}

/* Parses integer option 'key' in [min, max] with default 'def'. */
static int
vhost_parse_int__(const struct smap *options, const char *key, int def,
                  int min, int max, int *out, const char *name, char **errp)
{
    const char *s = smap_get(options, key);
    uint32_t v;

    if (!s) {
        *out = def;
        return 0;
    }
    if (!str_to_u32(s, &v) || v < (uint32_t)min || v > (uint32_t)max) {
        *errp = xasprintf("%s: %s must be between %d and %d, not \"%s\"", name,
                          key, min, max, s);
        return EINVAL;
    }
    *out = (int)v;
    return 0;
}

/* Applies the options that can change in place. */
static int
vhost_apply_options__(struct netdev_vhost *dev, const struct smap *options,
                      char **errp)
{
    int retries, mtu;
    int error = vhost_parse_int__(
        options, "tx-retries-max", VHOST_DEFAULT_TX_RETRIES, 0,
        VHOST_MAX_TX_RETRIES, &retries, dev->up.name, errp);
    if (!error) {
        error =
            vhost_parse_int__(options, "mtu", VHOST_DEFAULT_MTU, VHOST_MIN_MTU,
                              VHOST_MAX_MTU, &mtu, dev->up.name, errp);
    }
    if (!error) {
        atomic_store(&dev->tx_retries_max, retries);
        atomic_store(&dev->mtu, mtu);
    }
    return error;
}

/* Returns the socket path the options ask for (caller frees) or NULL with
 * a message in *errp. */
static char *
vhost_wanted_path__(bool client, const char *name, const struct smap *options,
                    char **errp)
{
    char *path;

    if (client) {
        const char *p = smap_get(options, "vhost-server-path");
        if (!p || !p[0]) {
            *errp =
                xasprintf("%s: options:vhost-server-path is required", name);
            return NULL;
        }
        path = xstrdup(p);
    } else {
        if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
            *errp = xasprintf("%s: not usable as a socket name", name);
            return NULL;
        }
        path = netdev_vhost_server_path(name);
    }
    if (strlen(path) >= sizeof((struct sockaddr_un *)0)->sun_path) {
        *errp = xasprintf("%s: socket path %s is too long", name, path);
        free(path);
        return NULL;
    }
    return path;
}

/* Removes a stale socket file left at 'path' by an earlier run. */
static int
vhost_remove_stale__(const char *name, const char *path, char **errp)
{
    struct stat st;

    if (lstat(path, &st)) {
        return 0;
    }
    if (!S_ISSOCK(st.st_mode)) {
        *errp = xasprintf("%s: %s exists and is not a socket", name, path);
        return EEXIST;
    }
    if (unlink(path)) {
        *errp = xasprintf("%s: cannot remove stale socket %s: %s", name, path,
                          tern_strerror(errno));
        return errno;
    }
    return 0;
}

/* Registers dev->path with rte_vhost and starts serving or connecting. */
static int
vhost_register__(struct netdev_vhost *dev, char **errp)
{
    uint64_t flags = dev->client ? RTE_VHOST_USER_CLIENT : 0;
    const char *what;
    int ret;

    if (!dev->client) {
        int error = vhost_remove_stale__(dev->up.name, dev->path, errp);
        if (error) {
            return error;
        }
    }
    what = "register";
    ret = rte_vhost_driver_register(dev->path, flags);
    if (!ret) {
        dev->registered = true;
        what = "configure features of";
        ret = rte_vhost_driver_disable_features(dev->path,
                                                VHOST_DISABLED_FEATURES);
    }
    if (!ret) {
        what = "set callbacks of";
        ret = rte_vhost_driver_callback_register(dev->path, &vhost_ops);
    }
    if (!ret) {
        what = "start";
        ret = rte_vhost_driver_start(dev->path);
    }
    if (ret) {
        *errp = xasprintf("%s: cannot %s vhost-user socket %s", dev->up.name,
                          what, dev->path);
        return EIO;
    }
    return 0;
}

static void
vhost_unregister__(struct netdev_vhost *dev)
{
    if (dev->registered) {
        /* May call destroy_device on this thread (see the file comment). */
        if (rte_vhost_driver_unregister(dev->path)) {
            VLOG_WARN("%s: rte_vhost did not know socket %s", dev->up.name,
                      dev->path);
        }
        dev->registered = false;
    }
}

static void
netdev_vhost_free__(struct netdev_vhost *dev)
{
    free(dev->path);
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int
vhost_open__(bool client, const char *name, const struct smap *options,
             struct netdev **netdevp, char **errp)
{
    const struct netdev_class *class =
        client ? &netdev_vhost_client_class : &netdev_vhost_server_class;
    char *path = vhost_wanted_path__(client, name, options, errp);

    if (!path) {
        return EINVAL;
    }
    struct netdev_vhost *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, class, name);
    dev->path = path;
    dev->client = client;
    atomic_init(&dev->vid, -1);
    atomic_init(&dev->conn_vid, -1);
    atomic_init(&dev->wanted_n_rxq, 1);
    atomic_init(&dev->applied_n_rxq, 1);
    dev->up.n_rxq = 1;
    dev->up.n_txq = 1;

    int error = vhost_apply_options__(dev, options, errp);
    if (!error) {
        pthread_mutex_lock(&vhost_mutex);
        bool taken = vhost_devs_find__(path) != NULL;
        pthread_mutex_unlock(&vhost_mutex);
        if (taken) {
            *errp =
                xasprintf("%s: socket %s is used by another port", name, path);
            error = EBUSY;
        }
    }
    if (error) {
        netdev_vhost_free__(dev);
        return error;
    }
    /* Listed first: callbacks may come as soon as the socket exists. */
    vhost_devs_add__(dev);
    error = vhost_register__(dev, errp);
    if (error) {
        vhost_unregister__(dev);
        vhost_devs_remove__(dev);
        netdev_vhost_free__(dev);
        return error;
    }
    VLOG_INFO("%s: vhost-user %s %s", name,
              client ? "client, connecting to" : "server, listening on", path);
    *netdevp = &dev->up;
    return 0;
}

static int
netdev_vhost_server_open(const char *name, const struct smap *options,
                         struct netdev **netdevp, char **errp)
{
    return vhost_open__(false, name, options, netdevp, errp);
}

static int
netdev_vhost_client_open(const char *name, const struct smap *options,
                         struct netdev **netdevp, char **errp)
{
    return vhost_open__(true, name, options, netdevp, errp);
}

static void
netdev_vhost_close(struct netdev *netdev)
{
    struct netdev_vhost *dev = netdev_vhost_cast(netdev);

    /* Unregistering closes the connection; destroy_device finds the device
     * in the list until it is removed below. */
    vhost_unregister__(dev);
    vhost_devs_remove__(dev);
    VLOG_INFO("%s: vhost-user socket %s closed", netdev->name, dev->path);
    netdev_vhost_free__(dev);
}

static int
netdev_vhost_set_config(struct netdev *netdev, const struct smap *options,
                        char **errp)
{
    struct netdev_vhost *dev = netdev_vhost_cast(netdev);

    if (dev->client) {
        const char *p = smap_get(options, "vhost-server-path");
        if (!p || strcmp(p, dev->path)) {
            *errp = xasprintf("%s: vhost-server-path changed", netdev->name);
            return EINVAL; /* The port is re-created. */
        }
    }
    return vhost_apply_options__(dev, options, errp);
}

static int
netdev_vhost_set_tx_multiq(struct netdev *netdev, int n_txq)
{
    /* Any number: tx queues are spread over the guest's rings. */
    netdev->n_txq = MAX(1, MIN(n_txq, NETDEV_MAX_QUEUES));
    return 0;
}

static int
netdev_vhost_reconfigure(struct netdev *netdev)
{
    struct netdev_vhost *dev = netdev_vhost_cast(netdev);
    int n = atomic_load(&dev->wanted_n_rxq);

    n = MAX(1, MIN(n, VHOST_MAX_QP));
    if (n != netdev->n_rxq) {
        VLOG_INFO("%s: %d rx queue%s", netdev->name, n, n == 1 ? "" : "s");
    }
    netdev->n_rxq = n;
    atomic_store(&dev->applied_n_rxq, n);
    return 0;
}

/* ---- Getters: any thread, atomics only. ---- */

static int
netdev_vhost_get_stats(const struct netdev *netdev, struct netdev_stats *s)
{
    const struct netdev_vhost *dev = netdev_vhost_cast(netdev);

    for (size_t i = 0; i < ARRAY_SIZE(dev->rxqs); i++) {
        const struct vhost_queue *q = &dev->rxqs[i];
        s->rx_packets +=
            atomic_load_explicit(&q->packets, memory_order_relaxed);
        s->rx_bytes += atomic_load_explicit(&q->bytes, memory_order_relaxed);
        s->rx_dropped +=
            atomic_load_explicit(&q->dropped, memory_order_relaxed);
        s->rx_errors += atomic_load_explicit(&q->errors, memory_order_relaxed);
    }
    for (size_t i = 0; i < ARRAY_SIZE(dev->txqs); i++) {
        const struct vhost_queue *q = &dev->txqs[i];
        s->tx_packets +=
            atomic_load_explicit(&q->packets, memory_order_relaxed);
        s->tx_bytes += atomic_load_explicit(&q->bytes, memory_order_relaxed);
        s->tx_dropped +=
            atomic_load_explicit(&q->dropped, memory_order_relaxed);
        s->tx_errors += atomic_load_explicit(&q->errors, memory_order_relaxed);
        s->tx_retries +=
            atomic_load_explicit(&q->retries, memory_order_relaxed);
    }
    return 0;
}

static int
netdev_vhost_get_mtu(const struct netdev *netdev, int *mtu)
{
    *mtu = atomic_load(&netdev_vhost_cast(netdev)->mtu);
    return 0;
}

static bool
netdev_vhost_get_carrier(const struct netdev *netdev)
{
    const struct netdev_vhost *dev = netdev_vhost_cast(netdev);

    return atomic_load(&dev->ready) && atomic_load(&dev->rx_enabled);
}

static int
netdev_vhost_get_status(const struct netdev *netdev, struct smap *status)
{
    const struct netdev_vhost *dev = netdev_vhost_cast(netdev);
    bool ready = atomic_load(&dev->ready);
    struct netdev_stats stats;

    smap_replace(status, "mode", dev->client ? "client" : "server");
    smap_replace(status, "socket", dev->path);
    smap_replace(status, "connected",
                 atomic_load(&dev->connected) ? "true" : "false");
    smap_replace(status, "guest_ready", ready ? "true" : "false");
    smap_add_format(status, "n_connects", "%" PRIu64,
                    atomic_load(&dev->n_connects));
    smap_add_format(status, "n_rxq", "%d", netdev->n_rxq);
    smap_add_format(status, "n_txq", "%d", netdev->n_txq);
    smap_add_format(status, "tx-retries-max", "%d",
                    atomic_load(&dev->tx_retries_max));
    memset(&stats, 0, sizeof stats);
    netdev_vhost_get_stats(netdev, &stats);
    smap_add_format(status, "tx_retries", "%" PRIu64, stats.tx_retries);
    if (ready) {
        int guest_mtu = atomic_load(&dev->guest_mtu);

        smap_add_format(status, "features", "0x%016" PRIx64,
                        atomic_load(&dev->features));
        smap_add_format(status, "num_of_vrings", "%d",
                        atomic_load(&dev->n_vrings));
        smap_add_format(status, "rx_queues_enabled", "%d",
                        __builtin_popcount(atomic_load(&dev->tx_enabled)));
        smap_add_format(status, "tx_queues_enabled", "%d",
                        __builtin_popcount(atomic_load(&dev->rx_enabled)));
        if (guest_mtu) {
            smap_add_format(status, "guest_mtu", "%d", guest_mtu);
        }
    }
    return 0;
}

#define NETDEV_VHOST_CLASS(TYPE, OPEN)                                        \
    {                                                                         \
        .type = TYPE, .init = netdev_vhost_init, .open = OPEN,                \
        .close = netdev_vhost_close, .set_config = netdev_vhost_set_config,   \
        .set_tx_multiq = netdev_vhost_set_tx_multiq,                          \
        .rxq_recv = netdev_vhost_rxq_recv, .send = netdev_vhost_send,         \
        .get_stats = netdev_vhost_get_stats, .get_mtu = netdev_vhost_get_mtu, \
        .get_carrier = netdev_vhost_get_carrier,                              \
        .get_status = netdev_vhost_get_status,                                \
        .reconfigure = netdev_vhost_reconfigure,                              \
    }

const struct netdev_class netdev_vhost_server_class =
    NETDEV_VHOST_CLASS("dpdkvhostuser", netdev_vhost_server_open);
const struct netdev_class netdev_vhost_client_class =
    NETDEV_VHOST_CLASS("dpdkvhostuserclient", netdev_vhost_client_open);
