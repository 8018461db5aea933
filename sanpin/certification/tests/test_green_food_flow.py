"""Green food (绿色食品标志管理办法 Art. 9–18) through the API: from draft to certificate with every
working-day limit, the lab's two reports, the stricter review for parallel production, the
trademark flag, fees waived in a 脱贫县, numbers (LB product numbers, the GF enterprise code kept
for life) and renewal three months before expiry."""

import re
from datetime import date
from decimal import Decimal

import pytest

from sanpin.accounts.choices import QualificationKind
from sanpin.accounts.models import ExpertProfile, InspectorQualification, LabDesignation
from sanpin.catalog.models import Trademark
from sanpin.certificates.models import Certificate
from sanpin.certification.choices import FeeItem, WaiverCondition
from sanpin.certification.models import Application, FeeSchedule, FeeWaiverRule

pytestmark = pytest.mark.django_db

CONDITIONS = {
    "applicant_conditions": {c: True for c in ("independent_liability", "stable_base", "quality_system",
                                               "management_system", "technical_staff", "no_violation_3y",
                                               "not_barred")},
    "product_conditions": {c: True for c in ("approved_category", "environment_standard", "input_rules",
                                             "product_standard", "packaging_standard")},
}
MATERIALS = ("application_form", "business_licence", "quality_system", "production_rules", "base_proof")
RICE = {"name": "绿源牌香米", "category": "01", "trademark": "绿源", "approved_output": "800", "output_unit": "吨"}


@pytest.fixture
def green_food(world, gx_entity, regions):
    InspectorQualification.objects.create(
        user=world["inspector"], kind=QualificationKind.GREEN_FOOD_INSPECTOR, number="LSJC-450000-0001",
        province=regions["450000"], valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31))
    LabDesignation.objects.create(lab=world["lab"], scheme="green_food", tests=["routine", "environment"],
                                  valid_from=date(2024, 1, 1), valid_until=date(2029, 12, 31))
    for expert in world["experts"]:
        ExpertProfile.objects.filter(user=expert).update(specialties=["crops"])
    for item, amount in ((FeeItem.REVIEW, "6400"), (FeeItem.MARK_USE, "800")):
        FeeSchedule.objects.create(scheme="green_food", item=item, amount=Decimal(amount),
                                   effective_from=date(2020, 1, 1), source="测试收费标准")
    FeeWaiverRule.objects.create(scheme="green_food", items=[FeeItem.REVIEW, FeeItem.MARK_USE],
                                 condition=WaiverCondition.POVERTY_EXIT, years_after_exit=5, reduction_percent=100,
                                 effective_from=date(2021, 1, 1), source="001 §4")
    Trademark.objects.create(entity=gx_entity, name="绿源", registration_no="12345678")
    return world


def draft(drive, entity, products=(RICE,), data=None, kind="initial", certificate=None):
    response = drive.as_("gx_applicant").create(entity, scheme="green_food", products=list(products),
                                                data={**CONDITIONS, **(data or {})}, kind=kind,
                                                certificate=certificate)
    assert response.status_code == 201, response.json()
    return response.json()


def submit(drive, app_id, materials=MATERIALS):
    drive.upload_required(app_id, materials)
    response = drive.submit(app_id)
    assert response.status_code == 200, response.json()
    return response.json()


def through_testing(drive, app_id, on_day):
    """Accepted, inspected and tested on fixed days; returns the application at its preliminary opinion."""
    on_day(date(2025, 10, 9))
    drive.as_("gx_province").act(app_id, "accept", opinion="材料齐全，予以受理")
    drive.as_("gx_province").act(app_id, "assign_inspector", inspector=drive.world["inspector"].pk)
    drive.as_("inspector").act(app_id, "submit_inspection_report", opinion="生产期内现场检查，产地环境符合要求")
    on_day(date(2025, 10, 20))
    drive.as_("gx_province").act(app_id, "pass", opinion="现场检查合格，已抽样")
    drive.as_("gx_applicant").act(app_id, "assign_test_lab", lab=drive.world["lab"].pk,
                                  lab_tests=["routine", "environment"])
    on_day(date(2025, 11, 14))
    drive.as_("lab_user").act(app_id, "submit_product_report", opinion="各项指标符合 NY/T 419", favourable=True)
    drive.as_("lab_user").act(app_id, "submit_environment_report", opinion="产地环境符合 NY/T 391", favourable=True)
    on_day(date(2025, 11, 24))
    app = drive.as_("gx_province").act(app_id, "pass", opinion="检测合格").json()
    assert app["state"] == "preliminary_opinion"
    return app


