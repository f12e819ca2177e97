/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/unixctl: a server in this process, serviced by a
 * thread, answers both unixctl_client_transact() and raw JSON written to
 * the socket, so that every command and error path of the protocol is
 * checked, including malformed, partial, pipelined and oversized input.
 * The vlog commands are exercised through the same server.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/unixctl.h"
#include "lib/util.h"
#include "lib/vlog.h"
#include "tests/unit/test-common.h"

VLOG_DEFINE_THIS_MODULE(test_unixctl);

static char tmpdir[64];
static char sock_path[128];
static struct unixctl_server *server;
static struct test_ctl_server server_thread;

/* Commands. */

static void
echo_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct ds ds = DS_EMPTY;
    ds_put_format(&ds, "%s:", (const char *)aux);
    for (int i = 0; i < argc; i++) {
        ds_put_format(&ds, " %s", argv[i]);
    }
    ds_put_char(&ds, '\n');
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
fail_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    unixctl_command_reply_error(conn, "it failed");
}

static void
silent_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    /* Forgets to reply. */
}

static void
twice_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    unixctl_command_reply(conn, "first\n");
    unixctl_command_reply(conn, "second\n");
}

static void
big_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    /* Larger than a socket buffer, to exercise waiting for the client. */
    size_t n = 3 * 1024 * 1024;
    char *s = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        s[i] = 'a' + i % 26;
    }
    s[n - 1] = '\n';
    s[n] = '\0';
    unixctl_command_reply(conn, s);
    free(s);
}

/* Server thread: 'server' is served there between test_setup() and
 * test_teardown(). */

static void
server_thread_start(void)
{
    test_ctl_server_start(&server_thread, server);
}

static void
server_thread_stop(void)
{
    test_ctl_server_stop(&server_thread);
}

static int
group_setup(void **state)
{
    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-unixctl")) {
        return -1;
    }
    snprintf(sock_path, sizeof sock_path, "%s/test.ctl", tmpdir);
    setenv("TERN_RUNDIR", tmpdir, 1);
    signal(SIGPIPE, SIG_IGN);

    /* The tests' own warnings (deliberate protocol errors) stay quiet. */
    char *error = vlog_set_levels_from_string("ANY:console:off");
    free(error);

    unixctl_command_register("test/echo", "[ARG...]", 0, 3, echo_cb,
                             (void *)"echo");
    unixctl_command_register("test/two", "A B", 2, 2, echo_cb, (void *)"two");
    unixctl_command_register("test/fail", "", 0, 0, fail_cb, NULL);
    unixctl_command_register("test/silent", "", 0, 0, silent_cb, NULL);
    unixctl_command_register("test/twice", "", 0, 0, twice_cb, NULL);
    unixctl_command_register("test/big", "", 0, 0, big_cb, NULL);
    vlog_register_commands();
    return 0;
}

static int
group_teardown(void **state)
{
    rmdir(tmpdir);
    return 0;
}

static int
test_setup(void **state)
{
    if (unixctl_server_create(sock_path, &server)) {
        return -1;
    }
    server_thread_start();
    return 0;
}

static int
test_teardown(void **state)
{
    server_thread_stop();
    unixctl_server_destroy(server);
    server = NULL;
    return 0;
}

/* Client helpers. */

/* Runs 'method' with the NULL-terminated arguments; returns the transport
 * status and stores result and error (caller frees). */
static int
transact(const char *method, char **result, char **error, ...)
{
    const char *argv[8];
    int argc = 0;
    va_list args;
    va_start(args, error);
    for (const char *a; (a = va_arg(args, const char *));) {
        argv[argc++] = a;
    }
    va_end(args);
    return unixctl_client_transact(sock_path, method, argc, argv, 5000, result,
                                   error);
}

static int
raw_connect(const char *path)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&un, sizeof un), 0);
    return fd;
}

/* Sends 'n' bytes; stops early, without failing, if the server hangs up
 * (it does so on purpose after rejecting a request). */
static void
raw_send(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            return;
        }
        assert_true(w > 0);
        s += w;
        n -= w;
    }
}

