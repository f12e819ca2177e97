/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate: the OpenFlow pipeline walk that turns a packet key into datapath
 * actions and a megaflow mask (see xlate.h).  Tables, instructions, the
 * action set, groups and the individual actions live here; NORMAL is in
 * normal.c, the MPLS and TTL actions in xlate-mpls.c, freezing and
 * thawing in xlate-freeze.c.
 */
#include <config.h>

#include "ofproto/xlate.h"
#include "ofproto/xlate-freeze.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/ofp-match.h"
#include "lib/rcu.h"
#include "lib/util.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(xlate);

static void xlate_ofpact(struct xlate_ctx *, const struct ofpact *);
static void xlate_table(struct xlate_ctx *, uint8_t table_id);
static void xlate_group(struct xlate_ctx *, uint32_t group_id);
static void xlate_trace_ofpact(struct xlate_ctx *, const struct ofpact *);

/* ---- Helpers. ---- */

void
xlate_trace(struct xlate_ctx *ctx, const char *format, ...)
{
    struct ds *ds = ctx->xin->trace;
    va_list args;

    if (!ds) {
        return;
    }
    for (int i = 0; i < ctx->indent; i++) {
        ds_put_char(ds, ' ');
    }
    va_start(args, format);
    ds_put_format_valist(ds, format, args);
    va_end(args);
    ds_put_char(ds, '\n');
}

const struct ofport_snapshot_port *
xlate_port(const struct xlate_ctx *ctx, uint32_t ofp_port)
{
    const struct ofport_snapshot *s = ctx->ports;
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t p = s->ports[mid].ofp_port;

        if (p == ofp_port) {
            return &s->ports[mid];
        } else if (p < ofp_port) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static uint32_t
xlate_dp_to_ofp(const struct xlate_ctx *ctx, uint32_t dp_port)
{
    const struct ofport_snapshot *s = ctx->ports;

    for (size_t i = 0; s && i < s->n; i++) {
        if (s->ports[i].dp_port == dp_port) {
            return s->ports[i].ofp_port;
        }
    }
    return dp_port;
}

static struct ofgroup *
xlate_group_find(const struct xlate_ctx *ctx, uint32_t group_id)
{
    const struct ofgroup_snapshot *s = ctx->groups;
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t id = s->groups[mid]->group_id;

        if (id == group_id) {
            return s->groups[mid];
        } else if (id < group_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static void
xlate_add_u64(_Atomic uint64_t *counter, uint64_t n)
{
    atomic_fetch_add_explicit(counter, n, memory_order_relaxed);
}

/* Statistics are only given on the main thread (revalidate.c), where
 * meters can be looked up. */
static void
xlate_credit_rule(struct xlate_ctx *ctx, struct rule *rule,
                  const struct rule_actions *acts)
{
    const struct dpif_flow_stats *s = ctx->xin->stats;
    long long used;

    if (!s) {
        return;
    }
    if (acts && acts->meter_id) {
        struct ofmeter *m = ofproto_meter_find(ctx->ofproto, acts->meter_id);

        if (m) {
            xlate_add_u64(&m->packet_in_count, s->n_packets);
            xlate_add_u64(&m->byte_in_count, s->n_bytes);
        }
    }
    xlate_add_u64(&rule->packet_count, s->n_packets);
    xlate_add_u64(&rule->byte_count, s->n_bytes);
    used = atomic_load_explicit(&rule->used, memory_order_relaxed);
    while (s->used > used && !atomic_compare_exchange_weak_explicit(
                                 &rule->used, &used, s->used,
                                 memory_order_relaxed, memory_order_relaxed)) {
        continue;
    }
}

/* ---- Committing header changes. ---- */

struct xlate_region {
    uint16_t ofs, len;
};
#define XR(FIELD)                                                             \
    {                                                                         \
        offsetof(struct flow, FIELD), sizeof(((struct flow *)0)->FIELD)       \
    }
/* The fields DPA_SET_MASKED can rewrite. */
static const struct xlate_region settable[] = {
    XR(pkt_mark), XR(dl_dst), XR(dl_src),   XR(vlans[0].tci), XR(mpls_lse[0]),
    XR(nw_src),   XR(nw_dst), XR(ipv6_src), XR(ipv6_dst),     XR(ipv6_label),
    XR(nw_tos),   XR(nw_ttl), XR(nw_proto), XR(nd_target),    XR(arp_sha),
    XR(arp_tha),  XR(tp_src), XR(tp_dst),   XR(pbb_isid),     XR(pbb_uca),
};

void
xlate_commit(struct xlate_ctx *ctx)
{
    const uint8_t *f = (const uint8_t *)&ctx->flow;
    const uint8_t *b = (const uint8_t *)&ctx->base;
    const uint8_t *p = (const uint8_t *)&ctx->pending;
    uint8_t *wcm = (uint8_t *)&ctx->wc->masks;
    struct dpa_set set;
    uint8_t *m = (uint8_t *)&set.mask;
    bool any = false;

    memset(&set, 0, sizeof set);
    for (size_t r = 0; r < ARRAY_SIZE(settable); r++) {
        size_t ofs = settable[r].ofs, len = settable[r].len;
        bool restore = false;

        for (size_t i = ofs; i < ofs + len; i++) {
            m[i] = p[i];
            restore |= ((f[i] ^ b[i]) & ~p[i]) != 0;
        }
        if (restore) {
            /* The packet differs from the working flow outside what the
             * actions wrote (a group bucket's copy being restored): the
             * value written back comes from the packet. */
            memset(m + ofs, 0xff, len);
            memset(wcm + ofs, 0xff, len);
        }
    }
    set.mask.vlans[0].tci &= htons(VLAN_PCP_MASK | VLAN_VID_MASK);
    for (size_t i = 0; i < sizeof set.mask; i++) {
        any |= m[i] != 0;
    }
    memset(&ctx->pending, 0, sizeof ctx->pending);
    if (!any) {
        return;
    }
    flow_apply_mask(&set.value, &ctx->flow,
                    &(struct flow_wildcards){.masks = set.mask});
    /* For the text form: which headers the set names. */
    set.value.dl_type = ctx->flow.dl_type;
    if (!set.mask.nw_proto) {
        set.value.nw_proto = ctx->flow.nw_proto;
    }
    dp_actions_put(ctx->out, DPA_SET_MASKED, &set, sizeof set);
    {
        uint8_t *bw = (uint8_t *)&ctx->base;

        for (size_t i = 0; i < sizeof set.mask; i++) {
            bw[i] = (bw[i] & ~m[i]) | (f[i] & m[i]);
        }
    }
}

static bool
xlate_has_vlan(struct xlate_ctx *ctx)
{
    ctx->wc->masks.vlans[0].tci |= htons(VLAN_CFI);
    return (ctx->flow.vlans[0].tci & htons(VLAN_CFI)) != 0;
}

static void
xlate_emit_pop_vlan(struct xlate_ctx *ctx)
{
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_POP_VLAN, NULL, 0);
    ctx->flow.vlans[0] = ctx->flow.vlans[1];
    memset(&ctx->flow.vlans[1], 0, sizeof ctx->flow.vlans[1]);
    ctx->base.vlans[0] = ctx->base.vlans[1];
    memset(&ctx->base.vlans[1], 0, sizeof ctx->base.vlans[1]);
}

static void
xlate_emit_push_vlan(struct xlate_ctx *ctx, tern_be16 tpid, tern_be16 tci)
{
    struct dpa_push_vlan pv = {.tpid = tpid, .tci = tci | htons(VLAN_CFI)};

    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_PUSH_VLAN, &pv, sizeof pv);
    ctx->flow.vlans[1] = ctx->flow.vlans[0];
    ctx->flow.vlans[0].tpid = tpid;
    ctx->flow.vlans[0].tci = tci | htons(VLAN_CFI);
    ctx->base.vlans[1] = ctx->base.vlans[0];
    ctx->base.vlans[0] = ctx->flow.vlans[0];
}

void
xlate_commit_vlan(struct xlate_ctx *ctx, tern_be16 tci)
{
    bool tagged = xlate_has_vlan(ctx);
    tern_be16 bits = htons(VLAN_PCP_MASK | VLAN_VID_MASK);

    if (!(tci & htons(VLAN_CFI))) {
        if (tagged) {
            xlate_emit_pop_vlan(ctx);
        }
    } else if (!tagged) {
        xlate_emit_push_vlan(ctx, htons(ETH_TYPE_VLAN_8021Q), tci);
    } else {
        ctx->wc->masks.vlans[0].tci |= bits;
        if (!((ctx->flow.vlans[0].tci ^ tci) & bits)) {
            return;
        }
        ctx->flow.vlans[0].tci = tci | htons(VLAN_CFI);
        ctx->pending.vlans[0].tci |= bits;
    }
}

/* ---- Outputs. ---- */

static void
xlate_emit_output(struct xlate_ctx *ctx, uint32_t dp_port)
{
    struct dpa_output o = {.port = dp_port};

    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_OUTPUT, &o, sizeof o);
}

