"""Valid-product counts kept per holder region, scheme and day, so that progress to target does
not aggregate every term in force on each request (bench/README.md, docs/decisions/0039-kept-valid-counts.md).

Kept days are the 31 December of every target year that has ended, and today. The refresh
(`refresh`, Celery task "stats.refresh_valid_counts", nightly for the new day and every ten
minutes for the cells marked since) counts them with the live query of
sanpin.stats.valid_counts, grouped by the holder's region and the scheme.

A count for a day is a function of the certificates (terms, holders, status histories), the GI
registrations and the holders' regions only. Whenever one of those rows is written, the receivers
in sanpin.stats.signals mark its (holder region, scheme) cell stale in the same transaction. A
read takes the kept cells of the regions with no stale cell of the measure and counts those
regions live, so the answer is the live query's at every moment; the refresh recomputes the stale
cells and clears the marks while holding the mark table locked, so no mark is cleared for a change
it did not see."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from sanpin.catalog.models import Region
from sanpin.core import clock

from . import drilldown, holders, valid_counts
from .models import Target, TargetMeasure, ValidCount, ValidCountDay, ValidCountStale

GI = "gi"
# The certificate schemes some measure counts, and GI registrations: the kept cells.
CERTIFICATE_SCHEMES = tuple(sorted({s for schemes in valid_counts.MEASURE_SCHEMES.values() for s in schemes}))
KEPT_SCHEMES = (*CERTIFICATE_SCHEMES, GI)


def measure_keys(measure: str) -> tuple[str, ...]:
    return (GI,) if measure == TargetMeasure.GI else tuple(valid_counts.MEASURE_SCHEMES[measure])


def _stale_pair(region_ref: str, scheme_ref: str):
    return Exists(ValidCountStale.objects.filter(region_code=OuterRef(region_ref), scheme=OuterRef(scheme_ref)))


def kept_counts(children: list[Region], *, on: datetime.date, parent: Region | None, measure: str) -> list[dict] | None:
    """[{"key": child prefix, "n": products}] for `on` from the kept cells plus the stale cells
    counted live; None when `on` is not a kept day."""
    if not ValidCountDay.objects.filter(day=on).exists():
        return None
    keys = measure_keys(measure)
    marks = ValidCountStale.objects.filter(scheme__in=keys)
    if parent is not None:
        marks = marks.filter(region_code__startswith=parent.scope_prefix)
    # A region with any stale cell of this measure is counted live as a whole, and the kept cells
    # left out are exactly those regions (the list read here, not the mark table again: a mark
    # committed in between must not drop a kept cell that is then not counted live either).
    stale_regions = sorted(set(marks.values_list("region_code", flat=True)))
    kept = (ValidCount.objects.filter(drilldown.within("region", parent), day_id=on, scheme__in=keys)
            .exclude(region_id__in=stale_regions)
            .annotate(key=drilldown.child_key("region", children)).values("key").order_by().annotate(n=Sum("n")))
    lines = list(kept)
    if stale_regions:
        lines += valid_counts.live_lines(children, on=on, parent=parent, measure=measure,
                                         where=_held_in(measure, stale_regions))
    return lines


def _held_in(measure: str, regions: list[str]) -> Q:
    from sanpin.certificates.models import Certificate
    from sanpin.gi.models import GIRegistration

    return holders.held_in(GIRegistration if measure == TargetMeasure.GI else Certificate, "holder", regions)


def live_cells(on: datetime.date, *, only_stale: bool = False) -> list[ValidCount]:
    """The cells of `on` counted from the certificates (all of them, or the stale ones)."""
    cells = []
    stale_regions = (sorted(set(ValidCountStale.objects.values_list("region_code", flat=True)))
                     if only_stale else None)
    if stale_regions == []:
        return cells
    from sanpin.certificates.models import Certificate
    from sanpin.gi.models import GIRegistration

    where, gi_where = Q(), Q()
    if stale_regions is not None:
        where = holders.held_in(Certificate, "holder", stale_regions)
        gi_where = holders.held_in(GIRegistration, "holder", stale_regions)
    rows, counted = valid_counts.certificates_in_force(on, CERTIFICATE_SCHEMES, where)
    if only_stale:
        rows = rows.filter(_stale_pair("holder__region_id", "scheme"))
    lines = rows.values("holder__region_id", "scheme").order_by().annotate(n=Count("pk", filter=counted))
    gi_rows, gi_counted = valid_counts.gi_in_force(on, gi_where)
    if only_stale:
        gi_rows = gi_rows.filter(Exists(ValidCountStale.objects.filter(region_code=OuterRef("holder__region_id"),
                                                                       scheme=GI)))
    gi_lines = gi_rows.values("holder__region_id").order_by().annotate(n=Count("pk", filter=gi_counted))
    with valid_counts.without_jit():
        for line in lines:
            if line["n"]:
                cells.append(ValidCount(day_id=on, region_id=line["holder__region_id"], scheme=line["scheme"],
                                        n=line["n"]))
        for line in gi_lines:
            if line["n"]:
                cells.append(ValidCount(day_id=on, region_id=line["holder__region_id"], scheme=GI, n=line["n"]))
    return cells


def days_to_keep(today: datetime.date) -> set[datetime.date]:
    """Today and the 31 December of every target year that has ended."""
    years = Target.objects.exclude(measure__in=[m for m in TargetMeasure.values
                                                if m not in valid_counts.MEASURE_SCHEMES])
    ended = {datetime.date(year, 12, 31) for year in years.values_list("year", flat=True).distinct()}
    return {today} | {day for day in ended if day < today}


@transaction.atomic
def refresh(today: datetime.date | None = None, *, full: bool = False) -> dict:
    """Bring the kept counts up to date: drop days no longer kept, count new days in full,
    recount the stale cells of the others, clear the marks. `full` counts every day in full
    (after rows were written without the model's signals, e.g. a bulk load). Returns what it did.

    Run every ten minutes as well as nightly (docs/decisions/0041-kept-first-pass-counts.md): with
    nothing marked and no new day it returns without locking or writing anything."""
    today = today or clock.today()
    if not full and not ValidCountStale.objects.exists():
        wanted = days_to_keep(today)
        if set(ValidCountDay.objects.values_list("day", flat=True)) == wanted:
            return {"days": len(wanted), "new_days": 0, "stale_cells": 0}
    if connection.vendor == "postgresql":
        # Writers mark cells in their own transaction; waiting for them here and keeping new ones
        # waiting until this commits means every mark cleared below was seen by the recount.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ValidCountStale._meta.db_table} IN EXCLUSIVE MODE")
    wanted = days_to_keep(today)
    ValidCountDay.objects.exclude(day__in=[] if full else wanted).delete()
    kept = set(ValidCountDay.objects.values_list("day", flat=True))
    stale = ValidCountStale.objects.count()
    for day in sorted(kept):
        if stale:
            ValidCount.objects.filter(day_id=day).filter(_stale_pair("region_id", "scheme")).delete()
            ValidCount.objects.bulk_create(live_cells(day, only_stale=True), batch_size=2000)
    now = timezone.now()
    for day in sorted(wanted - kept):
        ValidCountDay.objects.create(day=day, computed_at=now)
        ValidCount.objects.bulk_create(live_cells(day), batch_size=2000)
    ValidCountStale.objects.all().delete()
    ValidCountDay.objects.filter(day__in=kept).update(computed_at=now)
    return {"days": len(wanted), "new_days": len(wanted - kept), "stale_cells": stale}
