"""Plans, the draw, lab assignment and lab reports through the services."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.accounts.models import LabDesignation, system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.choices import Status
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.notifications.models import Notification
from sanpin.sampling import services
from sanpin.sampling.models import Draw, LabReport, PlanStatus, Result, SamplingTask, TaskStatus
from sanpin.supervision import causes
from sanpin.supervision.models import Rectification, Source
from sanpin.supervision.services import rectification_open

from .conftest import FAILING, PASSING, certificates, drawn_plan

pytestmark = pytest.mark.django_db


def test_only_national_staff_create_plans(world):
    plan = services.plan_create(actor=world["national"], year=2026, scheme="green_food")
    assert plan.number == "CJ20260001" and plan.title == "2026 年绿色食品产品质量抽检计划"
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=world["gx_province"], year=2026, scheme="green_food")
    with pytest.raises(ValidationFailed) as refused:
        services.plan_create(actor=world["national"], year=1999, scheme="gi")
    assert set(refused.value.fields) == {"year", "scheme"}


def test_quotas_are_set_per_province_before_the_draw(world):
    plan = services.plan_create(actor=world["national"], year=2026, scheme="green_inputs")
    with pytest.raises(ValidationFailed) as refused:
        services.quota_set(actor=world["national"], plan=plan, region=world["regions"]["450100"], count=3)
    assert "region" in refused.value.fields
    services.quota_set(actor=world["national"], plan=plan, region=world["regions"]["450000"], count=3)
    services.quota_set(actor=world["national"], plan=plan, region=world["regions"]["450000"], count=2)
    assert plan.total_quota == 2
    with pytest.raises(ValidationFailed):  # a plan without quotas cannot be drawn
        services.plan_draw(actor=world["national"],
                           plan=services.plan_create(actor=world["national"], year=2026, scheme="organic"))
    services.plan_draw(actor=world["national"], plan=plan, seed=1)
    with pytest.raises(TransitionNotAllowed):
        services.quota_set(actor=world["national"], plan=plan, region=world["regions"]["310000"], count=1)
    with pytest.raises(TransitionNotAllowed):
        services.plan_draw(actor=world["national"], plan=plan, seed=1)


def test_the_draw_is_reproducible_from_its_seed_and_audited(world, gx_entity, sh_entity):
    certificates(gx_entity, 6)
    certificates(sh_entity, 3)
    first = drawn_plan(world, {"450000": 3, "310000": 2}, seed=20260302)
    second = drawn_plan(world, {"450000": 3, "310000": 2}, seed=20260302)
    pick = lambda plan: sorted(SamplingTask.objects.filter(plan=plan).values_list("certificate_id", flat=True))  # noqa: E731
    assert len(pick(first)) == 5 and pick(first) == pick(second)
    draw = Draw.objects.get(plan=first)
    assert draw.seed == 20260302 and len(draw.candidates["450000"]) == 6 and len(draw.candidates["310000"]) == 3
    assert services.draw_replay(draw) == draw.selected
    assert first.status == PlanStatus.DRAWN
    event = AuditEvent.objects.filter(verb="sampling.plan_draw").first()
    assert event.new["seed"] == "20260302" and event.new["selected"] == draw.selected
    # Another seed, another draw (of 6 choose 3, the same one is unlikely for these two seeds).
    third = drawn_plan(world, {"450000": 3}, seed=1)
    assert Draw.objects.get(plan=third).selected["450000"] != draw.selected["450000"]


def test_a_quota_larger_than_the_candidates_takes_them_all(world, gx_entity):
    certificates(gx_entity, 2)
    plan = drawn_plan(world, {"450000": 5})
    assert plan.tasks.count() == 2


def test_risk_raises_the_weight(world, gx_entity, regions):
    risky = EntityFactory(name="风险较高的公司", region=regions["450103"])
    [risky_cert] = certificates(risky, 1)
    [calm_cert] = certificates(gx_entity, 1)
    rectification_open(actor=system_user(), certificate=risky_cert, cause=causes.SAMPLING_FAILED, detail="上次不合格",
                       source=Source.SAMPLING)
    draw = drawn_plan(world, {"450000": 2}).draw
    weights = dict((pk, Decimal(w)) for pk, w in draw.candidates["450000"])
    assert weights == {risky_cert.pk: Decimal("2.000"), calm_cert.pk: Decimal("1.000")}
    # A failed sample of the holder counts as well: +1 each.
    task = SamplingTask.objects.get(plan=draw.plan, certificate=calm_cert)
    services.report_submit(actor=world["lab_user"], task=task, results=FAILING)
    later = drawn_plan(world, {"450000": 2}, year=2027).draw
    # 1 + the failed sample + the rectification it opened
    assert dict(later.candidates["450000"])[calm_cert.pk] == "3.000"
    assert dict(later.candidates["450000"])[risky_cert.pk] == "2.000"


def test_a_fresh_entity_weighs_as_grade_b(gx_entity):
    from sanpin.sampling.weights import credit_weight, weight

    assert credit_weight(gx_entity) == 1.0
    assert weight(gx_entity, failed_samples=5, open_rectification=True) == Decimal("5.000")  # 1 + 3 (cap) + 1


def test_tasks_go_to_a_lab_designated_for_the_scheme_and_tests(world, gx_entity, sh_entity):
    [gx_cert] = certificates(gx_entity, 1)
    [odd] = certificates(sh_entity, 1, category="02")  # 农药: no standards yet
    plan = drawn_plan(world, {"450000": 1, "310000": 1})
    task = SamplingTask.objects.get(plan=plan, certificate=gx_cert)
    assert (task.lab, task.status, task.tests) == (world["lab"], TaskStatus.ASSIGNED, ["heavy_metals",
                                                                                       "nutrient_content"])
    orphan = SamplingTask.objects.get(plan=plan, certificate=odd)
    assert orphan.status == TaskStatus.UNASSIGNED and "尚无抽检限量标准" in orphan.unassigned_reason


def test_no_lab_when_the_designation_is_suspended(world, gx_entity):
    certificates(gx_entity, 1)
    LabDesignation.objects.update(is_suspended=True, suspension_reason="能力验证不合格")
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    assert task.status == TaskStatus.UNASSIGNED and task.lab is None
    assert "没有定点范围覆盖全部检测项目" in task.unassigned_reason


def test_assigning_a_lab_checks_its_designation(world, gx_entity):
    certificates(gx_entity, 1)
    LabDesignation.objects.update(is_suspended=True, suspension_reason="能力验证不合格")
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    with pytest.raises(ValidationFailed) as refused:
        services.task_assign_lab(actor=world["national"], task=task, lab=world["other_lab"])
    assert "不是绿色食品生产资料定点检测机构" in refused.value.fields["lab"][0]
    with pytest.raises(ValidationFailed) as refused:
        services.task_assign_lab(actor=world["national"], task=task, lab=world["lab"])
    assert "暂停" in refused.value.fields["lab"][0]
    LabDesignation.objects.update(is_suspended=False, suspension_reason="")
    services.task_assign_lab(actor=world["national"], task=task, lab=world["lab"])
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and task.lab == world["lab"]
    with pytest.raises(PermissionDenied):
        services.task_assign_lab(actor=world["gx_province"], task=task, lab=world["lab"])


def test_a_lab_sees_only_its_own_tasks(world, gx_entity):
    certificates(gx_entity, 2)
    plan = drawn_plan(world, {"450000": 2})
    assert SamplingTask.objects.restrict(world["lab_user"]).count() == 2
    assert SamplingTask.objects.restrict(world["other_lab_user"]).count() == 0
    assert SamplingTask.objects.restrict(world["gx_province"]).count() == 2
    assert SamplingTask.objects.restrict(world["sh_province"]).count() == 0
    assert SamplingTask.objects.restrict(world["gx_applicant"]).count() == 0
    assert plan.tasks.count() == 2


def test_a_passing_report(world, gx_entity):
    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    report = services.report_submit(actor=world["lab_user"], task=task, results=PASSING, report_number="GB-2026-01")
    task.refresh_from_db()
    assert report.conclusion == task.conclusion == "pass" and task.status == TaskStatus.REPORTED
    assert [(r.indicator, r.value, r.passed) for r in report.results.all()] == [
        ("总镉（Cd）", Decimal("0.8"), True), ("有机质", Decimal("45.2"), True)]
    assert not Rectification.objects.exists()


def test_a_value_below_a_minimum_fails(world, gx_entity):
    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    results = [PASSING[0], {"indicator": "有机质", "value": "21", "unit": "%"}]
    assert services.report_submit(actor=world["lab_user"], task=task, results=results).conclusion == "fail"


def test_a_failing_report_opens_a_rectification_and_tells_the_province(world, gx_entity,
                                                                        django_capture_on_commit_callbacks):
    [certificate] = certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(actor=world["lab_user"], task=task, results=FAILING)
    task.refresh_from_db()
    rectification = Rectification.objects.get()
    assert (rectification.source, rectification.cause, rectification.source_ref) == (
        Source.SAMPLING, causes.SAMPLING_FAILED, task.number)
    assert rectification.opened_by.is_system
    assert "总镉（Cd） 4.6 mg/kg（限量 ≤3）" in rectification.detail
    assert task.rectification_number == rectification.number
    certificate.refresh_from_db()
    assert certificate.status == Status.IN_RECTIFICATION
    told = Notification.objects.filter(recipient=world["gx_province"], title__contains="抽检不合格")
    assert told.exists()
    assert not Notification.objects.filter(recipient=world["sh_province"], title__contains="抽检不合格").exists()


def test_a_failure_on_a_certificate_already_in_rectification_is_noted(world, gx_entity):
    [certificate] = certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    rectification_open(actor=system_user(), certificate=certificate, cause="mark_misuse", detail="标志使用不规范")
    services.report_submit(actor=world["lab_user"], task=task, results=FAILING)
    task.refresh_from_db()
    assert task.conclusion == "fail" and task.rectification_number == ""
    assert "未能自动作出整改决定" in task.follow_up_note
    assert Rectification.objects.count() == 1


BAD = {
    "no unit": ([{**PASSING[0], "unit": ""}, PASSING[1]], "请填写单位"),
    "wrong unit": ([{**PASSING[0], "unit": "mg/L"}, PASSING[1]], "单位应为 mg/kg"),
    "unknown indicator": ([{"indicator": "总铬", "value": "1", "unit": "mg/kg"}, *PASSING], "未知的检测指标"),
    "negative": ([{**PASSING[0], "value": "-0.1"}, PASSING[1]], "不能为负数"),
    "not a number": ([{**PASSING[0], "value": "0.8毫克"}, PASSING[1]], "须为数字"),
    "nan": ([{**PASSING[0], "value": "NaN"}, PASSING[1]], "须为数字"),
    "missing value": ([{**PASSING[0], "value": ""}, PASSING[1]], "请填写检测值"),
    "missing indicator": ([PASSING[0]], "缺少以下指标的结果：有机质"),
    "twice": ([PASSING[0], PASSING[0], PASSING[1]], "重复"),
    "percent over 100": ([PASSING[0], {**PASSING[1], "value": "130"}], "不能超过 100"),
    "nothing": ([], "请填写各项检测指标的结果"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_results_are_refused_and_nothing_is_written(world, gx_entity, case):
    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    events = AuditEvent.objects.count()
    results, message = BAD[case]
    with pytest.raises(ValidationFailed) as refused:
        services.report_submit(actor=world["lab_user"], task=task, results=results)
    assert message in " ".join(refused.value.fields["results"])
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and not LabReport.objects.exists() and not Result.objects.exists()
    assert AuditEvent.objects.count() == events and not Rectification.objects.exists()


def test_a_report_for_another_labs_task_and_a_second_report_are_refused(world, gx_entity):
    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    with pytest.raises(NotFound) as refused:
        services.report_submit(actor=world["other_lab_user"], task=task, results=PASSING)
    assert "未委托给本机构" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world["gx_province"], task=task, results=PASSING)
    services.report_submit(actor=world["lab_user"], task=task, results=PASSING)
    with pytest.raises(Conflict) as refused:
        services.report_submit(actor=world["lab_user"], task=task, results=FAILING)
    assert "不能重复提交" in refused.value.message
    assert LabReport.objects.count() == 1


def test_a_lab_suspended_after_assignment_cannot_report(world, gx_entity):
    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    LabDesignation.objects.update(is_suspended=True, suspension_reason="飞行检查不合格")
    with pytest.raises(ValidationFailed):
        services.report_submit(actor=world["lab_user"], task=task, results=PASSING)
    assert not LabReport.objects.exists()


def test_expired_certificates_are_not_candidates(world, gx_entity, on_day):
    certificates(gx_entity, 1, approved_on=date(2022, 1, 5))  # valid until early 2025
    certificates(gx_entity, 1)
    plan = drawn_plan(world, {"450000": 5})
    assert plan.tasks.count() == 1


def test_the_credit_hook_weights_a_low_grade_more(world, gx_entity, regions, monkeypatch):
    """A low credit grade's products carry more weight in the draw and are drawn more often over
    many seeds."""
    from sanpin.sampling import draw as draw_module
    from sanpin.sampling import weights

    low_grade = EntityFactory(name="信用等级较低的公司", region=regions["450103"])
    monkeypatch.setattr(weights, "credit_weights", lambda ids: {pk: 3.0 if pk == low_grade.pk else 1.0 for pk in ids})
    [risky] = certificates(low_grade, 1)
    others = certificates(gx_entity, 3)
    table = dict(drawn_plan(world, {"450000": 1}).draw.candidates["450000"])
    assert table[risky.pk] == "3.000" and {table[c.pk] for c in others} == {"1.000"}
    items = [(pk, Decimal(w)) for pk, w in table.items()]
    hits = {pk: 0 for pk in table}
    for seed in range(600):
        hits[draw_module.weighted_sample(items, 1, draw_module.rng_for(seed, "450000"))[0]] += 1
    assert hits[risky.pk] > max(hits[c.pk] for c in others) * 2
