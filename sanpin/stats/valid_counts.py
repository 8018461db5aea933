"""Products with a valid certificate on a given day, per child region (SPEC §8; seed 002's annex
counts "有效期内绿色食品、有机农产品" products on 31 December).

The unit is the certified product. Every certificate row is one term of one product, and a
renewal term starts only after the term it renews has ended (sanpin.certificates.services refuses
an overlap), so on any one day a product has at most one term in force: counting the terms in
force counts the products (docs/decisions/0031-targets.md).

A term counts on day D when
- valid_from ≤ D ≤ valid_until, and
- its status on D, read from its status history, is valid or in rectification: the last change
  made on or before D (in the system's time zone; a change made during D counts, so a licence
  revoked on 31 December is not counted on that day). A term whose history starts after D (a
  record entered later for an earlier term) had, on D, the status its first change started from,
  or "valid" when that first change is its issue.

Reading the history is skipped for a row not saved since the end of D (`updated_at`): every
status change saves its row (the services write `status` with `updated_at`), so such a row's
stored status is the status it had on D. Only rows touched after D read their history; for a
past year that is a small share of the rows, which keeps the count fast at national scale.

GI registrations have no term: a registration counts from its registration day while its status
history says registered.

One aggregate query per call, grouped by the child region's code prefix of the holder's region
(sanpin.stats.drilldown.child_key); nothing loops over rows or regions in Python."""

import contextlib
import datetime

from django.db import connections, transaction
from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from sanpin.catalog.models import Region
from sanpin.certificates.choices import Scheme, Status
from sanpin.core import replica

from . import drilldown
from .models import TargetMeasure

# What each measure counts (the organic scheme of this system is COFCC's, as the annex requires).
MEASURE_SCHEMES = {
    TargetMeasure.GREEN_ORGANIC: (Scheme.GREEN_FOOD, Scheme.ORGANIC),
    TargetMeasure.GREEN_FOOD: (Scheme.GREEN_FOOD,),
    TargetMeasure.ORGANIC: (Scheme.ORGANIC,),
    TargetMeasure.FEATURED: (Scheme.FEATURED,),
    TargetMeasure.GI: (),  # GI registrations, a table of their own
}
COUNTING_STATUSES = (Status.VALID, Status.IN_RECTIFICATION)


def end_of_day(on: datetime.date) -> datetime.datetime:
    """The first moment after `on`, in the system's time zone."""
    return timezone.make_aware(datetime.datetime.combine(on + datetime.timedelta(days=1), datetime.time()))


def status_on(history_model, owner_field: str, on: datetime.date, first_status: str):
    """An expression for a row's status on `on`: its stored status if it was not saved after
    that day, else read from its append-only history (see module doc)."""
    moment = end_of_day(on)
    history = history_model.objects.filter(**{owner_field: OuterRef("pk")})
    last_before = history.filter(at__lt=moment).order_by("-at", "-pk").values("to_status")[:1]
    first_after = history.filter(at__gte=moment).order_by("at", "pk").values("from_status")[:1]
    from_history = Coalesce(Subquery(last_before), NullIf(Subquery(first_after), Value("")), Value(first_status),
                            output_field=CharField())
    return Case(When(updated_at__lt=moment, then=F("status")), default=from_history, output_field=CharField())


def in_force(on: datetime.date, *, measure: str, region: Region | None = None):
    """(Rows within their term on `on` within `region`, the condition on `status_then` that counts
    them): certificate terms of the measure's schemes, or GI registrations registered by then."""
    where = drilldown.within("holder__region", region)
    if measure == TargetMeasure.GI:
        return gi_in_force(on, where)
    return certificates_in_force(on, MEASURE_SCHEMES[measure], where)


def certificates_in_force(on: datetime.date, schemes, where: Q):
    """Certificate terms of `schemes` within their term on `on` matching `where`, with `status_then`."""
    from sanpin.certificates.models import Certificate, StatusChange

    rows = Certificate.objects.filter(where, scheme__in=schemes, valid_from__lte=on, valid_until__gte=on)
    status = status_on(StatusChange, "certificate", on, Status.VALID)
    return rows.annotate(status_then=status), Q(status_then__in=COUNTING_STATUSES)


