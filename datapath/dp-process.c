/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-process: what a forwarding thread does with one burst of packets.
 *
 * Two shortcuts come first, each for a shape of the megaflow table:
 *   - the in_port cache (dp-pmd.h): while the table's one mask is in_port
 *     (and recirc_id), a burst from one port needs no key at all;
 *   - the simple-key path: while the table's one mask reads only words
 *     flow_extract_simple() writes (metadata, L2, IPv4, L4), a burst of
 *     plain IPv4 TCP/UDP frames gets keys with just those words and goes
 *     straight to the classifier, skipping full extraction and the
 *     exact-match cache (which saves nothing when one probe finds the
 *     flow).
 * Any burst they do not serve whole takes the full path:
 *   1. extract each packet's flow key once, with its hash (flow_extract());
 *   2. look it up in the thread's exact-match cache (dp-emc), then, for the
 *      misses, in the shared megaflow classifier in one batch;
 *   3. hand the remaining misses to the upcall callback, install the
 *      megaflow it returns (dp-flow) and run its actions;
 *   4. packets whose flow's actions are a single output go straight to the
 *      port's output batch, statistics added once per run of one flow's
 *      packets; the others are grouped by flow, each flow's statistics
 *      added once, and each group's actions run with dp_execute_batch();
 *      outputs gather into per-port batches sent once per burst;
 *   5. packets that recirculate run the same steps again, up to
 *      DP_PMD_MAX_RECIRC_DEPTH passes.
 *
 * No allocation, lock, syscall or unlimited log per packet: the only lock
 * is the flow table's writer mutex, taken per upcall to install a flow.
 * All scratch space lives in the 'struct dp_pmd' of the calling thread.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>

#include <rte_cycles.h>
#include <rte_prefetch.h>

#include "datapath/dp-emc.h"
#include "datapath/dp-execute.h"
#include "datapath/dp-meter.h"
#include "datapath/dp-pmd.h"
#include "datapath/dpif-netdev-private.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_process);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static void dp_process_output__(void *aux, uint32_t port_no,
                                struct dp_packet *);
static void dp_process_userspace__(void *aux, const struct dp_packet *,
                                   const struct dpa_userspace *);
static void dp_process_recirc__(void *aux, struct dp_packet *);
static void dp_process_meter__(void *aux, uint32_t meter_id,
                               struct dp_packet *const *pkts, uint32_t n,
                               uint8_t *verdicts);

static const struct dp_execute_ops dp_process_ops = {
    .output = dp_process_output__,
    .userspace = dp_process_userspace__,
    .recirc = dp_process_recirc__,
    .meter = dp_process_meter__,
};

/* DPA_METER: the datapath's meters, timed once per batch. */
static void
dp_process_meter__(void *aux, uint32_t meter_id, struct dp_packet *const *pkts,
                   uint32_t n, uint8_t *verdicts)
{
    struct dp_pmd *pmd = aux;

    dp_meters_run(pmd->dp->meters, meter_id, pkts, n, time_usec(), verdicts);
}

/* xorshift32: cheap per-thread randomness for EMC insertion. */
static inline uint32_t
dp_process_rand__(struct dp_pmd *pmd)
{
    uint32_t x = pmd->rand;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    pmd->rand = x;
    return x;
}

static inline bool
dp_process_emc_insert_p__(struct dp_pmd *pmd, uint32_t inv_prob)
{
    return pmd->emc && inv_prob &&
           (inv_prob == 1 || dp_process_rand__(pmd) % inv_prob == 0);
}

/* Sends the pending batch 'tx' (the packets go to the netdev). */
static void
dp_process_send__(struct dp_pmd *pmd, struct dp_tx_pending *tx)
{
    uint32_t n = tx->batch.count;

    if (n) {
        pmd->cnt[DP_PERF_SENT_PKTS] += n;
        pmd->cnt[DP_PERF_SENT_BATCHES]++;
        netdev_send(tx->port->netdev, pmd->tx_qid, &tx->batch,
                    tx->port->concurrent_txq);
        dp_packet_batch_init(&tx->batch);
    }
}

void
dp_pmd_flush_tx(struct dp_pmd *pmd)
{
    for (size_t i = 0; i < pmd->n_tx; i++) {
        dp_process_send__(pmd, &pmd->tx[i]);
    }
    pmd->n_tx = 0;
}

