/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-meter: the switch's meter table.  METER_MOD add, modify and
 * delete (one meter or OFPM_ALL) with the spec's checks (meter id range,
 * flags, bands, rates); deleting a meter removes the rules that use it.
 * Rules keep the meter id in their action list; translation asks whether a
 * meter exists through ofproto_meter_exists(), which reads a sorted id
 * array replaced by RCU on every add and delete.
 *
 * Each OpenFlow meter is also a datapath meter (dpif_meter_set()), which
 * does the rate limiting and counts packets; its id is the OpenFlow id
 * when that is below DPIF_METER_MAX, otherwise a free id counted down
 * from the top.  A datapath meter is created by an add, replaced by a
 * modify, and deleted when the deletion commits.
 */
#include <config.h>

#include <stdlib.h>

#include "lib/hash.h"
#include "lib/rcu.h"
#include "lib/vlog.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto_meter);

#define METER_KNOWN_FLAGS                                                     \
    (OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS)

static uint32_t
meter_hash(uint32_t id)
{
    return hash_int(id, 0);
}

struct ofmeter *
ofproto_meter_find(const struct ofproto *ofproto, uint32_t meter_id)
{
    HMAP_FOR_EACH_WITH_HASH(node, meter_hash(meter_id), &ofproto->meters)
    {
        struct ofmeter *m = CONTAINER_OF(node, struct ofmeter, node);

        if (m->config.meter_id == meter_id) {
            return m;
        }
    }
    return NULL;
}

