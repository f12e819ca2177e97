/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow: extraction of the flow key from packet bytes, flow key hashing and
 * the wildcard (mask) helpers declared in flow.h.  The datapath calls
 * flow_extract() once per received packet (and again after actions that
 * change headers); the exact-match cache and the megaflow classifier
 * consume its keys.  This file does not depend on DPDK.
 *
 * Extraction is a straight-line parse over [data, data + len): the key is
 * zeroed, then each layer checks that its header fits before reading it and
 * either stops (leaving deeper fields zero) or narrows the window to what
 * the layer's length field vouches for, so trailing Ethernet padding never
 * influences the key.  No allocation, no logging, no per-packet state.
 *
 * key->map.  Extraction sets the map to the words of struct flow that are
 * non-zero, exactly as flow_key_finish() computes it, so that a key
 * extracted from a packet and a key built from text (odp-util) compare
 * equal and hash identically when they describe the same flow.  A field
 * that was parsed but is zero on the wire (e.g. IPv4 source 0.0.0.0) is
 * therefore not in the map; it is still distinguished by the fields that
 * must be present with it (dl_type and friends).
 *
 * Offsets (struct flow_offsets): l3/l3_end are set only when the L3
 * header was accepted (its fields are in the key); l4 is set for first
 * fragments when the TCP/UDP/SCTP/ICMP header was accepted, and for any
 * other upper-layer protocol (e.g. GRE, IPv4 protocol 0) at the start of
 * its payload; l4_len is then l3_end - l4, else 0.  Offsets past 65534
 * (frames over 64 KiB) are clipped to 65534.
 *
 * Malformed packets, layer by layer (the key keeps what was parsed before):
 *   - fewer than 14 bytes: nothing but the metadata;
 *   - a VLAN tag cut short, or a third tag: dl_type = that tag's TPID;
 *   - 802.3 without LLC/SNAP (AA-AA-03, OUI 0): dl_type FLOW_DL_TYPE_NONE;
 *   - MPLS: up to FLOW_MAX_MPLS_LABELS entries, stopping at bottom of
 *     stack; nothing after MPLS is parsed;
 *   - PBB (Ethertype 0x88e7): the 4-byte I-TAG gives pbb_isid and pbb_uca
 *     (l2_5 = its offset); a short I-TAG leaves both zero; the customer
 *     frame behind it is not parsed;
 *   - ARP/RARP that is not Ethernet/IPv4 or is short: no L3 fields;
 *   - IPv4 with version != 4, IHL < 5, total length below the header or
 *     beyond the frame: no L3 fields;
 *   - IPv6 with version != 6 or payload length beyond the frame: no L3;
 *     an extension header chain that runs past the payload, or is longer
 *     than FLOW_MAX_IPV6_EXT headers: L3 fields present, nw_proto = the
 *     next-header value that could not be walked, no L4;
 *   - TCP with data offset < 5 or beyond the L3 payload, short UDP, SCTP,
 *     ICMP headers: no L4 fields;
 *   - ND with code != 0, a short message or malformed options (length 0,
 *     running past the end, duplicate SLL/TLL): nd_target, arp_sha and
 *     arp_tha zero; ICMPv6 type/code kept.
 */
#include <config.h>

#include "lib/flow.h"

#include <arpa/inet.h>
#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

#include "lib/hash.h"

/* Bound on the IPv6 extension headers walked before giving up. */
#define FLOW_MAX_IPV6_EXT 16

/* Bits of the words FIELD of struct flow spans. */
#define FLOW_BITS__(FIELD)                                                    \
    ((UINT64_C(2) << ((offsetof(struct flow, FIELD) +                         \
                       sizeof(((struct flow *)0)->FIELD) - 1) /               \
                      8)) -                                                   \
     (UINT64_C(1) << FLOW_WORD(FIELD)))

/* Words each layer may write: flow_extract() looks only at these for the
 * map, the rest of the zeroed key stays zero. */
#define FLOW_L2_WORDS__                                                       \
    (FLOW_BITS__(recirc_id) | FLOW_BITS__(in_port) | FLOW_BITS__(dp_hash) |   \
     FLOW_BITS__(pkt_mark) | FLOW_BITS__(dl_dst) | FLOW_BITS__(dl_src) |      \
     FLOW_BITS__(dl_type) | FLOW_BITS__(vlans))
