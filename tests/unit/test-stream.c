/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/uuid and lib/stream: UUID text round trips, rejects
 * and version bits; unix, tcp and ssl streams connecting, sending and
 * receiving through real sockets on loopback; ptcp:0, stale punix
 * sockets and name checking.  The SSL tests make a throwaway CA and
 * certificates with the openssl command in a private directory.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/jsonrpc.h"
#include "lib/stream.h"
#include "lib/util.h"
#include "lib/uuid.h"
#include "tests/unit/test-common.h"

/* How long a test waits for loopback I/O before failing. */
#define IO_TIMEOUT_MS 5000

static char tmpdir[64];

/* UUIDs. */

static void
test_uuid_round_trip(void **state TERN_UNUSED)
{
    for (int i = 0; i < 100; i++) {
        struct uuid a, b;
        char s[UUID_LEN + 1];
        uuid_generate(&a);
        uuid_to_string(&a, s);
        assert_int_equal(strlen(s), UUID_LEN);
        assert_true(uuid_from_string(&b, s));
        assert_true(uuid_equals(&a, &b));
        assert_int_equal(uuid_compare(&a, &b), 0);
        assert_int_equal(uuid_hash(&a), uuid_hash(&b));
    }

    struct uuid u;
    assert_true(uuid_from_string(&u, "01234567-89AB-cdef-0123-456789abcdef"));
    assert_int_equal(u.parts[0], 0x01234567);
    assert_int_equal(u.parts[1], 0x89abcdef);
    assert_int_equal(u.parts[2], 0x01234567);
    assert_int_equal(u.parts[3], 0x89abcdef);
    char s[UUID_LEN + 1];
    uuid_to_string(&u, s);
    assert_string_equal(s, "01234567-89ab-cdef-0123-456789abcdef");

    assert_true(uuid_from_string(&u, "00000000-0000-0000-0000-000000000000"));
    assert_true(uuid_is_zero(&u));
    struct uuid z;
    uuid_zero(&z);
    assert_true(uuid_equals(&u, &z));
}

static void
test_uuid_bad_strings(void **state TERN_UNUSED)
{
    static const char *bad[] = {
        "",
        "0123456789abcdef0123456789abcdef",
        "01234567-89ab-cdef-0123-456789abcde",   /* Short. */
        "01234567-89ab-cdef-0123-456789abcdef0", /* Long. */
        "01234567-89ab-cdef-0123-456789abcdeg",  /* Not hex. */
        "01234567_89ab-cdef-0123-456789abcdef",  /* Wrong separator. */
        "0123456-789ab-cdef-0123-456789abcdef",  /* Dash misplaced. */
        " 1234567-89ab-cdef-0123-456789abcdef",
        "01234567-89ab-cdef-0123-456789abcdef ",
        "+1234567-89ab-cdef-0123-456789abcdef",
    };
    struct uuid u = {{1, 2, 3, 4}};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_false(uuid_from_string(&u, bad[i]));
    }
    /* Untouched on failure. */
    assert_int_equal(u.parts[0], 1);
    assert_int_equal(u.parts[3], 4);
}

static void
test_uuid_random(void **state TERN_UNUSED)
{
    enum { N = 1000 };
    struct uuid *u = xcalloc(N, sizeof *u);
    uint32_t ones = 0;
    for (int i = 0; i < N; i++) {
        char s[UUID_LEN + 1];
        uuid_generate(&u[i]);
        uuid_to_string(&u[i], s);
        assert_int_equal(s[14], '4');
        assert_non_null(strchr("89ab", s[19]));
        assert_false(uuid_is_zero(&u[i]));
        ones += __builtin_popcount(u[i].parts[0]);
        for (int j = 0; j < i; j++) {
            assert_false(uuid_equals(&u[i], &u[j]));
        }
    }
    /* About half of the random bits are set. */
    assert_true(ones > N * 32 * 45 / 100 && ones < N * 32 * 55 / 100);

    /* compare() is a total order consistent with equals(). */
    int c1 = uuid_compare(&u[0], &u[1]);
    int c2 = uuid_compare(&u[1], &u[0]);
    assert_int_not_equal(c1, 0);
    assert_int_equal(c1, -c2);
    free(u);
}

