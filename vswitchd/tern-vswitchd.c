/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-vswitchd: the switch daemon.  It starts DPDK's EAL, opens its
 * control socket and runs the main loop: serve unixctl requests, then give
 * the netdev providers, the datapaths and RCU their periodic work.  Packets
 * are forwarded by PMD threads that the datapaths start.
 *
 * With a DATABASE argument ("unix:/var/run/tern/db.sock"), the bridge
 * layer (vswitchd/bridge.h) follows that OVSDB database: DPDK starts once
 * the database's Open_vSwitch row has been read (its other_config may hold
 * EAL settings), then each Bridge becomes a datapath with its interfaces as
 * ports.  Without it the daemon starts with no datapath.  Either way the
 * dpctl/ commands (vswitchd/dpctl.h) of the control socket create and
 * inspect datapaths, and dpif-netdev/, netdev-dummy/ and vlog/ commands
 * inspect the rest.
 *
 * Each bridge is an OpenFlow switch (ofproto/ofproto.h) that owns its
 * datapath's upcalls: a packet that matches no cached flow is translated
 * through the bridge's flow tables.  Datapaths made with dpctl/ commands
 * have no switch: their misses are counted (upcall/show, and "missed" and
 * "lost" in dpctl/show) and dropped.
 *
 * SIGTERM, SIGINT and the "exit" command shut the daemon down cleanly:
 * datapaths are destroyed (their PMD threads stop and their ports close),
 * then the control socket and the pidfile are removed, and it exits 0.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "datapath/dpif.h"
#include "lib/daemon.h"
#include "lib/dpdk.h"
#include "lib/jsonrpc.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/unixctl.h"
#include "lib/vlog.h"
#include "ofproto/ofproto.h"
#include "vswitchd/bridge.h"
#include "vswitchd/dpctl.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

/* How long the main loop sleeps in poll() when nothing happens. */
#define VSWITCHD_POLL_MS 100
/* Most file descriptors the main loop polls: control connections, the
 * signal fd, the database and the OpenFlow connections of every switch. */
#define VSWITCHD_MAX_OF_FDS 1024
#define VSWITCHD_MAX_FDS    (UNIXCTL_MAX_CONNS + 3 + VSWITCHD_MAX_OF_FDS)

struct vswitchd_options {
    struct daemon_options daemon;
    char *dpdk_extra; /* NULL: DPDK's defaults. */
    char *database;   /* NULL: no configuration database. */
};

/* Set by the "exit" command. */
static bool exit_requested;

/* Upcall counters, bumped by PMD threads. */
static _Atomic unsigned long long n_upcall_misses;
static _Atomic unsigned long long n_upcall_actions;

/* ---- Upcalls of datapaths without a switch: count and drop. ---- */

static int
vswitchd_upcall(const struct dpif_upcall *upcall,
                struct dp_actions_buf *actions TERN_UNUSED,
                struct flow_wildcards *wc TERN_UNUSED, void *aux TERN_UNUSED)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    if (upcall->type == DPIF_UC_MISS) {
        atomic_fetch_add_explicit(&n_upcall_misses, 1, memory_order_relaxed);
        VLOG_DBG_RL(&rl, "miss on port %u dropped (no slow path)",
                    (unsigned int)upcall->key->in_port);
    } else {
        atomic_fetch_add_explicit(&n_upcall_actions, 1, memory_order_relaxed);
    }
    return EOPNOTSUPP;
}

static void
vswitchd_unixctl_upcall_show(struct unixctl_conn *conn, int argc TERN_UNUSED,
                             const char *argv[] TERN_UNUSED,
                             void *aux TERN_UNUSED)
{
    char *reply = xasprintf(
        "misses dropped: %llu\nuserspace actions dropped: %llu\n",
        atomic_load_explicit(&n_upcall_misses, memory_order_relaxed),
        atomic_load_explicit(&n_upcall_actions, memory_order_relaxed));

    unixctl_command_reply(conn, reply);
    free(reply);
}

static void
vswitchd_unixctl_exit(struct unixctl_conn *conn, int argc, const char *argv[],
                      void *aux TERN_UNUSED)
{
    if (argc > 1 && strcmp(argv[1], "--cleanup")) {
        unixctl_command_reply_error(conn, "usage: exit [--cleanup]");
        return;
    }
    exit_requested = true;
    unixctl_command_reply(conn, "");
}

