/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-dp: a deterministic, in-process forwarding benchmark of the PMD
 * fast path, made to be run under callgrind so that the cost of one packet
 * can be counted in instructions, repeatably, on a loaded machine.
 *
 * Usage (from a build directory; the command line is stable):
 *
 *   tests/perf/bench-dp SCENARIO [BURSTS [WARMUP_BURSTS]] [--emc-inv-prob=N]
 *
 *   SCENARIO  S1     one flow, megaflow in_port(1) -> output:2
 *             S2     1000 flows, one exact ipv4(src) megaflow each -> 2
 *             S3     16384 flows, likewise
 *             S4-M   1000 flows spread over M masks (1 <= M <= 16): mask j
 *                    is exact nw_src plus an nw_dst prefix of 16 + j bits
 *   BURSTS    measured bursts of 32 packets (default 20000)
 *   WARMUP_BURSTS  bursts run first, not measured (default: enough for
 *             every frame to be seen 500 times, at most 4M packets)
 *   --emc-inv-prob=N  the datapath's emc-insert-inv-prob (default 100;
 *             0 disables the exact-match cache)
 *
 *   valgrind --tool=callgrind --toggle-collect=bench_dp_measured \
 *       tests/perf/bench-dp S2
 *
 * then instructions per packet = the "Collected" Ir count / the packets
 * the program prints.  Without valgrind it also prints TSC cycles per
 * packet (meaningful only on a quiet machine).
 *
 * What is measured: for each burst, exactly what a PMD iteration does with
 * a received burst (set in_port, dp_pmd_process(), flush the output
 * batches to the sink, fold the counters) — not the receive itself.  The
 * burst's mbufs are allocated and filled outside the measured function.
 *
 * Set-up (tests/perf/bench-fixture.h): datapath "bench" with port 0
 * (dummy, unused), port 1 (dummy, the source, never polled) and port 2
 * (DPDK net_null with no-rx=1, the sink).  The datapath's own PMD thread is
 * stopped after set-up and this thread drives that PMD's state directly.
 * Traffic: 60-byte Ethernet/IPv4/UDP
 * frames as tests/perf/gen-pcap.py writes them (flow i has source
 * 10.(i>>16).(i>>8&255).(i&255), destination 192.168.0.1, ports
 * 1234 -> 5678), max(flows, 1024) frames in a fixed shuffled order.
 *
 * Never part of `make check`.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "lib/dp-actions.h"
#include "lib/util.h"
#include "tests/perf/bench-fixture.h"

#define BENCH_FRAME_LEN BENCH_FIXTURE_FRAME_LEN

struct bench {
    struct bench_fixture fx;
    uint32_t n_flows;
    uint32_t *order; /* Flow of each frame of the traffic. */
    uint32_t n_order;
    uint32_t next;
    uint8_t (*frames)[BENCH_FRAME_LEN]; /* [n_flows] */
};

/* Installs one megaflow 'key'/'wc' -> output:out_port. */
static void
bench_put(struct bench *b, const struct flow *key,
          const struct flow_wildcards *wc)
{
    struct dpa_output out = {b->fx.out_port};
    struct dp_actions_buf acts;
    int error;

    dp_actions_buf_init(&acts);
    dp_actions_put(&acts, DPA_OUTPUT, &out, sizeof out);
    error = dpif_flow_put(b->fx.dp, DPIF_FP_CREATE, key, wc, acts.data,
                          acts.size, NULL);
    if (error) {
        bench_fixture_die("dpif_flow_put", error);
    }
    dp_actions_buf_uninit(&acts);
}

static void
bench_flows(struct bench *b, const char *scenario)
{
    struct flow_wildcards wc;
    struct flow key;
    int n_masks = 0;

    if (!strcmp(scenario, "S1")) {
        b->n_flows = 1;
    } else if (!strcmp(scenario, "S2")) {
        b->n_flows = 1000;
    } else if (!strcmp(scenario, "S3")) {
        b->n_flows = 16384;
    } else if (!strncmp(scenario, "S4-", 3)) {
        n_masks = atoi(scenario + 3);
        if (n_masks < 1 || n_masks > 16) {
            bench_fixture_die("S4-M: M must be 1 to 16", EINVAL);
        }
        b->n_flows = 1000;
    } else {
        bench_fixture_die(scenario, EINVAL);
    }

    flow_wildcards_init_catchall(&wc);
    wc.masks.in_port = UINT32_MAX;
    wc.masks.recirc_id = UINT32_MAX;
    memset(&key, 0, sizeof key);
    key.in_port = b->fx.in_port;
    if (!strcmp(scenario, "S1")) {
        bench_put(b, &key, &wc);
        return;
    }
    wc.masks.dl_type = htons(0xffff);
    wc.masks.nw_src = htonl(UINT32_MAX);
    key.dl_type = htons(0x0800);
    for (uint32_t i = 0; i < b->n_flows; i++) {
        key.nw_src = htonl(0x0a000000 | i);
        if (n_masks) {
            int j = i % n_masks;

            wc.masks.nw_dst = htonl(UINT32_MAX << (16 - j));
            key.nw_dst = htonl(0xc0a80001) & wc.masks.nw_dst;
        }
        bench_put(b, &key, &wc);
    }
}