/* The pending output batch of datapath port 'port_no', made if needed
 * (flushing every pending batch first if all slots are taken), or NULL if
 * the port does not exist.  The pointer stays valid until the next call
 * that makes a batch. */
static struct dp_tx_pending *
dp_process_tx_for__(struct dp_pmd *pmd, uint32_t port_no)
{
    struct dp_port *port = NULL;
    struct dp_tx_pending *tx;

    if (port_no < DPIF_MAX_PORTS && pmd->ports) {
        port = pmd->ports->ports[port_no];
    }
    if (!port) {
        return NULL;
    }
    /* Most bursts output to one or two ports: scan from the latest. */
    for (size_t i = pmd->n_tx; i-- > 0;) {
        if (pmd->tx[i].port == port) {
            return &pmd->tx[i];
        }
    }
    if (pmd->n_tx >= DP_PMD_MAX_TX_PORTS) {
        dp_pmd_flush_tx(pmd);
    }
    tx = &pmd->tx[pmd->n_tx++];
    tx->port = port;
    dp_packet_batch_init(&tx->batch);
    return tx;
}

/* Adds 'packet' (taken) to 'tx', sending the batch when it is full. */
static inline void
dp_process_tx_add__(struct dp_pmd *pmd, struct dp_tx_pending *tx,
                    struct dp_packet *packet)
{
    dp_packet_batch_add(&tx->batch, packet);
    if (dp_packet_batch_is_full(&tx->batch)) {
        dp_process_send__(pmd, tx);
    }
}

static void
dp_process_output__(void *aux, uint32_t port_no, struct dp_packet *packet)
{
    struct dp_pmd *pmd = aux;
    struct dp_tx_pending *tx = dp_process_tx_for__(pmd, port_no);

    if (tx) {
        dp_process_tx_add__(pmd, tx, packet);
    } else {
        dp_packet_free(packet);
    }
}

/* Outputs the 'n' packets of 'pkts' (taken) to 'port_no': what 'n' calls
 * of dp_process_output__() do, with one port lookup. */
static void
dp_process_output_batch__(struct dp_pmd *pmd, uint32_t port_no,
                          struct dp_packet *const *pkts, uint32_t n)
{
    struct dp_tx_pending *tx = dp_process_tx_for__(pmd, port_no);

    for (uint32_t i = 0; i < n; i++) {
        if (tx) {
            dp_process_tx_add__(pmd, tx, pkts[i]);
        } else {
            dp_packet_free(pkts[i]);
        }
    }
}

/* Runs 'flow''s actions on the packets of 'batch' (taken).  A flow whose
 * actions are a single output, the common case, sends them straight to the
 * port's output batch without reading the action list. */
static inline void
dp_process_run_actions__(struct dp_pmd *pmd, struct dp_packet_batch *batch,
                         struct dp_flow *flow)
{
    uint32_t port =
        atomic_load_explicit(&flow->out_port, memory_order_relaxed);

    if (port != UINT32_MAX) {
        dp_process_output_batch__(pmd, port, batch->packets, batch->count);
        dp_packet_batch_init(batch);
    } else {
        /* Pairs with rcu_publish() of the actions in dp-flow.c. */
        const struct dp_flow_actions *a = rcu_get(flow->actions);

        dp_execute_batch(&dp_process_ops, pmd, batch, a->data, a->len);
    }
}

static void
dp_process_userspace__(void *aux, const struct dp_packet *packet,
                       const struct dpa_userspace *ua)
{
    struct dp_pmd *pmd = aux;
    /* Pairs with rcu_publish() in dpif_register_upcall_cb(). */
    const struct dp_upcall_reg *reg = rcu_get(pmd->dp->upcall);
    struct flow_wildcards wc;
    uint64_t start;

    if (!reg) {
        return;
    }
    flow_extract(dp_packet_data(packet), dp_packet_size(packet),
                 &packet->md.md, &pmd->uc_key, NULL);
    struct dpif_upcall up = {
        .type = DPIF_UC_ACTION,
        .packet = packet,
        .key = &pmd->uc_key.flow,
        .pid = ua->pid,
        .userdata = ua + 1,
        .userdata_len = ua->userdata_len,
    };
    pmd->uc_scratch.size = 0;
    flow_wildcards_init_catchall(&wc);
    start = rte_rdtsc();
    reg->cb(&up, &pmd->uc_scratch, &wc, reg->aux);
    pmd->cnt[DP_PERF_CYCLES_UPCALL] += rte_rdtsc() - start;
}

