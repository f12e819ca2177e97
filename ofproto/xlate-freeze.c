/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-freeze: frozen translations and the table that names them (see
 * xlate-freeze.h).  xlate.c calls xlate_freeze() and xlate_thaw(); the
 * statistics pull (revalidate.c) calls xlate_frozen_gc().
 *
 * A frozen state is one byte string, compared and hashed as a whole:
 *
 *   struct frozen_hdr                  what the walk carries besides actions
 *   hdr.aset_len bytes of ofpacts      the action set, as write_actions
 *   segments until the end             struct frozen_seg + seg.len bytes
 *
 * The segments run in order; a segment with 'then_aset' is the rest of a
 * pipeline, after which the action set runs.  Every part is a multiple of
 * OFPACT_ALIGN bytes, so the ofpacts in a malloc'd copy are aligned.
 */
#include <config.h>

#include "ofproto/xlate-freeze.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(xlate_freeze);

struct frozen_hdr {
    uint64_t cookie;
    tern_be32 metadata[2];
    uint32_t regs[8]; /* Pipeline registers, as the walk left them. */
    uint32_t in_port; /* OpenFlow in_port of the walk. */
    uint32_t aset_len;
    uint16_t n_resubmits;
    uint8_t table_id;
    uint8_t group_depth;
    uint8_t flags; /* FROZEN_F_*. */
    uint8_t pad[3];
};
BUILD_ASSERT(sizeof(struct frozen_hdr) % OFPACT_ALIGN == 0);
#define FROZEN_F_MISS_RULE  0x01
#define FROZEN_F_PACKET_OUT 0x02

struct frozen_seg {
    uint32_t len; /* Bytes of ofpacts that follow. */
    uint32_t then_aset;
};
BUILD_ASSERT(sizeof(struct frozen_seg) == OFPACT_ALIGN);

struct frozen_state {
    struct hmap_node id_node;   /* In table->by_id, by hash_int(id). */
    struct hmap_node data_node; /* In table->by_data, by content. */
    uint32_t id;
    uint64_t seen; /* Last GC round that found it referred to. */
    size_t size;
    uint64_t data[]; /* 'size' bytes. */
};

struct xlate_frozen_table {
    pthread_mutex_t mutex; /* Guards everything below. */
    struct hmap by_id, by_data;
    uint32_t next_id;
    size_t max;
    uint64_t gc_round;
    uint64_t n_full, n_unknown, n_collected;
};

/* ---- The table. ---- */

struct xlate_frozen_table *
xlate_frozen_table_create(void)
{
    struct xlate_frozen_table *t = xzalloc(sizeof *t);

    pthread_mutex_init(&t->mutex, NULL);
    hmap_init(&t->by_id);
    hmap_init(&t->by_data);
    t->next_id = 1;
    t->max = XLATE_FROZEN_MAX;
    return t;
}

void
xlate_frozen_table_destroy(struct xlate_frozen_table *t)
{
    if (!t) {
        return;
    }
    HMAP_FOR_EACH_SAFE(node, next, &t->by_id)
    {
        struct frozen_state *s =
            CONTAINER_OF(node, struct frozen_state, id_node);

        hmap_remove(&t->by_id, &s->id_node);
        hmap_remove(&t->by_data, &s->data_node);
        free(s);
    }
    hmap_destroy(&t->by_id);
    hmap_destroy(&t->by_data);
    pthread_mutex_destroy(&t->mutex);
    free(t);
}

static struct xlate_frozen_table *
frozen_table(struct ofproto *ofproto)
{
    return xlate_state(ofproto)->frozen;
}

/* Caller holds t->mutex. */
static struct frozen_state *
frozen_find_id(const struct xlate_frozen_table *t, uint32_t id)
{
    HMAP_FOR_EACH_WITH_HASH(node, hash_int(id, 0), &t->by_id)
    {
        struct frozen_state *s =
            CONTAINER_OF(node, struct frozen_state, id_node);

        if (s->id == id) {
            return s;
        }
    }
    return NULL;
}

