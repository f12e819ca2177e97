/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packet-builder: raw frame construction for tests (see packet-builder.h).
 */
#include <config.h>

#include "tests/unit/packet-builder.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "lib/flow-compose.h"

void
pb_init(struct pb *pb)
{
    pb->len = 0;
    pb->n_layers = 0;
}

size_t
pb_put(struct pb *pb, const void *data, size_t n)
{
    size_t ofs = pb->len;

    if (PB_MAX_LEN - pb->len < n) {
        tern_fatal("packet builder: %zu bytes do not fit", n);
    }
    if (n) {
        if (data) {
            memcpy(pb->data + ofs, data, n);
        } else {
            memset(pb->data + ofs, 0, n);
        }
    }
    pb->len += n;
    return ofs;
}

size_t
pb_put_zeros(struct pb *pb, size_t n)
{
    return pb_put(pb, NULL, n);
}

size_t
pb_put_u8(struct pb *pb, uint8_t v)
{
    return pb_put(pb, &v, 1);
}

size_t
pb_put_be16(struct pb *pb, uint16_t host)
{
    tern_be16 v = htons(host);
    return pb_put(pb, &v, 2);
}

size_t
pb_put_be32(struct pb *pb, uint32_t host)
{
    tern_be32 v = htonl(host);
    return pb_put(pb, &v, 4);
}

struct eth_addr
pb_mac(const char *s)
{
    struct eth_addr ea;
    if (!eth_addr_from_string(s, &ea)) {
        tern_fatal("packet builder: bad MAC %s", s);
    }
    return ea;
}

tern_be32
pb_ip4(const char *s)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1) {
        tern_fatal("packet builder: bad IPv4 address %s", s);
    }
    return a.s_addr;
}

struct in6_addr
pb_ip6(const char *s)
{
    struct in6_addr a;
    if (inet_pton(AF_INET6, s, &a) != 1) {
        tern_fatal("packet builder: bad IPv6 address %s", s);
    }
    return a;
}

static void
pb_layer__(struct pb *pb, enum pb_layer_type type, size_t ofs)
{
    if (pb->n_layers >= PB_MAX_LAYERS) {
        tern_fatal("packet builder: too many layers");
    }
    pb->layers[pb->n_layers].type = type;
    pb->layers[pb->n_layers].ofs = ofs;
    pb->n_layers++;
}

size_t
pb_eth(struct pb *pb, const char *dst, const char *src, uint16_t type)
{
    struct eth_addr d = pb_mac(dst), s = pb_mac(src);
    size_t ofs = pb_put(pb, &d, ETH_ADDR_LEN);

    pb_put(pb, &s, ETH_ADDR_LEN);
    pb_put_be16(pb, type);
    return ofs;
}

size_t
pb_vlan(struct pb *pb, uint16_t tci, uint16_t next_type)
{
    size_t ofs = pb_put_be16(pb, tci);
    pb_put_be16(pb, next_type);
    return ofs;
}

size_t
pb_snap(struct pb *pb, uint16_t type)
{
    static const uint8_t snap[6] = {0xaa, 0xaa, 0x03, 0, 0, 0};
    size_t ofs = pb_put(pb, snap, sizeof snap);
    pb_put_be16(pb, type);
    return ofs;
}

size_t
pb_mpls(struct pb *pb, uint32_t label, uint8_t tc, bool bos, uint8_t ttl)
{
    return pb_put_be32(pb, (label << MPLS_LABEL_SHIFT) |
                               ((uint32_t)(tc & 7) << MPLS_TC_SHIFT) |
                               ((uint32_t)bos << MPLS_BOS_SHIFT) | ttl);
}