/* Streams: helpers. */

/* Completes the connection of 'client' to 'p', returning the accepted
 * server side.  Fails the test on timeout. */
static struct stream *
connect_and_accept(struct stream *client, struct pstream *p)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct stream *server = NULL;
    int client_error = EAGAIN, server_error = EAGAIN;

    while (client_error == EAGAIN || server_error == EAGAIN) {
        assert_true(time_msec() < deadline);
        if (!server) {
            int error = pstream_accept(p, &server);
            assert_true(error == 0 || error == EAGAIN);
        }
        if (client_error == EAGAIN) {
            client_error = stream_connect(client);
        }
        if (server && server_error == EAGAIN) {
            server_error = stream_connect(server);
        }
        struct pollfd pfds[3] = {
            {.fd = stream_fd(client), .events = stream_wants(client, false)},
            {.fd = pstream_fd(p), .events = POLLIN},
            {.fd = server ? stream_fd(server) : -1,
             .events = server ? stream_wants(server, false) : 0},
        };
        poll(pfds, 3, 10);
    }
    assert_int_equal(client_error, 0);
    assert_int_equal(server_error, 0);
    return server;
}

/* Sends all 'n' bytes of 'buf' on 'out' while reading them back on 'in'
 * into a buffer the caller frees; returns the bytes read. */
static char *
transfer(struct stream *out, struct stream *in, const char *buf, size_t n)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    char *got = xmalloc(n + 1);
    size_t sent = 0, rcvd = 0;
    while (rcvd < n) {
        assert_true(time_msec() < deadline);
        if (sent < n) {
            ssize_t w = stream_send(out, buf + sent, n - sent);
            assert_true(w > 0 || w == -EAGAIN);
            sent += w > 0 ? w : 0;
        }
        ssize_t r = stream_recv(in, got + rcvd, n - rcvd);
        assert_true(r > 0 || r == -EAGAIN);
        rcvd += r > 0 ? r : 0;
        struct pollfd pfds[2] = {
            {.fd = stream_fd(out), .events = stream_wants(out, sent < n)},
            {.fd = stream_fd(in), .events = stream_wants(in, false)},
        };
        if (r == -EAGAIN) {
            poll(pfds, 2, 10);
        }
    }
    got[n] = '\0';
    return got;
}

/* Checks a connected pair both ways with a message of 'size' bytes, then
 * end of stream after the client closes. */
static void
check_pair(struct stream *client, struct stream *server, size_t size)
{
    char *msg = xmalloc(size);
    for (size_t i = 0; i < size; i++) {
        msg[i] = 'a' + i % 26;
    }
    char *got = transfer(client, server, msg, size);
    assert_memory_equal(got, msg, size);
    free(got);
    got = transfer(server, client, "pong", 4);
    assert_string_equal(got, "pong");
    free(got);
    free(msg);

    stream_close(client);
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    char c;
    ssize_t r;
    while ((r = stream_recv(server, &c, 1)) == -EAGAIN) {
        assert_true(time_msec() < deadline);
        test_sleep_msec(5);
    }
    assert_int_equal(r, 0);
    stream_close(server);
}

/* Opens listener 'pname', connects 'aname' (with "%d" replaced by the
 * bound port) and checks the pair with 'size' bytes. */
static void
check_listener(const char *pname, const char *aname_fmt, size_t size)
{
    struct pstream *p;
    assert_int_equal(pstream_open(pname, &p), 0);
    assert_string_equal(pstream_get_name(p), pname);

    char *aname = xasprintf(aname_fmt, pstream_get_bound_port(p));
    struct stream *client;
    assert_int_equal(stream_open(aname, &client), 0);
    assert_string_equal(stream_get_name(client), aname);
    struct stream *server = connect_and_accept(client, p);
    check_pair(client, server, size);
    free(aname);
    pstream_close(p);
}

