/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connmgr: the connection manager of one switch (see connmgr.h).  It owns
 * the Controller targets (reconnecting sessions for active ones,
 * listeners for passive ones), the management socket, and one 'struct
 * ofconn' per live connection with its role, asynchronous configuration,
 * miss_send_len and packet-in scheduler.  It handles the messages that
 * concern the connection itself (configuration, roles, async config,
 * barrier, Open vSwitch's format negotiation) and passes every other
 * message to ofproto_handle_msg().  After each batch of messages it calls
 * ofproto_flush_changes(), so that a reply that follows a change (or the
 * next batch) sees the datapath up to date.
 */
#include <config.h>

#include "ofproto/connmgr.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/daemon.h"
#include "lib/ofp-switch.h"
#include "lib/stream.h"
#include "lib/vconn.h"
#include "lib/vlog.h"
#include "ofproto/pinsched.h"

VLOG_DEFINE_THIS_MODULE(connmgr);

/* Open vSwitch extension bodies (after the 16-byte NX header). */
#define NXFF_OPENFLOW10       0 /* NXT_SET_FLOW_FORMAT: the standard match. */
#define NXPIF_STANDARD        0 /* NXT_SET_PACKET_IN_FORMAT: standard. */
#define OFPCRR_MASTER_REQUEST 0

enum ofconn_type {
    OFCONN_PRIMARY,
    OFCONN_SERVICE,
};

/* A Controller target. */
struct ofcontroller {
    struct ofproto_controller cfg; /* 'target' owned. */
    bool passive;
    struct vconn_session *session; /* Active. */
    struct pvconn *pvconn;         /* Passive (NULL if listening failed). */
    int listen_error;
    long long next_listen; /* Retry time after a failure. */
    struct ofconn *conn;   /* Active: the connection, or NULL. */
    unsigned int seqno;    /* Session seqno of 'conn'. */
};

struct ofconn {
    struct list_node node; /* In connmgr->conns. */
    struct connmgr *mgr;
    enum ofconn_type type;
    struct ofcontroller *ctl; /* NULL for the management socket. */
    struct vconn *vconn;      /* Owned for service connections. */
    bool dead;

    enum ofp_controller_role role;
    struct ofp_async_config async;
    uint16_t miss_send_len;
    uint16_t controller_id;
    struct pinsched *pinsched;
    unsigned long long pin_backlog_drops;
    bool async_init; /* 'async' holds the version's defaults or more. */
};

struct connmgr {
    struct ofproto *ofproto;
    struct ofcontroller **ctls;
    size_t n_ctls;
    uint32_t versions; /* What listeners and sessions offer. */
    struct pvconn *mgmt;
    char *mgmt_path;
    struct list_node conns;
    long long controllers_set_at;         /* For fail-mode. */
    unsigned long long pin_backlog_drops; /* Of closed connections. */

    bool gen_known;
    uint64_t master_gen;
    uint16_t frag_flags;

    struct fail_mode fail_mode;
    long long fail_mode_wakeup;
};

static void ofconn_destroy(struct ofconn *);

/* ---- Connections. ---- */

static uint32_t
connmgr_versions__(const struct ofproto *ofproto)
{
    uint32_t v = ofproto->allowed_versions & OFP_SUPPORTED_VERSIONS;
    return v ? v : OFP_SUPPORTED_VERSIONS;
}

static struct ofconn *
ofconn_create(struct connmgr *mgr, enum ofconn_type type,
              struct ofcontroller *ctl, struct vconn *vconn)
{
    struct ofconn *c = xzalloc(sizeof *c);

    c->mgr = mgr;
    c->type = type;
    c->ctl = ctl;
    c->vconn = vconn;
    c->role = OFPCR_ROLE_EQUAL;
    c->miss_send_len =
        type == OFCONN_PRIMARY ? CONNMGR_DEFAULT_MISS_SEND_LEN : 0;
    c->pinsched = pinsched_create(ctl ? ctl->cfg.rate_limit : 0,
                                  ctl ? ctl->cfg.burst_limit : 0);
    list_push_back(&mgr->conns, &c->node);
    return c;
}

/* The version is known once the hello exchange is over; the async
 * defaults depend on it. */
static bool
ofconn_ready(struct ofconn *c)
{
    if (c->dead || vconn_get_state(c->vconn) != VCONN_CONNECTED) {
        return false;
    }
    if (!c->async_init) {
        ofp_async_config_default(vconn_get_version(c->vconn), &c->async);
        c->async_init = true;
    }
    return true;
}

static void
ofconn_destroy(struct ofconn *c)
{
    struct connmgr *mgr = c->mgr;

    ofproto_bundles_ofconn_closed(mgr->ofproto, c);
    list_remove(&c->node);
    if (c->ctl && c->ctl->conn == c) {
        c->ctl->conn = NULL;
    }
    if (c->type == OFCONN_SERVICE) {
        vconn_close(c->vconn);
    }
    mgr->pin_backlog_drops += c->pin_backlog_drops;
    pinsched_destroy(c->pinsched);
    free(c);
}

enum ofp_version
ofconn_get_version(const struct ofconn *c)
{
    return vconn_get_version(c->vconn);
}

enum ofp_controller_role
ofconn_get_role(const struct ofconn *c)
{
    return c->role;
}

void
ofconn_send(struct ofconn *c, struct ofpbuf *msg)
{
    if (!msg) {
        return;
    }
    if (c->dead) {
        ofpbuf_delete(msg);
        return;
    }
    int error = vconn_send(c->vconn, msg);
    if (error) {
        c->dead = true;
    }
}

/* pinsched_send_cb for a connection. */
static void
ofconn_send_cb(struct ofpbuf *msg, void *c)
{
    ofconn_send(c, msg);
}

void
ofconn_send_error(struct ofconn *c, const struct ofp_msg *request,
                  enum ofperr error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    VLOG_DBG_RL(&rl, "%s: %s for %s", vconn_get_name(c->vconn),
                ofperr_get_name(error),
                ofptype_get_name(request->type, request->version));
    ofconn_send(c, ofperr_encode_reply(error, request->oh, request->len));
}

static void
ofconn_send_reply_type(struct ofconn *c, enum ofptype type,
                       const struct ofp_msg *request)
{
    struct ofpbuf *reply = ofp_msg_start_reply(type, request, 0);
    if (reply) {
        ofp_msg_finish(reply);
        ofconn_send(c, reply);
    }
}

/* Whether 'c' takes an asynchronous message of 'reason' whose per-role
 * bitmaps are 'bitmaps'. */
static bool
ofconn_wants(struct ofconn *c, const uint32_t bitmaps[2], unsigned reason)
{
    if (!ofconn_ready(c) || (c->type == OFCONN_SERVICE && !c->miss_send_len)) {
        return false;
    }
    int idx = c->role == OFPCR_ROLE_SLAVE ? 1 : 0;
    return reason < 32 && (bitmaps[idx] & (1u << reason));
}

/* ---- Messages about the connection itself. ---- */

static enum ofperr
handle_get_config(struct ofconn *c, const struct ofp_msg *msg)
{
    struct ofp_switch_config sc = {
        .flags = c->mgr->frag_flags,
        .miss_send_len = c->miss_send_len,
    };
    ofconn_send(c, ofp_switch_config_encode(OFPTYPE_GET_CONFIG_REPLY, &sc,
                                            msg->version, msg->xid));
    return 0;
}

static enum ofperr
handle_set_config(struct ofconn *c, const struct ofp_msg *msg)
{
    struct ofp_switch_config sc;
    enum ofperr error = ofp_switch_config_decode(msg, &sc);

    if (error) {
        return error;
    }
    if (c->role != OFPCR_ROLE_SLAVE) {
        c->mgr->frag_flags = sc.flags & OFPC_FRAG_MASK;
    }
    c->miss_send_len = sc.miss_send_len;
    return 0;
}

static enum ofperr
handle_barrier(struct ofconn *c, const struct ofp_msg *msg)
{
    ofproto_flush_changes(c->mgr->ofproto);
    ofconn_send_reply_type(c, OFPTYPE_BARRIER_REPLY, msg);
    return 0;
}

static enum ofperr
handle_echo(struct ofconn *c, const struct ofp_msg *msg)
{
    ofconn_send(c, ofp_echo_reply_encode(msg));
    return 0;
}

static void
ofconn_send_role_status(struct ofconn *c)
{
    struct connmgr *mgr = c->mgr;
    struct ofp_role_request rs = {
        .role = c->role,
        .have_generation_id = mgr->gen_known,
        .generation_id = mgr->master_gen,
    };

    if (ofconn_get_version(c) >= OFP14_VERSION &&
        ofconn_wants(c, c->async.role_status, OFPCRR_MASTER_REQUEST)) {
        ofconn_send(c, ofp_role_status_encode(&rs, OFPCRR_MASTER_REQUEST,
                                              ofconn_get_version(c)));
    }
}

static enum ofperr
handle_role_request(struct ofconn *c, const struct ofp_msg *msg)
{
    struct connmgr *mgr = c->mgr;
    struct ofp_role_request rr;
    enum ofperr error = ofp_role_request_decode(msg, &rr);

    if (error) {
        return error;
    }
    if (rr.role != OFPCR_ROLE_NOCHANGE) {
        if (rr.role != OFPCR_ROLE_EQUAL && rr.have_generation_id) {
            if (mgr->gen_known &&
                (int64_t)(rr.generation_id - mgr->master_gen) < 0) {
                return OFPERR_OFPRRFC_STALE;
            }
            mgr->gen_known = true;
            mgr->master_gen = rr.generation_id;
        }
        if (rr.role == OFPCR_ROLE_MASTER) {
            LIST_FOR_EACH(node, &mgr->conns)
            {
                struct ofconn *o = CONTAINER_OF(node, struct ofconn, node);
                if (o != c && o->role == OFPCR_ROLE_MASTER) {
                    o->role = OFPCR_ROLE_SLAVE;
                    ofconn_send_role_status(o);
                }
            }
        }
        c->role = rr.role;
    }
    struct ofp_role_request reply = {
        .role = c->role,
        .have_generation_id = mgr->gen_known,
        .generation_id = mgr->gen_known ? mgr->master_gen : UINT64_MAX,
    };
    ofconn_send(c, ofp_role_reply_encode(&reply, msg));
    return 0;
}

static enum ofperr
handle_get_async(struct ofconn *c, const struct ofp_msg *msg)
{
    ofconn_ready(c);
    ofconn_send(c, ofp_async_config_encode(OFPTYPE_GET_ASYNC_REPLY, &c->async,
                                           msg->version, msg->xid));
    return 0;
}

static enum ofperr
handle_set_async(struct ofconn *c, const struct ofp_msg *msg)
{
    ofconn_ready(c);
    struct ofp_async_config cfg = c->async;
    enum ofperr error = ofp_async_config_decode(msg, &cfg);

    if (!error) {
        c->async = cfg;
    }
    return error;
}

/* Reads the big-endian 32-bit word at the start of the body. */
static bool
nx_body_u32(const struct ofp_msg *msg, uint32_t *value)
{
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    return ofp_reader_be32(&r, value);
}

/* Tern's flow mods and packet-ins use the standard OpenFlow formats only:
 * asking for those is a no-op, asking for NXM or NXT_PACKET_IN is
 * refused. */
static enum ofperr
handle_nx_set_flow_format(struct ofconn *c TERN_UNUSED,
                          const struct ofp_msg *msg)
{
    uint32_t format;
    if (!nx_body_u32(msg, &format)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return format == NXFF_OPENFLOW10 ? 0 : OFPERR_OFPBRC_EPERM;
}

static enum ofperr
handle_nx_set_packet_in_format(struct ofconn *c TERN_UNUSED,
                               const struct ofp_msg *msg)
{
    uint32_t format;
    if (!nx_body_u32(msg, &format)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return format == NXPIF_STANDARD ? 0 : OFPERR_OFPBRC_EPERM;
}

/* The table id in the high byte of 1.0 flow mod commands: Tern's 1.0
 * decoder always reads it that way, so both settings are accepted. */
static enum ofperr
handle_nx_flow_mod_table_id(struct ofconn *c TERN_UNUSED,
                            const struct ofp_msg *msg)
{
    return msg->body_len >= 1 ? 0 : OFPERR_OFPBRC_BAD_LEN;
}

static enum ofperr
handle_nx_set_controller_id(struct ofconn *c, const struct ofp_msg *msg)
{
    struct ofp_reader r;
    uint16_t id;

    ofp_reader_init(&r, msg->body, msg->body_len);
    if (!ofp_reader_pull(&r, 6) || !ofp_reader_be16(&r, &id)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    c->controller_id = id;
    return 0;
}

static enum ofperr
handle_ignore(struct ofconn *c TERN_UNUSED, const struct ofp_msg *msg)
{
    if (msg->type == OFPTYPE_ERROR) {
        VLOG_DBG("%s: error message from peer (xid %u)",
                 vconn_get_name(c->vconn), msg->xid);
    }
    return 0;
}

/* Messages of the connection layer, and which messages change the switch
 * (refused from a slave). */
struct connmgr_handler {
    enum ofptype type;
    enum ofperr (*handle)(struct ofconn *, const struct ofp_msg *);
};
static const struct connmgr_handler connmgr_handlers[] = {
    {OFPTYPE_HELLO, handle_ignore},
    {OFPTYPE_ERROR, handle_ignore},
    {OFPTYPE_ECHO_REPLY, handle_ignore},
    {OFPTYPE_ECHO_REQUEST, handle_echo},
    {OFPTYPE_GET_CONFIG_REQUEST, handle_get_config},
    {OFPTYPE_SET_CONFIG, handle_set_config},
    {OFPTYPE_BARRIER_REQUEST, handle_barrier},
    {OFPTYPE_ROLE_REQUEST, handle_role_request},
    {OFPTYPE_NXT_ROLE_REQUEST, handle_role_request},
    {OFPTYPE_GET_ASYNC_REQUEST, handle_get_async},
    {OFPTYPE_SET_ASYNC_CONFIG, handle_set_async},
    {OFPTYPE_NXT_SET_FLOW_FORMAT, handle_nx_set_flow_format},
    {OFPTYPE_NXT_SET_PACKET_IN_FORMAT, handle_nx_set_packet_in_format},
    {OFPTYPE_NXT_FLOW_MOD_TABLE_ID, handle_nx_flow_mod_table_id},
    {OFPTYPE_NXT_SET_CONTROLLER_ID, handle_nx_set_controller_id},
};
static const enum ofptype connmgr_master_only[] = {
    OFPTYPE_FLOW_MOD,     OFPTYPE_GROUP_MOD,     OFPTYPE_PORT_MOD,
    OFPTYPE_TABLE_MOD,    OFPTYPE_METER_MOD,     OFPTYPE_PACKET_OUT,
    OFPTYPE_NXT_FLOW_MOD, OFPTYPE_NXT_GROUP_MOD, OFPTYPE_BUNDLE_ADD_MESSAGE,
};

static void
ofconn_handle_msg(struct ofconn *c, const struct ofpbuf *buf)
{
    struct ofp_msg msg;
    const uint8_t *oh = buf->data;
    uint8_t version = ofconn_get_version(c);

    /* A request in another version than the negotiated one (errors from
     * the peer aside) is OFPBRC_BAD_VERSION, sent in the connection's
     * version (the code is the same in every version). */
    if (version && oh[0] != version && oh[1] != 1 /* OFPT_ERROR */) {
        struct ofpbuf *reply = ofperr_encode_reply(
            OFPERR_OFPBRC_BAD_VERSION, (const void *)buf->data, buf->size);
        ((uint8_t *)reply->data)[0] = version;
        ofconn_send(c, reply);
        return;
    }

    enum ofperr error = ofp_msg_decode(buf->data, buf->size, &msg);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
        VLOG_DBG_RL(&rl, "%s: undecodable message: %s",
                    vconn_get_name(c->vconn), ofperr_get_name(error));
        ofconn_send(
            c, ofperr_encode_reply(error, (const void *)buf->data, buf->size));
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(connmgr_handlers); i++) {
        if (connmgr_handlers[i].type == msg.type) {
            error = connmgr_handlers[i].handle(c, &msg);
            if (error) {
                ofconn_send_error(c, &msg, error);
            }
            return;
        }
    }
    if (c->role == OFPCR_ROLE_SLAVE) {
        for (size_t i = 0; i < ARRAY_SIZE(connmgr_master_only); i++) {
            if (connmgr_master_only[i] == msg.type) {
                ofconn_send_error(c, &msg, OFPERR_OFPBRC_IS_SLAVE);
                return;
            }
        }
    }
    ofproto_handle_msg(c->mgr->ofproto, c, &msg);
}

/* Handles up to CONNMGR_MSGS_PER_RUN messages.  Returns how many. */
static int
ofconn_run(struct ofconn *c)
{
    int n = 0;

    if (c->type == OFCONN_SERVICE && vconn_run(c->vconn)) {
        c->dead = true;
        return 0;
    }
    while (n < CONNMGR_MSGS_PER_RUN && !c->dead) {
        struct ofpbuf *buf;
        int error = vconn_recv(c->vconn, &buf);
        if (error) {
            c->dead = error != EAGAIN;
            break;
        }
        ofconn_handle_msg(c, buf);
        ofpbuf_delete(buf);
        n++;
    }
    if (!c->dead && ofconn_ready(c)) {
        pinsched_run(c->pinsched, ofconn_send_cb, c);
    }
    return n;
}

/* ---- Controllers. ---- */

static bool
connmgr_target_is_passive(const char *target)
{
    return !pstream_verify_name(target);
}

static void
ofcontroller_listen(struct connmgr *mgr, struct ofcontroller *ctl)
{
    int error = pvconn_open(ctl->cfg.target, mgr->versions,
                            ctl->cfg.probe_interval_ms, &ctl->pvconn);
    if (error && error != ctl->listen_error) {
        VLOG_WARN("%s: %s: cannot listen: %s", mgr->ofproto->name,
                  ctl->cfg.target, tern_strerror(error));
    }
    ctl->listen_error = error;
    ctl->next_listen = time_msec() + 1000;
}

static struct ofcontroller *
ofcontroller_create(struct connmgr *mgr, const struct ofproto_controller *cfg)
{
    struct ofcontroller *ctl = xzalloc(sizeof *ctl);

    ctl->cfg = *cfg;
    ctl->cfg.target = xstrdup(cfg->target);
    ctl->passive = connmgr_target_is_passive(cfg->target);
    if (ctl->passive) {
        ofcontroller_listen(mgr, ctl);
    } else {
        ctl->session = vconn_session_create(
            cfg->target, mgr->versions, cfg->max_backoff_ms,
            cfg->probe_interval_ms ? cfg->probe_interval_ms
                                   : VCONN_DEFAULT_PROBE_MS);
    }
    return ctl;
}

static void
ofcontroller_destroy(struct connmgr *mgr, struct ofcontroller *ctl)
{
    LIST_FOR_EACH_SAFE(node, next, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (c->ctl == ctl) {
            ofconn_destroy(c);
        }
    }
    vconn_session_destroy(ctl->session);
    pvconn_close(ctl->pvconn);
    free((char *)ctl->cfg.target);
    free(ctl);
}

/* Applies changed limits and probe settings in place. */
static void
ofcontroller_reconfigure(struct connmgr *mgr, struct ofcontroller *ctl,
                         const struct ofproto_controller *cfg)
{
    const char *target = ctl->cfg.target;

    ctl->cfg = *cfg;
    ctl->cfg.target = target;
    if (ctl->session) {
        vconn_session_set_max_backoff(ctl->session, cfg->max_backoff_ms);
        vconn_session_set_probe_interval(
            ctl->session, cfg->probe_interval_ms ? cfg->probe_interval_ms
                                                 : VCONN_DEFAULT_PROBE_MS);
    }
    LIST_FOR_EACH(node, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (c->ctl == ctl) {
            pinsched_set_limits(c->pinsched, cfg->rate_limit,
                                cfg->burst_limit);
        }
    }
}

void
connmgr_set_controllers(struct connmgr *mgr,
                        const struct ofproto_controller *cfgs, size_t n)
{
    struct ofcontroller **ctls = xcalloc(n ? n : 1, sizeof *ctls);
    size_t n_ctls = 0;
    bool changed = false;

    for (size_t i = 0; i < n; i++) {
        struct ofcontroller *ctl = NULL;
        for (size_t j = 0; j < mgr->n_ctls; j++) {
            if (mgr->ctls[j] &&
                !strcmp(mgr->ctls[j]->cfg.target, cfgs[i].target)) {
                ctl = mgr->ctls[j];
                mgr->ctls[j] = NULL;
                break;
            }
        }
        if (ctl) {
            ofcontroller_reconfigure(mgr, ctl, &cfgs[i]);
        } else if (stream_verify_name(cfgs[i].target) &&
                   pstream_verify_name(cfgs[i].target)) {
            VLOG_WARN("%s: %s: not a valid controller target",
                      mgr->ofproto->name, cfgs[i].target);
            continue;
        } else {
            ctl = ofcontroller_create(mgr, &cfgs[i]);
            changed = true;
            VLOG_INFO("%s: added controller %s", mgr->ofproto->name,
                      cfgs[i].target);
        }
        ctls[n_ctls++] = ctl;
    }
    for (size_t j = 0; j < mgr->n_ctls; j++) {
        if (mgr->ctls[j]) {
            VLOG_INFO("%s: removed controller %s", mgr->ofproto->name,
                      mgr->ctls[j]->cfg.target);
            ofcontroller_destroy(mgr, mgr->ctls[j]);
            changed = true;
        }
    }
    free(mgr->ctls);
    mgr->ctls = ctls;
    mgr->n_ctls = n_ctls;
    if (changed) {
        mgr->controllers_set_at = time_msec();
    }
}

bool
connmgr_has_controllers(const struct connmgr *mgr)
{
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        if (!mgr->ctls[i]->passive) {
            return true;
        }
    }
    return false;
}

/* Versions changed (Bridge.protocols): listeners offer the new set to new
 * connections, active targets reconnect. */
static void
connmgr_update_versions(struct connmgr *mgr)
{
    uint32_t versions = connmgr_versions__(mgr->ofproto);

    if (versions == mgr->versions) {
        return;
    }
    mgr->versions = versions;
    pvconn_set_allowed_versions(mgr->mgmt, versions);
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        struct ofcontroller *ctl = mgr->ctls[i];
        if (ctl->pvconn) {
            pvconn_set_allowed_versions(ctl->pvconn, versions);
        } else if (ctl->session) {
            if (ctl->conn) {
                ofconn_destroy(ctl->conn);
            }
            vconn_session_destroy(ctl->session);
            ctl->session = vconn_session_create(
                ctl->cfg.target, versions, ctl->cfg.max_backoff_ms,
                ctl->cfg.probe_interval_ms ? ctl->cfg.probe_interval_ms
                                           : VCONN_DEFAULT_PROBE_MS);
            ctl->seqno = 0;
        }
    }
}

/* ---- Life cycle and main loop. ---- */

struct connmgr *
connmgr_create(struct ofproto *ofproto)
{
    struct connmgr *mgr = xzalloc(sizeof *mgr);
    char *name;
    int error;

    mgr->ofproto = ofproto;
    list_init(&mgr->conns);
    mgr->versions = connmgr_versions__(ofproto);
    mgr->controllers_set_at = time_msec();
    mgr->fail_mode_wakeup = LLONG_MAX;
    mgr->mgmt_path = xasprintf("%s/%s.mgmt", daemon_rundir(), ofproto->name);
    name = xasprintf("punix:%s", mgr->mgmt_path);
    error = pvconn_open(name, mgr->versions, 0, &mgr->mgmt);
    if (error) {
        VLOG_WARN("%s: cannot listen on %s: %s", ofproto->name, mgr->mgmt_path,
                  tern_strerror(error));
    }
    free(name);
    return mgr;
}

void
connmgr_destroy(struct connmgr *mgr)
{
    if (!mgr) {
        return;
    }
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        ofcontroller_destroy(mgr, mgr->ctls[i]);
    }
    free(mgr->ctls);
    LIST_FOR_EACH_SAFE(node, next, &mgr->conns)
    {
        ofconn_destroy(CONTAINER_OF(node, struct ofconn, node));
    }
    pvconn_close(mgr->mgmt);
    free(mgr->mgmt_path);
    free(mgr);
}

