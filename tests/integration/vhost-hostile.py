#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# A small vhost-user frontend (the role QEMU plays for a VM) that talks to
# Tern's vhost-user ports, correctly or with hostile intent.  Standard
# library only: the memory shared with the backend is a memfd mapped here,
# file descriptors travel with SCM_RIGHTS, the virtqueues are split rings
# built by hand in that memory.
#
# Usage: vhost-hostile.py [--server] [--timeout S] SOCKET SCENARIO...
#
# Without --server the frontend connects to SOCKET (a dpdkvhostuser port,
# where Tern listens); with --server it listens on SOCKET and accepts one
# connection per scenario (a dpdkvhostuserclient port, where Tern
# connects and reconnects).  `list` prints the scenario names.
#
# The scenario `good` does a full handshake, transmits GOOD_TX frames into
# Tern and waits until it has received at least GOOD_RX frames from Tern
# (the test injects them on other ports), proving that a well-behaved peer
# passes traffic both ways.  Every other scenario sends one hostile input
# and expects Tern to close the connection (the frontend sees end of file)
# within the timeout; the descriptor scenarios (desc-*) instead expect Tern
# to consume the bad chain (the used index moves past it, the frame is
# dropped and counted on Tern's side) or to close the connection, and a
# good frame sent after it to be consumed too.
#
# Each scenario prints one line "SCENARIO: ok closed|dropped|rx-dropped|
# traffic" or
# "SCENARIO: FAIL: why"; the exit status is 0 when every scenario is ok.

import mmap
import os
import socket
import struct
import sys
import time

# Requests (frontend to backend).
GET_FEATURES = 1
SET_FEATURES = 2
SET_OWNER = 3
SET_MEM_TABLE = 5
SET_VRING_NUM = 8
SET_VRING_ADDR = 9
SET_VRING_BASE = 10
GET_VRING_BASE = 11
SET_VRING_KICK = 12
SET_VRING_CALL = 13
GET_PROTOCOL_FEATURES = 15
SET_PROTOCOL_FEATURES = 16
GET_QUEUE_NUM = 17
SET_VRING_ENABLE = 18

VERSION = 0x1
FLAG_REPLY = 0x4
HDR = struct.Struct("<III")
MAX_REGIONS = 8

F_MRG_RXBUF = 1 << 15
F_PROTOCOL_FEATURES = 1 << 30
F_VERSION_1 = 1 << 32

# Split ring descriptor flags.
D_NEXT = 1
D_WRITE = 2
AVAIL_NO_INTERRUPT = 1

QSIZE = 256
MEM_SIZE = 2 << 20
# Where the frontend claims its memory lives in its own address space
# (SET_VRING_ADDR uses these addresses; descriptors use guest-physical
# ones, which start at 0).
UVA_BASE = 0x7F3200000000
# Ring layout in guest memory: (desc, avail, used) per vring.
RINGS = {0: (0x0000, 0x1000, 0x2000), 1: (0x4000, 0x5000, 0x6000)}
RX_BUFS = 0x10000
TX_BUFS = 0x100000
BUF_SIZE = 2048

GOOD_TX = 8
GOOD_RX = 4
GOOD_MAC = bytes.fromhex("02000000aa01")
ETHERTYPE = 0x88B5


class Closed(Exception):
    """The backend closed the connection."""


