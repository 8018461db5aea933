"""Pages: the staff list with its Excel export, the detail page, the public verify and
announcement pages."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanpin.accounts.models import system_user
from sanpin.certificates import services, signing
from sanpin.certificates.tests.factories import issue

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def gx_cert(gx_entity):
    return issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=10))


def test_the_list_shows_certificates_in_scope_and_exports_the_filtered_list(client, users, gx_entity, gx_cert,
                                                                            sh_entity):
    expired = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=1200), product_name="旧叶面肥")
    sh_cert = issue(sh_entity)
    client.force_login(users["gx_province"])

    page = client.get(reverse("certificates:list")).content.decode()
    assert gx_cert.number in page and expired.number in page
    assert sh_cert.number not in page

    filtered = client.get(reverse("certificates:list"), {"status": "expired"}).content.decode()
    assert expired.number in filtered and gx_cert.number not in filtered

    export = client.get(reverse("certificates:list"), {"status": "expired", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "产品编号"
    assert [(r[0], r[-1]) for r in rows[1:]] == [(expired.number, "已过期")]


def test_the_detail_page_has_history_qr_code_and_pdf_link(client, users, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="suspended", reason="年检未通过")
    client.force_login(users["gx_applicant"])

    page = client.get(reverse("certificates:detail", args=[gx_cert.number])).content.decode()

    assert "年检未通过" in page and "暂停使用" in page
    assert "<svg" in page
    assert reverse("certificate-pdf", args=[gx_cert.number]) in page


def test_guangxi_staff_get_404_for_a_shanghai_detail_page(client, users, sh_entity):
    sh_cert = issue(sh_entity)
    client.force_login(users["gx_province"])
    response = client.get(reverse("certificates:detail", args=[sh_cert.number]))
    assert response.status_code == 404
    assert sh_entity.name not in response.content.decode()


def test_an_expert_may_not_open_the_list(client, users):
    client.force_login(users["expert"])
    assert client.get(reverse("certificates:list")).status_code == 403


def test_a_scanned_code_opens_the_public_page_with_a_big_result(client, gx_cert):
    url = signing.signed_url(gx_cert.number)
    path = url.split("://", 1)[1].split("/", 1)[1]

    page = client.get("/" + path).content.decode()

    assert "有效" in page and "广西绿源农业有限公司" in page and gx_cert.number in page
    assert "二维码签名已验证" in page


def test_a_scanned_code_with_an_altered_number_is_flagged_as_forged(client, gx_cert):
    url = signing.signed_url(gx_cert.number)
    token = url.split("?s=")[1]
    other = gx_cert.number[:-1] + "7"

    page = client.get(f"/v/{other}/", {"s": token}).content.decode()

    assert "疑似伪造" in page
    assert "广西绿源农业有限公司" not in page


def test_the_verify_form_looks_up_a_typed_number(client, gx_entity, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="revoked", reason="[004 §26]")

    page = client.get(reverse("portal:verify"), {"code": gx_cert.number}).content.decode()

    assert "已取消" in page and "不得使用绿色生资标志" in page
    assert "未查到" in client.get(reverse("portal:verify"), {"code": "LSSZ-01-0000000000"}).content.decode()
    assert client.get(reverse("portal:verify")).status_code == 200


def test_the_announcements_page_is_public(client, users, gx_cert):
    services.announcement_publish(actor=users["national"], title="2026 年第 3 批绿色生资获证产品公告",
                                  kind="approval", certificates=[gx_cert])

    page = client.get(reverse("certificates:announcements")).content.decode()

    assert "2026 年第 3 批绿色生资获证产品公告" in page and gx_cert.number in page


def test_national_staff_suspend_a_licence_from_its_page(client, users, gx_cert):
    client.force_login(users["national"])
    url = reverse("certificates:set_status", args=[gx_cert.number])

    missing_reason = client.post(url, {"status": "suspended", "reason": ""})
    assert missing_reason.status_code == 400
    response = client.post(url, {"status": "suspended", "reason": "年检不合格", "reference": "NJ-2026-7"})

    assert response.status_code == 302
    gx_cert.refresh_from_db()
    assert gx_cert.status == "suspended"
    page = client.get(reverse("certificates:detail", args=[gx_cert.number])).content.decode()
    assert "年检不合格" in page


def test_a_target_outside_the_table_is_not_offered_and_is_refused(client, users, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="stopped", reason="停止使用")
    client.force_login(users["national"])

    page = client.get(reverse("certificates:detail", args=[gx_cert.number])).content.decode()
    response = client.post(reverse("certificates:set_status", args=[gx_cert.number]),
                           {"status": "valid", "reason": "恢复"})

    assert "变更证书状态" not in page and "收回《使用证》" in page
    assert response.status_code == 400
    gx_cert.refresh_from_db()
    assert gx_cert.status == "stopped"


def test_the_licence_is_recorded_as_recovered(client, users, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="revoked", reason="取消")
    client.force_login(users["national"])

    response = client.post(reverse("certificates:recover", args=[gx_cert.number]), {"recovered_on": TODAY})

    assert response.status_code == 302
    gx_cert.refresh_from_db()
    assert gx_cert.recovered_on == TODAY


def test_provincial_staff_see_no_status_form_and_may_not_post_one(client, users, gx_cert):
    client.force_login(users["gx_province"])
    page = client.get(reverse("certificates:detail", args=[gx_cert.number])).content.decode()
    assert "变更证书状态" not in page
    response = client.post(reverse("certificates:set_status", args=[gx_cert.number]),
                           {"status": "suspended", "reason": "x"})
    assert response.status_code == 403


def test_national_staff_publish_an_announcement_from_the_form(client, users, gx_cert):
    client.force_login(users["national"])
    url = reverse("certificates:announcement_create")

    bad = client.post(url, {"title": "公告", "kind": "approval", "numbers": "LSSZ-01-0000000000"})
    assert bad.status_code == 400 and "未找到这些编号" in bad.content.decode()

    response = client.post(url, {"title": "2026 年第 4 批公告", "kind": "approval", "numbers": gx_cert.number.lower()})
    assert response.status_code == 302
    assert "2026 年第 4 批公告" in client.get(reverse("certificates:announcements")).content.decode()
