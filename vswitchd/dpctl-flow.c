/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpctl-flow: the dpctl/ commands that install, change, delete and show
 * the megaflows cached in a datapath (add-flow, mod-flow, del-flow,
 * del-flows, dump-flows, get-flow).  Flows and actions are read and printed
 * by odp-util in ovs-dpctl's syntax; a dumped flow reads
 *
 *   FLOW, packets:N, bytes:N, used:never|1.234s[, flags:S.], actions:ACTS
 *
 * and, with -m (and always for get-flow), starts with "ufid:UUID, ".  Tern
 * derives a flow's UFID from its masked key and mask, so it is stable for
 * the life of the flow and the same in every dump.
 *
 * Main thread only, like the rest of dpctl.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/odp-util.h"
#include "vswitchd/dpctl-private.h"

#define DPCTL_UFID_WORDS 4

/* ---- Formatting. ---- */

static void
dpctl_flow_ufid(const struct dpif_flow *f, uint32_t ufid[DPCTL_UFID_WORDS])
{
    uint64_t words[2 * FLOW_U64S];
    struct flow masked;

    flow_apply_mask(&masked, &f->key, &f->mask);
    memcpy(words, &masked, sizeof masked);
    memcpy(words + FLOW_U64S, &f->mask.masks, sizeof f->mask.masks);
    for (int i = 0; i < DPCTL_UFID_WORDS; i++) {
        ufid[i] = hash_words64(words, ARRAY_SIZE(words), 0x7465726eu + i);
    }
}

static void
dpctl_format_ufid(const uint32_t u[DPCTL_UFID_WORDS], struct ds *out)
{
    ds_put_format(out, "ufid:%08x-%04x-%04x-%04x-%04x%08x", u[0], u[1] >> 16,
                  u[1] & 0xffff, u[2] >> 16, u[2] & 0xffff, u[3]);
}

/* Parses "ufid:" and 32 hex digits (dashes anywhere are ignored).  Returns
 * true on success. */
static bool
dpctl_parse_ufid(const char *s, uint32_t u[DPCTL_UFID_WORDS])
{
    int n = 0;

    if (strncmp(s, "ufid:", 5)) {
        return false;
    }
    memset(u, 0, DPCTL_UFID_WORDS * sizeof *u);
    for (s += 5; *s; s++) {
        int digit;

        if (*s == '-') {
            continue;
        } else if (!isxdigit((unsigned char)*s) || n >= 32) {
            return false;
        }
        digit = isdigit((unsigned char)*s)
                    ? *s - '0'
                    : tolower((unsigned char)*s) - 'a' + 10;
        u[n / 8] = (u[n / 8] << 4) | digit;
        n++;
    }
    return n == 32;
}

/* Appends TCP flags as one character each, as ovs-dpctl does: S (SYN),
 * F (FIN), R (RST), P (PSH), U (URG), . (ACK), E (ECE), C (CWR), N (NS). */
static void
dpctl_format_tcp_flags(uint16_t flags, struct ds *out)
{
    static const struct {
        uint16_t bit;
        char c;
    } names[] = {
        {0x002, 'S'}, {0x001, 'F'}, {0x004, 'R'}, {0x008, 'P'}, {0x020, 'U'},
        {0x010, '.'}, {0x040, 'E'}, {0x080, 'C'}, {0x100, 'N'},
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & names[i].bit) {
            ds_put_char(out, names[i].c);
        }
    }
}

static void
dpctl_format_stats(const struct dpif_flow_stats *s, struct ds *out)
{
    ds_put_format(out, "packets:%" PRIu64 ", bytes:%" PRIu64 ", used:",
                  s->n_packets, s->n_bytes);
    if (s->used > 0) {
        long long age = time_msec() - s->used;

        ds_put_format(out, "%.3fs", (age > 0 ? age : 0) / 1000.0);
    } else {
        ds_put_cstr(out, "never");
    }
    if (s->tcp_flags) {
        ds_put_cstr(out, ", flags:");
        dpctl_format_tcp_flags(s->tcp_flags, out);
    }
}

