/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-group: the switch's group table.  GROUP_MOD add, modify and
 * delete (one group or OFPG_ALL) and 1.5's insert/remove bucket, with the
 * checks the spec names: type and bucket count, fast-failover watches,
 * bucket actions, groups that chain to other groups (allowed up to
 * OFPROTO_MAX_GROUP_DEPTH, loops refused with OFPGMFC_LOOP, a group that
 * others chain to cannot be deleted alone: OFPGMFC_CHAINED_GROUP).
 * Deleting a group removes the rules that use it.
 *
 * Groups are immutable once published: a modify builds a new object that
 * takes over the counters and reference count.  Translation finds groups
 * in 'ofproto->group_snapshot', a sorted array replaced by RCU after every
 * change; the hmap is the main thread's.
 */
#include <config.h>

#include <stdlib.h>

#include "lib/hash.h"
#include "lib/rcu.h"
#include "lib/vlog.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto_group);

#define OFPG_BUCKET_FIRST 0xfffffffdu
#define OFPG_BUCKET_LAST  0xfffffffeu

static uint32_t
group_hash(uint32_t group_id)
{
    return hash_int(group_id, 0);
}

struct ofgroup *
ofproto_group_find(const struct ofproto *ofproto, uint32_t group_id)
{
    HMAP_FOR_EACH_WITH_HASH(node, group_hash(group_id), &ofproto->groups)
    {
        struct ofgroup *g = CONTAINER_OF(node, struct ofgroup, node);

        if (g->group_id == group_id) {
            return g;
        }
    }
    return NULL;
}

const struct ofgroup *
ofproto_group_lookup(const struct ofproto *ofproto, uint32_t group_id)
{
    /* Acquire pairs with the release in publish_snapshot(). */
    const struct ofgroup_snapshot *s =
        rcu_get(((struct ofproto *)ofproto)->group_snapshot);
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t id = s->groups[mid]->group_id;

        if (id == group_id) {
            return s->groups[mid];
        } else if (id < group_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

void
ofproto_group_ref(struct ofproto *ofproto, uint32_t group_id, int delta)
{
    struct ofgroup *g = ofproto_group_find(ofproto, group_id);

    if (g) {
        g->ref_count += delta;
    }
}

static int
group_ptr_cmp(const void *a_, const void *b_)
{
    const struct ofgroup *a = *(struct ofgroup *const *)a_;
    const struct ofgroup *b = *(struct ofgroup *const *)b_;

    return a->group_id < b->group_id ? -1 : a->group_id > b->group_id;
}

static void
publish_snapshot(struct ofproto *ofproto)
{
    size_t n = hmap_count(&ofproto->groups), i = 0;
    struct ofgroup_snapshot *s = xmalloc(sizeof *s + n * sizeof s->groups[0]);
    struct ofgroup_snapshot *old = rcu_get_relaxed(ofproto->group_snapshot);

    HMAP_FOR_EACH(node, &ofproto->groups)
    {
        s->groups[i++] = CONTAINER_OF(node, struct ofgroup, node);
    }
    s->n = n;
    qsort(s->groups, n, sizeof s->groups[0], group_ptr_cmp);
    rcu_publish(ofproto->group_snapshot, s);
    if (old) {
        rcu_postpone(free, old);
    }
}

static void
buckets_free(struct ofp_bucket *buckets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(buckets[i].ofpacts);
    }
    free(buckets);
}

static struct ofp_bucket *
buckets_clone(const struct ofp_bucket *src, size_t n)
{
    struct ofp_bucket *b = xcalloc(n ? n : 1, sizeof *b);

    for (size_t i = 0; i < n; i++) {
        b[i] = src[i];
        b[i].ofpacts = src[i].ofpacts_len
                           ? xmemdup(src[i].ofpacts, src[i].ofpacts_len)
                           : NULL;
    }
    return b;
}

static void
group_destroy_cb(void *g_)
{
    struct ofgroup *g = g_;

    buckets_free(g->buckets, g->n_buckets);
    free((void *)g->bucket_packets);
    free((void *)g->bucket_bytes);
    free(g);
}

/* A new group object with a copy of 'buckets' (caller keeps them). */
static struct ofgroup *
group_create(uint32_t group_id, enum ofp_group_type type,
             const struct ofp_bucket *buckets, size_t n)
{
    struct ofgroup *g = xzalloc(sizeof *g);

    g->group_id = group_id;
    g->type = type;
    g->buckets = buckets_clone(buckets, n);
    g->n_buckets = n;
    g->created = time_msec();
    atomic_init(&g->packet_count, 0);
    atomic_init(&g->byte_count, 0);
    g->bucket_packets = xcalloc(n ? n : 1, sizeof *g->bucket_packets);
    g->bucket_bytes = xcalloc(n ? n : 1, sizeof *g->bucket_bytes);
    return g;
}

/* Adjusts the reference counts of the groups that 'g's buckets use. */
static void
group_ref_targets(struct ofproto *ofproto, const struct ofgroup *g, int delta)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        ofproto_ofpacts_ref_groups(ofproto, g->buckets[i].ofpacts,
                                   g->buckets[i].ofpacts_len, delta);
        if (g->buckets[i].watch_group != OFPG_ANY) {
            ofproto_group_ref(ofproto, g->buckets[i].watch_group, delta);
        }
    }
}

