#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# A small raw OpenFlow client that feeds hostile input to a switch over a
# unix socket (tern-vswitchd's BRIDGE.mgmt) and checks each answer against
# the OpenFlow specifications: an OFPT_ERROR with the type and code the
# spec names, echoing the request's xid and its first bytes, or a clean
# close of the connection.  Standard library only.
#
# Usage: openflow-hostile.py SOCKET [CASE...]
# With no CASE every case runs.  Prints "ok NAME" or "FAIL NAME: why" per
# check and exits 1 if any check failed.  The flows the cases add carry
# cookie 0xbad0 or 0xbad1; the caller checks the switch's table.

import os
import random
import select
import socket
import struct
import sys
import time

OFP10, OFP13, OFP14, OFP15 = 1, 4, 5, 6
ANY = 0xFFFFFFFF
T_HELLO, T_ERROR, T_ECHO_REQ, T_ECHO_REPLY, T_EXPERIMENTER = 0, 1, 2, 3, 4
T_PACKET_OUT, T_FLOW_MOD, T_GROUP_MOD = 13, 14, 15
T_MP_REQ, T_BARRIER_REQ, T_BARRIER_REPLY = 18, 20, 21
T_METER_MOD, T_BUNDLE_CONTROL, T_BUNDLE_ADD = 29, 33, 34
# Replies a switch may send to a request (1.3+ numbering).
REPLY_TYPES = {3, 6, 8, 19, 21, 23, 25, 27, 33}
# Asynchronous messages, with any xid.
ASYNC_TYPES = {10, 11, 12, 30, 31, 32, 35}
OF10_REPLY_TYPES = {3, 6, 8, 17, 19, 21}
OF10_ASYNC_TYPES = {10, 11, 12}

# (type, code) of each error the checks expect: OpenFlow 1.3 section
# A.4.4 and OpenFlow 1.4 section 7.5.4 (the same numbers in both).
ERRORS = {
    "OFPBRC_BAD_VERSION": (1, 0),
    "OFPBRC_BAD_TYPE": (1, 1),
    "OFPBRC_BAD_MULTIPART": (1, 2),
    "OFPBRC_BAD_EXPERIMENTER": (1, 3),
    "OFPBRC_BAD_LEN": (1, 6),
    "OFPBRC_BAD_PORT": (1, 11),
    "OFPBAC_BAD_TYPE": (2, 0),
    "OFPBAC_BAD_LEN": (2, 1),
    "OFPBAC_BAD_OUT_GROUP": (2, 9),
    "OFPBIC_BAD_TABLE_ID": (3, 2),
    "OFPBIC_BAD_LEN": (3, 7),
    "OFPBMC_BAD_LEN": (4, 1),
    "OFPBMC_BAD_FIELD": (4, 6),
    "OFPBMC_BAD_MASK": (4, 8),
    "OFPBMC_BAD_PREREQ": (4, 9),
    "OFPBMC_DUP_FIELD": (4, 10),
    "OFPFMFC_BAD_TABLE_ID": (5, 2),
    "OFPFMFC_BAD_COMMAND": (5, 6),
    "OFPGMFC_LOOP": (6, 7),
    "OFPGMFC_BAD_TYPE": (6, 10),
    "OFPGMFC_BAD_BUCKET": (6, 12),
    "OFPMMFC_BAD_FLAGS": (12, 5),
    "OFPMMFC_BAD_RATE": (12, 6),
    "OFPMMFC_BAD_BAND": (12, 8),
    "OFPBFC_BAD_ID": (17, 2),
    "OFPBFC_MSG_TOO_MANY": (17, 12),
}
# OpenFlow 1.0's numbering (section 5.4.4) for the 1.0 checks.
ERRORS10 = {"OFPBRC_BAD_TYPE": (1, 1), "OFPBRC_BAD_VERSION": (1, 0)}
# Highest code of each error type (1.5), for the random checks.
MAX_CODE = {0: 1, 1: 15, 2: 15, 3: 9, 4: 11, 5: 7, 6: 17, 7: 4, 8: 2,
            9: 2, 10: 2, 11: 2, 12: 11, 13: 5, 14: 8, 15: 2, 16: 7,
            17: 15, 18: 1, 19: 1}

