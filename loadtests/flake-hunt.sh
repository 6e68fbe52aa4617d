#!/usr/bin/env bash
# Runs one test project several times in a row while CPU hogs compete for the cores, to show that its
# waits hold on a loaded machine (CI has 2 cores). Prints one line per run and a closing summary.
#   loadtests/flake-hunt.sh [--runs N] [--hogs N] [--filter EXPR] tests/TusCluster.Cluster.Tests
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 hogs=1 filter=()
while [ $# -gt 1 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --hogs) hogs=$2; shift 2 ;;
    --filter) filter=(--filter "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
project=${1:?usage: flake-hunt.sh [--runs N] [--hogs N] [--filter EXPR] <test project>}

dotnet build "$project" -v q -nologo >/dev/null

# Each hog is a busy shell loop; stopped by its own PID when this script ends, however it ends.
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for _ in $(seq 1 "$hogs"); do
  ( while :; do :; done ) &
  pids+=($!)
done

failed_runs=0
for run in $(seq 1 "$runs"); do
  log=$(mktemp)
  start=$SECONDS
  if dotnet test "$project" --no-build "${filter[@]}" >"$log" 2>&1; then verdict=green; else verdict=RED; failed_runs=$((failed_runs + 1)); fi
  summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1 || true)
  echo "run $run/$runs: $verdict in $((SECONDS - start)) s, $hogs hog(s): ${summary:-no summary}"
  if [ "$verdict" = green ]; then
    rm -f "$log"
  else
    grep -E "\[FAIL\]" "$log" | head -20
    echo "  whole log of run $run: $log"
  fi
done
echo "$((runs - failed_runs)) passed, $failed_runs failed"
[ "$failed_runs" -eq 0 ]