def test_a_green_food_certificate_from_draft_to_issue(drive, green_food, gx_entity, on_day):
    # A registered trademark and no parallel production: nothing to flag
    on_day(date(2025, 9, 30))
    app = draft(drive, gx_entity)
    assert app["review_flags"] == []
    app = submit(drive, app["id"])

    # Acceptance: 10 working days, National Day off and 10-11 worked (Art. 12)
    assert re.fullmatch(r"LS2025\d{6}", app["number"])
    assert app["state"] == "acceptance" and app["deadline"] == "2025-10-21"
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {"review": "6400.00", "mark_use": "800.00"}

    # Site inspection during the production period has no fixed limit; only a green-food inspector
    on_day(date(2025, 10, 9))
    app = drive.as_("gx_province").act(app["id"], "accept", opinion="材料齐全，予以受理").json()
    assert app["state"] == "site_inspection" and app["deadline"] is None
    assert drive.as_("gx_province").act(app["id"], "pass", opinion="x").status_code == 400  # no report yet
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=green_food["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="产地环境和投入品使用符合要求")

    # Testing: the step runs 30 working days (environment monitoring); the product report is due in 20
    on_day(date(2025, 10, 20))
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="现场检查合格，已抽样").json()
    assert app["state"] == "testing" and app["deadline"] == "2025-12-01"
    # The applicant entrusts the lab (Art. 13); the province cannot do it for them
    assert drive.as_("gx_province").act(app["id"], "assign_test_lab", lab=green_food["lab"].pk,
                                        lab_tests=["routine"]).status_code == 403
    assigned = drive.as_("gx_applicant").act(app["id"], "assign_test_lab", lab=green_food["lab"].pk,
                                             lab_tests=["routine", "environment"]).json()
    lab = assigned["current_step"]["assignees"][0]
    assert lab["lab"] == green_food["lab"].name
    assignment = Application.objects.get(pk=app["id"]).steps.last().assignments.get(role="lab")
    assert assignment.details["product_due"] == "2025-11-17"
    assert assignment.details["environment_due"] == "2025-12-01"
    # Both reports before the province moves on; a product report after its 20 days is marked late
    drive.as_("lab_user").act(app["id"], "submit_environment_report", opinion="符合 NY/T 391", favourable=True)
    assert drive.as_("gx_province").act(app["id"], "pass", opinion="x").status_code == 400
    on_day(date(2025, 11, 18))
    drive.as_("lab_user").act(app["id"], "submit_product_report", opinion="符合 NY/T 419", favourable=True)
    assignment.refresh_from_db()
    assert assignment.details["product_report"]["late"] is True
    assert assignment.details["environment_report"]["late"] is False

    # Preliminary opinion: 20 working days from the reports (Art. 14)
    on_day(date(2025, 11, 24))
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="检测合格").json()
    assert app["state"] == "preliminary_opinion" and app["deadline"] == "2025-12-22"

    # No parallel production: straight to the centre's written review, 30 working days (Art. 15);
    # New Year 2026 is 1–3 January off, Sunday 4 January worked
    on_day(date(2025, 12, 1))
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="初审合格，报送中心").json()
    assert app["state"] == "national_review" and app["deadline"] == "2026-01-13"

    # Expert review 20 working days (Art. 15), decision 5 (Art. 16)
    on_day(date(2026, 1, 5))
    app = drive.as_("national").act(app["id"], "pass", opinion="书面审查合格").json()
    assert app["state"] == "expert_review" and app["deadline"] == "2026-02-02"
    panel = drive.as_("national").act(app["id"], "draw_experts", experts={"specialty": "crops", "size": 3}).json()
    step = Application.objects.get(pk=app["id"]).steps.last()
    for assignee in panel["current_step"]["assignees"]:
        user = step.assignments.get(user__username=assignee["user"]).user
        app = drive.as_(user).act(app["id"], "submit_expert_opinion", opinion="同意", favourable=True).json()
    assert app["state"] == "decision" and app["deadline"] == "2026-01-12"

    # Decision, contract, fees, certificate
    for action in ("approve", "sign_contract", "confirm_payment"):
        app = drive.as_("national").act(app["id"], action, opinion="同意").json()
    on_day(date(2026, 1, 9))
    app = drive.as_("national").act(app["id"], "issue_licence").json()
    assert app["state"] == "issued"

    # LB-CC-YYMMPP + 5-digit serial + A, Guangxi being 20; valid three years
    certificate = Certificate.objects.get(number=app["products"][0]["certificate"])
    assert re.fullmatch(r"LB-01-260120\d{5}A", certificate.number)
    assert (certificate.valid_from, certificate.valid_until) == (date(2026, 1, 9), date(2029, 1, 8))
    # The holder gets its enterprise information code: GF + county + year of first certificate + serial
    gx_entity.refresh_from_db()
    assert re.fullmatch(r"GF4501022600\d{2}", gx_entity.green_food_code)


