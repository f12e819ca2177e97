/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print: OpenFlow messages as text, the way `ovs-ofctl ofp-print`
 * shows them, for tern-ofctl, logs and tests.
 *
 * ofp_to_string() frames a message with ofp_msg_decode() (ofp-msgs), then
 * hands the body to the decoder of its family (ofp-switch, ofp-port,
 * ofp-flow, ofp-packet, ofp-group, ofp-meter, ofp-bundle) and prints what
 * that decoder returned.  The first line names the kind, the version when
 * it is not 1.0 and the xid ("OFPT_FLOW_MOD (OF1.3) (xid=0x2): ADD ...");
 * a message that does not decode prints "***decode error: NAME***" and a
 * hex dump instead.  The printers are one table, indexed by kind.
 *
 * ofp_msg_reencode() decodes a message with its family decoder and encodes
 * the result again with the family encoder: for every kind Tern speaks,
 * the bytes that come out must be the bytes that went in, which the unit
 * tests check against captured Open vSwitch messages.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_PRINT_H
#define TERN_OFP_PRINT_H 1

#include "lib/ofp-errors.h"
#include "lib/ofp-msgs.h" /* Before ofp-match.h, which uses its enum. */
#include "lib/ofp-match.h"
#include "lib/ofpbuf.h"

struct ds;

/* Returns the text of the OpenFlow message of 'len' bytes at 'data'
 * (caller frees), ending in a new-line.  'names' (may be NULL) maps port
 * numbers to names.  'verbosity' is ovs-ofctl's: 1 terse, 2 the default,
 * 3 and more add hex dumps of packets. */
char *ofp_to_string(const void *data, size_t len,
                    const struct ofp_port_names *names, int verbosity);
/* Same, appended to 'out'. */
void ofp_print(struct ds *out, const void *data, size_t len,
               const struct ofp_port_names *names, int verbosity);

/* Appends ovs-ofctl's hex dump of 'n' bytes at 'data' to 'out': lines of
 * 16 bytes, "OFFSET  xx xx ...-xx ... |ascii|", offsets from 0. */
void ofp_print_hex_dump(struct ds *out, const void *data, size_t n);

/* Decodes the message at 'data' with its family decoder and encodes it
 * again with the family encoder.  Returns 0 with the new message in *out
 * (caller frees with ofpbuf_delete()), or the decoder's error, or
 * OFPERR_OFPBRC_BAD_TYPE if Tern has no codec pair for the message's kind
 * (*out is then NULL). */
enum ofperr ofp_msg_reencode(const void *data, size_t len,
                             struct ofpbuf **out);

/* ovs-ofctl's names for controller roles ("primary", "secondary", ...)
 * and flow-mod commands ("ADD", "MOD", "DEL_STRICT", ...). */
const char *ofp_role_to_string(uint32_t role);
const char *ofp_flow_mod_command_to_string(int command);

#endif /* TERN_OFP_PRINT_H */
