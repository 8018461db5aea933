"""Review quality [001 §7]: the one-time pass rate of first applications and of renewals per
region, computed in SQL.

An application counts in year Y when its review ended in Y (issued or not passed; withdrawn
ones are left out). It passed "one time" when it was issued without ever being sent back: no
request for supplements, no rectification, no suspension. Regions below 40% (first
applications) or 60% (renewals) are flagged for stricter handling."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from sanpin.catalog.models import Region
from sanpin.certification.choices import ISSUED, REJECTED, ApplicationKind
from sanpin.certification.models import Application, Event

SENT_BACK = ("request_supplement", "order_rectification", "suspend_review")
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


def first_pass_rates(*, year: int, region: Region | None = None, scheme: str = "") -> list[RegionRates]:
    children = child_regions(region)
    if not children:
        return []
    width = len(children[0].scope_prefix)
    sent_back = Event.objects.filter(application=OuterRef("pk"), action__in=SENT_BACK)
    decided = Application.objects.filter(kind__in=list(THRESHOLDS), state__in=[ISSUED, REJECTED],
                                         closed_at__year=year)
    if region is not None:
        decided = decided.filter(entity__region__code__startswith=region.scope_prefix)
    if scheme:
        decided = decided.filter(scheme=scheme)
    rows = (
        decided.annotate(prefix=Substr("entity__region_id", 1, width), sent_back=Exists(sent_back))
        .values("prefix", "kind")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(state=ISSUED, sent_back=False)))
    )
    counts = {(row["prefix"], row["kind"]): (row["total"], row["passed"]) for row in rows}

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
