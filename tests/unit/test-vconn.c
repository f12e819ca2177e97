/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/vconn: hello bitmaps and version negotiation between
 * two vconns and against a raw peer on a Unix socket, the hello-failed
 * error, message lengths out of range, echo requests answered, inactivity
 * probes and their timeout, the output backlog limit, messages read
 * ahead in bursts, and reconnecting sessions.
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
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/stream.h"
#include "lib/util.h"
#include "lib/vconn.h"
#include "tests/unit/test-common.h"

#define IO_TIMEOUT_MS 5000
#define V10           (1u << 1)
#define V13           (1u << 4)
#define V14           (1u << 5)
#define V15           (1u << 6)

static char tmpdir[64];
static char sockname[128];
static char connname[128];

static int
group_setup(void **state TERN_UNUSED)
{
    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-vconn")) {
        return -1;
    }
    snprintf(sockname, sizeof sockname, "punix:%s/of.sock", tmpdir);
    snprintf(connname, sizeof connname, "unix:%s/of.sock", tmpdir);
    return 0;
}

static int
group_teardown(void **state TERN_UNUSED)
{
    return test_tmpdir_remove(tmpdir);
}

/* Accepts one connection on 'p', waiting for it. */
static struct vconn *
accept_one(struct pvconn *p)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct vconn *v = NULL;

    while (time_msec() < deadline) {
        int error = pvconn_accept(p, &v);
        if (!error) {
            return v;
        }
        assert_int_equal(error, EAGAIN);
        struct pollfd pfd;
        pvconn_poll_fd(p, &pfd);
        poll(&pfd, 1, 100);
    }
    fail_msg("no connection accepted");
    return NULL;
}

/* Runs both ends until both negotiated or one failed. */
static void
run_pair(struct vconn *a, struct vconn *b)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;

    while (time_msec() < deadline) {
        int ea = vconn_run(a), eb = vconn_run(b);
        if (ea || eb ||
            (vconn_get_state(a) == VCONN_CONNECTED &&
             vconn_get_state(b) == VCONN_CONNECTED)) {
            return;
        }
        test_sleep_msec(5);
    }
}

/* A raw peer: a blocking Unix socket to the listener. */
static int
raw_connect(void)
{
    int fd;
    assert_int_equal(stream_unix_connect(sockname + 6, &fd), 0);
    return fd;
}

static void
raw_send(int fd, const void *data, size_t n)
{
    assert_int_equal(write(fd, data, n), (ssize_t)n);
}

/* Reads one whole message from 'fd' into 'buf' (size 'max'); returns its
 * length, or 0 at end of stream. */
static size_t
raw_recv(int fd, uint8_t *buf, size_t max)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    size_t got = 0, want = 8;

    while (got < want) {
        assert_true(poll(&pfd, 1, IO_TIMEOUT_MS) > 0);
        ssize_t n = read(fd, buf + got, want - got);
        if (n <= 0) {
            return 0;
        }
        got += n;
        if (got == 8) {
            want = (size_t)buf[2] << 8 | buf[3];
            assert_true(want >= 8 && want <= max);
        }
    }
    return got;
}

/* Calls vconn_run() and vconn_recv() on 'v' until 'until' holds or the
 * timeout passes; returns the last error of either. */
static int
pump(struct vconn *v, bool (*until)(struct vconn *), int timeout_ms)
{
    long long deadline = time_msec() + timeout_ms;
    int error = 0;

    while (time_msec() < deadline && !until(v)) {
        struct ofpbuf *msg;
        error = vconn_run(v);
        if (!error) {
            error = vconn_recv(v, &msg);
            if (!error) {
                ofpbuf_delete(msg);
            }
        }
        if (error && error != EAGAIN) {
            return error;
        }
        test_sleep_msec(5);
    }
    return error == EAGAIN ? 0 : error;
}

static bool
is_connected(struct vconn *v)
{
    return vconn_get_state(v) == VCONN_CONNECTED;
}

static bool
is_failed(struct vconn *v)
{
    return vconn_get_state(v) == VCONN_FAILED;
}

static const uint8_t hello13_bitmap[] = {
    0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12, /* 1.0 and 1.3. */
};
static const uint8_t hello10[] = {0x01, 0x00, 0x00, 0x08, 0, 0, 0, 2};

