/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-freeze: freezing a translation so that a later datapath pass
 * resumes it (recirculation).
 *
 * The datapath extracts a packet's key once per pass, and its parser
 * stops at an MPLS label stack.  After a pop_mpls of the bottom label the
 * packet is IP, but the key the walk holds has no L3/L4 fields.  Before
 * the first action that needs them (xlate_freeze_needed()), the walk
 * freezes (xlate_freeze()): it commits pending rewrites, turns the rest of
 * the walk — the action lists it is inside (ctx->frames), the action set,
 * metadata, OpenFlow in_port, the rule's table and cookie, the resubmit
 * and group depth counters — into a byte string, interns it in the
 * switch's frozen-state table under a 32-bit id and emits DPA_RECIRC(id).
 * The datapath re-extracts the packet with key.recirc_id = id and looks
 * it up again; a miss is an upcall of that key, whose translation resumes
 * the frozen walk (xlate_thaw()).  The megaflow of the second pass
 * matches recirc_id exactly.
 *
 * A freeze inside a group bucket freezes only the rest of that bucket: the
 * group and the walk after it go on in the current pass, each bucket
 * working on its own copy of the packet.
 *
 * The table.  Identical states share one id (a hash map by content), ids
 * are never 0 and never reused while the state lives.  At most
 * XLATE_FROZEN_MAX states exist per switch: a freeze beyond that drops
 * the packet (ENOSPC, counted, rate-limited warning).  A key whose
 * recirc_id names no state is dropped (ENOENT, counted).  States that no
 * cached datapath flow has referred to (in a DPA_RECIRC or in its key's
 * recirc_id) for two statistics pulls in a row are freed by
 * xlate_frozen_gc() (revalidate.c, main thread); the dedup and the bound
 * keep memory finite in between.
 *
 * Threads.  Freezing and thawing run on PMD threads (upcalls) and on the
 * main thread; the table's mutex is held only to look up, copy or insert
 * one state, never across translation.  A thaw works on its own copy of
 * the state, so the main thread may free a state at any time.
 */
#ifndef TERN_XLATE_FREEZE_H
#define TERN_XLATE_FREEZE_H 1

#include "ofproto/xlate.h"

/* Frozen states per switch. */
#define XLATE_FROZEN_MAX 65536

/* Creates and frees a switch's table of frozen states
 * (ofproto_xlate->frozen, upcall.c). */
struct xlate_frozen_table *xlate_frozen_table_create(void);
void xlate_frozen_table_destroy(struct xlate_frozen_table *);

struct xlate_frozen_stats {
    size_t n_states;      /* Frozen states that exist. */
    uint64_t n_full;      /* Packets dropped: table at its limit. */
    uint64_t n_unknown;   /* Keys with a recirc_id naming no state. */
    uint64_t n_collected; /* States freed by xlate_frozen_gc(). */
};
void xlate_frozen_get_stats(struct ofproto *, struct xlate_frozen_stats *);
/* Lowers the limit of states of 'ofproto' (for tests); 0 restores
 * XLATE_FROZEN_MAX. */
void xlate_frozen_set_max(struct ofproto *, size_t max);

/* Main thread: 'ids' (n of them, duplicates allowed) are the recirc ids
 * the cached datapath flows refer to; states not referred to by this or
 * the previous call are freed. */
void xlate_frozen_gc(struct ofproto *, const uint32_t *ids, size_t n);

/* Translation (xlate.c).  True if running 'a' needs the fields that a
 * pop_mpls or pop_pbb uncovered (only called while ctx->recirc_needed). */
bool xlate_freeze_needed(const struct xlate_ctx *, const struct ofpact *a);
/* Freezes the rest of the walk: the innermost frame's 'next' is the first
 * action of the rest.  Emits DPA_RECIRC and stops the walk (ctx->exit); on
 * a full table sets ctx->error to ENOSPC instead. */
void xlate_freeze(struct xlate_ctx *);
/* Resumes the walk frozen under ctx->xin->flow.recirc_id.  Returns 0 or
 * ENOENT (unknown id).  ctx->thawed receives the state's copy, which the
 * caller frees after the walk. */
int xlate_thaw(struct xlate_ctx *);

#endif /* TERN_XLATE_FREEZE_H */
