"""Writes for the "十百千万" registry: outlets (市场专区, 商超专柜) and promotion specialists with their
trainings, registered per district by staff of that district or above. Each checks role and scope,
validates, writes and appends one audit event in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.catalog.models import Region
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, access_by_id, can, scope_for
from sanpin.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed

from .choices import OutletKind
from .models import Outlet, PromotionSpecialist, SpecialistTraining


def district_in_scope(actor, district: Region, model=Outlet) -> bool:
    scope = scope_for(actor, "change", model)
    return scope.kind == ALL or (scope.kind == REGION and district.code.startswith(scope.value))


def _district(actor, district, errors: dict, model) -> Region | None:
    if not isinstance(district, Region):
        errors["district"] = _("请选择所在区（县）")
        return None
    if not district.accepts_entities():
        errors["district"] = _("请选择区（县）级行政区划")
    elif not district_in_scope(actor, district, model):
        errors["district"] = _("该区（县）不在本账号管辖范围内")
    return district


def _text(values: dict, name: str, limit: int, missing: str, errors: dict) -> str:
    text = (values.get(name) or "").strip()
    if not text:
        errors[name] = missing
    elif len(text) > limit:
        errors[name] = _("不超过 %(n)d 个字") % {"n": limit}
    return text


def _past_day(value, name: str, missing: str, errors: dict) -> datetime.date | None:
    if not isinstance(value, datetime.date):
        errors[name] = missing
        return None
    if value > clock.today():
        errors[name] = _("日期不能晚于今天")
    return value


def _require(actor, model) -> None:
    if not can(actor, "change", model):
        raise PermissionDenied()


@transaction.atomic
def outlet_register(*, actor, kind, host_name, district, address, opened_on) -> Outlet:
    """Register a market zone or supermarket counter in a district of the actor's scope.
    Side effects: one audit event."""
    _require(actor, Outlet)
    errors: dict = {}
    if kind not in OutletKind.values:
        errors["kind"] = _("请选择类型")
    values = {"host_name": host_name, "address": address}
    host_name = _text(values, "host_name", 120, _("请填写所在批发市场或商超名称"), errors)
    address = _text(values, "address", 200, _("请填写地址"), errors)
    district = _district(actor, district, errors, Outlet)
    opened_on = _past_day(opened_on, "opened_on", _("请填写开设日期"), errors)
    if errors:
        raise ValidationFailed(fields=errors)
    outlet = Outlet.objects.create(kind=kind, host_name=host_name, district=district, address=address,
                                   opened_on=opened_on, registered_by=actor)
    audit.record(actor=actor, verb="promotion.outlet.register", target=outlet,
                 new={"kind": kind, "host_name": host_name, "district": district.code, "address": address,
                      "opened_on": opened_on})
    return outlet


@transaction.atomic
def outlet_close(*, actor, outlet, closed_on, reason: str = "") -> Outlet:
    """Record that an outlet closed (it no longer counts from that day). Side effects: one audit event."""
    outlet = access_by_id(Outlet.objects.select_for_update(of=("self",)), actor, outlet.pk, "change")
    if outlet.closed_on is not None:
        raise TransitionNotAllowed(_("该专区专柜已于 %(day)s 撤销") % {"day": outlet.closed_on.isoformat()})
    errors: dict = {}
    closed_on = _past_day(closed_on, "closed_on", _("请填写撤销日期"), errors)
    if closed_on and closed_on <= outlet.opened_on:
        errors["closed_on"] = _("撤销日期应晚于开设日期 %(day)s") % {"day": outlet.opened_on.isoformat()}
    reason = (reason or "").strip()
    if len(reason) > 200:
        errors["reason"] = _("不超过 200 个字")
    if errors:
        raise ValidationFailed(fields=errors)
    outlet.closed_on, outlet.closed_reason = closed_on, reason
    outlet.save(update_fields=["closed_on", "closed_reason", "updated_at"])
    audit.record(actor=actor, verb="promotion.outlet.close", target=outlet, new={"closed_on": closed_on},
                 reason=reason)
    return outlet


@transaction.atomic
def specialist_register(*, actor, name, employer, district, registered_on) -> PromotionSpecialist:
    """Register a promotion specialist in a district of the actor's scope (counted once trained).
    Side effects: one audit event."""
    _require(actor, PromotionSpecialist)
    errors: dict = {}
    values = {"name": name, "employer": employer}
    name = _text(values, "name", 60, _("请填写姓名"), errors)
    employer = _text(values, "employer", 120, _("请填写工作单位"), errors)
    district = _district(actor, district, errors, PromotionSpecialist)
    registered_on = _past_day(registered_on, "registered_on", _("请填写登记日期"), errors)
    if errors:
        raise ValidationFailed(fields=errors)
    specialist = PromotionSpecialist.objects.create(name=name, employer=employer, district=district,
                                                    registered_on=registered_on, registered_by=actor)
    audit.record(actor=actor, verb="promotion.specialist.register", target=specialist,
                 new={"name": name, "employer": employer, "district": district.code, "registered_on": registered_on})
    return specialist


def _locked_specialist(actor, specialist) -> PromotionSpecialist:
    return access_by_id(PromotionSpecialist.objects.select_for_update(of=("self",)), actor, specialist.pk, "change")


@transaction.atomic
def specialist_leave(*, actor, specialist, left_on) -> PromotionSpecialist:
    """Record that a specialist left (no longer counted from that day). Side effects: one audit event."""
    specialist = _locked_specialist(actor, specialist)
    if specialist.left_on is not None:
        raise TransitionNotAllowed(_("该推广专员已于 %(day)s 离岗") % {"day": specialist.left_on.isoformat()})
    errors: dict = {}
    left_on = _past_day(left_on, "left_on", _("请填写离岗日期"), errors)
    if left_on and left_on < specialist.registered_on:
        errors["left_on"] = _("离岗日期不能早于登记日期 %(day)s") % {"day": specialist.registered_on.isoformat()}
    if errors:
        raise ValidationFailed(fields=errors)
    specialist.left_on = left_on
    specialist.save(update_fields=["left_on", "updated_at"])
    audit.record(actor=actor, verb="promotion.specialist.leave", target=specialist, new={"left_on": left_on})
    return specialist


@transaction.atomic
def specialist_training_record(*, actor, specialist, course, trained_on, hours, organiser) -> SpecialistTraining:
    """Record a training a specialist attended. Side effects: one audit event."""
    specialist = _locked_specialist(actor, specialist)
    errors: dict = {}
    values = {"course": course, "organiser": organiser}
    course = _text(values, "course", 200, _("请填写培训课程"), errors)
    organiser = _text(values, "organiser", 120, _("请填写培训组织单位"), errors)
    trained_on = _past_day(trained_on, "trained_on", _("请填写培训日期"), errors)
    if trained_on and specialist.left_on and trained_on >= specialist.left_on:
        errors["trained_on"] = _("该推广专员已于 %(day)s 离岗") % {"day": specialist.left_on.isoformat()}
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not Decimal("0") < hours <= Decimal("1000"):
        errors["hours"] = _("学时应为 0.1 至 1000 之间的数")
    if errors:
        raise ValidationFailed(fields=errors)
    training = SpecialistTraining.objects.create(specialist=specialist, course=course, trained_on=trained_on,
                                                 hours=hours, organiser=organiser, recorded_by=actor)
    audit.record(actor=actor, verb="promotion.specialist.training", target=specialist,
                 new={"course": course, "trained_on": trained_on, "hours": str(hours), "organiser": organiser})
    return training
