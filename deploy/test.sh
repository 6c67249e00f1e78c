#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test through CTest: static checks, unit
# tests, integration tests (real server, real clients). With --sanitize it then builds the
# ASan+UBSan configuration (build-asan) and runs the unit tests under it as well.
# Usage: deploy/test.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=0
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-sanitize) sanitize=0 ;;
    --sanitize) sanitize=1 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
deploy/install-deps.sh
echo "== static checks"
tools/check_layering.sh
tools/check_format.sh
echo "== build (warnings are errors)"
deploy/build.sh ci
echo "== unit and integration tests"
(cd build && ctest --output-on-failure -j2 -L unit)
(cd build && ctest --output-on-failure -L integration)
echo "== packaging checks (systemd unit, Dockerfile, Helm chart)"
(cd build && ctest --output-on-failure -L deploy)
echo "== micro-benchmark smoke run (bench/; proves they run, checks no timing)"
(cd build && ctest --output-on-failure -L bench)
if ((fuzz)); then
  echo "== fuzz targets (libFuzzer + ASan/UBSan, a bounded run each; docs/robustness.md)"
  deploy/build.sh fuzz
  (cd build-fuzz && ctest --output-on-failure -j2 -L fuzz)
fi
if ((sanitize)); then
  echo "== unit tests under ASan+UBSan"
  deploy/build.sh asan
  (cd build-asan && ctest --output-on-failure -j2 -L unit)
fi
echo "== all tests passed"
