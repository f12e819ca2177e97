/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-match: OpenFlow matches on the wire.  OpenFlow 1.0's fixed
 * 'ofp_match' (wildcard bits, CIDR-style IP wildcards, dl_vlan 0xffff for
 * "no tag") and the OXM 'ofp_match' of 1.2+ (TLVs with optional masks,
 * checked against ofp-fields' table).  OXM encoding follows Open vSwitch's
 * field order (in_port, Ethernet, VLAN, MPLS, L3, L4, ARP, pkt_mark,
 * metadata) so that matches Open vSwitch sent re-encode byte for byte.
 */
#include <config.h>

#include "lib/ofp-match.h"

#include <arpa/inet.h>
#include <string.h>

/* OpenFlow 1.0 wildcard bits. */
#define OFPFW10_IN_PORT      (1u << 0)
#define OFPFW10_DL_VLAN      (1u << 1)
#define OFPFW10_DL_SRC       (1u << 2)
#define OFPFW10_DL_DST       (1u << 3)
#define OFPFW10_DL_TYPE      (1u << 4)
#define OFPFW10_NW_PROTO     (1u << 5)
#define OFPFW10_TP_SRC       (1u << 6)
#define OFPFW10_TP_DST       (1u << 7)
#define OFPFW10_NW_SRC_SHIFT 8
#define OFPFW10_NW_DST_SHIFT 14
#define OFPFW10_NW_BITS      0x3f
#define OFPFW10_DL_VLAN_PCP  (1u << 20)
#define OFPFW10_NW_TOS       (1u << 21)
#define OFPFW10_ALL          ((1u << 22) - 1)
#define OFP10_VLAN_NONE      0xffff

#define OFPMT_OXM 1

/* The 1.0 wire image.  Only ever filled by memcpy. */
struct ofp10_match {
    tern_be32 wildcards;
    tern_be16 in_port;
    struct eth_addr dl_src;
    struct eth_addr dl_dst;
    tern_be16 dl_vlan;
    uint8_t dl_vlan_pcp;
    uint8_t pad1;
    tern_be16 dl_type;
    uint8_t nw_tos;
    uint8_t nw_proto;
    uint8_t pad2[2];
    tern_be32 nw_src;
    tern_be32 nw_dst;
    tern_be16 tp_src;
    tern_be16 tp_dst;
} __attribute__((packed));
BUILD_ASSERT(sizeof(struct ofp10_match) == OFP10_MATCH_LEN);

/* 1.0 port numbers are 16 bits with the reserved ones at 0xff00 and up. */
static uint32_t
port_from_of10(uint16_t p)
{
    return p >= 0xff00 ? 0xffff0000u | p : p;
}

static bool
port_to_of10(uint32_t p, uint16_t *out)
{
    if (p >= 0xffffff00u) {
        *out = (uint16_t)(p & 0xffff);
        return true;
    }
    *out = (uint16_t)p;
    return p < 0xff00;
}

/* Mask of a 1.0 IP wildcard count. */
static tern_be32
of10_nw_mask(uint32_t wc, int shift)
{
    uint32_t n = (wc >> shift) & OFPFW10_NW_BITS;
    return n >= 32 ? 0 : htonl(UINT32_MAX << n);
}

/* Wildcard bit count of 'mask', or -1 if it is not a CIDR mask. */
static int
of10_nw_bits(tern_be32 mask)
{
    uint32_t m = ntohl(mask);
    uint32_t inv = ~m;
    if (inv & (inv + 1)) {
        return -1;
    }
    return m ? __builtin_ctz(m) : 32;
}

enum ofperr
ofp_match_decode_of10(const void *m_, struct match *match)
{
    struct ofp10_match m;
    memcpy(&m, m_, sizeof m);
    uint32_t wc = ntohl(m.wildcards) & OFPFW10_ALL;
    struct flow *f = &match->flow;
    struct flow *mk = &match->wc.masks;

    match_init_catchall(match);
    if (!(wc & OFPFW10_IN_PORT)) {
        f->in_port = port_from_of10(ntohs(m.in_port));
        mk->in_port = UINT32_MAX;
    }
    if (!(wc & OFPFW10_DL_SRC)) {
        f->dl_src = m.dl_src;
        memset(&mk->dl_src, 0xff, sizeof mk->dl_src);
    }
    if (!(wc & OFPFW10_DL_DST)) {
        f->dl_dst = m.dl_dst;
        memset(&mk->dl_dst, 0xff, sizeof mk->dl_dst);
    }
    if (!(wc & OFPFW10_DL_TYPE)) {
        f->dl_type = m.dl_type;
        mk->dl_type = htons(0xffff);
    }
    if (!(wc & OFPFW10_DL_VLAN) && ntohs(m.dl_vlan) == OFP10_VLAN_NONE) {
        /* No tag, whatever the PCP says. */
        f->vlans[0].tci = 0;
        mk->vlans[0].tci = htons(0xffff);
    } else {
        uint16_t tmask = 0;
        if (!(wc & OFPFW10_DL_VLAN)) {
            tmask |= VLAN_VID_MASK | VLAN_CFI;
        }
        if (!(wc & OFPFW10_DL_VLAN_PCP)) {
            tmask |= VLAN_PCP_MASK | VLAN_CFI;
        }
        uint16_t tci = (ntohs(m.dl_vlan) & VLAN_VID_MASK) |
                       ((m.dl_vlan_pcp << VLAN_PCP_SHIFT) & VLAN_PCP_MASK) |
                       VLAN_CFI;
        f->vlans[0].tci = htons(tci & tmask);
        mk->vlans[0].tci = htons(tmask);
    }
    if (!(wc & OFPFW10_NW_TOS)) {
        f->nw_tos = m.nw_tos & IP_DSCP_MASK;
        mk->nw_tos = IP_DSCP_MASK;
    }
    if (!(wc & OFPFW10_NW_PROTO)) {
        f->nw_proto = m.nw_proto;
        mk->nw_proto = 0xff;
    }
    mk->nw_src = of10_nw_mask(wc, OFPFW10_NW_SRC_SHIFT);
    f->nw_src = m.nw_src & mk->nw_src;
    mk->nw_dst = of10_nw_mask(wc, OFPFW10_NW_DST_SHIFT);
    f->nw_dst = m.nw_dst & mk->nw_dst;
    if (!(wc & OFPFW10_TP_SRC)) {
        f->tp_src = m.tp_src;
        mk->tp_src = htons(0xffff);
    }
    if (!(wc & OFPFW10_TP_DST)) {
        f->tp_dst = m.tp_dst;
        mk->tp_dst = htons(0xffff);
    }
    return 0;
}

static bool
is_all(const void *p, size_t n, uint8_t byte)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != byte) {
            return false;
        }
    }
    return true;
}

