/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for datapath/dp-execute, part one: the batch loop and packet
 * ownership, output, userspace and recirculation, VLAN and MPLS push and
 * pop, dec_ttl and the TTL copies, on real DPDK packets built with the test
 * packet builder.  Each test checks the resulting bytes against a packet built
 * directly with the expected headers and recomputes every checksum from
 * scratch; the shared teardown (dp-execute-fixture) checks that the mempool
 * got every packet back.  Masked set actions are in test-dp-execute-set.c.
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

/* Lists and packets only these tests use. */

static void
put_userspace(struct dp_actions_buf *b, uint32_t pid, const char *userdata)
{
    uint8_t buf[sizeof(struct dpa_userspace) + 16] = {0};
    struct dpa_userspace ua = {.pid = pid, .userdata_len = strlen(userdata)};

    assert_true(ua.userdata_len <= 16);
    memcpy(buf, &ua, sizeof ua);
    memcpy(buf + sizeof ua, userdata, ua.userdata_len);
    dp_actions_put(b, DPA_USERSPACE, buf, sizeof ua + ua.userdata_len);
}

static void
put_recirc(struct dp_actions_buf *b, uint32_t id)
{
    struct dpa_recirc r = {.recirc_id = id};

    dp_actions_put(b, DPA_RECIRC, &r, sizeof r);
}

/* Builds the usual UDP packet 10.0.0.1:1 -> 10.0.0.2:2 into 'pb' and
 * returns a copy of it with its key extracted; the caller (or the executor
 * it hands the packet to) frees it. */
static struct dp_packet *
udp_pkt(struct pb *pb)
{
    dpx_ipv4_udp(pb, "10.0.0.1", "10.0.0.2", 1, 2);
    return dpx_mkpkt(pb, true);
}

/* Output, ownership, drop. */

static void
test_output_single_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = dpx_mkpkt(&pb, true);
    dpx_put_output(&dpx_acts, 7);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 1);
    assert_int_equal(dpx_rec.out[0].port, 7);
    assert_ptr_equal(dpx_rec.out[0].p, p); /* No copy for the last output. */
    dpx_assert_bytes(p, &pb);
}

static void
test_output_two_ports_clones_first(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    dpx_put_output(&dpx_acts, 1);
    dpx_put_output(&dpx_acts, 2);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 2);
    assert_int_equal(dpx_rec.out[0].port, 1);
    assert_int_equal(dpx_rec.out[1].port, 2);
    assert_ptr_not_equal(dpx_rec.out[0].p, p);
    assert_ptr_equal(dpx_rec.out[1].p, p);
    dpx_assert_bytes(dpx_rec.out[0].p, &pb);
    dpx_assert_bytes(dpx_rec.out[1].p, &pb);
}

static void
test_output_batch_of_three(void **state)
{
    struct dp_packet *pkts[3];
    struct pb pb;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    for (size_t i = 0; i < 3; i++) {
        pkts[i] = dpx_mkpkt(&pb, i != 1);
    }
    dpx_put_output(&dpx_acts, 1);
    dpx_put_output(&dpx_acts, 2);
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, 3);
    assert_int_equal(dpx_rec.n_out, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(dpx_rec.out[i].port, i < 3 ? 1 : 2);
        dpx_assert_bytes(dpx_rec.out[i].p, &pb);
    }
}

static void
test_drop_empty_list_frees_all(void **state)
{
    struct dp_packet *pkts[DP_PACKET_BATCH_SIZE];
    struct pb pb;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    for (size_t i = 0; i < DP_PACKET_BATCH_SIZE; i++) {
        pkts[i] = dpx_mkpkt(&pb, true);
    }
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, DP_PACKET_BATCH_SIZE);
    assert_int_equal(dpx_rec.n_out + dpx_rec.n_up + dpx_rec.n_recirc, 0);
    /* The teardown checks that all 32 went back to the pool. */
}

static void
test_list_without_output_frees(void **state)
{
    struct flow v, m;
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    v.nw_src = pb_ip4("1.2.3.4");
    m.nw_src = htonl(0xffffffff);
    dpx_put_set(&dpx_acts, &v, &m);
    dpx_put_push_vlan(&dpx_acts, ETH_TYPE_VLAN_8021Q, 5);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 0);
}

