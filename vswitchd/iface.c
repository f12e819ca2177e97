/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iface: the Interface half of the bridge layer — turning the interfaces
 * a bridge's ports ask for into datapath ports, and writing their state
 * back to the Interface rows.
 *
 * Reconciliation runs in two phases over every bridge, so that an
 * interface that moves between bridges is closed before it is opened
 * again: iface_remove_stale() first closes what is gone or must be
 * re-created, then iface_apply() changes options in place and adds what is
 * new, those with an ofport_request first.
 *
 * Port numbers.  An OpenFlow port number is the datapath port number,
 * except for the bridge's own interface (the one of type "internal" named
 * after the bridge): it is OpenFlow's LOCAL port, datapath port 0, and
 * Interface.ofport says 65534.  Other interfaces get numbers from 1.  The
 * Interface row's current ofport is used as a hint, so a restarted daemon
 * gives every interface the number it had.
 *
 * Internal interfaces are netdevs of type "internal" (netdev-tap.c: a tap
 * device named after the interface).  The LOCAL one gets the bridge's MAC
 * (options:mac, unless the row sets one), so the host sees the same
 * address as the datapath ID is made from, across restarts.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netdev.h"
#include "lib/vlog.h"
#include "vswitchd/bridge-private.h"

VLOG_DEFINE_THIS_MODULE(iface);

/* True if 'name' of 'type' is the LOCAL port of 'br'. */
static bool
iface_is_local(const struct bridge *br, const char *name, const char *type)
{
    return !strcmp(name, br->name) && !strcmp(type, "internal");
}

/* Stores in 'out' (initialised by the caller) the netdev options for
 * interface 'cfg' of 'br': the row's, and the bridge's MAC for its LOCAL
 * port. */
static void
iface_netdev_options(const struct bridge *br, const struct iface_cfg *cfg,
                     struct smap *out)
{
    smap_clone(out, &cfg->options);
    if (iface_is_local(br, cfg->name, cfg->type) && !smap_get(out, "mac")) {
        smap_add_format(out, "mac", ETH_ADDR_FMT, ETH_ADDR_ARGS(br->mac));
    }
}

/* True if 'options' are what 'cfg' of 'br' asks for. */
static bool
iface_options_equal(const struct bridge *br, const struct iface_cfg *cfg,
                    const struct smap *options)
{
    struct smap want;
    iface_netdev_options(br, cfg, &want);
    bool equal = smap_equal(&want, options);
    smap_destroy(&want);
    return equal;
}

void
iface_cfg_destroy(struct iface_cfg *cfg)
{
    smap_destroy(&cfg->options);
    free(cfg->unsupported);
}

uint32_t
iface_pick_port_no(const bool *used, const bool *requested, long long request,
                   long long hint)
{
    if (request > 0 && request < DPIF_MAX_PORTS && !used[request]) {
        return request;
    }
    if (hint > 0 && hint < DPIF_MAX_PORTS && !used[hint] && !requested[hint]) {
        return hint;
    }
    for (uint32_t i = 1; i < DPIF_MAX_PORTS; i++) {
        if (!used[i] && !requested[i]) {
            return i;
        }
    }
    return DPIF_PORT_ANY;
}

static void
iface_free(struct bridge_iface *iface)
{
    free(iface->uuid);
    free(iface->name);
    free(iface->type);
    smap_destroy(&iface->options);
    free(iface->open_error);
    free(iface->unsupported);
    json_decref(iface->stats);
    free(iface);
}

/* Removes the i'th interface of 'br' (and its datapath port). */
static void
iface_destroy(struct bridge *br, size_t i)
{
    struct bridge_iface *iface = br->ifaces[i];

    if (iface->in_dp && br->dpif) {
        int error = dpif_port_del(br->dpif, iface->port_no);

        if (error) {
            VLOG_WARN("%s: cannot delete port %s: %s", br->name, iface->name,
                      tern_strerror(error));
        }
    }
    iface_free(iface);
    br->ifaces[i] = br->ifaces[--br->n_ifaces];
}

