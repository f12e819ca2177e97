/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-dummy: the "dummy" netdev provider, a device made of memory for
 * tests and the model of how a provider is written (see netdev-dummy.h for
 * its options, capture and commands).
 *
 * The device embeds 'struct netdev' first and fills 'netdev_dummy_class'
 * with designated initialisers.  Rx queues are rte_rings filled by the
 * main thread (unixctl netdev-dummy/receive or netdev_dummy_inject()) and
 * drained by the PMD that polls the queue; transmitted packets are copied
 * into a capture and a pcap file, then freed.
 */
#include <config.h>

#include "lib/netdev-dummy.h"

#include <ctype.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/time.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "lib/dpdk.h"
#include "lib/netdev-provider.h"
#include "lib/odp-util.h"
#include "lib/packets.h"
#include "lib/unixctl.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_dummy);

#define DUMMY_RING_SIZE   1024
#define DUMMY_DEFAULT_MTU 1500
#define DUMMY_MAX_PACKET  65535

/* One transmitted packet kept in the capture. */
struct dummy_captured {
    uint8_t *data;
    uint32_t len;
};

struct netdev_dummy {
    struct netdev up; /* First: the generic layer casts. */

    /* Set by the main thread while no PMD uses the device; read by any
     * thread. */
    struct rte_ring *rxqs[NETDEV_MAX_QUEUES];
    struct eth_addr mac;
    int mtu;
    _Atomic bool carrier;

    /* Counters, updated with relaxed atomics by the polling and sending
     * threads and by injection. */
    _Atomic uint64_t rx_packets, rx_bytes, rx_dropped;
    _Atomic uint64_t tx_packets, tx_bytes;

    /* Capture: guarded by 'capture_mutex'.  'captured' holds 'n_captured'
     * packets oldest first. */
    pthread_mutex_t capture_mutex;
    struct dummy_captured *captured;
    size_t n_captured, allocated_captured;
    pcap_t *pcap;
    pcap_dumper_t *dumper;
    char *pcap_path;
};

static unsigned int ring_serial; /* Makes ring names unique; main thread. */

static bool
is_dummy__(const struct netdev *netdev)
{
    return netdev && netdev->class == &netdev_dummy_class;
}

static struct netdev_dummy *
netdev_dummy_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_dummy, up);
}

static int
netdev_dummy_init(void)
{
    char *err = NULL;
    int error = dpdk_init(NULL, &err);
    if (error) {
        VLOG_ERR("dummy devices need DPDK: %s", err ? err : "");
    }
    free(err);
    return error;
}

/* Frees the 'n' rings in 'rings' and the packets still queued in them. */
static void
dummy_free_rings__(struct rte_ring **rings, int n)
{
    for (int q = 0; q < n; q++) {
        struct rte_ring *ring = rings[q];
        if (!ring) {
            continue;
        }
        void *obj;
        while (!rte_ring_dequeue(ring, &obj)) {
            rte_pktmbuf_free(obj);
        }
        rte_ring_free(ring);
        rings[q] = NULL;
    }
}

/* Replaces the rx queues of 'dev' by 'n_rxq' new empty ones.  On failure
 * the device keeps its old queues. */
static int
dummy_replace_rxqs__(struct netdev_dummy *dev, int n_rxq, char **errp)
{
    struct rte_ring *rings[NETDEV_MAX_QUEUES] = {NULL};
    for (int q = 0; q < n_rxq; q++) {
        char name[RTE_RING_NAMESIZE];
        snprintf(name, sizeof name, "tdummy%u", ring_serial++);
        rings[q] = rte_ring_create(name, DUMMY_RING_SIZE, SOCKET_ID_ANY,
                                   RING_F_SC_DEQ);
        if (!rings[q]) {
            int error = rte_errno > 0 ? rte_errno : ENOMEM;
            *errp = xasprintf("%s: cannot create rx queue %d: %s",
                              dev->up.name, q, rte_strerror(rte_errno));
            dummy_free_rings__(rings, q);
            return error;
        }
    }
    dummy_free_rings__(dev->rxqs, NETDEV_MAX_QUEUES);
    memcpy(dev->rxqs, rings, sizeof rings);
    dev->up.n_rxq = n_rxq;
    return 0;
}

