"""The 使用证 as PDF, rendered by WeasyPrint from templates/certificates/licence_pdf.html with the
Noto CJK font installed by Debian's fonts-noto-cjk (embedded in the PDF, so it prints the same
anywhere) and the signed QR code as SVG."""

import datetime
import functools
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import signing
from .choices import GreenInputCategory, Scheme

FONT_FAMILY = "Noto Serif CJK SC"
FALLBACK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
TITLES = {Scheme.GREEN_INPUTS: gettext_lazy("绿色食品生产资料标志使用证")}


@functools.cache
def font_file() -> str:
    """The font file fontconfig resolves for the CJK family, or a known Debian path."""
    if shutil.which("fc-match"):
        found = subprocess.run(  # noqa: S603 - fixed arguments
            ["fc-match", "-f", "%{file}", FONT_FAMILY], capture_output=True, text=True, check=False, timeout=10  # noqa: S607
        ).stdout.strip()
        if found and "CJK" in found and Path(found).exists():
            return found
    return next((path for path in FALLBACK_FONT_FILES if Path(path).exists()), "")


def licence_context(certificate, today: datetime.date) -> dict:
    category = (GreenInputCategory(certificate.category).label
                if certificate.category in GreenInputCategory.values else certificate.category)
    return {
        "c": certificate,
        "title": TITLES.get(certificate.scheme, _("证书")),
        "category_label": category,
        "issuer": _("中国绿色食品协会"),
        "qr_svg": signing.qr_svg(certificate.number, scale=3),
        "verify_url": signing.signed_url(certificate.number),
        "font_url": Path(font_file()).as_uri() if font_file() else "",
        "font_family": FONT_FAMILY,
        "today": today,
        "status": certificate.effective_status(today),
        "status_label": certificate.effective_status_label(today),
    }


def licence_pdf(certificate, today: datetime.date) -> bytes:
    from weasyprint import HTML

    html = render_to_string("certificates/licence_pdf.html", licence_context(certificate, today))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
