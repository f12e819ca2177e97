/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-xlate: translation of packets through the OpenFlow tables
 * (ofproto/xlate.c, normal.c, upcall.c, revalidate.c).  A switch is built
 * with ofproto_create() over a datapath with three dummy ports; flows and
 * groups are added in ovs-ofctl syntax; keys are written in ovs-dpctl
 * syntax and the resulting datapath actions and megaflow masks compared
 * as ovs-dpctl text.  The last tests send packets through the datapath's
 * PMD thread.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "datapath/dpif.h"
#include "lib/dpdk.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev.h"
#include "lib/odp-util.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-meter.h"
#include "lib/rcu.h"
#include "ofproto/mac-learning.h"
#include "ofproto/ofproto-private.h"
#include "ofproto/xlate-freeze.h"
#include "ofproto/xlate.h"
#include "tests/unit/dp-fixture.h"
#include "tests/unit/packet-builder.h"
#include "tests/unit/xlate-fixture.h"

#define WAIT_MS 20000

/* ---- Pipeline. ---- */

static void
test_output(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "in_port=1,actions=output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "2");
    assert_string_equal(r.megaflow, "recirc_id(0),in_port(1)");

    /* Output to the input port is skipped unless IN_PORT is named. */
    add_flow(f->ofproto, "priority=40000,in_port=1,actions=output:1,"
                         "output:3,IN_PORT");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3,1");

    /* FLOOD and ALL exclude the input port. */
    add_flow(f->ofproto, "priority=50000,in_port=1,actions=FLOOD");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "2,3");
}

static void
test_set_field_masks(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "ip,in_port=1,actions=set_field:10.0.0.9->ip_dst,"
                         "set_field:00:00:00:00:00:99->eth_dst,output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    /* One set with exactly the two changed fields; the megaflow only has
     * what the lookup and the prerequisites looked at. */
    assert_actions(&r, "set(eth(dst=00:00:00:00:00:99),ipv4(dst=10.0.0.9)),2");
    assert_int_equal(r.wc.masks.nw_dst, 0);
    assert_true(eth_addr_is_zero(r.wc.masks.dl_dst));
    assert_int_equal(r.wc.masks.dl_type, UINT16_MAX);
    assert_int_equal(r.wc.masks.tp_dst, 0);

    /* The 1.0 mod_tp_dst only applies to TCP/UDP/SCTP: it looks at
     * nw_proto. */
    add_flow(f->ofproto, "priority=40000,in_port=1,actions=mod_tp_dst:8080,"
                         "output:3");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "set(tcp(dst=8080)),3");
    assert_int_equal(r.wc.masks.nw_proto, UINT8_MAX);
    assert_int_equal(r.wc.masks.tp_dst, 0);
}

static void
test_goto_metadata(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "table=0,in_port=1,actions=write_metadata:0x5/0xff,"
                         "goto_table:1");
    add_flow(f->ofproto, "table=1,priority=10,actions=output:2");
    add_flow(f->ofproto, "table=1,priority=20,metadata=0x5,actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "3");
    assert_int_equal(r.wc.masks.metadata[0] | r.wc.masks.metadata[1], 0);

    add_flow(f->ofproto, "table=0,priority=40000,in_port=1,"
                         "actions=write_metadata:0x6/0xff,goto_table:1");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "2");
}

static void
test_action_set(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    /* The action set runs rewrites before the output, whatever order they
     * were written in, and only at the end of the pipeline. */
    add_flow(f->ofproto, "table=0,in_port=1,actions=write_actions(output:2,"
                         "set_field:00:00:00:00:00:99->eth_dst),goto_table:1");
    add_flow(f->ofproto, "table=1,actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3,set(eth(dst=00:00:00:00:00:99)),2");

    /* clear_actions empties it; a later write replaces the output. */
    add_flow(f->ofproto, "table=1,priority=40000,actions=clear_actions,"
                         "write_actions(output:3)");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3");
}

static void
test_table_miss(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct xlate_in xin = {.ofproto = f->ofproto, .flow = k};
    const struct dp_action *a;
    const struct dpa_userspace *us;
    struct xlate_pin_userdata ud;
    struct result r;

    /* OpenFlow 1.3+: a miss drops. */
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "drop");

    /* OpenFlow 1.0 controller: a miss is a packet-in, NO_MATCH. */
    atomic_store(&f->ofproto->miss_to_controller, true);
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    assert_int_equal(xlate_actions(&xin, &acts, &wc), 0);
    a = (const struct dp_action *)acts.data;
    assert_true(acts.size > sizeof *a);
    assert_int_equal(a->type, DPA_USERSPACE);
    assert_int_equal(a->len, acts.size);
    us = dp_action_payload(a);
    assert_int_equal(us->pid, XLATE_PIN_PID);
    assert_int_equal(us->userdata_len, sizeof ud);
    memcpy(&ud, us + 1, sizeof ud);
    assert_int_equal(ud.reason, OFPR_NO_MATCH);
    assert_int_equal(ud.table_id, 0);
    assert_int_equal(ud.in_port, 1);
    dp_actions_buf_uninit(&acts);

    /* A table-miss flow does what its actions say. */
    add_flow(f->ofproto, "priority=0,actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3");
}

