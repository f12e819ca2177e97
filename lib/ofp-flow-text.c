/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flow-text: flows in ovs-ofctl's text.  Parsing takes the add-flow /
 * mod-flows / del-flows syntax: match fields (ofp-match-text) mixed with
 * the flow's own keys (priority, table, cookie[/mask], idle_timeout,
 * hard_timeout, importance, out_port, out_group, the flag words
 * send_flow_rem, check_overlap, reset_counts, no_packet_counts,
 * no_byte_counts), then "actions=", which must come last and takes the
 * rest of the line (ofp-actions-text).  Formatting prints the dump-flows
 * line exactly as ovs-ofctl 3.1 does, with or without --no-stats.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-flow.h"

#define OFP_FLOW_PERMANENT 0

/* The flow's own keys, handed over by the match parser or found first. */
struct flow_parse_ctx {
    struct ofp_flow_mod *fm;
    enum ofp_flow_mod_command command;
    const struct ofp_port_names *names;
};

static const struct {
    const char *name;
    uint32_t flag;
} flow_flag_names[] = {
    {"send_flow_rem", OFPFF_SEND_FLOW_REM},
    {"check_overlap", OFPFF_CHECK_OVERLAP},
    {"reset_counts", OFPFF_RESET_COUNTS},
    {"no_packet_counts", OFPFF_NO_PKT_COUNTS},
    {"no_byte_counts", OFPFF_NO_BYT_COUNTS},
};

static bool
parse_uint(const char *s, uint64_t max, uint64_t *v)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-') {
        return false;
    }
    unsigned long long x = strtoull(s, &end, 0);
    if (*end || errno || x > max) {
        return false;
    }
    *v = x;
    return true;
}

static char *
parse_cookie(struct flow_parse_ctx *ctx, const char *value)
{
    struct ofp_flow_mod *fm = ctx->fm;
    char *copy = xstrdup(value);
    char *slash = strchr(copy, '/');
    uint64_t cookie, mask = UINT64_MAX;
    char *error = NULL;
    if (slash) {
        *slash = '\0';
    }
    if (!parse_uint(copy, UINT64_MAX, &cookie) ||
        (slash && !parse_uint(slash + 1, UINT64_MAX, &mask))) {
        error = xasprintf("invalid cookie \"%s\"", value);
    } else if (slash && ctx->command == OFPFC_ADD) {
        error = xstrdup("flow additions cannot use a cookie mask");
    } else if (slash || ctx->command == OFPFC_DELETE ||
               ctx->command == OFPFC_DELETE_STRICT) {
        fm->cookie = cookie;
        fm->cookie_mask = mask;
    } else {
        fm->new_cookie = cookie;
        if (ctx->command == OFPFC_ADD) {
            fm->cookie = cookie;
        }
    }
    free(copy);
    return error;
}

/* Handles one key of the flow itself ('value' may be NULL for the flag
 * words); returns NULL or an error message (caller frees).  Unknown keys
 * are an error. */
