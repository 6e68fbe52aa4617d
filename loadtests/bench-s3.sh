#!/usr/bin/env bash
# bench-s3.sh - the S3 upload store on a real S3 (Ceph RGW with a memstore OSD, tests/servers/ceph-rgw.sh),
# measured in one run on this machine:
#   A. memory: --files uploads of --size-mib MiB sent at once to ONE upload-service replica (Release,
#      S3 store, default PartSize 16 MiB and MaxConcurrentPartUploads 4) by the load driver
#      (parallel-large, one upload per VU, --chunk-mib per PATCH, every upload read back and its SHA-256
#      checked, then deleted). The replica's VmRSS is sampled every 100 ms and its VmHWM read at the end;
#      both are printed against the store's bound (store README): requests x (MaxConcurrentPartUploads
#      + 1) x PartSize part buffers, plus the replica's idle RSS. A fresh Ceph per repetition.
#   B. throughput: one --patch-mib MiB upload in a single PATCH (curl, as bench-foundation.sh) through
#      this service and through @tus/server + @tus/s3-store (loadtests/peer/s3-server.mjs, store
#      defaults: 8 MiB parts, 60 part uploads at a time), and the same file in one PUT straight to RGW
#      (curl, no tus server: what RGW itself takes here, the ceiling for both servers), each over plain
#      HTTP and over TLS (RGW's own beast ssl_endpoint, a per-cluster test CA that every client is given:
#      the service through Tus:Storage:S3:CaCertificateFile, Node through NODE_EXTRA_CA_CERTS, curl
#      through --cacert). Over TLS the service runs twice: with its default unsigned payloads and with
#      UnsignedPayloadOverHttps=false (every part hashed for SigV4). All on one RGW and bucket, every
#      contestant once per round, the order rotated each round; servers warmed up by one 64 MiB upload.
#      Printed: MB/s (10^6 bytes) and the ratios service / peer and service / bare PUT per transport.
#   C. (--only sweep) the part size x parts in flight: one replica per setting of --sweep (PART_MIBxIN_FLIGHT,
#      e.g. "16x2 32x4") over TLS, and the bare TLS PUT, interleaved as in B: what the defaults are chosen from.
# Every figure is the median of --repeat runs.
#
# Usage: loadtests/bench-s3.sh [--files 20] [--size-mib 256] [--chunk-mib 64] [--patch-mib 1024]
#                              [--repeat 3] [--only memory|throughput|sweep] [--skip-build]
#                              [--part-mib 16] [--parts-in-flight 4]   (the service's PartSize and
#                                                                       MaxConcurrentPartUploads)
#                              [--transports "http https"] [--sweep "8x2 16x2 16x4 32x2 32x4 64x2"]
# Ceph's memstore keeps objects in RAM: --files is lowered (and said so) when files x size does not
# fit the machine's available memory next to the replica; deleted objects are freed after about 5 s
# (CEPH_RGW_GC_SECONDS), and the peer's finished objects, which @tus/s3-store cannot delete, are deleted
# straight from RGW. Everything started is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

files=20 size_mib=256 chunk_mib=64 patch_mib=1024 repeat=3 only="" skip_build=0 part_mib=16 max_concurrent_parts=4
transports="http https" sweep="8x2 16x2 16x4 32x2 32x4 64x2"
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --size-mib) size_mib=$2; shift 2 ;;
    --chunk-mib) chunk_mib=$2; shift 2 ;;
    --patch-mib) patch_mib=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --part-mib) part_mib=$2; shift 2 ;;
    --parts-in-flight) max_concurrent_parts=$2; shift 2 ;;
    --transports) transports=$2; shift 2 ;;
    --sweep) sweep=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

requested_files=$files
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
. loadtests/lib/cluster.sh

MiB=$((1024 * 1024))
part_size=$((part_mib * MiB)) bucket=tus-bench

