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
    if (inner->type != OFPTYPE_GROUP_MOD && inner->type != OFPTYPE_METER_MOD) {
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

/* The NXM_OF_* fields by number; -1: not an ofp-fields field (4 is
 * VLAN_TCI, 5 IP_TOS). */
static const int nxm_of_fields[] = {
    MFF_IN_PORT, MFF_ETH_DST,  MFF_ETH_SRC,  MFF_ETH_TYPE,    -1,
    -1,          MFF_IP_PROTO, MFF_IPV4_SRC, MFF_IPV4_DST,    MFF_TCP_SRC,
    MFF_TCP_DST, MFF_UDP_SRC,  MFF_UDP_DST,  MFF_ICMPV4_TYPE, MFF_ICMPV4_CODE,
    MFF_ARP_OP,  MFF_ARP_SPA,  MFF_ARP_TPA,
};

static const struct mf_field *
nxm_field(uint16_t class, uint8_t field)
{
    if (class == NXM_CLASS_OF) {
        return (field < ARRAY_SIZE(nxm_of_fields) && nxm_of_fields[field] >= 0
                    ? mf_from_id(nxm_of_fields[field])
                    : NULL);
    }
    return class == NXM_CLASS_NX ? mf_from_oxm(class, field, 0) : NULL;
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
    /* NXM_NX fields ofp-fields knows, by number. */
    for (unsigned int f = 0; f < 128; f++) {
        const struct mf_field *mf = mf_from_oxm(NXM_CLASS_NX, f, 0);
        if (mf) {
            nxm_put_field(match, mf->id, NXM_CLASS_NX, (uint8_t)f, b);
        }
    }
    return b->size - start;
}
