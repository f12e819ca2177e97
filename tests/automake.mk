# SPDX-License-Identifier: Apache-2.0
# tests/: cmocka unit tests (one program per module), integration tests
# (shell scripts that start tern-vswitchd), the fuzz target and benchmarks.

TEST_LDADD = ofproto/libofproto.a ovsdb/libovsdb.a datapath/libdatapath.a lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# Test data from other projects (tests/vectors/README.md), for every test.
AM_TESTS_ENVIRONMENT = TERN_VECTORS_DIR='$(abs_top_srcdir)/tests/vectors'; \
	export TERN_VECTORS_DIR;
EXTRA_DIST += tests/vectors
# Programs without their own _LDADD (all unit tests) link this.
LDADD = $(TEST_LDADD)

# Helpers several unit tests share (temporary directories, sleeping,
# reading files, JSON test data, a unixctl server thread).
TEST_COMMON_SOURCES = tests/unit/test-common.c tests/unit/test-common.h

UNIT_TESTS = \
	tests/unit/test-util \
	tests/unit/test-vlog \
	tests/unit/test-unixctl \
	tests/unit/test-daemon \
	tests/unit/test-flow \
	tests/unit/test-flow-ipv6 \
	tests/unit/test-flow-simple \
	tests/unit/test-flow-compose \
	tests/unit/test-odp-util \
	tests/unit/test-classifier \
	tests/unit/test-rcu \
	tests/unit/test-dp-actions \
	tests/unit/test-netdev \
	tests/unit/test-netdev-vhost \
	tests/unit/test-dp-emc \
	tests/unit/test-dp-execute \
	tests/unit/test-dp-execute-set \
	tests/unit/test-dpif \
	tests/unit/test-dpif-pmd \
	tests/unit/test-ovsdb-journal \
	tests/unit/test-stream \
	tests/unit/test-jsonrpc \
	tests/unit/test-ovsdb-data
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_vlog_SOURCES = tests/unit/test-vlog.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_unixctl_SOURCES = tests/unit/test-unixctl.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_daemon_SOURCES = tests/unit/test-daemon.c \
	$(TEST_COMMON_SOURCES)
# The flow extraction tests share their builders and assertions.
FLOW_TEST_UTIL_SOURCES = tests/unit/flow-test-util.c \
	tests/unit/flow-test-util.h \
	tests/unit/packet-builder.c tests/unit/packet-builder.h
tests_unit_test_flow_SOURCES = tests/unit/test-flow.c \
	$(FLOW_TEST_UTIL_SOURCES)
tests_unit_test_flow_ipv6_SOURCES = tests/unit/test-flow-ipv6.c \
	$(FLOW_TEST_UTIL_SOURCES)
tests_unit_test_flow_simple_SOURCES = tests/unit/test-flow-simple.c \
	tests/unit/packet-builder.c tests/unit/packet-builder.h
tests_unit_test_flow_compose_SOURCES = tests/unit/test-flow-compose.c \
	tests/unit/packet-builder.c tests/unit/packet-builder.h
tests_unit_test_odp_util_SOURCES = tests/unit/test-odp-util.c
tests_unit_test_classifier_SOURCES = tests/unit/test-classifier.c
tests_unit_test_rcu_SOURCES = tests/unit/test-rcu.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_dp_actions_SOURCES = tests/unit/test-dp-actions.c
tests_unit_test_netdev_SOURCES = tests/unit/test-netdev.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_netdev_vhost_SOURCES = tests/unit/test-netdev-vhost.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_dp_emc_SOURCES = tests/unit/test-dp-emc.c
# The tests that run a datapath share its start-up.
DP_FIXTURE_SOURCES = tests/unit/dp-fixture.c tests/unit/dp-fixture.h
# The dp-execute tests share their fake callbacks and packets.
DP_EXECUTE_FIXTURE_SOURCES = tests/unit/dp-execute-fixture.c \
	tests/unit/dp-execute-fixture.h \
	tests/unit/packet-builder.c tests/unit/packet-builder.h
tests_unit_test_dp_execute_SOURCES = tests/unit/test-dp-execute.c \
	$(DP_EXECUTE_FIXTURE_SOURCES)
tests_unit_test_dp_execute_set_SOURCES = tests/unit/test-dp-execute-set.c \
	$(DP_EXECUTE_FIXTURE_SOURCES)
# The datapath tests share their datapath, upcall callback and helpers.
DPIF_FIXTURE_SOURCES = tests/unit/dpif-fixture.c \
	tests/unit/dpif-fixture.h \
	tests/unit/packet-builder.c tests/unit/packet-builder.h \
	$(DP_FIXTURE_SOURCES)
