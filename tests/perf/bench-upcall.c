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
 * mbufs are allocated and filled outside the measured function.  Set-up
 * (tests/perf/bench-fixture.h): datapath "bench" with port 0 (dummy), port 1
 * (dummy, the source, never polled) and port 2 (DPDK net_null with no-rx=1,
 * the sink), a switch "bench" on it (ofproto_create()) holding the rules; the
 * datapath's own PMD thread is stopped after set-up and this thread drives
 * that PMD's state directly.  Traffic: 60-byte Ethernet/IPv4/UDP frames (flow
 * i from 10.(i>>16).(i>>8&255).(i&255) to 192.168.0.1, ports 1234 -> 5678) in
 * a fixed shuffled order, each sent once.
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

#include "lib/ofp-flow.h"
#include "lib/util.h"
#include "ofproto/ofproto-private.h"
#include "tests/perf/bench-fixture.h"

struct bench {
    struct bench_fixture fx;
    struct ofproto *ofproto;
    uint32_t n_flows;
    uint32_t *order; /* Flow of each packet, shuffled. */
    uint32_t next;
};

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
                 (i >> 16) & 255, (i >> 8) & 255, i & 255, b->fx.out_port);
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
    b->order = xmalloc(b->n_flows * sizeof *b->order);
    for (uint32_t i = 0; i < b->n_flows; i++) {
        b->order[i] = i;
    }
    bench_fixture_shuffle(b->order, b->n_flows);
}

/* Writes the frame of the next flow of 'aux' (a struct bench) into
 * 'frame'. */
static void
bench_write(void *aux, uint8_t *frame)
{
    struct bench *b = aux;

    bench_fixture_frame(b->order[b->next++], frame);
}

/* Fills 'batch' with the next (up to 32) packets; returns their count. */
static uint32_t
bench_fill(struct bench *b, struct dp_packet_batch *batch)
{
    uint32_t n = MIN(b->n_flows - b->next, DP_PACKET_BATCH_SIZE);

    bench_fixture_fill(&b->fx, batch, n, bench_write, b);
    return n;
}

/* One PMD iteration's work on a received burst, as dp-pmd.c does it. */
void __attribute__((noinline))
bench_upcall_measured(struct bench *, struct dp_packet_batch *);

void __attribute__((noinline))
bench_upcall_measured(struct bench *b, struct dp_packet_batch *batch)
{
    bench_fixture_burst(&b->fx, batch);
}

static void
bench_setup(struct bench *b)
{
    int error;

    bench_fixture_open(&b->fx, "bench-upcall");
    error = ofproto_create("bench", b->fx.dp, &b->ofproto);
    if (error) {
        bench_fixture_die("ofproto_create", error);
    }
    bench_fixture_take_pmd(&b->fx);
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

    dp_perf_read_raw(&b.fx.pmd->perf, before);
    while (bench_fill(&b, &batch)) {
        uint64_t start = rte_rdtsc();

        bench_upcall_measured(&b, &batch);
        cycles += rte_rdtsc() - start;
    }
    dp_perf_read_raw(&b.fx.pmd->perf, after);
    for (int i = 0; i < DP_PERF_N; i++) {
        after[i] -= before[i];
    }
    memset(&st, 0, sizeof st);
    dpif_get_stats(b.fx.dp, &st);

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
