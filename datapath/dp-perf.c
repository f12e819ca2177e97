/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-perf: per-thread datapath counters and the dpif-netdev/ unixctl
 * commands (pmd-stats-show, pmd-perf-show, pmd-rxq-show, pmd-stats-clear)
 * that report them in Open vSwitch 3.1's text formats.  See dp-perf.h.
 */
#include <config.h>

#include "datapath/dp-perf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include <rte_cycles.h>

#include "datapath/dpif-netdev-private.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/unixctl.h"

void
dp_perf_init(struct dp_perf *p)
{
    for (int i = 0; i < DP_PERF_N; i++) {
        atomic_init(&p->n[i], 0);
        p->zero[i] = 0;
    }
    p->clear_ms = time_msec();
}

void
dp_perf_add_all(struct dp_perf *p, uint64_t deltas[DP_PERF_N])
{
    for (int i = 0; i < DP_PERF_N; i++) {
        if (deltas[i]) {
            dp_perf_add(p, i, deltas[i]);
            deltas[i] = 0;
        }
    }
}

void
dp_perf_read_raw(const struct dp_perf *p, uint64_t out[DP_PERF_N])
{
    for (int i = 0; i < DP_PERF_N; i++) {
        out[i] = atomic_load_explicit(&p->n[i], memory_order_relaxed);
    }
}

void
dp_perf_read(const struct dp_perf *p, uint64_t out[DP_PERF_N])
{
    dp_perf_read_raw(p, out);
    for (int i = 0; i < DP_PERF_N; i++) {
        out[i] = out[i] > p->zero[i] ? out[i] - p->zero[i] : 0;
    }
}

void
dp_perf_clear(struct dp_perf *p)
{
    dp_perf_read_raw(p, p->zero);
    p->clear_ms = time_msec();
}

/* Command arguments: [-pmd CORE] [DP], plus -nh, -it N, -ms N accepted
 * (and ignored: Tern keeps no histories) for pmd-perf-show. */
struct dp_perf_args {
    const char *dp_name;
    bool has_core;
    uint32_t core;
};

static char *
dp_perf_parse_args__(int argc, const char *argv[], bool perf,
                     struct dp_perf_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (!strcmp(arg, "-pmd") && i + 1 < argc) {
            if (!str_to_u32(argv[++i], &a->core)) {
                return xasprintf("invalid pmd core \"%s\"", argv[i]);
            }
            a->has_core = true;
        } else if (perf && !strcmp(arg, "-nh")) {
            continue;
        } else if (perf && (!strcmp(arg, "-it") || !strcmp(arg, "-ms")) &&
                   i + 1 < argc) {
            i++;
        } else if (arg[0] == '-' || a->dp_name) {
            return xasprintf("invalid argument \"%s\"", arg);
        } else {
            a->dp_name = arg;
        }
    }
    return NULL;
}

static int
dp_perf_pmd_cmp__(const void *a_, const void *b_)
{
    const struct dp_pmd *a = *(const struct dp_pmd *const *)a_;
    const struct dp_pmd *b = *(const struct dp_pmd *const *)b_;

    if (a->numa_id != b->numa_id) {
        return a->numa_id < b->numa_id ? -1 : 1;
    }
    return a->core_id < b->core_id ? -1 : a->core_id > b->core_id;
}

/* Finds the datapath and the threads the command applies to, PMDs sorted
 * by NUMA node and core, the main thread last.  Returns the count, or -1
 * with an error in *errp. */
static int
dp_perf_select__(int argc, const char *argv[], bool perf, bool with_main,
                 struct dp_pmd *out[DP_MAX_PMDS + 1], char **errp)
{
    struct dp_perf_args a;
    struct dpif *dp;
    int n = 0;

    *errp = dp_perf_parse_args__(argc, argv, perf, &a);
    if (*errp) {
        return -1;
    }
    dp = dpif_netdev_find(a.dp_name);
    if (!dp) {
        *errp = xstrdup("please specify an existing datapath");
        return -1;
    }
    for (size_t i = 0; i < dp->n_pmds; i++) {
        if (!a.has_core || dp->pmds[i]->core_id == a.core) {
            out[n++] = dp->pmds[i];
        }
    }
    qsort(out, n, sizeof *out, dp_perf_pmd_cmp__);
    if (with_main && !a.has_core) {
        out[n++] = dp->main_pmd;
    }
    return n;
}

static void
dp_perf_format_thread__(struct ds *s, const struct dp_pmd *pmd)
{
    if (pmd->is_main) {
        ds_put_cstr(s, "main thread:\n");
    } else {
        ds_put_format(s, "pmd thread numa_id %d core_id %u:\n", pmd->numa_id,
                      pmd->core_id);
    }
}

