/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connmgr: the OpenFlow connections of one switch.  What the rest of
 * ofproto calls (ofconn_send(), connmgr_send_packet_in(), ...) is declared
 * in ofproto-private.h; this header adds what only the connection manager,
 * fail-mode.c and their tests share.
 *
 * Kinds of connection, as in Open vSwitch:
 *   - primary: an active Controller target ("tcp:", "ssl:", "unix:"),
 *     reconnected with backoff and probed when idle.  Primary connections
 *     count for fail-mode.
 *   - service: accepted on a passive Controller target ("ptcp:", "pssl:",
 *     "punix:") or on the always-on management socket
 *     "$TERN_RUNDIR/BRIDGE.mgmt".  They receive no asynchronous message
 *     (packet-in, flow removed, port status, role status) until they set a
 *     nonzero miss_send_len with SET_CONFIG, which is what "ovs-ofctl
 *     monitor BRIDGE MISS_LEN" does.
 *
 * Every connection starts with role EQUAL (reported as "other"), the
 * asynchronous configuration that the spec gives as default for its
 * version, and miss_send_len 128 (primary) or 0 (service).
 *
 * Main thread only.
 */
#ifndef TERN_CONNMGR_H
#define TERN_CONNMGR_H 1

#include "lib/vconn.h"
#include "ofproto/ofproto-private.h"

/* miss_send_len of a new primary connection (OpenFlow's default). */
#define CONNMGR_DEFAULT_MISS_SEND_LEN 128
/* Messages handled per connection per connmgr_run() call. */
#define CONNMGR_MSGS_PER_RUN 64
/* Packet-ins are dropped (not queued) for a connection with more than this
 * many messages waiting to be sent. */
#define CONNMGR_PIN_BACKLOG (VCONN_MAX_BACKLOG_MSGS / 2)

/* Reports each Controller target: whether it has a connection, the role of
 * that connection ("master", "slave" or "other") and a status map
 * ("state", "last_error", "sec_since_connect", "sec_since_disconnect",
 * "bound_port" for a passive target).  'status' is valid during the call
 * only. */
void connmgr_get_controller_status(const struct connmgr *,
                                   void (*cb)(const char *target,
                                              bool connected, const char *role,
                                              const struct smap *status,
                                              void *aux),
                                   void *aux);
/* Path of the management socket (owned by the connmgr). */
const char *connmgr_get_mgmt_path(const struct connmgr *);
/* Number of connections open now (primary and service). */
size_t connmgr_count_connections(const struct connmgr *);
/* The datapath-side reason a packet-in was not delivered, for monitoring:
 * packet-ins dropped because the connection's backlog was full, summed
 * over connections. */
unsigned long long connmgr_get_pin_backlog_drops(const struct connmgr *);

/* ---- fail-mode.c ---- */

/* What fail-mode needs to know about the connections. */
struct fail_mode_input {
    size_t n_controllers;      /* Controller rows, of any kind. */
    size_t n_primary;          /* Active targets among them. */
    bool primary_connected;    /* One of those is connected now. */
    long long disconnected_at; /* time_msec() since when none is. */
    int probe_ms;              /* Largest probe interval of those. */
};
struct fail_mode {
    bool normal_rule; /* The standalone NORMAL rule is installed. */
    bool started;     /* First run done. */
};
/* Standalone without controllers: a table-0 rule "priority=0,
 * actions=NORMAL" (added when that state begins, deleted when it ends).
 * Standalone with active controllers none of which has been connected for
 * three probe intervals: ofproto->fail_open until one connects.  Secure:
 * neither.  Returns the time_msec() at which the state may change by
 * itself (LLONG_MAX: none). */
long long fail_mode_run(struct fail_mode *, struct ofproto *,
                        const struct fail_mode_input *);

#endif /* TERN_CONNMGR_H */
