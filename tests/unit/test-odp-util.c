/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/odp-util: parsing and formatting of flow keys and
 * action lists in ovs-dpctl syntax, round trips over strings in the style
 * of real dump-flows output, every class of bad input, and
 * odp_flow_to_packet().
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/dp-actions.h"
#include "lib/flow.h"
#include "lib/odp-util.h"

/* Parses 's', which must be valid, into 'key' and 'wc'. */
static void
parse_ok(const char *s, struct flow *key, struct flow_wildcards *wc)
{
    char *error = odp_flow_from_string(s, key, wc);
    if (error) {
        fail_msg("\"%s\": %s", s, error);
    }
}

/* Formats 'key' under 'wc' (may be NULL) into a string the caller frees. */
static char *
format_key(const struct flow *key, const struct flow_wildcards *wc)
{
    struct ds ds = DS_EMPTY;
    odp_flow_format(key, wc, &ds);
    return ds_steal_cstr(&ds);
}

/* Parses 's' and checks that formatting gives back exactly 'expect' (NULL:
 * 's' itself) and that parsing that again gives the same flow. */
static void
check_key_round_trip(const char *s, const char *expect)
{
    struct flow key, key2;
    struct flow_wildcards wc, wc2;
    parse_ok(s, &key, &wc);
    char *text = format_key(&key, &wc);
    assert_string_equal(text, expect ? expect : s);
    parse_ok(text, &key2, &wc2);
    assert_memory_equal(&key, &key2, sizeof key);
    assert_memory_equal(&wc, &wc2, sizeof wc);
    free(text);
}

static void
check_key_error(const char *s, const char *fragment)
{
    struct flow key;
    struct flow_wildcards wc;
    char *error = odp_flow_from_string(s, &key, &wc);
    if (!error) {
        fail_msg("\"%s\" parsed without error", s);
    }
    assert_true(strlen(error) > 0);
    if (fragment && !strstr(error, fragment)) {
        fail_msg("\"%s\": error \"%s\" lacks \"%s\"", s, error, fragment);
    }
    /* The outputs are left cleared. */
    assert_true(flow_wildcards_is_catchall(&wc));
    free(error);
}

static struct eth_addr
mac(const char *s)
{
    struct eth_addr ea;
    assert_true(eth_addr_from_string(s, &ea));
    return ea;
}

static tern_be32
ip4(const char *s)
{
    struct in_addr a;
    assert_int_equal(inet_pton(AF_INET, s, &a), 1);
    return a.s_addr;
}

static struct in6_addr
ip6(const char *s)
{
    struct in6_addr a;
    assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
    return a;
}

/* Keys. */

static void
test_parse_metadata(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("skb_mark(0x5/0xff),recirc_id(0x1),dp_hash(0x12/0xff),"
             "in_port(2)",
             &k, &wc);
    assert_int_equal(k.pkt_mark, 5);
    assert_int_equal(wc.masks.pkt_mark, 0xff);
    assert_int_equal(k.recirc_id, 1);
    assert_int_equal(wc.masks.recirc_id, UINT32_MAX);
    assert_int_equal(k.dp_hash, 0x12);
    assert_int_equal(wc.masks.dp_hash, 0xff);
    assert_int_equal(k.in_port, 2);
    assert_int_equal(wc.masks.in_port, UINT32_MAX);
    /* Nothing else is matched. */
    assert_true(eth_addr_is_zero(wc.masks.dl_src));
    assert_int_equal(wc.masks.dl_type, 0);

    /* Empty text: match everything. */
    parse_ok("", &k, &wc);
    assert_true(flow_wildcards_is_catchall(&wc));
}

static void
test_parse_eth(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth(src=00:01:02:03:04:05,dst=ff:ff:ff:ff:ff:ff)", &k, &wc);
    assert_memory_equal(&k.dl_src, mac("00:01:02:03:04:05").ea, 6);
    assert_memory_equal(&k.dl_dst, mac("ff:ff:ff:ff:ff:ff").ea, 6);
    assert_memory_equal(&wc.masks.dl_src, mac("ff:ff:ff:ff:ff:ff").ea, 6);

    parse_ok("eth(dst=01:00:00:00:00:00/01:00:00:00:00:00)", &k, &wc);
    assert_true(eth_addr_is_zero(wc.masks.dl_src));
    assert_memory_equal(&wc.masks.dl_dst, mac("01:00:00:00:00:00").ea, 6);

    /* Single hex digits are accepted. */
    parse_ok("eth(src=0:1:2:a:b:c)", &k, &wc);
    assert_memory_equal(&k.dl_src, mac("00:01:02:0a:0b:0c").ea, 6);
}

static void
test_parse_eth_type(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x86dd)", &k, &wc);
    assert_int_equal(ntohs(k.dl_type), 0x86dd);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    parse_ok("eth_type(0x0800/0xff00)", &k, &wc);
    assert_int_equal(ntohs(k.dl_type), 0x0800);
    assert_int_equal(ntohs(wc.masks.dl_type), 0xff00);
}

static void
test_parse_vlan(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800))", &k,
             &wc);
    assert_int_equal(ntohs(k.vlans[0].tpid), 0x8100);
    assert_int_equal(ntohs(k.vlans[0].tci), VLAN_CFI | 3 << 13 | 10);
    assert_int_equal(ntohs(wc.masks.vlans[0].tci), 0xffff);
    assert_int_equal(wc.masks.vlans[0].tpid, 0xffff);
    assert_int_equal(ntohs(k.dl_type), 0x0800);
    assert_int_equal(wc.masks.vlans[1].tci, 0);

    /* Masked VID and PCP, explicit cfi=0. */
    parse_ok("vlan(vid=10/0xff0,pcp=1/0x3,cfi=0)", &k, &wc);
    assert_int_equal(ntohs(k.vlans[0].tci), 1 << 13 | 10);
    assert_int_equal(ntohs(wc.masks.vlans[0].tci), VLAN_CFI | 3 << 13 | 0xff0);
    assert_int_equal(wc.masks.vlans[0].tpid, 0);
    assert_int_equal(wc.masks.dl_type, 0);

    /* vlan() alone: any tagged packet. */
    parse_ok("vlan()", &k, &wc);
    assert_int_equal(ntohs(k.vlans[0].tci), VLAN_CFI);
    assert_int_equal(ntohs(wc.masks.vlans[0].tci), VLAN_CFI);
}

static void
test_parse_qinq(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("in_port(1),eth_type(0x88a8),vlan(vid=100,pcp=0),"
             "encap(eth_type(0x8100),vlan(vid=20,pcp=1),"
             "encap(eth_type(0x0800),ipv4(proto=17)))",
             &k, &wc);
    assert_int_equal(ntohs(k.vlans[0].tpid), 0x88a8);
    assert_int_equal(ntohs(k.vlans[0].tci), VLAN_CFI | 100);
    assert_int_equal(ntohs(k.vlans[1].tpid), 0x8100);
    assert_int_equal(ntohs(k.vlans[1].tci), VLAN_CFI | 1 << 13 | 20);
    assert_int_equal(ntohs(k.dl_type), 0x0800);
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(wc.masks.nw_proto, 0xff);
}