tests_unit_test_dpif_SOURCES = tests/unit/test-dpif.c \
	$(DPIF_FIXTURE_SOURCES)
tests_unit_test_dpif_pmd_SOURCES = tests/unit/test-dpif-pmd.c \
	$(DPIF_FIXTURE_SOURCES)
tests_unit_test_ovsdb_journal_SOURCES = tests/unit/test-ovsdb-journal.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_stream_SOURCES = tests/unit/test-stream.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_jsonrpc_SOURCES = tests/unit/test-jsonrpc.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ovsdb_data_SOURCES = tests/unit/test-ovsdb-data.c \
	$(TEST_COMMON_SOURCES)
# tern-dbserver's monitors, history and locks.
check_PROGRAMS += tests/unit/test-ovsdb-monitor
TESTS += tests/unit/test-ovsdb-monitor
tests_unit_test_ovsdb_monitor_SOURCES = tests/unit/test-ovsdb-monitor.c \
	$(TEST_COMMON_SOURCES)
# The database engine: schemas, rows and transactions.
check_PROGRAMS += tests/unit/test-ovsdb-schema tests/unit/test-ovsdb-txn
TESTS += tests/unit/test-ovsdb-schema tests/unit/test-ovsdb-txn
tests_unit_test_ovsdb_schema_SOURCES = tests/unit/test-ovsdb-schema.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ovsdb_txn_SOURCES = tests/unit/test-ovsdb-txn.c \
	$(TEST_COMMON_SOURCES)

# OpenFlow connections: framing, hello, probes, backlog, reconnection.
check_PROGRAMS += tests/unit/test-vconn
TESTS += tests/unit/test-vconn
tests_unit_test_vconn_SOURCES = tests/unit/test-vconn.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_vconn_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# The connection manager, packet-in limits and fail-mode on a real switch.
check_PROGRAMS += tests/unit/test-connmgr
TESTS += tests/unit/test-connmgr
tests_unit_test_connmgr_SOURCES = tests/unit/test-connmgr.c \
	$(TEST_COMMON_SOURCES)

# AF_XDP frame pools, xdp-mode and the kernel interface types' options.
check_PROGRAMS += tests/unit/test-afxdp
TESTS += tests/unit/test-afxdp
tests_unit_test_afxdp_SOURCES = tests/unit/test-afxdp.c

# The bridge layer of tern-vswitchd (its pure parts; bridge.sh covers the
# database conversation).
check_PROGRAMS += tests/unit/test-bridge
TESTS += tests/unit/test-bridge
tests_unit_test_bridge_SOURCES = tests/unit/test-bridge.c \
	vswitchd/bridge.c vswitchd/iface.c vswitchd/idl.c \
	$(TEST_COMMON_SOURCES)

# libFuzzer targets for flow_extract() and for the OpenFlow message
# decoders, and their seed generators, built only with --enable-fuzz
# (clang).  They compile the few sources they need directly, so no DPDK
# code or constructor is linked into the fuzzers.
# Run: tests/fuzz/run-fuzz.sh BUILD_DIR [RUNS].
FUZZ_FLOW_SOURCES = lib/flow.c lib/packets.c lib/util.c
FUZZ_OFP_SOURCES = lib/ofpbuf.c lib/hmap.c lib/ofp-errors.c lib/ofp-msgs.c \
	lib/ofp-switch.c lib/ofp-port.c lib/ofp-bundle.c lib/ofp-fields.c \
	lib/ofp-match.c lib/ofp-match-text.c lib/ofp-actions.c \
	lib/ofp-actions-text.c lib/ofp-actions-check.c lib/ofp-flow.c \
	lib/ofp-flow-text.c lib/ofp-packet.c lib/ofp-group.c lib/ofp-meter.c \
	lib/ofp-print.c lib/ofp-print-stats.c lib/ofp-print-more.c \
	lib/ofp-queue.c lib/ofp-nx.c lib/ofp-nx-flow.c lib/ofp-print-nx.c \
	$(FUZZ_FLOW_SOURCES)
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz-flow tests/fuzz/gen-flow-seeds
tests_fuzz_fuzz_flow_SOURCES = tests/fuzz/fuzz-flow.c $(FUZZ_FLOW_SOURCES)
tests_fuzz_fuzz_flow_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_flow_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_flow_LDADD =
tests_fuzz_gen_flow_seeds_SOURCES = tests/fuzz/gen-flow-seeds.c \
	lib/flow-compose.c $(FUZZ_FLOW_SOURCES)
