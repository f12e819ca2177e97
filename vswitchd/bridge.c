/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge: the Bridge and Open_vSwitch half of the bridge layer (see
 * bridge.h): follows the database through the idl replica, creates and
 * destroys one datapath per Bridge row, collects what each bridge's ports
 * ask of their interfaces for iface.c, and writes the state back in one
 * transaction per round.
 *
 * Reconciliation is level-triggered: whenever the replica changes, the
 * whole configuration is compared with what is in the datapaths and the
 * differences applied.  What is written back is compared with the replica
 * too, so a round that changes nothing writes nothing and the daemon's
 * own writes settle after one echo.
 *
 * Each bridge is also an OpenFlow switch (ofproto/ofproto.h): its
 * controllers (Controller rows), fail_mode, protocols, datapath ID,
 * MAC-learning settings (other_config mac-aging-time, mac-table-size) and
 * its ports' VLAN settings (Port tag, trunks, vlan_mode) are handed to
 * it, and the controllers' connection state is written back to their
 * rows (is_connected, role, status).
 *
 * Settings Tern does not implement yet are accepted: each one set in a
 * row is logged once, and those that change forwarding are named in
 * Interface.error of the interfaces concerned.
 */
#include <config.h>

#include "vswitchd/bridge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_version.h>

#include "lib/dp-packet.h"
#include "lib/hash.h"
#include "lib/netdev.h"
#include "lib/ofp-msgs.h"
#include "lib/stream.h"
#include "lib/vlog.h"
#include "ofproto/ofproto.h"
#include "vhost/netdev-vhost.h"
#include "vswitchd/bridge-private.h"
#include "vswitchd/idl.h"

VLOG_DEFINE_THIS_MODULE(bridge);

/* How often statistics and link states are written. */
#define BRIDGE_STATS_INTERVAL_MS 5000

/* Settings Tern does not implement yet.  'forwarding': it changes how
 * packets are forwarded, so the interfaces concerned report it in
 * Interface.error. */
struct bridge_unimpl {
    const char *column;
    bool forwarding;
};

static const struct bridge_unimpl bridge_unimpl_bridge[] = {
    {"mirrors", false},     {"netflow", false},
    {"sflow", false},       {"ipfix", false},
    {"stp_enable", false},  {"rstp_enable", false},
    {"flood_vlans", false}, {"mcast_snooping_enable", false},
    {"auto_attach", false}, {"flow_tables", false},
};

static const struct bridge_unimpl bridge_unimpl_port[] = {
    {"cvlans", true},
    {"bond_mode", true},
    {"lacp", true},
    {"qos", true},
    {"protected", true},
    {"bond_updelay", false},
    {"bond_downdelay", false},
    {"bond_fake_iface", false},
    {"fake_bridge", false},
    {"mac", false},
    {"other_config", false},
};

static const struct bridge_unimpl bridge_unimpl_iface[] = {
    {"ingress_policing_rate", true},
    {"ingress_policing_burst", true},
    {"ingress_policing_kpkts_rate", true},
    {"ingress_policing_kpkts_burst", true},
    {"bfd", false},
    {"cfm_mpid", false},
    {"lldp", false},
    {"other_config", false},
};

/* The columns replicated.  Columns missing from the schema are skipped by
 * the idl.  Unimplemented columns are added at bridge_init(). */
static const char *const bridge_ovs_columns[] = {
    "bridges",      "next_cfg",         "cur_cfg",     "other_config",
    "iface_types",  "datapath_types",   "ovs_version", "db_version",
    "dpdk_version", "dpdk_initialized", "ssl",         NULL,
};
static const char
    *bridge_bridge_columns[ARRAY_SIZE(bridge_unimpl_bridge) + 12];
static const char *bridge_port_columns[ARRAY_SIZE(bridge_unimpl_port) + 12];
static const char *bridge_iface_columns[ARRAY_SIZE(bridge_unimpl_iface) + 16];

static const char *const bridge_controller_columns[] = {
    "target",
    "max_backoff",
    "inactivity_probe",
    "controller_rate_limit",
    "controller_burst_limit",
    "connection_mode",
    "is_connected",
    "role",
    "status",
    NULL,
};

static const char *const bridge_ssl_columns[] = {
    "private_key",
    "certificate",
    "ca_cert",
    NULL,
};

static struct idl_table_spec bridge_tables[] = {
    {"Open_vSwitch", bridge_ovs_columns},
    {"Bridge", bridge_bridge_columns},
    {"Port", bridge_port_columns},
    {"Interface", bridge_iface_columns},
    {"Controller", bridge_controller_columns},
    {"SSL", bridge_ssl_columns},
};

static struct idl *idl;
static bool started;    /* bridge_start() was called. */
static bool configured; /* A configuration was applied. */
static unsigned int applied_seqno;
static bool had_contents;
static long long next_stats_ms;
static dpif_upcall_cb *upcall_cb;
static void *upcall_aux;
static char *dpdk_cfg_at_start; /* dpdk-* settings used by the EAL. */
static char *ssl_cfg_applied;   /* SSL row's files last applied. */

static struct bridge **bridges;
static size_t n_bridges, allocated_bridges;

