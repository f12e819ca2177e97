/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nl-link: kernel network interfaces over rtnetlink, through libnl-route-3.
 *
 * Two halves:
 *   - queries and changes of one interface by name (index, MAC, MTU,
 *     administrative and operational state), each a short synchronous
 *     rtnetlink exchange;
 *   - a link monitor: one NETLINK_ROUTE socket subscribed to RTNLGRP_LINK
 *     whose notifications are read without blocking by nl_link_monitor_run()
 *     and handed to the watchers registered for that interface name.  The
 *     netdev providers of kernel interfaces (system, afxdp, internal) use it
 *     to follow link state, MTU and MAC changes made outside Tern.
 *
 * Errors are 0 or a positive errno (ENODEV for an interface that does not
 * exist).  Main thread only: none of these functions may be called from a
 * PMD thread.
 */
#ifndef TERN_NL_LINK_H
#define TERN_NL_LINK_H 1

#include <net/if.h>
#include <stdbool.h>

#include "lib/packets.h"

/* What Tern follows of a kernel interface. */
struct nl_link_info {
    int ifindex;
    char name[IFNAMSIZ];
    struct eth_addr mac;
    int mtu;
    bool admin_up; /* IFF_UP. */
    bool carrier;  /* Operational state up (IFF_RUNNING / IFF_LOWER_UP). */
};

/* Reads the current state of interface 'name' into '*info'. */
int nl_link_get(const char *name, struct nl_link_info *info);

/* Changes one property of interface 'name'. */
int nl_link_set_mtu(const char *name, int mtu);
int nl_link_set_mac(const char *name, const struct eth_addr *mac);
int nl_link_set_admin_up(const char *name, bool up);

/* Called with the new state of a watched interface, from
 * nl_link_monitor_run().  'info' is valid during the call only.  'deleted'
 * is true when the interface went away (then only info->name and
 * info->ifindex are meaningful). */
typedef void nl_link_cb(const struct nl_link_info *info, bool deleted,
                        void *aux);

struct nl_link_watch;

/* Calls 'cb' with 'aux' for every change of interface 'name' from now on.
 * Opens the monitor socket on first use.  Returns NULL (and logs) when the
 * monitor cannot be opened. */
struct nl_link_watch *nl_link_watch_create(const char *name, nl_link_cb *cb,
                                           void *aux);
/* Stops and frees 'watch' (NULL allowed).  Safe from inside its own
 * callback. */
void nl_link_watch_destroy(struct nl_link_watch *watch);

/* Reads every pending notification and dispatches it.  Never blocks.  Call
 * from the main loop (netdev_run() does). */
void nl_link_monitor_run(void);

/* File descriptor of the monitor socket, to poll on, or -1 when no watch
 * exists. */
int nl_link_monitor_fd(void);

#endif /* TERN_NL_LINK_H */
