/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-dpif: unit tests of the userspace datapath through datapath/dpif.h,
 * with "dummy" netdev ports (lib/netdev-dummy.h) and a real PMD thread.
 * Packets are injected into a port's rx queue, and what the datapath sends
 * is read back from the dummy device's capture.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datapath/dp-perf.h"
#include "datapath/dpif.h"
#include "lib/dpdk.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev-provider.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "tests/unit/dp-fixture.h"
#include "tests/unit/packet-builder.h"

/* How long to wait for PMD threads, in wall-clock ms: generous, since CI
 * machines may be busy with other builds. */
#define WAIT_MS 20000

struct fixture {
    struct dpif *dp;
    struct netdev *p0, *p1;
};

/* Upcall callback state, shared with the PMD thread. */
struct uc_state {
    _Atomic int n_miss;
    _Atomic int n_action;
    _Atomic uint32_t pid;
    _Atomic size_t userdata_len;
    uint8_t userdata[16];
    int ret;           /* Returned for misses. */
    uint32_t out_port; /* Output port for misses. */
    bool bad_actions;  /* Return an invalid action list. */
};

static int
upcall_cb(const struct dpif_upcall *up, struct dp_actions_buf *actions,
          struct flow_wildcards *wc, void *aux)
{
    struct uc_state *uc = aux;

    (void)wc;
    if (up->type == DPIF_UC_ACTION) {
        size_t n = MIN(up->userdata_len, sizeof uc->userdata);

        memcpy(uc->userdata, up->userdata, n);
        atomic_store(&uc->userdata_len, n);
        atomic_store(&uc->pid, up->pid);
        atomic_fetch_add(&uc->n_action, 1);
        return 0;
    }
    assert_non_null(up->packet);
    assert_non_null(up->key);
    atomic_fetch_add(&uc->n_miss, 1);
    if (uc->ret) {
        return uc->ret;
    }
    if (uc->bad_actions) {
        struct dp_action bogus = {DPA_N_TYPES + 7, 4};
        size_t ofs = actions->size;

        dp_actions_put(actions, DPA_POP_VLAN, NULL, 0);
        memcpy(actions->data + ofs, &bogus, sizeof bogus);
        return 0;
    }
    struct dpa_output out = {uc->out_port};
    dp_actions_put(actions, DPA_OUTPUT, &out, sizeof out);
    return 0;
}

/* Helpers. */

static bool
wait_until(bool (*cond)(void *), void *aux)
{
    long long deadline = time_msec() + WAIT_MS;
    while (time_msec() < deadline) {
        if (cond(aux)) {
            return true;
        }
        usleep(1000);
    }
    return cond(aux);
}

/* A UDP packet from 10.0.0.'host' to 10.0.1.1. */
static size_t
make_udp(struct pb *pb, int host, uint16_t sport)
{
    char src[32];

    snprintf(src, sizeof src, "10.0.0.%d", host);
    pb_init(pb);
    pb_eth(pb, "00:00:00:00:00:02", "00:00:00:00:00:01", ETH_TYPE_IP);
    pb_ipv4(pb, src, "10.0.1.1", IPPROTO_UDP, 64);
    pb_udp(pb, sport, 53);
    pb_put(pb, "payload!", 8);
    pb_finish(pb);
    return pb->len;
}

static void
inject(struct netdev *nd, int host, uint16_t sport)
{
    struct pb pb;

    make_udp(&pb, host, sport);
    assert_int_equal(netdev_dummy_inject(nd, 0, pb.data, pb.len), 0);
}

/* The key of make_udp(host, sport) received on 'in_port'. */
static void
udp_key(int host, uint16_t sport, uint32_t in_port, struct flow *flow)
{
    struct flow_md md = {.in_port = in_port};
    struct flow_key key;
    struct pb pb;

    make_udp(&pb, host, sport);
    pb_extract(pb.data, pb.len, &md, &key, NULL);
    *flow = key.flow;
}

/* A mask with in_port and recirc_id exact plus 'extra' exact fields. */
static void
mask_in_port(struct flow_wildcards *wc)
{
    flow_wildcards_init_catchall(wc);
    wc->masks.in_port = UINT32_MAX;
    wc->masks.recirc_id = UINT32_MAX;
}