static void
test_userspace_view_then_output(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    dpx_put_output(&dpx_acts, 4);
    put_userspace(&dpx_acts, 77, "cookie");
    dpx_run1(&dpx_acts, p);
    /* The output came first but the upcall still needed the packet. */
    assert_int_equal(dpx_rec.n_out, 1);
    assert_ptr_not_equal(dpx_rec.out[0].p, p);
    assert_int_equal(dpx_rec.n_up, 1);
    assert_int_equal(dpx_rec.up[0].pid, 77);
    assert_int_equal(dpx_rec.up[0].userdata_len, 6);
    assert_memory_equal(dpx_rec.up[0].userdata, "cookie", 6);
    assert_int_equal(dpx_rec.up[0].len, pb.len);
    assert_memory_equal(dpx_rec.up[0].bytes, pb.data, pb.len);
}

static void
test_userspace_null_callback_ignored(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    put_userspace(&dpx_acts, 1, "x");
    dpx_put_output(&dpx_acts, 3);
    dpx_run_ops(&dpx_output_only_ops, &dpx_acts, &p, 1);
    assert_int_equal(dpx_rec.n_up, 0);
    assert_int_equal(dpx_rec.n_out, 1);
    assert_ptr_equal(dpx_rec.out[0].p, p);
}

/* VLAN and MPLS push/pop. */

static void
test_push_pop_vlan_twice(void **state)
{
    static const uint32_t tags[] = {
        DPX_TAG(ETH_TYPE_VLAN_8021AD, 3 << VLAN_PCP_SHIFT | 20),
        DPX_TAG(ETH_TYPE_VLAN_8021Q, 10),
    };
    struct pb pb, expect;
    struct dp_packet *p;

    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = dpx_mkpkt(&pb, true);
    dpx_put_push_vlan(&dpx_acts, ETH_TYPE_VLAN_8021Q, VLAN_CFI | 10);
    dpx_put_push_vlan(&dpx_acts, ETH_TYPE_VLAN_8021AD,
                      (3 << VLAN_PCP_SHIFT) | 20);
    dpx_put_output(&dpx_acts, 1);
    dp_actions_put(&dpx_acts, DPA_POP_VLAN, NULL, 0);
    dpx_put_output(&dpx_acts, 2);
    dp_actions_put(&dpx_acts, DPA_POP_VLAN, NULL, 0);
    dpx_put_output(&dpx_acts, 3);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 3);

    /* Outer 802.1ad tag first; CFI is not written to the wire. */
    dpx_tagged_tcp(&expect, tags, 2, "10.0.0.2", 2);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);
    dpx_tagged_tcp(&expect, tags + 1, 1, "10.0.0.2", 2);
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);

    assert_ptr_equal(dpx_rec.out[2].p, p);
    dpx_assert_bytes(p, &pb);
}

static void
test_push_vlan_then_set_ip(void **state)
{
    const uint32_t tag = DPX_TAG(ETH_TYPE_VLAN_8021Q, 42);
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    /* The layout must follow the pushed tag for the rewrite to land. */
    dpx_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = dpx_mkpkt(&pb, true);
    dpx_flows_zero(&v, &m);
    v.nw_dst = pb_ip4("10.9.9.9");
    m.nw_dst = htonl(0xffffffff);
    v.tp_dst = htons(443);
    m.tp_dst = htons(0xffff);
    dpx_put_push_vlan(&dpx_acts, ETH_TYPE_VLAN_8021Q, 42);
    dpx_put_set(&dpx_acts, &v, &m);
    dpx_put_output(&dpx_acts, 1);
    dpx_run1(&dpx_acts, p);

    dpx_tagged_tcp(&expect, &tag, 1, "10.9.9.9", 443);
    assert_int_equal(dpx_rec.n_out, 1);
    dpx_assert_pkt_csums(p);
    dpx_assert_bytes(p, &expect);
}

static void
test_pop_vlan_untagged_unchanged(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    dp_actions_put(&dpx_acts, DPA_POP_VLAN, NULL, 0);
    dpx_put_output(&dpx_acts, 1);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 1);
    dpx_assert_bytes(p, &pb);
}

