/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen-ofp-seeds: writes a seed corpus for fuzz-ofp into a directory: every
 * message of the ofp-print vectors (VECTORS_DIR/openflow/
 * ofp-print-checks.json, the hex after "ofp-print" in each "cmd"), then
 * messages built with Tern's own encoders for each version it speaks
 * (1.0, 1.3, 1.4, 1.5): flow mods, packet outs, group mods, meter mods,
 * port mods, bundles and multipart requests.  One file per message.
 *
 * Usage: gen-ofp-seeds DIR VECTORS_DIR
 * Exits non-zero if the vectors cannot be read: the corpus must start from
 * them.
 */
#include <config.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-bundle.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-match.h"
#include "lib/ofp-meter.h"
#include "lib/ofp-msgs.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-packet.h"
#include "lib/ofp-port.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"

static const enum ofp_version gen_versions[] = {
    OFP10_VERSION,
    OFP13_VERSION,
    OFP14_VERSION,
    OFP15_VERSION,
};

struct gen_corpus {
    const char *dir;
    int n;
};

/* Writes the 'len' bytes at 'data' as the next seed file. */
static void
gen_write(struct gen_corpus *c, const char *kind, const void *data, size_t len)
{
    char *name = xasprintf("%s/%s-%04d", c->dir, kind, c->n++);
    FILE *file = fopen(name, "wb");

    if (!file || (len && fwrite(data, 1, len, file) != len) || fclose(file)) {
        tern_fatal("%s: write failed", name);
    }
    free(name);
}

/* Writes the message 'b' (may be NULL: a kind that has no encoding in the
 * version) and frees it. */
static void
gen_write_msg(struct gen_corpus *c, const char *kind, struct ofpbuf *b)
{
    if (b) {
        gen_write(c, kind, b->data, b->size);
        ofpbuf_delete(b);
    }
}

/* Fails if 'error' (a parser's message, freed here) is not NULL: every
 * seed text must parse. */
static void
gen_check_parse(const char *text, char *error)
{
    if (error) {
        tern_fatal("seed \"%s\" does not parse: %s", text, error);
    }
}

/* Extracts the message bytes from "... ofp-print HEX ..." in 'cmd' into
 * 'out'.  Returns false when the command carries no message in hex (a
 * file, standard input, a stderr filter). */
static bool
gen_parse_cmd(const char *cmd, struct ofpbuf *out)
{
    const char *p = strstr(cmd, "ofp-print");
    const char *end;
    int hi = -1;

    if (!p) {
        return false;
    }
    p += strlen("ofp-print");
    p += strspn(p, " ");
    if (*p == '"' || *p == '\'') {
        char quote = *p++;
        end = strchr(p, quote);
    } else {
        end = p + strcspn(p, " |<");
    }
    if (!end || end == p) {
        return false;
    }
    for (; p < end; p++) {
        int d = hex_digit_value((unsigned char)*p);
        if (d >= 0) {
            if (hi < 0) {
                hi = d;
            } else {
                uint8_t byte = hi << 4 | d;
                ofpbuf_put(out, &byte, 1);
                hi = -1;
            }
        } else if (*p != ' ' && *p != '\n' && *p != '\\') {
            return false;
        }
    }
    return hi < 0;
}

