/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute-set: DPA_SET_MASKED, the rewrite of header fields under a
 * mask, for the action executor (dp-execute.c).
 *
 * The settable fields are grouped by the header they live in; the table
 * 'set_groups' lists, for each group, the struct flow fields that belong to
 * it and the function that rewrites them.  Which groups an action touches
 * (a non-zero mask on one of their fields) is worked out once per batch;
 * each packet then only runs the rewrites of those groups, and each rewrite
 * checks that the packet carries the header (a packet without it is left
 * alone) and that every byte it reads or writes is inside the packet.
 *
 * Checksums are updated incrementally (RFC 1624) for the IPv4 header, TCP,
 * UDP (a zero UDP checksum means "none" and stays zero), ICMP and ICMPv6;
 * SCTP's CRC32c is recomputed over the whole SCTP packet unless it is an IP
 * fragment (the CRC then covers data this packet does not have).
 */
#include <config.h>

#include <arpa/inet.h>

#include "datapath/dp-execute-private.h"

/* Masked updates: the bits of 'v' under 'm' replace those of 'old'. */
static inline uint8_t
mset8(uint8_t old, uint8_t v, uint8_t m)
{
    return (old & ~m) | (v & m);
}

static inline uint16_t
mset16(uint16_t old, uint16_t v, uint16_t m)
{
    return (old & ~m) | (v & m);
}

static inline uint32_t
mset32(uint32_t old, uint32_t v, uint32_t m)
{
    return (old & ~m) | (v & m);
}

static void
mset_bytes(uint8_t *dst, const uint8_t *v, const uint8_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = mset8(dst[i], v[i], m[i]);
    }
}

static bool
is_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

/* Returns 'csum' updated for the 'n' bytes (n even) at 'old' becoming those
 * at 'new_'; the bytes start at an even offset of the checksummed data. */
static tern_be16
csum_replace_bytes(tern_be16 csum, const uint8_t *old, const uint8_t *new_,
                   size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        csum = recalc_csum16(csum, dp_exec_get16(old + i),
                             dp_exec_get16(new_ + i));
    }
    return csum;
}

/* Stores 'new_csum' at 'p'.  With 'zero_means_none' (UDP, where zero says
 * "no checksum"), a computed zero is stored as its equivalent 0xffff. */
static void
csum_store_update(uint8_t *p, tern_be16 new_csum, bool zero_means_none)
{
    if (zero_means_none && !new_csum) {
        new_csum = htons(0xffff);
    }
    dp_exec_put16(p, new_csum);
}

/* Returns the location of ep's L4 checksum if it covers a pseudo-header
 * (TCP, UDP, ICMPv6), or NULL.  Sets *udp for UDP. */
static uint8_t *
l4_pseudo_csum(const struct dp_exec_pkt *ep, bool *udp)
{
    *udp = false;
    if (ep->ofs.l4 == FLOW_OFS_NONE) {
        return NULL;
    }
    switch (ep->l4_proto) {
    case IPPROTO_TCP:
        return dp_exec_at(ep, ep->ofs.l4 + 16, 2);
    case IPPROTO_UDP: {
        uint8_t *p = dp_exec_at(ep, ep->ofs.l4 + 6, 2);

        *udp = true;
        /* A zero UDP checksum was not computed: leave it so. */
        return p && dp_exec_get16(p) ? p : NULL;
    }
    case IPPROTO_ICMPV6:
        return (ep->l3_type == ETH_TYPE_IPV6
                    ? dp_exec_at(ep, ep->ofs.l4 + 2, 2)
                    : NULL);
    default:
        return NULL;
    }
}

/* Updates ep's L4 checksum for an IPv4 address change 'old' -> 'new_'. */
static void
l4_update_addr32(struct dp_exec_pkt *ep, tern_be32 old, tern_be32 new_)
{
    bool udp;
    uint8_t *c = l4_pseudo_csum(ep, &udp);

    if (c) {
        csum_store_update(c, recalc_csum32(dp_exec_get16(c), old, new_), udp);
    }
}

/* Updates ep's L4 checksum for an IPv6 address change. */
static void
l4_update_addr128(struct dp_exec_pkt *ep, const uint8_t *old,
                  const uint8_t *new_)
{
    bool udp;
    uint8_t *c = l4_pseudo_csum(ep, &udp);

    if (c) {
        csum_store_update(c, recalc_csum128(dp_exec_get16(c), old, new_), udp);
    }
}

/* Rewrites one group; returns nothing as absent headers are skipped. */
typedef void set_group_fn(struct dp_exec_pkt *ep, const struct flow *v,
                          const struct flow *m);

