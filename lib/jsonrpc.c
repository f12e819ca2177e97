/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonrpc: JSON-RPC 1.0 over a stream (see jsonrpc.h), the transport of
 * OVSDB (RFC 7047) and of the control socket's framing.
 *
 * Input.  Bytes read from the stream collect in one buffer; the framer
 * scans only bytes it has not seen, so a message split into many reads
 * costs one pass.  When it reports a complete value, that slice goes to
 * jansson (which rejects NUL bytes, invalid UTF-8 and bad syntax: EPROTO).
 * A connection that fails keeps its error: every later call returns it.
 *
 * Output.  jsonrpc_send() serialises at once, straight into one output
 * buffer (so the caller's message may change afterwards), which
 * jsonrpc_run() drains; the bytes waiting there are the backlog that
 * JSONRPC_MAX_BACKLOG bounds.
 *
 * Sessions.  A jsonrpc_session owns at most one connection and a timer:
 * after a failed attempt or a dropped connection it waits 1 s, then 2 s,
 * 4 s ... up to its maximum before the next attempt; a connection that
 * stayed up longer than the current wait, or that delivered a message,
 * resets the wait.  "echo" requests from the peer are answered inside the
 * session and never reach the caller.
 */
#include <config.h>

#include "lib/jsonrpc.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc);

/* Bytes asked of the stream per read. */
#define JSONRPC_READ_CHUNK 65536
/* Empty buffers larger than this are freed. */
#define JSONRPC_KEEP_BUFFER (1024 * 1024)
/* A session gives up a connection attempt after this long. */
#define JSONRPC_CONNECT_TIMEOUT_MS 5000

/* Framer. */

void
json_framer_init(struct json_framer *f)
{
    memset(f, 0, sizeof *f);
}

/* Returns true for JSON's four white space characters. */
static bool
json_framer_is_space__(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* After a complete value the framer starts over, ready for the next one;
 * 'max_depth_seen' still describes the value just completed until the
 * next one starts. */
ssize_t
json_framer_scan(struct json_framer *f, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = buf[i];
        if (f->in_string) {
            if (f->escape) {
                f->escape = false;
            } else if (c == '\\') {
                f->escape = true;
            } else if (c == '"') {
                f->in_string = false;
            }
        } else if (!f->started) {
            if (c == '{' || c == '[') {
                f->started = true;
                f->depth = 1;
                f->max_depth_seen = 1;
            } else if (!json_framer_is_space__(c)) {
                return -1;
            }
        } else if (c == '"') {
            f->in_string = true;
        } else if (c == '{' || c == '[') {
            if (++f->depth > JSONRPC_MAX_DEPTH) {
                return -1;
            }
            f->max_depth_seen = MAX(f->max_depth_seen, f->depth);
        } else if ((c == '}' || c == ']') && !--f->depth) {
            f->started = false;
            return i + 1;
        }
    }
    return 0;
}

/* Connections. */

struct jsonrpc {
    struct stream *stream; /* Owned. */
    int status;            /* 0, EOF or a positive errno (sticky). */

    /* Input: bytes [in_ofs, in_len) of 'in' are unconsumed; of those, the
     * first 'in_scanned' have been fed to 'framer'. */
    char *in;
    size_t in_len, in_ofs, in_scanned, in_alloc;
    struct json_framer framer;

    /* Output: bytes [out_ofs, out_len) of 'out' wait to be sent. */
    char *out;
    size_t out_len, out_ofs, out_alloc;
    bool overflow; /* jsonrpc_send() hit JSONRPC_MAX_BACKLOG. */
};

/* Takes ownership of 'stream'. */
struct jsonrpc *
jsonrpc_open(struct stream *stream)
{
    struct jsonrpc *rpc = xzalloc(sizeof *rpc);
    rpc->stream = stream;
    json_framer_init(&rpc->framer);
    return rpc;
}

void
jsonrpc_close(struct jsonrpc *rpc)
{
    if (rpc) {
        stream_close(rpc->stream);
        free(rpc->in);
        free(rpc->out);
        free(rpc);
    }
}

const char *
jsonrpc_get_name(const struct jsonrpc *rpc)
{
    return stream_get_name(rpc->stream);
}

size_t
jsonrpc_backlog(const struct jsonrpc *rpc)
{
    return rpc->out_len - rpc->out_ofs;
}

/* Records 'error' as the connection's status unless one is set. */
static int
jsonrpc_fail__(struct jsonrpc *rpc, int error)
{
    if (!rpc->status) {
        rpc->status = error;
        if (error != EOF) {
            VLOG_DBG("%s: connection failed: %s", jsonrpc_get_name(rpc),
                     tern_strerror(error));
        }
    }
    return rpc->status;
}

/* Frees the empty buffer '*bufp' of '*allocp' bytes if it is large, so that
 * one big message does not pin memory for the connection's lifetime. */
static void
jsonrpc_trim__(char **bufp, size_t *allocp)
{
    if (*allocp > JSONRPC_KEEP_BUFFER) {
        free(*bufp);
        *bufp = NULL;
        *allocp = 0;
    }
}

int
jsonrpc_run(struct jsonrpc *rpc)
{
    if (rpc->status) {
        return rpc->status;
    }
    int error = stream_connect(rpc->stream);
    if (error) {
        return error == EAGAIN ? 0 : jsonrpc_fail__(rpc, error);
    }
    while (rpc->out_ofs < rpc->out_len) {
        ssize_t n = stream_send(rpc->stream, rpc->out + rpc->out_ofs,
                                rpc->out_len - rpc->out_ofs);
        if (n > 0) {
            rpc->out_ofs += n;
        } else if (n == -EAGAIN) {
            break;
        } else {
            return jsonrpc_fail__(rpc, n ? (int)-n : EPIPE);
        }
    }
    if (rpc->out_ofs == rpc->out_len) {
        rpc->out_ofs = rpc->out_len = 0;
        jsonrpc_trim__(&rpc->out, &rpc->out_alloc);
    }
    return 0;
}

/* Appends 'n' bytes to the output buffer. */
static void
jsonrpc_queue__(struct jsonrpc *rpc, const char *text, size_t n)
{
    if (rpc->out_ofs && rpc->out_ofs >= rpc->out_len / 2) {
        memmove(rpc->out, rpc->out + rpc->out_ofs,
                rpc->out_len - rpc->out_ofs);
        rpc->out_len -= rpc->out_ofs;
        rpc->out_ofs = 0;
    }
    if (rpc->out_len + n > rpc->out_alloc) {
        rpc->out_alloc = MAX(rpc->out_len + n, 2 * rpc->out_alloc);
        rpc->out = xrealloc(rpc->out, rpc->out_alloc);
    }
    memcpy(rpc->out + rpc->out_len, text, n);
    rpc->out_len += n;
}

/* json_dump_callback() sink: appends 'n' bytes of text to the output of
 * connection 'rpc_', or fails once the backlog would pass the limit. */
static int
jsonrpc_dump_cb__(const char *buf, size_t n, void *rpc_)
{
    struct jsonrpc *rpc = rpc_;
    if (jsonrpc_backlog(rpc) + n > JSONRPC_MAX_BACKLOG) {
        rpc->overflow = true;
        return -1;
    }
    jsonrpc_queue__(rpc, buf, n);
    return 0;
}

/* 'msg' is borrowed: the caller keeps (and eventually drops) its own
 * reference.  The message is serialised straight into the output buffer
 * before this returns; a message that does not fit is taken back out. */
int
jsonrpc_send(struct jsonrpc *rpc, json_t *msg)
{
    if (rpc->status) {
        return rpc->status;
    }
    size_t before = jsonrpc_backlog(rpc);
    rpc->overflow = false;
    if (json_dump_callback(msg, jsonrpc_dump_cb__, rpc, JSON_COMPACT)) {
        rpc->out_len = rpc->out_ofs + before;
        if (!rpc->overflow) {
            return EINVAL;
        }
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_WARN_RL(&rl, "%s: send backlog over %d bytes",
                     jsonrpc_get_name(rpc), JSONRPC_MAX_BACKLOG);
        return ENOBUFS;
    }
    return jsonrpc_run(rpc);
}

/* Parses the complete message of 'len' bytes at the start of the
 * unconsumed input and consumes it.  Returns 0 with *msgp or EPROTO. */
static int
jsonrpc_parse__(struct jsonrpc *rpc, size_t len, json_t **msgp)
{
    json_error_t jerr;
    json_t *msg = json_loadb(rpc->in + rpc->in_ofs, len, 0, &jerr);
    rpc->in_ofs += len;
    rpc->in_scanned = 0;
    if (rpc->in_ofs == rpc->in_len) {
        rpc->in_ofs = rpc->in_len = 0;
        jsonrpc_trim__(&rpc->in, &rpc->in_alloc);
    }
    if (!msg) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_WARN_RL(&rl, "%s: bad JSON: %s at byte %d", jsonrpc_get_name(rpc),
                     jerr.text, jerr.position);
        return jsonrpc_fail__(rpc, EPROTO);
    }
    *msgp = msg;
    return 0;
}

