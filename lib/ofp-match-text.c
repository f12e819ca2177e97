/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-match-text: matches and field values in ovs-ofctl's text syntax.
 *
 * Parsing takes "key=value" (or "key:value") items separated by commas or
 * white space, protocol shorthands ("tcp", "arp", "udp6", ...) and the
 * historical keys that are not one OXM field (dl_vlan, dl_vlan_pcp,
 * vlan_tci, nw_tos).  Like ovs-ofctl, a field whose prerequisites the
 * match lacks is dropped rather than refused.  Formatting prints fields
 * in ovs-ofctl 3.1's order and spelling, so that dump-flows output is the
 * same text Open vSwitch prints.  Field values ("10.0.0.0/24",
 * "0x10/0xfff0", "+syn-ack", "first") go through mf_parse_value() and
 * mf_format_value(), which set_field actions use as well.
 */
#include <config.h>

#include "lib/ofp-match.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Ports. */

struct reserved_port {
    const char *name;
    uint32_t port;
};

static const struct reserved_port reserved_ports[] = {
    {"IN_PORT", 0xfffffff8u}, {"TABLE", 0xfffffff9u},
    {"NORMAL", 0xfffffffau},  {"FLOOD", 0xfffffffbu},
    {"ALL", 0xfffffffcu},     {"CONTROLLER", 0xfffffffdu},
    {"LOCAL", 0xfffffffeu},   {"ANY", 0xffffffffu},
    {"NONE", 0xffffffffu},
};

static void
port_format(uint32_t port, const struct ofp_port_names *names, struct ds *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (reserved_ports[i].port == port) {
            ds_put_cstr(s, reserved_ports[i].name);
            return;
        }
    }
    const char *name =
        (names && names->port_to_name ? names->port_to_name(port, names->aux)
                                      : NULL);
    if (!name) {
        ds_put_format(s, "%" PRIu32, port);
        return;
    }
    bool plain = *name && !isdigit((unsigned char)*name);
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p)) {
            plain = false;
        }
    }
    if (plain) {
        ds_put_cstr(s, name);
        return;
    }
    ds_put_char(s, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"' || *p == '\\') {
            ds_put_char(s, '\\');
        }
        ds_put_char(s, *p);
    }
    ds_put_char(s, '"');
}

static bool
port_parse(const char *s, const struct ofp_port_names *names, uint32_t *port)
{
    uint32_t n;

    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (!strcasecmp(s, reserved_ports[i].name)) {
            *port = reserved_ports[i].port;
            return true;
        }
    }
    if (str_to_u32(s, &n)) {
        if (n >= 0xff00 && n <= 0xffff) {
            return false; /* OpenFlow 1.0 reserved range. */
        }
        *port = n;
        return true;
    }
    if (names && names->name_to_port) {
        n = names->name_to_port(s, names->aux);
        if (n != UINT32_MAX) {
            *port = n;
            return true;
        }
    }
    return false;
}

/* TCP flags. */

static const char *const tcp_flag_names[12] = {
    "fin", "syn", "rst", "psh",   "ack",   "urg",
    "ece", "cwr", "ns",  "[200]", "[400]", "[800]",
};

static int
tcp_flag_from_name(const char *s, size_t n)
{
    for (int i = 0; i < 12; i++) {
        if (strlen(tcp_flag_names[i]) == n &&
            !strncmp(s, tcp_flag_names[i], n)) {
            return 1 << i;
        }
    }
    return -1;
}

static void
tcp_flags_format(uint16_t flags, uint16_t mask, struct ds *s)
{
    flags &= TCP_FLAGS_MASK;
    mask &= TCP_FLAGS_MASK;
    if (mask == TCP_FLAGS_MASK) {
        if (!flags) {
            ds_put_char(s, '0');
            return;
        }
        bool first = true;
        for (int i = 0; i < 12; i++) {
            if (flags & (1 << i)) {
                ds_put_format(s, "%s%s", first ? "" : "|", tcp_flag_names[i]);
                first = false;
            }
        }
        return;
    }
    if (!mask) {
        ds_put_cstr(s, "0/0");
        return;
    }
    for (int i = 0; i < 12; i++) {
        if (mask & (1 << i)) {
            ds_put_format(s, "%c%s", flags & (1 << i) ? '+' : '-',
                          tcp_flag_names[i]);
        }
    }
}

