/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute: the loop that runs a validated datapath action list over a
 * batch of packets, and every action except field rewrites (which live in
 * dp-execute-set.c).  See dp-execute.h for the contract with callers and
 * dp-execute-private.h for the per-packet layout both files share.
 *
 * Order.  Actions run one at a time over the whole batch ("action-major"),
 * so each action is decoded once per batch.  A packet leaves the batch when
 * it is handed over (output, recirculation), dropped (no headroom for a
 * push) or when its TTL expires (it then runs the DEC_TTL nested list on
 * its own, which owns it from there on).
 *
 * Ownership.  Before running a list, the executor finds its last
 * "observing" action: one that sends, upcalls, recirculates or may run a
 * nested list.  Actions after it cannot be seen by anybody and are skipped.
 * If that action outputs or recirculates, it takes the packets themselves;
 * every earlier output or recirculation takes a clone.  Whatever is left
 * once the list is done is freed, so a list without any consuming action
 * (including the empty list, "drop") frees the batch.
 */
#include <config.h>

#include "datapath/dp-execute.h"

#include <arpa/inet.h>

#include "datapath/dp-execute-private.h"
#include "datapath/dp-meter.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_execute);

static struct vlog_rate_limit exec_rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct exec_ctx {
    const struct dp_execute_ops *ops;
    void *aux;
};

/* Runs action 'a' over the 'n' packets of 'pkts' (compacting the array and
 * updating *n for packets that leave).  'last' is true when 'a' is the last
 * observing action of its list, in which case consuming actions take the
 * packets rather than clones. */
typedef void exec_action_fn(const struct exec_ctx *ctx,
                            struct dp_exec_pkt *pkts, uint32_t *n,
                            const struct dp_action *a, bool last);

static void exec_list(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
                      uint32_t n, const void *acts, size_t len);

/* Layout. */

static bool
exec_is_ipv6_ext(uint8_t nxt)
{
    return (nxt == IPV6_EXT_HOPOPTS || nxt == IPV6_EXT_ROUTING ||
            nxt == IPV6_EXT_FRAGMENT || nxt == IPV6_EXT_AH ||
            nxt == IPV6_EXT_DSTOPTS);
}

/* Walks the IPv6 extension headers between the fixed header and ep's L4
 * offset to learn the L4 protocol, whether the packet is a fragment and
 * whether a routing header still has segments to visit.  Leaves ofs.l4
 * FLOW_OFS_NONE if the chain does not end exactly there. */
static void
exec_layout_ipv6__(struct dp_exec_pkt *ep)
{
    const uint8_t *ip6 = dp_exec_data(ep) + ep->ofs.l3;
    uint8_t nxt = ((const struct ipv6_header *)ip6)->ipv6_nxt;
    uint32_t pos = ep->ofs.l3 + IPV6_HEADER_LEN;

    while (pos < ep->ofs.l4 && exec_is_ipv6_ext(nxt)) {
        const uint8_t *h = dp_exec_at(ep, pos, 8);
        uint32_t hlen;

        if (!h) {
            break;
        }
        if (nxt == IPV6_EXT_FRAGMENT) {
            ep->flags |= DP_EXEC_FRAG;
            if (ntohs(dp_exec_get16(h + 2)) & IPV6_FRAG_OFF_MASK) {
                break; /* Later fragment: no L4 header here. */
            }
            hlen = 8;
        } else if (nxt == IPV6_EXT_AH) {
            hlen = (h[1] + 2u) * 4;
        } else {
            hlen = (h[1] + 1u) * 8;
            if (nxt == IPV6_EXT_ROUTING && h[3]) {
                ep->flags |= DP_EXEC_IPV6_RH;
            }
        }
        nxt = h[0];
        pos += hlen;
    }
    if (pos == ep->ofs.l4) {
        ep->l4_proto = nxt;
    } else {
        ep->ofs.l4 = FLOW_OFS_NONE;
    }
}

