/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print-nx: ovs-ofctl's text for the Open vSwitch (Nicira) extension
 * messages Tern decodes without acting on them — conntrack flush, IPFIX
 * statistics, the 1.0 group features reply, the NXM flow-removed and
 * packet-in, packet-in2 and resume — and their re-encoding.  The
 * table at the end is consulted by ofp-print.c for kinds its own table
 * does not list.  Bodies are decoded by the family modules (ofp-nx,
 * ofp-group); this file only formats.
 */
#include <config.h>

#include "lib/ofp-print-private.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-packet.h"
#include "lib/util.h"

/* NXT_CT_FLUSH. */

static void
put_ct_addr(struct ds *s, const struct in6_addr *a)
{
    char buf[INET6_ADDRSTRLEN];
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        inet_ntop(AF_INET, &a->s6_addr[12], buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, a, buf, sizeof buf);
    }
    ds_put_cstr(s, buf);
}

static void
put_ct_tuple(struct ds *s, const struct ofp_ct_tuple *t, uint8_t ip_proto,
             bool ipv4)
{
    const char *pfx = ipv4 ? "ct_nw" : "ct_ipv6";
    ds_put_format(s, "%s_src=", pfx);
    put_ct_addr(s, &t->src);
    ds_put_format(s, ",%s_dst=", pfx);
    put_ct_addr(s, &t->dst);
    if (ip_proto == 1 || ip_proto == 58) {
        ds_put_format(s, ",icmp_id=%" PRIu16 ",icmp_type=%u,icmp_code=%u",
                      t->icmp_id, t->icmp_type, t->icmp_code);
    } else {
        ds_put_format(s, ",ct_tp_src=%" PRIu16 ",ct_tp_dst=%" PRIu16,
                      t->src_port, t->dst_port);
    }
}

static enum ofperr
print_ct_flush(struct ds *s, const struct ofp_msg *msg,
               const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_ct_flush f;
    enum ofperr error = ofp_ct_flush_decode(msg, &f);
    if (error) {
        return error;
    }
    bool ipv4 = ofp_ct_flush_is_ipv4(&f);
    ds_put_format(s, " zone=%" PRIu16 " '", f.zone);
    put_ct_tuple(s, &f.orig, f.ip_proto, ipv4);
    ds_put_format(s, ",ct_nw_proto=%u' '", f.ip_proto);
    put_ct_tuple(s, &f.reply, f.ip_proto, ipv4);
    ds_put_char(s, '\'');
    return 0;
}

static enum ofperr
reencode_ct_flush(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_ct_flush f;
    enum ofperr error = ofp_ct_flush_decode(msg, &f);
    if (!error) {
        *out = ofp_ct_flush_encode(&f, msg->version, msg->xid);
    }
    return error;
}

/* NXST_IPFIX_BRIDGE and NXST_IPFIX_FLOW. */

static enum ofperr
reencode_empty_request(const struct ofp_msg *msg, struct ofpbuf **out)
{
    if (msg->body_len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *out = ofp_msg_start(msg->type, msg->version, msg->xid, 0);
    return *out ? 0 : OFPERR_OFPBRC_BAD_TYPE;
}

/* The counters, the second line indented by 'indent' spaces. */
static void
put_ipfix_counters(struct ds *s, const struct ofp_ipfix_stats *st, int indent)
{
    ds_put_format(s,
                  "flows=%" PRIu64 ", current flows=%" PRIu64
                  ", sampled pkts=%" PRIu64 ", ipv4 ok=%" PRIu64
                  ", ipv6 ok=%" PRIu64 ", tx pkts=%" PRIu64 "\n",
                  st->total_flows, st->current_flows, st->pkts, st->ipv4_pkts,
                  st->ipv6_pkts, st->tx_pkts);
    ds_put_format(s,
                  "%*spkts errs=%" PRIu64 ", ipv4 errs=%" PRIu64
                  ", ipv6 errs=%" PRIu64 ", tx errs=%" PRIu64,
                  indent, "", st->error_pkts, st->ipv4_error_pkts,
                  st->ipv6_error_pkts, st->tx_errors);
}

static enum ofperr
print_ipfix_reply(struct ds *s, const struct ofp_msg *msg,
                  const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    bool bridge = msg->type == OFPTYPE_NXST_IPFIX_BRIDGE_REPLY;
    struct ofp_ipfix_stats st;
    struct ofp_reader r;
    int error;

    if (!bridge) {
        ds_put_format(s, " %zu ids", msg->body_len / 88);
    }
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_ipfix_stats_decode_next(&r, &st))) {
        if (bridge) {
            ds_put_cstr(s, "\n  bridge ipfix: ");
            put_ipfix_counters(s, &st, 16);
        } else {
            ds_put_format(s, "\n  id %3" PRIu32 ": ", st.collector_set_id);
            put_ipfix_counters(s, &st, 10);
        }
    }
    return error == EOF ? 0 : (enum ofperr)error;
}

