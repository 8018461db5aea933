"""After the licence: renewal inside the 90-day line keeps the number, after it is refused and
the licence lapses; changes of product name, trademark or output; stopping use [004 §20–§22]."""

from datetime import date, timedelta

import pytest

from sanpin.certificates.models import Certificate

from .conftest import CONDITIONS
from .test_green_inputs_flow import submitted, to_re_review

pytestmark = pytest.mark.django_db


def licensed(drive, world, entity, on_day, day=date(2025, 9, 30)):
    """Given a licence issued through the whole procedure."""
    app_id = submitted(drive, entity, on_day, day)
    to_re_review(drive, app_id, on_day)
    drive.as_("national").act(app_id, "pass", opinion="复审合格")
    panel = drive.as_("national").act(app_id, "draw_experts", experts={"specialty": "fertilizer", "size": 3}).json()
    for username in [a["user"] for a in panel["current_step"]["assignees"]]:
        expert = next(u for u in world["experts"] if u.username == username)
        drive.as_(expert).act(app_id, "submit_expert_opinion", opinion="同意", favourable=True)
    for action in ("approve", "sign_contract", "confirm_payment"):
        drive.as_("national").act(app_id, action, opinion="同意")
    app = drive.as_("national").act(app_id, "issue_licence").json()
    assert app["state"] == "issued", app
    return Certificate.objects.get(number=app["products"][0]["certificate"])


def complete_renewal(drive, world, app_id):
    drive.upload_required(app_id, kinds=("application_form", "admin_licence"))
    assert drive.submit(app_id).status_code == 200
    to_re_review(drive, app_id, None)
    drive.as_("national").act(app_id, "pass", opinion="复审合格")
    panel = drive.as_("national").act(app_id, "draw_experts", experts={"specialty": "fertilizer", "size": 3}).json()
    for username in [a["user"] for a in panel["current_step"]["assignees"]]:
        expert = next(u for u in world["experts"] if u.username == username)
        drive.as_(expert).act(app_id, "submit_expert_opinion", opinion="同意", favourable=True)
    for action in ("approve", "sign_contract", "confirm_payment"):
        drive.as_("national").act(app_id, action, opinion="同意")
    return drive.as_("national").act(app_id, "issue_licence").json()


def test_a_renewal_in_time_keeps_the_number_and_continues_the_validity(drive, world, gx_entity, on_day):
    old = licensed(drive, world, gx_entity, on_day)
    # 90 days before expiry is the last day to apply
    on_day(old.valid_until - timedelta(days=90))
    created = drive.as_("gx_applicant").create(gx_entity, kind="renewal", products=[], certificate=old.number)
    assert created.status_code == 201, created.json()
    app = complete_renewal(drive, world, created.json()["id"])
    assert app["state"] == "issued"
    renewed = Certificate.objects.get(number=old.number, renewed=False)
    assert renewed.pk != old.pk and renewed.predecessor_id == old.pk
    assert renewed.valid_from == old.valid_until + timedelta(days=1)


def test_a_renewal_after_the_90_day_line_is_refused_and_the_licence_lapses(drive, world, gx_entity, on_day):
    old = licensed(drive, world, gx_entity, on_day)
    on_day(old.valid_until - timedelta(days=89))
    app_id = drive.as_("gx_applicant").create(gx_entity, kind="renewal", products=[],
                                              certificate=old.number).json()["id"]
    drive.upload_required(app_id, kinds=("application_form", "admin_licence"))
    refused = drive.submit(app_id)
    assert refused.status_code == 400 and "90" in refused.json()["fields"]["certificate"][0]

    # After expiry the licence reads as expired and can no longer be renewed
    on_day(old.valid_until + timedelta(days=1))
    old.refresh_from_db()
    assert old.effective_status(old.valid_until + timedelta(days=1)) == "expired"
    drive.as_("gx_applicant").act(app_id, "withdraw", reason="逾期，撤回")
    again = drive.as_("gx_applicant").create(gx_entity, kind="renewal", products=[], certificate=old.number)
    assert again.status_code == 400 and "重新" in again.json()["fields"]["certificate"][0]