static void
dummy_close_pcap__(struct netdev_dummy *dev)
{
    if (dev->dumper) {
        pcap_dump_close(dev->dumper);
        dev->dumper = NULL;
    }
    if (dev->pcap) {
        pcap_close(dev->pcap);
        dev->pcap = NULL;
    }
    free(dev->pcap_path);
    dev->pcap_path = NULL;
}

/* Returns the pcap file that 'options' ask for (see netdev-dummy.h) in a
 * string the caller frees, or NULL for none. */
static char *
dummy_pcap_path__(const struct netdev_dummy *dev, const struct smap *options)
{
    const char *path = smap_get(options, "pcap");
    if (path && path[0]) {
        return xstrdup(path);
    }
    const char *rundir = getenv("TERN_RUNDIR");
    if (rundir && rundir[0]) {
        return xasprintf("%s/%s.pcap", rundir, dev->up.name);
    }
    return NULL;
}

/* Opens (truncating) the pcap file 'path', which 'dev' takes over.  The
 * caller holds dev->capture_mutex. */
static int
dummy_open_pcap__(struct netdev_dummy *dev, char *path, char **errp)
{
    dev->pcap = pcap_open_dead(DLT_EN10MB, DUMMY_MAX_PACKET);
    dev->dumper = dev->pcap ? pcap_dump_open(dev->pcap, path) : NULL;
    if (!dev->dumper) {
        *errp =
            xasprintf("%s: cannot open pcap file %s: %s", dev->up.name, path,
                      dev->pcap ? pcap_geterr(dev->pcap) : "no memory");
        free(path);
        dummy_close_pcap__(dev);
        return EIO;
    }
    dev->pcap_path = path;
    return 0;
}

/* Derives a stable locally administered unicast address from 'name'. */
static void
dummy_default_mac__(const char *name, struct eth_addr *mac)
{
    uint32_t h = 2166136261u; /* FNV-1a. */
    for (const char *p = name; *p; p++) {
        h = (h ^ (uint8_t)*p) * 16777619u;
    }
    mac->ea[0] = 0xaa;
    mac->ea[1] = 0x55;
    mac->ea[2] = h >> 24;
    mac->ea[3] = h >> 16;
    mac->ea[4] = h >> 8;
    mac->ea[5] = h;
}

/* Applies 'options' to 'dev'.  Main thread, device idle.  On error the
 * device keeps a consistent (possibly partly updated) configuration. */
static int
dummy_apply_config__(struct netdev_dummy *dev, const struct smap *options,
                     char **errp)
{
    long long n_rxq = smap_get_int(options, "n_rxq", 1);
    if (n_rxq < 1 || n_rxq > NETDEV_MAX_QUEUES) {
        *errp = xasprintf("%s: n_rxq must be between 1 and %d", dev->up.name,
                          NETDEV_MAX_QUEUES);
        return EINVAL;
    }
    int mtu = DUMMY_DEFAULT_MTU;
    if (smap_get(options, "mtu")) {
        long long v = smap_get_int(options, "mtu", -1);
        if (v < 68 || v > DUMMY_MAX_PACKET) {
            *errp = xasprintf("%s: bad mtu '%s'", dev->up.name,
                              smap_get(options, "mtu"));
            return EINVAL;
        }
        mtu = (int)v;
    }
    struct eth_addr mac;
    const char *mac_s = smap_get(options, "mac");
    if (mac_s) {
        if (!eth_addr_from_string(mac_s, &mac)) {
            *errp = xasprintf("%s: bad mac '%s'", dev->up.name, mac_s);
            return EINVAL;
        }
    } else {
        dummy_default_mac__(dev->up.name, &mac);
    }

    int error = 0;
    char *path = dummy_pcap_path__(dev, options);
    pthread_mutex_lock(&dev->capture_mutex);
    if (!path || !dev->pcap_path || strcmp(path, dev->pcap_path)) {
        dummy_close_pcap__(dev);
        error = path ? dummy_open_pcap__(dev, path, errp) : 0;
    } else {
        free(path); /* Same file: keep appending. */
    }
    pthread_mutex_unlock(&dev->capture_mutex);
    if (error) {
        return error;
    }

    if (n_rxq != dev->up.n_rxq || !dev->rxqs[0]) {
        error = dummy_replace_rxqs__(dev, (int)n_rxq, errp);
        if (error) {
            return error;
        }
    }
    dev->mtu = mtu;
    dev->mac = mac;
    return 0;
}