/* Returns the id of the state 'data' ('size' bytes, copied), adding it if
 * new, or 0 if the table is full. */
static uint32_t
frozen_intern(struct xlate_frozen_table *t, const void *data, size_t size)
{
    uint32_t hash = hash_bytes(data, size, 0);
    struct frozen_state *s;
    uint32_t id = 0;

    pthread_mutex_lock(&t->mutex);
    HMAP_FOR_EACH_WITH_HASH(node, hash, &t->by_data)
    {
        s = CONTAINER_OF(node, struct frozen_state, data_node);
        if (s->size == size && !memcmp(s->data, data, size)) {
            s->seen = t->gc_round;
            id = s->id;
            goto out;
        }
    }
    if (hmap_count(&t->by_id) >= t->max) {
        t->n_full++;
        goto out;
    }
    /* Ids go up and wrap, skipping 0 and the ones still in use. */
    do {
        id = t->next_id++;
    } while (!id || frozen_find_id(t, id));
    s = xmalloc(sizeof *s + size);
    s->id = id;
    s->seen = t->gc_round;
    s->size = size;
    memcpy(s->data, data, size);
    hmap_insert(&t->by_id, &s->id_node, hash_int(id, 0));
    hmap_insert(&t->by_data, &s->data_node, hash);
out:
    pthread_mutex_unlock(&t->mutex);
    return id;
}

/* A malloc'd copy of state 'id' (its size in *sizep), or NULL. */
static void *
frozen_copy(struct xlate_frozen_table *t, uint32_t id, size_t *sizep)
{
    struct frozen_state *s;
    void *copy = NULL;

    pthread_mutex_lock(&t->mutex);
    s = frozen_find_id(t, id);
    if (s) {
        copy = xmemdup(s->data, s->size);
        *sizep = s->size;
    } else {
        t->n_unknown++;
    }
    pthread_mutex_unlock(&t->mutex);
    return copy;
}

void
xlate_frozen_get_stats(struct ofproto *ofproto, struct xlate_frozen_stats *st)
{
    struct xlate_frozen_table *t = frozen_table(ofproto);

    pthread_mutex_lock(&t->mutex);
    st->n_states = hmap_count(&t->by_id);
    st->n_full = t->n_full;
    st->n_unknown = t->n_unknown;
    st->n_collected = t->n_collected;
    pthread_mutex_unlock(&t->mutex);
}

void
xlate_frozen_set_max(struct ofproto *ofproto, size_t max)
{
    struct xlate_frozen_table *t = frozen_table(ofproto);

    pthread_mutex_lock(&t->mutex);
    t->max = max ? max : XLATE_FROZEN_MAX;
    pthread_mutex_unlock(&t->mutex);
}

void
xlate_frozen_gc(struct ofproto *ofproto, const uint32_t *ids, size_t n)
{
    struct xlate_frozen_table *t = frozen_table(ofproto);

    pthread_mutex_lock(&t->mutex);
    t->gc_round++;
    for (size_t i = 0; i < n; i++) {
        struct frozen_state *s = ids[i] ? frozen_find_id(t, ids[i]) : NULL;

        if (s) {
            s->seen = t->gc_round;
        }
    }
    /* A state made or used since the previous round survives this one:
     * the flow that refers to it may not have been installed yet. */
    HMAP_FOR_EACH_SAFE(node, next, &t->by_id)
    {
        struct frozen_state *s =
            CONTAINER_OF(node, struct frozen_state, id_node);

        if (s->seen + 1 < t->gc_round) {
            hmap_remove(&t->by_id, &s->id_node);
            hmap_remove(&t->by_data, &s->data_node);
            free(s);
            t->n_collected++;
        }
    }
    pthread_mutex_unlock(&t->mutex);
}

/* ---- Freezing. ---- */

