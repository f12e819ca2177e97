/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nl-link: kernel network interfaces over rtnetlink, through libnl-route-3
 * (see nl-link.h for the contract).
 *
 * Queries and changes share one synchronous NETLINK_ROUTE socket, opened
 * on first use in the network namespace of the calling thread and kept for
 * the life of the process.  Changes go through rtnl_link_change(), which
 * waits for the kernel's acknowledgement, so a successful return means the
 * kernel applied the change.
 *
 * The monitor is a second socket, subscribed to RTNLGRP_LINK, non-blocking,
 * with sequence checks off (notifications carry no sequence of ours).  It
 * exists while at least one watch does.  nl_link_monitor_run() drains it
 * and calls, for every RTM_NEWLINK or RTM_DELLINK whose interface name a
 * watch follows, that watch's callback.  When the kernel reports that
 * notifications were lost (the socket buffer overran), every watched
 * interface is queried afresh and its watchers are told the current state,
 * so a watcher never misses the last state of its interface.
 *
 * libnl's negative -NLE_* codes are converted to positive errno values here
 * and nowhere else.
 */
#include <config.h>

#include "lib/nl-link.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(nl_link);

struct nl_link_watch {
    struct nl_link_watch *next;
    char name[IFNAMSIZ];
    nl_link_cb *cb;
    void *aux;
    bool dead; /* Destroyed during a dispatch; freed after it. */
};

/* Synchronous socket for queries and changes, NULL until first use. */
static struct nl_sock *query_sock;

/* The monitor: its socket (NULL while there is no watch), the watches, and
 * whether a dispatch is running (watches destroyed meanwhile are only
 * marked dead). */
static struct nl_sock *monitor_sock;
static struct nl_link_watch *watches;
static int dispatch_depth;
static bool monitor_resync; /* Lost notifications: query every watch. */

/* Converts a libnl error (negative NLE_*) to a positive errno. */
static int
nl_link_errno__(int nl_error)
{
    switch (nl_error < 0 ? -nl_error : nl_error) {
    case NLE_SUCCESS:
        return 0;
    case NLE_INTR:
        return EINTR;
    case NLE_AGAIN:
        return EAGAIN;
    case NLE_NOMEM:
        return ENOMEM;
    case NLE_EXIST:
        return EEXIST;
    case NLE_INVAL:
    case NLE_MISSING_ATTR:
    case NLE_ATTRSIZE:
        return EINVAL;
    case NLE_RANGE:
        return ERANGE;
    case NLE_MSGSIZE:
    case NLE_MSG_OVERFLOW:
        return EMSGSIZE;
    case NLE_OPNOTSUPP:
    case NLE_MSGTYPE_NOSUPPORT:
        return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT:
        return EAFNOSUPPORT;
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV:
        return ENODEV;
    case NLE_BUSY:
        return EBUSY;
    case NLE_NOACCESS:
        return EACCES;
    case NLE_PERM:
        return EPERM;
    case NLE_BAD_SOCK:
        return EBADF;
    default:
        return EIO;
    }
}

/* Returns the query socket, connecting it on first use, or NULL with
 * '*errorp' set. */
static struct nl_sock *
nl_link_query_sock__(int *errorp)
{
    if (query_sock) {
        return query_sock;
    }
    struct nl_sock *sk = nl_socket_alloc();
    if (!sk) {
        *errorp = ENOMEM;
        return NULL;
    }
    int error = nl_connect(sk, NETLINK_ROUTE);
    if (error < 0) {
        *errorp = nl_link_errno__(error);
        VLOG_ERR("cannot open rtnetlink socket: %s", nl_geterror(error));
        nl_socket_free(sk);
        return NULL;
    }
    query_sock = sk;
    return sk;
}

/* Fills '*info' from 'link' (not owned). */
static void
nl_link_info_from__(struct rtnl_link *link, struct nl_link_info *info)
{
    memset(info, 0, sizeof *info);
    info->ifindex = rtnl_link_get_ifindex(link);
    const char *name = rtnl_link_get_name(link);
    if (name) {
        snprintf(info->name, sizeof info->name, "%s", name);
    }
    struct nl_addr *addr = rtnl_link_get_addr(link);
    if (addr && nl_addr_get_len(addr) == ETH_ADDR_LEN) {
        memcpy(info->mac.ea, nl_addr_get_binary_addr(addr), ETH_ADDR_LEN);
    }
    info->mtu = (int)rtnl_link_get_mtu(link);
    unsigned int flags = rtnl_link_get_flags(link);
    info->admin_up = (flags & IFF_UP) != 0;
    info->carrier = info->admin_up && (flags & IFF_RUNNING) != 0;
}

