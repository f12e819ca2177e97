/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/classifier: exact and masked rules, priorities and
 * same-match chains, subtable ranking, wildcard accumulation, the batch
 * lookup against single lookups and a brute-force reference on random rule
 * sets, the subtables probed per batch key, table growth and shrinkage,
 * and lookups from an RCU reader thread while the main thread inserts,
 * replaces and removes rules.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lib/classifier.h"
#include "lib/rcu.h"
#include "lib/util.h"

#define W_PORT FLOW_WORD(in_port)
#define W_NW   FLOW_WORD(nw_src)
#define W_TP   FLOW_WORD(tp_src)
#define W_DL   FLOW_WORD(dl_dst)

/* Deterministic PRNG (xorshift64*). */
static uint64_t prng_state;

static void
prng_seed(uint64_t seed)
{
    prng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
}

static uint64_t
prng(void)
{
    prng_state ^= prng_state >> 12;
    prng_state ^= prng_state << 25;
    prng_state ^= prng_state >> 27;
    return prng_state * 0x2545f4914f6cdd1dULL;
}

/* A flow whose word 'w' is 'v' and everything else zero. */
static struct flow
flow_word(unsigned int w, uint64_t v)
{
    struct flow f;

    memset(&f, 0, sizeof f);
    flow_u64_rw(&f)[w] = v;
    return f;
}

static void
set_word(struct flow *f, unsigned int w, uint64_t v)
{
    flow_u64_rw(f)[w] = v;
}

/* A mask with word 'w' set to 'v'. */
static struct flow_wildcards
mask_word(unsigned int w, uint64_t v)
{
    struct flow_wildcards wc;

    flow_wildcards_init_catchall(&wc);
    flow_u64_rw(&wc.masks)[w] = v;
    return wc;
}

static bool
wc_equal(const struct flow_wildcards *a, const struct flow_wildcards *b)
{
    return !memcmp(a, b, sizeof *a);
}

/* Looks 'f' up in 'cls' with fresh (all-wildcarded) wildcards and checks
 * that it finds 'expect' (NULL for a miss) and that the lookup
 * un-wildcarded exactly 'mask'. */
static void
assert_lookup(const struct classifier *cls, const struct flow *f,
              const struct cls_rule *expect, const struct flow_wildcards *mask)
{
    struct flow_wildcards wc;

    flow_wildcards_init_catchall(&wc);
    assert_ptr_equal(classifier_lookup(cls, f, &wc), expect);
    assert_true(wc_equal(&wc, mask));
}

static int
teardown_rcu(void **state)
{
    rcu_synchronize();
    return 0;
}

/* ---- Basics. ---- */

static void
test_empty(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow f = flow_word(W_NW, 1);
    struct flow_wildcards wc, zero;
    const struct cls_rule *out[1];
    const struct flow *keys[1] = {&f};

    flow_wildcards_init_catchall(&wc);
    zero = wc;
    assert_null(classifier_lookup(cls, &f, &wc));
    assert_true(wc_equal(&wc, &zero));
    assert_int_equal(classifier_count(cls), 0);
    assert_int_equal(classifier_n_subtables(cls), 0);
    assert_int_equal(classifier_lookup_batch(cls, keys, 1, out), 0);
    assert_null(out[0]);
    classifier_destroy(cls);
}

static void
test_exact_rule(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow f = flow_word(W_NW, 0x0a000001);
    struct flow g = flow_word(W_NW, 0x0a000002);
    struct cls_rule r;

    set_word(&f, W_PORT, 3);
    cls_rule_init(&r, &f, NULL, 0);
    assert_int_equal(classifier_insert(cls, &r), 0);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r);
    assert_null(classifier_lookup(cls, &g, NULL));
    set_word(&g, W_NW, 0x0a000001);
    assert_null(classifier_lookup(cls, &g, NULL)); /* in_port differs. */
    assert_non_null(r.subtable);
    classifier_remove(cls, &r);
    classifier_destroy(cls);
}

static void
test_masked_rule(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_NW, 0xffffff00);
    struct flow f = flow_word(W_NW, 0x0a0000ff);
    struct cls_rule r;

    cls_rule_init(&r, &f, &m, 5);
    /* The stored key is masked. */
    assert_int_equal(flow_u64(&r.key)[W_NW], 0x0a000000);
    assert_int_equal(classifier_insert(cls, &r), 0);

    for (uint64_t low = 0; low < 256; low += 17) {
        struct flow k = flow_word(W_NW, 0x0a000000 | low);
        set_word(&k, W_TP, low * 977); /* Outside the mask: ignored. */
        assert_ptr_equal(classifier_lookup(cls, &k, NULL), &r);
    }
    struct flow miss = flow_word(W_NW, 0x0a000100);
    assert_null(classifier_lookup(cls, &miss, NULL));
    classifier_remove(cls, &r);
    classifier_destroy(cls);
}

static void
test_catchall_rule(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m;
    struct flow f = flow_word(W_NW, 1);
    struct cls_rule r;

    flow_wildcards_init_catchall(&m);
    cls_rule_init(&r, &f, &m, 0);
    assert_int_equal(classifier_insert(cls, &r), 0);
    prng_seed(1);
    for (int i = 0; i < 100; i++) {
        struct flow k = flow_word(i % FLOW_U64S, prng());
        assert_ptr_equal(classifier_lookup(cls, &k, NULL), &r);
    }

    /* The batch lookup's catch-all path. */
    struct flow keys[3] = {flow_word(W_NW, 1), flow_word(W_TP, 2), f};
    const struct flow *kp[3] = {&keys[0], &keys[1], &keys[2]};
    const struct cls_rule *out[3];
    assert_int_equal(classifier_lookup_batch(cls, kp, 3, out), 3);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(out[i], &r);
    }
    classifier_remove(cls, &r);
    assert_int_equal(classifier_n_subtables(cls), 0);
    classifier_destroy(cls);
}

