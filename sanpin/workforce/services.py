"""Changes in sanpin.workforce: record or void a lab's proficiency test or flying inspection
(national staff) and record an inspector's training (staff of the province the person is
registered in). Each is one transaction with one audit event; inputs are checked with messages
in Chinese and nothing is written on a refusal."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import DesignationScheme, LabTest
from sanpin.accounts.models import InspectorQualification, LabDesignation, User
from sanpin.catalog.models import Entity, Region
from sanpin.core import audit, clock
from sanpin.core.access import REGION, access_by_id, can, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from .choices import InspectionConclusion, ProficiencyResult
from .models import LabInspection, ProficiencyTest, TrainingRecord

MAX_HOURS = Decimal("2000")


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _check_lab(errors: dict, lab, scheme: str) -> None:
    if not isinstance(lab, Entity) or lab.kind != "lab":
        errors["lab"] = _("请选择检测机构")
    if scheme not in DesignationScheme.values:
        errors["scheme"] = _("未知的业务类型")
    if "lab" not in errors and "scheme" not in errors and not LabDesignation.objects.filter(
            lab=lab, scheme=scheme).exists():
        errors["scheme"] = _("%(lab)s 不是%(scheme)s定点检测机构") % {
            "lab": lab, "scheme": DesignationScheme(scheme).label}


def _check_date(errors: dict, name: str, day, label: str) -> None:
    if not isinstance(day, datetime.date):
        errors[name] = _("请填写%(label)s") % {"label": label}
    elif day > clock.today():
        errors[name] = _("%(label)s不能晚于今天") % {"label": label}


def _require(actor, model) -> None:
    if not can(actor, "change", model):
        raise PermissionDenied()


@transaction.atomic
def proficiency_test_record(*, actor, lab: Entity, scheme: str, test: str, programme: str, organiser: str,
                            tested_on: datetime.date, result: str, notes: str = "") -> ProficiencyTest:
    """Record a lab's result in a proficiency-testing round [001 §19] (national staff).

    Side effects: one audit event. An unsatisfactory result makes the lab unassignable for the
    scheme and test (registries.lab_check_assignable / designated_labs) until a later satisfactory one."""
    _require(actor, ProficiencyTest)
    errors: dict = {}
    _check_lab(errors, lab, scheme)
    if test not in LabTest.values:
        errors["test"] = _("未知的检测项目")
    programme, organiser = _text(programme, 200), _text(organiser, 120)
    if not programme:
        errors["programme"] = _("请填写能力验证计划名称")
    if not organiser:
        errors["organiser"] = _("请填写组织单位")
    _check_date(errors, "tested_on", tested_on, _("结果日期"))
    if result not in ProficiencyResult.values:
        errors["result"] = _("请选择结果：满意、可疑或不满意")
    if errors:
        raise ValidationFailed(fields=errors)
    row = ProficiencyTest.objects.create(
        lab=lab, scheme=scheme, test=test, programme=programme, organiser=organiser, tested_on=tested_on,
        result=result, notes=_text(notes, 2000), recorded_by=actor)
    audit.record(actor=actor, verb="workforce.proficiency_test_record", target=row, new={
        "lab": lab.pk, "scheme": scheme, "test": test, "programme": programme, "organiser": organiser,
        "tested_on": tested_on, "result": result})
    return row


@transaction.atomic
def lab_inspection_record(*, actor, lab: Entity, scheme: str, inspected_on: datetime.date, findings: str,
                          conclusion: str, inspectors: str = "") -> LabInspection:
    """Record a flying inspection of a lab for one scheme [001 §19] (national staff).

    Side effects: one audit event. A failed one makes the lab unassignable for every test of the
    scheme until a later inspection passes."""
    _require(actor, LabInspection)
    errors: dict = {}
    _check_lab(errors, lab, scheme)
    _check_date(errors, "inspected_on", inspected_on, _("检查日期"))
    findings = _text(findings, 5000)
    if not findings:
        errors["findings"] = _("请填写检查发现")
    if conclusion not in InspectionConclusion.values:
        errors["conclusion"] = _("请选择检查结论：合格或不合格")
    if errors:
        raise ValidationFailed(fields=errors)
    row = LabInspection.objects.create(
        lab=lab, scheme=scheme, inspected_on=inspected_on, findings=findings, conclusion=conclusion,
        inspectors=_text(inspectors, 200), recorded_by=actor)
    audit.record(actor=actor, verb="workforce.lab_inspection_record", target=row, new={
        "lab": lab.pk, "scheme": scheme, "inspected_on": inspected_on, "conclusion": conclusion})
    return row


@transaction.atomic
def lab_record_void(*, actor, record, reason: str):
    """Void a proficiency test or flying inspection entered in error: it stays on file, marked,
    and no longer counts for the lab's standing (national staff)."""
    model = type(record)
    if model not in (ProficiencyTest, LabInspection):
        raise ValidationFailed(fields={"record": _("未知的记录")})
    row = access_by_id(model.objects.select_for_update(), actor, record.pk, "change")
    reason = _text(reason, 200)
    if not reason:
        raise ValidationFailed(fields={"reason": _("请说明作废原因")})
    if row.voided_at is not None:
        raise Conflict(_("该记录已作废"))
    row.voided_at, row.void_reason = clock.now(), reason
    row.save(update_fields=["voided_at", "void_reason", "updated_at"])
    audit.record(actor=actor, verb=f"workforce.{model._meta.model_name}_void", target=row,
                 old={"voided": False}, new={"voided": True}, reason=reason)
    return row


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        return None
    if hours != hours.quantize(Decimal("0.1")):
        return None
    return hours


