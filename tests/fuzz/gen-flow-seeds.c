/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen-flow-seeds: writes a seed corpus for fuzz-flow into a directory, one
 * file per protocol flow_extract() knows (built with flow_compose()), so
 * that fuzzing starts from well-formed frames of every kind.
 *
 * Usage: gen-flow-seeds DIR
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdlib.h>

#include "lib/flow-compose.h"

static struct flow
seed_base__(uint16_t dl_type)
{
    static const struct eth_addr src = {{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}};
    static const struct eth_addr dst = {{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}};
    struct flow f;

    memset(&f, 0, sizeof f);
    f.dl_src = src;
    f.dl_dst = dst;
    f.dl_type = htons(dl_type);
    f.nw_ttl = 64;
    return f;
}

static void
seed_write__(const char *dir, int *n, const struct flow *f)
{
    uint8_t buf[512];
    size_t len = flow_compose(f, "seed-payload", 12, buf, sizeof buf);
    if (!len) {
        tern_fatal("flow_compose failed for seed %d", *n);
    }
    char *name = xasprintf("%s/seed-%02d", dir, (*n)++);
    FILE *file = fopen(name, "wb");
    if (!file || fwrite(buf, 1, len, file) != len || fclose(file)) {
        tern_fatal("%s: write failed", name);
    }
    free(name);
}

int
main(int argc, char *argv[])
{
    static const uint8_t v4_protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP,
                                        IPPROTO_ICMP_, 0};
    static const uint8_t v6_protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP,
                                        IPPROTO_ICMPV6};
    const char *dir;
    struct flow f;
    int n = 0;

    set_program_name(argv[0]);
    if (argc != 2) {
        tern_fatal("usage: %s DIR", argv[0]);
    }
    dir = argv[1];

    for (size_t i = 0; i < ARRAY_SIZE(v4_protos); i++) {
        f = seed_base__(ETH_TYPE_IP);
        f.nw_src = htonl(0x0a000001);
        f.nw_dst = htonl(0x0a000002);
        f.nw_proto = v4_protos[i];
        f.tp_src = htons(v4_protos[i] == IPPROTO_ICMP_ ? 8 : 1234);
        f.tcp_flags = htons(v4_protos[i] == IPPROTO_TCP ? 0x12 : 0);
        seed_write__(dir, &n, &f);
        f.nw_frag = FLOW_NW_FRAG_ANY;
        seed_write__(dir, &n, &f);
    }
    for (size_t i = 0; i < ARRAY_SIZE(v6_protos); i++) {
        f = seed_base__(ETH_TYPE_IPV6);
        f.ipv6_src.s6_addr[15] = 1;
        f.ipv6_dst.s6_addr[15] = 2;
        f.ipv6_label = htonl(0x12345);
        f.nw_proto = v6_protos[i];
        f.tp_src = htons(v6_protos[i] == IPPROTO_ICMPV6 ? 128 : 1234);
        seed_write__(dir, &n, &f);
        f.nw_frag = FLOW_NW_FRAG_ANY;
        seed_write__(dir, &n, &f);
    }
    for (int type = ND_NEIGHBOR_SOLICIT; type <= ND_NEIGHBOR_ADVERT; type++) {
        f = seed_base__(ETH_TYPE_IPV6);
        f.nw_proto = IPPROTO_ICMPV6;
        f.tp_src = htons(type);
        f.nd_target.s6_addr[15] = 9;
        f.arp_sha.ea[5] = type == ND_NEIGHBOR_SOLICIT ? 1 : 0;
        f.arp_tha.ea[5] = type == ND_NEIGHBOR_ADVERT ? 2 : 0;
        seed_write__(dir, &n, &f);
    }

    f = seed_base__(ETH_TYPE_ARP);
    f.nw_ttl = 0;
    f.nw_proto = ARP_OP_REQUEST;
    f.nw_src = htonl(0x0a000001);
    seed_write__(dir, &n, &f);

    f = seed_base__(ETH_TYPE_IP);
    f.vlans[0].tpid = htons(ETH_TYPE_VLAN_8021AD);
    f.vlans[0].tci = htons(VLAN_CFI | 10);
    f.vlans[1].tpid = htons(ETH_TYPE_VLAN_8021Q);
    f.vlans[1].tci = htons(VLAN_CFI | 20);
    f.nw_proto = IPPROTO_UDP;
    seed_write__(dir, &n, &f);

    f = seed_base__(ETH_TYPE_MPLS);
    f.nw_ttl = 0;
    f.mpls_lse[0] = htonl((16 << MPLS_LABEL_SHIFT) | 64);
    f.mpls_lse[1] = htonl((17 << MPLS_LABEL_SHIFT) | MPLS_BOS_MASK | 64);
    seed_write__(dir, &n, &f);

    f = seed_base__(FLOW_DL_TYPE_NONE);
    f.nw_ttl = 0;
    seed_write__(dir, &n, &f);
    return 0;
}