static void
test_parse_mpls(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x8847),mpls(label=100,tc=3,ttl=64,bos=1)", &k, &wc);
    assert_int_equal(ntohl(k.mpls_lse[0]), 100 << 12 | 3 << 9 | 1 << 8 | 64);
    assert_int_equal(wc.masks.mpls_lse[0], UINT32_MAX);

    parse_ok("mpls(label=100/0xff,ttl=64)", &k, &wc);
    assert_int_equal(ntohl(k.mpls_lse[0]), 100 << 12 | 64);
    assert_int_equal(ntohl(wc.masks.mpls_lse[0]), 0xff << 12 | 0xff);

    parse_ok("mpls(lse0=0x64140,lse1=0x1/0xff)", &k, &wc);
    assert_int_equal(ntohl(k.mpls_lse[0]), 0x64140);
    assert_int_equal(ntohl(k.mpls_lse[1]), 1);
    assert_int_equal(ntohl(wc.masks.mpls_lse[1]), 0xff);
}

static void
test_parse_pbb(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x88e7),pbb(isid=100,uca=1)", &k, &wc);
    assert_int_equal(ntohs(k.dl_type), ETH_TYPE_PBB);
    assert_int_equal(ntohl(k.pbb_isid), 100);
    assert_int_equal(k.pbb_uca, 1);
    assert_int_equal(ntohl(wc.masks.pbb_isid), PBB_ISID_MASK);
    assert_int_equal(wc.masks.pbb_uca, 1);

    parse_ok("pbb(isid=0x12/0xff)", &k, &wc);
    assert_int_equal(ntohl(k.pbb_isid), 0x12);
    assert_int_equal(ntohl(wc.masks.pbb_isid), 0xff);
    assert_int_equal(wc.masks.pbb_uca, 0);

    check_key_round_trip("eth_type(0x88e7),pbb(isid=16777215,uca=0)", NULL);
    check_key_round_trip("eth_type(0x88e7),pbb(isid=5/0xf0f)", NULL);
    check_key_error("pbb(isid=16777216)", "isid");
    check_key_error("pbb(uca=2)", "uca");
}

static void
test_parse_ipv4(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,"
             "tos=0x4,ttl=64,frag=no)",
             &k, &wc);
    assert_int_equal(k.nw_src, ip4("10.0.0.1"));
    assert_int_equal(k.nw_dst, ip4("10.0.0.2"));
    assert_int_equal(k.nw_proto, 17);
    assert_int_equal(k.nw_tos, 4);
    assert_int_equal(k.nw_ttl, 64);
    assert_int_equal(k.nw_frag, 0);
    assert_int_equal(wc.masks.nw_src, UINT32_MAX);
    assert_int_equal(wc.masks.nw_frag, FLOW_NW_FRAG_MASK);

    parse_ok("ipv4(src=10.1.0.0/255.255.0.0,dst=192.168.1.7/24,tos=0x4/0xfc,"
             "frag=later)",
             &k, &wc);
    assert_int_equal(wc.masks.nw_src, ip4("255.255.0.0"));
    assert_int_equal(wc.masks.nw_dst, ip4("255.255.255.0"));
    assert_int_equal(k.nw_dst, ip4("192.168.1.7"));
    assert_int_equal(wc.masks.nw_tos, 0xfc);
    assert_int_equal(wc.masks.nw_proto, 0);
    assert_int_equal(k.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);

    parse_ok("ipv4(frag=first)", &k, &wc);
    assert_int_equal(k.nw_frag, FLOW_NW_FRAG_ANY);
    parse_ok("ipv4(frag=no/0x2,dst=1.2.3.4/0)", &k, &wc);
    assert_int_equal(k.nw_frag, 0);
    assert_int_equal(wc.masks.nw_frag, FLOW_NW_FRAG_LATER);
    assert_int_equal(wc.masks.nw_dst, 0);
}

static void
test_parse_ipv6(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x86dd),ipv6(src=2001:db8::1,dst=fe80::/ffff::,"
             "label=0x5,proto=58,tclass=0x10,hlimit=255,frag=no)",
             &k, &wc);
    struct in6_addr a = ip6("2001:db8::1");
    assert_memory_equal(&k.ipv6_src, &a, 16);
    a = ip6("ffff::");
    assert_memory_equal(&wc.masks.ipv6_dst, &a, 16);
    assert_int_equal(ntohl(k.ipv6_label), 5);
    assert_int_equal(ntohl(wc.masks.ipv6_label), 0xfffff);
    assert_int_equal(k.nw_proto, 58);
    assert_int_equal(k.nw_tos, 0x10);
    assert_int_equal(k.nw_ttl, 255);

    parse_ok("ipv6(src=2001:db8::/32,label=5/0xff)", &k, &wc);
    a = ip6("ffff:ffff::");
    assert_memory_equal(&wc.masks.ipv6_src, &a, 16);
    assert_int_equal(ntohl(wc.masks.ipv6_label), 0xff);
}

static void
test_parse_l4_ports(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("tcp(src=80,dst=1234/0xff00)", &k, &wc);
    assert_int_equal(ntohs(k.tp_src), 80);
    assert_int_equal(ntohs(k.tp_dst), 1234);
    assert_int_equal(wc.masks.tp_src, 0xffff);
    assert_int_equal(ntohs(wc.masks.tp_dst), 0xff00);
    parse_ok("udp(dst=53)", &k, &wc);
    assert_int_equal(ntohs(k.tp_dst), 53);
    assert_int_equal(wc.masks.tp_src, 0);
    parse_ok("sctp(src=0x10,dst=65535)", &k, &wc);
    assert_int_equal(ntohs(k.tp_src), 16);
    assert_int_equal(ntohs(k.tp_dst), 65535);
}

static void
test_parse_tcp_flags(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("tcp_flags(syn|ack)", &k, &wc);
    assert_int_equal(ntohs(k.tcp_flags), TCP_SYN | TCP_ACK);
    assert_int_equal(ntohs(wc.masks.tcp_flags), TCP_FLAGS_MASK);
    parse_ok("tcp_flags(+syn-ack)", &k, &wc);
    assert_int_equal(ntohs(k.tcp_flags), TCP_SYN);
    assert_int_equal(ntohs(wc.masks.tcp_flags), TCP_SYN | TCP_ACK);
    parse_ok("tcp_flags(0x012/0x0ff)", &k, &wc);
    assert_int_equal(ntohs(k.tcp_flags), 0x12);
    assert_int_equal(ntohs(wc.masks.tcp_flags), 0xff);
    parse_ok("tcp_flags(0)", &k, &wc);
    assert_int_equal(k.tcp_flags, 0);
    assert_int_equal(ntohs(wc.masks.tcp_flags), TCP_FLAGS_MASK);
    parse_ok("tcp_flags(fin|syn|rst|psh|ack|urg|ece|cwr|ns)", &k, &wc);
    assert_int_equal(ntohs(k.tcp_flags), 0x1ff);
}

static void
test_parse_icmp(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x0800),ipv4(proto=1),icmp(type=8,code=0/0xf)", &k,
             &wc);
    assert_int_equal(ntohs(k.tp_src), 8);
    assert_int_equal(k.tp_dst, 0);
    assert_int_equal(wc.masks.tp_src, 0xffff);
    assert_int_equal(ntohs(wc.masks.tp_dst), 0xf);
    parse_ok("icmpv6(type=135,code=0)", &k, &wc);
    assert_int_equal(ntohs(k.tp_src), 135);
}

static void
test_parse_arp(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("eth_type(0x0806),arp(sip=1.2.3.4,tip=5.6.7.8/255.255.0.0,op=2,"
             "sha=00:01:02:03:04:05,tha=00:00:00:00:00:00)",
             &k, &wc);
    assert_int_equal(k.nw_src, ip4("1.2.3.4"));
    assert_int_equal(k.nw_dst, ip4("5.6.7.8"));
    assert_int_equal(wc.masks.nw_dst, ip4("255.255.0.0"));
    assert_int_equal(k.nw_proto, 2);
    assert_int_equal(wc.masks.nw_proto, 0xff);
    assert_memory_equal(&k.arp_sha, mac("00:01:02:03:04:05").ea, 6);
    assert_memory_equal(&wc.masks.arp_tha, mac("ff:ff:ff:ff:ff:ff").ea, 6);
}

