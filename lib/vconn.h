/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vconn: OpenFlow connections over lib/stream.
 *
 * A 'struct vconn' is one connection: it frames the byte stream into
 * OpenFlow messages (8-byte header, then the rest of 'length' bytes; a
 * length below 8 or above the connection's receive limit is a protocol
 * error), does the hello exchange (version bitmaps, highest common version;
 * on no common version it sends OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE and
 * fails with EPROTO), answers echo requests itself, probes an idle peer
 * (after 'probe_interval' without traffic it sends an echo request; after
 * another interval still without traffic it fails with ETIMEDOUT), and
 * queues output.  The output queue is bounded (VCONN_MAX_BACKLOG_MSGS
 * messages or VCONN_MAX_BACKLOG_BYTES bytes): a send beyond that fails the
 * connection with ENOBUFS and a log line, so that a peer that stops
 * reading cannot make the switch grow without bound.
 *
 * A 'struct pvconn' listens ("ptcp:", "pssl:", "punix:") and accepts
 * vconns.  A 'struct vconn_session' is an active connection ("tcp:",
 * "ssl:", "unix:") that reconnects after failures with exponential backoff
 * (1 s doubling up to 'max_backoff'), the way a switch keeps trying to
 * reach its controller.
 *
 * Messages are whole OpenFlow messages in 'struct ofpbuf's.  Hello, echo
 * request and echo reply never reach the caller.
 *
 * All calls are non-blocking; callers poll() on the descriptors that the
 * *_poll_fd() functions fill and call the *_run() functions every main-loop
 * iteration.  Main thread only (one thread per object).
 */
#ifndef TERN_VCONN_H
#define TERN_VCONN_H 1

#include <poll.h>

#include "lib/ofpbuf.h"
#include "lib/util.h"

struct stream;
struct pstream;

#define VCONN_MAX_BACKLOG_MSGS  1000
#define VCONN_MAX_BACKLOG_BYTES (4 * 1024 * 1024)
/* Largest message accepted (the length field's maximum). */
#define VCONN_MAX_RECV_LEN 65535
/* Default inactivity probe interval and reconnection backoff. */
#define VCONN_DEFAULT_PROBE_MS   5000
#define VCONN_DEFAULT_BACKOFF_MS 8000

/* Connection states. */
enum vconn_state {
    VCONN_CONNECTING, /* Stream connecting. */
    VCONN_HELLO,      /* Hello sent, waiting for the peer's. */
    VCONN_CONNECTED,  /* Version negotiated, messages flow. */
    VCONN_FAILED,     /* Dead: vconn_get_error() says why. */
};

struct vconn;

/* Wraps 'stream' (taken over) as an OpenFlow connection offering
 * 'allowed_versions' (bitmap, bit N = wire version N).  'probe_ms' <= 0
 * disables inactivity probes. */
struct vconn *vconn_create(struct stream *, uint32_t allowed_versions,
                           int probe_ms);
/* Opens an active connection to 'name'.  Returns 0 with *vconnp, or a
 * positive errno. */
int vconn_open(const char *name, uint32_t allowed_versions, int probe_ms,
               struct vconn **vconnp);
void vconn_close(struct vconn *);

const char *vconn_get_name(const struct vconn *);
enum vconn_state vconn_get_state(const struct vconn *);
/* The negotiated version (0 before VCONN_CONNECTED). */
uint8_t vconn_get_version(const struct vconn *);
/* 0, or why the connection failed (EOF for a clean close by the peer). */
int vconn_get_error(const struct vconn *);
void vconn_set_probe_interval(struct vconn *, int probe_ms);
/* Lowers the receive limit (8..VCONN_MAX_RECV_LEN). */
void vconn_set_recv_limit(struct vconn *, size_t max_len);

/* Does the I/O: connecting, hello, flushing output, probes.  Returns 0 or
 * the errno that killed the connection (then the caller closes it). */
int vconn_run(struct vconn *);
/* Receives one message: 0 with *msgp (caller owns it), EAGAIN when no
 * whole message is available, or the connection's errno. */
