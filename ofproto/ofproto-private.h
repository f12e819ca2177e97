/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-private: the data structures the parts of ofproto share —
 * tables and rules (ofproto-flow.c), groups (ofproto-group.c), meters
 * (ofproto-meter.c), bundles (ofproto-bundle.c), the message handlers
 * (ofproto-handle.c), translation and upcalls (xlate.c, upcall.c),
 * revalidation and statistics (revalidate.c), MAC learning
 * (mac-learning.c) and the connection manager (connmgr.c).
 *
 * Threads and memory.
 *   - Writers (flow/group/meter changes) run on the main thread.
 *   - Translation runs on PMD threads (upcalls) and on the main thread
 *     (packet-out, revalidation, trace).  It reads tables through the
 *     classifier's RCU lookups, and rule->actions, group->buckets and
 *     meter ids through rcu_get(); a writer replaces them with
 *     rcu_publish() and frees the old ones with rcu_postpone().  Rules,
 *     groups and meters removed from the switch are freed the same way.
 *   - Counters written from PMD threads are _Atomic and updated with
 *     relaxed atomic adds.
 *   - The MAC table has its own mutex (mac-learning.h); the packet-in
 *     queue has its own mutex (upcall.c).
 *
 * Consistency.  Any change that can alter a translation (flow, group,
 * meter, port config, MAC table, fail-open) calls ofproto_mark_dirty();
 * ofproto_flush_changes() (revalidate.c), run before any reply that
 * acknowledges a change (barrier reply, and at the end of every batch of
 * messages), synchronises with the PMD threads, re-translates every cached
 * datapath flow and deletes or fixes the ones whose actions changed, then
 * synchronises again: after it returns, no packet is forwarded by a
 * superseded rule.
 */
#ifndef TERN_OFPROTO_PRIVATE_H
#define TERN_OFPROTO_PRIVATE_H 1

#include <pthread.h>
#include <stdatomic.h>

#include "lib/classifier.h"
#include "lib/hmap.h"
#include "lib/ofp-actions.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-meter.h"
#include "lib/ofp-msgs.h"
#include "lib/ofp-packet.h"
#include "lib/ofp-port.h"
#include "ofproto/ofproto.h"

struct connmgr;
struct ofconn;
struct ofproto_txn;
struct mac_learning;

/* Limits (Documentation/openflow.md). */
#define OFPROTO_N_TABLES        254
#define OFPROTO_MAX_FLOWS_TABLE 1000000 /* Per table; OFPFMFC_TABLE_FULL. */
#define OFPROTO_MAX_GROUPS      65536
#define OFPROTO_MAX_BUCKETS     256
#define OFPROTO_MAX_METERS      65536
#define OFPROTO_MAX_RESUBMITS   64 /* Table hops + group depth per packet. */
#define OFPROTO_MAX_GROUP_DEPTH 8
/* Bundles (ofproto-bundle.c): messages per bundle, stored bytes per
 * bundle, open bundles per connection, idle timeout. */
#define OFPROTO_BUNDLE_MAX_MSGS     100000
#define OFPROTO_BUNDLE_MAX_BYTES    (64u * 1024 * 1024)
#define OFPROTO_BUNDLE_MAX_PER_CONN 64
#define OFPROTO_BUNDLE_IDLE_MS      10000

/* Immutable action list of a rule, replaced as a whole by modify. */
struct rule_actions {
    size_t ofpacts_len;
    uint32_t meter_id;  /* From OFPACT_METER, 0 if none. */
    bool has_groups;    /* Outputs to a group somewhere. */
    uint64_t ofpacts[]; /* struct ofpact list, 8-byte aligned. */
};
static inline const struct ofpact *
rule_actions_ofpacts(const struct rule_actions *a)
{
    return (const struct ofpact *)a->ofpacts;
}

struct rule {
    struct cls_rule cr; /* Match (flow.in_port = OpenFlow port) and
                         * priority. */
    struct ofproto *ofproto;
    uint8_t table_id;
    uint64_t cookie; /* Main thread writes; readers tolerate. */
    uint16_t idle_timeout, hard_timeout, importance;
    uint32_t flags;         /* enum ofp_flow_flags. */
    long long created;      /* time_msec(). */
    long long modified;     /* For hard_timeout (reset by modify). */
    _Atomic long long used; /* Last packet, time_msec(). */
    struct rule_actions *_Atomic actions; /* RCU. */
    _Atomic uint64_t packet_count, byte_count;
    bool removed;               /* Out of the table, waiting for RCU. */
    struct list_node expirable; /* In ofproto->expirable if timeouts. */
};

