/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/jsonrpc: the framer on its own (every split point,
 * back-to-back values, strings holding brackets and escapes, depth and
 * top-level checks); connections over real unix sockets fed raw bytes
 * (split input, garbage, too deep, too large, NUL bytes, bad UTF-8);
 * the send backlog limit; jsonrpc_transact_block() against a server
 * thread and its timeout; and sessions (reconnection after the server
 * restarts, the "echo" auto-reply).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/jsonrpc.h"
#include "lib/stream.h"
#include "lib/util.h"
#include "tests/unit/test-common.h"

#define IO_TIMEOUT_MS 10000

static char tmpdir[64];
static int sock_serial;

/* A message whose strings hold brackets, quotes and escapes. */
static const char tricky[] =
    "{\"a\":\"}]\\\"[{\",\"b\":[1,{\"c\":\"\\\\\"},\"\\\\\\\"]\"],"
    "\"d\":\"\\u005b{\"}";

/* Framer. */

static void
test_framer_split_everywhere(void **state TERN_UNUSED)
{
    size_t len = strlen(tricky);
    json_t *whole = json_loads(tricky, 0, NULL);
    assert_non_null(whole);
    json_decref(whole);

    for (size_t cut = 0; cut <= len; cut++) {
        struct json_framer f;
        json_framer_init(&f);
        ssize_t n = json_framer_scan(&f, tricky, cut);
        if (cut < len) {
            assert_int_equal(n, 0);
            n = json_framer_scan(&f, tricky + cut, len - cut);
            assert_int_equal(n, len - cut);
        } else {
            assert_int_equal(n, len);
        }
    }

    /* One byte at a time: only the last byte completes the value. */
    struct json_framer f;
    json_framer_init(&f);
    for (size_t i = 0; i < len; i++) {
        ssize_t n = json_framer_scan(&f, tricky + i, 1);
        assert_int_equal(n, i == len - 1 ? 1 : 0);
    }
    assert_int_equal(f.max_depth_seen, 3);
}

static void
test_framer_back_to_back(void **state TERN_UNUSED)
{
    const char *input = "  {\"x\":[]}\n[1,\"]\"] \t{\"y\":{}}";
    const char *expect[] = {"  {\"x\":[]}", "\n[1,\"]\"]", " \t{\"y\":{}}"};
    struct json_framer f;
    json_framer_init(&f);
    size_t ofs = 0;
    for (size_t i = 0; i < ARRAY_SIZE(expect); i++) {
        ssize_t n = json_framer_scan(&f, input + ofs, strlen(input) - ofs);
        assert_int_equal(n, strlen(expect[i]));
        assert_memory_equal(input + ofs, expect[i], n);
        ofs += n;
    }
    assert_int_equal(ofs, strlen(input));
}

static void
test_framer_rejects(void **state TERN_UNUSED)
{
    static const char *bad[] = {"\"str\"", "123",  "null", "true",
                                "x{}",     "\0{}", "\v{}"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct json_framer f;
        json_framer_init(&f);
        size_t len = MAX(strlen(bad[i]), 1);
        assert_int_equal(json_framer_scan(&f, bad[i], len), -1);
    }

    /* Exactly JSONRPC_MAX_DEPTH levels pass; one more does not. */
    for (int extra = 0; extra <= 1; extra++) {
        int depth = JSONRPC_MAX_DEPTH + extra;
        char *s = xmalloc(2 * depth + 1);
        memset(s, '[', depth);
        memset(s + depth, ']', depth);
        s[2 * depth] = '\0';
        struct json_framer f;
        json_framer_init(&f);
        ssize_t n = json_framer_scan(&f, s, 2 * depth);
        assert_int_equal(n, extra ? -1 : 2 * depth);
        free(s);
    }

    /* Brackets inside strings do not count towards the depth. */
    struct ds ds = DS_EMPTY;
    ds_put_cstr(&ds, "[\"");
    for (int i = 0; i < 1000; i++) {
        ds_put_cstr(&ds, "[{");
    }
    ds_put_cstr(&ds, "\"]");
    struct json_framer f;
    json_framer_init(&f);
    assert_int_equal(json_framer_scan(&f, ds.string, ds.length), ds.length);
    ds_destroy(&ds);
}