/* Looks up 'name' in the kernel.  On success stores a new link the caller
 * must rtnl_link_put() in '*linkp'. */
static int
nl_link_lookup__(const char *name, struct rtnl_link **linkp)
{
    *linkp = NULL;
    if (!name || !name[0] || strlen(name) >= IFNAMSIZ) {
        return EINVAL;
    }
    int error = 0;
    struct nl_sock *sk = nl_link_query_sock__(&error);
    if (!sk) {
        return error;
    }
    error = rtnl_link_get_kernel(sk, 0, name, linkp);
    return error < 0 ? nl_link_errno__(error) : 0;
}

int
nl_link_get(const char *name, struct nl_link_info *info)
{
    struct rtnl_link *link;
    int error = nl_link_lookup__(name, &link);
    if (error) {
        memset(info, 0, sizeof *info);
        return error;
    }
    nl_link_info_from__(link, info);
    rtnl_link_put(link);
    return 0;
}

/* Applies 'change' (owned by the caller) to interface 'name'. */
static int
nl_link_change__(const char *name, struct rtnl_link *change)
{
    struct rtnl_link *orig;
    int error = nl_link_lookup__(name, &orig);
    if (error) {
        return error;
    }
    error = rtnl_link_change(query_sock, orig, change, 0);
    rtnl_link_put(orig);
    if (error < 0) {
        VLOG_DBG("%s: link change failed: %s", name, nl_geterror(error));
        return nl_link_errno__(error);
    }
    return 0;
}

int
nl_link_set_mtu(const char *name, int mtu)
{
    if (mtu <= 0) {
        return EINVAL;
    }
    struct rtnl_link *change = rtnl_link_alloc();
    if (!change) {
        return ENOMEM;
    }
    rtnl_link_set_mtu(change, (unsigned int)mtu);
    int error = nl_link_change__(name, change);
    rtnl_link_put(change);
    return error;
}

int
nl_link_set_mac(const char *name, const struct eth_addr *mac)
{
    struct rtnl_link *change = rtnl_link_alloc();
    if (!change) {
        return ENOMEM;
    }
    struct nl_addr *addr = nl_addr_build(AF_LLC, mac->ea, ETH_ADDR_LEN);
    if (!addr) {
        rtnl_link_put(change);
        return ENOMEM;
    }
    rtnl_link_set_addr(change, addr);
    nl_addr_put(addr);
    int error = nl_link_change__(name, change);
    rtnl_link_put(change);
    return error;
}

int
nl_link_set_admin_up(const char *name, bool up)
{
    struct rtnl_link *change = rtnl_link_alloc();
    if (!change) {
        return ENOMEM;
    }
    if (up) {
        rtnl_link_set_flags(change, IFF_UP);
    } else {
        rtnl_link_unset_flags(change, IFF_UP);
    }
    int error = nl_link_change__(name, change);
    rtnl_link_put(change);
    return error;
}

/* Calls the live watches of 'info->name'. */
static void
nl_link_dispatch__(const struct nl_link_info *info, bool deleted)
{
    dispatch_depth++;
    for (struct nl_link_watch *w = watches; w; w = w->next) {
        if (!w->dead && !strcmp(w->name, info->name)) {
            w->cb(info, deleted, w->aux);
        }
    }
    dispatch_depth--;
}

/* Frees the watches marked dead, once no dispatch runs. */
static void
nl_link_sweep__(void)
{
    if (dispatch_depth) {
        return;
    }
    struct nl_link_watch **wp = &watches;
    while (*wp) {
        struct nl_link_watch *w = *wp;
        if (w->dead) {
            *wp = w->next;
            free(w);
        } else {
            wp = &w->next;
        }
    }
}

/* nl_msg_parse() callback: one link object of a notification.  'arg'
 * points to the message type. */
static void
nl_link_parsed__(struct nl_object *obj, void *arg)
{
    int type = *(const int *)arg;
    struct rtnl_link *link = (struct rtnl_link *)obj;
    struct nl_link_info info;
    nl_link_info_from__(link, &info);
    if (info.name[0]) {
        nl_link_dispatch__(&info, type == RTM_DELLINK);
    }
}

/* libnl callback for every valid message on the monitor socket. */
static int
nl_link_notification__(struct nl_msg *msg, void *arg TERN_UNUSED)
{
    int type = nlmsg_hdr(msg)->nlmsg_type;
    if (type == RTM_NEWLINK || type == RTM_DELLINK) {
        nl_msg_parse(msg, nl_link_parsed__, &type);
    }
    return NL_OK;
}

