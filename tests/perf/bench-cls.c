/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-cls: a microbenchmark of the datapath's lookup stages beyond the
 * fast path, never run by the test suite.
 *
 * It fills a datapath flow table (datapath/dp-flow) with megaflows, then
 * runs a stream of generated flow keys through the same stages a PMD
 * thread uses, in bursts of 32: the exact-match cache (dp-emc, 8192
 * entries, insertion with probability 1/100 on a megaflow hit), then one
 * batched classifier lookup for the misses, then the per-flow work the
 * execute step does (reading the action list, accounting statistics).  It
 * also times the insertion of many rules into one classifier, as the
 * OpenFlow tables do.
 *
 * Modes:
 *   lookup MASKS FLOWS PACKETS   FLOWS megaflows spread over MASKS masks
 *                                (1..16), one key per megaflow, PACKETS
 *                                packets in shuffled order
 *   broad FLOWS PACKETS          one megaflow (in_port only) and FLOWS
 *                                distinct 5-tuples hitting it
 *   insert RULES                 RULES exact ip,nw_src rules of one priority
 *                                into one classifier, then removed
 *
 * Figures are printed per packet (or per rule): TSC cycles, noisy on a
 * loaded machine.  For repeatable figures run it under
 *   valgrind --tool=callgrind --cache-sim=yes bench-cls ...
 * which dumps the measured part alone (client requests around it) into
 * callgrind.out.PID.1; divide its instructions by the count printed.  The
 * cost of bench_keys__() (making the keys) is then to be subtracted: see
 * callgrind_annotate --inclusive=yes.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS
#endif

#include "datapath/dp-emc.h"
#include "datapath/dp-flow.h"
#include "lib/classifier.h"
#include "lib/flow.h"
#include "lib/packets.h"
#include "lib/rcu.h"

#define BURST 32

struct bench {
    struct dp_flow_table table;
    struct dp_emc *emc;
    uint32_t n_masks;
    uint32_t n_flows;
    bool broad;
    uint32_t *order; /* Flow index of each packet slot (one round). */
    uint32_t rand;
    uint64_t emc_hits, cls_hits, misses, probes;
};

