/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-bundle: bodies of BUNDLE_CONTROL and BUNDLE_ADD_MESSAGE (1.4+, and
 * the ONF extension that carries them in 1.3; ofp-msgs frames both).  The
 * message added to a bundle is checked here for length, xid and version
 * against its envelope, and for being a kind a bundle may carry (flow,
 * group and port mods, packet-outs); applying bundles is ofproto's job.
 */
#include <config.h>

#include "lib/ofp-bundle.h"

#include <string.h>

#include "lib/util.h"

static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

enum ofperr
ofp_bundle_ctrl_decode(const struct ofp_msg *msg, struct ofp_bundle_ctrl *bc)
{
    if (msg->type != OFPTYPE_BUNDLE_CONTROL || msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    bc->bundle_id = get32(msg->body);
    bc->type = get16(msg->body + 4);
    bc->flags = get16(msg->body + 6);
    if (bc->type > OFPBCT_DISCARD_REPLY) {
        return OFPERR_OFPBFC_BAD_TYPE;
    }
    if (bc->flags & ~(OFPBF_ATOMIC | OFPBF_ORDERED)) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    return 0;
}

struct ofpbuf *
ofp_bundle_ctrl_encode(const struct ofp_bundle_ctrl *bc,
                       enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_BUNDLE_CONTROL, version, xid, 8);

    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, bc->bundle_id);
    ofpbuf_put_be16(b, bc->type);
    ofpbuf_put_be16(b, bc->flags);
    ofp_msg_finish(b);
    return b;
}

/* Whether a message of kind 'type' may be added to a bundle. */
static bool
bundlable(enum ofptype type)
{
    return (type == OFPTYPE_FLOW_MOD || type == OFPTYPE_GROUP_MOD ||
            type == OFPTYPE_PORT_MOD || type == OFPTYPE_PACKET_OUT);
}

enum ofperr
ofp_bundle_add_decode(const struct ofp_msg *msg, struct ofp_bundle_add *ba)
{
    const uint8_t *inner;
    size_t room;
    uint16_t len;
    struct ofp_msg im;
    enum ofperr error;

    memset(ba, 0, sizeof *ba);
    if (msg->type != OFPTYPE_BUNDLE_ADD_MESSAGE || msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ba->bundle_id = get32(msg->body);
    ba->flags = get16(msg->body + 6);
    inner = msg->body + 8;
    room = msg->body_len - 8;
    if (room < sizeof(struct ofp_header)) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    len = get16(inner + 2);
    if (len < sizeof(struct ofp_header) || len > room) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    if (get32(inner + 4) != msg->xid) {
        return OFPERR_OFPBFC_MSG_BAD_XID;
    }
    if (inner[0] != msg->version) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    error = ofp_msg_decode(inner, len, &im);
    if (error) {
        return error == OFPERR_OFPBRC_BAD_LEN ? OFPERR_OFPBFC_MSG_BAD_LEN
                                              : error;
    }
    if (!bundlable(im.type)) {
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
    ba->msg = (const struct ofp_header *)(const void *)inner;
    ba->msg_len = len;
    return 0;
}

struct ofpbuf *
ofp_bundle_add_encode(const struct ofp_bundle_add *ba,
                      enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_BUNDLE_ADD_MESSAGE, version, xid,
                                     8 + ba->msg_len);

    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, ba->bundle_id);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be16(b, ba->flags);
    if (ba->msg_len) {
        ofpbuf_put(b, ba->msg, ba->msg_len);
    }
    ofp_msg_finish(b);
    return b;
}
