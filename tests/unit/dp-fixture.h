/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-fixture: the start-up shared by the unit tests that run a datapath
 * (test-dpif, test-ofproto, test-xlate): DPDK's EAL without hugepages,
 * the built-in netdev providers and RCU, once per test program.
 */
#ifndef TERN_TESTS_DP_FIXTURE_H
#define TERN_TESTS_DP_FIXTURE_H 1

/* Starts DPDK ("--no-huge -m 256"), registers the built-in netdev
 * providers and starts RCU.  Call once, from a cmocka group setup.
 * Returns 0, or -1 after printing to stderr why DPDK did not start. */
int dp_fixture_init(void);

#endif /* tests/unit/dp-fixture.h */
