/* SPDX-License-Identifier: Apache-2.0 */
/*
 * odp-util: the text form of datapath flows and actions, in the syntax of
 * Open vSwitch's ovs-dpctl, e.g.
 *
 *   recirc_id(0),in_port(1),eth(src=00:01:02:03:04:05,dst=...),
 *   eth_type(0x0800),ipv4(src=10.0.0.1/255.255.255.0,proto=6,frag=no),
 *   tcp(src=80),tcp_flags(syn|ack)
 *   actions:set(eth(dst=...)),push_vlan(vid=10,pcp=0),2
 *
 * Keys: skb_mark, recirc_id, dp_hash, in_port, eth(src,dst), eth_type,
 * vlan(vid,pcp,cfi) with encap(...), mpls(label,tc,ttl,bos) or
 * mpls(lse0,lse1,lse2,lse3) for deeper stacks, ipv4(src,dst,proto,tos,ttl,
 * frag), ipv6(src,dst,label,proto,tclass,hlimit,frag), tcp(src,dst),
 * tcp_flags, udp(src,dst), sctp(src,dst), icmp(type,code),
 * icmpv6(type,code), arp(sip,tip,op,sha,tha), nd(target,sll,tll).  Every
 * field but in_port takes an optional "/mask"; a field left out is
 * wildcarded, and a field given twice is an error.  The formatter prints
 * attributes in ovs-dpctl's order and only the fields with a non-zero mask,
 * with "/mask" where the mask is not exact.
 *
 * Values: integers are decimal or 0x-hex; MACs xx:xx:xx:xx:xx:xx; IPv4 and
 * IPv6 masks are addresses or prefix lengths ("/24").  VLANs nest as
 * ovs-dpctl prints them: "eth_type(0x88a8),vlan(vid=10,pcp=0),encap(
 * eth_type(0x8100),vlan(...),encap(eth_type(0x0800),ipv4(...)))", the
 * eth_type before a vlan() giving that tag's TPID; vlan() sets VLAN_CFI in
 * key and mask unless "cfi=0" is given.  frag is no, first or later (mask
 * bits FLOW_NW_FRAG_*: a partial mask prints as "frag=no/0x2").
 * tcp_flags is "syn|ack" or "0" when exact, "+syn-ack" when masked, or
 * numbers ("0x012/0x0ff").  ICMP type and code are 0-255 with 16-bit masks.
 * Key values under a zero mask are not printed, so they are zero after a
 * round trip.
 *
 * Actions: a port number, drop (alone: the empty list), userspace(pid=N[,
 * userdata(HEX)]) (at most 4096 bytes of userdata), set(ATTR(field=value
 * [/mask],...)[,ATTR(...)]) with settable fields only (skb_mark, eth, vlan
 * vid/pcp, mpls label/tc/ttl/bos, ipv4 src/dst/tos/ttl, ipv6 src/dst/
 * label/tclass/hlimit, tcp/udp/sctp src/dst, arp, nd target), push_vlan(
 * [tpid=0x8100|0x88a8,]vid=N[,pcp=N][,cfi=0|1]), pop_vlan, push_mpls(
 * label=,tc=,ttl=,bos=,eth_type=0x8847|0x8848) (all required), pop_mpls(
 * eth_type=N), dec_ttl or dec_ttl(le_1(ACTIONS)) (nested at most
 * DP_ACTIONS_MAX_DEPTH deep), recirc(N) (printed in hex).  Every set(...)
 * becomes one DPA_SET_MASKED, exact on the fields named unless "/mask" is
 * given; the value's dl_type and nw_proto, under a zero mask, record which
 * header the text named (ipv4, udp, ...) so that it prints back the same.
 * An encoded list may not exceed DP_ACTIONS_MAX_LEN bytes.
 *
 * Formatting then parsing gives back the identical flow (key and mask, for
 * keys that are zero where the mask is) and the identical action encoding.
 * Parsers accept white space between tokens, reject input longer than
 * ODP_MAX_INPUT_LEN characters, and on any error return a message naming
 * the problem and its offset in the input.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_ODP_UTIL_H
#define TERN_ODP_UTIL_H 1

#include "lib/dp-actions.h"
#include "lib/flow.h"

/* Longest text the parsers accept. */
#define ODP_MAX_INPUT_LEN 32768

/* Parses a flow key with masks from 's'.  On success returns NULL and
 * fills 'key' (unmasked values) and 'mask'.  Fields not mentioned have a
 * zero mask.  On error returns a message the caller frees. */
char *odp_flow_from_string(const char *s, struct flow *key,
                           struct flow_wildcards *mask);
/* Appends the text of 'key' under 'mask' (NULL: exact) to 'ds', printing
 * only fields with a non-zero mask (and "/mask" where it is not exact). */
void odp_flow_format(const struct flow *key, const struct flow_wildcards *mask,
                     struct ds *ds);

/* Parses an action list ("2,3", "drop", "set(...),2") and appends its
 * encoding to 'acts'.  Returns NULL or an error message (caller frees). */
char *odp_actions_from_string(const char *s, struct dp_actions_buf *acts);
/* Appends the text of an action list ("drop" when empty). */
void odp_actions_format(const void *acts, size_t len, struct ds *ds);

/* Parses a packet description for netdev-dummy/receive in flow syntax
 * (exact values, no masks; e.g. "in_port(1),eth(src=..,dst=..),eth_type(
 * 0x0800),ipv4(src=..,dst=..,proto=17,ttl=64),udp(src=1,dst=2)") and builds
 * the packet bytes it describes into a caller-freed buffer.  Returns NULL or
 * an error message. */
char *odp_flow_to_packet(const char *s, uint8_t **datap, size_t *lenp);

#endif /* TERN_ODP_UTIL_H */