bool
ofproto_meter_exists(const struct ofproto *ofproto, uint32_t meter_id)
{
    /* Acquire pairs with the release in publish_snapshot(). */
    const struct ofmeter_snapshot *s =
        rcu_get(((struct ofproto *)ofproto)->meter_snapshot);
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->ids[mid] == meter_id) {
            return true;
        } else if (s->ids[mid] < meter_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

static int
u32_cmp(const void *a_, const void *b_)
{
    uint32_t a = *(const uint32_t *)a_, b = *(const uint32_t *)b_;

    return a < b ? -1 : a > b;
}

static void
publish_snapshot(struct ofproto *ofproto)
{
    size_t n = hmap_count(&ofproto->meters), i = 0;
    struct ofmeter_snapshot *s = xmalloc(sizeof *s + n * sizeof s->ids[0]);
    struct ofmeter_snapshot *old = rcu_get_relaxed(ofproto->meter_snapshot);

    HMAP_FOR_EACH(node, &ofproto->meters)
    {
        s->ids[i++] =
            CONTAINER_OF(node, struct ofmeter, node)->config.meter_id;
    }
    s->n = n;
    qsort(s->ids, n, sizeof s->ids[0], u32_cmp);
    rcu_publish(ofproto->meter_snapshot, s);
    if (old) {
        rcu_postpone(free, old);
    }
}

static enum ofperr
check_meter(const struct ofp_meter_mod *mm)
{
    bool kbps = mm->flags & OFPMF_KBPS, pktps = mm->flags & OFPMF_PKTPS;

    if (!mm->meter_id || mm->meter_id > OFPM_MAX) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if ((mm->flags & ~METER_KNOWN_FLAGS) || kbps == pktps) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    if (mm->n_bands > OFP_METER_MAX_BANDS) {
        return OFPERR_OFPMMFC_OUT_OF_BANDS;
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *b = &mm->bands[i];

        if (b->type != OFPMBT_DROP && b->type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (!b->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
        if (b->type == OFPMBT_DSCP_REMARK && b->prec_level > 63) {
            return OFPERR_OFPMMFC_BAD_BAND_VALUE;
        }
        if (!(mm->flags & OFPMF_BURST) && b->burst_size) {
            return OFPERR_OFPMMFC_BAD_BURST;
        }
    }
    return 0;
}

/* ---- Datapath meters ---- */

static bool
dp_id_in_use(const struct ofproto *ofproto, uint32_t dp_id)
{
    HMAP_FOR_EACH(node, &ofproto->meters)
    {
        if (CONTAINER_OF(node, struct ofmeter, node)->dp_meter_id == dp_id) {
            return true;
        }
    }
    return false;
}

/* Picks the datapath meter id for OpenFlow meter 'meter_id'; UINT32_MAX
 * if none is free. */
static uint32_t
dp_id_alloc(const struct ofproto *ofproto, uint32_t meter_id)
{
    if (meter_id < DPIF_METER_MAX &&
        (!ofproto->n_meters_remapped || !dp_id_in_use(ofproto, meter_id))) {
        return meter_id;
    }
    for (uint32_t id = DPIF_METER_MAX - 1; id > 0; id--) {
        if (!ofproto_meter_find(ofproto, id) && !dp_id_in_use(ofproto, id)) {
            return id;
        }
    }
    return UINT32_MAX;
}

static int
dp_meter_set(struct ofproto *ofproto, uint32_t dp_id,
             const struct ofp_meter_mod *mm)
{
    struct dpif_meter_config cfg;

    memset(&cfg, 0, sizeof cfg);
    cfg.pktps = (mm->flags & OFPMF_PKTPS) != 0;
    cfg.burst = (mm->flags & OFPMF_BURST) != 0;
    cfg.n_bands = MIN(mm->n_bands, DPIF_METER_MAX_BANDS);
    for (size_t i = 0; i < cfg.n_bands; i++) {
        cfg.bands[i].type = mm->bands[i].type == OFPMBT_DROP
                                ? DPIF_METER_BAND_DROP
                                : DPIF_METER_BAND_DSCP_REMARK;
        cfg.bands[i].rate = mm->bands[i].rate;
        cfg.bands[i].burst = mm->bands[i].burst_size;
        cfg.bands[i].prec_level = mm->bands[i].prec_level;
    }
    return cfg.n_bands ? dpif_meter_set(ofproto->dpif, dp_id, &cfg) : 0;
}

static void
dp_meter_del(struct ofproto *ofproto, const struct ofmeter *m)
{
    dpif_meter_del(ofproto->dpif, m->dp_meter_id, NULL);
}

/* ---- Undo records ---- */

struct undo_meter {
    struct ofmeter *meter;
    struct ofp_meter_mod old; /* Modify: the previous configuration. */
};

static void
undo_add_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_meter *u = u_;

    dp_meter_del(ofproto, u->meter);
    if (u->meter->dp_meter_id != u->meter->config.meter_id) {
        ofproto->n_meters_remapped--;
    }
    hmap_remove(&ofproto->meters, &u->meter->node);
    publish_snapshot(ofproto);
    free(u->meter);
    free(u);
}

static void
undo_delete_commit(struct ofproto *ofproto, void *u_)
{
    struct undo_meter *u = u_;

    /* The same bundle may have made a new meter on that datapath id. */
    if (!dp_id_in_use(ofproto, u->meter->dp_meter_id)) {
        dp_meter_del(ofproto, u->meter);
    }
    if (u->meter->dp_meter_id != u->meter->config.meter_id) {
        ofproto->n_meters_remapped--;
    }
    free(u->meter);
    free(u);
}

static void
undo_delete_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_meter *u = u_;

    hmap_insert(&ofproto->meters, &u->meter->node,
                meter_hash(u->meter->config.meter_id));
    publish_snapshot(ofproto);
    free(u);
}

static void
undo_modify_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_meter *u = u_;

    dp_meter_set(ofproto, u->meter->dp_meter_id, &u->old);
    u->meter->config = u->old;
    free(u);
}

/* ---- Commands ---- */

static enum ofperr
meter_add(struct ofproto_txn *txn, const struct ofp_meter_mod *mm)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_meter *u;
    struct ofmeter *m;
    uint32_t dp_id;
    enum ofperr error = check_meter(mm);

    if (error) {
        return error;
    }
    if (ofproto_meter_find(ofproto, mm->meter_id)) {
        return OFPERR_OFPMMFC_METER_EXISTS;
    }
    if (hmap_count(&ofproto->meters) >= OFPROTO_MAX_METERS) {
        return OFPERR_OFPMMFC_OUT_OF_METERS;
    }
    dp_id = dp_id_alloc(ofproto, mm->meter_id);
    if (dp_id == UINT32_MAX) {
        return OFPERR_OFPMMFC_OUT_OF_METERS;
    }
    if (dp_meter_set(ofproto, dp_id, mm)) {
        return OFPERR_OFPMMFC_BAD_BAND;
    }
    m = xzalloc(sizeof *m);
    m->dp_meter_id = dp_id;
    if (dp_id != mm->meter_id) {
        ofproto->n_meters_remapped++;
    }
    m->config = *mm;
    m->config.command = OFPMC_ADD;
    m->created = time_msec();
    atomic_init(&m->packet_in_count, 0);
    atomic_init(&m->byte_in_count, 0);
    hmap_insert(&ofproto->meters, &m->node, meter_hash(mm->meter_id));
    publish_snapshot(ofproto);
    u = xzalloc(sizeof *u);
    u->meter = m;
    ofproto_txn_push(txn, ofproto_txn_free_data, undo_add_rollback, u);
    return 0;
}