/* Works out the L3 type and L4 protocol behind ep->ofs from the bytes. */
static void
exec_layout_classify__(struct dp_exec_pkt *ep)
{
    struct flow_offsets *ofs = &ep->ofs;
    uint32_t size = dp_packet_size(ep->pkt);
    const uint8_t *l3;

    if (ofs->l2_5 != FLOW_OFS_NONE || ofs->l3 == FLOW_OFS_NONE ||
        ofs->l3 < ETH_HEADER_LEN || ofs->l3 > size) {
        /* MPLS hides what follows; otherwise there is no L3 header. */
        ofs->l3 = ofs->l4 = FLOW_OFS_NONE;
        return;
    }
    if (ofs->l4 != FLOW_OFS_NONE && (ofs->l4 <= ofs->l3 || ofs->l4 > size)) {
        ofs->l4 = FLOW_OFS_NONE;
    }
    if (ofs->l4 != FLOW_OFS_NONE) {
        ofs->l4_len = MIN(ofs->l4_len, size - ofs->l4);
    }

    l3 = dp_exec_data(ep) + ofs->l3;
    switch (ntohs(dp_exec_get16(l3 - 2))) {
    case ETH_TYPE_IP: {
        const struct ip_header *ip = (const void *)l3;
        uint16_t frag;

        if (!dp_exec_at(ep, ofs->l3, IP_HEADER_LEN) ||
            IP_VERSION(ip->ip_ihl_ver) != 4) {
            break;
        }
        ep->l3_type = ETH_TYPE_IP;
        frag = ntohs(ip->ip_frag_off);
        if (frag & (IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
            ep->flags |= DP_EXEC_FRAG;
        }
        if (frag & IP_FRAG_OFF_MASK) {
            ofs->l4 = FLOW_OFS_NONE;
        } else if (ofs->l4 != FLOW_OFS_NONE) {
            ep->l4_proto = ip->ip_proto;
        }
        return;
    }
    case ETH_TYPE_IPV6:
        if (!dp_exec_at(ep, ofs->l3, IPV6_HEADER_LEN) || (l3[0] >> 4) != 6) {
            break;
        }
        ep->l3_type = ETH_TYPE_IPV6;
        if (ofs->l4 != FLOW_OFS_NONE) {
            exec_layout_ipv6__(ep);
        }
        return;
    case ETH_TYPE_ARP:
    case ETH_TYPE_RARP: {
        const struct arp_eth_header *arp = (const void *)l3;

        if (dp_exec_at(ep, ofs->l3, ARP_ETH_HEADER_LEN) &&
            ntohs(arp->ar_hrd) == ARP_HTYPE_ETH &&
            ntohs(arp->ar_pro) == ETH_TYPE_IP && arp->ar_hln == ETH_ADDR_LEN &&
            arp->ar_pln == 4) {
            ep->l3_type = ntohs(dp_exec_get16(l3 - 2));
        }
        break;
    }
    default:
        break;
    }
    ofs->l4 = FLOW_OFS_NONE;
}

void
dp_execute_layout__(struct dp_exec_pkt *ep)
{
    struct dp_packet *p = ep->pkt;

    if (p->md.key_valid) {
        ep->ofs = p->md.ofs;
    } else {
        struct flow_key key;

        flow_extract(dp_packet_data(p), dp_packet_size(p), &p->md.md, &key,
                     &ep->ofs);
    }
    ep->flags = DP_EXEC_LAYOUT;
    ep->l3_type = 0;
    ep->l4_proto = 0;
    exec_layout_classify__(ep);
}

/* Moves every present offset of ep's layout by 'delta' bytes (a VLAN tag
 * pushed or popped in front of them), or forgets the layout if that is not
 * possible. */
static void
exec_layout_shift(struct dp_exec_pkt *ep, int delta)
{
    uint16_t *fields[] = {&ep->ofs.l2_5, &ep->ofs.l3, &ep->ofs.l4,
                          &ep->ofs.l3_end};

    if (!(ep->flags & DP_EXEC_LAYOUT)) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        int v = *fields[i];

        if (v == FLOW_OFS_NONE) {
            continue;
        }
        v += delta;
        if (v < ETH_HEADER_LEN || v >= FLOW_OFS_NONE) {
            ep->flags &= ~DP_EXEC_LAYOUT;
            return;
        }
        *fields[i] = v;
    }
}

