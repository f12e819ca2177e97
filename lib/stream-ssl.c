/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream-ssl: TLS (1.2 or later, OpenSSL) over the TCP sockets of
 * stream.c, for ssl: and pssl: names.
 *
 * Both sides present a certificate and verify the peer's against the
 * configured CA certificate, as Open vSwitch's SSL remotes do; there is no
 * host name check (the CA is the trust anchor).  One process-wide SSL_CTX
 * holds the key, certificate and CA store that stream_ssl_set_files()
 * loads (each call builds a new context from the files given so far);
 * streams opened before a change keep the settings they started with.
 *
 * Everything is non-blocking: the handshake runs inside stream_connect()
 * (and so inside the first recv or send), and an operation that OpenSSL
 * reports as WANT_READ or WANT_WRITE returns EAGAIN and records which poll
 * event would let it progress (stream_ssl_wants()).  A write that blocked
 * is repeated with the same length, as OpenSSL requires.  The socket is
 * driven through a small BIO of our own that sends with MSG_NOSIGNAL, so a
 * peer that goes away cannot raise SIGPIPE in the process.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/stream-provider.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_ssl);

/* Per-stream TLS state, owned by its stream. */
struct ssl_stream {
    SSL *ssl;
    short want;          /* Event the last blocked operation waits for. */
    size_t pending_send; /* Length of a blocked SSL_write(), or 0. */
    int last_errno;      /* Socket error seen by the BIO. */
};

/* Process-wide configuration (main thread). */
static SSL_CTX *ssl_ctx; /* NULL until key, certificate and CA are set. */
static char *ssl_key_path, *ssl_cert_path, *ssl_ca_path;
static BIO_METHOD *ssl_bio_method;

/* The socket BIO. */

static int
ssl_bio_write__(BIO *bio, const char *buf, int n)
{
    struct stream *stream = BIO_get_data(bio);
    ssize_t r;

    BIO_clear_retry_flags(bio);
    do {
        r = send(stream->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            BIO_set_retry_write(bio);
        } else {
            stream->ssl->last_errno = errno;
        }
        return -1;
    }
    return (int)r;
}

static int
ssl_bio_read__(BIO *bio, char *buf, int n)
{
    struct stream *stream = BIO_get_data(bio);
    ssize_t r;

    BIO_clear_retry_flags(bio);
    do {
        r = recv(stream->fd, buf, n, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            BIO_set_retry_read(bio);
        } else {
            stream->ssl->last_errno = errno;
        }
        return -1;
    }
    return (int)r;
}

