/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for ofproto/connmgr, pinsched and fail-mode: the packet-in
 * token bucket and its bounded queue; a switch's management socket
 * answering GET_CONFIG/SET_CONFIG and BARRIER; roles with generation ids
 * (master demotes master, stale ids refused, ROLE_STATUS to the demoted,
 * slaves refused state changes); packet-ins to a monitoring connection
 * (no buffering, miss_send_len); the standalone NORMAL rule and
 * fail-open after three probe intervals.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "datapath/dpif.h"
#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "lib/vconn.h"
#include "ofproto/connmgr.h"
#include "ofproto/pinsched.h"
#include "tests/unit/test-common.h"

#define IO_TIMEOUT_MS 5000
#define V13           (1u << 4)
#define V14           (1u << 5)
#define V10           (1u << 1)

static char tmpdir[64];
static struct dpif *dpif;
static struct ofproto *ofp;

/* ---- pinsched. ---- */

static size_t n_released;

static void
count_cb(struct ofpbuf *msg, void *aux TERN_UNUSED)
{
    n_released++;
    ofpbuf_delete(msg);
}

static void
test_pinsched_unlimited(void **state TERN_UNUSED)
{
    struct pinsched *ps = pinsched_create(0, 0);
    struct pinsched_stats st;

    n_released = 0;
    for (int i = 0; i < 500; i++) {
        pinsched_send(ps, ofpbuf_new(8), count_cb, NULL);
    }
    assert_int_equal(n_released, 500);
    pinsched_get_stats(ps, &st);
    assert_int_equal(st.n_sent, 500);
    assert_int_equal(st.n_dropped, 0);
    pinsched_destroy(ps);
}

static void
test_pinsched_rate(void **state TERN_UNUSED)
{
    struct pinsched *ps = pinsched_create(20, 2);
    struct pinsched_stats st;
    int timeout = -1;

    n_released = 0;
    for (int i = 0; i < 5; i++) {
        pinsched_send(ps, ofpbuf_new(8), count_cb, NULL);
    }
    /* The burst goes at once, the rest waits. */
    assert_int_equal(n_released, 2);
    pinsched_get_stats(ps, &st);
    assert_int_equal(st.backlog, 3);
    pinsched_wait(ps, &timeout);
    assert_true(timeout >= 0 && timeout <= 50);

    /* 20 per second: one every 50 ms. */
    test_sleep_msec(120);
    pinsched_run(ps, count_cb, NULL);
    assert_true(n_released >= 4 && n_released <= 5);
    test_sleep_msec(200);
    pinsched_run(ps, count_cb, NULL);
    assert_int_equal(n_released, 5);

    /* The queue is bounded. */
    for (int i = 0; i < PINSCHED_MAX_QUEUE + 50; i++) {
        pinsched_send(ps, ofpbuf_new(8), count_cb, NULL);
    }
    pinsched_get_stats(ps, &st);
    assert_int_equal(st.backlog, PINSCHED_MAX_QUEUE);
    assert_true(st.n_dropped >= 45);
    pinsched_destroy(ps); /* Frees the queue (ASan checks). */
}

/* ---- A switch and clients on its management socket. ---- */

static int
group_setup(void **state TERN_UNUSED)
{
    char *err = NULL;

    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-connmgr")) {
        return -1;
    }
    setenv("TERN_RUNDIR", tmpdir, 1);
    if (dpdk_init("--no-huge -m 256", &err)) {
        fprintf(stderr, "dpdk_init: %s\n", err);
        free(err);
        return -1;
    }
    netdev_register_builtin_providers();
    rcu_init();
    return 0;
}

static int
group_teardown(void **state TERN_UNUSED)
{
    return test_tmpdir_remove(tmpdir);
}

static int
setup(void **state TERN_UNUSED)
{
    assert_int_equal(dpif_create("cm0", &dpif), 0);
    assert_int_equal(ofproto_create("cm0", dpif, &ofp), 0);
    return 0;
}

