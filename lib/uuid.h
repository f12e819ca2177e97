/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uuid: RFC 4122 version 4 UUIDs (random, from getrandom()) and their text
 * form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".  Thread-safe.
 */
#ifndef TERN_UUID_H
#define TERN_UUID_H 1

#include "lib/util.h"

struct uuid {
    uint32_t parts[4];
};

#define UUID_LEN 36
#define UUID_FMT "%08x-%04x-%04x-%04x-%04x%08x"
#define UUID_ARGS(U)                                                          \
    (U)->parts[0], (U)->parts[1] >> 16, (U)->parts[1] & 0xffff,               \
        (U)->parts[2] >> 16, (U)->parts[2] & 0xffff, (U)->parts[3]

void uuid_generate(struct uuid *);
void uuid_zero(struct uuid *);
bool uuid_is_zero(const struct uuid *);
bool uuid_equals(const struct uuid *, const struct uuid *);
int uuid_compare(const struct uuid *, const struct uuid *);
uint32_t uuid_hash(const struct uuid *);
/* Parses the 36-character text form; returns true on success. */
bool uuid_from_string(struct uuid *, const char *s);
/* Writes the text form into 'buf' (at least UUID_LEN + 1 bytes). */
void uuid_to_string(const struct uuid *, char *buf);

#endif /* TERN_UUID_H */
