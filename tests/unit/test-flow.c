/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-flow: unit tests for flow key extraction (Ethernet, VLAN, LLC, MPLS,
 * PBB, ARP, IPv4 and every malformed-packet rule for them in flow.c),
 * truncation sweeps, key hashing and maps, the wildcard helpers and
 * prerequisites.  IPv6, ICMPv6 and ND extraction are in test-flow-ipv6.c,
 * flow_compose(), checksums and hashing in test-flow-compose.c; the helpers
 * shared with test-flow-ipv6.c are in flow-test-util.c.
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

/* ---- L2 ---------------------------------------------------------------- */

static void
test_eth_non_ip(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, 0x88cc);
    pb_put_zeros(pb, 46);
    extract(pb, &key, &ofs);
    assert_memory_equal(&key.flow.dl_dst, pb_mac(MAC2).ea, 6);
    assert_memory_equal(&key.flow.dl_src, pb_mac(MAC1).ea, 6);
    assert_int_equal(ntohs(key.flow.dl_type), 0x88cc);
    assert_no_l3(&key.flow);
    assert_int_equal(ofs.l3, FLOW_OFS_NONE);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);
    assert_int_equal(ofs.l2_5, FLOW_OFS_NONE);
    assert_int_equal(ofs.l4_len, 0);
}

static void
test_short_frame(void **state)
{
    struct flow_key key;
    uint8_t frame[13];

    memset(frame, 0xff, sizeof frame);
    for (size_t len = 0; len <= sizeof frame; len++) {
        pb_extract(frame, len, NULL, &key, NULL);
        assert_int_equal(key.map, 0);
        assert_true(zero_from(&key.flow, 0));
        assert_int_equal(key.hash, flow_key_hash(&key.flow, 0));
    }
}

static void
test_metadata(void **state)
{
    struct flow_md md = {
        .recirc_id = 7, .in_port = 3, .dp_hash = 9, .pkt_mark = 0xabc};
    struct flow_key key;
    struct pb *pb = tcp4();

    pb_extract(pb->data, pb->len, &md, &key, NULL);
    assert_int_equal(key.flow.recirc_id, 7);
    assert_int_equal(key.flow.in_port, 3);
    assert_int_equal(key.flow.dp_hash, 9);
    assert_int_equal(key.flow.pkt_mark, 0xabc);
    assert_true(key.map & 3);
}

static void
test_vlan_single(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, (5 << VLAN_PCP_SHIFT) | 100, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.vlans[0].tpid), ETH_TYPE_VLAN_8021Q);
    assert_int_equal(ntohs(key.flow.vlans[0].tci),
                     VLAN_CFI | (5 << VLAN_PCP_SHIFT) | 100);
    assert_int_equal(key.flow.vlans[1].tci, 0);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IP);
    assert_int_equal(key.flow.nw_src, pb_ip4("1.1.1.1"));
    assert_int_equal(ofs.l3, 18);
    assert_int_equal(ofs.l4, 38);
    assert_int_equal(ntohs(key.flow.tp_dst), 2);
}

static void
test_vlan_double(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_VLAN_8021AD);
    pb_vlan(pb, 10, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, 20 | VLAN_CFI, ETH_TYPE_ARP);
    pb_arp(pb, ARP_OP_REQUEST, MAC1, "1.2.3.4", "00:00:00:00:00:00",
           "1.2.3.5");
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.vlans[0].tpid), ETH_TYPE_VLAN_8021AD);
    assert_int_equal(ntohs(key.flow.vlans[0].tci), VLAN_CFI | 10);
    assert_int_equal(ntohs(key.flow.vlans[1].tpid), ETH_TYPE_VLAN_8021Q);
    /* The DEI bit on the wire is indistinguishable from "present". */
    assert_int_equal(ntohs(key.flow.vlans[1].tci), VLAN_CFI | 20);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_ARP);
    assert_int_equal(key.flow.nw_dst, pb_ip4("1.2.3.5"));
}

static void
test_vlan_third_tag(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_VLAN_8021AD);
    pb_vlan(pb, 1, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, 2, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, 3, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.vlans[0].tci), VLAN_CFI | 1);
    assert_int_equal(ntohs(key.flow.vlans[1].tci), VLAN_CFI | 2);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_VLAN_8021Q);
    assert_no_l3(&key.flow);
    assert_int_equal(ofs.l3, FLOW_OFS_NONE);
}

static void
test_vlan_truncated(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_VLAN_8021Q);
    pb_put_be16(pb, 100);
    extract(pb, &key, NULL);
    assert_int_equal(key.flow.vlans[0].tci, 0);
    assert_int_equal(key.flow.vlans[0].tpid, 0);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_VLAN_8021Q);
}

static void
test_llc_snap(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, 8 + 20 + 8);
    pb_snap(pb, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1);
    pb_udp(pb, 7, 8);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IP);
    assert_int_equal(ofs.l3, 22);
    assert_int_equal(ntohs(key.flow.tp_src), 7);
}

