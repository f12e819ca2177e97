/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-mpls: translation of the MPLS label stack and TTL actions (see
 * xlate.h; xlate.c's xlate_ofpact() calls each one).  What each does to
 * the working flow and to the megaflow mask:
 *
 *   push_mpls     commits pending rewrites and emits DPA_PUSH_MPLS.  The
 *                 new top label copies the current top one (label, TC,
 *                 TTL; bottom-of-stack clear), which is then matched
 *                 whole; on a packet without labels it is label 0 with
 *                 bottom-of-stack set and the IP TTL (matched) or 64 as
 *                 its TTL.  The stack shifts down and dl_type becomes
 *                 the given ethertype.
 *   pop_mpls      on a label stack only: matches the top label's
 *                 bottom-of-stack bit, commits, emits DPA_POP_MPLS and
 *                 shifts the stack up.  Popping the bottom label sets
 *                 dl_type to the given ethertype; if the key itself
 *                 stopped at the stack, what follows is unknown and the
 *                 walk must recirculate before it looks at L3/L4
 *                 (xlate-freeze.h).
 *   set_mpls_ttl  on a label stack only: a pending rewrite of the top
 *                 label's TTL, nothing matched beyond dl_type.
 *   dec_mpls_ttl  the same after matching the top label's TTL; a TTL of
 *                 0 or 1 sends a packet-in (OFPR_INVALID_TTL) instead and
 *                 stops the walk.
 *   dec_ttl       on IPv4/IPv6 only: DPA_DEC_TTL, whose nested actions
 *                 (a packet-in) run when the TTL runs out in the
 *                 datapath, so the TTL itself is not matched.
 *   copy_ttl_in   on a label stack only: DPA_COPY_TTL_IN or _OUT; the
 *   copy_ttl_out  working flow follows when it knows the value copied,
 *                 which is then matched (see xlate_copy_ttl()).
 *
 * Every action here matches dl_type.  The working flow, ctx->base (what
 * the packet looks like after the emitted actions) and ctx->pending are
 * kept as xlate_commit() expects.
 */
#include <config.h>

#include "ofproto/xlate.h"

#include <string.h>

#include "lib/dp-actions.h"
#include "lib/flow.h"
#include "lib/packets.h"
#include "lib/util.h"

static bool
xlate_is_mpls(struct xlate_ctx *ctx)
{
    tern_be16 t = ctx->flow.dl_type;

    ctx->wc->masks.dl_type = UINT16_MAX;
    return t == htons(ETH_TYPE_MPLS) || t == htons(ETH_TYPE_MPLS_MCAST);
}

void
xlate_dec_ttl(struct xlate_ctx *ctx)
{
    size_t ofs;

    if (!xlate_is_ip(ctx, false)) {
        return;
    }
    xlate_commit(ctx);
    ofs = dp_actions_start_nested(ctx->out, DPA_DEC_TTL);
    xlate_controller(ctx, OFPR_INVALID_TTL, XLATE_MISS_SEND_LEN, 0);
    dp_actions_end_nested(ctx->out, ofs);
    if (ctx->flow.nw_ttl > 0) {
        ctx->flow.nw_ttl--;
        ctx->base.nw_ttl = ctx->flow.nw_ttl;
    }
}

void
xlate_mpls_ttl(struct xlate_ctx *ctx, const struct ofpact *a)
{
    tern_be32 ttl_bits = htonl(MPLS_TTL_MASK);
    uint8_t ttl;

    if (!xlate_is_mpls(ctx)) {
        return;
    }
    if (a->type == OFPACT_SET_MPLS_TTL) {
        ttl = ((const struct ofpact_u8 *)(const void *)a)->value;
    } else {
        ctx->wc->masks.mpls_lse[0] |= ttl_bits;
        ttl = ntohl(ctx->flow.mpls_lse[0]) & MPLS_TTL_MASK;
        if (ttl <= 1) {
            xlate_controller(ctx, OFPR_INVALID_TTL, XLATE_MISS_SEND_LEN, 0);
            ctx->exit = true;
            return;
        }
        ttl--;
    }
    ctx->flow.mpls_lse[0] = (ctx->flow.mpls_lse[0] & ~ttl_bits) | htonl(ttl);
    ctx->pending.mpls_lse[0] |= ttl_bits;
    ctx->mpls_ttl_unknown = false;
}

/* Copies a TTL between the top label stack entry and the next header
 * (OpenFlow 1.3 section 5.12): DPA_COPY_TTL_* does it on the packet, the
 * working flow follows where it knows the value.  The values copied come
 * from the key and are matched on: the IP TTL (every label was pushed
 * here), or the TTLs of the key's whole stack (pops may have shifted it).
 * No label stack: nothing. */
void
xlate_copy_ttl(struct xlate_ctx *ctx, bool in)
{
    tern_be32 ttl = htonl(MPLS_TTL_MASK), *lse = ctx->flow.mpls_lse;
    tern_be16 inner = ctx->xin->flow.dl_type;

    if (!xlate_is_mpls(ctx)) {
        xlate_trace(ctx, "no MPLS label stack: nothing to copy");
        return;
    }
    for (size_t i = 0; ctx->mpls_key && i < FLOW_MAX_MPLS_LABELS; i++) {
        ctx->wc->masks.mpls_lse[i] |= ttl | htonl(MPLS_BOS_MASK);
    }
    xlate_commit(ctx);
    dp_actions_put(ctx->out, in ? DPA_COPY_TTL_IN : DPA_COPY_TTL_OUT, NULL, 0);
    if (!(lse[0] & htonl(MPLS_BOS_MASK))) {
        lse[in] = (lse[in] & ~ttl) | (lse[!in] & ttl);
    } else if (!ctx->mpls_key && (inner == htons(ETH_TYPE_IP) ||
                                  inner == htons(ETH_TYPE_IPV6))) {
        ctx->wc->masks.nw_ttl = UINT8_MAX;
        if (in) {
            ctx->flow.nw_ttl = ntohl(lse[0]) & MPLS_TTL_MASK;
        } else {
            lse[0] = (lse[0] & ~ttl) | htonl(ctx->flow.nw_ttl);
        }
    } else if (!in) {
        /* The IP TTL is not in the key: read the label again after a
         * recirculation before anything uses it. */
        ctx->mpls_ttl_unknown = true;
    }
    memcpy(ctx->base.mpls_lse, lse, sizeof ctx->base.mpls_lse);
    ctx->base.nw_ttl = ctx->flow.nw_ttl;
}

void
xlate_push_mpls(struct xlate_ctx *ctx, tern_be16 ethertype)
{
    struct dpa_push_mpls pm = {.ethertype = ethertype};
    uint32_t lse;

    if (xlate_is_mpls(ctx)) {
        ctx->wc->masks.mpls_lse[0] = UINT32_MAX;
        lse = ntohl(ctx->flow.mpls_lse[0]) & ~MPLS_BOS_MASK;
    } else {
        uint8_t ttl = 64;

        if (xlate_is_ip(ctx, false)) {
            ctx->wc->masks.nw_ttl = UINT8_MAX;
            ttl = ctx->flow.nw_ttl;
        }
        lse = MPLS_BOS_MASK | ttl;
    }
    pm.lse = htonl(lse);
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_PUSH_MPLS, &pm, sizeof pm);
    memmove(&ctx->flow.mpls_lse[1], &ctx->flow.mpls_lse[0],
            sizeof ctx->flow.mpls_lse - sizeof ctx->flow.mpls_lse[0]);
    ctx->flow.mpls_lse[0] = pm.lse;
    ctx->flow.dl_type = ethertype;
    memcpy(ctx->base.mpls_lse, ctx->flow.mpls_lse, sizeof ctx->base.mpls_lse);
    ctx->base.dl_type = ethertype;
}

void
xlate_pop_mpls(struct xlate_ctx *ctx, tern_be16 ethertype)
{
    struct dpa_pop_mpls pm = {.ethertype = ethertype};
    bool bos;

    if (!xlate_is_mpls(ctx)) {
        return;
    }
    ctx->wc->masks.mpls_lse[0] |= htonl(MPLS_BOS_MASK);
    bos = (ntohl(ctx->flow.mpls_lse[0]) & MPLS_BOS_MASK) != 0;
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_POP_MPLS, &pm, sizeof pm);
    memmove(&ctx->flow.mpls_lse[0], &ctx->flow.mpls_lse[1],
            sizeof ctx->flow.mpls_lse - sizeof ctx->flow.mpls_lse[0]);
    ctx->flow.mpls_lse[FLOW_MAX_MPLS_LABELS - 1] = 0;
    ctx->mpls_ttl_unknown = false;
    if (bos) {
        ctx->flow.dl_type = ethertype;
        /* The key has nothing of what the label stack hid. */
        ctx->recirc_needed |= ctx->mpls_key;
    }
    memcpy(ctx->base.mpls_lse, ctx->flow.mpls_lse, sizeof ctx->base.mpls_lse);
    ctx->base.dl_type = ctx->flow.dl_type;
}
