/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-vhost: vhost-user ports, the way virtual machines attach to Tern.
 *
 * Two netdev types on DPDK's rte_vhost library (see netdev-vhost.c and
 * Documentation/vhost-user.md):
 *
 *   dpdkvhostuser        Tern serves the socket SOCK-DIR/PORT-NAME and the
 *                        VM (QEMU as vhost-user client) connects to it.
 *   dpdkvhostuserclient  Tern connects to options:vhost-server-path, served
 *                        by QEMU, and reconnects whenever the connection
 *                        drops (VM restart, Tern restart).
 *
 * The classes themselves are registered by netdev.c
 * (netdev_vhost_server_class, netdev_vhost_client_class in
 * netdev-provider.h); this header only adds what the bridge configures.
 *
 * Threads: main thread only.
 */
#ifndef TERN_NETDEV_VHOST_H
#define TERN_NETDEV_VHOST_H 1

/* Sets the directory in which dpdkvhostuser ports create their sockets
 * (Open_vSwitch other_config:vhost-sock-dir).  A relative 'dir' is taken
 * under the run directory (daemon_rundir()); NULL or "" restores the
 * default, the run directory itself.  Ports opened later use the new
 * directory; open ports keep their socket.  'dir' is copied. */
void netdev_vhost_set_sock_dir(const char *dir);

/* Returns the socket path a dpdkvhostuser port called 'name' would use now
 * (caller frees). */
char *netdev_vhost_server_path(const char *name);

#endif /* TERN_NETDEV_VHOST_H */
