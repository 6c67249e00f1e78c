#!/usr/bin/env bash
# bench.smoke: runs every micro-benchmark binary briefly, so CI proves they build and run.
# Usage: smoke.sh BIN_DIR NAME... ; no timing is checked. SB_BENCH_QUICK=1 makes the binaries
# skip their large setups (the 10^6-key listing).
set -euo pipefail
dir=$1
shift
export SB_BENCH_QUICK=1
for name in "$@"; do
  if ! output=$("$dir/$name" --benchmark_min_time=0.001 2>&1); then
    echo "$output" >&2
    echo "bench.smoke: $name failed" >&2
    exit 1
  fi
  if grep -q "ERROR OCCURRED" <<<"$output"; then  # SkipWithError
    echo "$output" >&2
    echo "bench.smoke: $name reported an error" >&2
    exit 1
  fi
  echo "bench.smoke: $name ok"
done