static long
ssl_bio_ctrl__(BIO *bio TERN_UNUSED, int cmd, long num TERN_UNUSED,
               void *ptr TERN_UNUSED)
{
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int
ssl_bio_create__(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

static BIO_METHOD *
ssl_bio_method__(void)
{
    if (!ssl_bio_method) {
        ssl_bio_method = BIO_meth_new(
            BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tern-socket");
        if (!ssl_bio_method) {
            tern_fatal("cannot create an OpenSSL BIO method");
        }
        BIO_meth_set_write(ssl_bio_method, ssl_bio_write__);
        BIO_meth_set_read(ssl_bio_method, ssl_bio_read__);
        BIO_meth_set_ctrl(ssl_bio_method, ssl_bio_ctrl__);
        BIO_meth_set_create(ssl_bio_method, ssl_bio_create__);
    }
    return ssl_bio_method;
}

/* Configuration. */

/* Logs the OpenSSL error queue after 'what' failed for 'file', and clears
 * the queue. */
static void
ssl_log_errors__(const char *what, const char *file)
{
    unsigned long e = ERR_get_error();
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    VLOG_ERR("%s: %s: %s", file, what, e ? buf : "unknown error");
    ERR_clear_error();
}

/* Returns a new context with the protocol settings and nothing loaded, or
 * NULL. */
static SSL_CTX *
ssl_ctx_new__(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (!ctx) {
        ssl_log_errors__("cannot create SSL context", "ssl");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    /* A peer that closes without close_notify is an ordinary EOF. */
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    return ctx;
}

/* Returns 0 if 'file' can be read, else its errno after logging. */
static int
ssl_check_readable__(const char *file)
{
    if (file && access(file, R_OK)) {
        int error = errno;
        VLOG_ERR("%s: cannot read: %s", file, tern_strerror(error));
        return error;
    }
    return 0;
}

/* Loads whichever of the three files are non-NULL into 'ctx' (certificate
 * before key, so that the key is checked against it).  Returns 0 or
 * EINVAL after logging. */
static int
ssl_ctx_load__(SSL_CTX *ctx, const char *key, const char *cert, const char *ca)
{
    if (cert && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        ssl_log_errors__("cannot load certificate", cert);
        return EINVAL;
    }
    if (key && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        ssl_log_errors__(cert ? "cannot load private key for the "
                                "certificate"
                              : "cannot load private key",
                         key);
        return EINVAL;
    }
    if (ca) {
        if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
            ssl_log_errors__("cannot load CA certificate", ca);
            return EINVAL;
        }
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(ca);
        if (names) {
            SSL_CTX_set_client_CA_list(ctx, names);
        }
        ERR_clear_error();
    }
    return 0;
}

/* Replaces *pathp by a copy of 'path' unless 'path' is NULL. */
static void
ssl_set_path__(char **pathp, const char *path)
{
    if (path) {
        free(*pathp);
        *pathp = xstrdup(path);
    }
}

/* Every call rebuilds a context from the accumulated paths, so bad files
 * are reported at once and the previous configuration stays in force on
 * failure.  The context streams use is installed once all three files are
 * known. */
int
stream_ssl_set_files(const char *private_key, const char *certificate,
                     const char *ca_cert)
{
    const char *key = private_key ? private_key : ssl_key_path;
    const char *cert = certificate ? certificate : ssl_cert_path;
    const char *ca = ca_cert ? ca_cert : ssl_ca_path;
    int error = ssl_check_readable__(private_key);
    if (!error) {
        error = ssl_check_readable__(certificate);
    }
    if (!error) {
        error = ssl_check_readable__(ca_cert);
    }
    if (error) {
        return error;
    }

    SSL_CTX *ctx = ssl_ctx_new__();
    if (!ctx) {
        return ENOPROTOOPT;
    }
    error = ssl_ctx_load__(ctx, key, cert, ca);
    if (error) {
        SSL_CTX_free(ctx);
        return error;
    }

    ssl_set_path__(&ssl_key_path, private_key);
    ssl_set_path__(&ssl_cert_path, certificate);
    ssl_set_path__(&ssl_ca_path, ca_cert);
    if (key && cert && ca) {
        /* Streams hold their own references to the old context. */
        SSL_CTX_free(ssl_ctx);
        ssl_ctx = ctx;
    } else {
        SSL_CTX_free(ctx);
    }
    return 0;
}

int
stream_ssl_check_config(void)
{
    if (!ssl_ctx) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_ERR_RL(&rl,
                    "SSL needs a private key, a certificate and a CA "
                    "certificate (missing:%s%s%s)",
                    ssl_key_path ? "" : " private key",
                    ssl_cert_path ? "" : " certificate",
                    ssl_ca_path ? "" : " CA certificate");
        return ENOPROTOOPT;
    }
    return 0;
}

/* Streams. */

int
stream_ssl_attach(struct stream *stream, bool server)
{
    int error = stream_ssl_check_config();
    if (error) {
        return error;
    }
    SSL *ssl = SSL_new(ssl_ctx);
    BIO *bio = BIO_new(ssl_bio_method__());
    if (!ssl || !bio) {
        SSL_free(ssl);
        BIO_free(bio);
        ssl_log_errors__("cannot create SSL connection", stream->name);
        return ENOMEM;
    }
    BIO_set_data(bio, stream);
    SSL_set_bio(ssl, bio, bio);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
    }

    struct ssl_stream *ss = xzalloc(sizeof *ss);
    ss->ssl = ssl;
    ss->want = server ? POLLIN : POLLOUT;
    stream->ssl = ss;
    if (stream->state == STREAM_CONNECTED) {
        stream->state = STREAM_HANDSHAKE;
    }
    return 0;
}

/* Interprets the result 'r' of an SSL call on 'stream'.  Returns 0 for
 * end of stream, EAGAIN (with 'want' updated) or a positive errno. */
static int
ssl_error__(struct stream *stream, int r, const char *what)
{
    struct ssl_stream *ss = stream->ssl;
    int err = SSL_get_error(ss->ssl, r);
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 10);

    switch (err) {
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_WANT_READ:
        ss->want = POLLIN;
        return EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        ss->want = POLLOUT;
        return EAGAIN;
    case SSL_ERROR_SYSCALL:
        ERR_clear_error();
        if (ss->last_errno) {
            return ss->last_errno;
        }
        return r == 0 ? 0 : EPROTO;
    case SSL_ERROR_SSL:
    default: {
        char buf[256];
        long verify = SSL_get_verify_result(ss->ssl);
        ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
        ERR_clear_error();
        if (verify != X509_V_OK) {
            VLOG_WARN_RL(&rl, "%s: %s failed: peer certificate: %s",
                         stream->name, what,
                         X509_verify_cert_error_string(verify));
        } else {
            VLOG_WARN_RL(&rl, "%s: %s failed: %s", stream->name, what, buf);
        }
        return EPROTO;
    }
    }
}

