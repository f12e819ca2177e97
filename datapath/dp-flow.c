/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-flow: the megaflow table of a userspace datapath — one classifier of
 * priority-0 rules shared by every PMD thread, lock-free for readers, with
 * writers serialised on one mutex.  See dp-flow.h for the lifetime rules;
 * dpif-netdev.c exposes it as the dpif flow API and dp-process.c installs
 * flows into it after upcalls.
 */
#include <config.h>

#include "datapath/dp-flow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dp-actions.h"
#include "lib/rcu.h"
#include "lib/util.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_flow);

bool
dp_flow_is_dead(const void *flow_)
{
    const struct dp_flow *flow = flow_;

    /* Pairs with the release store in dp_flow_retire__(). */
    return atomic_load_explicit(&flow->dead, memory_order_acquire);
}

static struct dp_flow_actions *
dp_flow_actions_create__(const void *actions, size_t len)
{
    struct dp_flow_actions *a = xmalloc(sizeof *a + len);

    a->len = len;
    a->pad = 0;
    if (len) {
        memcpy(a->data, actions, len);
    }
    return a;
}

/* The port of action list 'a' if it is a single output, else UINT32_MAX. */
static uint32_t
dp_flow_actions_single_output(const struct dp_flow_actions *a)
{
    const struct dp_action *act = (const struct dp_action *)a->data;

    if (a->len == sizeof *act + sizeof(struct dpa_output) &&
        act->type == DPA_OUTPUT && act->len == a->len) {
        const struct dpa_output *o = dp_action_payload(act);

        return o->port;
    }
    return UINT32_MAX;
}

/* Creates a flow for the normalised (mkey, wc) with a copy of 'actions'.
 * The caller owns it until it is inserted. */
static struct dp_flow *
dp_flow_create__(const struct flow *mkey, const struct flow_wildcards *wc,
                 const void *actions, size_t len)
{
    /* Aligned so that the hot fields share a cache line, next to the
     * key's first words. */
    struct dp_flow *flow = aligned_alloc(64, ROUND_UP(sizeof *flow, 64));
    struct dp_flow_actions *a = dp_flow_actions_create__(actions, len);

    if (!flow) {
        tern_fatal("out of memory");
    }
    memset(flow, 0, sizeof *flow);
    cls_rule_init(&flow->cr, mkey, wc, 0);
    atomic_init(&flow->actions, a);
    atomic_init(&flow->out_port, dp_flow_actions_single_output(a));
    atomic_init(&flow->dead, false);
    flow->created = time_msec();
    return flow;
}

static void
dp_flow_free__(void *flow_)
{
    struct dp_flow *flow = flow_;

    free(atomic_load_explicit(&flow->actions, memory_order_relaxed));
    free(flow);
}

/* First grace period over: no reader can reach the flow any more through
 * the classifier, and every PMD has seen the generation change.  Wait for a
 * second one, by which every PMD has purged it from its cache. */
static void
dp_flow_free_stage1__(void *flow)
{
    rcu_postpone(dp_flow_free__, flow);
}

/* Writer (mutex held): marks 'flow' dead and removes it; the caller bumps
 * the generation and then calls dp_flow_retire_finish__(). */
static void
dp_flow_retire__(struct dp_flow_table *t, struct dp_flow *flow)
{
    /* Pairs with the acquire load in dp_flow_is_dead(). */
    atomic_store_explicit(&flow->dead, true, memory_order_release);
    classifier_remove(t->cls, &flow->cr);
}

/* Writer: after one or more dp_flow_retire__(), publishes the generation
 * change so that PMDs purge their caches. */
static void
dp_flow_bump_gen__(struct dp_flow_table *t)
{
    /* Release: a PMD that sees the new generation also sees 'dead'. */
    atomic_fetch_add_explicit(&t->gen, 1, memory_order_release);
}

/* The packets and bytes 'flow' has counted since it was installed. */
static void
dp_flow_totals__(const struct dp_flow *flow, uint64_t *packets,
                 uint64_t *bytes)
{
    *packets =
        atomic_load_explicit(&flow->n_packets, memory_order_relaxed) +
        atomic_load_explicit(&flow->n_packets_shared, memory_order_relaxed);
    *bytes = atomic_load_explicit(&flow->n_bytes, memory_order_relaxed) +
             atomic_load_explicit(&flow->n_bytes_shared, memory_order_relaxed);
}