class Peer:
    """One vhost-user connection and the guest memory behind it."""

    def __init__(self, sock, timeout):
        self.sock = sock
        self.timeout = timeout
        self.sock.settimeout(timeout)
        self.memfd = None
        self.mem = None
        self.features = 0
        self.hlen = 10
        self.fds = []
        self.tx_next = 0
        self.tx_used = 0
        self.rx_used = 0
        # What happened, for the test script: closed, dropped or traffic.
        self.note = ""

    def close(self):
        for fd in self.fds:
            os.close(fd)
        self.fds = []
        if self.mem is not None:
            self.mem.close()
            self.mem = None
        if self.memfd is not None:
            os.close(self.memfd)
            self.memfd = None
        self.sock.close()

    def keep(self, fd):
        self.fds.append(fd)
        return fd

    # --- messages -------------------------------------------------------
    def send_raw(self, data, fds=()):
        try:
            if fds:
                socket.send_fds(self.sock, [data], list(fds))
            else:
                self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise Closed() from e

    def send(self, req, payload=b"", fds=(), size=None, flags=VERSION):
        if size is None:
            size = len(payload)
        self.send_raw(HDR.pack(req, flags, size) + payload, fds)

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError as e:
                raise Closed() from e
            if not chunk:
                raise Closed()
            data += chunk
        return data

    def reply(self, req):
        rreq, flags, size = HDR.unpack(self.recv_exact(HDR.size))
        payload = self.recv_exact(size)
        if rreq != req or not flags & FLAG_REPLY:
            raise RuntimeError("reply %d/%#x to request %d" % (rreq, flags, req))
        return payload

    def get_u64(self, req):
        self.send(req)
        return struct.unpack("<Q", self.reply(req)[:8])[0]

    def wait_closed(self):
        """True when the backend closes the connection within the timeout
        (replies it sends first are read and ignored)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
            if not data:
                return True
        return False

    # --- guest memory and rings -----------------------------------------
    def make_memory(self, size=MEM_SIZE, file_size=None):
        self.memfd = os.memfd_create("tern-guest", os.MFD_CLOEXEC)
        os.ftruncate(self.memfd, size if file_size is None else file_size)
        self.mem = mmap.mmap(self.memfd, size if file_size is None
                             else file_size)

    @staticmethod
    def region(gpa, size, uva, offset=0):
        return struct.pack("<QQQQ", gpa, size, uva, offset)

    def mem_table(self, regions, fds):
        """SET_MEM_TABLE with REGIONS (packed) and FDS attached."""
        payload = struct.pack("<II", len(regions), 0) + b"".join(regions)
        self.send(SET_MEM_TABLE, payload, fds)

    def vring_state(self, req, index, num):
        self.send(req, struct.pack("<II", index, num))

    def vring_addr(self, index, desc, used, avail):
        self.send(SET_VRING_ADDR,
                  struct.pack("<IIQQQQ", index, 0, desc, used, avail, 0))

    def vring_fd(self, req, index, fd):
        self.send(req, struct.pack("<Q", index), [fd])

    def negotiate(self):
        offered = self.get_u64(GET_FEATURES)
        want = F_VERSION_1 | F_PROTOCOL_FEATURES | F_MRG_RXBUF
        self.features = offered & want
        self.send(SET_FEATURES, struct.pack("<Q", self.features))
        self.hlen = 12 if self.features & (F_VERSION_1 | F_MRG_RXBUF) else 10
        if self.features & F_PROTOCOL_FEATURES:
            self.get_u64(GET_PROTOCOL_FEATURES)
            self.send(SET_PROTOCOL_FEATURES, struct.pack("<Q", 0))
        self.send(SET_OWNER)

    def setup_vring(self, index, kick=None, call=None):
        desc, avail, used = RINGS[index]
        self.vring_fd(SET_VRING_CALL, index,
                      call if call is not None else self.keep(os.eventfd(0)))
        self.vring_state(SET_VRING_NUM, index, QSIZE)
        self.vring_state(SET_VRING_BASE, index, 0)
        self.vring_addr(index, UVA_BASE + desc, UVA_BASE + used,
                        UVA_BASE + avail)
        self.vring_fd(SET_VRING_KICK, index,
                      kick if kick is not None else self.keep(os.eventfd(0)))
        if self.features & F_PROTOCOL_FEATURES:
            self.vring_state(SET_VRING_ENABLE, index, 1)

    def handshake(self, fill_rx=True):
        """A correct handshake: one memfd region, vring 0 (Tern to us)
        filled with receive buffers, vring 1 (us to Tern) empty."""
        self.negotiate()
        if self.mem is None:
            self.make_memory()
        self.mem_table([self.region(0, MEM_SIZE, UVA_BASE)], [self.memfd])
        self.init_rings(fill_rx)
        self.setup_vring(0)
        self.setup_vring(1)

    def u16(self, off, val=None):
        if val is None:
            return struct.unpack_from("<H", self.mem, off)[0]
        struct.pack_into("<H", self.mem, off, val & 0xFFFF)
        return None

    def set_desc(self, index, slot, addr, length, flags, nxt=0):
        desc = RINGS[index][0]
        struct.pack_into("<QIHH", self.mem, desc + 16 * slot, addr, length,
                         flags, nxt)

    def publish(self, index, slot):
        """Puts descriptor SLOT in vring INDEX's available ring."""
        avail = RINGS[index][1]
        idx = self.u16(avail + 2)
        self.u16(avail + 4 + 2 * (idx % QSIZE), slot)
        self.u16(avail + 2, idx + 1)

    def used_idx(self, index):
        return self.u16(RINGS[index][2] + 2)

    def init_rings(self, fill_rx):
        for index in RINGS:
            desc, avail, used = RINGS[index]
            self.mem[desc:used + 4 + 8 * QSIZE + 2] = bytes(
                used + 4 + 8 * QSIZE + 2 - desc)
            self.u16(avail, AVAIL_NO_INTERRUPT)
        if fill_rx:
            for slot in range(QSIZE):
                self.set_desc(0, slot, RX_BUFS + slot * BUF_SIZE, BUF_SIZE,
                              D_WRITE)
                self.publish(0, slot)

    def transmit(self, frame):
        """Queues FRAME (with a zero virtio-net header) on vring 1."""
        slot = self.tx_next % QSIZE
        self.tx_next += 1
        addr = TX_BUFS + slot * BUF_SIZE
        data = bytes(self.hlen) + frame
        self.mem[addr:addr + len(data)] = data
        self.set_desc(1, slot, addr, len(data), 0)
        self.publish(1, slot)

    def receive(self):
        """Frames Tern put in vring 0 since the last call (buffers are
        given back at once)."""
        frames = []
        used = RINGS[0][2]
        while self.rx_used != self.used_idx(0):
            off = used + 4 + 8 * (self.rx_used % QSIZE)
            slot, length = struct.unpack_from("<II", self.mem, off)
            self.rx_used = (self.rx_used + 1) & 0xFFFF
            if slot >= QSIZE:
                raise RuntimeError("used ring returned descriptor %d" % slot)
            addr = RX_BUFS + slot * BUF_SIZE
            frames.append(bytes(self.mem[addr + self.hlen:addr + length]))
            self.publish(0, slot)
        return frames


