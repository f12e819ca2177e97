/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlog: logging by module with levels changeable at run time, and rate
 * limits for anything that can fire per packet or per flow.
 *
 * Each .c file that logs declares its module once:
 *     VLOG_DEFINE_THIS_MODULE(netdev_dummy);
 * and then logs with VLOG_ERR/WARN/INFO/DBG(fmt, ...).  Per-packet code uses
 * the _RL variants with a static rate limiter:
 *     static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
 *     VLOG_WARN_RL(&rl, "bad packet on %s", name);
 * which allows 'rate' messages per minute with bursts up to 'burst' and
 * reports how many were suppressed.
 *
 * Destinations: "console" (stderr) and "file" (set by vlog_set_log_file()),
 * each with its own level per module, as Open vSwitch's vlog/set.
 * Line format: "2026-11-27T09:00:00.123Z|00042|module|WARN|message".
 *
 * Threads: logging and rate limits are safe from any thread (a mutex
 * guards output; the level check is a lock-free read).  vlog_set_*() are
 * main-thread functions.
 */
#ifndef TERN_VLOG_H
#define TERN_VLOG_H 1

#include <stdatomic.h>

#include "lib/util.h"

enum vlog_level {
    VLL_OFF,
    VLL_EMER,
    VLL_ERR,
    VLL_WARN,
    VLL_INFO,
    VLL_DBG,
    VLL_N_LEVELS
};

enum vlog_destination { VLF_CONSOLE, VLF_FILE, VLF_N_DESTINATIONS };

struct vlog_module {
    const char *name;
    /* Per-destination level; atomic so PMD threads read it without locks. */
    _Atomic int levels[VLF_N_DESTINATIONS];
    _Atomic int min_level; /* max(levels): quick "is enabled" check. */
    struct vlog_module *next;
};

/* Defines and registers (at load time) this file's module. */
#define VLOG_DEFINE_THIS_MODULE(NAME)                                         \
    static struct vlog_module this_module = {                                 \
        #NAME, {VLL_INFO, VLL_INFO}, VLL_INFO, NULL};                         \
    static void __attribute__((constructor)) vlog_register_##NAME(void)       \
    {                                                                         \
        vlog_register_module(&this_module);                                   \
    }

struct vlog_rate_limit {
    int rate_per_min;
    int burst;
    _Atomic long long tokens_msec; /* Internal token bucket state. */
    _Atomic unsigned int n_dropped;
    _Atomic int lock;
    long long last_fill;
    int tokens;
};
#define VLOG_RATE_LIMIT_INIT(RATE, BURST)                                     \
    {                                                                         \
        (RATE), (BURST), 0, 0, 0, 0, (BURST)                                  \
    }

void vlog_register_module(struct vlog_module *);
struct vlog_module *vlog_module_from_name(const char *name);
bool vlog_is_enabled(const struct vlog_module *, enum vlog_level);
void vlog(const struct vlog_module *, enum vlog_level, const char *fmt, ...)
    TERN_PRINTF(3, 4);
/* Returns true if a message may be emitted now under 'rl' (consumes a
 * token), false if it must be dropped (and counts it). */
bool vlog_should_drop(const struct vlog_module *, enum vlog_level,
                      struct vlog_rate_limit *rl);
void vlog_rate_limit(const struct vlog_module *, enum vlog_level,
                     struct vlog_rate_limit *, const char *fmt, ...)
    TERN_PRINTF(4, 5);

const char *vlog_get_level_name(enum vlog_level);
/* Returns the level for "emer", "err", "warn", "info", "dbg", "off", or
 * VLL_N_LEVELS. */
enum vlog_level vlog_get_level_val(const char *name);

/* Applies a vlog/set specification as ovs-appctl vlog/set does:
 * "[module|ANY][:dest|ANY][:level]" words, e.g. "dpif_netdev:file:dbg" or
 * "ANY:console:off".  Returns NULL or an error message (caller frees). */
char *vlog_set_levels_from_string(const char *spec);
void vlog_set_levels(struct vlog_module *, enum vlog_destination,
                     enum vlog_level);
/* Opens 'path' for appending as the file destination (NULL: close).
 * Returns 0 or a positive errno. */
int vlog_set_log_file(const char *path);
/* Reopens the log file (after rotation). */
int vlog_reopen_log_file(void);
/* Writes the vlog/list table into 'ds'. */
void vlog_list(struct ds *ds);
/* Registers vlog/set, vlog/list, vlog/reopen unixctl commands. */
void vlog_register_commands(void);

/* Counts of WARN-and-above messages emitted (tests fail on unexpected
 * warnings by reading the log; this is for the daemon's own checks). */
unsigned long vlog_n_warnings(void);

#define VLOG(LEVEL, ...)                                                      \
    do {                                                                      \
        if (vlog_is_enabled(&this_module, LEVEL)) {                           \
            vlog(&this_module, LEVEL, __VA_ARGS__);                           \
        }                                                                     \
    } while (0)
#define VLOG_EMER(...) VLOG(VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...)  VLOG(VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) VLOG(VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) VLOG(VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...)  VLOG(VLL_DBG, __VA_ARGS__)

#define VLOG_RL(RL, LEVEL, ...)                                               \
    do {                                                                      \
        if (vlog_is_enabled(&this_module, LEVEL)) {                           \
            vlog_rate_limit(&this_module, LEVEL, RL, __VA_ARGS__);            \
        }                                                                     \
    } while (0)
#define VLOG_ERR_RL(RL, ...)  VLOG_RL(RL, VLL_ERR, __VA_ARGS__)
#define VLOG_WARN_RL(RL, ...) VLOG_RL(RL, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO_RL(RL, ...) VLOG_RL(RL, VLL_INFO, __VA_ARGS__)
#define VLOG_DBG_RL(RL, ...)  VLOG_RL(RL, VLL_DBG, __VA_ARGS__)

#endif /* TERN_VLOG_H */