#define FLOW_L4_WORDS__                                                       \
    (FLOW_BITS__(tp_src) | FLOW_BITS__(tp_dst) | FLOW_BITS__(tcp_flags))
#define FLOW_IPV4_WORDS__                                                     \
    (FLOW_BITS__(nw_src) | FLOW_BITS__(nw_dst) | FLOW_BITS__(nw_frag) |       \
     FLOW_BITS__(nw_tos) | FLOW_BITS__(nw_ttl) | FLOW_BITS__(nw_proto) |      \
     FLOW_L4_WORDS__)
#define FLOW_IPV6_WORDS__                                                     \
    (FLOW_BITS__(ipv6_src) | FLOW_BITS__(ipv6_dst) |                          \
     FLOW_BITS__(ipv6_label) | FLOW_BITS__(nw_frag) | FLOW_BITS__(nw_tos) |   \
     FLOW_BITS__(nw_ttl) | FLOW_BITS__(nw_proto) | FLOW_BITS__(nd_target) |   \
     FLOW_BITS__(arp_sha) | FLOW_BITS__(arp_tha) | FLOW_L4_WORDS__)
#define FLOW_ARP_WORDS__                                                      \
    (FLOW_BITS__(nw_src) | FLOW_BITS__(nw_dst) | FLOW_BITS__(nw_proto) |      \
     FLOW_BITS__(arp_sha) | FLOW_BITS__(arp_tha))

/* Parsing window: bytes [ofs, end) of 'data' remain to be parsed. */
struct flow_parse__ {
    const uint8_t *data;
    size_t ofs;
    size_t end;
    struct flow *f;
    struct flow_offsets *o;
};

static inline bool
flow_avail__(const struct flow_parse__ *p, size_t n)
{
    return p->end - p->ofs >= n;
}

static inline const void *
flow_at__(const struct flow_parse__ *p)
{
    return p->data + p->ofs;
}

static inline tern_be16
flow_get16__(const uint8_t *p)
{
    tern_be16 v;
    memcpy(&v, p, 2);
    return v;
}

static inline tern_be32
flow_get32__(const uint8_t *p)
{
    tern_be32 v;
    memcpy(&v, p, 4);
    return v;
}

/* Offsets are 16-bit; only frames over 64 KiB could exceed that. */
static inline uint16_t
flow_ofs16__(size_t v)
{
    return v < FLOW_OFS_NONE ? (uint16_t)v : FLOW_OFS_NONE - 1;
}

static inline bool
flow_is_vlan_tpid__(uint16_t type)
{
    return type == ETH_TYPE_VLAN_8021Q || type == ETH_TYPE_VLAN_8021AD;
}

/* Parses Ethernet, VLAN tags and LLC/SNAP.  Sets dl_type.  Returns false if
 * nothing after L2 can be parsed. */
static bool
flow_parse_l2__(struct flow_parse__ *p)
{
    static const uint8_t snap[6] = {0xaa, 0xaa, 0x03, 0, 0, 0};
    struct flow *f = p->f;
    const uint8_t *h = flow_at__(p);

    memcpy(&f->dl_dst, h, ETH_ADDR_LEN);
    memcpy(&f->dl_src, h + ETH_ADDR_LEN, ETH_ADDR_LEN);
    uint16_t type = ntohs(flow_get16__(h + 12));
    p->ofs += ETH_HEADER_LEN;

    for (int i = 0; flow_is_vlan_tpid__(type); i++) {
        if (i >= FLOW_MAX_VLAN_HEADERS || !flow_avail__(p, VLAN_HEADER_LEN)) {
            f->dl_type = htons(type);
            return false;
        }
        h = flow_at__(p);
        f->vlans[i].tpid = htons(type);
        f->vlans[i].tci = flow_get16__(h) | htons(VLAN_CFI);
        type = ntohs(flow_get16__(h + 2));
        p->ofs += VLAN_HEADER_LEN;
    }

    if (type >= ETH_TYPE_MIN) {
        f->dl_type = htons(type);
        return true;
    }
    /* 802.3 length field: only LLC/SNAP with OUI 0 carries an Ethertype. */
    h = flow_at__(p);
    if (flow_avail__(p, 8) && !memcmp(h, snap, sizeof snap)) {
        type = ntohs(flow_get16__(h + 6));
        if (type >= ETH_TYPE_MIN) {
            f->dl_type = htons(type);
            p->ofs += 8;
            return true;
        }
    }
    f->dl_type = htons(FLOW_DL_TYPE_NONE);
    return false;
}

