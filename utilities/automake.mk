# SPDX-License-Identifier: Apache-2.0
# utilities/: command-line tools.

bin_PROGRAMS += utilities/tern-appctl
utilities_tern_appctl_SOURCES = utilities/tern-appctl.c
utilities_tern_appctl_LDADD = lib/libtern.a $(TERN_LIBS)

bin_PROGRAMS += utilities/tern-vsctl
utilities_tern_vsctl_SOURCES = utilities/tern-vsctl.c utilities/vsctl-cmds.c \
	utilities/vsctl-db.c utilities/vsctl-format.c utilities/vsctl-idl.c \
	utilities/vsctl-private.h
utilities_tern_vsctl_LDADD = ovsdb/libovsdb.a lib/libtern.a $(TERN_LIBS)
