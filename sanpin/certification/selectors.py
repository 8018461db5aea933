"""Reads for the workbench, the application page and the API: step clocks and task lists.
Overdue and days left are computed at read time from the stored deadline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.core import clock, keyset
from sanpin.core.workdays import working_days_between

from .choices import DRAFT, Level
from .models import Application, Step
from .schemes import scheme_config
from .warnings import draft_warnings

# The application lists' order (UI and API): newest first, the id breaking ties.
LIST_ORDER = keyset.SortKey(("-created_at", "-id"))
WARN_DAYS = 2  # yellow when this many working days or fewer are left


@dataclass(frozen=True)
class StepClock:
    due_on: date | None
    days_left: int | None  # working days; negative when overdue
    overdue: bool
    warn: bool
    paused: bool
    provisional: bool
    provisional_reason: str

    @property
    def css(self) -> str:
        return "deadline-late" if self.overdue else "deadline-warn" if self.warn else ""


def step_clock(step: Step, today: date | None = None) -> StepClock:
    today = today or clock.today()
    paused = step.paused_at is not None
    deadline = step.deadline if step.deadline_id else None
    if deadline is None or step.finished_at is not None:
        return StepClock(deadline.due_on if deadline else None, None, False, False, paused, False, "")
    due = deadline.due_on
    if paused:
        left = step.remaining_wd
    elif due >= today:
        left = working_days_between(today, due).count
    else:
        left = -working_days_between(due, today).count
    overdue = not paused and due < today
    return StepClock(due, left, overdue, not overdue and not paused and left is not None and left <= WARN_DAYS,
                     paused, deadline.provisional, deadline.provisional_reason)


def open_steps():
    return (
        Step.objects.filter(finished_at__isnull=True, paused_at__isnull=True)
        .exclude(application__state=DRAFT)
        .select_related("application__entity__region", "deadline")
    )


def my_tasks(user):
    """The open steps waiting for this user: by level and region for agency staff, by entity for
    applicants, by assignment for inspectors, experts and labs."""
    conditions = Q(pk__in=[])
    roles = user.roles
    agency = user.agency if user.agency_id else None
    if Role.PROVINCIAL_REVIEWER in roles and agency and agency.region_id:
        conditions |= _at(Level.PROVINCE) & Q(application__entity__region__code__startswith=agency.region.scope_prefix)
    if Role.LOCAL_STAFF in roles and agency and agency.level in (Level.CITY, Level.COUNTY):
        conditions |= _at(agency.level) & Q(application__entity__region__code__startswith=agency.region.scope_prefix)
    if Role.NATIONAL_REVIEWER in roles and (agency is None or agency.level == AgencyLevel.NATIONAL):
        conditions |= _at(Level.NATIONAL, Level.EXPERT, Level.LAB)
    if Role.APPLICANT in roles and user.entity_id:
        conditions |= _at(Level.APPLICANT) & Q(application__entity_id=user.entity_id)
    conditions |= Q(assignments__user=user)
    if Role.LAB in roles and user.entity_id:
        conditions |= Q(assignments__lab_id=user.entity_id)
    return (
        open_steps().filter(code=F("application__state")).filter(conditions).distinct()
        .order_by(F("deadline__due_on").asc(nulls_last=True), "started_at")
    )


def _at(*levels) -> Q:
    """Steps of any scheme whose level is one of `levels` (step codes repeat across schemes with
    different levels, so each scheme is matched with its own codes)."""
    from .schemes import SCHEMES

    condition = Q(pk__in=[])
    for code, config in SCHEMES.items():
        steps = sorted(step for step, spec in config.steps.items() if spec.level in levels)
        if steps:
            condition |= Q(application__scheme=code, code__in=steps)
    return condition


def application_detail(application: Application):
    """Everything the application page and API show: steps with clocks, events, fees."""
    config = scheme_config(application.scheme)
    steps = list(application.steps.select_related("deadline").prefetch_related("assignments__user",
                                                                                "assignments__lab"))
    return {
        "config": config,
        "steps": [(s, config.steps.get(s.code), step_clock(s)) for s in steps],
        "events": list(application.events.select_related("actor")),
        "fees": list(application.fees.all()),
        "products": list(application.products.select_related("certificate")),
        "declared_inputs": list(application.declared_inputs.select_related("product")),
        "attachments": list(application.attachments.select_related("uploaded_by")),
        "notices": list(application.notices.all()),
        "review_flags": draft_warnings(application),
    }