static void
test_llc_without_snap(void **state)
{
    static const uint8_t stp_llc[3] = {0x42, 0x42, 0x03};
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, 38);
    pb_put(pb, stp_llc, 3);
    pb_put_zeros(pb, 35);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.dl_type), FLOW_DL_TYPE_NONE);
    assert_no_l3(&key.flow);

    /* SNAP header cut short: also "no Ethertype". */
    eth_start(pb, 8);
    pb_snap(pb, ETH_TYPE_IP);
    pb_truncate(pb, pb->len - 1);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.dl_type), FLOW_DL_TYPE_NONE);

    /* SNAP with a non-zero OUI. */
    eth_start(pb, 8);
    pb_snap(pb, ETH_TYPE_IP);
    pb_set8(pb, 17, 0x01);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.dl_type), FLOW_DL_TYPE_NONE);
}

/* ---- MPLS --------------------------------------------------------------- */

static void
test_mpls_stack(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_MPLS);
    pb_mpls(pb, 100, 1, false, 64);
    pb_mpls(pb, 200, 2, false, 63);
    pb_mpls(pb, 300, 3, true, 62);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_MPLS);
    assert_int_equal(ntohl(key.flow.mpls_lse[0]), (100 << 12) | (1 << 9) | 64);
    assert_int_equal(ntohl(key.flow.mpls_lse[1]), (200 << 12) | (2 << 9) | 63);
    assert_int_equal(ntohl(key.flow.mpls_lse[2]),
                     (300 << 12) | (3 << 9) | MPLS_BOS_MASK | 62);
    assert_int_equal(key.flow.mpls_lse[3], 0);
    assert_int_equal(ofs.l2_5, 14);
    assert_no_l3(&key.flow);
}

static void
test_mpls_without_bos(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_MPLS_MCAST);
    for (int i = 0; i < 6; i++) {
        pb_mpls(pb, 10 + i, 0, false, 5);
    }
    pb_put_zeros(pb, 20);
    extract(pb, &key, NULL);
    for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
        assert_int_equal(ntohl(key.flow.mpls_lse[i]) >> MPLS_LABEL_SHIFT,
                         10 + i);
    }
    assert_no_l3(&key.flow);

    /* Stack cut in the middle of the second entry. */
    pb_truncate(pb, 14 + 4 + 2);
    extract(pb, &key, NULL);
    assert_int_equal(ntohl(key.flow.mpls_lse[0]) >> MPLS_LABEL_SHIFT, 10);
    assert_int_equal(key.flow.mpls_lse[1], 0);
}

/* ---- PBB ---------------------------------------------------------------- */

/* The PBB I-TAG: I-SID and UCA are read, the customer frame is not. */
static void
test_pbb_itag(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_PBB);
    /* PCP 5, DEI, UCA, reserved bits set, I-SID 0xabcdef. */
    pb_put_be32(pb, 0xbf000000 | 0xabcdef);
    pb_eth(pb, MAC1, MAC2, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_PBB);
    assert_int_equal(ntohl(key.flow.pbb_isid), 0xabcdef);
    assert_int_equal(key.flow.pbb_uca, 1);
    assert_int_equal(ofs.l2_5, 14);
    assert_int_equal(ofs.l3, FLOW_OFS_NONE);
    assert_int_equal(key.flow.nw_src, 0);
    assert_int_equal(key.flow.nw_proto, 0);
    assert_int_equal(key.flow.tp_src, 0);
    assert_true(key.map & (UINT64_C(1) << FLOW_WORD(pbb_isid)));

    /* UCA clear. */
    pb_set8(pb, 14, 0x00);
    extract(pb, &key, NULL);
    assert_int_equal(key.flow.pbb_uca, 0);
    assert_int_equal(ntohl(key.flow.pbb_isid), 0xabcdef);

    /* An I-TAG cut short: no PBB fields. */
    pb_truncate(pb, 14 + 3);
    extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_PBB);
    assert_int_equal(key.flow.pbb_isid, 0);
    assert_int_equal(key.flow.pbb_uca, 0);
    assert_int_equal(ofs.l2_5, FLOW_OFS_NONE);
}

/* A match on the I-SID or UCA needs an exact Ethertype. */
static void
test_pbb_prereqs(void **state)
{
    struct flow_wildcards wc;
    struct flow key;

    memset(&key, 0, sizeof key);
    key.dl_type = htons(ETH_TYPE_PBB);
    memset(&wc, 0, sizeof wc);
    wc.masks.pbb_isid = htonl(0xff);
    flow_wildcards_add_prereqs(&wc, &key);
    assert_int_equal(wc.masks.dl_type, 0xffff);

    memset(&wc, 0, sizeof wc);
    wc.masks.pbb_uca = 1;
    flow_wildcards_add_prereqs(&wc, &key);
    assert_int_equal(wc.masks.dl_type, 0xffff);
}

/* ---- ARP ---------------------------------------------------------------- */

