/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packets: wire formats of the L2-L4 headers Tern parses and rewrites, their
 * constants, and checksum helpers.  Structures are byte-exact images of the
 * wire (packed where the wire is not naturally aligned); multi-byte fields
 * are in network byte order (tern_be16/tern_be32).
 *
 * Used by flow extraction (flow.c), action execution (datapath) and the test
 * packet builders.  No state, safe from any thread.
 */
#ifndef TERN_PACKETS_H
#define TERN_PACKETS_H 1

#include <netinet/in.h>

#include "lib/util.h"

#define ETH_ADDR_LEN 6
struct eth_addr {
    uint8_t ea[ETH_ADDR_LEN];
};

#define ETH_HEADER_LEN       14
#define ETH_TYPE_MIN         0x600 /* Below this, the field is an 802.3 length. */
#define ETH_TYPE_IP          0x0800
#define ETH_TYPE_ARP         0x0806
#define ETH_TYPE_RARP        0x8035
#define ETH_TYPE_VLAN_8021Q  0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8
#define ETH_TYPE_IPV6        0x86dd
#define ETH_TYPE_MPLS        0x8847
#define ETH_TYPE_MPLS_MCAST  0x8848
#define ETH_TYPE_PBB         0x88e7 /* IEEE 802.1ah I-TAG. */
#define ETH_TYPE_LACP        0x8809

struct eth_header {
    struct eth_addr eth_dst;
    struct eth_addr eth_src;
    tern_be16 eth_type;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct eth_header) == ETH_HEADER_LEN);

/* 802.1Q / 802.1ad tag as it follows the two MAC addresses. */
#define VLAN_HEADER_LEN 4
struct vlan_header {
    tern_be16 vlan_tci; /* PCP (3 bits), DEI/CFI (1 bit), VID (12 bits). */
    tern_be16 vlan_next_type;
} __attribute__((packed));
#define VLAN_VID_MASK  0x0fff
#define VLAN_PCP_MASK  0xe000
#define VLAN_PCP_SHIFT 13
#define VLAN_CFI       0x1000 /* In struct flow: "a tag is present". */

/* MPLS label stack entry. */
#define MPLS_HLEN        4
#define MPLS_LABEL_MASK  0xfffff000
#define MPLS_LABEL_SHIFT 12
#define MPLS_TC_MASK     0x00000e00
#define MPLS_TC_SHIFT    9
#define MPLS_BOS_MASK    0x00000100
#define MPLS_BOS_SHIFT   8
#define MPLS_TTL_MASK    0x000000ff
#define MPLS_TTL_SHIFT   0

/* PBB (IEEE 802.1ah) I-TAG, the 4 bytes after Ethertype 0x88e7 (host order
 * masks of the 32-bit word): PCP(3) DEI(1) UCA(1) reserved(3) I-SID(24).
 * The customer destination, source and Ethertype follow it. */
#define PBB_ITAG_LEN  4
#define PBB_PCP_MASK  0xe0000000
#define PBB_DEI_MASK  0x10000000
#define PBB_UCA_MASK  0x08000000
#define PBB_ISID_MASK 0x00ffffff

#define ARP_HTYPE_ETH      1
#define ARP_OP_REQUEST     1
#define ARP_OP_REPLY       2
#define ARP_ETH_HEADER_LEN 28
struct arp_eth_header {
    tern_be16 ar_hrd;
    tern_be16 ar_pro;
    uint8_t ar_hln;
    uint8_t ar_pln;
    tern_be16 ar_op;
    struct eth_addr ar_sha;
    tern_be32 ar_spa;
    struct eth_addr ar_tha;
    tern_be32 ar_tpa;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct arp_eth_header) == ARP_ETH_HEADER_LEN);

#define IP_HEADER_LEN       20
#define IP_VERSION(ihl_ver) ((ihl_ver) >> 4)
#define IP_IHL(ihl_ver)     ((ihl_ver)&15)
#define IP_MORE_FRAGMENTS   0x2000
#define IP_FRAG_OFF_MASK    0x1fff
#define IP_DSCP_MASK        0xfc
#define IP_ECN_MASK         0x03
struct ip_header {
    uint8_t ip_ihl_ver;
    uint8_t ip_tos;
    tern_be16 ip_tot_len;
    tern_be16 ip_id;
    tern_be16 ip_frag_off;
    uint8_t ip_ttl;
    uint8_t ip_proto;
    tern_be16 ip_csum;
    tern_be32 ip_src;
    tern_be32 ip_dst;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct ip_header) == IP_HEADER_LEN);

