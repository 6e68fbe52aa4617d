#!/usr/bin/env bash
# Usage: tests/servers/with-backend.sh <redis|etcd|dynamodb|s3|azure> <command...>
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
    ready() { curl -sf --max-time 5 -X POST "http://127.0.0.1:$port/v3/maintenance/status" -d '{}' >/dev/null; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=Etcd --Tus:Coordination:Etcd:Endpoints:0=http://127.0.0.1:$port"
    ;;
  dynamodb)
    dynalite_dir="$(cd "$(dirname "$0")" && pwd)/dynalite"
    [ -d "$dynalite_dir/node_modules/dynalite" ] || (cd "$dynalite_dir" && npm ci --no-audit --no-fund >&2)
    node "$dynalite_dir/dynalite.mjs" --port "$port" >"$work/server.log" 2>&1 &
    pid=$!
    ready() { grep -q DYNALITE_LISTENING "$work/server.log" 2>/dev/null; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=DynamoDb --Tus:Coordination:DynamoDb:ServiceUrl=http://127.0.0.1:$port --Tus:Coordination:DynamoDb:CreateTable=true --Tus:Coordination:DynamoDb:AccessKey=test --Tus:Coordination:DynamoDb:SecretKey=test"
    ;;
  s3)
    # Real S3 (Ceph RGW) for the store; ceph-rgw.sh waits for readiness itself and stops its own PIDs.
    ceph_script="$(cd "$(dirname "$0")" && pwd)/ceph-rgw.sh"
    trap '"$ceph_script" stop "$work/ceph" >/dev/null 2>&1 || true; cleanup' EXIT
    ceph_env=$("$ceph_script" start "$work/ceph")
    s3_setting() { printf '%s\n' "$ceph_env" | sed -n "s/^$1=//p"; }
    port=$(s3_setting S3_ENDPOINT | sed 's/.*://')
    ready() { curl -sf --max-time 5 -o /dev/null "$(s3_setting S3_ENDPOINT)/"; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Storage:Provider=S3 --Tus:Storage:S3:ServiceUrl=$(s3_setting S3_ENDPOINT) --Tus:Storage:S3:Region=$(s3_setting S3_REGION) --Tus:Storage:S3:Bucket=tus-protocol-tests --Tus:Storage:S3:ForcePathStyle=true --Tus:Storage:S3:ChecksumCalculation=WhenRequired --Tus:Storage:S3:AccessKey=$(s3_setting S3_ACCESS_KEY) --Tus:Storage:S3:SecretKey=$(s3_setting S3_SECRET_KEY) --Tus:Storage:S3:PartSize=5242880 --Tus:Storage:S3:CreateBucket=true"
    ;;
  azure)
    # azurite (Azure Blob emulator from npm) in memory; --skipApiVersionCheck: the SDK speaks a newer API version.
    azurite_dir="$(cd "$(dirname "$0")" && pwd)/azurite"
    [ -d "$azurite_dir/node_modules/azurite" ] || (cd "$azurite_dir" && npm ci --no-audit --no-fund >&2)
    node "$azurite_dir/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort "$port" \
      --skipApiVersionCheck --disableTelemetry --silent --inMemoryPersistence >"$work/server.log" 2>&1 &
    pid=$!
    ready() { curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/devstoreaccount1?comp=list"; }
    # Azurite's well-known development account key (public).
    azure_connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
    export TUS_TEST_BACKEND_ARGS="--Tus:Storage:Provider=Azure --Tus:Storage:Azure:ConnectionString=$azure_connection --Tus:Storage:Azure:Container=tus-protocol-tests --Tus:Storage:Azure:BlockSize=1048576 --Tus:Storage:Azure:CreateContainer=true"
    ;;
  *)
    echo "unknown backend '$backend' (redis or etcd)" >&2
    exit 2
    ;;
esac

# A deadline in time, not a count of probes: on a loaded CI machine each probe is slower, not the server broken.
deadline=$((SECONDS + 120))
until ready; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "$backend did not become ready within 120 s" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

echo "== $backend on 127.0.0.1:$port (pid $pid): $*"
"$@"
