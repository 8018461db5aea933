"""The certificate API: scoped list and detail, PDF, public verification, keys and announcements."""

import datetime
import io

import pytest
from pypdf import PdfReader
from rest_framework.throttling import ScopedRateThrottle

from sanpin.accounts.models import system_user
from sanpin.certificates import services, signing
from sanpin.certificates.tests.factories import issue

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def gx_cert(gx_entity):
    return issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=30))


@pytest.fixture
def sh_cert(sh_entity):
    return issue(sh_entity, approved_on=TODAY - datetime.timedelta(days=30))


def test_verify_needs_no_sign_in_and_shows_only_public_fields(api, gx_cert):
    response = api.get("/api/v1/public/verify/", {"code": signing.signed_url(gx_cert.number)})

    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "valid"
    assert body["signature"] == "valid"
    assert (body["number"], body["holder"], body["product"]) == (gx_cert.number, "广西绿源农业有限公司", "生物有机肥")
    assert body["category"] == "肥料"
    assert (body["approved_output"], body["output_unit"]) == ("5000", "吨")
    assert body["status_history"] == [{"to_status": "valid", "on": body["status_history"][0]["on"]}]
    assert "uscc" not in str(body) and gx_cert.holder.uscc not in str(body)


def test_a_tampered_number_or_signature_is_forged(api, gx_cert):
    url = signing.signed_url(gx_cert.number)
    other = gx_cert.number[:-1] + "9"

    assert api.get("/api/v1/public/verify/", {"code": url.replace(gx_cert.number, other)}).json()["result"] == "forged"
    assert api.get("/api/v1/public/verify/", {"code": url[:-3] + "xyz"}).json()["result"] == "forged"


def test_a_bare_number_is_looked_up_and_an_unknown_one_is_not_found(api, gx_cert):
    assert api.get("/api/v1/public/verify/", {"code": gx_cert.number}).json()["result"] == "valid"
    body = api.get("/api/v1/public/verify/", {"code": "LSSZ-01-2501209999"}).json()
    assert (body["result"], body["holder"]) == ("not_found", None)


def test_verify_reports_revoked_and_expired(api, gx_entity, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="revoked", reason="[004 §26]")
    old = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=1200), product_name="旧肥料")

    assert api.get("/api/v1/public/verify/", {"code": gx_cert.number}).json()["result"] == "revoked"
    assert api.get("/api/v1/public/verify/", {"code": old.number}).json()["result"] == "expired"


def test_verify_without_a_code_names_the_field(api):
    response = api.get("/api/v1/public/verify/")
    assert response.status_code == 400
    assert "code" in response.json()["fields"]


def test_public_keys_are_published(api):
    response = api.get("/api/v1/public/keys/")
    assert response.status_code == 200
    assert set(response.json()) == set(signing.public_keys())


def test_the_list_is_scoped_and_filters_by_status_on_todays_date(api, users, gx_entity, gx_cert, sh_cert):
    expired = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=1200), product_name="旧肥料")
    api.force_authenticate(users["gx_province"])

    numbers = {row["number"] for row in api.get("/api/v1/certificates/").json()["results"]}
    assert numbers == {gx_cert.number, expired.number}
    only_expired = api.get("/api/v1/certificates/", {"status": "expired"}).json()["results"]
    assert [(r["number"], r["effective_status"]) for r in only_expired] == [(expired.number, "expired")]
    assert api.get("/api/v1/certificates/", {"status": "valid"}).json()["count"] == 1
    assert api.get("/api/v1/certificates/", {"region": "451000"}).json()["count"] == 0
    assert api.get("/api/v1/certificates/", {"region": "450100"}).json()["count"] == 2


def test_national_staff_see_everything_and_the_applicant_only_its_own(api, users, gx_cert, sh_cert):
    api.force_authenticate(users["national"])
    assert api.get("/api/v1/certificates/").json()["count"] == 2
    api.force_authenticate(users["sh_applicant"])
    assert [r["number"] for r in api.get("/api/v1/certificates/").json()["results"]] == [sh_cert.number]


def test_a_renewed_number_is_listed_once_with_its_latest_term(api, users, gx_entity):
    old = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=1000))
    valid_from = old.valid_until + datetime.timedelta(days=1)
    new = issue(gx_entity, approved_on=TODAY, valid_from=valid_from,
                valid_until=services.green_inputs_validity(valid_from), predecessor=old)
    api.force_authenticate(users["national"])

    rows = api.get("/api/v1/certificates/").json()["results"]
    detail = api.get(f"/api/v1/certificates/{old.number}/").json()

    assert [r["valid_until"] for r in rows] == [new.valid_until.isoformat()]
    assert detail["valid_until"] == old.valid_until.isoformat()  # the term in force today
    assert len(detail["terms"]) == 2


