#!/usr/bin/env bash
# bench-coordination.sh - what each coordination backend costs, measured in one run on this machine:
#   A. lock acquire+release latency (p50/p99) through the library the service uses, 1 and 8 loops, and
#      hand-over latency (p50/max) between two replicas on the backend;
#   B. backend round trips per creation (POST of an empty upload) and per PATCH on the hot path (a chunk that
#      does not finish its upload), counted at the backend server itself: Redis MONITOR lines from clients (commands run inside a
#      Lua script are not round trips), etcd's grpc_server_started_total for unary calls, and the
#      HTTP requests the dynalite wrapper served, the statements PostgreSQL logged (log_statement=all), the
#      requests the RADOS Gateway counted (its perf counter rgw.req, read over its admin socket);
#   C. small-upload rate (load driver's small-files scenario) through nginx round-robin with three
#      replicas on the backend, against one replica with the in-process (embedded) backend.
# Every figure of C is a ratio against the embedded single replica measured minutes apart in this run.
#
# S3 (coordination alone on a Ceph RGW bucket; the replicas' store is the shared directory like the others').
#
# Usage: loadtests/bench-coordination.sh [--backends "redis etcd dynamodb postgres s3"] [--iterations 2000]
#                                        [--patches 500] [--duration 20s] [--vus 16]
# Everything started is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

backends="redis etcd dynamodb postgres s3" iterations=2000 patches=500 duration=20s vus=16
while [ $# -gt 0 ]; do
  case "$1" in
    --backends) backends=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --patches) patches=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --vus) vus=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

tests/servers/install.sh
case " $backends " in *" dynamodb "*) [ -d tests/servers/dynalite/node_modules ] || (cd tests/servers/dynalite && npm ci --silent) ;; esac
log "building (Release)"
for project in services/TusCluster.UploadService loadtests/TusCluster.LoadDriver loadtests/TusCluster.LockBench; do
  dotnet build -c Release -v q "$project" >/dev/null
done
driver=(dotnet loadtests/TusCluster.LoadDriver/bin/Release/net10.0/TusCluster.LoadDriver.dll)
lockbench=(dotnet loadtests/TusCluster.LockBench/bin/Release/net10.0/TusCluster.LockBench.dll)

work=$(mktemp -d)
pids=() backend_pid="" nginx_pid="" monitor_pid=""
stop_all() {
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null
  for pid in "$monitor_pid" "${pids[@]}" "$backend_pid"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  # Ceph (s3) by the PIDs ceph-rgw.sh recorded; it removes its data directory.
  [ -f "$work/ceph/pids" ] && tests/servers/ceph-rgw.sh stop "$work/ceph" 2>/dev/null
  pids=() backend_pid="" nginx_pid="" monitor_pid=""
}
cleanup() { set +e; stop_all; rm -rf "$work"; }
trap cleanup EXIT

start_replicas() { # <count> <args...>: sets ports
  local count=$1
  shift
  ports=()
  for _ in $(seq 1 "$count"); do
    local port
    port=$(free_port)
    replica_start "$port" "$work/replica-$port.log" "$@"
    pids+=("$started_pid") ports+=("$port")
  done
  for port in "${ports[@]}"; do
    wait_ready "$port" || { log "replica on $port did not start"; tail -20 "$work/replica-$port.log" >&2; exit 1; }
  done
}

small_files_rate() { # <url> <json out>
  "${driver[@]}" run --scenario small-files --url "$1" --vus "$vus" --duration "$duration" --json "$2" --quiet >/dev/null
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(round(s["uploadsPerSecond"],1), s["uploadsCorrupted"]+s["uploadsLost"], s["errorCount"])' "$2"
}

# Requests the backend server has served so far, as it counts them.
served() { # <backend> <port>
  case "$1" in
    redis) grep -v ' \[0 lua\] ' "$work/monitor.log" | grep -c '^[0-9]' || true ;;
    etcd) curl -sf "http://127.0.0.1:$2/metrics" | python3 -c '
import sys
print(int(sum(float(l.rsplit(" ",1)[1]) for l in sys.stdin if l.startswith("grpc_server_started_total") and "grpc_type=\"unary\"" in l)))' ;;
    dynamodb) curl -sf "http://127.0.0.1:$2/__requests" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' ;;
    # One line per statement a client ran (an autocommit statement is one round trip).
    postgres) grep -cE 'LOG:  (statement|execute)' "$work/backend.log" || true ;;
    # Every S3 request the gateway served (the latest gateway's admin socket).
    s3) ceph --admin-daemon "$(ls -t "$work"/ceph/run/client.rgw.0.*.asok | head -1)" perf dump |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["rgw"]["req"])' ;;
  esac
}

results="$work/results.txt"
log "baseline: one replica, embedded coordination"
rm -rf "$work/store"
start_replicas 1
read -r embedded_rate embedded_bad embedded_errors < <(small_files_rate "http://127.0.0.1:${ports[0]}/files/" "$work/embedded.json")
stop_all
read -r embedded_locks < <("${lockbench[@]}" locks --iterations "$iterations" --concurrency 1 "--Tus:Coordination:Embedded:Directory=$work/locks-embedded")
echo "embedded|$embedded_locks|-|-|-|$embedded_rate|$embedded_bad|$embedded_errors|-|-" >>"$results"