/* Connections: helpers. */

/* A connected pair: 'rpc' wraps one end, 'raw' is the other stream. */
struct pair {
    struct jsonrpc *rpc;
    struct stream *raw;
};

/* Returns a fresh "punix:" listener name under the test directory. */
static char *
new_listener_name(void)
{
    return xasprintf("punix:%s/s%d.sock", tmpdir, sock_serial++);
}

/* Accepts one connection on 'p', failing the test after a timeout. */
static struct stream *
accept_one(struct pstream *p)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    struct stream *s;
    int error;
    while ((error = pstream_accept(p, &s)) == EAGAIN) {
        assert_true(time_msec() < deadline);
        struct pollfd pfd = {.fd = pstream_fd(p), .events = POLLIN};
        poll(&pfd, 1, 10);
    }
    assert_int_equal(error, 0);
    return s;
}

static void
pair_open(struct pair *pair)
{
    char *pname = new_listener_name();
    struct pstream *p;
    assert_int_equal(pstream_open(pname, &p), 0);
    struct stream *client;
    assert_int_equal(stream_open(pname + 1, &client), 0);
    pair->raw = accept_one(p);
    pair->rpc = jsonrpc_open(client);
    pstream_close(p);
    free(pname);
}

static void
pair_close(struct pair *pair)
{
    jsonrpc_close(pair->rpc);
    stream_close(pair->raw);
}

/* Writes all of 'buf' to the raw end. */
static void
raw_write(struct pair *pair, const void *buf, size_t n)
{
    const char *p = buf;
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    while (n) {
        ssize_t w = stream_send(pair->raw, p, n);
        if (w == -EAGAIN) {
            assert_true(time_msec() < deadline);
            test_sleep_msec(1);
            continue;
        }
        assert_true(w > 0);
        p += w;
        n -= w;
    }
}

/* Waits for jsonrpc_recv() to return something other than EAGAIN. */
static int
recv_wait(struct jsonrpc *rpc, json_t **msgp)
{
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    int error;
    while ((error = jsonrpc_recv(rpc, msgp)) == EAGAIN) {
        assert_true(time_msec() < deadline);
        struct pollfd pfd;
        jsonrpc_poll_fd(rpc, &pfd);
        poll(&pfd, 1, 10);
    }
    return error;
}

/* Reads from the raw end until a whole JSON value arrived; returns it. */
static json_t *
raw_read_json(struct pair *pair)
{
    struct json_framer f;
    struct ds ds = DS_EMPTY;
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    json_framer_init(&f);
    for (;;) {
        char c;
        ssize_t r = stream_recv(pair->raw, &c, 1);
        if (r == -EAGAIN) {
            assert_true(time_msec() < deadline);
            test_sleep_msec(1);
            continue;
        }
        assert_int_equal(r, 1);
        ds_put_char(&ds, c);
        ssize_t n = json_framer_scan(&f, &c, 1);
        assert_true(n >= 0);
        if (n) {
            break;
        }
    }
    json_t *j = json_loadb(ds.string, ds.length, 0, NULL);
    assert_non_null(j);
    ds_destroy(&ds);
    return j;
}

/* Feeds 'text' ('len' bytes) to a fresh connection and returns what
 * jsonrpc_recv() says about it. */
static int
recv_raw_text(const char *text, size_t len)
{
    struct pair pair;
    pair_open(&pair);
    raw_write(&pair, text, len);
    json_t *msg = NULL;
    int error = recv_wait(pair.rpc, &msg);
    if (!error) {
        json_decref(msg);
    } else {
        assert_null(msg);
        /* Errors stick. */
        assert_int_equal(jsonrpc_recv(pair.rpc, &msg), error);
        assert_int_equal(jsonrpc_send(pair.rpc, json_null()), error);
    }
    pair_close(&pair);
    return error;
}

/* Connections: tests. */