static void
test_remove(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow f = flow_word(W_NW, 7);
    struct cls_rule r;

    cls_rule_init(&r, &f, NULL, 0);
    classifier_insert(cls, &r);
    assert_int_equal(classifier_count(cls), 1);
    assert_int_equal(classifier_n_subtables(cls), 1);
    classifier_remove(cls, &r);
    assert_null(r.subtable);
    assert_null(classifier_lookup(cls, &f, NULL));
    assert_int_equal(classifier_count(cls), 0);
    assert_int_equal(classifier_n_subtables(cls), 0);

    /* The same object can go back in (no reader could hold it). */
    rcu_synchronize();
    assert_int_equal(classifier_insert(cls, &r), 0);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r);
    classifier_remove(cls, &r);
    classifier_destroy(cls);
}

static void
test_hash_of_masked_key(void **state)
{
    struct flow_wildcards m = mask_word(W_NW, 0xffff0000ffffULL);
    struct flow f = flow_word(W_NW, 0x123456789abcULL);
    struct flow g = flow_word(W_NW, 0x123456789abcULL | 0xffff0000ULL);
    struct cls_rule r, s, t;

    set_word(&m.masks, W_TP, 0xffff);
    set_word(&f, W_TP, 0x5555aaaa);
    set_word(&g, W_TP, 0x7777aaaa);
    /* Bits outside the mask do not change the hash... */
    cls_rule_init(&r, &f, &m, 0);
    cls_rule_init(&s, &g, &m, 0);
    assert_int_equal(r.hash, s.hash);
    /* ...bits inside do (for this pair). */
    set_word(&g, W_TP, 0x7777aaab);
    cls_rule_init(&t, &g, &m, 0);
    assert_int_not_equal(r.hash, t.hash);
}

/* ---- Priorities. ---- */

/* Two rules that both match one flow 'f' (nw word 'nw', tp port 'tp') in
 * two subtables: 'a' on the whole nw word at priority 'pa', 'b' on the tp
 * port at priority 'pb'.  Neither is inserted. */
struct two_rules {
    struct classifier *cls;
    struct flow f;
    struct flow_wildcards m_a, m_b;
    struct cls_rule a, b;
};

static void
two_rules_init(struct two_rules *t, uint64_t nw, uint64_t tp, int pa, int pb)
{
    t->cls = classifier_create();
    t->m_a = mask_word(W_NW, 0xffffffff);
    t->m_b = mask_word(W_TP, 0xffff);
    t->f = flow_word(W_NW, nw);
    set_word(&t->f, W_TP, tp);
    cls_rule_init(&t->a, &t->f, &t->m_a, pa);
    cls_rule_init(&t->b, &t->f, &t->m_b, pb);
}

/* Removes both rules and destroys the classifier. */
static void
two_rules_destroy(struct two_rules *t)
{
    classifier_remove(t->cls, &t->a);
    classifier_remove(t->cls, &t->b);
    classifier_destroy(t->cls);
}

static void
test_priority_higher_wins(void **state)
{
    struct two_rules t;
    two_rules_init(&t, 9, 80, 10, 20); /* 'a' low, 'b' high. */

    /* Either insertion order gives the same answer. */
    classifier_insert(t.cls, &t.a);
    classifier_insert(t.cls, &t.b);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.b);
    classifier_remove(t.cls, &t.b);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.a);
    classifier_remove(t.cls, &t.a);

    rcu_synchronize();
    classifier_insert(t.cls, &t.b);
    classifier_insert(t.cls, &t.a);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.b);
    two_rules_destroy(&t);
}

static void
test_same_match_different_priority(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_NW, 0xff00);
    struct flow f = flow_word(W_NW, 0x1234);
    struct cls_rule a, b;

    cls_rule_init(&a, &f, &m, 1);
    cls_rule_init(&b, &f, &m, 2);
    assert_int_equal(classifier_insert(cls, &a), 0);
    assert_int_equal(classifier_insert(cls, &b), 0);
    assert_int_equal(classifier_count(cls), 2);
    assert_int_equal(classifier_n_subtables(cls), 1);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &b);

    /* Removing the higher one reveals the lower one. */
    classifier_remove(cls, &b);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &a);
    /* And the other way round. */
    assert_int_equal(classifier_insert(cls, &b), 0);
    classifier_remove(cls, &a);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &b);
    classifier_remove(cls, &b);
    assert_null(classifier_lookup(cls, &f, NULL));
    classifier_destroy(cls);
}

static void
test_chain_order(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow f = flow_word(W_TP, 443);
    struct cls_rule r[5];
    int prios[5] = {30, 50, 10, 40, 20};

    for (int i = 0; i < 5; i++) {
        cls_rule_init(&r[i], &f, NULL, prios[i]);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    /* The chain runs in decreasing priority. */
    const struct cls_rule *head = classifier_lookup(cls, &f, NULL);
    int last = INT32_MAX, n = 0;
    for (const struct cls_rule *p = head; p; p = p->next_same, n++) {
        assert_true(p->priority < last);
        last = p->priority;
    }
    assert_int_equal(n, 5);

    /* Removing from the middle, the head and the tail. */
    classifier_remove(cls, &r[3]); /* 40 */
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r[1]);
    classifier_remove(cls, &r[1]); /* 50 */
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r[0]);
    classifier_remove(cls, &r[2]); /* 10 */
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r[0]);
    classifier_remove(cls, &r[0]); /* 30 */
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &r[4]);
    assert_int_equal(classifier_count(cls), 1);
    classifier_remove(cls, &r[4]);
    assert_int_equal(classifier_count(cls), 0);
    classifier_destroy(cls);
}