static void
test_parse_nd(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    parse_ok("nd(target=fe80::1,sll=00:01:02:03:04:05,tll=00:00:00:00:00:00/"
             "ff:00:00:00:00:00)",
             &k, &wc);
    struct in6_addr a = ip6("fe80::1");
    assert_memory_equal(&k.nd_target, &a, 16);
    assert_memory_equal(&k.arp_sha, mac("00:01:02:03:04:05").ea, 6);
    assert_memory_equal(&wc.masks.arp_tha, mac("ff:00:00:00:00:00").ea, 6);
}

static void
test_parse_whitespace(void **state)
{
    (void)state;
    struct flow k, k2;
    struct flow_wildcards wc, wc2;
    parse_ok(" in_port( 1 ) , eth_type(0x0800),\tipv4( src = 10.0.0.1 / 8 ,"
             "proto=6 ) , tcp(dst=80) ",
             &k, &wc);
    parse_ok("in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1/255.0.0.0,"
             "proto=6),tcp(dst=80)",
             &k2, &wc2);
    assert_memory_equal(&k, &k2, sizeof k);
    assert_memory_equal(&wc, &wc2, sizeof wc);
}

static void
test_format_exact(void **state)
{
    (void)state;
    struct flow k;
    memset(&k, 0, sizeof k);
    k.in_port = 1;
    k.dl_src = mac("00:01:02:03:04:05");
    k.dl_dst = mac("00:0a:0b:0c:0d:0e");
    k.dl_type = htons(ETH_TYPE_IP);
    k.nw_src = ip4("10.0.0.1");
    k.nw_dst = ip4("10.0.0.2");
    k.nw_proto = 17;
    k.nw_ttl = 64;
    k.tp_src = htons(1);
    k.tp_dst = htons(2);
    char *s = format_key(&k, NULL);
    assert_string_equal(
        s, "recirc_id(0),in_port(1),eth(src=00:01:02:03:04:05,"
           "dst=00:0a:0b:0c:0d:0e),eth_type(0x0800),ipv4(src=10.0.0.1,"
           "dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)");
    free(s);

    /* TCP adds tcp_flags; a later fragment has no L4; VLAN. */
    k.nw_proto = 6;
    k.tcp_flags = htons(TCP_SYN);
    k.vlans[0].tpid = htons(ETH_TYPE_VLAN_8021Q);
    k.vlans[0].tci = htons(VLAN_CFI | 5);
    k.recirc_id = 2;
    k.pkt_mark = 7;
    s = format_key(&k, NULL);
    assert_string_equal(
        s, "skb_mark(0x7),recirc_id(0x2),in_port(1),"
           "eth(src=00:01:02:03:04:05,dst=00:0a:0b:0c:0d:0e),"
           "eth_type(0x8100),vlan(vid=5,pcp=0),encap(eth_type(0x0800),"
           "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),"
           "tcp(src=1,dst=2),tcp_flags(syn))");
    free(s);
    k.nw_frag = FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
    s = format_key(&k, NULL);
    assert_non_null(strstr(s, "frag=later))"));
    assert_null(strstr(s, "tcp"));
    free(s);
}

static void
test_format_masked(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    memset(&k, 0, sizeof k);
    flow_wildcards_init_catchall(&wc);
    k.dl_type = htons(ETH_TYPE_IP);
    wc.masks.dl_type = UINT16_MAX;
    k.nw_src = ip4("10.0.0.0");
    wc.masks.nw_src = ip4("255.255.255.0");
    k.nw_proto = 6;
    wc.masks.nw_proto = 0xff;
    wc.masks.nw_frag = FLOW_NW_FRAG_MASK;
    k.tp_dst = htons(80);
    wc.masks.tp_dst = htons(0xfff0);
    char *s = format_key(&k, &wc);
    assert_string_equal(s, "eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,"
                           "proto=6,frag=no),tcp(dst=80/0xfff0)");
    free(s);

    /* Catch-all formats as nothing. */
    flow_wildcards_init_catchall(&wc);
    s = format_key(&k, &wc);
    assert_string_equal(s, "");
    free(s);
}

static void
test_format_leftover_fields(void **state)
{
    (void)state;
    /* Masks on fields the key's eth_type does not explain still print. */
    check_key_round_trip("eth_type(0x0800),ipv4(src=1.2.3.4),"
                         "ipv6(dst=::1),nd(target=::2)",
                         NULL);
    check_key_round_trip("udp(src=5)", "tcp(src=5)");
    check_key_round_trip("eth_type(0x0806),arp(op=1),tcp_flags(syn)", NULL);
}

static void
test_key_round_trip_table(void **state)
{
    (void)state;
    /* In the style of "ovs-appctl dpctl/dump-flows" output. */
    static const char *const flows[] = {
        "recirc_id(0),in_port(1),eth(src=00:01:02:03:04:05,"
        "dst=00:0a:0b:0c:0d:0e),eth_type(0x0800),ipv4(src=10.0.0.1,"
        "dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)",
        "skb_mark(0x5/0xff),recirc_id(0x1),dp_hash(0x12/0xff),in_port(2),"
        "eth(src=00:01:02:03:04:05/ff:ff:ff:00:00:00),eth_type(0x0800),"
        "ipv4(src=10.0.0.0/255.255.255.0,proto=6,tos=0x4/0xfc,frag=no),"
        "tcp(src=80/0xff00),tcp_flags(syn|ack)",
        "recirc_id(0),in_port(1),eth_type(0x86dd),ipv6(src=2001:db8::1,"
        "dst=fe80::/ffff::,label=0x5,proto=58,tclass=0x10,hlimit=255,"
        "frag=no),icmpv6(type=135,code=0),nd(target=fe80::1,"
        "sll=00:01:02:03:04:05,tll=00:00:00:00:00:00)",
        "recirc_id(0),in_port(3),eth_type(0x0806),arp(sip=1.2.3.4,"
        "tip=5.6.7.8,op=1,sha=00:01:02:03:04:05,tha=00:00:00:00:00:00)",
        "recirc_id(0),in_port(3),eth_type(0x8847),mpls(label=100,tc=3,"
        "ttl=64,bos=1)",
        "recirc_id(0),in_port(11),eth(src=00:00:00:00:00:01,"
        "dst=00:00:00:00:00:02),eth_type(0x8847),mpls(label=100/0xff,"
        "tc=3/0x1,ttl=64,bos=1)",
        "recirc_id(0),in_port(4),eth(src=00:00:00:00:00:01,"
        "dst=00:00:00:00:00:02),eth_type(0x8100),vlan(vid=10/0xff0,"
        "pcp=1/0x3),encap(eth_type(0x0800),ipv4(frag=no))",
        "recirc_id(0),in_port(13),eth(src=00:00:00:00:00:01,"
        "dst=00:00:00:00:00:02),eth_type(0x8100),vlan(vid=10),"
        "encap(eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80))",
        "in_port(1),eth_type(0x88a8),vlan(vid=100,pcp=0),encap("
        "eth_type(0x8100),vlan(vid=20,pcp=1),encap(eth_type(0x0800),"
        "ipv4(proto=17,frag=first)))",
        "recirc_id(0),in_port(8),eth(src=00:00:00:00:00:01,"
        "dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(proto=1,frag=no),"
        "icmp(type=8,code=0/0xf)",
        "recirc_id(0),in_port(5),eth_type(0x0800),ipv4(proto=6,frag=no),"
        "tcp_flags(+syn-ack)",
        "recirc_id(0),in_port(15),eth_type(0x0800),ipv4(proto=6,frag=no),"
        "tcp_flags(-fin+rst)",
        "recirc_id(0),in_port(7),eth_type(0x0800),ipv4(proto=6,frag=no),"
        "tcp_flags(0)",
        "recirc_id(0),in_port(9),eth_type(0x0800),ipv4(proto=132,frag=no),"
        "sctp(src=1,dst=2/0xf)",
        "recirc_id(0),in_port(16),eth_type(0x0800),ipv4(tos=0x4,ttl=5,"
        "frag=first)",
        "recirc_id(0),in_port(2),eth_type(0x0800),ipv4(proto=17,"
        "frag=no/0x2),udp(dst=53)",
        "eth_type(0x8847),mpls(lse0=0x64000,lse1=0x65140)",
        "eth_type(0x8100),vlan(vid=10,cfi=0),encap(eth_type(0x0800))",
        "eth_type(0x8100),vlan(pcp=5)",
        "vlan()",
        "eth(dst=01:00:00:00:00:00/01:00:00:00:00:00)",
        "eth_type(0x0800/0xff00)",
        "eth_type(0x0800),ipv4(dst=10.0.0.0/255.0.255.0)",
        "eth_type(0x86dd),ipv6(label=0x5/0xff,frag=first/0x1)",
        "eth_type(0x0800),ipv4(proto=6),tcp_flags(0x800/0x800)",
        "in_port(4294967295)",
    };
    for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
        check_key_round_trip(flows[i], NULL);
    }
}