/* Records the MPLS label stack.  Nothing after it is parsed. */
static void
flow_parse_mpls__(struct flow_parse__ *p)
{
    p->o->l2_5 = flow_ofs16__(p->ofs);
    for (int i = 0; i < FLOW_MAX_MPLS_LABELS && flow_avail__(p, MPLS_HLEN);
         i++) {
        tern_be32 lse = flow_get32__(flow_at__(p));
        p->f->mpls_lse[i] = lse;
        p->ofs += MPLS_HLEN;
        if (lse & htonl(MPLS_BOS_MASK)) {
            break;
        }
    }
}

/* Records the I-SID and UCA bit of a PBB I-TAG (PCP:3 DEI:1 UCA:1
 * reserved:3 I-SID:24).  The customer frame after it is not parsed. */
static void
flow_parse_pbb__(struct flow_parse__ *p)
{
    tern_be32 itag;

    if (!flow_avail__(p, PBB_ITAG_LEN)) {
        return;
    }
    p->o->l2_5 = flow_ofs16__(p->ofs);
    itag = flow_get32__(flow_at__(p));
    p->f->pbb_isid = itag & htonl(PBB_ISID_MASK);
    p->f->pbb_uca = (ntohl(itag) & PBB_UCA_MASK) != 0;
    p->ofs += PBB_ITAG_LEN;
}

static void
flow_parse_arp__(struct flow_parse__ *p)
{
    struct flow *f = p->f;

    if (!flow_avail__(p, ARP_ETH_HEADER_LEN)) {
        return;
    }
    const struct arp_eth_header *arp = flow_at__(p);
    if (arp->ar_hrd != htons(ARP_HTYPE_ETH) ||
        arp->ar_pro != htons(ETH_TYPE_IP) || arp->ar_hln != ETH_ADDR_LEN ||
        arp->ar_pln != 4) {
        return;
    }
    f->nw_proto = ntohs(arp->ar_op) & 0xff;
    f->nw_src = arp->ar_spa;
    f->nw_dst = arp->ar_tpa;
    f->arp_sha = arp->ar_sha;
    f->arp_tha = arp->ar_tha;
    p->o->l3 = flow_ofs16__(p->ofs);
    p->o->l3_end = flow_ofs16__(p->ofs + ARP_ETH_HEADER_LEN);
}

