/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-fixture: what the translation tests (test-xlate.c,
 * test-xlate-fields.c) share: a switch over a datapath with three dummy
 * ports, flows and groups added in ovs-ofctl syntax, keys in ovs-dpctl
 * syntax and translations formatted as ovs-dpctl text.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netdev.h"
#include "lib/odp-util.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/rcu.h"
#include "ofproto/ofproto-private.h"
#include "ofproto/xlate.h"
#include "tests/unit/dp-fixture.h"
#include "tests/unit/xlate-fixture.h"

const char *const MAC_A = "00:00:00:00:00:0a";
const char *const MAC_B = "00:00:00:00:00:0b";

/* ---- Helpers. ---- */

void
add_flow(struct ofproto *ofproto, const char *text)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;
    char *error;

    ofpbuf_init(&ofpacts, 64);
    error = ofp_flow_mod_parse(text, OFPFC_ADD, NULL, &fm, &ofpacts);
    if (error) {
        fail_msg("%s: %s", text, error);
    }
    assert_int_equal(ofproto_flow_mod(ofproto, &fm), 0);
    ofpbuf_uninit(&ofpacts);
}

void
mod_flow(struct ofproto *ofproto, const char *text)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;
    char *error;

    ofpbuf_init(&ofpacts, 64);
    error = ofp_flow_mod_parse(text, OFPFC_MODIFY_STRICT, NULL, &fm, &ofpacts);
    if (error) {
        fail_msg("%s: %s", text, error);
    }
    assert_int_equal(ofproto_flow_mod(ofproto, &fm), 0);
    ofpbuf_uninit(&ofpacts);
}

void
add_group(struct ofproto *ofproto, const char *text)
{
    struct ofp_group_mod gm;
    char *error;

    memset(&gm, 0, sizeof gm);
    error = ofp_group_mod_parse(text, OFPGC_ADD, NULL, &gm);
    if (error) {
        fail_msg("%s: %s", text, error);
    }
    assert_int_equal(ofproto_group_mod(ofproto, &gm), 0);
    ofp_group_mod_uninit(&gm);
}

struct flow
key(const char *text)
{
    struct flow_wildcards mask;
    struct flow flow;
    char *error = odp_flow_from_string(text, &flow, &mask);

    if (error) {
        fail_msg("%s: %s", text, error);
    }
    return flow;
}

/* An Ethernet key from 'src' to 'dst' on 'in_port', optionally tagged. */
struct flow
eth_key(uint32_t in_port, const char *src, const char *dst, int vid)
{
    char text[256];

    if (vid >= 0) {
        snprintf(text, sizeof text,
                 "in_port(%u),eth(src=%s,dst=%s),eth_type(0x8100),"
                 "vlan(vid=%d,pcp=0),encap(eth_type(0x1234))",
                 in_port, src, dst, vid);
    } else {
        snprintf(text, sizeof text,
                 "in_port(%u),eth(src=%s,dst=%s),eth_type(0x1234)", in_port,
                 src, dst);
    }
    return key(text);
}

const char *const TCP_KEY =
    "in_port(1),eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b),"
    "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,"
    "frag=no),tcp(src=1000,dst=80)";

void
xlate_opts(struct ofproto *ofproto, const struct flow *flow, bool learn,
           struct result *r)
{
    struct xlate_in xin;
    struct dp_actions_buf acts;
    struct ds ds = DS_EMPTY;

    memset(&xin, 0, sizeof xin);
    xin.ofproto = ofproto;
    xin.flow = *flow;
    xin.may_learn = learn;
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&r->wc);
    r->wc.masks.in_port = UINT32_MAX;
    r->wc.masks.recirc_id = UINT32_MAX;
    r->error = xlate_actions(&xin, &acts, &r->wc);
    assert_int_equal(dp_actions_validate(acts.data, acts.size), 0);
    r->recirc_id = 0;
    DP_ACTIONS_FOR_EACH(a, acts.data, acts.size)
    {
        if (a->type == DPA_RECIRC) {
            memcpy(&r->recirc_id, dp_action_payload(a), sizeof r->recirc_id);
        }
    }
    odp_actions_format(acts.data, acts.size, &ds);
    snprintf(r->actions, sizeof r->actions, "%s", ds_cstr(&ds));
    ds_clear(&ds);
    odp_flow_format(flow, &r->wc, &ds);
    snprintf(r->megaflow, sizeof r->megaflow, "%s", ds_cstr(&ds));
    ds_destroy(&ds);
    dp_actions_buf_uninit(&acts);
}

void
xlate(struct ofproto *ofproto, const struct flow *flow, struct result *r)
{
    xlate_opts(ofproto, flow, true, r);
}

/* ---- Fixture. ---- */

int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    char *err = NULL;

    assert_int_equal(dpif_create("xl0", &f->dp), 0);
    for (uint32_t i = 1; i <= 3; i++) {
        char name[16];
        uint32_t no = i;

        snprintf(name, sizeof name, "xp%u", i);
        assert_int_equal(netdev_open(name, "dummy", NULL, &f->p[i], &err), 0);
        assert_int_equal(dpif_port_add(f->dp, f->p[i], &no), 0);
    }
    assert_int_equal(ofproto_create("brx", f->dp, &f->ofproto), 0);
    *state = f;
    return 0;
}

int
teardown(void **state)
{
    struct fixture *f = *state;

    ofproto_xlate_destroy(f->ofproto);
    ofproto_destroy(f->ofproto);
    dpif_destroy(f->dp);
    rcu_synchronize();
    free(f);
    return 0;
}

const char *const MPLS_KEY =
    "in_port(1),eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b),"
    "eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)";

/* The key of the second pass of MPLS_KEY's packet, IPv4 from 'src'. */
struct flow
inner_key(uint32_t recirc_id, const char *src)
{
    char text[512];

    snprintf(text, sizeof text,
             "recirc_id(%u),in_port(1),eth(src=00:00:00:00:00:0a,"
             "dst=00:00:00:00:00:0b),eth_type(0x0800),ipv4(src=%s,"
             "dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,"
             "dst=80)",
             recirc_id, src);
    return key(text);
}

int
group_setup(void **state)
{
    (void)state;
    return dp_fixture_init();
}
