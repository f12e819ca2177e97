/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: non-blocking unix and TCP sockets behind the names of stream.h,
 * and the dispatch to stream-ssl.c for ssl: and pssl:.
 *
 * Names.  "unix:PATH" and "punix:PATH" take a path relative to the current
 * directory (or absolute).  "tcp:HOST[:PORT]" and "ptcp:[PORT][:HOST]"
 * take numeric IPv4 or IPv6 addresses only: there is no DNS lookup, so
 * opening a stream never blocks.  IPv6 hosts of active names are written
 * in brackets ("tcp:[::1]:6640"); PORT defaults to 6640, the OVSDB port,
 * and a passive HOST defaults to 0.0.0.0.
 *
 * Connection.  stream_open() starts a non-blocking connect(); the stream
 * is STREAM_CONNECTING until stream_connect() (called by recv and send
 * too) sees the socket writable and SO_ERROR clear.  ssl: streams then do
 * their TLS handshake (STREAM_HANDSHAKE) in stream-ssl.c.  TCP sockets set
 * TCP_NODELAY: JSON-RPC messages are small and latency matters.
 *
 * punix: removes a stale socket file left by a dead server before binding,
 * but refuses (EADDRINUSE) when a live server answers at that path.
 */
#include <config.h>

#include "lib/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/stream-provider.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(stream);

#define STREAM_DEFAULT_PORT "6640"
#define PSTREAM_BACKLOG     64

enum stream_kind { STREAM_UNIX, STREAM_TCP, STREAM_SSL };

struct pstream {
    char *name;
    int fd;
    enum stream_kind kind;
    char *path;     /* punix: the socket file, unlinked on close. */
    int bound_port; /* ptcp:, pssl: the port actually bound. */
};

/* Splits 'name' into its kind and the text after the colon.  'passive'
 * selects the "p" prefixes.  Returns 0 or EAFNOSUPPORT. */
static int
stream_split_name__(const char *name, bool passive, enum stream_kind *kind,
                    const char **rest)
{
    static const struct {
        const char *prefix;
        enum stream_kind kind;
    } kinds[] = {
        {"unix:", STREAM_UNIX},
        {"tcp:", STREAM_TCP},
        {"ssl:", STREAM_SSL},
    };
    if (passive) {
        if (name[0] != 'p') {
            return EAFNOSUPPORT;
        }
        name++;
    }
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        size_t len = strlen(kinds[i].prefix);
        if (!strncmp(name, kinds[i].prefix, len)) {
            *kind = kinds[i].kind;
            *rest = name + len;
            return 0;
        }
    }
    return EAFNOSUPPORT;
}