static char *
tcp_flags_parse(const char *s, uint16_t *flags, uint16_t *mask)
{
    *flags = *mask = 0;
    if (*s == '+' || *s == '-') {
        while (*s) {
            bool set = *s++ == '+';
            size_t n = strcspn(s, "+-");
            int bit = tcp_flag_from_name(s, n);
            if (bit < 0 || (*mask & bit)) {
                return xasprintf("%.*s: unknown or repeated TCP flag", (int)n,
                                 s);
            }
            *mask |= bit;
            *flags |= set ? bit : 0;
            s += n;
            if (*s && *s != '+' && *s != '-') {
                return xasprintf("%s: bad TCP flags syntax", s);
            }
        }
        return NULL;
    }
    const char *slash = strchr(s, '/');
    char *v = slash ? xmemdup(s, (size_t)(slash - s) + 1) : xstrdup(s);
    v[slash ? slash - s : (ptrdiff_t)strlen(s)] = '\0';
    char *error = NULL;
    if (!str_to_u16(v, flags)) {
        for (char *p = v; *p;) {
            size_t n = strcspn(p, "|");
            int bit = tcp_flag_from_name(p, n);
            if (bit < 0) {
                error = xasprintf("%s: unknown TCP flag", p);
                break;
            }
            *flags |= bit;
            p += n + (p[n] == '|');
        }
    }
    free(v);
    if (!error && slash && !str_to_u16(slash + 1, mask)) {
        error = xasprintf("%s: bad TCP flags mask", slash + 1);
    } else if (!slash) {
        *mask = TCP_FLAGS_MASK;
    }
    if (!error && (*flags & ~TCP_FLAGS_MASK)) {
        error = xasprintf("%s: TCP flags out of range", s);
    }
    return error;
}

/* IP fragments. */

struct frag_name {
    const char *name;
    uint8_t value, mask;
};

static const struct frag_name frag_names[] = {
    {"no", 0, FLOW_NW_FRAG_MASK},
    {"yes", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_ANY},
    {"first", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_MASK},
    {"later", FLOW_NW_FRAG_MASK, FLOW_NW_FRAG_MASK},
    {"not_later", 0, FLOW_NW_FRAG_LATER},
};

static const char *
frag_format(uint8_t value, uint8_t mask)
{
    bool any = value & FLOW_NW_FRAG_ANY;
    bool later = value & FLOW_NW_FRAG_LATER;

    switch (mask & FLOW_NW_FRAG_MASK) {
    case FLOW_NW_FRAG_MASK:
        return any ? (later ? "later" : "first") : (later ? "<error>" : "no");
    case FLOW_NW_FRAG_ANY:
        return any ? "yes" : "no";
    case FLOW_NW_FRAG_LATER:
        return later ? "later" : "not_later";
    default:
        return NULL;
    }
}

/* Addresses. */

static bool
ipv4_parse(const char *s, tern_be32 *ip, tern_be32 *mask)
{
    char buf[INET_ADDRSTRLEN + 20];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    uint8_t bits;

    if (n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET, buf, ip) != 1) {
        return false;
    }
    *mask = UINT32_MAX;
    if (!slash) {
        return true;
    }
    if (str_to_u8(slash + 1, &bits) && !strchr(slash + 1, '.')) {
        if (bits > 32) {
            return false;
        }
        *mask = bits ? htonl(UINT32_MAX << (32 - bits)) : 0;
        return true;
    }
    return inet_pton(AF_INET, slash + 1, mask) == 1;
}

static bool
ipv6_parse(const char *s, struct in6_addr *ip, struct in6_addr *mask)
{
    char buf[INET6_ADDRSTRLEN + 50];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    uint8_t bits;

    if (n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET6, buf, ip) != 1) {
        return false;
    }
    memset(mask, 0xff, sizeof *mask);
    if (!slash) {
        return true;
    }
    if (str_to_u8(slash + 1, &bits) && !strchr(slash + 1, ':')) {
        if (bits > 128) {
            return false;
        }
        memset(mask, 0, sizeof *mask);
        for (int i = 0; i < bits; i++) {
            mask->s6_addr[i / 8] |= 0x80 >> (i % 8);
        }
        return true;
    }
    return inet_pton(AF_INET6, slash + 1, mask) == 1;
}

/* Prefix length of 'mask' ('n' bytes), or -1 if it is not a prefix. */
static int
prefix_len(const uint8_t *mask, size_t n)
{
    int len = 0;
    size_t i = 0;
    for (; i < n && mask[i] == 0xff; i++) {
        len += 8;
    }
    if (i < n) {
        uint8_t b = mask[i++];
        while (b & 0x80) {
            len++;
            b <<= 1;
        }
        if (b) {
            return -1;
        }
    }
    for (; i < n; i++) {
        if (mask[i]) {
            return -1;
        }
    }
    return len;
}

