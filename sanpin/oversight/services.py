"""Every change in oversight: risk-monitoring projects and records, unannounced inspections, market
checks of mark use (with the counterfeit and unauthorised-use cases they find), packaging-label
filings and public complaints.

Each service checks the actor's role and region, validates with Chinese messages, is one
transaction and writes one audit event. Findings become rectifications and revocation requests
only through sanpin.supervision.services (rectification_open / revocation_request_open), in the
same transaction, so a refused follow-up leaves nothing written."""

import datetime
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.accounts.models import User, system_user
from sanpin.accounts.registries import inspector_check_assignable
from sanpin.catalog.models import Region
from sanpin.certificates import selectors as certificate_selectors
from sanpin.certificates.choices import Scheme, Status
from sanpin.certificates.models import Certificate
from sanpin.certification.services import MAX_UPLOAD_BYTES, sniff
from sanpin.core import audit, clock, numbering
from sanpin.core.access import ALL, REGION, access_by_id, can, require_role, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.notifications.services import notify
from sanpin.supervision import causes as cause_tables
from sanpin.supervision.models import Source
from sanpin.supervision.services import rectification_open, revocation_request_open

from .models import (
    FLIGHT_QUALIFICATIONS,
    PROVINCE_ROLES,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintResult,
    ComplaintStatus,
    FlightConclusion,
    FlightInspection,
    FlightStatus,
    ItemResult,
    LabelFiling,
    LabelStatus,
    MarkCase,
    MarketCheck,
    MarketCheckItem,
    PlaceKind,
    RiskFinding,
    RiskProject,
    RiskRecord,
)

# Registry answers (sanpin.certificates.selectors.verify) and what they mean on a market shelf.
COUNTERFEIT_ANSWERS = frozenset({certificate_selectors.NOT_FOUND, certificate_selectors.FORGED})
UNAUTHORISED_ANSWERS = frozenset({"expired", Status.REVOKED, Status.STOPPED, Status.SUSPENDED})
AUTHORISED_ANSWERS = frozenset({Status.VALID, Status.IN_RECTIFICATION})
LABEL_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone
TEXT_LIMIT = 4000


def _number(prefix: str) -> str:
    year = clock.today().year
    return f"{prefix}{year}{numbering.next_value(f'oversight:{prefix.lower()}:{year}'):06d}"