void
iface_remove_all(struct bridge *br)
{
    while (br->n_ifaces) {
        iface_destroy(br, br->n_ifaces - 1);
    }
    free(br->ifaces);
    br->ifaces = NULL;
    br->allocated_ifaces = 0;
}

static struct iface_cfg *
iface_find_cfg(const struct iface_cfg *cfgs, size_t n, const char *uuid)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(cfgs[i].uuid, uuid)) {
            return (struct iface_cfg *)&cfgs[i];
        }
    }
    return NULL;
}

static struct bridge_iface *
iface_find(const struct bridge *br, const char *uuid)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        if (!strcmp(br->ifaces[i]->uuid, uuid)) {
            return br->ifaces[i];
        }
    }
    return NULL;
}

/* True if the datapath still has the port this record added (dpctl/del-if
 * may have removed it behind the bridge's back). */
static bool
iface_port_is_intact(const struct bridge *br, const struct bridge_iface *iface)
{
    struct dpif_port port;
    bool intact;

    if (!iface->in_dp) {
        return true;
    }
    if (dpif_port_query_by_number(br->dpif, iface->port_no, &port)) {
        return false;
    }
    intact = !strcmp(port.name, iface->name);
    dpif_port_destroy(&port);
    return intact;
}

static bool
iface_is_stale(const struct bridge *br, const struct bridge_iface *iface,
               const struct iface_cfg *cfg, long long next_cfg)
{
    if (!cfg || strcmp(cfg->name, iface->name) ||
        strcmp(cfg->type, iface->type)) {
        return true;
    }
    /* ofport_request does not apply to the LOCAL port. */
    if (cfg->request && cfg->request != iface->request &&
        cfg->request != (long long)iface->port_no &&
        !iface_is_local(br, cfg->name, cfg->type)) {
        return true; /* Move to the requested number. */
    }
    if (!iface->in_dp && !iface_options_equal(br, cfg, &iface->options)) {
        return true; /* Try again with the new options. */
    }
    if (iface->failed_cfg >= 0 && iface->failed_cfg != next_cfg) {
        return true; /* Retry after a new configuration round. */
    }
    return !iface_port_is_intact(br, iface);
}

void
iface_remove_stale(struct bridge *br, const struct iface_cfg *cfgs, size_t n,
                   long long next_cfg)
{
    for (size_t i = br->n_ifaces; i-- > 0;) {
        struct bridge_iface *iface = br->ifaces[i];
        const struct iface_cfg *cfg = iface_find_cfg(cfgs, n, iface->uuid);

        if (iface_is_stale(br, iface, cfg, next_cfg)) {
            VLOG_DBG("%s: removing interface %s", br->name, iface->name);
            if (!iface_port_is_intact(br, iface)) {
                iface->in_dp = false; /* Nothing to delete. */
            }
            iface_destroy(br, i);
        }
    }
}

static void
iface_mark_used(const struct dpif_port *port, void *used_)
{
    bool *used = used_;

    if (port->port_no < DPIF_MAX_PORTS) {
        used[port->port_no] = true;
    }
}

static void
iface_append(struct bridge *br, struct bridge_iface *iface)
{
    if (br->n_ifaces == br->allocated_ifaces) {
        br->allocated_ifaces =
            br->allocated_ifaces ? 2 * br->allocated_ifaces : 8;
        br->ifaces =
            xrealloc(br->ifaces, br->allocated_ifaces * sizeof *br->ifaces);
    }
    br->ifaces[br->n_ifaces++] = iface;
}

static void
iface_replace_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

/* Chooses the datapath port number of 'iface': 0 for the LOCAL port, else
 * from 'used' and 'requested'.  Returns DPIF_PORT_ANY (and sets
 * iface->open_error) if there is none. */
