/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-netdev: the userspace datapath behind datapath/dpif.h — a registry
 * of datapaths by name, their ports (netdevs the datapath owns), their
 * configuration, and the glue between the flow table (dp-flow), the
 * forwarding threads (dp-pmd, dp-process) and the counters (dp-perf).
 *
 * Everything here runs on the main thread.  What PMD threads read (the
 * port map, poll lists, upcall registration) is published with RCU; what
 * they must no longer use is freed after a grace period.
 */
#include <config.h>

#include "datapath/dpif.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "datapath/dp-meter.h"
#include "datapath/dp-nonpmd.h"
#include "datapath/dpif-netdev-private.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dpif_netdev);

#define DPIF_DEFAULT_MAX_IDLE            10000
#define DPIF_DEFAULT_EMC_INSERT_INV_PROB 100

/* Registry, in creation order. */
static struct dpif **all_dps;
static size_t n_dps;

struct dpif *
dpif_lookup(const char *name)
{
    for (size_t i = 0; i < n_dps; i++) {
        if (!strcmp(all_dps[i]->name, name)) {
            return all_dps[i];
        }
    }
    return NULL;
}

struct dpif *
dpif_netdev_find(const char *name)
{
    if (name) {
        return dpif_lookup(name);
    }
    return n_dps == 1 ? all_dps[0] : NULL;
}

const char *
dpif_name(const struct dpif *dp)
{
    return dp->name;
}

void
dpif_for_each(void (*cb)(struct dpif *, void *aux), void *aux)
{
    for (size_t i = 0; i < n_dps; i++) {
        cb(all_dps[i], aux);
    }
}

/* Ports. */

/* Publishes a snapshot of dp->ports for PMD threads. */
static void
dpif_netdev_publish_ports__(struct dpif *dp)
{
    struct dp_port_map *old =
        atomic_load_explicit(&dp->port_map, memory_order_relaxed);
    struct dp_port_map *map = xmemdup(dp->ports, sizeof *map);

    /* Pairs with rcu_get() in dp_pmd_poll_once__(). */
    rcu_publish(dp->port_map, map);
    rcu_postpone(free, old);
}

/* Asks for one tx queue per sending thread.  The port must be idle. */
static void
dpif_netdev_port_set_txq__(struct dpif *dp, struct dp_port *port)
{
    int wanted = dp->n_pmds + 1;
    int error = netdev_set_tx_multiq(port->netdev, wanted);

    if (error) {
        VLOG_WARN("%s: could not set %d tx queues (%s)",
                  netdev_get_name(port->netdev), wanted, tern_strerror(error));
    }
    port->concurrent_txq = netdev_n_txq(port->netdev) < wanted;
}

/* Allocates a poll list with room for 'n' entries. */
static struct dp_poll_list *
dpif_netdev_poll_list_new__(size_t n)
{
    struct dp_poll_list *l =
        xmalloc(sizeof *l + MAX(n, 1) * sizeof l->entries[0]);

    l->n = 0;
    return l;
}

static void
dpif_netdev_poll_list_add__(struct dp_poll_list *l, struct dp_port *port,
                            int qid)
{
    l->entries[l->n].port = port;
    l->entries[l->n++].qid = qid;
}

/* Spreads the rx queues of the ports that PMDs poll over the PMDs, round
 * robin by port number then queue, gives those of the other ports
 * (dp_nonpmd_port()) to the main thread, and publishes the new poll
 * lists. */
