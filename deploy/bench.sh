#!/usr/bin/env bash
# deploy/bench.sh [--quick] [--build DIR] [--out FILE]: the fixed benchmark matrix of issue #9
# on loopback, in one go (not part of CI; ~15 minutes, --quick a few):
#   - Strongbox in the quick-start layout (4 drive folders, EC 2+2, SSE-S3 default), and
#     again with --insecure-no-encryption when the server has that flag;
#   - nginx (Debian's package, unprivileged, ephemeral port, temp config) serving the same
#     object sizes as static files, measured by the same client engine (sbctl bench --url);
#   - 4 KiB, 1 MiB, 64 MiB PUT and GET at concurrency 1 and 16, LIST of 10,000 keys;
#   - raw limits: dd write/read of a drive folder, openssl speed (MD5, SHA-256,
#     AES-256-GCM, one core), ISA-L encode (bench_erasure), and the micro-benchmarks;
#   - peak server RSS during 64 concurrent large uploads.
# Prints one table (every Strongbox figure as a ratio to its reference) and rewrites the
# generated part of docs/benchmarks.md (between the bench:begin/end markers).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
BUILD=${BUILD:-build}
OUT=docs/benchmarks.md
while (($#)); do
  case $1 in
    --quick) QUICK=1 ;;
    --build) BUILD=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 1 ;;
  esac
  shift
done
BIN=$BUILD/bin
for b in strongbox sbctl bench_erasure; do
  [[ -x $BIN/$b ]] || { echo "bench.sh: $BIN/$b missing (build it: deploy/build.sh)" >&2; exit 1; }
done
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] ||
  { echo "bench.sh: nginx missing (deploy/install-deps.sh)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if ((QUICK)); then
  DUR=2s; LIST_KEYS=2000; MEM_SIZE=8MiB; DD_MIB=256; SSL_SECS=1; MICRO_TIME=0.05
else
  DUR=8s; LIST_KEYS=10000; MEM_SIZE=32MiB; DD_MIB=1024; SSL_SECS=3; MICRO_TIME=0.3
fi
SIZES=(4KiB 1MiB 64MiB)
declare -A OBJECTS=([4KiB]=256 [1MiB]=32 [64MiB]=4)
CONCS=(1 16)

LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/sb-bench.XXXXXX")
RES=$WORK/results
mkdir -p "$RES"
PIDS=()
KEEP=${BENCH_RESULTS:-${BENCH_TMP:-/var/tmp}/sb-bench-results}  # raw JSON of the last run
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$KEEP" && cp -r "$RES" "$KEEP" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench.sh: $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export SBCTL_CONFIG_DIR=$WORK/sbctl
AK=benchadmin
SK=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)

# start_strongbox NAME [FLAGS...]: a fresh server in $WORK/NAME; sets SB_PID and alias NAME.
start_strongbox() {
  local name=$1; shift
  local port; port=$(free_port)
  mkdir -p "$WORK/$name"
  STRONGBOX_ROOT_ACCESS_KEY=$AK STRONGBOX_ROOT_SECRET_KEY=$SK \
    "$BIN/strongbox" --address "127.0.0.1:$port" --data "$WORK/$name" "$@" \
    >"$WORK/$name.log" 2>&1 &
  SB_PID=$!
  PIDS+=("$SB_PID")
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/_strongbox/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  "$BIN/sbctl" alias set "$name" "http://127.0.0.1:$port" "$AK" "$SK" >/dev/null
}
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# run_cell TARGET OP SIZE CONC [extra sbctl bench args]: results in $RES/TARGET-OP-SIZE-CONC.json
run_cell() {
  local target=$1 op=$2 size=$3 conc=$4; shift 4
  local objects=${OBJECTS[$size]:-16}
  log "$target $op $size x$conc"
  "$BIN/sbctl" bench "$target" "--$op" --size "$size" --concurrency "$conc" \
    --objects "$objects" --duration "$DUR" --json "$RES/$target-$op-$size-$conc.json" "$@" \
    >/dev/null || log "  failed (see above)"
}

run_matrix() {  # run_matrix ALIAS
  for size in "${SIZES[@]}"; do
    for conc in "${CONCS[@]}"; do
      run_cell "$1" put "$size" "$conc"
      run_cell "$1" get "$size" "$conc"
    done
  done
}

