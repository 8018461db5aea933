"""The green production-input licence through the API, from draft to issued licence, with every
branch of SPEC §3 / seed 004 §11–§22 and its working-day deadlines."""

import re
from datetime import date

import pytest

from sanpin.certificates.models import Certificate
from sanpin.certification.models import Application, Notice
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def submitted(drive, entity, on_day, day=date(2025, 9, 30)):
    """Given an applicant's complete application, submitted on `day`."""
    on_day(day)
    created = drive.as_("gx_applicant").create(entity)
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    drive.upload_required(app_id)
    response = drive.submit(app_id)
    assert response.status_code == 200, response.json()
    return app_id


def to_re_review(drive, app_id, on_day):
    drive.as_("gx_province").act(app_id, "pass", opinion="材料齐全，初审合格")
    drive.as_("gx_province").act(app_id, "assign_inspector", inspector=drive.world["inspector"].pk)
    drive.as_("inspector").act(app_id, "submit_inspection_report", opinion="原料来源、投入品使用和质量体系符合要求")
    response = drive.as_("gx_province").act(app_id, "pass", opinion="现场检查合格，报送协会")
    assert response.json()["state"] == "re_review", response.json()


def test_a_licence_from_draft_to_issue(drive, world, gx_entity, on_day):
    # Given a draft: what still stops it from being submitted is listed
    on_day(date(2025, 9, 30))
    draft = drive.as_("gx_applicant").create(gx_entity).json()
    assert draft["state"] == "draft" and any("缺少材料" in w for w in draft["warnings"])
    refused = drive.submit(draft["id"])
    assert refused.status_code == 400 and "attachments" in refused.json()["fields"]

    # When it is complete and submitted the day before National Day
    drive.upload_required(draft["id"])
    app = drive.submit(draft["id"]).json()

    # Then the province has 10 working days, National Day (10-01..08) off and 10-11 worked
    assert re.fullmatch(r"SZ2025\d{6}", app["number"])
    assert app["state"] == "preliminary_review"
    assert app["deadline"] == "2025-10-21"

    # And only the provincial reviewer of Guangxi may act; others are refused or see nothing
    assert "pass" in drive.as_("gx_province").actions(draft["id"])
    assert drive.as_("gx_applicant").act(draft["id"], "pass", opinion="x").status_code == 403
    assert drive.as_("sh_province").get(draft["id"]).status_code == 404
    assert drive.as_("national").act(draft["id"], "approve", opinion="x").status_code == 409

    # Preliminary review passes; the site inspection has 20 working days
    on_day(date(2025, 10, 9))
    app = drive.as_("gx_province").act(draft["id"], "pass", opinion="材料齐全，初审合格").json()
    assert app["state"] == "site_inspection" and app["deadline"] == "2025-11-05"

    # The report must come before the province can forward it, and only from a qualified inspector
    assert drive.as_("gx_province").act(draft["id"], "pass", opinion="报送").status_code == 400
    unqualified = drive.as_("gx_province").act(draft["id"], "assign_inspector", inspector=world["nn_city"].pk)
    assert unqualified.status_code == 400 and "inspector" in str(unqualified.json())
    assert drive.as_("gx_province").act(draft["id"], "assign_inspector",
                                        inspector=world["inspector"].pk).status_code == 200
    # An expert has no business here (not assigned: it does not even see the application),
    # and the provincial reviewer may not write the inspector's report
    assert drive.as_("expert").act(draft["id"], "submit_inspection_report", opinion="x").status_code == 404
    assert drive.as_("gx_province").act(draft["id"], "submit_inspection_report", opinion="x").status_code == 403
    drive.as_("inspector").act(draft["id"], "submit_inspection_report", opinion="原料来源、质量体系符合要求")
    app = drive.as_("gx_province").act(draft["id"], "pass", opinion="现场检查合格，报送协会").json()
    assert app["state"] == "re_review"

    # The association orders a special test; its re-review clock waits for the lab
    on_day(date(2025, 10, 20))
    app = drive.as_("national").act(draft["id"], "order_special_test", lab=world["lab"].pk,
                                    lab_tests=["heavy_metals"], days=15, reason="行业风险预警：重金属").json()
    assert app["state"] == "special_test" and app["clock_paused"]
    assert drive.as_("lab_user").act(draft["id"], "submit_test_report", opinion="重金属未检出").status_code == 200

    # Re-review passes; an expert panel is drawn without the applicant's own employee
    app = drive.as_("national").act(draft["id"], "pass", opinion="复审合格").json()
    assert app["state"] == "expert_review"
    panel = drive.as_("national").act(draft["id"], "draw_experts", experts={"specialty": "fertilizer", "size": 3})
    assigned = [a["user"] for a in panel.json()["current_step"]["assignees"]]
    assert len(assigned) == 3 and world["experts"][-1].username not in assigned
    for username in assigned:
        app = drive.as_(Application.objects.get(pk=draft["id"]).steps.last().assignments.get(
            user__username=username).user).act(draft["id"], "submit_expert_opinion", opinion="同意",
                                               favourable=True).json()
    assert app["state"] == "decision"

    # Conclusion, contract, fees, licence
    app = drive.as_("national").act(draft["id"], "approve", opinion="审核合格").json()
    assert app["state"] == "contract"
    app = drive.as_("national").act(draft["id"], "sign_contract", opinion="合同已签订").json()
    assert app["state"] == "fees"
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {"review": "8000.00", "management": "4000.00"}
    app = drive.as_("national").act(draft["id"], "confirm_payment", opinion="已到账").json()
    on_day(date(2025, 11, 20))
    app = drive.as_("national").act(draft["id"], "issue_licence").json()

    # Then the licence carries its official number and three years' validity
    assert app["state"] == "issued"
    number = app["products"][0]["certificate"]
    assert re.fullmatch(r"LSSZ-01-251120\d{4}", number)
    certificate = Certificate.objects.get(number=number)
    assert certificate.valid_until == date(2028, 11, 19)
    assert certificate.holder == gx_entity

    # And nothing more can be done with the application
    assert drive.as_("national").act(draft["id"], "pass", opinion="x").status_code == 409
    # And every action left its audit event
    verbs = set(AuditEvent.objects.filter(target_type="certification.application").values_list("verb", flat=True))
    assert {"application.submit", "application.pass", "application.issue_licence"} <= verbs


