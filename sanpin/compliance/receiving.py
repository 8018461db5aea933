"""收证 and 查验: a purchaser or market records the 合格证 that came with the goods, and staff record
violations of the 合格证 rules (decision 0028).

- `receipt_record` — by scanned or typed code, or with a photo of a paper certificate; the entry
  check result (查验); kept for six months (SPEC §10) and never deleted before (`_keep_receipts`).
  A check other than "conforming" is reported to the agency of the issuer's county (falling back
  to the city, then the province) and, where the issuer is known, recorded as a Violation.
- `violation_record` — staff record a violation against an entity of their region.

Every service is one transaction with its audit event; the notice's in-app rows are written in the
same transaction and its e-mail/SMS go out after commit (sanpin.notifications.services.notify).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import pre_delete
from django.dispatch import receiver as signal_receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, AgencyLevel, Role
from sanpin.core import audit, clock
from sanpin.core.access import access_by_id, require_role
from sanpin.core.dates import add_months
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from . import codes
from .choices import CheckResult, Status, ViolationKind
from .models import ComplianceCertificate, Receipt, Violation

KEEP_MONTHS = 6  # SPEC §10: purchasers keep the certificates they receive at least six months
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A photo or scan of a paper certificate, accepted by its content, not by the name it was sent under.
PHOTO_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"%PDF-", "application/pdf", (".pdf",)),
)
# What a failed entry check means for the issuer's credit file [003 att.5 §4(3)].
CHECK_VIOLATION = {
    CheckResult.MISMATCH: ViolationKind.MISMATCH,  # 证物不符
    CheckResult.INCOMPLETE: ViolationKind.FALSE_ISSUE,  # a certificate without its required content
    CheckResult.MISSING: ViolationKind.NOT_ISSUED,  # goods delivered without the certificate
}


def code_from_input(text: str) -> str:
    """The code in what a scanner or a person typed: the code itself or the QR URL
    (`…/c/<code>/?s=…`). A scanned URL whose signature does not verify is refused as forged."""
    code, state = codes.read_scan(text)
    if state == codes.BAD:
        raise ValidationFailed(fields={"code": _("二维码签名无效，疑似伪造的合格证")})
    return (code or "").strip()


def certificate_by_code(code: str):
    """The 合格证 with this code, whoever issued it (a purchaser receives other people's
    certificates), or None. A malformed code (check digit) is None without a query; a lookup
    touches the code's month partition only."""
    if not codes.well_formed(code):
        return None
    start, end = codes.month_range(code)
    return ComplianceCertificate.objects.filter(code=code, issued_at__gte=start, issued_at__lt=end).first()


def sniff_photo(upload) -> tuple[str, str]:
    """(content type, file name) of an uploaded photo, checked by content like certification's
    `sniff`; refused when empty, too large, or not a JPG/PNG/PDF whose name matches."""
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationFailed(fields={"photo": _("请选择照片（文件不能为空）")})
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationFailed(fields={"photo": _("照片不能超过 10 MB")})
    name = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1][:100]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, extensions in PHOTO_SIGNATURES:
        if head.startswith(magic):
            if not name.lower().endswith(extensions):
                raise ValidationFailed(fields={"photo": _("文件内容与扩展名不符")})
            return content_type, name
    raise ValidationFailed(fields={"photo": _("只接受 JPG、PNG 照片或 PDF 扫描件")})