static void
dpif_netdev_assign_rxqs__(struct dpif *dp)
{
    struct dp_poll_list *lists[DP_MAX_PMDS];
    struct dp_poll_list *main_list;
    size_t total = 0, k = 0;

    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        total += dp->ports[i] ? dp->ports[i]->n_rxq : 0;
    }
    main_list = dpif_netdev_poll_list_new__(total);
    for (size_t i = 0; i < dp->n_pmds; i++) {
        lists[i] = dpif_netdev_poll_list_new__(total);
    }
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        struct dp_port *port = dp->ports[i];
        bool on_main = port && dp_nonpmd_port(port);

        for (int q = 0; port && q < port->n_rxq; q++) {
            if (on_main) {
                dpif_netdev_poll_list_add__(main_list, port, q);
            } else if (dp->n_pmds) {
                dpif_netdev_poll_list_add__(lists[k++ % dp->n_pmds], port, q);
            }
        }
    }
    dp_pmd_set_poll_list(dp->main_pmd, main_list);
    for (size_t i = 0; i < dp->n_pmds; i++) {
        dp_pmd_set_poll_list(dp->pmds[i], lists[i]);
    }
}

static struct dp_port *
dpif_netdev_port_by_name__(const struct dpif *dp, const char *name)
{
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        struct dp_port *port = dp->ports[i];

        if (port && !strcmp(netdev_get_name(port->netdev), name)) {
            return port;
        }
    }
    return NULL;
}

int
dpif_port_add(struct dpif *dp, struct netdev *netdev, uint32_t *port_nop)
{
    uint32_t port_no = *port_nop;
    struct dp_port *port;

    if (dpif_netdev_port_by_name__(dp, netdev_get_name(netdev))) {
        return EEXIST;
    }
    if (port_no == DPIF_PORT_ANY) {
        for (port_no = 0; port_no < DPIF_MAX_PORTS; port_no++) {
            if (!dp->ports[port_no]) {
                break;
            }
        }
    }
    if (port_no >= DPIF_MAX_PORTS) {
        return EFBIG;
    }
    if (dp->ports[port_no]) {
        return EEXIST;
    }

    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->netdev = netdev;
    port->n_rxq = MAX(netdev_n_rxq(netdev), 0);
    port->rxq_cycles = xcalloc(MAX(port->n_rxq, 1), sizeof *port->rxq_cycles);
    port->change_seq = netdev_get_change_seq(netdev);
    dpif_netdev_port_set_txq__(dp, port);

    dp->ports[port_no] = port;
    dpif_netdev_publish_ports__(dp);
    dpif_netdev_assign_rxqs__(dp);
    *port_nop = port_no;
    VLOG_INFO("%s: added port %s as %" PRIu32 " (%d rx queues)", dp->name,
              netdev_get_name(netdev), port_no, port->n_rxq);
    return 0;
}

static void
dpif_netdev_port_free__(struct dp_port *port)
{
    netdev_close(port->netdev);
    free(port->rxq_cycles);
    free(port);
}

int
dpif_port_del(struct dpif *dp, uint32_t port_no)
{
    struct dp_port *port;

    if (port_no >= DPIF_MAX_PORTS || !dp->ports[port_no]) {
        return ENOENT;
    }
    port = dp->ports[port_no];
    dp->ports[port_no] = NULL;
    dpif_netdev_publish_ports__(dp);
    dpif_netdev_assign_rxqs__(dp);
    /* Once every PMD has quiesced, none polls or sends on the port: PMDs
     * flush their output batches before each quiescent point. */
    rcu_synchronize();
    VLOG_INFO("%s: deleted port %s (%" PRIu32 ")", dp->name,
              netdev_get_name(port->netdev), port_no);
    dpif_netdev_port_free__(port);
    return 0;
}

static void
dpif_netdev_port_fill__(const struct dp_port *port, struct dpif_port *out)
{
    out->name = xstrdup(netdev_get_name(port->netdev));
    out->type = xstrdup(netdev_get_type(port->netdev));
    out->port_no = port->port_no;
}

int
dpif_port_query_by_number(const struct dpif *dp, uint32_t port_no,
                          struct dpif_port *out)
{
    if (port_no >= DPIF_MAX_PORTS || !dp->ports[port_no]) {
        return ENOENT;
    }
    dpif_netdev_port_fill__(dp->ports[port_no], out);
    return 0;
}

