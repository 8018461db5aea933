"""Organic products (有机农产品, 中绿华夏) through the API: from draft to the one-year certificate with
every working-day limit, re-certification (on time, late but before expiry, after expiry = a new
application), the 35% fee reduction, the annual-crop and transfer flags [002 §4(1)], and the
agencies' reminder from four months before expiry [002 §4(2)] (docs/decisions/0019-organic-scheme.md)."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.models import Certificate, Certifier
from sanpin.certificates.organic_codes import organic_codes_issue
from sanpin.certification.demo import load_demo_certifier
from sanpin.certification.models import Application, Notice
from sanpin.certification.schemes import SCHEMES
from sanpin.certification.services import renewal_reminders_process
from sanpin.notifications.models import Notification

pytestmark = pytest.mark.django_db

CONDITIONS = {
    "applicant_conditions": {c: True for c, _label in SCHEMES["organic"].applicant_conditions},
    "product_conditions": {c: True for c, _label in SCHEMES["organic"].product_conditions},
}
INITIAL_MATERIALS = ("application_form", "business_licence", "quality_system", "production_rules", "base_proof")
RENEWAL_MATERIALS = ("application_form", "quality_system", "production_rules")
TEA = {"name": "绿源牌有机绿茶", "category": "01", "trademark": "绿源", "approved_output": "12",
       "output_unit": "吨"}


def draft(drive, entity, data=None, kind="initial", certificate=None, user="gx_applicant"):
    response = drive.as_(user).create(entity, scheme="organic", products=[TEA], data={**CONDITIONS, **(data or {})},
                                      kind=kind, certificate=certificate)
    assert response.status_code == 201, response.json()
    return response.json()


def submit(drive, app_id, materials=INITIAL_MATERIALS):
    drive.upload_required(app_id, materials)
    response = drive.submit(app_id)
    assert response.status_code == 200, response.json()
    return response.json()


def certify(drive, app_id, on_day, start):
    """Accepted, reviewed, inspected, tested, decided, paid and issued, one working step after
    another from `start` (whatever the limits); returns the issued application."""
    on_day(start)
    for user, action, fields in (
        ("gx_province", "accept", {"opinion": "材料齐全，予以受理"}),
        ("national", "sign_contract", {"opinion": "认证合同已签订"}),
        ("gx_province", "pass", {"opinion": "文件审核合格"}),
        ("gx_province", "assign_inspector", {"inspector": drive.world["inspector"].pk}),
        ("inspector", "submit_inspection_report", {"opinion": "生产季节内现场检查，已抽样",
                                                   "lab": drive.world["lab"].pk,
                                                   "lab_tests": ["pesticide_residues"]}),
        ("lab_user", "submit_test_report", {"opinion": "未检出禁用物质", "favourable": True}),
        ("national", "approve", {"opinion": "批准认证"}),
        ("national", "confirm_payment", {"opinion": "费用已缴纳"}),
        ("national", "issue_licence", {}),
    ):
        response = drive.as_(user).act(app_id, action, **fields)
        assert response.status_code == 200, (action, response.json())
    app = response.json()
    assert app["state"] == "issued"
    return app


def test_an_organic_certificate_from_draft_to_issue(drive, world, gx_entity, on_day):
    # Given a complete application submitted the day before National Day
    on_day(date(2025, 9, 30))
    app = draft(drive, gx_entity, data={"production_season": "3月—10月"})
    assert app["review_flags"] == []
    refused = drive.submit(app["id"])
    assert refused.status_code == 400 and "attachments" in refused.json()["fields"]
    app = submit(drive, app["id"])

    # Then the provincial office accepts within 10 working days (National Day off, 10-11 worked)
    assert re.fullmatch(r"YJ2025\d{6}", app["number"])
    assert app["state"] == "acceptance" and app["deadline"] == "2025-10-21"
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {
        "application": "1000.00", "review": "3000.00", "registration": "500.00"}
    # And only the Guangxi provincial office: not 中绿华夏, not Shanghai
    assert drive.as_("national").act(app["id"], "accept", opinion="x").status_code == 403
    assert drive.as_("sh_province").get(app["id"]).status_code == 404

    # Accepted; 中绿华夏 signs the certification contract (no limit: it waits for the applicant)
    on_day(date(2025, 10, 9))
    app = drive.as_("gx_province").act(app["id"], "accept", opinion="材料齐全，予以受理").json()
    assert app["state"] == "contract" and app["deadline"] is None
    assert drive.as_("gx_province").act(app["id"], "sign_contract", opinion="x").status_code == 403
    app = drive.as_("national").act(app["id"], "sign_contract", opinion="认证合同已签订").json()

    # Document review at the province: 15 working days
    assert app["state"] == "document_review" and app["deadline"] == "2025-10-29"
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="文件审核合格").json()

    # Site inspection in the production season: no working-day limit, only a qualified organic inspector
    assert app["state"] == "site_inspection" and app["deadline"] is None
    unqualified = drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=world["nn_city"].pk)
    assert unqualified.status_code == 400 and "inspector" in unqualified.json()["fields"]
    assert drive.as_("gx_province").act(app["id"], "assign_inspector",
                                        inspector=world["inspector"].pk).status_code == 200
    # The samples go to a lab designated for organic tests only
    green_only = EntityFactory(name="某绿色生资检测站", kind=EntityKind.LAB, region=world["lab"].region)
    from sanpin.accounts.models import LabDesignation

    LabDesignation.objects.create(lab=green_only, scheme="green_inputs", tests=["pesticide_residues"],
                                  valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31))
    refused = drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="现场检查完成",
                                         lab=green_only.pk, lab_tests=["pesticide_residues"])
    assert refused.status_code == 400 and "lab" in refused.json()["fields"]

    # The inspector reports and sends the samples; the lab has 20 working days
    on_day(date(2025, 10, 20))
    app = drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="生产季节内现场检查，合格",
                                     lab=world["lab"].pk, lab_tests=["pesticide_residues", "banned_substances"]).json()
    assert app["state"] == "sampling_test" and app["deadline"] == "2025-11-17"
    assert app["current_step"]["assignees"][0]["lab"] == world["lab"].name

    # The lab reports; 中绿华夏 decides within 20 working days
    on_day(date(2025, 11, 3))
    app = drive.as_("lab_user").act(app["id"], "submit_test_report", opinion="未检出禁用物质", favourable=True).json()
    assert app["state"] == "decision" and app["deadline"] == "2025-12-01"
    assert drive.as_("gx_province").act(app["id"], "approve", opinion="x").status_code == 403
    app = drive.as_("national").act(app["id"], "approve", opinion="批准认证").json()
    assert app["state"] == "fees"
    app = drive.as_("national").act(app["id"], "confirm_payment", opinion="费用已缴纳").json()
    on_day(date(2025, 11, 20))
    app = drive.as_("national").act(app["id"], "issue_licence").json()

    # Then the certificate: certifier code + OP + year + serial, valid one year
    assert app["state"] == "issued"
    number = app["products"][0]["certificate"]
    assert re.fullmatch(r"001OP25\d{5}", number)
    certificate = Certificate.objects.get(number=number)
    assert certificate.scheme == "organic" and certificate.valid_until == date(2026, 11, 19)
    assert certificate.predecessor_id is None

    # And 有机码 can be issued on it for the certifier of the settings
    load_demo_certifier()
    batch = organic_codes_issue(actor=world["national"], certificate=certificate,
                                certifier=Certifier.objects.get(code="001"), count=5, quantity=Decimal("1"))
    assert all(code.startswith("00125") and len(code) == 17 for code in batch.codes.values_list("code", flat=True))


def test_a_failed_sampling_test_cannot_be_approved(drive, world, gx_entity, on_day):
    on_day(date(2025, 9, 30))
    app = submit(drive, draft(drive, gx_entity)["id"])
    drive.as_("gx_province").act(app["id"], "accept", opinion="受理")
    drive.as_("national").act(app["id"], "sign_contract", opinion="合同已签订")
    drive.as_("gx_province").act(app["id"], "pass", opinion="文件审核合格")
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=world["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="已抽样", lab=world["lab"].pk,
                               lab_tests=["pesticide_residues"])
    drive.as_("lab_user").act(app["id"], "submit_test_report", opinion="检出毒死蜱 0.05 mg/kg", favourable=False)
    refused = drive.as_("national").act(app["id"], "approve", opinion="批准")
    assert refused.status_code == 400 and "不合格" in refused.json()["message"]
    app = drive.as_("national").act(app["id"], "reject", reason="样品检出禁用物质").json()
    # The written notice of refusal within 10 working days
    assert app["state"] == "rejection_notice" and app["deadline"] == "2025-10-21"
    drive.as_("national").act(app["id"], "send_notice", opinion="样品检出禁用物质，不予认证")
    assert "禁用物质" in Notice.objects.get(application_id=app["id"]).reasons


def test_a_renewal_three_months_before_expiry_gets_a_new_number_linked_to_the_old(drive, world, gx_entity,
                                                                                     on_day):
    on_day(date(2025, 9, 30))
    old = certify(drive, submit(drive, draft(drive, gx_entity)["id"])["id"], on_day, date(2025, 11, 20))
    old = Certificate.objects.get(number=old["products"][0]["certificate"])  # valid until 2026-11-19

    # On time (the last day is 2026-08-19): no flag
    on_day(date(2026, 8, 19))
    app = draft(drive, gx_entity, kind="renewal", certificate=old.number)
    assert app["review_flags"] == []
    app = submit(drive, app["id"], RENEWAL_MATERIALS)
    assert app["kind"] == "renewal" and app["state"] == "acceptance"
    app = certify(drive, app["id"], on_day, date(2026, 9, 1))
    new = Certificate.objects.get(number=app["products"][0]["certificate"])
    assert new.number != old.number and new.predecessor_id == old.pk
    assert new.valid_from == date(2026, 11, 20) and new.valid_until == date(2027, 11, 19)
    old.refresh_from_db()
    assert old.renewed


def test_a_renewal_later_than_three_months_before_expiry_is_accepted_and_flagged(drive, world, gx_entity, on_day):
    on_day(date(2025, 9, 30))
    old = certify(drive, submit(drive, draft(drive, gx_entity)["id"])["id"], on_day, date(2025, 11, 20))
    number = old["products"][0]["certificate"]

    # Drafted and submitted after 2026-08-19 but before expiry: accepted, with a flag for the review
    on_day(date(2026, 9, 15))
    app = draft(drive, gx_entity, kind="renewal", certificate=number)
    assert any("逾期提出" in flag for flag in app["review_flags"])
    app = submit(drive, app["id"], RENEWAL_MATERIALS)
    assert app["kind"] == "renewal" and app["state"] == "acceptance"
    assert any("2026-08-19" in flag and "提交于 2026-09-15" in flag for flag in app["review_flags"])
    # The flag stays as it was on the day of submission
    on_day(date(2026, 10, 15))
    assert any("提交于 2026-09-15" in flag for flag in drive.get(app["id"]).json()["review_flags"])


def test_a_renewal_submitted_after_expiry_becomes_a_new_application(drive, world, gx_entity, on_day):
    on_day(date(2025, 9, 30))
    old = certify(drive, submit(drive, draft(drive, gx_entity)["id"])["id"], on_day, date(2025, 11, 20))
    old = Certificate.objects.get(number=old["products"][0]["certificate"])  # valid until 2026-11-19

    # Drafted before expiry…
    on_day(date(2026, 11, 10))
    app = draft(drive, gx_entity, kind="renewal", certificate=old.number)
    drive.upload_required(app["id"], INITIAL_MATERIALS)
    # …and submitted the day after: processed as a new application, without continuity [002 §4(2)]
    on_day(date(2026, 11, 20))
    app = drive.submit(app["id"]).json()
    assert app["kind"] == "initial" and app["state"] == "acceptance"
    application = Application.objects.get(pk=app["id"])
    assert application.certificate is None and application.data["late_renewal_of"] == old.number
    assert any("按新申请办理" in flag for flag in app["review_flags"])

    app = certify(drive, app["id"], on_day, date(2026, 11, 23))
    new = Certificate.objects.get(number=app["products"][0]["certificate"])
    assert new.number != old.number and new.predecessor_id is None
    assert new.valid_from == date(2026, 11, 23)
    old.refresh_from_db()
    assert not old.renewed


def test_in_a_key_assistance_county_each_fee_is_reduced_by_35_percent(drive, world, regions, on_day):
    county = regions["451031"]
    county.key_assistance_county = True
    county.save()
    entity = EntityFactory(name="隆林有机茶叶专业合作社", region=county)
    applicant = UserFactory(username="ll_applicant", roles=[Role.APPLICANT], entity=entity)
    on_day(date(2025, 9, 30))
    app = submit(drive, draft(drive, entity, user=applicant)["id"])
    fees = {f["item"]: f for f in app["fees"]}
    assert {item: f["amount_due"] for item, f in fees.items()} == {
        "application": "650.00", "review": "1950.00", "registration": "325.00"}  # 65% of each item
    assert all("重点帮扶县" in f["waiver_reason"] for f in fees.values())


def test_an_annual_crop_drafted_less_than_a_month_before_sowing_is_flagged(drive, world, gx_entity, on_day):
    on_day(date(2026, 3, 2))
    early = draft(drive, gx_entity, data={"annual_crop": True, "planned_sowing_date": "2026-04-15"})
    assert early["review_flags"] == []
    late = draft(drive, gx_entity, data={"annual_crop": True, "planned_sowing_date": "2026-03-20"})
    assert any("播种前一个月" in flag and "2026-02-20" in flag for flag in late["review_flags"])
    unknown = draft(drive, gx_entity, data={"annual_crop": True})
    assert any("请填写计划播种日期" in flag for flag in unknown["review_flags"])
    # Perennials are not concerned
    assert draft(drive, gx_entity, data={"planned_sowing_date": "2026-03-20"})["review_flags"] == []


def test_a_transfer_from_another_certifier_is_due_four_months_before_its_certificate_expires(drive, world,
                                                                                               gx_entity, on_day):
    on_day(date(2026, 3, 2))
    transfer = {"transfer_from_other_certifier": True, "other_certifier": "某认证有限公司"}
    in_time = draft(drive, gx_entity, data={**transfer, "other_certificate_valid_until": "2026-07-02"})
    assert in_time["review_flags"] == []
    late = draft(drive, gx_entity, data={**transfer, "other_certificate_valid_until": "2026-06-30"})
    assert any("到期前4个月" in flag and "2026-02-28" in flag and "某认证有限公司" in flag
               for flag in late["review_flags"])
    lapsed = draft(drive, gx_entity, data={**transfer, "other_certificate_valid_until": "2026-02-27"})
    assert any("按新申请办理" in flag for flag in lapsed["review_flags"])


def test_holder_and_provincial_office_are_reminded_from_four_months_before_expiry(drive, world, gx_entity, on_day):
    on_day(date(2025, 9, 30))
    old = certify(drive, submit(drive, draft(drive, gx_entity)["id"])["id"], on_day, date(2025, 11, 20))
    number = old["products"][0]["certificate"]  # valid until 2026-11-19
    reminders = Notification.objects.filter(title__contains=number)

    # 121 days before expiry: not yet
    on_day(date(2026, 7, 21))
    assert renewal_reminders_process() == 0
    # 120 days (four months): the holder and the Guangxi provincial office, once
    on_day(date(2026, 7, 22))
    assert renewal_reminders_process() == 1
    assert renewal_reminders_process() == 0
    assert set(reminders.values_list("recipient__username", flat=True)) == {"gx_applicant", "gx_province"}
    assert "2026-08-19" in reminders.first().body and "按新申请办理" in reminders.first().body
    # The next milestone (100 days) reminds again
    on_day(date(2026, 8, 11))
    assert renewal_reminders_process() == 1
    assert reminders.count() == 4
    # Shanghai staff are not concerned
    assert not reminders.filter(recipient=world["sh_province"]).exists()


def test_the_documented_diagram_is_the_configured_organic_workflow():
    from sanpin.certification.diagram import mermaid

    doc = (Path(__file__).resolve().parents[3] / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert mermaid(SCHEMES["organic"]) in doc, "docs/workflow.md is out of date: regenerate the organic diagram"
