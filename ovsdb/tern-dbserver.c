/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-dbserver: the configuration database server.  It serves one or
 * more OVSDB databases (RFC 7047, with Open vSwitch's extensions) to
 * clients such as tern-vsctl, ovs-vsctl and the bridge layer of
 * tern-vswitchd, over JSON-RPC on any number of "punix:", "ptcp:" and
 * "pssl:" listeners at once.
 *
 * Each DATABASE argument is a journal file (ovsdb-journal.h): it is
 * replayed at start-up, and every committed transaction is appended and
 * synced before the client gets its reply.  With --schema=FILE, a missing
 * DATABASE file is created from that schema; with --schema and no
 * DATABASE the database lives in memory only (for tests).
 *
 * The protocol itself (sessions, methods, monitors, locks) lives in
 * ovsdb-session.c, ovsdb-monitor.c and ovsdb-locks.c; this file has the
 * command line, the listeners, the control socket and the main loop.
 *
 * Limits (see also ovsdb-session.h and jsonrpc.h): JSONRPC_MAX_MESSAGE
 * bytes per message, JSONRPC_MAX_DEPTH levels of nesting,
 * JSONRPC_MAX_BACKLOG bytes of unsent output per client, and
 * DBSERVER_MAX_SESSIONS clients at once (further connections are accepted
 * and closed at once, with a rate-limited warning).
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/jsonrpc.h"
#include "lib/stream.h"
#include "lib/unixctl.h"
#include "lib/vlog.h"
#include "ovsdb/ovsdb-journal.h"
#include "ovsdb/ovsdb-session.h"
#include "ovsdb/ovsdb.h"

VLOG_DEFINE_THIS_MODULE(dbserver);

#ifndef TERN_DBDIR_DEFAULT
#define TERN_DBDIR_DEFAULT "/var/lib/tern"
#endif

/* Most clients served at once. */
#define DBSERVER_MAX_SESSIONS 1024
/* Connections accepted per listener per main-loop iteration. */
#define DBSERVER_ACCEPT_BATCH 32
/* How long the main loop sleeps in poll() when nothing happens. */
#define DBSERVER_POLL_MS 1000

struct dbserver_options {
    char **dbs; /* DATABASE arguments. */
    size_t n_dbs;
    char **remotes;
    size_t n_remotes;
    char *schema; /* --schema: create missing files, or in memory. */
    char *private_key, *certificate, *ca_cert;
    struct daemon_options daemon;
};

struct dbserver {
    struct ovsdb_server server;
    struct pstream **listeners;
    size_t n_listeners;
    struct ovsdb_journal **journals; /* Parallel to server.dbs; may be NULL */
    size_t max_sessions;
    bool exit_requested;
};

/* ---- Durability hook. ---- */

/* Appends and syncs 'ch' to the journal.  If that fails, the database in
 * memory holds a transaction the file lacks: the client is told the commit
 * failed and the server stops, so that a restart serves what is on disk
 * and no later reply acknowledges anything built on the lost change. */
static struct ovsdb_error *
dbserver_commit(struct ovsdb_server_db *db, const struct ovsdb_changes *ch,
                void *journal_)
{
    struct ovsdb_journal *journal = journal_;
    struct ovsdb_error *error = ovsdb_journal_commit(journal, db->db, ch);

    if (error) {
        char *s = ovsdb_error_to_string(error);

        VLOG_ERR("%s: cannot write a transaction (%s): stopping, since "
                 "memory and disk differ",
                 ovsdb_journal_get_path(journal), s);
        free(s);
        daemon_request_exit();
    }
    return error;
}

/* ---- Control socket commands. ---- */

static void
dbserver_unixctl_exit(struct unixctl_conn *conn, int argc TERN_UNUSED,
                      const char *argv[] TERN_UNUSED, void *ds_)
{
    struct dbserver *ds = ds_;

    ds->exit_requested = true;
    unixctl_command_reply(conn, "");
}

static void
dbserver_unixctl_list_dbs(struct unixctl_conn *conn, int argc TERN_UNUSED,
                          const char *argv[] TERN_UNUSED, void *ds_)
{
    struct dbserver *ds = ds_;
    struct ds out = DS_EMPTY;

    for (size_t i = 0; i < ds->server.n_dbs; i++) {
        ds_put_format(&out, "%s\n", ds->server.dbs[i]->name);
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
dbserver_unixctl_list_remotes(struct unixctl_conn *conn, int argc TERN_UNUSED,
                              const char *argv[] TERN_UNUSED, void *ds_)
{
    struct dbserver *ds = ds_;
    struct ds out = DS_EMPTY;

    for (size_t i = 0; i < ds->n_listeners; i++) {
        ds_put_format(&out, "%s\n", pstream_get_name(ds->listeners[i]));
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
dbserver_unixctl_compact(struct unixctl_conn *conn, int argc,
                         const char *argv[], void *ds_)
{
    struct dbserver *ds = ds_;
    struct ds errors = DS_EMPTY;
    size_t n = 0;

    for (size_t i = 0; i < ds->server.n_dbs; i++) {
        struct ovsdb_server_db *db = ds->server.dbs[i];
        struct ovsdb_error *error;

        if (!ds->journals[i] || (argc > 1 && strcmp(argv[1], db->name))) {
            continue;
        }
        n++;
        error = ovsdb_journal_compact(ds->journals[i], db->db);
        if (error) {
            char *s = ovsdb_error_to_string(error);

            ds_put_format(&errors, "%s: %s\n", db->name, s);
            free(s);
            ovsdb_error_destroy(error);
        }
    }
    if (!n) {
        unixctl_command_reply_error(conn, "no such database on disk");
    } else if (errors.length) {
        unixctl_command_reply_error(conn, ds_cstr(&errors));
    } else {
        unixctl_command_reply(conn, "");
    }
    ds_destroy(&errors);
}

static void
dbserver_unixctl_version(struct unixctl_conn *conn, int argc TERN_UNUSED,
                         const char *argv[] TERN_UNUSED, void *aux TERN_UNUSED)
{
    unixctl_command_reply(conn, "tern-dbserver (Tern) " PACKAGE_VERSION "\n");
}

static void
dbserver_register_commands(struct dbserver *ds)
{
    unixctl_command_register("exit", "", 0, 0, dbserver_unixctl_exit, ds);
    unixctl_command_register("version", "", 0, 0, dbserver_unixctl_version,
                             NULL);
    unixctl_command_register("ovsdb-server/list-dbs", "", 0, 0,
                             dbserver_unixctl_list_dbs, ds);
    unixctl_command_register("ovsdb-server/list-remotes", "", 0, 0,
                             dbserver_unixctl_list_remotes, ds);
    unixctl_command_register("ovsdb-server/compact", "[DB]", 0, 1,
                             dbserver_unixctl_compact, ds);
    vlog_register_commands();
}

/* ---- Command line. ---- */

static const char *
dbserver_dbdir(void)
{
    const char *dir = getenv("TERN_DBDIR");

    return dir && *dir ? dir : TERN_DBDIR_DEFAULT;
}

static void
dbserver_usage(void)
{
    printf("%s: Tern configuration database server (OVSDB)\n"
           "usage: %s [OPTIONS] [DATABASE...]\n"
           "where each DATABASE is a database file (default: "
           "DBDIR/conf.db).\n"
           "\n"
           "Database options:\n"
           "  --remote=REMOTE        listen on REMOTE: punix:PATH, "
           "ptcp:PORT[:IP],\n"
           "                         pssl:PORT[:IP] (repeatable)\n"
           "  --schema=FILE          create a missing DATABASE from FILE; "
           "without\n"
           "                         DATABASE, serve FILE's database in "
           "memory\n"
           "  --private-key=FILE     SSL private key\n"
           "  --certificate=FILE     SSL certificate\n"
           "  --ca-cert=FILE         SSL CA certificate\n"
           "\n",
           get_program_name(), get_program_name());
    daemon_usage("tern-dbserver", "RUNDIR/tern-dbserver.ctl");
    printf("\nRUNDIR is $TERN_RUNDIR or %s; LOGDIR is $TERN_LOGDIR or %s;\n"
           "DBDIR is $TERN_DBDIR or %s.\n",
           TERN_RUNDIR_DEFAULT, TERN_LOGDIR_DEFAULT, TERN_DBDIR_DEFAULT);
}

static void
dbserver_set_string(char **dst, char *value)
{
    free(*dst);
    *dst = value;
}

enum {
    OPT_REMOTE = DAEMON_OPT_END,
    OPT_SCHEMA,
    OPT_PRIVATE_KEY,
    OPT_CERTIFICATE,
    OPT_CA_CERT,
};

static const struct option dbserver_long_options[] = {
    DAEMON_LONG_OPTIONS,
    {"remote", required_argument, NULL, OPT_REMOTE},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"private-key", required_argument, NULL, OPT_PRIVATE_KEY},
    {"certificate", required_argument, NULL, OPT_CERTIFICATE},
    {"ca-cert", required_argument, NULL, OPT_CA_CERT},
    {NULL, 0, NULL, 0},
};

/* Handles one of tern-dbserver's own options 'c' with argument 'arg'. */
static void
dbserver_parse_option(int c, const char *arg, struct dbserver_options *o)
{
    switch (c) {
    case OPT_REMOTE:
        if (pstream_verify_name(arg)) {
            tern_fatal("--remote=%s: not a valid listener (use punix:PATH, "
                       "ptcp:PORT[:IP] or pssl:PORT[:IP])",
                       arg);
        }
        o->remotes =
            xrealloc(o->remotes, (o->n_remotes + 1) * sizeof o->remotes[0]);
        o->remotes[o->n_remotes++] = xstrdup(arg);
        break;
    case OPT_SCHEMA:
        dbserver_set_string(&o->schema, xstrdup(arg));
        break;
    case OPT_PRIVATE_KEY:
        dbserver_set_string(&o->private_key, xstrdup(arg));
        break;
    case OPT_CERTIFICATE:
        dbserver_set_string(&o->certificate, xstrdup(arg));
        break;
    case OPT_CA_CERT:
        dbserver_set_string(&o->ca_cert, xstrdup(arg));
        break;
    default:
        break;
    }
}

static void
dbserver_parse_options(int argc, char *argv[], struct dbserver_options *o)
{
    int c;

    memset(o, 0, sizeof *o);
    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS,
                            dbserver_long_options, NULL)) != -1) {
        if (!daemon_parse_option(c, optarg, "tern-dbserver", dbserver_usage,
                                 &o->daemon)) {
            dbserver_parse_option(c, optarg, o);
        }
    }
    for (; optind < argc; optind++) {
        o->dbs = xrealloc(o->dbs, (o->n_dbs + 1) * sizeof o->dbs[0]);
        o->dbs[o->n_dbs++] = xstrdup(argv[optind]);
    }
    if (!o->n_dbs && !o->schema) {
        o->dbs = xmalloc(sizeof o->dbs[0]);
        o->dbs[o->n_dbs++] = xasprintf("%s/conf.db", dbserver_dbdir());
    }
    if (!o->daemon.unixctl) {
        o->daemon.unixctl = daemon_in_rundir("tern-dbserver.ctl");
    }
}

static void
dbserver_options_destroy(struct dbserver_options *o)
{
    for (size_t i = 0; i < o->n_dbs; i++) {
        free(o->dbs[i]);
    }
    free(o->dbs);
    for (size_t i = 0; i < o->n_remotes; i++) {
        free(o->remotes[i]);
    }
    free(o->remotes);
    free(o->schema);
    free(o->private_key);
    free(o->certificate);
    free(o->ca_cert);
    daemon_options_destroy(&o->daemon);
}

/* ---- Start-up. ---- */

static void TERN_NORETURN
dbserver_fatal_error(const char *what, struct ovsdb_error *error)
{
    char *s = ovsdb_error_to_string(error);

    VLOG_ERR("%s: %s", what, s);
    tern_fatal("%s: %s", what, s);
}

/* Serves an in-memory database made from the schema file 'path'. */
static void
dbserver_open_memory_db(struct dbserver *ds, const char *path)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;

    error = ovsdb_schema_from_file(path, &schema);
    if (error) {
        dbserver_fatal_error(path, error);
    }
    ovsdb_server_add_db(&ds->server, ovsdb_create(schema), NULL, NULL);
    ds->journals =
        xrealloc(ds->journals, ds->server.n_dbs * sizeof ds->journals[0]);
    ds->journals[ds->server.n_dbs - 1] = NULL;
    VLOG_INFO("serving %s in memory only (schema %s)",
              ds->server.dbs[ds->server.n_dbs - 1]->name, path);
}

