/* SPDX-License-Identifier: Apache-2.0 */
/*
 * odp-key: flow keys in ovs-dpctl syntax, and the body of set(...) actions,
 * which uses the same attributes.
 *
 * One table ('groups') describes every key attribute: its name and its
 * fields, each with the struct flow member it maps to, the bits of that
 * member it covers (VLAN VID/PCP and MPLS label/TC/TTL/BOS are bit fields),
 * its value syntax and whether a set action may rewrite it.  The parser and
 * the formatter are both walks over this table; only VLAN nesting
 * ("eth_type(0x8100),vlan(...),encap(...)") is handled outside it.
 *
 * Formatting picks the L3 attribute from the key's dl_type and the L4 one
 * from its nw_proto, as ovs-dpctl does; fields with a non-zero mask that
 * those attributes do not cover (possible only with unusual masks) are then
 * printed in the first other attribute that has them, so that every mask
 * survives a format/parse round trip.  For set actions the value's dl_type
 * and nw_proto under a zero mask play that role: the parser leaves there
 * the Ethertype and IP protocol of the header named in the text.
 */
#include <config.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lib/odp-util-private.h"

enum odp_kind {
    OK_UINT,  /* Integer (bit field of a 1, 2 or 4-byte member). */
    OK_MAC,   /* struct eth_addr. */
    OK_IPV4,  /* tern_be32 address. */
    OK_IPV6,  /* struct in6_addr. */
    OK_FRAG,  /* nw_frag: no, first, later. */
    OK_FLAGS, /* tcp_flags: names or numbers. */
};

enum odp_store {
    OS_U8,   /* uint8_t. */
    OS_BE16, /* tern_be16. */
    OS_BE32, /* tern_be32. */
    OS_H32,  /* uint32_t in host byte order (metadata). */
};

enum odp_style {
    OY_DEC,  /* 64 */
    OY_HEX,  /* 0x40 (0 prints as 0) */
    OY_HEX4, /* 0x0800 */
};

#define OF_NOMASK   0x01 /* A "/mask" is not accepted. */
#define OF_SETTABLE 0x02 /* May appear in set(...). */
#define OF_MPLS1    0x04 /* Shown when only the first MPLS entry is masked. */
#define OF_MPLSN    0x08 /* Shown when deeper MPLS entries are masked. */
#define OF_CFI      0x10 /* The VLAN CFI bit ("tag present"). */

struct odp_field {
    const char *name; /* NULL: the only value of a one-value attribute. */
    uint8_t kind;     /* enum odp_kind. */
    uint8_t store;    /* enum odp_store, for integer kinds. */
    uint8_t style;    /* enum odp_style, for OK_UINT. */
    uint8_t flags;    /* OF_*. */
    uint16_t offset;  /* In struct flow. */
    uint32_t bits;    /* Integer kinds: bits of the member, host order. */
    uint32_t vmax;    /* Largest value in text; 0: all of 'bits'. */
};

struct odp_group {
    const char *name;
    const struct odp_field *fields;
    size_t n_fields;
    bool single;           /* "name(value)" rather than "name(f=v,...)". */
    uint16_t hint_dl_type; /* Ethertype of this header, for set(...). */
    uint8_t hint_proto;    /* IP protocol of this header, for set(...). */
};

#define OFS(MEMBER) ((uint16_t)offsetof(struct flow, MEMBER))
#define UINT(NAME, STORE, STYLE, FLAGS, MEMBER, BITS, VMAX)                   \
    {                                                                         \
        NAME, OK_UINT, STORE, STYLE, FLAGS, OFS(MEMBER), BITS, VMAX           \
    }
#define BYTES(NAME, KIND, FLAGS, MEMBER)                                      \
    {                                                                         \
        NAME, KIND, 0, 0, FLAGS, OFS(MEMBER), 0, 0                            \
    }

