# SPDX-License-Identifier: Apache-2.0
# ofproto/: the OpenFlow switch.  One line per part.

noinst_LIBRARIES += ofproto/libofproto.a
ofproto_libofproto_a_SOURCES = ofproto/ofproto.h ofproto/ofproto-private.h
# Tables, rules, groups, meters, bundles and message handling.
ofproto_libofproto_a_SOURCES += ofproto/ofproto.c ofproto/ofproto-flow.c \
	ofproto/ofproto-group.c ofproto/ofproto-meter.c \
	ofproto/ofproto-bundle.c ofproto/ofproto-handle.c
# Translation, upcalls, revalidation, NORMAL and MAC learning, trace.
ofproto_libofproto_a_SOURCES += ofproto/xlate.c ofproto/xlate.h \
	ofproto/xlate-freeze.c ofproto/xlate-freeze.h ofproto/xlate-mpls.c \
	ofproto/upcall.c ofproto/revalidate.c ofproto/normal.c \
	ofproto/mac-learning.c ofproto/mac-learning.h ofproto/trace.c
# Connections to controllers, fail-mode, packet-in rate limiting.
ofproto_libofproto_a_SOURCES += ofproto/connmgr.c ofproto/connmgr.h \
	ofproto/fail-mode.c ofproto/pinsched.c ofproto/pinsched.h
