"""进企入户 coverage per child region [001 §10, 002 §3(7)]: of the certified entities and the
production bases in a region, how many received at least one standard or procedure and how many
took part in training within a period.

- Certified entity: holds a certificate (any scheme) within its term on the counting day whose
  stored status is valid or in rectification. The counting day is the period's last day, or
  today while the period runs.
- Base: any base in the register not removed from the directory by the counting day (the
  register has no founding date, so a base entered later counts for earlier periods too).
- Received / trained: a delivery or an attendance dated within the period. A delivery to a base
  reaches its operator too (the operator is recorded on the row), so it counts for both.

Each of the two counts is one aggregate query grouped by the child region's code prefix
(sanpin.catalog.region_tree, as the indicators do); Python reads one row per child."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from sanpin.bases.choices import BaseStatus
from sanpin.bases.models import Base
from sanpin.catalog import region_tree as drilldown
from sanpin.catalog.models import Entity, Region
from sanpin.certificates.choices import Status
from sanpin.certificates.models import Certificate
from sanpin.core import clock

from .models import Attendance, Distribution

COUNTING_STATUSES = (Status.VALID, Status.IN_RECTIFICATION)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Counts:
    total: int = 0
    received: int = 0
    trained: int = 0
    reached: int = 0

    def add(self, other: "Counts") -> None:
        self.total += other.total
        self.received += other.received
        self.trained += other.trained
        self.reached += other.reached

    @property
    def received_percent(self):
        return percent(self.received, self.total)

    @property
    def trained_percent(self):
        return percent(self.trained, self.total)

    @property
    def reached_percent(self):
        return percent(self.reached, self.total)


@dataclass
class Row:
    region: Region | None
    entities: Counts = field(default_factory=Counts)
    bases: Counts = field(default_factory=Counts)


@dataclass
class Coverage:
    region: Region | None
    start: datetime.date
    end: datetime.date
    on: datetime.date
    rows: list[Row]
    total: Row


def _grouped(queryset, path: str, children: list[Region], received, trained) -> dict[str, Counts]:
    rows = (queryset.annotate(key=drilldown.child_key(path, children), got=Exists(received), came=Exists(trained))
            .values("key").order_by("key")
            .annotate(total=Count("pk"), received=Count("pk", filter=Q(got=True)),
                      trained=Count("pk", filter=Q(came=True)), reached=Count("pk", filter=Q(got=True) | Q(came=True))))
    return {row["key"]: Counts(row["total"], row["received"], row["trained"], row["reached"]) for row in rows}


def coverage(*, region: Region | None, start: datetime.date, end: datetime.date) -> Coverage:
    """Per child region of `region` (None: the provinces), the counts of the module doc."""
    on = min(end, clock.today())
    children = drilldown.child_regions(region)
    certified = Certificate.objects.filter(holder=OuterRef("pk"), valid_from__lte=on, valid_until__gte=on,
                                           status__in=COUNTING_STATUSES)
    entities = Entity.objects.filter(drilldown.within("region", region)).filter(Exists(certified))
    by_entity = _grouped(
        entities, "region", children,
        Distribution.objects.filter(entity=OuterRef("pk"), delivered_on__range=(start, end)),
        Attendance.objects.filter(entity=OuterRef("pk"), session__held_on__range=(start, end)),
    )
    bases = (Base.objects.filter(drilldown.within("county", region))
             .exclude(Q(status=BaseStatus.REMOVED) & (Q(removed_on__isnull=True) | Q(removed_on__lte=on))))
    by_base = _grouped(
        bases, "county", children,
        Distribution.objects.filter(base=OuterRef("pk"), delivered_on__range=(start, end)),
        Attendance.objects.filter(base=OuterRef("pk"), session__held_on__range=(start, end)),
    )
    rows, total = [], Row(region)
    for child in children:
        row = Row(child, by_entity.get(child.scope_prefix, Counts()), by_base.get(child.scope_prefix, Counts()))
        total.entities.add(row.entities)
        total.bases.add(row.bases)
        rows.append(row)
    return Coverage(region=region, start=start, end=end, on=on, rows=rows, total=total)
