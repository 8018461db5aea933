""""申报+信用": what an applicant's credit grade does to its applications, through the API as the
applicant and the reviewers use it (the engine asks the credit app through its policy hook)."""

from datetime import date

import pytest
from django.urls import reverse

import sanpin.certification.tests.test_green_food_flow as gf
import sanpin.certification.tests.test_green_inputs_flow as gi
from sanpin.certificates.tests.factories import issue
from sanpin.certification import policies
from sanpin.certification.tests.conftest import drive, world  # noqa: F401  (the review world, not sampling's)
from sanpin.core.models import AuditEvent
from sanpin.credit import effects
from sanpin.credit import rulebook as rulebooks
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import CreditEvent
from sanpin.credit.services import rulebook_publish

pytestmark = pytest.mark.django_db
green_food = gf.green_food  # fixture


def given(entity, recorder, *events):
    """Facts already in the entity's credit file: (kind, day) pairs."""
    for kind, day in events:
        CreditEvent.objects.create(entity=entity, kind=kind, occurred_on=day, summary=f"{kind} {day}",
                                   recorded_by=recorder)


def submit_event(app):
    return next(e for e in app["history"] if e["action"] == "submit")


# --- a D grade adds the credit site inspection --------------------------------------------------------------


def test_a_d_grade_applicant_is_inspected_first_and_passing_leads_to_the_normal_first_step(drive, world, gx_entity,  # noqa: F811
                                                                                             on_day):
    # Given a revocation a month ago: 85 - 38.9 = 46.1, grade D (not below 40: not barred)
    given(gx_entity, world["national"], (CreditKind.REVOCATION, date(2025, 9, 1)))
    # When it submits a new application on 30 September 2025
    app_id = gi.submitted(drive, gx_entity, on_day)
    app = drive.as_("gx_province").get(app_id).json()
    # Then the credit site inspection comes first: province level, 20 working days (National Day off)
    assert app["state"] == "credit_inspection"
    assert (app["current_step"]["name"], app["current_step"]["level"]) == ("信用核查现场检查", "province")
    assert app["deadline"] == "2025-11-04"
    assert app["data"]["credit"] == {"grade": "D", "score": 46.1, "rulebook_version": 1, "day": "2025-09-30",
                                     "site_inspection": True, "renewal_inspection_waived": False}
    # and the history and the audit trail say why
    event = submit_event(app)
    assert event["to_state"] == "credit_inspection"
    assert "信用等级 D" in event["opinion"] and "第 1 版" in event["opinion"]
    assert event["details"]["credit"]["grade"] == "D"
    audit = AuditEvent.objects.get(verb="application.submit", target_id=str(app_id))
    assert audit.new["credit"]["rulebook_version"] == 1 and "信用核查现场检查" in audit.reason

    # The province cannot pass it without the inspector's report
    on_day(date(2025, 10, 13))
    refused = drive.as_("gx_province").act(app_id, "pass", opinion="信用核查合格")
    assert refused.status_code == 400 and "现场检查报告" in str(refused.json())
    assert drive.as_("gx_province").act(app_id, "assign_inspector", inspector=world["inspector"].pk).status_code == 200
    drive.as_("inspector").act(app_id, "submit_inspection_report", opinion="生产条件、质量管理与申报一致")
    app = drive.as_("gx_province").act(app_id, "pass", opinion="信用核查合格").json()
    # Then the scheme's own first step starts, with its own limit (10 working days)
    assert app["state"] == "preliminary_review" and app["deadline"] == "2025-10-27"
    steps = [(s["code"], s["outcome"]) for s in app["steps"]]
    assert ("credit_inspection", "pass") in steps


def test_a_failed_credit_inspection_goes_to_the_written_notice(drive, world, gx_entity, on_day):  # noqa: F811
    given(gx_entity, world["national"], (CreditKind.REVOCATION, date(2025, 9, 1)))
    app_id = gi.submitted(drive, gx_entity, on_day)
    app = drive.as_("gx_province").act(app_id, "fail", reason="现场核查发现仍在使用禁用物质").json()
    assert app["state"] == "rejection_notice"


def test_a_b_grade_applicant_goes_straight_to_the_first_step(drive, world, gx_entity, on_day):  # noqa: F811
    app_id = gi.submitted(drive, gx_entity, on_day)  # a fresh file: 85, grade B
    app = drive.as_("gx_province").get(app_id).json()
    assert app["state"] == "preliminary_review" and app["deadline"] == "2025-10-21"
    assert app["data"]["credit"]["grade"] == "B" and not app["data"]["credit"]["site_inspection"]
    assert submit_event(app)["opinion"] == ""
    assert "credit_inspection" not in [s["code"] for s in app["steps"]]


def test_with_no_standing_provider_the_engine_works_as_without_credit(drive, world, gx_entity, on_day, monkeypatch):  # noqa: F811
    given(gx_entity, world["national"], (CreditKind.REVOCATION, date(2025, 9, 1)))
    monkeypatch.setattr(policies, "_providers", {})
    app = drive.as_("gx_province").get(gi.submitted(drive, gx_entity, on_day)).json()
    assert app["state"] == "preliminary_review" and "credit" not in app["data"]


