#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Summarises the side-by-side benchmark (tests/perf/run).

Reads the per-repetition records (JSON lines written by lib.sh's
bench_record: scenario, switch, rep, "main" naming the main metric, then
numbers) and a JSON object describing the run (machine, versions,
settings), prints one table and writes the whole as JSON.

Per scenario and switch, every metric is summarised by its median over
the repetitions.  The spread is (max - min) / median of the main metric,
in percent.  The ratio compares Tern with Open vSwitch on the medians of
the main metric: Tern / OVS, or OVS / Tern when the scenario records
lower_is_better (a time), so that a ratio above 1 always means Tern is
better.  S1 is also compared with the testpmd I/O ceiling (Tern's median
Mpps / testpmd's).

Each scenario also gets the ratio of every repetition pair (Tern rep k
against Open vSwitch rep k, run back to back), printed as minimum-median,
which the machine's drift disturbs less than the medians.  A repetition
whose PMD was busy less than BUSY_MIN percent of its cycles (pmd_busy_pct,
recorded by T2) waited for its generator: its rate is the generator's, not
the switch's, so it is listed as generator-bound; its busy cycles per
packet still describe the switch.
"""
import argparse
import json
import statistics
import sys

BUSY_MIN = 95.0

COLUMNS = ("cycles_per_pkt", "emc_pct", "smc_pct", "megaflow_pct",
           "simple_pct", "upcalls")


def load(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                sys.exit("%s:%d: %s" % (path, n, e))
    return rows


def summarise(rows):
    """Returns {scenario: {"main": key, "lower_is_better": bool,
    "switches": {switch: {"reps": [...], "median": {...}, "spread_pct"}},
    "ratio": float or None}} in first-seen order."""
    out = {}
    for r in rows:
        scen = out.setdefault(r["scenario"], {
            "main": r.get("main"), "lower_is_better": False,
            "switches": {}})
        if r.get("lower_is_better"):
            scen["lower_is_better"] = True
        sw = scen["switches"].setdefault(r["switch"], {"reps": []})
        sw["reps"].append(r)
    for scen in out.values():
        main = scen["main"]
        for sw in scen["switches"].values():
            keys = []
            for r in sw["reps"]:
                for k, v in r.items():
                    if (k not in ("scenario", "switch", "rep", "main")
                            and isinstance(v, (int, float))
                            and k not in keys):
                        keys.append(k)
            sw["median"] = {
                k: statistics.median(r[k] for r in sw["reps"] if k in r)
                for k in keys}
            vals = [r[main] for r in sw["reps"] if main in r]
            med = sw["median"].get(main)
            sw["spread_pct"] = (100.0 * (max(vals) - min(vals)) / med
                                if vals and med else None)
        scen["ratio"] = ratio(scen, "tern", "ovs")
        scen["pair_ratios"] = pair_ratios(scen, "tern", "ovs")
        scen["generator_bound"] = {
            name: [r["rep"] for r in sw["reps"]
                   if r.get("pmd_busy_pct", 100.0) < BUSY_MIN]
            for name, sw in scen["switches"].items()
            if any("pmd_busy_pct" in r for r in sw["reps"])}
    if "S1" in out and "ceiling" in out:
        t = out["S1"]["switches"].get("tern", {}).get("median", {})
        c = out["ceiling"]["switches"].get("testpmd", {}).get("median", {})
        if t.get("mpps") and c.get("mpps"):
            out["S1"]["tern_over_ceiling"] = t["mpps"] / c["mpps"]
    return out


def ratio(scen, a, b):
    main = scen["main"]
    ma = scen["switches"].get(a, {}).get("median", {}).get(main)
    mb = scen["switches"].get(b, {}).get("median", {}).get(main)
    if not ma or not mb:
        return None
    return mb / ma if scen["lower_is_better"] else ma / mb


def pair_ratios(scen, a, b):
    """Ratio of each repetition of 'a' to the one of 'b' with the same
    number, in repetition order (same sense as ratio())."""
    main = scen["main"]
    reps_b = {r["rep"]: r.get(main)
              for r in scen["switches"].get(b, {}).get("reps", [])}
    out = []
    for r in scen["switches"].get(a, {}).get("reps", []):
        va, vb = r.get(main), reps_b.get(r["rep"])
        if va and vb:
            out.append(vb / va if scen["lower_is_better"] else va / vb)
    return out


def fmt(v, spec):
    if v is None:
        return "-"
    return format(v, spec)


def table(summary, file=sys.stdout):
    head = ("%-14s %-8s %-14s %10s %8s %6s %6s %6s %6s %9s %7s %9s"
            % ("scenario", "switch", "metric", "median", "cyc/pkt", "emc%",
               "smc%", "mf%", "smpl%", "upcalls", "spread%", "tern/ovs"))
    print(head, file=file)
    print("-" * len(head), file=file)
    for name, scen in summary.items():
        first = True
        for swname, sw in scen["switches"].items():
            m = sw["median"]
            print("%-14s %-8s %-14s %10s %8s %6s %6s %6s %6s %9s %7s %9s" % (
                name if first else "", swname, scen["main"],
                fmt(m.get(scen["main"]), ".4g"),
                fmt(m.get("cycles_per_pkt"), ".0f"),
                fmt(m.get("emc_pct"), ".1f"), fmt(m.get("smc_pct"), ".1f"),
                fmt(m.get("megaflow_pct"), ".1f"),
                fmt(m.get("simple_pct"), ".1f"),
                fmt(m.get("upcalls"), ".0f"),
                fmt(sw["spread_pct"], ".1f"),
                fmt(scen["ratio"], ".2f") if first else ""), file=file)
            first = False
        pairs = scen.get("pair_ratios")
        if pairs:
            print("%-14s %-8s per-pair tern/ovs: min %.2f, median %.2f"
                  % ("", "", min(pairs), statistics.median(pairs)),
                  file=file)
        bound = {k: v for k, v in scen.get("generator_bound", {}).items()
                 if v}
        if bound:
            print("%-14s %-8s generator-bound (PMD busy < %.0f %%): %s; "
                  "compare cyc/pkt" % ("", "", BUSY_MIN, "; ".join(
                      "%s reps %s" % (k, ",".join(map(str, v)))
                      for k, v in bound.items())), file=file)
        if "tern_over_ceiling" in scen:
            print("%-14s %-8s tern S1 / testpmd ceiling = %.2f"
                  % ("", "", scen["tern_over_ceiling"]), file=file)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", help="JSON lines from bench_record")
    ap.add_argument("--meta", help="JSON object describing the run")
    ap.add_argument("--out", help="write the summary as JSON here")
    args = ap.parse_args()
    rows = load(args.results)
    summary = summarise(rows)
    table(summary)
    if args.out:
        meta = {}
        if args.meta:
            with open(args.meta) as f:
                meta = json.load(f)
        doc = dict(meta)
        doc["scenarios"] = summary
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")


if __name__ == "__main__":
    main()