/* Looks for a complete message in the input already read.  Returns 0 with
 * *msgp, EAGAIN if none is complete, or EPROTO. */
static int
jsonrpc_frame__(struct jsonrpc *rpc, json_t **msgp)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    size_t avail = rpc->in_len - rpc->in_ofs;
    size_t start = rpc->in_ofs + rpc->in_scanned;
    ssize_t n = json_framer_scan(&rpc->framer, rpc->in + start,
                                 avail - rpc->in_scanned);
    if (n < 0) {
        VLOG_WARN_RL(&rl,
                     "%s: input is not JSON-RPC (not an object or "
                     "array, or nested deeper than %d)",
                     jsonrpc_get_name(rpc), JSONRPC_MAX_DEPTH);
        return jsonrpc_fail__(rpc, EPROTO);
    }
    size_t total = n ? rpc->in_scanned + n : avail;
    if (total > JSONRPC_MAX_MESSAGE) {
        VLOG_WARN_RL(&rl, "%s: message longer than %d bytes",
                     jsonrpc_get_name(rpc), JSONRPC_MAX_MESSAGE);
        return jsonrpc_fail__(rpc, EPROTO);
    }
    if (!n) {
        rpc->in_scanned = avail;
        return EAGAIN;
    }
    return jsonrpc_parse__(rpc, total, msgp);
}

