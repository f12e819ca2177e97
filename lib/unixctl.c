/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unixctl: JSON-RPC 1.0 control socket, server and client (see unixctl.h).
 *
 * Framing: a stream socket carries JSON values back to back.  Each
 * connection scans its input incrementally with the JSON-RPC framer
 * ('struct json_framer' from jsonrpc.h) for the end of the first top-level
 * object or array; only complete values go to jansson.  Input that does not
 * start with '{' or '[', or nests deeper than JSONRPC_MAX_DEPTH, is
 * rejected at once, without waiting for more.
 *
 * Replies are written at once; every non-empty result or error text ends
 * in a new-line (one is added if the handler left it out).  A socket whose
 * buffer is full gets up to UNIXCTL_SEND_TIMEOUT_MS to drain before the
 * connection is dropped, so a client that stops reading cannot stall the
 * daemon for long.
 *
 * The command table is a sorted array walked by one dispatcher; "help" and
 * "list-commands" are ordinary entries registered on first use.
 */
#include <config.h>

#include "lib/unixctl.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/jsonrpc.h"
#include "lib/stream.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);

#define UNIXCTL_SEND_TIMEOUT_MS 2000
/* Bytes read from one connection per unixctl_server_run(). */
#define UNIXCTL_READ_BUDGET (UNIXCTL_MAX_REQUEST + 65536)

struct unixctl_command {
    char *name;
    char *usage;
    int min_args;
    int max_args;
    unixctl_cb_func *cb;
    void *aux;
};

/* Registered commands, sorted by name.  Main thread only. */
static struct unixctl_command *commands;
static size_t n_commands, allocated_commands;

struct unixctl_conn {
    struct unixctl_server *server;
    int fd;
    struct ds in;              /* Received, not yet handled. */
    struct json_framer framer; /* Scan state over 'in'. */
    size_t scanned;            /* Bytes of 'in' fed to 'framer'. */
    json_t *request_id;        /* Id of the request being handled. */
    bool replied;              /* Current request answered. */
    bool dead;                 /* Close at the end of this run. */
};

struct unixctl_server {
    int fd;
    char *path;
    struct unixctl_conn *conns[UNIXCTL_MAX_CONNS];
    size_t n_conns;
};

/* Commands. */