static void
actions_output(struct dp_actions_buf *b, uint32_t port)
{
    struct dpa_output out = {port};

    dp_actions_buf_init(b);
    dp_actions_put(b, DPA_OUTPUT, &out, sizeof out);
}

/* Installs in_port=0, nw_src=10.0.0.'host' -> output:'port'. */
static int
put_udp_flow(struct dpif *dp, int host, uint32_t port,
             enum dpif_flow_put_flags flags)
{
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct flow key;
    int error;

    udp_key(host, 1, 0, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    actions_output(&b, port);
    error = dpif_flow_put(dp, flags, &key, &wc, b.data, b.size, NULL);
    dp_actions_buf_uninit(&b);
    return error;
}

struct count_wait {
    struct netdev *nd;
    size_t n;
};

static bool
tx_reached(void *aux)
{
    struct count_wait *w = aux;

    return netdev_dummy_tx_count(w->nd) >= w->n;
}

static char *run_cmd(char *(*cmd)(int, const char *[], struct ds *), int argc,
                     const char *argv[]);

static void
wait_tx(struct netdev *nd, size_t n)
{
    struct count_wait w = {nd, n};

    if (!wait_until(tx_reached, &w)) {
        const char *argv[] = {"pmd-stats-show"};
        char *text = run_cmd(dp_perf_pmd_stats_show, 1, argv);
        char *rxqs = run_cmd(dp_perf_pmd_rxq_show, 1, argv);

        fprintf(stderr, "%s: %zu packets sent, %zu expected\n%s%s",
                netdev_get_name(nd), netdev_dummy_tx_count(nd), n, text, rxqs);
        free(text);
        free(rxqs);
        fail();
    }
}

struct stats_wait {
    struct dpif *dp;
    uint64_t hit, missed, lost;
};

static bool
stats_reached(void *aux)
{
    struct stats_wait *w = aux;
    struct dpif_dp_stats s;

    dpif_get_stats(w->dp, &s);
    return s.n_hit >= w->hit && s.n_missed >= w->missed && s.n_lost >= w->lost;
}

static void
wait_stats(struct dpif *dp, uint64_t hit, uint64_t missed, uint64_t lost)
{
    struct stats_wait w = {dp, hit, missed, lost};

    assert_true(wait_until(stats_reached, &w));
}

static bool
int_reached(void *aux)
{
    return atomic_load((_Atomic int *)aux) > 0;
}

static char *
run_cmd(char *(*cmd)(int, const char *[], struct ds *), int argc,
        const char *argv[])
{
    struct ds reply = DS_EMPTY;
    char *error = cmd(argc, argv, &reply);

    assert_null(error);
    return ds_steal_cstr(&reply);
}

struct text_wait {
    char *(*cmd)(int, const char *[], struct ds *);
    const char *needle;
};

static bool
text_reached(void *aux)
{
    struct text_wait *w = aux;
    const char *argv[] = {"cmd"};
    char *text = run_cmd(w->cmd, 1, argv);
    bool found = strstr(text, w->needle) != NULL;

    free(text);
    return found;
}

/* Fixture: datapath "dp0" with dummy ports p0 (0) and p1 (1). */

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    uint32_t port_no = DPIF_PORT_ANY;
    char *err = NULL;

    assert_int_equal(dpif_create("dp0", &f->dp), 0);
    assert_int_equal(netdev_open("p0", "dummy", NULL, &f->p0, &err), 0);
    assert_int_equal(netdev_open("p1", "dummy", NULL, &f->p1, &err), 0);
    assert_int_equal(dpif_port_add(f->dp, f->p0, &port_no), 0);
    assert_int_equal(port_no, 0);
    port_no = DPIF_PORT_ANY;
    assert_int_equal(dpif_port_add(f->dp, f->p1, &port_no), 0);
    assert_int_equal(port_no, 1);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    dpif_destroy(f->dp);
    /* Two grace periods: flows are freed after the second. */
    for (int i = 0; i < 3; i++) {
        rcu_synchronize();
    }
    free(f);
    return 0;
}

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

/* Configuration and commands. */

