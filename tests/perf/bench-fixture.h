/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-fixture: the datapath set-up shared by the in-process benchmarks
 * bench-dp and bench-upcall.
 *
 * The fixture is a datapath "bench" with port 0 (dummy, unused), port 1
 * (dummy, the source, never polled) and port 2 (DPDK net_null with
 * no-rx=1, the sink), on DPDK memory from "--no-huge -m 512" (no hugepages
 * needed).  After bench_fixture_take_pmd() the datapath's own PMD thread is
 * stopped and the calling thread drives that PMD's state directly, one
 * burst at a time, with bench_fixture_burst().  Traffic is made of 60-byte
 * Ethernet/IPv4/UDP frames as tests/perf/benchframes.py builds them: flow i
 * from 10.(i>>16).(i>>8&255).(i&255) to 192.168.0.1, UDP 1234 -> 5678.
 *
 * Everything the fixture creates (datapath, ports, DPDK state) lives until
 * the program exits: benchmarks never tear it down.  Errors are fatal: the
 * functions print "PROGRAM: what: why" to stderr and exit(1).
 */
#ifndef BENCH_FIXTURE_H
#define BENCH_FIXTURE_H 1

#include <stdint.h>

#include "datapath/dp-pmd.h"
#include "datapath/dpif-netdev-private.h"
#include "datapath/dpif.h"
#include "lib/dp-packet.h"
#include "lib/rcu.h"

/* Bytes of every frame (64 on the wire with the FCS). */
#define BENCH_FIXTURE_FRAME_LEN 60

struct bench_fixture {
    struct dpif *dp;          /* Datapath "bench", owned by the fixture. */
    struct dp_pmd *pmd;       /* Its first PMD, once taken (else NULL). */
    struct rte_mempool *pool; /* Packet pool, once the PMD is taken. */
    uint32_t in_port;         /* Port number of the source, "p1". */
    uint32_t out_port;        /* Port number of the sink, "sink". */
};

/* Prints "PROGRAM: 'what': strerror('error')" to stderr and exits with
 * status 1.  PROGRAM is the name given to bench_fixture_open() ("bench"
 * before). */
void bench_fixture_die(const char *what, int error) __attribute__((noreturn));

/* Initialises DPDK (without hugepages), the netdev providers and RCU,
 * creates the datapath and adds its three ports to it, filling in every
 * member of 'fx' but 'pmd' and 'pool' (zeroed).  'program' (a string
 * constant, not copied) names the program in error messages.  The
 * datapath's PMD thread keeps running: the caller may still configure the
 * datapath (e.g. create a switch on it) before bench_fixture_take_pmd(). */
void bench_fixture_open(struct bench_fixture *fx, const char *program);

/* Stops the datapath's first PMD thread and makes the calling thread its
 * driver: sets fx->pmd (owned by the datapath) and fx->pool (the default
 * packet pool, owned by lib/dp-packet). */
void bench_fixture_take_pmd(struct bench_fixture *fx);

/* Writes the frame of flow 'i' into 'frame' (BENCH_FIXTURE_FRAME_LEN bytes,
 * owned by the caller). */
void bench_fixture_frame(uint32_t i, uint8_t *frame);

/* Shuffles the 'n' elements of 'a' (owned by the caller) in place in a
 * fixed order: the same 'n' always gives the same permutation. */
void bench_fixture_shuffle(uint32_t *a, uint32_t n);

/* Allocates 'n' (at most DP_PACKET_BATCH_SIZE) mbufs from fx->pool and
 * makes 'batch' (owned by the caller, its previous contents forgotten)
 * hold them as packets of BENCH_FIXTURE_FRAME_LEN bytes with cleared
 * metadata.  'write' is called once per packet, in order, with 'aux' and
 * the packet's data to fill in.  The packets belong to 'batch' and are
 * freed by whatever consumes it (bench_fixture_burst()). */
void bench_fixture_fill(struct bench_fixture *fx,
                        struct dp_packet_batch *batch, uint32_t n,
                        void (*write)(void *aux, uint8_t *frame), void *aux);

/* One PMD iteration's work on a received burst, as dp-pmd.c does it: sets
 * every packet's in_port to the source, runs dp_pmd_process(), flushes the
 * output batches to the sink and folds the iteration's counters into the
 * PMD's statistics.  Consumes the packets of 'batch'.  Inline so that the
 * benchmarks' measured functions hold the whole of it. */
static inline void
bench_fixture_burst(struct bench_fixture *fx, struct dp_packet_batch *batch)
{
    struct dp_pmd *pmd = fx->pmd;

    pmd->ports = rcu_get(fx->dp->port_map);
    for (uint32_t j = 0; j < batch->count; j++) {
        batch->packets[j]->md.md.in_port = fx->in_port;
    }
    pmd->cnt[DP_PERF_RECV] += batch->count;
    dp_pmd_process(pmd, batch);
    if (pmd->n_tx) {
        dp_pmd_flush_tx(pmd);
    }
    pmd->cnt[DP_PERF_ITER_BUSY]++;
    dp_perf_add_all(&pmd->perf, pmd->cnt);
}

#endif /* BENCH_FIXTURE_H */
