/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream-provider: the implementer's side of stream.h.  stream.c owns the
 * socket kinds (unix, tcp) and the name parsing; stream-ssl.c layers TLS
 * over a TCP socket through the hooks below.  Nothing outside those two
 * files includes this header.
 */
#ifndef TERN_STREAM_PROVIDER_H
#define TERN_STREAM_PROVIDER_H 1

#include <sys/types.h>

#include "lib/stream.h"

struct ssl_stream;

/* Connection states of a stream. */
enum stream_state {
    STREAM_CONNECTING, /* Socket connect() in progress. */
    STREAM_HANDSHAKE,  /* Socket up, TLS handshake in progress (ssl). */
    STREAM_CONNECTED,
    STREAM_FAILED /* 'error' says why. */
};

struct stream {
    char *name; /* Owned. */
    int fd;     /* Owned; closed by stream_close(). */
    enum stream_state state;
    int error;              /* Positive errno once STREAM_FAILED. */
    struct ssl_stream *ssl; /* Non-NULL for ssl: streams (owned). */
};

/* ssl: hooks implemented by stream-ssl.c.  stream_ssl_attach() starts TLS
 * on a TCP stream (client or server side); the others implement the
 * matching stream.h operation for a stream whose 'ssl' is set. */
int stream_ssl_attach(struct stream *, bool server);
int stream_ssl_handshake(struct stream *);
ssize_t stream_ssl_recv(struct stream *, void *buf, size_t n);
ssize_t stream_ssl_send(struct stream *, const void *buf, size_t n);
short stream_ssl_wants(const struct stream *, bool want_send);
void stream_ssl_free(struct stream *);
/* Returns 0 if ssl: streams can be opened now (key, certificate and CA
 * configured), else ENOPROTOOPT after logging what is missing. */
int stream_ssl_check_config(void);

#endif /* TERN_STREAM_PROVIDER_H */
