"""The supervision API: open, answer with files, fail, revoke; what the public sees afterwards;
scope, roles and bad input with the error body."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.certificates.tests.factories import issue
from sanpin.supervision.models import Rectification, RectificationEvidence, RevocationRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BASE = "/api/v1/"


@pytest.fixture(autouse=True)
def _media_and_day(settings, tmp_path, on_day):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(datetime.date(2025, 6, 2))


@pytest.fixture
def certificate(users, gx_entity):
    return issue(gx_entity)


def as_user(api, users, name):
    api.force_authenticate(users[name])
    return api


def open_one(api, users, certificate, **data):
    body = {"certificate": certificate.number, "cause": "over_output", "detail": "实际销售量超过核准产量",
            "source": "sampling", "source_ref": "CJ-2025-001"}
    body.update(data)
    return as_user(api, users, "gx_province").post(f"{BASE}rectifications/", body, format="json")


def test_open_answer_fail_revoke_and_the_public_sees_it(api, users, certificate, django_capture_on_commit_callbacks):
    # Given provincial staff open a rectification
    response = open_one(api, users, certificate)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["due_on"] == "2025-07-02"
    assert body["certificate"]["number"] == certificate.number
    assert body["cause_label"] == "获证产品的产量（实际销售量）超过核准产量"
    pk = body["id"]

    # When the holder answers with a file (multipart)
    api = as_user(api, users, "gx_applicant")
    response = api.post(f"{BASE}rectifications/{pk}/answer/", {
        "answer": "已调整销售计划", "files": [SimpleUploadedFile("销售台账.pdf", PDF, content_type="application/pdf")],
    }, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "answered" and [e["filename"] for e in body["evidence"]] == ["销售台账.pdf"]
    download = api.get(body["evidence"][0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    # And the province fails it
    api = as_user(api, users, "gx_province")
    response = api.post(f"{BASE}rectifications/{pk}/decide/", {"accepted": False, "note": "仍超量销售"},
                        format="json")
    assert response.status_code == 200 and response.json()["status"] == "failed"
    revocations = api.get(f"{BASE}revocations/", {"status": "pending"}).json()
    assert revocations["count"] == 1
    request_id = revocations["results"][0]["id"]
    assert revocations["results"][0]["rectification"] == pk
    assert response.json()["revocation_requests"] == [request_id]

    # Given a public check before the decision (cached)
    public = api.__class__()
    assert public.get(f"{BASE}public/verify/", {"code": certificate.number}).json()["result"] == "in_rectification"

    # When national staff revoke it
    api = as_user(api, users, "national")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{BASE}revocations/{request_id}/decide/",
                            {"revoke": True, "note": "整改不合格", "serious": False}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "revoked" and body["announcement"]["title"]

    # Then the very next public request says revoked and the announcement lists it
    assert public.get(f"{BASE}public/verify/", {"code": certificate.number}).json()["result"] == "revoked"
    announcements = public.get(f"{BASE}announcements/").json()
    assert certificate.number in str(announcements)


def test_a_revocation_request_is_opened_and_declined(api, users, certificate):
    api = as_user(api, users, "gx_province")
    response = api.post(f"{BASE}revocations/", {"certificate": certificate.number, "causes": ["banned_additive"],
                                                 "detail": "抽检检出禁用物质"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["cause_labels"] == ["违规添加绿色生资禁用品"]
    assert api.post(f"{BASE}revocations/{pk}/decide/", {"revoke": True, "note": "x"},
                    format="json").status_code == 403
    api = as_user(api, users, "national")
    response = api.post(f"{BASE}revocations/{pk}/decide/", {"revoke": False, "note": "证据不足"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    response = api.post(f"{BASE}revocations/{pk}/decide/", {"revoke": True, "note": "再决定"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"


def test_scope_isolation(api, users, certificate):
    pk = open_one(api, users, certificate).json()["id"]
    for name in ("sh_province", "sh_applicant"):
        api = as_user(api, users, name)
        response = api.get(f"{BASE}rectifications/{pk}/")
        assert response.status_code == 404 and set(response.json()) == {"code", "message", "fields"}
        assert api.get(f"{BASE}rectifications/").json()["count"] == 0
    api = as_user(api, users, "sh_province")
    response = api.post(f"{BASE}rectifications/", {"certificate": certificate.number, "cause": "mark_misuse",
                                                    "detail": "x"}, format="json")
    assert response.status_code == 400 and "certificate" in response.json()["fields"]
    assert Rectification.objects.count() == 1
    api = as_user(api, users, "gx_applicant")
    assert api.get(f"{BASE}rectifications/{pk}/").status_code == 200
    assert api.get(f"{BASE}rectifications/").json()["count"] == 1


def test_an_applicant_cannot_decide_or_open(api, users, certificate):
    pk = open_one(api, users, certificate).json()["id"]
    api = as_user(api, users, "gx_applicant")
    api.post(f"{BASE}rectifications/{pk}/answer/", {"answer": "已整改"}, format="multipart")
    response = api.post(f"{BASE}rectifications/{pk}/decide/", {"accepted": True, "note": "好"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = api.post(f"{BASE}rectifications/", {"certificate": certificate.number, "cause": "mark_misuse",
                                                    "detail": "x"}, format="json")
    assert response.status_code == 403
    response = api.post(f"{BASE}revocations/", {"certificate": certificate.number, "causes": ["contract_breach"],
                                                 "detail": "x"}, format="json")
    assert response.status_code == 403
    assert Rectification.objects.get().status == "answered" and not RevocationRequest.objects.exists()


def test_bad_input_is_400_with_fields_and_writes_nothing(api, users, certificate):
    response = open_one(api, users, certificate, cause="", detail="")
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"cause", "detail"}
    response = open_one(api, users, certificate, cause="no_such_cause")
    assert response.status_code == 400 and "整改原因应为" in response.json()["fields"]["cause"][0]
    response = as_user(api, users, "gx_province").post(f"{BASE}revocations/", {"certificate": certificate.number,
                                                                                "detail": "x"}, format="json")
    assert response.status_code == 400 and response.json()["fields"]["causes"] == ["请选择取消原因"]
    assert not Rectification.objects.exists() and not RevocationRequest.objects.exists()
    certificate.refresh_from_db()
    assert certificate.status == "valid"

    pk = open_one(api, users, certificate).json()["id"]
    api = as_user(api, users, "gx_applicant")
    response = api.post(f"{BASE}rectifications/{pk}/answer/", {
        "answer": "", "files": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
    }, format="multipart")
    assert response.status_code == 400 and response.json()["fields"] == {"answer": ["请填写整改情况"]}
    response = api.post(f"{BASE}rectifications/{pk}/answer/", {
        "answer": "已整改", "files": [SimpleUploadedFile("a.txt", b"plain", content_type="text/plain")],
    }, format="multipart")
    assert response.status_code == 400 and "files" in response.json()["fields"]
    assert Rectification.objects.get().status == "open" and not RectificationEvidence.objects.exists()

    api = as_user(api, users, "gx_province")
    response = api.post(f"{BASE}rectifications/{pk}/decide/", {"note": "x"}, format="json")
    assert response.status_code == 400 and "accepted" in response.json()["fields"]
    response = api.post(f"{BASE}rectifications/{pk}/decide/", {"accepted": True, "note": "x"}, format="json")
    assert response.status_code == 409  # not answered yet