static void
test_key_round_trip_normalises(void **state)
{
    (void)state;
    /* Other spellings come back in ovs-dpctl's form and order. */
    check_key_round_trip("ipv4(src=10.0.0.1/24),in_port(1),eth_type(0x800)",
                         "in_port(1),eth_type(0x0800),"
                         "ipv4(src=10.0.0.1/255.255.255.0)");
    check_key_round_trip("ipv6(src=2001:DB8:0:0::1/64)",
                         "ipv6(src=2001:db8::1/ffff:ffff:ffff:ffff::)");
    check_key_round_trip("tcp_flags(0x12)", "tcp_flags(syn|ack)");
    check_key_round_trip("tcp_flags(0x2/0x12)", "tcp_flags(+syn-ack)");
    check_key_round_trip("eth(src=0:1:2:3:4:5)", "eth(src=00:01:02:03:04:05)");
    check_key_round_trip("ipv4(frag=1)", "ipv4(frag=first)");
    check_key_round_trip("mpls(lse0=0x64140)",
                         "mpls(label=100,tc=0,ttl=64,bos=1)");
}

/* Fills 'p' with 'n' pseudo-random bytes from '*seed'. */
static void
random_bytes(void *p, size_t n, uint32_t *seed)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 1103515245 + 12345;
        b[i] = (uint8_t)(*seed >> 16);
    }
}

static void
test_key_round_trip_random(void **state)
{
    (void)state;
    /* Random masks with the key zero outside them: every field must print
     * and parse back.  Some fields have no text form outside their
     * declared bits, so those bits are cleared. */
    uint32_t seed = 42;
    for (int iter = 0; iter < 2000; iter++) {
        struct flow k, k2;
        struct flow_wildcards wc, wc2;
        random_bytes(&k, sizeof k, &seed);
        random_bytes(&wc.masks, sizeof wc.masks, &seed);
        /* Thin the mask out so that groups are partly masked. */
        uint64_t *w = flow_u64_rw(&wc.masks);
        for (size_t i = 0; i < FLOW_U64S; i++) {
            uint32_t r;
            random_bytes(&r, sizeof r, &seed);
            if (r % 3) {
                w[i] = 0;
            }
        }
        wc.masks.in_port = wc.masks.in_port ? UINT32_MAX : 0;
        memset(wc.masks.pad1, 0, sizeof wc.masks.pad1);
        memset(wc.masks.pad2, 0, sizeof wc.masks.pad2);
        memset(wc.masks.pad3, 0, sizeof wc.masks.pad3);
        /* OpenFlow metadata has no datapath syntax. */
        memset(wc.masks.metadata, 0, sizeof wc.masks.metadata);
        /* Nor do the pipeline registers and the tunnel id (no tunnels). */
        memset(wc.masks.regs, 0, sizeof wc.masks.regs);
        memset(wc.masks.tun_id, 0, sizeof wc.masks.tun_id);
        memset(wc.masks.pad4, 0, sizeof wc.masks.pad4);
        /* The PBB fields are the I-SID's 24 bits and the UCA bit. */
        wc.masks.pbb_isid &= htonl(PBB_ISID_MASK);
        wc.masks.pbb_uca &= 1;
        wc.masks.ipv6_label &= htonl(IPV6_LABEL_MASK);
        wc.masks.nw_frag &= FLOW_NW_FRAG_MASK;
        wc.masks.tcp_flags &= htons(TCP_FLAGS_MASK);
        flow_apply_mask(&k, &k, &wc);
        /* ICMP types have 8 bits of value; keep tp_* small when the key's
         * nw_proto would print them as ICMP. */
        k.tp_src &= htons(0xff);
        k.tp_dst &= htons(0xff);

        char *s = format_key(&k, &wc);
        char *error = odp_flow_from_string(s, &k2, &wc2);
        if (error) {
            fail_msg("iteration %d: \"%s\": %s", iter, s, error);
        }
        if (memcmp(&wc, &wc2, sizeof wc) || memcmp(&k, &k2, sizeof k)) {
            fail_msg("iteration %d: \"%s\" does not round-trip", iter, s);
        }
        free(s);
    }
}

static void
test_key_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *fragment;
    } bad[] = {
        {"foo(1)", "unknown attribute 'foo'"},
        {"ipv4(bar=1)", "unknown field 'bar'"},
        {"in_port(x)", "bad value for in_port"},
        {"in_port(1/0xff)", "does not take a mask"},
        {"in_port(4294967296)", "bad value"},
        {"in_port(-1)", "bad value"},
        {"ipv4(ttl=256)", "bad value for ipv4.ttl"},
        {"ipv4(src=10.0.0.256)", "bad value for ipv4.src"},
        {"ipv4(src=10.0.0.1/33)", "bad value"},
        {"ipv4(frag=maybe)", "bad value for ipv4.frag"},
        {"ipv4(frag=no/0x4)", "bad value"},
        {"ipv6(src=1:2:3)", "bad value"},
        {"ipv6(src=::1/129)", "bad value"},
        {"eth(src=00:01:02:03:04)", "bad value for eth.src"},
        {"eth(src=00:01:02:03:04:05:06)", "bad value"},
        {"eth(src=000:01:02:03:04:05)", "bad value"},
        {"vlan(vid=4096)", "bad value for vlan.vid"},
        {"vlan(pcp=8)", "bad value"},
        {"mpls(label=1048576)", "bad value"},
        {"icmp(type=256)", "bad value"},
        {"tcp(src=65536)", "bad value"},
        {"tcp_flags(syn|foo)", "bad value"},
        {"tcp_flags(syn|)", "bad value"},
        {"tcp_flags(+syn+syn)", "bad value"},
        {"tcp_flags(+syn/0x2)", "bad value"},
        {"tcp_flags(0x1000)", "bad value"},
        {"in_port(1", "expected ')'"},
        {"in_port(1))", "unexpected text"},
        {"in_port(1),", "expected a name"},
        {"in_port 1", "expected '('"},
        {"ipv4(src=1.2.3.4", "expected ')'"},
        {"ipv4(src=1.2.3.4,)", "expected a name"},
        {"eth_type(0x8100),vlan(vid=1),encap(eth_type(0x800)", "expected ')'"},
        {"in_port(1) x", "unexpected text"},
        {"in_port(1)garbage", "unexpected text"},
        {"in_port()", "missing value"},
        {"ipv4(src=)", "missing value"},
        {"ipv4(src)", "expected '='"},
        {"ipv4(src=1.2.3.4/)", "missing value"},
        {"in_port(1),in_port(2)", "duplicate field in_port"},
        {"ipv4(src=1.2.3.4,src=1.2.3.5)", "duplicate field ipv4.src"},
        {"ipv4(proto=6),ipv6(proto=6)", "duplicate field ipv6.proto"},
        {"ipv4(src=1.2.3.4),arp(sip=1.2.3.4)", "duplicate field arp.sip"},
        {"eth_type(0x800),eth_type(0x800)", "duplicate eth_type"},
        {"vlan(vid=1),vlan(vid=2)", "duplicate vlan"},
        {"vlan(),encap(),encap()", "duplicate encap"},
        {"encap(eth_type(0x800))", "encap() without a vlan()"},
        {"vlan(),encap(vlan(),encap(vlan()))", "more than 2 VLAN headers"},
        {"ipv4(src="
         "1234567890123456789012345678901234567890"
         "1234567890123456789012345678901234567890)",
         "too long"},
        {"averyveryveryveryveryverylongattributename(1)", "name too long"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        check_key_error(bad[i].s, bad[i].fragment);
    }
}

