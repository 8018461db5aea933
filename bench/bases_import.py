"""Benchmark: importing bases from a 100,000-row workbook.

Generates a valid workbook (a few counties, a few hundred operators registered first), then
measures, on the same file:
  floor    the bare python-calamine read of the sheet (best of three),
  dry run  bases_import(dry_run=True): read + every row checked,
  import   bases_import(dry_run=False): read + checked + written in one transaction,
and prints ratio = import seconds / floor seconds, and peak memory: tracemalloc's peak during a
second, traced import (tracing slows it, so it is not timed) and the process's ru_maxrss.

Runs against a throwaway database of the engine DATABASE_URL names (SQLite by default, in a
temporary file; on PostgreSQL Django's test_<name> database), created and dropped here: the
developer's own data is never touched.

    .venv/bin/python bench/bases_import.py            # 100,000 rows
    .venv/bin/python bench/bases_import.py --rows 1000  # quick smoke run
"""

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANPIN_TESTING", "1")  # cheap password hashing for the bench user

COUNTIES = ("450102", "450103", "451031", "310101", "310104")
TYPES = ("绿色食品原料标准化生产基地", "有机农产品基地", "地理标志农产品核心基地", "绿色优质农产品生产基地")
LEVELS = ("国家级", "省（市）级", "区（县）级")


def make_workbook(path: Path, rows: int, usccs: list[str]) -> None:
    from openpyxl import Workbook

    from sanpin.bases.io import COLUMNS

    book = Workbook(write_only=True)
    ws = book.create_sheet("基地")
    ws.append(list(COLUMNS))
    for i in range(rows):
        ws.append([
            f"优质农产品生产基地{i:06d}", TYPES[i % len(TYPES)], LEVELS[i % len(LEVELS)], usccs[i % len(usccs)],
            int(COUNTIES[i % len(COUNTIES)]),  # a number, as Excel stores a typed-in code
            "水稻、蔬菜", "桂香占", 100 + (i % 5000) / 4, 50 + (i % 900), f"第{i % 97}村", 108.3 + (i % 100) / 1000,
            22.8 + (i % 100) / 1000, "连片种植", "绿色防控、测土配方施肥", "张三",
        ])
    book.save(path)


def calamine_read(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = list(book.get_sheet_by_name("基地").iter_rows())
        best = min(best, time.perf_counter() - start)
        del rows, book
    return best


def clear_bases() -> None:
    from django.db import connection

    from sanpin.bases.models import Base, BaseStatusChange

    with connection.cursor() as cursor:
        for model in (BaseStatusChange, Base):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names from the models


def run(rows: int, entities: int, workdir: Path) -> None:
    from sanpin.accounts.choices import Role
    from sanpin.accounts.tests.factories import UserFactory
    from sanpin.bases.imports import bases_import
    from sanpin.bases.models import Base
    from sanpin.catalog.tests.factories import EntityFactory, make_regions

    regions = make_regions()
    usccs = [EntityFactory(region=regions[COUNTIES[i % len(COUNTIES)]]).uscc for i in range(entities)]
    actor = UserFactory(username="bench", roles=[Role.NATIONAL_REVIEWER])

    path = workdir / f"bases-{rows}.xlsx"
    start = time.perf_counter()
    make_workbook(path, rows, usccs)
    data = path.read_bytes()
    print(f"workbook: {rows:,} rows, {len(data) / 2**20:.1f} MiB, generated in {time.perf_counter() - start:.1f} s")

    floor = calamine_read(data)

    start = time.perf_counter()
    dry = bases_import(actor=actor, data=data, dry_run=True)
    dry_seconds = time.perf_counter() - start
    assert dry.ok and dry.total == rows, dry.problems[:5]

    start = time.perf_counter()
    real = bases_import(actor=actor, data=data, dry_run=False)
    import_seconds = time.perf_counter() - start
    assert real.imported == rows and Base.objects.count() == rows, real.problems[:5]

    clear_bases()
    tracemalloc.start()
    traced = bases_import(actor=actor, data=data, dry_run=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert traced.imported == rows
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    from django.db import connection

    print(f"database: {connection.vendor}")
    print(f"floor    calamine read        {floor:8.3f} s")
    print(f"dry run  read + check         {dry_seconds:8.3f} s   ratio {dry_seconds / floor:6.1f}")
    print(f"import   read + check + write {import_seconds:8.3f} s   ratio {import_seconds / floor:6.1f}")
    print(f"rows/s   import               {rows / import_seconds:8.0f}")
    print(f"memory   tracemalloc peak     {peak / 2**20:8.1f} MiB   ru_maxrss {maxrss_kib / 1024:.1f} MiB")
    print(f"ratio = {import_seconds / floor:.1f}")

    from lib import results  # bench/lib: RESULTS.json and RESULTS.md

    ratio = import_seconds / floor
    results.record(f"base import ({rows:,} rows): time", ours=import_seconds, floor=floor, unit="s", goal="≤ 3",
                   met=ratio <= 3, bench="bases_import.py", note="floor: the bare python-calamine read")
    results.record(f"base import ({rows:,} rows): peak memory", ours=peak / 2**20, floor=None, unit="MiB",
                   goal="≤ 500 MiB", met=peak / 2**20 <= 500, bench="bases_import.py",
                   note=f"tracemalloc peak; ru_maxrss {maxrss_kib / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=300)
    parser.add_argument("--small", action="store_true", help="10,000 rows: a smoke run")
    args = parser.parse_args()
    if args.small:
        args.rows = min(args.rows, 10_000)

    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    workdir = Path(tempfile.mkdtemp(prefix="sanpin-bench-"))
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(workdir / "bench.sqlite3")  # a file, like the real one
    settings.MEDIA_ROOT = workdir / "media"
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        run(args.rows, args.entities, workdir)
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
