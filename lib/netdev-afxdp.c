/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-afxdp: AF_XDP sockets, their UMEMs and the XDP program of one
 * kernel interface (see the header for the model and the threads).
 *
 * Layout.  The port maps one anonymous area of n_queues * QUEUE_FRAMES
 * frames of FRAME_SIZE bytes; queue q owns the slice starting at
 * q * QUEUE_FRAMES frames and registers it as its own UMEM, so queues never
 * share rings or frames.  In a slice the first RX_FRAMES frames are the
 * receive frames (all handed to the fill ring at open), the others the
 * transmit frames.
 *
 * The program is libxdp's default AF_XDP program (xsk_def_xdp_prog.o),
 * loaded and attached here rather than by xsk_socket__create() so that the
 * mode is ours to choose and so that closing the port detaches it again.
 * Its map sends each receive queue's frames to that queue's socket and
 * passes frames of other queues to the kernel stack.
 */
#include <config.h>

#include "lib/netdev-afxdp.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "lib/netdev-afxdp-pool.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_afxdp);

#define FRAME_SIZE   4096u /* XSK_UMEM__DEFAULT_FRAME_SIZE. */
#define RX_FRAMES    1024u /* Also the size of the fill and rx rings. */
#define TX_FRAMES    512u  /* Also the size of the tx and completion rings. */
#define QUEUE_FRAMES (RX_FRAMES + TX_FRAMES)
#define QUEUE_BYTES  ((uint64_t)QUEUE_FRAMES * FRAME_SIZE)

#define XSK_PROG_FILE "xsk_def_xdp_prog.o"
#define XSK_MAP_NAME  "xsks_map"

/* One AF_XDP socket with its UMEM and rings. */
struct afxdp_queue {
    struct xsk_umem *umem;
    struct xsk_socket *xsk;
    int fd;

    /* Receive side: only the thread polling this queue. */
    struct xsk_ring_prod fill;
    struct xsk_ring_cons rx;
    struct afxdp_pool rx_pool;

    /* Transmit side: only the thread sending on this queue. */
    struct xsk_ring_prod tx;
    struct xsk_ring_cons comp;
    struct afxdp_pool tx_pool;
};

struct afxdp_port {
    char ifname[IFNAMSIZ];
    int ifindex;
    enum afxdp_mode mode_in_use; /* Native or generic. */
    bool rxvlan_restore;         /* Turn rx VLAN offload back on at close. */

    uint8_t *area; /* mmap()ed frames of every queue. */
    size_t area_size;

    struct xdp_program *prog;
    int map_fd;

    int n_queues;
    struct afxdp_queue *queues;

    /* Counters: relaxed atomics, any thread. */
    _Atomic uint64_t rx_packets, rx_bytes, rx_dropped;
    _Atomic uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
};

static const char *const mode_names[] = {
    [AFXDP_MODE_BEST_EFFORT] = "best-effort",
    [AFXDP_MODE_NATIVE] = "native",
    [AFXDP_MODE_GENERIC] = "generic",
};

bool
afxdp_mode_from_string(const char *s, enum afxdp_mode *mode)
{
    if (!s) {
        *mode = AFXDP_MODE_BEST_EFFORT;
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(mode_names); i++) {
        if (!strcmp(s, mode_names[i])) {
            *mode = (enum afxdp_mode)i;
            return true;
        }
    }
    return false;
}

const char *
afxdp_mode_to_string(enum afxdp_mode mode)
{
    return (size_t)mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : "?";
}

int
afxdp_max_frame_len(void)
{
    return (int)afxdp_max_rx_frame(FRAME_SIZE, XDP_PACKET_HEADROOM);
}

/* libxdp and libbpf report failures we handle (a mode the driver lacks)
 * as warnings: log them at debug level, our own messages say what
 * happened. */
static int
afxdp_lib_print__(const char *format, va_list args)
{
    char buf[256];
    vsnprintf(buf, sizeof buf, format, args);
    size_t len = strlen(buf);
    while (len && buf[len - 1] == '\n') {
        buf[--len] = '\0';
    }
    VLOG_DBG("%s", buf);
    return 0;
}

