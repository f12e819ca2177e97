/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofpbuf: growable byte buffer used to build OpenFlow messages, and the
 * bounds-checked reader used to decode them.  Every OpenFlow encoder in
 * lib/ofp-*.c appends to an ofpbuf; every decoder pulls from an ofp_reader,
 * which never reads past the length it was given.
 */
#include <config.h>

#include "lib/ofpbuf.h"

#include <stdlib.h>
#include <string.h>

void
ofpbuf_init(struct ofpbuf *b, size_t size_hint)
{
    b->data = size_hint ? xmalloc(size_hint) : NULL;
    b->size = 0;
    b->allocated = size_hint;
}

void
ofpbuf_uninit(struct ofpbuf *b)
{
    if (b) {
        free(b->data);
        b->data = NULL;
        b->size = 0;
        b->allocated = 0;
    }
}

struct ofpbuf *
ofpbuf_new(size_t size_hint)
{
    struct ofpbuf *b = xmalloc(sizeof *b);

    ofpbuf_init(b, size_hint);
    return b;
}

void
ofpbuf_delete(struct ofpbuf *b)
{
    if (b) {
        ofpbuf_uninit(b);
        free(b);
    }
}

void
ofpbuf_clear(struct ofpbuf *b)
{
    b->size = 0;
}

/* Makes room for at least 'n' more bytes beyond 'size'. */
void
ofpbuf_reserve(struct ofpbuf *b, size_t n)
{
    size_t need = b->size + n;

    if (need < b->size) {
        tern_fatal("ofpbuf: size overflow");
    }
    if (need > b->allocated) {
        size_t alloc = b->allocated ? b->allocated : 64;

        while (alloc < need) {
            alloc = alloc * 2 > alloc ? alloc * 2 : need;
        }
        b->data = xrealloc(b->data, alloc);
        b->allocated = alloc;
    }
}

void *
ofpbuf_put_uninit(struct ofpbuf *b, size_t n)
{
    void *p;

    ofpbuf_reserve(b, n);
    p = b->data ? b->data + b->size : NULL;
    b->size += n;
    return p;
}

void *
ofpbuf_put_zeros(struct ofpbuf *b, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);

    if (n) {
        memset(p, 0, n);
    }
    return p;
}

void *
ofpbuf_put(struct ofpbuf *b, const void *src, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);

    if (n) {
        memcpy(p, src, n);
    }
    return p;
}

void
ofpbuf_pad_to(struct ofpbuf *b, size_t multiple)
{
    if (multiple > 1 && b->size % multiple) {
        ofpbuf_put_zeros(b, multiple - b->size % multiple);
    }
}

void *
ofpbuf_at(const struct ofpbuf *b, size_t offset, size_t n)
{
    if (offset > b->size || n > b->size - offset || !b->data) {
        return NULL;
    }
    return b->data + offset;
}

struct ofpbuf *
ofpbuf_clone(const struct ofpbuf *b)
{
    struct ofpbuf *c = ofpbuf_new(b->size);

    ofpbuf_put(c, b->data, b->size);
    return c;
}

void *
ofpbuf_steal_data(struct ofpbuf *b)
{
    void *p = b->data;

    b->data = NULL;
    b->size = 0;
    b->allocated = 0;
    return p;
}

void
ofpbuf_put_be16(struct ofpbuf *b, uint16_t v)
{
    uint8_t *p = ofpbuf_put_uninit(b, 2);

    p[0] = v >> 8;
    p[1] = v;
}

void
ofpbuf_put_be32(struct ofpbuf *b, uint32_t v)
{
    uint8_t *p = ofpbuf_put_uninit(b, 4);

    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

void
ofpbuf_put_be64(struct ofpbuf *b, uint64_t v)
{
    ofpbuf_put_be32(b, v >> 32);
    ofpbuf_put_be32(b, (uint32_t)v);
}

const void *
ofp_reader_pull(struct ofp_reader *r, size_t n)
{
    const void *p;

    if (n > r->size) {
        return NULL;
    }
    p = r->data;
    r->data += n;
    r->size -= n;
    return p;
}

bool
ofp_reader_be16(struct ofp_reader *r, uint16_t *out)
{
    const uint8_t *p = ofp_reader_pull(r, 2);

    if (!p) {
        return false;
    }
    *out = (uint16_t)(p[0] << 8 | p[1]);
    return true;
}

bool
ofp_reader_be32(struct ofp_reader *r, uint32_t *out)
{
    const uint8_t *p = ofp_reader_pull(r, 4);

    if (!p) {
        return false;
    }
    *out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
    return true;
}

bool
ofp_reader_be64(struct ofp_reader *r, uint64_t *out)
{
    uint32_t hi, lo;

    if (r->size < 8) {
        return false;
    }
    ofp_reader_be32(r, &hi);
    ofp_reader_be32(r, &lo);
    *out = (uint64_t)hi << 32 | lo;
    return true;
}
