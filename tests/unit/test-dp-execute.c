/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for datapath/dp-execute: every action on real DPDK packets
 * built with the test packet builder.  A fake set of callbacks records
 * outputs, upcalls and recirculations; each test checks the resulting bytes
 * against a packet built directly with the expected headers, recomputes
 * every checksum from scratch, and (in its teardown) checks that the
 * mempool got every packet back: nothing handed to the executor leaks.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>

#include "datapath/dp-execute.h"
#include "lib/dpdk.h"
#include "tests/unit/packet-builder.h"

/* What the fake callbacks saw. */
#define REC_MAX 64
struct rec_upcall {
    uint32_t pid;
    uint8_t userdata[16];
    uint32_t userdata_len;
    uint8_t bytes[256];
    size_t len;
};

struct rec {
    struct {
        uint32_t port;
        struct dp_packet *p;
    } out[REC_MAX];
    size_t n_out;
    struct rec_upcall up[REC_MAX];
    size_t n_up;
    struct dp_packet *recirc[REC_MAX];
    size_t n_recirc;
};

static struct rec rec;
/* The action list each test builds: test_setup() initializes it and
 * test_teardown() frees it. */
static struct dp_actions_buf acts;
static struct rte_mempool *pool;
static unsigned int pool_avail;

static void
fake_output(void *aux, uint32_t port, struct dp_packet *p)
{
    struct rec *r = aux;

    assert_true(r->n_out < REC_MAX);
    r->out[r->n_out].port = port;
    r->out[r->n_out].p = p;
    r->n_out++;
}

static void
fake_userspace(void *aux, const struct dp_packet *p,
               const struct dpa_userspace *ua)
{
    struct rec *r = aux;
    struct rec_upcall *u;

    assert_true(r->n_up < REC_MAX);
    u = &r->up[r->n_up++];
    u->pid = ua->pid;
    u->userdata_len = MIN(ua->userdata_len, sizeof u->userdata);
    memcpy(u->userdata, ua + 1, u->userdata_len);
    u->len = MIN(dp_packet_size(p), sizeof u->bytes);
    memcpy(u->bytes, dp_packet_data(p), u->len);
}

static void
fake_recirc(void *aux, struct dp_packet *p)
{
    struct rec *r = aux;

    assert_true(r->n_recirc < REC_MAX);
    r->recirc[r->n_recirc++] = p;
}

static const struct dp_execute_ops fake_ops = {
    .output = fake_output,
    .userspace = fake_userspace,
    .recirc = fake_recirc,
};

static const struct dp_execute_ops output_only_ops = {
    .output = fake_output,
};