static int
teardown(void **state TERN_UNUSED)
{
    ofproto_destroy(ofp);
    dpif_destroy(dpif);
    return 0;
}

static struct vconn *
client(uint32_t versions)
{
    char *name = xasprintf("unix:%s/cm0.mgmt", tmpdir);
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct vconn *v;

    assert_int_equal(vconn_open(name, versions, 0, &v), 0);
    free(name);
    while (vconn_get_state(v) != VCONN_CONNECTED) {
        assert_true(time_msec() < deadline);
        ofproto_run(ofp);
        assert_int_equal(vconn_run(v), 0);
        test_sleep_msec(2);
    }
    return v;
}

/* Sends the 'len' bytes at 'msg' (the length field is set here). */
static void
send_raw(struct vconn *v, const void *msg, size_t len)
{
    struct ofpbuf *b = ofpbuf_new(len);
    uint8_t *p = ofpbuf_put(b, msg, len);

    p[2] = len >> 8;
    p[3] = len & 0xff;
    assert_int_equal(vconn_send(v, b), 0);
}

/* Runs the switch until 'v' receives a message, which is returned. */
static struct ofpbuf *
recv_msg(struct vconn *v)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;

    for (;;) {
        struct ofpbuf *msg;
        ofproto_run(ofp);
        assert_int_equal(vconn_run(v), 0);
        int error = vconn_recv(v, &msg);
        if (!error) {
            return msg;
        }
        assert_int_equal(error, EAGAIN);
        assert_true(time_msec() < deadline);
        test_sleep_msec(2);
    }
}

/* Receives a message and checks its type and xid. */
static struct ofpbuf *
expect_msg(struct vconn *v, uint8_t type, uint32_t xid)
{
    struct ofpbuf *msg = recv_msg(v);
    const uint8_t *h = msg->data;

    assert_int_equal(h[1], type);
    assert_int_equal((uint32_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7],
                     xid);
    return msg;
}

static void
expect_error(struct vconn *v, uint32_t xid, uint16_t type, uint16_t code)
{
    struct ofpbuf *msg = expect_msg(v, 1, xid);
    const uint8_t *b = msg->data;

    assert_int_equal(b[8] << 8 | b[9], type);
    assert_int_equal(b[10] << 8 | b[11], code);
    ofpbuf_delete(msg);
}

/* Checks that nothing arrives on 'v' for a while. */
static void
expect_silence(struct vconn *v)
{
    for (int i = 0; i < 20; i++) {
        struct ofpbuf *msg;
        ofproto_run(ofp);
        assert_int_equal(vconn_run(v), 0);
        assert_int_equal(vconn_recv(v, &msg), EAGAIN);
        test_sleep_msec(2);
    }
}

static void
set_miss_send_len(struct vconn *v, uint8_t version, uint16_t len)
{
    const uint8_t set_config[] = {version, 9,    0, 0, 0,        0,
                                  0,       0x50, 0, 0, len >> 8, len & 0xff};
    send_raw(v, set_config, sizeof set_config);
}

static void
test_config_and_barrier(void **state TERN_UNUSED)
{
    static const uint8_t get_config[] = {4, 7, 0, 8, 0, 0, 0, 0x41};
    static const uint8_t barrier[] = {4, 20, 0, 8, 0, 0, 0, 0x42};
    struct vconn *v = client(V13);
    struct ofpbuf *msg;

    /* A service connection starts with miss_send_len 0. */
    send_raw(v, get_config, sizeof get_config);
    msg = expect_msg(v, 8, 0x41);
    assert_int_equal(msg->size, 12);
    assert_int_equal(
        ((uint8_t *)msg->data)[10] << 8 | ((uint8_t *)msg->data)[11], 0);
    ofpbuf_delete(msg);

    set_miss_send_len(v, 4, 0x80);
    send_raw(v, get_config, sizeof get_config);
    msg = expect_msg(v, 8, 0x41);
    assert_int_equal(((uint8_t *)msg->data)[11], 0x80);
    ofpbuf_delete(msg);

    send_raw(v, barrier, sizeof barrier);
    ofpbuf_delete(expect_msg(v, 21, 0x42));

    /* An unknown type is an error, and the connection survives. */
    static const uint8_t bogus[] = {4, 99, 0, 8, 0, 0, 0, 0x43};
    send_raw(v, bogus, sizeof bogus);
    expect_error(v, 0x43, 1 /* BAD_REQUEST */, 1 /* BAD_TYPE */);
    send_raw(v, barrier, sizeof barrier);
    ofpbuf_delete(expect_msg(v, 21, 0x42));
    assert_int_equal(connmgr_count_connections(ofp->connmgr), 1);
    vconn_close(v);
}

