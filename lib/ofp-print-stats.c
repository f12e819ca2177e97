/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print-stats: the multipart (statistics) part of ofp-print — how
 * description, flow, aggregate, table, port, queue, group and meter
 * requests and replies print, and how each re-encodes through its family
 * encoder.  The framework and the table that points here are in
 * ofp-print.c (see ofp-print-private.h).
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-meter.h"
#include "lib/ofp-msgs.h"
#include "lib/ofp-port.h"
#include "lib/ofp-print-private.h"
#include "lib/ofp-switch.h"

/* Description statistics: five fixed-width strings. */

static const size_t desc_widths[5] = {256, 256, 256, 32, 256};

static enum ofperr
decode_desc(const struct ofp_msg *msg, char strings[5][257])
{
    struct ofp_reader r;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (size_t i = 0; i < 5; i++) {
        const char *p = ofp_reader_pull(&r, desc_widths[i]);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        memcpy(strings[i], p, desc_widths[i]);
        strings[i][desc_widths[i]] = '\0';
    }
    return r.size ? OFPERR_OFPBRC_BAD_LEN : 0;
}

enum ofperr
ofp_print_desc_reply(struct ds *s, const struct ofp_msg *msg,
                     const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const titles[5] = {"Manufacturer", "Hardware",
                                          "Software", "Serial Num",
                                          "DP Description"};
    char strings[5][257];
    enum ofperr error = decode_desc(msg, strings);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < 5; i++) {
        ds_put_format(s, "\n%s: %s", titles[i], strings[i]);
    }
    return 0;
}

enum ofperr
ofp_print_reencode_desc_reply(const struct ofp_msg *msg, struct ofpbuf **out)
{
    char strings[5][257];
    enum ofperr error = decode_desc(msg, strings);
    if (!error) {
        struct ofp_desc_stats d = {strings[0], strings[1], strings[2],
                                   strings[3], strings[4]};
        struct ofp_msg req =
            ofp_print_fake_request(msg, OFPTYPE_DESC_STATS_REQUEST);
        *out = ofp_desc_stats_reply_encode(&d, &req);
    }
    return error;
}

/* Flow and aggregate statistics. */

enum ofperr
ofp_print_flow_stats_request(struct ds *s, const struct ofp_msg *msg,
                             const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_stats_request fsr;
    enum ofperr error = ofp_flow_stats_request_decode(msg, &fsr);
    if (error) {
        return error;
    }
    if (fsr.table_id != OFPTT_ALL) {
        ds_put_format(s, " table=%" PRIu8, fsr.table_id);
    }
    if (fsr.out_port != OFPP_ANY) {
        ds_put_cstr(s, " out_port=");
        ofp_print_port(s, fsr.out_port, ctx);
    }
    ds_put_char(s, ' ');
    size_t start = s->length;
    match_format(&fsr.match, ctx->names, -1, s);
    if (s->length == start) {
        ds_chomp(s, ' ');
    }
    return 0;
}

enum ofperr
ofp_print_reencode_flow_stats_request(const struct ofp_msg *msg,
                                      struct ofpbuf **out)
{
    struct ofp_flow_stats_request fsr;
    enum ofperr error = ofp_flow_stats_request_decode(msg, &fsr);
    if (!error) {
        *out = ofp_flow_stats_request_encode(&fsr, msg->version, msg->xid);
    }
    return error;
}

enum ofperr
ofp_print_flow_entries(struct ds *s, const struct ofp_msg *msg,
                       const struct ofp_print_ctx *ctx, mp_next_func *next,
                       void *entry, const struct ofp_flow_stats *fs)
{
    struct ofp_reader r;
    struct ofpbuf ofpacts;
    int error;

    ofpbuf_init(&ofpacts, 64);
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = next(&r, msg, entry, &ofpacts))) {
        ds_put_char(s, '\n');
        ofp_flow_stats_format(fs, ctx->names, false, s);
        ds_chomp(s, '\n');
    }
    ofpbuf_uninit(&ofpacts);
    return error == EOF ? 0 : (enum ofperr)error;
}