static void
test_push_vlan_no_headroom_drops(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    /* Use up the headroom by moving the data to the buffer's start. */
    {
        uint16_t room = rte_pktmbuf_headroom(&p->mbuf);

        assert_non_null(rte_pktmbuf_prepend(&p->mbuf, room));
        memmove(dp_packet_data(p), (uint8_t *)dp_packet_data(p) + room,
                pb.len);
        assert_int_equal(rte_pktmbuf_trim(&p->mbuf, room), 0);
    }
    dpx_put_push_vlan(&dpx_acts, ETH_TYPE_VLAN_8021Q, 1);
    dpx_put_output(&dpx_acts, 1);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 0); /* Freed: the teardown checks. */
}

static void
pb_mpls_ipv4(struct pb *pb, bool vlan, const uint32_t *labels, size_t n)
{
    pb_init(pb);
    if (vlan) {
        pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_VLAN_8021Q);
        pb_vlan(pb, 10, n ? ETH_TYPE_MPLS : ETH_TYPE_IP);
    } else {
        pb_eth(pb, DPX_MAC_B, DPX_MAC_A, n ? ETH_TYPE_MPLS : ETH_TYPE_IP);
    }
    for (size_t i = 0; i < n; i++) {
        pb_mpls(pb, labels[i], 0, i == n - 1, 64);
    }
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

static void
test_push_mpls(void **state)
{
    static const uint32_t one[] = {100}, two[] = {200, 100};
    struct pb pb, expect;
    struct dp_packet *p;

    /* Onto IPv4, after the VLAN tag: the Ethertype becomes MPLS. */
    pb_mpls_ipv4(&pb, true, NULL, 0);
    p = dpx_mkpkt(&pb, true);
    dpx_put_push_mpls(&dpx_acts, 100, true, 64);
    dpx_put_output(&dpx_acts, 1);
    dpx_put_push_mpls(&dpx_acts, 200, false, 64);
    dpx_put_output(&dpx_acts, 2);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 2);
    pb_mpls_ipv4(&expect, true, one, 1);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);
    /* Onto an existing stack: the new entry is the top. */
    pb_mpls_ipv4(&expect, true, two, 2);
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);
}

static void
test_pop_mpls_then_set(void **state)
{
    static const uint32_t two[] = {200, 100};
    static const uint32_t one[] = {100};
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_mpls_ipv4(&pb, false, two, 2);
    p = dpx_mkpkt(&pb, true);
    dpx_flows_zero(&v, &m);
    v.nw_src = pb_ip4("10.0.0.77");
    m.nw_src = htonl(0xffffffff);
    dpx_put_pop_mpls(&dpx_acts, ETH_TYPE_MPLS);
    dpx_put_output(&dpx_acts, 1);
    dpx_put_pop_mpls(&dpx_acts, ETH_TYPE_IP);
    dpx_put_set(&dpx_acts, &v, &m); /* Needs the headers found anew. */
    dpx_put_output(&dpx_acts, 2);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 2);
    pb_mpls_ipv4(&expect, false, one, 1);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);

    pb_init(&expect);
    pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(&expect, "10.0.0.77", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&expect, 1, 2);
    pb_finish(&expect);
    dpx_assert_pkt_csums(dpx_rec.out[1].p);
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);
}

/* PBB. */

/* Builds B-DA B-SA [B-tag 20] 0x88e7 I-TAG(isid) C-DA C-SA [C-tag 10]
 * IPv4/UDP, or only the customer frame when 'outer' is false. */
static void
pb_pbb_ipv4(struct pb *pb, bool outer, bool btag, bool ctag, uint32_t isid)
{
    pb_init(pb);
    if (outer) {
        pb_eth(pb, "00:00:00:00:bb:01", "00:00:00:00:bb:02",
               btag ? ETH_TYPE_VLAN_8021AD : ETH_TYPE_PBB);
        if (btag) {
            pb_vlan(pb, 20, ETH_TYPE_PBB);
        }
        pb_put_be32(pb, isid);
    }
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ctag ? ETH_TYPE_VLAN_8021Q : ETH_TYPE_IP);
    if (ctag) {
        pb_vlan(pb, 10, ETH_TYPE_IP);
    }
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

