/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-flow-ipv6: unit tests for flow key extraction of IPv6 (extension
 * header chains, fragments, malformed and truncated headers), ICMPv6 and
 * neighbour discovery.  Ethernet, MPLS, ARP, IPv4, truncation sweeps,
 * hashing and wildcards are in test-flow.c; the helpers both share are in
 * flow-test-util.c.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/flow.h"
#include "tests/unit/flow-test-util.h"
#include "tests/unit/packet-builder.h"

/* ---- IPv6 --------------------------------------------------------------- */

static void
test_ipv6_udp(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct in6_addr a = pb_ip6("2001:db8::1"), b = pb_ip6("2001:db8::2");
    struct pb *pb = udp6();

    extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IPV6);
    assert_memory_equal(&key.flow.ipv6_src, &a, 16);
    assert_memory_equal(&key.flow.ipv6_dst, &b, 16);
    assert_int_equal(ntohl(key.flow.ipv6_label), 0x12345);
    assert_int_equal(key.flow.nw_tos, 0x2e);
    assert_int_equal(key.flow.nw_ttl, 63);
    assert_int_equal(key.flow.nw_proto, IPPROTO_UDP);
    assert_int_equal(key.flow.nw_src, 0);
    assert_int_equal(ntohs(key.flow.tp_src), 5000);
    assert_int_equal(ntohs(key.flow.tp_dst), 53);
    assert_int_equal(ofs.l3, 14);
    assert_int_equal(ofs.l4, 54);
    assert_int_equal(ofs.l4_len, 14);
    assert_int_equal(ofs.l3_end, 68);
}

static void
test_ipv6_tcp_sctp(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    ip6_start(pb, IPPROTO_TCP);
    pb_tcp(pb, 22, 3333, TCP_RST);
    finish_extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), 22);
    assert_int_equal(ntohs(key.flow.tcp_flags), TCP_RST);

    ip6_start(pb, IPPROTO_SCTP);
    pb_sctp(pb, 9, 10);
    finish_extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_dst), 10);
}

static void
test_ipv6_payload_beyond_frame(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = udp6();

    pb_set16(pb, 14 + 4, 15); /* 14 bytes follow the header. */
    extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IPV6);
    assert_no_l3(&key.flow);
    assert_int_equal(ofs.l3, FLOW_OFS_NONE);
}

static void
test_ipv6_bad_version_and_short(void **state)
{
    struct flow_key key;
    struct pb *pb = udp6();

    pb_set8(pb, 14, 0x40);
    extract(pb, &key, NULL);
    assert_no_l3(&key.flow);

    pb = udp6();
    pb_truncate(pb, 14 + 39);
    extract(pb, &key, NULL);
    assert_no_l3(&key.flow);
}

static void
test_ipv6_padding(void **state)
{
    udp6();
    expect_padding_ignored(1, 0);
    expect_padding_ignored(33, 0xee);
}

static void
test_ipv6_ext_chain(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    ip6_start(pb, IPV6_EXT_HOPOPTS);
    pb_ipv6_opts(pb, IPV6_EXT_ROUTING, 8);
    pb_ipv6_opts(pb, IPV6_EXT_DSTOPTS, 24);
    pb_ipv6_opts(pb, IPV6_EXT_AH, 16);
    pb_ipv6_ah(pb, IPPROTO_TCP, 24);
    pb_tcp(pb, 7, 8, TCP_PSH);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_proto, IPPROTO_TCP);
    assert_int_equal(ntohs(key.flow.tp_src), 7);
    assert_int_equal(ntohs(key.flow.tcp_flags), TCP_PSH);
    assert_int_equal(key.flow.nw_frag, 0);
    assert_int_equal(ofs.l4, 14 + 40 + 8 + 24 + 16 + 24);
    assert_int_equal(ofs.l4_len, 20);
}

