/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vconn: OpenFlow message framing, hello negotiation, echo probes and a
 * bounded output queue over lib/stream, plus listeners and reconnecting
 * active sessions (see vconn.h).
 *
 * The few messages this layer handles itself have the same layout in every
 * OpenFlow version: HELLO (type 0), ERROR (1), ECHO_REQUEST (2) and
 * ECHO_REPLY (3), so it works on raw bytes and needs no message codec.
 */
#include <config.h>

#include "lib/vconn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stream.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(vconn);

#define OFPT_HELLO_           0
#define OFPT_ERROR_           1
#define OFPT_ECHO_REQUEST_    2
#define OFPT_ECHO_REPLY_      3
#define OFPHET_VERSIONBITMAP_ 1
#define OFPET_HELLO_FAILED_   0
#define OFPHFC_INCOMPATIBLE_  0
#define OFP_HEADER_LEN_       8

/* Bytes of input read ahead per connection. */
#define VCONN_IBUF_SIZE 32768

/* Initial reconnection backoff and minimum connection timeout. */
#define VCONN_MIN_BACKOFF_MS 1000

struct vconn {
    struct stream *stream; /* Owned. */
    char *name;
    enum vconn_state state;
    int error;
    uint32_t allowed;
    uint8_t version;
    int probe_ms;
    size_t recv_limit;

    /* Input: what the stream gave and framing has not taken yet
     * ('ibuf_ofs' to 'ibuf_len' of 'ibuf', VCONN_IBUF_SIZE bytes,
     * allocated on first read), so that a burst of small messages costs
     * one read, not two per message. */
    uint8_t *ibuf;
    size_t ibuf_ofs, ibuf_len;
    /* Framing: header bytes, then the message being read. */
    uint8_t hdr[OFP_HEADER_LEN_];
    size_t hdr_len;
    struct ofpbuf *rx; /* NULL until the header is complete. */
    size_t rx_len;     /* Expected length of 'rx'. */

    /* Output queue: 'n_out' messages from 'out_head' in the ring 'out';
     * the first 'out_ofs' bytes of the head message are already sent. */
    struct ofpbuf **out;
    size_t out_alloc, out_head, n_out, out_bytes, out_ofs;

    long long started; /* Connection attempt or hello start. */
    long long last_rx; /* Last message received. */
    bool probe_sent;
    long long probe_at;
    uint32_t probe_xid;
};

/* ---- Version helpers. ---- */

uint8_t
vconn_highest_version(uint32_t bitmap)
{
    return bitmap ? 31 - __builtin_clz(bitmap) : 0;
}

