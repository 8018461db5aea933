"""The region tree as the lists and statistics walk it: the child regions of a region (provinces
for the whole country, cities for a province, counties for a city), the filter for rows inside a
region, the SQL expression that puts a row into its child region by its region code, and the
breadcrumb back up.

A row belongs to the child whose code prefix its region code starts with: 45 → Guangxi, 4501 →
Nanning, 450102 → 兴宁区. A province can have counties directly under it (省直辖县, e.g. Hainan's)
beside its cities, so the prefix is not always of one width: those counties are matched by their
full code in a CASE, everything else by the first four digits. The grouping is done by the
database; Python only reads one aggregated row per child."""

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Substr

from .choices import RegionLevel
from .models import Region


def child_regions(region: Region | None) -> list[Region]:
    """Provinces for the whole country, the active divisions one level down, or a county itself."""
    if region is None:
        return list(Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True).order_by("code"))
    children = list(region.children.filter(is_active=True).order_by("code"))
    return children or [region]


def within(path: str, region: Region | None) -> Q:
    """Rows whose region (the foreign key at `path`, e.g. "holder__region") lies in `region`."""
    if region is None:
        return Q()
    return Q(**{f"{path}__code__startswith": region.scope_prefix})


def child_key(path: str, children: list[Region]):
    """An expression giving, for each row, the scope prefix of the child region it belongs to."""
    field = f"{path}_id"
    widths = {len(child.scope_prefix) for child in children}
    if len(widths) == 1:
        return Substr(field, 1, widths.pop())
    narrow = min(widths)
    whens = [When(**{f"{path}__code__startswith": c.scope_prefix}, then=Value(c.scope_prefix))
             for c in children if len(c.scope_prefix) > narrow]
    return Case(*whens, default=Substr(field, 1, narrow), output_field=CharField())


def breadcrumbs(region: Region | None, top: Region | None = None) -> list[Region]:
    """The regions from the caller's own (`top`; None: the country) down to `region`."""
    chain = []
    current = region
    while current is not None and (top is None or current.code != top.code):
        chain.append(current)
        current = current.parent
    if top is not None and region is not None:
        chain.append(top)
    return list(reversed(chain))