static uint32_t
iface_choose_port_no(const struct bridge *br, struct bridge_iface *iface,
                     const bool *used, const bool *requested,
                     const struct iface_cfg *cfg)
{
    if (iface_is_local(br, iface->name, iface->type)) {
        return 0;
    }
    if (cfg->request >= DPIF_MAX_PORTS) {
        VLOG_WARN("%s: interface %s: ofport_request %lld is beyond the "
                  "datapath's %d ports; choosing another number",
                  br->name, iface->name, cfg->request, DPIF_MAX_PORTS);
    } else if (cfg->request > 0 && used[cfg->request]) {
        VLOG_WARN("%s: interface %s: ofport_request %lld is in use; "
                  "choosing another number",
                  br->name, iface->name, cfg->request);
    }
    uint32_t port_no =
        iface_pick_port_no(used, requested, cfg->request, cfg->hint);
    if (port_no == DPIF_PORT_ANY) {
        iface->open_error = xstrdup("no free port number in the datapath");
        VLOG_WARN("%s: interface %s: %s", br->name, iface->name,
                  iface->open_error);
    }
    return port_no;
}

/* Opens the netdev of 'iface' and adds it to the datapath at a number
 * chosen from 'used' and 'requested' (port 0 for the LOCAL port). */
static void
iface_add_netdev(struct bridge *br, struct bridge_iface *iface, bool *used,
                 const bool *requested, const struct iface_cfg *cfg,
                 long long next_cfg)
{
    struct netdev *netdev;
    char *msg = NULL;
    int error;

    uint32_t port_no = iface_choose_port_no(br, iface, used, requested, cfg);
    if (port_no == DPIF_PORT_ANY) {
        return;
    }
    error =
        netdev_open(iface->name, iface->type, &iface->options, &netdev, &msg);
    if (!error) {
        error = dpif_port_add(br->dpif, netdev, &port_no);
        if (error) {
            netdev_close(netdev);
            free(msg);
            msg =
                xasprintf("cannot add to datapath: %s", tern_strerror(error));
        }
    }
    if (error) {
        iface->open_error =
            xasprintf("could not open network device %s (%s)", iface->name,
                      msg ? msg : tern_strerror(error));
        iface->failed_cfg = next_cfg;
        VLOG_WARN("%s: interface %s: %s", br->name, iface->name,
                  iface->open_error);
        free(msg);
        return;
    }
    free(msg);
    used[port_no] = true;
    iface->port_no = port_no;
    iface->in_dp = true;
    iface->ofport = port_no ? (long long)port_no : BRIDGE_OFPP_LOCAL;
    VLOG_INFO("%s: added interface %s (type %s) as port %" PRIu32 "%s",
              br->name, iface->name, iface->type, port_no,
              port_no ? "" : " (LOCAL)");
}

static void
iface_add(struct bridge *br, const struct iface_cfg *cfg, bool *used,
          const bool *requested, long long next_cfg)
{
    struct bridge_iface *iface = xzalloc(sizeof *iface);

    iface->uuid = xstrdup(cfg->uuid);
    iface->name = xstrdup(cfg->name);
    iface->type = xstrdup(cfg->type);
    iface_netdev_options(br, cfg, &iface->options);
    iface->request = cfg->request;
    iface->port_no = DPIF_PORT_ANY;
    iface->ofport = -1;
    iface->failed_cfg = -1;
    iface_replace_str(&iface->unsupported, cfg->unsupported);
    iface_append(br, iface);

    if (!netdev_type_is_registered(cfg->type)) {
        iface->open_error =
            xasprintf("unsupported interface type \"%s\"", cfg->type);
        VLOG_WARN("%s: interface %s: %s", br->name, iface->name,
                  iface->open_error);
    } else {
        iface_add_netdev(br, iface, used, requested, cfg, next_cfg);
    }
}

/* Applies changed options to an interface in the datapath.  Returns false
 * if the port has to be re-created (the device cannot change them in
 * place); then the caller destroys it. */