FAILURES = []


def ok(name):
    print("ok " + name, flush=True)


def failed(name, why):
    FAILURES.append(name)
    print("FAIL %s: %s" % (name, why), flush=True)


def header(version, mtype, length, xid):
    return struct.pack("!BBHI", version, mtype, length, xid)


def message(version, mtype, body, xid, length=None):
    if length is None:
        length = 8 + len(body)
    return header(version, mtype, length, xid) + body


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


# ---- OXM, instructions, actions (OpenFlow 1.3 section 7.2). ----
def oxm(field, value, mask=None, cls=0x8000, length=None):
    payload = value + (mask or b"")
    if length is None:
        length = len(payload)
    hm = 1 if mask is not None else 0
    return struct.pack("!HBB", cls, (field << 1) | hm, length) + payload


def match(*fields):
    body = b"".join(fields)
    return pad8(struct.pack("!HH", 1, 4 + len(body)) + body)


def act_output(port, length=16):
    """An output action whose length field says 'length' (16 is right);
    the bytes follow the length field."""
    a = struct.pack("!HHIH6x", 0, length, port, 0xFFFF)
    return a[:length] if length <= 16 else a + b"\0" * (length - 16)


def act_group(group):
    return struct.pack("!HHI", 22, 8, group)


def inst_apply(actions, length=None):
    if length is None:
        length = 8 + len(actions)
    return struct.pack("!HH4x", 4, length) + actions


def inst_goto(table, length=8):
    return struct.pack("!HHB3x", 1, length, table)


def flow_mod(xid, mtch, insts=b"", table=0, command=0, priority=100,
             cookie=0xBAD0, version=OFP13):
    body = struct.pack("!QQBBHHHIIIHH", cookie, 0, table, command, 0, 0,
                       priority, ANY, ANY, ANY, 0, 0)
    return message(version, T_FLOW_MOD, body + mtch + insts, xid)


def bucket(actions, length=None):
    if length is None:
        length = 16 + len(actions)
    return struct.pack("!HHII4x", length, 0, ANY, ANY) + actions


def group_mod(xid, command, gtype, gid, buckets=b""):
    return message(OFP13, T_GROUP_MOD,
                   struct.pack("!HBxI", command, gtype, gid) + buckets, xid)


def band(btype, rate, length=16):
    return struct.pack("!HHII4x", btype, length, rate, 0)


def meter_mod(xid, command, flags, mid, bands):
    return message(OFP13, T_METER_MOD,
                   struct.pack("!HHI", command, flags, mid) + bands, xid)


def bundle_ctrl(xid, bid, ctype, flags=1):
    return message(OFP14, T_BUNDLE_CONTROL,
                   struct.pack("!IHH", bid, ctype, flags), xid)


def bundle_add(xid, bid, inner, flags=1):
    return message(OFP14, T_BUNDLE_ADD, struct.pack("!IHH", bid, 0, flags)
                   + inner, xid)


def packet_out(xid, in_port, actions, data=b""):
    body = struct.pack("!IIH6x", ANY, in_port, len(actions))
    return message(OFP13, T_PACKET_OUT, body + actions + data, xid)


# A minimal Ethernet/IPv4/UDP frame for packet-outs.
FRAME = bytes.fromhex(
    "ffffffffffff" "020000000001" "0800"
    "4500001c00000000401100000a0000010a000002" "0001000200080000")


class Closed(Exception):
    pass


