#!/usr/bin/env bash
# bench-foundation.sh - measure a tus server under test (SUT) against the Node
# reference server @tus/server + @tus/file-store (the "peer"), in one run, on
# this machine, and print SUT/peer ratios.
#
# Measurements (see loadtests/README.md for details):
#   A. one large PATCH: POST an upload of BENCH_SIZE_MB MiB, send all bytes in a
#      single PATCH with curl, time it (curl %{time_total}), check 204 and the
#      HEAD offset, delete it. Each sample runs on a freshly started server
#      after one unmeasured full-size upload; BENCH_REPEAT samples per server,
#      servers interleaved; median MB/s (1 MB = 10^6 bytes). A third server
#      takes part: the ceiling, loadtests/lib/discard-server.mjs, which reads
#      and drops the body (same curl, same file); both tus servers are also
#      reported as a fraction of it. Two more: loadtests/lib/file-writer.py
#      moving the body into a file in its data directory with splice(2) (never
#      into user space; the ceiling for a server that must store the bytes on
#      this file system), and the same reading it into a buffer and pwriting it
#      (the ceiling for one that also looks at them). With the default SUT it
#      also runs tuned for one large stream (Tus:Server:InlineScheduling and
#      1 MiB receive blocks). Besides MB/s, each server's own CPU seconds per
#      GiB received are reported: far steadier than MB/s on a shared machine,
#      and on 2 cores what the client is left with.
#   B. 1 KiB creation-with-upload rate: wrk POSTs to the files URL, each request
#      creating an upload and carrying its 1024 bytes; a 2 s warm-up, then a
#      BENCH_DURATION run, BENCH_REPEAT times per server, servers interleaved;
#      median requests/s. Fails if more than 1 % of requests are not 201.
#   C. telemetry overhead (BENCH_TELEMETRY=1, instead of A and B, no peer):
#      measurement B against the default SUT twice, servers interleaved:
#      "telemetry on" runs the defaults with an OTLP endpoint: spans exported
#      over OTLP/HTTP to a local sink (loadtests/lib/otlp-sink.mjs, started in
#      the server's process group), metrics served on /metrics and scraped
#      every second by curl (not also over OTLP: Tus:Telemetry:ExportMetrics);
#      "telemetry off" has no OTLP endpoint and Tus:Metrics:Enabled=false.
#      Ratio = on / off. Warm-up 15 s: with tiered PGO a fresh server runs
#      instrumented code for its first seconds, and "on" has more to compile
#      (9,737 methods against 5,908 after 10 s, counted once), so a 2 s
#      warm-up measures the JIT, not telemetry.
#
# Usage (from anywhere):
#   loadtests/bench-foundation.sh
#   BENCH_TELEMETRY=1 loadtests/bench-foundation.sh
#
# Optional environment knobs:
#   TUS_SUT_CMD      shell command starting the server under test; "{port}" and
#                    "{data}" are replaced by a free loopback port and a fresh
#                    empty data directory. The server must serve the tus files
#                    endpoint at http://127.0.0.1:{port}/files/ . It is run from
#                    the repository root. Default (after
#                    `dotnet build -c Release services/TusCluster.UploadService`):
#                      dotnet services/TusCluster.UploadService/bin/Release/net10.0/TusCluster.UploadService.dll
#                        --urls http://127.0.0.1:{port}
#                        --Tus:Storage:FileSystem:Root={data}/uploads
#                        --Tus:Coordination:Embedded:Directory={data}/meta
#   BENCH_DURATION   seconds of each measured wrk run (default 10)
#   BENCH_SIZE_MB    size of the measurement-A upload in MiB, 2^20 bytes
#                    (default 1024, i.e. 1 GiB = 1073741824 bytes)
#   BENCH_REPEAT     repetitions per server of each measurement, servers
#                    interleaved, median reported (default 3)
#   Less common:
#   BENCH_WARMUP        seconds of the wrk warm-up before each measured run (default 2;
#                       15 with BENCH_TELEMETRY=1)
#   BENCH_RATE_REPEAT   measured wrk runs per server (default BENCH_REPEAT)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_CONNECTIONS   wrk connections (default 32)
#   BENCH_READY_TIMEOUT seconds to wait for a server to answer OPTIONS (default 120)
#   BENCH_SKIP_BUILD    set to 1 to skip the dotnet build of the default SUT
#   BENCH_TELEMETRY     set to 1 for measurement C only (telemetry on versus off)
#   BENCH_RETRY_DISTURBED  times a sample is measured again when other programs
#                       used more than 0.2 cores of CPU meanwhile (default 2)
#   BENCH_RESULTS_DIR   where the JSON goes (default loadtests/results)
#   TMPDIR              where servers' temporary data directories are created (default /tmp)
#   BENCH_PURGE         set to 1 to remove a server's data directory as soon as it stops (kept to
#                       the end otherwise, see stop_server): needed with TMPDIR on a tmpfs such as
#                       /dev/shm, which hundreds of thousands of small uploads per run would fill; a
#                       tmpfs keeps the file system's own slowdown out of CPU-bound comparisons
#
# Everything it starts (the two servers, each in its own process group) is
# stopped on exit, and their data directories are removed. Only the random
# source file /tmp/tuscluster-bench-<N>MiB.bin is kept for reuse.

set -euo pipefail
shopt -s inherit_errexit

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PEER_DIR="$SCRIPT_DIR/peer"
WRK_SCRIPT="$SCRIPT_DIR/wrk/create-with-upload.lua"

BENCH_DURATION="${BENCH_DURATION:-10}"
BENCH_DURATION="${BENCH_DURATION%s}"
if [[ "${BENCH_TELEMETRY:-0}" == 1 ]]; then BENCH_WARMUP="${BENCH_WARMUP:-15}"; else BENCH_WARMUP="${BENCH_WARMUP:-2}"; fi
BENCH_WARMUP="${BENCH_WARMUP%s}"
BENCH_SIZE_MB="${BENCH_SIZE_MB:-1024}"
BENCH_REPEAT="${BENCH_REPEAT:-3}"
BENCH_RATE_REPEAT="${BENCH_RATE_REPEAT:-$BENCH_REPEAT}"
BENCH_THREADS="${BENCH_THREADS:-2}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-32}"
BENCH_READY_TIMEOUT="${BENCH_READY_TIMEOUT:-120}"
BENCH_SKIP_BUILD="${BENCH_SKIP_BUILD:-0}"
BENCH_RETRY_DISTURBED="${BENCH_RETRY_DISTURBED:-2}"
BENCH_TELEMETRY="${BENCH_TELEMETRY:-0}"
BENCH_PURGE="${BENCH_PURGE:-0}"
BENCH_RESULTS_DIR="${BENCH_RESULTS_DIR:-$SCRIPT_DIR/results}"
MAX_ERROR_PERCENT=1
DISTURBED_CORES=0.2

