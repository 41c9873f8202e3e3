#!/usr/bin/env bash
# ceph-s3.sh start|stop — the S3 server the S3 storage tests run against: Ceph's RADOS Gateway on a one-node Ceph
# cluster (Debian packages, installed by ceph-s3/start.sh when missing), all on 127.0.0.1. ./test.sh runs it before
# and after `dotnet test`; run it by hand before `dotnet test tests/OciRegistry.Storage.Tests`.
#
# start writes the connection settings (S3_ENDPOINT, S3_ACCESS_KEY, ...) to $OCIREGISTRY_SERVICES_DIR/ceph-s3/s3.env
# (default /tmp/ociregistry-services), where the tests read them (tests/OciRegistry.Storage.Tests/S3/CephS3Server.cs).
# The objects live in the OSD's memory (memstore: 3 s to start instead of 8 s for bluestore, and any folder works,
# tmpfs too); stop ends the daemons and deletes the folder, objects included.
# Settings: S3_PORT (default 7480; the server takes the 10 ports S3_PORT..S3_PORT+9), S3_OBJECTSTORE, S3_DISK_GB.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${OCIREGISTRY_SERVICES_DIR:-/tmp/ociregistry-services}/ceph-s3"

case "${1:-}" in
  start)
    mkdir -p "$state"
    S3_OBJECTSTORE="${S3_OBJECTSTORE:-memstore}" S3_DISK_GB="${S3_DISK_GB:-4}" \
      "$here/ceph-s3/start.sh" "$state" >/dev/null
    echo "ceph-s3.sh: S3 server ready, settings in $state/s3.env" >&2
    ;;
  stop)
    "$here/ceph-s3/stop.sh" "$state" --purge
    ;;
  *)
    echo "usage: ceph-s3.sh start|stop" >&2
    exit 2
    ;;
esac