def test_a_supplement_request_stops_the_clock_and_resumes_with_the_days_left(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)  # due 2025-10-21
    on_day(date(2025, 10, 9))
    app = drive.as_("gx_province").act(app_id, "request_supplement", reason="请补充产品登记证复印件").json()
    assert app["state"] == "supplement" and app["clock_paused"]
    assert "answer_supplement" in drive.as_("gx_applicant").actions(app_id)

    # Nine working days were left (10-10 … 10-21); the applicant answers eleven days later
    on_day(date(2025, 10, 20))
    assert drive.upload(app_id, "supplement").status_code == 201
    app = drive.as_("gx_applicant").act(app_id, "answer_supplement", opinion="已补充登记证").json()
    assert app["state"] == "preliminary_review" and not app["clock_paused"]
    assert app["deadline"] == "2025-10-31"


def test_rectification_has_its_own_deadline_and_restarts_the_review(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)
    app = drive.as_("gx_province").act(app_id, "order_rectification", reason="质量管理体系运行记录不全", days=20).json()
    assert app["state"] == "rectification" and app["deadline"] == "2025-11-04"
    on_day(date(2025, 11, 3))
    app = drive.as_("gx_applicant").act(app_id, "submit_rectification", opinion="已补齐运行记录").json()
    assert app["state"] == "preliminary_review" and app["deadline"] == "2025-11-17"


def test_suspension_is_lifted_or_ends_the_review(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)
    app = drive.as_("gx_province").act(app_id, "suspend_review", reason="生产许可证正在换证", days=30).json()
    assert app["state"] == "suspended" and app["deadline"] is not None
    app = drive.as_("gx_province").act(app_id, "resume_review", opinion="已换证，恢复审核").json()
    assert app["state"] == "preliminary_review"
    drive.as_("gx_province").act(app_id, "suspend_review", reason="再次暂停", days=10)
    app = drive.as_("gx_province").act(app_id, "terminate_review", reason="逾期未恢复生产条件").json()
    assert app["state"] == "rejected" and app["closed_at"]


