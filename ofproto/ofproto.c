/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto: one OpenFlow switch per bridge — its life cycle, configuration
 * from the database, ports, the main-loop work, and the transactions that
 * every table, group, meter and port change goes through.  The tables
 * (ofproto-flow.c), groups (ofproto-group.c), meters (ofproto-meter.c),
 * bundles (ofproto-bundle.c) and message handlers (ofproto-handle.c) are
 * their own files; translation and connections are other modules reached
 * through ofproto-private.h.
 *
 * Ports.  OpenFlow port N is datapath port N, except datapath port 0,
 * kept for the bridge's own port, which is OFPP_LOCAL.  The switch rereads
 * the datapath's ports when told (ofproto_ports_changed()) and once a
 * second (link state), sends PORT_STATUS for what changed, and publishes a
 * read-only snapshot of the ports for translation.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/unixctl.h"
#include "lib/vlog.h"
#include "ofproto/mac-learning.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto);

#define STATS_PULL_MS 1000
#define PORT_POLL_MS  1000
/* Speed Tern reports for every port: 10 Gb/s, full duplex. */
#define PORT_SPEED_KBPS 10000000u

static struct hmap all_ofprotos = {NULL, 0, 0};

/* ---- Transactions ---- */

void
ofproto_txn_init(struct ofproto_txn *txn, struct ofproto *ofproto)
{
    txn->ofproto = ofproto;
    txn->undo = NULL;
    txn->n_undo = txn->allocated = 0;
    txn->reinserts = false;
}

void
ofproto_txn_push(struct ofproto_txn *txn,
                 void (*commit)(struct ofproto *, void *),
                 void (*rollback)(struct ofproto *, void *), void *data)
{
    if (txn->n_undo == txn->allocated) {
        txn->allocated = txn->allocated ? 2 * txn->allocated : 8;
        txn->undo = xrealloc(txn->undo, txn->allocated * sizeof *txn->undo);
    }
    txn->undo[txn->n_undo++] = (struct ofproto_undo){commit, rollback, data};
}

void
ofproto_txn_commit(struct ofproto_txn *txn)
{
    for (size_t i = 0; i < txn->n_undo; i++) {
        txn->undo[i].commit(txn->ofproto, txn->undo[i].data);
    }
    if (txn->n_undo) {
        ofproto_mark_dirty(txn->ofproto);
    }
    free(txn->undo);
    ofproto_txn_init(txn, txn->ofproto);
}

void
ofproto_txn_rollback(struct ofproto_txn *txn)
{
    if (txn->reinserts) {
        /* Objects removed from classifiers may go back only after every
         * reader that could still see them has moved on. */
        rcu_synchronize();
    }
    for (size_t i = txn->n_undo; i-- > 0;) {
        txn->undo[i].rollback(txn->ofproto, txn->undo[i].data);
    }
    if (txn->n_undo) {
        ofproto_mark_dirty(txn->ofproto);
    }
    free(txn->undo);
    ofproto_txn_init(txn, txn->ofproto);
}

void
ofproto_txn_free_data(struct ofproto *ofproto TERN_UNUSED, void *data)
{
    free(data);
}

enum ofperr
ofproto_txn_run(struct ofproto *ofproto,
                enum ofperr (*apply)(struct ofproto_txn *, const void *arg),
                const void *arg)
{
    struct ofproto_txn txn;
    enum ofperr error;

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    error = apply(&txn, arg);
    if (error) {
        ofproto_txn_rollback(&txn);
    } else {
        ofproto_txn_commit(&txn);
    }
    pthread_mutex_unlock(&ofproto->mutex);
    return error;
}

void
ofproto_mark_dirty(struct ofproto *ofproto)
{
    atomic_fetch_add_explicit(&ofproto->dirty_seq, 1, memory_order_relaxed);
}

/* ---- Ports ---- */

uint32_t
ofproto_dp_to_ofp_port(const struct ofproto *ofproto TERN_UNUSED,
                       uint32_t dp_port)
{
    return dp_port == 0 ? OFPP_LOCAL : dp_port;
}

uint32_t
ofproto_ofp_to_dp_port(const struct ofproto *ofproto TERN_UNUSED,
                       uint32_t ofp_port)
{
    return ofp_port == OFPP_LOCAL ? 0 : ofp_port;
}

struct ofport *
ofproto_port_find(const struct ofproto *ofproto, uint32_t ofp_port)
{
    HMAP_FOR_EACH_WITH_HASH(node, hash_int(ofp_port, 0), &ofproto->ports)
    {
        struct ofport *p = CONTAINER_OF(node, struct ofport, node);

        if (p->ofp_port == ofp_port) {
            return p;
        }
    }
    return NULL;
}