static uint32_t
bench_rand__(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* The key of flow 'j': UDP from a distinct source address. */
static void
bench_key__(const struct bench *b, uint32_t j, struct flow_key *key)
{
    struct flow *f = &key->flow;

    memset(key, 0, sizeof *key);
    f->in_port = 1;
    f->dl_dst = (struct eth_addr){{0x02, 0, 0, 0, 0, 2}};
    f->dl_src = (struct eth_addr){{0x02, 0, 0, 0, 0, 1}};
    f->dl_type = htons(ETH_TYPE_IP);
    f->nw_src = htonl(0x0a000000 + j);
    f->nw_dst = htonl(0xc0a80001 + (j % 251));
    f->nw_proto = 17;
    f->nw_ttl = 64;
    f->tp_src = htons(1024 + (j % 50000));
    f->tp_dst = htons(b->broad ? 9 : (uint16_t)(j % b->n_masks));
    flow_key_finish(key);
}

/* The mask of megaflow group 'm': tp_dst and nw_src exact (so groups never
 * overlap), plus extra fields chosen by the bits of 'm'. */
static void
bench_mask__(uint32_t m, struct flow_wildcards *wc)
{
    flow_wildcards_init_catchall(wc);
    wc->masks.in_port = UINT32_MAX;
    wc->masks.recirc_id = UINT32_MAX;
    wc->masks.dl_type = UINT16_MAX;
    wc->masks.nw_src = UINT32_MAX;
    wc->masks.tp_dst = UINT16_MAX;
    if (m & 1) {
        wc->masks.nw_dst = UINT32_MAX;
    }
    if (m & 2) {
        wc->masks.tp_src = UINT16_MAX;
    }
    if (m & 4) {
        memset(&wc->masks.dl_src, 0xff, sizeof wc->masks.dl_src);
    }
    if (m & 8) {
        wc->masks.nw_ttl = UINT8_MAX;
    }
}

static void
bench_setup__(struct bench *b)
{
    static const uint8_t actions[8];
    struct flow_key key;

    dp_flow_table_init(&b->table);
    atomic_store(&b->table.limit, b->n_flows + 16);
    b->emc = dp_emc_create(DP_EMC_DEFAULT_ENTRIES);
    b->rand = 0x12345678;

    for (uint32_t j = 0; j < (b->broad ? 1 : b->n_flows); j++) {
        struct flow_wildcards wc;

        bench_key__(b, j, &key);
        if (b->broad) {
            flow_wildcards_init_catchall(&wc);
            wc.masks.in_port = UINT32_MAX;
            wc.masks.recirc_id = UINT32_MAX;
        } else {
            bench_mask__(j % b->n_masks, &wc);
        }
        if (!dp_flow_table_install(&b->table, &key.flow, &wc, actions,
                                   sizeof actions)) {
            fprintf(stderr, "install %" PRIu32 " failed\n", j);
            exit(1);
        }
    }
    classifier_rank_subtables(b->table.cls);

    b->order = xmalloc(b->n_flows * sizeof *b->order);
    for (uint32_t j = 0; j < b->n_flows; j++) {
        b->order[j] = j;
    }
    for (uint32_t j = b->n_flows; j > 1; j--) {
        uint32_t k = bench_rand__(&b->rand) % j;
        uint32_t t = b->order[j - 1];

        b->order[j - 1] = b->order[k];
        b->order[k] = t;
    }
}

/* The lookup stages for one burst of 'n' keys, as a PMD runs them. */
static void __attribute__((noinline))
bench_burst__(struct bench *b, struct flow_key keys[], uint32_t n)
{
    const struct flow *miss_keys[BURST];
    const struct cls_rule *rules[BURST];
    struct dp_flow *flows[BURST];
    uint32_t probes[BURST];
    uint8_t miss_idx[BURST];
    size_t n_miss = 0;

    for (uint32_t i = 0; i < n; i++) {
        struct dp_flow *flow = dp_emc_lookup(b->emc, &keys[i]);

        if (flow && !dp_flow_is_dead(flow)) {
            b->emc_hits++;
            flows[i] = flow;
        } else {
            flows[i] = NULL;
            miss_keys[n_miss] = &keys[i].flow;
            miss_idx[n_miss++] = i;
        }
    }
    if (n_miss) {
        size_t n_hit = classifier_lookup_batch_counted(b->table.cls, miss_keys,
                                                       n_miss, rules, probes);

        b->cls_hits += n_hit;
        b->misses += n_miss - n_hit;
        for (size_t j = 0; j < n_miss; j++) {
            struct dp_flow *flow = dp_flow_from_rule(rules[j]);

            b->probes += probes[j];
            flows[miss_idx[j]] = flow;
            if (flow && bench_rand__(&b->rand) % 100 == 0) {
                dp_emc_insert(b->emc, &keys[miss_idx[j]], flow);
            }
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (flows[i]) {
            const struct dp_flow_actions *a = rcu_get(flows[i]->actions);

            dp_flow_account(flows[i], b, 1, 64 + a->len, 0, 1);
        }
    }
}

/* Generates the keys of one burst (the extraction step's output). */
static void __attribute__((noinline))
bench_keys__(struct bench *b, uint64_t p, struct flow_key keys[], uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        bench_key__(b, b->order[(p + i) % b->n_flows], &keys[i]);
    }
}

static void __attribute__((noinline))
bench_measure__(struct bench *b, uint64_t n_packets)
{
    static struct flow_key keys[BURST];

    for (uint64_t p = 0; p < n_packets; p += BURST) {
        bench_keys__(b, p, keys, BURST);
        bench_burst__(b, keys, BURST);
    }
}

static void
bench_run_lookup__(struct bench *b, uint64_t n_packets)
{
    uint64_t start, cycles;

    bench_setup__(b);
    /* Warm up until the cache settles: 500 rounds of every flow, at most
     * 1M packets, at least two rounds. */
    bench_measure__(b, MAX(2 * (uint64_t)b->n_flows,
                           MIN(500 * (uint64_t)b->n_flows, 1 << 20)));
    b->emc_hits = b->cls_hits = b->misses = b->probes = 0;

    start = rte_rdtsc();
    CALLGRIND_ZERO_STATS;
    bench_measure__(b, n_packets);
    CALLGRIND_DUMP_STATS;
    cycles = rte_rdtsc() - start;

    printf("masks %" PRIu32 " flows %" PRIu32 " packets %" PRIu64
           ": emc %.1f%% megaflow %.1f%% miss %.1f%%, subtables/hit %.2f,"
           " %.0f TSC cycles/pkt (keys included)\n",
           b->broad ? 1 : b->n_masks, b->n_flows, n_packets,
           100.0 * b->emc_hits / n_packets, 100.0 * b->cls_hits / n_packets,
           100.0 * b->misses / n_packets,
           b->cls_hits ? (double)b->probes / b->cls_hits : 0.0,
           (double)cycles / n_packets);
}

static void __attribute__((noinline))
bench_insert__(struct classifier *cls, struct cls_rule *rules, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (classifier_insert(cls, &rules[i])) {
            fprintf(stderr, "insert %" PRIu32 " failed\n", i);
            exit(1);
        }
    }
}