static bool
set_field_needs_l3(const struct ofpact_set_field *sf)
{
    const struct mf_field *mf = mf_from_id(sf->field);

    if (!mf) {
        return false;
    }
    switch (mf->prereq) {
    case MFP_NONE:
    case MFP_VLAN:
    case MFP_MPLS:
    case MFP_IN_PORT:
        return false;
    default:
        return true;
    }
}

static bool
output_needs_l3(uint32_t port)
{
    return port == OFPP_TABLE || port == OFPP_NORMAL;
}

static bool
group_needs_l3(const struct xlate_ctx *ctx, uint32_t group_id)
{
    const struct ofgroup_snapshot *s = ctx->groups;

    for (size_t i = 0; s && i < s->n; i++) {
        if (s->groups[i]->group_id == group_id) {
            /* Only select groups read the packet (to hash it); the
             * buckets of the others freeze on their own if they must. */
            return s->groups[i]->type == OFPGT_SELECT;
        }
    }
    return false;
}

bool
xlate_freeze_needed(const struct xlate_ctx *ctx, const struct ofpact *a)
{
    switch ((enum ofpact_type)a->type) {
    case OFPACT_GOTO_TABLE:
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
    case OFPACT_SET_IP_DSCP:
    case OFPACT_SET_IP_TTL:
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
    case OFPACT_DEC_TTL:
    case OFPACT_PUSH_MPLS: /* Copies the IP TTL. */
        return true;
    case OFPACT_SET_FIELD:
        return set_field_needs_l3((const void *)a);
    case OFPACT_OUTPUT:
        return output_needs_l3(
            ((const struct ofpact_output *)(const void *)a)->port);
    case OFPACT_ENQUEUE:
        return output_needs_l3(
            ((const struct ofpact_enqueue *)(const void *)a)->port);
    case OFPACT_GROUP:
        return group_needs_l3(
            ctx, ((const struct ofpact_group *)(const void *)a)->group_id);
    default:
        return false;
    }
}

struct freeze_builder {
    struct ofpbuf buf;
    size_t seg_ofs; /* Of the open segment's header. */
};

static void
fb_put_ofpact(struct freeze_builder *fb, const struct ofpact *a)
{
    size_t n = ROUND_UP(a->len, OFPACT_ALIGN);
    uint8_t *p = ofpbuf_put_zeros(&fb->buf, n);

    memcpy(p, a, a->len);
}

static void
fb_put_list(struct freeze_builder *fb, const void *start, const void *end)
{
    size_t len = (size_t)((const uint8_t *)end - (const uint8_t *)start);

    OFPACT_FOR_EACH(a, (const struct ofpact *)start, len)
    {
        fb_put_ofpact(fb, a);
    }
}

static void
fb_seg_open(struct freeze_builder *fb)
{
    fb->seg_ofs = fb->buf.size;
    ofpbuf_put_zeros(&fb->buf, sizeof(struct frozen_seg));
}

/* Closes the open segment; an empty one that runs nothing is dropped, so
 * that equal walks give equal strings. */
static void
fb_seg_close(struct freeze_builder *fb, bool then_aset)
{
    struct frozen_seg *seg = ofpbuf_at(&fb->buf, fb->seg_ofs, sizeof *seg);

    seg->len = (uint32_t)(fb->buf.size - fb->seg_ofs - sizeof *seg);
    seg->then_aset = then_aset;
    if (!seg->len && !then_aset) {
        fb->buf.size = fb->seg_ofs;
    }
}

static void
fb_put_aset(struct freeze_builder *fb, const struct xlate_action_set *as)
{
    for (size_t i = 0; i < OFPACT_N_TYPES; i++) {
        if (as->by_type[i]) {
            fb_put_ofpact(fb, as->by_type[i]);
        }
    }
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        if (as->fields[i]) {
            fb_put_ofpact(fb, as->fields[i]);
        }
    }
    if (as->output) {
        fb_put_ofpact(fb, as->output);
    }
}

