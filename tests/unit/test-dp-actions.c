/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/dp-actions: the action list builder (flat and nested
 * lists, padding) and dp_actions_validate() on well-formed lists and on
 * hand-crafted byte strings that break each rule it enforces.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>

#include "lib/dp-actions.h"

/* A hand-made list: up to 64 32-bit words, filled with put_hdr(). */
struct raw_list {
    uint32_t words[64];
    size_t len; /* Bytes. */
};

/* Appends a header with 'type' and 'len' to 'l' and returns a pointer to
 * the word after it. */
static uint8_t *
put_hdr(struct raw_list *l, uint16_t type, uint16_t len)
{
    struct dp_action a = {.type = type, .len = len};
    uint8_t *p = (uint8_t *)l->words + l->len;
    memcpy(p, &a, sizeof a);
    l->len += sizeof a;
    return p + sizeof a;
}

static void
put_word(struct raw_list *l, uint32_t w)
{
    memcpy((uint8_t *)l->words + l->len, &w, sizeof w);
    l->len += sizeof w;
}

static void
test_buf_init_empty(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.size, 0);
    /* The empty list (drop) is valid. */
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_buf_uninit(&b);
    assert_null(b.data);
}

static void
test_put_output(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    struct dpa_output o = {.port = 7};
    struct dpa_output *p = dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    assert_int_equal(p->port, 7);
    o.port = 9;
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    assert_int_equal(b.size, 16);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);

    int n = 0;
    uint32_t ports[2] = {0, 0};
    DP_ACTIONS_FOR_EACH(a, b.data, b.size)
    {
        assert_int_equal(a->type, DPA_OUTPUT);
        assert_int_equal(a->len, 8);
        assert_int_equal(dp_action_payload_len(a), 4);
        const struct dpa_output *out = dp_action_payload(a);
        ports[n++] = out->port;
    }
    assert_int_equal(n, 2);
    assert_int_equal(ports[0], 7);
    assert_int_equal(ports[1], 9);
    dp_actions_buf_uninit(&b);
}

static void
test_put_pads_and_zeroes(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    /* Userspace action with 5 bytes of userdata: payload padded to 16. */
    uint8_t *p = dp_actions_put(&b, DPA_USERSPACE, NULL, 8 + 5);
    struct dpa_userspace us = {.pid = 42, .userdata_len = 5};
    memcpy(p, &us, sizeof us);
    memcpy(p + 8, "hello", 5);
    assert_int_equal(b.size, 4 + 16);
    const struct dp_action *a = (const void *)b.data;
    assert_int_equal(a->len, 20);
    /* Padding bytes are zero. */
    assert_int_equal(b.data[4 + 13], 0);
    assert_int_equal(b.data[4 + 15], 0);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);

    /* NULL payload gives zeroes. */
    struct dpa_recirc *r = dp_actions_put(&b, DPA_RECIRC, NULL, sizeof *r);
    assert_int_equal(r->recirc_id, 0);
    dp_actions_put(&b, DPA_POP_VLAN, NULL, 0);
    assert_int_equal(b.size, 20 + 8 + 4);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_buf_uninit(&b);
}

static void
test_put_grows(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    for (uint32_t i = 0; i < 500; i++) {
        struct dpa_output o = {.port = i};
        dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    }
    assert_int_equal(b.size, 4000);
    assert_true(b.allocated >= b.size);
    uint32_t i = 0;
    DP_ACTIONS_FOR_EACH(a, b.data, b.size)
    {
        const struct dpa_output *o = dp_action_payload(a);
        assert_int_equal(o->port, i);
        i++;
    }
    assert_int_equal(i, 500);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_buf_uninit(&b);
}

