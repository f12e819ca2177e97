/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-dummy: a software-only device (type "dummy") for tests.  Packets
 * are injected into its rx queues from the main thread, and what the
 * datapath transmits on it is captured in memory and optionally in a pcap
 * file.
 *
 * Options (at open and with netdev_set_config()):
 *   n_rxq=N     rx queues (default 1, at most NETDEV_MAX_QUEUES), each an
 *               rte_ring of 1024 packets; a full ring drops (rx_dropped).
 *   mac=MAC     Ethernet address; default aa:55 followed by 4 bytes hashed
 *               from the name (locally administered, stable per name).
 *   mtu=N       default 1500.
 *   pcap=PATH   also write transmitted packets to this pcap file
 *               (Ethernet link type).  Without it, the file is
 *               "$TERN_RUNDIR/NAME.pcap" when TERN_RUNDIR is set in the
 *               environment, and no file is written otherwise.
 * The device grants every tx queue requested by netdev_set_tx_multiq().
 *
 * Capture.  send() copies each packet into the device's in-memory capture
 * (at most NETDEV_DUMMY_MAX_CAPTURE packets; beyond that the oldest are
 * discarded) and appends it to the pcap file, both under the device's
 * capture mutex, and flushes the file once per batch, so a reader sees
 * every packet as soon as send() returns.  This costs a write() per
 * batch, acceptable for a device that exists for tests.
 *
 * unixctl commands (netdev_dummy_register_commands(), main thread):
 *   netdev-dummy/receive NAME [--qid=N] PACKET...
 *       PACKET is hex bytes ("0102...", blanks allowed between bytes) or
 *       ovs-dpctl flow syntax ("eth(src=..,dst=..),eth_type(0x0800),...")
 *       built into a packet by odp_flow_to_packet().  Replies "".
 *   netdev-dummy/tx-show NAME
 *       Replies "count=N" on the first line, then the hex of each captured
 *       packet, one per line, oldest first.
 *   netdev-dummy/tx-clear NAME     empties the capture (not the pcap file).
 *   netdev-dummy/set-carrier NAME up|down
 *
 * Threads: the functions below run on the main thread (or a test's
 * thread) while PMD threads poll and send; the capture is guarded by a
 * mutex and the rx rings are multi-producer, single-consumer.
 */
#ifndef TERN_NETDEV_DUMMY_H
#define TERN_NETDEV_DUMMY_H 1

#include "lib/netdev.h"

#define NETDEV_DUMMY_MAX_CAPTURE 65536

/* Registers the netdev-dummy/... unixctl commands.  Idempotent. */
void netdev_dummy_register_commands(void);

/* Builds the packet described by 'text' (hex or flow syntax, see above)
 * and queues it on rx queue 'qid' of the open dummy device 'name'.
 * Returns 0, or a positive errno with a message in *errp (caller frees;
 * 'errp' may be NULL). */
int netdev_dummy_receive(const char *name, int qid, const char *text,
                         char **errp);
/* Queues a copy of the 'len' bytes at 'data' (the caller keeps them) on rx
 * queue 'qid' of dummy device 'netdev'.  Returns 0, EINVAL for a bad qid or
 * non-dummy device, ENOBUFS when the pool or the ring is full (counted as
 * rx_dropped), EMSGSIZE when the packet does not fit an mbuf. */
int netdev_dummy_inject(struct netdev *netdev, int qid, const void *data,
                        size_t len);

/* Number of packets in the capture of 'netdev' (0 for non-dummy). */
size_t netdev_dummy_tx_count(const struct netdev *netdev);
/* Copies captured packet number 'idx' (0 = oldest) into a new buffer that
 * the caller frees, stored in *datap with its length in *lenp.  Returns
 * false if there is no such packet. */
bool netdev_dummy_tx_get(const struct netdev *netdev, size_t idx,
                         uint8_t **datap, size_t *lenp);
/* Appends the tx-show text of 'netdev' to 'out'. */
void netdev_dummy_tx_format(const struct netdev *netdev, struct ds *out);
/* Empties the capture of 'netdev'. */
void netdev_dummy_tx_clear(struct netdev *netdev);
/* Sets the link state reported by netdev_get_carrier(). */
void netdev_dummy_set_carrier(struct netdev *netdev, bool up);

#endif /* TERN_NETDEV_DUMMY_H */
