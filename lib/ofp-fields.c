/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-fields: the table of OpenFlow match fields and the code that walks
 * it.  Each field row names the field, its OXM/NXM identity, width and
 * rules; a parallel location row says where the field's bits live in
 * 'struct flow' (a byte range copied as is, or a bit range of an integer
 * container such as the VLAN TCI or an MPLS label stack entry).  Getting,
 * setting and masking a field are then one generic piece of code; only
 * the few fields whose OpenFlow meaning is not "these bits" (VLAN PCP sets
 * the tag-present bit, IN_PHY_PORT aliases IN_PORT) are special-cased.
 *
 * ofp-match.c (wire), ofp-match-text.c (text), set_field actions and
 * translation use this module.
 */
#include <config.h>

#include "lib/ofp-fields.h"

#include <arpa/inet.h>
#include <string.h>

/* Where a field lives in struct flow. */
enum mf_loc_kind {
    MFL_BYTES, /* 'n_bytes' bytes at 'ofs', copied as is. */
    MFL_BITS,  /* Bits [shift, shift + n_bits) of an integer container. */
};

struct mf_loc {
    enum mf_loc_kind kind;
    uint16_t ofs;  /* Offset in struct flow. */
    uint8_t width; /* MFL_BITS: container width in bytes (1, 2 or 4). */
    bool host;     /* MFL_BITS: container in host byte order. */
    uint8_t shift; /* MFL_BITS: position of the field's lowest bit. */
    bool widen;    /* MFL_BITS: an exact match masks the whole container
                    * (ICMP type/code in the 16-bit tp_src/tp_dst). */
};

#define OXM_BASIC  0x8000
#define OXM_NXM0   0x0000
#define OXM_NXM1   0x0001
#define OXM_EXP    0xffff
#define ONF_EXP_ID 0x4f4e4600

#define FIELD(ID, NAME, EXTRA, OXM, CLASS, NUM, BYTES, BITS, MASK, WRITE,     \
              PREREQ)                                                         \
    [ID] = {.id = ID,                                                         \
            .name = NAME,                                                     \
            .extra_name = EXTRA,                                              \
            .oxm_name = OXM,                                                  \
            .oxm_class = CLASS,                                               \
            .oxm_field = NUM,                                                 \
            .experimenter = 0,                                                \
            .n_bytes = BYTES,                                                 \
            .n_bits = BITS,                                                   \
            .maskable = MASK,                                                 \
            .writable = WRITE,                                                \
            .prereq = PREREQ}

/* Maskability follows Open vSwitch (which also sends masked L4 ports,
 * ND fields, IP_FRAG and PKT_MARK), a superset of the spec's list. */