static enum ofperr
meter_modify(struct ofproto_txn *txn, const struct ofp_meter_mod *mm)
{
    struct ofmeter *m;
    struct undo_meter *u;
    enum ofperr error = check_meter(mm);

    if (error) {
        return error;
    }
    m = ofproto_meter_find(txn->ofproto, mm->meter_id);
    if (!m) {
        return OFPERR_OFPMMFC_UNKNOWN_METER;
    }
    if (dp_meter_set(txn->ofproto, m->dp_meter_id, mm)) {
        return OFPERR_OFPMMFC_BAD_BAND;
    }
    u = xzalloc(sizeof *u);
    u->meter = m;
    u->old = m->config;
    m->config = *mm;
    m->config.command = OFPMC_ADD;
    ofproto_txn_push(txn, ofproto_txn_free_data, undo_modify_rollback, u);
    return 0;
}

static void
meter_delete_one(struct ofproto_txn *txn, struct ofmeter *m)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_meter *u = xzalloc(sizeof *u);

    ofproto_delete_rules_for_meter_txn(txn, m->config.meter_id);
    hmap_remove(&ofproto->meters, &m->node);
    publish_snapshot(ofproto);
    u->meter = m;
    ofproto_txn_push(txn, undo_delete_commit, undo_delete_rollback, u);
}

static enum ofperr
meter_delete(struct ofproto_txn *txn, const struct ofp_meter_mod *mm)
{
    struct ofproto *ofproto = txn->ofproto;

    if (mm->meter_id == OFPM_ALL) {
        HMAP_FOR_EACH_SAFE(node, next, &ofproto->meters)
        {
            meter_delete_one(txn, CONTAINER_OF(node, struct ofmeter, node));
        }
        return 0;
    }
    if (!mm->meter_id || mm->meter_id > OFPM_MAX) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    struct ofmeter *m = ofproto_meter_find(ofproto, mm->meter_id);

    if (m) {
        meter_delete_one(txn, m);
    }
    return 0;
}

enum ofperr
ofproto_meter_mod_txn(struct ofproto_txn *txn, const struct ofp_meter_mod *mm)
{
    switch (mm->command) {
    case OFPMC_ADD:
        return meter_add(txn, mm);
    case OFPMC_MODIFY:
        return meter_modify(txn, mm);
    case OFPMC_DELETE:
        return meter_delete(txn, mm);
    }
    return OFPERR_OFPMMFC_BAD_COMMAND;
}

static enum ofperr
meter_mod_apply(struct ofproto_txn *txn, const void *mm)
{
    return ofproto_meter_mod_txn(txn, mm);
}

enum ofperr
ofproto_meter_mod(struct ofproto *ofproto, const struct ofp_meter_mod *mm)
{
    return ofproto_txn_run(ofproto, meter_mod_apply, mm);
}

void
ofproto_meters_init(struct ofproto *ofproto)
{
    hmap_init(&ofproto->meters);
    atomic_init(&ofproto->meter_snapshot, NULL);
    publish_snapshot(ofproto);
}

void
ofproto_meters_destroy(struct ofproto *ofproto)
{
    struct ofmeter_snapshot *s = rcu_get_relaxed(ofproto->meter_snapshot);

    HMAP_FOR_EACH_SAFE(node, next, &ofproto->meters)
    {
        hmap_remove(&ofproto->meters, node);
        free(CONTAINER_OF(node, struct ofmeter, node));
    }
    hmap_destroy(&ofproto->meters);
    rcu_publish(ofproto->meter_snapshot, NULL);
    if (s) {
        rcu_postpone(free, s);
    }
}
