/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-flow-compose: unit tests for flow_compose() (every protocol goes
 * through compose -> extract and comes back with the same fields and valid
 * checksums), the checksum, CRC32c and MAC helpers in packets.c and the
 * hash functions in hash.h.  Extraction itself is tested in test-flow.c.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/flow-compose.h"
#include "lib/flow.h"
#include "lib/hash.h"
#include "tests/unit/packet-builder.h"

#define MAC1 PB_SAMPLE_MAC1
#define MAC2 PB_SAMPLE_MAC2

static struct pb pb_;

static void
extract(const struct pb *pb, struct flow_key *key, struct flow_offsets *ofs)
{
    pb_extract(pb->data, pb->len, NULL, key, ofs);
}

/* ---- flow_compose round trips ---------------------------------------------
 */

/* Composes 'f' (with payload), extracts it and compares; checks IP and L4
 * checksums verify. */
static void
round_trip(const struct flow *f, size_t payload_len)
{
    static const char payload[] = "The quick brown fox jumps over the dog";
    struct flow_key key;
    struct flow_offsets ofs;
    struct flow expect = *f;

    expect.recirc_id = expect.in_port = expect.dp_hash = expect.pkt_mark = 0;
    pb_compose(&pb_, f, payload, payload_len);
    extract(&pb_, &key, &ofs);
    assert_memory_equal(&key.flow, &expect, sizeof expect);

    uint16_t type = ntohs(f->dl_type);
    if (type == ETH_TYPE_IP) {
        assert_int_equal(csum(pb_.data + ofs.l3, 20), 0);
    }
    if (ofs.l4 != FLOW_OFS_NONE && !(f->nw_frag & FLOW_NW_FRAG_ANY)) {
        const uint8_t *l4 = pb_.data + ofs.l4;
        size_t n = ofs.l4_len;
        if (f->nw_proto == IPPROTO_SCTP) {
            uint8_t copy[256];
            memcpy(copy, l4, n);
            memset(copy + 8, 0, 4);
            tern_be32 crc = crc32c(copy, n);
            assert_memory_equal(&crc, l4 + 8, 4);
        } else if (f->nw_proto == IPPROTO_ICMP_ && type == ETH_TYPE_IP) {
            assert_int_equal(csum(l4, n), 0);
        } else if (f->nw_proto == IPPROTO_TCP || f->nw_proto == IPPROTO_UDP ||
                   f->nw_proto == IPPROTO_ICMPV6) {
            uint32_t p;
            if (type == ETH_TYPE_IP) {
                p = csum_continue(0, &f->nw_src, 8);
            } else {
                p = csum_continue(0, &f->ipv6_src, 32);
            }
            p += f->nw_proto + n;
            assert_int_equal(csum_finish(csum_continue(p, l4, n)), 0);
        }
    }
}

static struct flow
base_flow(uint16_t dl_type)
{
    struct flow f;
    memset(&f, 0, sizeof f);
    f.in_port = 5;
    f.dl_dst = pb_mac(MAC2);
    f.dl_src = pb_mac(MAC1);
    f.dl_type = htons(dl_type);
    return f;
}

static void
test_compose_ipv4(void **state)
{
    static const uint8_t protos[] = {IPPROTO_TCP,   IPPROTO_UDP, IPPROTO_SCTP,
                                     IPPROTO_ICMP_, 0,           47};
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        for (size_t plen = 0; plen < 4; plen++) {
            struct flow f = base_flow(ETH_TYPE_IP);
            f.nw_src = pb_ip4("192.168.1.1");
            f.nw_dst = pb_ip4("192.168.1.200");
            f.nw_proto = protos[i];
            f.nw_tos = 0x10;
            f.nw_ttl = 17;
            if (protos[i] == IPPROTO_ICMP_) {
                f.tp_src = htons(8);
                f.tp_dst = htons(0);
            } else if (protos[i] && protos[i] != 47) {
                f.tp_src = htons(1000 + plen);
                f.tp_dst = htons(2000);
            }
            if (protos[i] == IPPROTO_TCP) {
                f.tcp_flags = htons(TCP_SYN | TCP_ECE | TCP_NS);
            }
            round_trip(&f, plen * 7);
        }
    }
}

static void
test_compose_ipv6(void **state)
{
    static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP,
                                     IPPROTO_ICMPV6, IPV6_EXT_NONE};
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        struct flow f = base_flow(ETH_TYPE_IPV6);
        f.ipv6_src = pb_ip6("2001:db8::10");
        f.ipv6_dst = pb_ip6("2001:db8:ffff::20");
        f.ipv6_label = htonl(0xabcde);
        f.nw_proto = protos[i];
        f.nw_tos = 0xfc;
        f.nw_ttl = 2;
        if (protos[i] != IPV6_EXT_NONE) {
            f.tp_src = htons(protos[i] == IPPROTO_ICMPV6 ? 129 : 1);
            f.tp_dst = htons(protos[i] == IPPROTO_ICMPV6 ? 0 : 65535);
        }
        if (protos[i] == IPPROTO_TCP) {
            f.tcp_flags = htons(TCP_FIN | TCP_ACK);
        }
        round_trip(&f, 11);
    }
}

