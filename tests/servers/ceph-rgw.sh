#!/usr/bin/env bash
# Throw-away single-node Ceph cluster with a RADOS Gateway (real S3) for tests.
#
#   tests/servers/ceph-rgw.sh start <data-dir>   start mon + memstore OSD + radosgw on free loopback
#                                                ports; prints S3_* settings and CEPH_PIDS as the
#                                                last lines of stdout and writes them to <data-dir>/env
#   tests/servers/ceph-rgw.sh stop <data-dir>    stop exactly the PIDs recorded in <data-dir>, then
#                                                remove <data-dir>
#   tests/servers/ceph-rgw.sh kill-rgw <data-dir>   SIGKILL only the gateway (mon and OSD keep the data)
#   tests/servers/ceph-rgw.sh start-rgw <data-dir>  start the gateway again on the same port
#
# Everything (ceph.conf, monmap, mon store, OSD dir, logs, sockets, pid list) lives under <data-dir>;
# /etc/ceph and /var/lib/ceph are never used. Daemons run as the current user. Progress goes to
# stderr; stdout carries only the settings. See tests/servers/README.md.
set -euo pipefail

S3_ACCESS_KEY=tusclustertest
S3_SECRET_KEY=tusclustersecret
S3_REGION=us-east-1
# OSD capacity (RAM, default 1 GiB; CEPH_MEMSTORE_BYTES overrides it); writes hang above 95 % of it
MEMSTORE_BYTES=${CEPH_MEMSTORE_BYTES:-$((1024 * 1024 * 1024))}
START_TIMEOUT=${CEPH_RGW_START_TIMEOUT:-60}  # seconds, per wait step
# How soon deleted objects are freed (rgw gc obj min wait and processor period); benchmarks that
# write many GiB into memstore lower it so that deleted uploads do not fill the machine's RAM.
GC_SECONDS=${CEPH_RGW_GC_SECONDS:-30}
# rgw_mp_lock_max_time: how long a CompleteMultipartUpload holds its lock on the upload. A gateway killed
# during a completion leaves the lock behind, and every later completion of that upload is answered 500
# "This multipart completion is already in progress" until it expires. Ceph's default (600) unless set;
# chaos.sh, which kills the gateway, lowers it so that such an upload can be read back within the run.
MP_LOCK_SECONDS=${CEPH_RGW_MP_LOCK_SECONDS:-600}