def test_parallel_production_adds_the_stricter_review_and_is_flagged_while_drafting(drive, green_food, gx_entity,
                                                                                     on_day):
    on_day(date(2025, 9, 30))
    app = draft(drive, gx_entity, products=[{**RICE, "trademark": "桂香"}], data={"parallel_production": True})
    flags = " ".join(app["review_flags"])
    assert "桂香" in flags and "注册商标" in flags  # the trademark is not one of the entity's
    assert "平行生产" in flags
    app = submit(drive, app["id"])
    through_testing(drive, app["id"], on_day)
    on_day(date(2025, 12, 1))
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="初审合格").json()
    assert app["state"] == "stricter_review"
    assert drive.as_("gx_province").act(app["id"], "pass", opinion="x").status_code == 403
    app = drive.as_("national").act(app["id"], "pass", opinion="区分管理措施有效").json()
    assert app["state"] == "national_review"


def test_a_failing_lab_report_cannot_be_passed_and_ends_in_a_written_notice(drive, green_food, gx_entity, on_day):
    on_day(date(2025, 9, 30))
    app = submit(drive, draft(drive, gx_entity)["id"])
    on_day(date(2025, 10, 9))
    drive.as_("gx_province").act(app["id"], "accept", opinion="受理")
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=green_food["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="符合")
    drive.as_("gx_province").act(app["id"], "pass", opinion="已抽样")
    drive.as_("gx_applicant").act(app["id"], "assign_test_lab", lab=green_food["lab"].pk,
                                  lab_tests=["routine", "environment"])
    drive.as_("lab_user").act(app["id"], "submit_product_report", opinion="毒死蜱超标", favourable=False)
    drive.as_("lab_user").act(app["id"], "submit_environment_report", opinion="符合", favourable=True)
    refused = drive.as_("gx_province").act(app["id"], "pass", opinion="x")
    assert refused.status_code == 400 and "不合格" in str(refused.json())
    app = drive.as_("gx_province").act(app["id"], "fail", reason="产品检验不合格：毒死蜱超标").json()
    assert app["state"] == "rejection_notice"
    app = drive.as_("national").act(app["id"], "send_notice", opinion="书面通知申请人").json()
    assert app["state"] == "rejected" and app["notices"]


def test_a_lab_outside_its_designation_cannot_be_entrusted(drive, green_food, gx_entity, on_day):
    LabDesignation.objects.filter(scheme="green_food").update(tests=["routine"])
    on_day(date(2025, 9, 30))
    app = submit(drive, draft(drive, gx_entity)["id"])
    drive.as_("gx_province").act(app["id"], "accept", opinion="受理")
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=green_food["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="符合")
    drive.as_("gx_province").act(app["id"], "pass", opinion="已抽样")
    refused = drive.as_("gx_applicant").act(app["id"], "assign_test_lab", lab=green_food["lab"].pk,
                                            lab_tests=["routine", "environment"])
    assert refused.status_code == 400


def test_fees_are_waived_in_a_poverty_exit_county_within_five_years(drive, green_food, gx_entity, regions, on_day):
    county = regions["450102"]
    county.poverty_exit_county, county.poverty_exit_year = True, 2020
    county.save()
    on_day(date(2023, 6, 1))  # three years after exit
    app = submit(drive, draft(drive, gx_entity)["id"])
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {"review": "0.00", "mark_use": "0.00"}
    on_day(date(2026, 6, 1))  # six years after: full fees
    app = submit(drive, draft(drive, gx_entity, products=[{**RICE, "name": "绿源牌糙米"}])["id"])
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {"review": "6400.00", "mark_use": "800.00"}


def issued_certificate(gx_entity, regions, valid_until):
    from sanpin.accounts.models import system_user
    from sanpin.certificates.services import certificate_issue

    return certificate_issue(
        actor=system_user(), scheme="green_food", holder=gx_entity, product_name="绿源牌香米", category="01",
        trademark="绿源", approved_output=Decimal("800"), output_unit="吨", approved_on=date(2023, 12, 1),
        valid_from=date(2023, 12, 1), valid_until=valid_until, province=regions["450000"])


def test_renewal_three_months_ahead_gets_a_new_number_and_keeps_the_enterprise_code(drive, green_food, gx_entity,
                                                                                      regions, on_day):
    on_day(date(2023, 12, 1))
    old = issued_certificate(gx_entity, regions, date(2026, 11, 30))
    gx_entity.refresh_from_db()
    code = gx_entity.green_food_code
    assert re.fullmatch(r"GF45010223\d{4}", code)

    # Three calendar months before 30 November is 30 August: a day later is too late
    on_day(date(2026, 8, 31))
    late = draft(drive, gx_entity, kind="renewal", certificate=old.number)
    drive.upload_required(late["id"], ("application_form", "quality_system", "base_proof"))
    refused = drive.submit(late["id"])
    assert refused.status_code == 400 and "2026-08-30" in str(refused.json())
    # The applicant gives the draft up (it is closed, not deleted)
    withdrawn = drive.act(late["id"], "withdraw", reason="已过续展申请期限")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"

    on_day(date(2026, 8, 3))
    app = draft(drive, gx_entity, kind="renewal", certificate=old.number)
    app = submit(drive, app["id"], ("application_form", "quality_system", "base_proof"))
    # The province's part: 40 working days; the centre's decision: 10 (Art. 18)
    assert app["state"] == "renewal_review" and app["deadline"] == "2026-09-28"
    on_day(date(2026, 9, 1))
    # A B-grade holder's renewal is inspected: no pass without the inspector's report
    assert app["data"]["credit"]["grade"] == "B" and not app["data"]["credit"]["renewal_inspection_waived"]
    refused = drive.as_("gx_province").act(app["id"], "pass", opinion="续展审核合格")
    assert refused.status_code == 400 and "现场检查报告" in str(refused.json())
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=drive.world["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="续展现场检查，生产条件未变")
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="续展审核合格").json()
    assert app["state"] == "renewal_decision" and app["deadline"] == "2026-09-15"
    for action in ("approve", "sign_contract", "confirm_payment"):
        app = drive.as_("national").act(app["id"], action, opinion="同意").json()
    app = drive.as_("national").act(app["id"], "issue_licence").json()
    new = Certificate.objects.get(number=app["products"][0]["certificate"])
    assert new.number != old.number and re.fullmatch(r"LB-01-260920\d{5}A", new.number)
    assert new.predecessor_id == old.pk and new.valid_from == date(2026, 12, 1)
    assert new.valid_until == date(2029, 11, 30)
    gx_entity.refresh_from_db()
    assert gx_entity.green_food_code == code