size_t
pb_arp(struct pb *pb, uint16_t op, const char *sha, const char *spa,
       const char *tha, const char *tpa)
{
    struct arp_eth_header arp = {
        .ar_hrd = htons(ARP_HTYPE_ETH),
        .ar_pro = htons(ETH_TYPE_IP),
        .ar_hln = ETH_ADDR_LEN,
        .ar_pln = 4,
        .ar_op = htons(op),
        .ar_sha = pb_mac(sha),
        .ar_spa = pb_ip4(spa),
        .ar_tha = pb_mac(tha),
        .ar_tpa = pb_ip4(tpa),
    };
    return pb_put(pb, &arp, sizeof arp);
}

size_t
pb_ipv4_full(struct pb *pb, const char *src, const char *dst, uint8_t proto,
             uint8_t ttl, uint8_t tos, uint16_t frag_off, const void *options,
             size_t opt_len)
{
    struct ip_header ip = {
        .ip_ihl_ver = 0x40 | ((IP_HEADER_LEN + opt_len) / 4),
        .ip_tos = tos,
        .ip_frag_off = htons(frag_off),
        .ip_ttl = ttl,
        .ip_proto = proto,
        .ip_src = pb_ip4(src),
        .ip_dst = pb_ip4(dst),
    };
    if (opt_len % 4 || opt_len > 40) {
        tern_fatal("packet builder: bad IPv4 option length %zu", opt_len);
    }
    size_t ofs = pb_put(pb, &ip, sizeof ip);
    pb_put(pb, options, opt_len);
    pb_layer__(pb, PB_IPV4, ofs);
    return ofs;
}

size_t
pb_ipv4(struct pb *pb, const char *src, const char *dst, uint8_t proto,
        uint8_t ttl)
{
    return pb_ipv4_full(pb, src, dst, proto, ttl, 0, 0, NULL, 0);
}

size_t
pb_ipv6(struct pb *pb, const char *src, const char *dst, uint8_t nxt,
        uint8_t hlim, uint8_t tclass, uint32_t label)
{
    struct ipv6_header ip6 = {
        .ipv6_flow = htonl((6u << 28) | ((uint32_t)tclass << 20) |
                           (label & IPV6_LABEL_MASK)),
        .ipv6_nxt = nxt,
        .ipv6_hlim = hlim,
        .ipv6_src = pb_ip6(src),
        .ipv6_dst = pb_ip6(dst),
    };
    size_t ofs = pb_put(pb, &ip6, sizeof ip6);
    pb_layer__(pb, PB_IPV6, ofs);
    return ofs;
}

/* Appends an IPv6 extension header of 'len' bytes: 'nxt', the encoded
 * length 'len_field', then zeros. */
static size_t
pb_ipv6_ext__(struct pb *pb, uint8_t nxt, size_t len, uint8_t len_field)
{
    size_t ofs = pb_put_u8(pb, nxt);
    pb_put_u8(pb, len_field);
    pb_put_zeros(pb, len - 2);
    return ofs;
}

size_t
pb_ipv6_opts(struct pb *pb, uint8_t nxt, size_t len)
{
    if (len < 8 || len % 8 || len > 2048) {
        tern_fatal("packet builder: bad IPv6 option header length");
    }
    return pb_ipv6_ext__(pb, nxt, len, len / 8 - 1);
}

size_t
pb_ipv6_ah(struct pb *pb, uint8_t nxt, size_t len)
{
    if (len < 12 || len % 4 || len > 1028) {
        tern_fatal("packet builder: bad AH length");
    }
    return pb_ipv6_ext__(pb, nxt, len, len / 4 - 2);
}

size_t
pb_ipv6_frag(struct pb *pb, uint8_t nxt, uint16_t offset, bool more)
{
    size_t ofs = pb_put_u8(pb, nxt);
    pb_put_u8(pb, 0);
    pb_put_be16(pb, (uint16_t)(offset << 3) | (more ? IPV6_FRAG_MORE : 0));
    pb_put_be32(pb, 0x12345678);
    return ofs;
}

