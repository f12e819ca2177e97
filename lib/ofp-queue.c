/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-queue: queue statistics, queue configuration and queue description
 * messages.  See ofp-queue.h.
 *
 * Wire layouts (all big-endian):
 *  - stats request: 1.0 port(16) pad(2) queue(32); 1.3+ port(32) queue(32);
 *    the 1.4 QUEUE_DESC request is laid out as the 1.3 stats request;
 *  - stats entry: 1.0 port(16) pad(2) queue(32) bytes packets errors
 *    (64 each); 1.3 port(32) queue(32) counters
 *    duration(32+32); 1.4 length(16) pad(6) then the 1.3 entry, then
 *    properties;
 *  - configuration request: 1.0 port(16) pad(2); 1.3 port(32) pad(4);
 *  - configuration reply: port as in the request, padded to 8, then
 *    queues: 1.0 queue(32) len(16) pad(2); 1.3 queue(32) port(32) len(16)
 *    pad(6); each followed by rate properties type(16) len(16) pad(4)
 *    rate(16) pad(6);
 *  - description entry (1.4+): port(32) queue(32) len(16) pad(6), then
 *    rate properties type(16) len(16) rate(16) pad(2).
 */
#include <config.h>

#include "lib/ofp-queue.h"

#include <errno.h>
#include <string.h>

#include "lib/ofp-actions.h"
#include "lib/util.h"

#define QUEUE_PROP_MIN_RATE 1
#define QUEUE_PROP_MAX_RATE 2

/* ---- Requests. ---- */

enum ofperr
ofp_queue_request_decode(const struct ofp_msg *msg,
                         struct ofp_queue_request *rq)
{
    if (msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rq->port = msg->version == OFP10_VERSION
                   ? ofp_port_from_of10(ofp_get_be16(msg->body))
                   : ofp_get_be32(msg->body);
    rq->queue = ofp_get_be32(msg->body + 4);
    return 0;
}

struct ofpbuf *
ofp_queue_request_encode(enum ofptype type, const struct ofp_queue_request *rq,
                         enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 8);

    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(rq->port));
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_be32(b, rq->port);
    }
    ofpbuf_put_be32(b, rq->queue);
    ofp_msg_finish(b);
    return b;
}

/* ---- Statistics. ---- */

#define OFP10_QUEUE_STATS_LEN 32
#define OFP13_QUEUE_STATS_LEN 40
#define OFP14_QUEUE_STATS_HDR 8

int
ofp_queue_stats_decode_next(struct ofp_reader *r, enum ofp_version version,
                            struct ofp_queue_stats *qs)
{
    const uint8_t *p;

    if (!r->size) {
        return EOF;
    }
    memset(qs, 0, sizeof *qs);
    if (version == OFP10_VERSION) {
        p = ofp_reader_pull(r, OFP10_QUEUE_STATS_LEN);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        qs->port = ofp_port_from_of10(ofp_get_be16(p));
        qs->queue = ofp_get_be32(p + 4);
        qs->tx_bytes = ofp_get_be64(p + 8);
        qs->tx_packets = ofp_get_be64(p + 16);
        qs->tx_errors = ofp_get_be64(p + 24);
        qs->duration_sec = qs->duration_nsec = UINT32_MAX;
        return 0;
    }
    if (version >= OFP14_VERSION) {
        size_t len;

        if (r->size < OFP14_QUEUE_STATS_HDR) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        len = ofp_get_be16(r->data);
        if (len < OFP14_QUEUE_STATS_HDR + OFP13_QUEUE_STATS_LEN ||
            len > r->size || len % 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        p = ofp_reader_pull(r, len);
        p += OFP14_QUEUE_STATS_HDR; /* Properties, if any, are skipped. */
    } else {
        p = ofp_reader_pull(r, OFP13_QUEUE_STATS_LEN);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
    }
    qs->port = ofp_get_be32(p);
    qs->queue = ofp_get_be32(p + 4);
    qs->tx_bytes = ofp_get_be64(p + 8);
    qs->tx_packets = ofp_get_be64(p + 16);
    qs->tx_errors = ofp_get_be64(p + 24);
    qs->duration_sec = ofp_get_be32(p + 32);
    qs->duration_nsec = ofp_get_be32(p + 36);
    return 0;
}

void
ofp_queue_stats_append(const struct ofp_queue_stats *qs,
                       struct ofp_mp_reply *mp)
{
    struct ofpbuf b;