def test_a_failed_re_review_sends_a_written_notice_within_ten_working_days(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)
    to_re_review(drive, app_id, on_day)
    on_day(date(2026, 2, 10))
    app = drive.as_("national").act(app_id, "fail", reason="产品配方与登记不一致").json()
    # Spring Festival 2026: 02-14 (Saturday) worked, 02-15..23 off, 02-28 (Saturday) worked
    assert app["state"] == "rejection_notice" and app["deadline"] == "2026-03-02"
    app = drive.as_("national").act(app_id, "send_notice", opinion="经复审，产品配方与登记不一致，不予通过").json()
    assert app["state"] == "rejected"
    notice = Notice.objects.get(application_id=app_id)
    assert "产品配方与登记不一致" in notice.reasons


def test_an_unfavourable_panel_and_a_rejecting_conclusion(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)
    to_re_review(drive, app_id, on_day)
    drive.as_("national").act(app_id, "pass", opinion="复审合格")
    panel = drive.as_("national").act(app_id, "draw_experts", experts={"specialty": "pesticide", "size": 2}).json()
    for username in [a["user"] for a in panel["current_step"]["assignees"]]:
        expert = next(u for u in world["experts"] if u.username == username)
        app = drive.as_(expert).act(app_id, "submit_expert_opinion", opinion="有效成分含量不稳定",
                                    favourable=False).json()
    assert app["state"] == "decision"
    assert app["history"][-1]["details"]["panel"] == {"favourable": 0, "unfavourable": 2}
    app = drive.as_("national").act(app_id, "reject", reason="专家评审不同意").json()
    assert app["state"] == "rejection_notice"


def test_inputs_are_checked_before_anything_is_written(drive, world, gx_entity, sh_entity, on_day):
    on_day(date(2025, 9, 30))
    bad = drive.as_("gx_applicant").create(gx_entity, products=[{"name": "", "category": "77",
                                                                  "approved_output": "-5"}])
    assert bad.status_code == 400
    assert {"products[0].name", "products[0].category", "products[0].approved_output"} <= set(bad.json()["fields"])
    other = drive.as_("gx_applicant").create(sh_entity)
    assert other.status_code == 404
    assert not Application.objects.exists()
    app_id = drive.as_("gx_applicant").create(gx_entity).json()["id"]
    lying = drive.upload(app_id, "application_form", name="申请书.pdf", content=b"MZ\x90\x00not a pdf")
    assert lying.status_code == 400 and "file" in lying.json()["fields"]
    renamed = drive.upload(app_id, "application_form", name="申请书.png", content=b"%PDF-1.4 x")
    assert renamed.status_code == 400


def test_an_expired_or_other_province_inspector_cannot_be_assigned(drive, world, gx_entity, regions, on_day):
    from sanpin.accounts.choices import QualificationKind, Role
    from sanpin.accounts.models import InspectorQualification
    from sanpin.accounts.tests.factories import UserFactory

    expired = UserFactory(username="expired_inspector", roles=[Role.INSPECTOR])
    InspectorQualification.objects.create(user=expired, kind=QualificationKind.GREEN_INPUTS_ADMIN, number="GLY-OLD",
                                          province=regions["450000"], valid_from=date(2021, 1, 1),
                                          valid_until=date(2025, 6, 30))
    shanghai = UserFactory(username="sh_inspector", roles=[Role.INSPECTOR])
    InspectorQualification.objects.create(user=shanghai, kind=QualificationKind.GREEN_INPUTS_ADMIN, number="GLY-SH",
                                          province=regions["310000"], valid_from=date(2024, 1, 1),
                                          valid_until=date(2028, 12, 31))
    app_id = submitted(drive, gx_entity, on_day)
    drive.as_("gx_province").act(app_id, "pass", opinion="初审合格")
    for user in (expired, shanghai):
        refused = drive.as_("gx_province").act(app_id, "assign_inspector", inspector=user.pk)
        assert refused.status_code == 400, refused.json()
        assert refused.json()["fields"]["inspector"]
    assert not Application.objects.get(pk=app_id).steps.last().assignments.exists()