static char *
parse_flow_key(const char *key, const char *value, void *ctx_)
{
    struct flow_parse_ctx *ctx = ctx_;
    struct ofp_flow_mod *fm = ctx->fm;
    uint64_t v;

    for (size_t i = 0; i < ARRAY_SIZE(flow_flag_names); i++) {
        if (!strcmp(key, flow_flag_names[i].name)) {
            fm->flags |= flow_flag_names[i].flag;
            return NULL;
        }
    }
    /* What dump-flows prints but a flow_mod cannot set. */
    static const char *const ignored[] = {"duration", "n_packets", "n_bytes",
                                          "idle_age", "hard_age"};
    for (size_t i = 0; i < ARRAY_SIZE(ignored); i++) {
        if (!strcmp(key, ignored[i])) {
            return NULL;
        }
    }
    if (!value || !*value) {
        return xasprintf("field %s missing value", key);
    }
    if (!strcmp(key, "cookie")) {
        return parse_cookie(ctx, value);
    } else if (!strcmp(key, "out_port")) {
        if (!ofp_port_parse(value, ctx->names, &fm->out_port)) {
            return xasprintf("%s: invalid port", value);
        }
        return NULL;
    } else if (!strcmp(key, "out_group")) {
        if (!strcmp(value, "any")) {
            fm->out_group = OFPG_ANY;
        } else if (!strcmp(value, "all")) {
            fm->out_group = OFPG_ALL;
        } else if (parse_uint(value, OFPG_MAX, &v)) {
            fm->out_group = v;
        } else {
            return xasprintf("%s: invalid group", value);
        }
        return NULL;
    } else if (!strcmp(key, "table")) {
        if (!strcmp(value, "all")) {
            fm->table_id = OFPTT_ALL;
        } else if (parse_uint(value, UINT8_MAX, &v)) {
            fm->table_id = v;
        } else {
            return xasprintf("invalid table \"%s\"", value);
        }
        return NULL;
    }
    static const char *const u16_keys[] = {"priority", "idle_timeout",
                                           "hard_timeout", "importance"};
    for (size_t i = 0; i < ARRAY_SIZE(u16_keys); i++) {
        if (!strcmp(key, u16_keys[i])) {
            if (!parse_uint(value, UINT16_MAX, &v)) {
                return xasprintf("invalid %s \"%s\"", key, value);
            }
            if (i == 0) {
                fm->priority = v;
            } else if (i == 1) {
                fm->idle_timeout = v;
            } else if (i == 2) {
                fm->hard_timeout = v;
            } else {
                fm->importance = v;
            }
            return NULL;
        }
    }
    return xasprintf("unknown keyword %s", key);
}

static bool
is_flow_key(const char *key)
{
    static const char *const keys[] = {
        "priority",       "table",         "cookie",       "idle_timeout",
        "hard_timeout",   "importance",    "out_port",     "out_group",
        "send_flow_rem",  "check_overlap", "reset_counts", "no_packet_counts",
        "no_byte_counts", "duration",      "n_packets",    "n_bytes",
        "idle_age",       "hard_age",
    };
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(key, keys[i])) {
            return true;
        }
    }
    return false;
}

/* Finds "actions=" at the start of 's' or after a separator; returns a
 * pointer to it or NULL. */
static char *
find_actions(char *s)
{
    for (char *p = s; (p = strstr(p, "actions=")) != NULL; p++) {
        if (p == s || p[-1] == ',' || p[-1] == ' ' || p[-1] == '\t') {
            return p;
        }
    }
    return NULL;
}

/* Takes the flow's own keys out of the match text 'm' (modified) and
 * appends the remaining tokens to 'rest'. */
static char *
split_flow_keys(char *m, struct flow_parse_ctx *ctx, struct ds *rest)
{
    char *save = NULL;
    for (char *tok = strtok_r(m, ", \t\r\n", &save); tok;
         tok = strtok_r(NULL, ", \t\r\n", &save)) {
        char *eq = strchr(tok, '=');
        char *value = NULL;
        if (eq) {
            *eq = '\0';
            value = eq + 1;
        }
        if (is_flow_key(tok)) {
            char *error = parse_flow_key(tok, value, ctx);
            if (error) {
                return error;
            }
            continue;
        }
        if (eq) {
            *eq = '=';
        }
        if (rest->length) {
            ds_put_char(rest, ',');
        }
        ds_put_cstr(rest, tok);
    }
    return NULL;
}

char *
ofp_flow_mod_parse(const char *s, enum ofp_flow_mod_command command,
                   const struct ofp_port_names *names, struct ofp_flow_mod *fm,
                   struct ofpbuf *ofpacts)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    fm->command = command;
    fm->priority = OFP_DEFAULT_PRIORITY;
    fm->table_id = command == OFPFC_ADD ? 0 : OFPTT_ALL;
    fm->new_cookie = command == OFPFC_ADD ? 0 : UINT64_MAX;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    ofpbuf_reserve(ofpacts, OFPACT_ALIGN);
    size_t start = ofpacts->size;
    fm->ofpacts = (struct ofpact *)(ofpacts->data + start);

    struct flow_parse_ctx ctx = {fm, command, names};
    char *copy = xstrdup(s);
    char *acts = find_actions(copy);
    char *error = NULL;
    struct ds rest;
    ds_init(&rest);
    if (acts) {
        *acts = '\0';
        acts += strlen("actions=");
    }
    if (acts && (command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT)) {
        error = xstrdup("actions are not allowed when deleting flows");
    } else if (!acts && (command == OFPFC_ADD || command == OFPFC_MODIFY ||
                         command == OFPFC_MODIFY_STRICT)) {
        error = xstrdup("must specify an action");
    }
    if (!error) {
        error = split_flow_keys(copy, &ctx, &rest);
    }
    if (!error && rest.length) {
        error = match_parse(ds_cstr(&rest), names, &fm->match, parse_flow_key,
                            &ctx);
    }
    if (!error && acts) {
        error = ofpacts_parse(acts, names, ofpacts);
    }
    if (!error && fm->table_id == OFPTT_ALL && command == OFPFC_ADD) {
        error = xstrdup("flow additions need a table other than all");
    }
    ds_destroy(&rest);
    free(copy);
    ofpbuf_reserve(ofpacts, OFPACT_ALIGN);
    fm->ofpacts = (struct ofpact *)(ofpacts->data + start);
    fm->ofpacts_len = ofpacts->size - start;
    return error;
}