void
xlate_output_port(struct xlate_ctx *ctx, uint32_t ofp_port)
{
    const struct ofport_snapshot_port *p = xlate_port(ctx, ofp_port);

    if (p) {
        if (!(p->config & OFPPC_NO_FWD)) {
            xlate_emit_output(ctx, p->dp_port);
        }
    } else if (!ctx->ports && ofp_port < OFPP_MAX) {
        xlate_emit_output(ctx, ofp_port);
    }
}

void
xlate_controller(struct xlate_ctx *ctx, uint8_t reason, uint16_t max_len,
                 uint16_t controller_id)
{
    struct xlate_pin_userdata ud = {
        .reason = reason,
        .table_id = ctx->table_id,
        .max_len = max_len,
        .controller_id = controller_id,
        .in_port = ctx->in_port,
        .metadata = {ctx->flow.metadata[0], ctx->flow.metadata[1]},
        .cookie = {(uint32_t)(ctx->cookie >> 32), (uint32_t)ctx->cookie},
    };
    memcpy(ud.regs, ctx->flow.regs, sizeof ud.regs);
    size_t n = sizeof(struct dpa_userspace) + ROUND_UP(sizeof ud, 4);
    struct dpa_userspace *us;

    xlate_commit(ctx);
    us = dp_actions_put(ctx->out, DPA_USERSPACE, NULL, n);
    us->pid = XLATE_PIN_PID;
    us->userdata_len = sizeof ud;
    memcpy(us + 1, &ud, sizeof ud);
    xlate_trace(ctx, " -> packet-in (reason %u, max_len %u)", reason, max_len);
}

static void
xlate_flood(struct xlate_ctx *ctx, bool all)
{
    const struct ofport_snapshot *s = ctx->ports;

    for (size_t i = 0; s && i < s->n; i++) {
        const struct ofport_snapshot_port *p = &s->ports[i];

        if (p->ofp_port == ctx->in_port) {
            continue;
        }
        if (p->config &
            (all ? OFPPC_NO_FWD : OFPPC_NO_FWD | OFPPC_PORT_DOWN)) {
            continue;
        }
        xlate_emit_output(ctx, p->dp_port);
    }
}

static void xlate_pipeline(struct xlate_ctx *);

static void
xlate_output(struct xlate_ctx *ctx, uint32_t port, uint16_t max_len)
{
    switch (port) {
    case OFPP_IN_PORT: {
        const struct ofport_snapshot_port *p = xlate_port(ctx, ctx->in_port);

        if (p) {
            xlate_emit_output(ctx, p->dp_port);
        } else if (!ctx->ports && ctx->in_port < OFPP_MAX) {
            xlate_emit_output(ctx, ctx->xin->flow.in_port);
        }
        break;
    }
    case OFPP_TABLE:
        if (ctx->packet_out && ctx->table_id == 255) {
            xlate_pipeline(ctx);
        }
        break;
    case OFPP_NORMAL:
        xlate_normal(ctx);
        break;
    case OFPP_FLOOD:
    case OFPP_ALL:
        xlate_flood(ctx, port == OFPP_ALL);
        break;
    case OFPP_CONTROLLER:
        xlate_controller(ctx, ctx->miss_rule ? OFPR_NO_MATCH : OFPR_ACTION,
                         max_len, 0);
        break;
    case OFPP_ANY:
        break;
    default:
        if (port != ctx->in_port) {
            xlate_output_port(ctx, port);
        }
        break;
    }
}