/* Writes every message of the ofp-print vectors; returns how many. */
static int
gen_vectors(struct gen_corpus *c, const char *vectors_dir)
{
    char *path = xasprintf("%s/openflow/ofp-print-checks.json", vectors_dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *e;
    size_t i;
    int n = 0;

    if (!json_is_array(root)) {
        tern_fatal("cannot read %s: %s", path, jerr.text);
    }
    json_array_foreach(root, i, e)
    {
        const char *cmd = json_string_value(json_object_get(e, "cmd"));
        struct ofpbuf b;

        ofpbuf_init(&b, 64);
        if (cmd && gen_parse_cmd(cmd, &b) && b.size) {
            gen_write(c, "vector", b.data, b.size);
            n++;
        }
        ofpbuf_uninit(&b);
    }
    json_decref(root);
    free(path);
    return n;
}

static void
gen_flow_mods(struct gen_corpus *c, enum ofp_version v)
{
    static const struct {
        const char *text;
        enum ofp_flow_mod_command command;
    } flows[] = {
        {"priority=100,in_port=1,actions=output:2", OFPFC_ADD},
        {"table=0,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,"
         "actions=mod_nw_dst:10.1.1.1,dec_ttl,output:3",
         OFPFC_ADD},
        {"tcp,tp_dst=80,dl_vlan=10,idle_timeout=30,hard_timeout=60,"
         "cookie=0x1234,actions=strip_vlan,NORMAL",
         OFPFC_ADD},
        {"udp6,ipv6_src=2001:db8::1,udp_src=53,"
         "actions=set_field:5->vlan_vid,CONTROLLER:128",
         OFPFC_MODIFY},
        {"arp,arp_tpa=10.0.0.1,dl_src=00:11:22:33:44:55,actions=FLOOD",
         OFPFC_MODIFY_STRICT},
        {"icmp,icmp_type=8,actions=push_vlan:0x8100,"
         "set_field:100->vlan_vid,output:4",
         OFPFC_ADD},
        {"in_port=2,metadata=0x5/0xff,actions=write_metadata:0x1/0xff,"
         "goto_table:1",
         OFPFC_ADD},
        {"table=1,mpls,actions=meter:1,group:5", OFPFC_ADD},
        {"tcp,tp_src=1000", OFPFC_DELETE},
        {"priority=5,ip", OFPFC_DELETE_STRICT},
    };

    for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
        struct ofp_flow_mod fm;
        struct ofpbuf ofpacts;

        ofpbuf_init(&ofpacts, 64);
        char *error = ofp_flow_mod_parse(flows[i].text, flows[i].command, NULL,
                                         &fm, &ofpacts);
        gen_check_parse(flows[i].text, error);
        gen_write_msg(c, "flow-mod", ofp_flow_mod_encode(&fm, v, i + 1));
        ofpbuf_uninit(&ofpacts);
    }
}

static void
gen_packet_outs(struct gen_corpus *c, enum ofp_version v)
{
    static const uint8_t frame[] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11, 0x22, 0x33, 0x44,
        0x55, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x0a, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
    };
    static const char *const actions[] = {
        "output:1",
        "FLOOD",
        "mod_dl_src:00:01:02:03:04:05,output:IN_PORT",
        "set_field:10.0.0.9->ip_dst,output:3,CONTROLLER:64",
    };

    for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
        struct ofp_packet_out po;
        struct ofpbuf ofpacts;

        memset(&po, 0, sizeof po);
        ofpbuf_init(&ofpacts, 64);
        char *error = ofpacts_parse(actions[i], NULL, &ofpacts);
        gen_check_parse(actions[i], error);
        po.packet = frame;
        po.packet_len = i % 2 ? 0 : sizeof frame;
        po.buffer_id = i % 2 ? 0x100 + i : OFP_NO_BUFFER;
        po.in_port = i == 3 ? OFPP_CONTROLLER : 1;
        po.ofpacts = (struct ofpact *)ofpacts.data;
        po.ofpacts_len = ofpacts.size;
        gen_write_msg(c, "packet-out", ofp_packet_out_encode(&po, v, i + 1));
        ofpbuf_uninit(&ofpacts);
    }
}

static void
gen_group_mods(struct gen_corpus *c, enum ofp_version v)
{
    static const struct {
        const char *text;
        enum ofp_group_mod_command command;
    } groups[] = {
        {"group_id=1,type=all,bucket=output:1,bucket=output:2", OFPGC_ADD},
        {"group_id=2,type=select,bucket=weight:10,output:1,"
         "bucket=weight:20,output:2",
         OFPGC_ADD},
        {"group_id=3,type=indirect,bucket=set_field:1->vlan_vid,output:4",
         OFPGC_MODIFY},
        {"group_id=4,type=ff,bucket=watch_port:1,output:1,"
         "bucket=watch_port:2,output:2",
         OFPGC_ADD},
        {"group_id=5", OFPGC_DELETE},
    };

    for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
        struct ofp_group_mod gm;

        memset(&gm, 0, sizeof gm);
        char *error =
            ofp_group_mod_parse(groups[i].text, groups[i].command, NULL, &gm);
        gen_check_parse(groups[i].text, error);
        gen_write_msg(c, "group-mod", ofp_group_mod_encode(&gm, v, i + 1));
        ofp_group_mod_uninit(&gm);
    }
}

