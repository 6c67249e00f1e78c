#!/usr/bin/env bash
# Configures and builds Strongbox with Ninja (+ccache). Usage: deploy/build.sh [release|ci|debug|asan|fuzz]
# fuzz: only the libFuzzer targets of tests/fuzz, with clang-14 (docs/robustness.md).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
case "$preset" in
  release) dir=build; type=Release; extra=() ;;
  ci) dir=build; type=RelWithDebInfo; extra=(-DSB_WERROR=ON) ;;
  debug) dir=build; type=Debug; extra=() ;;
  asan) dir=build-asan; type=Debug; extra=(-DSB_SANITIZE=ON) ;;
  fuzz) dir=build-fuzz; type=RelWithDebInfo
        extra=(-DSB_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g") ;;
  *) echo "unknown preset $preset" >&2; exit 2 ;;
esac
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${extra[@]}" >/dev/null
ninja -C "$dir" -j"$(nproc)"
