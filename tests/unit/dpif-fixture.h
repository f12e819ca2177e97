/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-fixture: what the datapath tests (test-dpif.c, test-dpif-pmd.c)
 * share.  Each test gets datapath "dp0" with dummy ports p0 (port 0) and
 * p1 (port 1) from setup() and loses it in teardown(); group_setup()
 * starts DPDK once per program.  Packets are injected into a port's rx
 * queue and what the datapath sends is read back from the dummy device's
 * capture.  Helpers fail the running cmocka test on any error; include
 * this header after <cmocka.h>.
 */
#ifndef TERN_TESTS_DPIF_FIXTURE_H
#define TERN_TESTS_DPIF_FIXTURE_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/dpif.h"
#include "lib/dp-actions.h"
#include "lib/flow.h"
#include "lib/util.h"
#include "tests/unit/packet-builder.h"

struct netdev;

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

/* The upcall callback the tests register, with a struct uc_state as
 * 'aux': counts upcalls, keeps userspace actions' user data and answers
 * misses with output to uc->out_port (or uc->ret, or invalid actions). */
int upcall_cb(const struct dpif_upcall *up, struct dp_actions_buf *actions,
              struct flow_wildcards *wc, void *aux);

/* Polls 'cond' with 'aux' every millisecond for up to WAIT_MS; returns its
 * last answer. */
bool wait_until(bool (*cond)(void *), void *aux);

/* Builds into 'pb' a UDP packet from 10.0.0.'host':'sport' to
 * 10.0.1.1:53; returns its length. */
size_t make_udp(struct pb *pb, int host, uint16_t sport);
/* Queues make_udp(host, sport) on rx queue 0 of dummy device 'nd'. */
void inject(struct netdev *nd, int host, uint16_t sport);
/* The key of make_udp(host, sport) received on 'in_port', into 'flow'. */
void udp_key(int host, uint16_t sport, uint32_t in_port, struct flow *flow);
/* A mask with in_port and recirc_id exact, into 'wc'. */
void mask_in_port(struct flow_wildcards *wc);
/* Initialises 'b' to the single action output:'port'; the caller
 * uninitialises it. */
void actions_output(struct dp_actions_buf *b, uint32_t port);
/* Installs in_port=0, nw_src=10.0.0.'host' -> output:'port' in 'dp';
 * returns dpif_flow_put()'s error. */
int put_udp_flow(struct dpif *dp, int host, uint32_t port,
                 enum dpif_flow_put_flags flags);

/* Wait (up to WAIT_MS) for 'nd' to have sent 'n' packets, or for 'dp''s
 * counters to reach the given hit, missed and lost counts; fail the test
 * if they do not. */
void wait_tx(struct netdev *nd, size_t n);
void wait_stats(struct dpif *dp, uint64_t hit, uint64_t missed, uint64_t lost);
/* wait_until() condition: the _Atomic int at 'aux' is positive. */
bool int_reached(void *aux);

/* Runs unixctl command handler 'cmd' with 'argc' and 'argv', which must
 * succeed; returns its reply, which the caller frees. */
char *run_cmd(char *(*cmd)(int, const char *[], struct ds *), int argc,
              const char *argv[]);

struct text_wait {
    char *(*cmd)(int, const char *[], struct ds *);
    const char *needle;
};

/* wait_until() condition, with a struct text_wait as 'aux': the reply of
 * its command contains its needle. */
bool text_reached(void *aux);

/* cmocka fixtures: per test (setup, teardown; the state is a struct
 * fixture) and per program (group_setup). */
int setup(void **state);
int teardown(void **state);
int group_setup(void **state);

#endif /* TERN_TESTS_DPIF_FIXTURE_H */
