/* SPDX-License-Identifier: Apache-2.0 */
/*
 * upcall: the datapath's way into the OpenFlow switch.
 *
 * A miss upcall (PMD thread) translates the packet's key through the
 * tables (xlate.c) and hands back the actions and megaflow mask for the
 * datapath to install.  The packet that missed is then run by the
 * installed flow, so the flow's statistics count it and the statistics
 * pull (revalidate.c) credits it to the rules; the upcall credits nothing
 * itself, which would count that packet twice.
 *
 * An action upcall carrying packet-in userdata (xlate.h) copies the packet
 * into a bounded per-switch queue (XLATE_MAX_PINS, overflow dropped and
 * counted); the main thread drains it into connmgr_send_packet_in().
 *
 * A miss of a recirculated packet (key.recirc_id != 0) resumes the frozen
 * translation (xlate-freeze.h); if the id is unknown or a new freeze finds
 * the frozen-state table full, the upcall fails and the datapath drops
 * the packet without caching anything.
 *
 * Packet-out translates the message's actions for its packet and runs the
 * result with dpif_execute() (whose recirculations the datapath runs
 * through upcalls like any other packet).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "lib/dp-packet.h"
#include "lib/rcu.h"
#include "lib/util.h"
#include "lib/vlog.h"
#include "ofproto/xlate-freeze.h"
#include "ofproto/xlate.h"

VLOG_DEFINE_THIS_MODULE(upcall);

/* A queued packet-in. */
struct xlate_pin {
    struct list_node node;
    struct xlate_pin_userdata ud;
    size_t len;
    uint8_t data[];
};

/* Every state, so that none is ever unreachable (states_mutex). */
static pthread_mutex_t states_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct list_node all_states = {&all_states, &all_states};

struct ofproto_xlate *
xlate_state(struct ofproto *ofproto)
{
    /* Pairs with the release store below. */
    struct ofproto_xlate *x =
        atomic_load_explicit(&ofproto->xlate, memory_order_acquire);

    if (x) {
        return x;
    }
    pthread_mutex_lock(&states_mutex);
    x = atomic_load_explicit(&ofproto->xlate, memory_order_relaxed);
    if (!x) {
        x = xzalloc(sizeof *x);
        pthread_mutex_init(&x->mutex, NULL);
        list_init(&x->pins);
        hmap_init(&x->flows);
        x->frozen = xlate_frozen_table_create();
        list_push_back(&all_states, &x->node);
        atomic_store_explicit(&ofproto->xlate, x, memory_order_release);
    }
    pthread_mutex_unlock(&states_mutex);
    return x;
}

static void
xlate_pins_free(struct list_node *list)
{
    while (!list_is_empty(list)) {
        free(CONTAINER_OF(list_pop_front(list), struct xlate_pin, node));
    }
}

void
ofproto_xlate_destroy(struct ofproto *ofproto)
{
    struct ofproto_xlate *x =
        atomic_exchange_explicit(&ofproto->xlate, NULL, memory_order_acq_rel);

    if (!x) {
        return;
    }
    pthread_mutex_lock(&states_mutex);
    list_remove(&x->node);
    pthread_mutex_unlock(&states_mutex);
    xlate_pins_free(&x->pins);
    xlate_flow_stats_clear(x);
    hmap_destroy(&x->flows);
    xlate_frozen_table_destroy(x->frozen);
    pthread_mutex_destroy(&x->mutex);
    free(x);
}

static void
upcall_queue_pin(struct ofproto *ofproto, const struct dpif_upcall *up)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct ofproto_xlate *x = xlate_state(ofproto);
    size_t len = up->packet ? dp_packet_size(up->packet) : 0;
    struct xlate_pin *pin;

    pin = xmalloc(sizeof *pin + len);
    memcpy(&pin->ud, up->userdata, sizeof pin->ud);
    pin->len = len;
    if (len) {
        memcpy(pin->data, dp_packet_data(up->packet), len);
    }
    pthread_mutex_lock(&x->mutex);
    if (x->n_pins >= XLATE_MAX_PINS) {
        x->n_pins_dropped++;
        pthread_mutex_unlock(&x->mutex);
        free(pin);
        VLOG_WARN_RL(&rl, "%s: packet-in queue full, dropping", ofproto->name);
        return;
    }
    x->n_pins++;
    list_push_back(&x->pins, &pin->node);
    pthread_mutex_unlock(&x->mutex);
}

int
ofproto_upcall(const struct dpif_upcall *up, struct dp_actions_buf *actions,
               struct flow_wildcards *wc, void *aux)
{
    struct ofproto *ofproto = aux;

    if (up->type == DPIF_UC_MISS) {
        struct xlate_in xin = {
            .ofproto = ofproto,
            .flow = *up->key,
            .may_learn = true,
        };
        int error;

        /* Counted before the translation reads any table: a flush that
         * does not see the count grow knows that no flow is on its way
         * (pairs with the fence in ofproto_flush_changes()). */
        atomic_fetch_add_explicit(&ofproto->n_upcalls, 1,
                                  memory_order_seq_cst);
        error = xlate_actions(&xin, actions, wc);

        /* On ELOOP the actions are a drop: cache that too.  An unknown
         * recirc_id or a full frozen-state table drops this packet only:
         * a later packet may fare better. */
        return error == ENOENT || error == ENOSPC ? error : 0;
    }
    if (up->pid == XLATE_PIN_PID &&
        up->userdata_len == sizeof(struct xlate_pin_userdata)) {
        upcall_queue_pin(ofproto, up);
    }
    return 0;
}