static int
group_setup(void **state)
{
    char *err = NULL;

    if (dpdk_init("--no-huge -m 256", &err)) {
        fprintf(stderr, "dpdk_init: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    pool = dp_packet_default_pool();
    return pool ? 0 : -1;
}

static int
test_setup(void **state)
{
    memset(&rec, 0, sizeof rec);
    dp_actions_buf_init(&acts);
    pool_avail = rte_mempool_avail_count(pool);
    return 0;
}

/* Frees the packets the fake callbacks were given and forgets all calls. */
static void
rec_release(void)
{
    for (size_t i = 0; i < rec.n_out; i++) {
        dp_packet_free(rec.out[i].p);
    }
    for (size_t i = 0; i < rec.n_recirc; i++) {
        dp_packet_free(rec.recirc[i]);
    }
    memset(&rec, 0, sizeof rec);
}

/* Checks that every packet is back in the pool. */
static int
test_teardown(void **state)
{
    rec_release();
    dp_actions_buf_uninit(&acts);
    assert_int_equal(rte_mempool_avail_count(pool), pool_avail);
    return 0;
}

/* Packets and lists. */

/* Returns a packet holding pb's bytes, with its flow key extracted into
 * the metadata when 'key' (as the receive path does). */
static struct dp_packet *
mkpkt(const struct pb *pb, bool key)
{
    struct dp_packet *p = dp_packet_clone_data(pool, pb->data, pb->len);

    assert_non_null(p);
    dp_packet_reset_md(p, 1);
    if (key) {
        struct flow_key k;

        flow_extract(dp_packet_data(p), dp_packet_size(p), &p->md.md, &k,
                     &p->md.ofs);
        p->md.rss_hash = k.hash;
        p->md.key_valid = true;
    }
    return p;
}

/* Runs 'list' over the 'n' packets of 'pkts' with 'ops'. */
static void
run_ops(const struct dp_execute_ops *ops, const struct dp_actions_buf *list,
        struct dp_packet **pkts, size_t n)
{
    struct dp_packet_batch b;

    assert_int_equal(dp_actions_validate(list->data, list->size), 0);
    dp_packet_batch_init(&b);
    for (size_t i = 0; i < n; i++) {
        dp_packet_batch_add(&b, pkts[i]);
    }
    dp_execute_batch(ops, &rec, &b, list->data, list->size);
    assert_int_equal(b.count, 0);
}

static void
run1(const struct dp_actions_buf *list, struct dp_packet *p)
{
    run_ops(&fake_ops, list, &p, 1);
}

static void
put_output(struct dp_actions_buf *b, uint32_t port)
{
    struct dpa_output o = {.port = port};

    dp_actions_put(b, DPA_OUTPUT, &o, sizeof o);
}

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
put_set(struct dp_actions_buf *b, const struct flow *value,
        const struct flow *mask)
{
    struct dpa_set s;

    s.value = *value;
    s.mask = *mask;
    dp_actions_put(b, DPA_SET_MASKED, &s, sizeof s);
}

static void
put_push_vlan(struct dp_actions_buf *b, uint16_t tpid, uint16_t tci)
{
    struct dpa_push_vlan pv = {.tpid = htons(tpid), .tci = htons(tci)};

    dp_actions_put(b, DPA_PUSH_VLAN, &pv, sizeof pv);
}

static void
put_push_mpls(struct dp_actions_buf *b, uint32_t label, bool bos, uint8_t ttl)
{
    struct dpa_push_mpls pm = {
        .lse = htonl((label << MPLS_LABEL_SHIFT) | (bos ? MPLS_BOS_MASK : 0) |
                     ttl),
        .ethertype = htons(ETH_TYPE_MPLS),
    };

    dp_actions_put(b, DPA_PUSH_MPLS, &pm, sizeof pm);
}

static void
put_pop_mpls(struct dp_actions_buf *b, uint16_t ethertype)
{
    struct dpa_pop_mpls pm = {.ethertype = htons(ethertype)};

    dp_actions_put(b, DPA_POP_MPLS, &pm, sizeof pm);
}

static void
put_recirc(struct dp_actions_buf *b, uint32_t id)
{
    struct dpa_recirc r = {.recirc_id = id};

    dp_actions_put(b, DPA_RECIRC, &r, sizeof r);
}

/* Checks. */

static void
assert_bytes(const struct dp_packet *p, const struct pb *expect)
{
    assert_int_equal(dp_packet_size(p), expect->len);
    assert_memory_equal(dp_packet_data(p), expect->data, expect->len);
}

/* Verifies, from scratch, every checksum flow_extract() can locate in the
 * 'len' bytes at 'data': IPv4 header, TCP, UDP (unless zero), ICMP,
 * ICMPv6 and SCTP. */
static void
assert_csums(const uint8_t *data, size_t len)
{
    struct flow_key key;
    struct flow_offsets ofs;
    const uint8_t *l3, *l4;
    uint32_t partial = 0;
    uint8_t proto;
    size_t l4len;

    pb_extract(data, len, NULL, &key, &ofs);
    if (ofs.l3 == FLOW_OFS_NONE) {
        return;
    }
    l3 = data + ofs.l3;
    l4 = data + ofs.l4;
    l4len = ofs.l4_len;
    proto = key.flow.nw_proto;
    if (key.flow.dl_type == htons(ETH_TYPE_IP)) {
        uint8_t ph[4] = {0, proto, l4len >> 8, l4len & 0xff};

        assert_int_equal(csum(l3, IP_IHL(l3[0]) * 4), 0);
        partial = csum_continue(csum_continue(0, l3 + 12, 8), ph, 4);
    } else if (key.flow.dl_type == htons(ETH_TYPE_IPV6)) {
        uint8_t ph[8] = {0, 0, l4len >> 8, l4len & 0xff, 0, 0, 0, proto};

        partial = csum_continue(csum_continue(0, l3 + 8, 32), ph, 8);
    } else {
        return;
    }
    if (ofs.l4 == FLOW_OFS_NONE) {
        return;
    }
    switch (proto) {
    case IPPROTO_TCP:
    case IPPROTO_ICMPV6:
        assert_int_equal(csum_finish(csum_continue(partial, l4, l4len)), 0);
        break;
    case IPPROTO_UDP:
        if (l4[6] || l4[7]) {
            assert_int_equal(csum_finish(csum_continue(partial, l4, l4len)),
                             0);
        }
        break;
    case IPPROTO_ICMP_:
        assert_int_equal(csum(l4, l4len), 0);
        break;
    case IPPROTO_SCTP: {
        uint8_t *copy = xmemdup(l4, l4len);
        tern_be32 stored;

        memcpy(&stored, copy + 8, 4);
        memset(copy + 8, 0, 4);
        assert_int_equal(crc32c(copy, l4len), stored);
        free(copy);
        break;
    }
    default:
        break;
    }
}

static void
assert_pkt_csums(const struct dp_packet *p)
{
    assert_csums(dp_packet_data(p), dp_packet_size(p));
}

/* Common packets. */

#define MAC_A "00:00:00:00:00:0a"
#define MAC_B "00:00:00:00:00:0b"

/* IPv4/TCP behind 'n' VLAN tags, each a TAG(), outermost first. */
#define TAG(TPID, TCI) ((uint32_t)(TPID) << 16 | (TCI))
static void
pb_tagged_tcp(struct pb *pb, const uint32_t *tags, size_t n, const char *dst,
              uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, n ? tags[0] >> 16 : ETH_TYPE_IP);
    for (size_t i = 0; i < n; i++) {
        pb_vlan(pb, tags[i] & 0xffff,
                i + 1 < n ? tags[i + 1] >> 16 : ETH_TYPE_IP);
    }
    pb_ipv4(pb, "10.0.0.1", dst, IPPROTO_TCP, 64);
    pb_tcp(pb, 1, dport, TCP_ACK);
    pb_put(pb, "payload!", 8);
    pb_finish(pb);
}

static void
pb_ipv4_tcp(struct pb *pb, const char *src, const char *dst, uint8_t ttl,
            uint16_t sport, uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, src, dst, IPPROTO_TCP, ttl);
    pb_tcp(pb, sport, dport, TCP_ACK);
    pb_put(pb, "payload!", 8);
    pb_finish(pb);
}

static void
pb_ipv4_udp(struct pb *pb, const char *src, const char *dst, uint16_t sport,
            uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, src, dst, IPPROTO_UDP, 64);
    pb_udp(pb, sport, dport);
    pb_put(pb, "hello", 5);
    pb_finish(pb);
}

