/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print-more: the printers and re-encoders of the messages Tern
 * decodes but does not act upon — queue statistics, configuration and
 * description, flow monitors, request forwarding and the small Nicira
 * extensions, and bundles.  Each calls its family's decoder and encoder
 * (ofp-queue, ofp-monitor, ofp-nx) and formats what they return as ovs-ofctl
 * does. See ofp-print-private.h for the conventions.
 */
#include <config.h>

#include "lib/ofp-print-private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-bundle.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-queue.h"
#include "lib/util.h"

/* ---- Queues. ---- */

enum ofperr
ofp_print_reencode_queue_request(const struct ofp_msg *msg,
                                 struct ofpbuf **out)
{
    struct ofp_queue_request rq;
    enum ofperr error = ofp_queue_request_decode(msg, &rq);

    if (!error) {
        *out =
            ofp_queue_request_encode(msg->type, &rq, msg->version, msg->xid);
    }
    return error;
}

static void
put_duration_or_unknown(struct ds *s, uint32_t sec, uint32_t nsec)
{
    if (sec == UINT32_MAX && nsec == UINT32_MAX) {
        ds_put_char(s, '?');
    } else {
        ofp_print_duration(s, sec, nsec);
    }
}

enum ofperr
ofp_print_queue_stats_reply(struct ds *s, const struct ofp_msg *msg,
                            const struct ofp_print_ctx *ctx)
{
    struct ofp_queue_stats qs;
    struct ofp_reader r;
    struct ds lines = DS_EMPTY;
    int n = 0, error;

    ds_init(&lines);
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_queue_stats_decode_next(&r, msg->version, &qs))) {
        ds_put_cstr(&lines, "\n  port ");
        ofp_print_port(&lines, qs.port, ctx);
        ds_put_format(&lines,
                      " queue %" PRIu32 ": bytes=%" PRIu64 ", pkts=%" PRIu64
                      ", errors=%" PRIu64 ", duration=",
                      qs.queue, qs.tx_bytes, qs.tx_packets, qs.tx_errors);
        put_duration_or_unknown(&lines, qs.duration_sec, qs.duration_nsec);
        n++;
    }
    if (error == EOF) {
        ds_put_format(s, " %d queues%s", n, ds_cstr(&lines));
    }
    ds_destroy(&lines);
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
queue_stats_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                 struct ofpbuf *scratch TERN_UNUSED)
{
    return ofp_queue_stats_decode_next(r, msg->version, e);
}

static void
queue_stats_append(const void *e, struct ofp_mp_reply *mp)
{
    ofp_queue_stats_append(e, mp);
}

enum ofperr
ofp_print_reencode_queue_stats_reply(const struct ofp_msg *msg,
                                     struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_QUEUE_STATS_REQUEST,
                                       queue_stats_next, queue_stats_append,
                                       sizeof(struct ofp_queue_stats), out);
}

enum ofperr
ofp_print_reencode_queue_config_request(const struct ofp_msg *msg,
                                        struct ofpbuf **out)
{
    uint32_t port;
    enum ofperr error = ofp_queue_get_config_request_decode(msg, &port);

    if (!error) {
        *out =
            ofp_queue_get_config_request_encode(port, msg->version, msg->xid);
    }
    return error;
}

/* Decodes the queues of a QUEUE_GET_CONFIG or QUEUE_DESC reply into a new
 * array '*qsp' (caller frees) of '*np'; '*port' is the reply's port
 * (OFPP_ANY for a QUEUE_DESC reply). */
static enum ofperr
decode_queue_descs(const struct ofp_msg *msg, uint32_t *port,
                   struct ofp_queue_desc **qsp, size_t *np)
{
    struct ofp_queue_desc *qs = NULL;
    size_t n = 0, allocated = 0;
    struct ofp_reader r;
    int error = 0;