/* ---- Header rewrites. ---- */

bool
xlate_is_ip(struct xlate_ctx *ctx, bool v4_only)
{
    tern_be16 t = ctx->flow.dl_type;

    ctx->wc->masks.dl_type = UINT16_MAX;
    return t == htons(ETH_TYPE_IP) || (!v4_only && t == htons(ETH_TYPE_IPV6));
}

static bool
xlate_has_l4_ports(struct xlate_ctx *ctx)
{
    uint8_t p = ctx->flow.nw_proto;

    if (!xlate_is_ip(ctx, false)) {
        return false;
    }
    ctx->wc->masks.nw_proto = UINT8_MAX;
    ctx->wc->masks.nw_frag |= FLOW_NW_FRAG_LATER;
    return (p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP) &&
           !(ctx->flow.nw_frag & FLOW_NW_FRAG_LATER);
}

static void
xlate_set_field(struct xlate_ctx *ctx, const struct ofpact_set_field *sf)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    struct flow_wildcards bits;
    union mf_value v;
    bool full = true;

    if (!mf) {
        return;
    }
    mf_mask_prereqs(mf, &ctx->flow, ctx->wc);
    if (!mf_flow_has_field(mf, &ctx->flow)) {
        return;
    }
    for (size_t i = 0; i < mf->n_bytes; i++) {
        full &= sf->mask.bytes[i] == 0xff;
    }
    v = sf->value;
    if (!full) {
        union mf_value old;

        mf_get_value(mf, &ctx->flow, &old);
        for (size_t i = 0; i < mf->n_bytes; i++) {
            v.bytes[i] = (old.bytes[i] & ~sf->mask.bytes[i]) |
                         (sf->value.bytes[i] & sf->mask.bytes[i]);
        }
    }
    mf_set_flow_value(mf, &v, &ctx->flow);
    if (mf->id == MFF_IN_PORT) {
        ctx->in_port = ctx->flow.in_port;
        return;
    }

    flow_wildcards_init_catchall(&bits);
    mf_mask_field(mf, &bits);
    if (!full) {
        struct flow m;
        uint8_t *bw = (uint8_t *)&bits.masks;
        const uint8_t *mw = (const uint8_t *)&m;

        memset(&m, 0, sizeof m);
        mf_set_flow_value(mf, &sf->mask, &m);
        for (size_t i = 0; i < sizeof m; i++) {
            bw[i] &= mw[i];
        }
    }
    {
        uint8_t *pw = (uint8_t *)&ctx->pending;
        const uint8_t *bw = (const uint8_t *)&bits.masks;

        for (size_t i = 0; i < sizeof ctx->pending; i++) {
            pw[i] |= bw[i];
        }
    }
}

/* move: the source bits are read (and so matched on), then written to the
 * destination as a masked set_field. */
static void
xlate_reg_move(struct xlate_ctx *ctx, const struct ofpact_reg_move *rm)
{
    const struct mf_field *src = mf_from_id(rm->src_field);
    const struct mf_field *dst = mf_from_id(rm->dst_field);
    struct ofpact_set_field sf;
    union mf_value v;

    if (!src || !dst) {
        return;
    }
    mf_mask_prereqs(src, &ctx->flow, ctx->wc);
    if (!mf_flow_has_field(src, &ctx->flow)) {
        return;
    }
    mf_mask_field(src, ctx->wc);
    mf_get_value(src, &ctx->flow, &v);
    memset(&sf, 0, sizeof sf);
    sf.ofpact.type = OFPACT_SET_FIELD;
    sf.ofpact.len = sizeof sf;
    sf.field = dst->id;
    ofpact_copy_bits(&v, src->n_bytes, rm->src_ofs, &sf.value, dst->n_bytes,
                     rm->dst_ofs, rm->n_bits, &sf.mask);
    xlate_set_field(ctx, &sf);
}

#define PENDING_ALL(FIELD)                                                    \
    memset(&ctx->pending.FIELD, 0xff, sizeof ctx->pending.FIELD)

static void
xlate_set_vlan(struct xlate_ctx *ctx, const struct ofpact *a)
{
    bool vid = a->type == OFPACT_SET_VLAN_VID;
    tern_be16 bits = htons(vid ? VLAN_VID_MASK : VLAN_PCP_MASK);
    tern_be16 value;
    bool push;

    if (vid) {
        const struct ofpact_vlan_vid *v = (const void *)a;

        value = htons(v->vid & VLAN_VID_MASK);
        push = v->push_vlan_if_needed;
    } else {
        const struct ofpact_vlan_pcp *v = (const void *)a;

        value = htons((uint16_t)(v->pcp << VLAN_PCP_SHIFT) & VLAN_PCP_MASK);
        push = v->push_vlan_if_needed;
    }
    if (!xlate_has_vlan(ctx)) {
        if (push) {
            xlate_emit_push_vlan(ctx, htons(ETH_TYPE_VLAN_8021Q), value);
        }
        return;
    }
    ctx->flow.vlans[0].tci = (ctx->flow.vlans[0].tci & ~bits) | value;
    ctx->pending.vlans[0].tci |= bits;
}

static void
xlate_push_vlan(struct xlate_ctx *ctx, tern_be16 tpid)
{
    tern_be16 tci = 0;

    if (xlate_has_vlan(ctx)) {
        /* The new tag copies VID and PCP of the current outer tag. */
        ctx->wc->masks.vlans[0].tci = UINT16_MAX;
        tci = ctx->flow.vlans[0].tci;
    }
    xlate_emit_push_vlan(ctx, tpid, tci);
}