static void
test_jsonrpc_send_recv(void **state TERN_UNUSED)
{
    struct pair pair;
    pair_open(&pair);
    assert_non_null(strstr(jsonrpc_get_name(pair.rpc), "unix:"));

    json_t *id;
    json_t *req =
        jsonrpc_create_request("transact", json_pack("[s, {}]", "db"), &id);
    assert_int_equal(jsonrpc_send(pair.rpc, req), 0);
    assert_int_equal(jsonrpc_run(pair.rpc), 0);
    json_t *got = raw_read_json(&pair);
    assert_true(json_equal(got, req));
    assert_true(json_equal(json_object_get(got, "id"), id));
    json_decref(got);
    json_decref(req);

    /* A reply from the raw end, split over two writes, plus EOF. */
    json_t *reply = jsonrpc_create_reply(json_pack("[{}]"), id);
    char *text = json_dumps(reply, JSON_COMPACT);
    raw_write(&pair, text, 5);
    json_t *msg;
    assert_int_equal(jsonrpc_recv(pair.rpc, &msg), EAGAIN);
    raw_write(&pair, text + 5, strlen(text) - 5);
    assert_int_equal(recv_wait(pair.rpc, &msg), 0);
    assert_true(json_equal(msg, reply));
    json_decref(msg);
    json_decref(reply);
    json_decref(id);
    free(text);

    stream_close(pair.raw);
    pair.raw = NULL;
    assert_int_equal(recv_wait(pair.rpc, &msg), EOF);
    assert_int_equal(jsonrpc_recv(pair.rpc, &msg), EOF);
    jsonrpc_close(pair.rpc);
}

static void
test_jsonrpc_recv_split_every_byte(void **state TERN_UNUSED)
{
    size_t len = strlen(tricky);
    struct pair pair;
    pair_open(&pair);
    json_t *expect = json_loads(tricky, 0, NULL);

    for (size_t i = 0; i < len; i++) {
        json_t *msg;
        raw_write(&pair, tricky + i, 1);
        if (i < len - 1) {
            /* Let the byte arrive, then make sure it is not enough. */
            struct pollfd pfd;
            jsonrpc_poll_fd(pair.rpc, &pfd);
            assert_int_equal(poll(&pfd, 1, IO_TIMEOUT_MS), 1);
            assert_int_equal(jsonrpc_recv(pair.rpc, &msg), EAGAIN);
        } else {
            assert_int_equal(recv_wait(pair.rpc, &msg), 0);
            assert_true(json_equal(msg, expect));
            json_decref(msg);
        }
    }
    json_decref(expect);
    pair_close(&pair);
}

static void
test_jsonrpc_back_to_back(void **state TERN_UNUSED)
{
    struct pair pair;
    pair_open(&pair);
    struct ds ds = DS_EMPTY;
    for (int i = 0; i < 50; i++) {
        ds_put_format(&ds,
                      "{\"method\":\"m%d\",\"params\":[\"]}\"],"
                      "\"id\":%d}",
                      i, i);
        if (i % 3 == 0) {
            ds_put_char(&ds, '\n');
        }
    }
    ds_put_cstr(&ds, tricky);
    raw_write(&pair, ds.string, ds.length);
    ds_destroy(&ds);

    for (int i = 0; i < 50; i++) {
        json_t *msg;
        assert_int_equal(recv_wait(pair.rpc, &msg), 0);
        assert_int_equal(json_integer_value(json_object_get(msg, "id")), i);
        assert_string_equal(json_string_value(json_array_get(
                                json_object_get(msg, "params"), 0)),
                            "]}");
        json_decref(msg);
    }
    json_t *msg;
    assert_int_equal(recv_wait(pair.rpc, &msg), 0);
    assert_string_equal(json_string_value(json_object_get(msg, "a")),
                        "}]\"[{");
    json_decref(msg);
    assert_int_equal(jsonrpc_recv(pair.rpc, &msg), EAGAIN);
    pair_close(&pair);
}