/* Builds the usual UDP packet 10.0.0.1:1 -> 10.0.0.2:2 into 'pb' and
 * returns a copy of it with its key extracted; the caller (or the executor
 * it hands the packet to) frees it. */
static struct dp_packet *
udp_pkt(struct pb *pb)
{
    pb_ipv4_udp(pb, "10.0.0.1", "10.0.0.2", 1, 2);
    return mkpkt(pb, true);
}

static void
pb_ipv6_l4(struct pb *pb, const char *src, const char *dst, uint8_t proto)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IPV6);
    pb_ipv6(pb, src, dst, proto, 64, 0, 0x12345);
    if (proto == IPPROTO_TCP) {
        pb_tcp(pb, 1000, 80, TCP_SYN);
    } else if (proto == IPPROTO_UDP) {
        pb_udp(pb, 1000, 53);
    } else {
        pb_icmp6(pb, 128, 0);
    }
    pb_put(pb, "data", 4);
    pb_finish(pb);
}

/* Ethernet, one 802.1Q tag with 'tci', IPv4/UDP. */
static void
pb_tagged_udp(struct pb *pb, uint16_t tci)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_VLAN_8021Q);
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
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IP);
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
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IPV6);
    pb_ipv6(pb, "::1", "::2", IPPROTO_UDP, hlim, tclass, label);
    pb_udp(pb, 1, 2);
    pb_finish(pb);
}

/* IPv4/SCTP from port 'sport' to 6000 with a chunk's worth of data. */
static void
pb_sctp_pkt(struct pb *pb, uint16_t sport)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IP);
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
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP_, 64);
    pb_icmp(pb, type, code);
    pb_put(pb, "ping", 4);
    pb_finish(pb);
}

/* Broadcast Ethernet/IPv4 ARP. */
static void
pb_arp_pkt(struct pb *pb, uint16_t op, const char *sha, const char *spa,
           const char *tha, const char *tpa)
{
    pb_init(pb);
    pb_eth(pb, "ff:ff:ff:ff:ff:ff", MAC_A, ETH_TYPE_ARP);
    pb_arp(pb, op, sha, spa, tha, tpa);
}

/* Output, ownership, drop. */

static void
test_output_single_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = mkpkt(&pb, true);
    put_output(&acts, 7);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 1);
    assert_int_equal(rec.out[0].port, 7);
    assert_ptr_equal(rec.out[0].p, p); /* No copy for the last output. */
    assert_bytes(p, &pb);
}

static void
test_output_two_ports_clones_first(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    put_output(&acts, 1);
    put_output(&acts, 2);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 2);
    assert_int_equal(rec.out[0].port, 1);
    assert_int_equal(rec.out[1].port, 2);
    assert_ptr_not_equal(rec.out[0].p, p);
    assert_ptr_equal(rec.out[1].p, p);
    assert_bytes(rec.out[0].p, &pb);
    assert_bytes(rec.out[1].p, &pb);
}

static void
test_output_batch_of_three(void **state)
{
    struct dp_packet *pkts[3];
    struct pb pb;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    for (size_t i = 0; i < 3; i++) {
        pkts[i] = mkpkt(&pb, i != 1);
    }
    put_output(&acts, 1);
    put_output(&acts, 2);
    run_ops(&fake_ops, &acts, pkts, 3);
    assert_int_equal(rec.n_out, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(rec.out[i].port, i < 3 ? 1 : 2);
        assert_bytes(rec.out[i].p, &pb);
    }
}

static void
test_drop_empty_list_frees_all(void **state)
{
    struct dp_packet *pkts[DP_PACKET_BATCH_SIZE];
    struct pb pb;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    for (size_t i = 0; i < DP_PACKET_BATCH_SIZE; i++) {
        pkts[i] = mkpkt(&pb, true);
    }
    run_ops(&fake_ops, &acts, pkts, DP_PACKET_BATCH_SIZE);
    assert_int_equal(rec.n_out + rec.n_up + rec.n_recirc, 0);
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
    put_set(&acts, &v, &m);
    put_push_vlan(&acts, ETH_TYPE_VLAN_8021Q, 5);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 0);
}

static void
test_userspace_view_then_output(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    put_output(&acts, 4);
    put_userspace(&acts, 77, "cookie");
    run1(&acts, p);
    /* The output came first but the upcall still needed the packet. */
    assert_int_equal(rec.n_out, 1);
    assert_ptr_not_equal(rec.out[0].p, p);
    assert_int_equal(rec.n_up, 1);
    assert_int_equal(rec.up[0].pid, 77);
    assert_int_equal(rec.up[0].userdata_len, 6);
    assert_memory_equal(rec.up[0].userdata, "cookie", 6);
    assert_int_equal(rec.up[0].len, pb.len);
    assert_memory_equal(rec.up[0].bytes, pb.data, pb.len);
}

static void
test_userspace_null_callback_ignored(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    put_userspace(&acts, 1, "x");
    put_output(&acts, 3);
    run_ops(&output_only_ops, &acts, &p, 1);
    assert_int_equal(rec.n_up, 0);
    assert_int_equal(rec.n_out, 1);
    assert_ptr_equal(rec.out[0].p, p);
}

/* Masked sets. */

static void
flows_zero(struct flow *v, struct flow *m)
{
    memset(v, 0, sizeof *v);
    memset(m, 0, sizeof *m);
}

/* Runs [set(v/m), output:1] on 'p', which the executor takes, and returns
 * the output (the same packet, now recorded in 'rec'). */
