"""Events: the transition table walked whole, and the services refusing what it does not allow."""

import datetime

import pytest

from sanpin.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent

from .. import services
from ..choices import EventKind, EventStatus
from ..models import Event
from ..transitions import EVENT_TRANSITIONS
from .factories import TODAY, event

pytestmark = pytest.mark.django_db


def _event_in(status, users, agencies):
    """An event put straight into `status` (the services get there only step by step)."""
    # Starting today with sign-up closing today: every guard of the table holds.
    made = event(users["sh_province"], agencies["sh"], starts_on=TODAY, deadline=TODAY, open_=False)
    Event.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


def _run(action, made, users):
    actor = users["sh_province"]
    if action == "record_results":
        return services.event_results_record(actor=actor, event=made, visitors=1000, deals_count=3,
                                             deals_amount="12.5")
    return services.event_transition(actor=actor, event=made, action=action, reason="场地调整")


@pytest.mark.parametrize("status", EventStatus.values)
@pytest.mark.parametrize("action", sorted({t.action for t in EVENT_TRANSITIONS}))
def test_every_action_from_every_status_follows_the_table(users, agencies, today, status, action):
    made = _event_in(status, users, agencies)
    allowed = next((t for t in EVENT_TRANSITIONS if t.action == action and t.source == status), None)
    audits = AuditEvent.objects.count()
    if allowed is None:
        with pytest.raises(TransitionNotAllowed):
            _run(action, made, users)
        made.refresh_from_db()
        assert made.status == status
        assert AuditEvent.objects.count() == audits
    else:
        result = _run(action, made, users)
        assert result.status == allowed.target
        assert AuditEvent.objects.filter(verb=f"promotion.event.{action}").count() == 1


def test_opening_needs_a_deadline_still_to_come(users, agencies, today):
    made = event(users["sh_province"], agencies["sh"], starts_on=datetime.date(2026, 5, 12),
                 deadline=datetime.date(2026, 5, 10), open_=False)
    with pytest.raises(ValidationFailed) as refused:
        services.event_transition(actor=users["sh_province"], event=made, action="open")
    assert "截止日期已过" in str(refused.value.fields["signup_deadline"])
    made.refresh_from_db()
    assert made.status == EventStatus.DRAFT


def test_results_wait_for_the_event_to_begin(users, agencies, today):
    made = _event_in(EventStatus.CLOSED, users, agencies)
    Event.objects.filter(pk=made.pk).update(starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 6, 2))
    with pytest.raises(ValidationFailed):
        services.event_results_record(actor=users["sh_province"], event=made, visitors=10, deals_count=None,
                                      deals_amount=None)


def test_cancelling_needs_a_reason(users, agencies, today):
    made = event(users["sh_province"], agencies["sh"])
    with pytest.raises(ValidationFailed) as refused:
        services.event_transition(actor=users["sh_province"], event=made, action="cancel", reason=" ")
    assert "reason" in refused.value.fields


def test_dates_are_checked(users, agencies, today):
    with pytest.raises(ValidationFailed) as refused:
        services.event_create(actor=users["sh_province"], organiser=agencies["sh"], kind=EventKind.LOCAL_FAIR,
                              title="展销", starts_on=datetime.date(2026, 6, 5), ends_on=datetime.date(2026, 6, 1),
                              place="徐汇", signup_deadline=datetime.date(2026, 6, 1), description="")
    assert "ends_on" in refused.value.fields
    assert not Event.objects.exists()


def test_staff_organise_only_for_agencies_of_their_region(users, agencies, today):
    with pytest.raises(ValidationFailed) as refused:
        services.event_create(actor=users["gx_province"], organiser=agencies["sh"], kind=EventKind.LOCAL_FAIR,
                              title="展销", starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 6, 1),
                              place="徐汇", signup_deadline=datetime.date(2026, 5, 30), description="")
    assert "organiser" in refused.value.fields
    made = event(users["sh_province"], agencies["sh"])
    with pytest.raises(NotFound):
        services.event_transition(actor=users["gx_province"], event=made, action="close")
    # The national centre's staff manage every region's events.
    assert services.event_transition(actor=users["national"], event=made, action="close").status == EventStatus.CLOSED