static void
test_compose_nd(void **state)
{
    for (int i = 0; i < 4; i++) {
        struct flow f = base_flow(ETH_TYPE_IPV6);
        f.ipv6_src = pb_ip6("fe80::1");
        f.ipv6_dst = pb_ip6("ff02::1:ff00:2");
        f.nw_proto = IPPROTO_ICMPV6;
        f.nw_ttl = 255;
        f.tp_src = htons(i & 1 ? ND_NEIGHBOR_ADVERT : ND_NEIGHBOR_SOLICIT);
        f.nd_target = pb_ip6("fe80::2");
        if (i & 2) {
            f.arp_sha = pb_mac(MAC1);
            f.arp_tha = pb_mac(MAC2);
        }
        round_trip(&f, 5); /* The payload is dropped for ND. */
    }
}

static void
test_compose_fragments(void **state)
{
    for (int v6 = 0; v6 < 2; v6++) {
        for (int later = 0; later < 2; later++) {
            struct flow f = base_flow(v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);
            if (v6) {
                f.ipv6_src = pb_ip6("::1");
            } else {
                f.nw_src = pb_ip4("1.2.3.4");
            }
            f.nw_proto = IPPROTO_UDP;
            f.nw_ttl = 3;
            f.nw_frag = FLOW_NW_FRAG_ANY | (later ? FLOW_NW_FRAG_LATER : 0);
            if (!later) {
                f.tp_src = htons(9);
                f.tp_dst = htons(10);
            }
            round_trip(&f, 16);
        }
    }
}

static void
test_compose_l2_variants(void **state)
{
    /* ARP and RARP. */
    struct flow f = base_flow(ETH_TYPE_ARP);
    f.nw_proto = ARP_OP_REQUEST;
    f.nw_src = pb_ip4("10.0.0.1");
    f.nw_dst = pb_ip4("10.0.0.2");
    f.arp_sha = pb_mac(MAC1);
    round_trip(&f, 0);
    f.dl_type = htons(ETH_TYPE_RARP);
    f.arp_tha = pb_mac(MAC2);
    f.nw_proto = 4;
    round_trip(&f, 18);

    /* Two VLAN tags around IPv4/UDP. */
    f = base_flow(ETH_TYPE_IP);
    f.vlans[0].tpid = htons(ETH_TYPE_VLAN_8021AD);
    f.vlans[0].tci = htons(VLAN_CFI | 0xe123);
    f.vlans[1].tpid = htons(ETH_TYPE_VLAN_8021Q);
    f.vlans[1].tci = htons(VLAN_CFI | 4095);
    f.nw_proto = IPPROTO_UDP;
    f.tp_src = htons(1);
    round_trip(&f, 3);

    /* MPLS stack with BOS on the second entry, and without BOS. */
    f = base_flow(ETH_TYPE_MPLS);
    f.mpls_lse[0] = htonl((16 << 12) | 64);
    f.mpls_lse[1] = htonl((17 << 12) | MPLS_BOS_MASK | 63);
    round_trip(&f, 20);
    f.mpls_lse[1] = htonl(17 << 12);
    f.mpls_lse[3] = htonl(19 << 12);
    round_trip(&f, 20);

    /* 802.3 without SNAP, and a plain Ethertype. */
    f = base_flow(FLOW_DL_TYPE_NONE);
    round_trip(&f, 30);
    f = base_flow(0x88cc);
    round_trip(&f, 30);
}

static void
test_compose_buffer_too_small(void **state)
{
    uint8_t buf[128];
    struct flow f = base_flow(ETH_TYPE_IP);
    f.nw_proto = IPPROTO_TCP;

    size_t full = flow_compose(&f, "xyz", 3, buf, sizeof buf);
    assert_int_equal(full, 14 + 20 + 20 + 3);
    for (size_t size = 0; size < full; size++) {
        assert_int_equal(flow_compose(&f, "xyz", 3, buf, size), 0);
    }
    assert_int_equal(flow_compose(&f, "xyz", 3, buf, full), full);
}

/* ---- packets.c and hash.h -------------------------------------------------
 */