static void
dpctl_format_flow(const struct dpif_flow *f, bool with_ufid, struct ds *out)
{
    if (with_ufid) {
        uint32_t ufid[DPCTL_UFID_WORDS];

        dpctl_flow_ufid(f, ufid);
        dpctl_format_ufid(ufid, out);
        ds_put_cstr(out, ", ");
    }
    odp_flow_format(&f->key, &f->mask, out);
    ds_put_cstr(out, ", ");
    dpctl_format_stats(&f->stats, out);
    ds_put_cstr(out, ", actions:");
    odp_actions_format(f->actions, f->actions_len, out);
    ds_put_char(out, '\n');
}

/* ---- Parsing. ---- */

static char *
dpctl_parse_flow(const char *s, struct flow *key, struct flow_wildcards *mask)
{
    char *error = odp_flow_from_string(s, key, mask);

    if (error) {
        char *msg = xasprintf("bad flow \"%s\": %s", s, error);

        free(error);
        return msg;
    }
    return NULL;
}

static char *
dpctl_parse_actions(const char *s, struct dp_actions_buf *acts)
{
    char *error = odp_actions_from_string(s, acts);

    if (error) {
        char *msg = xasprintf("bad actions \"%s\": %s", s, error);

        free(error);
        return msg;
    }
    return NULL;
}

static char *
dpctl_put_error(int err)
{
    switch (err) {
    case EEXIST:
        return xstrdup("flow already exists (dpctl/mod-flow changes it)");
    case ENOENT:
        return xstrdup("no such flow (dpctl/mod-flow --may-create adds it)");
    case EINVAL:
        return xstrdup("datapath refused the flow: in_port must be exact "
                       "and the actions valid for this datapath");
    case E2BIG:
        return xstrdup("datapath flow limit reached");
    default:
        return xasprintf("cannot install flow: %s", tern_strerror(err));
    }
}

/* ---- Commands. ---- */

/* add-flow and mod-flow: "[DP] FLOW ACTIONS". */
static char *
dpctl_put_flow(struct dpctl_args *args, enum dpif_flow_put_flags put_flags)
{
    struct dp_actions_buf acts;
    struct flow_wildcards mask;
    struct dpif_flow_stats stats;
    struct flow key;
    struct dpif *dpif;
    char *error;
    int err;

    error = dpctl_optional_dp(args, 2, &dpif);
    if (error) {
        return error;
    }
    error = dpctl_parse_flow(args->argv[0], &key, &mask);
    if (error) {
        return error;
    }
    dp_actions_buf_init(&acts);
    error = dpctl_parse_actions(args->argv[1], &acts);
    if (!error) {
        memset(&stats, 0, sizeof stats);
        err = dpif_flow_put(dpif, put_flags, &key, &mask, acts.data, acts.size,
                            &stats);
        if (err) {
            error = dpctl_put_error(err);
        } else if (args->flags & DPCTL_F_STATS) {
            dpctl_format_stats(&stats, &args->out);
            ds_put_char(&args->out, '\n');
        }
    }
    dp_actions_buf_uninit(&acts);
    return error;
}

static char *
dpctl_cmd_add_flow(struct dpctl_args *args)
{
    return dpctl_put_flow(args, DPIF_FP_CREATE);
}

static char *
dpctl_cmd_mod_flow(struct dpctl_args *args)
{
    enum dpif_flow_put_flags flags = DPIF_FP_MODIFY;

    if (args->flags & DPCTL_F_MAY_CREATE) {
        flags |= DPIF_FP_CREATE;
    }
    if (args->flags & DPCTL_F_CLEAR) {
        flags |= DPIF_FP_ZERO_STATS;
    }
    return dpctl_put_flow(args, flags);
}

static char *
dpctl_cmd_del_flow(struct dpctl_args *args)
{
    struct flow_wildcards mask;
    struct dpif_flow_stats stats;
    struct flow key;
    struct dpif *dpif;
    char *error;

    error = dpctl_optional_dp(args, 1, &dpif);
    if (!error) {
        error = dpctl_parse_flow(args->argv[0], &key, &mask);
    }
    if (error) {
        return error;
    }
    memset(&stats, 0, sizeof stats);
    if (dpif_flow_del(dpif, &key, &mask, &stats)) {
        return xasprintf("no such flow: %s", args->argv[0]);
    }
    if (args->flags & DPCTL_F_STATS) {
        dpctl_format_stats(&stats, &args->out);
        ds_put_char(&args->out, '\n');
    }
    return NULL;
}