/* Forgets, in 'f', the headers behind the MAC addresses (after a PBB push
 * or pop): tags, label stack, I-TAG, L3 and L4. */
static void
xlate_pbb_forget(struct flow *f, tern_be16 dl_type, tern_be32 isid)
{
    size_t from = offsetof(struct flow, vlans);

    memset((uint8_t *)f + from, 0, offsetof(struct flow, metadata) - from);
    f->dl_type = dl_type;
    f->pbb_isid = isid;
    f->pbb_uca = 0;
}

/* Pushes a PBB I-TAG.  Its I-SID is that of the outer I-TAG if the packet
 * already has one, else 0 (OpenFlow 1.3 section 5.12.1). */
static void
xlate_push_pbb(struct xlate_ctx *ctx)
{
    struct dpa_push_pbb pp = {.itag = 0};

    ctx->wc->masks.dl_type = UINT16_MAX;
    if (ctx->flow.dl_type == htons(ETH_TYPE_PBB)) {
        ctx->wc->masks.pbb_isid |= htonl(PBB_ISID_MASK);
        pp.itag = ctx->flow.pbb_isid & htonl(PBB_ISID_MASK);
    }
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_PUSH_PBB, &pp, sizeof pp);
    xlate_pbb_forget(&ctx->flow, htons(ETH_TYPE_PBB), pp.itag);
    xlate_pbb_forget(&ctx->base, htons(ETH_TYPE_PBB), pp.itag);
}

/* Pops a PBB encapsulation.  What the customer frame holds is unknown
 * until the packet is parsed again: later tables need a recirculation. */
static void
xlate_pop_pbb(struct xlate_ctx *ctx)
{
    ctx->wc->masks.dl_type = UINT16_MAX;
    if (ctx->flow.dl_type != htons(ETH_TYPE_PBB)) {
        return;
    }
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_POP_PBB, NULL, 0);
    xlate_pbb_forget(&ctx->flow, 0, 0);
    xlate_pbb_forget(&ctx->base, 0, 0);
    ctx->recirc_needed = true;
}

/* The OpenFlow 1.0 rewrites of L3/L4 fields. */
static void
xlate_set_l3l4(struct xlate_ctx *ctx, const struct ofpact *a)
{
    const struct ofpact_ipv4 *ip = (const void *)a;
    const struct ofpact_u8 *u8 = (const void *)a;
    const struct ofpact_l4_port *l4 = (const void *)a;

    switch ((enum ofpact_type)a->type) {
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        if (xlate_is_ip(ctx, true)) {
            if (a->type == OFPACT_SET_IPV4_SRC) {
                ctx->flow.nw_src = ip->ipv4;
                PENDING_ALL(nw_src);
            } else {
                ctx->flow.nw_dst = ip->ipv4;
                PENDING_ALL(nw_dst);
            }
        }
        break;
    case OFPACT_SET_IP_DSCP:
        if (xlate_is_ip(ctx, false)) {
            ctx->flow.nw_tos =
                (ctx->flow.nw_tos & IP_ECN_MASK) | (u8->value & IP_DSCP_MASK);
            ctx->pending.nw_tos |= IP_DSCP_MASK;
        }
        break;
    case OFPACT_SET_IP_TTL:
        if (xlate_is_ip(ctx, false)) {
            ctx->flow.nw_ttl = u8->value;
            PENDING_ALL(nw_ttl);
        }
        break;
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        if (xlate_has_l4_ports(ctx)) {
            if (a->type == OFPACT_SET_L4_SRC_PORT) {
                ctx->flow.tp_src = htons(l4->port);
                PENDING_ALL(tp_src);
            } else {
                ctx->flow.tp_dst = htons(l4->port);
                PENDING_ALL(tp_dst);
            }
        }
        break;
    default:
        break;
    }
}

/* ---- Instructions and the action set. ---- */

void
xlate_action_set_add(struct xlate_action_set *as, const struct ofpact *list,
                     size_t len)
{
    OFPACT_FOR_EACH(a, list, len)
    {
        if (a->type == OFPACT_SET_FIELD) {
            const struct ofpact_set_field *sf = (const void *)a;

            if (sf->field < MFF_N_IDS) {
                as->fields[sf->field] = a;
            }
        } else if (a->type == OFPACT_OUTPUT || a->type == OFPACT_CONTROLLER ||
                   a->type == OFPACT_ENQUEUE) {
            as->output = a;
        } else if (a->type < OFPACT_N_TYPES) {
            as->by_type[a->type] = a;
        }
    }
}

static void
xlate_write_actions(struct xlate_ctx *ctx, const struct ofpact_nest *nest)
{
    size_t len;
    const struct ofpact *list = ofpact_nest_actions(nest, &len);

    xlate_action_set_add(&ctx->aset, list, len);
}

/* The order of OpenFlow 1.3 section 5.10, the rewrites ("set") between
 * the TTL decrements and set_queue. */
static const enum ofpact_type aset_before_fields[] = {
    OFPACT_COPY_TTL_IN,  OFPACT_STRIP_VLAN,   OFPACT_POP_MPLS,
    OFPACT_POP_PBB,      OFPACT_PUSH_MPLS,    OFPACT_PUSH_PBB,
    OFPACT_PUSH_VLAN,    OFPACT_COPY_TTL_OUT, OFPACT_DEC_TTL,
    OFPACT_DEC_MPLS_TTL,
};
static const enum ofpact_type aset_after_fields[] = {
    OFPACT_SET_VLAN_VID, OFPACT_SET_VLAN_PCP,    OFPACT_SET_ETH_SRC,
    OFPACT_SET_ETH_DST,  OFPACT_SET_IPV4_SRC,    OFPACT_SET_IPV4_DST,
    OFPACT_SET_IP_DSCP,  OFPACT_SET_L4_SRC_PORT, OFPACT_SET_L4_DST_PORT,
    OFPACT_SET_IP_TTL,   OFPACT_SET_MPLS_TTL,    OFPACT_REG_MOVE,
    OFPACT_REG_LOAD,     OFPACT_SET_QUEUE,
};

