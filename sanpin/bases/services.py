"""Writes for the base directory. Each service checks role and scope, validates, changes state
and appends one audit event in the same transaction; every change of directory status also
leaves a BaseStatusChange row (the history shown on the base's page)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, AgencyLevel, Role
from sanpin.core import audit, clock, numbering
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed

from .choices import BaseLevel, BaseStatus, CheckResult, RemovalCause, SamplingResult
from .models import Base, BaseCheck, BaseStatusChange
from .validation import FIELDS, clean_base

# The agency level that accepts (and afterwards supervises) a base of each level [003 att.2 §5].
SUPERVISING_LEVEL = {
    BaseLevel.DISTRICT: AgencyLevel.COUNTY,
    BaseLevel.PROVINCIAL: AgencyLevel.COUNTY,
    BaseLevel.NATIONAL: AgencyLevel.PROVINCE,
}
LEVEL_RANK = {AgencyLevel.COUNTY: 0, AgencyLevel.CITY: 1, AgencyLevel.PROVINCE: 2, AgencyLevel.NATIONAL: 3}


def covers(actor, county_code: str) -> bool:
    """Whether the actor's region (for changing bases) reaches this county."""
    scope = scope_for(actor, "change", Base)
    return scope.kind == ALL or (scope.kind == REGION and county_code.startswith(scope.value))


def _require_scope(actor, county_code: str) -> None:
    if not actor.roles & REVIEW_STAFF_ROLES:
        raise PermissionDenied()
    if not covers(actor, county_code):
        raise PermissionDenied(_("该基地不在本账号管辖范围内"))


def require_supervisor(actor, base: Base) -> None:
    """Yearly checks and removal: agency staff of the base's region at the level that accepted
    it or above (a national base is supervised by its province or the ministry)."""
    _require_scope(actor, base.county_id)
    if actor.roles & NATIONAL_ROLES:
        return
    agency = getattr(actor, "agency", None)
    needed = SUPERVISING_LEVEL[base.level]
    if agency is None or LEVEL_RANK.get(agency.level, -1) < LEVEL_RANK[needed]:
        raise PermissionDenied(_("%(level)s基地由%(agency)s及以上工作机构监督管理") % {
            "level": BaseLevel(base.level).label, "agency": AgencyLevel(needed).label})


def _validated(values: dict, *, exclude_pk=None) -> dict:
    cleaned, errors = clean_base(values, exclude_pk=exclude_pk)
    if errors:
        raise ValidationFailed(_("基地信息有误"), fields=errors)
    return cleaned


def _linked(operator, certificates, gap_certificates):
    """Certificates and GAP records linked to a base must be the operator's own."""
    errors = {}
    certificates, gap_certificates = list(certificates or []), list(gap_certificates or [])
    if any(c.holder_id != operator.pk for c in certificates):
        errors["certificates"] = _("只能关联运营主体本单位的证书")
    if any(g.holder_id != operator.pk for g in gap_certificates):
        errors["gap_certificates"] = _("只能关联运营主体本单位的良好农业规范认证")
    if errors:
        raise ValidationFailed(_("关联证书有误"), fields=errors)
    return certificates, gap_certificates


def _snapshot(base: Base) -> dict:
    out = {}
    for name in FIELDS:
        value = getattr(base, name + "_id" if name in ("operator", "county") else name)
        out[name] = str(value) if value is not None else None
    return out


def _history(base: Base, from_status: str, actor, *, reason: str = "", reference: str = "", on=None):
    BaseStatusChange.objects.create(base=base, from_status=from_status, to_status=base.status,
                                    on=on or clock.today(), actor=actor, reason=reason, reference=reference)


@transaction.atomic
def base_create(*, actor, certificates=(), gap_certificates=(), **values) -> Base:
    """Enter a base (county staff all year round; staff above for their region). It starts
    "built to standard" (按标建设). Side effects: its first history row; one audit event."""
    cleaned = _validated(values)
    _require_scope(actor, cleaned["county"].code)
    certificates, gap_certificates = _linked(cleaned["operator"], certificates, gap_certificates)
    base = Base.objects.create(created_by=actor, **cleaned)
    base.certificates.set(certificates)
    base.gap_certificates.set(gap_certificates)
    _history(base, "", actor, reason=_("录入基地信息"))
    audit.record(actor=actor, verb="base.create", target=base, new=_snapshot(base))
    return base


@transaction.atomic
def base_update(*, actor, base: Base, certificates=None, gap_certificates=None, **values) -> Base:
    """Correct or update a base's data (counties update it all year). A removed base is closed.
    Side effects: one audit event with old and new values."""
    base = Base.objects.select_for_update().get(pk=base.pk)
    _require_scope(actor, base.county_id)
    if base.status == BaseStatus.REMOVED:
        raise TransitionNotAllowed(_("该基地已移出目录，不能再修改"))
    cleaned = _validated(values, exclude_pk=base.pk)
    _require_scope(actor, cleaned["county"].code)
    old = _snapshot(base)
    for name, value in cleaned.items():
        setattr(base, name, value)
    base.save()
    if certificates is not None or gap_certificates is not None:
        certificates, gap_certificates = _linked(base.operator, certificates, gap_certificates)
        base.certificates.set(certificates)
        base.gap_certificates.set(gap_certificates)
    audit.record(actor=actor, verb="base.update", target=base, old=old, new=_snapshot(base))
    return base