class Conn:
    """An OpenFlow connection after the hello exchange."""

    def __init__(self, path, version):
        self.path = path
        self.version = version
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.buf = b""
        self.sock.sendall(header(version, T_HELLO, 8, 1))
        reply = self.recv()
        if reply is None or reply[1] != T_HELLO:
            raise RuntimeError("no hello from the switch: %r" % (reply,))
        self.negotiated = min(version, reply[0])
        if self.negotiated != version:
            raise RuntimeError("switch negotiated %d, not %d"
                               % (reply[0], version))
        self.xid = 0x1000

    def next_xid(self):
        self.xid += 2
        return self.xid

    def close(self):
        self.sock.close()

    def send(self, raw):
        self.sock.sendall(raw)

    def _fill(self, timeout):
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            raise TimeoutError("no answer in %d s" % timeout)
        data = self.sock.recv(1 << 20)
        if not data:
            raise Closed()
        self.buf += data

    def recv(self, timeout=30):
        """(version, type, xid, whole message) of the next message, or
        None if the switch closed the connection."""
        try:
            while len(self.buf) < 8:
                self._fill(timeout)
            length = struct.unpack("!H", self.buf[2:4])[0]
            if length < 8:
                raise RuntimeError("switch sent length %d" % length)
            while len(self.buf) < length:
                self._fill(timeout)
        except (Closed, ConnectionResetError):
            return None
        m = self.buf[:length]
        self.buf = self.buf[length:]
        version, mtype, _, xid = struct.unpack("!BBHI", m[:8])
        return version, mtype, xid, m

    def barrier_type(self):
        return (18, 19) if self.version == OFP10 else (T_BARRIER_REQ,
                                                       T_BARRIER_REPLY)

    def roundtrip(self, raw, timeout=30):
        """Sends 'raw' then a barrier; returns (messages before the
        barrier reply, closed?)."""
        req, rep = self.barrier_type()
        bxid = self.next_xid() + 1
        try:
            self.send(raw + header(self.version, req, 8, bxid))
        except (BrokenPipeError, ConnectionResetError):
            return [], True
        msgs = []
        while True:
            m = self.recv(timeout)
            if m is None:
                return msgs, True
            if m[1] == rep and m[2] == bxid:
                return msgs, False
            msgs.append(m)

    def echo_ok(self):
        xid = self.next_xid()
        msgs, closed = self.roundtrip(header(self.version, T_ECHO_REQ, 8,
                                             xid))
        return not closed and any(m[1] == T_ECHO_REPLY and m[2] == xid
                                  for m in msgs)


def decode_error(m):
    etype, code = struct.unpack("!HH", m[3][8:12])
    return etype, code, m[3][12:]


def check_error(name, conn, raw, xid, expected, versions=None,
                table=ERRORS):
    """Sends 'raw' (whose xid is 'xid') and checks that exactly one
    OFPT_ERROR with the (type, code) of 'expected' comes back for it, with
    the request's first bytes as data, and nothing else for that xid."""
    msgs, closed = conn.roundtrip(raw)
    if versions is None:
        versions = {conn.version}
    want = table[expected]
    mine = [m for m in msgs if m[2] == xid]
    errs = [m for m in mine if m[1] == T_ERROR]
    if len(errs) != 1 or len(mine) != 1:
        failed(name, "expected one %s for xid %#x, got %s%s"
               % (expected, xid, describe(msgs),
                  " (connection closed)" if closed else ""))
        return False
    etype, code, data = decode_error(errs[0])
    if (etype, code) != want:
        failed(name, "expected %s %s, got type %d code %d"
               % (expected, want, etype, code))
        return False
    if errs[0][0] not in versions:
        failed(name, "error has version %d, expected one of %s"
               % (errs[0][0], sorted(versions)))
        return False
    if data != raw[:len(data)] or len(data) < min(64, len(raw)):
        failed(name, "error data is not the request's start: %s"
               % data[:64].hex())
        return False
    if closed:
        failed(name, "connection closed after the error")
        return False
    ok(name)
    return True


def check_no_error(name, conn, raw):
    msgs, closed = conn.roundtrip(raw)
    errs = [m for m in msgs if m[1] == T_ERROR]
    if errs or closed:
        failed(name, "unexpected answer %s%s" % (describe(msgs),
                                                 " (closed)" if closed
                                                 else ""))
        return False
    ok(name)
    return True


def describe(msgs):
    out = []
    for m in msgs:
        if m[1] == T_ERROR:
            t, c, _ = decode_error(m)
            out.append("ERROR(xid=%#x,type=%d,code=%d)" % (m[2], t, c))
        else:
            out.append("type%d(xid=%#x)" % (m[1], m[2]))
    return "[" + ", ".join(out) + "]" if out else "nothing"