void
dp_flow_get_stats(const struct dp_flow *flow, struct dpif_flow_stats *s)
{
    uint64_t packets, bytes, base_packets, base_bytes;

    dp_flow_totals__(flow, &packets, &bytes);
    base_packets =
        atomic_load_explicit(&flow->base_packets, memory_order_relaxed);
    base_bytes = atomic_load_explicit(&flow->base_bytes, memory_order_relaxed);
    /* A zeroing between the two reads may leave the base ahead. */
    s->n_packets = packets > base_packets ? packets - base_packets : 0;
    s->n_bytes = bytes > base_bytes ? bytes - base_bytes : 0;
    s->used = atomic_load_explicit(&flow->used, memory_order_relaxed);
    s->tcp_flags =
        atomic_load_explicit(&flow->tcp_flags, memory_order_relaxed);
}

static void
dp_flow_zero_stats__(struct dp_flow *flow)
{
    uint64_t packets, bytes;

    /* The counters keep running (their owner writes them without a
     * read-modify-write): zero means "count from here". */
    dp_flow_totals__(flow, &packets, &bytes);
    atomic_store_explicit(&flow->base_packets, packets, memory_order_relaxed);
    atomic_store_explicit(&flow->base_bytes, bytes, memory_order_relaxed);
    atomic_store_explicit(&flow->used, 0, memory_order_relaxed);
    atomic_store_explicit(&flow->tcp_flags, 0, memory_order_relaxed);
}

void
dp_flow_table_init(struct dp_flow_table *t)
{
    pthread_mutex_init(&t->mutex, NULL);
    t->cls = classifier_create();
    atomic_init(&t->gen, 0);
    atomic_init(&t->limit, DP_FLOW_DEFAULT_LIMIT);
    t->next_rank = 0;
}

void
dp_flow_table_destroy(struct dp_flow_table *t)
{
    dp_flow_table_flush(t);
    classifier_destroy(t->cls);
    pthread_mutex_destroy(&t->mutex);
}

int
dp_flow_normalize(const struct flow *key, const struct flow_wildcards *mask,
                  struct flow *mkey, struct flow_wildcards *wc)
{
    if (mask) {
        if (mask->masks.in_port != UINT32_MAX) {
            return EINVAL;
        }
        *wc = *mask;
    } else {
        flow_wildcards_init_exact(wc);
    }
    flow_wildcards_add_prereqs(wc, key);
    flow_apply_mask(mkey, key, wc);
    return 0;
}

/* Writer (mutex held): the flow with exactly this normalised match. */
static struct dp_flow *
dp_flow_find__(struct dp_flow_table *t, const struct flow *mkey,
               const struct flow_wildcards *wc)
{
    return dp_flow_from_rule(classifier_find_exact(t->cls, mkey, wc, 0));
}

static void
dp_flow_modify__(struct dp_flow *flow, enum dpif_flow_put_flags flags,
                 const void *actions, size_t len,
                 struct dpif_flow_stats *stats)
{
    struct dp_flow_actions *old;

    if (stats) {
        dp_flow_get_stats(flow, stats);
    }
    old = atomic_load_explicit(&flow->actions, memory_order_relaxed);
    struct dp_flow_actions *a = dp_flow_actions_create__(actions, len);
    /* Pairs with rcu_get() of the actions in the packet path. */
    rcu_publish(flow->actions, a);
    /* A reader may see either port, or either action list, until the
     * caller's synchronisation with the PMDs: both are the flow's. */
    atomic_store_explicit(&flow->out_port, dp_flow_actions_single_output(a),
                          memory_order_release);
    rcu_postpone(free, old);
    if (flags & DPIF_FP_ZERO_STATS) {
        dp_flow_zero_stats__(flow);
    }
}

int
dp_flow_table_put(struct dp_flow_table *t, enum dpif_flow_put_flags flags,
                  const struct flow *key, const struct flow_wildcards *mask,
                  const void *actions, size_t len,
                  struct dpif_flow_stats *stats)
{
    struct flow_wildcards wc;
    struct dp_flow *flow;
    struct flow mkey;
    int error = dp_flow_normalize(key, mask, &mkey, &wc);

    if (error) {
        return error;
    }
    if (stats) {
        memset(stats, 0, sizeof *stats);
    }