def fmt_qty(value: Decimal) -> str:
    """100.000 → "100", 12.500 → "12.5" (never "1E+2")."""
    return format(Decimal(value).normalize(), "f")


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(fields={field: _("请输入数字")}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationFailed(fields={field: _("数量必须大于 0")})
    if number.as_tuple().exponent < -3 or number >= Decimal("1e11"):
        raise ValidationFailed(fields={field: _("数量最多 11 位整数、3 位小数")})
    return number


def _purchaser_entity(actor):
    require_role(actor, {Role.PURCHASER})
    if not actor.entity_id:
        raise PermissionDenied(_("您的账号未关联收购主体"))
    return actor.entity


# --- reporting to the origin county ---------------------------------------------------------------


def origin_agency_staff(region_code: str) -> list:
    """The LOCAL_STAFF of the county agency of `region_code`; where the county has no agency (or no
    active staff), the city's LOCAL_STAFF; then the province's reviewers."""
    from sanpin.accounts.models import User

    active = User.objects.filter(is_active=True)
    steps = (
        active.filter(role_assignments__role=Role.LOCAL_STAFF, agency__level=AgencyLevel.COUNTY,
                      agency__region_id=region_code),
        active.filter(role_assignments__role=Role.LOCAL_STAFF, agency__level=AgencyLevel.CITY,
                      agency__region_id=region_code[:4] + "00"),
        active.filter(role_assignments__role__in=[Role.PROVINCIAL_REVIEWER, Role.LOCAL_STAFF],
                      agency__level=AgencyLevel.PROVINCE, agency__region_id=region_code[:2] + "0000"),
    )
    for users in steps:
        found = list(users.distinct())
        if found:
            return found
    return []


def _report(receipt, certificate) -> list:
    """Notify the origin county of a failed entry check; return who was notified."""
    from sanpin.notifications.services import notify

    region_code = certificate.region_id if certificate else receipt.receiver.region_id
    staff = origin_agency_staff(region_code)
    if not staff:
        return []
    issuer = certificate.issuer.name if certificate else _("（纸质合格证，主体未知）")
    title = _("合格证查验不合格：%(code)s") % {"code": receipt.code or _("纸质合格证")}
    body = _("%(receiver)s 于 %(when)s 在 %(place)s 收货查验：%(result)s。开具主体：%(issuer)s。说明：%(note)s") % {
        "receiver": receipt.receiver.name, "when": f"{timezone.localtime(receipt.received_at):%Y-%m-%d %H:%M}",
        "place": receipt.place, "result": receipt.get_check_result_display(), "issuer": issuer,
        "note": receipt.note or "—"}
    notify(recipients=staff, title=title, body=body, url=reverse("compliance:violations"))
    return staff


# --- receiving ------------------------------------------------------------------------------------


@dataclass
class ReceiptOutcome:
    receipt: Receipt
    certificate: ComplianceCertificate | None
    violation: Violation | None
    reported_to: list


@transaction.atomic
def receipt_record(*, actor, code: str = "", quantity=None, place: str, check_result: str = CheckResult.CONFORMING,
                   note: str = "", photo=None, received_at: datetime | None = None) -> ReceiptOutcome:
    """A purchaser or market records that it received a 合格证 with the goods.

    Side effects: one Receipt (kept until received date + 6 months); for a check other than
    conforming, a Violation against the issuer (when the certificate is in the system) and a notice
    to the origin county's agency; one audit event. Refused (nothing written): no code and no photo;
    an unknown code without a photo; quantity ≤ 0 or, in all of this receiver's receipts of the
    certificate, more than the certificate covers; a voided certificate checked as conforming."""
    entity = _purchaser_entity(actor)
    code = code_from_input(code)
    place = (place or "").strip()
    note = (note or "").strip()
    errors = {}
    if check_result not in CheckResult.values:
        errors["check_result"] = _("查验结果不正确")
    if not place:
        errors["place"] = _("请填写收货地点")
    elif len(place) > 120:
        errors["place"] = _("收货地点不能超过 120 字")
    if len(note) > 300:
        errors["note"] = _("说明不能超过 300 字")
    if not code and photo is None:
        errors["code"] = _("请扫描或输入合格证编码，或上传纸质合格证照片")
    if errors:
        raise ValidationFailed(fields=errors)

    certificate = certificate_by_code(code) if code else None
    if code and certificate is None and photo is None:
        raise ValidationFailed(fields={"code": _("未找到合格证 %(code)s；纸质合格证请上传照片") % {"code": code}})
    if certificate is not None:
        # The certificate row is locked so that two receipts of it cannot both pass the cap below.
        certificate = (ComplianceCertificate.objects.select_for_update(of=("self",)).select_related("issuer")
                       .get(pk=certificate.pk, issued_at=certificate.issued_at))
        if certificate.issuer_id == entity.pk:
            raise ValidationFailed(fields={"code": _("不能收取本单位开具的合格证")})
        if certificate.status == Status.VOIDED and check_result == CheckResult.CONFORMING:
            raise ValidationFailed(fields={"check_result": _("该合格证已作废，查验结果不能为“合格”")})

    if quantity in (None, ""):
        if certificate is None:
            raise ValidationFailed(fields={"quantity": _("请填写收货数量")})
        quantity = certificate.quantity
    quantity = _decimal(quantity, "quantity")
    if certificate is not None:
        before = (Receipt.objects.filter(receiver=entity, certificate_id=certificate.pk)
                  .aggregate(s=Sum("quantity"))["s"] or Decimal(0))
        if before + quantity > certificate.quantity:
            raise ValidationFailed(fields={"quantity": _(
                "合格证 %(code)s 的数量为 %(total)s%(unit)s，本单位已收 %(before)s%(unit)s，"
                "本次最多 %(left)s%(unit)s") % {
                "code": certificate.code, "total": fmt_qty(certificate.quantity), "unit": certificate.unit,
                "before": fmt_qty(before), "left": fmt_qty(max(certificate.quantity - before, Decimal(0)))}})

    now = clock.now()
    received_at = received_at or now
    if received_at > now:
        raise ValidationFailed(fields={"received_at": _("收货时间不能晚于现在")})
    receipt = Receipt(
        certificate_id=certificate.pk if certificate else None,
        certificate_issued_at=certificate.issued_at if certificate else None,
        code=certificate.code if certificate else code[:20], receiver=entity, received_at=received_at,
        place=place, quantity=quantity, check_result=check_result, note=note, recorded_by=actor,
        keep_until=add_months(_local_date(received_at), KEEP_MONTHS),
    )
    photo_meta = None
    if photo is not None:
        content_type, name = sniff_photo(photo)
        digest = hashlib.sha256()
        for chunk in photo.chunks():
            digest.update(chunk)
        photo.seek(0)
        receipt.photo.save(name, photo, save=False)
        photo_meta = {"name": name, "content_type": content_type, "size": photo.size, "sha256": digest.hexdigest()}
    receipt.save()

    violation = None
    reported_to = []
    if check_result != CheckResult.CONFORMING:
        if certificate is not None:
            violation = Violation.objects.create(
                entity=certificate.issuer, kind=CHECK_VIOLATION[check_result], occurred_on=_local_date(received_at),
                code=certificate.code, reported_by=actor,
                detail=_("%(receiver)s 收货查验：%(result)s。%(note)s") % {
                    "receiver": entity.name, "result": receipt.get_check_result_display(), "note": note})
        reported_to = _report(receipt, certificate)
    audit.record(actor=actor, verb="compliance.receive", target=receipt, new={
        "code": receipt.code, "certificate_id": receipt.certificate_id, "quantity": str(quantity),
        "place": place, "check_result": check_result, "photo": photo_meta,
        "violation": violation.pk if violation else None, "reported_to": [u.pk for u in reported_to]})
    return ReceiptOutcome(receipt, certificate, violation, reported_to)


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def receipt_in_scope(user, pk):
    """One receipt the user may see (its receiver's accounts, staff of the receiver's region)."""
    return access_by_id(Receipt.objects.select_related("receiver"), user, pk, "view")


def receipts(user):
    """Receipts the user may see, newest first (keyset on received_at, id)."""
    return Receipt.objects.restrict(user, "view").select_related("receiver").order_by("-received_at", "-id")


def received_left(entity, certificate) -> Decimal:
    """What `entity` received of `certificate` (conforming receipts) and has not yet cited as a source."""
    from .models import SourceLink

    received = (Receipt.objects.filter(receiver=entity, certificate_id=certificate.pk,
                                       check_result=CheckResult.CONFORMING)
                .aggregate(s=Sum("quantity"))["s"] or Decimal(0))
    taken = SourceLink.objects.filter(receiver=entity, source_id=certificate.pk).aggregate(s=Sum("quantity"))["s"]
    return received - (taken or Decimal(0))


@signal_receiver(pre_delete, sender=Receipt, dispatch_uid="compliance_keep_receipts")
def _keep_receipts(sender, instance, **kwargs):
    """The rules forbid deleting a receipt before its six months are over (SPEC §10): not through
    the ORM (a queryset delete sends this signal per row), not through a cascade; no page, endpoint or
    admin action offers a delete at all."""
    if instance.keep_until and instance.keep_until >= clock.today():
        raise Conflict(_("收证记录须保存至 %(d)s，不能删除") % {"d": instance.keep_until})


# --- violations -----------------------------------------------------------------------------------


@transaction.atomic
def violation_record(*, actor, entity_id, kind: str, occurred_on: date, detail: str, code: str = "") -> Violation:
    """Staff record a violation of the 合格证 rules by an entity of their region (not issuing, false
    issuing, mismatch, purchases without a certificate). The credit file reads these events.
    Side effects: one Violation, one audit event."""
    from sanpin.catalog.models import Entity

    require_role(actor, REVIEW_STAFF_ROLES)
    errors = {}
    if kind not in ViolationKind.values:
        errors["kind"] = _("违规类型不正确")
    detail = (detail or "").strip()
    if not detail:
        errors["detail"] = _("请填写违规情况")
    if occurred_on is None:
        errors["occurred_on"] = _("请填写发生日期")
    elif occurred_on > clock.today():
        errors["occurred_on"] = _("发生日期不能晚于今天")
    code = code_from_input(code)
    if code and certificate_by_code(code) is None:
        errors["code"] = _("未找到合格证 %(code)s") % {"code": code}
    if errors:
        raise ValidationFailed(fields=errors)
    try:
        entity = access_by_id(Entity, actor, entity_id, "view")
    except Exception:  # NotFound / PermissionDenied: the entity is not one the actor may act on
        raise ValidationFailed(fields={"entity": _("未找到该主体，或不在您的管辖范围内")}) from None
    violation = Violation.objects.create(entity=entity, kind=kind, occurred_on=occurred_on, detail=detail,
                                         code=code, reported_by=actor)
    audit.record(actor=actor, verb="compliance.violation_record", target=violation,
                 new={"entity": entity.pk, "kind": kind, "occurred_on": occurred_on, "code": code})
    return violation


def violations(user):
    return Violation.objects.restrict(user, "view").select_related("entity", "reported_by")