tests/servers/install.sh >/dev/null
if [ ! -f loadtests/peer/node_modules/@tus/s3-store/package.json ] ||
   [ loadtests/peer/package-lock.json -nt loadtests/peer/node_modules/.package-lock.json ]; then
  log "installing the peer's packages (npm ci in loadtests/peer)"
  (cd loadtests/peer && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
if [ "$skip_build" = 0 ]; then
  log "building (Release)"
  for project in services/TusCluster.UploadService loadtests/TusCluster.LoadDriver; do
    dotnet build -c Release -v q -nologo "$project" >/dev/null
  done
fi
driver=(dotnet loadtests/TusCluster.LoadDriver/bin/Release/net10.0/TusCluster.LoadDriver.dll)

work=$(mktemp -d "${TMPDIR:-/tmp}/tuscluster-bench-s3.XXXXXX")
pids=() peer_pid="" sampler_pid="" ceph_dir=""
stop_all() {
  for pid in "$sampler_pid" "$peer_pid" "${pids[@]}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  pids=() peer_pid="" sampler_pid=""
  if [ -n "$ceph_dir" ]; then
    tests/servers/ceph-rgw.sh stop "$ceph_dir" 2>/dev/null || true
    ceph_dir=""
  fi
  return 0
}
cleanup() { set +e; stop_all; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ceph_start() { # <memstore bytes>: sets S3_* from ceph-rgw.sh
  ceph_dir="$work/ceph-$RANDOM"
  local settings
  settings=$(CEPH_MEMSTORE_BYTES=$1 CEPH_RGW_GC_SECONDS=5 tests/servers/ceph-rgw.sh start "$ceph_dir" 2>"$work/ceph-start.log") ||
    { cat "$work/ceph-start.log" >&2; exit 1; }
  eval "$settings"
}

s3_args() { # <endpoint> <part MiB> <parts in flight>
  local ca=""
  case "$1" in https:*) ca="--Tus:Storage:S3:CaCertificateFile=$S3_CA_FILE" ;; esac
  echo "--Tus:Storage:Provider=S3 --Tus:Storage:S3:ServiceUrl=$1 --Tus:Storage:S3:Region=$S3_REGION $ca" \
    "--Tus:Storage:S3:Bucket=$bucket --Tus:Storage:S3:ForcePathStyle=true --Tus:Storage:S3:ChecksumCalculation=WhenRequired" \
    "--Tus:Storage:S3:AccessKey=$S3_ACCESS_KEY --Tus:Storage:S3:SecretKey=$S3_SECRET_KEY --Tus:Storage:S3:CreateBucket=true" \
    "--Tus:Storage:S3:PartSize=$(($2 * MiB)) --Tus:Storage:S3:MaxConcurrentPartUploads=$3"
}

sut_start() { # <args as one word list>; sets sut_port, sut_pid
  sut_port=$(free_port)
  # shellcheck disable=SC2086 # one argument per setting
  replica_start "$sut_port" "$work/sut-$sut_port.log" $1
  sut_pid=$started_pid
  pids+=("$sut_pid")
  wait_ready "$sut_port" || { log "the upload service did not start"; tail -20 "$work/sut-$sut_port.log" >&2; exit 1; }
}

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------------------------------------ A. memory
measure_memory() {
  local available_mib data_mib bound_mib
  available_mib=$(( $(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo) / 1024 ))
  # memstore holds every live object (plus deleted tails until RGW's GC runs); keep 3 GiB for the
  # replica, RGW, the driver and the system.
  while [ "$files" -gt 1 ] && [ $(( files * size_mib * 5 / 4 + 3072 )) -gt "$available_mib" ]; do
    files=$((files - 1))
  done
  data_mib=$((files * size_mib))
  log "A. memory: $files x $size_mib MiB at once to one replica ($available_mib MiB RAM available)"
  bound_mib=$(( files * (max_concurrent_parts + 1) * part_size / MiB ))
  local r idle hwm sampled verified idles=() hwms=() sampleds=()
  for r in $(seq 1 "$repeat"); do
    ceph_start $(( (data_mib * 3 / 2 + 1024) * MiB ))
    sut_start "$(s3_args "$S3_ENDPOINT" "$part_mib" "$max_concurrent_parts")"
    sleep 3
    idle=$(kib VmRSS "$sut_pid")
    # VmRSS every 100 ms; the maximum is written when the sampler is stopped.
    python3 loadtests/lib/peak-rss.py "$sut_pid" "$work/sampled" &
    sampler_pid=$!
    "${driver[@]}" run --scenario parallel-large --url "http://127.0.0.1:$sut_port/files/" --vus "$files" \
      --iterations "$files" --size "${size_mib}MiB" --chunk-size "${chunk_mib}MiB" --timeout 600s \
      --json "$work/memory-$r.json" --quiet >"$work/driver-memory-$r.log" 2>&1 ||
      { log "load driver failed:"; tail -30 "$work/driver-memory-$r.log" >&2; exit 1; }
    hwm=$(kib VmHWM "$sut_pid")
    kill -TERM "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
    sampled=$(cat "$work/sampled")
    verified=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["uploadsVerified"], s["uploadsCorrupted"] + s["uploadsLost"], s["errorCount"], round(s["megabytesPerSecond"], 1))' "$work/memory-$r.json")
    read -r ok bad errors mbps <<<"$verified"
    if [ "$ok" != "$files" ] || [ "$bad" != 0 ]; then
      log "run $r: only $ok of $files uploads verified ($bad corrupted or lost)"
      exit 1
    fi
    log "  run $r/$repeat: idle RSS $(mib "$idle") MiB, peak VmHWM $(mib "$hwm") MiB, peak sampled VmRSS $(mib "$sampled") MiB; $ok/$files verified, $errors request errors, $mbps MB/s acknowledged"
    idles+=("$(mib "$idle")") hwms+=("$(mib "$hwm")") sampleds+=("$(mib "$sampled")")
    stop_all
  done
  mem_files=$files mem_bound=$bound_mib
  mem_idle=$(median "${idles[@]}") mem_hwm=$(median "${hwms[@]}") mem_sampled=$(median "${sampleds[@]}")
  mem_runs="VmHWM ${hwms[*]} MiB; idle ${idles[*]} MiB"
}

