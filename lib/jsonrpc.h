/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonrpc: JSON-RPC 1.0 messages (as RFC 7047 uses them) over a stream.
 *
 * Framing.  Messages are concatenated JSON objects with no delimiter; a
 * scanner finds where each top-level value ends (tracking strings, escapes
 * and bracket depth), so partial and back-to-back messages both work.  The
 * same framer serves unixctl.
 *
 * Limits (explicit, per connection): a message larger than
 * JSONRPC_MAX_MESSAGE bytes or nested deeper than JSONRPC_MAX_DEPTH is a
 * protocol error (EPROTO): the connection is closed after an error reply
 * where one can be sent.  At most JSONRPC_MAX_BACKLOG bytes may wait to be
 * sent; beyond that jsonrpc_send() fails with ENOBUFS and the owner drops
 * the client (a client that never reads cannot make the server grow).
 *
 * Messages are jansson objects (json_t).  Ownership: jsonrpc_send() takes a
 * reference to 'msg' (the caller keeps its own); jsonrpc_recv() gives the
 * caller a new reference.  In practice the send functions (jsonrpc_send(),
 * jsonrpc_session_send(), jsonrpc_transact_block()) serialise 'msg' before
 * returning and keep nothing: the caller always json_decref()s its own
 * message afterwards, e.g.
 *     json_t *req = jsonrpc_create_request("list_dbs", NULL, NULL);
 *     error = jsonrpc_send(rpc, req);
 *     json_decref(req);
 *
 * Threads: one thread per connection at a time.
 */
#ifndef TERN_JSONRPC_H
#define TERN_JSONRPC_H 1

#include <jansson.h>
#include <poll.h>

#include "lib/stream.h"

#define JSONRPC_MAX_MESSAGE (64 * 1024 * 1024)
#define JSONRPC_MAX_DEPTH   256
#define JSONRPC_MAX_BACKLOG (128 * 1024 * 1024)

/* The framer: finds complete top-level JSON values in a byte stream. */
struct json_framer {
    int depth;
    bool in_string;
    bool escape;
    bool started;
    int max_depth_seen;
};
void json_framer_init(struct json_framer *);
/* Scans 'len' bytes continuing the current value.  Returns the number of
 * bytes up to and including the end of the value, 0 if the value is not
 * complete yet (all bytes consumed into the state), or -1 if the input
 * cannot be JSON-RPC (a top-level value that is not an object or array, or
 * nesting deeper than JSONRPC_MAX_DEPTH). */
ssize_t json_framer_scan(struct json_framer *, const char *buf, size_t len);

struct jsonrpc;

/* Wraps a connected (or connecting) stream, taking ownership of it. */
struct jsonrpc *jsonrpc_open(struct stream *);
void jsonrpc_close(struct jsonrpc *);
const char *jsonrpc_get_name(const struct jsonrpc *);

/* Does I/O: flushes queued output.  Returns 0 or the errno that broke the
 * connection (then the caller closes it). */
int jsonrpc_run(struct jsonrpc *);
/* Queues 'msg' for sending (takes a reference).  Returns 0, ENOBUFS (backlog
 * full) or the connection's error. */
int jsonrpc_send(struct jsonrpc *, json_t *msg);
/* Receives one message: 0 with *msgp (new reference), EAGAIN if none is
 * complete, EOF (end of stream), EPROTO (bad framing, bad JSON, too large or
 * deep: *msgp is NULL), or another errno. */
int jsonrpc_recv(struct jsonrpc *, json_t **msgp);
/* Sends 'msg' and waits up to 'timeout_ms' (<0: forever) for the reply with
 * the same id, ignoring notifications.  Returns 0 with *replyp, or an
 * errno (ETIMEDOUT). */
int jsonrpc_transact_block(struct jsonrpc *, json_t *msg, int timeout_ms,
                           json_t **replyp);
/* Adds the poll() entry for this connection to 'pfd'. */
void jsonrpc_poll_fd(const struct jsonrpc *, struct pollfd *pfd);
size_t jsonrpc_backlog(const struct jsonrpc *);

/* Message constructors (new references).  'params', 'result' and 'error'
 * are taken over (stolen).  Ids are any JSON; jsonrpc_next_id() gives
 * process-unique integers. */
json_t *jsonrpc_create_request(const char *method, json_t *params,
                               json_t **idp);
json_t *jsonrpc_create_notify(const char *method, json_t *params);
json_t *jsonrpc_create_reply(json_t *result, const json_t *id);
json_t *jsonrpc_create_error(json_t *error, const json_t *id);
/* Returns a new process-unique request id (thread-safe). */
json_int_t jsonrpc_next_id(void);

/* A client session that reconnects with exponential backoff (1 s doubling
 * up to 'max_backoff_ms') and replies to "echo" requests itself. */
struct jsonrpc_session;
struct jsonrpc_session *jsonrpc_session_open(const char *name,
                                             int max_backoff_ms);
void jsonrpc_session_close(struct jsonrpc_session *);
/* Does I/O and reconnection; call every main-loop iteration. */
void jsonrpc_session_run(struct jsonrpc_session *);
/* Receives one message (see jsonrpc_recv()); NULL when none. */
json_t *jsonrpc_session_recv(struct jsonrpc_session *);
int jsonrpc_session_send(struct jsonrpc_session *, json_t *msg);
bool jsonrpc_session_is_connected(const struct jsonrpc_session *);
/* Increments each time a new connection is established (so clients know
 * to resend their monitors). */
unsigned int jsonrpc_session_get_seqno(const struct jsonrpc_session *);
void jsonrpc_session_poll_fd(const struct jsonrpc_session *,
                             struct pollfd *pfd, int *timeout_ms);

#endif /* TERN_JSONRPC_H */
