"""Importing bases from the Excel template: every bad cell is named by row and column, a file
with any bad row writes nothing, a clean file writes every base with its history and one audit
event; the template carries its validation hints; the page, the job and the API give the same
answers."""

import io
import os

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
from sanpin.bases import services
from sanpin.bases.imports import ImportProblem, bases_import
from sanpin.bases.io import COLUMNS, MAX_FILE_BYTES
from sanpin.bases.models import Base, BaseStatusChange
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent, BackgroundJob

pytestmark = pytest.mark.django_db

HEADERS = list(COLUMNS)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(users, regions):
    xn = AgencyFactory(name="南宁市兴宁区农业农村局", level=AgencyLevel.COUNTY, region=regions["450102"])
    return {**users, "xn_county": UserFactory(username="xn_county", roles=[Role.LOCAL_STAFF], agency=xn)}


@pytest.fixture
def operators(regions, gx_entity):
    """Three registered operators in Nanning."""
    return [gx_entity, EntityFactory(region=regions["450102"]), EntityFactory(region=regions["450103"])]


def row(i: int, operators, **changes) -> dict:
    """A valid row (header → cell) for base number i; the county code as a number, the way Excel
    stores a typed-in code, so the float normalisation is always exercised."""
    values = {
        "基地名称": f"沙田柚基地{i:05d}", "基地类型": "绿色食品原料标准化生产基地", "基地级别": "区（县）级",
        "运营主体统一社会信用代码": operators[i % len(operators)].uscc, "县级区划代码": 450102 if i % 2 else 450103,
        "产品": "沙田柚", "品种": "沙田柚", "面积（亩）": 1200.5, "年产量（吨）": 800, "地点": "兴宁区五塘镇",
        "经度": 108.37, "纬度": 22.91, "种养范围": "五塘镇 3 个行政村", "技术措施": "绿色防控", "责任人": "黄建国",
    }
    values.update(changes)
    return values


def workbook(rows: list[dict], headers=None, sheet="基地") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    headers = headers or HEADERS
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_file(n: int, operators, **bad_rows) -> bytes:
    """n valid rows; `bad_rows={"row_501": {...}}` changes the row at that Excel row number."""
    rows = [row(i, operators) for i in range(1, n + 1)]
    for key, changes in bad_rows.items():
        rows[int(key.removeprefix("row_")) - 2].update(changes)
    return workbook(rows)


# --- all or nothing ---------------------------------------------------------------------------

def test_one_bad_row_among_1000_writes_nothing_and_names_the_row_and_column(people, operators):
    data = rows_file(1000, operators, row_501={"面积（亩）": "五千"})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=False)

    assert result.problems == [ImportProblem(501, "面积（亩）", "应为数字")]
    assert (result.total, result.imported) == (1000, 0)
    assert not Base.objects.exists()
    assert not BaseStatusChange.objects.exists()
    assert not AuditEvent.objects.filter(verb="base.import").exists()


def test_the_same_file_fixed_imports_all_1000_with_history_and_one_audit_event(people, operators):
    data = rows_file(1000, operators)

    result = bases_import(actor=people["gx_province"], data=data, dry_run=False)

    assert result.ok and (result.total, result.imported) == (1000, 1000)
    assert Base.objects.count() == 1000
    assert set(Base.objects.values_list("status", flat=True)) == {"building"}
    assert BaseStatusChange.objects.filter(reason="导入基地信息", to_status="building").count() == 1000
    base = Base.objects.get(name="沙田柚基地00007")
    assert (base.county_id, str(base.area_mu), str(base.output_tons)) == ("450102", "1200.50", "800.00")
    assert (base.base_type, base.level, base.operator_id) == ("GF", "district", operators[7 % 3].pk)
    event = AuditEvent.objects.get(verb="base.import")
    assert event.new["count"] == 1000 and len(event.new["sha256"]) == 64


def test_a_dry_run_checks_everything_and_writes_nothing(people, operators):
    result = bases_import(actor=people["gx_province"], data=rows_file(20, operators), dry_run=True)

    assert result.ok and result.dry_run and (result.total, result.imported) == (20, 0)
    assert not Base.objects.exists()
    assert not AuditEvent.objects.filter(verb="base.import").exists()