# --- raw limits --------------------------------------------------------------------------
log "raw limits"
mkdir -p "$WORK/disk"
dd_rate() {  # dd_rate ARGS... -> MiB/s from dd's summary line
  LC_ALL=C dd "$@" 2>&1 | awk '/copied/ {for(i=1;i<=NF;i++) if($i=="bytes") b=$1; s=$(NF-3); print b/s/1048576}'
}
DD_WRITE=$(dd_rate if=/dev/zero of="$WORK/disk/dd" bs=1M count="$DD_MIB" conv=fdatasync)
DD_READ=$(dd_rate if="$WORK/disk/dd" of=/dev/null bs=1M iflag=direct || true)
DD_READ_NOTE="O_DIRECT"
if [[ -z $DD_READ ]]; then
  DD_READ=$(dd_rate if="$WORK/disk/dd" of=/dev/null bs=1M); DD_READ_NOTE="page cache"
fi
rm -f "$WORK/disk/dd"
ssl_rate() {  # ssl_rate ALG -> MiB/s on one core, 1 MiB buffers
  openssl speed -mr -seconds "$SSL_SECS" -bytes 1048576 -evp "$1" 2>/dev/null |
    awk -F: '/^\+F:/ {print $4/1048576}'
}
MD5=$(ssl_rate md5); SHA256=$(ssl_rate sha256); AESGCM=$(ssl_rate aes-256-gcm)
"$BIN/bench_erasure" --benchmark_filter='BM_RsEncode/k:2/m:2$' --benchmark_min_time=0.5 \
  --benchmark_format=json >"$RES/isal.json" 2>/dev/null
ISAL=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["benchmarks"][0]; print(b["bytes_per_second"]/1048576)' "$RES/isal.json")

# --- micro-benchmarks --------------------------------------------------------------------
log "micro-benchmarks"
MICRO_ENV=()
((QUICK)) && MICRO_ENV=(SB_BENCH_QUICK=1)
for b in bench_sigv4 bench_policy bench_xml bench_erasure bench_sse bench_metadata; do
  [[ -x $BIN/$b ]] || continue
  env "${MICRO_ENV[@]}" "$BIN/$b" --benchmark_min_time="$MICRO_TIME" --benchmark_format=json \
    >"$RES/micro-$b.json" 2>/dev/null || log "$b failed"
done

# --- Strongbox, SSE-S3 -------------------------------------------------------------------
start_strongbox sse
run_matrix sse
OBJECTS[1]=$LIST_KEYS
run_cell sse list 1 1
unset 'OBJECTS[1]'
stop_pid "$SB_PID"

# --- Strongbox without encryption (measurement only) -------------------------------------
NOENC=0
if "$BIN/strongbox" --help 2>&1 | grep -q -- --insecure-no-encryption; then
  NOENC=1
  start_strongbox plain --insecure-no-encryption
  for size in 1MiB 64MiB; do
    for conc in "${CONCS[@]}"; do
      run_cell plain put "$size" "$conc"
      run_cell plain get "$size" "$conc"
    done
  done
  stop_pid "$SB_PID"
else
  log "strongbox has no --insecure-no-encryption: skipping the unencrypted runs"
fi

# --- memory: peak RSS of a fresh server during 64 concurrent uploads ---------------------
log "memory: 64 concurrent $MEM_SIZE uploads"
start_strongbox mem
OBJECTS[$MEM_SIZE]=64
run_cell mem put "$MEM_SIZE" 64
MEM_HWM_KIB=$(awk '/VmHWM/ {print $2}' "/proc/$SB_PID/status")
stop_pid "$SB_PID"

# --- nginx reference ---------------------------------------------------------------------
log "nginx reference"
NG=$WORK/nginx
mkdir -p "$NG/www/ref" "$NG/tmp" "$NG/logs"
for size in "${SIZES[@]}"; do
  mkdir -p "$NG/www/$size"
  bytes=$(python3 -c "import sys; s=sys.argv[1]; u={'KiB':1024,'MiB':1<<20}; print(int(s[:-3])*u[s[-3:]])" "$size")
  head -c "$bytes" /dev/urandom >"$NG/www/$size/obj-000000"
  for ((i = 1; i < ${OBJECTS[$size]}; i++)); do
    cp "$NG/www/$size/obj-000000" "$NG/www/$size/$(printf 'obj-%06d' "$i")"
  done