static void
test_key_error_position(void **state)
{
    (void)state;
    struct flow k;
    struct flow_wildcards wc;
    char *error = odp_flow_from_string("in_port(1),ipv4(ttl=300)", &k, &wc);
    assert_non_null(error);
    assert_non_null(strstr(error, "offset 20"));
    assert_non_null(strstr(error, "\"300)\""));
    free(error);
}

static void
test_overlong_input(void **state)
{
    (void)state;
    size_t n = ODP_MAX_INPUT_LEN + 10;
    char *s = xmalloc(n + 1);
    memset(s, ' ', n);
    memcpy(s, "in_port(1)", 10);
    s[n] = '\0';
    struct flow k;
    struct flow_wildcards wc;
    char *error = odp_flow_from_string(s, &k, &wc);
    assert_non_null(error);
    assert_non_null(strstr(error, "longer than"));
    free(error);

    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    memcpy(s, "1,2,3,4,5,", 10);
    error = odp_actions_from_string(s, &b);
    assert_non_null(error);
    assert_int_equal(b.size, 0);
    free(error);
    dp_actions_buf_uninit(&b);

    /* Just under the limit is fine (white space is allowed). */
    s[ODP_MAX_INPUT_LEN] = '\0';
    memcpy(s, "in_port(1)", 10);
    parse_ok(s, &k, &wc);
    assert_int_equal(k.in_port, 1);
    free(s);
}

/* Actions. */

/* Parses 's' (must be valid) into 'b' (initialised here). */
static void
actions_ok(const char *s, struct dp_actions_buf *b)
{
    dp_actions_buf_init(b);
    char *error = odp_actions_from_string(s, b);
    if (error) {
        fail_msg("\"%s\": %s", s, error);
    }
    assert_int_equal(dp_actions_validate(b->data, b->size), 0);
}

static char *
format_actions(const void *data, size_t size)
{
    struct ds ds = DS_EMPTY;
    odp_actions_format(data, size, &ds);
    return ds_steal_cstr(&ds);
}

/* Checks that 's' parses, formats as 'expect' (NULL: 's') and parses back
 * to the same bytes. */
static void
check_actions_round_trip(const char *s, const char *expect)
{
    struct dp_actions_buf b, b2;
    actions_ok(s, &b);
    char *text = format_actions(b.data, b.size);
    assert_string_equal(text, expect ? expect : s);
    actions_ok(text, &b2);
    assert_int_equal(b.size, b2.size);
    if (b.size) {
        assert_memory_equal(b.data, b2.data, b.size);
    }
    free(text);
    dp_actions_buf_uninit(&b);
    dp_actions_buf_uninit(&b2);
}

static void
check_actions_error(const char *s, const char *fragment)
{
    struct dp_actions_buf b;
    dp_actions_buf_init(&b);
    struct dpa_output o = {.port = 9};
    dp_actions_put(&b, DPA_OUTPUT, &o, sizeof o);
    char *error = odp_actions_from_string(s, &b);
    if (!error) {
        fail_msg("\"%s\" parsed without error", s);
    }
    if (fragment && !strstr(error, fragment)) {
        fail_msg("\"%s\": error \"%s\" lacks \"%s\"", s, error, fragment);
    }
    /* What was in the buffer before is kept, nothing more. */
    assert_int_equal(b.size, 8);
    free(error);
    dp_actions_buf_uninit(&b);
}

/* Returns the 'n'th action of 'b' (0-based). */
static const struct dp_action *
nth_action(const struct dp_actions_buf *b, int n)
{
    DP_ACTIONS_FOR_EACH(a, b->data, b->size)
    {
        if (!n--) {
            return a;
        }
    }
    fail_msg("no action %d", n);
    return NULL;
}

static void
test_actions_output_drop(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("2,3", &b);
    assert_int_equal(b.size, 16);
    const struct dpa_output *o = dp_action_payload(nth_action(&b, 1));
    assert_int_equal(o->port, 3);
    dp_actions_buf_uninit(&b);

    actions_ok("drop", &b);
    assert_int_equal(b.size, 0);
    dp_actions_buf_uninit(&b);

    char *s = format_actions(NULL, 0);
    assert_string_equal(s, "drop");
    free(s);
}

static void
test_actions_userspace(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("userspace(pid=5,userdata(0102030405))", &b);
    const struct dp_action *a = nth_action(&b, 0);
    assert_int_equal(a->type, DPA_USERSPACE);
    assert_int_equal(a->len, 4 + 8 + 8);
    const struct dpa_userspace *us = dp_action_payload(a);
    assert_int_equal(us->pid, 5);
    assert_int_equal(us->userdata_len, 5);
    assert_memory_equal(us + 1, "\1\2\3\4\5", 5);
    dp_actions_buf_uninit(&b);

    check_actions_round_trip("userspace(pid=4294967295)", NULL);
    check_actions_round_trip("userspace(pid=1,userdata(00ff))", NULL);
    check_actions_round_trip("userspace(pid=1,userdata())",
                             "userspace(pid=1)");
}

