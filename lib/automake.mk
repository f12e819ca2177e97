# SPDX-License-Identifier: Apache-2.0
# lib/: building blocks without policy.  One line per module family; add a
# file to the line of its family.

noinst_LIBRARIES += lib/libtern.a
lib_libtern_a_SOURCES =
# Basics: allocation, strings, maps, logging, control socket, daemon.
lib_libtern_a_SOURCES += lib/util.c lib/util.h lib/smap.c lib/smap.h \
	lib/hmap.c lib/hmap.h \
	lib/vlog.c lib/vlog.h lib/unixctl.c lib/unixctl.h \
	lib/daemon.c lib/daemon.h
# Packets and flow keys.
lib_libtern_a_SOURCES += lib/packets.c lib/packets.h lib/flow.c lib/flow.h \
	lib/hash.h lib/flow-compose.c lib/flow-compose.h
# Datapath action encoding and the ovs-dpctl text syntax.
lib_libtern_a_SOURCES += lib/dp-actions.c lib/dp-actions.h \
	lib/odp-util.c lib/odp-util.h lib/odp-util-private.h \
	lib/odp-key.c lib/odp-actions.c
# Classifier and RCU.
lib_libtern_a_SOURCES += lib/classifier.c lib/classifier.h \
	lib/rcu.c lib/rcu.h
# DPDK, packet buffers and netdevs.
lib_libtern_a_SOURCES += lib/dpdk.c lib/dpdk.h lib/dp-packet.c \
	lib/dp-packet.h lib/netdev.c lib/netdev.h lib/netdev-provider.h \
	lib/netdev-dummy.c lib/netdev-dummy.h lib/netdev-dpdk.c \
	lib/netdev-system.c lib/nl-link.c lib/nl-link.h \
	lib/netdev-tap.c lib/netdev-counters.h lib/dpdk-mbuf.c lib/dpdk-mbuf.h
# AF_XDP input/output of kernel interfaces (netdev-system.c).
lib_libtern_a_SOURCES += lib/netdev-afxdp.c lib/netdev-afxdp.h \
	lib/netdev-afxdp-pool.c lib/netdev-afxdp-pool.h
# UUIDs, streams (unix, tcp, ssl) and JSON-RPC.
lib_libtern_a_SOURCES += lib/uuid.c lib/uuid.h lib/stream.c lib/stream.h \
	lib/stream-provider.h lib/stream-ssl.c lib/jsonrpc.c lib/jsonrpc.h
# OpenFlow messages: framing, errors, one file per message family, text.
lib_libtern_a_SOURCES += lib/ofpbuf.c lib/ofpbuf.h lib/ofp-errors.c \
	lib/ofp-errors.h lib/ofp-msgs.c lib/ofp-msgs.h lib/ofp-switch.c \
	lib/ofp-switch.h lib/ofp-port.c lib/ofp-port.h lib/ofp-bundle.c \
	lib/ofp-bundle.h
lib_libtern_a_SOURCES += lib/ofp-fields.c lib/ofp-fields.h lib/ofp-match.c \
	lib/ofp-match.h lib/ofp-match-text.c
lib_libtern_a_SOURCES += lib/ofp-actions.c lib/ofp-actions.h \
	lib/ofp-actions-text.c lib/ofp-actions-check.c
lib_libtern_a_SOURCES += lib/ofp-flow.c lib/ofp-flow.h lib/ofp-flow-text.c \
	lib/ofp-packet.c lib/ofp-packet.h lib/ofp-group.c lib/ofp-group.h \
	lib/ofp-meter.c lib/ofp-meter.h
# OpenFlow connections and message printing.
lib_libtern_a_SOURCES += lib/vconn.c lib/vconn.h lib/ofp-print.c \
	lib/ofp-print.h lib/ofp-print-stats.c lib/ofp-print-private.h \
	lib/ofp-print-more.c lib/ofp-queue.c lib/ofp-queue.h lib/ofp-nx.c \
	lib/ofp-nx.h lib/ofp-print-nx.c lib/ofp-nx-flow.c
