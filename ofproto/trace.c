/* SPDX-License-Identifier: Apache-2.0 */
/*
 * trace: "ofproto/trace BRIDGE FLOW", the walk of FLOW through BRIDGE's
 * tables, its megaflow and its datapath actions, in Open vSwitch's layout.
 * FLOW is in ovs-dpctl syntax ("in_port(1),eth(...)", in_port a datapath
 * port) or in ovs-ofctl match syntax ("in_port=1,tcp,...", an OpenFlow
 * port).  Tracing has no side effects (no learning, no counters).  A
 * walk that recirculates (xlate-freeze.h) is followed by the trace of each
 * later pass, under a banner naming its recirc id.  The
 * fdb/ commands and ofproto/list live in ofproto.c.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>

#include "lib/odp-util.h"
#include "lib/ofp-match.h"
#include "lib/rcu.h"
#include "lib/unixctl.h"
#include "lib/util.h"
#include "ofproto/xlate.h"

static struct ofproto *
trace_find_bridge(struct unixctl_conn *conn, const char *name)
{
    struct ofproto *ofproto = ofproto_lookup(name);

    if (!ofproto) {
        unixctl_command_reply_error(conn, "no such bridge");
    }
    return ofproto;
}

/* Datapath port of OpenFlow port 'ofp_port'. */
static uint32_t
trace_dp_port(struct ofproto *ofproto, uint32_t ofp_port)
{
    const struct ofport_snapshot *s = rcu_get(ofproto->port_snapshot);

    for (size_t i = 0; s && i < s->n; i++) {
        if (s->ports[i].ofp_port == ofp_port) {
            return s->ports[i].dp_port;
        }
    }
    return ofp_port;
}

static uint32_t
trace_ofp_port(struct ofproto *ofproto, uint32_t dp_port)
{
    const struct ofport_snapshot *s = rcu_get(ofproto->port_snapshot);

    for (size_t i = 0; s && i < s->n; i++) {
        if (s->ports[i].dp_port == dp_port) {
            return s->ports[i].ofp_port;
        }
    }
    return dp_port;
}

/* Parses 'text' in either syntax into 'm' (OpenFlow in_port).  Returns
 * NULL or an error message (caller frees). */
static char *
trace_parse_flow(struct ofproto *ofproto, const char *text, struct match *m)
{
    char *error;

    match_init_catchall(m);
    if (strchr(text, '(')) {
        error = odp_flow_from_string(text, &m->flow, &m->wc);
        if (!error) {
            m->flow.in_port = trace_ofp_port(ofproto, m->flow.in_port);
        }
        return error;
    }
    return match_parse(text, NULL, m, NULL, NULL);
}

/* "Final flow:": "unchanged", or the given fields and every field the
 * actions changed. */
static void
trace_final_flow(const struct match *m, const struct flow *final,
                 struct ds *ds)
{
    const uint8_t *a = (const uint8_t *)&m->flow;
    const uint8_t *b = (const uint8_t *) final;
    bool changed = false;
    struct match fm;
    uint8_t *w;

    fm.wc = m->wc;
    w = (uint8_t *)&fm.wc.masks;
    for (size_t i = offsetof(struct flow, dl_dst);
         i < offsetof(struct flow, metadata); i++) {
        if (a[i] != b[i]) {
            w[i] = 0xff;
            changed = true;
        }
    }
    memset(fm.wc.masks.metadata, 0, sizeof fm.wc.masks.metadata);
    if (final->dl_type != htons(ETH_TYPE_MPLS) &&
        final->dl_type != htons(ETH_TYPE_MPLS_MCAST)) {
        /* The label stack is gone. */
        memset(fm.wc.masks.mpls_lse, 0, sizeof fm.wc.masks.mpls_lse);
    }
    ds_put_cstr(ds, "\nFinal flow: ");
    if (changed) {
        flow_apply_mask(&fm.flow, final, &fm.wc);
        match_format(&fm, NULL, -1, ds);
    } else {
        ds_put_cstr(ds, "unchanged");
    }
}

static void
trace_rule(struct ds *ds)
{
    for (int i = 0; i < 79; i++) {
        ds_put_char(ds, '=');
    }
}

/* The flow the trace of a later pass starts from: 'next' (what the
 * previous pass left, recirc_id set, datapath in_port) under the fields
 * given for the first pass ('m'), the label stack's gone once popped. */