def frame(tag, n):
    payload = ("tern-vhost-%s-%d" % (tag, n)).encode().ljust(46, b".")
    return (b"\xff" * 6 + GOOD_MAC + struct.pack(">H", ETHERTYPE) + payload)


def alive(peer):
    """True while the connection is open (no EOF pending)."""
    peer.sock.setblocking(False)
    try:
        data = peer.sock.recv(1, socket.MSG_PEEK)
        return data != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        peer.sock.settimeout(peer.timeout)


# --- scenarios ----------------------------------------------------------
def sc_good(peer):
    """A correct handshake, then frames both ways."""
    peer.handshake()
    # Tern needs a moment to start polling the rings after they are ready.
    time.sleep(0.5)
    for n in range(GOOD_TX):
        peer.transmit(frame("good", n))
    print("good: handshake done, %d frames queued" % GOOD_TX, flush=True)
    deadline = time.monotonic() + peer.timeout
    got = 0
    while time.monotonic() < deadline:
        got += len(peer.receive())
        tx_done = (peer.used_idx(1) - 0) & 0xFFFF
        if got >= GOOD_RX and tx_done >= GOOD_TX:
            peer.note = "traffic"
            return None
        if not alive(peer):
            return "Tern closed the connection of a well-behaved peer"
        time.sleep(0.05)
    return "received %d frames (want %d), Tern took %d of %d" % (
        got, GOOD_RX, peer.used_idx(1), GOOD_TX)


def closes(send):
    """A scenario that sends something hostile and expects a close."""
    def run(peer):
        peer.note = "closed"
        try:
            send(peer)
        except Closed:
            return None
        return None if peer.wait_closed() else "connection still open"
    run.__doc__ = send.__doc__
    return run


@closes
def sc_unknown_request(peer):
    """A request code no vhost-user version defines."""
    peer.negotiate()
    peer.send(0x7FFE, struct.pack("<Q", 0))


@closes
def sc_request_zero(peer):
    """Request code 0 (VHOST_USER_NONE)."""
    peer.send(0)