static double
dp_perf_ratio__(uint64_t a, uint64_t b)
{
    return b ? (double)a / b : 0.0;
}

static void
dp_perf_format_cycles__(struct ds *s, const uint64_t st[DP_PERF_N])
{
    uint64_t idle = st[DP_PERF_CYCLES_IDLE];
    uint64_t busy = st[DP_PERF_CYCLES_BUSY];
    uint64_t total = idle + busy;
    uint64_t recv = st[DP_PERF_RECV];

    if (!total) {
        return;
    }
    ds_put_format(s,
                  "  idle cycles: %" PRIu64 " (%.02f%%)\n"
                  "  processing cycles: %" PRIu64 " (%.02f%%)\n",
                  idle, 100.0 * idle / total, busy, 100.0 * busy / total);
    if (!recv) {
        return;
    }
    ds_put_format(s,
                  "  avg cycles per packet: %.02f (%" PRIu64 "/%" PRIu64 ")\n"
                  "  avg processing cycles per packet: %.02f (%" PRIu64
                  "/%" PRIu64 ")\n",
                  (double)total / recv, total, recv, (double)busy / recv, busy,
                  recv);
}

static void
dp_perf_format_stats__(struct ds *s, const struct dp_pmd *pmd)
{
    uint64_t st[DP_PERF_N];
    uint64_t recv, passes;

    dp_perf_read(&pmd->perf, st);
    recv = st[DP_PERF_RECV];
    passes = recv + st[DP_PERF_RECIRC];
    dp_perf_format_thread__(s, pmd);
    ds_put_format(
        s,
        "  packets received: %" PRIu64 "\n"
        "  packet recirculations: %" PRIu64 "\n"
        "  avg. datapath passes per packet: %.02f\n"
        "  phwol hits: 0\n"
        "  mfex opt hits: 0\n"
        "  simple match hits: %" PRIu64 "\n"
        "  emc hits: %" PRIu64 "\n"
        "  smc hits: 0\n"
        "  megaflow hits: %" PRIu64 "\n"
        "  avg. subtable lookups per megaflow hit: %.02f\n"
        "  miss with success upcall: %" PRIu64 "\n"
        "  miss with failed upcall: %" PRIu64 "\n"
        "  avg. packets per output batch: %.02f\n",
        recv, st[DP_PERF_RECIRC], dp_perf_ratio__(passes, recv),
        st[DP_PERF_SIMPLE_HIT], st[DP_PERF_EMC_HIT], st[DP_PERF_MASKED_HIT],
        dp_perf_ratio__(st[DP_PERF_MASKED_LOOKUP], st[DP_PERF_MASKED_HIT]),
        st[DP_PERF_MISS], st[DP_PERF_LOST],
        dp_perf_ratio__(st[DP_PERF_SENT_PKTS], st[DP_PERF_SENT_BATCHES]));
    if (!pmd->is_main) {
        dp_perf_format_cycles__(s, st);
    }
}

char *
dp_perf_pmd_stats_show(int argc, const char *argv[], struct ds *reply)
{
    struct dp_pmd *pmds[DP_MAX_PMDS + 1];
    char *error;
    int n = dp_perf_select__(argc, argv, false, true, pmds, &error);

    for (int i = 0; i < n; i++) {
        dp_perf_format_stats__(reply, pmds[i]);
    }
    return n < 0 ? error : NULL;
}

static double
dp_perf_tsc_hz__(void)
{
    uint64_t hz = rte_get_tsc_hz();

    return hz ? (double)hz : 1e9;
}

static void
dp_perf_format_iterations__(struct ds *s, const uint64_t st[DP_PERF_N],
                            double duration)
{
    uint64_t cycles = st[DP_PERF_CYCLES_IDLE] + st[DP_PERF_CYCLES_BUSY];
    uint64_t iters = st[DP_PERF_ITER_IDLE] + st[DP_PERF_ITER_BUSY];
    double us_per_cycle = 1e6 / dp_perf_tsc_hz__();

    ds_put_format(
        s,
        "  Iterations:         %12" PRIu64 "  (%.2f us/it)\n"
        "  - Used TSC cycles:  %12" PRIu64 "  (%5.1f %% of total cycles)\n"
        "  - idle iterations:  %12" PRIu64 "  (%5.1f %% of used cycles)\n"
        "  - busy iterations:  %12" PRIu64 "  (%5.1f %% of used cycles)\n"
        "  - sleep iterations: %12d  (%5.1f %% of iterations)\n"
        "  Sleep time (us):    %12d  (%3d us/iteration avg.)\n",
        iters, dp_perf_ratio__(cycles, iters) * us_per_cycle, cycles,
        duration > 0 ? 100.0 * (cycles / duration) / dp_perf_tsc_hz__() : 0,
        st[DP_PERF_ITER_IDLE],
        100.0 * dp_perf_ratio__(st[DP_PERF_CYCLES_IDLE], cycles),
        st[DP_PERF_ITER_BUSY],
        100.0 * dp_perf_ratio__(st[DP_PERF_CYCLES_BUSY], cycles), 0, 0.0, 0,
        0);
}