/* ---- Checks ---- */

struct chain_ctx {
    const struct ofproto *ofproto;
    uint32_t target; /* The group being added or modified. */
    int depth;
    enum ofperr error;
};

static void chain_visit(uint32_t group_id, void *ctx_);

/* Walks the groups that 'g' chains to. */
static void
chain_walk(const struct ofgroup *g, struct chain_ctx *ctx)
{
    for (size_t i = 0; i < g->n_buckets && !ctx->error; i++) {
        ofproto_ofpacts_for_each_group(g->buckets[i].ofpacts,
                                       g->buckets[i].ofpacts_len, chain_visit,
                                       ctx);
    }
}

static void
chain_visit(uint32_t group_id, void *ctx_)
{
    struct chain_ctx *ctx = ctx_;
    const struct ofgroup *g;

    if (ctx->error) {
        return;
    }
    if (group_id == ctx->target) {
        ctx->error = OFPERR_OFPGMFC_LOOP;
        return;
    }
    g = ofproto_group_find(ctx->ofproto, group_id);
    if (!g) {
        ctx->error = OFPERR_OFPBAC_BAD_OUT_GROUP;
        return;
    }
    if (++ctx->depth >= OFPROTO_MAX_GROUP_DEPTH) {
        ctx->error = OFPERR_OFPGMFC_CHAINING_UNSUPPORTED;
        return;
    }
    chain_walk(g, ctx);
    ctx->depth--;
}