/* Makes room for JSONRPC_READ_CHUNK more input bytes. */
static void
jsonrpc_reserve_input__(struct jsonrpc *rpc)
{
    if (rpc->in_ofs) {
        memmove(rpc->in, rpc->in + rpc->in_ofs, rpc->in_len - rpc->in_ofs);
        rpc->in_len -= rpc->in_ofs;
        rpc->in_ofs = 0;
    }
    if (rpc->in_alloc - rpc->in_len < JSONRPC_READ_CHUNK) {
        rpc->in_alloc =
            MAX(rpc->in_len + JSONRPC_READ_CHUNK, 2 * rpc->in_alloc);
        rpc->in = xrealloc(rpc->in, rpc->in_alloc);
    }
}

/* Returns EAGAIN only after the stream itself said EAGAIN, so a caller
 * that receives until EAGAIN may then poll safely. */
int
jsonrpc_recv(struct jsonrpc *rpc, json_t **msgp)
{
    *msgp = NULL;
    for (;;) {
        if (rpc->status) {
            return rpc->status;
        }
        if (rpc->in_ofs < rpc->in_len) {
            int error = jsonrpc_frame__(rpc, msgp);
            if (error != EAGAIN) {
                return error;
            }
        }

        jsonrpc_reserve_input__(rpc);
        ssize_t n = stream_recv(rpc->stream, rpc->in + rpc->in_len,
                                rpc->in_alloc - rpc->in_len);
        if (n > 0) {
            rpc->in_len += n;
        } else if (n == -EAGAIN) {
            return EAGAIN;
        } else if (n == 0) {
            if (rpc->in_scanned) {
                VLOG_DBG("%s: connection closed mid-message",
                         jsonrpc_get_name(rpc));
            }
            return jsonrpc_fail__(rpc, EOF);
        } else {
            return jsonrpc_fail__(rpc, (int)-n);
        }
    }
}

void
jsonrpc_poll_fd(const struct jsonrpc *rpc, struct pollfd *pfd)
{
    pfd->fd = stream_fd(rpc->stream);
    pfd->events = stream_wants(rpc->stream, jsonrpc_backlog(rpc) > 0);
    pfd->revents = 0;
}

/* Returns true if 'msg' is a reply (or error reply) to request 'id'. */
static bool
jsonrpc_is_reply_to__(const json_t *msg, const json_t *id)
{
    const json_t *msg_id = json_object_get(msg, "id");
    return json_is_object(msg) && !json_object_get(msg, "method") &&
           (json_object_get(msg, "result") || json_object_get(msg, "error")) &&
           msg_id && json_equal((json_t *)msg_id, (json_t *)id);
}

/* Returns true if 'msg' is an "echo" request, after answering it. */
static bool
jsonrpc_answer_echo__(struct jsonrpc *rpc, const json_t *msg)
{
    const json_t *method = json_object_get(msg, "method");
    const json_t *id = json_object_get(msg, "id");
    if (!json_is_string(method) || strcmp(json_string_value(method), "echo") ||
        !id || json_is_null(id)) {
        return false;
    }
    json_t *params = json_object_get(msg, "params");
    json_t *reply = jsonrpc_create_reply(
        params ? json_deep_copy(params) : json_array(), id);
    jsonrpc_send(rpc, reply);
    json_decref(reply);
    return true;
}

