/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-actions-text: ofpact lists in the ovs-ofctl action syntax, both ways
 * ("output:2,set_field:10.0.0.1->ip_dst,write_actions(group:1),
 * goto_table:3"), and OpenFlow port numbers as text.
 *
 * One table names every keyword with its parser; the formatter prints
 * each ofpact the way ovs-ofctl 3.1 prints what it decodes (e.g.
 * "CONTROLLER:65535", "set_mpls_ttl(3)", "pop_mpls:0x0800").  Parsing
 * enforces the instruction order OpenFlow 1.1+ needs (meter, actions,
 * clear_actions, write_actions, write_metadata, goto_table), as ovs-ofctl
 * does, so a parsed list is already canonical.
 */
#include <config.h>

#include "lib/ofp-actions.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "lib/ofp-match.h"
#include "lib/ofp-nx.h"

#define OFPVID_PRESENT 0x1000

/* Ports. */

static const struct {
    uint32_t port;
    const char *name;
} reserved_ports[] = {
    {OFPP_IN_PORT, "IN_PORT"}, {OFPP_TABLE, "TABLE"},
    {OFPP_NORMAL, "NORMAL"},   {OFPP_FLOOD, "FLOOD"},
    {OFPP_ALL, "ALL"},         {OFPP_CONTROLLER, "CONTROLLER"},
    {OFPP_LOCAL, "LOCAL"},     {OFPP_ANY, "ANY"},
};

static const char *
reserved_port_name(uint32_t port)
{
    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (reserved_ports[i].port == port) {
            return reserved_ports[i].name;
        }
    }
    return NULL;
}

/* True if port name 'name' prints without quotes, as ovs-ofctl decides:
 * a letter or '_' first, then letters, digits and '_'. */
static bool
port_name_is_bare(const char *name)
{
    if (!isalpha((unsigned char)*name) && *name != '_') {
        return false;
    }
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_') {
            return false;
        }
    }
    return true;
}

void
ofp_port_format(uint32_t port, const struct ofp_port_names *names,
                struct ds *s)
{
    const char *name = reserved_port_name(port);

    if (name) {
        ds_put_cstr(s, name);
        return;
    }
    if (names && names->port_to_name) {
        name = names->port_to_name(port, names->aux);
    }
    if (!name) {
        ds_put_format(s, "%" PRIu32, port);
    } else if (port_name_is_bare(name)) {
        ds_put_cstr(s, name);
    } else {
        ds_put_char(s, '"');
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\') {
                ds_put_char(s, '\\');
            }
            ds_put_char(s, *p);
        }
        ds_put_char(s, '"');
    }
}

/* Looks up a port name, unquoting a "quoted" one. */
static uint32_t
port_from_name(const char *s, const struct ofp_port_names *names)
{
    size_t n = strlen(s);

    if (!names || !names->name_to_port) {
        return UINT32_MAX;
    }
    if (n < 2 || s[0] != '"' || s[n - 1] != '"') {
        return names->name_to_port(s, names->aux);
    }
    char *name = xmalloc(n);
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] == '\\' && i + 2 < n) {
            i++;
        }
        name[k++] = s[i];
    }
    name[k] = '\0';
    uint32_t port = names->name_to_port(name, names->aux);
    free(name);
    return port;
}

bool
ofp_port_parse(const char *s, const struct ofp_port_names *names,
               uint32_t *portp)
{
    uint32_t port;

    if (str_to_u32(s, &port)) {
        if (port >= 0xff00 && port <= 0xffff) {
            port = ofp_port_from_of10(port);
        }
        if (port < OFPP_MAX || port >= OFPP_IN_PORT) {
            *portp = port;
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (!strcasecmp(s, reserved_ports[i].name)) {
            *portp = reserved_ports[i].port;
            return true;
        }
    }
    if (!strcasecmp(s, "NONE")) {
        *portp = OFPP_ANY;
        return true;
    }
    port = port_from_name(s, names);
    if (port != UINT32_MAX) {
        *portp = port;
        return true;
    }
    return false;
}

/* Field values. */

/* The name ovs-ofctl gives each field in set_field. */
static const char *const set_field_names[MFF_N_IDS] = {
    [MFF_IN_PORT] = "in_port",         [MFF_IN_PHY_PORT] = "in_phy_port",
    [MFF_METADATA] = "metadata",       [MFF_ETH_DST] = "eth_dst",
    [MFF_ETH_SRC] = "eth_src",         [MFF_ETH_TYPE] = "eth_type",
    [MFF_VLAN_VID] = "vlan_vid",       [MFF_VLAN_PCP] = "vlan_pcp",
    [MFF_IP_DSCP] = "ip_dscp",         [MFF_IP_ECN] = "nw_ecn",
    [MFF_IP_PROTO] = "nw_proto",       [MFF_IPV4_SRC] = "ip_src",
    [MFF_IPV4_DST] = "ip_dst",         [MFF_TCP_SRC] = "tcp_src",
    [MFF_TCP_DST] = "tcp_dst",         [MFF_UDP_SRC] = "udp_src",
    [MFF_UDP_DST] = "udp_dst",         [MFF_SCTP_SRC] = "sctp_src",
    [MFF_SCTP_DST] = "sctp_dst",       [MFF_ICMPV4_TYPE] = "icmp_type",
    [MFF_ICMPV4_CODE] = "icmp_code",   [MFF_ARP_OP] = "arp_op",
    [MFF_ARP_SPA] = "arp_spa",         [MFF_ARP_TPA] = "arp_tpa",
    [MFF_ARP_SHA] = "arp_sha",         [MFF_ARP_THA] = "arp_tha",
    [MFF_IPV6_SRC] = "ipv6_src",       [MFF_IPV6_DST] = "ipv6_dst",
    [MFF_IPV6_LABEL] = "ipv6_label",   [MFF_ICMPV6_TYPE] = "icmpv6_type",
    [MFF_ICMPV6_CODE] = "icmpv6_code", [MFF_ND_TARGET] = "nd_target",
    [MFF_ND_SLL] = "nd_sll",           [MFF_ND_TLL] = "nd_tll",
    [MFF_MPLS_LABEL] = "mpls_label",   [MFF_MPLS_TC] = "mpls_tc",
    [MFF_MPLS_BOS] = "mpls_bos",       [MFF_TCP_FLAGS] = "tcp_flags",
    [MFF_PBB_ISID] = "pbb_isid",       [MFF_PBB_UCA] = "pbb_uca",
    [MFF_IP_TTL] = "nw_ttl",           [MFF_IP_FRAG] = "ip_frag",
    [MFF_PKT_MARK] = "pkt_mark",
};

enum value_kind { VK_DEC, VK_HEX, VK_MAC, VK_IPV4, VK_IPV6, VK_PORT };

static enum value_kind
field_kind(enum mf_field_id id)
{
    switch (id) {
    case MFF_ETH_SRC:
    case MFF_ETH_DST:
    case MFF_ARP_SHA:
    case MFF_ARP_THA:
    case MFF_ND_SLL:
    case MFF_ND_TLL:
        return VK_MAC;
    case MFF_IPV4_SRC:
    case MFF_IPV4_DST:
    case MFF_ARP_SPA:
    case MFF_ARP_TPA:
        return VK_IPV4;
    case MFF_IPV6_SRC:
    case MFF_IPV6_DST:
    case MFF_ND_TARGET:
        return VK_IPV6;
    case MFF_IN_PORT:
    case MFF_IN_PHY_PORT:
        return VK_PORT;
    case MFF_METADATA:
    case MFF_ETH_TYPE:
    case MFF_IPV6_LABEL:
    case MFF_PKT_MARK:
    case MFF_TCP_FLAGS:
    case MFF_IP_FRAG:
        return VK_HEX;
    default:
        return VK_DEC;
    }
}

static void
format_mac(const struct eth_addr *mac, struct ds *s)
{
    const uint8_t *e = mac->ea;
    ds_put_format(s, "%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3],
                  e[4], e[5]);
}

static void
format_ipv4(tern_be32 ip, struct ds *s)
{
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &ip, buf, sizeof buf);
    ds_put_cstr(s, buf);
}

