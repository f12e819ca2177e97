/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofproto: unit tests of the OpenFlow switch's state — flow tables,
 * groups, meters, port mods and bundles — driven through ofproto-private.h
 * on a switch built over a datapath with three dummy ports (1, 2, 3).
 * Messages for bundles are encoded with the lib/ofp-* encoders; bundle
 * replies would go to a connection, which these tests do not have (NULL).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>

#include "datapath/dpif.h"
#include "lib/dpdk.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev.h"
#include "lib/ofp-bundle.h"
#include "lib/ofp-switch.h"
#include "lib/vconn.h"
#include "lib/rcu.h"
#include "ofproto/ofproto-private.h"
#include "tests/unit/dp-fixture.h"
#include "tests/unit/test-common.h"

static char rundir[256];

/* FLOW_REMOVED messages the switch generated. */
struct removed_log {
    struct ofp_flow_removed fr[64];
    bool sent[64];
    size_t n;
};

struct fixture {
    struct dpif *dp;
    struct ofproto *ofproto;
    struct removed_log removed;
};

static void
removed_hook(const struct ofp_flow_removed *fr, bool sent, void *log_)
{
    struct removed_log *log = log_;

    if (log->n < ARRAY_SIZE(log->fr)) {
        log->fr[log->n] = *fr;
        log->sent[log->n++] = sent;
    }
}

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    static const char *names[] = {"op1", "op2", "op3"};
    char *err = NULL;

    assert_int_equal(dpif_create("ofp-dp", &f->dp), 0);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        struct netdev *nd;
        uint32_t port_no = i + 1;

        assert_int_equal(netdev_open(names[i], "dummy", NULL, &nd, &err), 0);
        assert_int_equal(dpif_port_add(f->dp, nd, &port_no), 0);
    }
    assert_int_equal(ofproto_create("br-test", f->dp, &f->ofproto), 0);
    f->ofproto->flow_removed_hook = removed_hook;
    f->ofproto->flow_removed_aux = &f->removed;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ofproto_destroy(f->ofproto);
    dpif_destroy(f->dp);
    for (int i = 0; i < 3; i++) {
        rcu_synchronize();
    }
    free(f);
    return 0;
}

/* ---- Building flow mods ---- */

struct fm {
    struct ofp_flow_mod fm;
    struct ofpbuf acts;
};

static void
fm_init(struct fm *m, enum ofp_flow_mod_command cmd, uint8_t table,
        int priority)
{
    memset(&m->fm, 0, sizeof m->fm);
    match_init_catchall(&m->fm.match);
    m->fm.command = cmd;
    m->fm.table_id = table;
    m->fm.priority = priority;
    m->fm.new_cookie = UINT64_MAX;
    m->fm.buffer_id = OFP_NO_BUFFER;
    m->fm.out_port = OFPP_ANY;
    m->fm.out_group = OFPG_ANY;
    ofpbuf_init(&m->acts, 64);
}

static void
fm_in_port(struct fm *m, uint32_t port)
{
    m->fm.match.flow.in_port = port;
    m->fm.match.wc.masks.in_port = UINT32_MAX;
}

static void
fm_dl_type(struct fm *m, uint16_t type)
{
    m->fm.match.flow.dl_type = htons(type);
    m->fm.match.wc.masks.dl_type = UINT16_MAX;
}

static void
fm_output(struct fm *m, uint32_t port)
{
    struct ofpact_output *o = ofpact_put(&m->acts, OFPACT_OUTPUT, sizeof *o);

    o->port = port;
}

static void
fm_group(struct fm *m, uint32_t group_id)
{
    struct ofpact_group *g = ofpact_put(&m->acts, OFPACT_GROUP, sizeof *g);

    g->group_id = group_id;
}

static void
fm_meter(struct fm *m, uint32_t meter_id)
{
    struct ofpact_meter *mt = ofpact_put(&m->acts, OFPACT_METER, sizeof *mt);

    mt->meter_id = meter_id;
}

static void
fm_goto(struct fm *m, uint8_t table)
{
    struct ofpact_goto_table *g =
        ofpact_put(&m->acts, OFPACT_GOTO_TABLE, sizeof *g);

    g->table_id = table;
}

static const struct ofp_flow_mod *
fm_get(struct fm *m)
{
    m->fm.ofpacts = (struct ofpact *)(void *)m->acts.data;
    m->fm.ofpacts_len = m->acts.size;
    return &m->fm;
}

static enum ofperr
fm_apply(struct ofproto *ofproto, struct fm *m, enum ofp_version v)
{
    enum ofperr error = ofproto_flow_mod_version(ofproto, fm_get(m), v);

    ofpbuf_uninit(&m->acts);
    return error;
}

/* Adds "in_port=PORT actions=output:OUT" at 'priority' in table 0. */
static enum ofperr
add_flow(struct ofproto *ofproto, uint32_t in_port, int priority,
         uint64_t cookie, uint32_t out, uint32_t flags)
{
    struct fm m;

    fm_init(&m, OFPFC_ADD, 0, priority);
    fm_in_port(&m, in_port);
    m.fm.cookie = cookie;
    m.fm.flags = flags;
    fm_output(&m, out);
    return fm_apply(ofproto, &m, OFP13_VERSION);
}

static struct rule *
find_rule(struct ofproto *ofproto, uint8_t table, uint32_t in_port,
          int priority)
{
    struct match match;

    match_init_catchall(&match);
    match.flow.in_port = in_port;
    match.wc.masks.in_port = UINT32_MAX;
    return ofproto_rule_find_exact(ofproto, table, &match, priority);
}

/* The port of the first output action of 'rule', or 0. */
static uint32_t
rule_output(const struct rule *rule)
{
    const struct rule_actions *a = rcu_get(((struct rule *)rule)->actions);

    OFPACT_FOR_EACH(p, rule_actions_ofpacts(a), a->ofpacts_len)
    {
        if (p->type == OFPACT_OUTPUT) {
            return ((const struct ofpact_output *)(const void *)p)->port;
        }
    }
    return 0;
}

/* ---- Flow tests ---- */

