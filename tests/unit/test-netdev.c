/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for packet buffers (dp-packet), the generic netdev layer and
 * its providers: dummy (injection, capture, pcap), dpdk (net_ring,
 * net_null and net_pcap virtual devices) and system (AF_PACKET on a veth
 * pair inside a network namespace this program creates and deletes).
 *
 * Needs root (namespaces, packet sockets); CI runs it as root.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <poll.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dp-packet.h"
#include "lib/dpdk.h"
#include "lib/netdev-dummy.h"
#include "lib/netdev-provider.h"
#include "lib/netdev.h"
#include "lib/packets.h"
#include "lib/smap.h"
#include "lib/unixctl.h"
#include "tests/unit/test-common.h"

#include <rte_lcore.h>

/* Builds a 60-byte Ethernet/IPv4-ish frame whose payload starts with
 * 'tag', into 'buf'.  Returns its length. */
static size_t
make_frame(uint8_t *buf, uint8_t tag)
{
    static const uint8_t head[] = {
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* dst */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src */
        0x88, 0xb5,                         /* local experimental type */
    };
    memcpy(buf, head, sizeof head);
    for (size_t i = sizeof head; i < 60; i++) {
        buf[i] = (uint8_t)(tag + i);
    }
    return 60;
}

static struct dp_packet *
make_packet(uint8_t tag)
{
    uint8_t buf[60];
    size_t len = make_frame(buf, tag);
    struct dp_packet *p = dp_packet_clone_data(NULL, buf, len);
    assert_non_null(p);
    return p;
}

static void
check_frame(const struct dp_packet *p, uint8_t tag)
{
    uint8_t buf[60];
    size_t len = make_frame(buf, tag);
    assert_int_equal(dp_packet_size(p), len);
    assert_memory_equal(dp_packet_data(p), buf, len);
}

static int
group_setup(void **state)
{
    char *err = NULL;
    int error = dpdk_init("--no-huge -m 256", &err);
    if (error) {
        fprintf(stderr, "dpdk_init: %s\n", err);
    }
    free(err);
    netdev_register_builtin_providers();
    *state = NULL;
    return error ? -1 : 0;
}

/* dpdk. */

static void *
register_thread_main(void *arg)
{
    bool *ok = arg;
    *ok = !dpdk_register_thread() && rte_lcore_id() != LCORE_ID_ANY;
    dpdk_unregister_thread();
    return NULL;
}

static void
test_dpdk_init_args(void **state)
{
    assert_true(dpdk_available());
    const char *args = dpdk_get_args();
    /* The extra "-m 256" replaced the default size; PCI is off. */
    assert_non_null(strstr(args, "-m 256"));
    assert_null(strstr(args, "1024"));
    assert_non_null(strstr(args, "--no-pci"));
    assert_non_null(strstr(args, "--no-huge"));
    assert_non_null(strstr(args, "-l "));
    /* Idempotent. */
    char *err = (char *)1;
    assert_int_equal(dpdk_init("-m 64", &err), 0);
    assert_null(err);
    assert_string_equal(dpdk_get_args(), args);

    /* The EAL pinned this thread to the main lcore; dpdk_init() gave back
     * the affinity the process started with (our parent's). */
    cpu_set_t mine, parent;
    assert_int_equal(sched_getaffinity(0, sizeof mine, &mine), 0);
    assert_int_equal(sched_getaffinity(getppid(), sizeof parent, &parent), 0);
    assert_int_equal(CPU_COUNT(&mine), CPU_COUNT(&parent));

    pthread_t thread;
    bool ok = false;
    assert_int_equal(pthread_create(&thread, NULL, register_thread_main, &ok),
                     0);
    pthread_join(thread, NULL);
    assert_true(ok);
}

/* dp-packet. */

static void
test_packet_pool_and_clone_data(void **state)
{
    int error = -1;
    struct rte_mempool *mp =
        dp_packet_pool_create("t_pool", 64, 256, SOCKET_ID_ANY, &error);
    assert_non_null(mp);
    assert_int_equal(error, 0);
    assert_true(rte_pktmbuf_priv_size(mp) >= sizeof(struct dp_packet_md));
    assert_int_equal(rte_pktmbuf_priv_size(mp) % RTE_MBUF_PRIV_ALIGN, 0);

    uint8_t data[100];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)i;
    }
    struct dp_packet *p = dp_packet_clone_data(mp, data, sizeof data);
    assert_non_null(p);
    assert_int_equal(dp_packet_size(p), sizeof data);
    assert_memory_equal(dp_packet_data(p), data, sizeof data);
    assert_int_equal(p->md.md.in_port, 0);
    assert_false(p->md.key_valid);
    /* The metadata lives in the mbuf's private area. */
    assert_ptr_equal(&p->md, rte_mbuf_to_priv(&p->mbuf));

    /* 256 - headroom bytes fit; one more does not. */
    uint8_t big[256];
    memset(big, 0xab, sizeof big);
    size_t room = 256 - RTE_PKTMBUF_HEADROOM;
    struct dp_packet *q = dp_packet_clone_data(mp, big, room);
    assert_non_null(q);
    assert_null(dp_packet_clone_data(mp, big, room + 1));
    dp_packet_free(q);
    dp_packet_free(p);
    dp_packet_free(NULL);
    assert_int_equal(rte_mempool_in_use_count(mp), 0);
    rte_mempool_free(mp);
}

static void
test_packet_clone(void **state)
{
    struct dp_packet *p = make_packet(7);
    p->md.md.in_port = 5;
    p->md.md.recirc_id = 9;
    p->md.rss_hash = 0x1234;
    p->md.key_valid = true;
    assert_non_null(dp_packet_push_at(p, 0, 8)); /* Less headroom. */

    struct dp_packet *c = dp_packet_clone(p);
    assert_non_null(c);
    assert_ptr_not_equal(c, p);
    assert_int_equal(dp_packet_size(c), dp_packet_size(p));
    assert_memory_equal(dp_packet_data(c), dp_packet_data(p),
                        dp_packet_size(p));
    assert_int_equal(c->md.md.in_port, 5);
    assert_int_equal(c->md.md.recirc_id, 9);
    assert_int_equal(c->md.rss_hash, 0x1234);
    assert_true(c->md.key_valid);
    assert_ptr_equal(c->mbuf.pool, p->mbuf.pool);

    /* Independent copies. */
    ((uint8_t *)dp_packet_data(c))[0] ^= 0xff;
    assert_memory_not_equal(dp_packet_data(c), dp_packet_data(p), 1);
    dp_packet_free(c);
    dp_packet_free(p);
}