static void
test_checksums(void **state)
{
    /* RFC 1071 section 3 example: sum 0xddf2, checksum ~0xddf2. */
    static const uint8_t rfc[8] = {0x00, 0x01, 0xf2, 0x03,
                                   0xf4, 0xf5, 0xf6, 0xf7};
    assert_int_equal(ntohs(csum(rfc, 8)), (uint16_t)~0xddf2);
    /* Odd length: last byte is the high byte of a padded word. */
    assert_int_equal(ntohs(csum(rfc, 7)), (uint16_t) ~(0xddf2 - 0xf7));
    /* Chunks compose. */
    assert_int_equal(
        csum_finish(csum_continue(csum_continue(0, rfc, 4), rfc + 4, 4)),
        csum(rfc, 8));

    /* Incremental updates equal a full recomputation. */
    struct pb *pb = pb_sample_tcp4(&pb_);
    uint8_t *ip = pb->data + 14;
    tern_be16 old_csum, new_csum;
    tern_be32 old_src, new_src = pb_ip4("172.16.99.3");
    memcpy(&old_csum, ip + 10, 2);
    memcpy(&old_src, ip + 12, 4);
    memcpy(ip + 12, &new_src, 4);
    new_csum = recalc_csum32(old_csum, old_src, new_src);
    memcpy(ip + 10, &new_csum, 2);
    assert_int_equal(csum(ip, 20), 0);

    tern_be16 old_ttl = htons(ip[8] << 8 | ip[9]);
    ip[8] = 1;
    tern_be16 new_ttl = htons(ip[8] << 8 | ip[9]);
    new_csum = recalc_csum16(new_csum, old_ttl, new_ttl);
    memcpy(ip + 10, &new_csum, 2);
    assert_int_equal(csum(ip, 20), 0);

    /* 128-bit update on an IPv6 UDP checksum. */
    pb = pb_sample_udp6(&pb_);
    uint8_t *ip6 = pb->data + 14, *udp = ip6 + 40;
    struct in6_addr na = pb_ip6("fd00::abcd:1");
    memcpy(&old_csum, udp + 6, 2);
    new_csum = recalc_csum128(old_csum, ip6 + 8, &na);
    memcpy(ip6 + 8, &na, 16);
    memcpy(udp + 6, &new_csum, 2);
    uint32_t p = csum_continue(0, ip6 + 8, 32) + IPPROTO_UDP + 14;
    assert_int_equal(csum_finish(csum_continue(p, udp, 14)), 0);
}

static void
test_crc32c(void **state)
{
    static const uint8_t check[] = "123456789";
    static const uint8_t expect[4] = {0x83, 0x92, 0x06, 0xe3};
    tern_be32 crc = crc32c(check, 9);
    assert_memory_equal(&crc, expect, 4);

    /* An SCTP common header as a reference implementation sums it. */
    static const uint8_t sctp[12] = {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t sctp_crc[4] = {0xfd, 0x98, 0x80, 0x51};
    crc = crc32c(sctp, 12);
    assert_memory_equal(&crc, sctp_crc, 4);
}

static void
test_eth_addr_from_string(void **state)
{
    struct eth_addr ea;
    static const uint8_t want[6] = {0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef};

    assert_true(eth_addr_from_string("00:1b:21:AB:cd:ef", &ea));
    assert_memory_equal(ea.ea, want, 6);
    assert_true(eth_addr_from_string("0:1b:21:ab:cd:ef", &ea));
    assert_memory_equal(ea.ea, want, 6);

    memset(&ea, 0x5a, sizeof ea);
    assert_false(eth_addr_from_string("00:1b:21:ab:cd", &ea));
    assert_false(eth_addr_from_string("00:1b:21:ab:cd:ef:01", &ea));
    assert_false(eth_addr_from_string("00:1b:21:ab:cd:eg", &ea));
    assert_false(eth_addr_from_string("001b21abcdef", &ea));
    assert_false(eth_addr_from_string("00:1b:21:ab:cd:ef ", &ea));
    assert_false(eth_addr_from_string("", &ea));
    assert_false(eth_addr_from_string(NULL, &ea));
    assert_int_equal(ea.ea[0], 0x5a); /* Untouched on failure. */
}

static void
test_hash_helpers(void **state)
{
    uint64_t words[3] = {1, 2, 3};
    uint64_t swapped[3] = {2, 1, 3};

    assert_int_equal(hash_words64(words, 3, 0), hash_words64(words, 3, 0));
    assert_int_not_equal(hash_words64(words, 3, 0),
                         hash_words64(swapped, 3, 0));
    assert_int_not_equal(hash_words64(words, 3, 0), hash_words64(words, 2, 0));
    assert_int_equal(hash_bytes(words, 24, 7), hash_words64(words, 3, 7));
    assert_int_not_equal(hash_bytes("abc", 3, 0), hash_bytes("abd", 3, 0));
    assert_int_not_equal(hash_bytes("abc", 3, 0), hash_bytes("abc", 3, 1));
    assert_int_equal(hash_string("tern", 0), hash_bytes("tern", 4, 0));
    assert_int_not_equal(hash_int(1, 0), hash_int(2, 0));

    /* Low bits of sequential inputs spread over buckets. */
    int buckets[16] = {0};
    for (uint32_t i = 0; i < 1600; i++) {
        buckets[hash_int(i, 0) & 15]++;
    }
    for (int i = 0; i < 16; i++) {
        assert_in_range(buckets[i], 60, 140);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compose_ipv4),
        cmocka_unit_test(test_compose_ipv6),
        cmocka_unit_test(test_compose_nd),
        cmocka_unit_test(test_compose_fragments),
        cmocka_unit_test(test_compose_l2_variants),
        cmocka_unit_test(test_compose_buffer_too_small),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_crc32c),
        cmocka_unit_test(test_eth_addr_from_string),
        cmocka_unit_test(test_hash_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