# -------------------------------------------------------------------------------------- B. throughput
source_file() { # <MiB> -> path of a random file, kept for reuse (as bench-foundation.sh does)
  local path="/tmp/tuscluster-bench-${1}MiB.bin"
  if [ ! -f "$path" ] || [ "$(stat -c %s "$path")" != $(($1 * MiB)) ]; then
    log "writing $path"
    head -c $(($1 * MiB)) /dev/urandom >"$path.partial" && mv "$path.partial" "$path"
  fi
  echo "$path"
}

# one_patch <files url> <file> <role> -> MB/s; POST, one PATCH with the whole file, HEAD check, DELETE.
one_patch() {
  local files_url=$1 file=$2 size location result code seconds offset
  size=$(stat -c %s "$file")
  location=$(curl -sS -D - -o /dev/null -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $size" "$files_url" |
    awk -F': ' 'tolower($1) == "location" { print $2 }' | tr -d '\r')
  [ -n "$location" ] || { log "POST to $files_url gave no Location"; exit 1; }
  case "$location" in /*) location="${files_url%%/files/*}$location" ;; esac
  result=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time 3600 -X PATCH \
    -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' -H 'Expect:' \
    -T "$file" "$location")
  read -r code seconds <<<"$result"
  [ "$code" = 204 ] || { log "PATCH $location answered $code"; exit 1; }
  offset=$(curl -sS -I -H 'Tus-Resumable: 1.0.0' "$location" | awk -F': ' 'tolower($1) == "upload-offset" { print $2 }' | tr -d '\r')
  [ "$offset" = "$size" ] || { log "HEAD $location: offset $offset, expected $size"; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Tus-Resumable: 1.0.0' "$location")
  # @tus/s3-store cannot terminate a finished upload: it aborts the already completed multipart
  # upload, takes S3's NoSuchUpload for "no such file" and answers 404 (the object stays; memstore is
  # sized for every upload of the run).
  [ "$code" = 204 ] || { [ "$code" = 404 ] && [ "$3" = peer ]; } || { log "DELETE $location answered $code"; exit 1; }
  [ "$3" != peer ] || peer_delete_leftover "$files_url" "$location" "${peer_endpoint[$4]}"
  awk -v b="$size" -v s="$seconds" 'BEGIN { printf "%.1f\n", b / s / 1e6 }'
}

# direct_put <file> <endpoint> -> MB/s of one PUT of the whole file straight to RGW (then deleted).
direct_put() {
  local key="direct-$RANDOM" result code seconds
  local sign=(--aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --cacert "$S3_CA_FILE")
  # No 'Expect:' override here: curl would sign the empty header and RGW refuse the signature.
  result=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time 3600 "${sign[@]}" \
    -T "$1" "$2/$bucket/$key")
  read -r code seconds <<<"$result"
  [ "$code" = 200 ] || { log "PUT $key straight to RGW answered $code"; exit 1; }
  curl -sS -o /dev/null "${sign[@]}" -X DELETE "$2/$bucket/$key"
  awk -v b="$(stat -c %s "$1")" -v s="$seconds" 'BEGIN { printf "%.1f\n", b / s / 1e6 }'
}

# peer_delete_leftover <files url> <location>: @tus/s3-store leaves the finished object (and its .info)
# behind; delete both straight from RGW so memstore only ever holds a few uploads.
peer_delete_leftover() {
  local id=${2##*/} endpoint=$3
  local sign=(--aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --cacert "$S3_CA_FILE")
  curl -sS -o /dev/null "${sign[@]}" -X DELETE "$endpoint/$bucket/$id" || true
  curl -sS -o /dev/null "${sign[@]}" -X DELETE "$endpoint/$bucket/$id.info" || true
}