static void
test_add_and_replace(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct rule *r;
    struct fm m;

    assert_int_equal(add_flow(o, 1, 10, 0x11, 2, 0), 0);
    assert_int_equal(ofproto_count_rules(o), 1);
    r = find_rule(o, 0, 1, 10);
    assert_non_null(r);
    assert_int_equal(rule_output(r), 2);
    assert_int_equal(r->cookie, 0x11);
    atomic_store(&r->packet_count, 5);

    /* 1.3: the identical flow is replaced, counters carried over. */
    assert_int_equal(add_flow(o, 1, 10, 0x22, 3, 0), 0);
    assert_int_equal(ofproto_count_rules(o), 1);
    r = find_rule(o, 0, 1, 10);
    assert_int_equal(rule_output(r), 3);
    assert_int_equal(r->cookie, 0x22);
    assert_int_equal(atomic_load(&r->packet_count), 5);

    /* RESET_COUNTS clears them. */
    assert_int_equal(add_flow(o, 1, 10, 0x22, 3, OFPFF_RESET_COUNTS), 0);
    r = find_rule(o, 0, 1, 10);
    assert_int_equal(atomic_load(&r->packet_count), 0);

    /* 1.0: counters go with the old flow. */
    atomic_store(&r->packet_count, 7);
    fm_init(&m, OFPFC_ADD, OFPTT_ALL, 10); /* 1.0: table 255 is table 0. */
    fm_in_port(&m, 1);
    fm_output(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP10_VERSION), 0);
    r = find_rule(o, 0, 1, 10);
    assert_int_equal(atomic_load(&r->packet_count), 0);
    assert_int_equal(ofproto_count_rules(o), 1);

    /* Another priority is another rule. */
    assert_int_equal(add_flow(o, 1, 11, 0, 2, 0), 0);
    assert_int_equal(ofproto_count_rules(o), 2);
    assert_int_equal(o->tables[0].n_flows, 2);
}

static void
test_add_errors(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    fm_init(&m, OFPFC_ADD, OFPTT_ALL, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPFMFC_BAD_TABLE_ID);
    fm_init(&m, OFPFC_ADD, OFPROTO_N_TABLES, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPFMFC_BAD_TABLE_ID);
    fm_init(&m, OFPFC_ADD, 0, 1);
    m.fm.flags = OFPFF_EMERG;
    assert_int_equal(fm_apply(o, &m, OFP10_VERSION), OFPERR_OFPFMFC_BAD_FLAGS);

    /* Unknown meter and group, backward goto, port out of range. */
    fm_init(&m, OFPFC_ADD, 0, 1);
    fm_meter(&m, 9);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPMMFC_UNKNOWN_METER);
    fm_init(&m, OFPFC_ADD, 0, 1);
    fm_group(&m, 9);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPBAC_BAD_OUT_GROUP);
    fm_init(&m, OFPFC_ADD, 3, 1);
    fm_goto(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    fm_init(&m, OFPFC_ADD, 3, 1);
    fm_goto(&m, 4);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    fm_init(&m, OFPFC_ADD, 0, 1);
    fm_output(&m, 0x7fff0000);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(ofproto_count_rules(o), 1);

    /* Table full. */
    o->tables[0].max_flows = 2;
    assert_int_equal(add_flow(o, 1, 1, 0, 2, 0), 0);
    assert_int_equal(add_flow(o, 2, 1, 0, 2, 0), 0);
    assert_int_equal(add_flow(o, 3, 1, 0, 2, 0), OFPERR_OFPFMFC_TABLE_FULL);
    /* Replacing an identical flow still works in a full table. */
    assert_int_equal(add_flow(o, 2, 1, 0, 3, 0), 0);
    assert_int_equal(o->tables[0].n_flows, 2);
}

static void
test_check_overlap(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(add_flow(o, 1, 10, 0, 2, 0), 0);
    /* ip at the same priority overlaps in_port=1. */
    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_dl_type(&m, 0x0800);
    m.fm.flags = OFPFF_CHECK_OVERLAP;
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), OFPERR_OFPFMFC_OVERLAP);
    /* Another priority does not. */
    fm_init(&m, OFPFC_ADD, 0, 11);
    fm_dl_type(&m, 0x0800);
    m.fm.flags = OFPFF_CHECK_OVERLAP;
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    /* Disjoint matches at the same priority do not. */
    assert_int_equal(add_flow(o, 2, 10, 0, 1, OFPFF_CHECK_OVERLAP), 0);
    assert_int_equal(add_flow(o, 2, 10, 0, 1, OFPFF_CHECK_OVERLAP),
                     OFPERR_OFPFMFC_OVERLAP);
    assert_int_equal(ofproto_count_rules(o), 3);
}

static void
test_modify(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(add_flow(o, 1, 10, 0x1, 2, 0), 0);
    assert_int_equal(add_flow(o, 1, 20, 0x2, 2, 0), 0);
    assert_int_equal(add_flow(o, 2, 10, 0x1, 2, 0), 0);

    /* Loose: every in_port=1 rule. */
    fm_init(&m, OFPFC_MODIFY, 0, 0);
    fm_in_port(&m, 1);
    fm_output(&m, 3);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 10)), 3);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 20)), 3);
    assert_int_equal(rule_output(find_rule(o, 0, 2, 10)), 2);
    assert_int_equal(find_rule(o, 0, 1, 10)->cookie, 0x1);

    /* Strict: only priority 10. */
    fm_init(&m, OFPFC_MODIFY_STRICT, 0, 10);
    fm_in_port(&m, 1);
    fm_output(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 10)), 1);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 20)), 3);

    /* Cookie filter, across all tables. */
    fm_init(&m, OFPFC_MODIFY, OFPTT_ALL, 0);
    m.fm.cookie = 0x2;
    m.fm.cookie_mask = UINT64_MAX;
    fm_output(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 10)), 1);
    assert_int_equal(rule_output(find_rule(o, 0, 1, 20)), 2);

    /* No match: nothing in 1.3, an add in 1.0. */
    fm_init(&m, OFPFC_MODIFY, 0, 5);
    fm_in_port(&m, 3);
    fm_output(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(ofproto_count_rules(o), 3);
    fm_init(&m, OFPFC_MODIFY, 0, 5);
    fm_in_port(&m, 3);
    fm_output(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP10_VERSION), 0);
    assert_int_equal(ofproto_count_rules(o), 4);
    assert_non_null(find_rule(o, 0, 3, 5));
}