static void
bench_traffic(struct bench *b)
{
    b->frames = xmalloc(b->n_flows * sizeof *b->frames);
    for (uint32_t i = 0; i < b->n_flows; i++) {
        bench_fixture_frame(i, b->frames[i]);
    }
    b->n_order = MAX(b->n_flows, 1024);
    b->order = xmalloc(b->n_order * sizeof *b->order);
    for (uint32_t i = 0; i < b->n_order; i++) {
        b->order[i] = i % b->n_flows;
    }
    bench_fixture_shuffle(b->order, b->n_order);
}

/* Copies the next frame of the traffic of 'aux' (a struct bench) into
 * 'frame'. */
static void
bench_write(void *aux, uint8_t *frame)
{
    struct bench *b = aux;

    memcpy(frame, b->frames[b->order[b->next]], BENCH_FRAME_LEN);
    b->next = (b->next + 1) % b->n_order;
}

/* Fills 'batch' with the next 32 frames of the traffic. */
static void
bench_fill(struct bench *b, struct dp_packet_batch *batch)
{
    bench_fixture_fill(&b->fx, batch, DP_PACKET_BATCH_SIZE, bench_write, b);
}

void __attribute__((noinline))
bench_dp_warm(struct bench *, struct dp_packet_batch *);
void __attribute__((noinline))
bench_dp_measured(struct bench *, struct dp_packet_batch *);

void __attribute__((noinline))
bench_dp_warm(struct bench *b, struct dp_packet_batch *batch)
{
    bench_fixture_burst(&b->fx, batch);
}

void __attribute__((noinline))
bench_dp_measured(struct bench *b, struct dp_packet_batch *batch)
{
    bench_fixture_burst(&b->fx, batch);
}

static void
bench_setup(struct bench *b, uint32_t inv_prob)
{
    bench_fixture_open(&b->fx, "bench-dp");
    atomic_store_explicit(&b->fx.dp->emc_insert_inv_prob, inv_prob,
                          memory_order_relaxed);
    bench_fixture_take_pmd(&b->fx);
}

int
main(int argc, char *argv[])
{
    uint64_t n_bursts = 20000, n_warm = 0, cycles = 0;
    uint64_t before[DP_PERF_N], after[DP_PERF_N];
    const char *scenario = NULL;
    struct dp_packet_batch batch;
    uint32_t inv_prob = 100;
    struct bench b;
    int n_pos = 0;

    memset(&b, 0, sizeof b);
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--emc-inv-prob=", 15)) {
            inv_prob = strtoul(argv[i] + 15, NULL, 10);
        } else if (n_pos == 0) {
            scenario = argv[i];
            n_pos++;
        } else if (n_pos == 1) {
            n_bursts = strtoull(argv[i], NULL, 10);
            n_pos++;
        } else if (n_pos == 2) {
            n_warm = strtoull(argv[i], NULL, 10);
            n_pos++;
        }
    }
    if (!scenario) {
        fprintf(stderr,
                "usage: %s S1|S2|S3|S4-M [BURSTS [WARMUP]] "
                "[--emc-inv-prob=N]\n",
                argv[0]);
        return 2;
    }

    bench_setup(&b, inv_prob);
    bench_flows(&b, scenario);
    bench_traffic(&b);
    if (!n_warm) {
        /* Every frame seen 500 times (at most 4M packets): with the default
         * insertion probability the exact-match cache holds ~99% of the
         * flows it can. */
        n_warm =
            MIN((uint64_t)b.n_order * 500, 4u << 20) / DP_PACKET_BATCH_SIZE +
            1;
    }

    for (uint64_t i = 0; i < n_warm; i++) {
        bench_fill(&b, &batch);
        bench_dp_warm(&b, &batch);
    }
    dp_perf_read_raw(&b.fx.pmd->perf, before);
    for (uint64_t i = 0; i < n_bursts; i++) {
        uint64_t start;

        bench_fill(&b, &batch);
        start = rte_rdtsc();
        bench_dp_measured(&b, &batch);
        cycles += rte_rdtsc() - start;
    }
    dp_perf_read_raw(&b.fx.pmd->perf, after);
    for (int i = 0; i < DP_PERF_N; i++) {
        after[i] -= before[i];
    }

    uint64_t n = after[DP_PERF_RECV];
    printf("scenario %s flows %" PRIu32 " emc-inv-prob %" PRIu32 "\n",
           scenario, b.n_flows, inv_prob);
    printf("packets %" PRIu64 " sent %" PRIu64 " batches %" PRIu64
           " simple %" PRIu64 " emc %" PRIu64 " megaflow %" PRIu64
           " lookups %" PRIu64 " miss %" PRIu64 " lost %" PRIu64 "\n",
           n, after[DP_PERF_SENT_PKTS], after[DP_PERF_SENT_BATCHES],
           after[DP_PERF_SIMPLE_HIT], after[DP_PERF_EMC_HIT],
           after[DP_PERF_MASKED_HIT], after[DP_PERF_MASKED_LOOKUP],
           after[DP_PERF_MISS], after[DP_PERF_LOST]);
    printf("tsc-cycles/packet %.1f\n", n ? (double)cycles / n : 0.0);
    if (after[DP_PERF_SENT_PKTS] != n) {
        fprintf(stderr,
                "bench-dp: %" PRIu64 " of %" PRIu64
                " packets were not forwarded\n",
                n - after[DP_PERF_SENT_PKTS], n);
        return 1;
    }
    return 0;
}