static void
connmgr_accept(struct connmgr *mgr, struct pvconn *p, struct ofcontroller *ctl)
{
    for (int i = 0; p && i < 16; i++) {
        struct vconn *v;
        int error = pvconn_accept(p, &v);
        if (error) {
            if (error != EAGAIN) {
                VLOG_DBG("%s: accept failed: %s", pvconn_get_name(p),
                         tern_strerror(error));
            }
            return;
        }
        ofconn_create(mgr, OFCONN_SERVICE, ctl, v);
    }
}

/* Runs an active target: the connection follows the session's. */
static void
connmgr_run_session(struct connmgr *mgr, struct ofcontroller *ctl)
{
    vconn_session_run(ctl->session);
    struct vconn *v = vconn_session_get_vconn(ctl->session);
    unsigned int seqno = vconn_session_get_seqno(ctl->session);

    if (ctl->conn && (ctl->conn->vconn != v || seqno != ctl->seqno)) {
        ofconn_destroy(ctl->conn);
    }
    if (!ctl->conn && v && seqno != ctl->seqno) {
        ctl->conn = ofconn_create(mgr, OFCONN_PRIMARY, ctl, v);
        ctl->seqno = seqno;
    }
}

static void
connmgr_fail_mode_input(const struct connmgr *mgr, struct fail_mode_input *in)
{
    memset(in, 0, sizeof *in);
    in->n_controllers = mgr->n_ctls;
    in->disconnected_at = mgr->controllers_set_at;
    in->probe_ms = 0;
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        const struct ofcontroller *ctl = mgr->ctls[i];
        if (!ctl->session) {
            continue;
        }
        in->n_primary++;
        in->primary_connected |= vconn_session_is_connected(ctl->session);
        in->disconnected_at =
            MAX(in->disconnected_at,
                vconn_session_last_disconnected(ctl->session));
        int probe = ctl->cfg.probe_interval_ms > 0 ? ctl->cfg.probe_interval_ms
                                                   : VCONN_DEFAULT_PROBE_MS;
        in->probe_ms = MAX(in->probe_ms, probe);
    }
}

