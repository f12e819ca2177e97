/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-meter: token-bucket meters for the datapath (see dp-meter.h).
 *
 * Units.  Buckets count micro-units: micro-bits for kbps meters,
 * micro-packets for pktps ones, so that one microsecond of refill is an
 * integer for every rate: a band of R kbps gains R * 1000 micro-bits per
 * microsecond (R * 1000 bits per second), a band of R packets per second
 * gains R micro-packets per microsecond.  A packet costs its length in
 * bits, or one packet, times 10^6.  Capacities saturate instead of
 * overflowing.
 *
 * Band choice: every band whose bucket can pay for the packet pays; among
 * the bands that cannot, the one with the highest rate handles the packet
 * (OpenFlow's rule) and counts it.
 */
#include <config.h>

#include "datapath/dp-meter.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rcu.h"
#include "lib/util.h"

#define MICRO 1000000ull

struct dp_meter_band {
    enum dpif_meter_band_type type;
    uint32_t rate;
    uint8_t prec_level;
    uint64_t fill_per_us; /* Micro-units gained per microsecond. */
    uint64_t capacity;    /* Micro-units. */
    uint64_t bucket;      /* Micro-units available. */
    uint64_t packets;     /* Packets this band handled. */
    uint64_t bytes;
};

struct dp_meter {
    atomic_flag lock; /* Guards everything below. */
    bool pktps;
    long long last_us; /* Time of the last refill. */
    uint64_t packets_in;
    uint64_t bytes_in;
    long long created;
    size_t n_bands;
    struct dp_meter_band bands[DPIF_METER_MAX_BANDS];
};

struct dp_meters {
    /* RCU-published; written by the main thread only. */
    struct dp_meter *_Atomic meters[DPIF_METER_MAX];
};

static void
meter_lock(struct dp_meter *m)
{
    /* Acquire: pairs with the release in meter_unlock() of the previous
     * holder, so its bucket and counter writes are visible. */
    while (atomic_flag_test_and_set_explicit(&m->lock, memory_order_acquire)) {
        continue;
    }
}

static void
meter_unlock(struct dp_meter *m)
{
    atomic_flag_clear_explicit(&m->lock, memory_order_release);
}

static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
    uint64_t r;

    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

struct dp_meters *
dp_meters_create(void)
{
    return xzalloc(sizeof(struct dp_meters));
}

void
dp_meters_destroy(struct dp_meters *dm)
{
    if (dm) {
        for (size_t i = 0; i < DPIF_METER_MAX; i++) {
            free(rcu_get_relaxed(dm->meters[i]));
        }
        free(dm);
    }
}

static int
check_config(uint32_t meter_id, const struct dpif_meter_config *cfg)
{
    if (meter_id >= DPIF_METER_MAX || !cfg->n_bands ||
        cfg->n_bands > DPIF_METER_MAX_BANDS) {
        return EINVAL;
    }
    for (size_t i = 0; i < cfg->n_bands; i++) {
        const struct dpif_meter_band *b = &cfg->bands[i];

        if (!b->rate || (b->type != DPIF_METER_BAND_DROP &&
                         b->type != DPIF_METER_BAND_DSCP_REMARK)) {
            return EINVAL;
        }
    }
    return 0;
}

/* Copies the counters of 'm' into 'stats'.  Caller holds m's lock. */
static void
meter_read_stats(const struct dp_meter *m, struct dpif_meter_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->packets_in = m->packets_in;
    stats->bytes_in = m->bytes_in;
    stats->created = m->created;
    stats->n_bands = m->n_bands;
    for (size_t i = 0; i < m->n_bands; i++) {
        stats->bands[i].packets = m->bands[i].packets;
        stats->bands[i].bytes = m->bands[i].bytes;
    }
}

int
dp_meters_set(struct dp_meters *dm, uint32_t meter_id,
              const struct dpif_meter_config *cfg)
{
    struct dp_meter *old, *m;
    int error = check_config(meter_id, cfg);

    if (error) {
        return error;
    }
    m = xzalloc(sizeof *m);
    atomic_flag_clear(&m->lock);
    m->pktps = cfg->pktps;
    m->last_us = LLONG_MIN; /* Full buckets until the first packet. */
    m->created = time_msec();
    m->n_bands = cfg->n_bands;
    for (size_t i = 0; i < cfg->n_bands; i++) {
        const struct dpif_meter_band *cb = &cfg->bands[i];
        struct dp_meter_band *b = &m->bands[i];
        uint32_t burst = cfg->burst && cb->burst ? cb->burst : cb->rate;

        b->type = cb->type;
        b->rate = cb->rate;
        b->prec_level = cb->prec_level;
        b->fill_per_us = cfg->pktps ? cb->rate : (uint64_t)cb->rate * 1000;
        b->capacity = sat_mul(burst, cfg->pktps ? MICRO : 1000 * MICRO);
        b->bucket = b->capacity;
    }

    old = rcu_get_relaxed(dm->meters[meter_id]);
    if (old) {
        meter_lock(old);
        m->created = old->created;
        if (old->n_bands == m->n_bands) {
            m->packets_in = old->packets_in;
            m->bytes_in = old->bytes_in;
            for (size_t i = 0; i < m->n_bands; i++) {
                m->bands[i].packets = old->bands[i].packets;
                m->bands[i].bytes = old->bands[i].bytes;
            }
        }
        meter_unlock(old);
    }
    /* Release: readers that load 'm' (acquire) see it initialised. */
    rcu_publish(dm->meters[meter_id], m);
    if (old) {
        rcu_postpone(free, old);
    }
    return 0;
}

int
dp_meters_del(struct dp_meters *dm, uint32_t meter_id,
              struct dpif_meter_stats *stats)
{
    struct dp_meter *m;

    if (meter_id >= DPIF_METER_MAX) {
        return ENOENT;
    }
    m = rcu_get_relaxed(dm->meters[meter_id]);
    if (!m) {
        return ENOENT;
    }
    rcu_publish(dm->meters[meter_id], NULL);
    if (stats) {
        meter_lock(m);
        meter_read_stats(m, stats);
        meter_unlock(m);
    }
    rcu_postpone(free, m);
    return 0;
}

int
dp_meters_get_stats(const struct dp_meters *dm, uint32_t meter_id,
                    struct dpif_meter_stats *stats)
{
    struct dp_meter *m;

    if (meter_id >= DPIF_METER_MAX) {
        return ENOENT;
    }
    m = rcu_get(((struct dp_meters *)dm)->meters[meter_id]);
    if (!m) {
        return ENOENT;
    }
    meter_lock(m);
    meter_read_stats(m, stats);
    meter_unlock(m);
    return 0;
}

/* Adds the tokens earned since the last refill.  Caller holds m's lock. */
static void
meter_refill(struct dp_meter *m, long long now_us)
{
    uint64_t elapsed;

    if (m->last_us == LLONG_MIN) {
        m->last_us = now_us;
        return;
    }
    if (now_us <= m->last_us) {
        return;
    }
    elapsed = (uint64_t)(now_us - m->last_us);
    m->last_us = now_us;
    for (size_t i = 0; i < m->n_bands; i++) {
        struct dp_meter_band *b = &m->bands[i];

        b->bucket = MIN(b->capacity,
                        sat_add(b->bucket, sat_mul(elapsed, b->fill_per_us)));
    }
}

/* Charges one packet of 'bytes' bytes; returns its verdict.  Caller holds
 * m's lock. */
static uint8_t
meter_charge(struct dp_meter *m, uint32_t bytes)
{
    uint64_t cost = m->pktps ? MICRO : sat_mul((uint64_t)bytes * 8, MICRO);
    struct dp_meter_band *over = NULL;

    m->packets_in++;
    m->bytes_in += bytes;
    for (size_t i = 0; i < m->n_bands; i++) {
        struct dp_meter_band *b = &m->bands[i];

        if (b->bucket >= cost) {
            b->bucket -= cost;
        } else if (!over || b->rate > over->rate) {
            over = b;
        }
    }
    if (!over) {
        return DP_METER_PASS;
    }
    over->packets++;
    over->bytes += bytes;
    if (over->type == DPIF_METER_BAND_DROP) {
        return DP_METER_DROP;
    }
    return over->prec_level ? MIN(over->prec_level, DP_METER_DROP - 1)
                            : DP_METER_PASS;
}

void
dp_meters_run(struct dp_meters *dm, uint32_t meter_id,
              struct dp_packet *const *pkts, uint32_t n, long long now_us,
              uint8_t *verdicts)
{
    /* Acquire: pairs with the release in dp_meters_set(). */
    struct dp_meter *m =
        (meter_id < DPIF_METER_MAX ? rcu_get(dm->meters[meter_id]) : NULL);

    if (!m) {
        memset(verdicts, DP_METER_PASS, n);
        return;
    }
    meter_lock(m);
    meter_refill(m, now_us);
    for (uint32_t i = 0; i < n; i++) {
        verdicts[i] = meter_charge(m, dp_packet_size(pkts[i]));
    }
    meter_unlock(m);
}