static void
netdev_dummy_free__(struct netdev_dummy *dev)
{
    dummy_free_rings__(dev->rxqs, NETDEV_MAX_QUEUES);
    dummy_close_pcap__(dev);
    for (size_t i = 0; i < dev->n_captured; i++) {
        free(dev->captured[i].data);
    }
    free(dev->captured);
    pthread_mutex_destroy(&dev->capture_mutex);
    netdev_uninit_base(&dev->up);
    free(dev);
}

static int
netdev_dummy_open(const char *name, const struct smap *options,
                  struct netdev **netdevp, char **errp)
{
    struct netdev_dummy *dev = xzalloc(sizeof *dev);
    netdev_init_base(&dev->up, &netdev_dummy_class, name);
    pthread_mutex_init(&dev->capture_mutex, NULL);
    atomic_init(&dev->carrier, true);
    dev->up.n_rxq = 0;

    int error = dummy_apply_config__(dev, options, errp);
    if (error) {
        netdev_dummy_free__(dev);
        return error;
    }
    *netdevp = &dev->up;
    return 0;
}

static void
netdev_dummy_close(struct netdev *netdev)
{
    netdev_dummy_free__(netdev_dummy_cast(netdev));
}

static int
netdev_dummy_set_config(struct netdev *netdev, const struct smap *options,
                        char **errp)
{
    return dummy_apply_config__(netdev_dummy_cast(netdev), options, errp);
}

static int
netdev_dummy_set_tx_multiq(struct netdev *netdev, int n_txq)
{
    netdev->n_txq = n_txq;
    return 0;
}

static int
netdev_dummy_rxq_recv(struct netdev *netdev, int qid,
                      struct dp_packet_batch *batch)
{
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    void *objs[DP_PACKET_BATCH_SIZE];
    unsigned n = rte_ring_dequeue_burst(dev->rxqs[qid], objs,
                                        DP_PACKET_BATCH_SIZE, NULL);
    uint64_t bytes = 0;
    for (unsigned i = 0; i < n; i++) {
        struct dp_packet *p = dp_packet_from_mbuf(objs[i]);
        bytes += dp_packet_size(p);
        batch->packets[i] = p;
    }
    batch->count = n;
    if (!n) {
        return EAGAIN;
    }
    atomic_fetch_add_explicit(&dev->rx_packets, n, memory_order_relaxed);
    atomic_fetch_add_explicit(&dev->rx_bytes, bytes, memory_order_relaxed);
    return 0;
}

/* Appends a copy of 'p' to the capture and the pcap file.  The caller
 * holds dev->capture_mutex. */
static void
dummy_capture__(struct netdev_dummy *dev, const struct dp_packet *p,
                const struct timeval *now)
{
    uint32_t len = dp_packet_size(p);
    const void *data = dp_packet_data(p);

    if (dev->n_captured >= NETDEV_DUMMY_MAX_CAPTURE) {
        /* Drops the oldest half at once to keep appends cheap. */
        size_t drop = dev->n_captured / 2;
        for (size_t i = 0; i < drop; i++) {
            free(dev->captured[i].data);
        }
        memmove(dev->captured, dev->captured + drop,
                (dev->n_captured - drop) * sizeof *dev->captured);
        dev->n_captured -= drop;
    }
    if (dev->n_captured >= dev->allocated_captured) {
        dev->allocated_captured =
            dev->allocated_captured ? 2 * dev->allocated_captured : 64;
        dev->captured = xrealloc(dev->captured, dev->allocated_captured *
                                                    sizeof *dev->captured);
    }
    struct dummy_captured *c = &dev->captured[dev->n_captured++];
    c->data = xmemdup(data, len);
    c->len = len;

    if (dev->dumper) {
        struct pcap_pkthdr hdr = {
            .ts = *now,
            .caplen = len,
            .len = len,
        };
        pcap_dump((u_char *)dev->dumper, &hdr, data);
    }
}