def expect_close_or_error(name, path, raw, errname=None):
    """Sends 'raw' on a fresh 1.3 connection: the switch must close the
    connection (an error first is fine) and keep serving others."""
    conn = Conn(path, OFP13)
    conn.send(raw)
    seen = []
    closed = False
    deadline = time.time() + 20
    while time.time() < deadline:
        m = conn.recv(timeout=max(0.1, deadline - time.time()))
        if m is None:
            closed = True
            break
        seen.append(m)
    conn.close()
    bad = [m for m in seen if m[1] != T_ERROR
           or (errname and decode_error(m)[:2] != ERRORS[errname])]
    if not closed:
        failed(name, "connection not closed; got %s" % describe(seen))
    elif bad:
        failed(name, "unexpected answer before the close: %s"
               % describe(seen))
    elif not Conn(path, OFP13).echo_ok():
        failed(name, "a new connection does not answer echo")
    else:
        ok(name)


# ---- The cases. ----
def case_framing(path):
    expect_close_or_error("header length 4 (< 8)", path,
                          header(OFP13, T_ECHO_REQ, 4, 7) + b"\0" * 16)
    expect_close_or_error("header length 0", path,
                          header(OFP13, T_ECHO_REQ, 0, 7))

    # A message announced longer than what is sent, then a close.
    conn = Conn(path, OFP13)
    conn.send(header(OFP13, T_FLOW_MOD, 200, 9) + b"\x55" * 40)
    conn.close()
    conn = Conn(path, OFP13)
    conn.send(header(OFP13, T_ECHO_REQ, 65535, 9) + b"\x55" * 1000)
    conn.close()
    if Conn(path, OFP13).echo_ok():
        ok("truncated message then close")
    else:
        failed("truncated message then close", "switch stopped answering")

    # The largest message the 16-bit length allows, in many pieces.
    conn = Conn(path, OFP13)
    payload = bytes(random.Random(1).randrange(256) for _ in range(65527))
    raw = header(OFP13, T_ECHO_REQ, 65535, 0x77) + payload
    for i in range(0, len(raw), 4093):
        conn.send(raw[i:i + 4093])
    m = conn.recv()
    if m and m[1] == T_ECHO_REPLY and m[2] == 0x77 and m[3][8:] == payload:
        ok("65535-byte echo request")
    else:
        failed("65535-byte echo request", "reply %r" % (m and m[:3],))
    check_error("65535-byte message of unknown type", conn,
                header(OFP13, 0xC8, 65535, 0x79) + payload, 0x79,
                "OFPBRC_BAD_TYPE")
    # Several messages in one write, one split byte by byte.
    xid = conn.next_xid()
    raw = b"".join(header(OFP13, T_ECHO_REQ, 8, xid + i) for i in range(3))
    conn.send(raw[:5])
    for i in range(5, len(raw)):
        conn.send(raw[i:i + 1])
    got = [conn.recv() for _ in range(3)]
    if [g and (g[1], g[2]) for g in got] == [(3, xid + i) for i in range(3)]:
        ok("split and batched messages")
    else:
        failed("split and batched messages", "replies %r"
               % [g and g[:3] for g in got])
    conn.close()


