/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vlog: per-module logging with run-time levels and rate limits (see
 * vlog.h).
 *
 * Modules register themselves from constructors into a singly linked list
 * that is only ever prepended to before main() runs, so readers walk it
 * without a lock.  Each module keeps one level per destination plus their
 * maximum ('min_level', the least severe level anything is logged at) so
 * that VLOG_DBG() in a hot path costs one relaxed atomic load.
 *
 * Default levels: every destination starts at INFO.  When a log file is
 * configured with vlog_set_log_file(), the console drops to WARN for every
 * module, unless a console level was set explicitly before (vlog/set or
 * vlog_set_levels()); so a daemon with a log file keeps its terminal quiet
 * yet still shows warnings and errors there.
 *
 * Output: a line is formatted into a private buffer first; only the write()
 * to stderr and to the log file happens under 'vlog_output_mutex', so lines
 * from different threads never interleave.  The file destination counts
 * only while a log file is open.
 *
 * Rate limits: a token bucket per call site.  'tokens' holds whole messages
 * (at most 'burst'); one token is added every 60000 / rate_per_min ms since
 * 'last_fill'.  Both fields are guarded by the spin lock 'lock'.
 * 'n_dropped' counts suppressed messages and 'tokens_msec' holds the time
 * of the first drop since the last report, so that the next message that
 * gets through can say how many were lost and over how long.
 */
#include <config.h>

#include "lib/vlog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/unixctl.h"

VLOG_DEFINE_THIS_MODULE(vlog);

static const char *const level_names[VLL_N_LEVELS] = {
    [VLL_OFF] = "OFF",   [VLL_EMER] = "EMER", [VLL_ERR] = "ERR",
    [VLL_WARN] = "WARN", [VLL_INFO] = "INFO", [VLL_DBG] = "DBG",
};

static const char *const dest_names[VLF_N_DESTINATIONS] = {
    [VLF_CONSOLE] = "console",
    [VLF_FILE] = "file",
};

/* Registered modules.  Prepended to by constructors only (before main()
 * and before any thread exists), then read-only. */
static struct vlog_module *vlog_modules;

/* Level that newly registered modules get, per destination, and whether
 * the console level was chosen explicitly.  Main thread only. */
static int default_levels[VLF_N_DESTINATIONS] = {VLL_INFO, VLL_INFO};
static bool console_level_explicit;

/* Serialises writes to the console and the log file, and guards
 * 'log_fd' and 'log_path' against vlog_set_log_file() from the main
 * thread. */
static pthread_mutex_t vlog_output_mutex = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;       /* Guarded by vlog_output_mutex. */
static char *log_path;        /* Guarded by vlog_output_mutex. */
static _Atomic bool log_open; /* log_fd >= 0, readable without the lock. */

static _Atomic unsigned int msg_seq;
static _Atomic unsigned long n_warnings;

/* Recomputes 'module''s quick-check level from its per-destination
 * levels. */
static void
vlog_update_min_level__(struct vlog_module *module)
{
    int level = atomic_load_explicit(&module->levels[VLF_CONSOLE],
                                     memory_order_relaxed);
    if (atomic_load_explicit(&log_open, memory_order_relaxed)) {
        int file = atomic_load_explicit(&module->levels[VLF_FILE],
                                        memory_order_relaxed);
        level = MAX(level, file);
    }
    atomic_store_explicit(&module->min_level, level, memory_order_relaxed);
}

static void
vlog_update_all_min_levels__(void)
{
    for (struct vlog_module *m = vlog_modules; m; m = m->next) {
        vlog_update_min_level__(m);
    }
}

void
vlog_register_module(struct vlog_module *module)
{
    for (struct vlog_module *m = vlog_modules; m; m = m->next) {
        if (m == module) {
            return;
        }
    }
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        atomic_store(&module->levels[d], default_levels[d]);
    }
    vlog_update_min_level__(module);
    module->next = vlog_modules;
    vlog_modules = module;
}

