"""The credit report a bank reads with the entity's consent ("信用+金融"): who the entity is, its
valid certificates by scheme, its score and grade under the rulebook in force, and the events of
the last three years with the points each counts for today. The same content feeds the page, the
PDF (WeasyPrint with the embedded Noto CJK font, as certificates are rendered) and the API."""

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from sanpin.certificates.choices import Scheme, Status
from sanpin.certificates.models import Certificate

from . import rulebook as rulebooks
from . import scoring
from .choices import CreditKind, Grade

EVENT_YEARS = 3


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def valid_certificates(entity, on: datetime.date):
    """The entity's certificates in force on `on` (status valid, inside their validity)."""
    return (Certificate.objects.filter(holder=entity, status=Status.VALID, valid_from__lte=on, valid_until__gte=on)
            .order_by("scheme", "number"))


def build(consent, on: datetime.date) -> dict:
    """The report of `consent.entity` on `on` for `consent.bank`."""
    entity = consent.entity
    rulebook = rulebooks.in_force(on)
    result = scoring.score(entity, on=on, rulebook=rulebook)
    since = years_before(on, EVENT_YEARS)
    points = {event.pk: p for event, p in result.contributions}
    events = sorted((event for event, _p in result.contributions if event.occurred_on >= since),
                    key=lambda e: (e.occurred_on, e.pk), reverse=True)
    schemes = {}
    for certificate in valid_certificates(entity, on):
        schemes.setdefault(certificate.scheme, []).append(certificate)
    return {
        "entity": entity,
        "bank": consent.bank,
        "consent": consent,
        "on": on,
        "score": result.score,
        "grade": result.grade,
        "grade_label": str(Grade(result.grade).label),
        "rulebook": rulebook,
        "since": since,
        "events": [{"event": e, "kind_label": str(CreditKind(e.kind).label), "points": points[e.pk],
                    "weight": (rulebook.weights or {}).get(e.kind)} for e in events],
        "certificates": [{"scheme": scheme, "scheme_label": str(Scheme(scheme).label), "items": items}
                         for scheme, items in schemes.items()],
    }


def as_json(report: dict) -> dict:
    """The report as the API answers it."""
    entity, consent = report["entity"], report["consent"]
    return {
        "entity": {"id": entity.pk, "name": entity.name, "uscc": entity.uscc,
                   "region": entity.region_id or "", "region_name": _region_name(entity)},
        "bank": {"id": report["bank"].pk, "name": report["bank"].name},
        "on": report["on"],
        "consent": {"id": consent.pk, "purpose": consent.purpose, "granted_on": consent.granted_at.date(),
                    "valid_until": consent.valid_until},
        "score": report["score"], "grade": report["grade"], "grade_label": report["grade_label"],
        "rulebook_version": report["rulebook"].version,
        "certificates": [{"scheme": c.scheme, "scheme_label": group["scheme_label"], "number": c.number,
                          "product_name": c.product_name, "valid_from": c.valid_from, "valid_until": c.valid_until}
                         for group in report["certificates"] for c in group["items"]],
        "events_since": report["since"],
        "events": [{"kind": row["event"].kind, "kind_label": row["kind_label"],
                    "occurred_on": row["event"].occurred_on, "summary": row["event"].summary,
                    "points": row["points"]} for row in report["events"]],
    }


def _region_name(entity) -> str:
    region = entity.region
    return (region.full_name or region.name) if region else ""


def pdf(report: dict) -> bytes:
    """The report as an A4 PDF with the CJK font embedded (the font certificates use)."""
    from weasyprint import HTML

    from sanpin.certificates.pdf import FONT_FAMILY, font_file

    font = font_file()
    html = render_to_string("credit/report_pdf.html", {
        **report, "font_family": FONT_FAMILY, "font_url": Path(font).as_uri() if font else "",
        "region_name": _region_name(report["entity"]),
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