static void
test_actions_set(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("set(ipv4(src=10.0.0.1/255.255.255.0,ttl=63)),"
               "set(eth(dst=00:00:00:00:00:01))",
               &b);
    const struct dp_action *a = nth_action(&b, 0);
    assert_int_equal(a->type, DPA_SET_MASKED);
    assert_int_equal(dp_action_payload_len(a), sizeof(struct dpa_set));
    const struct dpa_set *set = dp_action_payload(a);
    assert_int_equal(set->value.nw_src, ip4("10.0.0.1"));
    assert_int_equal(set->mask.nw_src, ip4("255.255.255.0"));
    assert_int_equal(set->value.nw_ttl, 63);
    assert_int_equal(set->mask.nw_ttl, 0xff);
    assert_int_equal(set->mask.nw_tos, 0);
    assert_int_equal(set->mask.dl_type, 0);
    set = dp_action_payload(nth_action(&b, 1));
    assert_memory_equal(&set->value.dl_dst, mac("00:00:00:00:00:01").ea, 6);
    assert_memory_equal(&set->mask.dl_dst, mac("ff:ff:ff:ff:ff:ff").ea, 6);
    assert_true(eth_addr_is_zero(set->mask.dl_src));
    dp_actions_buf_uninit(&b);

    actions_ok("set(skb_mark(0x5/0xf))", &b);
    set = dp_action_payload(nth_action(&b, 0));
    assert_int_equal(set->value.pkt_mark, 5);
    assert_int_equal(set->mask.pkt_mark, 0xf);
    dp_actions_buf_uninit(&b);

    actions_ok("set(mpls(label=5)),set(vlan(vid=7,pcp=2))", &b);
    set = dp_action_payload(nth_action(&b, 0));
    assert_int_equal(ntohl(set->value.mpls_lse[0]), 5 << 12);
    assert_int_equal(ntohl(set->mask.mpls_lse[0]), MPLS_LABEL_MASK);
    set = dp_action_payload(nth_action(&b, 1));
    assert_int_equal(ntohs(set->value.vlans[0].tci), 2 << 13 | 7);
    assert_int_equal(ntohs(set->mask.vlans[0].tci), 0xefff);
    dp_actions_buf_uninit(&b);
}

static void
test_actions_set_names_header(void **state)
{
    (void)state;
    /* tcp, udp and sctp rewrite the same fields but print back as
     * written. */
    check_actions_round_trip("set(udp(dst=6/0xff)),set(sctp(src=1)),"
                             "set(tcp(src=5))",
                             NULL);
    check_actions_round_trip("set(ipv6(src=::1,label=0x7)),"
                             "set(nd(target=::2)),3",
                             NULL);
    check_actions_round_trip("set(arp(op=2)),set(ipv6(tclass=0x10,"
                             "hlimit=3))",
                             NULL);
    check_actions_round_trip("set(eth(src=00:00:00:00:00:01/"
                             "01:00:00:00:00:00),ipv4(tos=0x4/0xfc),"
                             "udp(src=53))",
                             NULL);
}

static void
test_actions_vlan_mpls(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("push_vlan(vid=10,pcp=3),push_vlan(tpid=0x88a8,vid=5,pcp=0),"
               "pop_vlan,push_mpls(label=100,tc=3,ttl=64,bos=1,"
               "eth_type=0x8847),pop_mpls(eth_type=0x800)",
               &b);
    const struct dpa_push_vlan *pv = dp_action_payload(nth_action(&b, 0));
    assert_int_equal(ntohs(pv->tpid), 0x8100);
    assert_int_equal(ntohs(pv->tci), VLAN_CFI | 3 << 13 | 10);
    pv = dp_action_payload(nth_action(&b, 1));
    assert_int_equal(ntohs(pv->tpid), 0x88a8);
    assert_int_equal(nth_action(&b, 2)->type, DPA_POP_VLAN);
    assert_int_equal(nth_action(&b, 2)->len, 4);
    const struct dpa_push_mpls *pm = dp_action_payload(nth_action(&b, 3));
    assert_int_equal(ntohl(pm->lse), 100 << 12 | 3 << 9 | 1 << 8 | 64);
    assert_int_equal(ntohs(pm->ethertype), 0x8847);
    const struct dpa_pop_mpls *pop = dp_action_payload(nth_action(&b, 4));
    assert_int_equal(ntohs(pop->ethertype), 0x0800);
    dp_actions_buf_uninit(&b);
}

static void
test_actions_pbb(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("push_pbb(isid=100,uca=1),pop_pbb,set(pbb(isid=7/0xf))", &b);
    const struct dp_action *a = nth_action(&b, 0);
    assert_int_equal(a->type, DPA_PUSH_PBB);
    const struct dpa_push_pbb *pp = dp_action_payload(a);
    assert_int_equal(ntohl(pp->itag), PBB_UCA_MASK | 100);
    assert_int_equal(nth_action(&b, 1)->type, DPA_POP_PBB);
    assert_int_equal(nth_action(&b, 1)->len, 4);
    const struct dpa_set *set = dp_action_payload(nth_action(&b, 2));
    assert_int_equal(ntohl(set->value.pbb_isid), 7);
    assert_int_equal(ntohl(set->mask.pbb_isid), 0xf);
    assert_int_equal(ntohs(set->value.dl_type), ETH_TYPE_PBB);
    dp_actions_buf_uninit(&b);

    check_actions_round_trip("push_pbb(isid=16777215,pcp=7,dei=1,uca=1),"
                             "pop_pbb,2",
                             NULL);
    check_actions_round_trip("push_pbb(uca=0,isid=0)", "push_pbb(isid=0)");
    check_actions_round_trip("set(pbb(isid=9,uca=1))", NULL);
    check_actions_error("push_pbb(uca=1)", "isid");
    check_actions_error("push_pbb(isid=16777216)", "isid");
}

static void
test_actions_copy_ttl(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("push_mpls(label=5,tc=0,ttl=64,bos=1,eth_type=0x8847),"
               "copy_ttl_out,copy_ttl_in,1",
               &b);
    assert_int_equal(nth_action(&b, 1)->type, DPA_COPY_TTL_OUT);
    assert_int_equal(nth_action(&b, 1)->len, 4);
    assert_int_equal(nth_action(&b, 2)->type, DPA_COPY_TTL_IN);
    assert_int_equal(nth_action(&b, 2)->len, 4);
    assert_int_equal(nth_action(&b, 3)->type, DPA_OUTPUT);
    dp_actions_buf_uninit(&b);

    check_actions_round_trip("copy_ttl_in", NULL);
    check_actions_round_trip("copy_ttl_out,pop_mpls(eth_type=0x800),2", NULL);
    check_actions_round_trip("dec_ttl(le_1(copy_ttl_in)),copy_ttl_out", NULL);
    check_actions_error("copy_ttl_in(1)", "unexpected text");
    check_actions_error("copy_ttl", "unknown action");

    /* A payload makes the encoded action invalid. */
    uint32_t pad = 0;
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_COPY_TTL_OUT, &pad, sizeof pad);
    assert_int_equal(dp_actions_validate(b.data, b.size), EINVAL);
    dp_actions_buf_uninit(&b);
}

static void
test_actions_dec_ttl_recirc(void **state)
{
    (void)state;
    struct dp_actions_buf b;
    actions_ok("dec_ttl(le_1(userspace(pid=1),2)),recirc(0x10)", &b);
    const struct dp_action *a = nth_action(&b, 0);
    assert_int_equal(a->type, DPA_DEC_TTL);
    assert_int_equal(a->len, 4 + 12 + 8);
    const struct dpa_recirc *r = dp_action_payload(nth_action(&b, 1));
    assert_int_equal(r->recirc_id, 16);
    dp_actions_buf_uninit(&b);

    actions_ok("dec_ttl", &b);
    assert_int_equal(b.size, 4);
    dp_actions_buf_uninit(&b);
    check_actions_round_trip("dec_ttl(le_1(drop))", "dec_ttl");
    check_actions_round_trip("dec_ttl(le_1(dec_ttl(le_1(dec_ttl(le_1("
                             "dec_ttl(le_1(1))))))))",
                             NULL);
    check_actions_error("dec_ttl(le_1(dec_ttl(le_1(dec_ttl(le_1(dec_ttl("
                        "le_1(dec_ttl))))))))",
                        "nested more than 4");
}