    *port = OFPP_ANY;
    if (msg->type == OFPTYPE_QUEUE_GET_CONFIG_REPLY) {
        error = ofp_queue_get_config_reply_decode(msg, port, &r);
    } else {
        ofp_reader_init(&r, msg->body, msg->body_len);
    }
    while (!error) {
        if (n >= allocated) {
            allocated = allocated ? 2 * allocated : 8;
            qs = xrealloc(qs, allocated * sizeof *qs);
        }
        error = ofp_queue_desc_decode_next(&r, msg->version, *port, &qs[n]);
        if (!error) {
            n++;
        }
    }
    *qsp = qs;
    *np = n;
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
compare_queue_descs(const void *a_, const void *b_)
{
    const struct ofp_queue_desc *a = a_, *b = b_;

    if (a->port != b->port) {
        return a->port < b->port ? -1 : 1;
    }
    return a->queue < b->queue ? -1 : a->queue > b->queue;
}

static void
put_rate(struct ds *s, const char *name, uint16_t rate)
{
    if (rate <= 1000) {
        ds_put_format(s, " %s:%.1f%%", name, rate / 10.0);
    }
}

/* ovs-ofctl lists the queues by port, then queue id, with a "port=N" line
 * before each port's. */
enum ofperr
ofp_print_queue_config_reply(struct ds *s, const struct ofp_msg *msg,
                             const struct ofp_print_ctx *ctx)
{
    struct ofp_queue_desc *qs;
    uint32_t port;
    size_t n;
    enum ofperr error = decode_queue_descs(msg, &port, &qs, &n);

    if (error) {
        free(qs);
        return error;
    }
    if (msg->type == OFPTYPE_QUEUE_GET_CONFIG_REPLY) {
        /* ovs-ofctl lists them under the reply's port, whatever a 1.3
         * entry says. */
        for (size_t i = 0; i < n; i++) {
            qs[i].port = port;
        }
    }
    qsort(qs, n, sizeof *qs, compare_queue_descs);
    if (!n && msg->type == OFPTYPE_QUEUE_GET_CONFIG_REPLY) {
        ds_put_cstr(s, " port=");
        ofp_print_port(s, port, ctx);
    }
    for (size_t i = 0; i < n; i++) {
        if (!i || qs[i].port != qs[i - 1].port) {
            ds_put_cstr(s, i ? "\nport=" : " port=");
            ofp_print_port(s, qs[i].port, ctx);
        }
        ds_put_format(s, "\nqueue %" PRIu32 ":", qs[i].queue);
        put_rate(s, "min_rate", qs[i].min_rate);
        put_rate(s, "max_rate", qs[i].max_rate);
    }
    free(qs);
    return 0;
}

static void
queue_desc_append(const void *e, struct ofp_mp_reply *mp)
{
    ofp_queue_desc_append(e, mp);
}

static int
queue_desc_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                struct ofpbuf *scratch TERN_UNUSED)
{
    return ofp_queue_desc_decode_next(r, msg->version, OFPP_ANY, e);
}

enum ofperr
ofp_print_reencode_queue_config_reply(const struct ofp_msg *msg,
                                      struct ofpbuf **out)
{
    if (msg->type == OFPTYPE_QUEUE_DESC_STATS_REPLY) {
        return ofp_print_reencode_mp_reply(
            msg, OFPTYPE_QUEUE_DESC_STATS_REQUEST, queue_desc_next,
            queue_desc_append, sizeof(struct ofp_queue_desc), out);
    }

    struct ofp_queue_desc *qs;
    uint32_t port;
    size_t n;
    enum ofperr error = decode_queue_descs(msg, &port, &qs, &n);

    if (!error) {
        *out = ofp_queue_get_config_reply_encode(port, qs, n, msg->version,
                                                 msg->xid);
    }
    free(qs);
    return error;
}

/* ---- Nicira one-value messages. ---- */

enum ofperr
ofp_print_nx_value(struct ds *s, const struct ofp_msg *msg,
                   const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const flow_formats[] = {"openflow10", NULL, "nxm"};
    static const char *const pin_formats[] = {"standard", "nxt_packet_in",
                                              "nxt_packet_in2"};
    uint32_t v;
    enum ofperr error = ofp_nx_value_decode(msg, &v);

    if (error) {
        return error;
    }
    switch (msg->type) {
    case OFPTYPE_NXT_SET_FLOW_FORMAT:
        if (v < ARRAY_SIZE(flow_formats) && flow_formats[v]) {
            ds_put_format(s, " format=%s", flow_formats[v]);
        } else {
            ds_put_format(s, " format=%" PRIu32, v);
        }
        break;
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT:
        if (v < ARRAY_SIZE(pin_formats)) {
            ds_put_format(s, " format=%s", pin_formats[v]);
        } else {
            ds_put_format(s, " format=%" PRIu32, v);
        }
        break;
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID:
        ds_put_cstr(s, v ? " enable" : " disable");
        break;
    case OFPTYPE_NXT_CT_FLUSH_ZONE:
        ds_put_format(s, " zone_id=%" PRIu32, v);
        break;
    default:
        ds_put_format(s, " id=%" PRIu32, v);
        break;
    }
    return 0;
}

enum ofperr
ofp_print_reencode_nx_value(const struct ofp_msg *msg, struct ofpbuf **out)
{
    uint32_t v;
    enum ofperr error = ofp_nx_value_decode(msg, &v);

    if (!error) {
        *out = ofp_nx_value_encode(msg->type, v, msg->version, msg->xid);
    }
    return error;
}

/* BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE. */

static void
put_bundle_flags(struct ds *s, uint16_t flags)
{
    ds_put_cstr(s, " flags=");
    if (!flags) {
        ds_put_cstr(s, "0");
    }
    if (flags & OFPBF_ATOMIC) {
        ds_put_cstr(s, "atomic ");
    }
    if (flags & OFPBF_ORDERED) {
        ds_put_cstr(s, "ordered ");
    }
    ds_chomp(s, ' ');
}

enum ofperr
ofp_print_bundle_ctrl(struct ds *s, const struct ofp_msg *msg,
                      const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const types[] = {
        "OPEN_REQUEST",   "OPEN_REPLY",   "CLOSE_REQUEST",   "CLOSE_REPLY",
        "COMMIT_REQUEST", "COMMIT_REPLY", "DISCARD_REQUEST", "DISCARD_REPLY",
    };
    struct ofp_bundle_ctrl bc;
    enum ofperr error = ofp_bundle_ctrl_decode(msg, &bc);
    if (error) {
        return error;
    }
    ds_put_format(s, "\n bundle_id=%#" PRIx32 " type=", bc.bundle_id);
    if (bc.type < ARRAY_SIZE(types)) {
        ds_put_cstr(s, types[bc.type]);
    } else {
        ds_put_format(s, "%" PRIu16, bc.type);
    }
    put_bundle_flags(s, bc.flags);
    return 0;
}

enum ofperr
ofp_reencode_bundle_ctrl(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_bundle_ctrl bc;
    enum ofperr error = ofp_bundle_ctrl_decode(msg, &bc);
    if (!error) {
        *out = ofp_bundle_ctrl_encode(&bc, msg->version, msg->xid);
    }
    return error;
}

enum ofperr
ofp_print_bundle_add(struct ds *s, const struct ofp_msg *msg,
                     const struct ofp_print_ctx *ctx)
{
    struct ofp_bundle_add ba;
    enum ofperr error = ofp_bundle_add_decode(msg, &ba);
    if (error) {
        return error;
    }
    ds_put_format(s, "\n bundle_id=%#" PRIx32, ba.bundle_id);
    put_bundle_flags(s, ba.flags);
    ds_put_char(s, '\n');
    ofp_print(s, ba.msg, ba.msg_len, ctx->names, ctx->verbosity);
    ds_chomp(s, '\n');
    return 0;
}

enum ofperr
ofp_reencode_bundle_add(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_bundle_add ba;
    enum ofperr error = ofp_bundle_add_decode(msg, &ba);
    if (!error) {
        *out = ofp_bundle_add_encode(&ba, msg->version, msg->xid);
    }
    return error;
}

/* Flow monitors: 1.4+, ONF's 1.3 and Nicira's layouts (ofp-flow.h). */

static void
put_monitor_flags(struct ds *s, uint16_t flags)
{
    static const char *const names[] = {
        "initial", "add", "delete", "modify", "actions", "no_abbrev", "own"};
    const char *sep = " flags=";

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & (1u << i)) {
            ds_put_format(s, "%s%s", sep, names[i]);
            sep = ",";
        }
    }
}

/* Appends " MATCH" unless 'match' matches everything. */
static void
put_monitor_match(struct ds *s, const struct match *match,
                  const struct ofp_print_ctx *ctx, int priority)
{
    struct ds m = DS_EMPTY;

    ds_init(&m);
    match_format(match, ctx->names, priority, &m);
    if (m.length) {
        ds_put_format(s, " %s", ds_cstr(&m));
    }
    ds_destroy(&m);
}

enum ofperr
ofp_print_flow_monitor_request(struct ds *s, const struct ofp_msg *msg,
                               const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_monitor_request rq;
    struct ofp_reader r;
    int error;

    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_flow_monitor_request_decode_next(
                 &r, ofp_monitor_layout(msg), &rq))) {
        ds_put_format(s, "\n id=%" PRIu32, rq.id);
        if (rq.command == OFPFMC_DELETE) {
            ds_put_cstr(s, " command=delete");
            continue;
        }
        put_monitor_flags(s, rq.flags);
        if (rq.out_port != OFPP_ANY) {
            ds_put_cstr(s, " out_port=");
            ofp_print_port(s, rq.out_port, ctx);
        }
        if (rq.out_group != OFPG_ANY) {
            ds_put_format(s, " out_group=%" PRIu32, rq.out_group);
        }
        if (rq.table_id != 0xff) {
            ds_put_format(s, " table=%" PRIu8, rq.table_id);
        }
        put_monitor_match(s, &rq.match, ctx, -1);
    }
    return error == EOF ? 0 : (enum ofperr)error;
}

