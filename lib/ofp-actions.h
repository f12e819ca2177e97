/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-actions: OpenFlow actions and instructions, decoded into one
 * version-independent list ("ofpacts") that translation executes and every
 * encoder writes back.
 *
 * Representation.  An ofpact list is a byte string in a 'struct ofpbuf':
 * each action a 'struct ofpact' header (type, len) followed by its fields,
 * padded to 8 bytes (OFPACT_ALIGN).  Instructions of 1.3+ are ofpacts too
 * and appear in the order the spec executes them:
 *   OFPACT_METER, [apply actions...], OFPACT_CLEAR_ACTIONS,
 *   OFPACT_WRITE_ACTIONS (nested list), OFPACT_WRITE_METADATA,
 *   OFPACT_GOTO_TABLE
 * Apply-actions are the plain actions before the first instruction-type
 * ofpact; an OpenFlow 1.0 flow or a packet-out has only plain actions.
 *
 * OpenFlow 1.0's actions keep their own types (OFPACT_SET_VLAN_VID,
 * OFPACT_STRIP_VLAN, OFPACT_SET_ETH_SRC, ...) so that they re-encode and
 * print as they came; 1.3+ set_field is OFPACT_SET_FIELD.  Encoding an
 * action into a version that lacks it uses the equivalent (e.g. 1.0's
 * mod_vlan_vid becomes push_vlan + set_field in 1.3 only when the packet
 * has no tag — Open vSwitch's rule; see ofp-actions.c).
 *
 * Limits (documented in Documentation/openflow.md): at most
 * OFPACTS_MAX_LEN bytes of ofpacts per flow, OFPACTS_MAX_DEPTH of nesting
 * (write_actions inside instructions is depth 1).
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_ACTIONS_H
#define TERN_OFP_ACTIONS_H 1

#include "lib/ofp-errors.h"
#include "lib/ofp-fields.h"
#include "lib/ofp-msgs.h"
#include "lib/ofpbuf.h"

struct ds;
struct ofp_port_names;

#define OFPACT_ALIGN      8
#define OFPACTS_MAX_LEN   16384
#define OFPACTS_MAX_DEPTH 2

enum ofpact_type {
    /* Output. */
    OFPACT_OUTPUT = 1, /* struct ofpact_output. */
    OFPACT_GROUP,      /* struct ofpact_group. */
    OFPACT_CONTROLLER, /* struct ofpact_controller. */
    OFPACT_ENQUEUE,    /* struct ofpact_enqueue (1.0). */
    OFPACT_SET_QUEUE,  /* struct ofpact_queue. */
    /* Header rewrites. */
    OFPACT_SET_FIELD,       /* struct ofpact_set_field. */
    OFPACT_SET_VLAN_VID,    /* struct ofpact_vlan_vid (1.0 mod_vlan_vid). */
    OFPACT_SET_VLAN_PCP,    /* struct ofpact_vlan_pcp (1.0 mod_vlan_pcp). */
    OFPACT_STRIP_VLAN,      /* struct ofpact_strip_vlan (1.0 strip_vlan;
                             * 1.1+ pop_vlan); code that needs only the type
                             * may treat it as a struct ofpact. */
    OFPACT_PUSH_VLAN,       /* struct ofpact_push (ethertype). */
    OFPACT_SET_ETH_SRC,     /* struct ofpact_mac (1.0 mod_dl_src). */
    OFPACT_SET_ETH_DST,     /* struct ofpact_mac (1.0 mod_dl_dst). */
    OFPACT_SET_IPV4_SRC,    /* struct ofpact_ipv4 (1.0 mod_nw_src). */
    OFPACT_SET_IPV4_DST,    /* struct ofpact_ipv4 (1.0 mod_nw_dst). */
    OFPACT_SET_IP_DSCP,     /* struct ofpact_u8 (1.0 mod_nw_tos, DSCP<<2). */
    OFPACT_SET_L4_SRC_PORT, /* struct ofpact_l4_port (1.0 mod_tp_src). */
    OFPACT_SET_L4_DST_PORT, /* struct ofpact_l4_port (1.0 mod_tp_dst). */
    OFPACT_SET_IP_TTL,      /* struct ofpact_u8. */
    OFPACT_DEC_TTL,         /* struct ofpact. */
    OFPACT_SET_MPLS_TTL,    /* struct ofpact_u8. */
    OFPACT_DEC_MPLS_TTL,    /* struct ofpact. */
    OFPACT_COPY_TTL_OUT,    /* struct ofpact. */
    OFPACT_COPY_TTL_IN,     /* struct ofpact. */
    OFPACT_PUSH_MPLS,       /* struct ofpact_push (ethertype). */
    OFPACT_POP_MPLS,        /* struct ofpact_push (ethertype after pop). */
    OFPACT_PUSH_PBB,        /* struct ofpact_push (ethertype 0x88e7). */
    OFPACT_POP_PBB,         /* struct ofpact. */
    OFPACT_REG_LOAD,        /* struct ofpact_reg_load (Nicira load). */
    OFPACT_REG_MOVE,        /* struct ofpact_reg_move (Nicira move). */
    /* Instructions (1.3+). */
    OFPACT_METER,          /* struct ofpact_meter. */
    OFPACT_CLEAR_ACTIONS,  /* struct ofpact. */
    OFPACT_WRITE_ACTIONS,  /* struct ofpact_nest. */
    OFPACT_WRITE_METADATA, /* struct ofpact_metadata. */
    OFPACT_GOTO_TABLE,     /* struct ofpact_goto_table. */
    OFPACT_N_TYPES
};

struct ofpact {
    uint16_t type; /* enum ofpact_type. */
    uint16_t len;  /* Header + fields, before padding. */
    uint32_t pad;
};
BUILD_ASSERT(sizeof(struct ofpact) == 8);

/* Reserved OpenFlow port numbers, 32-bit form (1.0's 16-bit ones are
 * converted by ofp_port_from_of10()). */
#define OFPP_MAX        0xffffff00u
#define OFPP_IN_PORT    0xfffffff8u
#define OFPP_TABLE      0xfffffff9u
#define OFPP_NORMAL     0xfffffffau
#define OFPP_FLOOD      0xfffffffbu
#define OFPP_ALL        0xfffffffcu
#define OFPP_CONTROLLER 0xfffffffdu
#define OFPP_LOCAL      0xfffffffeu
#define OFPP_ANY        0xffffffffu /* OFPP_NONE in 1.0. */
static inline uint32_t
ofp_port_from_of10(uint16_t p)
{
    return p >= 0xff00 ? 0xffff0000u | p : p;
}
static inline uint16_t
ofp_port_to_of10(uint32_t p)
{
    return p >= 0xffff0000u ? (uint16_t)p : p < 0xff00 ? (uint16_t)p : 0;
}

#define OFPG_MAX         0xffffff00u
#define OFPG_ALL         0xfffffffcu
#define OFPG_ANY         0xffffffffu
#define OFPM_MAX         0xffff0000u
#define OFPM_SLOWPATH    0xfffffffdu
#define OFPM_CONTROLLER  0xfffffffeu
#define OFPM_ALL         0xffffffffu
#define OFPCML_NO_BUFFER 0xffff
#define OFP_NO_BUFFER    0xffffffffu

struct ofpact_output {
    struct ofpact ofpact;
    uint32_t port;    /* OpenFlow port or OFPP_*. */
    uint16_t max_len; /* For OFPP_CONTROLLER. */
};
struct ofpact_group {
    struct ofpact ofpact;
    uint32_t group_id;
};
/* OFPR_* reasons for packet-in. */
enum ofp_packet_in_reason {
    OFPR_NO_MATCH = 0, /* 1.3: table-miss. */
    OFPR_ACTION = 1,
    OFPR_INVALID_TTL = 2,
    OFPR_ACTION_SET = 3, /* 1.4+. */
    OFPR_GROUP = 4,      /* 1.4+. */
    OFPR_PACKET_OUT = 5, /* 1.4+. */
    OFPR_N_REASONS
};
struct ofpact_controller {
    struct ofpact ofpact;
    uint16_t max_len;
    uint16_t controller_id;
    uint8_t reason; /* enum ofp_packet_in_reason. */
};
struct ofpact_enqueue {
    struct ofpact ofpact;
    uint32_t port;
    uint32_t queue;
};
struct ofpact_queue {
    struct ofpact ofpact;
    uint32_t queue_id;
};
struct ofpact_set_field {
    struct ofpact ofpact;
    enum mf_field_id field;
    union mf_value value;
    union mf_value mask; /* All-ones unless a masked set_field. */
};
/* 'flow_has_vlan' is what ofpacts_note_match() found: whether the packet
 * surely has a VLAN header where the action runs.  Encoding into 1.1+
 * writes push_vlan before the set_field when 'push_vlan_if_needed' is set
 * and 'flow_has_vlan' is not. */
struct ofpact_vlan_vid {
    struct ofpact ofpact;
    uint16_t vid; /* 0-4095. */
    bool push_vlan_if_needed;
    bool flow_has_vlan;
};
struct ofpact_vlan_pcp {
    struct ofpact ofpact;
    uint8_t pcp;
    bool push_vlan_if_needed;
    bool flow_has_vlan;
};
struct ofpact_strip_vlan {
    struct ofpact ofpact;
    bool is_pop; /* Decoded from or parsed as pop_vlan: printed so. */
};
struct ofpact_push {
    struct ofpact ofpact;
    tern_be16 ethertype;
};
struct ofpact_mac {
    struct ofpact ofpact;
    struct eth_addr mac;
};
struct ofpact_ipv4 {
    struct ofpact ofpact;
    tern_be32 ipv4;
};
struct ofpact_u8 {
    struct ofpact ofpact;
    uint8_t value; /* DSCP (as nw_tos, i.e. shifted left 2) or TTL. */
};
struct ofpact_l4_port {
    struct ofpact ofpact;
    uint16_t port;         /* Host order. */
    uint8_t flow_ip_proto; /* From ofpacts_note_match(): the set_field
                            * (tcp/udp/sctp) 1.2+ encodes it as; 0 = TCP. */
};
/* Nicira's load:VALUE->DST[OFS..OFS+N_BITS-1] (NXAST_REG_LOAD).  'dst' is
 * the NXM header as it came or was parsed, so that it re-encodes and prints
 * as given; 'field' is its field.  Encoded as set_field into 1.2+ when it
 * covers the whole field. */
struct ofpact_reg_load {
    struct ofpact ofpact;
    enum mf_field_id field;
    uint32_t dst;
    uint16_t ofs;
    uint16_t n_bits; /* 1..64, ofs + n_bits within the field. */
    uint64_t value;  /* Right-aligned, fits in n_bits. */
};
/* Nicira's move:SRC[a..b]->DST[c..d] (NXAST_REG_MOVE). */
struct ofpact_reg_move {
    struct ofpact ofpact;
    enum mf_field_id src_field;
    enum mf_field_id dst_field;
    uint32_t src; /* NXM headers, as for reg_load. */
    uint32_t dst;
    uint16_t src_ofs;
    uint16_t dst_ofs;
    uint16_t n_bits;
};
/* The masked set_field that 'rl' amounts to (value and mask in the field's
 * wire layout), written to '*sf' (caller's). */
void ofpact_reg_load_to_set_field(const struct ofpact_reg_load *rl,
                                  struct ofpact_set_field *sf);
/* Copies 'n_bits' bits from bit 'src_ofs' of 'src' to bit 'dst_ofs' of
 * 'dst' (both in a field's wire layout of 'src_bytes'/'dst_bytes'), setting
 * the same bits in 'dst_mask' if nonnull. */
void ofpact_copy_bits(const union mf_value *src, size_t src_bytes,
                      unsigned src_ofs, union mf_value *dst, size_t dst_bytes,
                      unsigned dst_ofs, unsigned n_bits,
                      union mf_value *dst_mask);

struct ofpact_meter {
    struct ofpact ofpact;
    uint32_t meter_id;
};
struct ofpact_nest {
    struct ofpact ofpact;
    /* Followed by the nested ofpacts (the action set to write), up to
     * ofpact.len. */
};
struct ofpact_metadata {
    struct ofpact ofpact;
    tern_be64 metadata;
    tern_be64 mask;
};
struct ofpact_goto_table {
    struct ofpact ofpact;
    uint8_t table_id;
};

/* Iteration over a list of 'LEN' bytes at 'OFPACTS'. */
static inline const struct ofpact *
ofpact_next(const struct ofpact *a)
{
    return (const struct ofpact *)((const uint8_t *)a +
                                   ROUND_UP(a->len, OFPACT_ALIGN));
}
/* An empty list may be NULL: (LEN) is tested first, so that no offset is
 * ever added to a null pointer. */
#define OFPACT_FOR_EACH(A, OFPACTS, LEN)                                      \
    for (const struct ofpact *A = (OFPACTS);                                  \
         (LEN) > 0 &&                                                         \
         (const uint8_t *)A < (const uint8_t *)(OFPACTS) + (LEN);             \
         A = ofpact_next(A))
/* The nested list of an OFPACT_WRITE_ACTIONS. */
static inline const struct ofpact *
ofpact_nest_actions(const struct ofpact_nest *n, size_t *lenp)
{
    *lenp = n->ofpact.len - sizeof *n;
    return (const struct ofpact *)(n + 1);
}

/* Building: appends an ofpact of 'type' with 'size' bytes of struct (the
 * header included, zeroed, header filled in) and returns it; valid until
 * the next append. */
void *ofpact_put(struct ofpbuf *, enum ofpact_type, size_t size);
/* For OFPACT_WRITE_ACTIONS: ofpact_nest_start() appends the header and
 * returns its offset; append the nested ofpacts; ofpact_nest_end() fixes
 * the length. */
size_t ofpact_nest_start(struct ofpbuf *, enum ofpact_type);
void ofpact_nest_end(struct ofpbuf *, size_t offset);
const char *ofpact_type_name(enum ofpact_type);

/* Decoding.  'version' selects the wire format.  Errors are the spec's:
 * unknown type (OFPBAC_BAD_TYPE / OFPBIC_UNKNOWN_INST), bad length
 * (OFPBAC_BAD_LEN / OFPBIC_BAD_LEN), bad argument, unsupported set_field
 * (OFPBAC_BAD_SET_TYPE / _LEN / _ARGUMENT), duplicate instruction
 * (OFPBIC_DUP_INST), too many (OFPBAC_TOO_MANY past OFPACTS_MAX_LEN).
 * Results are appended to 'ofpacts'. */
enum ofperr ofpacts_decode_actions(const void *actions, size_t len,
                                   enum ofp_version, struct ofpbuf *ofpacts);
enum ofperr ofpacts_decode_instructions(const void *insts, size_t len,
                                        enum ofp_version,
                                        struct ofpbuf *ofpacts);
/* Encoding: appends the actions (packet-out, 1.0 flows, buckets) or the
 * instructions (1.3+ flows) of 'ofpacts'.  What a version cannot express
 * is left out: in 1.0 group, set_queue, push/pop VLAN and MPLS, the TTL
 * actions, meter and the instructions; meter before 1.3.  enqueue becomes
 * set_queue + output in 1.1+ (Open vSwitch's extra pop_queue is not
 * written).  ofpacts_encode_actions() stops at the first instruction. */
void ofpacts_encode_actions(const struct ofpact *, size_t len,
                            enum ofp_version, struct ofpbuf *out);
void ofpacts_encode_instructions(const struct ofpact *, size_t len,
                                 enum ofp_version, struct ofpbuf *out);

/* Semantic checks against the flow's match, done when a flow/packet-out/
 * group is added: set_field prerequisites (OFPBAC_MATCH_INCONSISTENT),
 * output ports (< 'max_ports' or reserved; OFPBAC_BAD_OUT_PORT),
 * goto_table forward only and < 'n_tables' (OFPBIC_BAD_TABLE_ID),
 * instructions in a context that allows them.  'table_id' is the flow's
 * table (255 for packet-out and buckets, where instructions are not
 * allowed).  'match' may be updated as push/pop change what later actions
 * see. */
enum ofperr ofpacts_check(const struct ofpact *, size_t len,
                          const struct match *, uint32_t max_ports,
                          uint8_t table_id, uint8_t n_tables);
/* True if the list outputs to 'port' (OFPP_ANY: always true), counting
 * outputs inside write_actions, for flow_mod's out_port filter. */
bool ofpacts_output_to_port(const struct ofpact *, size_t len, uint32_t port);
bool ofpacts_output_to_group(const struct ofpact *, size_t len,
                             uint32_t group_id);
bool ofpacts_equal(const struct ofpact *, size_t, const struct ofpact *,
                   size_t);
/* Records in the 1.0-style actions of the 'len' bytes at 'ofpacts' (owned
 * by the caller, modified in place) what the flow's 'match' tells about
 * the packet where each runs: whether it has a VLAN header (mod_vlan_vid
 * and mod_vlan_pcp then encode into 1.1+ without push_vlan) and its IP
 * protocol (mod_tp_src/dst then encode as udp_src/sctp_src/...).  Call it
 * once a flow's actions and match are known, before encoding them into
 * another version. */
void ofpacts_note_match(struct ofpact *ofpacts, size_t len,
                        const struct match *);

/* Text, in ovs-ofctl syntax: "output:2,mod_vlan_vid:3,goto_table:1",
 * "drop", "NORMAL", "CONTROLLER:65535", "set_field:10->vlan_vid",
 * "write_actions(output:3)", "meter:1", "group:5", "push_vlan:0x8100",
 * "write_metadata:0x1/0xff", "dec_ttl", "strip_vlan", "mod_dl_src:..." .
 * Parsing appends to 'ofpacts'; returns NULL or an error message (caller
 * frees).  Formatting prints what ovs-ofctl prints ("drop" when empty). */
char *ofpacts_parse(const char *s, const struct ofp_port_names *,
                    struct ofpbuf *ofpacts);
void ofpacts_format(const struct ofpact *, size_t len,
                    const struct ofp_port_names *, struct ds *);
/* Prints an OpenFlow port number as ovs-ofctl does ("LOCAL", "CONTROLLER",
 * a name if 'names' maps it, or the number). */
void ofp_port_format(uint32_t port, const struct ofp_port_names *,
                     struct ds *);
/* Parses a port: number, reserved name, or mapped name.  Returns false if
 * invalid. */
bool ofp_port_parse(const char *s, const struct ofp_port_names *,
                    uint32_t *port);

#endif /* TERN_OFP_ACTIONS_H */
