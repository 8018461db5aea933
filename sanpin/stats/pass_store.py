"""First-pass counts kept per applicant region, scheme, kind and year, so that the first-pass
rates (sanpin.stats.review_quality) do not aggregate every decided application and its events on
each request (docs/decisions/0041-kept-first-pass-counts.md).

A count is a function of the applications (kind, scheme, state, closed_at, applicant), their
sent-back events and the applicants' regions only. Whenever one of those rows is written, the
receivers in sanpin.stats.signals mark its (applicant region, scheme) pair stale in the same
transaction. A read takes the kept cells of the pairs with no mark and counts the marked pairs
live, so the answer is the live query's at every moment; the refresh (every ten minutes, and
by `manage.py refresh_pass_rates`) recounts the marked pairs and clears the marks while holding the
mark table locked, so no mark is cleared for a change it did not see.

Every year is kept: the refresh groups all decided applications by the year their review ended,
so after the first refresh any year can be read from the cells (a year with no cell counts none)."""

from django.db import connection, transaction
from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Concat, ExtractYear
from django.utils import timezone

from sanpin.catalog.models import Region
from sanpin.certification.models import Application

from . import drilldown, holders, review_quality
from .models import PassRateCount, PassRateRefresh, PassRateStale


def _pair(region_field: str, scheme_field: str):
    """The (region, scheme) pair as one string, so a list of pairs is one hashed IN list."""
    return Concat(region_field, Value("|"), scheme_field, output_field=CharField())


def _stale_pairs(*, parent: Region | None = None, scheme: str = "") -> list[str]:
    marks = PassRateStale.objects.all()
    if scheme:
        marks = marks.filter(scheme=scheme)
    if parent is not None:
        marks = marks.filter(region_code__startswith=parent.scope_prefix)
    return sorted({f"{code}|{kept_scheme}" for code, kept_scheme in marks.values_list("region_code", "scheme")})


def _live_where(pairs: list[str]) -> Q:
    # The region list lets the database start from the applicants of those regions (the
    # applications' entity index), the pair list keeps only the marked schemes of each.
    regions = sorted({pair.split("|", 1)[0] for pair in pairs})
    return holders.held_in(Application, "entity", regions) & Q(pair__in=pairs)


def kept_lines(children: list[Region], *, year: int, parent: Region | None, scheme: str = "") -> list[dict] | None:
    """[{"key": child prefix, "kind", "total", "passed"}] for `year` from the kept cells plus the
    marked pairs counted live; None before the first refresh."""
    if not PassRateRefresh.objects.exists():
        return None
    # The marked pairs are read once and used for both parts: a mark committed in between must
    # not drop a kept cell that is then not counted live either.
    pairs = _stale_pairs(parent=parent, scheme=scheme)
    kept = PassRateCount.objects.filter(drilldown.within("region", parent), year=year)
    if scheme:
        kept = kept.filter(scheme=scheme)
    if pairs:
        kept = kept.annotate(pair=_pair("region_id", "scheme")).exclude(pair__in=pairs)
    lines = list(kept.annotate(key=drilldown.child_key("region", children)).values("key", "kind").order_by()
                 .annotate(total=Sum("decided"), passed=Sum("passed")))
    if pairs:
        lines += review_quality.live_lines(children, year=year, parent=parent, scheme=scheme,
                                           where=_live_where(pairs), annotate={"pair": _pair("entity__region_id",
                                                                                              "scheme")})
    return lines


def live_cells(pairs: list[str] | None = None) -> list[PassRateCount]:
    """The cells of every year counted from the applications (all, or those of `pairs`)."""
    rows, passed = review_quality.decided()
    if pairs is not None:
        rows = rows.annotate(pair=_pair("entity__region_id", "scheme")).filter(_live_where(pairs))
    year = ExtractYear("closed_at", tzinfo=timezone.get_default_timezone())
    lines = (rows.filter(closed_at__isnull=False).annotate(year=year)
             .values("year", "entity__region_id", "scheme", "kind").order_by()
             .annotate(total=Count("pk"), passed=Count("pk", filter=passed)))
    return [PassRateCount(year=line["year"], region_id=line["entity__region_id"], scheme=line["scheme"],
                          kind=line["kind"], decided=line["total"], passed=line["passed"]) for line in lines]


@transaction.atomic
def refresh(*, full: bool = False) -> dict:
    """Bring the kept counts up to date: recount the marked pairs (every pair with `full`, or
    before the first refresh), clear the marks. Returns what it did. Run every ten minutes: with
    nothing marked it returns without locking or writing anything."""
    if not full and not PassRateStale.objects.exists() and PassRateRefresh.objects.exists():
        return {"full": False, "stale_pairs": 0, "cells": 0}
    if connection.vendor == "postgresql":
        # Writers mark pairs in their own transaction; waiting for them here and keeping new ones
        # waiting until this commits means every mark cleared below was seen by the recount.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {PassRateStale._meta.db_table} IN EXCLUSIVE MODE")
    full = full or not PassRateRefresh.objects.exists()
    pairs = None if full else _stale_pairs()
    if full:
        PassRateCount.objects.all().delete()
    elif pairs:
        PassRateCount.objects.annotate(pair=_pair("region_id", "scheme")).filter(pair__in=pairs).delete()
    cells = live_cells(pairs) if full or pairs else []
    PassRateCount.objects.bulk_create(cells, batch_size=2000)
    if full and connection.vendor == "postgresql":
        # Fresh statistics, so the reads aggregate the new cells by hash, not by sorting them.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PassRateCount._meta.db_table}")
    PassRateStale.objects.all().delete()
    PassRateRefresh.objects.update_or_create(pk=1, defaults={"computed_at": timezone.now()})
    return {"full": full, "stale_pairs": len(pairs or []), "cells": len(cells)}