static void
vswitchd_unixctl_version(struct unixctl_conn *conn, int argc TERN_UNUSED,
                         const char *argv[] TERN_UNUSED, void *aux TERN_UNUSED)
{
    unixctl_command_reply(conn, "tern-vswitchd (Tern) " PACKAGE_VERSION "\n");
}

/* ---- Command line. ---- */

static void
vswitchd_usage(void)
{
    printf("%s: Tern virtual switch daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "\n"
           "DATABASE is the OVSDB server to take the configuration from,\n"
           "e.g. unix:RUNDIR/db.sock.  Without it the daemon starts with no\n"
           "datapath; configure it with tern-appctl dpctl/ commands.\n"
           "\n"
           "DPDK options:\n"
           "  --dpdk-extra=ARGS      extra DPDK EAL arguments\n"
           "\n",
           get_program_name(), get_program_name());
    daemon_usage("tern-vswitchd", "RUNDIR/tern-vswitchd.PID.ctl");
    printf("\nRUNDIR is $TERN_RUNDIR or %s; LOGDIR is $TERN_LOGDIR or %s.\n",
           TERN_RUNDIR_DEFAULT, TERN_LOGDIR_DEFAULT);
}

enum {
    OPT_DPDK_EXTRA = DAEMON_OPT_END,
};

static void
vswitchd_parse_options(int argc, char *argv[], struct vswitchd_options *opts)
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"dpdk-extra", required_argument, NULL, OPT_DPDK_EXTRA},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(opts, 0, sizeof *opts);
    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL)) != -1) {
        if (daemon_parse_option(c, optarg, "tern-vswitchd", vswitchd_usage,
                                &opts->daemon)) {
            continue;
        }
        if (c == OPT_DPDK_EXTRA) {
            free(opts->dpdk_extra);
            opts->dpdk_extra = xstrdup(optarg);
        }
    }
    if (optind < argc) {
        if (stream_verify_name(argv[optind])) {
            tern_fatal("%s: not a database connection (expected "
                       "unix:PATH, tcp:IP:PORT or ssl:IP:PORT)",
                       argv[optind]);
        }
        opts->database = xstrdup(argv[optind++]);
    }
    if (optind < argc) {
        tern_fatal("unexpected argument \"%s\"", argv[optind]);
    }
}

static void
vswitchd_options_destroy(struct vswitchd_options *opts)
{
    daemon_options_destroy(&opts->daemon);
    free(opts->dpdk_extra);
    free(opts->database);
}

/* ---- Start-up, main loop, shutdown. ---- */

static void
vswitchd_register_commands(void)
{
    /* "--cleanup" is accepted for ovs-appctl compatibility: Tern always
     * cleans up on exit. */
    unixctl_command_register("exit", "[--cleanup]", 0, 1,
                             vswitchd_unixctl_exit, NULL);
    unixctl_command_register("version", "", 0, 0, vswitchd_unixctl_version,
                             NULL);
    unixctl_command_register("upcall/show", "", 0, 0,
                             vswitchd_unixctl_upcall_show, NULL);
    vlog_register_commands();
    dpif_netdev_register_commands();
    netdev_dummy_register_commands();
    dpctl_register_commands();
    dpctl_set_upcall_cb(vswitchd_upcall, NULL);
    ofproto_register_commands();
}

/* Starts DPDK and the netdev providers.  Exits on failure. */
static void
vswitchd_init_datapath(const char *dpdk_extra)
{
    char *error = NULL;
    int err;

    rcu_init();
    err = dpdk_init(dpdk_extra ? dpdk_extra : "", &error);
    if (err) {
        VLOG_ERR("DPDK initialisation failed: %s",
                 error ? error : tern_strerror(err));
        tern_fatal("DPDK initialisation failed: %s",
                   error ? error : tern_strerror(err));
    }
    VLOG_INFO("DPDK EAL arguments: %s", dpdk_get_args());
    netdev_register_builtin_providers();
}

static struct unixctl_server *
vswitchd_open_unixctl(const char *requested, char **pathp)
{
    struct unixctl_server *server;
    char *path;
    int error;

    path = requested ? xstrdup(requested)
                     : xasprintf("%s/tern-vswitchd.%ld.ctl", daemon_rundir(),
                                 (long)getpid());
    error = unixctl_server_create(path, &server);
    if (error) {
        VLOG_ERR("%s: cannot create control socket: %s", path,
                 tern_strerror(error));
        tern_fatal("%s: cannot create control socket: %s", path,
                   tern_strerror(error));
    }
    *pathp = path;
    return server;
}

