/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for datapath/dp-execute, part two: masked set actions on every
 * header group, the checksums they must keep right (recomputed here from
 * scratch), and malformed, truncated or hostile-offset packets that no
 * action may write past.  The fixtures (fake callbacks, a leak check in the
 * teardown, packet builders) are shared with test-dp-execute.c through
 * dp-execute-fixture.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "tests/unit/dp-execute-fixture.h"

/* Packets only these tests use. */

/* Ethernet, one 802.1Q tag with 'tci', IPv4/UDP. */
static void
pb_tagged_udp(struct pb *pb, uint16_t tci)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, tci, ETH_TYPE_IP);
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

/* IPv4/TCP with TOS 'tos' and TTL 'ttl'. */
static void
pb_tos_ttl(struct pb *pb, uint8_t tos, uint8_t ttl)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4_full(pb, "10.0.0.1", "10.0.0.2", IPPROTO_TCP, ttl, tos, 0, NULL,
                 0);
    pb_tcp(pb, 1, 2, TCP_SYN);
    pb_finish(pb);
}

/* IPv6/UDP with the given traffic class, flow label and hop limit. */
static void
pb_ipv6_flow(struct pb *pb, uint8_t tclass, uint32_t label, uint8_t hlim)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IPV6);
    pb_ipv6(pb, "::1", "::2", IPPROTO_UDP, hlim, tclass, label);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

/* IPv4/SCTP from port 'sport' to 6000 with a chunk's worth of data. */
static void
pb_sctp_pkt(struct pb *pb, uint16_t sport)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_SCTP, 64);
    pb_sctp(pb, sport, 6000);
    pb_put(pb, "chunk data here.", 16);
    pb_finish(pb);
}

/* IPv4/ICMP with 'type' and 'code'. */
static void
pb_icmp_pkt(struct pb *pb, uint8_t type, uint8_t code)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP_, 64);
    pb_icmp(pb, type, code);
    pb_put(pb, "ping", 4);
    pb_finish(pb);
}

/* Masked sets. */

/* Runs [set(v/m), output:1] on 'p', which the executor takes, and returns
 * the output (the same packet, now recorded in 'dpx_rec'). */
static struct dp_packet *
run_set_on(struct dp_packet *p, const struct flow *v, const struct flow *m)
{
    struct dp_actions_buf b;

    dp_actions_buf_init(&b);
    dpx_put_set(&b, v, m);
    dpx_put_output(&b, 1);
    dpx_run1(&b, p);
    dp_actions_buf_uninit(&b);
    assert_int_equal(dpx_rec.n_out, 1);
    assert_ptr_equal(dpx_rec.out[0].p, p);
    return p;
}

/* Runs [set(v/m), output:1] on pb's packet (with or without a valid key in
 * the metadata) and returns the output. */
static struct dp_packet *
run_set(const struct pb *pb, bool key, const struct flow *v,
        const struct flow *m)
{
    return run_set_on(dpx_mkpkt(pb, key), v, m);
}

static void
test_set_eth_masked_bits(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    dpx_flows_zero(&v, &m);
    v.dl_src = pb_mac("0a:0b:0c:0d:0e:0f");
    m.dl_src = pb_mac("ff:ff:f0:00:00:00");
    v.dl_dst = pb_mac("ff:ff:ff:ff:ff:ff");
    m.dl_dst = pb_mac("00:00:00:00:00:0f");
    p = run_set(&pb, true, &v, &m);

    expect = pb;
    memcpy(expect.data, pb_mac("00:00:00:00:00:0f").ea, 6);
    memcpy(expect.data + 6, pb_mac("0a:0b:00:00:00:0a").ea, 6);
    dpx_assert_bytes(p, &expect);
    /* The key no longer describes the packet. */
    assert_false(p->md.key_valid);
}