static void
format_value(const struct mf_field *mf, const union mf_value *v,
             const struct ofp_port_names *names, struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    uint64_t x = mf_value_to_u64(v, mf->n_bytes);

    switch (field_kind(mf->id)) {
    case VK_MAC:
        format_mac(&v->mac, s);
        break;
    case VK_IPV4:
        format_ipv4(v->be32, s);
        break;
    case VK_IPV6:
        inet_ntop(AF_INET6, &v->ipv6, buf, sizeof buf);
        ds_put_cstr(s, buf);
        break;
    case VK_PORT:
        ofp_port_format(x, names, s);
        break;
    case VK_HEX:
        ds_put_format(s, "0x%" PRIx64, x);
        break;
    case VK_DEC:
    default:
        ds_put_format(s, "%" PRIu64, x);
        break;
    }
}

static bool
parse_mac(const char *s, struct eth_addr *mac)
{
    unsigned int b[6];
    int n = 0;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%n", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &n) != 6 ||
        s[n]) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xff) {
            return false;
        }
        mac->ea[i] = b[i];
    }
    return true;
}

static bool
parse_ipv4(const char *s, tern_be32 *ip)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1) {
        return false;
    }
    *ip = a.s_addr;
    return true;
}

/* Parses the value (or mask) text 's' of field 'mf' into 'v'. */
static bool
parse_value(const struct mf_field *mf, const char *s,
            const struct ofp_port_names *names, union mf_value *v)
{
    uint64_t x;
    uint32_t port;

    memset(v, 0, sizeof *v);
    switch (field_kind(mf->id)) {
    case VK_MAC:
        return parse_mac(s, &v->mac);
    case VK_IPV4:
        return parse_ipv4(s, &v->be32);
    case VK_IPV6:
        return inet_pton(AF_INET6, s, &v->ipv6) == 1;
    case VK_PORT:
        if (!ofp_port_parse(s, names, &port)) {
            return false;
        }
        mf_value_from_u64(v, mf->n_bytes, port);
        return true;
    default:
        if (!str_to_u64(s, &x) || (mf->n_bits < 64 && x >> mf->n_bits)) {
            return false;
        }
        mf_value_from_u64(v, mf->n_bytes, x);
        return true;
    }
}

/* Parses a mask: a value of the field, or a prefix length for IP
 * addresses ("10.0.0.0/8"). */
static bool
parse_mask(const struct mf_field *mf, const char *s,
           const struct ofp_port_names *names, union mf_value *m)
{
    enum value_kind kind = field_kind(mf->id);
    uint8_t n;

    if ((kind == VK_IPV4 || kind == VK_IPV6) && str_to_u8(s, &n) &&
        n <= mf->n_bytes * 8 && !strchr(s, 'x')) {
        memset(m, 0, sizeof *m);
        for (size_t i = 0; i < n; i++) {
            m->bytes[i / 8] |= 0x80 >> (i % 8);
        }
        return true;
    }
    return parse_value(mf, s, names, m);
}

/* Formatting. */

static const char *const reason_names[OFPR_N_REASONS] = {
    "no_match", "action", "invalid_ttl", "action_set", "group", "packet_out",
};

static void
format_controller(const struct ofpact_controller *c, struct ds *s)
{
    if (c->reason == OFPR_ACTION && c->controller_id == 0) {
        ds_put_format(s, "CONTROLLER:%u", c->max_len);
        return;
    }
    ds_put_cstr(s, "controller(");
    if (c->reason != OFPR_ACTION) {
        if (c->reason < OFPR_N_REASONS) {
            ds_put_format(s, "reason=%s,", reason_names[c->reason]);
        } else {
            ds_put_format(s, "reason=%u,", c->reason);
        }
    }
    if (c->max_len != UINT16_MAX) {
        ds_put_format(s, "max_len=%u,", c->max_len);
    }
    if (c->controller_id != 0) {
        ds_put_format(s, "id=%u,", c->controller_id);
    }
    ds_chomp(s, ',');
    ds_put_char(s, ')');
}