usage() { echo "usage: $0 start|stop|kill-rgw|start-rgw <data-dir>" >&2; exit 2; }
T0=$EPOCHREALTIME
# Progress on stderr, with the seconds since the script started.
elapsed() { local a=${EPOCHREALTIME//[.,]/} b=${T0//[.,]/}; local d=$(( (a - b) / 10000 )); printf '%d.%02d' $((d / 100)) $((d % 100)); }
log() { printf 'ceph-rgw: [%5ss] %s\n' "$(elapsed)" "$*" >&2; }

[ $# -eq 2 ] || usage
cmd=$1
[ -n "$2" ] || usage
# Absolute path: ceph.conf and the daemons must not depend on the caller's working directory.
data=$(realpath -m -- "$2")
case "$data" in
  /) echo "ceph-rgw: refusing to use / as data dir" >&2; exit 2 ;;
  *[[:space:]]*) echo "ceph-rgw: the data dir path must not contain whitespace (ceph.conf)" >&2; exit 2 ;;
esac

# A PID counts as ours only if it is alive and its command line names our ceph.conf
# (guards against PID reuse after a daemon died on its own).
is_ours() {
  local c
  c=$({ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null) || return 1
  [[ "$c " == *" --conf $data/ceph.conf "* ]]
}

# Exited daemons whose start script is gone are re-parented to PID 1 and stay <defunct> until it
# reaps them; give that up to 5 s so that a pgrep right after 'stop' is clean (never an error).
wait_reaped() {
  local p left
  for _ in $(seq 1 50); do
    left=""
    for p in "$@"; do [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] && left=1; done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  return 0
}

# stop_one <pid>: TERM, wait up to 10 s, then KILL. Only PIDs that are still ours are signalled.
stop_one() {
  local p=$1
  is_ours "$p" || return 0
  kill -TERM "$p" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    is_ours "$p" || return 0
    sleep 0.1
  done
  log "pid $p still running after 10 s, sending KILL"
  kill -KILL "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do
    is_ours "$p" || return 0
    sleep 0.1
  done
  log "could not stop pid $p"
  return 1
}

# Stop the PIDs listed in $data/pids one by one, newest first (radosgw, OSD, monitor): the OSD
# tells the monitor it is going down and would wait 5 s (osd_mon_shutdown_timeout) for a monitor
# that is already gone.
stop_pids() {
  [ -f "$data/pids" ] || return 0
  local pids p rc=0
  pids=$(tac "$data/pids")
  for p in $pids; do stop_one "$p" || rc=1; done
  # shellcheck disable=SC2086 # one argument per PID
  wait_reaped $pids
  return $rc
}

do_stop() {
  if [ ! -e "$data" ]; then
    log "$data does not exist, nothing to stop"
    return 0
  fi
  if [ ! -f "$data/ceph.conf" ] && [ ! -f "$data/pids" ]; then
    log "$data does not look like a ceph-rgw.sh data dir (no ceph.conf or pids); not touching it"
    return 1
  fi
  stop_pids
  rm -rf -- "$data"
  log "stopped and removed $data"
}

install_packages() {
  command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null &&
    command -v ceph >/dev/null && command -v radosgw-admin >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ceph-mon ceph-osd radosgw ceph-common (about 350 MB)"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    ceph-mon ceph-osd radosgw ceph-common >&2
}

# A test-only CA (made anew per cluster, under <data-dir>/tls) and the gateway's certificate for
# 127.0.0.1 and localhost, signed by it: clients trust the CA file, never "any certificate".
make_tls() {
  mkdir -p "$data/tls"
  local t=$data/tls
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=TusCluster test CA" \
      -keyout "$t/ca.key" -out "$t/ca.pem" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$t/rgw.key" -out "$t/rgw.csr" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$t/ext.cnf" &&
    openssl x509 -req -in "$t/rgw.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
      -extfile "$t/ext.cnf" -out "$t/rgw.pem"
  } >>"$data/log/setup.log" 2>&1 || { failed_log=$data/log/setup.log; fail "openssl could not make the test certificates"; }
}

# ---------------------------------------------------------------------------------------- start
started=""   # PIDs started so far (also appended to $data/pids)
failed_log=""

fail() {
  log "ERROR: $*"
  if [ -n "$failed_log" ] && [ -f "$failed_log" ]; then
    echo "---- last 40 lines of $failed_log ----" >&2
    tail -n 40 "$failed_log" >&2
    echo "----" >&2
  fi
  exit 1
}

on_start_exit() {
  local rc=$?
  [ $rc -eq 0 ] && return 0
  if [ -n "$started" ]; then
    log "start failed (exit $rc); stopping what was started:$started"
    stop_pids || true
  fi
  log "logs kept in $data/log; run '$0 stop $data' to remove the data dir"
  exit $rc
}

# spawn <name> <logfile> <cmd...>: run a daemon in the foreground as a background job; record its PID
# (in $started and $data/pids) and the log to show if it dies.
declare -A daemon_log=() daemon_name=()
spawn() {
  local name=$1 logf=$2
  shift 2
  "$@" </dev/null >>"$data/log/$name.out" 2>&1 &
  local pid=$!
  started="$started $pid"
  daemon_log[$pid]=$logf
  daemon_name[$pid]=$name
  echo "$pid" >>"$data/pids"
  LAST_PID=$pid
}

# wait_for <what> <test-cmd...>: poll until the test passes; fail if any started daemon dies.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + START_TIMEOUT)) p
  until "$@" >/dev/null 2>&1; do
    for p in $started; do
      if ! kill -0 "$p" 2>/dev/null; then
        failed_log=${daemon_log[$p]}
        [ -s "$failed_log" ] || failed_log="$data/log/${daemon_name[$p]}.out"
        fail "${daemon_name[$p]} (pid $p) exited while waiting for $what"
      fi
    done
    if [ $SECONDS -ge $deadline ]; then
      failed_log=${daemon_log[${started##* }]}
      fail "$what not ready after ${START_TIMEOUT}s"
    fi
    sleep 0.1
  done
}

osd_up_in() {
  ceph --connect-timeout 5 osd stat -f json 2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("osdmap", d); sys.exit(0 if d["num_up_osds"] >= 1 and d["num_in_osds"] >= 1 else 1)'
}

do_start() {
  install_packages
  command -v python3 >/dev/null || fail "python3 is needed (free ports, JSON)"
  command -v curl >/dev/null || fail "curl is needed (radosgw readiness check)"

  if [ -e "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
    log "$data exists and is not empty; stop it first or use a new dir"
    exit 1
  fi
  mkdir -p "$data"/{mon.a,osd.0,log,run,crash,rgw}
  : >"$data/pids"
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP

  local mon_port rgw_port rgw_tls_port fsid osd_uuid
  # Three distinct free loopback ports (CEPH_PORTS="mon rgw tls" when the caller reserved them, as the
  # .NET tests' FreePort does; else from free-ports.py) and two UUIDs.
  read -r mon_port rgw_port rgw_tls_port < <(if [ -n "${CEPH_PORTS:-}" ]; then echo "$CEPH_PORTS"; else python3 "$(dirname "$0")/free-ports.py" 3; fi)
  read -r fsid osd_uuid < <(python3 -c 'import uuid; print(uuid.uuid4(), uuid.uuid4())')
  make_tls

  # $name / $cluster below are Ceph metavariables, hence the escaping.
  cat >"$data/ceph.conf" <<EOF
# Generated by tests/servers/ceph-rgw.sh -- throw-away test cluster, not for production.
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
keyring = $data/keyring
run dir = $data/run
admin socket = $data/run/\$name.\$pid.asok
log file = $data/log/\$name.log
crash dir = $data/crash
log to stderr = false
err to stderr = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false

[mon]
mon data = $data/mon.\$id
paxos propose interval = 0.1
mon cluster log file = $data/log/\$cluster.\$channel.log
mon data avail warn = 1
mon data avail crit = 0

[osd]
osd data = $data/osd.\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES

[client.rgw.0]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port ssl_endpoint=127.0.0.1:$rgw_tls_port ssl_certificate=$data/tls/rgw.pem ssl_private_key=$data/tls/rgw.key
rgw data = $data/rgw
rgw gc obj min wait = $GC_SECONDS
rgw gc processor period = $GC_SECONDS
rgw mp lock max time = $MP_LOCK_SECONDS
EOF
  export CEPH_CONF="$data/ceph.conf"
  local conf=(--conf "$data/ceph.conf")

  # Monitor: monmap + store, then run in the foreground as a background job.
  log "data dir $data; mon 127.0.0.1:$mon_port, rgw 127.0.0.1:$rgw_port"
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$data/monmap" >>"$data/log/setup.log" 2>&1 ||
    { failed_log=$data/log/setup.log; fail "monmaptool failed"; }
  ceph-mon "${conf[@]}" --mkfs -i a --monmap "$data/monmap" >>"$data/log/setup.log" 2>&1 ||
    { failed_log=$data/log/setup.log; fail "ceph-mon --mkfs failed"; }
  spawn mon.a "$data/log/mon.a.log" ceph-mon "${conf[@]}" -f -i a
  local mon_pid=$LAST_PID

  # OSD (memstore): register it with the monitor (retried until the monitor answers; 'osd new'
  # with the same UUID is idempotent), mkfs, run.
  osd_new() { ceph --connect-timeout 2 osd new "$osd_uuid" >"$data/osd-id" 2>>"$data/log/setup.log"; }
  wait_for "ceph-mon ('ceph osd new')" osd_new
  [ "$(cat "$data/osd-id")" = 0 ] || fail "expected OSD id 0, got '$(cat "$data/osd-id")'"
  log "ceph-mon up (pid $mon_pid), osd.0 registered"
  ceph-osd "${conf[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$data/log/setup.log" 2>&1 ||
    { failed_log=$data/log/setup.log; fail "ceph-osd --mkfs failed"; }
  spawn osd.0 "$data/log/osd.0.log" ceph-osd "${conf[@]}" -f -i 0
  local osd_pid=$LAST_PID

  # RADOS Gateway, started right away: it waits for the OSD by itself while creating its pools
  # and the default zone.
  spawn client.rgw.0 "$data/log/client.rgw.0.log" radosgw "${conf[@]}" -f -n client.rgw.0
  local rgw_pid=$LAST_PID
  wait_for "radosgw on 127.0.0.1:$rgw_port" curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$rgw_port/"
  log "radosgw answers on 127.0.0.1:$rgw_port (pid $rgw_pid)"
  wait_for "radosgw TLS on 127.0.0.1:$rgw_tls_port" curl -sf -o /dev/null --max-time 2 --cacert "$data/tls/ca.pem" "https://127.0.0.1:$rgw_tls_port/"
  wait_for "osd.0 up and in" osd_up_in
  log "ceph-osd up and in (pid $osd_pid)"

  # The S3 user; nothing else (no buckets) is created.
  radosgw-admin "${conf[@]}" user create --uid="$S3_ACCESS_KEY" --display-name="TusCluster tests" \
    --access-key="$S3_ACCESS_KEY" --secret-key="$S3_SECRET_KEY" >>"$data/log/setup.log" 2>&1 ||
    { failed_log=$data/log/setup.log; fail "radosgw-admin user create failed"; }

  cat >"$data/env" <<EOF
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_TLS_ENDPOINT=https://127.0.0.1:$rgw_tls_port
S3_CA_FILE=$data/tls/ca.pem
S3_ACCESS_KEY=$S3_ACCESS_KEY
S3_SECRET_KEY=$S3_SECRET_KEY
S3_REGION=$S3_REGION
CEPH_PIDS="$mon_pid $osd_pid $rgw_pid"
EOF
  trap - EXIT INT TERM HUP
  log "ready (pids: mon $mon_pid, osd $osd_pid, rgw $rgw_pid)"
  cat "$data/env"
}

# ------------------------------------------------------------------- gateway outage (restart tests)
# kill-rgw: SIGKILL the running radosgw (as a crash would); the monitor and the OSD keep the data.
do_kill_rgw() {
  local p
  for p in $(tac "$data/pids"); do
    if is_ours "$p" && [[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" == radosgw* ]]; then
      kill -KILL "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do is_ours "$p" || break; sleep 0.1; done
      wait_reaped "$p"
      log "radosgw (pid $p) killed"
    fi
  done
}

# start-rgw: start radosgw again on the same port and data (after kill-rgw); its PID joins the list 'stop' stops.
do_start_rgw() {
  [ -f "$data/ceph.conf" ] && [ -f "$data/env" ] || { echo "ceph-rgw: no cluster in $data" >&2; exit 1; }
  export CEPH_CONF="$data/ceph.conf"
  local endpoint
  endpoint=$(sed -n 's/^S3_ENDPOINT=//p' "$data/env")
  spawn client.rgw.0 "$data/log/client.rgw.0.log" radosgw --conf "$data/ceph.conf" -f -n client.rgw.0
  wait_for "radosgw on $endpoint" curl -sf -o /dev/null --max-time 2 "$endpoint/"
  log "radosgw restarted (pid $LAST_PID)"
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  kill-rgw) do_kill_rgw ;;
  start-rgw) do_start_rgw ;;
  *) usage ;;
esac