#define XLATE_ASET_MAX                                                        \
    (ARRAY_SIZE(aset_before_fields) + MFF_N_IDS +                             \
     ARRAY_SIZE(aset_after_fields) + 1)

/* The action set as the list it runs as. */
static size_t
xlate_action_set_order(const struct xlate_action_set *as,
                       const struct ofpact *vec[XLATE_ASET_MAX])
{
    size_t n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(aset_before_fields); i++) {
        if (as->by_type[aset_before_fields[i]]) {
            vec[n++] = as->by_type[aset_before_fields[i]];
        }
    }
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        if (as->fields[i]) {
            vec[n++] = as->fields[i];
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(aset_after_fields); i++) {
        if (as->by_type[aset_after_fields[i]]) {
            vec[n++] = as->by_type[aset_after_fields[i]];
        }
    }
    if (as->by_type[OFPACT_GROUP]) {
        vec[n++] = as->by_type[OFPACT_GROUP];
    } else if (as->output) {
        vec[n++] = as->output;
    }
    return n;
}

/* Whether the walk must recirculate before 'a': it needs headers a pop
 * uncovered, or the top label's TTL after a copy_ttl_out that read it
 * from behind the stack. */
static bool
xlate_must_freeze(const struct xlate_ctx *ctx, const struct ofpact *a)
{
    return (ctx->mpls_ttl_unknown &&
            (a->type == OFPACT_DEC_MPLS_TTL || a->type == OFPACT_PUSH_MPLS)) ||
           (ctx->recirc_needed && xlate_freeze_needed(ctx, a));
}

static void
xlate_action_set(struct xlate_ctx *ctx)
{
    const struct ofpact *vec[XLATE_ASET_MAX];
    struct xlate_frame fr = {.up = ctx->frames, .type = XLATE_FRAME_VEC};

    fr.n = xlate_action_set_order(&ctx->aset, vec);
    fr.vec = vec;
    memset(&ctx->aset, 0, sizeof ctx->aset);
    ctx->frames = &fr;
    for (fr.i = 0; fr.i < fr.n && !ctx->exit; fr.i++) {
        if (xlate_must_freeze(ctx, vec[fr.i])) {
            xlate_freeze(ctx);
            break;
        }
        xlate_ofpact(ctx, vec[fr.i]);
    }
    ctx->frames = fr.up;
}

static void
xlate_write_metadata(struct xlate_ctx *ctx, const struct ofpact_metadata *m)
{
    tern_be64 md = flow_get_metadata(&ctx->flow);

    flow_set_metadata(&ctx->flow, (md & ~m->mask) | (m->metadata & m->mask));
}

/* ---- Groups. ---- */

static bool xlate_group_is_live(struct xlate_ctx *, const struct ofgroup *,
                                int depth);

static bool
xlate_bucket_is_live(struct xlate_ctx *ctx, const struct ofp_bucket *b,
                     int depth)
{
    if (b->watch_port != OFPP_ANY) {
        const struct ofport_snapshot_port *p = xlate_port(ctx, b->watch_port);

        if (!p || !p->live || (p->config & OFPPC_PORT_DOWN)) {
            return false;
        }
    }
    if (b->watch_group != OFPG_ANY) {
        const struct ofgroup *g = xlate_group_find(ctx, b->watch_group);

        if (!g || !xlate_group_is_live(ctx, g, depth + 1)) {
            return false;
        }
    }
    return true;
}

static bool
xlate_group_is_live(struct xlate_ctx *ctx, const struct ofgroup *g, int depth)
{
    if (depth > OFPROTO_MAX_GROUP_DEPTH) {
        return false;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (xlate_bucket_is_live(ctx, &g->buckets[i], depth)) {
            return true;
        }
    }
    return false;
}

/* Hash of the L2-L4 fields for select groups; unmasks what it reads. */
static uint32_t
xlate_select_hash(struct xlate_ctx *ctx)
{
    struct flow_wildcards *wc = ctx->wc;
    const struct flow *f = &ctx->flow;
    uint32_t h;

    memset(&wc->masks.dl_dst, 0xff, sizeof wc->masks.dl_dst);
    memset(&wc->masks.dl_src, 0xff, sizeof wc->masks.dl_src);
    wc->masks.dl_type = UINT16_MAX;
    wc->masks.vlans[0].tci |= htons(VLAN_VID_MASK | VLAN_CFI);
    h = hash_bytes(&f->dl_dst, 2 * ETH_ADDR_LEN, 0);
    h = hash_int(f->dl_type, h);
    h = hash_int(f->vlans[0].tci & htons(VLAN_VID_MASK | VLAN_CFI), h);
    if (f->dl_type == htons(ETH_TYPE_IP)) {
        wc->masks.nw_src = wc->masks.nw_dst = UINT32_MAX;
        h = hash_int(f->nw_src, h);
        h = hash_int(f->nw_dst, h);
    } else if (f->dl_type == htons(ETH_TYPE_IPV6)) {
        memset(&wc->masks.ipv6_src, 0xff, sizeof wc->masks.ipv6_src);
        memset(&wc->masks.ipv6_dst, 0xff, sizeof wc->masks.ipv6_dst);
        h = hash_bytes(&f->ipv6_src, 2 * sizeof f->ipv6_src, h);
    } else {
        return h;
    }
    wc->masks.nw_proto = UINT8_MAX;
    h = hash_int(f->nw_proto, h);
    if (xlate_has_l4_ports(ctx)) {
        wc->masks.tp_src = wc->masks.tp_dst = UINT16_MAX;
        h = hash_int(((uint32_t)f->tp_src << 16) | f->tp_dst, h);
    }
    return h;
}

static int
xlate_select_bucket(struct xlate_ctx *ctx, const struct ofgroup *g)
{
    uint32_t total = 0, pick, h;

    for (size_t i = 0; i < g->n_buckets; i++) {
        if (xlate_bucket_is_live(ctx, &g->buckets[i], ctx->group_depth)) {
            total += g->buckets[i].weight;
        }
    }
    if (!total) {
        return -1;
    }
    h = xlate_select_hash(ctx);
    pick = h % total;
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofp_bucket *b = &g->buckets[i];

        if (!b->weight || !xlate_bucket_is_live(ctx, b, ctx->group_depth)) {
            continue;
        }
        if (pick < b->weight) {
            return (int)i;
        }
        pick -= b->weight;
    }
    return -1;
}

