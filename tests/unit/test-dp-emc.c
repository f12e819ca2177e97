/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for datapath/dp-emc: hits and misses, replacement of the same
 * key, eviction from a full bucket, keys that differ in a single word or
 * only in their map, purging dead flows, clearing and counting.  Keys are
 * built directly (words, then flow_key_finish() or a forced hash to aim
 * several keys at one bucket).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "datapath/dp-emc.h"
#include "lib/util.h"

struct test_flow {
    int id;
    bool dead;
};

/* A finished key with word 'w' = 'v' and word 0 = 'base'. */
static struct flow_key
make_key(uint64_t base, unsigned int w, uint64_t v)
{
    struct flow_key k;

    memset(&k, 0, sizeof k);
    flow_u64_rw(&k.flow)[0] = base;
    flow_u64_rw(&k.flow)[w] = v;
    flow_key_finish(&k);
    return k;
}

static bool
is_dead(const void *flow)
{
    return ((const struct test_flow *)flow)->dead;
}

static void
test_miss_on_empty(void **state)
{
    struct dp_emc *emc = dp_emc_create(DP_EMC_DEFAULT_ENTRIES);
    struct flow_key k = make_key(1, 5, 2);

    assert_null(dp_emc_lookup(emc, &k));
    assert_int_equal(dp_emc_count(emc), 0);
    dp_emc_destroy(emc);
    dp_emc_destroy(NULL);
}

static void
test_hit(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key k = make_key(1, 7, 0x0a000001);
    struct flow_key copy = k;
    struct test_flow f = {1, false};

    dp_emc_insert(emc, &k, &f);
    /* The key was copied: changing the caller's key changes nothing. */
    flow_u64_rw(&k.flow)[7] = 99;
    assert_ptr_equal(dp_emc_lookup(emc, &copy), &f);
    assert_int_equal(dp_emc_count(emc), 1);
    dp_emc_destroy(emc);
}

static void
test_miss_other_key(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key a = make_key(1, 7, 1);
    struct flow_key b = make_key(1, 7, 2);
    struct test_flow f = {1, false};

    dp_emc_insert(emc, &a, &f);
    assert_null(dp_emc_lookup(emc, &b));
    dp_emc_destroy(emc);
}

static void
test_replace_same_key(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key k = make_key(3, 9, 4);
    struct test_flow f1 = {1, false}, f2 = {2, false};

    dp_emc_insert(emc, &k, &f1);
    dp_emc_insert(emc, &k, &f2);
    assert_ptr_equal(dp_emc_lookup(emc, &k), &f2);
    assert_int_equal(dp_emc_count(emc), 1);

    /* Inserting NULL drops the entry. */
    dp_emc_insert(emc, &k, NULL);
    assert_null(dp_emc_lookup(emc, &k));
    assert_int_equal(dp_emc_count(emc), 0);
    dp_emc_destroy(emc);
}

static void
test_eviction_full_bucket(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key k[DP_EMC_WAYS + 1];
    struct test_flow f[DP_EMC_WAYS + 1];
    int present = 0;

    /* Same hash (forced), different words: one bucket. */
    for (int i = 0; i <= DP_EMC_WAYS; i++) {
        k[i] = make_key(1, 4, 100 + i);
        k[i].hash = 0x12345678;
        f[i] = (struct test_flow){i, false};
    }
    for (int i = 0; i < DP_EMC_WAYS; i++) {
        dp_emc_insert(emc, &k[i], &f[i]);
    }
    for (int i = 0; i < DP_EMC_WAYS; i++) {
        assert_ptr_equal(dp_emc_lookup(emc, &k[i]), &f[i]);
    }
    assert_int_equal(dp_emc_count(emc), DP_EMC_WAYS);

    dp_emc_insert(emc, &k[DP_EMC_WAYS], &f[DP_EMC_WAYS]);
    assert_ptr_equal(dp_emc_lookup(emc, &k[DP_EMC_WAYS]), &f[DP_EMC_WAYS]);
    for (int i = 0; i < DP_EMC_WAYS; i++) {
        const void *got = dp_emc_lookup(emc, &k[i]);
        assert_true(got == NULL || got == &f[i]);
        present += got != NULL;
    }
    assert_int_equal(present, DP_EMC_WAYS - 1);
    assert_int_equal(dp_emc_count(emc), DP_EMC_WAYS);
    dp_emc_destroy(emc);
}