static void
test_ipv6_ext_past_end(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct in6_addr src = pb_ip6("::1");
    struct pb *pb = &pb_;

    /* Hop-by-hop claims 16 bytes; only 8 are in the payload. */
    ip6_start(pb, IPV6_EXT_HOPOPTS);
    pb_ipv6_opts(pb, IPPROTO_UDP, 8);
    pb_set8(pb, 14 + 40 + 1, 1);
    pb_finish(pb);
    pb_put_zeros(pb, 16); /* Padding beyond the payload length. */
    extract(pb, &key, &ofs);
    assert_memory_equal(&key.flow.ipv6_src, &src, 16);
    assert_int_equal(key.flow.nw_ttl, 1);
    assert_int_equal(key.flow.nw_proto, IPV6_EXT_HOPOPTS);
    assert_no_l4(&key.flow);
    assert_int_equal(ofs.l3, 14);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);

    /* Fewer than 8 bytes left for the next extension header. */
    ip6_start(pb, IPV6_EXT_ROUTING);
    pb_ipv6_opts(pb, IPV6_EXT_DSTOPTS, 8);
    pb_put_zeros(pb, 4);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_proto, IPV6_EXT_DSTOPTS);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);
}

static void
test_ipv6_ext_too_many(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    ip6_start(pb, IPV6_EXT_DSTOPTS);
    for (int i = 0; i < 17; i++) {
        pb_ipv6_opts(pb, i < 16 ? IPV6_EXT_DSTOPTS : IPPROTO_UDP, 8);
    }
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, NULL);
    assert_int_equal(key.flow.nw_proto, IPV6_EXT_DSTOPTS);
    assert_no_l4(&key.flow);

    /* Exactly 16 headers are walked. */
    ip6_start(pb, IPV6_EXT_DSTOPTS);
    for (int i = 0; i < 16; i++) {
        pb_ipv6_opts(pb, i < 15 ? IPV6_EXT_DSTOPTS : IPPROTO_UDP, 8);
    }
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, NULL);
    assert_int_equal(key.flow.nw_proto, IPPROTO_UDP);
    assert_int_equal(ntohs(key.flow.tp_dst), 2);
}

static void
test_ipv6_fragments(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    ip6_start(pb, IPV6_EXT_FRAGMENT);
    pb_ipv6_frag(pb, IPPROTO_UDP, 0, true);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_frag, FLOW_NW_FRAG_ANY);
    assert_int_equal(key.flow.nw_proto, IPPROTO_UDP);
    assert_int_equal(ntohs(key.flow.tp_src), 1);
    assert_int_equal(ofs.l4, 14 + 48);

    ip6_start(pb, IPV6_EXT_HOPOPTS);
    pb_ipv6_opts(pb, IPV6_EXT_FRAGMENT, 8);
    pb_ipv6_frag(pb, IPPROTO_TCP, 3, false);
    pb_put_zeros(pb, 24);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    assert_int_equal(key.flow.nw_proto, IPPROTO_TCP);
    assert_no_l4(&key.flow);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);
}

static void
test_ipv6_no_next_header(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    ip6_start(pb, IPV6_EXT_NONE);
    pb_put_zeros(pb, 8);
    finish_extract(pb, &key, NULL);
    assert_int_equal(key.flow.nw_proto, IPV6_EXT_NONE);
    assert_no_l4(&key.flow);
}

static void
test_icmp_family_mismatch(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    /* ICMPv4 inside IPv6 is an opaque protocol: no type/code. */
    ip6_start(pb, IPPROTO_ICMP_);
    pb_put_u8(pb, 8);
    pb_put_zeros(pb, 7);
    finish_extract(pb, &key, NULL);
    assert_int_equal(key.flow.nw_proto, IPPROTO_ICMP_);
    assert_no_l4(&key.flow);

    eth_start(pb, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "1.1.1.2", IPPROTO_ICMPV6, 1);
    pb_put_u8(pb, 128);
    pb_put_zeros(pb, 7);
    finish_extract(pb, &key, NULL);
    assert_no_l4(&key.flow);
}

/* ---- ICMPv6 and ND ------------------------------------------------------ */

static void
test_icmpv6_echo(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_IPV6);
    pb_ipv6(pb, "::1", "::2", IPPROTO_ICMPV6, 255, 0, 0);
    pb_icmp6(pb, 128, 0);
    finish_extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), 128);
    assert_int_equal(ntohs(key.flow.tp_dst), 0);
    assert_int_equal(key.flow.nd_target.s6_addr[15], 0);
    assert_true(eth_addr_is_zero(key.flow.arp_sha));
}