/* Streams: tests. */

static void
test_stream_unix(void **state TERN_UNUSED)
{
    char *path = xasprintf("%s/s.sock", tmpdir);
    char *pname = xasprintf("punix:%s", path);
    char *aname = xasprintf("unix:%s", path);
    check_listener(pname, aname, 300000);
    /* Closing the listener removes its socket file. */
    assert_int_not_equal(access(path, F_OK), 0);
    free(path);
    free(pname);
    free(aname);
}

static void
test_stream_unix_relative(void **state TERN_UNUSED)
{
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    check_listener("punix:rel.sock", "unix:rel.sock", 1000);
    assert_int_equal(chdir(cwd), 0);
}

static void
test_stream_punix_stale(void **state TERN_UNUSED)
{
    char *path = xasprintf("%s/stale.sock", tmpdir);
    char *pname = xasprintf("punix:%s", path);

    /* A socket file with nobody listening is replaced. */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&un, sizeof un), 0);
    close(fd);
    assert_int_equal(access(path, F_OK), 0);

    struct pstream *p, *p2;
    assert_int_equal(pstream_open(pname, &p), 0);
    /* A live server is not stolen from. */
    assert_int_equal(pstream_open(pname, &p2), EADDRINUSE);
    pstream_close(p);

    /* A regular file is not a socket to remove. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(pstream_open(pname, &p2), EEXIST);
    unlink(path);
    free(path);
    free(pname);
}

static void
test_stream_tcp(void **state TERN_UNUSED)
{
    check_listener("ptcp:0:127.0.0.1", "tcp:127.0.0.1:%d", 500000);
    check_listener("ptcp:0", "tcp:127.0.0.1:%d", 10);
}

static void
test_stream_tcp6(void **state TERN_UNUSED)
{
    check_listener("ptcp:0:[::1]", "tcp:[::1]:%d", 100000);
    check_listener("ptcp:0:::1", "tcp:[::1]:%d", 10);
}

static void
test_stream_ptcp0(void **state TERN_UNUSED)
{
    struct pstream *a, *b;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &a), 0);
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &b), 0);
    int pa = pstream_get_bound_port(a), pb = pstream_get_bound_port(b);
    assert_true(pa > 0 && pa < 65536);
    assert_true(pb > 0 && pb != pa);

    /* The same port twice is refused. */
    char *name = xasprintf("ptcp:%d:127.0.0.1", pa);
    struct pstream *c;
    assert_int_equal(pstream_open(name, &c), EADDRINUSE);
    free(name);

    /* Nothing waits to be accepted. */
    struct stream *s;
    assert_int_equal(pstream_accept(a, &s), EAGAIN);
    assert_null(s);
    pstream_close(a);
    pstream_close(b);

    /* unix listeners have no port. */
    char *pname = xasprintf("punix:%s/port.sock", tmpdir);
    assert_int_equal(pstream_open(pname, &c), 0);
    assert_int_equal(pstream_get_bound_port(c), 0);
    pstream_close(c);
    free(pname);
}

static void
test_stream_refused(void **state TERN_UNUSED)
{
    /* Find a free port, then connect to it after closing it. */
    struct pstream *p;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p), 0);
    char *name = xasprintf("tcp:127.0.0.1:%d", pstream_get_bound_port(p));
    pstream_close(p);

    struct stream *s;
    assert_int_equal(stream_open(name, &s), 0);
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    int error;
    while ((error = stream_connect(s)) == EAGAIN) {
        assert_true(time_msec() < deadline);
        struct pollfd pfd = {.fd = stream_fd(s),
                             .events = stream_wants(s, false)};
        poll(&pfd, 1, 10);
    }
    assert_int_equal(error, ECONNREFUSED);
    char c;
    assert_int_equal(stream_recv(s, &c, 1), -ECONNREFUSED);
    assert_int_equal(stream_send(s, "x", 1), -ECONNREFUSED);
    stream_close(s);
    free(name);

    char *path = xasprintf("unix:%s/nobody.sock", tmpdir);
    assert_int_equal(stream_open(path, &s), ENOENT);
    assert_null(s);
    free(path);
}