static void
test_eexist(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_NW, 0xffff0000);
    struct flow f = flow_word(W_NW, 0x11112222);
    struct flow g = flow_word(W_NW, 0x11113333); /* Same masked key. */
    struct cls_rule a, b, c;

    cls_rule_init(&a, &f, &m, 7);
    cls_rule_init(&b, &g, &m, 7);
    cls_rule_init(&c, &g, &m, 8);
    assert_int_equal(classifier_insert(cls, &a), 0);
    assert_int_equal(classifier_insert(cls, &b), EEXIST);
    assert_null(b.subtable);
    assert_int_equal(classifier_count(cls), 1);
    assert_int_equal(classifier_insert(cls, &c), 0);
    assert_int_equal(classifier_insert(cls, &a), EEXIST);
    assert_int_equal(classifier_count(cls), 2);
    classifier_remove(cls, &a);
    classifier_remove(cls, &c);
    classifier_destroy(cls);
}

static void
test_priority_change_reorders(void **state)
{
    struct two_rules t;
    struct flow other = flow_word(W_NW, 2);
    struct cls_rule c;

    two_rules_init(&t, 1, 22, 100, 50);
    set_word(&other, W_TP, 22);
    classifier_insert(t.cls, &t.a);
    classifier_insert(t.cls, &t.b);

    /* 'a' wins and the tp subtable is never looked at. */
    assert_lookup(t.cls, &t.f, &t.a, &t.m_a);

    /* A priority-200 rule in the tp subtable moves it first. */
    cls_rule_init(&c, &other, &t.m_b, 200);
    classifier_insert(t.cls, &c);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &c);
    assert_lookup(t.cls, &t.f, &c, &t.m_b);

    /* Removing it lowers the subtable's priority again. */
    classifier_remove(t.cls, &c);
    assert_lookup(t.cls, &t.f, &t.a, &t.m_a);
    two_rules_destroy(&t);
}

static void
test_priority_rescan_ties(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m_a = mask_word(W_NW, 0xffffffff);
    struct flow_wildcards m_b = mask_word(W_TP, 0xffff);
    struct flow f = flow_word(W_NW, 1);
    struct flow g = flow_word(W_NW, 2);
    struct flow h = flow_word(W_NW, 3);
    struct flow_wildcards wc;
    struct cls_rule a10, a5, a5b, b7;

    set_word(&f, W_TP, 80);
    cls_rule_init(&a10, &g, &m_a, 10);
    cls_rule_init(&a5, &f, &m_a, 5);
    cls_rule_init(&a5b, &h, &m_a, 5);
    cls_rule_init(&b7, &f, &m_b, 7);
    classifier_insert(cls, &a10);
    classifier_insert(cls, &a5);
    classifier_insert(cls, &a5b);
    classifier_insert(cls, &b7);

    /* A (max 10) first: its 5 match does not stop the search. */
    flow_wildcards_init_catchall(&wc);
    assert_ptr_equal(classifier_lookup(cls, &f, &wc), &b7);
    assert_true(wc.masks.nw_src && wc.masks.tp_src);

    /* A's maximum drops to 5 (two rules): B goes first and suffices. */
    classifier_remove(cls, &a10);
    assert_lookup(cls, &f, &b7, &m_b);

    /* One of the two 5s goes: A stays at 5. */
    classifier_remove(cls, &a5b);
    assert_lookup(cls, &f, &b7, &m_b);

    classifier_remove(cls, &b7);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &a5);
    classifier_remove(cls, &a5);
    classifier_destroy(cls);
}

static void
test_destroy_nonempty(void **state)
{
    struct classifier *cls = classifier_create();
    struct cls_rule r[10];

    for (int i = 0; i < 10; i++) {
        struct flow_wildcards m = mask_word(W_NW, 0xffULL << i);
        struct flow f = flow_word(W_NW, 0x3ffULL);
        cls_rule_init(&r[i], &f, &m, i);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    /* The rules stay the caller's; the classifier's own memory is
     * retired (LeakSanitizer checks it is freed). */
    classifier_destroy(cls);
    rcu_synchronize();
    assert_int_equal(r[3].priority, 3);
}

/* ---- Wildcards. ---- */

static void
test_wc_single_subtable(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_NW, 0xffffff00);
    struct flow f = flow_word(W_NW, 0x0a0b0c0d);
    struct flow miss = flow_word(W_NW, 0x01010101);
    struct flow_wildcards wc;
    struct cls_rule r;

    set_word(&m.masks, W_PORT, 0xffffffff00000000ULL);
    cls_rule_init(&r, &f, &m, 0);
    classifier_insert(cls, &r);

    assert_lookup(cls, &f, &r, &m);

    /* A miss examines the subtable too. */
    assert_lookup(cls, &miss, NULL, &m);

    /* 'wc' is ORed into, not overwritten. */
    wc = mask_word(W_TP, 0xf);
    classifier_lookup(cls, &miss, &wc);
    struct flow_wildcards tp = mask_word(W_TP, 0xf);
    flow_wildcards_or(&m, &tp);
    assert_true(wc_equal(&wc, &m));
    classifier_remove(cls, &r);
    classifier_destroy(cls);
}

