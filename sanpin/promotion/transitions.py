"""The life of an event and of a participation as data: action, from, to, and the guard that must
hold. Anything not in the tables is refused with TransitionNotAllowed (409)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanpin.core import clock

from .choices import EventStatus, ParticipationStatus


def _may_open(event) -> dict:
    """Sign-up opens only with a deadline still to come, on or before the last day of the event."""
    errors = {}
    if event.signup_deadline < clock.today():
        errors["signup_deadline"] = gettext("报名截止日期已过，请先修改截止日期")
    return errors


def _may_record_results(event) -> dict:
    """Results are recorded once the event has begun."""
    if event.starts_on > clock.today():
        return {"starts_on": gettext("活动尚未开始，不能登记举办结果")}
    return {}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str
    needs_reason: bool = False
    guard: Callable | None = None


EVENT_TRANSITIONS = (
    Transition("open", EventStatus.DRAFT, EventStatus.OPEN, _("开放报名"), guard=_may_open),
    Transition("close", EventStatus.OPEN, EventStatus.CLOSED, _("截止报名")),
    Transition("record_results", EventStatus.CLOSED, EventStatus.HELD, _("登记举办结果"), guard=_may_record_results),
    Transition("cancel", EventStatus.DRAFT, EventStatus.CANCELLED, _("取消活动"), needs_reason=True),
    Transition("cancel", EventStatus.OPEN, EventStatus.CANCELLED, _("取消活动"), needs_reason=True),
    Transition("cancel", EventStatus.CLOSED, EventStatus.CANCELLED, _("取消活动"), needs_reason=True),
)
EVENT_ACTIONS = {t.action for t in EVENT_TRANSITIONS}
# Actions offered as plain buttons on the management page (results have their own form).
BUTTON_ACTIONS = ("open", "close", "cancel")

PARTICIPATION_TRANSITIONS = (
    Transition("approve", ParticipationStatus.PENDING, ParticipationStatus.APPROVED, _("通过")),
    Transition("reject", ParticipationStatus.PENDING, ParticipationStatus.REJECTED, _("不通过"), needs_reason=True),
)
PARTICIPATION_ACTIONS = {t.action for t in PARTICIPATION_TRANSITIONS}
# Participants are reviewed while the event takes sign-ups or has just closed them.
REVIEWABLE_EVENT_STATUSES = (EventStatus.OPEN, EventStatus.CLOSED)


def find(table, action: str, source: str) -> Transition | None:
    return next((t for t in table if t.action == action and t.source == source), None)


def available(table, status: str) -> list[Transition]:
    return [t for t in table if t.source == status]