static void
test_set_config_invalid(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    char *err = NULL;

    smap_replace(&cfg, "pmd-cpu-mask", "0xzz");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), EINVAL);
    assert_non_null(err);
    free(err);
    err = NULL;
    smap_clear(&cfg);
    smap_replace(&cfg, "flow-limit", "lots");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), EINVAL);
    assert_non_null(strstr(err, "flow-limit"));
    free(err);
    err = NULL;
    smap_clear(&cfg);
    smap_replace(&cfg, "max-idle", "0");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), EINVAL);
    free(err);
    smap_destroy(&cfg);
}

static void
test_pmd_cpu_mask(void **state)
{
    struct fixture *f = *state;
    struct smap cfg = SMAP_INITIALIZER;
    struct netdev *mq;
    struct smap opts = SMAP_INITIALIZER;
    const char *argv[] = {"pmd-rxq-show"};
    uint32_t no = DPIF_PORT_ANY;
    char *err = NULL, *text;
    long n_cpu = sysconf(_SC_NPROCESSORS_ONLN);

    smap_replace(&opts, "n_rxq", "4");
    assert_int_equal(netdev_open("mq", "dummy", &opts, &mq, &err), 0);
    smap_destroy(&opts);
    assert_int_equal(dpif_port_add(f->dp, mq, &no), 0);

    smap_replace(&cfg, "pmd-cpu-mask", n_cpu >= 2 ? "0x3" : "0x1");
    assert_int_equal(dpif_set_config(f->dp, &cfg, &err), 0);
    smap_destroy(&cfg);

    text = run_cmd(dp_perf_pmd_rxq_show, 1, argv);
    assert_non_null(strstr(text, "Displaying last 60 seconds pmd usage %\n"));
    assert_non_null(strstr(text, "pmd thread numa_id 0 core_id 0:\n"));
    assert_non_null(strstr(text, "  isolated : false\n"));
    assert_non_null(strstr(text, "  port: mq                queue-id:  3 "
                                 "(enabled)   pmd usage: "));
    if (n_cpu >= 2) {
        assert_non_null(strstr(text, "core_id 1:\n"));
    }
    free(text);

    /* Forwarding works with the new threads. */
    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    inject(f->p0, 1, 1);
    wait_tx(f->p1, 1);
}

/* A device polled by the main thread: the test queues packets in it and
 * writes a byte to its pipe to make it readable, as a tap would be. */
struct mainrx {
    struct netdev up;
    int pipe[2];
    struct dp_packet_batch queued;
    _Atomic int n_sent; /* Written by the PMD that sends to it. */
};

static const struct netdev_class mainrx_class;

static struct mainrx *
mainrx_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct mainrx, up);
}

static int
mainrx_open(const char *name, const struct smap *options,
            struct netdev **netdevp, char **errp)
{
    struct mainrx *dev = xzalloc(sizeof *dev);

    (void)options;
    (void)errp;
    netdev_init_base(&dev->up, &mainrx_class, name);
    dev->up.n_rxq = 1;
    assert_int_equal(pipe(dev->pipe), 0);
    dp_packet_batch_init(&dev->queued);
    atomic_init(&dev->n_sent, 0);
    *netdevp = &dev->up;
    return 0;
}

static void
mainrx_close(struct netdev *netdev)
{
    struct mainrx *dev = mainrx_cast(netdev);

    close(dev->pipe[0]);
    close(dev->pipe[1]);
    dp_packet_batch_free(&dev->queued);
    netdev_uninit_base(netdev);
    free(dev);
}

static int
mainrx_recv(struct netdev *netdev, int qid, struct dp_packet_batch *batch)
{
    struct mainrx *dev = mainrx_cast(netdev);
    char buf[DP_PACKET_BATCH_SIZE];

    assert_int_equal(qid, 0);
    if (!dev->queued.count) {
        return EAGAIN;
    }
    assert_int_equal(read(dev->pipe[0], buf, dev->queued.count),
                     dev->queued.count);
    *batch = dev->queued;
    dp_packet_batch_init(&dev->queued);
    return 0;
}

static int
mainrx_send(struct netdev *netdev, int qid, struct dp_packet_batch *batch)
{
    int n = batch->count;

    (void)qid;
    atomic_fetch_add(&mainrx_cast(netdev)->n_sent, n);
    dp_packet_batch_free(batch);
    return n;
}

static int
mainrx_wait_fd(const struct netdev *netdev, int qid)
{
    (void)qid;
    return mainrx_cast(netdev)->pipe[0];
}