size_t
pb_tcp(struct pb *pb, uint16_t src, uint16_t dst, uint16_t flags)
{
    size_t ofs = pb_put_be16(pb, src);
    pb_put_be16(pb, dst);
    pb_put_be32(pb, 1000);                       /* seq */
    pb_put_be32(pb, flags & TCP_ACK ? 2000 : 0); /* ack */
    pb_put_be16(pb, (5 << 12) | (flags & TCP_FLAGS_MASK));
    pb_put_be16(pb, 65535); /* window */
    pb_put_zeros(pb, 4);    /* checksum, urgent pointer */
    pb_layer__(pb, PB_TCP, ofs);
    return ofs;
}

size_t
pb_udp(struct pb *pb, uint16_t src, uint16_t dst)
{
    size_t ofs = pb_put_be16(pb, src);
    pb_put_be16(pb, dst);
    pb_put_zeros(pb, 4);
    pb_layer__(pb, PB_UDP, ofs);
    return ofs;
}

size_t
pb_sctp(struct pb *pb, uint16_t src, uint16_t dst)
{
    size_t ofs = pb_put_be16(pb, src);
    pb_put_be16(pb, dst);
    pb_put_be32(pb, 0xcafe);
    pb_put_zeros(pb, 4);
    pb_layer__(pb, PB_SCTP, ofs);
    return ofs;
}

static size_t
pb_icmp__(struct pb *pb, enum pb_layer_type lt, uint8_t type, uint8_t code)
{
    size_t ofs = pb_put_u8(pb, type);
    pb_put_u8(pb, code);
    pb_put_zeros(pb, 6);
    pb_layer__(pb, lt, ofs);
    return ofs;
}

size_t
pb_icmp(struct pb *pb, uint8_t type, uint8_t code)
{
    return pb_icmp__(pb, PB_ICMP, type, code);
}

size_t
pb_icmp6(struct pb *pb, uint8_t type, uint8_t code)
{
    return pb_icmp__(pb, PB_ICMP6, type, code);
}

size_t
pb_nd(struct pb *pb, uint8_t type, const char *target, const char *sll,
      const char *tll)
{
    size_t ofs = pb_icmp6(pb, type, 0);
    struct in6_addr t = pb_ip6(target);

    pb_put(pb, &t, sizeof t);
    if (sll) {
        struct eth_addr ea = pb_mac(sll);
        pb_put_u8(pb, ND_OPT_SOURCE_LINKADDR);
        pb_put_u8(pb, 1);
        pb_put(pb, &ea, sizeof ea);
    }
    if (tll) {
        struct eth_addr ea = pb_mac(tll);
        pb_put_u8(pb, ND_OPT_TARGET_LINKADDR);
        pb_put_u8(pb, 1);
        pb_put(pb, &ea, sizeof ea);
    }
    return ofs;
}

/* Checksum of the L4 segment at 'ofs' under the IP header at 'ip'. */
static void
pb_l4_csum__(struct pb *pb, enum pb_layer_type type, size_t ofs, size_t ip,
             bool ipv6)
{
    uint8_t *l4 = pb->data + ofs;
    size_t len = pb->len - ofs;
    size_t csum_at = type == PB_TCP ? 16 : type == PB_UDP ? 6 : 2;
    uint8_t proto = type == PB_TCP    ? IPPROTO_TCP
                    : type == PB_UDP  ? IPPROTO_UDP
                    : type == PB_ICMP ? IPPROTO_ICMP_
                                      : IPPROTO_ICMPV6;
    uint32_t partial = 0;

    if (type == PB_SCTP) {
        memset(l4 + 8, 0, 4);
        tern_be32 crc = crc32c(l4, len);
        memcpy(l4 + 8, &crc, 4);
        return;
    }
    memset(l4 + csum_at, 0, 2);
    if (type != PB_ICMP) {
        if (ipv6) {
            partial = csum_continue(0, pb->data + ip + 8, 32);
        } else {
            partial = csum_continue(0, pb->data + ip + 12, 8);
        }
        partial += proto + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
    }
    tern_be16 sum = csum_finish(csum_continue(partial, l4, len));
    if (type == PB_UDP && sum == 0) {
        sum = 0xffff;
    }
    memcpy(l4 + csum_at, &sum, 2);
}

