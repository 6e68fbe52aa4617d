#!/usr/bin/env bash
# chaos.sh - uploads through N replicas behind nginx while replicas are SIGKILLed and restarted.
#
# Starts a coordination server (redis-server or etcd), N upload-service replicas sharing one file
# store, and nginx round-robin in front of them (no stickiness, no request buffering). Runs the load
# driver's upload scenario through nginx while a random replica is killed with SIGKILL every few
# seconds and started again; optionally restarts the coordination server too. At the end it reports
# uploads finished, corrupted (SHA-256 mismatch on read-back) and lost (finished, then unreadable),
# and exits non-zero unless both corrupted and lost are 0.
#
# Usage: loadtests/chaos.sh [--backend redis|etcd] [--replicas 3] [--vus 20] [--duration 300s]
#                           [--kill-every 5] [--restart-backend-every 0] [--scenario create-and-patch]
#                           [--size 1MiB-8MiB] [--chunk-size 512KiB]
# Everything started is stopped by PID on exit; the data directories are removed.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=redis replicas=3 vus=20 duration=300s kill_every=5 restart_backend_every=0
scenario=create-and-patch size=1MiB-8MiB chunk=512KiB
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --vus) vus=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill-every) kill_every=$2; shift 2 ;;
    --restart-backend-every) restart_backend_every=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --chunk-size) chunk=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

log() { echo "[chaos $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

tests/servers/install.sh
log "building (Release)"
dotnet build -c Release -v q services/TusCluster.UploadService >/dev/null
dotnet build -c Release -v q loadtests/TusCluster.LoadDriver >/dev/null
driver_dll=loadtests/TusCluster.LoadDriver/bin/Release/net10.0/TusCluster.LoadDriver.dll

work=$(mktemp -d)
declare -a replica_pid replica_port
backend_pid="" nginx_pid="" killer_pid=""
cleanup() {
  set +e
  # Replicas and backends restarted by the killer subshell are known only by their pid files.
  for f in "$work"/pid-* "$work/backend-pid"; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
  done
  # SIGTERM for nginx: its master then stops the workers (SIGKILL would orphan them).
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null
  for pid in "$killer_pid" "${replica_pid[@]}" "$backend_pid"; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

backend_port=$(free_port)
export ETCD_PEER_PORT=$(free_port)
export REDIS_PERSIST=1 # a restarted Redis must still know every upload
start_backend() { backend_start "$backend" "$backend_port"; }
start_replica() {
  replica_start "${replica_port[$1]}" "$work/replica-$1.log" "${backend_args[@]}"
  replica_pid[$1]=$started_pid
}

start_backend
for i in $(seq 0 $((replicas - 1))); do
  replica_port[$i]=$(free_port)
  start_replica "$i"
done
for i in $(seq 0 $((replicas - 1))); do
  wait_ready "${replica_port[$i]}" || { log "replica $i did not start"; tail -20 "$work/replica-$i.log" >&2; exit 1; }
done

nginx_port=$(free_port)
nginx_start "$nginx_port" "${replica_port[@]}"
log "backend $backend (pid $backend_pid), $replicas replicas, nginx on 127.0.0.1:$nginx_port"

# The killer: SIGKILL a random replica every kill_every seconds, start it again a second later.
(
  kills=0 restarts=0 elapsed=0
  while true; do
    sleep "$kill_every"
    elapsed=$((elapsed + kill_every))
    i=$((RANDOM % replicas))
    pid=$(cat "$work/pid-$i" 2>/dev/null || echo "${replica_pid[$i]}")
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    sleep 1
    start_replica "$i"
    echo "${replica_pid[$i]}" >"$work/pid-$i"
    echo "$kills" >"$work/kills"
    if [ "$restart_backend_every" -gt 0 ] && [ $((elapsed % restart_backend_every)) -lt "$kill_every" ]; then
      bpid=$(cat "$work/backend-pid" 2>/dev/null || echo "$backend_pid")
      kill -9 "$bpid" 2>/dev/null
      sleep 1
      start_backend
      echo "$backend_pid" >"$work/backend-pid"
      restarts=$((restarts + 1))
      echo "$restarts" >"$work/backend-restarts"
    fi
  done
) &
killer_pid=$!

log "running scenario $scenario: $vus VUs for $duration, a replica killed every ${kill_every}s"
set +e
dotnet "$driver_dll" run --scenario "$scenario" --url "http://127.0.0.1:$nginx_port/files/" \
  --vus "$vus" --duration "$duration" --size-distribution "$size" --chunk-size "$chunk" \
  --json "$work/summary.json" --quiet
driver_status=$?
set -e
kill "$killer_pid" 2>/dev/null; wait "$killer_pid" 2>/dev/null || true; killer_pid=""
# The killer restarted replicas in its own subshell: stop those by the PIDs it recorded.
for i in $(seq 0 $((replicas - 1))); do
  [ -f "$work/pid-$i" ] && kill -9 "$(cat "$work/pid-$i")" 2>/dev/null || true
done
[ -f "$work/backend-pid" ] && kill -9 "$(cat "$work/backend-pid")" 2>/dev/null || true

python3 - "$work/summary.json" "$(cat "$work/kills" 2>/dev/null || echo 0)" "$(cat "$work/backend-restarts" 2>/dev/null || echo 0)" "$driver_status" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
get = lambda name: next((summary[k] for k in summary if k.lower() == name.lower()), None)
finished, corrupted, lost = get("uploadsFinished"), get("uploadsCorrupted"), get("uploadsLost")
print(f"chaos result: uploads started {get('uploadsStarted')}, finished {finished}, corrupted {corrupted}, lost {lost}; "
      f"replica kills {sys.argv[2]}, backend restarts {sys.argv[3]}; requests {get('requestCount')}, errors {get('errorCount')} {json.dumps(get('errors'))}; "
      f"{get('megabytesPerSecond'):.1f} MB/s; driver exit {sys.argv[4]}")
sys.exit(0 if corrupted == 0 and lost == 0 and finished and finished > 0 else 1)
PY