static void
test_resubmit_limit(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;
    char text[128];

    for (int t = 0; t < 100; t++) {
        snprintf(text, sizeof text, "table=%d,actions=goto_table:%d", t,
                 t + 1);
        add_flow(f->ofproto, text);
    }
    add_flow(f->ofproto, "table=100,actions=output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, ELOOP);
    assert_actions(&r, "drop");

    /* A chain within the limit works. */
    add_flow(f->ofproto, "table=40,priority=40000,actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "3");
}

static void
test_dec_ttl_and_vlan_push(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "in_port=1,ip,actions=dec_ttl,push_vlan:0x8100,"
                         "set_field:4196->vlan_vid,output:2,pop_vlan,"
                         "output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_non_null(strstr(r.actions, "dec_ttl(le_1(userspace("));
    assert_non_null(strstr(r.actions, "push_vlan(vid=0,pcp=0),"
                                      "set(vlan(vid=100)),2,pop_vlan,3"));
    /* TTL is left to the datapath: not in the megaflow. */
    assert_int_equal(r.wc.masks.nw_ttl, 0);
}

static void
test_of10_vlan(void **state)
{
    struct fixture *f = *state;
    struct flow untagged = eth_key(1, MAC_A, MAC_B, -1);
    struct flow tagged = eth_key(1, MAC_A, MAC_B, 5);
    struct result r;

    add_flow(f->ofproto, "in_port=1,actions=mod_vlan_vid:7,output:2");
    xlate(f->ofproto, &untagged, &r);
    assert_actions(&r, "push_vlan(vid=7,pcp=0),2");
    xlate(f->ofproto, &tagged, &r);
    assert_actions(&r, "set(vlan(vid=7)),2");

    add_flow(f->ofproto, "priority=40000,in_port=1,dl_vlan=5,"
                         "actions=strip_vlan,output:3");
    xlate(f->ofproto, &tagged, &r);
    assert_actions(&r, "pop_vlan,3");
}

/* ---- Groups. ---- */

static void
test_group_all_indirect(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_group(f->ofproto, "group_id=1,type=all,bucket=actions=output:2,"
                          "bucket=actions=set_field:00:00:00:00:00:99->"
                          "eth_dst,output:3,bucket=actions=output:2");
    add_group(f->ofproto, "group_id=2,type=indirect,bucket=actions=group:1");
    add_flow(f->ofproto, "in_port=1,actions=group:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    /* Each bucket works on a copy: the third bucket's packet has its
     * original eth_dst back, which puts eth_dst in the megaflow. */
    assert_actions(&r, "2,set(eth(dst=00:00:00:00:00:99)),3,"
                       "set(eth(dst=00:00:00:00:00:0b)),2");
    assert_false(eth_addr_is_zero(r.wc.masks.dl_dst));
}

static void
test_group_select(void **state)
{
    struct fixture *f = *state;
    struct result r;
    int seen[4] = {0};

    add_group(f->ofproto, "group_id=7,type=select,"
                          "bucket=weight:50,actions=output:2,"
                          "bucket=weight:50,actions=output:3,"
                          "bucket=weight:0,actions=output:1");
    add_flow(f->ofproto, "in_port=1,actions=group:7");
    for (int i = 0; i < 64; i++) {
        char text[256];
        struct flow k;

        snprintf(text, sizeof text,
                 "in_port(1),eth(src=00:00:00:00:01:%02x,dst=00:00:00:00:00:"
                 "0b),eth_type(0x0800),ipv4(src=10.0.0.%d,dst=10.0.0.2,"
                 "proto=17,tos=0,ttl=64,frag=no),udp(src=%d,dst=53)",
                 i, i + 1, 1000 + i);
        k = key(text);
        xlate(f->ofproto, &k, &r);
        assert_true(!strcmp(r.actions, "2") || !strcmp(r.actions, "3"));
        seen[r.actions[0] - '0']++;
        /* The hash inputs are in the megaflow. */
        assert_int_equal(r.wc.masks.nw_src, UINT32_MAX);
        assert_int_equal(r.wc.masks.tp_src, UINT16_MAX);
        assert_false(eth_addr_is_zero(r.wc.masks.dl_src));

        /* Same key, same bucket. */
        struct result again;

        xlate(f->ofproto, &k, &again);
        assert_string_equal(again.actions, r.actions);
    }
    assert_true(seen[2] > 0 && seen[3] > 0);
}

static void
test_group_ff(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_group(f->ofproto, "group_id=3,type=ff,"
                          "bucket=watch_port:2,actions=output:2,"
                          "bucket=watch_port:3,actions=output:3");
    add_flow(f->ofproto, "in_port=1,actions=group:3");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "2");

    netdev_dummy_set_carrier(f->p[2], false);
    ofproto_ports_changed(f->ofproto);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3");

    netdev_dummy_set_carrier(f->p[3], false);
    ofproto_ports_changed(f->ofproto);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "drop");
    netdev_dummy_set_carrier(f->p[2], true);
    netdev_dummy_set_carrier(f->p[3], true);
}

static void
test_meter(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct ofp_meter_mod mm;
    struct result r;
    char *error;

    memset(&mm, 0, sizeof mm);
    error = ofp_meter_mod_parse("meter=1,pktps,bands=type=drop,rate=10",
                                OFPMC_ADD, &mm);
    if (error) {
        fail_msg("%s", error);
    }
    assert_int_equal(ofproto_meter_mod(f->ofproto, &mm), 0);
    add_flow(f->ofproto, "in_port=1,actions=meter:1,output:2");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "meter(1),2");
}

/* ---- NORMAL. ---- */

static void
test_normal_learning(void **state)
{
    struct fixture *f = *state;
    struct flow ab = eth_key(1, MAC_A, MAC_B, -1);
    struct flow ba = eth_key(2, MAC_B, MAC_A, -1);
    struct flow bc = eth_key(2, MAC_B, "00:00:00:00:00:0c", -1);
    struct result r;

    add_flow(f->ofproto, "actions=NORMAL");
    xlate(f->ofproto, &ab, &r);
    assert_actions(&r, "2,3");
    assert_false(eth_addr_is_zero(r.wc.masks.dl_src));
    assert_false(eth_addr_is_zero(r.wc.masks.dl_dst));
    assert_int_equal(
        mac_learning_lookup(f->ofproto->ml, pb_mac(MAC_A), 0, time_msec()), 1);

    /* Back to A: learned; B gets learned on 2. */
    xlate(f->ofproto, &ba, &r);
    assert_actions(&r, "1");
    xlate(f->ofproto, &ab, &r);
    assert_actions(&r, "2");

    /* Unknown unicast floods. */
    xlate(f->ofproto, &bc, &r);
    assert_actions(&r, "1,3");

    /* Without learning (revalidation) nothing changes. */
    {
        struct flow moved = eth_key(3, MAC_A, MAC_B, -1);

        xlate_opts(f->ofproto, &moved, false, &r);
        assert_int_equal(
            mac_learning_lookup(f->ofproto->ml, pb_mac(MAC_A), 0, time_msec()),
            1);
        /* A MAC move, with learning. */
        xlate(f->ofproto, &moved, &r);
        assert_int_equal(
            mac_learning_lookup(f->ofproto->ml, pb_mac(MAC_A), 0, time_msec()),
            3);
    }
}

static void
test_normal_vlans(void **state)
{
    struct fixture *f = *state;
    struct ofproto_port_vlan access10 = {OFPROTO_VLAN_ACCESS, 10, NULL, 0};
    struct ofproto_port_vlan access20 = {OFPROTO_VLAN_ACCESS, 20, NULL, 0};
    static const uint16_t trunks[] = {10, 20};
    struct ofproto_port_vlan trunk = {OFPROTO_VLAN_TRUNK, -1, trunks, 2};
    struct result r;
    struct flow k;

    ofproto_set_port_vlan(f->ofproto, 1, &access10);
    ofproto_set_port_vlan(f->ofproto, 2, &access20);
    ofproto_set_port_vlan(f->ofproto, 3, &trunk);
    add_flow(f->ofproto, "actions=NORMAL");

    /* Access port 10 to the trunk, tagged 10; not to access port 20. */
    k = eth_key(1, MAC_A, "ff:ff:ff:ff:ff:ff", -1);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "push_vlan(vid=10,pcp=0),3");

    /* Trunk VLAN 20 to access port 20, untagged. */
    k = eth_key(3, MAC_B, "ff:ff:ff:ff:ff:ff", 20);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "pop_vlan,2");

    /* A VLAN the trunk does not carry, and a tagged packet on an access
     * port, are dropped. */
    k = eth_key(3, MAC_B, "ff:ff:ff:ff:ff:ff", 30);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "drop");
    k = eth_key(1, MAC_A, "ff:ff:ff:ff:ff:ff", 10);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "drop");

    /* Learned per VLAN: B is known in VLAN 20 only. */
    k = eth_key(1, MAC_A, MAC_B, -1);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "push_vlan(vid=10,pcp=0),3");
    k = eth_key(2, MAC_A, MAC_B, -1);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "push_vlan(vid=20,pcp=0),3");
}