void
ofproto_drain_packet_ins(struct ofproto *ofproto)
{
    struct ofproto_xlate *x =
        atomic_load_explicit(&ofproto->xlate, memory_order_acquire);
    struct list_node pins;

    if (!x) {
        return;
    }
    list_init(&pins);
    pthread_mutex_lock(&x->mutex);
    if (!list_is_empty(&x->pins)) {
        /* Take the whole queue. */
        pins.next = x->pins.next;
        pins.prev = x->pins.prev;
        pins.next->prev = &pins;
        pins.prev->next = &pins;
        list_init(&x->pins);
    }
    x->n_pins = 0;
    pthread_mutex_unlock(&x->mutex);

    LIST_FOR_EACH(node, &pins)
    {
        const struct xlate_pin *p = CONTAINER_OF(node, struct xlate_pin, node);
        struct ofp_packet_in pin;
        tern_be64 md;

        memset(&pin, 0, sizeof pin);
        pin.packet = p->data;
        pin.total_len = p->len;
        pin.packet_len = p->ud.max_len == OFPCML_NO_BUFFER
                             ? p->len
                             : MIN(p->len, p->ud.max_len);
        pin.buffer_id = OFP_NO_BUFFER;
        pin.reason = p->ud.reason;
        pin.table_id = p->ud.table_id;
        pin.cookie = ((uint64_t)p->ud.cookie[0] << 32) | p->ud.cookie[1];
        match_init_catchall(&pin.match);
        pin.match.flow.in_port = p->ud.in_port;
        pin.match.wc.masks.in_port = UINT32_MAX;
        memcpy(pin.match.flow.metadata, p->ud.metadata,
               sizeof pin.match.flow.metadata);
        memcpy(&md, p->ud.metadata, sizeof md);
        if (md) {
            flow_set_metadata(&pin.match.wc.masks, UINT64_MAX);
        }
        for (size_t i = 0; i < ARRAY_SIZE(p->ud.regs); i++) {
            pin.match.flow.regs[i] = p->ud.regs[i];
            pin.match.wc.masks.regs[i] = p->ud.regs[i] ? UINT32_MAX : 0;
        }
        if (ofproto->connmgr) {
            connmgr_send_packet_in(ofproto->connmgr, &pin,
                                   p->ud.controller_id);
        }
    }
    xlate_pins_free(&pins);
}

/* Datapath port for a packet-out's in_port. */
static uint32_t
packet_out_dp_port(struct ofproto *ofproto, uint32_t in_port)
{
    const struct ofport_snapshot *s = rcu_get(ofproto->port_snapshot);

    for (size_t i = 0; s && i < s->n; i++) {
        if (s->ports[i].ofp_port == in_port) {
            return s->ports[i].dp_port;
        }
    }
    return in_port < OFPP_MAX ? in_port : DPIF_PORT_ANY;
}

enum ofperr
ofproto_packet_out(struct ofproto *ofproto, const struct ofp_packet_out *po)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    uint32_t dp_in = packet_out_dp_port(ofproto, po->in_port);
    struct flow_md md = {.in_port = dp_in};
    struct dp_actions_buf acts;
    struct flow_wildcards wc;
    struct xlate_in xin;
    struct flow_key key;
    struct dp_packet *pkt;
    int error;

    if (po->buffer_id != OFP_NO_BUFFER) {
        return OFPERR_OFPBRC_BUFFER_UNKNOWN;
    }
    flow_extract(po->packet, po->packet_len, &md, &key, NULL);
    memset(&xin, 0, sizeof xin);
    xin.ofproto = ofproto;
    xin.flow = key.flow;
    xin.in_ofp_port = po->in_port == OFPP_ANY ? OFPP_CONTROLLER : po->in_port;
    xin.ofpacts = po->ofpacts;
    xin.ofpacts_len = po->ofpacts_len;
    xin.may_learn = true;
    if (!xin.ofpacts) {
        /* An empty action list: drop, but still a valid packet-out. */
        return 0;
    }

    dp_actions_buf_init(&acts);
    flow_wildcards_init_catchall(&wc);
    xlate_actions(&xin, &acts, &wc);
    if (acts.size) {
        pkt = dp_packet_clone_data(NULL, po->packet, po->packet_len);
        if (!pkt) {
            VLOG_WARN_RL(&rl, "%s: no buffer for a packet-out of %zu bytes",
                         ofproto->name, po->packet_len);
        } else {
            dp_packet_reset_md(pkt, dp_in);
            error = dpif_execute(ofproto->dpif, pkt, acts.data, acts.size);
            if (error) {
                VLOG_WARN_RL(&rl, "%s: packet-out failed (%s)", ofproto->name,
                             tern_strerror(error));
            }
        }
    }
    dp_actions_buf_uninit(&acts);
    return 0;
}