def test_a_d_grade_renewal_is_inspected_then_routed_to_the_renewal_review(drive, green_food, gx_entity, regions,  # noqa: F811
                                                                          on_day):
    on_day(date(2023, 12, 1))
    old = gf.issued_certificate(gx_entity, regions, date(2026, 11, 30))
    given(gx_entity, green_food["national"], (CreditKind.REVOCATION, date(2026, 7, 1)))
    on_day(date(2026, 8, 3))
    app = gf.draft(drive, gx_entity, kind="renewal", certificate=old.number)
    app = gf.submit(drive, app["id"], ("application_form", "quality_system", "base_proof"))
    assert app["state"] == "credit_inspection"
    drive.as_("gx_province").act(app["id"], "assign_inspector", inspector=green_food["inspector"].pk)
    drive.as_("inspector").act(app["id"], "submit_inspection_report", opinion="续展信用核查")
    app = drive.as_("gx_province").act(app["id"], "pass", opinion="信用核查合格").json()
    assert app["state"] == "renewal_review"
    assert app["history"][-1]["to_state"] == "renewal_review"


# --- below 40: no new application for 365 days after the latest negative event ------------------------------


def test_below_40_new_applications_are_barred_for_the_period_but_renewals_are_not(drive, world, gx_entity, on_day):  # noqa: F811
    # Given two revocations in March and a 合格证 violation on 1 September 2025: about 10 points on 30 September
    given(gx_entity, world["national"], (CreditKind.REVOCATION, date(2025, 3, 1)),
          (CreditKind.REVOCATION, date(2025, 3, 1)), (CreditKind.COMPLIANCE_VIOLATION, date(2025, 9, 1)))
    on_day(date(2025, 9, 30))
    refused = drive.as_("gx_applicant").create(gx_entity)
    assert refused.status_code == 400
    assert refused.json()["fields"]["entity"] == [
        "信用评价得分 9.9 低于 40（严重失信），自 2025-09-01 起 365 日内（至 2026-08-31）不得提出新的申请"]

    # A renewal is still possible, and gets the credit site inspection
    certificate = issue(gx_entity)
    renewal = drive.create(gx_entity, kind="renewal", certificate=certificate.number)
    assert renewal.status_code == 201, renewal.json()
    drive.upload_required(renewal.json()["id"], ("application_form", "admin_licence"))
    submitted = drive.submit(renewal.json()["id"])
    assert submitted.status_code == 200 and submitted.json()["state"] == "credit_inspection"

    # The last day of the period is still barred; the day after, a new application may be made
    on_day(date(2026, 8, 31))
    assert drive.create(gx_entity).status_code == 400
    on_day(date(2026, 9, 1))
    standing = effects.standing(gx_entity, date(2026, 9, 1))
    assert standing.score < 40 and standing.grade == "D" and standing.blocked_until is None
    allowed = drive.create(gx_entity)
    assert allowed.status_code == 201, allowed.json()


# --- an A grade clean for 3 years may skip a green food renewal's site inspection ---------------------------


@pytest.mark.parametrize(("events", "grade", "waived"), [
    # Two awards this summer, a negative fact more than three years ago: A and clean
    (((CreditKind.AWARD, date(2026, 7, 1)), (CreditKind.AWARD, date(2026, 7, 1)),
      (CreditKind.MANUAL_NEGATIVE, date(2023, 6, 1))), "A", True),
    # A as well, but a negative fact within the three years
    (((CreditKind.AWARD, date(2026, 7, 1)), (CreditKind.AWARD, date(2026, 7, 1)), (CreditKind.AWARD, date(2026, 7, 1)),
      (CreditKind.MANUAL_NEGATIVE, date(2024, 9, 1))), "A", False),
    # A fresh file: B
    ((), "B", False),
])
def test_a_green_food_renewal_skips_the_site_inspection_only_for_a_clean_a_grade(drive, green_food, gx_entity, regions,  # noqa: F811
                                                                                on_day, events, grade, waived):
    on_day(date(2023, 12, 1))
    old = gf.issued_certificate(gx_entity, regions, date(2026, 11, 30))
    given(gx_entity, green_food["national"], *events)
    on_day(date(2026, 8, 3))
    app = gf.draft(drive, gx_entity, kind="renewal", certificate=old.number)
    app = gf.submit(drive, app["id"], ("application_form", "quality_system", "base_proof"))
    assert app["state"] == "renewal_review"
    assert (app["data"]["credit"]["grade"], app["data"]["credit"]["renewal_inspection_waived"]) == (grade, waived)
    on_day(date(2026, 9, 1))
    response = drive.as_("gx_province").act(app["id"], "pass", opinion="续展审核合格")
    if not waived:
        assert response.status_code == 400 and "现场检查报告" in str(response.json())
        return
    app = response.json()
    assert app["state"] == "renewal_decision"
    assert app["history"][-1]["details"]["inspection_waived"] == {"grade": "A", "rulebook_version": 1}
    assert "本次续展可免现场检查" in submit_event(app)["opinion"]
    # On to the new term: the renewal applied for in time is a plus in the credit file
    for action in ("approve", "sign_contract", "confirm_payment"):
        app = drive.as_("national").act(app["id"], action, opinion="同意").json()
    app = drive.as_("national").act(app["id"], "issue_licence").json()
    assert app["state"] == "issued"
    renewal = CreditEvent.objects.get(kind=CreditKind.RENEWAL_ON_TIME)
    assert renewal.entity == gx_entity and renewal.evidence == app["number"]