/* Creates the database file 'path' from the schema file 'schema_path'. */
static void
dbserver_create_db(const char *path, const char *schema_path)
{
    struct ovsdb_error *error;
    json_error_t jerr;
    json_t *schema;

    schema = json_load_file(schema_path, 0, &jerr);
    if (!schema) {
        tern_fatal("%s: %s (line %d)", schema_path, jerr.text, jerr.line);
    }
    error = ovsdb_journal_create(path, schema);
    json_decref(schema);
    if (error) {
        dbserver_fatal_error(path, error);
    }
    VLOG_INFO("%s: created from schema %s", path, schema_path);
}

static void
dbserver_open_file_db(struct dbserver *ds, const char *path,
                      const char *schema_path)
{
    struct ovsdb_journal *journal;
    struct ovsdb_error *error;
    struct ovsdb *db;

    if (schema_path && access(path, F_OK) && errno == ENOENT) {
        dbserver_create_db(path, schema_path);
    }
    error = ovsdb_journal_open(path, &db, &journal);
    if (error) {
        dbserver_fatal_error(path, error);
    }
    if (ovsdb_server_find_db(&ds->server, ovsdb_get_schema(db)->name)) {
        tern_fatal("%s: a database named %s is already served", path,
                   ovsdb_get_schema(db)->name);
    }
    ovsdb_server_add_db(&ds->server, db, dbserver_commit, journal);
    ds->journals =
        xrealloc(ds->journals, ds->server.n_dbs * sizeof ds->journals[0]);
    ds->journals[ds->server.n_dbs - 1] = journal;
    VLOG_INFO("%s: serving database %s", path, ovsdb_get_schema(db)->name);
}