const struct ofport_snapshot_port *
ofport_snapshot_find(const struct ofport_snapshot *s, uint32_t ofp_port)
{
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->ports[mid].ofp_port == ofp_port) {
            return &s->ports[mid];
        } else if (s->ports[mid].ofp_port < ofp_port) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static int
snapshot_port_cmp(const void *a_, const void *b_)
{
    const struct ofport_snapshot_port *a = a_, *b = b_;

    return a->ofp_port < b->ofp_port ? -1 : a->ofp_port > b->ofp_port;
}

static void
snapshot_free_cb(void *s_)
{
    struct ofport_snapshot *s = s_;

    for (size_t i = 0; i < s->n; i++) {
        free((void *)s->ports[i].vlan.trunks);
    }
    free(s);
}

/* Publishes a new port snapshot for translation (release store, paired
 * with readers' rcu_get()). */
static void
publish_ports(struct ofproto *ofproto)
{
    size_t n = hmap_count(&ofproto->ports), i = 0;
    struct ofport_snapshot *s = xzalloc(sizeof *s + n * sizeof s->ports[0]);
    struct ofport_snapshot *old = rcu_get_relaxed(ofproto->port_snapshot);

    HMAP_FOR_EACH(node, &ofproto->ports)
    {
        const struct ofport *p = CONTAINER_OF(node, struct ofport, node);
        struct ofport_snapshot_port *sp = &s->ports[i++];

        sp->ofp_port = p->ofp_port;
        sp->dp_port = p->dp_port;
        sp->config = p->pp.config;
        sp->live = p->may_enable && !(p->pp.config & OFPPC_PORT_DOWN);
        sp->vlan = p->vlan;
        if (p->vlan.n_trunks) {
            sp->vlan.trunks =
                xmemdup(p->vlan.trunks, p->vlan.n_trunks * sizeof(uint16_t));
        }
    }
    s->n = n;
    qsort(s->ports, n, sizeof s->ports[0], snapshot_port_cmp);
    rcu_publish(ofproto->port_snapshot, s);
    if (old) {
        rcu_postpone(snapshot_free_cb, old);
    }
    ofproto_mark_dirty(ofproto);
}

/* Fills the parts of 'pp' that come from the device. */
static void
port_read_netdev(const struct ofproto *ofproto, uint32_t dp_port,
                 const char *name, uint32_t config, struct ofp_phy_port *pp,
                 bool *may_enable)
{
    struct netdev *netdev = dpif_port_netdev(ofproto->dpif, dp_port);
    bool carrier = netdev ? netdev_get_carrier(netdev) : false;
    bool admin_up = netdev ? netdev_get_admin_up(netdev) : false;

    memset(pp, 0, sizeof *pp);
    pp->port_no = ofproto_dp_to_ofp_port(ofproto, dp_port);
    if (netdev) {
        netdev_get_etheraddr(netdev, &pp->hw_addr);
    }
    snprintf(pp->name, sizeof pp->name, "%s", name);
    pp->config = config & ~OFPPC_PORT_DOWN;
    if (!admin_up || (config & OFPPC_PORT_DOWN)) {
        pp->config |= OFPPC_PORT_DOWN;
    }
    /* An administratively down port has no link, as Open vSwitch reports
     * it (its devices lose carrier when brought down). */
    pp->state = carrier && !(pp->config & OFPPC_PORT_DOWN) ? OFPPS_LIVE
                                                           : OFPPS_LINK_DOWN;
    /* Tern's devices do not report their speed: kernel and DPDK ports are
     * reported as 10 Gb/s copper (what a veth says to ethtool); tap devices
     * (internal ports) as the same speed now and nothing advertised, as a
     * tap answers ethtool; dummy ports report nothing, as Open vSwitch's
     * dummy devices do. */
    const char *type = netdev ? netdev_get_type(netdev) : "";
    if (!strcmp(type, "internal") || !strcmp(type, "tap")) {
        pp->curr = OFPPF_10GB_FD | OFPPF_COPPER;
        pp->curr_speed = PORT_SPEED_KBPS;
    } else if (strcmp(type, "dummy")) {
        pp->curr = pp->advertised = pp->supported =
            OFPPF_10GB_FD | OFPPF_COPPER;
        pp->curr_speed = pp->max_speed = PORT_SPEED_KBPS;
    }
    *may_enable = carrier && admin_up;
}