def case_request(path):
    conn = Conn(path, OFP13)
    x = conn.next_xid()
    check_error("unknown message type", conn, message(OFP13, 0xC8, b"", x),
                x, "OFPBRC_BAD_TYPE")
    x = conn.next_xid()
    check_error("unknown message type 36", conn,
                message(OFP13, 36, b"\0" * 8, x), x, "OFPBRC_BAD_TYPE")
    x = conn.next_xid()
    check_error("unknown multipart type", conn,
                message(OFP13, T_MP_REQ, struct.pack("!HH4x", 0x1234, 0),
                        x), x, "OFPBRC_BAD_MULTIPART")
    x = conn.next_xid()
    check_error("unknown experimenter", conn,
                message(OFP13, T_EXPERIMENTER,
                        struct.pack("!II", 0x00BADBAD, 1), x), x,
                "OFPBRC_BAD_EXPERIMENTER")
    x = conn.next_xid()
    check_error("unknown multipart experimenter", conn,
                message(OFP13, T_MP_REQ,
                        struct.pack("!HH4xII", 0xFFFF, 0, 0x00BADBAD, 1),
                        x), x, "OFPBRC_BAD_EXPERIMENTER")
    # A request (FEATURES_REQUEST, type 5 in every version) in another
    # version than the negotiated one.  The error's version may be the
    # request's (that is what the switch could not parse) or the
    # connection's.  (Echo requests are version-independent: answering
    # them in any version, as Open vSwitch does, is not checked here.)
    for v in (OFP14, OFP10, 0x07, 0x7F):
        x = conn.next_xid()
        check_error("version %#x after negotiating 1.3" % v, conn,
                    header(v, 5, 8, x), x, "OFPBRC_BAD_VERSION",
                    versions={OFP13, v})
    if conn.echo_ok():
        ok("1.3 connection usable after the request errors")
    else:
        failed("1.3 connection usable after the request errors", "no echo")
    conn.close()

    conn = Conn(path, OFP10)
    x = conn.next_xid()
    check_error("OpenFlow 1.0 unknown message type", conn,
                message(OFP10, 0x60, b"", x), x, "OFPBRC_BAD_TYPE",
                table=ERRORS10)
    x = conn.next_xid()
    check_error("OpenFlow 1.0: a 1.3 message", conn,
                header(OFP13, 5, 8, x), x, "OFPBRC_BAD_VERSION",
                versions={OFP10, OFP13}, table=ERRORS10)
    conn.close()


def case_flow_mod(path):
    conn = Conn(path, OFP13)
    out1 = inst_apply(act_output(1))

    def fm(name, expected, **kw):
        x = conn.next_xid()
        mtch = kw.pop("mtch", match())
        insts = kw.pop("insts", out1)
        check_error(name, conn, flow_mod(x, mtch, insts, **kw), x, expected)

    x = conn.next_xid()
    full = flow_mod(x, match(), out1)
    short = full[:28]
    check_error("flow_mod shorter than its fixed part", conn,
                short[:2] + struct.pack("!H", 28) + short[4:], x,
                "OFPBRC_BAD_LEN")
    eth_ip = oxm(5, b"\x08\x00")
    fm("OXM length 3 for in_port", "OFPBMC_BAD_LEN",
       mtch=match(oxm(0, b"\0\0\0", length=3)))
    fm("OXM longer than the match", "OFPBMC_BAD_LEN",
       mtch=match(eth_ip, oxm(0, b"\0\0\0\1", length=40)))
    fm("unknown OXM field", "OFPBMC_BAD_FIELD",
       mtch=match(oxm(0x70, b"\0\0\0\1")))
    fm("duplicate OXM field", "OFPBMC_DUP_FIELD",
       mtch=match(eth_ip, eth_ip))
    fm("tcp_dst without ip_proto", "OFPBMC_BAD_PREREQ",
       mtch=match(eth_ip, oxm(14, b"\0\x50")))
    fm("ip_proto without eth_type", "OFPBMC_BAD_PREREQ",
       mtch=match(oxm(10, b"\x06")))
    fm("mask on in_port", "OFPBMC_BAD_MASK",
       mtch=match(oxm(0, b"\0\0\0\1", mask=b"\0\0\0\xff")))
    fm("instruction length 16 for goto_table", "OFPBIC_BAD_LEN",
       insts=inst_goto(3, length=16) + b"\0" * 8)
    fm("instruction length 12 in a 16-byte list", "OFPBIC_BAD_LEN",
       insts=inst_goto(3, length=12) + b"\0" * 8)
    fm("apply_actions longer than the message", "OFPBIC_BAD_LEN",
       insts=inst_apply(act_output(1), length=64))
    fm("output action length 12", "OFPBAC_BAD_LEN",
       insts=inst_apply(act_output(1, length=12) + b"\0" * 4))
    fm("output action length 24", "OFPBAC_BAD_LEN",
       insts=inst_apply(act_output(1, length=24)))
    fm("unknown action type", "OFPBAC_BAD_TYPE",
       insts=inst_apply(struct.pack("!HH4x", 0x1234, 8)))
    fm("goto_table backwards", "OFPBIC_BAD_TABLE_ID",
       table=5, insts=inst_goto(2))
    fm("goto_table to itself", "OFPBIC_BAD_TABLE_ID",
       table=5, insts=inst_goto(5))
    fm("output to a missing group", "OFPBAC_BAD_OUT_GROUP",
       insts=inst_apply(act_group(4242)))
    fm("flow_mod command 9", "OFPFMFC_BAD_COMMAND", command=9)
    fm("add to table 255", "OFPFMFC_BAD_TABLE_ID", table=255)
    fm("add to table 254", "OFPFMFC_BAD_TABLE_ID", table=254)
    conn.close()


