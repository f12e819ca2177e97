# SPDX-License-Identifier: Apache-2.0
"""The test frames of Tern's benchmarks, shared by gen-flows.py and
gen-pcap.py (and matching what bench-dp and bench-upcall build in C).

Every frame is 60 bytes (64 on the wire with the FCS): Ethernet from
02:00:00:00:00:01 to 02:00:00:00:00:02, IPv4 (TTL 64, no options) from a
given source to 192.168.0.1, UDP 1234 -> 5678 and 18 zero bytes of
payload.  pcap files are little-endian, microsecond resolution, link type
Ethernet, snap length 65535, every record time-stamped 0.
"""
import struct


def checksum(data):
    """Returns the Internet checksum (RFC 1071) of the bytes 'data'."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src_addr):
    """Returns the frame (bytes) with IPv4 source 'src_addr', an integer in
    host order (e.g. 0x0a000001 for 10.0.0.1)."""
    src = struct.pack("!I", src_addr)
    dst = bytes([192, 168, 0, 1])
    payload = bytes(18)  # 14 + 20 + 8 + 18 = 60 bytes, 64 with the FCS.
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17,
                     0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 1234, 5678, udp_len, 0)
    eth = (bytes.fromhex("020000000002" "020000000001")
           + struct.pack("!H", 0x0800))
    return eth + ip + udp + payload


def write_pcap(path, frames):
    """Writes the iterable of frames (bytes each) 'frames' to a new pcap
    file at 'path', in order."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for fr in frames:
            f.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)))
            f.write(fr)