static void
test_fail_open(void **state)
{
    struct fixture *f = *state;
    struct flow k = eth_key(1, MAC_A, MAC_B, -1);
    struct result r;

    add_flow(f->ofproto, "actions=output:3");
    atomic_store(&f->ofproto->fail_open, true);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "2,3");
    atomic_store(&f->ofproto->fail_open, false);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3");
}

/* ---- Upcalls, packet-ins, datapath. ---- */

static void
test_packet_in_queue(void **state)
{
    struct fixture *f = *state;
    struct xlate_pin_userdata ud = {.reason = OFPR_ACTION, .max_len = 64};
    struct flow_wildcards wc;
    struct dp_actions_buf acts;
    struct dp_packet *pkt;
    struct pb pb;
    struct ofproto_xlate *x;

    pb_sample_tcp4(&pb);
    pkt = dp_packet_clone_data(NULL, pb.data, pb.len);
    assert_non_null(pkt);
    struct dpif_upcall up = {
        .type = DPIF_UC_ACTION,
        .packet = pkt,
        .pid = XLATE_PIN_PID,
        .userdata = &ud,
        .userdata_len = sizeof ud,
    };

    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    for (int i = 0; i < XLATE_MAX_PINS + 5; i++) {
        assert_int_equal(ofproto_upcall(&up, &acts, &wc, f->ofproto), 0);
    }
    x = xlate_state(f->ofproto);
    assert_int_equal(x->n_pins, XLATE_MAX_PINS);
    assert_int_equal(x->n_pins_dropped, 5);
    ofproto_drain_packet_ins(f->ofproto);
    assert_int_equal(x->n_pins, 0);
    assert_true(list_is_empty(&x->pins));
    dp_packet_free(pkt);
    dp_actions_buf_uninit(&acts);
}

