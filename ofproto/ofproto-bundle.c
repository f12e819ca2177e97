/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-bundle: OpenFlow bundles (1.4+, and the ONF extension that
 * ovs-ofctl --bundle uses with 1.3).  A connection opens a bundle, adds
 * flow, group, meter and port mods to it, and commits it: every message
 * is applied in order inside one transaction (ofproto_txn), and if any
 * fails every change is rolled back, so the bundle is all or nothing.
 * Messages are decoded when added (errors come back with the added
 * message's xid) and checked against the switch's state at commit.
 *
 * Limits (Documentation/openflow.md): OFPROTO_BUNDLE_MAX_MSGS messages and
 * OFPROTO_BUNDLE_MAX_BYTES bytes per bundle (OFPBFC_MSG_TOO_MANY),
 * OFPROTO_BUNDLE_MAX_PER_CONN open bundles per connection
 * (OFPBFC_OUT_OF_BUNDLES), and a bundle untouched for
 * OFPROTO_BUNDLE_IDLE_MS is discarded (a later commit gets
 * OFPBFC_BAD_ID).
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/ofp-bundle.h"
#include "lib/vlog.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto_bundle);

#define BUNDLE_KNOWN_FLAGS (OFPBF_ATOMIC | OFPBF_ORDERED)

/* One message of a bundle, decoded. */
struct bundle_msg {
    struct list_node node;
    enum ofptype type;
    enum ofp_version version;
    struct ofpbuf raw; /* The message as received, for error replies. */
    union {
        struct {
            struct ofp_flow_mod fm;
            struct ofpbuf ofpacts;
        } flow;
        struct ofp_group_mod gm;
        struct ofp_meter_mod mm;
        struct ofp_port_mod pm;
    } u;
};

struct ofbundle {
    struct hmap_node node; /* In ofproto->bundles. */
    struct ofconn *ofconn;
    uint32_t id;
    uint16_t flags;
    bool closed;
    enum ofp_version version;
    long long used;
    struct list_node msgs; /* struct bundle_msg, in order of addition. */
    size_t n_msgs, n_bytes;
};

static uint32_t
bundle_hash(const struct ofconn *ofconn, uint32_t id)
{
    return hash_int(id, hash_pointer(ofconn, 0));
}

static struct ofbundle *
bundle_find(const struct ofproto *ofproto, const struct ofconn *ofconn,
            uint32_t id)
{
    HMAP_FOR_EACH_WITH_HASH(node, bundle_hash(ofconn, id), &ofproto->bundles)
    {
        struct ofbundle *b = CONTAINER_OF(node, struct ofbundle, node);

        if (b->ofconn == ofconn && b->id == id) {
            return b;
        }
    }
    return NULL;
}

static size_t
bundles_of_conn(const struct ofproto *ofproto, const struct ofconn *ofconn)
{
    size_t n = 0;

    HMAP_FOR_EACH(node, &ofproto->bundles)
    {
        n += CONTAINER_OF(node, struct ofbundle, node)->ofconn == ofconn;
    }
    return n;
}

static void
bundle_msg_destroy(struct bundle_msg *bm)
{
    switch (bm->type) {
    case OFPTYPE_FLOW_MOD:
        ofpbuf_uninit(&bm->u.flow.ofpacts);
        break;
    case OFPTYPE_GROUP_MOD:
        ofp_group_mod_uninit(&bm->u.gm);
        break;
    default:
        break;
    }
    ofpbuf_uninit(&bm->raw);
    free(bm);
}

static struct ofbundle *
bundle_create(struct ofproto *ofproto, struct ofconn *ofconn, uint32_t id,
              uint16_t flags, enum ofp_version version)
{
    struct ofbundle *b = xzalloc(sizeof *b);

    b->ofconn = ofconn;
    b->id = id;
    b->flags = flags;
    b->version = version;
    b->used = time_msec();
    list_init(&b->msgs);
    hmap_insert(&ofproto->bundles, &b->node, bundle_hash(ofconn, id));
    return b;
}

static void
bundle_destroy(struct ofproto *ofproto, struct ofbundle *b)
{
    hmap_remove(&ofproto->bundles, &b->node);
    LIST_FOR_EACH_SAFE(node, next, &b->msgs)
    {
        bundle_msg_destroy(CONTAINER_OF(node, struct bundle_msg, node));
    }
    free(b);
}

/* Decodes the embedded message 'inner' into 'bm'. */
static enum ofperr
bundle_msg_decode(struct bundle_msg *bm, const struct ofp_msg *inner)
{
    bm->type = inner->type;
    bm->version = inner->version;
    switch (inner->type) {
    case OFPTYPE_FLOW_MOD:
        ofpbuf_init(&bm->u.flow.ofpacts, 64);
        return ofp_flow_mod_decode(inner, &bm->u.flow.fm, &bm->u.flow.ofpacts);
    case OFPTYPE_GROUP_MOD:
        return ofp_group_mod_decode(inner, &bm->u.gm);
    case OFPTYPE_METER_MOD:
        return ofp_meter_mod_decode(inner, &bm->u.mm);
    case OFPTYPE_PORT_MOD:
        return ofp_port_mod_decode(inner, &bm->u.pm);
    case OFPTYPE_PACKET_OUT: {
        /* Checked now, decoded again from 'raw' when it runs. */
        struct ofp_packet_out po;
        struct ofpbuf ofpacts;
        enum ofperr error;

        ofpbuf_init(&ofpacts, 64);
        error = ofp_packet_out_decode(inner, &po, &ofpacts);
        ofpbuf_uninit(&ofpacts);
        if (!error && po.buffer_id != OFP_NO_BUFFER) {
            error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
        }
        return error;
    }
    default:
        bm->type = OFPTYPE_HELLO; /* Nothing to free. */
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
}

static enum ofperr
bundle_msg_apply(struct ofproto_txn *txn, struct bundle_msg *bm)
{
    switch (bm->type) {
    case OFPTYPE_FLOW_MOD:
        bm->u.flow.fm.ofpacts =
            (struct ofpact *)(void *)bm->u.flow.ofpacts.data;
        return ofproto_flow_mod_txn(txn, &bm->u.flow.fm, bm->version);
    case OFPTYPE_GROUP_MOD:
        return ofproto_group_mod_txn(txn, &bm->u.gm);
    case OFPTYPE_METER_MOD:
        return ofproto_meter_mod_txn(txn, &bm->u.mm);
    case OFPTYPE_PORT_MOD:
        return ofproto_port_mod_txn(txn, &bm->u.pm);
    case OFPTYPE_PACKET_OUT:
        return 0; /* Runs after the changes commit. */
    default:
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
}

/* Sends the packet-outs of a committed bundle, in order.  Packets cannot
 * be taken back, so they go only once every change has committed. */
static void
run_packet_outs(struct ofproto *ofproto, const struct ofbundle *b)
{
    LIST_FOR_EACH(node, &b->msgs)
    {
        struct bundle_msg *bm = CONTAINER_OF(node, struct bundle_msg, node);
        struct ofp_packet_out po;
        struct ofpbuf ofpacts;
        struct ofp_msg inner;

        if (bm->type != OFPTYPE_PACKET_OUT ||
            ofp_msg_decode(bm->raw.data, bm->raw.size, &inner)) {
            continue;
        }
        ofpbuf_init(&ofpacts, 64);
        if (!ofp_packet_out_decode(&inner, &po, &ofpacts)) {
            ofproto_packet_out(ofproto, &po);
        }
        ofpbuf_uninit(&ofpacts);
    }
}

/* Applies every message of 'b' atomically.  On failure, the changes are
 * rolled back, *failedp is the message that failed and its error is
 * returned. */
static enum ofperr
bundle_commit(struct ofproto *ofproto, struct ofbundle *b,
              struct bundle_msg **failedp)
{
    struct ofproto_txn txn;
    enum ofperr error = 0;

    *failedp = NULL;
    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    LIST_FOR_EACH(node, &b->msgs)
    {
        struct bundle_msg *bm = CONTAINER_OF(node, struct bundle_msg, node);

        error = bundle_msg_apply(&txn, bm);
        if (error) {
            *failedp = bm;
            break;
        }
    }
    if (error) {
        ofproto_txn_rollback(&txn);
    } else {
        ofproto_txn_commit(&txn);
    }
    pthread_mutex_unlock(&ofproto->mutex);
    if (!error) {
        run_packet_outs(ofproto, b);
    }
    return error;
}

static void
send_ctrl_reply(struct ofconn *ofconn, const struct ofp_msg *request,
                const struct ofp_bundle_ctrl *bc, uint16_t reply_type)
{
    struct ofp_bundle_ctrl reply = *bc;

    reply.type = reply_type;
    if (ofconn) {
        struct ofpbuf *msg =
            ofp_bundle_ctrl_encode(&reply, request->version, request->xid);

        if (msg) {
            ofconn_send(ofconn, msg);
        }
    }
}

static void
send_inner_error(struct ofconn *ofconn, const struct bundle_msg *bm,
                 enum ofperr error)
{
    struct ofp_msg inner;

    if (ofconn && !ofp_msg_decode(bm->raw.data, bm->raw.size, &inner)) {
        ofconn_send_error(ofconn, &inner, error);
    }
}

/* Runs a bundle control request; returns 0 after sending the reply. */
static enum ofperr
bundle_control__(struct ofproto *ofproto, struct ofconn *ofconn,
                 const struct ofp_msg *msg, const struct ofp_bundle_ctrl *bc)
{
    struct ofbundle *b = bundle_find(ofproto, ofconn, bc->bundle_id);
    struct bundle_msg *failed;
    enum ofperr error;

    switch (bc->type) {
    case OFPBCT_OPEN_REQUEST:
        if (b) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (bc->flags & ~BUNDLE_KNOWN_FLAGS) {
            return OFPERR_OFPBFC_BAD_FLAGS;
        }
        if (bundles_of_conn(ofproto, ofconn) >= OFPROTO_BUNDLE_MAX_PER_CONN) {
            return OFPERR_OFPBFC_OUT_OF_BUNDLES;
        }
        bundle_create(ofproto, ofconn, bc->bundle_id, bc->flags, msg->version);
        send_ctrl_reply(ofconn, msg, bc, OFPBCT_OPEN_REPLY);
        return 0;
    case OFPBCT_CLOSE_REQUEST:
        if (!b) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (b->closed) {
            bundle_destroy(ofproto, b);
            return OFPERR_OFPBFC_BUNDLE_CLOSED;
        }
        if (b->flags != bc->flags) {
            bundle_destroy(ofproto, b);
            return OFPERR_OFPBFC_BAD_FLAGS;
        }
        b->closed = true;
        b->used = time_msec();
        send_ctrl_reply(ofconn, msg, bc, OFPBCT_CLOSE_REPLY);
        return 0;
    case OFPBCT_COMMIT_REQUEST:
        if (!b) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (b->flags != bc->flags) {
            bundle_destroy(ofproto, b);
            return OFPERR_OFPBFC_BAD_FLAGS;
        }
        error = bundle_commit(ofproto, b, &failed);
        if (error && failed) {
            send_inner_error(ofconn, failed, error);
        }
        bundle_destroy(ofproto, b);
        if (error) {
            return OFPERR_OFPBFC_MSG_FAILED;
        }
        send_ctrl_reply(ofconn, msg, bc, OFPBCT_COMMIT_REPLY);
        return 0;
    case OFPBCT_DISCARD_REQUEST:
        if (!b) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        bundle_destroy(ofproto, b);
        send_ctrl_reply(ofconn, msg, bc, OFPBCT_DISCARD_REPLY);
        return 0;
    default:
        return OFPERR_OFPBFC_BAD_TYPE;
    }
}

enum ofperr
ofproto_bundle_control(struct ofproto *ofproto, struct ofconn *ofconn,
                       const struct ofp_msg *msg)
{
    struct ofp_bundle_ctrl bc;
    enum ofperr error = ofp_bundle_ctrl_decode(msg, &bc);

    return error ? error : bundle_control__(ofproto, ofconn, msg, &bc);
}

enum ofperr
ofproto_bundle_add(struct ofproto *ofproto, struct ofconn *ofconn,
                   const struct ofp_msg *msg)
{
    struct ofp_bundle_add ba;
    struct ofp_msg inner;
    struct bundle_msg *bm;
    struct ofbundle *b;
    enum ofperr error;

    error = ofp_bundle_add_decode(msg, &ba);
    if (error) {
        return error;
    }
    b = bundle_find(ofproto, ofconn, ba.bundle_id);
    if (!b) {
        /* The spec opens a bundle implicitly with the message's flags. */
        if (ba.flags & ~BUNDLE_KNOWN_FLAGS) {
            return OFPERR_OFPBFC_BAD_FLAGS;
        }
        if (bundles_of_conn(ofproto, ofconn) >= OFPROTO_BUNDLE_MAX_PER_CONN) {
            return OFPERR_OFPBFC_OUT_OF_BUNDLES;
        }
        b = bundle_create(ofproto, ofconn, ba.bundle_id, ba.flags,
                          msg->version);
    } else if (b->closed) {
        bundle_destroy(ofproto, b);
        return OFPERR_OFPBFC_BUNDLE_CLOSED;
    } else if (b->flags != ba.flags) {
        bundle_destroy(ofproto, b);
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    b->used = time_msec();
    if (b->n_msgs >= OFPROTO_BUNDLE_MAX_MSGS ||
        b->n_bytes + ba.msg_len > OFPROTO_BUNDLE_MAX_BYTES) {
        return OFPERR_OFPBFC_MSG_TOO_MANY;
    }
    error = ofp_msg_decode(ba.msg, ba.msg_len, &inner);
    if (error) {
        return error;
    }
    bm = xzalloc(sizeof *bm);
    error = bundle_msg_decode(bm, &inner);
    if (error) {
        bundle_msg_destroy(bm);
        return error;
    }
    ofpbuf_init(&bm->raw, ba.msg_len);
    ofpbuf_put(&bm->raw, ba.msg, ba.msg_len);
    list_push_back(&b->msgs, &bm->node);
    b->n_msgs++;
    b->n_bytes += ba.msg_len;
    return 0;
}

void
ofproto_bundles_ofconn_closed(struct ofproto *ofproto, struct ofconn *ofconn)
{
    HMAP_FOR_EACH_SAFE(node, next, &ofproto->bundles)
    {
        struct ofbundle *b = CONTAINER_OF(node, struct ofbundle, node);

        if (b->ofconn == ofconn) {
            bundle_destroy(ofproto, b);
        }
    }
}

void
ofproto_bundles_run(struct ofproto *ofproto)
{
    long long now = time_msec();

    HMAP_FOR_EACH_SAFE(node, next, &ofproto->bundles)
    {
        struct ofbundle *b = CONTAINER_OF(node, struct ofbundle, node);

        if (now - b->used >= OFPROTO_BUNDLE_IDLE_MS) {
            VLOG_INFO("%s: bundle %" PRIu32 " idle for %d ms, discarded",
                      ofproto->name, b->id, OFPROTO_BUNDLE_IDLE_MS);
            bundle_destroy(ofproto, b);
        }
    }
}

void
ofproto_bundles_init(struct ofproto *ofproto)
{
    hmap_init(&ofproto->bundles);
}

void
ofproto_bundles_destroy(struct ofproto *ofproto)
{
    HMAP_FOR_EACH_SAFE(node, next, &ofproto->bundles)
    {
        bundle_destroy(ofproto, CONTAINER_OF(node, struct ofbundle, node));
    }
    hmap_destroy(&ofproto->bundles);
}
