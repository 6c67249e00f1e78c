#!/usr/bin/env bash
# Runs ceph/s3-tests (a checkout at SUITE_DIR, never committed here) against a fresh
# Strongbox from build/bin: tools/conformance/run.sh SUITE_DIR [pytest args]. See the docstring
# of run_s3_tests.py and docs/s3-compatibility.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkgs="python3-pytest python3-pytest-xdist python3-pytest-timeout python3-lxml python3-munch
python3-isodate python3-httplib2 python3-tz python3-yaml python3-gevent python3-requests"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null
fi
exec python3 "$here/run_s3_tests.py" "$@"
