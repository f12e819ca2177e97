/* SPDX-License-Identifier: Apache-2.0 */
/*
 * normal: the NORMAL action — an 802.1Q learning switch over the ports of
 * one switch.  The input VLAN comes from the in_port's Port tag/trunks/
 * vlan_mode (ofport snapshot); the source MAC is learned in that VLAN
 * (mac-learning.c); a known unicast destination goes to its port, anything
 * else floods the VLAN.  Each output is tagged or untagged as the output
 * port's VLAN mode asks.
 *
 * Megaflow: the decision reads in_port, dl_dst, dl_src and the outer VLAN
 * tag, so those are unmasked.  A learning change marks the switch dirty so
 * that revalidation fixes cached flows that flooded before.
 */
#include <config.h>

#include "ofproto/xlate.h"

#include <inttypes.h>

#include "ofproto/mac-learning.h"
#include "lib/util.h"

/* A port's VLAN configuration; a port missing from the snapshot is a
 * trunk of every VLAN. */
static const struct ofproto_port_vlan trunk_all = {
    .mode = OFPROTO_VLAN_TRUNK,
    .tag = -1,
};

static const struct ofproto_port_vlan *
port_vlan(const struct ofport_snapshot_port *p)
{
    return p ? &p->vlan : &trunk_all;
}

static bool
vlan_in_trunks(const struct ofproto_port_vlan *v, uint16_t vlan)
{
    if (!v->trunks || !v->n_trunks) {
        return true;
    }
    for (size_t i = 0; i < v->n_trunks; i++) {
        if (v->trunks[i] == vlan) {
            return true;
        }
    }
    return false;
}

static uint16_t
port_tag(const struct ofproto_port_vlan *v)
{
    return v->tag >= 0 && v->tag <= VLAN_VID_MASK ? (uint16_t)v->tag : 0;
}

/* The VLAN a packet with outer 'vid' ('tagged') belongs to on input port
 * 'v', or -1 if the port does not accept it. */
static int
input_vlan(const struct ofproto_port_vlan *v, bool tagged, uint16_t vid)
{
    switch (v->mode) {
    case OFPROTO_VLAN_ACCESS:
        return tagged && vid ? -1 : port_tag(v);
    case OFPROTO_VLAN_NATIVE_TAGGED:
    case OFPROTO_VLAN_NATIVE_UNTAGGED:
        if (!tagged || !vid) {
            return port_tag(v);
        }
        return vid == port_tag(v) || vlan_in_trunks(v, vid) ? vid : -1;
    case OFPROTO_VLAN_TRUNK:
    default:
        vid = tagged ? vid : 0;
        return vlan_in_trunks(v, vid) ? vid : -1;
    }
}

static bool
output_allowed(const struct ofproto_port_vlan *v, uint16_t vlan)
{
    switch (v->mode) {
    case OFPROTO_VLAN_ACCESS:
        return vlan == port_tag(v);
    case OFPROTO_VLAN_NATIVE_TAGGED:
    case OFPROTO_VLAN_NATIVE_UNTAGGED:
        return vlan == port_tag(v) || vlan_in_trunks(v, vlan);
    case OFPROTO_VLAN_TRUNK:
    default:
        return vlan_in_trunks(v, vlan);
    }
}

/* The outer tag a packet of 'vlan' leaves port 'v' with (0: untagged). */
static tern_be16
output_tci(const struct ofproto_port_vlan *v, uint16_t vlan, tern_be16 pcp)
{
    bool tagged;

    switch (v->mode) {
    case OFPROTO_VLAN_ACCESS:
        tagged = false;
        break;
    case OFPROTO_VLAN_NATIVE_UNTAGGED:
        tagged = vlan != port_tag(v);
        break;
    case OFPROTO_VLAN_NATIVE_TAGGED:
    case OFPROTO_VLAN_TRUNK:
    default:
        tagged = vlan != 0;
        break;
    }
    return tagged ? htons(VLAN_CFI | vlan) | pcp : 0;
}

