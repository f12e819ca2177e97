/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-fixture: the datapath set-up shared by the in-process benchmarks
 * (see bench-fixture.h): a datapath with a dummy source port and a net_null
 * sink, its PMD driven by the benchmark's own thread, and the frames of the
 * test traffic.
 */
#include <config.h>

#include "tests/perf/bench-fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/smap.h"

static const char *bench_fixture_program = "bench";

static void __attribute__((noreturn))
bench_fixture_die_msg(const char *what, const char *msg)
{
    fprintf(stderr, "%s: %s: %s\n", bench_fixture_program, what,
            msg ? msg : "?");
    exit(1);
}

void
bench_fixture_die(const char *what, int error)
{
    bench_fixture_die_msg(what, strerror(error));
}

void
bench_fixture_open(struct bench_fixture *fx, const char *program)
{
    struct netdev *nd[3];
    struct smap opts;
    char *err = NULL;
    uint32_t no;
    int error;

    memset(fx, 0, sizeof *fx);
    bench_fixture_program = program;
    if (dpdk_init("--no-huge -m 512", &err)) {
        bench_fixture_die_msg("dpdk_init", err);
    }
    netdev_register_builtin_providers();
    rcu_init();
    error = dpif_create("bench", &fx->dp);
    if (error) {
        bench_fixture_die("dpif_create", error);
    }
    smap_init(&opts);
    smap_replace(&opts, "dpdk-devargs", "net_null0,no-rx=1");
    if (netdev_open("p0", "dummy", NULL, &nd[0], &err) ||
        netdev_open("p1", "dummy", NULL, &nd[1], &err) ||
        netdev_open("sink", "dpdk", &opts, &nd[2], &err)) {
        bench_fixture_die_msg("netdev_open", err);
    }
    smap_destroy(&opts);
    for (int i = 0; i < 3; i++) {
        no = i;
        error = dpif_port_add(fx->dp, nd[i], &no);
        if (error) {
            bench_fixture_die("dpif_port_add", error);
        }
        if (i == 1) {
            fx->in_port = no;
        } else if (i == 2) {
            fx->out_port = no;
        }
    }
}

void
bench_fixture_take_pmd(struct bench_fixture *fx)
{
    /* From here on this thread is the PMD. */
    fx->pmd = fx->dp->pmds[0];
    dp_pmd_stop(fx->pmd);
    fx->pool = dp_packet_default_pool();
    if (!fx->pool) {
        bench_fixture_die("dp_packet_default_pool", ENOMEM);
    }
}

static uint16_t
bench_fixture_csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;

    for (size_t i = 0; i + 1 < n; i += 2) {
        s += (uint32_t)p[i] << 8 | p[i + 1];
    }
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return (uint16_t)~s;
}

void
bench_fixture_frame(uint32_t i, uint8_t *f)
{
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2,    2,
                                    0, 0, 0, 0, 1, 0x08, 0x00};
    uint8_t *ip = f + 14, *udp = ip + 20;
    uint16_t csum;

    memset(f, 0, BENCH_FIXTURE_FRAME_LEN);
    memcpy(f, eth, sizeof eth);
    ip[0] = 0x45;
    ip[3] = 46; /* 20 + 8 + 18 */
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 10;
    ip[13] = (i >> 16) & 255;
    ip[14] = (i >> 8) & 255;
    ip[15] = i & 255;
    ip[16] = 192;
    ip[17] = 168;
    ip[18] = 0;
    ip[19] = 1;
    csum = bench_fixture_csum(ip, 20);
    ip[10] = csum >> 8;
    ip[11] = csum & 255;
    udp[0] = 1234 >> 8;
    udp[1] = 1234 & 255;
    udp[2] = 5678 >> 8;
    udp[3] = 5678 & 255;
    udp[5] = 26;
}

void
bench_fixture_shuffle(uint32_t *a, uint32_t n)
{
    uint32_t x = 42;

    for (uint32_t i = n ? n - 1 : 0; i > 0; i--) {
        uint32_t j, t;

        x = x * 1103515245u + 12345u;
        j = (x >> 8) % (i + 1);
        t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void
bench_fixture_fill(struct bench_fixture *fx, struct dp_packet_batch *batch,
                   uint32_t n, void (*write)(void *aux, uint8_t *frame),
                   void *aux)
{
    struct rte_mbuf *m[DP_PACKET_BATCH_SIZE];

    dp_packet_batch_init(batch);
    if (!n) {
        return;
    }
    if (n > DP_PACKET_BATCH_SIZE) {
        bench_fixture_die("bench_fixture_fill", EINVAL);
    }
    if (rte_pktmbuf_alloc_bulk(fx->pool, m, n)) {
        bench_fixture_die("rte_pktmbuf_alloc_bulk", ENOMEM);
    }
    for (uint32_t i = 0; i < n; i++) {
        struct dp_packet *p = dp_packet_from_mbuf(m[i]);

        write(aux, rte_pktmbuf_mtod(m[i], uint8_t *));
        m[i]->data_len = BENCH_FIXTURE_FRAME_LEN;
        m[i]->pkt_len = BENCH_FIXTURE_FRAME_LEN;
        dp_packet_reset_md(p, 0);
        dp_packet_batch_add(batch, p);
    }
}