static void
test_packet_push_pull(void **state)
{
    struct dp_packet *p = make_packet(1);
    uint8_t orig[60];
    memcpy(orig, dp_packet_data(p), 60);

    /* Insert a VLAN tag after the MAC addresses. */
    uint8_t *gap = dp_packet_push_at(p, 12, 4);
    assert_non_null(gap);
    assert_ptr_equal(gap, (uint8_t *)dp_packet_data(p) + 12);
    memcpy(gap, "\x81\x00\x00\x0a", 4);
    assert_int_equal(dp_packet_size(p), 64);
    assert_memory_equal(dp_packet_data(p), orig, 12);
    assert_memory_equal((uint8_t *)dp_packet_data(p) + 16, orig + 12, 48);

    /* And remove it again. */
    assert_true(dp_packet_pull_at(p, 12, 4));
    assert_int_equal(dp_packet_size(p), 60);
    assert_memory_equal(dp_packet_data(p), orig, 60);

    /* Edges: at the very end, zero bytes, whole packet. */
    gap = dp_packet_push_at(p, 60, 2);
    assert_ptr_equal(gap, (uint8_t *)dp_packet_data(p) + 60);
    assert_true(dp_packet_pull_at(p, 60, 2));
    assert_memory_equal(dp_packet_data(p), orig, 60);
    assert_ptr_equal(dp_packet_push_at(p, 0, 0), dp_packet_data(p));
    assert_true(dp_packet_pull_at(p, 30, 0));
    assert_null(dp_packet_push_at(p, 61, 4));  /* Beyond the data. */
    assert_false(dp_packet_pull_at(p, 57, 4)); /* Too short. */
    assert_false(dp_packet_pull_at(p, 0, 61));
    assert_false(dp_packet_pull_at(p, SIZE_MAX, 2)); /* No overflow. */
    assert_int_equal(dp_packet_size(p), 60);

    /* The headroom runs out. */
    size_t headroom = rte_pktmbuf_headroom(&p->mbuf);
    assert_null(dp_packet_push_at(p, 0, headroom + 1));
    assert_non_null(dp_packet_push_at(p, 0, headroom));
    assert_null(dp_packet_push_at(p, 0, 1));
    assert_true(dp_packet_pull_at(p, 0, headroom));
    assert_memory_equal(dp_packet_data(p), orig, 60);
    assert_true(dp_packet_pull_at(p, 0, 60));
    assert_int_equal(dp_packet_size(p), 0);
    dp_packet_free(p);
}

static void
test_packet_batch_free(void **state)
{
    struct rte_mempool *mp = dp_packet_default_pool();
    assert_non_null(mp);
    assert_ptr_equal(mp, dp_packet_default_pool());
    unsigned before = rte_mempool_in_use_count(mp);

    struct dp_packet_batch b;
    dp_packet_batch_init(&b);
    assert_int_equal(b.count, 0);
    while (!dp_packet_batch_is_full(&b)) {
        dp_packet_batch_add(&b, make_packet((uint8_t)b.count));
    }
    assert_int_equal(b.count, DP_PACKET_BATCH_SIZE);
    assert_true(rte_mempool_in_use_count(mp) >= before + DP_PACKET_BATCH_SIZE);
    dp_packet_batch_free(&b);
    assert_int_equal(b.count, 0);
    assert_int_equal(rte_mempool_in_use_count(mp), before);
    dp_packet_batch_free(&b); /* Empty batch: nothing happens. */
}

/* Generic layer. */

static void
test_netdev_unknown_type(void **state)
{
    struct netdev *netdev = (void *)1;
    char *err = NULL;
    assert_int_equal(netdev_open("u0", "nosuchtype", NULL, &netdev, &err),
                     EAFNOSUPPORT);
    assert_null(netdev);
    assert_non_null(err);
    assert_non_null(strstr(err, "nosuchtype"));
    free(err);
    assert_null(netdev_from_name("u0"));
    assert_int_equal(netdev_open("", "dummy", NULL, &netdev, NULL), EINVAL);
    assert_int_equal(netdev_register_provider(&netdev_dummy_class), EEXIST);
}

static void
test_netdev_duplicate_and_close(void **state)
{
    struct netdev *a, *b;
    char *err = NULL;
    assert_int_equal(netdev_open("dup0", "dummy", NULL, &a, &err), 0);
    assert_null(err);
    assert_string_equal(netdev_get_name(a), "dup0");
    assert_string_equal(netdev_get_type(a), "dummy");
    assert_ptr_equal(netdev_from_name("dup0"), a);

    assert_int_equal(netdev_open("dup0", "dummy", NULL, &b, &err), EEXIST);
    assert_null(b);
    assert_non_null(strstr(err, "dup0"));
    free(err);

    netdev_close(a);
    assert_null(netdev_from_name("dup0"));
    assert_int_equal(netdev_open("dup0", "dummy", NULL, &b, NULL), 0);
    netdev_close(b);
    netdev_close(NULL);
}

/* Dummy provider. */

static struct netdev *
open_dummy(const char *name, const char *options)
{
    struct smap smap = SMAP_INITIALIZER;
    if (options) {
        char *perr = smap_parse(&smap, options);
        assert_null(perr);
    }
    struct netdev *netdev = NULL;
    char *err = NULL;
    int error = netdev_open(name, "dummy", &smap, &netdev, &err);
    if (error) {
        fail_msg("open %s: %s", name, err);
    }
    smap_destroy(&smap);
    return netdev;
}