DEFAULT_SUT_CMD='dotnet services/TusCluster.UploadService/bin/Release/net10.0/TusCluster.UploadService.dll --urls http://127.0.0.1:{port} --Tus:Storage:FileSystem:Root={data}/uploads --Tus:Coordination:Embedded:Directory={data}/meta'
SUT_CMD_GIVEN=1
if [[ -z "${TUS_SUT_CMD:-}" ]]; then
  SUT_CMD_GIVEN=0
  TUS_SUT_CMD="$DEFAULT_SUT_CMD"
fi
PEER_CMD="PORT={port} DATA_DIR={data} node $(printf '%q' "$PEER_DIR/server.mjs")"
DISCARD_CMD="PORT={port} exec node $(printf '%q' "$SCRIPT_DIR/lib/discard-server.mjs")"
WRITER_CMD="DATA_DIR={data} PORT={port} exec python3 $(printf '%q' "$SCRIPT_DIR/lib/file-writer.py")"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 > 0 )); }
for knob in BENCH_DURATION BENCH_WARMUP BENCH_SIZE_MB BENCH_REPEAT BENCH_RATE_REPEAT \
            BENCH_THREADS BENCH_CONNECTIONS BENCH_READY_TIMEOUT; do
  is_uint "${!knob}" || die "$knob must be a positive integer (got '${!knob}')"
done
[[ "$BENCH_RETRY_DISTURBED" =~ ^[0-9]+$ ]] || die "BENCH_RETRY_DISTURBED must be a number (got '$BENCH_RETRY_DISTURBED')"
[[ "$TUS_SUT_CMD" == *"{port}"* ]] || die "TUS_SUT_CMD must contain {port}"

SIZE_BYTES=$(( BENCH_SIZE_MB * 1024 * 1024 ))
SOURCE_FILE="/tmp/tuscluster-bench-${BENCH_SIZE_MB}MiB.bin"
SOURCE_PARTIAL=""

# ---------------------------------------------------------------------------
# State and cleanup
# ---------------------------------------------------------------------------
# ROLES: every server started; RATE_ROLES: the two that measurement B (and C)
# compares. The ceilings (discard, and STORAGE_CEILINGS, which write the body
# to a file) take part in measurement A only.
# With the default SUT, measurement A also runs it tuned for one large stream
# (role "inline": Tus:Server:InlineScheduling and 1 MiB receive blocks, see
# docs/operations.md), beside the defaults.
STORAGE_CEILINGS=(splice copy)
ROLES=(sut peer discard "${STORAGE_CEILINGS[@]}")
(( SUT_CMD_GIVEN )) || ROLES=(sut inline "${ROLES[@]:1}")
RATE_ROLES=(sut peer)
declare -A LABEL=([sut]="SUT" [inline]="SUT, inline scheduling, 1 MiB blocks" [peer]="@tus/server" [discard]="discard (ceiling)" [splice]="splice to a file (ceiling with storage)" [copy]="read and pwrite (user-space ceiling)")
declare -A CMD_TEMPLATE=([sut]="$TUS_SUT_CMD" [inline]="$DEFAULT_SUT_CMD --Tus:Server:InlineScheduling=true --Tus:Server:ReceiveBlockSize=1048576"
  [peer]="$PEER_CMD" [discard]="$DISCARD_CMD" [splice]="MODE=splice $WRITER_CMD" [copy]="MODE=copy $WRITER_CMD")
declare -A CEILING_TITLE=(
  [splice]="The ceiling with storage: a server that splices the body into a file (loadtests/lib/file-writer.py, MODE=splice), same file system"
  [copy]="The user-space ceiling: a server that reads the body into a 1 MiB buffer and pwrites it (loadtests/lib/file-writer.py, MODE=copy)")
if [[ "$BENCH_TELEMETRY" == 1 ]]; then
  (( SUT_CMD_GIVEN )) && die "BENCH_TELEMETRY=1 measures the default SUT; unset TUS_SUT_CMD"
  # {aux} is a second free port: the OTLP sink's. The sink and the scraping loop
  # run in the server's process group, so they stop with it and their CPU is
  # not mistaken for other programs disturbing the run.
  ROLES=(on off)
  RATE_ROLES=(on off)
  LABEL=([on]="telemetry on" [off]="telemetry off")
  CMD_TEMPLATE=(
    [on]="node $(printf '%q' "$SCRIPT_DIR/lib/otlp-sink.mjs") {aux} & (while sleep 1; do curl -s -o /dev/null --max-time 5 http://127.0.0.1:{port}/metrics; done) & exec $DEFAULT_SUT_CMD --Tus:Telemetry:OtlpEndpoint=http://127.0.0.1:{aux} --Tus:Telemetry:OtlpProtocol=HttpProtobuf"
    [off]="exec $DEFAULT_SUT_CMD --Tus:Metrics:Enabled=false"
  )
fi
declare -A PID=() PGID=() DATA=() URL=() SLOG=()
WORK=""
RETIRED_DIRS=()
OTHER_LOAD_WARNINGS=0

