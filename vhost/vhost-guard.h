/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vhost-guard: the checks Tern makes on what a vhost-user frontend sends,
 * beyond those rte_vhost (DPDK 22.11) makes itself.
 *
 * rte_vhost parses the messages and walks the descriptor chains, and
 * closes the connection on most malformed messages.  It accepts, though,
 * memory tables without regions, with overlapping or wrapping regions, or
 * backed by a file smaller than the region (touching the rest would kill
 * the switch with SIGBUS); vring addresses outside the memory table; kick
 * and call fds that are not eventfds (a pipe nobody reads would block the
 * thread that signals the guest); vring indexes far beyond the queues
 * Tern serves; headers of another protocol version.  And a descriptor
 * chain that points outside guest memory, loops or names a descriptor
 * beyond the ring stops rte_vhost's dequeue at that chain for ever.
 *
 * The guard hooks into each connection's message handling
 * (rte_vhost_extern_callback_register()): after rte_vhost has handled a
 * message it checks the result and, if it is unsafe, makes rte_vhost close
 * the connection; it remembers why, and also notices a message that
 * rte_vhost itself rejected, so that the port logs one line saying why the
 * connection closed.  rte_vhost's own configuration log is turned down to
 * critical messages so that this one line is the only one.  On the data
 * path, vhost_guard_skip_bad_chain() gives a bad chain back to the guest
 * unused so that the ring moves on; the port counts it (rx_errors).
 *
 * Threads: attach and detach run on rte_vhost's event thread (connection
 * callbacks); the message checks run there too; vhost_guard_skip_bad_chain()
 * runs on the thread that polls the vring, the only one that dequeues from
 * it.
 */
#ifndef TERN_VHOST_GUARD_H
#define TERN_VHOST_GUARD_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Turns rte_vhost's own configuration log down (once). */
void vhost_guard_init(void);

/* Starts checking the messages of connection 'vid' for the port 'name'
 * (copied).  Returns 0 or a positive errno. */
int vhost_guard_attach(int vid, const char *name);

/* Stops checking connection 'vid'.  If the connection was closed because
 * of a bad message, writes the reason into 'reason' (of 'size' bytes) and
 * returns true; returns false for an orderly close. */
bool vhost_guard_detach(int vid, char *reason, size_t size);

/* Called by the thread that dequeues from vring 'vring' of connection
 * 'vid' when a dequeue returned nothing although the guest had made chains
 * available (the ring is stuck; an idle ring need not call it, since the
 * walk reads the vring and the memory table).  If the guest made a chain
 * available that rte_vhost cannot walk (outside guest memory, a loop, an
 * index beyond the ring), gives it back to the guest unused and returns
 * true (the caller counts it as an rx error); returns false otherwise. */
bool vhost_guard_skip_bad_chain(int vid, uint16_t vring);

#endif /* TERN_VHOST_GUARD_H */