static bool
wait_tx(struct netdev *nd, size_t n)
{
    long long deadline = time_msec() + WAIT_MS;

    while (time_msec() < deadline) {
        if (netdev_dummy_tx_count(nd) >= n) {
            return true;
        }
        usleep(1000);
    }
    return false;
}

static void
inject_from(struct netdev *nd, const char *src, const char *dst)
{
    struct pb pb;

    pb_init(&pb);
    pb_eth(&pb, dst, src, ETH_TYPE_IP);
    pb_ipv4(&pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&pb, 1000, 53);
    pb_finish(&pb);
    assert_int_equal(netdev_dummy_inject(nd, 0, pb.data, pb.len), 0);
}

static void
inject(struct netdev *nd)
{
    struct pb pb;

    pb_init(&pb);
    pb_eth(&pb, MAC_B, MAC_A, ETH_TYPE_IP);
    pb_ipv4(&pb, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&pb, 1000, 53);
    pb_put(&pb, "payload!", 8);
    pb_finish(&pb);
    assert_int_equal(netdev_dummy_inject(nd, 0, pb.data, pb.len), 0);
}

struct count_aux {
    size_t n;
};

static void
count_cb(const struct dpif_flow *flow, void *aux_)
{
    struct count_aux *aux = aux_;

    (void)flow;
    aux->n++;
}

static size_t
n_dp_flows(struct dpif *dp)
{
    struct count_aux aux = {0};

    dpif_flow_dump(dp, count_cb, &aux);
    return aux.n;
}

static void
test_end_to_end(void **state)
{
    struct fixture *f = *state;
    struct match m;
    struct rule *rule;

    add_flow(f->ofproto, "priority=100,in_port=1,actions=output:2");
    ofproto_flush_changes(f->ofproto);
    inject(f->p[1]);
    assert_true(wait_tx(f->p[2], 1));
    assert_int_equal(n_dp_flows(f->dp), 1);

    /* The cached flow forwards the next packet without an upcall. */
    inject(f->p[1]);
    assert_true(wait_tx(f->p[2], 2));

    /* Statistics come back to the rule. */
    ofproto_pull_stats(f->ofproto);
    match_init_catchall(&m);
    m.flow.in_port = 1;
    m.wc.masks.in_port = UINT32_MAX;
    rule = ofproto_rule_find_exact(f->ofproto, 0, &m, 100);
    assert_non_null(rule);
    assert_int_equal(atomic_load(&rule->packet_count), 2);
    assert_int_equal(atomic_load(&f->ofproto->tables[0].matched_count), 2);

    /* Change the rule; after the flush the next packet goes to 3. */
    mod_flow(f->ofproto, "priority=100,in_port=1,actions=output:3");
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(n_dp_flows(f->dp), 0);
    inject(f->p[1]);
    assert_true(wait_tx(f->p[3], 1));
    assert_int_equal(netdev_dummy_tx_count(f->p[2]), 2);

    /* Nothing changed: flushing keeps the cached flow. */
    ofproto_mark_dirty(f->ofproto);
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(n_dp_flows(f->dp), 1);
}

/* A MAC learned after a flow flooded makes revalidation replace it. */
static void
test_end_to_end_normal(void **state)
{
    struct fixture *f = *state;

    add_flow(f->ofproto, "actions=NORMAL");
    ofproto_flush_changes(f->ofproto);
    inject_from(f->p[1], MAC_A, MAC_B);
    assert_true(wait_tx(f->p[2], 1));
    assert_true(wait_tx(f->p[3], 1));

    /* B answers: A is known, B gets learned on port 2. */
    inject_from(f->p[2], MAC_B, MAC_A);
    assert_true(wait_tx(f->p[1], 1));
    assert_int_equal(n_dp_flows(f->dp), 2);
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(n_dp_flows(f->dp), 1);

    /* A to B now goes to port 2 only. */
    inject_from(f->p[1], MAC_A, MAC_B);
    assert_true(wait_tx(f->p[2], 2));
    usleep(100 * 1000);
    assert_int_equal(netdev_dummy_tx_count(f->p[3]), 1);

    /* fdb/flush semantics: forgetting the table floods again. */
    mac_learning_flush(f->ofproto->ml);
    ofproto_mark_dirty(f->ofproto);
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(n_dp_flows(f->dp), 0);
}

