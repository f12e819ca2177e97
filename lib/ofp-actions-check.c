/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-actions-check: what is known about an ofpact list beyond its wire
 * form: ofpacts_check() (ports, groups, set_field prerequisites and VLAN
 * presence followed through push/pop, forward-only goto_table, the
 * canonical instruction order and nesting), the flow_mod queries
 * (out_port, out_group, equality) and ofpacts_note_match(), which records
 * what the flow's match says about the packet for encoding 1.0-style
 * actions into later versions.  Wire and text forms are in ofp-actions.c
 * and ofp-actions-text.c.
 */
#include <config.h>

#include "lib/ofp-actions.h"

#include <arpa/inet.h>

#define OFPVID_PRESENT 0x1000

/* Semantic checks. */

/* The field's value in 'm' if it is matched exactly enough to tell,
 * else 'dflt'. */
static uint64_t
match_u64(const struct match *m, enum mf_field_id id, uint64_t dflt)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value value, mask;

    if (!mf_is_matched(mf, m)) {
        return dflt;
    }
    mf_get_value(mf, &m->flow, &value);
    mf_get_mask(mf, &m->wc, &mask);
    return mf_value_to_u64(&value, mf->n_bytes) &
           mf_value_to_u64(&mask, mf->n_bytes);
}

static void
match_set_u64(struct match *m, enum mf_field_id id, uint64_t x, uint64_t mask)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value value, vmask;

    mf_value_from_u64(&value, mf->n_bytes, x);
    mf_value_from_u64(&vmask, mf->n_bytes, mask);
    mf_set_match(mf, &value, &vmask, m);
}

/* Forgets what 'm' says about the packet's headers (a PBB push or pop
 * changed them), keeping the metadata and, if 'keep_macs', the MAC
 * addresses. */
static void
match_forget_headers(struct match *m, bool keep_macs)
{
    struct match old = *m;

    match_init_catchall(m);
    m->flow.in_port = old.flow.in_port;
    m->wc.masks.in_port = old.wc.masks.in_port;
    m->flow.pkt_mark = old.flow.pkt_mark;
    m->wc.masks.pkt_mark = old.wc.masks.pkt_mark;
    memcpy(m->flow.metadata, old.flow.metadata, sizeof m->flow.metadata);
    memcpy(m->wc.masks.metadata, old.wc.masks.metadata,
           sizeof m->wc.masks.metadata);
    memcpy(m->flow.regs, old.flow.regs, sizeof m->flow.regs);
    memcpy(m->wc.masks.regs, old.wc.masks.regs, sizeof m->wc.masks.regs);
    memcpy(m->flow.tun_id, old.flow.tun_id, sizeof m->flow.tun_id);
    memcpy(m->wc.masks.tun_id, old.wc.masks.tun_id, sizeof m->wc.masks.tun_id);
    if (keep_macs) {
        m->flow.dl_src = old.flow.dl_src;
        m->flow.dl_dst = old.flow.dl_dst;
        m->wc.masks.dl_src = old.wc.masks.dl_src;
        m->wc.masks.dl_dst = old.wc.masks.dl_dst;
    }
}

static bool
match_has_vlan(const struct match *m)
{
    return match_u64(m, MFF_VLAN_VID, 0) & OFPVID_PRESENT;
}

static bool
prereq_ok(enum mf_field_id id, const struct match *m)
{
    return mf_prereqs_ok(mf_from_id(id), m);
}

struct check_ctx {
    uint32_t max_ports;
    uint8_t table_id;
    uint8_t n_tables;
};

static int
order_rank(uint16_t type)
{
    switch (type) {
    case OFPACT_METER:
        return 0;
    case OFPACT_CLEAR_ACTIONS:
        return 2;
    case OFPACT_WRITE_ACTIONS:
        return 3;
    case OFPACT_WRITE_METADATA:
        return 4;
    case OFPACT_GOTO_TABLE:
        return 5;
    default:
        return 1;
    }
}

static enum ofperr check_list(const struct ofpact *, size_t len,
                              struct match *, const struct check_ctx *,
                              int depth);

