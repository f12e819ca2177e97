/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-flow-simple: unit tests for the simple-key path's two halves:
 * flow_extract_simple() must give, for every frame it accepts, the same
 * words flow_extract() gives (checked on a family of frames and on a
 * quarter of a million random mutations of them), and accept every frame of
 * the plain shape; classifier_lookup_batch_words() must refuse to look up
 * when a subtable's mask reads a word the keys do not hold, and otherwise
 * find what classifier_lookup_batch() finds.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/classifier.h"
#include "lib/flow.h"
#include "lib/rcu.h"
#include "tests/unit/packet-builder.h"

static struct pb pb;

static const struct flow_md md = {
    .recirc_id = 7,
    .in_port = 3,
    .dp_hash = 0x12345678,
    .pkt_mark = 9,
};

/* True if flow_extract() found the shape flow_extract_simple() serves. */
static bool
plain_shape(const struct flow_key *k, const struct flow_offsets *o)
{
    return k->flow.dl_type == htons(ETH_TYPE_IP) && o->l3 == ETH_HEADER_LEN &&
           !k->flow.nw_frag &&
           (k->flow.nw_proto == IPPROTO_TCP ||
            k->flow.nw_proto == IPPROTO_UDP) &&
           o->l4 != FLOW_OFS_NONE;
}

/* Runs both extractions on the 'len' bytes at 'data' and checks that they
 * agree.  Returns whether flow_extract_simple() accepted the frame. */
static bool
check_frame(const uint8_t *data, size_t len)
{
    struct flow_key full;
    struct flow_offsets ofs;
    struct flow simple;
    /* A copy of exactly 'len' bytes, so that ASan sees any over-read. */
    uint8_t *copy = malloc(len ? len : 1);
    bool ok;

    memcpy(copy, data, len);
    flow_extract(copy, len, &md, &full, &ofs);
    memset(&simple, 0xa5, sizeof simple);
    ok = flow_extract_simple(copy, len, &md, &simple);
    assert_int_equal(ok, plain_shape(&full, &ofs));
    if (ok) {
        for (uint64_t m = FLOW_SIMPLE_WORDS; m; m &= m - 1) {
            unsigned int w = __builtin_ctzll(m);

            assert_memory_equal((const char *)&simple + w * 8,
                                (const char *)&full.flow + w * 8, 8);
        }
    }
    free(copy);
    return ok;
}

/* Builds frame number 'i' of a family of plain and not-quite-plain frames
 * into 'pb'. */
static void
build_frame(int i)
{
    static const uint8_t opts[8] = {1, 1, 1, 1, 7, 3, 4, 0};

    pb_init(&pb);
    switch (i) {
    case 0: /* TCP with flags and payload. */
        pb_sample_tcp4(&pb);
        return;
    case 1:
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02", ETH_TYPE_IP);
        pb_ipv4(&pb, "10.1.2.3", "192.168.0.1", IPPROTO_UDP, 64);
        pb_udp(&pb, 1234, 5678);
        pb_put_zeros(&pb, 18);
        break;
    case 2: /* IP options, TOS. */
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02", ETH_TYPE_IP);
        pb_ipv4_full(&pb, "1.2.3.4", "5.6.7.8", IPPROTO_TCP, 3, 0xfc, 0x4000,
                     opts, sizeof opts);
        pb_tcp(&pb, 22, 40000, 0x1ff);
        break;
    case 3: /* First fragment: not plain. */
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02", ETH_TYPE_IP);
        pb_ipv4_full(&pb, "1.2.3.4", "5.6.7.8", IPPROTO_UDP, 3, 0, 0x2000,
                     NULL, 0);
        pb_udp(&pb, 1, 2);
        break;
    case 4: /* VLAN-tagged: not plain. */
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02",
               ETH_TYPE_VLAN_8021Q);
        pb_vlan(&pb, 10, ETH_TYPE_IP);
        pb_ipv4(&pb, "10.1.2.3", "192.168.0.1", IPPROTO_UDP, 64);
        pb_udp(&pb, 1234, 5678);
        break;
    case 5: /* ICMP: not plain. */
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02", ETH_TYPE_IP);
        pb_ipv4(&pb, "10.1.2.3", "192.168.0.1", IPPROTO_ICMP_, 64);
        pb_icmp(&pb, 8, 0);
        break;
    case 6: /* IPv6: not plain. */
        pb_sample_udp6(&pb);
        return;
    default: /* LLC/SNAP carrying IPv4: not plain. */
        pb_eth(&pb, "02:00:00:00:00:01", "02:00:00:00:00:02", 0);
        pb_snap(&pb, ETH_TYPE_IP);
        pb_ipv4(&pb, "10.1.2.3", "192.168.0.1", IPPROTO_UDP, 64);
        pb_udp(&pb, 1234, 5678);
        break;
    }
    pb_finish(&pb);
}