#define IPV6_HEADER_LEN 40
/* Field names avoid glibc's ip6_* macros from <netinet/ip6.h>. */
struct ipv6_header {
    tern_be32 ipv6_flow; /* Version (4), traffic class (8), label (20). */
    tern_be16 ipv6_plen;
    uint8_t ipv6_nxt;
    uint8_t ipv6_hlim;
    struct in6_addr ipv6_src;
    struct in6_addr ipv6_dst;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct ipv6_header) == IPV6_HEADER_LEN);
#define IPV6_LABEL_MASK 0x000fffff

/* IPv6 extension headers that flow extraction walks through. */
#define IPV6_EXT_HOPOPTS  0
#define IPV6_EXT_ROUTING  43
#define IPV6_EXT_FRAGMENT 44
#define IPV6_EXT_AH       51
#define IPV6_EXT_DSTOPTS  60
#define IPV6_EXT_NONE     59
struct ipv6_frag_header {
    uint8_t nxt;
    uint8_t reserved;
    tern_be16 off_flags; /* Offset (13 bits), reserved (2), M flag (1). */
    tern_be32 id;
} __attribute__((packed));
#define IPV6_FRAG_OFF_MASK 0xfff8
#define IPV6_FRAG_MORE     0x0001

#define IPPROTO_ICMP_  1
#define TCP_HEADER_LEN 20
struct tcp_header {
    tern_be16 tcp_src;
    tern_be16 tcp_dst;
    tern_be32 tcp_seq;
    tern_be32 tcp_ack;
    tern_be16 tcp_ctl; /* Data offset (4 bits), reserved (3), flags (9). */
    tern_be16 tcp_winsz;
    tern_be16 tcp_csum;
    tern_be16 tcp_urg;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct tcp_header) == TCP_HEADER_LEN);
#define TCP_FLAGS_MASK 0x0fff
#define TCP_FIN        0x001
#define TCP_SYN        0x002
#define TCP_RST        0x004
#define TCP_PSH        0x008
#define TCP_ACK        0x010
#define TCP_URG        0x020
#define TCP_ECE        0x040
#define TCP_CWR        0x080
#define TCP_NS         0x100

#define UDP_HEADER_LEN 8
struct udp_header {
    tern_be16 udp_src;
    tern_be16 udp_dst;
    tern_be16 udp_len;
    tern_be16 udp_csum;
} __attribute__((packed));

#define SCTP_HEADER_LEN 12
struct sctp_header {
    tern_be16 sctp_src;
    tern_be16 sctp_dst;
    tern_be32 sctp_vtag;
    tern_be32 sctp_csum; /* CRC32c over the whole SCTP packet. */
} __attribute__((packed));

#define ICMP_HEADER_LEN 4
struct icmp_header {
    uint8_t icmp_type;
    uint8_t icmp_code;
    tern_be16 icmp_csum;
} __attribute__((packed));

/* ICMPv6 neighbour discovery. */
#define ND_NEIGHBOR_SOLICIT    135
#define ND_NEIGHBOR_ADVERT     136
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_MSG_LEN             24 /* ICMPv6 header (4) + reserved (4) + target (16). */
struct nd_opt_header {
    uint8_t type;
    uint8_t len; /* In units of 8 bytes; 0 is invalid. */
} __attribute__((packed));

/* Internet checksum helpers (RFC 1071 / RFC 1624).  'partial' values are
 * 32-bit host-order accumulators; csum_finish() folds one into the 16-bit
 * one's complement result in network byte order. */
uint32_t csum_continue(uint32_t partial, const void *data, size_t n);
tern_be16 csum_finish(uint32_t partial);
tern_be16 csum(const void *data, size_t n);
/* Returns the checksum 'old_csum' updated for a 16-bit or 32-bit field that
 * changed from 'old' to 'new' (all network byte order). */
tern_be16 recalc_csum16(tern_be16 old_csum, tern_be16 old, tern_be16 new_);
tern_be16 recalc_csum32(tern_be16 old_csum, tern_be32 old, tern_be32 new_);
tern_be16 recalc_csum128(tern_be16 old_csum, const void *old,
                         const void *new_);
/* CRC32c (Castagnoli) as SCTP uses it, returned ready to store. */
tern_be32 crc32c(const uint8_t *data, size_t n);

/* Formatting helpers for logs and flow syntax. */
#define ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define ETH_ADDR_ARGS(a)                                                      \
    (a).ea[0], (a).ea[1], (a).ea[2], (a).ea[3], (a).ea[4], (a).ea[5]
/* Parses "xx:xx:xx:xx:xx:xx".  Returns true on success. */
bool eth_addr_from_string(const char *s, struct eth_addr *ea);
static inline bool
eth_addr_is_zero(struct eth_addr a)
{
    return !(a.ea[0] | a.ea[1] | a.ea[2] | a.ea[3] | a.ea[4] | a.ea[5]);
}

#endif /* TERN_PACKETS_H */