# The contestants of measurement B, each a role: kind (sut, peer, put), its URL or endpoint, a label.
declare -A role_kind=() role_url=() role_label=() role_samples=()
roles=()
declare -A role_pid=() role_cpu=() role_s3_cpu=()
reset_roles() { roles=(); role_kind=(); role_url=(); role_label=(); role_samples=(); role_pid=(); role_cpu=(); role_s3_cpu=(); }
add_role() { roles+=("$1"); role_kind[$1]=$2; role_url[$1]=$3; role_label[$1]=$4; role_samples[$1]=""; role_cpu[$1]=""; role_s3_cpu[$1]=""; }

# CPU seconds (user + system, all threads) the given processes have used so far.
cpu_seconds() {
  local ticks=0 p
  for p in "$@"; do ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
per_gib() { awk -v a="$1" -v b="$2" -v bytes="$3" 'BEGIN { printf "%.2f", (b - a) / (bytes / 1073741824) }'; }

# add_sut <role> <label> <endpoint> <part MiB> <parts in flight> [more --Tus:... args]
add_sut() {
  local role=$1 label=$2 endpoint=$3 part=$4 inflight=$5
  shift 5
  sut_start "$(s3_args "$endpoint" "$part" "$inflight") $*"
  add_role "$role" sut "http://127.0.0.1:$sut_port/files/" "$label"
  role_pid[$role]=$sut_pid
}

add_peer() { # <role> <label> <endpoint>
  local port
  port=$(free_port)
  PORT=$port S3_ENDPOINT=$3 S3_BUCKET=$bucket S3_ACCESS_KEY=$S3_ACCESS_KEY S3_SECRET_KEY=$S3_SECRET_KEY \
    S3_REGION=$S3_REGION NODE_EXTRA_CA_CERTS=$S3_CA_FILE node loadtests/peer/s3-server.mjs >"$work/peer-$1.log" 2>&1 &
  pids+=("$!")
  local pid=$!
  for _ in $(seq 1 100); do grep -q 'tus-s3-peer ready' "$work/peer-$1.log" && break; sleep 0.1; done
  grep -q 'tus-s3-peer ready' "$work/peer-$1.log" || { log "the peer did not start"; cat "$work/peer-$1.log" >&2; exit 1; }
  add_role "$1" peer "http://127.0.0.1:$port/files/" "$2"
  role_pid[$1]=$pid
  peer_endpoint[$1]=$3
}
declare -A peer_endpoint=()

run_role() { # <role> <file> -> MB/s
  local role=$1
  case "${role_kind[$role]}" in
    put) direct_put "$2" "${role_url[$role]}" ;;
    *) one_patch "${role_url[$role]}" "$2" "${role_kind[$role]}" "$role" ;;
  esac
}

