"""Benchmark: the public certificate verification and the 合格证 scan over HTTP, against a floor.

sanpin is served by gunicorn with deploy/gunicorn.conf.py (its workers, sync worker class,
max_requests, access log) bound to 127.0.0.1, with production settings from the environment
(SANPIN_ENV=production, DEBUG off, Redis cache, signing keys, the public throttle counting every
request but with a rate no benchmark reaches). The floor is bench/lib/floor_app.py, a minimal WSGI app
doing the same indexed lookups with psycopg and answering the same JSON fields, under the SAME
gunicorn settings. wrk loads each with 32 connections on loopback, rotating over real signed codes
(a Lua script), after a short warm-up; the figures are requests/s and p99 latency, and the ratios
ours ÷ floor (goals: throughput ≥ 0.8, p99 ≤ 2×). They go to bench/RESULTS.json and RESULTS.md.

Data (generated here on a throwaway PostgreSQL database named bench_http, created and dropped by the
script): 100,000 certificate terms held by ~33,000 entities (bench/stats_targets.py's generator) and
1,000,000 合格证 (COPY), a fifth re-issued from two earlier ones, so chains reach several levels.

PostgreSQL only (refuses SQLite). wrk is the Debian package `wrk` (installed here when missing and
running as root).

    DATABASE_URL=postgres://… .venv/bin/python bench/http_public.py                  # the default scale
    DATABASE_URL=postgres://… .venv/bin/python bench/http_public.py --small          # < 2 minutes
    DATABASE_URL=postgres://… .venv/bin/python bench/http_public.py --compliance 10000000 --seconds 60
"""

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANPIN_TESTING", "1")  # cheap password hashing for the bench users (this process only)
# One signing key for the generated codes, the served app and the floor.
BENCH_KEY = base64.b64encode(bytes(range(1, 33))).decode()
os.environ["SANPIN_SIGNING_KEYS"] = json.dumps({"b1": BENCH_KEY})

