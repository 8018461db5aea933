"""gunicorn settings for sanpin behind nginx (deploy/nginx/sanpin.conf).

Started by deploy/systemd/sanpin-web.service:
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Only the worker count can be tuned from the environment (GUNICORN_WORKERS); everything the
application itself reads comes from /etc/sanpin/sanpin.env through config/settings.py.
"""

import multiprocessing
import os

# nginx on the same host is the only client; nothing else should reach the port.
bind = "127.0.0.1:8001"

# Sync workers: requests are short database round trips. Two per CPU plus one keeps the CPUs busy
# while some workers wait on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer than this is stuck, not slow: the worker is killed and replaced.
# Slow work (documents, imports of many rows, pushes to other systems) belongs in Celery.
timeout = 60
# On restart or reload a worker may finish its current request for this long.
graceful_timeout = 30

# Recycle each worker after a number of requests (with jitter so they do not all restart together),
# which bounds the memory any slow leak can take.
max_requests = 2000
max_requests_jitter = 200

# Trust X-Forwarded-* only from nginx on this host.
forwarded_allow_ips = "127.0.0.1,::1"

# The control socket (gunicornc) goes in the runtime directory systemd creates for the unit.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

# Logs go to stdout/stderr, which systemd sends to the journal: `journalctl -u sanpin-web`.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The client address from nginx (X-Real-IP), the request, status, size, referrer, user agent and
# the time taken: %(L)s is the request time in seconds with microseconds.
access_log_format = (
    '%({x-real-ip}i)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s'
)

proc_name = "sanpin-web"
