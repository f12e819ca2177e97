/* SPDX-License-Identifier: Apache-2.0 */
/*
 * odp-actions: datapath action lists in ovs-dpctl syntax, to and from the
 * encoding of dp-actions.h.
 *
 * Each action keyword has one entry in 'action_parsers'; set(...) bodies
 * are parsed and printed by odp-key.c, since they use the key attributes.
 * The formatter never trusts its input: it checks every length before it
 * reads and prints "<invalid ...>" where the list stops making sense.
 */
#include <config.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/odp-util-private.h"

/* Most userdata bytes userspace(...) accepts. */
#define ODP_MAX_USERDATA 4096

struct odp_aparse {
    struct odp_lexer *lx;
    struct dp_actions_buf *acts;
    int depth; /* Nesting of dec_ttl(le_1(...)), 0 at the top. */
};

static bool parse_action_list(struct odp_aparse *ap);

/* "key=value" arguments of push_vlan, push_mpls, pop_mpls. */
struct odp_arg {
    const char *name;
    uint64_t max;
    bool required;
    bool seen;
    uint64_t value;
};

/* Parses "(name=value,...)" against 'args'. */
static bool
parse_args(struct odp_lexer *lx, const char *action, struct odp_arg *args,
           size_t n)
{
    if (!odp_lex_expect__(lx, '(')) {
        return false;
    }
    if (!odp_lex_accept__(lx, ')')) {
        do {
            char name[32], value[ODP_TOKEN_MAX];
            const char *start = (odp_lex_peek__(lx), lx->p);
            if (!odp_lex_name__(lx, name, sizeof name)) {
                return false;
            }
            struct odp_arg *arg = NULL;
            for (size_t i = 0; i < n; i++) {
                if (!strcmp(args[i].name, name)) {
                    arg = &args[i];
                }
            }
            if (!arg || arg->seen) {
                lx->p = start;
                return odp_lex_error__(lx, "%s argument '%s' in %s()",
                                       arg ? "duplicate" : "unknown", name,
                                       action);
            }
            if (!odp_lex_expect__(lx, '=')) {
                return false;
            }
            start = (odp_lex_peek__(lx), lx->p);
            if (!odp_lex_value__(lx, name, value, sizeof value)) {
                return false;
            }
            if (!odp_parse_uint__(value, arg->max, &arg->value)) {
                lx->p = start;
                return odp_lex_error__(lx, "bad value for %s in %s()", name,
                                       action);
            }
            arg->seen = true;
        } while (odp_lex_accept__(lx, ','));
        if (!odp_lex_expect__(lx, ')')) {
            return false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (args[i].required && !args[i].seen) {
            return odp_lex_error__(lx, "%s() needs %s=", action, args[i].name);
        }
    }
    return true;
}

static bool
parse_userspace(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    char value[ODP_TOKEN_MAX];
    uint64_t pid;

    char name[16];
    if (!odp_lex_expect__(lx, '(') || !odp_lex_name__(lx, name, sizeof name)) {
        return false;
    }
    if (strcmp(name, "pid")) {
        lx->p -= strlen(name);
        return odp_lex_error__(lx, "userspace() needs pid= first");
    }
    if (!odp_lex_expect__(lx, '=')) {
        return false;
    }
    const char *start = (odp_lex_peek__(lx), lx->p);
    if (!odp_lex_value__(lx, "pid", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint__(value, UINT32_MAX, &pid)) {
        lx->p = start;
        return odp_lex_error__(lx, "bad pid in userspace()");
    }

    uint8_t *data = NULL;
    int n = 0;
    if (odp_lex_accept__(lx, ',')) {
        if (!odp_lex_name__(lx, name, sizeof name)) {
            return false;
        }
        if (strcmp(name, "userdata")) {
            lx->p -= strlen(name);
            return odp_lex_error__(lx, "unknown argument '%s' in userspace()",
                                   name);
        }
        if (!odp_lex_expect__(lx, '(')) {
            return false;
        }
        start = (odp_lex_peek__(lx), lx->p);
        size_t len = strcspn(lx->p, ")");
        if (len > 2 * ODP_MAX_USERDATA) {
            return odp_lex_error__(lx, "userdata longer than %d bytes",
                                   ODP_MAX_USERDATA);
        }
        char *hex = xmemdup(lx->p, len + 1);
        hex[len] = '\0';
        data = xmalloc(ODP_MAX_USERDATA);
        n = hex_to_bytes(hex, data, ODP_MAX_USERDATA);
        free(hex);
        if (n < 0) {
            free(data);
            return odp_lex_error__(lx, "bad hex in userdata()");
        }
        lx->p += len;
        if (!odp_lex_expect__(lx, ')')) {
            free(data);
            return false;
        }
    }
    if (!odp_lex_expect__(lx, ')')) {
        free(data);
        return false;
    }

    uint8_t *p = dp_actions_put(ap->acts, DPA_USERSPACE, NULL,
                                sizeof(struct dpa_userspace) + (size_t)n);
    struct dpa_userspace us = {.pid = (uint32_t)pid,
                               .userdata_len = (uint32_t)n};
    memcpy(p, &us, sizeof us);
    if (n) {
        memcpy(p + sizeof us, data, (size_t)n);
    }
    free(data);
    return true;
}

static bool
parse_set(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    struct dpa_set set;
    memset(&set, 0, sizeof set);
    if (!odp_lex_expect__(lx, '(')) {
        return false;
    }
    if (odp_lex_peek__(lx) == ')') {
        return odp_lex_error__(lx, "set() needs a header");
    }
    if (!odp_key_parse__(lx, ODP_CTX_SET, &set.value, &set.mask) ||
        !odp_lex_expect__(lx, ')')) {
        return false;
    }
    dp_actions_put(ap->acts, DPA_SET_MASKED, &set, sizeof set);
    return true;
}

static bool
parse_push_vlan(struct odp_aparse *ap)
{
    struct odp_arg args[] = {
        {"tpid", UINT16_MAX, false, false, ETH_TYPE_VLAN_8021Q},
        {"vid", VLAN_VID_MASK, true, false, 0},
        {"pcp", 7, false, false, 0},
        {"cfi", 1, false, false, 1},
    };
    if (!parse_args(ap->lx, "push_vlan", args, ARRAY_SIZE(args))) {
        return false;
    }
    if (args[0].value != ETH_TYPE_VLAN_8021Q &&
        args[0].value != ETH_TYPE_VLAN_8021AD) {
        return odp_lex_error__(ap->lx, "push_vlan tpid must be 0x8100 or "
                                       "0x88a8");
    }
    struct dpa_push_vlan pv = {
        .tpid = htons((uint16_t)args[0].value),
        .tci =
            htons((uint16_t)(args[1].value | args[2].value << VLAN_PCP_SHIFT |
                             (args[3].value ? VLAN_CFI : 0))),
    };
    dp_actions_put(ap->acts, DPA_PUSH_VLAN, &pv, sizeof pv);
    return true;
}

static bool
parse_pop_vlan(struct odp_aparse *ap)
{
    dp_actions_put(ap->acts, DPA_POP_VLAN, NULL, 0);
    return true;
}

static bool
parse_push_mpls(struct odp_aparse *ap)
{
    struct odp_arg args[] = {
        {"label", MPLS_LABEL_MASK >> MPLS_LABEL_SHIFT, true, false, 0},
        {"tc", 7, true, false, 0},
        {"ttl", 255, true, false, 0},
        {"bos", 1, true, false, 0},
        {"eth_type", UINT16_MAX, true, false, 0},
    };
    if (!parse_args(ap->lx, "push_mpls", args, ARRAY_SIZE(args))) {
        return false;
    }
    if (args[4].value != ETH_TYPE_MPLS &&
        args[4].value != ETH_TYPE_MPLS_MCAST) {
        return odp_lex_error__(ap->lx, "push_mpls eth_type must be 0x8847 or "
                                       "0x8848");
    }
    uint32_t lse = (uint32_t)(args[0].value << MPLS_LABEL_SHIFT |
                              args[1].value << MPLS_TC_SHIFT |
                              args[3].value << MPLS_BOS_SHIFT |
                              args[2].value << MPLS_TTL_SHIFT);
    struct dpa_push_mpls pm = {.lse = htonl(lse),
                               .ethertype = htons((uint16_t)args[4].value)};
    dp_actions_put(ap->acts, DPA_PUSH_MPLS, &pm, sizeof pm);
    return true;
}

static bool
parse_pop_mpls(struct odp_aparse *ap)
{
    struct odp_arg args[] = {
        {"eth_type", UINT16_MAX, true, false, 0},
    };
    if (!parse_args(ap->lx, "pop_mpls", args, ARRAY_SIZE(args))) {
        return false;
    }
    struct dpa_pop_mpls pm = {.ethertype = htons((uint16_t)args[0].value)};
    dp_actions_put(ap->acts, DPA_POP_MPLS, &pm, sizeof pm);
    return true;
}

static bool
parse_push_pbb(struct odp_aparse *ap)
{
    struct odp_arg args[] = {
        {"isid", PBB_ISID_MASK, true, false, 0},
        {"pcp", 7, false, false, 0},
        {"dei", 1, false, false, 0},
        {"uca", 1, false, false, 0},
    };
    if (!parse_args(ap->lx, "push_pbb", args, ARRAY_SIZE(args))) {
        return false;
    }
    uint32_t itag = (uint32_t)(args[0].value | args[1].value << 29 |
                               args[2].value << 28 | args[3].value << 27);
    struct dpa_push_pbb pp = {.itag = htonl(itag)};
    dp_actions_put(ap->acts, DPA_PUSH_PBB, &pp, sizeof pp);
    return true;
}

static bool
parse_pop_pbb(struct odp_aparse *ap)
{
    dp_actions_put(ap->acts, DPA_POP_PBB, NULL, 0);
    return true;
}

static bool
parse_copy_ttl_in(struct odp_aparse *ap)
{
    dp_actions_put(ap->acts, DPA_COPY_TTL_IN, NULL, 0);
    return true;
}

static bool
parse_copy_ttl_out(struct odp_aparse *ap)
{
    dp_actions_put(ap->acts, DPA_COPY_TTL_OUT, NULL, 0);
    return true;
}

static bool
parse_dec_ttl(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    if (ap->depth + 1 > DP_ACTIONS_MAX_DEPTH) {
        return odp_lex_error__(lx, "dec_ttl nested more than %d deep",
                               DP_ACTIONS_MAX_DEPTH);
    }
    size_t ofs = dp_actions_start_nested(ap->acts, DPA_DEC_TTL);
    if (odp_lex_accept__(lx, '(')) {
        char name[16];
        if (!odp_lex_name__(lx, name, sizeof name)) {
            return false;
        }
        if (strcmp(name, "le_1")) {
            lx->p -= strlen(name);
            return odp_lex_error__(lx, "expected le_1(...) in dec_ttl()");
        }
        struct odp_aparse sub = {lx, ap->acts, ap->depth + 1};
        if (!odp_lex_expect__(lx, '(') || !parse_action_list(&sub) ||
            !odp_lex_expect__(lx, ')') || !odp_lex_expect__(lx, ')')) {
            return false;
        }
    }
    dp_actions_end_nested(ap->acts, ofs);
    return true;
}

static bool
parse_recirc(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    char value[ODP_TOKEN_MAX];
    uint64_t id;
    if (!odp_lex_expect__(lx, '(')) {
        return false;
    }
    const char *start = (odp_lex_peek__(lx), lx->p);
    if (!odp_lex_value__(lx, "recirc", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint__(value, UINT32_MAX, &id)) {
        lx->p = start;
        return odp_lex_error__(lx, "bad recirculation id");
    }
    struct dpa_recirc r = {.recirc_id = (uint32_t)id};
    dp_actions_put(ap->acts, DPA_RECIRC, &r, sizeof r);
    return odp_lex_expect__(lx, ')');
}

static bool
parse_meter(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    char value[ODP_TOKEN_MAX];
    uint64_t id;
    if (!odp_lex_expect__(lx, '(')) {
        return false;
    }
    const char *start = (odp_lex_peek__(lx), lx->p);
    if (!odp_lex_value__(lx, "meter", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint__(value, UINT32_MAX, &id)) {
        lx->p = start;
        return odp_lex_error__(lx, "bad meter id");
    }
    struct dpa_meter m = {.meter_id = (uint32_t)id};
    dp_actions_put(ap->acts, DPA_METER, &m, sizeof m);
    return odp_lex_expect__(lx, ')');
}

/* Formatting.  Each function gets the payload of an action whose size
 * the table below has checked; it returns false if the payload is
 * malformed. */

/* Deepest nesting the formatter follows (more than any valid list). */
#define ODP_FORMAT_MAX_DEPTH (DP_ACTIONS_MAX_DEPTH + 4)

static void format_list(const uint8_t *acts, size_t len, int depth,
                        struct ds *ds);

static bool
format_output(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_output o;
    memcpy(&o, p, sizeof o);
    ds_put_format(ds, "%" PRIu32, o.port);
    return true;
}

static bool
format_userspace(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_userspace us;
    memcpy(&us, p, sizeof us);
    if (us.userdata_len > plen - sizeof us) {
        return false;
    }
    ds_put_format(ds, "userspace(pid=%" PRIu32, us.pid);
    if (us.userdata_len) {
        ds_put_cstr(ds, ",userdata(");
        ds_put_hex(ds, p + sizeof us, us.userdata_len);
        ds_put_char(ds, ')');
    }
    ds_put_char(ds, ')');
    return true;
}

static bool
format_set(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_set *set = xmemdup(p, sizeof *set);
    ds_put_cstr(ds, "set(");
    odp_key_format__(&set->value, &set->mask, ODP_CTX_SET, ds);
    ds_put_char(ds, ')');
    free(set);
    return true;
}

static bool
format_push_vlan(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_push_vlan pv;
    memcpy(&pv, p, sizeof pv);
    uint16_t tpid = ntohs(pv.tpid), tci = ntohs(pv.tci);
    ds_put_cstr(ds, "push_vlan(");
    if (tpid != ETH_TYPE_VLAN_8021Q) {
        ds_put_format(ds, "tpid=0x%04" PRIx16 ",", tpid);
    }
    ds_put_format(ds, "vid=%u,pcp=%u%s)", tci & VLAN_VID_MASK,
                  tci >> VLAN_PCP_SHIFT, tci & VLAN_CFI ? "" : ",cfi=0");
    return true;
}

static bool
format_pop_vlan(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    ds_put_cstr(ds, "pop_vlan");
    return true;
}

static bool
format_push_mpls(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_push_mpls pm;
    memcpy(&pm, p, sizeof pm);
    uint32_t lse = ntohl(pm.lse);
    ds_put_format(ds,
                  "push_mpls(label=%" PRIu32 ",tc=%" PRIu32 ",ttl=%" PRIu32
                  ",bos=%" PRIu32 ",eth_type=0x%" PRIx16 ")",
                  (lse & MPLS_LABEL_MASK) >> MPLS_LABEL_SHIFT,
                  (lse & MPLS_TC_MASK) >> MPLS_TC_SHIFT,
                  (lse & MPLS_TTL_MASK) >> MPLS_TTL_SHIFT,
                  (lse & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT,
                  ntohs(pm.ethertype));
    return true;
}

static bool
format_pop_mpls(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_pop_mpls pm;
    memcpy(&pm, p, sizeof pm);
    ds_put_format(ds, "pop_mpls(eth_type=0x%" PRIx16 ")", ntohs(pm.ethertype));
    return true;
}

static bool
format_push_pbb(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_push_pbb pp;
    memcpy(&pp, p, sizeof pp);
    uint32_t itag = ntohl(pp.itag);
    ds_put_format(ds, "push_pbb(isid=%" PRIu32, itag & PBB_ISID_MASK);
    if (itag & PBB_PCP_MASK) {
        ds_put_format(ds, ",pcp=%" PRIu32, itag >> 29);
    }
    if (itag & PBB_DEI_MASK) {
        ds_put_cstr(ds, ",dei=1");
    }
    if (itag & PBB_UCA_MASK) {
        ds_put_cstr(ds, ",uca=1");
    }
    ds_put_char(ds, ')');
    return true;
}

static bool
format_pop_pbb(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    ds_put_cstr(ds, "pop_pbb");
    return true;
}

static bool
format_copy_ttl_in(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    ds_put_cstr(ds, "copy_ttl_in");
    return true;
}

static bool
format_copy_ttl_out(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    ds_put_cstr(ds, "copy_ttl_out");
    return true;
}

static bool
format_dec_ttl(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    if (depth >= ODP_FORMAT_MAX_DEPTH) {
        return false;
    }
    ds_put_cstr(ds, "dec_ttl");
    if (plen) {
        ds_put_cstr(ds, "(le_1(");
        format_list(p, plen, depth + 1, ds);
        ds_put_cstr(ds, "))");
    }
    return true;
}

static bool
format_recirc(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_recirc r;
    memcpy(&r, p, sizeof r);
    ds_put_format(ds, "recirc(%#" PRIx32 ")", r.recirc_id);
    return true;
}

static bool
format_meter(const uint8_t *p, size_t plen, int depth, struct ds *ds)
{
    struct dpa_meter m;
    memcpy(&m, p, sizeof m);
    ds_put_format(ds, "meter(%" PRIu32 ")", m.meter_id);
    return true;
}

/* Every action type: its keyword (NULL for output, which is a bare port
 * number), parser, formatter and payload size ('min_size' and more when
 * 'variable'). */
static const struct {
    const char *name;
    bool (*parse)(struct odp_aparse *);
    bool (*format)(const uint8_t *p, size_t plen, int depth, struct ds *);
    size_t min_size;
    bool variable;
} action_classes[DPA_N_TYPES] = {
    [DPA_OUTPUT] = {NULL, NULL, format_output, sizeof(struct dpa_output),
                    false},
    [DPA_USERSPACE] = {"userspace", parse_userspace, format_userspace,
                       sizeof(struct dpa_userspace), true},
    [DPA_SET_MASKED] = {"set", parse_set, format_set, sizeof(struct dpa_set),
                        false},
    [DPA_PUSH_VLAN] = {"push_vlan", parse_push_vlan, format_push_vlan,
                       sizeof(struct dpa_push_vlan), false},
    [DPA_POP_VLAN] = {"pop_vlan", parse_pop_vlan, format_pop_vlan, 0, false},
    [DPA_PUSH_MPLS] = {"push_mpls", parse_push_mpls, format_push_mpls,
                       sizeof(struct dpa_push_mpls), false},
    [DPA_POP_MPLS] = {"pop_mpls", parse_pop_mpls, format_pop_mpls,
                      sizeof(struct dpa_pop_mpls), false},
    [DPA_DEC_TTL] = {"dec_ttl", parse_dec_ttl, format_dec_ttl, 0, true},
    [DPA_RECIRC] = {"recirc", parse_recirc, format_recirc,
                    sizeof(struct dpa_recirc), false},
    [DPA_METER] = {"meter", parse_meter, format_meter,
                   sizeof(struct dpa_meter), false},
    [DPA_PUSH_PBB] = {"push_pbb", parse_push_pbb, format_push_pbb,
                      sizeof(struct dpa_push_pbb), false},
    [DPA_POP_PBB] = {"pop_pbb", parse_pop_pbb, format_pop_pbb, 0, false},
    [DPA_COPY_TTL_IN] = {"copy_ttl_in", parse_copy_ttl_in, format_copy_ttl_in,
                         0, false},
    [DPA_COPY_TTL_OUT] = {"copy_ttl_out", parse_copy_ttl_out,
                          format_copy_ttl_out, 0, false},
};

static bool
parse_output(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    char value[ODP_TOKEN_MAX];
    uint64_t port;
    const char *start = lx->p;
    if (!odp_lex_value__(lx, "port", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint__(value, UINT32_MAX, &port)) {
        lx->p = start;
        return odp_lex_error__(lx, "bad port number");
    }
    struct dpa_output o = {.port = (uint32_t)port};
    dp_actions_put(ap->acts, DPA_OUTPUT, &o, sizeof o);
    return true;
}

static bool
parse_action(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    int c = odp_lex_peek__(lx);
    if (c >= '0' && c <= '9') {
        return parse_output(ap);
    }

    const char *start = lx->p;
    char name[32];
    if (!odp_lex_name__(lx, name, sizeof name)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(action_classes); i++) {
        if (action_classes[i].name && !strcmp(name, action_classes[i].name)) {
            return action_classes[i].parse(ap);
        }
    }
    lx->p = start;
    if (!strcmp(name, "drop")) {
        return odp_lex_error__(lx, "drop must be the only action");
    }
    return odp_lex_error__(lx, "unknown action '%s'", name);
}

/* Parses "drop" or a comma-separated list, up to a ')' or the end. */
static bool
parse_action_list(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    const char *start = (odp_lex_peek__(lx), lx->p);
    if (!strncmp(start, "drop", 4)) {
        lx->p += 4;
        int c = odp_lex_peek__(lx);
        if (!c || c == ')') {
            return true;
        }
        lx->p = start;
    }
    if (!*start || *start == ')') {
        return odp_lex_error__(lx, "missing action (use \"drop\" to drop)");
    }
    do {
        if (!parse_action(ap)) {
            return false;
        }
        if (ap->acts->size > DP_ACTIONS_MAX_LEN) {
            return odp_lex_error__(lx, "actions longer than %d bytes encoded",
                                   DP_ACTIONS_MAX_LEN);
        }
    } while (odp_lex_accept__(lx, ','));
    return true;
}

char *
odp_actions_from_string(const char *s, struct dp_actions_buf *acts)
{
    char *error = odp_check_length__(s);
    if (error) {
        return error;
    }

    size_t old_size = acts->size;
    struct odp_lexer lx;
    odp_lex_init__(&lx, s);
    struct odp_aparse ap = {&lx, acts, 0};
    if (parse_action_list(&ap) && !odp_lex_at_end__(&lx)) {
        odp_lex_error__(&lx, "unexpected text after the actions");
    }
    if (lx.error) {
        acts->size = old_size;
    }
    return lx.error;
}

/* Appends the text of action 'a', whose payload at 'p' lies inside the
 * list.  Returns false if the action is malformed. */
static bool
format_action(const struct dp_action *a, const uint8_t *p, int depth,
              struct ds *ds)
{
    size_t plen = a->len - sizeof *a;
    if (a->type >= DPA_N_TYPES || !action_classes[a->type].format) {
        return false;
    }
    size_t size = action_classes[a->type].min_size;
    if (action_classes[a->type].variable ? plen < size : plen != size) {
        return false;
    }
    return action_classes[a->type].format(p, plen, depth, ds);
}

static void
format_list(const uint8_t *acts, size_t len, int depth, struct ds *ds)
{
    if (!len) {
        ds_put_cstr(ds, "drop");
        return;
    }
    size_t ofs = 0;
    while (ofs < len) {
        struct dp_action a;
        if (ofs) {
            ds_put_char(ds, ',');
        }
        if (len - ofs < sizeof a) {
            ds_put_format(ds, "<invalid: %zu trailing bytes>", len - ofs);
            return;
        }
        memcpy(&a, acts + ofs, sizeof a);
        if (a.len < sizeof a || a.len % 4 || a.len > len - ofs) {
            ds_put_format(ds, "<invalid: type %u, len %u>", a.type, a.len);
            return;
        }
        size_t before = ds->length;
        if (!format_action(&a, acts + ofs + sizeof a, depth, ds)) {
            if (ds->length > before) {
                ds->length = before;
                ds->string[before] = '\0';
            }
            ds_put_format(ds, "<invalid: type %u, len %u>", a.type, a.len);
            return;
        }
        ofs += a.len;
    }
}

void
odp_actions_format(const void *acts, size_t len, struct ds *ds)
{
    format_list(acts, len, 0, ds);
}