struct oftable {
    struct classifier *cls;
    char *name; /* NULL: default "table%d"-less naming. */
    uint32_t config;
    uint32_t max_flows;
    uint32_t n_flows;
    _Atomic uint64_t lookup_count, matched_count;
};

/* A group.  Immutable once published except its counters: a modify
 * builds a new 'struct ofgroup' (carrying the counters over), publishes a
 * new snapshot and frees the old object after a grace period. */
struct ofgroup {
    struct hmap_node node; /* In ofproto->groups (main thread). */
    uint32_t group_id;
    enum ofp_group_type type;
    struct ofp_bucket *buckets; /* Owned. */
    size_t n_buckets;
    long long created;
    _Atomic uint64_t packet_count, byte_count;
    _Atomic uint64_t *bucket_packets, *bucket_bytes; /* n_buckets. */
    uint32_t ref_count; /* Rules and groups referring to it. */
};
/* What readers look groups up in: sorted by group_id, immutable,
 * replaced by RCU on every group change. */
struct ofgroup_snapshot {
    size_t n;
    struct ofgroup *groups[];
};

struct ofmeter {
    struct hmap_node node; /* In ofproto->meters, by meter_id. */
    struct ofp_meter_mod config;
    long long created;
    uint32_t flow_count;
    uint32_t dp_meter_id; /* Datapath meter, see dpif meter API. */
    /* Packets and bytes of the flows using the meter, added by the
     * statistics pull (revalidate.c) when it credits a rule with a
     * meter; reported as the meter's input counters. */
    _Atomic uint64_t packet_in_count, byte_in_count;
};
/* Sorted ids of the meters that exist, for ofproto_meter_exists() on any
 * thread; replaced by RCU on every meter add/delete. */
struct ofmeter_snapshot {
    size_t n;
    uint32_t ids[];
};

/* Per-port state the switch keeps beside the datapath port. */
struct ofport {
    struct hmap_node node; /* In ofproto->ports, by ofp_port. */
    uint32_t ofp_port;
    uint32_t dp_port;
    struct ofp_phy_port pp; /* What port-desc/port-status report. */
    long long created;
    struct ofproto_port_vlan vlan; /* 'trunks' owned. */
    bool may_enable;               /* Link up and not administratively down. */
    uint32_t mod_config; /* OFPPC_* bits set by port-mod; pp.config adds
                          * OFPPC_PORT_DOWN while the device is down. */
};

struct ofproto {
    struct hmap_node node; /* In the global list of switches. */
    char *name;
    struct dpif *dpif;
    uint64_t datapath_id;
    uint32_t allowed_versions;
    enum ofproto_fail_mode fail_mode;
    _Atomic bool fail_open; /* Standalone with controllers lost: every
                             * packet goes through NORMAL. */

    struct oftable tables[OFPROTO_N_TABLES];
    struct list_node expirable; /* Rules with a timeout. */
    struct hmap groups;
    struct ofgroup_snapshot *_Atomic group_snapshot; /* RCU. */
    struct hmap meters; /* Readers only need ofproto_meter_exists() /
                         * the datapath meter id, kept in the rule's
                         * actions. */
    struct hmap ports;  /* struct ofport, main thread; readers on PMD
                         * threads use 'port_snapshot'. */
    struct ofport_snapshot *_Atomic port_snapshot;   /* RCU. */
    struct hmap bundles;                             /* ofproto-bundle.c. */
    struct ofmeter_snapshot *_Atomic meter_snapshot; /* RCU. */
    /* Meters whose datapath meter id differs from their OpenFlow id (ids
     * >= DPIF_METER_MAX); ofproto-meter.c. */
    uint32_t n_meters_remapped;
    /* Rule timeouts: next time ofproto_expire() has work (LLONG_MAX:
     * none), and main-loop timers of ofproto_run(). */
    long long next_stats_pull, next_port_poll;
    /* For tests and monitoring: called for each FLOW_REMOVED the switch
     * generates (whether or not a controller asked for it, 'sent' says
     * whether SEND_FLOW_REM was set).  NULL: none. */
    void (*flow_removed_hook)(const struct ofp_flow_removed *, bool sent,
                              void *aux);
    void *flow_removed_aux;