static void
test_packet_out(void **state)
{
    struct fixture *f = *state;
    struct ofp_packet_out po;
    struct ofpbuf ofpacts;
    struct pb pb;
    char *error;

    add_flow(f->ofproto, "in_port=2,actions=output:3");
    pb_sample_tcp4(&pb);
    ofpbuf_init(&ofpacts, 64);
    error = ofpacts_parse("output:1,TABLE", NULL, &ofpacts);
    assert_null(error);
    memset(&po, 0, sizeof po);
    po.packet = pb.data;
    po.packet_len = pb.len;
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = 2;
    po.ofpacts = (struct ofpact *)(void *)ofpacts.data;
    po.ofpacts_len = ofpacts.size;
    assert_int_equal(ofproto_packet_out(f->ofproto, &po), 0);
    assert_true(wait_tx(f->p[1], 1));
    assert_true(wait_tx(f->p[3], 1));
    po.buffer_id = 5;
    assert_int_equal(ofproto_packet_out(f->ofproto, &po),
                     OFPERR_OFPBRC_BUFFER_UNKNOWN);
    ofpbuf_uninit(&ofpacts);
}

static void
test_trace(void **state)
{
    struct fixture *f = *state;
    struct ds ds = DS_EMPTY;
    struct match m;

    add_flow(f->ofproto, "in_port=1,actions=goto_table:1");
    add_flow(f->ofproto, "table=1,actions=output:2");
    match_init_catchall(&m);
    m.flow = key(TCP_KEY);
    m.wc.masks.in_port = UINT32_MAX;
    xlate_trace_flow(f->ofproto, &m, &ds);
    assert_non_null(strstr(ds_cstr(&ds), "bridge(\"brx\")\n-------------\n"
                                         " 0. in_port=1, priority 32768\n"
                                         "    goto_table:1\n"
                                         " 1. priority 32768\n"
                                         "    output:2\n"));
    assert_non_null(strstr(ds_cstr(&ds), "\nMegaflow: recirc_id=0,eth,"
                                         "in_port=1\n"));
    assert_non_null(strstr(ds_cstr(&ds), "\nDatapath actions: 2\n"));
    assert_non_null(strstr(ds_cstr(&ds), "\nFinal flow: unchanged\n"));
    ds_destroy(&ds);

    add_flow(f->ofproto, "table=1,priority=40000,actions=mod_tp_dst:8080,"
                         "output:3");
    ds_init(&ds);
    xlate_trace_flow(f->ofproto, &m, &ds);
    assert_non_null(strstr(ds_cstr(&ds), "\nFinal flow: "));
    assert_non_null(strstr(ds_cstr(&ds), "tp_dst=8080"));
    assert_non_null(
        strstr(ds_cstr(&ds), "\nDatapath actions: set(tcp(dst=8080)),3\n"));
    ds_destroy(&ds);
}

static void
test_mac_learning_table(void **state)
{
    struct mac_learning *ml = mac_learning_create();
    struct mac_learning_stats s;
    struct ds ds = DS_EMPTY;
    struct smap cfg;
    long long now = 1000000;

    (void)state;
    smap_init(&cfg);
    smap_replace(&cfg, "mac-table-size", "10");
    smap_replace(&cfg, "mac-aging-time", "20");
    mac_learning_configure(ml, &cfg);
    smap_destroy(&cfg);
    for (int i = 0; i < 12; i++) {
        struct eth_addr mac = {{0, 0, 0, 0, 1, (uint8_t)i}};

        assert_true(mac_learning_learn(ml, mac, 5, (uint32_t)i, now + i));
    }
    mac_learning_get_stats(ml, &s);
    assert_int_equal(s.n_entries, 10);
    assert_int_equal(s.n_evicted, 2);
    /* The oldest were evicted. */
    assert_int_equal(mac_learning_lookup(ml,
                                         (struct eth_addr){{0, 0, 0, 0, 1, 0}},
                                         5, now + 20),
                     UINT32_MAX);
    assert_int_equal(
        mac_learning_lookup(ml, (struct eth_addr){{0, 0, 0, 0, 1, 11}}, 5,
                            now + 20),
        11);
    /* Refresh is not a change; a move is. */
    assert_false(mac_learning_learn(ml, (struct eth_addr){{0, 0, 0, 0, 1, 11}},
                                    5, 11, now + 30));
    assert_true(mac_learning_learn(ml, (struct eth_addr){{0, 0, 0, 0, 1, 11}},
                                   5, 4, now + 30));
    mac_learning_format(ml, NULL, NULL, now + 3000, &ds);
    assert_non_null(strstr(ds_cstr(&ds),
                           " port  VLAN  MAC                Age\n"
                           "    2     5  00:00:00:00:01:02    2\n"));
    ds_destroy(&ds);
    /* Aging: 20 s. */
    assert_int_equal(mac_learning_expire(ml, now + 20029), 9);
    assert_int_equal(mac_learning_count(ml), 1);
    assert_int_equal(mac_learning_flush(ml), 1);
    mac_learning_destroy(ml);
}