static void
put_push_pbb(struct dp_actions_buf *b, uint32_t itag)
{
    struct dpa_push_pbb pp = {.itag = htonl(itag)};

    dp_actions_put(b, DPA_PUSH_PBB, &pp, sizeof pp);
}

static void
test_pop_pbb(void **state)
{
    struct pb pb, expect;
    struct flow v, m;

    /* Behind a backbone tag; the customer tag stays.  A set after the pop
     * finds the customer's IPv4 header. */
    pb_pbb_ipv4(&pb, true, true, true, 0x123456);
    dpx_flows_zero(&v, &m);
    v.nw_src = pb_ip4("10.0.0.77");
    m.nw_src = htonl(0xffffffff);
    dp_actions_put(&dpx_acts, DPA_POP_PBB, NULL, 0);
    dpx_put_output(&dpx_acts, 1);
    dpx_put_set(&dpx_acts, &v, &m);
    dpx_put_output(&dpx_acts, 2);
    dpx_run1(&dpx_acts, dpx_mkpkt(&pb, true));
    assert_int_equal(dpx_rec.n_out, 2);
    pb_pbb_ipv4(&expect, false, false, true, 0);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);
    pb_init(&expect);
    pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_VLAN_8021Q);
    pb_vlan(&expect, 10, ETH_TYPE_IP);
    pb_ipv4(&expect, "10.0.0.77", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&expect, 1, 2);
    pb_finish(&expect);
    dpx_assert_pkt_csums(dpx_rec.out[1].p);
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);
    dpx_rec_release();

    /* Not PBB, or an I-TAG with no customer header behind it: unchanged. */
    pb_pbb_ipv4(&pb, false, false, false, 0);
    dpx_acts.size = 0;
    dp_actions_put(&dpx_acts, DPA_POP_PBB, NULL, 0);
    dpx_put_output(&dpx_acts, 1);
    dpx_run1(&dpx_acts, dpx_mkpkt(&pb, true));
    assert_int_equal(dpx_rec.n_out, 1);
    dpx_assert_bytes(dpx_rec.out[0].p, &pb);
    dpx_rec_release();

    pb_init(&pb);
    pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_PBB);
    pb_put_be32(&pb, 5);
    pb_put_zeros(&pb, 13);
    dpx_run1(&dpx_acts, dpx_mkpkt(&pb, false));
    assert_int_equal(dpx_rec.n_out, 1);
    dpx_assert_bytes(dpx_rec.out[0].p, &pb);
}

static void
test_push_pbb_then_set(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    size_t ofs;

    /* The I-TAG goes behind the MAC addresses, which are repeated as the
     * customer ones; the customer tag moves inside.  A set on the I-SID
     * then rewrites it, and one on IPv4 finds nothing to rewrite. */
    pb_pbb_ipv4(&pb, false, false, true, 0);
    put_push_pbb(&dpx_acts, PBB_UCA_MASK | 100);
    dpx_put_output(&dpx_acts, 1);
    dpx_flows_zero(&v, &m);
    v.pbb_isid = htonl(0xabcd00);
    m.pbb_isid = htonl(0xffff00);
    v.nw_src = pb_ip4("10.0.0.77");
    m.nw_src = htonl(0xffffffff);
    dpx_put_set(&dpx_acts, &v, &m);
    dpx_put_output(&dpx_acts, 2);
    dpx_run1(&dpx_acts, dpx_mkpkt(&pb, true));
    assert_int_equal(dpx_rec.n_out, 2);

    pb_init(&expect);
    pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_PBB);
    ofs = pb_put_be32(&expect, PBB_UCA_MASK | 100);
    pb_eth(&expect, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_VLAN_8021Q);
    pb_vlan(&expect, 10, ETH_TYPE_IP);
    pb_ipv4(&expect, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&expect, 1, 2);
    pb_finish(&expect);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);
    pb_set16(&expect, ofs, (PBB_UCA_MASK | 0xabcd64) >> 16);
    pb_set16(&expect, ofs + 2, 0xcd64);
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);
}

/* TTL. */

