"""A base's life cycle on the review engine: built to standard → acceptance (验收) by the level
that builds it → review (复核) by the level above → listed and published → yearly check → removed
with a cause, every change in the base's history and the audit trail [003 att.2 §5]."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sanpin.bases import services
from sanpin.bases.choices import BaseLevel, BaseStatus, CheckResult, RemovalCause, SamplingResult
from sanpin.bases.models import Base
from sanpin.certification.engine import application_create
from sanpin.certification.schemes import SCHEMES
from sanpin.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%base material\n"


@pytest.fixture(autouse=True)
def _holiday_notices(holidays):
    """Deadlines below count working days across the published holidays."""


def make_base(actor, entity, county, level=BaseLevel.DISTRICT, name="兴宁区沙田柚绿色食品原料基地"):
    return services.base_create(
        actor=actor, name=name, base_type="GF", level=level, operator=entity, county=county,
        products="沙田柚", varieties="沙田柚", area_mu="5200", output_tons="8000", location="兴宁区五塘镇",
        coverage="五塘镇 3 个行政村", techniques="绿色防控、测土配方施肥", responsible_person="黄建国")


class Flow:
    def __init__(self, api, people):
        self.api, self.people = api, people

    def as_(self, who):
        self.api.force_authenticate(self.people[who])
        return self

    def act(self, app_id, action, **fields):
        return self.api.post(f"/api/v1/applications/{app_id}/actions/", {"action": action, **fields}, format="json")

    def apply_and_submit(self, base, applicant):
        application = services.base_apply_for_listing(actor=self.people[applicant], base=base)
        self.as_(applicant)
        for kind in ("application_form", "production_rules"):
            uploaded = self.api.post(f"/api/v1/applications/{application.pk}/attachments/", {
                "kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf")}, format="multipart")
            assert uploaded.status_code == 201, uploaded.json()
        submitted = self.api.post(f"/api/v1/applications/{application.pk}/submit/")
        assert submitted.status_code == 200, submitted.json()
        return application.pk, submitted.json()


@pytest.fixture
def flow(api, people):
    return Flow(api, people)


def test_a_district_base_is_accepted_by_its_county_reviewed_by_its_city_listed_checked_and_removed(
        flow, people, gx_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    assert base.status == BaseStatus.BUILDING

    app_id, app = flow.apply_and_submit(base, "gx_applicant")
    assert app["state"] == "county_acceptance" and app["number"].startswith("JD2025")
    assert app["deadline"] == "2025-03-31"  # 20 working days
    # Only the base's own county accepts: the city may not, another county does not even see it
    assert flow.as_("nn_city").act(app_id, "pass", opinion="x").status_code == 403
    assert flow.as_("qx_county").act(app_id, "pass", opinion="x").status_code == 404

    # The county's page of the application offers the acceptance and links back to the base
    browser = Client()
    browser.force_login(people["xn_county"])
    page = browser.get(f"/certification/applications/{app_id}/").content.decode()
    assert "验收合格，报送复核" in page and f"/bases/{base.pk}/" in page

    on_day(date(2025, 3, 20))
    app = flow.as_("xn_county").act(app_id, "pass", opinion="现场验收合格").json()
    assert app["state"] == "city_review" and app["deadline"] == "2025-04-11"  # 15 wd, 4 April (Qingming) off
    # The level above reviews: the county may not review its own acceptance
    assert flow.as_("xn_county").act(app_id, "pass", opinion="x").status_code == 403

    on_day(date(2025, 4, 1))
    app = flow.as_("nn_city").act(app_id, "pass", opinion="复核通过").json()
    assert app["state"] == "completed"
    base.refresh_from_db()
    assert base.status == BaseStatus.LISTED and base.listed_on == date(2025, 4, 1)
    assert base.directory_number == "JD45202500001"

    # Yearly check with sampling, once a year
    check = services.base_record_check(actor=people["xn_county"], base=base, year=2025, checked_on=date(2025, 4, 1),
                                       result=CheckResult.PASSED, sampling=SamplingResult.PASSED)
    assert check.result == "passed"
    with pytest.raises(Exception, match="已登记"):
        services.base_record_check(actor=people["xn_county"], base=base, year=2025, checked_on=date(2025, 4, 1),
                                   result=CheckResult.PASSED)

    # Removal needs a cause and the facts; the county of another district may not remove it
    with pytest.raises(ValidationFailed):
        services.base_remove(actor=people["xn_county"], base=base, cause="", reason="")
    with pytest.raises(PermissionDenied):
        services.base_remove(actor=people["qx_county"], base=base, cause=RemovalCause.INCIDENT, reason="x")
    on_day(date(2025, 9, 1))
    services.base_remove(actor=people["xn_county"], base=base, cause=RemovalCause.INCIDENT,
                         reason="2025年8月抽检沙田柚检出禁用农药，发生重大质量安全事件")
    base.refresh_from_db()
    assert base.status == BaseStatus.REMOVED and base.removed_on == date(2025, 9, 1)
    history = list(base.status_changes.values_list("from_status", "to_status", "reference"))
    assert history == [("", "building", ""), ("building", "listed", app["number"]), ("listed", "removed", "")]
    verbs = set(AuditEvent.objects.filter(target_type="bases.base", target_id=str(base.pk))
                .values_list("verb", flat=True))
    assert {"base.create", "base.apply_for_listing", "base.list", "base.check", "base.remove"} <= verbs
    # A removed base cannot be listed again through a new application nor edited
    with pytest.raises(TransitionNotAllowed):
        services.base_apply_for_listing(actor=people["gx_applicant"], base=base)
    with pytest.raises(TransitionNotAllowed):
        services.base_remove(actor=people["xn_county"], base=base, cause=RemovalCause.VIOLATION, reason="x")


def test_each_level_of_base_goes_to_its_own_acceptance_and_review(flow, people, gx_entity, sh_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    # A provincial base: accepted by the county, reviewed by the province
    provincial = make_base(people["xn_county"], gx_entity, regions["450102"], BaseLevel.PROVINCIAL, "省级基地")
    app_id, _app = flow.apply_and_submit(provincial, "gx_applicant")
    assert flow.as_("xn_county").act(app_id, "pass", opinion="验收合格").json()["state"] == "provincial_review"
    assert flow.as_("nn_city").act(app_id, "pass", opinion="x").status_code == 403
    assert flow.as_("gx_province").act(app_id, "pass", opinion="复核通过").json()["state"] == "completed"

    # A national base: the county checks the declaration, the province accepts, the ministry reviews
    national = make_base(people["xn_county"], gx_entity, regions["450102"], BaseLevel.NATIONAL, "国家级基地")
    app_id, _app = flow.apply_and_submit(national, "gx_applicant")
    assert flow.as_("xn_county").act(app_id, "pass", opinion="初审").json()["state"] == "provincial_acceptance"
    assert flow.as_("gx_province").act(app_id, "pass", opinion="验收合格").json()["state"] == "national_review"
    assert flow.as_("gx_province").act(app_id, "pass", opinion="x").status_code == 403
    assert flow.as_("national").act(app_id, "pass", opinion="部级复核通过").json()["state"] == "completed"
    national.refresh_from_db()
    assert national.status == BaseStatus.LISTED and national.directory_number == "JD45202500002"
    # A national base is supervised by the province: a county may not remove it
    with pytest.raises(PermissionDenied):
        services.base_remove(actor=people["xn_county"], base=national, cause=RemovalCause.VIOLATION, reason="x")

    # A district base in a municipality with no city agency between: the province reviews
    sh_base = make_base(people["hp_county"], sh_entity, regions["310101"], BaseLevel.DISTRICT, "黄浦区蔬菜基地")
    app_id, _app = flow.apply_and_submit(sh_base, "sh_applicant")
    assert flow.as_("hp_county").act(app_id, "pass", opinion="验收合格").json()["state"] == "provincial_review"
    assert flow.as_("sh_province").act(app_id, "pass", opinion="复核通过").json()["state"] == "completed"
    sh_base.refresh_from_db()
    assert sh_base.directory_number == "JD31202500001"


def test_a_rejected_review_leaves_the_base_building_and_it_may_apply_again(flow, people, gx_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    app_id, _app = flow.apply_and_submit(base, "gx_applicant")
    # One open application at a time
    with pytest.raises(Exception, match="正在办理"):
        services.base_apply_for_listing(actor=people["gx_applicant"], base=base)
    assert flow.as_("xn_county").act(app_id, "pass", opinion="验收合格").status_code == 200
    app = flow.as_("nn_city").act(app_id, "reject", reason="标识牌未设立，生产记录不全").json()
    assert app["state"] == "rejection_notice"
    assert flow.as_("nn_city").act(app_id, "send_notice", opinion="已书面通知").json()["state"] == "rejected"
    base.refresh_from_db()
    assert base.status == BaseStatus.BUILDING and base.directory_number == ""
    again = services.base_apply_for_listing(actor=people["gx_applicant"], base=base)
    assert again.pk != app_id


def test_only_the_operator_applies_and_only_from_the_base(people, gx_entity, sh_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    with pytest.raises(PermissionDenied):
        services.base_apply_for_listing(actor=people["sh_applicant"], base=base)
    with pytest.raises(PermissionDenied):
        services.base_apply_for_listing(actor=people["xn_county"], base=base)
    # The new-application page does not offer it, even when asked for it by name
    browser = Client()
    browser.force_login(people["gx_applicant"])
    page = browser.get("/certification/applications/new/?scheme=base")
    assert page.status_code == 200 and "优质农产品生产基地" not in page.content.decode()
    # The generic application form cannot start a base listing that names no base
    with pytest.raises(ValidationFailed):
        application_create(actor=people["gx_applicant"], scheme="base", kind="initial", entity=gx_entity,
                           products=[{"name": "x", "category": "GF", "approved_output": "1"}])


def test_base_data_is_checked_once_for_every_entry_path(people, gx_entity, regions):
    with pytest.raises(ValidationFailed) as refused:
        services.base_create(actor=people["xn_county"], name="", base_type="X", level="国家级", operator="91450000XXXX",
                             county="999999", products="", area_mu="abc", output_tons="-1", location="",
                             longitude="200")
    fields = refused.value.fields
    assert set(fields) >= {"name", "base_type", "operator", "county", "products", "area_mu", "output_tons",
                           "location", "longitude"}
    assert "level" not in fields  # a label is as good as its code
    make_base(people["xn_county"], gx_entity, regions["450102"])
    with pytest.raises(ValidationFailed) as duplicate:
        make_base(people["xn_county"], gx_entity, regions["450102"])
    assert "已有名为" in duplicate.value.fields["name"][0]
    # A county enters only its own bases
    with pytest.raises(PermissionDenied):
        make_base(people["qx_county"], gx_entity, regions["450102"], name="另一个基地")
    assert Base.objects.count() == 1
    assert Base.objects.get().area_mu == Decimal("5200.00")


def test_the_listing_workflow_table_is_complete():
    config = SCHEMES["base"]
    for state, _action, target in config.transitions():
        assert state in config.steps
        assert target in config.steps or target in {"completed", "rejected", "withdrawn", "supplement", "@resume"}
