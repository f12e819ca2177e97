# SPDX-License-Identifier: Apache-2.0
# tests/perf/: benchmarks, never part of `make check`.  bench-dp drives
# the PMD fast path in-process (run it under callgrind to count
# instructions per packet); tests/perf/run is the full benchmark.
noinst_PROGRAMS += tests/perf/bench-dp
tests_perf_bench_dp_SOURCES = tests/perf/bench-dp.c \
	tests/perf/bench-fixture.c tests/perf/bench-fixture.h
tests_perf_bench_dp_LDADD = $(TEST_LDADD)
noinst_PROGRAMS += tests/perf/bench-upcall
tests_perf_bench_upcall_SOURCES = tests/perf/bench-upcall.c \
	tests/perf/bench-fixture.c tests/perf/bench-fixture.h
tests_perf_bench_upcall_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/perf/benchframes.py