# Every role once per round, the order rotated by one each round (A B C, B C A, ...), so that no role
# always runs first after a quiet moment or last after a busy one.
run_rounds() { # <file>
  local r i n=${#roles[@]} role mbps
  for role in "${roles[@]}"; do
    [ "${role_kind[$role]}" = put ] || run_role "$role" "$warmup" >/dev/null
  done
  for r in $(seq 1 "$repeat"); do
    for i in $(seq 0 $((n - 1))); do
      role=${roles[$(( (i + r - 1) % n ))]}
      # shellcheck disable=SC2086 # CEPH_PIDS: mon, OSD, gateway
      set -- "$1" $CEPH_PIDS
      local server_before s3_before server_after s3_after
      server_before=$(cpu_seconds ${role_pid[$role]:-}) s3_before=$(cpu_seconds "$3" "$4")
      mbps=$(run_role "$role" "$1")
      server_after=$(cpu_seconds ${role_pid[$role]:-}) s3_after=$(cpu_seconds "$3" "$4")
      role_cpu[$role]="${role_cpu[$role]} $(per_gib "$server_before" "$server_after" "$(stat -c %s "$1")")"
      role_s3_cpu[$role]="${role_s3_cpu[$role]} $(per_gib "$s3_before" "$s3_after" "$(stat -c %s "$1")")"
      log "  run $r/$repeat ${role_label[$role]}: $mbps MB/s"
      role_samples[$role]="${role_samples[$role]} $mbps"
    done
  done
}

# ratio <role a> <role b>: median(a) / median(b)
ratio() {
  # shellcheck disable=SC2086 # one sample per word
  awk -v a="$(median ${role_samples[$1]})" -v b="$(median ${role_samples[$2]})" 'BEGIN { printf "%.2f", a / b }'
}

# MB/s, then the CPU seconds per GiB of the tus server (not curl's) and of RGW + OSD, medians.
print_roles() {
  local role server
  printf '   %-66s %8s %11s %11s\n' "" "MB/s" "server s/GiB" "RGW+OSD s/GiB"
  for role in "${roles[@]}"; do
    server="-"
    # shellcheck disable=SC2086
    [ "${role_kind[$role]}" = put ] || server=$(median ${role_cpu[$role]})
    # shellcheck disable=SC2086
    printf '   %-66s %8s %11s %11s   (runs:%s)\n' "${role_label[$role]}" "$(median ${role_samples[$role]})" "$server" \
      "$(median ${role_s3_cpu[$role]})" "${role_samples[$role]}"
  done
}

# A fresh RGW, no roles yet, the measured file and the warm-up file; deleted uploads are freed
# within seconds, so memstore needs room for a few uploads only.
start_rounds() { # <what is measured>
  file=$(source_file "$patch_mib")
  warmup=$(source_file 64)
  reset_roles
  log "$1"
  ceph_start $(( 6 * patch_mib * MiB + 2048 * MiB ))
}

measure_throughput() {
  local t endpoint
  start_rounds "B. throughput: one $patch_mib MiB PATCH over $transports: this service, @tus/server + @tus/s3-store, one PUT straight to RGW"
  for t in $transports; do
    endpoint=$S3_ENDPOINT
    [ "$t" = https ] && endpoint=$S3_TLS_ENDPOINT
    add_sut "sut-$t" "TusCluster, $t ($part_mib MiB parts, $max_concurrent_parts in flight)" "$endpoint" "$part_mib" "$max_concurrent_parts"
    if [ "$t" = https ]; then
      add_sut "sut-$t-signed" "TusCluster, https, payload signed (UnsignedPayloadOverHttps=false)" "$endpoint" \
        "$part_mib" "$max_concurrent_parts" --Tus:Storage:S3:UnsignedPayloadOverHttps=false
    fi
    add_peer "peer-$t" "@tus/server + @tus/s3-store, $t (8 MiB parts, 60 in flight)" "$endpoint"
    add_role "put-$t" put "$endpoint" "one PUT of the file straight to RGW, $t (curl, the ceiling)"
  done
  run_rounds "$file"
  stop_all
}

# Measurement C: the part size and parts in flight, each setting its own replica on one RGW over
# https, interleaved with a bare PUT of the same file (the ceiling) in every round.
measure_sweep() {
  local setting part inflight
  start_rounds "C. sweep over https: $sweep (part MiB x parts in flight), one $patch_mib MiB PATCH each"
  for setting in $sweep; do
    part=${setting%x*} inflight=${setting#*x}
    add_sut "sweep-$setting" "TusCluster, https, $part MiB parts, $inflight in flight" "$S3_TLS_ENDPOINT" "$part" "$inflight"
  done
  add_role "put-https" put "$S3_TLS_ENDPOINT" "one PUT of the file straight to RGW, https (curl, the ceiling)"
  run_rounds "$file"
  stop_all
}

busy_before=$(awk 'NR == 1 { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
sleep 2
busy_before=$(awk -v b="$busy_before" 'NR == 1 { split(b, p, " "); busy = $2 + $3 + $4 + $7 + $8 + $9 - p[1]; idle = $5 + $6 - p[2]; printf "%.0f", 100 * busy / (busy + idle) }' /proc/stat)
log "machine CPU busy before the start: $busy_before % of $(nproc) cores"

case "$only" in
  memory) measure_memory ;;
  throughput) measure_throughput ;;
  sweep) measure_sweep ;;
  "") measure_memory; mem_done=1; measure_throughput ;;
  *) echo "--only memory, throughput or sweep" >&2; exit 2 ;;