def test_detail_carries_the_status_history(api, users, gx_cert):
    services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="in_rectification",
                                    reason="超核准产量销售 [004 §25]", reference="ZG-2026-01")
    api.force_authenticate(users["nn_city"])

    body = api.get(f"/api/v1/certificates/{gx_cert.number}/").json()

    assert body["effective_status"] == "in_rectification"
    assert [(h["from_status"], h["to_status"]) for h in body["status_history"]] == [
        ("", "valid"), ("valid", "in_rectification")]


def test_guangxi_staff_get_404_for_a_shanghai_certificate(api, users, sh_cert):
    api.force_authenticate(users["gx_province"])
    for path in (f"/api/v1/certificates/{sh_cert.number}/", f"/api/v1/certificates/{sh_cert.number}/pdf/"):
        response = api.get(path)
        assert response.status_code == 404
        assert "上海" not in response.content.decode()


def test_a_role_without_access_gets_403_and_anonymous_401(api, users, gx_cert):
    assert api.get("/api/v1/certificates/").status_code == 401
    api.force_authenticate(users["expert"])
    assert api.get("/api/v1/certificates/").status_code == 403
    assert api.get(f"/api/v1/certificates/{gx_cert.number}/").status_code == 403


def test_the_pdf_has_the_holder_the_number_and_an_embedded_noto_cjk_font(api, users, gx_cert):
    api.force_authenticate(users["gx_applicant"])

    response = api.get(f"/api/v1/certificates/{gx_cert.number}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "绿色食品生产资料标志使用证" in text
    assert "广西绿源农业有限公司" in text
    assert gx_cert.number in text
    assert "中国绿色食品协会" in text
    embedded = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        descriptor = descriptor.get_object()
        if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            embedded.append(str(font["/BaseFont"]))
    assert any("Noto" in name and "CJK" in name for name in embedded), embedded


def test_announcements_are_public(api, users, gx_cert):
    services.announcement_publish(actor=users["national"], title="2026 年第 1 批公告", kind="approval",
                                  certificates=[gx_cert])

    body = api.get("/api/v1/announcements/").json()

    assert body["count"] == 1
    assert body["results"][0]["items"][0]["number"] == gx_cert.number


def test_public_verification_is_rate_limited(api, gx_cert, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "2/minute"})

    statuses = [api.get("/api/v1/public/verify/", {"code": gx_cert.number}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert api.get("/api/v1/public/verify/", {"code": gx_cert.number}).json()["code"] == "throttled"


def test_national_staff_change_a_status_and_an_illegal_one_answers_409(api, users, gx_cert):
    api.force_authenticate(users["national"])

    response = api.post(f"/api/v1/certificates/{gx_cert.number}/status/",
                        {"status": "revoked", "reason": "违规添加禁用品", "reference": "协会〔2026〕3号"},
                        format="json")
    assert response.status_code == 200
    assert response.json()["effective_status"] == "revoked"

    again = api.post(f"/api/v1/certificates/{gx_cert.number}/status/", {"status": "valid", "reason": "恢复"},
                     format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"


def test_a_status_change_without_a_reason_names_the_field(api, users, gx_cert):
    api.force_authenticate(users["national"])
    response = api.post(f"/api/v1/certificates/{gx_cert.number}/status/", {"status": "suspended"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_provincial_staff_may_read_but_not_change_a_status(api, users, gx_cert):
    api.force_authenticate(users["gx_province"])
    response = api.post(f"/api/v1/certificates/{gx_cert.number}/status/", {"status": "suspended", "reason": "x"},
                        format="json")
    assert response.status_code == 403


def test_national_staff_publish_an_announcement_by_numbers(api, users, gx_cert):
    api.force_authenticate(users["national"])

    unknown = api.post("/api/v1/announcements/", {"title": "公告", "kind": "approval",
                                                  "numbers": [gx_cert.number, "LSSZ-01-0000000000"]}, format="json")
    assert unknown.status_code == 400
    assert "LSSZ-01-0000000000" in unknown.json()["fields"]["numbers"][0]

    created = api.post("/api/v1/announcements/", {"title": "2026 年第 2 批公告", "kind": "approval",
                                                  "numbers": [gx_cert.number]}, format="json")
    assert created.status_code == 201
    assert created.json()["items"][0]["enterprise_name"] == "广西绿源农业有限公司"


def test_only_national_staff_publish(api, users, gx_cert):
    assert api.post("/api/v1/announcements/", {}, format="json").status_code == 401
    api.force_authenticate(users["gx_province"])
    assert api.post("/api/v1/announcements/", {"title": "x", "kind": "approval", "numbers": [gx_cert.number]},
                    format="json").status_code == 403


def test_a_cached_answer_is_dropped_when_the_licence_changes(api, gx_cert, django_capture_on_commit_callbacks):
    assert api.get("/api/v1/public/verify/", {"code": gx_cert.number}).json()["result"] == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_set_status(actor=system_user(), certificate=gx_cert, status="suspended", reason="年检")

    assert api.get("/api/v1/public/verify/", {"code": gx_cert.number}).json()["result"] == "suspended"