static void
test_keys_differ_in_one_word(void **state)
{
    struct dp_emc *emc = dp_emc_create(1024);
    struct flow_key k[FLOW_U64S];
    struct test_flow f[FLOW_U64S];

    /* Every key equal to a base key except in word 'w' (the base key has
     * all words set, so the maps are equal). */
    for (unsigned int w = 0; w < FLOW_U64S; w++) {
        memset(&k[w], 0, sizeof k[w]);
        for (unsigned int i = 0; i < FLOW_U64S; i++) {
            flow_u64_rw(&k[w].flow)[i] = 0x1000 + i + (i == w ? 0x77 : 0);
        }
        flow_key_finish(&k[w]);
        f[w] = (struct test_flow){w, false};
        dp_emc_insert(emc, &k[w], &f[w]);
    }
    for (unsigned int w = 0; w < FLOW_U64S; w++) {
        void *got = dp_emc_lookup(emc, &k[w]);
        /* May have been evicted by a collision, never confused. */
        assert_true(got == NULL || got == &f[w]);
    }

    /* With the hash forced equal, only the word tells them apart. */
    struct flow_key a = k[0], b = k[1];
    a.hash = b.hash = 77;
    dp_emc_clear(emc);
    dp_emc_insert(emc, &a, &f[0]);
    assert_null(dp_emc_lookup(emc, &b));
    dp_emc_insert(emc, &b, &f[1]);
    assert_ptr_equal(dp_emc_lookup(emc, &a), &f[0]);
    assert_ptr_equal(dp_emc_lookup(emc, &b), &f[1]);
    dp_emc_destroy(emc);
}

static void
test_keys_differ_in_map(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key a = make_key(5, 6, 0);
    struct flow_key b = a;
    struct test_flow f = {1, false};

    /* Same words, same hash, but 'b' claims one more word in its map. */
    b.map |= UINT64_C(1) << 6;
    b.hash = a.hash;
    dp_emc_insert(emc, &a, &f);
    assert_ptr_equal(dp_emc_lookup(emc, &a), &f);
    assert_null(dp_emc_lookup(emc, &b));
    dp_emc_destroy(emc);
}

static void
test_hash_differs(void **state)
{
    struct dp_emc *emc = dp_emc_create(64);
    struct flow_key a = make_key(5, 6, 8);
    struct flow_key b = a;
    struct test_flow f = {1, false};

    b.hash ^= 1u << 31; /* Same bucket, different hash. */
    dp_emc_insert(emc, &a, &f);
    assert_null(dp_emc_lookup(emc, &b));
    dp_emc_destroy(emc);
}

static void
test_purge_dead(void **state)
{
    enum { N = 200 };
    struct dp_emc *emc = dp_emc_create(4096);
    struct flow_key k[N];
    struct test_flow f[N];
    size_t n_in, n_dead_in = 0;

    for (int i = 0; i < N; i++) {
        k[i] = make_key(i + 1, 8, i * 31);
        f[i] = (struct test_flow){i, false};
        dp_emc_insert(emc, &k[i], &f[i]);
    }
    n_in = dp_emc_count(emc);
    assert_true(n_in > N / 2);
    for (int i = 0; i < N; i += 3) {
        f[i].dead = true;
        n_dead_in += dp_emc_lookup(emc, &k[i]) != NULL;
    }
    assert_int_equal(dp_emc_purge(emc, is_dead), n_dead_in);
    assert_int_equal(dp_emc_count(emc), n_in - n_dead_in);
    for (int i = 0; i < N; i++) {
        void *got = dp_emc_lookup(emc, &k[i]);
        if (i % 3 == 0) {
            assert_null(got);
        } else {
            assert_true(got == NULL || got == &f[i]);
        }
    }
    /* Nothing left to purge. */
    assert_int_equal(dp_emc_purge(emc, is_dead), 0);
    dp_emc_destroy(emc);
}