static void
dbserver_open_listeners(struct dbserver *ds, const struct dbserver_options *o)
{
    if (o->private_key || o->certificate || o->ca_cert) {
        if (stream_ssl_set_files(o->private_key, o->certificate, o->ca_cert)) {
            tern_fatal("cannot load the SSL key, certificate or CA "
                       "certificate (see the log)");
        }
    }
    ds->listeners = xcalloc(o->n_remotes + 1, sizeof ds->listeners[0]);
    for (size_t i = 0; i < o->n_remotes; i++) {
        struct pstream *ps;
        int error = pstream_open(o->remotes[i], &ps);

        if (error) {
            VLOG_ERR("%s: cannot listen: %s", o->remotes[i],
                     tern_strerror(error));
            tern_fatal("%s: cannot listen: %s", o->remotes[i],
                       tern_strerror(error));
        }
        VLOG_INFO("%s: listening", pstream_get_name(ps));
        ds->listeners[ds->n_listeners++] = ps;
    }
}

/* Raises the open-file limit so that DBSERVER_MAX_SESSIONS clients fit,
 * or lowers the session limit to what the open-file limit allows. */
static void
dbserver_set_max_sessions(struct dbserver *ds)
{
    const rlim_t want = DBSERVER_MAX_SESSIONS + 64;
    struct rlimit rl;

    ds->max_sessions = DBSERVER_MAX_SESSIONS;
    if (getrlimit(RLIMIT_NOFILE, &rl)) {
        return;
    }
    if (rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
                          ? want
                          : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < want) {
        ds->max_sessions = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64;
    }
}