static void
xlate_bucket(struct xlate_ctx *ctx, struct ofgroup *g, size_t i, bool copy)
{
    const struct ofp_bucket *b = &g->buckets[i];
    const struct dpif_flow_stats *s = ctx->xin->stats;
    struct flow saved = ctx->flow;
    uint32_t saved_in_port = ctx->in_port;
    bool saved_recirc = ctx->recirc_needed;
    struct xlate_frame fr = {.up = ctx->frames, .type = XLATE_FRAME_BUCKET};

    if (s) {
        xlate_add_u64(&g->bucket_packets[i], s->n_packets);
        xlate_add_u64(&g->bucket_bytes[i], s->n_bytes);
    }
    xlate_trace(ctx, " -> bucket %zu", i);
    ctx->indent += 4;
    ctx->frames = &fr;
    xlate_ofpacts(ctx, b->ofpacts, b->ofpacts_len);
    ctx->frames = fr.up;
    ctx->indent -= 4;
    if (copy) {
        /* The next bucket works on a copy of the packet as it came to the
         * group: undo this bucket's changes (header fields come back at
         * the next commit, the outer VLAN tag right now). */
        struct flow_vlan vlans[FLOW_MAX_VLAN_HEADERS];

        memcpy(vlans, ctx->base.vlans, sizeof vlans);
        ctx->exit = false;
        ctx->flow = saved;
        memcpy(ctx->flow.vlans, vlans, sizeof vlans);
        ctx->in_port = saved_in_port;
        ctx->recirc_needed = saved_recirc;
        memset(&ctx->pending, 0, sizeof ctx->pending);
        if (memcmp(vlans, saved.vlans, sizeof vlans)) {
            /* The tag put back comes from the packet. */
            ctx->wc->masks.vlans[0].tci = UINT16_MAX;
        }
        xlate_commit_vlan(ctx, saved.vlans[0].tci);
    }
}

static void
xlate_group(struct xlate_ctx *ctx, uint32_t group_id)
{
    struct ofgroup *g = xlate_group_find(ctx, group_id);
    const struct dpif_flow_stats *s = ctx->xin->stats;

    if (!g) {
        xlate_trace(ctx, " -> group %" PRIu32 " does not exist: drop",
                    group_id);
        return;
    }
    if (ctx->group_depth >= OFPROTO_MAX_GROUP_DEPTH ||
        ++ctx->n_resubmits > OFPROTO_MAX_RESUBMITS) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "%s: group chain too deep, dropping",
                     ctx->ofproto->name);
        ctx->error = ELOOP;
        ctx->exit = true;
        return;
    }
    if (s) {
        xlate_add_u64(&g->packet_count, s->n_packets);
        xlate_add_u64(&g->byte_count, s->n_bytes);
    }
    ctx->group_depth++;
    switch (g->type) {
    case OFPGT_ALL:
        for (size_t i = 0; i < g->n_buckets && !ctx->error; i++) {
            xlate_bucket(ctx, g, i, true);
        }
        break;
    case OFPGT_SELECT: {
        int i = xlate_select_bucket(ctx, g);

        if (i >= 0) {
            xlate_bucket(ctx, g, (size_t)i, true);
        }
        break;
    }
    case OFPGT_INDIRECT:
        if (g->n_buckets) {
            xlate_bucket(ctx, g, 0, true);
        }
        break;
    case OFPGT_FF:
        for (size_t i = 0; i < g->n_buckets; i++) {
            if (xlate_bucket_is_live(ctx, &g->buckets[i], ctx->group_depth)) {
                xlate_bucket(ctx, g, i, true);
                break;
            }
        }
        break;
    default:
        break;
    }
    ctx->group_depth--;
}

/* ---- Meters. ---- */

/* The datapath meter of an OpenFlow meter is the same id while no meter
 * had to be renumbered (ofproto-meter.c); the renumbering itself is only
 * readable on the main thread, so once it happened, meters whose id may
 * have moved are not applied by cached flows. */
static void
xlate_meter(struct xlate_ctx *ctx, uint32_t meter_id)
{
    struct dpa_meter m = {.meter_id = meter_id};

    if (meter_id >= DPIF_METER_MAX ||
        __atomic_load_n(&ctx->ofproto->n_meters_remapped, __ATOMIC_RELAXED)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_INFO_RL(&rl,
                     "%s: meter %" PRIu32 " not applied in the "
                     "datapath",
                     ctx->ofproto->name, meter_id);
        return;
    }
    dp_actions_put(ctx->out, DPA_METER, &m, sizeof m);
}

/* ---- Actions. ---- */