static void
dp_process_recirc__(void *aux, struct dp_packet *packet)
{
    struct dp_pmd *pmd = aux;

    if (dp_packet_batch_is_full(&pmd->recirc)) {
        pmd->cnt[DP_PERF_LOST]++;
        dp_packet_free(packet);
        return;
    }
    dp_packet_batch_add(&pmd->recirc, packet);
}

/* Step 1. */
static void
dp_process_extract__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    for (uint32_t i = 0; i < b->count; i++) {
        struct dp_packet *p = b->packets[i];

        if (i + 1 < b->count) {
            rte_prefetch0(dp_packet_data(b->packets[i + 1]));
        }
        flow_extract(dp_packet_data(p), dp_packet_size(p), &p->md.md,
                     &pmd->keys[i], &p->md.ofs);
        p->md.rss_hash = pmd->keys[i].hash;
        p->md.key_valid = true;
    }
}

static void dp_process_execute__(struct dp_pmd *, struct dp_packet_batch *);

/* The in_port cache (see dp-pmd.h).  Remembers 'flow', found by a full
 * lookup for a packet received on 'in_port' with 'recirc_id', if the flow
 * table holds one mask and 'flow''s mask is in_port, or in_port and
 * recirc_id. */
static void
dp_process_port_cache_learn__(struct dp_pmd *pmd, uint32_t in_port,
                              uint32_t recirc_id, struct dp_flow *flow)
{
    struct dp_port_cache_entry *e =
        &pmd->port_cache[in_port % DP_PMD_PORT_CACHE];
    const struct flow *m = &flow->cr.mask.masks;
    static const uint64_t port_word = UINT64_C(1) << FLOW_WORD(in_port);

    if ((e->flow == flow && e->in_port == in_port) || e->rejected == flow) {
        return;
    }
    BUILD_ASSERT(FLOW_WORD(in_port) == FLOW_WORD(recirc_id));
    /* Most masks that do not qualify have dl_type: test it first. */
    if (m->dl_type || m->in_port != UINT32_MAX ||
        (m->recirc_id != 0 && m->recirc_id != UINT32_MAX) ||
        flow_wildcards_map(&flow->cr.mask) != port_word) {
        /* The flow's memory is reused only after the flow dies, which
         * clears the cache: this never hides another flow. */
        e->rejected = flow;
        return;
    }
    if (classifier_n_subtables(pmd->dp->flows.cls) != 1) {
        return;
    }
    e->flow = flow;
    e->in_port = in_port;
    e->recirc_mask = m->recirc_id;
    e->recirc_id = recirc_id & m->recirc_id;
}

/* The in_port cache learning from a burst the classifier served whole: many
 * flows miss the exact-match cache on every burst, and without this the
 * in_port cache would never serve them.  emc-insert-inv-prob=0 turns the
 * caches off, this learning included. */
static void
dp_process_learn_from_cls__(struct dp_pmd *pmd, uint32_t in_port,
                            uint32_t recirc_id, struct dp_flow *flow)
{
    if (pmd->emc && atomic_load_explicit(&pmd->dp->emc_insert_inv_prob,
                                         memory_order_relaxed)) {
        dp_process_port_cache_learn__(pmd, in_port, recirc_id, flow);
    }
}

/* Runs burst 'b' through the in_port cache, if it may: every packet came
 * in on the same port with a recirc_id the cached flow matches, the flow
 * is alive and the table still has one mask.  Returns false, having
 * touched nothing, if not. */
