/* SPDX-License-Identifier: Apache-2.0 */
/*
 * revalidate: keeps the datapath's cached flows in step with the OpenFlow
 * tables, and brings their statistics back to rules, tables, groups and
 * meters.
 *
 * ofproto_flush_changes(): when the switch is dirty, waits for the PMD
 * threads (unless no miss upcall began since the last wait), re-translates
 * every cached flow's key (without learning, and without counting),
 * deletes each flow whose actions changed or whose new mask is not
 * covered by its installed mask (crediting its last statistics first),
 * and, if it deleted any, waits for the PMD threads again.  After it
 * returns, no packet is forwarded by a superseded translation.
 *
 * ofproto_pull_stats(): computes, per cached flow, the packets and bytes
 * since the last pull (a hash by masked key and mask), and re-translates
 * the flow with those statistics so that every rule, table, group and
 * bucket it passes through is credited, and NORMAL refreshes the MAC
 * entries of sources that are still sending.  Also ages the MAC table.
 *
 * Flows deleted by revalidation are credited through the new translation
 * of their key (the rules they used may be gone): an approximation for
 * the packets of a flow that changed.
 *
 * Recirculation: a flow of a later pass has a key with a non-zero
 * recirc_id, whose translation resumes the frozen walk (xlate-freeze.h);
 * revalidating or crediting it therefore checks and credits the rules,
 * tables and groups of that pass only, and the flow of the first pass
 * those of the first.  Each pull also hands the recirc ids the cached
 * flows refer to to xlate_frozen_gc(), which frees the frozen states
 * nothing refers to any more.
 *
 * Threads: main thread only.
 */
#include <config.h>

#include <stdlib.h>

#include "lib/hash.h"
#include "lib/util.h"
#include "lib/vlog.h"
#include "ofproto/mac-learning.h"
#include "ofproto/xlate-freeze.h"
#include "ofproto/xlate.h"

VLOG_DEFINE_THIS_MODULE(revalidate);

/* Last statistics seen of one cached flow. */
struct xlate_flow_stats {
    struct hmap_node node; /* In ofproto_xlate->flows. */
    struct flow key;       /* Masked. */
    struct flow_wildcards mask;
    uint64_t n_packets, n_bytes;
    uint64_t gen; /* Pull that last saw the flow. */
};

/* A copy of a dumped flow. */
struct reval_flow {
    struct flow key;
    struct flow_wildcards mask;
    struct dpif_flow_stats stats;
    void *actions; /* Owned. */
    size_t actions_len;
};

struct reval_dump {
    struct reval_flow *flows;
    size_t n, allocated;
};

static void
reval_dump_cb(const struct dpif_flow *f, void *aux)
{
    struct reval_dump *d = aux;
    struct reval_flow *rf;

    if (d->n >= d->allocated) {
        d->allocated = d->allocated ? 2 * d->allocated : 64;
        d->flows = xrealloc(d->flows, d->allocated * sizeof *d->flows);
    }
    rf = &d->flows[d->n++];
    rf->key = f->key;
    rf->mask = f->mask;
    rf->stats = f->stats;
    rf->actions = f->actions_len ? xmemdup(f->actions, f->actions_len) : NULL;
    rf->actions_len = f->actions_len;
}

static void
reval_dump(struct ofproto *ofproto, struct reval_dump *d)
{
    memset(d, 0, sizeof *d);
    dpif_flow_dump(ofproto->dpif, reval_dump_cb, d);
}

static void
reval_dump_free(struct reval_dump *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->flows[i].actions);
    }
    free(d->flows);
}

static uint32_t
flow_stats_hash(const struct flow *key, const struct flow_wildcards *mask)
{
    return hash_bytes(key, sizeof *key,
                      hash_bytes(&mask->masks, sizeof mask->masks, 0));
}

static struct xlate_flow_stats *
flow_stats_find(struct ofproto_xlate *x, const struct flow *key,
                const struct flow_wildcards *mask, uint32_t hash)
{
    HMAP_FOR_EACH_WITH_HASH(node, hash, &x->flows)
    {
        struct xlate_flow_stats *e =
            CONTAINER_OF(node, struct xlate_flow_stats, node);

        if (!memcmp(&e->key, key, sizeof *key) &&
            !memcmp(&e->mask, mask, sizeof *mask)) {
            return e;
        }
    }
    return NULL;
}