/* Fills the 1.0 Ethernet address 'dst' and its wildcard bit. */
static bool
encode_of10_mac(const struct eth_addr *v, const struct eth_addr *mask,
                uint32_t bit, struct eth_addr *dst, uint32_t *wc)
{
    if (is_all(mask, sizeof *mask, 0xff)) {
        *dst = *v;
        return true;
    }
    *wc |= bit;
    return is_all(mask, sizeof *mask, 0);
}

static bool
encode_of10_vlan(const struct match *match, struct ofp10_match *m,
                 uint32_t *wc)
{
    uint16_t tci = ntohs(match->flow.vlans[0].tci);
    uint16_t mask = ntohs(match->wc.masks.vlans[0].tci);
    bool ok = true;

    if (!mask) {
        *wc |= OFPFW10_DL_VLAN | OFPFW10_DL_VLAN_PCP;
    } else if ((mask & VLAN_CFI) && !(tci & VLAN_CFI)) {
        m->dl_vlan = htons(OFP10_VLAN_NONE);
    } else {
        if (!(mask & VLAN_VID_MASK)) {
            *wc |= OFPFW10_DL_VLAN;
        } else {
            ok &= (mask & VLAN_VID_MASK) == VLAN_VID_MASK;
            m->dl_vlan = htons(tci & VLAN_VID_MASK);
        }
        if (!(mask & VLAN_PCP_MASK)) {
            *wc |= OFPFW10_DL_VLAN_PCP;
        } else {
            ok &= (mask & VLAN_PCP_MASK) == VLAN_PCP_MASK;
            m->dl_vlan_pcp = (uint8_t)(tci >> VLAN_PCP_SHIFT);
        }
    }
    return ok;
}