def case_group_mod(path):
    conn = Conn(path, OFP13)
    out1 = act_output(1)
    x = conn.next_xid()
    check_error("group bucket length past the end", conn,
                group_mod(x, 0, 0, 7, bucket(out1, length=200)), x,
                "OFPGMFC_BAD_BUCKET")
    x = conn.next_xid()
    check_error("group bucket length below 16", conn,
                group_mod(x, 0, 0, 7, bucket(out1, length=8)), x,
                "OFPGMFC_BAD_BUCKET")
    x = conn.next_xid()
    check_error("group type 9", conn, group_mod(x, 0, 9, 7, bucket(out1)),
                x, "OFPGMFC_BAD_TYPE")
    check_no_error("group 2 -> output 1", conn,
                   group_mod(conn.next_xid(), 0, 0, 2, bucket(out1)))
    check_no_error("group 1 -> group 2", conn,
                   group_mod(conn.next_xid(), 0, 0, 1,
                             bucket(act_group(2))))
    x = conn.next_xid()
    check_error("group 2 -> group 1 loops", conn,
                group_mod(x, 1, 0, 2, bucket(act_group(1))), x,
                "OFPGMFC_LOOP")
    x = conn.next_xid()
    check_error("group 3 -> group 3 loops", conn,
                group_mod(x, 0, 0, 3, bucket(act_group(3))), x,
                "OFPGMFC_LOOP")
    check_no_error("delete all groups", conn,
                   group_mod(conn.next_xid(), 2, 0, 0xFFFFFFFC))
    conn.close()


def case_meter_mod(path):
    conn = Conn(path, OFP13)
    x = conn.next_xid()
    check_error("meter rate 0", conn, meter_mod(x, 0, 1, 5, band(1, 0)), x,
                "OFPMMFC_BAD_RATE")
    x = conn.next_xid()
    check_error("meter band type 7", conn,
                meter_mod(x, 0, 1, 5, band(7, 1000)), x, "OFPMMFC_BAD_BAND")
    x = conn.next_xid()
    check_error("meter KBPS and PKTPS", conn,
                meter_mod(x, 0, 3, 5, band(1, 1000)), x,
                "OFPMMFC_BAD_FLAGS")
    conn.close()


def case_packet_out(path):
    conn = Conn(path, OFP13)
    x = conn.next_xid()
    check_error("packet_out output action length 12", conn,
                packet_out(x, 1, act_output(2, length=12) + b"\0" * 4,
                           FRAME), x, "OFPBAC_BAD_LEN")
    x = conn.next_xid()
    check_error("packet_out actions_len past the end", conn,
                message(OFP13, T_PACKET_OUT,
                        struct.pack("!IIH6x", ANY, 1, 400) + act_output(2),
                        x), x, "OFPBRC_BAD_LEN")
    x = conn.next_xid()
    check_error("packet_out unknown action", conn,
                packet_out(x, 1, struct.pack("!HH4x", 0x4321, 8), FRAME),
                x, "OFPBAC_BAD_TYPE")
    x = conn.next_xid()
    check_error("packet_out in_port 0xfffffff0 (reserved, invalid)", conn,
                packet_out(x, 0xFFFFFFF0, act_output(2), FRAME), x,
                "OFPBRC_BAD_PORT")
    # A port number in range that no port has: OpenFlow 1.3 names no error
    # for it (Open vSwitch accepts it); accept either answer, say which.
    x = conn.next_xid()
    msgs, closed = conn.roundtrip(packet_out(x, 77, act_output(2), FRAME))
    errs = [decode_error(m)[:2] for m in msgs if m[1] == T_ERROR]
    if closed or (errs and errs != [ERRORS["OFPBRC_BAD_PORT"]]):
        failed("packet_out from missing port 77", describe(msgs))
    else:
        ok("packet_out from missing port 77 (%s)"
           % ("OFPBRC_BAD_PORT" if errs else "accepted"))
    conn.close()


