/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate: translation of a packet's walk through the OpenFlow tables into
 * one datapath action list and the megaflow mask of everything the walk
 * looked at.
 *
 * The walk starts at table 0 (or runs a packet-out's actions), looks the
 * working flow up in each table with classifier_lookup() (whose 'wc' is
 * exactly the set of bits examined), runs apply-actions on the working
 * flow, collects write-actions into the action set and runs it at the
 * end.  Header rewrites are committed lazily: before each output,
 * userspace action or push/pop, the fields written since the last commit
 * become one DPA_SET_MASKED.  NORMAL (normal.c) and MAC learning
 * (mac-learning.c) plug in through the same context.
 *
 * Packet-ins are DPA_USERSPACE actions whose userdata is a
 * 'struct xlate_pin_userdata' (pid XLATE_PIN_PID): the datapath hands the
 * packet back through an action upcall (upcall.c), which queues it for
 * the main thread.  Meters are not translated (the datapath has no meter
 * action); set_queue is ignored.  copy_ttl_in/out become DPA_COPY_TTL_*
 * on packets with a label stack and nothing on others; the working flow
 * follows the copy when it knows the value copied (see xlate_copy_ttl(),
 * xlate-mpls.c).
 *
 * Recirculation.  The datapath extracts a packet's key once per pass and
 * stops at an MPLS label stack, so after a pop_mpls that uncovers an IP
 * packet the key has no L3/L4 fields.  When the walk then needs them (a
 * table lookup, an L3/L4 rewrite, NORMAL, a select group), it freezes
 * (xlate-freeze.h): the actions so far end with DPA_RECIRC(id), where 'id'
 * names the rest of the walk, and the datapath looks the re-extracted
 * packet up again with key.recirc_id = id.  xlate_actions() of a key with
 * a non-zero recirc_id resumes that frozen walk.
 *
 * Threads.  xlate_actions() runs on PMD threads (upcalls) and on the main
 * thread (packet-out, revalidation, trace).  It reads rules, groups and
 * ports through RCU only (see ofproto-private.h), and the MAC table under
 * its own mutex.
 */
#ifndef TERN_XLATE_H
#define TERN_XLATE_H 1

#include "datapath/dpif.h"
#include "lib/dp-actions.h"
#include "lib/flow.h"
#include "ofproto/ofproto-private.h"

struct ds;
struct xlate_frozen_table;

/* What to translate. */
struct xlate_in {
    struct ofproto *ofproto;
    struct flow flow; /* Packet key; in_port = datapath port. */
    /* OpenFlow in_port override (packet-out), or 0 to derive it from
     * flow.in_port through the port snapshot. */
    uint32_t in_ofp_port;
    /* Non-NULL: run these actions (packet-out) instead of table 0. */
    const struct ofpact *ofpacts;
    size_t ofpacts_len;
    bool may_learn; /* NORMAL may update the MAC table. */
    /* Non-NULL: credit these packets/bytes/used time to every rule,
     * table, group and bucket the walk touches. */
    const struct dpif_flow_stats *stats;
    struct ds *trace; /* Non-NULL: append the walk as text. */
    /* Non-NULL: receives the working flow as the walk left it (OpenFlow
     * in_port, metadata included). */
    struct flow *final_flow;
    /* Non-NULL: receives the recirculations the walk emitted (trace). */
    struct xlate_recircs *recircs;
};

/* The recirculations of one translation, for ofproto/trace: the id and
 * what is known of the key of the next pass (datapath in_port, recirc_id
 * set, metadata zero). */
#define XLATE_MAX_RECIRCS 8
struct xlate_recircs {
    size_t n; /* At most XLATE_MAX_RECIRCS are kept. */
    uint32_t ids[XLATE_MAX_RECIRCS];
    struct flow flows[XLATE_MAX_RECIRCS];
};

/* Translates 'xin'.  Appends the datapath actions to 'out' (an empty
 * list means drop) and ORs into 'wc' every bit of the packet key the
 * result depends on; 'wc' never gets OpenFlow metadata bits and always
 * has recirc_id exact.  A key with a non-zero recirc_id (and no
 * 'xin->ofpacts') resumes the walk frozen under that id.  Returns 0, or
 * (the actions are then a drop):
 *   ELOOP   the walk exceeded OFPROTO_MAX_RESUBMITS table hops or
 *           OFPROTO_MAX_GROUP_DEPTH nested groups;
 *   ENOENT  the key's recirc_id names no frozen walk;
 *   ENOSPC  the walk had to freeze but the frozen states are at their
 *           limit (XLATE_FROZEN_MAX).
 * The caller owns 'out' and 'wc'. */
int xlate_actions(const struct xlate_in *xin, struct dp_actions_buf *out,
                  struct flow_wildcards *wc);

/* trace.c: appends to 'ds' the ofproto/trace text for a packet matching
 * 'm' (m->flow.in_port is an OpenFlow port; 'm->wc' says which fields were
 * given, for the "Flow:" line): each table's rule and actions, then the
 * "Megaflow:" and "Datapath actions:" lines.  No side effects. */
void xlate_trace_flow(struct ofproto *, const struct match *m, struct ds *ds);

/* Userdata of the DPA_USERSPACE actions that make packet-ins. */
#define XLATE_PIN_PID 0x7069u /* "pi" */
struct xlate_pin_userdata {
    uint8_t reason; /* enum ofp_packet_in_reason. */
    uint8_t table_id;
    uint16_t max_len; /* Bytes to send; OFPCML_NO_BUFFER: all. */
    uint16_t controller_id;
    uint16_t pad;
    uint32_t in_port;     /* OpenFlow in_port of the walk. */
    uint32_t metadata[2]; /* OpenFlow metadata, big-endian halves. */
    uint32_t cookie[2];   /* Host-order high and low words. */
    uint32_t regs[8];     /* Pipeline registers (the match carries the
                           * non-zero ones, as Open vSwitch's does). */
};
BUILD_ASSERT(sizeof(struct xlate_pin_userdata) == 60);

/* ---- Internal to ofproto/xlate*.c, normal.c, upcall.c, revalidate.c. ---- */

/* Per-switch state of translation (ofproto->xlate). */
#define XLATE_MAX_PINS 1024 /* Queued packet-ins; more are dropped. */
struct ofproto_xlate {
    struct list_node node; /* In the list of all states (upcall.c). */
    pthread_mutex_t mutex; /* Guards the packet-in queue. */
    struct list_node pins; /* struct xlate_pin, oldest first. */
    size_t n_pins;
    uint64_t n_pins_dropped;
    struct hmap flows; /* struct xlate_flow_stats (revalidate.c);
                        * main thread only. */
    uint64_t pull_gen; /* Statistics pulls so far (revalidate.c). */
    struct xlate_frozen_table *frozen; /* xlate-freeze.c; any thread. */
};
/* Returns 'ofproto''s state, creating it on first use (any thread). */
struct ofproto_xlate *xlate_state(struct ofproto *);
/* Frees the statistics entries of 'x' (revalidate.c). */
void xlate_flow_stats_clear(struct ofproto_xlate *x);

/* The action set (OpenFlow 1.3 section 5.10): at most one action of each
 * kind, set_field per field. */
struct xlate_action_set {
    const struct ofpact *by_type[OFPACT_N_TYPES];
    const struct ofpact *fields[MFF_N_IDS];
    const struct ofpact *output; /* OUTPUT, CONTROLLER or ENQUEUE. */
};

/* The action lists the walk is inside, innermost first: what a freeze
 * (xlate-freeze.c) turns into the rest of the walk.  Each lives on the C
 * stack of the function running that list. */
enum xlate_frame_type {
    XLATE_FRAME_LIST,     /* An action list; [next, end) is still to run. */
    XLATE_FRAME_VEC,      /* The action set being run; vec[i..n) to run. */
    XLATE_FRAME_PIPELINE, /* A pipeline: the action set runs after it. */
    XLATE_FRAME_BUCKET,   /* A group bucket: the walk goes on after it on
                           * the packet as it came to the group. */
    XLATE_FRAME_SEGS,     /* A resumed walk: frozen segments [next, end)
                           * still to run. */
};
struct xlate_frame {
    struct xlate_frame *up;
    enum xlate_frame_type type;
    const void *next, *end;          /* LIST, SEGS. */
    const struct ofpact *const *vec; /* VEC. */
    size_t i, n;                     /* VEC. */
};

struct xlate_ctx {
    const struct xlate_in *xin;
    struct ofproto *ofproto;
    const struct ofport_snapshot *ports;   /* May be NULL. */
    const struct ofgroup_snapshot *groups; /* May be NULL. */
    struct dp_actions_buf *out;
    struct flow_wildcards *wc; /* &wc_buf, copied back to the caller's. */
    size_t out_start;          /* out->size when the translation started. */

    /* The classifier reads flows as 64-bit words: keep them aligned. */
    struct flow_wildcards wc_buf __attribute__((aligned(8)));
    struct flow flow __attribute__((aligned(8))); /* Working flow;
                                                   * in_port = OpenFlow
                                                   * port. */
    struct flow base;    /* The packet as the emitted actions leave it. */
    struct flow pending; /* Bits written since the last commit. */
    uint32_t in_port;    /* OpenFlow in_port. */

    uint8_t table_id; /* Of the rule being run (255: none). */
    uint64_t cookie;
    bool miss_rule; /* The rule is a table-miss flow entry. */
    int n_resubmits;
    int group_depth;
    int error; /* ELOOP once a limit is hit. */
    bool exit; /* Stop: drop or limit. */
    struct xlate_action_set aset;
    int indent; /* Trace indentation. */

    /* Recirculation (xlate-freeze.c). */
    bool mpls_key;         /* The key stops at an MPLS stack: no L3/L4. */
    bool recirc_needed;    /* MPLS/PBB popped: what followed is unknown. */
    bool mpls_ttl_unknown; /* copy_ttl_out read an IP TTL not in the key. */
    bool packet_out;       /* OFPP_TABLE runs the pipeline. */
    struct xlate_frame *frames; /* Innermost first. */
    void *thawed;               /* Owned copy of the resumed state. */
};

/* Commits pending header rewrites as a DPA_SET_MASKED. */
void xlate_commit(struct xlate_ctx *);
/* Makes the packet's outer VLAN tag 'tci' (VLAN_CFI set: tagged with
 * that VID/PCP; 0: untagged), emitting push/pop/set as needed. */
void xlate_commit_vlan(struct xlate_ctx *, tern_be16 tci);
/* Emits an output to OpenFlow port 'ofp_port' (a real port or LOCAL). */
void xlate_output_port(struct xlate_ctx *, uint32_t ofp_port);
/* The snapshot entry of 'ofp_port', or NULL. */
const struct ofport_snapshot_port *xlate_port(const struct xlate_ctx *,
                                              uint32_t ofp_port);
/* Appends a trace line at the current indentation. */
void xlate_trace(struct xlate_ctx *, const char *format, ...)
    TERN_PRINTF(2, 3);

/* max_len of packet-ins for table misses and TTL expiry: the whole
 * packet; connmgr applies each connection's miss_send_len. */
#define XLATE_MISS_SEND_LEN OFPCML_NO_BUFFER
/* Commits pending rewrites, then emits a packet-in (DPA_USERSPACE with a
 * 'struct xlate_pin_userdata') with 'reason', 'max_len' and
 * 'controller_id', carrying the walk's table, cookie, in_port, metadata
 * and registers. */
void xlate_controller(struct xlate_ctx *, uint8_t reason, uint16_t max_len,
                      uint16_t controller_id);
/* True if the working flow is IPv4, or IPv6 unless 'v4_only'.  Matches on
 * dl_type (ORs it into ctx->wc). */
bool xlate_is_ip(struct xlate_ctx *, bool v4_only);

/* Runs 'len' bytes of actions at 'ofpacts' in a new LIST frame. */
void xlate_ofpacts(struct xlate_ctx *, const struct ofpact *ofpacts,
                   size_t len);
/* Runs a resumed segment: with 'then_aset', as the rest of a pipeline
 * (the action set runs after it unless the walk stopped). */
void xlate_run_segment(struct xlate_ctx *, const struct ofpact *ofpacts,
                       size_t len, bool then_aset);
/* Adds the actions of a write_actions list to the action set 'as'. */
void xlate_action_set_add(struct xlate_action_set *as,
                          const struct ofpact *list, size_t len);

/* normal.c: the NORMAL action (MAC learning switch with VLANs). */
void xlate_normal(struct xlate_ctx *);

/* xlate-mpls.c: the MPLS label stack and TTL actions, called by
 * xlate_ofpact().  Each works on the caller's 'ctx': it updates the
 * working flow and ctx->base, ORs what it reads into ctx->wc and appends
 * datapath actions to ctx->out; 'a' stays the caller's. */
/* dec_ttl: DPA_DEC_TTL on IP packets (a packet-in when the TTL runs out),
 * nothing on others. */
void xlate_dec_ttl(struct xlate_ctx *);
/* set_mpls_ttl and dec_mpls_ttl ('a'): rewrite the top label's TTL; a
 * dec_mpls_ttl that would reach 0 sends a packet-in and stops the walk. */
void xlate_mpls_ttl(struct xlate_ctx *, const struct ofpact *a);
/* copy_ttl_in ('in') or copy_ttl_out. */
void xlate_copy_ttl(struct xlate_ctx *, bool in);
/* push_mpls and pop_mpls of 'ethertype'; a pop of the bottom label of
 * the key's stack sets ctx->recirc_needed. */
void xlate_push_mpls(struct xlate_ctx *, tern_be16 ethertype);
void xlate_pop_mpls(struct xlate_ctx *, tern_be16 ethertype);

#endif /* TERN_XLATE_H */
