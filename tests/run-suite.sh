#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs what Tern needs, builds it and runs the whole test suite:
#   1. gcc build with AddressSanitizer + UndefinedBehaviorSanitizer, and
#      `make check` (cmocka unit tests and integration tests) on it;
#   2. a gcc -O2 build, whose unit tests run again without sanitizers, and a
#      clang build (warning-free with -Werror, clang with -Wthread-safety);
#   3. the libFuzzer targets for flow key extraction and for the OpenFlow
#      message decoders, FUZZ_RUNS inputs each;
#   4. `make check-style`;
#   5. the DPDK tests again with hugepages mounted (as root).
# Builds happen out of tree under _build/.  Run as root.  The last line of
# output is "N passed, N failed" (cmocka tests and integration scripts
# counted one by one, plus one line each for steps 2-5).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
FUZZ_RUNS=${FUZZ_RUNS:-1000000}
JOBS=${JOBS:-2}
passed=0
failed=0
failures=""

step_result() { # name status
    if [ "$2" = 0 ]; then
        passed=$((passed + 1))
        echo "PASS: $1"
    else
        failed=$((failed + 1))
        failures="$failures $1"
        echo "FAIL: $1"
    fi
}

./install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
./boot.sh >/dev/null 2>&1 || { echo "boot.sh failed"; echo "0 passed, 1 failed"; exit 1; }

# Sanitizers: any report aborts the program, which fails its test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# 1. Sanitizer build and make check.
san="$top/_build/sanitizers"
rm -rf "$san" && mkdir -p "$san"
(cd "$san" && "$top/configure" -q --enable-sanitizers >configure.out 2>&1 \
    && make -j"$JOBS" >make.out 2>&1)
build_status=$?
step_result "build (gcc, ASan+UBSan)" $build_status
if [ $build_status = 0 ]; then
    (cd "$san" && make -j"$JOBS" check >check.out 2>&1)
    # Timing-sensitive tests, one at a time after the others.
    (cd "$san" && make check TEST_SUITE_LOG=serial.log \
        TESTS="$(make -s print-serial-tests)" \
        >serial.out 2>&1)
    for log in "$san"/tests/unit/*.log; do
        [ -f "$log" ] || continue
        name=$(basename "$log" .log)
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
        trs="${log%.log}.trs"
        if grep -q ':test-result: FAIL\|:test-result: ERROR' "$trs" 2>/dev/null && [ "$f" = 0 ]; then
            f=1
        fi
        if grep -q 'runtime error\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer' "$log"; then
            f=$((f + 1))
        fi
        passed=$((passed + p))
        failed=$((failed + f))
        [ "$f" = 0 ] || { failures="$failures $name"; echo "FAIL: $name (see $log)"; tail -30 "$log"; }
        echo "unit $name: $p passed, $f failed"
    done
    for trs in "$san"/tests/integration/*.trs; do
        [ -f "$trs" ] || continue
        name=$(basename "$trs" .trs)
        if grep -q ':test-result: PASS' "$trs"; then
            step_result "integration $name" 0
        else
            step_result "integration $name" 1
            tail -40 "${trs%.trs}.log"
        fi
    done
else
    tail -40 "$san/make.out" "$san/configure.out" 2>/dev/null
fi

# 2. Release build (gcc -O2, as the demo and benchmarks use it) and clang
#    build, warnings are errors in both.
rel="$top/_build/release-check"
rm -rf "$rel" && mkdir -p "$rel"
(cd "$rel" && "$top/configure" -q >configure.out 2>&1 \
    && make -j"$JOBS" >make.out 2>&1)
s=$?
step_result "build (gcc -O2, -Werror)" $s
[ $s = 0 ] || tail -30 "$rel/make.out"
# The unit tests again, optimised and without sanitizers (which hide
# optimiser-dependent behaviour such as type-based aliasing).
if [ $s = 0 ]; then
    (cd "$rel" && make -j"$JOBS" check INTEGRATION_TESTS= >check.out 2>&1)
    s=$?
    step_result "unit tests (gcc -O2, no sanitizers)" $s
    [ $s = 0 ] || grep -E '^(FAIL|ERROR)' "$rel/check.out"
fi

cl="$top/_build/clang"
rm -rf "$cl" && mkdir -p "$cl"
(cd "$cl" && CC=clang "$top/configure" -q >configure.out 2>&1 \
    && make -j"$JOBS" >make.out 2>&1)
s=$?
step_result "build (clang, -Werror -Wthread-safety)" $s
[ $s = 0 ] || tail -30 "$cl/make.out"

# 3. Fuzzing flow key extraction, then the OpenFlow message decoders (one
#    step each).
fz="$top/_build/fuzz"
rm -rf "$fz" && mkdir -p "$fz"
(cd "$fz" && CC=clang "$top/configure" -q --enable-fuzz >configure.out 2>&1 \
    && make -j"$JOBS" tests/fuzz/fuzz-flow tests/fuzz/gen-flow-seeds \
        tests/fuzz/fuzz-ofp tests/fuzz/gen-ofp-seeds >make.out 2>&1)
built=$?
fuzz_step() { # target output step-name
    local s=$built
    if [ $s = 0 ]; then
        "$top/tests/fuzz/run-fuzz.sh" "$fz" "$FUZZ_RUNS" "$1" >"$fz/$2" 2>&1
        s=$?
    fi
    step_result "$3 ($FUZZ_RUNS inputs)" $s
    [ $s = 0 ] || tail -30 "$fz/make.out" "$fz/$2" 2>/dev/null
}
fuzz_step flow fuzz.out "fuzz flow_extract"
fuzz_step ofp fuzz-ofp.out "fuzz OpenFlow decoders"

# 5 (run before formatting). DPDK with hugepages: integration tests whose
#    tern-vswitchd starts the EAL run again with 2 MiB hugepages mounted
#    (dpdk_init() then uses them instead of --no-huge; the unit tests ask
#    for --no-huge themselves); the machine's settings are restored.
hugepage_tests() {
    local mounted_here=0 old_nr
    old_nr=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null) || return 1
    echo 1024 >/proc/sys/vm/nr_hugepages 2>/dev/null || return 1
    if ! grep -q '^[^ ]* /dev/hugepages hugetlbfs' /proc/mounts; then
        mkdir -p /dev/hugepages
        mount -t hugetlbfs none /dev/hugepages || return 1
        mounted_here=1
    fi
    (cd "$san" && make -j"$JOBS" check TEST_SUITE_LOG=hugepages.log \
        TESTS="tests/integration/dpdk.sh tests/integration/bridge.sh tests/integration/dummy.sh tests/integration/rewrites.sh tests/integration/upcall.sh" \
        >hugepages.out 2>&1)
    local status=$?
    [ $mounted_here = 0 ] || umount /dev/hugepages
    echo "$old_nr" >/proc/sys/vm/nr_hugepages
    return $status
}
if [ $build_status = 0 ] && [ "$(id -u)" = 0 ]; then
    hugepage_tests
    s=$?
    step_result "DPDK tests with hugepages" $s
    [ $s = 0 ] || tail -40 "$san/hugepages.out"
fi

# 4. Formatting.
(cd "$san" && make check-style >style.out 2>&1)
s=$?
step_result "check-style" $s
[ $s = 0 ] || head -30 "$san/style.out"

[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
