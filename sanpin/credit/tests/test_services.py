"""Manual events and rulebook versions through the services."""

import datetime

import pytest

from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.credit import rulebook as rulebooks
from sanpin.credit import scoring
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import CreditEvent, Rulebook
from sanpin.credit.services import credit_event_record, rulebook_publish

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _record(actor, entity, **overrides):
    values = {"kind": CreditKind.AWARD, "occurred_on": DAY, "summary": "获评省级农业产业化龙头企业",
              "evidence": "桂农业发〔2026〕1号"}
    values.update(overrides)
    return credit_event_record(actor=actor, entity=entity, **values)


def test_manual_events_need_provincial_or_national_staff_in_scope(users, gx_entity, sh_entity, on_day):
    on_day(DAY)
    event = _record(users["gx_province"], gx_entity)
    assert (event.recorded_by, event.source_type) == (users["gx_province"], "")
    assert AuditEvent.objects.filter(verb="credit.event.record", target_id=str(event.pk)).count() == 1
    _record(users["national"], sh_entity)
    for actor, entity in [(users["gx_province"], sh_entity), (users["nn_city"], gx_entity),
                          (users["gx_applicant"], gx_entity), (users["inspector"], gx_entity)]:
        with pytest.raises(PermissionDenied):
            _record(actor, entity)
    assert CreditEvent.objects.count() == 2


@pytest.mark.parametrize(("overrides", "field"), [
    ({"summary": "  "}, "summary"),
    ({"evidence": ""}, "evidence"),
    ({"kind": CreditKind.SAMPLING_FAILED}, "kind"),
    ({"occurred_on": None}, "occurred_on"),
    ({"occurred_on": datetime.date(2026, 3, 3)}, "occurred_on"),
])
def test_a_manual_event_needs_a_reason_evidence_and_a_manual_kind(users, gx_entity, on_day, overrides, field):
    on_day(DAY)
    with pytest.raises(ValidationFailed) as caught:
        _record(users["gx_province"], gx_entity, **overrides)
    assert field in caught.value.fields
    assert not CreditEvent.objects.exists()


def _v2(**overrides):
    values = {**rulebooks.default_values(), "effective_from": datetime.date(2026, 4, 1), "note": "抽检不合格加重扣分"}
    values["weights"] = {**values["weights"], CreditKind.SAMPLING_FAILED: -25}
    values.pop("version")
    values.update(overrides)
    return values


def test_a_new_rulebook_version_changes_grades_only_from_its_date(users, gx_entity, on_day):
    on_day(DAY)
    CreditEvent.objects.create(entity=gx_entity, kind=CreditKind.SAMPLING_FAILED, occurred_on=DAY,
                               summary="抽检不合格", recorded_by=users["gx_province"])
    rulebook = rulebook_publish(actor=users["national"], **_v2())
    assert rulebook.version == 2
    assert AuditEvent.objects.filter(verb="credit.rulebook.publish").count() == 1
    # Before 1 April version 1 is in force; from 1 April version 2 (a heavier sampling failure).
    march = scoring.score(gx_entity, on=datetime.date(2026, 3, 31))
    april = scoring.score(gx_entity, on=datetime.date(2026, 4, 1))
    assert (march.rulebook_version, march.grade) == (1, "B")
    assert (april.rulebook_version, april.grade) == (2, "C")  # 85 - 25 decayed over 30 days: 60.7
    # Any day can be recomputed under any version.
    assert scoring.score(gx_entity, on=datetime.date(2026, 4, 1), rulebook=Rulebook.objects.get(version=1)).grade == "B"


def test_only_national_staff_publish_valid_rulebooks(users, on_day):
    on_day(DAY)
    with pytest.raises(PermissionDenied):
        rulebook_publish(actor=users["gx_province"], **_v2())
    weights = dict(rulebooks.default_values()["weights"])
    weights.pop(CreditKind.AWARD)
    bad = [
        ({"weights": weights}, "weights"),
        ({"thresholds": {"A": 70, "B": 75, "C": 60}}, "thresholds"),
        ({"thresholds": {"A": 120, "B": 75, "C": 60}}, "thresholds"),
        ({"half_life_days": 0}, "half_life_days"),
        ({"base_score": 101}, "base_score"),
        ({"sampling_weights": {"A": 1}}, "sampling_weights"),
        ({"effective_from": datetime.date(2026, 3, 1)}, "effective_from"),
        ({"note": ""}, "note"),
    ]
    for overrides, field in bad:
        with pytest.raises(ValidationFailed) as caught:
            rulebook_publish(actor=users["national"], **_v2(**overrides))
        assert field in caught.value.fields, overrides
    assert list(Rulebook.objects.values_list("version", flat=True)) == [1]
