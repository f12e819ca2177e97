/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon: what a Tern daemon does around its main loop — detaching from the
 * terminal (--detach), the pidfile that marks it as running, the run
 * directory that holds the pidfile and the control socket, and turning
 * SIGTERM/SIGINT into a flag that the main loop polls.
 *
 * A daemon's start-up looks like this:
 *
 *     daemon_set_pidfile(path);        (optional; NULL or never: none)
 *     daemon_set_detach(detach);
 *     daemonize_start();               (forks if detaching, takes the
 *                                      pidfile, installs signal handlers)
 *     ...open sockets, read configuration...
 *     daemonize_complete();            (the parent exits 0 now)
 *     while (!daemon_should_exit()) { ...poll(), including
 *                                     daemon_signal_fd()... }
 *
 * A daemon that parsed its command line into struct daemon_options (see
 * below) calls daemon_start() instead of the first three calls.
 *
 * With --detach the parent process stays in daemonize_start() until the
 * child calls daemonize_complete(), then exits with status 0; if the child
 * dies first (for example because the pidfile is held by a running
 * instance), the parent exits with the child's failure status, so a
 * script that runs "tern-vswitchd --detach" knows whether it worked.  The
 * detached child calls setsid(), changes directory to "/" and points its
 * standard streams at /dev/null in daemonize_complete() (so start-up errors
 * still reach the terminal).
 *
 * Pidfile: created (or taken over from a dead owner) in daemonize_start()
 * by the process that will run the daemon; it holds a write lock (fcntl)
 * on the file for as long as it lives, contains "PID\n", and is removed at
 * exit.  Another process holding the lock means "already running", and
 * daemonize_start() exits with status 1 and a message naming the pid.
 * Clients use daemon_read_pidfile(), which trusts the lock, not just the
 * file's contents.
 *
 * Command line: the options every daemon takes are parsed here, so that
 * they mean the same everywhere.  A daemon starts its getopt_long() table
 * with DAEMON_LONG_OPTIONS, uses DAEMON_SHORT_OPTIONS as the short option
 * string, numbers its own long options from DAEMON_OPT_END on, and gives
 * every option to daemon_parse_option() before handling the rest itself.
 *
 * Threads: all of this is for the main thread, before other threads are
 * created (fork() keeps only the calling thread).  daemon_should_exit() is
 * safe from any thread.
 */
#ifndef TERN_DAEMON_H
#define TERN_DAEMON_H 1

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/* Sets the pidfile path ('path' is copied; NULL: no pidfile). */
void daemon_set_pidfile(const char *path);
/* Requests detaching in daemonize_start(). */
void daemon_set_detach(bool detach);

/* Forks if detaching (the parent waits as described above and never
 * returns), takes the pidfile (exits with status 1 if another instance
 * holds it) and installs the SIGTERM/SIGINT handlers. */
void daemonize_start(void);
/* Tells a waiting parent that start-up succeeded and finishes detaching.
 * Does nothing when not detached or when called a second time. */
void daemonize_complete(void);

/* Removes the pidfile now (also done automatically at exit). */
void daemon_remove_pidfile(void);

/* Reads the pidfile at 'path'.  Returns 0 and stores in '*pid' the pid of
 * the live process that holds it, ENOENT if there is no such file, ESRCH
 * if the file exists but no process holds its lock (a stale file), or
 * another positive errno. */
int daemon_read_pidfile(const char *path, pid_t *pid);

/* Installs handlers that turn SIGTERM and SIGINT into
 * daemon_should_exit() == true and ignores SIGPIPE.  daemonize_start()
 * calls this; calling it again is harmless. */
void daemon_install_signal_handlers(void);
/* True once SIGTERM or SIGINT was received (or daemon_request_exit() was
 * called). */
bool daemon_should_exit(void);
void daemon_request_exit(void);
/* A file descriptor that becomes readable when an exit was requested, for
 * the main loop's poll(); -1 before the handlers are installed. */