/* Batch helpers. */

/* Frees the 'n' packets of 'pkts' in one bulk call. */
static void
exec_free_all(struct dp_exec_pkt *pkts, uint32_t n)
{
    struct dp_packet_batch b;

    dp_packet_batch_init(&b);
    for (uint32_t i = 0; i < n; i++) {
        dp_packet_batch_add(&b, pkts[i].pkt);
    }
    if (b.count) {
        dp_packet_batch_free(&b);
    }
}

/* Returns a copy of 'p' for an output or recirculation that must not take
 * 'p' itself, or NULL (logged) if the pool is exhausted. */
static struct dp_packet *
exec_clone(const struct dp_packet *p)
{
    struct dp_packet *c = dp_packet_clone(p);

    if (!c) {
        VLOG_WARN_RL(&exec_rl, "cannot clone packet for output: pool empty");
    }
    return c;
}

/* Actions. */

static void
exec_output(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t *n,
            const struct dp_action *a, bool last)
{
    const struct dpa_output *o = dp_action_payload(a);

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_packet *p = last ? pkts[i].pkt : exec_clone(pkts[i].pkt);

        if (p) {
            ctx->ops->output(ctx->aux, o->port, p);
        }
    }
    if (last) {
        *n = 0;
    }
}

static void
exec_userspace(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
               uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_userspace *ua = dp_action_payload(a);

    if (!ctx->ops->userspace) {
        return;
    }
    for (uint32_t i = 0; i < *n; i++) {
        ctx->ops->userspace(ctx->aux, pkts[i].pkt, ua);
    }
}

static void
exec_recirc(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t *n,
            const struct dp_action *a, bool last)
{
    const struct dpa_recirc *r = dp_action_payload(a);

    if (ctx->ops->recirc) {
        for (uint32_t i = 0; i < *n; i++) {
            struct dp_packet *p = last ? pkts[i].pkt : exec_clone(pkts[i].pkt);

            if (p) {
                /* The key includes recirc_id: it must be extracted again. */
                p->md.md.recirc_id = r->recirc_id;
                p->md.key_valid = false;
                ctx->ops->recirc(ctx->aux, p);
            }
        }
    } else if (last) {
        exec_free_all(pkts, *n);
    }
    if (last) {
        *n = 0;
    }
}

static void
exec_set_masked(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
                uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_set *s = dp_action_payload(a);
    uint32_t groups = dp_execute_set_groups__(s);

    if (!groups) {
        return;
    }
    for (uint32_t i = 0; i < *n; i++) {
        dp_execute_set_apply__(&pkts[i], s, groups);
    }
}

static bool
exec_is_vlan_tpid(tern_be16 type)
{
    return (type == htons(ETH_TYPE_VLAN_8021Q) ||
            type == htons(ETH_TYPE_VLAN_8021AD));
}

static bool
exec_is_mpls_type(tern_be16 type)
{
    return (type == htons(ETH_TYPE_MPLS) ||
            type == htons(ETH_TYPE_MPLS_MCAST));
}

/* Logs and frees a packet that could not take a pushed header. */
static void
exec_drop_no_headroom(struct dp_exec_pkt *ep, const char *what)
{
    VLOG_WARN_RL(&exec_rl, "dropping packet: no headroom to push %s", what);
    dp_packet_free(ep->pkt);
}