/* Parses IPv4.  Returns true if an L4 header follows (first fragment). */
static bool
flow_parse_ipv4__(struct flow_parse__ *p)
{
    struct flow *f = p->f;

    if (!flow_avail__(p, IP_HEADER_LEN)) {
        return false;
    }
    const struct ip_header *ip = flow_at__(p);
    size_t hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    size_t tot_len = ntohs(ip->ip_tot_len);
    if (IP_VERSION(ip->ip_ihl_ver) != 4 || hlen < IP_HEADER_LEN ||
        tot_len < hlen || !flow_avail__(p, tot_len)) {
        return false;
    }

    f->nw_src = ip->ip_src;
    f->nw_dst = ip->ip_dst;
    f->nw_tos = ip->ip_tos;
    f->nw_ttl = ip->ip_ttl;
    f->nw_proto = ip->ip_proto;

    uint16_t frag = ntohs(ip->ip_frag_off);
    if (frag & (IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
        f->nw_frag = FLOW_NW_FRAG_ANY;
        if (frag & IP_FRAG_OFF_MASK) {
            f->nw_frag |= FLOW_NW_FRAG_LATER;
        }
    }

    p->o->l3 = flow_ofs16__(p->ofs);
    p->end = p->ofs + tot_len; /* Drop trailing padding. */
    p->o->l3_end = flow_ofs16__(p->end);
    p->ofs += hlen;
    return !(f->nw_frag & FLOW_NW_FRAG_LATER);
}

/* Walks the IPv6 extension header chain starting with next header 'nxt'.
 * Sets nw_proto and nw_frag.  Returns true if the upper-layer header of a
 * first fragment starts at p->ofs. */
static bool
flow_parse_ipv6_ext__(struct flow_parse__ *p, uint8_t nxt)
{
    struct flow *f = p->f;

    for (int i = 0; i <= FLOW_MAX_IPV6_EXT; i++) {
        f->nw_proto = nxt;
        if (nxt != IPV6_EXT_HOPOPTS && nxt != IPV6_EXT_ROUTING &&
            nxt != IPV6_EXT_DSTOPTS && nxt != IPV6_EXT_AH &&
            nxt != IPV6_EXT_FRAGMENT) {
            return true;
        }
        if (i == FLOW_MAX_IPV6_EXT || !flow_avail__(p, 8)) {
            return false;
        }
        const uint8_t *h = flow_at__(p);
        size_t hlen;
        if (nxt == IPV6_EXT_FRAGMENT) {
            const struct ipv6_frag_header *fh = flow_at__(p);
            f->nw_frag = FLOW_NW_FRAG_ANY;
            if (fh->off_flags & htons(IPV6_FRAG_OFF_MASK)) {
                f->nw_frag |= FLOW_NW_FRAG_LATER;
                f->nw_proto = fh->nxt;
                return false;
            }
            hlen = 8;
        } else if (nxt == IPV6_EXT_AH) {
            hlen = ((size_t)h[1] + 2) * 4;
        } else {
            hlen = ((size_t)h[1] + 1) * 8;
        }
        if (!flow_avail__(p, hlen)) {
            return false;
        }
        nxt = h[0];
        p->ofs += hlen;
    }
    return false;
}

/* Parses IPv6.  Returns true if an L4 header follows. */
static bool
flow_parse_ipv6__(struct flow_parse__ *p)
{
    struct flow *f = p->f;

    if (!flow_avail__(p, IPV6_HEADER_LEN)) {
        return false;
    }
    const struct ipv6_header *ip6 = flow_at__(p);
    uint32_t vtcfl = ntohl(ip6->ipv6_flow);
    size_t plen = ntohs(ip6->ipv6_plen);
    if ((vtcfl >> 28) != 6 || !flow_avail__(p, IPV6_HEADER_LEN + plen)) {
        return false;
    }

    memcpy(&f->ipv6_src, &ip6->ipv6_src, sizeof f->ipv6_src);
    memcpy(&f->ipv6_dst, &ip6->ipv6_dst, sizeof f->ipv6_dst);
    f->ipv6_label = htonl(vtcfl & IPV6_LABEL_MASK);
    f->nw_tos = (vtcfl >> 20) & 0xff;
    f->nw_ttl = ip6->ipv6_hlim;

    p->o->l3 = flow_ofs16__(p->ofs);
    p->end = p->ofs + IPV6_HEADER_LEN + plen; /* Drop trailing padding. */
    p->o->l3_end = flow_ofs16__(p->end);
    p->ofs += IPV6_HEADER_LEN;
    return flow_parse_ipv6_ext__(p, ip6->ipv6_nxt);
}

/* Parses the ND message body (target and options) of an NS or NA whose
 * ICMPv6 header is at p->ofs.  All-or-nothing: malformed options leave the
 * ND fields zero. */
static void
flow_parse_nd__(struct flow_parse__ *p)
{
    struct eth_addr sll = {{0}}, tll = {{0}};
    bool have_sll = false, have_tll = false;
    const uint8_t *h = flow_at__(p);

    if (!flow_avail__(p, ND_MSG_LEN) || h[1] != 0) {
        return;
    }
    for (size_t at = ND_MSG_LEN; at < p->end - p->ofs;) {
        size_t left = p->end - p->ofs - at;
        if (left < 2 || h[at + 1] == 0 || (size_t)h[at + 1] * 8 > left) {
            return;
        }
        size_t olen = (size_t)h[at + 1] * 8;
        if (h[at] == ND_OPT_SOURCE_LINKADDR && olen == 8) {
            if (have_sll) {
                return;
            }
            memcpy(&sll, h + at + 2, ETH_ADDR_LEN);
            have_sll = true;
        } else if (h[at] == ND_OPT_TARGET_LINKADDR && olen == 8) {
            if (have_tll) {
                return;
            }
            memcpy(&tll, h + at + 2, ETH_ADDR_LEN);
            have_tll = true;
        }
        at += olen;
    }
    memcpy(&p->f->nd_target, h + 8, sizeof p->f->nd_target);
    p->f->arp_sha = sll;
    p->f->arp_tha = tll;
}

/* Parses the L4 header of protocol f->nw_proto at p->ofs. */
static void
flow_parse_l4__(struct flow_parse__ *p, bool ipv6)
{
    struct flow *f = p->f;
    const uint8_t *h = flow_at__(p);
    size_t need;

    uint8_t proto = f->nw_proto;
    if (proto == (ipv6 ? IPPROTO_ICMP_ : IPPROTO_ICMPV6)) {
        proto = 255; /* ICMP of the other IP version: opaque payload. */
    }
    switch (proto) {
    case IPPROTO_TCP: {
        if (!flow_avail__(p, TCP_HEADER_LEN)) {
            return;
        }
        uint16_t ctl = ntohs(flow_get16__(h + 12));
        need = (size_t)(ctl >> 12) * 4;
        if (need < TCP_HEADER_LEN || !flow_avail__(p, need)) {
            return;
        }
        f->tcp_flags = htons(ctl & TCP_FLAGS_MASK);
        break;
    }
    case IPPROTO_UDP:
        need = UDP_HEADER_LEN;
        break;
    case IPPROTO_SCTP:
        need = SCTP_HEADER_LEN;
        break;
    case IPPROTO_ICMP_:
    case IPPROTO_ICMPV6:
        if (!flow_avail__(p, ICMP_HEADER_LEN)) {
            return;
        }
        f->tp_src = htons(h[0]);
        f->tp_dst = htons(h[1]);
        if (ipv6 &&
            (h[0] == ND_NEIGHBOR_SOLICIT || h[0] == ND_NEIGHBOR_ADVERT)) {
            flow_parse_nd__(p);
        }
        p->o->l4 = flow_ofs16__(p->ofs);
        return;
    default:
        p->o->l4 = flow_ofs16__(p->ofs);
        return;
    }
    if (!flow_avail__(p, need)) {
        return;
    }
    /* TCP, UDP and SCTP all start with source and destination ports. */
    f->tp_src = flow_get16__(h);
    f->tp_dst = flow_get16__(h + 2);
    p->o->l4 = flow_ofs16__(p->ofs);
}

#ifdef __SSE4_2__
/* The end of flow_key_hash(): 'h' is the CRC32-C of the mapped words. */
static inline uint32_t
flow_key_hash_finish__(uint64_t h, uint64_t map)
{
    h = _mm_crc32_u64(h, map);
    /* CRC32-C is linear: finish with a multiply-xorshift avalanche so that
     * every bit of the result depends on every input bit. */
    h ^= h >> 15;
    h *= HASH_MUL1;
    h ^= h >> 32;
    return (uint32_t)h;
}
#endif

/* flow_key_hash(), inline.  With SSE4.2: the CRC32-C of the mapped words
 * in index order, then of the map, and an avalanche. */
static inline uint32_t
flow_key_hash__(const struct flow *flow, uint64_t map)
{
#ifdef __SSE4_2__
    uint64_t h = 0;

    for (uint64_t m = map; m; m &= m - 1) {
        uint64_t w;

        memcpy(&w, (const char *)flow + __builtin_ctzll(m) * 8, 8);
        h = _mm_crc32_u64(h, w);
    }
    return flow_key_hash_finish__(h, map);
#else
    return flow_hash_words(flow, map, 0);
#endif
}

uint32_t
flow_key_hash(const struct flow *flow, uint64_t map)
{
    return flow_key_hash__(flow, map);
}

void
flow_extract(const void *data, size_t len, const struct flow_md *md,
             struct flow_key *key, struct flow_offsets *ofs)
{
    struct flow_offsets o_local;
    struct flow *f = &key->flow;
    struct flow_parse__ p = {
        .data = data,
        .ofs = 0,
        .end = len,
        .f = f,
        .o = ofs ? ofs : &o_local,
    };

    /* Words the parse below may have written. */
    uint64_t words = FLOW_L2_WORDS__;
    uint64_t map = 0;

    memset(f, 0, sizeof *f);
    p.o->l2_5 = p.o->l3 = p.o->l4 = p.o->l3_end = FLOW_OFS_NONE;
    p.o->l4_len = 0;
    if (md) {
        f->recirc_id = md->recirc_id;
        f->in_port = md->in_port;
        f->dp_hash = md->dp_hash;
        f->pkt_mark = md->pkt_mark;
    }

    if (len >= ETH_HEADER_LEN && flow_parse_l2__(&p)) {
        uint16_t type = ntohs(f->dl_type);
        bool l4 = false, ipv6 = false;

        if (type == ETH_TYPE_IP) {
            l4 = flow_parse_ipv4__(&p);
            words |= FLOW_IPV4_WORDS__;
        } else if (type == ETH_TYPE_IPV6) {
            l4 = flow_parse_ipv6__(&p);
            ipv6 = true;
            words |= FLOW_IPV6_WORDS__;
        } else if (type == ETH_TYPE_ARP || type == ETH_TYPE_RARP) {
            flow_parse_arp__(&p);
            words |= FLOW_ARP_WORDS__;
        } else if (type == ETH_TYPE_MPLS || type == ETH_TYPE_MPLS_MCAST) {
            flow_parse_mpls__(&p);
            words |= FLOW_BITS__(mpls_lse);
        } else if (type == ETH_TYPE_PBB) {
            flow_parse_pbb__(&p);
            words |= FLOW_BITS__(pbb_isid) | FLOW_BITS__(pbb_uca);
        }
        if (l4) {
            flow_parse_l4__(&p, ipv6);
            if (p.o->l4 != FLOW_OFS_NONE) {
                p.o->l4_len = flow_ofs16__(p.end - p.ofs);
            }
        }
    }
#ifdef __SSE4_2__
    /* The map and the hash in one pass over the words that may be set. */
    uint64_t h = 0;

    for (uint64_t m = words; m; m &= m - 1) {
        uint64_t w;

        memcpy(&w, (const char *)f + __builtin_ctzll(m) * 8, 8);
        if (w) {
            map |= m & -m;
            h = _mm_crc32_u64(h, w);
        }
    }
    key->hash = flow_key_hash_finish__(h, map);
#else
    for (uint64_t m = words; m; m &= m - 1) {
        size_t i = __builtin_ctzll(m);
        uint64_t w;

        memcpy(&w, (const char *)f + i * 8, 8);
        map |= (uint64_t)(w != 0) << i;
    }
    key->hash = flow_key_hash__(f, map);
#endif
    key->map = map;
    key->pad = 0;
}

const uint64_t FLOW_SIMPLE_WORDS = FLOW_L2_WORDS__ | FLOW_IPV4_WORDS__;

/* flow_extract_simple() writes whole words: these fields must share them
 * as below. */
BUILD_ASSERT(offsetof(struct flow, dl_src) ==
             offsetof(struct flow, dl_dst) + ETH_ADDR_LEN);
BUILD_ASSERT(offsetof(struct flow, arp_tha) + 2 == FLOW_WORD(tcp_flags) * 8);
BUILD_ASSERT(FLOW_WORD(ipv6_label) == FLOW_WORD(nw_proto));

bool
flow_extract_simple(const void *data_, size_t len, const struct flow_md *md,
                    struct flow *f)
{
    const uint8_t *data = data_;
    const struct ip_header *ip = (const void *)(data + ETH_HEADER_LEN);
    const uint8_t *l4;
    size_t hlen, tot_len;
    tern_be16 tcp_flags = 0;

    if (len < ETH_HEADER_LEN + IP_HEADER_LEN ||
        flow_get16__(data + 12) != htons(ETH_TYPE_IP) ||
        ip->ip_ihl_ver < 0x45 || ip->ip_ihl_ver > 0x4f) {
        return false;
    }
    hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(ip->ip_tot_len);
    if (tot_len < hlen || len - ETH_HEADER_LEN < tot_len ||
        ip->ip_frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
        return false;
    }
    l4 = (const uint8_t *)ip + hlen;
    if (ip->ip_proto == IPPROTO_TCP) {
        size_t need;

        if (tot_len - hlen < TCP_HEADER_LEN) {
            return false;
        }
        need = (size_t)(l4[12] >> 4) * 4;
        if (need < TCP_HEADER_LEN || tot_len - hlen < need) {
            return false;
        }
        tcp_flags = htons(ntohs(flow_get16__(l4 + 12)) & TCP_FLAGS_MASK);
    } else if (ip->ip_proto != IPPROTO_UDP ||
               tot_len - hlen < UDP_HEADER_LEN) {
        return false;
    }

    /* Word by word, in the order of struct flow: the same values
     * flow_extract() writes for this frame, zero where it writes none. */
    f->recirc_id = md->recirc_id;
    f->in_port = md->in_port;
    f->dp_hash = md->dp_hash;
    f->pkt_mark = md->pkt_mark;
    memcpy(&f->dl_dst, data, 2 * ETH_ADDR_LEN);
    f->dl_type = htons(ETH_TYPE_IP);
    memset(f->pad1, 0, sizeof f->pad1);
    memset(f->vlans, 0, sizeof f->vlans);
    memset(f->mpls_lse, 0, sizeof f->mpls_lse);
    f->nw_src = ip->ip_src;
    f->nw_dst = ip->ip_dst;
    f->ipv6_label = 0;
    f->nw_frag = 0;
    f->nw_tos = ip->ip_tos;
    f->nw_ttl = ip->ip_ttl;
    f->nw_proto = ip->ip_proto;
    memset(&f->arp_tha.ea[2], 0, ETH_ADDR_LEN - 2);
    f->tcp_flags = tcp_flags;
    memset(f->pad2, 0, sizeof f->pad2);
    f->tp_src = flow_get16__(l4);
    f->tp_dst = flow_get16__(l4 + 2);
    memset(f->pad3, 0, sizeof f->pad3);
    return true;
}

bool
flow_tcp_flags__(const void *data_, size_t len, tern_be16 *flags)
{
    const uint8_t *data = data_;
    size_t ofs = ETH_HEADER_LEN;
    uint16_t type;

    /* Every early "return true" below is a place where flow_extract()
     * stops before it reaches a TCP header, leaving tcp_flags zero. */
    *flags = 0;
    if (len < ETH_HEADER_LEN) {
        return true;
    }
    type = ntohs(flow_get16__(data + 12));
    for (int i = 0; flow_is_vlan_tpid__(type); i++) {
        if (i >= FLOW_MAX_VLAN_HEADERS || len - ofs < VLAN_HEADER_LEN) {
            return true;
        }
        type = ntohs(flow_get16__(data + ofs + 2));
        ofs += VLAN_HEADER_LEN;
    }
    if (type != ETH_TYPE_IP) {
        /* 802.3 frames may carry IP behind LLC/SNAP, and IPv6 needs its
         * extension headers walked: leave those to flow_extract(). */
        return type >= ETH_TYPE_MIN && type != ETH_TYPE_IPV6;
    }
    if (len - ofs < IP_HEADER_LEN) {
        return true;
    }
    const struct ip_header *ip = (const void *)(data + ofs);
    size_t hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    size_t tot_len = ntohs(ip->ip_tot_len);
    if (IP_VERSION(ip->ip_ihl_ver) != 4 || hlen < IP_HEADER_LEN ||
        tot_len < hlen || len - ofs < tot_len || ip->ip_proto != IPPROTO_TCP ||
        ntohs(ip->ip_frag_off) & IP_FRAG_OFF_MASK) {
        return true;
    }
    size_t end = ofs + tot_len;
    ofs += hlen;
    if (end - ofs < TCP_HEADER_LEN) {
        return true;
    }
    uint16_t ctl = ntohs(flow_get16__(data + ofs + 12));
    size_t need = (size_t)(ctl >> 12) * 4;
    if (need >= TCP_HEADER_LEN && end - ofs >= need) {
        *flags = htons(ctl & TCP_FLAGS_MASK);
    }
    return true;
}

/* Loads word 'i' of 'f' without assuming 8-byte alignment of 'f'. */
static inline uint64_t
flow_word__(const struct flow *f, size_t i)
{
    uint64_t w;
    memcpy(&w, (const char *)f + i * 8, 8);
    return w;
}

static inline void
flow_set_word__(struct flow *f, size_t i, uint64_t w)
{
    memcpy((char *)f + i * 8, &w, 8);
}

/* The definition below is a contract: the classifier computes the same
 * value inline from hash.h (hash_add64() of the map, then of each mapped
 * word in index order, then hash_finish() with 8 bytes per word). */
uint32_t
flow_hash_words(const struct flow *flow, uint64_t map, uint32_t basis)
{
    uint64_t h = hash_add64(basis, map);

    for (uint64_t m = map; m; m &= m - 1) {
        h = hash_add64(h, flow_word__(flow, __builtin_ctzll(m)));
    }
    return hash_finish(h, (uint64_t)__builtin_popcountll(map) * 8);
}

void
flow_key_finish(struct flow_key *key)
{
    uint64_t map = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        map |= (uint64_t)(flow_word__(&key->flow, i) != 0) << i;
    }
    key->map = map;
    key->pad = 0;
    key->hash = flow_key_hash__(&key->flow, map);
}

