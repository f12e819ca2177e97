/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto: the OpenFlow switch of one bridge.  It owns the flow tables,
 * groups and meters, MAC learning for NORMAL, the translation of packets
 * through the tables into datapath flows (upcalls), and the connections
 * to controllers (connmgr).  The bridge layer creates one per Bridge row
 * and feeds it configuration; ports are the datapath's ports (OpenFlow
 * port number == datapath port number; the bridge's LOCAL port is
 * OFPP_LOCAL).
 *
 * Threads.  Everything here is main-thread, except ofproto_upcall(), which
 * the datapath calls on PMD threads (see ofproto-private.h for what it may
 * touch).
 */
#ifndef TERN_OFPROTO_H
#define TERN_OFPROTO_H 1

#include <poll.h>

#include "datapath/dpif.h"
#include "lib/smap.h"

struct ofproto;

/* Creates the switch for bridge 'name' over 'dpif' (not owned) and
 * registers its upcall callback on it, and its management socket
 * '$TERN_RUNDIR/NAME.mgmt'.  Returns 0 or an errno. */
int ofproto_create(const char *name, struct dpif *dpif,
                   struct ofproto **ofprotop);
void ofproto_destroy(struct ofproto *);
struct ofproto *ofproto_lookup(const char *name);
const char *ofproto_name(const struct ofproto *);

/* Configuration from the database. */
void ofproto_set_datapath_id(struct ofproto *, uint64_t dpid);
uint64_t ofproto_get_datapath_id(const struct ofproto *);
/* Bitmap of allowed versions (Bridge.protocols; 0 = 1.0, 1.3, 1.4, 1.5
 * as Open vSwitch's default of 1.0-1.5). */
void ofproto_set_protocols(struct ofproto *, uint32_t bitmap);
enum ofproto_fail_mode {
    OFPROTO_FAIL_STANDALONE, /* Default. */
    OFPROTO_FAIL_SECURE,
};
void ofproto_set_fail_mode(struct ofproto *, enum ofproto_fail_mode);
/* Bridge other_config: mac-aging-time, mac-table-size. */
void ofproto_set_other_config(struct ofproto *, const struct smap *);
/* Ports changed in the datapath (added, removed, renamed, link state):
 * the switch rereads them and sends PORT_STATUS. */
void ofproto_ports_changed(struct ofproto *);
/* Per-port VLAN configuration for NORMAL (Port tag/trunks/vlan_mode).
 * 'tag' -1: none; 'trunks' NULL/0: all VLANs. */
enum ofproto_vlan_mode {
    OFPROTO_VLAN_TRUNK,
    OFPROTO_VLAN_ACCESS,
    OFPROTO_VLAN_NATIVE_TAGGED,
    OFPROTO_VLAN_NATIVE_UNTAGGED,
};
struct ofproto_port_vlan {
    enum ofproto_vlan_mode mode;
    int tag;
    const uint16_t *trunks;
    size_t n_trunks;
};
void ofproto_set_port_vlan(struct ofproto *, uint32_t ofp_port,
                           const struct ofproto_port_vlan *);

/* Controllers (Controller rows). */
struct ofproto_controller {
    const char *target;    /* "tcp:IP:PORT", "ssl:..", "unix:..",
                            * "ptcp:..", "pssl:..", "punix:..". */
    int max_backoff_ms;    /* 0: default 8000. */
    int probe_interval_ms; /* 0: default 5000; <0 disables. */
    int rate_limit;        /* Packet-ins per second, 0: none. */
    int burst_limit;       /* 0: rate_limit / 4, at least 1. */
    bool out_of_band;      /* connection_mode. */
};
void ofproto_set_controllers(struct ofproto *,
                             const struct ofproto_controller *, size_t n);
/* Writes each controller's status (is_connected, role, status smap) for
 * the bridge layer to write back.  Calls 'cb' per controller target. */
void ofproto_get_controller_status(const struct ofproto *,
                                   void (*cb)(const char *target,
                                              bool connected, const char *role,
                                              const struct smap *status,
                                              void *aux),
                                   void *aux);

/* Main loop. */
void ofproto_run(struct ofproto *);
int ofproto_poll_fds(struct ofproto *, struct pollfd *, int max,
                     int *timeout_ms);
/* Runs every switch (and the shared unixctl commands' registration). */
void ofproto_run_all(void);
int ofproto_poll_fds_all(struct pollfd *, int max, int *timeout_ms);
/* Registers ofproto/trace, fdb/show, fdb/flush, fdb/stats-show,
 * ofproto/list.  Idempotent. */
void ofproto_register_commands(void);

/* The datapath upcall callback (aux = the ofproto).  PMD threads. */
int ofproto_upcall(const struct dpif_upcall *, struct dp_actions_buf *,
                   struct flow_wildcards *, void *aux);

#endif /* TERN_OFPROTO_H */
