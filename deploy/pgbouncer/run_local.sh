#!/usr/bin/env bash
# pgbouncer in transaction mode in front of the local PostgreSQL, to run the application or a part
# of the test suite through it (docs/scaling.md, "pgbouncer"). Any database name passes through to
# 127.0.0.1:5432 with the caller's user; loopback trust as on the development server.
#
#   deploy/pgbouncer/run_local.sh        # start on 127.0.0.1:6432 (PGBOUNCER_PORT), if not running
#   deploy/pgbouncer/run_local.sh stop
#
# Needs Debian's pgbouncer (apt-get install -y pgbouncer). pgbouncer refuses to run as root: as root
# it is started as the postgres user.
set -euo pipefail

PORT="${PGBOUNCER_PORT:-6432}"
DIR="${PGBOUNCER_DIR:-${TMPDIR:-/tmp}/sanpin-pgbouncer-${PORT}}"
INI="$DIR/pgbouncer.ini"

run() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
running() { [ -f "$DIR/pgbouncer.pid" ] && kill -0 "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null; }

case "${1:-start}" in
  stop)
    if running; then kill "$(cat "$DIR/pgbouncer.pid")"; fi
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed: apt-get install -y pgbouncer" >&2; exit 1; }
if running; then
  echo "pgbouncer already listens on 127.0.0.1:${PORT}"
  exit 0
fi
mkdir -p "$DIR"
cat > "$INI" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${PORT}
unix_socket_dir =
auth_type = trust
auth_file = ${DIR}/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = ${DIR}/pgbouncer.log
pidfile = ${DIR}/pgbouncer.pid
admin_users = postgres
INI
# With auth_type trust the user must still be listed.
printf '"postgres" ""\n' > "$DIR/userlist.txt"
[ "$(id -u)" = "0" ] && chown -R postgres: "$DIR"
run pgbouncer -d "$INI"
for _ in $(seq 1 20); do
  if psql -X -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
    echo "pgbouncer (transaction mode) listens on 127.0.0.1:${PORT}"
    exit 0
  fi
  sleep 0.5
done
echo "pgbouncer did not start; see $DIR/pgbouncer.log" >&2
exit 1