static void
format_output(const struct ofpact_output *o,
              const struct ofp_port_names *names, struct ds *s)
{
    if (o->port == OFPP_CONTROLLER) {
        ds_put_format(s, "CONTROLLER:%u", o->max_len);
    } else if (o->port < OFPP_MAX || !reserved_port_name(o->port)) {
        ds_put_cstr(s, "output:");
        ofp_port_format(o->port, names, s);
    } else {
        ofp_port_format(o->port, names, s);
    }
}

/* The prefix length of a CIDR mask of 'n' bytes, or -1 if it is not
 * one. */
static int
mask_prefix_len(const union mf_value *mask, size_t n)
{
    int bits = 0;
    size_t i = 0;

    for (; i < n && mask->bytes[i] == 0xff; i++) {
        bits += 8;
    }
    if (i < n) {
        uint8_t b = mask->bytes[i++];
        while (b & 0x80) {
            bits++;
            b <<= 1;
        }
        if (b) {
            return -1;
        }
    }
    for (; i < n; i++) {
        if (mask->bytes[i]) {
            return -1;
        }
    }
    return bits;
}

static void
format_set_field(const struct ofpact_set_field *sf,
                 const struct ofp_port_names *names, struct ds *s)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    if (!mf) {
        ds_put_format(s, "set_field:<field %d>", (int)sf->field);
        return;
    }
    union mf_value value = sf->value;
    for (size_t i = 0; i < sizeof value.bytes; i++) {
        value.bytes[i] &= sf->mask.bytes[i];
    }
    ds_put_cstr(s, "set_field:");
    format_value(mf, &value, names, s);
    bool exact = mf_is_mask_exact(mf, &sf->mask);
    if (!exact) {
        ds_put_char(s, '/');
        enum value_kind kind = field_kind(mf->id);
        int prefix = mask_prefix_len(&sf->mask, mf->n_bytes);
        if (kind == VK_DEC) {
            /* ovs-ofctl prints masks of decimal fields in hex. */
            ds_put_format(s, "0x%" PRIx64,
                          mf_value_to_u64(&sf->mask, mf->n_bytes));
        } else if ((kind == VK_IPV4 || kind == VK_IPV6) && prefix >= 0) {
            ds_put_format(s, "%d", prefix);
        } else {
            format_value(mf, &sf->mask, names, s);
        }
    }
    const char *name = (unsigned)mf->id < MFF_N_IDS && set_field_names[mf->id]
                           ? set_field_names[mf->id]
                           : mf->name;
    ds_put_format(s, "->%s", name);
}

static void format_list(const struct ofpact *, size_t len,
                        const struct ofp_port_names *, struct ds *);

/* Formats the actions whose text is only the keyword and a number. */
static bool
format_simple(const struct ofpact *a, struct ds *s)
{
    const char *name = ofpact_type_name(a->type);

    switch (a->type) {
    case OFPACT_GROUP:
        ds_put_format(s, "group:%" PRIu32,
                      ((const struct ofpact_group *)a)->group_id);
        return true;
    case OFPACT_SET_QUEUE:
        ds_put_format(s, "set_queue:%" PRIu32,
                      ((const struct ofpact_queue *)a)->queue_id);
        return true;
    case OFPACT_METER:
        ds_put_format(s, "meter:%" PRIu32,
                      ((const struct ofpact_meter *)a)->meter_id);
        return true;
    case OFPACT_SET_VLAN_VID: {
        /* 1.1's form, which never pushes a tag, is "set_vlan_vid". */
        const struct ofpact_vlan_vid *vid = (const void *)a;
        ds_put_format(s, "%s_vlan_vid:%u",
                      vid->push_vlan_if_needed ? "mod" : "set", vid->vid);
        return true;
    }
    case OFPACT_SET_VLAN_PCP: {
        const struct ofpact_vlan_pcp *pcp = (const void *)a;
        ds_put_format(s, "%s_vlan_pcp:%u",
                      pcp->push_vlan_if_needed ? "mod" : "set", pcp->pcp);
        return true;
    }
    case OFPACT_SET_IP_DSCP:
    case OFPACT_SET_IP_TTL:
        ds_put_format(s, "%s:%u", name, ((const struct ofpact_u8 *)a)->value);
        return true;
    case OFPACT_SET_MPLS_TTL:
        ds_put_format(s, "set_mpls_ttl(%u)",
                      ((const struct ofpact_u8 *)a)->value);
        return true;
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        ds_put_format(s, "%s:%u", name,
                      ((const struct ofpact_l4_port *)a)->port);
        return true;
    case OFPACT_DEC_TTL:
    case OFPACT_DEC_MPLS_TTL:
    case OFPACT_COPY_TTL_OUT:
    case OFPACT_COPY_TTL_IN:
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_POP_PBB:
        ds_put_cstr(s, name);
        return true;
    case OFPACT_STRIP_VLAN:
        ds_put_cstr(s, a->len >= sizeof(struct ofpact_strip_vlan) &&
                               ((const struct ofpact_strip_vlan *)a)->is_pop
                           ? "pop_vlan"
                           : "strip_vlan");
        return true;
    case OFPACT_PUSH_VLAN:
        ds_put_format(s, "push_vlan:0x%" PRIx16,
                      ntohs(((const struct ofpact_push *)a)->ethertype));
        return true;
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
    case OFPACT_PUSH_PBB:
        ds_put_format(s, "%s:0x%04" PRIx16, name,
                      ntohs(((const struct ofpact_push *)a)->ethertype));
        return true;
    case OFPACT_GOTO_TABLE:
        ds_put_format(s, "goto_table:%u",
                      ((const struct ofpact_goto_table *)a)->table_id);
        return true;
    default:
        return false;
    }
}