    ofpbuf_init(&b, OFP14_QUEUE_STATS_HDR + OFP13_QUEUE_STATS_LEN);
    if (mp->version >= OFP14_VERSION) {
        ofpbuf_put_be16(&b, OFP14_QUEUE_STATS_HDR + OFP13_QUEUE_STATS_LEN);
        ofpbuf_put_zeros(&b, 6);
    }
    if (mp->version == OFP10_VERSION) {
        ofpbuf_put_be16(&b, ofp_port_to_of10(qs->port));
        ofpbuf_put_zeros(&b, 2);
    } else {
        ofpbuf_put_be32(&b, qs->port);
    }
    ofpbuf_put_be32(&b, qs->queue);
    ofpbuf_put_be64(&b, qs->tx_bytes);
    ofpbuf_put_be64(&b, qs->tx_packets);
    ofpbuf_put_be64(&b, qs->tx_errors);
    if (mp->version != OFP10_VERSION) {
        ofpbuf_put_be32(&b, qs->duration_sec);
        ofpbuf_put_be32(&b, qs->duration_nsec);
    }
    ofp_mp_reply_append(mp, b.data, b.size);
    ofpbuf_uninit(&b);
}

/* ---- Configuration request and reply. ---- */

enum ofperr
ofp_queue_get_config_request_decode(const struct ofp_msg *msg, uint32_t *port)
{
    if (msg->type != OFPTYPE_QUEUE_GET_CONFIG_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->version == OFP10_VERSION) {
        if (msg->body_len < 2) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *port = ofp_port_from_of10(ofp_get_be16(msg->body));
    } else {
        if (msg->body_len < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *port = ofp_get_be32(msg->body);
    }
    return 0;
}

struct ofpbuf *
ofp_queue_get_config_request_encode(uint32_t port, enum ofp_version version,
                                    uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, version, xid, 8);

    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(port));
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_be32(b, port);
        ofpbuf_put_zeros(b, 4);
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_queue_get_config_reply_decode(const struct ofp_msg *msg, uint32_t *port,
                                  struct ofp_reader *queues)
{
    if (msg->type != OFPTYPE_QUEUE_GET_CONFIG_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *port = msg->version == OFP10_VERSION
                ? ofp_port_from_of10(ofp_get_be16(msg->body))
                : ofp_get_be32(msg->body);
    ofp_reader_init(queues, msg->body + 8, msg->body_len - 8);
    return 0;
}

/* Reads the rate properties in the 'n' bytes at 'p' into 'qd'. */
static int
decode_rate_props(const uint8_t *p, size_t n, enum ofp_version version,
                  struct ofp_queue_desc *qd)
{
    /* Where the rate sits in a property, and the least property length. */
    size_t rate_ofs = version >= OFP14_VERSION ? 4 : 8;
    size_t min_len = version >= OFP14_VERSION ? 8 : 16;