/* [dec_ttl(userspace(99)), output:1]. */
static void
build_dec_ttl_list(struct dp_actions_buf *b)
{
    size_t ofs = dp_actions_start_nested(b, DPA_DEC_TTL);

    put_userspace(b, 99, "ttl");
    dp_actions_end_nested(b, ofs);
    dpx_put_output(b, 1);
}

static void
test_dec_ttl_ipv4_and_ipv6(void **state)
{
    struct pb pb4, pb6, expect;
    struct dp_packet *pkts[2];

    dpx_ipv4_tcp(&pb4, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    dpx_ipv6_l4(&pb6, "::1", "::2", IPPROTO_UDP);
    pkts[0] = dpx_mkpkt(&pb4, true);
    pkts[1] = dpx_mkpkt(&pb6, false);
    build_dec_ttl_list(&dpx_acts);
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, 2);
    assert_int_equal(dpx_rec.n_up, 0);
    assert_int_equal(dpx_rec.n_out, 2);

    dpx_ipv4_tcp(&expect, "10.0.0.1", "10.0.0.2", 63, 1, 2);
    dpx_assert_pkt_csums(dpx_rec.out[0].p);
    dpx_assert_bytes(dpx_rec.out[0].p, &expect);
    expect = pb6;
    expect.data[ETH_HEADER_LEN + 7] = 63;
    dpx_assert_bytes(dpx_rec.out[1].p, &expect);
}

static void
test_dec_ttl_expiry_runs_nested(void **state)
{
    struct pb live, dying, dying6;
    struct dp_packet *pkts[3];

    dpx_ipv4_tcp(&live, "10.0.0.1", "10.0.0.2", 2, 1, 2);
    dpx_ipv4_tcp(&dying, "10.0.0.3", "10.0.0.4", 1, 1, 2);
    dpx_ipv6_l4(&dying6, "::1", "::2", IPPROTO_TCP);
    pb_set8(&dying6, ETH_HEADER_LEN + 7, 0);
    pkts[0] = dpx_mkpkt(&dying, true);
    pkts[1] = dpx_mkpkt(&live, true);
    pkts[2] = dpx_mkpkt(&dying6, true);
    build_dec_ttl_list(&dpx_acts);
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, 3);

    /* Only the live packet went on; the others went to the slow path
     * untouched and then were freed (teardown). */
    assert_int_equal(dpx_rec.n_out, 1);
    assert_ptr_equal(dpx_rec.out[0].p, pkts[1]);
    assert_int_equal(((uint8_t *)dp_packet_data(pkts[1]))[22], 1);
    dpx_assert_pkt_csums(pkts[1]);
    assert_int_equal(dpx_rec.n_up, 2);
    assert_int_equal(dpx_rec.up[0].pid, 99);
    assert_memory_equal(dpx_rec.up[0].userdata, "ttl", 3);
    assert_int_equal(dpx_rec.up[0].len, dying.len);
    assert_memory_equal(dpx_rec.up[0].bytes, dying.data, dying.len);
    assert_memory_equal(dpx_rec.up[1].bytes, dying6.data, dying6.len);
}

static void
test_dec_ttl_nested_output_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;
    size_t ofs;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pb_set8(&pb, ETH_HEADER_LEN + 8, 0); /* TTL 0 (checksum now stale). */
    p = dpx_mkpkt(&pb, true);
    ofs = dp_actions_start_nested(&dpx_acts, DPA_DEC_TTL);
    dpx_put_output(&dpx_acts, 9);
    dp_actions_end_nested(&dpx_acts, ofs);
    dpx_put_output(&dpx_acts, 1);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 1);
    assert_int_equal(dpx_rec.out[0].port, 9);
    assert_ptr_equal(dpx_rec.out[0].p, p);
    dpx_assert_bytes(p, &pb);
}

static void
test_dec_ttl_non_ip_unchanged(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    dpx_arp(&pb, ARP_OP_REQUEST, DPX_MAC_A, "10.0.0.1", "00:00:00:00:00:00",
            "10.0.0.2");
    p = dpx_mkpkt(&pb, true);
    build_dec_ttl_list(&dpx_acts);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_up, 0);
    assert_int_equal(dpx_rec.n_out, 1);
    dpx_assert_bytes(p, &pb);
    assert_true(p->md.key_valid); /* Untouched packets keep their key. */
}

