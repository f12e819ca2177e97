#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for ryu-switch.sh around the os-ken switch tester's files.

  ryu-cases.py count DIR            number of test cases under DIR
  ryu-cases.py failed LOG           "file<TAB>case" of every case the
                                    tester's report (in LOG) lists as
                                    failed
  ryu-cases.py extract DIR LIST OUT writes the cases named by the
                                    "file<TAB>case" lines of LIST into test
                                    files under OUT (to rerun them)
  ryu-cases.py rounds DIR OUT       copies DIR's test files into OUT/1,
                                    OUT/2, ... so that no round holds two
                                    files with the same title (the tester
                                    keys files by title and would run only
                                    one of them); prints the round dirs
  ryu-cases.py ok LOG               the number of cases the tester's
                                    summary in LOG counts as OK
  ryu-cases.py classify LOG LIST    for each "file<TAB>case" line of LIST
                                    (cases that failed twice, the second
                                    time in LOG), prints "KIND<TAB>line":
                                    KIND is "throughput" (a rate case whose
                                    outputs all carried the same rate,
                                    below the tester's target: see
                                    ryu-switch.sh) or "fail"
  ryu-cases.py verified DIR LIST LOG PCAPDIR T0 T1
                                    the cases of LIST that failed in LOG
                                    with "increment in rx_packets in
                                    tester" although, between T0 and T1,
                                    every time their ingress went out on
                                    tst1 their exact expected egress
                                    came back on tst2
  ryu-cases.py evidence DIR LIST PCAPDIR
                                    for each "file<TAB>case" line of LIST,
                                    how many times the case's packet
                                    (ingress) is in PCAPDIR/tst1.pcap and
                                    its expected egress in tst2.pcap: what
                                    the target really put on the wire
"""
import json
import os
import re
import sys


def case_files(path):
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            yield from case_files(os.path.join(path, name))
    elif path.endswith('.json'):
        yield path


def load(path):
    with open(path) as f:
        data = json.load(f)
    return data[0], data[1:]


def count(directory):
    return sum(len(load(p)[1]) for p in case_files(directory))


def failed(log):
    """The report lists failures as "    FILE_DESC<spaces>CASE_DESC" under
    a "<result type>(n)" line, before the "OK(n) / ERROR(m)" summary."""
    out = []
    in_report = False
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if '--- Test report ---' in line:
                in_report = True
                continue
            if not in_report:
                continue
            if re.match(r'^\s*OK\(\d+\) / ERROR\(\d+\)', line):
                break
            m = re.match(r'^    (\S.*?)\s{2,}(\S.*)$', line)
            if m:
                out.append((m.group(1).strip(), m.group(2).strip()))
            else:
                m = re.match(r'^    (\S+)\s+(\S.*)$', line)
                if m:
                    out.append((m.group(1).strip(), m.group(2).strip()))
    return out


def extract(directory, listing, outdir):
    wanted = []
    with open(listing) as f:
        for line in f:
            if '\t' in line:
                fdesc, cdesc = line.rstrip('\n').split('\t', 1)
                wanted.append((fdesc, cdesc))
    os.makedirs(outdir, exist_ok=True)
    # The tester keys test files by their title: the cases of one title go
    # into one file.
    by_title = {}
    for path in case_files(directory):
        title, cases = load(path)
        for case in cases:
            if (title, case.get('description', '')) in wanted:
                by_title.setdefault(title, []).append(case)
    n = 0
    for i, (title, cases) in enumerate(sorted(by_title.items())):
        n += len(cases)
        with open(os.path.join(outdir, '%03d.json' % i), 'w') as f:
            json.dump([title] + cases, f)
    return n


def rounds(directory, outdir):
    placed = []  # One set of titles per round.
    for path in case_files(directory):
        title = load(path)[0]
        for i, titles in enumerate(placed):
            if title not in titles:
                break
        else:
            placed.append(set())
            i = len(placed) - 1
        placed[i].add(title)
        rdir = os.path.join(outdir, str(i + 1))
        os.makedirs(rdir, exist_ok=True)
        rel = os.path.relpath(path, directory).replace(os.sep, '_')
        with open(path) as src, open(os.path.join(rdir, rel), 'w') as dst:
            dst.write(src.read())
    for i in range(len(placed)):
        print(os.path.join(outdir, str(i + 1)))


def ok_count(log):
    with open(log, errors='replace') as f:
        for line in f:
            m = re.search(r'OK\((\d+)\) / ERROR\((\d+)\)', line)
            if m:
                return int(m.group(1))
    return 0


RATES = re.compile(r'([0-9.]+)kbps')


def throughput_details(log):
    """Case description -> the tester's "Received unexpected throughput"
    detail line, for the cases of LOG that failed that way."""
    out = {}
    last = None
    with open(log, errors='replace') as f:
        for line in f:
            m = re.match(r'^    (\S.*?)\s+ERROR$', line.rstrip('\n'))
            if m:
                last = m.group(1)
                continue
            if last and 'Received unexpected throughput' in line:
                out[last] = line.strip()
            last = None
    return out


def classify(log, listing):
    details = throughput_details(log)
    with open(listing) as f:
        for line in f:
            line = line.rstrip('\n')
            if '\t' not in line:
                continue
            desc = line.split('\t', 1)[1]
            kind = 'fail'
            if desc in details:
                rates = [float(r) for r in RATES.findall(details[desc])]
                if len(rates) >= 2 and max(rates) - min(rates) <= \
                        0.02 * max(rates):
                    kind = 'throughput'
                line += ' [' + details[desc] + ']'
            print('%s\t%s' % (kind, line))


def pcap_records(path):
    """(time in seconds, frame) of each record of a libpcap file (classic
    format, microsecond or nanosecond stamps, any link type)."""
    import struct
    records = []
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError:
        return records
    if len(data) < 24:
        return records
    magic = data[:4]
    endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    scale = 1e-9 if magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d') else 1e-6
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + 'IIII',
                                           data[off:off + 16])
        records.append((sec + frac * scale, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return records


def pcap_frames(path):
    """Frames of a libpcap file (classic format, any link type)."""
    return [frame for _, frame in pcap_records(path)]


def case_packets(case):
    """(ingress bytes, expected egress bytes or None) of the first test of
    CASE, built with os-ken's packet library as the tester builds them."""
    # The tester's own module namespace: its imports are what the cases'
    # packet expressions use.
    import os_ken.tests.switch.tester as tester
    names = vars(tester)

    def build(parts):
        pkt = eval('/'.join(parts), names)
        pkt.serialize()
        return bytes(pkt.data)

    test = case['tests'][0]
    ingress = build(test['ingress']) if 'ingress' in test else None
    egress = build(test['egress']) if 'egress' in test else None
    return ingress, egress