static void
set_meta(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    struct dp_packet *p = ep->pkt;

    dp_exec_will_modify(ep);
    p->md.md.pkt_mark = mset32(p->md.md.pkt_mark, v->pkt_mark, m->pkt_mark);
}

static void
set_eth(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *eth = dp_exec_at(ep, 0, ETH_HEADER_LEN);

    if (eth) {
        dp_exec_will_modify(ep);
        mset_bytes(eth, v->dl_dst.ea, m->dl_dst.ea, ETH_ADDR_LEN);
        mset_bytes(eth + ETH_ADDR_LEN, v->dl_src.ea, m->dl_src.ea,
                   ETH_ADDR_LEN);
    }
}

static void
set_vlan(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *tag = dp_exec_at(ep, 2 * ETH_ADDR_LEN, 2 + VLAN_HEADER_LEN);
    uint16_t mask = ntohs(m->vlans[0].tci) & (VLAN_PCP_MASK | VLAN_VID_MASK);
    tern_be16 tpid;

    if (!tag) {
        return;
    }
    tpid = dp_exec_get16(tag);
    if (tpid != htons(ETH_TYPE_VLAN_8021Q) &&
        tpid != htons(ETH_TYPE_VLAN_8021AD)) {
        return;
    }
    dp_exec_will_modify(ep);
    dp_exec_put16(tag + 2, htons(mset16(ntohs(dp_exec_get16(tag + 2)),
                                        ntohs(v->vlans[0].tci), mask)));
}

static void
set_mpls(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *lse;

    dp_exec_need_layout(ep);
    lse = dp_exec_at(ep, ep->ofs.l2_5, MPLS_HLEN);
    /* l2_5 is also where a PBB I-TAG starts: check the Ethertype. */
    if (lse && dp_exec_get16(lse - 2) != htons(ETH_TYPE_MPLS) &&
        dp_exec_get16(lse - 2) != htons(ETH_TYPE_MPLS_MCAST)) {
        lse = NULL;
    }
    if (lse) {
        dp_exec_will_modify(ep);
        dp_exec_put32(
            lse, mset32(dp_exec_get32(lse), v->mpls_lse[0], m->mpls_lse[0]));
    }
}

/* Rewrites the I-SID and UCA bit of a PBB I-TAG. */
static void
set_pbb(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint32_t val, mask;
    uint8_t *itag;

    dp_exec_need_layout(ep);
    itag = dp_exec_at(ep, ep->ofs.l2_5, PBB_ITAG_LEN);
    if (!itag || dp_exec_get16(itag - 2) != htons(ETH_TYPE_PBB)) {
        return;
    }
    val = (ntohl(v->pbb_isid) & PBB_ISID_MASK) |
          (v->pbb_uca & 1 ? PBB_UCA_MASK : 0);
    mask = (ntohl(m->pbb_isid) & PBB_ISID_MASK) |
           (m->pbb_uca & 1 ? PBB_UCA_MASK : 0);
    dp_exec_will_modify(ep);
    dp_exec_put32(itag, mset32(dp_exec_get32(itag), htonl(val), htonl(mask)));
}

/* Sets the byte at 'l3 + ofs' of an IPv4 header under 'mask', updating the
 * header checksum. */
static void
set_ipv4_byte(uint8_t *l3, size_t ofs, uint8_t v, uint8_t mask)
{
    struct ip_header *ip = (struct ip_header *)l3;
    uint8_t *word = l3 + (ofs & ~(size_t)1);
    tern_be16 old = dp_exec_get16(word);

    l3[ofs] = mset8(l3[ofs], v, mask);
    ip->ip_csum = recalc_csum16(ip->ip_csum, old, dp_exec_get16(word));
}

/* Sets the IPv4 address at 'l3 + ofs' under 'mask', updating the header
 * and L4 checksums. */
static void
set_ipv4_addr(struct dp_exec_pkt *ep, uint8_t *l3, size_t ofs, tern_be32 v,
              tern_be32 mask)
{
    struct ip_header *ip = (struct ip_header *)l3;
    tern_be32 old = dp_exec_get32(l3 + ofs);
    tern_be32 new_ = mset32(old, v, mask);

    if (new_ != old) {
        dp_exec_put32(l3 + ofs, new_);
        ip->ip_csum = recalc_csum32(ip->ip_csum, old, new_);
        l4_update_addr32(ep, old, new_);
    }
}