static const struct odp_field skb_mark_fields[] = {
    UINT(NULL, OS_H32, OY_HEX, OF_SETTABLE, pkt_mark, UINT32_MAX, 0),
};
static const struct odp_field recirc_id_fields[] = {
    UINT(NULL, OS_H32, OY_HEX, 0, recirc_id, UINT32_MAX, 0),
};
static const struct odp_field dp_hash_fields[] = {
    UINT(NULL, OS_H32, OY_HEX, 0, dp_hash, UINT32_MAX, 0),
};
static const struct odp_field in_port_fields[] = {
    UINT(NULL, OS_H32, OY_DEC, OF_NOMASK, in_port, UINT32_MAX, 0),
};
static const struct odp_field eth_fields[] = {
    BYTES("src", OK_MAC, OF_SETTABLE, dl_src),
    BYTES("dst", OK_MAC, OF_SETTABLE, dl_dst),
};
static const struct odp_field eth_type_fields[] = {
    UINT(NULL, OS_BE16, OY_HEX4, 0, dl_type, 0xffff, 0),
};
/* The Ethertype before a VLAN tag: its TPID.  Offset of level 0. */
static const struct odp_field tpid_fields[] = {
    UINT(NULL, OS_BE16, OY_HEX4, 0, vlans[0].tpid, 0xffff, 0),
};
static const struct odp_field vlan_fields[] = {
    UINT("vid", OS_BE16, OY_DEC, OF_SETTABLE, vlans[0].tci, VLAN_VID_MASK, 0),
    UINT("pcp", OS_BE16, OY_DEC, OF_SETTABLE, vlans[0].tci, VLAN_PCP_MASK, 0),
    UINT("cfi", OS_BE16, OY_DEC, OF_CFI, vlans[0].tci, VLAN_CFI, 0),
};
static const struct odp_field mpls_fields[] = {
    UINT("label", OS_BE32, OY_DEC, OF_MPLS1 | OF_SETTABLE, mpls_lse[0],
         MPLS_LABEL_MASK, 0),
    UINT("tc", OS_BE32, OY_DEC, OF_MPLS1 | OF_SETTABLE, mpls_lse[0],
         MPLS_TC_MASK, 0),
    UINT("ttl", OS_BE32, OY_DEC, OF_MPLS1 | OF_SETTABLE, mpls_lse[0],
         MPLS_TTL_MASK, 0),
    UINT("bos", OS_BE32, OY_DEC, OF_MPLS1 | OF_SETTABLE, mpls_lse[0],
         MPLS_BOS_MASK, 0),
    UINT("lse0", OS_BE32, OY_HEX, OF_MPLSN | OF_SETTABLE, mpls_lse[0],
         UINT32_MAX, 0),
    UINT("lse1", OS_BE32, OY_HEX, OF_MPLSN, mpls_lse[1], UINT32_MAX, 0),
    UINT("lse2", OS_BE32, OY_HEX, OF_MPLSN, mpls_lse[2], UINT32_MAX, 0),
    UINT("lse3", OS_BE32, OY_HEX, OF_MPLSN, mpls_lse[3], UINT32_MAX, 0),
};
/* The PBB I-TAG: I-SID (24 bits) and UCA bit. */
static const struct odp_field pbb_fields[] = {
    UINT("isid", OS_BE32, OY_DEC, OF_SETTABLE, pbb_isid, PBB_ISID_MASK, 0),
    UINT("uca", OS_U8, OY_DEC, OF_SETTABLE, pbb_uca, 1, 0),
};
static const struct odp_field ipv4_fields[] = {
    BYTES("src", OK_IPV4, OF_SETTABLE, nw_src),
    BYTES("dst", OK_IPV4, OF_SETTABLE, nw_dst),
    UINT("proto", OS_U8, OY_DEC, 0, nw_proto, 0xff, 0),
    UINT("tos", OS_U8, OY_HEX, OF_SETTABLE, nw_tos, 0xff, 0),
    UINT("ttl", OS_U8, OY_DEC, OF_SETTABLE, nw_ttl, 0xff, 0),
    {"frag", OK_FRAG, OS_U8, 0, 0, OFS(nw_frag), FLOW_NW_FRAG_MASK, 0},
};
static const struct odp_field ipv6_fields[] = {
    BYTES("src", OK_IPV6, OF_SETTABLE, ipv6_src),
    BYTES("dst", OK_IPV6, OF_SETTABLE, ipv6_dst),
    UINT("label", OS_BE32, OY_HEX, OF_SETTABLE, ipv6_label, IPV6_LABEL_MASK,
         0),
    UINT("proto", OS_U8, OY_DEC, 0, nw_proto, 0xff, 0),
    UINT("tclass", OS_U8, OY_HEX, OF_SETTABLE, nw_tos, 0xff, 0),
    UINT("hlimit", OS_U8, OY_DEC, OF_SETTABLE, nw_ttl, 0xff, 0),
    {"frag", OK_FRAG, OS_U8, 0, 0, OFS(nw_frag), FLOW_NW_FRAG_MASK, 0},
};
static const struct odp_field arp_fields[] = {
    BYTES("sip", OK_IPV4, OF_SETTABLE, nw_src),
    BYTES("tip", OK_IPV4, OF_SETTABLE, nw_dst),
    UINT("op", OS_U8, OY_DEC, OF_SETTABLE, nw_proto, 0xff, 0),
    BYTES("sha", OK_MAC, OF_SETTABLE, arp_sha),
    BYTES("tha", OK_MAC, OF_SETTABLE, arp_tha),
};
static const struct odp_field ports_fields[] = {
    UINT("src", OS_BE16, OY_DEC, OF_SETTABLE, tp_src, 0xffff, 0),
    UINT("dst", OS_BE16, OY_DEC, OF_SETTABLE, tp_dst, 0xffff, 0),
};
static const struct odp_field tcp_flags_fields[] = {
    {NULL, OK_FLAGS, OS_BE16, 0, 0, OFS(tcp_flags), TCP_FLAGS_MASK, 0},
};
/* ICMP type and code live in tp_src/tp_dst as 16-bit values. */
static const struct odp_field icmp_fields[] = {
    UINT("type", OS_BE16, OY_DEC, 0, tp_src, 0xffff, 0xff),
    UINT("code", OS_BE16, OY_DEC, 0, tp_dst, 0xffff, 0xff),
};
static const struct odp_field nd_fields[] = {
    BYTES("target", OK_IPV6, OF_SETTABLE, nd_target),
    BYTES("sll", OK_MAC, 0, arp_sha),
    BYTES("tll", OK_MAC, 0, arp_tha),
};

enum odp_group_id {
    G_SKB_MARK,
    G_RECIRC_ID,
    G_DP_HASH,
    G_IN_PORT,
    G_ETH,
    G_ETH_TYPE,
    G_TPID,
    G_VLAN,
    G_MPLS,
    G_PBB,
    G_IPV4,
    G_IPV6,
    G_ARP,
    G_TCP,
    G_TCP_FLAGS,
    G_UDP,
    G_SCTP,
    G_ICMP,
    G_ICMPV6,
    G_ND,
    G_N
};

#define GROUP(ID, NAME, FIELDS, SINGLE, DL_TYPE, PROTO)                       \
    [ID] = {NAME, FIELDS, ARRAY_SIZE(FIELDS), SINGLE, DL_TYPE, PROTO}

