# SPDX-License-Identifier: Apache-2.0
# datapath/: the fast path behind the dpif API.

noinst_LIBRARIES += datapath/libdatapath.a
datapath_libdatapath_a_SOURCES = \
	datapath/dpif.h \
	datapath/dpif-netdev.c datapath/dpif-netdev-private.h \
	datapath/dp-flow.c datapath/dp-flow.h \
	datapath/dp-emc.c datapath/dp-emc.h \
	datapath/dp-execute.c datapath/dp-execute.h datapath/dp-execute-set.c \
	datapath/dp-execute-private.h datapath/dp-execute-ttl.c \
	datapath/dp-pmd.c datapath/dp-pmd.h datapath/dp-process.c \
	datapath/dp-perf.c datapath/dp-perf.h \
	datapath/dp-meter.c datapath/dp-meter.h \
	datapath/dp-nonpmd.c datapath/dp-nonpmd.h