static const struct netdev_class mainrx_class = {
    .type = "mainrx",
    .open = mainrx_open,
    .close = mainrx_close,
    .rxq_recv = mainrx_recv,
    .send = mainrx_send,
    .main_thread_rx = true,
    .rxq_wait_fd = mainrx_wait_fd,
};

static void
mainrx_inject(struct netdev *netdev, int host)
{
    struct mainrx *dev = mainrx_cast(netdev);
    struct pb pb;

    make_udp(&pb, host, 1);
    dp_packet_batch_add(&dev->queued,
                        dp_packet_clone_data(NULL, pb.data, pb.len));
    assert_int_equal(write(dev->pipe[1], "x", 1), 1);
}

static bool
mainrx_sent_reached(void *aux)
{
    return atomic_load(&mainrx_cast(aux)->n_sent) > 0;
}

/* Installs in_port='in_port', nw_src=10.0.0.'host' -> output:'out'. */
static void
put_udp_flow_from(struct dpif *dp, uint32_t in_port, int host, uint32_t out)
{
    struct flow_wildcards wc;
    struct dp_actions_buf b;
    struct flow key;

    udp_key(host, 1, in_port, &key);
    mask_in_port(&wc);
    wc.masks.nw_src = UINT32_MAX;
    actions_output(&b, out);
    assert_int_equal(
        dpif_flow_put(dp, DPIF_FP_CREATE, &key, &wc, b.data, b.size, NULL), 0);
    dp_actions_buf_uninit(&b);
}

/* A main_thread_rx device's queue goes to no PMD: the main loop waits for
 * its fd, and dpif_run() forwards what it received; PMDs still send to
 * it. */
static void
test_main_thread_rxq(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = {"pmd-rxq-show"};
    struct pollfd pfds[4];
    struct dpif_dp_stats st;
    struct netdev *np;
    uint32_t no = DPIF_PORT_ANY;
    int timeout = 100, n;
    char *err = NULL, *text;

    n = netdev_register_provider(&mainrx_class);
    assert_true(n == 0 || n == EEXIST);
    assert_int_equal(netdev_open("np", "mainrx", NULL, &np, &err), 0);
    assert_int_equal(dpif_port_add(f->dp, np, &no), 0);
    assert_int_equal(no, 2);

    /* Not on a PMD; the other ports are. */
    text = run_cmd(dp_perf_pmd_rxq_show, 1, argv);
    assert_null(strstr(text, "port: np "));
    assert_non_null(strstr(text, "port: p0 "));
    assert_non_null(strstr(text, "port: p1 "));
    free(text);

    /* The main loop waits for its fd, without lowering the timeout. */
    n = dpif_poll_fds(pfds, 4, &timeout);
    assert_int_equal(n, 1);
    assert_int_equal(pfds[0].fd, mainrx_cast(np)->pipe[0]);
    assert_int_equal(pfds[0].events, POLLIN);
    assert_int_equal(timeout, 100);
    assert_int_equal(dpif_poll_fds(pfds, 0, &timeout), 0);

    /* Received and forwarded by the main thread. */
    put_udp_flow_from(f->dp, 2, 1, 1);
    mainrx_inject(np, 1);
    mainrx_inject(np, 1);
    assert_int_equal(poll(pfds, 1, 0), 1);
    dpif_run();
    assert_int_equal(netdev_dummy_tx_count(f->p1), 2);
    assert_int_equal(poll(pfds, 1, 0), 0);
    assert_int_equal(dpif_get_stats(f->dp, &st), 0);
    assert_int_equal(st.n_hit, 2);
    text = run_cmd(dp_perf_pmd_stats_show, 1, argv);
    assert_non_null(strstr(text, "main thread:\n  packets received: 2\n"));
    free(text);

    /* Packets a PMD forwards to it are sent. */
    assert_int_equal(put_udp_flow(f->dp, 3, 2, DPIF_FP_CREATE), 0);
    inject(f->p0, 3, 1);
    assert_true(wait_until(mainrx_sent_reached, np));

    /* Gone with its port. */
    assert_int_equal(dpif_port_del(f->dp, 2), 0);
    assert_int_equal(dpif_poll_fds(pfds, 4, &timeout), 0);
    dpif_run();
}