enum ofperr
ofp_print_reencode_mp_reply(const struct ofp_msg *msg,
                            enum ofptype request_type, mp_next_func *next,
                            mp_append_func *append, size_t size,
                            struct ofpbuf **out)
{
    struct ofp_msg req = ofp_print_fake_request(msg, request_type);
    struct ofp_mp_reply mp;
    struct ofp_reader r;
    struct ofpbuf scratch;
    void *entry = xzalloc(size);
    int error;

    ofpbuf_init(&scratch, 64);
    ofp_reader_init(&r, msg->body, msg->body_len);
    ofp_mp_reply_start(&mp, msg->type, &req);
    while (!(error = next(&r, msg, entry, &scratch))) {
        append(entry, &mp);
        memset(entry, 0, size);
    }

    struct ofpbuf **msgs;
    size_t n;
    ofp_mp_reply_finish(&mp, &msgs, &n);
    if (error == EOF && n == 1) {
        *out = msgs[0];
        /* The MORE flag comes from the original message. */
        if (msg->mp_flags && (*out)->size >= 12) {
            size_t ofs = 10; /* Flags follow the multipart type. */
            tern_be16 flags = htons(msg->mp_flags);
            memcpy((*out)->data + ofs, &flags, 2);
        }
        error = 0;
    } else {
        for (size_t i = 0; i < n; i++) {
            ofpbuf_delete(msgs[i]);
        }
        error = error == EOF ? OFPERR_OFPBRC_BAD_LEN : error;
    }
    free(msgs);
    free(entry);
    ofpbuf_uninit(&scratch);
    return error;
}

static int
flow_stats_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                struct ofpbuf *scratch)
{
    /* Each entry's actions must outlive the append: keep a copy. */
    return ofp_flow_stats_decode_next(r, msg->version, e, scratch);
}

enum ofperr
ofp_print_flow_stats_reply(struct ds *s, const struct ofp_msg *msg,
                           const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_stats fs;

    memset(&fs, 0, sizeof fs);
    return ofp_print_flow_entries(s, msg, ctx, flow_stats_next, &fs, &fs);
}

static void
flow_stats_append(const void *e, struct ofp_mp_reply *mp)
{
    ofp_flow_stats_append(e, mp);
}

enum ofperr
ofp_print_reencode_flow_stats_reply(const struct ofp_msg *msg,
                                    struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_FLOW_STATS_REQUEST,
                                       flow_stats_next, flow_stats_append,
                                       sizeof(struct ofp_flow_stats), out);
}

enum ofperr
ofp_print_aggregate_reply(struct ds *s, const struct ofp_msg *msg,
                          const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_aggregate_stats as;
    enum ofperr error = ofp_aggregate_stats_reply_decode(msg, &as);
    if (!error) {
        ds_put_format(s,
                      " packet_count=%" PRIu64 " byte_count=%" PRIu64
                      " flow_count=%" PRIu32,
                      as.packet_count, as.byte_count, as.flow_count);
    }
    return error;
}

enum ofperr
ofp_print_reencode_aggregate_reply(const struct ofp_msg *msg,
                                   struct ofpbuf **out)
{
    struct ofp_aggregate_stats as;
    enum ofperr error = ofp_aggregate_stats_reply_decode(msg, &as);
    if (!error) {
        struct ofp_msg req = ofp_print_fake_request(
            msg, msg->type == OFPTYPE_NXST_AGGREGATE_REPLY
                     ? OFPTYPE_NXST_AGGREGATE_REQUEST
                     : OFPTYPE_AGGREGATE_STATS_REQUEST);
        *out = ofp_aggregate_stats_reply_encode(&as, &req);
    }
    return error;
}

/* Table statistics. */

/* Prints the end of a run of tables that repeat the one before them
 * (ovs-ofctl's "tables 3...253: ditto"). */
static void
put_ditto(struct ds *s, int first, int last)
{
    if (first < 0) {
        return;
    }
    if (first == last) {
        ds_put_format(s, "\n\n  table %d: ditto", first);
    } else {
        ds_put_format(s, "\n\n  tables %d...%d: ditto", first, last);
    }
}