/* "TABLE UUID COLUMN" of each unimplemented setting already logged. */
static json_t *reported;

/* ---- Set-up. ---- */

static void
bridge_fill_columns(const char **dst, const char *const *base,
                    const struct bridge_unimpl *unimpl, size_t n_unimpl)
{
    size_t n = 0;

    for (; *base; base++) {
        dst[n++] = *base;
    }
    for (size_t i = 0; i < n_unimpl; i++) {
        dst[n++] = unimpl[i].column;
    }
    dst[n] = NULL;
}

void
bridge_init(const char *remote)
{
    static const char *const bridge_cols[] = {
        "name",         "ports",       "datapath_type",
        "other_config", "datapath_id", "controller",
        "fail_mode",    "protocols",   NULL,
    };
    static const char *const port_cols[] = {
        "name", "interfaces", "tag", "trunks", "vlan_mode", NULL,
    };
    static const char *const iface_cols[] = {
        "name",        "type",        "options",    "ofport_request",
        "ofport",      "mtu_request", "error",      "link_state",
        "admin_state", "mtu",         "mac_in_use", "status",
        "mac",         NULL,
    };

    bridge_fill_columns(bridge_bridge_columns, bridge_cols,
                        bridge_unimpl_bridge,
                        ARRAY_SIZE(bridge_unimpl_bridge));
    bridge_fill_columns(bridge_port_columns, port_cols, bridge_unimpl_port,
                        ARRAY_SIZE(bridge_unimpl_port));
    bridge_fill_columns(bridge_iface_columns, iface_cols, bridge_unimpl_iface,
                        ARRAY_SIZE(bridge_unimpl_iface));
    idl = idl_create(remote, "Open_vSwitch", bridge_tables,
                     ARRAY_SIZE(bridge_tables));
    VLOG_INFO("configuration database: %s", remote);
}

bool
bridge_db_ready(void)
{
    return idl && idl_has_contents(idl);
}

static void
bridge_ovs_other_config(struct smap *cfg)
{
    const json_t *ovs = idl_first_row(idl, "Open_vSwitch", NULL);

    idl_get_smap(ovs, "other_config", cfg);
}

/* The dpdk-* keys, as one string, to notice changes after start-up. */
static char *
bridge_dpdk_cfg_string(const struct smap *cfg)
{
    struct ds ds = DS_EMPTY;

    SMAP_FOR_EACH(node, cfg)
    {
        if (!strncmp(node->key, "dpdk-", 5)) {
            ds_put_format(&ds, "%s=%s;", node->key, node->value);
        }
    }
    return ds_steal_cstr(&ds);
}

char *
bridge_dpdk_args(const char *cmdline_extra)
{
    struct smap cfg = SMAP_INITIALIZER;
    char *args;

    bridge_ovs_other_config(&cfg);
    args = bridge_dpdk_args_from_config(&cfg, cmdline_extra);
    /* Called before DPDK starts, so before the pool exists. */
    dp_packet_set_default_pool_size(bridge_dpdk_mbufs_from_config(&cfg));
    free(dpdk_cfg_at_start);
    dpdk_cfg_at_start = bridge_dpdk_cfg_string(&cfg);
    smap_destroy(&cfg);
    return args;
}

char *
bridge_dpdk_args_from_config(const struct smap *cfg, const char *extra)
{
    const char *v;
    struct ds ds = DS_EMPTY;

    if ((v = smap_get(cfg, "dpdk-lcore-mask")) && *v) {
        ds_put_format(&ds, "-c %s ", v);
    }
    if ((v = smap_get(cfg, "dpdk-socket-mem")) && *v) {
        ds_put_format(&ds, "--socket-mem=%s ", v);
    }
    if ((v = smap_get(cfg, "dpdk-socket-limit")) && *v) {
        ds_put_format(&ds, "--socket-limit=%s ", v);
    }
    if ((v = smap_get(cfg, "dpdk-hugepage-dir")) && *v) {
        ds_put_format(&ds, "--huge-dir=%s ", v);
    }
    if ((v = smap_get(cfg, "dpdk-extra")) && *v) {
        ds_put_format(&ds, "%s ", v);
    }
    if (extra && *extra) {
        ds_put_format(&ds, "%s ", extra);
    }
    ds_chomp(&ds, ' ');
    return ds_steal_cstr(&ds);
}

unsigned
bridge_dpdk_mbufs_from_config(const struct smap *cfg)
{
    const char *v = smap_get(cfg, "dpdk-mbufs");
    uint32_t n;

    if (!v || !*v) {
        return 0;
    }
    if (!str_to_u32(v, &n) || n < 1024 || n > (1u << 24)) {
        VLOG_WARN("other_config:dpdk-mbufs=%s: not a count from 1024 to "
                  "16777216, ignored",
                  v);
        return 0;
    }
    return n;
}

void
bridge_start(dpif_upcall_cb *cb, void *aux)
{
    upcall_cb = cb;
    upcall_aux = aux;
    started = true;
}

bool
bridge_configured(void)
{
    return configured;
}

/* ---- Helpers the unit test checks. ---- */