static void
dp_perf_format_rx__(struct ds *s, const uint64_t st[DP_PERF_N],
                    double duration)
{
    uint64_t rx = st[DP_PERF_RECV];
    uint64_t passes = rx + st[DP_PERF_RECIRC];
    uint64_t upcalls = st[DP_PERF_MISS];
    double us_per_cycle = 1e6 / dp_perf_tsc_hz__();

    if (!rx) {
        ds_put_format(s, "  Rx packets:         %12d\n", 0);
        return;
    }
    ds_put_format(
        s,
        "  Rx packets:         %12" PRIu64 "  (%.0f Kpps, %.0f cycles/pkt)\n"
        "  Datapath passes:    %12" PRIu64 "  (%.2f passes/pkt)\n"
        "  - PHWOL hits:       %12d  (%5.1f %%)\n"
        "  - MFEX Opt hits:    %12d  (%5.1f %%)\n"
        "  - Simple Match hits:%12" PRIu64 "  (%5.1f %%)\n"
        "  - EMC hits:         %12" PRIu64 "  (%5.1f %%)\n"
        "  - SMC hits:         %12d  (%5.1f %%)\n"
        "  - Megaflow hits:    %12" PRIu64
        "  (%5.1f %%, %.2f subtbl lookups/hit)\n"
        "  - Upcalls:          %12" PRIu64 "  (%5.1f %%, %.1f us/upcall)\n"
        "  - Lost upcalls:     %12" PRIu64 "  (%5.1f %%)\n",
        rx, duration > 0 ? rx / duration / 1000 : 0,
        dp_perf_ratio__(st[DP_PERF_CYCLES_BUSY], rx), passes,
        dp_perf_ratio__(passes, rx), 0, 0.0, 0, 0.0, st[DP_PERF_SIMPLE_HIT],
        100.0 * dp_perf_ratio__(st[DP_PERF_SIMPLE_HIT], passes),
        st[DP_PERF_EMC_HIT],
        100.0 * dp_perf_ratio__(st[DP_PERF_EMC_HIT], passes), 0, 0.0,
        st[DP_PERF_MASKED_HIT],
        100.0 * dp_perf_ratio__(st[DP_PERF_MASKED_HIT], passes),
        dp_perf_ratio__(st[DP_PERF_MASKED_LOOKUP], st[DP_PERF_MASKED_HIT]),
        upcalls, 100.0 * dp_perf_ratio__(upcalls, passes),
        dp_perf_ratio__(st[DP_PERF_CYCLES_UPCALL], upcalls) * us_per_cycle,
        st[DP_PERF_LOST], 100.0 * dp_perf_ratio__(st[DP_PERF_LOST], passes));
}

static void
dp_perf_format_tx__(struct ds *s, const uint64_t st[DP_PERF_N],
                    double duration)
{
    uint64_t tx = st[DP_PERF_SENT_PKTS];

    if (!tx) {
        ds_put_format(s, "  Tx packets:         %12d\n\n", 0);
        return;
    }
    ds_put_format(s,
                  "  Tx packets:         %12" PRIu64 "  (%.0f Kpps)\n"
                  "  Tx batches:         %12" PRIu64 "  (%.2f pkts/batch)\n",
                  tx, duration > 0 ? tx / duration / 1000 : 0,
                  st[DP_PERF_SENT_BATCHES],
                  dp_perf_ratio__(tx, st[DP_PERF_SENT_BATCHES]));
}

static void
dp_perf_format_perf__(struct ds *s, const struct dp_pmd *pmd)
{
    long long wall = time_wall_msec();
    double duration = (time_msec() - pmd->perf.clear_ms) / 1000.0;
    time_t secs = wall / 1000;
    uint64_t st[DP_PERF_N];
    char hms[16];
    struct tm tm;

    localtime_r(&secs, &tm);
    strftime(hms, sizeof hms, "%H:%M:%S", &tm);
    dp_perf_read(&pmd->perf, st);
    ds_put_format(s, "\nTime: %s.%03lld\nMeasurement duration: %.3f s\n\n",
                  hms, wall % 1000, duration);
    dp_perf_format_thread__(s, pmd);
    ds_put_cstr(s, "\n");
    dp_perf_format_iterations__(s, st, duration);
    dp_perf_format_rx__(s, st, duration);
    dp_perf_format_tx__(s, st, duration);
}

