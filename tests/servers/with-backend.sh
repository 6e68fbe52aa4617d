#!/usr/bin/env bash
# Usage: tests/servers/with-backend.sh <redis|etcd> <command...>
# Starts a throw-away coordination server on free loopback ports, runs the command with
# TUS_TEST_BACKEND_ARGS pointing the upload service at it, then stops exactly that server (by PID).
set -euo pipefail
backend=$1
shift

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
case "$backend" in
  redis)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/server.log" 2>&1 &
    pid=$!
    ready() { redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=Redis --Tus:Coordination:Redis:Endpoint=127.0.0.1:$port"
    ;;
  etcd)
    peer=$(free_port)
    etcd --name default --data-dir "$work/etcd" \
      --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
      --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
      --initial-cluster "default=http://127.0.0.1:$peer" >"$work/server.log" 2>&1 &
    pid=$!
    ready() { curl -sf -X POST "http://127.0.0.1:$port/v3/maintenance/status" -d '{}' >/dev/null; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=Etcd --Tus:Coordination:Etcd:Endpoints:0=http://127.0.0.1:$port"
    ;;
  *)
    echo "unknown backend '$backend' (redis or etcd)" >&2
    exit 2
    ;;
esac

for _ in $(seq 1 100); do
  ready && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
ready || { echo "$backend did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }

echo "== $backend on 127.0.0.1:$port (pid $pid): $*"
"$@"