static void __attribute__((noinline))
bench_remove__(struct classifier *cls, struct cls_rule *rules, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        classifier_remove(cls, &rules[i]);
    }
}

static void __attribute__((noinline))
bench_measure_insert__(struct classifier *cls, struct cls_rule *rules,
                       uint32_t n)
{
    bench_insert__(cls, rules, n);
    bench_remove__(cls, rules, n);
}

static void
bench_run_insert__(uint32_t n)
{
    struct cls_rule *rules = xcalloc(n, sizeof *rules);
    struct classifier *cls = classifier_create();
    struct flow_wildcards wc;
    uint64_t start, cycles;

    flow_wildcards_init_catchall(&wc);
    wc.masks.dl_type = UINT16_MAX;
    wc.masks.nw_src = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        struct flow f;

        memset(&f, 0, sizeof f);
        f.dl_type = htons(ETH_TYPE_IP);
        f.nw_src = htonl(0x0a000000 + i);
        cls_rule_init(&rules[i], &f, &wc, 32768);
    }
    start = rte_rdtsc();
    CALLGRIND_ZERO_STATS;
    bench_measure_insert__(cls, rules, n);
    CALLGRIND_DUMP_STATS;
    cycles = rte_rdtsc() - start;
    printf("insert+remove %" PRIu32 " rules: %.0f TSC cycles/rule\n", n,
           (double)cycles / n);
    rcu_synchronize();
    classifier_destroy(cls);
    rcu_synchronize();
    free(rules);
}

static unsigned long
bench_arg__(int argc, char *argv[], int i)
{
    if (i >= argc) {
        fprintf(stderr, "usage: bench-cls lookup MASKS FLOWS PACKETS | "
                        "broad FLOWS PACKETS | insert RULES\n");
        exit(2);
    }
    return strtoul(argv[i], NULL, 0);
}

int
main(int argc, char *argv[])
{
    struct bench b;

    memset(&b, 0, sizeof b);
    rcu_init();
    if (argc > 1 && !strcmp(argv[1], "lookup")) {
        b.n_masks = bench_arg__(argc, argv, 2);
        b.n_flows = bench_arg__(argc, argv, 3);
        if (!b.n_masks || b.n_masks > 16 || !b.n_flows) {
            fprintf(stderr, "MASKS must be 1..16, FLOWS > 0\n");
            return 2;
        }
        bench_run_lookup__(&b, bench_arg__(argc, argv, 4));
    } else if (argc > 1 && !strcmp(argv[1], "broad")) {
        b.broad = true;
        b.n_masks = 1;
        b.n_flows = bench_arg__(argc, argv, 2);
        if (!b.n_flows) {
            return 2;
        }
        bench_run_lookup__(&b, bench_arg__(argc, argv, 3));
    } else if (argc > 1 && !strcmp(argv[1], "insert")) {
        bench_run_insert__(bench_arg__(argc, argv, 2));
    } else {
        bench_arg__(argc, argv, argc);
    }
    return 0;
}