/* ---- Recirculation after pop_mpls. ---- */

static void
add_pop_mpls_flows(struct ofproto *ofproto, const char *table1_actions)
{
    char text[256];

    add_flow(ofproto, "mpls,actions=pop_mpls:0x0800,goto_table:1");
    snprintf(text, sizeof text, "table=1,ip,nw_src=192.168.10.10,actions=%s",
             table1_actions);
    add_flow(ofproto, text);
}

static void
test_recirc_pop_mpls(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(MPLS_KEY);
    struct xlate_frozen_stats st;
    struct result r;
    uint32_t id;
    char text[64];

    add_pop_mpls_flows(f->ofproto, "output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    id = r.recirc_id;
    assert_int_not_equal(id, 0);
    snprintf(text, sizeof text, "pop_mpls(eth_type=0x800),recirc(%#x)", id);
    assert_actions(&r, text);
    assert_non_null(strstr(r.megaflow, "recirc_id(0),"));
    assert_non_null(strstr(r.megaflow, "eth_type(0x8847)"));

    /* The same walk freezes into the same state. */
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.recirc_id, id);
    xlate_frozen_get_stats(f->ofproto, &st);
    assert_int_equal(st.n_states, 1);

    /* Second pass: table 1 sees the IPv4 source; recirc_id is exact. */
    k = inner_key(id, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "2");
    assert_int_equal(r.wc.masks.recirc_id, UINT32_MAX);
    assert_int_equal(r.wc.masks.nw_src, UINT32_MAX);
    assert_int_equal(r.recirc_id, 0);

    /* Another inner source misses in table 1: drop. */
    k = inner_key(id, "10.0.0.1");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "drop");

    /* An id that names nothing drops, counted. */
    k = inner_key(id + 1000, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, ENOENT);
    assert_actions(&r, "drop");
    xlate_frozen_get_stats(f->ofproto, &st);
    assert_int_equal(st.n_unknown, 1);
}

/* The action set, metadata and the rewrites before the freeze survive
 * it; a rewrite of L3 fields after the pop freezes too. */
static void
test_recirc_state(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(MPLS_KEY);
    struct result r;
    char text[128];

    add_flow(f->ofproto, "mpls,actions=mod_dl_src:00:00:00:00:00:77,"
                         "pop_mpls:0x0800,write_actions(output:3),"
                         "write_metadata:0x5,goto_table:1");
    add_flow(f->ofproto,
             "table=1,metadata=0x5,ip,actions=mod_nw_dst:10.9.9.9");
    xlate(f->ofproto, &k, &r);
    snprintf(text, sizeof text,
             "set(eth(src=00:00:00:00:00:77)),pop_mpls(eth_type=0x800),"
             "recirc(%#x)",
             r.recirc_id);
    assert_actions(&r, text);
    k = inner_key(r.recirc_id, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "set(ipv4(dst=10.9.9.9)),3");

    /* An L3 rewrite right after the pop freezes before it. */
    add_flow(f->ofproto, "priority=40000,mpls,actions=pop_mpls:0x0800,"
                         "mod_nw_tos:16,output:2");
    k = key(MPLS_KEY);
    xlate(f->ofproto, &k, &r);
    snprintf(text, sizeof text, "pop_mpls(eth_type=0x800),recirc(%#x)",
             r.recirc_id);
    assert_actions(&r, text);
    k = inner_key(r.recirc_id, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "set(ipv4(tos=0x10/0xfc)),2");

    /* Outputs need no inner field: no recirculation. */
    add_flow(f->ofproto, "priority=50000,mpls,actions=pop_mpls:0x0800,"
                         "output:2");
    k = key(MPLS_KEY);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "pop_mpls(eth_type=0x800),2");
}

/* A table at its limit drops what would need a new state; unused states
 * are collected. */
static void
test_recirc_limit_and_gc(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(MPLS_KEY);
    struct xlate_frozen_stats st;
    struct result r;

    add_pop_mpls_flows(f->ofproto, "output:2");
    xlate_frozen_set_max(f->ofproto, 1);
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_int_not_equal(r.recirc_id, 0);
    k.in_port = 2; /* Another in_port: another state. */
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, ENOSPC);
    assert_actions(&r, "drop");
    xlate_frozen_get_stats(f->ofproto, &st);
    assert_int_equal(st.n_states, 1);
    assert_int_equal(st.n_full, 1);

    /* No cached flow refers to the state: two pulls free it. */
    ofproto_pull_stats(f->ofproto);
    xlate_frozen_get_stats(f->ofproto, &st);
    assert_int_equal(st.n_states, 1);
    ofproto_pull_stats(f->ofproto);
    ofproto_pull_stats(f->ofproto);
    xlate_frozen_get_stats(f->ofproto, &st);
    assert_int_equal(st.n_states, 0);
    assert_int_equal(st.n_collected, 1);
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_int_not_equal(r.recirc_id, 0);
}

