"""GI pages through HTTP: list and detail in scope, import page, authorising, quality table,
the public verification page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from sanpin.catalog.tests.factories import EntityFactory, valid_uscc
from sanpin.gi import services
from sanpin.gi.models import GIAuthorization, GIRegistration
from sanpin.gi.tests.factories import register, sheet_row, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def association(regions):
    return EntityFactory(name="隆林县黑山羊协会", kind="association", region=regions["451031"],
                         uscc=valid_uscc("451031"))


@pytest.fixture
def gi(users, association):
    return register(users["gx_province"], association)


def test_staff_list_and_detail_in_scope_and_404_across_regions(client, users, gi, sh_entity):
    sh_gi = register(users["sh_province"], sh_entity, number="AGI09999", counties="310101", product_name="黄浦茭白")
    client.force_login(users["gx_province"])

    listing = client.get("/gi/").content.decode()
    assert "AGI01234" in listing and "AGI09999" not in listing
    assert client.get("/gi/", {"county": "451031"}).content.decode().count(">AGI01234</a>") == 1
    assert ">AGI01234</a>" not in client.get("/gi/", {"county": "450102"}).content.decode()
    detail = client.get(f"/gi/{gi.number}/")
    assert detail.status_code == 200 and "肉质细嫩" in detail.content.decode()
    response = client.get(f"/gi/{sh_gi.number}/")
    assert response.status_code == 404 and "黄浦茭白" not in response.content.decode()


def test_import_page_lists_bad_rows_and_writes_nothing(client, users, association):
    client.force_login(users["gx_province"])
    rows = [sheet_row("AGI00001", association.uscc), sheet_row("AGI00002", "", counties="451031")]

    response = client.post("/gi/import/", {"action": "import", "file": SimpleUploadedFile("a.xlsx", xlsx(rows))})

    assert response.status_code == 400
    page = response.content.decode()
    assert "有 1 行错误，未导入任何数据" in page and "“证书持有人统一社会信用代码”不能为空" in page
    assert GIRegistration.objects.count() == 0

    fixed = [sheet_row("AGI00001", association.uscc), sheet_row("AGI00002", association.uscc)]
    response = client.post("/gi/import/", {"action": "import", "file": SimpleUploadedFile("a.xlsx", xlsx(fixed))})
    assert response.status_code == 200 and GIRegistration.objects.count() == 2


def test_import_page_refuses_garbage_with_one_message(client, users):
    client.force_login(users["gx_province"])
    response = client.post("/gi/import/", {"action": "check", "file": SimpleUploadedFile("a.xlsx", b"junk")})
    assert response.status_code == 400 and "文件不是有效的 Excel 文件" in response.content.decode()


def test_the_template_downloads_with_the_columns(client, users):
    client.force_login(users["gx_province"])
    response = client.get("/gi/import/template/")
    rows = CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content)).get_sheet_by_index(0)
    assert rows.to_python()[0][0] == "登记证书编号"


def test_the_holder_authorises_a_producer_from_the_page(client, users, regions):
    holder = users["gx_applicant"].entity
    gi = register(users["gx_province"], holder, counties="451031")
    producer = EntityFactory(name="隆林养殖户", region=regions["451031"], uscc=valid_uscc("451031"))
    client.force_login(users["gx_applicant"])
    form = {"user_entity": producer.uscc, "product": "黑山羊", "quantity": "20", "unit": "只",
            "valid_from": TODAY.isoformat(), "valid_until": (TODAY + datetime.timedelta(days=30)).isoformat()}

    assert client.post(f"/gi/{gi.number}/authorize/", form).status_code == 302
    again = client.post(f"/gi/{gi.number}/authorize/", form)
    assert again.status_code == 400 and "有效期重叠" in again.content.decode()
    page = client.get(f"/gi/{gi.number}/").content.decode()
    assert "隆林养殖户" in page and "授权生产者使用地理标志" in page and 'name="reason"' in page
    assert "录入品质数据" not in page and "撤销登记" not in page  # staff-only and national-only forms

    authorization = GIAuthorization.objects.get()
    ended = client.post(f"/gi/{gi.number}/authorizations/{authorization.pk}/end/", {"reason": "停产"})
    assert ended.status_code == 302
    authorization.refresh_from_db()
    assert authorization.status == "ended"


def test_quality_records_show_by_year(client, users, gi):
    for year, value in ((TODAY.year - 1, "20.1"), (TODAY.year, "21.5")):
        services.gi_quality_record_add(actor=users["gx_province"], registration=gi, year=year, indicator="粗蛋白",
                                       value=value, unit="%", sampled_on=datetime.date(year, 1, 2))
    client.force_login(users["gx_applicant"])  # not the holder: 404
    assert client.get(f"/gi/{gi.number}/").status_code == 404
    client.force_login(users["bs_city"])
    page = client.get(f"/gi/{gi.number}/").content.decode()
    assert f"<th scope=\"col\">{TODAY.year - 1}</th>" in page and "20.1" in page and "21.5" in page

    bad = client.post(f"/gi/{gi.number}/quality/", {"year": TODAY.year, "indicator": "脂肪", "value": "1",
                                                    "sampled_on": "2001-01-01"})
    assert bad.status_code == 400 and "抽样日期须在所填年度内" in bad.content.decode()


def test_public_verify_page_needs_no_sign_in(client, gi):
    page = client.get("/gi/verify/", {"number": "agi01234"}).content.decode()
    assert "隆林黑山羊" in page and "隆林县黑山羊协会" in page and "已登记" in page
    assert "未查到" in client.get("/gi/verify/", {"number": "AGI00000"}).content.decode()


def test_national_staff_revoke_from_the_page_and_provincial_staff_may_not(client, users, gi):
    client.force_login(users["gx_province"])
    assert client.post(f"/gi/{gi.number}/revoke/", {"reason": "x"}).status_code == 403

    client.force_login(users["national"])
    assert client.post(f"/gi/{gi.number}/revoke/", {"reason": ""}).status_code == 400
    assert client.post(f"/gi/{gi.number}/revoke/", {"reason": "农业农村部公告"}).status_code == 302
    gi.refresh_from_db()
    assert gi.status == "revoked"
    assert "登记已撤销" in client.get("/gi/verify/", {"number": gi.number}).content.decode()
