#!/usr/bin/env bash
# Usage: tests/servers/dynalite.sh start <data-dir>   prints DYNAMODB_ENDPOINT=... (also written to <data-dir>/env)
#        tests/servers/dynalite.sh stop <data-dir>    stops exactly the dynalite started there (by PID) and removes <data-dir>
# dynalite serves the DynamoDB API from memory on a free loopback port; GET $DYNAMODB_ENDPOINT/__requests
# answers how many requests it served (by operation). Needs node 20+ and `npm ci` in tests/servers/dynalite
# (done here when node_modules is missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop <data-dir>" >&2; exit 2; }

case "$command" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -e "$dir/pid" ] && { echo "$dir already has a dynalite (pid file); stop it first" >&2; exit 1; }
    if [ ! -d "$here/dynalite/node_modules/dynalite" ]; then
      (cd "$here/dynalite" && npm ci --no-audit --no-fund >&2)
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    node "$here/dynalite/dynalite.mjs" --port "$port" >"$dir/dynalite.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    deadline=$((SECONDS + 120))
    while [ $SECONDS -lt $deadline ]; do
      grep -q DYNALITE_LISTENING "$dir/dynalite.log" 2>/dev/null && break
      kill -0 "$pid" 2>/dev/null || { cat "$dir/dynalite.log" >&2; rm -f "$dir/pid"; exit 1; }
      sleep 0.1
    done
    grep -q DYNALITE_LISTENING "$dir/dynalite.log" || { echo "dynalite did not start" >&2; kill "$pid"; rm -f "$dir/pid"; exit 1; }
    echo "DYNAMODB_ENDPOINT=http://127.0.0.1:$port" | tee "$dir/env"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      # Only a process that still runs our script is signalled, so a reused PID is never hit.
      if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "dynalite.mjs"; then
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      fi
      rm -f "$dir/pid"
    fi
    [ -f "$dir/dynalite.log" ] || [ -f "$dir/env" ] || { echo "$dir does not look like a dynalite directory; not removing it" >&2; exit 1; }
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop <data-dir>" >&2
    exit 2
    ;;
esac