/* "NXM_NX_REG0[]", "NXM_NX_REG0[3]", "NXM_NX_REG0[0..15]". */
static void
format_subfield(uint32_t header, unsigned ofs, unsigned n_bits, struct ds *s)
{
    const char *name = ofp_nxm_header_name(header);

    if (name) {
        ds_put_cstr(s, name);
    } else {
        ds_put_format(s, "<nxm 0x%08" PRIx32 ">", header);
    }
    if (ofs == 0 && n_bits == ofp_nxm_header_width(header)) {
        ds_put_cstr(s, "[]");
    } else if (n_bits == 1) {
        ds_put_format(s, "[%u]", ofs);
    } else {
        ds_put_format(s, "[%u..%u]", ofs, ofs + n_bits - 1);
    }
}

static void
format_reg(const struct ofpact *a, struct ds *s)
{
    if (a->type == OFPACT_REG_LOAD) {
        const struct ofpact_reg_load *rl = (const void *)a;
        ds_put_format(s, "load:%#" PRIx64 "->", rl->value);
        format_subfield(rl->dst, rl->ofs, rl->n_bits, s);
    } else {
        const struct ofpact_reg_move *rm = (const void *)a;
        ds_put_cstr(s, "move:");
        format_subfield(rm->src, rm->src_ofs, rm->n_bits, s);
        ds_put_cstr(s, "->");
        format_subfield(rm->dst, rm->dst_ofs, rm->n_bits, s);
    }
}

static void
format_one(const struct ofpact *a, const struct ofp_port_names *names,
           struct ds *s)
{
    if (format_simple(a, s)) {
        return;
    }
    switch (a->type) {
    case OFPACT_OUTPUT:
        format_output((const struct ofpact_output *)a, names, s);
        break;
    case OFPACT_CONTROLLER:
        format_controller((const struct ofpact_controller *)a, s);
        break;
    case OFPACT_ENQUEUE: {
        const struct ofpact_enqueue *e = (const void *)a;
        ds_put_cstr(s, "enqueue:");
        ofp_port_format(e->port, names, s);
        ds_put_format(s, ":%" PRIu32, e->queue);
        break;
    }
    case OFPACT_SET_FIELD:
        format_set_field((const struct ofpact_set_field *)a, names, s);
        break;
    case OFPACT_REG_LOAD:
    case OFPACT_REG_MOVE:
        format_reg(a, s);
        break;
    case OFPACT_SET_ETH_SRC:
    case OFPACT_SET_ETH_DST:
        ds_put_format(s, "%s:", ofpact_type_name(a->type));
        format_mac(&((const struct ofpact_mac *)a)->mac, s);
        break;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        ds_put_format(s, "%s:", ofpact_type_name(a->type));
        format_ipv4(((const struct ofpact_ipv4 *)a)->ipv4, s);
        break;
    case OFPACT_WRITE_ACTIONS: {
        size_t n;
        const struct ofpact *in =
            ofpact_nest_actions((const struct ofpact_nest *)a, &n);
        ds_put_cstr(s, "write_actions(");
        format_list(in, n, names, s);
        ds_put_char(s, ')');
        break;
    }
    case OFPACT_WRITE_METADATA: {
        const struct ofpact_metadata *md = (const void *)a;
        ds_put_format(s, "write_metadata:0x%" PRIx64,
                      tern_ntohll(md->metadata));
        if (md->mask != UINT64_MAX) {
            ds_put_format(s, "/0x%" PRIx64, tern_ntohll(md->mask));
        }
        break;
    }
    default:
        ds_put_format(s, "<ofpact %u>", a->type);
        break;
    }
}

static void
format_list(const struct ofpact *ofpacts, size_t len,
            const struct ofp_port_names *names, struct ds *s)
{
    if (!len) {
        ds_put_cstr(s, "drop");
        return;
    }
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (a != ofpacts) {
            ds_put_char(s, ',');
        }
        format_one(a, names, s);
        if (a->len < sizeof *a) {
            break;
        }
    }
}

void
ofpacts_format(const struct ofpact *ofpacts, size_t len,
               const struct ofp_port_names *names, struct ds *s)
{
    format_list(ofpacts, len, names, s);
}

/* Parsing. */

struct parse_ctx {
    const struct ofp_port_names *names;
    struct ofpbuf *out;
    int depth;    /* 0 at top level, 1 inside write_actions. */
    size_t start; /* Size of 'out' before the list. */
    bool no_push; /* Parsing set_vlan_vid/pcp (never pushes a tag). */
};

typedef char *act_parse_fn(const char *arg, struct parse_ctx *, int aux);

static char *
parse_uint(const char *arg, const char *what, uint64_t max, uint64_t *x)
{
    if (!str_to_u64(arg, x) || *x > max) {
        return xasprintf("%s: invalid argument \"%s\"", what, arg);
    }
    return NULL;
}

static char *
parse_output(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    uint32_t port;
    if (!ofp_port_parse(arg, c->names, &port) || port == OFPP_ANY) {
        return xasprintf("%s: output to unknown port", arg);
    }
    struct ofpact_output *o = ofpact_put(c->out, OFPACT_OUTPUT, sizeof *o);
    o->port = port;
    o->max_len = port == OFPP_CONTROLLER ? UINT16_MAX : 0;
    return NULL;
}

static char *
parse_controller_kv(char *kv, struct ofpact_controller *c)
{
    char *value = strchr(kv, '=');
    uint64_t x;

    if (!value) {
        return xasprintf("controller: \"%s\" lacks a value", kv);
    }
    *value++ = '\0';
    if (!strcmp(kv, "max_len")) {
        char *error = parse_uint(value, "max_len", UINT16_MAX, &x);
        c->max_len = x;
        return error;
    } else if (!strcmp(kv, "id")) {
        char *error = parse_uint(value, "id", UINT16_MAX, &x);
        c->controller_id = x;
        return error;
    } else if (!strcmp(kv, "reason")) {
        for (size_t i = 0; i < ARRAY_SIZE(reason_names); i++) {
            if (!strcmp(value, reason_names[i])) {
                c->reason = i;
                return NULL;
            }
        }
        return xasprintf("unknown reason \"%s\"", value);
    }
    return xasprintf("controller: unknown argument \"%s\"", kv);
}

