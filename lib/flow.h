/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow: the flow key — every L2-L4 field OpenFlow 1.5 can match, extracted
 * once per packet — and the masks ("wildcards") that megaflows and OpenFlow
 * rules put over it.
 *
 * Layout.  'struct flow' is an array of FLOW_U64S 64-bit words.  A key is
 * sparse: flow_extract() zeroes the key and then writes only the fields the
 * packet carries; 'struct flow_key' records the non-zero words in 'map'
 * (bit i = word i) and a hash over exactly those words, so a key extracted
 * from a packet and the same key built from text compare and hash equal.  Two
 * packets with the same headers produce bit-identical keys, maps and hashes,
 * whatever follows the headers (payload, Ethernet padding).
 *
 * Field conventions (shared with Open vSwitch's userspace datapath, so the
 * ovs-dpctl flow syntax maps one-to-one):
 *   - dl_type is the innermost Ethertype, after any VLAN tags; for 802.3
 *     frames without SNAP it is FLOW_DL_TYPE_NONE (0x05ff).
 *   - vlans[i].tci has VLAN_CFI set when tag i is present; tpid is its TPID.
 *   - mpls_lse[] holds the label stack entries from the outermost; parsing
 *     stops after FLOW_MAX_MPLS_LABELS entries or the bottom-of-stack bit.
 *   - IPv4 uses nw_src/nw_dst; IPv6 uses ipv6_src/ipv6_dst/ipv6_label.
 *     nw_proto, nw_tos (DSCP+ECN / traffic class), nw_ttl (TTL / hop limit)
 *     and nw_frag (FLOW_NW_FRAG_*) are shared by both.
 *   - ARP/RARP: nw_src/nw_dst = SPA/TPA, nw_proto = opcode (low 8 bits),
 *     arp_sha/arp_tha = SHA/THA.
 *   - ICMPv4/ICMPv6: tp_src = type, tp_dst = code (in network byte order,
 *     i.e. htons(type)).  ND: nd_target, and SLL/TLL in arp_sha/arp_tha.
 *   - tcp_flags: the 12 TCP flag bits, network byte order.
 *   - Later fragments (offset != 0) carry no L4 fields.
 *
 * Thread safety: pure functions on caller-owned memory.
 */
#ifndef TERN_FLOW_H
#define TERN_FLOW_H 1

#include "lib/packets.h"

#define FLOW_MAX_VLAN_HEADERS 2
#define FLOW_MAX_MPLS_LABELS  4
#define FLOW_DL_TYPE_NONE     0x05ff

/* nw_frag bits. */
#define FLOW_NW_FRAG_ANY   (1 << 0) /* Set for any IP fragment. */
#define FLOW_NW_FRAG_LATER (1 << 1) /* Set for fragments with offset != 0. */
#define FLOW_NW_FRAG_MASK  (FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER)

struct flow_vlan {
    tern_be16 tpid; /* 0x8100 or 0x88a8; 0 when absent. */
    tern_be16 tci;  /* VLAN_CFI set when present. */
};

struct flow {
    /* Metadata (words 0-1). */
    uint32_t recirc_id; /* 0 on first pass through the datapath. */
    uint32_t in_port;   /* Datapath port number. */
    uint32_t dp_hash;
    uint32_t pkt_mark;

    /* L2 (words 2-6). */
    struct eth_addr dl_dst;
    struct eth_addr dl_src;
    tern_be16 dl_type;
    uint8_t pad1[2];
    struct flow_vlan vlans[FLOW_MAX_VLAN_HEADERS];
    tern_be32 mpls_lse[FLOW_MAX_MPLS_LABELS];

    /* L3 (words 7-16). */
    tern_be32 nw_src;
    tern_be32 nw_dst;
    struct in6_addr ipv6_src;
    struct in6_addr ipv6_dst;
    tern_be32 ipv6_label;
    uint8_t nw_frag;
    uint8_t nw_tos;
    uint8_t nw_ttl;
    uint8_t nw_proto;
    struct in6_addr nd_target;
    struct eth_addr arp_sha;
    struct eth_addr arp_tha;
    tern_be16 tcp_flags;
    uint8_t pad2[2];

    /* L4 (word 17). */
    tern_be16 tp_src;
    tern_be16 tp_dst;
    uint8_t pad3[4];