static enum ofperr
check_bucket(const struct ofproto *ofproto, enum ofp_group_type type,
             const struct ofp_bucket *b)
{
    struct match match;
    enum ofperr error;

    if (type == OFPGT_FF) {
        if (b->watch_port == OFPP_ANY && b->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        if (b->watch_group != OFPG_ANY &&
            !ofproto_group_find(ofproto, b->watch_group)) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
    }
    if (b->ofpacts_len > OFPACTS_MAX_LEN) {
        return OFPERR_OFPBAC_TOO_MANY;
    }
    match_init_catchall(&match);
    error = ofpacts_check(b->ofpacts, b->ofpacts_len, &match, DPIF_MAX_PORTS,
                          0xff, OFPROTO_N_TABLES);
    return error;
}

/* Checks group 'group_id' of 'type' with 'buckets' as it would be after
 * the change. */
static enum ofperr
check_group(const struct ofproto *ofproto, uint32_t group_id,
            enum ofp_group_type type, const struct ofp_bucket *buckets,
            size_t n)
{
    struct ofgroup probe;
    struct chain_ctx ctx = {ofproto, group_id, 0, 0};

    if (type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (n > OFPROTO_MAX_BUCKETS) {
        return OFPERR_OFPGMFC_OUT_OF_BUCKETS;
    }
    if (type == OFPGT_INDIRECT && n != 1) {
        return OFPERR_OFPGMFC_BAD_BUCKET;
    }
    for (size_t i = 0; i < n; i++) {
        enum ofperr error = check_bucket(ofproto, type, &buckets[i]);

        if (error) {
            return error;
        }
        for (size_t j = 0; j < i; j++) {
            if (buckets[j].bucket_id == buckets[i].bucket_id) {
                return OFPERR_OFPGMFC_BUCKET_EXISTS;
            }
        }
    }
    memset(&probe, 0, sizeof probe);
    probe.buckets = (struct ofp_bucket *)buckets;
    probe.n_buckets = n;
    chain_walk(&probe, &ctx);
    return ctx.error;
}

/* ---- Undo records ---- */

struct undo_group {
    struct ofgroup *group; /* Added, deleted, or the new version. */
    struct ofgroup *old;   /* Modify: the replaced version. */
};

static void
undo_add_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_group *u = u_;

    hmap_remove(&ofproto->groups, &u->group->node);
    group_ref_targets(ofproto, u->group, -1);
    publish_snapshot(ofproto);
    rcu_postpone(group_destroy_cb, u->group);
    free(u);
}

static void
undo_delete_commit(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_group *u = u_;

    rcu_postpone(group_destroy_cb, u->group);
    free(u);
}

static void
undo_delete_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_group *u = u_;

    hmap_insert(&ofproto->groups, &u->group->node,
                group_hash(u->group->group_id));
    group_ref_targets(ofproto, u->group, 1);
    publish_snapshot(ofproto);
    free(u);
}

static void
undo_modify_commit(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_group *u = u_;

    rcu_postpone(group_destroy_cb, u->old);
    free(u);
}

static void
undo_modify_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_group *u = u_;

    group_ref_targets(ofproto, u->group, -1);
    hmap_remove(&ofproto->groups, &u->group->node);
    u->old->ref_count = u->group->ref_count;
    hmap_insert(&ofproto->groups, &u->old->node, group_hash(u->old->group_id));
    group_ref_targets(ofproto, u->old, 1);
    publish_snapshot(ofproto);
    rcu_postpone(group_destroy_cb, u->group);
    free(u);
}

/* ---- Commands ---- */

static enum ofperr
group_add(struct ofproto_txn *txn, const struct ofp_group_mod *gm)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_group *u;
    struct ofgroup *g;
    enum ofperr error;

    if (gm->group_id > OFPG_MAX) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (ofproto_group_find(ofproto, gm->group_id)) {
        return OFPERR_OFPGMFC_GROUP_EXISTS;
    }
    if (hmap_count(&ofproto->groups) >= OFPROTO_MAX_GROUPS) {
        return OFPERR_OFPGMFC_OUT_OF_GROUPS;
    }
    error = check_group(ofproto, gm->group_id, gm->type, gm->buckets,
                        gm->n_buckets);
    if (error) {
        return error;
    }
    g = group_create(gm->group_id, gm->type, gm->buckets, gm->n_buckets);
    hmap_insert(&ofproto->groups, &g->node, group_hash(g->group_id));
    group_ref_targets(ofproto, g, 1);
    publish_snapshot(ofproto);
    u = xzalloc(sizeof *u);
    u->group = g;
    ofproto_txn_push(txn, ofproto_txn_free_data, undo_add_rollback, u);
    return 0;
}