static void
test_set_vlan_tci_vid_only(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_tagged_udp(&pb, (5 << VLAN_PCP_SHIFT) | 100);
    dpx_flows_zero(&v, &m);
    /* PCP 7 in the value but not under the mask; CFI is ignored. */
    v.vlans[0].tci = htons(VLAN_CFI | (7 << VLAN_PCP_SHIFT) | 200);
    m.vlans[0].tci = htons(VLAN_CFI | VLAN_VID_MASK);
    p = run_set(&pb, true, &v, &m);

    pb_tagged_udp(&expect, (5 << VLAN_PCP_SHIFT) | 200);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_mpls_top_lse(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_init(&pb);
    pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&pb, 100, 1, false, 64);
    pb_mpls(&pb, 200, 0, true, 64);
    pb_put_zeros(&pb, 20);
    dpx_flows_zero(&v, &m);
    v.mpls_lse[0] = htonl(300 << MPLS_LABEL_SHIFT | 7 << MPLS_TC_SHIFT);
    m.mpls_lse[0] = htonl(MPLS_LABEL_MASK);
    p = run_set(&pb, true, &v, &m);

    pb_init(&expect);
    pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&expect, 300, 1, false, 64);
    pb_mpls(&expect, 200, 0, true, 64);
    pb_put_zeros(&expect, 20);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_ipv4_addrs_tcp(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1000, 80);
    dpx_flows_zero(&v, &m);
    v.nw_src = pb_ip4("192.168.1.1");
    m.nw_src = htonl(0xffffffff);
    v.nw_dst = pb_ip4("172.16.99.99");
    m.nw_dst = htonl(0xffff0000); /* Only the /16 changes. */
    p = run_set(&pb, true, &v, &m);

    dpx_ipv4_tcp(&expect, "192.168.1.1", "172.16.0.2", 64, 1000, 80);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_ipv4_udp_checksums(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_flows_zero(&v, &m);
    v.nw_dst = pb_ip4("8.8.8.8");
    m.nw_dst = htonl(0xffffffff);

    /* A computed UDP checksum follows the address. */
    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 5000, 53);
    p = run_set(&pb, false, &v, &m);
    dpx_ipv4_udp(&expect, "10.0.0.1", "8.8.8.8", 5000, 53);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
    dpx_rec_release();

    /* A zero UDP checksum ("none") stays zero. */
    pb_set16(&pb, ETH_HEADER_LEN + IP_HEADER_LEN + 6, 0);
    p = run_set(&pb, true, &v, &m);
    pb_set16(&expect, ETH_HEADER_LEN + IP_HEADER_LEN + 6, 0);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_ipv4_tos_ttl_masked(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_tos_ttl(&pb, 0x01, 64);
    dpx_flows_zero(&v, &m);
    v.nw_tos = 0xb8 | 0x02; /* DSCP EF; the ECN bits are not masked. */
    m.nw_tos = IP_DSCP_MASK;
    v.nw_ttl = 9;
    m.nw_ttl = 0xff;
    p = run_set(&pb, true, &v, &m);

    pb_tos_ttl(&expect, 0xb9, 9);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_ipv6_addrs_l4_checksums(void **state)
{
    static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6};
    struct flow v, m;

    dpx_flows_zero(&v, &m);
    v.ipv6_src = pb_ip6("2001:db8::99");
    memset(&m.ipv6_src, 0xff, sizeof m.ipv6_src);
    v.ipv6_dst = pb_ip6("fe80::1:2:3:4");
    memset(&m.ipv6_dst.s6_addr[8], 0xff, 8); /* Interface id only. */
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        struct pb pb, expect;
        struct dp_packet *p;

        dpx_ipv6_l4(&pb, "2001:db8::1", "2001:db8::2", protos[i]);
        p = run_set(&pb, true, &v, &m);
        dpx_ipv6_l4(&expect, "2001:db8::99", "2001:db8::1:2:3:4", protos[i]);
        dpx_assert_pkt_csums(p);
        dpx_assert_bytes(p, &expect);
        dpx_rec_release();
    }
}