static void
test_stream_bad_names(void **state TERN_UNUSED)
{
    static const struct {
        const char *name;
        int error;
    } active[] = {
        {"unix:/tmp/x", 0},
        {"tcp:127.0.0.1:6640", 0},
        {"tcp:127.0.0.1", 0},
        {"tcp:[::1]:6640", 0},
        {"ssl:10.0.0.1:6640", 0},
        {"foo:1.2.3.4:5", EAFNOSUPPORT},
        {"ptcp:6640", EAFNOSUPPORT},
        {"", EAFNOSUPPORT},
        {"tcp", EAFNOSUPPORT},
        {"unix:", EINVAL},
        {"tcp:", EINVAL},
        {"tcp:localhost:6640", EINVAL}, /* No DNS. */
        {"tcp:127.0.0.1:65536", EINVAL},
        {"tcp:127.0.0.1:-1", EINVAL},
        {"tcp:127.0.0.1:http", EINVAL},
        {"tcp:127.0.0.1:0x10", EINVAL},
        {"tcp:::1:6640", EINVAL},
        {"tcp:[::1", EINVAL},
        {"tcp:[::1]x", EINVAL},
        {"tcp:1.2.3.4.5:1", EINVAL},
    };
    static const struct {
        const char *name;
        int error;
    } passive[] = {
        {"punix:/tmp/x", 0},
        {"ptcp:6640", 0},
        {"ptcp:", 0},
        {"ptcp:0:127.0.0.1", 0},
        {"ptcp:6640:[::]", 0},
        {"pssl:6640", 0},
        {"tcp:1.2.3.4:5", EAFNOSUPPORT},
        {"pfoo:1", EAFNOSUPPORT},
        {"punix:", EINVAL},
        {"ptcp:99999", EINVAL},
        {"ptcp:1:host.example", EINVAL},
        {"ptcp:1:[::1", EINVAL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(active); i++) {
        int error = stream_verify_name(active[i].name);
        if (error != active[i].error) {
            fail_msg("%s: got %d, expected %d", active[i].name, error,
                     active[i].error);
        }
        if (error) {
            struct stream *s;
            assert_int_equal(stream_open(active[i].name, &s), error);
            assert_null(s);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(passive); i++) {
        int error = pstream_verify_name(passive[i].name);
        if (error != passive[i].error) {
            fail_msg("%s: got %d, expected %d", passive[i].name, error,
                     passive[i].error);
        }
        if (error) {
            struct pstream *p;
            assert_int_equal(pstream_open(passive[i].name, &p), error);
            assert_null(p);
        }
    }

    /* A unix path longer than a socket address can hold. */
    char *long_name = xasprintf("unix:/%0200d", 0);
    assert_int_equal(stream_verify_name(long_name), ENAMETOOLONG);
    free(long_name);
}

/* SSL. */

/* Runs 'cmd' (a printf format) in the test directory; fails on error. */
static void TERN_PRINTF(1, 2) run_in_tmpdir(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *cmd = xvasprintf(fmt, args);
    va_end(args);
    char *full = xasprintf("cd '%s' && (%s) >/dev/null 2>&1", tmpdir, cmd);
    if (system(full)) {
        fail_msg("command failed: %s", cmd);
    }
    free(cmd);
    free(full);
}

/* Makes a CA "NAME-ca" and a key and certificate "NAME" signed by it. */
static void
make_pki(const char *name)
{
    const char *newkey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                         "-nodes";
    run_in_tmpdir("openssl req -x509 %s -keyout %s-ca.key -out %s-ca.pem "
                  "-days 2 -subj /CN=%s-ca",
                  newkey, name, name, name);
    run_in_tmpdir("openssl req %s -keyout %s.key -out %s.csr "
                  "-subj /CN=%s-switch",
                  newkey, name, name, name);
    run_in_tmpdir("openssl x509 -req -in %s.csr -CA %s-ca.pem "
                  "-CAkey %s-ca.key -CAcreateserial -out %s.pem -days 2",
                  name, name, name, name);
}

/* Configures the process with NAME's key and certificate and CA's CA
 * certificate.  Returns stream_ssl_set_files()'s result. */
static int
use_pki(const char *name, const char *ca)
{
    char *key = xasprintf("%s/%s.key", tmpdir, name);
    char *cert = xasprintf("%s/%s.pem", tmpdir, name);
    char *cacert = xasprintf("%s/%s-ca.pem", tmpdir, ca);
    int error = stream_ssl_set_files(key, cert, cacert);
    free(key);
    free(cert);
    free(cacert);
    return error;
}

static void
test_ssl_configuration(void **state TERN_UNUSED)
{
    /* Nothing configured yet: ssl names are valid but cannot open. */
    struct stream *s;
    struct pstream *p;
    assert_int_equal(stream_verify_name("ssl:127.0.0.1:6640"), 0);
    assert_int_equal(stream_open("ssl:127.0.0.1:1", &s), ENOPROTOOPT);
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p), ENOPROTOOPT);

    make_pki("good");
    make_pki("rogue");
    run_in_tmpdir("echo not a key > junk.pem");

    char *missing = xasprintf("%s/missing.pem", tmpdir);
    char *junk = xasprintf("%s/junk.pem", tmpdir);
    assert_int_equal(stream_ssl_set_files(missing, NULL, NULL), ENOENT);
    assert_int_equal(stream_ssl_set_files(junk, NULL, NULL), EINVAL);
    assert_int_equal(stream_ssl_set_files(NULL, junk, NULL), EINVAL);
    assert_int_equal(stream_ssl_set_files(NULL, NULL, junk), EINVAL);
    free(missing);
    free(junk);

    /* Only a CA: still not enough. */
    char *ca = xasprintf("%s/good-ca.pem", tmpdir);
    assert_int_equal(stream_ssl_set_files(NULL, NULL, ca), 0);
    assert_int_equal(stream_open("ssl:127.0.0.1:1", &s), ENOPROTOOPT);
    free(ca);

    /* A key that does not match the certificate. */
    char *key = xasprintf("%s/rogue.key", tmpdir);
    char *cert = xasprintf("%s/good.pem", tmpdir);
    assert_int_equal(stream_ssl_set_files(key, cert, NULL), EINVAL);
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p), ENOPROTOOPT);
    free(key);
    free(cert);

    assert_int_equal(use_pki("good", "good"), 0);
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p), 0);
    pstream_close(p);
}

