"""Exporting a filtered list of bases: the file holds exactly the rows the list's filters and
the user's scope give, in the template's columns plus the directory columns, through the page
(as a job) and the API (directly)."""

import io

import openpyxl
import pytest

from sanpin.bases import services
from sanpin.bases.imports import bases_import
from sanpin.bases.io import COLUMNS
from sanpin.bases.models import Base
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.models import BackgroundJob

pytestmark = pytest.mark.django_db

EXTRA = ["目录状态", "目录编号", "纳入目录日期", "运营主体名称", "县名称"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bases(users, regions, gx_entity, sh_entity):
    """Six bases: organic and green-food ones in two Nanning districts, Baise and Shanghai."""
    bs_entity = EntityFactory(region=regions["451031"])
    made = {}
    for name, base_type, county, entity in (
        ("兴宁沙田柚基地", "GF", "450102", gx_entity), ("兴宁有机茶园", "OR", "450102", gx_entity),
        ("青秀香蕉基地", "GF", "450103", gx_entity), ("隆林茶叶基地", "GF", "451031", bs_entity),
        ("黄浦蔬菜基地", "GF", "310101", sh_entity), ("徐汇有机米基地", "OR", "310104", sh_entity),
    ):
        made[name] = services.base_create(
            actor=users["admin"], name=name, base_type=base_type, level="district", operator=entity,
            county=regions[county], products="农产品", area_mu="100.5", output_tons="20", location="某镇")
    return made


def read(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.values)


def export_through_the_page(client, user, query: str) -> list[tuple]:
    client.force_login(user)
    response = client.post(f"/bases/export/?{query}")
    job = BackgroundJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/core/jobs/{job.pk}/"
    assert job.status == "done" and job.kind == "bases.export"
    download = client.get(f"/core/jobs/{job.pk}/download/")
    return read(b"".join(download.streaming_content))


def test_the_export_holds_exactly_the_filtered_rows(client, users, bases):
    lines = export_through_the_page(client, users["national"], "base_type=GF&region=450100")

    assert list(lines[0]) == [*COLUMNS, *EXTRA]
    assert sorted(line[0] for line in lines[1:]) == ["兴宁沙田柚基地", "青秀香蕉基地"]


def test_the_export_is_limited_to_the_users_region(client, users, bases):
    lines = export_through_the_page(client, users["bs_city"], "")

    assert [line[0] for line in lines[1:]] == ["隆林茶叶基地"]


def test_the_export_cells_are_the_templates_values_and_the_directory_columns(client, users, bases, gx_entity):
    lines = export_through_the_page(client, users["national"], "q=沙田柚")

    header, line = lines[0], dict(zip(lines[0], lines[1], strict=True))
    assert len(lines) == 2 and header[-5:] == tuple(EXTRA)
    assert line["基地类型"] == "绿色食品原料标准化生产基地" and line["基地级别"] == "区（县）级"
    assert line["运营主体统一社会信用代码"] == gx_entity.uscc and line["县级区划代码"] == "450102"
    assert line["面积（亩）"] == 100.5 and line["目录状态"] == "按标建设"
    assert line["运营主体名称"] == "广西绿源农业有限公司" and line["县名称"] == "兴宁区"


def test_an_exported_file_reads_back_through_the_import(client, users, bases):
    """Same columns as the template: re-importing the export finds every base already there."""
    client.force_login(users["gx_province"])
    response = client.get("/api/v1/bases/export/?region=450100")

    result = bases_import(actor=users["gx_province"], data=response.content, dry_run=True)

    assert result.total == 3
    assert {p.column for p in result.problems} == {"基地名称"}
    assert all("已有名为" in p.reason for p in result.problems)


def test_api_export_returns_the_filtered_xlsx(api, users, bases):
    api.force_authenticate(users["sh_province"])

    response = api.get("/api/v1/bases/export/?base_type=OR")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [line[0] for line in read(response.content)[1:]] == ["徐汇有机米基地"]


def test_an_invalid_filter_exports_no_rows_rather_than_all(api, users, bases):
    api.force_authenticate(users["national"])

    response = api.get("/api/v1/bases/export/?base_type=XX")

    assert read(response.content)[1:] == []


def test_export_needs_a_role_that_may_see_bases(client, api, users, bases):
    client.force_login(users["expert"])
    assert client.post("/bases/export/").status_code == 403
    api.force_authenticate(users["expert"])
    assert api.get("/api/v1/bases/export/").status_code == 403
    assert Base.objects.count() == 6