static void
test_hello_versions(void **state TERN_UNUSED)
{
    static const uint8_t hello14_plain[] = {0x05, 0, 0, 8, 0, 0, 0, 0};
    /* An element with a length past the end is ignored. */
    static const uint8_t hello13_bad[] = {0x04, 0, 0, 16, 0, 0, 0, 0,
                                          0,    1, 0, 40, 0, 0, 0, 0x12};
    /* An unknown element before the bitmap is skipped (padded to 8). */
    static const uint8_t hello15_two[] = {0x06, 0, 0, 24, 0,    0, 0, 0,
                                          0,    9, 0, 5,  0xaa, 0, 0, 0,
                                          0,    1, 0, 8,  0,    0, 0, 0x40};

    assert_int_equal(
        vconn_hello_versions(hello13_bitmap, sizeof hello13_bitmap),
        V10 | V13);
    assert_int_equal(vconn_hello_versions(hello10, sizeof hello10), V10);
    assert_int_equal(vconn_hello_versions(hello14_plain, sizeof hello14_plain),
                     0x3e);
    assert_int_equal(vconn_hello_versions(hello13_bad, sizeof hello13_bad),
                     0x1e);
    assert_int_equal(vconn_hello_versions(hello15_two, sizeof hello15_two),
                     V15);
    assert_int_equal(vconn_highest_version(V10 | V13 | V14), 5);
    assert_int_equal(vconn_highest_version(0), 0);
}

static void
test_negotiate_pair(void **state TERN_UNUSED)
{
    struct pvconn *p;
    struct vconn *a, *b;
    struct ofpbuf *msg;
    static const uint8_t features[] = {0x04, 5, 0, 8, 0, 0, 0x12, 0x34};

    assert_int_equal(pvconn_open(sockname, V10 | V13 | V14, 0, &p), 0);
    assert_int_equal(vconn_open(connname, V13 | V15, 0, &a), 0);
    b = accept_one(p);
    run_pair(a, b);
    assert_int_equal(vconn_get_version(a), 4);
    assert_int_equal(vconn_get_version(b), 4);

    msg = ofpbuf_new(8);
    ofpbuf_put(msg, features, sizeof features);
    assert_int_equal(vconn_send(a, msg), 0);
    assert_int_equal(vconn_recv_block(b, IO_TIMEOUT_MS, &msg), 0);
    assert_int_equal(msg->size, sizeof features);
    assert_memory_equal(msg->data, features, sizeof features);
    ofpbuf_delete(msg);

    /* Closing one end is EOF at the other. */
    vconn_close(a);
    assert_int_equal(vconn_recv_block(b, IO_TIMEOUT_MS, &msg), EOF);
    assert_int_equal(vconn_get_error(b), EOF);
    vconn_close(b);
    pvconn_close(p);
}

static void
test_raw_peer_hello(void **state TERN_UNUSED)
{
    struct pvconn *p;
    struct vconn *v;
    uint8_t buf[256];
    int fd;

    assert_int_equal(pvconn_open(sockname, V10 | V13 | V14 | V15, 0, &p), 0);
    fd = raw_connect();
    v = accept_one(p);

    /* Our hello: version 1.5 with a bitmap of all four. */
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 16);
    assert_int_equal(buf[0], 6);
    assert_int_equal(buf[1], 0);
    assert_int_equal(vconn_hello_versions(buf, 16), V10 | V13 | V14 | V15);

    /* The peer speaks 1.0 and 1.3 and then sends a message at once. */
    raw_send(fd, hello13_bitmap, sizeof hello13_bitmap);
    static const uint8_t barrier[] = {0x04, 20, 0, 8, 0, 0, 0, 9};
    raw_send(fd, barrier, sizeof barrier);
    struct ofpbuf *msg;
    assert_int_equal(vconn_recv_block(v, IO_TIMEOUT_MS, &msg), 0);
    assert_int_equal(vconn_get_version(v), 4);
    assert_memory_equal(msg->data, barrier, sizeof barrier);
    ofpbuf_delete(msg);

    /* Echo requests are answered with the same xid and body. */
    static const uint8_t echo[] = {0x04, 2, 0, 12, 0, 0, 0, 77, 1, 2, 3, 4};
    raw_send(fd, echo, sizeof echo);
    assert_int_equal(pump(v, is_failed, 200), 0);
    assert_int_equal(raw_recv(fd, buf, sizeof buf), sizeof echo);
    assert_int_equal(buf[1], 3);
    assert_memory_equal(buf + 4, echo + 4, 8);

    close(fd);
    vconn_close(v);
    pvconn_close(p);
}