int daemon_signal_fd(void);

/* The run directory: $TERN_RUNDIR if set, else TERN_RUNDIR_DEFAULT (set at
 * build time, normally /usr/local/var/run/tern).  Created (mode 0755, with
 * parents) on first use if missing.  The returned string stays valid
 * until TERN_RUNDIR changes. */
const char *daemon_rundir(void);
/* Returns "RUNDIR/NAME.pid", the default pidfile of daemon 'name'.  The
 * caller frees the result. */
char *daemon_default_pidfile(const char *name);

/* The options of every daemon (see above). */
struct daemon_options {
    char *pidfile;  /* --pidfile: NULL for none. */
    bool detach;    /* --detach. */
    char *log_file; /* --log-file: NULL to log to the console only. */
    char *unixctl;  /* --unixctl: NULL for the daemon's default. */
};

enum {
    DAEMON_OPT_PIDFILE = UCHAR_MAX + 1,
    DAEMON_OPT_DETACH,
    DAEMON_OPT_LOG_FILE,
    DAEMON_OPT_UNIXCTL,
    DAEMON_OPT_END /* A daemon's own long options are numbered from here. */
};

#define DAEMON_SHORT_OPTIONS "v::hV"
/* clang-format off */
#define DAEMON_LONG_OPTIONS                                                 \
    {"pidfile", optional_argument, NULL, DAEMON_OPT_PIDFILE},               \
    {"detach", no_argument, NULL, DAEMON_OPT_DETACH},                       \
    {"log-file", optional_argument, NULL, DAEMON_OPT_LOG_FILE},             \
    {"unixctl", required_argument, NULL, DAEMON_OPT_UNIXCTL},               \
    {"verbose", optional_argument, NULL, 'v'},                              \
    {"help", no_argument, NULL, 'h'},                                       \
    {"version", no_argument, NULL, 'V'}
/* clang-format on */

/* Handles option 'c' with argument 'arg' (NULL if none) for daemon 'name'
 * ("tern-dbserver") if it is one of DAEMON_LONG_OPTIONS or getopt's '?',
 * and returns true; returns false for any other option.  Into 'opts'
 * (which the caller zeroes first and frees with daemon_options_destroy()):
 * --pidfile (default RUNDIR/NAME.pid), --log-file (default
 * LOGDIR/NAME.log), --unixctl and --detach; a --pidfile or --unixctl FILE
 * without a '/' is in RUNDIR.  -v[SPEC] sets log levels now (all to debug
 * without SPEC).  -h calls 'usage' and exits 0; -V prints "NAME (Tern)
 * VERSION" and exits 0; '?' and a bad SPEC print an error and exit 1. */
bool daemon_parse_option(int c, const char *arg, const char *name,
                         void (*usage)(void), struct daemon_options *opts);
void daemon_options_destroy(struct daemon_options *);

/* Prints the "Daemon options", "Logging options" and "Other options"
 * sections of the --help text of daemon 'name', whose default control
 * socket is described by 'unixctl_default' (e.g. "RUNDIR/NAME.ctl"). */
void daemon_usage(const char *name, const char *unixctl_default);

/* Returns 'name' if it has a '/', else 'name' in the run directory.  The
 * caller frees the result. */
char *daemon_in_rundir(const char *name);
/* The log directory: $TERN_LOGDIR if set, else TERN_LOGDIR_DEFAULT. */
const char *daemon_logdir(void);
/* Sends the log to 'path' (NULL: nothing to do), creating its directory
 * if missing.  Exits with a message if the file cannot be opened. */
void daemon_open_log_file(const char *path);
/* Start-up from the parsed 'opts' (not retained): opens the log file, sets
 * the pidfile and detaching, and calls daemonize_start(). */
void daemon_start(const struct daemon_options *opts);

#endif /* TERN_DAEMON_H */