static void
ipv4_format(tern_be32 ip, tern_be32 mask, struct ds *s)
{
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &ip, buf, sizeof buf);
    ds_put_cstr(s, buf);
    if (mask != UINT32_MAX) {
        int len = prefix_len((const uint8_t *)&mask, 4);
        if (len >= 0) {
            ds_put_format(s, "/%d", len);
        } else {
            inet_ntop(AF_INET, &mask, buf, sizeof buf);
            ds_put_format(s, "/%s", buf);
        }
    }
}

static void
ipv6_format(const struct in6_addr *ip, const struct in6_addr *mask,
            struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, ip, buf, sizeof buf);
    ds_put_cstr(s, buf);
    int len = prefix_len(mask->s6_addr, 16);
    if (len == 128) {
        return;
    } else if (len >= 0) {
        ds_put_format(s, "/%d", len);
    } else {
        inet_ntop(AF_INET6, mask, buf, sizeof buf);
        ds_put_format(s, "/%s", buf);
    }
}

static void
mac_format(const struct eth_addr *mac, const struct eth_addr *mask,
           struct ds *s)
{
    ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(*mac));
    if (mask && prefix_len(mask->ea, ETH_ADDR_LEN) != 48) {
        ds_put_format(s, "/" ETH_ADDR_FMT, ETH_ADDR_ARGS(*mask));
    }
}

static bool
mac_parse(const char *s, struct eth_addr *mac, struct eth_addr *mask)
{
    char buf[18];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);

    if (n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(mask, 0xff, sizeof *mask);
    return (eth_addr_from_string(buf, mac) &&
            (!slash || eth_addr_from_string(slash + 1, mask)));
}

/* Field values. */

/* How a field's value reads in text. */
static enum {
    MFS_DEC,
    MFS_HEX,
    MFS_MAC,
    MFS_IPV4,
    MFS_IPV6,
    MFS_PORT,
    MFS_FRAG,
    MFS_TCP_FLAGS,
} mf_string_kind(const struct mf_field *mf)
{
    switch (mf->id) {
    case MFF_IN_PORT:
    case MFF_IN_PHY_PORT:
        return MFS_PORT;
    case MFF_METADATA:
    case MFF_ETH_TYPE:
    case MFF_IPV6_LABEL:
    case MFF_PKT_MARK:
    case MFF_REG0:
    case MFF_REG1:
    case MFF_REG2:
    case MFF_REG3:
    case MFF_REG4:
    case MFF_REG5:
    case MFF_REG6:
    case MFF_REG7:
    case MFF_TUN_ID:
    case MFF_VLAN_TCI:
        return MFS_HEX;
    case MFF_ETH_DST:
    case MFF_ETH_SRC:
    case MFF_ARP_SHA:
    case MFF_ARP_THA:
    case MFF_ND_SLL:
    case MFF_ND_TLL:
        return MFS_MAC;
    case MFF_IPV4_SRC:
    case MFF_IPV4_DST:
    case MFF_ARP_SPA:
    case MFF_ARP_TPA:
        return MFS_IPV4;
    case MFF_IPV6_SRC:
    case MFF_IPV6_DST:
    case MFF_ND_TARGET:
        return MFS_IPV6;
    case MFF_IP_FRAG:
        return MFS_FRAG;
    case MFF_TCP_FLAGS:
        return MFS_TCP_FLAGS;
    default:
        return MFS_DEC;
    }
}

static void
u64_to_value(const struct mf_field *mf, uint64_t x, union mf_value *v)
{
    memset(v, 0, sizeof *v);
    for (int i = mf->n_bytes - 1; i >= 0; i--) {
        v->bytes[i] = (uint8_t)x;
        x >>= 8;
    }
}

static uint64_t
value_to_u64(const struct mf_field *mf, const union mf_value *v)
{
    uint64_t x = 0;
    for (int i = 0; i < mf->n_bytes; i++) {
        x = (x << 8) | v->bytes[i];
    }
    return x;
}

static char *
parse_int(const struct mf_field *mf, const char *s, union mf_value *value,
          union mf_value *mask)
{
    const char *slash = strchr(s, '/');
    char *v = xstrdup(s);
    uint64_t x, m = UINT64_MAX;
    uint64_t max =
        mf->n_bytes >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * mf->n_bytes)) - 1;
    char *error = NULL;

    if (slash) {
        v[slash - s] = '\0';
    }
    if (!str_to_u64(v, &x) || (slash && !str_to_u64(slash + 1, &m))) {
        error = xasprintf("%s: bad value for field %s", s, mf->name);
    } else if (x > max || (slash && m > max)) {
        error = xasprintf("%s: value too large for %d-byte field %s", s,
                          mf->n_bytes, mf->name);
    } else {
        u64_to_value(mf, x, value);
        u64_to_value(mf, slash ? m : UINT64_MAX, mask);
    }
    free(v);
    return error;
}

