"""Yearly performance of inspectors and experts [001 §21], as SQL aggregates.

Inspector, per year:
- site inspections: review-step assignments with role "inspector" made in the year
  (sanpin.certification Assignment); *done* when the inspector submitted the report; *on time*
  when the report action was taken on or before the step's due date (a step without a time limit
  counts as on time); *with findings* when the step then ended in rectification or failure;
- annual inspections (sanpin.inspections, when installed): records of the year's plans by the
  inspector; on time when inspected within the plan year; with findings when the conclusion
  was rectify or fail.
Expert, per year: panels drawn onto (accounts ExpertDraw), panels served (Assignment role
"expert"), opinions given, and on time (before the expert-review step's due date).

Every figure is a grouped SQL aggregate (one query per source) except who was drawn onto panels:
ExpertDraw keeps the picks as a JSON list of user ids, which no portable SQL unnests, so the
year's draws (a few thousand) are counted in Python.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, Sum

from sanpin.accounts.models import ExpertDraw
from sanpin.certification.models import Assignment, Event
from sanpin.certification.schemes import SCHEMES

# A site inspection "found something" when the province then ordered rectification or failed it.
FINDING_OUTCOMES = ("order_rectification", "fail")


def _actions_with_effect(effect: str) -> list[str]:
    """Codes of the actions that run `effect` in any scheme (e.g. submitting an inspection report)."""
    return sorted({action.code for config in SCHEMES.values() for spec in config.steps.values()
                   for action in spec.actions if action.effect == effect})


@dataclass
class InspectorYear:
    user: object
    site_assigned: int = 0
    site_done: int = 0
    site_on_time: int = 0
    site_findings: int = 0
    annual_done: int = 0
    annual_on_time: int = 0
    annual_findings: int = 0
    training_courses: int = 0
    training_hours: Decimal = Decimal("0")

    @property
    def done(self) -> int:
        return self.site_done + self.annual_done

    @property
    def on_time(self) -> int:
        return self.site_on_time + self.annual_on_time

    @property
    def findings(self) -> int:
        return self.site_findings + self.annual_findings

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.done:
            return None
        return (Decimal(self.on_time) * 100 / self.done).quantize(Decimal("0.1"))


@dataclass
class ExpertYear:
    user: object
    drawn: int = 0
    served: int = 0
    opinions: int = 0
    on_time: int = 0


def _report_on_time(actions: list[str]) -> Q:
    """The assignee took one of `actions` on the assigned step by the step's due date (local
    day), or the step has no time limit."""
    by_due_date = Exists(Event.objects.filter(
        step=OuterRef("step"), actor=OuterRef("user"), action__in=actions,
        at__date__lte=OuterRef("step__deadline__due_on")))
    return Q(step__deadline__isnull=True) | Q(by_due_date)


def _step_assignments(role: str, user_ids, year: int, done_key: str, effect: str) -> dict[int, dict]:
    done = Q(details__has_key=done_key)
    rows = (Assignment.objects.filter(role=role, user_id__in=user_ids, created_at__year=year)
            .values("user_id")
            .annotate(assigned=Count("pk"), done=Count("pk", filter=done),
                      on_time=Count("pk", filter=done & _report_on_time(_actions_with_effect(effect))),
                      findings=Count("pk", filter=done & Q(step__outcome__in=FINDING_OUTCOMES)))
            .order_by())
    return {row["user_id"]: row for row in rows}


def _annual_inspections(user_ids, year: int) -> dict[int, dict]:
    if not apps.is_installed("sanpin.inspections"):
        return {}
    record = apps.get_model("inspections", "InspectionRecord")
    rows = (record.objects.filter(inspector_id__in=user_ids, item__plan__year=year)
            .values("inspector_id")
            .annotate(done=Count("pk"), on_time=Count("pk", filter=Q(inspected_on__year__lte=year)),
                      findings=Count("pk", filter=Q(conclusion__in=("rectify", "fail"))))
            .order_by())
    return {row["inspector_id"]: row for row in rows}


def _trainings(trainings, user_ids, year: int) -> dict[int, dict]:
    rows = (trainings.filter(person_id__in=user_ids, ended_on__year=year).values("person_id")
            .annotate(courses=Count("pk"), hours=Sum("hours")).order_by())
    return {row["person_id"]: row for row in rows}


def inspector_years(persons, year: int, trainings) -> list[InspectorYear]:
    """One InspectorYear per user of `persons` (a list), from three grouped queries;
    `trainings` is the caller's scoped TrainingRecord queryset."""
    ids = [p.pk for p in persons]
    site = _step_assignments("inspector", ids, year, "report", "inspection_report")
    annual = _annual_inspections(ids, year)
    trained = _trainings(trainings, ids, year)
    out = []
    for person in persons:
        s, a, t = site.get(person.pk, {}), annual.get(person.pk, {}), trained.get(person.pk, {})
        out.append(InspectorYear(
            user=person, site_assigned=s.get("assigned", 0), site_done=s.get("done", 0),
            site_on_time=s.get("on_time", 0), site_findings=s.get("findings", 0),
            annual_done=a.get("done", 0), annual_on_time=a.get("on_time", 0), annual_findings=a.get("findings", 0),
            training_courses=t.get("courses", 0), training_hours=t.get("hours") or Decimal("0")))
    return out


def _drawn(user_ids, year: int) -> Counter:
    wanted = set(user_ids)
    counts: Counter = Counter()
    for picked in ExpertDraw.objects.filter(created_at__year=year).values_list("picked_ids", flat=True):
        counts.update(uid for uid in set(picked or []) if uid in wanted)
    return counts


def expert_years(users, year: int) -> list[ExpertYear]:
    ids = [u.pk for u in users]
    served = _step_assignments("expert", ids, year, "favourable", "expert_opinion")
    drawn = _drawn(ids, year)
    out = []
    for user in users:
        s = served.get(user.pk, {})
        out.append(ExpertYear(user=user, drawn=drawn.get(user.pk, 0), served=s.get("assigned", 0),
                              opinions=s.get("done", 0), on_time=s.get("on_time", 0)))
    return out


def default_year(today: datetime.date) -> int:
    return today.year