static void
test_actions_round_trip_table(void **state)
{
    (void)state;
    static const char *const acts[] = {
        "2",
        "drop",
        "1,2,3,4294967295",
        "set(ipv4(src=10.0.0.1/255.255.255.0,ttl=63)),"
        "set(eth(dst=00:00:00:00:00:01)),push_vlan(vid=10,pcp=3),"
        "recirc(0x1),userspace(pid=5,userdata(01020304)),pop_vlan,2",
        "set(ipv4(tos=0x4/0xfc)),set(tcp(src=80)),userspace(pid=4294967295)",
        "set(mpls(label=5)),set(skb_mark(0x5)),recirc(0)",
        "push_mpls(label=100,tc=3,ttl=64,bos=1,eth_type=0x8847),"
        "pop_mpls(eth_type=0x800),push_vlan(tpid=0x88a8,vid=5,pcp=0)",
        "push_mpls(label=1048575,tc=7,ttl=255,bos=0,eth_type=0x8848)",
        "push_vlan(vid=4095,pcp=7,cfi=0)",
        "dec_ttl(le_1(userspace(pid=3))),1",
        "set(arp(sip=1.2.3.4,tip=5.6.7.8,op=2,sha=00:01:02:03:04:05,"
        "tha=00:00:00:00:00:00))",
        "set(mpls(label=5,tc=1/0x1))",
        "set(vlan(vid=5,pcp=1))",
        "set(ipv6(src=2001:db8::/ffff:ffff::,dst=::1,label=0x1/0xf,"
        "tclass=0x2,hlimit=1))",
        "set(skb_mark(0x1),eth(src=00:00:00:00:00:02))",
    };
    for (size_t i = 0; i < ARRAY_SIZE(acts); i++) {
        check_actions_round_trip(acts[i], NULL);
    }
    /* Other spellings. */
    check_actions_round_trip("push_vlan(tpid=0x8100,vid=1)",
                             "push_vlan(vid=1,pcp=0)");
    check_actions_round_trip(" 1 , 2 ", "1,2");
    check_actions_round_trip("recirc(16)", "recirc(0x10)");
    check_actions_round_trip("pop_mpls(eth_type=2048)",
                             "pop_mpls(eth_type=0x800)");
}

static void
test_actions_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *fragment;
    } bad[] = {
        {"", "missing action"},
        {"   ", "missing action"},
        {"frobnicate", "unknown action 'frobnicate'"},
        {"1,drop", "drop must be the only action"},
        {"drop,1", "drop must be the only action"},
        {"1,", "expected a name"},
        {"1,,2", "expected a name"},
        {"4294967296", "bad port number"},
        {"1x", "bad port number"},
        {"1 2", "unexpected text"},
        {"2)", "unexpected text"},
        {"userspace", "expected '('"},
        {"userspace(5)", "needs pid="},
        {"userspace(pid=)", "missing value for pid"},
        {"userspace(pid=1,userdata(0g))", "bad hex"},
        {"userspace(pid=1,userdata(012))", "bad hex"},
        {"userspace(pid=1,cookie(01))", "unknown argument"},
        {"userspace(pid=1", "expected ')'"},
        {"set()", "needs a header"},
        {"set(ipv4())", "sets nothing"},
        {"set(ipv4(proto=6))", "ipv4.proto cannot be set"},
        {"set(ipv4(frag=no))", "cannot be set"},
        {"set(in_port(1))", "in_port cannot be set"},
        {"set(eth_type(0x800))", "eth_type cannot be set"},
        {"set(tcp_flags(syn))", "cannot be set"},
        {"set(icmp(type=1))", "cannot be set"},
        {"set(nd(sll=00:00:00:00:00:01))", "nd.sll cannot be set"},
        {"set(vlan(cfi=1))", "cannot be set"},
        {"set(eth(src=00:00:00:00:00:01,src=00:00:00:00:00:02))", "duplicate"},
        {"set(foo(x=1))", "unknown attribute"},
        {"set(ipv4(ttl=300))", "bad value"},
        {"set(ipv4(ttl=3)", "expected ')'"},
        {"push_vlan(pcp=1)", "push_vlan() needs vid="},
        {"push_vlan(vid=4096)", "bad value for vid"},
        {"push_vlan(vid=1,vid=2)", "duplicate argument 'vid'"},
        {"push_vlan(vid=1,tpid=0x800)", "tpid must be"},
        {"push_vlan(vid=1,color=2)", "unknown argument 'color'"},
        {"push_mpls(label=1,tc=0,ttl=1,bos=1)", "needs eth_type="},
        {"push_mpls(label=1,tc=0,ttl=1,bos=1,eth_type=0x800)",
         "eth_type must be"},
        {"push_mpls(label=1048576,tc=0,ttl=1,bos=1,eth_type=0x8847)",
         "bad value for label"},
        {"pop_mpls", "expected '('"},
        {"pop_mpls()", "needs eth_type="},
        {"dec_ttl(1)", "expected le_1"},
        {"dec_ttl(ge_1(1))", "expected le_1"},
        {"dec_ttl(le_1(1)", "expected ')'"},
        {"dec_ttl(le_1())", "missing action"},
        {"recirc()", "missing value"},
        {"recirc(0x100000000)", "bad recirculation id"},
        {"pop_vlan(1)", "unexpected text"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        check_actions_error(bad[i].s, bad[i].fragment);
    }
}

static void
test_actions_too_long(void **state)
{
    (void)state;
    /* 8 bytes per output: DP_ACTIONS_MAX_LEN / 8 fit, one more does not. */
    struct ds ds = DS_EMPTY;
    for (int i = 0; i < DP_ACTIONS_MAX_LEN / 8; i++) {
        ds_put_format(&ds, "%s%d", i ? "," : "", i);
    }
    struct dp_actions_buf b;
    actions_ok(ds_cstr(&ds), &b);
    assert_int_equal(b.size, DP_ACTIONS_MAX_LEN);
    dp_actions_buf_uninit(&b);
    ds_put_cstr(&ds, ",1");
    check_actions_error(ds_cstr(&ds), "longer than 8192 bytes");
    ds_destroy(&ds);

    /* Userdata too big for one action. */
    ds_init(&ds);
    ds_put_cstr(&ds, "userspace(pid=1,userdata(");
    for (int i = 0; i < 5000; i++) {
        ds_put_cstr(&ds, "ab");
    }
    ds_put_cstr(&ds, "))");
    check_actions_error(ds_cstr(&ds), "userdata longer than");
    ds_destroy(&ds);
}

static void
test_actions_format_invalid(void **state)
{
    (void)state;
    /* The formatter survives malformed encodings. */
    uint32_t words[4];
    struct dp_action hdr = {.type = DPA_OUTPUT, .len = 8};
    memcpy(&words[0], &hdr, sizeof hdr);
    words[1] = 7;
    hdr.len = 40; /* Past the end. */
    memcpy(&words[2], &hdr, sizeof hdr);
    char *s = format_actions(words, 12);
    assert_string_equal(s, "7,<invalid: type 1, len 40>");
    free(s);

    hdr.type = 99;
    hdr.len = 8;
    memcpy(&words[2], &hdr, sizeof hdr);
    s = format_actions(words, 16);
    assert_string_equal(s, "7,<invalid: type 99, len 8>");
    free(s);

    s = format_actions(words, 10);
    assert_string_equal(s, "7,<invalid: 2 trailing bytes>");
    free(s);

    hdr.type = DPA_OUTPUT;
    hdr.len = 4; /* No payload: wrong size. */
    memcpy(&words[0], &hdr, sizeof hdr);
    s = format_actions(words, 4);
    assert_string_equal(s, "<invalid: type 1, len 4>");
    free(s);
}

