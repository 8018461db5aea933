"""Progress to target (SPEC §8, seed 002 §2 and its annex): for each child region of a region,
the target of a year and measure, the products valid on the counting day, the percentage reached
and the gap still to close, with a total row.

The counting day is 31 December of the year, or today while the year is not over (the annex
counts "当年12月31日有效期内的个数"). Every child region appears, with or without a target and
with or without certificates; a target entered for a region that is no longer current appears
too. Counts come from sanpin.stats.valid_counts (products) or sanpin.stats.channel_counts (the
"十百千万" outlets and specialists of sanpin.promotion), one aggregate query; targets from one query."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import clock

from . import channel_counts, drilldown, valid_counts
from .models import CHANNEL_MEASURES, COUNT_LABELS, PRODUCT_COUNT_LABEL, Target, TargetMeasure


def percent(valid: int, target: int | None) -> Decimal | None:
    if not target:
        return None
    return (Decimal(valid) * 100 / target).quantize(Decimal("0.1"))


@dataclass
class ProgressRow:
    """One line of the progress table; `region` is None on the total row of the whole country."""

    region: Region | None
    target: int | None
    valid: int
    source: str = ""

    @property
    def percent(self) -> Decimal | None:
        return percent(self.valid, self.target)

    @property
    def gap(self) -> int | None:
        """How many products are still missing to reach the target (0 once reached)."""
        return None if self.target is None else max(self.target - self.valid, 0)

    @property
    def reached(self) -> bool:
        return self.target is not None and self.valid >= self.target

    @property
    def bar(self) -> Decimal:
        """The bar's width in percent (capped at 100)."""
        return min(self.percent or Decimal(0), Decimal(100))


@dataclass
class Progress:
    year: int
    measure: str
    region: Region | None
    on: datetime.date
    rows: list[ProgressRow] = field(default_factory=list)
    total: ProgressRow | None = None
    region_target: Target | None = None  # the target set for `region` itself by the level above

    @property
    def measure_label(self) -> str:
        return str(TargetMeasure(self.measure).label)

    @property
    def count_label(self) -> str:
        """What the count column holds: valid products, or the outlets or specialists counted."""
        return str(COUNT_LABELS.get(self.measure, PRODUCT_COUNT_LABEL))

    @property
    def is_channel(self) -> bool:
        return self.measure in CHANNEL_MEASURES

    @property
    def year_over(self) -> bool:
        return self.on == datetime.date(self.year, 12, 31)


def counting_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """31 December of `year`, or today while that day has not come yet."""
    today = today or clock.today()
    return min(datetime.date(year, 12, 31), today)


def _child_filter(region: Region | None) -> dict:
    if region is None:
        return {"region__level": RegionLevel.PROVINCE}
    return {"region__parent": region}


def progress(*, year: int, region: Region | None = None, measure: str, on: datetime.date | None = None) -> Progress:
    """Progress per child region of `region` (the whole country when None)."""
    if measure not in TargetMeasure.values:
        raise ValueError(f"unknown measure {measure!r}")
    on = on or counting_day(year)
    children = drilldown.child_regions(region)
    if children == [region]:  # a county has no children: it is its own only row
        targets = {t.region_id: t for t in Target.objects.filter(year=year, measure=measure, region=region)}
    else:
        targets = {t.region_id: t for t in Target.objects.filter(year=year, measure=measure, **_child_filter(region))
                   .select_related("region")}
        known = {child.code for child in children}
        children += sorted((t.region for t in targets.values() if t.region_id not in known), key=lambda r: r.code)
    counter = channel_counts.counts_for if measure in CHANNEL_MEASURES else valid_counts.counts_for
    counts = counter(children, on=on, parent=region, measure=measure)
    rows = []
    for child in children:
        target = targets.get(child.code)
        rows.append(ProgressRow(child, target.value if target else None, counts.get(child.code, 0),
                                target.source if target else ""))
    with_target = [row.target for row in rows if row.target is not None]
    total = ProgressRow(region, sum(with_target) if with_target else None, sum(row.valid for row in rows))
    own = None
    if region is not None and children != [region]:
        own = Target.objects.filter(year=year, measure=measure, region=region).first()
    return Progress(year=year, measure=measure, region=region, on=on, rows=rows, total=total, region_target=own)