static int
netdev_dummy_send(struct netdev *netdev, int qid TERN_UNUSED,
                  struct dp_packet_batch *batch)
{
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    struct timeval now;
    gettimeofday(&now, NULL);

    uint64_t bytes = 0;
    pthread_mutex_lock(&dev->capture_mutex);
    for (uint32_t i = 0; i < batch->count; i++) {
        bytes += dp_packet_size(batch->packets[i]);
        dummy_capture__(dev, batch->packets[i], &now);
    }
    if (dev->dumper) {
        pcap_dump_flush(dev->dumper);
    }
    pthread_mutex_unlock(&dev->capture_mutex);

    int n = (int)batch->count;
    atomic_fetch_add_explicit(&dev->tx_packets, n, memory_order_relaxed);
    atomic_fetch_add_explicit(&dev->tx_bytes, bytes, memory_order_relaxed);
    dp_packet_batch_free(batch);
    return n;
}

static int
netdev_dummy_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    stats->rx_packets =
        atomic_load_explicit(&dev->rx_packets, memory_order_relaxed);
    stats->rx_bytes =
        atomic_load_explicit(&dev->rx_bytes, memory_order_relaxed);
    stats->rx_dropped =
        atomic_load_explicit(&dev->rx_dropped, memory_order_relaxed);
    stats->tx_packets =
        atomic_load_explicit(&dev->tx_packets, memory_order_relaxed);
    stats->tx_bytes =
        atomic_load_explicit(&dev->tx_bytes, memory_order_relaxed);
    return 0;
}

static int
netdev_dummy_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    *mac = netdev_dummy_cast(netdev)->mac;
    return 0;
}

static int
netdev_dummy_get_mtu(const struct netdev *netdev, int *mtu)
{
    *mtu = netdev_dummy_cast(netdev)->mtu;
    return 0;
}

static bool
netdev_dummy_get_carrier(const struct netdev *netdev)
{
    return atomic_load(&netdev_dummy_cast(netdev)->carrier);
}

static int
netdev_dummy_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    smap_replace(status, "driver", "dummy");
    smap_add_format(status, "n_rxq", "%d", netdev->n_rxq);
    smap_add_format(status, "n_txq", "%d", netdev->n_txq);
    pthread_mutex_lock(&dev->capture_mutex);
    if (dev->pcap_path) {
        smap_replace(status, "pcap", dev->pcap_path);
    }
    pthread_mutex_unlock(&dev->capture_mutex);
    return 0;
}

const struct netdev_class netdev_dummy_class = {
    .type = "dummy",
    .init = netdev_dummy_init,
    .run = NULL,
    .open = netdev_dummy_open,
    .close = netdev_dummy_close,
    .set_config = netdev_dummy_set_config,
    .set_tx_multiq = netdev_dummy_set_tx_multiq,
    .rxq_recv = netdev_dummy_rxq_recv,
    .send = netdev_dummy_send,
    .get_stats = netdev_dummy_get_stats,
    .get_etheraddr = netdev_dummy_get_etheraddr,
    .get_mtu = netdev_dummy_get_mtu,
    .get_carrier = netdev_dummy_get_carrier,
    .get_status = netdev_dummy_get_status,
};

/* Public helpers for tests and the unixctl commands. */

