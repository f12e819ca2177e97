/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-pmd: life of the forwarding threads — CPU placement, start and stop,
 * poll list publication and the polling loop with its cycle accounting.
 * The per-burst packet work lives in dp-process.c; see dp-pmd.h for the
 * threading rules.
 */
#include <config.h>

#include "datapath/dp-pmd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "datapath/dp-emc.h"
#include "datapath/dpif-netdev-private.h"
#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_pmd);

/* The CPUs the process may use, captured before main() runs, i.e. before
 * DPDK pins the main thread to its main lcore. */
static cpu_set_t process_cpus;
static bool process_cpus_valid;

static void __attribute__((constructor)) dp_pmd_capture_affinity__(void)
{
    process_cpus_valid =
        !sched_getaffinity(0, sizeof process_cpus, &process_cpus) &&
        CPU_COUNT(&process_cpus) > 0;
}

static const cpu_set_t *
dp_pmd_allowed_cpus__(void)
{
    if (!process_cpus_valid) {
        CPU_ZERO(&process_cpus);
        CPU_SET(0, &process_cpus);
        process_cpus_valid = true;
    }
    return &process_cpus;
}

unsigned
dp_pmd_default_cpu(void)
{
    const cpu_set_t *allowed = dp_pmd_allowed_cpus__();
    int lowest = -1, highest_other = -1;
    cpu_set_t main_set;
    bool main_pinned;

    /* The main thread's CPUs: its affinity if it has been narrowed (DPDK
     * pins it to the main lcore), else the lowest CPU allowed. */
    if (sched_getaffinity(0, sizeof main_set, &main_set)) {
        CPU_ZERO(&main_set);
    }
    main_pinned = CPU_COUNT(&main_set) > 0 && !CPU_EQUAL(&main_set, allowed);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, allowed)) {
            continue;
        }
        if (lowest < 0) {
            lowest = cpu;
        }
        bool is_main = main_pinned ? CPU_ISSET(cpu, &main_set) : cpu == lowest;
        if (!is_main) {
            highest_other = cpu;
        }
    }
    return highest_other >= 0 ? highest_other : MAX(lowest, 0);
}

static int
dp_pmd_hex_digit__(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int
dp_pmd_parse_cpu_mask(const char *s, unsigned *cpus, int max, char **errp)
{
    const cpu_set_t *allowed = dp_pmd_allowed_cpus__();
    size_t len;
    int n = 0;

    if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)) {
        s += 2;
    }
    len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        if (!isxdigit((unsigned char)s[i])) {
            *errp = xasprintf("pmd-cpu-mask: \"%s\" is not a hexadecimal "
                              "mask",
                              s);
            return -1;
        }
    }
    /* The last digit holds CPUs 0-3, the one before 4-7, and so on. */
    for (size_t i = 0; i < len; i++) {
        int digit = dp_pmd_hex_digit__((unsigned char)s[len - 1 - i]);

        for (int bit = 0; bit < 4; bit++) {
            unsigned cpu = i * 4 + bit;

            if (!(digit & (1 << bit))) {
                continue;
            }
            if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, allowed)) {
                VLOG_WARN("pmd-cpu-mask: CPU %u is not available to this "
                          "process, ignored",
                          cpu);
            } else if (n < max) {
                cpus[n++] = cpu;
            }
        }
    }
    return n;
}

int
dp_pmd_cpu_numa(unsigned cpu)
{
    char path[64];
    struct dirent *de;
    int numa = 0;
    DIR *dir;

    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%u", cpu);
    dir = opendir(path);
    if (!dir) {
        return 0;
    }
    while ((de = readdir(dir)) != NULL) {
        if (!strncmp(de->d_name, "node", 4) && isdigit(de->d_name[4])) {
            numa = atoi(de->d_name + 4);
            break;
        }
    }
    closedir(dir);
    return numa;
}

struct dp_pmd *
dp_pmd_create(struct dpif *dp, unsigned core_id, int tx_qid)
{
    struct dp_pmd *pmd = xzalloc(sizeof *pmd);

    pmd->dp = dp;
    pmd->core_id = core_id;
    pmd->tx_qid = tx_qid;
    pmd->is_main = core_id == UINT32_MAX;
    pmd->numa_id = pmd->is_main ? 0 : dp_pmd_cpu_numa(core_id);
    atomic_init(&pmd->exit, false);
    atomic_init(&pmd->poll, NULL);
    dp_perf_init(&pmd->perf);
    pmd->start_ms = time_msec();
    if (!pmd->is_main) {
        pmd->emc = dp_emc_create(DP_EMC_DEFAULT_ENTRIES);
    }
    pmd->tsc_per_ms = dpdk_available() ? rte_get_tsc_hz() / 1000 : 0;
    pmd->rand = 0x9e3779b9u ^ (core_id * 2654435761u);
    if (!pmd->rand) {
        pmd->rand = 1;
    }
    pmd->flow_gen = atomic_load_explicit(&dp->flows.gen, memory_order_acquire);
    dp_packet_batch_init(&pmd->recirc);
    dp_actions_buf_init(&pmd->uc_actions);
    dp_actions_buf_init(&pmd->uc_scratch);
    return pmd;
}

/* PMD thread: drops dead flows from the cache if any flow was deleted
 * since the last check.  Must run before rcu_quiesce() (see dp-flow.h). */
static void
dp_pmd_purge_if_needed__(struct dp_pmd *pmd)
{
    /* Pairs with the release increment in dp-flow.c: seeing the new
     * generation means seeing the flows' 'dead' flags. */
    uint32_t gen =
        atomic_load_explicit(&pmd->dp->flows.gen, memory_order_acquire);

    if (gen != pmd->flow_gen) {
        dp_emc_purge(pmd->emc, dp_flow_is_dead);
        memset(pmd->port_cache, 0, sizeof pmd->port_cache);
        pmd->flow_gen = gen;
    }
}

