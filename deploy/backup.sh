#!/usr/bin/env bash
# Nightly backup of sanpin: a PostgreSQL dump in custom format and a snapshot of the local media
# files, keeping the newest SANPIN_BACKUP_KEEP of each. Restore: docs/operations.md.
#
# Run by deploy/systemd/sanpin-backup.service with /etc/sanpin/sanpin.env loaded. By hand:
#     sudo -u sanpin bash -c 'set -a; . /etc/sanpin/sanpin.env; set +a; /srv/sanpin/deploy/backup.sh'
#
# Reads: DATABASE_URL (PostgreSQL), SANPIN_VAR_DIR (media in $SANPIN_VAR_DIR/media), S3_BUCKET
# (media in object storage: not copied here), SANPIN_BACKUP_DIR, SANPIN_BACKUP_KEEP.
# Needs pg_dump of the server's major version (or newer) and rsync.
set -euo pipefail
umask 077

here=$(cd "$(dirname "$0")/.." && pwd)
python=${SANPIN_PYTHON:-$here/.venv/bin/python}
backup_dir=${SANPIN_BACKUP_DIR:-/var/backups/sanpin}
keep=${SANPIN_BACKUP_KEEP:-14}
var_dir=${SANPIN_VAR_DIR:-/var/lib/sanpin}
stamp=$(date +%Y%m%d-%H%M%S)

log() { printf '%s %s\n' "$(date '+%F %T')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

[[ $keep =~ ^[1-9][0-9]*$ ]] || die "SANPIN_BACKUP_KEEP must be a whole number above 0 (got '$keep')"
[[ -n ${DATABASE_URL:-} ]] || die "DATABASE_URL is not set: load /etc/sanpin/sanpin.env first"
command -v pg_dump >/dev/null || die "pg_dump not found: install postgresql-client"

# Connection settings go to pg_dump as PG* environment variables, read from DATABASE_URL the same
# way the application reads it, so the password never appears on a command line.
pg_env=$("$python" - <<'PY'
import os
import shlex

import dj_database_url

db = dj_database_url.parse(os.environ["DATABASE_URL"])
if db["ENGINE"] != "django.db.backends.postgresql":
    raise SystemExit("DATABASE_URL is not a PostgreSQL database: this script backs up PostgreSQL only")
options = db.get("OPTIONS", {})
values = {
    "PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER"),
    "PGPASSWORD": db.get("PASSWORD"), "PGDATABASE": db.get("NAME"),
    "PGSSLMODE": options.get("sslmode"), "PGSSLROOTCERT": options.get("sslrootcert"),
}
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(str(value))}")
PY
) || die "cannot read DATABASE_URL"
eval "$pg_env"

mkdir -p "$backup_dir/db" "$backup_dir/media"
# Leftovers of an interrupted run are never mistaken for backups.
rm -rf "$backup_dir"/db/*.partial "$backup_dir"/media/*.partial

# 1. Database. The custom format is compressed and lets pg_restore load into a fresh database.
dump="$backup_dir/db/sanpin-$stamp.dump"
pg_dump --format=custom --no-password --file="$dump.partial"
pg_restore --list "$dump.partial" >/dev/null || die "the dump cannot be read back: $dump.partial"
mv "$dump.partial" "$dump"
log "database: $dump ($(du -h "$dump" | cut -f1))"

# 2. Media files. Each night is a full dated snapshot in which files unchanged since the previous
#    snapshot are hard links to it, so a night costs only what changed and any snapshot restores alone.
if [[ -n ${S3_BUCKET:-} ]]; then
  log "media: in object storage (bucket $S3_BUCKET), not copied; rely on the bucket's versioning and replication"
elif [[ -d $var_dir/media ]]; then
  command -v rsync >/dev/null || die "rsync not found: install rsync"
  previous=$(find "$backup_dir/media" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' ! -name '*.partial' | sort | tail -n 1)
  snapshot="$backup_dir/media/$stamp"
  rsync -a ${previous:+--link-dest="$previous"} "$var_dir/media/" "$snapshot.partial/"
  mv "$snapshot.partial" "$snapshot"
  log "media: $snapshot ($(find "$snapshot" -type f | wc -l) files)"
else
  log "media: no directory $var_dir/media yet, nothing to copy"
fi

# 3. Retention: keep the newest $keep dumps and snapshots (names sort by date).
prune() {
  find "$1" -mindepth 1 -maxdepth 1 -name "$2" ! -name '*.partial' -print0 \
    | sort -z | head -z -n "-$keep" | xargs -0 -r rm -rf --
}
prune "$backup_dir/db" 'sanpin-*.dump'
prune "$backup_dir/media" '[0-9]*'
log "kept the newest $keep of each in $backup_dir"
