#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-fuzz.sh BUILD_DIR [RUNS [TARGET]]: runs the libFuzzer targets for
# RUNS inputs each (default 1000000), each from a seed corpus written by
# its generator:
#   flow  fuzz-flow, flow_extract(), seeds from gen-flow-seeds;
#   ofp   fuzz-ofp, the OpenFlow message decoders of every version
#         (decode -> encode -> decode stable, printing), seeds from
#         gen-ofp-seeds: the ofp-print vectors ($TERN_VECTORS_DIR, default
#         tests/vectors in the source tree) and encoder-built messages.
# TARGET is one of them or "all" (the default).  BUILD_DIR must be
# configured with CC=clang --enable-fuzz and built ('make
# tests/fuzz/fuzz-flow tests/fuzz/gen-flow-seeds tests/fuzz/fuzz-ofp
# tests/fuzz/gen-ofp-seeds').  Exits non-zero on any crash, sanitizer
# report or invariant failure; the failing input is kept as
# BUILD_DIR/tests/fuzz/{crash,leak,timeout,oom}-*.
set -eu

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 BUILD_DIR [RUNS [flow|ofp|all]]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-1000000}
target=${3:-all}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
vectors=${TERN_VECTORS_DIR:-$srcdir/tests/vectors}

case $target in
    all) targets="flow ofp" ;;
    flow | ofp) targets=$target ;;
    *)
        echo "$0: unknown target $target (flow, ofp or all)" >&2
        exit 2
        ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# run_target NAME: generates NAME's corpus and fuzzes it; returns non-zero
# on any failure, after showing the end of the log.
run_target() {
    fuzz=$build/tests/fuzz/fuzz-$1
    gen=$build/tests/fuzz/gen-$1-seeds
    for prog in "$fuzz" "$gen"; do
        if [ ! -x "$prog" ]; then
            echo "$0: $prog not built (configure CC=clang --enable-fuzz)" >&2
            return 2
        fi
    done

    mkdir "$work/corpus-$1"
    if [ "$1" = ofp ]; then
        "$gen" "$work/corpus-$1" "$vectors" || return 1
    else
        "$gen" "$work/corpus-$1" || return 1
    fi

    status=0
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
        "$fuzz" -runs="$runs" -max_len=1600 -seed=1 -print_final_stats=1 \
            -artifact_prefix="$build/tests/fuzz/" "$work/corpus-$1" \
            >"$work/log-$1" 2>&1 || status=$?
    if [ "$status" -ne 0 ] || grep -q \
            "runtime error\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer" \
            "$work/log-$1"; then
        tail -n 60 "$work/log-$1" >&2
        echo "$0: fuzz-$1 failed (status $status)" >&2
        return 1
    fi
    grep -E "^(Done|stat::number_of_executed_units)" "$work/log-$1" || true
    grep -E "^#[0-9]+[[:space:]]+DONE" "$work/log-$1" || true
    echo "$0: fuzz-$1: $runs runs, no failure"
}

for t in $targets; do
    run_target "$t" || exit 1
done