def case_bundle(path, quick):
    conn = Conn(path, OFP14)
    fm_in = flow_mod(0, match(oxm(5, b"\x08\x06")),
                     inst_apply(act_output(2)), priority=333,
                     cookie=0xBAD1, version=OFP14)

    def inner(xid):
        return fm_in[:4] + struct.pack("!I", xid) + fm_in[8:]

    # OpenFlow 1.4 section 7.3.9.6: an add to a bundle id that does not
    # exist opens it (Documentation/openflow.md says Tern does so).
    x = conn.next_xid()
    check_no_error("bundle add without open", conn,
                   bundle_add(x, 11, inner(x)))
    x = conn.next_xid()
    msgs, closed = conn.roundtrip(bundle_ctrl(x, 11, 4))
    if (not closed and len(msgs) == 1 and msgs[0][1] == T_BUNDLE_CONTROL
            and struct.unpack("!IH", msgs[0][3][8:14]) == (11, 5)):
        ok("commit of the implicitly opened bundle")
    else:
        failed("commit of the implicitly opened bundle", describe(msgs))
    x = conn.next_xid()
    check_error("commit of an unknown bundle id", conn,
                bundle_ctrl(x, 0xDEAD, 4), x, "OFPBFC_BAD_ID")
    x = conn.next_xid()
    check_error("discard of an unknown bundle id", conn,
                bundle_ctrl(x, 0xDEAE, 6), x, "OFPBFC_BAD_ID")

    if not quick:
        # One message past OFPROTO_BUNDLE_MAX_MSGS (100,000).
        limit = 100000
        base = conn.next_xid() + 10
        conn.xid = base + limit + 10
        parts = []
        for i in range(limit + 1):
            x = base + i
            parts.append(bundle_add(x, 12, inner(x)))
        msgs, closed = conn.roundtrip(b"".join(parts), timeout=300)
        last = base + limit
        errs = [(m[2], decode_error(m)[:2]) for m in msgs
                if m[1] == T_ERROR]
        if closed or errs != [(last, ERRORS["OFPBFC_MSG_TOO_MANY"])]:
            failed("100,001 adds to one bundle", "%s%s" % (
                describe(msgs), " (closed)" if closed else ""))
        else:
            ok("100,001 adds to one bundle: the last is "
               "OFPBFC_MSG_TOO_MANY")
        if conn.echo_ok():
            ok("connection usable after the bundle limit")
        else:
            failed("connection usable after the bundle limit", "no echo")
        x = conn.next_xid()
        msgs, closed = conn.roundtrip(bundle_ctrl(x, 12, 6))
        if closed or not msgs or (msgs[0][1] == T_ERROR and decode_error(
                msgs[0])[:2] != ERRORS["OFPBFC_BAD_ID"]):
            failed("discard of the full bundle", describe(msgs))
        else:
            ok("discard of the full bundle")

    # A bundle left idle past OFPROTO_BUNDLE_IDLE_MS (10 s) is discarded.
    x = conn.next_xid()
    y = conn.next_xid()
    fm_idle = flow_mod(y, match(oxm(5, b"\x86\xdd")),
                       inst_apply(act_output(2)), priority=444,
                       cookie=0xBAD1, version=OFP14)
    check_no_error("open a bundle and add to it", conn,
                   bundle_ctrl(x, 13, 0) + bundle_add(y, 13, fm_idle))
    time.sleep(12)
    x = conn.next_xid()
    check_error("commit after the idle timeout", conn,
                bundle_ctrl(x, 13, 4), x, "OFPBFC_BAD_ID")
    conn.close()


