"""Benchmark: importing bases from a 100,000-row workbook.

Generates a valid workbook (a few counties, a few hundred operators registered first), then
measures, on the same file:
  floor    the bare python-calamine read of the sheet (best of three),
  dry run  bases_import(dry_run=True): read + every row checked,
  import   bases_import(dry_run=False): read + checked + written in one transaction,
and prints ratio = import seconds / floor seconds, and peak memory: the ru_maxrss of the process
that ran the import (each import runs in a fresh process of its own, so the figure is the import's
and Django's, not the generator's), and tracemalloc's peak during a third, traced import in
another process (tracing slows it and inflates RSS, so it is neither timed nor counted).
Only the full 100,000-row run is written to RESULTS.md.

Runs against a throwaway database of the engine DATABASE_URL names (SQLite by default, in a
temporary file; on PostgreSQL Django's test_<name> database), created and dropped here: the
developer's own data is never touched.

    .venv/bin/python bench/bases_import.py            # 100,000 rows
    .venv/bin/python bench/bases_import.py --rows 1000  # quick smoke run
"""

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
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
DEFAULT_ROWS = 100_000


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


def child(mode: str, path: Path, actor_id: int, rows: int) -> None:
    """One measured import in a fresh process, so its ru_maxrss is the import's own (plus Django):
    not the workbook's generation, not the floor's reads, not tracemalloc's bookkeeping."""
    from sanpin.accounts.models import User
    from sanpin.bases.imports import bases_import
    from sanpin.bases.models import Base

    actor, data = User.objects.get(pk=actor_id), path.read_bytes()
    if mode == "traced":
        tracemalloc.start()
    start = time.perf_counter()
    result = bases_import(actor=actor, data=data, dry_run=mode == "dry")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if mode == "traced" else 0
    assert result.ok and result.total == rows, result.problems[:5]
    assert Base.objects.count() == (0 if mode == "dry" else rows)
    print(json.dumps({"seconds": seconds, "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "traced_peak": peak}))


def in_child(mode: str, path: Path, actor_id: int, rows: int) -> dict:
    from django.db import connection

    env = {**os.environ, "BENCH_CHILD_DB": str(connection.settings_dict["NAME"])}
    command = [sys.executable, __file__, "--child", mode, "--file", str(path), "--actor", str(actor_id),
               "--rows", str(rows)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 - our own command
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(rows: int, entities: int, workdir: Path) -> None:
    from sanpin.accounts.choices import Role
    from sanpin.accounts.tests.factories import UserFactory
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
    dry = in_child("dry", path, actor.pk, rows)
    real = in_child("import", path, actor.pk, rows)
    clear_bases()
    traced = in_child("traced", path, actor.pk, rows)
    clear_bases()

    from django.db import connection

    seconds, rss, peak = real["seconds"], real["maxrss"] / 2**20, traced["traced_peak"] / 2**20
    print(f"database: {connection.vendor}")
    print(f"floor    calamine read        {floor:8.3f} s")
    print(f"dry run  read + check         {dry['seconds']:8.3f} s   ratio {dry['seconds'] / floor:6.1f}")
    print(f"import   read + check + write {seconds:8.3f} s   ratio {seconds / floor:6.1f}")
    print(f"rows/s   import               {rows / seconds:8.0f}")
    print(f"memory   import process peak RSS {rss:6.1f} MiB (dry run {dry['maxrss'] / 2**20:.1f} MiB); "
          f"tracemalloc peak {peak:.1f} MiB (separate, traced run)")
    print(f"ratio = {seconds / floor:.1f}")

    if rows != DEFAULT_ROWS:
        return  # RESULTS.md shows the figure: the full 100,000 rows
    from lib import results  # bench/lib: RESULTS.json and RESULTS.md

    ratio = seconds / floor
    results.record(f"base import ({rows:,} rows): time", ours=seconds, floor=floor, unit="s", goal="≤ 3",
                   met=ratio <= 3, bench="bases_import.py", note="floor: the bare python-calamine read")
    results.record(f"base import ({rows:,} rows): peak memory", ours=rss, floor=None, unit="MiB",
                   goal="≤ 500 MB", met=rss * 2**20 <= 500e6, bench="bases_import.py",
                   note=f"ru_maxrss of a process that only imports; tracemalloc peak {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--entities", type=int, default=300)
    parser.add_argument("--small", action="store_true", help="10,000 rows: a smoke run")
    parser.add_argument("--child", choices=["dry", "import", "traced"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--actor", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.small:
        args.rows = min(args.rows, 10_000)

    import django
    from django.conf import settings

    django.setup()
    if args.child:
        settings.DATABASES["default"]["NAME"] = os.environ["BENCH_CHILD_DB"]  # the parent's throwaway database
        child(args.child, args.file, args.actor, args.rows)
        return
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
