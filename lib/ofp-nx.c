/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-nx: request forwarding and the Nicira one-value messages.  See
 * ofp-nx.h.
 *
 * Bodies after the experimenter header (big-endian):
 *  - SET_FLOW_FORMAT, SET_PACKET_IN_FORMAT, FLOW_MONITOR_CANCEL: value(32);
 *  - FLOW_MOD_TABLE_ID: set(8) pad(7);
 *  - SET_CONTROLLER_ID: pad(6) id(16);
 *  - CT_FLUSH_ZONE: pad(6) zone(16);
 *  - REQUESTFORWARD: the whole forwarded message.
 */
#include <config.h>

#include "lib/ofp-nx.h"

#include <string.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-fields.h"
#include "lib/ofpbuf.h"

#include "lib/util.h"

enum ofperr
ofp_requestforward_decode(const struct ofp_msg *msg, struct ofp_msg *inner)
{
    enum ofperr error;

    if (msg->type != OFPTYPE_REQUESTFORWARD &&
        msg->type != OFPTYPE_NXT_REQUESTFORWARD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len < sizeof(struct ofp_header)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    error = ofp_msg_decode(msg->body, msg->body_len, inner);
    if (error) {
        return error;
    }
    if (inner->version != msg->version) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (inner->type != OFPTYPE_GROUP_MOD && inner->type != OFPTYPE_METER_MOD &&
        inner->type != OFPTYPE_NXT_GROUP_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    return 0;
}

struct ofpbuf *
ofp_requestforward_encode(enum ofptype type, const void *inner, size_t len,
                          enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, len);

    if (b) {
        ofpbuf_put(b, inner, len);
        ofp_msg_finish(b);
    }
    return b;
}

/* Where the value sits in the body of 'type', and how wide it is (0 for
 * kinds that are not one-value messages). */
static size_t
value_layout(enum ofptype type, size_t *width)
{
    switch (type) {
    case OFPTYPE_NXT_SET_FLOW_FORMAT:
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT:
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL:
        *width = 4;
        return 0;
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID:
        *width = 1;
        return 0;
    case OFPTYPE_NXT_SET_CONTROLLER_ID:
    case OFPTYPE_NXT_CT_FLUSH_ZONE:
        *width = 2;
        return 6;
    default:
        *width = 0;
        return 0;
    }
}

/* Body length of each kind: the value and its padding. */
static size_t
body_len(enum ofptype type)
{
    size_t width;
    size_t ofs = value_layout(type, &width);

    return type == OFPTYPE_NXT_FLOW_MOD_TABLE_ID ? 8 : ofs + width;
}

enum ofperr
ofp_nx_value_decode(const struct ofp_msg *msg, uint32_t *value)
{
    size_t width;
    size_t ofs = value_layout(msg->type, &width);

    if (!width) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len < body_len(msg->type)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *value = 0;
    for (size_t i = 0; i < width; i++) {
        *value = *value << 8 | msg->body[ofs + i];
    }
    return 0;
}

struct ofpbuf *
ofp_nx_value_encode(enum ofptype type, uint32_t value,
                    enum ofp_version version, uint32_t xid)
{
    size_t width;
    size_t ofs = value_layout(type, &width);
    size_t len = body_len(type);
    struct ofpbuf *b;
    uint8_t *p;

    if (!width) {
        return NULL;
    }
    b = ofp_msg_start(type, version, xid, len);
    if (!b) {
        return NULL;
    }
    p = ofpbuf_put_zeros(b, len);
    for (size_t i = 0; i < width; i++) {
        p[ofs + i] = value >> (8 * (width - 1 - i));
    }
    ofp_msg_finish(b);
    return b;
}

/* NXM. */

#define NXM_CLASS_OF   0x0000
#define NXM_CLASS_NX   0x0001
#define NXM_OF_IN_PORT 0

/* The NXM_OF_* fields by number. */
static const int nxm_of_fields[] = {
    MFF_IN_PORT, MFF_ETH_DST,  MFF_ETH_SRC,  MFF_ETH_TYPE,    MFF_VLAN_TCI,
    MFF_NW_TOS,  MFF_IP_PROTO, MFF_IPV4_SRC, MFF_IPV4_DST,    MFF_TCP_SRC,
    MFF_TCP_DST, MFF_UDP_SRC,  MFF_UDP_DST,  MFF_ICMPV4_TYPE, MFF_ICMPV4_CODE,
    MFF_ARP_OP,  MFF_ARP_SPA,  MFF_ARP_TPA,
};

/* NXM_NX_* numbers of fields that ofp-fields knows by their OXM identity
 * (Open vSwitch's NXM names for them). */
static const struct {
    uint8_t field;
    enum mf_field_id id;
    const char *name;
} nxm_nx_aliases[] = {
    {17, MFF_ARP_SHA, "NXM_NX_ARP_SHA"},
    {18, MFF_ARP_THA, "NXM_NX_ARP_THA"},
    {19, MFF_IPV6_SRC, "NXM_NX_IPV6_SRC"},
    {20, MFF_IPV6_DST, "NXM_NX_IPV6_DST"},
    {21, MFF_ICMPV6_TYPE, "NXM_NX_ICMPV6_TYPE"},
    {22, MFF_ICMPV6_CODE, "NXM_NX_ICMPV6_CODE"},
    {23, MFF_ND_TARGET, "NXM_NX_ND_TARGET"},
    {24, MFF_ND_SLL, "NXM_NX_ND_SLL"},
    {25, MFF_ND_TLL, "NXM_NX_ND_TLL"},
    {27, MFF_IPV6_LABEL, "NXM_NX_IPV6_LABEL"},
    {28, MFF_IP_ECN, "NXM_NX_IP_ECN"},
};

static const struct mf_field *
nxm_field(uint16_t class, uint8_t field)
{
    if (class == NXM_CLASS_OF) {
        return (field < ARRAY_SIZE(nxm_of_fields) && nxm_of_fields[field] >= 0
                    ? mf_from_id(nxm_of_fields[field])
                    : NULL);
    }
    if (class == NXM_CLASS_NX) {
        for (size_t i = 0; i < ARRAY_SIZE(nxm_nx_aliases); i++) {
            if (nxm_nx_aliases[i].field == field) {
                return mf_from_id(nxm_nx_aliases[i].id);
            }
        }
    }
    /* Open vSwitch also accepts OXM basic fields (metadata) in NXM. */
    return (class == NXM_CLASS_NX || class == 0x8000
                ? mf_from_oxm(class, field, 0)
                : NULL);
}

/* The names of the NXM_OF_* fields by number, as nxm_of_fields. */
static const char *const nxm_of_names[] = {
    "NXM_OF_IN_PORT",  "NXM_OF_ETH_DST",   "NXM_OF_ETH_SRC",
    "NXM_OF_ETH_TYPE", "NXM_OF_VLAN_TCI",  "NXM_OF_IP_TOS",
    "NXM_OF_IP_PROTO", "NXM_OF_IP_SRC",    "NXM_OF_IP_DST",
    "NXM_OF_TCP_SRC",  "NXM_OF_TCP_DST",   "NXM_OF_UDP_SRC",
    "NXM_OF_UDP_DST",  "NXM_OF_ICMP_TYPE", "NXM_OF_ICMP_CODE",
    "NXM_OF_ARP_OP",   "NXM_OF_ARP_SPA",   "NXM_OF_ARP_TPA",
};
BUILD_ASSERT(ARRAY_SIZE(nxm_of_names) == ARRAY_SIZE(nxm_of_fields));

const struct mf_field *
ofp_nxm_header_field(uint32_t header)
{
    return nxm_field(header >> 16, (header >> 9) & 0x7f);
}

unsigned
ofp_nxm_header_width(uint32_t header)
{
    const struct mf_field *mf = ofp_nxm_header_field(header);

    if (!mf) {
        return 0;
    }
    return header >> 9 == 0 ? 16 : mf->n_bits;
}

const char *
ofp_nxm_header_name(uint32_t header)
{
    uint16_t class = header >> 16;
    uint8_t field = (header >> 9) & 0x7f;
    const struct mf_field *mf = nxm_field(class, field);

    if (!mf) {
        return NULL;
    }
    /* Open vSwitch prints a field's NXM name whatever header it came
     * with. */
    if (class == NXM_CLASS_OF) {
        return nxm_of_names[field];
    }
    for (size_t i = 1; i < ARRAY_SIZE(nxm_of_fields); i++) {
        if (nxm_of_fields[i] == (int)mf->id) {
            return nxm_of_names[i];
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(nxm_nx_aliases); i++) {
        if (nxm_nx_aliases[i].id == mf->id) {
            return nxm_nx_aliases[i].name;
        }
    }
    return mf->oxm_name;
}

/* The header of 'mf' under 'class' with its own width. */
static uint32_t
nxm_header(uint16_t class, uint8_t field, const struct mf_field *mf)
{
    bool port16 = class == NXM_CLASS_OF && field == NXM_OF_IN_PORT;
    return ((uint32_t) class << 16) | ((uint32_t)field << 9) |
           (port16 ? 2u : mf->n_bytes);
}

bool
ofp_nxm_header_from_name(const char *name, size_t len, uint32_t *header)
{
    for (size_t i = 0; i < ARRAY_SIZE(nxm_of_names); i++) {
        if (strlen(nxm_of_names[i]) == len &&
            !memcmp(name, nxm_of_names[i], len)) {
            *header = nxm_header(NXM_CLASS_OF, i, nxm_field(NXM_CLASS_OF, i));
            return true;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(nxm_nx_aliases); i++) {
        if (strlen(nxm_nx_aliases[i].name) == len &&
            !memcmp(name, nxm_nx_aliases[i].name, len)) {
            *header = nxm_header(NXM_CLASS_NX, nxm_nx_aliases[i].field,
                                 mf_from_id(nxm_nx_aliases[i].id));
            return true;
        }
    }
    for (int id = 0; id < MFF_N_IDS; id++) {
        const struct mf_field *mf = mf_from_id(id);
        if (mf && mf->oxm_name && strlen(mf->oxm_name) == len &&
            !memcmp(name, mf->oxm_name, len) &&
            (mf->oxm_class == NXM_CLASS_NX || mf->oxm_class == 0x8000)) {
            *header = nxm_header(mf->oxm_class, mf->oxm_field, mf);
            return true;
        }
    }
    return false;
}

enum ofperr
ofp_nxm_decode(const void *nxm, size_t len, struct match *match)
{
    struct ofp_reader r;

    match_init_catchall(match);
    ofp_reader_init(&r, nxm, len);
    while (r.size) {
        const uint8_t *h = ofp_reader_pull(&r, 4);
        if (!h) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        uint16_t class = ofp_get_be16(h);
        uint8_t field = h[2] >> 1;
        bool hm = h[2] & 1;
        size_t plen = h[3];
        const uint8_t *payload = ofp_reader_pull(&r, plen);
        if (!payload) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        const struct mf_field *mf = nxm_field(class, field);
        if (!mf) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        bool port16 = class == NXM_CLASS_OF && field == NXM_OF_IN_PORT;
        size_t width = port16 ? 2 : mf->n_bytes;
        if (plen != (hm ? 2 * width : width)) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        union mf_value value, mask;
        memset(&value, 0, sizeof value);
        memset(&mask, 0, sizeof mask);
        if (port16) {
            if (hm) {
                return OFPERR_OFPBMC_BAD_MASK;
            }
            value.be32 = htonl(ofp_port_from_of10(ofp_get_be16(payload)));
        } else {
            memcpy(&value, payload, width);
            if (hm) {
                memcpy(&mask, payload + width, width);
            }
        }
        if (mf_is_matched(mf, match)) {
            return OFPERR_OFPBMC_DUP_FIELD;
        }
        enum ofperr error = mf_set_match(mf, &value, hm ? &mask : NULL, match);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Appends the TLV of 'mf' if 'match' matches it. */
static void
nxm_put_field(const struct match *match, enum mf_field_id id, uint16_t class,
              uint8_t field, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value value, mask;

    /* Fields sharing storage (tcp/udp ports, ARP op and IP protocol)
     * are told apart by their prerequisites. */
    if (!mf || !mf_is_matched(mf, match) || !mf_prereqs_ok(mf, match)) {
        return;
    }
    mf_get_value(mf, &match->flow, &value);
    mf_get_mask(mf, &match->wc, &mask);
    bool port16 = class == NXM_CLASS_OF && field == NXM_OF_IN_PORT;
    bool hm = !port16 && !mf_is_mask_exact(mf, &mask);
    size_t width = port16 ? 2 : mf->n_bytes;
    uint8_t *h = ofpbuf_put_zeros(b, 4);

    ofp_set_be16(h, class);
    h[2] = (uint8_t)(field << 1 | hm);
    h[3] = (uint8_t)(hm ? 2 * width : width);
    if (port16) {
        ofpbuf_put_be16(b, ofp_port_to_of10(ntohl(value.be32)));
        return;
    }
    ofpbuf_put(b, &value, width);
    if (hm) {
        ofpbuf_put(b, &mask, width);
    }
}

size_t
ofp_nxm_encode(const struct match *match, struct ofpbuf *b)
{
    /* Open vSwitch's order: port, Ethernet, then L3 addresses before the
     * protocol, then L4; ARP after the Ethernet type. */
    static const struct {
        enum mf_field_id id;
        uint16_t class;
        uint8_t field;
    } order[] = {
        {MFF_IN_PORT, NXM_CLASS_OF, 0},
        {MFF_ETH_DST, NXM_CLASS_OF, 1},
        {MFF_ETH_SRC, NXM_CLASS_OF, 2},
        {MFF_ETH_TYPE, NXM_CLASS_OF, 3},
        {MFF_VLAN_TCI, NXM_CLASS_OF, 4},
        {MFF_NW_TOS, NXM_CLASS_OF, 5},
        {MFF_IPV4_SRC, NXM_CLASS_OF, 7},
        {MFF_IPV4_DST, NXM_CLASS_OF, 8},
        {MFF_IP_PROTO, NXM_CLASS_OF, 6},
        {MFF_TCP_SRC, NXM_CLASS_OF, 9},
        {MFF_TCP_DST, NXM_CLASS_OF, 10},
        {MFF_UDP_SRC, NXM_CLASS_OF, 11},
        {MFF_UDP_DST, NXM_CLASS_OF, 12},
        {MFF_ICMPV4_TYPE, NXM_CLASS_OF, 13},
        {MFF_ICMPV4_CODE, NXM_CLASS_OF, 14},
        {MFF_ARP_OP, NXM_CLASS_OF, 15},
        {MFF_ARP_SPA, NXM_CLASS_OF, 16},
        {MFF_ARP_TPA, NXM_CLASS_OF, 17},
    };
    size_t start = b->size;

    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        nxm_put_field(match, order[i].id, order[i].class, order[i].field, b);
    }
    /* NXM_NX fields ofp-fields knows: the tunnel id, then by number. */
    nxm_put_field(match, MFF_TUN_ID, NXM_CLASS_NX, 16, b);
    for (unsigned int f = 0; f < 128; f++) {
        const struct mf_field *mf = mf_from_oxm(NXM_CLASS_NX, f, 0);
        if (mf && mf->id != MFF_TUN_ID) {
            nxm_put_field(match, mf->id, NXM_CLASS_NX, (uint8_t)f, b);
        }
    }
    return b->size - start;
}

/* NXT_CT_FLUSH. */

enum {
    CT_PROP_ORIG = 0,
    CT_PROP_REPLY = 1,
    CT_PROP_ZONE = 2,
    CT_TUPLE_SRC = 0,
    CT_TUPLE_DST = 1,
    CT_TUPLE_SRC_PORT = 2,
    CT_TUPLE_DST_PORT = 3,
    CT_TUPLE_ICMP_ID = 4,
    CT_TUPLE_ICMP_TYPE = 5,
    CT_TUPLE_ICMP_CODE = 6,
};

/* The value length of each tuple property (after the 4-byte header). */
static const uint8_t ct_tuple_value_len[OFP_CT_TUPLE_N_PROPS] = {
    16, 16, 2, 2, 2, 1, 1,
};

/* Pulls one property header and value from 'r' (with its padding to 8
 * bytes, which may be missing at the very end).  Returns 0 or an error;
 * '*type', '*value', '*len' describe the value. */
static enum ofperr
ct_prop_pull(struct ofp_reader *r, uint16_t *type, const uint8_t **value,
             size_t *len)
{
    const uint8_t *p = ofp_reader_pull(r, 4);
    if (!p) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    size_t plen = ofp_get_be16(p + 2);
    if (plen < 4 || plen - 4 > r->size) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *type = ofp_get_be16(p);
    *len = plen - 4;
    *value = ofp_reader_pull(r, *len);
    size_t pad = ROUND_UP(plen, 8) - plen;
    ofp_reader_pull(r, MIN(pad, r->size));
    return 0;
}

static enum ofperr
ct_tuple_decode(const uint8_t *data, size_t len, struct ofp_ct_tuple *t)
{
    struct ofp_reader r;
    ofp_reader_init(&r, data, len);
    while (r.size) {
        uint16_t type;
        const uint8_t *v;
        size_t vlen;
        enum ofperr error = ct_prop_pull(&r, &type, &v, &vlen);
        if (error) {
            return error;
        }
        if (type >= OFP_CT_TUPLE_N_PROPS) {
            return OFPERR_OFPBPC_BAD_TYPE;
        }
        if (vlen != ct_tuple_value_len[type] &&
            !(ct_tuple_value_len[type] == 2 && vlen == 4)) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        for (size_t i = 0; i < t->n_props; i++) {
            if (t->order[i] == type) {
                return OFPERR_OFPBPC_DUP_TYPE;
            }
        }
        t->order[t->n_props++] = type;
        switch (type) {
        case CT_TUPLE_SRC:
            memcpy(&t->src, v, 16);
            break;
        case CT_TUPLE_DST:
            memcpy(&t->dst, v, 16);
            break;
        case CT_TUPLE_SRC_PORT:
            t->src_port = ofp_get_be16(v);
            break;
        case CT_TUPLE_DST_PORT:
            t->dst_port = ofp_get_be16(v);
            break;
        case CT_TUPLE_ICMP_ID:
            t->icmp_id = ofp_get_be16(v);
            break;
        case CT_TUPLE_ICMP_TYPE:
            t->icmp_type = v[0];
            break;
        default:
            t->icmp_code = v[0];
            break;
        }
    }
    return 0;
}

/* Address family of 'a': 4 (IPv4-mapped), 6, or 0 (all zero). */
static int
ct_addr_family(const struct in6_addr *a)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
                                       0, 0, 0, 0, 0xff, 0xff};
    static const struct in6_addr zero;
    if (!memcmp(a, &zero, sizeof zero)) {
        return 0;
    }
    return memcmp(a, mapped, sizeof mapped) ? 6 : 4;
}

/* The family of all addresses of 'f', or -1 if they are mixed. */
static int
ct_flush_family(const struct ofp_ct_flush *f)
{
    const struct in6_addr *addrs[] = {&f->orig.src, &f->orig.dst,
                                      &f->reply.src, &f->reply.dst};
    int family = 0;
    for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
        int fam = ct_addr_family(addrs[i]);
        if (fam && family && fam != family) {
            return -1;
        }
        family = fam ? fam : family;
    }
    return family;
}

bool
ofp_ct_flush_is_ipv4(const struct ofp_ct_flush *f)
{
    return ct_flush_family(f) == 4;
}

static enum ofperr
ct_flush_prop(struct ofp_ct_flush *f, uint16_t type, const uint8_t *v,
              size_t vlen)
{
    for (size_t i = 0; i < f->n_props; i++) {
        if (f->order[i] == type) {
            return OFPERR_OFPBPC_DUP_TYPE;
        }
    }
    if (type == CT_PROP_ZONE) {
        if (vlen != 2 && vlen != 4) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        f->zone = ofp_get_be16(v);
    } else if (type == CT_PROP_ORIG || type == CT_PROP_REPLY) {
        /* Nested properties start after 4 bytes of padding. */
        if (vlen < 4) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        enum ofperr error = ct_tuple_decode(
            v + 4, vlen - 4, type == CT_PROP_ORIG ? &f->orig : &f->reply);
        if (error) {
            return error;
        }
    } else {
        return OFPERR_OFPBPC_BAD_TYPE;
    }
    f->order[f->n_props++] = type;
    return 0;
}

enum ofperr
ofp_ct_flush_decode(const struct ofp_msg *msg, struct ofp_ct_flush *f)
{
    memset(f, 0, sizeof *f);
    if (msg->type != OFPTYPE_NXT_CT_FLUSH) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    f->ip_proto = p[0];
    while (r.size) {
        uint16_t type;
        const uint8_t *v;
        size_t vlen;
        enum ofperr error = ct_prop_pull(&r, &type, &v, &vlen);
        if (!error) {
            error = ct_flush_prop(f, type, v, vlen);
        }
        if (error) {
            return error;
        }
    }
    return ct_flush_family(f) < 0 ? OFPERR_OFPBPC_BAD_VALUE : 0;
}

/* Appends a property of 'type' with 'len' value bytes at 'v', padded. */
static void
ct_prop_put(struct ofpbuf *b, uint16_t type, const void *v, size_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, (uint16_t)(4 + len));
    ofpbuf_put(b, v, len);
    ofpbuf_put_zeros(b, ROUND_UP(4 + len, 8) - (4 + len));
}

