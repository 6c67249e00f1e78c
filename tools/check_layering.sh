#!/usr/bin/env bash
# Fails on a backwards dependency edge between components (see docs/architecture.md),
# on use of another component's internal/ headers, and on HTTP/S3 vocabulary below gateway/.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
allowed() {  # allowed <component> -> space-separated components it may include
  case "$1" in
    common) echo "common" ;;
    metadata) echo "common metadata" ;;
    erasure) echo "common erasure" ;;
    policy) echo "common metadata policy" ;;
    gateway) echo "common metadata erasure policy gateway" ;;
    server) echo "common metadata erasure policy gateway server" ;;
  esac
}
for comp in common metadata erasure policy gateway server; do
  ok=" $(allowed $comp) "
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    target=${inc%%/*}
    [[ -d $target ]] || continue
    if [[ $ok != *" $target "* ]]; then
      echo "layering: $file includes $inc ($comp may not depend on $target)"; fail=1
    fi
    if [[ $target != "$comp" && $inc == */internal/* ]]; then
      echo "layering: $file includes another component's internal header $inc"; fail=1
    fi
  done < <(grep -rn '#include "' "$comp" --include='*.h' --include='*.cc' || true)
done
if grep -rlE 'boost/beast|boost/asio' common metadata erasure policy 2>/dev/null; then
  echo "layering: HTTP library used outside gateway/"; fail=1
fi
if grep -rn 'boost/beast\|boost/asio' gateway server --include='*.h' 2>/dev/null; then
  echo "layering: Beast/Asio leaked into a header"; fail=1
fi
((fail)) && exit 1
echo "layering: ok"
