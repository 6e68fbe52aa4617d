#!/usr/bin/env bash
# bench-handover.sh - hand-over latency between two replicas on each coordination backend, in one run:
# every backend server runs at once and the rounds are interleaved (redis, etcd, dynamodb, postgres, s3,
# redis, etcd, ...), so machine load hits them alike. One round is `TusCluster.LockBench handover`: replica A
# holds an upload and lets go as soon as it is asked; the figure is how long B's acquire takes (ask A, A
# releases, B learns of it and takes the lock). Prints per backend the median of the rounds' p50, the largest
# max, and the p50 as a ratio to Redis's (the push-based peer) in the same run; `uptime` before and after.
#
# Usage: loadtests/bench-handover.sh [--backends "redis etcd dynamodb postgres s3"] [--rounds 3] [--iterations 100]
# Everything started is stopped by PID on exit (Ceph RGW by tests/servers/ceph-rgw.sh, which stops its own PIDs).
set -euo pipefail
cd "$(dirname "$0")/.."

backends="redis etcd dynamodb postgres s3" rounds=3 iterations=100
while [ $# -gt 0 ]; do
  case "$1" in
    --backends) backends=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

tests/servers/install.sh
log "building (Release)"
dotnet build -c Release -v q loadtests/TusCluster.LockBench >/dev/null
lockbench=(dotnet loadtests/TusCluster.LockBench/bin/Release/net10.0/TusCluster.LockBench.dll)

work=$(mktemp -d)
server_pids=() ceph_dir=""
cleanup() {
  set +e
  for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "$ceph_dir" ] && tests/servers/ceph-rgw.sh stop "$ceph_dir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

declare -A args
for backend in $backends; do
  log "starting $backend"
  if [ "$backend" = s3 ]; then
    ceph_dir="$work/ceph"
    ceph_env=$(tests/servers/ceph-rgw.sh start "$ceph_dir")
    s3() { printf '%s\n' "$ceph_env" | sed -n "s/^$1=//p"; }
    args[s3]="--Tus:Coordination:Provider=S3 --Tus:Coordination:S3:ServiceUrl=$(s3 S3_ENDPOINT) --Tus:Coordination:S3:Region=$(s3 S3_REGION)
      --Tus:Coordination:S3:Bucket=tus-handover --Tus:Coordination:S3:ForcePathStyle=true --Tus:Coordination:S3:ChecksumCalculation=WhenRequired
      --Tus:Coordination:S3:AccessKey=$(s3 S3_ACCESS_KEY) --Tus:Coordination:S3:SecretKey=$(s3 S3_SECRET_KEY) --Tus:Coordination:S3:CreateBucket=true"
    continue
  fi
  port=$(free_port)
  export ETCD_PEER_PORT=$(free_port)
  backend_start "$backend" "$port"
  server_pids+=("$backend_pid")
  args[$backend]="${backend_args[*]}"
done

load_before=$(uptime)
results="$work/results.txt"
for round in $(seq 1 "$rounds"); do
  for backend in $backends; do
    log "round $round: $backend"
    # shellcheck disable=SC2086 # the arguments are words without spaces
    line=$("${lockbench[@]}" handover --iterations "$iterations" ${args[$backend]})
    echo "$backend $line" >>"$results"
  done
done
load_after=$(uptime)

python3 - "$results" "$backends" "$rounds" "$iterations" "$load_before" "$load_after" <<'PY'
import json, statistics, sys
path, backends, rounds, iterations, before, after = sys.argv[1:]
runs = {}
for line in open(path):
    name, text = line.split(" ", 1)
    runs.setdefault(name, []).append(json.loads(text))
p50 = {name: statistics.median(r["p50Ms"] for r in rs) for name, rs in runs.items()}
peer = p50.get("redis")
print(f"hand-over latency, {rounds} interleaved rounds of {iterations} hand-overs per backend")
print(f"{'backend':<9} {'p50 (median of rounds)':>23} {'p50 per round':>24} {'max':>9} {'p50 / redis':>12}")
for name in backends.split():
    rs = runs[name]
    per_round = " ".join(f"{r['p50Ms']:.1f}" for r in rs)
    ratio = f"{p50[name] / peer:.1f}x" if peer else "-"
    print(f"{name:<9} {p50[name]:>21.2f}ms {per_round:>24} {max(r['maxMs'] for r in rs):>7.1f}ms {ratio:>12}")
print(f"load before: {before.strip()}")
print(f"load after:  {after.strip()}")
PY