    /* OpenFlow pipeline metadata (word 18): the OXM METADATA field that
     * write_metadata sets between tables.  Never set by the datapath and
     * never part of a megaflow's mask.  A big-endian 64-bit value kept as
     * two 32-bit halves (most significant first) so that struct flow stays
     * 4-byte aligned inside datapath actions; use flow_get_metadata() /
     * flow_set_metadata(). */
    tern_be32 metadata[2];

    /* PBB (IEEE 802.1ah) service instance tag (word 19), set when dl_type
     * is ETH_TYPE_PBB (0x88e7): pbb_isid holds the 24-bit I-SID in its low
     * bits (network byte order), pbb_uca the I-TAG's UCA bit (0 or 1).  The
     * frame behind the I-TAG (customer addresses and type) is not parsed,
     * as with MPLS. */
    tern_be32 pbb_isid;
    uint8_t pbb_uca;
    uint8_t pad4[3];

    /* OpenFlow pipeline registers (words 20-23): Nicira's reg0..reg7, host
     * byte order.  Like 'metadata', set only between tables, zero when a
     * packet enters the pipeline, never part of a megaflow's mask. */
    uint32_t regs[8];

    /* Tunnel id (word 24), big-endian 64-bit value as two halves like
     * 'metadata'; use flow_get_tun_id() / flow_set_tun_id().  No port type
     * receives from a tunnel yet, so the datapath always leaves it 0; the
     * pipeline may match and set it. */
    tern_be32 tun_id[2];
};
#define FLOW_U64S (sizeof(struct flow) / sizeof(uint64_t))
BUILD_ASSERT(sizeof(struct flow) % sizeof(uint64_t) == 0);
BUILD_ASSERT(sizeof(struct flow) / sizeof(uint64_t) <= 64);

/* The metadata field as one big-endian 64-bit value. */
static inline tern_be64
flow_get_metadata(const struct flow *f)
{
    tern_be64 v;
    memcpy(&v, f->metadata, sizeof v);
    return v;
}
static inline void
flow_set_metadata(struct flow *f, tern_be64 v)
{
    memcpy(f->metadata, &v, sizeof v);
}

/* The tunnel id as one big-endian 64-bit value. */
static inline tern_be64
flow_get_tun_id(const struct flow *f)
{
    tern_be64 v;
    memcpy(&v, f->tun_id, sizeof v);
    return v;
}
static inline void
flow_set_tun_id(struct flow *f, tern_be64 v)
{
    memcpy(f->tun_id, &v, sizeof v);
}

/* Word index of a field of struct flow. */
#define FLOW_WORD(FIELD) (offsetof(struct flow, FIELD) / sizeof(uint64_t))

static inline const uint64_t *
flow_u64(const struct flow *f)
{
    return (const uint64_t *)(const void *)f;
}
static inline uint64_t *
flow_u64_rw(struct flow *f)
{
    return (uint64_t *)(void *)f;
}

/* A flow key as the datapath uses it: the key, the map of its non-zero
 * words, and the hash of those words (flow_key_hash()). */
struct flow_key {
    uint32_t hash;
    uint32_t pad;
    uint64_t map;
    struct flow flow;
};

/* Packet metadata that is not in the packet bytes but is part of the key. */
struct flow_md {
    uint32_t recirc_id;
    uint32_t in_port;
    uint32_t dp_hash;
    uint32_t pkt_mark;
};

/* Offsets of the headers flow_extract() found, for action execution.
 * An offset is UINT16_MAX when the header is absent.  'l4_len' is the number
 * of L4 bytes the L3 header vouches for (IP total length minus headers),
 * clipped to the frame. */
struct flow_offsets {
    uint16_t l2_5; /* First MPLS label stack entry. */
    uint16_t l3;   /* IPv4/IPv6/ARP header. */
    uint16_t l4;   /* TCP/UDP/SCTP/ICMP header (first fragment only). */
    uint16_t l4_len;
    uint16_t l3_end; /* End of the L3 packet as its header states. */
};
#define FLOW_OFS_NONE UINT16_MAX

/* Extracts the key of the 'len' bytes at 'data' received with metadata 'md'
 * (may be NULL: all zero) into 'key' (including map and hash), and the
 * header offsets into 'ofs' (may be NULL).  Never reads outside
 * [data, data + len).  A truncated or malformed header ends extraction at
 * that layer: the fields parsed so far are kept, the rest stay zero. */
