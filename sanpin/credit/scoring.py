"""Score and grade of an entity on a day, with the contributions that explain them.

score = base + Σ points(kind) × ½^(age / half_life), clamped to 0..100, where age is the days from the
event to the day asked for; events after that day do not count. The grade is the first of A, B, C
whose threshold the score reaches, else D. Nothing is stored: any day and any version can be
recomputed, and "what moved my score" is the contributions sorted by absolute effect."""

import datetime
from dataclasses import dataclass, field

from .choices import GRADES_ABOVE_D, Grade


@dataclass(frozen=True)
class CreditScore:
    score: float
    grade: str
    rulebook_version: int
    on: datetime.date
    contributions: list = field(default_factory=list)  # [(event, points after decay)], largest effect first


def decayed(points: float, age_days: int, half_life_days: int) -> float:
    """`points` after `age_days`: halved every half life (an event of today counts in full)."""
    return points * 0.5 ** (max(age_days, 0) / half_life_days)


def grade_for(score: float, thresholds: dict) -> str:
    for grade in GRADES_ABOVE_D:
        if score >= thresholds[grade]:
            return grade
    return Grade.D.value


def compute(events, rulebook, on: datetime.date) -> CreditScore:
    """Pure: `events` are objects with kind and occurred_on; `rulebook` has weights, half_life_days,
    thresholds, base_score and version."""
    contributions = []
    for event in events:
        if event.occurred_on > on:
            continue
        points = decayed(float(rulebook.weights.get(event.kind, 0)), (on - event.occurred_on).days,
                         rulebook.half_life_days)
        contributions.append((event, round(points, 2)))
    contributions.sort(key=lambda item: (-abs(item[1]), item[0].occurred_on))
    raw = float(rulebook.base_score) + sum(points for _event, points in contributions)
    value = round(min(100.0, max(0.0, raw)), 1)
    return CreditScore(score=value, grade=grade_for(value, rulebook.thresholds), rulebook_version=rulebook.version,
                       on=on, contributions=contributions)


def score(entity, on: datetime.date | None = None, rulebook=None) -> CreditScore:
    """The entity's credit on `on` (today by default) under `rulebook` (the version in force on
    that day by default)."""
    from sanpin.core import clock

    from . import rulebook as rulebooks
    from .models import CreditEvent

    on = on or clock.today()
    rulebook = rulebook or rulebooks.in_force(on)
    events = CreditEvent.objects.filter(entity=entity, occurred_on__lte=on).order_by("occurred_on", "pk")
    return compute(list(events), rulebook, on)