static void
test_delete(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(add_flow(o, 1, 10, 0x1, 2, OFPFF_SEND_FLOW_REM), 0);
    assert_int_equal(add_flow(o, 1, 20, 0x2, 3, 0), 0);
    assert_int_equal(add_flow(o, 2, 10, 0x1, 3, OFPFF_SEND_FLOW_REM), 0);
    fm_init(&m, OFPFC_ADD, 5, 10);
    fm_in_port(&m, 2);
    fm_output(&m, 3);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);

    /* Strict at a priority that does not exist: nothing. */
    fm_init(&m, OFPFC_DELETE_STRICT, 0, 11);
    fm_in_port(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(ofproto_count_rules(o), 4);

    /* out_port filter. */
    fm_init(&m, OFPFC_DELETE, 0, 0);
    fm_in_port(&m, 1);
    m.fm.out_port = 3;
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_null(find_rule(o, 0, 1, 20));
    assert_non_null(find_rule(o, 0, 1, 10));
    assert_int_equal(f->removed.n, 1);
    assert_false(f->removed.sent[0]);

    /* Cookie filter in every table. */
    fm_init(&m, OFPFC_DELETE, OFPTT_ALL, 0);
    m.fm.cookie = 0x1;
    m.fm.cookie_mask = 0xf;
    fm_in_port(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_null(find_rule(o, 0, 2, 10));
    assert_non_null(find_rule(o, 5, 2, 10)); /* Cookie 0. */
    assert_int_equal(f->removed.n, 2);
    assert_true(f->removed.sent[1]);
    assert_int_equal(f->removed.fr[1].reason, OFPRR_DELETE);
    assert_int_equal(f->removed.fr[1].cookie, 0x1);
    assert_int_equal(f->removed.fr[1].priority, 10);

    /* Everything. */
    fm_init(&m, OFPFC_DELETE, OFPTT_ALL, 0);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(ofproto_count_rules(o), 0);
    assert_int_equal(o->tables[5].n_flows, 0);
}

/* Deleting many rules of distinct priorities: FLOW_REMOVED comes highest
 * priority first, every rule goes, and the table takes the same rules
 * again; the highest priority left always wins a lookup. */
static void
test_delete_many(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    enum { N = 3000 };
    struct fm m;

    for (int round = 0; round < 2; round++) {
        for (int p = 1; p <= N; p++) {
            assert_int_equal(add_flow(o, 1 + p % 3, p, p, 2,
                                      p > N - 10 ? OFPFF_SEND_FLOW_REM : 0),
                             0);
        }
        assert_int_equal(o->tables[0].n_flows, N);
        /* Adding an identical rule replaces it and keeps the count. */
        assert_int_equal(add_flow(o, 1 + N % 3, N, 7, 3, 0), 0);
        assert_int_equal(o->tables[0].n_flows, N);
        assert_int_equal(rule_output(find_rule(o, 0, 1 + N % 3, N)), 3);

        /* Strict deletes from the top down. */
        for (int p = N; p > N - 5; p--) {
            fm_init(&m, OFPFC_DELETE_STRICT, 0, p);
            fm_in_port(&m, 1 + p % 3);
            assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
        }
        assert_int_equal(o->tables[0].n_flows, N - 5);
        assert_null(find_rule(o, 0, 1 + N % 3, N));
        assert_non_null(find_rule(o, 0, 1 + (N - 5) % 3, N - 5));

        f->removed.n = 0;
        fm_init(&m, OFPFC_DELETE, 0, 0);
        assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
        assert_int_equal(o->tables[0].n_flows, 0);
        assert_int_equal(ofproto_count_rules(o), 0);
        /* Highest priority first (the log keeps the first 64), the rules
         * that asked for it sent. */
        assert_int_equal(f->removed.n, ARRAY_SIZE(f->removed.fr));
        size_t n_sent = 0;
        int last = INT_MAX;
        for (size_t i = 0; i < f->removed.n; i++) {
            assert_true(f->removed.fr[i].priority < last);
            last = f->removed.fr[i].priority;
            n_sent += f->removed.sent[i];
        }
        assert_int_equal(f->removed.fr[0].priority, N - 5);
        assert_int_equal(n_sent, 5);
        for (int p = 1; p <= N; p += 499) {
            assert_null(find_rule(o, 0, 1 + p % 3, p));
        }
    }
}

static void
test_timeouts(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct rule *r;
    struct fm m;

    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 1);
    m.fm.hard_timeout = 1;
    m.fm.flags = OFPFF_SEND_FLOW_REM;
    fm_output(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 2);
    m.fm.idle_timeout = 1;
    m.fm.flags = OFPFF_SEND_FLOW_REM;
    fm_output(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    r = find_rule(o, 0, 1, 10);
    atomic_store(&r->packet_count, 3);

    ofproto_expire(o);
    assert_int_equal(ofproto_count_rules(o), 2);

    /* The idle rule keeps being used; the hard one expires anyway. */
    test_sleep_msec(600);
    atomic_store(&find_rule(o, 0, 2, 10)->used, time_msec());
    test_sleep_msec(600);
    ofproto_expire(o);
    assert_int_equal(ofproto_count_rules(o), 1);
    assert_null(find_rule(o, 0, 1, 10));
    assert_int_equal(f->removed.n, 1);
    assert_int_equal(f->removed.fr[0].reason, OFPRR_HARD_TIMEOUT);
    assert_int_equal(f->removed.fr[0].duration_sec, 1);
    assert_int_equal(f->removed.fr[0].hard_timeout, 1);
    assert_int_equal(f->removed.fr[0].packet_count, 3);

    test_sleep_msec(1100);
    ofproto_expire(o);
    assert_int_equal(ofproto_count_rules(o), 0);
    assert_int_equal(f->removed.n, 2);
    assert_int_equal(f->removed.fr[1].reason, OFPRR_IDLE_TIMEOUT);
    assert_int_equal(f->removed.fr[1].idle_timeout, 1);
}

/* ---- Groups ---- */

static enum ofperr
group_mod(struct ofproto *o, enum ofp_group_mod_command cmd, uint32_t id,
          enum ofp_group_type type, size_t n_buckets, uint32_t out_group,
          uint32_t out_port)
{
    struct ofp_group_mod gm;
    struct ofp_bucket b[4];
    struct ofpbuf acts[4];
    enum ofperr error;

    memset(&gm, 0, sizeof gm);
    memset(b, 0, sizeof b);
    gm.command = cmd;
    gm.group_id = id;
    gm.type = type;
    gm.buckets = b;
    gm.n_buckets = n_buckets;
    for (size_t i = 0; i < n_buckets; i++) {
        ofpbuf_init(&acts[i], 32);
        if (out_group != OFPG_ANY) {
            struct ofpact_group *g =
                ofpact_put(&acts[i], OFPACT_GROUP, sizeof *g);

            g->group_id = out_group;
        } else {
            struct ofpact_output *op =
                ofpact_put(&acts[i], OFPACT_OUTPUT, sizeof *op);

            op->port = out_port;
        }
        b[i].bucket_id = i;
        b[i].weight = type == OFPGT_SELECT ? 1 : 0;
        b[i].watch_port = OFPP_ANY;
        b[i].watch_group = OFPG_ANY;
        b[i].ofpacts = (struct ofpact *)(void *)acts[i].data;
        b[i].ofpacts_len = acts[i].size;
    }
    error = ofproto_group_mod(o, &gm);
    for (size_t i = 0; i < n_buckets; i++) {
        ofpbuf_uninit(&acts[i]);
    }
    return error;
}

static void
test_groups(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(group_mod(o, OFPGC_ADD, 1, OFPGT_ALL, 2, OFPG_ANY, 2), 0);
    assert_int_equal(group_mod(o, OFPGC_ADD, 1, OFPGT_ALL, 1, OFPG_ANY, 2),
                     OFPERR_OFPGMFC_GROUP_EXISTS);
    assert_int_equal(group_mod(o, OFPGC_MODIFY, 7, OFPGT_ALL, 1, OFPG_ANY, 2),
                     OFPERR_OFPGMFC_UNKNOWN_GROUP);
    /* Chaining is allowed, loops are not. */
    assert_int_equal(group_mod(o, OFPGC_ADD, 2, OFPGT_INDIRECT, 1, 1, 0), 0);
    assert_int_equal(group_mod(o, OFPGC_MODIFY, 1, OFPGT_ALL, 1, 2, 0),
                     OFPERR_OFPGMFC_LOOP);
    assert_int_equal(group_mod(o, OFPGC_MODIFY, 1, OFPGT_ALL, 1, 1, 0),
                     OFPERR_OFPGMFC_LOOP);
    assert_int_equal(group_mod(o, OFPGC_ADD, 3, OFPGT_ALL, 1, 9, 0),
                     OFPERR_OFPBAC_BAD_OUT_GROUP);
    /* Type checks. */
    assert_int_equal(
        group_mod(o, OFPGC_ADD, 4, OFPGT_INDIRECT, 2, OFPG_ANY, 1),
        OFPERR_OFPGMFC_BAD_BUCKET);
    assert_int_equal(group_mod(o, OFPGC_ADD, 4, OFPGT_FF, 1, OFPG_ANY, 1),
                     OFPERR_OFPGMFC_BAD_WATCH);
    assert_int_equal(group_mod(o, OFPGC_ADD, 4, OFPGT_SELECT, 3, OFPG_ANY, 1),
                     0);
    assert_non_null(ofproto_group_lookup(o, 4));
    assert_int_equal(ofproto_group_lookup(o, 4)->n_buckets, 3);

    /* Reference counts: group 2 chains to 1; a rule uses 2. */
    assert_int_equal(ofproto_group_find(o, 1)->ref_count, 1);
    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 1);
    fm_group(&m, 2);
    m.fm.flags = OFPFF_SEND_FLOW_REM;
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(ofproto_group_find(o, 2)->ref_count, 1);

    /* A modify keeps the reference count and the counters. */
    atomic_store(&ofproto_group_find(o, 1)->packet_count, 9);
    assert_int_equal(group_mod(o, OFPGC_MODIFY, 1, OFPGT_ALL, 1, OFPG_ANY, 3),
                     0);
    assert_int_equal(ofproto_group_find(o, 1)->ref_count, 1);
    assert_int_equal(atomic_load(&ofproto_group_find(o, 1)->packet_count), 9);
    assert_int_equal(ofproto_group_lookup(o, 1)->n_buckets, 1);

    /* Group 1 is chained to: it cannot go alone. */
    assert_int_equal(group_mod(o, OFPGC_DELETE, 1, OFPGT_ALL, 0, OFPG_ANY, 0),
                     OFPERR_OFPGMFC_CHAINED_GROUP);
    /* Deleting group 2 removes the rule that uses it. */
    assert_int_equal(group_mod(o, OFPGC_DELETE, 2, OFPGT_ALL, 0, OFPG_ANY, 0),
                     0);
    assert_null(ofproto_group_lookup(o, 2));
    assert_int_equal(ofproto_count_rules(o), 0);
    assert_int_equal(f->removed.n, 1);
    assert_int_equal(f->removed.fr[0].reason, OFPRR_GROUP_DELETE);
    assert_int_equal(ofproto_group_find(o, 1)->ref_count, 0);
    /* Deleting an unknown group is not an error; OFPG_ALL clears. */
    assert_int_equal(group_mod(o, OFPGC_DELETE, 77, OFPGT_ALL, 0, OFPG_ANY, 0),
                     0);
    assert_int_equal(
        group_mod(o, OFPGC_DELETE, OFPG_ALL, OFPGT_ALL, 0, OFPG_ANY, 0), 0);
    assert_int_equal(hmap_count(&o->groups), 0);
    assert_null(ofproto_group_lookup(o, 1));
}

