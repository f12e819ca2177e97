/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-dpif: unit tests of the userspace datapath through datapath/dpif.h,
 * with "dummy" netdev ports (lib/netdev-dummy.h) and a real PMD thread:
 * datapaths and ports, the flow table, forwarding, upcalls, execution,
 * expiry, megaflow subtables and flow churn.  PMD configuration, rx queue
 * placement and the pmd-* commands are in test-dpif-pmd.c; the fixture
 * both share is in dpif-fixture.c.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datapath/dp-perf.h"
#include "datapath/dpif.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev.h"
#include "tests/unit/dpif-fixture.h"
#include "tests/unit/packet-builder.h"

/* Datapath life. */

static void
count_dp(struct dpif *dp, void *aux)
{
    (void)dp;
    (*(int *)aux)++;
}

static void
test_create_destroy(void **state)
{
    struct dpif *a, *b, *c;
    int n = 0;

    (void)state;
    assert_int_equal(dpif_create("dpa", &a), 0);
    assert_int_equal(dpif_create("dpb", &b), 0);
    assert_int_equal(dpif_create("dpa", &c), EEXIST);
    assert_ptr_equal(dpif_lookup("dpa"), a);
    assert_ptr_equal(dpif_lookup("dpb"), b);
    assert_string_equal(dpif_name(b), "dpb");
    dpif_for_each(count_dp, &n);
    assert_int_equal(n, 2);
    dpif_destroy(a);
    assert_null(dpif_lookup("dpa"));
    assert_ptr_equal(dpif_lookup("dpb"), b);
    dpif_destroy(b);
    assert_null(dpif_lookup("dpb"));
}

/* Ports. */

struct port_list {
    uint32_t nos[8];
    int n;
};

static void
collect_port(const struct dpif_port *port, void *aux)
{
    struct port_list *l = aux;

    l->nos[l->n++] = port->port_no;
}

static void
test_port_query(void **state)
{
    struct fixture *f = *state;
    struct port_list list = {{0}, 0};
    struct dpif_port port;

    assert_int_equal(dpif_port_query_by_number(f->dp, 1, &port), 0);
    assert_string_equal(port.name, "p1");
    assert_string_equal(port.type, "dummy");
    assert_int_equal(port.port_no, 1);
    dpif_port_destroy(&port);

    assert_int_equal(dpif_port_query_by_name(f->dp, "p0", &port), 0);
    assert_int_equal(port.port_no, 0);
    dpif_port_destroy(&port);

    assert_int_equal(dpif_port_query_by_name(f->dp, "nope", &port), ENOENT);
    assert_int_equal(dpif_port_query_by_number(f->dp, 7, &port), ENOENT);
    assert_ptr_equal(dpif_port_netdev(f->dp, 0), f->p0);
    assert_null(dpif_port_netdev(f->dp, 5));

    dpif_port_for_each(f->dp, collect_port, &list);
    assert_int_equal(list.n, 2);
    assert_int_equal(list.nos[0], 0);
    assert_int_equal(list.nos[1], 1);
}

static void
test_port_numbering(void **state)
{
    struct fixture *f = *state;
    struct netdev *p2, *p3, *dup;
    uint32_t no = 1;
    char *err = NULL;

    assert_int_equal(netdev_open("p2", "dummy", NULL, &p2, &err), 0);
    assert_int_equal(netdev_open("p3", "dummy", NULL, &p3, &err), 0);
    /* Number taken. */
    assert_int_equal(dpif_port_add(f->dp, p2, &no), EEXIST);
    /* Out of range. */
    no = DPIF_MAX_PORTS;
    assert_int_equal(dpif_port_add(f->dp, p2, &no), EFBIG);
    /* Explicit number. */
    no = 5;
    assert_int_equal(dpif_port_add(f->dp, p2, &no), 0);
    assert_int_equal(no, 5);
    /* Name taken (same device added twice). */
    no = DPIF_PORT_ANY;
    assert_int_equal(dpif_port_add(f->dp, p2, &no), EEXIST);
    /* Lowest free number. */
    assert_int_equal(dpif_port_add(f->dp, p3, &no), 0);
    assert_int_equal(no, 2);
    /* Deletion frees the number and closes the device. */
    assert_int_equal(dpif_port_del(f->dp, 2), 0);
    assert_int_equal(dpif_port_del(f->dp, 2), ENOENT);
    assert_null(netdev_from_name("p3"));
    assert_int_equal(netdev_open("p3", "dummy", NULL, &dup, &err), 0);
    no = DPIF_PORT_ANY;
    assert_int_equal(dpif_port_add(f->dp, dup, &no), 0);
    assert_int_equal(no, 2);
}