static void
test_ssl_connect(void **state TERN_UNUSED)
{
    assert_int_equal(use_pki("good", "good"), 0);
    check_listener("pssl:0:127.0.0.1", "ssl:127.0.0.1:%d", 400000);
    check_listener("pssl:0:[::1]", "ssl:[::1]:%d", 1000);
}

static void
test_ssl_jsonrpc(void **state TERN_UNUSED)
{
    assert_int_equal(use_pki("good", "good"), 0);
    struct pstream *p;
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p), 0);
    char *name = xasprintf("ssl:127.0.0.1:%d", pstream_get_bound_port(p));
    struct stream *s;
    assert_int_equal(stream_open(name, &s), 0);
    struct jsonrpc *client = jsonrpc_open(s);

    /* The handshake happens inside the JSON-RPC calls. */
    json_t *req = jsonrpc_create_request("echo", json_pack("[s]", "x"), NULL);
    assert_int_equal(jsonrpc_send(client, req), 0);
    struct stream *ss = NULL;
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    while (pstream_accept(p, &ss)) {
        assert_true(time_msec() < deadline);
        assert_int_equal(jsonrpc_run(client), 0);
        test_sleep_msec(1);
    }
    struct jsonrpc *server = jsonrpc_open(ss);
    json_t *msg = NULL;
    int error;
    while ((error = jsonrpc_recv(server, &msg)) == EAGAIN) {
        assert_true(time_msec() < deadline);
        assert_int_equal(jsonrpc_run(client), 0);
        assert_int_equal(jsonrpc_run(server), 0);
        test_sleep_msec(1);
    }
    assert_int_equal(error, 0);
    assert_true(json_equal(msg, req));
    json_decref(msg);
    json_decref(req);
    jsonrpc_close(server);
    jsonrpc_close(client);
    pstream_close(p);
    free(name);
}