/* ---- Meters ---- */

static enum ofperr
meter_mod(struct ofproto *o, enum ofp_meter_mod_command cmd, uint32_t id,
          uint16_t flags, uint32_t rate)
{
    struct ofp_meter_mod mm;

    memset(&mm, 0, sizeof mm);
    mm.command = cmd;
    mm.meter_id = id;
    mm.flags = flags;
    mm.n_bands = 1;
    mm.bands[0].type = OFPMBT_DROP;
    mm.bands[0].rate = rate;
    return ofproto_meter_mod(o, &mm);
}

static void
test_meters(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(meter_mod(o, OFPMC_ADD, 1, OFPMF_KBPS, 1000), 0);
    assert_true(ofproto_meter_exists(o, 1));
    assert_false(ofproto_meter_exists(o, 2));
    assert_int_equal(meter_mod(o, OFPMC_ADD, 1, OFPMF_KBPS, 1000),
                     OFPERR_OFPMMFC_METER_EXISTS);
    assert_int_equal(meter_mod(o, OFPMC_ADD, 2, OFPMF_KBPS | OFPMF_PKTPS, 1),
                     OFPERR_OFPMMFC_BAD_FLAGS);
    assert_int_equal(meter_mod(o, OFPMC_ADD, 2, OFPMF_PKTPS, 0),
                     OFPERR_OFPMMFC_BAD_RATE);
    assert_int_equal(meter_mod(o, OFPMC_ADD, 0, OFPMF_PKTPS, 10),
                     OFPERR_OFPMMFC_INVALID_METER);
    assert_int_equal(meter_mod(o, OFPMC_MODIFY, 5, OFPMF_PKTPS, 10),
                     OFPERR_OFPMMFC_UNKNOWN_METER);
    assert_int_equal(meter_mod(o, OFPMC_MODIFY, 1, OFPMF_PKTPS, 10), 0);
    assert_int_equal(ofproto_meter_find(o, 1)->config.bands[0].rate, 10);

    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 1);
    fm_meter(&m, 1);
    fm_output(&m, 2);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);
    assert_int_equal(ofproto_meter_find(o, 1)->flow_count, 1);
    assert_int_equal(rcu_get(find_rule(o, 0, 1, 10)->actions)->meter_id, 1);

    /* Deleting the meter deletes its flows. */
    assert_int_equal(meter_mod(o, OFPMC_DELETE, 1, 0, 1), 0);
    assert_false(ofproto_meter_exists(o, 1));
    assert_int_equal(ofproto_count_rules(o), 0);
    assert_int_equal(f->removed.n, 1);
    assert_int_equal(f->removed.fr[0].reason, OFPRR_METER_DELETE);
}

