"""The two writers of a base import: COPY (PostgreSQL) and bulk_create (the ORM, every engine)
write the same bases and history rows, and a file with a bad row or a write that fails part way
leaves nothing behind with either."""

from itertools import pairwise

import pytest
from django.db import connection

from sanpin.bases import imports, services
from sanpin.bases.import_writers import BATCH, CopyRows, ModelRows
from sanpin.bases.imports import bases_import
from sanpin.bases.models import Base, BaseStatusChange
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import Conflict
from sanpin.core.models import AuditEvent

from .test_import import row, workbook

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
WRITERS = {"copy": CopyRows, "orm": ModelRows}


@pytest.fixture
def operators(regions, gx_entity):
    return [gx_entity, EntityFactory(region=regions["450102"]), EntityFactory(region=regions["450103"])]


@pytest.fixture(params=["copy", "orm"])
def writer(request, monkeypatch):
    """Each test runs with each writer (COPY only on PostgreSQL)."""
    if request.param == "copy" and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(imports, "writer_for", WRITERS[request.param])
    return request.param


def odd_rows(operators) -> list[dict]:
    """Rows that exercise every kind of value COPY must spell out: no coordinates (NULL), a tab,
    a line break and a backslash inside a cell, the largest and smallest amounts."""
    rows = [row(i, operators) for i in range(1, 8)]
    rows[1].update({"经度": None, "纬度": None, "品种": "", "种养范围": ""})
    rows[2].update({"技术措施": "测土配方\t施肥\n绿色防控 \\ 物理防治", "责任人": "O'Neil \"老黄\""})
    rows[3].update({"面积（亩）": "10,000,000", "年产量（吨）": 0})
    rows[4].update({"面积（亩）": 0.01, "经度": 135.999999, "纬度": 3})
    return rows


def stored() -> list[tuple]:
    """Every column of every base and history row an import writes, minus ids and clock times,
    in the order of the ids."""
    skip = {"id", "created_at", "updated_at"}
    columns = [f.attname for f in Base._meta.concrete_fields if f.attname not in skip]
    bases = list(Base.objects.order_by("pk").values_list(*columns))
    history = list(BaseStatusChange.objects.order_by("pk").values_list(
        "base__name", "from_status", "to_status", "on", "actor_id", "reason", "reference"))
    return bases + history


@on_postgresql
def test_copy_writes_what_the_orm_writes(people, operators, monkeypatch):
    data = workbook(odd_rows(operators))
    actor = people["gx_province"]

    monkeypatch.setattr(imports, "writer_for", CopyRows)
    assert bases_import(actor=actor, data=data, dry_run=False).imported == 7
    by_copy = stored()
    Base.objects.all().delete()
    monkeypatch.setattr(imports, "writer_for", ModelRows)
    assert bases_import(actor=actor, data=data, dry_run=False).imported == 7
    by_orm = stored()

    assert by_copy == by_orm
    assert [b[0] for b in by_copy[:7]] == [f"沙田柚基地{i:05d}" for i in range(1, 8)]  # ids in the file's order
    third = Base.objects.get(name="沙田柚基地00003")
    assert third.techniques == "测土配方\t施肥\n绿色防控 \\ 物理防治" and third.responsible_person == "O'Neil \"老黄\""
    second = Base.objects.get(name="沙田柚基地00002")
    assert (second.longitude, second.latitude, second.varieties) == (None, None, "")
    assert str(Base.objects.get(name="沙田柚基地00004").area_mu) == "10000000.00"


@on_postgresql
def test_copy_takes_its_ids_from_the_sequence_even_when_they_are_not_one_run(people, operators, monkeypatch):
    """Another session drawing ids at the same moment leaves gaps; the rows get the ids drawn."""
    monkeypatch.setattr(imports, "writer_for", CopyRows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Base._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 3")  # undone with the test's transaction

    bases_import(actor=people["gx_province"], data=workbook([row(i, operators) for i in range(1, 6)]),
                 dry_run=False)

    ids = list(Base.objects.order_by("name").values_list("pk", flat=True))
    assert len(ids) == 5 and [b - a for a, b in pairwise(ids)] == [3, 3, 3, 3]
    assert sorted(BaseStatusChange.objects.values_list("base_id", flat=True)) == ids


def test_both_writers_report_progress_after_each_batch(people, operators, writer):
    seen = []
    data = workbook([row(i, operators) for i in range(1, BATCH + 11)])

    bases_import(actor=people["gx_province"], data=data, dry_run=False,
                 progress=lambda done, total, stage="": seen.append((stage, done, total)))

    assert [s for s in seen if s[0] == "正在写入"] == [("正在写入", BATCH, BATCH + 10),
                                                   ("正在写入", BATCH + 10, BATCH + 10)]
    assert Base.objects.count() == BaseStatusChange.objects.count() == BATCH + 10


def test_a_bad_last_row_writes_nothing(people, operators, writer):
    rows = [row(i, operators) for i in range(1, BATCH + 11)]
    rows[-1]["县级区划代码"] = 459999

    result = bases_import(actor=people["gx_province"], data=workbook(rows), dry_run=False)

    assert [(p.row, p.column) for p in result.problems] == [(BATCH + 11, "县级区划代码")]
    assert not Base.objects.exists() and not BaseStatusChange.objects.exists()
    assert not AuditEvent.objects.filter(verb="base.import").exists()


def test_a_write_that_fails_part_way_leaves_nothing(people, operators, regions, writer):
    """After the first batch is written, someone enters a base that a row of the second batch
    also names: the second batch fails, and the first batch goes with it."""
    actor = people["gx_province"]
    clash = row(BATCH + 5, operators)

    def progress(done, total, stage=""):
        if stage == "正在写入" and done == BATCH:
            services.base_create(actor=actor, name=clash["基地名称"], base_type="GF", level="district",
                                 operator=operators[0], county=regions[str(clash["县级区划代码"])],
                                 products="沙田柚", area_mu="10", output_tons="1", location="五塘镇")

    with pytest.raises(Conflict):
        bases_import(actor=actor, data=workbook([row(i, operators) for i in range(1, BATCH + 11)]),
                     dry_run=False, progress=progress)

    assert not Base.objects.exists() and not BaseStatusChange.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=["base.import", "base.create"]).exists()
