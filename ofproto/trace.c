/* SPDX-License-Identifier: Apache-2.0 */
/*
 * trace: "ofproto/trace BRIDGE FLOW", the walk of FLOW through BRIDGE's
 * tables, its megaflow and its datapath actions, in Open vSwitch's layout.
 * FLOW is in ovs-dpctl syntax ("in_port(1),eth(...)", in_port a datapath
 * port) or in ovs-ofctl match syntax ("in_port=1,tcp,...", an OpenFlow
 * port).  Tracing has no side effects (no learning, no counters).  The
 * fdb/ commands and ofproto/list live in ofproto.c.
 */
#include <config.h>

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
    ds_put_cstr(ds, "\nFinal flow: ");
    if (changed) {
        flow_apply_mask(&fm.flow, final, &fm.wc);
        match_format(&fm, NULL, -1, ds);
    } else {
        ds_put_cstr(ds, "unchanged");
    }
}

/* Appends the trace of 'm' through 'ofproto' to 'ds'. */
void
xlate_trace_flow(struct ofproto *ofproto, const struct match *m, struct ds *ds)
{
    struct xlate_in xin;
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct match mega;
    struct flow final;
    int error;

    ds_put_cstr(ds, "Flow: ");
    match_format(m, NULL, -1, ds);
    ds_put_format(ds, "\n\nbridge(\"%s\")\n", ofproto->name);
    for (size_t i = 0; i < strlen(ofproto->name) + 10; i++) {
        ds_put_char(ds, '-');
    }
    ds_put_char(ds, '\n');

    memset(&xin, 0, sizeof xin);
    xin.ofproto = ofproto;
    xin.flow = m->flow;
    xin.flow.in_port = trace_dp_port(ofproto, m->flow.in_port);
    xin.in_ofp_port = m->flow.in_port;
    xin.trace = ds;
    xin.final_flow = &final;
    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    wc.masks.in_port = UINT32_MAX;
    error = xlate_actions(&xin, &acts, &wc);
    if (error) {
        ds_put_format(ds, "\nTranslation failed (%s), packet is dropped.\n",
                      tern_strerror(error));
    }

    trace_final_flow(m, &final, ds);
    flow_wildcards_add_prereqs(&wc, &xin.flow);
    mega.wc = wc;
    mega.wc.masks.recirc_id = 0;
    flow_apply_mask(&mega.flow, &xin.flow, &mega.wc);
    mega.flow.in_port = m->flow.in_port;
    ds_put_cstr(ds, "\nMegaflow: recirc_id=0,eth,");
    match_format(&mega, NULL, -1, ds);
    ds_chomp(ds, ',');
    ds_put_cstr(ds, "\nDatapath actions: ");
    odp_actions_format(acts.data, acts.size, ds);
    ds_put_char(ds, '\n');
    dp_actions_buf_uninit(&acts);
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