    struct mac_learning *ml;
    struct connmgr *connmgr;

    /* Changes not yet pushed to the datapath's cached flows. */
    _Atomic uint64_t dirty_seq;
    uint64_t clean_seq;
    /* Miss upcalls begun so far (upcall.c, any thread), and the count
     * ofproto_flush_changes() last waited for the PMD threads at: while
     * the two are equal, no translation is under way whose flow the
     * datapath has still to install, and a flush need not wait. */
    _Atomic uint64_t n_upcalls;
    uint64_t n_upcalls_synced;

    /* Translation state (upcall.c, revalidate.c): the packet-in queue and
     * the last statistics seen per cached flow.  Created on first use on
     * any thread, freed by ofproto_xlate_destroy(). */
    struct ofproto_xlate *_Atomic xlate;
    /* Set by connmgr while a controller that negotiated OpenFlow 1.0 is
     * connected: a table miss then becomes a packet-in (reason NO_MATCH,
     * 1.0 semantics); otherwise a miss drops (1.3+ semantics). */
    _Atomic bool miss_to_controller;

    /* Serialises writers of tables/groups/meters with translations run on
     * the main thread; never held across I/O. */
    pthread_mutex_t mutex;
};

/* Read-only copy of the ports for translation (flood/all lists, liveness
 * for fast-failover, VLAN config for NORMAL), replaced whenever ports
 * change. */
struct ofport_snapshot_port {
    uint32_t ofp_port;
    uint32_t dp_port;
    uint32_t config; /* OFPPC_*: NO_FWD, NO_RECV, PORT_DOWN. */
    bool live;
    struct ofproto_port_vlan vlan;
};
struct ofport_snapshot {
    size_t n;
    struct ofport_snapshot_port ports[]; /* By ofp_port ascending. */
};
/* The port 'ofp_port' in 's' or NULL. */
const struct ofport_snapshot_port *
ofport_snapshot_find(const struct ofport_snapshot *, uint32_t ofp_port);

/* ---- ofproto.c ---- */
void ofproto_mark_dirty(struct ofproto *);
struct ofport *ofproto_port_find(const struct ofproto *, uint32_t ofp_port);
/* OpenFlow port of datapath port 'dp_port' and back (identity except
 * LOCAL). */
uint32_t ofproto_dp_to_ofp_port(const struct ofproto *, uint32_t dp_port);
uint32_t ofproto_ofp_to_dp_port(const struct ofproto *, uint32_t ofp_port);
/* PORT_MOD: applies 'pm' (config bits NO_FWD, NO_RECV, PORT_DOWN,
 * NO_PACKET_IN under its mask).  OFPPMFC_BAD_PORT, OFPPMFC_BAD_HW_ADDR,
 * OFPPMFC_BAD_CONFIG.  The _txn variant is for bundles. */
enum ofperr ofproto_port_mod(struct ofproto *, const struct ofp_port_mod *);
enum ofperr ofproto_port_mod_txn(struct ofproto_txn *,
                                 const struct ofp_port_mod *);

/* Transactions: every change to rules, groups, meters and port config
 * made by a flow/group/meter/port mod goes through an undo log, so that a
 * bundle commit (or a single mod that fails half-way) can be rolled back
 * as a whole.  Asynchronous messages (FLOW_REMOVED, PORT_STATUS) are held
 * until commit.  Main thread, with ofproto->mutex held from the first
 * change to commit or rollback. */
struct ofproto_undo {
    /* Both free 'data'.  'commit' runs in the order of the changes,
     * 'rollback' in reverse order. */
    void (*commit)(struct ofproto *, void *data);
    void (*rollback)(struct ofproto *, void *data);
    void *data;
};
struct ofproto_txn {
    struct ofproto *ofproto;
    struct ofproto_undo *undo; /* Owned. */
    size_t n_undo, allocated;
    bool reinserts; /* Rollback puts removed objects back: it waits for
                     * a grace period first. */
};
void ofproto_txn_init(struct ofproto_txn *, struct ofproto *);
/* Records one change; 'data' (malloc'd) passes to the callbacks. */
void ofproto_txn_push(struct ofproto_txn *,
                      void (*commit)(struct ofproto *, void *),
                      void (*rollback)(struct ofproto *, void *), void *data);
/* A commit or rollback callback that only frees 'data'. */
void ofproto_txn_free_data(struct ofproto *, void *data);
/* Keeps the changes, frees what they superseded (after RCU grace
 * periods), sends the held messages, marks the switch dirty. */
