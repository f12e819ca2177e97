# SPDX-License-Identifier: Apache-2.0
# vhost/: vhost-user ports (dpdkvhostuser, dpdkvhostuserclient) on rte_vhost,
# part of libtern.a so that netdev.c can register them.
lib_libtern_a_SOURCES += vhost/netdev-vhost.c vhost/netdev-vhost.h \
	vhost/vhost-guard.c vhost/vhost-guard.h
