#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-fuzz.sh BUILD_DIR [RUNS]: runs the flow_extract() fuzz target for RUNS
# inputs (default 1000000), starting from a seed corpus written by
# gen-flow-seeds.  BUILD_DIR must be configured with CC=clang --enable-fuzz
# and built ('make tests/fuzz/fuzz-flow tests/fuzz/gen-flow-seeds').
# Exits non-zero on any crash, sanitizer report or invariant failure; the
# failing input is kept as BUILD_DIR/tests/fuzz/crash-*.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 BUILD_DIR [RUNS]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-1000000}
fuzz=$build/tests/fuzz/fuzz-flow
gen=$build/tests/fuzz/gen-flow-seeds

for prog in "$fuzz" "$gen"; do
    if [ ! -x "$prog" ]; then
        echo "$0: $prog not built (configure CC=clang --enable-fuzz)" >&2
        exit 2
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
"$gen" "$work/corpus"

status=0
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
    "$fuzz" -runs="$runs" -max_len=1600 -seed=1 -print_final_stats=1 \
        -artifact_prefix="$build/tests/fuzz/" "$work/corpus" \
        >"$work/log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || grep -q "runtime error\|ERROR: AddressSanitizer" \
        "$work/log"; then
    tail -n 60 "$work/log" >&2
    echo "$0: fuzz-flow failed (status $status)" >&2
    exit 1
fi
grep -E "^(Done|stat::number_of_executed_units)" "$work/log" || true
echo "$0: $runs runs, no failure"