int vconn_recv(struct vconn *, struct ofpbuf **msgp);
/* Queues 'msg' (taken over, freed in every case).  Returns 0, ENOTCONN
 * before the version is negotiated, ENOBUFS if the backlog limit was
 * passed (the connection is then failed), or the connection's errno. */
int vconn_send(struct vconn *, struct ofpbuf *msg);
/* Messages and bytes waiting to be sent. */
size_t vconn_backlog_msgs(const struct vconn *);
size_t vconn_backlog_bytes(const struct vconn *);
/* Time of the last message received (time_msec()). */
long long vconn_last_activity(const struct vconn *);
/* Fills 'pfd' for poll() and lowers *timeout_ms to the next probe time. */
void vconn_poll_fd(const struct vconn *, struct pollfd *pfd, int *timeout_ms);

/* Blocking helpers for command-line tools and tests: run until the
 * version is negotiated, until a message arrives (*msgp, caller owns it),
 * or until the output queue is empty, for at most 'timeout_ms' (< 0:
 * forever).  Return 0, ETIMEDOUT or the connection's errno. */
int vconn_connect_block(struct vconn *, int timeout_ms);
int vconn_recv_block(struct vconn *, int timeout_ms, struct ofpbuf **msgp);
int vconn_flush_block(struct vconn *, int timeout_ms);

/* Listeners. */
struct pvconn;
int pvconn_open(const char *name, uint32_t allowed_versions, int probe_ms,
                struct pvconn **pvconnp);
void pvconn_close(struct pvconn *);
const char *pvconn_get_name(const struct pvconn *);
/* Accepts one connection: 0 with *vconnp (caller owns it), EAGAIN, or
 * another errno. */
int pvconn_accept(struct pvconn *, struct vconn **vconnp);
void pvconn_poll_fd(const struct pvconn *, struct pollfd *pfd);
/* Versions offered to connections accepted from now on. */
void pvconn_set_allowed_versions(struct pvconn *, uint32_t allowed_versions);
/* For "ptcp:0": the port bound. */
int pvconn_get_bound_port(const struct pvconn *);

/* Reconnecting active connections. */
struct vconn_session;
struct vconn_session *vconn_session_create(const char *name,
                                           uint32_t allowed_versions,
                                           int max_backoff_ms, int probe_ms);
void vconn_session_destroy(struct vconn_session *);
void vconn_session_run(struct vconn_session *);
/* See vconn_recv()/vconn_send(); when not connected, recv gives EAGAIN
 * and send drops 'msg' and returns ENOTCONN. */
int vconn_session_recv(struct vconn_session *, struct ofpbuf **msgp);
int vconn_session_send(struct vconn_session *, struct ofpbuf *msg);
bool vconn_session_is_connected(const struct vconn_session *);
/* The current connection, or NULL. */
struct vconn *vconn_session_get_vconn(const struct vconn_session *);
/* Increments on every new connection (per-connection state resets). */
unsigned int vconn_session_get_seqno(const struct vconn_session *);
/* "BACKOFF", "CONNECTING", "ACTIVE" or "IDLE" (probe sent). */
const char *vconn_session_get_state(const struct vconn_session *);
/* The last failure, 0 if none yet. */
int vconn_session_get_last_error(const struct vconn_session *);
/* time_msec() of the last connection and disconnection, 0 if never. */
long long vconn_session_last_connected(const struct vconn_session *);
long long vconn_session_last_disconnected(const struct vconn_session *);
void vconn_session_set_probe_interval(struct vconn_session *, int probe_ms);
void vconn_session_set_max_backoff(struct vconn_session *, int backoff_ms);
void vconn_session_poll_fd(const struct vconn_session *, struct pollfd *pfd,
                           int *timeout_ms);

/* Version bitmap helpers. */
/* Highest version in 'bitmap', 0 if empty. */
uint8_t vconn_highest_version(uint32_t bitmap);
/* The bitmap that a hello advertises ('len' bytes at 'hello', a whole
 * message): from its version bitmap element if any, else every version up
 * to the header's. */
uint32_t vconn_hello_versions(const void *hello, size_t len);

#endif /* TERN_VCONN_H */
