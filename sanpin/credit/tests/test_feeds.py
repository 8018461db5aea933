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


# --- renewals, inspections and complaints ---------------------------------------------------------------


def _renewal_application(world, old, submitted_on):
    """Given a renewal application of `old`'s holder, submitted on `submitted_on`."""
    from django.utils import timezone

    from sanpin.certification.models import Application

    moment = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(9)))
    return Application.objects.create(scheme="green_inputs", kind="renewal", entity=old.holder, certificate=old,
                                      number=f"SZ{submitted_on:%Y}{old.pk:06d}", state="licence",
                                      submitted_at=moment, created_by=world["gx_applicant"])


def _renew(old, application):
    from sanpin.certificates.tests.factories import issue
    from sanpin.core import clock

    start = old.valid_until + datetime.timedelta(days=1)
    return issue(old.holder, product_name=old.product_name, predecessor=old, reference=application.number,
                 approved_on=clock.today(), valid_from=start, valid_until=start.replace(year=start.year + 3))


def test_a_renewal_counts_on_time_or_late_by_the_day_it_was_applied_for(world, gx_entity, on_day):
    from django.db import transaction

    from sanpin.certificates.signals import certificate_changing
    from sanpin.certification.schemes import SCHEMES

    on_time, late, rolled_back = certificates(gx_entity, 3)
    latest = SCHEMES["green_inputs"].renewal_latest_day(on_time.valid_until)  # 90 days before expiry
    first = _renewal_application(world, on_time, latest)
    second = _renewal_application(world, late, latest + datetime.timedelta(days=1))
    third = _renewal_application(world, rolled_back, latest)
    issued_on = latest + datetime.timedelta(days=40)
    on_day(issued_on)
    with pytest.raises(RuntimeError), transaction.atomic():
        _renew(rolled_back, third)
        raise RuntimeError
    assert not CreditEvent.objects.exists()

    new_on_time, new_late = _renew(on_time, first), _renew(late, second)
    events = {e.source_id: e for e in CreditEvent.objects.all()}
    assert len(events) == 2
    assert (events[str(new_on_time.pk)].kind, events[str(new_late.pk)].kind) == (
        CreditKind.RENEWAL_ON_TIME, CreditKind.RENEWAL_LATE)
    assert {e.occurred_on for e in events.values()} == {issued_on}
    assert events[str(new_late.pk)].evidence == second.number and "逾期" in events[str(new_late.pk)].summary
    # Told again (a replayed signal, a re-save): still one event each
    certificate_changing.send(sender=type(new_on_time), certificate=new_on_time, kind="renewed", key=None)
    new_late.save()
    assert CreditEvent.objects.count() == 2
    # A first certificate (no predecessor) is no renewal
    certificates(gx_entity, 1)
    assert CreditEvent.objects.count() == 2


@pytest.fixture
def annual(world, agencies, gx_entity, sh_entity, regions):
    """Guangxi's 2026 annual-inspection plan: the Guangxi holder and a second one, both assigned."""
    from sanpin.catalog.tests.factories import EntityFactory
    from sanpin.inspections import services as inspections
    from sanpin.inspections.tests.factories import inspector

    other = EntityFactory(name="百色生资公司", region=regions["451031"])
    certificates(gx_entity, 1)
    certificates(other, 1)
    plan = inspections.plan_generate(actor=world["gx_province"], province=regions["450000"], year=2026,
                                     schemes=["green_inputs"])
    who = inspector("gx_insp", agencies["gx"])
    for item in plan.items.all():
        inspections.item_assign(actor=world["gx_province"], item=item, inspector=who)
    return {"plan": plan, "inspector": who, "other": other}