/* True if the rest of the walk reaches the end of a pipeline, where the
 * action set runs (a bucket's rest does not: the pipeline ends in the
 * current pass). */
static bool
freeze_reaches_pipeline(const struct xlate_ctx *ctx)
{
    for (const struct xlate_frame *fr = ctx->frames; fr; fr = fr->up) {
        if (fr->type == XLATE_FRAME_BUCKET) {
            return false;
        } else if (fr->type == XLATE_FRAME_PIPELINE ||
                   fr->type == XLATE_FRAME_SEGS) {
            return true;
        }
    }
    return false;
}

static void
freeze_put_hdr(struct freeze_builder *fb, const struct xlate_ctx *ctx)
{
    struct frozen_hdr *h = ofpbuf_put_zeros(&fb->buf, sizeof *h);

    h->cookie = ctx->cookie;
    memcpy(h->metadata, ctx->flow.metadata, sizeof h->metadata);
    memcpy(h->regs, ctx->flow.regs, sizeof h->regs);
    h->in_port = ctx->in_port;
    h->n_resubmits = (uint16_t)ctx->n_resubmits;
    h->table_id = ctx->table_id;
    h->group_depth = (uint8_t)ctx->group_depth;
    h->flags = (ctx->miss_rule ? FROZEN_F_MISS_RULE : 0) |
               (ctx->packet_out ? FROZEN_F_PACKET_OUT : 0);
}

/* Serialises the rest of the walk of 'ctx' into fb->buf. */
static void
freeze_build(struct freeze_builder *fb, const struct xlate_ctx *ctx)
{
    size_t aset_start;

    freeze_put_hdr(fb, ctx);
    aset_start = fb->buf.size;
    if (freeze_reaches_pipeline(ctx)) {
        fb_put_aset(fb, &ctx->aset);
    }
    ((struct frozen_hdr *)(void *)fb->buf.data)->aset_len =
        (uint32_t)(fb->buf.size - aset_start);

    fb_seg_open(fb);
    for (const struct xlate_frame *fr = ctx->frames; fr; fr = fr->up) {
        switch (fr->type) {
        case XLATE_FRAME_LIST:
            fb_put_list(fb, fr->next, fr->end);
            break;
        case XLATE_FRAME_VEC:
            for (size_t i = fr->i; i < fr->n; i++) {
                fb_put_ofpact(fb, fr->vec[i]);
            }
            break;
        case XLATE_FRAME_PIPELINE:
            fb_seg_close(fb, true);
            fb_seg_open(fb);
            break;
        case XLATE_FRAME_SEGS:
            /* The outermost frame of a resumed walk: its segments are
             * already in frozen form. */
            fb_seg_close(fb, false);
            ofpbuf_put(&fb->buf, fr->next,
                       (size_t)((const uint8_t *)fr->end -
                                (const uint8_t *)fr->next));
            return;
        case XLATE_FRAME_BUCKET:
        default:
            fb_seg_close(fb, false);
            return;
        }
    }
    fb_seg_close(fb, false);
}

/* For ofproto/trace: what is known of the next pass's key. */
static void
freeze_record(struct xlate_ctx *ctx, uint32_t id)
{
    struct xlate_recircs *r = ctx->xin->recircs;
    struct flow *f;

    if (!r || r->n >= XLATE_MAX_RECIRCS) {
        return;
    }
    f = &r->flows[r->n];
    r->ids[r->n++] = id;
    *f = ctx->flow;
    f->recirc_id = id;
    f->in_port = ctx->xin->flow.in_port;
    memset(f->metadata, 0, sizeof f->metadata);
    memset(f->regs, 0, sizeof f->regs);
}

