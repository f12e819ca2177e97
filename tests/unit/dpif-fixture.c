/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-fixture: the datapath, upcall callback and helpers that the
 * datapath tests (test-dpif.c, test-dpif-pmd.c) share.  See
 * dpif-fixture.h.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datapath/dp-perf.h"
#include "datapath/dpif.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev.h"
#include "lib/rcu.h"
#include "tests/unit/dp-fixture.h"
#include "tests/unit/dpif-fixture.h"
#include "tests/unit/packet-builder.h"

int
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

bool
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
size_t
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

void
inject(struct netdev *nd, int host, uint16_t sport)
{
    struct pb pb;

    make_udp(&pb, host, sport);
    assert_int_equal(netdev_dummy_inject(nd, 0, pb.data, pb.len), 0);
}

/* The key of make_udp(host, sport) received on 'in_port'. */
void
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
void
mask_in_port(struct flow_wildcards *wc)
{
    flow_wildcards_init_catchall(wc);
    wc->masks.in_port = UINT32_MAX;
    wc->masks.recirc_id = UINT32_MAX;
}

void
actions_output(struct dp_actions_buf *b, uint32_t port)
{
    struct dpa_output out = {port};

    dp_actions_buf_init(b);
    dp_actions_put(b, DPA_OUTPUT, &out, sizeof out);
}

/* Installs in_port=0, nw_src=10.0.0.'host' -> output:'port'. */
int
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

void
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

void
wait_stats(struct dpif *dp, uint64_t hit, uint64_t missed, uint64_t lost)
{
    struct stats_wait w = {dp, hit, missed, lost};

    assert_true(wait_until(stats_reached, &w));
}

bool
int_reached(void *aux)
{
    return atomic_load((_Atomic int *)aux) > 0;
}

char *
run_cmd(char *(*cmd)(int, const char *[], struct ds *), int argc,
        const char *argv[])
{
    struct ds reply = DS_EMPTY;
    char *error = cmd(argc, argv, &reply);

    assert_null(error);
    return ds_steal_cstr(&reply);
}

bool
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

int
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

int
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

int
group_setup(void **state)
{
    (void)state;
    return dp_fixture_init();
}