static const struct odp_group groups[G_N] = {
    GROUP(G_SKB_MARK, "skb_mark", skb_mark_fields, true, 0, 0),
    GROUP(G_RECIRC_ID, "recirc_id", recirc_id_fields, true, 0, 0),
    GROUP(G_DP_HASH, "dp_hash", dp_hash_fields, true, 0, 0),
    GROUP(G_IN_PORT, "in_port", in_port_fields, true, 0, 0),
    GROUP(G_ETH, "eth", eth_fields, false, 0, 0),
    GROUP(G_ETH_TYPE, "eth_type", eth_type_fields, true, 0, 0),
    GROUP(G_TPID, "eth_type", tpid_fields, true, 0, 0),
    GROUP(G_VLAN, "vlan", vlan_fields, false, 0, 0),
    GROUP(G_MPLS, "mpls", mpls_fields, false, ETH_TYPE_MPLS, 0),
    GROUP(G_PBB, "pbb", pbb_fields, false, ETH_TYPE_PBB, 0),
    GROUP(G_IPV4, "ipv4", ipv4_fields, false, ETH_TYPE_IP, 0),
    GROUP(G_IPV6, "ipv6", ipv6_fields, false, ETH_TYPE_IPV6, 0),
    GROUP(G_ARP, "arp", arp_fields, false, ETH_TYPE_ARP, 0),
    GROUP(G_TCP, "tcp", ports_fields, false, 0, IPPROTO_TCP),
    GROUP(G_TCP_FLAGS, "tcp_flags", tcp_flags_fields, true, 0, 0),
    GROUP(G_UDP, "udp", ports_fields, false, 0, IPPROTO_UDP),
    GROUP(G_SCTP, "sctp", ports_fields, false, 0, IPPROTO_SCTP),
    GROUP(G_ICMP, "icmp", icmp_fields, false, 0, IPPROTO_ICMP),
    GROUP(G_ICMPV6, "icmpv6", icmp_fields, false, ETH_TYPE_IPV6,
          IPPROTO_ICMPV6),
    GROUP(G_ND, "nd", nd_fields, false, ETH_TYPE_IPV6, IPPROTO_ICMPV6),
};

/* Offset from one VLAN level's fields to the next. */
#define VLAN_DELTA sizeof(struct flow_vlan)

/* TCP flag names, bit i of tcp_flags. */
static const char *const tcp_flag_names[] = {
    "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
};
#define TCP_NAMED_FLAGS 0x1ff

/* nw_frag values by name. */
static const struct {
    const char *name;
    uint8_t value;
} frag_names[] = {
    {"no", 0},
    {"first", FLOW_NW_FRAG_ANY},
    {"later", FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER},
};

/* Field access.  Integers are loaded from their member as a host-order
 * word; 'delta' shifts the member (VLAN levels). */

static size_t
field_size(const struct odp_field *f)
{
    switch ((enum odp_kind)f->kind) {
    case OK_MAC:
        return ETH_ADDR_LEN;
    case OK_IPV4:
        return 4;
    case OK_IPV6:
        return 16;
    case OK_UINT:
    case OK_FRAG:
    case OK_FLAGS:
    default:
        return (f->store == OS_U8 ? 1 : f->store == OS_BE16 ? 2 : 4);
    }
}

static bool
field_is_int(const struct odp_field *f)
{
    return f->kind == OK_UINT || f->kind == OK_FRAG || f->kind == OK_FLAGS;
}

static unsigned int
field_shift(const struct odp_field *f)
{
    return (unsigned int)__builtin_ctz(f->bits);
}

static uint32_t
field_max(const struct odp_field *f)
{
    return f->bits >> field_shift(f);
}

static uint32_t
load_word(const struct flow *flow, const struct odp_field *f, size_t delta)
{
    const uint8_t *p = (const uint8_t *)flow + f->offset + delta;
    switch ((enum odp_store)f->store) {
    case OS_U8:
        return *p;
    case OS_BE16: {
        uint16_t v;
        memcpy(&v, p, 2);
        return ntohs(v);
    }
    case OS_BE32: {
        uint32_t v;
        memcpy(&v, p, 4);
        return ntohl(v);
    }
    case OS_H32:
    default: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    }
}

static void
store_word(struct flow *flow, const struct odp_field *f, size_t delta,
           uint32_t w)
{
    uint8_t *p = (uint8_t *)flow + f->offset + delta;
    switch ((enum odp_store)f->store) {
    case OS_U8:
        *p = (uint8_t)w;
        break;
    case OS_BE16: {
        uint16_t v = htons((uint16_t)w);
        memcpy(p, &v, 2);
        break;
    }
    case OS_BE32: {
        uint32_t v = htonl(w);
        memcpy(p, &v, 4);
        break;
    }
    case OS_H32:
    default:
        memcpy(p, &w, 4);
        break;
    }
}

/* The field's value (integer kinds), shifted down. */
static uint32_t
get_int(const struct flow *flow, const struct odp_field *f, size_t delta)
{
    return (load_word(flow, f, delta) & f->bits) >> field_shift(f);
}

static void
set_int(struct flow *flow, const struct odp_field *f, size_t delta, uint32_t v)
{
    uint32_t w = load_word(flow, f, delta) & ~f->bits;
    store_word(flow, f, delta, w | ((v << field_shift(f)) & f->bits));
}

static const uint8_t *
field_bytes(const struct flow *flow, const struct odp_field *f, size_t delta)
{
    return (const uint8_t *)flow + f->offset + delta;
}

static bool
bytes_all(const uint8_t *p, size_t n, uint8_t b)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != b) {
            return false;
        }
    }
    return true;
}

/* True if any bit of field 'f' is set in 'flow'. */
static bool
field_nonzero(const struct flow *flow, const struct odp_field *f, size_t delta)
{
    if (field_is_int(f)) {
        return get_int(flow, f, delta) != 0;
    }
    return !bytes_all(field_bytes(flow, f, delta), field_size(f), 0);
}

static bool
field_exact(const struct flow *mask, const struct odp_field *f, size_t delta)
{
    if (field_is_int(f)) {
        return get_int(mask, f, delta) == field_max(f);
    }
    return bytes_all(field_bytes(mask, f, delta), field_size(f), 0xff);
}

