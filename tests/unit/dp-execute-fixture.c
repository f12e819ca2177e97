/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute-fixture: the fake executor callbacks, per-test fixtures,
 * action-list and packet builders and byte/checksum checks that the
 * dp-execute unit tests share (see dp-execute-fixture.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dpdk.h"
#include "tests/unit/dp-execute-fixture.h"

struct dpx_rec dpx_rec;
struct dp_actions_buf dpx_acts;
static struct rte_mempool *pool;
static unsigned int pool_avail;

static void
fake_output(void *aux, uint32_t port, struct dp_packet *p)
{
    struct dpx_rec *r = aux;

    assert_true(r->n_out < DPX_REC_MAX);
    r->out[r->n_out].port = port;
    r->out[r->n_out].p = p;
    r->n_out++;
}

static void
fake_userspace(void *aux, const struct dp_packet *p,
               const struct dpa_userspace *ua)
{
    struct dpx_rec *r = aux;
    struct dpx_upcall *u;

    assert_true(r->n_up < DPX_REC_MAX);
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
    struct dpx_rec *r = aux;

    assert_true(r->n_recirc < DPX_REC_MAX);
    r->recirc[r->n_recirc++] = p;
}

const struct dp_execute_ops dpx_fake_ops = {
    .output = fake_output,
    .userspace = fake_userspace,
    .recirc = fake_recirc,
};

const struct dp_execute_ops dpx_output_only_ops = {
    .output = fake_output,
};

int
dpx_group_setup(void **state)
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

int
dpx_setup(void **state)
{
    memset(&dpx_rec, 0, sizeof dpx_rec);
    dp_actions_buf_init(&dpx_acts);
    pool_avail = rte_mempool_avail_count(pool);
    return 0;
}

void
dpx_rec_release(void)
{
    for (size_t i = 0; i < dpx_rec.n_out; i++) {
        dp_packet_free(dpx_rec.out[i].p);
    }
    for (size_t i = 0; i < dpx_rec.n_recirc; i++) {
        dp_packet_free(dpx_rec.recirc[i]);
    }
    memset(&dpx_rec, 0, sizeof dpx_rec);
}

/* Checks that every packet is back in the pool. */
int
dpx_teardown(void **state)
{
    dpx_rec_release();
    dp_actions_buf_uninit(&dpx_acts);
    assert_int_equal(rte_mempool_avail_count(pool), pool_avail);
    return 0;
}

/* Packets and lists. */

struct dp_packet *
dpx_mkpkt(const struct pb *pb, bool key)
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

void
dpx_run_ops(const struct dp_execute_ops *ops,
            const struct dp_actions_buf *list, struct dp_packet **pkts,
            size_t n)
{
    struct dp_packet_batch b;

    assert_int_equal(dp_actions_validate(list->data, list->size), 0);
    dp_packet_batch_init(&b);
    for (size_t i = 0; i < n; i++) {
        dp_packet_batch_add(&b, pkts[i]);
    }
    dp_execute_batch(ops, &dpx_rec, &b, list->data, list->size);
    assert_int_equal(b.count, 0);
}

void
dpx_run1(const struct dp_actions_buf *list, struct dp_packet *p)
{
    dpx_run_ops(&dpx_fake_ops, list, &p, 1);
}

void
dpx_put_output(struct dp_actions_buf *b, uint32_t port)
{
    struct dpa_output o = {.port = port};

    dp_actions_put(b, DPA_OUTPUT, &o, sizeof o);
}

void
dpx_put_set(struct dp_actions_buf *b, const struct flow *value,
            const struct flow *mask)
{
    struct dpa_set s;

    s.value = *value;
    s.mask = *mask;
    dp_actions_put(b, DPA_SET_MASKED, &s, sizeof s);
}

void
dpx_put_push_vlan(struct dp_actions_buf *b, uint16_t tpid, uint16_t tci)
{
    struct dpa_push_vlan pv = {.tpid = htons(tpid), .tci = htons(tci)};

    dp_actions_put(b, DPA_PUSH_VLAN, &pv, sizeof pv);
}

void
dpx_put_push_mpls(struct dp_actions_buf *b, uint32_t label, bool bos,
                  uint8_t ttl)
{
    struct dpa_push_mpls pm = {
        .lse = htonl((label << MPLS_LABEL_SHIFT) | (bos ? MPLS_BOS_MASK : 0) |
                     ttl),
        .ethertype = htons(ETH_TYPE_MPLS),
    };

    dp_actions_put(b, DPA_PUSH_MPLS, &pm, sizeof pm);
}

void
dpx_put_pop_mpls(struct dp_actions_buf *b, uint16_t ethertype)
{
    struct dpa_pop_mpls pm = {.ethertype = htons(ethertype)};

    dp_actions_put(b, DPA_POP_MPLS, &pm, sizeof pm);
}

/* Checks. */

void
dpx_assert_bytes(const struct dp_packet *p, const struct pb *expect)
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

void
dpx_assert_pkt_csums(const struct dp_packet *p)
{
    assert_csums(dp_packet_data(p), dp_packet_size(p));
}

/* Common packets. */

void
dpx_tagged_tcp(struct pb *pb, const uint32_t *tags, size_t n, const char *dst,
               uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, n ? tags[0] >> 16 : ETH_TYPE_IP);
    for (size_t i = 0; i < n; i++) {
        pb_vlan(pb, tags[i] & 0xffff,
                i + 1 < n ? tags[i + 1] >> 16 : ETH_TYPE_IP);
    }
    pb_ipv4(pb, "10.0.0.1", dst, IPPROTO_TCP, 64);
    pb_tcp(pb, 1, dport, TCP_ACK);
    pb_put(pb, "payload!", 8);
    pb_finish(pb);
}

void
dpx_ipv4_tcp(struct pb *pb, const char *src, const char *dst, uint8_t ttl,
             uint16_t sport, uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, src, dst, IPPROTO_TCP, ttl);
    pb_tcp(pb, sport, dport, TCP_ACK);
    pb_put(pb, "payload!", 8);
    pb_finish(pb);
}

void
dpx_ipv4_udp(struct pb *pb, const char *src, const char *dst, uint16_t sport,
             uint16_t dport)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IP);
    pb_ipv4(pb, src, dst, IPPROTO_UDP, 64);
    pb_udp(pb, sport, dport);
    pb_put(pb, "hello", 5);
    pb_finish(pb);
}

void
dpx_ipv6_l4(struct pb *pb, const char *src, const char *dst, uint8_t proto)
{
    pb_init(pb);
    pb_eth(pb, DPX_MAC_B, DPX_MAC_A, ETH_TYPE_IPV6);
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

void
dpx_arp(struct pb *pb, uint16_t op, const char *sha, const char *spa,
        const char *tha, const char *tpa)
{
    pb_init(pb);
    pb_eth(pb, "ff:ff:ff:ff:ff:ff", DPX_MAC_A, ETH_TYPE_ARP);
    pb_arp(pb, op, sha, spa, tha, tpa);
}

void
dpx_flows_zero(struct flow *v, struct flow *m)
{
    memset(v, 0, sizeof *v);
    memset(m, 0, sizeof *m);
}