static void
test_jsonrpc_bad_input(void **state TERN_UNUSED)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen(text). */
        int error;
    } cases[] = {
        {"hello", 0, EPROTO},
        {"\"a string\"", 0, EPROTO},
        {"42", 0, EPROTO},
        {"{\"a\":}", 0, EPROTO},
        {"{\"a\" 1}", 0, EPROTO},
        {"[1,2,]", 0, EPROTO},
        {"{\"a\":\"x\0y\"}", 11, EPROTO},          /* Raw NUL byte. */
        {"{\"a\":\"\\u0000\"}", 0, EPROTO},        /* Escaped NUL. */
        {"{\"a\":\"\xff\xfe\"}", 0, EPROTO},       /* Not UTF-8. */
        {"{\"a\":\"\xc3\x28\"}", 0, EPROTO},       /* Bad continuation. */
        {"{\"\xe2\x82\xac\":\"\xc3\xa9\"}", 0, 0}, /* Good UTF-8. */
        {"[\"array at the top is framed\"]", 0, 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        int error = recv_raw_text(cases[i].text, len);
        if (error != cases[i].error) {
            fail_msg("case %zu: got %d, expected %d", i, error,
                     cases[i].error);
        }
    }
}

static void
test_jsonrpc_too_deep(void **state TERN_UNUSED)
{
    for (int extra = 0; extra <= 1; extra++) {
        int depth = JSONRPC_MAX_DEPTH + extra;
        struct ds ds = DS_EMPTY;
        ds_put_char(&ds, '{');
        ds_put_cstr(&ds, "\"x\":");
        for (int i = 1; i < depth; i++) {
            ds_put_char(&ds, '[');
        }
        for (int i = 1; i < depth; i++) {
            ds_put_char(&ds, ']');
        }
        ds_put_char(&ds, '}');
        assert_int_equal(recv_raw_text(ds.string, ds.length),
                         extra ? EPROTO : 0);
        ds_destroy(&ds);
    }
}

static void
test_jsonrpc_too_large(void **state TERN_UNUSED)
{
    struct pair pair;
    pair_open(&pair);
    size_t chunk_size = 1024 * 1024;
    char *chunk = xmalloc(chunk_size);
    memset(chunk, 'a', chunk_size);
    raw_write(&pair, "{\"big\":\"", 8);

    /* Write until the receiver gives up; it must do so just past the
     * limit, not buffer without bound. */
    size_t written = 8;
    int error = EAGAIN;
    long long deadline = time_msec() + 60000;
    while (error == EAGAIN) {
        assert_true(time_msec() < deadline);
        ssize_t w = stream_send(pair.raw, chunk, chunk_size);
        if (w > 0) {
            written += w;
        }
        json_t *msg;
        error = jsonrpc_recv(pair.rpc, &msg);
    }
    assert_int_equal(error, EPROTO);
    assert_true(written > JSONRPC_MAX_MESSAGE);
    assert_true(written < JSONRPC_MAX_MESSAGE + 16 * chunk_size);
    free(chunk);
    pair_close(&pair);
}

static void
test_jsonrpc_backlog_limit(void **state TERN_UNUSED)
{
    struct pair pair;
    pair_open(&pair);
    /* The raw end never reads. */
    size_t size = 4 * 1024 * 1024;
    char *big = xmalloc(size + 1);
    memset(big, 'b', size);
    big[size] = '\0';
    json_t *msg = jsonrpc_create_notify("update", json_pack("[s]", big));
    free(big);

    int error = 0;
    int n_sent = 0;
    while (!error) {
        error = jsonrpc_send(pair.rpc, msg);
        n_sent += !error;
        assert_true(n_sent < 2 * JSONRPC_MAX_BACKLOG / (int)size);
    }
    assert_int_equal(error, ENOBUFS);
    assert_true(jsonrpc_backlog(pair.rpc) <= JSONRPC_MAX_BACKLOG);
    assert_true(jsonrpc_backlog(pair.rpc) > JSONRPC_MAX_BACKLOG - 2 * size);
    /* A small message still fits if there is room; a big one never. */
    assert_int_equal(jsonrpc_send(pair.rpc, msg), ENOBUFS);
    json_decref(msg);

    /* Reading at the other end drains the backlog: after 'size' bytes
     * there is room again for small messages. */
    size_t before = jsonrpc_backlog(pair.rpc);
    size_t drained = 0;
    char *buf = xmalloc(size);
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    while (drained < size) {
        assert_true(time_msec() < deadline);
        assert_int_equal(jsonrpc_run(pair.rpc), 0);
        ssize_t r = stream_recv(pair.raw, buf, size - drained);
        assert_true(r > 0 || r == -EAGAIN);
        drained += r > 0 ? r : 0;
    }
    free(buf);
    assert_int_equal(jsonrpc_run(pair.rpc), 0);
    assert_true(jsonrpc_backlog(pair.rpc) <= before - size / 2);
    json_t *small = jsonrpc_create_notify("x", NULL);
    assert_int_equal(jsonrpc_send(pair.rpc, small), 0);
    json_decref(small);
    pair_close(&pair);
}