static struct dp_packet *
run_set_on(struct dp_packet *p, const struct flow *v, const struct flow *m)
{
    struct dp_actions_buf b;

    dp_actions_buf_init(&b);
    put_set(&b, v, m);
    put_output(&b, 1);
    run1(&b, p);
    dp_actions_buf_uninit(&b);
    assert_int_equal(rec.n_out, 1);
    assert_ptr_equal(rec.out[0].p, p);
    return p;
}

/* Runs [set(v/m), output:1] on pb's packet (with or without a valid key in
 * the metadata) and returns the output. */
static struct dp_packet *
run_set(const struct pb *pb, bool key, const struct flow *v,
        const struct flow *m)
{
    return run_set_on(mkpkt(pb, key), v, m);
}

static void
test_set_eth_masked_bits(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    flows_zero(&v, &m);
    v.dl_src = pb_mac("0a:0b:0c:0d:0e:0f");
    m.dl_src = pb_mac("ff:ff:f0:00:00:00");
    v.dl_dst = pb_mac("ff:ff:ff:ff:ff:ff");
    m.dl_dst = pb_mac("00:00:00:00:00:0f");
    p = run_set(&pb, true, &v, &m);

    expect = pb;
    memcpy(expect.data, pb_mac("00:00:00:00:00:0f").ea, 6);
    memcpy(expect.data + 6, pb_mac("0a:0b:00:00:00:0a").ea, 6);
    assert_bytes(p, &expect);
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
    flows_zero(&v, &m);
    /* PCP 7 in the value but not under the mask; CFI is ignored. */
    v.vlans[0].tci = htons(VLAN_CFI | (7 << VLAN_PCP_SHIFT) | 200);
    m.vlans[0].tci = htons(VLAN_CFI | VLAN_VID_MASK);
    p = run_set(&pb, true, &v, &m);

    pb_tagged_udp(&expect, (5 << VLAN_PCP_SHIFT) | 200);
    assert_bytes(p, &expect);
}

static void
test_set_mpls_top_lse(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_init(&pb);
    pb_eth(&pb, MAC_B, MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&pb, 100, 1, false, 64);
    pb_mpls(&pb, 200, 0, true, 64);
    pb_put_zeros(&pb, 20);
    flows_zero(&v, &m);
    v.mpls_lse[0] = htonl(300 << MPLS_LABEL_SHIFT | 7 << MPLS_TC_SHIFT);
    m.mpls_lse[0] = htonl(MPLS_LABEL_MASK);
    p = run_set(&pb, true, &v, &m);

    pb_init(&expect);
    pb_eth(&expect, MAC_B, MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&expect, 300, 1, false, 64);
    pb_mpls(&expect, 200, 0, true, 64);
    pb_put_zeros(&expect, 20);
    assert_bytes(p, &expect);
}

static void
test_set_ipv4_addrs_tcp(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1000, 80);
    flows_zero(&v, &m);
    v.nw_src = pb_ip4("192.168.1.1");
    m.nw_src = htonl(0xffffffff);
    v.nw_dst = pb_ip4("172.16.99.99");
    m.nw_dst = htonl(0xffff0000); /* Only the /16 changes. */
    p = run_set(&pb, true, &v, &m);

    pb_ipv4_tcp(&expect, "192.168.1.1", "172.16.0.2", 64, 1000, 80);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_ipv4_udp_checksums(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    flows_zero(&v, &m);
    v.nw_dst = pb_ip4("8.8.8.8");
    m.nw_dst = htonl(0xffffffff);

    /* A computed UDP checksum follows the address. */
    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 5000, 53);
    p = run_set(&pb, false, &v, &m);
    pb_ipv4_udp(&expect, "10.0.0.1", "8.8.8.8", 5000, 53);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
    rec_release();

    /* A zero UDP checksum ("none") stays zero. */
    pb_set16(&pb, ETH_HEADER_LEN + IP_HEADER_LEN + 6, 0);
    p = run_set(&pb, true, &v, &m);
    pb_set16(&expect, ETH_HEADER_LEN + IP_HEADER_LEN + 6, 0);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_ipv4_tos_ttl_masked(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_tos_ttl(&pb, 0x01, 64);
    flows_zero(&v, &m);
    v.nw_tos = 0xb8 | 0x02; /* DSCP EF; the ECN bits are not masked. */
    m.nw_tos = IP_DSCP_MASK;
    v.nw_ttl = 9;
    m.nw_ttl = 0xff;
    p = run_set(&pb, true, &v, &m);

    pb_tos_ttl(&expect, 0xb9, 9);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_ipv6_addrs_l4_checksums(void **state)
{
    static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6};
    struct flow v, m;

    flows_zero(&v, &m);
    v.ipv6_src = pb_ip6("2001:db8::99");
    memset(&m.ipv6_src, 0xff, sizeof m.ipv6_src);
    v.ipv6_dst = pb_ip6("fe80::1:2:3:4");
    memset(&m.ipv6_dst.s6_addr[8], 0xff, 8); /* Interface id only. */
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        struct pb pb, expect;
        struct dp_packet *p;

        pb_ipv6_l4(&pb, "2001:db8::1", "2001:db8::2", protos[i]);
        p = run_set(&pb, true, &v, &m);
        pb_ipv6_l4(&expect, "2001:db8::99", "2001:db8::1:2:3:4", protos[i]);
        assert_pkt_csums(p);
        assert_bytes(p, &expect);
        rec_release();
    }
}