static void
test_dummy_inject_and_recv(void **state)
{
    struct netdev *netdev = open_dummy("d-rx", NULL);
    struct dp_packet_batch batch;
    assert_int_equal(netdev_n_rxq(netdev), 1);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);

    uint8_t frame[60];
    size_t len = make_frame(frame, 3);
    struct ds hex = DS_EMPTY;
    ds_put_hex(&hex, frame, 6);
    ds_put_char(&hex, ' ');
    ds_put_hex(&hex, frame + 6, len - 6);
    char *err = NULL;
    assert_int_equal(netdev_dummy_receive("d-rx", 0, ds_cstr(&hex), &err), 0);
    assert_null(err);
    ds_destroy(&hex);

    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), 0);
    assert_int_equal(batch.count, 1);
    check_frame(batch.packets[0], 3);
    assert_int_equal(batch.packets[0]->md.md.in_port, 0);
    dp_packet_batch_free(&batch);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.rx_packets, 1);
    assert_int_equal(stats.rx_bytes, 60);

    /* Bad input. */
    assert_int_equal(netdev_dummy_receive("d-rx", 0, "0a0", &err), EINVAL);
    assert_non_null(err);
    free(err);
    assert_int_equal(netdev_dummy_receive("nope", 0, "00", &err), ENODEV);
    free(err);
    assert_int_equal(netdev_dummy_receive("d-rx", 1, "0000", NULL), EINVAL);
    /* Larger than a packet buffer. */
    char *big = xmalloc(2 * 4000 + 1);
    memset(big, 'a', 2 * 4000);
    big[2 * 4000] = '\0';
    assert_int_equal(netdev_dummy_receive("d-rx", 0, big, &err), EMSGSIZE);
    free(err);
    free(big);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);
    assert_int_equal(netdev_rxq_recv(netdev, 1, &batch), EINVAL);
    netdev_close(netdev);
}

static void
test_dummy_send_capture(void **state)
{
    struct netdev *netdev = open_dummy("d-tx", NULL);
    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    for (int i = 0; i < 3; i++) {
        dp_packet_batch_add(&batch, make_packet((uint8_t)(10 + i)));
    }
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 3);
    assert_int_equal(batch.count, 0);
    assert_int_equal(netdev_dummy_tx_count(netdev), 3);

    uint8_t *data;
    size_t len;
    uint8_t want[60];
    make_frame(want, 11);
    assert_true(netdev_dummy_tx_get(netdev, 1, &data, &len));
    assert_int_equal(len, 60);
    assert_memory_equal(data, want, 60);
    free(data);
    assert_false(netdev_dummy_tx_get(netdev, 3, &data, &len));

    struct ds ds = DS_EMPTY;
    netdev_dummy_tx_format(netdev, &ds);
    struct ds hex = DS_EMPTY;
    make_frame(want, 10);
    ds_put_cstr(&hex, "count=3\n");
    ds_put_hex(&hex, want, 60);
    assert_int_equal(strncmp(ds_cstr(&ds), ds_cstr(&hex), hex.length), 0);
    ds_destroy(&hex);
    ds_destroy(&ds);

    struct netdev_stats stats;
    netdev_get_stats(netdev, &stats);
    assert_int_equal(stats.tx_packets, 3);
    assert_int_equal(stats.tx_bytes, 180);

    netdev_dummy_tx_clear(netdev);
    assert_int_equal(netdev_dummy_tx_count(netdev), 0);
    netdev_close(netdev);
}

static void
test_dummy_multiqueue(void **state)
{
    struct netdev *netdev = open_dummy("d-mq", "n_rxq=4");
    assert_int_equal(netdev_n_rxq(netdev), 4);
    uint8_t frame[60];
    size_t len = make_frame(frame, 5);
    assert_int_equal(netdev_dummy_inject(netdev, 3, frame, len), 0);

    struct dp_packet_batch batch;
    for (int q = 0; q < 3; q++) {
        assert_int_equal(netdev_rxq_recv(netdev, q, &batch), EAGAIN);
    }
    assert_int_equal(netdev_rxq_recv(netdev, 3, &batch), 0);
    assert_int_equal(batch.count, 1);
    dp_packet_batch_free(&batch);

    /* Tx queues: all requested are granted; qid is taken modulo. */
    assert_int_equal(netdev_set_tx_multiq(netdev, 2), 0);
    assert_int_equal(netdev_n_txq(netdev), 2);
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, make_packet(1));
    assert_int_equal(netdev_send(netdev, 7, &batch, true), 1);
    assert_int_equal(netdev_dummy_tx_count(netdev), 1);

    /* Reconfiguration and bad values. */
    struct smap opts = SMAP_INITIALIZER;
    smap_replace(&opts, "n_rxq", "2");
    char *err = NULL;
    assert_int_equal(netdev_set_config(netdev, &opts, &err), 0);
    assert_int_equal(netdev_n_rxq(netdev), 2);
    smap_replace(&opts, "n_rxq", "0");
    assert_int_equal(netdev_set_config(netdev, &opts, &err), EINVAL);
    assert_non_null(strstr(err, "n_rxq"));
    free(err);
    smap_destroy(&opts);
    netdev_close(netdev);

    struct netdev *bad = NULL;
    struct smap o2 = SMAP_INITIALIZER;
    smap_replace(&o2, "n_rxq", "1000");
    assert_int_equal(netdev_open("d-bad", "dummy", &o2, &bad, NULL), EINVAL);
    assert_null(bad);
    assert_null(netdev_from_name("d-bad"));
    smap_destroy(&o2);
}