void
connmgr_run(struct connmgr *mgr)
{
    struct fail_mode_input in;
    long long now = time_msec();
    int n = 0;

    connmgr_update_versions(mgr);
    connmgr_accept(mgr, mgr->mgmt, NULL);
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        struct ofcontroller *ctl = mgr->ctls[i];
        if (ctl->session) {
            connmgr_run_session(mgr, ctl);
        } else if (ctl->pvconn) {
            connmgr_accept(mgr, ctl->pvconn, ctl);
        } else if (now >= ctl->next_listen) {
            ofcontroller_listen(mgr, ctl);
        }
    }
    LIST_FOR_EACH(node, &mgr->conns)
    {
        n += ofconn_run(CONTAINER_OF(node, struct ofconn, node));
    }
    if (n) {
        ofproto_flush_changes(mgr->ofproto);
    }
    LIST_FOR_EACH_SAFE(node, next, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (c->dead && c->type == OFCONN_SERVICE) {
            ofconn_destroy(c);
        }
    }
    connmgr_fail_mode_input(mgr, &in);
    mgr->fail_mode_wakeup = fail_mode_run(&mgr->fail_mode, mgr->ofproto, &in);
}

static void
connmgr_lower_timeout(int *timeout_ms, long long when)
{
    long long now = time_msec();
    long long wait = when > now ? when - now : 0;

    if (when == LLONG_MAX) {
        return;
    }
    if (*timeout_ms < 0 || wait < *timeout_ms) {
        *timeout_ms = (int)MIN(wait, INT_MAX);
    }
}