static const struct mf_field mf_fields[MFF_N_IDS] = {
    FIELD(MFF_IN_PORT, "in_port", NULL, "OXM_OF_IN_PORT", OXM_BASIC, 0, 4, 32,
          false, true, MFP_NONE),
    FIELD(MFF_IN_PHY_PORT, "in_phy_port", NULL, "OXM_OF_IN_PHY_PORT",
          OXM_BASIC, 1, 4, 32, false, false, MFP_IN_PORT),
    FIELD(MFF_METADATA, "metadata", NULL, "OXM_OF_METADATA", OXM_BASIC, 2, 8,
          64, true, true, MFP_NONE),
    FIELD(MFF_ETH_DST, "eth_dst", "dl_dst", "OXM_OF_ETH_DST", OXM_BASIC, 3, 6,
          48, true, true, MFP_NONE),
    FIELD(MFF_ETH_SRC, "eth_src", "dl_src", "OXM_OF_ETH_SRC", OXM_BASIC, 4, 6,
          48, true, true, MFP_NONE),
    FIELD(MFF_ETH_TYPE, "eth_type", "dl_type", "OXM_OF_ETH_TYPE", OXM_BASIC, 5,
          2, 16, false, false, MFP_NONE),
    FIELD(MFF_VLAN_VID, "vlan_vid", NULL, "OXM_OF_VLAN_VID", OXM_BASIC, 6, 2,
          13, true, true, MFP_NONE),
    FIELD(MFF_VLAN_PCP, "vlan_pcp", NULL, "OXM_OF_VLAN_PCP", OXM_BASIC, 7, 1,
          3, false, true, MFP_VLAN),
    FIELD(MFF_IP_DSCP, "ip_dscp", NULL, "OXM_OF_IP_DSCP", OXM_BASIC, 8, 1, 6,
          false, true, MFP_IP_ANY),
    FIELD(MFF_IP_ECN, "nw_ecn", "ip_ecn", "OXM_OF_IP_ECN", OXM_BASIC, 9, 1, 2,
          false, true, MFP_IP_ANY),
    FIELD(MFF_IP_PROTO, "nw_proto", "ip_proto", "OXM_OF_IP_PROTO", OXM_BASIC,
          10, 1, 8, false, false, MFP_IP_ANY),
    FIELD(MFF_IPV4_SRC, "ip_src", "nw_src", "OXM_OF_IPV4_SRC", OXM_BASIC, 11,
          4, 32, true, true, MFP_IPV4),
    FIELD(MFF_IPV4_DST, "ip_dst", "nw_dst", "OXM_OF_IPV4_DST", OXM_BASIC, 12,
          4, 32, true, true, MFP_IPV4),
    FIELD(MFF_TCP_SRC, "tcp_src", "tp_src", "OXM_OF_TCP_SRC", OXM_BASIC, 13, 2,
          16, true, true, MFP_TCP),
    FIELD(MFF_TCP_DST, "tcp_dst", "tp_dst", "OXM_OF_TCP_DST", OXM_BASIC, 14, 2,
          16, true, true, MFP_TCP),
    FIELD(MFF_UDP_SRC, "udp_src", NULL, "OXM_OF_UDP_SRC", OXM_BASIC, 15, 2, 16,
          true, true, MFP_UDP),
    FIELD(MFF_UDP_DST, "udp_dst", NULL, "OXM_OF_UDP_DST", OXM_BASIC, 16, 2, 16,
          true, true, MFP_UDP),
    FIELD(MFF_SCTP_SRC, "sctp_src", NULL, "OXM_OF_SCTP_SRC", OXM_BASIC, 17, 2,
          16, true, true, MFP_SCTP),
    FIELD(MFF_SCTP_DST, "sctp_dst", NULL, "OXM_OF_SCTP_DST", OXM_BASIC, 18, 2,
          16, true, true, MFP_SCTP),
    FIELD(MFF_ICMPV4_TYPE, "icmp_type", "icmpv4_type", "OXM_OF_ICMPV4_TYPE",
          OXM_BASIC, 19, 1, 8, false, true, MFP_ICMPV4),
    FIELD(MFF_ICMPV4_CODE, "icmp_code", "icmpv4_code", "OXM_OF_ICMPV4_CODE",
          OXM_BASIC, 20, 1, 8, false, true, MFP_ICMPV4),
    FIELD(MFF_ARP_OP, "arp_op", NULL, "OXM_OF_ARP_OP", OXM_BASIC, 21, 2, 8,
          false, true, MFP_ARP),
    FIELD(MFF_ARP_SPA, "arp_spa", NULL, "OXM_OF_ARP_SPA", OXM_BASIC, 22, 4, 32,
          true, true, MFP_ARP),
    FIELD(MFF_ARP_TPA, "arp_tpa", NULL, "OXM_OF_ARP_TPA", OXM_BASIC, 23, 4, 32,
          true, true, MFP_ARP),
    FIELD(MFF_ARP_SHA, "arp_sha", NULL, "OXM_OF_ARP_SHA", OXM_BASIC, 24, 6, 48,
          true, true, MFP_ARP),
    FIELD(MFF_ARP_THA, "arp_tha", NULL, "OXM_OF_ARP_THA", OXM_BASIC, 25, 6, 48,
          true, true, MFP_ARP),
    FIELD(MFF_IPV6_SRC, "ipv6_src", NULL, "OXM_OF_IPV6_SRC", OXM_BASIC, 26, 16,
          128, true, true, MFP_IPV6),
    FIELD(MFF_IPV6_DST, "ipv6_dst", NULL, "OXM_OF_IPV6_DST", OXM_BASIC, 27, 16,
          128, true, true, MFP_IPV6),
    FIELD(MFF_IPV6_LABEL, "ipv6_label", NULL, "OXM_OF_IPV6_FLABEL", OXM_BASIC,
          28, 4, 20, true, true, MFP_IPV6),
    FIELD(MFF_ICMPV6_TYPE, "icmpv6_type", NULL, "OXM_OF_ICMPV6_TYPE",
          OXM_BASIC, 29, 1, 8, false, true, MFP_ICMPV6),
    FIELD(MFF_ICMPV6_CODE, "icmpv6_code", NULL, "OXM_OF_ICMPV6_CODE",
          OXM_BASIC, 30, 1, 8, false, true, MFP_ICMPV6),
    FIELD(MFF_ND_TARGET, "nd_target", NULL, "OXM_OF_IPV6_ND_TARGET", OXM_BASIC,
          31, 16, 128, true, true, MFP_ND),
    FIELD(MFF_ND_SLL, "nd_sll", NULL, "OXM_OF_IPV6_ND_SLL", OXM_BASIC, 32, 6,
          48, true, true, MFP_ND_SOLICIT),
    FIELD(MFF_ND_TLL, "nd_tll", NULL, "OXM_OF_IPV6_ND_TLL", OXM_BASIC, 33, 6,
          48, true, true, MFP_ND_ADVERT),
    FIELD(MFF_MPLS_LABEL, "mpls_label", NULL, "OXM_OF_MPLS_LABEL", OXM_BASIC,
          34, 4, 20, false, true, MFP_MPLS),
    FIELD(MFF_MPLS_TC, "mpls_tc", NULL, "OXM_OF_MPLS_TC", OXM_BASIC, 35, 1, 3,
          false, true, MFP_MPLS),
    FIELD(MFF_MPLS_BOS, "mpls_bos", NULL, "OXM_OF_MPLS_BOS", OXM_BASIC, 36, 1,
          1, false, false, MFP_MPLS),
    FIELD(MFF_PBB_ISID, "pbb_isid", NULL, "OXM_OF_PBB_ISID", OXM_BASIC, 37, 3,
          24, true, true, MFP_PBB),
    FIELD(MFF_PBB_UCA, "pbb_uca", NULL, "OXM_OF_PBB_UCA", OXM_BASIC, 41, 1, 1,
          false, true, MFP_PBB),
    FIELD(MFF_TCP_FLAGS, "tcp_flags", NULL, "OXM_OF_TCP_FLAGS", OXM_BASIC, 42,
          2, 12, true, false, MFP_TCP),
    FIELD(MFF_IP_TTL, "nw_ttl", NULL, "NXM_NX_IP_TTL", OXM_NXM1, 29, 1, 8,
          false, true, MFP_IP_ANY),
    FIELD(MFF_IP_FRAG, "ip_frag", "nw_frag", "NXM_NX_IP_FRAG", OXM_NXM1, 26, 1,
          2, true, false, MFP_IP_ANY),
    FIELD(MFF_PKT_MARK, "pkt_mark", NULL, "NXM_NX_PKT_MARK", OXM_NXM1, 33, 4,
          32, true, true, MFP_NONE),
#define REG_FIELD(N)                                                          \
    FIELD(MFF_REG0 + N, "reg" #N, NULL, "NXM_NX_REG" #N, OXM_NXM1, N, 4, 32,  \
          true, true, MFP_NONE)
    REG_FIELD(0),
    REG_FIELD(1),
    REG_FIELD(2),
    REG_FIELD(3),
    REG_FIELD(4),
    REG_FIELD(5),
    REG_FIELD(6),
    REG_FIELD(7),
#undef REG_FIELD
    FIELD(MFF_TUN_ID, "tun_id", "tunnel_id", "NXM_NX_TUN_ID", OXM_NXM1, 16, 8,
          64, true, true, MFP_NONE),
    FIELD(MFF_VLAN_TCI, "vlan_tci", NULL, "NXM_OF_VLAN_TCI", OXM_NXM0, 4, 2,
          16, true, true, MFP_NONE),
    FIELD(MFF_NW_TOS, "nw_tos", NULL, "NXM_OF_IP_TOS", OXM_NXM0, 5, 1, 8,
          false, true, MFP_IP_ANY),
};