static void
test_dummy_properties(void **state)
{
    struct netdev *a = open_dummy("d-props", NULL);
    struct netdev *b = open_dummy("d-mac", "mac=02:11:22:33:44:55,mtu=9000");
    struct eth_addr mac;
    assert_int_equal(netdev_get_etheraddr(a, &mac), 0);
    assert_int_equal(mac.ea[0], 0xaa);
    assert_int_equal(mac.ea[1], 0x55);
    struct eth_addr mac2;
    assert_int_equal(netdev_get_etheraddr(b, &mac2), 0);
    assert_memory_equal(mac2.ea, "\x02\x11\x22\x33\x44\x55", 6);

    int mtu;
    assert_int_equal(netdev_get_mtu(a, &mtu), 0);
    assert_int_equal(mtu, 1500);
    assert_int_equal(netdev_get_mtu(b, &mtu), 0);
    assert_int_equal(mtu, 9000);

    assert_true(netdev_get_carrier(a));
    netdev_dummy_set_carrier(a, false);
    assert_false(netdev_get_carrier(a));

    struct smap status = SMAP_INITIALIZER;
    assert_int_equal(netdev_get_status(a, &status), 0);
    assert_string_equal(smap_get(&status, "driver"), "dummy");
    smap_destroy(&status);

    /* The derived address is stable per name. */
    netdev_close(a);
    a = open_dummy("d-props", NULL);
    struct eth_addr again;
    netdev_get_etheraddr(a, &again);
    assert_memory_equal(again.ea, mac.ea, 6);
    netdev_close(a);
    netdev_close(b);

    struct netdev *c = NULL;
    struct smap o = SMAP_INITIALIZER;
    smap_replace(&o, "mac", "zz:11");
    char *err = NULL;
    assert_int_equal(netdev_open("d-badmac", "dummy", &o, &c, &err), EINVAL);
    free(err);
    smap_destroy(&o);
}

static void
test_dummy_pcap(void **state)
{
    char dir[64];
    assert_int_equal(test_tmpdir_create(dir, sizeof dir, "tern-netdev"), 0);
    char *path = xasprintf("%s/out.pcap", dir);
    char *opts = xasprintf("pcap=%s", path);
    struct netdev *netdev = open_dummy("d-pcap", opts);

    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, make_packet(20));
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 1);

    /* Reconfiguring with the same file keeps appending to it; a failed
     * reconfiguration (n_rxq) leaves the device working. */
    struct smap o = SMAP_INITIALIZER;
    smap_replace(&o, "pcap", path);
    smap_replace(&o, "n_rxq", "3");
    assert_int_equal(netdev_set_config(netdev, &o, NULL), 0);
    smap_replace(&o, "n_rxq", "-1");
    char *err = NULL;
    assert_int_equal(netdev_set_config(netdev, &o, &err), EINVAL);
    free(err);
    assert_int_equal(netdev_n_rxq(netdev), 3);
    uint8_t f[60];
    assert_int_equal(netdev_dummy_inject(netdev, 2, f, make_frame(f, 1)), 0);
    assert_int_equal(netdev_rxq_recv(netdev, 2, &batch), 0);
    dp_packet_batch_free(&batch);
    smap_destroy(&o);

    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, make_packet(21));
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 1);

    /* Readable while the device is still open. */
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    assert_non_null(pc);
    assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint8_t want[60];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pcap_next_ex(pc, &hdr, &data), 1);
        assert_int_equal(hdr->caplen, 60);
        make_frame(want, (uint8_t)(20 + i));
        assert_memory_equal(data, want, 60);
    }
    assert_int_equal(pcap_next_ex(pc, &hdr, &data), PCAP_ERROR_BREAK);
    pcap_close(pc);

    struct smap status = SMAP_INITIALIZER;
    netdev_get_status(netdev, &status);
    assert_string_equal(smap_get(&status, "pcap"), path);
    smap_destroy(&status);
    netdev_close(netdev);

    /* A pcap file that cannot be created fails the open with a message. */
    struct netdev *bad = NULL;
    struct smap b = SMAP_INITIALIZER;
    smap_replace(&b, "pcap", "/nonexistent-dir/x.pcap");
    assert_int_equal(netdev_open("d-badpcap", "dummy", &b, &bad, &err), EIO);
    assert_null(bad);
    assert_non_null(strstr(err, "/nonexistent-dir/x.pcap"));
    free(err);
    smap_destroy(&b);

    unlink(path);
    rmdir(dir);
    free(opts);
    free(path);
}

struct sender_arg {
    struct netdev *netdev;
    int qid;
};

static void *
sender_main(void *arg_)
{
    struct sender_arg *arg = arg_;
    for (int round = 0; round < 50; round++) {
        struct dp_packet_batch batch;
        dp_packet_batch_init(&batch);
        for (int i = 0; i < 4; i++) {
            uint8_t frame[60];
            size_t len = make_frame(frame, (uint8_t)i);
            dp_packet_batch_add(&batch,
                                dp_packet_clone_data(NULL, frame, len));
        }
        netdev_send(arg->netdev, arg->qid, &batch, true);
    }
    return NULL;
}

static void
test_dummy_concurrent_send(void **state)
{
    struct netdev *netdev = open_dummy("d-conc", NULL);
    /* One tx queue shared by two threads. */
    assert_int_equal(netdev_n_txq(netdev), 1);
    pthread_t threads[2];
    struct sender_arg args[2] = {{netdev, 0}, {netdev, 1}};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            pthread_create(&threads[i], NULL, sender_main, &args[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }
    struct netdev_stats stats;
    netdev_get_stats(netdev, &stats);
    assert_int_equal(stats.tx_packets, 2 * 50 * 4);
    assert_int_equal(netdev_dummy_tx_count(netdev), 2 * 50 * 4);
    netdev_close(netdev);
}

static void
test_dummy_receive_flow_syntax(void **state)
{
    struct netdev *netdev = open_dummy("d-flow", NULL);
    char *err = NULL;
    int error = netdev_dummy_receive(
        "d-flow", 0,
        "in_port(1),eth(src=00:01:02:03:04:05,dst=00:0a:0b:0c:0d:0e),"
        "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),"
        "udp(src=1,dst=2)",
        &err);
    if (error) {
        fail_msg("receive: %s", err);
    }
    struct dp_packet_batch batch;
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), 0);
    assert_int_equal(batch.count, 1);
    const uint8_t *d = dp_packet_data(batch.packets[0]);
    assert_true(dp_packet_size(batch.packets[0]) >= 42);
    assert_memory_equal(d,
                        "\x00\x0a\x0b\x0c\x0d\x0e\x00\x01\x02\x03\x04\x05"
                        "\x08\x00",
                        14);
    assert_int_equal(d[14] >> 4, 4);                    /* IPv4 */
    assert_int_equal(d[22], 64);                        /* TTL */
    assert_int_equal(d[23], 17);                        /* UDP */
    assert_memory_equal(d + 26, "\x0a\x00\x00\x01", 4); /* src */
    assert_memory_equal(d + 34, "\x00\x01\x00\x02", 4); /* ports */
    dp_packet_batch_free(&batch);

    assert_int_equal(netdev_dummy_receive("d-flow", 0, "eth(bogus)", &err),
                     EINVAL);
    assert_non_null(err);
    free(err);
    netdev_close(netdev);
}

