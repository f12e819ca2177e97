# SPDX-License-Identifier: Apache-2.0
# vswitchd/: the tern-vswitchd daemon.

sbin_PROGRAMS += vswitchd/tern-vswitchd
vswitchd_tern_vswitchd_SOURCES = vswitchd/tern-vswitchd.c \
	vswitchd/dpctl.c vswitchd/dpctl.h vswitchd/dpctl-flow.c \
	vswitchd/dpctl-private.h vswitchd/bridge.c vswitchd/bridge.h \
	vswitchd/bridge-private.h vswitchd/iface.c vswitchd/idl.c vswitchd/idl.h
# The database schema, installed for tern-ctl (tern-dbtool create).
pkgdata_DATA += vswitchd/vswitch.ovsschema
EXTRA_DIST += vswitchd/vswitch.ovsschema
vswitchd_tern_vswitchd_LDADD = ofproto/libofproto.a datapath/libdatapath.a lib/libtern.a \
	$(TERN_LIBS)