void
pb_finish(struct pb *pb)
{
    /* Innermost first, so outer checksums cover finished inner headers. */
    for (size_t i = pb->n_layers; i-- > 0;) {
        enum pb_layer_type type = pb->layers[i].type;
        size_t ofs = pb->layers[i].ofs;
        size_t len = pb->len - ofs;

        if (type == PB_IPV4) {
            size_t hlen = IP_IHL(pb->data[ofs]) * 4;
            pb_set16(pb, ofs + 2, len);
            memset(pb->data + ofs + 10, 0, 2);
            tern_be16 sum = csum(pb->data + ofs, hlen);
            memcpy(pb->data + ofs + 10, &sum, 2);
        } else if (type == PB_IPV6) {
            pb_set16(pb, ofs + 4, len - IPV6_HEADER_LEN);
        } else {
            size_t j = i;
            while (j > 0 && pb->layers[j - 1].type != PB_IPV4 &&
                   pb->layers[j - 1].type != PB_IPV6) {
                j--;
            }
            if (j == 0) {
                tern_fatal("packet builder: L4 header without IP");
            }
            if (type == PB_UDP) {
                pb_set16(pb, ofs + 4, len);
            }
            pb_l4_csum__(pb, type, ofs, pb->layers[j - 1].ofs,
                         pb->layers[j - 1].type == PB_IPV6);
        }
    }
}

void
pb_set8(struct pb *pb, size_t ofs, uint8_t v)
{
    if (ofs >= pb->len) {
        tern_fatal("packet builder: offset %zu out of range", ofs);
    }
    pb->data[ofs] = v;
}

void
pb_set16(struct pb *pb, size_t ofs, uint16_t host)
{
    pb_set8(pb, ofs, host >> 8);
    pb_set8(pb, ofs + 1, host & 0xff);
}

void
pb_truncate(struct pb *pb, size_t len)
{
    if (len < pb->len) {
        pb->len = len;
    }
}

struct pb *
pb_sample_tcp4(struct pb *pb)
{
    pb_init(pb);
    pb_eth(pb, PB_SAMPLE_MAC2, PB_SAMPLE_MAC1, ETH_TYPE_IP);
    pb_ipv4_full(pb, "10.0.0.1", "10.0.0.2", IPPROTO_TCP, 64, 0xb9, 0, NULL,
                 0);
    pb_tcp(pb, 1234, 80, TCP_SYN | TCP_ACK);
    pb_put(pb, "0123456789", 10);
    pb_finish(pb);
    return pb;
}

struct pb *
pb_sample_udp6(struct pb *pb)
{
    pb_init(pb);
    pb_eth(pb, PB_SAMPLE_MAC2, PB_SAMPLE_MAC1, ETH_TYPE_IPV6);
    pb_ipv6(pb, "2001:db8::1", "2001:db8::2", IPPROTO_UDP, 63, 0x2e, 0x12345);
    pb_udp(pb, 5000, 53);
    pb_put(pb, "abcdef", 6);
    pb_finish(pb);
    return pb;
}

void
pb_compose(struct pb *pb, const struct flow *flow, const void *payload,
           size_t payload_len)
{
    pb_init(pb);
    pb->len = flow_compose(flow, payload, payload_len, pb->data, PB_MAX_LEN);
    if (!pb->len) {
        tern_fatal("packet builder: flow_compose failed");
    }
}

void
pb_extract(const void *data, size_t len, const struct flow_md *md,
           struct flow_key *key, struct flow_offsets *ofs)
{
    void *copy = xmemdup(data, len);
    flow_extract(copy, len, md, key, ofs);
    free(copy);
}