/* Runs 'method' with the blank-separated 'args' against 'path'.  Returns
 * the result (or "ERROR: " and the error) in a string the caller frees. */
static char *
ctl(const char *path, const char *method, const char *args)
{
    char *copy = xstrdup(args);
    const char *argv[16];
    int argc = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w && argc < 16;
         w = strtok_r(NULL, " ", &save)) {
        argv[argc++] = w;
    }
    char *result = NULL, *error = NULL;
    int rc = unixctl_client_transact(path, method, argc, argv, 5000, &result,
                                     &error);
    assert_int_equal(rc, 0);
    free(copy);
    if (error) {
        char *s = xasprintf("ERROR: %s", error);
        free(error);
        free(result);
        return s;
    }
    return result ? result : xstrdup("");
}

static void
test_dummy_unixctl(void **state)
{
    char dir[64];
    assert_int_equal(test_tmpdir_create(dir, sizeof dir, "tern-netdev"), 0);
    char *path = xasprintf("%s/ctl", dir);
    struct test_ctl_server cs;
    struct unixctl_server *server;
    netdev_dummy_register_commands();
    netdev_dummy_register_commands(); /* Idempotent. */
    assert_int_equal(unixctl_server_create(path, &server), 0);
    test_ctl_server_start(&cs, server);

    struct netdev *netdev = open_dummy("d-ctl", "n_rxq=2");
    uint8_t frame[60];
    size_t len = make_frame(frame, 60);
    struct ds hex = DS_EMPTY;
    ds_put_cstr(&hex, "d-ctl --qid=1 ");
    ds_put_hex(&hex, frame, len);
    ds_put_char(&hex, ' ');
    ds_put_hex(&hex, frame, len);
    char *r = ctl(path, "netdev-dummy/receive", ds_cstr(&hex));
    assert_string_equal(r, "");
    free(r);
    ds_destroy(&hex);

    struct dp_packet_batch batch;
    assert_int_equal(netdev_rxq_recv(netdev, 1, &batch), 0);
    assert_int_equal(batch.count, 2);
    check_frame(batch.packets[0], 60);

    /* Send them back out and look at the capture. */
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 2);
    r = ctl(path, "netdev-dummy/tx-show", "d-ctl");
    struct ds want = DS_EMPTY;
    ds_put_cstr(&want, "count=2\n");
    ds_put_hex(&want, frame, len);
    ds_put_char(&want, '\n');
    ds_put_hex(&want, frame, len);
    ds_put_char(&want, '\n');
    assert_string_equal(r, ds_cstr(&want));
    ds_destroy(&want);
    free(r);

    r = ctl(path, "netdev-dummy/tx-clear", "d-ctl");
    free(r);
    r = ctl(path, "netdev-dummy/tx-show", "d-ctl");
    assert_string_equal(r, "count=0\n");
    free(r);

    r = ctl(path, "netdev-dummy/set-carrier", "d-ctl down");
    free(r);
    assert_false(netdev_get_carrier(netdev));
    r = ctl(path, "netdev-dummy/set-carrier", "d-ctl sideways");
    assert_non_null(strstr(r, "ERROR"));
    free(r);

    r = ctl(path, "netdev-dummy/tx-show", "nosuch");
    assert_non_null(strstr(r, "ERROR"));
    assert_non_null(strstr(r, "nosuch"));
    free(r);
    r = ctl(path, "netdev-dummy/receive", "d-ctl 0g");
    assert_non_null(strstr(r, "ERROR"));
    free(r);
    r = ctl(path, "netdev-dummy/receive", "d-ctl --qid=5 0000");
    assert_non_null(strstr(r, "ERROR"));
    free(r);

    test_ctl_server_stop(&cs);
    unixctl_server_destroy(server);
    netdev_close(netdev);
    unlink(path);
    rmdir(dir);
    free(path);
}

/* DPDK provider with virtual devices. */

static struct netdev *
open_dpdk(const char *name, const char *devargs, char **errp, int *errorp)
{
    struct smap smap = SMAP_INITIALIZER;
    if (devargs) {
        smap_replace(&smap, "dpdk-devargs", devargs);
    }
    struct netdev *netdev = NULL;
    *errorp = netdev_open(name, "dpdk", &smap, &netdev, errp);
    smap_destroy(&smap);
    return netdev;
}

/* Receives from 'netdev' until 'n' packets arrived or 2 s passed. */
static int
recv_n(struct netdev *netdev, int qid, struct dp_packet **out, int n)
{
    int got = 0;
    long long deadline = time_msec() + 2000;
    while (got < n && time_msec() < deadline) {
        struct dp_packet_batch batch;
        if (netdev_rxq_recv(netdev, qid, &batch)) {
            usleep(1000);
            continue;
        }
        for (uint32_t i = 0; i < batch.count; i++) {
            if (got < n) {
                out[got++] = batch.packets[i];
            } else {
                dp_packet_free(batch.packets[i]);
            }
        }
    }
    return got;
}