static void
test_port_del_stops_rx(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.out_port = 1};

    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 1);
    /* Output to a deleted port is dropped. */
    assert_int_equal(dpif_port_del(f->dp, 1), 0);
    inject(f->p0, 1, 1);
    wait_stats(f->dp, 2, 0, 0);
    assert_int_equal(atomic_load(&uc.n_miss), 0);
}

/* Flow table. */

static void
test_flow_put_get(void **state)
{
    struct fixture *f = *state;
    struct dpif_flow flow;
    void *acts = NULL;
    struct flow key;

    assert_int_equal(put_udp_flow(f->dp, 3, 1, DPIF_FP_CREATE), 0);
    /* Another source port: same megaflow. */
    udp_key(3, 999, 0, &key);
    assert_int_equal(dpif_flow_get(f->dp, &key, &flow, &acts), 0);
    assert_int_equal(flow.mask.masks.nw_src, UINT32_MAX);
    assert_int_equal(flow.mask.masks.tp_src, 0);
    assert_int_equal(flow.key.nw_src, pb_ip4("10.0.0.3"));
    assert_int_equal(flow.key.tp_src, 0); /* Stored masked. */
    assert_int_equal(flow.actions_len, 8);
    assert_ptr_equal(flow.actions, acts);
    assert_int_equal(((const struct dp_action *)acts)->type, DPA_OUTPUT);
    assert_int_equal(flow.stats.n_packets, 0);
    free(acts);

    udp_key(4, 1, 0, &key);
    assert_int_equal(dpif_flow_get(f->dp, &key, &flow, &acts), ENOENT);
}

static void
test_flow_put_flags(void **state)
{
    struct fixture *f = *state;
    struct flow_wildcards wc;
    struct dpif_flow_stats st;
    struct dp_actions_buf b;
    struct dpif_flow flow;
    void *acts;
    struct flow key;

    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_MODIFY), ENOENT);
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    assert_int_equal(put_udp_flow(f->dp, 1, 0, DPIF_FP_CREATE), EEXIST);

    /* Forward one packet so that the flow has stats. */
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 1);

    /* Modify: new actions, old stats returned, then zeroed. */
    udp_key(1, 1, 0, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    actions_output(&b, 0);
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_MODIFY | DPIF_FP_ZERO_STATS,
                                   &key, &wc, b.data, b.size, &st),
                     0);
    dp_actions_buf_uninit(&b);
    assert_int_equal(st.n_packets, 1);
    assert_true(st.n_bytes > 0);
    assert_true(st.used > 0);

    assert_int_equal(dpif_flow_get(f->dp, &key, &flow, &acts), 0);
    assert_int_equal(flow.stats.n_packets, 0);
    const struct dpa_output *out = dp_action_payload(acts);
    assert_int_equal(out->port, 0);
    free(acts);

    /* The new actions are used: output to p0 itself. */
    netdev_dummy_tx_clear(f->p0);
    inject(f->p0, 1, 1);
    wait_tx(f->p0, 1);
}