/* Recirculation. */

static void
test_recirc_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    dpx_put_output(&dpx_acts, 1);
    put_recirc(&dpx_acts, 5);
    dpx_run1(&dpx_acts, p);
    assert_int_equal(dpx_rec.n_out, 1);
    assert_ptr_not_equal(dpx_rec.out[0].p, p);
    assert_int_equal(dpx_rec.out[0].p->md.md.recirc_id, 0);
    assert_int_equal(dpx_rec.n_recirc, 1);
    assert_ptr_equal(dpx_rec.recirc[0], p);
    assert_int_equal(p->md.md.recirc_id, 5);
    assert_false(p->md.key_valid);
    dpx_assert_bytes(p, &pb);
}

static void
test_recirc_clone_then_output(void **state)
{
    struct dp_packet *pkts[2];
    struct pb pb;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pkts[0] = dpx_mkpkt(&pb, true);
    pkts[1] = dpx_mkpkt(&pb, true);
    put_recirc(&dpx_acts, 8);
    dpx_put_output(&dpx_acts, 1);
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, 2);
    assert_int_equal(dpx_rec.n_recirc, 2);
    assert_int_equal(dpx_rec.n_out, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(dpx_rec.recirc[i]->md.md.recirc_id, 8);
        assert_ptr_equal(dpx_rec.out[i].p, pkts[i]);
        assert_int_equal(pkts[i]->md.md.recirc_id, 0);
    }
}

static void
test_recirc_without_callback_drops(void **state)
{
    struct dp_packet *pkts[2];
    struct pb pb;

    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pkts[0] = dpx_mkpkt(&pb, true);
    pkts[1] = dpx_mkpkt(&pb, false);
    put_recirc(&dpx_acts, 3);
    dpx_run_ops(&dpx_output_only_ops, &dpx_acts, pkts, 2);
    assert_int_equal(dpx_rec.n_recirc + dpx_rec.n_out, 0);
}

/* copy_ttl_in and copy_ttl_out. */

/* Builds DPX_MAC_A -> DPX_MAC_B [VLAN 10] with 'n' label stack entries
 * (labels 100, 101, ..., TTLs 'ttls', outermost first) in front of IPv4
 * (ip_version 4) or IPv6 (6) UDP with TTL / hop limit 'ip_ttl'. */
static void
pb_mpls_ttl(struct pb *pb, bool vlan, const uint8_t *ttls, size_t n,
            int ip_version, uint8_t ip_ttl)
{
    uint16_t l3 = ip_version == 4 ? ETH_TYPE_IP : ETH_TYPE_IPV6;
    uint16_t type = n ? ETH_TYPE_MPLS : l3;

    pb_init(pb);
    if (vlan) {
        pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_VLAN_8021Q);
        pb_vlan(pb, 10, type);
    } else {
        pb_eth(pb, DPX_MAC_B, DPX_MAC_A, type);
    }
    for (size_t i = 0; i < n; i++) {
        pb_mpls(pb, 100 + i, 0, i == n - 1, ttls[i]);
    }
    if (ip_version == 4) {
        pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, ip_ttl);
    } else {
        pb_ipv6(pb, "2001:db8::1", "2001:db8::2", IPPROTO_UDP, ip_ttl, 0, 0);
    }
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

/* Runs [copy_ttl_(in|out), output(port)] over a copy of 'pb' (with or
 * without its key) and returns the packet output, which dpx_rec owns. */
static struct dp_packet *
run_copy_ttl(const struct pb *pb, bool key, bool in, uint32_t port)
{
    struct dp_actions_buf b;
    size_t n = dpx_rec.n_out;

    dp_actions_buf_init(&b);
    dp_actions_put(&b, in ? DPA_COPY_TTL_IN : DPA_COPY_TTL_OUT, NULL, 0);
    dpx_put_output(&b, port);
    dpx_run1(&b, dpx_mkpkt(pb, key));
    dp_actions_buf_uninit(&b);
    assert_int_equal(dpx_rec.n_out, n + 1);
    assert_int_equal(dpx_rec.out[n].port, port);
    return dpx_rec.out[n].p;
}