static void
set_ipv4(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *l3;

    dp_exec_need_layout(ep);
    if (ep->l3_type != ETH_TYPE_IP ||
        !(l3 = dp_exec_at(ep, ep->ofs.l3, IP_HEADER_LEN))) {
        return;
    }
    dp_exec_will_modify(ep);
    if (m->nw_src) {
        set_ipv4_addr(ep, l3, offsetof(struct ip_header, ip_src), v->nw_src,
                      m->nw_src);
    }
    if (m->nw_dst) {
        set_ipv4_addr(ep, l3, offsetof(struct ip_header, ip_dst), v->nw_dst,
                      m->nw_dst);
    }
    if (m->nw_tos) {
        set_ipv4_byte(l3, offsetof(struct ip_header, ip_tos), v->nw_tos,
                      m->nw_tos);
    }
    if (m->nw_ttl) {
        set_ipv4_byte(l3, offsetof(struct ip_header, ip_ttl), v->nw_ttl,
                      m->nw_ttl);
    }
}

/* Sets the IPv6 address at 'addr' under 'mask'; updates the L4 checksum
 * if 'l4_csum'. */
static void
set_ipv6_addr(struct dp_exec_pkt *ep, uint8_t *addr, const struct in6_addr *v,
              const struct in6_addr *mask, bool l4_csum)
{
    uint8_t new_[16];

    if (is_zero(mask, sizeof *mask)) {
        return;
    }
    memcpy(new_, addr, sizeof new_);
    mset_bytes(new_, v->s6_addr, mask->s6_addr, sizeof new_);
    if (l4_csum) {
        l4_update_addr128(ep, addr, new_);
    }
    memcpy(addr, new_, sizeof new_);
}

static void
set_ipv6(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    struct ipv6_header *ip6;
    uint8_t *l3;

    dp_exec_need_layout(ep);
    if (ep->l3_type != ETH_TYPE_IPV6 ||
        !(l3 = dp_exec_at(ep, ep->ofs.l3, IPV6_HEADER_LEN))) {
        return;
    }
    ip6 = (struct ipv6_header *)l3;
    dp_exec_will_modify(ep);
    set_ipv6_addr(ep, l3 + offsetof(struct ipv6_header, ipv6_src),
                  &v->ipv6_src, &m->ipv6_src, true);
    /* With segments left in a routing header, the pseudo-header holds the
     * final destination, not this one. */
    set_ipv6_addr(ep, l3 + offsetof(struct ipv6_header, ipv6_dst),
                  &v->ipv6_dst, &m->ipv6_dst, !(ep->flags & DP_EXEC_IPV6_RH));
    if (m->ipv6_label || m->nw_tos) {
        uint32_t fmask = ((ntohl(m->ipv6_label) & IPV6_LABEL_MASK) |
                          ((uint32_t)m->nw_tos << 20));
        uint32_t fval = ((ntohl(v->ipv6_label) & IPV6_LABEL_MASK) |
                         ((uint32_t)v->nw_tos << 20));
        uint32_t flow = ntohl(dp_exec_get32(l3));

        dp_exec_put32(l3, htonl(mset32(flow, fval, fmask)));
    }
    if (m->nw_ttl) {
        ip6->ipv6_hlim = mset8(ip6->ipv6_hlim, v->nw_ttl, m->nw_ttl);
    }
}

static void
set_arp(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    struct arp_eth_header *arp;
    uint8_t *l3;

    dp_exec_need_layout(ep);
    if ((ep->l3_type != ETH_TYPE_ARP && ep->l3_type != ETH_TYPE_RARP) ||
        !(l3 = dp_exec_at(ep, ep->ofs.l3, ARP_ETH_HEADER_LEN))) {
        return;
    }
    arp = (struct arp_eth_header *)l3;
    dp_exec_will_modify(ep);
    arp->ar_op = htons(mset16(ntohs(arp->ar_op), v->nw_proto, m->nw_proto));
    arp->ar_spa = mset32(arp->ar_spa, v->nw_src, m->nw_src);
    arp->ar_tpa = mset32(arp->ar_tpa, v->nw_dst, m->nw_dst);
    mset_bytes(l3 + offsetof(struct arp_eth_header, ar_sha), v->arp_sha.ea,
               m->arp_sha.ea, ETH_ADDR_LEN);
    mset_bytes(l3 + offsetof(struct arp_eth_header, ar_tha), v->arp_tha.ea,
               m->arp_tha.ea, ETH_ADDR_LEN);
}

/* Rewrites the link-layer address option of type 'opt_type' in the ND
 * message at 'icmp' ('len' bytes), updating the checksum. */
