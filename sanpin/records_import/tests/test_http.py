"""The staff page, the API and the command, and who may download archive documents."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanpin.catalog.tests.factories import valid_uscc
from sanpin.certificates.models import Certificate
from sanpin.certificates.tests.factories import issue
from sanpin.records_import.models import ArchiveDocument

from .factories import PDF, archive_document, certificate_row, entity_row, workbook, zip_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows(bad=False):
    holder = valid_uscc("451031")
    certificates = [certificate_row("LSSZ-01-2405200007", holder, files="a.pdf"),
                    certificate_row("LSSZ-01-2405200008", holder, status="整改中")]
    if bad:
        certificates[1]["status"] = "不知道"
    return [entity_row(holder)], certificates


def upload(bad=False, files=None):
    entities, certificates = rows(bad)
    return {"workbook": SimpleUploadedFile("records.xlsx", workbook(entities, certificates), content_type=XLSX),
            "files": SimpleUploadedFile("files.zip", zip_of(files or {"a.pdf": PDF}), content_type="application/zip")}


@pytest.mark.django_db
def test_the_page_checks_then_imports(client, users, regions):
    # Given a national reviewer on the import page
    client.force_login(users["national"])
    assert client.get("/records-import/").status_code == 200
    # When a file with a bad row is checked
    response = client.post("/records-import/", {**upload(bad=True), "action": "check"})
    # Then the row is listed, and the refused rows download as a workbook
    assert response.status_code == 400
    page = response.content.decode()
    assert "状态无效" in page and "未导入任何数据" in page
    sheet = load_workbook(io.BytesIO(client.get("/records-import/refused.xlsx").content)).active
    assert [c.value for c in sheet[2]] == ["证书", 3, "状态", sheet[2][3].value] and "状态无效" in sheet[2][3].value
    # When the fixed file is imported
    response = client.post("/records-import/", {**upload(), "action": "import"})
    # Then everything is written
    assert response.status_code == 200 and "已导入" in response.content.decode()
    assert Certificate.objects.get(number="LSSZ-01-2405200008").status == "in_rectification"


@pytest.mark.django_db
def test_the_page_is_for_national_staff_only(client, users, regions):
    client.force_login(users["gx_province"])
    assert client.get("/records-import/").status_code == 403
    assert client.post("/records-import/", {**upload(), "action": "import"}).status_code == 403
    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_a_garbage_upload_is_one_clear_message_on_the_page(client, users, regions):
    client.force_login(users["national"])
    response = client.post("/records-import/", {"workbook": SimpleUploadedFile("x.xlsx", b"garbage"),
                                                "action": "check"})
    assert response.status_code == 400 and "文件不是有效的 Excel 文件" in response.content.decode()


@pytest.mark.django_db
def test_the_api_dry_run_then_import(api, users, regions):
    api.force_authenticate(users["admin"])
    # A dry run of a bad file answers the report without writing
    response = api.post("/api/v1/records-import/?dry_run=1", upload(bad=True), format="multipart")
    assert response.status_code == 200
    problem = response.json()["problems"][0]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("证书", 3, "状态")
    # A real run of the bad file is refused as a whole
    response = api.post("/api/v1/records-import/", upload(bad=True), format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "rows_refused"
    assert Certificate.objects.count() == 0
    # The fixed file imports
    response = api.post("/api/v1/records-import/", upload(), format="multipart")
    assert response.status_code == 200 and response.json()["imported"] is True
    assert response.json()["documents"] == 1


@pytest.mark.django_db
def test_the_api_refuses_garbage_and_other_roles(api, users, regions):
    api.force_authenticate(users["national"])
    response = api.post("/api/v1/records-import/?dry_run=1",
                        {"workbook": SimpleUploadedFile("x.xlsx", b"garbage")}, format="multipart")
    assert response.status_code == 400 and "workbook" in response.json()["fields"]
    api.force_authenticate(users["gx_province"])
    assert api.post("/api/v1/records-import/", upload(), format="multipart").status_code == 403


@pytest.mark.django_db
def test_archive_documents_are_downloadable_only_in_scope(client, api, users, gx_entity, sh_entity):
    # Given an archive document of a Guangxi licence
    document = archive_document(issue(gx_entity))
    url = f"/records-import/documents/{document.pk}/"
    # Then Guangxi staff and the holder's applicant download it
    for name in ("gx_province", "gx_applicant", "national"):
        client.force_login(users[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == PDF
    # And Shanghai staff or applicants do not see it; a role without certificates is refused
    for name, status in (("sh_province", 404), ("sh_applicant", 404), ("expert", 403)):
        client.force_login(users[name])
        assert client.get(url).status_code == status, name
        api.force_authenticate(users[name])
        assert api.get(f"/api/v1/records-import/documents/{document.pk}/").status_code == status, name


@pytest.mark.django_db
def test_the_command_imports_from_a_folder(tmp_path, users, regions):
    entities, certificates = rows()
    book = tmp_path / "records.xlsx"
    book.write_bytes(workbook(entities, certificates))
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(PDF)
    out = io.StringIO()
    call_command("import_records", str(book), "--files", str(folder), "--dry-run", stdout=out)
    assert "校验通过" in out.getvalue() and Certificate.objects.count() == 0
    call_command("import_records", str(book), "--files", str(folder), stdout=out)
    assert Certificate.objects.count() == 2 and ArchiveDocument.objects.count() == 1


@pytest.mark.django_db
def test_the_command_lists_bad_rows_and_writes_nothing(tmp_path, users, regions):
    entities, certificates = rows()
    book = tmp_path / "records.xlsx"
    book.write_bytes(workbook(entities, certificates))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(book), stderr=err)  # no folder: a.pdf is missing
    assert "证书 第 2 行" in err.getvalue() and "a.pdf" in err.getvalue()
    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_the_certificate_page_lists_its_archive_documents(client, users, gx_entity):
    certificate = issue(gx_entity)
    document = archive_document(certificate, name="原证书扫描件.pdf")
    client.force_login(users["gx_province"])
    page = client.get(f"/certificates/{certificate.number}/").content.decode()
    assert "原证书扫描件.pdf" in page and f"/records-import/documents/{document.pk}/" in page
