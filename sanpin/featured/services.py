"""Writes for 名特优新 listings: annual confirmation (submitted by the holder, decided by the
provincial office), quality tests, nutrition-quality evaluations, and the daily job that reminds
holders and removes listings not confirmed in time [002 §3(3), SPEC §10].

Each service checks role and scope, validates, writes, and appends one audit event in the same
transaction; notifications go out with it (sanpin.notifications.notify)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.accounts.models import User, system_user
from sanpin.certificates.choices import FINAL, LAPSING, Scheme, Status
from sanpin.certificates.models import Certificate
from sanpin.certificates.services import certificate_extend, certificate_set_status, validity_end
from sanpin.certification.schemes import scheme_config
from sanpin.core import audit, clock
from sanpin.core.access import require_role
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import selectors
from .models import AnnualConfirmation, ConfirmationReminder, ConfirmationStatus, NutritionEvaluation, QualityTest

REMOVAL_REASON = "未按期年度确认，退出名录"


def _config():
    return scheme_config(Scheme.FEATURED)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _notify(users, title, body, url):
    from sanpin.notifications.services import notify

    users = list(users)
    if users:
        notify(recipients=users, title=title, body=body, url=url)


def _holder_users(certificate):
    return certificate.holder.users.filter(is_active=True, role_assignments__role=Role.APPLICANT).distinct()


def _province_reviewers(certificate):
    province = certificate.holder.region_id[:2] + "0000"
    return User.objects.filter(is_active=True, role_assignments__role=Role.PROVINCIAL_REVIEWER,
                               agency__region_id=province).distinct()


def _url(certificate) -> str:
    return reverse("featured:detail", args=[certificate.number])


def confirmation_opens_on(certificate) -> datetime.date:
    return certificate.valid_until - datetime.timedelta(days=_config().extra["confirmation_window_days"])


def check_quality_test_current(certificate, today: datetime.date) -> None:
    """A listing is confirmed only with a passed quality test in the last three years."""
    years = _config().extra["quality_test_years"]
    last = selectors.last_quality_test_on(certificate)
    if last is None:
        raise ValidationFailed(_("该产品没有品质检测记录，须先完成品质检测方可年度确认"),
                               fields={"quality_test": _("缺少品质检测记录")})
    if _years_later(last, years) < today:
        raise ValidationFailed(
            _("最近一次品质检测为 %(last)s，已超过 %(years)d 年（每三年须检测一次），请先完成品质检测再办理年度确认")
            % {"last": last.isoformat(), "years": years},
            fields={"quality_test": _("品质检测已超过三年")})


# --- annual confirmation -----------------------------------------------------------------------------


@transaction.atomic
def confirmation_submit(*, actor, certificate: Certificate, still_producing: bool, output, output_unit: str,
                        changes: str = "") -> AnnualConfirmation:
    """The holder confirms its listing for the coming year, from 90 days before the due date
    (the certificate's valid_until) until that day. Side effects: one AnnualConfirmation; one audit
    event; the provincial reviewers are told."""
    if Role.APPLICANT not in actor.roles:
        raise PermissionDenied()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if actor.entity_id != certificate.holder_id:
        raise NotFound()
    if certificate.scheme != Scheme.FEATURED or certificate.renewed:
        raise NotFound()
    today = clock.today()
    if certificate.status in FINAL:
        raise TransitionNotAllowed(_("该产品已退出名录，不能年度确认"))
    if certificate.valid_until < today:
        raise TransitionNotAllowed(_("年度确认截止日 %(due)s 已过，不能再确认") % {"due": certificate.valid_until})
    opens = confirmation_opens_on(certificate)
    if today < opens:
        raise ValidationFailed(_("本年度确认自 %(opens)s 起办理（截止 %(due)s）")
                               % {"opens": opens.isoformat(), "due": certificate.valid_until.isoformat()})
    if selectors.open_confirmation(certificate) is not None:
        raise Conflict(_("本年度确认已提交，正在等待省级工作机构确认"))
    errors = {}
    if not still_producing:
        errors["still_producing"] = _("产品已不再生产的，不能通过年度确认")
    try:
        output = Decimal(str(output))
        if not output.is_finite() or output <= 0 or output >= Decimal("1e11"):
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["output"] = _("年产量须为大于 0 的数")
    output_unit = (output_unit or "").strip()
    if not output_unit:
        errors["output_unit"] = _("请填写产量单位")
    if errors:
        raise ValidationFailed(fields=errors)
    check_quality_test_current(certificate, today)
    confirmation = AnnualConfirmation.objects.create(
        certificate=certificate, due_on=certificate.valid_until, still_producing=True, output=output,
        output_unit=output_unit[:20], changes=(changes or "").strip(), submitted_at=clock.now(), submitted_by=actor,
    )
    audit.record(actor=actor, verb="featured.confirmation_submit", target=confirmation,
                 new={"certificate": certificate.number, "due_on": certificate.valid_until, "output": str(output),
                      "output_unit": output_unit, "changes": confirmation.changes})
    _notify(_province_reviewers(certificate), _("年度确认待办：%(number)s") % {"number": certificate.number},
            _("%(holder)s 提交了 %(product)s（%(number)s）的年度确认，截止日 %(due)s。") % {
                "holder": certificate.holder.name, "product": certificate.product_name,
                "number": certificate.number, "due": certificate.valid_until},
            reverse("featured:confirmations"))
    return confirmation


@transaction.atomic
def confirmation_decide(*, actor, confirmation: AnnualConfirmation, confirm: bool, opinion: str) -> AnnualConfirmation:
    """The provincial office confirms (the listing's valid_until moves on by one year, through
    certificates.services.certificate_extend) or refuses with a reason (the holder may submit
    again before the due date). Side effects: the confirmation decided; a CertificateChange when
    confirmed; one audit event; the holder is told."""
    require_role(actor, {Role.PROVINCIAL_REVIEWER})
    confirmation = selectors.confirmation(actor, confirmation.pk, "decide")
    confirmation = AnnualConfirmation.objects.select_for_update(of=("self",)).select_related("certificate").get(
        pk=confirmation.pk)
    if confirmation.status != ConfirmationStatus.SUBMITTED:
        raise TransitionNotAllowed(_("该年度确认已办理"))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationFailed(fields={"opinion": _("请填写确认意见") if confirm else _("请填写不予确认的理由")})
    certificate = confirmation.certificate
    if certificate.status in FINAL:
        raise TransitionNotAllowed(_("该产品已退出名录"))
    now = clock.now()
    if confirm:
        check_quality_test_current(certificate, clock.today())
        new_until = validity_end(certificate.valid_until + datetime.timedelta(days=1), 1)
        certificate_extend(actor=actor, certificate=certificate, valid_until=new_until,
                           reason=_("年度确认：%(opinion)s") % {"opinion": opinion},
                           reference=f"年度确认 {confirmation.due_on.year}")
        confirmation.status, confirmation.new_valid_until = ConfirmationStatus.CONFIRMED, new_until
        title = _("年度确认已通过：%(number)s") % {"number": certificate.number}
        body = _("%(product)s（%(number)s）已通过年度确认，下次确认截止日 %(until)s。") % {
            "product": certificate.product_name, "number": certificate.number, "until": new_until}
    else:
        confirmation.status = ConfirmationStatus.REFUSED
        title = _("年度确认未通过：%(number)s") % {"number": certificate.number}
        body = _("%(product)s（%(number)s）的年度确认未通过：%(opinion)s。"
                 "请在 %(due)s 前重新提交，逾期将退出名录。") % {
            "product": certificate.product_name, "number": certificate.number, "opinion": opinion,
            "due": certificate.valid_until}
    confirmation.decided_at, confirmation.decided_by, confirmation.opinion = now, actor, opinion
    confirmation.save(update_fields=["status", "new_valid_until", "decided_at", "decided_by", "opinion",
                                     "updated_at"])
    audit.record(actor=actor, verb="featured.confirmation_decide", target=confirmation,
                 old={"status": ConfirmationStatus.SUBMITTED},
                 new={"status": confirmation.status, "new_valid_until": confirmation.new_valid_until},
                 reason=opinion)
    _notify(_holder_users(certificate), title, body, _url(certificate))
    return confirmation


# --- quality tests and nutrition-quality evaluations ---------------------------------------------------


def _staff_listing(actor, certificate) -> Certificate:
    require_role(actor, REVIEW_STAFF_ROLES)
    return selectors.listing(actor, certificate.number)


def _clean_common(lab, day, field, errors):
    lab = (lab or "").strip()
    if not lab:
        errors["lab"] = _("请填写检测机构")
    if not isinstance(day, datetime.date):
        errors[field] = _("请填写日期")
    elif day > clock.today():
        errors[field] = _("日期不能晚于今天")
    return lab


@transaction.atomic
def quality_test_record(*, actor, certificate: Certificate, lab: str, tested_on, passed: bool, conclusion: str,
                        report_number: str = "", report_file=None) -> QualityTest:
    """Record a quality test of a listed product (every three years [002 §3(3)]) by agency staff
    of the holder's region, with the report's number or file. Side effects: one audit event."""
    certificate = _staff_listing(actor, certificate)
    errors = {}
    lab = _clean_common(lab, tested_on, "tested_on", errors)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        errors["conclusion"] = _("请填写检测结论")
    report_number = (report_number or "").strip()
    if not report_number and not report_file:
        errors["report_number"] = _("请填写报告编号或上传检测报告")
    if report_file is not None and report_file.size > 20 * 1024 * 1024:
        errors["report_file"] = _("文件不能超过 20 MB")
    if errors:
        raise ValidationFailed(fields=errors)
    test = QualityTest(certificate=certificate, lab=lab[:120], tested_on=tested_on, passed=bool(passed),
                       conclusion=conclusion, report_number=report_number[:60], recorded_by=actor)
    if report_file is not None:
        from sanpin.certification.services import sniff

        report_file.seek(0)
        sniff(report_file.read(16), report_file.name)
        report_file.seek(0)
        test.report_file.save(report_file.name.rsplit("/", 1)[-1][:100], report_file, save=False)
    test.save()
    audit.record(actor=actor, verb="featured.quality_test_record", target=test,
                 new={"certificate": certificate.number, "lab": test.lab, "tested_on": tested_on,
                      "passed": test.passed, "report_number": test.report_number})
    return test


def free_basis(region) -> str:
    """Why a nutrition evaluation is free in the holder's county, or "" (SPEC §2, [002 §3(3)])."""
    if region is None:
        return ""
    if region.key_assistance_county:
        return _("国家乡村振兴重点帮扶县")
    if region.poverty_exit_county:
        return _("脱贫县")
    return ""


def _clean_indicators(indicators, errors) -> list[dict]:
    if not isinstance(indicators, list) or not indicators:
        errors["indicators"] = _("请至少填写一项指标")
        return []
    rows = []
    for i, row in enumerate(indicators):
        if not isinstance(row, dict):
            errors[f"indicators[{i}]"] = _("指标格式不正确")
            continue
        name, value, unit = (str(row.get(k, "")).strip() for k in ("name", "value", "unit"))
        if not name:
            errors[f"indicators[{i}].name"] = _("请填写指标名称")
        if not value:
            errors[f"indicators[{i}].value"] = _("请填写指标数值")
        rows.append({"name": name[:60], "value": value[:30], "unit": unit[:20]})
    return rows


@transaction.atomic
def nutrition_evaluation_record(*, actor, certificate: Certificate, lab: str, evaluated_on, indicators,
                                conclusion: str) -> NutritionEvaluation:
    """Record a nutrition-quality evaluation (营养品质评价) with its indicators. It is free (免费)
    when the holder's county is a key-assistance county or a 脱贫县 [002 §3(3)]. Side effects: one
    audit event."""
    certificate = _staff_listing(actor, certificate)
    errors = {}
    lab = _clean_common(lab, evaluated_on, "evaluated_on", errors)
    if "lab" in errors:
        errors["lab"] = _("请填写评价机构")
    rows = _clean_indicators(indicators, errors)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        errors["conclusion"] = _("请填写评价结论")
    if errors:
        raise ValidationFailed(fields=errors)
    basis = free_basis(certificate.holder.region)
    evaluation = NutritionEvaluation.objects.create(
        certificate=certificate, lab=lab[:120], evaluated_on=evaluated_on, indicators=rows, conclusion=conclusion,
        free=bool(basis), free_basis=basis, recorded_by=actor,
    )
    audit.record(actor=actor, verb="featured.nutrition_evaluation_record", target=evaluation,
                 new={"certificate": certificate.number, "lab": evaluation.lab, "evaluated_on": evaluated_on,
                      "indicators": rows, "free": evaluation.free, "free_basis": basis})
    return evaluation


# --- the daily job ---------------------------------------------------------------------------------------


def featured_daily(*, today=None) -> dict:
    """Remind holders before the confirmation due date and remove listings whose due date has
    passed without a confirmation. Idempotent; runs inside certification.services.daily."""
    today = today or clock.today()
    return {"confirmation_reminders": confirmation_reminders_process(today=today),
            "removed": unconfirmed_listings_remove(today=today)}


def confirmation_reminders_process(*, today) -> int:
    """At 60 and 30 days before the due date, once each, unless the holder has already
    submitted this year's confirmation."""
    milestones = sorted(_config().extra["confirmation_reminder_days"], reverse=True)
    candidates = (Certificate.objects.filter(scheme=Scheme.FEATURED, renewed=False, status__in=list(LAPSING),
                                             valid_until__gte=today,
                                             valid_until__lte=today + datetime.timedelta(days=milestones[0]))
                  .select_related("holder"))
    sent = 0
    for certificate in candidates:
        days_left = (certificate.valid_until - today).days
        due = [m for m in milestones if m >= days_left]
        if not due or certificate.featured_confirmations.filter(
                due_on=certificate.valid_until,
                status__in=[ConfirmationStatus.SUBMITTED, ConfirmationStatus.CONFIRMED]).exists():
            continue
        with transaction.atomic():
            _row, created = ConfirmationReminder.objects.get_or_create(
                certificate=certificate, due_on=certificate.valid_until, days_before=min(due),
                defaults={"sent_on": today})
            if not created:
                continue
            _notify(_holder_users(certificate), _("年度确认提醒：%(number)s") % {"number": certificate.number},
                    _("%(product)s（%(number)s）须在 %(due)s 前完成年度确认；"
                      "逾期未确认的，将退出全国名特优新农产品名录。")
                    % {"product": certificate.product_name, "number": certificate.number,
                       "due": certificate.valid_until}, _url(certificate))
            sent += 1
    return sent


def unconfirmed_listings_remove(*, today) -> int:
    """Listings whose due date has passed with no confirmation submitted by then are removed
    (revoked, reason 未按期年度确认，退出名录) and the holder is told. A confirmation submitted in
    time and still waiting for the province keeps the listing."""
    actor = system_user()
    overdue = Certificate.objects.filter(scheme=Scheme.FEATURED, renewed=False, status__in=list(LAPSING),
                                         valid_until__lt=today).select_related("holder")
    removed = 0
    for certificate in overdue:
        if certificate.featured_confirmations.filter(due_on=certificate.valid_until,
                                                     status=ConfirmationStatus.SUBMITTED).exists():
            continue
        with transaction.atomic():
            certificate_set_status(actor=actor, certificate=certificate, status=Status.REVOKED,
                                   reason=REMOVAL_REASON, reference=f"年度确认 {certificate.valid_until.year}")
            _notify(_holder_users(certificate), _("已退出名录：%(number)s") % {"number": certificate.number},
                    _("%(product)s（%(number)s）未在 %(due)s 前完成年度确认，已退出全国名特优新农产品名录，"
                      "不得继续使用全国名特优新农产品标识。") % {
                        "product": certificate.product_name, "number": certificate.number,
                        "due": certificate.valid_until}, _url(certificate))
            removed += 1
    return removed
