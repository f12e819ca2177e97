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
 * Keys: recirc_id, dp_hash, skb_mark, in_port, eth(src,dst),
 * eth_type, vlan(vid,pcp,cfi) with encap(...), mpls(label,tc,ttl,bos),
 * ipv4(src,dst,proto,tos,ttl,frag), ipv6(src,dst,label,proto,tclass,hlimit,
 * frag), tcp(src,dst), tcp_flags, udp(src,dst), sctp(src,dst),
 * icmp(type,code), icmpv6(type,code), arp(sip,tip,op,sha,tha),
 * nd(target,sll,tll).  Every field takes an optional "/mask"; a field left
 * out is wildcarded.  Actions: a port number, drop, userspace(pid=N[,
 * userdata(HEX)]), set(HEADER(field=value[/mask],...)), push_vlan(
 * [tpid=0x8100,]vid=N,pcp=N), pop_vlan, push_mpls(label=,tc=,ttl=,bos=,
 * eth_type=), pop_mpls(eth_type=), dec_ttl[(le_1(ACTIONS))], recirc(N).
 *
 * The formatter prints what the parser reads back to the same flow.
 * Thread safety: pure functions.
 */
#ifndef TERN_ODP_UTIL_H
#define TERN_ODP_UTIL_H 1

#include "lib/dp-actions.h"
#include "lib/flow.h"

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