/* Sets every bit of field 'f' in 'flow' (marks it seen or covered). */
static void
field_fill(struct flow *flow, const struct odp_field *f, size_t delta)
{
    if (field_is_int(f)) {
        set_int(flow, f, delta, field_max(f));
    } else {
        memset((uint8_t *)flow + f->offset + delta, 0xff, field_size(f));
    }
}

static const struct odp_field *
group_find_field(const struct odp_group *g, const char *name)
{
    for (size_t i = 0; i < g->n_fields; i++) {
        if (g->fields[i].name && !strcmp(g->fields[i].name, name)) {
            return &g->fields[i];
        }
    }
    return NULL;
}

/* Parsing. */

struct odp_kparse {
    struct odp_lexer *lx;
    enum odp_ctx ctx;
    struct flow *key;
    struct flow *mask;
    struct flow seen; /* Fields already given: duplicates are errors. */
};

/* Parses the text of a tcp_flags value into 'v' and 'm'; sets '*masked' if
 * the text carried its own mask ("+syn-ack"). */
static bool
parse_tcp_flags(const char *s, uint32_t *v, uint32_t *m, bool *masked)
{
    uint64_t n;
    *v = 0;
    *m = TCP_FLAGS_MASK;
    *masked = false;
    if (odp_parse_uint__(s, TCP_FLAGS_MASK, &n)) {
        *v = (uint32_t)n;
        return true;
    }

    bool plusminus = *s == '+' || *s == '-';
    if (plusminus) {
        *masked = true;
        *m = 0;
    }
    while (*s) {
        char sign = 0;
        if (plusminus) {
            sign = *s++;
            if (sign != '+' && sign != '-') {
                return false;
            }
        }
        size_t len = strcspn(s, plusminus ? "+-" : "|");
        size_t i;
        for (i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (strlen(tcp_flag_names[i]) == len &&
                !strncmp(s, tcp_flag_names[i], len)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(tcp_flag_names)) {
            return false;
        }
        uint32_t bit = 1u << i;
        if (plusminus) {
            if (*m & bit) {
                return false;
            }
            *m |= bit;
            *v |= sign == '+' ? bit : 0;
        } else {
            *v |= bit;
        }
        s += len;
        if (!plusminus && *s == '|') {
            s++;
            if (!*s) {
                return false;
            }
        }
    }
    return true;
}

static bool
parse_frag(const char *s, uint32_t *v)
{
    for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
        if (!strcmp(s, frag_names[i].name)) {
            *v = frag_names[i].value;
            return true;
        }
    }
    uint64_t n;
    if (odp_parse_uint__(s, FLOW_NW_FRAG_MASK, &n)) {
        *v = (uint32_t)n;
        return true;
    }
    return false;
}

/* Converts value text 'vs' and mask text 'ms' (NULL: exact) of field 'f'
 * into the key and mask.  Returns false if either is malformed. */
static bool
convert_field(const struct odp_field *f, size_t delta, const char *vs,
              const char *ms, struct flow *key, struct flow *mask)
{
    uint8_t *kp = (uint8_t *)key + f->offset + delta;
    uint8_t *mp = (uint8_t *)mask + f->offset + delta;
    uint32_t v, m;
    uint64_t n;

    switch ((enum odp_kind)f->kind) {
    case OK_UINT:
        if (!odp_parse_uint__(vs, f->vmax ? f->vmax : field_max(f), &n)) {
            return false;
        }
        v = (uint32_t)n;
        m = field_max(f);
        if (ms) {
            if (!odp_parse_uint__(ms, field_max(f), &n)) {
                return false;
            }
            m = (uint32_t)n;
        }
        break;
    case OK_FRAG:
        if (!parse_frag(vs, &v)) {
            return false;
        }
        m = FLOW_NW_FRAG_MASK;
        if (ms) {
            if (!odp_parse_uint__(ms, FLOW_NW_FRAG_MASK, &n)) {
                return false;
            }
            m = (uint32_t)n;
        }
        break;
    case OK_FLAGS: {
        bool masked;
        if (!parse_tcp_flags(vs, &v, &m, &masked) || (masked && ms)) {
            return false;
        }
        if (ms) {
            if (!odp_parse_uint__(ms, TCP_FLAGS_MASK, &n)) {
                return false;
            }
            m = (uint32_t)n;
        }
        break;
    }
    case OK_MAC: {
        struct eth_addr a, am;
        memset(&am, 0xff, sizeof am);
        if (!odp_parse_mac__(vs, &a) || (ms && !odp_parse_mac__(ms, &am))) {
            return false;
        }
        memcpy(kp, &a, sizeof a);
        memcpy(mp, &am, sizeof am);
        return true;
    }
    case OK_IPV4: {
        tern_be32 a, am = UINT32_MAX;
        if (!odp_parse_ipv4__(vs, &a) ||
            (ms && !odp_parse_ipv4_mask__(ms, &am))) {
            return false;
        }
        memcpy(kp, &a, sizeof a);
        memcpy(mp, &am, sizeof am);
        return true;
    }
    case OK_IPV6: {
        struct in6_addr a, am;
        memset(&am, 0xff, sizeof am);
        if (!odp_parse_ipv6__(vs, &a) ||
            (ms && !odp_parse_ipv6_mask__(ms, &am))) {
            return false;
        }
        memcpy(kp, &a, sizeof a);
        memcpy(mp, &am, sizeof am);
        return true;
    }
    default:
        return false;
    }

    set_int(key, f, delta, v);
    set_int(mask, f, delta, m);
    return true;
}