tests_fuzz_gen_flow_seeds_LDADD =
noinst_PROGRAMS += tests/fuzz/fuzz-ofp tests/fuzz/gen-ofp-seeds
tests_fuzz_fuzz_ofp_SOURCES = tests/fuzz/fuzz-ofp.c $(FUZZ_OFP_SOURCES)
tests_fuzz_fuzz_ofp_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_ofp_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_ofp_LDADD =
tests_fuzz_gen_ofp_seeds_SOURCES = tests/fuzz/gen-ofp-seeds.c \
	$(FUZZ_OFP_SOURCES)
tests_fuzz_gen_ofp_seeds_LDADD = $(JANSSON_LIBS)
endif
EXTRA_DIST += tests/fuzz/run-fuzz.sh

# Integration tests: shell scripts that start tern-vswitchd in a private
# directory and drive it through tern-appctl (tests/integration/lib.sh).
# Those that need root or a tool that is missing exit 77 (SKIP).
INTEGRATION_TESTS = \
	tests/integration/daemon.sh \
	tests/integration/dummy.sh \
	tests/integration/rewrites.sh \
	tests/integration/masks.sh \
	tests/integration/upcall.sh \
	tests/integration/flows.sh \
	tests/integration/system.sh \
	tests/integration/dpdk.sh \
	tests/integration/bridge.sh \
	tests/integration/schema.sh \
	tests/integration/durability.sh \
	tests/integration/vsctl.sh
TESTS += $(INTEGRATION_TESTS)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = env top_srcdir=$(abs_top_srcdir) \
	top_builddir=$(abs_top_builddir) bash
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/lib.sh \
	tests/integration/pcap.py tests/integration/schema-diff.py
# tern-dbserver over raw JSON-RPC (and with ovs-vsctl).
INTEGRATION_TESTS += tests/integration/dbserver.sh \
	tests/integration/dbserver-vsctl.sh tests/integration/dbserver-ssl.sh \
	tests/integration/dbserver-disk.sh
INTEGRATION_TESTS += tests/integration/tern-ctl.sh
INTEGRATION_TESTS += tests/integration/compare-ovs.sh
# OpenFlow connections: the management socket, controllers, protocols.
INTEGRATION_TESTS += tests/integration/openflow.sh
# copy_ttl_in/out through a bridge, packets and captures by scapy.
INTEGRATION_TESTS += tests/integration/copy-ttl.sh
# OpenFlow against real peers: ovs-ofctl beside Open vSwitch (with tshark
# on the captures), ovs-testcontroller, NORMAL with VLANs, consistency
# under load, fail-mode.
INTEGRATION_TESTS += tests/integration/ofctl-compare.sh \
	tests/integration/testcontroller.sh tests/integration/normal-vlan.sh \
	tests/integration/consistency.sh tests/integration/failmode.sh
EXTRA_DIST += tests/integration/of-lib.sh tests/integration/vlan-ping.py \
	tests/integration/peers-lib.sh
# Hostile OpenFlow input on a live connection (a raw client in Python).
INTEGRATION_TESTS += tests/integration/openflow-hostile.sh
# Kernel interfaces through AF_XDP and the AF_PACKET fallback.
INTEGRATION_TESTS += tests/integration/afxdp.sh
EXTRA_DIST += tests/integration/openflow-hostile.py
# Hostile vhost-user frontends (a frontend in Python) against both vhost
# port types.
INTEGRATION_TESTS += tests/integration/vhost-hostile.sh
EXTRA_DIST += tests/integration/vhost-hostile.py
# Tests that must run alone (timing-sensitive peers): tests/run-suite.sh
# runs them after `make check`, one at a time (`make print-serial-tests`
# lists them): the os-ken switch tester, vhost-user ports against
# dpdk-testpmd guests (it measures throughput) and QEMU guests.
SERIAL_TESTS = tests/integration/ryu-switch.sh tests/integration/vhost.sh \
	tests/integration/vm-ping.sh tests/integration/vm-reconnect.sh
print-serial-tests:
	@echo $(SERIAL_TESTS)
.PHONY: print-serial-tests
EXTRA_DIST += $(SERIAL_TESTS) tests/integration/ryu-cases.py
# Real virtual machines (QEMU, TCG) on vhost-user ports: the guest image
# builder and its /init, and the console helpers the tests share.
EXTRA_DIST += tests/vm/build-guest.sh tests/vm/init tests/vm/tern-probe \
	tests/integration/vm-lib.sh
EXTRA_DIST += tests/integration/dbserver-lib.sh \
	tests/integration/dbserver-test.ovsschema
