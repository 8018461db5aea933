"""Reads of the allowed-input lists: the list in force for a region, kind and day (the province's
own, else a national one), an input on it by name, its limits on a crop, the residue limit the
sampling judgement uses, and the public search. Other apps call these; they never query the
models directly."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from .choices import DATED, MG_PER_KG, InputKind
from .cleaning import normalise_name
from .models import AllowedInput, AllowedInputList, ResidueLimit


def _in_force(day: datetime.date):
    return AllowedInputList.objects.filter(status__in=DATED, effective_from__lte=day).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=day))


def list_in_force(region_code: str | None, kind: str, day: datetime.date) -> AllowedInputList | None:
    """The list that governs `kind` for an entity in `region_code` on `day`: its province's list
    if one is in force, otherwise a national one; None when no list covers the kind."""
    lists = _in_force(day).filter(kind=kind).select_related("issuer_region").order_by("-effective_from", "-pk")
    if region_code:
        province = region_code[:2] + "0000"
        own = lists.filter(issuer_region_id=province).first()
        if own is not None:
            return own
    return lists.filter(issuer_region__isnull=True).first()


def find_input(lst: AllowedInputList, name: str) -> AllowedInput | None:
    """The input on `lst` whose common name (or, failing that, active ingredient) is `name`,
    compared without spaces and case."""
    wanted = normalise_name(name)
    if not wanted:
        return None
    items = list(lst.inputs.prefetch_related("limits"))
    return (next((i for i in items if normalise_name(i.common_name) == wanted), None)
            or next((i for i in items if i.active_ingredient and normalise_name(i.active_ingredient) == wanted), None))


def crop_matches(limit_crop: str, crop: str) -> bool:
    """水稻 matches 水稻 and 早稻 matches 稻 only by containment either way; no synonyms."""
    a, b = normalise_name(limit_crop), normalise_name(crop)
    return bool(a and b) and (a == b or a in b or b in a)


def limits_on(item: AllowedInput, day: datetime.date, *, crop: str = "", category: str = "") -> list[ResidueLimit]:
    """The limits of `item` that apply on `day` to `crop` (by name) or, when no crop is named, to the
    product `category`."""
    rows = [limit for limit in item.limits.all() if limit.applies_on(day)]
    if crop:
        return [limit for limit in rows if crop_matches(limit.crop, crop)]
    if category:
        return [limit for limit in rows if limit.crop_category == category]
    return rows


@dataclass(frozen=True)
class AppliedLimit:
    """An allowed-list residue limit as the sampling judgement uses it."""

    max_value: Decimal
    unit: str
    crop: str
    list_title: str
    source_standard: str
    is_demo: bool

    def in_unit(self, unit: str) -> Decimal | None:
        """The limit converted to `unit` (mg/kg ↔ μg/kg), or None when the units do not convert."""
        unit = {"µg/kg": "μg/kg", "ug/kg": "μg/kg"}.get(unit.strip().lower(), unit.strip())
        if self.unit not in MG_PER_KG or unit not in MG_PER_KG:
            return None
        return self.max_value * MG_PER_KG[self.unit] / MG_PER_KG[unit]

    @property
    def source(self) -> str:
        text = f"《{self.list_title}》{self.crop} ≤ {self.max_value.normalize():f} {self.unit}"
        if self.source_standard:
            text += f"（{self.source_standard}）"
        return text + ("（演示数据）" if self.is_demo else "")


def residue_limits(*, region_code: str, category: str, indicators, day: datetime.date,
                   product_name: str = "") -> dict[str, AppliedLimit]:
    """{indicator: limit} for the indicators that name a pesticide on the pesticide list in force
    for the region on `day` with a limit for the product `category` that day. Where several crops of
    the category have limits, the crop named in the product name is taken, otherwise the strictest
    (a rice product is not judged by the wheat figure when it says 稻; else the safe side)."""
    lst = list_in_force(region_code, InputKind.PESTICIDE, day)
    if lst is None:
        return {}
    out = {}
    for indicator in indicators:
        item = find_input(lst, indicator)
        if item is None:
            continue
        rows = limits_on(item, day, category=category)
        named = [limit for limit in rows if normalise_name(limit.crop) in normalise_name(product_name)]
        rows = named or rows
        if not rows:
            continue
        best = min(rows, key=lambda limit: limit.max_value * MG_PER_KG.get(limit.unit, Decimal(1)))
        out[indicator] = AppliedLimit(best.max_value, best.unit, best.crop, lst.title, best.source_standard,
                                      best.is_demo)
    return out


# --- public search --------------------------------------------------------------------------------


def public_search(*, q: str = "", crop: str = "", kind: str = "", category: str = "", region: str = "",
                  on: datetime.date):
    """Inputs on the lists in force on `on` (a province's lists and the national ones, or only those
    that govern `region`), filtered by name or ingredient, crop (name or product category code),
    kind and pesticide category; each with the limits that apply that day (to the crop, if named)."""
    lists = _in_force(on)
    if kind:
        lists = lists.filter(kind=kind)
    if region:
        province = region[:2] + "0000"
        governing = [lst.pk for lst in (list_in_force(province, k, on) for k in InputKind.values) if lst]
        lists = lists.filter(pk__in=governing)
    limits = ResidueLimit.objects.filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on)).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=on))
    items = AllowedInput.objects.filter(list__in=lists).select_related("list", "list__issuer_region")
    q = (q or "").strip()
    if q:
        items = items.filter(Q(common_name__icontains=q) | Q(active_ingredient__icontains=q))
    if category:
        items = items.filter(category=category)
    crop = (crop or "").strip()
    if crop:
        crop_q = Q(crop_category=crop) if crop.isdigit() else Q(crop__icontains=crop)
        limits = limits.filter(crop_q)
        items = items.filter(pk__in=limits.values("input_id"))
    return (items.prefetch_related(Prefetch("limits", queryset=limits.order_by("crop_category", "crop"),
                                            to_attr="applicable_limits"))
            .order_by("list__kind", "common_name", "list__issuer_region_id", "pk"))
