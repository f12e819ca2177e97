/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpctl: the dpctl/ unixctl commands of tern-vswitchd, which create and
 * inspect datapaths, their ports and their cached flows with the syntax and
 * output formats of Open vSwitch's "ovs-appctl dpctl/..." commands:
 *
 *   dpctl/add-dp DP [IFACE...]          dpctl/del-dp DP
 *   dpctl/add-if DP IFACE...            dpctl/set-if DP IFACE...
 *   dpctl/del-if DP IFACE...            dpctl/dump-dps
 *   dpctl/show [-s] [DP...]
 *   dpctl/add-flow [DP] FLOW ACTIONS
 *   dpctl/mod-flow [--clear] [--may-create] [-s] [DP] FLOW ACTIONS
 *   dpctl/del-flow [-s] [DP] FLOW       dpctl/del-flows [DP]
 *   dpctl/dump-flows [-m] [DP]          dpctl/get-flow [DP] FLOW|ufid:UFID
 *   dpctl/set-config DP KEY=VALUE...    (Tern extension)
 *
 * DP is "NAME" or "netdev@NAME"; where it is optional and omitted, the only
 * datapath is used (an error if there are none or several).  IFACE is
 * "NAME[,type=TYPE][,port_no=N][,KEY=VALUE...]": keys other than type and
 * port_no are netdev options.  A value may be put in double quotes to
 * protect the commas inside it:
 *     p0,type=dpdk,dpdk-devargs="net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap"
 * FLOW and ACTIONS use odp-util's syntax (ovs-dpctl's).
 *
 * dpctl keeps, beside the datapaths themselves, the options each port was
 * given and the configuration each datapath was given, because set-if and
 * set-config change them incrementally ("KEY=" removes a key).
 *
 * Until the configuration database exists, these commands are how
 * tern-vswitchd is configured.  Main thread only.
 */
#ifndef TERN_DPCTL_H
#define TERN_DPCTL_H 1

#include "datapath/dpif.h"

/* Registers every dpctl/ command.  Idempotent. */
void dpctl_register_commands(void);

/* Sets the upcall callback (and its 'aux') that dpctl/add-dp registers on
 * each datapath it creates.  NULL: the datapath's default (count and drop).
 * Call before the first datapath is created. */
void dpctl_set_upcall_cb(dpif_upcall_cb *cb, void *aux);

/* Destroys every datapath (stopping its threads and closing its ports) and
 * frees dpctl's records.  For daemon shutdown. */
void dpctl_destroy_all(void);

#endif /* TERN_DPCTL_H */