enum ofperr
ofp_print_table_stats_reply(struct ds *s, const struct ofp_msg *msg,
                            const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_table_stats prev = {.table_id = 0};
    struct ofp_reader r;
    int error, ditto_first = -1, ditto_last = -1;
    bool first = true, first_features = true, named_ditto = false;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (;;) {
        struct ofp_table_stats ts;

        memset(&ts, 0, sizeof ts);
        error = ofp_table_stats_decode_next(&r, msg->version, &ts);
        if (error) {
            break;
        }
        if (!first && !ts.active_count && !ts.lookup_count &&
            !ts.matched_count && !prev.active_count && !prev.lookup_count &&
            !prev.matched_count && ts.max_entries == prev.max_entries) {
            if (msg->version == OFP10_VERSION && ts.name[0]) {
                /* A named table repeats on a line of its own. */
                put_ditto(s, ditto_first, ditto_last);
                ditto_first = ditto_last = -1;
                ds_put_format(s, "%s  table %" PRIu8 " (\"%.32s\"): ditto",
                              named_ditto ? "\n" : "\n\n", ts.table_id,
                              ts.name);
                named_ditto = true;
                prev = ts;
                continue;
            }
            if (ditto_first < 0) {
                ditto_first = ts.table_id;
            }
            ditto_last = ts.table_id;
            prev = ts;
            continue;
        }
        put_ditto(s, ditto_first, ditto_last);
        ditto_first = ditto_last = -1;
        named_ditto = false;
        ds_put_cstr(s, first ? "\n" : "\n\n");
        first = false;
        ds_put_format(s, "  table %" PRIu8, ts.table_id);
        if (msg->version == OFP10_VERSION && ts.name[0]) {
            ds_put_format(s, " (\"%.32s\")", ts.name);
        }
        ds_put_format(s,
                      ":\n    active=%" PRIu32 ", lookup=%" PRIu64
                      ", matched=%" PRIu64,
                      ts.active_count, ts.lookup_count, ts.matched_count);
        if (msg->version == OFP10_VERSION) {
            /* 1.0 tables carry their features: every 1.0 field matches
             * exactly or by wildcard on Tern as on Open vSwitch. */
            if (!first_features && ts.max_entries == prev.max_entries) {
                ds_put_cstr(s, "\n    (same features)");
            } else {
                ds_put_format(s,
                              "\n    max_entries=%" PRIu32
                              "\n    matching:\n      exact match or "
                              "wildcard: in_port eth_{src,dst,type} "
                              "vlan_{vid,pcp} ip_{src,dst} nw_{proto,tos} "
                              "tcp_{src,dst}",
                              ts.max_entries);
            }
            first_features = false;
        }
        prev = ts;
    }
    put_ditto(s, ditto_first, ditto_last);
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
table_stats_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                 struct ofpbuf *scratch TERN_UNUSED)
{
    return ofp_table_stats_decode_next(r, msg->version, e);
}

static void
table_stats_append(const void *e, struct ofp_mp_reply *mp)
{
    ofp_table_stats_append(e, mp);
}

enum ofperr
ofp_print_reencode_table_stats_reply(const struct ofp_msg *msg,
                                     struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_TABLE_STATS_REQUEST,
                                       table_stats_next, table_stats_append,
                                       sizeof(struct ofp_table_stats), out);
}

/* Port statistics and port descriptions. */

enum ofperr
ofp_print_port_request(struct ds *s, const struct ofp_msg *msg,
                       const struct ofp_print_ctx *ctx)
{
    uint32_t port;
    enum ofperr error = ofp_port_request_decode(msg, &port);
    if (error) {
        return error;
    }
    ds_put_cstr(s, msg->type == OFPTYPE_PORT_STATS_REQUEST ? " port_no="
                                                           : " port=");
    if (port == OFPP_ANY) {
        ds_put_cstr(s, "ANY");
    } else {
        ofp_print_port(s, port, ctx);
    }
    return 0;
}

enum ofperr
ofp_print_reencode_port_request(const struct ofp_msg *msg, struct ofpbuf **out)
{
    uint32_t port;
    enum ofperr error = ofp_port_request_decode(msg, &port);
    if (!error) {
        *out =
            ofp_port_request_encode(msg->type, port, msg->version, msg->xid);
    }
    return error;
}

static void
put_stat(struct ds *s, const char *name, uint64_t v, bool last)
{
    if (v == UINT64_MAX) {
        ds_put_format(s, "%s=?%s", name, last ? "" : ", ");
    } else {
        ds_put_format(s, "%s=%" PRIu64 "%s", name, v, last ? "" : ", ");
    }
}