static void
test_arp(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    pb_init(pb);
    pb_eth(pb, "ff:ff:ff:ff:ff:ff", MAC1, ETH_TYPE_ARP);
    pb_arp(pb, ARP_OP_REPLY, MAC1, "10.1.1.1", MAC2, "10.1.1.2");
    pb_put_zeros(pb, 18);
    extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_proto, ARP_OP_REPLY);
    assert_int_equal(key.flow.nw_src, pb_ip4("10.1.1.1"));
    assert_int_equal(key.flow.nw_dst, pb_ip4("10.1.1.2"));
    assert_memory_equal(&key.flow.arp_sha, pb_mac(MAC1).ea, 6);
    assert_memory_equal(&key.flow.arp_tha, pb_mac(MAC2).ea, 6);
    assert_int_equal(ofs.l3, 14);
    assert_int_equal(ofs.l3_end, 14 + 28);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);
}

static void
test_rarp_and_opcode(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_RARP);
    pb_arp(pb, 0x0103, MAC1, "0.0.0.0", MAC1, "0.0.0.0");
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_RARP);
    assert_int_equal(key.flow.nw_proto, 3); /* Low 8 bits of 0x0103. */
    assert_memory_equal(&key.flow.arp_tha, pb_mac(MAC1).ea, 6);
}

static void
test_arp_malformed(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;
    static const size_t fields[] = {14, 16, 18, 19}; /* hrd pro hln pln */

    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        eth_start(pb, ETH_TYPE_ARP);
        pb_arp(pb, 1, MAC1, "1.1.1.1", MAC2, "2.2.2.2");
        pb_set8(pb, fields[i] + (i < 2), 0x77);
        extract(pb, &key, NULL);
        assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_ARP);
        assert_no_l3(&key.flow);
    }

    eth_start(pb, ETH_TYPE_ARP);
    pb_arp(pb, 1, MAC1, "1.1.1.1", MAC2, "2.2.2.2");
    pb_truncate(pb, pb->len - 1);
    extract(pb, &key, NULL);
    assert_no_l3(&key.flow);
}

/* ---- IPv4 --------------------------------------------------------------- */

static void
test_ipv4_tcp(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = tcp4();

    extract(pb, &key, &ofs);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IP);
    assert_int_equal(key.flow.nw_src, pb_ip4("10.0.0.1"));
    assert_int_equal(key.flow.nw_dst, pb_ip4("10.0.0.2"));
    assert_int_equal(key.flow.nw_proto, IPPROTO_TCP);
    assert_int_equal(key.flow.nw_tos, 0xb9);
    assert_int_equal(key.flow.nw_ttl, 64);
    assert_int_equal(key.flow.nw_frag, 0);
    assert_int_equal(ntohs(key.flow.tp_src), 1234);
    assert_int_equal(ntohs(key.flow.tp_dst), 80);
    assert_int_equal(ntohs(key.flow.tcp_flags), TCP_SYN | TCP_ACK);
    assert_int_equal(ofs.l3, 14);
    assert_int_equal(ofs.l4, 34);
    assert_int_equal(ofs.l4_len, 30);
    assert_int_equal(ofs.l3_end, 64);
    assert_true(zero_from(&key.flow, 0) == false);
    assert_int_equal(key.flow.ipv6_src.s6_addr[0], 0);
}

static void
test_ipv4_udp_sctp_icmp(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    ip4_start(pb, IPPROTO_UDP);
    pb_udp(pb, 67, 68);
    finish_extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), 67);
    assert_int_equal(ntohs(key.flow.tp_dst), 68);
    assert_int_equal(key.flow.tcp_flags, 0);

    ip4_start(pb, IPPROTO_SCTP);
    pb_sctp(pb, 3868, 2905);
    finish_extract(pb, &key, NULL);
    assert_int_equal(key.flow.nw_proto, IPPROTO_SCTP);
    assert_int_equal(ntohs(key.flow.tp_src), 3868);
    assert_int_equal(ntohs(key.flow.tp_dst), 2905);

    ip4_start(pb, IPPROTO_ICMP_);
    pb_icmp(pb, 3, 13);
    finish_extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), 3);
    assert_int_equal(ntohs(key.flow.tp_dst), 13);
}

static void
test_ipv4_options(void **state)
{
    static const uint8_t opts[8] = {0x94, 0x04, 0, 0, 1, 1, 1, 0};
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_IP);
    pb_ipv4_full(pb, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 0, 0, opts, 8);
    pb_tcp(pb, 443, 50000, TCP_FIN);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(ofs.l4, 14 + 28);
    assert_int_equal(ntohs(key.flow.tp_src), 443);
    assert_int_equal(ntohs(key.flow.tcp_flags), TCP_FIN);
}