/* Parses "value[/mask]" for field 'f' of group 'g'. */
static bool
parse_field(struct odp_kparse *kp, const struct odp_group *g,
            const struct odp_field *f, size_t delta)
{
    struct odp_lexer *lx = kp->lx;
    char what[32];
    snprintf(what, sizeof what, "%s%s%s", g->name, f->name ? "." : "",
             f->name ? f->name : "");

    const char *start = (odp_lex_peek__(lx), lx->p);
    char vs[ODP_TOKEN_MAX], ms[ODP_TOKEN_MAX];
    bool has_mask = false;
    if (!odp_lex_value__(lx, what, vs, sizeof vs)) {
        return false;
    }
    if (odp_lex_accept__(lx, '/')) {
        if (f->flags & OF_NOMASK) {
            return odp_lex_error__(lx, "%s does not take a mask", what);
        }
        if (kp->ctx == ODP_CTX_PACKET) {
            return odp_lex_error__(lx, "masks are not allowed here (%s)",
                                   what);
        }
        if (!odp_lex_value__(lx, what, ms, sizeof ms)) {
            return false;
        }
        has_mask = true;
    }
    if (kp->ctx == ODP_CTX_SET && !(f->flags & OF_SETTABLE)) {
        lx->p = start;
        return odp_lex_error__(lx, "%s cannot be set", what);
    }
    if (field_nonzero(&kp->seen, f, delta)) {
        lx->p = start;
        return odp_lex_error__(lx, "duplicate field %s", what);
    }
    if (!convert_field(f, delta, vs, has_mask ? ms : NULL, kp->key,
                       kp->mask)) {
        lx->p = start;
        return odp_lex_error__(lx, "bad value for %s", what);
    }
    field_fill(&kp->seen, f, delta);
    return true;
}

/* Parses "(...)" after the name of group 'g'. */
static bool
parse_group(struct odp_kparse *kp, const struct odp_group *g, size_t delta)
{
    struct odp_lexer *lx = kp->lx;
    if (!odp_lex_expect__(lx, '(')) {
        return false;
    }
    if (g->single) {
        return parse_field(kp, g, &g->fields[0], delta) &&
               odp_lex_expect__(lx, ')');
    }
    if (odp_lex_accept__(lx, ')')) {
        if (kp->ctx == ODP_CTX_SET) {
            return odp_lex_error__(lx, "set of %s() sets nothing", g->name);
        }
        return true;
    }
    do {
        char name[32];
        if (!odp_lex_name__(lx, name, sizeof name)) {
            return false;
        }
        const struct odp_field *f = group_find_field(g, name);
        if (!f) {
            lx->p -= strlen(name);
            return odp_lex_error__(lx, "unknown field '%s' in %s()", name,
                                   g->name);
        }
        if (!odp_lex_expect__(lx, '=') || !parse_field(kp, g, f, delta)) {
            return false;
        }
    } while (odp_lex_accept__(lx, ','));
    return odp_lex_expect__(lx, ')');
}

/* After a set(...) attribute: records the header it named (see the file
 * comment). */
static void
set_hints(struct odp_kparse *kp, const struct odp_group *g)
{
    if (g->hint_dl_type && !kp->key->dl_type && !kp->mask->dl_type) {
        kp->key->dl_type = htons(g->hint_dl_type);
    }
    if (g->hint_proto && !kp->key->nw_proto && !kp->mask->nw_proto) {
        kp->key->nw_proto = g->hint_proto;
    }
}

/* A group that may appear anywhere by name (not eth_type, vlan, encap). */
static const struct odp_group *
find_plain_group(const char *name)
{
    for (size_t i = 0; i < G_N; i++) {
        if (i != G_ETH_TYPE && i != G_TPID && i != G_VLAN &&
            !strcmp(groups[i].name, name)) {
            return &groups[i];
        }
    }
    return NULL;
}

static bool parse_level(struct odp_kparse *kp, int level);

/* Parses "eth_type(...)" at VLAN nesting 'level' into 'et_key'/'et_mask'
 * (scratch flows: only dl_type is used). */
static bool
parse_eth_type(struct odp_kparse *kp, struct flow *et_key,
               struct flow *et_mask)
{
    struct odp_kparse sub = {
        .lx = kp->lx, .ctx = kp->ctx, .key = et_key, .mask = et_mask};
    memset(&sub.seen, 0, sizeof sub.seen);
    return parse_group(&sub, &groups[G_ETH_TYPE], 0);
}

static bool
parse_vlan(struct odp_kparse *kp, int level)
{
    size_t delta = (size_t)level * VLAN_DELTA;
    const struct odp_field *cfi = &vlan_fields[2];
    if (!parse_group(kp, &groups[G_VLAN], delta)) {
        return false;
    }
    if (kp->ctx != ODP_CTX_SET && !field_nonzero(&kp->seen, cfi, delta)) {
        /* A tag is present unless "cfi=0" says otherwise. */
        set_int(kp->key, cfi, delta, 1);
        set_int(kp->mask, cfi, delta, 1);
        field_fill(&kp->seen, cfi, delta);
    }
    return true;
}

/* Stores the Ethertype parsed at 'level': the TPID of that level's tag if
 * it has one, else dl_type. */
static void
store_eth_type(struct odp_kparse *kp, int level, bool tagged,
               const struct flow *et_key, const struct flow *et_mask)
{
    if (tagged) {
        kp->key->vlans[level].tpid = et_key->dl_type;
        kp->mask->vlans[level].tpid = et_mask->dl_type;
    } else {
        kp->key->dl_type = et_key->dl_type;
        kp->mask->dl_type = et_mask->dl_type;
    }
}

