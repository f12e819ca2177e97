/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge-private: what bridge.c (bridges, datapaths, the Open_vSwitch row)
 * and iface.c (ports and interfaces) share, and the pure helpers the unit
 * test calls directly.
 *
 * Every Interface row referenced by a reconciled bridge has a
 * 'struct bridge_iface' record: in the datapath (in_dp; the bridge's own
 * internal interface is datapath port 0, OpenFlow LOCAL), or failed (ofport
 * -1 and an error).
 */
#ifndef TERN_BRIDGE_PRIVATE_H
#define TERN_BRIDGE_PRIVATE_H 1

#include <jansson.h>

#include "datapath/dpif.h"
#include "lib/packets.h"
#include "lib/smap.h"
#include "vswitchd/idl.h"

/* OpenFlow's LOCAL port number, reported for a bridge's own internal
 * interface. */
#define BRIDGE_OFPP_LOCAL 65534

struct bridge_iface {
    char *uuid; /* Interface row. */
    char *name;
    char *type;           /* Netdev type ("system" for ""). */
    struct smap options;  /* Netdev options applied. */
    long long request;    /* ofport_request applied, 0 if none. */
    uint32_t port_no;     /* Datapath port, or DPIF_PORT_ANY. */
    bool in_dp;           /* Has a datapath port 'port_no'. */
    long long ofport;     /* What Interface.ofport reports. */
    char *open_error;     /* Why it is not in the datapath, or NULL. */
    char *unsupported;    /* Unimplemented settings in use, or NULL. */
    long long failed_cfg; /* next_cfg when opening failed (it is retried
                           * once next_cfg changes), -1 otherwise. */
    json_t *stats;        /* Statistics last written, or NULL. */
};

struct ofproto;

struct bridge {
    char *uuid; /* Bridge row. */
    char *name;
    struct dpif *dpif;
    struct ofproto *ofproto; /* The bridge's OpenFlow switch, or NULL if it
                              * could not be created. */
    struct smap dp_cfg;      /* Datapath settings applied. */
    struct eth_addr mac;
    struct bridge_iface **ifaces;
    size_t n_ifaces, allocated_ifaces;
    bool seen; /* Mark for the reconciliation sweep. */
};

/* What the database asks for one interface. */
struct iface_cfg {
    const char *uuid; /* Borrowed from the replica. */
    const char *name;
    const char *type;    /* "system" for "". */
    struct smap options; /* Owned. */
    long long request;   /* ofport_request, 0 if none. */
    long long hint;      /* Current Interface.ofport, 0 if none. */
    char *unsupported;   /* Unimplemented settings that affect
                          * forwarding (owned), or NULL. */
};

/* ---- iface.c ---- */

/* Removes the interfaces of 'br' that 'cfgs' no longer asks for, or asks
 * for differently than a port can be changed in place (name, type,
 * ofport_request), and those that failed and should be retried. */
void iface_remove_stale(struct bridge *br, const struct iface_cfg *cfgs,
                        size_t n, long long next_cfg);
/* Adds and updates the interfaces of 'br' to match 'cfgs'. */
void iface_apply(struct bridge *br, struct iface_cfg *cfgs, size_t n,
                 long long next_cfg);
/* Removes every interface of 'br' from its datapath and frees them. */
void iface_remove_all(struct bridge *br);
/* Appends to 'ops' an "update" of each Interface row of 'br' whose
 * written columns differ from what they should be (statistics too if
 * 'stats'). */
void iface_write_status(const struct idl *, const struct bridge *br,
                        bool stats, json_t *ops);
void iface_forget_stats(struct bridge *br);
void iface_cfg_destroy(struct iface_cfg *);

/* Chooses a datapath port number for an interface: 'request' if valid and
 * free, else 'hint' if free and not requested by another interface, else
 * the lowest free number from 1 not requested.  'used' and 'requested'
 * have DPIF_MAX_PORTS entries.  Returns the number, or DPIF_PORT_ANY if
 * none is free. */
uint32_t iface_pick_port_no(const bool *used, const bool *requested,
                            long long request, long long hint);

/* ---- bridge.c helpers. ---- */

/* Fills 'dp_cfg' with the datapath settings among Open_vSwitch
 * 'other_config'. */
void bridge_dp_config(const struct smap *other_config, struct smap *dp_cfg);
/* Builds EAL arguments from the dpdk-* keys of 'other_config' followed by
 * 'extra' (may be NULL).  Returns a string the caller frees. */
char *bridge_dpdk_args_from_config(const struct smap *other_config,
                                   const char *extra);
/* The number of packets of the default packet pool that
 * other_config:dpdk-mbufs asks for (a decimal count, 1024 to 16777216),
 * or 0 if it is absent or invalid (built-in default). */
unsigned bridge_dpdk_mbufs_from_config(const struct smap *other_config);
/* The bridge's MAC: other_config:hwaddr if valid, else derived from its
 * name (stable across restarts, locally administered). */
void bridge_pick_mac(const char *name, const struct smap *other_config,
                     struct eth_addr *mac);
/* Writes the 16-hex-digit datapath ID into 'buf' (17 bytes):
 * other_config:datapath-id if valid, else from 'mac'. */
void bridge_datapath_id(const struct smap *other_config,
                        const struct eth_addr *mac, char buf[17]);
/* Logs once per row and column that a setting Tern does not implement is
 * set (and again if it is cleared and set again).  Returns true if the
 * column is set. */
bool bridge_report_unimplemented(const char *table, const char *uuid,
                                 const json_t *row, const char *column);

#endif /* TERN_BRIDGE_PRIVATE_H */
