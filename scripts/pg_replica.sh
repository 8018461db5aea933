#!/usr/bin/env bash
# A local PostgreSQL streaming replica of the local primary, for the replica tests
# (tests/test_replica.py) and for trying the read router by hand.
#
#   scripts/pg_replica.sh          # create (first run) or start the replica; wait until it streams
#   scripts/pg_replica.sh rebuild  # throw the replica away and copy the primary afresh
#   scripts/pg_replica.sh stop     # stop it (the slot keeps at most REPLICA_MAX_WAL of WAL)
#   scripts/pg_replica.sh drop     # remove the cluster and its replication slot
#
# Runs as root (Debian's pg_createcluster / pg_ctlcluster; commands run as the postgres user).
# Idempotent: a second run only starts what is stopped. Then
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<database>
#
# What it changes on the primary (docs/scaling.md, "Replica for tests"), each only when missing:
# - pg_hba.conf: "host replication all 127.0.0.1/32 trust" (the primary's "all" does not cover
#   replication connections), then a reload;
# - ALTER SYSTEM SET max_slot_wal_keep_size (REPLICA_MAX_WAL, default 1GB), then a reload: the
#   replica's slot keeps the WAL it has not received yet, so a stopped replica catches up on start,
#   but never more than this (a slot past it is invalidated and the next run rebuilds).
# wal_level (replica), max_wal_senders and hot_standby are PostgreSQL's defaults and are checked.
set -euo pipefail

VERSION="${PG_VERSION:-15}"
PRIMARY_CLUSTER="${PRIMARY_CLUSTER:-main}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
CLUSTER="${REPLICA_CLUSTER:-replica}"
PORT="${REPLICA_PORT:-5433}"
SLOT="${REPLICA_SLOT:-sanpin_replica}"
MAX_WAL="${REPLICA_MAX_WAL:-1GB}"
DATA="/var/lib/postgresql/${VERSION}/${CLUSTER}"
CONF="/etc/postgresql/${VERSION}/${CLUSTER}"
PRIMARY_HBA="/etc/postgresql/${VERSION}/${PRIMARY_CLUSTER}/pg_hba.conf"

primary() { psql -X -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atqc "$1"; }
replica() { psql -X -h 127.0.0.1 -p "$PORT" -U postgres -Atqc "$1"; }
as_postgres() { runuser -u postgres -- "$@"; }
ctl() { pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" "$1"; }
exists() { [ -d "$CONF" ] && [ -f "$DATA/PG_VERSION" ]; }
running() { pg_lsclusters -h | awk -v c="$CLUSTER" -v v="$VERSION" '$1==v && $2==c {print $4}' | grep -q online; }

prepare_primary() {
  if [ "$(primary 'SHOW wal_level')" = "minimal" ]; then
    echo "The primary has wal_level = minimal: set it to replica and restart the primary." >&2
    exit 1
  fi
  if [ "$(primary 'SHOW max_wal_senders')" -lt 2 ]; then
    echo "The primary allows fewer than 2 WAL senders (max_wal_senders); raise it and restart." >&2
    exit 1
  fi
  local reload=""
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' \
      "$PRIMARY_HBA"; then
    printf '\n# Local streaming replica (scripts/pg_replica.sh)\nhost replication all 127.0.0.1/32 trust\n' \
      >> "$PRIMARY_HBA"
    reload=1
  fi
  if [ "$(primary 'SHOW max_slot_wal_keep_size')" = "-1" ]; then
    primary "ALTER SYSTEM SET max_slot_wal_keep_size = '${MAX_WAL}'"
    reload=1
  fi
  if [ -n "$reload" ]; then
    primary 'SELECT pg_reload_conf()' >/dev/null
    sleep 1
  fi
}

ensure_slot() {
  if [ -z "$(primary "SELECT 1 FROM pg_replication_slots WHERE slot_name = '${SLOT}'")" ]; then
    primary "SELECT pg_create_physical_replication_slot('${SLOT}', true)" >/dev/null
  fi
}

drop_slot() {
  if [ -n "$(primary "SELECT 1 FROM pg_replication_slots WHERE slot_name = '${SLOT}'")" ]; then
    primary "SELECT pg_drop_replication_slot('${SLOT}')" >/dev/null
  fi
}

create() {
  echo "Creating the replica cluster ${VERSION}/${CLUSTER} on port ${PORT} from 127.0.0.1:${PRIMARY_PORT}"
  if [ -d "$CONF" ]; then  # left half-made by an interrupted run
    pg_dropcluster "$VERSION" "$CLUSTER"
  fi
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >/dev/null
  # The same loopback trust as the primary (test and bench connections, no passwords).
  cat > "$CONF/pg_hba.conf" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF
  cat > "$CONF/conf.d/replica.conf" <<'EOF'
# Streaming replica for tests (scripts/pg_replica.sh).
listen_addresses = '127.0.0.1'
hot_standby = on
# Report the oldest snapshot in use to the primary, so long statistics queries on the replica are
# not cancelled by the vacuum of rows they still read.
hot_standby_feedback = on
EOF
  # Empty the new cluster's data directory (it stays, owned by postgres) and copy the primary into it.
  find "$DATA" -mindepth 1 -delete
  ensure_slot
  # -R writes primary_conninfo and standby.signal; -X stream takes the WAL of the copy alongside.
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" -R -X stream -S "$SLOT" \
    --checkpoint=fast
  # ALTER SYSTEM settings copied from the primary (postgresql.auto.conf) stay; the port is the
  # cluster's own (postgresql.conf in $CONF).
  chmod 700 "$DATA"
}

wait_streaming() {
  for _ in $(seq 1 60); do
    if [ "$(replica 'SELECT pg_is_in_recovery()' 2>/dev/null || true)" = "t" ] &&
       [ "$(replica "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null || true)" = "streaming" ]; then
      # Replay may have been left paused by an interrupted lag test.
      if [ "$(replica 'SELECT pg_is_wal_replay_paused()')" = "t" ]; then
        replica 'SELECT pg_wal_replay_resume()' >/dev/null
      fi
      echo "Replica ${VERSION}/${CLUSTER} streams from the primary on 127.0.0.1:${PORT}"
      wait_replayed
      return 0
    fi
    sleep 1
  done
  return 1
}

wait_replayed() {
  # A replica that was stopped replays the WAL its slot kept (up to REPLICA_MAX_WAL) before it
  # shows what the primary holds now; callers expect today's databases on it.
  local lsn
  lsn="$(primary 'SELECT pg_current_wal_lsn()')"
  for _ in $(seq 1 600); do
    if [ "$(replica "SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn")" = "t" ]; then
      return 0
    fi
    sleep 0.5
  done
  echo "The replica did not replay up to ${lsn} within 5 minutes" >&2
  return 1
}

drop() {
  if [ -d "$CONF" ]; then
    running && ctl stop || true
    pg_dropcluster "$VERSION" "$CLUSTER"
  fi
  drop_slot
}

up() {
  prepare_primary
  if ! exists; then
    create
  fi
  running || ctl start
  if ! wait_streaming; then
    # Typically a slot invalidated past max_slot_wal_keep_size while the replica was stopped.
    echo "The replica does not stream (see /var/log/postgresql/postgresql-${VERSION}-${CLUSTER}.log); rebuilding" >&2
    drop
    create
    ctl start
    wait_streaming
  fi
}

case "${1:-up}" in
  up) up ;;
  rebuild) drop; up ;;
  stop) if exists && running; then ctl stop; fi ;;
  drop) drop ;;
  *) echo "usage: $0 [up|rebuild|stop|drop]" >&2; exit 2 ;;
esac
