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