def test_the_scheme_decides_whether_a_renewal_inspection_may_be_waived(drive, green_food, gx_entity, regions, on_day,  # noqa: F811
                                                                       monkeypatch):
    from sanpin.certification.schemes import SCHEMES

    monkeypatch.setitem(SCHEMES["green_food"].extra, "renewal_inspection_waivable", False)
    on_day(date(2023, 12, 1))
    old = gf.issued_certificate(gx_entity, regions, date(2026, 11, 30))
    given(gx_entity, green_food["national"], (CreditKind.AWARD, date(2026, 7, 1)), (CreditKind.AWARD, date(2026, 7, 1)))
    on_day(date(2026, 8, 3))
    app = gf.draft(drive, gx_entity, kind="renewal", certificate=old.number)
    app = gf.submit(drive, app["id"], ("application_form", "quality_system", "base_proof"))
    assert app["data"]["credit"]["grade"] == "A" and not app["data"]["credit"]["renewal_inspection_waived"]
    assert drive.as_("gx_province").act(app["id"], "pass", opinion="续展审核合格").status_code == 400


# --- a new rulebook version changes the effects only from its date -----------------------------------------


def test_a_later_rulebook_version_changes_effects_only_from_its_effective_date(drive, world, gx_entity, on_day):  # noqa: F811
    # Given a C-grade entity (an upheld complaint and a violation today: 70)
    on_day(date(2026, 3, 2))
    given(gx_entity, world["national"], (CreditKind.COMPLAINT_UPHELD, date(2026, 3, 2)),
          (CreditKind.COMPLIANCE_VIOLATION, date(2026, 3, 2)))
    # When version 2, published today, inspects C grades too from 1 April
    values = rulebooks.default_values()
    v2_effects = {**values["effects"], "site_inspection_grades": ["C", "D"]}
    rulebook_publish(actor=world["national"], effective_from=date(2026, 4, 1), weights=values["weights"],
                     thresholds=values["thresholds"], half_life_days=values["half_life_days"],
                     base_score=values["base_score"], sampling_weights=values["sampling_weights"],
                     effects=v2_effects, note="C 级申请人亦须信用核查现场检查")
    # Then an application submitted on 31 March is judged by version 1, one of 1 April by version 2
    before = gi.submitted(drive, gx_entity, on_day, day=date(2026, 3, 31))
    after = gi.submitted(drive, gx_entity, on_day, day=date(2026, 4, 1))
    before, after = drive.as_("gx_province").get(before).json(), drive.as_("gx_province").get(after).json()
    assert (before["state"], before["data"]["credit"]["grade"], before["data"]["credit"]["rulebook_version"]) == (
        "preliminary_review", "C", 1)
    assert (after["state"], after["data"]["credit"]["grade"], after["data"]["credit"]["rulebook_version"]) == (
        "credit_inspection", "C", 2)
    assert "第 2 版" in submit_event(after)["opinion"]


def test_a_version_published_without_effects_keeps_those_in_force(world, on_day):  # noqa: F811
    on_day(date(2026, 3, 2))
    values = rulebooks.default_values()
    v2 = rulebook_publish(actor=world["national"], effective_from=date(2026, 4, 1), weights=values["weights"],
                          thresholds=values["thresholds"], half_life_days=values["half_life_days"],
                          base_score=values["base_score"], sampling_weights=values["sampling_weights"],
                          note="调整说明")
    assert v2.effects == rulebooks.DEFAULT_EFFECTS


# --- the application page ------------------------------------------------------------------------------------


def test_the_application_page_shows_the_standing_to_staff_and_applicant(client, drive, world, gx_entity, on_day):  # noqa: F811
    given(gx_entity, world["national"], (CreditKind.REVOCATION, date(2025, 9, 1)))
    app_id = gi.submitted(drive, gx_entity, on_day)
    url = reverse("certification:detail", args=[app_id])
    client.force_login(world["gx_province"])
    page = client.get(url).content.decode()
    assert "信用等级 D：须先进行信用核查现场检查" in page and "信用核查现场检查" in page
    # The applicant sees it too, and on a draft what it would mean if submitted today
    draft = drive.as_("gx_applicant").create(gx_entity).json()
    client.force_login(world["gx_applicant"])
    assert "信用等级 D：须先进行信用核查现场检查" in client.get(url).content.decode()
    page = client.get(reverse("certification:detail", args=[draft["id"]])).content.decode()
    assert "信用等级 D：须先进行信用核查现场检查" in page and "提交时以提交之日为准" in page