/* Reads one JSON reply from 'fd' within 2 seconds; NULL on EOF. */
static json_t *
raw_read_reply(int fd)
{
    static struct ds pending = DS_EMPTY;
    long long deadline = time_msec() + 2000;
    for (;;) {
        if (pending.length) {
            json_error_t err;
            json_t *j = json_loadb(pending.string, pending.length,
                                   JSON_DISABLE_EOF_CHECK, &err);
            if (j) {
                size_t used = err.position;
                memmove(pending.string, pending.string + used,
                        pending.length - used);
                pending.length -= used;
                return j;
            }
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left = (int)(deadline - time_msec());
        assert_true(left > 0);
        assert_true(poll(&pfd, 1, left) >= 0);
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        /* A hang-up with our data unread shows as ECONNRESET. */
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            ds_clear(&pending);
            return NULL;
        }
        if (n > 0) {
            ds_put_buffer(&pending, buf, n);
        }
    }
}

/* Asserts that the server closes 'fd' within 2 seconds. */
static void
assert_closed(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    char c;
    ssize_t n = recv(fd, &c, 1, 0);
    assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
}

/* Sends 'request' on a fresh connection and checks that the reply carries
 * an error containing 'expect' and that the server then hangs up. */
static void
expect_rejected(const char *request, size_t len, const char *expect)
{
    int fd = raw_connect(sock_path);
    raw_send(fd, request, len);
    json_t *reply = raw_read_reply(fd);
    assert_non_null(reply);
    assert_true(json_is_null(json_object_get(reply, "result")));
    const char *error = json_string_value(json_object_get(reply, "error"));
    assert_non_null(error);
    if (!strstr(error, expect)) {
        fail_msg("error \"%s\" lacks \"%s\"", error, expect);
    }
    json_decref(reply);
    assert_closed(fd);
    close(fd);
}

/* The server keeps serving others. */
static void
assert_server_alive(void)
{
    char *result, *error;
    assert_int_equal(transact("test/echo", &result, &error, "ok", NULL), 0);
    assert_null(error);
    assert_string_equal(result, "echo: test/echo ok\n");
    free(result);
}

/* Tests. */

static void
test_help_and_list_commands(void **state)
{
    char *result, *error;
    assert_int_equal(transact("help", &result, &error, NULL), 0);
    assert_null(error);
    assert_true(!strncmp(result, "The available commands are:\n", 28));
    assert_non_null(strstr(result, "\n  help\n"));
    assert_non_null(strstr(result, "\n  list-commands\n"));
    assert_non_null(strstr(result, "\n  test/two                A B\n"));
    assert_non_null(strstr(result, "\n  vlog/set "));
    /* Sorted by name. */
    assert_true(strstr(result, "  help") < strstr(result, "  test/echo"));
    assert_true(strstr(result, "  test/echo") < strstr(result, "  vlog/"));

    char *result2;
    assert_int_equal(transact("list-commands", &result2, &error, NULL), 0);
    assert_null(error);
    assert_string_equal(result, result2);
    free(result);
    free(result2);

    /* Built-ins take no arguments. */
    assert_int_equal(transact("help", &result, &error, "x", NULL), 0);
    assert_null(result);
    assert_string_equal(error, "\"help\" command takes at most 0 arguments\n");
    free(error);
}

static void
test_command_arguments(void **state)
{
    char *result, *error;
    assert_int_equal(transact("test/echo", &result, &error, NULL), 0);
    assert_null(error);
    assert_string_equal(result, "echo: test/echo\n");
    free(result);

    assert_int_equal(
        transact("test/echo", &result, &error, "a b", "\"q\"", "ü", NULL), 0);
    assert_null(error);
    assert_string_equal(result, "echo: test/echo a b \"q\" ü\n");
    free(result);

    assert_int_equal(transact("test/two", &result, &error, "1", "2", NULL), 0);
    assert_string_equal(result, "two: test/two 1 2\n");
    free(result);
}

static void
test_argument_count_errors(void **state)
{
    char *result, *error;
    assert_int_equal(
        transact("test/echo", &result, &error, "1", "2", "3", "4", NULL), 0);
    assert_null(result);
    assert_string_equal(error,
                        "\"test/echo\" command takes at most 3 arguments\n");
    free(error);

    assert_int_equal(transact("test/two", &result, &error, "1", NULL), 0);
    assert_null(result);
    assert_string_equal(
        error, "\"test/two\" command requires at least 2 arguments\n");
    free(error);
}