# stop_server role [purge]: stop the server's process group. Its data
# directory is removed now with "purge", otherwise only at exit: deleting
# tens of thousands of small files makes the kernel busy for a while
# afterwards, which would slow down whichever server runs next.
stop_server() {
  local role="$1" mode="${2:-}" pid="${PID[$1]:-}" pgid="${PGID[$1]:-}"
  if [[ -n "$pid" ]]; then
    local target="$pid"
    [[ -n "$pgid" ]] && target="-$pgid"
    if kill -0 -- "$target" 2>/dev/null; then
      kill -TERM -- "$target" 2>/dev/null || true
      local i
      for (( i = 0; i < 100; i++ )); do
        kill -0 -- "$target" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 -- "$target" 2>/dev/null; then
        log "${LABEL[$role]} did not stop within 10 s; sending SIGKILL"
        kill -KILL -- "$target" 2>/dev/null || true
      fi
    fi
    wait "$pid" 2>/dev/null || true
  fi
  PID[$role]=""
  PGID[$role]=""
  if [[ -n "${DATA[$role]:-}" ]]; then
    if [[ "$mode" == purge ]]; then
      rm -rf -- "${DATA[$role]}"
    else
      RETIRED_DIRS+=("${DATA[$role]}")
    fi
    DATA[$role]=""
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local role
  for role in "${ROLES[@]}"; do
    stop_server "$role" || true
  done
  if (( ${#RETIRED_DIRS[@]} > 0 )); then
    log "removing the servers' data directories"
    rm -rf -- "${RETIRED_DIRS[@]}" || true
  fi
  [[ -n "$SOURCE_PARTIAL" ]] && rm -f -- "$SOURCE_PARTIAL"
  [[ -n "$WORK" && -d "$WORK" ]] && rm -rf -- "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------
apt_install() {
  local sudo=""
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to apt-get install $*"
    sudo="sudo"
  fi
  log "installing $* with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
  # file-writer.py (measurement A's ceilings with storage); os.splice needs 3.10
  python3 -c 'import os; os.splice' >/dev/null 2>&1 || missing+=(python3)
  if (( ${#missing[@]} > 0 )); then
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    apt_install "${missing[@]}"
  fi
  command -v node >/dev/null 2>&1 || die "node (>= 20.19) is required for the @tus/server peer"
  [[ "$BENCH_TELEMETRY" == 1 ]] && return 0
  command -v npm >/dev/null 2>&1 || die "npm is required to install the @tus/server peer"

  if [[ ! -f "$PEER_DIR/node_modules/@tus/server/package.json" \
        || ! -f "$PEER_DIR/node_modules/@tus/file-store/package.json" \
        || "$PEER_DIR/package-lock.json" -nt "$PEER_DIR/node_modules/.package-lock.json" ]]; then
    log "installing the peer's packages (npm ci in loadtests/peer)"
    (cd "$PEER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

build_default_sut() {
  (( SUT_CMD_GIVEN )) && return 0
  local proj="services/TusCluster.UploadService"
  if [[ "$BENCH_SKIP_BUILD" != 1 ]]; then
    [[ -d "$proj" ]] || die "$proj does not exist; set TUS_SUT_CMD to benchmark another server"
    command -v dotnet >/dev/null 2>&1 || die "dotnet is required to build $proj"
    log "building $proj (Release)"
    local blog="$WORK/dotnet-build.log"
    if ! DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
         dotnet build -c Release "$proj" >"$blog" 2>&1; then
      tail -n 40 "$blog" >&2
      die "dotnet build failed"
    fi
  fi
  local dll="$proj/bin/Release/net10.0/TusCluster.UploadService.dll"
  [[ -f "$dll" ]] || die "$dll not found after the build"
}

# Print N free TCP ports on 127.0.0.1 (bound to port 0 at the same time, so
# they are distinct).
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]);
    const servers = [];
    let done = 0;
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      s.listen(0, "127.0.0.1", () => {
        if (++done === n) {
          console.log(servers.map((x) => x.address().port).join(" "));
          servers.forEach((x) => x.close());
        }
      });
    }' "$1"
}

# ---------------------------------------------------------------------------
# Server lifecycle
# ---------------------------------------------------------------------------
start_server() {
  local role="$1" port aux
  read -r port aux < <(free_ports 2)
  [[ "$port" =~ ^[0-9]+$ && "$aux" =~ ^[0-9]+$ ]] || die "could not pick free ports"
  local data
  data="$(mktemp -d "${TMPDIR:-/tmp}/tusbench-${role}-data.XXXXXX")"
  local cmd="${CMD_TEMPLATE[$role]}"
  cmd="${cmd//\{port\}/$port}"
  cmd="${cmd//\{data\}/$data}"
  cmd="${cmd//\{aux\}/$aux}"
  DATA[$role]="$data"
  URL[$role]="http://127.0.0.1:$port/files/"
  SLOG[$role]="$WORK/$role.log"
  printf '\n=== %s starting: %s\n' "$(date +%H:%M:%S)" "$cmd" >>"${SLOG[$role]}"
  log "starting ${LABEL[$role]} on port $port"
  # setsid gives the server its own process group, so that exactly this
  # server (and any children it spawns) can be signalled on stop.
  setsid bash -c "$cmd" >>"${SLOG[$role]}" 2>&1 </dev/null &
  local pid=$!
  PID[$role]="$pid"
  # setsid runs in the child: until it has, the child is still in our group,
  # and a server stopped by PID alone would leave its sink and scraping loop.
  local pgid i
  for (( i = 0; i < 50; i++ )); do
    pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
    [[ "$pgid" == "$pid" || -z "$pgid" ]] && break
    sleep 0.02
  done
  if [[ "$pgid" == "$pid" ]]; then PGID[$role]="$pgid"; else PGID[$role]=""; fi
  wait_ready "$role"
}

restart_server() { # role [purge]
  local mode="${2:-}"
  [[ "$BENCH_PURGE" == 1 ]] && mode=purge
  stop_server "$1" "$mode"
  start_server "$1"
}

wait_ready() {
  local role="$1" deadline=$(( SECONDS + BENCH_READY_TIMEOUT )) code
  while :; do
    if ! kill -0 "${PID[$role]}" 2>/dev/null; then
      tail -n 40 "${SLOG[$role]}" >&2 || true
      die "${LABEL[$role]} exited before becoming ready (log above)"
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X OPTIONS "${URL[$role]}" || true)"
    if [[ "$code" =~ ^2[0-9][0-9]$ ]]; then
      log "${LABEL[$role]} ready at ${URL[$role]} (OPTIONS $code)"
      return 0
    fi
    if (( SECONDS >= deadline )); then
      tail -n 40 "${SLOG[$role]}" >&2 || true
      die "${LABEL[$role]} not ready after ${BENCH_READY_TIMEOUT}s (last OPTIONS status '$code')"
    fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------
# tus helpers
# ---------------------------------------------------------------------------
header_value() { # file name -> value of the last such header, CR stripped
  grep -i "^$2:" "$1" | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}

absolute_url() { # base location -> absolute URL
  local base="$1" loc="$2"
  case "$loc" in
    http://*|https://*) printf '%s' "$loc" ;;
    /*) printf '%s%s' "$(printf '%s' "$base" | sed -E 's#^(https?://[^/]+).*#\1#')" "$loc" ;;
    *) printf '%s%s' "$base" "$loc" ;;
  esac
}

# create_upload role length -> absolute upload URL on stdout
create_upload() {
  local role="$1" length="$2" hdr="$WORK/post.headers" code
  code="$(curl -sS -o /dev/null -D "$hdr" -w '%{http_code}' --max-time 30 -X POST \
    -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $length" -H 'Content-Length: 0' \
    "${URL[$role]}")" || die "${LABEL[$role]}: POST failed"
  [[ "$code" == 201 ]] || die "${LABEL[$role]}: POST returned $code, expected 201"
  local loc
  loc="$(header_value "$hdr" location)"
  [[ -n "$loc" ]] || die "${LABEL[$role]}: POST response has no Location header"
  absolute_url "${URL[$role]}" "$loc"
}

head_offset() { # url -> Upload-Offset
  local hdr="$WORK/head.headers"
  curl -sS -o /dev/null -D "$hdr" --max-time 30 -I -H 'Tus-Resumable: 1.0.0' "$1" >/dev/null || return 1
  header_value "$hdr" upload-offset
}

delete_upload() { # url -> HTTP status (termination extension)
  curl -s -o /dev/null -w '%{http_code}' --max-time 60 -X DELETE -H 'Tus-Resumable: 1.0.0' "$1" || true
}

# patch_file role url file -> "http_code time_total size_upload curl_user_s"
patch_file() {
  local role="$1" url="$2" file="$3"
  # -T streams the file from disk (--data-binary @file would first load it
  # whole into curl's memory); -X PATCH overrides -T's default PUT.
  # "Expect:" suppresses curl's 100-continue wait for large bodies.
  curl -sS -o "$WORK/patch.body" -w '%{http_code} %{time_total} %{size_upload}' \
    --max-time 3600 -X PATCH \
    -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
    -H 'Content-Type: application/offset+octet-stream' -H 'Expect:' \
    -T "$file" "$url" || echo "curl-failed 0 0"
  # user CPU seconds curl took (see run_wrk for why `times` goes to a file)
  times >"$WORK/times-patch"
  tail -n 1 "$WORK/times-patch" | awk '{ split($1, t, /[ms]/); printf " %.3f\n", t[1] * 60 + t[2] }'
}

# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) { print "nan"; exit }
          if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2];
          else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.3f\n", a / b }'; }

CLK_TCK="$(getconf CLK_TCK)"

# Machine-wide CPU ticks so far: "<user+nice+steal> <all busy>" (busy is
# everything but idle and iowait). User time and steal are what other
# programs (or the hypervisor) take; kernel time also includes work done on
# behalf of the servers (file system journal, writeback, loopback network).
machine_cpu_ticks() {
  awk '$1 == "cpu" { print $2 + $3 + $9, $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# Percentage of the machine's CPU capacity busy over $1 seconds (used before
# the servers start, to notice other work running on the machine).
background_busy_percent() {
  local a b ta tb
  read -r a ta < <(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat)
  sleep "$1"
  read -r b tb < <(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat)
  awk -v a="$a" -v b="$b" -v ta="$ta" -v tb="$tb" 'BEGIN { if (tb == ta) print 0; else printf "%.1f\n", 100 * (b - a) / (tb - ta) }'
}

# A sample is "disturbed" when programs other than the server and the client
# used more than DISTURBED_CORES cores of user-space CPU while it ran.
is_disturbed() { awk -v o="$1" -v max="$DISTURBED_CORES" 'BEGIN { exit !(o > max) }'; }

# CPU ticks used so far by every process in the server's group:
# "<user> <user+system>".
server_cpu_ticks() {
  local role="$1" pids
  if [[ -n "${PGID[$role]}" ]]; then
    pids="$(ps -e -o pid=,pgid= | awk -v g="${PGID[$role]}" '$2 == g { print $1 }')"
  else
    pids="${PID[$role]}"
  fi
  local p
  for p in $pids; do
    # fields after the ")" of comm: state is $1, utime is $12, stime is $13
    sed -e 's/^.*) //' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{ u += $12; t += $12 + $13 } END { printf "%d %d\n", u, t }'
}

# ---------------------------------------------------------------------------
# Measurement A: one large PATCH
# ---------------------------------------------------------------------------
ensure_source_file() {
  if [[ -f "$SOURCE_FILE" && "$(stat -c %s "$SOURCE_FILE")" == "$SIZE_BYTES" ]]; then
    log "reusing $SOURCE_FILE"
  else
    log "creating $SOURCE_FILE ($SIZE_BYTES random bytes)"
    SOURCE_PARTIAL="$(mktemp /tmp/tuscluster-bench-partial.XXXXXX)"
    head -c "$SIZE_BYTES" /dev/urandom >"$SOURCE_PARTIAL"
    mv -f -- "$SOURCE_PARTIAL" "$SOURCE_FILE"
    SOURCE_PARTIAL=""
  fi
  # Read it once so every PATCH is served from the page cache.
  cat -- "$SOURCE_FILE" >/dev/null
}

# One upload of `file` (length `length`) to `role`; verifies and cleans up.
# Sets UPLOAD_SECS to the seconds curl took. Runs in the main shell (not in
# $(...)) because it may restart the server, which updates global state.
UPLOAD_SECS=""
UPLOAD_OTHER=""
UPLOAD_CPU=""
upload_once() {
  local role="$1" file="$2" length="$3" url out code secs sent curl_user offset del s0 s1 m0 m1
  url="$(create_upload "$role" "$length")"
  s0="$(server_cpu_ticks "$role")"
  m0="$(machine_cpu_ticks)"
  out="$(patch_file "$role" "$url" "$file")"
  m1="$(machine_cpu_ticks)"
  s1="$(server_cpu_ticks "$role")"
  read -r code secs sent curl_user <<<"$out"
  # user-space (and stolen) CPU of everything but the server and curl
  UPLOAD_OTHER="$(awk -v s0="$s0" -v s1="$s1" -v m0="$m0" -v m1="$m1" -v cu="${curl_user:-0}" \
    -v s="$secs" -v hz="$CLK_TCK" 'BEGIN {
      split(s0, a, " "); split(s1, b, " "); split(m0, c, " "); split(m1, d, " ")
      o = (d[1] - c[1]) / hz - (b[1] - a[1]) / hz - cu; if (o < 0 || s <= 0) o = 0
      printf "%.2f\n", o / s }')"
  # the server's own CPU seconds (user + system, its whole process group) per GiB received
  UPLOAD_CPU="$(awk -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" -v len="$length" 'BEGIN {
      split(s0, a, " "); split(s1, b, " "); printf "%.3f\n", (b[2] - a[2]) / hz / (len / 1073741824) }')"
  if [[ "$code" != 204 ]]; then
    head -c 500 "$WORK/patch.body" >&2 2>/dev/null || true
    die "${LABEL[$role]}: PATCH of $length bytes returned '$code', expected 204"
  fi
  [[ "${sent%.*}" == "$length" ]] || die "${LABEL[$role]}: curl sent $sent bytes, expected $length"
  offset="$(head_offset "$url")" || die "${LABEL[$role]}: HEAD $url failed"
  [[ "$offset" == "$length" ]] || die "${LABEL[$role]}: HEAD Upload-Offset is '$offset', expected $length"
  del="$(delete_upload "$url")"
  # Keep peak disk use at one upload: if termination is unsupported or did
  # not free the space, start over with a fresh data directory.
  local used
  used="$(du -sb -- "${DATA[$role]}" 2>/dev/null | cut -f1)"
  if (( ${used:-0} > length / 2 )); then
    log "${LABEL[$role]}: DELETE returned $del and $used bytes remain in its data dir; restarting it on a fresh one"
    restart_server "$role" purge
  fi
  UPLOAD_SECS="$secs"
}

declare -A PATCH_SAMPLES=() PATCH_OTHER_CPU=() PATCH_CPU=() PATCH_MEDIAN=() PATCH_CPU_MEDIAN=()

measure_patch() {
  log "measurement A: single PATCH of $SIZE_BYTES bytes, $BENCH_REPEAT repeat(s) per server"
  local role r order secs mbps try i n=${#ROLES[@]}
  for (( r = 1; r <= BENCH_REPEAT; r++ )); do
    # Rotate which server goes first to cancel out ordering effects.
    order=()
    for (( i = 0; i < n; i++ )); do order+=("${ROLES[(r - 1 + i) % n]}"); done
    for role in "${order[@]}"; do
      for (( try = 0; ; try++ )); do
        # Each sample gets a new server process on an empty data directory
        # (a process's own state, e.g. its heap layout, otherwise carries
        # over between samples), then one full-size upload that is not
        # measured, to warm up the server (JIT, buffers) and the kernel.
        restart_server "$role"
        sync
        upload_once "$role" "$SOURCE_FILE" "$SIZE_BYTES"
        sync
        upload_once "$role" "$SOURCE_FILE" "$SIZE_BYTES"
        secs="$UPLOAD_SECS"
        mbps="$(awk -v b="$SIZE_BYTES" -v s="$secs" 'BEGIN { printf "%.2f\n", b / s / 1e6 }')"
        log "  repeat $r/${BENCH_REPEAT} ${LABEL[$role]}: ${secs}s, $mbps MB/s, server CPU $UPLOAD_CPU s/GiB; other processes $UPLOAD_OTHER cores"
        is_disturbed "$UPLOAD_OTHER" || break
        if (( try < BENCH_RETRY_DISTURBED )); then
          log "  other processes used $UPLOAD_OTHER cores during this upload; measuring it again"
        else
          log "  WARNING: other processes used $UPLOAD_OTHER cores during this upload; figure disturbed"
          OTHER_LOAD_WARNINGS=$(( OTHER_LOAD_WARNINGS + 1 ))
          break
        fi
      done
      PATCH_SAMPLES[$role]+="$mbps "
      PATCH_OTHER_CPU[$role]+="$UPLOAD_OTHER "
      PATCH_CPU[$role]+="$UPLOAD_CPU "
    done
  done
  for role in "${ROLES[@]}"; do
    # shellcheck disable=SC2086
    PATCH_MEDIAN[$role]="$(median ${PATCH_SAMPLES[$role]})"
    # shellcheck disable=SC2086
    PATCH_CPU_MEDIAN[$role]="$(median ${PATCH_CPU[$role]})"
  done
}

# ---------------------------------------------------------------------------
# Measurement B: 1 KiB creation-with-upload rate with wrk
# ---------------------------------------------------------------------------
declare -A RATE_SAMPLES=([sut]="" [peer]="")
declare -A RATE_MEDIAN=() RATE_DETAIL=() RATE_CPU=([sut]="" [peer]="")
declare -A RATE_WRK_CPU=([sut]="" [peer]="") RATE_OTHER_CPU=([sut]="" [peer]="")

# run_wrk role seconds -> the bench-result line, plus wrk_cpu_s=<CPU seconds
# wrk itself used>. Runs in $(...), so `times` reports wrk alone as child.
run_wrk() {
  local role="$1" secs="$2" out="$WORK/wrk-$1.out"
  if ! wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${secs}s" --latency \
       -s "$WRK_SCRIPT" "${URL[$role]}" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed against ${LABEL[$role]}"
  fi
  local wrk_cpu line
  # `times` must run in this shell, not in a pipe or $(...): its second line
  # is the user and system time of this shell's finished children (wrk).
  times >"$WORK/times-$role"
  wrk_cpu="$(tail -n 1 "$WORK/times-$role" | tr ' ' '\n' \
    | awk -F'[ms]' 'NF >= 2 { t[++n] = $1 * 60 + $2 } END { printf "wrk_user_s=%.3f wrk_cpu_s=%.3f\n", t[1], t[1] + t[2] }')"
  line="$(grep '^bench-result ' "$out" | tail -n 1)"
  [[ -n "$line" ]] || { cat "$out" >&2; die "wrk printed no bench-result line"; }
  printf '%s %s\n' "$line" "$wrk_cpu"
}

field() { # line key -> value of key=value
  printf '%s\n' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

check_errors() { # role line
  local role="$1" line="$2" total bad
  total="$(field "$line" requests)"
  bad=$(( $(field "$line" non201) + $(field "$line" connect_errors) + $(field "$line" read_errors) \
          + $(field "$line" write_errors) + $(field "$line" timeout_errors) ))
  (( total > 0 )) || die "${LABEL[$role]}: wrk completed no request"
  if (( bad * 100 > total * MAX_ERROR_PERCENT )); then
    die "${LABEL[$role]}: $bad of $total requests failed (more than ${MAX_ERROR_PERCENT} %): $line"
  fi
  (( bad == 0 )) || log "${LABEL[$role]}: $bad of $total requests failed (within the ${MAX_ERROR_PERCENT} % allowance)"
}

measure_rate() {
  log "measurement B: 1 KiB creation-with-upload, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_DURATION}s (warm-up ${BENCH_WARMUP}s)"
  local r order role line rps s0 s1 m0 m1 secs cores wrk_cores other try
  for (( r = 1; r <= BENCH_RATE_REPEAT; r++ )); do
    if (( r % 2 )); then order=("${RATE_ROLES[0]}" "${RATE_ROLES[1]}"); else order=("${RATE_ROLES[1]}" "${RATE_ROLES[0]}"); fi
    for role in "${order[@]}"; do
      for (( try = 0; ; try++ )); do
        # Every run starts from the same state: a freshly started server on an
        # empty data directory, no dirty pages left by the previous run (the
        # previous run's files stay on disk until exit, see stop_server).
        restart_server "$role"
        sync
        line="$(run_wrk "$role" "$BENCH_WARMUP")"
        check_errors "$role" "$line"
        s0="$(server_cpu_ticks "$role")"
        m0="$(machine_cpu_ticks)"
        line="$(run_wrk "$role" "$BENCH_DURATION")"
        m1="$(machine_cpu_ticks)"
        s1="$(server_cpu_ticks "$role")"
        check_errors "$role" "$line"
        rps="$(field "$line" rps)"
        secs="$(awk -v us="$(field "$line" duration_us)" 'BEGIN { printf "%.6f\n", us / 1e6 }')"
        # server: user+system cores; other: user-space (and stolen) CPU of
        # everything that is neither the server nor wrk.
        read -r cores wrk_cores other < <(awk -v s0="$s0" -v s1="$s1" -v m0="$m0" -v m1="$m1" \
          -v wu="$(field "$line" wrk_user_s)" -v wc="$(field "$line" wrk_cpu_s)" \
          -v s="$secs" -v hz="$CLK_TCK" 'BEGIN {
            split(s0, a, " "); split(s1, b, " "); split(m0, c, " "); split(m1, d, " ")
            server_all = (b[2] - a[2]) / hz; server_user = (b[1] - a[1]) / hz
            other = (d[1] - c[1]) / hz - server_user - wu; if (other < 0) other = 0
            printf "%.2f %.2f %.2f\n", server_all / s, wc / s, other / s }')
        log "  run $r/${BENCH_RATE_REPEAT} ${LABEL[$role]}: $rps req/s, p50 $(field "$line" p50_ms) ms, p99 $(field "$line" p99_ms) ms; CPU cores: server $cores, wrk $wrk_cores, other processes $other"
        is_disturbed "$other" || break
        if (( try < BENCH_RETRY_DISTURBED )); then
          log "  other processes used $other cores during this run; measuring it again"
        else
          log "  WARNING: other processes used $other cores during this run; figure disturbed"
          OTHER_LOAD_WARNINGS=$(( OTHER_LOAD_WARNINGS + 1 ))
          break
        fi
      done
      RATE_SAMPLES[$role]+="$rps "
      RATE_CPU[$role]+="$cores "
      RATE_WRK_CPU[$role]+="$wrk_cores "
      RATE_OTHER_CPU[$role]+="$other "
      RATE_DETAIL[$role]="$line"
    done
  done
  for role in "${RATE_ROLES[@]}"; do
    # shellcheck disable=SC2086
    RATE_MEDIAN[$role]="$(median ${RATE_SAMPLES[$role]})"
  done
}

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
print_load_warning() {
  if (( OTHER_LOAD_WARNINGS > 0 )) || awk -v b="$BACKGROUND_BUSY" 'BEGIN { exit !(b > 10) }'; then
    printf 'WARNING: other processes were using the CPU (%s %% busy before the start, %d disturbed sample(s)); rerun on a quiet machine.\n' \
      "$BACKGROUND_BUSY" "$OTHER_LOAD_WARNINGS"
  fi
}

report() {
  local patch_ratio rate_ratio ts results sut_ceiling peer_ceiling role
  patch_ratio="$(ratio "${PATCH_MEDIAN[sut]}" "${PATCH_MEDIAN[peer]}")"
  sut_ceiling="$(ratio "${PATCH_MEDIAN[sut]}" "${PATCH_MEDIAN[discard]}")"
  peer_ceiling="$(ratio "${PATCH_MEDIAN[peer]}" "${PATCH_MEDIAN[discard]}")"
  rate_ratio="$(ratio "${RATE_MEDIAN[sut]}" "${RATE_MEDIAN[peer]}")"
  local size_label
  if (( SIZE_BYTES == 1073741824 )); then size_label="1 GiB"; else size_label="${BENCH_SIZE_MB} MiB"; fi

  printf '\n'
  printf 'Results (ratio = SUT / @tus/server, measured in this run; higher is better for the SUT; 1 MB = 10^6 bytes)\n'
  printf '%-46s %14s %14s %8s\n' "metric" "SUT" "@tus/server" "ratio"
  printf '%-46s %14s %14s %8s\n' "----------------------------------------------" "--------------" "--------------" "--------"
  printf '%-46s %14s %14s %8s\n' "${size_label} single PATCH, MB/s (median of $BENCH_REPEAT)" \
    "${PATCH_MEDIAN[sut]}" "${PATCH_MEDIAN[peer]}" "$patch_ratio"
  local rate_label="1 KiB creation-with-upload, req/s"
  (( BENCH_RATE_REPEAT > 1 )) && rate_label+=" (median of $BENCH_RATE_REPEAT)"
  printf '%-46s %14s %14s %8s\n' "$rate_label" "${RATE_MEDIAN[sut]}" "${RATE_MEDIAN[peer]}" "$rate_ratio"
  printf '\n'
  printf 'The ceiling for one stream: a server that reads and drops the body (loadtests/lib/discard-server.mjs), same curl, same file\n'
  printf '%-46s %14s\n' "${size_label} single PATCH to it, MB/s (median of $BENCH_REPEAT)" "${PATCH_MEDIAN[discard]}"
  printf '%-46s %14s %14s\n' "fraction of the ceiling" "$sut_ceiling" "$peer_ceiling"
  # Their MB/s and fraction of discard are in the table of every server below.
  for role in "${STORAGE_CEILINGS[@]}"; do
    printf '%s\n' "${CEILING_TITLE[$role]}"
    printf '%-46s %14s %14s\n' "fraction of it" \
      "$(ratio "${PATCH_MEDIAN[sut]}" "${PATCH_MEDIAN[$role]}")" "$(ratio "${PATCH_MEDIAN[peer]}" "${PATCH_MEDIAN[$role]}")"
  done
  printf '\nEvery server of measurement A (medians of %s; CPU: the server process group, user + system, per GiB received)\n' "$BENCH_REPEAT"
  printf '%-46s %14s %14s %10s\n' "server" "MB/s" "of discard" "CPU s/GiB"
  local servers=""
  for role in "${ROLES[@]}"; do
    printf '%-46s %14s %14s %10s\n' "${LABEL[$role]}" "${PATCH_MEDIAN[$role]}" \
      "$(ratio "${PATCH_MEDIAN[$role]}" "${PATCH_MEDIAN[discard]}")" "${PATCH_CPU_MEDIAN[$role]}"
    servers+="$role|${LABEL[$role]}|${PATCH_MEDIAN[$role]}|${PATCH_SAMPLES[$role]}|${PATCH_CPU_MEDIAN[$role]}|${PATCH_CPU[$role]}"$'\n'
  done
  if [[ -n "${PATCH_MEDIAN[inline]:-}" ]]; then
    printf '%-46s %14s\n' "inline scheduling / defaults" "$(ratio "${PATCH_MEDIAN[inline]}" "${PATCH_MEDIAN[sut]}")"
  fi
  print_load_warning
  printf '\n'

  ts="$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p -- "$BENCH_RESULTS_DIR"
  results="$BENCH_RESULTS_DIR/foundation-$ts.json"
  R_TS="$ts" R_SUT_CMD="$TUS_SUT_CMD" R_SIZE="$SIZE_BYTES" R_REPEAT="$BENCH_REPEAT" \
  R_DURATION="$BENCH_DURATION" R_WARMUP="$BENCH_WARMUP" R_RATE_REPEAT="$BENCH_RATE_REPEAT" \
  R_THREADS="$BENCH_THREADS" R_CONNS="$BENCH_CONNECTIONS" \
  R_PATCH_SUT="${PATCH_SAMPLES[sut]}" R_PATCH_PEER="${PATCH_SAMPLES[peer]}" \
  R_PATCH_MED_SUT="${PATCH_MEDIAN[sut]}" R_PATCH_MED_PEER="${PATCH_MEDIAN[peer]}" R_PATCH_RATIO="$patch_ratio" \
  R_PATCH_DISCARD="${PATCH_SAMPLES[discard]}" R_PATCH_MED_DISCARD="${PATCH_MEDIAN[discard]}" \
  R_SUT_CEILING="$sut_ceiling" R_PEER_CEILING="$peer_ceiling" R_POTHER_DISCARD="${PATCH_OTHER_CPU[discard]}" \
  R_POTHER_SPLICE="${PATCH_OTHER_CPU[splice]}" R_TITLE_SPLICE="${CEILING_TITLE[splice]}" \
  R_POTHER_COPY="${PATCH_OTHER_CPU[copy]}" R_TITLE_COPY="${CEILING_TITLE[copy]}" R_SERVERS="$servers" \
  R_RATE_SUT="${RATE_SAMPLES[sut]}" R_RATE_PEER="${RATE_SAMPLES[peer]}" \
  R_RATE_MED_SUT="${RATE_MEDIAN[sut]}" R_RATE_MED_PEER="${RATE_MEDIAN[peer]}" R_RATE_RATIO="$rate_ratio" \
  R_CPU_SUT="${RATE_CPU[sut]}" R_CPU_PEER="${RATE_CPU[peer]}" \
  R_WRKCPU_SUT="${RATE_WRK_CPU[sut]}" R_WRKCPU_PEER="${RATE_WRK_CPU[peer]}" \
  R_OTHER_SUT="${RATE_OTHER_CPU[sut]}" R_OTHER_PEER="${RATE_OTHER_CPU[peer]}" \
  R_POTHER_SUT="${PATCH_OTHER_CPU[sut]}" R_POTHER_PEER="${PATCH_OTHER_CPU[peer]}" \
  R_BACKGROUND="$BACKGROUND_BUSY" R_WARNINGS="$OTHER_LOAD_WARNINGS" \
  R_WRK_SUT="${RATE_DETAIL[sut]}" R_WRK_PEER="${RATE_DETAIL[peer]}" \
  R_WRK_VERSION="$(wrk --version 2>&1 | head -n 1 || true)" \
  R_CURL_VERSION="$(curl --version | head -n 1)" \
  R_GIT="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  node - "$PEER_DIR" "$results" <<'EOF'
const fs = require('fs');
const os = require('os');
const path = require('path');
const [peerDir, out] = process.argv.slice(2);
const e = process.env;
const nums = (s) => (s || '').trim().split(/\s+/).filter(Boolean).map(Number);
const num = (s) => (s === undefined || s === '' || s === 'nan' ? null : Number(s));
const fraction = (a, b) => (a === null || !b ? null : Number((a / b).toFixed(3)));
const pkgVersion = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(peerDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};
const wrkFields = (line) => Object.fromEntries(
  (line || '').split(' ').slice(1).map((kv) => kv.split('=')).map(([k, v]) =>
    [k, k === 'statuses' ? v : Number(v)]));
// Every server of measurement A, by role: "role|label|median|samples|cpu median|cpu samples" lines.
const servers = Object.fromEntries((e.R_SERVERS || '').split('\n').filter(Boolean).map((line) => {
  const [role, label, median, samples, cpuMedian, cpuSamples] = line.split('|');
  return [role, {
    label,
    median: num(median),
    samples: nums(samples),
    fraction_of_discard: fraction(num(median), num(e.R_PATCH_MED_DISCARD)),
    server_cpu_seconds_per_gib: num(cpuMedian),
    server_cpu_seconds_per_gib_samples: nums(cpuSamples),
  }];
}));
// A ceiling that writes the body to a file (STORAGE_CEILINGS): its entry of servers, and both tus servers against it.
const storageCeiling = (role) => ({
  description: e[`R_TITLE_${role.toUpperCase()}`],
  ...servers[role],
  run_other_cpu_cores: nums(e[`R_POTHER_${role.toUpperCase()}`]),
  sut_fraction: fraction(num(e.R_PATCH_MED_SUT), servers[role]?.median),
  peer_fraction: fraction(num(e.R_PATCH_MED_PEER), servers[role]?.median),
});
const doc = {
  benchmark: 'foundation',
  timestamp: e.R_TS,
  units: { MB: '10^6 bytes', MiB: '2^20 bytes', ratio: 'SUT / @tus/server, both measured in this run' },
  host: {
    cpus: os.cpus().length,
    memory_bytes: os.totalmem(),
    kernel: os.release(),
    node: process.version,
    wrk: e.R_WRK_VERSION,
    curl: e.R_CURL_VERSION,
    cpu_busy_percent_before_start: num(e.R_BACKGROUND),
    disturbed_samples: Number(e.R_WARNINGS),
  },
  git_commit: e.R_GIT,
  sut: { command: e.R_SUT_CMD },
  peer: {
    '@tus/server': pkgVersion('@tus/server'),
    '@tus/file-store': pkgVersion('@tus/file-store'),
  },
  parameters: {
    patch_size_bytes: Number(e.R_SIZE),
    patch_repeat: Number(e.R_REPEAT),
    rate_duration_seconds: Number(e.R_DURATION),
    rate_warmup_seconds: Number(e.R_WARMUP),
    rate_repeat: Number(e.R_RATE_REPEAT),
    wrk_threads: Number(e.R_THREADS),
    wrk_connections: Number(e.R_CONNS),
  },
  metrics: [
    {
      name: 'single_patch_throughput',
      description: 'one PATCH carrying the whole upload, curl time_total, median',
      unit: 'MB/s',
      sut: num(e.R_PATCH_MED_SUT),
      peer: num(e.R_PATCH_MED_PEER),
      ratio: num(e.R_PATCH_RATIO),
      sut_samples: nums(e.R_PATCH_SUT),
      peer_samples: nums(e.R_PATCH_PEER),
      sut_run_other_cpu_cores: nums(e.R_POTHER_SUT),
      peer_run_other_cpu_cores: nums(e.R_POTHER_PEER),
      ceiling: {
        description: 'the same PATCH to a server that reads and drops the body (loadtests/lib/discard-server.mjs)',
        median: num(e.R_PATCH_MED_DISCARD),
        samples: nums(e.R_PATCH_DISCARD),
        run_other_cpu_cores: nums(e.R_POTHER_DISCARD),
        sut_fraction: num(e.R_SUT_CEILING),
        peer_fraction: num(e.R_PEER_CEILING),
      },
      ceiling_with_storage: storageCeiling('splice'),
      user_space_ceiling: storageCeiling('copy'),
      servers,
    },
    {
      name: 'creation_with_upload_1kib_rate',
      description: 'POST with Upload-Length 1024 and the 1024-byte body, wrk, 201 expected',
      unit: 'requests/s',
      sut: num(e.R_RATE_MED_SUT),
      peer: num(e.R_RATE_MED_PEER),
      ratio: num(e.R_RATE_RATIO),
      sut_samples: nums(e.R_RATE_SUT),
      peer_samples: nums(e.R_RATE_PEER),
      sut_server_cpu_cores: nums(e.R_CPU_SUT),
      peer_server_cpu_cores: nums(e.R_CPU_PEER),
      sut_run_wrk_cpu_cores: nums(e.R_WRKCPU_SUT),
      peer_run_wrk_cpu_cores: nums(e.R_WRKCPU_PEER),
      sut_run_other_cpu_cores: nums(e.R_OTHER_SUT),
      peer_run_other_cpu_cores: nums(e.R_OTHER_PEER),
      sut_last_run: wrkFields(e.R_WRK_SUT),
      peer_last_run: wrkFields(e.R_WRK_PEER),
    },
  ],
};
fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
EOF
  log "results written to $results"
}

# Measurement C's report: the same rate with telemetry on and off.
report_telemetry() {
  local rate_ratio ts results sink
  rate_ratio="$(ratio "${RATE_MEDIAN[on]}" "${RATE_MEDIAN[off]}")"
  printf '\nTelemetry overhead (ratio = on / off, measured in this run; 1.000: telemetry costs nothing)\n'
  printf '%-46s %14s %14s %8s\n' "metric" "on" "off" "ratio"
  printf '%-46s %14s %14s %8s\n' "----------------------------------------------" "--------------" "--------------" "--------"
  printf '%-46s %14s %14s %8s\n' "1 KiB creation-with-upload, req/s (median of $BENCH_RATE_REPEAT)" \
    "${RATE_MEDIAN[on]}" "${RATE_MEDIAN[off]}" "$rate_ratio"
  # shellcheck disable=SC2086
  printf '%-46s %14s %14s\n' "server CPU cores (median)" "$(median ${RATE_CPU[on]})" "$(median ${RATE_CPU[off]})"
  # CPU time per request depends far less on what else the machine runs than the rate does: the
  # steadier figure of what telemetry costs each request.
  local role us on_us off_us
  declare -A US_PER_REQUEST=()
  for role in on off; do
    # shellcheck disable=SC2086
    US_PER_REQUEST[$role]="$(paste -d' ' <(printf '%s\n' ${RATE_CPU[$role]}) <(printf '%s\n' ${RATE_SAMPLES[$role]}) \
      | awk '$2 > 0 { printf "%.1f ", $1 * 1e6 / $2 }')"
  done
  # shellcheck disable=SC2086
  on_us="$(median ${US_PER_REQUEST[on]})" off_us="$(median ${US_PER_REQUEST[off]})"
  printf '%-46s %14s %14s %8s\n' "server CPU us per request (median)" "$on_us" "$off_us" "$(ratio "$on_us" "$off_us")"
  sink="$(grep '^otlp-sink:' "${SLOG[on]}" | tail -n 1 || true)"
  printf 'last stopped OTLP sink: %s\n' "${sink:-none stopped yet}"
  print_load_warning
  printf '\n'

  ts="$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p -- "$BENCH_RESULTS_DIR"
  results="$BENCH_RESULTS_DIR/telemetry-$ts.json"
  R_TS="$ts" R_GIT="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  R_ON="${RATE_SAMPLES[on]}" R_OFF="${RATE_SAMPLES[off]}" R_RATIO="$rate_ratio" \
  R_CPU_ON="${RATE_CPU[on]}" R_CPU_OFF="${RATE_CPU[off]}" R_US_ON="${US_PER_REQUEST[on]}" R_US_OFF="${US_PER_REQUEST[off]}" R_OTHER_ON="${RATE_OTHER_CPU[on]}" R_OTHER_OFF="${RATE_OTHER_CPU[off]}" \
  R_CMD_ON="${CMD_TEMPLATE[on]}" R_CMD_OFF="${CMD_TEMPLATE[off]}" R_SINK="$sink" \
  R_BACKGROUND="$BACKGROUND_BUSY" R_WARNINGS="$OTHER_LOAD_WARNINGS" \
  node - "$results" <<'EOF'
const fs = require('fs');
const os = require('os');
const e = process.env;
const nums = (s) => (s || '').trim().split(/\s+/).filter(Boolean).map(Number);
fs.writeFileSync(process.argv[2], JSON.stringify({
  benchmark: 'foundation-telemetry',
  timestamp: e.R_TS,
  git_commit: e.R_GIT,
  host: { cpus: os.cpus().length, cpu_busy_percent_before_start: Number(e.R_BACKGROUND), disturbed_samples: Number(e.R_WARNINGS) },
  commands: { on: e.R_CMD_ON, off: e.R_CMD_OFF },
  creation_with_upload_1kib_rate: {
    unit: 'requests/s',
    ratio_on_off: e.R_RATIO === 'nan' ? null : Number(e.R_RATIO),
    on_samples: nums(e.R_ON),
    off_samples: nums(e.R_OFF),
    on_server_cpu_cores: nums(e.R_CPU_ON),
    on_server_cpu_us_per_request: nums(e.R_US_ON),
    off_server_cpu_us_per_request: nums(e.R_US_OFF),
    off_server_cpu_cores: nums(e.R_CPU_OFF),
    on_run_other_cpu_cores: nums(e.R_OTHER_ON),
    off_run_other_cpu_cores: nums(e.R_OTHER_OFF),
  },
  last_sink_report: e.R_SINK,
}, null, 2) + '\n');
EOF
  log "results written to $results"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
cd "$REPO_ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tusbench-work.XXXXXX")"

ensure_tools
build_default_sut
[[ "$BENCH_TELEMETRY" == 1 ]] || ensure_source_file
BACKGROUND_BUSY="$(background_busy_percent 2)"
log "machine CPU busy before the servers start: ${BACKGROUND_BUSY} % of $(nproc) cores"
if awk -v b="$BACKGROUND_BUSY" 'BEGIN { exit !(b > 10) }'; then
  log "WARNING: other work is running on this machine; the figures will be noisy"
fi
for role in "${ROLES[@]}"; do
  start_server "$role"
done
if [[ "$BENCH_TELEMETRY" == 1 ]]; then
  measure_rate
  report_telemetry
  exit 0
fi
measure_patch
measure_rate
report