    pthread_mutex_lock(&t->mutex);
    flow = dp_flow_find__(t, &mkey, &wc);
    if (flow) {
        if (flags & DPIF_FP_MODIFY) {
            dp_flow_modify__(flow, flags, actions, len, stats);
        } else {
            error = EEXIST;
        }
    } else if (!(flags & DPIF_FP_CREATE)) {
        error = ENOENT;
    } else if (classifier_count(t->cls) >=
               atomic_load_explicit(&t->limit, memory_order_relaxed)) {
        error = E2BIG;
    } else {
        flow = dp_flow_create__(&mkey, &wc, actions, len);
        error = classifier_insert(t->cls, &flow->cr);
        if (error) {
            dp_flow_free__(flow);
        }
    }
    pthread_mutex_unlock(&t->mutex);
    return error;
}

struct dp_flow *
dp_flow_table_install(struct dp_flow_table *t, const struct flow *key,
                      struct flow_wildcards *wc, const void *actions,
                      size_t len)
{
    struct dp_flow *flow;
    struct flow mkey;

    wc->masks.in_port = UINT32_MAX;
    flow_wildcards_add_prereqs(wc, key);
    flow_apply_mask(&mkey, key, wc);

    pthread_mutex_lock(&t->mutex);
    flow = dp_flow_find__(t, &mkey, wc);
    if (!flow && classifier_count(t->cls) <
                     atomic_load_explicit(&t->limit, memory_order_relaxed)) {
        flow = dp_flow_create__(&mkey, wc, actions, len);
        if (classifier_insert(t->cls, &flow->cr)) {
            dp_flow_free__(flow);
            flow = NULL;
        }
    }
    pthread_mutex_unlock(&t->mutex);
    return flow;
}

/* Main thread (the only deleter), mutex held: the flow 'del' should act
 * on. */
static struct dp_flow *
dp_flow_find_for_del__(struct dp_flow_table *t, const struct flow *key,
                       const struct flow_wildcards *mask)
{
    struct flow_wildcards wc;
    struct flow mkey;

    if (mask) {
        if (dp_flow_normalize(key, mask, &mkey, &wc)) {
            return NULL;
        }
        return dp_flow_find__(t, &mkey, &wc);
    }
    dp_flow_normalize(key, NULL, &mkey, &wc);
    struct dp_flow *flow = dp_flow_find__(t, &mkey, &wc);
    if (!flow) {
        flow = dp_flow_from_rule(classifier_lookup(t->cls, key, NULL));
    }
    return flow;
}

int
dp_flow_table_del(struct dp_flow_table *t, const struct flow *key,
                  const struct flow_wildcards *mask,
                  struct dpif_flow_stats *stats)
{
    struct dp_flow *flow;

    pthread_mutex_lock(&t->mutex);
    flow = dp_flow_find_for_del__(t, key, mask);
    if (flow) {
        dp_flow_retire__(t, flow);
        dp_flow_bump_gen__(t);
    }
    pthread_mutex_unlock(&t->mutex);

    if (!flow) {
        return ENOENT;
    }
    if (stats) {
        dp_flow_get_stats(flow, stats);
    }
    rcu_postpone(dp_flow_free_stage1__, flow);
    return 0;
}

/* Collects rule pointers for flush, dump and expiry. */
struct dp_flow_vec {
    struct dp_flow **flows;
    size_t n;
    size_t allocated;
};

static void
dp_flow_vec_add__(const struct cls_rule *rule, void *vec_)
{
    struct dp_flow_vec *vec = vec_;

    if (vec->n >= vec->allocated) {
        vec->allocated = vec->allocated ? vec->allocated * 2 : 64;
        vec->flows = xrealloc(vec->flows, vec->allocated * sizeof *vec->flows);
    }
    vec->flows[vec->n++] = dp_flow_from_rule(rule);
}

/* Writer, mutex held: retires every flow in 'vec' and bumps the generation
 * once; the caller then calls dp_flow_vec_postpone__() without the lock. */
static void
dp_flow_vec_retire__(struct dp_flow_table *t, struct dp_flow_vec *vec)
{
    for (size_t i = 0; i < vec->n; i++) {
        dp_flow_retire__(t, vec->flows[i]);
    }
    if (vec->n) {
        dp_flow_bump_gen__(t);
    }
}