char *
mf_parse_value(const struct mf_field *mf, const char *s,
               const struct ofp_port_names *names, union mf_value *value,
               union mf_value *mask)
{
    union mf_value m;
    uint16_t flags, fmask;
    char *error = NULL;

    memset(value, 0, sizeof *value);
    memset(&m, 0, sizeof m);
    switch (mf_string_kind(mf)) {
    case MFS_PORT:
        if (!port_parse(s, names, &value->be32)) {
            return xasprintf("%s: invalid or unknown port for %s", s,
                             mf->name);
        }
        value->be32 = htonl(value->be32);
        memset(&m, 0xff, 4);
        break;
    case MFS_MAC:
        if (!mac_parse(s, &value->mac, &m.mac)) {
            return xasprintf("%s: invalid Ethernet address", s);
        }
        break;
    case MFS_IPV4:
        if (!ipv4_parse(s, &value->be32, &m.be32)) {
            return xasprintf("%s: invalid IP address", s);
        }
        break;
    case MFS_IPV6:
        if (!ipv6_parse(s, &value->ipv6, &m.ipv6)) {
            return xasprintf("%s: invalid IPv6 address", s);
        }
        break;
    case MFS_FRAG:
        for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
            if (!strcmp(s, frag_names[i].name)) {
                value->u8 = frag_names[i].value;
                m.u8 = frag_names[i].mask;
                break;
            }
        }
        if (!m.u8 && (error = parse_int(mf, s, value, &m))) {
            free(error);
            return xasprintf("%s: unknown fragment type", s);
        }
        break;
    case MFS_TCP_FLAGS:
        error = tcp_flags_parse(s, &flags, &fmask);
        if (error) {
            return error;
        }
        value->be16 = htons(flags);
        m.be16 = htons(fmask);
        break;
    case MFS_DEC:
    case MFS_HEX:
        error = parse_int(mf, s, value, &m);
        if (error) {
            return error;
        }
        break;
    }
    for (size_t i = 0; i < sizeof m.bytes; i++) {
        value->bytes[i] &= m.bytes[i];
    }
    if (!mf_is_mask_exact(mf, &m)) {
        if (!mask || (!mf->maskable && !mf_is_mask_zero(mf, &m))) {
            return xasprintf("%s: field %s does not take a mask", s, mf->name);
        }
    }
    if (!mf_is_value_valid(mf, value)) {
        return xasprintf("%s: value out of range for %s", s, mf->name);
    }
    if (mask) {
        *mask = m;
    }
    return NULL;
}

void
mf_format_value(const struct mf_field *mf, const union mf_value *value,
                const union mf_value *mask, const struct ofp_port_names *names,
                struct ds *s)
{
    union mf_value exact;
    if (!mask) {
        mf_get_exact_mask(mf, &exact);
        mask = &exact;
    }
    bool is_exact = mf_is_mask_exact(mf, mask);

    switch (mf_string_kind(mf)) {
    case MFS_PORT:
        port_format(ntohl(value->be32), names, s);
        break;
    case MFS_MAC:
        mac_format(&value->mac, &mask->mac, s);
        break;
    case MFS_IPV4:
        ipv4_format(value->be32, mask->be32, s);
        break;
    case MFS_IPV6:
        ipv6_format(&value->ipv6, &mask->ipv6, s);
        break;
    case MFS_FRAG: {
        const char *name = frag_format(value->u8, mask->u8);
        if (name) {
            ds_put_cstr(s, name);
        } else {
            ds_put_format(s, "0x%x/0x%x", value->u8, mask->u8);
        }
        break;
    }
    case MFS_TCP_FLAGS:
        tcp_flags_format(ntohs(value->be16), ntohs(mask->be16), s);
        break;
    case MFS_DEC:
    case MFS_HEX:
        if (is_exact) {
            ds_put_format(
                s, mf_string_kind(mf) == MFS_DEC ? "%" PRIu64 : "0x%" PRIx64,
                value_to_u64(mf, value));
        } else {
            ds_put_format(s, "0x%" PRIx64 "/0x%" PRIx64,
                          value_to_u64(mf, value), value_to_u64(mf, mask));
        }
        break;
    }
}

/* Matches: parsing. */

struct shorthand {
    const char *name;
    uint16_t dl_type;
    uint8_t nw_proto; /* 0: none. */
};