static void
put_port_stats(struct ds *s, const struct ofp_port_stats *ps,
               const struct ofp_print_ctx *ctx)
{
    ds_put_cstr(s, "\n  port ");
    if (ps->port_no < 10) {
        ds_put_char(s, ' ');
    }
    ofp_print_port(s, ps->port_no, ctx);
    ds_put_cstr(s, ": rx ");
    put_stat(s, "pkts", ps->rx_packets, false);
    put_stat(s, "bytes", ps->rx_bytes, false);
    put_stat(s, "drop", ps->rx_dropped, false);
    put_stat(s, "errs", ps->rx_errors, false);
    put_stat(s, "frame", ps->rx_frame_err, false);
    put_stat(s, "over", ps->rx_over_err, false);
    put_stat(s, "crc", ps->rx_crc_err, true);
    ds_put_cstr(s, "\n           tx ");
    put_stat(s, "pkts", ps->tx_packets, false);
    put_stat(s, "bytes", ps->tx_bytes, false);
    put_stat(s, "drop", ps->tx_dropped, false);
    put_stat(s, "errs", ps->tx_errors, false);
    put_stat(s, "coll", ps->collisions, true);
    if (ps->duration_sec != UINT32_MAX &&
        (ps->duration_sec || ps->duration_nsec)) {
        ds_put_cstr(s, "\n           duration=");
        ofp_print_duration(s, ps->duration_sec, ps->duration_nsec);
    }
}

enum ofperr
ofp_print_port_stats_reply(struct ds *s, const struct ofp_msg *msg,
                           const struct ofp_print_ctx *ctx)
{
    struct ofp_port_stats *stats = NULL;
    size_t n = 0, allocated = 0;
    struct ofp_reader r;
    int error;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (;;) {
        if (n >= allocated) {
            allocated = allocated ? 2 * allocated : 8;
            stats = xrealloc(stats, allocated * sizeof *stats);
        }
        memset(&stats[n], 0, sizeof stats[n]);
        error = ofp_port_stats_decode_next(&r, msg->version, &stats[n]);
        if (error) {
            break;
        }
        n++;
    }
    if (error == EOF) {
        ds_put_format(s, " %zu ports", n);
        for (size_t i = 0; i < n; i++) {
            put_port_stats(s, &stats[i], ctx);
        }
        error = 0;
    }
    free(stats);
    return error;
}

static int
port_stats_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                struct ofpbuf *scratch TERN_UNUSED)
{
    return ofp_port_stats_decode_next(r, msg->version, e);
}

static void
port_stats_append(const void *e, struct ofp_mp_reply *mp)
{
    ofp_port_stats_append(e, mp);
}

enum ofperr
ofp_print_reencode_port_stats_reply(const struct ofp_msg *msg,
                                    struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_PORT_STATS_REQUEST,
                                       port_stats_next, port_stats_append,
                                       sizeof(struct ofp_port_stats), out);
}

enum ofperr
ofp_print_port_desc_reply(struct ds *s, const struct ofp_msg *msg,
                          const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_phy_port *ports;
    struct ofp_reader r;
    size_t n;

    ofp_reader_init(&r, msg->body, msg->body_len);
    int error = ofp_print_decode_ports(&r, msg->version, &ports, &n);
    if (!error) {
        ds_put_char(s, '\n');
        ofp_print_ports(s, ports, n);
        ds_chomp(s, '\n');
    }
    free(ports);
    return error;
}

/* Port descriptions go through a scratch buffer: ofp_phy_port_append()
 * writes one entry that ofp_mp_reply_append() then copies. */

static int
port_desc_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
               struct ofpbuf *scratch TERN_UNUSED)
{
    return ofp_phy_port_decode_next(r, msg->version, e);
}

static void
port_desc_append(const void *e, struct ofp_mp_reply *mp)
{
    struct ofpbuf buf;

    ofpbuf_init(&buf, 128);
    ofp_phy_port_append(e, mp->version, &buf);
    ofp_mp_reply_append(mp, buf.data, buf.size);
    ofpbuf_uninit(&buf);
}