static void
normal_output(struct xlate_ctx *ctx, const struct ofport_snapshot_port *p,
              uint16_t vlan, tern_be16 pcp)
{
    xlate_commit_vlan(ctx, output_tci(port_vlan(p), vlan, pcp));
    xlate_output_port(ctx, p->ofp_port);
}

static void
normal_flood(struct xlate_ctx *ctx, uint16_t vlan, tern_be16 pcp)
{
    const struct ofport_snapshot *s = ctx->ports;

    xlate_trace(ctx, " -> no learned MAC for destination, flooding VLAN %u",
                vlan);
    for (size_t i = 0; s && i < s->n; i++) {
        const struct ofport_snapshot_port *p = &s->ports[i];

        if (p->ofp_port == ctx->in_port ||
            (p->config & (OFPPC_NO_FWD | OFPPC_PORT_DOWN)) ||
            !output_allowed(&p->vlan, vlan)) {
            continue;
        }
        normal_output(ctx, p, vlan, pcp);
    }
}

static bool
eth_addr_is_multicast(struct eth_addr a)
{
    return (a.ea[0] & 1) != 0;
}

/* 01:80:c2:00:00:0x: link-local protocols (STP, LACP, ...) a bridge does
 * not forward. */
static bool
eth_addr_is_reserved(struct eth_addr a)
{
    static const uint8_t prefix[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};

    return !memcmp(a.ea, prefix, sizeof prefix) && (a.ea[5] & 0xf0) == 0;
}

void
xlate_normal(struct xlate_ctx *ctx)
{
    struct flow_wildcards *wc = ctx->wc;
    const struct flow *f = &ctx->flow;
    const struct ofport_snapshot_port *in = xlate_port(ctx, ctx->in_port);
    struct mac_learning *ml = ctx->ofproto->ml;
    bool tagged = (f->vlans[0].tci & htons(VLAN_CFI)) != 0;
    uint16_t vid = ntohs(f->vlans[0].tci) & VLAN_VID_MASK;
    tern_be16 pcp = tagged ? f->vlans[0].tci & htons(VLAN_PCP_MASK) : 0;
    long long now = time_msec();
    uint32_t out_port;
    int vlan;

    memset(&wc->masks.dl_dst, 0xff, sizeof wc->masks.dl_dst);
    memset(&wc->masks.dl_src, 0xff, sizeof wc->masks.dl_src);
    wc->masks.vlans[0].tci = UINT16_MAX;
    wc->masks.in_port = UINT32_MAX;

    if (eth_addr_is_reserved(f->dl_dst)) {
        xlate_trace(ctx, " -> reserved multicast destination: drop");
        return;
    }
    vlan = input_vlan(port_vlan(in), tagged, vid);
    if (vlan < 0) {
        xlate_trace(ctx, " -> VLAN %u not allowed on port %" PRIu32 ": drop",
                    vid, ctx->in_port);
        return;
    }
    if (ml && ctx->xin->may_learn && !eth_addr_is_multicast(f->dl_src) &&
        mac_learning_learn(ml, f->dl_src, (uint16_t)vlan, ctx->in_port, now)) {
        ofproto_mark_dirty(ctx->ofproto);
    }
    if (eth_addr_is_multicast(f->dl_dst) || !ml) {
        normal_flood(ctx, (uint16_t)vlan, pcp);
        return;
    }
    out_port = mac_learning_lookup(ml, f->dl_dst, (uint16_t)vlan, now);
    if (out_port == UINT32_MAX) {
        normal_flood(ctx, (uint16_t)vlan, pcp);
    } else if (out_port == ctx->in_port) {
        xlate_trace(ctx, " -> learned port is the input port: drop");
    } else {
        const struct ofport_snapshot_port *p = xlate_port(ctx, out_port);

        xlate_trace(ctx, " -> forwarding to learned port %" PRIu32, out_port);
        if (p && output_allowed(&p->vlan, (uint16_t)vlan)) {
            normal_output(ctx, p, (uint16_t)vlan, pcp);
        }
    }
}
