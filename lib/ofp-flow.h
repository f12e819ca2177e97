/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flow: flow messages — FLOW_MOD, FLOW_REMOVED, flow and aggregate
 * statistics — for OpenFlow 1.0 (fixed match) and 1.3-1.5 (OXM match,
 * instructions), and their ovs-ofctl text ("add-flow" syntax and the
 * dump-flows line).
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_FLOW_H
#define TERN_OFP_FLOW_H 1

#include "lib/ofp-actions.h"
#include "lib/ofp-match.h"
#include "lib/ofp-msgs.h"

enum ofp_flow_mod_command {
    OFPFC_ADD = 0,
    OFPFC_MODIFY = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE = 3,
    OFPFC_DELETE_STRICT = 4,
};

/* Flow flags, version-independent (the wire bits differ: 1.0 has
 * EMERG at bit 2; ofp-flow.c converts). */
enum ofp_flow_flags {
    OFPFF_SEND_FLOW_REM = 1 << 0,
    OFPFF_CHECK_OVERLAP = 1 << 1,
    OFPFF_RESET_COUNTS = 1 << 2,
    OFPFF_NO_PKT_COUNTS = 1 << 3,
    OFPFF_NO_BYT_COUNTS = 1 << 4,
    OFPFF_EMERG = 1 << 5, /* 1.0 only; rejected (OFPFMFC_BAD_FLAGS). */
};

#define OFPTT_ALL 0xff
#define OFPTT_MAX 0xfe

/* The 40 wire bytes of a decoded OpenFlow 1.0 match.  1.0 senders leave
 * values under wildcards and wildcard bits of fields that do not apply,
 * which 'struct match' does not hold; encoders write these bytes back
 * when they still decode to the match being encoded, so that a message
 * re-encodes byte for byte.  'valid' is false in anything not decoded
 * from 1.0. */
struct ofp10_match_raw {
    bool valid;
    uint8_t bytes[OFP10_MATCH_LEN];
};

struct ofp_flow_mod {
    struct match match;
    struct ofp10_match_raw raw10;
    int priority; /* 0-65535. */
    uint64_t cookie;
    uint64_t cookie_mask; /* For modify/delete filtering. */
    uint64_t new_cookie;  /* Cookie to set; UINT64_MAX: leave as is. */
    uint8_t table_id;     /* OFPTT_ALL allowed for delete. */
    enum ofp_flow_mod_command command;
    uint16_t idle_timeout, hard_timeout;
    uint16_t importance;
    uint32_t buffer_id;
    uint32_t out_port;      /* OFPP_ANY: no filter. */
    uint32_t out_group;     /* OFPG_ANY: no filter. */
    uint32_t flags;         /* enum ofp_flow_flags. */
    struct ofpact *ofpacts; /* Points into the caller's ofpbuf. */
    size_t ofpacts_len;
};

/* Decodes a FLOW_MOD (also OFPTYPE_NXT_FLOW_MOD: returns
 * OFPBRC_BAD_TYPE as Tern does not accept NXM flow mods).  Actions are
 * appended to 'ofpacts' and fm->ofpacts points into it. */
enum ofperr ofp_flow_mod_decode(const struct ofp_msg *, struct ofp_flow_mod *,
                                struct ofpbuf *ofpacts);
struct ofpbuf *ofp_flow_mod_encode(const struct ofp_flow_mod *,
                                   enum ofp_version, uint32_t xid);

/* Flow and aggregate statistics requests. */
struct ofp_flow_stats_request {
    bool aggregate;
    bool nx; /* NXST_FLOW / NXST_AGGREGATE (1.0 with an NXM match). */
    struct match match;
    struct ofp10_match_raw raw10;
    /* 1.5: what follows the match (Open vSwitch's OXS block in aggregate
     * requests), ignored but re-encoded; points into the message. */
    const uint8_t *trailer;
    size_t trailer_len;
    uint8_t table_id;
    uint32_t out_port, out_group;
    uint64_t cookie, cookie_mask;
};
enum ofperr ofp_flow_stats_request_decode(const struct ofp_msg *,
                                          struct ofp_flow_stats_request *);
struct ofpbuf *
ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *,
                              enum ofp_version, uint32_t xid);