static void
test_dpdk_ring_loopback(void **state)
{
    char *err = NULL;
    int error;
    struct netdev *netdev = open_dpdk("p-ring", "net_ring0", &err, &error);
    if (error) {
        fail_msg("open net_ring0: %s", err);
    }
    assert_true(netdev_get_carrier(netdev));
    assert_int_equal(netdev_n_rxq(netdev), 1);

    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    for (int i = 0; i < 5; i++) {
        dp_packet_batch_add(&batch, make_packet((uint8_t)(30 + i)));
    }
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 5);

    struct dp_packet *pkts[5];
    assert_int_equal(recv_n(netdev, 0, pkts, 5), 5);
    for (int i = 0; i < 5; i++) {
        check_frame(pkts[i], (uint8_t)(30 + i));
        dp_packet_free(pkts[i]);
    }

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.tx_packets, 5);
    assert_int_equal(stats.rx_packets, 5);

    struct smap status = SMAP_INITIALIZER;
    assert_int_equal(netdev_get_status(netdev, &status), 0);
    assert_string_equal(smap_get(&status, "driver"), "net_ring");
    assert_non_null(smap_get(&status, "port_id"));
    assert_string_equal(smap_get(&status, "n_rxq"), "1");
    smap_destroy(&status);
    netdev_close(netdev);
}

static void
test_dpdk_ring_multiqueue(void **state)
{
    struct smap o = SMAP_INITIALIZER;
    smap_replace(&o, "dpdk-devargs", "net_ring1");
    smap_replace(&o, "n_rxq", "2");
    smap_replace(&o, "n_rxq_desc", "256");
    struct netdev *netdev = NULL;
    char *err = NULL;
    if (netdev_open("p-ringmq", "dpdk", &o, &netdev, &err)) {
        fail_msg("open net_ring1: %s", err);
    }
    assert_int_equal(netdev_n_rxq(netdev), 2);
    assert_int_equal(netdev_set_tx_multiq(netdev, 2), 0);
    assert_int_equal(netdev_n_txq(netdev), 2);

    /* Each ring queue loops back to the rx queue of the same number. */
    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, make_packet(90));
    assert_int_equal(netdev_send(netdev, 1, &batch, false), 1);
    struct dp_packet *p;
    assert_int_equal(recv_n(netdev, 1, &p, 1), 1);
    check_frame(p, 90);
    dp_packet_free(p);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);

    /* Ring sizes change with set_config; the devargs cannot. */
    smap_replace(&o, "n_rxq_desc", "512");
    assert_int_equal(netdev_set_config(netdev, &o, &err), 0);
    struct smap status = SMAP_INITIALIZER;
    netdev_get_status(netdev, &status);
    assert_string_equal(smap_get(&status, "n_rxq_desc"), "512");
    assert_string_equal(smap_get(&status, "n_txq"), "2");
    smap_destroy(&status);
    smap_replace(&o, "dpdk-devargs", "net_ring2");
    assert_int_equal(netdev_set_config(netdev, &o, &err), EINVAL);
    assert_non_null(strstr(err, "dpdk-devargs"));
    free(err);
    smap_destroy(&o);

    /* Still works after reconfiguration. */
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, make_packet(91));
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 1);
    assert_int_equal(recv_n(netdev, 0, &p, 1), 1);
    check_frame(p, 91);
    dp_packet_free(p);
    netdev_close(netdev);
}

static void
test_dpdk_null_sink(void **state)
{
    char *err = NULL;
    int error;
    struct netdev *netdev =
        open_dpdk("p-null", "net_null0,no-rx=1", &err, &error);
    if (error) {
        fail_msg("open net_null0: %s", err);
    }
    assert_int_equal(netdev_set_tx_multiq(netdev, 2), 0);
    assert_true(netdev_n_txq(netdev) >= 1);

    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    for (int i = 0; i < 8; i++) {
        dp_packet_batch_add(&batch, make_packet((uint8_t)i));
    }
    assert_int_equal(netdev_send(netdev, 1, &batch, true), 8);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.tx_packets, 8);
    assert_int_equal(stats.tx_dropped, 0);
    assert_int_equal(stats.rx_packets, 0);

    /* The same device cannot back two ports. */
    struct netdev *other = open_dpdk("p-null2", "net_null0", &err, &error);
    assert_null(other);
    assert_int_equal(error, EBUSY);
    free(err);
    netdev_close(netdev);

    /* After close the device was removed: it can be created again. */
    netdev = open_dpdk("p-null", "net_null0,no-rx=1", &err, &error);
    assert_int_equal(error, 0);
    netdev_close(netdev);
}

static void
test_dpdk_bad_devargs(void **state)
{
    char *err = NULL;
    int error;
    struct netdev *netdev =
        open_dpdk("p-bad", "net_nosuchdriver0,x=1", &err, &error);
    assert_null(netdev);
    assert_true(error > 0);
    assert_non_null(err);
    assert_non_null(strstr(err, "net_nosuchdriver0"));
    free(err);

    netdev = open_dpdk("p-none", NULL, &err, &error);
    assert_null(netdev);
    assert_int_equal(error, EINVAL);
    assert_non_null(strstr(err, "dpdk-devargs"));
    free(err);
    assert_null(netdev_from_name("p-bad"));
}

/* Writes a pcap file of 'n' frames with tags 40... */
static void
write_pcap(const char *path, int n)
{
    pcap_t *pc = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t *d = pcap_dump_open(pc, path);
    assert_non_null(d);
    for (int i = 0; i < n; i++) {
        uint8_t frame[60];
        struct pcap_pkthdr hdr = {.caplen = 60, .len = 60};
        make_frame(frame, (uint8_t)(40 + i));
        pcap_dump((u_char *)d, &hdr, frame);
    }
    pcap_dump_close(d);
    pcap_close(pc);
}