static void
gen_meter_mods(struct gen_corpus *c, enum ofp_version v)
{
    static const struct {
        const char *text;
        enum ofp_meter_mod_command command;
    } meters[] = {
        {"meter=1,kbps,bands=type=drop,rate=1000", OFPMC_ADD},
        {"meter=2,pktps,burst,stats,bands=type=drop,rate=100,"
         "burst_size=10",
         OFPMC_ADD},
        {"meter=3,kbps,bands=type=dscp_remark,rate=500,prec_level=1,"
         "type=drop,rate=2000",
         OFPMC_MODIFY},
        {"meter=4", OFPMC_DELETE},
    };

    for (size_t i = 0; i < ARRAY_SIZE(meters); i++) {
        struct ofp_meter_mod mm;

        memset(&mm, 0, sizeof mm);
        char *error =
            ofp_meter_mod_parse(meters[i].text, meters[i].command, &mm);
        gen_check_parse(meters[i].text, error);
        gen_write_msg(c, "meter-mod", ofp_meter_mod_encode(&mm, v, i + 1));
    }
}

/* Multipart requests, port mod and bundles. */
static void
gen_requests(struct gen_corpus *c, enum ofp_version v)
{
    static const enum ofptype empty[] = {
        OFPTYPE_DESC_STATS_REQUEST,
        OFPTYPE_TABLE_STATS_REQUEST,
        OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
        OFPTYPE_METER_FEATURES_STATS_REQUEST,
        OFPTYPE_TABLE_FEATURES_STATS_REQUEST,
        OFPTYPE_FEATURES_REQUEST,
        OFPTYPE_GET_CONFIG_REQUEST,
        OFPTYPE_BARRIER_REQUEST,
        OFPTYPE_GET_ASYNC_REQUEST,
    };
    uint32_t xid = 100;

    for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
        struct ofpbuf *b = ofp_msg_start(empty[i], v, xid++, 0);
        if (b) {
            ofp_msg_finish(b);
        }
        gen_write_msg(c, "request", b);
    }
    gen_write_msg(c, "request",
                  ofp_port_request_encode(OFPTYPE_PORT_STATS_REQUEST, OFPP_ANY,
                                          v, xid++));
    gen_write_msg(c, "request",
                  ofp_port_request_encode(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                          OFPP_ANY, v, xid++));
    gen_write_msg(
        c, "request",
        ofp_port_request_encode(OFPTYPE_PORT_STATS_REQUEST, 3, v, xid++));
    gen_write_msg(
        c, "request",
        ofp_group_request_encode(OFPTYPE_GROUP_STATS_REQUEST, 7, v, xid++));
    gen_write_msg(c, "request",
                  ofp_group_request_encode(OFPTYPE_GROUP_DESC_STATS_REQUEST,
                                           OFPG_ALL, v, xid++));
    gen_write_msg(c, "request",
                  ofp_meter_request_encode(OFPTYPE_METER_STATS_REQUEST,
                                           OFPM_ALL, v, xid++));
    gen_write_msg(c, "request",
                  ofp_meter_request_encode(OFPTYPE_METER_CONFIG_STATS_REQUEST,
                                           2, v, xid++));

    static const char *const matches[] = {"", "tcp,nw_dst=10.0.0.1,tp_dst=22",
                                          "in_port=3,dl_vlan=5"};
    for (size_t i = 0; i < ARRAY_SIZE(matches); i++) {
        struct ofp_flow_stats_request fsr;

        memset(&fsr, 0, sizeof fsr);
        char *error = match_parse(matches[i], NULL, &fsr.match, NULL, NULL);
        gen_check_parse(matches[i], error);
        fsr.aggregate = i == 1;
        fsr.table_id = i == 2 ? 1 : OFPTT_ALL;
        fsr.out_port = OFPP_ANY;
        fsr.out_group = OFPG_ANY;
        fsr.cookie = i;
        fsr.cookie_mask = i ? UINT64_MAX : 0;
        gen_write_msg(c, "request",
                      ofp_flow_stats_request_encode(&fsr, v, xid++));
    }

    struct ofp_port_mod pm = {
        .port_no = 2,
        .hw_addr = {{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}},
        .config = 1,
        .mask = 1,
    };
    gen_write_msg(c, "port-mod", ofp_port_mod_encode(&pm, v, xid++));

    struct ofp_bundle_ctrl bc = {
        .bundle_id = 9, .type = OFPBCT_OPEN_REQUEST, .flags = OFPBF_ATOMIC};
    gen_write_msg(c, "bundle", ofp_bundle_ctrl_encode(&bc, v, xid++));
    struct ofpbuf *inner = ofp_msg_start(OFPTYPE_BARRIER_REQUEST, v, xid, 0);
    if (inner) {
        ofp_msg_finish(inner);
        struct ofp_bundle_add ba = {
            .bundle_id = 9,
            .msg = (const struct ofp_header *)inner->data,
            .msg_len = inner->size,
        };
        gen_write_msg(c, "bundle", ofp_bundle_add_encode(&ba, v, xid++));
        ofpbuf_delete(inner);
    }
}