static void
test_set_ipv6_label_tclass_hlim(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_ipv6_flow(&pb, 0x12, 0xabcde, 64);
    flows_zero(&v, &m);
    v.ipv6_label = htonl(0x55555);
    m.ipv6_label = htonl(0x000ff);
    v.nw_tos = 0xf0;
    m.nw_tos = 0xf0;
    v.nw_ttl = 3;
    m.nw_ttl = 0xff;
    p = run_set(&pb, true, &v, &m);

    pb_ipv6_flow(&expect, 0xf2, 0xabc55, 3);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_tcp_udp_ports(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    flows_zero(&v, &m);
    v.tp_src = htons(0x1234);
    m.tp_src = htons(0xff00); /* High byte only. */
    v.tp_dst = htons(8080);
    m.tp_dst = htons(0xffff);

    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 0xaabb, 80);
    p = run_set(&pb, true, &v, &m);
    pb_ipv4_tcp(&expect, "10.0.0.1", "10.0.0.2", 64, 0x12bb, 8080);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
    rec_release();

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 0xaabb, 53);
    p = run_set(&pb, true, &v, &m);
    pb_ipv4_udp(&expect, "10.0.0.1", "10.0.0.2", 0x12bb, 8080);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_sctp_ports_crc(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_sctp_pkt(&pb, 5000);
    flows_zero(&v, &m);
    v.tp_src = htons(7000);
    m.tp_src = htons(0xffff);
    p = run_set(&pb, true, &v, &m);

    pb_sctp_pkt(&expect, 7000);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_icmp_type_code(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_icmp_pkt(&pb, 8, 0);
    flows_zero(&v, &m);
    v.tp_src = htons(0);
    m.tp_src = htons(0xff);
    v.tp_dst = htons(3);
    m.tp_dst = htons(0xff);
    p = run_set(&pb, true, &v, &m);

    pb_icmp_pkt(&expect, 0, 3);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_arp_fields(void **state)
{
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    pb_arp_pkt(&pb, ARP_OP_REQUEST, MAC_A, "10.0.0.1", "00:00:00:00:00:00",
               "10.0.0.2");
    flows_zero(&v, &m);
    v.nw_proto = ARP_OP_REPLY;
    m.nw_proto = 0xff;
    v.nw_src = pb_ip4("10.0.0.2");
    m.nw_src = htonl(0xffffffff);
    v.nw_dst = pb_ip4("10.0.0.1");
    m.nw_dst = htonl(0xffffffff);
    v.arp_sha = pb_mac(MAC_B);
    m.arp_sha = pb_mac("ff:ff:ff:ff:ff:ff");
    v.arp_tha = pb_mac("11:22:33:44:55:66");
    m.arp_tha = pb_mac("ff:ff:ff:00:00:00");
    p = run_set(&pb, true, &v, &m);

    pb_arp_pkt(&expect, ARP_OP_REPLY, MAC_B, "10.0.0.2", "11:22:33:00:00:00",
               "10.0.0.1");
    assert_bytes(p, &expect);
}

static void
pb_nd_packet(struct pb *pb, uint8_t type, const char *target, const char *sll,
             const char *tll)
{
    pb_init(pb);
    pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_IPV6);
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

    flows_zero(&v, &m);
    v.nd_target = pb_ip6("fe80::99");
    memset(&m.nd_target, 0xff, sizeof m.nd_target);
    v.arp_sha = pb_mac("02:00:00:00:00:01");
    m.arp_sha = pb_mac("ff:ff:ff:ff:ff:ff");
    v.arp_tha = pb_mac("02:00:00:00:00:02");
    m.arp_tha = pb_mac("ff:ff:ff:ff:ff:ff");

    /* Solicitation: target and source link-layer address. */
    pb_nd_packet(&pb, ND_NEIGHBOR_SOLICIT, "fe80::2", MAC_A, NULL);
    p = run_set(&pb, true, &v, &m);
    pb_nd_packet(&expect, ND_NEIGHBOR_SOLICIT, "fe80::99", "02:00:00:00:00:01",
                 NULL);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
    rec_release();

    /* Advertisement: target and target link-layer address. */
    pb_nd_packet(&pb, ND_NEIGHBOR_ADVERT, "fe80::2", NULL, MAC_B);
    p = run_set(&pb, true, &v, &m);
    pb_nd_packet(&expect, ND_NEIGHBOR_ADVERT, "fe80::99", NULL,
                 "02:00:00:00:00:02");
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_set_pkt_mark(void **state)
{
    struct flow v, m;
    struct dp_packet *p;
    struct pb pb;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    flows_zero(&v, &m);
    v.pkt_mark = 0xabcd;
    m.pkt_mark = 0xff00;
    p = mkpkt(&pb, true);
    p->md.md.pkt_mark = 0x1111;
    run_set_on(p, &v, &m);
    assert_int_equal(p->md.md.pkt_mark, 0xab11);
    assert_bytes(p, &pb);
}

static void
test_set_missing_header_unchanged(void **state)
{
    struct flow v, m;
    struct dp_packet *p;
    struct pb pb;

    flows_zero(&v, &m);
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
    pb_eth(&pb, MAC_B, MAC_A, 0x88b5);
    pb_put(&pb, "local experimental ethertype", 28);
    p = run_set(&pb, true, &v, &m);
    assert_bytes(p, &pb);
    rec_release();

    /* IPv4 without a port-carrying L4 header (GRE): only nw_src. */
    pb_init(&pb);
    pb_eth(&pb, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(&pb, "10.0.0.1", "10.0.0.2", 47, 64);
    pb_put_zeros(&pb, 8);
    pb_finish(&pb);
    p = run_set(&pb, false, &v, &m);
    {
        struct pb expect;

        pb_init(&expect);
        pb_eth(&expect, MAC_B, MAC_A, ETH_TYPE_IP);
        pb_ipv4(&expect, "1.1.1.1", "10.0.0.2", 47, 64);
        pb_put_zeros(&expect, 8);
        pb_finish(&expect);
        assert_bytes(p, &expect);
        assert_pkt_csums(p);
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
    p = mkpkt(&pb, true);
    assert_false(dp_execute_set_masked(p, &s));
    assert_bytes(p, &pb);
    dp_packet_free(p);

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    p = mkpkt(&pb, false);
    assert_true(dp_execute_set_masked(p, &s));
    assert_memory_equal((uint8_t *)dp_packet_data(p) + 6,
                        pb_mac("02:02:02:02:02:02").ea, 6);
    dp_packet_free(p);
}

/* VLAN and MPLS push/pop. */

static void
test_push_pop_vlan_twice(void **state)
{
    static const uint32_t tags[] = {
        TAG(ETH_TYPE_VLAN_8021AD, 3 << VLAN_PCP_SHIFT | 20),
        TAG(ETH_TYPE_VLAN_8021Q, 10),
    };
    struct pb pb, expect;
    struct dp_packet *p;

    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = mkpkt(&pb, true);
    put_push_vlan(&acts, ETH_TYPE_VLAN_8021Q, VLAN_CFI | 10);
    put_push_vlan(&acts, ETH_TYPE_VLAN_8021AD, (3 << VLAN_PCP_SHIFT) | 20);
    put_output(&acts, 1);
    dp_actions_put(&acts, DPA_POP_VLAN, NULL, 0);
    put_output(&acts, 2);
    dp_actions_put(&acts, DPA_POP_VLAN, NULL, 0);
    put_output(&acts, 3);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 3);

    /* Outer 802.1ad tag first; CFI is not written to the wire. */
    pb_tagged_tcp(&expect, tags, 2, "10.0.0.2", 2);
    assert_bytes(rec.out[0].p, &expect);
    pb_tagged_tcp(&expect, tags + 1, 1, "10.0.0.2", 2);
    assert_bytes(rec.out[1].p, &expect);

    assert_ptr_equal(rec.out[2].p, p);
    assert_bytes(p, &pb);
}

static void
test_push_vlan_then_set_ip(void **state)
{
    const uint32_t tag = TAG(ETH_TYPE_VLAN_8021Q, 42);
    struct pb pb, expect;
    struct flow v, m;
    struct dp_packet *p;

    /* The layout must follow the pushed tag for the rewrite to land. */
    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    p = mkpkt(&pb, true);
    flows_zero(&v, &m);
    v.nw_dst = pb_ip4("10.9.9.9");
    m.nw_dst = htonl(0xffffffff);
    v.tp_dst = htons(443);
    m.tp_dst = htons(0xffff);
    put_push_vlan(&acts, ETH_TYPE_VLAN_8021Q, 42);
    put_set(&acts, &v, &m);
    put_output(&acts, 1);
    run1(&acts, p);

    pb_tagged_tcp(&expect, &tag, 1, "10.9.9.9", 443);
    assert_int_equal(rec.n_out, 1);
    assert_pkt_csums(p);
    assert_bytes(p, &expect);
}

static void
test_pop_vlan_untagged_unchanged(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    dp_actions_put(&acts, DPA_POP_VLAN, NULL, 0);
    put_output(&acts, 1);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 1);
    assert_bytes(p, &pb);
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
    put_push_vlan(&acts, ETH_TYPE_VLAN_8021Q, 1);
    put_output(&acts, 1);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 0); /* Freed: the teardown checks. */
}

static void
pb_mpls_ipv4(struct pb *pb, bool vlan, const uint32_t *labels, size_t n)
{
    pb_init(pb);
    if (vlan) {
        pb_eth(pb, MAC_B, MAC_A, ETH_TYPE_VLAN_8021Q);
        pb_vlan(pb, 10, n ? ETH_TYPE_MPLS : ETH_TYPE_IP);
    } else {
        pb_eth(pb, MAC_B, MAC_A, n ? ETH_TYPE_MPLS : ETH_TYPE_IP);
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
    p = mkpkt(&pb, true);
    put_push_mpls(&acts, 100, true, 64);
    put_output(&acts, 1);
    put_push_mpls(&acts, 200, false, 64);
    put_output(&acts, 2);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 2);
    pb_mpls_ipv4(&expect, true, one, 1);
    assert_bytes(rec.out[0].p, &expect);
    /* Onto an existing stack: the new entry is the top. */
    pb_mpls_ipv4(&expect, true, two, 2);
    assert_bytes(rec.out[1].p, &expect);
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
    p = mkpkt(&pb, true);
    flows_zero(&v, &m);
    v.nw_src = pb_ip4("10.0.0.77");
    m.nw_src = htonl(0xffffffff);
    put_pop_mpls(&acts, ETH_TYPE_MPLS);
    put_output(&acts, 1);
    put_pop_mpls(&acts, ETH_TYPE_IP);
    put_set(&acts, &v, &m); /* Needs the headers found anew. */
    put_output(&acts, 2);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 2);
    pb_mpls_ipv4(&expect, false, one, 1);
    assert_bytes(rec.out[0].p, &expect);

    pb_init(&expect);
    pb_eth(&expect, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(&expect, "10.0.0.77", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&expect, 1, 2);
    pb_finish(&expect);
    assert_pkt_csums(rec.out[1].p);
    assert_bytes(rec.out[1].p, &expect);
}

/* TTL. */

/* [dec_ttl(userspace(99)), output:1]. */
static void
build_dec_ttl_list(struct dp_actions_buf *b)
{
    size_t ofs = dp_actions_start_nested(b, DPA_DEC_TTL);

    put_userspace(b, 99, "ttl");
    dp_actions_end_nested(b, ofs);
    put_output(b, 1);
}

static void
test_dec_ttl_ipv4_and_ipv6(void **state)
{
    struct pb pb4, pb6, expect;
    struct dp_packet *pkts[2];

    pb_ipv4_tcp(&pb4, "10.0.0.1", "10.0.0.2", 64, 1, 2);
    pb_ipv6_l4(&pb6, "::1", "::2", IPPROTO_UDP);
    pkts[0] = mkpkt(&pb4, true);
    pkts[1] = mkpkt(&pb6, false);
    build_dec_ttl_list(&acts);
    run_ops(&fake_ops, &acts, pkts, 2);
    assert_int_equal(rec.n_up, 0);
    assert_int_equal(rec.n_out, 2);

    pb_ipv4_tcp(&expect, "10.0.0.1", "10.0.0.2", 63, 1, 2);
    assert_pkt_csums(rec.out[0].p);
    assert_bytes(rec.out[0].p, &expect);
    expect = pb6;
    expect.data[ETH_HEADER_LEN + 7] = 63;
    assert_bytes(rec.out[1].p, &expect);
}

static void
test_dec_ttl_expiry_runs_nested(void **state)
{
    struct pb live, dying, dying6;
    struct dp_packet *pkts[3];

    pb_ipv4_tcp(&live, "10.0.0.1", "10.0.0.2", 2, 1, 2);
    pb_ipv4_tcp(&dying, "10.0.0.3", "10.0.0.4", 1, 1, 2);
    pb_ipv6_l4(&dying6, "::1", "::2", IPPROTO_TCP);
    pb_set8(&dying6, ETH_HEADER_LEN + 7, 0);
    pkts[0] = mkpkt(&dying, true);
    pkts[1] = mkpkt(&live, true);
    pkts[2] = mkpkt(&dying6, true);
    build_dec_ttl_list(&acts);
    run_ops(&fake_ops, &acts, pkts, 3);

    /* Only the live packet went on; the others went to the slow path
     * untouched and then were freed (teardown). */
    assert_int_equal(rec.n_out, 1);
    assert_ptr_equal(rec.out[0].p, pkts[1]);
    assert_int_equal(((uint8_t *)dp_packet_data(pkts[1]))[22], 1);
    assert_pkt_csums(pkts[1]);
    assert_int_equal(rec.n_up, 2);
    assert_int_equal(rec.up[0].pid, 99);
    assert_memory_equal(rec.up[0].userdata, "ttl", 3);
    assert_int_equal(rec.up[0].len, dying.len);
    assert_memory_equal(rec.up[0].bytes, dying.data, dying.len);
    assert_memory_equal(rec.up[1].bytes, dying6.data, dying6.len);
}

static void
test_dec_ttl_nested_output_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;
    size_t ofs;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pb_set8(&pb, ETH_HEADER_LEN + 8, 0); /* TTL 0 (checksum now stale). */
    p = mkpkt(&pb, true);
    ofs = dp_actions_start_nested(&acts, DPA_DEC_TTL);
    put_output(&acts, 9);
    dp_actions_end_nested(&acts, ofs);
    put_output(&acts, 1);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 1);
    assert_int_equal(rec.out[0].port, 9);
    assert_ptr_equal(rec.out[0].p, p);
    assert_bytes(p, &pb);
}