void
bridge_dp_config(const struct smap *other_config, struct smap *dp_cfg)
{
    static const char *const keys[] = {"pmd-cpu-mask", "max-idle",
                                       "flow-limit", "emc-insert-inv-prob"};

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *v = smap_get(other_config, keys[i]);

        if (v) {
            smap_replace(dp_cfg, keys[i], v);
        }
    }
}

void
bridge_pick_mac(const char *name, const struct smap *other_config,
                struct eth_addr *mac)
{
    const char *hwaddr = smap_get(other_config, "hwaddr");
    uint32_t h;

    if (hwaddr && eth_addr_from_string(hwaddr, mac) && !(mac->ea[0] & 1) &&
        !eth_addr_is_zero(*mac)) {
        return;
    }
    h = hash_string(name, 0x7465726e);
    mac->ea[0] = 0x02; /* Locally administered, unicast. */
    mac->ea[1] = 0x54;
    mac->ea[2] = h >> 24;
    mac->ea[3] = h >> 16;
    mac->ea[4] = h >> 8;
    mac->ea[5] = h;
}

void
bridge_datapath_id(const struct smap *other_config, const struct eth_addr *mac,
                   char buf[17])
{
    const char *id = smap_get(other_config, "datapath-id");

    if (id && !strncmp(id, "0x", 2)) {
        id += 2;
    }
    if (id && strlen(id) == 16 && strspn(id, "0123456789abcdefABCDEF") == 16) {
        for (int i = 0; i < 16; i++) {
            buf[i] = id[i] >= 'A' && id[i] <= 'F' ? id[i] - 'A' + 'a' : id[i];
        }
        buf[16] = '\0';
        return;
    }
    snprintf(buf, 17, "0000%02x%02x%02x%02x%02x%02x", mac->ea[0], mac->ea[1],
             mac->ea[2], mac->ea[3], mac->ea[4], mac->ea[5]);
}

bool
bridge_report_unimplemented(const char *table, const char *uuid,
                            const json_t *row, const char *column)
{
    char *key = xasprintf("%s %s %s", table, uuid, column);
    bool set = !idl_is_default(row, column);

    if (!reported) {
        reported = json_object();
    }

    if (!set) {
        json_object_del(reported, key);
    } else if (!json_object_get(reported, key)) {
        char *value =
            json_dumps(idl_get(row, column), JSON_COMPACT | JSON_ENCODE_ANY);

        json_object_set_new(reported, key, json_true());
        VLOG_WARN("%s %s: %s=%s is not implemented yet and has no effect",
                  table, idl_get_string(row, "name", uuid), column,
                  value ? value : "?");
        free(value);
    }
    free(key);
    return set;
}

/* Reports the unimplemented settings of 'row'; appends the names of those
 * that affect forwarding to 'ds' ("Table.column, ..."). */
static void
bridge_check_unimplemented(const char *table, const char *uuid,
                           const json_t *row,
                           const struct bridge_unimpl *unimpl, size_t n,
                           struct ds *ds)
{
    for (size_t i = 0; i < n; i++) {
        if (bridge_report_unimplemented(table, uuid, row, unimpl[i].column) &&
            unimpl[i].forwarding && ds) {
            ds_put_format(ds, "%s%s.%s", ds->length ? ", " : "", table,
                          unimpl[i].column);
        }
    }
}

/* ---- Bridges. ---- */

/* Makes 'br' an OpenFlow switch over its datapath.  The switch takes over
 * the datapath's upcalls; without it the bridge keeps the daemon's. */
static void
bridge_create_ofproto(struct bridge *br)
{
    int error = ofproto_create(br->name, br->dpif, &br->ofproto);

    if (error) {
        VLOG_WARN("%s: cannot create the OpenFlow switch: %s", br->name,
                  tern_strerror(error));
        br->ofproto = NULL;
    }
}

static struct bridge *
bridge_find(const char *name)
{
    for (size_t i = 0; i < n_bridges; i++) {
        if (!strcmp(bridges[i]->name, name)) {
            return bridges[i];
        }
    }
    return NULL;
}

static struct bridge *
bridge_create(const char *name)
{
    struct dpif *dpif;
    struct bridge *br;
    int error = dpif_create(name, &dpif);

    if (error == EEXIST) {
        dpif = dpif_lookup(name);
        VLOG_WARN("%s: a datapath of that name exists already; the bridge "
                  "takes it over",
                  name);
    } else if (error) {
        VLOG_WARN("%s: cannot create datapath: %s", name,
                  tern_strerror(error));
        return NULL;
    }
    dpif_register_upcall_cb(dpif, upcall_cb, upcall_aux);
    br = xzalloc(sizeof *br);
    br->name = xstrdup(name);
    br->dpif = dpif;
    smap_init(&br->dp_cfg);
    bridge_create_ofproto(br);
    if (n_bridges == allocated_bridges) {
        allocated_bridges = allocated_bridges ? 2 * allocated_bridges : 4;
        bridges = xrealloc(bridges, allocated_bridges * sizeof *bridges);
    }
    bridges[n_bridges++] = br;
    VLOG_INFO("%s: created bridge (netdev datapath)", name);
    return br;
}