static void
test_clear(void **state)
{
    struct dp_emc *emc = dp_emc_create(256);
    struct flow_key k[50];
    struct test_flow f = {1, false};

    for (int i = 0; i < 50; i++) {
        k[i] = make_key(i + 1, 2, 3);
        dp_emc_insert(emc, &k[i], &f);
    }
    assert_true(dp_emc_count(emc) > 0);
    dp_emc_clear(emc);
    assert_int_equal(dp_emc_count(emc), 0);
    for (int i = 0; i < 50; i++) {
        assert_null(dp_emc_lookup(emc, &k[i]));
    }
    dp_emc_insert(emc, &k[0], &f);
    assert_ptr_equal(dp_emc_lookup(emc, &k[0]), &f);
    assert_int_equal(dp_emc_count(emc), 1);
    dp_emc_destroy(emc);
}

static void
test_count_and_minimum_size(void **state)
{
    /* 5 entries round up to the minimum of 16. */
    struct dp_emc *emc = dp_emc_create(5);
    struct test_flow *f = xcalloc(1000, sizeof *f);
    size_t hits = 0;

    for (int i = 0; i < 1000; i++) {
        struct flow_key k = make_key(i + 1, 3, i);
        dp_emc_insert(emc, &k, &f[i]);
        assert_true(dp_emc_count(emc) <= 16);
    }
    assert_int_equal(dp_emc_count(emc), 16); /* Every slot in use. */
    for (int i = 0; i < 1000; i++) {
        struct flow_key k = make_key(i + 1, 3, i);
        void *got = dp_emc_lookup(emc, &k);
        assert_true(got == NULL || got == &f[i]);
        hits += got != NULL;
    }
    assert_int_equal(hits, 16);
    dp_emc_destroy(emc);
    free(f);
}

static void
test_default_size_holds_most(void **state)
{
    enum { N = DP_EMC_DEFAULT_ENTRIES / 2 };
    struct dp_emc *emc = dp_emc_create(DP_EMC_DEFAULT_ENTRIES);
    struct test_flow *f = xcalloc(N, sizeof *f);
    size_t hits = 0;

    for (int i = 0; i < N; i++) {
        struct flow_key k = make_key(0x0800, 7, 0x0a000000 + i);
        dp_emc_insert(emc, &k, &f[i]);
    }
    for (int i = 0; i < N; i++) {
        struct flow_key k = make_key(0x0800, 7, 0x0a000000 + i);
        void *got = dp_emc_lookup(emc, &k);
        assert_true(got == NULL || got == &f[i]);
        hits += got != NULL;
    }
    /* Half full with 2 ways: only a third key in a bucket evicts (about 10%
     * of keys at this load). */
    assert_true(hits > N * 8 / 10);
    assert_int_equal(dp_emc_count(emc), hits);
    dp_emc_destroy(emc);
    free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_miss_on_empty),
        cmocka_unit_test(test_hit),
        cmocka_unit_test(test_miss_other_key),
        cmocka_unit_test(test_replace_same_key),
        cmocka_unit_test(test_eviction_full_bucket),
        cmocka_unit_test(test_keys_differ_in_one_word),
        cmocka_unit_test(test_keys_differ_in_map),
        cmocka_unit_test(test_hash_differs),
        cmocka_unit_test(test_purge_dead),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_count_and_minimum_size),
        cmocka_unit_test(test_default_size_holds_most),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