static int
afxdp_libxdp_print(enum libxdp_print_level level TERN_UNUSED,
                   const char *format, va_list args)
{
    return afxdp_lib_print__(format, args);
}

static int
afxdp_libbpf_print(enum libbpf_print_level level TERN_UNUSED,
                   const char *format, va_list args)
{
    return afxdp_lib_print__(format, args);
}

static void
afxdp_init_logging__(void)
{
    static bool done;
    if (!done) {
        done = true;
        libxdp_set_print(afxdp_libxdp_print);
        libbpf_set_print(afxdp_libbpf_print);
    }
}

/* Converts a libxdp/libbpf result (negative errno) to a positive errno. */
static int
afxdp_errno__(long err)
{
    return err < 0 ? (int)-err : err > 0 ? (int)err : EINVAL;
}

/* Loads the default program into 'port' and attaches it in 'mode' (native
 * or generic).  Returns 0 or a positive errno. */
static int
afxdp_attach_mode__(struct afxdp_port *port, enum afxdp_mode mode)
{
    struct xdp_program *prog =
        xdp_program__find_file(XSK_PROG_FILE, NULL, NULL);
    long err = libxdp_get_error(prog);
    if (err) {
        return afxdp_errno__(err);
    }
    struct bpf_map *map =
        bpf_object__find_map_by_name(xdp_program__bpf_obj(prog), XSK_MAP_NAME);
    if (!map) {
        xdp_program__close(prog);
        return ENOENT;
    }
    bpf_map__set_max_entries(map, (uint32_t)port->n_queues);
    enum xdp_attach_mode xmode =
        mode == AFXDP_MODE_NATIVE ? XDP_MODE_NATIVE : XDP_MODE_SKB;
    err = xdp_program__attach(prog, port->ifindex, xmode, 0);
    if (err) {
        xdp_program__close(prog);
        return afxdp_errno__(err);
    }
    port->map_fd = bpf_map__fd(map);
    port->prog = prog;
    port->mode_in_use = mode;
    return 0;
}

/* Attaches the program as 'mode' asks (best-effort: native, else
 * generic). */
static int
afxdp_attach__(struct afxdp_port *port, enum afxdp_mode mode, char **errp)
{
    int error;
    if (mode == AFXDP_MODE_BEST_EFFORT) {
        error = afxdp_attach_mode__(port, AFXDP_MODE_NATIVE);
        if (!error) {
            return 0;
        }
        VLOG_INFO("%s: native XDP unavailable (%s), trying generic mode",
                  port->ifname, tern_strerror(error));
        mode = AFXDP_MODE_GENERIC;
    }
    error = afxdp_attach_mode__(port, mode);
    if (error) {
        *errp = xasprintf("%s: cannot attach the XDP program in %s mode: %s",
                          port->ifname, afxdp_mode_to_string(mode),
                          tern_strerror(error));
    }
    return error;
}

static void
afxdp_detach__(struct afxdp_port *port)
{
    if (port->prog) {
        enum xdp_attach_mode xmode = port->mode_in_use == AFXDP_MODE_NATIVE
                                         ? XDP_MODE_NATIVE
                                         : XDP_MODE_SKB;
        int err = xdp_program__detach(port->prog, port->ifindex, xmode, 0);
        if (err) {
            VLOG_WARN("%s: cannot detach the XDP program: %s", port->ifname,
                      tern_strerror(afxdp_errno__(err)));
        }
        xdp_program__close(port->prog);
        port->prog = NULL;
    }
}

/* Issues the ethtool request 'data' (starting with its command) on
 * 'ifname'. */
static int
afxdp_ethtool__(const char *ifname, void *data)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    ifr.ifr_data = data;

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    int error = ioctl(fd, SIOCETHTOOL, &ifr) ? errno : 0;
    close(fd);
    return error;
}