/* 1.0 can express only what the 1.0 match has; everything else makes
 * the result false. */
static bool
of10_unexpressible(const struct match *match)
{
    const struct flow *mk = &match->wc.masks;
    return (mk->pkt_mark || mk->metadata[0] || mk->metadata[1] ||
            !is_all(&mk->ipv6_src, sizeof mk->ipv6_src, 0) ||
            !is_all(&mk->ipv6_dst, sizeof mk->ipv6_dst, 0) || mk->ipv6_label ||
            mk->nw_frag || mk->nw_ttl ||
            !is_all(&mk->nd_target, sizeof mk->nd_target, 0) ||
            !is_all(&mk->arp_sha, sizeof mk->arp_sha, 0) ||
            !is_all(&mk->arp_tha, sizeof mk->arp_tha, 0) || mk->tcp_flags ||
            mk->mpls_lse[0] || (mk->nw_tos & IP_ECN_MASK) || mk->vlans[1].tci);
}

bool
ofp_match_encode_of10(const struct match *match, struct ofpbuf *b)
{
    const struct flow *f = &match->flow;
    const struct flow *mk = &match->wc.masks;
    struct ofp10_match m;
    uint32_t wc = 0;
    bool ok = !of10_unexpressible(match);
    uint16_t port = 0;
    int bits;

    memset(&m, 0, sizeof m);
    if (!mk->in_port) {
        wc |= OFPFW10_IN_PORT;
    } else {
        ok &= mk->in_port == UINT32_MAX && port_to_of10(f->in_port, &port);
        m.in_port = htons(port);
    }
    ok &= encode_of10_mac(&f->dl_src, &mk->dl_src, OFPFW10_DL_SRC, &m.dl_src,
                          &wc);
    ok &= encode_of10_mac(&f->dl_dst, &mk->dl_dst, OFPFW10_DL_DST, &m.dl_dst,
                          &wc);
    ok &= encode_of10_vlan(match, &m, &wc);
    if (mk->dl_type) {
        ok &= mk->dl_type == htons(0xffff);
        m.dl_type = f->dl_type;
    } else {
        wc |= OFPFW10_DL_TYPE;
    }
    if (mk->nw_tos & IP_DSCP_MASK) {
        m.nw_tos = f->nw_tos & IP_DSCP_MASK;
    } else {
        wc |= OFPFW10_NW_TOS;
    }
    if (mk->nw_proto) {
        m.nw_proto = f->nw_proto;
    } else {
        wc |= OFPFW10_NW_PROTO;
    }
    bits = of10_nw_bits(mk->nw_src);
    ok &= bits >= 0;
    wc |= (uint32_t)(bits < 0 ? 32 : bits) << OFPFW10_NW_SRC_SHIFT;
    m.nw_src = bits < 0 ? 0 : f->nw_src;
    bits = of10_nw_bits(mk->nw_dst);
    ok &= bits >= 0;
    wc |= (uint32_t)(bits < 0 ? 32 : bits) << OFPFW10_NW_DST_SHIFT;
    m.nw_dst = bits < 0 ? 0 : f->nw_dst;
    if (mk->tp_src) {
        ok &= mk->tp_src == htons(0xffff) || mk->tp_src == htons(0xff);
        m.tp_src = f->tp_src;
    } else {
        wc |= OFPFW10_TP_SRC;
    }
    if (mk->tp_dst) {
        ok &= mk->tp_dst == htons(0xffff) || mk->tp_dst == htons(0xff);
        m.tp_dst = f->tp_dst;
    } else {
        wc |= OFPFW10_TP_DST;
    }
    m.wildcards = htonl(wc);
    ofpbuf_put(b, &m, sizeof m);
    return ok;
}

/* OXM. */

#define OXM_HDR_LEN 4