int
dpif_port_query_by_name(const struct dpif *dp, const char *name,
                        struct dpif_port *out)
{
    const struct dp_port *port = dpif_netdev_port_by_name__(dp, name);

    if (!port) {
        return ENOENT;
    }
    dpif_netdev_port_fill__(port, out);
    return 0;
}

void
dpif_port_destroy(struct dpif_port *port)
{
    if (port) {
        free(port->name);
        free(port->type);
        port->name = port->type = NULL;
    }
}

void
dpif_port_for_each(const struct dpif *dp,
                   void (*cb)(const struct dpif_port *, void *aux), void *aux)
{
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        if (dp->ports[i]) {
            struct dpif_port port;

            dpif_netdev_port_fill__(dp->ports[i], &port);
            cb(&port, aux);
            dpif_port_destroy(&port);
        }
    }
}

struct netdev *
dpif_port_netdev(const struct dpif *dp, uint32_t port_no)
{
    return port_no < DPIF_MAX_PORTS && dp->ports[port_no]
               ? dp->ports[port_no]->netdev
               : NULL;
}

/* PMD threads. */

static void
dpif_netdev_stop_pmds__(struct dpif *dp)
{
    for (size_t i = 0; i < dp->n_pmds; i++) {
        uint64_t raw[DP_PERF_N];

        dp_pmd_stop(dp->pmds[i]);
        dp_perf_read_raw(&dp->pmds[i]->perf, raw);
        for (int j = 0; j < DP_PERF_N; j++) {
            dp->retired[j] += raw[j];
        }
        dp_pmd_destroy(dp->pmds[i]);
        dp->pmds[i] = NULL;
    }
    dp->n_pmds = 0;
}

/* Replaces the PMD threads by one per CPU in 'cpus'. */
static void
dpif_netdev_set_pmds__(struct dpif *dp, const unsigned *cpus, size_t n)
{
    dpif_netdev_stop_pmds__(dp);
    for (size_t i = 0; i < n; i++) {
        dp->pmds[i] = dp_pmd_create(dp, cpus[i], i + 1);
    }
    dp->n_pmds = n;
    /* No thread polls or sends now: ports may be reconfigured. */
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        struct dp_port *port = dp->ports[i];

        if (port) {
            dpif_netdev_port_set_txq__(dp, port);
            for (int q = 0; q < port->n_rxq; q++) {
                atomic_store_explicit(&port->rxq_cycles[q], 0,
                                      memory_order_relaxed);
            }
        }
    }
    dpif_netdev_assign_rxqs__(dp);
    for (size_t i = 0; i < n; i++) {
        dp_pmd_start(dp->pmds[i]);
    }
    VLOG_INFO("%s: %zu pmd thread%s", dp->name, n, n == 1 ? "" : "s");
}

static bool
dpif_netdev_same_cpus__(const struct dpif *dp, const unsigned *cpus, size_t n)
{
    if (n != dp->n_pmds) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (dp->pmds[i]->core_id != cpus[i]) {
            return false;
        }
    }
    return true;
}

/* Datapath life. */

int
dpif_create(const char *name, struct dpif **dpifp)
{
    unsigned cpu;
    struct dpif *dp;

    *dpifp = NULL;
    if (!name || !name[0]) {
        return EINVAL;
    }
    if (dpif_lookup(name)) {
        return EEXIST;
    }
    rcu_init();

    dp = xzalloc(sizeof *dp);
    dp->name = xstrdup(name);
    atomic_init(&dp->port_map, xzalloc(sizeof(struct dp_port_map)));
    dp_flow_table_init(&dp->flows);
    dp->max_idle = DPIF_DEFAULT_MAX_IDLE;
    atomic_init(&dp->emc_insert_inv_prob, DPIF_DEFAULT_EMC_INSERT_INV_PROB);
    atomic_init(&dp->upcall, NULL);
    dp->meters = dp_meters_create();
    dp->main_pmd = dp_pmd_create(dp, UINT32_MAX, 0);
    dp->pmd_cpu_mask = xstrdup("");

    all_dps = xrealloc(all_dps, (n_dps + 1) * sizeof *all_dps);
    all_dps[n_dps++] = dp;

    cpu = dp_pmd_default_cpu();
    dpif_netdev_set_pmds__(dp, &cpu, 1);
    *dpifp = dp;
    return 0;
}