@closes
def sc_size_huge(peer):
    """A header whose size field is far beyond any payload."""
    peer.send(SET_VRING_NUM, struct.pack("<II", 0, QSIZE), size=0x100000)


@closes
def sc_size_larger(peer):
    """A size field larger than the payload that follows."""
    peer.negotiate()
    peer.send(SET_VRING_NUM, struct.pack("<II", 0, QSIZE), size=40)


@closes
def sc_size_smaller(peer):
    """A size field smaller than the request's payload."""
    peer.negotiate()
    peer.send(SET_VRING_ADDR, struct.pack("<II", 1, 0), size=8)


@closes
def sc_size_smaller_memtable(peer):
    """SET_MEM_TABLE whose size covers the count but not the region."""
    peer.negotiate()
    peer.make_memory()
    peer.send(SET_MEM_TABLE, struct.pack("<II", 1, 0), [peer.memfd])


@closes
def sc_truncated_header(peer):
    """Half a header, then silence."""
    peer.send_raw(HDR.pack(GET_FEATURES, VERSION, 0)[:6])


@closes
def sc_truncated_payload(peer):
    """A header announcing SET_VRING_ADDR and only part of its payload."""
    peer.negotiate()
    peer.send_raw(HDR.pack(SET_VRING_ADDR, VERSION, 40) +
                  struct.pack("<IIQ", 1, 0, UVA_BASE))


@closes
def sc_bad_version(peer):
    """A header whose version bits are not 1."""
    peer.send(GET_FEATURES, flags=0x2)


@closes
def sc_mem_zero_regions(peer):
    """SET_MEM_TABLE with no region at all."""
    peer.negotiate()
    peer.mem_table([], [])


@closes
def sc_mem_too_many(peer):
    """SET_MEM_TABLE with one region more than the maximum (and fds)."""
    peer.negotiate()
    regions, fds = [], []
    for i in range(MAX_REGIONS + 1):
        fd = peer.keep(os.memfd_create("r%d" % i, os.MFD_CLOEXEC))
        os.ftruncate(fd, 1 << 16)
        regions.append(peer.region(i << 20, 1 << 16, UVA_BASE + (i << 20)))
        fds.append(fd)
    peer.mem_table(regions, fds)


@closes
def sc_mem_no_fd(peer):
    """A region without its file descriptor."""
    peer.negotiate()
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [])


@closes
def sc_mem_small_fd(peer):
    """A region of 2 MB backed by a memfd of one page; the rings then sit
    in the part that does not exist (touching it would be SIGBUS)."""
    peer.negotiate()
    peer.make_memory(MEM_SIZE, 4096)
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [peer.memfd])
    for index in RINGS:
        peer.setup_vring(index)


@closes
def sc_mem_overlap(peer):
    """Two regions whose guest-physical ranges overlap."""
    peer.negotiate()
    peer.make_memory()
    fd2 = peer.keep(os.memfd_create("r2", os.MFD_CLOEXEC))
    os.ftruncate(fd2, MEM_SIZE)
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE),
                    peer.region(MEM_SIZE // 2, MEM_SIZE,
                                UVA_BASE + (16 << 20))],
                   [peer.memfd, fd2])


@closes
def sc_mem_absurd(peer):
    """A region whose guest-physical end wraps around 2^64."""
    peer.negotiate()
    peer.make_memory()
    peer.mem_table([peer.region(0xFFFFFFFFFFFFF000, MEM_SIZE, UVA_BASE)],
                   [peer.memfd])


@closes
def sc_mem_offset_overflow(peer):
    """A region whose mmap offset plus size overflows."""
    peer.negotiate()
    peer.make_memory()
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE,
                                0xFFFFFFFFFFFF0000)], [peer.memfd])


@closes
def sc_extra_fds_owner(peer):
    """SET_OWNER (takes no fd) with three fds attached."""
    peer.get_u64(GET_FEATURES)
    fds = [peer.keep(os.eventfd(0)) for _ in range(3)]
    peer.send(SET_OWNER, fds=fds)


@closes
def sc_extra_fds_vring_num(peer):
    """SET_VRING_NUM (takes no fd) with two fds attached."""
    peer.negotiate()
    fds = [peer.keep(os.eventfd(0)) for _ in range(2)]
    peer.send(SET_VRING_NUM, struct.pack("<II", 0, QSIZE), fds)