@transaction.atomic
def base_apply_for_listing(*, actor, base: Base):
    """The operating entity declares its base built to standard and applies for acceptance and
    review: a draft listing application on the engine (scheme "base") that names the base. The
    applicant adds its materials and submits it from the application's page.
    Side effects: the base points at its application; one audit event."""
    from sanpin.certification.choices import TERMINAL, ApplicationKind
    from sanpin.certification.engine import application_create

    base = Base.objects.select_for_update().get(pk=base.pk)
    if Role.APPLICANT not in actor.roles or actor.entity_id != base.operator_id:
        raise PermissionDenied(_("只有基地运营主体可以申请验收"))
    if base.status != BaseStatus.BUILDING:
        raise TransitionNotAllowed(_("该基地%(status)s，不能申请验收") % {"status": base.get_status_display()})
    current = base.listing_application
    if current is not None and current.state not in TERMINAL:
        raise Conflict(_("该基地已有正在办理的验收复核申请 %(n)s") % {"n": current.number or current})
    application = application_create(
        actor=actor, scheme="base", kind=ApplicationKind.INITIAL, entity=base.operator, origin="bases",
        products=[{"name": base.name, "category": base.base_type, "approved_output": base.output_tons or "0.01",
                   "output_unit": "吨"}],
    )
    base.listing_application = application
    base.save(update_fields=["listing_application", "updated_at"])
    audit.record(actor=actor, verb="base.apply_for_listing", target=base, new={"application": application.pk})
    return application


def base_list(*, actor, base: Base, reference: str, on: datetime.date | None = None) -> Base:
    """Put a reviewed base in the directory and publish it: directory number JD + province +
    year + serial, from a row-locked sequence. Called by the engine's `base_list` effect inside
    the review's transaction. Side effects: a history row; one audit event."""
    base = Base.objects.select_for_update().get(pk=base.pk)
    if base.status != BaseStatus.BUILDING:
        raise TransitionNotAllowed(_("该基地%(status)s，不能纳入目录") % {"status": base.get_status_display()})
    on = on or clock.today()
    province = base.county_id[:2]
    serial = numbering.next_value(f"base-directory:{province}:{on.year}")
    base.directory_number = f"JD{province}{on.year}{serial:05d}"
    base.status, base.listed_on = BaseStatus.LISTED, on
    base.save(update_fields=["directory_number", "status", "listed_on", "updated_at"])
    _history(base, BaseStatus.BUILDING, actor, reason=_("复核通过，纳入目录并公布"), reference=reference, on=on)
    audit.record(actor=actor, verb="base.list", target=base, old={"status": BaseStatus.BUILDING},
                 new={"status": base.status, "directory_number": base.directory_number}, reason=reference)
    return base


@transaction.atomic
def base_record_check(*, actor, base: Base, year: int, checked_on: datetime.date, result: str,
                      sampling: str = SamplingResult.NOT_SAMPLED, findings: str = "") -> BaseCheck:
    """Record the yearly check (and sampling) of a listed base [001 §11]; once per base and
    year. A failed check does not remove the base by itself: removal is its own decision.
    Side effects: one audit event."""
    base = Base.objects.select_for_update().get(pk=base.pk)
    require_supervisor(actor, base)
    if base.status != BaseStatus.LISTED:
        raise TransitionNotAllowed(_("只有目录内的基地需要年度检查"))
    errors = {}
    if result not in CheckResult.values:
        errors["result"] = _("请选择检查结论")
    if sampling not in SamplingResult.values:
        errors["sampling"] = _("请选择抽检结果")
    if not isinstance(checked_on, datetime.date):
        errors["checked_on"] = _("请填写检查日期")
    elif checked_on > clock.today():
        errors["checked_on"] = _("检查日期不能晚于今天")
    elif checked_on.year != year:
        errors["checked_on"] = _("检查日期应在 %(y)d 年内") % {"y": year}
    if result == CheckResult.FAILED and not findings.strip():
        errors["findings"] = _("不合格时须写明检查情况")
    if errors:
        raise ValidationFailed(fields=errors)
    if base.checks.filter(year=year).exists():
        raise Conflict(_("该基地 %(y)d 年度检查已登记") % {"y": year})
    check = BaseCheck.objects.create(base=base, year=year, checked_on=checked_on, result=result, sampling=sampling,
                                     findings=findings.strip(), checked_by=actor)
    audit.record(actor=actor, verb="base.check", target=base,
                 new={"year": year, "result": result, "sampling": sampling}, reason=findings.strip())
    return check


@transaction.atomic
def base_remove(*, actor, base: Base, cause: str, reason: str, on: datetime.date | None = None) -> Base:
    """Remove a listed base from the directory after a major quality-safety incident, a
    violation, or failing the requirements [003 att.2 §5(3)]. It disappears from the public
    directory; its number is not reused. Side effects: a history row; one audit event."""
    base = Base.objects.select_for_update().get(pk=base.pk)
    require_supervisor(actor, base)
    if base.status != BaseStatus.LISTED:
        raise TransitionNotAllowed(_("只有目录内的基地可以移出目录"))
    errors = {}
    if cause not in RemovalCause.values:
        errors["cause"] = _("请选择移出原因")
    if not reason.strip():
        errors["reason"] = _("请写明移出的事实和依据")
    if errors:
        raise ValidationFailed(fields=errors)
    on = on or clock.today()
    base.status, base.removed_on, base.removal_cause, base.removal_reason = (
        BaseStatus.REMOVED, on, cause, reason.strip())
    base.save(update_fields=["status", "removed_on", "removal_cause", "removal_reason", "updated_at"])
    _history(base, BaseStatus.LISTED, actor, reason=f"{RemovalCause(cause).label}：{reason.strip()}", on=on)
    audit.record(actor=actor, verb="base.remove", target=base, old={"status": BaseStatus.LISTED},
                 new={"status": base.status, "cause": cause}, reason=reason.strip())
    return base