struct port_scan {
    struct ofproto *ofproto;
    struct hmap *seen; /* Of struct ofport, the new set. */
    bool changed;
};

static void
send_port_status(struct ofproto *ofproto, uint8_t reason,
                 const struct ofp_phy_port *pp)
{
    if (ofproto->connmgr) {
        connmgr_send_port_status(ofproto->connmgr, reason, pp);
    }
}

static void
port_scan_cb(const struct dpif_port *dport, void *scan_)
{
    struct port_scan *scan = scan_;
    struct ofproto *ofproto = scan->ofproto;
    uint32_t ofp_port = ofproto_dp_to_ofp_port(ofproto, dport->port_no);
    struct ofport *p = ofproto_port_find(ofproto, ofp_port);
    struct ofp_phy_port pp;
    bool may_enable;

    port_read_netdev(ofproto, dport->port_no, dport->name,
                     p ? p->mod_config : 0, &pp, &may_enable);
    if (p) {
        hmap_remove(&ofproto->ports, &p->node);
        if (memcmp(&p->pp, &pp, sizeof pp) || p->may_enable != may_enable) {
            p->pp = pp;
            p->may_enable = may_enable;
            send_port_status(ofproto, OFPPR_MODIFY, &pp);
            scan->changed = true;
        }
    } else {
        p = xzalloc(sizeof *p);
        p->ofp_port = ofp_port;
        p->dp_port = dport->port_no;
        p->pp = pp;
        p->created = time_msec();
        p->vlan.mode = OFPROTO_VLAN_TRUNK;
        p->vlan.tag = -1;
        p->may_enable = may_enable;
        send_port_status(ofproto, OFPPR_ADD, &pp);
        scan->changed = true;
    }
    hmap_insert(scan->seen, &p->node, hash_int(ofp_port, 0));
}

static void
ofport_free(struct ofport *p)
{
    free((void *)p->vlan.trunks);
    free(p);
}

/* Rereads the datapath's ports; sends PORT_STATUS for every change. */
static void
ofproto_update_ports(struct ofproto *ofproto)
{
    struct hmap seen;
    struct port_scan scan = {ofproto, &seen, false};

    hmap_init(&seen);
    dpif_port_for_each(ofproto->dpif, port_scan_cb, &scan);
    HMAP_FOR_EACH_SAFE(node, next, &ofproto->ports)
    {
        struct ofport *p = CONTAINER_OF(node, struct ofport, node);

        hmap_remove(&ofproto->ports, node);
        send_port_status(ofproto, OFPPR_DELETE, &p->pp);
        if (ofproto->ml) {
            mac_learning_forget_port(ofproto->ml, p->ofp_port);
        }
        ofport_free(p);
        scan.changed = true;
    }
    hmap_destroy(&ofproto->ports);
    ofproto->ports = seen;
    if (scan.changed || !rcu_get_relaxed(ofproto->port_snapshot)) {
        publish_ports(ofproto);
    }
    ofproto->next_port_poll = time_msec() + PORT_POLL_MS;
}

void
ofproto_ports_changed(struct ofproto *ofproto)
{
    ofproto_update_ports(ofproto);
}

void
ofproto_set_port_vlan(struct ofproto *ofproto, uint32_t ofp_port,
                      const struct ofproto_port_vlan *vlan)
{
    struct ofport *p = ofproto_port_find(ofproto, ofp_port);

    if (!p) {
        ofproto_update_ports(ofproto);
        p = ofproto_port_find(ofproto, ofp_port);
        if (!p) {
            return;
        }
    }
    free((void *)p->vlan.trunks);
    p->vlan = *vlan;
    p->vlan.trunks =
        vlan->n_trunks
            ? xmemdup(vlan->trunks, vlan->n_trunks * sizeof *vlan->trunks)
            : NULL;
    if (!p->vlan.trunks) {
        p->vlan.n_trunks = 0;
    }
    if (ofproto->ml) {
        mac_learning_forget_port(ofproto->ml, ofp_port);
    }
    publish_ports(ofproto);
}

/* ---- Port mod ---- */

#define PORT_MOD_BITS                                                         \
    (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | OFPPC_NO_PACKET_IN)

struct undo_port {
    uint32_t ofp_port;
    uint32_t old_config, new_config;
};