CONNECTIONS = 32
WRK_THREADS = 2
LUA = r"""
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("offset", counter * 7919) end
request = function()
  offset = (offset or 0) + 1
  return wrk.format("GET", paths[(offset % #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "non2xx": %d, '
    .. '"errors": %d}\n', summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def preflight() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (apt-get install wrk) …")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],  # noqa: S607
                       check=True, env=env,
                       stdout=subprocess.DEVNULL)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    raise SystemExit("wrk is missing. Install it with:\n  sudo apt-get install -y wrk")


def generate(certificates: int, compliance: int) -> tuple[list[str], list[str]]:
    """The data, and the request paths wrk rotates over: signed verify URLs and signed scans."""
    from django.core.management import call_command
    from django.db import connection
    from lib import pgdata
    from stats_targets import generate as generate_terms

    from sanpin.accounts.models import system_user
    from sanpin.catalog.models import Entity, Region
    from sanpin.certificates import signing
    from sanpin.certificates.models import Certificate
    from sanpin.compliance import codes
    from sanpin.compliance.models import ComplianceCertificate

    call_command("load_regions", verbosity=0)
    counties = list(Region.objects.filter(level="county", is_active=True).values_list("code", flat=True))
    rng = random.Random(2026)
    actor = system_user()
    start = time.perf_counter()
    generate_terms(certificates, offset=0, counties=counties, actor=actor, rng=rng)
    print(f"{certificates:,} certificate terms, {Entity.objects.count():,} entities in "
          f"{time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    entities = list(Entity.objects.values_list("id", "region_id"))
    numbers = list(Certificate.objects.values_list("number", flat=True))
    reissued = pgdata.compliance_with_chains(compliance, entities=entities, marks=numbers, issued_by=actor.pk,
                                             rng=rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{compliance:,} 合格证 ({len(reissued):,} re-issued) in {time.perf_counter() - start:.0f} s")

    sample = rng.sample(numbers, min(5000, len(numbers)))
    verify = [f"/api/v1/public/verify/?code={quote(signing.signed_url(n), safe='')}" for n in sample]
    ids = rng.sample(range(1, compliance + 1), min(5000, compliance))
    scan_codes = ComplianceCertificate.objects.filter(id__in=ids).values_list("code", flat=True)
    scans = [f"/api/v1/public/compliance/{c}/?s={quote(codes.sign(c), safe='')}" for c in scan_codes]
    rng.shuffle(scans)
    return verify, scans


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def serve(kind: str, port: int, workdir: Path, dsn: str) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py, bound to 127.0.0.1:port: sanpin or the floor."""
    from sanpin.certificates import signing

    env = dict(os.environ)
    env.pop("SANPIN_TESTING", None)
    env.update(SANPIN_ENV="production", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-" + "x" * 50,
               ALLOWED_HOSTS="127.0.0.1,localhost", DATABASE_URL=dsn, SANPIN_VAR_DIR=str(workdir / "var"),
               REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
               PUBLIC_API_RATE="1000000000/minute", LOG_LEVEL="WARNING",
               FLOOR_DSN=dsn, FLOOR_PUBLIC_KEYS=json.dumps(signing.public_keys()))
    app, chdir = ("config.wsgi:application", ROOT) if kind == "sanpin" else ("floor_app:application",
                                                                              ROOT / "bench" / "lib")
    log = open(workdir / f"gunicorn-{kind}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), app],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/public/verify/?code=X",
                                           headers={"X-Forwarded-Proto": "https"})  # as nginx sends it
            urllib.request.urlopen(probe, timeout=5).read()  # noqa: S310 - loopback
            return process
        except OSError:
            if process.poll() is not None:
                tail = (workdir / f"gunicorn-{kind}.log").read_text()[-3000:]
                raise SystemExit(f"gunicorn ({kind}) exited:\n{tail}") from None
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"gunicorn ({kind}) did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def load(wrk: str, port: int, paths: list[str], seconds: int, workdir: Path) -> dict:
    path_file = workdir / "paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    script = workdir / "rotate.lua"
    script.write_text(LUA)
    out = subprocess.run([wrk,  # noqa: S603 "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
                          "-s", str(script), f"http://127.0.0.1:{port}"],
                         env=dict(os.environ, WRK_PATHS=str(path_file)), capture_output=True, text=True, check=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"]
    return result


def check_same_fields(port_ours: int, port_floor: int, path: str) -> None:
    """Both answer 200 with the same top-level JSON fields for the same request."""
    headers = {"X-Forwarded-Proto": "https"}
    bodies = []
    for port in (port_ours, port_floor):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            bodies.append(json.loads(response.read()))
    assert set(bodies[0]) == set(bodies[1]), (path, sorted(bodies[0]), sorted(bodies[1]))
    assert bodies[0]["result"] == bodies[1]["result"], (path, bodies[0]["result"], bodies[1]["result"])


def run(args, workdir: Path) -> None:
    from lib import pgdata, results

    pgdata.require_postgresql()
    wrk = preflight()
    verify, scans = generate(args.certificates, args.compliance)
    dsn = database_url()
    servers = {}
    measured: dict[tuple[str, str], dict] = {}
    endpoints = (("verify", verify), ("compliance", scans))
    try:
        for kind, port in (("sanpin", args.port), ("floor", args.port + 1)):
            servers[kind] = serve(kind, port, workdir, dsn)
        for _, paths in endpoints:
            check_same_fields(args.port, args.port + 1, paths[0])
        for kind, port in (("sanpin", args.port), ("floor", args.port + 1)):  # one at a time: the other idles
            for name, paths in endpoints:
                load(wrk, port, paths, args.warmup, workdir)
                measured[kind, name] = result = load(wrk, port, paths, args.seconds, workdir)
                print(f"{kind:7} {name:10} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                      f"p99 {result['p99_ms']:7.1f} ms  non-2xx {result['non2xx']}  errors {result['errors']}")
                if result["non2xx"] or result["errors"]:
                    print(f"  warning: {result['non2xx']} non-2xx answers, {result['errors']} socket errors")
    finally:
        for process in servers.values():
            stop(process)

    scale = f"{args.certificates:,} terms, {args.compliance:,} 合格证; wrk {CONNECTIONS} connections × {args.seconds} s"
    print()
    for name, label in (("verify", "public verify"), ("compliance", "合格证 scan")):
        ours, floor = measured["sanpin", name], measured["floor", name]
        throughput = ours["rps"] / floor["rps"]
        p99 = ours["p99_ms"] / floor["p99_ms"]
        print(f"{label:14} throughput {throughput:5.2f}× floor (goal ≥ 0.8): {'met' if throughput >= 0.8 else 'missed'}"
              f";  p99 {p99:5.2f}× floor (goal ≤ 2): {'met' if p99 <= 2 else 'missed'}")
        if args.record:
            results.record(f"{label}: throughput", ours=ours["rps"], floor=floor["rps"], unit="req/s", goal="≥ 0.8",
                           met=throughput >= 0.8, bench="http_public.py", note=scale)
            results.record(f"{label}: p99", ours=ours["p99_ms"], floor=floor["p99_ms"], unit="ms", goal="≤ 2",
                           met=p99 <= 2, bench="http_public.py", note=scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000, help="certificate terms (entities: a third)")
    parser.add_argument("--compliance", type=int, default=1_000_000, help="合格证 (the issue's full scale: 10,000,000)")
    parser.add_argument("--seconds", type=int, default=30, help="wrk run per endpoint and server")
    parser.add_argument("--warmup", type=int, default=5, help="wrk warm-up per endpoint and server (not measured)")
    parser.add_argument("--port", type=int, default=8106, help="sanpin's port; the floor takes the next one")
    parser.add_argument("--small", action="store_true", help="5,000 terms, 50,000 合格证, 6 s runs: a smoke run")
    parser.add_argument("--no-record", dest="record", action="store_false", help="do not write bench/RESULTS.*")
    args = parser.parse_args()
    if args.small:
        args.certificates, args.compliance, args.seconds, args.warmup = 5_000, 50_000, 6, 2

    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        # Refused, but with status 0, so that `make bench` on the default SQLite runs the other scripts.
        print("bench/http_public.py needs PostgreSQL (gunicorn workers side by side and a psycopg floor): "
              "set DATABASE_URL=postgres://…. Skipped.")
        return
    database.setdefault("TEST", {})["NAME"] = os.environ.get("BENCH_DB_NAME", "bench_http")
    workdir = Path(tempfile.mkdtemp(prefix="sanpin-bench-http-"))
    settings.MEDIA_ROOT = workdir / "media"
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        run(args, workdir)
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
