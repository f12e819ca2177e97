/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-fixture: the switch, helpers and keys the translation tests
 * (test-xlate.c, test-xlate-fields.c) share.  Each test gets a fresh
 * switch "brx" over datapath "xl0" with dummy ports 1..3 from setup() and
 * loses it in teardown(); group_setup() starts DPDK once per program.
 * Helpers fail the running test on any error.
 */
#ifndef TERN_TESTS_XLATE_FIXTURE_H
#define TERN_TESTS_XLATE_FIXTURE_H 1

#include <stdbool.h>
#include <stdint.h>

#include "datapath/dpif.h"
#include "lib/flow.h"

struct netdev;
struct ofproto;

struct fixture {
    struct dpif *dp;
    struct netdev *p[4]; /* p[1..3] are datapath ports 1..3. */
    struct ofproto *ofproto;
};

/* MAC addresses of the test hosts. */
extern const char *const MAC_A;
extern const char *const MAC_B;
/* ovs-dpctl keys: TCP 10.0.0.1:1000 -> 10.0.0.2:80 on port 1, and an MPLS
 * packet (label 100, TTL 64, one entry) on port 1. */
extern const char *const TCP_KEY;
extern const char *const MPLS_KEY;

/* Add or modify (strictly) a flow, add a group, in ovs-ofctl syntax. */
void add_flow(struct ofproto *, const char *text);
void mod_flow(struct ofproto *, const char *text);
void add_group(struct ofproto *, const char *text);

/* The key written in ovs-dpctl syntax in 'text'. */
struct flow key(const char *text);
/* An Ethernet key from 'src' to 'dst' on 'in_port', tagged with 'vid'
 * unless it is negative. */
struct flow eth_key(uint32_t in_port, const char *src, const char *dst,
                    int vid);
/* The key of the second pass of MPLS_KEY's packet, IPv4 from 'src'. */
struct flow inner_key(uint32_t recirc_id, const char *src);

/* A translation: its error, the id of its last DPA_RECIRC (0 if none),
 * its actions and its megaflow as ovs-dpctl text, and its mask. */
struct result {
    int error;
    uint32_t recirc_id; /* Of the last DPA_RECIRC, 0 if none. */
    char actions[1024];
    char megaflow[1024];
    struct flow_wildcards wc;
};

/* Translates 'flow' through 'ofproto' into 'r' (MAC learning on), or with
 * learning as 'learn' says.  The action list must validate. */
void xlate(struct ofproto *, const struct flow *, struct result *r);
void xlate_opts(struct ofproto *, const struct flow *, bool learn,
                struct result *r);

#define assert_actions(R, S) assert_string_equal((R)->actions, S)

/* cmocka fixtures: per test (setup, teardown) and per program. */
int setup(void **state);
int teardown(void **state);
int group_setup(void **state);

#endif /* TERN_TESTS_XLATE_FIXTURE_H */