/* Applies 'corrupt' to a fresh tcp4() and checks that L3 is absent. */
static void
expect_ipv4_rejected(size_t ofs, uint16_t v16, bool is16)
{
    struct flow_key key;
    struct flow_offsets o;
    struct pb *pb = tcp4();

    if (is16) {
        pb_set16(pb, ofs, v16);
    } else {
        pb_set8(pb, ofs, v16);
    }
    extract(pb, &key, &o);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IP);
    assert_memory_equal(&key.flow.dl_src, pb_mac(MAC1).ea, 6);
    assert_no_l3(&key.flow);
    assert_int_equal(o.l3, FLOW_OFS_NONE);
    assert_int_equal(o.l4, FLOW_OFS_NONE);
}

static void
test_ipv4_ihl_below_5(void **state)
{
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        expect_ipv4_rejected(14, 0x40 | ihl, false);
    }
}

static void
test_ipv4_ihl_beyond_frame(void **state)
{
    /* IHL 15 = 60 bytes > total length 50. */
    expect_ipv4_rejected(14, 0x4f, false);
}

static void
test_ipv4_total_length_bad(void **state)
{
    expect_ipv4_rejected(16, 19, true); /* Below the header. */
    expect_ipv4_rejected(16, 0, true);  /* Zero. */
    expect_ipv4_rejected(16, 51, true); /* One beyond the frame. */
    expect_ipv4_rejected(16, 0xffff, true);
}

static void
test_ipv4_bad_version(void **state)
{
    expect_ipv4_rejected(14, 0x65, false);
}

static void
test_ipv4_truncated_header(void **state)
{
    struct flow_key key;
    struct pb *pb = tcp4();

    pb_truncate(pb, 14 + 19);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.dl_type), ETH_TYPE_IP);
    assert_no_l3(&key.flow);
}

static void
test_ipv4_fragments(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    /* First fragment: MF set, offset 0: L4 present. */
    eth_start(pb, ETH_TYPE_IP);
    pb_ipv4_full(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1, 0,
                 IP_MORE_FRAGMENTS, NULL, 0);
    pb_udp(pb, 1, 2);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_frag, FLOW_NW_FRAG_ANY);
    assert_int_equal(ntohs(key.flow.tp_dst), 2);
    assert_int_equal(ofs.l4, 34);

    /* Later fragment (last one: MF clear): no L4. */
    eth_start(pb, ETH_TYPE_IP);
    pb_ipv4_full(pb, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 1, 0, 100, NULL, 0);
    pb_put_be16(pb, 1);
    pb_put_be16(pb, 2);
    pb_put_zeros(pb, 4);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    assert_int_equal(key.flow.nw_proto, IPPROTO_UDP);
    assert_no_l4(&key.flow);
    assert_int_equal(ofs.l4, FLOW_OFS_NONE);
    assert_int_equal(ofs.l3_end, 14 + 28);
}

static void
test_ipv4_proto_0(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;

    ip4_start(pb, 0);
    pb_put_be16(pb, 1111); /* Looks like ports: must not be read as such. */
    pb_put_be16(pb, 2222);
    pb_put_zeros(pb, 16);
    finish_extract(pb, &key, &ofs);
    assert_int_equal(key.flow.nw_proto, 0);
    assert_int_equal(key.flow.nw_src, pb_ip4("1.1.1.1"));
    assert_no_l4(&key.flow);
    assert_int_equal(ofs.l4, 34);
    assert_int_equal(ofs.l4_len, 20);
}

static void
test_ipv4_padding(void **state)
{
    struct pb *pb = &pb_;

    tcp4();
    expect_padding_ignored(1, 0xff);
    expect_padding_ignored(40, 0xa5);

    /* Minimum-size UDP frame padded to 60 bytes. */
    ip4_start(pb, IPPROTO_UDP);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
    expect_padding_ignored(60 - pb->len, 0);
    expect_padding_ignored(60 - pb->len, 0x17);
}

static void
test_tcp_data_offset_below_5(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;

    for (int doff = 0; doff < 5; doff++) {
        struct pb *pb = tcp4();
        pb_set8(pb, 34 + 12, doff << 4);
        extract(pb, &key, &ofs);
        assert_int_equal(key.flow.nw_proto, IPPROTO_TCP);
        assert_int_equal(key.flow.nw_src, pb_ip4("10.0.0.1"));
        assert_no_l4(&key.flow);
        assert_int_equal(ofs.l4, FLOW_OFS_NONE);
    }
}

static void
test_tcp_data_offset_beyond_segment(void **state)
{
    struct flow_key key;
    struct pb *pb = tcp4();

    pb_set8(pb, 34 + 12, 0xf0); /* 60 bytes > 30-byte segment. */
    extract(pb, &key, NULL);
    assert_no_l4(&key.flow);

    pb = tcp4();
    pb_set8(pb, 34 + 12, 0x70); /* 28 bytes fit in the segment. */
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tp_src), 1234);
}

static void
test_tcp_all_flags(void **state)
{
    struct flow_key key;
    struct pb *pb = tcp4();

    pb_set16(pb, 34 + 12, (5 << 12) | 0xfff);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tcp_flags), 0xfff);
}