/* Checks, from scratch, the IPv4 header checksum of the 20 bytes at 'ofs'
 * in 'p'. */
static void
assert_ipv4_csum_at(const struct dp_packet *p, size_t ofs)
{
    const uint8_t *h = (const uint8_t *)dp_packet_data(p) + ofs;
    uint32_t sum = 0;

    assert_true(ofs + IP_HEADER_LEN <= dp_packet_size(p));
    for (size_t i = 0; i < IP_HEADER_LEN; i += 2) {
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    assert_int_equal(sum, 0xffff);
}

static void
test_copy_ttl_one_label_ipv4(void **state)
{
    static const uint8_t ttl10[] = {10}, ttl64[] = {64};
    struct pb pb, expect;
    struct dp_actions_buf b;
    struct dp_packet *p;

    pb_mpls_ttl(&pb, false, ttl10, 1, 4, 64);
    /* Out: the IPv4 TTL goes to the label; the IP header is untouched. */
    p = run_copy_ttl(&pb, true, false, 1);
    pb_mpls_ttl(&expect, false, ttl64, 1, 4, 64);
    dpx_assert_bytes(p, &expect);
    /* In: the label's TTL goes to IPv4, whose checksum follows. */
    p = run_copy_ttl(&pb, false, true, 2);
    pb_mpls_ttl(&expect, false, ttl10, 1, 4, 10);
    dpx_assert_bytes(p, &expect);
    assert_ipv4_csum_at(p, ETH_HEADER_LEN + MPLS_HLEN);

    /* Behind a VLAN tag, then popped: the IPv4 packet that comes out is
     * whole and its checksums are right. */
    pb_mpls_ttl(&pb, true, ttl10, 1, 4, 200);
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_COPY_TTL_IN, NULL, 0);
    dpx_put_pop_mpls(&b, ETH_TYPE_IP);
    dpx_put_output(&b, 3);
    dpx_run1(&b, dpx_mkpkt(&pb, true));
    dp_actions_buf_uninit(&b);
    assert_int_equal(dpx_rec.n_out, 3);
    pb_mpls_ttl(&expect, true, NULL, 0, 4, 10);
    dpx_assert_pkt_csums(dpx_rec.out[2].p);
    dpx_assert_bytes(dpx_rec.out[2].p, &expect);
}

static void
test_copy_ttl_one_label_ipv6(void **state)
{
    static const uint8_t ttl5[] = {5}, ttl64[] = {64};
    struct pb pb, expect;
    struct dp_packet *p;

    pb_mpls_ttl(&pb, true, ttl5, 1, 6, 64);
    p = run_copy_ttl(&pb, true, false, 1);
    pb_mpls_ttl(&expect, true, ttl64, 1, 6, 64);
    dpx_assert_bytes(p, &expect);
    p = run_copy_ttl(&pb, false, true, 2);
    pb_mpls_ttl(&expect, true, ttl5, 1, 6, 5);
    dpx_assert_bytes(p, &expect);
}

static void
test_copy_ttl_two_labels(void **state)
{
    static const uint8_t ttls[] = {30, 20};
    static const uint8_t out[] = {20, 20}, in[] = {30, 30};
    struct pb pb, expect;
    struct dp_packet *p;

    /* Between the two entries; the IP header stays as it is. */
    pb_mpls_ttl(&pb, false, ttls, 2, 4, 64);
    p = run_copy_ttl(&pb, true, false, 1);
    pb_mpls_ttl(&expect, false, out, 2, 4, 64);
    dpx_assert_bytes(p, &expect);
    p = run_copy_ttl(&pb, false, true, 2);
    pb_mpls_ttl(&expect, false, in, 2, 4, 64);
    dpx_assert_bytes(p, &expect);
}

