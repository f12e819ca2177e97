/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofpbuf: a growable byte buffer for building OpenFlow messages, and a
 * bounds-checked reader for decoding them.
 *
 * Building: ofpbuf_put*() append and return a pointer to the new bytes,
 * valid until the next append (the buffer may move).  Keep offsets, not
 * pointers, across appends (ofpbuf_at()).
 *
 * Decoding: 'struct ofp_reader' walks caller-owned bytes; every pull checks
 * the remaining length and returns NULL instead of reading past the end.
 *
 * Thread safety: none; one owner at a time.
 */
#ifndef TERN_OFPBUF_H
#define TERN_OFPBUF_H 1

#include "lib/util.h"

struct ofpbuf {
    uint8_t *data; /* Owned. */
    size_t size;
    size_t allocated;
};

void ofpbuf_init(struct ofpbuf *, size_t size_hint);
void ofpbuf_uninit(struct ofpbuf *);
struct ofpbuf *ofpbuf_new(size_t size_hint);
void ofpbuf_delete(struct ofpbuf *); /* NULL is allowed. */
void ofpbuf_clear(struct ofpbuf *);
void ofpbuf_reserve(struct ofpbuf *, size_t n);
void *ofpbuf_put_uninit(struct ofpbuf *, size_t n);
void *ofpbuf_put_zeros(struct ofpbuf *, size_t n);
void *ofpbuf_put(struct ofpbuf *, const void *, size_t n);
/* Appends zero bytes until size is a multiple of 'multiple'. */
void ofpbuf_pad_to(struct ofpbuf *, size_t multiple);
/* Pointer to bytes [offset, offset + n), or NULL if out of range. */
void *ofpbuf_at(const struct ofpbuf *, size_t offset, size_t n);
/* Copy of the buffer (caller frees with ofpbuf_delete()). */
struct ofpbuf *ofpbuf_clone(const struct ofpbuf *);
/* Returns the data (caller frees with free()) and empties the buffer. */
void *ofpbuf_steal_data(struct ofpbuf *);
/* Big-endian appenders. */
void ofpbuf_put_be16(struct ofpbuf *, uint16_t host_value);
void ofpbuf_put_be32(struct ofpbuf *, uint32_t host_value);
void ofpbuf_put_be64(struct ofpbuf *, uint64_t host_value);

struct ofp_reader {
    const uint8_t *data;
    size_t size; /* Bytes left. */
};
static inline void
ofp_reader_init(struct ofp_reader *r, const void *data, size_t size)
{
    r->data = data;
    r->size = size;
}
/* Returns the next 'n' bytes and advances, or NULL (nothing consumed) if
 * fewer remain. */
const void *ofp_reader_pull(struct ofp_reader *, size_t n);
/* Reads big-endian integers; false (nothing consumed) if too short. */
bool ofp_reader_be16(struct ofp_reader *, uint16_t *);
bool ofp_reader_be32(struct ofp_reader *, uint32_t *);
bool ofp_reader_be64(struct ofp_reader *, uint64_t *);

/* 64-bit byte order (lib/util.h has the 16/32-bit ones via htons etc.). */
static inline uint64_t
tern_htonll(uint64_t x)
{
    return __builtin_bswap64(x);
}
static inline uint64_t
tern_ntohll(uint64_t x)
{
    return __builtin_bswap64(x);
}

/* Big-endian loads and stores on unaligned message bytes: 'p' points at
 * least 2, 4 or 8 bytes the caller owns (no bounds check; use the reader
 * when the length is not already known). */
static inline uint16_t
ofp_get_be16(const void *p_)
{
    const uint8_t *p = p_;
    return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t
ofp_get_be32(const void *p_)
{
    const uint8_t *p = p_;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}
static inline uint64_t
ofp_get_be64(const void *p)
{
    return (uint64_t)ofp_get_be32(p) << 32 |
           ofp_get_be32((const uint8_t *)p + 4);
}
static inline void
ofp_set_be16(void *p_, uint16_t v)
{
    uint8_t *p = p_;
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

#endif /* TERN_OFPBUF_H */
