"""Oversight pages and API through HTTP: scope isolation, the public complaint form (no sign-in,
rate-limited) and the tracking page that shows the status only, counterfeit detection from the
market-check page, label files served only in scope, bad input refused with nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanpin.oversight import services
from sanpin.oversight.models import Complaint, FlightInspection, LabelFiling, MarkCase, MarketCheck, RiskProject

from .conftest import DAY, PNG

pytestmark = pytest.mark.django_db


def login(client, users, name):
    client.force_login(users[name])
    return client


def _complaint(certificate, **extra):
    values = {"product_name": "有机肥", "place": "南宁某市场", "description": "标志疑似假冒",
              "number_shown": certificate.number}
    values.update(extra)
    return services.complaint_submit(**values)


# --- public complaint pages -------------------------------------------------------------------------


def test_the_public_complaint_form_routes_and_gives_a_tracking_code(client, regions, certificate):
    page = client.get(reverse("oversight:complaint_new"))
    assert page.status_code == 200 and "举报" in page.content.decode()
    response = client.post(reverse("oversight:complaint_new"), {
        "product_name": "有机肥", "number_shown": certificate.number, "place": "南宁某市场",
        "description": "包装上的标志印刷模糊", "contact": "13800000000",
        "photo": SimpleUploadedFile("p.png", PNG)})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.region_id == "450000" and complaint.photo_type == "image/png"
    assert complaint.tracking_code in response.content.decode()


def test_the_public_form_refuses_bad_input_and_writes_nothing(client, regions):
    response = client.post(reverse("oversight:complaint_new"), {"product_name": "", "place": "x",
                                                                "description": "y", "number_shown": "NOPE"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写产品名称" in body
    response = client.post(reverse("oversight:complaint_new"), {"product_name": "a", "place": "x",
                                                                "description": "y", "number_shown": "NOPE"})
    assert response.status_code == 400 and "请选择受理地区" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_public_form_is_rate_limited(client, regions):
    data = {"product_name": "a", "place": "x", "description": "y", "region": "450000"}
    statuses = [client.post(reverse("oversight:complaint_new"), data).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert Complaint.objects.count() == 10


def test_the_tracking_page_shows_the_status_only(client, users, certificate):
    complaint = _complaint(certificate, contact="13800000000")
    services.complaint_close(actor=users["gx_province"], complaint=complaint, result="not_upheld",
                             findings="内部核查记录：经销商王某")
    response = client.get(reverse("oversight:complaint_track"), {"code": complaint.tracking_code})
    body = response.content.decode()
    assert response.status_code == 200
    assert "已办结" in body
    for secret in ("内部核查记录", "王某", "13800000000", "举报不属实", users["gx_province"].username):
        assert secret not in body
    assert client.get(reverse("oversight:complaint_track"), {"code": "JBNOTACODE"}).status_code == 404


def test_the_public_api_takes_a_complaint_and_answers_the_status(api, regions, certificate):
    response = api.post("/api/v1/public/complaints/", {"product_name": "有机肥", "place": "市场",
                                                       "description": "疑似假冒", "number_shown": certificate.number},
                        format="json")
    assert response.status_code == 201, response.json()
    code = response.json()["tracking_code"]
    assert response.json()["status"] == "received"
    assert Complaint.objects.get().region_id == "450000"
    status = api.get(f"/api/v1/public/complaints/{code}/").json()
    assert set(status) == {"tracking_code", "status", "status_label", "received_on", "closed_on", "region"}
    bad = api.post("/api/v1/public/complaints/", {"product_name": "x", "place": "y", "description": "z",
                                                  "region": "999999"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}
    assert "region" in bad.json()["fields"]
    assert api.get("/api/v1/public/complaints/NOPE/").status_code == 404
    assert Complaint.objects.count() == 1


# --- staff pages --------------------------------------------------------------------------------------


def test_complaints_are_seen_only_in_scope(client, api, users, certificate):
    complaint = _complaint(certificate)
    url = reverse("oversight:complaint", args=[complaint.pk])
    assert login(client, users, "gx_province").get(url).status_code == 200
    assert login(client, users, "sh_province").get(url).status_code == 404
    assert login(client, users, "gx_applicant").get(url).status_code == 403
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/oversight/complaints/").json()["count"] == 0
    api.force_authenticate(users["gx_province"])
    assert api.get("/api/v1/oversight/complaints/").json()["results"][0]["tracking_code"] == complaint.tracking_code


def test_staff_close_an_upheld_complaint_with_a_rectification(client, users, certificate):
    complaint = _complaint(certificate)
    login(client, users, "gx_province")
    response = client.post(reverse("oversight:complaint_close", args=[complaint.pk]),
                           {"result": "upheld", "findings": "属实", "rectify": "on", "cause": "mark_misuse"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rectification is not None
    page = client.get(reverse("oversight:complaint", args=[complaint.pk])).content.decode()
    assert complaint.rectification.number in page


def test_a_market_check_page_finds_a_counterfeit(client, users, regions, certificate):
    login(client, users, "nn_city")
    response = client.post(reverse("oversight:market_checks"), {
        "place": "南宁市某超市", "place_kind": "supermarket", "region": "450102", "checked_on": DAY.isoformat(),
        "inspectors": "张三"})
    assert response.status_code == 302
    check = MarketCheck.objects.get()
    response = client.post(reverse("oversight:market_check", args=[check.pk]), {
        "product_name": "有机肥", "seller": "3 号货架", "mark_scheme": "green_inputs",
        "number_shown": "LSSZ-45-0000000000", "label_ok": "on"}, follow=True)
    assert "假冒标志" in response.content.decode()
    case = MarkCase.objects.get()
    assert login(client, users, "sh_province").get(reverse("oversight:case", args=[case.pk])).status_code == 404
    assert login(client, users, "gx_province").get(reverse("oversight:market_figures")).status_code == 200


def test_a_market_check_outside_the_scope_is_refused_with_nothing_written(client, users, regions):
    login(client, users, "nn_city")
    response = client.post(reverse("oversight:market_checks"), {
        "place": "上海某超市", "place_kind": "supermarket", "region": "310101", "checked_on": DAY.isoformat(),
        "inspectors": "张三"})
    assert response.status_code == 400
    assert not MarketCheck.objects.exists()


def test_flight_inspections_stay_hidden_from_the_holder_until_recorded(client, api, users, certificate,
                                                                       qualified_inspector):
    login(client, users, "gx_province")
    response = client.post(reverse("oversight:flights"), {
        "certificate_number": certificate.number, "planned_on": DAY.isoformat(), "reason": "随机飞检",
        "inspectors": [qualified_inspector.pk]})
    assert response.status_code == 302
    inspection = FlightInspection.objects.get()
    login(client, users, "gx_applicant")
    assert client.get(reverse("oversight:flight", args=[inspection.pk])).status_code == 404
    assert inspection.number not in client.get(reverse("oversight:flights")).content.decode()
    api.force_authenticate(users["gx_applicant"])
    assert api.get("/api/v1/oversight/flight-inspections/").json()["count"] == 0

    login(client, users, "inspector")
    response = client.post(reverse("oversight:flight", args=[inspection.pk]), {
        "inspected_on": DAY.isoformat(), "findings": "未见异常", "conclusion": "pass"})
    assert response.status_code == 302
    login(client, users, "gx_applicant")
    assert client.get(reverse("oversight:flight", args=[inspection.pk])).status_code == 200
    assert api.get("/api/v1/oversight/flight-inspections/").json()["count"] == 1


def test_a_label_file_is_served_only_in_scope(client, users, certificate):
    login(client, users, "gx_applicant")
    response = client.post(reverse("oversight:labels"), {"certificate": certificate.pk,
                                                         "file": SimpleUploadedFile("l.png", PNG)})
    assert response.status_code == 302
    filing = LabelFiling.objects.get()
    url = reverse("oversight:label_file", args=[filing.pk])
    assert client.get(url).status_code == 200
    assert login(client, users, "gx_province").get(url).status_code == 200
    assert login(client, users, "sh_applicant").get(url).status_code == 404
    assert login(client, users, "sh_province").get(url).status_code == 404


def test_a_label_upload_that_is_not_an_image_writes_nothing(client, users, certificate):
    login(client, users, "gx_applicant")
    response = client.post(reverse("oversight:labels"), {"certificate": certificate.pk,
                                                         "file": SimpleUploadedFile("l.png", b"not a png")})
    assert response.status_code == 400
    assert not LabelFiling.objects.exists()


def test_risk_pages_and_api_are_scoped(client, api, users, regions, certificate):
    login(client, users, "gx_province")
    response = client.post(reverse("oversight:risk_projects"), {
        "year": 2025, "scheme": "green_inputs", "title": "重金属监测", "focus": "镉", "regions": ["450000"]})
    assert response.status_code == 302
    project = RiskProject.objects.get()
    response = client.post(reverse("oversight:risk_project", args=[project.pk]), {
        "certificate_number": certificate.number, "product_name": "有机肥", "sample_code": "S1",
        "sampled_on": DAY.isoformat(), "indicator": "镉", "value": "3.5", "unit": "mg/kg", "limit": "3",
        "finding": "exceeded"})
    assert response.status_code == 302
    record = project.records.get()
    response = client.post(reverse("oversight:risk_record", args=[record.pk]),
                           {"cause": "sampling_failed", "detail": "镉超标"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.rectification is not None
    assert login(client, users, "sh_province").get(reverse("oversight:risk_project", args=[project.pk])
                                                   ).status_code == 404
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/oversight/risk-records/").json()["count"] == 0
    api.force_authenticate(users["gx_province"])
    assert api.get("/api/v1/oversight/risk-records/").json()["results"][0]["finding"] == "exceeded"
    assert api.get("/api/v1/oversight/risk-projects/").json()["count"] == 1


def test_api_lists_refuse_roles_without_access(api, users):
    api.force_authenticate(users["gx_applicant"])
    for path in ("/api/v1/oversight/complaints/", "/api/v1/oversight/market-checks/",
                 "/api/v1/oversight/risk-projects/", "/api/v1/oversight/market-figures/"):
        assert api.get(path).status_code == 403, path
    assert api.get("/api/v1/oversight/label-filings/").status_code == 200


def test_home_and_portal_link(client, users):
    assert "oversight/report/" in client.get(reverse("portal:home")).content.decode()
    for name in ("gx_province", "gx_applicant", "inspector", "nn_city"):
        assert login(client, users, name).get(reverse("oversight:home")).status_code == 200
