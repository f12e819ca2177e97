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
    if (!odp_lex_expect(lx, '(')) {
        return false;
    }
    if (!odp_lex_accept(lx, ')')) {
        do {
            char name[32], value[ODP_TOKEN_MAX];
            const char *start = (odp_lex_peek(lx), lx->p);
            if (!odp_lex_name(lx, name, sizeof name)) {
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
                return odp_lex_error(lx, "%s argument '%s' in %s()",
                                     arg ? "duplicate" : "unknown", name,
                                     action);
            }
            if (!odp_lex_expect(lx, '=')) {
                return false;
            }
            start = (odp_lex_peek(lx), lx->p);
            if (!odp_lex_value(lx, name, value, sizeof value)) {
                return false;
            }
            if (!odp_parse_uint(value, arg->max, &arg->value)) {
                lx->p = start;
                return odp_lex_error(lx, "bad value for %s in %s()", name,
                                     action);
            }
            arg->seen = true;
        } while (odp_lex_accept(lx, ','));
        if (!odp_lex_expect(lx, ')')) {
            return false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (args[i].required && !args[i].seen) {
            return odp_lex_error(lx, "%s() needs %s=", action, args[i].name);
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
    if (!odp_lex_expect(lx, '(') || !odp_lex_name(lx, name, sizeof name)) {
        return false;
    }
    if (strcmp(name, "pid")) {
        lx->p -= strlen(name);
        return odp_lex_error(lx, "userspace() needs pid= first");
    }
    if (!odp_lex_expect(lx, '=')) {
        return false;
    }
    const char *start = (odp_lex_peek(lx), lx->p);
    if (!odp_lex_value(lx, "pid", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint(value, UINT32_MAX, &pid)) {
        lx->p = start;
        return odp_lex_error(lx, "bad pid in userspace()");
    }

    uint8_t *data = NULL;
    int n = 0;
    if (odp_lex_accept(lx, ',')) {
        if (!odp_lex_name(lx, name, sizeof name)) {
            return false;
        }
        if (strcmp(name, "userdata")) {
            lx->p -= strlen(name);
            return odp_lex_error(lx, "unknown argument '%s' in userspace()",
                                 name);
        }
        if (!odp_lex_expect(lx, '(')) {
            return false;
        }
        start = (odp_lex_peek(lx), lx->p);
        size_t len = strcspn(lx->p, ")");
        if (len > 2 * ODP_MAX_USERDATA) {
            return odp_lex_error(lx, "userdata longer than %d bytes",
                                 ODP_MAX_USERDATA);
        }
        char *hex = xmemdup(lx->p, len + 1);
        hex[len] = '\0';
        data = xmalloc(ODP_MAX_USERDATA);
        n = hex_to_bytes(hex, data, ODP_MAX_USERDATA);
        free(hex);
        if (n < 0) {
            free(data);
            return odp_lex_error(lx, "bad hex in userdata()");
        }
        lx->p += len;
        if (!odp_lex_expect(lx, ')')) {
            free(data);
            return false;
        }
    }
    if (!odp_lex_expect(lx, ')')) {
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
    if (!odp_lex_expect(lx, '(')) {
        return false;
    }
    if (odp_lex_peek(lx) == ')') {
        return odp_lex_error(lx, "set() needs a header");
    }
    if (!odp_key_parse(lx, ODP_CTX_SET, &set.value, &set.mask) ||
        !odp_lex_expect(lx, ')')) {
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
        return odp_lex_error(ap->lx, "push_vlan tpid must be 0x8100 or "
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
        return odp_lex_error(ap->lx, "push_mpls eth_type must be 0x8847 or "
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
parse_dec_ttl(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    if (ap->depth + 1 > DP_ACTIONS_MAX_DEPTH) {
        return odp_lex_error(lx, "dec_ttl nested more than %d deep",
                             DP_ACTIONS_MAX_DEPTH);
    }
    size_t ofs = dp_actions_start_nested(ap->acts, DPA_DEC_TTL);
    if (odp_lex_accept(lx, '(')) {
        char name[16];
        if (!odp_lex_name(lx, name, sizeof name)) {
            return false;
        }
        if (strcmp(name, "le_1")) {
            lx->p -= strlen(name);
            return odp_lex_error(lx, "expected le_1(...) in dec_ttl()");
        }
        struct odp_aparse sub = {lx, ap->acts, ap->depth + 1};
        if (!odp_lex_expect(lx, '(') || !parse_action_list(&sub) ||
            !odp_lex_expect(lx, ')') || !odp_lex_expect(lx, ')')) {
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
    if (!odp_lex_expect(lx, '(')) {
        return false;
    }
    const char *start = (odp_lex_peek(lx), lx->p);
    if (!odp_lex_value(lx, "recirc", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint(value, UINT32_MAX, &id)) {
        lx->p = start;
        return odp_lex_error(lx, "bad recirculation id");
    }
    struct dpa_recirc r = {.recirc_id = (uint32_t)id};
    dp_actions_put(ap->acts, DPA_RECIRC, &r, sizeof r);
    return odp_lex_expect(lx, ')');
}

static const struct {
    const char *name;
    bool (*parse)(struct odp_aparse *);
} action_parsers[] = {
    {"userspace", parse_userspace}, {"set", parse_set},
    {"push_vlan", parse_push_vlan}, {"pop_vlan", parse_pop_vlan},
    {"push_mpls", parse_push_mpls}, {"pop_mpls", parse_pop_mpls},
    {"dec_ttl", parse_dec_ttl},     {"recirc", parse_recirc},
};

static bool
parse_output(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    char value[ODP_TOKEN_MAX];
    uint64_t port;
    const char *start = lx->p;
    if (!odp_lex_value(lx, "port", value, sizeof value)) {
        return false;
    }
    if (!odp_parse_uint(value, UINT32_MAX, &port)) {
        lx->p = start;
        return odp_lex_error(lx, "bad port number");
    }
    struct dpa_output o = {.port = (uint32_t)port};
    dp_actions_put(ap->acts, DPA_OUTPUT, &o, sizeof o);
    return true;
}

static bool
parse_action(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    int c = odp_lex_peek(lx);
    if (c >= '0' && c <= '9') {
        return parse_output(ap);
    }

    const char *start = lx->p;
    char name[32];
    if (!odp_lex_name(lx, name, sizeof name)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(action_parsers); i++) {
        if (!strcmp(name, action_parsers[i].name)) {
            return action_parsers[i].parse(ap);
        }
    }
    lx->p = start;
    if (!strcmp(name, "drop")) {
        return odp_lex_error(lx, "drop must be the only action");
    }
    return odp_lex_error(lx, "unknown action '%s'", name);
}

/* Parses "drop" or a comma-separated list, up to a ')' or the end. */
static bool
parse_action_list(struct odp_aparse *ap)
{
    struct odp_lexer *lx = ap->lx;
    const char *start = (odp_lex_peek(lx), lx->p);
    if (!strncmp(start, "drop", 4)) {
        lx->p += 4;
        int c = odp_lex_peek(lx);
        if (!c || c == ')') {
            return true;
        }
        lx->p = start;
    }
    if (!*start || *start == ')') {
        return odp_lex_error(lx, "missing action (use \"drop\" to drop)");
    }
    do {
        if (!parse_action(ap)) {
            return false;
        }
        if (ap->acts->size > DP_ACTIONS_MAX_LEN) {
            return odp_lex_error(lx, "actions longer than %d bytes encoded",
                                 DP_ACTIONS_MAX_LEN);
        }
    } while (odp_lex_accept(lx, ','));
    return true;
}

char *
odp_actions_from_string(const char *s, struct dp_actions_buf *acts)
{
    char *error = odp_check_length(s);
    if (error) {
        return error;
    }

    size_t old_size = acts->size;
    struct odp_lexer lx;
    odp_lex_init(&lx, s);
    struct odp_aparse ap = {&lx, acts, 0};
    if (parse_action_list(&ap) && !odp_lex_at_end(&lx)) {
        odp_lex_error(&lx, "unexpected text after the actions");
    }
    if (lx.error) {
        acts->size = old_size;
    }
    return lx.error;
}

/* Formatting. */

/* Deepest nesting the formatter follows (more than any valid list). */
#define ODP_FORMAT_MAX_DEPTH (DP_ACTIONS_MAX_DEPTH + 4)

static void format_list(const uint8_t *acts, size_t len, int depth,
                        struct ds *ds);

/* Appends the text of action 'a', whose 'plen' payload bytes at 'p' are
 * inside the list.  Returns false if the payload is malformed. */
static bool
format_action(const struct dp_action *a, const uint8_t *p, size_t plen,
              int depth, struct ds *ds)
{
    switch ((enum dp_action_type)a->type) {
    case DPA_OUTPUT: {
        struct dpa_output o;
        if (plen != sizeof o) {
            return false;
        }
        memcpy(&o, p, sizeof o);
        ds_put_format(ds, "%" PRIu32, o.port);
        return true;
    }
    case DPA_USERSPACE: {
        struct dpa_userspace us;
        if (plen < sizeof us) {
            return false;
        }
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
    case DPA_SET_MASKED: {
        if (plen != sizeof(struct dpa_set)) {
            return false;
        }
        struct dpa_set *set = xmemdup(p, sizeof *set);
        ds_put_cstr(ds, "set(");
        odp_key_format(&set->value, &set->mask, ODP_CTX_SET, ds);
        ds_put_char(ds, ')');
        free(set);
        return true;
    }
    case DPA_PUSH_VLAN: {
        struct dpa_push_vlan pv;
        if (plen != sizeof pv) {
            return false;
        }
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
    case DPA_POP_VLAN:
        ds_put_cstr(ds, "pop_vlan");
        return plen == 0;
    case DPA_PUSH_MPLS: {
        struct dpa_push_mpls pm;
        if (plen != sizeof pm) {
            return false;
        }
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
    case DPA_POP_MPLS: {
        struct dpa_pop_mpls pm;
        if (plen != sizeof pm) {
            return false;
        }
        memcpy(&pm, p, sizeof pm);
        ds_put_format(ds, "pop_mpls(eth_type=0x%" PRIx16 ")",
                      ntohs(pm.ethertype));
        return true;
    }
    case DPA_DEC_TTL:
        ds_put_cstr(ds, "dec_ttl");
        if (plen) {
            if (depth >= ODP_FORMAT_MAX_DEPTH) {
                return false;
            }
            ds_put_cstr(ds, "(le_1(");
            format_list(p, plen, depth + 1, ds);
            ds_put_cstr(ds, "))");
        }
        return true;
    case DPA_RECIRC: {
        struct dpa_recirc r;
        if (plen != sizeof r) {
            return false;
        }
        memcpy(&r, p, sizeof r);
        ds_put_format(ds, "recirc(%#" PRIx32 ")", r.recirc_id);
        return true;
    }
    case DPA_N_TYPES:
    default:
        return false;
    }
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
        if (!format_action(&a, acts + ofs + sizeof a, a.len - sizeof a, depth,
                           ds)) {
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
