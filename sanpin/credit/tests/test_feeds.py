"""The other modules feed the credit file: sampling reports, rectifications, revocations and 合格证
violations, each fact once."""

import datetime

import pytest

from sanpin.compliance.receiving import violation_record
from sanpin.credit import feeds, scoring
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import CreditEvent
from sanpin.credit.services import credit_event_record
from sanpin.sampling import services as sampling
from sanpin.sampling.models import LabReport
from sanpin.sampling.tests.conftest import FAILING, PASSING, TODAY, certificates, drawn_plan
from sanpin.supervision import causes
from sanpin.supervision import services as supervision
from sanpin.supervision.models import Rectification, RevocationRequest

pytestmark = pytest.mark.django_db


def _report(world, holder, results):
    certificates(holder, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    return sampling.report_submit(actor=world["lab_user"], task=task, results=results, report_number="GB-1")


def test_a_sampling_failure_lowers_the_grade_by_the_rulebooks_weight_and_says_why(world, gx_entity):
    # Given an entity at 80 (B) after an upheld complaint
    credit_event_record(actor=world["gx_province"], entity=gx_entity, kind=CreditKind.COMPLAINT_UPHELD,
                        occurred_on=TODAY, summary="投诉查实：包装标注不实", evidence="投诉 TS-1")
    before = scoring.score(gx_entity, on=TODAY)
    assert (before.score, before.grade) == (80.0, "B")
    # When a lab reports a failing sample of its product
    _report(world, gx_entity, FAILING)
    # Then the score falls by the rulebook's weight (10), the grade to C, and the failure leads the explanation
    after = scoring.score(gx_entity, on=TODAY)
    assert (after.score, after.grade) == (70.0, "C")
    event, points = after.contributions[0]
    assert (event.kind, points) == (CreditKind.SAMPLING_FAILED, -10.0)
    assert "检测不合格" in event.summary and event.source_type == "sampling.labreport"
    # and the next draw weights its products by the C grade's sampling weight
    from sanpin.sampling.weights import credit_weight
    assert credit_weight(gx_entity) == 2.0


def test_a_passing_sample_is_a_small_plus_and_feeds_are_idempotent(world, gx_entity):
    report = _report(world, gx_entity, PASSING)
    event = CreditEvent.objects.get(entity=gx_entity)
    assert (event.kind, event.occurred_on) == (CreditKind.SAMPLING_PASSED, TODAY)
    # The same fact told again (a re-save, a replayed receiver) is recorded once.
    feeds.on_lab_report(LabReport, report, created=True)
    report.save()
    assert CreditEvent.objects.filter(entity=gx_entity).count() == 1
    assert scoring.score(gx_entity, on=TODAY).score == 86.0


def test_an_overdue_rectification_and_the_revocation_that_follows(world, gx_entity, on_day):
    [certificate] = certificates(gx_entity, 1)
    rectification = supervision.rectification_open(actor=world["gx_province"], certificate=certificate,
                                                   cause=causes.SAMPLING_FAILED, detail="抽检不合格")
    later = rectification.due_on + datetime.timedelta(days=1)
    on_day(later)
    assert supervision.rectifications_overdue_process(later) == 1
    assert supervision.rectifications_overdue_process(later) == 0
    rectification.refresh_from_db()
    rectification.save()  # saved again: still one event
    overdue = CreditEvent.objects.get(kind=CreditKind.RECTIFICATION_OVERDUE)
    assert (overdue.entity, overdue.source_id, overdue.occurred_on) == (gx_entity, str(rectification.pk), later)
    request = RevocationRequest.objects.get(rectification=rectification)
    supervision.revocation_decide(actor=world["national"], request=request, revoke=True, note="逾期未整改")
    revocation = CreditEvent.objects.get(kind=CreditKind.REVOCATION)
    assert revocation.entity == gx_entity and certificate.number in revocation.summary
    result = scoring.score(gx_entity, on=later)
    assert (result.score, result.grade) == (37.0, "D")
    assert [e.kind for e, _p in result.contributions] == [CreditKind.REVOCATION, CreditKind.RECTIFICATION_OVERDUE]


def test_a_rectification_accepted_by_its_deadline_counts_for_the_holder(world, gx_entity):
    [certificate] = certificates(gx_entity, 1)
    rectification = supervision.rectification_open(actor=world["gx_province"], certificate=certificate,
                                                   cause=causes.SAMPLING_FAILED, detail="抽检不合格")
    supervision.rectification_answer(actor=world["gx_applicant"], rectification=rectification, answer="已整改")
    supervision.rectification_decide(actor=world["gx_province"], rectification=rectification, accepted=True,
                                     note="整改到位")
    assert list(CreditEvent.objects.values_list("kind", flat=True)) == [CreditKind.RECTIFICATION_CLOSED_ON_TIME]
    assert Rectification.objects.get().status == "accepted"


def test_a_compliance_violation_is_recorded_once(world, gx_entity):
    violation = violation_record(actor=world["gx_province"], entity_id=gx_entity.pk, kind="not_issued",
                                 occurred_on=datetime.date(2026, 2, 20), detail="销售时未开具合格证")
    feeds.on_violation(type(violation), violation, created=True)
    event = CreditEvent.objects.get()
    assert (event.kind, event.occurred_on, event.recorded_by) == (
        CreditKind.COMPLIANCE_VIOLATION, datetime.date(2026, 2, 20), world["gx_province"])
    assert event.summary == "合格证违规：应开未开"
    assert scoring.score(gx_entity, on=TODAY).score == 75.1  # -10 decayed over 10 days: -9.91


def test_a_rolled_back_change_leaves_no_event(world, gx_entity):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        violation_record(actor=world["gx_province"], entity_id=gx_entity.pk, kind="not_issued",
                         occurred_on=TODAY, detail="x")
        raise RuntimeError
    assert not CreditEvent.objects.exists()