static void
test_nd_solicit(void **state)
{
    struct flow_key key;
    struct in6_addr t = pb_ip6("fe80::2");

    extract(nd(ND_NEIGHBOR_SOLICIT, MAC1, NULL), &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), ND_NEIGHBOR_SOLICIT);
    assert_memory_equal(&key.flow.nd_target, &t, 16);
    assert_memory_equal(&key.flow.arp_sha, pb_mac(MAC1).ea, 6);
    assert_true(eth_addr_is_zero(key.flow.arp_tha));
}

static void
test_nd_advert(void **state)
{
    struct flow_key key;
    struct in6_addr t = pb_ip6("fe80::2");

    extract(nd(ND_NEIGHBOR_ADVERT, NULL, MAC2), &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), ND_NEIGHBOR_ADVERT);
    assert_memory_equal(&key.flow.nd_target, &t, 16);
    assert_true(eth_addr_is_zero(key.flow.arp_sha));
    assert_memory_equal(&key.flow.arp_tha, pb_mac(MAC2).ea, 6);

    /* Both options, and an unknown option (type 14, 8 bytes) skipped. */
    struct pb *pb = nd(ND_NEIGHBOR_ADVERT, MAC1, MAC2);
    pb_put_u8(pb, 14);
    pb_put_u8(pb, 1);
    pb_put_zeros(pb, 6);
    finish_extract(pb, &key, NULL);
    assert_memory_equal(&key.flow.arp_sha, pb_mac(MAC1).ea, 6);
    assert_memory_equal(&key.flow.arp_tha, pb_mac(MAC2).ea, 6);
}

static void
expect_nd_fields_zero(struct pb *pb, uint8_t type)
{
    struct flow_key key;

    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), type);
    assert_int_equal(key.flow.nw_proto, IPPROTO_ICMPV6);
    struct in6_addr zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&key.flow.nd_target, &zero, 16);
    assert_true(eth_addr_is_zero(key.flow.arp_sha));
    assert_true(eth_addr_is_zero(key.flow.arp_tha));
}

static void
test_nd_malformed_options(void **state)
{
    /* Option length 0. */
    struct pb *pb = nd(ND_NEIGHBOR_SOLICIT, MAC1, NULL);
    pb_set8(pb, 14 + 40 + 24 + 1, 0);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_SOLICIT);

    /* Option running past the end of the payload. */
    pb = nd(ND_NEIGHBOR_SOLICIT, MAC1, NULL);
    pb_set8(pb, 14 + 40 + 24 + 1, 2);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_SOLICIT);

    /* A lone trailing byte. */
    pb = nd(ND_NEIGHBOR_ADVERT, NULL, MAC2);
    pb_put_u8(pb, 1);
    pb_finish(pb);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_ADVERT);

    /* Duplicate SLL. */
    pb = nd(ND_NEIGHBOR_SOLICIT, MAC1, NULL);
    pb_put_u8(pb, ND_OPT_SOURCE_LINKADDR);
    pb_put_u8(pb, 1);
    pb_put_zeros(pb, 6);
    pb_finish(pb);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_SOLICIT);
}

static void
test_nd_short_or_nonzero_code(void **state)
{
    struct pb *pb = nd(ND_NEIGHBOR_SOLICIT, NULL, NULL);
    pb_truncate(pb, pb->len - 1);
    pb_finish(pb);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_SOLICIT);

    pb = nd(ND_NEIGHBOR_ADVERT, MAC1, MAC2);
    pb_set8(pb, 14 + 40 + 1, 1);
    pb_finish(pb);
    expect_nd_fields_zero(pb, ND_NEIGHBOR_ADVERT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv6_udp),
        cmocka_unit_test(test_ipv6_tcp_sctp),
        cmocka_unit_test(test_ipv6_payload_beyond_frame),
        cmocka_unit_test(test_ipv6_bad_version_and_short),
        cmocka_unit_test(test_ipv6_padding),
        cmocka_unit_test(test_ipv6_ext_chain),
        cmocka_unit_test(test_ipv6_ext_past_end),
        cmocka_unit_test(test_ipv6_ext_too_many),
        cmocka_unit_test(test_ipv6_fragments),
        cmocka_unit_test(test_ipv6_no_next_header),
        cmocka_unit_test(test_icmp_family_mismatch),
        cmocka_unit_test(test_icmpv6_echo),
        cmocka_unit_test(test_nd_solicit),
        cmocka_unit_test(test_nd_advert),
        cmocka_unit_test(test_nd_malformed_options),
        cmocka_unit_test(test_nd_short_or_nonzero_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