static void
inject_mpls(struct netdev *nd, const char *src)
{
    struct pb pb;

    pb_init(&pb);
    pb_eth(&pb, MAC_B, MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&pb, 100, 0, true, 64);
    pb_ipv4(&pb, src, "10.0.0.2", IPPROTO_TCP, 64);
    pb_tcp(&pb, 1000, 80, 0x02);
    pb_finish(&pb);
    assert_int_equal(netdev_dummy_inject(nd, 0, pb.data, pb.len), 0);
}

static struct rule *
find_rule(struct ofproto *ofproto, uint8_t table_id, const char *text,
          int priority)
{
    struct match m;
    char *error = match_parse(text, NULL, &m, NULL, NULL);

    if (error) {
        fail_msg("%s: %s", text, error);
    }
    return ofproto_rule_find_exact(ofproto, table_id, &m, priority);
}

/* The os-ken case: MPLS in, pop_mpls, goto_table, match on ipv4_src. */
static void
test_recirc_end_to_end(void **state)
{
    struct fixture *f = *state;
    struct oftable *t1 = &f->ofproto->tables[1];
    struct rule *r0, *r1;

    add_pop_mpls_flows(f->ofproto, "output:2");
    ofproto_flush_changes(f->ofproto);
    inject_mpls(f->p[1], "192.168.10.10");
    assert_true(wait_tx(f->p[2], 1));
    /* A packet whose inner source does not match misses in table 1. */
    inject_mpls(f->p[1], "192.168.10.11");
    inject_mpls(f->p[1], "192.168.10.10");
    assert_true(wait_tx(f->p[2], 2));
    usleep(100 * 1000);
    assert_int_equal(netdev_dummy_tx_count(f->p[2]), 2);
    assert_int_equal(netdev_dummy_tx_count(f->p[3]), 0);
    /* One first-pass flow, two second-pass flows. */
    assert_int_equal(n_dp_flows(f->dp), 3);

    /* Each pass credits its own rules and tables. */
    ofproto_pull_stats(f->ofproto);
    r0 = find_rule(f->ofproto, 0, "mpls", 32768);
    r1 = find_rule(f->ofproto, 1, "ip,nw_src=192.168.10.10", 32768);
    assert_non_null(r0);
    assert_non_null(r1);
    assert_int_equal(atomic_load(&r0->packet_count), 3);
    assert_int_equal(atomic_load(&r1->packet_count), 2);
    assert_int_equal(atomic_load(&f->ofproto->tables[0].lookup_count), 3);
    assert_int_equal(atomic_load(&t1->lookup_count), 3);
    assert_int_equal(atomic_load(&t1->matched_count), 2);

    /* A change in table 1 replaces the second-pass flows only. */
    mod_flow(f->ofproto, "table=1,ip,nw_src=192.168.10.10,actions=output:3");
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(n_dp_flows(f->dp), 2);
    inject_mpls(f->p[1], "192.168.10.10");
    assert_true(wait_tx(f->p[3], 1));
    assert_int_equal(netdev_dummy_tx_count(f->p[2]), 2);

    /* The states the cached flows use are not collected. */
    ofproto_pull_stats(f->ofproto);
    ofproto_pull_stats(f->ofproto);
    ofproto_pull_stats(f->ofproto);
    inject_mpls(f->p[1], "192.168.10.10");
    assert_true(wait_tx(f->p[3], 2));
}

/* Packet-ins of the resumed walk carry its table, cookie and in_port. */
static void
test_recirc_packet_in(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(MPLS_KEY);
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct xlate_in xin;
    struct xlate_pin_userdata ud;
    const struct dp_action *a;
    const struct dpa_userspace *us;
    struct ofproto_xlate *x;
    struct result r;
    long long deadline;
    size_t n_pins = 0;

    add_flow(f->ofproto, "mpls,actions=pop_mpls:0x0800,write_metadata:0x7,"
                         "goto_table:1");
    add_flow(f->ofproto, "table=1,cookie=0x42,ip,nw_src=192.168.10.10,"
                         "actions=CONTROLLER:65535");
    xlate(f->ofproto, &k, &r);
    assert_int_not_equal(r.recirc_id, 0);

    memset(&xin, 0, sizeof xin);
    xin.ofproto = f->ofproto;
    xin.flow = inner_key(r.recirc_id, "192.168.10.10");
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    assert_int_equal(xlate_actions(&xin, &acts, &wc), 0);
    a = (const struct dp_action *)acts.data;
    assert_int_equal(a->type, DPA_USERSPACE);
    us = dp_action_payload(a);
    assert_int_equal(us->pid, XLATE_PIN_PID);
    memcpy(&ud, us + 1, sizeof ud);
    assert_int_equal(ud.reason, OFPR_ACTION);
    assert_int_equal(ud.table_id, 1);
    assert_int_equal(ud.in_port, 1);
    assert_int_equal(ud.cookie[1], 0x42);
    assert_int_equal(ntohl(ud.metadata[1]), 7);
    dp_actions_buf_uninit(&acts);

    /* Through the datapath: the packet-in is queued. */
    ofproto_flush_changes(f->ofproto);
    inject_mpls(f->p[1], "192.168.10.10");
    x = xlate_state(f->ofproto);
    deadline = time_msec() + WAIT_MS;
    while (!n_pins && time_msec() < deadline) {
        pthread_mutex_lock(&x->mutex);
        n_pins = x->n_pins;
        pthread_mutex_unlock(&x->mutex);
        usleep(1000);
    }
    assert_int_equal(n_pins, 1);
    ofproto_drain_packet_ins(f->ofproto);
}