static bool
dp_process_port_cache__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    uint32_t in_port = b->packets[0]->md.md.in_port;
    struct dp_port_cache_entry *e =
        &pmd->port_cache[in_port % DP_PMD_PORT_CACHE];
    struct dp_flow *flow = e->flow;
    uint64_t n_bytes = 0;
    uint16_t tcp_flags = 0;

    if (!flow || e->in_port != in_port || dp_flow_is_dead(flow) ||
        classifier_n_subtables(pmd->dp->flows.cls) != 1) {
        return false;
    }
    for (uint32_t i = 0; i < b->count; i++) {
        const struct flow_md *md = &b->packets[i]->md.md;

        if (md->in_port != in_port ||
            (md->recirc_id & e->recirc_mask) != e->recirc_id) {
            return false;
        }
    }
    for (uint32_t i = 0; i < b->count; i++) {
        struct dp_packet *p = b->packets[i];
        tern_be16 flags;

        if (i + 1 < b->count) {
            rte_prefetch0(dp_packet_data(b->packets[i + 1]));
        }
        /* No key: actions that need the headers' offsets find them. */
        if (!flow_tcp_flags(dp_packet_data(p), dp_packet_size(p), &flags)) {
            flow_extract(dp_packet_data(p), dp_packet_size(p), &p->md.md,
                         &pmd->keys[i], &p->md.ofs);
            p->md.rss_hash = pmd->keys[i].hash;
            p->md.key_valid = true;
            flags = pmd->keys[i].flow.tcp_flags;
        }
        tcp_flags |= ntohs(flags);
        n_bytes += dp_packet_size(p);
    }
    /* Counted as Open vSwitch counts its simple match cache, which serves
     * the same in_port-only case. */
    pmd->cnt[DP_PERF_SIMPLE_HIT] += b->count;
    /* Pairs with rcu_publish() of the actions in dp-flow.c. */
    dp_flow_account(flow, pmd, b->count, n_bytes, tcp_flags, pmd->now);
    dp_process_run_actions__(pmd, b, flow);
    dp_packet_batch_init(b);
    return true;
}

/* The simple-key path: while the megaflow table has one mask and that mask
 * covers only words flow_extract_simple() writes, a burst of plain
 * IPv4 TCP/UDP frames is looked up in the classifier directly, with keys
 * holding only those words: no full extraction, no exact-match cache.
 * Returns false, leaving the burst for the full path, if the table has
 * another shape, a packet has another form or a packet misses (the full
 * path then extracts again and makes the upcall). */
static bool
dp_process_simple__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    const struct classifier *cls = pmd->dp->flows.cls;
    const struct cls_rule *rules[DP_PACKET_BATCH_SIZE];
    const struct flow *keys[DP_PACKET_BATCH_SIZE];
    uint32_t n = b->count;

    if (classifier_n_subtables(cls) != 1) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct dp_packet *p = b->packets[i];

        if (i + 1 < n) {
            rte_prefetch0(dp_packet_data(b->packets[i + 1]));
        }
        if (!flow_extract_simple(dp_packet_data(p), dp_packet_size(p),
                                 &p->md.md, &pmd->keys[i].flow)) {
            return false;
        }
        keys[i] = &pmd->keys[i].flow;
    }
    if (classifier_lookup_batch_words(cls, keys, n, FLOW_SIMPLE_WORDS,
                                      rules) != n) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        pmd->flows[i] = dp_flow_from_rule(rules[i]);
    }
    pmd->cnt[DP_PERF_MASKED_HIT] += n;
    pmd->cnt[DP_PERF_MASKED_LOOKUP] += n;
    /* A mask of in_port alone is the in_port cache's to serve. */
    dp_process_learn_from_cls__(pmd, b->packets[0]->md.md.in_port,
                                b->packets[0]->md.md.recirc_id, pmd->flows[0]);
    dp_process_execute__(pmd, b);
    dp_packet_batch_init(b);
    return true;
}

/* Step 2: fills pmd->flows[]; returns the number of packets still without
 * a flow. */