def case_random(path, count=10000, seed=20261127):
    """'count' random byte strings framed as messages of random types.
    Every answer must be a well-formed error for one of them or a reply
    type, and the switch must stay up."""
    rng = random.Random(seed)
    conn = Conn(path, OFP13)
    problems = []
    closes = 0
    sent = 0
    while sent < count:
        batch = {}
        raw = b""
        for _ in range(min(50, count - sent)):
            sent += 1
            r = rng.random()
            version = OFP13 if r < 0.85 else rng.choice([1, 5, 6, 2, 0x42])
            if rng.random() < 0.8:
                mtype = rng.randrange(36)
            else:
                mtype = rng.randrange(256)
            n = rng.choice([0, 4, 8, 16, 40, 48, 56, 64, 88, 120,
                            rng.randrange(300)])
            body = bytes(rng.randrange(256) for _ in range(n))
            if mtype == T_FLOW_MOD and len(body) > 17:
                # Random flow mods only add: no delete or modify may touch
                # the switch's other flows.
                body = body[:17] + b"\0" + body[18:]
            if mtype in (T_HELLO,):
                continue
            x = conn.next_xid()
            m = message(version, mtype, body, x)
            batch[x] = m
            raw += m
        msgs, closed = conn.roundtrip(raw, timeout=60)
        for m in msgs:
            why = check_random_reply(m, batch, conn.version)
            if why:
                problems.append(why)
        if closed:
            closes += 1
            conn = Conn(path, OFP13)
    name = "%d random messages (seed %d)" % (count, seed)
    if problems:
        failed(name, "; ".join(problems[:10]))
    elif closes > count // 100:
        failed(name, "the switch closed the connection %d times" % closes)
    else:
        ok(name + ", %d closes" % closes)
    if conn.echo_ok():
        ok("connection usable after the random messages")
    else:
        failed("connection usable after the random messages", "no echo")
    conn.close()


def check_random_reply(m, batch, negotiated):
    version, mtype, xid, raw = m
    if mtype in ASYNC_TYPES:
        return None
    req = batch.get(xid)
    if req is None:
        return "type %d with unknown xid %#x" % (mtype, xid)
    if version not in (negotiated, req[0]):
        return "reply version %d to a version %d request" % (version, req[0])
    if mtype == T_ERROR:
        if len(raw) < 12:
            return "short error %s" % raw.hex()
        etype, code, data = decode_error(m)
        if etype not in MAX_CODE or code > MAX_CODE[etype]:
            if etype != 0xFFFF:
                return "error type %d code %d to %s" % (etype, code,
                                                        req[:16].hex())
        if data != req[:len(data)] or len(data) < min(64, len(req)):
            return "error data is not the request's start (xid %#x)" % xid
        return None
    if mtype not in REPLY_TYPES:
        return "type %d answered %s" % (mtype, req[:16].hex())
    return None


CASES = {
    "framing": case_framing,
    "request": case_request,
    "flow_mod": case_flow_mod,
    "group_mod": case_group_mod,
    "meter_mod": case_meter_mod,
    "packet_out": case_packet_out,
    "bundle": lambda p: case_bundle(p, False),
    "bundle_quick": lambda p: case_bundle(p, True),
    "random": case_random,
}


def main():
    if len(sys.argv) < 2:
        print("usage: %s SOCKET [CASE...]" % sys.argv[0], file=sys.stderr)
        return 2
    path = sys.argv[1]
    names = sys.argv[2:] or [n for n in CASES if n != "bundle_quick"]
    for n in names:
        print("--- case " + n, flush=True)
        try:
            CASES[n](path)
        except (OSError, RuntimeError, TimeoutError) as e:
            failed(n, "%s: %s" % (type(e).__name__, e))
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