static inline void
dp_pmd_rxq_cycles_add__(const struct dp_poll_entry *e, uint64_t cycles)
{
    _Atomic uint64_t *c = &e->port->rxq_cycles[e->qid];

    atomic_store_explicit(
        c, atomic_load_explicit(c, memory_order_relaxed) + cycles,
        memory_order_relaxed);
}

/* PMD thread: polls every rx queue once.  Returns the packets received. */
static uint32_t
dp_pmd_poll_once__(struct dp_pmd *pmd)
{
    /* Pairs with rcu_publish() in dp_pmd_set_poll_list() and of the port
     * map in dpif-netdev.c; both stay valid until rcu_quiesce(). */
    const struct dp_poll_list *poll = rcu_get(pmd->poll);
    uint32_t n_rx = 0;

    if (!poll) {
        return 0;
    }
    pmd->ports = rcu_get(pmd->dp->port_map);
    for (size_t i = 0; i < poll->n; i++) {
        const struct dp_poll_entry *e = &poll->entries[i];
        uint64_t start = rte_rdtsc();
        struct dp_packet_batch batch;

        dp_packet_batch_init(&batch);
        if (netdev_rxq_recv(e->port->netdev, e->qid, &batch) || !batch.count) {
            continue;
        }
        for (uint32_t j = 0; j < batch.count; j++) {
            batch.packets[j]->md.md.in_port = e->port->port_no;
        }
        n_rx += batch.count;
        dp_pmd_process(pmd, &batch);
        dp_pmd_rxq_cycles_add__(e, rte_rdtsc() - start);
    }
    if (pmd->n_tx) {
        dp_pmd_flush_tx(pmd);
    }
    pmd->cnt[DP_PERF_RECV] += n_rx;
    return n_rx;
}

static void
dp_pmd_loop__(struct dp_pmd *pmd)
{
    uint64_t prev = rte_rdtsc();

    while (!atomic_load_explicit(&pmd->exit, memory_order_acquire)) {
        uint32_t n_rx = dp_pmd_poll_once__(pmd);
        uint64_t now = rte_rdtsc();

        if (n_rx) {
            pmd->cnt[DP_PERF_ITER_BUSY]++;
            pmd->cnt[DP_PERF_CYCLES_BUSY] += now - prev;
            dp_perf_add_all(&pmd->perf, pmd->cnt);
        } else {
            dp_perf_add(&pmd->perf, DP_PERF_ITER_IDLE, 1);
            dp_perf_add(&pmd->perf, DP_PERF_CYCLES_IDLE, now - prev);
        }
        prev = now;
        dp_pmd_purge_if_needed__(pmd);
        rcu_quiesce();
    }
}

static void *
dp_pmd_main__(void *pmd_)
{
    struct dp_pmd *pmd = pmd_;
    char name[16];
    cpu_set_t set;
    int error;

    snprintf(name, sizeof name, "pmd-c%02u", pmd->core_id);
    pthread_setname_np(pthread_self(), name);
    CPU_ZERO(&set);
    CPU_SET(pmd->core_id, &set);
    error = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (error) {
        VLOG_WARN("%s: could not pin to CPU %u (%s)", name, pmd->core_id,
                  tern_strerror(error));
    }
    error = dpdk_register_thread();
    if (error) {
        VLOG_WARN("%s: not registered with DPDK (%s)", name,
                  tern_strerror(error));
    }
    if (rcu_register_reader()) {
        VLOG_ERR("%s: too many RCU readers, thread not polling", name);
    } else {
        VLOG_INFO("%s: polling on CPU %u", name, pmd->core_id);
        dp_pmd_loop__(pmd);
        rcu_unregister_reader();
    }
    if (!error) {
        dpdk_unregister_thread();
    }
    return NULL;
}

int
dp_pmd_start(struct dp_pmd *pmd)
{
    int error;

    atomic_store_explicit(&pmd->exit, false, memory_order_relaxed);
    error = pthread_create(&pmd->thread, NULL, dp_pmd_main__, pmd);
    if (error) {
        VLOG_ERR("could not start PMD thread for CPU %u (%s)", pmd->core_id,
                 tern_strerror(error));
        return error;
    }
    pmd->started = true;
    return 0;
}

void
dp_pmd_stop(struct dp_pmd *pmd)
{
    if (pmd->started) {
        /* Pairs with the acquire load in dp_pmd_loop__(). */
        atomic_store_explicit(&pmd->exit, true, memory_order_release);
        pthread_join(pmd->thread, NULL);
        pmd->started = false;
    }
}

void
dp_pmd_destroy(struct dp_pmd *pmd)
{
    if (!pmd) {
        return;
    }
    dp_pmd_stop(pmd);
    free(atomic_load_explicit(&pmd->poll, memory_order_relaxed));
    if (pmd->emc) {
        dp_emc_destroy(pmd->emc);
    }
    dp_actions_buf_uninit(&pmd->uc_actions);
    dp_actions_buf_uninit(&pmd->uc_scratch);
    free(pmd);
}

void
dp_pmd_set_poll_list(struct dp_pmd *pmd, struct dp_poll_list *list)
{
    struct dp_poll_list *old =
        atomic_load_explicit(&pmd->poll, memory_order_relaxed);

    /* Pairs with rcu_get() in dp_pmd_poll_once__(). */
    rcu_publish(pmd->poll, list);
    if (old) {
        if (pmd->started) {
            rcu_postpone(free, old);
        } else {
            free(old);
        }
    }
}