def test_every_bad_cell_is_listed_not_only_the_first(people, operators):
    data = rows_file(10, operators, row_3={"面积（亩）": "很大", "年产量（吨）": "很多", "基地类型": "果园"},
                     row_8={"地点": ""})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column) for p in result.problems] == [
        (3, "基地类型"), (3, "面积（亩）"), (3, "年产量（吨）"), (8, "地点")]
    assert "绿色食品原料标准化生产基地" in result.problems[0].reason  # names the allowed values
    assert result.problems[3].reason == "必填"


# --- bad input --------------------------------------------------------------------------------

def test_a_different_workbook_is_refused_as_not_the_template(people):
    data = workbook([{"名称": "某公司"}], headers=["名称", "统一社会信用代码", "主体类型"], sheet="主体")

    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert "不是基地导入模板" in exc.value.message and "基地名称" in exc.value.message


def test_missing_columns_are_named(people, operators):
    headers = [h for h in HEADERS if h not in ("面积（亩）", "县级区划代码")]
    data = workbook([row(1, operators)], headers=headers)

    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert "缺少列：县级区划代码、面积（亩）" in exc.value.message


def test_headers_may_come_in_another_order(people, operators):
    data = workbook([row(1, operators)], headers=list(reversed(HEADERS)))

    result = bases_import(actor=people["gx_province"], data=data, dry_run=False)

    assert result.imported == 1 and Base.objects.get().name == "沙田柚基地00001"


def test_text_in_numeric_cells(people, operators):
    data = rows_file(3, operators, row_2={"面积（亩）": "三百亩", "经度": "东经108度"})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "面积（亩）", "应为数字"), (2, "经度", "应为数字")]


def test_unknown_county_and_unknown_entity(people, operators):
    data = rows_file(3, operators, row_3={"县级区划代码": 459999, "运营主体统一社会信用代码": "91450102MA5L000000"})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column) for p in result.problems] == [(3, "运营主体统一社会信用代码"), (3, "县级区划代码")]
    assert "尚未登记" in result.problems[0].reason
    assert "459999" in result.problems[1].reason


def test_a_uscc_typed_as_a_number_is_refused_rather_than_rounded(people, operators):
    data = rows_file(2, operators, row_2={"运营主体统一社会信用代码": 914501020000000000})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column) for p in result.problems] == [(2, "运营主体统一社会信用代码")]
    assert "文本" in result.problems[0].reason


def test_duplicate_base_in_the_file_names_the_first_row(people, operators):
    data = rows_file(6, operators, row_6={"基地名称": "沙田柚基地00002", "县级区划代码": 450103})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=False)

    assert [(p.row, p.column) for p in result.problems] == [(6, "基地名称")]
    assert "与第 3 行重复" in result.problems[0].reason
    assert not Base.objects.exists()


def test_duplicate_of_a_base_already_in_the_system(people, operators, regions):
    services.base_create(actor=people["gx_province"], name="沙田柚基地00001", base_type="GF", level="district",
                         operator=operators[0], county=regions["450102"], products="沙田柚", area_mu="10",
                         output_tons="1", location="五塘镇")

    result = bases_import(actor=people["gx_province"], data=rows_file(3, operators), dry_run=False)

    assert [(p.row, p.column) for p in result.problems] == [(2, "基地名称")]
    assert "已有名为“沙田柚基地00001”的基地" in result.problems[0].reason
    assert Base.objects.count() == 1


def test_area_and_output_out_of_range(people, operators):
    data = rows_file(4, operators, row_2={"面积（亩）": 0}, row_3={"年产量（吨）": 20_000_000},
                     row_4={"面积（亩）": -5, "年产量（吨）": -1})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "面积（亩）", "面积应大于 0"),
        (3, "年产量（吨）", "超出合理范围（不超过 10,000,000 吨），请检查单位"),
        (4, "面积（亩）", "面积应大于 0"),
        (4, "年产量（吨）", "年产量不能为负数"),
    ]


def test_30_mb_of_garbage_is_one_clear_message_and_nothing_written(people):
    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=os.urandom(30 * 1024 * 1024), dry_run=False)

    assert exc.value.message == "无法读取该文件，请上传由模板填写的 .xlsx 格式 Excel 文件"
    assert not Base.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_reading(people):
    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=b"PK" + b"\0" * MAX_FILE_BYTES, dry_run=True)

    assert "超过 40 MB" in exc.value.message