@closes
def sc_extra_fds_features(peer):
    """GET_FEATURES with an fd attached."""
    peer.send(GET_FEATURES, fds=[peer.keep(os.eventfd(0))])


@closes
def sc_extra_fds_memtable(peer):
    """SET_MEM_TABLE with one region and two fds."""
    peer.negotiate()
    peer.make_memory()
    fd2 = peer.keep(os.eventfd(0))
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [peer.memfd, fd2])


@closes
def sc_replay_mem_table(peer):
    """After a working handshake, SET_MEM_TABLE again with a table that
    no longer holds the rings."""
    peer.handshake()
    time.sleep(0.3)
    fd2 = peer.keep(os.memfd_create("moved", os.MFD_CLOEXEC))
    os.ftruncate(fd2, MEM_SIZE)
    peer.mem_table([peer.region(64 << 20, MEM_SIZE, UVA_BASE + (64 << 20))],
                   [fd2])


@closes
def sc_replay_vring_addr(peer):
    """After a working handshake, SET_VRING_ADDR again with rings outside
    the memory table."""
    peer.handshake()
    time.sleep(0.3)
    far = UVA_BASE + (256 << 20)
    peer.vring_addr(1, far, far + 0x2000, far + 0x1000)


@closes
def sc_vring_addr_outside(peer):
    """SET_VRING_ADDR outside the table during the handshake."""
    peer.negotiate()
    peer.make_memory()
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [peer.memfd])
    far = UVA_BASE + (256 << 20)
    peer.vring_fd(SET_VRING_CALL, 0, peer.keep(os.eventfd(0)))
    peer.vring_state(SET_VRING_NUM, 0, QSIZE)
    peer.vring_addr(0, far, far + 0x2000, far + 0x1000)
    peer.vring_fd(SET_VRING_KICK, 0, peer.keep(os.eventfd(0)))
    peer.vring_state(SET_VRING_ENABLE, 0, 1)


@closes
def sc_vring_num_not_pow2(peer):
    """SET_VRING_NUM 255."""
    peer.negotiate()
    peer.vring_state(SET_VRING_NUM, 0, 255)


@closes
def sc_vring_num_huge(peer):
    """SET_VRING_NUM 2^20."""
    peer.negotiate()
    peer.vring_state(SET_VRING_NUM, 0, 1 << 20)


@closes
def sc_vring_num_zero(peer):
    """SET_VRING_NUM 0."""
    peer.negotiate()
    peer.vring_state(SET_VRING_NUM, 0, 0)


@closes
def sc_vring_index_huge(peer):
    """SET_VRING_NUM on vring 255."""
    peer.negotiate()
    peer.vring_state(SET_VRING_NUM, 255, QSIZE)


@closes
def sc_kick_not_eventfd(peer):
    """A kick fd that is the read end of a pipe, not an eventfd."""
    peer.negotiate()
    peer.make_memory()
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [peer.memfd])
    peer.init_rings(True)
    r, w = os.pipe()
    peer.keep(w)
    peer.setup_vring(0)
    peer.setup_vring(1, kick=peer.keep(r))


@closes
def sc_call_not_eventfd(peer):
    """A call fd that is the write end of a pipe nobody reads (writing
    interrupts into it would block once it is full)."""
    peer.negotiate()
    peer.make_memory()
    peer.mem_table([peer.region(0, MEM_SIZE, UVA_BASE)], [peer.memfd])
    peer.init_rings(True)
    r, w = os.pipe()
    peer.keep(r)
    peer.setup_vring(0, call=peer.keep(w))
    peer.setup_vring(1)


def desc_case(build):
    """A scenario that puts a bad chain at the head of vring 1, then a
    good frame, and expects both to be consumed (or a close)."""
    def run(peer):
        peer.handshake()
        time.sleep(0.5)
        build(peer)
        peer.tx_next = 8
        peer.transmit(frame("after-bad", 0))
        deadline = time.monotonic() + peer.timeout
        while time.monotonic() < deadline:
            if not alive(peer):
                peer.note = "closed"
                return None
            if peer.used_idx(1) >= 2:
                peer.note = "dropped"
                return None
            time.sleep(0.05)
        return ("Tern consumed %d of 2 chains (the bad one stalls the ring)"
                % peer.used_idx(1))
    run.__doc__ = build.__doc__
    return run