int
connmgr_poll_fds(struct connmgr *mgr, struct pollfd *pfds, int max,
                 int *timeout_ms)
{
    int n = 0;

    if (mgr->mgmt && n < max) {
        pvconn_poll_fd(mgr->mgmt, &pfds[n++]);
    }
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        struct ofcontroller *ctl = mgr->ctls[i];
        if (ctl->session && n < max) {
            vconn_session_poll_fd(ctl->session, &pfds[n++], timeout_ms);
        } else if (ctl->pvconn && n < max) {
            pvconn_poll_fd(ctl->pvconn, &pfds[n++]);
        } else if (!ctl->pvconn && !ctl->session) {
            connmgr_lower_timeout(timeout_ms, ctl->next_listen);
        }
    }
    LIST_FOR_EACH(node, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (c->dead) {
            *timeout_ms = 0;
        } else if (c->type == OFCONN_SERVICE && n < max) {
            vconn_poll_fd(c->vconn, &pfds[n++], timeout_ms);
        }
        pinsched_wait(c->pinsched, timeout_ms);
    }
    connmgr_lower_timeout(timeout_ms, mgr->fail_mode_wakeup);
    return n;
}

/* ---- Asynchronous messages. ---- */

void
connmgr_send_flow_removed(struct connmgr *mgr,
                          const struct ofp_flow_removed *fr)
{
    LIST_FOR_EACH(node, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (ofconn_wants(c, c->async.flow_removed, fr->reason)) {
            ofconn_send(c,
                        ofp_flow_removed_encode(fr, ofconn_get_version(c), 0));
        }
    }
}