void
dpif_destroy(struct dpif *dp)
{
    if (!dp) {
        return;
    }
    for (size_t i = 0; i < n_dps; i++) {
        if (all_dps[i] == dp) {
            memmove(&all_dps[i], &all_dps[i + 1],
                    (n_dps - i - 1) * sizeof *all_dps);
            n_dps--;
            break;
        }
    }
    /* With its threads stopped nothing reads the datapath any more. */
    dpif_netdev_stop_pmds__(dp);
    dp_pmd_destroy(dp->main_pmd);
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        if (dp->ports[i]) {
            dpif_netdev_port_free__(dp->ports[i]);
        }
    }
    dp_flow_table_destroy(&dp->flows);
    dp_meters_destroy(dp->meters);
    free(atomic_load_explicit(&dp->port_map, memory_order_relaxed));
    free(atomic_load_explicit(&dp->upcall, memory_order_relaxed));
    free(dp->pmd_cpu_mask);
    free(dp->name);
    free(dp);
    if (!n_dps) {
        free(all_dps);
        all_dps = NULL;
    }
}

/* Parses integer key 'key' of 'cfg' into *out (unchanged when absent).
 * Returns NULL or an error message. */
static char *
dpif_netdev_parse_u32__(const struct smap *cfg, const char *key, uint32_t min,
                        uint32_t *out)
{
    const char *s = smap_get(cfg, key);
    uint32_t v;

    if (!s) {
        return NULL;
    }
    if (!str_to_u32(s, &v) || v < min) {
        return xasprintf("%s: invalid value \"%s\"", key, s);
    }
    *out = v;
    return NULL;
}

int
dpif_set_config(struct dpif *dp, const struct smap *cfg, char **errp)
{
    const char *mask = smap_get_def(cfg, "pmd-cpu-mask", "");
    uint32_t limit = DP_FLOW_DEFAULT_LIMIT;
    uint32_t max_idle = DPIF_DEFAULT_MAX_IDLE;
    uint32_t prob = DPIF_DEFAULT_EMC_INSERT_INV_PROB;
    unsigned cpus[DP_MAX_PMDS];
    int n_cpus = 0;

    *errp = dpif_netdev_parse_u32__(cfg, "flow-limit", 0, &limit);
    if (!*errp) {
        *errp = dpif_netdev_parse_u32__(cfg, "max-idle", 1, &max_idle);
    }
    if (!*errp) {
        *errp = dpif_netdev_parse_u32__(cfg, "emc-insert-inv-prob", 0, &prob);
    }
    if (!*errp && mask[0]) {
        n_cpus = dp_pmd_parse_cpu_mask(mask, cpus, DP_MAX_PMDS, errp);
    }
    if (*errp) {
        return EINVAL;
    }
    if (!n_cpus) {
        if (mask[0]) {
            VLOG_WARN("%s: pmd-cpu-mask %s has no usable CPU, using the "
                      "default",
                      dp->name, mask);
        }
        cpus[0] = dp_pmd_default_cpu();
        n_cpus = 1;
    }

    atomic_store_explicit(&dp->flows.limit, limit, memory_order_relaxed);
    atomic_store_explicit(&dp->emc_insert_inv_prob, prob,
                          memory_order_relaxed);
    if (max_idle != dp->max_idle) {
        dp->max_idle = max_idle;
        dp->next_expire = 0;
    }
    if (!dpif_netdev_same_cpus__(dp, cpus, n_cpus)) {
        dpif_netdev_set_pmds__(dp, cpus, n_cpus);
    }
    free(dp->pmd_cpu_mask);
    dp->pmd_cpu_mask = xstrdup(mask);
    return 0;
}

