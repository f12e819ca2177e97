/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-vsctl: configures Tern through its OVSDB database with the command
 * language and output formats of ovs-vsctl (see Documentation/
 * tern-vsctl.md).
 *
 * This file holds the program: option and command-line parsing, the
 * connection to the database server, and the main loop — read the
 * database, run the commands against the snapshot (vsctl-cmds.c,
 * vsctl-db.c), commit their changes as one transaction, print what they
 * produced, and unless --no-wait wait until the switch has applied the
 * change (Open_vSwitch.cur_cfg catches up with next_cfg).  When another
 * client changed what the commands relied on, the whole run starts over.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/jsonrpc.h"
#include "lib/stream.h"
#include "utilities/vsctl-private.h"

#define VSCTL_DB_NAME "Open_vSwitch"

/* Global settings from the command line. */
struct vsctl_main {
    char *db;
    bool no_wait;
    int timeout; /* Seconds, 0 for none. */
    struct vsctl_options opts;
    struct vsctl_command *commands;
    size_t n_commands;
    char *comment; /* The command line, for the database log. */
};

static const struct vsctl_command_syntax *all_commands[] = {
    vsctl_bridge_commands,
    vsctl_db_commands,
};

static const struct vsctl_command_syntax *
find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(all_commands); i++) {
        for (const struct vsctl_command_syntax *s = all_commands[i]; s->name;
             s++) {
            if (!strcmp(s->name, name)) {
                return s;
            }
        }
    }
    return NULL;
}

/* Whether the option list 'options' ("--a,--b=") names option 'name'
 * (without its "=value"); sets *takes_arg. */
static bool
options_contain(const char *options, const char *name, size_t len,
                bool *takes_arg)
{
    const char *p = options;

    while (p && *p) {
        size_t n = strcspn(p, ",");
        size_t n_name = p[n - 1] == '=' ? n - 1 : n;

        if (n_name == len && !strncmp(p, name, len)) {
            *takes_arg = n_name != n;
            return true;
        }
        p += n;
        p += *p == ',';
    }
    return false;
}

static bool
is_command_option(const char *arg)
{
    size_t len = strcspn(arg, "=");
    bool takes_arg;

    for (size_t i = 0; i < ARRAY_SIZE(all_commands); i++) {
        for (const struct vsctl_command_syntax *s = all_commands[i]; s->name;
             s++) {
            if (options_contain(s->options, arg, len, &takes_arg)) {
                return true;
            }
        }
    }
    return false;
}

bool
vsctl_has_option(const struct vsctl_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->cmd->n_options; i++) {
        if (!strcmp(ctx->cmd->option_names[i], name)) {
            return true;
        }
    }
    return false;
}

const char *
vsctl_option_value(const struct vsctl_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->cmd->n_options; i++) {
        if (!strcmp(ctx->cmd->option_names[i], name)) {
            return ctx->cmd->option_values[i];
        }
    }
    return NULL;
}

static void
usage(void)
{
    printf("%s: Tern configuration utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "[ARG...]]...\n\n",
           get_program_name(), get_program_name());
    printf("Commands:\n");
    for (size_t i = 0; i < ARRAY_SIZE(all_commands); i++) {
        for (const struct vsctl_command_syntax *s = all_commands[i]; s->name;
             s++) {
            printf("  %s%s%s\n", s->options ? "[" : "",
                   s->options ? s->options : "", s->options ? "] " : "");
            printf("      %s\n", s->name);
        }
    }
    printf("\nOptions:\n"
           "  --db=DATABASE       database to connect to (default: "
           "unix:$TERN_RUNDIR/db.sock)\n"
           "  --no-wait           do not wait for tern-vswitchd to apply\n"
           "  -t, --timeout=SECS  give up after SECS seconds\n"
           "  --oneline           print each command's output on one line\n"
           "  --dry-run           do not commit changes\n"
           "  -f, --format=FMT    list, table, csv or json\n"
           "  -d, --data=FMT      string, bare or json\n"
           "  --no-headings       omit headings in tables\n"
           "  --bare              --format=list --data=bare --no-headings\n"
           "  -h, --help          display this help message\n"
           "  -V, --version       display version information\n");
}