done
chmod -R a+rX "$NG" "$WORK"
chmod a+rwx "$NG/tmp"
NG_PORT=$(free_port)
cat >"$NG/nginx.conf" <<CONF
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  types { application/octet-stream bin; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:$NG_PORT; root $NG/www; }
}
CONF
"$NGINX" -e "$NG/logs/error.log" -p "$NG" -c "$NG/nginx.conf" -g 'daemon off;' &
NG_PID=$!
PIDS+=("$NG_PID")
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$NG_PORT/4KiB/obj-000000" -o /dev/null 2>/dev/null && break
  sleep 0.1
done
for size in "${SIZES[@]}"; do
  for conc in "${CONCS[@]}"; do
    log "nginx get $size x$conc"
    "$BIN/sbctl" bench --url "http://127.0.0.1:$NG_PORT" --bucket "$size" --get --size "$size" \
      --concurrency "$conc" --objects "${OBJECTS[$size]}" --duration "$DUR" \
      --json "$RES/nginx-get-$size-$conc.json" >/dev/null || log "  failed"
  done
done
stop_pid "$NG_PID"

# --- the table and docs/benchmarks.md ----------------------------------------------------
CMDLINE="deploy/bench.sh"
if ((QUICK)); then CMDLINE+=" --quick"; fi
python3 - "$RES" "$OUT" <<PY
import json, os, sys, glob, datetime, subprocess
res, out = sys.argv[1], sys.argv[2]
def load(name):
    p = os.path.join(res, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None
nproc = os.cpu_count() or 1
md5, sha256, aesgcm, isal = float("$MD5" or 0), float("$SHA256" or 0), float("$AESGCM" or 0), float("$ISAL" or 0)
dd_w, dd_r = float("$DD_WRITE" or 0), float("$DD_READ" or 0)
rows = []
def fmt(v, unit):
    return "n/a" if v is None else (f"{v:,.0f} {unit}" if v >= 100 else f"{v:,.2f} {unit}")
def add(what, value, unit, ref_name, ref, target):
    ratio = None if value is None or not ref else value / ref
    rows.append((what, fmt(value, unit), ref_name, fmt(ref, unit) if ref else "n/a",
                 "n/a" if ratio is None else f"{ratio:.2f}x", target))
def val(r, key):
    return None if r is None or r.get("ops", 0) == 0 else r[key]
for size in ["4KiB", "1MiB", "64MiB"]:
    for conc in [1, 16]:
        unit, key = ("ops/s", "ops_per_second") if size == "4KiB" else ("MiB/s", "mib_per_second")
        sb, ng = load(f"sse-get-{size}-{conc}"), load(f"nginx-get-{size}-{conc}")
        tgt = ">= 0.5x" if size == "4KiB" else ">= 0.9x"
        add(f"GET {size} x{conc} (EC+bitrot+SSE-S3)", val(sb, key), unit, "nginx", val(ng, key), tgt)
        pl = load(f"plain-get-{size}-{conc}")
        if pl: add(f"GET {size} x{conc} unencrypted", val(pl, key), unit, "nginx", val(ng, key), "-")
for size in ["4KiB", "1MiB", "64MiB"]:
    for conc in [1, 16]:
        sb = load(f"sse-put-{size}-{conc}")
        if size == "4KiB":
            add(f"PUT {size} x{conc} (EC+SSE-S3, fsync)", val(sb, "ops_per_second"), "ops/s", "-", None, "commit-bound")
            continue
        cores = min(conc, nproc)
        add(f"PUT {size} x{conc} (EC+SSE-S3)", val(sb, "mib_per_second"), "MiB/s",
            f"MD5 x{cores} core", md5 * cores, ">= 0.8x")
        pl = load(f"plain-put-{size}-{conc}")
        if pl:
            add(f"PUT {size} x{conc} unencrypted", val(pl, "mib_per_second"), "MiB/s",
                f"MD5 x{cores} core", md5 * cores, "-")
            add(f"PUT {size} x{conc} SSE-S3 vs unencrypted", val(sb, "mib_per_second"), "MiB/s",
                "unencrypted", val(pl, "mib_per_second"), "-")
lst = load("sse-list-1-1")
if lst:
    add(f"LIST {lst['objects']:,} keys (pages per listing)", lst["pages_per_listing"], "pages", "limit", 10.0, "<= 1.0x (10 pages)")
    add(f"LIST {lst['objects']:,} keys, one full listing", lst["latency_ms"]["p50"], "ms", "-", None, "-")
micro = {}
for p in glob.glob(os.path.join(res, "micro-*.json")):
    for b in json.load(open(p)).get("benchmarks", []):
        micro[b["name"]] = b
def ns(name):
    b = micro.get(name)
    if not b: return None
    t = b["cpu_time"]; u = b.get("time_unit", "ns")  # CPU time: other processes share the cores
    return t * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[u]
small, large = ns("BM_ListPage/keys:10000"), ns("BM_ListPage/keys:1000000")
if small:
    add("metadata: 1000-key page, 10^4-key bucket (CPU)", small / 1e3, "us", "-", None, "-")
if small and large:
    add("metadata: 1000-key page, 10^6-key bucket (CPU)", large / 1e3, "us", "10^4-key page", small / 1e3, "~1.0x (flat)")
hwm = int("$MEM_HWM_KIB" or 0) / 1024
add("peak server RSS, 64 concurrent $MEM_SIZE PUTs", hwm, "MiB", "limit", 512.0, "<= 1.0x")
limits = [("disk sequential write (dd, fdatasync)", dd_w, "MiB/s"),
          ("disk sequential read (dd, $DD_READ_NOTE)", dd_r, "MiB/s"),
          ("MD5, one core (openssl speed)", md5, "MiB/s"),
          ("SHA-256, one core", sha256, "MiB/s"),
          ("AES-256-GCM, one core", aesgcm, "MiB/s"),
          ("ISA-L RS(2+2) encode, one core", isal, "MiB/s")]
micro_rows = []
for name in sorted(micro):
    b = micro[name]
    if b.get("run_type") == "aggregate": continue
    rate = ""
    if "bytes_per_second" in b: rate = f"{b['bytes_per_second']/1048576:,.0f} MiB/s"
    elif "items_per_second" in b: rate = f"{b['items_per_second']:,.0f} items/s"
    unit = b.get("time_unit", "ns")
    micro_rows.append(f"| {name} | {b['real_time']:,.1f} {unit} | {b['cpu_time']:,.1f} {unit} | {rate} |")
lines = ["| measurement | Strongbox | reference | reference value | ratio | target |",
         "|---|---|---|---|---|---|"]
lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in rows]
print("\n".join(lines))
def sh(cmd):
    try: return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return ""