static void
exec_push_vlan(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
               uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_push_vlan *pv = dp_action_payload(a);
    tern_be16 tci = pv->tci & ~htons(VLAN_CFI);
    uint32_t kept = 0;

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        uint8_t *tag;

        if (dp_packet_size(ep->pkt) >= ETH_HEADER_LEN) {
            dp_exec_will_modify(ep);
            tag =
                dp_packet_push_at(ep->pkt, 2 * ETH_ADDR_LEN, VLAN_HEADER_LEN);
            if (!tag) {
                exec_drop_no_headroom(ep, "a VLAN tag");
                continue;
            }
            dp_exec_put16(tag, pv->tpid);
            dp_exec_put16(tag + 2, tci);
            exec_layout_shift(ep, VLAN_HEADER_LEN);
        }
        pkts[kept++] = *ep;
    }
    *n = kept;
}

static void
exec_pop_vlan(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
              uint32_t *n, const struct dp_action *a, bool last)
{
    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        const uint8_t *type = dp_exec_at(ep, 2 * ETH_ADDR_LEN, 2);

        if (type && exec_is_vlan_tpid(dp_exec_get16(type)) &&
            dp_packet_size(ep->pkt) >= ETH_HEADER_LEN + VLAN_HEADER_LEN) {
            dp_exec_will_modify(ep);
            if (dp_packet_pull_at(ep->pkt, 2 * ETH_ADDR_LEN,
                                  VLAN_HEADER_LEN)) {
                exec_layout_shift(ep, -VLAN_HEADER_LEN);
            }
        }
    }
}

/* Returns the offset of the Ethertype that follows ep's MAC addresses and
 * VLAN tags, or FLOW_OFS_NONE if the packet ends first. */
static uint16_t
exec_find_ethertype(const struct dp_exec_pkt *ep)
{
    const uint8_t *data = dp_exec_data(ep);
    uint32_t size = dp_packet_size(ep->pkt);
    uint32_t pos = 2 * ETH_ADDR_LEN;

    while (pos + 2 <= size && exec_is_vlan_tpid(dp_exec_get16(data + pos))) {
        pos += VLAN_HEADER_LEN;
    }
    return pos + 2 <= size ? pos : FLOW_OFS_NONE;
}

static void
exec_push_mpls(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
               uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_push_mpls *pm = dp_action_payload(a);
    uint32_t kept = 0;

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        uint16_t et = exec_find_ethertype(ep);
        uint8_t *lse;

        /* An 802.3 length field cannot announce an MPLS payload. */
        if (et != FLOW_OFS_NONE &&
            ntohs(dp_exec_get16(dp_exec_data(ep) + et)) >= ETH_TYPE_MIN) {
            /* On an MPLS packet 'et + 2' is the top of the stack, so the
             * new entry goes on top, as in Open vSwitch. */
            dp_exec_will_modify(ep);
            lse = dp_packet_push_at(ep->pkt, et + 2, MPLS_HLEN);
            if (!lse) {
                exec_drop_no_headroom(ep, "an MPLS label");
                continue;
            }
            dp_exec_put32(lse, pm->lse);
            dp_exec_put16(dp_exec_data(ep) + et, pm->ethertype);
            if (ep->flags & DP_EXEC_LAYOUT) {
                ep->ofs.l2_5 = et + 2;
                ep->ofs.l3 = ep->ofs.l4 = FLOW_OFS_NONE;
                ep->l3_type = 0;
                ep->l4_proto = 0;
                ep->flags = DP_EXEC_LAYOUT;
            }
        }
        pkts[kept++] = *ep;
    }
    *n = kept;
}

static void
exec_pop_mpls(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
              uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_pop_mpls *pm = dp_action_payload(a);

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        uint16_t et = exec_find_ethertype(ep);

        if (et == FLOW_OFS_NONE ||
            !exec_is_mpls_type(dp_exec_get16(dp_exec_data(ep) + et)) ||
            !dp_exec_at(ep, et + 2, MPLS_HLEN)) {
            continue;
        }
        dp_exec_will_modify(ep);
        if (dp_packet_pull_at(ep->pkt, et + 2, MPLS_HLEN)) {
            dp_exec_put16(dp_exec_data(ep) + et, pm->ethertype);
        }
        /* What follows may now be parseable: recompute when needed. */
        ep->flags &= ~DP_EXEC_LAYOUT;
    }
}