/* Parses the value of --format or --data. */
static void
parse_format(struct vsctl_main *m, const char *name, const char *value)
{
    static const char *const formats[] = {"list", "table", "csv", "json"};
    static const char *const datas[] = {"string", "bare", "json"};
    bool is_format = !strcmp(name, "format");

    for (size_t i = 0; i < (is_format ? 4 : 3); i++) {
        if (!strcmp(value, is_format ? formats[i] : datas[i])) {
            if (is_format) {
                m->opts.format = i;
            } else {
                m->opts.data = i;
            }
            return;
        }
    }
    vsctl_fatal("unknown %s \"%s\"",
                is_format ? "table format"
                          : "data "
                            "format",
                value);
}

/* Handles one global option 'name' (without dashes) with 'value' (may be
 * NULL).  Returns false if 'name' is not a global option; sets
 * *used_value when the option consumed 'value'. */
static bool
parse_global_option(struct vsctl_main *m, const char *name, const char *value,
                    bool *used_value)
{
    static const char *const ignored[] = {"no-syslog", "retry",   "pretty",
                                          "log-file",  "verbose", "v"};
    static const char *const ignored_arg[] = {
        "max-column-width", "peer-ca-cert", "bootstrap-ca-cert"};
    uint32_t secs;

    *used_value = false;
    for (size_t i = 0; i < ARRAY_SIZE(ignored); i++) {
        if (!strcmp(name, ignored[i])) {
            return true;
        }
    }
    if (!strcmp(name, "no-wait")) {
        m->no_wait = true;
    } else if (!strcmp(name, "oneline")) {
        m->opts.oneline = true;
    } else if (!strcmp(name, "dry-run")) {
        m->opts.dry_run = true;
    } else if (!strcmp(name, "no-headings")) {
        m->opts.headings = false;
    } else if (!strcmp(name, "bare")) {
        m->opts.format = VSCTL_FMT_LIST;
        m->opts.data = VSCTL_DATA_BARE;
        m->opts.headings = false;
    } else if (!strcmp(name, "help") || !strcmp(name, "h")) {
        usage();
        exit(0);
    } else if (!strcmp(name, "version") || !strcmp(name, "V")) {
        printf("tern-vsctl (Tern) %s\n", PACKAGE_VERSION);
        exit(0);
    } else {
        static const char *const with_arg[][2] = {
            {"db", NULL},     {"timeout", "t"},     {"format", "f"},
            {"data", "d"},    {"private-key", "p"}, {"certificate", "c"},
            {"ca-cert", "C"},
        };
        size_t i;

        for (i = 0; i < ARRAY_SIZE(ignored_arg); i++) {
            if (!strcmp(name, ignored_arg[i])) {
                *used_value = true;
                return true;
            }
        }
        for (i = 0; i < ARRAY_SIZE(with_arg); i++) {
            if (!strcmp(name, with_arg[i][0]) ||
                (with_arg[i][1] && !strcmp(name, with_arg[i][1]))) {
                break;
            }
        }
        if (i == ARRAY_SIZE(with_arg)) {
            return false;
        }
        if (!value) {
            vsctl_fatal("option '--%s' requires an argument", with_arg[i][0]);
        }
        *used_value = true;
        name = with_arg[i][0];
        if (!strcmp(name, "db")) {
            free(m->db);
            m->db = xstrdup(value);
        } else if (!strcmp(name, "timeout")) {
            if (!str_to_u32(value, &secs) || secs > INT32_MAX) {
                vsctl_fatal("value %s on -t or --timeout is invalid", value);
            }
            m->timeout = secs;
        } else if (!strcmp(name, "format") || !strcmp(name, "data")) {
            parse_format(m, name, value);
        } else {
            stream_ssl_set_files(!strcmp(name, "private-key") ? value : NULL,
                                 !strcmp(name, "certificate") ? value : NULL,
                                 !strcmp(name, "ca-cert") ? value : NULL);
        }
    }
    return true;
}