static void
ct_prop_put_be16(struct ofpbuf *b, uint16_t type, uint16_t value)
{
    uint8_t v[4] = {value >> 8, value & 0xff, 0, 0};
    ct_prop_put(b, type, v, sizeof v);
}

static void
ct_tuple_encode(const struct ofp_ct_tuple *t, uint16_t type, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_zeros(b, 6);
    for (size_t i = 0; i < t->n_props; i++) {
        uint8_t pt = t->order[i];
        switch (pt) {
        case CT_TUPLE_SRC:
            ct_prop_put(b, pt, &t->src, 16);
            break;
        case CT_TUPLE_DST:
            ct_prop_put(b, pt, &t->dst, 16);
            break;
        case CT_TUPLE_SRC_PORT:
            ct_prop_put_be16(b, pt, t->src_port);
            break;
        case CT_TUPLE_DST_PORT:
            ct_prop_put_be16(b, pt, t->dst_port);
            break;
        case CT_TUPLE_ICMP_ID:
            ct_prop_put_be16(b, pt, t->icmp_id);
            break;
        case CT_TUPLE_ICMP_TYPE:
            ct_prop_put(b, pt, &t->icmp_type, 1);
            break;
        default:
            ct_prop_put(b, pt, &t->icmp_code, 1);
            break;
        }
    }
    ofp_set_be16((uint8_t *)b->data + start + 2, (uint16_t)(b->size - start));
}

