#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the storage tests and print its SQLAlchemy URL:
#   export DATABASE_URL_PG=$(.ci/pg-up.sh)      ...      .ci/pg-down.sh
# Needs root (installs postgresql with apt-get if missing; the server runs as `postgres`,
# which PostgreSQL requires). PGPORT and PGROOT choose the port and the data folder, so
# several clusters (one per test session) can run side by side. fsync is off: test data only.
set -euo pipefail
PGPORT="${PGPORT:-55432}"; PGROOT="${PGROOT:-/tmp/pgci}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"   # || true: pipefail
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-up: installing postgresql ..." >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
rm -rf "$PGROOT"; mkdir -p "$PGROOT"; chown postgres:postgres "$PGROOT"; chmod 700 "$PGROOT"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGROOT/initdb.log"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE comparator_test"
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/comparator_test"
