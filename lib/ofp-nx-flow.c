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

/* NXT_PACKET_IN2 and NXT_RESUME. */

enum {
    PIN2_PACKET = 0,
    PIN2_FULL_LEN = 1,
    PIN2_BUFFER_ID = 2,
    PIN2_TABLE_ID = 3,
    PIN2_COOKIE = 4,
    PIN2_REASON = 5,
    PIN2_METADATA = 6,
    PIN2_USERDATA = 7,
    PIN2_CONTINUATION = 8,
};

bool
ofp_nx_packet_in2_has(const struct ofp_nx_packet_in2 *p2, uint8_t type)
{
    return memchr(p2->order, type, p2->n_props) != NULL;
}

/* Reads the value of property 'type' ('len' bytes at 'v'). */
static enum ofperr
pin2_prop(struct ofp_nx_packet_in2 *p2, uint16_t type, const uint8_t *v,
          size_t len)
{
    struct ofp_packet_in *pin = &p2->pin;
    static const uint8_t fixed[] = {
        [PIN2_FULL_LEN] = 4, [PIN2_BUFFER_ID] = 4, [PIN2_TABLE_ID] = 1,
        [PIN2_COOKIE] = 12,  [PIN2_REASON] = 1,
    };

    if (type < ARRAY_SIZE(fixed) && fixed[type] && len != fixed[type]) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    switch (type) {
    case PIN2_PACKET:
        pin->packet = v;
        pin->packet_len = len;
        return 0;
    case PIN2_FULL_LEN:
        pin->total_len = ofp_get_be32(v);
        return 0;
    case PIN2_BUFFER_ID:
        pin->buffer_id = ofp_get_be32(v);
        return 0;
    case PIN2_TABLE_ID:
        pin->table_id = v[0];
        return 0;
    case PIN2_COOKIE:
        pin->cookie = ofp_get_be64(v + 4);
        return 0;
    case PIN2_REASON:
        pin->reason = v[0];
        return 0;
    case PIN2_METADATA:
        p2->raw.data = v;
        p2->raw.len = len;
        return ofp_nxm_decode(v, len, &pin->match);
    case PIN2_USERDATA:
        p2->userdata = v;
        p2->userdata_len = len;
        return 0;
    case PIN2_CONTINUATION:
        p2->continuation = v;
        p2->continuation_len = len;
        return 0;
    default:
        return OFPERR_OFPBPC_BAD_TYPE;
    }
}

enum ofperr
ofp_nx_packet_in2_decode(const struct ofp_msg *msg,
                         struct ofp_nx_packet_in2 *p2)
{
    memset(p2, 0, sizeof *p2);
    match_init_catchall(&p2->pin.match);
    p2->pin.buffer_id = UINT32_MAX;
    p2->pin.cookie = UINT64_MAX;
    if (msg->type != OFPTYPE_NXT_PACKET_IN2 &&
        msg->type != OFPTYPE_NXT_RESUME) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (r.size) {
        const uint8_t *h = ofp_reader_pull(&r, 4);
        if (!h) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(h);
        size_t plen = ofp_get_be16(h + 2);
        if (plen < 4 || ROUND_UP(plen, 8) - 4 > r.size) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *v = ofp_reader_pull(&r, ROUND_UP(plen, 8) - 4);
        if (type < OFP_NX_PIN2_MAX_PROPS && ofp_nx_packet_in2_has(p2, type)) {
            return OFPERR_OFPBPC_DUP_TYPE;
        }
        enum ofperr error = pin2_prop(p2, type, v, plen - 4);
        if (error) {
            return error;
        }
        p2->order[p2->n_props++] = (uint8_t)type;
    }
    if (!ofp_nx_packet_in2_has(p2, PIN2_PACKET)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (!ofp_nx_packet_in2_has(p2, PIN2_FULL_LEN)) {
        p2->pin.total_len = p2->pin.packet_len;
    }
    return 0;
}

/* Appends a property of 'type' with the 'len' bytes at 'v', padded. */
static void
pin2_put(struct ofpbuf *b, uint16_t type, const void *v, size_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, (uint16_t)(4 + len));
    ofpbuf_put(b, v, len);
    ofpbuf_put_zeros(b, ROUND_UP(4 + len, 8) - (4 + len));
}

static void
pin2_put_u32(struct ofpbuf *b, uint16_t type, uint32_t x)
{
    uint8_t v[4] = {x >> 24, x >> 16, x >> 8, x};
    pin2_put(b, type, v, sizeof v);
}

static void
pin2_put_metadata(struct ofpbuf *b, const struct ofp_nx_packet_in2 *p2)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, PIN2_METADATA);
    ofpbuf_put_be16(b, 0);
    size_t len = ofp_nxm_encode_raw(&p2->pin.match, &p2->raw, b);
    ofp_set_be16(b->data + start + 2, (uint16_t)(4 + len));
    ofpbuf_put_zeros(b, ROUND_UP(4 + len, 8) - (4 + len));
}

struct ofpbuf *
ofp_nx_packet_in2_encode(enum ofptype type, const struct ofp_nx_packet_in2 *p2,
                         enum ofp_version version, uint32_t xid)
{
    const struct ofp_packet_in *pin = &p2->pin;
    struct ofpbuf *b =
        ofp_msg_start(type, version, xid, 128 + pin->packet_len);
    if (!b) {
        return NULL;
    }
    for (size_t i = 0; i < p2->n_props; i++) {
        uint8_t v[12] = {0};
        switch (p2->order[i]) {
        case PIN2_PACKET:
            pin2_put(b, PIN2_PACKET, pin->packet, pin->packet_len);
            break;
        case PIN2_FULL_LEN:
            pin2_put_u32(b, PIN2_FULL_LEN, (uint32_t)pin->total_len);
            break;
        case PIN2_BUFFER_ID:
            pin2_put_u32(b, PIN2_BUFFER_ID, pin->buffer_id);
            break;
        case PIN2_TABLE_ID:
            pin2_put(b, PIN2_TABLE_ID, &pin->table_id, 1);
            break;
        case PIN2_COOKIE:
            for (int j = 0; j < 8; j++) {
                v[4 + j] = (uint8_t)(pin->cookie >> (56 - 8 * j));
            }
            pin2_put(b, PIN2_COOKIE, v, 12);
            break;
        case PIN2_REASON:
            pin2_put(b, PIN2_REASON, &pin->reason, 1);
            break;
        case PIN2_METADATA:
            pin2_put_metadata(b, p2);
            break;
        case PIN2_USERDATA:
            pin2_put(b, PIN2_USERDATA, p2->userdata, p2->userdata_len);
            break;
        default:
            pin2_put(b, PIN2_CONTINUATION, p2->continuation,
                     p2->continuation_len);
            break;
        }
    }
    ofp_msg_finish(b);
    return b;
}