static const struct shorthand shorthands[] = {
    {"ip", ETH_TYPE_IP, 0},
    {"ipv6", ETH_TYPE_IPV6, 0},
    {"icmp", ETH_TYPE_IP, IPPROTO_ICMP},
    {"icmp6", ETH_TYPE_IPV6, IPPROTO_ICMPV6},
    {"tcp", ETH_TYPE_IP, IPPROTO_TCP},
    {"tcp6", ETH_TYPE_IPV6, IPPROTO_TCP},
    {"udp", ETH_TYPE_IP, IPPROTO_UDP},
    {"udp6", ETH_TYPE_IPV6, IPPROTO_UDP},
    {"sctp", ETH_TYPE_IP, IPPROTO_SCTP},
    {"sctp6", ETH_TYPE_IPV6, IPPROTO_SCTP},
    {"arp", ETH_TYPE_ARP, 0},
    {"rarp", ETH_TYPE_RARP, 0},
    {"mpls", ETH_TYPE_MPLS, 0},
    {"mplsm", ETH_TYPE_MPLS_MCAST, 0},
};

/* The keys that are not one OXM field. */
static char *
parse_special(const char *key, const char *value, struct match *match,
              bool *handled)
{
    struct flow *f = &match->flow;
    struct flow *mk = &match->wc.masks;
    uint16_t x, m;

    *handled = true;
    if (!strcmp(key, "dl_vlan")) {
        if (!str_to_u16(value, &x)) {
            return xasprintf("%s: bad value for dl_vlan", value);
        }
        if (x == 0xffff) {
            f->vlans[0].tci = 0;
            mk->vlans[0].tci = htons(0xffff);
        } else {
            f->vlans[0].tci &= ~htons(VLAN_VID_MASK);
            f->vlans[0].tci |= htons((x & VLAN_VID_MASK) | VLAN_CFI);
            mk->vlans[0].tci |= htons(VLAN_VID_MASK | VLAN_CFI);
        }
    } else if (!strcmp(key, "dl_vlan_pcp")) {
        uint8_t pcp;
        if (!str_to_u8(value, &pcp) || pcp > 7) {
            return xasprintf("%s: bad value for dl_vlan_pcp", value);
        }
        f->vlans[0].tci &= ~htons(VLAN_PCP_MASK);
        f->vlans[0].tci |= htons((pcp << VLAN_PCP_SHIFT) | VLAN_CFI);
        mk->vlans[0].tci |= htons(VLAN_PCP_MASK | VLAN_CFI);
    } else if (!strcmp(key, "vlan_tci")) {
        const char *slash = strchr(value, '/');
        char *v = xstrdup(value);
        bool ok;
        if (slash) {
            v[slash - value] = '\0';
        }
        ok = str_to_u16(v, &x) && (!slash || str_to_u16(slash + 1, &m));
        free(v);
        if (!ok) {
            return xasprintf("%s: bad value for vlan_tci", value);
        }
        m = slash ? m : 0xffff;
        f->vlans[0].tci = htons(x & m);
        mk->vlans[0].tci = htons(m);
    } else if (!strcmp(key, "nw_tos")) {
        uint8_t tos;
        if (!str_to_u8(value, &tos)) {
            return xasprintf("%s: bad value for nw_tos", value);
        }
        f->nw_tos = (f->nw_tos & ~IP_DSCP_MASK) | (tos & IP_DSCP_MASK);
        mk->nw_tos |= IP_DSCP_MASK;
    } else {
        *handled = false;
    }
    return NULL;
}

static char *
parse_item(const char *key, const char *value,
           const struct ofp_port_names *names, struct match *match,
           ofp_match_other_cb *other, void *aux)
{
    for (size_t i = 0; !value && i < ARRAY_SIZE(shorthands); i++) {
        if (!strcmp(key, shorthands[i].name)) {
            match->flow.dl_type = htons(shorthands[i].dl_type);
            match->wc.masks.dl_type = htons(0xffff);
            if (shorthands[i].nw_proto) {
                match->flow.nw_proto = shorthands[i].nw_proto;
                match->wc.masks.nw_proto = 0xff;
            }
            return NULL;
        }
    }

    const struct mf_field *mf = mf_from_name(key);
    bool handled;
    char *error;

    if (value) {
        error = parse_special(key, value, match, &handled);
        if (error || handled) {
            return error;
        }
    }
    if (!mf || !value) {
        if (other) {
            return other(key, value ? value : "", aux);
        }
        return xasprintf("unknown keyword %s", key);
    }

    union mf_value v, m;
    error = mf_parse_value(mf, value, names, &v, &m);
    if (error) {
        return error;
    }
    if (mf_set_match(mf, &v, &m, match)) {
        return xasprintf("%s=%s: value or mask not allowed", key, value);
    }
    return NULL;
}

