"""The "十百千万" measures per child region (seed 003 att.4 §3: 市场专区, 商超专柜, 推广专员), counted
from sanpin.promotion on the counting day: outlets of the kind open that day (opened on or before
it, not closed by then) and specialists registered, trained at least once by then and not left.

One aggregate query per call, grouped by the child region's code prefix of the district, like
sanpin.stats.valid_counts for products."""

import datetime

from django.db.models import Count

from sanpin.catalog.models import Region

from . import drilldown
from .models import TargetMeasure


def _rows(measure: str, on: datetime.date):
    from sanpin.promotion.choices import OutletKind
    from sanpin.promotion.selectors import outlets_open, specialists_counted

    if measure == TargetMeasure.MARKET_ZONE:
        return outlets_open(on, OutletKind.MARKET_ZONE)
    if measure == TargetMeasure.STORE_COUNTER:
        return outlets_open(on, OutletKind.STORE_COUNTER)
    if measure == TargetMeasure.SPECIALIST:
        return specialists_counted(on)
    raise ValueError(f"not a channel measure: {measure!r}")


def counts_for(children: list[Region], *, on: datetime.date, parent: Region | None, measure: str) -> dict[str, int]:
    """{child code: outlets or specialists counted on `on`} for `children` (regions directly below
    `parent`), zeros included."""
    rows = _rows(measure, on)
    if not children:
        return {}
    by_prefix = {child.scope_prefix: child.code for child in children}
    grouped = (rows.filter(drilldown.within("district", parent))
               .annotate(key=drilldown.child_key("district", children)).values("key").order_by()
               .annotate(n=Count("pk")))
    counts = dict.fromkeys(by_prefix.values(), 0)
    for line in grouped:
        code = by_prefix.get(line["key"])
        if code is not None:
            counts[code] += line["n"]
    return counts