void flow_extract(const void *data, size_t len, const struct flow_md *md,
                  struct flow_key *key, struct flow_offsets *ofs);

/* The words of 'struct flow' (bit i = word i) that flow_extract_simple()
 * writes: the metadata, L2, IPv4 and L4 words. */
extern const uint64_t FLOW_SIMPLE_WORDS;

/* The fast extraction of the commonest frame: if the 'len' bytes at 'data'
 * are an untagged Ethernet frame carrying a whole, unfragmented IPv4 packet
 * with a whole TCP or UDP header, writes into 'f' exactly the values
 * flow_extract() would give the words in FLOW_SIMPLE_WORDS (with metadata
 * 'md', not NULL) and returns true.  The other words of 'f' are left
 * unspecified: a key so built is meaningful only to lookups that read
 * nothing else (classifier_lookup_batch_words()).  Returns false, with 'f'
 * unspecified, for every other frame. */
bool flow_extract_simple(const void *data, size_t len,
                         const struct flow_md *md, struct flow *f);

bool flow_tcp_flags__(const void *data, size_t len, tern_be16 *flags);

/* Stores in *flags the tcp_flags field flow_extract() would give the 'len'
 * bytes at 'data', and returns true, without building the key; returns
 * false (and *flags 0) for frames it cannot tell cheaply (IPv6, 802.3):
 * call flow_extract() for those.  Inline for the commonest answer: an
 * untagged IPv4 frame whose protocol byte is there and is not TCP has no
 * flags, whatever else its header says (flow_tcp_flags__() parses the
 * rest). */
static inline bool
flow_tcp_flags(const void *data_, size_t len, tern_be16 *flags)
{
    const uint8_t *data = data_;

    /* Ethernet type at 12-13, IPv4 protocol at 14 + 9. */
    if (len >= ETH_HEADER_LEN + 10 &&
        ((uint16_t)data[12] << 8 | data[13]) == ETH_TYPE_IP &&
        data[ETH_HEADER_LEN + 9] != IPPROTO_TCP) {
        *flags = 0;
        return true;
    }
    return flow_tcp_flags__(data, len, flags);
}

/* Hash of the words of 'flow' named by 'map', with 'basis'. */
uint32_t flow_hash_words(const struct flow *flow, uint64_t map,
                         uint32_t basis);
/* The hash flow_extract() and flow_key_finish() store in key->hash: of
 * 'map' and of the words of 'flow' it names, in index order.  Cheaper than
 * flow_hash_words() (CRC32-C where the CPU has it) and not equal to it:
 * compare it only with other flow_key hashes. */
uint32_t flow_key_hash(const struct flow *flow, uint64_t map);
/* Recomputes key->map (non-zero words) and key->hash from key->flow. */
void flow_key_finish(struct flow_key *key);
/* Returns true when a and b hold identical flows (map and words). */
bool flow_key_equal(const struct flow_key *a, const struct flow_key *b);

/* Masks.  A 1-bit in 'masks' means that bit of the key matters. */
struct flow_wildcards {
    struct flow masks;
};
void flow_wildcards_init_catchall(struct flow_wildcards *);
void flow_wildcards_init_exact(struct flow_wildcards *);
bool flow_wildcards_is_catchall(const struct flow_wildcards *);
/* dst = dst | src. */
void flow_wildcards_or(struct flow_wildcards *dst,
                       const struct flow_wildcards *src);
/* Map of the non-zero words of 'wc'. */
uint64_t flow_wildcards_map(const struct flow_wildcards *wc);
/* Sets 'dst' to 'src' with every bit outside 'wc' cleared. */
void flow_apply_mask(struct flow *dst, const struct flow *src,
                     const struct flow_wildcards *wc);
/* Widens 'wc' so that it also covers the fields a match on the fields
 * already in 'wc' depends on (e.g. a mask on tp_src adds exact nw_proto,
 * dl_type and nw_frag's LATER bit; a mask on nw_src adds dl_type).  The
 * datapath applies this to every megaflow it installs. */
void flow_wildcards_add_prereqs(struct flow_wildcards *wc,
                                const struct flow *key);
/* Returns true if 'a' and 'b' agree on every bit of 'wc'. */
bool flow_equal_except(const struct flow *a, const struct flow *b,
                       const struct flow_wildcards *wc);

#endif /* TERN_FLOW_H */