void
xlate_flow_stats_clear(struct ofproto_xlate *x)
{
    HMAP_FOR_EACH_SAFE(node, next, &x->flows)
    {
        hmap_remove(&x->flows, node);
        free(CONTAINER_OF(node, struct xlate_flow_stats, node));
    }
}

/* Translates 'key' with 'stats' so that everything on its way is
 * credited.  With 'learn', NORMAL also refreshes the MAC entries of
 * flows that carried traffic (their packets never reach an upcall). */
static void
reval_credit(struct ofproto *ofproto, const struct flow *key,
             const struct dpif_flow_stats *stats, bool learn)
{
    struct xlate_in xin;
    struct dp_actions_buf acts;
    struct flow_wildcards wc;

    if (!stats->n_packets && !stats->n_bytes) {
        return;
    }
    memset(&xin, 0, sizeof xin);
    xin.ofproto = ofproto;
    xin.flow = *key;
    xin.stats = stats;
    xin.may_learn = learn;
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    xlate_actions(&xin, &acts, &wc);
    dp_actions_buf_uninit(&acts);
}

/* The statistics of 'rf' since the last time 'x' saw it; records the new
 * totals. */
static void
reval_delta(struct ofproto_xlate *x, const struct reval_flow *rf,
            struct dpif_flow_stats *delta)
{
    uint32_t hash = flow_stats_hash(&rf->key, &rf->mask);
    struct xlate_flow_stats *e = flow_stats_find(x, &rf->key, &rf->mask, hash);

    if (!e) {
        e = xzalloc(sizeof *e);
        e->key = rf->key;
        e->mask = rf->mask;
        hmap_insert(&x->flows, &e->node, hash);
    }
    *delta = rf->stats;
    if (rf->stats.n_packets >= e->n_packets &&
        rf->stats.n_bytes >= e->n_bytes) {
        delta->n_packets -= e->n_packets;
        delta->n_bytes -= e->n_bytes;
    }
    e->n_packets = rf->stats.n_packets;
    e->n_bytes = rf->stats.n_bytes;
    e->gen = x->pull_gen;
}

static void
reval_forget(struct ofproto_xlate *x, const struct flow *key,
             const struct flow_wildcards *mask)
{
    struct xlate_flow_stats *e =
        flow_stats_find(x, key, mask, flow_stats_hash(key, mask));

    if (e) {
        hmap_remove(&x->flows, &e->node);
        free(e);
    }
}

/* Recirc ids the cached flows refer to. */
struct reval_ids {
    uint32_t *ids;
    size_t n, allocated;
};

static void
reval_ids_add(struct reval_ids *r, uint32_t id)
{
    if (!id) {
        return;
    }
    if (r->n >= r->allocated) {
        r->allocated = r->allocated ? 2 * r->allocated : 64;
        r->ids = xrealloc(r->ids, r->allocated * sizeof *r->ids);
    }
    r->ids[r->n++] = id;
}

/* Adds the ids of the DPA_RECIRC actions in 'acts' (nested lists too). */
static void
reval_ids_add_actions(struct reval_ids *r, const void *acts, size_t len)
{
    DP_ACTIONS_FOR_EACH(a, acts, len)
    {
        if (a->type == DPA_RECIRC &&
            dp_action_payload_len(a) >= sizeof(struct dpa_recirc)) {
            struct dpa_recirc rc;

            memcpy(&rc, dp_action_payload(a), sizeof rc);
            reval_ids_add(r, rc.recirc_id);
        } else if (a->type == DPA_DEC_TTL) {
            reval_ids_add_actions(r, dp_action_payload(a),
                                  dp_action_payload_len(a));
        }
    }
}