static void
set_nd_lladdr(uint8_t *icmp, size_t len, uint8_t opt_type,
              const struct eth_addr *v, const struct eth_addr *mask)
{
    size_t pos = ND_MSG_LEN;

    if (eth_addr_is_zero(*mask)) {
        return;
    }
    while (pos + 2 <= len) {
        size_t opt_len = icmp[pos + 1] * 8u;

        if (!opt_len || pos + opt_len > len) {
            return;
        }
        if (icmp[pos] == opt_type && opt_len == 8) {
            uint8_t *addr = icmp + pos + 2;
            uint8_t new_[ETH_ADDR_LEN];

            memcpy(new_, addr, sizeof new_);
            mset_bytes(new_, v->ea, mask->ea, sizeof new_);
            dp_exec_put16(icmp + 2,
                          csum_replace_bytes(dp_exec_get16(icmp + 2), addr,
                                             new_, sizeof new_));
            memcpy(addr, new_, sizeof new_);
            return;
        }
        pos += opt_len;
    }
}

static void
set_nd(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *icmp;
    size_t len;

    dp_exec_need_layout(ep);
    if (ep->l3_type != ETH_TYPE_IPV6 || ep->l4_proto != IPPROTO_ICMPV6 ||
        ep->ofs.l4_len < ND_MSG_LEN ||
        !(icmp = dp_exec_at(ep, ep->ofs.l4, ep->ofs.l4_len)) ||
        (icmp[0] != ND_NEIGHBOR_SOLICIT && icmp[0] != ND_NEIGHBOR_ADVERT) ||
        icmp[1] != 0) {
        return;
    }
    len = ep->ofs.l4_len;
    dp_exec_will_modify(ep);
    if (!is_zero(&m->nd_target, sizeof m->nd_target)) {
        uint8_t *target = icmp + 8;
        uint8_t new_[16];

        memcpy(new_, target, sizeof new_);
        mset_bytes(new_, v->nd_target.s6_addr, m->nd_target.s6_addr,
                   sizeof new_);
        dp_exec_put16(icmp + 2,
                      recalc_csum128(dp_exec_get16(icmp + 2), target, new_));
        memcpy(target, new_, sizeof new_);
    }
    if (icmp[0] == ND_NEIGHBOR_SOLICIT) {
        set_nd_lladdr(icmp, len, ND_OPT_SOURCE_LINKADDR, &v->arp_sha,
                      &m->arp_sha);
    } else {
        set_nd_lladdr(icmp, len, ND_OPT_TARGET_LINKADDR, &v->arp_tha,
                      &m->arp_tha);
    }
}

/* Sets the two 16-bit ports at 'l4' under the masks; returns the checksum
 * 'csum' updated for the change. */
static tern_be16
set_ports(uint8_t *l4, const struct flow *v, const struct flow *m,
          tern_be16 csum)
{
    tern_be16 src = dp_exec_get16(l4), dst = dp_exec_get16(l4 + 2);
    tern_be16 nsrc = mset16(src, v->tp_src, m->tp_src);
    tern_be16 ndst = mset16(dst, v->tp_dst, m->tp_dst);

    dp_exec_put16(l4, nsrc);
    dp_exec_put16(l4 + 2, ndst);
    csum = recalc_csum16(csum, src, nsrc);
    return recalc_csum16(csum, dst, ndst);
}

/* ICMP and ICMPv6: type and code travel in tp_src and tp_dst (network
 * order). */
static void
set_icmp(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint8_t *l4 = dp_exec_at(ep, ep->ofs.l4, ICMP_HEADER_LEN);
    tern_be16 old;

    if (!l4) {
        return;
    }
    dp_exec_will_modify(ep);
    old = dp_exec_get16(l4);
    l4[0] = mset8(l4[0], ntohs(v->tp_src), ntohs(m->tp_src));
    l4[1] = mset8(l4[1], ntohs(v->tp_dst), ntohs(m->tp_dst));
    dp_exec_put16(
        l4 + 2, recalc_csum16(dp_exec_get16(l4 + 2), old, dp_exec_get16(l4)));
}