def test_a_failing_annual_inspection_is_recorded_once(world, gx_entity, annual):
    from django.db import transaction

    from sanpin.inspections import services as inspections

    item = annual["plan"].items.get(entity=gx_entity)
    values = {"inspected_on": datetime.date(2026, 3, 1), "findings": "生产记录缺失，投入品来源不明",
              "conclusion": "fail"}
    with pytest.raises(RuntimeError), transaction.atomic():
        inspections.inspection_record(actor=annual["inspector"], item=item, **values)
        raise RuntimeError
    assert not CreditEvent.objects.exists()
    record = inspections.inspection_record(actor=annual["inspector"], item=item, **values)
    event = CreditEvent.objects.get()
    assert (event.kind, event.entity, event.occurred_on, event.source_type, event.source_id) == (
        CreditKind.INSPECTION_FAILED, gx_entity, datetime.date(2026, 3, 1), "inspections.inspectionrecord",
        str(record.pk))
    assert record.number in event.summary and "不合格" in event.summary
    record.save()
    # A passing inspection of the other holder is no credit event
    inspections.inspection_record(actor=annual["inspector"], item=annual["plan"].items.get(entity=annual["other"]),
                                  inspected_on=datetime.date(2026, 3, 1), findings="", conclusion="pass")
    assert CreditEvent.objects.count() == 1
    assert scoring.score(gx_entity, on=TODAY).score == 77.0  # the rulebook's -8


def test_a_flight_inspection_concluded_failing_is_recorded_once(world, gx_entity):
    from django.db import transaction

    from sanpin.accounts.choices import QualificationKind
    from sanpin.accounts.models import InspectorQualification
    from sanpin.oversight import services as oversight

    [certificate] = certificates(gx_entity, 1)
    InspectorQualification.objects.create(
        user=world["inspector"], kind=QualificationKind.GREEN_INPUTS_ADMIN, number="GX-GI-2026-01",
        province=world["regions"]["450000"], valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31))

    def planned():
        return oversight.flight_plan(actor=world["gx_province"], certificate=certificate, planned_on=TODAY,
                                     reason="举报线索", inspectors=[world["inspector"]])

    passing, failing = planned(), planned()
    oversight.flight_record(actor=world["gx_province"], inspection=passing, inspected_on=TODAY, findings="未见异常",
                            conclusion="pass")
    with pytest.raises(RuntimeError), transaction.atomic():
        oversight.flight_record(actor=world["gx_province"], inspection=failing, inspected_on=TODAY,
                                findings="使用未经核准的原料", conclusion="rectify")
        raise RuntimeError
    assert not CreditEvent.objects.exists()
    oversight.flight_record(actor=world["gx_province"], inspection=failing, inspected_on=TODAY,
                            findings="使用未经核准的原料", conclusion="rectify")
    event = CreditEvent.objects.get()
    assert (event.kind, event.entity, event.occurred_on, event.source_id) == (
        CreditKind.INSPECTION_FAILED, gx_entity, TODAY, str(failing.pk))
    assert "飞行检查" in event.summary and event.evidence == "使用未经核准的原料"
    failing.refresh_from_db()
    failing.save()
    assert CreditEvent.objects.count() == 1


def test_an_upheld_complaint_against_a_holder_is_recorded_once(world, gx_entity, settings, tmp_path):
    from django.db import transaction

    from sanpin.oversight import services as oversight

    settings.MEDIA_ROOT = tmp_path
    [certificate] = certificates(gx_entity, 1)

    def complaint(**extra):
        return oversight.complaint_submit(product_name="有机肥", place="南宁某农资店", description="标志疑似冒用",
                                          region=world["regions"]["450000"], **extra)

    upheld, not_upheld, anonymous = (complaint(number_shown=certificate.number),
                                     complaint(number_shown=certificate.number), complaint(number_shown="无"))
    oversight.complaint_close(actor=world["gx_province"], complaint=not_upheld, result="not_upheld", findings="不属实")
    oversight.complaint_close(actor=world["gx_province"], complaint=anonymous, result="upheld",
                              findings="属实，未能确定生产者")
    with pytest.raises(RuntimeError), transaction.atomic():
        oversight.complaint_close(actor=world["gx_province"], complaint=upheld, result="upheld", findings="属实")
        raise RuntimeError
    assert not CreditEvent.objects.exists()
    oversight.complaint_close(actor=world["gx_province"], complaint=upheld, result="upheld",
                              findings="现场核实：标签未标注产品编号")
    event = CreditEvent.objects.get()
    assert (event.kind, event.entity, event.occurred_on, event.source_id) == (
        CreditKind.COMPLAINT_UPHELD, gx_entity, TODAY, str(upheld.pk))
    assert upheld.tracking_code in event.summary
    upheld.refresh_from_db()
    upheld.save()
    assert CreditEvent.objects.count() == 1
    assert scoring.score(gx_entity, on=TODAY).score == 80.0