static void
test_dpdk_pcap_vdev(void **state)
{
    char dir[64];
    assert_int_equal(test_tmpdir_create(dir, sizeof dir, "tern-netdev"), 0);
    char *in = xasprintf("%s/in.pcap", dir);
    char *out = xasprintf("%s/out.pcap", dir);
    write_pcap(in, 3);
    char *devargs = xasprintf("net_pcap0,rx_pcap=%s,tx_pcap=%s", in, out);

    char *err = NULL;
    int error;
    struct netdev *netdev = open_dpdk("p-pcap", devargs, &err, &error);
    if (error) {
        fail_msg("open %s: %s", devargs, err);
    }
    struct dp_packet *pkts[3];
    assert_int_equal(recv_n(netdev, 0, pkts, 3), 3);
    for (int i = 0; i < 3; i++) {
        check_frame(pkts[i], (uint8_t)(40 + i));
        /* Metadata was reset by the generic layer. */
        assert_int_equal(pkts[i]->md.md.in_port, 0);
    }

    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    for (int i = 0; i < 3; i++) {
        dp_packet_batch_add(&batch, pkts[i]);
    }
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 3);
    netdev_close(netdev); /* Flushes and closes the tx pcap. */

    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(out, errbuf);
    assert_non_null(pc);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    for (int i = 0; i < 3; i++) {
        uint8_t want[60];
        assert_int_equal(pcap_next_ex(pc, &hdr, &data), 1);
        make_frame(want, (uint8_t)(40 + i));
        assert_int_equal(hdr->caplen, 60);
        assert_memory_equal(data, want, 60);
    }
    pcap_close(pc);

    unlink(in);
    unlink(out);
    rmdir(dir);
    free(devargs);
    free(in);
    free(out);
}

/* System provider on a veth pair in a private network namespace. */

static char netns_name[64];

static void run_cmd(const char *fmt, ...) TERN_PRINTF(1, 2);

static void
run_cmd(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *cmd = xvasprintf(fmt, args);
    va_end(args);
    int rc = system(cmd);
    if (rc) {
        fail_msg("'%s' failed (%d)", cmd, rc);
    }
    free(cmd);
}

static int
netns_setup(void **state)
{
    snprintf(netns_name, sizeof netns_name, "tern-netdev-%ld", (long)getpid());
    run_cmd("ip netns add %s", netns_name);
    run_cmd("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
            "net.ipv6.conf.default.disable_ipv6=1",
            netns_name);
    run_cmd("ip -n %s link add va type veth peer name vb", netns_name);
    run_cmd("ip -n %s link set va up", netns_name);
    run_cmd("ip -n %s link set vb up", netns_name);
    return 0;
}

static int
netns_teardown(void **state)
{
    run_cmd("ip netns delete %s", netns_name);
    return 0;
}

/* Opens system device 'name' from inside the test namespace, on its
 * AF_PACKET path (io=af_packet: the AF_XDP path has tests of its own in
 * test-afxdp and tests/integration/afxdp.sh). */
static struct netdev *
open_system_in_netns(const char *name, char **errp, int *errorp)
{
    struct smap options = SMAP_INITIALIZER;
    char *path = xasprintf("/run/netns/%s", netns_name);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    int selffd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    assert_true(nsfd >= 0 && selffd >= 0);
    assert_int_equal(setns(nsfd, CLONE_NEWNET), 0);
    struct netdev *netdev = NULL;
    smap_replace(&options, "io", "af_packet");
    *errorp = netdev_open(name, "system", &options, &netdev, errp);
    smap_destroy(&options);
    assert_int_equal(setns(selffd, CLONE_NEWNET), 0);
    close(nsfd);
    close(selffd);
    free(path);
    return netdev;
}

/* Receives on 'netdev' until a packet whose bytes are 'want' arrives.
 * Other traffic is ignored.  Returns true if it came within 2 s. */
static bool
recv_match(struct netdev *netdev, const uint8_t *want, size_t len)
{
    long long deadline = time_msec() + 2000;
    bool found = false;
    while (!found && time_msec() < deadline) {
        struct dp_packet_batch batch;
        if (netdev_rxq_recv(netdev, 0, &batch)) {
            usleep(1000);
            continue;
        }
        for (uint32_t i = 0; i < batch.count; i++) {
            const struct dp_packet *p = batch.packets[i];
            if (dp_packet_size(p) == len &&
                !memcmp(dp_packet_data(p), want, len)) {
                found = true;
            }
        }
        dp_packet_batch_free(&batch);
    }
    return found;
}

static void
wait_carrier_is(struct netdev *netdev, bool up)
{
    /* Link changes arrive as rtnetlink notifications, read by the main
     * loop's netdev_run(). */
    long long deadline = time_msec() + 3000;
    while (netdev_get_carrier(netdev) != up && time_msec() < deadline) {
        netdev_run();
        usleep(10000);
    }
    assert_true(netdev_get_carrier(netdev) == up);
}

static void
wait_carrier(struct netdev *netdev)
{
    wait_carrier_is(netdev, true);
}