struct vlog_module *
vlog_module_from_name(const char *name)
{
    for (struct vlog_module *m = vlog_modules; m; m = m->next) {
        if (!strcasecmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

bool
vlog_is_enabled(const struct vlog_module *module, enum vlog_level level)
{
    return level != VLL_OFF &&
           (int)level <=
               atomic_load_explicit(&module->min_level, memory_order_relaxed);
}

const char *
vlog_get_level_name(enum vlog_level level)
{
    return level < VLL_N_LEVELS ? level_names[level] : "?";
}

enum vlog_level
vlog_get_level_val(const char *name)
{
    for (int i = 0; i < VLL_N_LEVELS; i++) {
        if (!strcasecmp(name, level_names[i])) {
            return i;
        }
    }
    /* Long spellings accepted by Open vSwitch. */
    if (!strcasecmp(name, "error")) {
        return VLL_ERR;
    } else if (!strcasecmp(name, "warning")) {
        return VLL_WARN;
    } else if (!strcasecmp(name, "debug")) {
        return VLL_DBG;
    }
    return VLL_N_LEVELS;
}

/* Returns the destination named 'name', or VLF_N_DESTINATIONS. */
static enum vlog_destination
vlog_get_destination_val__(const char *name)
{
    for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
        if (!strcasecmp(name, dest_names[i])) {
            return i;
        }
    }
    return VLF_N_DESTINATIONS;
}

/* Writes all of 'buf' to 'fd', retrying on partial writes and EINTR. */
static void
vlog_write_all__(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        buf += w;
        n -= w;
    }
}

/* Formats one log line (with trailing newline) into 'ds'. */
static void
vlog_format_line__(struct ds *ds, const struct vlog_module *module,
                   enum vlog_level level, const char *fmt, va_list args)
{
    long long now = time_wall_msec();
    time_t secs = now / 1000;
    struct tm tm;
    char stamp[32];

    gmtime_r(&secs, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    unsigned int seq = atomic_fetch_add(&msg_seq, 1) + 1;
    ds_put_format(ds, "%s.%03dZ|%05u|%s|%s|", stamp, (int)(now % 1000), seq,
                  module->name, vlog_get_level_name(level));
    ds_put_format_valist(ds, fmt, args);
    ds_chomp(ds, '\n');
    ds_put_char(ds, '\n');
}

static void
vlog_valist__(const struct vlog_module *module, enum vlog_level level,
              const char *fmt, va_list args)
{
    bool to_console =
        (int)level <= atomic_load_explicit(&module->levels[VLF_CONSOLE],
                                           memory_order_relaxed);
    bool to_file =
        atomic_load_explicit(&log_open, memory_order_relaxed) &&
        (int)level <= atomic_load_explicit(&module->levels[VLF_FILE],
                                           memory_order_relaxed);
    if (level == VLL_OFF || level >= VLL_N_LEVELS ||
        (!to_console && !to_file)) {
        return;
    }
    if (level <= VLL_WARN) {
        atomic_fetch_add(&n_warnings, 1);
    }

    struct ds line = DS_EMPTY;
    vlog_format_line__(&line, module, level, fmt, args);

    pthread_mutex_lock(&vlog_output_mutex);
    if (to_console) {
        vlog_write_all__(STDERR_FILENO, line.string, line.length);
    }
    if (to_file && log_fd >= 0) {
        vlog_write_all__(log_fd, line.string, line.length);
    }
    pthread_mutex_unlock(&vlog_output_mutex);
    ds_destroy(&line);
}

void
vlog(const struct vlog_module *module, enum vlog_level level, const char *fmt,
     ...)
{
    va_list args;
    va_start(args, fmt);
    vlog_valist__(module, level, fmt, args);
    va_end(args);
}

static void
vlog_rl_lock__(struct vlog_rate_limit *rl)
{
    int expected = 0;
    /* Acquire: pairs with the release in vlog_rl_unlock__() so that the
     * previous holder's updates of 'tokens' and 'last_fill' are seen. */
    while (!atomic_compare_exchange_weak_explicit(
        &rl->lock, &expected, 1, memory_order_acquire, memory_order_relaxed)) {
        expected = 0;
        sched_yield();
    }
}

static void
vlog_rl_unlock__(struct vlog_rate_limit *rl)
{
    /* Release: publishes 'tokens' and 'last_fill' to the next holder. */
    atomic_store_explicit(&rl->lock, 0, memory_order_release);
}

bool
vlog_should_drop(const struct vlog_module *module, enum vlog_level level,
                 struct vlog_rate_limit *rl)
{
    if (!vlog_is_enabled(module, level)) {
        return true;
    }

    long long now = time_msec();
    long long interval = rl->rate_per_min > 0 ? 60000 / rl->rate_per_min : 0;
    bool allowed;

    vlog_rl_lock__(rl);
    if (!rl->last_fill) {
        rl->last_fill = now;
    } else if (rl->tokens < rl->burst && interval > 0) {
        long long add = (now - rl->last_fill) / interval;
        if (add > 0) {
            rl->tokens = (int)MIN((long long)rl->burst, rl->tokens + add);
            rl->last_fill =
                rl->tokens >= rl->burst ? now : rl->last_fill + add * interval;
        }
    } else {
        rl->last_fill = now;
    }
    allowed = rl->tokens > 0 || interval == 0;
    if (allowed && rl->tokens > 0) {
        rl->tokens--;
    }
    vlog_rl_unlock__(rl);

    if (!allowed) {
        long long zero = 0;
        atomic_compare_exchange_strong(&rl->tokens_msec, &zero, now);
        atomic_fetch_add(&rl->n_dropped, 1);
        return true;
    }

    unsigned int dropped = atomic_exchange(&rl->n_dropped, 0);
    if (dropped) {
        long long first = atomic_exchange(&rl->tokens_msec, 0);
        long long secs = first ? (now - first + 999) / 1000 : 0;
        vlog(module, level,
             "Dropped %u log messages in last %lld seconds "
             "due to excessive rate",
             dropped, secs);
    }
    return false;
}

void
vlog_rate_limit(const struct vlog_module *module, enum vlog_level level,
                struct vlog_rate_limit *rl, const char *fmt, ...)
{
    if (vlog_should_drop(module, level, rl)) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vlog_valist__(module, level, fmt, args);
    va_end(args);
}

void
vlog_set_levels(struct vlog_module *module, enum vlog_destination dest,
                enum vlog_level level)
{
    if (dest >= VLF_N_DESTINATIONS) {
        for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
            vlog_set_levels(module, d, level);
        }
        return;
    }
    if (dest == VLF_CONSOLE) {
        console_level_explicit = true;
    }
    if (!module) {
        default_levels[dest] = level;
        for (struct vlog_module *m = vlog_modules; m; m = m->next) {
            atomic_store(&m->levels[dest], level);
            vlog_update_min_level__(m);
        }
    } else {
        atomic_store(&module->levels[dest], level);
        vlog_update_min_level__(module);
    }
}

/* Parses the words of 'spec' into '*module', '*dest' and '*level'.  Returns
 * NULL or an error message that the caller frees. */
static char *
vlog_parse_spec__(char *spec, struct vlog_module **module,
                  enum vlog_destination *dest, enum vlog_level *level)
{
    bool have_module = false, have_dest = false, have_level = false;
    char *save = NULL;

    *module = NULL;
    *dest = VLF_N_DESTINATIONS;
    *level = VLL_DBG;
    for (char *w = strtok_r(spec, " \t,:", &save); w;
         w = strtok_r(NULL, " \t,:", &save)) {
        enum vlog_destination d;
        enum vlog_level l;

        if (!strcasecmp(w, "ANY")) {
            continue;
        } else if (!strcasecmp(w, "syslog")) {
            /* Accepted for Open vSwitch compatibility; Tern has no syslog
             * destination, so settings for it are ignored. */
            if (have_dest) {
                return xstrdup("cannot specify multiple destinations");
            }
            have_dest = true;
            *dest = VLF_N_DESTINATIONS + 1;
        } else if ((d = vlog_get_destination_val__(w)) < VLF_N_DESTINATIONS) {
            if (have_dest) {
                return xstrdup("cannot specify multiple destinations");
            }
            have_dest = true;
            *dest = d;
        } else if ((l = vlog_get_level_val(w)) < VLL_N_LEVELS) {
            if (have_level) {
                return xstrdup("cannot specify multiple levels");
            }
            have_level = true;
            *level = l;
        } else if (vlog_module_from_name(w)) {
            if (have_module) {
                return xstrdup("cannot specify multiple modules");
            }
            have_module = true;
            *module = vlog_module_from_name(w);
        } else {
            return xasprintf("no destination, level, or module \"%s\"", w);
        }
    }
    return NULL;
}

char *
vlog_set_levels_from_string(const char *spec_)
{
    char *spec = xstrdup(spec_);
    struct vlog_module *module;
    enum vlog_destination dest;
    enum vlog_level level;
    char *error = vlog_parse_spec__(spec, &module, &dest, &level);

    free(spec);
    if (!error && dest <= VLF_N_DESTINATIONS) {
        vlog_set_levels(module, dest, level);
    }
    return error;
}

/* Opens 'path' for appending.  Returns the fd or -errno. */
static int
vlog_open_file__(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    return fd >= 0 ? fd : -errno;
}

int
vlog_set_log_file(const char *path)
{
    int fd = -1;
    if (path) {
        fd = vlog_open_file__(path);
        if (fd < 0) {
            VLOG_WARN("failed to open %s for logging: %s", path,
                      tern_strerror(-fd));
            return -fd;
        }
    }

    pthread_mutex_lock(&vlog_output_mutex);
    int old_fd = log_fd;
    free(log_path);
    log_path = path ? xstrdup(path) : NULL;
    log_fd = fd;
    atomic_store(&log_open, fd >= 0);
    pthread_mutex_unlock(&vlog_output_mutex);
    if (old_fd >= 0) {
        close(old_fd);
    }

    if (path && !console_level_explicit) {
        default_levels[VLF_CONSOLE] = VLL_WARN;
        for (struct vlog_module *m = vlog_modules; m; m = m->next) {
            atomic_store(&m->levels[VLF_CONSOLE], VLL_WARN);
        }
    }
    vlog_update_all_min_levels__();
    return 0;
}

int
vlog_reopen_log_file(void)
{
    pthread_mutex_lock(&vlog_output_mutex);
    char *path = log_path ? xstrdup(log_path) : NULL;
    pthread_mutex_unlock(&vlog_output_mutex);
    if (!path) {
        return ENOENT;
    }

    int fd = vlog_open_file__(path);
    free(path);
    if (fd < 0) {
        return -fd;
    }
    pthread_mutex_lock(&vlog_output_mutex);
    int old_fd = log_fd;
    log_fd = fd;
    pthread_mutex_unlock(&vlog_output_mutex);
    if (old_fd >= 0) {
        close(old_fd);
    }
    return 0;
}

static int
vlog_compare_modules__(const void *a_, const void *b_)
{
    const struct vlog_module *const *a = a_;
    const struct vlog_module *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

void
vlog_list(struct ds *ds)
{
    size_t n = 0;
    for (struct vlog_module *m = vlog_modules; m; m = m->next) {
        n++;
    }
    struct vlog_module **sorted = xcalloc(n, sizeof *sorted);
    n = 0;
    for (struct vlog_module *m = vlog_modules; m; m = m->next) {
        sorted[n++] = m;
    }
    qsort(sorted, n, sizeof *sorted, vlog_compare_modules__);

    ds_put_format(ds, "%-24s %-8s %s\n", "", "console", "file");
    ds_put_format(ds, "%-24s %-8s %s\n", "", "-------", "----");
    for (size_t i = 0; i < n; i++) {
        const struct vlog_module *m = sorted[i];
        ds_put_format(ds, "%-24s %-8s %s\n", m->name,
                      vlog_get_level_name(atomic_load(&m->levels[0])),
                      vlog_get_level_name(atomic_load(&m->levels[1])));
    }
    free(sorted);
}

unsigned long
vlog_n_warnings(void)
{
    return atomic_load(&n_warnings);
}

/* unixctl commands. */

static void
vlog_unixctl_set__(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_command_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_command_reply(conn, "");
}

static void
vlog_unixctl_list__(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux)
{
    struct ds ds = DS_EMPTY;
    vlog_list(&ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
vlog_unixctl_reopen__(struct unixctl_conn *conn, int argc, const char *argv[],
                      void *aux)
{
    int error = vlog_reopen_log_file();
    if (error == ENOENT && !atomic_load(&log_open)) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
    } else if (error) {
        char *msg =
            xasprintf("could not reopen log file: %s", tern_strerror(error));
        unixctl_command_reply_error(conn, msg);
        free(msg);
    } else {
        unixctl_command_reply(conn, "");
    }
}

void
vlog_register_commands(void)
{
    unixctl_command_register("vlog/set", "{spec}", 1, INT32_MAX,
                             vlog_unixctl_set__, NULL);
    unixctl_command_register("vlog/list", "", 0, 0, vlog_unixctl_list__, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, vlog_unixctl_reopen__,
                             NULL);
}