/* Fills 'un' for 'path'.  Returns 0, EINVAL (empty) or ENAMETOOLONG. */
static int
stream_make_sun__(const char *path, struct sockaddr_un *un)
{
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;
    if (!*path) {
        return EINVAL;
    }
    if (strlen(path) >= sizeof un->sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(un->sun_path, path);
    return 0;
}

/* Resolves numeric 'host' and 'port' into 'ss'.  Returns 0 or EINVAL. */
static int
stream_resolve__(const char *host, const char *port,
                 struct sockaddr_storage *ss, socklen_t *lenp)
{
    struct addrinfo hints = {
        .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
        .ai_socktype = SOCK_STREAM,
    };
    struct addrinfo *ai;
    uint16_t port_num;

    if (!*port) {
        port = STREAM_DEFAULT_PORT;
    }
    if (!str_to_u16(port, &port_num) || (port[0] == '0' && port[1] == 'x')) {
        return EINVAL;
    }
    if (getaddrinfo(host, port, &hints, &ai) || !ai) {
        return EINVAL;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *lenp = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* Parses "HOST[:PORT]" (active) or "[PORT][:HOST]" (passive) into 'ss'.
 * Returns 0 or EINVAL. */
static int
stream_parse_inet__(const char *s, bool passive, struct sockaddr_storage *ss,
                    socklen_t *lenp)
{
    char *copy = xstrdup(s);
    const char *host, *port;
    int error = EINVAL;

    if (passive) {
        char *colon = strchr(copy, ':');
        port = copy;
        host = "0.0.0.0";
        if (colon) {
            *colon = '\0';
            host = colon + 1;
        }
    } else {
        host = copy;
        port = "";
        if (copy[0] == '[') {
            char *end = strchr(copy, ']');
            if (!end || (end[1] && end[1] != ':')) {
                goto out;
            }
            port = end[1] ? end + 2 : "";
            *end = '\0';
            host = copy + 1;
        } else {
            char *colon = strchr(copy, ':');
            if (colon) {
                if (strchr(colon + 1, ':')) {
                    goto out; /* Bare IPv6 address: brackets needed. */
                }
                *colon = '\0';
                port = colon + 1;
            }
        }
    }
    if (passive && host[0] == '[') {
        char *h = (char *)host;
        size_t len = strlen(h);
        if (len < 2 || h[len - 1] != ']') {
            goto out;
        }
        h[len - 1] = '\0';
        host = h + 1;
    }
    if (*host) {
        error = stream_resolve__(host, port, ss, lenp);
    }
out:
    free(copy);
    return error;
}

/* Checks the part of a name after its prefix. */
static int
stream_verify_rest__(enum stream_kind kind, const char *rest, bool passive)
{
    if (kind == STREAM_UNIX) {
        struct sockaddr_un un;
        return stream_make_sun__(rest, &un);
    }
    struct sockaddr_storage ss;
    socklen_t len;
    return stream_parse_inet__(rest, passive, &ss, &len);
}

int
stream_verify_name(const char *name)
{
    enum stream_kind kind;
    const char *rest;
    int error = stream_split_name__(name, false, &kind, &rest);
    return error ? error : stream_verify_rest__(kind, rest, false);
}

int
pstream_verify_name(const char *name)
{
    enum stream_kind kind;
    const char *rest;
    int error = stream_split_name__(name, true, &kind, &rest);
    return error ? error : stream_verify_rest__(kind, rest, true);
}

/* Active streams. */

static struct stream *
stream_create__(const char *name, int fd, enum stream_state state)
{
    struct stream *stream = xzalloc(sizeof *stream);
    stream->name = xstrdup(name);
    stream->fd = fd;
    stream->state = state;
    return stream;
}

static void
stream_set_nodelay__(int fd)
{
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* Starts a non-blocking connect() of a new socket of 'family' to 'sa'.
 * Returns 0 with *fdp and *connected, or a positive errno. */
static int
stream_connect_socket__(int family, const struct sockaddr *sa, socklen_t len,
                        int *fdp, bool *connected)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    if (family != AF_UNIX) {
        stream_set_nodelay__(fd);
    }
    *connected = true;
    if (connect(fd, sa, len)) {
        int error = errno;
        if (error == EINPROGRESS) {
            *connected = false;
        } else {
            close(fd);
            /* A unix listener with a full backlog says EAGAIN: to the
             * caller that is a refused connection, retried later. */
            return error == EAGAIN ? ECONNREFUSED : error;
        }
    }
    *fdp = fd;
    return 0;
}

int
stream_open(const char *name, struct stream **streamp)
{
    enum stream_kind kind;
    const char *rest;
    struct sockaddr_storage ss;
    socklen_t len = 0;
    bool connected;
    int fd, error;

    *streamp = NULL;
    error = stream_split_name__(name, false, &kind, &rest);
    if (error) {
        return error;
    }
    if (kind == STREAM_UNIX) {
        struct sockaddr_un un;
        error = stream_make_sun__(rest, &un);
        if (!error) {
            error = stream_connect_socket__(AF_UNIX, (struct sockaddr *)&un,
                                            sizeof un, &fd, &connected);
        }
    } else {
        error = stream_parse_inet__(rest, false, &ss, &len);
        if (!error && kind == STREAM_SSL) {
            error = stream_ssl_check_config();
        }
        if (!error) {
            error = stream_connect_socket__(
                ss.ss_family, (struct sockaddr *)&ss, len, &fd, &connected);
        }
    }
    if (error) {
        return error;
    }

    struct stream *stream = stream_create__(
        name, fd, connected ? STREAM_CONNECTED : STREAM_CONNECTING);
    if (kind == STREAM_SSL) {
        error = stream_ssl_attach(stream, false);
        if (error) {
            stream_close(stream);
            return error;
        }
    }
    *streamp = stream;
    return 0;
}

/* Fails 'stream' with 'error' (positive) and returns 'error'. */
static int
stream_fail__(struct stream *stream, int error)
{
    stream->state = STREAM_FAILED;
    stream->error = error;
    return error;
}

/* Finishes the socket connect() of 'stream' if it is done. */
static int
stream_connect_socket_done__(struct stream *stream)
{
    struct pollfd pfd = {.fd = stream->fd, .events = POLLOUT};
    if (poll(&pfd, 1, 0) <= 0) {
        return EAGAIN;
    }
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(stream->fd, SOL_SOCKET, SO_ERROR, &error, &len)) {
        error = errno;
    }
    if (error) {
        return stream_fail__(stream, error);
    }
    stream->state = stream->ssl ? STREAM_HANDSHAKE : STREAM_CONNECTED;
    return 0;
}

int
stream_connect(struct stream *stream)
{
    for (;;) {
        int error;
        switch (stream->state) {
        case STREAM_CONNECTING:
            error = stream_connect_socket_done__(stream);
            if (error) {
                return error;
            }
            break;
        case STREAM_HANDSHAKE:
            error = stream_ssl_handshake(stream);
            if (error == EAGAIN) {
                return EAGAIN;
            } else if (error) {
                return stream_fail__(stream, error);
            }
            stream->state = STREAM_CONNECTED;
            break;
        case STREAM_CONNECTED:
            return 0;
        case STREAM_FAILED:
        default:
            return stream->error;
        }
    }
}

ssize_t
stream_recv(struct stream *stream, void *buf, size_t n)
{
    int error = stream_connect(stream);
    if (error) {
        return -error;
    }
    if (stream->ssl) {
        return stream_ssl_recv(stream, buf, n);
    }
    for (;;) {
        ssize_t r = recv(stream->fd, buf, n, MSG_DONTWAIT);
        if (r >= 0) {
            return r;
        } else if (errno != EINTR) {
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        }
    }
}

ssize_t
stream_send(struct stream *stream, const void *buf, size_t n)
{
    int error = stream_connect(stream);
    if (error) {
        return -error;
    }
    if (stream->ssl) {
        return stream_ssl_send(stream, buf, n);
    }
    for (;;) {
        ssize_t r = send(stream->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (r >= 0) {
            return r;
        } else if (errno != EINTR) {
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        }
    }
}

void
stream_close(struct stream *stream)
{
    if (stream) {
        if (stream->ssl) {
            stream_ssl_free(stream);
        }
        close(stream->fd);
        free(stream->name);
        free(stream);
    }
}

const char *
stream_get_name(const struct stream *stream)
{
    return stream->name;
}

int
stream_fd(const struct stream *stream)
{
    return stream->fd;
}

short
stream_wants(const struct stream *stream, bool want_send)
{
    switch (stream->state) {
    case STREAM_CONNECTING:
        return POLLOUT;
    case STREAM_FAILED:
        /* Wake the caller at once so that it sees the error. */
        return POLLIN | POLLOUT;
    case STREAM_HANDSHAKE:
    case STREAM_CONNECTED:
    default:
        if (stream->ssl) {
            return stream_ssl_wants(stream, want_send);
        }
        return POLLIN | (want_send ? POLLOUT : 0);
    }
}

/* Passive streams. */

/* Removes a stale socket file at 'path'.  Returns 0, EADDRINUSE if a
 * server answers there, or EEXIST if 'path' is not a socket. */
static int
pstream_remove_stale__(const char *path, const struct sockaddr_un *un)
{
    struct stat st;
    if (lstat(path, &st)) {
        return 0;
    }
    if (!S_ISSOCK(st.st_mode)) {
        return EEXIST;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        bool live = !connect(fd, (const struct sockaddr *)un, sizeof *un);
        close(fd);
        if (live) {
            return EADDRINUSE;
        }
    }
    if (unlink(path) && errno != ENOENT) {
        return errno;
    }
    return 0;
}

/* Binds a new non-blocking listening socket of 'family' to 'sa' and
 * listens with 'backlog'.  For AF_UNIX, a nonzero 'mode' is applied to the
 * socket file between bind() and listen(), so that no client connects
 * before the permissions hold.  Returns 0 with *fdp or a positive errno. */
static int
pstream_listen__(int family, const struct sockaddr *sa, socklen_t len,
                 mode_t mode, int backlog, int *fdp)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    if (family != AF_UNIX) {
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    }
    const char *path =
        family == AF_UNIX ? ((const struct sockaddr_un *)sa)->sun_path : NULL;
    if (bind(fd, sa, len) || (path && mode && chmod(path, mode)) ||
        listen(fd, backlog)) {
        int error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

/* Returns the local port of socket 'fd', or 0. */
static int
pstream_local_port__(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len)) {
        return 0;
    }
    if (ss.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return 0;
}

int
stream_unix_listen(const char *path, mode_t mode, int backlog, int *fdp)
{
    struct sockaddr_un un;
    int error = stream_make_sun__(path, &un);
    if (!error) {
        error = pstream_remove_stale__(path, &un);
    }
    if (!error) {
        error = pstream_listen__(AF_UNIX, (struct sockaddr *)&un, sizeof un,
                                 mode, backlog, fdp);
    }
    return error;
}

int
stream_unix_connect(const char *path, int *fdp)
{
    struct sockaddr_un un;
    int error = stream_make_sun__(path, &un);
    if (error) {
        return error;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    if (connect(fd, (struct sockaddr *)&un, sizeof un)) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

int
pstream_open(const char *name, struct pstream **pstreamp)
{
    enum stream_kind kind;
    const char *rest;
    int fd = -1;
    int error;

    *pstreamp = NULL;
    error = stream_split_name__(name, true, &kind, &rest);
    if (error) {
        return error;
    }
    if (kind == STREAM_UNIX) {
        error = stream_unix_listen(rest, 0, PSTREAM_BACKLOG, &fd);
    } else {
        struct sockaddr_storage ss;
        socklen_t len;
        error = stream_parse_inet__(rest, true, &ss, &len);
        if (!error && kind == STREAM_SSL) {
            error = stream_ssl_check_config();
        }
        if (!error) {
            error = pstream_listen__(ss.ss_family, (struct sockaddr *)&ss, len,
                                     0, PSTREAM_BACKLOG, &fd);
        }
    }
    if (error) {
        VLOG_DBG("%s: cannot listen: %s", name, tern_strerror(error));
        return error;
    }

    struct pstream *p = xzalloc(sizeof *p);
    p->name = xstrdup(name);
    p->fd = fd;
    p->kind = kind;
    if (kind == STREAM_UNIX) {
        p->path = xstrdup(rest);
    } else {
        p->bound_port = pstream_local_port__(fd);
    }
    *pstreamp = p;
    return 0;
}

/* Returns a name for the peer of an accepted socket. */
static char *
pstream_peer_name__(const struct pstream *p, const struct sockaddr_storage *ss)
{
    char host[INET6_ADDRSTRLEN];
    const char *prefix = p->kind == STREAM_SSL ? "ssl" : "tcp";

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        return xasprintf("%s:%s:%d", prefix, host, ntohs(sin->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
        return xasprintf("%s:[%s]:%d", prefix, host, ntohs(sin6->sin6_port));
    }
    return xasprintf("unix:%s", p->path ? p->path : "");
}

int
pstream_accept(struct pstream *p, struct stream **streamp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd;

    *streamp = NULL;
    do {
        fd = accept4(p->fd, (struct sockaddr *)&ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    if (p->kind != STREAM_UNIX) {
        stream_set_nodelay__(fd);
    } else {
        ss.ss_family = AF_UNIX;
    }

    char *name = pstream_peer_name__(p, &ss);
    struct stream *stream = stream_create__(name, fd, STREAM_CONNECTED);
    free(name);
    if (p->kind == STREAM_SSL) {
        int error = stream_ssl_attach(stream, true);
        if (error) {
            stream_close(stream);
            return error;
        }
    }
    *streamp = stream;
    return 0;
}

void
pstream_close(struct pstream *p)
{
    if (p) {
        close(p->fd);
        if (p->path) {
            unlink(p->path);
            free(p->path);
        }
        free(p->name);
        free(p);
    }
}

const char *
pstream_get_name(const struct pstream *p)
{
    return p->name;
}

int
pstream_fd(const struct pstream *p)
{
    return p->fd;
}

int
pstream_get_bound_port(const struct pstream *p)
{
    return p->bound_port;
}