/* Splits the next item off '*sp': 'key' and 'value' (NULL if none) are
 * pieces of the caller's copy.  Returns false at the end. */
static bool
next_item(char **sp, char **key, char **value)
{
    char *s = *sp + strspn(*sp, ", \t\r\n");
    if (!*s) {
        return false;
    }
    *key = s;
    s += strcspn(s, "=:, \t\r\n");
    *value = NULL;
    if (*s == '=' || *s == ':') {
        *s++ = '\0';
        if (!strcmp(*key, "actions")) {
            /* Actions run to the end of the string. */
            *value = s;
            *sp = s + strlen(s);
            return true;
        }
        *value = s;
        if (*s == '"') {
            /* Quoted (port names): drop the quotes, honour backslashes. */
            char *out = s;
            *value = s;
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1]) {
                    s++;
                }
                *out++ = *s;
            }
            if (*s == '"') {
                s++;
            }
            if (out < s) {
                *out = '\0';
            }
        } else {
            s += strcspn(s, ", \t\r\n");
        }
    }
    if (*s) {
        *s++ = '\0';
    }
    *sp = s;
    return true;
}

char *
match_parse(const char *s_, const struct ofp_port_names *names,
            struct match *match, ofp_match_other_cb *other, void *aux)
{
    char *copy = xstrdup(s_);
    char *s = copy;
    char *key, *value;
    char *error = NULL;

    match_init_catchall(match);
    while (!error && next_item(&s, &key, &value)) {
        error = parse_item(key, value, names, match, other, aux);
    }
    free(copy);
    if (!error) {
        match_clear_unmet_prereqs(match);
    }
    return error;
}

/* Matches: formatting, in ovs-ofctl's order. */

static void
put_hex_masked(struct ds *s, const char *name, uint64_t v, uint64_t m,
               uint64_t all)
{
    if (!m) {
        return;
    }
    ds_put_format(s, "%s=", name);
    ds_put_format(s, v ? "0x%" PRIx64 : "%" PRIu64, v);
    if (m != all) {
        ds_put_format(s, "/0x%" PRIx64, m);
    }
    ds_put_char(s, ',');
}

static void
put_be16_masked(struct ds *s, const char *name, tern_be16 v, tern_be16 m)
{
    if (!m) {
        return;
    } else if (m == 0xffff) {
        ds_put_format(s, "%s=%u,", name, ntohs(v));
    } else {
        ds_put_format(s, "%s=0x%x/0x%x,", name, ntohs(v), ntohs(m));
    }
}

static void
put_mac_masked(struct ds *s, const char *name, const struct eth_addr *v,
               const struct eth_addr *m)
{
    if (!eth_addr_is_zero(*m)) {
        ds_put_format(s, "%s=", name);
        mac_format(v, m, s);
        ds_put_char(s, ',');
    }
}

static void
put_ipv4_masked(struct ds *s, const char *name, tern_be32 v, tern_be32 m)
{
    if (m) {
        ds_put_format(s, "%s=", name);
        ipv4_format(v, m, s);
        ds_put_char(s, ',');
    }
}

static void
put_ipv6_masked(struct ds *s, const char *name, const struct in6_addr *v,
                const struct in6_addr *m)
{
    if (prefix_len(m->s6_addr, 16) != 0) {
        ds_put_format(s, "%s=", name);
        ipv6_format(v, m, s);
        ds_put_char(s, ',');
    }
}

/* The shorthand for 'match': sets '*skip_type' and '*skip_proto' when it
 * stands for dl_type and nw_proto. */
static void
put_shorthand(const struct match *match, struct ds *s, bool *skip_type,
              bool *skip_proto)
{
    const struct flow *f = &match->flow;
    uint16_t type = ntohs(f->dl_type);
    bool proto = match->wc.masks.nw_proto != 0;

    *skip_type = *skip_proto = false;
    if (!match->wc.masks.dl_type) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
        const struct shorthand *sh = &shorthands[i];
        if (sh->dl_type == type &&
            (sh->nw_proto ? proto && sh->nw_proto == f->nw_proto : true)) {
            if (!sh->nw_proto && proto &&
                (type == ETH_TYPE_IP || type == ETH_TYPE_IPV6)) {
                /* "ip"/"ipv6" only if no protocol shorthand fits. */
                bool better = false;
                for (size_t j = i + 1; j < ARRAY_SIZE(shorthands); j++) {
                    better |= (shorthands[j].dl_type == type &&
                               shorthands[j].nw_proto == f->nw_proto);
                }
                if (better) {
                    continue;
                }
            }
            ds_put_format(s, "%s,", sh->name);
            *skip_type = true;
            *skip_proto = sh->nw_proto != 0;
            return;
        }
    }
}