int
netdev_dummy_inject(struct netdev *netdev, int qid, const void *data,
                    size_t len)
{
    if (!is_dummy__(netdev) || qid < 0 || qid >= netdev->n_rxq) {
        return EINVAL;
    }
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    struct rte_mempool *pool = dp_packet_default_pool();
    if (!pool) {
        return ENODEV;
    }
    size_t room = rte_pktmbuf_data_room_size(pool);
    if (len + RTE_PKTMBUF_HEADROOM > room) {
        return EMSGSIZE;
    }
    struct dp_packet *p = dp_packet_clone_data(pool, data, len);
    if (!p || rte_ring_enqueue(dev->rxqs[qid], &p->mbuf)) {
        dp_packet_free(p);
        atomic_fetch_add_explicit(&dev->rx_dropped, 1, memory_order_relaxed);
        return ENOBUFS;
    }
    return 0;
}

/* Returns true if 's' is only hex digits and blanks. */
static bool
looks_like_hex__(const char *s)
{
    bool any = false;
    for (; *s; s++) {
        if (isxdigit((unsigned char)*s)) {
            any = true;
        } else if (!isspace((unsigned char)*s)) {
            return false;
        }
    }
    return any;
}

int
netdev_dummy_receive(const char *name, int qid, const char *text, char **errp)
{
    char *msg = NULL;
    int error = 0;
    uint8_t *buf = NULL;
    size_t len = 0;

    struct netdev *netdev = netdev_from_name(name);
    if (!is_dummy__(netdev)) {
        msg = xasprintf("no such dummy device: %s", name);
        error = ENODEV;
    } else if (looks_like_hex__(text)) {
        buf = xmalloc(DUMMY_MAX_PACKET);
        int n = hex_to_bytes(text, buf, DUMMY_MAX_PACKET);
        if (n < 0) {
            msg = xasprintf("%s: bad hex packet", name);
            error = EINVAL;
        }
        len = n < 0 ? 0 : (size_t)n;
    } else {
        char *perr = odp_flow_to_packet(text, &buf, &len);
        if (perr) {
            msg = xasprintf("%s: bad packet '%s': %s", name, text, perr);
            free(perr);
            error = EINVAL;
        }
    }
    if (!error) {
        error = netdev_dummy_inject(netdev, qid, buf, len);
        if (error) {
            msg = xasprintf("%s: cannot queue packet on rx queue %d: %s", name,
                            qid, tern_strerror(error));
        }
    }
    free(buf);
    if (errp) {
        *errp = msg;
    } else {
        free(msg);
    }
    return error;
}

size_t
netdev_dummy_tx_count(const struct netdev *netdev)
{
    if (!is_dummy__(netdev)) {
        return 0;
    }
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    pthread_mutex_lock(&dev->capture_mutex);
    size_t n = dev->n_captured;
    pthread_mutex_unlock(&dev->capture_mutex);
    return n;
}

bool
netdev_dummy_tx_get(const struct netdev *netdev, size_t idx, uint8_t **datap,
                    size_t *lenp)
{
    if (!is_dummy__(netdev)) {
        return false;
    }
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    bool found = false;
    pthread_mutex_lock(&dev->capture_mutex);
    if (idx < dev->n_captured) {
        *datap = xmemdup(dev->captured[idx].data, dev->captured[idx].len);
        *lenp = dev->captured[idx].len;
        found = true;
    }
    pthread_mutex_unlock(&dev->capture_mutex);
    return found;
}

void
netdev_dummy_tx_format(const struct netdev *netdev, struct ds *out)
{
    if (!is_dummy__(netdev)) {
        ds_put_cstr(out, "count=0\n");
        return;
    }
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    pthread_mutex_lock(&dev->capture_mutex);
    ds_put_format(out, "count=%zu\n", dev->n_captured);
    for (size_t i = 0; i < dev->n_captured; i++) {
        ds_put_hex(out, dev->captured[i].data, dev->captured[i].len);
        ds_put_char(out, '\n');
    }
    pthread_mutex_unlock(&dev->capture_mutex);
}

void
netdev_dummy_tx_clear(struct netdev *netdev)
{
    if (!is_dummy__(netdev)) {
        return;
    }
    struct netdev_dummy *dev = netdev_dummy_cast(netdev);
    pthread_mutex_lock(&dev->capture_mutex);
    for (size_t i = 0; i < dev->n_captured; i++) {
        free(dev->captured[i].data);
    }
    dev->n_captured = 0;
    pthread_mutex_unlock(&dev->capture_mutex);
}

