#!/usr/bin/env bash
# Fails if any C++ source differs from clang-format's output (pinned clang-format-14).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.h' '*.cc' | grep -v '\.pb\.' || true)
bad=0
for f in $files; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "format: $f needs clang-format -i"; bad=1
  fi
done
((bad)) && exit 1
echo "format: ok"