/* Flows. */

int
dpif_flow_put(struct dpif *dp, enum dpif_flow_put_flags flags,
              const struct flow *key, const struct flow_wildcards *mask,
              const void *actions, size_t actions_len,
              struct dpif_flow_stats *stats)
{
    if (dp_actions_validate(actions, actions_len)) {
        return EINVAL;
    }
    return dp_flow_table_put(&dp->flows, flags, key, mask, actions,
                             actions_len, stats);
}

int
dpif_flow_del(struct dpif *dp, const struct flow *key,
              const struct flow_wildcards *mask, struct dpif_flow_stats *stats)
{
    return dp_flow_table_del(&dp->flows, key, mask, stats);
}

void
dpif_flow_flush(struct dpif *dp)
{
    dp_flow_table_flush(&dp->flows);
}

void
dpif_flow_dump(struct dpif *dp,
               void (*cb)(const struct dpif_flow *, void *aux), void *aux)
{
    dp_flow_table_dump(&dp->flows, cb, aux);
}

int
dpif_flow_get(struct dpif *dp, const struct flow *key, struct dpif_flow *flow,
              void **actionsp)
{
    return dp_flow_table_get(&dp->flows, key, flow, actionsp);
}

int
dpif_execute(struct dpif *dp, struct dp_packet *packet, const void *actions,
             size_t actions_len)
{
    if (dp_actions_validate(actions, actions_len)) {
        dp_packet_free(packet);
        return EINVAL;
    }
    dp_pmd_execute(dp->main_pmd, packet, actions, actions_len);
    return 0;
}

int
dpif_meter_set(struct dpif *dp, uint32_t meter_id,
               const struct dpif_meter_config *cfg)
{
    return dp_meters_set(dp->meters, meter_id, cfg);
}

int
dpif_meter_del(struct dpif *dp, uint32_t meter_id,
               struct dpif_meter_stats *stats)
{
    return dp_meters_del(dp->meters, meter_id, stats);
}

int
dpif_meter_get_stats(const struct dpif *dp, uint32_t meter_id,
                     struct dpif_meter_stats *stats)
{
    return dp_meters_get_stats(dp->meters, meter_id, stats);
}

void
dpif_register_upcall_cb(struct dpif *dp, dpif_upcall_cb *cb, void *aux)
{
    struct dp_upcall_reg *old =
        atomic_load_explicit(&dp->upcall, memory_order_relaxed);
    struct dp_upcall_reg *reg = NULL;

    if (cb) {
        reg = xmalloc(sizeof *reg);
        reg->cb = cb;
        reg->aux = aux;
    }
    /* Pairs with rcu_get() in dp-process.c. */
    rcu_publish(dp->upcall, reg);
    if (old) {
        rcu_postpone(free, old);
    }
}

int
dpif_get_stats(const struct dpif *dp, struct dpif_dp_stats *s)
{
    uint64_t sum[DP_PERF_N];

    memcpy(sum, dp->retired, sizeof sum);
    for (size_t i = 0; i <= dp->n_pmds; i++) {
        const struct dp_pmd *pmd = i < dp->n_pmds ? dp->pmds[i] : dp->main_pmd;
        uint64_t raw[DP_PERF_N];

        dp_perf_read_raw(&pmd->perf, raw);
        for (int j = 0; j < DP_PERF_N; j++) {
            sum[j] += raw[j];
        }
    }
    s->n_hit = sum[DP_PERF_SIMPLE_HIT] + sum[DP_PERF_EMC_HIT] +
               sum[DP_PERF_MASKED_HIT];
    s->n_missed = sum[DP_PERF_MISS] + sum[DP_PERF_LOST];
    s->n_lost = sum[DP_PERF_LOST];
    s->n_flows = dp_flow_table_count(&dp->flows);
    s->n_masks = dp_flow_table_n_masks(&dp->flows);
    s->n_mask_hit = sum[DP_PERF_MASKED_LOOKUP];
    return 0;
}