static char *
parse_controller(const char *arg, struct parse_ctx *ctx, int aux TERN_UNUSED)
{
    struct ofpact_controller c = {.max_len = UINT16_MAX,
                                  .reason = OFPR_ACTION};
    char *error = NULL;
    uint64_t x;

    if (*arg && !strchr(arg, '=')) {
        error = parse_uint(arg, "controller", UINT16_MAX, &x);
        c.max_len = x;
    } else if (*arg) {
        char *copy = xstrdup(arg), *save = NULL;
        for (char *kv = strtok_r(copy, ",", &save); kv && !error;
             kv = strtok_r(NULL, ",", &save)) {
            error = parse_controller_kv(kv, &c);
        }
        free(copy);
    }
    if (error) {
        return error;
    }
    if (c.reason == OFPR_ACTION && c.controller_id == 0) {
        struct ofpact_output *o =
            ofpact_put(ctx->out, OFPACT_OUTPUT, sizeof *o);
        o->port = OFPP_CONTROLLER;
        o->max_len = c.max_len;
    } else {
        struct ofpact_controller *p =
            ofpact_put(ctx->out, OFPACT_CONTROLLER, sizeof *p);
        p->max_len = c.max_len;
        p->controller_id = c.controller_id;
        p->reason = c.reason;
    }
    return NULL;
}

static char *
parse_enqueue(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    const char *sep = strrchr(arg, ':');
    uint32_t port, queue;

    if (!sep) {
        sep = strrchr(arg, ',');
    }
    if (!sep) {
        return xasprintf("enqueue: \"%s\" is not PORT:QUEUE", arg);
    }
    char *p = xmemdup(arg, sep - arg + 1);
    p[sep - arg] = '\0';
    bool ok =
        ofp_port_parse(p, c->names, &port) && str_to_u32(sep + 1, &queue);
    free(p);
    if (!ok ||
        (port >= OFPP_MAX && port != OFPP_IN_PORT && port != OFPP_LOCAL)) {
        return xasprintf("enqueue: invalid argument \"%s\"", arg);
    }
    struct ofpact_enqueue *e = ofpact_put(c->out, OFPACT_ENQUEUE, sizeof *e);
    e->port = port;
    e->queue = queue;
    return NULL;
}

/* Actions of one number: 'aux' is the ofpact type. */
static char *
parse_number(const char *arg, struct parse_ctx *c, int aux)
{
    static const struct {
        enum ofpact_type type;
        uint64_t max;
    } limits[] = {
        {OFPACT_GROUP, OFPG_MAX},        {OFPACT_SET_QUEUE, UINT32_MAX},
        {OFPACT_METER, UINT32_MAX},      {OFPACT_SET_VLAN_VID, 0xfff},
        {OFPACT_SET_VLAN_PCP, 7},        {OFPACT_SET_IP_DSCP, 255},
        {OFPACT_SET_IP_TTL, 255},        {OFPACT_SET_MPLS_TTL, 255},
        {OFPACT_SET_L4_SRC_PORT, 65535}, {OFPACT_SET_L4_DST_PORT, 65535},
        {OFPACT_GOTO_TABLE, 254},
    };
    const char *name = ofpact_type_name(aux);
    uint64_t max = 0, x;

    for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
        if (limits[i].type == (enum ofpact_type)aux) {
            max = limits[i].max;
        }
    }
    char *error = parse_uint(arg, name, max, &x);
    if (error) {
        return error;
    }
    if (aux == OFPACT_SET_IP_DSCP && x & 3) {
        return xasprintf("%s: %s is not a multiple of 4", name, arg);
    }
    switch (aux) {
    case OFPACT_GROUP:
        ((struct ofpact_group *)ofpact_put(c->out, aux,
                                           sizeof(struct ofpact_group)))
            ->group_id = x;
        break;
    case OFPACT_SET_QUEUE:
        ((struct ofpact_queue *)ofpact_put(c->out, aux,
                                           sizeof(struct ofpact_queue)))
            ->queue_id = x;
        break;
    case OFPACT_METER:
        ((struct ofpact_meter *)ofpact_put(c->out, aux,
                                           sizeof(struct ofpact_meter)))
            ->meter_id = x;
        break;
    case OFPACT_SET_VLAN_VID: {
        struct ofpact_vlan_vid *v = ofpact_put(c->out, aux, sizeof *v);
        v->vid = x;
        v->push_vlan_if_needed = !c->no_push;
        break;
    }
    case OFPACT_SET_VLAN_PCP: {
        struct ofpact_vlan_pcp *p = ofpact_put(c->out, aux, sizeof *p);
        p->pcp = x;
        p->push_vlan_if_needed = !c->no_push;
        break;
    }
    case OFPACT_SET_L4_SRC_PORT:
    case OFPACT_SET_L4_DST_PORT:
        ((struct ofpact_l4_port *)ofpact_put(c->out, aux,
                                             sizeof(struct ofpact_l4_port)))
            ->port = x;
        break;
    case OFPACT_GOTO_TABLE:
        ((struct ofpact_goto_table *)ofpact_put(
             c->out, aux, sizeof(struct ofpact_goto_table)))
            ->table_id = x;
        break;
    default:
        ((struct ofpact_u8 *)ofpact_put(c->out, aux, sizeof(struct ofpact_u8)))
            ->value = x;
        break;
    }
    return NULL;
}

static char *
parse_empty(const char *arg, struct parse_ctx *c, int aux)
{
    if (*arg) {
        return xasprintf("%s: takes no argument", ofpact_type_name(aux));
    }
    ofpact_put(c->out, aux, sizeof(struct ofpact));
    return NULL;
}

