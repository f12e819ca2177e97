/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-error: the error objects every layer of the database engine returns
 * (see ovsdb-error.h).  An error carries the RFC 7047 "error" tag and an
 * optional human-readable "details" string; the server turns it into the
 * {"error": ..., "details": ...} object of a reply.
 */
#include <config.h>

#include "ovsdb/ovsdb-error.h"

#include <stdlib.h>

/* Returns a new error with tag 'tag' and details formatted from
 * 'details_fmt' (NULL for none).  The caller owns the result. */
struct ovsdb_error *
ovsdb_error(const char *tag, const char *details_fmt, ...)
{
    struct ovsdb_error *error = xzalloc(sizeof *error);

    error->tag = xstrdup(tag);
    if (details_fmt) {
        va_list args;

        va_start(args, details_fmt);
        error->details = xvasprintf(details_fmt, args);
        va_end(args);
    }
    return error;
}

/* Returns a "syntax error" whose details are formatted from 'fmt' and, when
 * 'json' is not NULL, followed by the offending JSON (abbreviated when
 * long).  'json' stays owned by the caller. */
struct ovsdb_error *
ovsdb_syntax_error(const json_t *json, const char *fmt, ...)
{
    struct ovsdb_error *error = xzalloc(sizeof *error);
    struct ds ds = DS_EMPTY;
    va_list args;

    error->tag = xstrdup("syntax error");
    va_start(args, fmt);
    ds_put_format_valist(&ds, fmt, args);
    va_end(args);
    if (json) {
        char *text = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);

        if (text) {
            size_t len = strlen(text);
            const size_t max = 200;

            ds_put_cstr(&ds, " (in ");
            if (len > max) {
                ds_put_buffer(&ds, text, max);
                ds_put_cstr(&ds, "...");
            } else {
                ds_put_cstr(&ds, text);
            }
            ds_put_char(&ds, ')');
            free(text);
        }
    }
    error->details = ds_steal_cstr(&ds);
    return error;
}

/* Frees 'error' (NULL is allowed). */
void
ovsdb_error_destroy(struct ovsdb_error *error)
{
    if (error) {
        free(error->tag);
        free(error->details);
        free(error);
    }
}

/* Returns a deep copy of 'error' (NULL for NULL). */
struct ovsdb_error *
ovsdb_error_clone(const struct ovsdb_error *error)
{
    struct ovsdb_error *copy;

    if (!error) {
        return NULL;
    }
    copy = xzalloc(sizeof *copy);
    copy->tag = xstrdup(error->tag);
    copy->details = error->details ? xstrdup(error->details) : NULL;
    return copy;
}

/* Returns {"error": tag, "details": details} ("details" only when set), a
 * new reference the caller owns. */
json_t *
ovsdb_error_to_json(const struct ovsdb_error *error)
{
    json_t *obj = json_object();

    json_object_set_new(obj, "error", json_string(error->tag));
    if (error->details) {
        json_t *details = json_string(error->details);

        /* Details built from invalid UTF-8 input cannot be a JSON string:
         * leave them out rather than fail. */
        if (details) {
            json_object_set_new(obj, "details", details);
        }
    }
    return obj;
}

/* Returns "tag: details" (or just "tag"); the caller frees it. */
char *
ovsdb_error_to_string(const struct ovsdb_error *error)
{
    if (error->details) {
        return xasprintf("%s: %s", error->tag, error->details);
    }
    return xstrdup(error->tag);
}