static uint16_t
vconn_get_be16__(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
vconn_get_be32__(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

uint32_t
vconn_hello_versions(const void *hello_, size_t len)
{
    const uint8_t *hello = hello_;
    uint8_t hv;
    size_t ofs = OFP_HEADER_LEN_;

    if (len < OFP_HEADER_LEN_) {
        return 0;
    }
    hv = hello[0];
    while (ofs + 4 <= len) {
        uint16_t type = vconn_get_be16__(hello + ofs);
        uint16_t elen = vconn_get_be16__(hello + ofs + 2);

        if (elen < 4 || elen > len - ofs) {
            break;
        }
        if (type == OFPHET_VERSIONBITMAP_ && elen >= 8) {
            return vconn_get_be32__(hello + ofs + 4);
        }
        ofs += ROUND_UP(elen, 8);
    }
    return hv >= 31 ? ~1u : ((1u << (hv + 1)) - 1) & ~1u;
}

/* A message of 'len' bytes (header included) of 'type' with 'xid'. */
static struct ofpbuf *
vconn_make_msg__(uint8_t version, uint8_t type, uint32_t xid, size_t len)
{
    struct ofpbuf *b = ofpbuf_new(len);
    uint8_t *h = ofpbuf_put_zeros(b, len);

    h[0] = version;
    h[1] = type;
    h[2] = len >> 8;
    h[3] = len & 0xff;
    h[4] = xid >> 24;
    h[5] = xid >> 16;
    h[6] = xid >> 8;
    h[7] = xid;
    return b;
}

static struct ofpbuf *
vconn_make_hello__(uint32_t allowed)
{
    uint8_t version = vconn_highest_version(allowed);
    struct ofpbuf *b;

    if (version <= 1) {
        return vconn_make_msg__(version ? version : 1, OFPT_HELLO_, 0, 8);
    }
    b = vconn_make_msg__(version, OFPT_HELLO_, 0, 16);
    uint8_t *e = b->data + OFP_HEADER_LEN_;
    e[1] = OFPHET_VERSIONBITMAP_;
    e[3] = 8;
    e[4] = allowed >> 24;
    e[5] = allowed >> 16;
    e[6] = allowed >> 8;
    e[7] = allowed;
    return b;
}

/* ---- Connections. ---- */

struct vconn *
vconn_create(struct stream *stream, uint32_t allowed_versions, int probe_ms)
{
    struct vconn *v = xzalloc(sizeof *v);

    v->stream = stream;
    v->name = xstrdup(stream_get_name(stream));
    v->state = VCONN_CONNECTING;
    v->allowed = allowed_versions & ~1u;
    v->probe_ms = probe_ms;
    v->recv_limit = VCONN_MAX_RECV_LEN;
    v->started = v->last_rx = time_msec();
    return v;
}

int
vconn_open(const char *name, uint32_t allowed_versions, int probe_ms,
           struct vconn **vconnp)
{
    struct stream *stream;
    int error = stream_open(name, &stream);

    *vconnp = NULL;
    if (error) {
        return error;
    }
    *vconnp = vconn_create(stream, allowed_versions, probe_ms);
    return 0;
}

static void
vconn_clear_output__(struct vconn *v)
{
    while (v->n_out) {
        ofpbuf_delete(v->out[v->out_head]);
        v->out_head = (v->out_head + 1) % v->out_alloc;
        v->n_out--;
    }
    v->out_bytes = v->out_ofs = 0;
}

void
vconn_close(struct vconn *v)
{
    if (v) {
        vconn_clear_output__(v);
        free(v->out);
        ofpbuf_delete(v->rx);
        free(v->ibuf);
        stream_close(v->stream);
        free(v->name);
        free(v);
    }
}

const char *
vconn_get_name(const struct vconn *v)
{
    return v->name;
}

enum vconn_state
vconn_get_state(const struct vconn *v)
{
    return v->state;
}

uint8_t
vconn_get_version(const struct vconn *v)
{
    return v->state == VCONN_CONNECTED ? v->version : 0;
}

int
vconn_get_error(const struct vconn *v)
{
    return v->error;
}

void
vconn_set_probe_interval(struct vconn *v, int probe_ms)
{
    v->probe_ms = probe_ms;
}

void
vconn_set_recv_limit(struct vconn *v, size_t max_len)
{
    v->recv_limit = MAX(OFP_HEADER_LEN_, MIN(max_len, VCONN_MAX_RECV_LEN));
}

size_t
vconn_backlog_msgs(const struct vconn *v)
{
    return v->n_out;
}

size_t
vconn_backlog_bytes(const struct vconn *v)
{
    return v->out_bytes - v->out_ofs;
}

long long
vconn_last_activity(const struct vconn *v)
{
    return v->last_rx;
}

/* Records 'error' (sticky) and drops queued output. */
static int
vconn_fail__(struct vconn *v, int error)
{
    if (v->state != VCONN_FAILED) {
        v->state = VCONN_FAILED;
        v->error = error;
        if (error != EOF) {
            VLOG_DBG("%s: connection failed: %s", v->name,
                     tern_strerror(error));
        }
        vconn_clear_output__(v);
    }
    return v->error;
}

/* Appends 'msg' to the output queue without limits or state checks. */
static void
vconn_enqueue__(struct vconn *v, struct ofpbuf *msg)
{
    if (v->n_out == v->out_alloc) {
        size_t n = v->out_alloc ? v->out_alloc * 2 : 16;
        struct ofpbuf **out = xmalloc(n * sizeof *out);

        for (size_t i = 0; i < v->n_out; i++) {
            out[i] = v->out[(v->out_head + i) % v->out_alloc];
        }
        free(v->out);
        v->out = out;
        v->out_alloc = n;
        v->out_head = 0;
    }
    v->out[(v->out_head + v->n_out) % v->out_alloc] = msg;
    v->n_out++;
    v->out_bytes += msg->size;
}

/* Sends what the socket takes.  Returns 0 or the connection's error. */
static int
vconn_flush__(struct vconn *v)
{
    while (v->n_out) {
        struct ofpbuf *head = v->out[v->out_head];
        ssize_t n = stream_send(v->stream, head->data + v->out_ofs,
                                head->size - v->out_ofs);
        if (n == -EAGAIN) {
            return 0;
        } else if (n <= 0) {
            return vconn_fail__(v, n ? (int)-n : EPIPE);
        }
        v->out_ofs += n;
        if (v->out_ofs == head->size) {
            v->out_bytes -= head->size;
            v->out_ofs = 0;
            ofpbuf_delete(head);
            v->out_head = (v->out_head + 1) % v->out_alloc;
            v->n_out--;
        }
    }
    return 0;
}

int
vconn_send(struct vconn *v, struct ofpbuf *msg)
{
    if (v->state == VCONN_FAILED) {
        ofpbuf_delete(msg);
        return v->error;
    } else if (v->state != VCONN_CONNECTED) {
        ofpbuf_delete(msg);
        return ENOTCONN;
    }
    if (v->n_out >= VCONN_MAX_BACKLOG_MSGS ||
        vconn_backlog_bytes(v) + msg->size > VCONN_MAX_BACKLOG_BYTES) {
        VLOG_WARN("%s: peer is not reading (%zu messages, %zu bytes "
                  "queued): dropping the connection",
                  v->name, v->n_out, vconn_backlog_bytes(v));
        ofpbuf_delete(msg);
        return vconn_fail__(v, ENOBUFS);
    }
    vconn_enqueue__(v, msg);
    return vconn_flush__(v);
}

/* Reads up to 'n' bytes into 'p' through the read-ahead buffer, like
 * stream_recv(): the bytes read, 0 at the end of the stream, or a negative
 * errno (-EAGAIN).  Reads of a buffer's size or more bypass it. */
static ssize_t
vconn_read__(struct vconn *v, void *p, size_t n)
{
    size_t avail = v->ibuf_len - v->ibuf_ofs;

    if (!avail) {
        ssize_t got;

        if (n >= VCONN_IBUF_SIZE) {
            return stream_recv(v->stream, p, n);
        }
        if (!v->ibuf) {
            v->ibuf = xmalloc(VCONN_IBUF_SIZE);
        }
        got = stream_recv(v->stream, v->ibuf, VCONN_IBUF_SIZE);
        if (got <= 0) {
            return got;
        }
        v->ibuf_ofs = 0;
        v->ibuf_len = avail = got;
    }
    n = MIN(n, avail);
    memcpy(p, v->ibuf + v->ibuf_ofs, n);
    v->ibuf_ofs += n;
    return n;
}

/* True if the read-ahead buffer holds the rest of a whole message (or a
 * header whose length is bad): vconn_recv() has something to return
 * without reading the stream, which poll() would not tell. */
static bool
vconn_rx_pending__(const struct vconn *v)
{
    size_t avail = v->ibuf_len - v->ibuf_ofs;
    const uint8_t *p = v->ibuf + v->ibuf_ofs;
    size_t need_hdr, len;
    uint8_t hdr[OFP_HEADER_LEN_];

    if (!avail) {
        return false;
    }
    if (v->rx) {
        return avail >= v->rx_len - v->rx->size;
    }
    need_hdr = OFP_HEADER_LEN_ - v->hdr_len;
    if (avail < need_hdr) {
        return false;
    }
    memcpy(hdr, v->hdr, v->hdr_len);
    memcpy(hdr + v->hdr_len, p, need_hdr);
    len = vconn_get_be16__(hdr + 2);
    return len < OFP_HEADER_LEN_ || len > v->recv_limit ||
           avail - need_hdr >= len - OFP_HEADER_LEN_;
}

/* Reads one whole message: 0 with *msgp, EAGAIN, or an errno (EOF at the
 * end of the stream, EPROTO for a bad length). */
static int
vconn_recv_raw__(struct vconn *v, struct ofpbuf **msgp)
{
    while (v->hdr_len < OFP_HEADER_LEN_) {
        ssize_t n =
            vconn_read__(v, v->hdr + v->hdr_len, OFP_HEADER_LEN_ - v->hdr_len);
        if (n <= 0) {
            return n == 0 ? EOF : (int)-n;
        }
        v->hdr_len += n;
    }
    if (!v->rx) {
        size_t len = vconn_get_be16__(v->hdr + 2);
        if (len < OFP_HEADER_LEN_ || len > v->recv_limit) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
            VLOG_WARN_RL(&rl,
                         "%s: message length %zu out of range "
                         "(8 to %zu): closing",
                         v->name, len, v->recv_limit);
            return EPROTO;
        }
        v->rx = ofpbuf_new(len);
        ofpbuf_put(v->rx, v->hdr, OFP_HEADER_LEN_);
        v->rx_len = len;
    }
    while (v->rx->size < v->rx_len) {
        size_t want = v->rx_len - v->rx->size;
        uint8_t *p = ofpbuf_put_uninit(v->rx, want);
        ssize_t n = vconn_read__(v, p, want);

        v->rx->size -= want - (n > 0 ? (size_t)n : 0);
        if (n <= 0) {
            return n == 0 ? EOF : (int)-n;
        }
    }
    *msgp = v->rx;
    v->rx = NULL;
    v->hdr_len = 0;
    return 0;
}

/* Refuses the peer: sends HELLO_FAILED/INCOMPATIBLE and fails. */
static int
vconn_refuse__(struct vconn *v, uint8_t peer_version, uint32_t peer)
{
    char *reason = xasprintf("We support versions 0x%08x, you support "
                             "0x%08x, no common versions.",
                             v->allowed, peer);
    size_t rlen = strlen(reason);
    uint8_t version = MIN(peer_version, vconn_highest_version(v->allowed));
    struct ofpbuf *err = vconn_make_msg__(version ? version : 1, OFPT_ERROR_,
                                          0, OFP_HEADER_LEN_ + 4 + rlen);
    uint8_t *body = (uint8_t *)err->data + OFP_HEADER_LEN_;

    body[1] = OFPET_HELLO_FAILED_;
    body[3] = OFPHFC_INCOMPATIBLE_;
    memcpy(body + 4, reason, rlen);
    VLOG_INFO("%s: version negotiation failed: %s", v->name, reason);
    free(reason);
    vconn_enqueue__(v, err);
    vconn_flush__(v);
    return vconn_fail__(v, EPROTO);
}

/* Handles the peer's first message, which must be a hello. */
static int
vconn_process_hello__(struct vconn *v, const struct ofpbuf *msg)
{
    const uint8_t *h = msg->data;
    uint32_t peer, common;

    if (h[1] != OFPT_HELLO_) {
        VLOG_INFO("%s: first message is type %u, not hello", v->name, h[1]);
        return vconn_fail__(v, EPROTO);
    }
    peer = vconn_hello_versions(msg->data, msg->size);
    common = peer & v->allowed;
    if (!common) {
        return vconn_refuse__(v, h[0], peer);
    }
    v->version = vconn_highest_version(common);
    v->state = VCONN_CONNECTED;
    VLOG_DBG("%s: negotiated OpenFlow version 0x%02x", v->name, v->version);
    return 0;
}

/* Starts the connection: connect, then send the hello.  Returns 0 once the
 * hello is sent, EAGAIN while connecting, or an errno. */
static int
vconn_connect__(struct vconn *v)
{
    if (v->state == VCONN_CONNECTING) {
        int error = stream_connect(v->stream);
        if (error) {
            return error == EAGAIN ? EAGAIN : vconn_fail__(v, error);
        }
        v->state = VCONN_HELLO;
        v->started = v->last_rx = time_msec();
        vconn_enqueue__(v, vconn_make_hello__(v->allowed));
        return vconn_flush__(v);
    }
    return v->state == VCONN_FAILED ? v->error : 0;
}

int
vconn_recv(struct vconn *v, struct ofpbuf **msgp)
{
    *msgp = NULL;
    for (;;) {
        struct ofpbuf *msg;
        int error = vconn_connect__(v);

        if (error) {
            return error;
        }
        error = vconn_recv_raw__(v, &msg);
        if (error) {
            return error == EAGAIN ? EAGAIN : vconn_fail__(v, error);
        }
        v->last_rx = time_msec();
        v->probe_sent = false;

        const uint8_t *h = msg->data;
        if (v->state == VCONN_HELLO) {
            error = vconn_process_hello__(v, msg);
            ofpbuf_delete(msg);
            if (error) {
                return error;
            }
        } else if (h[1] == OFPT_HELLO_) {
            ofpbuf_delete(msg);
        } else if (h[1] == OFPT_ECHO_REQUEST_) {
            uint8_t *r = msg->data;
            r[1] = OFPT_ECHO_REPLY_;
            error = vconn_send(v, msg);
            if (error) {
                return error;
            }
        } else if (h[1] == OFPT_ECHO_REPLY_ && v->probe_xid &&
                   vconn_get_be32__(h + 4) == v->probe_xid) {
            ofpbuf_delete(msg);
        } else {
            *msgp = msg;
            return 0;
        }
    }
}

/* Sends an echo request after 'probe_ms' of silence, and fails after
 * another 'probe_ms' without an answer (or a hello that does not come). */
static int
vconn_probe__(struct vconn *v, long long now)
{
    if (v->probe_ms <= 0) {
        return 0;
    }
    if (v->state == VCONN_HELLO) {
        if (now >= v->started + 2LL * v->probe_ms) {
            VLOG_INFO("%s: no hello after %d ms, disconnecting", v->name,
                      2 * v->probe_ms);
            return vconn_fail__(v, ETIMEDOUT);
        }
    } else if (v->state == VCONN_CONNECTED) {
        if (v->probe_sent && now >= v->probe_at + v->probe_ms) {
            VLOG_INFO("%s: no response to inactivity probe after %d ms, "
                      "disconnecting",
                      v->name, v->probe_ms);
            return vconn_fail__(v, ETIMEDOUT);
        } else if (!v->probe_sent && now >= v->last_rx + v->probe_ms) {
            static uint32_t next_xid = 0x7e000000;
            v->probe_xid = ++next_xid ? next_xid : ++next_xid;
            v->probe_sent = true;
            v->probe_at = now;
            return vconn_send(v,
                              vconn_make_msg__(v->version, OFPT_ECHO_REQUEST_,
                                               v->probe_xid, 8));
        }
    }
    return 0;
}

int
vconn_run(struct vconn *v)
{
    int error = vconn_connect__(v);

    if (error) {
        return error == EAGAIN ? 0 : error;
    }
    if (v->state == VCONN_HELLO) {
        /* Negotiation needs no caller: read the hello now (and only it,
         * so that what follows stays for vconn_recv()). */
        struct ofpbuf *msg;
        error = vconn_recv_raw__(v, &msg);
        if (!error) {
            v->last_rx = time_msec();
            error = vconn_process_hello__(v, msg);
            ofpbuf_delete(msg);
            if (error) {
                return error;
            }
        } else if (error != EAGAIN) {
            return vconn_fail__(v, error);
        }
    }
    error = vconn_flush__(v);
    if (error) {
        return error;
    }
    return vconn_probe__(v, time_msec());
}

void
vconn_poll_fd(const struct vconn *v, struct pollfd *pfd, int *timeout_ms)
{
    pfd->fd = stream_fd(v->stream);
    pfd->events = stream_wants(v->stream, v->n_out > 0);
    pfd->revents = 0;
    if (v->state == VCONN_FAILED || vconn_rx_pending__(v)) {
        *timeout_ms = 0;
        return;
    }
    if (v->probe_ms > 0 &&
        (v->state == VCONN_CONNECTED || v->state == VCONN_HELLO)) {
        long long next = v->state == VCONN_HELLO
                             ? v->started + 2LL * v->probe_ms
                         : v->probe_sent ? v->probe_at + v->probe_ms
                                         : v->last_rx + v->probe_ms;
        long long wait = next - time_msec();
        wait = wait < 0 ? 0 : wait;
        if (*timeout_ms < 0 || wait < *timeout_ms) {
            *timeout_ms = (int)wait;
        }
    }
}

/* ---- Listeners. ---- */

struct pvconn {
    struct pstream *pstream;
    uint32_t allowed;
    int probe_ms;
};

int
pvconn_open(const char *name, uint32_t allowed_versions, int probe_ms,
            struct pvconn **pvconnp)
{
    struct pstream *ps;
    int error = pstream_open(name, &ps);

    *pvconnp = NULL;
    if (error) {
        return error;
    }
    struct pvconn *p = xzalloc(sizeof *p);
    p->pstream = ps;
    p->allowed = allowed_versions;
    p->probe_ms = probe_ms;
    *pvconnp = p;
    return 0;
}

void
pvconn_close(struct pvconn *p)
{
    if (p) {
        pstream_close(p->pstream);
        free(p);
    }
}

const char *
pvconn_get_name(const struct pvconn *p)
{
    return pstream_get_name(p->pstream);
}

int
pvconn_accept(struct pvconn *p, struct vconn **vconnp)
{
    struct stream *s;
    int error = pstream_accept(p->pstream, &s);

    *vconnp = NULL;
    if (error) {
        return error;
    }
    *vconnp = vconn_create(s, p->allowed, p->probe_ms);
    vconn_run(*vconnp);
    return 0;
}

void
pvconn_poll_fd(const struct pvconn *p, struct pollfd *pfd)
{
    pfd->fd = pstream_fd(p->pstream);
    pfd->events = POLLIN;
    pfd->revents = 0;
}

void
pvconn_set_allowed_versions(struct pvconn *p, uint32_t allowed_versions)
{
    if (p) {
        p->allowed = allowed_versions;
    }
}

int
pvconn_get_bound_port(const struct pvconn *p)
{
    return pstream_get_bound_port(p->pstream);
}

/* ---- Blocking helpers. ---- */

/* Waits for the connection's events for at most until 'deadline' (<0:
 * forever).  Returns false when the deadline has passed. */
static bool
vconn_wait__(const struct vconn *v, long long deadline)
{
    struct pollfd pfd;
    int timeout = -1;
    long long now = time_msec();

    if (deadline >= 0) {
        if (now >= deadline) {
            return false;
        }
        timeout = (int)(deadline - now);
    }
    vconn_poll_fd(v, &pfd, &timeout);
    poll(&pfd, 1, timeout);
    return true;
}

static long long
vconn_deadline__(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : time_msec() + timeout_ms;
}

int
vconn_connect_block(struct vconn *v, int timeout_ms)
{
    long long deadline = vconn_deadline__(timeout_ms);

    for (;;) {
        int error = vconn_run(v);
        if (error) {
            return error;
        } else if (v->state == VCONN_CONNECTED) {
            return 0;
        } else if (!vconn_wait__(v, deadline)) {
            return ETIMEDOUT;
        }
    }
}

int
vconn_recv_block(struct vconn *v, int timeout_ms, struct ofpbuf **msgp)
{
    long long deadline = vconn_deadline__(timeout_ms);

    for (;;) {
        int error = vconn_run(v);
        if (!error) {
            error = vconn_recv(v, msgp);
        }
        if (error != EAGAIN) {
            return error;
        } else if (!vconn_wait__(v, deadline)) {
            return ETIMEDOUT;
        }
    }
}

int
vconn_flush_block(struct vconn *v, int timeout_ms)
{
    long long deadline = vconn_deadline__(timeout_ms);

    for (;;) {
        int error = vconn_run(v);
        if (error) {
            return error;
        } else if (!v->n_out && v->state == VCONN_CONNECTED) {
            return 0;
        } else if (!vconn_wait__(v, deadline)) {
            return ETIMEDOUT;
        }
    }
}

/* ---- Reconnecting sessions. ---- */

struct vconn_session {
    char *name;
    uint32_t allowed;
    int max_backoff_ms;
    int probe_ms;
    struct vconn *vconn; /* NULL while backing off. */
    bool connected;      /* 'vconn' negotiated its version. */
    int backoff_ms;      /* Wait before the next attempt. */
    long long next_attempt;
    long long attempt_started;
    unsigned int seqno;
    int last_error;
    long long last_connected, last_disconnected;
};

struct vconn_session *
vconn_session_create(const char *name, uint32_t allowed_versions,
                     int max_backoff_ms, int probe_ms)
{
    struct vconn_session *s = xzalloc(sizeof *s);

    s->name = xstrdup(name);
    s->allowed = allowed_versions;
    s->probe_ms = probe_ms;
    vconn_session_set_max_backoff(s, max_backoff_ms);
    s->backoff_ms = VCONN_MIN_BACKOFF_MS;
    s->next_attempt = time_msec();
    return s;
}

void
vconn_session_destroy(struct vconn_session *s)
{
    if (s) {
        vconn_close(s->vconn);
        free(s->name);
        free(s);
    }
}

void
vconn_session_set_probe_interval(struct vconn_session *s, int probe_ms)
{
    s->probe_ms = probe_ms;
    if (s->vconn) {
        vconn_set_probe_interval(s->vconn, probe_ms);
    }
}

void
vconn_session_set_max_backoff(struct vconn_session *s, int backoff_ms)
{
    s->max_backoff_ms = backoff_ms > 0 ? MAX(backoff_ms, VCONN_MIN_BACKOFF_MS)
                                       : VCONN_DEFAULT_BACKOFF_MS;
    s->backoff_ms = MIN(s->backoff_ms, s->max_backoff_ms);
}

/* Drops the current connection (if any) after 'error' and schedules the
 * next attempt. */
static void
vconn_session_disconnect__(struct vconn_session *s, int error, long long now)
{
    s->last_error = error;
    if (s->connected) {
        VLOG_INFO("%s: connection dropped (%s)", s->name,
                  error == EOF ? "end of stream" : tern_strerror(error));
        s->last_disconnected = now;
        s->backoff_ms = VCONN_MIN_BACKOFF_MS;
    } else {
        VLOG_DBG("%s: connection attempt failed (%s)", s->name,
                 error == EOF ? "end of stream" : tern_strerror(error));
    }
    vconn_close(s->vconn);
    s->vconn = NULL;
    s->connected = false;
    s->next_attempt = now + s->backoff_ms;
    s->backoff_ms = MIN(s->backoff_ms * 2, s->max_backoff_ms);
}

void
vconn_session_run(struct vconn_session *s)
{
    long long now = time_msec();

    if (!s->vconn) {
        if (now < s->next_attempt) {
            return;
        }
        int error = vconn_open(s->name, s->allowed, s->probe_ms, &s->vconn);
        if (error) {
            vconn_session_disconnect__(s, error, now);
            return;
        }
        s->attempt_started = now;
    }
    int error = vconn_run(s->vconn);
    if (error) {
        vconn_session_disconnect__(s, error, now);
    } else if (!s->connected && vconn_get_state(s->vconn) == VCONN_CONNECTED) {
        s->connected = true;
        s->seqno++;
        s->last_connected = now;
        VLOG_INFO("%s: connected (OpenFlow version 0x%02x)", s->name,
                  vconn_get_version(s->vconn));
    } else if (!s->connected &&
               now >= s->attempt_started + MAX(s->max_backoff_ms, 2000)) {
        vconn_session_disconnect__(s, ETIMEDOUT, now);
    }
}

int
vconn_session_recv(struct vconn_session *s, struct ofpbuf **msgp)
{
    *msgp = NULL;
    if (!s->connected) {
        return EAGAIN;
    }
    int error = vconn_recv(s->vconn, msgp);
    if (error && error != EAGAIN) {
        vconn_session_disconnect__(s, error, time_msec());
        return EAGAIN;
    }
    return error;
}

int
vconn_session_send(struct vconn_session *s, struct ofpbuf *msg)
{
    if (!s->connected) {
        ofpbuf_delete(msg);
        return ENOTCONN;
    }
    int error = vconn_send(s->vconn, msg);
    if (error) {
        vconn_session_disconnect__(s, error, time_msec());
    }
    return error;
}

bool
vconn_session_is_connected(const struct vconn_session *s)
{
    return s->connected;
}

struct vconn *
vconn_session_get_vconn(const struct vconn_session *s)
{
    return s->connected ? s->vconn : NULL;
}

unsigned int
vconn_session_get_seqno(const struct vconn_session *s)
{
    return s->seqno;
}

const char *
vconn_session_get_state(const struct vconn_session *s)
{
    if (!s->vconn) {
        return "BACKOFF";
    } else if (!s->connected) {
        return "CONNECTING";
    }
    return s->vconn->probe_sent ? "IDLE" : "ACTIVE";
}

int
vconn_session_get_last_error(const struct vconn_session *s)
{
    return s->last_error;
}

long long
vconn_session_last_connected(const struct vconn_session *s)
{
    return s->last_connected;
}

long long
vconn_session_last_disconnected(const struct vconn_session *s)
{
    return s->last_disconnected;
}

/* With no connection there is nothing to poll: 'pfd->fd' is -1 (poll()
 * ignores it) and the timeout is the next attempt. */
void
vconn_session_poll_fd(const struct vconn_session *s, struct pollfd *pfd,
                      int *timeout_ms)
{
    long long now = time_msec();
    long long next;

    if (s->vconn) {
        vconn_poll_fd(s->vconn, pfd, timeout_ms);
        if (s->connected) {
            return;
        }
        next = s->attempt_started + MAX(s->max_backoff_ms, 2000);
    } else {
        pfd->fd = -1;
        pfd->events = 0;
        pfd->revents = 0;
        next = s->next_attempt;
    }
    long long wait = next > now ? next - now : 0;
    if (*timeout_ms < 0 || wait < *timeout_ms) {
        *timeout_ms = (int)wait;
    }
}
