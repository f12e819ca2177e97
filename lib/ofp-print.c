/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print: OpenFlow messages as ovs-ofctl's ofp-print text, and the
 * decode-then-encode round trip the tests check.  See ofp-print.h.
 *
 * One table ('printers') gives, per message kind, the function that
 * prints its body and the function that re-encodes it; both call the
 * family modules' decoders and encoders and never parse the wire
 * themselves, except for the few bodies no family decodes (description
 * statistics, role status, queue configuration requests), which are read
 * here with the bounds-checked reader.
 */
#include <config.h>

#include "lib/ofp-print.h"
#include "lib/ofp-print-private.h"

#include <inttypes.h>
#include <stdlib.h>

#include "lib/flow.h"
#include "lib/ofp-actions.h"
#include "lib/ofp-bundle.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-meter.h"
#include "lib/ofp-msgs.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-packet.h"
#include "lib/ofp-port.h"
#include "lib/ofp-switch.h"

/* Hex dump. */

void
ofp_print_hex_dump(struct ds *out, const void *data_, size_t n)
{
    const uint8_t *data = data_;

    for (size_t ofs = 0; ofs < n; ofs += 16) {
        size_t line = MIN(16, n - ofs);

        ds_put_format(out, "%08zx  ", ofs);
        for (size_t i = 0; i < 16; i++) {
            if (i < line) {
                ds_put_format(out, "%02x%c", data[ofs + i],
                              i == 7 ? '-' : ' ');
            } else {
                ds_put_cstr(out, "   ");
            }
        }
        ds_put_char(out, '|');
        for (size_t i = 0; i < 16; i++) {
            int c = i < line ? data[ofs + i] : ' ';
            ds_put_char(out, c >= 32 && c < 127 ? c : '.');
        }
        ds_put_cstr(out, "|\n");
    }
}

/* Small shared formatters. */

const char *
ofp_role_to_string(uint32_t role)
{
    switch (role) {
    case OFPCR_ROLE_NOCHANGE:
        return "nochange";
    case OFPCR_ROLE_EQUAL:
        return "equal";
    case OFPCR_ROLE_MASTER:
        return "primary";
    case OFPCR_ROLE_SLAVE:
        return "secondary";
    default:
        return "<unknown>";
    }
}

const char *
ofp_flow_mod_command_to_string(int command)
{
    static const char *const names[] = {
        [OFPFC_ADD] = "ADD",
        [OFPFC_MODIFY] = "MOD",
        [OFPFC_MODIFY_STRICT] = "MOD_STRICT",
        [OFPFC_DELETE] = "DEL",
        [OFPFC_DELETE_STRICT] = "DEL_STRICT",
    };
    return command >= 0 && (size_t)command < ARRAY_SIZE(names) ? names[command]
                                                               : "cmd:?";
}

void
ofp_print_port(struct ds *s, uint32_t port, const struct ofp_print_ctx *ctx)
{
    ofp_port_format(port, ctx->names, s);
}

void
ofp_print_duration(struct ds *s, uint32_t sec, uint32_t nsec)
{
    ds_put_format(s, "%" PRIu32, sec);
    if (nsec > 0) {
        ds_put_format(s, ".%09" PRIu32, nsec);
        /* ovs-ofctl trims trailing zeros but keeps three digits. */
        while (s->length > 0 && s->string[s->length - 1] == '0' &&
               s->string[s->length - 4] != '.') {
            s->length--;
        }
        s->string[s->length] = '\0';
    }
    ds_put_char(s, 's');
}

/* A fake request, for the reply encoders that take one. */
struct ofp_msg
ofp_print_fake_request(const struct ofp_msg *msg, enum ofptype request_type)
{
    struct ofp_msg req = *msg;
    req.type = request_type;
    req.mp_flags = 0;
    return req;
}

/* Bodies that have no fields. */