static void
bridge_destroy(size_t i)
{
    struct bridge *br = bridges[i];

    ofproto_destroy(br->ofproto);
    br->ofproto = NULL;
    iface_remove_all(br);
    if (dpif_lookup(br->name) == br->dpif) {
        dpif_destroy(br->dpif);
    }
    VLOG_INFO("%s: deleted bridge", br->name);
    smap_destroy(&br->dp_cfg);
    free(br->name);
    free(br->uuid);
    free(br);
    bridges[i] = bridges[--n_bridges];
}

/* Re-creates the datapath of 'br' if it was destroyed behind the bridge's
 * back (dpctl/del-dp); its ports went with it. */
static bool
bridge_check_dpif(struct bridge *br)
{
    int error;

    if (dpif_lookup(br->name) == br->dpif) {
        return true;
    }
    for (size_t i = 0; i < br->n_ifaces; i++) {
        br->ifaces[i]->in_dp = false;
    }
    ofproto_destroy(br->ofproto);
    br->ofproto = NULL;
    iface_remove_all(br);
    smap_clear(&br->dp_cfg);
    error = dpif_create(br->name, &br->dpif);
    if (error) {
        VLOG_WARN("%s: cannot re-create datapath: %s", br->name,
                  tern_strerror(error));
        return false;
    }
    dpif_register_upcall_cb(br->dpif, upcall_cb, upcall_aux);
    bridge_create_ofproto(br);
    return true;
}

static void
bridge_apply_dp_config(struct bridge *br, const struct smap *cfg)
{
    char *error = NULL;

    if (smap_equal(cfg, &br->dp_cfg)) {
        return;
    }
    if (dpif_set_config(br->dpif, cfg, &error)) {
        VLOG_WARN("%s: datapath settings not applied: %s", br->name,
                  error ? error : "invalid");
        free(error);
    }
    /* Remembered even on failure, so it is not retried every round. */
    smap_destroy(&br->dp_cfg);
    smap_clone(&br->dp_cfg, cfg);
}

/* Fills 'cfg' for Interface row 'irow'; 'port_unsupported' names the
 * unimplemented Port settings in use. */
static void
bridge_iface_cfg(const char *uuid, const json_t *irow,
                 const char *port_unsupported, struct iface_cfg *cfg)
{
    struct ds ds = DS_EMPTY;
    long long v;

    memset(cfg, 0, sizeof *cfg);
    cfg->uuid = uuid;
    cfg->name = idl_get_string(irow, "name", "");
    cfg->type = idl_get_string(irow, "type", "");
    if (!*cfg->type) {
        cfg->type = "system";
    }
    smap_init(&cfg->options);
    idl_get_smap(irow, "options", &cfg->options);
    if (idl_get_int(irow, "mtu_request", &v) &&
        !smap_get(&cfg->options, "mtu")) {
        smap_add_format(&cfg->options, "mtu", "%lld", v);
    }
    /* Interface.mac sets the address of internal interfaces (netdev-tap
     * takes it as options:mac), as in Open vSwitch. */
    const char *mac = idl_get_string(irow, "mac", "");
    if (*mac && !smap_get(&cfg->options, "mac") &&
        (!strcmp(cfg->type, "internal") || !strcmp(cfg->type, "tap"))) {
        smap_replace(&cfg->options, "mac", mac);
    }
    if (idl_get_int(irow, "ofport_request", &v)) {
        cfg->request = v;
    }
    if (idl_get_int(irow, "ofport", &v)) {
        cfg->hint = v;
    }
    ds_put_cstr(&ds, port_unsupported);
    bridge_check_unimplemented("Interface", uuid, irow, bridge_unimpl_iface,
                               ARRAY_SIZE(bridge_unimpl_iface), &ds);
    if (ds.length) {
        cfg->unsupported = xasprintf("not supported yet: %s", ds_cstr(&ds));
    }
    ds_destroy(&ds);
}

static void
bridge_add_cfg(struct iface_cfg **cfgs, size_t *n, size_t *allocated,
               const struct iface_cfg *cfg)
{
    if (*n == *allocated) {
        *allocated = *allocated ? 2 * *allocated : 8;
        *cfgs = xrealloc(*cfgs, *allocated * sizeof **cfgs);
    }
    (*cfgs)[(*n)++] = *cfg;
}

/* Collects what the ports of Bridge row 'brow' ask of their interfaces.
 * 'claimed' holds the interface names already taken (by this or an earlier
 * bridge).  Returns the number of entries in *cfgsp (caller frees each with
 * iface_cfg_destroy() and the array with free()). */