static void
test_wc_early_termination(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m1 = mask_word(W_NW, 0xffffffff);
    struct flow_wildcards m2 = mask_word(W_TP, 0xffff);
    struct flow_wildcards m3 = mask_word(W_DL, 0xffffffffffffULL);
    struct flow_wildcards wc, expect;
    struct flow f = flow_word(W_NW, 5);
    struct cls_rule r1, r2, r3;

    set_word(&f, W_TP, 53);
    set_word(&f, W_DL, 0xabcdef);
    cls_rule_init(&r1, &f, &m1, 300);
    cls_rule_init(&r2, &f, &m2, 200);
    cls_rule_init(&r3, &f, &m3, 100);
    classifier_insert(cls, &r3);
    classifier_insert(cls, &r1);
    classifier_insert(cls, &r2);

    /* Matches in the first subtable: the others are not examined. */
    assert_lookup(cls, &f, &r1, &m1);

    /* Misses the first, matches the second. */
    struct flow g = f;
    set_word(&g, W_NW, 6);
    flow_wildcards_init_catchall(&wc);
    assert_ptr_equal(classifier_lookup(cls, &g, &wc), &r2);
    expect = m1;
    flow_wildcards_or(&expect, &m2);
    assert_true(wc_equal(&wc, &expect));

    /* Misses everything: all three. */
    struct flow h = flow_word(W_PORT, 1);
    flow_wildcards_init_catchall(&wc);
    assert_null(classifier_lookup(cls, &h, &wc));
    flow_wildcards_or(&expect, &m3);
    assert_true(wc_equal(&wc, &expect));

    classifier_remove(cls, &r1);
    classifier_remove(cls, &r2);
    classifier_remove(cls, &r3);
    classifier_destroy(cls);
}

/* ---- Replace, find_exact, for_each, counts. ---- */

static void
test_replace(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_TP, 0xffff);
    struct flow f = flow_word(W_TP, 8080);
    struct cls_rule old, new_, hi, lo, mid2;

    cls_rule_init(&old, &f, &m, 10);
    cls_rule_init(&new_, &f, &m, 10);
    classifier_insert(cls, &old);
    classifier_replace(cls, &old, &new_);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &new_);
    assert_null(old.subtable);
    assert_non_null(new_.subtable);
    assert_int_equal(classifier_count(cls), 1);
    assert_ptr_equal(classifier_find_exact(cls, &f, &m, 10), &new_);

    /* In the middle of a chain. */
    cls_rule_init(&hi, &f, &m, 20);
    cls_rule_init(&lo, &f, &m, 5);
    classifier_insert(cls, &hi);
    classifier_insert(cls, &lo);
    cls_rule_init(&mid2, &f, &m, 10);
    classifier_replace(cls, &new_, &mid2);
    assert_ptr_equal(classifier_find_exact(cls, &f, &m, 10), &mid2);
    assert_ptr_equal(hi.next_same, &mid2);
    assert_ptr_equal(mid2.next_same, &lo);
    classifier_remove(cls, &hi);
    assert_ptr_equal(classifier_lookup(cls, &f, NULL), &mid2);
    assert_int_equal(classifier_count(cls), 2);
    classifier_remove(cls, &mid2);
    classifier_remove(cls, &lo);
    classifier_destroy(cls);
}

static void
test_find_exact(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m = mask_word(W_NW, 0xffffff00);
    struct flow_wildcards m2 = mask_word(W_NW, 0xffff0000);
    struct flow f = flow_word(W_NW, 0x0a000001);
    struct flow g = flow_word(W_NW, 0x0a0000fe); /* Same under 'm'. */
    struct cls_rule r, e;

    cls_rule_init(&r, &f, &m, 3);
    cls_rule_init(&e, &f, NULL, 3);
    classifier_insert(cls, &r);
    classifier_insert(cls, &e);
    assert_ptr_equal(classifier_find_exact(cls, &g, &m, 3), &r);
    assert_null(classifier_find_exact(cls, &g, &m, 4));
    assert_null(classifier_find_exact(cls, &g, &m2, 3));
    assert_ptr_equal(classifier_find_exact(cls, &f, NULL, 3), &e);
    assert_null(classifier_find_exact(cls, &g, NULL, 3));
    classifier_remove(cls, &r);
    assert_null(classifier_find_exact(cls, &g, &m, 3));
    classifier_remove(cls, &e);
    classifier_destroy(cls);
}

static void
count_rule_cb(const struct cls_rule *rule, void *aux)
{
    int *seen = aux;
    seen[rule->priority]++;
}