OFP_PRINT_MP_ENTRY(ipfix, ofp_ipfix_stats_decode_next, ofp_ipfix_stats_append)

static enum ofperr
reencode_ipfix_reply(const struct ofp_msg *msg, struct ofpbuf **out)
{
    enum ofptype req = msg->type == OFPTYPE_NXST_IPFIX_BRIDGE_REPLY
                           ? OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST
                           : OFPTYPE_NXST_IPFIX_FLOW_REQUEST;
    return ofp_print_reencode_mp_reply(msg, req, ipfix_next, ipfix_append,
                                       sizeof(struct ofp_ipfix_stats), out);
}

/* Group features reply. */

/* Action names in the order ovs-ofctl lists them, with their OFPAT_* bit
 * in 1.0 and in 1.3+ (-1: none). */
static const struct {
    const char *name;
    int8_t bit10, bit13;
} group_actions[] = {
    {"output", 0, 0},         {"group", -1, 22},
    {"enqueue", 11, -1},      {"set_field", -1, 25},
    {"set_vlan_vid", 1, -1},  {"set_vlan_pcp", 2, -1},
    {"strip_vlan", 3, 18},    {"push_vlan", -1, 17},
    {"mod_dl_src", 4, -1},    {"mod_dl_dst", 5, -1},
    {"mod_nw_src", 6, -1},    {"mod_nw_dst", 7, -1},
    {"mod_nw_tos", 8, -1},    {"mod_nw_ttl", -1, 23},
    {"mod_tp_src", 9, -1},    {"mod_tp_dst", 10, -1},
    {"dec_ttl", -1, 24},      {"set_mpls_ttl", -1, 15},
    {"dec_mpls_ttl", -1, 16}, {"push_mpls", -1, 19},
    {"pop_mpls", -1, 20},     {"set_queue", -1, 21},
};

static void
put_group_actions(struct ds *s, uint32_t bits, enum ofp_version version)
{
    bool any = false;
    ds_put_cstr(s, "       actions:");
    for (size_t i = 0; i < ARRAY_SIZE(group_actions); i++) {
        int bit = version == OFP10_VERSION ? group_actions[i].bit10
                                           : group_actions[i].bit13;
        if (bit >= 0 && bits & (1u << bit)) {
            ds_put_format(s, " %s", group_actions[i].name);
            any = true;
        }
    }
    ds_put_cstr(s, any ? "\n" : " <none>\n");
}

static enum ofperr
print_group_features(struct ds *s, const struct ofp_msg *msg,
                     const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const names[] = {"all", "select", "indirect",
                                        "fast failover"};
    struct ofp_group_features gf;
    enum ofperr error = ofp_group_features_decode(msg, &gf);
    if (error) {
        return error;
    }
    ds_put_format(s,
                  "\n Group table:\n    Types:  0x%" PRIx32
                  "\n    Capabilities:  0x%" PRIx32 "\n",
                  gf.types, gf.capabilities);
    for (int i = 0; i < 4; i++) {
        if (gf.types & (1u << i)) {
            ds_put_format(s, "    %s group:\n", names[i]);
            ds_put_cstr(s, "       max_groups=");
            ds_put_format(s, gf.max_groups[i] ? "%#" PRIx32 "\n" : "0\n",
                          gf.max_groups[i]);
            put_group_actions(s, gf.actions[i], msg->version);
        }
    }
    ds_chomp(s, '\n');
    return 0;
}

static enum ofperr
reencode_group_features(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_group_features gf;
    enum ofperr error = ofp_group_features_decode(msg, &gf);
    if (!error) {
        struct ofp_msg req =
            ofp_print_fake_request(msg, OFPTYPE_GROUP_FEATURES_STATS_REQUEST);
        *out = ofp_group_features_encode(&gf, &req);
    }
    return error;
}

/* NXT_FLOW_REMOVED. */

static enum ofperr
print_nx_flow_removed(struct ds *s, const struct ofp_msg *msg,
                      const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_removed fr;
    struct ofp_nxm_raw raw;
    enum ofperr error = ofp_nx_flow_removed_decode(msg, &fr, &raw);
    if (error) {
        return error;
    }
    ds_put_char(s, ' ');
    match_format(&fr.match, ctx->names, fr.priority, s);
    ds_put_format(s, " reason=%s table_id=%" PRIu8,
                  ofp_print_flow_removed_reason(fr.reason), fr.table_id);
    ofp_print_flow_removed_stats(s, &fr);
    return 0;
}