static struct unixctl_command *
unixctl_lookup__(const char *name)
{
    size_t lo = 0, hi = n_commands;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(name, commands[mid].name);
        if (!cmp) {
            return &commands[mid];
        } else if (cmp < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return NULL;
}

static void
unixctl_register__(const char *name, const char *usage, int min_args,
                   int max_args, unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *cmd = unixctl_lookup__(name);
    if (!cmd) {
        if (n_commands >= allocated_commands) {
            allocated_commands =
                allocated_commands ? allocated_commands * 2 : 32;
            commands =
                xrealloc(commands, allocated_commands * sizeof *commands);
        }
        size_t i = 0;
        while (i < n_commands && strcmp(commands[i].name, name) < 0) {
            i++;
        }
        memmove(&commands[i + 1], &commands[i],
                (n_commands - i) * sizeof *commands);
        n_commands++;
        cmd = &commands[i];
        cmd->name = xstrdup(name);
    } else {
        free(cmd->usage);
    }
    cmd->usage = xstrdup(usage ? usage : "");
    cmd->min_args = min_args;
    cmd->max_args = max_args;
    cmd->cb = cb;
    cmd->aux = aux;
}

static void
unixctl_help__(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    struct ds ds = DS_EMPTY;
    ds_put_cstr(&ds, "The available commands are:\n");
    for (size_t i = 0; i < n_commands; i++) {
        const struct unixctl_command *cmd = &commands[i];
        if (*cmd->usage) {
            ds_put_format(&ds, "  %-23s %s\n", cmd->name, cmd->usage);
        } else {
            ds_put_format(&ds, "  %s\n", cmd->name);
        }
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
unixctl_register_builtins__(void)
{
    static bool done;
    if (!done) {
        done = true;
        unixctl_register__("help", "", 0, 0, unixctl_help__, NULL);
        unixctl_register__("list-commands", "", 0, 0, unixctl_help__, NULL);
    }
}

void
unixctl_command_register(const char *name, const char *usage, int min_args,
                         int max_args, unixctl_cb_func *cb, void *aux)
{
    unixctl_register_builtins__();
    unixctl_register__(name, usage, min_args, max_args, cb, aux);
}

/* Output. */

/* Sends all of 'buf' on 'fd', waiting at most UNIXCTL_SEND_TIMEOUT_MS for
 * buffer space.  Returns 0 or a positive errno. */
static int
unixctl_send_all__(int fd, const char *buf, size_t n)
{
    long long deadline = time_msec() + UNIXCTL_SEND_TIMEOUT_MS;
    while (n) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            buf += w;
            n -= w;
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            return errno;
        }
        long long left = deadline - time_msec();
        if (left <= 0) {
            return ETIMEDOUT;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

/* Returns a JSON string for 's' that ends in a new-line unless empty (as
 * ovs-appctl expects of every reply), replacing bytes that are not valid
 * UTF-8 with '?'.  The caller owns the reference. */
static json_t *
unixctl_json_string__(const char *s)
{
    size_t len = strlen(s);
    char *copy = xmalloc(len + 2);
    memcpy(copy, s, len + 1);
    if (len && s[len - 1] != '\n') {
        copy[len] = '\n';
        copy[len + 1] = '\0';
    }
    json_t *j = json_string(copy);
    if (!j) {
        for (char *p = copy; *p; p++) {
            if ((unsigned char)*p >= 0x80) {
                *p = '?';
            }
        }
        j = json_string(copy);
    }
    free(copy);
    return j;
}

/* Sends a reply with 'result' or 'error' (exactly one non-NULL) for the
 * request with 'id' (borrowed; NULL means null). */
static void
unixctl_send_reply__(struct unixctl_conn *conn, const json_t *id,
                     const char *result, const char *error)
{
    json_t *reply = json_object();
    json_object_set_new(reply, "id", id ? json_deep_copy(id) : json_null());
    json_object_set_new(reply, "result",
                        result ? unixctl_json_string__(result) : json_null());
    json_object_set_new(reply, "error",
                        error ? unixctl_json_string__(error) : json_null());
    char *text = json_dumps(reply, JSON_COMPACT);
    json_decref(reply);

    int retval = unixctl_send_all__(conn->fd, text, strlen(text));
    free(text);
    if (retval) {
        VLOG_DBG("dropping control connection: %s", tern_strerror(retval));
        conn->dead = true;
    }
}

static void
unixctl_reply__(struct unixctl_conn *conn, const char *result,
                const char *error)
{
    if (conn->replied) {
        VLOG_WARN("command replied twice; extra reply ignored");
        return;
    }
    conn->replied = true;
    unixctl_send_reply__(conn, conn->request_id, result, error);
}

void
unixctl_command_reply(struct unixctl_conn *conn, const char *result)
{
    unixctl_reply__(conn, result ? result : "", NULL);
}

void
unixctl_command_reply_error(struct unixctl_conn *conn, const char *error)
{
    unixctl_reply__(conn, NULL, error ? error : "error");
}

/* Requests. */

/* Sends 'error' for a malformed request and marks 'conn' for closing. */
static void
unixctl_reject__(struct unixctl_conn *conn, const json_t *id,
                 const char *error)
{
    VLOG_DBG("rejecting control request: %s", error);
    unixctl_send_reply__(conn, id, NULL, error);
    conn->dead = true;
}

/* Calls the handler of 'method' with 'params' (a checked array of strings)
 * and makes sure the request is answered. */
static void
unixctl_dispatch__(struct unixctl_conn *conn, const char *method,
                   const json_t *params)
{
    const struct unixctl_command *cmd = unixctl_lookup__(method);
    int n_args = (int)json_array_size(params);
    char *error = NULL;

    if (!cmd) {
        error = xasprintf("\"%s\" is not a valid command (use "
                          "\"list-commands\" to see all commands)",
                          method);
    } else if (n_args < cmd->min_args) {
        error = xasprintf("\"%s\" command requires at least %d arguments",
                          method, cmd->min_args);
    } else if (n_args > cmd->max_args) {
        error = xasprintf("\"%s\" command takes at most %d arguments", method,
                          cmd->max_args);
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }

    const char **argv = xcalloc(n_args + 2, sizeof *argv);
    argv[0] = method;
    for (int i = 0; i < n_args; i++) {
        argv[i + 1] = json_string_value(json_array_get(params, i));
    }
    cmd->cb(conn, n_args + 1, argv, cmd->aux);
    free(argv);
    if (!conn->replied) {
        VLOG_WARN("command \"%s\" did not reply", method);
        unixctl_command_reply_error(conn, "command did not reply");
    }
}

/* Handles the JSON text of one request ('len' bytes at 'text'). */
static void
unixctl_handle_request__(struct unixctl_conn *conn, const char *text,
                         size_t len)
{
    json_error_t jerr;
    json_t *req = json_loadb(text, len, 0, &jerr);
    if (!req) {
        char *msg = xasprintf("invalid JSON: %s", jerr.text);
        unixctl_reject__(conn, NULL, msg);
        free(msg);
        return;
    }

    json_t *id = json_is_object(req) ? json_object_get(req, "id") : NULL;
    json_t *method =
        json_is_object(req) ? json_object_get(req, "method") : NULL;
    json_t *params =
        json_is_object(req) ? json_object_get(req, "params") : NULL;
    if (!json_is_object(req)) {
        unixctl_reject__(conn, NULL, "request is not a JSON object");
    } else if (id && (json_is_object(id) || json_is_array(id))) {
        unixctl_reject__(conn, NULL, "request id must be a scalar");
    } else if (!method) {
        unixctl_reject__(conn, id, "request has no \"method\"");
    } else if (!json_is_string(method)) {
        unixctl_reject__(conn, id, "\"method\" must be a string");
    } else if (!json_is_array(params)) {
        unixctl_reject__(conn, id, "\"params\" must be an array");
    } else {
        size_t i;
        json_t *arg;
        json_array_foreach(params, i, arg)
        {
            if (!json_is_string(arg)) {
                unixctl_reject__(conn, id,
                                 "command arguments must be strings");
                break;
            }
        }
        if (!conn->dead) {
            conn->request_id = id;
            conn->replied = false;
            unixctl_dispatch__(conn, json_string_value(method), params);
            conn->request_id = NULL;
        }
    }
    json_decref(req);
}

/* Handles every complete request buffered on 'conn'. */
static void
unixctl_conn_process__(struct unixctl_conn *conn)
{
    while (!conn->dead && conn->in.length) {
        ssize_t n =
            json_framer_scan(&conn->framer, conn->in.string + conn->scanned,
                             conn->in.length - conn->scanned);
        if (n < 0) {
            unixctl_reject__(conn, NULL, "request is not a JSON object");
            return;
        }
        if (n == 0) {
            conn->scanned = conn->in.length;
            if (conn->in.length > UNIXCTL_MAX_REQUEST) {
                unixctl_reject__(conn, NULL, "request too long");
            }
            return;
        }
        size_t end = conn->scanned + n;
        if (end > UNIXCTL_MAX_REQUEST) {
            unixctl_reject__(conn, NULL, "request too long");
            return;
        }
        unixctl_handle_request__(conn, conn->in.string, end);
        memmove(conn->in.string, conn->in.string + end, conn->in.length - end);
        conn->in.length -= end;
        conn->in.string[conn->in.length] = '\0';
        conn->scanned = 0;
        json_framer_init(&conn->framer);
    }
}

/* Reads what is available on 'conn' and serves complete requests. */
static void
unixctl_conn_run__(struct unixctl_conn *conn)
{
    size_t budget = UNIXCTL_READ_BUDGET;
    while (!conn->dead && budget) {
        char buf[16384];
        ssize_t n = recv(conn->fd, buf, MIN(sizeof buf, budget), MSG_DONTWAIT);
        if (n > 0) {
            budget -= n;
            ds_put_buffer(&conn->in, buf, n);
            unixctl_conn_process__(conn);
        } else if (n == 0) {
            if (conn->in.length) {
                VLOG_DBG("control connection closed mid-request");
            }
            conn->dead = true;
        } else if (errno == EINTR) {
            continue;
        } else {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                conn->dead = true;
            }
            break;
        }
    }
}

static void
unixctl_conn_destroy__(struct unixctl_conn *conn)
{
    close(conn->fd);
    ds_destroy(&conn->in);
    free(conn);
}

/* Server. */

int
unixctl_server_create(const char *path, struct unixctl_server **serverp)
{
    int fd;

    *serverp = NULL;
    unixctl_register_builtins__();
    int error = stream_unix_listen(path, 0700, UNIXCTL_MAX_CONNS, &fd);
    if (error) {
        return error;
    }

    struct unixctl_server *server = xzalloc(sizeof *server);
    server->fd = fd;
    server->path = xstrdup(path);
    *serverp = server;
    return 0;
}

static void
unixctl_server_accept__(struct unixctl_server *server)
{
    for (;;) {
        int fd = accept4(server->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
                VLOG_WARN_RL(&rl, "%s: accept failed: %s", server->path,
                             tern_strerror(errno));
            }
            return;
        }

        struct unixctl_conn *conn = xzalloc(sizeof *conn);
        conn->server = server;
        conn->fd = fd;
        ds_init(&conn->in);
        json_framer_init(&conn->framer);
        if (server->n_conns >= UNIXCTL_MAX_CONNS) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: too many control connections",
                         server->path);
            unixctl_send_reply__(conn, NULL, NULL, "too many connections");
            unixctl_conn_destroy__(conn);
            continue;
        }
        server->conns[server->n_conns++] = conn;
    }
}