/* Replaces 'old' by a new version of 'type' with 'buckets'. */
static enum ofperr
group_replace(struct ofproto_txn *txn, struct ofgroup *old,
              enum ofp_group_type type, const struct ofp_bucket *buckets,
              size_t n)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_group *u;
    struct ofgroup *g;
    enum ofperr error;

    error = check_group(ofproto, old->group_id, type, buckets, n);
    if (error) {
        return error;
    }
    g = group_create(old->group_id, type, buckets, n);
    g->created = old->created;
    atomic_store(&g->packet_count, atomic_load(&old->packet_count));
    atomic_store(&g->byte_count, atomic_load(&old->byte_count));
    group_ref_targets(ofproto, old, -1);
    hmap_remove(&ofproto->groups, &old->node);
    g->ref_count = old->ref_count;
    hmap_insert(&ofproto->groups, &g->node, group_hash(g->group_id));
    group_ref_targets(ofproto, g, 1);
    publish_snapshot(ofproto);
    u = xzalloc(sizeof *u);
    u->group = g;
    u->old = old;
    ofproto_txn_push(txn, undo_modify_commit, undo_modify_rollback, u);
    return 0;
}

static enum ofperr
group_modify(struct ofproto_txn *txn, const struct ofp_group_mod *gm)
{
    struct ofgroup *old = ofproto_group_find(txn->ofproto, gm->group_id);

    if (gm->group_id > OFPG_MAX) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (!old) {
        return OFPERR_OFPGMFC_UNKNOWN_GROUP;
    }
    return group_replace(txn, old, gm->type, gm->buckets, gm->n_buckets);
}

/* Index in 'g' of bucket 'id' (FIRST/LAST allowed), or -1. */
static long
bucket_index(const struct ofgroup *g, uint32_t id)
{
    if (!g->n_buckets) {
        return -1;
    }
    if (id == OFPG_BUCKET_FIRST) {
        return 0;
    }
    if (id == OFPG_BUCKET_LAST) {
        return g->n_buckets - 1;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (g->buckets[i].bucket_id == id) {
            return i;
        }
    }
    return -1;
}

static enum ofperr
group_edit_buckets(struct ofproto_txn *txn, const struct ofp_group_mod *gm)
{
    struct ofgroup *old = ofproto_group_find(txn->ofproto, gm->group_id);
    struct ofp_bucket *b;
    size_t n = 0;
    enum ofperr error;
    long at;

    if (!old) {
        return OFPERR_OFPGMFC_UNKNOWN_GROUP;
    }
    b = xcalloc(old->n_buckets + gm->n_buckets + 1, sizeof *b);
    if (gm->command == OFPGC_INSERT_BUCKET) {
        at = gm->command_bucket_id == OFPG_BUCKET_LAST ||
                     (gm->command_bucket_id == OFPG_BUCKET_FIRST &&
                      !old->n_buckets)
                 ? (long)old->n_buckets
                 : bucket_index(old, gm->command_bucket_id);
        if (at < 0) {
            free(b);
            return OFPERR_OFPGMFC_UNKNOWN_BUCKET;
        }
        /* Buckets go before 'at' (FIRST or a bucket id) or at the end. */
        memcpy(b, old->buckets, at * sizeof *b);
        n = at;
        memcpy(b + n, gm->buckets, gm->n_buckets * sizeof *b);
        n += gm->n_buckets;
        memcpy(b + n, old->buckets + at, (old->n_buckets - at) * sizeof *b);
        n += old->n_buckets - at;
    } else {
        at = gm->command_bucket_id == OFPG_BUCKET_ALL
                 ? -2
                 : bucket_index(old, gm->command_bucket_id);
        if (at == -1) {
            free(b);
            return OFPERR_OFPGMFC_UNKNOWN_BUCKET;
        }
        for (size_t i = 0; i < old->n_buckets; i++) {
            if (at != -2 && (long)i != at) {
                b[n++] = old->buckets[i];
            }
        }
    }
    /* 'b' borrows the ofpacts of 'old' and 'gm'; group_create() copies. */
    error = group_replace(txn, old, old->type, b, n);
    free(b);
    return error;
}

