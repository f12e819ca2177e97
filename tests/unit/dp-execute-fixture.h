/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute-fixture: what the dp-execute unit tests share.  A fake set of
 * executor callbacks records outputs, upcalls and recirculations in
 * 'dpx_rec'; dpx_setup() and dpx_teardown() bracket every test and the
 * teardown checks that the mempool got every packet back, so nothing handed
 * to the executor leaks.  The rest builds action lists and the packets the
 * tests start from and expect, and checks bytes and checksums (recomputed
 * from scratch).
 */
#ifndef TERN_TESTS_DP_EXECUTE_FIXTURE_H
#define TERN_TESTS_DP_EXECUTE_FIXTURE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath/dp-execute.h"
#include "tests/unit/packet-builder.h"

/* What the fake callbacks saw. */
#define DPX_REC_MAX 64
struct dpx_upcall {
    uint32_t pid;
    uint8_t userdata[16];
    uint32_t userdata_len;
    uint8_t bytes[256];
    size_t len;
};

struct dpx_rec {
    struct {
        uint32_t port;
        struct dp_packet *p;
    } out[DPX_REC_MAX];
    size_t n_out;
    struct dpx_upcall up[DPX_REC_MAX];
    size_t n_up;
    struct dp_packet *recirc[DPX_REC_MAX];
    size_t n_recirc;
};

/* What the fake callbacks saw since the last dpx_setup() or
 * dpx_rec_release(); it owns the packets in 'out' and 'recirc'. */
extern struct dpx_rec dpx_rec;
/* The action list each test builds: dpx_setup() initializes it and
 * dpx_teardown() frees it. */
extern struct dp_actions_buf dpx_acts;

/* Callbacks that record into 'dpx_rec' (aux): all three, or output only. */
extern const struct dp_execute_ops dpx_fake_ops;
extern const struct dp_execute_ops dpx_output_only_ops;

/* cmocka fixtures: the group setup starts DPDK; dpx_setup() and
 * dpx_teardown() run around each test (see DPX_TEST). */
int dpx_group_setup(void **state);
int dpx_setup(void **state);
int dpx_teardown(void **state);
#define DPX_TEST(NAME)                                                        \
    cmocka_unit_test_setup_teardown(NAME, dpx_setup, dpx_teardown)

/* Frees the packets the fake callbacks were given and forgets all calls. */
void dpx_rec_release(void);

/* Returns a packet (owned by the caller) holding pb's bytes, with its flow
 * key extracted into the metadata when 'key' (as the receive path does). */
struct dp_packet *dpx_mkpkt(const struct pb *pb, bool key);

/* Runs 'list' over the 'n' packets of 'pkts' with 'ops' and 'dpx_rec' as
 * aux; the executor takes the packets.  dpx_run1() runs one packet with
 * dpx_fake_ops. */
void dpx_run_ops(const struct dp_execute_ops *ops,
                 const struct dp_actions_buf *list, struct dp_packet **pkts,
                 size_t n);
void dpx_run1(const struct dp_actions_buf *list, struct dp_packet *p);

/* Append one action to 'b' (owned by the caller).  Integers are in host
 * order. */
void dpx_put_output(struct dp_actions_buf *b, uint32_t port);
void dpx_put_set(struct dp_actions_buf *b, const struct flow *value,
                 const struct flow *mask);
void dpx_put_push_vlan(struct dp_actions_buf *b, uint16_t tpid, uint16_t tci);
void dpx_put_push_mpls(struct dp_actions_buf *b, uint32_t label, bool bos,
                       uint8_t ttl);
void dpx_put_pop_mpls(struct dp_actions_buf *b, uint16_t ethertype);

/* Checks that 'p' holds exactly the bytes of 'expect'. */
void dpx_assert_bytes(const struct dp_packet *p, const struct pb *expect);
/* Verifies, from scratch, every checksum flow_extract() can locate in 'p':
 * IPv4 header, TCP, UDP (unless zero), ICMP, ICMPv6 and SCTP. */
void dpx_assert_pkt_csums(const struct dp_packet *p);

/* Common packets, each built into 'pb' (owned by the caller). */
#define DPX_MAC_A "00:00:00:00:00:0a"
#define DPX_MAC_B "00:00:00:00:00:0b"

/* IPv4/TCP behind 'n' VLAN tags, each a DPX_TAG(), outermost first. */
#define DPX_TAG(TPID, TCI) ((uint32_t)(TPID) << 16 | (TCI))
void dpx_tagged_tcp(struct pb *pb, const uint32_t *tags, size_t n,
                    const char *dst, uint16_t dport);
void dpx_ipv4_tcp(struct pb *pb, const char *src, const char *dst, uint8_t ttl,
                  uint16_t sport, uint16_t dport);
void dpx_ipv4_udp(struct pb *pb, const char *src, const char *dst,
                  uint16_t sport, uint16_t dport);
/* IPv6 with TCP, UDP or (any other 'proto') an ICMPv6 echo request. */
void dpx_ipv6_l4(struct pb *pb, const char *src, const char *dst,
                 uint8_t proto);
/* Broadcast Ethernet/IPv4 ARP. */
void dpx_arp(struct pb *pb, uint16_t op, const char *sha, const char *spa,
             const char *tha, const char *tpa);

/* Zeroes a set action's value 'v' and mask 'm'. */
void dpx_flows_zero(struct flow *v, struct flow *m);

#endif /* TERN_TESTS_DP_EXECUTE_FIXTURE_H */