static void
test_unknown_command_and_handler_errors(void **state)
{
    char *result, *error;
    assert_int_equal(transact("no/such", &result, &error, NULL), 0);
    assert_null(result);
    assert_non_null(strstr(error, "\"no/such\" is not a valid command"));
    assert_non_null(strstr(error, "list-commands"));
    free(error);

    assert_int_equal(transact("test/fail", &result, &error, NULL), 0);
    assert_null(result);
    assert_string_equal(error, "it failed\n");
    free(error);

    /* A handler that does not reply gets an error reply for it. */
    assert_int_equal(transact("test/silent", &result, &error, NULL), 0);
    assert_null(result);
    assert_string_equal(error, "command did not reply\n");
    free(error);

    /* A second reply is dropped; the connection stays in sync. */
    int fd = raw_connect(sock_path);
    const char *req = "{\"method\":\"test/twice\",\"params\":[],\"id\":1}"
                      "{\"method\":\"test/echo\",\"params\":[],\"id\":2}";
    raw_send(fd, req, strlen(req));
    json_t *r1 = raw_read_reply(fd);
    json_t *r2 = raw_read_reply(fd);
    assert_string_equal(json_string_value(json_object_get(r1, "result")),
                        "first\n");
    assert_int_equal(json_integer_value(json_object_get(r2, "id")), 2);
    assert_string_equal(json_string_value(json_object_get(r2, "result")),
                        "echo: test/echo\n");
    json_decref(r1);
    json_decref(r2);
    close(fd);
}

static void
test_reply_format(void **state)
{
    /* Exactly the shape ovs-appctl expects: id echoed (any scalar type),
     * result a string, error null, and the reverse for errors. */
    int fd = raw_connect(sock_path);
    const char *req = "{\"id\":\"abc\",\"method\":\"test/echo\","
                      "\"params\":[\"x\"]}";
    raw_send(fd, req, strlen(req));
    json_t *reply = raw_read_reply(fd);
    assert_int_equal(json_object_size(reply), 3);
    assert_string_equal(json_string_value(json_object_get(reply, "id")),
                        "abc");
    assert_string_equal(json_string_value(json_object_get(reply, "result")),
                        "echo: test/echo x\n");
    assert_true(json_is_null(json_object_get(reply, "error")));
    json_decref(reply);

    req = "{\"id\":7,\"method\":\"test/fail\",\"params\":[]}";
    raw_send(fd, req, strlen(req));
    reply = raw_read_reply(fd);
    assert_int_equal(json_integer_value(json_object_get(reply, "id")), 7);
    assert_true(json_is_null(json_object_get(reply, "result")));
    assert_string_equal(json_string_value(json_object_get(reply, "error")),
                        "it failed\n");
    json_decref(reply);
    close(fd);
}

static void
test_partial_and_pipelined_requests(void **state)
{
    int fd = raw_connect(sock_path);
    /* One request split in three writes, with pauses, the cut inside a
     * string holding brackets and an escaped quote. */
    const char *req =
        "  {\"method\": \"test/echo\", \"params\": [\"}]{\\\"\"],"
        " \"id\": 11}";
    size_t len = strlen(req);
    raw_send(fd, req, 10);
    test_sleep_msec(50);
    raw_send(fd, req + 10, 30);
    test_sleep_msec(50);
    raw_send(fd, req + 40, len - 40);
    json_t *reply = raw_read_reply(fd);
    assert_int_equal(json_integer_value(json_object_get(reply, "id")), 11);
    assert_string_equal(json_string_value(json_object_get(reply, "result")),
                        "echo: test/echo }]{\"\n");
    json_decref(reply);

    /* Three requests in one write get three replies, in order. */
    const char *three =
        "{\"method\":\"test/echo\",\"params\":[\"a\"],\"id\":1}"
        "\n{\"method\":\"test/fail\",\"params\":[],\"id\":2}"
        "{\"method\":\"test/echo\",\"params\":[\"c\"],\"id\":3}";
    raw_send(fd, three, strlen(three));
    for (int i = 1; i <= 3; i++) {
        reply = raw_read_reply(fd);
        assert_non_null(reply);
        assert_int_equal(json_integer_value(json_object_get(reply, "id")), i);
        json_decref(reply);
    }
    close(fd);
}