def test_an_empty_sheet_is_refused(people):
    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=workbook([]), dry_run=True)

    assert "没有数据行" in exc.value.message


def test_county_staff_cannot_import_bases_of_another_county(people, operators):
    data = workbook([row(1, operators), row(2, operators)])  # 450102, then 450103

    result = bases_import(actor=people["xn_county"], data=data, dry_run=False)

    assert [(p.row, p.column) for p in result.problems] == [(3, "县级区划代码")]
    assert "不在本账号管辖范围内" in result.problems[0].reason
    assert not Base.objects.exists()


def test_county_staff_import_their_own_county(people, operators):
    data = workbook([row(1, operators), row(3, operators)])

    assert bases_import(actor=people["xn_county"], data=data, dry_run=False).imported == 2


@pytest.mark.parametrize("who", ["gx_applicant", "inspector", "expert"])
def test_only_agency_staff_may_import(people, operators, who):
    with pytest.raises(PermissionDenied):
        bases_import(actor=people[who], data=rows_file(1, operators), dry_run=True)


# --- the template -----------------------------------------------------------------------------

def test_the_template_has_the_headers_hints_dropdowns_and_rules(client, people):
    client.force_login(people["xn_county"])

    response = client.get("/bases/import/template/")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["基地", "填写说明"]
    ws = book["基地"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A1"].comment.text.startswith("*") and not ws["G1"].comment.text.startswith("*")  # 品种 optional
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["B2"].type == "list" and "有机农产品基地" in lists["B2"].formula1
    assert lists["C2"].type == "list" and "国家级" in lists["C2"].formula1
    assert lists["H2"].type == "decimal" and lists["H2"].error
    rules = [c.value for c in book["填写说明"]["A"] if c.value]
    assert "面积（亩）" in rules


def test_the_filled_in_template_imports(people, operators, client):
    client.force_login(people["gx_province"])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/bases/import/template/").content))
    book["基地"].append([row(1, operators)[h] for h in HEADERS])
    out = io.BytesIO()
    book.save(out)

    assert bases_import(actor=people["gx_province"], data=out.getvalue(), dry_run=False).imported == 1


def test_only_agency_staff_open_the_import_page(client, people):
    client.force_login(people["gx_applicant"])
    assert client.get("/bases/import/").status_code == 403
    assert client.get("/bases/import/template/").status_code == 403
    client.force_login(people["xn_county"])
    page = client.get("/bases/import/")
    assert page.status_code == 200
    assert "仅校验（试运行）" in page.content.decode() and "/bases/import/template/" in page.content.decode()


# --- the page and its job ---------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name="bases.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_uploading_runs_the_import_as_a_job_and_shows_the_result(client, people, operators):
    client.force_login(people["gx_province"])

    response = client.post("/bases/import/", {"file": upload(rows_file(30, operators))})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/core/jobs/{job.pk}/"
    assert (job.status, job.kind, job.owner, job.total, job.done) == ("done", "bases.import", people["gx_province"],
                                                                       30, 30)
    assert Base.objects.count() == 30
    page = client.get(response["Location"]).content.decode()
    assert "已导入 30 个基地" in page


def test_a_dry_run_upload_lists_the_refused_rows_and_offers_them_for_download(client, people, operators):
    client.force_login(people["gx_province"])
    data = rows_file(12, operators, row_5={"年产量（吨）": "很多"}, row_9={"县级区划代码": 459999})

    response = client.post("/bases/import/", {"file": upload(data), "dry_run": "on"})

    job = BackgroundJob.objects.get()
    assert job.params == {"dry_run": True} and job.result["problem_count"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "有 2 行未通过校验，未导入任何数据" in page
    assert "年产量（吨）" in page and "459999" in page
    refused = client.get(f"/core/jobs/{job.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(refused.streaming_content))).active
    lines = list(sheet.values)
    assert lines[0][:4] == ("行号", "列", "原因", "基地名称")
    assert [(line[0], line[1], line[3]) for line in lines[1:]] == [
        (5, "年产量（吨）", "沙田柚基地00004"), (9, "县级区划代码", "沙田柚基地00008")]
    assert not Base.objects.exists()


def test_an_unreadable_upload_fails_the_job_with_one_message(client, people):
    client.force_login(people["gx_province"])

    response = client.post("/bases/import/", {"file": upload(os.urandom(4096))})

    job = BackgroundJob.objects.get()
    assert job.status == "failed" and job.error.startswith("无法读取该文件")
    assert job.error in client.get(response["Location"]).content.decode()


# --- the API ----------------------------------------------------------------------------------

def test_api_import_answers_200_with_the_counts(api, people, operators):
    api.force_authenticate(people["gx_province"])

    response = api.post("/api/v1/bases/import/", {"file": upload(rows_file(5, operators))}, format="multipart")

    assert response.status_code == 200
    assert response.json() == {"dry_run": False, "total": 5, "imported": 5, "problems": []}
    assert Base.objects.count() == 5


def test_api_dry_run_writes_nothing(api, people, operators):
    api.force_authenticate(people["gx_province"])

    response = api.post("/api/v1/bases/import/?dry_run=1", {"file": upload(rows_file(5, operators))},
                        format="multipart")

    assert response.status_code == 200 and response.json()["dry_run"] is True
    assert response.json()["imported"] == 0 and not Base.objects.exists()


@pytest.mark.parametrize("dry_run", ["0", "1"])
def test_api_answers_400_listing_every_problem(api, people, operators, dry_run):
    api.force_authenticate(people["gx_province"])
    data = rows_file(5, operators, row_2={"面积（亩）": "x"}, row_6={"运营主体统一社会信用代码": ""})

    response = api.post(f"/api/v1/bases/import/?dry_run={dry_run}", {"file": upload(data)}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rows_refused" and "未导入任何数据" in body["message"] and body["fields"]["file"]
    assert body["problems"] == [{"row": 2, "column": "面积（亩）", "reason": "应为数字"},
                                {"row": 6, "column": "运营主体统一社会信用代码", "reason": "必填"}]
    assert not Base.objects.exists()


def test_api_unreadable_file_and_roles(api, people):
    api.force_authenticate(people["gx_province"])
    response = api.post("/api/v1/bases/import/", {"file": upload(b"not a workbook")}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert response.json()["fields"] == {"file": ["文件不是有效的 Excel 文件"]}

    api.force_authenticate(people["gx_applicant"])
    response = api.post("/api/v1/bases/import/", {"file": upload(b"x")}, format="multipart")
    assert response.status_code == 403

    api.force_authenticate(None)
    assert api.post("/api/v1/bases/import/", {"file": upload(b"x")}, format="multipart").status_code == 401


def test_after_a_clean_dry_run_the_same_file_is_imported_without_uploading_it_again(client, people, operators):
    client.force_login(people["gx_province"])
    client.post("/bases/import/", {"file": upload(rows_file(8, operators)), "dry_run": "on"})
    checked = BackgroundJob.objects.get()
    page = client.get(f"/core/jobs/{checked.pk}/").content.decode()
    assert "校验通过：8 行均可导入" in page and f"/bases/import/{checked.pk}/run/" in page
    assert not Base.objects.exists()

    response = client.post(f"/bases/import/{checked.pk}/run/")

    job = BackgroundJob.objects.latest("pk")
    assert response["Location"] == f"/core/jobs/{job.pk}/" and job.result["imported"] == 8
    assert Base.objects.count() == 8
    assert client.post(f"/bases/import/{job.pk}/run/").status_code == 409  # a real run cannot be run again
    client.force_login(people["sh_province"])
    assert client.post(f"/bases/import/{checked.pk}/run/").status_code == 404  # not theirs


def test_a_county_code_with_decimals_is_refused(people, operators):
    data = rows_file(2, operators, row_2={"县级区划代码": 450102.5})

    result = bases_import(actor=people["gx_province"], data=data, dry_run=True)

    assert [(p.row, p.column, p.reason) for p in result.problems] == [(2, "县级区划代码", "应为 6 位区划代码")]


def test_too_many_rows_are_refused_as_a_whole(people, operators, monkeypatch):
    from sanpin.bases import io as bases_io

    monkeypatch.setattr(bases_io, "MAX_ROWS", 5)

    with pytest.raises(ValidationFailed) as exc:
        bases_import(actor=people["gx_province"], data=rows_file(6, operators), dry_run=True)

    assert "一次最多导入 5 行" in exc.value.message
