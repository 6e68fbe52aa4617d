# cluster.sh - sourced by the load scripts: start a coordination server, upload-service replicas and an
# nginx round-robin balancer on free loopback ports. Callers own a work directory ($work) and stop what
# they started by the PIDs these functions leave in variables (never by name).
#
#   free_port                              prints a free loopback TCP port
#   backend_start <redis|etcd|dynamodb|dynamodb-moto|postgres|s3> <port>   sets backend_pid and backend_args (array of --Tus:... args)
#                                          BACKEND_PERSIST=1 keeps its data across a restart: Redis an
#                                          fsync-always append-only file, dynalite a LevelDB directory
#                                          (etcd and postgres always keep their data directory;
#                                          PG_LOG_STATEMENTS=1 logs every statement postgres runs).
#                                          dynamodb-moto: DynamoDB on moto's server, which has the
#                                          TransactWriteItems that a commit with hook events needs
#                                          (dynalite has none); in memory only, so a restart loses
#                                          everything (chaos.sh refuses backend restarts with it).
#                                          s3: Ceph RGW (s3_start) on a port of its own choosing, the
#                                          coordination under coordination/ in the bucket tus-cluster;
#                                          after backend_kill it starts the same gateway again (same
#                                          port and data)
#   backend_kill <name>                    SIGKILL the backend by its PID, as a crash would (s3: only the
#                                          gateway; the Ceph cluster behind it keeps the data)
#   s3_start                               a throw-away Ceph RGW in $work/ceph (once; then nothing); sets
#                                          s3_endpoint, s3_region, s3_access_key, s3_secret_key. Stop it
#                                          with `tests/servers/ceph-rgw.sh stop $work/ceph` (by its PIDs)
#   s3_args <Storage|Coordination>         prints the S3 connection arguments of that section, one a line
#   replica_start <port> <log> [args...]   starts one replica sharing $work/store; sets started_pid
#   wait_ready <port>                      waits up to 10 s for /readyz
#   nginx_start <port> <upstream ports...> sets nginx_pid (stop it with SIGTERM so its workers go too)

service_dll=services/TusCluster.UploadService/bin/Release/net10.0/TusCluster.UploadService.dll

free_port() { python3 "$(dirname "${BASH_SOURCE[0]}")/../../tests/servers/free-ports.py"; }

backend_start() {
  local name=$1 port=$2
  case "$name" in
    redis)
      local persist=(--appendonly no)
      [ "${BACKEND_PERSIST:-0}" = 1 ] && persist=(--appendonly yes --appendfsync always)
      redis-server --port "$port" --bind 127.0.0.1 --save "" "${persist[@]}" --dir "$work" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=Redis "--Tus:Coordination:Redis:Endpoint=127.0.0.1:$port")
      _wait_for 'redis-cli -p '"$port"' ping 2>/dev/null | grep -q PONG' ;;
    etcd)
      local peer=${ETCD_PEER_PORT:-$(free_port)}
      etcd --name default --data-dir "$work/etcd" \
        --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "default=http://127.0.0.1:$peer" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=Etcd "--Tus:Coordination:Etcd:Endpoints:0=http://127.0.0.1:$port")
      _wait_for 'curl -sf -X POST http://127.0.0.1:'"$port"'/v3/maintenance/status -d "{}" >/dev/null' ;;
    dynamodb)
      local path=()
      [ "${BACKEND_PERSIST:-0}" = 1 ] && path=(--path "$work/dynalite")
      [ -d tests/servers/dynalite/node_modules/dynalite ] || (cd tests/servers/dynalite && npm ci --no-audit --no-fund >&2)
      node tests/servers/dynalite/dynalite.mjs --port "$port" "${path[@]}" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=DynamoDb "--Tus:Coordination:DynamoDb:ServiceUrl=http://127.0.0.1:$port"
        --Tus:Coordination:DynamoDb:CreateTable=true --Tus:Coordination:DynamoDb:AccessKey=bench --Tus:Coordination:DynamoDb:SecretKey=bench)
      _wait_for 'curl -sf -o /dev/null http://127.0.0.1:'"$port"'/__requests' ;;
    dynamodb-moto)
      moto_server -H 127.0.0.1 -p "$port" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=DynamoDb "--Tus:Coordination:DynamoDb:ServiceUrl=http://127.0.0.1:$port"
        --Tus:Coordination:DynamoDb:CreateTable=true --Tus:Coordination:DynamoDb:AccessKey=bench --Tus:Coordination:DynamoDb:SecretKey=bench)
      _wait_for 'curl -sf -o /dev/null http://127.0.0.1:'"$port"'/moto-api/' || return 1
      # moto loads a service on its first request, which takes seconds: not within a replica's request timeout.
      curl -s -o /dev/null --max-time 60 -X POST -H 'Content-Type: application/x-amz-json-1.0' \
        -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -d '{}' "http://127.0.0.1:$port/" ;;
    postgres)
      # Debian's binaries are off PATH; postgres refuses root, so under root it runs as the package's user (setpriv
      # execs: backend_pid is the postmaster's own). initdb only the first time: a restart keeps the data.
      local bin as=() log_statements=()
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
      [ "$(id -u)" -eq 0 ] && as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
      if [ ! -d "$work/pg/data" ]; then
        mkdir -p "$work/pg"
        # $work is mktemp's 0700: postgres needs to pass through it to its own directory.
        [ "$(id -u)" -eq 0 ] && { chmod o+x "$work"; chown postgres:postgres "$work/pg"; }
        "${as[@]}" "$bin/initdb" -D "$work/pg/data" -U postgres --auth=trust --no-sync --no-locale -E UTF8 >>"$work/backend.log" 2>&1
      fi
      [ "${PG_LOG_STATEMENTS:-0}" = 1 ] && log_statements=(-c log_statement=all)
      "${as[@]}" "$bin/postgres" -D "$work/pg/data" -p "$port" -k "$work/pg" -c listen_addresses=127.0.0.1 \
        -c max_connections=300 "${log_statements[@]}" >>"$work/backend.log" 2>&1 &
      backend_pid=$!
      backend_args=(--Tus:Coordination:Provider=PostgreSql
        "--Tus:Coordination:PostgreSql:ConnectionString=Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
        --Tus:Coordination:PostgreSql:CreateSchema=true)
      _wait_for "$bin"'/pg_isready -q -h 127.0.0.1 -p '"$port"' -U postgres' ;;
    s3)
      # The port is the gateway's own (ceph-rgw.sh picks it). After backend_kill nothing answers on it (connection
      # refused, curl exit 7): the same gateway is started again on that port and data.
      s3_start || return 1
      local probe=0
      curl -s -o /dev/null --max-time 30 "$s3_endpoint/" || probe=$?
      if [ "$probe" = 7 ]; then
        tests/servers/ceph-rgw.sh start-rgw "$work/ceph" 2>>"$work/backend.log" || { tail -20 "$work/backend.log" >&2; return 1; }
      fi
      backend_pid=$(tail -1 "$work/ceph/pids")
      mapfile -t backend_args < <(s3_args Coordination)
      backend_args=(--Tus:Coordination:Provider=S3 "${backend_args[@]}") ;;
    *) echo "unknown backend $name (redis, etcd, dynamodb, dynamodb-moto, postgres or s3)" >&2; return 2 ;;
  esac
}

