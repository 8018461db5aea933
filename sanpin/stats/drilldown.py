"""Drill-down for the indicators: the region tree of sanpin.catalog.region_tree (child regions,
the filter and grouping expression, breadcrumbs) plus the map that draws the children."""

from django.templatetags.static import static

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.catalog.region_tree import breadcrumbs, child_key, child_regions, within

__all__ = ["breadcrumbs", "child_key", "child_regions", "map_for", "map_name", "within"]

# The province maps vendored under static/vendor/echarts-map/province/ (staff pages only).
PROVINCE_MAPS = {"450000": "guangxi", "310000": "shanghai"}
# How the China map of echarts-map names the provinces: the short name without the suffix.
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")


def map_name(region: Region) -> str:
    """The region's name as the vendored maps spell it: short names for provinces."""
    if region.level == RegionLevel.PROVINCE:
        for suffix in _SUFFIXES:
            if region.name.endswith(suffix) and len(region.name) > len(suffix):
                return region.name[: -len(suffix)]
    return region.name


def map_for(region: Region | None) -> dict | None:
    """The map that draws the children of `region`: China for the whole country, the province's
    own map where one is vendored; None otherwise (a city's counties have no map)."""
    if region is None:
        return {"name": "china", "url": static("vendor/echarts-map/china.json")}
    file = PROVINCE_MAPS.get(region.code) if region.level == RegionLevel.PROVINCE else None
    if file is None:
        return None
    return {"name": file, "url": static(f"vendor/echarts-map/province/{file}.json")}