static void
put_vlan(const struct match *match, struct ds *s)
{
    uint16_t tci = ntohs(match->flow.vlans[0].tci);
    uint16_t mask = ntohs(match->wc.masks.vlans[0].tci);
    uint16_t vid_mask = mask & VLAN_VID_MASK;
    uint16_t pcp_mask = mask & VLAN_PCP_MASK;

    if (!mask) {
        return;
    }
    if ((mask & VLAN_CFI) && (tci & VLAN_CFI) &&
        (!vid_mask || vid_mask == VLAN_VID_MASK) &&
        (!pcp_mask || pcp_mask == VLAN_PCP_MASK) && (vid_mask || pcp_mask)) {
        if (vid_mask) {
            ds_put_format(s, "dl_vlan=%u,", tci & VLAN_VID_MASK);
        }
        if (pcp_mask) {
            ds_put_format(s, "dl_vlan_pcp=%u,", tci >> VLAN_PCP_SHIFT);
        }
    } else if (mask == 0xffff) {
        ds_put_format(s, "vlan_tci=0x%04x,", tci);
    } else {
        ds_put_format(s, "vlan_tci=0x%04x/0x%04x,", tci, mask);
    }
}

static void
put_l3(const struct match *match, uint16_t type, bool skip_proto, struct ds *s)
{
    const struct flow *f = &match->flow;
    const struct flow *mk = &match->wc.masks;
    bool arp = type == ETH_TYPE_ARP || type == ETH_TYPE_RARP;

    if (type == ETH_TYPE_IPV6) {
        put_ipv6_masked(s, "ipv6_src", &f->ipv6_src, &mk->ipv6_src);
        put_ipv6_masked(s, "ipv6_dst", &f->ipv6_dst, &mk->ipv6_dst);
        if (mk->ipv6_label) {
            ds_put_format(s, "ipv6_label=0x%05x", ntohl(f->ipv6_label));
            if (mk->ipv6_label != htonl(IPV6_LABEL_MASK) &&
                mk->ipv6_label != UINT32_MAX) {
                ds_put_format(s, "/0x%05x", ntohl(mk->ipv6_label));
            }
            ds_put_char(s, ',');
        }
    } else {
        put_ipv4_masked(s, arp ? "arp_spa" : "nw_src", f->nw_src, mk->nw_src);
        put_ipv4_masked(s, arp ? "arp_tpa" : "nw_dst", f->nw_dst, mk->nw_dst);
    }
    if (!skip_proto && mk->nw_proto) {
        ds_put_format(s, "%s=%u,", arp ? "arp_op" : "nw_proto", f->nw_proto);
    }
    if (arp) {
        put_mac_masked(s, "arp_sha", &f->arp_sha, &mk->arp_sha);
        put_mac_masked(s, "arp_tha", &f->arp_tha, &mk->arp_tha);
    }
    if (mk->nw_tos & IP_DSCP_MASK) {
        ds_put_format(s, "nw_tos=%u,", f->nw_tos & IP_DSCP_MASK);
    }
    if (mk->nw_tos & IP_ECN_MASK) {
        ds_put_format(s, "nw_ecn=%u,", f->nw_tos & IP_ECN_MASK);
    }
    if (mk->nw_ttl) {
        ds_put_format(s, "nw_ttl=%u,", f->nw_ttl);
    }
}