static void
test_nested(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    struct dpa_output o = {.port = 1};
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    size_t ofs = dp_actions_start_nested(&b, DPA_DEC_TTL);
    o.port = 2;
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    size_t inner = dp_actions_start_nested(&b, DPA_DEC_TTL);
    dp_actions_end_nested(&b, inner);
    dp_actions_end_nested(&b, ofs);
    o.port = 3;
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);

    int n = 0;
    DP_ACTIONS_FOR_EACH(a, b.data, b.size)
    {
        if (n == 1) {
            assert_int_equal(a->type, DPA_DEC_TTL);
            assert_int_equal(a->len, 4 + 8 + 4);
            int m = 0;
            DP_ACTIONS_FOR_EACH(c, dp_action_payload(a),
                                dp_action_payload_len(a))
            {
                m++;
                if (m == 2) {
                    assert_int_equal(c->type, DPA_DEC_TTL);
                    assert_int_equal(c->len, 4);
                }
            }
            assert_int_equal(m, 2);
        }
        n++;
    }
    assert_int_equal(n, 3);
    dp_actions_buf_uninit(&b);
}

/* Builds 'levels' dec_ttl actions each nested in the previous one. */
static void
build_deep(struct dp_actions_buf *b, int levels)
{
    size_t ofs[16];
    for (int i = 0; i < levels; i++) {
        ofs[i] = dp_actions_start_nested(b, DPA_DEC_TTL);
    }
    for (int i = levels - 1; i >= 0; i--) {
        dp_actions_end_nested(b, ofs[i]);
    }
}

static void
test_validate_depth(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    build_deep(&b, DP_ACTIONS_MAX_DEPTH);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_buf_uninit(&b);

    dp_actions_buf_init(&b);
    build_deep(&b, DP_ACTIONS_MAX_DEPTH + 1);
    assert_int_equal(dp_actions_validate(b.data, b.size), EINVAL);
    dp_actions_buf_uninit(&b);
}

static void
test_validate_too_long(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    while (b.size < DP_ACTIONS_MAX_LEN) {
        struct dpa_output o = {.port = 1};
        dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    }
    assert_int_equal(b.size, DP_ACTIONS_MAX_LEN);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_put(&b, DPA_POP_VLAN, NULL, 0);
    assert_int_equal(dp_actions_validate(b.data, b.size), EINVAL);
    dp_actions_buf_uninit(&b);
}

static void
test_validate_truncated_header(void **state)
{
    (void)state;
    struct raw_list l = {.len = 0};
    put_hdr(&l, DPA_OUTPUT, 8);
    put_word(&l, 1);
    /* 2 stray bytes after a good action: not even a header. */
    assert_int_equal(dp_actions_validate(l.words, l.len + 2), EINVAL);
    assert_int_equal(dp_actions_validate(l.words, 2), EINVAL);
    assert_int_equal(dp_actions_validate(l.words, l.len), 0);
}