char *
dp_perf_pmd_perf_show(int argc, const char *argv[], struct ds *reply)
{
    struct dp_pmd *pmds[DP_MAX_PMDS + 1];
    char *error;
    int n = dp_perf_select__(argc, argv, true, false, pmds, &error);

    for (int i = 0; i < n; i++) {
        dp_perf_format_perf__(reply, pmds[i]);
    }
    return n < 0 ? error : NULL;
}

static void
dp_perf_format_rxqs__(struct ds *s, const struct dp_pmd *pmd)
{
    /* The main thread owns the poll lists, so it reads them directly. */
    const struct dp_poll_list *poll = rcu_get_relaxed(pmd->poll);
    uint64_t st[DP_PERF_N], total, busy, queues = 0;

    dp_perf_read_raw(&pmd->perf, st);
    total = st[DP_PERF_CYCLES_IDLE] + st[DP_PERF_CYCLES_BUSY];
    busy = st[DP_PERF_CYCLES_BUSY];

    dp_perf_format_thread__(s, pmd);
    ds_put_cstr(s, "  isolated : false\n");
    for (size_t i = 0; poll && i < poll->n; i++) {
        const struct dp_poll_entry *e = &poll->entries[i];
        uint64_t c = atomic_load_explicit(&e->port->rxq_cycles[e->qid],
                                          memory_order_relaxed);

        queues += c;
        ds_put_format(s, "  port: %-16s  queue-id: %2d %s  pmd usage: ",
                      netdev_get_name(e->port->netdev), e->qid, "(enabled) ");
        if (total) {
            ds_put_format(s, "%2" PRIu64 " %%\n", MIN(100, c * 100 / total));
        } else {
            ds_put_cstr(s, "NOT AVAIL\n");
        }
    }
    if (poll && poll->n) {
        if (total) {
            uint64_t over = busy > queues ? busy - queues : 0;

            ds_put_format(s, "  overhead: %2" PRIu64 " %%\n",
                          MIN(100, over * 100 / total));
        } else {
            ds_put_cstr(s, "  overhead: NOT AVAIL\n");
        }
    }
}

char *
dp_perf_pmd_rxq_show(int argc, const char *argv[], struct ds *reply)
{
    struct dp_pmd *pmds[DP_MAX_PMDS + 1];
    char *error;
    int n = dp_perf_select__(argc, argv, false, false, pmds, &error);

    if (n >= 0) {
        ds_put_cstr(reply, "Displaying last 60 seconds pmd usage %\n");
    }
    for (int i = 0; i < n; i++) {
        dp_perf_format_rxqs__(reply, pmds[i]);
    }
    return n < 0 ? error : NULL;
}

char *
dp_perf_pmd_stats_clear(int argc, const char *argv[], struct ds *reply)
{
    struct dp_pmd *pmds[DP_MAX_PMDS + 1];
    char *error;
    int n = dp_perf_select__(argc, argv, false, true, pmds, &error);

    (void)reply;
    for (int i = 0; i < n; i++) {
        dp_perf_clear(&pmds[i]->perf);
    }
    return n < 0 ? error : NULL;
}

/* The unixctl glue: one table, one handler. */
typedef char *dp_perf_cmd_func(int argc, const char *argv[], struct ds *);

struct dp_perf_command {
    const char *name;
    const char *usage;
    int max_args;
    dp_perf_cmd_func *func;
};

static const struct dp_perf_command dp_perf_commands[] = {
    {"dpif-netdev/pmd-stats-show", "[-pmd core] [dp]", 3,
     dp_perf_pmd_stats_show},
    {"dpif-netdev/pmd-perf-show",
     "[-nh] [-it iter-history-len] [-ms ms-history-len] [-pmd core] [dp]", 8,
     dp_perf_pmd_perf_show},
    {"dpif-netdev/pmd-rxq-show", "[-pmd core] [dp]", 3, dp_perf_pmd_rxq_show},
    {"dpif-netdev/pmd-stats-clear", "[-pmd core] [dp]", 3,
     dp_perf_pmd_stats_clear},
};

static void
dp_perf_unixctl__(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    const struct dp_perf_command *cmd = aux;
    struct ds reply = DS_EMPTY;
    char *error = cmd->func(argc, argv, &reply);

    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, ds_cstr(&reply));
    }
    ds_destroy(&reply);
}

void
dpif_netdev_register_commands(void)
{
    static bool registered;

    if (registered) {
        return;
    }
    registered = true;
    for (size_t i = 0; i < ARRAY_SIZE(dp_perf_commands); i++) {
        const struct dp_perf_command *cmd = &dp_perf_commands[i];

        unixctl_command_register(cmd->name, cmd->usage, 0, cmd->max_args,
                                 dp_perf_unixctl__, (void *)cmd);
    }
}