static void
test_for_each(void **state)
{
    struct classifier *cls = classifier_create();
    struct cls_rule r[60];
    int seen[60] = {0};

    /* 10 keys in 3 masks, two priorities each (chains). */
    for (int i = 0; i < 60; i++) {
        struct flow_wildcards m = mask_word(W_NW, 0xff << (8 * (i % 3)));
        struct flow f = flow_word(W_NW, (uint64_t)(i / 6 + 1) * 0x01010101);
        cls_rule_init(&r[i], &f, &m, i);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    classifier_for_each(cls, count_rule_cb, seen);
    for (int i = 0; i < 60; i++) {
        assert_int_equal(seen[i], 1);
    }
    for (int i = 0; i < 60; i += 2) {
        classifier_remove(cls, &r[i]);
    }
    memset(seen, 0, sizeof seen);
    classifier_for_each(cls, count_rule_cb, seen);
    for (int i = 0; i < 60; i++) {
        assert_int_equal(seen[i], i % 2);
    }
    /* Whole chains gone leave tombstones, which are skipped. */
    for (int i = 1; i < 30; i += 2) {
        classifier_remove(cls, &r[i]);
    }
    memset(seen, 0, sizeof seen);
    classifier_for_each(cls, count_rule_cb, seen);
    for (int i = 0; i < 60; i++) {
        assert_int_equal(seen[i], i >= 30 && i % 2);
    }
    for (int i = 31; i < 60; i += 2) {
        classifier_remove(cls, &r[i]);
    }
    classifier_destroy(cls);
}

static void
test_counts(void **state)
{
    struct classifier *cls = classifier_create();
    struct cls_rule r[40];

    for (int i = 0; i < 40; i++) {
        struct flow_wildcards m = mask_word(W_TP, (uint64_t)1 << (i % 8));
        struct flow f = flow_word(W_TP, (uint64_t)1 << (i % 8));
        cls_rule_init(&r[i], &f, &m, i);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
        assert_int_equal(classifier_count(cls), i + 1);
        assert_int_equal(classifier_n_subtables(cls), MIN(i + 1, 8));
    }
    for (int i = 0; i < 40; i++) {
        classifier_remove(cls, &r[i]);
        assert_int_equal(classifier_count(cls), 39 - i);
        assert_int_equal(classifier_n_subtables(cls), i >= 32 ? 39 - i : 8);
    }
    classifier_destroy(cls);
}

static void
test_many_masks(void **state)
{
    struct classifier *cls = classifier_create();
    enum { N = 48 };
    struct cls_rule *r = xcalloc(N, sizeof *r);

    /* Prefix masks /1 .. /48 on one word, each matching its own key. */
    for (int i = 0; i < N; i++) {
        uint64_t mask = ~UINT64_C(0) << (63 - i);
        struct flow_wildcards m = mask_word(W_DL, mask);
        struct flow f = flow_word(W_DL, UINT64_C(1) << (63 - i));
        cls_rule_init(&r[i], &f, &m, i);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    assert_int_equal(classifier_n_subtables(cls), N);
    for (int i = 0; i < N; i++) {
        struct flow k = flow_word(W_DL, UINT64_C(1) << (63 - i));
        set_word(&k, W_DL, flow_u64(&k)[W_DL] | 1); /* Below every mask. */
        assert_ptr_equal(classifier_lookup(cls, &k, NULL), &r[i]);
    }
    struct flow none = flow_word(W_DL, 0);
    assert_null(classifier_lookup(cls, &none, NULL));
    for (int i = 0; i < N; i++) {
        classifier_remove(cls, &r[i]);
    }
    classifier_destroy(cls);
    rcu_synchronize();
    free(r);
}

/* ---- Ranking. ---- */

/* Two priority-0 subtables that both match 'f': lookup returns the rule of
 * whichever is ranked first. */
static void
test_rank_by_hits(void **state)
{
    struct two_rules t;
    struct flow only_b = flow_word(W_TP, 7);
    const struct cls_rule *out[32];
    const struct flow *keys[32];

    two_rules_init(&t, 1, 7, 0, 0);
    classifier_insert(t.cls, &t.a);
    classifier_insert(t.cls, &t.b);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.a);

    /* Ranking with no hits keeps the order. */
    classifier_rank_subtables(t.cls);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.a);

    /* 'b''s subtable gets many more hits (through keys that only it
     * matches), then ranking moves it first. */
    for (int i = 0; i < 32; i++) {
        keys[i] = &only_b;
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(classifier_lookup_batch(t.cls, keys, 32, out), 32);
        assert_ptr_equal(out[31], &t.b);
    }
    classifier_rank_subtables(t.cls);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.b);
    keys[0] = &t.f;
    classifier_lookup_batch(t.cls, keys, 1, out);
    assert_ptr_equal(out[0], &t.b);

    /* Counters were reset: ranking again with hits only on 'a' (the one
     * key 'f' just counted for 'b'; now give 'a' more). */
    struct flow only_a = flow_word(W_NW, 1);
    for (int i = 0; i < 32; i++) {
        keys[i] = &only_a;
    }
    classifier_lookup_batch(t.cls, keys, 32, out);
    assert_ptr_equal(out[0], &t.a);
    classifier_rank_subtables(t.cls);
    assert_ptr_equal(classifier_lookup(t.cls, &t.f, NULL), &t.a);

    two_rules_destroy(&t);
}

static void
test_rank_priority_dominates(void **state)
{
    struct two_rules t;
    struct flow only_b = flow_word(W_TP, 7);

    two_rules_init(&t, 1, 7, 10, 5);
    classifier_insert(t.cls, &t.b);
    classifier_insert(t.cls, &t.a);
    for (int i = 0; i < 1000; i++) {
        assert_ptr_equal(classifier_lookup(t.cls, &only_b, NULL), &t.b);
    }
    classifier_rank_subtables(t.cls);
    /* The higher-priority subtable is still examined first. */
    assert_lookup(t.cls, &t.f, &t.a, &t.m_a);
    two_rules_destroy(&t);
}

/* ---- Random rule sets. ---- */

struct rand_set {
    struct classifier *cls;
    struct cls_rule *rules;
    bool *in;
    size_t n;
    struct flow_wildcards masks[12];
    size_t n_masks;
};

static void
random_mask(struct flow_wildcards *m)
{
    static const unsigned int words[] = {W_PORT, W_DL, W_NW, W_TP,
                                         FLOW_WORD(ipv6_src)};
    flow_wildcards_init_catchall(m);
    do {
        for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
            if (prng() % 3 == 0) {
                /* A mask with few bits keeps overlaps frequent. */
                uint64_t bits = prng() & prng() & prng() & 0xff00ff;
                flow_u64_rw(&m->masks)[words[i]] = bits;
            }
        }
    } while (flow_wildcards_is_catchall(m));
}

static struct flow
random_flow(void)
{
    struct flow f;

    memset(&f, 0, sizeof f);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        flow_u64_rw(&f)[i] = prng() & 0xff00ff;
    }
    return f;
}

/* Builds 'n' random rules over 'n_masks' masks; priorities are unique if
 * 'prio' is true, else all 0. */
static void
rand_set_build(struct rand_set *rs, size_t n, size_t n_masks, bool prio)
{
    rs->cls = classifier_create();
    rs->rules = xcalloc(n, sizeof *rs->rules);
    rs->in = xcalloc(n, sizeof *rs->in);
    rs->n = n;
    rs->n_masks = n_masks;
    for (size_t i = 0; i < n_masks; i++) {
        random_mask(&rs->masks[i]);
    }
    for (size_t i = 0; i < n; i++) {
        struct flow f = random_flow();
        cls_rule_init(&rs->rules[i], &f, &rs->masks[prng() % n_masks],
                      prio ? (int)i : 0);
        rs->in[i] = !classifier_insert(rs->cls, &rs->rules[i]);
    }
}

