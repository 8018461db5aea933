"""Review quality [001 §7]: the one-time pass rate of first applications and of renewals per
region, computed in SQL.

An application counts in year Y when its review ended in Y (issued or not passed; withdrawn
ones are left out). It passed "one time" when it was issued without ever being sent back: no
request for supplements, no rectification, no suspension. Regions below 40% (first
applications) or 60% (renewals) are flagged for stricter handling."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from sanpin.catalog.models import Region
from sanpin.certification.choices import ISSUED, REJECTED, ApplicationKind
from sanpin.certification.models import Application, Event

from . import drilldown

SENT_BACK = ("request_supplement", "order_rectification", "suspend_review")
DECIDED_STATES = (ISSUED, REJECTED)
THRESHOLDS = {ApplicationKind.INITIAL: Decimal("40"), ApplicationKind.RENEWAL: Decimal("60")}


@dataclass(frozen=True)
class Rate:
    decided: int
    passed_once: int
    threshold: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(self.passed_once) * 100 / self.decided).quantize(Decimal("0.1"))

    @property
    def flagged(self) -> bool:
        return self.percent is not None and self.percent < self.threshold


@dataclass(frozen=True)
class RegionRates:
    region: Region
    first: Rate
    renewal: Rate


def child_regions(region: Region | None) -> list[Region]:
    """Provinces for the whole country; otherwise the divisions one level down."""
    if region is None:
        return list(Region.objects.filter(level="province", is_active=True).order_by("code"))
    return list(region.children.filter(is_active=True).order_by("code"))


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of `year` and of the next one in the system's time zone: a review ends in
    the year of its local date, whatever time zone a request runs in."""
    zone = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.datetime(year, 1, 1), zone),
            timezone.make_aware(datetime.datetime(year + 1, 1, 1), zone))


def decided(where: Q | None = None):
    """(Applications whose review ended, first or renewal, matching `where`, the condition that
    they passed one time) — the rows every first-pass figure counts."""
    sent_back = Exists(Event.objects.filter(application=OuterRef("pk"), action__in=SENT_BACK))
    rows = Application.objects.filter(kind__in=list(THRESHOLDS), state__in=DECIDED_STATES)
    if where is not None:
        rows = rows.filter(where)
    return rows.annotate(sent_back=sent_back), Q(state=ISSUED, sent_back=False)


def live_lines(children: list[Region], *, year: int, parent: Region | None, scheme: str = "",
               where: Q | None = None, annotate: dict | None = None) -> list[dict]:
    """[{"key": child prefix, "kind", "total", "passed"}] counted from the applications (one query);
    `annotate` names expressions `where` refers to."""
    start, end = year_bounds(year)
    rows, passed = decided(drilldown.within("entity__region", parent) & Q(closed_at__gte=start, closed_at__lt=end))
    if scheme:
        rows = rows.filter(scheme=scheme)
    if annotate:
        rows = rows.annotate(**annotate)
    if where is not None:
        rows = rows.filter(where)
    return list(rows.annotate(key=drilldown.child_key("entity__region", children)).values("key", "kind")
                .order_by().annotate(total=Count("pk"), passed=Count("pk", filter=passed)))


def first_pass_rates(*, year: int, region: Region | None = None, scheme: str = "",
                     live: bool = False) -> list[RegionRates]:
    """The rates of each child region of `region`: from the counts kept per region, scheme and
    year (sanpin.stats.pass_store) once they have been refreshed, else (or with `live`) counted
    from the applications; both give the same numbers."""
    from . import pass_store

    children = child_regions(region)
    if not children:
        return []
    lines = None if live else pass_store.kept_lines(children, year=year, parent=region, scheme=scheme)
    if lines is None:
        lines = live_lines(children, year=year, parent=region, scheme=scheme)
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for line in lines:
        total, passed = counts.get((line["key"], line["kind"]), (0, 0))
        counts[(line["key"], line["kind"])] = (total + (line["total"] or 0), passed + (line["passed"] or 0))

    def rate(prefix, kind):
        total, passed = counts.get((prefix, kind), (0, 0))
        return Rate(total, passed, THRESHOLDS[kind])

    return [
        RegionRates(child, rate(child.scope_prefix, ApplicationKind.INITIAL),
                    rate(child.scope_prefix, ApplicationKind.RENEWAL))
        for child in children
    ]


@dataclass(frozen=True)
class RenewalRate:
    region: Region
    due: int
    renewed_in_time: int

    @property
    def percent(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.renewed_in_time) * 100 / self.due).quantize(Decimal("0.1"))


def renewal_rates(*, year: int, region: Region | None = None, scheme: str = "") -> list[RenewalRate]:
    """Renewal rate [001 §1]: of the licence terms that end in `year` (not stopped or revoked),
    the share continued without a gap by a renewal term (same number, approved by the last day)."""
    from sanpin.certificates.choices import FINAL
    from sanpin.certificates.models import Certificate

    children = child_regions(region)
    if not children:
        return []
    width = len(children[0].scope_prefix)
    due = Certificate.objects.filter(valid_until__year=year).exclude(status__in=list(FINAL))
    if region is not None:
        due = due.filter(holder__region__code__startswith=region.scope_prefix)
    if scheme:
        due = due.filter(scheme=scheme)
    # Approved by the last day of the old term: the new term starts the day after, without a gap.
    continued = Exists(Certificate.objects.filter(predecessor=OuterRef("pk"), approved_on__lte=OuterRef("valid_until")))
    rows = (
        due.annotate(prefix=Substr("holder__region_id", 1, width), continued=continued)
        .values("prefix").annotate(total=Count("pk"), renewed=Count("pk", filter=Q(continued=True)))
    )
    counts = {row["prefix"]: (row["total"], row["renewed"]) for row in rows}
    return [RenewalRate(child, *counts.get(child.scope_prefix, (0, 0))) for child in children]