static void
exec_push_pbb(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
              uint32_t *n, const struct dp_action *a, bool last)
{
    const struct dpa_push_pbb *pp = dp_action_payload(a);
    uint32_t kept = 0;

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        uint8_t *hdr;

        if (dp_packet_size(ep->pkt) >= ETH_HEADER_LEN) {
            /* The new header goes behind the MAC addresses, which become
             * the backbone ones and are copied as the customer ones. */
            dp_exec_will_modify(ep);
            hdr = dp_packet_push_at(ep->pkt, 2 * ETH_ADDR_LEN,
                                    2 + PBB_ITAG_LEN + 2 * ETH_ADDR_LEN);
            if (!hdr) {
                exec_drop_no_headroom(ep, "a PBB header");
                continue;
            }
            dp_exec_put16(hdr, htons(ETH_TYPE_PBB));
            dp_exec_put32(hdr + 2, pp->itag);
            memcpy(hdr + 2 + PBB_ITAG_LEN, dp_exec_data(ep), 2 * ETH_ADDR_LEN);
            if (ep->flags & DP_EXEC_LAYOUT) {
                ep->ofs.l2_5 = 2 * ETH_ADDR_LEN + 2;
                ep->ofs.l3 = ep->ofs.l4 = FLOW_OFS_NONE;
                ep->ofs.l4_len = 0;
                ep->l3_type = 0;
                ep->l4_proto = 0;
                ep->flags = DP_EXEC_LAYOUT;
            }
        }
        pkts[kept++] = *ep;
    }
    *n = kept;
}

static void
exec_pop_pbb(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t *n,
             const struct dp_action *a, bool last)
{
    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt *ep = &pkts[i];
        uint16_t et = exec_find_ethertype(ep);
        size_t outer = (size_t)et + 2 + PBB_ITAG_LEN;

        /* The customer frame must have a whole Ethernet header. */
        if (et == FLOW_OFS_NONE ||
            dp_exec_get16(dp_exec_data(ep) + et) != htons(ETH_TYPE_PBB) ||
            !dp_exec_at(ep, outer, ETH_HEADER_LEN)) {
            continue;
        }
        dp_exec_will_modify(ep);
        dp_packet_pull_at(ep->pkt, 0, outer);
        /* The customer frame has not been parsed yet. */
        ep->flags &= ~DP_EXEC_LAYOUT;
    }
}

/* Decrements ep's IPv4 TTL or IPv6 hop limit.  Returns false, leaving the
 * packet alone, if it is already 1 or 0 (expired). */
static bool
exec_dec_ttl_one(struct dp_exec_pkt *ep)
{
    uint8_t *l3;

    dp_exec_need_layout(ep);
    if (ep->l3_type == ETH_TYPE_IP &&
        (l3 = dp_exec_at(ep, ep->ofs.l3, IP_HEADER_LEN))) {
        struct ip_header *ip = (struct ip_header *)l3;
        tern_be16 old = dp_exec_get16(l3 + 8); /* TTL and protocol. */

        if (ip->ip_ttl <= 1) {
            return false;
        }
        dp_exec_will_modify(ep);
        ip->ip_ttl--;
        ip->ip_csum = recalc_csum16(ip->ip_csum, old, dp_exec_get16(l3 + 8));
    } else if (ep->l3_type == ETH_TYPE_IPV6 &&
               (l3 = dp_exec_at(ep, ep->ofs.l3, IPV6_HEADER_LEN))) {
        struct ipv6_header *ip6 = (struct ipv6_header *)l3;

        if (ip6->ipv6_hlim <= 1) {
            return false;
        }
        dp_exec_will_modify(ep);
        ip6->ipv6_hlim--;
    }
    return true;
}