backend_kill() {
  if [ "$1" = s3 ]; then
    tests/servers/ceph-rgw.sh kill-rgw "$work/ceph" 2>>"$work/backend.log"
  else
    kill -9 "$backend_pid" 2>/dev/null
  fi
}

s3_start() {
  if [ ! -f "$work/ceph/env" ]; then
    # Memstore keeps objects in RAM; parts cut off by kills stay until the sweeper or RGW's garbage collector
    # removes them, so leave room for them (writes hang above 95 % of it).
    CEPH_MEMSTORE_BYTES=${CEPH_MEMSTORE_BYTES:-$((4 << 30))} tests/servers/ceph-rgw.sh start "$work/ceph" >/dev/null 2>>"$work/backend.log" \
      || { tail -20 "$work/backend.log" >&2; return 1; }
  fi
  s3_endpoint=$(sed -n 's/^S3_ENDPOINT=//p' "$work/ceph/env")
  s3_region=$(sed -n 's/^S3_REGION=//p' "$work/ceph/env")
  s3_access_key=$(sed -n 's/^S3_ACCESS_KEY=//p' "$work/ceph/env")
  s3_secret_key=$(sed -n 's/^S3_SECRET_KEY=//p' "$work/ceph/env")
}

# Store and coordination share the bucket tus-cluster (under their own key prefixes), as a cluster that has
# nothing but a bucket does; the settings are those Ceph needs (path-style addressing, no aws-chunked checksums).
s3_args() {
  local section=--Tus:$1:S3
  printf '%s\n' "$section:ServiceUrl=$s3_endpoint" "$section:Region=$s3_region" "$section:Bucket=tus-cluster" \
    "$section:ForcePathStyle=true" "$section:ChecksumCalculation=WhenRequired" "$section:AccessKey=$s3_access_key" \
    "$section:SecretKey=$s3_secret_key" "$section:CreateBucket=true"
}

_wait_for() {
  for _ in $(seq 1 100); do
    eval "$1" && return 0
    kill -0 "$backend_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "backend did not become ready:" >&2
  tail -20 "$work/backend.log" >&2
  return 1
}

replica_start() {
  local port=$1 log=$2
  shift 2
  dotnet "$service_dll" --urls "http://127.0.0.1:$port" \
    "--Tus:Storage:FileSystem:Root=$work/store/uploads" "--Tus:Coordination:Embedded:Directory=$work/store/meta" \
    --Tus:TrustedProxies:0=127.0.0.1 --Logging:LogLevel:Default=Warning "$@" >>"$log" 2>&1 &
  started_pid=$!
}

wait_ready() {
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.1
  done
  return 1
}

nginx_start() {
  local port=$1
  shift
  {
    echo "worker_processes 1; daemon off; pid $work/nginx.pid; events { worker_connections 2048; }"
    echo "http { access_log off; client_body_temp_path $work/nb; proxy_temp_path $work/np; fastcgi_temp_path $work/nf; uwsgi_temp_path $work/nu; scgi_temp_path $work/ns;"
    echo "  upstream tus {"
    for upstream in "$@"; do echo "    server 127.0.0.1:$upstream max_fails=0;"; done
    echo "    keepalive 64; }"
    # nginx passes a PATCH or POST to another replica only if the dead one refused the connection
    # (nothing was sent yet); a request that reached a replica is never replayed.
    echo "  server { listen 127.0.0.1:$port; client_max_body_size 0; proxy_request_buffering off; proxy_buffering off;"
    echo "    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host;"
    echo "    proxy_set_header X-Forwarded-Host \$http_host; proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "    proxy_next_upstream error timeout; location / { proxy_pass http://tus; } } }"
  } >"$work/nginx.conf"
  nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2
  return 1
}