static void
test_flow_del(void **state)
{
    struct fixture *f = *state;
    struct flow_wildcards wc;
    struct dpif_flow_stats st;
    struct dpif_dp_stats ds;
    struct flow key;

    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    assert_int_equal(put_udp_flow(f->dp, 2, 1, DPIF_FP_CREATE), 0);
    udp_key(1, 1, 0, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    assert_int_equal(dpif_flow_del(f->dp, &key, &wc, &st), 0);
    assert_int_equal(st.n_packets, 0);
    assert_int_equal(dpif_flow_del(f->dp, &key, &wc, NULL), ENOENT);
    /* Without a mask: the flow the key falls into. */
    udp_key(2, 77, 0, &key);
    assert_int_equal(dpif_flow_del(f->dp, &key, NULL, NULL), 0);
    assert_int_equal(dpif_flow_del(f->dp, &key, NULL, NULL), ENOENT);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 0);
}

struct dump_ctx {
    int n;
    uint32_t srcs[8];
};

static void
dump_cb(const struct dpif_flow *flow, void *aux)
{
    struct dump_ctx *ctx = aux;

    assert_int_equal(flow->actions_len, 8);
    assert_int_equal(flow->mask.masks.in_port, UINT32_MAX);
    ctx->srcs[ctx->n++] = ntohl(flow->key.nw_src);
}

static void
test_flow_dump_flush(void **state)
{
    struct fixture *f = *state;
    struct dump_ctx ctx = {0, {0}};
    struct dpif_dp_stats ds;
    uint32_t sum = 0;

    for (int i = 1; i <= 3; i++) {
        assert_int_equal(put_udp_flow(f->dp, i, 1, DPIF_FP_CREATE), 0);
    }
    dpif_flow_dump(f->dp, dump_cb, &ctx);
    assert_int_equal(ctx.n, 3);
    for (int i = 0; i < 3; i++) {
        sum += ctx.srcs[i] & 0xff;
    }
    assert_int_equal(sum, 6);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 3);
    assert_int_equal(ds.n_masks, 1);

    dpif_flow_flush(f->dp);
    ctx.n = 0;
    dpif_flow_dump(f->dp, dump_cb, &ctx);
    assert_int_equal(ctx.n, 0);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 0);
}

static void
test_flow_limit(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    char *err = NULL;

    smap_replace(&cfg, "flow-limit", "2");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    assert_int_equal(put_udp_flow(f->dp, 2, 1, DPIF_FP_CREATE), 0);
    assert_int_equal(put_udp_flow(f->dp, 3, 1, DPIF_FP_CREATE), E2BIG);
    /* Modifying an existing flow is still allowed. */
    assert_int_equal(put_udp_flow(f->dp, 2, 0, DPIF_FP_MODIFY), 0);
}

static void
test_flow_invalid(void **state)
{
    struct fixture *f = *state;
    struct dp_action bogus[2] = {{DPA_OUTPUT, 3}, {0, 0}};
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct flow key;

    udp_key(1, 1, 0, &key);
    mask_in_port(&wc);
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, bogus,
                                   sizeof bogus, NULL),
                     EINVAL);
    /* in_port must be exact. */
    actions_output(&b, 1);
    wc.masks.in_port = 0xff;
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL),
        EINVAL);
    /* Exact match (NULL mask) is fine. */
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, NULL, b.data, b.size, NULL),
        0);
    dp_actions_buf_uninit(&b);
}

static void
test_flow_prereq_widening(void **state)
{
    struct fixture *f = *state;
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct dpif_flow flow;
    void *acts;
    struct flow key;

    udp_key(1, 4321, 0, &key);
    mask_in_port(&wc);
    wc.masks.tp_src = 0xffff;
    actions_output(&b, 1);
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL),
        0);
    dp_actions_buf_uninit(&b);
    assert_int_equal(dpif_flow_get(f->dp, &key, &flow, &acts), 0);
    free(acts);
    assert_int_equal(flow.mask.masks.tp_src, 0xffff);
    assert_int_equal(flow.mask.masks.dl_type, 0xffff);
    assert_int_equal(flow.mask.masks.nw_proto, 0xff);
    assert_int_equal(flow.key.nw_proto, IPPROTO_UDP);
    assert_int_equal(flow.key.nw_src, 0); /* Not in the mask. */
}

/* Forwarding. */