enum ofperr
ofp_print_reencode_port_desc_reply(const struct ofp_msg *msg,
                                   struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_PORT_DESC_STATS_REQUEST,
                                       port_desc_next, port_desc_append,
                                       sizeof(struct ofp_phy_port), out);
}

/* Queue statistics and configuration requests. */

static void
put_queue(struct ds *s, uint32_t queue)
{
    if (queue == 0xffffffffu) {
        ds_put_cstr(s, "ALL");
    } else {
        ds_put_format(s, "%" PRIu32, queue);
    }
}

enum ofperr
ofp_print_queue_stats_request(struct ds *s, const struct ofp_msg *msg,
                              const struct ofp_print_ctx *ctx)
{
    uint32_t port, queue;
    enum ofperr error = ofp_queue_stats_request_decode(msg, &port, &queue);
    if (error) {
        return error;
    }
    ds_put_cstr(s, " port=");
    /* 1.0 names every port OFPP_ALL here; ovs-ofctl prints it "ANY". */
    if (port == OFPP_ANY ||
        (msg->version == OFP10_VERSION && port == OFPP_ALL)) {
        ds_put_cstr(s, "ANY");
    } else {
        ofp_print_port(s, port, ctx);
    }
    ds_put_cstr(s, " queue=");
    put_queue(s, queue);
    return 0;
}

enum ofperr
ofp_print_queue_get_config_request(struct ds *s, const struct ofp_msg *msg,
                                   const struct ofp_print_ctx *ctx)
{
    struct ofp_reader r;
    uint32_t port;

    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->version == OFP10_VERSION) {
        uint16_t p16;
        if (!ofp_reader_be16(&r, &p16)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        port = ofp_port_from_of10(p16);
    } else if (!ofp_reader_be32(&r, &port)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ds_put_cstr(s, " port=");
    ofp_print_port(s, port, ctx);
    return 0;
}

/* Groups. */

static void
put_group_id(struct ds *s, uint32_t id)
{
    if (id == OFPG_ALL) {
        ds_put_cstr(s, "ALL");
    } else if (id == OFPG_ANY) {
        ds_put_cstr(s, "ANY");
    } else {
        ds_put_format(s, "%" PRIu32, id);
    }
}

enum ofperr
ofp_print_group_request(struct ds *s, const struct ofp_msg *msg,
                        const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    uint32_t id;
    enum ofperr error = ofp_group_request_decode(msg, &id);
    if (!error) {
        ds_put_cstr(s, " group_id=");
        put_group_id(s, id);
    }
    return error;
}

enum ofperr
ofp_print_reencode_group_request(const struct ofp_msg *msg,
                                 struct ofpbuf **out)
{
    uint32_t id;
    enum ofperr error = ofp_group_request_decode(msg, &id);
    if (!error) {
        *out = ofp_group_request_encode(msg->type, id, msg->version, msg->xid);
    }
    return error;
}

enum ofperr
ofp_print_group_desc_reply(struct ds *s, const struct ofp_msg *msg,
                           const struct ofp_print_ctx *ctx)
{
    struct ofp_reader r;
    int error;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (;;) {
        struct ofp_group_mod gm;

        memset(&gm, 0, sizeof gm);
        error = ofp_group_desc_decode_next(&r, msg->version, &gm);
        if (error) {
            ofp_group_mod_uninit(&gm);
            break;
        }
        ds_put_cstr(s, "\n ");
        ofp_group_desc_format(&gm, ctx->names, s);
        ofp_group_mod_uninit(&gm);
    }
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
group_desc_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                struct ofpbuf *scratch TERN_UNUSED)
{
    int error = ofp_group_desc_decode_next(r, msg->version, e);
    if (error) {
        ofp_group_mod_uninit(e);
    }
    return error;
}

static void
group_desc_append(const void *e_, struct ofp_mp_reply *mp)
{
    struct ofp_group_mod *gm = (struct ofp_group_mod *)(uintptr_t)e_;

    ofp_group_desc_append_mod(gm, mp);
    ofp_group_mod_uninit(gm);
}

enum ofperr
ofp_print_reencode_group_desc_reply(const struct ofp_msg *msg,
                                    struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_GROUP_DESC_STATS_REQUEST,
                                       group_desc_next, group_desc_append,
                                       sizeof(struct ofp_group_mod), out);
}

