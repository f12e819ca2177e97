/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flow-test-util: the packet builders, extraction wrappers and assertions
 * that the flow extraction tests (test-flow.c, test-flow-ipv6.c) share.
 * Every frame goes through extract(), which also checks flow_tcp_flags()
 * against flow_extract() on each of its prefixes.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/flow-test-util.h"

/* Packets are large: keep one builder per program, not on the stack. */
struct pb pb_, pb2_;

/* Checks that flow_tcp_flags() agrees with flow_extract() on every prefix
 * of the 'len' bytes at 'data' (or says it cannot tell). */
void
check_tcp_flags(const uint8_t *data, size_t len)
{
    for (size_t n = 0; n <= len; n++) {
        struct flow_key key;
        tern_be16 flags = htons(0xffff);

        if (flow_tcp_flags(data, n, &flags)) {
            pb_extract(data, n, NULL, &key, NULL);
            assert_int_equal(flags, key.flow.tcp_flags);
        } else {
            assert_int_equal(flags, 0);
        }
    }
}

/* Every frame a test extracts also checks flow_tcp_flags(). */
void
extract(const struct pb *pb, struct flow_key *key, struct flow_offsets *ofs)
{
    check_tcp_flags(pb->data, pb->len);
    pb_extract(pb->data, pb->len, NULL, key, ofs);
}

/* pb_finish()es 'pb', then extracts it. */
void
finish_extract(struct pb *pb, struct flow_key *key, struct flow_offsets *ofs)
{
    pb_finish(pb);
    extract(pb, key, ofs);
}

/* Empties 'pb' and starts it with an Ethernet header MAC1 -> MAC2 of
 * 'type'. */
void
eth_start(struct pb *pb, uint16_t type)
{
    pb_init(pb);
    pb_eth(pb, MAC2, MAC1, type);
}

/* Starts 'pb' with Ethernet and IPv4 1.1.1.1 -> 2.2.2.2, TTL 1. */
void
ip4_start(struct pb *pb, uint8_t proto)
{
    eth_start(pb, ETH_TYPE_IP);
    pb_ipv4(pb, "1.1.1.1", "2.2.2.2", proto, 1);
}

/* Starts 'pb' with Ethernet and IPv6 ::1 -> ::2, hop limit 1. */
void
ip6_start(struct pb *pb, uint8_t nxt)
{
    eth_start(pb, ETH_TYPE_IPV6);
    pb_ipv6(pb, "::1", "::2", nxt, 1, 0, 0);
}

/* True if every byte of 'f' from field offset 'from' to the end is 0. */
bool
zero_from(const struct flow *f, size_t from)
{
    const uint8_t *b = (const uint8_t *)f;
    for (size_t i = from; i < sizeof *f; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

void
assert_key_identical(const struct flow_key *a, const struct flow_key *b)
{
    assert_int_equal(a->hash, b->hash);
    assert_int_equal(a->map, b->map);
    assert_memory_equal(&a->flow, &b->flow, sizeof a->flow);
}

/* The shared sample frames (packet-builder.h), built into pb_. */
struct pb *
tcp4(void)
{
    return pb_sample_tcp4(&pb_);
}

struct pb *
udp6(void)
{
    return pb_sample_udp6(&pb_);
}

/* Appends 'n' bytes of 'fill' to a copy of pb_ in pb2_ and compares. */
void
expect_padding_ignored(size_t n, uint8_t fill)
{
    struct flow_key a, b;
    struct flow_offsets oa, ob;

    pb2_ = pb_;
    for (size_t i = 0; i < n; i++) {
        pb_put_u8(&pb2_, fill);
    }
    extract(&pb_, &a, &oa);
    extract(&pb2_, &b, &ob);
    assert_key_identical(&a, &b);
    assert_memory_equal(&oa, &ob, sizeof oa);
}

/* An ND packet of ICMPv6 'type' for target fe80::2, with SLL and TLL
 * options when 'sll' and 'tll' are not NULL, built into pb_. */
struct pb *
nd(uint8_t type, const char *sll, const char *tll)
{
    struct pb *pb = &pb_;
    eth_start(pb, ETH_TYPE_IPV6);
    pb_ipv6(pb, "fe80::1", "ff02::1:ff00:2", IPPROTO_ICMPV6, 255, 0, 0);
    pb_nd(pb, type, "fe80::2", sll, tll);
    pb_finish(pb);
    return pb;
}
