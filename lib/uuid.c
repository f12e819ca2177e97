/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uuid: random (version 4) UUIDs and their 36-character text form (see
 * uuid.h).  The random bits come from getrandom(), so generation needs no
 * state and is thread-safe; OVSDB rows and transactions use these as their
 * identities.
 */
#include <config.h>

#include "lib/uuid.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "lib/hash.h"

/* Fills 'buf' with 'n' random bytes, aborting if the kernel cannot give
 * them (only possible on kernels without getrandom()). */
static void
uuid_random_bytes__(void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            tern_fatal("getrandom failed: %s", tern_strerror(errno));
        }
        p += r;
        n -= r;
    }
}

void
uuid_generate(struct uuid *uuid)
{
    uuid_random_bytes__(uuid->parts, sizeof uuid->parts);
    /* Version 4 in the top nibble of the third group ("-4xxx-"). */
    uuid->parts[1] = (uuid->parts[1] & 0xffff0fffu) | 0x00004000u;
    /* RFC 4122 variant (binary 10) in the top bits of the fourth group. */
    uuid->parts[2] = (uuid->parts[2] & 0x3fffffffu) | 0x80000000u;
}

void
uuid_zero(struct uuid *uuid)
{
    memset(uuid, 0, sizeof *uuid);
}

bool
uuid_is_zero(const struct uuid *uuid)
{
    return !(uuid->parts[0] | uuid->parts[1] | uuid->parts[2] |
             uuid->parts[3]);
}

bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return !uuid_compare(a, b);
}

/* Orders UUIDs as their text forms sort. */
int
uuid_compare(const struct uuid *a, const struct uuid *b)
{
    for (size_t i = 0; i < ARRAY_SIZE(a->parts); i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

uint32_t
uuid_hash(const struct uuid *uuid)
{
    /* The bits are random already; mixing keeps non-random UUIDs (from
     * tests or other writers) well spread too. */
    uint64_t h = 0;
    for (size_t i = 0; i < ARRAY_SIZE(uuid->parts); i++) {
        h = hash_add(h, uuid->parts[i]);
    }
    return hash_finish(h, sizeof uuid->parts);
}

bool
uuid_from_string(struct uuid *uuid, const char *s)
{
    struct uuid u = {{0, 0, 0, 0}};
    size_t n_digits = 0;

    for (size_t i = 0; i < UUID_LEN; i++) {
        unsigned char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
            continue;
        }
        int v = hex_digit_value(c);
        if (v < 0) {
            return false; /* Also stops at the terminating NUL. */
        }
        uint32_t *part = &u.parts[n_digits / 8];
        *part = (*part << 4) | (uint32_t)v;
        n_digits++;
    }
    if (s[UUID_LEN] != '\0') {
        return false;
    }
    *uuid = u;
    return true;
}

void
uuid_to_string(const struct uuid *uuid, char *buf)
{
    snprintf(buf, UUID_LEN + 1, UUID_FMT, UUID_ARGS(uuid));
}
