"""Label PDFs of 承诺达标合格证: one or many certificates printed on the common label sizes.

Rendered by WeasyPrint from templates/compliance/labels_pdf.html with the Noto CJK font embedded
(the same font resolution as the 使用证, sanpin.certificates.pdf.font_file), and on each label the
QR code (segno, a PNG drawn without interpolation) of the certificate's signed public URL from sanpin.compliance.codes.

Sizes (`SIZES`):
- single labels, one per page, the page being the label: 60×40 mm and 100×70 mm (thermal label
  printers and pre-cut rolls);
- A4 sheets of labels: 3×8 of 70×37 mm (24 a sheet) and 2×4 of 105×74 mm (8 a sheet), for office
  printers and pre-cut sheets.

Who may print is decided by the caller (sanpin.compliance.views_labels): the issuer, and staff whose
region holds the issuing county.
"""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanpin.certificates.pdf import FONT_FAMILY, font_file
from sanpin.core.access import can
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import codes
from .choices import COMMITMENT_TEXT, TESTED, CommitmentBasis, ProductCategory, Status
from .models import ComplianceCertificate

# A PDF holds at most this many labels: WeasyPrint lays out every label of the request in one
# process; larger print runs are split by the client (a batch of 10,000 is printed in pages).
MAX_LABELS = 240
FIELD_LINE_HEIGHT = 1.22


@dataclass(frozen=True)
class LabelSize:
    """A label of `width`×`height` mm; on a sheet, `cols`×`rows` of them on a `page` (mm) starting
    at `margin_left`/`margin_top`. The type sizes (pt) and the QR side (mm) fit the label."""

    key: str
    label: str
    width: float
    height: float
    title_pt: float
    field_pt: float
    note_pt: float
    qr_mm: float
    padding_mm: float
    cols: int = 1
    rows: int = 1
    page: tuple[float, float] | None = None
    margin_left: float = 0
    margin_top: float = 0

    @property
    def body_mm(self) -> str:
        """The height left for the fields and the QR code between the title and the commitment
        (two lines): fixed, so a long origin is cut rather than pushing the commitment off."""
        pt = 25.4 / 72
        title = self.title_pt * 1.15 * pt + 1.2
        note = 2 * self.note_pt * 1.15 * pt + 0.6
        return f"{self.height - 2 * self.padding_mm - 2.2 - title - note:.2f}"

    @property
    def fields_mm(self) -> str:
        """The body height rounded down to whole lines of the fields, so no line is cut in half."""
        line = self.field_pt * FIELD_LINE_HEIGHT * 25.4 / 72
        return f"{math.floor(float(self.body_mm) / line) * line:.2f}"

    @property
    def fields_right_mm(self) -> float:
        """The fields keep clear of the QR code (floated right) by 1 mm."""
        return self.qr_mm + 1

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def is_sheet(self) -> bool:
        return self.page is not None

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page or (self.width, self.height)


A4 = (210.0, 297.0)
SIZES = {
    size.key: size
    for size in (
        LabelSize("60x40", _("60×40 毫米标签"), 60, 40, title_pt=8.5, field_pt=5.2, note_pt=4.2, qr_mm=22,
                  padding_mm=1.8),
        LabelSize("100x70", _("100×70 毫米标签"), 100, 70, title_pt=16, field_pt=9, note_pt=7, qr_mm=36,
                  padding_mm=3.5),
        LabelSize("a4-3x8", _("A4 整张 24 枚（70×37 毫米）"), 70, 37, title_pt=8, field_pt=4.9, note_pt=4,
                  qr_mm=20.5, padding_mm=1.8, cols=3, rows=8, page=A4, margin_left=0, margin_top=0.5),
        LabelSize("a4-2x4", _("A4 整张 8 枚（105×74 毫米）"), 105, 74, title_pt=16, field_pt=9, note_pt=7,
                  qr_mm=37, padding_mm=4, cols=2, rows=4, page=A4, margin_left=0, margin_top=0.5),
    )
}
DEFAULT_SIZE = "60x40"


def signed_url(code: str) -> str:
    """The public URL the label's QR code carries: the code and its signature (Ed25519, with the
    compliance domain prefix), built by sanpin.compliance.codes."""
    return codes.scan_url(code)