for backend in $backends; do
  log "$backend: lock latency"
  rm -rf "$work/store" "$work/etcd" "$work/pg" "$work/backend.log"
  port=$(free_port)
  export ETCD_PEER_PORT=$(free_port)
  [ "$backend" = postgres ] && export PG_LOG_STATEMENTS=1
  backend_start "$backend" "$port"
  read -r locks1 < <("${lockbench[@]}" locks --iterations "$iterations" --concurrency 1 "${backend_args[@]}")
  read -r locks8 < <("${lockbench[@]}" locks --iterations "$iterations" --concurrency 8 "${backend_args[@]}")
  log "$backend: hand-over latency"
  read -r handover < <("${lockbench[@]}" handover --iterations 200 "${backend_args[@]}")

  log "$backend: round trips of $patches creations and $patches PATCHes"
  start_replicas 1 "${backend_args[@]}"
  if [ "$backend" = redis ]; then
    redis-cli -p "$port" monitor >"$work/monitor.log" &
    monitor_pid=$!
    sleep 0.5
  fi
  created_before=$(served "$backend" "$port")
  create_started=$(date +%s.%N)
  "${lockbench[@]}" create --url "http://127.0.0.1:${ports[0]}/files/" --count "$patches" --out "$work/uploads.txt"
  create_seconds=$(python3 -c "import sys,time; print(time.time()-float(sys.argv[1]))" "$create_started")
  created_after=$(served "$backend" "$port")
  before=$(served "$backend" "$port")
  started=$(date +%s.%N)
  "${lockbench[@]}" patch --url "http://127.0.0.1:${ports[0]}/files/" --ids "$work/uploads.txt"
  after=$(served "$backend" "$port")
  seconds=$(python3 -c "import sys,time; print(time.time()-float(sys.argv[1]))" "$started")
  # What the replica sends with no request running (lease keep-alives), over as long as the PATCHes took.
  sleep "$seconds"
  idle=$(( $(served "$backend" "$port") - after ))
  per_patch=$(python3 -c "import sys; b,a,i,n=map(float,sys.argv[1:]); print(round((a-b-i)/n,2))" "$before" "$after" "$idle" "$patches")
  # The idle rate over the PATCH phase's length, scaled to the creation phase's length.
  per_creation=$(python3 -c "import sys; b,a,i,s,c,n=map(float,sys.argv[1:]); print(round((a-b-i*c/s)/n,2))" \
    "$created_before" "$created_after" "$idle" "$seconds" "$create_seconds" "$patches")
  [ -n "$monitor_pid" ] && { kill -TERM "$monitor_pid"; wait "$monitor_pid" 2>/dev/null || true; monitor_pid=""; }
  for pid in "${pids[@]}"; do kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; done
  pids=()

  log "$backend: small uploads through nginx, 3 replicas"
  start_replicas 3 "${backend_args[@]}"
  nginx_port=$(free_port)
  nginx_start "$nginx_port" "${ports[@]}"
  read -r rate bad errors < <(small_files_rate "http://127.0.0.1:$nginx_port/files/" "$work/cluster-$backend.json")
  stop_all
  echo "$backend|$locks1|$locks8|$per_patch|$idle|$rate|$bad|$errors|$handover|$per_creation" >>"$results"
  # Each row as soon as it is measured, so that a run cut short still shows what it measured.
  log "row: $(tail -1 "$results") (embedded rate $embedded_rate)"
done

mkdir -p loadtests/results
python3 - "$results" "$embedded_rate" "$iterations" "$patches" "$duration" "$vus" <<'PY'
import json, sys, datetime, subprocess
rows, base = [l.rstrip("\n").split("|") for l in open(sys.argv[1])], float(sys.argv[2])
out = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
       "iterations": int(sys.argv[3]), "patches": int(sys.argv[4]), "duration": sys.argv[5], "vus": int(sys.argv[6]), "backends": []}
print(f"{'backend':<9} {'lock p50':>9} {'lock p99':>9} {'p50 x8':>8} {'p99 x8':>8} {'hand-over p50':>13} {'max':>9} {'trips/PATCH':>11} {'trips/POST':>10} {'uploads/s':>10} {'vs 1 embedded':>14} {'bad':>4} {'errors':>6}")
for name, l1, l8, trips, idle, rate, bad, errors, hand, created in rows:
    a = json.loads(l1); b = json.loads(l8) if l8 != "-" else None; h = json.loads(hand) if hand != "-" else None
    ratio = float(rate) / base if base else 0
    print(f"{name:<9} {a['p50Ms']:>7.3f}ms {a['p99Ms']:>7.3f}ms {(b['p50Ms'] if b else 0):>6.3f}ms {(b['p99Ms'] if b else 0):>6.3f}ms "
          f"{(h['p50Ms'] if h else 0):>11.3f}ms {(h['maxMs'] if h else 0):>7.1f}ms {trips:>11} {created:>10} {float(rate):>10.1f} {ratio:>13.2f}x {bad:>4} {errors:>6}")
    out["backends"].append({"backend": name, "locks": a, "locks8": b, "handOver": h, "roundTripsPerPatch": None if trips == "-" else float(trips),
                            "roundTripsPerCreation": None if created == "-" else float(created),
                            "idleRequestsDuringPatchPhase": None if idle == "-" else int(idle),
                            "smallUploadsPerSecond": float(rate), "ratioToOneEmbeddedReplica": round(ratio, 2),
                            "corruptedOrLost": int(bad), "requestErrors": int(errors)})
path = f"loadtests/results/coordination-{out['date'][:19].replace(':', '')}.json"
json.dump(out, open(path, "w"), indent=2)
print(f"(1 embedded replica: direct, no nginx; clusters: 3 replicas behind nginx on the same 2 cores; results in {path})")
sys.exit(1 if any(r[6] != "0" for r in rows) else 0)
PY
