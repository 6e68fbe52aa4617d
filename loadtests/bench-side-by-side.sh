#!/usr/bin/env bash
# bench-side-by-side.sh - two TusCluster servers under the same load at the same
# time, for telling small differences between two configurations (or builds)
# apart from the machine's drift.
#
# Measured one after the other, a server's 1 KiB creation rate moved by up to
# 25 % between runs on the 2-core machine, more than the effects looked for
# (a few %). Here both servers start together on fresh data directories, each
# gets its own `wrk -t1 -c16` at the same moment (warm-up, then the measured
# run), so whatever slows the machine slows both, and the ratio of their
# request counts is what one costs against the other. Used to find what
# telemetry costs (docs/benchmarks.md, "Telemetry on versus off"); not a
# substitute for bench-foundation.sh's figures.
#
# Usage (from the repository root, after
# `dotnet build -c Release services/TusCluster.UploadService`):
#   loadtests/bench-side-by-side.sh "<args of A>" "<args of B>" [trials]
# e.g. telemetry on against off:
#   loadtests/bench-side-by-side.sh \
#     "--Tus:Telemetry:OtlpEndpoint=http://127.0.0.1:{aux} --Tus:Telemetry:OtlpProtocol=HttpProtobuf" \
#     "--Tus:Metrics:Enabled=false" 4
# {aux} is a second free port: with an OtlpEndpoint in the arguments an OTLP
# sink (lib/otlp-sink.mjs) listens there. Unless the arguments turn metrics
# off, /metrics is scraped every SCRAPE_EVERY seconds by curl.
# Prints one line per trial: the request counts of A and B and A/B.
#
# Environment: WARM (seconds, default 15), DUR (seconds, default 10),
#   SCRAPE_EVERY (default 1), BUILD_A / BUILD_B (directory of
#   TusCluster.UploadService.dll; default the Release build),
#   ENV_A / ENV_B (extra environment, e.g. DOTNET_TieredPGO=0),
#   TMPDIR (where the data directories go; /dev/shm keeps the disk out).
set -euo pipefail

A="$1"; B="$2"; TRIALS="${3:-3}"
WARM="${WARM:-15}"; DUR="${DUR:-10}"; SCRAPE_EVERY="${SCRAPE_EVERY:-1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_BUILD="$ROOT/services/TusCluster.UploadService/bin/Release/net10.0"
WRK_SCRIPT="$ROOT/loadtests/wrk/create-with-upload.lua"
PIDS=(); DIRS=()

cleanup() {
  if (( ${#PIDS[@]} > 0 )); then kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; fi
  if (( ${#DIRS[@]} > 0 )); then rm -rf -- "${DIRS[@]}"; fi
  PIDS=(); DIRS=()
}
trap cleanup EXIT

start() { # args build env -> prints the port; the processes go into PIDS
  local args="$1" build="$2" envs="$3" port aux data
  read -r port aux <<<"$(python3 "$ROOT/tests/servers/free-ports.py" 2)"
  data="$(mktemp -d "${TMPDIR:-/tmp}/side-by-side.XXXXXX")"
  DIRS+=("$data")
  args="${args//\{aux\}/$aux}"
  if [[ "$args" == *OtlpEndpoint* ]]; then
    node "$ROOT/loadtests/lib/otlp-sink.mjs" "$aux" >/dev/null 2>&1 & PIDS+=($!)
  fi
  if [[ "$args" != *Metrics:Enabled=false* ]]; then
    (while sleep "$SCRAPE_EVERY"; do curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/metrics"; done) & PIDS+=($!)
  fi
  # shellcheck disable=SC2086
  env $envs dotnet "$build/TusCluster.UploadService.dll" --urls "http://127.0.0.1:$port" \
    --Tus:Storage:FileSystem:Root="$data/uploads" --Tus:Coordination:Embedded:Directory="$data/meta" $args \
    >"$data/server.log" 2>&1 & PIDS+=($!)
  START_PORT="$port"
}

ready() {
  local i
  for i in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0; sleep 0.2; done
  echo "server on port $1 not ready" >&2; return 1
}

requests() { # port seconds -> requests wrk completed
  wrk -t1 -c16 -d"${2}s" -s "$WRK_SCRIPT" "http://127.0.0.1:$1/files" | grep -oE 'requests=[0-9]+' | head -n 1 | cut -d= -f2
}

for (( t = 1; t <= TRIALS; t++ )); do
  start "$A" "${BUILD_A:-$DEFAULT_BUILD}" "${ENV_A:-}"; pa="$START_PORT"
  start "$B" "${BUILD_B:-$DEFAULT_BUILD}" "${ENV_B:-}"; pb="$START_PORT"
  ready "$pa"; ready "$pb"
  requests "$pa" "$WARM" >/dev/null & load=$!
  requests "$pb" "$WARM" >/dev/null; wait "$load"
  out="$(mktemp)"
  requests "$pa" "$DUR" >"$out" & load=$!
  rb="$(requests "$pb" "$DUR")"; wait "$load"; ra="$(cat "$out")"; rm -f "$out"
  echo "trial $t A=$ra B=$rb A/B=$(awk -v a="$ra" -v b="$rb" 'BEGIN { printf "%.3f", a / b }')"
  cleanup
done