static void
test_l4_truncated_by_ip_length(void **state)
{
    struct flow_key key;
    struct flow_offsets ofs;
    struct pb *pb = &pb_;
    static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP,
                                     IPPROTO_ICMP_};
    static const size_t need[] = {20, 8, 12, 4};

    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        /* Frame has bytes to spare, but the IP total length ends the L4
         * header one byte early: that trailing data is padding. */
        ip4_start(pb, protos[i]);
        pb_put_zeros(pb, need[i] - 1);
        pb_finish(pb);
        pb_put(pb, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
        extract(pb, &key, &ofs);
        assert_int_equal(key.flow.nw_proto, protos[i]);
        assert_no_l4(&key.flow);
        assert_int_equal(ofs.l4, FLOW_OFS_NONE);
    }
}

/* ---- Truncation sweeps ---------------------------------------------------
 */

/* Extracts every prefix of pb_ twice and checks determinism and that no
 * layer appears before its header is complete. */
static void
truncation_sweep(size_t l3, size_t l4, size_t l4_hdr)
{
    struct flow_key full, a, b;
    struct flow_offsets ofs;

    pb2_ = pb_;
    extract(&pb2_, &full, NULL);
    for (size_t len = 0; len <= pb2_.len; len++) {
        pb_extract(pb2_.data, len, NULL, &a, &ofs);
        pb_extract(pb2_.data, len, NULL, &b, NULL);
        assert_key_identical(&a, &b);
        assert_int_equal(a.hash, flow_key_hash(&a.flow, a.map));
        if (len < ETH_HEADER_LEN) {
            assert_int_equal(a.map, 0);
        } else if (len < l3) {
            /* Inside the VLAN tag: dl_type is the TPID. */
            assert_int_equal(ntohs(a.flow.dl_type), ETH_TYPE_VLAN_8021Q);
            assert_no_l3(&a.flow);
        } else if (len < pb2_.len) {
            /* The IP length field covers the whole frame: any cut makes
             * the IP header claim more than is there. */
            assert_int_equal(a.flow.dl_type, full.flow.dl_type);
            assert_no_l3(&a.flow);
            assert_int_equal(ofs.l3, FLOW_OFS_NONE);
        } else {
            assert_key_identical(&a, &full);
            assert_int_equal(ofs.l3, l3);
            assert_int_equal(ofs.l4, l4);
            assert_int_equal(ofs.l4_len, pb2_.len - l4);
        }
    }
    assert_true(pb2_.len >= l4 + l4_hdr);
}

static void
test_truncate_every_byte_tcp4(void **state)
{
    tcp4();
    truncation_sweep(14, 34, 20);
}

static void
test_truncate_every_byte_tcp6(void **state)
{
    struct pb *pb = &pb_;

    eth_start(pb, ETH_TYPE_VLAN_8021Q);
    pb_vlan(pb, 7, ETH_TYPE_IPV6);
    pb_ipv6(pb, "2001:db8::1", "2001:db8::2", IPV6_EXT_HOPOPTS, 5, 1, 2);
    pb_ipv6_opts(pb, IPV6_EXT_FRAGMENT, 16);
    pb_ipv6_frag(pb, IPPROTO_TCP, 0, true);
    pb_tcp(pb, 1, 2, TCP_SYN);
    pb_put(pb, "payload", 7);
    pb_finish(pb);
    truncation_sweep(18, 18 + 40 + 16 + 8, 20);
}

/* Cuts a frame inside each header by lying about nothing: the frame length
 * is fine, but the IP payload length is shortened one byte at a time. */
static void
test_ipv6_payload_length_sweep(void **state)
{
    struct flow_key key;
    struct pb *pb = &pb_;

    ip6_start(pb, IPV6_EXT_DSTOPTS);
    pb_ipv6_opts(pb, IPPROTO_TCP, 16);
    pb_tcp(pb, 1, 2, TCP_ACK);
    pb_finish(pb);
    for (uint16_t plen = 0; plen < 36; plen++) {
        pb_set16(pb, 14 + 4, plen);
        extract(pb, &key, NULL);
        assert_int_equal(key.flow.nw_ttl, 1); /* L3 always present. */
        assert_no_l4(&key.flow);
        assert_int_equal(key.flow.nw_proto,
                         plen < 16 ? IPV6_EXT_DSTOPTS : IPPROTO_TCP);
    }
    pb_set16(pb, 14 + 4, 36);
    extract(pb, &key, NULL);
    assert_int_equal(ntohs(key.flow.tcp_flags), TCP_ACK);
}

/* ---- Hash, map, key equality ---------------------------------------------
 */

