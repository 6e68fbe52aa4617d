#!/usr/bin/env bash
# chaos.sh - uploads through N replicas behind nginx while replicas are SIGKILLed and restarted.
#
# Starts a coordination server (redis-server, etcd or dynalite for DynamoDB, each keeping its data
# across a restart), N upload-service replicas sharing one store (a directory, or S3 on a throw-away
# Ceph RGW with --store s3), and nginx round-robin in front of them (no stickiness, no request
# buffering). Runs the load driver's upload scenario through nginx while a random replica is killed
# with SIGKILL every few seconds and started again; optionally the coordination server is SIGKILLed
# and restarted every --restart-backend-every seconds too. The driver retries as tus-js-client does
# (see its --retry-delays). At the end it reports uploads started, finished, abandoned (retries
# spent), failed (an answer no client retries), corrupted (SHA-256 mismatch on read-back) and lost
# (finished, then unreadable through the driver's retries and still unreadable when read once more after
# the kills stopped, with every replica and the backend running), and exits non-zero unless abandoned,
# failed, corrupted and lost are 0.
#
# --hooks: the replicas also send post-create, post-finish and post-terminate to an HTTP hook receiver
# (loadtests/lib/hook-sink.py, never killed) and redeliver after 5 s. After the run, with the cluster whole
# again, the script waits (up to --hooks-wait seconds) until as many uploads have a post-finish as the driver
# finished (counted: the driver's summary names no uploads; with none abandoned, no other upload can finish),
# and fails unless that count is reached, no upload got two distinct post-finish or post-create events
# (redeliveries of one allowed: at least once, never raised twice), and every upload with a post-finish has a
# post-create. On DynamoDB use
# --backend dynamodb-moto (moto's server, which has the TransactWriteItems that a commit with events needs;
# dynalite has none) with --restart-backend-every 0 (moto keeps nothing across a restart).
#
# --backend s3 is a cluster with nothing but a bucket: coordination and store (unless --store file) in one
# bucket of one Ceph RGW, and a backend restart SIGKILLs the gateway and starts it again on the same port and
# data (the Ceph cluster behind it keeps the objects), so store and coordination calls fail together.
#
# Usage: loadtests/chaos.sh [--backend redis|etcd|dynamodb|dynamodb-moto|postgres|s3] [--store file|s3] [--replicas 3] [--vus 20]
#                           [--duration 300s] [--kill-every 5] [--restart-backend-every 0]
#                           [--scenario create-and-patch] [--size 1MiB-8MiB] [--chunk-size 512KiB]
#                           [--retry-delays 0,1000,3000,5000] [--hooks] [--hooks-wait 120] [--logs DIR]
# Everything started is stopped by PID on exit; the data directories are removed (with --logs, the
# replicas', backend's and nginx's logs and the driver's JSON summary are copied to DIR first).
set -euo pipefail
cd "$(dirname "$0")/.."

backend=redis store="" replicas=3 vus=20 duration=300s kill_every=5 restart_backend_every=0
scenario=create-and-patch size=1MiB-8MiB chunk=512KiB logs="" retry_delays="" hooks=0 hooks_wait=120
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --vus) vus=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill-every) kill_every=$2; shift 2 ;;
    --restart-backend-every) restart_backend_every=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --chunk-size) chunk=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    # The driver's retry delays in ms (default tus-js-client's 0,1000,3000,5000: about 9 s of retries). A backend
    # restart that takes longer than that (a gateway restart on a loaded machine) needs a client configured to wait.
    --retry-delays) retry_delays=$2; shift 2 ;;
    --hooks) hooks=1; shift ;;
    --hooks-wait) hooks_wait=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

[ -n "$store" ] || { [ "$backend" = s3 ] && store=s3 || store=file; }
case "$store" in file|s3) ;; *) echo "--store must be file or s3" >&2; exit 2 ;; esac
# moto keeps everything in memory: a restarted moto would have forgotten every upload.
if [ "$backend" = dynamodb-moto ] && [ "$restart_backend_every" -gt 0 ]; then
  echo "--backend dynamodb-moto cannot be restarted (moto keeps nothing across a restart): use --restart-backend-every 0" >&2; exit 2