/* Group statistics (1.3+).  An entry holds at most (65535 - 40) / 16
 * buckets, so one with room for that many never overflows. */
#define GROUP_STATS_MAX_BUCKETS 4093

struct group_stats_entry {
    struct ofp_group_stats gs;
    uint64_t counts[2 * GROUP_STATS_MAX_BUCKETS];
};

enum ofperr
ofp_print_group_stats_reply(struct ds *s, const struct ofp_msg *msg,
                            const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct group_stats_entry *g = xmalloc(sizeof *g);
    struct ofp_reader r;
    int error;

    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_group_stats_decode_next(&r, &g->gs, g->counts,
                                                 GROUP_STATS_MAX_BUCKETS))) {
        const struct ofp_group_stats *gs = &g->gs;

        ds_put_format(s, "\n group_id=%" PRIu32 ",duration=", gs->group_id);
        ofp_print_duration(s, gs->duration_sec, gs->duration_nsec);
        ds_put_format(s,
                      ",ref_count=%" PRIu32 ",packet_count=%" PRIu64
                      ",byte_count=%" PRIu64,
                      gs->ref_count, gs->packet_count, gs->byte_count);
        for (size_t i = 0; i < gs->n_buckets; i++) {
            ds_put_format(
                s, ",bucket%zu:packet_count=%" PRIu64 ",byte_count=%" PRIu64,
                i, gs->bucket_packets[i], gs->bucket_bytes[i]);
        }
    }
    free(g);
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
group_stats_next(struct ofp_reader *r, const struct ofp_msg *msg TERN_UNUSED,
                 void *e, struct ofpbuf *scratch TERN_UNUSED)
{
    struct group_stats_entry *g = e;

    return ofp_group_stats_decode_next(r, &g->gs, g->counts,
                                       GROUP_STATS_MAX_BUCKETS);
}

static void
group_stats_append(const void *e, struct ofp_mp_reply *mp)
{
    const struct group_stats_entry *g = e;

    ofp_group_stats_append(&g->gs, mp);
}

enum ofperr
ofp_print_reencode_group_stats_reply(const struct ofp_msg *msg,
                                     struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_GROUP_STATS_REQUEST,
                                       group_stats_next, group_stats_append,
                                       sizeof(struct group_stats_entry), out);
}

/* Table features: the properties are kept as they came. */
struct table_features_entry {
    struct ofp_table_features tf;
    const uint8_t *props; /* Points into the message. */
    size_t props_len;
};

static int
table_features_next(struct ofp_reader *r,
                    const struct ofp_msg *msg TERN_UNUSED, void *e_,
                    struct ofpbuf *scratch TERN_UNUSED)
{
    struct table_features_entry *e = e_;

    return ofp_table_features_decode_next(r, &e->tf, &e->props, &e->props_len);
}

static void
table_features_append(const void *e_, struct ofp_mp_reply *mp)
{
    const struct table_features_entry *e = e_;

    ofp_table_features_append_raw(&e->tf, e->props, e->props_len, mp);
}

enum ofperr
ofp_print_reencode_table_features_reply(const struct ofp_msg *msg,
                                        struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(
        msg, OFPTYPE_TABLE_FEATURES_STATS_REQUEST, table_features_next,
        table_features_append, sizeof(struct table_features_entry), out);
}

/* Meters. */

enum ofperr
ofp_print_meter_request(struct ds *s, const struct ofp_msg *msg,
                        const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    uint32_t id;
    enum ofperr error = ofp_meter_request_decode(msg, &id);
    if (!error) {
        if (id == OFPM_ALL) {
            ds_put_cstr(s, " meter=all");
        } else {
            ds_put_format(s, " meter=%" PRIu32, id);
        }
    }
    return error;
}

enum ofperr
ofp_print_reencode_meter_request(const struct ofp_msg *msg,
                                 struct ofpbuf **out)
{
    uint32_t id;
    enum ofperr error = ofp_meter_request_decode(msg, &id);
    if (!error) {
        *out = ofp_meter_request_encode(msg->type, id, msg->version, msg->xid);
    }
    return error;
}

