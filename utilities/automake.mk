# SPDX-License-Identifier: Apache-2.0
# utilities/: command-line tools.

bin_PROGRAMS += utilities/tern-appctl
utilities_tern_appctl_SOURCES = utilities/tern-appctl.c
utilities_tern_appctl_LDADD = lib/libtern.a $(TERN_LIBS)
