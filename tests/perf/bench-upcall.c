/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-upcall: a deterministic, in-process benchmark of flow setup, the
 * work a PMD thread does for a packet that misses every datapath cache:
 * the exact-match cache and megaflow misses, the upcall (translation
 * through the OpenFlow tables by ofproto), the megaflow install, and the
 * forwarding of the packet.  Made to be run under callgrind, so that the
 * cost of one new flow is counted in instructions, repeatably, on a
 * loaded machine.
 *
 * Usage (from a build directory):
 *
 *   tests/perf/bench-upcall [FLOWS [RULES]]
 *
 *   FLOWS  packets sent, each the first of a flow of its own (default
 *          8192): FLOWS upcalls, FLOWS datapath flows
 *   RULES  OpenFlow rules in table 0 (default FLOWS, at least FLOWS):
 *          rule i is "priority=100,ip,nw_src=10.(i>>16).(i>>8&255).(i&255),
 *          actions=output:2", so that each packet's megaflow is exact on
 *          its source and no packet can use another's flow
 *
 *   valgrind --tool=callgrind --toggle-collect=bench_upcall_measured \
 *       tests/perf/bench-upcall
 *
 * then instructions per new flow = the "Collected" Ir count / FLOWS.
 * Without valgrind it also prints TSC cycles per new flow (meaningful only
 * on a quiet machine).
 *
 * What is measured: for each burst of 32 packets, exactly what a PMD
 * iteration does with a received burst (set in_port, dp_pmd_process(),
 * flush the output batches to the sink, fold the counters).  The burst's
 * mbufs are allocated and filled outside the measured function.  Set-up:
 * datapath "bench" with port 0 (dummy), port 1 (dummy, the source, never
 * polled) and port 2 (DPDK net_null with no-rx=1, the sink), a switch
 * "bench" on it (ofproto_create()) holding the rules; the datapath's own
 * PMD thread is stopped after set-up and this thread drives that PMD's
 * state directly.  Traffic: 60-byte Ethernet/IPv4/UDP frames (flow i from
 * 10.(i>>16).(i>>8&255).(i&255) to 192.168.0.1, ports 1234 -> 5678) in a
 * fixed shuffled order, each sent once.
 *
 * The program checks that every packet made exactly one upcall and one
 * datapath flow, and fails otherwise.  Never part of `make check`.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "datapath/dp-pmd.h"
#include "datapath/dpif-netdev-private.h"
#include "datapath/dpif.h"
#include "lib/dp-packet.h"
#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/ofp-flow.h"
#include "lib/rcu.h"
#include "lib/smap.h"
#include "lib/util.h"
#include "ofproto/ofproto-private.h"

#define BENCH_FRAME_LEN 60

struct bench {
    struct dpif *dp;
    struct ofproto *ofproto;
    struct dp_pmd *pmd;
    struct rte_mempool *pool;
    uint32_t in_port;
    uint32_t out_port;
    uint32_t n_flows;
    uint32_t *order; /* Flow of each packet, shuffled. */
    uint32_t next;
};

static void
bench_die(const char *what, int error)
{
    fprintf(stderr, "bench-upcall: %s: %s\n", what, strerror(error));
    exit(1);
}

static uint16_t
bench_csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;

    for (size_t i = 0; i + 1 < n; i += 2) {
        s += (uint32_t)p[i] << 8 | p[i + 1];
    }
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return (uint16_t)~s;
}

/* Writes the frame of flow 'i' into 'f' (BENCH_FRAME_LEN bytes). */
static void
bench_frame(uint32_t i, uint8_t *f)
{
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2,    2,
                                    0, 0, 0, 0, 1, 0x08, 0x00};
    uint8_t *ip = f + 14, *udp = ip + 20;
    uint16_t csum;

    memset(f, 0, BENCH_FRAME_LEN);
    memcpy(f, eth, sizeof eth);
    ip[0] = 0x45;
    ip[3] = 46; /* 20 + 8 + 18 */
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 10;
    ip[13] = (i >> 16) & 255;
    ip[14] = (i >> 8) & 255;
    ip[15] = i & 255;
    ip[16] = 192;
    ip[17] = 168;
    ip[18] = 0;
    ip[19] = 1;
    csum = bench_csum(ip, 20);
    ip[10] = csum >> 8;
    ip[11] = csum & 255;
    udp[0] = 1234 >> 8;
    udp[1] = 1234 & 255;
    udp[2] = 5678 >> 8;
    udp[3] = 5678 & 255;
    udp[5] = 26;
}