bool
flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
    if (a->map != b->map) {
        return false;
    }
    for (uint64_t m = a->map; m; m &= m - 1) {
        size_t i = __builtin_ctzll(m);
        if (flow_word__(&a->flow, i) != flow_word__(&b->flow, i)) {
            return false;
        }
    }
    return true;
}

void
flow_wildcards_init_catchall(struct flow_wildcards *wc)
{
    memset(&wc->masks, 0, sizeof wc->masks);
}

void
flow_wildcards_init_exact(struct flow_wildcards *wc)
{
    memset(&wc->masks, 0xff, sizeof wc->masks);
}

bool
flow_wildcards_is_catchall(const struct flow_wildcards *wc)
{
    return flow_wildcards_map(wc) == 0;
}

void
flow_wildcards_or(struct flow_wildcards *dst, const struct flow_wildcards *src)
{
    for (size_t i = 0; i < FLOW_U64S; i++) {
        flow_set_word__(&dst->masks, i,
                        flow_word__(&dst->masks, i) |
                            flow_word__(&src->masks, i));
    }
}

uint64_t
flow_wildcards_map(const struct flow_wildcards *wc)
{
    uint64_t map = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        map |= (uint64_t)(flow_word__(&wc->masks, i) != 0) << i;
    }
    return map;
}