static void
test_validate_len_zero(void **state)
{
    (void)state;
    struct raw_list l = {.len = 0};
    put_hdr(&l, DPA_POP_VLAN, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
    /* A length shorter than the header is as bad. */
    l.len = 0;
    put_hdr(&l, DPA_POP_VLAN, 2);
    put_word(&l, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
}

static void
test_validate_len_not_multiple_of_4(void **state)
{
    (void)state;
    struct raw_list l = {.len = 0};
    put_hdr(&l, DPA_OUTPUT, 6);
    put_word(&l, 1);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
}

static void
test_validate_len_past_end(void **state)
{
    (void)state;
    struct raw_list l = {.len = 0};
    put_hdr(&l, DPA_OUTPUT, 8);
    put_word(&l, 1);
    put_hdr(&l, DPA_OUTPUT, 12); /* Claims 8 payload bytes, has 4. */
    put_word(&l, 2);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);

    /* Inside a nested list, a child may not run past its parent. */
    l.len = 0;
    put_hdr(&l, DPA_DEC_TTL, 12);
    put_hdr(&l, DPA_OUTPUT, 12);
    put_word(&l, 3);
    put_word(&l, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
}

static void
test_validate_wrong_payload_size(void **state)
{
    (void)state;
    static const struct {
        uint16_t type;
        uint16_t payload;
    } bad[] = {
        {DPA_OUTPUT, 0},     {DPA_OUTPUT, 8},    {DPA_USERSPACE, 4},
        {DPA_SET_MASKED, 8}, {DPA_PUSH_VLAN, 8}, {DPA_POP_VLAN, 4},
        {DPA_PUSH_MPLS, 4},  {DPA_POP_MPLS, 0},  {DPA_POP_MPLS, 8},
        {DPA_RECIRC, 0},     {DPA_RECIRC, 8},    {DPA_PUSH_MPLS, 12},
        {DPA_PUSH_PBB, 0},   {DPA_PUSH_PBB, 8},  {DPA_POP_PBB, 4},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct raw_list l = {.len = 0};
        put_hdr(&l, bad[i].type, 4 + bad[i].payload);
        for (uint16_t j = 0; j < bad[i].payload; j += 4) {
            put_word(&l, 0);
        }
        assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
    }

    /* dpa_set must be exactly two flows. */
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_SET_MASKED, NULL, sizeof(struct dpa_set));
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);
    dp_actions_buf_uninit(&b);
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_SET_MASKED, NULL, sizeof(struct dpa_set) + 4);
    assert_int_equal(dp_actions_validate(b.data, b.size), EINVAL);
    dp_actions_buf_uninit(&b);
}

static void
test_validate_userdata_len(void **state)
{
    (void)state;
    struct raw_list l = {.len = 0};
    /* Consistent: 6 bytes of userdata padded to 8. */
    put_hdr(&l, DPA_USERSPACE, 4 + 8 + 8);
    put_word(&l, 1);
    put_word(&l, 6);
    put_word(&l, 0);
    put_word(&l, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), 0);

    /* userdata_len larger than the payload. */
    l.len = 0;
    put_hdr(&l, DPA_USERSPACE, 4 + 8 + 8);
    put_word(&l, 1);
    put_word(&l, 9);
    put_word(&l, 0);
    put_word(&l, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);

    /* userdata_len so small that whole padding words remain. */
    l.len = 0;
    put_hdr(&l, DPA_USERSPACE, 4 + 8 + 8);
    put_word(&l, 1);
    put_word(&l, 2);
    put_word(&l, 0);
    put_word(&l, 0);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);

    /* Huge userdata_len must not wrap. */
    l.len = 0;
    put_hdr(&l, DPA_USERSPACE, 4 + 8);
    put_word(&l, 1);
    put_word(&l, UINT32_MAX);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
}

static void
test_validate_unknown_type(void **state)
{
    (void)state;
    static const uint16_t types[] = {0, DPA_N_TYPES, 999, UINT16_MAX};
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        struct raw_list l = {.len = 0};
        put_hdr(&l, types[i], 8);
        put_word(&l, 0);
        assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
    }
    /* Unknown type hidden inside a nested list. */
    struct raw_list l = {.len = 0};
    put_hdr(&l, DPA_DEC_TTL, 8);
    put_hdr(&l, 77, 4);
    assert_int_equal(dp_actions_validate(l.words, l.len), EINVAL);
}