#define BYTES(ID, MEMBER)                                                     \
    [ID] = {.kind = MFL_BYTES, .ofs = offsetof(struct flow, MEMBER)}
#define BITS(ID, MEMBER, WIDTH, HOST, SHIFT)                                  \
    [ID] = {.kind = MFL_BITS,                                                 \
            .ofs = offsetof(struct flow, MEMBER),                             \
            .width = WIDTH,                                                   \
            .host = HOST,                                                     \
            .shift = SHIFT}

#define WIDE_BITS(ID, MEMBER)                                                 \
    [ID] = {.kind = MFL_BITS,                                                 \
            .ofs = offsetof(struct flow, MEMBER),                             \
            .width = 2,                                                       \
            .widen = true}

static const struct mf_loc mf_locs[MFF_N_IDS] = {
    BITS(MFF_IN_PORT, in_port, 4, true, 0),
    BITS(MFF_IN_PHY_PORT, in_port, 4, true, 0),
    BYTES(MFF_METADATA, metadata),
    BYTES(MFF_ETH_DST, dl_dst),
    BYTES(MFF_ETH_SRC, dl_src),
    BYTES(MFF_ETH_TYPE, dl_type),
    BITS(MFF_VLAN_VID, vlans[0].tci, 2, false, 0),
    BITS(MFF_VLAN_PCP, vlans[0].tci, 2, false, VLAN_PCP_SHIFT),
    BITS(MFF_IP_DSCP, nw_tos, 1, false, 2),
    BITS(MFF_IP_ECN, nw_tos, 1, false, 0),
    BYTES(MFF_IP_PROTO, nw_proto),
    BYTES(MFF_IPV4_SRC, nw_src),
    BYTES(MFF_IPV4_DST, nw_dst),
    BYTES(MFF_TCP_SRC, tp_src),
    BYTES(MFF_TCP_DST, tp_dst),
    BYTES(MFF_UDP_SRC, tp_src),
    BYTES(MFF_UDP_DST, tp_dst),
    BYTES(MFF_SCTP_SRC, tp_src),
    BYTES(MFF_SCTP_DST, tp_dst),
    WIDE_BITS(MFF_ICMPV4_TYPE, tp_src),
    WIDE_BITS(MFF_ICMPV4_CODE, tp_dst),
    BITS(MFF_ARP_OP, nw_proto, 1, false, 0),
    BYTES(MFF_ARP_SPA, nw_src),
    BYTES(MFF_ARP_TPA, nw_dst),
    BYTES(MFF_ARP_SHA, arp_sha),
    BYTES(MFF_ARP_THA, arp_tha),
    BYTES(MFF_IPV6_SRC, ipv6_src),
    BYTES(MFF_IPV6_DST, ipv6_dst),
    BITS(MFF_IPV6_LABEL, ipv6_label, 4, false, 0),
    WIDE_BITS(MFF_ICMPV6_TYPE, tp_src),
    WIDE_BITS(MFF_ICMPV6_CODE, tp_dst),
    BYTES(MFF_ND_TARGET, nd_target),
    BYTES(MFF_ND_SLL, arp_sha),
    BYTES(MFF_ND_TLL, arp_tha),
    BITS(MFF_MPLS_LABEL, mpls_lse[0], 4, false, MPLS_LABEL_SHIFT),
    BITS(MFF_MPLS_TC, mpls_lse[0], 4, false, MPLS_TC_SHIFT),
    BITS(MFF_MPLS_BOS, mpls_lse[0], 4, false, MPLS_BOS_SHIFT),
    BITS(MFF_PBB_ISID, pbb_isid, 4, false, 0),
    BITS(MFF_PBB_UCA, pbb_uca, 1, false, 0),
    BITS(MFF_TCP_FLAGS, tcp_flags, 2, false, 0),
    BITS(MFF_IP_TTL, nw_ttl, 1, false, 0),
    BITS(MFF_IP_FRAG, nw_frag, 1, false, 0),
    BITS(MFF_PKT_MARK, pkt_mark, 4, true, 0),
    BITS(MFF_REG0, regs[0], 4, true, 0),
    BITS(MFF_REG1, regs[1], 4, true, 0),
    BITS(MFF_REG2, regs[2], 4, true, 0),
    BITS(MFF_REG3, regs[3], 4, true, 0),
    BITS(MFF_REG4, regs[4], 4, true, 0),
    BITS(MFF_REG5, regs[5], 4, true, 0),
    BITS(MFF_REG6, regs[6], 4, true, 0),
    BITS(MFF_REG7, regs[7], 4, true, 0),
    BYTES(MFF_TUN_ID, tun_id),
    BITS(MFF_VLAN_TCI, vlans[0].tci, 2, false, 0),
    BITS(MFF_NW_TOS, nw_tos, 1, false, 0),
};

