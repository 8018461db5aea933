"""Writes for the GI registry. Each service checks role and scope, validates, changes state and
appends one audit event in the same transaction."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Entity, Region
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, apply_scope, can, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from . import io as gi_io
from .choices import AuthorizationStatus, RegistrationStatus
from .models import GIAuthorization, GIQualityRecord, GIRegistration, GIStatusChange

NUMBER_RE = re.compile(r"AGI\d{5}")
REQUIRED = {
    "number": gettext_lazy("登记证书编号"),
    "product_name": gettext_lazy("产品名称"),
    "registered_on": gettext_lazy("登记日期"),
    "holder_uscc": gettext_lazy("证书持有人统一社会信用代码"),
    "counties": gettext_lazy("地域范围"),
    "quality_characteristics": gettext_lazy("品质特征"),
}


def _require(actor, action: str) -> None:
    if not can(actor, action, GIRegistration):
        raise PermissionDenied()


def _in_scope(actor, action: str, registration: GIRegistration) -> None:
    """Services may be called with an object fetched elsewhere: re-check it is in scope."""
    scoped = apply_scope(GIRegistration.objects.filter(pk=registration.pk), scope_for(actor, action, GIRegistration))
    if not scoped.exists():
        raise PermissionDenied()


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One sheet row after validation: what would be registered, or why it cannot."""

    row_no: int
    number: str
    product_name: str = ""
    holder_name: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    rows: list[ImportRow]
    written: int = 0

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.bad_rows

    def error_lines(self) -> list[str]:
        return [_("第 %(n)d 行：%(e)s") % {"n": r.row_no, "e": "；".join(r.errors)} for r in self.bad_rows]


@transaction.atomic
def gi_registration_import(*, actor, file, dry_run: bool, file_name: str = "") -> ImportResult:
    """Enter historical registrations from an Excel sheet (columns 登记证书编号, 产品名称, 登记日期,
    证书持有人统一社会信用代码, 地域范围, 品质特征, 生产技术规范).

    Every row is validated first; any bad row means nothing is written and every bad row is listed
    with its Excel row number and the reason. A dry run only validates. Side effects per written
    registration: a "registered" status-history row and one audit event naming the file and row.
    """
    _require(actor, "change")
    file_name = file_name or getattr(file, "name", "") or "upload.xlsx"
    sheet_rows = gi_io.read_sheet(file)
    result = ImportResult(file_name=file_name, dry_run=dry_run, rows=[])

    usccs = {r.cells["holder_uscc"].upper() for r in sheet_rows}
    holder_scope = scope_for(actor, "change", GIRegistration)
    holders = {
        e.uscc: e for e in Entity.objects.filter(uscc__in=usccs).select_related("region")
        if _entity_in_scope(e, holder_scope)
    }
    codes = {c for r in sheet_rows for c in gi_io.split_codes(r.cells["counties"])}
    counties = Region.objects.filter(code__in=codes, level=RegionLevel.COUNTY).in_bulk()
    numbers = {r.cells["number"].upper() for r in sheet_rows}
    registered = set(GIRegistration.objects.filter(number__in=numbers).values_list("number", flat=True))
    today = clock.today()
    seen: dict[str, int] = {}
    staged = []

    for sheet_row in sheet_rows:
        cells = sheet_row.cells
        number = cells["number"].upper()
        row = ImportRow(row_no=sheet_row.row_no, number=number, product_name=cells["product_name"])
        result.rows.append(row)
        for name, label in REQUIRED.items():
            if not cells[name]:
                row.errors.append(_("“%(col)s”不能为空") % {"col": label})
        if number:
            if not NUMBER_RE.fullmatch(number):
                row.errors.append(_("登记证书编号 %(n)s 格式不正确，应为 AGI 加5位数字") % {"n": number})
            elif number in seen:
                row.errors.append(_("登记证书编号 %(n)s 与第 %(r)d 行重复") % {"n": number, "r": seen[number]})
            elif number in registered:
                row.errors.append(_("登记证书编号 %(n)s 已登记") % {"n": number})
            seen.setdefault(number, row.row_no)
        registered_on = None
        if cells["registered_on"]:
            registered_on = gi_io.parse_date(sheet_row.raw_date)
            if registered_on is None:
                row.errors.append(_("登记日期“%(v)s”不是有效日期") % {"v": cells["registered_on"]})
            elif registered_on > today:
                row.errors.append(_("登记日期不能晚于今天"))
        holder = None
        if cells["holder_uscc"]:
            holder = holders.get(cells["holder_uscc"].upper())
            if holder is None:
                row.errors.append(
                    _("未找到统一社会信用代码为 %(u)s 的主体，或该主体不在您的管辖范围内") % {"u": cells["holder_uscc"]}
                )
            else:
                row.holder_name = holder.name
        row_counties = []
        for code in dict.fromkeys(gi_io.split_codes(cells["counties"])):
            county = counties.get(code)
            if county is None:
                row.errors.append(_("县级区划代码 %(c)s 不存在") % {"c": code})
            else:
                row_counties.append(county)
        if not row.errors:
            staged.append((row, holder, registered_on, row_counties, cells))

    if dry_run or not result.ok:
        return result

    now = timezone.now()
    for row, holder, registered_on, row_counties, cells in staged:
        registration = GIRegistration.objects.create(
            number=row.number, holder=holder, product_name=cells["product_name"], registered_on=registered_on,
            scope_text="、".join(c.full_name or c.name for c in row_counties),
            quality_characteristics=cells["quality_characteristics"], specification=cells["specification"],
        )
        registration.counties.set(row_counties)
        GIStatusChange.objects.create(registration=registration, to_status=RegistrationStatus.REGISTERED,
                                      reason=_("历史登记导入"), actor=actor, at=now)
        audit.record(
            actor=actor, verb="gi.registration.import", target=registration,
            new={"number": registration.number, "holder": holder.uscc, "product_name": registration.product_name,
                 "registered_on": registered_on, "counties": [c.code for c in row_counties]},
            reason=_("Excel 导入：%(name)s 第 %(n)d 行") % {"name": file_name, "n": row.row_no},
        )
        result.written += 1
    return result


