"""Benchmark: 合格证 batch issue, 10,000 per request through the API, against PostgreSQL COPY.

Signed in with an API token as a producer (an applicant user of an entity), it POSTs
`--requests` batches of 10,000 合格证 to /api/v1/compliance-certificates/ through Django's test
client (the whole path: JSON parsing, every row checked, codes reserved from the county's counter
and checked once against the month, the COPY insert, the audit event, and the answer with each
certificate's signed scan URL),
and then writes the same number of rows of the same values (fresh codes) with PostgreSQL COPY, the
floor. It prints certificates/s of each and the ratio ours ÷ COPY (goal ≥ 0.5), and records them in
bench/RESULTS.json and RESULTS.md.

PostgreSQL only (refuses SQLite): a throwaway database named bench_http_batch, created and dropped here.

    DATABASE_URL=postgres://… .venv/bin/python bench/batch_issue.py            # 5 × 10,000
    DATABASE_URL=postgres://… .venv/bin/python bench/batch_issue.py --small    # 2 × 10,000
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANPIN_TESTING", "1")  # cheap password hashing for the bench user

BATCH = 10_000
PRODUCTS = (("白菜", "vegetable"), ("苹果", "fruit"), ("鸡蛋", "egg"), ("草鱼", "aquatic"), ("香菇", "edible_fungi"))


def items(n: int) -> list[dict]:
    return [{"product_name": PRODUCTS[i % 5][0], "category": PRODUCTS[i % 5][1], "quantity": f"{10 + i % 990}.5",
             "unit": "公斤"} for i in range(n)]


def run(requests: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from lib import pgdata, results
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from sanpin.accounts.choices import Role
    from sanpin.accounts.tests.factories import UserFactory
    from sanpin.catalog.models import Region
    from sanpin.catalog.tests.factories import EntityFactory
    from sanpin.compliance import codes, issuing
    from sanpin.compliance.models import ComplianceCertificate

    pgdata.require_postgresql()
    call_command("load_regions", verbosity=0)
    entity = EntityFactory(region=Region.objects.get(code="450102"))
    user = UserFactory(username="bench-producer", roles=[Role.APPLICANT])
    user.entity = entity
    user.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    body = json.dumps(items(BATCH))
    print(f"database: {connection.vendor}; {requests} requests of {BATCH:,} 合格证, body {len(body) / 2**20:.1f} MiB")

    ours = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.post("/api/v1/compliance-certificates/", body, content_type="application/json")
        ours.append(time.perf_counter() - start)
        assert response.status_code == 201, response.content[:500]
        answer = response.json()
        assert answer["created"] == BATCH and codes.read_scan(answer["results"][0]["scan_url"])[1] == codes.VALID

    # The floor: the same rows, values as the service stores them, written by COPY.
    defaults = issuing.defaults_for(entity)
    table = ComplianceCertificate._meta.db_table
    columns = tuple(c for c in pgdata.COMPLIANCE_COLUMNS if c != "id")
    floor = []
    serial = 500_000_000
    for _ in range(requests):
        now = timezone.now()
        rows = []
        for item in items(BATCH):
            serial += 1
            rows.append((pgdata.code_for(entity.region_id, now, serial), now, entity.region_id, entity.pk,
                         item["product_name"], item["category"], item["quantity"], item["unit"], defaults["origin"],
                         defaults["contact_phone"], defaults["basis"], "", "", "", False, "valid", 0, "", user.pk))
        start = time.perf_counter()
        pgdata.copy_rows(table, columns, rows)
        floor.append(time.perf_counter() - start)
    assert ComplianceCertificate.objects.count() == 2 * requests * BATCH

    ours_rate, floor_rate = BATCH / statistics.median(ours), BATCH / statistics.median(floor)
    ratio = ours_rate / floor_rate
    print(f"API batch issue  median {statistics.median(ours):6.2f} s per 10,000   {ours_rate:9,.0f} 合格证/s")
    print(f"COPY (floor)     median {statistics.median(floor):6.2f} s per 10,000   {floor_rate:9,.0f} 合格证/s")
    print(f"ratio = {ratio:.2f} (goal ≥ 0.5): {'met' if ratio >= 0.5 else 'missed'}")
    results.record("合格证 batch issue (10,000 per request)", ours=ours_rate, floor=floor_rate, unit="合格证/s",
                   goal="≥ 0.5", met=ratio >= 0.5, bench="batch_issue.py",
                   note=f"median of {requests} requests through the API (test client, token auth) vs COPY")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5, help="requests of 10,000 (and as many COPYs)")
    parser.add_argument("--small", action="store_true", help="2 requests: a smoke run")
    args = parser.parse_args()
    if args.small:
        args.requests = 2

    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        # Refused, but with status 0, so that `make bench` on the default SQLite runs the other scripts.
        print("bench/batch_issue.py needs PostgreSQL (its floor is PostgreSQL COPY): set DATABASE_URL=postgres://…. "
              "Skipped.")
        return
    database.setdefault("TEST", {})["NAME"] = os.environ.get("BENCH_DB_NAME", "bench_http_batch")
    workdir = Path(tempfile.mkdtemp(prefix="sanpin-bench-batch-"))
    settings.MEDIA_ROOT = workdir / "media"
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        run(args.requests)
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