static void
test_forward_installed_flow(void **state)
{
    struct fixture *f = *state;
    struct dpif_flow flow;
    uint8_t *data;
    void *acts;
    struct flow key;
    size_t len;
    struct pb pb;

    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    for (int i = 0; i < 5; i++) {
        inject(f->p0, 1, 1000 + i);
    }
    wait_tx(f->p1, 5);
    assert_int_equal(netdev_dummy_tx_count(f->p0), 0);
    assert_true(netdev_dummy_tx_get(f->p1, 4, &data, &len));
    make_udp(&pb, 1, 1004);
    assert_int_equal(len, pb.len);
    assert_memory_equal(data, pb.data, len);
    free(data);

    udp_key(1, 1, 0, &key);
    assert_int_equal(dpif_flow_get(f->dp, &key, &flow, &acts), 0);
    free(acts);
    assert_int_equal(flow.stats.n_packets, 5);
    assert_int_equal(flow.stats.n_bytes, 5 * pb.len);
    assert_true(flow.stats.used > 0);
    wait_stats(f->dp, 5, 0, 0);
}

static void
test_upcall_installs_flow(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.out_port = 1};
    struct dpif_dp_stats ds;

    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 1);
    assert_int_equal(atomic_load(&uc.n_miss), 1);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 1);

    /* The megaflow (in_port only) covers another source: no upcall. */
    inject(f->p0, 2, 2);
    wait_tx(f->p1, 2);
    wait_stats(f->dp, 1, 1, 0);
    assert_int_equal(atomic_load(&uc.n_miss), 1);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_missed, 1);
    assert_int_equal(ds.n_lost, 0);
    assert_int_equal(ds.n_hit, 1);
}

static void
test_upcall_failure_lost(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.ret = EPERM};
    struct dpif_dp_stats ds;

    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    inject(f->p0, 1, 1);
    wait_stats(f->dp, 0, 1, 1);
    assert_int_equal(atomic_load(&uc.n_miss), 1);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 0);

    /* Invalid actions from the callback are a failed upcall too. */
    uc.ret = 0;
    uc.bad_actions = true;
    inject(f->p0, 1, 1);
    wait_stats(f->dp, 0, 2, 2);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 0);

    /* Without a callback, misses are lost as well. */
    dpif_register_upcall_cb(f->dp, NULL, NULL);
    inject(f->p0, 1, 1);
    wait_stats(f->dp, 0, 3, 3);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 0);
}

static void
test_userspace_action(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.out_port = 1};
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct flow key;
    uint8_t payload[sizeof(struct dpa_userspace) + 4];
    struct dpa_userspace ua = {.pid = 77, .userdata_len = 4};

    memcpy(payload, &ua, sizeof ua);
    memcpy(payload + sizeof ua, "\xde\xad\xbe\xef", 4);
    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    udp_key(1, 1, 0, &key);
    mask_in_port(&wc);
    actions_output(&b, 1);
    dp_actions_put(&b, DPA_USERSPACE, payload, sizeof payload);
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL),
        0);
    dp_actions_buf_uninit(&b);

    inject(f->p0, 1, 1);
    assert_true(wait_until(int_reached, &uc.n_action));
    wait_tx(f->p1, 1);
    assert_int_equal(atomic_load(&uc.pid), 77);
    assert_int_equal(atomic_load(&uc.userdata_len), 4);
    assert_memory_equal(uc.userdata, "\xde\xad\xbe\xef", 4);
    assert_int_equal(atomic_load(&uc.n_miss), 0);
}

static void
test_execute(void **state)
{
    struct fixture *f = *state;
    struct dp_action bogus = {DPA_OUTPUT, 2};
    struct dp_actions_buf b;
    struct dp_packet *p;
    struct pb pb;

    make_udp(&pb, 9, 9);
    p = dp_packet_clone_data(NULL, pb.data, pb.len);
    assert_non_null(p);
    actions_output(&b, 1);
    assert_int_equal(dpif_execute(f->dp, p, b.data, b.size), 0);
    dp_actions_buf_uninit(&b);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 1);

    p = dp_packet_clone_data(NULL, pb.data, pb.len);
    assert_int_equal(dpif_execute(f->dp, p, &bogus, sizeof bogus), EINVAL);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 1);

    const char *argv[] = {"pmd-stats-show"};
    char *text = run_cmd(dp_perf_pmd_stats_show, 1, argv);
    assert_non_null(strstr(text, "main thread:\n"));
    free(text);
}