void
flow_apply_mask(struct flow *dst, const struct flow *src,
                const struct flow_wildcards *wc)
{
    for (size_t i = 0; i < FLOW_U64S; i++) {
        flow_set_word__(dst, i,
                        flow_word__(src, i) & flow_word__(&wc->masks, i));
    }
}

bool
flow_equal_except(const struct flow *a, const struct flow *b,
                  const struct flow_wildcards *wc)
{
    uint64_t diff = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        diff |= (flow_word__(a, i) ^ flow_word__(b, i)) &
                flow_word__(&wc->masks, i);
    }
    return diff == 0;
}

static bool
flow_nonzero__(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return true;
        }
    }
    return false;
}

#define FLOW_MASKED(M, FIELD) flow_nonzero__(&(M)->FIELD, sizeof(M)->FIELD)

/* Prerequisites, applied from the innermost layer outwards so that each
 * widening step also pulls in what the fields it added depend on:
 *   - ND (nd_target; arp_sha/arp_tha when the key is not ARP): exact ICMPv6
 *     type and code (tp_src, tp_dst), which in turn need...
 *   - L4 (tp_src, tp_dst, tcp_flags): exact nw_proto and dl_type, and the
 *     FLOW_NW_FRAG_LATER bit of nw_frag (later fragments have no L4);
 *   - L3 (nw_src/dst, ipv6_*, nw_proto/tos/ttl/frag; arp_sha/tha for ARP)
 *     MPLS and PBB (pbb_isid, pbb_uca): exact dl_type;
 *   - VLAN: a mask on any bit of tag i (tpid or tci) adds the VLAN_CFI
 *     ("present") bit of tags 0..i, so a tagged match never matches an
 *     untagged packet.  VLAN fields do not depend on dl_type. */