static void
put_mpls_frag(const struct match *match, struct ds *s)
{
    uint32_t lse = ntohl(match->flow.mpls_lse[0]);
    uint32_t m = ntohl(match->wc.masks.mpls_lse[0]);

    if (m & MPLS_LABEL_MASK) {
        ds_put_format(s, "mpls_label=%u,", lse >> MPLS_LABEL_SHIFT);
    }
    if (m & MPLS_TC_MASK) {
        ds_put_format(s, "mpls_tc=%u,", (lse & MPLS_TC_MASK) >> MPLS_TC_SHIFT);
    }
    if (m & MPLS_TTL_MASK) {
        ds_put_format(s, "mpls_ttl=%u,", lse & MPLS_TTL_MASK);
    }
    if (m & MPLS_BOS_MASK) {
        ds_put_format(s, "mpls_bos=%u,",
                      (lse & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT);
    }
    const char *frag =
        frag_format(match->flow.nw_frag, match->wc.masks.nw_frag);
    if (frag) {
        ds_put_format(s, "nw_frag=%s,", frag);
    }
}

/* The PBB I-TAG fields: the I-SID in decimal when exact, as hex/hex when
 * masked; the UCA bit. */
static void
put_pbb(const struct match *match, struct ds *s)
{
    uint32_t isid = ntohl(match->flow.pbb_isid) & PBB_ISID_MASK;
    uint32_t m = ntohl(match->wc.masks.pbb_isid) & PBB_ISID_MASK;

    if (m == PBB_ISID_MASK) {
        ds_put_format(s, "pbb_isid=%" PRIu32 ",", isid);
    } else if (m) {
        ds_put_format(s, "pbb_isid=0x%" PRIx32 "/0x%" PRIx32 ",", isid, m);
    }
    if (match->wc.masks.pbb_uca & 1) {
        ds_put_format(s, "pbb_uca=%u,", match->flow.pbb_uca & 1);
    }
}

static void
put_l4(const struct match *match, uint16_t type, struct ds *s)
{
    const struct flow *f = &match->flow;
    const struct flow *mk = &match->wc.masks;

    if ((type == ETH_TYPE_IP && f->nw_proto == IPPROTO_ICMP) ||
        (type == ETH_TYPE_IPV6 && f->nw_proto == IPPROTO_ICMPV6)) {
        put_be16_masked(s, "icmp_type", f->tp_src,
                        mk->tp_src == htons(0xff) ? 0xffff : mk->tp_src);
        put_be16_masked(s, "icmp_code", f->tp_dst,
                        mk->tp_dst == htons(0xff) ? 0xffff : mk->tp_dst);
        if (type == ETH_TYPE_IPV6) {
            put_ipv6_masked(s, "nd_target", &f->nd_target, &mk->nd_target);
            put_mac_masked(s, "nd_sll", &f->arp_sha, &mk->arp_sha);
            put_mac_masked(s, "nd_tll", &f->arp_tha, &mk->arp_tha);
        }
    } else {
        put_be16_masked(s, "tp_src", f->tp_src, mk->tp_src);
        put_be16_masked(s, "tp_dst", f->tp_dst, mk->tp_dst);
    }
    if ((type == ETH_TYPE_IP || type == ETH_TYPE_IPV6) &&
        f->nw_proto == IPPROTO_TCP && (mk->tcp_flags & htons(0x0fff))) {
        ds_put_cstr(s, "tcp_flags=");
        tcp_flags_format(ntohs(f->tcp_flags), ntohs(mk->tcp_flags), s);
        ds_put_char(s, ',');
    }
}

void
match_format(const struct match *match, const struct ofp_port_names *names,
             int priority, struct ds *s)
{
    const struct flow *f = &match->flow;
    const struct flow *mk = &match->wc.masks;
    size_t start = s->length;
    bool skip_type, skip_proto;
    uint16_t type = mk->dl_type ? ntohs(f->dl_type) : 0;

    if (priority >= 0 && priority != OFP_DEFAULT_PRIORITY) {
        ds_put_format(s, "priority=%d,", priority);
    }
    put_hex_masked(s, "pkt_mark", f->pkt_mark, mk->pkt_mark, UINT32_MAX);
    put_shorthand(match, s, &skip_type, &skip_proto);
    for (int i = 0; i < 8; i++) {
        char name[8];
        snprintf(name, sizeof name, "reg%d", i);
        put_hex_masked(s, name, f->regs[i], mk->regs[i], UINT32_MAX);
    }
    put_hex_masked(s, "tun_id", tern_ntohll(flow_get_tun_id(f)),
                   tern_ntohll(flow_get_tun_id(mk)), UINT64_MAX);
    put_hex_masked(s, "metadata", tern_ntohll(flow_get_metadata(f)),
                   tern_ntohll(flow_get_metadata(mk)), UINT64_MAX);
    if (mk->in_port) {
        ds_put_cstr(s, "in_port=");
        port_format(f->in_port, names, s);
        ds_put_char(s, ',');
    }
    put_vlan(match, s);
    put_mac_masked(s, "dl_src", &f->dl_src, &mk->dl_src);
    put_mac_masked(s, "dl_dst", &f->dl_dst, &mk->dl_dst);
    if (!skip_type && mk->dl_type) {
        ds_put_format(s, "dl_type=0x%04x,", ntohs(f->dl_type));
    }
    put_l3(match, type, skip_proto, s);
    put_mpls_frag(match, s);
    put_pbb(match, s);
    put_l4(match, type, s);
    if (s->length > start) {
        ds_chomp(s, ',');
    }
}