static void
rand_set_destroy(struct rand_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (rs->in[i]) {
            classifier_remove(rs->cls, &rs->rules[i]);
        }
    }
    assert_int_equal(classifier_count(rs->cls), 0);
    classifier_destroy(rs->cls);
    rcu_synchronize();
    free(rs->rules);
    free(rs->in);
}

/* A key that matches rule 'i' if there is one, else random. */
static struct flow
random_key(const struct rand_set *rs)
{
    struct flow k = random_flow();

    if (prng() % 4) {
        const struct cls_rule *r = &rs->rules[prng() % rs->n];
        for (size_t w = 0; w < FLOW_U64S; w++) {
            uint64_t m = flow_u64(&r->mask.masks)[w];
            flow_u64_rw(&k)[w] = (flow_u64(&k)[w] & ~m) | flow_u64(&r->key)[w];
        }
    }
    return k;
}

static const struct cls_rule *
brute_force(const struct rand_set *rs, const struct flow *k)
{
    const struct cls_rule *best = NULL;

    for (size_t i = 0; i < rs->n; i++) {
        const struct cls_rule *r = &rs->rules[i];
        if (rs->in[i] && flow_equal_except(k, &r->key, &r->mask) &&
            (!best || r->priority > best->priority)) {
            best = r;
        }
    }
    return best;
}

static void
test_batch_equals_single_random(void **state)
{
    struct rand_set rs;
    size_t total_hits = 0;

    prng_seed(42);
    rand_set_build(&rs, 3000, 10, false);
    for (int round = 0; round < 200; round++) {
        struct flow keys[32];
        const struct flow *kp[32];
        const struct cls_rule *out[32];
        size_t n = round % 33, n_hit = 0;

        for (size_t i = 0; i < n; i++) {
            keys[i] = random_key(&rs);
            kp[i] = &keys[i];
        }
        size_t matched = classifier_lookup_batch(rs.cls, kp, n, out);
        for (size_t i = 0; i < n; i++) {
            const struct cls_rule *one =
                classifier_lookup(rs.cls, kp[i], NULL);
            assert_ptr_equal(out[i], one);
            assert_true(!one == !brute_force(&rs, kp[i]));
            n_hit += one != NULL;
        }
        assert_int_equal(matched, n_hit);
        total_hits += n_hit;
        if (round % 50 == 49) {
            classifier_rank_subtables(rs.cls);
        }
    }
    assert_true(total_hits > 1000);
    rand_set_destroy(&rs);
}

static void
test_lookup_vs_brute_force(void **state)
{
    struct rand_set rs;

    prng_seed(7);
    rand_set_build(&rs, 2000, 12, true);
    for (int i = 0; i < 4000; i++) {
        struct flow k = random_key(&rs);
        struct flow_wildcards wc;
        const struct cls_rule *r;

        flow_wildcards_init_catchall(&wc);
        r = classifier_lookup(rs.cls, &k, &wc);
        assert_ptr_equal(r, brute_force(&rs, &k));

        /* Megaflow property: any key equal to 'k' on 'wc' gets the same
         * answer. */
        struct flow k2 = random_flow();
        for (size_t w = 0; w < FLOW_U64S; w++) {
            uint64_t m = flow_u64(&wc.masks)[w];
            flow_u64_rw(&k2)[w] =
                (flow_u64(&k2)[w] & ~m) | (flow_u64(&k)[w] & m);
        }
        assert_ptr_equal(classifier_lookup(rs.cls, &k2, NULL), r);

        /* Remove some rules as we go, to exercise priority rescans. */
        if (i % 8 == 0) {
            size_t j = prng() % rs.n;
            if (rs.in[j]) {
                classifier_remove(rs.cls, &rs.rules[j]);
                rs.in[j] = false;
            }
        }
    }
    rand_set_destroy(&rs);
}

/* classifier_lookup_batch_counted() reports, per key, the rank of the
 * subtable where it matched (the number of subtables probed), 0 for a
 * miss, and agrees with classifier_lookup_batch(). */