void
xlate_freeze(struct xlate_ctx *ctx)
{
    struct xlate_frozen_table *t = frozen_table(ctx->ofproto);
    struct freeze_builder fb;
    struct dpa_recirc r;

    ofpbuf_init(&fb.buf, 256);
    freeze_build(&fb, ctx);
    r.recirc_id = frozen_intern(t, fb.buf.data, fb.buf.size);
    ofpbuf_uninit(&fb.buf);
    ctx->exit = true;
    if (!r.recirc_id) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl,
                     "%s: too many frozen translations, dropping a packet "
                     "that needs recirculation",
                     ctx->ofproto->name);
        xlate_trace(ctx, "Recirculation impossible (too many frozen "
                         "translations): drop");
        ctx->error = ENOSPC;
        return;
    }
    xlate_commit(ctx);
    dp_actions_put(ctx->out, DPA_RECIRC, &r, sizeof r);
    xlate_trace(ctx,
                "Recirculating to read the headers behind the popped MPLS "
                "label: recirc(%#" PRIx32 ")",
                r.recirc_id);
    freeze_record(ctx, r.recirc_id);
}

/* ---- Thawing. ---- */

static void
thaw_trace(struct xlate_ctx *ctx, const struct frozen_seg *seg)
{
    const struct ofpact *a = (const void *)(seg + 1);
    struct ds ds = DS_EMPTY;

    xlate_trace(ctx, "thaw");
    ctx->indent += 4;
    if (seg->len && a->type == OFPACT_GOTO_TABLE) {
        xlate_trace(
            ctx, "Resuming from table %u",
            ((const struct ofpact_goto_table *)(const void *)a)->table_id);
    } else {
        ofpacts_format(a, seg->len, NULL, &ds);
        xlate_trace(ctx, "Resuming with actions: %s",
                    seg->len ? ds_cstr(&ds) : "(none)");
    }
    ctx->indent -= 4;
    ds_destroy(&ds);
}

static void
thaw_restore(struct xlate_ctx *ctx, const struct frozen_hdr *h)
{
    ctx->cookie = h->cookie;
    memcpy(ctx->flow.metadata, h->metadata, sizeof h->metadata);
    memcpy(ctx->flow.regs, h->regs, sizeof h->regs);
    ctx->in_port = h->in_port;
    ctx->flow.in_port = h->in_port;
    ctx->n_resubmits = h->n_resubmits;
    ctx->table_id = h->table_id;
    ctx->group_depth = h->group_depth;
    ctx->miss_rule = (h->flags & FROZEN_F_MISS_RULE) != 0;
    ctx->packet_out = (h->flags & FROZEN_F_PACKET_OUT) != 0;
}

int
xlate_thaw(struct xlate_ctx *ctx)
{
    uint32_t id = ctx->xin->flow.recirc_id;
    const struct frozen_hdr *h;
    const uint8_t *p, *end;
    size_t size = 0;

    h = frozen_copy(frozen_table(ctx->ofproto), id, &size);
    if (!h) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "%s: recirc_id %#" PRIx32 " is unknown, dropping",
                     ctx->ofproto->name, id);
        xlate_trace(ctx, "recirc(%#" PRIx32 ") is unknown: drop", id);
        return ENOENT;
    }
    ctx->thawed = (void *)h;
    ctx->indent = 4;
    thaw_restore(ctx, h);
    p = (const uint8_t *)(h + 1);
    end = (const uint8_t *)h + size;
    xlate_action_set_add(&ctx->aset, (const void *)p, h->aset_len);
    p += h->aset_len;
    if (ctx->xin->trace && p < end) {
        thaw_trace(ctx, (const void *)p);
    }
    while (p < end && !ctx->exit) {
        const struct frozen_seg *seg = (const void *)p;
        const uint8_t *next = p + sizeof *seg + seg->len;
        struct xlate_frame fr = {
            .up = ctx->frames,
            .type = XLATE_FRAME_SEGS,
            .next = next,
            .end = end,
        };

        ctx->frames = &fr;
        xlate_run_segment(ctx, (const void *)(seg + 1), seg->len,
                          seg->then_aset);
        ctx->frames = fr.up;
        p = next;
    }
    return 0;
}
