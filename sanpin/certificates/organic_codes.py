"""有机码 (organic label codes): issue batches within the certificate's approved output, export them
for reporting to the national certification information system, and find the batch of a code.

A code is certifier code (3) + year (2) + 12 random digits (SPEC §10). The random part comes from
`secrets` because codes on packages must not be guessable from one another.
"""

import csv
import io
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.core import audit, clock
from sanpin.core.errors import ValidationFailed

from .choices import Scheme
from .models import Certifier, OrganicCode, OrganicCodeBatch, quantity_text
from .services import _locked, _require_national

MAX_COUNT = 100_000
RANDOM_SPACE = 10**12
# Column order of the export (docs/decisions/0017-organic-codes.md).
EXPORT_COLUMNS = ("certificate_number", "certifier_code", "code", "batch_id", "issued_on")


def _random_codes(prefix: str, count: int) -> set[str]:
    """`count` distinct codes with `prefix` not yet in the database (collisions are drawn again)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        drawn = {prefix + f"{secrets.randbelow(RANDOM_SPACE):012d}" for _ in range(wanted)}
        drawn -= codes
        pending, taken = list(drawn), set()
        for start in range(0, len(pending), 5000):
            chunk = pending[start:start + 5000]
            taken |= set(OrganicCode.objects.filter(code__in=chunk).values_list("code", flat=True))
        codes |= drawn - taken
    return codes


def issued_quantity(certificate) -> Decimal:
    """Quantity already covered by the certificate's batches."""
    return certificate.organic_code_batches.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


@transaction.atomic
def organic_codes_issue(*, actor, certificate, certifier, count, quantity) -> OrganicCodeBatch:
    """Issue a batch of 有机码 for an organic certificate valid today, covering `quantity` of its
    approved output (all batches together never exceed it).

    Side effects: one batch row, `count` code rows (bulk insert); one audit event with the counts
    (never the codes themselves).
    """
    _require_national(actor)
    certificate = _locked(actor, certificate)
    today = clock.today()
    errors = {}
    if certificate.scheme != Scheme.ORGANIC:
        errors["certificate"] = _("只有有机农产品证书可以发放有机码")
    elif certificate.effective_status(today) != "valid":
        errors["certificate"] = _("证书当前不在有效状态，不能发放有机码")
    if not isinstance(certifier, Certifier):
        errors["certifier"] = _("请选择认证机构")
    try:
        count = int(count)
    except (TypeError, ValueError):
        errors["count"] = _("有机码数量应为整数")
    else:
        if not 1 <= count <= MAX_COUNT:
            errors["count"] = _("每批有机码数量应在 1 至 %(max)s 之间") % {"max": f"{MAX_COUNT:,}"}
    try:
        quantity = Decimal(str(quantity))
        if not quantity.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["quantity"] = _("覆盖数量应为数字")
    else:
        if quantity <= 0:
            errors["quantity"] = _("覆盖数量应大于 0")
        elif "certificate" not in errors:
            remaining = certificate.approved_output - issued_quantity(certificate)
            if quantity > remaining:
                errors["quantity"] = _("超出核准产量：该证书剩余可发放数量为 %(left)s %(unit)s") % {
                    "left": quantity_text(max(remaining, Decimal(0))), "unit": certificate.output_unit}
    if errors:
        raise ValidationFailed(_("有机码未发放，请修改标出的内容"), fields=errors)
    year = today.year % 100
    batch = OrganicCodeBatch.objects.create(
        certificate=certificate, certifier=certifier, year=today.year, quantity=quantity, count=count,
        issued_by=actor, issued_at=clock.now(),
    )
    prefix = f"{certifier.code}{year:02d}"
    OrganicCode.objects.bulk_create(
        [OrganicCode(code=code, batch=batch) for code in sorted(_random_codes(prefix, count))], batch_size=5000
    )
    audit.record(actor=actor, verb="certificate.organic_codes_issue", target=certificate, new={
        "batch": batch.pk, "certifier": certifier.code, "count": count, "quantity": str(quantity),
    })
    return batch


def organic_codes_export(batch) -> str:
    """The batch as CSV for reporting to the national system, columns in EXPORT_COLUMNS order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    number, certifier = batch.certificate.number, batch.certifier.code
    issued_on = timezone.localdate(batch.issued_at)
    for code in batch.codes.order_by("pk").values_list("code", flat=True).iterator(chunk_size=5000):
        writer.writerow((number, certifier, code, batch.pk, issued_on.isoformat()))
    return out.getvalue()


def batches(certificate):
    """The certificate's batches, newest first."""
    return certificate.organic_code_batches.select_related("certifier", "issued_by")