enum ofperr
ofp_oxm_decode_one(struct ofp_reader *r, const struct mf_field **fieldp,
                   union mf_value *value, union mf_value *mask, bool *has_mask)
{
    uint32_t header;
    uint32_t experimenter = 0;
    struct ofp_reader save = *r;

    if (!ofp_reader_be32(r, &header)) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint16_t oxm_class = header >> 16;
    uint8_t field = (header >> 9) & 0x7f;
    bool hm = (header >> 8) & 1;
    size_t len = header & 0xff;

    if (len > r->size) {
        *r = save;
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (oxm_class == 0xffff) {
        if (len < 4 || !ofp_reader_be32(r, &experimenter)) {
            *r = save;
            return OFPERR_OFPBMC_BAD_LEN;
        }
        len -= 4;
    }
    const struct mf_field *mf = mf_from_oxm(oxm_class, field, experimenter);
    if (!mf) {
        *r = save;
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    if (len != (size_t)mf->n_bytes * (hm ? 2 : 1)) {
        *r = save;
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (hm && !mf->maskable) {
        *r = save;
        return OFPERR_OFPBMC_BAD_MASK;
    }
    memset(value, 0, sizeof *value);
    memcpy(value->bytes, ofp_reader_pull(r, mf->n_bytes), mf->n_bytes);
    if (mask) {
        memset(mask, 0, sizeof *mask);
        if (hm) {
            memcpy(mask->bytes, ofp_reader_pull(r, mf->n_bytes), mf->n_bytes);
        } else {
            mf_get_exact_mask(mf, mask);
        }
    } else if (hm) {
        ofp_reader_pull(r, mf->n_bytes);
    }
    if (has_mask) {
        *has_mask = hm;
    }
    *fieldp = mf_from_id(mf->id);
    return 0;
}

enum ofperr
ofp_oxms_decode(const void *oxms, size_t len, struct match *match)
{
    struct ofp_reader r;
    uint64_t seen = 0;

    BUILD_ASSERT(MFF_N_IDS <= 64);
    match_init_catchall(match);
    ofp_reader_init(&r, oxms, len);
    while (r.size > 0) {
        const struct mf_field *mf;
        union mf_value value, mask;
        bool has_mask;
        enum ofperr error;

        error = ofp_oxm_decode_one(&r, &mf, &value, &mask, &has_mask);
        if (error) {
            return error;
        }
        if (seen & (UINT64_C(1) << mf->id)) {
            return OFPERR_OFPBMC_DUP_FIELD;
        }
        seen |= UINT64_C(1) << mf->id;
        if (!mf_prereqs_ok(mf, match)) {
            return OFPERR_OFPBMC_BAD_PREREQ;
        }
        error = mf_set_match(mf, &value, has_mask ? &mask : NULL, match);
        if (error) {
            return error;
        }
    }
    return 0;
}

enum ofperr
ofp_match_decode_oxm(struct ofp_reader *r, struct match *match)
{
    struct ofp_reader save = *r;
    uint16_t type, length;

    if (!ofp_reader_be16(r, &type) || !ofp_reader_be16(r, &length)) {
        *r = save;
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (type != OFPMT_OXM) {
        *r = save;
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    size_t padded = ROUND_UP((size_t)length, 8);
    if (length < 4 || padded - 4 > r->size) {
        *r = save;
        return OFPERR_OFPBMC_BAD_LEN;
    }
    const void *oxms = ofp_reader_pull(r, length - 4);
    enum ofperr error = ofp_oxms_decode(oxms, length - 4u, match);
    if (error) {
        *r = save;
        return error;
    }
    ofp_reader_pull(r, padded - length);
    return 0;
}

void
ofp_oxm_encode_one(const struct mf_field *mf, const union mf_value *value,
                   const union mf_value *mask, enum ofp_version version,
                   struct ofpbuf *b)
{
    const struct mf_field *wire = mf_oxm_for_version(mf, version);
    bool hm = mask && !mf_is_mask_exact(mf, mask);
    size_t len = (size_t)mf->n_bytes * (hm ? 2 : 1);

    if (wire->oxm_class == 0xffff) {
        len += 4;
    }
    ofpbuf_put_be32(b, ((uint32_t)wire->oxm_class << 16) |
                           ((uint32_t)wire->oxm_field << 9) |
                           ((uint32_t)hm << 8) | (uint32_t)len);
    if (wire->oxm_class == 0xffff) {
        ofpbuf_put_be32(b, wire->experimenter);
    }
    ofpbuf_put(b, value->bytes, mf->n_bytes);
    if (hm) {
        ofpbuf_put(b, mask->bytes, mf->n_bytes);
    }
}

/* Appends field 'id' of 'match' if it is matched: exact, or masked where
 * the field allows masks. */
static void
put_field(const struct match *match, enum mf_field_id id,
          enum ofp_version version, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value value, mask;

    mf_get_mask(mf, &match->wc, &mask);
    if (mf_is_mask_zero(mf, &mask)) {
        return;
    }
    mf_get_value(mf, &match->flow, &value);
    ofp_oxm_encode_one(mf, &value, mf->maskable ? &mask : NULL, version, b);
}

static void
put_fields(const struct match *match, const enum mf_field_id *ids, size_t n,
           enum ofp_version version, struct ofpbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        put_field(match, ids[i], version, b);
    }
}

static void
put_vlan(const struct match *match, enum ofp_version version, struct ofpbuf *b)
{
    uint16_t vid =
        ntohs(match->flow.vlans[0].tci) & (VLAN_VID_MASK | VLAN_CFI);
    uint16_t mask = ntohs(match->wc.masks.vlans[0].tci);

    put_field(match, MFF_VLAN_VID, version, b);
    if (vid && (mask & VLAN_PCP_MASK)) {
        put_field(match, MFF_VLAN_PCP, version, b);
    }
}

static void
put_l4(const struct match *match, enum ofp_version version, struct ofpbuf *b)
{
    static const enum mf_field_id tcp[] = {MFF_TCP_SRC, MFF_TCP_DST,
                                           MFF_TCP_FLAGS};
    static const enum mf_field_id udp[] = {MFF_UDP_SRC, MFF_UDP_DST};
    static const enum mf_field_id sctp[] = {MFF_SCTP_SRC, MFF_SCTP_DST};
    static const enum mf_field_id icmp4[] = {MFF_ICMPV4_TYPE, MFF_ICMPV4_CODE};
    static const enum mf_field_id icmp6[] = {MFF_ICMPV6_TYPE, MFF_ICMPV6_CODE};
    const struct flow *f = &match->flow;

    switch (f->nw_proto) {
    case IPPROTO_TCP:
        put_fields(match, tcp, ARRAY_SIZE(tcp), version, b);
        break;
    case IPPROTO_UDP:
        put_fields(match, udp, ARRAY_SIZE(udp), version, b);
        break;
    case IPPROTO_SCTP:
        put_fields(match, sctp, ARRAY_SIZE(sctp), version, b);
        break;
    case IPPROTO_ICMP:
        if (f->dl_type == htons(ETH_TYPE_IP)) {
            put_fields(match, icmp4, ARRAY_SIZE(icmp4), version, b);
        }
        break;
    case IPPROTO_ICMPV6:
        if (f->dl_type != htons(ETH_TYPE_IPV6)) {
            break;
        }
        put_fields(match, icmp6, ARRAY_SIZE(icmp6), version, b);
        if (f->tp_dst == 0 && (f->tp_src == htons(ND_NEIGHBOR_SOLICIT) ||
                               f->tp_src == htons(ND_NEIGHBOR_ADVERT))) {
            put_field(match, MFF_ND_TARGET, version, b);
            put_field(match,
                      (f->tp_src == htons(ND_NEIGHBOR_SOLICIT) ? MFF_ND_SLL
                                                               : MFF_ND_TLL),
                      version, b);
        }
        break;
    }
}

static void
put_ip(const struct match *match, enum ofp_version version, struct ofpbuf *b)
{
    static const enum mf_field_id ip4[] = {MFF_IPV4_SRC, MFF_IPV4_DST};
    static const enum mf_field_id ip6[] = {MFF_IPV6_SRC, MFF_IPV6_DST};
    static const enum mf_field_id rest[] = {
        MFF_IP_FRAG, MFF_IP_DSCP, MFF_IP_ECN, MFF_IP_TTL, MFF_IPV6_LABEL};
    bool v4 = match->flow.dl_type == htons(ETH_TYPE_IP);

    put_fields(match, v4 ? ip4 : ip6, 2, version, b);
    put_fields(match, rest, ARRAY_SIZE(rest) - (v4 ? 1 : 0), version, b);
    if (match->wc.masks.nw_proto) {
        put_field(match, MFF_IP_PROTO, version, b);
        put_l4(match, version, b);
    }
}

/* Appends the OXMs of 'match' in Open vSwitch's order. */
static void
put_oxms(const struct match *match, enum ofp_version version, struct ofpbuf *b)
{
    static const enum mf_field_id l2[] = {MFF_IN_PORT, MFF_ETH_SRC,
                                          MFF_ETH_DST, MFF_ETH_TYPE};
    static const enum mf_field_id mpls[] = {MFF_MPLS_TC, MFF_MPLS_BOS,
                                            MFF_MPLS_LABEL};
    static const enum mf_field_id arp[] = {
        MFF_ARP_OP, MFF_ARP_SPA, MFF_ARP_TPA, MFF_ARP_SHA, MFF_ARP_THA};
    static const enum mf_field_id pbb[] = {MFF_PBB_ISID, MFF_PBB_UCA};
    static const enum mf_field_id tail[] = {
        MFF_TUN_ID, MFF_REG0, MFF_REG1, MFF_REG2,     MFF_REG3,    MFF_REG4,
        MFF_REG5,   MFF_REG6, MFF_REG7, MFF_PKT_MARK, MFF_METADATA};
    uint16_t dl_type = ntohs(match->flow.dl_type);

    put_fields(match, l2, ARRAY_SIZE(l2), version, b);
    put_vlan(match, version, b);
    if (dl_type == ETH_TYPE_MPLS || dl_type == ETH_TYPE_MPLS_MCAST) {
        put_fields(match, mpls, ARRAY_SIZE(mpls), version, b);
    } else if (dl_type == ETH_TYPE_PBB) {
        put_fields(match, pbb, ARRAY_SIZE(pbb), version, b);
    }
    if (dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6) {
        put_ip(match, version, b);
    } else if (dl_type == ETH_TYPE_ARP || dl_type == ETH_TYPE_RARP) {
        put_fields(match, arp, ARRAY_SIZE(arp), version, b);
    }
    put_fields(match, tail, ARRAY_SIZE(tail), version, b);
}

size_t
ofp_match_encode_oxm(const struct match *match, enum ofp_version version,
                     struct ofpbuf *b)
{
    size_t start = b->size;

    ofpbuf_put_be16(b, OFPMT_OXM);
    ofpbuf_put_be16(b, 0);
    put_oxms(match, version, b);

    size_t len = b->size - start;
    uint16_t be_len = htons((uint16_t)len);
    memcpy(ofpbuf_at(b, start + 2, 2), &be_len, 2);
    ofpbuf_put_zeros(b, ROUND_UP(len, 8) - len);
    return b->size - start;
}

size_t
ofp_oxms_encode(const struct match *match, enum ofp_version version,
                struct ofpbuf *b)
{
    size_t start = b->size;
    put_oxms(match, version, b);
    return b->size - start;
}

void
match_clear_unmet_prereqs(struct match *match)
{
    for (int i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = mf_from_id(i);
        if (mf->prereq == MFP_IN_PORT || mf->prereq == MFP_VLAN ||
            !mf_is_matched(mf, match) || mf_prereqs_ok(mf, match)) {
            continue;
        }
        /* Fields sharing storage (tp_src is TCP_SRC, UDP_SRC, ...) keep
         * it if any of them has its prerequisites. */
        struct match one = *match;
        mf_set_wild(mf, &one);
        bool keep = false;
        for (int j = 0; j < MFF_N_IDS && !keep; j++) {
            const struct mf_field *other = mf_from_id(j);
            keep =
                (other->prereq != MFP_IN_PORT && mf_is_matched(other, match) &&
                 !mf_is_matched(other, &one) && mf_prereqs_ok(other, match));
        }
        if (!keep) {
            *match = one;
        }
    }
}