def test_a_change_of_trademark_and_output_is_recorded_on_the_licence(drive, world, gx_entity, on_day):
    old = licensed(drive, world, gx_entity, on_day)
    on_day(date(2026, 3, 2))
    app_id = drive.as_("gx_applicant").create(
        gx_entity, kind="change", products=[], certificate=old.number,
        data={"changes": {"trademark": "绿源丰", "approved_output": "6000",
                          "company_name": "广西绿源生物科技有限公司"}}).json()["id"]
    drive.upload_required(app_id, kinds=("application_form",))
    app = drive.submit(app_id).json()
    assert app["state"] == "change_review"
    app = drive.as_("national").act(app_id, "approve_change", opinion="同意变更").json()
    assert app["state"] == "completed"
    old.refresh_from_db()
    assert old.trademark == "绿源丰" and old.approved_output == 6000
    gx_entity.refresh_from_db()
    assert gx_entity.name == "广西绿源生物科技有限公司"


def test_stopping_use_stops_the_licence(drive, world, gx_entity, on_day):
    old = licensed(drive, world, gx_entity, on_day)
    on_day(date(2026, 6, 1))
    app_id = drive.as_("gx_applicant").create(
        gx_entity, kind="stop", products=[], certificate=old.number,
        data={"stop_reason": "生产线停产，丧失绿色生资生产条件", "lost_on": "2026-04-20"}).json()["id"]
    assert drive.submit(app_id).json()["state"] == "stop_review"
    app = drive.as_("national").act(app_id, "confirm_stop", opinion="办理停止使用").json()
    old.refresh_from_db()
    assert old.status == "stopped"
    # Reported more than a month after the conditions were lost: recorded as a late report
    assert app["history"][-1]["details"]["late_report"] is True
    # A stopped licence takes no further applications
    again = drive.as_("gx_applicant").create(gx_entity, kind="renewal", products=[], certificate=old.number)
    assert again.status_code == 400


def test_holders_are_reminded_to_renew_from_180_days_before_expiry(world, gx_entity):
    from sanpin.certificates.tests.factories import issue
    from sanpin.certification.services import renewal_reminders_process
    from sanpin.notifications.models import Notification

    licence = issue(gx_entity, approved_on=date(2025, 11, 20))  # valid until 2028-11-19
    holder = world["gx_applicant"]

    def reminders():
        return Notification.objects.filter(recipient=holder, title__startswith="续展提醒").count()

    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=181)) == 0
    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=180)) == 1
    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=179)) == 0  # same milestone
    # A missed day is caught up at the next milestone; the last one is the day before the line
    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=140)) == 1
    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=91)) == 1
    assert renewal_reminders_process(today=licence.valid_until - timedelta(days=89)) == 0  # too late to renew
    assert reminders() == 3
    body = Notification.objects.filter(recipient=holder).latest("created_at").body
    assert "2028-08-21" in body  # the last day to apply: 90 days before expiry


def test_a_product_made_abroad_is_numbered_by_its_country(drive, world, gx_entity, on_day):
    from sanpin.catalog.models import Country

    Country.objects.get_or_create(iso_code="NL", defaults={"name": "荷兰"})
    app_id = submitted_with(drive, gx_entity, on_day, data={**CONDITIONS, "origin_country": "NL"})
    to_re_review(drive, app_id, on_day)
    drive.as_("national").act(app_id, "pass", opinion="复审合格")
    panel = drive.as_("national").act(app_id, "draw_experts", experts={"specialty": "fertilizer", "size": 3}).json()
    for username in [a["user"] for a in panel["current_step"]["assignees"]]:
        expert = next(u for u in world["experts"] if u.username == username)
        drive.as_(expert).act(app_id, "submit_expert_opinion", opinion="同意", favourable=True)
    for action in ("approve", "sign_contract", "confirm_payment"):
        drive.as_("national").act(app_id, action, opinion="同意")
    app = drive.as_("national").act(app_id, "issue_licence").json()
    number = app["products"][0]["certificate"]
    assert number[12:14] == "51", number  # LSSZ-CC-YYMM then PP: the first foreign country certified
    assert Country.objects.get(iso_code="NL").number_code == "51"


def submitted_with(drive, entity, on_day, data):
    on_day(date(2025, 9, 30))
    app_id = drive.as_("gx_applicant").create(entity, data=data).json()["id"]
    drive.upload_required(app_id)
    assert drive.submit(app_id).status_code == 200
    return app_id
