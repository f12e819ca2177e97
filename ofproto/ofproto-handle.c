/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-handle: the switch's answers to controller messages — features,
 * the multipart statistics and descriptions, flow/group/port/table/meter
 * mods, packet-out and bundles.  The connection manager handles the
 * connection-level messages (hello, echo, barrier, role, config, async)
 * and the slave checks, and passes everything else here.
 *
 * One table maps each message kind to its handler; a kind that is not in
 * it gets OFPBRC_BAD_TYPE.  A handler returns 0 after sending its reply,
 * or an error that ofproto_handle_msg() sends back.
 */
#include <config.h>

#include <stdlib.h>

#include "lib/ofp-bundle.h"
#include "lib/netdev.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-switch.h"
#include "lib/rcu.h"
#include "lib/vlog.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto_handle);

#define OFPQ_ALL 0xffffffffu

/* Sends every message of a finished multipart reply. */
static void
send_mp_reply(struct ofconn *ofconn, struct ofp_mp_reply *r)
{
    struct ofpbuf **msgs;
    size_t n;

    ofp_mp_reply_finish(r, &msgs, &n);
    for (size_t i = 0; i < n; i++) {
        ofconn_send(ofconn, msgs[i]);
    }
    free(msgs);
}

static void
send_or_fail(struct ofconn *ofconn, struct ofpbuf *msg)
{
    if (msg) {
        ofconn_send(ofconn, msg);
    }
}

/* The switch's ports in port-number order (caller frees the array). */
static struct ofport **
sorted_ports(const struct ofproto *ofproto, size_t *np)
{
    size_t n = hmap_count(&ofproto->ports), i = 0;
    struct ofport **ports = xcalloc(n ? n : 1, sizeof *ports);

    HMAP_FOR_EACH(node, &ofproto->ports)
    {
        ports[i++] = CONTAINER_OF(node, struct ofport, node);
    }
    for (size_t a = 1; a < n; a++) {
        for (size_t b = a;
             b > 0 && ports[b - 1]->ofp_port > ports[b]->ofp_port; b--) {
            struct ofport *t = ports[b];

            ports[b] = ports[b - 1];
            ports[b - 1] = t;
        }
    }
    *np = n;
    return ports;
}

static void
duration(long long since, uint32_t *sec, uint32_t *nsec)
{
    long long ms = MAX(0, time_msec() - since);

    *sec = ms / 1000;
    *nsec = (ms % 1000) * 1000000;
}

/* ---- Switch ---- */

static enum ofperr
handle_features(struct ofproto *ofproto, struct ofconn *ofconn,
                const struct ofp_msg *msg)
{
    struct ofp_switch_features f = {
        .datapath_id = ofproto->datapath_id,
        .n_buffers = 0,
        .n_tables = OFPROTO_N_TABLES,
        .auxiliary_id = 0,
        /* Queue statistics are answered (with no queues), as Open
         * vSwitch's are. */
        .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS |
                        OFPC_QUEUE_STATS,
        .actions = 0xfff, /* 1.0: every action, enqueue included. */
    };
    size_t n;
    struct ofport **ports = sorted_ports(ofproto, &n);
    struct ofp_phy_port *pp = xcalloc(n ? n : 1, sizeof *pp);

    /* Capability bits differ per version: 1.0 has ARP_MATCH_IP (bit 7)
     * where 1.3 has nothing, and bit 3 is STP in 1.0 but GROUP_STATS
     * later; 1.4 and later have BUNDLES (bit 9). */
    if (msg->version == OFP10_VERSION) {
        f.capabilities |= 1u << 7;
    } else {
        f.capabilities |= OFPC_GROUP_STATS;
    }
    if (msg->version >= OFP14_VERSION) {
        f.capabilities |= 1u << 9;
    }

    for (size_t i = 0; i < n; i++) {
        pp[i] = ports[i]->pp;
    }
    send_or_fail(ofconn, ofp_features_reply_encode(&f, pp, n, msg));
    free(pp);
    free(ports);
    return 0;
}

static enum ofperr
handle_desc(struct ofproto *ofproto, struct ofconn *ofconn,
            const struct ofp_msg *msg)
{
    struct ofp_desc_stats d = {
        .mfr_desc = "Tern",
        .hw_desc = "Tern userspace switch",
        .sw_desc = PACKAGE_VERSION,
        .serial_num = "None",
        .dp_desc = ofproto->name,
    };

    send_or_fail(ofconn, ofp_desc_stats_reply_encode(&d, msg));
    return 0;
}