/* ---- Ports ---- */

static void
test_ports(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    const struct ofport_snapshot *s = rcu_get(o->port_snapshot);
    struct ofp_port_mod pm;
    struct ofport *p;

    assert_int_equal(s->n, 3);
    assert_int_equal(s->ports[0].ofp_port, 1);
    assert_true(s->ports[2].live);
    p = ofproto_port_find(o, 2);
    assert_non_null(p);
    assert_string_equal(p->pp.name, "op2");
    /* Dummy ports report no speed, as Open vSwitch's dummy devices do. */
    assert_int_equal(p->pp.curr_speed, 0);

    memset(&pm, 0, sizeof pm);
    pm.port_no = 9;
    assert_int_equal(ofproto_port_mod(o, &pm), OFPERR_OFPPMFC_BAD_PORT);
    pm.port_no = 2;
    assert_int_equal(ofproto_port_mod(o, &pm), OFPERR_OFPPMFC_BAD_HW_ADDR);
    pm.hw_addr = p->pp.hw_addr;
    pm.config = OFPPC_NO_FWD | OFPPC_PORT_DOWN;
    pm.mask = OFPPC_NO_FWD | OFPPC_PORT_DOWN;
    assert_int_equal(ofproto_port_mod(o, &pm), 0);
    s = rcu_get(o->port_snapshot);
    assert_int_equal(ofport_snapshot_find(s, 2)->config,
                     OFPPC_NO_FWD | OFPPC_PORT_DOWN);
    assert_false(ofport_snapshot_find(s, 2)->live);
    pm.config = 0;
    pm.mask = OFPPC_PORT_DOWN;
    assert_int_equal(ofproto_port_mod(o, &pm), 0);
    assert_int_equal(ofproto_port_find(o, 2)->pp.config, OFPPC_NO_FWD);

    /* A port that goes away. */
    assert_int_equal(dpif_port_del(f->dp, 3), 0);
    ofproto_ports_changed(o);
    assert_null(ofproto_port_find(o, 3));
    assert_int_equal(rcu_get(o->port_snapshot)->n, 2);
}

/* ---- Bundles ---- */

/* Decodes 'b' (owned by the caller) into 'msg'. */
static void
decode(const struct ofpbuf *b, struct ofp_msg *msg)
{
    assert_non_null(b);
    assert_int_equal(ofp_msg_decode(b->data, b->size, msg), 0);
}

static enum ofperr
bundle_ctrl(struct ofproto *o, uint32_t id, uint16_t type, uint16_t flags)
{
    struct ofp_bundle_ctrl bc = {id, type, flags};
    struct ofpbuf *b = ofp_bundle_ctrl_encode(&bc, OFP14_VERSION, 42);
    struct ofp_msg msg;
    enum ofperr error;

    decode(b, &msg);
    error = ofproto_bundle_control(o, NULL, &msg);
    ofpbuf_delete(b);
    return error;
}

/* Adds the encoded 'inner' message (deleted here) to bundle 'id'. */
static enum ofperr
bundle_add_buf(struct ofproto *o, uint32_t id, uint16_t flags,
               struct ofpbuf *inner)
{
    struct ofp_bundle_add ba;
    struct ofpbuf *b;
    struct ofp_msg msg;
    enum ofperr error;

    assert_non_null(inner);
    ba.bundle_id = id;
    ba.flags = flags;
    ba.msg = (const struct ofp_header *)(const void *)inner->data;
    ba.msg_len = inner->size;
    b = ofp_bundle_add_encode(&ba, OFP14_VERSION, 7);
    decode(b, &msg);
    error = ofproto_bundle_add(o, NULL, &msg);
    ofpbuf_delete(b);
    ofpbuf_delete(inner);
    return error;
}

static enum ofperr
bundle_add_flow(struct ofproto *o, uint32_t id, struct fm *m)
{
    struct ofpbuf *inner = ofp_flow_mod_encode(fm_get(m), OFP14_VERSION, 7);

    ofpbuf_uninit(&m->acts);
    return bundle_add_buf(o, id, OFPBF_ATOMIC, inner);
}