static void
test_map_and_hash(void **state)
{
    struct flow_key a, b;
    struct pb *pb = tcp4();

    extract(pb, &a, NULL);
    extract(pb, &b, NULL);
    assert_key_identical(&a, &b);
    assert_true(flow_key_equal(&a, &b));

    /* The map is exactly the non-zero words. */
    for (size_t i = 0; i < FLOW_U64S; i++) {
        uint64_t w;
        memcpy(&w, (const char *)&a.flow + i * 8, 8);
        assert_int_equal(!!(a.map & (1ull << i)), w != 0);
    }
    assert_int_equal(a.map >> FLOW_U64S, 0);
    assert_true(a.map & (1ull << FLOW_WORD(tp_src)));
    assert_false(a.map & (1ull << FLOW_WORD(ipv6_src)));

    /* flow_key_finish() agrees with extraction. */
    b.map = 0;
    b.hash = 0;
    flow_key_finish(&b);
    assert_key_identical(&a, &b);

    /* Any field change changes the hash (for these inputs). */
    b.flow.tp_dst = htons(81);
    flow_key_finish(&b);
    assert_int_not_equal(a.hash, b.hash);
    assert_false(flow_key_equal(&a, &b));
}

static void
test_hash_words_basis_and_map(void **state)
{
    struct flow_key k;
    struct pb *pb = udp6();

    extract(pb, &k, NULL);
    uint32_t h0 = flow_hash_words(&k.flow, k.map, 0);
    assert_int_equal(flow_key_hash(&k.flow, k.map), k.hash);
    assert_int_not_equal(h0, flow_hash_words(&k.flow, k.map, 1));
    /* Including a zero word in the map changes the hash. */
    uint64_t zero_word = 1ull << FLOW_WORD(nw_src);
    assert_false(k.map & zero_word);
    assert_int_not_equal(h0, flow_hash_words(&k.flow, k.map | zero_word, 0));
    /* Same values at different words hash differently. */
    struct flow f1, f2;
    memset(&f1, 0, sizeof f1);
    memset(&f2, 0, sizeof f2);
    f1.nw_src = 5;
    f2.nw_dst = 5;
    assert_int_equal(FLOW_WORD(nw_src), FLOW_WORD(nw_dst));
    assert_int_not_equal(flow_hash_words(&f1, 1ull << FLOW_WORD(nw_src), 0),
                         flow_hash_words(&f2, 1ull << FLOW_WORD(nw_dst), 0));

    /* The key hash has the same properties. */
    assert_int_not_equal(k.hash, flow_key_hash(&k.flow, k.map | zero_word));
    f1.nw_src = 0;
    f1.tp_src = 5;
    f2.nw_dst = 0;
    f2.tp_dst = 5;
    assert_int_not_equal(flow_key_hash(&f1, 1ull << FLOW_WORD(tp_src)),
                         flow_key_hash(&f2, 1ull << FLOW_WORD(tp_dst)));
}

/* flow_tcp_flags() reads TCP flags behind VLAN tags and IPv4 options,
 * none from later fragments or bad headers, and declines IPv6. */
static void
test_tcp_flags_light(void **state)
{
    struct pb *pb = tcp4();
    tern_be16 flags;

    assert_true(flow_tcp_flags(pb->data, pb->len, &flags));
    assert_int_not_equal(flags, 0);

    /* A later fragment: no L4. */
    pb_set16(pb, ETH_HEADER_LEN + 6, 0x0010);
    check_tcp_flags(pb->data, pb->len);
    assert_true(flow_tcp_flags(pb->data, pb->len, &flags));
    assert_int_equal(flags, 0);

    /* Data offset below 5. */
    pb = tcp4();
    pb_set8(pb, ETH_HEADER_LEN + IP_HEADER_LEN + 12, 0x40);
    check_tcp_flags(pb->data, pb->len);

    /* Behind one and two VLAN tags, and three (not parsed). */
    for (int tags = 1; tags <= 3; tags++) {
        eth_start(pb, ETH_TYPE_VLAN_8021Q);
        for (int i = 0; i < tags; i++) {
            pb_vlan(pb, 100 + i,
                    i + 1 < tags ? ETH_TYPE_VLAN_8021Q : ETH_TYPE_IP);
        }
        pb_ipv4(pb, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 1);
        pb_tcp(pb, 1, 2, 0x012);
        pb_finish(pb);
        check_tcp_flags(pb->data, pb->len);
        assert_true(flow_tcp_flags(pb->data, pb->len, &flags));
        assert_int_equal(flags, tags < 3 ? htons(0x012) : 0);
    }

    /* IPv6: left to flow_extract(). */
    pb = udp6();
    assert_false(flow_tcp_flags(pb->data, pb->len, &flags));
    assert_int_equal(flags, 0);
}

/* The key hash spreads keys that differ in one field over the low bits
 * (the exact-match cache indexes its buckets with them). */