static void
test_dec_ttl_non_ip_unchanged(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    pb_arp_pkt(&pb, ARP_OP_REQUEST, MAC_A, "10.0.0.1", "00:00:00:00:00:00",
               "10.0.0.2");
    p = mkpkt(&pb, true);
    build_dec_ttl_list(&acts);
    run1(&acts, p);
    assert_int_equal(rec.n_up, 0);
    assert_int_equal(rec.n_out, 1);
    assert_bytes(p, &pb);
    assert_true(p->md.key_valid); /* Untouched packets keep their key. */
}

/* Recirculation. */

static void
test_recirc_takes_packet(void **state)
{
    struct dp_packet *p;
    struct pb pb;

    p = udp_pkt(&pb);
    put_output(&acts, 1);
    put_recirc(&acts, 5);
    run1(&acts, p);
    assert_int_equal(rec.n_out, 1);
    assert_ptr_not_equal(rec.out[0].p, p);
    assert_int_equal(rec.out[0].p->md.md.recirc_id, 0);
    assert_int_equal(rec.n_recirc, 1);
    assert_ptr_equal(rec.recirc[0], p);
    assert_int_equal(p->md.md.recirc_id, 5);
    assert_false(p->md.key_valid);
    assert_bytes(p, &pb);
}

static void
test_recirc_clone_then_output(void **state)
{
    struct dp_packet *pkts[2];
    struct pb pb;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pkts[0] = mkpkt(&pb, true);
    pkts[1] = mkpkt(&pb, true);
    put_recirc(&acts, 8);
    put_output(&acts, 1);
    run_ops(&fake_ops, &acts, pkts, 2);
    assert_int_equal(rec.n_recirc, 2);
    assert_int_equal(rec.n_out, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(rec.recirc[i]->md.md.recirc_id, 8);
        assert_ptr_equal(rec.out[i].p, pkts[i]);
        assert_int_equal(pkts[i]->md.md.recirc_id, 0);
    }
}