static void
set_l4(struct dp_exec_pkt *ep, const struct flow *v, const struct flow *m)
{
    uint16_t l4ofs;
    uint8_t *l4;

    dp_exec_need_layout(ep);
    l4ofs = ep->ofs.l4;
    switch (ep->l4_proto) {
    case IPPROTO_TCP:
        if ((l4 = dp_exec_at(ep, l4ofs, TCP_HEADER_LEN))) {
            dp_exec_will_modify(ep);
            dp_exec_put16(l4 + 16,
                          set_ports(l4, v, m, dp_exec_get16(l4 + 16)));
        }
        break;
    case IPPROTO_UDP:
        if ((l4 = dp_exec_at(ep, l4ofs, UDP_HEADER_LEN))) {
            tern_be16 c = dp_exec_get16(l4 + 6);

            dp_exec_will_modify(ep);
            c = set_ports(l4, v, m, c);
            if (dp_exec_get16(l4 + 6)) {
                csum_store_update(l4 + 6, c, true);
            }
        }
        break;
    case IPPROTO_SCTP:
        if ((l4 = dp_exec_at(ep, l4ofs, SCTP_HEADER_LEN))) {
            size_t len = ep->ofs.l4_len;

            dp_exec_will_modify(ep);
            set_ports(l4, v, m, 0);
            if (!(ep->flags & DP_EXEC_FRAG) && len >= SCTP_HEADER_LEN &&
                dp_exec_at(ep, l4ofs, len)) {
                dp_exec_put32(l4 + 8, 0);
                dp_exec_put32(l4 + 8, crc32c(l4, len));
            }
        }
        break;
    case IPPROTO_ICMP_:
        if (ep->l3_type == ETH_TYPE_IP) {
            set_icmp(ep, v, m);
        }
        break;
    case IPPROTO_ICMPV6:
        if (ep->l3_type == ETH_TYPE_IPV6) {
            set_icmp(ep, v, m);
        }
        break;
    default:
        break;
    }
}

/* The groups, as data: a group is touched when the mask has a bit set in
 * one of its fields. */
struct set_field {
    uint16_t ofs;
    uint16_t len; /* 0 ends the list. */
};

#define SET_FIELD(FIELD)                                                      \
    {                                                                         \
        offsetof(struct flow, FIELD), sizeof(((struct flow *)0)->FIELD)       \
    }

static const struct set_group {
    set_group_fn *apply;
    bool in_packet; /* Rewrites packet bytes (false: metadata only). */
    struct set_field fields[6];
} set_groups[] = {
    {set_meta, false, {SET_FIELD(pkt_mark)}},
    {set_eth, true, {SET_FIELD(dl_dst), SET_FIELD(dl_src)}},
    {set_vlan, true, {SET_FIELD(vlans[0].tci)}},
    {set_mpls, true, {SET_FIELD(mpls_lse[0])}},
    {set_pbb, true, {SET_FIELD(pbb_isid), SET_FIELD(pbb_uca)}},
    {set_ipv4,
     true,
     {SET_FIELD(nw_src), SET_FIELD(nw_dst), SET_FIELD(nw_tos),
      SET_FIELD(nw_ttl)}},
    {set_ipv6,
     true,
     {SET_FIELD(ipv6_src), SET_FIELD(ipv6_dst), SET_FIELD(ipv6_label),
      SET_FIELD(nw_tos), SET_FIELD(nw_ttl)}},
    {set_arp,
     true,
     {SET_FIELD(nw_src), SET_FIELD(nw_dst), SET_FIELD(nw_proto),
      SET_FIELD(arp_sha), SET_FIELD(arp_tha)}},
    /* ND before L4: a type change could otherwise hide the ND message. */
    {set_nd,
     true,
     {SET_FIELD(nd_target), SET_FIELD(arp_sha), SET_FIELD(arp_tha)}},
    {set_l4, true, {SET_FIELD(tp_src), SET_FIELD(tp_dst)}},
};
BUILD_ASSERT(ARRAY_SIZE(set_groups) <= 32);

uint32_t
dp_execute_set_groups__(const struct dpa_set *s)
{
    const uint8_t *mask = (const uint8_t *)&s->mask;
    uint32_t groups = 0;

    for (size_t g = 0; g < ARRAY_SIZE(set_groups); g++) {
        for (const struct set_field *f = set_groups[g].fields; f->len; f++) {
            if (!is_zero(mask + f->ofs, f->len)) {
                groups |= 1u << g;
                break;
            }
        }
    }
    return groups;
}

bool
dp_execute_set_apply__(struct dp_exec_pkt *ep, const struct dpa_set *s,
                       uint32_t groups)
{
    bool ok = dp_packet_size(ep->pkt) >= ETH_HEADER_LEN;

    for (size_t g = 0; g < ARRAY_SIZE(set_groups); g++) {
        if ((groups & (1u << g)) && (ok || !set_groups[g].in_packet)) {
            set_groups[g].apply(ep, &s->value, &s->mask);
        }
    }
    return ok;
}