cpu = sh("lscpu | sed -n 's/^Model name: *//p'") or "unknown"
mem = sh("free -m | awk '/^Mem:/ {print \$2}'")
gen = ["<!-- bench:begin (generated by deploy/bench.sh; edit outside the markers) -->",
       f"Last run: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, \`$CMDLINE\`, commit {sh('git rev-parse --short HEAD')}.",
       f"Machine: {cpu}, {nproc} CPUs (nproc), {mem} MiB memory, load average at the start: $LOADAVG.",
       "Each cell ran for $DUR; client and server share the same CPUs.", "",
       *lines, "", "Raw limits of this machine:", "", "| limit | value |", "|---|---|",
       *[f"| {a} | {fmt(v, u)} |" for a, v, u in limits], "",
       "Micro-benchmarks (Google Benchmark, one core; \`build/bin/bench_*\`):", "",
       "| benchmark | wall time | CPU time | rate (wall) |", "|---|---|---|---|", *micro_rows,
       "<!-- bench:end -->"]
text = open(out).read() if os.path.exists(out) else "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
b, e = text.find("<!-- bench:begin"), text.find("<!-- bench:end -->")
if b < 0 or e < 0:
    text = text.rstrip("\n") + "\n\n" + "\n".join(gen) + "\n"
else:
    text = text[:b] + "\n".join(gen) + text[e + len("<!-- bench:end -->"):]
open(out, "w").write(text)
PY
log "wrote $OUT"