static void
test_batch_probes(void **state)
{
    struct classifier *cls = classifier_create();
    struct flow_wildcards m[4] = {
        mask_word(W_NW, 0xffffffff),
        mask_word(W_TP, 0xffff),
        mask_word(W_DL, UINT64_MAX),
    };
    struct flow f = flow_word(W_NW, 1);
    struct cls_rule r[4];
    struct flow keys[32];
    const struct flow *kp[32];
    const struct cls_rule *out[32], *out2[32];
    uint32_t probes[32];
    const uint32_t want[6] = {1, 2, 3, 0, 1, 2};

    set_word(&f, W_TP, 7);
    set_word(&f, W_DL, 9);
    for (int i = 0; i < 3; i++) {
        cls_rule_init(&r[i], &f, &m[i], 0);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    /* Inserted in order with equal priorities: ranked 1st, 2nd, 3rd. */
    keys[0] = flow_word(W_NW, 1);
    keys[1] = flow_word(W_TP, 7);
    keys[2] = flow_word(W_DL, 9);
    keys[3] = flow_word(W_NW, 2);
    keys[4] = f;
    keys[5] = keys[1];
    set_word(&keys[5], W_DL, 9);
    for (int i = 0; i < 32; i++) {
        if (i >= 6) {
            keys[i] = keys[i % 6];
        }
        kp[i] = &keys[i];
        probes[i] = 99;
    }
    /* Keys 3, 9, 15, 21 and 27 miss. */
    assert_int_equal(classifier_lookup_batch_counted(cls, kp, 32, out, probes),
                     27);
    assert_int_equal(classifier_lookup_batch(cls, kp, 32, out2), 27);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(probes[i], want[i % 6]);
        assert_ptr_equal(out[i], out2[i]);
        assert_ptr_equal(out[i], want[i % 6] ? &r[want[i % 6] - 1] : NULL);
    }

    /* A single key; NULL 'probes' is allowed. */
    assert_int_equal(
        classifier_lookup_batch_counted(cls, &kp[2], 1, out, probes), 1);
    assert_int_equal(probes[0], 3);
    assert_int_equal(
        classifier_lookup_batch_counted(cls, &kp[2], 1, out, NULL), 1);
    assert_ptr_equal(out[0], &r[2]);

    /* A catch-all subtable ranked 4th answers every key the others
     * miss. */
    flow_wildcards_init_catchall(&m[3]);
    cls_rule_init(&r[3], &f, &m[3], 0);
    assert_int_equal(classifier_insert(cls, &r[3]), 0);
    assert_int_equal(classifier_lookup_batch_counted(cls, kp, 6, out, probes),
                     6);
    assert_int_equal(probes[3], 4);
    assert_ptr_equal(out[3], &r[3]);
    assert_int_equal(probes[2], 3);

    /* Ranking by hits moves the 3rd subtable first. */
    classifier_rank_subtables(cls);
    for (int i = 0; i < 32; i++) {
        kp[i] = &keys[2];
    }
    for (int i = 0; i < 4; i++) {
        classifier_lookup_batch(cls, kp, 32, out);
    }
    classifier_rank_subtables(cls);
    assert_int_equal(classifier_lookup_batch_counted(cls, kp, 3, out, probes),
                     3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(probes[i], 1);
        assert_ptr_equal(out[i], &r[2]);
    }

    for (int i = 0; i < 4; i++) {
        classifier_remove(cls, &r[i]);
    }
    classifier_destroy(cls);
}

static void
test_batch_edges(void **state)
{
    struct classifier *cls = classifier_create();
    struct cls_rule r[32];
    struct flow keys[32];
    const struct flow *kp[32];
    const struct cls_rule *out[32];

    for (int i = 0; i < 32; i++) {
        keys[i] = flow_word(W_NW, i + 1);
        kp[i] = &keys[i];
        if (i % 2) {
            cls_rule_init(&r[i], &keys[i], NULL, 0);
            classifier_insert(cls, &r[i]);
        }
    }
    assert_int_equal(classifier_lookup_batch(cls, kp, 0, out), 0);
    assert_int_equal(classifier_lookup_batch(cls, kp, 1, out), 0);
    assert_null(out[0]);
    assert_int_equal(classifier_lookup_batch(cls, kp, 32, out), 16);
    for (int i = 0; i < 32; i++) {
        assert_ptr_equal(out[i], i % 2 ? &r[i] : NULL);
    }
    for (int i = 1; i < 32; i += 2) {
        classifier_remove(cls, &r[i]);
    }
    classifier_destroy(cls);
}

/* ---- Growth. ---- */