fi
# How long an upload unreadable during the chaos is tried again afterwards. On RGW a gateway killed during a
# CompleteMultipartUpload leaves the upload's completion locked for rgw_mp_lock_max_time (Ceph's default 10 min):
# until then the upload answers 503 (nothing is lost). The RGW of this run keeps it for 60 s.
reread_seconds=10
if [ "$store" = s3 ] || [ "$backend" = s3 ]; then
  export CEPH_RGW_MP_LOCK_SECONDS=${CEPH_RGW_MP_LOCK_SECONDS:-60}
  reread_seconds=$((CEPH_RGW_MP_LOCK_SECONDS + 30))
fi
log() { echo "[chaos $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

tests/servers/install.sh
log "building (Release)"
dotnet build -c Release -v q services/TusCluster.UploadService >/dev/null
dotnet build -c Release -v q loadtests/TusCluster.LoadDriver >/dev/null
driver_dll=loadtests/TusCluster.LoadDriver/bin/Release/net10.0/TusCluster.LoadDriver.dll

work=$(mktemp -d)
declare -a replica_pid replica_port
backend_pid="" nginx_pid="" killer_pid="" sink_pid=""
cleanup() {
  set +e
  # ceph-rgw.sh stops exactly the PIDs it recorded in its data directory.
  [ -f "$work/ceph/pids" ] && tests/servers/ceph-rgw.sh stop "$work/ceph" >/dev/null 2>&1
  # Replicas and backends restarted by the killer subshell are known only by their pid files.
  for f in "$work"/pid-* "$work/backend-pid"; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
  done
  # SIGTERM for nginx: its master then stops the workers (SIGKILL would orphan them).
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null
  for pid in "$killer_pid" "${replica_pid[@]}" "$backend_pid" "$sink_pid"; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  if [ -n "$logs" ]; then
    mkdir -p "$logs" && cp "$work"/*.log "$work"/summary.json "$work"/hook-events.txt "$logs"/ 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

backend_port=$(free_port)
export ETCD_PEER_PORT=$(free_port)
export BACKEND_PERSIST=1 # a restarted backend must still know every upload
start_backend() { backend_start "$backend" "$backend_port"; }
store_args=()
if [ "$store" = s3 ]; then
  s3_start
  mapfile -t store_args < <(s3_args Storage)
  store_args=(--Tus:Storage:Provider=S3 "${store_args[@]}" --Tus:Storage:S3:KeyPrefix=uploads/ --Tus:Storage:S3:PartSize=5242880)
  log "S3 store on Ceph RGW $s3_endpoint"
fi
hook_args=()
if [ "$hooks" = 1 ]; then
  sink_port=$(free_port)
  : >"$work/hook-events.txt"
  python3 loadtests/lib/hook-sink.py "$sink_port" "$work/hook-events.txt" >"$work/hook-sink.log" 2>&1 &
  sink_pid=$!
  for _ in $(seq 1 100); do grep -q ready "$work/hook-sink.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$work/hook-sink.log" || { log "the hook sink did not start"; cat "$work/hook-sink.log" >&2; exit 1; }
  hook_args=("--Tus:Hooks:Http:Url=http://127.0.0.1:$sink_port/hooks" --Tus:Hooks:Http:Events:0=post-create
    --Tus:Hooks:Http:Events:1=post-finish --Tus:Hooks:Http:Events:2=post-terminate --Tus:Hooks:RedeliveryDelay=00:00:05)
  log "hooks: post-create, post-finish, post-terminate to 127.0.0.1:$sink_port"
fi
start_replica() {
  replica_start "${replica_port[$1]}" "$work/replica-$1.log" "${backend_args[@]}" "${store_args[@]}" "${hook_args[@]}"
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
log "backend $backend (pid $backend_pid), store $store, $replicas replicas, nginx on 127.0.0.1:$nginx_port"

# The killer: SIGKILL a random replica every kill_every seconds, start it again a second later; and
# the backend every restart_backend_every seconds of wall time.
# SIGTERM ends it only between steps: stopped inside a restart it once left a replica running whose PID
# nobody had recorded. The pause is a waited-for background sleep, so the signal ends it at once.
(
  stopping=0
  trap 'stopping=1' TERM
  kills=0 restarts=0 next_restart=$((SECONDS + restart_backend_every))
  while [ "$stopping" = 0 ]; do
    sleep "$kill_every" & wait $! || true
    [ "$stopping" = 0 ] || break
    i=$((RANDOM % replicas))
    pid=$(cat "$work/pid-$i" 2>/dev/null || echo "${replica_pid[$i]}")
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    sleep 1
    start_replica "$i"
    echo "${replica_pid[$i]}" >"$work/pid-$i"
    echo "$kills" >"$work/kills"
    if [ "$restart_backend_every" -gt 0 ] && [ "$SECONDS" -ge "$next_restart" ]; then
      next_restart=$((next_restart + restart_backend_every))
      log "restarting $backend"
      backend_pid=$(cat "$work/backend-pid" 2>/dev/null || echo "$backend_pid")
      backend_kill "$backend"
      sleep 1
      start_backend
      echo "$backend_pid" >"$work/backend-pid"
      restarts=$((restarts + 1))
      echo "$restarts" >"$work/backend-restarts"
    fi
  done
) &
killer_pid=$!

log "running scenario $scenario: $vus VUs for $duration, a replica killed every ${kill_every}s, $backend restarted every ${restart_backend_every}s (0: never)"
set +e
dotnet "$driver_dll" run --scenario "$scenario" --url "http://127.0.0.1:$nginx_port/files/" \
  --vus "$vus" --duration "$duration" --size-distribution "$size" --chunk-size "$chunk" \
  --json "$work/summary.json" --quiet ${retry_delays:+--retry-delays "$retry_delays"}
driver_status=$?
set -e
kill "$killer_pid" 2>/dev/null; wait "$killer_pid" 2>/dev/null || true; killer_pid=""

# A finished upload that stayed unreadable through all of the driver's retries is lost only if it is still
# unreadable (or different) once nothing is killed any more: make the cluster whole again (the killer may
# have stopped between a kill and the restart) and read each once more through the balancer.
unreadable=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("unreadableUploads") or []))' "$work/summary.json" 2>/dev/null || echo 0)
echo '{"reread": 0, "intact": 0, "different": 0, "unreadable": 0}' >"$work/reread.json"
# Start again whatever the killer left down (it may have stopped between a kill and the restart).
make_whole() {
  local pid i
  pid=$(cat "$work/backend-pid" 2>/dev/null || echo "$backend_pid")
  if [ "$backend" = s3 ] || ! kill -0 "$pid" 2>/dev/null; then
    start_backend # s3: starts the gateway again only if it does not answer
    echo "$backend_pid" >"$work/backend-pid"
  fi
  for i in $(seq 0 $((replicas - 1))); do
    pid=$(cat "$work/pid-$i" 2>/dev/null || echo "${replica_pid[$i]}")
    if ! kill -0 "$pid" 2>/dev/null; then
      start_replica "$i"
      echo "${replica_pid[$i]}" >"$work/pid-$i"
    fi
  done
  for i in $(seq 0 $((replicas - 1))); do wait_ready "${replica_port[$i]}" || log "replica $i is not ready"; done
}
if [ "$unreadable" -gt 0 ] || [ "$hooks" = 1 ]; then
  make_whole
fi
if [ "$unreadable" -gt 0 ]; then
  log "$unreadable upload(s) were unreadable through their retries; reading them again with the cluster whole"
  python3 - "$work/summary.json" "$work/reread.json" "$reread_seconds" <<'PY'
import hashlib, json, sys, time, urllib.request
entries = json.load(open(sys.argv[1]))["unreadableUploads"]
counts = {"reread": len(entries), "intact": 0, "different": 0, "unreadable": 0}
deadline = time.monotonic() + float(sys.argv[3])
for entry in entries:
    outcome = "unreadable"
    while True:
        try:
            request = urllib.request.Request(entry["url"], headers={"Tus-Resumable": "1.0.0"})
            with urllib.request.urlopen(request, timeout=60) as response:
                digest, length = hashlib.sha256(), 0
                while chunk := response.read(1 << 20):
                    digest.update(chunk)
                    length += len(chunk)
            intact = length == entry["length"] and digest.hexdigest() == entry["sha256"]
            outcome = "intact" if intact else "different"
            break
        except Exception as error:
            print(f"  {entry['url']}: {error}", file=sys.stderr)
            if time.monotonic() > deadline:
                break
            time.sleep(5)
    print(f"  {entry['url']}: {outcome} after the chaos", file=sys.stderr)
    counts[outcome] += 1
json.dump(counts, open(sys.argv[2], "w"))
PY
fi
# Hooks: every finished upload's post-finish must arrive; undelivered ones are redelivered by the leader.
echo '{"checked": false}' >"$work/hooks.json"
if [ "$hooks" = 1 ]; then
  log "waiting up to ${hooks_wait}s for the post-finish event of every finished upload"
  python3 - "$work/summary.json" "$work/hook-events.txt" "$work/hooks.json" "$hooks_wait" <<'PY'
import collections, json, sys, time
summary = json.load(open(sys.argv[1]))
finished = next((summary[k] for k in summary if k.lower() == "uploadsfinished"), 0) or 0
deadline = time.monotonic() + float(sys.argv[4])
while True:
    events = collections.defaultdict(lambda: collections.defaultdict(set))  # type -> upload -> event ids
    received = collections.Counter()
    for line in open(sys.argv[2], encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3:
            events[parts[0]][parts[1]].add(parts[2])
            received[parts[0]] += 1
    finish = events["post-finish"]
    if len(finish) >= finished or time.monotonic() > deadline:
        break
    time.sleep(2)
result = {
    "checked": True,
    "finished_uploads": finished,
    "uploads_with_post_finish": len(finish),
    "raised_twice": {kind: sum(1 for ids in events[kind].values() if len(ids) > 1) for kind in ("post-create", "post-finish", "post-terminate")},
    "finished_without_post_create": sum(1 for upload in finish if upload not in events["post-create"]),
    "events_received": dict(received),
    "distinct_events": {kind: sum(len(ids) for ids in events[kind].values()) for kind in events},
}
json.dump(result, open(sys.argv[3], "w"))
PY
fi

# The killer restarted replicas in its own subshell: stop those by the PIDs it recorded.
for i in $(seq 0 $((replicas - 1))); do
  [ -f "$work/pid-$i" ] && kill -9 "$(cat "$work/pid-$i")" 2>/dev/null || true
done
[ -f "$work/backend-pid" ] && kill -9 "$(cat "$work/backend-pid")" 2>/dev/null || true

python3 - "$work/summary.json" "$(cat "$work/kills" 2>/dev/null || echo 0)" "$(cat "$work/backend-restarts" 2>/dev/null || echo 0)" "$driver_status" "$work/reread.json" "$work/hooks.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
reread = json.load(open(sys.argv[5]))
hooks = json.load(open(sys.argv[6]))
get = lambda name: next((summary[k] for k in summary if k.lower() == name.lower()), None)
started, finished = get("uploadsStarted"), get("uploadsFinished")
abandoned, failed, corrupted, lost = get("uploadsAbandoned"), get("uploadsFailed"), get("uploadsCorrupted"), get("uploadsLost")
# The driver finishes uploads in flight at the deadline, so none is left unless the run was stopped early.
in_flight = started - finished - abandoned - failed
# Read during the chaos through all retries and never again: lost (each unreadable one was read once more
# with the cluster whole; one found intact then was unavailable, not lost; one read back different is corrupted).
lost_after = lost - reread["intact"] - reread["different"]
corrupted_after = corrupted + reread["different"]
print(f"chaos result: uploads started {started}, finished {finished}, in flight at the end {in_flight}, "
      f"abandoned (retries spent) {abandoned}, failed (not retryable) {failed}, corrupted {corrupted_after}, lost {lost_after}, "
      f"unreadable during the chaos {lost} ({reread['intact']} intact when read again after it), "
      f"offset regressions {get('offsetRegressions')}; "
      f"replica kills {sys.argv[2]}, backend restarts {sys.argv[3]}; requests {get('requestCount')}, retries {get('retries')}, "
      f"errors {get('errorCount')} {json.dumps(get('errors'))}; {get('megabytesPerSecond'):.1f} MB/s; driver exit {sys.argv[4]}")
hooks_ok = True
if hooks["checked"]:
    missing = finished - hooks["uploads_with_post_finish"]
    twice = hooks["raised_twice"]
    print(f"hooks: {hooks['uploads_with_post_finish']} of {finished} finished uploads got their post-finish ({missing} missing); "
          f"raised twice (two distinct events for one upload): post-create {twice['post-create']}, post-finish {twice['post-finish']}, "
          f"post-terminate {twice['post-terminate']}; finished without a post-create {hooks['finished_without_post_create']}; "
          f"received {json.dumps(hooks['events_received'])}, distinct {json.dumps(hooks['distinct_events'])} (the rest are redeliveries)")
    hooks_ok = missing == 0 and twice["post-create"] == 0 and twice["post-finish"] == 0 and hooks["finished_without_post_create"] == 0
sys.exit(0 if abandoned == 0 and failed == 0 and corrupted_after == 0 and lost_after == 0 and not get("offsetRegressions") and finished and finished > 0 and hooks_ok else 1)
PY