static void
bench_rules(struct bench *b, uint32_t n_rules)
{
    for (uint32_t i = 0; i < n_rules; i++) {
        struct ofp_flow_mod fm;
        struct ofpbuf ofpacts;
        char text[128];
        char *error;
        enum ofperr err;

        snprintf(text, sizeof text,
                 "priority=100,ip,nw_src=10.%u.%u.%u,actions=output:%" PRIu32,
                 (i >> 16) & 255, (i >> 8) & 255, i & 255, b->out_port);
        ofpbuf_init(&ofpacts, 64);
        error = ofp_flow_mod_parse(text, OFPFC_ADD, NULL, &fm, &ofpacts);
        if (error) {
            fprintf(stderr, "bench-upcall: %s: %s\n", text, error);
            exit(1);
        }
        err = ofproto_flow_mod(b->ofproto, &fm);
        if (err) {
            fprintf(stderr, "bench-upcall: %s: flow mod failed (%d)\n", text,
                    (int)err);
            exit(1);
        }
        ofpbuf_uninit(&ofpacts);
    }
}

static void
bench_traffic(struct bench *b)
{
    uint32_t x = 42;

    b->order = xmalloc(b->n_flows * sizeof *b->order);
    for (uint32_t i = 0; i < b->n_flows; i++) {
        b->order[i] = i;
    }
    for (uint32_t i = b->n_flows - 1; i > 0; i--) {
        uint32_t j, t;

        x = x * 1103515245u + 12345u;
        j = (x >> 8) % (i + 1);
        t = b->order[i];
        b->order[i] = b->order[j];
        b->order[j] = t;
    }
}

/* Fills 'batch' with the next (up to 32) packets; returns their count. */
static uint32_t
bench_fill(struct bench *b, struct dp_packet_batch *batch)
{
    struct rte_mbuf *m[DP_PACKET_BATCH_SIZE];
    uint32_t n = MIN(b->n_flows - b->next, DP_PACKET_BATCH_SIZE);

    dp_packet_batch_init(batch);
    if (!n) {
        return 0;
    }
    if (rte_pktmbuf_alloc_bulk(b->pool, m, n)) {
        bench_die("rte_pktmbuf_alloc_bulk", ENOMEM);
    }
    for (uint32_t i = 0; i < n; i++) {
        struct dp_packet *p = dp_packet_from_mbuf(m[i]);

        bench_frame(b->order[b->next++], rte_pktmbuf_mtod(m[i], uint8_t *));
        m[i]->data_len = BENCH_FRAME_LEN;
        m[i]->pkt_len = BENCH_FRAME_LEN;
        dp_packet_reset_md(p, 0);
        dp_packet_batch_add(batch, p);
    }
    return n;
}

/* One PMD iteration's work on a received burst, as dp-pmd.c does it. */
void __attribute__((noinline))
bench_upcall_measured(struct bench *, struct dp_packet_batch *);

void __attribute__((noinline))
bench_upcall_measured(struct bench *b, struct dp_packet_batch *batch)
{
    struct dp_pmd *pmd = b->pmd;

    pmd->ports = rcu_get(b->dp->port_map);
    for (uint32_t j = 0; j < batch->count; j++) {
        batch->packets[j]->md.md.in_port = b->in_port;
    }
    pmd->cnt[DP_PERF_RECV] += batch->count;
    dp_pmd_process(pmd, batch);
    if (pmd->n_tx) {
        dp_pmd_flush_tx(pmd);
    }
    pmd->cnt[DP_PERF_ITER_BUSY]++;
    dp_perf_add_all(&pmd->perf, pmd->cnt);
}

