"""Re-issue after mixing or repacking (混装/分装后重新开具): a purchaser issues a new 合格证 that cites
the certificates it received, with the quantity taken from each (decision 0028).

Quantities are conserved per source: what a receiver has taken from a certificate in all its
re-issues never exceeds what it received of it (the sum of its conforming receipts of that
certificate). Two re-issues from the same source at the same moment cannot both pass: the
receiver's receipt rows of the sources are locked with SELECT … FOR UPDATE in a fixed order
(certificate id, receipt id) before the sums are read, so the second waits for the first to commit
and then sees its SourceLink rows. Locking the receipts, not the certificate, keeps the lock on the
receiver's own rows: other purchasers of the same certificate are not serialised with it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sanpin.core import audit
from sanpin.core.errors import Conflict, ValidationFailed

from .choices import CheckResult, Status
from .models import ComplianceCertificate, Receipt, SourceLink
from .receiving import _decimal, _purchaser_entity, certificate_by_code, code_from_input, fmt_qty

MAX_SOURCES = 200


@dataclass(frozen=True)
class SourceInput:
    code: str
    quantity: Decimal


def parse_sources(raw) -> list[SourceInput]:
    """[{"code", "quantity"}, …] → SourceInput; each bad entry is named by its position."""
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationFailed(fields={"sources": _("请至少列出一个来源合格证及其数量")})
    if len(raw) > MAX_SOURCES:
        raise ValidationFailed(fields={"sources": _("来源合格证最多 %(n)s 个") % {"n": MAX_SOURCES}})
    parsed, errors, seen = [], [], set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.append(_("第 %(i)s 个来源格式不正确") % {"i": index})
            continue
        code = code_from_input(str(item.get("code") or ""))
        if not code:
            errors.append(_("第 %(i)s 个来源缺少合格证编码") % {"i": index})
            continue
        if code in seen:
            errors.append(_("来源 %(code)s 重复列出；请合并为一行") % {"code": code})
            continue
        seen.add(code)
        try:
            quantity = _decimal(item.get("quantity"), "quantity")
        except ValidationFailed as exc:
            errors.append(_("来源 %(code)s 的数量：%(m)s") % {"code": code, "m": exc.fields["quantity"][0]})
            continue
        parsed.append(SourceInput(code, quantity))
    if errors:
        raise ValidationFailed(fields={"sources": errors})
    return parsed


def check_sources(entity, sources: list[SourceInput], *, lock: bool,
                  quantities: bool = True) -> list[tuple[ComplianceCertificate, Decimal]]:
    """Each source resolved and checked against what `entity` received and (with `quantities`) has
    left; with `lock`, the receiver's receipt rows of the sources are locked first (in a fixed
    order). Any refusal names the source and, for quantities, what is left."""
    errors, found = [], []
    for source in sources:
        certificate = certificate_by_code(source.code)
        if certificate is None:
            errors.append(_("来源 %(code)s：未找到该合格证") % {"code": source.code})
        elif certificate.status == Status.VOIDED:
            errors.append(_("来源 %(code)s：该合格证已作废") % {"code": source.code})
        else:
            found.append((certificate, source.quantity))
    if errors:
        raise ValidationFailed(fields={"sources": errors})
    ids = sorted({c.pk for c, _q in found})
    receipts = Receipt.objects.filter(receiver=entity, certificate_id__in=ids)
    if lock:
        # Fixed order: two re-issues citing the same sources in any order take the locks alike.
        list(receipts.select_for_update().order_by("certificate_id", "id").values_list("id", flat=True))
    received = set(receipts.values_list("certificate_id", flat=True).distinct())
    conforming = dict(receipts.filter(check_result=CheckResult.CONFORMING).values("certificate_id")
                      .annotate(total=Sum("quantity")).values_list("certificate_id", "total"))
    taken = dict(SourceLink.objects.filter(receiver=entity, source_id__in=ids).values("source_id")
                 .annotate(total=Sum("quantity")).values_list("source_id", "total"))
    for certificate, quantity in found:
        if certificate.pk not in received:
            errors.append(_("来源 %(code)s：本单位未收取该合格证，不能作为来源") % {"code": certificate.code})
            continue
        if certificate.pk not in conforming:
            errors.append(_("来源 %(code)s：收货查验不合格，不能作为来源") % {"code": certificate.code})
            continue
        if not quantities:
            continue
        left = conforming[certificate.pk] - (taken.get(certificate.pk) or Decimal(0))
        if quantity > left:
            errors.append(_("来源 %(code)s：剩余可用数量 %(left)s%(unit)s，本次填写 %(q)s%(unit)s") % {
                "code": certificate.code, "left": fmt_qty(max(left, Decimal(0))), "unit": certificate.unit,
                "q": fmt_qty(quantity)})
    if errors:
        raise ValidationFailed(fields={"sources": errors})
    return found


@transaction.atomic
def reissue(*, actor, sources, key: str = "", **fields) -> ComplianceCertificate:
    """A purchaser issues a new certificate after mixing or repacking, citing its sources.

    `sources`: [{"code", "quantity"}, …] (quantity in the source's unit); `fields`: the new
    certificate's product_name, category, quantity, unit, origin, contact_phone, basis,
    test_report_no (validated by the issue service, issuing.compliance_issue); `key`: the client's
    idempotency key — a retry with the same key and body answers the certificate first made and
    writes nothing more. Side effects: the certificate (is_reissue=True), one SourceLink per
    source, one audit event. Refused, nothing written: no sources; a source that does not exist, is
    voided, was not received (conforming) by this purchaser, or has less left than asked; a new
    quantity larger than the sum taken when every source has the new certificate's unit."""
    from . import issuing

    entity = _purchaser_entity(actor)
    parsed = parse_sources(sources)
    # What a retry cannot change is checked before the issue service runs (unknown, voided, not
    # received); the quantities after it, under the lock, where a retry is answered first.
    check_sources(entity, parsed, lock=False, quantities=False)
    item = {name: value for name, value in fields.items() if value is not None}
    if key:
        item["idempotency_key"] = key
    result = issuing.compliance_issue(actor=actor, items=item, via="reissue")
    certificate, created = result.certificates[0], result.created[0]
    if not created:
        if not certificate.is_reissue:
            raise Conflict(_("幂等键 %(k)s 已用于一张非重新开具的合格证") % {"k": key}, code="idempotency_key_reused",
                           fields={"idempotency_key": [_("该幂等键已用于其他合格证")]})
        certificate.replayed = True
        return certificate  # a retry: the sources were linked by the first request
    # Locks the receiver's receipts of the sources, then reads what is left: a concurrent re-issue
    # from the same source waits here until this transaction ends.
    found = check_sources(entity, parsed, lock=True)
    if all(c.unit == certificate.unit for c, _q in found):
        total = sum((q for _c, q in found), Decimal(0))
        if certificate.quantity > total:
            raise ValidationFailed(fields={"quantity": _(
                "重新开具的数量不能超过各来源合计 %(t)s%(u)s") % {"t": fmt_qty(total), "u": certificate.unit}})
    ComplianceCertificate.objects.filter(pk=certificate.pk, issued_at=certificate.issued_at).update(is_reissue=True)
    certificate.is_reissue = True
    SourceLink.objects.bulk_create(
        SourceLink(certificate_id=certificate.pk, certificate_issued_at=certificate.issued_at, source_id=c.pk,
                   source_issued_at=c.issued_at, receiver=entity, quantity=q)
        for c, q in found
    )
    audit.record(actor=actor, verb="compliance.reissue", target=certificate, new={
        "code": certificate.code, "sources": [{"code": c.code, "quantity": str(q)} for c, q in found]})
    return certificate