enum ofperr
ofp_print_reencode_flow_monitor_request(const struct ofp_msg *msg,
                                        struct ofpbuf **out)
{
    struct ofp_flow_monitor_request rq;
    struct ofp_reader r;
    int error;

    enum ofp_monitor_layout lay = ofp_monitor_layout(msg);
    struct ofpbuf *b =
        ofp_msg_start(msg->type, msg->version, msg->xid, msg->body_len);
    if (!b) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_flow_monitor_request_decode_next(&r, lay, &rq))) {
        ofp_flow_monitor_request_put(&rq, lay, msg->version, b);
    }
    if (error != EOF) {
        ofpbuf_delete(b);
        return error;
    }
    if (msg->mp_flags && b->size >= 12) {
        ofp_set_be16(b->data + 10, msg->mp_flags);
    }
    *out = b;
    return 0;
}

static const char *
flow_update_event_name(uint16_t event)
{
    static const char *const names[] = {
        [OFPFME_INITIAL] = "INITIAL", [OFPFME_ADDED] = "ADDED",
        [OFPFME_REMOVED] = "DELETED", [OFPFME_MODIFIED] = "MODIFIED",
        [OFPFME_ABBREV] = "ABBREV",   [OFPFME_PAUSED] = "PAUSED",
        [OFPFME_RESUMED] = "RESUMED",
    };
    return event < ARRAY_SIZE(names) ? names[event] : "?";
}

static void
put_flow_update(struct ds *s, const struct ofp_flow_update *fu,
                const struct ofp_print_ctx *ctx)
{
    ds_put_format(s, "\n event=%s", flow_update_event_name(fu->event));
    if (fu->event == OFPFME_ABBREV) {
        ds_put_format(s, " xid=0x%" PRIx32, fu->xid);
        return;
    }
    if (fu->event == OFPFME_PAUSED || fu->event == OFPFME_RESUMED) {
        return;
    }
    if (fu->event == OFPFME_REMOVED) {
        ds_put_format(s, " reason=%s",
                      ofp_print_flow_removed_reason(fu->reason));
    }
    ds_put_format(s, " table=%" PRIu8, fu->table_id);
    if (fu->idle_timeout) {
        ds_put_format(s, " idle_timeout=%" PRIu16, fu->idle_timeout);
    }
    if (fu->hard_timeout) {
        ds_put_format(s, " hard_timeout=%" PRIu16, fu->hard_timeout);
    }
    ds_put_format(s, " cookie=0x%" PRIx64, fu->cookie);
    put_monitor_match(s, &fu->match, ctx, fu->priority);
    if (fu->event != OFPFME_REMOVED) {
        ds_put_cstr(s, " actions=");
        ofpacts_format(fu->ofpacts, fu->ofpacts_len, ctx->names, s);
    }
}

enum ofperr
ofp_print_flow_monitor_reply(struct ds *s, const struct ofp_msg *msg,
                             const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_update fu;
    struct ofp_reader r;
    struct ofpbuf ofpacts;
    int error;

    ofpbuf_init(&ofpacts, 64);
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_flow_update_decode_next(
                 &r, ofp_monitor_layout(msg), msg->version, &fu, &ofpacts))) {
        put_flow_update(s, &fu, ctx);
    }
    ofpbuf_uninit(&ofpacts);
    return error == EOF ? 0 : (enum ofperr)error;
}

static int
flow_update_next(struct ofp_reader *r, const struct ofp_msg *msg, void *e,
                 struct ofpbuf *scratch)
{
    return ofp_flow_update_decode_next(r, ofp_monitor_layout(msg),
                                       msg->version, e, scratch);
}

static void
flow_update_append(const void *e, struct ofp_mp_reply *mp)
{
    /* The reply being built tells the layout, as its request did. */
    enum ofp_monitor_layout lay =
        mp->type == OFPTYPE_NXST_FLOW_MONITOR_REPLY ? OFP_MONITOR_NX
        : mp->version < OFP14_VERSION               ? OFP_MONITOR_ONF13
                                                    : OFP_MONITOR_OF14;
    ofp_flow_update_append(e, lay, mp);
}

enum ofperr
ofp_print_reencode_flow_monitor_reply(const struct ofp_msg *msg,
                                      struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(
        msg,
        msg->type == OFPTYPE_NXST_FLOW_MONITOR_REPLY
            ? OFPTYPE_NXST_FLOW_MONITOR_REQUEST
            : OFPTYPE_FLOW_MONITOR_STATS_REQUEST,
        flow_update_next, flow_update_append, sizeof(struct ofp_flow_update),
        out);
}