static size_t
bridge_collect_ifaces(const json_t *brow, json_t *claimed,
                      struct iface_cfg **cfgsp)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    size_t n_ports, n = 0, allocated = 0;
    const char **ports = idl_get_uuids(brow, "ports", &n_ports);

    *cfgsp = NULL;
    for (size_t p = 0; p < n_ports; p++) {
        const json_t *prow = idl_row(idl, "Port", ports[p]);
        struct ds unsupported = DS_EMPTY;
        const char **ifs;
        size_t n_ifs;

        if (!prow) {
            continue;
        }
        bridge_check_unimplemented("Port", ports[p], prow, bridge_unimpl_port,
                                   ARRAY_SIZE(bridge_unimpl_port),
                                   &unsupported);
        ifs = idl_get_uuids(prow, "interfaces", &n_ifs);
        if (n_ifs > 1) {
            ds_put_format(&unsupported, "%sbonds",
                          unsupported.length ? ", " : "");
        }
        for (size_t i = 0; i < n_ifs; i++) {
            const json_t *irow = idl_row(idl, "Interface", ifs[i]);
            struct iface_cfg cfg;

            if (!irow) {
                continue;
            }
            bridge_iface_cfg(ifs[i], irow, ds_cstr(&unsupported), &cfg);
            if (!*cfg.name || json_object_get(claimed, cfg.name)) {
                VLOG_WARN_RL(&rl,
                             "interface name \"%s\" is empty or used "
                             "twice; ignoring the second",
                             cfg.name);
                iface_cfg_destroy(&cfg);
                continue;
            }
            json_object_set_new(claimed, cfg.name, json_true());
            bridge_add_cfg(cfgsp, &n, &allocated, &cfg);
        }
        free(ifs);
        ds_destroy(&unsupported);
    }
    free(ports);
    return n;
}

/* One Bridge row of the configuration. */
struct bridge_want {
    struct bridge *br;
    struct iface_cfg *cfgs;
    size_t n_cfgs;
};

/* Creates, keeps or destroys bridges to match the Open_vSwitch row's
 * "bridges".  Returns the bridges wanted, in *wantsp (caller frees). */
static size_t
bridge_reconcile_bridges(const json_t *ovs, const struct smap *dp_cfg,
                         struct bridge_want **wantsp)
{
    size_t n_uuids, n_wants = 0;
    const char **uuids = idl_get_uuids(ovs, "bridges", &n_uuids);
    struct bridge_want *wants = xcalloc(n_uuids + 1, sizeof *wants);

    for (size_t i = 0; i < n_bridges; i++) {
        bridges[i]->seen = false;
    }
    for (size_t i = 0; i < n_uuids; i++) {
        const json_t *brow = idl_row(idl, "Bridge", uuids[i]);
        const char *name = idl_get_string(brow, "name", "");
        struct bridge *br;

        if (!brow || !*name) {
            continue;
        }
        br = bridge_find(name);
        if (br && br->seen) {
            continue; /* Duplicate name. */
        }
        if (!br && !(br = bridge_create(name))) {
            continue;
        }
        if (!bridge_check_dpif(br)) {
            continue;
        }
        br->seen = true;
        free(br->uuid);
        br->uuid = xstrdup(uuids[i]);
        bridge_apply_dp_config(br, dp_cfg);
        bridge_check_unimplemented("Bridge", uuids[i], brow,
                                   bridge_unimpl_bridge,
                                   ARRAY_SIZE(bridge_unimpl_bridge), NULL);
        wants[n_wants++].br = br;
    }
    for (size_t i = n_bridges; i-- > 0;) {
        if (!bridges[i]->seen) {
            bridge_destroy(i);
        }
    }
    free(uuids);
    *wantsp = wants;
    return n_wants;
}

/* ---- OpenFlow configuration. ---- */

/* The atoms of an OVSDB set value (["set", [...]] or a single atom), as a
 * new array reference. */
static json_t *
bridge_get_set(const json_t *row, const char *column)
{
    const json_t *v = idl_get(row, column);
    json_t *atoms;

    if (json_is_array(v) && json_array_size(v) == 2 &&
        json_is_string(json_array_get(v, 0)) &&
        !strcmp(json_string_value(json_array_get(v, 0)), "set") &&
        json_is_array(json_array_get(v, 1))) {
        return json_incref(json_array_get(v, 1));
    }
    atoms = json_array();
    if (json_is_string(v) || json_is_integer(v)) {
        json_array_append_new(atoms, json_deep_copy(v));
    }
    return atoms;
}

/* Bridge.protocols as a version bitmap (0: the default set). */
static uint32_t
bridge_protocols(const struct bridge *br, const json_t *brow)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    json_t *set = bridge_get_set(brow, "protocols");
    uint32_t bitmap = 0;
    json_t *atom;
    size_t i;

    json_array_foreach(set, i, atom)
    {
        const char *name = json_string_value(atom);
        enum ofp_version v = name ? ofp_version_from_name(name) : 0;

        if (v && (OFP_SUPPORTED_VERSIONS & (1u << v))) {
            bitmap |= 1u << v;
        } else {
            VLOG_WARN_RL(&rl,
                         "%s: protocol %s is not supported (Tern "
                         "speaks OpenFlow10, 13, 14 and 15)",
                         br->name, name ? name : "?");
        }
    }
    json_decref(set);
    return bitmap;
}