#define N_FRAMES 8

static void
test_family(void **state)
{
    int n_ok = 0;

    (void)state;
    for (int i = 0; i < N_FRAMES; i++) {
        build_frame(i);
        n_ok += check_frame(pb.data, pb.len);
    }
    /* Frames 0-2 are plain, 3-7 are not. */
    assert_int_equal(n_ok, 3);
}

static void
test_every_truncation(void **state)
{
    (void)state;
    for (int i = 0; i < N_FRAMES; i++) {
        build_frame(i);
        for (size_t len = 0; len <= pb.len; len++) {
            check_frame(pb.data, len);
        }
    }
}

/* Random mutations of the family's headers: bytes overwritten anywhere in
 * the first 64, the IPv4 version/IHL, total length, fragment field,
 * protocol and TCP data offset especially. */
static void
test_random_mutations(void **state)
{
    static const size_t hot[] = {12, 13, 14, 16, 17, 20, 21, 23, 46};
    unsigned int seed = 12345;
    int n_ok = 0, n_total = 250000;

    (void)state;
    for (int i = 0; i < n_total; i++) {
        uint8_t frame[128];
        size_t len;

        build_frame(rand_r(&seed) % N_FRAMES);
        len = pb.len < sizeof frame ? pb.len : sizeof frame;
        memcpy(frame, pb.data, len);
        for (int k = rand_r(&seed) % 3; k >= 0; k--) {
            size_t at = (rand_r(&seed) & 1)
                            ? hot[rand_r(&seed) % (sizeof hot / sizeof *hot)]
                            : (size_t)rand_r(&seed) % 64;
            if (at < len) {
                frame[at] = (uint8_t)rand_r(&seed);
            }
        }
        if (rand_r(&seed) % 4 == 0) {
            len = (size_t)rand_r(&seed) % (len + 1);
        }
        n_ok += check_frame(frame, len);
    }
    /* Both outcomes must have been exercised many times. */
    print_message("%d of %d mutated frames plain\n", n_ok, n_total);
    assert_true(n_ok > n_total / 20);
    assert_true(n_ok < n_total - n_total / 10);
}

/* Sets word 'w' of 'f' to 'v'. */
static void
set_word(struct flow *f, unsigned int w, uint64_t v)
{
    memcpy((char *)f + w * 8, &v, 8);
}

static void
test_lookup_words(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m;
    struct flow key, probe;
    struct cls_rule r1, r2;
    const struct cls_rule *out[2];
    const struct flow *keys[2] = {&probe, &key};
    unsigned int w_nw = FLOW_WORD(nw_src), w_v6 = FLOW_WORD(ipv6_src);

    (void)state;
    /* An exact nw_src/nw_dst rule: its one word is a simple word. */
    memset(&key, 0, sizeof key);
    set_word(&key, w_nw, 0x0102030405060708ULL);
    flow_wildcards_init_catchall(&m);
    set_word(&m.masks, w_nw, UINT64_MAX);
    cls_rule_init(&r1, &key, &m, 0);
    assert_int_equal(classifier_insert(cls, &r1), 0);

    /* The probe holds garbage in every word but the simple ones. */
    memset(&probe, 0xee, sizeof probe);
    set_word(&probe, w_nw, 0x0102030405060708ULL);
    assert_true(classifier_lookup_batch_words(cls, keys, 2, FLOW_SIMPLE_WORDS,
                                              out) == 2);
    assert_ptr_equal(out[0], &r1);
    assert_ptr_equal(out[1], &r1);
    set_word(&probe, w_nw, 0x0102030405060709ULL);
    assert_true(classifier_lookup_batch_words(cls, keys, 1, FLOW_SIMPLE_WORDS,
                                              out) == 0);
    assert_null(out[0]);

    /* A second subtable whose mask reads an IPv6 word: refused. */
    assert_false(FLOW_SIMPLE_WORDS & (UINT64_C(1) << w_v6));
    flow_wildcards_init_catchall(&m);
    set_word(&m.masks, w_v6, UINT64_MAX);
    set_word(&key, w_v6, 42);
    cls_rule_init(&r2, &key, &m, 5);
    assert_int_equal(classifier_insert(cls, &r2), 0);
    assert_true(classifier_lookup_batch_words(cls, keys, 2, FLOW_SIMPLE_WORDS,
                                              out) == SIZE_MAX);
    /* With every word valid it is an ordinary lookup. */
    assert_true(classifier_lookup_batch_words(cls, keys, 2, UINT64_MAX, out) ==
                1);
    assert_ptr_equal(out[1], &r2);

    classifier_remove(cls, &r2);
    classifier_remove(cls, &r1);
    rcu_synchronize();
    classifier_destroy(cls);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_random_mutations),
        cmocka_unit_test(test_lookup_words),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