static void
test_execute_recirc(void **state)
{
    struct fixture *f = *state;
    struct dpa_recirc rc = {5};
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct dp_packet *p;
    struct flow key;
    struct pb pb;

    /* recirc_id(5),in_port(0) -> 1. */
    udp_key(1, 1, 0, &key);
    key.recirc_id = 5;
    mask_in_port(&wc);
    actions_output(&b, 1);
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL),
        0);
    dp_actions_buf_uninit(&b);

    make_udp(&pb, 1, 1);
    p = dp_packet_clone_data(NULL, pb.data, pb.len);
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_RECIRC, &rc, sizeof rc);
    assert_int_equal(dpif_execute(f->dp, p, b.data, b.size), 0);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 1);

    /* The same from a PMD: recirc_id(0) -> recirc(5). */
    udp_key(1, 1, 0, &key);
    assert_int_equal(
        dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL),
        0);
    dp_actions_buf_uninit(&b);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 2);

    struct text_wait tw = {dp_perf_pmd_stats_show,
                           "packet recirculations: 1\n"};
    assert_true(wait_until(text_reached, &tw));
}

static bool
no_flows(void *aux)
{
    struct dpif_dp_stats ds;

    dpif_run();
    dpif_get_stats(aux, &ds);
    return ds.n_flows == 0;
}

static void
test_idle_expiry(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    long long start = time_msec();
    char *err = NULL;

    smap_replace(&cfg, "max-idle", "50");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    dpif_run();
    assert_true(wait_until(no_flows, f->dp));
    assert_true(time_msec() - start >= 50);
}

static void
test_deleted_flow_stops_forwarding(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    struct flow_wildcards wc;
    struct flow key;
    char *err = NULL;

    /* Insert every megaflow hit into the exact-match cache. */
    smap_replace(&cfg, "emc-insert-inv-prob", "1");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);
    /* A flow with a second mask (for a host that sends nothing) keeps the
     * packets on the exact-match cache path: a table with one mask is
     * served by the simple-key path, without the cache. */
    struct dp_actions_buf other;
    udp_key(9, 1, 0, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    wc.masks.tp_src = UINT16_MAX;
    actions_output(&other, 1);
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc,
                                   other.data, other.size, NULL),
                     0);
    dp_actions_buf_uninit(&other);
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 1);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 2);
    struct text_wait tw = {dp_perf_pmd_stats_show, "emc hits: 1\n"};
    assert_true(wait_until(text_reached, &tw));

    udp_key(1, 1, 0, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    assert_int_equal(dpif_flow_del(f->dp, &key, &wc, NULL), 0);
    dpif_synchronize(f->dp);
    inject(f->p0, 1, 1);
    wait_stats(f->dp, 0, 1, 1);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 2);
    for (int i = 0; i < 3; i++) {
        dpif_synchronize(f->dp);
        dpif_run();
    }
}

/* A flow that matches on in_port alone (served without key extraction
 * while its mask is the table's only one) follows modification, stays
 * right when a second mask comes and goes, and stops on deletion. */