static void
send_role(struct vconn *v, uint8_t version, uint32_t role, uint64_t gen,
          uint32_t xid)
{
    uint8_t m[24] = {version, 24, 0, 24, xid >> 24, xid >> 16, xid >> 8, xid};

    m[11] = role;
    for (int i = 0; i < 8; i++) {
        m[16 + i] = gen >> (56 - 8 * i);
    }
    send_raw(v, m, sizeof m);
}

/* Checks a ROLE_REPLY (or ROLE_STATUS) body: role and generation id. */
static void
check_role(struct ofpbuf *msg, uint32_t role, uint64_t gen)
{
    const uint8_t *b = msg->data;
    uint64_t g = 0;

    assert_int_equal(b[11], role);
    for (int i = 0; i < 8; i++) {
        g = g << 8 | b[16 + i];
    }
    assert_int_equal(g, gen);
    ofpbuf_delete(msg);
}

static void
test_roles(void **state TERN_UNUSED)
{
    /* 1.4 flow mod: delete everything (no-op), empty OXM match. */
    static const uint8_t flow_mod[56] = {
        5,           14,          0,           56,          0,
        0,           0,           0x77,        [24] = 0xff, [25] = 3,
        [32] = 0xff, [33] = 0xff, [34] = 0xff, [35] = 0xff, [36] = 0xff,
        [37] = 0xff, [38] = 0xff, [39] = 0xff, [40] = 0xff, [41] = 0xff,
        [42] = 0xff, [43] = 0xff, [49] = 1,    [51] = 4};
    struct vconn *a = client(V14);
    struct vconn *b = client(V14);

    /* Role status goes only to connections that asked for async
     * messages. */
    set_miss_send_len(a, 5, 0xffff);

    send_role(a, 5, 2 /* MASTER */, 5, 1);
    check_role(expect_msg(a, 25, 1), 2, 5);

    /* A stale generation id is refused. */
    send_role(b, 5, 2, 4, 2);
    expect_error(b, 2, 11 /* ROLE_REQUEST_FAILED */, 0 /* STALE */);

    /* A newer one wins, and the old master becomes a slave. */
    send_role(b, 5, 2, 6, 3);
    check_role(expect_msg(b, 25, 3), 2, 6);
    struct ofpbuf *status = recv_msg(a);
    assert_int_equal(((uint8_t *)status->data)[1], 30 /* ROLE_STATUS */);
    check_role(status, 3 /* SLAVE */, 6);

    /* Slaves may not change the switch; masters may. */
    send_raw(a, flow_mod, sizeof flow_mod);
    expect_error(a, 0x77, 1 /* BAD_REQUEST */, 10 /* IS_SLAVE */);
    send_raw(b, flow_mod, sizeof flow_mod);
    expect_silence(b);

    /* NOCHANGE reports the current role. */
    send_role(a, 5, 0, 0, 4);
    check_role(expect_msg(a, 25, 4), 3, 6);
    /* EQUAL needs no generation id. */
    send_role(a, 5, 1, 0, 5);
    check_role(expect_msg(a, 25, 5), 1, 6);
    vconn_close(a);
    vconn_close(b);
}