static void
exec_dec_ttl(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t *n,
             const struct dp_action *a, bool last)
{
    uint32_t kept = 0;

    for (uint32_t i = 0; i < *n; i++) {
        struct dp_exec_pkt ep = pkts[i];

        if (exec_dec_ttl_one(&ep)) {
            pkts[kept++] = ep;
        } else {
            /* Expired: the nested list takes the packet instead. */
            exec_list(ctx, &ep, 1, dp_action_payload(a),
                      dp_action_payload_len(a));
        }
    }
    *n = kept;
}

/* Raises the drop precedence (DSCP bits 1-2 of an AF class) of ep's IP
 * header by 'levels', up to 3, fixing the IPv4 header checksum. */
static void
exec_remark_dscp(struct dp_exec_pkt *ep, uint8_t levels)
{
    uint8_t *l3;
    uint8_t tos, dscp, prec;

    dp_exec_need_layout(ep);
    if (ep->ofs.l3 == FLOW_OFS_NONE ||
        (ep->l3_type != ETH_TYPE_IP && ep->l3_type != ETH_TYPE_IPV6)) {
        return;
    }
    if (dp_packet_size(ep->pkt) <
        ep->ofs.l3 + (ep->l3_type == ETH_TYPE_IP ? IP_HEADER_LEN : 40u)) {
        return;
    }
    l3 = (uint8_t *)dp_packet_data(ep->pkt) + ep->ofs.l3;
    tos = (ep->l3_type == ETH_TYPE_IP
               ? l3[1]
               : (uint8_t)((l3[0] & 0x0f) << 4 | l3[1] >> 4));
    dscp = tos >> 2;
    prec = MIN(((dscp >> 1) & 3) + levels, 3);
    dscp = (uint8_t)((dscp & ~0x6) | prec << 1);
    if ((dscp << 2 | (tos & 3)) == tos) {
        return;
    }
    dp_exec_will_modify(ep);
    if (ep->l3_type == ETH_TYPE_IP) {
        struct ip_header ip;
        uint16_t old_word = (uint16_t)(l3[0] << 8 | l3[1]), new_word;
        uint32_t sum;

        l3[1] = (uint8_t)(dscp << 2 | (tos & 3));
        new_word = (uint16_t)(l3[0] << 8 | l3[1]);
        /* RFC 1624: HC' = ~(~HC + ~m + m'). */
        memcpy(&ip, l3, sizeof ip);
        sum = (uint16_t)~ntohs(ip.ip_csum) + (uint16_t)~old_word + new_word;
        while (sum >> 16) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        ip.ip_csum = htons((uint16_t)~sum);
        memcpy(l3 + offsetof(struct ip_header, ip_csum), &ip.ip_csum, 2);
    } else {
        tos = (uint8_t)(dscp << 2 | (tos & 3));
        l3[0] = (uint8_t)((l3[0] & 0xf0) | tos >> 4);
        l3[1] = (uint8_t)((l3[1] & 0x0f) | (tos & 0x0f) << 4);
    }
}

static void
exec_meter(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t *n,
           const struct dp_action *a, bool last)
{
    const struct dpa_meter *m = dp_action_payload(a);
    struct dp_packet *batch[DP_PACKET_BATCH_SIZE];
    uint8_t verdicts[DP_PACKET_BATCH_SIZE];
    uint32_t kept = 0;

    if (!ctx->ops->meter || !*n) {
        return;
    }
    for (uint32_t i = 0; i < *n; i++) {
        batch[i] = pkts[i].pkt;
    }
    ctx->ops->meter(ctx->aux, m->meter_id, batch, *n, verdicts);
    for (uint32_t i = 0; i < *n; i++) {
        if (verdicts[i] == DP_METER_DROP) {
            dp_packet_free(pkts[i].pkt);
            continue;
        }
        if (verdicts[i] != DP_METER_PASS) {
            exec_remark_dscp(&pkts[i], verdicts[i]);
        }
        pkts[kept++] = pkts[i];
    }
    *n = kept;
}