static void
test_bad_input(void **state)
{
    static const struct {
        const char *request;
        const char *error;
    } cases[] = {
        {"hello", "not a JSON object"},
        {"[1, 2]", "not a JSON object"},
        {"{\"method\": }", "invalid JSON"},
        {"{\"id\": 1, \"params\": []}", "no \"method\""},
        {"{\"id\": 1, \"method\": 5, \"params\": []}", "must be a string"},
        {"{\"id\": 1, \"method\": \"help\"}", "\"params\" must be an array"},
        {"{\"id\": 1, \"method\": \"help\", \"params\": \"x\"}",
         "\"params\" must be an array"},
        {"{\"id\": 1, \"method\": \"test/echo\", \"params\": [1]}",
         "arguments must be strings"},
        {"{\"id\": 1, \"method\": \"test/echo\", \"params\": [null]}",
         "arguments must be strings"},
        {"{\"id\": [1], \"method\": \"help\", \"params\": []}",
         "id must be a scalar"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        expect_rejected(cases[i].request, strlen(cases[i].request),
                        cases[i].error);
    }

    /* Replies to rejected requests echo a usable id. */
    int fd = raw_connect(sock_path);
    const char *req = "{\"id\": 9, \"method\": \"help\", \"params\": [[]]}";
    raw_send(fd, req, strlen(req));
    json_t *reply = raw_read_reply(fd);
    assert_int_equal(json_integer_value(json_object_get(reply, "id")), 9);
    json_decref(reply);
    assert_closed(fd);
    close(fd);

    assert_server_alive();
}

static void
test_oversized_request(void **state)
{
    /* An unterminated request larger than the limit. */
    size_t n = UNIXCTL_MAX_REQUEST + 4096;
    char *req = xmalloc(n);
    const char *head = "{\"method\":\"test/echo\",\"params\":[\"";
    memcpy(req, head, strlen(head));
    memset(req + strlen(head), 'x', n - strlen(head));
    expect_rejected(req, n, "request too long");

    /* A complete one larger than the limit, in a single write. */
    memcpy(req + n - 4, "\"]}", 3);
    expect_rejected(req, n - 1, "request too long");
    free(req);

    assert_server_alive();
}

static void
test_client_closes_mid_request(void **state)
{
    int fd = raw_connect(sock_path);
    const char *half = "{\"method\":\"test/echo\",\"par";
    raw_send(fd, half, strlen(half));
    close(fd);

    /* Also a client that sends a request and leaves without reading. */
    fd = raw_connect(sock_path);
    const char *req = "{\"method\":\"test/big\",\"params\":[],\"id\":1}";
    raw_send(fd, req, strlen(req));
    close(fd);

    assert_server_alive();

    /* Both connections are gone once the server has noticed. */
    test_sleep_msec(100);
    server_thread_stop();
    unixctl_server_run(server);
    int fds[8];
    assert_int_equal(unixctl_server_fds(server, fds, 8), 1);
    server_thread_start();
}

static void
test_large_reply(void **state)
{
    char *result, *error;
    assert_int_equal(transact("test/big", &result, &error, NULL), 0);
    assert_null(error);
    assert_int_equal(strlen(result), 3 * 1024 * 1024);
    assert_int_equal(result[0], 'a');
    assert_int_equal(result[3 * 1024 * 1024 - 1], '\n');
    free(result);
}

static void
test_too_many_connections(void **state)
{
    int fds[UNIXCTL_MAX_CONNS];
    for (int i = 0; i < UNIXCTL_MAX_CONNS; i++) {
        fds[i] = raw_connect(sock_path);
    }
    /* Let the server accept them all. */
    const char *req = "{\"method\":\"test/echo\",\"params\":[],\"id\":1}";
    raw_send(fds[UNIXCTL_MAX_CONNS - 1], req, strlen(req));
    json_t *reply = raw_read_reply(fds[UNIXCTL_MAX_CONNS - 1]);
    assert_non_null(reply);
    json_decref(reply);

    char *result, *error;
    assert_int_equal(transact("test/echo", &result, &error, NULL), 0);
    assert_null(result);
    assert_string_equal(error, "too many connections\n");
    free(error);

    /* Existing connections still work. */
    raw_send(fds[0], req, strlen(req));
    reply = raw_read_reply(fds[0]);
    assert_string_equal(json_string_value(json_object_get(reply, "result")),
                        "echo: test/echo\n");
    json_decref(reply);

    /* Closing one makes room again. */
    close(fds[0]);
    test_sleep_msec(100);
    assert_server_alive();
    for (int i = 1; i < UNIXCTL_MAX_CONNS; i++) {
        close(fds[i]);
    }
}

static void
test_client_transport_errors(void **state)
{
    char *result, *error;
    char *path = xasprintf("%s/missing.ctl", tmpdir);
    assert_int_equal(
        unixctl_client_transact(path, "help", 0, NULL, 1000, &result, &error),
        ENOENT);
    assert_null(result);
    assert_null(error);
    free(path);

    /* A listener that never answers: the client gives up in time. */
    path = xasprintf("%s/mute.ctl", tmpdir);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, path);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(lfd, (struct sockaddr *)&un, sizeof un), 0);
    assert_int_equal(listen(lfd, 4), 0);
    long long start = time_msec();
    assert_int_equal(
        unixctl_client_transact(path, "help", 0, NULL, 300, &result, &error),
        ETIMEDOUT);
    long long elapsed = time_msec() - start;
    assert_true(elapsed >= 290 && elapsed < 2000);

    int afd = accept(lfd, NULL, NULL); /* The timed-out client. */
    assert_true(afd >= 0);
    close(afd);

    /* Path too long for a unix socket. */
    char longpath[200];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(unixctl_client_transact(longpath, "help", 0, NULL, 100,
                                             &result, &error),
                     ENAMETOOLONG);

    close(lfd);
    unlink(path);
    free(path);
}