static void
port_set_config(struct ofproto *ofproto, struct ofport *p, uint32_t config)
{
    struct netdev *netdev = dpif_port_netdev(ofproto->dpif, p->dp_port);
    bool carrier = netdev && netdev_get_carrier(netdev);
    bool admin_up = netdev && netdev_get_admin_up(netdev);

    p->mod_config = config;
    p->pp.config = config | (admin_up ? 0 : OFPPC_PORT_DOWN);
    p->pp.state = carrier && !(p->pp.config & OFPPC_PORT_DOWN)
                      ? OFPPS_LIVE
                      : OFPPS_LINK_DOWN;
    publish_ports(ofproto);
}

static void
undo_port_commit(struct ofproto *ofproto, void *u_)
{
    struct undo_port *u = u_;
    struct ofport *p = ofproto_port_find(ofproto, u->ofp_port);

    if (p && u->old_config != u->new_config) {
        send_port_status(ofproto, OFPPR_MODIFY, &p->pp);
    }
    free(u);
}

static void
undo_port_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_port *u = u_;
    struct ofport *p = ofproto_port_find(ofproto, u->ofp_port);

    if (p) {
        port_set_config(ofproto, p, u->old_config);
    }
    free(u);
}

enum ofperr
ofproto_port_mod_txn(struct ofproto_txn *txn, const struct ofp_port_mod *pm)
{
    struct ofproto *ofproto = txn->ofproto;
    struct ofport *p = ofproto_port_find(ofproto, pm->port_no);
    struct undo_port *u;
    uint32_t config;

    if (!p) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    if (memcmp(&p->pp.hw_addr, &pm->hw_addr, sizeof pm->hw_addr)) {
        return OFPERR_OFPPMFC_BAD_HW_ADDR;
    }
    if ((pm->config | pm->mask) & ~PORT_MOD_BITS) {
        return OFPERR_OFPPMFC_BAD_CONFIG;
    }
    config = (p->mod_config & ~pm->mask) | (pm->config & pm->mask);
    u = xzalloc(sizeof *u);
    u->ofp_port = p->ofp_port;
    u->old_config = p->mod_config;
    u->new_config = config;
    if (config != p->mod_config) {
        port_set_config(ofproto, p, config);
    }
    ofproto_txn_push(txn, undo_port_commit, undo_port_rollback, u);
    return 0;
}

static enum ofperr
port_mod_apply(struct ofproto_txn *txn, const void *pm)
{
    return ofproto_port_mod_txn(txn, pm);
}

enum ofperr
ofproto_port_mod(struct ofproto *ofproto, const struct ofp_port_mod *pm)
{
    return ofproto_txn_run(ofproto, port_mod_apply, pm);
}

/* ---- Life cycle ---- */

int
ofproto_create(const char *name, struct dpif *dpif, struct ofproto **ofprotop)
{
    struct ofproto *ofproto;

    *ofprotop = NULL;
    if (ofproto_lookup(name)) {
        return EEXIST;
    }
    if (!all_ofprotos.buckets) {
        hmap_init(&all_ofprotos);
    }
    ofproto = xzalloc(sizeof *ofproto);
    ofproto->name = xstrdup(name);
    ofproto->dpif = dpif;
    ofproto->allowed_versions = OFP_SUPPORTED_VERSIONS;
    ofproto->fail_mode = OFPROTO_FAIL_STANDALONE;
    atomic_init(&ofproto->fail_open, false);
    pthread_mutex_init(&ofproto->mutex, NULL);
    ofproto_tables_init(ofproto);
    ofproto_groups_init(ofproto);
    ofproto_meters_init(ofproto);
    ofproto_bundles_init(ofproto);
    hmap_init(&ofproto->ports);
    atomic_init(&ofproto->port_snapshot, NULL);
    atomic_init(&ofproto->dirty_seq, 0);
    atomic_init(&ofproto->n_upcalls, 0);
    ofproto->ml = mac_learning_create();
    hmap_insert(&all_ofprotos, &ofproto->node, hash_string(name, 0));
    ofproto_update_ports(ofproto);
    /* A datapath id from the bridge's port 0 MAC, or the name's hash. */
    ofproto->datapath_id = hash_string(name, 0x7e54) & 0xffffffffffffull;
    ofproto->next_stats_pull = time_msec() + STATS_PULL_MS;
    ofproto->connmgr = connmgr_create(ofproto);
    dpif_register_upcall_cb(dpif, ofproto_upcall, ofproto);
    *ofprotop = ofproto;
    return 0;
}

