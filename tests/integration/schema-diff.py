#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Compares two OVSDB schemas (RFC 7047 JSON) and prints their differences.

Usage: schema-diff.py OURS REFERENCE

Tables and columns are compared by name; a column's type is compared after
normalising the shorthand forms RFC 7047 allows ("integer" for
{"key": {"type": "integer"}, "min": 1, "max": 1}), so only real differences
show: atomic types, enums, ranges, lengths, reference tables and strength,
min and max.  Table properties (isRoot, maxRows, indexes) and the column
properties "mutable" and "ephemeral" are compared too.

Each difference is one line "TABLE[.COLUMN]: what".  Lines about ephemeral
columns start with "note:" because they only affect what is stored on disk.
Exit status: 0 when there are no differences other than notes, 1 otherwise.
"""

import json
import sys


def base(b):
    """Normalises a base type to a dict with defaults filled in."""
    if isinstance(b, str):
        b = {"type": b}
    out = {"type": b["type"]}
    for k, v in b.items():
        if k == "type":
            continue
        if k == "enum":
            v = sorted(v[1]) if isinstance(v, list) and v[0] == "set" \
                else [v]
        out[k] = v
    if out["type"] == "uuid" and "refTable" in out:
        out.setdefault("refType", "strong")
    return out


def coltype(t):
    """Normalises a column type to (key, value, min, max)."""
    if isinstance(t, str) or "key" not in t:
        return (base(t), None, 1, 1)
    value = base(t["value"]) if "value" in t else None
    return (base(t["key"]), value, t.get("min", 1), t.get("max", 1))


def describe(t):
    key, value, lo, hi = t
    s = json.dumps(key, sort_keys=True)
    if value is not None:
        s += " -> " + json.dumps(value, sort_keys=True)
    return "%s [%s..%s]" % (s, lo, hi)


def indexes(t):
    return sorted(sorted(ix) for ix in t.get("indexes", []))


def compare_table(name, ours, ref, out):
    for prop, default in (("isRoot", False), ("maxRows", None)):
        a, b = ours.get(prop, default), ref.get(prop, default)
        if a != b:
            out.append("%s: %s is %s, reference has %s" % (name, prop, a, b))
    if indexes(ours) != indexes(ref):
        out.append("%s: indexes %s, reference has %s"
                   % (name, indexes(ours), indexes(ref)))
    oc, rc = ours["columns"], ref["columns"]
    for col in sorted(set(rc) - set(oc)):
        out.append("%s.%s: missing, reference has %s"
                   % (name, col, describe(coltype(rc[col]["type"]))))
    for col in sorted(set(oc) - set(rc)):
        out.append("%s.%s: not in the reference" % (name, col))
    for col in sorted(set(oc) & set(rc)):
        a, b = coltype(oc[col]["type"]), coltype(rc[col]["type"])
        if a != b:
            out.append("%s.%s: type %s, reference has %s"
                       % (name, col, describe(a), describe(b)))
        a = oc[col].get("mutable", True)
        b = rc[col].get("mutable", True)
        if a != b:
            out.append("%s.%s: mutable is %s, reference has %s"
                       % (name, col, a, b))
        a = oc[col].get("ephemeral", False)
        b = rc[col].get("ephemeral", False)
        if a != b:
            out.append("note: %s.%s: ephemeral is %s, reference has %s"
                       % (name, col, a, b))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: %s OURS REFERENCE\n" % sys.argv[0])
        return 2
    with open(sys.argv[1]) as f:
        ours = json.load(f)
    with open(sys.argv[2]) as f:
        ref = json.load(f)
    out = []
    if ours.get("name") != ref.get("name"):
        out.append("schema name %s, reference has %s"
                   % (ours.get("name"), ref.get("name")))
    ot, rt = ours["tables"], ref["tables"]
    for t in sorted(set(rt) - set(ot)):
        out.append("%s: table missing" % t)
    for t in sorted(set(ot) - set(rt)):
        out.append("%s: table not in the reference" % t)
    for t in sorted(set(ot) & set(rt)):
        compare_table(t, ot[t], rt[t], out)
    for line in out:
        print(line)
    return 1 if any(not line.startswith("note:") for line in out) else 0


if __name__ == "__main__":
    sys.exit(main())