/* Open vSwitch extensions (1.0 framing): conntrack flushes (IPv6 and
 * ICMP tuples), packet-in2 with every property, NXM packet-ins and flow
 * removals with registers and the tunnel id. */
static void
gen_nx(struct gen_corpus *c)
{
    static const uint8_t frame[] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11,
        0x22, 0x33, 0x44, 0x55, 0x12, 0x34, 0x00, 0x00,
    };
    struct ofp_ct_flush f = {
        .ip_proto = 58,
        .zone = 7,
        .orig = {.icmp_id = 1,
                 .icmp_type = 128,
                 .n_props = 4,
                 .order = {0, 1, 4, 5}},
        .reply = {.icmp_code = 3, .n_props = 1, .order = {6}},
        .order = {2, 0, 1},
        .n_props = 3,
    };
    f.orig.src.s6_addr[0] = 0xfd;
    f.orig.dst.s6_addr[15] = 1;
    gen_write_msg(c, "nx", ofp_ct_flush_encode(&f, OFP10_VERSION, 1));

    struct ofp_nx_packet_in2 p2;
    memset(&p2, 0, sizeof p2);
    match_init_catchall(&p2.pin.match);
    p2.pin.match.flow.regs[1] = 5;
    p2.pin.match.wc.masks.regs[1] = UINT32_MAX;
    p2.pin.packet = frame;
    p2.pin.packet_len = sizeof frame;
    p2.pin.total_len = 100;
    p2.pin.buffer_id = 3;
    p2.pin.table_id = 4;
    p2.pin.cookie = 0x42;
    p2.userdata = frame;
    p2.userdata_len = 3;
    p2.n_props = 8; /* All but the continuation. */
    for (uint8_t i = 0; i < 8; i++) {
        p2.order[i] = i;
    }
    gen_write_msg(c, "nx",
                  ofp_nx_packet_in2_encode(OFPTYPE_NXT_PACKET_IN2, &p2,
                                           OFP10_VERSION, 2));
    gen_write_msg(c, "nx",
                  ofp_nx_packet_in_encode(&p2.pin, NULL, OFP10_VERSION, 3));

    struct ofp_flow_removed fr;
    memset(&fr, 0, sizeof fr);
    match_init_catchall(&fr.match);
    fr.match.flow.regs[7] = 0x10;
    fr.match.wc.masks.regs[7] = 0xf0;
    flow_set_tun_id(&fr.match.flow, tern_htonll(9));
    flow_set_tun_id(&fr.match.wc.masks, tern_htonll(UINT64_MAX));
    fr.priority = 5;
    fr.table_id = 2;
    gen_write_msg(c, "nx",
                  ofp_nx_flow_removed_encode(&fr, NULL, OFP10_VERSION, 4));
}

int
main(int argc, char *argv[])
{
    struct gen_corpus c = {NULL, 0};

    set_program_name(argv[0]);
    if (argc != 3) {
        tern_fatal("usage: %s DIR VECTORS_DIR", argv[0]);
    }
    c.dir = argv[1];
    int n_vectors = gen_vectors(&c, argv[2]);
    if (!n_vectors) {
        tern_fatal("%s: no message in the ofp-print vectors", argv[2]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(gen_versions); i++) {
        gen_flow_mods(&c, gen_versions[i]);
        gen_packet_outs(&c, gen_versions[i]);
        gen_group_mods(&c, gen_versions[i]);
        gen_meter_mods(&c, gen_versions[i]);
        gen_requests(&c, gen_versions[i]);
    }
    gen_nx(&c);
    printf("%d seeds (%d from the ofp-print vectors)\n", c.n, n_vectors);
    return 0;
}