static void
test_recirc_without_callback_drops(void **state)
{
    struct dp_packet *pkts[2];
    struct pb pb;

    pb_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    pkts[0] = mkpkt(&pb, true);
    pkts[1] = mkpkt(&pb, false);
    put_recirc(&acts, 3);
    run_ops(&output_only_ops, &acts, pkts, 2);
    assert_int_equal(rec.n_recirc + rec.n_out, 0);
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
    put_set(b, &v, &m);
}

static void
test_truncated_packets(void **state)
{
    const uint32_t tag = TAG(ETH_TYPE_VLAN_8021Q, 7);
    struct dp_actions_buf sets, structural;
    struct pb full;
    size_t ofs;

    pb_tagged_tcp(&full, &tag, 1, "10.0.0.2", 2);

    dp_actions_buf_init(&sets);
    put_set_everything(&sets);
    put_output(&sets, 1);

    dp_actions_buf_init(&structural);
    dp_actions_put(&structural, DPA_POP_VLAN, NULL, 0);
    put_push_mpls(&structural, 1, true, 1);
    put_set_everything(&structural);
    put_pop_mpls(&structural, ETH_TYPE_IP);
    put_push_vlan(&structural, ETH_TYPE_VLAN_8021Q, 3);
    ofs = dp_actions_start_nested(&structural, DPA_DEC_TTL);
    put_output(&structural, 2);
    dp_actions_end_nested(&structural, ofs);
    put_output(&structural, 1);

    for (size_t len = 0; len < full.len; len++) {
        for (int key = 0; key < 2; key++) {
            struct pb cut = full;
            struct dp_packet *p;

            pb_truncate(&cut, len);
            /* Below the IP total length nothing past L2 is parsed, so
             * only the MAC addresses and the VLAN TCI may change. */
            p = mkpkt(&cut, key);
            fill_tail(p);
            run1(&sets, p);
            assert_int_equal(rec.n_out, 1);
            assert_int_equal(dp_packet_size(p), len);
            assert_tail_intact(p);
            if (len > 16) {
                assert_memory_equal((uint8_t *)dp_packet_data(p) + 16,
                                    cut.data + 16, len - 16);
            }
            rec_release();

            p = mkpkt(&cut, key);
            fill_tail(p);
            run1(&structural, p);
            assert_int_equal(rec.n_out, 1);
            assert_tail_intact(rec.out[0].p);
            rec_release();
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
    struct dp_packet *p = mkpkt(pb, true);
    struct flow v, m;

    p->md.ofs = *ofs;
    fill_tail(p);
    flows_zero(&v, &m);
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

    pb_ipv4_tcp(&pb, "10.0.0.1", "10.0.0.2", 64, 1, 2);

    /* An L3 offset past the end: nothing is touched. */
    ofs.l2_5 = FLOW_OFS_NONE;
    ofs.l3 = pb.len + 50;
    ofs.l4 = pb.len + 70;
    ofs.l4_len = 2000;
    ofs.l3_end = pb.len + 90;
    p = run_with_offsets(&pb, &ofs);
    assert_bytes(p, &pb);
    rec_release();

    /* A real IPv4 header but an L4 offset whose header would run past the
     * end: the address changes, nothing beyond the IP header does. */
    ofs.l3 = ETH_HEADER_LEN;
    ofs.l4 = pb.len - 2;
    ofs.l3_end = pb.len;
    p = run_with_offsets(&pb, &ofs);
    pb_ipv4_tcp(&expect, "9.9.9.9", "10.0.0.2", 64, 1, 2);
    assert_memory_equal(dp_packet_data(p), expect.data, ip_end);
    assert_memory_equal((uint8_t *)dp_packet_data(p) + ip_end,
                        pb.data + ip_end, pb.len - ip_end);
    assert_int_equal(
        csum((uint8_t *)dp_packet_data(p) + ETH_HEADER_LEN, IP_HEADER_LEN), 0);
}

#define T(NAME)                                                               \
    cmocka_unit_test_setup_teardown(NAME, test_setup, test_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_output_single_takes_packet),
        T(test_output_two_ports_clones_first),
        T(test_output_batch_of_three),
        T(test_drop_empty_list_frees_all),
        T(test_list_without_output_frees),
        T(test_userspace_view_then_output),
        T(test_userspace_null_callback_ignored),
        T(test_set_eth_masked_bits),
        T(test_set_vlan_tci_vid_only),
        T(test_set_mpls_top_lse),
        T(test_set_ipv4_addrs_tcp),
        T(test_set_ipv4_udp_checksums),
        T(test_set_ipv4_tos_ttl_masked),
        T(test_set_ipv6_addrs_l4_checksums),
        T(test_set_ipv6_label_tclass_hlim),
        T(test_set_tcp_udp_ports),
        T(test_set_sctp_ports_crc),
        T(test_set_icmp_type_code),
        T(test_set_arp_fields),
        T(test_set_nd_target_and_lladdrs),
        T(test_set_pkt_mark),
        T(test_set_missing_header_unchanged),
        T(test_set_masked_api_runt),
        T(test_push_pop_vlan_twice),
        T(test_push_vlan_then_set_ip),
        T(test_pop_vlan_untagged_unchanged),
        T(test_push_vlan_no_headroom_drops),
        T(test_push_mpls),
        T(test_pop_mpls_then_set),
        T(test_dec_ttl_ipv4_and_ipv6),
        T(test_dec_ttl_expiry_runs_nested),
        T(test_dec_ttl_nested_output_takes_packet),
        T(test_dec_ttl_non_ip_unchanged),
        T(test_recirc_takes_packet),
        T(test_recirc_clone_then_output),
        T(test_recirc_without_callback_drops),
        T(test_truncated_packets),
        T(test_hostile_offsets_ignored),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