static void
test_set_ipv6_label_tclass_hlim(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_ipv6_flow(&pb, 0x12, 0xabcde, 64);
    dpx_flows_zero(&v, &m);
    v.ipv6_label = htonl(0x55555);
    m.ipv6_label = htonl(0x000ff);
    v.nw_tos = 0xf0;
    m.nw_tos = 0xf0;
    v.nw_ttl = 3;
    m.nw_ttl = 0xff;
    p = run_set(&pb, true, &v, &m);

    pb_ipv6_flow(&expect, 0xf2, 0xabc55, 3);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_tcp_udp_ports(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_flows_zero(&v, &m);
    v.tp_src = htons(0x1234);
    m.tp_src = htons(0xff00); /* High byte only. */
    v.tp_dst = htons(8080);
    m.tp_dst = htons(0xffff);

    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 0xaabb, 80);
    p = run_set(&pb, true, &v, &m);
    dpx_ipv4_tcp(&expect, "10.0.0.1", "10.0.0.2", 64, 0x12bb, 8080);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
    dpx_rec_release();

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 0xaabb, 53);
    p = run_set(&pb, true, &v, &m);
    dpx_ipv4_udp(&expect, "10.0.0.1", "10.0.0.2", 0x12bb, 8080);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_sctp_ports_crc(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_sctp_pkt(&pb, 5000);
    dpx_flows_zero(&v, &m);
    v.tp_src = htons(7000);
    m.tp_src = htons(0xffff);
    p = run_set(&pb, true, &v, &m);

    pb_sctp_pkt(&expect, 7000);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_icmp_type_code(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_icmp_pkt(&pb, 8, 0);
    dpx_flows_zero(&v, &m);
    v.tp_src = htons(0);
    m.tp_src = htons(0xff);
    v.tp_dst = htons(3);
    m.tp_dst = htons(0xff);
    p = run_set(&pb, true, &v, &m);

    pb_icmp_pkt(&expect, 0, 3);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_arp_fields(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_arp(&pb, ARP_OP_REQUEST, DPX_MAC_A, "10.0.0.1", "00:00:00:00:00:00",
            "10.0.0.2");
    dpx_flows_zero(&v, &m);
    v.nw_proto = ARP_OP_REPLY;
    m.nw_proto = 0xff;
    v.nw_src = pb_ip4("10.0.0.2");
    m.nw_src = htonl(0xffffffff);
    v.nw_dst = pb_ip4("10.0.0.1");
    m.nw_dst = htonl(0xffffffff);
    v.arp_sha = pb_mac(DPX_MAC_B);
    m.arp_sha = pb_mac("ff:ff:ff:ff:ff:ff");
    v.arp_tha = pb_mac("11:22:33:44:55:66");
    m.arp_tha = pb_mac("ff:ff:ff:00:00:00");
    p = run_set(&pb, true, &v, &m);

    dpx_arp(&expect, ARP_OP_REPLY, DPX_MAC_B, "10.0.0.2", "11:22:33:00:00:00",
            "10.0.0.1");
    dpx_assert_bytes(p, &expect);
}

static void
pb_nd_packet(struct pb *pb, uint8_t type, const char *target, const char *sll,
             const char *tll)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IPV6);
    pb_ipv6(pb, "fe80::1", "ff02::1:ff00:2", IPPROTO_ICMPV6, 255, 0, 0);
    pb_nd(pb, type, target, sll, tll);
    pb_finish(pb);
}

static void
test_set_nd_target_and_lladdrs(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    dpx_flows_zero(&v, &m);
    v.nd_target = pb_ip6("fe80::99");
    memset(&m.nd_target, 0xff, sizeof m.nd_target);
    v.arp_sha = pb_mac("02:00:00:00:00:01");
    m.arp_sha = pb_mac("ff:ff:ff:ff:ff:ff");
    v.arp_tha = pb_mac("02:00:00:00:00:02");
    m.arp_tha = pb_mac("ff:ff:ff:ff:ff:ff");

    /* Solicitation: target and source link-layer address. */
    pb_nd_packet(&pb, ND_NEIGHBOR_SOLICIT, "fe80::2", DPX_MAC_A, NULL);
    p = run_set(&pb, true, &v, &m);
    pb_nd_packet(&expect, ND_NEIGHBOR_SOLICIT, "fe80::99", "02:00:00:00:00:01",
                 NULL);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
    dpx_rec_release();

    /* Advertisement: target and target link-layer address. */
    pb_nd_packet(&pb, ND_NEIGHBOR_ADVERT, "fe80::2", NULL, DPX_MAC_B);
    p = run_set(&pb, true, &v, &m);
    pb_nd_packet(&expect, ND_NEIGHBOR_ADVERT, "fe80::99", NULL,
                 "02:00:00:00:00:02");
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_set_pkt_mark(void **state)
{
    struct flow v, m;
    struct dp_packet *p;
    struct pb pb;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    dpx_flows_zero(&v, &m);
    v.pkt_mark = 0xabcd;
    m.pkt_mark = 0xff00;
    p = dpx_mkpkt(&pb, true);
    p->md.md.pkt_mark = 0x1111;
    run_set_on(p, &v, &m);
    assert_int_equal(p->md.md.pkt_mark, 0xab11);
    dpx_assert_bytes(p, &pb);
}

static void
test_set_missing_header_unchanged(void **state)
{
    struct flow v, m;
    struct dp_packet *p;
    struct pb pb;

    dpx_flows_zero(&v, &m);
    v.nw_src = pb_ip4("1.1.1.1");
    m.nw_src = htonl(0xffffffff);
    v.ipv6_dst = pb_ip6("::9");
    memset(&m.ipv6_dst, 0xff, sizeof m.ipv6_dst);
    v.tp_src = htons(99);
    m.tp_src = htons(0xffff);
    v.vlans[0].tci = htons(VLAN_CFI | 7);
    m.vlans[0].tci = htons(VLAN_VID_MASK);
    v.mpls_lse[0] = htonl(0xffffffff);
    m.mpls_lse[0] = htonl(0xffffffff);
    v.nd_target = pb_ip6("::7");
    memset(&m.nd_target, 0xff, sizeof m.nd_target);

    /* Neither IP nor VLAN nor MPLS: nothing to rewrite. */
    pb_init(&pb);
    pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, 0x88b5);
    pb_put(&pb, "local experimental ethertype", 28);
    p = run_set(&pb, true, &v, &m);
    dpx_assert_bytes(p, &pb);
    dpx_rec_release();

    /* IPv4 without a port-carrying L4 header (GRE): only nw_src. */
    pb_init(&pb);
    pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(&pb, "10.0.0.1", "10.0.0.2", 47, 64);
    pb_put_zeros(&pb, 8);
    pb_finish(&pb);
    p = run_set(&pb, false, &v, &m);
    {
        struct pb expect;

        pb_init(&expect);
        pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
        pb_ipv4(&expect, "1.1.1.1", "10.0.0.2", 47, 64);
        pb_put_zeros(&expect, 8);
        pb_finish(&expect);
        dpx_assert_bytes(p, &expect);
        dpx_assert_pkt_csums(p);
    }
}