static void
test_large_insert_growth(void **state)
{
    enum { N = 40000 };
    struct classifier *cls = classifier_create();
    struct cls_rule *r = xcalloc(N, sizeof *r);

    for (int i = 0; i < N; i++) {
        struct flow f = flow_word(W_NW, (uint64_t)i * 2654435761u);
        set_word(&f, W_TP, i & 0xffff);
        cls_rule_init(&r[i], &f, NULL, 0);
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
        if (i % 4999 == 0) {
            rcu_run(); /* Retire old tables as a daemon would. */
        }
    }
    assert_int_equal(classifier_count(cls), N);
    assert_int_equal(classifier_n_subtables(cls), 1);
    for (int i = 0; i < N; i++) {
        assert_ptr_equal(classifier_lookup(cls, &r[i].key, NULL), &r[i]);
    }
    /* Batches too (at this load some home groups overflow). */
    for (int i = 0; i + 32 <= N; i += 32) {
        const struct flow *kp[32];
        const struct cls_rule *out[32];
        for (int j = 0; j < 32; j++) {
            kp[j] = &r[i + j].key;
        }
        assert_int_equal(classifier_lookup_batch(cls, kp, 32, out), 32);
        for (int j = 0; j < 32; j++) {
            assert_ptr_equal(out[j], &r[i + j]);
        }
    }
    /* Remove most of them: the table shrinks, the rest stay findable. */
    for (int i = 0; i < N; i++) {
        if (i % 10) {
            classifier_remove(cls, &r[i]);
        }
    }
    for (int i = 0; i < N; i++) {
        const struct cls_rule *got = classifier_lookup(cls, &r[i].key, NULL);
        assert_ptr_equal(got, i % 10 ? NULL : &r[i]);
    }
    /* Churn: insert back and remove again (reuses tombstones). */
    for (int i = 1; i < N; i += 10) {
        assert_int_equal(classifier_insert(cls, &r[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        const struct cls_rule *got = classifier_lookup(cls, &r[i].key, NULL);
        assert_ptr_equal(got, i % 10 > 1 ? NULL : &r[i]);
    }
    for (int i = 0; i < N; i++) {
        if (i % 10 <= 1) {
            classifier_remove(cls, &r[i]);
        }
    }
    assert_int_equal(classifier_count(cls), 0);
    classifier_destroy(cls);
    rcu_synchronize();
    free(r);
}

/* ---- Concurrency. ---- */

#define CONC_KEYS  64
#define CONC_MAGIC 0x52554c45u

struct conc_rule {
    struct cls_rule cr;
    uint32_t magic;
    _Atomic uint64_t removed_at; /* 'conc_gen' after removal, else 0. */
    int key;
};

static struct classifier *conc_cls;
static struct flow conc_keys[CONC_KEYS];
static _Atomic uint64_t conc_gen;
static atomic_bool conc_stop;
static _Atomic uint64_t conc_lookups, conc_found, conc_errors;

static void *
conc_reader(void *arg)
{
    uint64_t n = 0, found = 0;

    if (rcu_register_reader()) {
        atomic_fetch_add(&conc_errors, 1);
    }
    while (!atomic_load(&conc_stop)) {
        for (int i = 0; i < CONC_KEYS; i++) {
            uint64_t g0 = atomic_load(&conc_gen);
            const struct cls_rule *r =
                classifier_lookup(conc_cls, &conc_keys[i], NULL);
            if (r) {
                const struct conc_rule *c =
                    CONTAINER_OF(r, struct conc_rule, cr);
                uint64_t ra = atomic_load(&c->removed_at);
                if (c->magic != CONC_MAGIC || (ra && ra <= g0) ||
                    !flow_equal_except(&conc_keys[i], &r->key, &r->mask)) {
                    atomic_fetch_add(&conc_errors, 1);
                }
                found++;
            }
            n++;
        }
        if (n % 4096 < CONC_KEYS) {
            /* Batches too. */
            const struct flow *kp[32];
            const struct cls_rule *out[32];
            for (int i = 0; i < 32; i++) {
                kp[i] = &conc_keys[i];
            }
            classifier_lookup_batch(conc_cls, kp, 32, out);
        }
        rcu_quiesce();
    }
    rcu_unregister_reader();
    atomic_store(&conc_lookups, n);
    atomic_store(&conc_found, found);
    return NULL;
}

static void
conc_retire(struct classifier *cls, struct conc_rule *c)
{
    atomic_store(&c->removed_at, atomic_load(&conc_gen) + 1);
    atomic_fetch_add(&conc_gen, 1);
    rcu_postpone(free, c);
}

static struct conc_rule *
conc_new(int key, int prio)
{
    struct conc_rule *c = xzalloc(sizeof *c);
    struct flow_wildcards m;

    /* Three masks, so subtables come and go. */
    flow_wildcards_init_exact(&m);
    if (key % 3 == 1) {
        m = mask_word(W_NW, 0xffffffff);
    } else if (key % 3 == 2) {
        m = mask_word(W_NW, 0xffffffff);
        set_word(&m.masks, W_TP, 0xffff);
    }
    cls_rule_init(&c->cr, &conc_keys[key], &m, prio);
    c->magic = CONC_MAGIC;
    c->key = key;
    return c;
}

static void
test_concurrent_readers(void **state)
{
    enum { SLOTS = 2 * CONC_KEYS, OPS = 30000 };
    struct conc_rule *live[SLOTS] = {NULL};
    pthread_t reader;

    rcu_init();
    conc_cls = classifier_create();
    for (int i = 0; i < CONC_KEYS; i++) {
        conc_keys[i] = flow_word(W_NW, 0x0a000000 + i);
        set_word(&conc_keys[i], W_TP, 1000 + i);
    }
    atomic_store(&conc_stop, false);
    atomic_store(&conc_errors, 0);
    assert_int_equal(pthread_create(&reader, NULL, conc_reader, NULL), 0);

    prng_seed(99);
    for (int op = 0; op < OPS; op++) {
        int s = prng() % SLOTS;
        int key = s % CONC_KEYS;
        int prio = s / CONC_KEYS; /* Two priorities per key. */

        if (!live[s]) {
            live[s] = conc_new(key, prio);
            assert_int_equal(classifier_insert(conc_cls, &live[s]->cr), 0);
        } else if (prng() % 4 == 0) {
            struct conc_rule *n = conc_new(key, prio);
            classifier_replace(conc_cls, &live[s]->cr, &n->cr);
            conc_retire(conc_cls, live[s]);
            live[s] = n;
        } else {
            classifier_remove(conc_cls, &live[s]->cr);
            conc_retire(conc_cls, live[s]);
            live[s] = NULL;
        }
        if (op % 64 == 0) {
            rcu_run();
        }
        if (op % 5000 == 0) {
            classifier_rank_subtables(conc_cls);
        }
    }
    atomic_store(&conc_stop, true);
    pthread_join(reader, NULL);

    assert_int_equal(atomic_load(&conc_errors), 0);
    assert_true(atomic_load(&conc_lookups) > 0);
    assert_true(atomic_load(&conc_found) > 0);

    for (int s = 0; s < SLOTS; s++) {
        if (live[s]) {
            classifier_remove(conc_cls, &live[s]->cr);
            conc_retire(conc_cls, live[s]);
        }
    }
    assert_int_equal(classifier_count(conc_cls), 0);
    assert_int_equal(classifier_n_subtables(conc_cls), 0);
    classifier_destroy(conc_cls);
    rcu_synchronize();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_exact_rule),
        cmocka_unit_test(test_masked_rule),
        cmocka_unit_test(test_catchall_rule),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_hash_of_masked_key),
        cmocka_unit_test(test_priority_higher_wins),
        cmocka_unit_test(test_same_match_different_priority),
        cmocka_unit_test(test_chain_order),
        cmocka_unit_test(test_eexist),
        cmocka_unit_test(test_priority_change_reorders),
        cmocka_unit_test(test_priority_rescan_ties),
        cmocka_unit_test(test_destroy_nonempty),
        cmocka_unit_test(test_wc_single_subtable),
        cmocka_unit_test(test_wc_early_termination),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_find_exact),
        cmocka_unit_test(test_for_each),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_many_masks),
        cmocka_unit_test(test_rank_by_hits),
        cmocka_unit_test(test_rank_priority_dominates),
        cmocka_unit_test(test_batch_equals_single_random),
        cmocka_unit_test(test_lookup_vs_brute_force),
        cmocka_unit_test(test_batch_edges),
        cmocka_unit_test(test_batch_probes),
        cmocka_unit_test(test_large_insert_growth),
        cmocka_unit_test(test_concurrent_readers),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_rcu);
}
