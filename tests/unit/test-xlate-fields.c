/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-xlate-fields: translation of the actions that write fields and
 * registers (ofproto/xlate.c): Nicira load/move, registers through the
 * pipeline and a recirculation, PBB push/pop and I-TAG rewrites, and the
 * MPLS TTL copies.  Same fixture as test-xlate.c (xlate-fixture.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/dp-actions.h"
#include "lib/packets.h"
#include "ofproto/xlate.h"
#include "tests/unit/xlate-fixture.h"

/* ---- Registers, load and move. ---- */

/* Nicira load/move: registers are written in the pipeline (seen by the
 * next table's lookup, never sent to the datapath); a load or move into a
 * packet field becomes a set action, and a move's source is matched on. */
static void
test_reg_load_move(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "table=0,in_port=1,actions=load:0x5->NXM_NX_REG0[],"
                         "load:0x3->NXM_NX_REG1[4..7],goto_table:1");
    add_flow(f->ofproto, "table=1,priority=10,actions=output:2");
    add_flow(f->ofproto,
             "table=1,priority=20,reg0=0x5,reg1=0x30/0xf0,actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "3");
    assert_string_equal(r.megaflow, "recirc_id(0),in_port(1)");

    /* A different value misses the rule of table 1. */
    add_flow(f->ofproto, "table=0,priority=40000,in_port=1,"
                         "actions=load:0x6->NXM_NX_REG0[],goto_table:1");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "2");

    /* Into packet fields: the low byte of eth_dst, and eth_src[0..7]
     * moved to eth_dst[8..15]. */
    add_flow(f->ofproto,
             "table=0,priority=50000,in_port=1,"
             "actions=load:0x99->NXM_OF_ETH_DST[0..7],"
             "move:NXM_OF_ETH_SRC[0..7]->NXM_OF_ETH_DST[8..15],output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "set(eth(dst=00:00:00:00:0a:99/00:00:00:00:ff:ff)),2");
    /* The move read eth_src. */
    assert_false(eth_addr_is_zero(r.wc.masks.dl_src));
}

/* Registers: set_field writes them, a later table matches them, they are
 * never in the megaflow's mask, they survive a recirculation and a
 * packet-in carries them. */
static void
test_registers(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct xlate_in xin;
    struct xlate_pin_userdata ud;
    const struct dp_action *a;
    struct result r;

    add_flow(f->ofproto, "table=0,in_port=1,actions=set_field:5->reg0,"
                         "set_field:0x70/0xf0->reg3,goto_table:1");
    add_flow(f->ofproto, "table=1,priority=10,actions=output:2");
    add_flow(f->ofproto, "table=1,priority=20,reg0=5,reg3=0x70/0xf0,"
                         "actions=output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "3");
    for (int i = 0; i < 8; i++) {
        assert_int_equal(r.wc.masks.regs[i], 0);
    }
    /* A packet enters with zeroed registers. */
    add_flow(f->ofproto, "table=0,priority=40000,in_port=1,reg0=5,"
                         "actions=output:1");
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "3");

    /* Across a recirculation, into a packet-in. */
    k = key(MPLS_KEY);
    add_flow(f->ofproto, "priority=50000,mpls,actions=pop_mpls:0x0800,"
                         "set_field:9->reg1,"
                         "goto_table:2");
    add_flow(f->ofproto, "table=2,reg1=9,ip,actions=CONTROLLER:65535");
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
    memcpy(&ud, (const struct dpa_userspace *)dp_action_payload(a) + 1,
           sizeof ud);
    assert_int_equal(ud.table_id, 2);
    assert_int_equal(ud.regs[1], 9);
    assert_int_equal(ud.regs[0], 0);
    dp_actions_buf_uninit(&acts);
}

/* ---- PBB. ---- */

static const char *const PBB_KEY =
    "in_port(1),eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b),"
    "eth_type(0x88e7),pbb(isid=100,uca=0)";

/* pop_pbb hides nothing from outputs but everything from later tables:
 * goto_table recirculates and the next pass sees the customer frame. */
static void
test_pbb_pop_recirc(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(PBB_KEY);
    struct result r;
    char text[64];

    add_flow(f->ofproto, "dl_type=0x88e7,actions=pop_pbb,goto_table:1");
    add_flow(f->ofproto, "table=1,tcp,nw_src=192.168.10.10,actions=output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_int_not_equal(r.recirc_id, 0);
    snprintf(text, sizeof text, "pop_pbb,recirc(%#x)", r.recirc_id);
    assert_actions(&r, text);
    assert_non_null(strstr(r.megaflow, "eth_type(0x88e7)"));
    assert_null(strstr(r.megaflow, "pbb("));

    k = inner_key(r.recirc_id, "192.168.10.10");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "2");

    /* Straight to a port: no recirculation. */
    add_flow(f->ofproto, "priority=40000,dl_type=0x88e7,pbb_isid=100,"
                         "actions=pop_pbb,output:3");
    k = key(PBB_KEY);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "pop_pbb,3");
    assert_non_null(strstr(r.megaflow, "pbb(isid=100)"));
}