static char *
parse_strip(const char *arg, struct parse_ctx *c, int aux)
{
    if (*arg) {
        return xasprintf("%s: takes no argument",
                         aux ? "pop_vlan" : "strip_vlan");
    }
    struct ofpact_strip_vlan *s =
        ofpact_put(c->out, OFPACT_STRIP_VLAN, sizeof *s);
    s->is_pop = aux;
    return NULL;
}

static char *
parse_ethertype(const char *arg, struct parse_ctx *c, int aux)
{
    uint16_t type;
    if (!str_to_u16(arg, &type) ||
        (aux == OFPACT_PUSH_VLAN && type != 0x8100 && type != 0x88a8) ||
        (aux == OFPACT_PUSH_MPLS && type != 0x8847 && type != 0x8848) ||
        (aux == OFPACT_PUSH_PBB && type != ETH_TYPE_PBB)) {
        return xasprintf("%s: invalid ethertype \"%s\"", ofpact_type_name(aux),
                         arg);
    }
    struct ofpact_push *p = ofpact_put(c->out, aux, sizeof *p);
    p->ethertype = htons(type);
    return NULL;
}

static char *
parse_mac_action(const char *arg, struct parse_ctx *c, int aux)
{
    struct eth_addr mac;
    if (!parse_mac(arg, &mac)) {
        return xasprintf("%s: invalid Ethernet address \"%s\"",
                         ofpact_type_name(aux), arg);
    }
    ((struct ofpact_mac *)ofpact_put(c->out, aux, sizeof(struct ofpact_mac)))
        ->mac = mac;
    return NULL;
}

static char *
parse_ipv4_action(const char *arg, struct parse_ctx *c, int aux)
{
    tern_be32 ip;
    if (!parse_ipv4(arg, &ip)) {
        return xasprintf("%s: invalid IP address \"%s\"",
                         ofpact_type_name(aux), arg);
    }
    ((struct ofpact_ipv4 *)ofpact_put(c->out, aux, sizeof(struct ofpact_ipv4)))
        ->ipv4 = ip;
    return NULL;
}

static const struct mf_field *
set_field_lookup(const char *name)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        if (set_field_names[i] && !strcmp(name, set_field_names[i])) {
            return mf_from_id(i);
        }
    }
    return mf_from_name(name);
}

static char *
put_set_field(struct parse_ctx *c, const struct mf_field *mf,
              const char *value, const char *mask)
{
    struct ofpact_set_field sf;

    memset(&sf, 0, sizeof sf);
    if (!mf->writable) {
        return xasprintf("%s is read-only", mf->name);
    }
    if (!parse_value(mf, value, c->names, &sf.value)) {
        return xasprintf("%s: invalid value \"%s\"", mf->name, value);
    }
    if (mask) {
        if (!parse_mask(mf, mask, c->names, &sf.mask)) {
            return xasprintf("%s: invalid mask \"%s\"", mf->name, mask);
        }
    } else {
        mf_get_exact_mask(mf, &sf.mask);
    }
    if (mf->id == MFF_VLAN_VID &&
        !(mf_value_to_u64(&sf.value, mf->n_bytes) & OFPVID_PRESENT)) {
        /* ovs-ofctl adds the present bit: "set_field:5->vlan_vid". */
        mf_value_from_u64(&sf.value, mf->n_bytes,
                          mf_value_to_u64(&sf.value, mf->n_bytes) |
                              OFPVID_PRESENT);
    }
    struct ofpact_set_field *p =
        ofpact_put(c->out, OFPACT_SET_FIELD, sizeof *p);
    p->field = mf->id;
    p->value = sf.value;
    p->mask = sf.mask;
    return NULL;
}

static char *
parse_set_field(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    const char *arrow = strstr(arg, "->");
    if (!arrow) {
        return xasprintf("set_field: \"%s\" lacks \"->\"", arg);
    }
    const struct mf_field *mf = set_field_lookup(arrow + 2);
    if (!mf) {
        return xasprintf("%s is not a valid OXM field name", arrow + 2);
    }
    char *value = xmemdup(arg, arrow - arg + 1);
    value[arrow - arg] = '\0';
    char *slash = field_kind(mf->id) == VK_IPV6 ? strrchr(value, '/')
                                                : strchr(value, '/');
    if (slash) {
        *slash++ = '\0';
    }
    char *error = put_set_field(c, mf, value, slash);
    free(value);
    return error;
}

/* Parses "NAME[]", "NAME[BIT]" or "NAME[START..END]" from the 'len' bytes
 * at 's', at most 'max_bits' wide. */
static char *
parse_subfield(const char *s, size_t len, unsigned max_bits, uint32_t *header,
               unsigned *ofs, unsigned *n_bits)
{
    const char *br = memchr(s, '[', len);
    if (!br || s[len - 1] != ']') {
        return xasprintf("\"%.*s\": a field needs [] or a bit range", (int)len,
                         s);
    }
    if (!ofp_nxm_header_from_name(s, br - s, header)) {
        return xasprintf("%.*s is not a valid NXM field name", (int)(br - s),
                         s);
    }
    unsigned width = ofp_nxm_header_width(*header);
    unsigned start, end;
    char *inner = xmemdup(br + 1, len - (br - s) - 1);
    inner[len - (br - s) - 2] = '\0';
    int n = 0;
    if (!inner[0]) {
        start = 0;
        end = width - 1;
    } else if (sscanf(inner, "%u..%u%n", &start, &end, &n) == 2 && !inner[n]) {
    } else if (sscanf(inner, "%u%n", &start, &n) == 1 && !inner[n]) {
        end = start;
    } else {
        free(inner);
        return xasprintf("\"%.*s\": bad bit range", (int)len, s);
    }
    free(inner);
    if (start > end || end >= width || end - start >= max_bits) {
        return xasprintf("\"%.*s\": bit range outside the field", (int)len, s);
    }
    *ofs = start;
    *n_bits = end - start + 1;
    return NULL;
}