/* Opens the monitor socket.  Returns 0 or a positive errno. */
static int
nl_link_monitor_open__(void)
{
    struct nl_sock *sk = nl_socket_alloc();
    if (!sk) {
        return ENOMEM;
    }
    nl_socket_disable_seq_check(sk);
    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, nl_link_notification__,
                        NULL);
    int error = nl_connect(sk, NETLINK_ROUTE);
    if (!error) {
        error = nl_socket_add_membership(sk, RTNLGRP_LINK);
    }
    if (!error) {
        error = nl_socket_set_nonblocking(sk);
    }
    if (error < 0) {
        VLOG_ERR("cannot open rtnetlink link monitor: %s", nl_geterror(error));
        nl_socket_free(sk);
        return nl_link_errno__(error);
    }
    /* Room for bursts (many interfaces created at once); failure only
     * makes overruns, and so resyncs, likelier. */
    nl_socket_set_buffer_size(sk, 1 << 20, 0);
    monitor_sock = sk;
    return 0;
}

static void
nl_link_monitor_close__(void)
{
    if (monitor_sock) {
        nl_socket_free(monitor_sock);
        monitor_sock = NULL;
    }
}

struct nl_link_watch *
nl_link_watch_create(const char *name, nl_link_cb *cb, void *aux)
{
    if (!name || !name[0] || strlen(name) >= IFNAMSIZ || !cb) {
        VLOG_ERR("bad interface name or callback for a link watch");
        return NULL;
    }
    if (!monitor_sock && nl_link_monitor_open__()) {
        return NULL;
    }
    struct nl_link_watch *w = xzalloc(sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    w->cb = cb;
    w->aux = aux;
    w->next = watches;
    watches = w;
    return w;
}

/* Returns true if a live watch remains. */
static bool
nl_link_any_watch__(void)
{
    for (const struct nl_link_watch *w = watches; w; w = w->next) {
        if (!w->dead) {
            return true;
        }
    }
    return false;
}

void
nl_link_watch_destroy(struct nl_link_watch *watch)
{
    if (!watch) {
        return;
    }
    watch->dead = true;
    nl_link_sweep__();
    if (!nl_link_any_watch__() && !dispatch_depth) {
        nl_link_monitor_close__();
    }
}

/* Tells every watch the current state of its interface, after lost
 * notifications. */
static void
nl_link_resync__(void)
{
    /* Names first: callbacks may create or destroy watches. */
    size_t n = 0;
    for (struct nl_link_watch *w = watches; w; w = w->next) {
        n++;
    }
    char(*names)[IFNAMSIZ] = xcalloc(n ? n : 1, IFNAMSIZ);
    size_t i = 0;
    for (struct nl_link_watch *w = watches; w && i < n; w = w->next) {
        if (!w->dead) {
            memcpy(names[i++], w->name, IFNAMSIZ);
        }
    }
    n = i;
    for (i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++) {
            seen = seen || !strcmp(names[j], names[i]);
        }
        if (seen) {
            continue;
        }
        struct nl_link_info info;
        int error = nl_link_get(names[i], &info);
        if (error == ENODEV) {
            memcpy(info.name, names[i], IFNAMSIZ);
            nl_link_dispatch__(&info, true);
        } else if (!error) {
            nl_link_dispatch__(&info, false);
        }
    }
    free(names);
}

void
nl_link_monitor_run(void)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    if (!monitor_sock || dispatch_depth) {
        return;
    }
    /* Bounded: a storm of notifications must not keep the main loop. */
    for (int i = 0; i < 64 && monitor_sock; i++) {
        dispatch_depth++;
        int error = nl_recvmsgs_default(monitor_sock);
        dispatch_depth--;
        if (error >= 0) {
            continue;
        }
        if (error == -NLE_AGAIN || error == -NLE_INTR) {
            break;
        }
        /* ENOBUFS (overrun) arrives as NLE_NOMEM; anything else is
         * treated the same way: state may have been lost. */
        VLOG_WARN_RL(&rl,
                     "link monitor: %s; reading every watched "
                     "interface again",
                     nl_geterror(error));
        monitor_resync = true;
    }
    if (monitor_resync) {
        monitor_resync = false;
        nl_link_resync__();
    }
    nl_link_sweep__();
    if (!nl_link_any_watch__()) {
        nl_link_monitor_close__();
    }
}

int
nl_link_monitor_fd(void)
{
    return monitor_sock ? nl_socket_get_fd(monitor_sock) : -1;
}