static char *
dpctl_cmd_del_flows(struct dpctl_args *args)
{
    struct dpif *dpif;
    char *error = dpctl_optional_dp(args, 0, &dpif);

    if (!error) {
        dpif_flow_flush(dpif);
    }
    return error;
}

struct dpctl_dump_aux {
    struct ds *out;
    bool with_ufid;
};

static void
dpctl_dump_cb(const struct dpif_flow *f, void *aux_)
{
    struct dpctl_dump_aux *aux = aux_;

    dpctl_format_flow(f, aux->with_ufid, aux->out);
}

static char *
dpctl_cmd_dump_flows(struct dpctl_args *args)
{
    struct dpctl_dump_aux aux = {&args->out, args->flags & DPCTL_F_MORE};
    struct dpif *dpif;
    char *error = dpctl_optional_dp(args, 0, &dpif);

    if (!error) {
        dpif_flow_dump(dpif, dpctl_dump_cb, &aux);
    }
    return error;
}

struct dpctl_ufid_aux {
    uint32_t ufid[DPCTL_UFID_WORDS];
    struct ds *out;
    bool found;
};

static void
dpctl_ufid_cb(const struct dpif_flow *f, void *aux_)
{
    struct dpctl_ufid_aux *aux = aux_;
    uint32_t ufid[DPCTL_UFID_WORDS];

    dpctl_flow_ufid(f, ufid);
    if (!aux->found && !memcmp(ufid, aux->ufid, sizeof ufid)) {
        aux->found = true;
        dpctl_format_flow(f, true, aux->out);
    }
}

/* get-flow: "[DP] ufid:UFID" shows that flow; "[DP] FLOW" shows the flow
 * a packet with the fields of FLOW would hit. */
static char *
dpctl_cmd_get_flow(struct dpctl_args *args)
{
    struct dpctl_ufid_aux aux;
    struct flow_wildcards mask;
    struct dpif_flow flow;
    struct flow key;
    struct dpif *dpif;
    void *actions = NULL;
    char *error;

    error = dpctl_optional_dp(args, 1, &dpif);
    if (error) {
        return error;
    }
    if (!strncmp(args->argv[0], "ufid:", 5)) {
        memset(&aux, 0, sizeof aux);
        aux.out = &args->out;
        if (!dpctl_parse_ufid(args->argv[0], aux.ufid)) {
            return xasprintf("%s: bad UFID (want ufid: and 32 hex digits)",
                             args->argv[0]);
        }
        dpif_flow_dump(dpif, dpctl_ufid_cb, &aux);
        return aux.found ? NULL : xasprintf("%s: no such flow", args->argv[0]);
    }
    error = dpctl_parse_flow(args->argv[0], &key, &mask);
    if (error) {
        return error;
    }
    if (dpif_flow_get(dpif, &key, &flow, &actions)) {
        return xasprintf("no flow matches %s", args->argv[0]);
    }
    flow.actions = actions;
    dpctl_format_flow(&flow, true, &args->out);
    free(actions);
    return NULL;
}

static const struct dpctl_command dpctl_flow_cmds[] = {
    {"add-flow", "[DP] FLOW ACTIONS", 2, 3, 0, dpctl_cmd_add_flow},
    {"mod-flow", "[--clear] [--may-create] [-s] [DP] FLOW ACTIONS", 2, 3,
     DPCTL_F_CLEAR | DPCTL_F_MAY_CREATE | DPCTL_F_STATS, dpctl_cmd_mod_flow},
    {"del-flow", "[-s] [DP] FLOW", 1, 2, DPCTL_F_STATS, dpctl_cmd_del_flow},
    {"del-flows", "[DP]", 0, 1, 0, dpctl_cmd_del_flows},
    {"dump-flows", "[-m] [DP]", 0, 1, DPCTL_F_MORE, dpctl_cmd_dump_flows},
    {"get-flow", "[DP] FLOW|ufid:UFID", 1, 2, 0, dpctl_cmd_get_flow},
};

const struct dpctl_command *
dpctl_flow_commands(size_t *n)
{
    *n = ARRAY_SIZE(dpctl_flow_cmds);
    return dpctl_flow_cmds;
}