void
connmgr_send_port_status(struct connmgr *mgr, uint8_t reason,
                         const struct ofp_phy_port *pp)
{
    LIST_FOR_EACH(node, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if (ofconn_wants(c, c->async.port_status, reason)) {
            ofconn_send(c, ofp_port_status_encode(reason, pp,
                                                  ofconn_get_version(c), 0));
        }
    }
}

/* miss_send_len applies to packets sent without an output action to the
 * controller: 1.0's table misses and invalid-TTL packets. */
static size_t
ofconn_pin_len(const struct ofconn *c, const struct ofp_packet_in *pin)
{
    bool use_miss_len = pin->reason == OFPR_INVALID_TTL ||
                        (pin->reason == OFPR_NO_MATCH &&
                         ofconn_get_version(c) == OFP10_VERSION);

    if (use_miss_len && c->miss_send_len != OFPCML_NO_BUFFER) {
        return MIN(pin->packet_len, c->miss_send_len);
    }
    return pin->packet_len;
}

void
connmgr_send_packet_in(struct connmgr *mgr, const struct ofp_packet_in *pin,
                       uint16_t controller_id)
{
    LIST_FOR_EACH(node, &mgr->conns)
    {
        struct ofconn *c = CONTAINER_OF(node, struct ofconn, node);
        if ((controller_id && c->controller_id != controller_id) ||
            !ofconn_wants(c, c->async.packet_in, pin->reason)) {
            continue;
        }
        if (vconn_backlog_msgs(c->vconn) > CONNMGR_PIN_BACKLOG) {
            c->pin_backlog_drops++;
            continue;
        }
        struct ofp_packet_in p = *pin;
        p.buffer_id = OFP_NO_BUFFER;
        p.packet_len = ofconn_pin_len(c, pin);
        struct ofpbuf *msg =
            ofp_packet_in_encode(&p, ofconn_get_version(c), 0);
        if (msg) {
            pinsched_send(c->pinsched, msg, ofconn_send_cb, c);
        }
    }
}