static void
dp_flow_vec_postpone__(struct dp_flow_vec *vec)
{
    for (size_t i = 0; i < vec->n; i++) {
        rcu_postpone(dp_flow_free_stage1__, vec->flows[i]);
    }
    free(vec->flows);
}

void
dp_flow_table_flush(struct dp_flow_table *t)
{
    struct dp_flow_vec vec = {NULL, 0, 0};

    pthread_mutex_lock(&t->mutex);
    classifier_for_each(t->cls, dp_flow_vec_add__, &vec);
    dp_flow_vec_retire__(t, &vec);
    pthread_mutex_unlock(&t->mutex);
    dp_flow_vec_postpone__(&vec);
}

static void
dp_flow_to_dpif__(const struct dp_flow *flow, struct dpif_flow *out)
{
    const struct dp_flow_actions *a =
        atomic_load_explicit(&flow->actions, memory_order_acquire);

    out->key = flow->cr.key;
    out->mask = flow->cr.mask;
    out->actions = a->data;
    out->actions_len = a->len;
    dp_flow_get_stats(flow, &out->stats);
}

void
dp_flow_table_dump(struct dp_flow_table *t,
                   void (*cb)(const struct dpif_flow *, void *aux), void *aux)
{
    struct dp_flow_vec vec = {NULL, 0, 0};

    /* Snapshot under the lock, call back without it: only the main thread
     * deletes flows and frees them (from rcu_run()), so the snapshot stays
     * valid while 'cb' runs, and PMDs may keep installing meanwhile. */
    pthread_mutex_lock(&t->mutex);
    classifier_for_each(t->cls, dp_flow_vec_add__, &vec);
    pthread_mutex_unlock(&t->mutex);

    for (size_t i = 0; i < vec.n; i++) {
        struct dpif_flow f;

        dp_flow_to_dpif__(vec.flows[i], &f);
        cb(&f, aux);
    }
    free(vec.flows);
}

int
dp_flow_table_get(struct dp_flow_table *t, const struct flow *key,
                  struct dpif_flow *out, void **actionsp)
{
    const struct dp_flow *flow;

    /* The main thread is the only deleter, so the flow found stays valid
     * without the lock. */
    flow = dp_flow_from_rule(classifier_lookup(t->cls, key, NULL));
    if (!flow) {
        return ENOENT;
    }
    dp_flow_to_dpif__(flow, out);
    *actionsp = out->actions_len ? xmemdup(out->actions, out->actions_len)
                                 : xmalloc(1);
    out->actions = *actionsp;
    return 0;
}

struct dp_flow_expire_ctx {
    struct dp_flow_vec vec;
    long long limit; /* Flows last used before this expire. */
};

static void
dp_flow_expire_check__(const struct cls_rule *rule, void *ctx_)
{
    struct dp_flow_expire_ctx *ctx = ctx_;
    struct dp_flow *flow = dp_flow_from_rule(rule);
    long long used = atomic_load_explicit(&flow->used, memory_order_relaxed);

    if (MAX(used, flow->created) < ctx->limit) {
        dp_flow_vec_add__(rule, &ctx->vec);
    }
}

size_t
dp_flow_table_expire(struct dp_flow_table *t, long long now,
                     long long max_idle)
{
    struct dp_flow_expire_ctx ctx = {{NULL, 0, 0}, now - max_idle};
    size_t n;

    pthread_mutex_lock(&t->mutex);
    classifier_for_each(t->cls, dp_flow_expire_check__, &ctx);
    dp_flow_vec_retire__(t, &ctx.vec);
    pthread_mutex_unlock(&t->mutex);

    n = ctx.vec.n;
    if (n) {
        VLOG_DBG("expired %zu idle flows", n);
    }
    dp_flow_vec_postpone__(&ctx.vec);
    return n;
}

void
dp_flow_table_run(struct dp_flow_table *t, long long now)
{
    if (now >= t->next_rank) {
        pthread_mutex_lock(&t->mutex);
        classifier_rank_subtables(t->cls);
        pthread_mutex_unlock(&t->mutex);
        t->next_rank = now + 1000;
    }
}

size_t
dp_flow_table_count(const struct dp_flow_table *t)
{
    return classifier_count(t->cls);
}

size_t
dp_flow_table_n_masks(const struct dp_flow_table *t)
{
    return classifier_n_subtables(t->cls);
}