static void
test_copy_ttl_without_mpls_unchanged(void **state)
{
    static const uint8_t ttl9[] = {9};
    struct pb pb;
    struct dp_packet *p;

    for (int in = 0; in < 2; in++) {
        /* IPv4 and IPv6 without a label stack. */
        pb_mpls_ttl(&pb, in, NULL, 0, 4, 64);
        dpx_assert_bytes(run_copy_ttl(&pb, true, in, 1), &pb);
        pb_mpls_ttl(&pb, !in, NULL, 0, 6, 64);
        dpx_assert_bytes(run_copy_ttl(&pb, false, in, 1), &pb);
        /* Neither IPv4 nor IPv6 behind the only label (an ARP body). */
        pb_init(&pb);
        pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_MPLS);
        pb_mpls(&pb, 100, 0, true, 9);
        pb_arp(&pb, 1, DPX_MAC_A, "10.0.0.1", DPX_MAC_B, "10.0.0.2");
        pb_finish(&pb);
        dpx_assert_bytes(run_copy_ttl(&pb, true, in, 2), &pb);
        /* A version 4 nibble with a too small IHL. */
        pb_mpls_ttl(&pb, false, ttl9, 1, 4, 64);
        pb_set8(&pb, ETH_HEADER_LEN + MPLS_HLEN, 0x44);
        p = run_copy_ttl(&pb, false, in, 3);
        dpx_assert_bytes(p, &pb);
    }
}

static void
test_copy_ttl_truncated_unchanged(void **state)
{
    static const uint8_t one[] = {9}, two[] = {9, 8};
    static const struct {
        size_t n_labels;
        int ip_version;
        size_t len; /* Kept bytes. */
    } cases[] = {
        {1, 4, ETH_HEADER_LEN + 2},              /* Half a label. */
        {1, 4, ETH_HEADER_LEN + MPLS_HLEN},      /* Nothing behind. */
        {1, 4, ETH_HEADER_LEN + MPLS_HLEN + 19}, /* Short IPv4. */
        {1, 6, ETH_HEADER_LEN + MPLS_HLEN + 39}, /* Short IPv6. */
        {2, 4, ETH_HEADER_LEN + MPLS_HLEN + 3},  /* Half a second. */
        {0, 4, ETH_HEADER_LEN - 1},              /* Short Ethernet. */
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        for (int in = 0; in < 2; in++) {
            struct pb pb;

            pb_mpls_ttl(&pb, false, cases[i].n_labels == 2 ? two : one,
                        cases[i].n_labels, cases[i].ip_version, 64);
            pb_truncate(&pb, cases[i].len);
            dpx_assert_bytes(run_copy_ttl(&pb, in, in, 1), &pb);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        DPX_TEST(test_output_single_takes_packet),
        DPX_TEST(test_output_two_ports_clones_first),
        DPX_TEST(test_output_batch_of_three),
        DPX_TEST(test_drop_empty_list_frees_all),
        DPX_TEST(test_list_without_output_frees),
        DPX_TEST(test_userspace_view_then_output),
        DPX_TEST(test_userspace_null_callback_ignored),
        DPX_TEST(test_push_pop_vlan_twice),
        DPX_TEST(test_push_vlan_then_set_ip),
        DPX_TEST(test_pop_vlan_untagged_unchanged),
        DPX_TEST(test_push_vlan_no_headroom_drops),
        DPX_TEST(test_push_mpls),
        DPX_TEST(test_pop_mpls_then_set),
        DPX_TEST(test_pop_pbb),
        DPX_TEST(test_push_pbb_then_set),
        DPX_TEST(test_dec_ttl_ipv4_and_ipv6),
        DPX_TEST(test_dec_ttl_expiry_runs_nested),
        DPX_TEST(test_dec_ttl_nested_output_takes_packet),
        DPX_TEST(test_dec_ttl_non_ip_unchanged),
        DPX_TEST(test_recirc_takes_packet),
        DPX_TEST(test_recirc_clone_then_output),
        DPX_TEST(test_recirc_without_callback_drops),
        DPX_TEST(test_copy_ttl_one_label_ipv4),
        DPX_TEST(test_copy_ttl_one_label_ipv6),
        DPX_TEST(test_copy_ttl_two_labels),
        DPX_TEST(test_copy_ttl_without_mpls_unchanged),
        DPX_TEST(test_copy_ttl_truncated_unchanged),
    };

    return cmocka_run_group_tests(tests, dpx_group_setup, NULL);
}