static void
add_command_option(struct vsctl_command *cmd, const char *arg)
{
    size_t len = strcspn(arg, "=");

    for (size_t i = 0; i < cmd->n_options; i++) {
        if (strlen(cmd->option_names[i]) == len &&
            !strncmp(cmd->option_names[i], arg, len)) {
            vsctl_fatal("'%.*s' option specified multiple times", (int)len,
                        arg);
        }
    }
    cmd->option_names =
        xrealloc(cmd->option_names, (cmd->n_options + 1) * sizeof(char *));
    cmd->option_values =
        xrealloc(cmd->option_values, (cmd->n_options + 1) * sizeof(char *));
    cmd->option_names[cmd->n_options] = xmemdup(arg, len + 1);
    cmd->option_names[cmd->n_options][len] = '\0';
    cmd->option_values[cmd->n_options] =
        arg[len] ? xstrdup(arg + len + 1) : NULL;
    cmd->n_options++;
}

/* Checks a parsed command's options and argument count. */
static void
check_command(const struct vsctl_command *cmd)
{
    const struct vsctl_command_syntax *s = cmd->syntax;
    int n_args = cmd->argc - 1;

    for (size_t i = 0; i < cmd->n_options; i++) {
        const char *name = cmd->option_names[i];
        bool takes_arg;

        if (!options_contain(s->options, name, strlen(name), &takes_arg)) {
            vsctl_fatal("'%s' command has no '%s' option", s->name, name);
        }
        if (takes_arg != (cmd->option_values[i] != NULL)) {
            vsctl_fatal(takes_arg ? "missing argument to '%s' option on "
                                    "'%s' command"
                                  : "'%s' option on '%s' does not accept an "
                                    "argument",
                        name, s->name);
        }
    }
    if (n_args < s->min_args) {
        vsctl_fatal("'%s' command requires at least %d arguments", s->name,
                    s->min_args);
    } else if (s->max_args >= 0 && n_args > s->max_args) {
        vsctl_fatal("'%s' command takes at most %d arguments", s->name,
                    s->max_args);
    }
}

/* Parses the commands of argv[i...], separated by "--". */
static void
parse_commands(struct vsctl_main *m, int argc, char *argv[], int i,
               struct vsctl_command *first)
{
    while (i < argc) {
        struct vsctl_command *cmd;
        int start;

        m->commands =
            xrealloc(m->commands, (m->n_commands + 1) * sizeof *m->commands);
        cmd = &m->commands[m->n_commands++];
        *cmd = m->n_commands == 1 ? *first : (struct vsctl_command){.argc = 0};
        ds_init(&cmd->output);
        for (; i < argc && !strncmp(argv[i], "--", 2) && argv[i][2]; i++) {
            add_command_option(cmd, argv[i]);
        }
        if (i >= argc || !strcmp(argv[i], "--")) {
            vsctl_fatal("missing command name (use --help for help)");
        }
        cmd->syntax = find_command(argv[i]);
        if (!cmd->syntax) {
            vsctl_fatal("unknown command '%s'; use --help for help", argv[i]);
        }
        for (start = i; i < argc && strcmp(argv[i], "--"); i++) {
            continue;
        }
        cmd->argc = i - start;
        cmd->argv = &argv[start];
        check_command(cmd);
        i += i < argc; /* Skips "--". */
    }
    if (!m->n_commands) {
        vsctl_fatal("missing command name (use --help for help)");
    }
}

/* Parses the whole command line into 'm'. */
static void
parse_command_line(struct vsctl_main *m, int argc, char *argv[])
{
    struct vsctl_command first = {.argc = 0};
    struct ds comment = DS_EMPTY;
    int i;

    for (i = 0; i < argc; i++) {
        ds_put_format(&comment, "%s%s", i ? " " : "", argv[i]);
    }
    m->comment = ds_steal_cstr(&comment);
    for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
        const char *arg = argv[i];
        const char *name = arg + 1 + (arg[1] == '-');
        size_t len = strcspn(name, "=");
        char *opt = xmemdup(name, len + 1);
        const char *value = name[len] ? name + len + 1 : NULL;
        bool used = false, inline_value = value != NULL;
        bool global;

        opt[len] = '\0';
        if (!value && arg[1] != '-' && len > 1) {
            /* Short option with its value attached: "-t5". */
            opt[1] = '\0';
            value = name + 1;
            inline_value = true;
        }
        if (!value && i + 1 < argc) {
            value = argv[i + 1];
        }
        global = parse_global_option(m, opt, value, &used);
        free(opt);
        if (global) {
            i += used && !inline_value;
        } else if (arg[1] == '-' && is_command_option(arg)) {
            add_command_option(&first, arg);
        } else {
            vsctl_fatal("unrecognized option '%s'", arg);
        }
    }
    i += i < argc && !strcmp(argv[i], "--");
    parse_commands(m, argc, argv, i, &first);
}

