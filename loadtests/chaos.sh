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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

tests/servers/install.sh
log "building (Release)"
dotnet build -c Release -v q services/TusCluster.UploadService >/dev/null
dotnet build -c Release -v q loadtests/TusCluster.LoadDriver >/dev/null
service_dll=services/TusCluster.UploadService/bin/Release/net10.0/TusCluster.UploadService.dll
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

backend_port=$(free_port) peer_port=$(free_port)
start_backend() {
  case "$backend" in
    redis)
      # Persistence on (fsync every write): a restarted Redis must still know every upload.
      redis-server --port "$backend_port" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync always \
        --dir "$work" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=Redis "--Tus:Coordination:Redis:Endpoint=127.0.0.1:$backend_port") ;;
    etcd)
      etcd --name default --data-dir "$work/etcd" \
        --listen-client-urls "http://127.0.0.1:$backend_port" --advertise-client-urls "http://127.0.0.1:$backend_port" \
        --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
        --initial-cluster "default=http://127.0.0.1:$peer_port" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=Etcd "--Tus:Coordination:Etcd:Endpoints:0=http://127.0.0.1:$backend_port") ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  sleep 1
}

start_replica() {
  local i=$1
  dotnet "$service_dll" --urls "http://127.0.0.1:${replica_port[$i]}" \
    "--Tus:Storage:FileSystem:Root=$work/store/uploads" "--Tus:Coordination:Embedded:Directory=$work/store/meta" \
    --Tus:TrustedProxies:0=127.0.0.1 "${backend_args[@]}" --Logging:LogLevel:Default=Warning \
    >>"$work/replica-$i.log" 2>&1 &
  replica_pid[$i]=$!
}

wait_ready() {
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.1
  done
  return 1
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
{
  echo "worker_processes 1; daemon off; pid $work/nginx.pid; events { worker_connections 2048; }"
  echo "http { access_log off; client_body_temp_path $work/nb; proxy_temp_path $work/np; fastcgi_temp_path $work/nf; uwsgi_temp_path $work/nu; scgi_temp_path $work/ns;"
  echo "  upstream tus {"
  for i in $(seq 0 $((replicas - 1))); do echo "    server 127.0.0.1:${replica_port[$i]} max_fails=0;"; done
  echo "    keepalive 64; }"
  # nginx passes a PATCH or POST to another replica only if the dead one refused the connection
  # (nothing was sent yet); a request that reached a replica is never replayed.
  echo "  server { listen 127.0.0.1:$nginx_port; client_max_body_size 0; proxy_request_buffering off; proxy_buffering off;"
  echo "    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host;"
  echo "    proxy_set_header X-Forwarded-Host \$http_host; proxy_set_header X-Forwarded-Proto \$scheme;"
  echo "    proxy_next_upstream error timeout; location / { proxy_pass http://tus; } } }"
} >"$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" &
nginx_pid=$!
sleep 0.5
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