/* Waits for 'rpc' to have something to do, at most until 'deadline'
 * (LLONG_MAX: forever).  Returns 0 or ETIMEDOUT. */
static int
jsonrpc_wait__(struct jsonrpc *rpc, long long deadline)
{
    int timeout = -1;
    if (deadline != LLONG_MAX) {
        long long left = deadline - time_msec();
        if (left <= 0) {
            return ETIMEDOUT;
        }
        timeout = (int)MIN(left, INT_MAX);
    }
    struct pollfd pfd;
    jsonrpc_poll_fd(rpc, &pfd);
    poll(&pfd, 1, timeout);
    return 0;
}

/* 'msg' is borrowed.  End of stream is reported as ECONNRESET, so the
 * result is always 0 or a positive errno. */
int
jsonrpc_transact_block(struct jsonrpc *rpc, json_t *msg, int timeout_ms,
                       json_t **replyp)
{
    long long deadline = timeout_ms < 0 ? LLONG_MAX : time_msec() + timeout_ms;
    const json_t *id = json_object_get(msg, "id");
    int error;

    *replyp = NULL;
    if (!id || json_is_null(id)) {
        return EINVAL;
    }
    error = jsonrpc_send(rpc, msg);
    while (!error) {
        json_t *reply;
        error = jsonrpc_recv(rpc, &reply);
        if (!error) {
            if (jsonrpc_is_reply_to__(reply, id)) {
                *replyp = reply;
                return 0;
            }
            jsonrpc_answer_echo__(rpc, reply);
            json_decref(reply);
        } else if (error == EAGAIN) {
            error = jsonrpc_run(rpc);
            if (!error) {
                error = jsonrpc_wait__(rpc, deadline);
            }
        }
    }
    return error == EOF ? ECONNRESET : error;
}

/* Messages. */

json_int_t
jsonrpc_next_id(void)
{
    static atomic_llong next_id = 1;
    return atomic_fetch_add(&next_id, 1);
}

json_t *
jsonrpc_create_request(const char *method, json_t *params, json_t **idp)
{
    json_t *id = json_integer(jsonrpc_next_id());
    json_t *msg = json_object();
    json_object_set_new(msg, "method", json_string(method));
    json_object_set_new(msg, "params", params ? params : json_array());
    json_object_set(msg, "id", id);
    if (idp) {
        *idp = id;
    } else {
        json_decref(id);
    }
    return msg;
}

json_t *
jsonrpc_create_notify(const char *method, json_t *params)
{
    json_t *msg = json_object();
    json_object_set_new(msg, "method", json_string(method));
    json_object_set_new(msg, "params", params ? params : json_array());
    json_object_set_new(msg, "id", json_null());
    return msg;
}

/* Copies 'id' (borrowed; NULL means null) for a reply. */
static json_t *
jsonrpc_copy_id__(const json_t *id)
{
    return id ? json_deep_copy(id) : json_null();
}

json_t *
jsonrpc_create_reply(json_t *result, const json_t *id)
{
    json_t *msg = json_object();
    json_object_set_new(msg, "result", result ? result : json_null());
    json_object_set_new(msg, "error", json_null());
    json_object_set_new(msg, "id", jsonrpc_copy_id__(id));
    return msg;
}

json_t *
jsonrpc_create_error(json_t *error, const json_t *id)
{
    json_t *msg = json_object();
    json_object_set_new(msg, "result", json_null());
    json_object_set_new(msg, "error", error ? error : json_null());
    json_object_set_new(msg, "id", jsonrpc_copy_id__(id));
    return msg;
}

/* Sessions. */

struct jsonrpc_session {
    char *name;
    int max_backoff_ms;
    int backoff_ms;            /* Wait before the next attempt after a
                                * failure; 0 before any failure. */
    long long next_attempt;    /* time_msec() of the next attempt. */
    struct stream *connecting; /* Attempt in progress, or NULL. */
    long long connect_started;
    struct jsonrpc *rpc; /* Established connection, or NULL. */
    long long connected_at;
    unsigned int seqno;
};

struct jsonrpc_session *
jsonrpc_session_open(const char *name, int max_backoff_ms)
{
    struct jsonrpc_session *s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    s->max_backoff_ms = MAX(max_backoff_ms, 1000);
    s->next_attempt = time_msec();
    return s;
}

void
jsonrpc_session_close(struct jsonrpc_session *s)
{
    if (s) {
        stream_close(s->connecting);
        jsonrpc_close(s->rpc);
        free(s->name);
        free(s);
    }
}

