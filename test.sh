#!/usr/bin/env bash
# Runs the whole test suite. Needs the .NET 10 SDK and Node.js 20+ with npm; installs the Debian
# servers and the npm packages the tests use when they are missing or out of date.
set -euo pipefail
cd "$(dirname "$0")"

# Real servers the tests start (redis-server, etcd, nginx, prometheus, Ceph RGW), from Debian's packages.
tests/servers/install.sh

# npm packages of the tests: tus-js-client (tests/js), dynalite (the DynamoDB API), the Kubernetes
# schema validators (tests/k8s-schemas), the demo page's browser driver (tests/browser) and azurite (Azure Blob
# emulator), each pinned by its package-lock.json.
for dir in tests/js tests/servers/dynalite tests/k8s-schemas tests/browser tests/servers/azurite; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund
  fi
done

# The k6 scripts cannot run here (no k6): their syntax, exports and scenario names are checked
# against stubs, and each runs a few iterations against an in-memory tus server.
node loadtests/k6/check/check.mjs

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Cluster.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The protocol suite once more against each distributed coordination backend and the object stores,
# unchanged: only the service's configuration points it at a throw-away redis-server, etcd, dynalite,
# PostgreSQL, Ceph RADOS Gateway, the fake GCS server or azurite.
for backend in redis etcd dynamodb s3 s3-only postgres gcs azure; do
  # Four tests look at the file store's own files (staged chunks, directories); not for object stores.
  only=()
  [ "$backend" = s3 ] && only=(--filter "Store!=FileSystem")
  [ "$backend" = s3-only ] && only=(--filter "Store!=FileSystem")
  [ "$backend" = gcs ] && only=(--filter "Store!=FileSystem")
  # The Azure store refuses Tus:Expiration=0 (Azure drops blocks left uncommitted for 7 days).
  [ "$backend" = azure ] && only=(--filter "Store!=FileSystem&Expiration!=Off")
  # dynalite has no TransactWriteItems, which a DynamoDB commit with events needs; the DynamoDB outbox is
  # proven on moto by tests/TusCluster.Coordination.DynamoDb.Tests (OutboxContract).
  [ "$backend" = dynamodb ] && only=(--filter "Outbox!=Transactional")
  tests/servers/with-backend.sh "$backend" dotnet test tests/TusCluster.UploadService.Tests --no-build "${only[@]}" "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
set -e

# One closing line over every test project, e.g. "412 passed, 0 failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "$passed passed, $failed failed"
exit "$status"