/* load:VALUE->DST[RANGE]. */
static char *
parse_load(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    const char *arrow = strstr(arg, "->");
    if (!arrow) {
        return xasprintf("load: \"%s\" lacks \"->\"", arg);
    }
    struct ofpact_reg_load rl;
    memset(&rl, 0, sizeof rl);
    unsigned ofs, n_bits;
    char *error = parse_subfield(arrow + 2, strlen(arrow + 2), 64, &rl.dst,
                                 &ofs, &n_bits);
    if (error) {
        return error;
    }
    char *end;
    errno = 0;
    rl.value = strtoull(arg, &end, 0);
    if (errno || end != arrow || arrow == arg) {
        return xasprintf("load: bad value in \"%s\"", arg);
    }
    if (n_bits < 64 && rl.value >> n_bits) {
        return xasprintf("load: %s does not fit in %u bits", arg, n_bits);
    }
    const struct mf_field *mf = ofp_nxm_header_field(rl.dst);
    if (!mf->writable) {
        return xasprintf("load: %s is not writable", arrow + 2);
    }
    struct ofpact_reg_load *p = ofpact_put(c->out, OFPACT_REG_LOAD, sizeof *p);
    p->field = mf->id;
    p->dst = rl.dst;
    p->ofs = ofs;
    p->n_bits = n_bits;
    p->value = rl.value;
    return NULL;
}

/* move:SRC[RANGE]->DST[RANGE]. */
static char *
parse_move(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    const char *arrow = strstr(arg, "->");
    if (!arrow) {
        return xasprintf("move: \"%s\" lacks \"->\"", arg);
    }
    uint32_t src, dst;
    unsigned src_ofs, dst_ofs, n_src, n_dst;
    char *error =
        parse_subfield(arg, arrow - arg, UINT16_MAX, &src, &src_ofs, &n_src);
    if (!error) {
        error = parse_subfield(arrow + 2, strlen(arrow + 2), UINT16_MAX, &dst,
                               &dst_ofs, &n_dst);
    }
    if (error) {
        return error;
    }
    if (n_src != n_dst) {
        return xasprintf("move: \"%s\": source and destination widths "
                         "differ",
                         arg);
    }
    const struct mf_field *dmf = ofp_nxm_header_field(dst);
    if (!dmf->writable) {
        return xasprintf("move: %s is not writable", arrow + 2);
    }
    struct ofpact_reg_move *p = ofpact_put(c->out, OFPACT_REG_MOVE, sizeof *p);
    p->src_field = ofp_nxm_header_field(src)->id;
    p->dst_field = dmf->id;
    p->src = src;
    p->dst = dst;
    p->src_ofs = src_ofs;
    p->dst_ofs = dst_ofs;
    p->n_bits = n_src;
    return NULL;
}

/* The 1.1 set_* actions that have no ofpact of their own. */
static char *
parse_field_action(const char *arg, struct parse_ctx *c, int aux)
{
    return put_set_field(c, mf_from_id(aux), arg, NULL);
}

static char *
parse_write_metadata(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    char *copy = xstrdup(arg);
    char *slash = strchr(copy, '/');
    uint64_t md, mask = UINT64_MAX;
    bool ok;

    if (slash) {
        *slash++ = '\0';
    }
    ok = str_to_u64(copy, &md) && (!slash || str_to_u64(slash, &mask));
    free(copy);
    if (!ok) {
        return xasprintf("write_metadata: invalid argument \"%s\"", arg);
    }
    struct ofpact_metadata *m =
        ofpact_put(c->out, OFPACT_WRITE_METADATA, sizeof *m);
    m->metadata = tern_htonll(md & mask);
    m->mask = tern_htonll(mask);
    return NULL;
}

static char *parse_list(const char *s, struct parse_ctx *);

static char *
parse_write_actions(const char *arg, struct parse_ctx *c, int aux TERN_UNUSED)
{
    if (c->depth >= OFPACTS_MAX_DEPTH - 1) {
        return xstrdup("write_actions: instructions are not allowed inside "
                       "write_actions");
    }
    size_t ofs = ofpact_nest_start(c->out, OFPACT_WRITE_ACTIONS);
    struct parse_ctx inner = {c->names, c->out, c->depth + 1, c->start, false};
    char *error = parse_list(arg, &inner);
    if (!error) {
        ofpact_nest_end(c->out, ofs);
        if (c->out->size == ofs + sizeof(struct ofpact_nest)) {
            /* ovs-ofctl drops an empty write_actions(drop). */
            c->out->size = ofs;
        }
    }
    return error;
}

struct act_keyword {
    const char *name;
    act_parse_fn *parse;
    int aux;
};

