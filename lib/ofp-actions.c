/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-actions: OpenFlow actions and instructions on the wire, decoded into
 * and encoded from the version-independent ofpact list of ofp-actions.h.
 *
 * Decoding walks one table of wire actions (version, type, length,
 * decoder), so that a wire action is described once; instructions of
 * 1.1+ are gathered and then appended in the canonical order the header
 * describes.  Encoding goes the other way with one function per ofpact
 * type, choosing the wire form of the target version: 1.0's set_* actions
 * become set_field in 1.2+ (with push_vlan when mod_vlan_vid may meet an
 * untagged packet, as Open vSwitch does), set_field becomes a 1.0/1.1
 * set_* where one exists.  Actions a version cannot express at all
 * (group or set_queue in 1.0, for example) are left out of it.
 *
 * The semantic checks and queries are in ofp-actions-check.c, the text
 * syntax in ofp-actions-text.c.
 */
#include <config.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-nx.h"

#include <arpa/inet.h>

#include "lib/ofp-match.h"

/* Version masks for the wire table. */
#define V(v) (1u << (v))
#define V10  V(OFP10_VERSION)
#define V11  V(OFP11_VERSION)
#define V12UP                                                                 \
    (V(OFP12_VERSION) | V(OFP13_VERSION) | V(OFP14_VERSION) | V(OFP15_VERSION))
#define V11UP              (V11 | V12UP)
#define V13UP              (V(OFP13_VERSION) | V(OFP14_VERSION) | V15)
#define V15                V(OFP15_VERSION)
#define OFPAT_EXPERIMENTER 0xffff
#define OFPVID_PRESENT     0x1000
/* The 16-bit in_port field header (class 0, field 0, length 2). */
#define NXM_OF_IN_PORT 0x00000002u

/* Instruction types (1.1+). */
enum {
    OFPIT_GOTO_TABLE = 1,
    OFPIT_WRITE_METADATA = 2,
    OFPIT_WRITE_ACTIONS = 3,
    OFPIT_APPLY_ACTIONS = 4,
    OFPIT_CLEAR_ACTIONS = 5,
    OFPIT_METER = 6,
    OFPIT_EXPERIMENTER = 0xffff,
};

/* Building. */

void *
ofpact_put(struct ofpbuf *b, enum ofpact_type type, size_t size)
{
    struct ofpact *a = ofpbuf_put_zeros(b, ROUND_UP(size, OFPACT_ALIGN));
    a->type = type;
    a->len = size;
    return a;
}

size_t
ofpact_nest_start(struct ofpbuf *b, enum ofpact_type type)
{
    size_t offset = b->size;
    ofpact_put(b, type, sizeof(struct ofpact_nest));
    return offset;
}

void
ofpact_nest_end(struct ofpbuf *b, size_t offset)
{
    struct ofpact *a = ofpbuf_at(b, offset, sizeof *a);
    a->len = b->size - offset;
}

static const char *const ofpact_names[OFPACT_N_TYPES] = {
    [OFPACT_OUTPUT] = "output",
    [OFPACT_GROUP] = "group",
    [OFPACT_CONTROLLER] = "controller",
    [OFPACT_ENQUEUE] = "enqueue",
    [OFPACT_SET_QUEUE] = "set_queue",
    [OFPACT_SET_FIELD] = "set_field",
    [OFPACT_SET_VLAN_VID] = "mod_vlan_vid",
    [OFPACT_SET_VLAN_PCP] = "mod_vlan_pcp",
    [OFPACT_STRIP_VLAN] = "strip_vlan",
    [OFPACT_PUSH_VLAN] = "push_vlan",
    [OFPACT_SET_ETH_SRC] = "mod_dl_src",
    [OFPACT_SET_ETH_DST] = "mod_dl_dst",
    [OFPACT_SET_IPV4_SRC] = "mod_nw_src",
    [OFPACT_SET_IPV4_DST] = "mod_nw_dst",
    [OFPACT_SET_IP_DSCP] = "mod_nw_tos",
    [OFPACT_SET_L4_SRC_PORT] = "mod_tp_src",
    [OFPACT_SET_L4_DST_PORT] = "mod_tp_dst",
    [OFPACT_SET_IP_TTL] = "mod_nw_ttl",
    [OFPACT_DEC_TTL] = "dec_ttl",
    [OFPACT_SET_MPLS_TTL] = "set_mpls_ttl",
    [OFPACT_DEC_MPLS_TTL] = "dec_mpls_ttl",
    [OFPACT_COPY_TTL_OUT] = "copy_ttl_out",
    [OFPACT_COPY_TTL_IN] = "copy_ttl_in",
    [OFPACT_PUSH_MPLS] = "push_mpls",
    [OFPACT_POP_MPLS] = "pop_mpls",
    [OFPACT_PUSH_PBB] = "push_pbb",
    [OFPACT_POP_PBB] = "pop_pbb",
    [OFPACT_REG_LOAD] = "load",
    [OFPACT_REG_MOVE] = "move",
    [OFPACT_METER] = "meter",
    [OFPACT_CLEAR_ACTIONS] = "clear_actions",
    [OFPACT_WRITE_ACTIONS] = "write_actions",
    [OFPACT_WRITE_METADATA] = "write_metadata",
    [OFPACT_GOTO_TABLE] = "goto_table",
};

const char *
ofpact_type_name(enum ofpact_type type)
{
    return (unsigned)type < OFPACT_N_TYPES && ofpact_names[type]
               ? ofpact_names[type]
               : "<unknown>";
}

/* Byte helpers for wire data (no alignment assumed). */

