/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packets: checksums and small helpers over the wire formats declared in
 * packets.h.  The Internet checksum follows RFC 1071 (one's complement sum
 * of 16-bit words) and RFC 1624 (incremental update, equation 3); SCTP's
 * CRC32c is a byte-at-a-time table over the reflected Castagnoli
 * polynomial.  Flow extraction, action execution and the packet builders
 * all use these.
 *
 * Checksum accumulator convention: a 'partial' value is the sum, in host
 * order, of the data taken as big-endian 16-bit words, so callers may add
 * host-order pseudo-header values directly (e.g. 'partial += IPPROTO_TCP').
 * Every chunk passed to csum_continue() except the last must have an even
 * length (an odd final byte is the high byte of a zero-padded word).
 */
#include <config.h>

#include "lib/packets.h"

#include <arpa/inet.h>
#include <ctype.h>

/* Folds a 64-bit one's complement sum into 16 bits. */
static uint32_t
csum_fold__(uint64_t sum)
{
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint32_t)sum;
}

uint32_t
csum_continue(uint32_t partial, const void *data_, size_t n)
{
    const uint8_t *data = data_;
    uint64_t native = 0;
    size_t i;

    /* Sum native-order 32-bit loads; the one's complement sum is byte-order
     * independent up to a final swap (RFC 1071 section 2(B)). */
    for (i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, data + i, 4);
        native += w;
    }
    if (i + 2 <= n) {
        uint16_t w;
        memcpy(&w, data + i, 2);
        native += w;
        i += 2;
    }
    if (i < n) {
        uint8_t last[2] = {data[i], 0};
        uint16_t w;
        memcpy(&w, last, 2);
        native += w;
    }
    uint32_t host = ntohs((uint16_t)csum_fold__(native));
    return csum_fold__((uint64_t)partial + host);
}

tern_be16
csum_finish(uint32_t partial)
{
    return htons((uint16_t)~csum_fold__(partial));
}

tern_be16
csum(const void *data, size_t n)
{
    return csum_finish(csum_continue(0, data, n));
}

tern_be16
recalc_csum16(tern_be16 old_csum, tern_be16 old, tern_be16 new_)
{
    /* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
    uint32_t sum = (uint16_t)~ntohs(old_csum);
    sum += (uint16_t)~ntohs(old);
    sum += ntohs(new_);
    return htons((uint16_t)~csum_fold__(sum));
}

tern_be16
recalc_csum32(tern_be16 old_csum, tern_be32 old, tern_be32 new_)
{
    const uint8_t *o = (const uint8_t *)&old;
    const uint8_t *n = (const uint8_t *)&new_;
    uint16_t o0, o1, n0, n1;

    memcpy(&o0, o, 2);
    memcpy(&o1, o + 2, 2);
    memcpy(&n0, n, 2);
    memcpy(&n1, n + 2, 2);
    return recalc_csum16(recalc_csum16(old_csum, o0, n0), o1, n1);
}

tern_be16
recalc_csum128(tern_be16 old_csum, const void *old_, const void *new_)
{
    const uint8_t *o = old_;
    const uint8_t *n = new_;

    for (int i = 0; i < 16; i += 2) {
        uint16_t ow, nw;
        memcpy(&ow, o + i, 2);
        memcpy(&nw, n + i, 2);
        old_csum = recalc_csum16(old_csum, ow, nw);
    }
    return old_csum;
}

/* CRC32c table for the reflected polynomial 0x82f63b78, built on first use
 * (idempotent, so a race between threads only recomputes equal values). */
static uint32_t crc32c_table[256];
static volatile int crc32c_ready;

static void
crc32c_init__(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        }
        crc32c_table[i] = c;
    }
    __atomic_store_n(&crc32c_ready, 1, __ATOMIC_RELEASE);
}

tern_be32
crc32c(const uint8_t *data, size_t n)
{
    /* Pairs with the release store in crc32c_init__(). */
    if (!__atomic_load_n(&crc32c_ready, __ATOMIC_ACQUIRE)) {
        crc32c_init__();
    }

    uint32_t crc = 0xffffffff;
    for (size_t i = 0; i < n; i++) {
        crc = crc32c_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    }
    crc = ~crc;

    /* SCTP transmits the CRC least significant byte first (RFC 4960
     * appendix B): return the value whose in-memory image is those
     * bytes. */
    uint8_t le[4] = {crc & 0xff, (crc >> 8) & 0xff, (crc >> 16) & 0xff,
                     crc >> 24};
    tern_be32 out;
    memcpy(&out, le, 4);
    return out;
}

static int
hexval__(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool
eth_addr_from_string(const char *s, struct eth_addr *ea)
{
    struct eth_addr tmp;

    if (!s) {
        return false;
    }
    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        int hi = hexval__((unsigned char)s[0]);
        if (hi < 0) {
            return false;
        }
        int lo = hexval__((unsigned char)s[1]);
        if (lo < 0) {
            /* One-digit group, e.g. "0:1:2:3:4:5". */
            tmp.ea[i] = hi;
            s += 1;
        } else {
            tmp.ea[i] = hi * 16 + lo;
            s += 2;
        }
        if (i < ETH_ADDR_LEN - 1) {
            if (*s != ':') {
                return false;
            }
            s++;
        }
    }
    if (*s) {
        return false;
    }
    *ea = tmp;
    return true;
}