/* ---- Main loop. ---- */

static void
dbserver_accept(struct dbserver *ds)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    for (size_t i = 0; i < ds->n_listeners; i++) {
        for (int n = 0; n < DBSERVER_ACCEPT_BATCH; n++) {
            struct stream *stream;
            int error = pstream_accept(ds->listeners[i], &stream);

            if (error) {
                if (error != EAGAIN) {
                    VLOG_WARN_RL(&rl, "%s: accept failed: %s",
                                 pstream_get_name(ds->listeners[i]),
                                 tern_strerror(error));
                }
                break;
            }
            if (ds->server.n_sessions >= ds->max_sessions) {
                VLOG_WARN_RL(&rl,
                             "%s: %zu clients already: refusing "
                             "another",
                             pstream_get_name(ds->listeners[i]),
                             ds->server.n_sessions);
                stream_close(stream);
                continue;
            }
            ovsdb_session_create(&ds->server, jsonrpc_open(stream));
        }
    }
}

static void
dbserver_wait(struct dbserver *ds, struct unixctl_server *unixctl)
{
    size_t max =
        ds->n_listeners + ds->server.n_sessions + UNIXCTL_MAX_CONNS + 2;
    struct pollfd *pfds = xcalloc(max, sizeof *pfds);
    int fds[UNIXCTL_MAX_CONNS + 1];
    int timeout = DBSERVER_POLL_MS;
    size_t n = 0;
    int n_fds;

    for (size_t i = 0; i < ds->n_listeners; i++) {
        pfds[n].fd = pstream_fd(ds->listeners[i]);
        pfds[n++].events = POLLIN;
    }
    n += ovsdb_server_poll(&ds->server, &pfds[n], max - n, &timeout);
    n_fds = unixctl_server_fds(unixctl, fds, UNIXCTL_MAX_CONNS + 1);
    for (int i = 0; i < n_fds && n < max; i++) {
        pfds[n].fd = fds[i];
        pfds[n++].events = POLLIN;
    }
    if (daemon_signal_fd() >= 0 && n < max) {
        pfds[n].fd = daemon_signal_fd();
        pfds[n++].events = POLLIN;
    }
    if (poll(pfds, n, timeout) < 0 && errno != EINTR) {
        VLOG_ERR("poll: %s", tern_strerror(errno));
    }
    free(pfds);
}