static void
test_validate_push_vlan_tpid(void **state)
{
    (void)state;
    static const struct {
        uint16_t tpid;
        int error;
    } cases[] = {
        {ETH_TYPE_VLAN_8021Q, 0},
        {ETH_TYPE_VLAN_8021AD, 0},
        {ETH_TYPE_IP, EINVAL},
        {0, EINVAL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct dp_actions_buf b;
        dp_actions_buf_init(&b);
        struct dpa_push_vlan pv = {.tpid = htons(cases[i].tpid),
                                   .tci = htons(10)};
        dp_actions_put(&b, DPA_PUSH_VLAN, &pv, sizeof pv);
        assert_int_equal(dp_actions_validate(b.data, b.size), cases[i].error);
        dp_actions_buf_uninit(&b);
    }
}

static void
test_validate_push_mpls_ethertype(void **state)
{
    (void)state;
    static const struct {
        uint16_t et;
        int error;
    } cases[] = {
        {ETH_TYPE_MPLS, 0},
        {ETH_TYPE_MPLS_MCAST, 0},
        {ETH_TYPE_IP, EINVAL},
        {ETH_TYPE_VLAN_8021Q, EINVAL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct dp_actions_buf b;
        dp_actions_buf_init(&b);
        struct dpa_push_mpls pm = {.lse = htonl(100 << MPLS_LABEL_SHIFT),
                                   .ethertype = htons(cases[i].et)};
        dp_actions_put(&b, DPA_PUSH_MPLS, &pm, sizeof pm);
        assert_int_equal(dp_actions_validate(b.data, b.size), cases[i].error);
        dp_actions_buf_uninit(&b);
    }
}

static void
test_validate_every_type_good(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    struct dpa_output o = {.port = 1};
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    struct dpa_userspace us = {.pid = 3, .userdata_len = 0};
    dp_actions_put(&b, DPA_USERSPACE, &us, sizeof us);
    dp_actions_put(&b, DPA_SET_MASKED, NULL, sizeof(struct dpa_set));
    struct dpa_push_vlan pv = {.tpid = htons(ETH_TYPE_VLAN_8021Q)};
    dp_actions_put(&b, DPA_PUSH_VLAN, &pv, sizeof pv);
    dp_actions_put(&b, DPA_POP_VLAN, NULL, 0);
    struct dpa_push_mpls pm = {.ethertype = htons(ETH_TYPE_MPLS)};
    dp_actions_put(&b, DPA_PUSH_MPLS, &pm, sizeof pm);
    struct dpa_pop_mpls pop = {.ethertype = htons(ETH_TYPE_IP)};
    dp_actions_put(&b, DPA_POP_MPLS, &pop, sizeof pop);
    size_t ofs = dp_actions_start_nested(&b, DPA_DEC_TTL);
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    dp_actions_end_nested(&b, ofs);
    struct dpa_recirc r = {.recirc_id = 5};
    dp_actions_put(&b, DPA_RECIRC, &r, sizeof r);
    struct dpa_push_pbb pp = {.itag = htonl(100)};
    dp_actions_put(&b, DPA_PUSH_PBB, &pp, sizeof pp);
    dp_actions_put(&b, DPA_POP_PBB, NULL, 0);
    assert_int_equal(dp_actions_validate(b.data, b.size), 0);

    /* Every proper prefix that cuts an action in two is rejected. */
    size_t good = 0;
    DP_ACTIONS_FOR_EACH(a, b.data, b.size)
    {
        size_t end = (const uint8_t *)a - b.data + a->len;
        for (size_t cut = good + 1; cut < end; cut++) {
            assert_int_equal(dp_actions_validate(b.data, cut), EINVAL);
        }
        good = end;
        assert_int_equal(dp_actions_validate(b.data, good), 0);
    }
    dp_actions_buf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_init_empty),
        cmocka_unit_test(test_put_output),
        cmocka_unit_test(test_put_pads_and_zeroes),
        cmocka_unit_test(test_put_grows),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_validate_depth),
        cmocka_unit_test(test_validate_too_long),
        cmocka_unit_test(test_validate_truncated_header),
        cmocka_unit_test(test_validate_len_zero),
        cmocka_unit_test(test_validate_len_not_multiple_of_4),
        cmocka_unit_test(test_validate_len_past_end),
        cmocka_unit_test(test_validate_wrong_payload_size),
        cmocka_unit_test(test_validate_userdata_len),
        cmocka_unit_test(test_validate_unknown_type),
        cmocka_unit_test(test_validate_push_vlan_tpid),
        cmocka_unit_test(test_validate_push_mpls_ethertype),
        cmocka_unit_test(test_validate_every_type_good),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