/* Parses one attribute of a list at VLAN nesting 'level'. */
static bool
parse_attr(struct odp_kparse *kp, int level, bool *et_seen, bool *vlan_seen,
           bool *encap_seen, struct flow *et_key, struct flow *et_mask)
{
    struct odp_lexer *lx = kp->lx;
    const char *start = (odp_lex_peek__(lx), lx->p);
    char name[32];
    if (!odp_lex_name__(lx, name, sizeof name)) {
        return false;
    }

    bool set = kp->ctx == ODP_CTX_SET;
    if (!strcmp(name, "eth_type") || !strcmp(name, "encap")) {
        if (set) {
            lx->p = start;
            return odp_lex_error__(lx, "%s cannot be set", name);
        }
        bool encap = !strcmp(name, "encap");
        bool *seen = encap ? encap_seen : et_seen;
        if (*seen) {
            lx->p = start;
            return odp_lex_error__(lx, "duplicate %s", name);
        }
        *seen = true;
        if (!encap) {
            return parse_eth_type(kp, et_key, et_mask);
        }
        if (!*vlan_seen) {
            lx->p = start;
            return odp_lex_error__(lx, "encap() without a vlan() before it");
        }
        return (odp_lex_expect__(lx, '(') && parse_level(kp, level + 1) &&
                odp_lex_expect__(lx, ')'));
    }
    if (!strcmp(name, "vlan")) {
        if (*vlan_seen) {
            lx->p = start;
            return odp_lex_error__(lx, "duplicate vlan");
        }
        if (level >= FLOW_MAX_VLAN_HEADERS) {
            lx->p = start;
            return odp_lex_error__(lx, "more than %d VLAN headers",
                                   FLOW_MAX_VLAN_HEADERS);
        }
        *vlan_seen = true;
        return parse_vlan(kp, level);
    }

    const struct odp_group *g = find_plain_group(name);
    if (!g) {
        lx->p = start;
        return odp_lex_error__(lx, "unknown attribute '%s'", name);
    }
    if (!parse_group(kp, g, 0)) {
        return false;
    }
    if (set) {
        set_hints(kp, g);
    }
    return true;
}

/* Parses a list of attributes at VLAN nesting 'level' (0 outside any
 * encap()), up to a ')' or the end. */
static bool
parse_level(struct odp_kparse *kp, int level)
{
    struct odp_lexer *lx = kp->lx;
    struct flow et_key, et_mask;
    bool et_seen = false, vlan_seen = false, encap_seen = false;

    memset(&et_key, 0, sizeof et_key);
    memset(&et_mask, 0, sizeof et_mask);
    int c = odp_lex_peek__(lx);
    if (c == ')' || !c) {
        return true;
    }
    do {
        if (!parse_attr(kp, level, &et_seen, &vlan_seen, &encap_seen, &et_key,
                        &et_mask)) {
            return false;
        }
    } while (odp_lex_accept__(lx, ','));
    if (et_seen) {
        store_eth_type(kp, level, vlan_seen, &et_key, &et_mask);
    }
    return true;
}

bool
odp_key_parse__(struct odp_lexer *lx, enum odp_ctx ctx, struct flow *key,
                struct flow *mask)
{
    struct odp_kparse kp = {.lx = lx, .ctx = ctx, .key = key, .mask = mask};
    memset(&kp.seen, 0, sizeof kp.seen);
    return parse_level(&kp, 0);
}

/* Formatting. */

struct odp_kfmt {
    struct ds *ds;
    size_t start; /* Where this key's text begins in 'ds'. */
    const struct flow *key;
    const struct flow *mask;
    enum odp_ctx ctx;
    struct flow covered; /* Fields already printed. */
};

static void
put_sep(struct odp_kfmt *kf)
{
    struct ds *ds = kf->ds;
    if (ds->length > kf->start && ds->string[ds->length - 1] != '(') {
        ds_put_char(ds, ',');
    }
}

static void
ds_truncate(struct ds *ds, size_t length)
{
    if (ds->length > length) {
        ds->length = length;
        ds->string[length] = '\0';
    }
}

static void
put_uint(struct ds *ds, uint32_t v, enum odp_style style)
{
    switch (style) {
    case OY_DEC:
        ds_put_format(ds, "%" PRIu32, v);
        break;
    case OY_HEX:
        ds_put_format(ds, "%#" PRIx32, v);
        break;
    case OY_HEX4:
    default:
        ds_put_format(ds, "0x%04" PRIx32, v);
        break;
    }
}

static void
put_tcp_flags(struct ds *ds, uint32_t v, uint32_t m)
{
    if (m == TCP_FLAGS_MASK) {
        if (!v || v & ~TCP_NAMED_FLAGS) {
            ds_put_format(ds, v ? "0x%03" PRIx32 : "0", v);
            return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (v & (1u << i)) {
                ds_put_format(ds, "%s%s", v & ((1u << i) - 1) ? "|" : "",
                              tcp_flag_names[i]);
            }
        }
    } else if (m & ~TCP_NAMED_FLAGS || v & ~m) {
        ds_put_format(ds, "0x%03" PRIx32 "/0x%03" PRIx32, v, m);
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (m & (1u << i)) {
                ds_put_format(ds, "%c%s", v & (1u << i) ? '+' : '-',
                              tcp_flag_names[i]);
            }
        }
    }
}

static void
put_frag(struct ds *ds, uint32_t v, uint32_t m)
{
    const char *name = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
        if (frag_names[i].value == v) {
            name = frag_names[i].name;
        }
    }
    if (name) {
        ds_put_cstr(ds, name);
    } else {
        ds_put_format(ds, "%#" PRIx32, v);
    }
    if (m != FLOW_NW_FRAG_MASK) {
        ds_put_format(ds, "/%#" PRIx32, m);
    }
}

static void
put_ipv6(struct ds *ds, const uint8_t *p)
{
    char buf[INET6_ADDRSTRLEN];
    struct in6_addr a;
    memcpy(&a, p, sizeof a);
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
    ds_put_cstr(ds, buf);
}