static size_t
dp_process_lookup__(struct dp_pmd *pmd, uint32_t n)
{
    const struct flow *miss_keys[DP_PACKET_BATCH_SIZE];
    const struct cls_rule *rules[DP_PACKET_BATCH_SIZE];
    uint32_t probes[DP_PACKET_BATCH_SIZE];
    uint8_t miss_idx[DP_PACKET_BATCH_SIZE];
    uint64_t n_probes = 0;
    size_t n_miss = 0, n_hit;
    uint32_t inv_prob;

    for (uint32_t i = 0; i < n; i++) {
        struct dp_flow *flow =
            pmd->emc ? dp_emc_lookup(pmd->emc, &pmd->keys[i]) : NULL;

        if (flow && !dp_flow_is_dead(flow)) {
            pmd->cnt[DP_PERF_EMC_HIT]++;
            pmd->flows[i] = flow;
        } else {
            pmd->flows[i] = NULL;
            miss_keys[n_miss] = &pmd->keys[i].flow;
            miss_idx[n_miss++] = i;
        }
    }
    if (!n_miss) {
        if (pmd->emc && pmd->flows[0]) {
            dp_process_port_cache_learn__(pmd, pmd->keys[0].flow.in_port,
                                          pmd->keys[0].flow.recirc_id,
                                          pmd->flows[0]);
        }
        return 0;
    }

    n_hit = classifier_lookup_batch_counted(pmd->dp->flows.cls, miss_keys,
                                            n_miss, rules, probes);
    if (!n_hit) {
        return n_miss;
    }
    inv_prob = atomic_load_explicit(&pmd->dp->emc_insert_inv_prob,
                                    memory_order_relaxed);
    for (size_t j = 0; j < n_miss; j++) {
        struct dp_flow *flow = dp_flow_from_rule(rules[j]);

        /* Subtables probed for this key; 0 if it missed. */
        n_probes += probes[j];
        if (flow) {
            pmd->flows[miss_idx[j]] = flow;
            if (dp_process_emc_insert_p__(pmd, inv_prob)) {
                dp_emc_insert(pmd->emc, &pmd->keys[miss_idx[j]], flow);
            }
        }
    }
    pmd->cnt[DP_PERF_MASKED_HIT] += n_hit;
    pmd->cnt[DP_PERF_MASKED_LOOKUP] += n_probes;
    if (n_hit == n_miss) {
        dp_process_learn_from_cls__(pmd, pmd->keys[0].flow.in_port,
                                    pmd->keys[0].flow.recirc_id,
                                    pmd->flows[0]);
    }
    return n_miss - n_hit;
}

/* Step 3 for one packet.  Returns the flow the packet belongs to, or NULL
 * if the packet was dropped (upcall failed) or has already been handled
 * (flow limit: actions run on it alone); in both cases *packetp is
 * consumed and set to NULL. */
static struct dp_flow *
dp_process_upcall_one__(struct dp_pmd *pmd, const struct dp_upcall_reg *reg,
                        struct dp_packet **packetp, const struct flow_key *key)
{
    struct dp_actions_buf *acts = &pmd->uc_actions;
    struct flow_wildcards wc;
    struct dp_flow *flow;
    int error = ENOENT;

    if (reg) {
        struct dpif_upcall up = {
            .type = DPIF_UC_MISS,
            .packet = *packetp,
            .key = &key->flow,
        };

        flow_wildcards_init_catchall(&wc);
        wc.masks.in_port = UINT32_MAX;
        wc.masks.recirc_id = UINT32_MAX;
        acts->size = 0;
        error = reg->cb(&up, acts, &wc, reg->aux);
        if (!error && dp_actions_validate(acts->data, acts->size)) {
            VLOG_WARN_RL(&rl, "upcall returned invalid actions");
            error = EINVAL;
        }
    }
    if (error) {
        pmd->cnt[DP_PERF_LOST]++;
        dp_packet_free(*packetp);
        *packetp = NULL;
        return NULL;
    }

    pmd->cnt[DP_PERF_MISS]++;
    flow = dp_flow_table_install(&pmd->dp->flows, &key->flow, &wc, acts->data,
                                 acts->size);
    if (flow) {
        if (dp_process_emc_insert_p__(
                pmd, atomic_load_explicit(&pmd->dp->emc_insert_inv_prob,
                                          memory_order_relaxed))) {
            dp_emc_insert(pmd->emc, key, flow);
        }
        return flow;
    }

    /* Flow limit reached: forward this packet without caching. */
    struct dp_packet_batch one;

    dp_packet_batch_init(&one);
    dp_packet_batch_add(&one, *packetp);
    *packetp = NULL;
    dp_execute_batch(&dp_process_ops, pmd, &one, acts->data, acts->size);
    return NULL;
}