static void
table_name(const struct oftable *t, char name[32])
{
    /* Tables without a configured name report an empty one, as Open
     * vSwitch's do. */
    snprintf(name, 32, "%s", t->name ? t->name : "");
}

static enum ofperr
handle_table_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    struct ofp_mp_reply r;

    ofproto_pull_stats(ofproto);
    ofp_mp_reply_start(&r, OFPTYPE_TABLE_STATS_REPLY, msg);
    for (unsigned i = 0; i < OFPROTO_N_TABLES; i++) {
        const struct oftable *t = &ofproto->tables[i];
        struct ofp_table_stats ts;

        memset(&ts, 0, sizeof ts);
        ts.table_id = i;
        table_name(t, ts.name);
        ts.max_entries = t->max_flows;
        ts.active_count = t->n_flows;
        ts.lookup_count = atomic_load(&((struct oftable *)t)->lookup_count);
        ts.matched_count = atomic_load(&((struct oftable *)t)->matched_count);
        ofp_table_stats_append(&ts, &r);
    }
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_table_features(struct ofproto *ofproto, struct ofconn *ofconn,
                      const struct ofp_msg *msg)
{
    struct ofp_mp_reply r;

    if (msg->body_len) {
        return OFPERR_OFPTFFC_EPERM;
    }
    ofp_mp_reply_start(&r, OFPTYPE_TABLE_FEATURES_STATS_REPLY, msg);
    for (unsigned i = 0; i < OFPROTO_N_TABLES; i++) {
        const struct oftable *t = &ofproto->tables[i];
        struct ofp_table_features tf;

        memset(&tf, 0, sizeof tf);
        tf.table_id = i;
        table_name(t, tf.name);
        tf.metadata_match = UINT64_MAX;
        tf.metadata_write = UINT64_MAX;
        tf.config = t->config;
        tf.max_entries = t->max_flows;
        ofp_table_features_append(&tf, &r);
    }
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_table_mod(struct ofproto *ofproto, struct ofconn *ofconn TERN_UNUSED,
                 const struct ofp_msg *msg)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_table_mod_decode(msg, &tm);

    if (error) {
        return error;
    }
    if (tm.table_id == OFPTT_ALL) {
        for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
            ofproto->tables[i].config = tm.config;
        }
    } else if (tm.table_id < OFPROTO_N_TABLES) {
        ofproto->tables[tm.table_id].config = tm.config;
    } else {
        return OFPERR_OFPTMFC_BAD_TABLE;
    }
    ofproto_mark_dirty(ofproto);
    return 0;
}

/* ---- Flows ---- */