static void
test_pmd_stats_show(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = {"pmd-stats-show"};
    const char *argv_dp[] = {"pmd-stats-show", "dp0"};
    const char *argv_bad[] = {"pmd-stats-show", "nope"};
    struct ds reply = DS_EMPTY;
    struct uc_state uc = {.out_port = 1};
    char *text, *error;

    dpif_register_upcall_cb(f->dp, upcall_cb, &uc);
    for (int i = 0; i < 3; i++) {
        inject(f->p0, 1, 1);
        wait_tx(f->p1, i + 1);
    }
    struct text_wait tw = {dp_perf_pmd_stats_show, "  packets received: 3\n"};
    assert_true(wait_until(text_reached, &tw));

    text = run_cmd(dp_perf_pmd_stats_show, 2, argv_dp);
    assert_non_null(strstr(text, "pmd thread numa_id "));
    assert_non_null(strstr(text, "  avg. datapath passes per packet: 1.00\n"));
    assert_non_null(strstr(text, "  phwol hits: 0\n"));
    assert_non_null(strstr(text, "  smc hits: 0\n"));
    assert_non_null(strstr(text, "  miss with success upcall: 1\n"));
    assert_non_null(strstr(text, "  miss with failed upcall: 0\n"));
    assert_non_null(strstr(text, "  avg. packets per output batch: 1.00\n"));
    assert_non_null(strstr(text, "  processing cycles: "));
    assert_non_null(strstr(text, "  avg processing cycles per packet: "));
    assert_non_null(strstr(text, "main thread:\n"));
    free(text);

    error = dp_perf_pmd_stats_show(2, argv_bad, &reply);
    assert_non_null(error);
    free(error);
    ds_destroy(&reply);

    /* Clearing takes effect at once. */
    const char *clear[] = {"pmd-stats-clear"};
    free(run_cmd(dp_perf_pmd_stats_clear, 1, clear));
    text = run_cmd(dp_perf_pmd_stats_show, 1, argv);
    assert_non_null(strstr(text, "  packets received: 0\n"));
    assert_non_null(strstr(text, "  miss with success upcall: 0\n"));
    free(text);
}

/* Open vSwitch 3.1's pmd-perf-show text for one PMD thread with traffic
 * (ovs-vswitchd-dpdk forwarding net_pcap to net_null), shape only: each
 * number is "N", blank runs are one blank and "( " is "(".  Tern prints
 * the same lines in the same order, so one parser reads both. */
static const char *const ovs_perf_show_shape[] = {
    "",
    "Time: N:N:N",
    "Measurement duration: N s",
    "",
    "pmd thread numa_id N core_id N:",
    "",
    " Iterations: N (N us/it)",
    " - Used TSC cycles: N (N % of total cycles)",
    " - idle iterations: N (N % of used cycles)",
    " - busy iterations: N (N % of used cycles)",
    " - sleep iterations: N (N % of iterations)",
    " Sleep time (us): N (N us/iteration avg.)",
    " Rx packets: N (N Kpps, N cycles/pkt)",
    " Datapath passes: N (N passes/pkt)",
    " - PHWOL hits: N (N %)",
    " - MFEX Opt hits: N (N %)",
    " - Simple Match hits: N (N %)",
    " - EMC hits: N (N %)",
    " - SMC hits: N (N %)",
    " - Megaflow hits: N (N %, N subtbl lookups/hit)",
    " - Upcalls: N (N %, N us/upcall)",
    " - Lost upcalls: N (N %)",
    " Tx packets: N (N Kpps)",
    " Tx batches: N (N pkts/batch)",
};

/* Returns a copy of 'text' (not modified) reduced to its shape as in
 * ovs_perf_show_shape; the caller frees it. */