void
unixctl_server_run(struct unixctl_server *server)
{
    if (!server) {
        return;
    }
    unixctl_server_accept__(server);
    for (size_t i = 0; i < server->n_conns; i++) {
        unixctl_conn_run__(server->conns[i]);
    }
    for (size_t i = 0; i < server->n_conns;) {
        struct unixctl_conn *conn = server->conns[i];
        if (conn->dead) {
            unixctl_conn_destroy__(conn);
            server->conns[i] = server->conns[--server->n_conns];
        } else {
            i++;
        }
    }
}

int
unixctl_server_fds(const struct unixctl_server *server, int *fds, int max)
{
    int n = 0;
    if (!server || max <= 0) {
        return 0;
    }
    fds[n++] = server->fd;
    for (size_t i = 0; i < server->n_conns && n < max; i++) {
        fds[n++] = server->conns[i]->fd;
    }
    return n;
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    if (!server) {
        return;
    }
    for (size_t i = 0; i < server->n_conns; i++) {
        unixctl_conn_destroy__(server->conns[i]);
    }
    close(server->fd);
    unlink(server->path);
    free(server->path);
    free(server);
}

/* Paths. */

char *
unixctl_default_path(const char *name)
{
    return xasprintf("%s/%s.%ld.ctl", daemon_rundir(), name, (long)getpid());
}