def _is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def _text(value, field, errors, message, *, limit=TEXT_LIMIT, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = message
    elif len(value) > limit:
        errors[field] = _("不能超过 %(n)s 个字") % {"n": limit}
    return value


def _region_in_scope(actor, region, model, action) -> bool:
    """Whether `region` lies in what the actor reaches for `action` on `model`."""
    if _is_system(actor):
        return True
    scope = scope_for(actor, action, model)
    if scope.kind == ALL:
        return True
    return scope.kind == REGION and region is not None and region.code.startswith(scope.value)


def _certificate(actor, certificate) -> Certificate:
    """The certificate locked, in the actor's scope (404 otherwise)."""
    queryset = Certificate.objects.select_for_update(of=("self",)).select_related("holder")
    if _is_system(actor):
        return queryset.get(pk=certificate.pk)
    return access_by_id(queryset, actor, certificate.pk, "view")


def _tell(users, title, body, url):
    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(lambda: notify(recipients=users, title=title, body=body, url=url))


def _holder_users(certificate):
    return list(User.objects.filter(entity_id=certificate.holder_id, is_active=True,
                                    role_assignments__role=Role.APPLICANT).distinct())


def _staff_of(region_code: str, roles):
    return list(User.objects.filter(agency__region_id=region_code, is_active=True,
                                    role_assignments__role__in=list(roles)).distinct())


def _check_file(upload, allowed=None) -> tuple[str, str, str]:
    """Name, content type (read from the first bytes: the name may lie) and SHA-256 of an upload."""
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationFailed(fields={"file": _("请选择文件（文件不能为空）")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(fields={"file": _("文件不能超过 20 MB")})
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    upload.seek(0)
    content_type = sniff(upload.read(16), name)
    if allowed and content_type not in allowed:
        raise ValidationFailed(fields={"file": _("只接受 PDF、JPG 或 PNG 文件")})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, content_type, digest.hexdigest()


def _decimal(value, field, errors, *, required=True):
    if value in (None, ""):
        if required:
            errors[field] = _("请填写数值")
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("请填写数值")
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1e10"):
        errors[field] = _("数值应为不小于 0 的有限数")
        return None
    return number


# --- risk monitoring ----------------------------------------------------------------------------------


@transaction.atomic
def risk_project_create(*, actor, year: int, scheme: str, title: str, focus: str, regions) -> RiskProject:
    """A risk-monitoring project [001 §6] over regions in the organiser's scope."""
    require_role(actor, PROVINCE_ROLES)
    errors = {}
    title = _text(title, "title", errors, _("请填写项目名称"), limit=200)
    focus = _text(focus, "focus", errors, _("请填写监测的危害或指标"), limit=300)
    if scheme not in Scheme.values:
        errors["scheme"] = _("认证类型不正确")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= clock.today().year + 1:
        errors["year"] = _("年度不正确")
    regions = list(dict.fromkeys(regions or []))
    if not regions:
        errors["regions"] = _("请选择监测地区")
    elif not all(_region_in_scope(actor, r, RiskRecord, "record") for r in regions):
        errors["regions"] = _("监测地区应在您的管辖范围内")
    if errors:
        raise ValidationFailed(fields=errors)
    project = RiskProject.objects.create(number=_number("FX"), year=year, scheme=scheme, title=title, focus=focus,
                                         organiser=actor.agency, created_by=actor)
    project.regions.set(regions)
    audit.record(actor=actor, verb="oversight.risk_project_create", target=project,
                 new={"year": year, "scheme": scheme, "title": title, "focus": focus,
                      "regions": [r.code for r in regions]})
    return project


@transaction.atomic
def risk_record_add(*, actor, project, product_name: str, sample_code: str, sampled_on, indicator: str, value,
                    unit: str, finding: str, certificate=None, region=None, limit=None, note: str = "") -> RiskRecord:
    """One monitoring result. The sample's region (the certificate holder's when a certificate is
    named) must be a region of the project and in the actor's scope. A value above its limit is
    "exceeded", never "normal"."""
    require_role(actor, REVIEW_STAFF_ROLES)
    project = access_by_id(RiskProject.objects.all(), actor, project.pk, "view")
    errors = {}
    if certificate is not None:
        certificate = _certificate(actor, certificate)
        if certificate.scheme != project.scheme:
            errors["certificate"] = _("证书的认证类型与项目不一致")
        region = certificate.holder.region
    product_name = _text(product_name, "product_name", errors, _("请填写产品名称"), limit=120)
    sample_code = _text(sample_code, "sample_code", errors, _("请填写样品编号"), limit=40)
    indicator = _text(indicator, "indicator", errors, _("请填写监测指标"), limit=120)
    unit = _text(unit, "unit", errors, _("请填写单位"), limit=20)
    note = _text(note, "note", errors, "", required=False)
    value = _decimal(value, "value", errors)
    limit = _decimal(limit, "limit", errors, required=False)
    if not isinstance(sampled_on, datetime.date):
        errors["sampled_on"] = _("请填写采样日期")
    elif sampled_on > clock.today() or sampled_on.year not in (project.year, project.year + 1):
        errors["sampled_on"] = _("采样日期应在项目年度内且不晚于今天")
    if finding not in RiskFinding.values:
        errors["finding"] = _("请选择结论")
    elif value is not None and limit is not None and value > limit and finding == RiskFinding.NORMAL:
        errors["finding"] = _("检测值超过限量，结论不能为“未见异常”")
    elif finding == RiskFinding.EXCEEDED and (limit is None or (value is not None and value <= limit)):
        errors["finding"] = _("“超出限量”须填写限量且检测值高于限量")
    if region is None:
        errors.setdefault("region", _("请选择采样地区"))
    else:
        prefixes = [r.scope_prefix for r in project.regions.all()]
        if not any(region.code.startswith(p) for p in prefixes):
            errors.setdefault("region", _("采样地区不在项目的监测地区内"))
        elif not _region_in_scope(actor, region, RiskRecord, "record"):
            errors.setdefault("region", _("采样地区不在您的管辖范围内"))
    if errors:
        raise ValidationFailed(fields=errors)
    if RiskRecord.objects.filter(project=project, sample_code=sample_code, indicator=indicator).exists():
        raise ValidationFailed(fields={"sample_code": _("该样品的这一指标已有记录")})
    record = RiskRecord.objects.create(
        project=project, certificate=certificate, region=region, product_name=product_name, sample_code=sample_code,
        sampled_on=sampled_on, indicator=indicator, value=value, unit=unit, limit=limit, finding=finding, note=note,
        recorded_by=actor)
    audit.record(actor=actor, verb="oversight.risk_record_add", target=record,
                 new={"project": project.number, "certificate": certificate.number if certificate else None,
                      "indicator": indicator, "value": str(value), "unit": unit, "finding": finding})
    return record


@transaction.atomic
def risk_record_rectify(*, actor, record, cause: str, detail: str):
    """A rectification of the monitored certificate from a finding (source 风险监测)."""
    record = access_by_id(RiskRecord.objects.select_for_update(), actor, record.pk, "view")
    if record.certificate_id is None:
        raise TransitionNotAllowed(_("该记录未关联获证产品，不能作出整改决定"))
    if record.finding == RiskFinding.NORMAL:
        raise TransitionNotAllowed(_("未见异常的记录不能作出整改决定"))
    if record.rectification_id:
        raise Conflict(_("该记录已作出整改决定"))
    rectification = rectification_open(
        actor=actor, certificate=record.certificate, cause=cause, detail=detail, source=Source.RISK_MONITORING,
        source_ref=f"{record.project.number}/{record.sample_code}")
    record.rectification = rectification
    record.save(update_fields=["rectification", "updated_at"])
    audit.record(actor=actor, verb="oversight.risk_record_rectify", target=record,
                 new={"rectification": rectification.number})
    return rectification


# --- unannounced inspections ------------------------------------------------------------------------------


@transaction.atomic
def flight_plan(*, actor, certificate, planned_on, reason: str, inspectors) -> FlightInspection:
    """Plan an unannounced inspection [001 §6, §7]. Only the assigned inspectors are told; the
    holder sees nothing until the findings are recorded."""
    require_role(actor, PROVINCE_ROLES)
    certificate = _certificate(actor, certificate)
    errors = {}
    reason = _text(reason, "reason", errors, _("请填写检查事由"))
    today = clock.today()
    if not isinstance(planned_on, datetime.date):
        errors["planned_on"] = _("请填写计划检查日期")
    elif planned_on < today:
        errors["planned_on"] = _("计划检查日期不能早于今天")
    inspectors = list(dict.fromkeys(inspectors or []))
    if not inspectors:
        errors["inspectors"] = _("请至少指派一名检查员")
    elif "planned_on" not in errors:
        kinds = FLIGHT_QUALIFICATIONS.get(certificate.scheme, ())
        for user in inspectors:
            try:
                inspector_check_assignable(user=user, province_code=certificate.holder.region_id, kinds=kinds,
                                           on_date=planned_on)
            except ValidationFailed as exc:
                errors["inspectors"] = exc.message
                break
    if errors:
        raise ValidationFailed(fields=errors)
    if certificate.effective_status(today) not in AUTHORISED_ANSWERS | {Status.SUSPENDED}:
        raise TransitionNotAllowed(_("证书当前为“%(s)s”，不能安排飞行检查") % {
            "s": certificate.effective_status_label(today)})
    inspection = FlightInspection.objects.create(number=_number("FJ"), certificate=certificate,
                                                 planned_on=planned_on, reason=reason, planned_by=actor)
    inspection.inspectors.set(inspectors)
    audit.record(actor=actor, verb="oversight.flight_plan", target=inspection,
                 new={"certificate": certificate.number, "planned_on": planned_on,
                      "inspectors": [u.username for u in inspectors]})
    _tell(inspectors, _("飞行检查任务：%(n)s") % {"n": inspection.number},
          _("请于 %(day)s 对 %(holder)s（%(c)s）开展飞行检查，检查前不得通知被检查单位。") % {
              "day": planned_on, "holder": certificate.holder.name, "c": certificate.number},
          reverse("oversight:flight", args=[inspection.pk]))
    return inspection


@transaction.atomic
def flight_record(*, actor, inspection, inspected_on, findings: str, conclusion: str, cause: str = "",
                  causes=()) -> FlightInspection:
    """Record the findings and conclusion. "rectify" opens a rectification (source 飞行检查, cause
    年度检查/检查不合格 unless another is given); "revoke" sends a revocation request with `causes`.
    An inspector records only inspections they were assigned to."""
    locked = FlightInspection.objects.select_for_update(of=("self",)).select_related("certificate__holder")
    inspection = access_by_id(locked, actor, inspection.pk, "record")
    is_staff = bool(actor.roles & PROVINCE_ROLES)
    if not is_staff and not inspection.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("只有被指派的检查员可以记录检查结果"))
    if inspection.status != FlightStatus.PLANNED:
        raise TransitionNotAllowed(_("该飞行检查已记录结果"))
    errors = {}
    findings = _text(findings, "findings", errors, _("请填写检查发现"))
    if not isinstance(inspected_on, datetime.date):
        errors["inspected_on"] = _("请填写检查日期")
    elif inspected_on > clock.today():
        errors["inspected_on"] = _("检查日期不能晚于今天")
    if conclusion not in FlightConclusion.values:
        errors["conclusion"] = _("请选择结论")
    if errors:
        raise ValidationFailed(fields=errors)
    inspection.status, inspection.inspected_on = FlightStatus.RECORDED, inspected_on
    inspection.findings, inspection.conclusion, inspection.recorded_by = findings, conclusion, actor
    follow_actor = actor if is_staff else system_user()  # an inspector's negative finding acts automatically
    certificate = inspection.certificate
    if conclusion == FlightConclusion.RECTIFY:
        inspection.rectification = rectification_open(
            actor=follow_actor, certificate=certificate, cause=cause or cause_tables.INSPECTION_FAILED,
            detail=findings, source=Source.FLIGHT_INSPECTION, source_ref=inspection.number)
    elif conclusion == FlightConclusion.REVOKE:
        inspection.revocation = revocation_request_open(
            actor=follow_actor, certificate=certificate, causes=list(causes or []),
            detail=_("飞行检查 %(n)s：%(f)s") % {"n": inspection.number, "f": findings})
    inspection.save(update_fields=["status", "inspected_on", "findings", "conclusion", "recorded_by",
                                   "rectification", "revocation", "updated_at"])
    audit.record(actor=actor, verb="oversight.flight_record", target=inspection,
                 new={"conclusion": conclusion, "inspected_on": inspected_on,
                      "rectification": inspection.rectification.number if inspection.rectification else None,
                      "revocation": inspection.revocation.number if inspection.revocation else None})
    _tell(_holder_users(certificate), _("飞行检查结果：%(n)s") % {"n": certificate.number},
          _("%(day)s 对 %(c)s 的飞行检查结论：%(r)s") % {
              "day": inspected_on, "c": certificate.number, "r": FlightConclusion(conclusion).label},
          reverse("oversight:flight", args=[inspection.pk]))
    return inspection


# --- market checks of mark use --------------------------------------------------------------------------------


def classify(answer: str, *, label_ok: bool, scheme_matches: bool = True) -> str:
    """What an item on the shelf is, from the registry's answer for the number on its package
    (sanpin.certificates.selectors.verify, on the day of the check):

    - no such certificate, or a forged code → counterfeit mark (假冒标志);
    - a certificate that has expired, is suspended, stopped or revoked → unauthorised use (冒用);
    - a certificate in force, but the label or the mark's scheme does not fit → label non-conforming;
    - otherwise conforming."""
    if answer in COUNTERFEIT_ANSWERS:
        return ItemResult.COUNTERFEIT
    if answer in UNAUTHORISED_ANSWERS:
        return ItemResult.UNAUTHORISED
    if answer in AUTHORISED_ANSWERS:
        return ItemResult.CONFORMING if label_ok and scheme_matches else ItemResult.LABEL_NONCONFORMING
    return ItemResult.COUNTERFEIT


@transaction.atomic
def market_check_create(*, actor, place: str, place_kind: str, region, checked_on, inspectors: str,
                        note: str = "") -> MarketCheck:
    """A check of mark use at a market, supermarket or fair in the actor's region [001 §8]."""
    require_role(actor, MarketCheck.scope.actions["record"])
    errors = {}
    place = _text(place, "place", errors, _("请填写检查场所"), limit=200)
    inspectors = _text(inspectors, "inspectors", errors, _("请填写检查人员"), limit=200)
    note = _text(note, "note", errors, "", required=False)
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = _("请选择场所类型")
    if region is None:
        errors["region"] = _("请选择所在地区")
    elif not _region_in_scope(actor, region, MarketCheck, "record"):
        errors["region"] = _("所在地区应在您的管辖范围内")
    if not isinstance(checked_on, datetime.date):
        errors["checked_on"] = _("请填写检查日期")
    elif checked_on > clock.today():
        errors["checked_on"] = _("检查日期不能晚于今天")
    if errors:
        raise ValidationFailed(fields=errors)
    check = MarketCheck.objects.create(number=_number("JC"), place=place, place_kind=place_kind, region=region,
                                       checked_on=checked_on, inspectors=inspectors, note=note, recorded_by=actor)
    audit.record(actor=actor, verb="oversight.market_check_create", target=check,
                 new={"place": place, "region": region.code, "checked_on": checked_on})
    return check


@transaction.atomic
def market_item_add(*, actor, check, product_name: str, seller: str, mark_scheme: str, number_shown: str,
                    label_ok: bool = True, note: str = "") -> MarketCheckItem:
    """One product seen. Its number is looked up in the registry as on the day of the check; a
    counterfeit (no such certificate) or an unauthorised use (certificate expired, suspended,
    stopped or revoked) is recorded as a case with the seller and place."""
    check = access_by_id(MarketCheck.objects.select_for_update(), actor, check.pk, "record")
    errors = {}
    product_name = _text(product_name, "product_name", errors, _("请填写产品名称"), limit=120)
    seller = _text(seller, "seller", errors, _("请填写经营者"), limit=200)
    number_shown = _text(number_shown, "number_shown", errors, _("请填写包装上的标志编号"), limit=200)
    note = _text(note, "note", errors, "", required=False)
    if mark_scheme not in Scheme.values:
        errors["mark_scheme"] = _("请选择包装上的标志")
    if "\x00" in number_shown:
        errors["number_shown"] = _("编号含有不允许的字符")
    if errors:
        raise ValidationFailed(fields=errors)
    found = certificate_selectors.verify(number_shown, check.checked_on)
    answer, certificate = found.result, found.certificate
    if certificate is not None:  # the public answer may be cached: read the certificate itself
        certificate = Certificate.objects.select_related("holder").get(pk=certificate.pk)
        answer = certificate.effective_status(check.checked_on)
    result = classify(answer, label_ok=bool(label_ok),
                      scheme_matches=certificate is None or certificate.scheme == mark_scheme)
    item = MarketCheckItem.objects.create(
        market_check=check, product_name=product_name, seller=seller, mark_scheme=mark_scheme,
        number_shown=number_shown, label_ok=bool(label_ok), result=result, registry_status=answer,
        certificate=certificate, note=note)
    case = None
    if result in (ItemResult.COUNTERFEIT, ItemResult.UNAUTHORISED):
        case = MarkCase.objects.create(
            number=_number("AJ"), item=item,
            kind=CaseKind.COUNTERFEIT if result == ItemResult.COUNTERFEIT else CaseKind.UNAUTHORISED,
            region=check.region, seller=seller, place=check.place,
            holder=certificate.holder if certificate else None)
    audit.record(actor=actor, verb="oversight.market_item_add", target=item,
                 new={"check": check.number, "number_shown": number_shown, "registry": answer,
                      "result": result, "case": case.number if case else None})
    return item


@transaction.atomic
def market_item_rectify(*, actor, item, detail: str):
    """Misuse of the mark by a holder whose certificate is in force (label non-conforming, or the
    number under another scheme's mark) → a rectification, cause mark misuse, source 用标监察."""
    check = access_by_id(MarketCheck.objects.all(), actor, item.market_check_id, "view")
    item = MarketCheckItem.objects.select_for_update().get(pk=item.pk, market_check=check)
    if item.result != ItemResult.LABEL_NONCONFORMING or item.certificate_id is None:
        raise TransitionNotAllowed(_("只有获证单位用标不规范的产品可以作出整改决定"))
    if item.rectification_id:
        raise Conflict(_("该产品已作出整改决定"))
    detail = (detail or "").strip()
    if not detail:
        raise ValidationFailed(fields={"detail": _("请描述发现的问题")})
    rectification = rectification_open(
        actor=actor, certificate=item.certificate, cause="mark_misuse",
        detail=_("%(place)s（%(day)s）：%(d)s") % {"place": check.place, "day": check.checked_on, "d": detail},
        source=Source.MARKET_CHECK, source_ref=check.number)
    item.rectification = rectification
    item.save(update_fields=["rectification"])
    audit.record(actor=actor, verb="oversight.market_item_rectify", target=item,
                 new={"rectification": rectification.number})
    return rectification


@transaction.atomic
def mark_case_hand_over(*, actor, case, handed_to: str, handed_on) -> MarkCase:
    """The case handed to the market regulators (市场监管部门) with its seller and place."""
    case = access_by_id(MarkCase.objects.select_for_update(), actor, case.pk, "hand_over")
    if case.status != CaseStatus.OPEN:
        raise TransitionNotAllowed(_("该案件已移交"))
    errors = {}
    handed_to = _text(handed_to, "handed_to", errors, _("请填写移交单位"), limit=200)
    if not isinstance(handed_on, datetime.date):
        errors["handed_on"] = _("请填写移交日期")
    elif handed_on > clock.today():
        errors["handed_on"] = _("移交日期不能晚于今天")
    if errors:
        raise ValidationFailed(fields=errors)
    case.status, case.handed_to, case.handed_on = CaseStatus.HANDED_OVER, handed_to, handed_on
    case.save(update_fields=["status", "handed_to", "handed_on", "updated_at"])
    audit.record(actor=actor, verb="oversight.mark_case_hand_over", target=case,
                 new={"handed_to": handed_to, "handed_on": handed_on})
    return case


# --- packaging-label filing ----------------------------------------------------------------------------------


@transaction.atomic
def label_file(*, actor, certificate, upload, description: str = "") -> LabelFiling:
    """The holder files its packaging-label design (PDF, JPG or PNG, read by content) for a
    certificate in force; one filing waits for review at a time."""
    require_role(actor, {Role.APPLICANT})
    certificate = _certificate(actor, certificate)
    if certificate.holder_id != actor.entity_id:
        raise PermissionDenied()
    errors = {}
    description = _text(description, "description", errors, "", required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    name, content_type, sha256 = _check_file(upload, LABEL_TYPES)
    today = clock.today()
    if certificate.effective_status(today) not in AUTHORISED_ANSWERS:
        raise TransitionNotAllowed(_("证书当前为“%(s)s”，不能备案包装标签") % {
            "s": certificate.effective_status_label(today)})
    if LabelFiling.objects.filter(certificate=certificate, status=LabelStatus.SUBMITTED).exists():
        raise Conflict(_("该证书已有待审核的标签备案"))
    filing = LabelFiling(number=_number("BA"), certificate=certificate, description=description, filename=name,
                         content_type=content_type, size=upload.size, sha256=sha256, submitted_by=actor)
    filing.file.save(name, upload, save=False)
    filing.save()
    audit.record(actor=actor, verb="oversight.label_file", target=filing,
                 new={"certificate": certificate.number, "file": name, "sha256": sha256})
    _tell(_staff_of(certificate.holder.region.province_code, {Role.PROVINCIAL_REVIEWER}),
          _("包装标签备案待审核：%(n)s") % {"n": certificate.number},
          _("%(holder)s 提交了 %(c)s 的包装标签备案。") % {"holder": certificate.holder.name, "c": certificate.number},
          reverse("oversight:label", args=[filing.pk]))
    return filing


@transaction.atomic
def label_review(*, actor, filing, approve: bool, comments: str = "") -> LabelFiling:
    """The provincial office approves the label or returns it with comments (required)."""
    locked = LabelFiling.objects.select_for_update(of=("self",)).select_related("certificate__holder")
    filing = access_by_id(locked, actor, filing.pk, "review")
    if filing.status != LabelStatus.SUBMITTED:
        raise TransitionNotAllowed(_("该备案已审核"))
    errors = {}
    comments = _text(comments, "comments", errors, _("退回时请填写审核意见"), required=not approve)
    if errors:
        raise ValidationFailed(fields=errors)
    filing.status = LabelStatus.APPROVED if approve else LabelStatus.RETURNED
    filing.comments, filing.reviewed_by, filing.reviewed_at = comments, actor, clock.now()
    filing.save(update_fields=["status", "comments", "reviewed_by", "reviewed_at", "updated_at"])
    audit.record(actor=actor, verb="oversight.label_review", target=filing, new={"status": filing.status},
                 reason=comments)
    _tell(_holder_users(filing.certificate), _("包装标签备案：%(s)s") % {"s": filing.get_status_display()},
          _("%(c)s 的包装标签备案 %(n)s：%(s)s。%(m)s") % {
              "c": filing.certificate.number, "n": filing.number, "s": filing.get_status_display(), "m": comments},
          reverse("oversight:label", args=[filing.pk]))
    return filing


# --- complaints -------------------------------------------------------------------------------------------------


def _tracking_code() -> str:
    while True:
        code = "JB" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(14))
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code


@transaction.atomic
def complaint_submit(*, product_name: str, place: str, description: str, number_shown: str = "",
                     contact: str = "", region=None, photo=None) -> Complaint:
    """A complaint from the public (no sign-in). Routed to the certificate holder's province when
    the number is in the registry, else to the region the complainant picked. Returns it with its
    tracking code; the staff of that region are told."""
    actor = system_user()
    errors = {}
    product_name = _text(product_name, "product_name", errors, _("请填写产品名称"), limit=120)
    place = _text(place, "place", errors, _("请填写发现地点"), limit=200)
    description = _text(description, "description", errors, _("请描述举报的问题"), limit=2000)
    number_shown = _text(number_shown, "number_shown", errors, "", limit=200, required=False)
    contact = _text(contact, "contact", errors, "", limit=100, required=False)
    certificate = None
    if number_shown and "number_shown" not in errors:
        certificate = certificate_selectors.verify(number_shown, clock.today()).certificate
    if certificate is not None:
        region = Region.objects.get(code=certificate.holder.region.province_code)
    elif region is None:
        errors["region"] = _("未查到该编号的证书，请选择受理地区")
    elif not region.is_active:
        errors["region"] = _("请选择现行的行政区划")
    if errors:
        raise ValidationFailed(fields=errors)
    stored = _check_file(photo, LABEL_TYPES) if photo else None
    complaint = Complaint(tracking_code=_tracking_code(), product_name=product_name, number_shown=number_shown,
                          place=place, description=description, contact=contact, region=region,
                          certificate=certificate)
    if stored:
        complaint.photo_name, complaint.photo_type, complaint.sha256 = stored
        complaint.photo.save(stored[0], photo, save=False)
    complaint.save()
    audit.record(actor=actor, verb="oversight.complaint_submit", target=complaint,
                 new={"region": region.code, "certificate": certificate.number if certificate else None,
                      "photo": bool(stored)})
    _tell(_staff_of(region.code, REVIEW_STAFF_ROLES - {Role.SYSTEM_ADMIN}),
          _("新的举报：%(p)s") % {"p": product_name}, _("%(place)s：%(d)s") % {"place": place, "d": description[:80]},
          reverse("oversight:complaint", args=[complaint.pk]))
    return complaint


def _locked_complaint(actor, complaint) -> Complaint:
    locked = Complaint.objects.select_for_update(of=("self",)).select_related("certificate")
    return access_by_id(locked, actor, complaint.pk, "handle")


@transaction.atomic
def complaint_assign(*, actor, complaint, assignee) -> Complaint:
    """Give the complaint to a staff member who can see it; it is then being handled."""
    complaint = _locked_complaint(actor, complaint)
    if complaint.status == ComplaintStatus.CLOSED:
        raise TransitionNotAllowed(_("该举报已办结"))
    if (assignee is None or not assignee.is_active or not can(assignee, "handle", Complaint)
            or not Complaint.objects.restrict(assignee, "handle").filter(pk=complaint.pk).exists()):
        raise ValidationFailed(fields={"assignee": _("承办人应为管辖该地区的工作人员")})
    old = complaint.assigned_to.username if complaint.assigned_to else None
    complaint.assigned_to, complaint.status = assignee, ComplaintStatus.HANDLING
    complaint.save(update_fields=["assigned_to", "status", "updated_at"])
    audit.record(actor=actor, verb="oversight.complaint_assign", target=complaint, old={"assigned_to": old},
                 new={"assigned_to": assignee.username})
    _tell([assignee], _("举报承办：%(c)s") % {"c": complaint.tracking_code}, complaint.product_name,
          reverse("oversight:complaint", args=[complaint.pk]))
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint, result: str, findings: str, rectify: bool = False, cause: str = "",
                    ) -> Complaint:
    """Close with findings (internal) and a result. An upheld complaint about a certificate may open
    a rectification (source 投诉举报) in the same step."""
    complaint = _locked_complaint(actor, complaint)
    if complaint.status == ComplaintStatus.CLOSED:
        raise TransitionNotAllowed(_("该举报已办结"))
    errors = {}
    findings = _text(findings, "findings", errors, _("请填写核查情况"))
    if result not in ComplaintResult.values:
        errors["result"] = _("请选择办理结果")
    elif rectify and result != ComplaintResult.UPHELD:
        errors["rectify"] = _("只有举报属实的才能作出整改决定")
    elif rectify and complaint.certificate_id is None:
        errors["rectify"] = _("举报未关联获证产品，不能作出整改决定")
    if errors:
        raise ValidationFailed(fields=errors)
    if rectify:
        complaint.rectification = rectification_open(
            actor=actor, certificate=complaint.certificate, cause=cause or "mark_misuse", detail=findings,
            source=Source.COMPLAINT, source_ref=complaint.tracking_code)
    complaint.status, complaint.result, complaint.findings = ComplaintStatus.CLOSED, result, findings
    complaint.closed_at = clock.now()
    if complaint.assigned_to_id is None:
        complaint.assigned_to = actor
    complaint.save(update_fields=["status", "result", "findings", "closed_at", "assigned_to", "rectification",
                                  "updated_at"])
    audit.record(actor=actor, verb="oversight.complaint_close", target=complaint,
                 new={"result": result,
                      "rectification": complaint.rectification.number if complaint.rectification else None},
                 reason=findings)
    return complaint


def complaint_public(tracking_code: str) -> dict | None:
    """What the complainant sees by the tracking code: the status and its dates, never the staff's
    findings, the assignee or the result's reasoning."""
    code = (tracking_code or "").strip().upper()
    if not code or len(code) > 20 or not code.isalnum():
        return None
    complaint = Complaint.objects.filter(tracking_code=code).select_related("region").first()
    if complaint is None:
        return None
    return {
        "tracking_code": complaint.tracking_code, "status": complaint.status,
        "status_label": complaint.get_status_display(), "received_on": timezone.localdate(complaint.created_at),
        "closed_on": timezone.localdate(complaint.closed_at) if complaint.closed_at else None,
        "region": complaint.region.name,
    }
