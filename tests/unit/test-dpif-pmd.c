/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-dpif-pmd: unit tests of the userspace datapath's PMD threads through
 * datapath/dpif.h: other_config checks, pmd-cpu-mask, rx queue placement
 * (on PMDs, and on the main thread for devices that ask for it) and the
 * pmd-stats-show, pmd-stats-clear, pmd-rxq-show and pmd-perf-show
 * commands.  The rest of the datapath is tested in test-dpif.c, with the
 * fixture in dpif-fixture.c.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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
#include "lib/netdev-dummy.h"
#include "lib/netdev-provider.h"
#include "lib/netdev.h"
#include "tests/unit/dpif-fixture.h"
#include "tests/unit/packet-builder.h"

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

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_set_config_invalid), T(test_pmd_cpu_mask),
        T(test_main_thread_rxq),    T(test_pmd_stats_show),
        T(test_pmd_perf_show),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}