static bool
iface_reconfigure(struct bridge *br, struct bridge_iface *iface,
                  const struct iface_cfg *cfg)
{
    struct netdev *netdev = dpif_port_netdev(br->dpif, iface->port_no);
    struct smap options;
    char *msg = NULL;
    int error;

    if (!netdev) {
        return false;
    }
    iface_netdev_options(br, cfg, &options);
    error = netdev_set_config(netdev, &options, &msg);
    if (error) {
        VLOG_INFO("%s: interface %s: re-creating to apply new options (%s)",
                  br->name, iface->name, msg ? msg : tern_strerror(error));
        free(msg);
        smap_destroy(&options);
        return false;
    }
    VLOG_INFO("%s: interface %s: options changed", br->name, iface->name);
    smap_destroy(&iface->options);
    iface->options = options;
    return true;
}

/* Updates interfaces that stay; re-created ones lose their record and
 * keep their number as a hint. */
static void
iface_update_existing(struct bridge *br, struct iface_cfg *cfgs, size_t n)
{
    for (size_t i = br->n_ifaces; i-- > 0;) {
        struct bridge_iface *iface = br->ifaces[i];
        struct iface_cfg *cfg = iface_find_cfg(cfgs, n, iface->uuid);

        if (!cfg) {
            continue;
        }
        iface_replace_str(&iface->unsupported, cfg->unsupported);
        iface->request = cfg->request;
        if (iface->in_dp && !iface_options_equal(br, cfg, &iface->options) &&
            !iface_reconfigure(br, iface, cfg)) {
            cfg->hint = iface->port_no;
            iface_destroy(br, i);
        }
    }
}

void
iface_apply(struct bridge *br, struct iface_cfg *cfgs, size_t n,
            long long next_cfg)
{
    bool *used = xcalloc(DPIF_MAX_PORTS, sizeof *used);
    bool *requested = xcalloc(DPIF_MAX_PORTS, sizeof *requested);

    iface_update_existing(br, cfgs, n);
    used[0] = true; /* Kept for the LOCAL port. */
    dpif_port_for_each(br->dpif, iface_mark_used, used);
    for (size_t i = 0; i < br->n_ifaces; i++) {
        if (br->ifaces[i]->port_no < DPIF_MAX_PORTS) {
            used[br->ifaces[i]->port_no] = true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (cfgs[i].request > 0 && cfgs[i].request < DPIF_MAX_PORTS) {
            requested[cfgs[i].request] = true;
        }
    }
    /* Those with an ofport_request first, so that others avoid it. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            if ((cfgs[i].request > 0) == (pass == 0) &&
                !iface_find(br, cfgs[i].uuid)) {
                iface_add(br, &cfgs[i], used, requested, next_cfg);
            }
        }
    }
    free(used);
    free(requested);
}

/* ---- Writing state back. ---- */

static json_t *
iface_stats_json(const struct netdev *netdev)
{
    struct netdev_stats s;
    json_t *pairs;

    if (netdev_get_stats(netdev, &s)) {
        return NULL;
    }
    /* Keys in sorted order, as the database keeps maps. */
    pairs = json_pack(
        "[[s, I], [s, I], [s, I], [s, I], [s, I], [s, I], "
        "[s, I], [s, I]]",
        "rx_bytes", (json_int_t)s.rx_bytes, "rx_dropped",
        (json_int_t)s.rx_dropped, "rx_errors", (json_int_t)s.rx_errors,
        "rx_packets", (json_int_t)s.rx_packets, "tx_bytes",
        (json_int_t)s.tx_bytes, "tx_dropped", (json_int_t)s.tx_dropped,
        "tx_errors", (json_int_t)s.tx_errors, "tx_packets",
        (json_int_t)s.tx_packets);
    /* Only vhost-user ports retry a burst cut short by a full ring; the
     * key sorts after "tx_packets". */
    if (!strncmp(netdev_get_type(netdev), "dpdkvhostuser",
                 strlen("dpdkvhostuser"))) {
        json_array_append_new(pairs, json_pack("[s, I]", "tx_retries",
                                               (json_int_t)s.tx_retries));
    }
    return json_pack("[s, o]", "map", pairs);
}

static json_t *
iface_error_json(const struct bridge_iface *iface)
{
    json_t *v;

    if (iface->open_error && iface->unsupported) {
        char *s = xasprintf("%s; %s", iface->open_error, iface->unsupported);

        v = json_string(s);
        free(s);
    } else if (iface->open_error || iface->unsupported) {
        v = json_string(iface->open_error ? iface->open_error
                                          : iface->unsupported);
    } else {
        v = idl_empty_set();
    }
    return v;
}

/* Fills 'want' with the state columns of an interface in the datapath. */
static void
iface_netdev_state(const struct netdev *netdev, json_t *want)
{
    struct smap status = SMAP_INITIALIZER;
    struct eth_addr mac;
    int mtu;

    json_object_set_new(
        want, "link_state",
        json_string(netdev_get_carrier(netdev) ? "up" : "down"));
    json_object_set_new(
        want, "admin_state",
        json_string(netdev_get_admin_up(netdev) ? "up" : "down"));
    json_object_set_new(want, "mtu",
                        netdev_get_mtu(netdev, &mtu) ? idl_empty_set()
                                                     : json_integer(mtu));
    if (!netdev_get_etheraddr(netdev, &mac)) {
        char *s = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));

        json_object_set_new(want, "mac_in_use", json_string(s));
        free(s);
    } else {
        json_object_set_new(want, "mac_in_use", idl_empty_set());
    }
    netdev_get_status(netdev, &status);
    json_object_set_new(want, "status", idl_smap_to_json(&status));
    smap_destroy(&status);
}