/* ovs-ofctl's duration: whole seconds, then 3 decimals when the fraction
 * is whole milliseconds, else as many as the nanoseconds need. */
static void
format_duration(uint32_t sec, uint32_t nsec, struct ds *s)
{
    ds_put_format(s, "%" PRIu32, sec);
    if (nsec) {
        if (nsec % 1000000 == 0) {
            ds_put_format(s, ".%03" PRIu32, nsec / 1000000);
        } else {
            char buf[16];
            snprintf(buf, sizeof buf, "%09" PRIu32, nsec);
            size_t n = strlen(buf);
            while (n > 1 && buf[n - 1] == '0') {
                n--;
            }
            ds_put_char(s, '.');
            ds_put_buffer(s, buf, n);
        }
    }
    ds_put_char(s, 's');
}

void
ofp_flow_stats_format(const struct ofp_flow_stats *fs,
                      const struct ofp_port_names *names, bool no_stats,
                      struct ds *s)
{
    bool stats = !no_stats;
    ds_put_char(s, ' ');
    if (stats || fs->cookie) {
        ds_put_format(s, "cookie=0x%" PRIx64 ", ", fs->cookie);
    }
    if (stats) {
        ds_put_cstr(s, "duration=");
        format_duration(fs->duration_sec, fs->duration_nsec, s);
        ds_put_cstr(s, ", ");
    }
    if (stats || fs->table_id) {
        ds_put_format(s, "table=%" PRIu8 ", ", fs->table_id);
    }
    if (stats) {
        if (fs->packet_count != UINT64_MAX) {
            ds_put_format(s, "n_packets=%" PRIu64 ", ", fs->packet_count);
        }
        if (fs->byte_count != UINT64_MAX) {
            ds_put_format(s, "n_bytes=%" PRIu64 ", ", fs->byte_count);
        }
    }
    if (fs->idle_timeout != OFP_FLOW_PERMANENT) {
        ds_put_format(s, "idle_timeout=%" PRIu16 ", ", fs->idle_timeout);
    }
    if (fs->hard_timeout != OFP_FLOW_PERMANENT) {
        ds_put_format(s, "hard_timeout=%" PRIu16 ", ", fs->hard_timeout);
    }
    for (size_t i = 0; i < ARRAY_SIZE(flow_flag_names); i++) {
        if (fs->flags & flow_flag_names[i].flag) {
            ds_put_format(s, "%s ", flow_flag_names[i].name);
        }
    }
    if (fs->importance) {
        ds_put_format(s, "importance=%" PRIu16 ", ", fs->importance);
    }
    if (stats && fs->idle_age != UINT16_MAX) {
        ds_put_format(s, "idle_age=%" PRIu16 ", ", fs->idle_age);
    }
    if (stats && fs->hard_age != UINT16_MAX &&
        fs->hard_age != fs->duration_sec) {
        ds_put_format(s, "hard_age=%" PRIu16 ", ", fs->hard_age);
    }
    size_t before = s->length;
    match_format(&fs->match, names, fs->priority, s);
    if (s->length != before) {
        ds_put_char(s, ' ');
    }
    ds_put_cstr(s, "actions=");
    ofpacts_format(fs->ofpacts, fs->ofpacts_len, names, s);
}