void
netdev_dummy_set_carrier(struct netdev *netdev, bool up)
{
    if (is_dummy__(netdev)) {
        atomic_store(&netdev_dummy_cast(netdev)->carrier, up);
    }
}

/* unixctl commands. */

static struct netdev *
lookup_dummy_or_reply__(struct unixctl_conn *conn, const char *name)
{
    struct netdev *netdev = netdev_from_name(name);
    if (!is_dummy__(netdev)) {
        char *msg = xasprintf("no such dummy device: %s", name);
        unixctl_command_reply_error(conn, msg);
        free(msg);
        return NULL;
    }
    return netdev;
}

static void
dummy_unixctl_receive(struct unixctl_conn *conn, int argc, const char *argv[],
                      void *aux TERN_UNUSED)
{
    const char *name = argv[1];
    int qid = 0;
    int i = 2;
    if (i < argc && !strncmp(argv[i], "--qid=", 6)) {
        uint32_t q;
        if (!str_to_u32(argv[i] + 6, &q) || q >= NETDEV_MAX_QUEUES) {
            unixctl_command_reply_error(conn, "bad --qid");
            return;
        }
        qid = (int)q;
        i++;
    }
    if (i >= argc) {
        unixctl_command_reply_error(conn, "no packet given");
        return;
    }
    for (; i < argc; i++) {
        char *err = NULL;
        if (netdev_dummy_receive(name, qid, argv[i], &err)) {
            unixctl_command_reply_error(conn, err);
            free(err);
            return;
        }
    }
    unixctl_command_reply(conn, "");
}

static void
dummy_unixctl_tx_show(struct unixctl_conn *conn, int argc TERN_UNUSED,
                      const char *argv[], void *aux TERN_UNUSED)
{
    struct netdev *netdev = lookup_dummy_or_reply__(conn, argv[1]);
    if (netdev) {
        struct ds ds = DS_EMPTY;
        netdev_dummy_tx_format(netdev, &ds);
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
    }
}

static void
dummy_unixctl_tx_clear(struct unixctl_conn *conn, int argc TERN_UNUSED,
                       const char *argv[], void *aux TERN_UNUSED)
{
    struct netdev *netdev = lookup_dummy_or_reply__(conn, argv[1]);
    if (netdev) {
        netdev_dummy_tx_clear(netdev);
        unixctl_command_reply(conn, "");
    }
}

static void
dummy_unixctl_set_carrier(struct unixctl_conn *conn, int argc TERN_UNUSED,
                          const char *argv[], void *aux TERN_UNUSED)
{
    struct netdev *netdev = lookup_dummy_or_reply__(conn, argv[1]);
    if (!netdev) {
        return;
    }
    if (!strcmp(argv[2], "up") || !strcmp(argv[2], "down")) {
        netdev_dummy_set_carrier(netdev, !strcmp(argv[2], "up"));
        unixctl_command_reply(conn, "");
    } else {
        unixctl_command_reply_error(conn, "carrier must be 'up' or 'down'");
    }
}

void
netdev_dummy_register_commands(void)
{
    static const struct {
        const char *name;
        const char *usage;
        int min_args, max_args;
        unixctl_cb_func *cb;
    } commands[] = {
        {"netdev-dummy/receive", "NAME [--qid=N] PACKET...", 2, INT16_MAX,
         dummy_unixctl_receive},
        {"netdev-dummy/tx-show", "NAME", 1, 1, dummy_unixctl_tx_show},
        {"netdev-dummy/tx-clear", "NAME", 1, 1, dummy_unixctl_tx_clear},
        {"netdev-dummy/set-carrier", "NAME up|down", 2, 2,
         dummy_unixctl_set_carrier},
    };
    static bool registered;
    if (registered) {
        return;
    }
    registered = true;
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        unixctl_command_register(commands[i].name, commands[i].usage,
                                 commands[i].min_args, commands[i].max_args,
                                 commands[i].cb, NULL);
    }
}