static void
dbserver_main_loop(struct dbserver *ds, struct unixctl_server *unixctl)
{
    while (!ds->exit_requested && !daemon_should_exit()) {
        dbserver_accept(ds);
        ovsdb_server_run(&ds->server);
        unixctl_server_run(unixctl);
        if (ds->exit_requested || daemon_should_exit()) {
            break;
        }
        dbserver_wait(ds, unixctl);
    }
}

int
main(int argc, char *argv[])
{
    struct dbserver_options opts;
    struct unixctl_server *unixctl;
    struct dbserver ds;
    int error;

    set_program_name(argv[0]);
    dbserver_parse_options(argc, argv, &opts);
    daemon_start(&opts.daemon);

    memset(&ds, 0, sizeof ds);
    ovsdb_server_init(&ds.server);
    dbserver_set_max_sessions(&ds);
    for (size_t i = 0; i < opts.n_dbs; i++) {
        dbserver_open_file_db(&ds, opts.dbs[i], opts.schema);
    }
    if (!opts.n_dbs) {
        dbserver_open_memory_db(&ds, opts.schema);
    }
    dbserver_open_listeners(&ds, &opts);
    dbserver_register_commands(&ds);
    error = unixctl_server_create(opts.daemon.unixctl, &unixctl);
    if (error) {
        VLOG_ERR("%s: cannot create control socket: %s", opts.daemon.unixctl,
                 tern_strerror(error));
        tern_fatal("%s: cannot create control socket: %s", opts.daemon.unixctl,
                   tern_strerror(error));
    }
    daemonize_complete();
    VLOG_INFO("tern-dbserver (Tern) %s started, control socket %s",
              PACKAGE_VERSION, opts.daemon.unixctl);

    dbserver_main_loop(&ds, unixctl);

    VLOG_INFO("%s, shutting down",
              ds.exit_requested ? "exit requested" : "signal received");
    unixctl_server_run(unixctl); /* Let the reply to "exit" go out. */
    unixctl_server_destroy(unixctl);
    unlink(opts.daemon.unixctl);
    ovsdb_server_destroy(&ds.server);
    for (size_t i = 0; i < opts.n_dbs; i++) {
        ovsdb_journal_close(ds.journals[i]);
    }
    free(ds.journals);
    for (size_t i = 0; i < ds.n_listeners; i++) {
        pstream_close(ds.listeners[i]);
    }
    free(ds.listeners);
    daemon_remove_pidfile();
    VLOG_INFO("exited cleanly");
    dbserver_options_destroy(&opts);
    return EXIT_SUCCESS;
}