static void
test_set_masked_api_runt(void **state)
{
    struct dpa_set s;
    struct dp_packet *p;
    struct pb pb;

    memset(&s, 0, sizeof s);
    s.value.dl_src = pb_mac("02:02:02:02:02:02");
    s.mask.dl_src = pb_mac("ff:ff:ff:ff:ff:ff");
    pb_init(&pb);
    pb_put(&pb, "tiny", 4);
    p = dpx_mkpkt(&pb, true);
    assert_false(dp_execute_set_masked(p, &s));
    dpx_assert_bytes(p, &pb);
    dp_packet_free(p);

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    p = dpx_mkpkt(&pb, false);
    assert_true(dp_execute_set_masked(p, &s));
    assert_memory_equal((uint8_t *)dp_packet_data(p) + 6,
                        pb_mac("02:02:02:02:02:02").ea, 6);
    dp_packet_free(p);
}

/* Malformed and truncated packets. */

/* Fills the tailroom of 'p' with a pattern. */
static void
fill_tail(struct dp_packet *p)
{
    uint8_t *end = (uint8_t *)dp_packet_data(p) + dp_packet_size(p);

    memset(end, 0xa5, rte_pktmbuf_tailroom(&p->mbuf));
}

static void
assert_tail_intact(const struct dp_packet *p)
{
    const uint8_t *end =
        (const uint8_t *)dp_packet_data(p) + dp_packet_size(p);
    uint16_t room = rte_pktmbuf_tailroom(&p->mbuf);

    for (uint16_t i = 0; i < room; i++) {
        assert_int_equal(end[i], 0xa5);
    }
}

/* A set that touches every group. */
static void
put_set_everything(struct dp_actions_buf *b)
{
    struct flow v, m;

    memset(&v, 0x5a, sizeof v);
    memset(&m, 0xff, sizeof m);
    dpx_put_set(b, &v, &m);
}

static void
test_truncated_packets(void **state)
{
    const uint32_t tag = DPX_TAG(ETH_TYPE_VLAN_8021Q, 7);
    struct dp_actions_buf sets, structural;
    struct pb full;
    size_t ofs;

    dpx_tagged_tcp(&full, &tag, 1, "10.0.0.2", 2);

    dp_actions_buf_init(&sets);
    put_set_everything(&sets);
    dpx_put_output(&sets, 1);

    dp_actions_buf_init(&structural);
    dp_actions_put(&structural, DPA_POP_VLAN, NULL, 0);
    dpx_put_push_mpls(&structural, 1, true, 1);
    put_set_everything(&structural);
    dpx_put_pop_mpls(&structural, ETH_TYPE_IP);
    dpx_put_push_vlan(&structural, ETH_TYPE_VLAN_8021Q, 3);
    ofs = dp_actions_start_nested(&structural, DPA_DEC_TTL);
    dpx_put_output(&structural, 2);
    dp_actions_end_nested(&structural, ofs);
    dpx_put_output(&structural, 1);

    for (size_t len = 0; len < full.len; len++) {
        for (int key = 0; key < 2; key++) {
            struct pb cut = full;
            struct dp_packet *p;

            pb_truncate(&cut, len);
            /* Below the IP total length nothing past L2 is parsed, so
             * only the MAC addresses and the VLAN TCI may change. */
            p = dpx_mkpkt(&cut, key);
            fill_tail(p);
            dpx_run1(&sets, p);
            assert_int_equal(dpx_rec.n_out, 1);
            assert_int_equal(dp_packet_size(p), len);
            assert_tail_intact(p);
            if (len > 16) {
                assert_memory_equal((uint8_t *)dp_packet_data(p) + 16,
                                    cut.data + 16, len - 16);
            }
            dpx_rec_release();

            p = dpx_mkpkt(&cut, key);
            fill_tail(p);
            dpx_run1(&structural, p);
            assert_int_equal(dpx_rec.n_out, 1);
            assert_tail_intact(dpx_rec.out[0].p);
            dpx_rec_release();
        }
    }
    dp_actions_buf_uninit(&sets);
    dp_actions_buf_uninit(&structural);
}