/* Connects to 'name', waiting for the connection to complete. */
static struct jsonrpc *
connect_db(const char *name)
{
    struct stream *stream;
    int error = stream_open(name, &stream);

    while (!error) {
        struct pollfd pfd;

        error = stream_connect(stream);
        if (error != EAGAIN) {
            break;
        }
        pfd.fd = stream_fd(stream);
        pfd.events = stream_wants(stream, true);
        poll(&pfd, 1, 100);
    }
    if (error) {
        if (stream) {
            stream_close(stream);
        }
        vsctl_fatal("%s: database connection failed (%s)", name,
                    tern_strerror(error));
    }
    return jsonrpc_open(stream);
}

/* Sends a request and returns its "result" (new reference); fatal on an
 * error or a broken connection. */
static json_t *
request(struct jsonrpc *rpc, const char *method, json_t *params)
{
    json_t *msg = jsonrpc_create_request(method, params, NULL);
    json_t *reply = NULL, *result;
    int error = jsonrpc_transact_block(rpc, msg, -1, &reply);

    json_decref(msg);
    if (error) {
        vsctl_fatal("%s: %s request failed (%s)", jsonrpc_get_name(rpc),
                    method, tern_strerror(error));
    }
    result = json_object_get(reply, "result");
    if (!result || json_is_null(result)) {
        char *s = json_dumps(json_object_get(reply, "error"),
                             JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        vsctl_fatal("%s request failed: %s", method, s ? s : "(no error)");
    }
    json_incref(result);
    json_decref(reply);
    return result;
}

/* Waits for the next notification with method 'method'; returns its
 * params (new reference). */
static json_t *
wait_notification(struct jsonrpc *rpc, const char *method)
{
    for (;;) {
        json_t *msg;
        int error = jsonrpc_run(rpc);

        if (!error) {
            error = jsonrpc_recv(rpc, &msg);
        }
        if (!error) {
            const char *m = json_string_value(json_object_get(msg, "method"));
            json_t *id = json_object_get(msg, "id");

            if (m && !strcmp(m, method) && (!id || json_is_null(id))) {
                json_t *params = json_incref(json_object_get(msg, "params"));
                json_decref(msg);
                return params;
            }
            json_decref(msg);
        } else if (error == EAGAIN) {
            struct pollfd pfd;

            jsonrpc_poll_fd(rpc, &pfd);
            poll(&pfd, 1, -1);
        } else {
            vsctl_fatal("%s: connection to the database broke (%s)",
                        jsonrpc_get_name(rpc),
                        error == EOF ? "end of stream" : tern_strerror(error));
        }
    }
}

/* Reads every table of the database into 'db'. */
static void
fetch_db(struct jsonrpc *rpc, const json_t *schema, struct vsctl_db *db)
{
    json_t *params = json_pack("[s]", VSCTL_DB_NAME), *result;
    char *error = vsctl_db_init(db, schema);

    if (error) {
        vsctl_fatal("bad schema: %s", error);
    }
    for (size_t t = 0; t < db->n_tables; t++) {
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:[]}", "op", "select",
                                        "table", db->tables[t].name, "where"));
    }
    result = request(rpc, "transact", params);
    for (size_t t = 0; t < db->n_tables; t++) {
        const json_t *rows =
            json_object_get(json_array_get(result, t), "rows");
        if (!json_is_array(rows)) {
            vsctl_fatal("reading table %s failed", db->tables[t].name);
        }
        error = vsctl_db_load_rows(&db->tables[t], rows);
        if (error) {
            vsctl_fatal("%s", error);
        }
    }
    json_decref(result);
}

/* Runs every command against 'db'.  Returns false if one of them must be
 * retried after the database changes (wait-until). */