/* Issues the flags command 'cmd' with '*flags' on 'ifname'. */
static int
afxdp_ethtool_flags__(const char *ifname, uint32_t cmd, uint32_t *flags)
{
    struct ethtool_value ev = {.cmd = cmd, .data = *flags};
    int error = afxdp_ethtool__(ifname, &ev);
    *flags = ev.data;
    return error;
}

/* The receive queues of 'port' that have no socket send their frames to
 * the kernel stack: say so, it is a configuration mistake. */
static void
afxdp_check_queues__(const struct afxdp_port *port)
{
    struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
    if (!afxdp_ethtool__(port->ifname, &ch)) {
        uint32_t n = MAX(ch.rx_count, ch.combined_count);
        if (n > (uint32_t)port->n_queues) {
            VLOG_WARN("%s: the interface has %u receive queues and "
                      "options:n_rxq is %d: frames on the other queues go "
                      "to the kernel stack, not to Tern",
                      port->ifname, n, port->n_queues);
        }
    }
}

/* An XDP program sees the frame the driver hands it: a VLAN tag that the
 * device stripped into metadata (receive VLAN offload) is invisible to it
 * and so to the AF_XDP socket.  Turns the offload off on 'port' while the
 * port is open, so that tags stay in the frames. */
static void
afxdp_rxvlan_off__(struct afxdp_port *port)
{
    uint32_t flags = 0;
    if (afxdp_ethtool_flags__(port->ifname, ETHTOOL_GFLAGS, &flags) ||
        !(flags & ETH_FLAG_RXVLAN)) {
        return;
    }
    flags &= ~(uint32_t)ETH_FLAG_RXVLAN;
    int error = afxdp_ethtool_flags__(port->ifname, ETHTOOL_SFLAGS, &flags);
    if (error) {
        VLOG_INFO("%s: cannot turn off rx VLAN offload (%s): offloaded VLAN "
                  "tags will not reach Tern",
                  port->ifname, tern_strerror(error));
        return;
    }
    port->rxvlan_restore = true;
    VLOG_INFO("%s: rx VLAN offload off while AF_XDP is in use", port->ifname);
}

static void
afxdp_rxvlan_restore__(struct afxdp_port *port)
{
    uint32_t flags = 0;
    if (port->rxvlan_restore &&
        !afxdp_ethtool_flags__(port->ifname, ETHTOOL_GFLAGS, &flags)) {
        flags |= ETH_FLAG_RXVLAN;
        afxdp_ethtool_flags__(port->ifname, ETHTOOL_SFLAGS, &flags);
    }
    port->rxvlan_restore = false;
}

/* Gives every free receive frame of 'q' to the fill ring, as many as fit. */
static void
afxdp_refill__(struct afxdp_queue *q)
{
    uint64_t addrs[RX_FRAMES];
    uint32_t n = xsk_prod_nb_free(&q->fill, q->rx_pool.n);
    if (n > q->rx_pool.n) {
        n = q->rx_pool.n;
    }
    uint32_t idx;
    if (!n || xsk_ring_prod__reserve(&q->fill, n, &idx) != n) {
        return;
    }
    afxdp_pool_get(&q->rx_pool, addrs, n);
    for (uint32_t i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(&q->fill, idx + i) = addrs[i];
    }
    xsk_ring_prod__submit(&q->fill, n);
}