int
stream_ssl_handshake(struct stream *stream)
{
    struct ssl_stream *ss = stream->ssl;
    ERR_clear_error();
    int r = SSL_do_handshake(ss->ssl);
    if (r == 1) {
        ss->want = 0;
        return 0;
    }
    int error = ssl_error__(stream, r, "handshake");
    return error ? error : ECONNRESET;
}

ssize_t
stream_ssl_recv(struct stream *stream, void *buf, size_t n)
{
    struct ssl_stream *ss = stream->ssl;
    ERR_clear_error();
    int r = SSL_read(ss->ssl, buf, (int)MIN(n, INT_MAX));
    if (r > 0) {
        ss->want = 0;
        return r;
    }
    return -ssl_error__(stream, r, "receive");
}

ssize_t
stream_ssl_send(struct stream *stream, const void *buf, size_t n)
{
    struct ssl_stream *ss = stream->ssl;
    if (!n) {
        return 0;
    }
    n = MIN(n, INT_MAX);
    if (ss->pending_send && n > ss->pending_send) {
        n = ss->pending_send; /* Repeat the blocked write exactly. */
    }
    ERR_clear_error();
    int r = SSL_write(ss->ssl, buf, (int)n);
    if (r > 0) {
        ss->pending_send = 0;
        ss->want = 0;
        return r;
    }
    int error = ssl_error__(stream, r, "send");
    if (error == EAGAIN) {
        ss->pending_send = n;
    }
    return -(error ? error : EPIPE);
}

short
stream_ssl_wants(const struct stream *stream, bool want_send)
{
    const struct ssl_stream *ss = stream->ssl;
    if (stream->state == STREAM_HANDSHAKE) {
        return ss->want ? ss->want : POLLOUT;
    }
    return POLLIN | ss->want | (want_send ? POLLOUT : 0);
}

void
stream_ssl_free(struct stream *stream)
{
    struct ssl_stream *ss = stream->ssl;
    if (stream->state == STREAM_CONNECTED) {
        /* Best effort close_notify; never waits. */
        ERR_clear_error();
        SSL_shutdown(ss->ssl);
        ERR_clear_error();
    }
    SSL_free(ss->ssl);
    free(ss);
    stream->ssl = NULL;
}