static void
xlate_ofpact(struct xlate_ctx *ctx, const struct ofpact *a)
{
    switch ((enum ofpact_type)a->type) {
    case OFPACT_OUTPUT: {
        const struct ofpact_output *o = (const void *)a;

        xlate_output(ctx, o->port, o->max_len);
        break;
    }
    case OFPACT_ENQUEUE:
        xlate_output(
            ctx, ((const struct ofpact_enqueue *)(const void *)a)->port, 0);
        break;
    case OFPACT_GROUP:
        xlate_group(ctx,
                    ((const struct ofpact_group *)(const void *)a)->group_id);
        break;
    case OFPACT_CONTROLLER: {
        const struct ofpact_controller *c = (const void *)a;

        xlate_controller(ctx,
                         c->reason == OFPR_ACTION && ctx->miss_rule
                             ? OFPR_NO_MATCH
                             : c->reason,
                         c->max_len, c->controller_id);
        break;
    }
    case OFPACT_SET_FIELD:
        xlate_set_field(ctx, (const void *)a);
        break;
    case OFPACT_REG_LOAD: {
        struct ofpact_set_field sf;
        ofpact_reg_load_to_set_field((const void *)a, &sf);
        xlate_set_field(ctx, &sf);
        break;
    }
    case OFPACT_REG_MOVE:
        xlate_reg_move(ctx, (const void *)a);
        break;
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
        xlate_set_vlan(ctx, a);
        break;
    case OFPACT_STRIP_VLAN:
        if (xlate_has_vlan(ctx)) {
            xlate_emit_pop_vlan(ctx);
        }
        break;
    case OFPACT_PUSH_VLAN:
        xlate_push_vlan(
            ctx, ((const struct ofpact_push *)(const void *)a)->ethertype);
        break;
    case OFPACT_SET_ETH_SRC:
        ctx->flow.dl_src = ((const struct ofpact_mac *)(const void *)a)->mac;
        PENDING_ALL(dl_src);
        break;
    case OFPACT_SET_ETH_DST:
        ctx->flow.dl_dst = ((const struct ofpact_mac *)(const void *)a)->mac;
        PENDING_ALL(dl_dst);
        break;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
    case OFPACT_SET_IP_DSCP:
    case OFPACT_SET_IP_TTL:
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        xlate_set_l3l4(ctx, a);
        break;
    case OFPACT_DEC_TTL:
        xlate_dec_ttl(ctx);
        break;
    case OFPACT_SET_MPLS_TTL:
    case OFPACT_DEC_MPLS_TTL:
        xlate_mpls_ttl(ctx, a);
        break;
    case OFPACT_PUSH_MPLS:
        xlate_push_mpls(
            ctx, ((const struct ofpact_push *)(const void *)a)->ethertype);
        break;
    case OFPACT_POP_MPLS:
        xlate_pop_mpls(
            ctx, ((const struct ofpact_push *)(const void *)a)->ethertype);
        break;
    case OFPACT_PUSH_PBB:
        xlate_push_pbb(ctx);
        break;
    case OFPACT_POP_PBB:
        xlate_pop_pbb(ctx);
        break;
    case OFPACT_CLEAR_ACTIONS:
        memset(&ctx->aset, 0, sizeof ctx->aset);
        break;
    case OFPACT_WRITE_ACTIONS:
        xlate_write_actions(ctx, (const void *)a);
        break;
    case OFPACT_WRITE_METADATA:
        xlate_write_metadata(ctx, (const void *)a);
        break;
    case OFPACT_GOTO_TABLE:
        ctx->indent -= 4;
        xlate_table(
            ctx,
            ((const struct ofpact_goto_table *)(const void *)a)->table_id);
        ctx->indent += 4;
        break;
    case OFPACT_METER:
        xlate_meter(ctx,
                    ((const struct ofpact_meter *)(const void *)a)->meter_id);
        break;
    case OFPACT_COPY_TTL_OUT:
    case OFPACT_COPY_TTL_IN:
        xlate_copy_ttl(ctx, a->type == OFPACT_COPY_TTL_IN);
        break;
    case OFPACT_SET_QUEUE:
        /* Tern has no queues: nothing to select. */
    case OFPACT_N_TYPES:
    default:
        break;
    }
}

void
xlate_ofpacts(struct xlate_ctx *ctx, const struct ofpact *ofpacts, size_t len)
{
    const uint8_t *end = (const uint8_t *)ofpacts + len;
    struct xlate_frame fr = {
        .up = ctx->frames,
        .type = XLATE_FRAME_LIST,
        .next = end,
        .end = end,
    };

    ctx->frames = &fr;
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (ctx->exit) {
            break;
        }
        if (xlate_must_freeze(ctx, a)) {
            fr.next = a;
            xlate_freeze(ctx);
            break;
        }
        /* Nothing after a goto_table runs. */
        fr.next = a->type == OFPACT_GOTO_TABLE ? (const void *)end
                                               : (const void *)ofpact_next(a);
        if (ctx->xin->trace) {
            xlate_trace_ofpact(ctx, a);
        }
        xlate_ofpact(ctx, a);
        if (a->type == OFPACT_GOTO_TABLE) {
            break;
        }
    }
    ctx->frames = fr.up;
}

/* ---- Tables. ---- */

static void
xlate_trace_rule(struct xlate_ctx *ctx, const struct rule *rule,
                 const struct rule_actions *acts)
{
    struct ds *ds = ctx->xin->trace;
    struct match m;

    if (!ds) {
        return;
    }
    m.flow = rule->cr.key;
    m.wc = rule->cr.mask;
    for (int i = 0; i < ctx->indent; i++) {
        ds_put_char(ds, ' ');
    }
    ds_put_format(ds, "%2d. ", rule->table_id);
    match_format(&m, NULL, -1, ds);
    if (ds->length && ds->string[ds->length - 1] != ' ') {
        ds_put_cstr(ds, ", ");
    }
    ds_put_format(ds, "priority %d", rule->cr.priority);
    if (rule->cookie) {
        ds_put_format(ds, ", cookie %#" PRIx64, rule->cookie);
    }
    ds_put_char(ds, '\n');
    if (!acts || !acts->ofpacts_len) {
        ctx->indent += 4;
        xlate_trace(ctx, "drop");
        ctx->indent -= 4;
    }
}

/* One line per action, as it runs. */
static void
xlate_trace_ofpact(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct ds *ds = ctx->xin->trace;

    for (int i = 0; i < ctx->indent; i++) {
        ds_put_char(ds, ' ');
    }
    ofpacts_format(a, ROUND_UP(a->len, OFPACT_ALIGN), NULL, ds);
    ds_put_char(ds, '\n');
}

static void
xlate_table_miss(struct xlate_ctx *ctx, uint8_t table_id)
{
    bool to_controller =
        atomic_load_explicit(&ctx->ofproto->miss_to_controller,
                             memory_order_relaxed) ||
        ctx->ofproto->allowed_versions == (1u << OFP10_VERSION);

    if (ctx->xin->trace) {
        xlate_trace(ctx, "%2d. No match.", table_id);
        ctx->indent += 4;
        xlate_trace(ctx, "%s", to_controller ? "CONTROLLER" : "drop");
        ctx->indent -= 4;
    }
    ctx->table_id = table_id;
    ctx->cookie = UINT64_MAX;
    if (to_controller) {
        xlate_controller(ctx, OFPR_NO_MATCH, XLATE_MISS_SEND_LEN, 0);
    }
    ctx->exit = true;
}