esac

echo
echo "S3 store on Ceph RGW (memstore), $(nproc) cores, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ); CPU busy before start: $busy_before %"
if [ "$only" = memory ] || [ -n "${mem_done:-}" ]; then
  echo "A. memory, $mem_files x $size_mib MiB at once, $chunk_mib MiB PATCHes, one replica (median of $repeat):"
  printf '   %-58s %6s MiB\n' "idle RSS (after start-up)" "$mem_idle"
  printf '   %-58s %6s MiB\n' "peak RSS (VmHWM)" "$mem_hwm"
  printf '   %-58s %6s MiB\n' "peak RSS (VmRSS sampled every 100 ms)" "$mem_sampled"
  printf '   %-58s %6s MiB\n' "part buffers bound $mem_files x ($max_concurrent_parts + 1) x $((part_size / MiB)) MiB" "$mem_bound"
  printf '   %-58s %6s MiB\n' "bound + idle" "$((mem_bound + ${mem_idle%.*}))"
  printf '   %-58s %6s\n' "peak / (bound + idle)" "$(awk -v p="$mem_hwm" -v b="$mem_bound" -v i="$mem_idle" 'BEGIN { printf "%.2f", p / (b + i) }')"
  echo "   runs: $mem_runs"
  if [ "$mem_files" -lt "$requested_files" ]; then
    echo "   NOTE: $mem_files files, not $requested_files: $requested_files x $size_mib MiB did not fit Ceph's memstore in this machine's RAM"
  fi
fi
if [ "$only" = throughput ] || [ -z "$only" ]; then
  echo "B. throughput, one $patch_mib MiB single PATCH (median of $repeat, MB/s = 10^6 bytes/s; rounds interleaved):"
  print_roles
  for t in $transports; do
    printf '   %-66s %8s\n' "ratio TusCluster / @tus/s3-store, $t (target >= 1.5)" "$(ratio "sut-$t" "peer-$t")"
    printf '   %-66s %8s\n' "ratio TusCluster / one PUT straight to RGW, $t (target >= 0.80)" "$(ratio "sut-$t" "put-$t")"
    printf '   %-66s %8s\n' "ratio @tus/s3-store / one PUT straight to RGW, $t" "$(ratio "peer-$t" "put-$t")"
  done
  case " $transports " in *" https "*)
    printf '   %-66s %8s\n' "ratio unsigned / signed payload, https" "$(ratio sut-https sut-https-signed)" ;;
  esac
fi
if [ "$only" = sweep ]; then
  echo "C. part size x parts in flight over https, one $patch_mib MiB single PATCH (median of $repeat, MB/s; rounds interleaved):"
  print_roles
  for setting in $sweep; do
    printf '   %-66s %8s\n' "ratio $setting / one PUT straight to RGW" "$(ratio "sweep-$setting" put-https)"
  done
fi