void
ofproto_destroy(struct ofproto *ofproto)
{
    struct ofport_snapshot *ps;

    if (!ofproto) {
        return;
    }
    dpif_register_upcall_cb(ofproto->dpif, NULL, NULL);
    dpif_synchronize(ofproto->dpif);
    if (ofproto->connmgr) {
        connmgr_destroy(ofproto->connmgr);
        ofproto->connmgr = NULL;
    }
    ofproto_bundles_destroy(ofproto);
    ofproto_tables_destroy(ofproto);
    ofproto_groups_destroy(ofproto);
    ofproto_meters_destroy(ofproto);
    HMAP_FOR_EACH_SAFE(node, next, &ofproto->ports)
    {
        hmap_remove(&ofproto->ports, node);
        ofport_free(CONTAINER_OF(node, struct ofport, node));
    }
    hmap_destroy(&ofproto->ports);
    ps = rcu_get_relaxed(ofproto->port_snapshot);
    if (ps) {
        rcu_postpone(snapshot_free_cb, ps);
    }
    mac_learning_destroy(ofproto->ml);
    hmap_remove(&all_ofprotos, &ofproto->node);
    /* Translations on other threads are over (dpif_synchronize() above);
     * the object itself goes after the grace period of what it owned. */
    pthread_mutex_destroy(&ofproto->mutex);
    free(ofproto->name);
    rcu_postpone(free, ofproto);
}

struct ofproto *
ofproto_lookup(const char *name)
{
    if (!all_ofprotos.buckets) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH(node, hash_string(name, 0), &all_ofprotos)
    {
        struct ofproto *o = CONTAINER_OF(node, struct ofproto, node);

        if (!strcmp(o->name, name)) {
            return o;
        }
    }
    return NULL;
}

const char *
ofproto_name(const struct ofproto *ofproto)
{
    return ofproto->name;
}

/* ---- Configuration ---- */

void
ofproto_set_datapath_id(struct ofproto *ofproto, uint64_t dpid)
{
    if (dpid) {
        ofproto->datapath_id = dpid;
    }
}

uint64_t
ofproto_get_datapath_id(const struct ofproto *ofproto)
{
    return ofproto->datapath_id;
}

void
ofproto_set_protocols(struct ofproto *ofproto, uint32_t bitmap)
{
    bitmap &= OFP_SUPPORTED_VERSIONS;
    ofproto->allowed_versions = bitmap ? bitmap : OFP_SUPPORTED_VERSIONS;
}

void
ofproto_set_fail_mode(struct ofproto *ofproto, enum ofproto_fail_mode mode)
{
    if (ofproto->fail_mode != mode) {
        ofproto->fail_mode = mode;
        ofproto_mark_dirty(ofproto);
    }
}

void
ofproto_set_other_config(struct ofproto *ofproto, const struct smap *cfg)
{
    if (ofproto->ml) {
        mac_learning_configure(ofproto->ml, cfg);
    }
}

void
ofproto_set_controllers(struct ofproto *ofproto,
                        const struct ofproto_controller *ctrls, size_t n)
{
    if (ofproto->connmgr) {
        connmgr_set_controllers(ofproto->connmgr, ctrls, n);
    }
}

void
ofproto_get_controller_status(const struct ofproto *ofproto,
                              void (*cb)(const char *target, bool connected,
                                         const char *role,
                                         const struct smap *status, void *aux),
                              void *aux)
{
    if (ofproto->connmgr) {
        connmgr_get_controller_status(ofproto->connmgr, cb, aux);
    }
}

/* ---- Main loop ---- */

void
ofproto_run(struct ofproto *ofproto)
{
    long long now = time_msec();

    if (ofproto->connmgr) {
        connmgr_run(ofproto->connmgr);
    }
    if (now >= ofproto->next_stats_pull) {
        ofproto_pull_stats(ofproto);
        ofproto->next_stats_pull = now + STATS_PULL_MS;
    }
    ofproto_expire(ofproto);
    ofproto_bundles_run(ofproto);
    if (now >= ofproto->next_port_poll) {
        ofproto_update_ports(ofproto);
    }
    ofproto_drain_packet_ins(ofproto);
    ofproto_flush_changes(ofproto);
}

/* The next time ofproto_run() has timed work. */
static long long
ofproto_next_wakeup(const struct ofproto *ofproto)
{
    long long next = MIN(ofproto->next_stats_pull, ofproto->next_port_poll);

    if (!list_is_empty(&ofproto->expirable)) {
        /* Timeouts have a resolution of one second. */
        next = MIN(next, time_msec() + 1000);
    }
    if (hmap_count(&ofproto->bundles)) {
        next = MIN(next, time_msec() + 1000);
    }
    return next;
}