static enum ofperr
handle_flow_mod(struct ofproto *ofproto, struct ofconn *ofconn,
                const struct ofp_msg *msg)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;
    enum ofperr error;

    ofpbuf_init(&ofpacts, 64);
    error = ofp_flow_mod_decode(msg, &fm, &ofpacts);
    if (!error) {
        error = ofproto_flow_mod_version(ofproto, &fm, msg->version);
    }
    if (!error && fm.buffer_id != OFP_NO_BUFFER) {
        /* Tern never buffers packets: the flow is in, the packet is
         * not. */
        ofconn_send_error(ofconn, msg, OFPERR_OFPBRC_BUFFER_UNKNOWN);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

struct flow_stats_ctx {
    struct ofp_mp_reply r;
    struct ofp_aggregate_stats agg;
    long long now;
};

static void
flow_stats_cb(struct rule *rule, void *ctx_)
{
    struct flow_stats_ctx *ctx = ctx_;
    const struct rule_actions *a = rcu_get_relaxed(rule->actions);
    struct ofp_flow_stats fs;
    long long used = atomic_load(&rule->used);

    memset(&fs, 0, sizeof fs);
    fs.match.flow = rule->cr.key;
    fs.match.wc = rule->cr.mask;
    fs.table_id = rule->table_id;
    ofproto_rule_duration(rule, &fs.duration_sec, &fs.duration_nsec);
    fs.priority = rule->cr.priority;
    fs.idle_timeout = rule->idle_timeout;
    fs.hard_timeout = rule->hard_timeout;
    fs.idle_age = MAX(0, ctx->now - MAX(used, rule->modified)) / 1000;
    fs.hard_age = MAX(0, ctx->now - rule->modified) / 1000;
    fs.flags = rule->flags;
    fs.importance = rule->importance;
    fs.cookie = rule->cookie;
    fs.packet_count = rule->flags & OFPFF_NO_PKT_COUNTS
                          ? UINT64_MAX
                          : atomic_load(&rule->packet_count);
    fs.byte_count = rule->flags & OFPFF_NO_BYT_COUNTS
                        ? UINT64_MAX
                        : atomic_load(&rule->byte_count);
    fs.ofpacts = rule_actions_ofpacts(a);
    fs.ofpacts_len = a->ofpacts_len;
    ofp_flow_stats_append(&fs, &ctx->r);
}

static void
aggregate_cb(struct rule *rule, void *ctx_)
{
    struct flow_stats_ctx *ctx = ctx_;

    ctx->agg.flow_count++;
    if (!(rule->flags & OFPFF_NO_PKT_COUNTS)) {
        ctx->agg.packet_count += atomic_load(&rule->packet_count);
    }
    if (!(rule->flags & OFPFF_NO_BYT_COUNTS)) {
        ctx->agg.byte_count += atomic_load(&rule->byte_count);
    }
}

static enum ofperr
handle_flow_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                  const struct ofp_msg *msg)
{
    struct ofp_flow_stats_request req;
    struct flow_stats_ctx ctx;
    enum ofperr error = ofp_flow_stats_request_decode(msg, &req);

    if (error) {
        return error;
    }
    if (req.table_id >= OFPROTO_N_TABLES && req.table_id != OFPTT_ALL) {
        return OFPERR_OFPBRC_BAD_TABLE_ID;
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.now = time_msec();
    ofproto_pull_stats(ofproto);
    pthread_mutex_lock(&ofproto->mutex);
    if (msg->type == OFPTYPE_AGGREGATE_STATS_REQUEST) {
        ofproto_for_each_matching_rule(ofproto, &req, aggregate_cb, &ctx);
        pthread_mutex_unlock(&ofproto->mutex);
        send_or_fail(ofconn, ofp_aggregate_stats_reply_encode(&ctx.agg, msg));
        return 0;
    }
    ofp_mp_reply_start(&ctx.r, OFPTYPE_FLOW_STATS_REPLY, msg);
    ofproto_for_each_matching_rule(ofproto, &req, flow_stats_cb, &ctx);
    pthread_mutex_unlock(&ofproto->mutex);
    send_mp_reply(ofconn, &ctx.r);
    return 0;
}

/* ---- Ports ---- */

static enum ofperr
handle_port_mod(struct ofproto *ofproto, struct ofconn *ofconn TERN_UNUSED,
                const struct ofp_msg *msg)
{
    struct ofp_port_mod pm;
    enum ofperr error = ofp_port_mod_decode(msg, &pm);

    return error ? error : ofproto_port_mod(ofproto, &pm);
}

static void
port_stats_append(const struct ofport *p, const struct ofproto *ofproto,
                  struct ofp_mp_reply *r)
{
    struct netdev *netdev = dpif_port_netdev(ofproto->dpif, p->dp_port);
    struct netdev_stats ns;
    struct ofp_port_stats ps;

    memset(&ps, 0, sizeof ps);
    memset(&ns, 0, sizeof ns);
    if (netdev) {
        netdev_get_stats(netdev, &ns);
    }
    ps.port_no = p->ofp_port;
    ps.rx_packets = ns.rx_packets;
    ps.tx_packets = ns.tx_packets;
    ps.rx_bytes = ns.rx_bytes;
    ps.tx_bytes = ns.tx_bytes;
    ps.rx_dropped = ns.rx_dropped;
    ps.tx_dropped = ns.tx_dropped;
    ps.rx_errors = ns.rx_errors;
    ps.tx_errors = ns.tx_errors;
    duration(p->created, &ps.duration_sec, &ps.duration_nsec);
    ofp_port_stats_append(&ps, r);
}

static enum ofperr
handle_port_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                  const struct ofp_msg *msg)
{
    struct ofp_mp_reply r;
    uint32_t port;
    size_t n;
    enum ofperr error = ofp_port_request_decode(msg, &port);
    struct ofport **ports;

    if (error) {
        return error;
    }
    ports = sorted_ports(ofproto, &n);
    ofp_mp_reply_start(&r, OFPTYPE_PORT_STATS_REPLY, msg);
    for (size_t i = 0; i < n; i++) {
        if (port == OFPP_ANY || port == ports[i]->ofp_port) {
            port_stats_append(ports[i], ofproto, &r);
        }
    }
    free(ports);
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_port_desc(struct ofproto *ofproto, struct ofconn *ofconn,
                 const struct ofp_msg *msg)
{
    struct ofp_mp_reply r;
    uint32_t port = OFPP_ANY;
    size_t n;
    struct ofport **ports;

    /* 1.3's request has no body; 1.5's names a port. */
    if (msg->body_len) {
        enum ofperr error = ofp_port_request_decode(msg, &port);

        if (error) {
            return error;
        }
    }
    ports = sorted_ports(ofproto, &n);
    ofp_mp_reply_start(&r, OFPTYPE_PORT_DESC_STATS_REPLY, msg);
    for (size_t i = 0; i < n; i++) {
        if (port == OFPP_ANY || port == ports[i]->ofp_port) {
            struct ofpbuf b;

            ofpbuf_init(&b, 128);
            ofp_phy_port_append(&ports[i]->pp, msg->version, &b);
            ofp_mp_reply_append(&r, b.data, b.size);
            ofpbuf_uninit(&b);
        }
    }
    free(ports);
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_queue_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    struct ofp_mp_reply r;
    uint32_t port, queue;
    enum ofperr error = ofp_queue_stats_request_decode(msg, &port, &queue);

    if (error) {
        return error;
    }
    if (port != OFPP_ANY && !ofproto_port_find(ofproto, port)) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    if (queue != OFPQ_ALL) {
        return OFPERR_OFPQOFC_BAD_QUEUE;
    }
    /* No queues: an empty reply. */
    ofp_mp_reply_start(&r, OFPTYPE_QUEUE_STATS_REPLY, msg);
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_packet_out(struct ofproto *ofproto, struct ofconn *ofconn TERN_UNUSED,
                  const struct ofp_msg *msg)
{
    struct ofp_packet_out po;
    struct ofpbuf ofpacts;
    enum ofperr error;

    ofpbuf_init(&ofpacts, 64);
    error = ofp_packet_out_decode(msg, &po, &ofpacts);
    if (!error && po.buffer_id != OFP_NO_BUFFER) {
        error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
    }
    if (!error) {
        error = ofproto_packet_out(ofproto, &po);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

/* ---- Groups ---- */

static enum ofperr
handle_group_mod(struct ofproto *ofproto, struct ofconn *ofconn TERN_UNUSED,
                 const struct ofp_msg *msg)
{
    struct ofp_group_mod gm;
    enum ofperr error = ofp_group_mod_decode(msg, &gm);

    if (error) {
        return error;
    }
    error = ofproto_group_mod(ofproto, &gm);
    ofp_group_mod_uninit(&gm);
    return error;
}

static enum ofperr
handle_group_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    const struct ofgroup_snapshot *s;
    struct ofp_mp_reply r;
    uint32_t id;
    enum ofperr error = ofp_group_request_decode(msg, &id);
    bool desc = msg->type == OFPTYPE_GROUP_DESC_STATS_REQUEST;

    if (error) {
        return error;
    }
    if (!desc) {
        ofproto_pull_stats(ofproto);
    }
    s = rcu_get(ofproto->group_snapshot);
    ofp_mp_reply_start(
        &r, desc ? OFPTYPE_GROUP_DESC_STATS_REPLY : OFPTYPE_GROUP_STATS_REPLY,
        msg);
    for (size_t i = 0; s && i < s->n; i++) {
        struct ofgroup *g = s->groups[i];

        if (id != OFPG_ALL && id != g->group_id) {
            continue;
        }
        if (desc) {
            ofp_group_desc_append(g->type, g->group_id, g->buckets,
                                  g->n_buckets, &r);
            continue;
        }
        uint64_t *bp = xcalloc(g->n_buckets + 1, sizeof *bp);
        uint64_t *bb = xcalloc(g->n_buckets + 1, sizeof *bb);
        struct ofp_group_stats gs = {
            .group_id = g->group_id,
            .ref_count = g->ref_count,
            .packet_count = atomic_load(&g->packet_count),
            .byte_count = atomic_load(&g->byte_count),
            .n_buckets = g->n_buckets,
            .bucket_packets = bp,
            .bucket_bytes = bb,
        };

        for (size_t j = 0; j < g->n_buckets; j++) {
            bp[j] = atomic_load(&g->bucket_packets[j]);
            bb[j] = atomic_load(&g->bucket_bytes[j]);
        }
        duration(g->created, &gs.duration_sec, &gs.duration_nsec);
        ofp_group_stats_append(&gs, &r);
        free(bp);
        free(bb);
    }
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_group_features(struct ofproto *ofproto TERN_UNUSED,
                      struct ofconn *ofconn, const struct ofp_msg *msg)
{
    send_or_fail(ofconn, ofp_group_features_reply_encode(msg));
    return 0;
}

/* ---- Open vSwitch extensions Tern cannot act on ---- */

/* Conntrack flushes and IPFIX statistics: Tern has neither connection
 * tracking nor IPFIX export.  A malformed request gets its decode error;
 * a well-formed one OFPBRC_EPERM (understood, not permitted on this
 * switch), as Documentation/openflow.md says. */
static enum ofperr
handle_unsupported_nx(struct ofproto *ofproto TERN_UNUSED,
                      struct ofconn *ofconn TERN_UNUSED,
                      const struct ofp_msg *msg)
{
    enum ofperr error = 0;

    if (msg->type == OFPTYPE_NXT_CT_FLUSH) {
        struct ofp_ct_flush f;
        error = ofp_ct_flush_decode(msg, &f);
    } else if (msg->type == OFPTYPE_NXT_CT_FLUSH_ZONE) {
        uint32_t zone;
        error = ofp_nx_value_decode(msg, &zone);
    } else if (msg->body_len) {
        error = OFPERR_OFPBRC_BAD_LEN; /* IPFIX requests have no body. */
    }
    return error ? error : OFPERR_OFPBRC_EPERM;
}

/* ---- Meters ---- */

static enum ofperr
handle_meter_mod(struct ofproto *ofproto, struct ofconn *ofconn TERN_UNUSED,
                 const struct ofp_msg *msg)
{
    struct ofp_meter_mod mm;
    enum ofperr error = ofp_meter_mod_decode(msg, &mm);

    return error ? error : ofproto_meter_mod(ofproto, &mm);
}

static int
meter_ptr_cmp(const void *a_, const void *b_)
{
    const struct ofmeter *a = *(struct ofmeter *const *)a_;
    const struct ofmeter *b = *(struct ofmeter *const *)b_;

    return a->config.meter_id < b->config.meter_id
               ? -1
               : a->config.meter_id > b->config.meter_id;
}

/* Meter statistics: the datapath meter's counters when it has them,
 * otherwise what the statistics pull credited (band counters 0). */
static void
meter_stats_append(const struct ofproto *ofproto, const struct ofmeter *m,
                   struct ofp_mp_reply *r)
{
    struct dpif_meter_stats ds;
    struct ofp_meter_stats ms;

    memset(&ms, 0, sizeof ms);
    ms.meter_id = m->config.meter_id;
    ms.flow_count = m->flow_count;
    duration(m->created, &ms.duration_sec, &ms.duration_nsec);
    ms.n_bands = m->config.n_bands;
    memset(&ds, 0, sizeof ds);
    if (!dpif_meter_get_stats(ofproto->dpif, m->dp_meter_id, &ds)) {
        ms.packet_in_count = ds.packets_in;
        ms.byte_in_count = ds.bytes_in;
        for (size_t i = 0; i < MIN(ms.n_bands, ds.n_bands); i++) {
            ms.band_packets[i] = ds.bands[i].packets;
            ms.band_bytes[i] = ds.bands[i].bytes;
        }
    } else {
        ms.packet_in_count =
            atomic_load(&((struct ofmeter *)m)->packet_in_count);
        ms.byte_in_count = atomic_load(&((struct ofmeter *)m)->byte_in_count);
    }
    ofp_meter_stats_append(&ms, r);
}

static enum ofperr
handle_meter_stats(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    bool config = msg->type == OFPTYPE_METER_CONFIG_STATS_REQUEST;
    size_t n = hmap_count(&ofproto->meters), i = 0;
    struct ofmeter **meters;
    struct ofp_mp_reply r;
    uint32_t id;
    enum ofperr error = ofp_meter_request_decode(msg, &id);

    if (error) {
        return error;
    }
    if (id != OFPM_ALL && !ofproto_meter_find(ofproto, id)) {
        return OFPERR_OFPMMFC_UNKNOWN_METER;
    }
    if (!config) {
        ofproto_pull_stats(ofproto);
    }
    meters = xcalloc(n ? n : 1, sizeof *meters);
    HMAP_FOR_EACH(node, &ofproto->meters)
    {
        meters[i++] = CONTAINER_OF(node, struct ofmeter, node);
    }
    qsort(meters, n, sizeof *meters, meter_ptr_cmp);
    ofp_mp_reply_start(&r,
                       config ? OFPTYPE_METER_CONFIG_STATS_REPLY
                              : OFPTYPE_METER_STATS_REPLY,
                       msg);
    for (i = 0; i < n; i++) {
        if (id != OFPM_ALL && id != meters[i]->config.meter_id) {
            continue;
        }
        if (config) {
            ofp_meter_config_append(&meters[i]->config, &r);
        } else {
            meter_stats_append(ofproto, meters[i], &r);
        }
    }
    free(meters);
    send_mp_reply(ofconn, &r);
    return 0;
}

static enum ofperr
handle_meter_features(struct ofproto *ofproto TERN_UNUSED,
                      struct ofconn *ofconn, const struct ofp_msg *msg)
{
    struct ofp_meter_features mf = {
        .max_meters = OFPROTO_MAX_METERS,
        .band_types = (1u << OFPMBT_DROP) | (1u << OFPMBT_DSCP_REMARK),
        .capabilities = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
        .max_bands = OFP_METER_MAX_BANDS,
        .max_color = 0,
    };

    send_or_fail(ofconn, ofp_meter_features_reply_encode(&mf, msg));
    return 0;
}

/* ---- Bundles ---- */

static enum ofperr
handle_bundle_control(struct ofproto *ofproto, struct ofconn *ofconn,
                      const struct ofp_msg *msg)
{
    return ofproto_bundle_control(ofproto, ofconn, msg);
}

static enum ofperr
handle_bundle_add(struct ofproto *ofproto, struct ofconn *ofconn,
                  const struct ofp_msg *msg)
{
    return ofproto_bundle_add(ofproto, ofconn, msg);
}

/* ---- Dispatch ---- */

typedef enum ofperr handler_func(struct ofproto *, struct ofconn *,
                                 const struct ofp_msg *);

static const struct {
    enum ofptype type;
    handler_func *handler;
} handlers[] = {
    {OFPTYPE_FEATURES_REQUEST, handle_features},
    {OFPTYPE_DESC_STATS_REQUEST, handle_desc},
    {OFPTYPE_FLOW_STATS_REQUEST, handle_flow_stats},
    {OFPTYPE_AGGREGATE_STATS_REQUEST, handle_flow_stats},
    {OFPTYPE_TABLE_STATS_REQUEST, handle_table_stats},
    {OFPTYPE_TABLE_FEATURES_STATS_REQUEST, handle_table_features},
    {OFPTYPE_PORT_STATS_REQUEST, handle_port_stats},
    {OFPTYPE_PORT_DESC_STATS_REQUEST, handle_port_desc},
    {OFPTYPE_QUEUE_STATS_REQUEST, handle_queue_stats},
    {OFPTYPE_GROUP_STATS_REQUEST, handle_group_stats},
    {OFPTYPE_GROUP_DESC_STATS_REQUEST, handle_group_stats},
    {OFPTYPE_GROUP_FEATURES_STATS_REQUEST, handle_group_features},
    {OFPTYPE_NXT_CT_FLUSH, handle_unsupported_nx},
    {OFPTYPE_NXT_CT_FLUSH_ZONE, handle_unsupported_nx},
    {OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST, handle_unsupported_nx},
    {OFPTYPE_NXST_IPFIX_FLOW_REQUEST, handle_unsupported_nx},
    {OFPTYPE_METER_STATS_REQUEST, handle_meter_stats},
    {OFPTYPE_METER_CONFIG_STATS_REQUEST, handle_meter_stats},
    {OFPTYPE_METER_FEATURES_STATS_REQUEST, handle_meter_features},
    {OFPTYPE_FLOW_MOD, handle_flow_mod},
    {OFPTYPE_GROUP_MOD, handle_group_mod},
    {OFPTYPE_PORT_MOD, handle_port_mod},
    {OFPTYPE_TABLE_MOD, handle_table_mod},
    {OFPTYPE_METER_MOD, handle_meter_mod},
    {OFPTYPE_PACKET_OUT, handle_packet_out},
    {OFPTYPE_BUNDLE_CONTROL, handle_bundle_control},
    {OFPTYPE_BUNDLE_ADD_MESSAGE, handle_bundle_add},
};

void
ofproto_handle_msg(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    enum ofperr error = OFPERR_OFPBRC_BAD_TYPE;

    for (size_t i = 0; i < ARRAY_SIZE(handlers); i++) {
        if (handlers[i].type == msg->type) {
            error = handlers[i].handler(ofproto, ofconn, msg);
            break;
        }
    }
    if (error) {
        ofconn_send_error(ofconn, msg, error);
    }
}