static const struct act_keyword act_keywords[] = {
    {"output", parse_output, 0},
    {"controller", parse_controller, 0},
    {"enqueue", parse_enqueue, 0},
    {"group", parse_number, OFPACT_GROUP},
    {"set_queue", parse_number, OFPACT_SET_QUEUE},
    {"meter", parse_number, OFPACT_METER},
    {"set_field", parse_set_field, 0},
    {"load", parse_load, 0},
    {"move", parse_move, 0},
    {"mod_vlan_vid", parse_number, OFPACT_SET_VLAN_VID},
    {"mod_vlan_pcp", parse_number, OFPACT_SET_VLAN_PCP},
    {"strip_vlan", parse_strip, 0},
    {"pop_vlan", parse_strip, 1},
    {"push_vlan", parse_ethertype, OFPACT_PUSH_VLAN},
    {"mod_dl_src", parse_mac_action, OFPACT_SET_ETH_SRC},
    {"mod_dl_dst", parse_mac_action, OFPACT_SET_ETH_DST},
    {"mod_nw_src", parse_ipv4_action, OFPACT_SET_IPV4_SRC},
    {"mod_nw_dst", parse_ipv4_action, OFPACT_SET_IPV4_DST},
    {"mod_nw_tos", parse_number, OFPACT_SET_IP_DSCP},
    {"mod_nw_ecn", parse_field_action, MFF_IP_ECN},
    {"mod_tp_src", parse_number, OFPACT_SET_L4_SRC_PORT},
    {"mod_tp_dst", parse_number, OFPACT_SET_L4_DST_PORT},
    {"mod_nw_ttl", parse_number, OFPACT_SET_IP_TTL},
    {"dec_ttl", parse_empty, OFPACT_DEC_TTL},
    {"set_mpls_ttl", parse_number, OFPACT_SET_MPLS_TTL},
    {"dec_mpls_ttl", parse_empty, OFPACT_DEC_MPLS_TTL},
    {"copy_ttl_out", parse_empty, OFPACT_COPY_TTL_OUT},
    {"copy_ttl_in", parse_empty, OFPACT_COPY_TTL_IN},
    {"push_mpls", parse_ethertype, OFPACT_PUSH_MPLS},
    {"pop_mpls", parse_ethertype, OFPACT_POP_MPLS},
    {"push_pbb", parse_ethertype, OFPACT_PUSH_PBB},
    {"pop_pbb", parse_empty, OFPACT_POP_PBB},
    {"clear_actions", parse_empty, OFPACT_CLEAR_ACTIONS},
    {"write_actions", parse_write_actions, 0},
    {"write_metadata", parse_write_metadata, 0},
    {"goto_table", parse_number, OFPACT_GOTO_TABLE},
};

/* Instruction ranks in the canonical order, and their names. */
static const char *const rank_names[] = {
    "meter",         "apply_actions",  "clear_actions",
    "write_actions", "write_metadata", "goto_table",
};

static int
type_rank(uint16_t type)
{
    switch (type) {
    case OFPACT_METER:
        return 0;
    case OFPACT_CLEAR_ACTIONS:
        return 2;
    case OFPACT_WRITE_ACTIONS:
        return 3;
    case OFPACT_WRITE_METADATA:
        return 4;
    case OFPACT_GOTO_TABLE:
        return 5;
    default:
        return 1;
    }
}

/* Parses one item "key", "key:arg" or "key(arg)" (modified in place). */
static char *
parse_item(char *item, struct parse_ctx *c)
{
    char *arg = item + strcspn(item, ":(");
    uint32_t port;

    if (*arg == '(') {
        size_t n = strlen(arg);
        if (arg[n - 1] != ')') {
            return xasprintf("%s: unbalanced parentheses", item);
        }
        arg[n - 1] = '\0';
        *arg++ = '\0';
    } else if (*arg == ':') {
        *arg++ = '\0';
    }
    c->no_push =
        !strcasecmp(item, "set_vlan_vid") || !strcasecmp(item, "set_vlan_pcp");
    for (size_t i = 0; i < ARRAY_SIZE(act_keywords); i++) {
        const char *name = act_keywords[i].name;
        if (!strcasecmp(item, name) ||
            (c->no_push && !strcasecmp(item + 3, name + 3) &&
             !strncmp(name, "mod_vlan_", 9))) {
            return act_keywords[i].parse(arg, c, act_keywords[i].aux);
        }
    }
    if (!*arg && ofp_port_parse(item, c->names, &port) && port != OFPP_ANY) {
        return parse_output(item, c, 0);
    }
    return xasprintf("unknown action %s", item);
}

/* Returns the next item of the list at '*cursor' (modified in place):
 * up to a comma outside parentheses and quotes. */
static char *
next_item(char **cursor)
{
    char *start = *cursor, *p = start;
    int depth = 0;

    while (*p == ' ') {
        p++;
    }
    start = p;
    for (bool quoted = false; *p; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if (quoted) {
            if (*p == '\\' && p[1]) {
                p++;
            }
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (*p == ',' && depth <= 0) {
            break;
        }
    }
    if (*p) {
        *p++ = '\0';
    }
    *cursor = p;
    return start;
}

static char *
check_order(const struct parse_ctx *c, size_t at, int *last)
{
    const struct ofpact *a = ofpbuf_at(c->out, at, sizeof *a);
    int rank = type_rank(a->type);

    if (c->depth > 0 && rank != 1) {
        return xasprintf("%s: not allowed inside write_actions",
                         rank_names[rank]);
    }
    if (rank < *last) {
        return xasprintf("invalid instruction ordering: %s must appear "
                         "before %s, for OpenFlow 1.1+ compatibility",
                         rank_names[rank], rank_names[*last]);
    }
    if (rank == *last && rank != 1) {
        return xasprintf("instruction %s may be specified only once",
                         rank_names[rank]);
    }
    *last = rank;
    return NULL;
}

static char *
parse_list(const char *s, struct parse_ctx *c)
{
    char *copy = xstrdup(s), *cursor = copy;
    char *error = NULL;
    bool drop = false;
    size_t n = 0;
    int last = -1;

    while (!error && *cursor) {
        char *item = next_item(&cursor);
        size_t len = strlen(item);
        while (len && item[len - 1] == ' ') {
            item[--len] = '\0';
        }
        if (!len) {
            continue;
        }
        if (!strcasecmp(item, "drop")) {
            drop = true;
            continue;
        }
        size_t at = c->out->size;
        error = parse_item(item, c);
        if (!error && c->out->size > at) {
            n++;
            error = check_order(c, at, &last);
        }
        if (!error && c->out->size - c->start > OFPACTS_MAX_LEN) {
            error = xasprintf("too many actions (more than %d bytes)",
                              OFPACTS_MAX_LEN);
        }
    }
    if (!error && drop && n) {
        error = xstrdup("\"drop\" must not be accompanied by any other "
                        "action or instruction");
    }
    free(copy);
    return error;
}

char *
ofpacts_parse(const char *s, const struct ofp_port_names *names,
              struct ofpbuf *ofpacts)
{
    size_t start = ofpacts->size;
    struct parse_ctx c = {names, ofpacts, 0, start, false};
    char *error = parse_list(s, &c);

    if (error) {
        ofpacts->size = start;
    }
    return error;
}