enum ofperr
ofp_print_meter_config_reply(struct ds *s, const struct ofp_msg *msg,
                             const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_reader r;
    int error;
    bool first = true;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (;;) {
        struct ofp_meter_mod mm;

        memset(&mm, 0, sizeof mm);
        error = ofp_meter_config_decode_next(&r, &mm);
        if (error) {
            break;
        }
        ds_put_cstr(s, first ? "\n" : "\n\n");
        first = false;
        ofp_meter_mod_format(&mm, s);
        ds_chomp(s, '\n');
    }
    return error == EOF ? 0 : (enum ofperr)error;
}

OFP_PRINT_MP_ENTRY(meter_config, ofp_meter_config_decode_next,
                   ofp_meter_config_append)

enum ofperr
ofp_print_reencode_meter_config_reply(const struct ofp_msg *msg,
                                      struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_METER_CONFIG_STATS_REQUEST,
                                       meter_config_next, meter_config_append,
                                       sizeof(struct ofp_meter_mod), out);
}

enum ofperr
ofp_print_meter_stats_reply(struct ds *s, const struct ofp_msg *msg,
                            const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_reader r;
    int error;
    bool first = true;

    ofp_reader_init(&r, msg->body, msg->body_len);
    for (;;) {
        struct ofp_meter_stats ms;

        memset(&ms, 0, sizeof ms);
        error = ofp_meter_stats_decode_next(&r, &ms);
        if (error) {
            break;
        }
        ds_put_cstr(s, first ? "\n" : "\n\n");
        first = false;
        ds_put_format(
            s,
            "meter:%" PRIu32 " flow_count:%" PRIu32 " packet_in_count:%" PRIu64
            " byte_in_count:%" PRIu64 " duration:",
            ms.meter_id, ms.flow_count, ms.packet_in_count, ms.byte_in_count);
        ofp_print_duration(s, ms.duration_sec, ms.duration_nsec);
        ds_put_cstr(s, " bands:");
        for (size_t i = 0; i < ms.n_bands; i++) {
            ds_put_format(
                s, "\n%zu: packet_count:%" PRIu64 " byte_count:%" PRIu64, i,
                ms.band_packets[i], ms.band_bytes[i]);
        }
    }
    return error == EOF ? 0 : (enum ofperr)error;
}

OFP_PRINT_MP_ENTRY(meter_stats, ofp_meter_stats_decode_next,
                   ofp_meter_stats_append)

enum ofperr
ofp_print_reencode_meter_stats_reply(const struct ofp_msg *msg,
                                     struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_METER_STATS_REQUEST,
                                       meter_stats_next, meter_stats_append,
                                       sizeof(struct ofp_meter_stats), out);
}

enum ofperr
ofp_print_meter_features_reply(struct ds *s, const struct ofp_msg *msg,
                               const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const caps[] = {"kbps", "pktps", "burst", "stats"};
    struct ofp_meter_features mf;
    enum ofperr error = ofp_meter_features_reply_decode(msg, &mf);
    if (error) {
        return error;
    }
    ds_put_format(s,
                  "\nmax_meter:%" PRIu32 " max_bands:%" PRIu8
                  " max_color:%" PRIu8 "\nband_types:",
                  mf.max_meters, mf.max_bands, mf.max_color);
    if (mf.band_types & (1u << OFPMBT_DROP)) {
        ds_put_cstr(s, " drop");
    }
    if (mf.band_types & (1u << OFPMBT_DSCP_REMARK)) {
        ds_put_cstr(s, " dscp_remark");
    }
    ds_put_cstr(s, "\ncapabilities:");
    for (size_t i = 0; i < ARRAY_SIZE(caps); i++) {
        if (mf.capabilities & (1u << i)) {
            ds_put_format(s, " %s", caps[i]);
        }
    }
    return 0;
}

enum ofperr
ofp_print_reencode_meter_features_reply(const struct ofp_msg *msg,
                                        struct ofpbuf **out)
{
    struct ofp_meter_features mf;
    enum ofperr error = ofp_meter_features_reply_decode(msg, &mf);
    if (!error) {
        struct ofp_msg req =
            ofp_print_fake_request(msg, OFPTYPE_METER_FEATURES_STATS_REQUEST);
        *out = ofp_meter_features_reply_encode(&mf, &req);
    }
    return error;
}