static void
bench_setup(struct bench *b)
{
    struct netdev *nd[3];
    struct smap opts;
    char *err = NULL;
    uint32_t no;
    int error;

    if (dpdk_init("--no-huge -m 512", &err)) {
        fprintf(stderr, "bench-upcall: dpdk_init: %s\n", err ? err : "?");
        exit(1);
    }
    netdev_register_builtin_providers();
    rcu_init();
    error = dpif_create("bench", &b->dp);
    if (error) {
        bench_die("dpif_create", error);
    }
    smap_init(&opts);
    smap_replace(&opts, "dpdk-devargs", "net_null0,no-rx=1");
    if (netdev_open("p0", "dummy", NULL, &nd[0], &err) ||
        netdev_open("p1", "dummy", NULL, &nd[1], &err) ||
        netdev_open("sink", "dpdk", &opts, &nd[2], &err)) {
        fprintf(stderr, "bench-upcall: netdev_open: %s\n", err ? err : "?");
        exit(1);
    }
    smap_destroy(&opts);
    for (int i = 0; i < 3; i++) {
        no = i;
        error = dpif_port_add(b->dp, nd[i], &no);
        if (error) {
            bench_die("dpif_port_add", error);
        }
        if (i == 1) {
            b->in_port = no;
        } else if (i == 2) {
            b->out_port = no;
        }
    }
    error = ofproto_create("bench", b->dp, &b->ofproto);
    if (error) {
        bench_die("ofproto_create", error);
    }
    /* From here on this thread is the PMD. */
    b->pmd = b->dp->pmds[0];
    dp_pmd_stop(b->pmd);
    b->pool = dp_packet_default_pool();
    if (!b->pool) {
        bench_die("dp_packet_default_pool", ENOMEM);
    }
}

int
main(int argc, char *argv[])
{
    uint64_t before[DP_PERF_N], after[DP_PERF_N], cycles = 0;
    struct dp_packet_batch batch;
    struct dpif_dp_stats st;
    uint32_t n_rules;
    struct bench b;

    memset(&b, 0, sizeof b);
    b.n_flows = argc > 1 ? strtoul(argv[1], NULL, 10) : 8192;
    n_rules = argc > 2 ? strtoul(argv[2], NULL, 10) : b.n_flows;
    if (!b.n_flows || b.n_flows > (1u << 24) || n_rules < b.n_flows) {
        fprintf(stderr,
                "usage: %s [FLOWS [RULES]] "
                "(0 < FLOWS <= 2^24, RULES >= FLOWS)\n",
                argv[0]);
        return 2;
    }

    bench_setup(&b);
    bench_rules(&b, n_rules);
    bench_traffic(&b);
    ofproto_run(b.ofproto);

    dp_perf_read_raw(&b.pmd->perf, before);
    while (bench_fill(&b, &batch)) {
        uint64_t start = rte_rdtsc();

        bench_upcall_measured(&b, &batch);
        cycles += rte_rdtsc() - start;
    }
    dp_perf_read_raw(&b.pmd->perf, after);
    for (int i = 0; i < DP_PERF_N; i++) {
        after[i] -= before[i];
    }
    memset(&st, 0, sizeof st);
    dpif_get_stats(b.dp, &st);

    printf("flows %" PRIu32 " rules %" PRIu32 "\n", b.n_flows, n_rules);
    printf("packets %" PRIu64 " upcalls %" PRIu64 " lost %" PRIu64
           " datapath flows %" PRIu64 "\n",
           after[DP_PERF_RECV], after[DP_PERF_MISS], after[DP_PERF_LOST],
           (uint64_t)st.n_flows);
    printf("tsc cycles per new flow %.0f\n", (double)cycles / b.n_flows);
    if (after[DP_PERF_MISS] != b.n_flows || after[DP_PERF_LOST] ||
        st.n_flows != b.n_flows) {
        fprintf(stderr,
                "bench-upcall: expected %" PRIu32
                " upcalls and flows, no loss\n",
                b.n_flows);
        return 1;
    }
    return 0;
}