static bool
run_commands(struct vsctl_main *m, struct vsctl_db *db)
{
    vsctl_root_row(db);
    for (size_t i = 0; i < m->n_commands; i++) {
        struct vsctl_command *cmd = &m->commands[i];
        struct vsctl_ctx ctx = {
            .db = db, .cmd = cmd, .opts = &m->opts, .out = &cmd->output};

        ds_clear(&cmd->output);
        if (cmd->table) {
            vsctl_out_table_destroy(cmd->table);
            cmd->table = NULL;
        }
        cmd->syntax->run(&ctx);
        if (ctx.try_again) {
            return false;
        }
    }
    for (size_t i = 0; i < db->n_symbols; i++) {
        if (!db->symbols[i].created) {
            vsctl_fatal("row id \"%s\" is referenced but never created "
                        "(e.g. with \"-- --id=%s create ...\")",
                        db->symbols[i].name, db->symbols[i].name);
        }
    }
    return true;
}

/* The index of the first failed operation in 'results', or SIZE_MAX. */
static size_t
find_error(const json_t *results)
{
    const json_t *r;
    size_t i;

    json_array_foreach(results, i, r)
    {
        if (json_object_get(r, "error")) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Commits the changes in 'db'.  Returns false if the transaction must be
 * retried; sets *next_cfg (or -1 when there is nothing to wait for). */
static bool
commit(struct vsctl_main *m, struct jsonrpc *rpc, struct vsctl_db *db,
       json_t **resultsp, long long *next_cfg)
{
    json_t *ops = json_pack("[s]", VSCTL_DB_NAME), *results;
    size_t n_changes = vsctl_db_changes_to_ops(db, ops), cfg_op = 0, err;

    *next_cfg = -1;
    *resultsp = NULL;
    if (!n_changes || m->opts.dry_run) {
        json_decref(ops);
        return true;
    }
    if (!m->no_wait) {
        cfg_op = json_array_size(ops);
        json_array_append_new(
            ops, json_pack("{s:s, s:s, s:[], s:[[s, s, i]]}", "op", "mutate",
                           "table", "Open_vSwitch", "where", "mutations",
                           "next_cfg", "+=", 1));
        json_array_append_new(ops, json_pack("{s:s, s:s, s:[], s:[s]}", "op",
                                             "select", "table", "Open_vSwitch",
                                             "where", "columns", "next_cfg"));
    }
    json_array_append_new(
        ops, json_pack("{s:s, s:s}", "op", "comment", "comment", m->comment));
    results = request(rpc, "transact", json_incref(ops));
    err = find_error(results);
    if (err != SIZE_MAX) {
        const json_t *op = json_array_get(ops, err + 1);
        const char *kind = json_string_value(json_object_get(op, "op"));
        char *s;

        if (kind && !strcmp(kind, "wait")) {
            json_decref(results);
            return false;
        }
        s = json_dumps(json_array_get(results, err),
                       JSON_COMPACT | JSON_SORT_KEYS);
        vsctl_fatal("transaction error: %s", s ? s : "");
    }
    if (!m->no_wait) {
        const json_t *rows =
            json_object_get(json_array_get(results, cfg_op), "rows");
        *next_cfg = json_integer_value(
            json_object_get(json_array_get(rows, 0), "next_cfg"));
    }
    json_decref(ops);
    *resultsp = results;
    return true;
}

/* Prints every command's output. */
static void
print_output(struct vsctl_main *m, struct vsctl_db *db, const json_t *results)
{
    struct ds all = DS_EMPTY;

    for (size_t i = 0; i < m->n_commands; i++) {
        struct vsctl_command *cmd = &m->commands[i];

        if (cmd->table) {
            vsctl_out_table_format(cmd->table, &m->opts, &all);
        } else if (m->opts.oneline) {
            const char *s = ds_cstr(&cmd->output);
            size_t len = cmd->output.length;

            len -= len && s[len - 1] == '\n';
            for (size_t j = 0; j < len; j++) {
                if (s[j] == '\n') {
                    ds_put_cstr(&all, "\\n");
                } else if (s[j] == '\\') {
                    ds_put_cstr(&all, "\\\\");
                } else {
                    ds_put_char(&all, s[j]);
                }
            }
            ds_put_char(&all, '\n');
        } else {
            ds_put_cstr(&all, ds_cstr(&cmd->output));
        }
    }
    if (results) {
        vsctl_db_fix_uuids(db, results, &all);
    }
    fwrite(all.string ? all.string : "", 1, all.length, stdout);
    fflush(stdout);
    ds_destroy(&all);
}

/* Sends a monitor request for 'tables' (JSON object) with id 'id'; returns
 * the initial contents. */
static json_t *
start_monitor(struct jsonrpc *rpc, const char *id, json_t *tables)
{
    return request(rpc, "monitor",
                   json_pack("[s, s, o]", VSCTL_DB_NAME, id, tables));
}

/* Returns the largest cur_cfg in a monitor reply or update. */
static long long
max_cur_cfg(const json_t *updates)
{
    const json_t *rows = json_object_get(updates, "Open_vSwitch");
    long long max = -1;
    const char *uuid;
    json_t *row;

    json_object_foreach((json_t *)rows, uuid, row)
    {
        const json_t *cfg =
            json_object_get(json_object_get(row, "new"), "cur_cfg");
        if (json_is_integer(cfg) && json_integer_value(cfg) > max) {
            max = json_integer_value(cfg);
        }
    }
    return max;
}

/* Waits until Open_vSwitch.cur_cfg reaches 'next_cfg'. */
static void
wait_for_cfg(struct jsonrpc *rpc, long long next_cfg)
{
    json_t *updates = start_monitor(
        rpc, "cfg",
        json_pack("{s:{s:[s]}}", "Open_vSwitch", "columns", "cur_cfg"));

    while (max_cur_cfg(updates) < next_cfg) {
        json_t *params;

        json_decref(updates);
        params = wait_notification(rpc, "update");
        updates = json_incref(json_array_get(params, 1));
        json_decref(params);
    }
    json_decref(updates);
}

/* Runs the commands until they commit (or fail). */
static void
do_vsctl(struct vsctl_main *m, struct jsonrpc *rpc)
{
    json_t *schema =
        request(rpc, "get_schema", json_pack("[s]", VSCTL_DB_NAME));
    bool monitoring = false;
    long long next_cfg;
    json_t *results;

    for (;;) {
        struct vsctl_db db;

        fetch_db(rpc, schema, &db);
        if (!run_commands(m, &db)) {
            /* wait-until: watch every table and try again on a change. */
            if (monitoring) {
                json_decref(wait_notification(rpc, "update"));
            } else {
                json_t *tables = json_object();
                for (size_t t = 0; t < db.n_tables; t++) {
                    json_object_set_new(tables, db.tables[t].name,
                                        json_object());
                }
                json_decref(start_monitor(rpc, "wait", tables));
                monitoring = true;
            }
            vsctl_db_destroy(&db);
            continue;
        }
        if (commit(m, rpc, &db, &results, &next_cfg)) {
            print_output(m, &db, results);
            json_decref(results);
            vsctl_db_destroy(&db);
            break;
        }
        vsctl_db_destroy(&db);
    }
    json_decref(schema);
    if (next_cfg >= 0) {
        wait_for_cfg(rpc, next_cfg);
    }
}

static void
free_commands(struct vsctl_main *m)
{
    for (size_t i = 0; i < m->n_commands; i++) {
        struct vsctl_command *cmd = &m->commands[i];

        for (size_t j = 0; j < cmd->n_options; j++) {
            free(cmd->option_names[j]);
            free(cmd->option_values[j]);
        }
        free(cmd->option_names);
        free(cmd->option_values);
        ds_destroy(&cmd->output);
        if (cmd->table) {
            vsctl_out_table_destroy(cmd->table);
        }
    }
    free(m->commands);
}

int
main(int argc, char *argv[])
{
    struct vsctl_main m = {.opts = {.format = VSCTL_FMT_LIST,
                                    .data = VSCTL_DATA_STRING,
                                    .headings = true}};
    struct jsonrpc *rpc;

    set_program_name(argv[0]);
    m.db = xasprintf("unix:%s/db.sock", daemon_rundir());
    parse_command_line(&m, argc, argv);
    if (m.timeout) {
        alarm(m.timeout); /* Like ovs-vsctl: SIGALRM ends the program. */
    }
    rpc = connect_db(m.db);
    do_vsctl(&m, rpc);
    jsonrpc_close(rpc);
    free_commands(&m);
    free(m.comment);
    free(m.db);
    return 0;
}
