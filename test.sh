#!/usr/bin/env bash
# Runs the whole test suite. Needs the .NET 10 SDK and Node.js 20+ with npm; installs the npm
# packages the end-to-end client tests use (tus-js-client) when they are missing or out of date.
set -euo pipefail
cd "$(dirname "$0")"

# Real servers the tests start (redis-server, etcd, nginx), from Debian's packages.
tests/servers/install.sh

if [ ! -d tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules ]; then
  npm ci --prefix tests/js --no-audit --no-fund
fi

# The k6 scripts cannot run here (no k6): their syntax, exports and scenario names are checked
# against stubs, and each runs a few iterations against an in-memory tus server.
node loadtests/k6/check/check.mjs

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Cluster.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The protocol suite once more against each distributed coordination backend, unchanged: only the
# service's configuration points it at a throw-away redis-server or etcd.
for backend in redis etcd; do
  tests/servers/with-backend.sh "$backend" dotnet test tests/TusCluster.UploadService.Tests --no-build "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
set -e

# One closing line over every test project, e.g. "412 passed, 0 failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "$passed passed, $failed failed"
exit "$status"