/* Creates the UMEM and socket of queue 'qid'. */
static int
afxdp_queue_open__(struct afxdp_port *port, int qid, char **errp)
{
    struct afxdp_queue *q = &port->queues[qid];
    uint8_t *slice = port->area + (size_t)qid * QUEUE_BYTES;
    const struct xsk_umem_config ucfg = {
        .fill_size = RX_FRAMES,
        .comp_size = TX_FRAMES,
        .frame_size = FRAME_SIZE,
        .frame_headroom = 0,
        .flags = 0,
    };
    const struct xsk_socket_config scfg = {
        .rx_size = RX_FRAMES,
        .tx_size = TX_FRAMES,
        .libxdp_flags = XSK_LIBBPF_FLAGS__INHIBIT_PROG_LOAD,
        .xdp_flags = 0,
        .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
    };
    const char *what = "create the UMEM";
    int err = xsk_umem__create(&q->umem, slice, QUEUE_BYTES, &q->fill,
                               &q->comp, &ucfg);
    if (!err) {
        what = "create the socket";
        err = xsk_socket__create(&q->xsk, port->ifname, (uint32_t)qid, q->umem,
                                 &q->rx, &q->tx, &scfg);
    }
    if (!err) {
        what = "add the socket to the XDP map";
        q->fd = xsk_socket__fd(q->xsk);
        err = xsk_socket__update_xskmap(q->xsk, port->map_fd);
    }
    if (!err && (afxdp_pool_init(&q->rx_pool, 0, RX_FRAMES, FRAME_SIZE) ||
                 afxdp_pool_init(&q->tx_pool, (uint64_t)RX_FRAMES * FRAME_SIZE,
                                 TX_FRAMES, FRAME_SIZE))) {
        what = "allocate the frame pools";
        err = -ENOMEM;
    }
    if (err) {
        *errp = xasprintf("%s: queue %d: cannot %s: %s", port->ifname, qid,
                          what, tern_strerror(afxdp_errno__(err)));
        return afxdp_errno__(err);
    }
    afxdp_refill__(q);
    return 0;
}

static void
afxdp_queue_close__(struct afxdp_port *port, int qid)
{
    struct afxdp_queue *q = &port->queues[qid];
    if (q->xsk) {
        if (port->map_fd >= 0) {
            uint32_t key = (uint32_t)qid;
            bpf_map_delete_elem(port->map_fd, &key);
        }
        xsk_socket__delete(q->xsk);
        q->xsk = NULL;
    }
    if (q->umem) {
        xsk_umem__delete(q->umem);
        q->umem = NULL;
    }
    afxdp_pool_destroy(&q->rx_pool);
    afxdp_pool_destroy(&q->tx_pool);
}

void
afxdp_port_close(struct afxdp_port *port)
{
    if (!port) {
        return;
    }
    for (int i = port->n_queues; i-- > 0;) {
        afxdp_queue_close__(port, i);
    }
    afxdp_detach__(port);
    afxdp_rxvlan_restore__(port);
    if (port->area) {
        munmap(port->area, port->area_size);
    }
    free(port->queues);
    free(port);
}

int
afxdp_port_open(const char *ifname, int n_rxq, enum afxdp_mode mode,
                struct afxdp_port **portp, char **errp)
{
    afxdp_init_logging__();
    *portp = NULL;
    if (strlen(ifname) >= IFNAMSIZ || n_rxq < 1) {
        *errp = xasprintf("%s: bad name or queue count", ifname);
        return EINVAL;
    }

    struct afxdp_port *port = xzalloc(sizeof *port);
    snprintf(port->ifname, sizeof port->ifname, "%s", ifname);
    port->map_fd = -1;
    port->n_queues = n_rxq;
    port->queues = xzalloc((size_t)n_rxq * sizeof *port->queues);

    int error = 0;
    port->ifindex = (int)if_nametoindex(ifname);
    if (!port->ifindex) {
        error = ENODEV;
        *errp = xasprintf("%s: no such network interface", ifname);
        goto fail;
    }
    port->area_size = (size_t)n_rxq * QUEUE_BYTES;
    void *area = mmap(NULL, port->area_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        error = errno;
        *errp = xasprintf("%s: cannot map %zu bytes of UMEM: %s", ifname,
                          port->area_size, tern_strerror(error));
        goto fail;
    }
    port->area = area;

    error = afxdp_attach__(port, mode, errp);
    if (!error) {
        afxdp_rxvlan_off__(port);
        afxdp_check_queues__(port);
    }
    for (int i = 0; !error && i < n_rxq; i++) {
        error = afxdp_queue_open__(port, i, errp);
    }
    if (error) {
        goto fail;
    }
    VLOG_INFO("%s: AF_XDP on %d queue%s, XDP in %s mode, copy mode", ifname,
              n_rxq, n_rxq > 1 ? "s" : "",
              afxdp_mode_to_string(port->mode_in_use));
    *portp = port;
    return 0;

fail:
    afxdp_port_close(port);
    return error;
}