static void
bridge_configure_controllers(struct bridge *br, const json_t *brow)
{
    size_t n, k = 0;
    const char **uuids = idl_get_uuids(brow, "controller", &n);
    struct ofproto_controller *ctls = xcalloc(n + 1, sizeof *ctls);

    for (size_t i = 0; i < n; i++) {
        const json_t *crow = idl_row(idl, "Controller", uuids[i]);
        struct ofproto_controller *c = &ctls[k];
        long long v;

        if (!crow || !*idl_get_string(crow, "target", "")) {
            continue;
        }
        c->target = idl_get_string(crow, "target", "");
        c->max_backoff_ms = idl_get_int(crow, "max_backoff", &v) ? v : 0;
        /* The column's 0 disables probes; the switch's 0 is the default. */
        if (idl_get_int(crow, "inactivity_probe", &v)) {
            c->probe_interval_ms = v ? v : -1;
        }
        if (idl_get_int(crow, "controller_rate_limit", &v)) {
            c->rate_limit = v;
        }
        if (idl_get_int(crow, "controller_burst_limit", &v)) {
            c->burst_limit = v;
        }
        c->out_of_band = !strcmp(idl_get_string(crow, "connection_mode", ""),
                                 "out-of-band");
        k++;
    }
    ofproto_set_controllers(br->ofproto, ctls, k);
    free(ctls);
    free(uuids);
}

/* The bridge interface of Interface row 'uuid' that is in the datapath, or
 * NULL. */
static const struct bridge_iface *
bridge_find_iface(const struct bridge *br, const char *uuid)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        if (br->ifaces[i]->in_dp && !strcmp(br->ifaces[i]->uuid, uuid)) {
            return br->ifaces[i];
        }
    }
    return NULL;
}

static enum ofproto_vlan_mode
bridge_vlan_mode(const json_t *prow, int tag)
{
    const char *mode = idl_get_string(prow, "vlan_mode", "");

    if (!strcmp(mode, "access")) {
        return OFPROTO_VLAN_ACCESS;
    } else if (!strcmp(mode, "native-tagged")) {
        return OFPROTO_VLAN_NATIVE_TAGGED;
    } else if (!strcmp(mode, "native-untagged")) {
        return OFPROTO_VLAN_NATIVE_UNTAGGED;
    } else if (!strcmp(mode, "trunk")) {
        return OFPROTO_VLAN_TRUNK;
    }
    /* Open vSwitch's default: access with a tag, trunk without. */
    return tag >= 0 ? OFPROTO_VLAN_ACCESS : OFPROTO_VLAN_TRUNK;
}

/* Port tag, trunks and vlan_mode, for each of the port's interfaces. */
static void
bridge_configure_port_vlan(struct bridge *br, const json_t *prow)
{
    struct ofproto_port_vlan vlan = {.tag = -1};
    json_t *trunks = bridge_get_set(prow, "trunks");
    uint16_t *vids = xcalloc(json_array_size(trunks) + 1, sizeof *vids);
    size_t n_ifs;
    const char **ifs = idl_get_uuids(prow, "interfaces", &n_ifs);
    long long tag;
    json_t *atom;
    size_t i;

    if (idl_get_int(prow, "tag", &tag) && tag >= 0 && tag <= 4095) {
        vlan.tag = tag;
    }
    json_array_foreach(trunks, i, atom)
    {
        json_int_t vid = json_integer_value(atom);
        if (json_is_integer(atom) && vid >= 0 && vid <= 4095) {
            vids[vlan.n_trunks++] = vid;
        }
    }
    vlan.trunks = vlan.n_trunks ? vids : NULL;
    vlan.mode = bridge_vlan_mode(prow, vlan.tag);
    for (i = 0; i < n_ifs; i++) {
        const struct bridge_iface *iface = bridge_find_iface(br, ifs[i]);
        if (iface) {
            ofproto_set_port_vlan(br->ofproto, iface->port_no, &vlan);
        }
    }
    free(ifs);
    free(vids);
    json_decref(trunks);
}

/* The SSL row of the Open_vSwitch row: the key, certificate and CA
 * certificate of ssl: and pssl: controller connections. */
static void
bridge_configure_ssl(const json_t *ovs)
{
    size_t n;
    const char **uuids = idl_get_uuids(ovs, "ssl", &n);
    const json_t *row = n ? idl_row(idl, "SSL", uuids[0]) : NULL;

    free(uuids);
    if (!row) {
        return;
    }
    const char *key = idl_get_string(row, "private_key", "");
    const char *cert = idl_get_string(row, "certificate", "");
    const char *ca = idl_get_string(row, "ca_cert", "");
    char *cfg = xasprintf("%s\n%s\n%s", key, cert, ca);

    if (ssl_cfg_applied && !strcmp(cfg, ssl_cfg_applied)) {
        free(cfg);
        return;
    }
    free(ssl_cfg_applied);
    ssl_cfg_applied = cfg;
    if (stream_ssl_set_files(*key ? key : NULL, *cert ? cert : NULL,
                             *ca ? ca : NULL)) {
        VLOG_WARN("SSL table settings not applied");
    }
}