static void
test_jsonrpc_constructors(void **state TERN_UNUSED)
{
    json_t *id1, *id2;
    json_t *r1 = jsonrpc_create_request("echo", NULL, &id1);
    json_t *r2 = jsonrpc_create_request("echo", json_array(), &id2);
    assert_true(json_is_integer(id1));
    assert_true(json_integer_value(id2) > json_integer_value(id1));
    assert_int_equal(json_array_size(json_object_get(r1, "params")), 0);
    assert_true(json_equal(json_object_get(r1, "id"), id1));
    assert_string_equal(json_string_value(json_object_get(r1, "method")),
                        "echo");
    assert_true(jsonrpc_next_id() > json_integer_value(id2));

    json_t *n = jsonrpc_create_notify("update", json_pack("[i]", 7));
    assert_true(json_is_null(json_object_get(n, "id")));

    json_t *rep = jsonrpc_create_reply(json_string("ok"), id1);
    assert_true(json_is_null(json_object_get(rep, "error")));
    assert_true(json_equal(json_object_get(rep, "id"), id1));
    json_t *err = jsonrpc_create_error(json_string("bad"), id2);
    assert_true(json_is_null(json_object_get(err, "result")));
    assert_string_equal(json_string_value(json_object_get(err, "error")),
                        "bad");
    json_t *err_null_id = jsonrpc_create_error(json_string("bad"), NULL);
    assert_true(json_is_null(json_object_get(err_null_id, "id")));

    json_decref(r1);
    json_decref(r2);
    json_decref(id1);
    json_decref(id2);
    json_decref(n);
    json_decref(rep);
    json_decref(err);
    json_decref(err_null_id);
}

/* A server thread for transact_block(): answers each request with its
 * params as result, after first sending a notification and an "echo"
 * request that the client must answer; stays silent for method
 * "ignore". */
struct echo_server {
    struct pstream *p;
    pthread_t thread;
    atomic_bool stop;
    atomic_int echo_replies; /* Replies to our echo requests seen. */
};

static void
echo_server_handle(struct jsonrpc *rpc, json_t *msg, struct echo_server *es)
{
    const char *method = json_string_value(json_object_get(msg, "method"));
    json_t *id = json_object_get(msg, "id");
    if (!method) {
        if (json_is_string(id) && !strcmp(json_string_value(id), "srv")) {
            atomic_fetch_add(&es->echo_replies, 1);
        }
        return;
    }
    if (!strcmp(method, "ignore")) {
        return;
    }
    json_t *note = jsonrpc_create_notify("noise", NULL);
    json_t *echo = json_pack("{s:s, s:[s], s:s}", "method", "echo", "params",
                             "hi", "id", "srv");
    json_t *reply = jsonrpc_create_reply(
        json_deep_copy(json_object_get(msg, "params")), id);
    jsonrpc_send(rpc, note);
    jsonrpc_send(rpc, echo);
    jsonrpc_send(rpc, reply);
    json_decref(note);
    json_decref(echo);
    json_decref(reply);
}

