# SPDX-License-Identifier: Apache-2.0
"""Writes and counts pcap files for the integration tests (standard
library only, so that it runs wherever Python 3 does).

  pcap.py write FILE COUNT HEX   write COUNT copies of the packet HEX
  pcap.py write FILE 0           write an empty capture (header only)
  pcap.py count FILE             print the number of packets in FILE
  pcap.py dump FILE              print each packet as hex, one per line
"""
import struct
import sys

MAGIC = 0xA1B2C3D4


def write(path, count, hexdata=""):
    data = bytes.fromhex(hexdata)
    with open(path, "wb") as f:
        # Version 2.4, UTC, accuracy 0, snaplen 65535, Ethernet.
        f.write(struct.pack("<IHHiIII", MAGIC, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(data),
                                len(data)))
            f.write(data)


def packets(path):
    with open(path, "rb") as f:
        header = f.read(24)
        if len(header) < 24:
            return
        magic = struct.unpack("<I", header[:4])[0]
        order = "<" if magic in (MAGIC, 0xA1B23C4D) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            _, _, incl, _ = struct.unpack(order + "IIII", rec)
            yield f.read(incl)


def main(argv):
    if len(argv) >= 4 and argv[1] == "write":
        write(argv[2], int(argv[3]), argv[4] if len(argv) > 4 else "")
    elif len(argv) == 3 and argv[1] == "count":
        print(sum(1 for _ in packets(argv[2])))
    elif len(argv) == 3 and argv[1] == "dump":
        for p in packets(argv[2]):
            print(p.hex())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
