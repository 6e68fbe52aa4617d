#!/usr/bin/env bash
# bench-sweeper.sh - time one sweep pass over the same number of expired uploads among a small and a
# large population of live uploads, per coordination backend, and print the ratio (it should stay
# near 1: a pass reads only what has expired, never the live uploads).
#
# Records are seeded straight through the coordination contract (no HTTP), so 100,000 seed in
# seconds; expired uploads get 1 KiB of real bytes in a file store, so a pass deletes files too.
# Passes alternate between the populations (a fresh set of expired uploads each time), so load from
# other programs falls on both alike; BENCH_REPEAT passes each, median shown.
#
# Usage (from anywhere):
#   loadtests/bench-sweeper.sh
# Environment knobs:
#   BENCH_BACKENDS   space-separated coordination backends (default "Embedded Redis Etcd")
#   BENCH_LIVE       comma-separated live populations (default 10000,100000)
#   BENCH_EXPIRED    expired uploads per pass (default 1000)
#   BENCH_REPEAT     passes per population (default 5)
#   BENCH_SKIP_BUILD set to 1 to skip the Release build
# Redis and etcd are started here on free loopback ports (redis-server / etcd from Debian), in
# throw-away directories, and stopped by PID on exit.

set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BACKENDS="${BENCH_BACKENDS:-Embedded Redis Etcd}"
LIVE="${BENCH_LIVE:-10000,100000}"
EXPIRED="${BENCH_EXPIRED:-1000}"
REPEAT="${BENCH_REPEAT:-5}"
PROJECT="$SCRIPT_DIR/TusCluster.SweeperBench/TusCluster.SweeperBench.csproj"
DLL="$SCRIPT_DIR/TusCluster.SweeperBench/bin/Release/net10.0/TusCluster.SweeperBench.dll"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tuscluster-bench-sweeper.XXXXXX")"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # command... ; up to 20 s
  for _ in $(seq 1 200); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for: $*" >&2
  return 1
}

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "$PROJECT" -nologo -v quiet >/dev/null
fi

ARGS=()
if [[ " $BACKENDS " == *" Redis "* ]]; then
  REDIS_PORT="$(free_port)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for redis-cli -p "$REDIS_PORT" ping
  ARGS+=(--redis "127.0.0.1:$REDIS_PORT")
fi

if [[ " $BACKENDS " == *" Etcd "* ]]; then
  ETCD_PORT="$(free_port)"
  PEER_PORT="$(free_port)"
  etcd --name bench --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" \
    --quota-backend-bytes 4294967296 --log-level error >"$WORK/etcd.log" 2>&1 &
  PIDS+=($!)
  wait_for curl -sf -X POST -d '{}' "http://127.0.0.1:$ETCD_PORT/v3/maintenance/status"
  ARGS+=(--etcd "http://127.0.0.1:$ETCD_PORT")
fi

echo "sweeper pass: $EXPIRED expired uploads among $LIVE live ones, $REPEAT passes each, $(nproc) cores"
for backend in $BACKENDS; do
  (cd "$REPO_ROOT" && dotnet "$DLL" --backend "$backend" --live "$LIVE" --expired "$EXPIRED" --repeat "$REPEAT" "${ARGS[@]}")
done