void
ofproto_pull_stats(struct ofproto *ofproto)
{
    struct ofproto_xlate *x = xlate_state(ofproto);
    struct reval_ids ids = {NULL, 0, 0};
    struct reval_dump d;

    x->pull_gen++;
    reval_dump(ofproto, &d);
    for (size_t i = 0; i < d.n; i++) {
        const struct reval_flow *rf = &d.flows[i];
        struct dpif_flow_stats delta;

        reval_delta(x, rf, &delta);
        reval_credit(ofproto, &rf->key, &delta, true);
        reval_ids_add(&ids, rf->key.recirc_id);
        if (rf->actions_len) {
            reval_ids_add_actions(&ids, rf->actions, rf->actions_len);
        }
    }
    reval_dump_free(&d);
    xlate_frozen_gc(ofproto, ids.ids, ids.n);
    free(ids.ids);

    /* Flows that vanished (idle expiry, deletion) leave the hash. */
    HMAP_FOR_EACH_SAFE(node, next, &x->flows)
    {
        struct xlate_flow_stats *e =
            CONTAINER_OF(node, struct xlate_flow_stats, node);

        if (e->gen != x->pull_gen) {
            hmap_remove(&x->flows, node);
            free(e);
        }
    }

    if (ofproto->ml && mac_learning_expire(ofproto->ml, time_msec())) {
        ofproto_mark_dirty(ofproto);
    }
}

/* True if every bit of 'inner' is in 'outer'. */
static bool
wc_covered(const struct flow_wildcards *inner,
           const struct flow_wildcards *outer)
{
    const uint64_t *a = flow_u64(&inner->masks);
    const uint64_t *b = flow_u64(&outer->masks);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        if (a[i] & ~b[i]) {
            return false;
        }
    }
    return true;
}

/* Re-translates 'rf'; true if the cached flow still says the same. */
static bool
reval_flow_ok(struct ofproto *ofproto, const struct reval_flow *rf)
{
    struct xlate_in xin;
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    bool ok;

    memset(&xin, 0, sizeof xin);
    xin.ofproto = ofproto;
    xin.flow = rf->key;
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    wc.masks.in_port = UINT32_MAX;
    wc.masks.recirc_id = UINT32_MAX;
    xlate_actions(&xin, &acts, &wc);
    ok = acts.size == rf->actions_len &&
         (!acts.size || !memcmp(acts.data, rf->actions, acts.size)) &&
         wc_covered(&wc, &rf->mask);
    dp_actions_buf_uninit(&acts);
    return ok;
}

void
ofproto_flush_changes(struct ofproto *ofproto)
{
    uint64_t dirty =
        atomic_load_explicit(&ofproto->dirty_seq, memory_order_acquire);
    struct ofproto_xlate *x;
    struct reval_dump d;
    size_t n_deleted = 0;
    uint64_t upcalls;

    if (dirty == ofproto->clean_seq) {
        return;
    }
    x = xlate_state(ofproto);
    /* Translations started before the change are over.  Only a miss
     * upcall installs flows, so when none has begun since the last wait
     * (each of those ended within it) there is nothing to wait for: the
     * common case of a controller changing rules while no new flow
     * arrives.  The fence orders the table changes before the load
     * (pairs with the increment in ofproto_upcall()). */
    atomic_thread_fence(memory_order_seq_cst);
    upcalls = atomic_load_explicit(&ofproto->n_upcalls, memory_order_relaxed);
    if (upcalls != ofproto->n_upcalls_synced) {
        dpif_synchronize(ofproto->dpif);
        ofproto->n_upcalls_synced = upcalls;
    }
    reval_dump(ofproto, &d);
    for (size_t i = 0; i < d.n; i++) {
        const struct reval_flow *rf = &d.flows[i];
        struct dpif_flow_stats final;

        if (reval_flow_ok(ofproto, rf)) {
            continue;
        }
        if (!dpif_flow_del(ofproto->dpif, &rf->key, &rf->mask, &final)) {
            struct reval_flow last = *rf;
            struct dpif_flow_stats delta;

            last.stats = final;
            reval_delta(x, &last, &delta);
            reval_credit(ofproto, &rf->key, &delta, false);
            n_deleted++;
        }
        reval_forget(x, &rf->key, &rf->mask);
    }
    reval_dump_free(&d);
    if (n_deleted) {
        /* No PMD thread still runs a deleted flow's actions. */
        dpif_synchronize(ofproto->dpif);
    }
    ofproto->clean_seq = dirty;
    if (n_deleted) {
        VLOG_DBG("%s: revalidation deleted %zu cached flows", ofproto->name,
                 n_deleted);
    }
}
