/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow-test-util: helpers the flow extraction tests (test-flow.c,
 * test-flow-ipv6.c) share: two packet builders, wrappers around
 * flow_extract() that also check flow_tcp_flags(), frame starters, the
 * shared sample frames and assertions on extracted keys.  Helpers fail the
 * running cmocka test on any mismatch.  Include after <cmocka.h>.
 */
#ifndef TERN_TESTS_FLOW_TEST_UTIL_H
#define TERN_TESTS_FLOW_TEST_UTIL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "tests/unit/packet-builder.h"

#define MAC1 PB_SAMPLE_MAC1
#define MAC2 PB_SAMPLE_MAC2

/* The builders every helper and test works in (too large for the stack). */
extern struct pb pb_, pb2_;

/* Checks that flow_tcp_flags() agrees with flow_extract() on every prefix
 * of the 'len' bytes at 'data' (or says it cannot tell). */
void check_tcp_flags(const uint8_t *data, size_t len);
/* Extracts 'pb' into 'key' and 'ofs' (may be NULL), after checking
 * flow_tcp_flags() on it.  The caller keeps 'pb'. */
void extract(const struct pb *pb, struct flow_key *key,
             struct flow_offsets *ofs);
/* pb_finish()es 'pb', then extracts it. */
void finish_extract(struct pb *pb, struct flow_key *key,
                    struct flow_offsets *ofs);

/* Empty 'pb' and start it with Ethernet MAC1 -> MAC2 of 'type'; then IPv4
 * 1.1.1.1 -> 2.2.2.2 TTL 1, or IPv6 ::1 -> ::2 hop limit 1. */
void eth_start(struct pb *pb, uint16_t type);
void ip4_start(struct pb *pb, uint8_t proto);
void ip6_start(struct pb *pb, uint8_t nxt);

/* True if every byte of 'f' from field offset 'from' to the end is 0. */
bool zero_from(const struct flow *f, size_t from);

#define assert_no_l3(F)                                                       \
    assert_true(zero_from(F, offsetof(struct flow, nw_src)))
#define assert_no_l4(F)                                                       \
    do {                                                                      \
        assert_int_equal((F)->tp_src, 0);                                     \
        assert_int_equal((F)->tp_dst, 0);                                     \
        assert_int_equal((F)->tcp_flags, 0);                                  \
    } while (0)

/* Fails unless 'a' and 'b' have the same hash, map and flow. */
void assert_key_identical(const struct flow_key *a, const struct flow_key *b);

/* The shared sample frames (packet-builder.h), built into pb_. */
struct pb *tcp4(void);
struct pb *udp6(void);

/* Appends 'n' bytes of 'fill' to a copy of pb_ in pb2_ and checks that
 * both extract the same. */
void expect_padding_ignored(size_t n, uint8_t fill);

/* An ND packet of ICMPv6 'type' for target fe80::2, with SLL and TLL
 * options when 'sll' and 'tll' are not NULL, built into pb_. */
struct pb *nd(uint8_t type, const char *sll, const char *tll);

#endif /* TERN_TESTS_FLOW_TEST_UTIL_H */