/* Open vSwitch's identities for fields that OpenFlow versions before the
 * one that standardised them carry as extensions. */
static const struct mf_field mf_tcp_flags_onf = {
    .id = MFF_TCP_FLAGS,
    .name = "tcp_flags",
    .oxm_name = "ONFOXM_ET_TCP_FLAGS",
    .oxm_class = OXM_EXP,
    .oxm_field = 42,
    .experimenter = ONF_EXP_ID,
    .n_bytes = 2,
    .n_bits = 12,
    .maskable = true,
    .prereq = MFP_TCP,
};
static const struct mf_field mf_tcp_flags_nxm = {
    .id = MFF_TCP_FLAGS,
    .name = "tcp_flags",
    .oxm_name = "NXM_NX_TCP_FLAGS",
    .oxm_class = OXM_NXM1,
    .oxm_field = 34,
    .n_bytes = 2,
    .n_bits = 12,
    .maskable = true,
    .prereq = MFP_TCP,
};

/* OpenFlow 1.3+ carries the tunnel id as OXM_OF_TUNNEL_ID. */
static const struct mf_field mf_tun_id_oxm = {
    .id = MFF_TUN_ID,
    .name = "tun_id",
    .extra_name = "tunnel_id",
    .oxm_name = "OXM_OF_TUNNEL_ID",
    .oxm_class = OXM_BASIC,
    .oxm_field = 38,
    .n_bytes = 8,
    .n_bits = 64,
    .maskable = true,
    .writable = true,
    .prereq = MFP_NONE,
};

const struct mf_field *
mf_from_id(enum mf_field_id id)
{
    return (unsigned)id < MFF_N_IDS ? &mf_fields[id] : NULL;
}

const struct mf_field *
mf_from_name(const char *name)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (!strcmp(name, mf->name) ||
            (mf->extra_name && !strcmp(name, mf->extra_name))) {
            return mf;
        }
    }
    return NULL;
}

