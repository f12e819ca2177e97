/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute: runs datapath action lists (lib/dp-actions.h) on batches of
 * packets.  Header rewrites, VLAN and MPLS push/pop and TTL decrement happen
 * here; what leaves the packet's own bytes — sending on a port, handing to
 * the slow path, recirculating — goes through the caller's callbacks, so
 * this file knows nothing of ports or PMD threads.
 *
 * Packets of one batch share one action list (they hit the same flow).
 * Header offsets come from the packet's metadata (flow_extract() results);
 * after a change of structure (push/pop) they are recomputed before the next
 * rewrite.  A rewrite of a header the packet lacks is skipped.  Checksums
 * (IPv4 header, TCP, UDP (unless zero over IPv4), SCTP CRC32c, ICMPv6) are
 * updated incrementally.
 *
 * Threads: runs on the calling thread; no allocation except packet clones
 * for actions that output a packet more than once, no locks.
 */
#ifndef TERN_DP_EXECUTE_H
#define TERN_DP_EXECUTE_H 1

#include "lib/dp-actions.h"
#include "lib/dp-packet.h"

struct dp_execute_ops {
    /* Takes 'packet' for transmission on 'port' (the callee batches per
     * port and owns the packet afterwards).  Required. */
    void (*output)(void *aux, uint32_t port, struct dp_packet *packet);
    /* DPA_USERSPACE: hands a view of 'packet' to the slow path; the packet
     * stays the executor's.  May be NULL (action ignored). */
    void (*userspace)(void *aux, const struct dp_packet *packet,
                      const struct dpa_userspace *ua);
    /* DPA_RECIRC: takes 'packet', whose md.recirc_id is already set, for
     * another lookup.  May be NULL (packet dropped). */
    void (*recirc)(void *aux, struct dp_packet *packet);
    /* DPA_METER: charges the 'n' packets of 'pkts' to meter 'meter_id' and
     * writes a verdict per packet (datapath/dp-meter.h: DP_METER_PASS,
     * DP_METER_DROP, or a number of DSCP drop-precedence levels to add);
     * the executor then drops or remarks.  May be NULL (meters pass
     * everything). */
    void (*meter)(void *aux, uint32_t meter_id, struct dp_packet *const *pkts,
                  uint32_t n, uint8_t *verdicts);
};

/* Runs 'acts' ('len' bytes, validated) on every packet of 'batch' and
 * takes ownership of all of them: packets not handed to output/recirc are
 * freed.  The batch is empty afterwards. */
void dp_execute_batch(const struct dp_execute_ops *ops, void *aux,
                      struct dp_packet_batch *batch, const void *acts,
                      size_t len);

/* Applies one DPA_SET_MASKED payload to a single packet (exposed for unit
 * tests and for the slow path).  Returns false if the packet's headers
 * could not be parsed. */
bool dp_execute_set_masked(struct dp_packet *packet, const struct dpa_set *s);

#endif /* TERN_DP_EXECUTE_H */