@desc_case
def sc_desc_outside(peer):
    """A descriptor whose address is far outside guest memory."""
    peer.set_desc(1, 0, 0x40000000000, 64, 0)
    peer.publish(1, 0)


@desc_case
def sc_desc_len_beyond(peer):
    """A descriptor that starts inside the region and runs past its end."""
    peer.set_desc(1, 0, MEM_SIZE - 64, 4096, 0)
    peer.publish(1, 0)


@desc_case
def sc_desc_loop(peer):
    """A chain whose next pointers form a cycle."""
    addr = TX_BUFS
    peer.mem[addr:addr + peer.hlen + 60] = bytes(peer.hlen) + frame("x", 0)
    peer.set_desc(1, 0, addr, 32, D_NEXT, 1)
    peer.set_desc(1, 1, addr + 32, 32, D_NEXT, 0)
    peer.publish(1, 0)


@desc_case
def sc_desc_next_outside(peer):
    """A chain whose next index is beyond the ring size."""
    addr = TX_BUFS
    peer.mem[addr:addr + peer.hlen + 60] = bytes(peer.hlen) + frame("x", 0)
    peer.set_desc(1, 0, addr, 32, D_NEXT, 0xFFF0)
    peer.publish(1, 0)


@desc_case
def sc_desc_head_outside(peer):
    """An available-ring entry naming a descriptor beyond the ring."""
    avail = RINGS[1][1]
    idx = peer.u16(avail + 2)
    peer.u16(avail + 4 + 2 * (idx % QSIZE), 0x8000)
    peer.u16(avail + 2, idx + 1)


def sc_rx_desc_outside(peer):
    """Receive buffers (Tern to guest) outside guest memory: Tern cannot
    deliver into them; it drops what it would send and counts it, and the
    connection stays up."""
    peer.handshake()
    for slot in range(QSIZE):
        peer.set_desc(0, slot, 0x40000000000 + slot * BUF_SIZE, BUF_SIZE,
                      D_WRITE)
    time.sleep(peer.timeout / 4)
    if not alive(peer):
        return "Tern closed the connection"
    if peer.used_idx(0) != 0:
        return "Tern wrote %d frames outside guest memory" % peer.used_idx(0)
    peer.note = "rx-dropped"
    return None


SCENARIOS = {name[3:].replace("_", "-"): fn
             for name, fn in sorted(globals().items())
             if name.startswith("sc_")}


def connect(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def accept_one(path, timeout):
    """Listens on PATH for one connection, then stops listening (so that
    the backend's reconnection attempts fail until the next scenario)."""
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(path)
        listener.listen(1)
        listener.settimeout(timeout)
        sock, _ = listener.accept()
        return sock
    finally:
        listener.close()
        os.unlink(path)


def main(argv):
    server = False
    timeout = 10.0
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--server":
            server = True
        elif opt == "--timeout":
            timeout = float(argv.pop(0))
        else:
            sys.exit("unknown option %s" % opt)
    if argv == ["list"]:
        for name, fn in SCENARIOS.items():
            print("%-22s %s" % (name, (fn.__doc__ or "").split("\n")[0]))
        return 0
    if len(argv) < 2:
        sys.exit(__doc__)
    path, names = argv[0], argv[1:]
    if names == ["all"]:
        names = list(SCENARIOS)
    for name in names:
        if name not in SCENARIOS:
            sys.exit("no scenario %s" % name)
    failed = 0
    for name in names:
        try:
            if server:
                sock = accept_one(path, timeout * 3)
            else:
                sock = connect(path, timeout)
        except OSError as e:
            print("%s: FAIL: no connection (%s)" % (name, e), flush=True)
            failed += 1
            continue
        peer = Peer(sock, timeout)
        try:
            why = SCENARIOS[name](peer)
        except Closed:
            why = "Tern closed the connection during the handshake"
        except Exception as e:  # pylint: disable=broad-except
            why = "%s: %s" % (type(e).__name__, e)
        finally:
            peer.close()
        print("%s: %s" % (name, "ok " + peer.note if why is None
                          else "FAIL: " + why), flush=True)
        failed += why is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