void
dpif_synchronize(struct dpif *dp)
{
    (void)dp;
    rcu_synchronize();
}

/* Applies the reconfiguration 'port' asked for (netdev_get_change_seq()).
 * The PMDs are stopped. */
static void
dpif_netdev_port_reconfigure__(struct dpif *dp, struct dp_port *port)
{
    const char *name = netdev_get_name(port->netdev);
    int error, n_rxq;

    /* Read first: a request made while this runs is seen next time. */
    port->change_seq = netdev_get_change_seq(port->netdev);
    error = netdev_reconfigure(port->netdev);
    if (error) {
        VLOG_WARN("%s: reconfiguring %s failed (%s)", dp->name, name,
                  tern_strerror(error));
    }
    n_rxq = MAX(netdev_n_rxq(port->netdev), 0);
    if (n_rxq != port->n_rxq) {
        VLOG_INFO("%s: port %s now has %d rx queue%s", dp->name, name, n_rxq,
                  n_rxq == 1 ? "" : "s");
        free(port->rxq_cycles);
        port->rxq_cycles = xcalloc(MAX(n_rxq, 1), sizeof *port->rxq_cycles);
        port->n_rxq = n_rxq;
    }
    dpif_netdev_port_set_txq__(dp, port);
}

/* Reconfigures the ports whose netdev asked for it (e.g. a vhost-user guest
 * enabled or disabled queues) with the PMDs stopped, then re-places the rx
 * queues on the PMDs.  At most once per 100 ms per datapath. */
static void
dpif_netdev_reconfigure_ports__(struct dpif *dp, long long now)
{
    bool changed = false;

    if (now < dp->next_port_reconfigure) {
        return;
    }
    for (size_t i = 0; i < DPIF_MAX_PORTS && !changed; i++) {
        struct dp_port *port = dp->ports[i];

        changed =
            port && netdev_get_change_seq(port->netdev) != port->change_seq;
    }
    if (!changed) {
        return;
    }
    dp->next_port_reconfigure = now + 100;
    for (size_t i = 0; i < dp->n_pmds; i++) {
        dp_pmd_stop(dp->pmds[i]);
    }
    /* No thread polls or sends now (the main thread is this one). */
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        struct dp_port *port = dp->ports[i];

        if (port && netdev_get_change_seq(port->netdev) != port->change_seq) {
            dpif_netdev_port_reconfigure__(dp, port);
        }
    }
    dpif_netdev_assign_rxqs__(dp);
    for (size_t i = 0; i < dp->n_pmds; i++) {
        dp_pmd_start(dp->pmds[i]);
    }
}

static void
dpif_netdev_run__(struct dpif *dp, void *aux)
{
    long long now = time_msec();

    (void)aux;
    dp_nonpmd_run(dp);
    dpif_netdev_reconfigure_ports__(dp, now);
    if (now >= dp->next_expire) {
        dp_flow_table_expire(&dp->flows, now, dp->max_idle);
        dp->next_expire = now + MIN(1000, MAX(1, dp->max_idle / 4));
    }
    dp_flow_table_run(&dp->flows, now);
}

void
dpif_run(void)
{
    dpif_for_each(dpif_netdev_run__, NULL);
    rcu_run();
}

int
dpif_poll_fds(struct pollfd *pfds, int max, int *timeout_ms)
{
    int n = 0;

    for (size_t i = 0; i < n_dps; i++) {
        n += dp_nonpmd_poll_fds(all_dps[i], pfds + n, max - n, timeout_ms);
    }
    return n;
}