static uint16_t
get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint64_t
get_be64(const uint8_t *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void
put_set_field(struct ofpbuf *b, enum mf_field_id id, uint64_t x)
{
    const struct mf_field *mf = mf_from_id(id);
    struct ofpact_set_field *sf = ofpact_put(b, OFPACT_SET_FIELD, sizeof *sf);
    sf->field = id;
    mf_value_from_u64(&sf->value, mf->n_bytes, x);
    mf_get_exact_mask(mf, &sf->mask);
}

/* Decoding actions. */

/* True if 'port' may be an output port on the wire. */
static bool
output_port_ok(uint32_t port)
{
    return port < OFPP_MAX || (port >= OFPP_IN_PORT && port != OFPP_ANY);
}

static uint32_t
wire_port(const uint8_t *p, enum ofp_version v)
{
    return v == OFP10_VERSION ? ofp_port_from_of10(get_be16(p)) : get_be32(p);
}

typedef enum ofperr act_decode_fn(const uint8_t *a, size_t len,
                                  enum ofp_version, int arg,
                                  struct ofpbuf *out);

static enum ofperr
dec_output(const uint8_t *a, size_t len TERN_UNUSED, enum ofp_version v,
           int arg TERN_UNUSED, struct ofpbuf *out)
{
    uint32_t port = wire_port(a + 4, v);
    uint16_t max_len = get_be16(a + (v == OFP10_VERSION ? 6 : 8));
    if (!output_port_ok(port)) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    struct ofpact_output *o = ofpact_put(out, OFPACT_OUTPUT, sizeof *o);
    o->port = port;
    o->max_len = max_len;
    return 0;
}

static enum ofperr
dec_enqueue(const uint8_t *a, size_t len TERN_UNUSED,
            enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
            struct ofpbuf *out)
{
    uint32_t port = ofp_port_from_of10(get_be16(a + 4));
    if (port >= OFPP_MAX && port != OFPP_IN_PORT && port != OFPP_LOCAL) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    struct ofpact_enqueue *e = ofpact_put(out, OFPACT_ENQUEUE, sizeof *e);
    e->port = port;
    e->queue = get_be32(a + 12);
    return 0;
}

static enum ofperr
dec_vlan_vid(const uint8_t *a, size_t len TERN_UNUSED,
             enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
             struct ofpbuf *out)
{
    uint16_t vid = get_be16(a + 4);
    if (vid > 0xfff) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact_vlan_vid *o =
        ofpact_put(out, OFPACT_SET_VLAN_VID, sizeof *o);
    o->vid = vid;
    o->push_vlan_if_needed = v == OFP10_VERSION;
    return 0;
}

static enum ofperr
dec_vlan_pcp(const uint8_t *a, size_t len TERN_UNUSED,
             enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
             struct ofpbuf *out)
{
    if (a[4] > 7) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact_vlan_pcp *o =
        ofpact_put(out, OFPACT_SET_VLAN_PCP, sizeof *o);
    o->pcp = a[4];
    o->push_vlan_if_needed = v == OFP10_VERSION;
    return 0;
}

static enum ofperr
dec_strip_vlan(const uint8_t *a TERN_UNUSED, size_t len TERN_UNUSED,
               enum ofp_version v, int arg TERN_UNUSED, struct ofpbuf *out)
{
    struct ofpact_strip_vlan *s =
        ofpact_put(out, OFPACT_STRIP_VLAN, sizeof *s);
    s->is_pop = v != OFP10_VERSION;
    return 0;
}

static enum ofperr
dec_mac(const uint8_t *a, size_t len TERN_UNUSED,
        enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    struct ofpact_mac *m = ofpact_put(out, arg, sizeof *m);
    memcpy(m->mac.ea, a + 4, ETH_ADDR_LEN);
    return 0;
}

static enum ofperr
dec_ipv4(const uint8_t *a, size_t len TERN_UNUSED,
         enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    struct ofpact_ipv4 *o = ofpact_put(out, arg, sizeof *o);
    memcpy(&o->ipv4, a + 4, 4);
    return 0;
}

static enum ofperr
dec_nw_tos(const uint8_t *a, size_t len TERN_UNUSED,
           enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
           struct ofpbuf *out)
{
    if (a[4] & 3) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact_u8 *o = ofpact_put(out, OFPACT_SET_IP_DSCP, sizeof *o);
    o->value = a[4];
    return 0;
}

static enum ofperr
dec_nw_ecn(const uint8_t *a, size_t len TERN_UNUSED,
           enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
           struct ofpbuf *out)
{
    if (a[4] > 3) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    put_set_field(out, MFF_IP_ECN, a[4]);
    return 0;
}

static enum ofperr
dec_l4_port(const uint8_t *a, size_t len TERN_UNUSED,
            enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    struct ofpact_l4_port *o = ofpact_put(out, arg, sizeof *o);
    o->port = get_be16(a + 4);
    return 0;
}

static enum ofperr
dec_empty(const uint8_t *a TERN_UNUSED, size_t len TERN_UNUSED,
          enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    ofpact_put(out, arg, sizeof(struct ofpact));
    return 0;
}

static enum ofperr
dec_u8(const uint8_t *a, size_t len TERN_UNUSED,
       enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    struct ofpact_u8 *o = ofpact_put(out, arg, sizeof *o);
    o->value = a[4];
    return 0;
}

static enum ofperr
dec_push(const uint8_t *a, size_t len TERN_UNUSED,
         enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    uint16_t type = get_be16(a + 4);
    if ((arg == OFPACT_PUSH_VLAN && type != 0x8100 && type != 0x88a8) ||
        (arg == OFPACT_PUSH_MPLS && type != 0x8847 && type != 0x8848) ||
        (arg == OFPACT_PUSH_PBB && type != ETH_TYPE_PBB)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact_push *o = ofpact_put(out, arg, sizeof *o);
    o->ethertype = htons(type);
    return 0;
}

static enum ofperr
dec_u32(const uint8_t *a, size_t len TERN_UNUSED,
        enum ofp_version v TERN_UNUSED, int arg, struct ofpbuf *out)
{
    uint32_t x = get_be32(a + 4);
    if (arg == OFPACT_GROUP) {
        if (x > OFPG_MAX) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        struct ofpact_group *g = ofpact_put(out, OFPACT_GROUP, sizeof *g);
        g->group_id = x;
    } else if (arg == OFPACT_SET_QUEUE) {
        struct ofpact_queue *q = ofpact_put(out, OFPACT_SET_QUEUE, sizeof *q);
        q->queue_id = x;
    } else {
        struct ofpact_meter *m = ofpact_put(out, OFPACT_METER, sizeof *m);
        m->meter_id = x;
    }
    return 0;
}

static enum ofperr
dec_mpls_label(const uint8_t *a, size_t len TERN_UNUSED,
               enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
               struct ofpbuf *out)
{
    uint32_t label = get_be32(a + 4);
    if (label > 0xfffff) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    put_set_field(out, MFF_MPLS_LABEL, label);
    return 0;
}

static enum ofperr
dec_mpls_tc(const uint8_t *a, size_t len TERN_UNUSED,
            enum ofp_version v TERN_UNUSED, int arg TERN_UNUSED,
            struct ofpbuf *out)
{
    if (a[4] > 7) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    put_set_field(out, MFF_MPLS_TC, a[4]);
    return 0;
}

/* Maps an error of the OXM decoder to set_field's. */
static enum ofperr
set_field_error(enum ofperr error)
{
    switch (error) {
    case OFPERR_OFPBMC_BAD_LEN:
        return OFPERR_OFPBAC_BAD_SET_LEN;
    case OFPERR_OFPBMC_BAD_VALUE:
    case OFPERR_OFPBMC_BAD_MASK:
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    default:
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
}

static enum ofperr
dec_set_field(const uint8_t *a, size_t len, enum ofp_version v,
              int arg TERN_UNUSED, struct ofpbuf *out)
{
    struct ofp_reader r;
    const struct mf_field *mf = NULL;
    union mf_value value, mask;
    bool has_mask = false;

    if (len < 8) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    /* The OXM's own length must fit in the action; zero bytes may follow
     * (Open vSwitch accepts more than the padding to 8 too). */
    size_t oxm_len = 4 + (size_t)a[7];
    if (4 + oxm_len > len) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    for (size_t i = 4 + oxm_len; i < len; i++) {
        if (a[i]) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
    }
    if (get_be32(a + 4) == NXM_OF_IN_PORT) {
        put_set_field(out, MFF_IN_PORT, ofp_port_from_of10(get_be16(a + 8)));
        return 0;
    }
    memset(&value, 0, sizeof value);
    memset(&mask, 0, sizeof mask);
    ofp_reader_init(&r, a + 4, oxm_len);
    enum ofperr error = ofp_oxm_decode_one(&r, &mf, &value, &mask, &has_mask);
    if (error) {
        return set_field_error(error);
    }
    if (!mf || r.size) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (!mf->writable) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    if (has_mask && v < OFP15_VERSION) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    if (mf->n_bytes <= 8 && mf->n_bits < 64 &&
        mf_value_to_u64(&value, mf->n_bytes) >> mf->n_bits) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    if (mf->id == MFF_VLAN_VID && !(ntohs(value.be16) & OFPVID_PRESENT)) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact_set_field *sf =
        ofpact_put(out, OFPACT_SET_FIELD, sizeof *sf);
    sf->field = mf->id;
    sf->value = value;
    if (has_mask) {
        /* The value keeps the bits outside the mask, so that it re-encodes
         * as it came; they are printed and applied masked. */
        sf->mask = mask;
    } else {
        mf_get_exact_mask(mf, &sf->mask);
    }
    return 0;
}

/* Nicira extension actions: type 0xffff, len, vendor 0x00002320,
 * subtype(16), then the subtype's fields. */
#define NXAST_REG_MOVE 6
#define NXAST_REG_LOAD 7
#define NX_REG_ACT_LEN 24

static enum ofperr
dec_reg_load(const uint8_t *a, size_t len, struct ofpbuf *out)
{
    if (len != NX_REG_ACT_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t ofs_nbits = get_be16(a + 10);
    uint32_t dst = get_be32(a + 12);
    uint64_t value = get_be64(a + 16);
    unsigned ofs = ofs_nbits >> 6;
    unsigned n_bits = (ofs_nbits & 0x3f) + 1;
    const struct mf_field *mf = ofp_nxm_header_field(dst);

    if (!mf) {
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    /* The errors Open vSwitch gives. */
    if (ofs + n_bits > ofp_nxm_header_width(dst)) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (!mf->writable) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    if (n_bits < 64 && value >> n_bits) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact_reg_load *rl = ofpact_put(out, OFPACT_REG_LOAD, sizeof *rl);
    rl->field = mf->id;
    rl->dst = dst;
    rl->ofs = ofs;
    rl->n_bits = n_bits;
    rl->value = value;
    return 0;
}

static enum ofperr
dec_reg_move(const uint8_t *a, size_t len, struct ofpbuf *out)
{
    if (len != NX_REG_ACT_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    unsigned n_bits = get_be16(a + 10);
    unsigned src_ofs = get_be16(a + 12);
    unsigned dst_ofs = get_be16(a + 14);
    uint32_t src = get_be32(a + 16);
    uint32_t dst = get_be32(a + 20);
    const struct mf_field *smf = ofp_nxm_header_field(src);
    const struct mf_field *dmf = ofp_nxm_header_field(dst);

    if (!smf || !dmf) {
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    if (!n_bits || src_ofs + n_bits > ofp_nxm_header_width(src) ||
        dst_ofs + n_bits > ofp_nxm_header_width(dst)) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (!dmf->writable) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact_reg_move *rm = ofpact_put(out, OFPACT_REG_MOVE, sizeof *rm);
    rm->src_field = smf->id;
    rm->dst_field = dmf->id;
    rm->src = src;
    rm->dst = dst;
    rm->src_ofs = src_ofs;
    rm->dst_ofs = dst_ofs;
    rm->n_bits = n_bits;
    return 0;
}

/* An experimenter action of 'len' bytes at 'a'.  Nicira's reg_load and
 * reg_move are implemented; the other members of Nicira's and ONF's
 * families are OFPBAC_BAD_EXP_TYPE. */
static enum ofperr
dec_experimenter(const uint8_t *a, size_t len, struct ofpbuf *out)
{
    uint32_t exp = get_be32(a + 4);

    if (exp == NX_VENDOR_ID && len >= 16) {
        switch (get_be16(a + 8)) {
        case NXAST_REG_LOAD:
            return dec_reg_load(a, len, out);
        case NXAST_REG_MOVE:
            return dec_reg_move(a, len, out);
        default:
            break;
        }
    }
    return exp == NX_VENDOR_ID || exp == 0x4f4e4600
               ? OFPERR_OFPBAC_BAD_EXP_TYPE
               : OFPERR_OFPBAC_BAD_EXPERIMENTER;
}

struct act_wire {
    uint32_t versions;
    uint16_t type;
    uint16_t len; /* Exact length; 0 for set_field (checked itself). */
    act_decode_fn *decode;
    int arg; /* Usually the ofpact type. */
};

static const struct act_wire act_wire_table[] = {
    /* OpenFlow 1.0. */
    {V10, 0, 8, dec_output, 0},
    {V10, 1, 8, dec_vlan_vid, 0},
    {V10, 2, 8, dec_vlan_pcp, 0},
    {V10, 3, 8, dec_strip_vlan, 0},
    {V10, 4, 16, dec_mac, OFPACT_SET_ETH_SRC},
    {V10, 5, 16, dec_mac, OFPACT_SET_ETH_DST},
    {V10, 6, 8, dec_ipv4, OFPACT_SET_IPV4_SRC},
    {V10, 7, 8, dec_ipv4, OFPACT_SET_IPV4_DST},
    {V10, 8, 8, dec_nw_tos, 0},
    {V10, 9, 8, dec_l4_port, OFPACT_SET_L4_SRC_PORT},
    {V10, 10, 8, dec_l4_port, OFPACT_SET_L4_DST_PORT},
    {V10, 11, 16, dec_enqueue, 0},
    /* OpenFlow 1.1 only. */
    {V11, 1, 8, dec_vlan_vid, 0},
    {V11, 2, 8, dec_vlan_pcp, 0},
    {V11, 3, 16, dec_mac, OFPACT_SET_ETH_SRC},
    {V11, 4, 16, dec_mac, OFPACT_SET_ETH_DST},
    {V11, 5, 8, dec_ipv4, OFPACT_SET_IPV4_SRC},
    {V11, 6, 8, dec_ipv4, OFPACT_SET_IPV4_DST},
    {V11, 7, 8, dec_nw_tos, 0},
    {V11, 8, 8, dec_nw_ecn, 0},
    {V11, 9, 8, dec_l4_port, OFPACT_SET_L4_SRC_PORT},
    {V11, 10, 8, dec_l4_port, OFPACT_SET_L4_DST_PORT},
    {V11, 13, 8, dec_mpls_label, 0},
    {V11, 14, 8, dec_mpls_tc, 0},
    /* OpenFlow 1.1 and later. */
    {V11UP, 0, 16, dec_output, 0},
    {V11UP, 11, 8, dec_empty, OFPACT_COPY_TTL_OUT},
    {V11UP, 12, 8, dec_empty, OFPACT_COPY_TTL_IN},
    {V11UP, 15, 8, dec_u8, OFPACT_SET_MPLS_TTL},
    {V11UP, 16, 8, dec_empty, OFPACT_DEC_MPLS_TTL},
    {V11UP, 17, 8, dec_push, OFPACT_PUSH_VLAN},
    {V11UP, 18, 8, dec_strip_vlan, 0},
    {V11UP, 19, 8, dec_push, OFPACT_PUSH_MPLS},
    {V11UP, 20, 8, dec_push, OFPACT_POP_MPLS},
    {V11UP, 21, 8, dec_u32, OFPACT_SET_QUEUE},
    {V11UP, 22, 8, dec_u32, OFPACT_GROUP},
    {V11UP, 23, 8, dec_u8, OFPACT_SET_IP_TTL},
    {V11UP, 24, 8, dec_empty, OFPACT_DEC_TTL},
    /* OpenFlow 1.3 and later. */
    {V13UP, 26, 8, dec_push, OFPACT_PUSH_PBB},
    {V13UP, 27, 8, dec_empty, OFPACT_POP_PBB},
    /* OpenFlow 1.2 and later. */
    {V12UP, 25, 0, dec_set_field, 0},
    /* OpenFlow 1.5. */
    {V15, 29, 8, dec_u32, OFPACT_METER},
};

static const struct act_wire *
act_wire_lookup(enum ofp_version v, uint16_t type)
{
    for (size_t i = 0; i < ARRAY_SIZE(act_wire_table); i++) {
        const struct act_wire *w = &act_wire_table[i];
        if (w->type == type && (w->versions & V(v))) {
            return w;
        }
    }
    return NULL;
}

/* Decodes the actions of 'len' bytes at 'actions' and appends them to
 * 'out'.  A 1.5 meter action is kept only as the first action, where the
 * canonical order puts OFPACT_METER. */
static enum ofperr
decode_actions__(const uint8_t *p, size_t len, enum ofp_version v,
                 struct ofpbuf *out, size_t start)
{
    bool first = true;

    if (v < OFP10_VERSION || v > OFP15_VERSION) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (len % 8) {
        /* The list itself is malformed, as Open vSwitch reports it. */
        return OFPERR_OFPBRC_BAD_LEN;
    }
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        uint16_t alen = get_be16(p + 2);
        if (alen < 8 || alen % 8 || alen > len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        enum ofperr error;
        if (type == OFPAT_EXPERIMENTER) {
            error = dec_experimenter(p, alen, out);
        } else {
            const struct act_wire *w = act_wire_lookup(v, type);
            if (!w) {
                return OFPERR_OFPBAC_BAD_TYPE;
            }
            if (w->len && alen != w->len) {
                return OFPERR_OFPBAC_BAD_LEN;
            }
            if (w->arg == OFPACT_METER && !first) {
                return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
            }
            error = w->decode(p, alen, v, w->arg, out);
        }
        if (error) {
            return error;
        }
        if (out->size - start > OFPACTS_MAX_LEN) {
            return OFPERR_OFPBAC_TOO_MANY;
        }
        first = false;
        p += alen;
        len -= alen;
    }
    return 0;
}

enum ofperr
ofpacts_decode_actions(const void *actions, size_t len, enum ofp_version v,
                       struct ofpbuf *ofpacts)
{
    size_t start = ofpacts->size;
    enum ofperr error = decode_actions__(actions, len, v, ofpacts, start);
    if (error) {
        ofpacts->size = start;
    }
    return error;
}

/* Decoding instructions. */

struct insts {
    const uint8_t *inst[OFPIT_METER + 1]; /* Each instruction, or NULL. */
    uint16_t len[OFPIT_METER + 1];
};

static enum ofperr
inst_check_len(unsigned type, size_t len)
{
    switch (type) {
    case OFPIT_GOTO_TABLE:
    case OFPIT_CLEAR_ACTIONS:
    case OFPIT_METER:
        return len == 8 ? 0 : OFPERR_OFPBIC_BAD_LEN;
    case OFPIT_WRITE_METADATA:
        return len == 24 ? 0 : OFPERR_OFPBIC_BAD_LEN;
    default:
        return 0;
    }
}

static enum ofperr
gather_instructions(const uint8_t *p, size_t len, enum ofp_version v,
                    struct insts *in)
{
    memset(in, 0, sizeof *in);
    if (len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        uint16_t ilen = get_be16(p + 2);
        if (ilen < 8 || ilen % 8 || ilen > len) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        if (type == OFPIT_EXPERIMENTER) {
            return OFPERR_OFPBIC_BAD_EXPERIMENTER;
        }
        if (type < OFPIT_GOTO_TABLE || type > OFPIT_METER ||
            (type == OFPIT_METER && v < OFP13_VERSION)) {
            return OFPERR_OFPBIC_UNKNOWN_INST;
        }
        enum ofperr error = inst_check_len(type, ilen);
        if (error) {
            return error;
        }
        if (in->inst[type]) {
            return OFPERR_OFPBIC_DUP_INST;
        }
        in->inst[type] = p;
        in->len[type] = ilen;
        p += ilen;
        len -= ilen;
    }
    return 0;
}

static enum ofperr
decode_instructions__(const struct insts *in, enum ofp_version v,
                      struct ofpbuf *out, size_t start)
{
    enum ofperr error;

    if (in->inst[OFPIT_METER]) {
        struct ofpact_meter *m = ofpact_put(out, OFPACT_METER, sizeof *m);
        m->meter_id = get_be32(in->inst[OFPIT_METER] + 4);
    }
    if (in->inst[OFPIT_APPLY_ACTIONS]) {
        size_t at = out->size;
        error =
            decode_actions__(in->inst[OFPIT_APPLY_ACTIONS] + 8,
                             in->len[OFPIT_APPLY_ACTIONS] - 8, v, out, start);
        if (error) {
            return error;
        }
        const struct ofpact *a = ofpbuf_at(out, at, sizeof *a);
        if (a && a->type == OFPACT_METER && in->inst[OFPIT_METER]) {
            return OFPERR_OFPBIC_DUP_INST;
        }
    }
    if (in->inst[OFPIT_CLEAR_ACTIONS]) {
        ofpact_put(out, OFPACT_CLEAR_ACTIONS, sizeof(struct ofpact));
    }
    if (in->inst[OFPIT_WRITE_ACTIONS]) {
        size_t ofs = ofpact_nest_start(out, OFPACT_WRITE_ACTIONS);
        size_t inner = out->size;
        error =
            decode_actions__(in->inst[OFPIT_WRITE_ACTIONS] + 8,
                             in->len[OFPIT_WRITE_ACTIONS] - 8, v, out, start);
        if (error) {
            return error;
        }
        const struct ofpact *a = ofpbuf_at(out, inner, sizeof *a);
        if (a && a->type == OFPACT_METER) {
            return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
        }
        ofpact_nest_end(out, ofs);
    }
    if (in->inst[OFPIT_WRITE_METADATA]) {
        const uint8_t *p = in->inst[OFPIT_WRITE_METADATA];
        struct ofpact_metadata *md =
            ofpact_put(out, OFPACT_WRITE_METADATA, sizeof *md);
        md->metadata = tern_htonll(get_be64(p + 8));
        md->mask = tern_htonll(get_be64(p + 16));
    }
    if (in->inst[OFPIT_GOTO_TABLE]) {
        struct ofpact_goto_table *g =
            ofpact_put(out, OFPACT_GOTO_TABLE, sizeof *g);
        g->table_id = in->inst[OFPIT_GOTO_TABLE][4];
    }
    return out->size - start > OFPACTS_MAX_LEN ? OFPERR_OFPBAC_TOO_MANY : 0;
}

enum ofperr
ofpacts_decode_instructions(const void *insts, size_t len, enum ofp_version v,
                            struct ofpbuf *ofpacts)
{
    size_t start = ofpacts->size;
    struct insts in;
    enum ofperr error;

    if (v == OFP10_VERSION) {
        return OFPERR_OFPBIC_UNKNOWN_INST;
    }
    error = gather_instructions(insts, len, v, &in);
    if (!error) {
        error = decode_instructions__(&in, v, ofpacts, start);
    }
    if (error) {
        ofpacts->size = start;
    }
    return error;
}

/* Encoding. */

static void
put_hdr(struct ofpbuf *out, uint16_t type, uint16_t len)
{
    ofpbuf_put_be16(out, type);
    ofpbuf_put_be16(out, len);
}

/* Sets the 16-bit length at 'offset' + 2 to the bytes written since. */
static void
fix_len(struct ofpbuf *out, size_t offset)
{
    uint8_t *p = ofpbuf_at(out, offset, 4);
    size_t len = out->size - offset;
    p[2] = len >> 8;
    p[3] = len & 0xff;
}

/* An action whose body is one 8-, 16- or 32-bit value then padding to 8
 * bytes. */
static void
put_u8_action(struct ofpbuf *out, uint16_t type, uint8_t x)
{
    put_hdr(out, type, 8);
    ofpbuf_put(out, &x, 1);
    ofpbuf_put_zeros(out, 3);
}

static void
put_u16_action(struct ofpbuf *out, uint16_t type, uint16_t x)
{
    put_hdr(out, type, 8);
    ofpbuf_put_be16(out, x);
    ofpbuf_put_zeros(out, 2);
}

static void
put_u32_action(struct ofpbuf *out, uint16_t type, uint32_t x)
{
    put_hdr(out, type, 8);
    ofpbuf_put_be32(out, x);
}

static void
put_mac_action(struct ofpbuf *out, uint16_t type, const struct eth_addr *mac)
{
    put_hdr(out, type, 16);
    ofpbuf_put(out, mac->ea, ETH_ADDR_LEN);
    ofpbuf_put_zeros(out, 6);
}

static void
put_output(struct ofpbuf *out, enum ofp_version v, uint32_t port,
           uint16_t max_len)
{
    if (v == OFP10_VERSION) {
        put_hdr(out, 0, 8);
        ofpbuf_put_be16(out, ofp_port_to_of10(port));
        ofpbuf_put_be16(out, max_len);
    } else {
        put_hdr(out, 0, 16);
        ofpbuf_put_be32(out, port);
        ofpbuf_put_be16(out, max_len);
        ofpbuf_put_zeros(out, 6);
    }
}

static void
put_oxm_set_field(struct ofpbuf *out, enum ofp_version v,
                  const struct mf_field *mf, const union mf_value *value,
                  const union mf_value *mask)
{
    size_t ofs = out->size;
    put_hdr(out, 25, 0);
    if (mf->id == MFF_IN_PORT && !mask) {
        /* Open vSwitch writes in_port as the 16-bit NXM_OF_IN_PORT. */
        ofpbuf_put_be32(out, NXM_OF_IN_PORT);
        ofpbuf_put_be16(out, ofp_port_to_of10(ntohl(value->be32)));
    } else {
        ofp_oxm_encode_one(mf, value, mask, v, out);
    }
    size_t len = out->size - ofs;
    ofpbuf_put_zeros(out, ROUND_UP(len, 8) - len);
    fix_len(out, ofs);
}

static void
put_set_field_u64(struct ofpbuf *out, enum ofp_version v, enum mf_field_id id,
                  uint64_t x)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value value;
    mf_value_from_u64(&value, mf->n_bytes, x);
    put_oxm_set_field(out, v, mf, &value, NULL);
}

/* set_field in 1.0 and 1.1, as their own set_* actions where one exists. */
static void
encode_set_field_old(const struct ofpact_set_field *sf, enum ofp_version v,
                     struct ofpbuf *out)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    bool v10 = v == OFP10_VERSION;
    uint64_t x = mf_value_to_u64(&sf->value, MIN(mf->n_bytes, 8));

    switch (sf->field) {
    case MFF_ETH_SRC:
        put_mac_action(out, v10 ? 4 : 3, &sf->value.mac);
        break;
    case MFF_ETH_DST:
        put_mac_action(out, v10 ? 5 : 4, &sf->value.mac);
        break;
    case MFF_IPV4_SRC:
        put_u32_action(out, v10 ? 6 : 5, x);
        break;
    case MFF_IPV4_DST:
        put_u32_action(out, v10 ? 7 : 6, x);
        break;
    case MFF_VLAN_VID:
        if (x & OFPVID_PRESENT) {
            put_u16_action(out, 1, x & 0xfff);
        } else {
            put_hdr(out, v10 ? 3 : 18, 8);
            ofpbuf_put_zeros(out, 4);
        }
        break;
    case MFF_VLAN_PCP:
        put_u8_action(out, 2, x);
        break;
    case MFF_IP_DSCP:
        put_u8_action(out, v10 ? 8 : 7, x << 2);
        break;
    case MFF_TCP_SRC:
    case MFF_UDP_SRC:
    case MFF_SCTP_SRC:
        put_u16_action(out, 9, x);
        break;
    case MFF_TCP_DST:
    case MFF_UDP_DST:
    case MFF_SCTP_DST:
        put_u16_action(out, 10, x);
        break;
    case MFF_IP_ECN:
        if (!v10) {
            put_u8_action(out, 8, x);
        }
        break;
    case MFF_MPLS_LABEL:
        if (!v10) {
            put_u32_action(out, 13, x);
        }
        break;
    case MFF_MPLS_TC:
        if (!v10) {
            put_u8_action(out, 14, x);
        }
        break;
    case MFF_IP_TTL:
        if (!v10) {
            put_u8_action(out, 23, x);
        }
        break;
    default:
        break;
    }
}

static void
encode_set_field(const struct ofpact_set_field *sf, enum ofp_version v,
                 struct ofpbuf *out)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    if (!mf) {
        return;
    }
    if (v < OFP12_VERSION) {
        encode_set_field_old(sf, v, out);
    } else {
        bool exact = mf_is_mask_exact(mf, &sf->mask);
        put_oxm_set_field(out, v, mf, &sf->value, exact ? NULL : &sf->mask);
    }
}

static enum mf_field_id
l4_field(uint8_t ip_proto, bool src)
{
    switch (ip_proto) {
    case 17:
        return src ? MFF_UDP_SRC : MFF_UDP_DST;
    case 132:
        return src ? MFF_SCTP_SRC : MFF_SCTP_DST;
    default:
        return src ? MFF_TCP_SRC : MFF_TCP_DST;
    }
}

/* The 1.0 set_* actions: their own wire form in 1.0 and 1.1. */
static void
encode_old_set(const struct ofpact *a, enum ofp_version v, struct ofpbuf *out)
{
    bool v10 = v == OFP10_VERSION;

    switch ((enum ofpact_type)a->type) {
    case OFPACT_SET_VLAN_VID:
        put_u16_action(out, 1, ((const struct ofpact_vlan_vid *)a)->vid);
        break;
    case OFPACT_SET_VLAN_PCP:
        put_u8_action(out, 2, ((const struct ofpact_vlan_pcp *)a)->pcp);
        break;
    case OFPACT_SET_ETH_SRC:
    case OFPACT_SET_ETH_DST:
        put_mac_action(out, (v10 ? 4 : 3) + (a->type == OFPACT_SET_ETH_DST),
                       &((const struct ofpact_mac *)a)->mac);
        break;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        put_u32_action(out, (v10 ? 6 : 5) + (a->type == OFPACT_SET_IPV4_DST),
                       ntohl(((const struct ofpact_ipv4 *)a)->ipv4));
        break;
    case OFPACT_SET_IP_DSCP:
        put_u8_action(out, v10 ? 8 : 7, ((const struct ofpact_u8 *)a)->value);
        break;
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        put_u16_action(out, a->type == OFPACT_SET_L4_SRC_PORT ? 9 : 10,
                       ((const struct ofpact_l4_port *)a)->port);
        break;
    default:
        break;
    }
}

/* The 1.0 set_* actions as set_field (1.2+). */
static void
encode_old_set_as_field(const struct ofpact *a, enum ofp_version v,
                        struct ofpbuf *out)
{
    const struct ofpact_vlan_vid *vid = (const void *)a;
    const struct ofpact_vlan_pcp *pcp = (const void *)a;
    const struct ofpact_l4_port *l4 = (const void *)a;
    const struct mf_field *mf;
    union mf_value value;

    switch ((enum ofpact_type)a->type) {
    case OFPACT_SET_VLAN_VID:
        if (vid->push_vlan_if_needed && !vid->flow_has_vlan) {
            put_u16_action(out, 17, 0x8100);
        }
        put_set_field_u64(out, v, MFF_VLAN_VID, vid->vid | OFPVID_PRESENT);
        break;
    case OFPACT_SET_VLAN_PCP:
        if (pcp->push_vlan_if_needed && !pcp->flow_has_vlan) {
            put_u16_action(out, 17, 0x8100);
        }
        put_set_field_u64(out, v, MFF_VLAN_PCP, pcp->pcp);
        break;
    case OFPACT_SET_ETH_SRC:
    case OFPACT_SET_ETH_DST:
        mf = mf_from_id(a->type == OFPACT_SET_ETH_SRC ? MFF_ETH_SRC
                                                      : MFF_ETH_DST);
        memset(&value, 0, sizeof value);
        value.mac = ((const struct ofpact_mac *)a)->mac;
        put_oxm_set_field(out, v, mf, &value, NULL);
        break;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        put_set_field_u64(out, v,
                          a->type == OFPACT_SET_IPV4_SRC ? MFF_IPV4_SRC
                                                         : MFF_IPV4_DST,
                          ntohl(((const struct ofpact_ipv4 *)a)->ipv4));
        break;
    case OFPACT_SET_IP_DSCP:
        put_set_field_u64(out, v, MFF_IP_DSCP,
                          ((const struct ofpact_u8 *)a)->value >> 2);
        break;
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        put_set_field_u64(
            out, v,
            l4_field(l4->flow_ip_proto, a->type == OFPACT_SET_L4_SRC_PORT),
            l4->port);
        break;
    default:
        break;
    }
}

/* The tag and TTL actions of 1.1+ (1.0 has none of them). */
static void
encode_tag_ttl_action(const struct ofpact *a, struct ofpbuf *out)
{
    switch ((enum ofpact_type)a->type) {
    case OFPACT_PUSH_VLAN:
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
    case OFPACT_PUSH_PBB: {
        uint16_t type = a->type == OFPACT_PUSH_VLAN   ? 17
                        : a->type == OFPACT_PUSH_MPLS ? 19
                        : a->type == OFPACT_PUSH_PBB  ? 26
                                                      : 20;
        put_u16_action(out, type,
                       ntohs(((const struct ofpact_push *)a)->ethertype));
        break;
    }
    case OFPACT_SET_IP_TTL:
    case OFPACT_SET_MPLS_TTL:
        put_u8_action(out, a->type == OFPACT_SET_IP_TTL ? 23 : 15,
                      ((const struct ofpact_u8 *)a)->value);
        break;
    case OFPACT_DEC_TTL:
    case OFPACT_DEC_MPLS_TTL:
    case OFPACT_COPY_TTL_OUT:
    case OFPACT_COPY_TTL_IN:
    case OFPACT_POP_PBB: {
        uint16_t type = a->type == OFPACT_DEC_TTL        ? 24
                        : a->type == OFPACT_DEC_MPLS_TTL ? 16
                        : a->type == OFPACT_COPY_TTL_OUT ? 11
                        : a->type == OFPACT_POP_PBB      ? 27
                                                         : 12;
        put_hdr(out, type, 8);
        ofpbuf_put_zeros(out, 4);
        break;
    }
    default:
        break;
    }
}

static void
put_nx_header(struct ofpbuf *out, uint16_t subtype)
{
    put_hdr(out, OFPAT_EXPERIMENTER, NX_REG_ACT_LEN);
    ofpbuf_put_be32(out, NX_VENDOR_ID);
    ofpbuf_put_be16(out, subtype);
}

/* A load is NXAST_REG_LOAD up to 1.4 and set_field (masked unless it
 * covers the whole field) in 1.5, as Open vSwitch sends it. */
static void
encode_reg_load(const struct ofpact_reg_load *rl, enum ofp_version v,
                struct ofpbuf *out)
{
    const struct mf_field *mf = mf_from_id(rl->field);

    if (v >= OFP15_VERSION) {
        struct ofpact_set_field sf;
        ofpact_reg_load_to_set_field(rl, &sf);
        bool whole = rl->ofs == 0 && rl->n_bits == mf->n_bits &&
                     ofp_nxm_header_width(rl->dst) == mf->n_bits;
        put_oxm_set_field(out, v, mf, &sf.value, whole ? NULL : &sf.mask);
        return;
    }
    put_nx_header(out, NXAST_REG_LOAD);
    ofpbuf_put_be16(out, (rl->ofs << 6) | (rl->n_bits - 1));
    ofpbuf_put_be32(out, rl->dst);
    ofpbuf_put_be64(out, rl->value);
}

static void
encode_reg_move(const struct ofpact_reg_move *rm, struct ofpbuf *out)
{
    put_nx_header(out, NXAST_REG_MOVE);
    ofpbuf_put_be16(out, rm->n_bits);
    ofpbuf_put_be16(out, rm->src_ofs);
    ofpbuf_put_be16(out, rm->dst_ofs);
    ofpbuf_put_be32(out, rm->src);
    ofpbuf_put_be32(out, rm->dst);
}

void
ofpact_copy_bits(const union mf_value *src, size_t src_bytes, unsigned src_ofs,
                 union mf_value *dst, size_t dst_bytes, unsigned dst_ofs,
                 unsigned n_bits, union mf_value *dst_mask)
{
    for (unsigned i = 0; i < n_bits; i++) {
        unsigned sp = src_ofs + i, dp = dst_ofs + i;
        size_t sb = src_bytes - 1 - sp / 8, db = dst_bytes - 1 - dp / 8;
        uint8_t dbit = 1u << (dp % 8);

        if (src->bytes[sb] & (1u << (sp % 8))) {
            dst->bytes[db] |= dbit;
        } else {
            dst->bytes[db] &= ~dbit;
        }
        if (dst_mask) {
            dst_mask->bytes[db] |= dbit;
        }
    }
}

void
ofpact_reg_load_to_set_field(const struct ofpact_reg_load *rl,
                             struct ofpact_set_field *sf)
{
    const struct mf_field *mf = mf_from_id(rl->field);
    union mf_value src;

    memset(sf, 0, sizeof *sf);
    sf->ofpact.type = OFPACT_SET_FIELD;
    sf->ofpact.len = sizeof *sf;
    sf->field = rl->field;
    mf_value_from_u64(&src, 8, rl->value);
    ofpact_copy_bits(&src, 8, 0, &sf->value, mf->n_bytes, rl->ofs, rl->n_bits,
                     &sf->mask);
}

/* Appends the wire form of the plain action 'a' (not an instruction). */
static void
encode_action(const struct ofpact *a, enum ofp_version v, struct ofpbuf *out)
{
    bool v10 = v == OFP10_VERSION;

    switch ((enum ofpact_type)a->type) {
    case OFPACT_OUTPUT: {
        const struct ofpact_output *o = (const void *)a;
        put_output(out, v, o->port, o->max_len);
        break;
    }
    case OFPACT_CONTROLLER:
        put_output(out, v, OFPP_CONTROLLER,
                   ((const struct ofpact_controller *)a)->max_len);
        break;
    case OFPACT_ENQUEUE: {
        const struct ofpact_enqueue *e = (const void *)a;
        if (v10) {
            put_hdr(out, 11, 16);
            ofpbuf_put_be16(out, ofp_port_to_of10(e->port));
            ofpbuf_put_zeros(out, 6);
            ofpbuf_put_be32(out, e->queue);
        } else {
            put_u32_action(out, 21, e->queue);
            put_output(out, v, e->port, UINT16_MAX);
        }
        break;
    }
    case OFPACT_SET_QUEUE:
        if (!v10) {
            put_u32_action(out, 21,
                           ((const struct ofpact_queue *)a)->queue_id);
        }
        break;
    case OFPACT_GROUP:
        if (!v10) {
            put_u32_action(out, 22,
                           ((const struct ofpact_group *)a)->group_id);
        }
        break;
    case OFPACT_SET_FIELD:
        encode_set_field((const struct ofpact_set_field *)a, v, out);
        break;
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
    case OFPACT_SET_ETH_SRC:
    case OFPACT_SET_ETH_DST:
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
    case OFPACT_SET_IP_DSCP:
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        if (v < OFP12_VERSION) {
            encode_old_set(a, v, out);
        } else {
            encode_old_set_as_field(a, v, out);
        }
        break;
    case OFPACT_STRIP_VLAN:
        put_hdr(out, v10 ? 3 : 18, 8);
        ofpbuf_put_zeros(out, 4);
        break;
    case OFPACT_PUSH_VLAN:
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
    case OFPACT_SET_IP_TTL:
    case OFPACT_SET_MPLS_TTL:
    case OFPACT_DEC_TTL:
    case OFPACT_DEC_MPLS_TTL:
    case OFPACT_COPY_TTL_OUT:
    case OFPACT_COPY_TTL_IN:
        if (!v10) {
            encode_tag_ttl_action(a, out);
        }
        break;
    case OFPACT_PUSH_PBB:
    case OFPACT_POP_PBB:
        if (v >= OFP13_VERSION) {
            encode_tag_ttl_action(a, out);
        }
        break;
    case OFPACT_REG_LOAD:
        encode_reg_load((const struct ofpact_reg_load *)a, v, out);
        break;
    case OFPACT_REG_MOVE:
        encode_reg_move((const struct ofpact_reg_move *)a, out);
        break;
    case OFPACT_METER:
        if (v >= OFP15_VERSION) {
            put_u32_action(out, 29,
                           ((const struct ofpact_meter *)a)->meter_id);
        }
        break;
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_GOTO_TABLE:
    case OFPACT_N_TYPES:
    default:
        break;
    }
}

static bool
is_instruction(uint16_t type)
{
    return type == OFPACT_CLEAR_ACTIONS || type == OFPACT_WRITE_ACTIONS ||
           type == OFPACT_WRITE_METADATA || type == OFPACT_GOTO_TABLE;
}

void
ofpacts_encode_actions(const struct ofpact *ofpacts, size_t len,
                       enum ofp_version v, struct ofpbuf *out)
{
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (is_instruction(a->type)) {
            break;
        }
        encode_action(a, v, out);
    }
}

static void
encode_nested(uint16_t inst, const struct ofpact *a, size_t len,
              enum ofp_version v, struct ofpbuf *out)
{
    size_t ofs = out->size;
    put_hdr(out, inst, 8);
    ofpbuf_put_zeros(out, 4);
    ofpacts_encode_actions(a, len, v, out);
    fix_len(out, ofs);
}

void
ofpacts_encode_instructions(const struct ofpact *ofpacts, size_t len,
                            enum ofp_version v, struct ofpbuf *out)
{
    const struct ofpact *apply = ofpacts;
    size_t apply_len = 0;

    if (v == OFP10_VERSION) {
        ofpacts_encode_actions(ofpacts, len, v, out);
        return;
    }
    /* The meter instruction (1.3, 1.4) comes first; 1.5 writes it as the
     * first action of apply_actions. */
    if (len && ofpacts->type == OFPACT_METER && v < OFP15_VERSION) {
        if (v >= OFP13_VERSION) {
            put_u32_action(out, OFPIT_METER,
                           ((const struct ofpact_meter *)ofpacts)->meter_id);
        }
        apply = ofpact_next(ofpacts);
    }
    OFPACT_FOR_EACH(a, apply,
                    (const uint8_t *)ofpacts + len - (const uint8_t *)apply)
    {
        if (is_instruction(a->type)) {
            break;
        }
        apply_len = (const uint8_t *)ofpact_next(a) - (const uint8_t *)apply;
    }
    if (apply_len) {
        encode_nested(OFPIT_APPLY_ACTIONS, apply, apply_len, v, out);
    }
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        switch (a->type) {
        case OFPACT_CLEAR_ACTIONS:
            put_hdr(out, OFPIT_CLEAR_ACTIONS, 8);
            ofpbuf_put_zeros(out, 4);
            break;
        case OFPACT_WRITE_ACTIONS: {
            size_t n;
            const struct ofpact *in =
                ofpact_nest_actions((const struct ofpact_nest *)a, &n);
            encode_nested(OFPIT_WRITE_ACTIONS, in, n, v, out);
            break;
        }
        case OFPACT_WRITE_METADATA: {
            const struct ofpact_metadata *md = (const void *)a;
            put_hdr(out, OFPIT_WRITE_METADATA, 24);
            ofpbuf_put_zeros(out, 4);
            ofpbuf_put_be64(out, tern_ntohll(md->metadata));
            ofpbuf_put_be64(out, tern_ntohll(md->mask));
            break;
        }
        case OFPACT_GOTO_TABLE:
            put_u8_action(out, OFPIT_GOTO_TABLE,
                          ((const struct ofpact_goto_table *)a)->table_id);
            break;
        default:
            break;
        }
    }
}
