/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-afxdp: AF_XDP input/output for a Linux kernel interface, the fast
 * path behind the "afxdp" and "system" netdev types (netdev-system.c owns
 * those classes, their options and link state; this module only moves
 * packets).
 *
 * An afxdp_port opens one AF_XDP socket on each of the interface's first
 * 'n_rxq' receive queues and attaches libxdp's default AF_XDP program,
 * which redirects every frame of a queue that has a socket to it.  The port
 * owns one memory area split into one UMEM per socket.  Sockets work in
 * copy mode: received frames are copied into Tern packets (rte_mbufs) and
 * transmitted packets are copied into UMEM frames, so no driver support for
 * zero-copy is needed and packets never point into the UMEM.  Sockets are
 * bound with XDP_USE_NEED_WAKEUP; the transmit path kicks the kernel only
 * when it asks.
 *
 * Threads.  afxdp_port_open(), afxdp_port_close(), and the getters are for
 * the main thread (getters are also safe from any thread).
 * afxdp_port_rx() on queue 'qid' is called by one thread at a time, and so
 * is afxdp_port_tx() on queue 'qid' (the generic netdev layer holds the tx
 * lock when senders share a queue); rx and tx of the same queue may run in
 * different threads at once.
 */
#ifndef TERN_NETDEV_AFXDP_H
#define TERN_NETDEV_AFXDP_H 1

#include <stdbool.h>

#include "lib/dp-packet.h"
#include "lib/netdev.h"
#include "lib/smap.h"

/* How the XDP program is attached. */
enum afxdp_mode {
    AFXDP_MODE_BEST_EFFORT, /* Native if the driver allows, else generic. */
    AFXDP_MODE_NATIVE,      /* In the driver (XDP_FLAGS_DRV_MODE). */
    AFXDP_MODE_GENERIC,     /* In the core stack, any device (SKB mode). */
};

/* Parses options:xdp-mode ("native", "generic", "best-effort"; NULL means
 * best-effort) into '*mode'.  Returns true on success. */
bool afxdp_mode_from_string(const char *s, enum afxdp_mode *mode);
/* Returns the option spelling of 'mode' (static string). */
const char *afxdp_mode_to_string(enum afxdp_mode mode);

/* Largest frame, Ethernet header included, that a port receives; longer
 * frames are dropped by the kernel and counted in rx_dropped. */
int afxdp_max_frame_len(void);

struct afxdp_port;

/* Opens AF_XDP sockets on receive queues 0 to 'n_rxq' - 1 of the kernel
 * interface 'ifname' (in the caller's network namespace) and attaches the
 * XDP program in 'mode'.  On success stores a new port in '*portp' (the
 * caller closes it) and returns 0.  On failure returns a positive errno
 * and stores in '*errp' a message the caller frees. */
int afxdp_port_open(const char *ifname, int n_rxq, enum afxdp_mode mode,
                    struct afxdp_port **portp, char **errp);
/* Closes the sockets, detaches the XDP program and frees 'port' (NULL
 * allowed).  No thread may still use it. */
void afxdp_port_close(struct afxdp_port *port);

/* The mode the program was attached in: native or generic. */
enum afxdp_mode afxdp_port_mode_in_use(const struct afxdp_port *port);
/* Number of queues (sockets): as many rx as tx. */
int afxdp_port_n_queues(const struct afxdp_port *port);

/* Receives up to DP_PACKET_BATCH_SIZE frames from queue 'qid' into the
 * empty 'batch' as new packets from the default pool, which belong to the
 * caller.  Returns the number received. */
int afxdp_port_rx(struct afxdp_port *port, int qid,
                  struct dp_packet_batch *batch);
/* Copies every packet of 'batch' into the tx ring of queue 'qid' and frees
 * them all; packets that do not fit (ring full, too long) are counted as
 * tx_dropped.  Returns the number queued for transmission. */
int afxdp_port_tx(struct afxdp_port *port, int qid,
                  struct dp_packet_batch *batch);

/* Stores the port's counters (ours plus the sockets' XDP_STATISTICS) in
 * '*stats'. */
void afxdp_port_get_stats(const struct afxdp_port *port,
                          struct netdev_stats *stats);
/* Adds the AF_XDP status keys to 'status'. */
void afxdp_port_get_status(const struct afxdp_port *port, struct smap *status);

#endif /* TERN_NETDEV_AFXDP_H */