/* ---- Status. ---- */

static const char *
connmgr_role_name(enum ofp_controller_role role)
{
    return role == OFPCR_ROLE_MASTER  ? "master"
           : role == OFPCR_ROLE_SLAVE ? "slave"
                                      : "other";
}

static void
connmgr_active_status(const struct ofcontroller *ctl, struct smap *status)
{
    const struct vconn_session *s = ctl->session;
    long long now = time_msec();
    int error = vconn_session_get_last_error(s);

    smap_replace(status, "state", vconn_session_get_state(s));
    if (error) {
        smap_replace(status, "last_error",
                     error == EOF ? "End of file" : tern_strerror(error));
    }
    if (vconn_session_is_connected(s)) {
        smap_add_format(status, "sec_since_connect", "%lld",
                        (now - vconn_session_last_connected(s)) / 1000);
    } else if (vconn_session_last_disconnected(s)) {
        smap_add_format(status, "sec_since_disconnect", "%lld",
                        (now - vconn_session_last_disconnected(s)) / 1000);
    }
}

void
connmgr_get_controller_status(const struct connmgr *mgr,
                              void (*cb)(const char *target, bool connected,
                                         const char *role,
                                         const struct smap *status, void *aux),
                              void *aux)
{
    for (size_t i = 0; i < mgr->n_ctls; i++) {
        const struct ofcontroller *ctl = mgr->ctls[i];
        const struct ofconn *conn = ctl->conn;
        struct smap status;

        smap_init(&status);
        if (ctl->session) {
            connmgr_active_status(ctl, &status);
        } else {
            LIST_FOR_EACH(node, &mgr->conns)
            {
                const struct ofconn *c =
                    CONTAINER_OF(node, struct ofconn, node);
                if (c->ctl == ctl && !c->dead) {
                    conn = c;
                    break;
                }
            }
            if (ctl->listen_error) {
                smap_replace(&status, "last_error",
                             tern_strerror(ctl->listen_error));
            } else if (ctl->pvconn && pvconn_get_bound_port(ctl->pvconn)) {
                smap_add_format(&status, "bound_port", "%d",
                                pvconn_get_bound_port(ctl->pvconn));
            }
        }
        bool connected = conn && !conn->dead &&
                         vconn_get_state(conn->vconn) == VCONN_CONNECTED;
        cb(ctl->cfg.target, connected,
           connmgr_role_name(conn ? conn->role : OFPCR_ROLE_EQUAL), &status,
           aux);
        smap_destroy(&status);
    }
}

const char *
connmgr_get_mgmt_path(const struct connmgr *mgr)
{
    return mgr->mgmt_path;
}

size_t
connmgr_count_connections(const struct connmgr *mgr)
{
    return list_size(&mgr->conns);
}

unsigned long long
connmgr_get_pin_backlog_drops(const struct connmgr *mgr)
{
    unsigned long long n = mgr->pin_backlog_drops;

    LIST_FOR_EACH(node, &mgr->conns)
    {
        n += CONTAINER_OF(node, struct ofconn, node)->pin_backlog_drops;
    }
    return n;
}
