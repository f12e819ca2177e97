/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: non-blocking byte streams and listeners named the way Open
 * vSwitch names them:
 *
 *   active:  "unix:PATH", "tcp:IP:PORT", "ssl:IP:PORT"
 *   passive: "punix:PATH", "ptcp:PORT[:IP]", "pssl:PORT[:IP]"
 *
 * (IPv6 addresses in brackets: "tcp:[::1]:6640".)  SSL uses OpenSSL with
 * TLS 1.2 or later; the key, certificate and CA certificate come from
 * stream_ssl_set_files() (process-wide, like ovsdb-server's --private-key,
 * --certificate and --ca-cert).
 *
 * All calls are non-blocking: stream_recv() and stream_send() return
 * -EAGAIN style results as documented; callers poll() on stream_fd() with
 * the events stream_wants() reports.  Main-thread objects: a stream is used
 * by one thread at a time.
 */
#ifndef TERN_STREAM_H
#define TERN_STREAM_H 1

#include <sys/types.h>

#include "lib/util.h"

struct stream;
struct pstream;

/* Checks that 'name' is a well-formed active (or passive) name.  Returns 0
 * or EAFNOSUPPORT (unknown method) / EINVAL (malformed). */
int stream_verify_name(const char *name);
int pstream_verify_name(const char *name);

/* Starts connecting to 'name'.  Returns 0 and a stream in *streamp (the
 * connection may still be in progress: see stream_connect()), or a positive
 * errno. */
int stream_open(const char *name, struct stream **streamp);
/* Advances a connection in progress: 0 when connected, EAGAIN while still
 * connecting, another errno on failure. */
int stream_connect(struct stream *);
/* Reads up to 'n' bytes.  Returns the number read (> 0), 0 at end of
 * stream, or a negative errno (-EAGAIN when nothing is available). */
ssize_t stream_recv(struct stream *, void *buf, size_t n);
/* Writes up to 'n' bytes.  Returns the number written (>= 0) or a negative
 * errno (-EAGAIN when the socket is full). */
ssize_t stream_send(struct stream *, const void *buf, size_t n);
void stream_close(struct stream *);
const char *stream_get_name(const struct stream *);
/* The fd to poll and the events (POLLIN/POLLOUT) the stream needs now. */
int stream_fd(const struct stream *);
short stream_wants(const struct stream *, bool want_send);

/* Starts listening on 'name'.  Returns 0 or a positive errno. */
int pstream_open(const char *name, struct pstream **pstreamp);
/* Accepts one connection: 0 with *streamp set, EAGAIN, or another errno. */
int pstream_accept(struct pstream *, struct stream **streamp);
void pstream_close(struct pstream *);
const char *pstream_get_name(const struct pstream *);
int pstream_fd(const struct pstream *);
/* For "ptcp:0": the port actually bound (0 for other kinds). */
int pstream_get_bound_port(const struct pstream *);

/* Plain Unix domain sockets, for modules that frame their own bytes on a
 * descriptor (unixctl) but share the socket handling of "unix:" and
 * "punix:".
 *
 * stream_unix_listen() removes a stale socket file at 'path' (refusing
 * with EADDRINUSE if a server still answers there, or EEXIST if 'path' is
 * not a socket), binds a non-blocking listening socket there, sets the
 * file's permission bits to 'mode' unless 'mode' is 0, and listens with
 * 'backlog'.  stream_unix_connect() connects a blocking socket to 'path'.
 * Both return 0 with the descriptor in *fdp, which the caller then owns
 * and closes (a listener's socket file is the caller's to unlink), or a
 * positive errno (EINVAL for an empty path, ENAMETOOLONG for one too long
 * for a socket address). */
int stream_unix_listen(const char *path, mode_t mode, int backlog, int *fdp);
int stream_unix_connect(const char *path, int *fdp);

/* SSL configuration for ssl: and pssl: (file paths; NULL leaves a setting
 * unchanged).  Returns 0 or a positive errno with a log message. */
int stream_ssl_set_files(const char *private_key, const char *certificate,
                         const char *ca_cert);

#endif /* TERN_STREAM_H */