void ofproto_txn_commit(struct ofproto_txn *);
/* Undoes every change in reverse order; sends nothing. */
void ofproto_txn_rollback(struct ofproto_txn *);
/* Runs 'apply' on a new transaction of 'ofproto' with ofproto->mutex
 * held, commits its changes if it returns 0 and rolls them back
 * otherwise, and returns what it returned.  'arg' (the caller's) passes
 * to 'apply', which does not keep it. */
enum ofperr ofproto_txn_run(struct ofproto *,
                            enum ofperr (*apply)(struct ofproto_txn *,
                                                 const void *arg),
                            const void *arg);

/* ---- ofproto-flow.c: tables and rules ---- */
void ofproto_tables_init(struct ofproto *);
void ofproto_tables_destroy(struct ofproto *);
/* Applies a flow mod; on success fills *n_changedp (may be NULL). */
enum ofperr ofproto_flow_mod(struct ofproto *, const struct ofp_flow_mod *);
/* The same with the semantics of OpenFlow 'version' (ofproto_flow_mod()
 * uses 1.3's): in 1.0 a replaced identical flow loses its counters and a
 * modify that matches nothing adds the flow, and table 255 in an add means
 * table 0.  The _txn variant adds its changes to 'txn' (ofproto->mutex
 * held) instead of committing them. */
enum ofperr ofproto_flow_mod_version(struct ofproto *,
                                     const struct ofp_flow_mod *,
                                     enum ofp_version);
enum ofperr ofproto_flow_mod_txn(struct ofproto_txn *,
                                 const struct ofp_flow_mod *,
                                 enum ofp_version);
/* Calls 'cb' for every group id that 'ofpacts' outputs to (nested
 * write_actions included). */
void ofproto_ofpacts_for_each_group(const struct ofpact *, size_t len,
                                    void (*cb)(uint32_t group_id, void *aux),
                                    void *aux);
/* Adds 'delta' to the reference count of every group that 'ofpacts'
 * outputs to (ofproto_group_ref()); 'ofpacts' stays the caller's. */
void ofproto_ofpacts_ref_groups(struct ofproto *, const struct ofpact *,
                                size_t len, int delta);
/* Number of rules in every table. */
size_t ofproto_count_rules(const struct ofproto *);
/* The rule in 'table_id' with exactly this match and priority, or NULL
 * (main thread). */
struct rule *ofproto_rule_find_exact(const struct ofproto *, uint8_t table_id,
                                     const struct match *, int priority);
/* Duration of 'rule' as OpenFlow reports it. */
void ofproto_rule_duration(const struct rule *, uint32_t *sec, uint32_t *nsec);
/* Removes rules whose timeouts passed, sending FLOW_REMOVED. */
void ofproto_expire(struct ofproto *);
/* Deletes every rule (and sends FLOW_REMOVED where asked). */
void ofproto_flush_flows(struct ofproto *);
/* Calls 'cb' for every rule matching the stats request, in table order. */
void ofproto_for_each_matching_rule(struct ofproto *,
                                    const struct ofp_flow_stats_request *,
                                    void (*cb)(struct rule *, void *aux),
                                    void *aux);
/* Removes rules that output to group 'group_id' (group delete). */
void ofproto_delete_rules_for_group(struct ofproto *, uint32_t group_id);
void ofproto_delete_rules_for_meter(struct ofproto *, uint32_t meter_id);
void ofproto_delete_rules_for_group_txn(struct ofproto_txn *,
                                        uint32_t group_id);
void ofproto_delete_rules_for_meter_txn(struct ofproto_txn *,
                                        uint32_t meter_id);

/* ---- ofproto-group.c ---- */
enum ofperr ofproto_group_mod(struct ofproto *, const struct ofp_group_mod *);
enum ofperr ofproto_group_mod_txn(struct ofproto_txn *,
                                  const struct ofp_group_mod *);
/* Main-thread lookup in ofproto->groups. */
struct ofgroup *ofproto_group_find(const struct ofproto *, uint32_t group_id);
/* Reference counts kept by rules and groups that point to a group. */
void ofproto_group_ref(struct ofproto *, uint32_t group_id, int delta);
void ofproto_groups_init(struct ofproto *);
/* Reader-safe lookup (RCU). */
const struct ofgroup *ofproto_group_lookup(const struct ofproto *,
                                           uint32_t group_id);
