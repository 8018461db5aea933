"""Benchmark: the first page and a deep page of the three long staff lists (certificates,
applications, 合格证), keyset against OFFSET.

Generates 100,000 certificates (one term per number), 50,000 applications and 200,000 合格证 in
Guangxi's counties and reads each list as Guangxi's provincial reviewer (so the region scope applies,
as for real staff): the page the list opens on, and the page that starts at 90% of the rows, by
its `?after=` cursor. The same deep page by `?page=` (OFFSET) in the API is the floor-like
reference that keyset paging replaces. Each request is sent `--requests` times through Django's
test client after two warm-ups; p50 and p95 are printed, with the ratio p95 deep ÷ p95 first
(goal ≤ 1.5).

The UI's first page of certificates and applications also counts the rows (the total shown above
the table); deep pages do not.
The API lines compare like with like: keyset first page and keyset deep page, both without count.

Runs against a throwaway database of the engine DATABASE_URL names (SQLite by default, in a
temporary file; on PostgreSQL Django's test_<name> database), created and dropped here.

    DATABASE_URL=postgres://... .venv/bin/python bench/list_pages.py   # 100k / 50k / 200k rows
    .venv/bin/python bench/list_pages.py --small                        # a tenth, quick
    .venv/bin/python bench/list_pages.py --explain                      # PostgreSQL plans of the deep pages
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANPIN_TESTING", "1")  # cheap password hashing for the bench users

BATCH = 5_000
FIRST_DAY = datetime.date(2016, 1, 1)


def _aware(day: datetime.date, seconds: int = 0) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(seconds=seconds))


def generate(certificates: int, applications: int, compliance: int, *, counties, actor, rng) -> None:
    from sanpin.catalog.models import Entity
    from sanpin.catalog.tests.factories import valid_uscc
    from sanpin.certificates.models import Certificate
    from sanpin.certification.models import Application
    from sanpin.compliance import codes
    from sanpin.compliance.models import ComplianceCertificate

    entities = Entity.objects.bulk_create(
        [Entity(name=f"测试农业有限公司{i}", uscc=valid_uscc(county, n=i), kind="enterprise", region_id=county,
                address="某县某镇", legal_representative="张三", contact_name="李四", contact_phone="13800000000")
         for i, county in ((i, rng.choice(counties)) for i in range(2_000))], batch_size=BATCH)
    span = (datetime.date(2026, 6, 30) - FIRST_DAY).days
    for start in range(0, certificates, BATCH):  # about 40 approvals a day: many share a day
        rows = []
        for i in range(start, min(start + BATCH, certificates)):
            day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
            rows.append(Certificate(
                scheme=rng.choice(("green_food", "organic", "green_inputs")), number=f"B{i:010d}",
                holder=entities[i % len(entities)], product_name="大米", category="01", approved_output=Decimal("100"),
                output_unit="吨", approved_on=day, valid_from=day, valid_until=day + datetime.timedelta(days=1094)))
        Certificate.objects.bulk_create(rows)
    created_at = Application._meta.get_field("created_at")
    created_at.auto_now_add = False  # keep the times set below (this process only)
    for start in range(0, applications, BATCH):
        # Ten years of applications; every three share a moment, so the id must break ties.
        Application.objects.bulk_create([
            Application(scheme=rng.choice(("green_food", "organic", "green_inputs")), kind="initial",
                        entity=entities[i % len(entities)], state="issued", created_by=actor, number=f"SQ{i:08d}",
                        created_at=_aware(FIRST_DAY, seconds=(i // 3) * 18_000))
            for i in range(start, min(start + BATCH, applications))])
    month_seq: dict[str, int] = {}
    for start in range(0, compliance, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, compliance)):
            issuer = entities[i % len(entities)]
            moment = _aware(datetime.date(2025, 7, 1), seconds=rng.randrange(300 * 86_400))
            body = codes.month_prefix(moment) + issuer.region_id
            month_seq[body] = month_seq.get(body, 0) + 1
            body += f"{month_seq[body]:09d}"
            rows.append(ComplianceCertificate(
                code=body + codes.check_digit(body), issued_at=moment, region_id=issuer.region_id, issuer=issuer,
                product_name="西红柿", category="vegetable", quantity=Decimal("100"), unit="公斤", origin="某县",
                contact_phone="13800000000", basis="quality_control", issued_by=actor))
        ComplianceCertificate.objects.bulk_create(rows)


def p50_p95(client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def lists(total: dict) -> list:
    """(label, UI path, API path, the queryset in list order, its sort key, its size)."""
    from sanpin.certificates import selectors as certificate_selectors
    from sanpin.certificates.models import Certificate
    from sanpin.certification import selectors as application_selectors
    from sanpin.certification.models import Application
    from sanpin.compliance import selectors as compliance_selectors
    from sanpin.compliance.models import ComplianceCertificate

    return [
        ("certificates", "/certificates/", "/api/v1/certificates/", Certificate.objects.filter(renewed=False),
         certificate_selectors.LIST_ORDER, total["certificates"]),
        ("applications", "/certification/applications/", "/api/v1/applications/", Application.objects.all(),
         application_selectors.LIST_ORDER, total["applications"]),
        ("合格证", "/compliance/", "/api/v1/compliance-certificates/", ComplianceCertificate.objects.all(),
         compliance_selectors.LIST_ORDER, total["compliance"]),
    ]


def run(total: dict, requests: int, explain: bool, record_results: bool) -> None:
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from sanpin.accounts.choices import AgencyLevel, Role
    from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
    from sanpin.catalog.models import Region
    from sanpin.catalog.tests.factories import make_regions

    make_regions()
    counties = list(Region.objects.filter(level="county", code__startswith="45").values_list("code", flat=True))
    guangxi = Region.objects.get(code="450000")
    agency = AgencyFactory(name="广西绿色食品发展站", level=AgencyLevel.PROVINCE, region=guangxi)
    reviewer = UserFactory(username="bench-gx", roles=[Role.PROVINCIAL_REVIEWER], agency=agency)
    start = time.perf_counter()
    generate(total["certificates"], total["applications"], total["compliance"], counties=counties, actor=reviewer,
             rng=random.Random(2026))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; {total['certificates']:,} certificates, {total['applications']:,} "
          f"applications, {total['compliance']:,} 合格证 generated in {time.perf_counter() - start:.0f} s")
    ui, api = Client(), APIClient()
    ui.force_login(reviewer)
    api.force_authenticate(reviewer)
    print()
    print(f"{'list, request':44} {'p50':>9} {'p95':>9} {'÷ first':>8}")
    worst = 0.0
    summary = []
    for label, ui_path, api_path, rows, key, size in lists(total):
        deep_row = rows.order_by(*key.order())[int(size * 0.9)]
        cursor = key.encode(deep_row)
        page = int(size * 0.9) // 50 + 1
        figures = [
            ("UI first page" + (" (with count)" if label != "合格证" else ""), p50_p95(ui, ui_path, requests)),
            ("UI deep page, ?after=", p50_p95(ui, f"{ui_path}?after={cursor}", requests)),
            ("API first page, keyset", p50_p95(api, f"{api_path}?after=", requests)),
            ("API deep page, keyset", p50_p95(api, f"{api_path}?after={cursor}", requests)),
        ]
        if label != "合格证":  # the 合格证 API has only keyset pages
            figures.append((f"API deep page, ?page={page} (OFFSET)", p50_p95(api, f"{api_path}?page={page}", requests)))
        firsts = {"UI": figures[0][1][1], "API": figures[2][1][1]}
        summary.append((label, figures[1][1][1], firsts["UI"]))
        for name, (p50, p95) in figures:
            ratio = p95 / firsts[name[:3].strip()]
            if "keyset" in name or "after" in name:
                worst = max(worst, ratio)
            print(f"{label + ', ' + name:44} {p50:7.1f}ms {p95:7.1f}ms {ratio:8.2f}")
        if explain and connection.vendor == "postgresql":
            queryset = rows.model.objects.restrict(reviewer, "view")
            if label == "certificates":
                queryset = queryset.filter(renewed=False)
            deep = queryset.filter(key.beyond(key.decode(rows.model, cursor))).order_by(*key.order())[:51]
            print(deep.explain(analyze=True))
    print()
    print(f"worst keyset p95 deep ÷ first = {worst:.2f} (goal ≤ 1.5): {'met' if worst <= 1.5 else 'missed'}")
    if record_results:
        from bench.lib import results

        for label, deep, first in summary:
            size = {"certificates": "certificates", "applications": "applications", "合格证": "compliance"}[label]
            results.record(f"staff list {label}: deep page (90% of {total[size]:,}) p95 vs first page p95",
                           ours=deep, floor=first, goal="≤ 1.5", met=deep / first <= 1.5, unit="ms",
                           bench="list_pages.py", note="UI pages through Django's test client; the first page of "
                           "certificates and applications also counts the rows, deep pages do not")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--compliance", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per line")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plans of the deep pages")
    parser.add_argument("--small", action="store_true", help="a tenth of the rows, 15 requests: a quick check")
    args = parser.parse_args()
    if args.small:
        args.certificates, args.applications, args.compliance, args.requests = 10_000, 5_000, 20_000, 15

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
        run({"certificates": args.certificates, "applications": args.applications, "compliance": args.compliance},
            args.requests, args.explain, record_results=not args.small)
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