int
unixctl_target_path(const char *target, char **pathp)
{
    *pathp = NULL;
    if (strchr(target, '/')) {
        *pathp = xstrdup(target);
        return 0;
    }

    /* A daemon started with --unixctl=$RUNDIR/NAME.ctl (as tern-ctl does)
     * answers there. */
    char *fixed = xasprintf("%s/%s.ctl", daemon_rundir(), target);
    struct stat st;
    if (!stat(fixed, &st) && S_ISSOCK(st.st_mode)) {
        *pathp = fixed;
        return 0;
    }
    free(fixed);

    char *pidfile = daemon_default_pidfile(target);
    pid_t pid;
    int error = daemon_read_pidfile(pidfile, &pid);
    free(pidfile);
    if (!error) {
        *pathp =
            xasprintf("%s/%s.%ld.ctl", daemon_rundir(), target, (long)pid);
    }
    return error;
}

/* Client. */

/* Waits until 'fd' is ready for 'events' or 'deadline' (LLONG_MAX: never)
 * passes.  Returns 0 or a positive errno. */
static int
unixctl_client_wait__(int fd, short events, long long deadline)
{
    for (;;) {
        int timeout = -1;
        if (deadline != LLONG_MAX) {
            long long left = deadline - time_msec();
            if (left <= 0) {
                return ETIMEDOUT;
            }
            timeout = (int)MIN(left, INT32_MAX);
        }
        struct pollfd pfd = {.fd = fd, .events = events};
        int n = poll(&pfd, 1, timeout);
        if (n > 0) {
            return 0;
        } else if (n < 0 && errno != EINTR) {
            return errno;
        }
    }
}

