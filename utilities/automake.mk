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

# tern-ctl: a script; the build substitutes the install directories.
sbin_SCRIPTS += utilities/tern-ctl
EXTRA_DIST += utilities/tern-ctl.in
CLEANFILES += utilities/tern-ctl
utilities/tern-ctl: utilities/tern-ctl.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && sed \
	    -e 's|@VERSION[@]|$(PACKAGE_VERSION)|g' \
	    -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	    -e 's|@bindir[@]|$(bindir)|g' \
	    -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@localstatedir[@]|$(localstatedir)|g' \
	    $(srcdir)/utilities/tern-ctl.in >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

bin_PROGRAMS += utilities/tern-ofctl
utilities_tern_ofctl_SOURCES = utilities/tern-ofctl.c utilities/ofctl-flows.c \
	utilities/ofctl-private.h
utilities_tern_ofctl_LDADD = lib/libtern.a $(TERN_LIBS)