static void
test_version_mismatch(void **state TERN_UNUSED)
{
    struct pvconn *p;
    struct vconn *v;
    uint8_t buf[512];
    int fd;

    assert_int_equal(pvconn_open(sockname, V13 | V14, 0, &p), 0);
    fd = raw_connect();
    v = accept_one(p);
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 16);

    raw_send(fd, hello10, sizeof hello10);
    assert_int_equal(pump(v, is_failed, IO_TIMEOUT_MS), EPROTO);
    assert_int_equal(vconn_get_error(v), EPROTO);

    /* OFPT_ERROR, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, in 1.0. */
    size_t n = raw_recv(fd, buf, sizeof buf);
    assert_true(n > 12);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[1], 1);
    assert_int_equal(buf[8] << 8 | buf[9], 0);
    assert_int_equal(buf[10] << 8 | buf[11], 0);
    /* Then the connection is closed. */
    vconn_close(v);
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 0);
    close(fd);
    pvconn_close(p);
}

/* Sends our hello, reads theirs, returns the accepted vconn. */
static struct vconn *
raw_handshake(struct pvconn *p, int *fdp)
{
    uint8_t buf[64];
    struct vconn *v;

    *fdp = raw_connect();
    v = accept_one(p);
    assert_int_equal(raw_recv(*fdp, buf, sizeof buf), 16);
    raw_send(*fdp, hello13_bitmap, sizeof hello13_bitmap);
    assert_int_equal(pump(v, is_connected, IO_TIMEOUT_MS), 0);
    assert_true(is_connected(v));
    return v;
}

static void
test_bad_lengths(void **state TERN_UNUSED)
{
    static const uint8_t short_len[] = {0x04, 20, 0, 4, 0, 0, 0, 1};
    static const uint8_t long_len[] = {0x04, 20, 0, 200, 0, 0, 0, 1};
    struct pvconn *p;
    struct vconn *v;
    int fd;

    assert_int_equal(pvconn_open(sockname, V13, 0, &p), 0);

    v = raw_handshake(p, &fd);
    raw_send(fd, short_len, sizeof short_len);
    assert_int_equal(pump(v, is_failed, IO_TIMEOUT_MS), EPROTO);
    vconn_close(v);
    close(fd);

    /* Above the receive limit. */
    v = raw_handshake(p, &fd);
    vconn_set_recv_limit(v, 100);
    raw_send(fd, long_len, sizeof long_len);
    assert_int_equal(pump(v, is_failed, IO_TIMEOUT_MS), EPROTO);
    vconn_close(v);
    close(fd);

    /* A first message that is not a hello. */
    uint8_t buf[64];
    fd = raw_connect();
    v = accept_one(p);
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 16);
    raw_send(fd, short_len, sizeof short_len);
    assert_int_equal(pump(v, is_failed, IO_TIMEOUT_MS), EPROTO);
    vconn_close(v);
    close(fd);
    pvconn_close(p);
}

/* Many messages in one write, one of them split across two writes and
 * one larger than the read-ahead buffer: each comes out whole, in order,
 * and vconn_poll_fd() asks for no wait while whole messages are already
 * read ahead (the socket itself is then empty), but waits on a partial
 * one. */