void
flow_wildcards_add_prereqs(struct flow_wildcards *wc, const struct flow *key)
{
    struct flow *m = &wc->masks;
    uint16_t type = ntohs(key->dl_type);
    bool arp = type == ETH_TYPE_ARP || type == ETH_TYPE_RARP;

    if (FLOW_MASKED(m, nd_target) ||
        (!arp && (FLOW_MASKED(m, arp_sha) || FLOW_MASKED(m, arp_tha)))) {
        m->tp_src = m->tp_dst = 0xffff;
    }
    if (m->tp_src || m->tp_dst || m->tcp_flags) {
        m->nw_proto = 0xff;
        m->nw_frag |= FLOW_NW_FRAG_LATER;
    }
    if (m->nw_src || m->nw_dst || FLOW_MASKED(m, ipv6_src) ||
        FLOW_MASKED(m, ipv6_dst) || m->ipv6_label || m->nw_frag || m->nw_tos ||
        m->nw_ttl || m->nw_proto || FLOW_MASKED(m, nd_target) ||
        FLOW_MASKED(m, arp_sha) || FLOW_MASKED(m, arp_tha) ||
        FLOW_MASKED(m, mpls_lse) || m->pbb_isid || m->pbb_uca) {
        m->dl_type = 0xffff;
    }
    for (int i = FLOW_MAX_VLAN_HEADERS - 1; i >= 0; i--) {
        if (m->vlans[i].tpid || m->vlans[i].tci) {
            for (int j = 0; j <= i; j++) {
                m->vlans[j].tci |= htons(VLAN_CFI);
            }
            break;
        }
    }
}