enum afxdp_mode
afxdp_port_mode_in_use(const struct afxdp_port *port)
{
    return port->mode_in_use;
}

int
afxdp_port_n_queues(const struct afxdp_port *port)
{
    return port->n_queues;
}

int
afxdp_port_rx(struct afxdp_port *port, int qid, struct dp_packet_batch *batch)
{
    struct afxdp_queue *q = &port->queues[qid];
    uint32_t idx;
    uint32_t n = xsk_ring_cons__peek(&q->rx, DP_PACKET_BATCH_SIZE, &idx);

    if (!n) {
        /* Frames are waiting for fill slots the kernel has not looked at:
         * let it know (only drivers that need it set the flag). */
        if (xsk_ring_prod__needs_wakeup(&q->fill)) {
            recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
        }
        batch->count = 0;
        return 0;
    }

    struct rte_mempool *pool = dp_packet_default_pool();
    uint32_t count = 0;
    uint64_t bytes = 0, dropped = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct xdp_desc *desc = xsk_ring_cons__rx_desc(&q->rx, idx + i);
        uint64_t addr = desc->addr;
        uint64_t base = afxdp_frame_base(addr, FRAME_SIZE);
        struct dp_packet *p = dp_packet_clone_data(
            pool, port->area + qid * QUEUE_BYTES + addr, desc->len);
        if (p) {
            bytes += desc->len;
            batch->packets[count++] = p;
        } else {
            dropped++;
        }
        afxdp_pool_put(&q->rx_pool, base);
    }
    xsk_ring_cons__release(&q->rx, n);
    afxdp_refill__(q);

    batch->count = count;
    atomic_fetch_add_explicit(&port->rx_packets, count, memory_order_relaxed);
    atomic_fetch_add_explicit(&port->rx_bytes, bytes, memory_order_relaxed);
    if (dropped) {
        atomic_fetch_add_explicit(&port->rx_dropped, dropped,
                                  memory_order_relaxed);
    }
    return (int)count;
}

/* Takes back the transmit frames the kernel has finished with. */
static void
afxdp_reclaim__(struct afxdp_queue *q)
{
    uint32_t idx;
    uint32_t n = xsk_ring_cons__peek(&q->comp, TX_FRAMES, &idx);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t addr = *xsk_ring_cons__comp_addr(&q->comp, idx + i);
        afxdp_pool_put(&q->tx_pool, afxdp_frame_base(addr, FRAME_SIZE));
    }
    if (n) {
        xsk_ring_cons__release(&q->comp, n);
    }
}

/* Asks the kernel to send what the tx ring holds, if it wants asking. */
static void
afxdp_kick_tx__(struct afxdp_port *port, struct afxdp_queue *q)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    if (!xsk_ring_prod__needs_wakeup(&q->tx)) {
        return;
    }
    /* Copy mode sends a bounded number of frames per call. */
    for (int tries = 0; tries < 4; tries++) {
        if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) {
            return;
        }
        int error = errno;
        if (error != EAGAIN && error != EBUSY && error != EINTR) {
            if (error != ENOBUFS && error != ENETDOWN && error != ENXIO) {
                VLOG_WARN_RL(&rl, "%s: AF_XDP transmit: %s", port->ifname,
                             tern_strerror(error));
            }
            return;
        }
    }
}

