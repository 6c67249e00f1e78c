#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: installs dependencies, builds a Release binary,
# and starts strongbox on 127.0.0.1:9000 with data under ./data (4 drive folders, EC 2+2).
# Root credentials come from STRONGBOX_ROOT_ACCESS_KEY/SECRET_KEY, or are generated on the
# first start and kept in ./data/meta/root-credentials (mode 0600).
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
deploy/build.sh release
ADDRESS=${STRONGBOX_ADDRESS:-127.0.0.1:9000}
DATA=${STRONGBOX_DATA:-$PWD/data}
mkdir -p "$DATA"
CRED_FILE="$DATA/meta/root-credentials"
if [[ -z "${STRONGBOX_ROOT_ACCESS_KEY:-}" && ! -f "$CRED_FILE" ]]; then
  first_start=1
else
  first_start=0
fi
echo "starting strongbox on http://$ADDRESS (data in $DATA); Ctrl-C stops it"
build/bin/strongbox --address "$ADDRESS" --data "$DATA" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' INT TERM
for _ in $(seq 1 100); do
  curl -fsS "http://$ADDRESS/_strongbox/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
if [[ -n "${STRONGBOX_ROOT_ACCESS_KEY:-}" ]]; then
  AK=$STRONGBOX_ROOT_ACCESS_KEY; SK=$STRONGBOX_ROOT_SECRET_KEY
else
  AK=$(sed -n 's/^access_key=//p' "$CRED_FILE"); SK=$(sed -n 's/^secret_key=//p' "$CRED_FILE")
fi
cat <<MSG

Strongbox is running.
  endpoint:   http://$ADDRESS
  access key: $AK
  secret key: $( ((first_start)) && echo "$SK" || echo "(in $CRED_FILE)")
Try it:
  export AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=<secret key> AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://$ADDRESS s3 mb s3://demo
  aws --endpoint-url http://$ADDRESS s3 cp README.md s3://demo/
  aws --endpoint-url http://$ADDRESS s3 ls s3://demo
Admin CLI:
  build/bin/sbctl alias set local http://$ADDRESS $AK <secret key>
  build/bin/sbctl info local
MSG
wait $pid
