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
# Hook receivers: the HTTP receiver (stdlib) and the gRPC receiver built from tusd's hook.proto at test time.
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c "import grpc" 2>/dev/null || missing+=(python3-grpcio)
/usr/bin/python3 -c "import grpc_tools.protoc" 2>/dev/null || missing+=(python3-grpc-tools)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing test servers: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