static enum ofperr
check_output_port(uint32_t port, const struct check_ctx *c)
{
    switch (port) {
    case OFPP_TABLE:
        return c->table_id == 255 ? 0 : OFPERR_OFPBAC_BAD_OUT_PORT;
    case OFPP_IN_PORT:
    case OFPP_NORMAL:
    case OFPP_FLOOD:
    case OFPP_ALL:
    case OFPP_CONTROLLER:
    case OFPP_LOCAL:
        return 0;
    default:
        return port < c->max_ports && port < OFPP_MAX
                   ? 0
                   : OFPERR_OFPBAC_BAD_OUT_PORT;
    }
}

static enum ofperr
check_set_field(const struct ofpact_set_field *sf, struct match *m)
{
    const struct mf_field *mf = mf_from_id(sf->field);

    if (!mf || !mf->writable) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    /* OpenFlow 1.2+ sets VLAN fields only in an existing VLAN header. */
    if (!mf_prereqs_ok(mf, m) ||
        ((mf->id == MFF_VLAN_VID || mf->id == MFF_VLAN_PCP) &&
         !match_has_vlan(m))) {
        return OFPERR_OFPBAC_MATCH_INCONSISTENT;
    }
    if (mf_is_mask_exact(mf, &sf->mask)) {
        mf_set_match(mf, &sf->value, NULL, m);
    }
    return 0;
}

