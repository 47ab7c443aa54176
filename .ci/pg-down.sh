#!/usr/bin/env bash
# Stop the cluster .ci/pg-up.sh started (same PGROOT) and delete its data.
set -euo pipefail
PGROOT="${PGROOT:-/tmp/pgci}"; PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if [ -f "$PGROOT/data/postmaster.pid" ]; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w -t 30 stop >/dev/null
fi
rm -rf "$PGROOT"
