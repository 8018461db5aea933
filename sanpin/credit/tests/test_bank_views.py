"""“信用+金融” through HTTP: a bank reads an entity's credit report (page, PDF, API) only while the
entity's consent to that bank is in force, each read is logged once and the entity sees it on 我的信用."""

import datetime
import io

import pytest
from pypdf import PdfReader

from sanpin.certificates.tests.factories import issue
from sanpin.credit import consent as consents
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import BankConsent, CreditEvent, CreditReportRead

from .test_consent import DAY, grant, make_banks

pytestmark = pytest.mark.django_db


def urls(entity):
    return (f"/credit/bank/reports/{entity.pk}/", f"/credit/bank/reports/{entity.pk}/pdf/",
            f"/api/v1/credit-reports/{entity.pk}/")


def get_all(client, api, banker, entity):
    """The three ways to read a report, as `banker`: their status codes."""
    client.force_login(banker)
    api.force_authenticate(banker)
    page, pdf, endpoint = urls(entity)
    return [client.get(page).status_code, client.get(pdf).status_code, api.get(endpoint).status_code]


@pytest.fixture
def banks(regions):
    return make_banks(regions)


@pytest.fixture
def gx(users):
    return users["gx_applicant"].entity


def test_without_consent_the_bank_gets_404_everywhere_and_nothing_is_logged(client, api, users, banks, gx, on_day):
    on_day(DAY)
    assert get_all(client, api, banks["banker"], gx) == [404, 404, 404]
    grant(users, banks, bank=banks["other"])  # a consent to another bank does not count
    assert get_all(client, api, banks["banker"], gx) == [404, 404, 404]
    assert api.get(urls(gx)[2]).json()["code"] == "not_found"
    assert not CreditReportRead.objects.exists()


def test_with_consent_each_read_is_logged_once_and_the_entity_sees_it(client, api, users, banks, gx, on_day):
    on_day(DAY)
    day = datetime.timedelta(days=1)
    CreditEvent.objects.create(entity=gx, kind=CreditKind.SAMPLING_FAILED, occurred_on=DAY - 30 * day,
                               summary="抽检不合格：农药残留超标", recorded_by=users["national"])
    CreditEvent.objects.create(entity=gx, kind=CreditKind.AWARD, occurred_on=DAY - 4 * 365 * day,
                               summary="四年前的表彰", recorded_by=users["national"])
    certificate = issue(gx, approved_on=datetime.date(2025, 3, 10))
    grant(users, banks)
    client.force_login(banks["banker"])

    home = client.get("/credit/bank/")
    assert home.status_code == 200 and gx.name in home.content.decode()
    page = client.get(urls(gx)[0])
    body = page.content.decode()
    assert page.status_code == 200
    for text in (gx.name, gx.uscc, "兴宁区", certificate.number, "绿色食品生产资料", "抽检不合格：农药残留超标",
                 "第 1 版信用评价规则", "2026-03-02", "2026-08-29", "流动资金贷款审批"):
        assert text in body, text
    assert "四年前的表彰" not in body  # older than three years
    assert CreditReportRead.objects.filter(format="page").count() == 1

    api.force_authenticate(banks["banker"])
    data = api.get(urls(gx)[2]).json()
    assert data["entity"]["uscc"] == gx.uscc and data["rulebook_version"] == 1
    assert [c["number"] for c in data["certificates"]] == [certificate.number]
    assert [e["summary"] for e in data["events"]] == ["抽检不合格：农药残留超标"]
    assert data["events"][0]["points"] < 0 and data["grade"] in "ABCD"
    assert list(CreditReportRead.objects.values_list("format", flat=True).order_by("pk")) == ["page", "api"]

    client.force_login(users["gx_applicant"])
    mine = client.get("/credit/mine/").content.decode()
    assert mine.count(banks["bank"].name) >= 3  # the consent and the two reads
    assert "周雅琴" in mine and "网页" in mine and "接口" in mine


def test_the_pdf_names_the_entity_with_an_embedded_cjk_font(client, users, banks, gx, on_day):
    on_day(DAY)
    grant(users, banks)
    client.force_login(banks["banker"])

    response = client.get(urls(gx)[1])

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "主体信用报告" in text and gx.name in text and gx.uscc in text and banks["bank"].name in text
    embedded = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        if any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            embedded.append(str(font["/BaseFont"]))
    assert any("Noto" in name and "CJK" in name for name in embedded), embedded
    assert list(CreditReportRead.objects.values_list("format", "reader")) == [("pdf", banks["banker"].pk)]


def test_after_withdrawal_or_the_last_day_the_bank_gets_404_again(client, api, users, banks, gx, on_day):
    on_day(DAY)
    consent = grant(users, banks, valid_until=DAY + datetime.timedelta(days=5))
    assert get_all(client, api, banks["banker"], gx) == [200, 200, 200]
    on_day(DAY + datetime.timedelta(days=6))
    assert get_all(client, api, banks["banker"], gx) == [404, 404, 404]
    on_day(DAY)
    client.force_login(users["gx_applicant"])
    response = client.post(f"/credit/mine/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    assert get_all(client, api, banks["banker"], gx) == [404, 404, 404]
    assert CreditReportRead.objects.count() == 3
    assert get_all(client, api, banks["other_banker"], gx) == [404, 404, 404]


def test_other_roles_are_refused(client, api, users, banks, gx, on_day):
    on_day(DAY)
    grant(users, banks)
    assert get_all(client, api, users["gx_applicant"], gx) == [403, 403, 403]
    assert get_all(client, api, users["gx_province"], gx) == [403, 403, 403]
    client.force_login(banks["banker"])
    assert client.get("/credit/mine/").status_code == 403
    assert not CreditReportRead.objects.exists()


def test_the_applicant_grants_through_the_form_with_messages_in_chinese(client, users, banks, gx, on_day):
    on_day(DAY)
    client.force_login(users["gx_applicant"])
    page = client.get("/credit/mine/").content.decode()
    assert banks["bank"].name in page and "我的信用" in page

    bad = client.post("/credit/mine/", {"bank": banks["bank"].pk, "purpose": "", "valid_until": "2028-01-01"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "请填写查询用途" in body and "授权期限最长一年" in body
    assert not BankConsent.objects.exists()

    ok = client.post("/credit/mine/", {"bank": banks["bank"].pk, "purpose": "贷款审批", "valid_until": "2026-09-01"})
    assert ok.status_code == 302
    consent = BankConsent.objects.get()
    assert (consent.entity, consent.bank, consent.valid_until) == (gx, banks["bank"], datetime.date(2026, 9, 1))
    assert "有效" in client.get("/credit/mine/").content.decode()


def test_an_applicant_cannot_withdraw_another_entitys_consent(client, users, banks, gx, on_day):
    on_day(DAY)
    consent = grant(users, banks)
    client.force_login(users["sh_applicant"])
    assert client.post(f"/credit/mine/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consents.consent_state(consent, DAY) == consents.ACTIVE
