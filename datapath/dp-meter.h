/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-meter: the datapath's meter table, behind dpif_meter_set(),
 * dpif_meter_del() and dpif_meter_get_stats() and the DPA_METER action.
 *
 * Each meter holds one token bucket per band, refilled from the elapsed
 * time at the rate of the band, and counters.  dp_meters_run() charges a
 * batch of packets and says, per packet, whether it passes, is dropped or
 * has its drop precedence raised (dp-execute edits and drops; this file
 * never touches packet bytes).
 *
 * Threads: the table is an array of RCU-published meter pointers.  PMD
 * threads run meters concurrently; each meter's buckets and counters are
 * guarded by its own spinlock, held for one batch.  Set, delete and
 * reading statistics are main-thread operations; a replaced or deleted
 * meter is freed after an RCU grace period.
 */
#ifndef TERN_DP_METER_H
#define TERN_DP_METER_H 1

#include "datapath/dpif.h"
#include "lib/dp-packet.h"

struct dp_meters;

/* Verdicts of dp_meters_run(): pass, drop, or any other value = raise the
 * DSCP drop precedence by that many levels. */
#define DP_METER_PASS 0
#define DP_METER_DROP 0xff

/* Creates an empty table (caller destroys it). */
struct dp_meters *dp_meters_create(void);
/* Frees the table and its meters at once: no PMD may be using it. */
void dp_meters_destroy(struct dp_meters *);

/* As dpif_meter_set(), dpif_meter_del(), dpif_meter_get_stats(). */
int dp_meters_set(struct dp_meters *, uint32_t meter_id,
                  const struct dpif_meter_config *);
int dp_meters_del(struct dp_meters *, uint32_t meter_id,
                  struct dpif_meter_stats *);
int dp_meters_get_stats(const struct dp_meters *, uint32_t meter_id,
                        struct dpif_meter_stats *);

/* Charges the 'n' packets of 'pkts' to meter 'meter_id' at time 'now_us'
 * (time_usec()) and writes one verdict per packet into 'verdicts'.  A
 * meter that does not exist passes everything.  PMD-thread safe. */
void dp_meters_run(struct dp_meters *, uint32_t meter_id,
                   struct dp_packet *const *pkts, uint32_t n, long long now_us,
                   uint8_t *verdicts);

#endif /* TERN_DP_METER_H */