const struct mf_field *
mf_from_oxm(uint16_t oxm_class, uint8_t field, uint32_t experimenter)
{
    if (oxm_class == OXM_EXP) {
        return (experimenter == ONF_EXP_ID && field == 42 ? &mf_tcp_flags_onf
                                                          : NULL);
    }
    if (oxm_class == OXM_NXM1 && field == 34) {
        return &mf_tcp_flags_nxm;
    }
    if (oxm_class == OXM_BASIC && field == 38) {
        return &mf_tun_id_oxm;
    }
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (mf->oxm_class == oxm_class && mf->oxm_field == field) {
            return mf;
        }
    }
    return NULL;
}

const struct mf_field *
mf_oxm_for_version(const struct mf_field *mf, enum ofp_version version)
{
    if (mf->id == MFF_TCP_FLAGS && version < OFP15_VERSION) {
        return (version >= OFP13_VERSION ? &mf_tcp_flags_onf
                                         : &mf_tcp_flags_nxm);
    }
    if (mf->id == MFF_TUN_ID && version >= OFP13_VERSION) {
        return &mf_tun_id_oxm;
    }
    return &mf_fields[mf->id];
}

/* Integer helpers. */

/* The field's meaningful bits as a host integer mask (n_bits <= 32). */
static uint32_t
bits_mask(const struct mf_field *mf)
{
    if (mf->id == MFF_NW_TOS) {
        return 0xfc; /* NXM_OF_IP_TOS: DSCP in place, no ECN. */
    }
    return mf->n_bits >= 32 ? UINT32_MAX : (UINT32_C(1) << mf->n_bits) - 1;
}

static uint32_t
value_to_u32(const struct mf_field *mf, const union mf_value *v)
{
    switch (mf->n_bytes) {
    case 1:
        return v->u8;
    case 2:
        return ntohs(v->be16);
    case 3:
        return (uint32_t)v->bytes[0] << 16 | (uint32_t)v->bytes[1] << 8 |
               v->bytes[2];
    default:
        return ntohl(v->be32);
    }
}

static void
u32_to_value(const struct mf_field *mf, uint32_t x, union mf_value *v)
{
    memset(v, 0, sizeof *v);
    switch (mf->n_bytes) {
    case 1:
        v->u8 = (uint8_t)x;
        break;
    case 2:
        v->be16 = htons((uint16_t)x);
        break;
    case 3:
        v->bytes[0] = (uint8_t)(x >> 16);
        v->bytes[1] = (uint8_t)(x >> 8);
        v->bytes[2] = (uint8_t)x;
        break;
    default:
        v->be32 = htonl(x);
        break;
    }
}

static uint32_t
container_get(const struct mf_loc *loc, const struct flow *flow)
{
    const uint8_t *p = (const uint8_t *)flow + loc->ofs;
    if (loc->width == 1) {
        return *p;
    } else if (loc->width == 2) {
        uint16_t x;
        memcpy(&x, p, 2);
        return loc->host ? x : ntohs(x);
    } else {
        uint32_t x;
        memcpy(&x, p, 4);
        return loc->host ? x : ntohl(x);
    }
}

static void
container_set(const struct mf_loc *loc, struct flow *flow, uint32_t c)
{
    uint8_t *p = (uint8_t *)flow + loc->ofs;
    if (loc->width == 1) {
        *p = (uint8_t)c;
    } else if (loc->width == 2) {
        uint16_t x = loc->host ? (uint16_t)c : htons((uint16_t)c);
        memcpy(p, &x, 2);
    } else {
        uint32_t x = loc->host ? c : htonl(c);
        memcpy(p, &x, 4);
    }
}

/* Reads the field's bits out of 'flow' (a flow or a mask). */
static void
read_field(const struct mf_field *mf, const struct flow *flow,
           union mf_value *v)
{
    const struct mf_loc *loc = &mf_locs[mf->id];
    if (loc->kind == MFL_BYTES) {
        memset(v, 0, sizeof *v);
        memcpy(v->bytes, (const uint8_t *)flow + loc->ofs, mf->n_bytes);
    } else {
        uint32_t c = container_get(loc, flow);
        u32_to_value(mf, (c >> loc->shift) & bits_mask(mf), v);
    }
}

/* Writes 'v' (already limited to the field's bits) into 'flow'. */
static void
write_field(const struct mf_field *mf, const union mf_value *v,
            struct flow *flow)
{
    const struct mf_loc *loc = &mf_locs[mf->id];
    if (loc->kind == MFL_BYTES) {
        memcpy((uint8_t *)flow + loc->ofs, v->bytes, mf->n_bytes);
    } else {
        uint32_t m = bits_mask(mf) << loc->shift;
        uint32_t c = container_get(loc, flow) & ~m;
        c |= (value_to_u32(mf, v) << loc->shift) & m;
        container_set(loc, flow, c);
    }
}

bool
mf_is_value_valid(const struct mf_field *mf, const union mf_value *value)
{
    if (mf_locs[mf->id].kind == MFL_BYTES || mf->n_bits >= 32) {
        return true;
    }
    return !(value_to_u32(mf, value) & ~bits_mask(mf));
}

