"""The issuing rate per region (应开尽开): of the producers a region must see issuing 合格证, the
share that issued at least one in the period (decision 0028).

Covered producers ("应开" subjects): active entities of kind enterprise, cooperative or family farm
(the subjects obliged to issue per batch, MARA order 2025 No. 4; family farms are counted with them
because provinces report them so) located in the region. Farmers (individuals) are not entities
here and are not counted. "Issued" means at least one certificate of their own — re-issues by
purchasers do not count — with `issued_at` in the period (a calendar month, or the whole year).

One SQL aggregate per call: the covered entities of the region grouped by the code prefix of the
child region, with `EXISTS` on the certificates of the period (an index range scan of
`compliance_issuer_keyset_idx` (issuer, issued_at, id) per entity, pruned to the period's
partitions on PostgreSQL); no Python loop over certificates.
"""

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.core.dates import add_months
from sanpin.core.errors import NotFound, ValidationFailed

from .models import ComplianceCertificate

COVERED_KINDS = (EntityKind.ENTERPRISE, EntityKind.COOPERATIVE, EntityKind.FAMILY_FARM)
RATE_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR}


@dataclass(frozen=True)
class IssuingRate:
    region: Region
    covered: int
    issuing: int

    @property
    def percent(self) -> Decimal | None:
        if not self.covered:
            return None
        return (Decimal(self.issuing) * 100 / self.covered).quantize(Decimal("0.1"))


def region_in_scope(user, code: str) -> Region | None:
    """The region asked for, inside the caller's own; None = the whole country (national staff)."""
    own = user.agency.region if user.agency_id and user.agency.region_id else None
    if not code:
        return own
    region = Region.objects.filter(code=code).first()
    if region is None or (own is not None and not region.code.startswith(own.scope_prefix)):
        raise NotFound()
    return region


def period(year, month=None) -> tuple[datetime, datetime]:
    """[start, end) of the calendar month, or of the year when no month is given, in local time."""
    try:
        year = int(year)
        month = int(month) if month not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"year": _("年份或月份不正确")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed(fields={"year": _("年份不正确")})
    if month is not None and not 1 <= month <= 12:
        raise ValidationFailed(fields={"month": _("月份应为 1–12")})
    first = datetime(year, month or 1, 1).date()
    last = add_months(first, 1 if month else 12)
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(first, time.min), tz),
            timezone.make_aware(datetime.combine(last, time.min), tz))


def child_regions(region: Region | None) -> list[Region]:
    """Provinces for the whole country, the divisions one level down, or a county itself."""
    if region is None:
        return list(Region.objects.filter(level="province", is_active=True).order_by("code"))
    children = list(region.children.filter(is_active=True).order_by("code"))
    return children or [region]


def issuing_rates(*, year, month=None, region: Region | None = None) -> list[IssuingRate]:
    """Per child region of `region`: covered producers, those that issued in the period, the rate."""
    start, end = period(year, month)
    children = child_regions(region)
    if not children:
        return []
    width = len(children[0].scope_prefix)
    issued = ComplianceCertificate.objects.filter(issuer=OuterRef("pk"), issued_at__gte=start, issued_at__lt=end,
                                                  is_reissue=False)
    covered = Entity.objects.filter(kind__in=COVERED_KINDS, is_active=True)
    if region is not None:
        covered = covered.filter(region__code__startswith=region.scope_prefix)
    rows = (
        covered.annotate(prefix=Substr("region_id", 1, width), has_issued=Exists(issued))
        .values("prefix")
        .annotate(covered=Count("pk"), issuing=Count("pk", filter=Q(has_issued=True)))
        .order_by()
    )
    counts = {row["prefix"]: (row["covered"], row["issuing"]) for row in rows}
    return [IssuingRate(child, *counts.get(child.scope_prefix, (0, 0))) for child in children]


def not_issuing(*, year, month=None, region: Region | None = None):
    """The covered producers of `region` that issued nothing in the period (for follow-up)."""
    start, end = period(year, month)
    issued = ComplianceCertificate.objects.filter(issuer=OuterRef("pk"), issued_at__gte=start, issued_at__lt=end,
                                                  is_reissue=False)
    rows = Entity.objects.filter(kind__in=COVERED_KINDS, is_active=True).exclude(Exists(issued))
    if region is not None:
        rows = rows.filter(region__code__startswith=region.scope_prefix)
    return rows.select_related("region").order_by("region_id", "name")