/* Hands the Bridge row's OpenFlow settings to the bridge's switch. */
static void
bridge_configure_ofproto(struct bridge *br)
{
    const json_t *brow = idl_row(idl, "Bridge", br->uuid);
    struct smap br_cfg = SMAP_INITIALIZER;
    const char **ports;
    size_t n_ports;
    char dpid[17];

    if (!br->ofproto || !brow) {
        return;
    }
    idl_get_smap(brow, "other_config", &br_cfg);
    bridge_datapath_id(&br_cfg, &br->mac, dpid);
    ofproto_set_datapath_id(br->ofproto, strtoull(dpid, NULL, 16));
    ofproto_set_other_config(br->ofproto, &br_cfg);
    ofproto_set_protocols(br->ofproto, bridge_protocols(br, brow));
    ofproto_set_fail_mode(
        br->ofproto, !strcmp(idl_get_string(brow, "fail_mode", ""), "secure")
                         ? OFPROTO_FAIL_SECURE
                         : OFPROTO_FAIL_STANDALONE);
    bridge_configure_controllers(br, brow);
    ofproto_ports_changed(br->ofproto);
    ports = idl_get_uuids(brow, "ports", &n_ports);
    for (size_t i = 0; i < n_ports; i++) {
        const json_t *prow = idl_row(idl, "Port", ports[i]);
        if (prow) {
            bridge_configure_port_vlan(br, prow);
        }
    }
    free(ports);
    smap_destroy(&br_cfg);
}

static void
bridge_reconfigure(long long next_cfg)
{
    const json_t *ovs = idl_first_row(idl, "Open_vSwitch", NULL);
    struct smap other_config = SMAP_INITIALIZER;
    struct smap dp_cfg = SMAP_INITIALIZER;
    json_t *claimed = json_object();
    struct bridge_want *wants;
    size_t n_wants;
    char *dpdk_cfg;

    idl_get_smap(ovs, "other_config", &other_config);
    /* Before any port opens: dpdkvhostuser sockets go there. */
    netdev_vhost_set_sock_dir(smap_get(&other_config, "vhost-sock-dir"));
    dpdk_cfg = bridge_dpdk_cfg_string(&other_config);
    if (dpdk_cfg_at_start && strcmp(dpdk_cfg, dpdk_cfg_at_start)) {
        VLOG_WARN("Open_vSwitch other_config dpdk-* settings changed; they "
                  "take effect when tern-vswitchd restarts");
        free(dpdk_cfg_at_start);
        dpdk_cfg_at_start = dpdk_cfg;
    } else {
        free(dpdk_cfg);
    }
    bridge_dp_config(&other_config, &dp_cfg);
    bridge_configure_ssl(ovs);
    n_wants = bridge_reconcile_bridges(ovs, &dp_cfg, &wants);
    for (size_t i = 0; i < n_wants; i++) {
        const json_t *brow = idl_row(idl, "Bridge", wants[i].br->uuid);
        struct smap br_cfg = SMAP_INITIALIZER;

        idl_get_smap(brow, "other_config", &br_cfg);
        bridge_pick_mac(wants[i].br->name, &br_cfg, &wants[i].br->mac);
        smap_destroy(&br_cfg);
        wants[i].n_cfgs = bridge_collect_ifaces(brow, claimed, &wants[i].cfgs);
        iface_remove_stale(wants[i].br, wants[i].cfgs, wants[i].n_cfgs,
                           next_cfg);
    }
    for (size_t i = 0; i < n_wants; i++) {
        iface_apply(wants[i].br, wants[i].cfgs, wants[i].n_cfgs, next_cfg);
        bridge_configure_ofproto(wants[i].br);
        for (size_t j = 0; j < wants[i].n_cfgs; j++) {
            iface_cfg_destroy(&wants[i].cfgs[j]);
        }
        free(wants[i].cfgs);
    }
    free(wants);
    json_decref(claimed);
    smap_destroy(&dp_cfg);
    smap_destroy(&other_config);
}

/* ---- Writing state back. ---- */

/* Adds column 'column' = 'value' (stolen) to 'row' if the schema has it
 * and the replica's value differs. */
static void
bridge_want(const char *table, const json_t *cur, json_t *row,
            const char *column, json_t *value)
{
    if (idl_has_column(idl, table, column) &&
        !idl_datum_equal(idl_get(cur, column), value)) {
        json_object_set_new(row, column, value);
    } else {
        json_decref(value);
    }
}

static void
bridge_add_update(json_t *ops, const char *table, const char *uuid,
                  json_t *row)
{
    if (json_object_size(row)) {
        json_array_append_new(ops, idl_update_op(table, uuid, row));
    } else {
        json_decref(row);
    }
}

/* The Open_vSwitch iface_types column: every registered netdev type and
 * "internal" (a registered type too, once netdev-tap.c provides it). */
static json_t *
bridge_iface_types(void)
{
    const char *types[32];
    size_t n = netdev_registered_types(types, ARRAY_SIZE(types));
    json_t *set = json_array();

    n = MIN(n, ARRAY_SIZE(types));
    if (!netdev_type_is_registered("internal")) {
        json_array_append_new(set, json_string("internal"));
    }
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(set, json_string(types[i]));
    }
    return json_pack("[s, o]", "set", set);
}

