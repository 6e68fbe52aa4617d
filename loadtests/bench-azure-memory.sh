#!/usr/bin/env bash
# bench-azure-memory.sh - peak memory of ONE upload-service replica (Release, Azure store on azurite from
# tests/servers/azurite, blobs on disk in a temp dir, default BlockSize 8 MiB) while --files uploads of
# --size-mib MiB are sent at once by the load driver (parallel-large, one upload per VU, --chunk-mib per
# PATCH, every upload read back and its SHA-256 checked, then deleted). The replica's VmRSS is sampled
# every 100 ms and its VmHWM read at the end; both are printed against the store's documented bound
# (services/TusCluster.Storage.Azure/README.md): idle RSS + files x (BlockSize + 8 MiB of HTTP and SDK
# buffers). Median of --repeat runs, a fresh azurite each.
#
# Usage: loadtests/bench-azure-memory.sh [--files 20] [--size-mib 256] [--chunk-mib 64] [--block-mib 8]
#                                        [--repeat 1] [--skip-build]
# Exits 1 when the peak exceeds the bound or an upload is not verified. Everything started is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

files=20 size_mib=256 chunk_mib=64 block_mib=8 repeat=1 skip_build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --size-mib) size_mib=$2; shift 2 ;;
    --chunk-mib) chunk_mib=$2; shift 2 ;;
    --block-mib) block_mib=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

MiB=$((1024 * 1024))
[ -d tests/servers/azurite/node_modules/azurite ] || npm ci --prefix tests/servers/azurite --no-audit --no-fund >&2
if [ "$skip_build" = 0 ]; then
  log "building (Release)"
  for project in services/TusCluster.UploadService loadtests/TusCluster.LoadDriver; do
    dotnet build -c Release -v q -nologo "$project" >/dev/null
  done
fi
driver=(dotnet loadtests/TusCluster.LoadDriver/bin/Release/net10.0/TusCluster.LoadDriver.dll)

work=$(mktemp -d "${TMPDIR:-/tmp}/tuscluster-bench-azure.XXXXXX")
pids=() sampler_pid=""
stop_all() {
  for pid in "$sampler_pid" "${pids[@]}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  pids=() sampler_pid=""
  return 0
}
cleanup() { set +e; stop_all; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

idles=() hwms=() sampleds=()
for r in $(seq 1 "$repeat"); do
  azurite_port=$(free_port) blobs="$work/azurite-$r"
  mkdir -p "$blobs"
  node tests/servers/azurite/node_modules/azurite/dist/src/blob/main.js --blobHost 127.0.0.1 --blobPort "$azurite_port" \
    --skipApiVersionCheck --disableTelemetry --silent --location "$blobs" >"$work/azurite-$r.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 1200); do curl -s -o /dev/null "http://127.0.0.1:$azurite_port/devstoreaccount1?comp=list" && break; sleep 0.1; done
  connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"

  sut_port=$(free_port)
  replica_start "$sut_port" "$work/sut-$r.log" --Tus:Storage:Provider=Azure "--Tus:Storage:Azure:ConnectionString=$connection" \
    --Tus:Storage:Azure:Container=tus-bench --Tus:Storage:Azure:CreateContainer=true "--Tus:Storage:Azure:BlockSize=$((block_mib * MiB))"
  sut_pid=$started_pid
  pids+=("$sut_pid")
  wait_ready "$sut_port" || { log "the upload service did not start"; tail -20 "$work/sut-$r.log" >&2; exit 1; }
  sleep 3
  idle=$(kib VmRSS "$sut_pid")
  python3 loadtests/lib/peak-rss.py "$sut_pid" "$work/sampled" &
  sampler_pid=$!
  log "run $r/$repeat: $files x $size_mib MiB at once (PATCHes of $chunk_mib MiB) to one replica, blocks of $block_mib MiB"
  "${driver[@]}" run --scenario parallel-large --url "http://127.0.0.1:$sut_port/files/" --vus "$files" \
    --iterations "$files" --size "${size_mib}MiB" --chunk-size "${chunk_mib}MiB" --timeout 1200s \
    --json "$work/memory-$r.json" --quiet >"$work/driver-$r.log" 2>&1 ||
    { log "load driver failed:"; tail -30 "$work/driver-$r.log" >&2; exit 1; }
  hwm=$(kib VmHWM "$sut_pid")
  kill -TERM "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  sampled=$(cat "$work/sampled")
  read -r ok bad errors mbps < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["uploadsVerified"], s["uploadsCorrupted"] + s["uploadsLost"], s["errorCount"], round(s["megabytesPerSecond"], 1))' "$work/memory-$r.json")
  [ "$ok" = "$files" ] && [ "$bad" = 0 ] || { log "only $ok of $files uploads verified ($bad corrupted or lost)"; exit 1; }
  log "  idle RSS $(mib "$idle") MiB, peak VmHWM $(mib "$hwm") MiB, peak sampled VmRSS $(mib "$sampled") MiB; $ok/$files verified, $errors request errors, $mbps MB/s"
  idles+=("$(mib "$idle")") hwms+=("$(mib "$hwm")") sampleds+=("$(mib "$sampled")")
  stop_all
done

idle=$(median "${idles[@]}") hwm=$(median "${hwms[@]}") sampled=$(median "${sampleds[@]}")
bound=$(awk -v i="$idle" -v f="$files" -v b="$block_mib" 'BEGIN { printf "%.0f", i + f * (b + 8) }')
echo
echo "Azure store, $files concurrent uploads of $size_mib MiB to one replica (azurite, blocks of $block_mib MiB):"
echo "  idle RSS            $idle MiB"
echo "  peak RSS (VmHWM)    $hwm MiB   (sampled VmRSS $sampled MiB)"
echo "  documented bound    $bound MiB = idle + $files x ($block_mib MiB block + 8 MiB buffers)"
echo "  peak / bound        $(awk -v h="$hwm" -v b="$bound" 'BEGIN { printf "%.2f", h / b }')"
awk -v h="$hwm" -v b="$bound" 'BEGIN { exit !(h <= b) }' || { echo "peak RSS above the documented bound" >&2; exit 1; }