void ofproto_groups_destroy(struct ofproto *);

/* ---- ofproto-meter.c ---- */
enum ofperr ofproto_meter_mod(struct ofproto *, const struct ofp_meter_mod *);
enum ofperr ofproto_meter_mod_txn(struct ofproto_txn *,
                                  const struct ofp_meter_mod *);
/* Main-thread lookup in ofproto->meters. */
struct ofmeter *ofproto_meter_find(const struct ofproto *, uint32_t meter_id);
void ofproto_meters_init(struct ofproto *);
bool ofproto_meter_exists(const struct ofproto *, uint32_t meter_id);
void ofproto_meters_destroy(struct ofproto *);

/* ---- ofproto-bundle.c ---- */
enum ofperr ofproto_bundle_control(struct ofproto *, struct ofconn *,
                                   const struct ofp_msg *);
enum ofperr ofproto_bundle_add(struct ofproto *, struct ofconn *,
                               const struct ofp_msg *);
/* Discards the bundles of a closing connection. */
void ofproto_bundles_ofconn_closed(struct ofproto *, struct ofconn *);
/* Discards bundles idle for longer than their timeout. */
void ofproto_bundles_run(struct ofproto *);
void ofproto_bundles_init(struct ofproto *);
void ofproto_bundles_destroy(struct ofproto *);

/* ---- ofproto-handle.c: messages from connections ---- */
/* Handles every switch-level message (features, flow/group/port/table/
 * meter mods, packet-out, multipart requests, bundles) from 'ofconn';
 * replies and errors go through ofconn_send_*(). */
void ofproto_handle_msg(struct ofproto *, struct ofconn *,
                        const struct ofp_msg *);

/* ---- connmgr.c: what ofproto sends through connections ---- */
enum ofp_version ofconn_get_version(const struct ofconn *);
enum ofp_controller_role ofconn_get_role(const struct ofconn *);
/* Takes ownership of 'msg'. */
void ofconn_send(struct ofconn *, struct ofpbuf *msg);
void ofconn_send_error(struct ofconn *, const struct ofp_msg *request,
                       enum ofperr);
/* Asynchronous messages, filtered per connection by role and async
 * config, encoded per connection version. */
void connmgr_send_flow_removed(struct connmgr *,
                               const struct ofp_flow_removed *);
void connmgr_send_port_status(struct connmgr *, uint8_t reason,
                              const struct ofp_phy_port *);
/* 'pin->packet' is copied.  'controller_id' 0 = all. */
void connmgr_send_packet_in(struct connmgr *, const struct ofp_packet_in *,
                            uint16_t controller_id);
bool connmgr_has_controllers(const struct connmgr *);
struct connmgr *connmgr_create(struct ofproto *);
void connmgr_destroy(struct connmgr *);
void connmgr_run(struct connmgr *);
int connmgr_poll_fds(struct connmgr *, struct pollfd *, int max,
                     int *timeout_ms);
void connmgr_set_controllers(struct connmgr *,
                             const struct ofproto_controller *, size_t n);
/* For ofproto_get_controller_status(): calls 'cb' per controller. */
void connmgr_get_controller_status(const struct connmgr *,
                                   void (*cb)(const char *target,
                                              bool connected, const char *role,
                                              const struct smap *status,
                                              void *aux),
                                   void *aux);

/* ---- trace.c ---- */
/* Registers ofproto/trace (called by ofproto_register_commands()). */
void ofproto_trace_register_commands(void);

/* ---- xlate.c / upcall.c / revalidate.c ---- */
/* Pushes pending changes to the datapath's cached flows (see above). */
void ofproto_flush_changes(struct ofproto *);
/* Periodic: statistics from cached flows to rules/tables/groups/meters,
 * idle 'used' times, MAC aging.  Also call before answering any
 * statistics request so that counters are current. */
void ofproto_pull_stats(struct ofproto *);
/* Runs a packet-out: translates 'po' and executes it on the datapath. */
enum ofperr ofproto_packet_out(struct ofproto *,
                               const struct ofp_packet_out *);
/* Sends queued packet-ins to the connection manager. */
void ofproto_drain_packet_ins(struct ofproto *);
/* Frees the translation state (queued packet-ins, flow statistics);
 * called by ofproto_destroy() once the switch's upcall callback is
 * unregistered. */
void ofproto_xlate_destroy(struct ofproto *);

#endif /* TERN_OFPROTO_PRIVATE_H */
