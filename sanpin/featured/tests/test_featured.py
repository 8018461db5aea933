"""全国名特优新农产品: the review from draft to listing with every working-day deadline (county →
city → province → national centre → experts → conclusion → publicity → listing), agency levels
enforced, and the life of a listing — annual confirmation, removal by the daily job, the quality
test every three years and free nutrition-quality evaluations [002 §3(3), SPEC §10]."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.models import ExpertProfile, system_user
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
from sanpin.certificates.models import Certificate, CertificateChange
from sanpin.certificates.services import certificate_issue, validity_end
from sanpin.certification.models import Application, Notice
from sanpin.certification.schemes import SCHEMES
from sanpin.certification.services import daily
from sanpin.core.models import AuditEvent
from sanpin.featured import services
from sanpin.featured.models import AnnualConfirmation, QualityTest
from sanpin.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test material\n"
CONDITIONS = {
    "applicant_conditions": {"legal_entity": True, "local_origin": True, "quality_safe": True},
    "product_conditions": {"edible_primary": True, "stable_output": True, "quality_feature": True},
}


@pytest.fixture
def people(users, regions, holidays):
    """The demo users plus a county bureau (兴宁区, where the applicant is) with its staff, and an
    expert pool able to review 'other' products."""
    county = AgencyFactory(name="南宁市兴宁区农业农村局", level=AgencyLevel.COUNTY, region=regions["450102"])
    other_county = AgencyFactory(name="南宁市青秀区农业农村局", level=AgencyLevel.COUNTY, region=regions["450103"])
    experts = [users["expert"]] + [UserFactory(username=f"fexpert{i}", roles=[Role.EXPERT]) for i in range(2, 5)]
    for expert in experts:
        ExpertProfile.objects.create(user=expert, specialties=["other"])
    return {
        **users,
        "xn_county": UserFactory(username="xn_county", roles=[Role.LOCAL_STAFF], agency=county),
        "qx_county": UserFactory(username="qx_county", roles=[Role.LOCAL_STAFF], agency=other_county),
        "experts": experts,
    }


class Api:
    def __init__(self, api, people):
        self.api, self.people = api, people

    def as_(self, who):
        self.api.force_authenticate(self.people[who] if isinstance(who, str) else who)
        return self

    def act(self, app_id, action, **fields):
        return self.api.post(f"/api/v1/applications/{app_id}/actions/", {"action": action, **fields}, format="json")

    def upload(self, app_id, kind):
        return self.api.post(f"/api/v1/applications/{app_id}/attachments/",
                             {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf")},
                             format="multipart")


@pytest.fixture
def client_(api, people):
    return Api(api, people)


def submitted(c, entity, on_day, day=date(2025, 3, 3)):
    on_day(day)
    created = c.as_("gx_applicant").api.post("/api/v1/applications/", {
        "scheme": "featured", "kind": "initial", "entity": entity.pk, "data": CONDITIONS,
        "products": [{"name": "兴宁沙田柚", "category": "03", "approved_output": "800", "output_unit": "吨"}],
    }, format="json")
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    for kind in ("application_form", "business_licence"):
        assert c.upload(app_id, kind).status_code == 201
    app = c.api.post(f"/api/v1/applications/{app_id}/submit/").json()
    assert app["state"] == "county_review", app
    return app_id, app


def test_from_draft_to_listing_with_every_deadline(client_, people, gx_entity, regions, on_day,
                                                   django_capture_on_commit_callbacks):
    c = client_
    # Submitted on Monday 3 March 2025: the county has 20 working days for its review and test
    app_id, app = submitted(c, gx_entity, on_day)
    assert re.fullmatch(r"MT2025\d{6}", app["number"])
    assert app["deadline"] == "2025-03-31"

    # A city user cannot act at the county step, nor a county bureau of another district (404)
    assert c.as_("nn_city").act(app_id, "pass", opinion="x").status_code == 403
    assert c.as_("qx_county").act(app_id, "pass", opinion="x").status_code == 404
    # The county must upload the lab's quality test report before passing it on
    on_day(date(2025, 3, 10))
    refused = c.as_("xn_county").act(app_id, "pass", opinion="品质检测合格")
    assert refused.status_code == 400 and "品质检测报告" in refused.json()["message"]
    assert c.upload(app_id, "test_report").status_code == 201
    # The county's page offers the action
    browser = Client()
    browser.force_login(people["xn_county"])
    page = browser.get(f"/certification/applications/{app_id}/")
    assert page.status_code == 200 and "品质检测合格，初审通过，报送市级" in page.content.decode()
    c.as_("xn_county")
    app = c.act(app_id, "pass", opinion="农产品质量检测中心检测合格，初审通过").json()
    assert app["state"] == "city_review" and app["deadline"] == "2025-03-24"

    # The city (10 working days); the county may not act for it
    assert c.as_("xn_county").act(app_id, "pass", opinion="x").status_code == 403
    on_day(date(2025, 3, 14))
    app = c.as_("nn_city").act(app_id, "pass", opinion="市级审核通过").json()
    assert app["state"] == "provincial_review" and app["deadline"] == "2025-03-28"

    # The province (10), then the national centre (15, Qingming 4–6 April off)
    on_day(date(2025, 3, 21))
    app = c.as_("gx_province").act(app_id, "pass", opinion="省级审核通过").json()
    assert app["state"] == "national_check" and app["deadline"] == "2025-04-14"
    on_day(date(2025, 4, 1))
    app = c.as_("national").act(app_id, "pass", opinion="复核通过").json()
    assert app["state"] == "expert_review" and app["deadline"] == "2025-04-23"

    # A panel of three, none from the applicant's county; the last opinion moves it on
    panel = c.act(app_id, "draw_experts", experts={"specialty": "other", "size": 3})
    assert panel.status_code == 200, panel.json()
    assigned = [a["user"] for a in panel.json()["current_step"]["assignees"]]
    assert len(assigned) == 3
    on_day(date(2025, 4, 10))
    for username in assigned:
        expert = next(u for u in people["experts"] if u.username == username)
        app = c.as_(expert).act(app_id, "submit_expert_opinion", opinion="品质特征明显", favourable=True).json()
    assert app["state"] == "review_conclusion" and app["deadline"] == "2025-04-24"

    # Conclusion, then a public notice of 5 working days (Sunday 27 April is a make-up working day)
    on_day(date(2025, 4, 21))
    app = c.as_("national").act(app_id, "publish", opinion="评审通过，予以公示").json()
    assert app["state"] == "publicity" and app["deadline"] == "2025-04-27"
    on_day(date(2025, 4, 25))
    early = c.act(app_id, "no_objection", opinion="无异议")
    assert early.status_code == 400 and "公示期至 2025-04-27" in early.json()["message"]
    on_day(date(2025, 4, 27))
    app = c.act(app_id, "no_objection", opinion="公示期满无异议").json()
    assert app["state"] == "listing"

    # Listing: a CAQS-MTYX number and the first annual confirmation due a year later
    on_day(date(2025, 4, 28))
    with django_capture_on_commit_callbacks(execute=True):
        app = c.act(app_id, "issue_licence").json()
    assert app["state"] == "issued"
    number = app["products"][0]["certificate"]
    assert number == "CAQS-MTYX-20250001"
    listing = Certificate.objects.get(number=number)
    assert listing.scheme == "featured" and listing.valid_until == date(2026, 4, 27)
    assert listing.reference == app["number"]
    # The county's quality test during the review counts as the first one
    from sanpin.featured.selectors import last_quality_test_on

    assert last_quality_test_on(listing) == date(2025, 3, 10)
    verbs = set(AuditEvent.objects.filter(target_type="certification.application").values_list("verb", flat=True))
    assert {"application.submit", "application.pass", "application.no_objection",
            "application.issue_licence"} <= verbs


def test_each_level_returns_for_supplement_or_rejects_with_a_written_notice(client_, people, gx_entity, on_day):
    c = client_
    app_id, _app = submitted(c, gx_entity, on_day)
    assert c.as_("xn_county").upload(app_id, "test_report").status_code == 201
    # The county asks for a supplement: its clock stops and resumes with the days left
    on_day(date(2025, 3, 10))
    app = c.as_("xn_county").act(app_id, "request_supplement", reason="请补充产地证明").json()
    assert app["state"] == "supplement"
    app = c.as_("gx_applicant").act(app_id, "answer_supplement", opinion="已补充").json()
    assert app["state"] == "county_review" and app["deadline"] == "2025-03-31"
    assert c.as_("xn_county").act(app_id, "pass", opinion="初审通过").status_code == 200
    # The city rejects: a written notice within 10 working days
    on_day(date(2025, 3, 14))
    app = c.as_("nn_city").act(app_id, "reject", reason="产品无明显地域特色").json()
    assert app["state"] == "rejection_notice" and app["deadline"] == "2025-03-28"
    app = c.as_("nn_city").act(app_id, "send_notice", opinion="书面通知已送达").json()
    assert app["state"] == "rejected"
    assert "地域特色" in Notice.objects.get(application_id=app_id).reasons


def test_an_objection_upheld_during_publicity_ends_with_a_notice(client_, people, gx_entity, on_day):
    c = client_
    app_id, _app = submitted(c, gx_entity, on_day)
    application = Application.objects.get(pk=app_id)
    application.state = "publicity"  # the earlier steps are walked above; start here
    application.save(update_fields=["state"])
    application.steps.update(code="publicity")
    app = c.as_("national").act(app_id, "objection_upheld", reason="公示期间收到异议：产量不实，经核查属实").json()
    assert app["state"] == "rejection_notice"


def test_the_documented_diagram_is_the_configured_workflow():
    from pathlib import Path

    from sanpin.certification.diagram import mermaid

    doc = (Path(__file__).resolve().parents[3] / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert mermaid(SCHEMES["featured"]) in doc, "docs/workflow.md is out of date: regenerate the featured diagram"


# --- the life of a listing ----------------------------------------------------------------------------


def listed(holder, regions, *, approved_on=date(2025, 4, 28), tested_on=date(2025, 3, 10), actor=None):
    """A listing as the engine issues it, with its quality test recorded."""
    certificate = certificate_issue(
        actor=system_user(), scheme="featured", holder=holder, product_name="兴宁沙田柚", category="03", trademark="",
        approved_output=Decimal("800"), output_unit="吨", approved_on=approved_on, valid_from=approved_on,
        valid_until=validity_end(approved_on, 1), province=regions["450000"],
    )
    if tested_on:
        QualityTest.objects.create(certificate=certificate, lab="广西农产品质量检测中心", tested_on=tested_on,
                                   passed=True, conclusion="合格", report_number="GX-2025-001",
                                   recorded_by=actor or system_user())
    return certificate


def test_annual_confirmation_moves_the_due_date_on_by_a_year(api, people, gx_entity, regions, on_day):
    listing = listed(gx_entity, regions)
    url = f"/api/v1/featured/listings/{listing.number}/confirmations/"
    body = {"still_producing": True, "output": "760", "output_unit": "吨", "changes": "新增基地 200 亩"}
    # Too early: the window opens 90 days before the due date
    on_day(date(2026, 1, 10))
    api.force_authenticate(people["gx_applicant"])
    early = api.post(url, body, format="json")
    assert early.status_code == 400 and "2026-01-27" in early.json()["message"]
    # Within the window the holder confirms; a second submission waits for the first
    on_day(date(2026, 3, 1))
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert api.post(url, body, format="json").status_code == 409
    confirmation_id = response.json()["id"]
    assert Notification.objects.filter(recipient=people["gx_province"], title__contains=listing.number).exists()

    # The holder cannot decide; another province cannot see it; the city cannot either
    decision_url = f"/api/v1/featured/confirmations/{confirmation_id}/decision/"
    assert api.post(decision_url, {"decision": "confirm", "opinion": "x"}, format="json").status_code == 403
    api.force_authenticate(people["sh_province"])
    assert api.post(decision_url, {"decision": "confirm", "opinion": "x"}, format="json").status_code == 404
    api.force_authenticate(people["nn_city"])
    assert api.post(decision_url, {"decision": "confirm", "opinion": "x"}, format="json").status_code == 403

    # The province confirms: the due date moves on by a year, with a change record and audit
    api.force_authenticate(people["gx_province"])
    assert api.get("/api/v1/featured/confirmations/?status=submitted").json()["count"] == 1
    decided = api.post(decision_url, {"decision": "confirm", "opinion": "仍正常生产，予以确认"}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["new_valid_until"] == "2027-04-27"
    listing.refresh_from_db()
    assert listing.valid_until == date(2027, 4, 27)
    change = CertificateChange.objects.get(certificate=listing)
    assert change.old == {"valid_until": "2026-04-27"} and change.new == {"valid_until": "2027-04-27"}
    assert AuditEvent.objects.filter(verb="certificate.extend").exists()
    assert AuditEvent.objects.filter(verb="featured.confirmation_decide").exists()
    assert api.post(decision_url, {"decision": "confirm", "opinion": "x"}, format="json").status_code == 409
    # The listing shows it
    detail = api.get(f"/api/v1/featured/listings/{listing.number}/").json()
    assert detail["confirmation_due_on"] == "2027-04-27" and detail["confirmations"][0]["status"] == "confirmed"


def test_a_listing_not_confirmed_by_its_date_is_removed_by_the_daily_job_with_a_notice(people, gx_entity, regions,
                                                                                      on_day):
    on_day(date(2025, 4, 28))
    listing = listed(gx_entity, regions)  # due 2026-04-27
    kept = listed(gx_entity, regions)
    # The holder of the second one confirmed in time; the province has not decided yet
    on_day(date(2026, 4, 20))
    services.confirmation_submit(actor=people["gx_applicant"], certificate=kept, still_producing=True,
                                 output="700", output_unit="吨")

    # Reminders at 60 and 30 days before, once each (the second listing has already confirmed)
    assert services.featured_daily(today=date(2026, 2, 26)) == {"confirmation_reminders": 1, "removed": 0}
    assert services.featured_daily(today=date(2026, 2, 27)) == {"confirmation_reminders": 0, "removed": 0}
    assert services.featured_daily(today=date(2026, 3, 28))["confirmation_reminders"] == 1
    # On the due date itself nothing is removed
    assert services.featured_daily(today=date(2026, 4, 27))["removed"] == 0

    # The day after, through the one daily job, the unconfirmed listing is removed and the holder told
    on_day(date(2026, 4, 28))
    result = daily(today=date(2026, 4, 28))
    assert result["featured"]["removed"] == 1
    listing.refresh_from_db()
    kept.refresh_from_db()
    assert listing.status == "revoked" and kept.status == "valid"
    change = listing.status_changes.last()
    assert change.to_status == "revoked" and change.reason == "未按期年度确认，退出名录"
    assert Notification.objects.filter(recipient=people["gx_applicant"], title=f"已退出名录：{listing.number}").exists()
    # Idempotent
    assert services.featured_daily(today=date(2026, 4, 29))["removed"] == 0
    # A removed listing cannot be confirmed any more
    with pytest.raises(Exception, match="退出名录"):
        services.confirmation_submit(actor=people["gx_applicant"], certificate=listing, still_producing=True,
                                     output="1", output_unit="吨")


def test_a_quality_test_older_than_three_years_blocks_the_confirmation(api, people, gx_entity, regions, on_day):
    listing = listed(gx_entity, regions, approved_on=date(2025, 4, 28), tested_on=date(2025, 3, 10))
    # Confirmed for 2026 and 2027 (tests were current), now due 2028-04-27
    for day in (date(2026, 3, 1), date(2027, 3, 1)):
        on_day(day)
        confirmation = services.confirmation_submit(actor=people["gx_applicant"], certificate=listing,
                                                    still_producing=True, output="800", output_unit="吨")
        services.confirmation_decide(actor=people["gx_province"], confirmation=confirmation, confirm=True,
                                     opinion="予以确认")
        listing.refresh_from_db()
    assert listing.valid_until == date(2028, 4, 27)

    on_day(date(2028, 3, 15))  # the last test, 2025-03-10, is more than three years old
    api.force_authenticate(people["gx_applicant"])
    url = f"/api/v1/featured/listings/{listing.number}/confirmations/"
    body = {"still_producing": True, "output": "800", "output_unit": "吨"}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("最近一次品质检测为 2025-03-10，已超过 3 年")
    assert "quality_test" in refused.json()["fields"]

    # The county records a new test (report file), and the confirmation goes through
    api.force_authenticate(people["xn_county"] if "xn_county" in people else people["nn_city"])
    recorded = api.post(f"/api/v1/featured/listings/{listing.number}/quality-tests/", {
        "lab": "广西农产品质量检测中心", "tested_on": "2028-03-15", "passed": True, "conclusion": "各项指标合格",
        "report_file": SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
    }, format="multipart")
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["has_report_file"]
    api.force_authenticate(people["gx_applicant"])
    assert api.post(url, body, format="json").status_code == 201
    # The holder cannot record tests
    assert api.post(f"/api/v1/featured/listings/{listing.number}/quality-tests/", {
        "lab": "x", "tested_on": "2028-03-15", "passed": True, "conclusion": "x", "report_number": "1",
    }, format="json").status_code == 403


def test_nutrition_evaluation_is_free_in_a_priority_county(api, people, gx_entity, sh_entity, regions, on_day):
    on_day(date(2025, 6, 1))
    listing = listed(gx_entity, regions)
    body = {"lab": "农业农村部农产品质量安全中心", "evaluated_on": "2025-05-20",
            "conclusion": "维生素C含量高于同类产品",
            "indicators": [{"name": "维生素C", "value": "35.2", "unit": "mg/100g"},
                           {"name": "可溶性固形物", "value": "12.5", "unit": "%"}]}
    url = f"/api/v1/featured/listings/{listing.number}/nutrition-evaluations/"
    api.force_authenticate(people["gx_province"])
    paid = api.post(url, body, format="json")
    assert paid.status_code == 201, paid.json()
    assert paid.json()["free"] is False

    regions["450102"].key_assistance_county = True
    regions["450102"].save(update_fields=["key_assistance_county"])
    free = api.post(url, body, format="json").json()
    assert free["free"] is True and free["free_basis"] == "国家乡村振兴重点帮扶县"
    assert len(free["indicators"]) == 2
    missing = api.post(url, {**body, "indicators": []}, format="json")
    assert missing.status_code == 400

    # Shanghai staff do not find the Guangxi listing
    api.force_authenticate(people["sh_province"])
    assert api.get(url).status_code == 404


def test_pages_for_the_holder_and_for_staff(client, people, gx_entity, regions, on_day):
    listing = listed(gx_entity, regions)
    on_day(date(2026, 3, 1))
    client.force_login(people["gx_applicant"])
    # The application wizard offers the scheme with its own categories and conditions
    wizard = client.get("/certification/applications/new/?scheme=featured").content.decode()
    assert "果品" in wizard and "具有明显的地域特色" in wizard
    page = client.get(f"/featured/{listing.number}/")
    assert page.status_code == 200 and "提交年度确认" in page.content.decode()
    response = client.post(f"/featured/{listing.number}/confirm/", {
        "still_producing": "on", "output": "780", "output_unit": "吨", "changes": ""})
    assert response.status_code == 302
    assert AnnualConfirmation.objects.filter(certificate=listing, status="submitted").exists()

    client.force_login(people["gx_province"])
    queue = client.get("/featured/confirmations/")
    assert queue.status_code == 200 and listing.number in queue.content.decode()
    due = client.get("/featured/?due=1")
    assert listing.number in due.content.decode()
    confirmation = AnnualConfirmation.objects.get(certificate=listing)
    client.post(f"/featured/confirmations/{confirmation.pk}/decide/", {"decision": "confirm", "opinion": "予以确认"})
    listing.refresh_from_db()
    assert listing.valid_until == date(2027, 4, 27)
    # Staff of another province get 404
    client.force_login(people["sh_province"])
    assert client.get(f"/featured/{listing.number}/").status_code == 404


def test_county_and_city_staff_find_their_steps_in_tasks_and_are_told(client_, people, gx_entity, on_day):
    """The steps of a county or city bureau reach its own staff: 我的待办 and a notification, and
    nobody at the other level or in another district."""
    from sanpin.certification.selectors import my_tasks
    from sanpin.notifications.models import Notification

    app_id, _app = submitted(client_, gx_entity, on_day)
    county_tasks = [s.application_id for s in my_tasks(people["xn_county"])]
    assert county_tasks == [app_id]
    assert not my_tasks(people["qx_county"]).exists() and not my_tasks(people["nn_city"]).exists()
    assert Notification.objects.filter(recipient=people["xn_county"]).exists()
    assert not Notification.objects.filter(recipient=people["qx_county"]).exists()

    client_.as_("xn_county").upload(app_id, "test_report")
    client_.as_("xn_county").act(app_id, "pass", opinion="品质检测合格")
    assert [s.application_id for s in my_tasks(people["nn_city"])] == [app_id]
    assert not my_tasks(people["xn_county"]).exists()
    assert Notification.objects.filter(recipient=people["nn_city"]).exists()