static void
test_recirc_trace(void **state)
{
    struct fixture *f = *state;
    struct ds ds = DS_EMPTY;
    struct match m;
    const char *s;
    char *error;

    add_flow(f->ofproto, "mpls,actions=pop_mpls:0x0800,goto_table:1");
    add_flow(f->ofproto, "table=1,ip,actions=output:2");
    error = match_parse("in_port=1,mpls,mpls_label=100,mpls_bos=1", NULL, &m,
                        NULL, NULL);
    assert_null(error);
    xlate_trace_flow(f->ofproto, &m, &ds);
    s = ds_cstr(&ds);
    assert_non_null(strstr(s, "    pop_mpls:0x0800\n"
                              "    Recirculating to read the headers behind "
                              "the popped MPLS label: recirc(0x1)\n"));
    assert_non_null(strstr(s, "\nMegaflow: recirc_id=0,eth,"));
    assert_non_null(
        strstr(s, "\nDatapath actions: pop_mpls(eth_type=0x800),recirc(0x1)"
                  "\n\n====="));
    assert_non_null(strstr(s, "\nrecirc(0x1) - resume the walk"));
    assert_non_null(strstr(s, "\nFlow: recirc_id=0x1,"));
    assert_non_null(strstr(s, "    thaw\n"
                              "        Resuming from table 1\n"
                              "    goto_table:1\n"
                              " 1. ip, priority 32768\n"
                              "    output:2\n"));
    assert_non_null(strstr(s, "\nMegaflow: recirc_id=0x1,eth,"));
    assert_non_null(strstr(s, "\nDatapath actions: 2\n"));
    ds_destroy(&ds);
}

/* A freeze inside a group bucket freezes the rest of that bucket only;
 * the next bucket runs in the first pass. */
static void
test_recirc_bucket(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(MPLS_KEY);
    struct result r;
    char text[128];

    add_group(f->ofproto, "group_id=1,type=all,"
                          "bucket=actions=NORMAL,"
                          "bucket=actions=output:3");
    add_flow(f->ofproto, "mpls,actions=pop_mpls:0x0800,group:1");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    snprintf(text, sizeof text, "pop_mpls(eth_type=0x800),recirc(%#x),3",
             r.recirc_id);
    assert_actions(&r, text);
    k = inner_key(r.recirc_id, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "2,3");
}

/* A packet-out that pops the label and sends the packet to the tables. */
static void
test_recirc_packet_out(void **state)
{
    struct fixture *f = *state;
    struct ofp_packet_out po;
    struct ofpbuf ofpacts;
    struct pb pb;
    char *error;

    add_flow(f->ofproto, "in_port=1,ip,nw_src=192.168.10.10,actions=output:2");
    pb_init(&pb);
    pb_eth(&pb, MAC_B, MAC_A, ETH_TYPE_MPLS);
    pb_mpls(&pb, 100, 0, true, 64);
    pb_ipv4(&pb, "192.168.10.10", "10.0.0.2", IPPROTO_UDP, 64);
    pb_udp(&pb, 1000, 53);
    pb_finish(&pb);
    ofpbuf_init(&ofpacts, 64);
    error = ofpacts_parse("pop_mpls:0x0800,TABLE", NULL, &ofpacts);
    assert_null(error);
    memset(&po, 0, sizeof po);
    po.packet = pb.data;
    po.packet_len = pb.len;
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = 1;
    po.ofpacts = (struct ofpact *)(void *)ofpacts.data;
    po.ofpacts_len = ofpacts.size;
    ofproto_flush_changes(f->ofproto);
    assert_int_equal(ofproto_packet_out(f->ofproto, &po), 0);
    assert_true(wait_tx(f->p[2], 1));
    ofpbuf_uninit(&ofpacts);
}

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_output),
        T(test_set_field_masks),
        T(test_goto_metadata),
        T(test_action_set),
        T(test_table_miss),
        T(test_resubmit_limit),
        T(test_dec_ttl_and_vlan_push),
        T(test_of10_vlan),
        T(test_group_all_indirect),
        T(test_group_select),
        T(test_group_ff),
        T(test_meter),
        T(test_normal_learning),
        T(test_normal_vlans),
        T(test_fail_open),
        T(test_packet_in_queue),
        T(test_end_to_end),
        T(test_end_to_end_normal),
        T(test_packet_out),
        T(test_trace),
        T(test_recirc_pop_mpls),
        T(test_recirc_state),
        T(test_recirc_limit_and_gc),
        T(test_recirc_end_to_end),
        T(test_recirc_packet_in),
        T(test_recirc_trace),
        T(test_recirc_bucket),
        T(test_recirc_packet_out),
        cmocka_unit_test(test_mac_learning_table),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