static void *
echo_server_main(void *es_)
{
    struct echo_server *es = es_;
    struct jsonrpc *rpc = NULL;
    while (!atomic_load(&es->stop)) {
        struct pollfd pfd = {.fd = pstream_fd(es->p), .events = POLLIN};
        if (!rpc) {
            struct stream *s;
            if (!pstream_accept(es->p, &s)) {
                rpc = jsonrpc_open(s);
            }
        } else {
            json_t *msg;
            int error;
            while (!(error = jsonrpc_recv(rpc, &msg))) {
                echo_server_handle(rpc, msg, es);
                json_decref(msg);
            }
            if (error != EAGAIN || jsonrpc_run(rpc)) {
                jsonrpc_close(rpc);
                rpc = NULL;
                continue;
            }
            jsonrpc_poll_fd(rpc, &pfd);
        }
        poll(&pfd, 1, 10);
    }
    jsonrpc_close(rpc);
    return NULL;
}

static void
test_jsonrpc_transact_block(void **state TERN_UNUSED)
{
    struct echo_server es = {.stop = false, .echo_replies = 0};
    char *pname = new_listener_name();
    assert_int_equal(pstream_open(pname, &es.p), 0);
    assert_int_equal(pthread_create(&es.thread, NULL, echo_server_main, &es),
                     0);

    struct stream *s;
    assert_int_equal(stream_open(pname + 1, &s), 0);
    struct jsonrpc *rpc = jsonrpc_open(s);
    for (int i = 0; i < 3; i++) {
        json_t *req = jsonrpc_create_request("sum", json_pack("[i]", i), NULL);
        json_t *reply;
        assert_int_equal(
            jsonrpc_transact_block(rpc, req, IO_TIMEOUT_MS, &reply), 0);
        assert_true(json_equal(json_object_get(reply, "id"),
                               json_object_get(req, "id")));
        assert_int_equal(json_integer_value(json_array_get(
                             json_object_get(reply, "result"), 0)),
                         i);
        json_decref(reply);
        json_decref(req);
    }

    /* The server saw replies to its echo requests (made while we
     * waited). */
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    json_t *flush = jsonrpc_create_request("sum", json_array(), NULL);
    json_t *reply;
    assert_int_equal(jsonrpc_transact_block(rpc, flush, -1, &reply), 0);
    json_decref(reply);
    json_decref(flush);
    while (atomic_load(&es.echo_replies) < 3) {
        assert_true(time_msec() < deadline);
        test_sleep_msec(5);
    }

    /* No answer: a timeout, roughly on time. */
    json_t *req = jsonrpc_create_request("ignore", NULL, NULL);
    long long start = time_msec();
    assert_int_equal(jsonrpc_transact_block(rpc, req, 200, &reply), ETIMEDOUT);
    long long elapsed = time_msec() - start;
    assert_true(elapsed >= 190 && elapsed < 5000);
    assert_null(reply);
    json_decref(req);

    /* A request without an id cannot be waited for. */
    json_t *note = jsonrpc_create_notify("sum", NULL);
    assert_int_equal(jsonrpc_transact_block(rpc, note, 100, &reply), EINVAL);
    json_decref(note);

    atomic_store(&es.stop, true);
    pthread_join(es.thread, NULL);
    /* The server is gone: a broken connection or end of stream is an
     * errno too. */
    req = jsonrpc_create_request("sum", NULL, NULL);
    int error = jsonrpc_transact_block(rpc, req, IO_TIMEOUT_MS, &reply);
    assert_true(error == ECONNRESET || error == EPIPE);
    json_decref(req);
    jsonrpc_close(rpc);
    pstream_close(es.p);
    free(pname);
}

/* Sessions. */

/* Runs 's' (and accepts on 'p' into *serverp if still NULL) until
 * 'done' says so. */