static void
test_server_create_paths(void **state)
{
    struct unixctl_server *other;

    /* A live server's socket is not stolen. */
    assert_int_equal(unixctl_server_create(sock_path, &other), EADDRINUSE);
    assert_null(other);

    /* A stale socket file is replaced. */
    char *stale = xasprintf("%s/stale.ctl", tmpdir);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, stale);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&un, sizeof un), 0);
    close(fd);
    assert_int_equal(unixctl_server_create(stale, &other), 0);
    assert_non_null(other);
    int fds[4];
    assert_int_equal(unixctl_server_fds(other, fds, 4), 1);
    unixctl_server_destroy(other);
    struct stat st;
    assert_int_equal(stat(stale, &st), -1); /* Removed on destroy. */
    free(stale);

    /* Something that is not a socket is left alone. */
    char *plain = xasprintf("%s/plain", tmpdir);
    FILE *f = fopen(plain, "w");
    fclose(f);
    assert_int_equal(unixctl_server_create(plain, &other), EEXIST);
    unlink(plain);
    free(plain);
}

static void
test_vlog_commands(void **state)
{
    char *result, *error;
    assert_int_equal(
        transact("vlog/set", &result, &error, "test_unixctl:file:dbg", NULL),
        0);
    assert_null(error);
    assert_string_equal(result, "");
    free(result);
    assert_int_equal(this_module.levels[VLF_FILE], VLL_DBG);

    assert_int_equal(transact("vlog/set", &result, &error,
                              "test_unixctl:file:err", "unixctl:emer", NULL),
                     0);
    assert_null(error);
    free(result);
    assert_int_equal(this_module.levels[VLF_FILE], VLL_ERR);

    assert_int_equal(transact("vlog/list", &result, &error, NULL), 0);
    assert_null(error);
    assert_non_null(strstr(result, "console"));
    assert_non_null(strstr(result, "\ntest_unixctl "));
    assert_non_null(
        strstr(result, "\nunixctl                  EMER     EMER"));
    free(result);

    assert_int_equal(transact("vlog/set", &result, &error, "bogus", NULL), 0);
    assert_null(result);
    assert_string_equal(error, "no destination, level, or module \"bogus\"\n");
    free(error);

    assert_int_equal(transact("vlog/set", &result, &error, NULL), 0);
    assert_non_null(strstr(error, "requires at least 1 arguments"));
    free(error);

    assert_int_equal(transact("vlog/reopen", &result, &error, NULL), 0);
    assert_string_equal(error, "Logging to file not configured\n");
    free(error);

    char *log = xasprintf("%s/x.log", tmpdir);
    assert_int_equal(vlog_set_log_file(log), 0);
    assert_int_equal(transact("vlog/reopen", &result, &error, NULL), 0);
    assert_null(error);
    free(result);
    vlog_set_log_file(NULL);
    unlink(log);
    free(log);
    free(vlog_set_levels_from_string("unixctl:file:info"));
    free(vlog_set_levels_from_string("unixctl:console:off"));
}

