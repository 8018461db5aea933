"""The public verification and 合格证 scan answered ahead of the middleware stack give the DRF
views' answers, byte for byte; anything unusual falls through to the views."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import ScopedRateThrottle

from sanpin.certificates import signing
from sanpin.certificates.api.views import VerifyView
from sanpin.certificates.tests.factories import issue
from sanpin.compliance import codes, issuing
from sanpin.compliance.api.views import PublicComplianceView

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


@pytest.fixture
def certificate(gx_entity):
    return issue(gx_entity, approved_on=datetime.date.today() - datetime.timedelta(days=30))


def _view(view, path, **kwargs):
    response = view.as_view()(factory.get(path), **kwargs)
    response.render()
    return response


@pytest.mark.parametrize("code", ["{n}", "{n_lower}", "  {n}  ", "{signed}", "{forged}", "B9999999999", "X"])
def test_verify_answers_as_the_view(api, certificate, code):
    number = certificate.number
    code = code.format(n=number, n_lower=number.lower(), signed=signing.signed_url(number),
                       forged=signing.signed_url(number).replace(number, number[:-1] + "9"))
    path = "/api/v1/public/verify/?" + urlencode({"code": code})

    fast = api.get(path)
    slow = _view(VerifyView, path)

    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert fast["Content-Type"] == slow["Content-Type"] == "application/json"
    assert fast["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware still applies


def test_a_scan_answers_as_the_view_and_counts_once(api, users):
    certificate = issuing.compliance_issue_one(actor=users["gx_applicant"], product_name="西红柿",
                                               category="vegetable", quantity="100", unit="公斤")
    path = f"/api/v1/public/compliance/{certificate.code}/?s={codes.sign(certificate.code)}"

    slow = json.loads(_view(PublicComplianceView, path, code=certificate.code).content)
    fast = api.get(path).json()

    assert fast["certificate"]["scan_count"] == slow["certificate"]["scan_count"] + 1 == 2
    fast["certificate"]["scan_count"] = slow["certificate"]["scan_count"]
    assert fast == slow
    certificate.refresh_from_db()
    assert certificate.scan_count == 2


def test_unusual_requests_fall_through_to_the_views(api, certificate, monkeypatch):
    assert api.get("/api/v1/public/verify/").json()["code"] == "invalid"
    assert api.get("/api/v1/public/verify/", {"code": "x" * 501}).status_code == 400
    assert api.get("/api/v1/public/verify/", {"code": "B\x001"}).status_code == 400
    # A POST is not a lookup: the view answers it (405).
    assert api.post("/api/v1/public/verify/", {"code": certificate.number}).status_code == 405
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "2/hour"})
    answers = [api.get("/api/v1/public/verify/", {"code": certificate.number}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["code"] == "throttled" and int(answers[-1]["Retry-After"]) > 0