static void
test_mutated_input(void **state)
{
    (void)state;
    /* Damaged versions of valid text never crash the parsers, and whatever
     * they accept still round-trips. */
    static const char *const seeds[] = {
        "skb_mark(0x5/0xff),recirc_id(0x1),in_port(2),eth(src=00:01:02:03:"
        "04:05/ff:ff:ff:00:00:00),eth_type(0x8100),vlan(vid=5,pcp=1),"
        "encap(eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,proto=6,"
        "tos=0x4/0xfc,frag=no),tcp(src=80/0xff00),tcp_flags(+syn-ack))",
        "set(ipv4(src=10.0.0.1/255.255.255.0,ttl=63)),push_vlan(vid=10,"
        "pcp=3),dec_ttl(le_1(userspace(pid=5,userdata(0102)))),"
        "push_mpls(label=1,tc=0,ttl=1,bos=1,eth_type=0x8847),recirc(0x1),2",
    };
    static const char junk[] = "(),=/:.x0+-| 9f";
    uint32_t seed = 7;
    for (int iter = 0; iter < 3000; iter++) {
        const char *seed_text = seeds[iter % 2];
        char buf[512];
        size_t n = strlen(seed_text);
        memcpy(buf, seed_text, n + 1);
        uint32_t r;
        for (int j = 0; j < 3; j++) {
            random_bytes(&r, sizeof r, &seed);
            size_t pos = r % n;
            random_bytes(&r, sizeof r, &seed);
            if (r % 4 == 0) {
                buf[pos] = '\0'; /* Truncate. */
                n = pos ? pos : 1;
                if (!pos) {
                    buf[0] = 'x';
                    buf[1] = '\0';
                }
            } else {
                buf[pos] = junk[r % (sizeof junk - 1)];
            }
        }

        struct flow k, k2;
        struct flow_wildcards wc, wc2;
        char *error = odp_flow_from_string(buf, &k, &wc);
        if (!error) {
            char *s = format_key(&k, &wc);
            parse_ok(s, &k2, &wc2);
            assert_memory_equal(&wc, &wc2, sizeof wc);
            free(s);
        }
        free(error);

        struct dp_actions_buf b;
        dp_actions_buf_init(&b);
        error = odp_actions_from_string(buf, &b);
        if (!error) {
            assert_int_equal(dp_actions_validate(b.data, b.size), 0);
            char *s = format_actions(b.data, b.size);
            struct dp_actions_buf b2;
            actions_ok(s, &b2);
            assert_int_equal(b.size, b2.size);
            if (b.size) {
                assert_memory_equal(b.data, b2.data, b.size);
            }
            dp_actions_buf_uninit(&b2);
            free(s);
        } else {
            assert_int_equal(b.size, 0);
        }
        free(error);
        dp_actions_buf_uninit(&b);
    }
}

/* Packets. */

static void
test_flow_to_packet(void **state)
{
    (void)state;
    uint8_t *data;
    size_t len;
    const char *desc = "in_port(1),eth(src=00:01:02:03:04:05,"
                       "dst=00:0a:0b:0c:0d:0e),eth_type(0x0800),"
                       "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),"
                       "udp(src=1,dst=2)";
    char *error = odp_flow_to_packet(desc, &data, &len);
    if (error) {
        fail_msg("%s", error);
    }
    assert_int_equal(len, 14 + 20 + 8);
    assert_memory_equal(data, mac("00:0a:0b:0c:0d:0e").ea, 6);
    assert_memory_equal(data + 6, mac("00:01:02:03:04:05").ea, 6);
    assert_int_equal(data[12], 0x08);
    assert_int_equal(data[13], 0x00);
    assert_int_equal(data[14] >> 4, 4);
    assert_int_equal(data[22], 64);
    assert_int_equal(data[23], 17);
    assert_memory_equal(data + 26, "\x0a\x00\x00\x01", 4);
    assert_int_equal(data[35], 1);
    assert_int_equal(data[37], 2);

    /* The packet extracts back to the flow it was built from. */
    struct flow k;
    struct flow_wildcards wc;
    parse_ok(desc, &k, &wc);
    struct flow_md md = {.in_port = 1};
    struct flow_key fk;
    flow_extract(data, len, &md, &fk, NULL);
    assert_true(flow_equal_except(&fk.flow, &k, &wc));
    free(data);

    /* A VLAN-tagged TCP packet. */
    error = odp_flow_to_packet("eth(src=00:00:00:00:00:01,"
                               "dst=00:00:00:00:00:02),eth_type(0x8100),"
                               "vlan(vid=7,pcp=1),encap(eth_type(0x0800),"
                               "ipv4(src=1.1.1.1,dst=2.2.2.2,proto=6,"
                               "ttl=1),tcp(src=80,dst=81))",
                               &data, &len);
    assert_null(error);
    assert_int_equal(len, 18 + 20 + 20);
    assert_int_equal(data[12], 0x81);
    assert_int_equal(data[15], 7);
    assert_int_equal(data[14] >> 5, 1);
    free(data);
}

static void
test_flow_to_packet_errors(void **state)
{
    (void)state;
    uint8_t *data = (uint8_t *)"x";
    size_t len = 99;
    char *error = odp_flow_to_packet("eth_type(0x0800),ipv4(src=1.2.3.4/24)",
                                     &data, &len);
    assert_non_null(error);
    assert_non_null(strstr(error, "masks are not allowed"));
    assert_null(data);
    assert_int_equal(len, 0);
    free(error);

    error = odp_flow_to_packet("eth_type(0x0800),ipv4(ttl=64", &data, &len);
    assert_non_null(error);
    free(error);
    error = odp_flow_to_packet("in_port(1) trailing", &data, &len);
    assert_non_null(error);
    assert_null(data);
    free(error);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_metadata),
        cmocka_unit_test(test_parse_eth),
        cmocka_unit_test(test_parse_eth_type),
        cmocka_unit_test(test_parse_vlan),
        cmocka_unit_test(test_parse_qinq),
        cmocka_unit_test(test_parse_mpls),
        cmocka_unit_test(test_parse_pbb),
        cmocka_unit_test(test_parse_ipv4),
        cmocka_unit_test(test_parse_ipv6),
        cmocka_unit_test(test_parse_l4_ports),
        cmocka_unit_test(test_parse_tcp_flags),
        cmocka_unit_test(test_parse_icmp),
        cmocka_unit_test(test_parse_arp),
        cmocka_unit_test(test_parse_nd),
        cmocka_unit_test(test_parse_whitespace),
        cmocka_unit_test(test_format_exact),
        cmocka_unit_test(test_format_masked),
        cmocka_unit_test(test_format_leftover_fields),
        cmocka_unit_test(test_key_round_trip_table),
        cmocka_unit_test(test_key_round_trip_normalises),
        cmocka_unit_test(test_key_round_trip_random),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_key_error_position),
        cmocka_unit_test(test_overlong_input),
        cmocka_unit_test(test_actions_output_drop),
        cmocka_unit_test(test_actions_userspace),
        cmocka_unit_test(test_actions_set),
        cmocka_unit_test(test_actions_set_names_header),
        cmocka_unit_test(test_actions_vlan_mpls),
        cmocka_unit_test(test_actions_pbb),
        cmocka_unit_test(test_actions_copy_ttl),
        cmocka_unit_test(test_actions_dec_ttl_recirc),
        cmocka_unit_test(test_actions_round_trip_table),
        cmocka_unit_test(test_actions_errors),
        cmocka_unit_test(test_actions_too_long),
        cmocka_unit_test(test_actions_format_invalid),
        cmocka_unit_test(test_mutated_input),
        cmocka_unit_test(test_flow_to_packet),
        cmocka_unit_test(test_flow_to_packet_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
