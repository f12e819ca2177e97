/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-nx-flow: the Open vSwitch (Nicira) flow messages that carry an NXM
 * match — NXT_FLOW_REMOVED and NXT_PACKET_IN — decoded into the same
 * structures as their OpenFlow counterparts (ofp-flow.h, ofp-packet.h)
 * and encoded again byte for byte.  Tern sends the standard messages; it
 * decodes these for tern-ofctl's printing and for captures.  See ofp-nx.h
 * for the layouts.
 */
#include <config.h>

#include "lib/ofp-nx.h"

#include <string.h>

#include "lib/ofp-fields.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-packet.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"

/* Two matches are the same if flow and mask are. */
static bool
match_same(const struct match *a, const struct match *b)
{
    return (!memcmp(&a->flow, &b->flow, sizeof a->flow) &&
            !memcmp(&a->wc, &b->wc, sizeof a->wc));
}

size_t
ofp_nxm_encode_raw(const struct match *match, const struct ofp_nxm_raw *raw,
                   struct ofpbuf *b)
{
    struct match dec;
    if (raw && raw->len && !ofp_nxm_decode(raw->data, raw->len, &dec) &&
        match_same(&dec, match)) {
        ofpbuf_put(b, raw->data, raw->len);
        return raw->len;
    }
    return ofp_nxm_encode(match, b);
}

/* Pulls an NXM match of 'len' bytes and its padding to 8 from 'r' into
 * 'match' and 'raw'. */
static enum ofperr
nxm_pull(struct ofp_reader *r, size_t len, struct match *match,
         struct ofp_nxm_raw *raw)
{
    if (ROUND_UP(len, 8) > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *m = ofp_reader_pull(r, ROUND_UP(len, 8));
    raw->data = m;
    raw->len = len;
    return ofp_nxm_decode(m, len, match);
}

/* Appends a match and its padding; returns its unpadded length. */
static size_t
nxm_put(const struct match *match, const struct ofp_nxm_raw *raw,
        struct ofpbuf *b)
{
    size_t len = ofp_nxm_encode_raw(match, raw, b);
    ofpbuf_put_zeros(b, ROUND_UP(len, 8) - len);
    return len;
}

/* NXT_FLOW_REMOVED. */

#define NX_FLOW_REMOVED_FIXED 40

enum ofperr
ofp_nx_flow_removed_decode(const struct ofp_msg *msg,
                           struct ofp_flow_removed *fr,
                           struct ofp_nxm_raw *raw)
{
    memset(fr, 0, sizeof *fr);
    memset(raw, 0, sizeof *raw);
    if (msg->type != OFPTYPE_NXT_FLOW_REMOVED) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, NX_FLOW_REMOVED_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fr->cookie = ofp_get_be64(p);
    fr->priority = ofp_get_be16(p + 8);
    fr->reason = p[10];
    /* Table id + 1; 0 means unknown, shown as table 0. */
    fr->table_id = p[11] ? p[11] - 1 : 0;
    fr->duration_sec = ofp_get_be32(p + 12);
    fr->duration_nsec = ofp_get_be32(p + 16);
    fr->idle_timeout = ofp_get_be16(p + 20);
    size_t match_len = ofp_get_be16(p + 22);
    fr->packet_count = ofp_get_be64(p + 24);
    fr->byte_count = ofp_get_be64(p + 32);
    enum ofperr error = nxm_pull(&r, match_len, &fr->match, raw);
    if (!error && r.size) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

struct ofpbuf *
ofp_nx_flow_removed_encode(const struct ofp_flow_removed *fr,
                           const struct ofp_nxm_raw *raw,
                           enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_NXT_FLOW_REMOVED, version, xid, 128);
    if (!b) {
        return NULL;
    }
    size_t start = b->size;
    ofpbuf_put_be64(b, fr->cookie);
    ofpbuf_put_be16(b, (uint16_t)fr->priority);
    uint8_t *p = ofpbuf_put_zeros(b, 2);
    p[0] = fr->reason;
    p[1] = (uint8_t)(fr->table_id + 1);
    ofpbuf_put_be32(b, fr->duration_sec);
    ofpbuf_put_be32(b, fr->duration_nsec);
    ofpbuf_put_be16(b, fr->idle_timeout);
    ofpbuf_put_be16(b, 0); /* match_len, set below. */
    ofpbuf_put_be64(b, fr->packet_count);
    ofpbuf_put_be64(b, fr->byte_count);
    size_t len = nxm_put(&fr->match, raw, b);
    ofp_set_be16(b->data + start + 22, (uint16_t)len);
    ofp_msg_finish(b);
    return b;
}

/* NXT_PACKET_IN. */

#define NX_PACKET_IN_FIXED 24

enum ofperr
ofp_nx_packet_in_decode(const struct ofp_msg *msg, struct ofp_packet_in *pin,
                        struct ofp_nxm_raw *raw)
{
    memset(pin, 0, sizeof *pin);
    memset(raw, 0, sizeof *raw);
    if (msg->type != OFPTYPE_NXT_PACKET_IN) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, NX_PACKET_IN_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->buffer_id = ofp_get_be32(p);
    pin->total_len = ofp_get_be16(p + 4);
    pin->reason = p[6];
    pin->table_id = p[7];
    pin->cookie = ofp_get_be64(p + 8);
    size_t match_len = ofp_get_be16(p + 16);
    enum ofperr error = nxm_pull(&r, match_len, &pin->match, raw);
    if (error) {
        return error;
    }
    if (!ofp_reader_pull(&r, 2)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->packet = r.data;
    pin->packet_len = r.size;
    return 0;
}

struct ofpbuf *
ofp_nx_packet_in_encode(const struct ofp_packet_in *pin,
                        const struct ofp_nxm_raw *raw,
                        enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_NXT_PACKET_IN, version, xid,
                                     128 + pin->packet_len);
    if (!b) {
        return NULL;
    }
    size_t start = b->size;
    ofpbuf_put_be32(b, pin->buffer_id);
    ofpbuf_put_be16(b, (uint16_t)pin->total_len);
    uint8_t *p = ofpbuf_put_zeros(b, 2);
    p[0] = pin->reason;
    p[1] = pin->table_id;
    ofpbuf_put_be64(b, pin->cookie);
    ofpbuf_put_zeros(b, 8); /* match_len, pad. */
    size_t len = nxm_put(&pin->match, raw, b);
    ofp_set_be16(b->data + start + 16, (uint16_t)len);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put(b, pin->packet, pin->packet_len);
    ofp_msg_finish(b);
    return b;
}