static void
test_key_hash_spreads(void **state)
{
    enum { N = 4096, BUCKETS = 1024 };
    static uint16_t hits[BUCKETS];
    struct flow f;
    int max = 0;

    memset(hits, 0, sizeof hits);
    memset(&f, 0, sizeof f);
    f.in_port = 1;
    f.dl_type = htons(ETH_TYPE_IP);
    for (uint32_t i = 0; i < N; i++) {
        uint64_t map = (1ull << FLOW_WORD(in_port)) |
                       (1ull << FLOW_WORD(dl_type)) |
                       (1ull << FLOW_WORD(nw_src));

        f.nw_src = htonl(0x0a000000 | i);
        hits[flow_key_hash(&f, map) % BUCKETS]++;
    }
    for (int i = 0; i < BUCKETS; i++) {
        max = MAX(max, hits[i]);
    }
    /* 4 per bucket on average; a linear hash would pile them up. */
    assert_true(max <= 16);
}

static void
test_key_equal_map_mismatch(void **state)
{
    struct flow_key a, b;

    extract(tcp4(), &a, NULL);
    b = a;
    b.map |= 1ull << FLOW_WORD(nd_target);
    assert_false(flow_key_equal(&a, &b));
    b = a;
    b.hash ^= 1; /* Hash is not part of equality. */
    assert_true(flow_key_equal(&a, &b));
}

/* ---- Wildcards -----------------------------------------------------------
 */

static void
test_wildcards_basic(void **state)
{
    struct flow_wildcards wc, wc2;

    flow_wildcards_init_catchall(&wc);
    assert_true(flow_wildcards_is_catchall(&wc));
    assert_int_equal(flow_wildcards_map(&wc), 0);

    flow_wildcards_init_exact(&wc);
    assert_false(flow_wildcards_is_catchall(&wc));
    assert_int_equal(flow_wildcards_map(&wc), (1ull << FLOW_U64S) - 1);

    flow_wildcards_init_catchall(&wc);
    flow_wildcards_init_catchall(&wc2);
    wc.masks.nw_src = htonl(0xffffff00);
    wc2.masks.tp_dst = 0xffff;
    flow_wildcards_or(&wc, &wc2);
    assert_int_equal(wc.masks.nw_src, htonl(0xffffff00));
    assert_int_equal(wc.masks.tp_dst, 0xffff);
    assert_int_equal(flow_wildcards_map(&wc), (1ull << FLOW_WORD(nw_src)) |
                                                  (1ull << FLOW_WORD(tp_dst)));
}

static void
test_apply_mask_and_equal_except(void **state)
{
    struct flow_wildcards wc;
    struct flow_key a, b;
    struct flow masked;

    extract(tcp4(), &a, NULL);
    b = a;
    b.flow.nw_src = pb_ip4("10.0.0.77");
    b.flow.tp_src = htons(1);

    flow_wildcards_init_catchall(&wc);
    wc.masks.nw_src = htonl(0xffffff00);
    wc.masks.tp_dst = 0xffff;
    assert_true(flow_equal_except(&a.flow, &b.flow, &wc));
    wc.masks.nw_src = htonl(0xffffffff);
    assert_false(flow_equal_except(&a.flow, &b.flow, &wc));

    flow_apply_mask(&masked, &b.flow, &wc);
    assert_int_equal(masked.nw_src, pb_ip4("10.0.0.77"));
    assert_int_equal(masked.tp_dst, htons(80));
    assert_int_equal(masked.tp_src, 0);
    assert_int_equal(masked.dl_type, 0);
    flow_wildcards_init_exact(&wc);
    flow_apply_mask(&masked, &b.flow, &wc);
    assert_memory_equal(&masked, &b.flow, sizeof masked);
}

static void
test_prereqs_l4(void **state)
{
    struct flow_wildcards wc;
    struct flow_key k;

    extract(tcp4(), &k, NULL);
    flow_wildcards_init_catchall(&wc);
    wc.masks.tp_src = htons(0xff00);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.nw_proto, 0xff);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.nw_frag, FLOW_NW_FRAG_LATER);
    assert_int_equal(wc.masks.nw_src, 0);
    assert_int_equal(wc.masks.vlans[0].tci, 0);

    flow_wildcards_init_catchall(&wc);
    wc.masks.tcp_flags = htons(TCP_SYN);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.nw_proto, 0xff);
    assert_int_equal(wc.masks.dl_type, 0xffff);

    /* Catch-all stays catch-all. */
    flow_wildcards_init_catchall(&wc);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_true(flow_wildcards_is_catchall(&wc));
}

static void
test_prereqs_l3(void **state)
{
    struct flow_wildcards wc;
    struct flow_key k;

    extract(tcp4(), &k, NULL);
    flow_wildcards_init_catchall(&wc);
    wc.masks.nw_src = htonl(0xff000000);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.nw_proto, 0);
    assert_int_equal(wc.masks.nw_frag, 0);

    extract(udp6(), &k, NULL);
    flow_wildcards_init_catchall(&wc);
    wc.masks.ipv6_dst.s6_addr[0] = 0xff;
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.nw_proto, 0);

    flow_wildcards_init_catchall(&wc);
    wc.masks.ipv6_label = htonl(1);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.dl_type, 0xffff);

    flow_wildcards_init_catchall(&wc);
    wc.masks.mpls_lse[1] = htonl(MPLS_LABEL_MASK);
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.dl_type, 0xffff);
}