/* Step 3 for the burst. */
static void
dp_process_upcalls__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    /* Pairs with rcu_publish() in dpif_register_upcall_cb(). */
    const struct dp_upcall_reg *reg = rcu_get(pmd->dp->upcall);
    bool installed = false;
    uint64_t start = rte_rdtsc();

    for (uint32_t i = 0; i < b->count; i++) {
        if (pmd->flows[i]) {
            continue;
        }
        /* A flow installed for an earlier packet of this burst may cover
         * this one. */
        if (installed) {
            const struct flow *key = &pmd->keys[i].flow;
            const struct cls_rule *rule;
            uint32_t probes;

            if (classifier_lookup_batch_counted(pmd->dp->flows.cls, &key, 1,
                                                &rule, &probes)) {
                pmd->cnt[DP_PERF_MASKED_HIT]++;
                pmd->cnt[DP_PERF_MASKED_LOOKUP] += probes;
                pmd->flows[i] = dp_flow_from_rule(rule);
                continue;
            }
        }
        pmd->flows[i] =
            dp_process_upcall_one__(pmd, reg, &b->packets[i], &pmd->keys[i]);
        installed |= pmd->flows[i] != NULL;
    }
    pmd->cnt[DP_PERF_CYCLES_UPCALL] += rte_rdtsc() - start;
}

/* Slot of 'flow' in the group index: a multiplicative hash of the
 * pointer. */
static inline uint32_t
dp_process_group_slot__(const struct dp_flow *flow)
{
    uint64_t h = (uint64_t)(uintptr_t)flow * 0x9e3779b97f4a7c15ULL;

    return h >> (64 - DP_PMD_GROUP_BITS);
}

/* Step 4's run of consecutive packets of one single-output flow: they go
 * straight to the port's output batch and their statistics are added once
 * per run. */
struct dp_process_run__ {
    struct dp_flow *flow; /* NULL: no run yet. */
    uint32_t port;        /* Output port of 'flow', or UINT32_MAX. */
    uint32_t n_packets;
    uint64_t n_bytes;
    uint16_t tcp_flags;
    uint32_t tx_port; /* Port of 'tx'; UINT32_MAX: none yet. */
    struct dp_tx_pending *tx;
};

static inline void
dp_process_run_account__(struct dp_pmd *pmd, struct dp_process_run__ *r)
{
    if (r->n_packets) {
        dp_flow_account(r->flow, pmd, r->n_packets, r->n_bytes, r->tcp_flags,
                        pmd->now);
        r->n_packets = 0;
        r->n_bytes = 0;
        r->tcp_flags = 0;
    }
}

/* Step 4.  Packets of single-output flows go out as they come (a flow's
 * packets keep their order); the others are grouped by flow and each
 * group's actions run once, after the burst's direct outputs. */
static void
dp_process_execute__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    struct dp_flow_group *groups = pmd->groups;
    uint8_t *index = pmd->group_index;
    struct dp_flow_group *g = NULL;
    size_t n_groups = 0;
    struct dp_process_run__ r = {.tx_port = UINT32_MAX};

    for (uint32_t i = 0; i < b->count; i++) {
        struct dp_packet *p = b->packets[i];
        struct dp_flow *flow = pmd->flows[i];

        if (!p) {
            continue;
        }
        if (flow != r.flow) {
            dp_process_run_account__(pmd, &r);
            r.flow = flow;
            r.port =
                atomic_load_explicit(&flow->out_port, memory_order_relaxed);
        }
        if (r.port != UINT32_MAX) {
            r.n_packets++;
            r.n_bytes += dp_packet_size(p);
            r.tcp_flags |= ntohs(pmd->keys[i].flow.tcp_flags);
            /* No group has run yet, so no other batch was made since. */
            if (r.port != r.tx_port) {
                r.tx = dp_process_tx_for__(pmd, r.port);
                r.tx_port = r.port;
            }
            if (r.tx) {
                dp_process_tx_add__(pmd, r.tx, p);
            } else {
                dp_packet_free(p);
            }
            continue;
        }
        /* Packets of one flow tend to come together: try the latest group
         * first, then the index (open addressing; 0 is an empty slot, else
         * the group's position + 1). */
        if (!g || g->flow != flow) {
            uint32_t slot = dp_process_group_slot__(flow);

            for (;;) {
                uint8_t k = index[slot];

                if (!k) {
                    g = &groups[n_groups++];
                    index[slot] = n_groups;
                    g->flow = flow;
                    g->slot = slot;
                    g->n_bytes = 0;
                    g->tcp_flags = 0;
                    dp_packet_batch_init(&g->batch);
                    break;
                }
                if (groups[k - 1].flow == flow) {
                    g = &groups[k - 1];
                    break;
                }
                slot = (slot + 1) & (DP_PMD_GROUP_SLOTS - 1);
            }
        }
        dp_packet_batch_add(&g->batch, p);
        g->n_bytes += dp_packet_size(p);
        g->tcp_flags |= ntohs(pmd->keys[i].flow.tcp_flags);
    }
    dp_process_run_account__(pmd, &r);

    for (size_t j = 0; j < n_groups; j++) {
        g = &groups[j];
        index[g->slot] = 0;
    }
    for (size_t j = 0; j < n_groups; j++) {
        g = &groups[j];
        dp_flow_account(g->flow, pmd, g->batch.count, g->n_bytes, g->tcp_flags,
                        pmd->now);
        dp_process_run_actions__(pmd, &g->batch, g->flow);
    }
}

