"""Import workbooks and zips built in memory, and archive documents as an import stores them."""

import hashlib
import io
import zipfile

from django.core.files.base import ContentFile
from openpyxl import Workbook

from sanpin.accounts.models import system_user
from sanpin.records_import.io import CERTIFICATE_COLUMNS, CERTIFICATE_SHEET, ENTITY_COLUMNS, ENTITY_SHEET
from sanpin.records_import.models import ArchiveDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def entity_row(uscc, *, name="隆林绿源农业有限公司", region="451031", kind="企业"):
    return {"name": name, "uscc": uscc, "kind": kind, "region": region, "address": "隆林县新州镇 1 号",
            "legal_representative": "王五", "contact_name": "赵六", "contact_phone": "13800138000"}


def certificate_row(number, holder, *, scheme="绿色食品生产资料", category="01", approved_on="2024-05-06",
                    valid_from="2024-05-06", valid_until="2027-05-05", status="有效", files=""):
    return {"scheme": scheme, "number": number, "holder": holder, "product_name": "生物有机肥", "category": category,
            "trademark": "绿源", "approved_output": 5000, "output_unit": "吨", "approved_on": approved_on,
            "valid_from": valid_from, "valid_until": valid_until, "status": status, "files": files}


def workbook(entities=(), certificates=()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet, columns, rows in ((ENTITY_SHEET, ENTITY_COLUMNS, entities),
                                 (CERTIFICATE_SHEET, CERTIFICATE_COLUMNS, certificates)):
        ws = book.create_sheet(sheet)
        ws.append(list(columns))
        for row in rows:
            ws.append([row.get(key, "") for key in columns.values()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def archive_document(certificate, *, name="档案.pdf", content=PDF) -> ArchiveDocument:
    document = ArchiveDocument(certificate=certificate, original_name=name, sha256=hashlib.sha256(content).hexdigest(),
                               content_type="application/pdf", size=len(content), imported_by=system_user())
    document.file.save(name, ContentFile(content), save=True)
    return document