/* Builds the request text for 'method' and its 'argc' arguments.  Returns
 * a string the caller frees, or NULL if an argument is not valid UTF-8. */
static char *
unixctl_client_request__(const char *method, int argc, const char *argv[])
{
    json_t *params = json_array();
    for (int i = 0; i < argc; i++) {
        json_t *arg = json_string(argv[i]);
        if (!arg) {
            json_decref(params);
            return NULL;
        }
        json_array_append_new(params, arg);
    }
    json_t *m = json_string(method);
    if (!m) {
        json_decref(params);
        return NULL;
    }
    json_t *req = json_object();
    json_object_set_new(req, "method", m);
    json_object_set_new(req, "params", params);
    json_object_set_new(req, "id", json_integer(0));
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    return text;
}

/* Sends 'text' and reads one reply into 'reply'.  Returns 0 or a positive
 * errno. */
static int
unixctl_client_exchange__(int fd, const char *text, long long deadline,
                          struct ds *reply)
{
    size_t len = strlen(text);
    int send_error = 0;
    while (len && !send_error) {
        ssize_t w = send(fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w >= 0) {
            text += w;
            len -= w;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int error = unixctl_client_wait__(fd, POLLOUT, deadline);
            if (error) {
                return error;
            }
        } else if (errno != EINTR) {
            /* The server may have closed the connection after an error
             * reply (for example "too many connections"): read it. */
            send_error = errno;
        }
    }

    struct json_framer framer;
    json_framer_init(&framer);
    for (;;) {
        char buf[16384];
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            size_t scanned = reply->length;
            ds_put_buffer(reply, buf, n);
            ssize_t end = json_framer_scan(&framer, buf, n);
            if (end < 0) {
                return EPROTO;
            } else if (end > 0) {
                reply->length = scanned + end;
                reply->string[reply->length] = '\0';
                return 0;
            }
        } else if (n == 0) {
            return reply->length ? EPROTO
                   : send_error  ? send_error
                                 : ECONNRESET;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int error = unixctl_client_wait__(fd, POLLIN, deadline);
            if (error) {
                return error;
            }
        } else if (errno != EINTR) {
            return send_error ? send_error : errno;
        }
    }
}

/* Returns 'j' as text: a string's value, else its JSON encoding.  The
 * caller frees the result. */
static char *
unixctl_json_text__(const json_t *j)
{
    if (json_is_string(j)) {
        return xstrdup(json_string_value(j));
    }
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    char *copy = xstrdup(s ? s : "");
    free(s);
    return copy;
}

/* Interprets the reply text in 'reply'.  Returns 0 or EPROTO. */
static int
unixctl_client_parse__(const struct ds *reply, char **result, char **error)
{
    json_t *j = json_loadb(reply->string, reply->length, 0, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return EPROTO;
    }
    json_t *id = json_object_get(j, "id");
    json_t *res = json_object_get(j, "result");
    json_t *err = json_object_get(j, "error");
    int retval = 0;
    if (id && !json_is_null(id) &&
        !(json_is_integer(id) && json_integer_value(id) == 0)) {
        retval = EPROTO;
    } else if (err && !json_is_null(err)) {
        *error = unixctl_json_text__(err);
    } else if (res && !json_is_null(res)) {
        *result = unixctl_json_text__(res);
    } else {
        *result = xstrdup("");
    }
    json_decref(j);
    return retval;
}

int
unixctl_client_transact(const char *path, const char *method, int argc,
                        const char *argv[], int timeout_ms, char **result,
                        char **error)
{
    long long deadline = timeout_ms > 0 ? time_msec() + timeout_ms : LLONG_MAX;
    int retval;
    int fd;

    *result = NULL;
    *error = NULL;
    char *text = unixctl_client_request__(method, argc, argv);
    if (!text) {
        return EINVAL;
    }

    retval = stream_unix_connect(path, &fd);
    if (!retval) {
        struct ds reply = DS_EMPTY;
        retval = unixctl_client_exchange__(fd, text, deadline, &reply);
        if (!retval) {
            retval = unixctl_client_parse__(&reply, result, error);
        }
        ds_destroy(&reply);
        close(fd);
    }
    free(text);
    return retval;
}