static enum ofperr
reencode_nx_flow_removed(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_flow_removed fr;
    struct ofp_nxm_raw raw;
    enum ofperr error = ofp_nx_flow_removed_decode(msg, &fr, &raw);
    if (!error) {
        *out = ofp_nx_flow_removed_encode(&fr, &raw, msg->version, msg->xid);
    }
    return error;
}

/* NXT_FLOW_MOD: printed as FLOW_MOD; from verbosity 3 on, the match is the
 * raw NXM ("NXM_NX_REG0(0000007b)") and a priority other than the default
 * follows it as "pri:N". */

/* Appends what ofp_print_put_flow_mod() prints for 'fm' after the command,
 * without the trailing "actions=drop" when 'no_actions'. */
static void
put_flow_mod_part(struct ds *s, const struct ofp_flow_mod *fm,
                  const struct ofp_msg *msg, const struct ofp_print_ctx *ctx,
                  bool no_actions)
{
    struct ds part = DS_EMPTY;
    ofp_print_put_flow_mod(&part, fm, msg->version, ctx);
    size_t skip = 1 + strlen(ofp_flow_mod_command_to_string(fm->command));
    size_t len = part.length;
    if (no_actions && len >= skip + strlen("actions=drop")) {
        len -= strlen("actions=drop");
        if (len > skip && ds_cstr(&part)[len - 1] == ' ') {
            len--;
        }
    }
    if (len > skip) {
        ds_put_format(s, "%.*s", (int)(len - skip), ds_cstr(&part) + skip);
    }
    ds_destroy(&part);
}