static void
exec_copy_ttl(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts,
              uint32_t *n, const struct dp_action *a, bool last)
{
    for (uint32_t i = 0; i < *n; i++) {
        dp_execute_copy_ttl__(&pkts[i], a->type == DPA_COPY_TTL_IN);
    }
}

/* The actions, as data.  'observes' marks actions after which the packet
 * (or what happened to it) can still be seen outside the executor. */
static const struct exec_action_class {
    exec_action_fn *run;
    bool observes;
} exec_classes[DPA_N_TYPES] = {
    [DPA_OUTPUT] = {exec_output, true},
    [DPA_USERSPACE] = {exec_userspace, true},
    [DPA_SET_MASKED] = {exec_set_masked, false},
    [DPA_PUSH_VLAN] = {exec_push_vlan, false},
    [DPA_POP_VLAN] = {exec_pop_vlan, false},
    [DPA_PUSH_MPLS] = {exec_push_mpls, false},
    [DPA_POP_MPLS] = {exec_pop_mpls, false},
    [DPA_DEC_TTL] = {exec_dec_ttl, true},
    [DPA_RECIRC] = {exec_recirc, true},
    [DPA_METER] = {exec_meter, false},
    [DPA_PUSH_PBB] = {exec_push_pbb, false},
    [DPA_POP_PBB] = {exec_pop_pbb, false},
    [DPA_COPY_TTL_IN] = {exec_copy_ttl, false},
    [DPA_COPY_TTL_OUT] = {exec_copy_ttl, false},
};

static const struct exec_action_class *
exec_class(const struct dp_action *a)
{
    return a->type < DPA_N_TYPES && exec_classes[a->type].run
               ? &exec_classes[a->type]
               : NULL;
}

/* Returns the last observing action in [acts, acts + len), or NULL. */
static const struct dp_action *
exec_last_observer(const void *acts, size_t len)
{
    const struct dp_action *last = NULL;

    DP_ACTIONS_FOR_EACH(a, acts, len)
    {
        const struct exec_action_class *c = exec_class(a);

        if (c && c->observes) {
            last = a;
        }
    }
    return last;
}

/* Runs the list [acts, acts + len) over the 'n' packets of 'pkts', which it
 * takes: on return each was handed over or freed. */
static void
exec_list(const struct exec_ctx *ctx, struct dp_exec_pkt *pkts, uint32_t n,
          const void *acts, size_t len)
{
    /* The empty list (drop) may come as a null pointer: don't walk it. */
    const struct dp_action *last = len ? exec_last_observer(acts, len) : NULL;

    if (last) {
        DP_ACTIONS_FOR_EACH(a, acts, len)
        {
            const struct exec_action_class *c = exec_class(a);

            if (c) {
                c->run(ctx, pkts, &n, a, a == last);
            }
            if (a == last || !n) {
                break;
            }
        }
    }
    exec_free_all(pkts, n);
}

void
dp_execute_batch(const struct dp_execute_ops *ops, void *aux,
                 struct dp_packet_batch *batch, const void *acts, size_t len)
{
    struct exec_ctx ctx = {ops, aux};
    struct dp_exec_pkt pkts[DP_PACKET_BATCH_SIZE];
    uint32_t n = MIN(batch->count, DP_PACKET_BATCH_SIZE);

    for (uint32_t i = 0; i < n; i++) {
        dp_exec_pkt_init(&pkts[i], batch->packets[i]);
    }
    batch->count = 0;
    exec_list(&ctx, pkts, n, acts, len);
}

bool
dp_execute_set_masked(struct dp_packet *packet, const struct dpa_set *s)
{
    struct dp_exec_pkt ep;

    dp_exec_pkt_init(&ep, packet);
    return dp_execute_set_apply__(&ep, s, dp_execute_set_groups__(s));
}
