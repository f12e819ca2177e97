/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow-compose: builds a packet from a struct flow (see flow-compose.h).
 * Headers are appended front to back into the caller's buffer; length
 * fields and checksums are filled in once everything after them is known.
 * The result goes through flow_extract() back to the same packet fields.
 */
#include <config.h>

#include "lib/flow-compose.h"

#include <arpa/inet.h>

/* Append-only writer over the caller's buffer.  After an overflow every
 * put returns NULL and 'ok' stays false. */
struct fc_writer__ {
    uint8_t *buf;
    size_t len;
    size_t size;
    bool ok;
};

/* Reserves 'n' zeroed bytes and returns them, or NULL if they do not fit. */
static uint8_t *
fc_put__(struct fc_writer__ *w, size_t n)
{
    if (!w->ok || w->size - w->len < n) {
        w->ok = false;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    memset(p, 0, n);
    w->len += n;
    return p;
}

static void
fc_put_data__(struct fc_writer__ *w, const void *data, size_t n)
{
    uint8_t *p = fc_put__(w, n);
    if (p && n) {
        memcpy(p, data, n);
    }
}

static void
fc_set16__(struct fc_writer__ *w, size_t ofs, uint16_t host)
{
    tern_be16 v = htons(host);
    memcpy(w->buf + ofs, &v, 2);
}

/* One's complement partial sum of the IPv4 or IPv6 pseudo-header. */
static uint32_t
fc_pseudo_csum__(const struct flow *flow, bool ipv6, uint8_t proto,
                 size_t l4_len)
{
    uint32_t partial;

    if (ipv6) {
        partial = csum_continue(0, &flow->ipv6_src, 16);
        partial = csum_continue(partial, &flow->ipv6_dst, 16);
    } else {
        partial = csum_continue(0, &flow->nw_src, 4);
        partial = csum_continue(partial, &flow->nw_dst, 4);
    }
    return partial + proto + (uint32_t)(l4_len >> 16) +
           (uint32_t)(l4_len & 0xffff);
}

/* Writes the ND body (target and link-layer address options) after an
 * ICMPv6 header. */
static void
fc_put_nd__(struct fc_writer__ *w, const struct flow *flow)
{
    uint8_t *p = fc_put__(w, ND_MSG_LEN - ICMP_HEADER_LEN);
    if (!p) {
        return;
    }
    memcpy(p + 4, &flow->nd_target, 16);
    if (!eth_addr_is_zero(flow->arp_sha)) {
        p = fc_put__(w, 8);
        if (p) {
            p[0] = ND_OPT_SOURCE_LINKADDR;
            p[1] = 1;
            memcpy(p + 2, &flow->arp_sha, ETH_ADDR_LEN);
        }
    }
    if (!eth_addr_is_zero(flow->arp_tha)) {
        p = fc_put__(w, 8);
        if (p) {
            p[0] = ND_OPT_TARGET_LINKADDR;
            p[1] = 1;
            memcpy(p + 2, &flow->arp_tha, ETH_ADDR_LEN);
        }
    }
}

/* Writes the L4 header for flow->nw_proto and the payload, then its
 * checksum. */
static void
fc_put_l4__(struct fc_writer__ *w, const struct flow *flow, bool ipv6,
            const void *payload, size_t payload_len)
{
    uint8_t proto = flow->nw_proto;
    size_t l4 = w->len;
    size_t csum_ofs = SIZE_MAX;
    uint8_t *h;

    if (proto == IPPROTO_TCP && (h = fc_put__(w, TCP_HEADER_LEN))) {
        memcpy(h, &flow->tp_src, 2);
        memcpy(h + 2, &flow->tp_dst, 2);
        fc_set16__(w, l4 + 12, (5 << 12) | (ntohs(flow->tcp_flags) & 0xfff));
        fc_set16__(w, l4 + 14, 8192);
        csum_ofs = l4 + 16;
    } else if (proto == IPPROTO_UDP && (h = fc_put__(w, UDP_HEADER_LEN))) {
        memcpy(h, &flow->tp_src, 2);
        memcpy(h + 2, &flow->tp_dst, 2);
        csum_ofs = l4 + 6;
    } else if (proto == IPPROTO_SCTP && (h = fc_put__(w, SCTP_HEADER_LEN))) {
        memcpy(h, &flow->tp_src, 2);
        memcpy(h + 2, &flow->tp_dst, 2);
    } else if (proto == (ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP_) &&
               (h = fc_put__(w, ICMP_HEADER_LEN))) {
        h[0] = ntohs(flow->tp_src);
        h[1] = ntohs(flow->tp_dst);
        csum_ofs = l4 + 2;
        if (ipv6 && h[1] == 0 &&
            (h[0] == ND_NEIGHBOR_SOLICIT || h[0] == ND_NEIGHBOR_ADVERT)) {
            fc_put_nd__(w, flow);
            payload_len = 0;
        } else {
            fc_put__(w, 4); /* Identifier/sequence or unused word. */
        }
    }
    fc_put_data__(w, payload, payload_len);
    if (!w->ok) {
        return;
    }

    size_t l4_len = w->len - l4;
    if (proto == IPPROTO_UDP) {
        if (l4_len > 0xffff) {
            w->ok = false;
            return;
        }
        fc_set16__(w, l4 + 4, l4_len);
    }
    if (proto == IPPROTO_SCTP) {
        tern_be32 crc = crc32c(w->buf + l4, l4_len);
        memcpy(w->buf + l4 + 8, &crc, 4);
    } else if (csum_ofs != SIZE_MAX) {
        uint32_t partial = (proto == IPPROTO_ICMP_
                                ? 0
                                : fc_pseudo_csum__(flow, ipv6, proto, l4_len));
        tern_be16 sum =
            csum_finish(csum_continue(partial, w->buf + l4, l4_len));
        if (proto == IPPROTO_UDP && sum == 0) {
            sum = 0xffff; /* Zero means "no checksum" in UDP. */
        }
        memcpy(w->buf + csum_ofs, &sum, 2);
    }
}

/* Appends what follows the IP header (and any fragment header): for a
 * later fragment the raw payload, otherwise the L4 header and payload.
 * The bytes from offset 'start' to the end must fit a 16-bit IP length
 * field.  Returns false, with 'w' marked failed, if anything does not. */
static bool
fc_put_ip_payload__(struct fc_writer__ *w, const struct flow *flow, bool ipv6,
                    size_t start, const void *payload, size_t payload_len)
{
    if (flow->nw_frag & FLOW_NW_FRAG_LATER) {
        fc_put_data__(w, payload, payload_len);
    } else {
        fc_put_l4__(w, flow, ipv6, payload, payload_len);
    }
    if (!w->ok || w->len - start > 0xffff) {
        w->ok = false;
    }
    return w->ok;
}

static void
fc_put_ipv4__(struct fc_writer__ *w, const struct flow *flow,
              const void *payload, size_t payload_len)
{
    size_t l3 = w->len;
    struct ip_header ip;
    uint8_t *p = fc_put__(w, IP_HEADER_LEN);
    bool later = flow->nw_frag & FLOW_NW_FRAG_LATER;

    if (!p) {
        return;
    }
    if (!fc_put_ip_payload__(w, flow, false, l3, payload, payload_len)) {
        return;
    }

    memset(&ip, 0, sizeof ip);
    ip.ip_ihl_ver = 0x45;
    ip.ip_tos = flow->nw_tos;
    ip.ip_tot_len = htons(w->len - l3);
    if (later) {
        ip.ip_frag_off = htons(185); /* Offset 1480 bytes. */
    } else if (flow->nw_frag & FLOW_NW_FRAG_ANY) {
        ip.ip_frag_off = htons(IP_MORE_FRAGMENTS);
    }
    ip.ip_ttl = flow->nw_ttl;
    ip.ip_proto = flow->nw_proto;
    ip.ip_src = flow->nw_src;
    ip.ip_dst = flow->nw_dst;
    ip.ip_csum = csum(&ip, sizeof ip);
    memcpy(p, &ip, sizeof ip);
}

static void
fc_put_ipv6__(struct fc_writer__ *w, const struct flow *flow,
              const void *payload, size_t payload_len)
{
    size_t l3 = w->len;
    struct ipv6_header ip6;
    uint8_t *p = fc_put__(w, IPV6_HEADER_LEN);
    bool frag = flow->nw_frag & FLOW_NW_FRAG_MASK;
    bool later = flow->nw_frag & FLOW_NW_FRAG_LATER;

    if (!p) {
        return;
    }
    memset(&ip6, 0, sizeof ip6);
    ip6.ipv6_flow = htonl((6u << 28) | ((uint32_t)flow->nw_tos << 20) |
                          (ntohl(flow->ipv6_label) & IPV6_LABEL_MASK));
    ip6.ipv6_nxt = frag ? IPV6_EXT_FRAGMENT : flow->nw_proto;
    ip6.ipv6_hlim = flow->nw_ttl;
    memcpy(&ip6.ipv6_src, &flow->ipv6_src, 16);
    memcpy(&ip6.ipv6_dst, &flow->ipv6_dst, 16);

    if (frag) {
        struct ipv6_frag_header fh = {
            .nxt = flow->nw_proto,
            .off_flags = htons(later ? 185 << 3 : IPV6_FRAG_MORE),
            .id = htonl(1),
        };
        fc_put_data__(w, &fh, sizeof fh);
    }
    if (!fc_put_ip_payload__(w, flow, true, l3 + IPV6_HEADER_LEN, payload,
                             payload_len)) {
        return;
    }
    ip6.ipv6_plen = htons(w->len - l3 - IPV6_HEADER_LEN);
    memcpy(p, &ip6, sizeof ip6);
}

static void
fc_put_arp__(struct fc_writer__ *w, const struct flow *flow)
{
    struct arp_eth_header arp = {
        .ar_hrd = htons(ARP_HTYPE_ETH),
        .ar_pro = htons(ETH_TYPE_IP),
        .ar_hln = ETH_ADDR_LEN,
        .ar_pln = 4,
        .ar_op = htons(flow->nw_proto),
        .ar_sha = flow->arp_sha,
        .ar_spa = flow->nw_src,
        .ar_tha = flow->arp_tha,
        .ar_tpa = flow->nw_dst,
    };
    fc_put_data__(w, &arp, sizeof arp);
}

static void
fc_put_mpls__(struct fc_writer__ *w, const struct flow *flow)
{
    for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
        fc_put_data__(w, &flow->mpls_lse[i], MPLS_HLEN);
        if (flow->mpls_lse[i] & htonl(MPLS_BOS_MASK)) {
            break;
        }
    }
}