static void
session_run_until(struct jsonrpc_session *s, struct pstream *p,
                  struct jsonrpc **serverp,
                  bool (*done)(struct jsonrpc_session *), int timeout_ms)
{
    long long deadline = time_msec() + timeout_ms;
    while (!done(s)) {
        assert_true(time_msec() < deadline);
        jsonrpc_session_run(s);
        json_t *msg = jsonrpc_session_recv(s);
        json_decref(msg);
        if (p && serverp && !*serverp) {
            struct stream *st;
            if (!pstream_accept(p, &st)) {
                *serverp = jsonrpc_open(st);
            }
        }
        struct pollfd pfd;
        int timeout = 10;
        jsonrpc_session_poll_fd(s, &pfd, &timeout);
        assert_true(timeout >= 0 && timeout <= 10);
        poll(&pfd, 1, timeout);
    }
}

static bool
session_up(struct jsonrpc_session *s)
{
    return jsonrpc_session_is_connected(s);
}

static bool
session_down(struct jsonrpc_session *s)
{
    return !jsonrpc_session_is_connected(s);
}

static void
test_session_reconnect(void **state TERN_UNUSED)
{
    char *pname = new_listener_name();
    struct pstream *p;
    assert_int_equal(pstream_open(pname, &p), 0);

    struct jsonrpc_session *s = jsonrpc_session_open(pname + 1, 4000);
    assert_false(jsonrpc_session_is_connected(s));
    assert_int_equal(jsonrpc_session_get_seqno(s), 0);
    json_t *note = jsonrpc_create_notify("hello", NULL);
    assert_int_equal(jsonrpc_session_send(s, note), ENOTCONN);

    struct jsonrpc *server = NULL;
    session_run_until(s, p, &server, session_up, IO_TIMEOUT_MS);
    assert_int_equal(jsonrpc_session_get_seqno(s), 1);
    assert_int_equal(jsonrpc_session_send(s, note), 0);

    /* The server goes away. */
    while (!server) {
        struct stream *st;
        if (!pstream_accept(p, &st)) {
            server = jsonrpc_open(st);
        }
    }
    jsonrpc_close(server);
    server = NULL;
    pstream_close(p);
    session_run_until(s, NULL, NULL, session_down, IO_TIMEOUT_MS);

    /* While it is down the session waits (1 s, then 2 s ...) between
     * attempts, telling poll how long. */
    struct pollfd pfd;
    int timeout = -1;
    jsonrpc_session_poll_fd(s, &pfd, &timeout);
    assert_int_equal(pfd.fd, -1);
    assert_true(timeout > 500 && timeout <= 1000);
    test_sleep_msec(1200);
    jsonrpc_session_run(s);
    assert_false(jsonrpc_session_is_connected(s));
    timeout = -1;
    jsonrpc_session_poll_fd(s, &pfd, &timeout);
    assert_true(timeout > 1500 && timeout <= 2000);

    /* The server comes back: the session reconnects by itself. */
    assert_int_equal(pstream_open(pname, &p), 0);
    long long start = time_msec();
    session_run_until(s, p, &server, session_up, IO_TIMEOUT_MS);
    assert_true(time_msec() - start <= 2500);
    assert_int_equal(jsonrpc_session_get_seqno(s), 2);

    /* And the new connection works. */
    assert_int_equal(jsonrpc_session_send(s, note), 0);
    while (!server) {
        struct stream *st;
        if (!pstream_accept(p, &st)) {
            server = jsonrpc_open(st);
        }
    }
    json_t *msg;
    jsonrpc_session_run(s);
    assert_int_equal(recv_wait(server, &msg), 0);
    assert_true(json_equal(msg, note));
    json_decref(msg);

    json_decref(note);
    jsonrpc_close(server);
    jsonrpc_session_close(s);
    pstream_close(p);
    free(pname);
}

