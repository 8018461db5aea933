"""The standing cache: refreshed when an event is recorded and every night, counted by SQL, and read
by the sampling draw in one query."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue
from sanpin.credit import standing
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import CreditEvent, CreditStanding
from sanpin.credit.services import credit_event_record, rulebook_publish

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _fact(entity, kind, on, recorded_by, n=[0]):  # noqa: B006 - a counter for unique sources
    n[0] += 1
    return CreditEvent.objects.create(entity=entity, kind=kind, occurred_on=on, source_type="test.fact",
                                      source_id=str(n[0]), summary=str(kind), recorded_by=recorded_by)


def test_recording_an_event_refreshes_the_entitys_standing(users, gx_entity, on_day,
                                                            django_capture_on_commit_callbacks):
    on_day(DAY)
    standing.refresh(gx_entity)
    assert CreditStanding.objects.get(entity=gx_entity).grade == "B"  # base 85
    with django_capture_on_commit_callbacks(execute=True):
        credit_event_record(actor=users["gx_province"], entity=gx_entity, kind=CreditKind.AWARD, occurred_on=DAY,
                            summary="获评省级龙头企业", evidence="桂农业发〔2026〕1号")
    row = CreditStanding.objects.get(entity=gx_entity)
    assert (row.grade, float(row.score), row.computed_on, row.negative_since) == ("A", 90.0, DAY, None)
    with django_capture_on_commit_callbacks(execute=True):
        _fact(gx_entity, CreditKind.SAMPLING_FAILED, DAY - datetime.timedelta(days=3), users["national"])
    row = CreditStanding.objects.get(entity=gx_entity)
    assert row.grade == "B" and row.negative_since == DAY - datetime.timedelta(days=3)


def test_a_new_event_drops_the_stale_row_inside_its_transaction(users, gx_entity, on_day):
    """Before the commit (when the refresh runs) a reader recomputes rather than read the old grade."""
    on_day(DAY)
    standing.refresh(gx_entity)
    _fact(gx_entity, CreditKind.SAMPLING_FAILED, DAY, users["national"])
    _fact(gx_entity, CreditKind.RECTIFICATION_OVERDUE, DAY, users["national"])
    assert not CreditStanding.objects.filter(entity=gx_entity).exists()
    assert standing.current_grades([gx_entity.pk]) == {gx_entity.pk: "C"}  # 85 − 10 − 8 = 67


def test_the_nightly_refresh_moves_a_grade_as_an_event_decays(users, gx_entity, on_day):
    """Two failures of 2026-03-02 take a fresh entity to 65 (C); with a half life of 730 days
    they weigh −10 after two years (75, B), so the nightly refresh of that day moves it to B."""
    on_day(DAY)
    _fact(gx_entity, CreditKind.SAMPLING_FAILED, DAY, users["national"])
    _fact(gx_entity, CreditKind.SAMPLING_FAILED, DAY, users["national"])
    assert standing.refresh_all() >= 1
    assert CreditStanding.objects.get(entity=gx_entity).grade == "C"
    on_day(DAY + datetime.timedelta(days=700))
    call_command("credit_refresh", verbosity=0)
    assert CreditStanding.objects.get(entity=gx_entity).grade == "C"
    on_day(DAY + datetime.timedelta(days=730))
    from sanpin.credit.tasks import refresh_all

    refresh_all()
    row = CreditStanding.objects.get(entity=gx_entity)
    assert (row.grade, float(row.score), row.computed_on) == ("B", 75.0, DAY + datetime.timedelta(days=730))


def test_the_nightly_refresh_covers_certificate_holders_in_chunks_with_bulk_writes(users, regions, on_day):
    on_day(datetime.date(2025, 6, 1))
    holders = [EntityFactory(name=f"持证主体{i}", region=regions["450102"]) for i in range(5)]
    for holder in holders:
        issue(holder)
    idle = EntityFactory(name="无证无事件主体", region=regions["450102"])
    with CaptureQueriesContext(connection) as queries:
        assert standing.refresh_all(chunk=2) == 5
    # rulebook + the two id lists + per chunk (3 chunks) one events read and one upsert
    assert len(queries) <= 3 + 3 * 2
    assert set(CreditStanding.objects.values_list("entity_id", flat=True)) == {h.pk for h in holders}
    assert not CreditStanding.objects.filter(entity=idle).exists()


def test_a_new_rulebook_version_moves_grades_from_its_date(users, gx_entity, on_day):
    on_day(DAY)
    _fact(gx_entity, CreditKind.SAMPLING_FAILED, DAY, users["national"])
    standing.refresh_all()
    assert CreditStanding.objects.get(entity=gx_entity).grade == "B"  # 75
    from sanpin.credit import rulebook as rulebooks

    values = {**rulebooks.default_values(), "effective_from": DAY + datetime.timedelta(days=10),
              "note": "抽检不合格加重扣分"}
    values.pop("version")
    values["weights"] = {**values["weights"], CreditKind.SAMPLING_FAILED: -25}
    rulebook_publish(actor=users["national"], **values)
    on_day(DAY + datetime.timedelta(days=9))
    standing.refresh_all()
    assert CreditStanding.objects.get(entity=gx_entity).rulebook_version == 1
    on_day(DAY + datetime.timedelta(days=10))
    standing.refresh_all()
    row = CreditStanding.objects.get(entity=gx_entity)
    assert (row.rulebook_version, row.grade) == (2, "C")


def _standing(entity, grade, score="80"):
    CreditStanding.objects.create(entity=entity, grade=grade, score=score, rulebook_version=1, computed_on=DAY)


def test_grade_distribution_counts_by_sql_and_respects_the_region(regions, on_day):
    on_day(DAY)
    _standing(EntityFactory(region=regions["450102"]), "A", "95")
    _standing(EntityFactory(region=regions["450102"]), "B")
    _standing(EntityFactory(region=regions["451000"] if "451000" in regions else regions["450103"]), "B")
    _standing(EntityFactory(region=regions["310101"]), "D", "40")
    with CaptureQueriesContext(connection) as queries:
        everywhere = standing.grade_distribution()
    assert everywhere == {"A": 1, "B": 2, "C": 0, "D": 1}
    assert len(queries) == 1 and "GROUP BY" in queries[0]["sql"].upper()
    assert standing.grade_distribution("45") == {"A": 1, "B": 2, "C": 0, "D": 0}
    assert standing.grade_distribution(regions["310000"]) == {"A": 0, "B": 0, "C": 0, "D": 1}
    assert standing.grade_distribution("4501")["D"] == 0


def test_credit_weights_return_the_rulebooks_sampling_weights_in_one_read(users, regions, on_day):
    from sanpin.sampling.weights import credit_weight, credit_weights

    on_day(DAY)
    graded = {grade: EntityFactory(name=f"{grade} 级主体", region=regions["450102"]) for grade in "ABCD"}
    for grade, entity in graded.items():
        _standing(entity, grade)
    with CaptureQueriesContext(connection) as queries:
        weights = credit_weights([e.pk for e in graded.values()])
    assert weights == {graded["A"].pk: 0.5, graded["B"].pk: 1.0, graded["C"].pk: 2.0, graded["D"].pk: 3.0}
    assert len(queries) == 2  # the rulebook in force and the standing rows
    # A row not computed today is recomputed first (here: no events, so the base grade B)
    CreditStanding.objects.filter(entity=graded["D"]).update(computed_on=DAY - datetime.timedelta(days=1))
    assert credit_weight(graded["D"]) == 1.0
    assert CreditStanding.objects.get(entity=graded["D"]).computed_on == DAY