/* Checks one plain action, updating 'm' for the actions after it. */
static enum ofperr
check_action(const struct ofpact *a, struct match *m,
             const struct check_ctx *c)
{
    switch ((enum ofpact_type)a->type) {
    case OFPACT_OUTPUT:
        return check_output_port(((const struct ofpact_output *)a)->port, c);
    case OFPACT_ENQUEUE: {
        uint32_t port = ((const struct ofpact_enqueue *)a)->port;
        return port == OFPP_IN_PORT || port == OFPP_LOCAL ||
                       (port < c->max_ports && port < OFPP_MAX)
                   ? 0
                   : OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    case OFPACT_GROUP:
        return ((const struct ofpact_group *)a)->group_id > OFPG_MAX
                   ? OFPERR_OFPBAC_BAD_OUT_GROUP
                   : 0;
    case OFPACT_SET_FIELD:
        return check_set_field((const struct ofpact_set_field *)a, m);
    case OFPACT_REG_LOAD: {
        /* A load is a masked set_field of its bits. */
        struct ofpact_set_field sf;
        ofpact_reg_load_to_set_field((const struct ofpact_reg_load *)a, &sf);
        return check_set_field(&sf, m);
    }
    case OFPACT_REG_MOVE: {
        const struct ofpact_reg_move *rm = (const void *)a;
        const struct mf_field *src = mf_from_id(rm->src_field);
        const struct mf_field *dst = mf_from_id(rm->dst_field);
        if (!src || !dst || !dst->writable) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        }
        if (!mf_prereqs_ok(src, m) || !mf_prereqs_ok(dst, m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        /* What the destination held is no longer known. */
        if (mf_is_matched(dst, m)) {
            mf_set_wild(dst, m);
        }
        return 0;
    }
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
    case OFPACT_PUSH_VLAN:
        match_set_u64(m, MFF_VLAN_VID, OFPVID_PRESENT, OFPVID_PRESENT);
        return 0;
    case OFPACT_STRIP_VLAN:
        match_set_u64(m, MFF_VLAN_VID, 0, 0x1fff);
        return 0;
    case OFPACT_PUSH_MPLS:
        match_set_u64(m, MFF_ETH_TYPE,
                      ntohs(((const struct ofpact_push *)a)->ethertype),
                      0xffff);
        return 0;
    case OFPACT_POP_MPLS:
        if (!prereq_ok(MFF_MPLS_LABEL, m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        match_set_u64(m, MFF_ETH_TYPE,
                      ntohs(((const struct ofpact_push *)a)->ethertype),
                      0xffff);
        return 0;
    case OFPACT_PUSH_PBB:
        /* The customer frame, tags included, goes behind the I-TAG. */
        match_forget_headers(m, true);
        match_set_u64(m, MFF_ETH_TYPE, ETH_TYPE_PBB, 0xffff);
        return 0;
    case OFPACT_POP_PBB:
        if (!prereq_ok(MFF_PBB_ISID, m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        /* Nothing is known of the customer frame. */
        match_forget_headers(m, false);
        return 0;
    case OFPACT_SET_MPLS_TTL:
    case OFPACT_DEC_MPLS_TTL:
        return prereq_ok(MFF_MPLS_LABEL, m) ? 0
                                            : OFPERR_OFPBAC_MATCH_INCONSISTENT;
    case OFPACT_SET_IP_TTL:
    case OFPACT_DEC_TTL:
        return prereq_ok(MFF_IP_DSCP, m) ? 0
                                         : OFPERR_OFPBAC_MATCH_INCONSISTENT;
    default:
        return 0;
    }
}

static enum ofperr
check_instruction(const struct ofpact *a, struct match *m,
                  const struct check_ctx *c, int depth)
{
    if (depth > 0 || c->table_id == 255) {
        return OFPERR_OFPBIC_UNSUP_INST;
    }
    if (a->type == OFPACT_GOTO_TABLE) {
        uint8_t t = ((const struct ofpact_goto_table *)a)->table_id;
        return t <= c->table_id || t >= c->n_tables
                   ? OFPERR_OFPBIC_BAD_TABLE_ID
                   : 0;
    }
    if (a->type == OFPACT_WRITE_ACTIONS) {
        size_t n;
        const struct ofpact *in =
            ofpact_nest_actions((const struct ofpact_nest *)a, &n);
        struct match copy = *m;
        if (depth + 1 >= OFPACTS_MAX_DEPTH + 1) {
            return OFPERR_OFPBIC_UNSUP_INST;
        }
        return check_list(in, n, &copy, c, depth + 1);
    }
    return 0;
}

static enum ofperr
check_list(const struct ofpact *ofpacts, size_t len, struct match *m,
           const struct check_ctx *c, int depth)
{
    int last = -1;

    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (a->len < sizeof *a ||
            (const uint8_t *)a + a->len > (const uint8_t *)ofpacts + len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        int rank = order_rank(a->type);
        if (rank < last) {
            return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
        }
        if (rank == last && rank != 1) {
            return OFPERR_OFPBIC_DUP_INST;
        }
        last = rank;

        enum ofperr error;
        if (a->type == OFPACT_METER) {
            error = depth > 0 ? OFPERR_OFPBAC_UNSUPPORTED_ORDER : 0;
        } else if (rank > 1) {
            error = check_instruction(a, m, c, depth);
        } else {
            error = check_action(a, m, c);
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

enum ofperr
ofpacts_check(const struct ofpact *ofpacts, size_t len,
              const struct match *match, uint32_t max_ports, uint8_t table_id,
              uint8_t n_tables)
{
    struct check_ctx c = {max_ports, table_id, n_tables};
    struct match m = *match;

    if (len > OFPACTS_MAX_LEN) {
        return OFPERR_OFPBAC_TOO_MANY;
    }
    return check_list(ofpacts, len, &m, &c, 0);
}

/* Queries. */

bool
ofpacts_output_to_port(const struct ofpact *ofpacts, size_t len, uint32_t port)
{
    if (port == OFPP_ANY) {
        return true;
    }
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        switch (a->type) {
        case OFPACT_OUTPUT:
            if (((const struct ofpact_output *)a)->port == port) {
                return true;
            }
            break;
        case OFPACT_ENQUEUE:
            if (((const struct ofpact_enqueue *)a)->port == port) {
                return true;
            }
            break;
        case OFPACT_CONTROLLER:
            if (port == OFPP_CONTROLLER) {
                return true;
            }
            break;
        case OFPACT_WRITE_ACTIONS: {
            size_t n;
            const struct ofpact *in =
                ofpact_nest_actions((const struct ofpact_nest *)a, &n);
            if (ofpacts_output_to_port(in, n, port)) {
                return true;
            }
            break;
        }
        default:
            break;
        }
    }
    return false;
}

bool
ofpacts_output_to_group(const struct ofpact *ofpacts, size_t len,
                        uint32_t group_id)
{
    if (group_id == OFPG_ANY) {
        return true;
    }
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (a->type == OFPACT_GROUP &&
            ((const struct ofpact_group *)a)->group_id == group_id) {
            return true;
        }
        if (a->type == OFPACT_WRITE_ACTIONS) {
            size_t n;
            const struct ofpact *in =
                ofpact_nest_actions((const struct ofpact_nest *)a, &n);
            if (ofpacts_output_to_group(in, n, group_id)) {
                return true;
            }
        }
    }
    return false;
}

/* True if 'a' and 'b' (same type and length) have the same effect: the
 * fields ofpacts_note_match() derives and the strip/pop spelling do not
 * count. */
static bool
ofpact_equal(const struct ofpact *a, const struct ofpact *b)
{
    switch (a->type) {
    case OFPACT_SET_VLAN_VID: {
        const struct ofpact_vlan_vid *x = (const void *)a,
                                     *y = (const void *)b;
        return x->vid == y->vid &&
               x->push_vlan_if_needed == y->push_vlan_if_needed;
    }
    case OFPACT_SET_VLAN_PCP: {
        const struct ofpact_vlan_pcp *x = (const void *)a,
                                     *y = (const void *)b;
        return x->pcp == y->pcp &&
               x->push_vlan_if_needed == y->push_vlan_if_needed;
    }
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        return ((const struct ofpact_l4_port *)a)->port ==
               ((const struct ofpact_l4_port *)b)->port;
    case OFPACT_STRIP_VLAN:
        return true;
    case OFPACT_WRITE_ACTIONS: {
        size_t na, nb;
        const struct ofpact *ia =
            ofpact_nest_actions((const struct ofpact_nest *)a, &na);
        const struct ofpact *ib =
            ofpact_nest_actions((const struct ofpact_nest *)b, &nb);
        return ofpacts_equal(ia, na, ib, nb);
    }
    default:
        return !memcmp(a, b, a->len);
    }
}

bool
ofpacts_equal(const struct ofpact *a, size_t a_len, const struct ofpact *b,
              size_t b_len)
{
    const uint8_t *a_end = (const uint8_t *)a + a_len;
    const uint8_t *b_end = (const uint8_t *)b + b_len;

    if (a_len != b_len) {
        return false;
    }
    while ((const uint8_t *)a < a_end && (const uint8_t *)b < b_end) {
        if (a->type != b->type || a->len != b->len || !ofpact_equal(a, b)) {
            return false;
        }
        a = ofpact_next(a);
        b = ofpact_next(b);
    }
    return true;
}

static void
note_list(struct ofpact *ofpacts, size_t len, bool has_vlan, uint8_t proto,
          int depth)
{
    for (struct ofpact *a = ofpacts;
         (uint8_t *)a < (uint8_t *)ofpacts + len && a->len >= sizeof *a;
         a = (struct ofpact *)((uint8_t *)a +
                               ROUND_UP(a->len, OFPACT_ALIGN))) {
        switch (a->type) {
        case OFPACT_SET_VLAN_VID: {
            struct ofpact_vlan_vid *v = (struct ofpact_vlan_vid *)a;
            v->flow_has_vlan = has_vlan;
            has_vlan = has_vlan || v->push_vlan_if_needed;
            break;
        }
        case OFPACT_SET_VLAN_PCP: {
            struct ofpact_vlan_pcp *p = (struct ofpact_vlan_pcp *)a;
            p->flow_has_vlan = has_vlan;
            has_vlan = has_vlan || p->push_vlan_if_needed;
            break;
        }
        case OFPACT_SET_L4_SRC_PORT:
        case OFPACT_SET_L4_DST_PORT:
            ((struct ofpact_l4_port *)a)->flow_ip_proto = proto;
            break;
        case OFPACT_PUSH_VLAN:
            has_vlan = true;
            break;
        case OFPACT_STRIP_VLAN:
            has_vlan = false;
            break;
        case OFPACT_SET_FIELD:
            if (((struct ofpact_set_field *)a)->field == MFF_VLAN_VID) {
                has_vlan = true;
            }
            break;
        case OFPACT_WRITE_ACTIONS:
            if (depth < OFPACTS_MAX_DEPTH) {
                note_list((struct ofpact *)((struct ofpact_nest *)a + 1),
                          a->len - sizeof(struct ofpact_nest), has_vlan, proto,
                          depth + 1);
            }
            break;
        default:
            break;
        }
    }
}

void
ofpacts_note_match(struct ofpact *ofpacts, size_t len,
                   const struct match *match)
{
    note_list(ofpacts, len, match_has_vlan(match),
              match_u64(match, MFF_IP_PROTO, 0), 0);
}