struct ofpbuf *
ofp_ct_flush_encode(const struct ofp_ct_flush *f, enum ofp_version version,
                    uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_NXT_CT_FLUSH, version, xid, 128);
    if (!b) {
        return NULL;
    }
    uint8_t *p = ofpbuf_put_zeros(b, 8);
    p[0] = f->ip_proto;
    for (size_t i = 0; i < f->n_props; i++) {
        switch (f->order[i]) {
        case CT_PROP_ZONE:
            ct_prop_put_be16(b, CT_PROP_ZONE, f->zone);
            break;
        case CT_PROP_ORIG:
            ct_tuple_encode(&f->orig, CT_PROP_ORIG, b);
            break;
        default:
            ct_tuple_encode(&f->reply, CT_PROP_REPLY, b);
            break;
        }
    }
    ofp_msg_finish(b);
    return b;
}

/* NXST_IPFIX_BRIDGE and NXST_IPFIX_FLOW replies: ten 64-bit counters, then
 * collector_set_id(32) pad(32). */

#define IPFIX_ENTRY_LEN 88

/* Stores 'x' big-endian in the 'n' bytes at 'p'. */
static void
put_be(uint8_t *p, size_t n, uint64_t x)
{
    for (size_t i = 0; i < n; i++) {
        p[n - 1 - i] = x >> (8 * i);
    }
}