struct ofp_flow_stats {
    struct match match;
    struct ofp10_match_raw raw10;
    uint8_t table_id;
    uint32_t duration_sec, duration_nsec;
    int priority;
    uint16_t idle_timeout, hard_timeout;
    /* Seconds since the last packet / the last modification, for
     * ovs-ofctl output only; UINT16_MAX: unknown (not printed).  Only 1.5
     * carries idle_age on the wire (OXS idle_time), and its encoder omits
     * it when unknown; decoders of other versions report both unknown. */
    uint16_t idle_age, hard_age;
    uint32_t flags;
    uint16_t importance;
    uint64_t cookie;
    uint64_t packet_count, byte_count; /* UINT64_MAX: unavailable. */
    const struct ofpact *ofpacts;
    size_t ofpacts_len;
};
/* Appends one entry to a flow stats reply being built. */
void ofp_flow_stats_append(const struct ofp_flow_stats *,
                           struct ofp_mp_reply *);
/* Decodes the next entry of a reply body ('r' over msg->body); returns 0,
 * EOF when the body is exhausted, or an error.  Actions go to 'ofpacts'
 * (cleared first). */
int ofp_flow_stats_decode_next(struct ofp_reader *r, enum ofp_version,
                               struct ofp_flow_stats *,
                               struct ofpbuf *ofpacts);

struct ofp_aggregate_stats {
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};
struct ofpbuf *
ofp_aggregate_stats_reply_encode(const struct ofp_aggregate_stats *,
                                 const struct ofp_msg *request);
enum ofperr ofp_aggregate_stats_reply_decode(const struct ofp_msg *,
                                             struct ofp_aggregate_stats *);

enum ofp_flow_removed_reason {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE = 2,
    OFPRR_GROUP_DELETE = 3,
    OFPRR_METER_DELETE = 4,
    OFPRR_EVICTION = 5,
};
struct ofp_flow_removed {
    struct match match;
    struct ofp10_match_raw raw10;
    uint64_t cookie;
    int priority;
    uint8_t reason;
    uint8_t table_id;
    uint32_t duration_sec, duration_nsec;
    uint16_t idle_timeout, hard_timeout;
    uint64_t packet_count, byte_count;
    uint32_t idle_age; /* 1.5 only (OXS idle_time): seconds idle. */
};
struct ofpbuf *ofp_flow_removed_encode(const struct ofp_flow_removed *,
                                       enum ofp_version, uint32_t xid);
enum ofperr ofp_flow_removed_decode(const struct ofp_msg *,
                                    struct ofp_flow_removed *);

/* Flow monitors (OpenFlow 1.4+ OFPMP_FLOW_MONITOR).  Request entries:
 * what to watch; reply entries: flow updates. */
enum ofp_flow_monitor_command {
    OFPFMC_ADD = 0,
    OFPFMC_MODIFY = 1,
    OFPFMC_DELETE = 2,
};
/* Request flags (OFPFMF_*), in wire bit order. */
#define OFPFMF_INITIAL      (1u << 0)
#define OFPFMF_ADD          (1u << 1)
#define OFPFMF_REMOVED      (1u << 2)
#define OFPFMF_MODIFY       (1u << 3)
#define OFPFMF_INSTRUCTIONS (1u << 4)
#define OFPFMF_NO_ABBREV    (1u << 5)
#define OFPFMF_ONLY_OWN     (1u << 6)
struct ofp_flow_monitor_request {
    uint32_t id;
    uint32_t out_port;  /* OFPP_ANY: any. */
    uint32_t out_group; /* OFPG_ANY: any. */
    uint16_t flags;     /* OFPFMF_*. */
    uint8_t table_id;   /* 0xff: all tables. */
    uint8_t command;    /* enum ofp_flow_monitor_command. */
    struct match match;
    /* ONF 1.3: the match length field as sent (Open vSwitch ignores it);
     * 0 when encoding writes the real length. */
    uint16_t onf_match_len;
};
/* The three wire layouts of flow monitoring, decoded into the same
 * structures:
 *   OFP_MONITOR_OF14:  OpenFlow 1.4+ OFPMP_FLOW_MONITOR.
 *   OFP_MONITOR_NX:    Nicira's NXST_FLOW_MONITOR (any version): request
 *     id(32) flags(16) out_port(16) match_len(16) table_id(8) pad(40),
 *     NXM match padded to 8; update length(16) event(16) reason(16)
 *     priority(16) idle(16) hard(16) match_len(16) table_id(8) pad(8)
 *     cookie(64), NXM match padded, 1.0 actions; abbreviated length(16)
 *     event(16) xid(32).  Events ADDED=0 DELETED=1 MODIFIED=2 ABBREV=3,
 *     flags NXFMF_* (own is bit 5).
 *   OFP_MONITOR_ONF13: ONF's extension 1870 for 1.3: Nicira's layout with
 *     a 32-bit out_port after match_len and pad(24) in requests, an
 *     ofp_match (OXM) for the NXM and 1.3 actions.
 * Flags and events are kept as OFPFMF_* / OFPFME_*. */
