/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packet-builder: byte-by-byte construction of raw frames for tests.
 *
 * A 'struct pb' is a fixed buffer plus a list of the headers appended to it.
 * Each pb_*() call appends one header at the end, front to back, exactly as
 * the arguments say (host-order integers, text addresses).  pb_finish()
 * then fills in what depends on what follows: IPv4 total length and header
 * checksum, IPv6 payload length, UDP length, and TCP/UDP/ICMP/ICMPv6/SCTP
 * checksums (each L4 header uses the nearest IP header before it).  Tests
 * that want hostile packets corrupt the bytes afterwards with pb_set8()/
 * pb_set16()/pb_truncate().
 *
 * For well-formed packets from a struct flow, pb_compose() wraps
 * flow_compose().  pb_extract() runs flow_extract() on a heap copy of
 * exactly the requested length, so AddressSanitizer reports any read
 * beyond it.
 *
 *   struct pb pb;
 *   pb_init(&pb);
 *   pb_eth(&pb, "00:00:00:00:00:02", "00:00:00:00:00:01", ETH_TYPE_IP);
 *   pb_ipv4(&pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
 *   pb_udp(&pb, 1000, 53);
 *   pb_put(&pb, "hello", 5);
 *   pb_finish(&pb);
 *
 * Builders abort the test program (tern_fatal) on overflow or on a bad
 * address string: they are for tests only.
 */
#ifndef TERN_TESTS_PACKET_BUILDER_H
#define TERN_TESTS_PACKET_BUILDER_H 1

#include "lib/flow.h"

#define PB_MAX_LEN    16384
#define PB_MAX_LAYERS 32

enum pb_layer_type {
    PB_IPV4,
    PB_IPV6,
    PB_TCP,
    PB_UDP,
    PB_SCTP,
    PB_ICMP,
    PB_ICMP6,
};

struct pb {
    uint8_t data[PB_MAX_LEN];
    size_t len;
    size_t n_layers;
    struct {
        enum pb_layer_type type;
        size_t ofs;
    } layers[PB_MAX_LAYERS];
};

void pb_init(struct pb *);

/* Raw bytes.  Each returns the offset at which the bytes start. */
size_t pb_put(struct pb *, const void *data, size_t n);
size_t pb_put_zeros(struct pb *, size_t n);
size_t pb_put_u8(struct pb *, uint8_t);
size_t pb_put_be16(struct pb *, uint16_t host);
size_t pb_put_be32(struct pb *, uint32_t host);

/* L2.  'type' is written as is: a TPID, an Ethertype or an 802.3 length. */
size_t pb_eth(struct pb *, const char *dst, const char *src, uint16_t type);
/* A VLAN tag body (follows an Ethertype 0x8100/0x88a8): TCI and the type
 * of what follows. */
size_t pb_vlan(struct pb *, uint16_t tci, uint16_t next_type);
/* LLC/SNAP header (AA-AA-03, OUI 0) carrying 'type'. */
size_t pb_snap(struct pb *, uint16_t type);
size_t pb_mpls(struct pb *, uint32_t label, uint8_t tc, bool bos, uint8_t ttl);
/* Ethernet/IPv4 ARP. */
size_t pb_arp(struct pb *, uint16_t op, const char *sha, const char *spa,
              const char *tha, const char *tpa);

/* L3.  IPv4 has IHL 5, DF clear, TOS 0; use pb_ipv4_full() for more. */
size_t pb_ipv4(struct pb *, const char *src, const char *dst, uint8_t proto,
               uint8_t ttl);
/* 'options' ('opt_len' bytes, a multiple of 4, at most 40) follow the
 * fixed header; 'frag_off' is the host-order flags+offset field. */
size_t pb_ipv4_full(struct pb *, const char *src, const char *dst,
                    uint8_t proto, uint8_t ttl, uint8_t tos, uint16_t frag_off,
                    const void *options, size_t opt_len);
size_t pb_ipv6(struct pb *, const char *src, const char *dst, uint8_t nxt,
               uint8_t hlim, uint8_t tclass, uint32_t label);
/* Hop-by-hop, routing or destination options header of 'len' bytes (a
 * multiple of 8, at least 8), padded with zeros. */
size_t pb_ipv6_opts(struct pb *, uint8_t nxt, size_t len);
/* Authentication header of 'len' bytes (multiple of 4, at least 12). */
size_t pb_ipv6_ah(struct pb *, uint8_t nxt, size_t len);
/* Fragment header; 'offset' in 8-byte units. */
size_t pb_ipv6_frag(struct pb *, uint8_t nxt, uint16_t offset, bool more);

/* L4. */
size_t pb_tcp(struct pb *, uint16_t src, uint16_t dst, uint16_t flags);
size_t pb_udp(struct pb *, uint16_t src, uint16_t dst);
size_t pb_sctp(struct pb *, uint16_t src, uint16_t dst);
/* ICMP/ICMPv6 header followed by 4 zero bytes. */
size_t pb_icmp(struct pb *, uint8_t type, uint8_t code);
size_t pb_icmp6(struct pb *, uint8_t type, uint8_t code);
/* ICMPv6 NS/NA with 'target' and, when non-NULL, an SLL and a TLL option
 * (MAC strings). */
size_t pb_nd(struct pb *, uint8_t type, const char *target, const char *sll,
             const char *tll);

/* Fills lengths and checksums (see above).  Call once, after the last
 * header and payload; may be called again after appending more. */
void pb_finish(struct pb *);

/* Corruption helpers (host-order values). */
void pb_set8(struct pb *, size_t ofs, uint8_t);
void pb_set16(struct pb *, size_t ofs, uint16_t host);
void pb_truncate(struct pb *, size_t len);

/* Sample frames several tests share, built into 'pb' (emptied first) and
 * pb_finish()ed; each returns 'pb'.
 *   pb_sample_tcp4(): PB_SAMPLE_MAC1 -> PB_SAMPLE_MAC2 / IPv4 10.0.0.1 ->
 *     10.0.0.2, TTL 64, TOS 0xb9 / TCP 1234 -> 80 SYN|ACK / "0123456789".
 *   pb_sample_udp6(): same MACs / IPv6 2001:db8::1 -> 2001:db8::2, hop
 *     limit 63, traffic class 0x2e, label 0x12345 / UDP 5000 -> 53 /
 *     "abcdef". */
#define PB_SAMPLE_MAC1 "00:11:22:33:44:55"
#define PB_SAMPLE_MAC2 "66:77:88:99:aa:bb"
struct pb *pb_sample_tcp4(struct pb *);
struct pb *pb_sample_udp6(struct pb *);

/* Replaces the contents with flow_compose(flow, payload).  Aborts if the
 * packet does not fit. */
void pb_compose(struct pb *, const struct flow *, const void *payload,
                size_t payload_len);

/* Runs flow_extract() over a malloc'd copy of the first 'len' bytes of
 * 'data' (md may be NULL; ofs may be NULL). */
void pb_extract(const void *data, size_t len, const struct flow_md *md,
                struct flow_key *key, struct flow_offsets *ofs);

/* Text-to-binary helpers for test expectations; abort on bad input. */
struct eth_addr pb_mac(const char *);
tern_be32 pb_ip4(const char *);
struct in6_addr pb_ip6(const char *);

#endif /* TERN_TESTS_PACKET_BUILDER_H */