static void
test_system_veth(void **state)
{
    char *err = NULL;
    int error;
    struct netdev *a = open_system_in_netns("va", &err, &error);
    if (error) {
        fail_msg("open va: %s", err);
    }
    struct netdev *b = open_system_in_netns("vb", &err, &error);
    if (error) {
        fail_msg("open vb: %s", err);
    }
    wait_carrier(a);
    wait_carrier(b);
    int mtu;
    assert_int_equal(netdev_get_mtu(a, &mtu), 0);
    assert_int_equal(mtu, 1500);
    struct eth_addr mac;
    assert_int_equal(netdev_get_etheraddr(a, &mac), 0);
    assert_false(mac.ea[0] == 0 && mac.ea[1] == 0 && mac.ea[2] == 0);

    /* a -> b. */
    uint8_t frame[60];
    size_t len = make_frame(frame, 50);
    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, dp_packet_clone_data(NULL, frame, len));
    assert_int_equal(netdev_send(a, 0, &batch, false), 1);
    assert_true(recv_match(b, frame, len));

    /* Our own transmission does not come back on a. */
    assert_false(recv_match(a, frame, len));

    /* b -> a with a VLAN tag, which the kernel strips on receive and the
     * provider restores. */
    uint8_t tagged[64];
    memcpy(tagged, frame, 12);
    memcpy(tagged + 12, "\x81\x00\x20\x64", 4); /* PCP 1, VID 100. */
    memcpy(tagged + 16, frame + 12, len - 12);
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch,
                        dp_packet_clone_data(NULL, tagged, sizeof tagged));
    assert_int_equal(netdev_send(b, 0, &batch, false), 1);
    assert_true(recv_match(a, tagged, sizeof tagged));

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(a, &stats), 0);
    assert_int_equal(stats.tx_packets, 1);
    assert_int_equal(stats.tx_bytes, 60);
    assert_true(stats.rx_packets >= 1);
    struct smap status = SMAP_INITIALIZER;
    netdev_get_status(a, &status);
    assert_string_equal(smap_get(&status, "driver"), "af_packet");
    smap_destroy(&status);

    /* options:mtu sets the kernel MTU; out-of-range values are refused. */
    struct smap opts = SMAP_INITIALIZER;
    smap_replace(&opts, "io", "af_packet"); /* As opened. */
    smap_replace(&opts, "mtu", "1400");
    assert_int_equal(netdev_set_config(a, &opts, &err), 0);
    assert_int_equal(netdev_get_mtu(a, &mtu), 0);
    assert_int_equal(mtu, 1400);
    smap_replace(&opts, "mtu", "10");
    assert_int_equal(netdev_set_config(a, &opts, &err), EINVAL);
    assert_non_null(strstr(err, "bad mtu"));
    free(err);
    err = NULL;
    smap_destroy(&opts);
    assert_int_equal(netdev_get_mtu(a, &mtu), 0);
    assert_int_equal(mtu, 1400);

    /* With the link down, sending drops and counts, and the
     * administrative state reads down. */
    assert_true(netdev_get_admin_up(a));
    run_cmd("ip -n %s link set va down", netns_name);
    wait_carrier_is(a, false);
    assert_false(netdev_get_admin_up(a));
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, dp_packet_clone_data(NULL, frame, len));
    assert_int_equal(netdev_send(a, 0, &batch, false), 0);
    assert_int_equal(netdev_get_stats(a, &stats), 0);
    assert_int_equal(stats.tx_packets, 1);
    assert_int_equal(stats.tx_dropped, 1);
    assert_int_equal(stats.tx_errors, 0);

    netdev_close(a);
    netdev_close(b);
}

/* Sends 'len' bytes of a frame on interface 'ifname' of the test
 * namespace through a raw packet socket of its own. */
static void
raw_send_in_netns(const char *ifname, size_t len)
{
    char *path = xasprintf("/run/netns/%s", netns_name);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    int selffd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    assert_true(nsfd >= 0 && selffd >= 0);
    assert_int_equal(setns(nsfd, CLONE_NEWNET), 0);
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_ifindex = (int)if_nametoindex(ifname),
        .sll_halen = 6,
    };
    assert_int_equal(setns(selffd, CLONE_NEWNET), 0);
    assert_true(fd >= 0);
    assert_true(sll.sll_ifindex > 0);

    uint8_t *frame = xzalloc(len);
    make_frame(frame, 70);
    assert_int_equal(
        sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof sll),
        (ssize_t)len);
    free(frame);
    close(fd);
    close(nsfd);
    close(selffd);
    free(path);
}

static void
test_system_oversized_frames(void **state)
{
    run_cmd("ip -n %s link set va mtu 9000", netns_name);
    run_cmd("ip -n %s link set vb mtu 9000", netns_name);
    char *err = NULL;
    int error;
    struct netdev *b = open_system_in_netns("vb", &err, &error);
    if (error) {
        fail_msg("open vb: %s", err);
    }
    /* The kernel's own view: this process's rtnetlink sockets belong to
     * the namespace of the first test that used them. */
    run_cmd("for i in $(seq 100); do ip -n %s link show vb | grep -q "
            "LOWER_UP && exit 0; sleep 0.03; done; exit 1",
            netns_name);

    /* Larger than a ring frame: truncated by the kernel, counted as an
     * error.  Fits the ring but not a packet buffer: dropped. */
    raw_send_in_netns("va", 6000);
    raw_send_in_netns("va", 3000);
    /* A normal frame behind them still arrives. */
    uint8_t frame[60];
    make_frame(frame, 70);
    raw_send_in_netns("va", 60);
    assert_true(recv_match(b, frame, 60));

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(b, &stats), 0);
    assert_int_equal(stats.rx_errors, 1);
    assert_true(stats.rx_dropped >= 1);
    netdev_close(b);
}

static void
test_system_no_such_interface(void **state)
{
    char *err = NULL;
    int error;
    struct netdev *netdev = open_system_in_netns("nosuchif0", &err, &error);
    assert_null(netdev);
    assert_int_equal(error, ENODEV);
    assert_non_null(strstr(err, "nosuchif0"));
    free(err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dpdk_init_args),
        cmocka_unit_test(test_packet_pool_and_clone_data),
        cmocka_unit_test(test_packet_clone),
        cmocka_unit_test(test_packet_push_pull),
        cmocka_unit_test(test_packet_batch_free),
        cmocka_unit_test(test_netdev_unknown_type),
        cmocka_unit_test(test_netdev_duplicate_and_close),
        cmocka_unit_test(test_dummy_inject_and_recv),
        cmocka_unit_test(test_dummy_send_capture),
        cmocka_unit_test(test_dummy_multiqueue),
        cmocka_unit_test(test_dummy_properties),
        cmocka_unit_test(test_dummy_pcap),
        cmocka_unit_test(test_dummy_concurrent_send),
        cmocka_unit_test(test_dummy_receive_flow_syntax),
        cmocka_unit_test(test_dummy_unixctl),
        cmocka_unit_test(test_dpdk_ring_loopback),
        cmocka_unit_test(test_dpdk_ring_multiqueue),
        cmocka_unit_test(test_dpdk_null_sink),
        cmocka_unit_test(test_dpdk_bad_devargs),
        cmocka_unit_test(test_dpdk_pcap_vdev),
        cmocka_unit_test_setup_teardown(test_system_veth, netns_setup,
                                        netns_teardown),
        cmocka_unit_test_setup_teardown(test_system_oversized_frames,
                                        netns_setup, netns_teardown),
        cmocka_unit_test_setup_teardown(test_system_no_such_interface,
                                        netns_setup, netns_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