    qd->min_rate = qd->max_rate = OFPQ_RATE_NONE;
    while (n) {
        size_t len;

        if (n < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        len = ofp_get_be16(p + 2);
        if (len < 4 || len > n) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        switch (ofp_get_be16(p)) {
        case QUEUE_PROP_MIN_RATE:
        case QUEUE_PROP_MAX_RATE:
            if (len < min_len) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            *(ofp_get_be16(p) == QUEUE_PROP_MIN_RATE ? &qd->min_rate
                                                     : &qd->max_rate) =
                ofp_get_be16(p + rate_ofs);
            break;
        default:
            break; /* Experimenter and unknown properties. */
        }
        p += len;
        n -= len;
    }
    return 0;
}

int
ofp_queue_desc_decode_next(struct ofp_reader *r, enum ofp_version version,
                           uint32_t port, struct ofp_queue_desc *qd)
{
    size_t hdr, len;
    const uint8_t *p;

    if (!r->size) {
        return EOF;
    }
    memset(qd, 0, sizeof *qd);
    hdr = version == OFP10_VERSION ? 8 : 16;
    if (r->size < hdr) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    p = r->data;
    if (version == OFP10_VERSION) {
        qd->port = port;
        qd->queue = ofp_get_be32(p);
        len = ofp_get_be16(p + 4);
    } else if (version == OFP13_VERSION) {
        qd->queue = ofp_get_be32(p);
        qd->port = ofp_get_be32(p + 4);
        len = ofp_get_be16(p + 8);
    } else {
        qd->port = ofp_get_be32(p);
        qd->queue = ofp_get_be32(p + 4);
        len = ofp_get_be16(p + 8);
    }
    if (len < hdr || len > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_reader_pull(r, len);
    return decode_rate_props(p + hdr, len - hdr, version, qd);
}

/* Appends the rate properties of 'qd'. */
static void
put_rate_props(struct ofpbuf *b, const struct ofp_queue_desc *qd,
               enum ofp_version version)
{
    const uint16_t rates[2] = {qd->min_rate, qd->max_rate};

    for (int i = 0; i < 2; i++) {
        if (rates[i] == OFPQ_RATE_NONE) {
            continue;
        }
        ofpbuf_put_be16(b, i ? QUEUE_PROP_MAX_RATE : QUEUE_PROP_MIN_RATE);
        if (version >= OFP14_VERSION) {
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be16(b, rates[i]);
            ofpbuf_put_zeros(b, 2);
        } else {
            ofpbuf_put_be16(b, 16);
            ofpbuf_put_zeros(b, 4);
            ofpbuf_put_be16(b, rates[i]);
            ofpbuf_put_zeros(b, 6);
        }
    }
}

/* Sets the 16-bit length at 'ofs' of 'b' to the bytes after it. */
static void
set_len16(struct ofpbuf *b, size_t ofs, size_t start)
{
    uint8_t *p = ofpbuf_at(b, ofs, 2);
    size_t len = b->size - start;

    p[0] = len >> 8;
    p[1] = len & 0xff;
}

struct ofpbuf *
ofp_queue_get_config_reply_encode(uint32_t port,
                                  const struct ofp_queue_desc *qs, size_t n,
                                  enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_QUEUE_GET_CONFIG_REPLY, version, xid, 64);

    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(port));
        ofpbuf_put_zeros(b, 6);
    } else {
        ofpbuf_put_be32(b, port);
        ofpbuf_put_zeros(b, 4);
    }
    for (size_t i = 0; i < n; i++) {
        size_t start = b->size;

        ofpbuf_put_be32(b, qs[i].queue);
        if (version == OFP10_VERSION) {
            ofpbuf_put_be16(b, 0); /* Length, below. */
            ofpbuf_put_zeros(b, 2);
            put_rate_props(b, &qs[i], version);
            set_len16(b, start + 4, start);
        } else {
            ofpbuf_put_be32(b, qs[i].port);
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_zeros(b, 6);
            put_rate_props(b, &qs[i], version);
            set_len16(b, start + 8, start);
        }
    }
    ofp_msg_finish(b);
    return b;
}

void
ofp_queue_desc_append(const struct ofp_queue_desc *qd, struct ofp_mp_reply *mp)
{
    struct ofpbuf b;

    ofpbuf_init(&b, 32);
    ofpbuf_put_be32(&b, qd->port);
    ofpbuf_put_be32(&b, qd->queue);
    ofpbuf_put_be16(&b, 0); /* Length, below. */
    ofpbuf_put_zeros(&b, 6);
    put_rate_props(&b, qd, OFP14_VERSION);
    set_len16(&b, 8, 0);
    ofp_mp_reply_append(mp, b.data, b.size);
    ofpbuf_uninit(&b);
}
