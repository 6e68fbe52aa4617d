# cluster.sh - sourced by the load scripts: start a coordination server, upload-service replicas and an
# nginx round-robin balancer on free loopback ports. Callers own a work directory ($work) and stop what
# they started by the PIDs these functions leave in variables (never by name).
#
#   free_port                              prints a free loopback TCP port
#   backend_start <redis|etcd|dynamodb|postgres> <port>   sets backend_pid and backend_args (array of --Tus:... args)
#                                          BACKEND_PERSIST=1 keeps its data across a restart: Redis an
#                                          fsync-always append-only file, dynalite a LevelDB directory
#                                          (etcd and postgres always keep their data directory;
#                                          PG_LOG_STATEMENTS=1 logs every statement postgres runs)
#   replica_start <port> <log> [args...]   starts one replica sharing $work/store; sets started_pid
#   wait_ready <port>                      waits up to 10 s for /readyz
#   nginx_start <port> <upstream ports...> sets nginx_pid (stop it with SIGTERM so its workers go too)

service_dll=services/TusCluster.UploadService/bin/Release/net10.0/TusCluster.UploadService.dll

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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
    *) echo "unknown backend $name (redis, etcd, dynamodb or postgres)" >&2; return 2 ;;
  esac
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
