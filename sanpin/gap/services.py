"""Writes for GAP records. Each service checks role and scope, validates, changes state and
appends one audit event in the same transaction."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.catalog.models import Entity
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from .models import GAPCertificate, GAPStatus

FIELDS = ("certifier", "number", "products", "area", "valid_from", "valid_until")


def _require_scope(actor, entity: Entity) -> None:
    """The holder must lie in the actor's region for recording; a wrong role or another region's
    holder is refused (403)."""
    scope = scope_for(actor, "change", GAPCertificate)
    if scope.kind == ALL:
        return
    if scope.kind == REGION and entity.region_id and entity.region_id.startswith(scope.value):
        return
    raise PermissionDenied()


def _clean(values: dict, *, exclude_pk=None) -> dict:
    errors: dict[str, str] = {}
    cleaned = {k: (values.get(k) or "").strip() if k not in ("valid_from", "valid_until") else values.get(k)
               for k in FIELDS}
    cleaned["number"] = cleaned["number"].upper()
    if not cleaned["certifier"]:
        errors["certifier"] = _("请填写认证机构")
    if not cleaned["number"]:
        errors["number"] = _("请填写证书编号")
    if not cleaned["products"]:
        errors["products"] = _("请填写认证产品")
    valid_from, valid_until = cleaned["valid_from"], cleaned["valid_until"]
    if not isinstance(valid_from, datetime.date):
        errors["valid_from"] = _("请填写有效期起")
    if not isinstance(valid_until, datetime.date):
        errors["valid_until"] = _("请填写有效期至")
    elif isinstance(valid_from, datetime.date) and valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起")
    if cleaned["certifier"] and cleaned["number"]:
        clash = GAPCertificate.objects.filter(certifier=cleaned["certifier"], number=cleaned["number"])
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["number"] = _("该认证机构的证书编号 %(n)s 已录入") % {"n": cleaned["number"]}
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


@transaction.atomic
def gap_certificate_create(*, actor, holder: Entity, certifier: str, number: str, products: str, area: str = "",
                           valid_from: datetime.date | None, valid_until: datetime.date | None) -> GAPCertificate:
    """Record a third-party GAP certificate of `holder` (staff whose region covers the holder).
    Side effects: one audit event."""
    _require_scope(actor, holder)
    values = _clean({"certifier": certifier, "number": number, "products": products, "area": area,
                     "valid_from": valid_from, "valid_until": valid_until})
    certificate = GAPCertificate.objects.create(holder=holder, recorded_by=actor, **values)
    audit.record(actor=actor, verb="gap.certificate.create", target=certificate,
                 new={"holder": holder.uscc, **values})
    return certificate


@transaction.atomic
def gap_certificate_update(*, actor, certificate: GAPCertificate, certifier: str, number: str, products: str,
                           area: str = "", valid_from: datetime.date | None,
                           valid_until: datetime.date | None) -> GAPCertificate:
    """Correct a recorded certificate (e.g. a typing error or an extended validity). An ended
    record is closed: 409. Side effects: one audit event with old and new values."""
    certificate = GAPCertificate.objects.select_for_update().get(pk=certificate.pk)
    _require_scope(actor, certificate.holder)
    if certificate.status == GAPStatus.ENDED:
        raise Conflict(_("该证书记录已终止，不能修改"))
    values = _clean({"certifier": certifier, "number": number, "products": products, "area": area,
                     "valid_from": valid_from, "valid_until": valid_until}, exclude_pk=certificate.pk)
    old = {k: getattr(certificate, k) for k in FIELDS}
    changed = {k: v for k, v in values.items() if old[k] != v}
    if not changed:
        return certificate
    for name, value in changed.items():
        setattr(certificate, name, value)
    certificate.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=actor, verb="gap.certificate.update", target=certificate,
                 old={k: old[k] for k in changed}, new=changed)
    return certificate


@transaction.atomic
def gap_certificate_end(*, actor, certificate: GAPCertificate, ended_on: datetime.date | None,
                        reason: str) -> GAPCertificate:
    """Record that the certifier withdrew or the holder gave up the certificate before its
    expiry. Side effects: one audit event."""
    certificate = GAPCertificate.objects.select_for_update().get(pk=certificate.pk)
    _require_scope(actor, certificate.holder)
    if certificate.status == GAPStatus.ENDED:
        raise Conflict(_("该证书记录已终止"))
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写终止理由")
    if ended_on is None:
        errors["ended_on"] = _("请填写终止日期")
    elif ended_on > clock.today():
        errors["ended_on"] = _("终止日期不能晚于今天")
    elif ended_on < certificate.valid_from:
        errors["ended_on"] = _("终止日期不能早于有效期起")
    if errors:
        raise ValidationFailed(fields=errors)
    certificate.status, certificate.ended_on, certificate.end_reason = GAPStatus.ENDED, ended_on, reason
    certificate.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    audit.record(actor=actor, verb="gap.certificate.end", target=certificate, old={"status": GAPStatus.VALID},
                 new={"status": GAPStatus.ENDED, "ended_on": ended_on}, reason=reason)
    return certificate