static void
test_prereqs_nd_and_arp(void **state)
{
    struct flow_wildcards wc;
    struct flow_key k;

    extract(nd(ND_NEIGHBOR_SOLICIT, MAC1, NULL), &k, NULL);
    flow_wildcards_init_catchall(&wc);
    wc.masks.nd_target.s6_addr[15] = 0xff;
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.tp_src, 0xffff);
    assert_int_equal(wc.masks.tp_dst, 0xffff);
    assert_int_equal(wc.masks.nw_proto, 0xff);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.nw_frag, FLOW_NW_FRAG_LATER);

    flow_wildcards_init_catchall(&wc);
    wc.masks.arp_sha.ea[0] = 0xff;
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.tp_src, 0xffff);

    /* The same fields under an ARP key only need dl_type. */
    struct pb *pb = &pb_;
    eth_start(pb, ETH_TYPE_ARP);
    pb_arp(pb, 1, MAC1, "1.1.1.1", MAC2, "2.2.2.2");
    extract(pb, &k, NULL);
    flow_wildcards_init_catchall(&wc);
    wc.masks.arp_tha.ea[5] = 0xff;
    flow_wildcards_add_prereqs(&wc, &k.flow);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.tp_src, 0);
    assert_int_equal(wc.masks.nw_proto, 0);
}

static void
test_prereqs_vlan(void **state)
{
    struct flow_wildcards wc;
    struct flow k;

    memset(&k, 0, sizeof k);
    flow_wildcards_init_catchall(&wc);
    wc.masks.vlans[1].tci = htons(VLAN_VID_MASK);
    flow_wildcards_add_prereqs(&wc, &k);
    assert_int_equal(ntohs(wc.masks.vlans[0].tci), VLAN_CFI);
    assert_int_equal(ntohs(wc.masks.vlans[1].tci), VLAN_CFI | VLAN_VID_MASK);
    assert_int_equal(wc.masks.dl_type, 0);

    flow_wildcards_init_catchall(&wc);
    wc.masks.vlans[0].tpid = 0xffff;
    flow_wildcards_add_prereqs(&wc, &k);
    assert_int_equal(ntohs(wc.masks.vlans[0].tci), VLAN_CFI);
    assert_int_equal(wc.masks.vlans[1].tci, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_non_ip),
        cmocka_unit_test(test_short_frame),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_vlan_single),
        cmocka_unit_test(test_vlan_double),
        cmocka_unit_test(test_vlan_third_tag),
        cmocka_unit_test(test_vlan_truncated),
        cmocka_unit_test(test_llc_snap),
        cmocka_unit_test(test_llc_without_snap),
        cmocka_unit_test(test_mpls_stack),
        cmocka_unit_test(test_mpls_without_bos),
        cmocka_unit_test(test_pbb_itag),
        cmocka_unit_test(test_pbb_prereqs),
        cmocka_unit_test(test_arp),
        cmocka_unit_test(test_rarp_and_opcode),
        cmocka_unit_test(test_arp_malformed),
        cmocka_unit_test(test_ipv4_tcp),
        cmocka_unit_test(test_ipv4_udp_sctp_icmp),
        cmocka_unit_test(test_ipv4_options),
        cmocka_unit_test(test_ipv4_ihl_below_5),
        cmocka_unit_test(test_ipv4_ihl_beyond_frame),
        cmocka_unit_test(test_ipv4_total_length_bad),
        cmocka_unit_test(test_ipv4_bad_version),
        cmocka_unit_test(test_ipv4_truncated_header),
        cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_ipv4_proto_0),
        cmocka_unit_test(test_ipv4_padding),
        cmocka_unit_test(test_tcp_data_offset_below_5),
        cmocka_unit_test(test_tcp_data_offset_beyond_segment),
        cmocka_unit_test(test_tcp_all_flags),
        cmocka_unit_test(test_l4_truncated_by_ip_length),
        cmocka_unit_test(test_truncate_every_byte_tcp4),
        cmocka_unit_test(test_truncate_every_byte_tcp6),
        cmocka_unit_test(test_ipv6_payload_length_sweep),
        cmocka_unit_test(test_map_and_hash),
        cmocka_unit_test(test_hash_words_basis_and_map),
        cmocka_unit_test(test_key_hash_spreads),
        cmocka_unit_test(test_tcp_flags_light),
        cmocka_unit_test(test_key_equal_map_mismatch),
        cmocka_unit_test(test_wildcards_basic),
        cmocka_unit_test(test_apply_mask_and_equal_except),
        cmocka_unit_test(test_prereqs_l4),
        cmocka_unit_test(test_prereqs_l3),
        cmocka_unit_test(test_prereqs_nd_and_arp),
        cmocka_unit_test(test_prereqs_vlan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