int
afxdp_port_tx(struct afxdp_port *port, int qid, struct dp_packet_batch *batch)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct afxdp_queue *q = &port->queues[qid % port->n_queues];
    uint8_t *slice = port->area + (size_t)(qid % port->n_queues) * QUEUE_BYTES;
    uint32_t n = batch->count, queued = 0;
    uint64_t bytes = 0, dropped = 0, errors = 0;

    afxdp_reclaim__(q);
    uint32_t idx = 0;
    uint32_t slots = n ? xsk_ring_prod__reserve(&q->tx, n, &idx) : 0;
    if (n && !slots) {
        /* Not room for all: take what there is, one at a time. */
        uint32_t free_slots = xsk_prod_nb_free(&q->tx, n);
        slots = free_slots < n ? free_slots : n;
        if (slots) {
            slots = xsk_ring_prod__reserve(&q->tx, slots, &idx);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        struct dp_packet *p = batch->packets[i];
        uint32_t len = dp_packet_size(p);
        uint64_t addr;
        if (len > FRAME_SIZE) {
            VLOG_WARN_RL(&rl,
                         "%s: dropped a %u-byte packet (AF_XDP frames "
                         "hold %u)",
                         port->ifname, len, FRAME_SIZE);
            errors++;
            dropped++;
        } else if (queued >= slots || !afxdp_pool_get(&q->tx_pool, &addr, 1)) {
            dropped++;
        } else {
            memcpy(slice + addr, dp_packet_data(p), len);
            struct xdp_desc *desc =
                xsk_ring_prod__tx_desc(&q->tx, idx + queued);
            desc->addr = addr;
            desc->len = len;
            desc->options = 0;
            queued++;
            bytes += len;
        }
    }
    if (queued < slots) {
        /* Give back the slots reserved and not used. */
        q->tx.cached_prod -= slots - queued;
    }
    if (queued) {
        xsk_ring_prod__submit(&q->tx, queued);
        afxdp_kick_tx__(port, q);
        afxdp_reclaim__(q);
    }

    atomic_fetch_add_explicit(&port->tx_packets, queued, memory_order_relaxed);
    atomic_fetch_add_explicit(&port->tx_bytes, bytes, memory_order_relaxed);
    if (dropped) {
        atomic_fetch_add_explicit(&port->tx_dropped, dropped,
                                  memory_order_relaxed);
    }
    if (errors) {
        atomic_fetch_add_explicit(&port->tx_errors, errors,
                                  memory_order_relaxed);
    }
    dp_packet_batch_free(batch);
    return (int)queued;
}

void
afxdp_port_get_stats(const struct afxdp_port *port, struct netdev_stats *stats)
{
    struct afxdp_port *p = (struct afxdp_port *)port;
    uint64_t k_dropped = 0, k_rx_invalid = 0, k_tx_invalid = 0;

    for (int i = 0; i < port->n_queues; i++) {
        struct xdp_statistics xs;
        socklen_t len = sizeof xs;
        memset(&xs, 0, sizeof xs);
        if (port->queues[i].xsk && !getsockopt(port->queues[i].fd, SOL_XDP,
                                               XDP_STATISTICS, &xs, &len)) {
            k_dropped += xs.rx_dropped + xs.rx_ring_full;
            k_rx_invalid += xs.rx_invalid_descs;
            k_tx_invalid += xs.tx_invalid_descs;
        }
    }
#define LOAD(FIELD) atomic_load_explicit(&p->FIELD, memory_order_relaxed)
    stats->rx_packets = LOAD(rx_packets);
    stats->rx_bytes = LOAD(rx_bytes);
    stats->rx_dropped = LOAD(rx_dropped) + k_dropped;
    stats->rx_errors = k_rx_invalid;
    stats->tx_packets = LOAD(tx_packets);
    stats->tx_bytes = LOAD(tx_bytes);
    stats->tx_dropped = LOAD(tx_dropped);
    stats->tx_errors = LOAD(tx_errors) + k_tx_invalid;
#undef LOAD
}

/* Only values that change with the configuration: the bridge writes
 * status to the database when it changes. */
void
afxdp_port_get_status(const struct afxdp_port *port, struct smap *status)
{
    smap_replace(status, "xdp-mode-in-use",
                 afxdp_mode_to_string(port->mode_in_use));
    smap_replace(status, "zero-copy", "false");
    smap_replace(status, "use-need-wakeup", "true");
    smap_add_format(status, "umem-frame-size", "%u", FRAME_SIZE);
    smap_add_format(status, "max-frame-len", "%d", afxdp_max_frame_len());
}