static char *
perf_shape(const char *text)
{
    char *out = xmalloc(strlen(text) + 1), *o = out;

    for (const char *p = text; *p;) {
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*p)) {
                p++;
            }
            if (*p == '.' && isdigit((unsigned char)p[1])) {
                for (p++; isdigit((unsigned char)*p); p++) {
                    continue;
                }
            }
            *o++ = 'N';
        } else if (*p == ' ') {
            while (*p == ' ') {
                p++;
            }
            if (o == out || o[-1] != '(') {
                *o++ = ' ';
            }
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* Asserts that 'text' has the lines of ovs_perf_show_shape, in order. */
static void
assert_ovs_perf_shape(const char *text)
{
    char *shape = perf_shape(text);
    char *save = NULL, *line;
    size_t n = 0;

    /* strtok_r() skips empty lines: compare the non-empty ones. */
    for (line = strtok_r(shape, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        while (n < ARRAY_SIZE(ovs_perf_show_shape) &&
               !ovs_perf_show_shape[n][0]) {
            n++;
        }
        assert_true(n < ARRAY_SIZE(ovs_perf_show_shape));
        assert_string_equal(line, ovs_perf_show_shape[n]);
        n++;
    }
    assert_int_equal(n, ARRAY_SIZE(ovs_perf_show_shape));
    free(shape);
}

static void
test_pmd_perf_show(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = {"pmd-perf-show", "-nh", "-it", "10", "dp0"};
    char *text;

    assert_int_equal(put_udp_flow(f->dp, 1, 1, DPIF_FP_CREATE), 0);
    for (int i = 0; i < 4; i++) {
        inject(f->p0, 1, 1);
    }
    wait_tx(f->p1, 4);
    struct text_wait tw = {dp_perf_pmd_perf_show, "  Tx batches:"};
    assert_true(wait_until(text_reached, &tw));

    text = run_cmd(dp_perf_pmd_perf_show, 5, argv);
    char *text_keep = xstrdup(text);
    assert_non_null(strstr(text, "Measurement duration: "));
    assert_non_null(strstr(text, "  Iterations:         "));
    assert_non_null(strstr(text, "  - Used TSC cycles:  "));
    assert_non_null(strstr(text, "  - busy iterations:  "));
    assert_non_null(strstr(text, "  Rx packets:                    4  ("));
    assert_non_null(strstr(text, "  Datapath passes:               4  "
                                 "(1.00 passes/pkt)\n"));
    assert_non_null(strstr(text, "  - EMC hits:         "));
    assert_non_null(strstr(text, "  - Megaflow hits:    "));
    assert_non_null(strstr(text, "  - Lost upcalls:                0  "));
    assert_non_null(strstr(text, "  Tx packets:                    4  ("));
    assert_null(strstr(text, "main thread"));
    assert_ovs_perf_shape(text);
    free(text);

    /* The hits of every level add up to the passes: 4 packets, 4 hits. */
    uint64_t sm = 0, emc = 0, mf = 0, up = 0;
    const char *l = strstr(text_keep, "  - Simple Match hits:");
    assert_non_null(l);
    assert_int_equal(sscanf(l, "  - Simple Match hits: %" SCNu64, &sm), 1);
    l = strstr(text_keep, "  - EMC hits:");
    assert_non_null(l);
    assert_int_equal(sscanf(l, "  - EMC hits: %" SCNu64, &emc), 1);
    l = strstr(text_keep, "  - Megaflow hits:");
    assert_non_null(l);
    assert_int_equal(sscanf(l, "  - Megaflow hits: %" SCNu64, &mf), 1);
    l = strstr(text_keep, "  - Upcalls:");
    assert_non_null(l);
    assert_int_equal(sscanf(l, "  - Upcalls: %" SCNu64, &up), 1);
    assert_int_equal(sm + emc + mf + up, 4);
    free(text_keep);

    /* Perf-show after a clear: no traffic, Open vSwitch's short form. */
    const char *clear[] = {"pmd-stats-clear", "dp0"};
    free(run_cmd(dp_perf_pmd_stats_clear, 2, clear));
    text = run_cmd(dp_perf_pmd_perf_show, 5, argv);
    assert_non_null(strstr(text, "  Rx packets:                    0\n"));
    assert_non_null(strstr(text, "  Tx packets:                    0\n"));
    assert_null(strstr(text, "Datapath passes"));
    free(text);
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

static int
group_setup(void **state)
{
    (void)state;
    return dp_fixture_init();
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
        T(test_set_config_invalid),
        T(test_pmd_cpu_mask),
        T(test_main_thread_rxq),
        T(test_pmd_stats_show),
        T(test_pmd_perf_show),
        T(test_megaflow_wildcards),
        T(test_subtable_lookups),
        T(test_flow_churn),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
