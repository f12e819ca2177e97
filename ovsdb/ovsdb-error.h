/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-error: errors as RFC 7047 reports them — an "error" tag ("syntax
 * error", "constraint violation", "referential integrity violation",
 * "resources exhausted", "not owner", "timed out", "not supported",
 * "unknown database", "unknown method", ...) and free-form "details".
 *
 * Ownership: functions returning 'struct ovsdb_error *' hand the error to
 * the caller, who passes it on or frees it with ovsdb_error_destroy().
 * NULL means success.
 */
#ifndef TERN_OVSDB_ERROR_H
#define TERN_OVSDB_ERROR_H 1

#include <jansson.h>

#include "lib/util.h"

struct ovsdb_error {
    char *tag;     /* RFC 7047 "error" string. */
    char *details; /* Human-readable, may be NULL. */
};

struct ovsdb_error *ovsdb_error(const char *tag, const char *details_fmt, ...)
    TERN_PRINTF(2, 3);
struct ovsdb_error *ovsdb_syntax_error(const json_t *json, const char *fmt,
                                       ...) TERN_PRINTF(2, 3);
void ovsdb_error_destroy(struct ovsdb_error *);
struct ovsdb_error *ovsdb_error_clone(const struct ovsdb_error *);
/* {"error": tag, "details": details} (new reference). */
json_t *ovsdb_error_to_json(const struct ovsdb_error *);
/* "tag: details" (caller frees). */
char *ovsdb_error_to_string(const struct ovsdb_error *);

#endif /* TERN_OVSDB_ERROR_H */
