"""Supervision pages through HTTP: a rectification opened on the certificate page, answered by
the holder with a file, failed by the province, revoked by the national level; scope, roles and
bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanpin.certificates.models import Announcement, Certificate
from sanpin.certificates.tests.factories import issue
from sanpin.supervision.models import (
    Rectification,
    RectificationEvidence,
    RectificationStatus,
    RevocationRequest,
    RevocationStatus,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _media_and_day(settings, tmp_path, on_day):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(DAY)


@pytest.fixture
def certificate(users, gx_entity):
    """A green-input licence of the Guangxi entity, issued by the system as the engine would."""
    return issue(gx_entity)


def login(client, users, name):
    client.force_login(users[name])
    return client


def open_rectification(client, users, certificate, **data):
    login(client, users, "gx_province")
    values = {"cause": "mark_misuse", "detail": "抽检发现包装未标注产品编号", "source": "sampling",
              "source_ref": "CJ-2025-018"}
    values.update(data)
    return client.post(reverse("supervision:certificate_rectify", args=[certificate.number]), values)


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_whole_path_from_rectification_to_revocation(client, users, certificate,
                                                         django_capture_on_commit_callbacks):
    # Given the certificate page, provincial staff see the two forms
    login(client, users, "gx_province")
    page = client.get(reverse("certificates:detail", args=[certificate.number])).content.decode()
    assert "作出整改决定" in page and "报请取消标志使用权" in page

    # When they open a rectification from it
    response = open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:rectification", args=[rectification.pk])
    assert rectification.due_on == datetime.date(2025, 7, 2)
    certificate.refresh_from_db()
    assert certificate.status == "in_rectification"

    # Then the holder sees it with the answer form and answers with two files
    login(client, users, "gx_applicant")
    page = client.get(reverse("supervision:rectification", args=[rectification.pk])).content.decode()
    assert "提交整改报告" in page and "获证产品未按规定使用绿色生资标志、产品编号" in page
    response = client.post(reverse("supervision:rectification_answer", args=[rectification.pk]),
                           {"answer": "已重新印制包装，标注产品编号", "files": [pdf(), pdf("照片.pdf")]})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED
    evidence = list(rectification.evidence.all())
    assert [e.filename for e in evidence] == ["整改报告.pdf", "照片.pdf"]

    # And the holder may download its evidence, the province too
    url = reverse("supervision:rectification_evidence", args=[rectification.pk, evidence[0].pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    login(client, users, "gx_province")
    assert client.get(url).status_code == 200

    # When the province fails it, a pending revocation request appears
    response = client.post(reverse("supervision:rectification_decide", args=[rectification.pk]),
                           {"decision": "fail", "note": "包装仍未整改到位"})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.FAILED
    request = RevocationRequest.objects.get()
    assert request.status == RevocationStatus.PENDING and request.rectification == rectification
    assert request.causes == ["rectification_failed"]
    listing = client.get(reverse("supervision:revocations")).content.decode()
    assert request.number in listing and "未在规定期限内整改合格" in listing

    # And the province may not decide it
    assert client.post(reverse("supervision:revocation_decide", args=[request.pk]),
                       {"decision": "revoke", "note": "x"}).status_code == 403

    # Given a public check before the decision (cached)
    client.logout()
    assert "整改中" in client.get(reverse("portal:verify"), {"code": certificate.number}).content.decode()

    # When national staff revoke
    login(client, users, "national")
    page = client.get(reverse("supervision:revocation", args=[request.pk])).content.decode()
    assert "情节严重" in page and "作出决定" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("supervision:revocation_decide", args=[request.pk]),
                               {"decision": "revoke", "note": "整改不合格，取消标志使用权"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RevocationStatus.REVOKED and request.announcement is not None
    page = client.get(reverse("supervision:revocation", args=[request.pk])).content.decode()
    assert reverse("certificates:announcements") in page and request.announcement.title in page

    # Then the public sees it revoked in the next request, and the announcement lists it
    client.logout()
    page = client.get(reverse("portal:verify"), {"code": certificate.number}).content.decode()
    assert "已取消" in page
    assert client.get(reverse("public-verify"), {"code": certificate.number}).json()["result"] == "revoked"
    announcements = client.get(reverse("certificates:announcements"), {"kind": "revocation"}).content.decode()
    assert certificate.number in announcements
    assert Announcement.objects.filter(kind="revocation", items__number=certificate.number).exists()
    assert Certificate.objects.get(pk=certificate.pk).recovered_on == DAY


def test_accepting_makes_the_certificate_valid_again(client, users, certificate):
    open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    login(client, users, "gx_applicant")
    client.post(reverse("supervision:rectification_answer", args=[rectification.pk]), {"answer": "已整改"})
    login(client, users, "gx_province")
    response = client.post(reverse("supervision:rectification_decide", args=[rectification.pk]),
                           {"decision": "accept", "note": "整改到位"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert not RevocationRequest.objects.exists()


def test_out_of_scope_users_get_404(client, users, certificate, sh_entity):
    open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    login(client, users, "gx_applicant")
    client.post(reverse("supervision:rectification_answer", args=[rectification.pk]),
                {"answer": "已整改", "files": [pdf()]})
    evidence = RectificationEvidence.objects.get()
    urls = [reverse("supervision:rectification", args=[rectification.pk]),
            reverse("supervision:rectification_evidence", args=[rectification.pk, evidence.pk])]
    for name in ("sh_province", "sh_applicant"):
        login(client, users, name)
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
        assert rectification.number not in client.get(reverse("supervision:rectifications")).content.decode()
    login(client, users, "sh_province")
    assert client.post(reverse("supervision:certificate_rectify", args=[certificate.number]),
                       {"cause": "mark_misuse", "detail": "x"}).status_code == 404
    # Another applicant may not answer someone else's rectification either
    response = client.post(reverse("supervision:rectification_answer", args=[rectification.pk]), {"answer": "x"})
    assert response.status_code == 403  # a provincial reviewer never answers
    login(client, users, "sh_applicant")
    response = client.post(reverse("supervision:rectification_answer", args=[rectification.pk]), {"answer": "x"})
    assert response.status_code == 404


def test_an_applicant_cannot_decide(client, users, certificate):
    open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    login(client, users, "gx_applicant")
    client.post(reverse("supervision:rectification_answer", args=[rectification.pk]), {"answer": "已整改"})
    response = client.post(reverse("supervision:rectification_decide", args=[rectification.pk]),
                           {"decision": "accept", "note": "自己审核"})
    assert response.status_code == 403
    assert client.post(reverse("supervision:certificate_rectify", args=[certificate.number]),
                       {"cause": "mark_misuse", "detail": "x"}).status_code == 403
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED
    page = client.get(reverse("supervision:rectification", args=[rectification.pk])).content.decode()
    assert "审核整改报告" not in page


def test_opening_without_a_cause_shows_the_error_and_writes_nothing(client, users, certificate):
    response = open_rectification(client, users, certificate, cause="", detail="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择整改原因" in page and "请描述发现的问题" in page
    assert not Rectification.objects.exists()
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_a_revocation_request_needs_a_cause(client, users, certificate):
    login(client, users, "gx_province")
    url = reverse("supervision:certificate_revoke", args=[certificate.number])
    response = client.post(url, {"detail": "违规添加禁用品"})
    assert response.status_code == 400 and "请选择取消原因" in response.content.decode()
    assert not RevocationRequest.objects.exists()
    response = client.post(url, {"causes": ["banned_additive", "contract_breach"], "detail": "违规添加禁用品"})
    assert response.status_code == 302
    assert RevocationRequest.objects.get().causes == ["banned_additive", "contract_breach"]


def test_an_empty_answer_or_a_bad_file_is_refused_and_nothing_is_written(client, users, certificate):
    open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    login(client, users, "gx_applicant")
    url = reverse("supervision:rectification_answer", args=[rectification.pk])
    response = client.post(url, {"answer": "  ", "files": [pdf()]})
    assert response.status_code == 400 and "请填写整改情况" in response.content.decode()
    text = SimpleUploadedFile("说明.pdf", b"just text", content_type="application/pdf")
    response = client.post(url, {"answer": "已整改", "files": [pdf(), text]})
    assert response.status_code == 400
    assert "只接受 PDF、JPG、PNG 或 Office 文档" in response.content.decode()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN and rectification.answer == ""
    assert not RectificationEvidence.objects.exists()


def test_no_answer_after_the_deadline_and_the_list_marks_it_overdue(client, users, certificate, on_day):
    open_rectification(client, users, certificate)
    rectification = Rectification.objects.get()
    on_day(datetime.date(2025, 7, 3))
    login(client, users, "gx_applicant")
    page = client.get(reverse("supervision:rectification", args=[rectification.pk])).content.decode()
    assert "整改期限已过" in page and 'action="' + reverse("supervision:rectification_answer",
                                                            args=[rectification.pk]) not in page
    response = client.post(reverse("supervision:rectification_answer", args=[rectification.pk]), {"answer": "迟到"})
    assert response.status_code == 409 and "已过" in response.content.decode()
    login(client, users, "gx_province")
    listing = client.get(reverse("supervision:rectifications"), {"status": "overdue_open"}).content.decode()
    assert rectification.number in listing and "text-danger" in listing


def test_list_filters(client, users, certificate, gx_entity):
    other = issue(gx_entity, product_name="复合微生物肥料", category="01")
    open_rectification(client, users, certificate)
    open_rectification(client, users, other, cause="over_output", source="complaint", detail="销量超过核准产量")
    login(client, users, "gx_province")
    url = reverse("supervision:rectifications")
    both = client.get(url).content.decode()
    assert certificate.number in both and other.number in both
    only = client.get(url, {"source": "complaint"}).content.decode()
    assert other.number in only and certificate.number not in only
    only = client.get(url, {"q": "复合微生物"}).content.decode()
    assert other.number in only and certificate.number not in only
    assert certificate.number not in client.get(url, {"scheme": "green_food"}).content.decode()
    assert client.get(url, {"status": "answered"}).status_code == 200
