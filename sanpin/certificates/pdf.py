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

from . import signing
from .choices import DOCUMENT_TITLES, ISSUERS, category_label

FONT_FAMILY = "Noto Serif CJK SC"
FALLBACK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


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
    return {
        "c": certificate,
        "title": DOCUMENT_TITLES.get(certificate.scheme, _("证书")),
        "category_label": category_label(certificate.scheme, certificate.category),
        "issuer": ISSUERS.get(certificate.scheme, ""),
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