def _entity_in_scope(entity: Entity, scope) -> bool:
    """Whether staff with `scope` may register a holder: the holder's region is theirs."""
    if scope.kind == ALL:
        return True
    if scope.kind == REGION:
        return bool(entity.region_id) and entity.region_id.startswith(scope.value)
    return False


# --- revocation -----------------------------------------------------------------------------


@transaction.atomic
def gi_registration_revoke(*, actor, registration: GIRegistration, reason: str) -> GIRegistration:
    """Revoke a registration (national level). Final.

    Side effects: a status-history row; every authorisation still valid is ended on the same day
    (the mark may no longer be used); one audit event listing them.
    """
    _require(actor, "revoke")
    _in_scope(actor, "revoke", registration)
    registration = GIRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(_("该登记已撤销"), code="transition_not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("请填写撤销理由")})
    today = clock.today()
    ended = list(registration.authorizations.filter(status=AuthorizationStatus.VALID, valid_until__gte=today))
    for authorization in ended:
        authorization.status = AuthorizationStatus.ENDED
        authorization.ended_on = today
        authorization.end_reason = _("登记证书已撤销")
        authorization.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    registration.status = RegistrationStatus.REVOKED
    registration.save(update_fields=["status", "updated_at"])
    GIStatusChange.objects.create(registration=registration, from_status=RegistrationStatus.REGISTERED,
                                  to_status=RegistrationStatus.REVOKED, reason=reason, actor=actor,
                                  at=timezone.now())
    audit.record(actor=actor, verb="gi.registration.revoke", target=registration,
                 old={"status": RegistrationStatus.REGISTERED},
                 new={"status": RegistrationStatus.REVOKED, "ended_authorizations": [a.pk for a in ended]},
                 reason=reason)
    return registration


# --- authorisations -------------------------------------------------------------------------


def _county_of(region: Region | None) -> Region | None:
    while region is not None and region.level != RegionLevel.COUNTY:
        region = region.parent
    return region


@transaction.atomic
def gi_authorize(*, actor, registration: GIRegistration, user_entity: Entity, product: str, quantity,
                 unit: str, valid_from: datetime.date | None, valid_until: datetime.date | None) -> GIAuthorization:
    """Authorise a producer to use the GI mark (用标授权): by the holder's users or staff in scope.

    Refused when the registration is revoked, the producer's county is outside the registration's
    geographic scope, or the producer already holds a valid authorisation of this registration
    overlapping the period. Side effects: one audit event.
    """
    _require(actor, "authorize")
    _in_scope(actor, "authorize", registration)
    registration = GIRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(_("该登记已撤销，不能授权用标"), code="registration_revoked")
    errors: dict[str, str] = {}
    product = (product or "").strip()
    unit = (unit or "").strip()
    if not product:
        errors["product"] = _("请填写用标产品")
    if not unit:
        errors["unit"] = _("请填写数量单位")
    try:
        quantity = Decimal(str(quantity))
        if not quantity.is_finite() or quantity <= 0:
            errors["quantity"] = _("授权数量须大于0")
    except (InvalidOperation, ValueError, TypeError):
        errors["quantity"] = _("授权数量须为数字")
    if valid_from is None:
        errors["valid_from"] = _("请填写有效期起")
    if valid_until is None:
        errors["valid_until"] = _("请填写有效期至")
    elif valid_from is not None and valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起")
    county = _county_of(user_entity.region)
    if county is None or not registration.counties.filter(pk=county.pk).exists():
        errors["user_entity"] = _("%(name)s 所在县（%(county)s）不在该地理标志的地域范围内") % {
            "name": user_entity.name, "county": (county.full_name or county.name) if county else _("未知"),
        }
    if errors:
        raise ValidationFailed(fields=errors)
    overlapping = GIAuthorization.objects.select_for_update().filter(
        registration=registration, user_entity=user_entity, status=AuthorizationStatus.VALID,
        valid_from__lte=valid_until, valid_until__gte=valid_from,
    ).first()
    if overlapping is not None:
        raise ValidationFailed(fields={"valid_from": _(
            "该主体已有有效期重叠的用标授权（%(a)s 至 %(b)s）"
        ) % {"a": overlapping.valid_from.isoformat(), "b": overlapping.valid_until.isoformat()}})
    authorization = GIAuthorization.objects.create(
        registration=registration, user_entity=user_entity, product=product, quantity=quantity, unit=unit,
        valid_from=valid_from, valid_until=valid_until,
    )
    audit.record(actor=actor, verb="gi.authorize", target=authorization,
                 new={"registration": registration.number, "user_entity": user_entity.uscc, "product": product,
                      "quantity": str(quantity), "unit": unit, "valid_from": valid_from, "valid_until": valid_until})
    return authorization


@transaction.atomic
def gi_authorization_end(*, actor, authorization: GIAuthorization, reason: str,
                         ended_on: datetime.date | None = None) -> GIAuthorization:
    """End an authorisation before its term (the holder withdraws it, or the producer stops).
    Side effects: one audit event."""
    _require(actor, "authorize")
    _in_scope(actor, "authorize", authorization.registration)
    authorization = GIAuthorization.objects.select_for_update().get(pk=authorization.pk)
    today = clock.today()
    if authorization.effective_status(today) != AuthorizationStatus.VALID:
        raise Conflict(_("该授权已终止或已过期"), code="transition_not_allowed")
    reason = (reason or "").strip()
    ended_on = ended_on or today
    errors = {}
    if not reason:
        errors["reason"] = _("请填写终止理由")
    if ended_on < authorization.valid_from or ended_on > authorization.valid_until:
        errors["ended_on"] = _("终止日期须在授权有效期内")
    if errors:
        raise ValidationFailed(fields=errors)
    authorization.status = AuthorizationStatus.ENDED
    authorization.ended_on = ended_on
    authorization.end_reason = reason
    authorization.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    audit.record(actor=actor, verb="gi.authorization.end", target=authorization,
                 old={"status": AuthorizationStatus.VALID},
                 new={"status": AuthorizationStatus.ENDED, "ended_on": ended_on}, reason=reason)
    return authorization


# --- quality database -----------------------------------------------------------------------


@transaction.atomic
def gi_quality_record_add(*, actor, registration: GIRegistration, year, indicator: str, value, unit: str = "",
                          method: str = "", lab: str = "", sampled_on: datetime.date | None) -> GIQualityRecord:
    """Record one measured quality indicator (staff of the holder's region). Side effects: one
    audit event."""
    _require(actor, "change")
    _in_scope(actor, "change", registration)
    errors: dict[str, str] = {}
    indicator = (indicator or "").strip()
    if not indicator:
        errors["indicator"] = _("请填写指标名称")
    try:
        value = Decimal(str(value))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["value"] = _("检测值须为数字")
    today = clock.today()
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = _("年度须为四位数字")
        year = None
    if year is not None and not registration.registered_on.year <= year <= today.year:
        errors["year"] = _("年度须在登记年份（%(a)d）与今年之间") % {"a": registration.registered_on.year}
    if sampled_on is None:
        errors["sampled_on"] = _("请填写抽样日期")
    elif sampled_on > today:
        errors["sampled_on"] = _("抽样日期不能晚于今天")
    elif year is not None and sampled_on.year != year:
        errors["sampled_on"] = _("抽样日期须在所填年度内")
    if errors:
        raise ValidationFailed(fields=errors)
    record = GIQualityRecord.objects.create(
        registration=registration, year=year, indicator=indicator, value=value, unit=(unit or "").strip(),
        method=(method or "").strip(), lab=(lab or "").strip(), sampled_on=sampled_on, recorded_by=actor,
    )
    audit.record(actor=actor, verb="gi.quality.add", target=record,
                 new={"registration": registration.number, "year": year, "indicator": indicator,
                      "value": str(value), "unit": record.unit, "sampled_on": sampled_on})
    return record