static void
xlate_table(struct xlate_ctx *ctx, uint8_t table_id)
{
    const struct dpif_flow_stats *s = ctx->xin->stats;
    struct oftable *t;
    const struct cls_rule *cr;
    struct rule *rule;
    const struct rule_actions *acts;

    if (table_id >= OFPROTO_N_TABLES) {
        ctx->exit = true;
        return;
    }
    if (++ctx->n_resubmits > OFPROTO_MAX_RESUBMITS) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "%s: over %d table lookups, dropping",
                     ctx->ofproto->name, OFPROTO_MAX_RESUBMITS);
        xlate_trace(ctx, "over %d resubmits: drop", OFPROTO_MAX_RESUBMITS);
        ctx->error = ELOOP;
        ctx->exit = true;
        return;
    }
    t = &ctx->ofproto->tables[table_id];
    cr = t->cls ? classifier_lookup(t->cls, &ctx->flow, ctx->wc) : NULL;
    if (s) {
        xlate_add_u64(&t->lookup_count, s->n_packets);
        if (cr) {
            xlate_add_u64(&t->matched_count, s->n_packets);
        }
    }
    if (!cr) {
        xlate_table_miss(ctx, table_id);
        return;
    }
    rule = CONTAINER_OF(cr, struct rule, cr);
    acts = rcu_get(rule->actions);
    xlate_credit_rule(ctx, rule, acts);
    xlate_trace_rule(ctx, rule, acts);
    ctx->table_id = table_id;
    ctx->cookie = rule->cookie;
    /* A table-miss flow entry (priority 0, matches everything) sends its
     * packet-ins with reason NO_MATCH (OpenFlow 1.3 section 6.1.2). */
    ctx->miss_rule =
        !rule->cr.priority && flow_wildcards_is_catchall(&rule->cr.mask);
    if (acts) {
        ctx->indent += 4;
        xlate_ofpacts(ctx, rule_actions_ofpacts(acts), acts->ofpacts_len);
        ctx->indent -= 4;
    }
}

static void
xlate_pipeline(struct xlate_ctx *ctx)
{
    struct xlate_frame fr = {.up = ctx->frames, .type = XLATE_FRAME_PIPELINE};

    ctx->frames = &fr;
    xlate_table(ctx, 0);
    ctx->frames = fr.up;
    if (!ctx->exit) {
        xlate_action_set(ctx);
    }
}

void
xlate_run_segment(struct xlate_ctx *ctx, const struct ofpact *ofpacts,
                  size_t len, bool then_aset)
{
    struct xlate_frame fr = {.up = ctx->frames, .type = XLATE_FRAME_PIPELINE};

    if (!then_aset) {
        xlate_ofpacts(ctx, ofpacts, len);
        return;
    }
    ctx->frames = &fr;
    xlate_ofpacts(ctx, ofpacts, len);
    ctx->frames = fr.up;
    if (!ctx->exit) {
        xlate_action_set(ctx);
    }
}

int
xlate_actions(const struct xlate_in *xin, struct dp_actions_buf *out,
              struct flow_wildcards *wc)
{
    struct xlate_ctx *ctx = xzalloc(sizeof *ctx);
    const struct ofport_snapshot_port *in;
    int error;

    ctx->xin = xin;
    ctx->ofproto = xin->ofproto;
    ctx->ports = rcu_get(xin->ofproto->port_snapshot);
    ctx->groups = rcu_get(xin->ofproto->group_snapshot);
    ctx->out = out;
    ctx->wc_buf = *wc;
    ctx->wc = &ctx->wc_buf;
    ctx->out_start = out->size;
    ctx->flow = xin->flow;
    ctx->base = xin->flow;
    ctx->in_port = xin->in_ofp_port ? xin->in_ofp_port
                                    : xlate_dp_to_ofp(ctx, xin->flow.in_port);
    ctx->flow.in_port = ctx->in_port;
    memset(ctx->flow.metadata, 0, sizeof ctx->flow.metadata);
    memset(ctx->flow.regs, 0, sizeof ctx->flow.regs);
    ctx->table_id = 255;
    ctx->cookie = UINT64_MAX;
    ctx->packet_out = xin->ofpacts != NULL;
    ctx->mpls_key = xin->flow.dl_type == htons(ETH_TYPE_MPLS) ||
                    xin->flow.dl_type == htons(ETH_TYPE_MPLS_MCAST);
    /* Every pass's megaflow is its own: recirc_id is always exact. */
    ctx->wc->masks.recirc_id = UINT32_MAX;

    in = xlate_port(ctx, ctx->in_port);
    if (xin->flow.recirc_id && !xin->ofpacts) {
        ctx->error = xlate_thaw(ctx);
    } else if (in && (in->config & OFPPC_NO_RECV) && !xin->ofpacts) {
        xlate_trace(ctx, "in_port has no_recv: drop");
    } else if (xin->ofpacts) {
        xlate_ofpacts(ctx, xin->ofpacts, xin->ofpacts_len);
    } else if (atomic_load_explicit(&xin->ofproto->fail_open,
                                    memory_order_relaxed)) {
        xlate_trace(ctx, "fail-open: NORMAL");
        xlate_normal(ctx);
    } else {
        xlate_pipeline(ctx);
    }

    if (xin->final_flow) {
        *xin->final_flow = ctx->flow;
    }
    error = ctx->error;
    if (error) {
        out->size = ctx->out_start;
    }
    /* Pipeline-only fields never reach a megaflow's mask. */
    memset(ctx->wc_buf.masks.metadata, 0, sizeof wc->masks.metadata);
    memset(ctx->wc_buf.masks.regs, 0, sizeof wc->masks.regs);
    *wc = ctx->wc_buf;
    free(ctx->thawed);
    free(ctx);
    return error;
}