static void
test_bundle_commit(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;

    assert_int_equal(bundle_ctrl(o, 1, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC), 0);
    assert_int_equal(bundle_ctrl(o, 1, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_BAD_ID);
    for (uint32_t port = 1; port <= 3; port++) {
        fm_init(&m, OFPFC_ADD, 0, 10);
        fm_in_port(&m, port);
        fm_output(&m, port == 3 ? 1 : port + 1);
        assert_int_equal(bundle_add_flow(o, 1, &m), 0);
    }
    /* Nothing happens before the commit. */
    assert_int_equal(ofproto_count_rules(o), 0);
    assert_int_equal(bundle_ctrl(o, 1, OFPBCT_CLOSE_REQUEST, OFPBF_ATOMIC), 0);
    fm_init(&m, OFPFC_ADD, 0, 10);
    assert_int_equal(bundle_add_flow(o, 1, &m), OFPERR_OFPBFC_BUNDLE_CLOSED);
    /* That discarded the bundle. */
    assert_int_equal(bundle_ctrl(o, 1, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_BAD_ID);
    assert_int_equal(ofproto_count_rules(o), 0);

    /* Implicit open by an add, then commit. */
    for (uint32_t port = 1; port <= 3; port++) {
        fm_init(&m, OFPFC_ADD, 0, 10);
        fm_in_port(&m, port);
        fm_output(&m, 2);
        assert_int_equal(bundle_add_flow(o, 2, &m), 0);
    }
    assert_int_equal(bundle_ctrl(o, 2, OFPBCT_COMMIT_REQUEST, OFPBF_ORDERED),
                     OFPERR_OFPBFC_BAD_FLAGS);
    assert_int_equal(bundle_ctrl(o, 2, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_BAD_ID);
    for (uint32_t port = 1; port <= 3; port++) {
        fm_init(&m, OFPFC_ADD, 0, 10);
        fm_in_port(&m, port);
        fm_output(&m, 2);
        assert_int_equal(bundle_add_flow(o, 3, &m), 0);
    }
    assert_int_equal(bundle_ctrl(o, 3, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC),
                     0);
    assert_int_equal(ofproto_count_rules(o), 3);

    /* Discard. */
    fm_init(&m, OFPFC_DELETE, OFPTT_ALL, 0);
    assert_int_equal(bundle_add_flow(o, 4, &m), 0);
    assert_int_equal(bundle_ctrl(o, 4, OFPBCT_DISCARD_REQUEST, OFPBF_ATOMIC),
                     0);
    assert_int_equal(bundle_ctrl(o, 4, OFPBCT_DISCARD_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_BAD_ID);
    assert_int_equal(ofproto_count_rules(o), 3);
    assert_int_equal(bundle_ctrl(o, 5, 99, 0), OFPERR_OFPBFC_BAD_TYPE);
    assert_int_equal(bundle_ctrl(o, 5, OFPBCT_OPEN_REQUEST, 0x80),
                     OFPERR_OFPBFC_BAD_FLAGS);
}

static void
test_bundle_rollback(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct rule *r1, *r2;
    struct fm m;

    assert_int_equal(add_flow(o, 1, 10, 0x1, 2, OFPFF_SEND_FLOW_REM), 0);
    assert_int_equal(add_flow(o, 2, 10, 0x2, 3, 0), 0);
    assert_int_equal(meter_mod(o, OFPMC_ADD, 1, OFPMF_KBPS, 1000), 0);
    r1 = find_rule(o, 0, 1, 10);
    r2 = find_rule(o, 0, 2, 10);
    atomic_store(&r2->packet_count, 4);

    /* Modify r1, replace r2, delete r1, add a flow, then fail. */
    fm_init(&m, OFPFC_MODIFY_STRICT, 0, 10);
    fm_in_port(&m, 1);
    fm_output(&m, 3);
    assert_int_equal(bundle_add_flow(o, 9, &m), 0);
    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 2);
    m.fm.flags = OFPFF_RESET_COUNTS;
    fm_output(&m, 1);
    assert_int_equal(bundle_add_flow(o, 9, &m), 0);
    fm_init(&m, OFPFC_DELETE_STRICT, 0, 10);
    fm_in_port(&m, 1);
    assert_int_equal(bundle_add_flow(o, 9, &m), 0);
    fm_init(&m, OFPFC_ADD, 0, 30);
    fm_in_port(&m, 3);
    fm_output(&m, 1);
    assert_int_equal(bundle_add_flow(o, 9, &m), 0);
    /* Fails at commit: the group does not exist. */
    fm_init(&m, OFPFC_ADD, 0, 40);
    fm_group(&m, 5);
    assert_int_equal(bundle_add_flow(o, 9, &m), 0);
    /* A message that has no place in a bundle. */
    {
        struct ofpbuf *echo =
            ofp_msg_start(OFPTYPE_ECHO_REQUEST, OFP14_VERSION, 7, 0);

        ofp_msg_finish(echo);
        assert_int_equal(bundle_add_buf(o, 9, OFPBF_ATOMIC, echo),
                         OFPERR_OFPBFC_MSG_UNSUP);
    }
    assert_int_equal(bundle_ctrl(o, 9, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_MSG_FAILED);

    /* Everything is as before. */
    assert_int_equal(ofproto_count_rules(o), 2);
    assert_ptr_equal(find_rule(o, 0, 1, 10), r1);
    assert_ptr_equal(find_rule(o, 0, 2, 10), r2);
    assert_int_equal(rule_output(r1), 2);
    assert_int_equal(rule_output(r2), 3);
    assert_int_equal(atomic_load(&r2->packet_count), 4);
    assert_null(find_rule(o, 0, 3, 30));
    assert_true(ofproto_meter_exists(o, 1));
    assert_int_equal(o->tables[0].n_flows, 2);
    assert_int_equal(f->removed.n, 0);
    assert_int_equal(bundle_ctrl(o, 9, OFPBCT_DISCARD_REQUEST, OFPBF_ATOMIC),
                     OFPERR_OFPBFC_BAD_ID);
}

/* The same undo log directly: meters, groups and ports. */
static void
test_txn_rollback(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct ofp_meter_mod mm;
    struct ofp_port_mod pm;
    struct ofproto_txn txn;
    struct fm m;

    assert_int_equal(meter_mod(o, OFPMC_ADD, 1, OFPMF_KBPS, 1000), 0);
    assert_int_equal(group_mod(o, OFPGC_ADD, 1, OFPGT_ALL, 1, OFPG_ANY, 2), 0);
    fm_init(&m, OFPFC_ADD, 0, 10);
    fm_in_port(&m, 1);
    fm_meter(&m, 1);
    fm_group(&m, 1);
    assert_int_equal(fm_apply(o, &m, OFP13_VERSION), 0);

    pthread_mutex_lock(&o->mutex);
    ofproto_txn_init(&txn, o);
    memset(&mm, 0, sizeof mm);
    mm.command = OFPMC_DELETE;
    mm.meter_id = 1;
    assert_int_equal(ofproto_meter_mod_txn(&txn, &mm), 0);
    assert_false(ofproto_meter_exists(o, 1));
    assert_int_equal(ofproto_count_rules(o), 0);
    memset(&mm, 0, sizeof mm);
    mm.command = OFPMC_ADD;
    mm.meter_id = 2;
    mm.flags = OFPMF_PKTPS;
    mm.n_bands = 1;
    mm.bands[0].type = OFPMBT_DROP;
    mm.bands[0].rate = 5;
    assert_int_equal(ofproto_meter_mod_txn(&txn, &mm), 0);
    memset(&pm, 0, sizeof pm);
    pm.port_no = 1;
    pm.hw_addr = ofproto_port_find(o, 1)->pp.hw_addr;
    pm.config = pm.mask = OFPPC_NO_RECV;
    assert_int_equal(ofproto_port_mod_txn(&txn, &pm), 0);
    assert_int_equal(ofproto_port_find(o, 1)->pp.config, OFPPC_NO_RECV);
    ofproto_txn_rollback(&txn);
    pthread_mutex_unlock(&o->mutex);

    assert_true(ofproto_meter_exists(o, 1));
    assert_false(ofproto_meter_exists(o, 2));
    assert_int_equal(ofproto_meter_find(o, 1)->flow_count, 1);
    assert_int_equal(ofproto_group_find(o, 1)->ref_count, 1);
    assert_int_equal(ofproto_count_rules(o), 1);
    assert_int_equal(ofproto_port_find(o, 1)->pp.config, 0);
    assert_int_equal(f->removed.n, 0);
}

static void
test_bundle_limits(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct fm m;
    struct ofpbuf *inner;

    fm_init(&m, OFPFC_DELETE_STRICT, 0, 10);
    fm_in_port(&m, 1);
    inner = ofp_flow_mod_encode(fm_get(&m), OFP14_VERSION, 7);
    ofpbuf_uninit(&m.acts);
    for (size_t i = 0; i < OFPROTO_BUNDLE_MAX_MSGS; i++) {
        assert_int_equal(
            bundle_add_buf(o, 1, OFPBF_ATOMIC, ofpbuf_clone(inner)), 0);
    }
    assert_int_equal(bundle_add_buf(o, 1, OFPBF_ATOMIC, ofpbuf_clone(inner)),
                     OFPERR_OFPBFC_MSG_TOO_MANY);
    ofpbuf_delete(inner);
    assert_int_equal(bundle_ctrl(o, 1, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC),
                     0);

    for (uint32_t id = 0; id < OFPROTO_BUNDLE_MAX_PER_CONN; id++) {
        assert_int_equal(bundle_ctrl(o, id, OFPBCT_OPEN_REQUEST, 0), 0);
    }
    assert_int_equal(bundle_ctrl(o, 999, OFPBCT_OPEN_REQUEST, 0),
                     OFPERR_OFPBFC_OUT_OF_BUNDLES);
    /* A closing connection takes its bundles along. */
    ofproto_bundles_ofconn_closed(o, NULL);
    assert_int_equal(hmap_count(&o->bundles), 0);
}

/* ---- Through a connection ---- */

/* Connects to the switch's management socket, running the switch until
 * the version is negotiated. */
static struct vconn *
mgmt_connect(struct ofproto *o, enum ofp_version version)
{
    char *name = xasprintf("unix:%s/%s.mgmt", rundir, ofproto_name(o));
    long long deadline = time_msec() + 10000;
    struct vconn *c;

    assert_int_equal(vconn_open(name, 1u << version, 0, &c), 0);
    free(name);
    while (!vconn_get_version(c)) {
        assert_true(time_msec() < deadline);
        ofproto_run(o);
        assert_int_equal(vconn_run(c), 0);
        test_sleep_msec(1);
    }
    assert_int_equal(vconn_get_version(c), version);
    return c;
}

/* Sends 'req' (taken over) and returns the first message back with its
 * xid (caller frees), decoded into 'reply'. */
static struct ofpbuf *
transact(struct ofproto *o, struct vconn *c, struct ofpbuf *req,
         struct ofp_msg *reply)
{
    long long deadline = time_msec() + 10000;
    struct ofp_msg rq;

    decode(req, &rq);
    uint32_t xid = rq.xid;

    assert_int_equal(vconn_send(c, req), 0);
    for (;;) {
        struct ofpbuf *b = NULL;

        assert_true(time_msec() < deadline);
        assert_int_equal(vconn_run(c), 0);
        ofproto_run(o);
        if (!vconn_recv(c, &b)) {
            decode(b, reply);
            if (reply->xid == xid) {
                return b;
            }
            ofpbuf_delete(b);
            continue;
        }
        test_sleep_msec(1);
    }
}

/* A request of 'type' with no body. */
static struct ofpbuf *
empty_request(enum ofptype type, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, OFP13_VERSION, xid, 0);

    assert_non_null(b);
    ofp_msg_finish(b);
    return b;
}

/* The error in an OFPT_ERROR 'msg'. */
static enum ofperr
error_of(const struct ofp_msg *msg)
{
    const uint8_t *p = (const uint8_t *)msg->oh + sizeof(struct ofp_header);

    assert_int_equal(msg->type, OFPTYPE_ERROR);
    return ofperr_from_type_code(msg->version, (p[0] << 8) | p[1],
                                 (p[2] << 8) | p[3]);
}

static void
test_handlers(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct vconn *c = mgmt_connect(o, OFP13_VERSION);
    struct ofp_switch_features sf;
    struct ofp_flow_stats_request fsr;
    struct ofp_flow_stats fs;
    struct ofp_reader r;
    struct ofpbuf acts, *b;
    struct ofp_msg reply;
    struct fm m;

    /* Features. */
    b = transact(o, c, empty_request(OFPTYPE_FEATURES_REQUEST, 11), &reply);
    assert_int_equal(reply.type, OFPTYPE_FEATURES_REPLY);
    assert_int_equal(ofp_features_reply_decode(&reply, &sf, &r), 0);
    assert_int_equal(sf.n_tables, OFPROTO_N_TABLES);
    assert_true(sf.datapath_id == ofproto_get_datapath_id(o));
    ofpbuf_delete(b);

    /* Description. */
    b = transact(o, c, empty_request(OFPTYPE_DESC_STATS_REQUEST, 12), &reply);
    assert_int_equal(reply.type, OFPTYPE_DESC_STATS_REPLY);
    assert_non_null(
        memmem(reply.body, reply.body_len, "Tern userspace switch", 21));
    assert_non_null(memmem(reply.body, reply.body_len, "br-test", 7));
    ofpbuf_delete(b);

    /* A flow mod, then flow statistics. */
    fm_init(&m, OFPFC_ADD, 2, 77);
    fm_in_port(&m, 1);
    m.fm.cookie = 0xabc;
    fm_output(&m, 2);
    assert_int_equal(
        vconn_send(c, ofp_flow_mod_encode(fm_get(&m), OFP13_VERSION, 13)), 0);
    ofpbuf_uninit(&m.acts);
    memset(&fsr, 0, sizeof fsr);
    match_init_catchall(&fsr.match);
    fsr.table_id = 2; /* Table 0 has standalone mode's NORMAL rule. */
    fsr.out_port = OFPP_ANY;
    fsr.out_group = OFPG_ANY;
    b = transact(o, c, ofp_flow_stats_request_encode(&fsr, OFP13_VERSION, 14),
                 &reply);
    assert_int_equal(reply.type, OFPTYPE_FLOW_STATS_REPLY);
    ofp_reader_init(&r, reply.body, reply.body_len);
    ofpbuf_init(&acts, 64);
    assert_int_equal(ofp_flow_stats_decode_next(&r, OFP13_VERSION, &fs, &acts),
                     0);
    assert_int_equal(fs.table_id, 2);
    assert_int_equal(fs.priority, 77);
    assert_true(fs.cookie == 0xabc);
    assert_true(fs.duration_nsec < 1000000000);
    assert_int_equal(ofp_flow_stats_decode_next(&r, OFP13_VERSION, &fs, &acts),
                     EOF);
    ofpbuf_delete(b);

    /* Every table: durations are well-formed. */
    fsr.table_id = OFPTT_ALL;
    b = transact(o, c, ofp_flow_stats_request_encode(&fsr, OFP13_VERSION, 21),
                 &reply);
    ofp_reader_init(&r, reply.body, reply.body_len);
    while (!ofp_flow_stats_decode_next(&r, OFP13_VERSION, &fs, &acts)) {
        assert_true(fs.duration_nsec < 1000000000);
    }
    ofpbuf_uninit(&acts);
    ofpbuf_delete(b);

    /* Table statistics: one entry per table. */
    b = transact(o, c, empty_request(OFPTYPE_TABLE_STATS_REQUEST, 19), &reply);
    assert_int_equal(reply.type, OFPTYPE_TABLE_STATS_REPLY);
    {
        struct ofp_table_stats ts;
        size_t n = 0;

        ofp_reader_init(&r, reply.body, reply.body_len);
        while (!ofp_table_stats_decode_next(&r, OFP13_VERSION, &ts)) {
            if (ts.table_id == 2) {
                assert_int_equal(ts.active_count, 1);
            }
            n++;
        }
        assert_int_equal(n, OFPROTO_N_TABLES);
    }
    ofpbuf_delete(b);

    vconn_close(c);
}

static void
test_handler_errors(void **state)
{
    struct fixture *f = *state;
    struct ofproto *o = f->ofproto;
    struct vconn *c = mgmt_connect(o, OFP13_VERSION);
    struct ofp_meter_features mf;
    struct ofp_port_mod pm;
    struct ofp_msg reply;
    struct ofpbuf *b;
    struct fm m;

    /* A bad flow mod: goto backwards. */
    fm_init(&m, OFPFC_ADD, 3, 1);
    fm_goto(&m, 1);
    b = transact(o, c, ofp_flow_mod_encode(fm_get(&m), OFP13_VERSION, 15),
                 &reply);
    ofpbuf_uninit(&m.acts);
    assert_int_equal(error_of(&reply), OFPERR_OFPBIC_BAD_TABLE_ID);
    ofpbuf_delete(b);

    /* Port mod errors. */
    memset(&pm, 0, sizeof pm);
    pm.port_no = 42;
    b = transact(o, c, ofp_port_mod_encode(&pm, OFP13_VERSION, 16), &reply);
    assert_int_equal(error_of(&reply), OFPERR_OFPPMFC_BAD_PORT);
    ofpbuf_delete(b);
    pm.port_no = 1;
    b = transact(o, c, ofp_port_mod_encode(&pm, OFP13_VERSION, 17), &reply);
    assert_int_equal(error_of(&reply), OFPERR_OFPPMFC_BAD_HW_ADDR);
    ofpbuf_delete(b);

    /* Meter features. */
    b = transact(o, c, empty_request(OFPTYPE_METER_FEATURES_STATS_REQUEST, 18),
                 &reply);
    assert_int_equal(ofp_meter_features_reply_decode(&reply, &mf), 0);
    assert_int_equal(mf.max_meters, OFPROTO_MAX_METERS);
    assert_int_equal(mf.max_bands, OFP_METER_MAX_BANDS);
    ofpbuf_delete(b);

    /* Bundle open over 1.3 (ONF extension) gets its reply. */
    {
        struct ofp_bundle_ctrl bc = {5, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC};

        b = transact(o, c, ofp_bundle_ctrl_encode(&bc, OFP13_VERSION, 20),
                     &reply);
        assert_int_equal(reply.type, OFPTYPE_BUNDLE_CONTROL);
        assert_int_equal(ofp_bundle_ctrl_decode(&reply, &bc), 0);
        assert_int_equal(bc.type, OFPBCT_OPEN_REPLY);
        assert_int_equal(bc.bundle_id, 5);
        ofpbuf_delete(b);
    }
    vconn_close(c);
}

static int
group_setup(void **state)
{
    (void)state;
    if (dp_fixture_init()) {
        return -1;
    }
    if (test_tmpdir_create(rundir, sizeof rundir, "test-ofproto")) {
        return -1;
    }
    setenv("TERN_RUNDIR", rundir, 1);
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    test_tmpdir_remove(rundir);
    return 0;
}

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_add_and_replace), T(test_add_errors),
        T(test_check_overlap),   T(test_modify),
        T(test_delete),          T(test_delete_many),
        T(test_timeouts),        T(test_groups),
        T(test_meters),          T(test_ports),
        T(test_bundle_commit),   T(test_bundle_rollback),
        T(test_txn_rollback),    T(test_bundle_limits),
        T(test_handlers),        T(test_handler_errors),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
