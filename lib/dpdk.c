/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpdk: starts DPDK's Environment Abstraction Layer for Tern (see dpdk.h).
 *
 * This file builds the EAL argument vector from Tern's defaults and the
 * user's extra words, calls rte_eal_init() once, and routes DPDK's own log
 * stream into vlog module "dpdk" through a fopencookie() stream.  The rest
 * of Tern (dp-packet, netdev-dpdk, the PMD threads) only needs to know that
 * dpdk_init() succeeded.
 */
#include <config.h>

#include "lib/dpdk.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_version.h>

#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dpdk);

/* State of the EAL: set once by dpdk_init() on the main thread, read by any
 * thread afterwards. */
static bool eal_initialized;
static int eal_init_error;  /* Non-zero: rte_eal_init() failed once. */
static char *eal_args_text; /* Space-separated argv, for status. */
static FILE *eal_log_stream;

/* A growable argument vector. */
struct dpdk_argv__ {
    char **words;
    size_t n, allocated;
};

/* The EAL's arguments, kept for the life of the process. */
static struct dpdk_argv__ eal_words;

static void
argv_add__(struct dpdk_argv__ *a, const char *word)
{
    if (a->n + 1 >= a->allocated) {
        a->allocated = a->allocated ? 2 * a->allocated : 16;
        a->words = xrealloc(a->words, a->allocated * sizeof *a->words);
    }
    a->words[a->n++] = xstrdup(word);
    a->words[a->n] = NULL;
}

static void
argv_destroy__(struct dpdk_argv__ *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->words[i]);
    }
    free(a->words);
    a->words = NULL;
    a->n = a->allocated = 0;
}

/* Splits 'extra' on blanks into 'a'. */
static void
argv_split__(struct dpdk_argv__ *a, const char *extra)
{
    char *copy = xstrdup(extra ? extra : "");
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\n", &save); w;
         w = strtok_r(NULL, " \t\n", &save)) {
        argv_add__(a, w);
    }
    free(copy);
}

/* Returns true if the user's words contain option 'name' in any spelling:
 * "-m", "-m512" and "-m 512" for a short option; "--opt" and "--opt=x" for
 * a long one. */
static bool
argv_has_option__(const struct dpdk_argv__ *a, const char *name)
{
    size_t len = strlen(name);
    bool is_long = name[1] == '-';
    for (size_t i = 0; i < a->n; i++) {
        const char *w = a->words[i];
        if (strncmp(w, name, len)) {
            continue;
        }
        if (w[len] == '\0' || (is_long ? w[len] == '=' : true)) {
            return true;
        }
    }
    return false;
}

static bool
argv_has_any__(const struct dpdk_argv__ *a, const char *const *names)
{
    for (; *names; names++) {
        if (argv_has_option__(a, *names)) {
            return true;
        }
    }
    return false;
}

/* Returns true if a hugetlbfs is mounted and some hugepage size has free
 * pages. */
static bool
hugepages_available__(void)
{
    bool mounted = false;
    FILE *mounts = fopen("/proc/mounts", "r");
    if (mounts) {
        char line[512];
        while (fgets(line, sizeof line, mounts)) {
            char dev[128], dir[256], type[64];
            if (sscanf(line, "%127s %255s %63s", dev, dir, type) == 3 &&
                !strcmp(type, "hugetlbfs")) {
                mounted = true;
                break;
            }
        }
        fclose(mounts);
    }
    if (!mounted) {
        return false;
    }

    static const char *const sizes[] = {"hugepages-2048kB",
                                        "hugepages-1048576kB"};
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        char path[128];
        snprintf(path, sizeof path,
                 "/sys/kernel/mm/hugepages/%s/free_hugepages", sizes[i]);
        FILE *f = fopen(path, "r");
        if (f) {
            unsigned long n = 0;
            int ok = fscanf(f, "%lu", &n);
            fclose(f);
            if (ok == 1 && n > 0) {
                return true;
            }
        }
    }
    return false;
}

/* Returns the lowest CPU in the process's affinity mask (0 if unknown). */
static int
lowest_allowed_cpu__(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (!sched_getaffinity(0, sizeof set, &set)) {
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (CPU_ISSET(cpu, &set)) {
                return cpu;
            }
        }
    }
    return 0;
}

/* Builds the full EAL argument vector into 'out' from Tern's defaults and
 * the user's 'extra' words.  A default is left out when the user gave the
 * same option (or one that conflicts with it), so "-m 512" in 'extra'
 * replaces the default "-m 1024". */
static void
build_eal_args__(const char *extra, struct dpdk_argv__ *out)
{
    static const char *const mem_opts[] = {"-m", "--socket-mem", NULL};
    static const char *const lcore_opts[] = {"-l", "-c", "--lcores", NULL};
    static const char *const pci_opts[] = {"-a",      "--allow",  "-b",
                                           "--block", "--no-pci", NULL};
    static const char *const shm_opts[] = {"--in-memory", "--no-shconf",
                                           "--proc-type", NULL};
    static const char *const telemetry_opts[] = {"--telemetry",
                                                 "--no-telemetry", NULL};
    struct dpdk_argv__ user = {NULL, 0, 0};
    argv_split__(&user, extra);

    argv_add__(out, "tern");
    bool no_huge = argv_has_option__(&user, "--no-huge");
    if (!no_huge && !hugepages_available__()) {
        argv_add__(out, "--no-huge");
        no_huge = true;
    }
    if (!argv_has_any__(&user, shm_opts)) {
        /* DPDK 22.11 treats --no-huge as legacy memory, which it refuses
         * together with --in-memory; --no-shconf gives the same isolation
         * (no shared config, no IPC socket) for anonymous memory. */
        argv_add__(out, no_huge ? "--no-shconf" : "--in-memory");
    }
    if (no_huge && !argv_has_any__(&user, mem_opts)) {
        argv_add__(out, "-m");
        argv_add__(out, "1024");
    }
    if (!argv_has_any__(&user, pci_opts)) {
        argv_add__(out, "--no-pci");
    }
    if (!argv_has_any__(&user, lcore_opts)) {
        char cpu[16];
        snprintf(cpu, sizeof cpu, "%d", lowest_allowed_cpu__());
        argv_add__(out, "-l");
        argv_add__(out, cpu);
    }
    if (!argv_has_any__(&user, telemetry_opts)) {
        argv_add__(out, "--no-telemetry");
    }
    for (size_t i = 0; i < user.n; i++) {
        argv_add__(out, user.words[i]);
    }
    argv_destroy__(&user);
}

