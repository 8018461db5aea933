"""The standing cache: each entity's score and grade as last computed (`CreditStanding`, one row per
entity), so that lists, the public A list, the sampling draw and the grade distribution read one
indexed table instead of scoring every entity.

- `refresh(entity, on)` recomputes one entity with `scoring` and upserts its row. It runs after a
  credit event is saved (post_save drops the row in the event's transaction and
  `transaction.on_commit` recomputes it, so a rolled-back change refreshes nothing) and from
  `refresh_all`; readers that need today's grade (`current_grades`) recompute a missing row.
- `refresh_all(on)` recomputes, in chunks with bulk upserts, every entity that has credit events or
  holds a certificate not yet expired: decay moves scores day by day and a new rulebook version
  takes effect on its date, so it runs every night (Celery beat task `credit.refresh_all`, or
  `manage.py credit_refresh` from cron).
- `grade_distribution(region)` counts rows per grade in one SQL aggregate.

Entities without a row (no events and no current certificate) are not counted anywhere: they have
nothing to be graded on (docs/decisions/0030-credit.md)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_save

from sanpin.core import clock

from . import rulebook as rulebooks
from . import scoring
from .choices import Grade
from .models import CreditEvent, CreditStanding

CHUNK = 1000
FIELDS = ["score", "grade", "rulebook_version", "computed_on", "negative_since"]


def _row(entity_id: int, result: scoring.CreditScore) -> CreditStanding:
    negatives = [event.occurred_on for event, points in result.contributions if points < 0]
    return CreditStanding(entity_id=entity_id, score=Decimal(str(result.score)), grade=result.grade,
                          rulebook_version=result.rulebook_version, computed_on=result.on,
                          negative_since=max(negatives) if negatives else None)


def _upsert(rows: list[CreditStanding]) -> None:
    CreditStanding.objects.bulk_create(rows, update_conflicts=True, unique_fields=["entity"], update_fields=FIELDS)


def refresh_many(entity_ids: Iterable[int], on: datetime.date | None = None, *, chunk: int = CHUNK) -> int:
    """Recompute the standings of `entity_ids` on `on` (today by default) under the rulebook in
    force that day: per chunk one query for the events and one bulk upsert. Returns the count."""
    on = on or clock.today()
    rulebook = rulebooks.in_force(on)
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        events = defaultdict(list)
        for event in (CreditEvent.objects.filter(entity_id__in=part, occurred_on__lte=on)
                      .only("pk", "entity_id", "kind", "occurred_on").order_by("occurred_on", "pk")):
            events[event.entity_id].append(event)
        _upsert([_row(pk, scoring.compute(events[pk], rulebook, on)) for pk in part])
    return len(ids)


def refresh(entity, on: datetime.date | None = None) -> CreditStanding:
    """Recompute one entity's standing and return its row."""
    refresh_many([entity.pk], on)
    return CreditStanding.objects.get(entity_id=entity.pk)


def graded_entity_ids(on: datetime.date) -> set[int]:
    """Entities that get a standing: those with credit events and the holders of a certificate
    that has not expired on `on` (whatever its status)."""
    from sanpin.certificates.models import Certificate

    with_events = CreditEvent.objects.values_list("entity_id", flat=True).distinct()
    holders = Certificate.objects.filter(valid_until__gte=on).values_list("holder_id", flat=True).distinct()
    return set(with_events) | set(holders)


def refresh_all(on: datetime.date | None = None, *, chunk: int = CHUNK) -> int:
    """The nightly refresh: every graded entity, in chunks. Returns how many were refreshed."""
    on = on or clock.today()
    return refresh_many(graded_entity_ids(on), on, chunk=chunk)


def grade_distribution(region=None) -> dict[str, int]:
    """{"A": n, "B": n, "C": n, "D": n} over the standing rows, in one aggregate. `region`: a
    Region or a region code prefix ("45", "4501"); None for the whole country."""
    rows = CreditStanding.objects.all()
    prefix = getattr(region, "scope_prefix", region)
    if prefix:
        rows = rows.filter(entity__region__code__startswith=prefix)
    counts = dict(rows.order_by().values("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return {grade: counts.get(grade, 0) for grade in Grade.values}


def current_grades(entity_ids: Iterable[int], on: datetime.date | None = None) -> dict[int, str]:
    """The grade of each of `entity_ids` on `on` from the standing table in one query; rows that are
    missing or were computed on another day are refreshed first (one bulk refresh), so after the
    nightly run this is a single read."""
    on = on or clock.today()
    ids = set(entity_ids)
    found = dict(CreditStanding.objects.filter(entity_id__in=ids, computed_on=on)
                 .values_list("entity_id", "grade"))
    stale = ids - set(found)
    if stale:
        refresh_many(stale, on)
        found.update(CreditStanding.objects.filter(entity_id__in=stale).values_list("entity_id", "grade"))
    return found


# --- refresh after a new event ---------------------------------------------------------------------


def _on_event_saved(sender, instance, raw=False, **kwargs):
    """The entity's row no longer holds: drop it inside the event's transaction (so a reader in
    the same transaction, such as a draw right after a lab report, recomputes it) and recompute it
    once the transaction commits. A rolled-back event restores the row with everything else."""
    if raw:
        return
    entity_id = instance.entity_id
    CreditStanding.objects.filter(entity_id=entity_id).delete()
    transaction.on_commit(lambda: refresh_many([entity_id]))


def connect() -> None:
    post_save.connect(_on_event_saved, sender=CreditEvent, dispatch_uid="credit.standing.on_event_saved")