static enum ofperr
print_nx_flow_mod(struct ds *s, const struct ofp_msg *msg,
                  const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_mod fm;
    struct ofp_nxm_raw raw;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_nx_flow_mod_decode(msg, &fm, &raw, &ofpacts);
    if (!error && ctx->verbosity < 3) {
        ofp_print_put_flow_mod(s, &fm, msg->version, ctx);
    } else if (!error) {
        /* " CMD [table:N] NXM cookie idle hard [pri:N] the rest". */
        struct ofp_flow_mod head = fm, tail = fm;
        match_init_catchall(&head.match);
        head.priority = OFP_DEFAULT_PRIORITY;
        head.buffer_id = OFP_NO_BUFFER;
        head.out_port = OFPP_ANY;
        head.out_group = OFPG_ANY;
        head.flags = 0;
        head.ofpacts_len = 0;
        tail.match = head.match;
        tail.priority = OFP_DEFAULT_PRIORITY;
        tail.table_id = 0;
        tail.new_cookie = tail.cookie = tail.cookie_mask = 0;
        tail.idle_timeout = tail.hard_timeout = 0;

        struct ds part = DS_EMPTY;
        put_flow_mod_part(&part, &head, msg, ctx, true);
        /* The table, if any, precedes the match; the rest follows it. */
        const char *p = ds_cstr(&part);
        size_t table_len =
            !strncmp(p, " table:", 7) ? strcspn(p + 1, " ") + 1 : 0;
        ds_put_format(s, " %s%.*s ",
                      ofp_flow_mod_command_to_string(fm.command),
                      (int)table_len, p);
        ofp_nxm_format_raw(raw.data, raw.len, s);
        ds_put_cstr(s, p + table_len);
        if (fm.priority != OFP_DEFAULT_PRIORITY) {
            ds_put_format(s, " pri:%d", fm.priority);
        }
        ds_destroy(&part);
        put_flow_mod_part(s, &tail, msg, ctx, false);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

static enum ofperr
reencode_nx_flow_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_flow_mod fm;
    struct ofp_nxm_raw raw;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_nx_flow_mod_decode(msg, &fm, &raw, &ofpacts);
    if (!error) {
        *out = ofp_nx_flow_mod_encode(&fm, &raw, msg->version, msg->xid);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

/* NXST_FLOW reply: entries printed as OFPST_FLOW's. */

struct nx_flow_entry {
    struct ofp_flow_stats fs;
    struct ofp_nxm_raw raw;
};

static int
nx_flow_next(struct ofp_reader *r, const struct ofp_msg *msg TERN_UNUSED,
             void *entry, struct ofpbuf *scratch)
{
    struct nx_flow_entry *e = entry;
    return ofp_nx_flow_stats_decode_next(r, &e->fs, &e->raw, scratch);
}

static enum ofperr
print_nx_flow_reply(struct ds *s, const struct ofp_msg *msg,
                    const struct ofp_print_ctx *ctx)
{
    struct nx_flow_entry e;

    memset(&e, 0, sizeof e);
    return ofp_print_flow_entries(s, msg, ctx, nx_flow_next, &e, &e.fs);
}

static void
nx_flow_append(const void *entry, struct ofp_mp_reply *mp)
{
    const struct nx_flow_entry *e = entry;
    ofp_nx_flow_stats_append(&e->fs, &e->raw, mp);
}

static enum ofperr
reencode_nx_flow_reply(const struct ofp_msg *msg, struct ofpbuf **out)
{
    return ofp_print_reencode_mp_reply(msg, OFPTYPE_NXST_FLOW_REQUEST,
                                       nx_flow_next, nx_flow_append,
                                       sizeof(struct nx_flow_entry), out);
}

/* NXT_PACKET_IN: the pipeline fields are the whole match, printed as
 * ovs-ofctl prints a match. */

static enum ofperr
print_nx_packet_in(struct ds *s, const struct ofp_msg *msg,
                   const struct ofp_print_ctx *ctx)
{
    struct ofp_packet_in pin;
    struct ofp_nxm_raw raw;
    enum ofperr error = ofp_nx_packet_in_decode(msg, &pin, &raw);
    if (error) {
        return error;
    }
    ofp_print_packet_in_head(s, &pin, true);
    match_format(&pin.match, ctx->names, -1, s);
    ofp_print_packet_in_via(s, &pin);
    ofp_print_packet_in_data(s, &pin, ctx, true);
    return 0;
}

static enum ofperr
reencode_nx_packet_in(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_packet_in pin;
    struct ofp_nxm_raw raw;
    enum ofperr error = ofp_nx_packet_in_decode(msg, &pin, &raw);
    if (!error) {
        *out = ofp_nx_packet_in_encode(&pin, &raw, msg->version, msg->xid);
    }
    return error;
}

/* NXT_PACKET_IN2 and NXT_RESUME. */

static enum ofperr
print_nx_packet_in2(struct ds *s, const struct ofp_msg *msg,
                    const struct ofp_print_ctx *ctx)
{
    struct ofp_nx_packet_in2 p2;
    enum ofperr error = ofp_nx_packet_in2_decode(msg, &p2);
    if (error) {
        return error;
    }
    const struct ofp_packet_in *pin = &p2.pin;
    ofp_print_packet_in_head(s, pin, true);
    match_format(&pin->match, ctx->names, -1, s);
    ds_chomp(s, ' ');
    ofp_print_packet_in_via(s, pin);
    if (p2.userdata_len) {
        ds_put_cstr(s, "\n userdata=");
        for (size_t i = 0; i < p2.userdata_len; i++) {
            ds_put_format(s, i ? ".%02x" : "%02x", p2.userdata[i]);
        }
    }
    ofp_print_packet_in_data(s, pin, ctx, false);
    return 0;
}

static enum ofperr
reencode_nx_packet_in2(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_nx_packet_in2 p2;
    enum ofperr error = ofp_nx_packet_in2_decode(msg, &p2);
    if (!error) {
        *out =
            ofp_nx_packet_in2_encode(msg->type, &p2, msg->version, msg->xid);
    }
    return error;
}

/* The table. */

#define P(TYPE, PRINT, REENCODE) [OFPTYPE_##TYPE] = {PRINT, REENCODE}
static const struct ofp_printer nx_printers[OFPTYPE_N_TYPES] = {
    P(NXT_CT_FLUSH, print_ct_flush, reencode_ct_flush),
    P(NXT_FLOW_REMOVED, print_nx_flow_removed, reencode_nx_flow_removed),
    P(NXT_PACKET_IN, print_nx_packet_in, reencode_nx_packet_in),
    P(NXT_PACKET_IN2, print_nx_packet_in2, reencode_nx_packet_in2),
    P(NXT_RESUME, print_nx_packet_in2, reencode_nx_packet_in2),
    P(NXST_IPFIX_BRIDGE_REQUEST, NULL, reencode_empty_request),
    P(NXST_IPFIX_FLOW_REQUEST, NULL, reencode_empty_request),
    P(NXST_IPFIX_BRIDGE_REPLY, print_ipfix_reply, reencode_ipfix_reply),
    P(NXST_IPFIX_FLOW_REPLY, print_ipfix_reply, reencode_ipfix_reply),
    P(GROUP_FEATURES_STATS_REPLY, print_group_features,
      reencode_group_features),
    P(NXT_FLOW_MOD, print_nx_flow_mod, reencode_nx_flow_mod),
    P(NXST_FLOW_REPLY, print_nx_flow_reply, reencode_nx_flow_reply),
    P(NXST_FLOW_MONITOR_REQUEST, ofp_print_flow_monitor_request,
      ofp_print_reencode_flow_monitor_request),
    P(NXST_FLOW_MONITOR_REPLY, ofp_print_flow_monitor_reply,
      ofp_print_reencode_flow_monitor_reply),
};
#undef P

const struct ofp_printer *
ofp_print_nx_printer(enum ofptype type)
{
    return &nx_printers[type];
}