/* DPDK log stream.  DPDK formats each message into the stream and flushes
 * it; the cookie writer receives the whole message (the stream buffer is
 * larger than any DPDK message) and logs each line with the level of the
 * message being written, which DPDK keeps per thread. */
static enum vlog_level
dpdk_level_to_vlog__(uint32_t level)
{
    switch (level) {
    case RTE_LOG_EMERG:
    case RTE_LOG_ALERT:
        return VLL_EMER;
    case RTE_LOG_CRIT:
    case RTE_LOG_ERR:
        return VLL_ERR;
    case RTE_LOG_WARNING:
        return VLL_WARN;
    case RTE_LOG_NOTICE:
    case RTE_LOG_INFO:
        return VLL_INFO;
    default:
        return VLL_DBG;
    }
}

static ssize_t
dpdk_log_write__(void *cookie TERN_UNUSED, const char *buf, size_t size)
{
    enum vlog_level level = dpdk_level_to_vlog__(rte_log_cur_msg_loglevel());
    size_t start = 0;
    while (start < size) {
        const char *nl = memchr(buf + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - buf) : size;
        if (end > start && vlog_is_enabled(&this_module, level)) {
            vlog(&this_module, level, "%.*s", (int)(end - start), buf + start);
        }
        start = end + 1;
    }
    return size;
}

static void
dpdk_log_init__(void)
{
    static const cookie_io_functions_t io = {
        .write = dpdk_log_write__,
    };
    eal_log_stream = fopencookie(NULL, "w+", io);
    if (!eal_log_stream) {
        VLOG_WARN("cannot create the DPDK log stream: %s",
                  tern_strerror(errno));
        return;
    }
    setvbuf(eal_log_stream, NULL, _IOFBF, 8192);
    rte_openlog_stream(eal_log_stream);
}

int
dpdk_init(const char *extra, char **errp)
{
    if (errp) {
        *errp = NULL;
    }
    if (eal_initialized) {
        return 0;
    }
    if (eal_init_error) {
        if (errp) {
            *errp = xasprintf("DPDK initialisation failed earlier (%s)",
                              tern_strerror(eal_init_error));
        }
        return eal_init_error;
    }

    /* rte_eal_init() permutes and overwrites argv's pointers and may keep
     * some: it gets a copy of the pointer array while 'eal_words' keeps the
     * strings for the life of the process. */
    argv_destroy__(&eal_words);
    build_eal_args__(extra, &eal_words);

    struct ds text = DS_EMPTY;
    for (size_t i = 1; i < eal_words.n; i++) {
        ds_put_format(&text, "%s%s", i > 1 ? " " : "", eal_words.words[i]);
    }
    free(eal_args_text);
    eal_args_text = ds_steal_cstr(&text);
    VLOG_INFO("EAL arguments: %s", eal_args_text);

    dpdk_log_init__();

    /* rte_eal_init() pins the calling thread to the main lcore's CPU, and
     * threads inherit their creator's affinity: restore it afterwards so
     * that the main thread and the threads it starts (PMDs, which pin
     * themselves) are not all squeezed onto one CPU. */
    cpu_set_t saved_cpus;
    CPU_ZERO(&saved_cpus);
    bool have_cpus = !pthread_getaffinity_np(pthread_self(), sizeof saved_cpus,
                                             &saved_cpus);

    int argc = (int)eal_words.n;
    char **argv =
        xmemdup(eal_words.words, (eal_words.n + 1) * sizeof *eal_words.words);
    int ret = rte_eal_init(argc, argv);
    free(argv);
    if (have_cpus) {
        pthread_setaffinity_np(pthread_self(), sizeof saved_cpus, &saved_cpus);
    }
    if (ret < 0) {
        int error = rte_errno > 0 ? rte_errno : EINVAL;
        eal_init_error = error;
        if (errp) {
            *errp = xasprintf("rte_eal_init(%s) failed: %s", eal_args_text,
                              rte_strerror(rte_errno));
        }
        VLOG_ERR("rte_eal_init(%s) failed: %s", eal_args_text,
                 rte_strerror(rte_errno));
        return error;
    }
    eal_initialized = true;
    VLOG_INFO("%s initialised, main lcore %u", rte_version(),
              rte_get_main_lcore());
    return 0;
}

bool
dpdk_available(void)
{
    return eal_initialized;
}

const char *
dpdk_get_args(void)
{
    return eal_args_text ? eal_args_text : "";
}

int
dpdk_register_thread(void)
{
    if (!eal_initialized) {
        return ENODEV;
    }
    if (rte_lcore_id() != LCORE_ID_ANY) {
        return 0; /* Already an EAL thread or registered. */
    }
    if (rte_thread_register() < 0) {
        return rte_errno > 0 ? rte_errno : EINVAL;
    }
    return 0;
}

void
dpdk_unregister_thread(void)
{
    if (eal_initialized) {
        rte_thread_unregister();
    }
}