static void
test_in_port_flow_follows_table(void **state)
{
    struct fixture *f = *state;
    struct flow_wildcards wc, wc2;
    struct dp_actions_buf to0, to1;
    struct flow key, key2;

    memset(&key, 0, sizeof key);
    mask_in_port(&wc);
    actions_output(&to0, 0);
    actions_output(&to1, 1);
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_CREATE, &key, &wc, to1.data,
                                   to1.size, NULL),
                     0);
    for (int i = 1; i <= 3; i++) {
        inject(f->p0, i, 1);
        wait_tx(f->p1, i);
    }
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_MODIFY, &key, &wc, to0.data,
                                   to0.size, NULL),
                     0);
    inject(f->p0, 4, 1);
    wait_tx(f->p0, 1);

    /* A second mask, for port 1's packets. */
    udp_key(9, 1, 1, &key2);
    mask_in_port(&wc2);
    wc2.masks.nw_src = UINT32_MAX;
    assert_int_equal(dpif_flow_put(f->dp, DPIF_FP_CREATE, &key2, &wc2,
                                   to1.data, to1.size, NULL),
                     0);
    inject(f->p0, 5, 1);
    wait_tx(f->p0, 2);
    assert_int_equal(dpif_flow_del(f->dp, &key2, &wc2, NULL), 0);
    dpif_synchronize(f->dp);
    inject(f->p0, 6, 1);
    wait_tx(f->p0, 3);

    assert_int_equal(dpif_flow_del(f->dp, &key, &wc, NULL), 0);
    dpif_synchronize(f->dp);
    inject(f->p0, 7, 1);
    wait_stats(f->dp, 0, 0, 1);
    assert_int_equal(netdev_dummy_tx_count(f->p0), 3);
    assert_int_equal(netdev_dummy_tx_count(f->p1), 3);
    dp_actions_buf_uninit(&to0);
    dp_actions_buf_uninit(&to1);
    for (int i = 0; i < 3; i++) {
        dpif_synchronize(f->dp);
        dpif_run();
    }
}

static void
test_megaflow_wildcards(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.out_port = 1};
    struct dpif_dp_stats ds;

    /* emc-insert-inv-prob=0: no EMC insertion, every hit is a megaflow
     * hit. */
    struct smap cfg = SMAP_INITIALIZER;
    char *err = NULL;

    smap_replace(&cfg, "emc-insert-inv-prob", "0");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);
    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    for (int i = 0; i < 10; i++) {
        inject(f->p0, i + 1, i + 1);
        wait_tx(f->p1, i + 1);
    }
    wait_stats(f->dp, 9, 1, 0);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_flows, 1);
    assert_int_equal(ds.n_masks, 1);
    assert_int_equal(atomic_load(&uc.n_miss), 1);
    struct text_wait tw = {dp_perf_pmd_stats_show, "megaflow hits: 9\n"};
    assert_true(wait_until(text_reached, &tw));
}

/* Installs in_port=0 plus the exact 'field' (a member of struct flow)
 * from the key of make_udp(host, sport) -> output:1. */
#define PUT_FIELD_FLOW(DP, HOST, SPORT, FIELD)                                \
    do {                                                                      \
        struct flow_wildcards wc_;                                            \
        struct dp_actions_buf b_;                                             \
        struct flow key_;                                                     \
                                                                              \
        udp_key(HOST, SPORT, 0, &key_);                                       \
        mask_in_port(&wc_);                                                   \
        memset(&wc_.masks.FIELD, 0xff, sizeof wc_.masks.FIELD);               \
        actions_output(&b_, 1);                                               \
        assert_int_equal(dpif_flow_put(DP, DPIF_FP_CREATE, &key_, &wc_,       \
                                       b_.data, b_.size, NULL),               \
                         0);                                                  \
        dp_actions_buf_uninit(&b_);                                           \
    } while (0)

/* Subtable lookups per megaflow hit count the subtables probed: packets
 * that match only the third-ranked mask cost 3 each, and 1 once ranking
 * has moved that mask first. */
