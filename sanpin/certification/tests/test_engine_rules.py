"""The engine's rules apart from any one path: the transition table is sound, anything outside
it is refused, deadlines are judged at read time, reminders and escalation run once."""

from datetime import date

import pytest
from django.core.management import call_command

from sanpin.certification import engine
from sanpin.certification.choices import STATE_LABELS, TERMINAL
from sanpin.certification.models import Application, Step
from sanpin.certification.schemes import SCHEMES
from sanpin.certification.schemes.base import RESUME, RETURN, STAY
from sanpin.certification.schemes.shared import CREDIT_INSPECTION
from sanpin.certification.selectors import step_clock
from sanpin.certification.services import deadlines_process
from sanpin.core.calendar_services import holiday_notice_save
from sanpin.core.errors import TransitionNotAllowed
from sanpin.notifications.models import Notification

from .test_green_inputs_flow import submitted

SPECIAL = {STAY, RESUME, RETURN}


@pytest.mark.parametrize("config", SCHEMES.values(), ids=list(SCHEMES))
def test_every_transition_leads_somewhere_known(config):
    known = set(config.steps) | set(TERMINAL) | SPECIAL
    for state, action, target in config.transitions():
        assert target in known, f"{config.code}: {state} --{action}--> {target} leads nowhere"
    for first in config.first_step.values():
        assert first in config.steps
    # Every step is reachable from a first step (or the credit site inspection, entered at
    # submission when the applicant's grade calls for it)
    reachable, frontier = set(), [*config.first_step.values(), *({CREDIT_INSPECTION} & set(config.steps))]
    while frontier:
        state = frontier.pop()
        if state in reachable or state not in config.steps:
            continue
        reachable.add(state)
        frontier += [t for s, _a, t in config.transitions() if s == state]
    shared = {s for s in config.steps if s in STATE_LABELS}
    assert set(config.steps) - shared <= reachable


@pytest.mark.django_db
def test_every_action_outside_the_table_is_refused(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)
    application = Application.objects.get(pk=app_id)
    config = SCHEMES["green_inputs"]
    allowed = {a.code for a in config.step("preliminary_review").actions}
    every_action = {action for _s, action, _t in config.transitions()}
    for action in sorted(every_action - allowed):
        with pytest.raises(TransitionNotAllowed):
            engine.application_act(actor=world["national"], application=application, action=action)
    assert drive.as_("gx_province").act(app_id, "no_such_action").status_code == 409


@pytest.mark.django_db
def test_days_left_turn_yellow_then_red_and_the_job_reminds_and_escalates_once(drive, world, gx_entity, on_day):
    app_id = submitted(drive, gx_entity, on_day)  # preliminary review due 2025-10-21
    step = Step.objects.get(application_id=app_id, code="preliminary_review")
    assert step_clock(step, date(2025, 10, 17)).days_left == 2 and step_clock(step, date(2025, 10, 17)).warn
    late = step_clock(step, date(2025, 10, 23))
    assert late.overdue and late.days_left == -2

    province_staff = world["gx_province"]
    before = Notification.objects.filter(recipient=province_staff).count()
    assert deadlines_process(today=date(2025, 10, 17)) == {"reminded": 1, "escalated": 0}
    assert deadlines_process(today=date(2025, 10, 17)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=province_staff).count() == before + 1
    assert deadlines_process(today=date(2025, 10, 22)) == {"reminded": 0, "escalated": 1}
    call_command("process_deadlines", "--date", "2025-10-23")
    step.refresh_from_db()
    assert step.escalated_at is not None
    assert Notification.objects.filter(recipient=world["national"], title__startswith="超期").count() == 1


@pytest.mark.django_db
def test_a_deadline_reaching_into_an_unpublished_year_is_provisional_until_the_notice(drive, world, gx_entity,
                                                                                       on_day):
    app_id = submitted(drive, gx_entity, on_day, day=date(2026, 12, 24))
    app = drive.get(app_id).json()
    assert app["current_step"]["clock"]["provisional"] and "2027" in app["current_step"]["clock"]["provisional_reason"]
    assert app["deadline"] == "2027-01-07"  # weekends only

    # When the 2027 notice is entered (New Year: 01-01..01-03 off, say), the deadline moves
    holiday_notice_save(actor=world["national"], year=2027, title="国务院办公厅关于2027年部分节假日安排的通知",
                        document_no="", source_url="", published_on=date(2026, 11, 1),
                        off_days=[date(2027, 1, 1)], workdays=[])
    app = drive.get(app_id).json()
    assert not app["current_step"]["clock"]["provisional"]
    assert app["deadline"] == "2027-01-08"


@pytest.mark.parametrize("code", list(SCHEMES))
def test_the_documented_diagram_is_the_configured_workflow(code):
    from pathlib import Path

    from sanpin.certification.diagram import mermaid

    doc = (Path(__file__).resolve().parents[3] / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert mermaid(SCHEMES[code]) in doc, f"docs/workflow.md is out of date: regenerate the {code} diagram"


@pytest.mark.django_db
def test_an_action_meant_for_a_step_already_moved_on_is_refused(drive, world, gx_entity, on_day):
    """A double click on "pass" must not pass the next step as well."""
    app_id = submitted(drive, gx_entity, on_day)
    first = drive.as_("gx_province").act(app_id, "pass", opinion="初审合格", state="preliminary_review")
    assert first.status_code == 200 and first.json()["state"] == "site_inspection"
    again = drive.as_("gx_province").act(app_id, "pass", opinion="初审合格", state="preliminary_review")
    assert again.status_code == 409 and "他人办理" in again.json()["message"]


@pytest.mark.django_db
def test_the_application_list_costs_the_same_few_queries_for_many_rows(drive, world, gx_entity, on_day,
                                                                        django_assert_max_num_queries):
    for _ in range(6):
        submitted(drive, gx_entity, on_day)
    drive.as_("gx_province")
    with django_assert_max_num_queries(12):
        response = drive.api.get("/api/v1/applications/")
    assert response.json()["count"] == 6 and response.json()["results"][0]["deadline"]