static void
test_session_echo_reply(void **state TERN_UNUSED)
{
    char *pname = new_listener_name();
    struct pstream *p;
    assert_int_equal(pstream_open(pname, &p), 0);
    struct jsonrpc_session *s = jsonrpc_session_open(pname + 1, 8000);
    struct jsonrpc *server = NULL;
    session_run_until(s, p, &server, session_up, IO_TIMEOUT_MS);
    while (!server) {
        struct stream *st;
        if (!pstream_accept(p, &st)) {
            server = jsonrpc_open(st);
        }
    }

    json_t *echo = json_pack("{s:s, s:[s, i], s:i}", "method", "echo",
                             "params", "probe", 5, "id", 77);
    json_t *update = jsonrpc_create_notify("update", json_pack("[i]", 1));
    assert_int_equal(jsonrpc_send(server, echo), 0);
    assert_int_equal(jsonrpc_send(server, update), 0);

    /* The session answers the echo and hands over only the update. */
    long long deadline = time_msec() + IO_TIMEOUT_MS;
    json_t *msg = NULL;
    while (!msg) {
        assert_true(time_msec() < deadline);
        jsonrpc_session_run(s);
        msg = jsonrpc_session_recv(s);
        test_sleep_msec(1);
    }
    assert_true(json_equal(msg, update));
    json_decref(msg);
    jsonrpc_session_run(s);

    json_t *reply;
    assert_int_equal(recv_wait(server, &reply), 0);
    assert_int_equal(json_integer_value(json_object_get(reply, "id")), 77);
    assert_true(json_equal(json_object_get(reply, "result"),
                           json_object_get(echo, "params")));
    assert_true(json_is_null(json_object_get(reply, "error")));
    json_decref(reply);

    json_decref(echo);
    json_decref(update);
    jsonrpc_close(server);
    jsonrpc_session_close(s);
    pstream_close(p);
    free(pname);
}

static void
test_session_backoff_cap(void **state TERN_UNUSED)
{
    /* A TCP port nobody listens on. */
    struct pstream *p;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p), 0);
    char *name = xasprintf("tcp:127.0.0.1:%d", pstream_get_bound_port(p));
    pstream_close(p);

    /* Below the 1 s first wait, the maximum is raised to it. */
    struct jsonrpc_session *s = jsonrpc_session_open(name, 10);
    for (int attempt = 0; attempt < 3; attempt++) {
        long long deadline = time_msec() + IO_TIMEOUT_MS;
        int timeout;
        struct pollfd pfd;
        do {
            assert_true(time_msec() < deadline);
            jsonrpc_session_run(s);
            timeout = -1;
            jsonrpc_session_poll_fd(s, &pfd, &timeout);
            if (pfd.fd >= 0) {
                poll(&pfd, 1, MIN(timeout, 10));
            }
        } while (pfd.fd >= 0);
        /* Refused: the next attempt is at most 1 s away, never more. */
        assert_false(jsonrpc_session_is_connected(s));
        assert_true(timeout >= 0 && timeout <= 1000);
        if (attempt < 2) {
            test_sleep_msec(timeout);
        }
    }
    assert_int_equal(jsonrpc_session_get_seqno(s), 0);
    assert_null(jsonrpc_session_recv(s));
    jsonrpc_session_close(s);
    free(name);
}

static int
group_setup(void **state TERN_UNUSED)
{
    return test_tmpdir_create(tmpdir, sizeof tmpdir, "test-jsonrpc");
}

static int
group_teardown(void **state TERN_UNUSED)
{
    return test_tmpdir_remove(tmpdir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framer_split_everywhere),
        cmocka_unit_test(test_framer_back_to_back),
        cmocka_unit_test(test_framer_rejects),
        cmocka_unit_test(test_jsonrpc_send_recv),
        cmocka_unit_test(test_jsonrpc_recv_split_every_byte),
        cmocka_unit_test(test_jsonrpc_back_to_back),
        cmocka_unit_test(test_jsonrpc_bad_input),
        cmocka_unit_test(test_jsonrpc_too_deep),
        cmocka_unit_test(test_jsonrpc_too_large),
        cmocka_unit_test(test_jsonrpc_backlog_limit),
        cmocka_unit_test(test_jsonrpc_constructors),
        cmocka_unit_test(test_jsonrpc_transact_block),
        cmocka_unit_test(test_session_reconnect),
        cmocka_unit_test(test_session_echo_reply),
        cmocka_unit_test(test_session_backoff_cap),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
