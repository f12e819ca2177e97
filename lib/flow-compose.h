/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow-compose: the inverse of flow_extract().  Given a flow, builds the
 * bytes of a well-formed packet (correct length fields and IPv4, TCP, UDP,
 * ICMP, ICMPv6 and SCTP checksums) whose extracted key carries the same
 * packet fields.  odp-util uses it to turn ovs-dpctl flow text into packets
 * for netdev-dummy/receive, and tests use it to build traffic.
 *
 * What is written, from the flow's fields:
 *   - Ethernet dl_dst/dl_src; one tag per vlans[i] whose tci has VLAN_CFI
 *     (tpid 0 means 0x8100), with VLAN_CFI itself cleared on the wire;
 *   - dl_type FLOW_DL_TYPE_NONE (or any value below 0x600): an 802.3
 *     length and a non-SNAP LLC header, then the payload;
 *   - MPLS: mpls_lse[] up to the first entry with the BOS bit (all
 *     FLOW_MAX_MPLS_LABELS if none has it), then the payload;
 *   - ARP/RARP: an Ethernet/IPv4 ARP with opcode nw_proto;
 *   - IPv4 (no options) and IPv6; nw_frag ANY adds MF (IPv4) or a fragment
 *     header (IPv6), LATER a non-zero fragment offset, and later fragments
 *     carry the payload right after the IP header;
 *   - TCP (data offset 5, flags from tcp_flags), UDP, SCTP, ICMP and ICMPv6
 *     (type/code from tp_src/tp_dst, 4 zero bytes of message body); ND
 *     NS/NA (code 0) get the target and an SLL/TLL option for each of
 *     arp_sha/arp_tha that is non-zero, and no payload;
 *   - then 'payload_len' bytes of 'payload' (may be NULL: zero bytes).
 * Metadata (recirc_id, in_port, dp_hash, pkt_mark) is not in the packet.
 * No Ethernet padding is added.
 *
 * Thread safety: pure function on caller-owned memory.
 */
#ifndef TERN_FLOW_COMPOSE_H
#define TERN_FLOW_COMPOSE_H 1

#include "lib/flow.h"

/* Writes the packet for 'flow' carrying 'payload' into 'buf' ('size'
 * bytes, owned by the caller).  Returns its length, or 0 if it does not fit
 * in 'size' or would exceed IP's 64 KiB length limit. */
size_t flow_compose(const struct flow *flow, const void *payload,
                    size_t payload_len, uint8_t *buf, size_t size);

#endif /* TERN_FLOW_COMPOSE_H */