int
ofp_ipfix_stats_decode_next(struct ofp_reader *r, struct ofp_ipfix_stats *st)
{
    if (!r->size) {
        return EOF;
    }
    const uint8_t *p = ofp_reader_pull(r, IPFIX_ENTRY_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint64_t *c[] = {
        &st->total_flows,     &st->current_flows,   &st->pkts,
        &st->ipv4_pkts,       &st->ipv6_pkts,       &st->error_pkts,
        &st->ipv4_error_pkts, &st->ipv6_error_pkts, &st->tx_pkts,
        &st->tx_errors};
    for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
        *c[i] = ofp_get_be64(p + 8 * i);
    }
    st->collector_set_id = ofp_get_be32(p + 80);
    return 0;
}

void
ofp_ipfix_stats_append(const struct ofp_ipfix_stats *st,
                       struct ofp_mp_reply *mp)
{
    uint8_t e[IPFIX_ENTRY_LEN];
    const uint64_t c[] = {
        st->total_flows,     st->current_flows,   st->pkts,
        st->ipv4_pkts,       st->ipv6_pkts,       st->error_pkts,
        st->ipv4_error_pkts, st->ipv6_error_pkts, st->tx_pkts,
        st->tx_errors};
    memset(e, 0, sizeof e);
    for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
        put_be(e + 8 * i, 8, c[i]);
    }
    put_be(e + 80, 4, st->collector_set_id);
    ofp_mp_reply_append(mp, e, sizeof e);
}