enum ofp_monitor_layout {
    OFP_MONITOR_OF14,
    OFP_MONITOR_NX,
    OFP_MONITOR_ONF13,
};
enum ofp_monitor_layout ofp_monitor_layout(const struct ofp_msg *);

/* Decodes the next request entry of a flow monitor request body; returns
 * 0, EOF or an error (OFPBRC_BAD_LEN, match errors). */
int ofp_flow_monitor_request_decode_next(struct ofp_reader *,
                                         enum ofp_monitor_layout,
                                         struct ofp_flow_monitor_request *);
/* Appends one request entry to the body in 'b'. */
void ofp_flow_monitor_request_put(const struct ofp_flow_monitor_request *,
                                  enum ofp_monitor_layout, enum ofp_version,
                                  struct ofpbuf *b);

enum ofp_flow_update_event {
    OFPFME_INITIAL = 0,
    OFPFME_ADDED = 1,
    OFPFME_REMOVED = 2,
    OFPFME_MODIFIED = 3,
    OFPFME_ABBREV = 4,
    OFPFME_PAUSED = 5,
    OFPFME_RESUMED = 6,
};
struct ofp_flow_update {
    uint16_t event; /* enum ofp_flow_update_event. */
    /* INITIAL, ADDED, REMOVED, MODIFIED: */
    uint8_t table_id;
    uint8_t reason; /* REMOVED: OFPRR_*. */
    uint16_t idle_timeout, hard_timeout, priority;
    uint64_t cookie;
    struct match match;
    const struct ofpact *ofpacts; /* Not owned. */
    size_t ofpacts_len;
    /* ABBREV: */
    uint32_t xid;
};
/* Decodes the next flow update of a FLOW_MONITOR reply body; actions go to
 * 'ofpacts' (caller's, cleared first), which fu->ofpacts points into.
 * Returns 0, EOF or an error (OFPBRC_BAD_LEN, OFPMOFC_BAD_... match and
 * instruction errors). */
int ofp_flow_update_decode_next(struct ofp_reader *, enum ofp_monitor_layout,
                                enum ofp_version, struct ofp_flow_update *,
                                struct ofpbuf *ofpacts);
void ofp_flow_update_append(const struct ofp_flow_update *,
                            enum ofp_monitor_layout, struct ofp_mp_reply *);

/* Text.  Parses one flow in ovs-ofctl syntax for 'command' (add-flow:
 * "table=1,priority=5,ip,nw_dst=10.0.0.1,actions=output:2"; del-flows:
 * match only, "actions" not allowed).  Fills 'fm' with actions in
 * 'ofpacts'.  Returns NULL or an error message (caller frees). */
char *ofp_flow_mod_parse(const char *s, enum ofp_flow_mod_command,
                         const struct ofp_port_names *, struct ofp_flow_mod *,
                         struct ofpbuf *ofpacts);
/* Appends a dump-flows line as ovs-ofctl prints it (" cookie=0x0,
 * duration=1.234s, table=0, n_packets=0, n_bytes=0, priority=5,ip
 * actions=output:2"); 'no_stats' drops cookie/duration/counters/ages as
 * --no-stats does. */
void ofp_flow_stats_format(const struct ofp_flow_stats *,
                           const struct ofp_port_names *, bool no_stats,
                           struct ds *);

#endif /* TERN_OFP_FLOW_H */