/* Waits for the events of the control socket (if any), the signal fd and
 * the database connection, at most VSWITCHD_POLL_MS. */
static void
vswitchd_poll(struct unixctl_server *server)
{
    struct pollfd pfds[VSWITCHD_MAX_FDS];
    int fds[VSWITCHD_MAX_FDS];
    int timeout = VSWITCHD_POLL_MS;
    int n = server ? unixctl_server_fds(server, fds, VSWITCHD_MAX_FDS - 2) : 0;

    if (daemon_signal_fd() >= 0) {
        fds[n++] = daemon_signal_fd();
    }
    for (int i = 0; i < n; i++) {
        pfds[i].fd = fds[i];
        pfds[i].events = POLLIN;
        pfds[i].revents = 0;
    }
    n += bridge_poll_fds(&pfds[n], VSWITCHD_MAX_FDS - n, &timeout);
    n += ofproto_poll_fds_all(&pfds[n], VSWITCHD_MAX_FDS - n, &timeout);
    n += dpif_poll_fds(&pfds[n], VSWITCHD_MAX_FDS - n, &timeout);
    if (poll(pfds, n, timeout) < 0 && errno != EINTR) {
        VLOG_ERR("poll: %s", tern_strerror(errno));
    }
}

/* Runs the database client until the database's contents are known (they
 * may hold DPDK settings).  Returns false if asked to exit meanwhile. */
static bool
vswitchd_wait_for_database(void)
{
    long long warn_at = time_msec() + 5000;

    while (!bridge_db_ready()) {
        if (exit_requested || daemon_should_exit()) {
            return false;
        }
        if (warn_at && time_msec() >= warn_at) {
            VLOG_WARN("still waiting for the configuration database");
            warn_at = 0;
        }
        vswitchd_poll(NULL);
        bridge_run();
    }
    return true;
}

static void
vswitchd_main_loop(struct unixctl_server *server, bool with_database)
{
    bool completed = false;

    while (!exit_requested && !daemon_should_exit()) {
        if (!completed && (!with_database || bridge_configured())) {
            /* --detach returns once the first configuration is in place. */
            daemonize_complete();
            completed = true;
        }
        vswitchd_poll(server);
        unixctl_server_run(server);
        bridge_run();
        ofproto_run_all();
        netdev_run();
        dpif_run();
        rcu_run();
    }
}

int
main(int argc, char *argv[])
{
    struct vswitchd_options opts;
    struct unixctl_server *server;
    char *unixctl_path;

    set_program_name(argv[0]);
    vswitchd_parse_options(argc, argv, &opts);
    daemon_start(&opts.daemon);

    if (opts.database) {
        char *extra;

        bridge_init(opts.database);
        if (!vswitchd_wait_for_database()) {
            VLOG_INFO("exiting before the database answered");
            bridge_exit();
            daemon_remove_pidfile();
            vswitchd_options_destroy(&opts);
            return EXIT_SUCCESS;
        }
        extra = bridge_dpdk_args(opts.dpdk_extra);
        vswitchd_init_datapath(extra);
        free(extra);
        bridge_start(vswitchd_upcall, NULL);
    } else {
        vswitchd_init_datapath(opts.dpdk_extra);
    }
    vswitchd_register_commands();
    server = vswitchd_open_unixctl(opts.daemon.unixctl, &unixctl_path);
    VLOG_INFO("tern-vswitchd (Tern) %s started, control socket %s",
              PACKAGE_VERSION, unixctl_path);

    vswitchd_main_loop(server, opts.database != NULL);

    VLOG_INFO("%s, shutting down",
              exit_requested ? "exit requested" : "signal received");
    /* Let the reply to "exit" go out before the socket closes. */
    unixctl_server_run(server);
    bridge_exit();
    dpctl_destroy_all();
    rcu_synchronize();
    unixctl_server_destroy(server);
    unlink(unixctl_path);
    daemon_remove_pidfile();
    VLOG_INFO("exited cleanly");
    free(unixctl_path);
    vswitchd_options_destroy(&opts);
    return EXIT_SUCCESS;
}