def evidence(directory, listing, pcapdir):
    wanted = set()
    with open(listing) as f:
        for line in f:
            if '\t' in line:
                wanted.add(tuple(line.rstrip('\n').split('\t', 1)[:2]))
    sent = pcap_frames(os.path.join(pcapdir, 'tst1.pcap'))
    seen = pcap_frames(os.path.join(pcapdir, 'tst2.pcap'))
    for path in case_files(directory):
        title, cases = load(path)
        for case in cases:
            desc = case.get('description', '')
            if (title, desc) not in wanted:
                continue
            try:
                ingress, egress = case_packets(case)
            except Exception as e:  # A case os-ken cannot build.
                print('%s\t%s\tcannot build its packets: %s'
                      % (title, desc, e))
                continue
            n_in = sum(1 for fr in sent if ingress and fr[:len(ingress)]
                       == ingress)
            if egress is None:
                print('%s\t%s\tsent %d times on tst1 (a packet-in case)'
                      % (title, desc, n_in))
                continue
            exact = sum(1 for fr in seen if fr[:len(egress)] == egress)
            print('%s\t%s\tsent %d times on tst1; the expected egress '
                  'arrived %d times on tst2 (%d frames there in all)'
                  % (title, desc, n_in, exact, len(seen)))


RACE_DETAIL = 'increment in rx_packets in tester'


def race_detail(log, desc):
    """True if the tester's LOG reports case DESC failed with RACE_DETAIL:
    the frame reached the tester switch (its rx counter moved) but no
    packet-in reached the tester while it waited for one."""
    with open(log, errors='replace') as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines[:-1]):
        if desc in line and line.rstrip().endswith('ERROR') \
                and RACE_DETAIL in lines[i + 1]:
            return True
    return False


def verified(directory, listing, log, pcapdir, t0, t1):
    """Prints "file<TAB>case<TAB>how" for each case of LISTING that failed
    in LOG with RACE_DETAIL and for which the captures show, between times
    T0 and T1 (the run of LOG), its ingress sent at least once on tst1 and
    its exact expected egress on tst2 at least as many times: the target
    did its part every time."""
    wanted = set()
    with open(listing) as f:
        for line in f:
            if '\t' in line:
                wanted.add(tuple(line.rstrip('\n').split('\t', 1)[:2]))
    t0, t1 = float(t0), float(t1)
    sent = [fr for ts, fr in pcap_records(os.path.join(pcapdir, 'tst1.pcap'))
            if t0 <= ts <= t1]
    seen = [fr for ts, fr in pcap_records(os.path.join(pcapdir, 'tst2.pcap'))
            if t0 <= ts <= t1]
    for path in case_files(directory):
        title, cases = load(path)
        for case in cases:
            desc = case.get('description', '')
            if (title, desc) not in wanted or not race_detail(log, desc):
                continue
            try:
                ingress, egress = case_packets(case)
            except Exception:
                continue
            if not ingress or egress is None:
                continue
            n_in = sum(1 for fr in sent if fr[:len(ingress)] == ingress)
            n_out = sum(1 for fr in seen if fr[:len(egress)] == egress)
            if n_in >= 1 and n_out >= n_in:
                print('%s\t%s\tsent %d times, the expected egress arrived '
                      '%d times' % (title, desc, n_in, n_out))


def main():
    cmd = sys.argv[1]
    if cmd == 'count':
        print(count(sys.argv[2]))
    elif cmd == 'failed':
        for fdesc, cdesc in failed(sys.argv[2]):
            print('%s\t%s' % (fdesc, cdesc))
    elif cmd == 'extract':
        print(extract(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif cmd == 'rounds':
        rounds(sys.argv[2], sys.argv[3])
    elif cmd == 'ok':
        print(ok_count(sys.argv[2]))
    elif cmd == 'classify':
        classify(sys.argv[2], sys.argv[3])
    elif cmd == 'evidence':
        evidence(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == 'verified':
        verified(*sys.argv[2:8])
    else:
        sys.exit('unknown command %s' % cmd)


if __name__ == '__main__':
    main()