/* Runs [set(nw_src, tp_src), output:1] on pb's packet with 'ofs' forced
 * into its metadata as if flow_extract() had found them. */
static struct dp_packet *
run_with_offsets(const struct pb *pb, const struct flow_offsets *ofs)
{
    struct dp_packet *p = dpx_mkpkt(pb, true);
    struct flow v, m;

    p->md.ofs = *ofs;
    fill_tail(p);
    dpx_flows_zero(&v, &m);
    v.nw_src = pb_ip4("9.9.9.9");
    m.nw_src = htonl(0xffffffff);
    v.tp_src = htons(9);
    m.tp_src = htons(0xffff);
    run_set_on(p, &v, &m);
    assert_tail_intact(p);
    return p;
}

static void
test_hostile_offsets_ignored(void **state)
{
    struct flow_offsets ofs;
    struct pb pb, expect;
    struct dp_packet *p;
    size_t ip_end = ETH_HEADER_LEN + IP_HEADER_LEN;

    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);

    /* An L3 offset past the end: nothing is touched. */
    ofs.l2_5 = FLOW_OFS_NONE;
    ofs.l3 = pb.len + 50;
    ofs.l4 = pb.len + 70;
    ofs.l4_len = 2000;
    ofs.l3_end = pb.len + 90;
    p = run_with_offsets(&pb, &ofs);
    dpx_assert_bytes(p, &pb);
    dpx_rec_release();

    /* A real IPv4 header but an L4 offset whose header would run past the
     * end: the address changes, nothing beyond the IP header does. */
    ofs.l3 = ETH_HEADER_LEN;
    ofs.l4 = pb.len - 2;
    ofs.l3_end = pb.len;
    p = run_with_offsets(&pb, &ofs);
    dpx_ipv4_tcp(&expect, "9.9.9.9", "10.0.0.2", 64, 1, 2);
    assert_memory_equal(dp_packet_data(p), expect.data, ip_end);
    assert_memory_equal((uint8_t *)dp_packet_data(p) + ip_end,
                        pb.data + ip_end, pb.len - ip_end);
    assert_int_equal(
        csum((uint8_t *)dp_packet_data(p) + ETH_HEADER_LEN, IP_HEADER_LEN), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        DPX_TEST(test_set_eth_masked_bits),
        DPX_TEST(test_set_vlan_tci_vid_only),
        DPX_TEST(test_set_mpls_top_lse),
        DPX_TEST(test_set_ipv4_addrs_tcp),
        DPX_TEST(test_set_ipv4_udp_checksums),
        DPX_TEST(test_set_ipv4_tos_ttl_masked),
        DPX_TEST(test_set_ipv6_addrs_l4_checksums),
        DPX_TEST(test_set_ipv6_label_tclass_hlim),
        DPX_TEST(test_set_tcp_udp_ports),
        DPX_TEST(test_set_sctp_ports_crc),
        DPX_TEST(test_set_icmp_type_code),
        DPX_TEST(test_set_arp_fields),
        DPX_TEST(test_set_nd_target_and_lladdrs),
        DPX_TEST(test_set_pkt_mark),
        DPX_TEST(test_set_missing_header_unchanged),
        DPX_TEST(test_set_masked_api_runt),
        DPX_TEST(test_truncated_packets),
        DPX_TEST(test_hostile_offsets_ignored),
    };

    return cmocka_run_group_tests(tests, dpx_group_setup, NULL);
}