/* Steps 1-4 for one pass of 'b' (taken). */
static void
dp_process_pass__(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    dp_process_extract__(pmd, b);
    if (dp_process_lookup__(pmd, b->count)) {
        dp_process_upcalls__(pmd, b);
    }
    dp_process_execute__(pmd, b);
    dp_packet_batch_init(b);
}

/* Step 5: runs the packets collected by DPA_RECIRC until none is left. */
static void
dp_process_recirc_loop__(struct dp_pmd *pmd)
{
    for (int depth = 1; pmd->recirc.count; depth++) {
        struct dp_packet_batch next = pmd->recirc;

        dp_packet_batch_init(&pmd->recirc);
        if (depth > DP_PMD_MAX_RECIRC_DEPTH) {
            VLOG_WARN_RL(&rl,
                         "recirculation depth exceeded, %" PRIu32
                         " packets dropped",
                         next.count);
            pmd->cnt[DP_PERF_LOST] += next.count;
            dp_packet_batch_free(&next);
            return;
        }
        pmd->cnt[DP_PERF_RECIRC] += next.count;
        dp_process_pass__(pmd, &next);
    }
}

/* Refreshes pmd->now (the flows' "used" time) when the TSC says a
 * millisecond has passed since it was read: a TSC read costs about 23
 * cycles here, time_msec()'s clock_gettime() about 55, once per burst.
 * Without a TSC rate (DPDK not initialised when the PMD was made) every
 * burst reads the clock. */
static inline void
dp_process_clock__(struct dp_pmd *pmd)
{
    uint64_t tsc = rte_rdtsc();

    if (tsc - pmd->now_tsc >= pmd->tsc_per_ms || !pmd->now) {
        pmd->now = time_msec();
        pmd->now_tsc = tsc;
    }
}

void
dp_pmd_process(struct dp_pmd *pmd, struct dp_packet_batch *b)
{
    dp_process_clock__(pmd);
    if (!pmd->emc || !b->count ||
        (!dp_process_port_cache__(pmd, b) && !dp_process_simple__(pmd, b))) {
        dp_process_pass__(pmd, b);
    }
    dp_process_recirc_loop__(pmd);
}

void
dp_pmd_execute(struct dp_pmd *pmd, struct dp_packet *packet,
               const void *actions, size_t len)
{
    struct dp_packet_batch b;

    /* The main thread writes the port map, so it may read it directly. */
    pmd->ports = rcu_get_relaxed(pmd->dp->port_map);
    pmd->now = time_msec();
    flow_extract(dp_packet_data(packet), dp_packet_size(packet),
                 &packet->md.md, &pmd->keys[0], &packet->md.ofs);
    packet->md.rss_hash = pmd->keys[0].hash;
    packet->md.key_valid = true;

    dp_packet_batch_init(&b);
    dp_packet_batch_add(&b, packet);
    dp_execute_batch(&dp_process_ops, pmd, &b, actions, len);
    dp_process_recirc_loop__(pmd);
    dp_pmd_flush_tx(pmd);
    dp_perf_add_all(&pmd->perf, pmd->cnt);
}