/* push_pbb keeps the MAC addresses, starts a zero I-SID (that of an
 * outer I-TAG if there is one) and lets set_field rewrite it. */
static void
test_pbb_push_set(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;

    add_flow(f->ofproto, "tcp,actions=push_pbb:0x88e7,"
                         "set_field:0x12345->pbb_isid,output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "push_pbb(isid=0),set(pbb(isid=74565)),2");

    add_flow(f->ofproto, "dl_type=0x88e7,actions=push_pbb:0x88e7,"
                         "set_field:1->pbb_uca,output:2");
    k = key(PBB_KEY);
    xlate(f->ofproto, &k, &r);
    assert_actions(&r, "push_pbb(isid=100),set(pbb(uca=1)),2");
    assert_non_null(strstr(r.megaflow, "pbb(isid=100)"));
}

/* ---- MPLS TTL copies. ---- */

/* Two entries, TTLs 30 (label 200) and 20 (label 100, bottom). */
static const char *const MPLS2_KEY =
    "in_port(1),eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b),"
    "eth_type(0x8847),mpls(lse0=0xc801e,lse1=0x64114)";

/* copy_ttl_in/out become datapath actions on packets with a label stack,
 * nothing on others; the megaflow matches the TTLs the working flow copied
 * and later actions see the copied value. */
static void
test_copy_ttl(void **state)
{
    struct fixture *f = *state;
    struct flow k = key(TCP_KEY);
    struct result r;
    char text[160];

    /* No label stack: nothing, but the megaflow says so. */
    add_flow(f->ofproto, "tcp,actions=copy_ttl_in,copy_ttl_out,output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "2");
    assert_non_null(strstr(r.megaflow, "eth_type(0x0800)"));

    /* Pushed onto IPv4 (TTL 64): out copies the IP TTL into the label, so
     * a later dec_mpls_ttl writes 63; the IP TTL is matched on. */
    add_flow(f->ofproto, "priority=40000,tcp,actions=push_mpls:0x8847,"
                         "set_mpls_ttl:10,copy_ttl_out,dec_mpls_ttl,"
                         "output:2");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "push_mpls(label=0,tc=0,ttl=64,bos=1,eth_type=0x8847),"
                       "set(mpls(ttl=10)),copy_ttl_out,set(mpls(ttl=63)),2");
    assert_non_null(strstr(r.megaflow, "ttl=64"));

    /* One label in, copied in, popped: the IP packet carries its TTL. */
    add_flow(f->ofproto, "mpls,actions=copy_ttl_in,pop_mpls:0x0800,"
                         "output:2");
    k = key(MPLS_KEY);
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "copy_ttl_in,pop_mpls(eth_type=0x800),2");
    assert_non_null(strstr(r.megaflow, "lse0=0x64140/0x1ff"));

    /* Two labels: between the entries, both TTLs matched on. */
    k = key(MPLS2_KEY);
    add_flow(f->ofproto, "priority=40000,mpls,actions=copy_ttl_out,"
                         "dec_mpls_ttl,output:2,copy_ttl_in,output:3");
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "copy_ttl_out,set(mpls(ttl=19)),2,copy_ttl_in,3");
    assert_non_null(
        strstr(r.megaflow, "lse0=0xc801e/0x1ff,lse1=0x64114/0x1ff"));

    /* One label, out: the IP TTL is not in the key; the dec_mpls_ttl that
     * reads the label waits for a recirculation. */
    mod_flow(f->ofproto, "priority=40000,mpls,actions=copy_ttl_out,"
                         "dec_mpls_ttl,output:2");
    k = key(MPLS_KEY);
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_int_not_equal(r.recirc_id, 0);
    snprintf(text, sizeof text, "copy_ttl_out,recirc(%#x)", r.recirc_id);
    assert_actions(&r, text);
    snprintf(text, sizeof text,
             "recirc_id(%u),in_port(1),eth(src=00:00:00:00:00:0a,"
             "dst=00:00:00:00:00:0b),eth_type(0x8847),"
             "mpls(label=100,tc=0,ttl=33,bos=1)",
             r.recirc_id);
    k = key(text);
    xlate(f->ofproto, &k, &r);
    assert_int_equal(r.error, 0);
    assert_actions(&r, "set(mpls(ttl=32)),2");
}

#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reg_load_move), T(test_registers), T(test_pbb_pop_recirc),
        T(test_pbb_push_set),  T(test_copy_ttl),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
