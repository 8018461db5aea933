"""Import of existing records: all rows checked first, then everything or nothing."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.catalog.models import Entity
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.certificates import selectors
from sanpin.certificates.models import Certificate
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.records_import.io import FileSource, parse_date
from sanpin.records_import.models import ArchiveDocument
from sanpin.records_import.services import records_import

from .factories import PDF, PNG, certificate_row, entity_row, workbook, zip_of

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("sanpin.core.clock.today", lambda: TODAY)
    return TODAY


def good_rows():
    """Two new entities in Guangxi and four certificates of several schemes and statuses."""
    a, b = valid_uscc("451031"), valid_uscc("450102")
    entities = [entity_row(a), entity_row(b, name="南宁青禾合作社", region="450102", kind="农民专业合作社")]
    certificates = [
        certificate_row("LSSZ-01-2405200007", a, files="证书0007.pdf;现场照片.png"),
        certificate_row("LSSZ-01-2406200003", a, approved_on="2024-06-01", valid_from="2024-06-01",
                        valid_until="2027-05-31", status="暂停使用"),
        certificate_row("LB-15-24052000331A", b, scheme="绿色食品", category="15"),
        certificate_row("GXOR-2024-0001", b, scheme="有机农产品", category="07", status="已取消"),
    ]
    return entities, certificates


def good_files():
    return FileSource.from_zip(zip_of({"scans/证书0007.pdf": PDF, "现场照片.png": PNG}))


@pytest.mark.django_db
def test_a_clean_file_imports_everything_and_keeps_numbers(users, regions, today):
    # Given a workbook with entities and certificates of several schemes, and their scans
    entities, certificates = good_rows()
    # When national staff import it
    report = records_import(actor=users["national"], workbook=workbook(entities, certificates), files=good_files(),
                            dry_run=False)
    # Then everything is written, with the imported numbers and statuses
    assert report.problems == [] and report.imported
    assert (report.entities, report.certificates, report.documents) == (2, 4, 2)
    assert Entity.objects.filter(uscc__in=[e["uscc"] for e in entities]).count() == 2
    suspended = Certificate.objects.get(number="LSSZ-01-2406200003")
    assert suspended.status == "suspended"
    assert Certificate.objects.get(number="GXOR-2024-0001").status == "revoked"
    first = Certificate.objects.get(number="LSSZ-01-2405200007")
    assert sorted(d.original_name for d in first.archive_documents.all()) == ["现场照片.png", "证书0007.pdf"]
    pdf = first.archive_documents.get(original_name="证书0007.pdf")
    assert pdf.content_type == "application/pdf" and pdf.size == len(PDF) and pdf.file.read() == PDF


@pytest.mark.django_db
def test_imported_certificates_verify_publicly(users, regions, today):
    # Given an imported workbook
    entities, certificates = good_rows()
    records_import(actor=users["national"], workbook=workbook(entities, certificates), files=good_files(),
                   dry_run=False)
    # When the public types the imported numbers
    valid = selectors.verify("LB-15-24052000331A", today)
    suspended = selectors.verify("LSSZ-01-2406200003", today)
    # Then they are found under their own numbers, with their status
    assert valid.certificate is not None and valid.certificate.number == "LB-15-24052000331A"
    assert valid.certificate.effective_status(today) == "valid"
    assert suspended.certificate.effective_status(today) == "suspended"


@pytest.mark.django_db
def test_the_next_allocated_serial_continues_after_the_highest_imported(users, regions, today):
    # Given Guangxi green-input numbers of 2024 imported up to serial 0007
    entities, certificates = good_rows()
    records_import(actor=users["national"], workbook=workbook(entities, certificates), files=good_files(),
                   dry_run=False)
    holder = Entity.objects.get(uscc=entities[0]["uscc"])
    # When the system issues the next 2024 Guangxi licence
    issued = issue(holder, approved_on=datetime.date(2024, 9, 2))
    # Then its serial follows the highest imported one
    assert issued.number == "LSSZ-01-2409200008"


@pytest.mark.django_db
def test_one_bad_row_among_many_writes_nothing_and_names_the_row(users, regions, today):
    # Given a workbook whose fourth certificate row (sheet row 5) ends before it starts
    entities, certificates = good_rows()
    certificates[3]["valid_from"] = "2028-01-01"
    before = (Entity.objects.count(), Certificate.objects.count())
    # When it is imported for real
    report = records_import(actor=users["national"], workbook=workbook(entities, certificates), files=good_files(),
                            dry_run=False)
    # Then nothing is written and the row and column are named
    assert not report.imported
    assert [(p.sheet, p.row_no, p.column) for p in report.problems] == [("证书", 5, "有效期至")]
    assert (Entity.objects.count(), Certificate.objects.count()) == before
    assert ArchiveDocument.objects.count() == 0


@pytest.mark.django_db
def test_a_dry_run_reports_but_writes_nothing(users, regions, today):
    entities, certificates = good_rows()
    report = records_import(actor=users["admin"], workbook=workbook(entities, certificates), files=good_files(),
                            dry_run=True)
    assert report.ok and not report.imported and report.certificates == 4
    assert Certificate.objects.count() == 0 and Entity.objects.filter(uscc=entities[0]["uscc"]).count() == 0


@pytest.mark.django_db
def test_every_kind_of_bad_row_is_listed(users, regions, gx_entity, today):
    # Given an existing licence and a workbook with many different mistakes
    existing = issue(gx_entity)
    a = valid_uscc("451031")
    entities = [
        entity_row(a),
        entity_row(a, name="重复"),  # row 3: same code again
        entity_row(valid_uscc("450100"), region="450100"),  # row 4: a prefecture, not a county
        entity_row("91450000MA5XXXXXX1"),  # row 5: bad check character
        {**entity_row(valid_uscc("450103"), region="450103"), "contact_phone": "12"},  # row 6: refused by the service
    ]
    certificates = [
        certificate_row(existing.number, gx_entity.uscc),  # row 2: number already in use
        certificate_row("LSSZ-1-240520007", a),  # row 3: green-input number badly formed
        certificate_row("LB-15-2405200033", a, scheme="绿色食品", category="15"),  # row 4: green-food format
        certificate_row("X-1", valid_uscc("310101"), scheme="有机农产品"),  # row 5: unknown holder
        certificate_row("X-2", a, scheme="有机农产品", status="作废", approved_on="2024-02-30"),  # row 6
        certificate_row("X-2", a, scheme="有机农产品", files="缺失.pdf;假的.pdf"),  # row 7
        certificate_row("LSSZ-02-2405200009", a),  # row 8: category differs from the number
    ]
    files = FileSource.from_zip(zip_of({"假的.pdf": b"just text"}))
    # When checked
    report = records_import(actor=users["national"], workbook=workbook(entities, certificates), files=files,
                            dry_run=True)
    # Then each bad cell is listed with its sheet, row and column
    found = {(p.sheet, p.row_no, p.column) for p in report.problems}
    assert {("主体", 3, "统一社会信用代码"), ("主体", 4, "县级区划代码"), ("主体", 5, "统一社会信用代码"),
            ("主体", 6, "联系电话")} <= found
    assert {("证书", 2, "证书编号/产品编号"), ("证书", 3, "证书编号/产品编号"), ("证书", 4, "证书编号/产品编号"),
            ("证书", 5, "证书持有人统一社会信用代码"), ("证书", 6, "状态"), ("证书", 6, "核准日期"),
            ("证书", 7, "证书编号/产品编号"), ("证书", 7, "档案文件名（多个以分号分隔）"),
            ("证书", 8, "证书编号/产品编号")} <= found
    reasons = " ".join(p.reason for p in report.problems if p.row_no == 7 and p.sheet == "证书")
    assert "缺失.pdf" in reasons and "假的.pdf" in reasons and "第 6 行重复" in reasons
    assert ("主体", 2, "统一社会信用代码") not in found


@pytest.mark.django_db
def test_only_national_staff_or_the_system_may_import(users, regions):
    with pytest.raises(PermissionDenied):
        records_import(actor=users["gx_province"], workbook=workbook(), dry_run=True)


@pytest.mark.django_db
def test_a_garbage_workbook_is_one_clear_message(users, regions):
    with pytest.raises(ValidationFailed) as caught:
        records_import(actor=users["national"], workbook=b"not a spreadsheet", dry_run=True)
    assert caught.value.fields == {"workbook": ["文件不是有效的 Excel 文件"]}


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
@settings(max_examples=50)
def test_dates_read_in_the_usual_written_forms(day):
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"):
        assert parse_date(text) == day