static void
test_read_ahead(void **state TERN_UNUSED)
{
    enum { N_SMALL = 2000, BIG_LEN = 60000 };
    size_t n_bytes = N_SMALL * 16 + BIG_LEN + 16;
    uint8_t *all = xmalloc(n_bytes), *q = all;
    struct pvconn *p;
    struct vconn *v;
    struct ofpbuf *msg;
    struct pollfd pfd;
    int fd, timeout;

    assert_int_equal(pvconn_open(sockname, V13, 0, &p), 0);
    v = raw_handshake(p, &fd);
    for (int i = 0; i < N_SMALL; i++) {
        /* OFPT_EXPERIMENTER-like: type 4, 16 bytes, xid i, body i. */
        uint8_t m[16] = {0x04, 4, 0, 16, i >> 24, i >> 16, i >> 8, i};

        memset(m + 8, i & 0xff, 8);
        memcpy(q, m, sizeof m);
        q += sizeof m;
        if (i == N_SMALL / 2) {
            q[0] = 0x04;
            q[1] = 4;
            q[2] = BIG_LEN >> 8;
            q[3] = BIG_LEN & 0xff;
            memset(q + 4, 0xee, BIG_LEN - 4);
            q += BIG_LEN;
        }
    }
    /* A last message, of which only 5 bytes come in the first write. */
    memcpy(q, (uint8_t[]){0x04, 4, 0, 16, 0xff, 0xff, 0xff, 0xff}, 8);
    memset(q + 8, 0x55, 8);
    q += 16;
    assert_int_equal(q - all, (ptrdiff_t)n_bytes);

    /* All of it sits in the socket before the first read (Unix sockets
     * buffer far more than these 92 kB by default). */
    int sndbuf = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    raw_send(fd, all, n_bytes - 11);
    for (int i = 0; i < N_SMALL; i++) {
        assert_int_equal(vconn_recv_block(v, IO_TIMEOUT_MS, &msg), 0);
        assert_int_equal(msg->size, 16);
        assert_int_equal(((uint8_t *)msg->data)[7], i & 0xff);
        assert_int_equal(((uint8_t *)msg->data)[15], i & 0xff);
        ofpbuf_delete(msg);
        if (i == N_SMALL / 2) {
            assert_int_equal(vconn_recv_block(v, IO_TIMEOUT_MS, &msg), 0);
            assert_int_equal(msg->size, BIG_LEN);
            assert_int_equal(((uint8_t *)msg->data)[BIG_LEN - 1], 0xee);
            ofpbuf_delete(msg);
        }
        if (i == N_SMALL - 2) {
            /* The last small one is read ahead, whole: no wait. */
            timeout = -1;
            vconn_poll_fd(v, &pfd, &timeout);
            assert_int_equal(timeout, 0);
        }
    }
    /* Only part of the last message is there: wait for the socket. */
    assert_int_equal(vconn_recv(v, &msg), EAGAIN);
    timeout = -1;
    vconn_poll_fd(v, &pfd, &timeout);
    assert_int_equal(timeout, -1);
    raw_send(fd, q - 11, 11);
    assert_int_equal(vconn_recv_block(v, IO_TIMEOUT_MS, &msg), 0);
    assert_int_equal(msg->size, 16);
    assert_int_equal(((uint8_t *)msg->data)[15], 0x55);
    ofpbuf_delete(msg);

    free(all);
    close(fd);
    vconn_close(v);
    pvconn_close(p);
}

static void
test_probe(void **state TERN_UNUSED)
{
    struct pvconn *p;
    struct vconn *v;
    uint8_t buf[64];
    long long start;
    int fd;

    assert_int_equal(pvconn_open(sockname, V13, 300, &p), 0);
    v = raw_handshake(p, &fd);

    /* Idle for the interval: an echo request comes. */
    start = time_msec();
    while (time_msec() < start + 200) {
        assert_int_equal(vconn_run(v), 0);
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        assert_int_equal(poll(&pfd, 1, 0), 0);
        test_sleep_msec(10);
    }
    assert_int_equal(pump(v, is_failed, 300), 0);
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 8);
    assert_int_equal(buf[1], 2);
    assert_true(time_msec() - start >= 290);

    /* Answering keeps the connection up. */
    buf[1] = 3;
    raw_send(fd, buf, 8);
    long long answered = time_msec();
    assert_int_equal(pump(v, is_failed, 200), 0);
    assert_true(is_connected(v));
    assert_int_equal(pump(v, is_failed, 250), 0);
    assert_true(is_connected(v));

    /* Not answering the next probe kills it one interval later. */
    assert_int_equal(raw_recv(fd, buf, sizeof buf), 8);
    assert_int_equal(buf[1], 2);
    assert_int_equal(pump(v, is_failed, 2000), ETIMEDOUT);
    assert_true(time_msec() - answered >= 550);
    vconn_close(v);
    close(fd);
    pvconn_close(p);
}

