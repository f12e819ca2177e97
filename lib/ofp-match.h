/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-match: OpenFlow matches on the wire and in text.
 *
 * Wire: OpenFlow 1.0's fixed 40-byte 'ofp_match' (wildcard bits, 16-bit
 * ports, nw_src/nw_dst prefix wildcards) and the OXM 'ofp_match' of 1.3+
 * (type OFPMT_OXM, length, TLVs, padding to 8), including the NXM/ONF
 * experimenter fields of ofp-fields.h.  Decoding enforces: known fields
 * (OFPBMC_BAD_FIELD), lengths (OFPBMC_BAD_LEN), masks only where allowed
 * (OFPBMC_BAD_MASK), values in range (OFPBMC_BAD_VALUE), no duplicates
 * (OFPBMC_DUP_FIELD), prerequisites (OFPBMC_BAD_PREREQ, checked as each
 * field arrives: prerequisites come first).  Encoding emits fields in
 * Open vSwitch's order (in_port, eth_src, eth_dst, eth_type, VLAN, MPLS,
 * L3, IP frag/DSCP/ECN/TTL/label, proto, L4, ARP, pkt_mark, metadata), so
 * that a decoded Open vSwitch message re-encodes byte for byte.
 *
 * Text: the ovs-ofctl syntax, e.g.
 *   "priority=100,tcp,in_port=1,nw_src=10.0.0.0/24,tp_dst=80"
 * with the shorthands ip, ipv6, icmp, icmp6, tcp, tcp6, udp, udp6, sctp,
 * sctp6, arp, rarp, mpls, mplsm; dl_vlan/dl_vlan_pcp/vlan_tci; nw_tos
 * (DSCP << 2) and ip_dscp; port names through an optional name map.
 * match_format() prints what ovs-ofctl prints for the same match.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_MATCH_H
#define TERN_OFP_MATCH_H 1

#include "lib/ofp-errors.h"
#include "lib/ofp-fields.h"
#include "lib/ofpbuf.h"

struct ds;

#define OFP10_MATCH_LEN 40

/* OpenFlow 1.0: decodes the 40 bytes at 'm' into 'match'. */
enum ofperr ofp_match_decode_of10(const void *m, struct match *);
/* Appends the 40-byte encoding of 'match' (fields 1.0 cannot express are
 * dropped; returns false if any were). */
bool ofp_match_encode_of10(const struct match *, struct ofpbuf *);

/* OpenFlow 1.3+: decodes the 'ofp_match' at the start of 'r' (type,
 * length, OXMs, padding) and advances 'r' past it, padding included. */
enum ofperr ofp_match_decode_oxm(struct ofp_reader *r, struct match *);
/* Decodes a bare OXM list of 'len' bytes (as in packet-in 1.5 / set_field
 * payloads use one field at a time: see ofp_oxm_decode_one()). */
enum ofperr ofp_oxms_decode(const void *oxms, size_t len, struct match *);
/* Appends an OXM 'ofp_match' (header, fields, padding to 8).  Returns the
 * number of bytes appended. */
size_t ofp_match_encode_oxm(const struct match *, enum ofp_version,
                            struct ofpbuf *);
/* Appends the bare OXM list of 'match' (no ofp_match header, no padding)
 * and returns its length. */
size_t ofp_oxms_encode(const struct match *, enum ofp_version,
                       struct ofpbuf *);
/* Clears every matched field whose prerequisites 'match' does not meet
 * (what OpenFlow 1.0 says of such fields: they are ignored), as Open
 * vSwitch does for 1.0 flow mods and for text; the VLAN PCP bits are kept
 * (1.0's "no tag" match has an exact PCP of 0). */
void match_clear_unmet_prereqs(struct match *);
/* One OXM TLV: decodes the field at the start of 'r' (header, value,
 * mask if HM bit set), advances 'r'. */
enum ofperr ofp_oxm_decode_one(struct ofp_reader *r,
                               const struct mf_field **fieldp,
                               union mf_value *value, union mf_value *mask,
                               bool *has_mask);
/* Appends one OXM TLV for 'mf' ('mask' NULL: no mask). */
void ofp_oxm_encode_one(const struct mf_field *, const union mf_value *value,
                        const union mf_value *mask, enum ofp_version,
                        struct ofpbuf *);

/* Port names for text: returns the OpenFlow port number for 'name' or
 * UINT32_MAX, and the name of a number or NULL.  Either may be NULL (no
 * names used). */
struct ofp_port_names {
    uint32_t (*name_to_port)(const char *name, void *aux);
    const char *(*port_to_name)(uint32_t port, void *aux);
    void *aux;
};

/* Parses the match part of a flow in ovs-ofctl syntax: every
 * "key=value" and shorthand that is a match field.  Keys that are not
 * match fields ("priority", "actions", "cookie", "table", "idle_timeout",
 * ...) are handed to 'other' (may be NULL: then they are an error), which
 * returns NULL or an error message (caller frees).  Returns NULL or an
 * error message naming the problem (caller frees). */
typedef char *ofp_match_other_cb(const char *key, const char *value,
                                 void *aux);
char *match_parse(const char *s, const struct ofp_port_names *, struct match *,
                  ofp_match_other_cb *other, void *aux);
/* Appends the ovs-ofctl text of 'match' (no trailing comma; with the
 * protocol shorthand first, e.g. "tcp,in_port=1,tp_dst=80"); 'priority'
 * is printed as ovs-ofctl does ("priority=N," before the fields when it is
 * not OFP_DEFAULT_PRIORITY, if 'priority' >= 0). */
void match_format(const struct match *, const struct ofp_port_names *,
                  int priority, struct ds *);
#define OFP_DEFAULT_PRIORITY 0x8000

/* One field's value in text (what set_field and ovs-ofctl use): parses
 * 's' ("10.0.0.0/24", "0x10/0xfff0", "aa:bb:cc:dd:ee:ff", "LOCAL",
 * "+syn-ack", "first", ...) into 'value' and 'mask' ('mask' may be NULL:
 * then a mask in 's' is an error).  Returns NULL or an error message the
 * caller frees. */
char *mf_parse_value(const struct mf_field *, const char *s,
                     const struct ofp_port_names *, union mf_value *value,
                     union mf_value *mask);
/* Appends 'value' (under 'mask' unless NULL or exact) as ovs-ofctl prints
 * it for set_field and field values. */
void mf_format_value(const struct mf_field *, const union mf_value *value,
                     const union mf_value *mask, const struct ofp_port_names *,
                     struct ds *);

#endif /* TERN_OFP_MATCH_H */