static enum ofperr
reencode_empty(const struct ofp_msg *msg, struct ofpbuf **out)
{
    if (msg->body_len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *out = ofp_msg_start(msg->type, msg->version, msg->xid, 0);
    if (!*out) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    ofp_msg_finish(*out);
    return 0;
}

/* HELLO. */

static enum ofperr
print_hello(struct ds *s, const struct ofp_msg *msg,
            const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    uint32_t bitmap = ofp_hello_decode_versions(msg);
    bool first = true;

    ds_put_cstr(s, "\n version bitmap: ");
    for (int v = 0; v < 32; v++) {
        if (bitmap & (1u << v)) {
            ds_put_format(s, "%s0x%02x", first ? "" : ", ", v);
            first = false;
        }
    }
    return 0;
}

static enum ofperr
reencode_hello(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_hello hello;

    ofp_hello_decode(msg, &hello);
    *out = ofp_hello_encode_raw(&hello, msg->xid);
    return 0;
}

/* ERROR. */

static enum ofperr
print_error(struct ds *s, const struct ofp_msg *msg,
            const struct ofp_print_ctx *ctx)
{
    struct ofp_reader r;
    uint16_t type, code;

    ofp_reader_init(&r, msg->body, msg->body_len);
    if (!ofp_reader_be16(&r, &type) || !ofp_reader_be16(&r, &code)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    enum ofperr error = ofperr_from_type_code(msg->version, type, code);
    if (error) {
        ds_put_format(s, " %s\n", ofperr_get_name(error));
    } else {
        ds_put_format(
            s, " ***unknown error type %" PRIu16 " code %" PRIu16 "***\n",
            type, code);
    }
    if (type == 0 /* OFPET_HELLO_FAILED */ || !r.size) {
        ds_put_buffer(s, (const char *)r.data, r.size);
    } else {
        ofp_print(s, r.data, r.size, ctx->names, 1);
    }
    ds_chomp(s, '\n');
    return 0;
}

/* ECHO. */

static enum ofperr
print_echo(struct ds *s, const struct ofp_msg *msg,
           const struct ofp_print_ctx *ctx)
{
    ds_put_format(s, " %zu bytes of payload\n", msg->body_len);
    if (ctx->verbosity > 1) {
        ofp_print_hex_dump(s, msg->body, msg->body_len);
    }
    ds_chomp(s, '\n');
    return 0;
}

static enum ofperr
reencode_echo(const struct ofp_msg *msg, struct ofpbuf **out)
{
    if (msg->type == OFPTYPE_ECHO_REQUEST) {
        struct ofp_msg req = *msg;
        struct ofpbuf *reply = ofp_echo_reply_encode(&req);
        /* The reply has the request's payload: turn it back into a
         * request by its type byte (same layout in every version). */
        if (reply && reply->size >= sizeof(struct ofp_header)) {
            reply->data[1] = msg->oh->type;
        }
        *out = reply;
    } else {
        struct ofp_msg req = ofp_print_fake_request(msg, OFPTYPE_ECHO_REQUEST);
        *out = ofp_echo_reply_encode(&req);
    }
    return *out ? 0 : OFPERR_OFPBRC_BAD_TYPE;
}

/* FEATURES_REPLY. */

static void
put_capabilities(struct ds *s, enum ofp_version v, uint32_t caps)
{
    static const char *const of10[32] = {
        "FLOW_STATS", "TABLE_STATS", "PORT_STATS",  "STP",
        NULL,         "IP_REASM",    "QUEUE_STATS", "ARP_MATCH_IP",
    };
    static const char *const of13[32] = {
        "FLOW_STATS",   "TABLE_STATS", "PORT_STATS",      "GROUP_STATS",
        NULL,           "IP_REASM",    "QUEUE_STATS",     NULL,
        "PORT_BLOCKED", "BUNDLES",     "FLOW_MONITORING",
    };
    const char *const *names = v == OFP10_VERSION ? of10 : of13;

    ds_put_cstr(s, "capabilities:");
    for (int i = 0; i < 32; i++) {
        if (caps & (1u << i)) {
            /* ovs-ofctl leaves out the bits it has no name for. */
            if (names[i]) {
                ds_put_format(s, " %s", names[i]);
            }
        }
    }
    ds_put_char(s, '\n');
}

static void
put_of10_actions(struct ds *s, uint32_t actions)
{
    /* In ovs-ofctl's order, each with its OpenFlow 1.0 bit. */
    static const struct {
        int bit;
        const char *name;
    } acts[] = {
        {0, "output"},       {11, "enqueue"},   {1, "set_vlan_vid"},
        {2, "set_vlan_pcp"}, {3, "strip_vlan"}, {4, "mod_dl_src"},
        {5, "mod_dl_dst"},   {6, "mod_nw_src"}, {7, "mod_nw_dst"},
        {8, "mod_nw_tos"},   {9, "mod_tp_src"}, {10, "mod_tp_dst"},
    };
    ds_put_cstr(s, "actions:");
    for (size_t i = 0; i < ARRAY_SIZE(acts); i++) {
        if (actions & (1u << acts[i].bit)) {
            ds_put_format(s, " %s", acts[i].name);
        }
    }
    ds_put_char(s, '\n');
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofp_phy_port *a = a_, *b = b_;
    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

/* Decodes all the ports in 'r' into a new array (caller frees); returns 0
 * or the decoder's error. */
int
ofp_print_decode_ports(struct ofp_reader *r, enum ofp_version v,
                       struct ofp_phy_port **portsp, size_t *np)
{
    struct ofp_phy_port *ports = NULL;
    size_t n = 0, allocated = 0;
    int error;

    for (;;) {
        if (n >= allocated) {
            allocated = allocated ? 2 * allocated : 8;
            ports = xrealloc(ports, allocated * sizeof *ports);
        }
        memset(&ports[n], 0, sizeof ports[n]);
        error = ofp_phy_port_decode_next(r, v, &ports[n]);
        if (error) {
            break;
        }
        if (v == OFP10_VERSION) {
            ports[n].state &= ~OFPPS_LIVE; /* 1.0 has no such bit. */
        }
        n++;
    }
    *portsp = ports;
    *np = n;
    return error == EOF ? 0 : error;
}

void
ofp_print_ports(struct ds *s, struct ofp_phy_port *ports, size_t n)
{
    qsort(ports, n, sizeof *ports, compare_ports);
    for (size_t i = 0; i < n; i++) {
        ofp_phy_port_format(&ports[i], s);
    }
}

static enum ofperr
print_features_reply(struct ds *s, const struct ofp_msg *msg,
                     const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_switch_features f;
    struct ofp_reader ports_r;
    struct ofp_phy_port *ports;
    size_t n;

    enum ofperr error = ofp_features_reply_decode(msg, &f, &ports_r);
    if (error) {
        return error;
    }
    int perr = ofp_print_decode_ports(&ports_r, msg->version, &ports, &n);
    if (perr) {
        free(ports);
        return perr > 0 && perr < (int)OFPERR_N_ERRORS ? (enum ofperr)perr
                                                       : OFPERR_OFPBRC_BAD_LEN;
    }
    ds_put_format(s, " dpid:%016" PRIx64 "\n", f.datapath_id);
    ds_put_format(s, "n_tables:%" PRIu8 ", n_buffers:%" PRIu32, f.n_tables,
                  f.n_buffers);
    if (f.auxiliary_id) {
        ds_put_format(s, ", auxiliary_id:%" PRIu8, f.auxiliary_id);
    }
    ds_put_char(s, '\n');
    put_capabilities(s, msg->version, f.capabilities);
    if (msg->version == OFP10_VERSION) {
        put_of10_actions(s, f.actions);
    }
    ofp_print_ports(s, ports, n);
    free(ports);
    ds_chomp(s, '\n');
    return 0;
}

static enum ofperr
reencode_features_reply(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_switch_features f;
    struct ofp_reader ports_r;
    struct ofp_phy_port *ports;
    size_t n;

    enum ofperr error = ofp_features_reply_decode(msg, &f, &ports_r);
    if (error) {
        return error;
    }
    int perr = ofp_print_decode_ports(&ports_r, msg->version, &ports, &n);
    if (perr) {
        free(ports);
        return OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofp_msg req = ofp_print_fake_request(msg, OFPTYPE_FEATURES_REQUEST);
    *out = ofp_features_reply_encode(&f, ports, n, &req);
    free(ports);
    return 0;
}

/* GET_CONFIG_REPLY, SET_CONFIG. */

static enum ofperr
print_switch_config(struct ds *s, const struct ofp_msg *msg,
                    const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const frags[] = {"normal", "drop", "reassemble",
                                        "nx-match"};
    struct ofp_switch_config sc;
    enum ofperr error = ofp_switch_config_decode(msg, &sc);
    if (error) {
        return error;
    }
    ds_put_format(s, " frags=%s", frags[sc.flags & OFPC_FRAG_MASK]);
    if (sc.flags & OFPC_INVALID_TTL_TO_CONTROLLER) {
        ds_put_cstr(s, " invalid_ttl_to_controller");
    }
    ds_put_format(s, " miss_send_len=%" PRIu16, sc.miss_send_len);
    return 0;
}

static enum ofperr
reencode_switch_config(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_switch_config sc;
    enum ofperr error = ofp_switch_config_decode(msg, &sc);
    if (!error) {
        *out =
            ofp_switch_config_encode(msg->type, &sc, msg->version, msg->xid);
    }
    return error;
}

/* The packet of a packet-in or packet-out as ovs-ofctl shows it: the flow
 * extracted from it, as a match on every field its headers have, and the
 * L4 checksum. */
void
ofp_print_packet(struct ds *s, const void *data, size_t len)
{
    static const enum mf_field_id l2[] = {MFF_ETH_SRC, MFF_ETH_DST};
    static const enum mf_field_id ip[] = {
        MFF_IPV4_SRC, MFF_IPV4_DST, MFF_IP_DSCP,  MFF_IP_ECN,
        MFF_IP_TTL,   MFF_IP_FRAG,  MFF_IP_PROTO,
    };
    static const enum mf_field_id tcp[] = {MFF_TCP_SRC, MFF_TCP_DST,
                                           MFF_TCP_FLAGS};
    static const enum mf_field_id udp[] = {MFF_UDP_SRC, MFF_UDP_DST};
    static const enum mf_field_id icmp[] = {MFF_ICMPV4_TYPE, MFF_ICMPV4_CODE};
    static const enum mf_field_id arp[] = {
        MFF_ARP_SPA, MFF_ARP_TPA, MFF_ARP_OP, MFF_ARP_SHA, MFF_ARP_THA};
    struct flow_key key;
    struct flow_offsets ofs;
    struct match m;

    flow_extract(data, len, NULL, &key, &ofs);
    match_init_catchall(&m);
    m.flow = key.flow;
    m.flow.in_port = 0;

    const enum mf_field_id *sets[4] = {l2, NULL, NULL, NULL};
    size_t n[4] = {ARRAY_SIZE(l2), 0, 0, 0};
    uint16_t dl_type = ntohs(key.flow.dl_type);
    if (dl_type == 0x0800) {
        sets[1] = ip;
        n[1] = ARRAY_SIZE(ip);
        if (key.flow.nw_proto == 6) {
            sets[2] = tcp;
            n[2] = ARRAY_SIZE(tcp);
        } else if (key.flow.nw_proto == 17) {
            sets[2] = udp;
            n[2] = ARRAY_SIZE(udp);
        } else if (key.flow.nw_proto == 1) {
            sets[2] = icmp;
            n[2] = ARRAY_SIZE(icmp);
        }
    } else if (dl_type == 0x0806 || dl_type == 0x8035) {
        sets[1] = arp;
        n[1] = ARRAY_SIZE(arp);
    }
    union mf_value v;
    const struct mf_field *mf = mf_from_id(MFF_ETH_TYPE);
    mf_get_value(mf, &key.flow, &v);
    mf_set_match(mf, &v, NULL, &m);
    /* The whole outer TCI: "vlan_tci=0x0000" when untagged. */
    m.wc.masks.vlans[0].tci = 0xffff;
    for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
        for (size_t j = 0; j < n[i]; j++) {
            mf = mf_from_id(sets[i][j]);
            mf_get_value(mf, &key.flow, &v);
            mf_set_match(mf, &v, NULL, &m);
        }
    }
    ds_put_char(s, '\n');
    match_format(&m, NULL, -1, s);
    size_t csum_ofs = key.flow.nw_proto == 6 ? 16 : 6;
    if (dl_type == 0x0800 && ofs.l4 != FLOW_OFS_NONE &&
        (key.flow.nw_proto == 6 || key.flow.nw_proto == 17) &&
        ofs.l4 + csum_ofs + 2 <= len) {
        const uint8_t *p = (const uint8_t *)data + ofs.l4 + csum_ofs;
        ds_put_format(s, " %s_csum:%02x%02x",
                      key.flow.nw_proto == 6 ? "tcp" : "udp", p[0], p[1]);
    }
}

/* PACKET_IN. */

const char *
ofp_print_packet_in_reason(uint8_t reason)
{
    static const char *const names[] = {
        [OFPR_NO_MATCH] = "no_match",
        [OFPR_ACTION] = "action",
        [OFPR_INVALID_TTL] = "invalid_ttl",
        [OFPR_ACTION_SET] = "action_set",
        [OFPR_GROUP] = "group",
        [OFPR_PACKET_OUT] = "packet_out",
    };
    return reason < ARRAY_SIZE(names) ? names[reason] : "?";
}

void
ofp_print_packet_in_head(struct ds *s, const struct ofp_packet_in *pin,
                         bool ids)
{
    if (ids && pin->table_id) {
        ds_put_format(s, " table_id=%" PRIu8, pin->table_id);
    }
    if (ids && pin->cookie != UINT64_MAX) {
        ds_put_format(s, " cookie=0x%" PRIx64, pin->cookie);
    }
    ds_put_format(s, " total_len=%zu ", pin->total_len);
}

void
ofp_print_packet_in_via(struct ds *s, const struct ofp_packet_in *pin)
{
    ds_put_format(s, " (via %s) data_len=%zu",
                  ofp_print_packet_in_reason(pin->reason), pin->packet_len);
    if (pin->buffer_id == OFP_NO_BUFFER) {
        ds_put_cstr(s, " (unbuffered)");
    } else {
        ds_put_format(s, " buffer=0x%08" PRIx32, pin->buffer_id);
    }
}

void
ofp_print_packet_in_data(struct ds *s, const struct ofp_packet_in *pin,
                         const struct ofp_print_ctx *ctx, bool hex)
{
    if (ctx->verbosity > 0 && pin->packet_len) {
        ofp_print_packet(s, pin->packet, pin->packet_len);
    }
    if (hex && ctx->verbosity > 2) {
        ds_put_char(s, '\n');
        ofp_print_hex_dump(s, pin->packet, pin->packet_len);
        ds_chomp(s, '\n');
    }
}

static enum ofperr
print_packet_in(struct ds *s, const struct ofp_msg *msg,
                const struct ofp_print_ctx *ctx)
{
    struct ofp_packet_in pin;
    enum ofperr error = ofp_packet_in_decode(msg, &pin);
    if (error) {
        return error;
    }
    ofp_print_packet_in_head(s, &pin, msg->version >= OFP13_VERSION);
    /* The pipeline fields: in_port first as ovs-ofctl prints it. */
    ds_put_cstr(s, "in_port=");
    ofp_print_port(s, pin.match.flow.in_port, ctx);
    ofp_print_packet_in_via(s, &pin);
    ofp_print_packet_in_data(s, &pin, ctx, true);
    return 0;
}

static enum ofperr
reencode_packet_in(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_packet_in pin;
    enum ofperr error = ofp_packet_in_decode(msg, &pin);
    if (!error) {
        *out = ofp_packet_in_encode(&pin, msg->version, msg->xid);
    }
    return error;
}

/* FLOW_REMOVED. */

const char *
ofp_print_flow_removed_reason(uint8_t reason)
{
    static const char *const names[] = {
        [OFPRR_IDLE_TIMEOUT] = "idle",
        [OFPRR_HARD_TIMEOUT] = "hard",
        [OFPRR_DELETE] = "delete",
        [OFPRR_GROUP_DELETE] = "group_delete",
        [OFPRR_METER_DELETE] = "meter_delete",
        [OFPRR_EVICTION] = "eviction",
    };
    return reason < ARRAY_SIZE(names) ? names[reason] : "?";
}

static enum ofperr
print_flow_removed(struct ds *s, const struct ofp_msg *msg,
                   const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_removed fr;
    enum ofperr error = ofp_flow_removed_decode(msg, &fr);
    if (error) {
        return error;
    }
    ds_put_char(s, ' ');
    match_format(&fr.match, ctx->names, fr.priority, s);
    ds_put_format(s, " reason=%s", ofp_print_flow_removed_reason(fr.reason));
    if (msg->version != OFP10_VERSION) {
        ds_put_format(s, " table_id=%" PRIu8, fr.table_id);
    }
    ofp_print_flow_removed_stats(s, &fr);
    return 0;
}

void
ofp_print_flow_removed_stats(struct ds *s, const struct ofp_flow_removed *fr)
{
    if (fr->cookie) {
        ds_put_format(s, " cookie:0x%" PRIx64, fr->cookie);
    }
    ds_put_cstr(s, " duration");
    ofp_print_duration(s, fr->duration_sec, fr->duration_nsec);
    ds_put_format(s, " idle%" PRIu16, fr->idle_timeout);
    if (fr->hard_timeout) {
        ds_put_format(s, " hard%" PRIu16, fr->hard_timeout);
    }
    ds_put_format(s, " pkts%" PRIu64 " bytes%" PRIu64, fr->packet_count,
                  fr->byte_count);
}

static enum ofperr
reencode_flow_removed(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_flow_removed fr;
    enum ofperr error = ofp_flow_removed_decode(msg, &fr);
    if (!error) {
        *out = ofp_flow_removed_encode(&fr, msg->version, msg->xid);
    }
    return error;
}

/* PORT_STATUS. */

static enum ofperr
print_port_status(struct ds *s, const struct ofp_msg *msg,
                  const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const reasons[] = {"ADD", "DEL", "MOD"};
    struct ofp_phy_port port;
    uint8_t reason;

    memset(&port, 0, sizeof port);
    enum ofperr error = ofp_port_status_decode(msg, &reason, &port);
    if (error) {
        return error;
    }
    if (msg->version == OFP10_VERSION) {
        port.state &= ~OFPPS_LIVE; /* 1.0 has no such bit. */
    }
    if (reason < ARRAY_SIZE(reasons)) {
        ds_put_format(s, " %s:", reasons[reason]);
    } else {
        ds_put_format(s, " reason %" PRIu8 ":", reason);
    }
    ofp_phy_port_format(&port, s);
    ds_chomp(s, '\n');
    return 0;
}

static enum ofperr
reencode_port_status(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_phy_port port;
    uint8_t reason;

    memset(&port, 0, sizeof port);
    enum ofperr error = ofp_port_status_decode(msg, &reason, &port);
    if (!error) {
        *out = ofp_port_status_encode(reason, &port, msg->version, msg->xid);
    }
    return error;
}

/* PACKET_OUT. */

static enum ofperr
print_packet_out(struct ds *s, const struct ofp_msg *msg,
                 const struct ofp_print_ctx *ctx)
{
    struct ofp_packet_out po;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_packet_out_decode(msg, &po, &ofpacts);
    if (!error) {
        ds_put_cstr(s, " in_port=");
        ofp_print_port(s, po.in_port, ctx);
        ds_put_cstr(s, " actions=");
        ofpacts_format(po.ofpacts, po.ofpacts_len, ctx->names, s);
        if (po.buffer_id == OFP_NO_BUFFER) {
            ds_put_format(s, " data_len=%zu", po.packet_len);
            if (ctx->verbosity > 0 && po.packet_len) {
                ofp_print_packet(s, po.packet, po.packet_len);
            }
            if (ctx->verbosity > 2) {
                ds_put_char(s, '\n');
                ofp_print_hex_dump(s, po.packet, po.packet_len);
                ds_chomp(s, '\n');
            }
        } else {
            ds_put_format(s, " buffer=0x%08" PRIx32, po.buffer_id);
        }
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

static enum ofperr
reencode_packet_out(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_packet_out po;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_packet_out_decode(msg, &po, &ofpacts);
    if (!error) {
        *out = ofp_packet_out_encode(&po, msg->version, msg->xid);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

/* FLOW_MOD. */

static void
put_flow_flags(struct ds *s, uint32_t flags)
{
    static const char *const names[] = {
        "send_flow_rem ",    "check_overlap ",  "reset_counts ",
        "no_packet_counts ", "no_byte_counts ", "emerg ",
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & (1u << i)) {
            ds_put_cstr(s, names[i]);
        }
    }
}

/* Appends the text of 'fm' as ovs-ofctl prints a flow mod's body. */
void
ofp_print_put_flow_mod(struct ds *s, const struct ofp_flow_mod *fm,
                       enum ofp_version version,
                       const struct ofp_print_ctx *ctx)
{
    ds_put_format(s, " %s", ofp_flow_mod_command_to_string(fm->command));
    if (fm->table_id != 0 &&
        (version != OFP10_VERSION || fm->table_id != OFPTT_ALL)) {
        if (fm->table_id == OFPTT_ALL) {
            ds_put_cstr(s, " table:all");
        } else {
            ds_put_format(s, " table:%" PRIu8, fm->table_id);
        }
    }
    ds_put_char(s, ' ');
    size_t start = s->length;
    match_format(&fm->match, ctx->names, fm->priority, s);
    if (s->length > start) {
        ds_put_char(s, ' ');
    }
    if (fm->command == OFPFC_ADD && fm->new_cookie != 0 &&
        fm->new_cookie != UINT64_MAX) {
        ds_put_format(s, "cookie:0x%" PRIx64 " ", fm->new_cookie);
    }
    if (fm->command != OFPFC_ADD && fm->cookie_mask) {
        ds_put_format(s, "cookie:0x%" PRIx64 "/0x%" PRIx64 " ", fm->cookie,
                      fm->cookie_mask);
    } else if (fm->command != OFPFC_ADD && version == OFP10_VERSION) {
        /* 1.0 has no cookie mask: the cookie sent is printed. */
        uint64_t c =
            fm->new_cookie != UINT64_MAX ? fm->new_cookie : fm->cookie;
        if (c) {
            ds_put_format(s, "cookie:0x%" PRIx64 " ", c);
        }
    }
    if (fm->idle_timeout) {
        ds_put_format(s, "idle:%" PRIu16 " ", fm->idle_timeout);
    }
    if (fm->hard_timeout) {
        ds_put_format(s, "hard:%" PRIu16 " ", fm->hard_timeout);
    }
    if (fm->importance) {
        ds_put_format(s, "importance:%" PRIu16 " ", fm->importance);
    }
    if (fm->buffer_id != OFP_NO_BUFFER) {
        ds_put_format(s, "buf:0x%" PRIx32 " ", fm->buffer_id);
    }
    if (fm->out_port != OFPP_ANY) {
        ds_put_cstr(s, "out_port:");
        ofp_print_port(s, fm->out_port, ctx);
        ds_put_char(s, ' ');
    }
    if (fm->out_group != OFPG_ANY) {
        ds_put_format(s, "out_group:%" PRIu32 " ", fm->out_group);
    }
    put_flow_flags(s, fm->flags);
    ds_put_cstr(s, "actions=");
    ofpacts_format(fm->ofpacts, fm->ofpacts_len, ctx->names, s);
}

static enum ofperr
print_flow_mod(struct ds *s, const struct ofp_msg *msg,
               const struct ofp_print_ctx *ctx)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_flow_mod_decode(msg, &fm, &ofpacts);
    if (!error) {
        ofp_print_put_flow_mod(s, &fm, msg->version, ctx);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

static enum ofperr
reencode_flow_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    enum ofperr error = ofp_flow_mod_decode(msg, &fm, &ofpacts);
    if (!error) {
        *out = ofp_flow_mod_encode(&fm, msg->version, msg->xid);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

/* GROUP_MOD. */

static enum ofperr
print_group_mod(struct ds *s, const struct ofp_msg *msg,
                const struct ofp_print_ctx *ctx)
{
    static const char *const cmds[] = {
        [OFPGC_ADD] = "ADD",
        [OFPGC_MODIFY] = "MOD",
        [OFPGC_DELETE] = "DEL",
        [OFPGC_INSERT_BUCKET] = "INSERT_BUCKET",
        [OFPGC_REMOVE_BUCKET] = "REMOVE_BUCKET",
    };
    struct ofp_group_mod gm;

    memset(&gm, 0, sizeof gm);
    enum ofperr error = ofp_group_mod_decode(msg, &gm);
    if (error) {
        return error;
    }
    const char *cmd =
        (size_t)gm.command < ARRAY_SIZE(cmds) ? cmds[gm.command] : NULL;
    ds_put_format(s, "\n %s ", cmd ? cmd : "cmd:?");
    ofp_group_desc_format(&gm, ctx->names, s);
    ofp_group_mod_uninit(&gm);
    return 0;
}

static enum ofperr
reencode_group_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_group_mod gm;

    memset(&gm, 0, sizeof gm);
    enum ofperr error = ofp_group_mod_decode(msg, &gm);
    if (!error) {
        *out = ofp_group_mod_encode(&gm, msg->version, msg->xid);
        ofp_group_mod_uninit(&gm);
    }
    return error;
}

/* PORT_MOD. */

static void
put_port_config(struct ds *s, uint32_t config)
{
    static const char *const names[] = {
        [0] = "PORT_DOWN",
        [2] = "NO_RECV",
        [5] = "NO_FWD",
        [6] = "NO_PACKET_IN",
    };
    if (!config) {
        ds_put_cstr(s, "0");
        return;
    }
    for (size_t i = 0; i < 32; i++) {
        if (config & (1u << i)) {
            if (i < ARRAY_SIZE(names) && names[i]) {
                ds_put_format(s, "%s ", names[i]);
            } else {
                ds_put_format(s, "0x%x ", 1u << i);
            }
        }
    }
    ds_chomp(s, ' ');
}

static void
put_port_features(struct ds *s, uint32_t features)
{
    static const char *const names[] = {
        "10MB-HD",  "10MB-FD",  "100MB-HD",   "100MB-FD",
        "1GB-HD",   "1GB-FD",   "10GB-FD",    "40GB-FD",
        "100GB-FD", "1TB-FD",   "OTHER",      "COPPER",
        "FIBER",    "AUTO_NEG", "AUTO_PAUSE", "AUTO_PAUSE_ASYM",
    };
    for (size_t i = 0; i < 32; i++) {
        if (features & (1u << i)) {
            if (i < ARRAY_SIZE(names)) {
                ds_put_format(s, "%s ", names[i]);
            } else {
                ds_put_format(s, "0x%x ", 1u << i);
            }
        }
    }
    ds_chomp(s, ' ');
}

static enum ofperr
print_port_mod(struct ds *s, const struct ofp_msg *msg,
               const struct ofp_print_ctx *ctx)
{
    struct ofp_port_mod pm;
    enum ofperr error = ofp_port_mod_decode(msg, &pm);
    if (error) {
        return error;
    }
    ds_put_cstr(s, " port: ");
    ofp_print_port(s, pm.port_no, ctx);
    ds_put_format(s, ": addr:" ETH_ADDR_FMT "\n", ETH_ADDR_ARGS(pm.hw_addr));
    ds_put_cstr(s, "     config: ");
    put_port_config(s, pm.config);
    ds_put_cstr(s, "\n     mask:   ");
    put_port_config(s, pm.mask);
    ds_put_cstr(s, "\n     advertise: ");
    if (pm.advertise) {
        put_port_features(s, pm.advertise);
    } else {
        ds_put_cstr(s, "UNCHANGED");
    }
    return 0;
}

static enum ofperr
reencode_port_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_port_mod pm;
    enum ofperr error = ofp_port_mod_decode(msg, &pm);
    if (!error) {
        *out = ofp_port_mod_encode(&pm, msg->version, msg->xid);
    }
    return error;
}

/* TABLE_MOD. */

static enum ofperr
print_table_mod(struct ds *s, const struct ofp_msg *msg,
                const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_table_mod_decode(msg, &tm);
    if (error) {
        return error;
    }
    if (tm.table_id == OFPTT_ALL) {
        ds_put_cstr(s, " table_id=all");
    } else {
        ds_put_format(s, " table_id=%" PRIu8, tm.table_id);
    }
    if (msg->version >= OFP14_VERSION) {
        ds_put_format(s, ", eviction=%s, vacancy=%s",
                      tm.config & 4 ? "on" : "off",
                      tm.config & 8 ? "on" : "off");
    }
    return 0;
}

static enum ofperr
reencode_table_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_table_mod_decode(msg, &tm);

    if (!error) {
        *out = ofp_table_mod_encode(&tm, msg->version, msg->xid);
    }
    return error;
}

/* METER_MOD. */

static enum ofperr
print_meter_mod(struct ds *s, const struct ofp_msg *msg,
                const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const cmds[] = {"ADD", "MOD", "DEL"};
    struct ofp_meter_mod mm;
    enum ofperr error = ofp_meter_mod_decode(msg, &mm);
    if (error) {
        return error;
    }
    ds_put_format(s, " %s ",
                  (size_t)mm.command < ARRAY_SIZE(cmds) ? cmds[mm.command]
                                                        : "cmd:?");
    ofp_meter_mod_format(&mm, s);
    return 0;
}

static enum ofperr
reencode_meter_mod(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_meter_mod mm;
    enum ofperr error = ofp_meter_mod_decode(msg, &mm);
    if (!error) {
        *out = ofp_meter_mod_encode(&mm, msg->version, msg->xid);
    }
    return error;
}

/* ROLE_REQUEST, ROLE_REPLY, NXT_ROLE_*, ROLE_STATUS. */

static enum ofperr
print_role(struct ds *s, const struct ofp_msg *msg,
           const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    struct ofp_role_request rr;
    enum ofperr error = ofp_role_request_decode(msg, &rr);
    if (error) {
        return error;
    }
    ds_put_format(s, " role=%s", ofp_role_to_string(rr.role));
    if (rr.have_generation_id) {
        ds_put_format(s, " generation_id=%" PRIu64, rr.generation_id);
    }
    return 0;
}

static enum ofperr
reencode_role(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_role_request rr;
    enum ofperr error = ofp_role_request_decode(msg, &rr);
    if (error) {
        return error;
    }
    if (msg->type == OFPTYPE_ROLE_REQUEST) {
        *out = ofp_role_request_encode(&rr, msg->version, msg->xid);
    } else if (msg->type == OFPTYPE_NXT_ROLE_REQUEST) {
        /* The NXT request and reply share a layout: write the reply and
         * give it the request's subtype. */
        struct ofp_msg req = *msg;
        *out = ofp_role_reply_encode(&rr, &req);
        if (*out && (*out)->size == msg->len) {
            (*out)->data[15] = ((const uint8_t *)msg->oh)[15];
        }
    } else {
        struct ofp_msg req = ofp_print_fake_request(msg, OFPTYPE_ROLE_REQUEST);
        *out = ofp_role_reply_encode(&rr, &req);
    }
    return *out ? 0 : OFPERR_OFPBRC_BAD_TYPE;
}

/* Role status: role (4), reason (1), pad (3), generation id (8). */
static enum ofperr
decode_role_status(const struct ofp_msg *msg, struct ofp_role_request *rr,
                   uint8_t *reason)
{
    struct ofp_reader r;
    uint32_t role;
    const uint8_t *rs;
    uint64_t gen;

    ofp_reader_init(&r, msg->body, msg->body_len);
    if (!ofp_reader_be32(&r, &role) || !(rs = ofp_reader_pull(&r, 4)) ||
        !ofp_reader_be64(&r, &gen)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rr->role = role;
    rr->generation_id = gen;
    rr->have_generation_id = gen != UINT64_MAX;
    *reason = rs[0];
    return 0;
}

static enum ofperr
print_role_status(struct ds *s, const struct ofp_msg *msg,
                  const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const reasons[] = {"primary_request",
                                          "configuration_changed",
                                          "experimenter_data_changed"};
    struct ofp_role_request rr;
    uint8_t reason;
    enum ofperr error = decode_role_status(msg, &rr, &reason);
    if (error) {
        return error;
    }
    ds_put_format(s, " role=%s", ofp_role_to_string(rr.role));
    if (rr.have_generation_id) {
        ds_put_format(s, " generation_id=%" PRIu64, rr.generation_id);
    }
    ds_put_format(s, " reason=%s",
                  reason < ARRAY_SIZE(reasons) ? reasons[reason] : "?");
    return 0;
}

static enum ofperr
reencode_role_status(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_role_request rr;
    uint8_t reason;
    enum ofperr error = decode_role_status(msg, &rr, &reason);
    if (!error) {
        *out = ofp_role_status_encode(&rr, reason, msg->version);
        if (*out && (*out)->size >= sizeof(struct ofp_header)) {
            tern_be32 xid = htonl(msg->xid);
            memcpy((*out)->data + 4, &xid, 4);
        }
    }
    return error;
}

/* GET_ASYNC_REPLY, SET_ASYNC_CONFIG. */

static void
put_async_bits(struct ds *s, const char *title, uint32_t bits,
               const char *const *names, size_t n_names)
{
    ds_put_format(s, "%16s:", title);
    if (!bits) {
        ds_put_cstr(s, " (off)");
    }
    for (size_t i = 0; i < 32; i++) {
        if (bits & (1u << i)) {
            if (i < n_names && names[i]) {
                ds_put_format(s, " %s", names[i]);
            }
        }
    }
    ds_put_char(s, '\n');
}

static enum ofperr
print_async_config(struct ds *s, const struct ofp_msg *msg,
                   const struct ofp_print_ctx *ctx TERN_UNUSED)
{
    static const char *const pin[] = {"no_match",   "action", "invalid_ttl",
                                      "action_set", "group",  "packet_out"};
    static const char *const ps[] = {"add", "delete", "modify"};
    static const char *const fr[] = {
        "idle", "hard", "delete", "group_delete", "meter_delete", "eviction"};
    static const char *const roles[] = {"primary_request",
                                        "configuration_changed",
                                        "experimenter_data_changed"};
    static const char *const ts[] = {NULL, NULL, NULL, "vacancy_down",
                                     "vacancy_up"};
    static const char *const rf[] = {"group_mod", "meter_mod"};
    struct ofp_async_config ac;

    memset(&ac, 0, sizeof ac);
    enum ofperr error = ofp_async_config_decode(msg, &ac);
    if (error) {
        return error;
    }
    ds_put_char(s, '\n');
    for (int i = 0; i < 2; i++) {
        ds_put_cstr(s, i ? "\n secondary:\n" : " primary:\n");
        put_async_bits(s, "PACKET_IN", ac.packet_in[i], pin, ARRAY_SIZE(pin));
        put_async_bits(s, "PORT_STATUS", ac.port_status[i], ps,
                       ARRAY_SIZE(ps));
        put_async_bits(s, "FLOW_REMOVED", ac.flow_removed[i], fr,
                       ARRAY_SIZE(fr));
        put_async_bits(s, "ROLE_STATUS", ac.role_status[i], roles,
                       ARRAY_SIZE(roles));
        put_async_bits(s, "TABLE_STATUS", ac.table_status[i], ts,
                       ARRAY_SIZE(ts));
        put_async_bits(s, "REQUESTFORWARD", ac.requestforward[i], rf,
                       ARRAY_SIZE(rf));
    }
    /* The header line's "\n" and the title widths: ovs-ofctl right-aligns
     * the names under a one-space indent. */
    ds_chomp(s, '\n');
    return 0;
}

static enum ofperr
reencode_async_config(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_async_config ac;

    memset(&ac, 0, sizeof ac);
    enum ofperr error = ofp_async_config_decode(msg, &ac);
    if (!error) {
        *out = ofp_async_config_encode(msg->type, &ac, msg->version, msg->xid);
    }
    return error;
}

/* REQUESTFORWARD: a group or meter mod, printed and re-encoded by its
 * own row of the table. */

static const struct ofp_printer printers[OFPTYPE_N_TYPES];

/* The row for 'type': this file's table, else the Nicira one. */
static const struct ofp_printer *
find_printer(enum ofptype type)
{
    const struct ofp_printer *pr = &printers[type];
    return pr->print || pr->reencode ? pr : ofp_print_nx_printer(type);
}

static enum ofperr
print_requestforward(struct ds *s, const struct ofp_msg *msg,
                     const struct ofp_print_ctx *ctx)
{
    struct ofp_msg inner;
    enum ofperr error = ofp_requestforward_decode(msg, &inner);

    if (error) {
        return error;
    }
    ds_put_format(s, " reason=%s",
                  inner.type == OFPTYPE_METER_MOD ? "meter_mod" : "group_mod");
    return find_printer(inner.type)->print(s, &inner, ctx);
}

static enum ofperr
reencode_requestforward(const struct ofp_msg *msg, struct ofpbuf **out)
{
    struct ofp_msg inner;
    struct ofpbuf *b;
    enum ofperr error = ofp_requestforward_decode(msg, &inner);

    if (!error) {
        error = ofp_msg_reencode(inner.oh, inner.len, &b);
    }
    if (!error) {
        *out = ofp_requestforward_encode(msg->type, b->data, b->size,
                                         msg->version, msg->xid);
        ofpbuf_delete(b);
    }
    return error;
}

/* The table of printers. */

#define P(TYPE, PRINT, REENCODE) [OFPTYPE_##TYPE] = {PRINT, REENCODE}
static const struct ofp_printer printers[OFPTYPE_N_TYPES] = {
    P(HELLO, print_hello, reencode_hello),
    P(ERROR, print_error, NULL),
    P(ECHO_REQUEST, print_echo, reencode_echo),
    P(ECHO_REPLY, print_echo, reencode_echo),
    P(FEATURES_REQUEST, NULL, reencode_empty),
    P(FEATURES_REPLY, print_features_reply, reencode_features_reply),
    P(GET_CONFIG_REQUEST, NULL, reencode_empty),
    P(GET_CONFIG_REPLY, print_switch_config, reencode_switch_config),
    P(SET_CONFIG, print_switch_config, reencode_switch_config),
    P(PACKET_IN, print_packet_in, reencode_packet_in),
    P(FLOW_REMOVED, print_flow_removed, reencode_flow_removed),
    P(PORT_STATUS, print_port_status, reencode_port_status),
    P(PACKET_OUT, print_packet_out, reencode_packet_out),
    P(FLOW_MOD, print_flow_mod, reencode_flow_mod),
    P(GROUP_MOD, print_group_mod, reencode_group_mod),
    P(NXT_GROUP_MOD, print_group_mod, reencode_group_mod),
    P(PORT_MOD, print_port_mod, reencode_port_mod),
    P(TABLE_MOD, print_table_mod, reencode_table_mod),
    P(METER_MOD, print_meter_mod, reencode_meter_mod),
    P(BARRIER_REQUEST, NULL, reencode_empty),
    P(BARRIER_REPLY, NULL, reencode_empty),
    P(QUEUE_GET_CONFIG_REQUEST, ofp_print_queue_get_config_request,
      ofp_print_reencode_queue_config_request),
    P(QUEUE_GET_CONFIG_REPLY, ofp_print_queue_config_reply,
      ofp_print_reencode_queue_config_reply),
    P(ROLE_REQUEST, print_role, reencode_role),
    P(ROLE_REPLY, print_role, reencode_role),
    P(NXT_ROLE_REQUEST, print_role, reencode_role),
    P(NXT_ROLE_REPLY, print_role, reencode_role),
    P(ROLE_STATUS, print_role_status, reencode_role_status),
    P(REQUESTFORWARD, print_requestforward, reencode_requestforward),
    P(NXT_REQUESTFORWARD, print_requestforward, reencode_requestforward),
    P(NXT_SET_FLOW_FORMAT, ofp_print_nx_value, ofp_print_reencode_nx_value),
    P(NXT_SET_PACKET_IN_FORMAT, ofp_print_nx_value,
      ofp_print_reencode_nx_value),
    P(NXT_FLOW_MOD_TABLE_ID, ofp_print_nx_value, ofp_print_reencode_nx_value),
    P(NXT_SET_CONTROLLER_ID, ofp_print_nx_value, ofp_print_reencode_nx_value),
    P(NXT_CT_FLUSH_ZONE, ofp_print_nx_value, ofp_print_reencode_nx_value),
    P(NXT_FLOW_MONITOR_CANCEL, ofp_print_nx_value,
      ofp_print_reencode_nx_value),
    P(NXT_FLOW_MONITOR_PAUSED, NULL, reencode_empty),
    P(NXT_FLOW_MONITOR_RESUMED, NULL, reencode_empty),
    P(GET_ASYNC_REQUEST, NULL, reencode_empty),
    P(GET_ASYNC_REPLY, print_async_config, reencode_async_config),
    P(SET_ASYNC_CONFIG, print_async_config, reencode_async_config),
    P(NXT_SET_ASYNC_CONFIG, print_async_config, reencode_async_config),
    P(BUNDLE_CONTROL, ofp_print_bundle_ctrl, ofp_reencode_bundle_ctrl),
    P(BUNDLE_ADD_MESSAGE, ofp_print_bundle_add, ofp_reencode_bundle_add),
    P(DESC_STATS_REQUEST, NULL, reencode_empty),
    P(DESC_STATS_REPLY, ofp_print_desc_reply, ofp_print_reencode_desc_reply),
    P(FLOW_STATS_REQUEST, ofp_print_flow_stats_request,
      ofp_print_reencode_flow_stats_request),
    P(FLOW_STATS_REPLY, ofp_print_flow_stats_reply,
      ofp_print_reencode_flow_stats_reply),
    P(AGGREGATE_STATS_REQUEST, ofp_print_flow_stats_request,
      ofp_print_reencode_flow_stats_request),
    P(AGGREGATE_STATS_REPLY, ofp_print_aggregate_reply,
      ofp_print_reencode_aggregate_reply),
    P(NXST_FLOW_REQUEST, ofp_print_flow_stats_request,
      ofp_print_reencode_flow_stats_request),
    P(NXST_AGGREGATE_REQUEST, ofp_print_flow_stats_request,
      ofp_print_reencode_flow_stats_request),
    P(NXST_AGGREGATE_REPLY, ofp_print_aggregate_reply,
      ofp_print_reencode_aggregate_reply),
    P(TABLE_STATS_REQUEST, NULL, reencode_empty),
    P(TABLE_STATS_REPLY, ofp_print_table_stats_reply,
      ofp_print_reencode_table_stats_reply),
    P(PORT_STATS_REQUEST, ofp_print_port_request,
      ofp_print_reencode_port_request),
    P(PORT_STATS_REPLY, ofp_print_port_stats_reply,
      ofp_print_reencode_port_stats_reply),
    P(QUEUE_STATS_REQUEST, ofp_print_queue_stats_request,
      ofp_print_reencode_queue_request),
    P(QUEUE_STATS_REPLY, ofp_print_queue_stats_reply,
      ofp_print_reencode_queue_stats_reply),
    P(QUEUE_DESC_STATS_REQUEST, ofp_print_queue_stats_request,
      ofp_print_reencode_queue_request),
    P(QUEUE_DESC_STATS_REPLY, ofp_print_queue_config_reply,
      ofp_print_reencode_queue_config_reply),
    P(GROUP_STATS_REQUEST, ofp_print_group_request,
      ofp_print_reencode_group_request),
    P(GROUP_STATS_REPLY, ofp_print_group_stats_reply,
      ofp_print_reencode_group_stats_reply),
    P(GROUP_DESC_STATS_REQUEST, ofp_print_group_request,
      ofp_print_reencode_group_request),
    P(GROUP_DESC_STATS_REPLY, ofp_print_group_desc_reply,
      ofp_print_reencode_group_desc_reply),
    P(GROUP_FEATURES_STATS_REQUEST, NULL, reencode_empty),
    P(METER_STATS_REQUEST, ofp_print_meter_request,
      ofp_print_reencode_meter_request),
    P(METER_STATS_REPLY, ofp_print_meter_stats_reply,
      ofp_print_reencode_meter_stats_reply),
    P(METER_CONFIG_STATS_REQUEST, ofp_print_meter_request,
      ofp_print_reencode_meter_request),
    P(METER_CONFIG_STATS_REPLY, ofp_print_meter_config_reply,
      ofp_print_reencode_meter_config_reply),
    P(METER_FEATURES_STATS_REQUEST, NULL, reencode_empty),
    P(METER_FEATURES_STATS_REPLY, ofp_print_meter_features_reply,
      ofp_print_reencode_meter_features_reply),
    P(TABLE_FEATURES_STATS_REQUEST, NULL, reencode_empty),
    P(FLOW_MONITOR_STATS_REQUEST, ofp_print_flow_monitor_request,
      ofp_print_reencode_flow_monitor_request),
    P(FLOW_MONITOR_STATS_REPLY, ofp_print_flow_monitor_reply,
      ofp_print_reencode_flow_monitor_reply),
    P(TABLE_FEATURES_STATS_REPLY, NULL,
      ofp_print_reencode_table_features_reply),
    P(PORT_DESC_STATS_REQUEST, ofp_print_port_request,
      ofp_print_reencode_port_request),
    P(PORT_DESC_STATS_REPLY, ofp_print_port_desc_reply,
      ofp_print_reencode_port_desc_reply),
};
#undef P

/* The header line: "NAME (OF1.3) (xid=0x2):". */
static void
put_header_line(struct ds *s, const struct ofp_msg *msg)
{
    ds_put_cstr(s, ofptype_get_name(msg->type, msg->version));
    switch (msg->version) {
    case OFP10_VERSION:
        break;
    case OFP11_VERSION:
    case OFP12_VERSION:
    case OFP13_VERSION:
    case OFP14_VERSION:
    case OFP15_VERSION:
        ds_put_format(s, " (OF1.%d)", msg->version - 1);
        break;
    default:
        ds_put_format(s, " (OF 0x%02x)", msg->version);
        break;
    }
    ds_put_format(s, " (xid=0x%" PRIx32 "):", msg->xid);
    if (ofptype_is_multipart(msg->type) && (msg->mp_flags & 1)) {
        ds_put_cstr(s, " flags=[more]");
    }
}

void
ofp_print(struct ds *s, const void *data, size_t len,
          const struct ofp_port_names *names, int verbosity)
{
    const uint8_t *p = data;
    struct ofp_print_ctx ctx = {names, verbosity};
    struct ofp_msg msg;

    if (!len) {
        ds_put_cstr(s, "OpenFlow message is empty\n");
        return;
    }
    if (len < sizeof(struct ofp_header)) {
        ds_put_format(s, "OpenFlow packet too short (only %zu bytes):\n", len);
        ofp_print_hex_dump(s, data, len);
        return;
    }
    size_t msg_len = (size_t)p[2] << 8 | p[3];
    if (msg_len > len) {
        ds_put_format(s, "(***truncated to %zu bytes from %zu***)\n", len,
                      msg_len);
        ofp_print_hex_dump(s, data, len);
        return;
    }
    if (msg_len < len) {
        ds_put_format(s, "(***only uses %zu bytes out of %zu***)\n", msg_len,
                      len);
        ofp_print_hex_dump(s, data, len);
        return;
    }

    enum ofperr error = ofp_msg_decode(data, len, &msg);
    if (error) {
        ds_put_format(s, "***decode error: %s***\n", ofperr_get_name(error));
        ofp_print_hex_dump(s, data, len);
        return;
    }
    put_header_line(s, &msg);
    const struct ofp_printer *pr = find_printer(msg.type);
    if (pr->print) {
        size_t start = s->length;
        error = pr->print(s, &msg, &ctx);
        if (error) {
            s->length = start;
            s->string[start] = '\0';
            ds_put_format(s, " ***decode error: %s***\n",
                          ofperr_get_name(error));
            ofp_print_hex_dump(s, data, len);
            return;
        }
    }
    ds_put_char(s, '\n');
    if (verbosity > 4) {
        ofp_print_hex_dump(s, data, len);
    }
}

char *
ofp_to_string(const void *data, size_t len, const struct ofp_port_names *names,
              int verbosity)
{
    struct ds s = DS_EMPTY;

    ds_init(&s);
    ofp_print(&s, data, len, names, verbosity);
    return ds_steal_cstr(&s);
}

enum ofperr
ofp_msg_reencode(const void *data, size_t len, struct ofpbuf **out)
{
    struct ofp_msg msg;

    *out = NULL;
    enum ofperr error = ofp_msg_decode(data, len, &msg);
    if (error) {
        return error;
    }
    const struct ofp_printer *pr = find_printer(msg.type);
    if (!pr->reencode) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    error = pr->reencode(&msg, out);
    if (error) {
        ofpbuf_delete(*out);
        *out = NULL;
    } else if (*out) {
        ofp_msg_finish(*out);
    } else {
        error = OFPERR_OFPBRC_BAD_TYPE;
    }
    return error;
}