size_t
flow_compose(const struct flow *flow, const void *payload, size_t payload_len,
             uint8_t *buf, size_t size)
{
    struct fc_writer__ w = {.buf = buf, .len = 0, .size = size, .ok = true};
    uint8_t *eth = fc_put__(&w, ETH_HEADER_LEN);
    size_t type_ofs = 12;

    if (!eth) {
        return 0;
    }
    memcpy(eth, &flow->dl_dst, ETH_ADDR_LEN);
    memcpy(eth + ETH_ADDR_LEN, &flow->dl_src, ETH_ADDR_LEN);
    for (int i = 0; i < FLOW_MAX_VLAN_HEADERS; i++) {
        const struct flow_vlan *v = &flow->vlans[i];
        if (!(v->tci & htons(VLAN_CFI))) {
            break;
        }
        uint16_t tpid = v->tpid ? ntohs(v->tpid) : ETH_TYPE_VLAN_8021Q;
        uint8_t *tag = fc_put__(&w, VLAN_HEADER_LEN);
        if (!tag) {
            return 0;
        }
        fc_set16__(&w, type_ofs, tpid);
        fc_set16__(&w, tag - buf, ntohs(v->tci) & ~VLAN_CFI);
        type_ofs = tag - buf + 2;
    }

    uint16_t type = ntohs(flow->dl_type);
    if (type < ETH_TYPE_MIN) {
        static const uint8_t llc[3] = {0x42, 0x42, 0x03};
        fc_put_data__(&w, llc, sizeof llc);
        fc_put_data__(&w, payload, payload_len);
        size_t len8023 = w.len - type_ofs - 2;
        if (!w.ok || len8023 >= ETH_TYPE_MIN) {
            return 0;
        }
        fc_set16__(&w, type_ofs, len8023);
        return w.len;
    }

    fc_set16__(&w, type_ofs, type);
    if (type == ETH_TYPE_IP) {
        fc_put_ipv4__(&w, flow, payload, payload_len);
    } else if (type == ETH_TYPE_IPV6) {
        fc_put_ipv6__(&w, flow, payload, payload_len);
    } else {
        if (type == ETH_TYPE_ARP || type == ETH_TYPE_RARP) {
            fc_put_arp__(&w, flow);
        } else if (type == ETH_TYPE_MPLS || type == ETH_TYPE_MPLS_MCAST) {
            fc_put_mpls__(&w, flow);
        } else if (type == ETH_TYPE_PBB) {
            tern_be32 itag = (flow->pbb_isid & htonl(PBB_ISID_MASK)) |
                             (flow->pbb_uca ? htonl(PBB_UCA_MASK) : 0);
            fc_put_data__(&w, &itag, PBB_ITAG_LEN);
        }
        fc_put_data__(&w, payload, payload_len);
    }
    return w.ok ? w.len : 0;
}