bool
mf_is_mask_exact(const struct mf_field *mf, const union mf_value *mask)
{
    if (mf_locs[mf->id].kind == MFL_BYTES) {
        for (size_t i = 0; i < mf->n_bytes; i++) {
            if (mask->bytes[i] != 0xff) {
                return false;
            }
        }
        return true;
    }
    uint32_t m = bits_mask(mf);
    return (value_to_u32(mf, mask) & m) == m;
}

bool
mf_is_mask_zero(const struct mf_field *mf, const union mf_value *mask)
{
    if (mf_locs[mf->id].kind == MFL_BYTES) {
        for (size_t i = 0; i < mf->n_bytes; i++) {
            if (mask->bytes[i]) {
                return false;
            }
        }
        return true;
    }
    return !(value_to_u32(mf, mask) & bits_mask(mf));
}

void
mf_get_exact_mask(const struct mf_field *mf, union mf_value *mask)
{
    if (mf_locs[mf->id].kind == MFL_BYTES) {
        memset(mask, 0, sizeof *mask);
        memset(mask->bytes, 0xff, mf->n_bytes);
    } else {
        u32_to_value(mf, bits_mask(mf), mask);
    }
}

uint64_t
mf_value_to_u64(const union mf_value *v, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n && i < 8; i++) {
        x = x << 8 | v->bytes[i];
    }
    return x;
}

void
mf_value_from_u64(union mf_value *v, size_t n, uint64_t x)
{
    memset(v, 0, sizeof *v);
    for (size_t i = n; i-- > 0;) {
        if (i < sizeof v->bytes) {
            v->bytes[i] = x & 0xff;
        }
        x >>= 8;
    }
}

/* Writes the field mask 'm' into 'wc'. */
static void
write_mask(const struct mf_field *mf, const union mf_value *m,
           struct flow_wildcards *wc)
{
    const struct mf_loc *loc = &mf_locs[mf->id];
    write_field(mf, m, &wc->masks);
    if (loc->widen && mf_is_mask_exact(mf, m)) {
        container_set(loc, &wc->masks, UINT16_MAX);
    }
}

void
match_init_catchall(struct match *match)
{
    memset(&match->flow, 0, sizeof match->flow);
    flow_wildcards_init_catchall(&match->wc);
}

void
mf_get_value(const struct mf_field *mf, const struct flow *flow,
             union mf_value *value)
{
    read_field(mf, flow, value);
}

void
mf_set_flow_value(const struct mf_field *mf, const union mf_value *value,
                  struct flow *flow)
{
    union mf_value v = *value;
    const struct mf_field *vid = &mf_fields[MFF_VLAN_VID];

    if (mf->id == MFF_VLAN_VID) {
        /* Only the VID changes; a written VID always means a tag. */
        u32_to_value(mf, (value_to_u32(mf, value) & VLAN_VID_MASK) | VLAN_CFI,
                     &v);
        write_field(mf, &v, flow);
        return;
    }
    if (!mf_is_value_valid(mf, &v)) {
        u32_to_value(mf, value_to_u32(mf, &v) & bits_mask(mf), &v);
    }
    write_field(mf, &v, flow);
    if (mf->id == MFF_VLAN_PCP) {
        union mf_value t;
        read_field(vid, flow, &t);
        u32_to_value(vid, value_to_u32(vid, &t) | VLAN_CFI, &t);
        write_field(vid, &t, flow);
    }
}

void
mf_get_mask(const struct mf_field *mf, const struct flow_wildcards *wc,
            union mf_value *mask)
{
    read_field(mf, &wc->masks, mask);
}

/* Writes 'value' under 'mask' (both valid) into 'match'. */
static void
set_masked(const struct mf_field *mf, const union mf_value *value,
           const union mf_value *mask, struct match *match)
{
    union mf_value v;
    for (size_t i = 0; i < sizeof v.bytes; i++) {
        v.bytes[i] = value->bytes[i] & mask->bytes[i];
    }
    write_field(mf, &v, &match->flow);
    write_mask(mf, mask, &match->wc);
}