static void
test_packet_in(void **state TERN_UNUSED)
{
    struct vconn *quiet = client(V13);
    struct vconn *mon = client(V10);
    uint8_t packet[200];
    struct ofp_packet_in pin;
    struct ofpbuf *msg;

    for (size_t i = 0; i < sizeof packet; i++) {
        packet[i] = i;
    }
    memset(&pin, 0, sizeof pin);
    match_init_catchall(&pin.match);
    pin.packet = packet;
    pin.packet_len = pin.total_len = sizeof packet;
    pin.buffer_id = 7; /* Overridden: Tern never buffers. */
    pin.reason = OFPR_NO_MATCH;

    set_miss_send_len(mon, 1, 128);
    /* Let the SET_CONFIG be processed before the packet-in. */
    static const uint8_t barrier10[] = {1, 18, 0, 8, 0, 0, 0, 9};
    send_raw(mon, barrier10, sizeof barrier10);
    ofpbuf_delete(expect_msg(mon, 19, 9));

    connmgr_send_packet_in(ofp->connmgr, &pin, 0);
    msg = expect_msg(mon, 10 /* PACKET_IN */, 0);
    const uint8_t *b = msg->data;
    /* OpenFlow 1.0: buffer_id, total_len, in_port, reason, pad, data. */
    assert_int_equal((uint32_t)b[8] << 24 | b[9] << 16 | b[10] << 8 | b[11],
                     0xffffffffu);
    assert_int_equal(b[12] << 8 | b[13], sizeof packet);
    assert_int_equal(msg->size, 18 + 128);
    assert_memory_equal(b + 18, packet, 128);
    ofpbuf_delete(msg);

    /* The connection that never set miss_send_len gets nothing. */
    expect_silence(quiet);
    assert_int_equal(connmgr_get_pin_backlog_drops(ofp->connmgr), 0);
    vconn_close(quiet);
    vconn_close(mon);
}

static void
test_fail_mode(void **state TERN_UNUSED)
{
    struct ofproto_controller ctl = {
        .target = "tcp:127.0.0.1:1", /* Nobody listens there. */
        .probe_interval_ms = 100,
        .max_backoff_ms = 1000,
    };
    struct rule *normal;
    struct match catchall;
    long long start;

    /* Standalone without controllers: the visible NORMAL rule. */
    ofproto_run(ofp);
    match_init_catchall(&catchall);
    normal = ofproto_rule_find_exact(ofp, 0, &catchall, 0);
    assert_non_null(normal);
    assert_int_equal(ofproto_count_rules(ofp), 1);

    /* A controller: the rule goes; fail-open after 3 probe intervals. */
    ofproto_set_controllers(ofp, &ctl, 1);
    start = time_msec();
    ofproto_run(ofp);
    assert_int_equal(ofproto_count_rules(ofp), 0);
    assert_false(atomic_load(&ofp->fail_open));
    while (!atomic_load(&ofp->fail_open)) {
        assert_true(time_msec() < start + 2000);
        ofproto_run(ofp);
        test_sleep_msec(10);
    }
    assert_true(time_msec() - start >= 290);

    /* Secure: no fail-open, no rule. */
    ofproto_set_fail_mode(ofp, OFPROTO_FAIL_SECURE);
    ofproto_run(ofp);
    assert_false(atomic_load(&ofp->fail_open));
    ofproto_set_controllers(ofp, NULL, 0);
    ofproto_run(ofp);
    assert_int_equal(ofproto_count_rules(ofp), 0);

    /* Back to standalone without controllers: the rule returns. */
    ofproto_set_fail_mode(ofp, OFPROTO_FAIL_STANDALONE);
    ofproto_run(ofp);
    assert_non_null(ofproto_rule_find_exact(ofp, 0, &catchall, 0));
}

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinsched_unlimited),
        cmocka_unit_test(test_pinsched_rate),
        T(test_config_and_barrier),
        T(test_roles),
        T(test_packet_in),
        T(test_fail_mode),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