static void
put_bytes_value(struct ds *ds, const struct odp_field *f, const uint8_t *p)
{
    if (f->kind == OK_MAC) {
        struct eth_addr a;
        memcpy(&a, p, sizeof a);
        ds_put_format(ds, ETH_ADDR_FMT, ETH_ADDR_ARGS(a));
    } else if (f->kind == OK_IPV4) {
        ds_put_format(ds, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    } else {
        put_ipv6(ds, p);
    }
}

/* Appends "value[/mask]" of field 'f'. */
static void
put_field_value(struct odp_kfmt *kf, const struct odp_field *f, size_t delta)
{
    struct ds *ds = kf->ds;
    if (!field_is_int(f)) {
        put_bytes_value(ds, f, field_bytes(kf->key, f, delta));
        if (!field_exact(kf->mask, f, delta)) {
            ds_put_char(ds, '/');
            put_bytes_value(ds, f, field_bytes(kf->mask, f, delta));
        }
        return;
    }

    uint32_t v = get_int(kf->key, f, delta);
    uint32_t m = get_int(kf->mask, f, delta);
    if (f->kind == OK_FLAGS) {
        put_tcp_flags(ds, v, m);
    } else if (f->kind == OK_FRAG) {
        put_frag(ds, v, m);
    } else {
        put_uint(ds, v, f->style);
        if (m != field_max(f)) {
            ds_put_char(ds, '/');
            put_uint(ds, m, f->style == OY_HEX4 ? OY_HEX4 : OY_HEX);
        }
    }
}

/* Whether field 'f' of a group is printed. */
static bool
field_wanted(struct odp_kfmt *kf, const struct odp_field *f, size_t delta,
             bool mpls_deep)
{
    if ((f->flags & OF_MPLS1 && mpls_deep) ||
        (f->flags & OF_MPLSN && !mpls_deep)) {
        return false;
    }
    if (field_nonzero(&kf->covered, f, delta)) {
        return false;
    }
    if (f->flags & OF_CFI && kf->ctx != ODP_CTX_SET) {
        /* Implied when exact and set: printed otherwise. */
        return !(get_int(kf->mask, f, delta) && get_int(kf->key, f, delta));
    }
    return field_nonzero(kf->mask, f, delta);
}

/* Appends group 'id' with its fields that have a non-zero mask and are not
 * printed yet.  Without 'force', prints nothing if there are none.
 * Returns true if it printed a field. */
static bool
put_group(struct odp_kfmt *kf, enum odp_group_id id, size_t delta, bool force)
{
    const struct odp_group *g = &groups[id];
    struct ds *ds = kf->ds;
    size_t before = ds->length;
    bool mpls_deep = (kf->mask->mpls_lse[1] || kf->mask->mpls_lse[2] ||
                      kf->mask->mpls_lse[3]);
    bool any = false;

    put_sep(kf);
    ds_put_format(ds, "%s(", g->name);
    for (size_t i = 0; i < g->n_fields; i++) {
        const struct odp_field *f = &g->fields[i];
        if (!field_wanted(kf, f, delta, mpls_deep)) {
            continue;
        }
        if (any) {
            ds_put_char(ds, ',');
        }
        if (f->name) {
            ds_put_format(ds, "%s=", f->name);
        }
        put_field_value(kf, f, delta);
        field_fill(&kf->covered, f, delta);
        any = true;
    }
    if (!any && !force) {
        ds_truncate(ds, before);
        return false;
    }
    ds_put_char(ds, ')');
    return any;
}

/* The L3 group for Ethertype 'dl_type', or G_N. */
static enum odp_group_id
l3_group(uint16_t dl_type)
{
    switch (dl_type) {
    case ETH_TYPE_IP:
        return G_IPV4;
    case ETH_TYPE_IPV6:
        return G_IPV6;
    case ETH_TYPE_ARP:
    case ETH_TYPE_RARP:
        return G_ARP;
    case ETH_TYPE_MPLS:
    case ETH_TYPE_MPLS_MCAST:
        return G_MPLS;
    case ETH_TYPE_PBB:
        return G_PBB;
    default:
        return G_N;
    }
}

/* Prints the L3 and L4 attributes, then any field left over. */
static void
put_l3_l4(struct odp_kfmt *kf)
{
    static const enum odp_group_id rest[] = {
        G_MPLS,      G_PBB, G_IPV4, G_IPV6, G_ARP,    G_TCP,
        G_TCP_FLAGS, G_UDP, G_SCTP, G_ICMP, G_ICMPV6, G_ND,
    };
    enum odp_group_id l3 = l3_group(ntohs(kf->key->dl_type));
    if (l3 != G_N) {
        put_group(kf, l3, 0, false);
    }

    bool ip = l3 == G_IPV4 || l3 == G_IPV6;
    if (ip || (kf->ctx == ODP_CTX_SET && l3 == G_N)) {
        switch (kf->key->nw_proto) {
        case IPPROTO_TCP:
            put_group(kf, G_TCP, 0, false);
            put_group(kf, G_TCP_FLAGS, 0, false);
            break;
        case IPPROTO_UDP:
            put_group(kf, G_UDP, 0, false);
            break;
        case IPPROTO_SCTP:
            put_group(kf, G_SCTP, 0, false);
            break;
        case IPPROTO_ICMP:
            if (l3 != G_IPV6) {
                put_group(kf, G_ICMP, 0, false);
            }
            break;
        case IPPROTO_ICMPV6:
            if (l3 != G_IPV4) {
                put_group(kf, G_ICMPV6, 0, false);
                put_group(kf, G_ND, 0, false);
            }
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(rest); i++) {
        put_group(kf, rest[i], 0, false);
    }
}

/* Number of VLAN levels to print: one past the deepest with a mask. */
static int
vlan_levels(const struct flow *mask)
{
    for (int i = FLOW_MAX_VLAN_HEADERS; i > 0; i--) {
        if (mask->vlans[i - 1].tpid || mask->vlans[i - 1].tci) {
            return i;
        }
    }
    return 0;
}

void
odp_key_format__(const struct flow *key, const struct flow *mask,
                 enum odp_ctx ctx, struct ds *ds)
{
    struct odp_kfmt kf = {.ds = ds, .key = key, .mask = mask, .ctx = ctx};
    ds_reserve(ds, ds->length + 128);
    kf.start = ds->length;
    memset(&kf.covered, 0, sizeof kf.covered);

    static const enum odp_group_id meta[] = {G_SKB_MARK, G_RECIRC_ID,
                                             G_DP_HASH, G_IN_PORT, G_ETH};
    for (size_t i = 0; i < ARRAY_SIZE(meta); i++) {
        put_group(&kf, meta[i], 0, false);
    }

    if (ctx == ODP_CTX_SET) {
        put_group(&kf, G_ETH_TYPE, 0, false);
        put_group(&kf, G_VLAN, 0, false);
        put_l3_l4(&kf);
        return;
    }

    int levels = vlan_levels(mask);
    size_t encap_at[FLOW_MAX_VLAN_HEADERS];
    for (int i = 0; i < levels; i++) {
        put_group(&kf, G_TPID, (size_t)i * VLAN_DELTA, false);
        put_group(&kf, G_VLAN, (size_t)i * VLAN_DELTA, true);
        encap_at[i] = ds->length;
        put_sep(&kf);
        ds_put_cstr(ds, "encap(");
    }
    put_group(&kf, G_ETH_TYPE, 0, false);
    put_l3_l4(&kf);
    for (int i = levels - 1; i >= 0; i--) {
        if (ds->string[ds->length - 1] == '(') {
            ds_truncate(ds, encap_at[i]); /* Nothing inside. */
        } else {
            ds_put_char(ds, ')');
        }
    }
}

/* Builds in 'mask' an exact match on the fields the headers described by
 * 'key' carry (what ovs-dpctl shows for a flow without a mask). */
static void
exact_mask(const struct flow *key, struct flow *mask)
{
    memset(mask, 0, sizeof *mask);
    mask->recirc_id = UINT32_MAX;
    mask->in_port = UINT32_MAX;
    mask->dp_hash = key->dp_hash ? UINT32_MAX : 0;
    mask->pkt_mark = key->pkt_mark ? UINT32_MAX : 0;
    memset(&mask->dl_src, 0xff, sizeof mask->dl_src);
    memset(&mask->dl_dst, 0xff, sizeof mask->dl_dst);
    mask->dl_type = UINT16_MAX;
    for (int i = 0; i < FLOW_MAX_VLAN_HEADERS; i++) {
        if (!(key->vlans[i].tci & htons(VLAN_CFI))) {
            break;
        }
        mask->vlans[i].tpid = UINT16_MAX;
        mask->vlans[i].tci = UINT16_MAX;
    }

    uint16_t dl_type = ntohs(key->dl_type);
    enum odp_group_id l3 = l3_group(dl_type);
    if (l3 == G_MPLS) {
        for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
            mask->mpls_lse[i] = UINT32_MAX;
            if (key->mpls_lse[i] & htonl(MPLS_BOS_MASK)) {
                break;
            }
        }
    } else if (l3 == G_PBB) {
        mask->pbb_isid = htonl(PBB_ISID_MASK);
        mask->pbb_uca = 1;
    } else if (l3 == G_ARP) {
        mask->nw_src = mask->nw_dst = UINT32_MAX;
        mask->nw_proto = UINT8_MAX;
        memset(&mask->arp_sha, 0xff, sizeof mask->arp_sha);
        memset(&mask->arp_tha, 0xff, sizeof mask->arp_tha);
    } else if (l3 == G_IPV4 || l3 == G_IPV6) {
        if (l3 == G_IPV4) {
            mask->nw_src = mask->nw_dst = UINT32_MAX;
        } else {
            memset(&mask->ipv6_src, 0xff, sizeof mask->ipv6_src);
            memset(&mask->ipv6_dst, 0xff, sizeof mask->ipv6_dst);
            mask->ipv6_label = htonl(IPV6_LABEL_MASK);
        }
        mask->nw_proto = mask->nw_tos = mask->nw_ttl = UINT8_MAX;
        mask->nw_frag = FLOW_NW_FRAG_MASK;
        if (key->nw_frag & FLOW_NW_FRAG_LATER) {
            return;
        }
        uint8_t p = key->nw_proto;
        bool icmp6 = p == IPPROTO_ICMPV6 && l3 == G_IPV6;
        if (p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP ||
            (p == IPPROTO_ICMP && l3 == G_IPV4) || icmp6) {
            mask->tp_src = mask->tp_dst = UINT16_MAX;
        }
        if (p == IPPROTO_TCP) {
            mask->tcp_flags = htons(TCP_FLAGS_MASK);
        }
        uint16_t type = ntohs(key->tp_src);
        if (icmp6 && !key->tp_dst &&
            (type == ND_NEIGHBOR_SOLICIT || type == ND_NEIGHBOR_ADVERT)) {
            memset(&mask->nd_target, 0xff, sizeof mask->nd_target);
            memset(&mask->arp_sha, 0xff, sizeof mask->arp_sha);
            memset(&mask->arp_tha, 0xff, sizeof mask->arp_tha);
        }
    }
}

char *
odp_flow_from_string(const char *s, struct flow *key,
                     struct flow_wildcards *mask)
{
    memset(key, 0, sizeof *key);
    memset(mask, 0, sizeof *mask);

    char *error = odp_check_length__(s);
    if (error) {
        return error;
    }

    struct odp_lexer lx;
    odp_lex_init__(&lx, s);
    if (odp_key_parse__(&lx, ODP_CTX_KEY, key, &mask->masks) &&
        !odp_lex_at_end__(&lx)) {
        odp_lex_error__(&lx, "unexpected text after the flow");
    }
    if (lx.error) {
        memset(key, 0, sizeof *key);
        memset(mask, 0, sizeof *mask);
    }
    return lx.error;
}

void
odp_flow_format(const struct flow *key, const struct flow_wildcards *mask,
                struct ds *ds)
{
    if (mask) {
        odp_key_format__(key, &mask->masks, ODP_CTX_KEY, ds);
    } else {
        struct flow exact;
        exact_mask(key, &exact);
        odp_key_format__(key, &exact, ODP_CTX_KEY, ds);
    }
}
