"""Test data for the GI registry: sheets as xlsx bytes, and registrations entered the only way
the system allows — through the import service."""

import datetime
import io

from openpyxl import Workbook

from sanpin.gi import services
from sanpin.gi.io import TEMPLATE_HEADERS
from sanpin.gi.models import GIRegistration


def sheet_row(number="AGI01234", holder_uscc="", counties="451031", product_name="隆林黑山羊",
              registered_on=datetime.date(2015, 6, 1), quality="肉质细嫩，膻味轻", specification="放牧为主") -> list:
    return [number, product_name, registered_on, holder_uscc, counties, quality, specification]


def xlsx(rows, headers=TEMPLATE_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register(actor, holder, number="AGI01234", counties="451031", **kwargs) -> GIRegistration:
    """One registration of `holder` imported by `actor` (staff whose scope covers the holder)."""
    result = services.gi_registration_import(
        actor=actor, file=xlsx([sheet_row(number=number, holder_uscc=holder.uscc, counties=counties, **kwargs)]),
        dry_run=False, file_name="test.xlsx",
    )
    assert result.ok, result.error_lines()
    return GIRegistration.objects.get(number=number)