static void
test_backlog_limit(void **state TERN_UNUSED)
{
    struct pvconn *p;
    struct vconn *v;
    int fd, error = 0;
    size_t n;

    assert_int_equal(pvconn_open(sockname, V13, 0, &p), 0);

    /* Small messages: the message limit. */
    v = raw_handshake(p, &fd);
    for (n = 0; n < 1000000 && !error; n++) {
        struct ofpbuf *msg = ofpbuf_new(8);
        uint8_t *h = ofpbuf_put_zeros(msg, 8);
        h[0] = 4;
        h[1] = 20;
        h[3] = 8;
        error = vconn_send(v, msg);
    }
    assert_int_equal(error, ENOBUFS);
    assert_int_equal(vconn_get_error(v), ENOBUFS);
    assert_int_equal(vconn_backlog_msgs(v), 0);
    vconn_close(v);
    close(fd);

    /* Large messages: the byte limit, long before 1000 messages. */
    v = raw_handshake(p, &fd);
    error = 0;
    for (n = 0; n < 1000 && !error; n++) {
        struct ofpbuf *msg = ofpbuf_new(65000);
        uint8_t *h = ofpbuf_put_zeros(msg, 65000);
        h[0] = 4;
        h[1] = 20;
        h[2] = 65000 >> 8;
        h[3] = 65000 & 0xff;
        error = vconn_send(v, msg);
    }
    assert_int_equal(error, ENOBUFS);
    assert_true(n < 200);
    vconn_close(v);
    close(fd);
    pvconn_close(p);
}

/* Runs session 's' and the listener 'p' until the session has negotiated
 * with the connection accepted on 'p', which is returned. */
static struct vconn *
session_connect(struct vconn_session *s, struct pvconn *p)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct vconn *v = NULL;

    while (time_msec() < deadline) {
        vconn_session_run(s);
        if (!v && pvconn_accept(p, &v)) {
            v = NULL;
        }
        if (v) {
            assert_int_equal(vconn_run(v), 0);
            if (vconn_session_is_connected(s) && is_connected(v)) {
                return v;
            }
        }
        test_sleep_msec(10);
    }
    fail_msg("session did not connect");
    return NULL;
}

static void
test_session_reconnect(void **state TERN_UNUSED)
{
    struct vconn_session *s;
    struct pvconn *p;
    struct vconn *v;
    struct ofpbuf *msg;

    s = vconn_session_create(connname, V13, 1000, 0);
    for (int i = 0; i < 100 && !vconn_session_get_last_error(s); i++) {
        vconn_session_run(s);
        test_sleep_msec(5);
    }
    assert_false(vconn_session_is_connected(s));
    assert_string_equal(vconn_session_get_state(s), "BACKOFF");
    assert_int_not_equal(vconn_session_get_last_error(s), 0);
    assert_int_equal(vconn_session_send(s, ofpbuf_new(8)), ENOTCONN);

    assert_int_equal(pvconn_open(sockname, V13 | V14, 0, &p), 0);
    v = session_connect(s, p);
    assert_int_equal(vconn_session_get_seqno(s), 1);
    assert_string_equal(vconn_session_get_state(s), "ACTIVE");
    assert_int_equal(vconn_get_version(v), 4);

    /* The peer goes away: the session notices and reconnects. */
    vconn_close(v);
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    while (vconn_session_is_connected(s) && time_msec() < deadline) {
        vconn_session_run(s);
        vconn_session_recv(s, &msg);
        ofpbuf_delete(msg);
        test_sleep_msec(10);
    }
    assert_false(vconn_session_is_connected(s));
    assert_int_equal(vconn_session_get_last_error(s), EOF);
    assert_true(vconn_session_last_disconnected(s) > 0);
    v = session_connect(s, p);
    assert_int_equal(vconn_session_get_seqno(s), 2);
    vconn_close(v);
    vconn_session_destroy(s);
    pvconn_close(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_versions),
        cmocka_unit_test(test_negotiate_pair),
        cmocka_unit_test(test_raw_peer_hello),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_read_ahead),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_backlog_limit),
        cmocka_unit_test(test_session_reconnect),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