/* True if a group other than 'group_id' chains to 'group_id'. */
static bool
group_is_chained_to(const struct ofproto *ofproto, uint32_t group_id)
{
    HMAP_FOR_EACH(node, &ofproto->groups)
    {
        const struct ofgroup *g = CONTAINER_OF(node, struct ofgroup, node);

        for (size_t i = 0; i < g->n_buckets; i++) {
            const struct ofp_bucket *b = &g->buckets[i];

            if (g->group_id != group_id &&
                (b->watch_group == group_id ||
                 ofpacts_output_to_group(b->ofpacts, b->ofpacts_len,
                                         group_id))) {
                return true;
            }
        }
    }
    return false;
}

static void
group_delete_one(struct ofproto_txn *txn, struct ofgroup *g)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_group *u = xzalloc(sizeof *u);

    ofproto_delete_rules_for_group_txn(txn, g->group_id);
    hmap_remove(&ofproto->groups, &g->node);
    group_ref_targets(ofproto, g, -1);
    publish_snapshot(ofproto);
    u->group = g;
    txn->reinserts = true;
    ofproto_txn_push(txn, undo_delete_commit, undo_delete_rollback, u);
}

static enum ofperr
group_delete(struct ofproto_txn *txn, const struct ofp_group_mod *gm)
{
    struct ofproto *ofproto = txn->ofproto;

    if (gm->group_id == OFPG_ALL) {
        HMAP_FOR_EACH_SAFE(node, next, &ofproto->groups)
        {
            group_delete_one(txn, CONTAINER_OF(node, struct ofgroup, node));
        }
        return 0;
    }
    struct ofgroup *g = ofproto_group_find(ofproto, gm->group_id);

    if (!g) {
        return 0;
    }
    if (group_is_chained_to(ofproto, g->group_id)) {
        return OFPERR_OFPGMFC_CHAINED_GROUP;
    }
    group_delete_one(txn, g);
    return 0;
}

enum ofperr
ofproto_group_mod_txn(struct ofproto_txn *txn, const struct ofp_group_mod *gm)
{
    switch (gm->command) {
    case OFPGC_ADD:
        return group_add(txn, gm);
    case OFPGC_MODIFY:
        return group_modify(txn, gm);
    case OFPGC_DELETE:
        return group_delete(txn, gm);
    case OFPGC_INSERT_BUCKET:
    case OFPGC_REMOVE_BUCKET:
        return group_edit_buckets(txn, gm);
    }
    return OFPERR_OFPGMFC_BAD_COMMAND;
}

static enum ofperr
group_mod_apply(struct ofproto_txn *txn, const void *gm)
{
    return ofproto_group_mod_txn(txn, gm);
}

enum ofperr
ofproto_group_mod(struct ofproto *ofproto, const struct ofp_group_mod *gm)
{
    return ofproto_txn_run(ofproto, group_mod_apply, gm);
}

void
ofproto_groups_init(struct ofproto *ofproto)
{
    hmap_init(&ofproto->groups);
    atomic_init(&ofproto->group_snapshot, NULL);
    publish_snapshot(ofproto);
}

void
ofproto_groups_destroy(struct ofproto *ofproto)
{
    struct ofgroup_snapshot *s = rcu_get_relaxed(ofproto->group_snapshot);

    HMAP_FOR_EACH_SAFE(node, next, &ofproto->groups)
    {
        struct ofgroup *g = CONTAINER_OF(node, struct ofgroup, node);

        hmap_remove(&ofproto->groups, node);
        rcu_postpone(group_destroy_cb, g);
    }
    hmap_destroy(&ofproto->groups);
    rcu_publish(ofproto->group_snapshot, NULL);
    if (s) {
        rcu_postpone(free, s);
    }
}