/* Connects 'aname' to 'p' and returns the errors both sides end with. */
static void
ssl_failing_pair(struct pstream *p, struct stream *client, int *client_error,
                 int *server_error)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct stream *server = NULL;
    *client_error = *server_error = EAGAIN;
    while (*client_error == EAGAIN || *server_error == EAGAIN) {
        assert_true(time_msec() < deadline);
        if (!server) {
            pstream_accept(p, &server);
        }
        if (*client_error == EAGAIN) {
            *client_error = stream_connect(client);
        }
        if (server && *server_error == EAGAIN) {
            *server_error = stream_connect(server);
        }
        test_sleep_msec(1);
    }
    stream_close(server);
}

static void
test_ssl_untrusted_peer(void **state TERN_UNUSED)
{
    /* Both sides present certificates the other's CA did not sign. */
    assert_int_equal(use_pki("rogue", "good"), 0);
    struct pstream *p;
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p), 0);
    char *name = xasprintf("ssl:127.0.0.1:%d", pstream_get_bound_port(p));
    struct stream *client;
    assert_int_equal(stream_open(name, &client), 0);
    int client_error, server_error;
    ssl_failing_pair(p, client, &client_error, &server_error);
    assert_int_not_equal(client_error, 0);
    assert_int_not_equal(server_error, 0);
    /* The failure sticks. */
    char c;
    assert_int_equal(stream_recv(client, &c, 1), -client_error);
    stream_close(client);

    /* A plain TCP client speaking no TLS is refused by the server. */
    char *tcp = xasprintf("tcp:127.0.0.1:%d", pstream_get_bound_port(p));
    assert_int_equal(stream_open(tcp, &client), 0);
    const char *junk = "{\"method\":\"echo\",\"params\":[],\"id\":0}";
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    while (stream_send(client, junk, strlen(junk)) < 0) {
        assert_true(time_msec() < deadline);
        test_sleep_msec(1);
    }
    stream_close(client);
    struct stream *server;
    while (pstream_accept(p, &server)) {
        assert_true(time_msec() < deadline);
        test_sleep_msec(1);
    }
    int error;
    while ((error = stream_connect(server)) == EAGAIN) {
        assert_true(time_msec() < deadline);
        test_sleep_msec(1);
    }
    assert_true(error == EPROTO || error == ECONNRESET);
    stream_close(server);
    free(tcp);

    pstream_close(p);
    free(name);
    assert_int_equal(use_pki("good", "good"), 0);
}

static int
group_setup(void **state TERN_UNUSED)
{
    return test_tmpdir_create(tmpdir, sizeof tmpdir, "test-stream");
}

static int
group_teardown(void **state TERN_UNUSED)
{
    return test_tmpdir_remove(tmpdir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_round_trip),
        cmocka_unit_test(test_uuid_bad_strings),
        cmocka_unit_test(test_uuid_random),
        cmocka_unit_test(test_stream_unix),
        cmocka_unit_test(test_stream_unix_relative),
        cmocka_unit_test(test_stream_punix_stale),
        cmocka_unit_test(test_stream_tcp),
        cmocka_unit_test(test_stream_tcp6),
        cmocka_unit_test(test_stream_ptcp0),
        cmocka_unit_test(test_stream_refused),
        cmocka_unit_test(test_stream_bad_names),
        cmocka_unit_test(test_ssl_configuration),
        cmocka_unit_test(test_ssl_connect),
        cmocka_unit_test(test_ssl_jsonrpc),
        cmocka_unit_test(test_ssl_untrusted_peer),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
