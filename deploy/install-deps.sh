#!/usr/bin/env bash
# Installs every build and test dependency of Strongbox from Debian 12 packages.
# Idempotent: skips apt entirely when everything is already present.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpugixml-dev librocksdb-dev libprotobuf-dev protobuf-compiler
  libabsl-dev libisal-dev libxxhash-dev libssl-dev liburing-dev
  libcli11-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy clang-14 libclang-rt-14-dev llvm-14
  s3cmd rclone curl openssl
  systemd golang-go yamllint python3-yaml ca-certificates
  prometheus
  nginx linux-perf
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