static void
test_subtable_lookups(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    const char *clear[] = {"pmd-stats-clear"};
    struct dpif_dp_stats ds;
    char *err = NULL;

    smap_replace(&cfg, "emc-insert-inv-prob", "0");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);

    /* Three masks, ranked in insertion order until dpif_run() ranks them
     * by hits: nw_src=10.0.0.1, tp_src=1, nw_dst=10.0.1.1. */
    PUT_FIELD_FLOW(f->dp, 1, 1, nw_src);
    PUT_FIELD_FLOW(f->dp, 1, 1, tp_src);
    PUT_FIELD_FLOW(f->dp, 1, 1, nw_dst);
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_masks, 3);

    /* From 10.0.0.3, source port 7: only the third mask matches. */
    for (int i = 0; i < 4; i++) {
        inject(f->p0, 3, 7);
    }
    wait_tx(f->p1, 4);
    struct text_wait tw = {dp_perf_pmd_stats_show,
                           "  megaflow hits: 4\n"
                           "  avg. subtable lookups per megaflow hit: 3.00\n"};
    assert_true(wait_until(text_reached, &tw));
    struct text_wait tw_perf = {dp_perf_pmd_perf_show,
                                "(100.0 %, 3.00 subtbl lookups/hit)\n"};
    assert_true(wait_until(text_reached, &tw_perf));
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_hit, 4);
    assert_int_equal(ds.n_mask_hit, 12);

    /* Ranking moves the only mask with hits first. */
    dpif_run();
    free(run_cmd(dp_perf_pmd_stats_clear, 1, clear));
    for (int i = 0; i < 4; i++) {
        inject(f->p0, 3, 7);
    }
    wait_tx(f->p1, 8);
    tw.needle = "  megaflow hits: 4\n"
                "  avg. subtable lookups per megaflow hit: 1.00\n";
    assert_true(wait_until(text_reached, &tw));
    dpif_get_stats(f->dp, &ds);
    assert_int_equal(ds.n_hit, 8);
    assert_int_equal(ds.n_mask_hit, 16);
}

/* Flows installed by upcalls, cached in the EMC and deleted by the main
 * thread, all at once: every packet is accounted for exactly once and
 * memory stays valid (AddressSanitizer). */
static void
test_flow_churn(void **state)
{
    struct fixture *f = *state;
    struct uc_state uc = {.out_port = 1};
    struct smap cfg = SMAP_INITIALIZER;
    uint64_t injected = 0;
    struct dpif_dp_stats ds;
    char *err = NULL;

    smap_replace(&cfg, "emc-insert-inv-prob", "1");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);
    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);

    for (int round = 0; round < 300; round++) {
        for (int i = 0; i < 8; i++) {
            struct pb pb;

            make_udp(&pb, 1 + (round + i) % 16, i);
            if (!netdev_dummy_inject(f->p0, 0, pb.data, pb.len)) {
                injected++;
            }
        }
        if (round % 3 == 0) {
            put_udp_flow(f->dp, 1 + round % 16, 1, DPIF_FP_CREATE);
        }
        if (round % 2 == 0) {
            dpif_flow_flush(f->dp);
        }
        if (round % 10 == 0) {
            dpif_synchronize(f->dp);
        }
        dpif_run();
        usleep(200);
    }
    wait_stats(f->dp, 0, 0, 0);
    for (long long deadline = time_msec() + WAIT_MS; time_msec() < deadline;
         usleep(1000)) {
        dpif_get_stats(f->dp, &ds);
        if (ds.n_hit + ds.n_missed >= injected) {
            break;
        }
    }
    assert_int_equal(ds.n_hit + ds.n_missed, injected);
    assert_int_equal(ds.n_lost, 0);
    assert_true(ds.n_missed > 1);
    wait_tx(f->p1, injected);
    assert_int_equal(netdev_dummy_tx_count(f->p1), injected);
}

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_destroy),
        T(test_port_query),
        T(test_port_numbering),
        T(test_port_del_stops_rx),
        T(test_flow_put_get),
        T(test_flow_put_flags),
        T(test_flow_del),
        T(test_flow_dump_flush),
        T(test_flow_limit),
        T(test_flow_invalid),
        T(test_flow_prereq_widening),
        T(test_forward_installed_flow),
        T(test_upcall_installs_flow),
        T(test_upcall_failure_lost),
        T(test_userspace_action),
        T(test_execute),
        T(test_execute_recirc),
        T(test_idle_expiry),
        T(test_deleted_flow_stops_forwarding),
        T(test_in_port_flow_follows_table),
        T(test_megaflow_wildcards),
        T(test_subtable_lookups),
        T(test_flow_churn),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}