def gi_in_force(on: datetime.date, where: Q):
    """GI registrations registered by `on` matching `where`, with `status_then`."""
    from sanpin.gi.choices import RegistrationStatus
    from sanpin.gi.models import GIRegistration, GIStatusChange

    rows = GIRegistration.objects.filter(where, registered_on__lte=on)
    status = status_on(GIStatusChange, "registration", on, RegistrationStatus.REGISTERED)
    return rows.annotate(status_then=status), Q(status_then=RegistrationStatus.REGISTERED)


@contextlib.contextmanager
def without_jit():
    """A transaction in which PostgreSQL does not JIT-compile: the planner prices the history
    subqueries for every row (it cannot know most rows take the short cut), so a country-wide
    count looks expensive enough to be compiled, and compiling takes longer than the query itself
    (bench/README.md)."""
    alias = replica.read_alias()  # the replica inside a statistics scope (sanpin.core.replica)
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def valid_on(on: datetime.date, *, measure: str, region: Region | None = None):
    """The queryset of certificate terms (or GI registrations) counted on `on` within `region`."""
    rows, counted = in_force(on, measure=measure, region=region)
    return rows.filter(counted)


def valid_by_region(*, on: datetime.date, parent: Region | None = None, measure: str) -> dict[str, int]:
    """{child region code: products valid on `on`} for every child region of `parent` (provinces
    of the country, cities of a province, counties of a city), zeros included."""
    return counts_for(drilldown.child_regions(parent), on=on, parent=parent, measure=measure)


def counts_for(children: list[Region], *, on: datetime.date, parent: Region | None, measure: str) -> dict[str, int]:
    """Products valid on `on` in each of `children` (regions directly below `parent`): from the
    counts kept for that day where there are some (sanpin.stats.valid_store), else live."""
    from . import valid_store

    if measure not in MEASURE_SCHEMES:
        raise ValueError(f"unknown measure {measure!r}")
    if not children:
        return {}
    by_prefix = {child.scope_prefix: child.code for child in children}
    lines = valid_store.kept_counts(children, on=on, parent=parent, measure=measure)
    if lines is None:
        lines = live_lines(children, on=on, parent=parent, measure=measure)
    return _by_child(by_prefix, lines)


def live_counts_for(children: list[Region], *, on: datetime.date, parent: Region | None,
                    measure: str) -> dict[str, int]:
    """counts_for read from the certificates alone, never from kept counts."""
    if measure not in MEASURE_SCHEMES:
        raise ValueError(f"unknown measure {measure!r}")
    by_prefix = {child.scope_prefix: child.code for child in children}
    return _by_child(by_prefix, live_lines(children, on=on, parent=parent, measure=measure) if children else [])


def live_lines(children: list[Region], *, on: datetime.date, parent: Region | None, measure: str,
               where: Q | None = None) -> list[dict]:
    """[{"key": child prefix, "n": products}] counted from the certificates (one query)."""
    rows, counted = in_force(on, measure=measure, region=parent)
    if where is not None:
        rows = rows.filter(where)
    grouped = (rows.annotate(key=drilldown.child_key("holder__region", children))
               .values("key").order_by().annotate(n=Count("pk", filter=counted)))
    with without_jit():
        return list(grouped)


def _by_child(by_prefix: dict[str, str], lines) -> dict[str, int]:
    counts = dict.fromkeys(by_prefix.values(), 0)
    for line in lines:
        code = by_prefix.get(line["key"])
        if code is not None:
            counts[code] += line["n"] or 0
    return counts


def valid_total(*, on: datetime.date, region: Region | None = None, measure: str) -> int:
    """Products valid on `on` anywhere in `region` (the whole country when None)."""
    return valid_on(on, measure=measure, region=region).aggregate(n=Count("pk"))["n"]

