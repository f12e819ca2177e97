/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-fields: the OpenFlow match fields — one table row per field giving
 * its ovs-ofctl names, OXM/NXM class and number, width, whether it may be
 * masked and written (set_field), its prerequisites, and where it lives in
 * 'struct flow'.  Matches (ofp-match), set_field actions (ofp-actions),
 * translation and the text syntax all go through this table, so a field
 * is defined once.
 *
 * Values are in network byte order in a 'union mf_value', left-aligned to
 * the field's width (a 2-byte field uses 'be16', a 6-byte one 'mac', ...).
 * OpenFlow semantics that differ from struct flow's layout are handled
 * here: VLAN_VID with OFPVID_PRESENT (0x1000) <-> flow's VLAN_CFI bit,
 * IP_DSCP (6 bits, shifted) and IP_ECN (2 bits) inside nw_tos, MPLS
 * label/TC/BOS inside mpls_lse[0], ICMP type/code inside tp_src/tp_dst,
 * ARP op inside nw_proto, ND SLL/TLL inside arp_sha/arp_tha, IN_PORT as
 * the OpenFlow port number (32 bits; ofp-port.h converts 1.0's 16 bits).
 *
 * Thread safety: pure functions and a constant table.
 */
#ifndef TERN_OFP_FIELDS_H
#define TERN_OFP_FIELDS_H 1

#include "lib/flow.h"
#include "lib/ofp-errors.h"
#include "lib/ofp-msgs.h"

/* Fields.  Standard OXM basic fields first (OXM class 0x8000), then the
 * Nicira extension fields that ovs-ofctl uses for what OXM lacks. */
enum mf_field_id {
    MFF_IN_PORT,     /* OXM 0: in_port (32-bit OpenFlow port). */
    MFF_IN_PHY_PORT, /* OXM 1: equal to in_port on Tern. */
    MFF_METADATA,    /* OXM 2: metadata, maskable. */
    MFF_ETH_DST,     /* OXM 3: dl_dst, maskable. */
    MFF_ETH_SRC,     /* OXM 4: dl_src, maskable. */
    MFF_ETH_TYPE,    /* OXM 5: dl_type. */
    MFF_VLAN_VID,    /* OXM 6: 13 bits incl. OFPVID_PRESENT, maskable. */
    MFF_VLAN_PCP,    /* OXM 7: dl_vlan_pcp. */
    MFF_IP_DSCP,     /* OXM 8: 6-bit DSCP value. */
    MFF_IP_ECN,      /* OXM 9: nw_ecn. */
    MFF_IP_PROTO,    /* OXM 10: nw_proto. */
    MFF_IPV4_SRC,    /* OXM 11: nw_src, maskable. */
    MFF_IPV4_DST,    /* OXM 12: nw_dst, maskable. */
    MFF_TCP_SRC,     /* OXM 13. */
    MFF_TCP_DST,     /* OXM 14. */
    MFF_UDP_SRC,     /* OXM 15. */
    MFF_UDP_DST,     /* OXM 16. */
    MFF_SCTP_SRC,    /* OXM 17. */
    MFF_SCTP_DST,    /* OXM 18. */
    MFF_ICMPV4_TYPE, /* OXM 19. */
    MFF_ICMPV4_CODE, /* OXM 20. */
    MFF_ARP_OP,      /* OXM 21. */
    MFF_ARP_SPA,     /* OXM 22, maskable. */
    MFF_ARP_TPA,     /* OXM 23, maskable. */
    MFF_ARP_SHA,     /* OXM 24, maskable. */
    MFF_ARP_THA,     /* OXM 25, maskable. */
    MFF_IPV6_SRC,    /* OXM 26, maskable. */
    MFF_IPV6_DST,    /* OXM 27, maskable. */
    MFF_IPV6_LABEL,  /* OXM 28: ipv6_label (20 bits), maskable. */
    MFF_ICMPV6_TYPE, /* OXM 29. */
    MFF_ICMPV6_CODE, /* OXM 30. */
    MFF_ND_TARGET,   /* OXM 31. */
    MFF_ND_SLL,      /* OXM 32. */
    MFF_ND_TLL,      /* OXM 33. */
    MFF_MPLS_LABEL,  /* OXM 34: 20 bits. */
    MFF_MPLS_TC,     /* OXM 35. */
    MFF_MPLS_BOS,    /* OXM 36. */
    MFF_PBB_ISID,    /* OXM 37: pbb_isid (24 bits, 3 bytes), maskable. */
    MFF_PBB_UCA,     /* OXM 41 (1.4): pbb_uca (1 bit). */
    MFF_TCP_FLAGS,   /* OXM 42 (1.5; ONF exp. 42 in 1.3), maskable. */
    /* Nicira extension fields (NXM class 0x0001). */
    MFF_IP_TTL,   /* NXM_NX_IP_TTL: nw_ttl. */
    MFF_IP_FRAG,  /* NXM_NX_IP_FRAG: nw_frag, maskable. */
    MFF_PKT_MARK, /* NXM_NX_PKT_MARK, maskable. */
    /* Pipeline registers reg0..reg7 (NXM_NX_REG0..7, also in OXM), 32
     * bits, maskable; flow.regs[] in host order. */
    MFF_REG0,
    MFF_REG1,
    MFF_REG2,
    MFF_REG3,
    MFF_REG4,
    MFF_REG5,
    MFF_REG6,
    MFF_REG7,
    MFF_TUN_ID,   /* NXM_NX_TUN_ID / OXM 38 (tunnel_id), 64 bits, maskable. */
    MFF_VLAN_TCI, /* NXM_OF_VLAN_TCI: the whole 16-bit TCI of vlans[0]
                   * (CFI bit = tag present), maskable. */
    MFF_NW_TOS,   /* NXM_OF_IP_TOS: the DSCP bits of nw_tos in place (the
                   * ECN bits must be 0). */
    MFF_N_IDS
};

union mf_value {
    uint8_t u8;
    tern_be16 be16;
    tern_be32 be32;
    tern_be64 be64;
    struct eth_addr mac;
    struct in6_addr ipv6;
    uint8_t bytes[16];
};

/* Prerequisites (OpenFlow 1.3 table 12), checked against a match. */
enum mf_prereq {
    MFP_NONE,
    MFP_ARP,  /* dl_type 0x0806 or 0x8035. */
    MFP_VLAN, /* VLAN_VID != NONE. */
    MFP_IPV4,
    MFP_IPV6,
    MFP_IP_ANY, /* IPv4 or IPv6. */
    MFP_MPLS,   /* 0x8847 or 0x8848. */
    MFP_PBB,    /* 0x88e7. */
    MFP_TCP,    /* IP_ANY and nw_proto 6. */
    MFP_UDP,
    MFP_SCTP,
    MFP_ICMPV4,
    MFP_ICMPV6,
    MFP_ND,         /* ICMPV6 with type 135 or 136. */
    MFP_ND_SOLICIT, /* type 135. */
    MFP_ND_ADVERT,  /* type 136. */
    MFP_IN_PORT,    /* IN_PORT matched exactly (IN_PHY_PORT). */
};

struct mf_field {
    enum mf_field_id id;
    const char *name;       /* Open vSwitch's name ("eth_src", "ip_src"). */
    const char *extra_name; /* Other accepted name ("dl_src") or NULL. */
    const char *oxm_name;   /* "OXM_OF_ETH_SRC" / "NXM_NX_IP_TTL". */
    uint16_t oxm_class;     /* 0x8000 basic, 0x0001 NXM_1, 0xffff exp. */
    uint8_t oxm_field;
    uint32_t experimenter; /* For class 0xffff. */
    uint8_t n_bytes;       /* Wire width. */
    uint8_t n_bits;        /* Meaningful bits. */
    bool maskable;         /* Masks allowed by the spec. */
    bool writable;         /* set_field allowed. */
    enum mf_prereq prereq;
};

const struct mf_field *mf_from_id(enum mf_field_id);
/* By ovs-ofctl name or its alias; NULL if unknown. */
const struct mf_field *mf_from_name(const char *);
/* By OXM/NXM class and field number (and experimenter for class 0xffff);
 * NULL if unknown. */
const struct mf_field *mf_from_oxm(uint16_t oxm_class, uint8_t field,
                                   uint32_t experimenter);

/* The identity 'mf' has on the wire in 'version': TCP_FLAGS is the ONF
 * experimenter field 42 in 1.3 and 1.4 and NXM_NX_TCP_FLAGS before, as
 * Open vSwitch sends it; every other field is returned unchanged. */
const struct mf_field *mf_oxm_for_version(const struct mf_field *,
                                          enum ofp_version);
/* True if 'value' has no bit beyond the field's n_bits. */
bool mf_is_value_valid(const struct mf_field *, const union mf_value *);
/* True if 'mask' covers all (exact) or none (zero) of the field's bits. */
bool mf_is_mask_exact(const struct mf_field *, const union mf_value *mask);
bool mf_is_mask_zero(const struct mf_field *, const union mf_value *mask);
/* Stores the all-bits mask of the field in 'mask'. */
void mf_get_exact_mask(const struct mf_field *, union mf_value *mask);
/* The integer value of the first 'n' (at most 8) bytes of 'v',
 * big-endian. */
uint64_t mf_value_to_u64(const union mf_value *v, size_t n);
/* Zeroes 'v', then stores 'x' big-endian in its first 'n' bytes (the low
 * 'n' bytes of 'x'). */
void mf_value_from_u64(union mf_value *v, size_t n, uint64_t x);

/* A flow with the mask of the fields that matter: what an OpenFlow rule
 * matches.  flow.in_port is the OpenFlow port number. */
struct match {
    struct flow flow;
    struct flow_wildcards wc;
};

void match_init_catchall(struct match *);
/* Reads field 'mf' of 'flow' into 'value'. */
void mf_get_value(const struct mf_field *, const struct flow *,
                  union mf_value *value);
/* Writes 'value' into field 'mf' of 'flow' (set_field semantics: e.g.
 * VLAN_VID keeps the present bit, MPLS label keeps TC/BOS/TTL). */
void mf_set_flow_value(const struct mf_field *, const union mf_value *value,
                       struct flow *);
/* Reads the field's mask from 'wc'. */
void mf_get_mask(const struct mf_field *, const struct flow_wildcards *wc,
                 union mf_value *mask);
/* Sets the field to match 'value' under 'mask' (NULL: exact) in 'match'.
 * Returns 0, or OFPBMC_BAD_MASK / OFPBMC_BAD_VALUE for masks the field
 * cannot take or values out of its range (e.g. VLAN_VID > 0x1fff). */
enum ofperr mf_set_match(const struct mf_field *, const union mf_value *value,
                         const union mf_value *mask, struct match *);
/* Stops matching on the field (value and mask cleared). */
void mf_set_wild(const struct mf_field *, struct match *);
/* True if the field's mask in 'match' is not all-zero. */
bool mf_is_matched(const struct mf_field *, const struct match *);
/* True if 'match' satisfies the prerequisites of 'mf'. */
bool mf_prereqs_ok(const struct mf_field *, const struct match *);
/* True if a packet with 'flow' has the header the field lives in (used
 * for set_field in translation). */
bool mf_flow_has_field(const struct mf_field *, const struct flow *);
/* Marks in 'wc' the bits of 'flow' that deciding mf_flow_has_field()
 * looks at (for megaflow masks). */
void mf_mask_prereqs(const struct mf_field *, const struct flow *,
                     struct flow_wildcards *wc);
/* Unmasks field 'mf' fully in 'wc'. */
void mf_mask_field(const struct mf_field *, struct flow_wildcards *wc);
/* Checks every matched field's prerequisites; OFPBMC_BAD_PREREQ if one is
 * unmet. */
enum ofperr match_check_prereqs(const struct match *);

#endif /* TERN_OFP_FIELDS_H */