def qr_image(url: str) -> str:
    """`url` as a QR code (error correction M) in a PNG data URI, one pixel a module with a quiet
    zone of two modules (the label's padding adds white around it). The template scales it to mm
    with `image-rendering: pixelated`, so the PDF draws sharp modules without interpolation; a
    bitmap is several times faster for WeasyPrint to lay out than the same code as SVG paths."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=2)


def quantity_text(quantity) -> str:
    """500.000 → "500", 12.500 → "12.5": what a person writes on a label."""
    value = Decimal(quantity).normalize()
    return f"{value:f}"


def label_context(certificate) -> dict:
    url = signed_url(certificate.code)
    issuer = certificate.issuer
    return {
        "c": certificate,
        "producer": issuer.name,
        "category_label": ProductCategory(certificate.category).label if certificate.category in ProductCategory.values
        else certificate.category,
        "quantity": quantity_text(certificate.quantity),
        "issued_on": timezone.localtime(certificate.issued_at).date(),
        "basis_label": CommitmentBasis(certificate.basis).label if certificate.basis in CommitmentBasis.values
        else certificate.basis,
        "tested": certificate.basis in TESTED,
        "url": url,
        "qr_image": qr_image(url),
    }


def _placed(labels: list[dict], size: LabelSize) -> list[list[dict]]:
    """Labels grouped by page; on a sheet each gets its `left`/`top` (mm) in reading order."""
    pages = [labels[start:start + size.per_page] for start in range(0, len(labels), size.per_page)]
    for page in pages:
        for index, label in enumerate(page):
            row, col = divmod(index, size.cols)
            label["left"] = f"{size.margin_left + col * size.width:.2f}"
            label["top"] = f"{size.margin_top + row * size.height:.2f}"
    return pages


def labels_html(certificates, size: LabelSize) -> str:
    made: dict[str, dict] = {}  # copies of one certificate share its QR code
    labels = [dict(made.get(c.code) or made.setdefault(c.code, label_context(c))) for c in certificates]
    font = font_file()
    return render_to_string("compliance/labels_pdf.html", {
        "size": size,
        "pages": _placed(labels, size),
        "page_width": size.page_size[0],
        "page_height": size.page_size[1],
        "commitment": COMMITMENT_TEXT,
        "font_url": Path(font).as_uri() if font else "",
        "font_family": FONT_FAMILY,
    })


def labels_pdf(certificates, size_key: str = DEFAULT_SIZE) -> bytes:
    """The label PDF of `certificates` (in the given order) in size `size_key` of SIZES."""
    from weasyprint import HTML

    html = labels_html(list(certificates), SIZES[size_key])
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def parse_codes(values) -> list[str]:
    """Codes from form values (repeated `code` fields, or one field with codes separated by
    commas, spaces or new lines), in order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        for code in re.split(r"[\s,，;；]+", value or ""):
            if code:
                seen.setdefault(code.strip(), None)
    return list(seen)


def certificates_for_labels(user, raw_codes) -> list:
    """The certificates `user` may print labels of, in the order asked: the issuer's own, or
    any of the region for staff in scope. Wrong role → PermissionDenied; no code, too many or a
    malformed one → ValidationFailed naming `code`; a code that does not exist or is out of scope
    → NotFound (the same answer, so existence is not revealed); a voided one → Conflict."""
    if not can(user, "view", ComplianceCertificate):
        raise PermissionDenied()
    wanted = parse_codes(raw_codes)
    if not wanted:
        raise ValidationFailed(_("请至少选择一张合格证"), fields={"code": _("请至少选择一张合格证")})
    if len(wanted) > MAX_LABELS:
        message = _("一次最多打印 %(n)s 张合格证的标签，请分批打印") % {"n": MAX_LABELS}
        raise ValidationFailed(message, fields={"code": message})
    malformed = [code for code in wanted if not codes.well_formed(code)]
    if malformed:
        message = _("合格证编码格式不正确：%(codes)s") % {"codes": "、".join(malformed[:10])}
        raise ValidationFailed(message, fields={"code": message})
    months = [codes.month_range(code) for code in wanted]
    found = {
        certificate.code: certificate
        for certificate in ComplianceCertificate.objects.restrict(user, "view")
        .filter(code__in=wanted, issued_at__gte=min(start for start, _end in months),
                issued_at__lt=max(end for _start, end in months))
        .select_related("issuer")
    }
    missing = [code for code in wanted if code not in found]
    if missing:
        raise NotFound(fields={"code": _("未找到：%(codes)s") % {"codes": "、".join(missing[:10])}})
    voided = [code for code in wanted if found[code].status == Status.VOIDED]
    if voided:
        raise Conflict(_("已作废的合格证不能打印标签：%(codes)s") % {"codes": "、".join(voided[:10])})
    return [found[code] for code in wanted]


def filename(codes: list[str], size_key: str, today: datetime.date) -> str:
    """An ASCII file name: the code for one label, the day and the count for many."""
    if len(codes) == 1:
        return f"hegezheng-{codes[0]}-{size_key}.pdf"
    return f"hegezheng-{today:%Y%m%d}-{len(codes)}-{size_key}.pdf"