static void
iface_clear_state(json_t *want)
{
    static const char *const columns[] = {"link_state", "admin_state", "mtu",
                                          "mac_in_use"};

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        json_object_set_new(want, columns[i], idl_empty_set());
    }
    /* A map column: an empty map, not a set. */
    json_object_set_new(want, "status", json_pack("[s, []]", "map"));
}

/* Keeps in 'want' only the columns the schema has and whose value differs
 * from 'row'. */
static void
iface_keep_changes(const struct idl *idl, const json_t *row, json_t *want)
{
    const char *column;
    json_t *value;
    void *tmp;

    json_object_foreach_safe(want, tmp, column, value)
    {
        if (!idl_has_column(idl, "Interface", column) ||
            idl_datum_equal(idl_get(row, column), value)) {
            json_object_del(want, column);
        }
    }
}

static void
iface_write_one(const struct idl *idl, const struct bridge *br,
                struct bridge_iface *iface, bool stats, json_t *ops)
{
    const json_t *row = idl_row(idl, "Interface", iface->uuid);
    struct netdev *netdev =
        iface->in_dp ? dpif_port_netdev(br->dpif, iface->port_no) : NULL;
    json_t *want = json_object();

    if (!row) {
        json_decref(want);
        return;
    }
    json_object_set_new(want, "ofport", json_integer(iface->ofport));
    json_object_set_new(want, "error", iface_error_json(iface));
    if (netdev) {
        iface_netdev_state(netdev, want);
    } else {
        iface_clear_state(want);
    }
    iface_keep_changes(idl, row, want);
    if (stats && netdev && idl_has_column(idl, "Interface", "statistics")) {
        json_t *s = iface_stats_json(netdev);

        if (s && !(iface->stats && json_equal(s, iface->stats))) {
            json_object_set(want, "statistics", s);
            json_decref(iface->stats);
            iface->stats = json_incref(s);
        }
        json_decref(s);
    }
    if (json_object_size(want)) {
        json_array_append_new(ops,
                              idl_update_op("Interface", iface->uuid, want));
    } else {
        json_decref(want);
    }
}

void
iface_write_status(const struct idl *idl, const struct bridge *br, bool stats,
                   json_t *ops)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        iface_write_one(idl, br, br->ifaces[i], stats, ops);
    }
}

void
iface_forget_stats(struct bridge *br)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        json_decref(br->ifaces[i]->stats);
        br->ifaces[i]->stats = NULL;
    }
}
