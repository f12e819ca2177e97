/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-meter: the switch's meter table.  METER_MOD add, modify and
 * delete (one meter or OFPM_ALL) with the spec's checks (meter id range,
 * flags, bands, rates); deleting a meter removes the rules that use it.
 * Rules keep the meter id in their action list; translation asks whether a
 * meter exists through ofproto_meter_exists(), which reads a sorted id
 * array replaced by RCU on every add and delete.
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

/* ---- Undo records ---- */

struct undo_meter {
    struct ofmeter *meter;
    struct ofp_meter_mod old; /* Modify: the previous configuration. */
};

static void
undo_free(struct ofproto *ofproto TERN_UNUSED, void *u)
{
    free(u);
}

static void
undo_add_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_meter *u = u_;

    hmap_remove(&ofproto->meters, &u->meter->node);
    publish_snapshot(ofproto);
    free(u->meter);
    free(u);
}

static void
undo_delete_commit(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_meter *u = u_;

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
undo_modify_rollback(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_meter *u = u_;

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
    m = xzalloc(sizeof *m);
    m->config = *mm;
    m->config.command = OFPMC_ADD;
    m->created = time_msec();
    atomic_init(&m->packet_in_count, 0);
    atomic_init(&m->byte_in_count, 0);
    hmap_insert(&ofproto->meters, &m->node, meter_hash(mm->meter_id));
    publish_snapshot(ofproto);
    u = xzalloc(sizeof *u);
    u->meter = m;
    ofproto_txn_push(txn, undo_free, undo_add_rollback, u);
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
    u = xzalloc(sizeof *u);
    u->meter = m;
    u->old = m->config;
    m->config = *mm;
    m->config.command = OFPMC_ADD;
    ofproto_txn_push(txn, undo_free, undo_modify_rollback, u);
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

enum ofperr
ofproto_meter_mod(struct ofproto *ofproto, const struct ofp_meter_mod *mm)
{
    struct ofproto_txn txn;
    enum ofperr error;

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    error = ofproto_meter_mod_txn(&txn, mm);
    if (error) {
        ofproto_txn_rollback(&txn);
    } else {
        ofproto_txn_commit(&txn);
    }
    pthread_mutex_unlock(&ofproto->mutex);
    return error;
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