/* Drops the attempt or connection of 's' after 'error' and schedules the
 * next attempt. */
static void
jsonrpc_session_disconnect__(struct jsonrpc_session *s, int error)
{
    long long now = time_msec();
    if (s->rpc) {
        if (now - s->connected_at >= s->backoff_ms) {
            s->backoff_ms = 0;
        }
        VLOG_INFO("%s: connection dropped (%s)", s->name,
                  error == EOF ? "end of stream" : tern_strerror(error));
    } else {
        VLOG_DBG("%s: connection attempt failed (%s)", s->name,
                 tern_strerror(error));
    }
    stream_close(s->connecting);
    s->connecting = NULL;
    jsonrpc_close(s->rpc);
    s->rpc = NULL;

    s->backoff_ms =
        s->backoff_ms ? MIN(2 * s->backoff_ms, s->max_backoff_ms) : 1000;
    s->next_attempt = now + s->backoff_ms;
}

/* Advances a connection attempt of 's'. */
static void
jsonrpc_session_connect__(struct jsonrpc_session *s)
{
    if (!s->connecting) {
        int error = stream_open(s->name, &s->connecting);
        if (error) {
            jsonrpc_session_disconnect__(s, error);
            return;
        }
        s->connect_started = time_msec();
    }
    int error = stream_connect(s->connecting);
    if (!error) {
        s->rpc = jsonrpc_open(s->connecting);
        s->connecting = NULL;
        s->connected_at = time_msec();
        s->seqno++;
        VLOG_INFO("%s: connected", s->name);
    } else if (error != EAGAIN) {
        jsonrpc_session_disconnect__(s, error);
    } else if (time_msec() - s->connect_started >=
               JSONRPC_CONNECT_TIMEOUT_MS) {
        jsonrpc_session_disconnect__(s, ETIMEDOUT);
    }
}

void
jsonrpc_session_run(struct jsonrpc_session *s)
{
    if (s->rpc) {
        int error = jsonrpc_run(s->rpc);
        if (error) {
            jsonrpc_session_disconnect__(s, error);
        }
    } else if (s->connecting || time_msec() >= s->next_attempt) {
        jsonrpc_session_connect__(s);
    }
}

json_t *
jsonrpc_session_recv(struct jsonrpc_session *s)
{
    while (s->rpc) {
        json_t *msg;
        int error = jsonrpc_recv(s->rpc, &msg);
        if (error == EAGAIN) {
            return NULL;
        } else if (error) {
            jsonrpc_session_disconnect__(s, error);
            return NULL;
        }
        s->backoff_ms = 0;
        if (!jsonrpc_answer_echo__(s->rpc, msg)) {
            return msg;
        }
        json_decref(msg);
    }
    return NULL;
}

/* 'msg' is borrowed, as for jsonrpc_send().  Returns ENOTCONN while
 * disconnected; any other failure drops the connection. */
int
jsonrpc_session_send(struct jsonrpc_session *s, json_t *msg)
{
    if (!s->rpc) {
        return ENOTCONN;
    }
    int error = jsonrpc_send(s->rpc, msg);
    if (error) {
        jsonrpc_session_disconnect__(s, error);
    }
    return error;
}

bool
jsonrpc_session_is_connected(const struct jsonrpc_session *s)
{
    return s->rpc != NULL;
}

unsigned int
jsonrpc_session_get_seqno(const struct jsonrpc_session *s)
{
    return s->seqno;
}

/* Lowers *timeout_ms (<0: infinite) to 'deadline'. */
static void
jsonrpc_timeout_until__(long long deadline, int *timeout_ms)
{
    long long left = MAX(deadline - time_msec(), 0);
    if (*timeout_ms < 0 || left < *timeout_ms) {
        *timeout_ms = (int)MIN(left, INT_MAX);
    }
}

/* While disconnected 'pfd' gets fd -1 (poll() skips it) and *timeout_ms
 * is lowered to the next attempt. */
void
jsonrpc_session_poll_fd(const struct jsonrpc_session *s, struct pollfd *pfd,
                        int *timeout_ms)
{
    pfd->revents = 0;
    if (s->rpc) {
        jsonrpc_poll_fd(s->rpc, pfd);
    } else if (s->connecting) {
        pfd->fd = stream_fd(s->connecting);
        pfd->events = stream_wants(s->connecting, false);
        jsonrpc_timeout_until__(
            s->connect_started + JSONRPC_CONNECT_TIMEOUT_MS, timeout_ms);
    } else {
        pfd->fd = -1;
        pfd->events = 0;
        jsonrpc_timeout_until__(s->next_attempt, timeout_ms);
    }
}