static void
test_paths_and_targets(void **state)
{
    char *path = unixctl_default_path("tern-test");
    char *expect = xasprintf("%s/tern-test.%ld.ctl", tmpdir, (long)getpid());
    assert_string_equal(path, expect);
    free(path);
    free(expect);

    /* A target with a slash is a path. */
    assert_int_equal(unixctl_target_path("./x.ctl", &path), 0);
    assert_string_equal(path, "./x.ctl");
    free(path);

    /* A name without a pidfile cannot be resolved. */
    assert_int_equal(unixctl_target_path("tern-nothing", &path), ENOENT);
    assert_null(path);

    /* A pidfile nobody holds is stale. */
    char *pidfile = xasprintf("%s/tern-stale.pid", tmpdir);
    FILE *f = fopen(pidfile, "w");
    fprintf(f, "1\n");
    fclose(f);
    assert_int_equal(unixctl_target_path("tern-stale", &path), ESRCH);
    unlink(pidfile);
    free(pidfile);

    /* A child that holds its pidfile is found, and its socket answers. */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        char *pf = daemon_default_pidfile("tern-child");
        daemon_set_pidfile(pf);
        daemonize_start();
        free(pf);
        /* The server thread does not exist in the child: serve inline. */
        char *ctl = unixctl_default_path("tern-child");
        struct unixctl_server *s;
        if (unixctl_server_create(ctl, &s)) {
            _exit(3);
        }
        free(ctl);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1) {
            _exit(4);
        }
        while (!daemon_should_exit()) {
            struct pollfd pfd = {.fd = daemon_signal_fd(), .events = POLLIN};
            poll(&pfd, 1, 10);
            unixctl_server_run(s);
        }
        unixctl_server_destroy(s);
        exit(0);
    }
    close(ready[1]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);

    assert_int_equal(unixctl_target_path("tern-child", &path), 0);
    expect = xasprintf("%s/tern-child.%ld.ctl", tmpdir, (long)pid);
    assert_string_equal(path, expect);
    char *result, *error;
    assert_int_equal(unixctl_client_transact(path, "test/echo", 0, NULL, 2000,
                                             &result, &error),
                     0);
    assert_string_equal(result, "echo: test/echo\n");
    free(result);
    free(path);
    free(expect);

    /* SIGTERM makes it exit cleanly, removing its pidfile. */
    kill(pid, SIGTERM);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(unixctl_target_path("tern-child", &path), ENOENT);
}

/* A daemon started with --unixctl=RUNDIR/NAME.ctl is found by name without
 * a pidfile, and its socket answers. */
static void
test_target_fixed_name_socket(void **state)
{
    char *fixed = xasprintf("%s/tern-fixed.ctl", tmpdir);
    struct unixctl_server *server;
    assert_int_equal(unixctl_server_create(fixed, &server), 0);

    char *path;
    assert_int_equal(unixctl_target_path("tern-fixed", &path), 0);
    assert_string_equal(path, fixed);
    free(path);

    /* A regular file of that name is not a socket: back to the pidfile. */
    unixctl_server_destroy(server);
    FILE *f = fopen(fixed, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(unixctl_target_path("tern-fixed", &path), ENOENT);
    assert_null(path);
    unlink(fixed);
    free(fixed);
}

int
main(void)
{
#define T(NAME)                                                               \
    cmocka_unit_test_setup_teardown(NAME, test_setup, test_teardown)
    const struct CMUnitTest tests[] = {
        T(test_help_and_list_commands),
        T(test_command_arguments),
        T(test_argument_count_errors),
        T(test_unknown_command_and_handler_errors),
        T(test_reply_format),
        T(test_partial_and_pipelined_requests),
        T(test_bad_input),
        T(test_oversized_request),
        T(test_client_closes_mid_request),
        T(test_large_reply),
        T(test_too_many_connections),
        T(test_client_transport_errors),
        T(test_server_create_paths),
        T(test_vlog_commands),
        T(test_paths_and_targets),
        T(test_target_fixed_name_socket),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