static void
bridge_write_ovs(json_t *ops, bool reconfigured)
{
    const char *uuid;
    const json_t *ovs = idl_first_row(idl, "Open_vSwitch", &uuid);
    json_t *row = json_object();
    long long next_cfg;

    if (!ovs) {
        json_decref(row);
        return;
    }
    if (reconfigured && idl_get_int(ovs, "next_cfg", &next_cfg)) {
        bridge_want("Open_vSwitch", ovs, row, "cur_cfg",
                    json_integer(next_cfg));
    }
    bridge_want("Open_vSwitch", ovs, row, "ovs_version",
                json_string(PACKAGE_VERSION));
    bridge_want("Open_vSwitch", ovs, row, "db_version",
                json_string(idl_schema_version(idl)));
    bridge_want("Open_vSwitch", ovs, row, "iface_types", bridge_iface_types());
    bridge_want("Open_vSwitch", ovs, row, "datapath_types",
                json_pack("[s, [s, s]]", "set", "netdev", "system"));
    bridge_want("Open_vSwitch", ovs, row, "dpdk_initialized", json_true());
    bridge_want("Open_vSwitch", ovs, row, "dpdk_version",
                json_string(rte_version()));
    bridge_add_update(ops, "Open_vSwitch", uuid, row);
}

struct bridge_controller_aux {
    const json_t *brow;
    json_t *ops;
};

/* Writes one controller target's state to the Controller rows of the
 * bridge that have that target. */
static void
bridge_controller_status_cb(const char *target, bool connected,
                            const char *role, const struct smap *status,
                            void *aux_)
{
    struct bridge_controller_aux *aux = aux_;
    size_t n;
    const char **uuids = idl_get_uuids(aux->brow, "controller", &n);

    for (size_t i = 0; i < n; i++) {
        const json_t *crow = idl_row(idl, "Controller", uuids[i]);
        json_t *row;

        if (!crow || strcmp(idl_get_string(crow, "target", ""), target)) {
            continue;
        }
        row = json_object();
        bridge_want("Controller", crow, row, "is_connected",
                    json_boolean(connected));
        bridge_want("Controller", crow, row, "role", json_string(role));
        bridge_want("Controller", crow, row, "status",
                    idl_smap_to_json(status));
        bridge_add_update(aux->ops, "Controller", uuids[i], row);
    }
    free(uuids);
}

static void
bridge_write_controllers(const struct bridge *br, const json_t *brow,
                         json_t *ops)
{
    struct bridge_controller_aux aux = {brow, ops};

    if (br->ofproto && brow) {
        ofproto_get_controller_status(br->ofproto, bridge_controller_status_cb,
                                      &aux);
    }
}

static void
bridge_write_status(bool reconfigured, bool stats)
{
    json_t *ops = json_array();

    for (size_t i = 0; i < n_bridges; i++) {
        struct bridge *br = bridges[i];
        const json_t *brow = idl_row(idl, "Bridge", br->uuid);
        struct smap br_cfg = SMAP_INITIALIZER;
        json_t *row = json_object();
        char dpid[17];

        idl_get_smap(brow, "other_config", &br_cfg);
        bridge_datapath_id(&br_cfg, &br->mac, dpid);
        smap_destroy(&br_cfg);
        bridge_want("Bridge", brow, row, "datapath_id", json_string(dpid));
        bridge_add_update(ops, "Bridge", br->uuid, row);
        iface_write_status(idl, br, stats, ops);
        bridge_write_controllers(br, brow, ops);
    }
    bridge_write_ovs(ops, reconfigured);
    if (json_array_size(ops)) {
        idl_transact(idl, ops);
    } else {
        json_decref(ops);
    }
}

/* ---- Main loop. ---- */

void
bridge_run(void)
{
    bool stats_due;
    long long next_cfg = 0;

    if (!idl) {
        return;
    }
    idl_run(idl);
    if (!idl_has_contents(idl)) {
        had_contents = false;
        return;
    }
    if (!had_contents) {
        /* A new connection: the database may have lost what was written. */
        had_contents = true;
        for (size_t i = 0; i < n_bridges; i++) {
            iface_forget_stats(bridges[i]);
        }
    }
    if (!started) {
        return;
    }
    stats_due = time_msec() >= next_stats_ms;
    if (idl_get_seqno(idl) != applied_seqno) {
        idl_get_int(idl_first_row(idl, "Open_vSwitch", NULL), "next_cfg",
                    &next_cfg);
        bridge_reconfigure(next_cfg);
        applied_seqno = idl_get_seqno(idl);
        bridge_write_status(true, true);
        configured = true;
    } else if (stats_due) {
        bridge_write_status(false, true);
    }
    if (stats_due) {
        next_stats_ms = time_msec() + BRIDGE_STATS_INTERVAL_MS;
    }
}

int
bridge_poll_fds(struct pollfd *pfds, int max, int *timeout_ms)
{
    if (!idl || max < 1) {
        return 0;
    }
    idl_poll_fd(idl, &pfds[0], timeout_ms);
    if (started) {
        long long wait = next_stats_ms - time_msec();

        if (wait < *timeout_ms) {
            *timeout_ms = wait < 0 ? 0 : (int)wait;
        }
    }
    return 1;
}

void
bridge_exit(void)
{
    while (n_bridges) {
        bridge_destroy(n_bridges - 1);
    }
    free(bridges);
    bridges = NULL;
    allocated_bridges = 0;
    idl_destroy(idl);
    idl = NULL;
    json_decref(reported);
    reported = NULL;
    free(dpdk_cfg_at_start);
    dpdk_cfg_at_start = NULL;
    free(ssl_cfg_applied);
    ssl_cfg_applied = NULL;
}