@transaction.atomic
def training_record(*, actor, person: User, province: Region, course: str, organiser: str,
                    started_on: datetime.date, ended_on: datetime.date, hours, certificate_number: str = ""
                    ) -> TrainingRecord:
    """Record a course attended by a registered inspector, supervisor or internal inspector
    [001 §21], in the province the person's qualification is registered in (staff of that
    province or national staff). Side effects: one audit event."""
    _require(actor, TrainingRecord)
    errors: dict = {}
    if not isinstance(province, Region) or province.level != "province":
        errors["province"] = _("请选择注册省份")
    else:
        scope = scope_for(actor, "change", TrainingRecord)
        if scope.kind == REGION and not province.code.startswith(str(scope.value)[:2]):
            raise PermissionDenied(_("只能为本省注册的人员录入培训记录"))
        if not InspectorQualification.objects.filter(user=person, province=province).exists():
            errors["person"] = _("%(person)s 没有在%(province)s注册的检查员、监管员或内检员资质") % {
                "person": person, "province": province.name}
    course, organiser = _text(course, 200), _text(organiser, 120)
    if not course:
        errors["course"] = _("请填写培训班/课程名称")
    if not organiser:
        errors["organiser"] = _("请填写主办单位")
    _check_date(errors, "started_on", started_on, _("开始日期"))
    _check_date(errors, "ended_on", ended_on, _("结束日期"))
    if "started_on" not in errors and "ended_on" not in errors and ended_on < started_on:
        errors["ended_on"] = _("结束日期不能早于开始日期")
    parsed = _hours(hours)
    if parsed is None:
        errors["hours"] = _("学时须为大于 0、不超过 %(max)s 的数，最多一位小数") % {"max": MAX_HOURS}
    certificate_number = _text(certificate_number, 60)
    if certificate_number and TrainingRecord.objects.filter(
            organiser=organiser, certificate_number=certificate_number).exists():
        errors["certificate_number"] = _("该主办单位的结业证书编号 %(n)s 已登记") % {"n": certificate_number}
    if errors:
        raise ValidationFailed(fields=errors)
    row = TrainingRecord.objects.create(
        person=person, province=province, course=course, organiser=organiser, started_on=started_on,
        ended_on=ended_on, hours=parsed, certificate_number=certificate_number, recorded_by=actor)
    audit.record(actor=actor, verb="workforce.training_record", target=row, new={
        "person": person.pk, "province": province.code, "course": course, "organiser": organiser,
        "started_on": started_on, "ended_on": ended_on, "hours": str(parsed),
        "certificate_number": certificate_number})
    return row
