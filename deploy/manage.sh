#!/usr/bin/env bash
# Run a manage.py command with the production environment, e.g.
#     sudo -u sanpin /srv/sanpin/deploy/manage.sh migrate
# Reads the same file as the systemd units (SANPIN_ENV_FILE, default /etc/sanpin/sanpin.env).
set -euo pipefail
env_file=${SANPIN_ENV_FILE:-/etc/sanpin/sanpin.env}
[[ -r $env_file ]] || { echo "cannot read $env_file (run as the sanpin user or root)" >&2; exit 1; }
cd "$(dirname "$0")/.."
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
exec .venv/bin/python manage.py "$@"
