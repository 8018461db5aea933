"""Reads for the catalog pages: the region tree with its counts, and region history."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q
from django.db.models.functions import Substr

from sanpin.core.models import AuditEvent

from .choices import RegionLevel
from .models import Region


@dataclass
class RegionRow:
    """A region in the browse table with the counts of its subtree."""

    region: Region
    children: int = 0
    counties: int = 0
    poverty_exit: int = 0
    key_assistance: int = 0


def region_children_rows(parent: Region | None) -> list[RegionRow]:
    """The children of `parent` (provinces when None) with per-subtree county counts, computed
    by the database in one grouped query over code prefixes."""
    queryset = Region.objects.filter(parent=parent) if parent else Region.objects.filter(level=RegionLevel.PROVINCE)
    queryset = queryset.annotate(child_count=Count("children"))
    rows = [RegionRow(region=r, children=r.child_count) for r in queryset]
    width = 2 if parent is None else 4
    counties = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=parent.scope_prefix if parent else "")
    stats = {
        item["prefix"]: item
        for item in counties
        .annotate(prefix=Substr("code", 1, width))
        .values("prefix")
        .annotate(
            n=Count("code"),
            poverty=Count("code", filter=Q(poverty_exit_county=True)),
            key=Count("code", filter=Q(key_assistance_county=True)),
        )
    }
    for row in rows:
        if row.region.level == RegionLevel.COUNTY:
            row.counties = 1
            row.poverty_exit = int(row.region.poverty_exit_county)
            row.key_assistance = int(row.region.key_assistance_county)
            continue
        item = stats.get(row.region.code[:width])
        if item:
            row.counties, row.poverty_exit, row.key_assistance = item["n"], item["poverty"], item["key"]
    return rows


def _show(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "—" if value in (None, "") else str(value)


def _label(name: str) -> str:
    try:
        return str(Region._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def region_history(region: Region, limit: int = 20) -> list[AuditEvent]:
    """The latest audit events of one region, each with `changes`: (field label, old, new)."""
    events = list(
        AuditEvent.objects.filter(target_type="catalog.region", target_id=region.code).order_by("-seq")[:limit]
    )
    for event in events:
        old, new = event.old or {}, event.new or {}
        event.changes = [(_label(k), _show(old.get(k)), _show(v)) for k, v in new.items()]
    return events


def region_totals() -> dict:
    return Region.objects.aggregate(
        provinces=Count("code", filter=Q(level=RegionLevel.PROVINCE)),
        cities=Count("code", filter=Q(level=RegionLevel.CITY)),
        counties=Count("code", filter=Q(level=RegionLevel.COUNTY)),
        poverty=Count("code", filter=Q(poverty_exit_county=True)),
        key=Count("code", filter=Q(key_assistance_county=True)),
    )
