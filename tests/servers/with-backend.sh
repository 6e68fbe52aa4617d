#!/usr/bin/env bash
# Usage: tests/servers/with-backend.sh <redis|etcd|dynamodb|s3|s3-only|postgres|gcs|azure> <command...>
# Starts a throw-away coordination server on free loopback ports, runs the command with
# TUS_TEST_BACKEND_ARGS pointing the upload service at it, then stops exactly that server (by PID).
set -euo pipefail
backend=$1
shift

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -"${stop_signal:-TERM}" "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Two distinct ports outside the kernel's ephemeral range (see free-ports.py); etcd needs both.
read -r port peer < <(python3 "$(dirname "$0")/free-ports.py" 2)
case "$backend" in
  redis)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/server.log" 2>&1 &
    pid=$!
    ready() { redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=Redis --Tus:Coordination:Redis:Endpoint=127.0.0.1:$port"
    ;;
  etcd)
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
  s3|s3-only)
    # Real S3 (Ceph RGW) for the store; ceph-rgw.sh waits for readiness itself and stops its own PIDs.
    # s3-only: the coordination on the same bucket under another prefix, so the cluster needs nothing but a bucket.
    ceph_script="$(cd "$(dirname "$0")" && pwd)/ceph-rgw.sh"
    trap '"$ceph_script" stop "$work/ceph" >/dev/null 2>&1 || true; cleanup' EXIT
    ceph_env=$("$ceph_script" start "$work/ceph")
    s3_setting() { printf '%s\n' "$ceph_env" | sed -n "s/^$1=//p"; }
    port=$(s3_setting S3_ENDPOINT | sed 's/.*://')
    ready() { curl -sf --max-time 5 -o /dev/null "$(s3_setting S3_ENDPOINT)/"; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Storage:Provider=S3 --Tus:Storage:S3:ServiceUrl=$(s3_setting S3_ENDPOINT) --Tus:Storage:S3:Region=$(s3_setting S3_REGION) --Tus:Storage:S3:Bucket=tus-protocol-tests --Tus:Storage:S3:ForcePathStyle=true --Tus:Storage:S3:ChecksumCalculation=WhenRequired --Tus:Storage:S3:AccessKey=$(s3_setting S3_ACCESS_KEY) --Tus:Storage:S3:SecretKey=$(s3_setting S3_SECRET_KEY) --Tus:Storage:S3:PartSize=5242880 --Tus:Storage:S3:CreateBucket=true"
    if [ "$backend" = s3-only ]; then
      TUS_TEST_BACKEND_ARGS="$TUS_TEST_BACKEND_ARGS --Tus:Storage:S3:KeyPrefix=uploads/ --Tus:Coordination:Provider=S3 --Tus:Coordination:S3:ServiceUrl=$(s3_setting S3_ENDPOINT) --Tus:Coordination:S3:Region=$(s3_setting S3_REGION) --Tus:Coordination:S3:Bucket=tus-protocol-tests --Tus:Coordination:S3:ForcePathStyle=true --Tus:Coordination:S3:ChecksumCalculation=WhenRequired --Tus:Coordination:S3:AccessKey=$(s3_setting S3_ACCESS_KEY) --Tus:Coordination:S3:SecretKey=$(s3_setting S3_SECRET_KEY) --Tus:Coordination:S3:CreateBucket=true"
    fi
    ;;
  postgres)
    # Debian's binaries are not on PATH; postgres refuses to run as root, so under root it runs as the package's
    # postgres user (setpriv execs: $pid is postgres's own). A private socket directory, trust on loopback.
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -x "$pg_bin/postgres" ] || { echo "PostgreSQL is missing: run tests/servers/install.sh" >&2; exit 1; }
    as_postgres=()
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$work"
      as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    fi
    "${as_postgres[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust --no-sync --no-locale -E UTF8 >"$work/initdb.log" 2>&1 \
      || { cat "$work/initdb.log" >&2; exit 1; }
    "${as_postgres[@]}" "$pg_bin/postgres" -D "$work/data" -p "$port" -k "$work" -c listen_addresses=127.0.0.1 -c fsync=off \
      -c max_connections=200 >"$work/server.log" 2>&1 &
    pid=$!
    stop_signal=INT  # fast shutdown: smart shutdown (TERM) would wait for clients
    ready() { "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Coordination:Provider=PostgreSql --Tus:Coordination:PostgreSql:ConnectionString=Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres --Tus:Coordination:PostgreSql:CreateSchema=true"
    ;;
  gcs)
    # FakeGcsServer (tests/TusCluster.FakeGcs: no GCS emulator runs here) for the store, files in $work.
    root=$(cd "$(dirname "$0")/../.." && pwd)
    fake=$(ls -t "$root"/tests/TusCluster.FakeGcs/bin/*/net10.0/TusCluster.FakeGcs.dll 2>/dev/null | head -1)
    if [ -z "$fake" ]; then
      dotnet build "$root/tests/TusCluster.FakeGcs" -v q >&2
      fake=$(ls -t "$root"/tests/TusCluster.FakeGcs/bin/*/net10.0/TusCluster.FakeGcs.dll | head -1)
    fi
    dotnet "$fake" --port "$port" --root "$work/gcs" >"$work/server.log" 2>&1 &
    pid=$!
    ready() { grep -q FAKE_GCS_LISTENING "$work/server.log" 2>/dev/null; }
    export TUS_TEST_BACKEND_ARGS="--Tus:Storage:Provider=Gcs --Tus:Storage:Gcs:Endpoint=http://127.0.0.1:$port/ --Tus:Storage:Gcs:NoAuthentication=true --Tus:Storage:Gcs:Bucket=tus-protocol-tests --Tus:Storage:Gcs:CreateBucket=true --Tus:Storage:Gcs:ProjectId=tus-tests --Tus:Storage:Gcs:UploadChunkSize=1048576 --Tus:Storage:Gcs:ComponentSize=1048576"
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
    echo "unknown backend '$backend' (redis, etcd, dynamodb, s3, s3-only, postgres, gcs or azure)" >&2
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
