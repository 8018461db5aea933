"""Benchmark: latency of the targets API and the first-pass-rates API at 1× and 10× data.

1× is 100,000 certificate terms (green food, organic, featured, green inputs) held by 33,000
entities spread over every county of the country, each with its issue in the status history and
about one in twelve with a later rectification, suspension or revocation, plus 20,000 decided
applications (a third sent back once) for the first-pass rates. 10× adds nine times as much again.

At each scale it sends each request `--requests` times through Django's test client (signed in
as a national and as a provincial reviewer) and prints p50 and p95 per request; then the ratio
p95 at 10× ÷ p95 at 1× (goal ≤ 1.5) and p95 at 1× (goal ≤ 300 ms).

Runs against a throwaway database of the engine DATABASE_URL names (SQLite by default, in a
temporary file; on PostgreSQL Django's test_<name> database), created and dropped here.

    DATABASE_URL=postgres://... .venv/bin/python bench/stats_targets.py           # 100k → 1M terms
    .venv/bin/python bench/stats_targets.py --small                                # 5k → 50k, quick
    .venv/bin/python bench/stats_targets.py --certificates 20000 --requests 20
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANPIN_TESTING", "1")  # cheap password hashing for the bench users

YEAR = 2025
FIRST_DAY = datetime.date(2019, 1, 1)
SPAN_DAYS = (datetime.date(2026, 6, 30) - FIRST_DAY).days
SCHEMES = ("green_food",) * 11 + ("organic",) * 5 + ("featured",) * 2 + ("green_inputs",) * 2
CHANGES = ("in_rectification", "suspended", "revoked", "stopped")
BATCH = 5_000


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def generate(certificates: int, *, offset: int, counties: list[str], actor, rng: random.Random) -> None:
    """Add `certificates` terms (and a third as many entities, a fifth as many applications)."""
    from sanpin.catalog.models import Entity
    from sanpin.catalog.tests.factories import valid_uscc
    from sanpin.certificates.models import Certificate, StatusChange
    from sanpin.certification.models import Application, Event

    updated_at = Certificate._meta.get_field("updated_at")
    updated_at.auto_now = False  # keep the save times set below (this process only)
    n_entities = max(certificates // 3, 1)
    entities = Entity.objects.bulk_create(
        [Entity(name=f"测试农业有限公司{offset + i}", uscc=valid_uscc(county, n=offset + i), kind="enterprise",
                region_id=county, address="某县某镇", legal_representative="张三", contact_name="李四",
                contact_phone="13800000000")
         for i, county in ((i, rng.choice(counties)) for i in range(n_entities))],
        batch_size=BATCH)
    for start in range(0, certificates, BATCH):
        rows, days = [], []
        for i in range(start, min(start + BATCH, certificates)):
            scheme = rng.choice(SCHEMES)
            valid_from = FIRST_DAY + datetime.timedelta(days=rng.randrange(SPAN_DAYS))
            years = 1 if scheme in ("organic", "featured") else 3
            valid_until = valid_from + datetime.timedelta(days=365 * years - 1)
            change = None
            if rng.random() < 0.085:
                change = (rng.choice(CHANGES), valid_from + datetime.timedelta(days=rng.randrange(1, 360)))
            # A row is saved when it is issued and at each status change, so its last save is its
            # last change (not the moment this script runs): valid_counts relies on that.
            saved = _aware(change[1], 15) if change else _aware(valid_from)
            rows.append(Certificate(
                scheme=scheme, number=f"B{offset + i:010d}", holder=entities[i % n_entities], product_name="大米",
                category="01", approved_output=Decimal("100"), output_unit="吨", approved_on=valid_from,
                valid_from=valid_from, valid_until=valid_until, status=change[0] if change else "valid",
                created_at=_aware(valid_from), updated_at=saved))
            days.append((valid_from, change))
        created = Certificate.objects.bulk_create(rows)
        history = []
        for cert, (valid_from, change) in zip(created, days, strict=True):
            history.append(StatusChange(certificate=cert, from_status="", to_status="valid", actor=actor,
                                        at=_aware(valid_from)))
            if change:
                history.append(StatusChange(certificate=cert, from_status="valid", to_status=change[0], actor=actor,
                                            at=_aware(change[1], 15)))
        StatusChange.objects.bulk_create(history)
    n_applications = certificates // 5
    for start in range(0, n_applications, BATCH):
        apps = []
        for i in range(start, min(start + BATCH, n_applications)):
            closed = _aware(datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365)), 11)
            apps.append(Application(scheme=rng.choice(("green_food", "organic", "green_inputs")),
                                    kind=rng.choice(("initial", "initial", "renewal")),
                                    entity=entities[(offset + i) % n_entities],
                                    state=rng.choice(("issued", "issued", "issued", "rejected")), closed_at=closed,
                                    created_by=actor))
        created = Application.objects.bulk_create(apps)
        Event.objects.bulk_create([
            Event(application=app, action="request_supplement", from_state="preliminary_review", to_state="supplement",
                  actor=actor, at=app.closed_at - datetime.timedelta(days=20))
            for app in created if rng.random() < 0.33])


def keep_counts(stale: int, counties: list[str], rng: random.Random) -> tuple[float, float, int]:
    """What the refresh tasks do (sanpin.stats.valid_store.refresh, sanpin.stats.pass_store.refresh),
    timed, in full; then `stale` random (county, scheme) cells of each marked stale, as the
    certificate and review changes made since the last refresh would leave them."""
    from django.utils import timezone

    from sanpin.stats import pass_store
    from sanpin.stats.models import PassRateStale, ValidCountStale
    from sanpin.stats.valid_store import refresh

    start = time.perf_counter()
    done = refresh(full=True)  # the bulk load bypassed the models' signals
    valid_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pass_store.refresh(full=True)
    pass_seconds = time.perf_counter() - start
    cells = {(rng.choice(counties), rng.choice(("green_food", "organic", "featured"))) for _ in range(stale)}
    ValidCountStale.objects.bulk_create([ValidCountStale(region_code=code, scheme=scheme, marked_at=timezone.now())
                                         for code, scheme in cells])
    pairs = {(rng.choice(counties), rng.choice(("green_food", "organic", "green_inputs"))) for _ in range(stale)}
    PassRateStale.objects.bulk_create([PassRateStale(region_code=code, scheme=scheme, marked_at=timezone.now())
                                       for code, scheme in pairs])
    return valid_seconds, pass_seconds, done["days"]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


REQUESTS = (
    ("targets, country (31 provinces)", "national", f"/api/v1/stats/targets/?year={YEAR}"),
    ("targets, Guangxi (14 cities)", "gx", f"/api/v1/stats/targets/?year={YEAR}"),
    ("targets, Nanning (counties)", "gx", f"/api/v1/stats/targets/?year={YEAR}&region=450100"),
    ("targets, Guangxi, today", "gx", f"/api/v1/stats/targets/?year={YEAR + 1}&measure=green_food"),
    ("first-pass rates, country", "national", f"/api/v1/stats/first-pass-rates/?year={YEAR}"),
    ("first-pass rates, Guangxi", "gx", f"/api/v1/stats/first-pass-rates/?year={YEAR}"),
)


def measure(users: dict, requests: int) -> dict[str, tuple[float, float]]:
    from rest_framework.test import APIClient

    out = {}
    for label, who, url in REQUESTS:
        client = APIClient()
        client.force_authenticate(users[who])
        for _ in range(2):  # warm-up: caches, query plans
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        out[label] = (statistics.median(times), p95)
    return out


def run(certificates: int, requests: int, explain: bool = False, stale: int = 20) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sanpin.accounts.choices import AgencyLevel, Role
    from sanpin.accounts.models import system_user
    from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
    from sanpin.catalog.models import Region
    from sanpin.stats.demo_targets import load_demo_targets
    from sanpin.stats.target_services import target_set

    call_command("load_regions", verbosity=0)
    counties = list(Region.objects.filter(level="county", is_active=True).values_list("code", flat=True))
    guangxi = Region.objects.get(code="450000")
    gx_agency = AgencyFactory(name="广西绿色食品发展站", level=AgencyLevel.PROVINCE, region=guangxi)
    users = {"national": UserFactory(username="bench-national", roles=[Role.NATIONAL_REVIEWER]),
             "gx": UserFactory(username="bench-gx", roles=[Role.PROVINCIAL_REVIEWER], agency=gx_agency)}
    for province in Region.objects.filter(level="province"):
        target_set(actor=users["national"], region=province, year=YEAR, measure="green_organic", value=2000)
    load_demo_targets()
    rng = random.Random(2024)
    actor = system_user()
    print(f"database: {connection.vendor}; {len(counties)} counties")

    results = {}
    done = 0
    for scale in (1, 10):
        start = time.perf_counter()
        target_total = certificates * scale
        generate(target_total - done, offset=done, counties=counties, actor=actor, rng=rng)
        done = target_total
        if connection.vendor == "postgresql":
            analyze()
        print(f"{scale:>2}×: {done:,} certificate terms generated in {time.perf_counter() - start:.0f} s")
        seconds, pass_seconds, days = keep_counts(stale, counties, rng)
        if connection.vendor == "postgresql":
            analyze()
        print(f"    kept counts of {days} days refreshed in {seconds:.1f} s, first-pass counts in "
              f"{pass_seconds:.1f} s (in full); {stale} cells of each then marked stale")
        results[scale] = measure(users, requests)
        if explain:
            from django.db.models import Count

            from sanpin.stats import drilldown, valid_counts
            from sanpin.stats.valid_counts import valid_by_region  # noqa: F401 - the query explained below

            children = drilldown.child_regions(None)
            rows, counted = valid_counts.in_force(datetime.date(YEAR, 12, 31), measure="green_organic")
            query = (rows.annotate(key=drilldown.child_key("holder__region", children)).values("key").order_by()
                     .annotate(n=Count("pk", filter=counted)))
            print(query.explain(analyze=True) if connection.vendor == "postgresql" else query.explain())

    print()
    print(f"{'request':36} {'p50 1×':>8} {'p95 1×':>8} {'p50 10×':>8} {'p95 10×':>8} {'ratio':>6}")
    worst_ratio, worst_p95 = 0.0, 0.0
    for label, _who, _url in REQUESTS:
        p50_1, p95_1 = results[1][label]
        p50_10, p95_10 = results[10][label]
        ratio = p95_10 / p95_1
        worst_ratio, worst_p95 = max(worst_ratio, ratio), max(worst_p95, p95_1)
        print(f"{label:36} {p50_1:7.1f}ms {p95_1:7.1f}ms {p50_10:7.1f}ms {p95_10:7.1f}ms {ratio:6.2f}")
    print()
    print(f"worst ratio p95 10×/1× = {worst_ratio:.2f} (goal ≤ 1.5): {'met' if worst_ratio <= 1.5 else 'missed'}")
    print(f"worst p95 at 1× = {worst_p95:.0f} ms (goal ≤ 300 ms): {'met' if worst_p95 <= 300 else 'missed'}")

    from lib import results as bench_results  # bench/lib: RESULTS.json and RESULTS.md

    scale = f"{certificates:,} → {certificates * 10:,} terms, {requests} requests each, {stale} stale cells"
    for label, _who, _url in REQUESTS:
        p95_1, p95_10 = results[1][label][1], results[10][label][1]
        bench_results.record(f"statistics p95 10× ÷ 1×: {label}", ours=p95_10, floor=p95_1, unit="ms",
                             goal="≤ 1.5", met=p95_10 / p95_1 <= 1.5, bench="stats_targets.py",
                             note=f"floor: p95 at 1×; {scale}")
    bench_results.record("statistics worst p95 at 1×", ours=worst_p95, floor=None, unit="ms",
                         goal="≤ 300 ms", met=worst_p95 <= 300, bench="stats_targets.py", note=scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000, help="certificate terms at 1×")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per endpoint and scale")
    parser.add_argument("--explain", action="store_true", help="print the plan of the country-wide count")
    parser.add_argument("--stale", type=int, default=20,
                        help="(county, scheme) cells of each store marked stale after the refresh, counted "
                             "live: changes since the last ten-minute refresh (200: a whole day's)")
    parser.add_argument("--small", action="store_true", help="5,000 terms at 1×, 15 requests: a quick check")
    args = parser.parse_args()
    if args.small:
        args.certificates, args.requests = 5_000, 15

    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    workdir = Path(tempfile.mkdtemp(prefix="sanpin-bench-"))
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(workdir / "bench.sqlite3")
    settings.MEDIA_ROOT = workdir / "media"
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        run(args.certificates, args.requests, args.explain, args.stale)
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