int
ofproto_poll_fds(struct ofproto *ofproto, struct pollfd *fds, int max,
                 int *timeout_ms)
{
    long long wait = ofproto_next_wakeup(ofproto) - time_msec();
    int n = 0;

    if (wait < 0) {
        wait = 0;
    }
    if (*timeout_ms < 0 || wait < *timeout_ms) {
        *timeout_ms = wait > INT_MAX ? INT_MAX : (int)wait;
    }
    if (ofproto->connmgr) {
        n = connmgr_poll_fds(ofproto->connmgr, fds, max, timeout_ms);
    }
    return n;
}

void
ofproto_run_all(void)
{
    if (!all_ofprotos.buckets) {
        return;
    }
    HMAP_FOR_EACH_SAFE(node, next, &all_ofprotos)
    {
        ofproto_run(CONTAINER_OF(node, struct ofproto, node));
    }
}

int
ofproto_poll_fds_all(struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0;

    if (!all_ofprotos.buckets) {
        return 0;
    }
    HMAP_FOR_EACH(node, &all_ofprotos)
    {
        n += ofproto_poll_fds(CONTAINER_OF(node, struct ofproto, node),
                              fds + n, max - n, timeout_ms);
    }
    return n;
}

/* ---- unixctl ---- */

static void
ofproto_unixctl_list(struct unixctl_conn *conn, int argc TERN_UNUSED,
                     const char *argv[] TERN_UNUSED, void *aux TERN_UNUSED)
{
    struct ds s = DS_EMPTY;

    if (all_ofprotos.buckets) {
        HMAP_FOR_EACH(node, &all_ofprotos)
        {
            ds_put_format(&s, "%s\n",
                          CONTAINER_OF(node, struct ofproto, node)->name);
        }
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static const char *
fdb_port_name(uint32_t port, void *ofproto_)
{
    const struct ofport *p = ofproto_port_find(ofproto_, port);

    return p ? p->pp.name : NULL;
}

/* Finds the bridge named by argv[1] or replies with an error. */
static struct ofproto *
fdb_bridge(struct unixctl_conn *conn, const char *name)
{
    struct ofproto *ofproto = ofproto_lookup(name);

    if (!ofproto || !ofproto->ml) {
        unixctl_command_reply_error(conn, "no such bridge");
        return NULL;
    }
    return ofproto;
}

static void
fdb_show(struct unixctl_conn *conn, int argc TERN_UNUSED, const char *argv[],
         void *aux TERN_UNUSED)
{
    struct ofproto *ofproto = fdb_bridge(conn, argv[1]);
    struct ds s = DS_EMPTY;

    if (ofproto) {
        mac_learning_format(ofproto->ml, fdb_port_name, ofproto, time_msec(),
                            &s);
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    ds_destroy(&s);
}

static void
fdb_flush(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux TERN_UNUSED)
{
    if (argc > 1) {
        struct ofproto *ofproto = fdb_bridge(conn, argv[1]);

        if (!ofproto) {
            return;
        }
        mac_learning_flush(ofproto->ml);
        ofproto_mark_dirty(ofproto);
    } else if (all_ofprotos.buckets) {
        HMAP_FOR_EACH(node, &all_ofprotos)
        {
            struct ofproto *o = CONTAINER_OF(node, struct ofproto, node);

            mac_learning_flush(o->ml);
            ofproto_mark_dirty(o);
        }
    }
    unixctl_command_reply(conn, "table successfully flushed");
}

static void
fdb_stats_show(struct unixctl_conn *conn, int argc TERN_UNUSED,
               const char *argv[], void *aux TERN_UNUSED)
{
    struct ofproto *ofproto = fdb_bridge(conn, argv[1]);
    struct ds s = DS_EMPTY;

    if (ofproto) {
        mac_learning_format_stats(ofproto->ml, ofproto->name, &s);
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    ds_destroy(&s);
}

void
ofproto_register_commands(void)
{
    static bool registered;

    if (registered) {
        return;
    }
    registered = true;
    unixctl_command_register("ofproto/list", "", 0, 0, ofproto_unixctl_list,
                             NULL);
    unixctl_command_register("fdb/show", "bridge", 1, 1, fdb_show, NULL);
    unixctl_command_register("fdb/flush", "[bridge]", 0, 1, fdb_flush, NULL);
    unixctl_command_register("fdb/stats-show", "bridge", 1, 1, fdb_stats_show,
                             NULL);
    ofproto_trace_register_commands();
}