enum ofperr
mf_set_match(const struct mf_field *mf, const union mf_value *value,
             const union mf_value *mask, struct match *match)
{
    union mf_value m;

    if (mask) {
        if (!mf->maskable && !mf_is_mask_exact(mf, mask) &&
            !mf_is_mask_zero(mf, mask)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        m = *mask;
        if (mf_locs[mf->id].kind == MFL_BITS) {
            u32_to_value(mf, value_to_u32(mf, mask) & bits_mask(mf), &m);
        }
    } else {
        mf_get_exact_mask(mf, &m);
    }
    if (!mf_is_value_valid(mf, value)) {
        return OFPERR_OFPBMC_BAD_VALUE;
    }
    mf = &mf_fields[mf->id];
    if (mf->id == MFF_IN_PHY_PORT) {
        /* Physical ports are the OpenFlow ports themselves. */
        union mf_value cur, cur_mask;
        const struct mf_field *in_port = &mf_fields[MFF_IN_PORT];
        mf_get_value(in_port, &match->flow, &cur);
        mf_get_mask(in_port, &match->wc, &cur_mask);
        if (mf_is_mask_exact(in_port, &cur_mask) && cur.be32 != value->be32) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
        mf = in_port;
    }
    set_masked(mf, value, &m, match);
    if (mf->id == MFF_VLAN_PCP && !mf_is_mask_zero(mf, &m)) {
        /* A PCP means a tag is present. */
        match->flow.vlans[0].tci |= htons(VLAN_CFI);
        match->wc.masks.vlans[0].tci |= htons(VLAN_CFI);
    }
    return 0;
}

void
mf_set_wild(const struct mf_field *mf, struct match *match)
{
    union mf_value zero;
    memset(&zero, 0, sizeof zero);
    if (mf->id == MFF_IN_PHY_PORT) {
        return;
    }
    write_field(mf, &zero, &match->flow);
    write_field(mf, &zero, &match->wc.masks);
    if (mf_locs[mf->id].widen) {
        container_set(&mf_locs[mf->id], &match->flow, 0);
        container_set(&mf_locs[mf->id], &match->wc.masks, 0);
    }
}

bool
mf_is_matched(const struct mf_field *mf, const struct match *match)
{
    union mf_value mask;
    mf_get_mask(mf, &match->wc, &mask);
    return !mf_is_mask_zero(mf, &mask);
}

/* Prerequisites. */

static bool
dl_type_is(const struct match *m, uint16_t type)
{
    return m->wc.masks.dl_type == htons(0xffff) &&
           m->flow.dl_type == htons(type);
}

static bool
proto_is(const struct match *m, uint8_t proto)
{
    return m->wc.masks.nw_proto == 0xff && m->flow.nw_proto == proto;
}

static bool
icmp_type_is(const struct match *m, uint16_t type)
{
    return (m->wc.masks.tp_src & htons(0xff)) == htons(0xff) &&
           m->flow.tp_src == htons(type);
}

static bool
match_prereq_ok(enum mf_prereq p, const struct match *m)
{
    bool ip4 = dl_type_is(m, ETH_TYPE_IP);
    bool ip6 = dl_type_is(m, ETH_TYPE_IPV6);

    switch (p) {
    case MFP_NONE:
        return true;
    case MFP_ARP:
        return dl_type_is(m, ETH_TYPE_ARP) || dl_type_is(m, ETH_TYPE_RARP);
    case MFP_VLAN:
        return (m->wc.masks.vlans[0].tci & m->flow.vlans[0].tci &
                htons(VLAN_CFI)) != 0;
    case MFP_IPV4:
        return ip4;
    case MFP_IPV6:
        return ip6;
    case MFP_IP_ANY:
        return ip4 || ip6;
    case MFP_MPLS:
        return (dl_type_is(m, ETH_TYPE_MPLS) ||
                dl_type_is(m, ETH_TYPE_MPLS_MCAST));
    case MFP_PBB:
        return dl_type_is(m, ETH_TYPE_PBB);
    case MFP_TCP:
        return (ip4 || ip6) && proto_is(m, IPPROTO_TCP);
    case MFP_UDP:
        return (ip4 || ip6) && proto_is(m, IPPROTO_UDP);
    case MFP_SCTP:
        return (ip4 || ip6) && proto_is(m, IPPROTO_SCTP);
    case MFP_ICMPV4:
        return ip4 && proto_is(m, IPPROTO_ICMP);
    case MFP_ICMPV6:
        return ip6 && proto_is(m, IPPROTO_ICMPV6);
    case MFP_ND:
        return (ip6 && proto_is(m, IPPROTO_ICMPV6) &&
                (icmp_type_is(m, ND_NEIGHBOR_SOLICIT) ||
                 icmp_type_is(m, ND_NEIGHBOR_ADVERT)));
    case MFP_ND_SOLICIT:
        return (ip6 && proto_is(m, IPPROTO_ICMPV6) &&
                icmp_type_is(m, ND_NEIGHBOR_SOLICIT));
    case MFP_ND_ADVERT:
        return (ip6 && proto_is(m, IPPROTO_ICMPV6) &&
                icmp_type_is(m, ND_NEIGHBOR_ADVERT));
    case MFP_IN_PORT:
        return m->wc.masks.in_port == UINT32_MAX;
    }
    return false;
}

bool
mf_prereqs_ok(const struct mf_field *mf, const struct match *match)
{
    return match_prereq_ok(mf->prereq, match);
}

/* True if a packet whose key is 'f' meets prerequisite 'p'. */
static bool
flow_prereq_ok(enum mf_prereq p, const struct flow *f)
{
    bool ip4 = f->dl_type == htons(ETH_TYPE_IP);
    bool ip6 = f->dl_type == htons(ETH_TYPE_IPV6);

    switch (p) {
    case MFP_NONE:
    case MFP_IN_PORT:
        return true;
    case MFP_ARP:
        return (f->dl_type == htons(ETH_TYPE_ARP) ||
                f->dl_type == htons(ETH_TYPE_RARP));
    case MFP_VLAN:
        return (f->vlans[0].tci & htons(VLAN_CFI)) != 0;
    case MFP_IPV4:
        return ip4;
    case MFP_IPV6:
        return ip6;
    case MFP_IP_ANY:
        return ip4 || ip6;
    case MFP_MPLS:
        return (f->dl_type == htons(ETH_TYPE_MPLS) ||
                f->dl_type == htons(ETH_TYPE_MPLS_MCAST));
    case MFP_PBB:
        return f->dl_type == htons(ETH_TYPE_PBB);
    case MFP_TCP:
        return (ip4 || ip6) && f->nw_proto == IPPROTO_TCP;
    case MFP_UDP:
        return (ip4 || ip6) && f->nw_proto == IPPROTO_UDP;
    case MFP_SCTP:
        return (ip4 || ip6) && f->nw_proto == IPPROTO_SCTP;
    case MFP_ICMPV4:
        return ip4 && f->nw_proto == IPPROTO_ICMP;
    case MFP_ICMPV6:
        return ip6 && f->nw_proto == IPPROTO_ICMPV6;
    case MFP_ND:
        return (ip6 && f->nw_proto == IPPROTO_ICMPV6 &&
                (f->tp_src == htons(ND_NEIGHBOR_SOLICIT) ||
                 f->tp_src == htons(ND_NEIGHBOR_ADVERT)));
    case MFP_ND_SOLICIT:
        return (ip6 && f->nw_proto == IPPROTO_ICMPV6 &&
                f->tp_src == htons(ND_NEIGHBOR_SOLICIT));
    case MFP_ND_ADVERT:
        return (ip6 && f->nw_proto == IPPROTO_ICMPV6 &&
                f->tp_src == htons(ND_NEIGHBOR_ADVERT));
    }
    return false;
}

bool
mf_flow_has_field(const struct mf_field *mf, const struct flow *flow)
{
    return flow_prereq_ok(mf->prereq, flow);
}

void
mf_mask_prereqs(const struct mf_field *mf, const struct flow *flow,
                struct flow_wildcards *wc)
{
    switch (mf->prereq) {
    case MFP_NONE:
    case MFP_IN_PORT:
        return;
    case MFP_VLAN:
        wc->masks.vlans[0].tci |= htons(VLAN_CFI);
        return;
    case MFP_ARP:
    case MFP_IPV4:
    case MFP_IPV6:
    case MFP_IP_ANY:
    case MFP_MPLS:
    case MFP_PBB:
        wc->masks.dl_type = htons(0xffff);
        return;
    case MFP_TCP:
    case MFP_UDP:
    case MFP_SCTP:
    case MFP_ICMPV4:
    case MFP_ICMPV6:
        wc->masks.dl_type = htons(0xffff);
        if (flow->dl_type == htons(ETH_TYPE_IP) ||
            flow->dl_type == htons(ETH_TYPE_IPV6)) {
            wc->masks.nw_proto = 0xff;
        }
        return;
    case MFP_ND:
    case MFP_ND_SOLICIT:
    case MFP_ND_ADVERT:
        wc->masks.dl_type = htons(0xffff);
        if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
            wc->masks.nw_proto = 0xff;
            if (flow->nw_proto == IPPROTO_ICMPV6) {
                wc->masks.tp_src = htons(0xffff);
            }
        }
        return;
    }
}

void
mf_mask_field(const struct mf_field *mf, struct flow_wildcards *wc)
{
    union mf_value mask;
    if (mf->id == MFF_IN_PHY_PORT) {
        mf = &mf_fields[MFF_IN_PORT];
    }
    mf_get_exact_mask(mf, &mask);
    write_mask(mf, &mask, wc);
}

/* Several fields share storage (tp_src is TCP_SRC, UDP_SRC, ICMP type...;
 * nw_src is IPV4_SRC and ARP_SPA): bits matched in that storage are fine
 * if any field living there has its prerequisites met. */
static bool
shared_prereqs_ok(const struct mf_field *mf, const struct match *match)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        if (mf_locs[i].ofs == mf_locs[mf->id].ofs &&
            mf_prereqs_ok(&mf_fields[i], match)) {
            return true;
        }
    }
    return false;
}

enum ofperr
match_check_prereqs(const struct match *match)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (mf->prereq == MFP_IN_PORT) {
            continue; /* Aliases in_port: never "matched" by itself. */
        }
        if (mf_is_matched(mf, match) && !mf_prereqs_ok(mf, match) &&
            !shared_prereqs_ok(mf, match)) {
            return OFPERR_OFPBMC_BAD_PREREQ;
        }
    }
    return 0;
}
