/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge: tern-vswitchd's configuration layer.  It is an OVSDB client of
 * the database given on the command line (Open vSwitch's schema, database
 * "Open_vSwitch") that reconciles the Bridge, Port and Interface rows onto
 * datapaths and netdevs, and writes their state back:
 *
 *   Bridge row      -> one datapath named like the bridge (every bridge is
 *                      a "netdev" datapath, whatever its datapath_type)
 *   Interface rows  -> netdevs ("", "system", "dummy", "dpdk") added as
 *                      datapath ports; OpenFlow port numbers equal
 *                      datapath port numbers
 *   Open_vSwitch    -> datapath settings (other_config: pmd-cpu-mask,
 *                      max-idle, flow-limit, emc-insert-inv-prob) and, once
 *                      at start-up, DPDK's EAL arguments (dpdk-extra,
 *                      dpdk-socket-mem, dpdk-lcore-mask, ...) and the
 *                      packet pool's size (dpdk-mbufs)
 *
 * and back: Interface ofport, error, link_state, admin_state, mtu,
 * mac_in_use, status and statistics (every 5 s); Bridge datapath_id;
 * Open_vSwitch cur_cfg (= next_cfg once a change is in the datapath),
 * ovs_version, db_version, iface_types, datapath_types, dpdk_initialized,
 * dpdk_version.
 *
 * Start-up order: bridge_init() connects; the daemon runs bridge_run()
 * until bridge_db_ready(), starts DPDK with bridge_dpdk_args(), then calls
 * bridge_start(), after which bridge_run() reconciles.
 *
 * Main thread only.
 */
#ifndef TERN_BRIDGE_H
#define TERN_BRIDGE_H 1

#include <poll.h>

#include "datapath/dpif.h"

/* Starts connecting to the database at 'remote' (e.g.
 * "unix:/var/run/tern/db.sock"). */
void bridge_init(const char *remote);
/* True once the database contents have been received. */
bool bridge_db_ready(void);
/* The EAL arguments that Open_vSwitch:other_config asks for, followed by
 * 'cmdline_extra' (may be NULL), as one string the caller frees. */
char *bridge_dpdk_args(const char *cmdline_extra);
/* Allows reconciliation: DPDK and the netdev providers are initialised.
 * Datapaths get 'cb' (and 'aux') as their upcall callback. */
void bridge_start(dpif_upcall_cb *cb, void *aux);
/* True once the first configuration has been applied to the datapath. */
bool bridge_configured(void);

/* Does the database I/O and, after bridge_start(), reconciles changes and
 * writes status. */
void bridge_run(void);
/* Fills up to 'max' poll entries and lowers *timeout_ms as needed; returns
 * the number of entries used. */
int bridge_poll_fds(struct pollfd *pfds, int max, int *timeout_ms);
/* Destroys the bridges' datapaths and closes the database connection. */
void bridge_exit(void);

#endif /* TERN_BRIDGE_H */
