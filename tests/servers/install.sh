#!/usr/bin/env bash
# Installs the real servers the test suite starts (Debian packages), when they are missing.
# Needs root or sudo; a machine that already has them is left alone.
set -euo pipefail

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
# The Sentinel failover test of the Redis coordination.
command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
command -v etcd >/dev/null || missing+=(etcd-server)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v prometheus >/dev/null || missing+=(prometheus)
# A real S3 (Ceph RADOS Gateway on a throw-away memstore cluster, see ceph-rgw.sh): about 350 MB.
command -v radosgw >/dev/null || missing+=(radosgw)
command -v ceph-mon >/dev/null || missing+=(ceph-mon)
command -v ceph-osd >/dev/null || missing+=(ceph-osd)
command -v ceph >/dev/null || missing+=(ceph-common)
# XFS with reflink on a loop device (ReflinkVolume): the file store's concatenation shares extents there.
command -v mkfs.xfs >/dev/null || missing+=(xfsprogs)
# filefrag (FIEMAP) shows that the final's extents are shared.
command -v filefrag >/dev/null || missing+=(e2fsprogs)
# The demo page's browser test: Debian's chromium, driven by playwright-core (tests/browser), no browser download.
command -v chromium >/dev/null || missing+=(chromium)
# The operator's kubectl tests (tests/TusCluster.Operator.Tests/Kubectl) run kubectl against the fake API server.
command -v kubectl >/dev/null || missing+=(kubernetes-client)
# Hook receivers: the HTTP receiver (stdlib) and the gRPC receiver built from tusd's hook.proto at test time.
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c "import grpc" 2>/dev/null || missing+=(python3-grpcio)
/usr/bin/python3 -c "import grpc_tools.protoc" 2>/dev/null || missing+=(python3-grpc-tools)
# AMQP hooks: a broker and a real Celery worker (Debian's interpreter, /usr/bin/python3, must import celery).
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
/usr/bin/python3 -c 'import celery' 2>/dev/null || missing+=(python3-celery)
# The PostgreSQL coordination: Debian's server (its binaries live in /usr/lib/postgresql/<version>/bin, off PATH).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
# DynamoDB transactions (the event outbox): dynalite has none, so those tests run moto's server, which
# comes with the machine image (pip); PyPI is not reachable to install it here.
command -v moto_server >/dev/null || { echo "moto_server is missing: the DynamoDB outbox tests need moto (pip install 'moto[server]')" >&2; exit 1; }
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing test servers: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

# The tests start their own rabbitmq-server nodes (own epmd on a private port, free ports, temp directories), never
# the packaged service. Where the install itself started that service (a machine whose policy-rc.d allows it), stop
# and disable it again, so that no broker and no epmd of ours keep running; a service that ran before is left alone.
if [[ " ${missing[*]} " == *" rabbitmq-server "* ]] && pgrep -u rabbitmq -x beam.smp >/dev/null; then
  echo "stopping the rabbitmq-server service that the install started"
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now rabbitmq-server.service
    # Erlang's socket-activated epmd.socket (port 4369) may stay: the tests' nodes use their own epmd on a free port.
  else
    $sudo /etc/init.d/rabbitmq-server stop
    $sudo update-rc.d rabbitmq-server disable 2>/dev/null || true
    # The init script leaves the epmd that the node started (as user rabbitmq) running.
    for epmd_pid in $(pgrep -u rabbitmq -x epmd || true); do
      $sudo kill "$epmd_pid"
    done
  fi
fi

# Likewise the tests start their own PostgreSQL (initdb in a temporary directory, a free port): never the packaged
# cluster. Where the install started its service, stop and disable it; a service that ran before is left alone.
if [[ " ${missing[*]} " == *" postgresql "* ]] && pgrep -u postgres -x postgres >/dev/null; then
  echo "stopping the postgresql service that the install started"
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now postgresql.service
  else
    $sudo /etc/init.d/postgresql stop
    $sudo update-rc.d postgresql disable 2>/dev/null || true
  fi
fi