static void
trace_next_match(struct ofproto *ofproto, const struct match *m,
                 const struct flow *next, struct match *m2)
{
    m2->flow = *next;
    m2->flow.in_port = trace_ofp_port(ofproto, next->in_port);
    m2->wc = m->wc;
    m2->wc.masks.dl_type = UINT16_MAX;
    if (next->dl_type != htons(ETH_TYPE_MPLS) &&
        next->dl_type != htons(ETH_TYPE_MPLS_MCAST)) {
        memset(m2->wc.masks.mpls_lse, 0, sizeof m2->wc.masks.mpls_lse);
    }
    memset(m2->wc.masks.metadata, 0, sizeof m2->wc.masks.metadata);
    flow_apply_mask(&m2->flow, &m2->flow, &m2->wc);
    m2->flow.recirc_id = next->recirc_id;
}

/* One datapath pass of the trace: 'm' (OpenFlow in_port, recirc_id in
 * m->flow) entering on datapath port 'dp_in'; then the passes its
 * recirculations lead to, up to 'depth_left' more. */
static void
trace_pass(struct ofproto *ofproto, const struct match *m, uint32_t dp_in,
           int depth_left, struct ds *ds)
{
    struct xlate_recircs rc;
    struct xlate_in xin;
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct match mega;
    struct flow final;
    int error;

    ds_put_cstr(ds, "Flow: ");
    if (m->flow.recirc_id) {
        ds_put_format(ds, "recirc_id=%#" PRIx32 ",", m->flow.recirc_id);
    }
    match_format(m, NULL, -1, ds);
    ds_put_format(ds, "\n\nbridge(\"%s\")\n", ofproto->name);
    for (size_t i = 0; i < strlen(ofproto->name) + 10; i++) {
        ds_put_char(ds, '-');
    }
    ds_put_char(ds, '\n');

    memset(&xin, 0, sizeof xin);
    memset(&rc, 0, sizeof rc);
    xin.ofproto = ofproto;
    xin.flow = m->flow;
    xin.flow.in_port = dp_in;
    xin.in_ofp_port = m->flow.in_port;
    xin.trace = ds;
    xin.final_flow = &final;
    xin.recircs = &rc;
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    wc.masks.in_port = UINT32_MAX;
    error = xlate_actions(&xin, &acts, &wc);
    if (error) {
        ds_put_format(ds, "\nTranslation failed (%s), packet is dropped.\n",
                      tern_strerror(error));
        rc.n = 0;
    }

    trace_final_flow(m, &final, ds);
    flow_wildcards_add_prereqs(&wc, &xin.flow);
    mega.wc = wc;
    mega.wc.masks.recirc_id = 0;
    flow_apply_mask(&mega.flow, &xin.flow, &mega.wc);
    mega.flow.in_port = m->flow.in_port;
    ds_put_format(ds, "\nMegaflow: recirc_id=%#" PRIx32 ",eth,",
                  m->flow.recirc_id);
    match_format(&mega, NULL, -1, ds);
    ds_chomp(ds, ',');
    ds_put_cstr(ds, "\nDatapath actions: ");
    odp_actions_format(acts.data, acts.size, ds);
    ds_put_char(ds, '\n');
    dp_actions_buf_uninit(&acts);

    for (size_t i = 0; i < rc.n && depth_left > 0; i++) {
        struct match m2;

        ds_put_char(ds, '\n');
        trace_rule(ds);
        ds_put_format(ds,
                      "\nrecirc(%#" PRIx32 ") - resume the walk after "
                      "pop_mpls, on the headers under the label stack\n",
                      rc.ids[i]);
        trace_rule(ds);
        ds_put_cstr(ds, "\n\n");
        trace_next_match(ofproto, m, &rc.flows[i], &m2);
        trace_pass(ofproto, &m2, rc.flows[i].in_port, depth_left - 1, ds);
    }
}

/* Appends the trace of 'm' through 'ofproto' to 'ds'.  Recirculations are
 * traced on the flow the first pass leaves (the headers the label stack
 * hid are unknown, so zero unless 'm' gave them).  Frozen states made for
 * them stay in the switch's table until garbage-collected, like any
 * other: that is the only side effect. */
void
xlate_trace_flow(struct ofproto *ofproto, const struct match *m, struct ds *ds)
{
    trace_pass(ofproto, m, trace_dp_port(ofproto, m->flow.in_port),
               XLATE_MAX_RECIRCS, ds);
}

static void
trace_cmd(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct ofproto *ofproto = trace_find_bridge(conn, argv[1]);
    struct ds ds = DS_EMPTY;
    struct match m;
    char *error;

    (void)aux;
    if (!ofproto) {
        return;
    }
    if (argc < 3) {
        unixctl_command_reply_error(conn, "missing flow");
        return;
    }
    error = trace_parse_flow(ofproto, argv[2], &m);
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    xlate_trace_flow(ofproto, &m, &ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

void
ofproto_trace_register_commands(void)
{
    static bool registered;

    if (registered) {
        return;
    }
    registered = true;
    unixctl_command_register("ofproto/trace", "BRIDGE FLOW", 2, 2, trace_cmd,
                             NULL);
}
