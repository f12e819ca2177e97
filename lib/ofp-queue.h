/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-queue: the OpenFlow queue messages — queue statistics entries (1.0,
 * 1.3, 1.4+), the queue configuration request and reply (1.0 and 1.3) and
 * the queue description request and reply (1.4+).  Tern has no queues of
 * its own; these codecs exist so that the messages decode, re-encode and
 * print (a switch answers them with no entries).
 *
 * Decoders read caller-owned message bytes with bounds checks and return
 * 0 or a positive 'enum ofperr'; the *_decode_next() walkers return EOF at
 * the end of the body.  Encoders return a new message (caller frees) or
 * append to a multipart reply.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_QUEUE_H
#define TERN_OFP_QUEUE_H 1

#include "lib/ofp-msgs.h"

#define OFPQ_ALL 0xffffffffu /* Every queue. */

/* A queue rate property is absent when it is this. */
#define OFPQ_RATE_NONE 0xffffu

/* QUEUE_STATS and QUEUE_DESC requests: a port (OFPP_ANY for all) and a
 * queue (OFPQ_ALL for all). */
struct ofp_queue_request {
    uint32_t port;
    uint32_t queue;
};
enum ofperr ofp_queue_request_decode(const struct ofp_msg *,
                                     struct ofp_queue_request *);
/* 'type' is OFPTYPE_QUEUE_STATS_REQUEST or OFPTYPE_QUEUE_DESC_STATS_REQUEST;
 * NULL if it has no encoding in 'version'. */
struct ofpbuf *ofp_queue_request_encode(enum ofptype type,
                                        const struct ofp_queue_request *,
                                        enum ofp_version, uint32_t xid);

/* One queue statistics entry.  Duration all-ones means unknown (1.0 has
 * none on the wire). */
struct ofp_queue_stats {
    uint32_t port;
    uint32_t queue;
    uint64_t tx_bytes, tx_packets, tx_errors;
    uint32_t duration_sec, duration_nsec;
};
int ofp_queue_stats_decode_next(struct ofp_reader *, enum ofp_version,
                                struct ofp_queue_stats *);
void ofp_queue_stats_append(const struct ofp_queue_stats *,
                            struct ofp_mp_reply *);

/* One queue's configuration: its port, id and rates in tenths of a
 * percent (OFPQ_RATE_NONE: no such property). */
struct ofp_queue_desc {
    uint32_t port;
    uint32_t queue;
    uint16_t min_rate;
    uint16_t max_rate;
};

/* QUEUE_GET_CONFIG request (1.0, 1.3). */
enum ofperr ofp_queue_get_config_request_decode(const struct ofp_msg *,
                                                uint32_t *port);
struct ofpbuf *ofp_queue_get_config_request_encode(uint32_t port,
                                                   enum ofp_version,
                                                   uint32_t xid);

/* QUEUE_GET_CONFIG reply (1.0, 1.3): the port it answers for, then its
 * queues one at a time with ofp_queue_desc_decode_next().  In 1.0 the
 * entries carry no port: they get the reply's. */
enum ofperr ofp_queue_get_config_reply_decode(const struct ofp_msg *,
                                              uint32_t *port,
                                              struct ofp_reader *queues);
/* A reply for 'port' with the 'n' queues in 'qs' (borrowed). */
struct ofpbuf *ofp_queue_get_config_reply_encode(uint32_t port,
                                                 const struct ofp_queue_desc *,
                                                 size_t n, enum ofp_version,
                                                 uint32_t xid);

/* Walks the queues of a QUEUE_GET_CONFIG reply (version 1.0 or 1.3;
 * 'port' is the reply's) or of a QUEUE_DESC reply (1.4+).  Returns 0,
 * EOF at the end, or OFPBRC_BAD_LEN.  Unknown properties are skipped. */
int ofp_queue_desc_decode_next(struct ofp_reader *, enum ofp_version,
                               uint32_t port, struct ofp_queue_desc *);
/* Appends a QUEUE_DESC reply entry (1.4+). */
void ofp_queue_desc_append(const struct ofp_queue_desc *,
                           struct ofp_mp_reply *);

#endif /* TERN_OFP_QUEUE_H */