# OpenFlow framing, errors and the switch-level message families.
check_PROGRAMS += tests/unit/test-ofp-msgs
TESTS += tests/unit/test-ofp-msgs
tests_unit_test_ofp_msgs_SOURCES = tests/unit/test-ofp-msgs.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ofp_msgs_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# The Nicira extensible match (NXM) codec.
check_PROGRAMS += tests/unit/test-ofp-nx
TESTS += tests/unit/test-ofp-nx
tests_unit_test_ofp_nx_SOURCES = tests/unit/test-ofp-nx.c
tests_unit_test_ofp_nx_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# Datapath meters and the DPA_METER action.
check_PROGRAMS += tests/unit/test-dp-meter
TESTS += tests/unit/test-dp-meter
tests_unit_test_dp_meter_SOURCES = tests/unit/test-dp-meter.c \
	$(DP_EXECUTE_FIXTURE_SOURCES)
tests_unit_test_dp_meter_LDADD = datapath/libdatapath.a lib/libtern.a \
	$(CMOCKA_LIBS) $(TERN_LIBS)
# Match fields, OpenFlow 1.0 and OXM matches, the ovs-ofctl match syntax.
check_PROGRAMS += tests/unit/test-ofp-match
TESTS += tests/unit/test-ofp-match
tests_unit_test_ofp_match_SOURCES = tests/unit/test-ofp-match.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ofp_match_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# ofp-print and the codecs' round trip over Open vSwitch's ofp-print cases.
check_PROGRAMS += tests/unit/test-ofp-print
TESTS += tests/unit/test-ofp-print
tests_unit_test_ofp_print_SOURCES = tests/unit/test-ofp-print.c \
	$(TEST_COMMON_SOURCES)
# Flow, packet, group and meter messages: codecs and ovs-ofctl text.
check_PROGRAMS += tests/unit/test-ofp-flow
TESTS += tests/unit/test-ofp-flow
tests_unit_test_ofp_flow_SOURCES = tests/unit/test-ofp-flow.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ofp_flow_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# The OpenFlow switch's tables, groups, meters, ports and bundles.
check_PROGRAMS += tests/unit/test-ofproto
TESTS += tests/unit/test-ofproto
tests_unit_test_ofproto_SOURCES = tests/unit/test-ofproto.c \
	$(TEST_COMMON_SOURCES) $(DP_FIXTURE_SOURCES)
# OpenFlow actions and instructions: wire, text and checks.
check_PROGRAMS += tests/unit/test-ofp-actions
TESTS += tests/unit/test-ofp-actions
tests_unit_test_ofp_actions_SOURCES = tests/unit/test-ofp-actions.c \
	$(TEST_COMMON_SOURCES)
tests_unit_test_ofp_actions_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# Translation, NORMAL, upcalls and revalidation of the OpenFlow switch.
check_PROGRAMS += tests/unit/test-xlate
TESTS += tests/unit/test-xlate
tests_unit_test_xlate_SOURCES = tests/unit/test-xlate.c \
	tests/unit/packet-builder.c tests/unit/packet-builder.h \
	$(XLATE_FIXTURE_SOURCES)
# The same for the field, register, PBB and MPLS TTL actions.
XLATE_FIXTURE_SOURCES = tests/unit/xlate-fixture.c \
	tests/unit/xlate-fixture.h $(DP_FIXTURE_SOURCES)
check_PROGRAMS += tests/unit/test-xlate-fields
TESTS += tests/unit/test-xlate-fields
tests_unit_test_xlate_fields_SOURCES = tests/unit/test-xlate-fields.c \
	$(XLATE_FIXTURE_SOURCES)
# tern-ofctl beside ovs-ofctl, against Open vSwitch.
INTEGRATION_TESTS += tests/integration/ofctl.sh
# rtnetlink links and the link monitor (in a network namespace of its own).
check_PROGRAMS += tests/unit/test-nl-link
TESTS += tests/unit/test-nl-link
tests_unit_test_nl_link_SOURCES = tests/unit/test-nl-link.c
tests_unit_test_nl_link_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# The internal and tap netdev providers (in a network namespace of their
# own).
check_PROGRAMS += tests/unit/test-netdev-tap
TESTS += tests/unit/test-netdev-tap
tests_unit_test_netdev_tap_SOURCES = tests/unit/test-netdev-tap.c
tests_unit_test_netdev_tap_LDADD = lib/libtern.a $(CMOCKA_LIBS) $(TERN_LIBS)
# Internal ports: the bridge's LOCAL tap and type=internal ports, with
# tern-vswitchd in a network namespace of the test.
INTEGRATION_TESTS += tests/integration/internal.sh
# Microbenchmark of the datapath lookup stages (EMC, megaflow classifier)
# and of classifier insertion; never run by `make check`.
noinst_PROGRAMS += tests/perf/bench-cls
tests_perf_bench_cls_SOURCES = tests/perf/bench-cls.c
