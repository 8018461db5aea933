"""One set of checks for a base's data, shared by the form, the API and the Excel import.

Values come in as text (a form field, a JSON string, a spreadsheet cell) or already typed; the
result is the cleaned values and, per field, the Chinese reason each bad one is refused. The
lookups (counties, entities, names already taken, the accepted labels of type and level) are
loaded once per import, not per row, and a row that passes costs no translation: messages are
only built for the cells that are refused."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Entity, Region

from .choices import BaseLevel, BaseType
from .models import Base

FIELDS = ("name", "base_type", "level", "operator", "county", "products", "varieties", "area_mu", "output_tons",
          "location", "longitude", "latitude", "coverage", "techniques", "responsible_person")
REQUIRED = ("name", "base_type", "level", "operator", "county", "products", "area_mu", "output_tons", "location")
LENGTHS = {"name": 120, "products": 200, "varieties": 200, "location": 200, "coverage": 200, "techniques": 2000,
           "responsible_person": 60}
# Bounds that catch a unit mistake (平方米 for 亩, 公斤 for 吨) or a slipped digit.
MAX_AREA_MU = Decimal("10000000")
MAX_OUTPUT_TONS = Decimal("10000000")
LONGITUDE = (Decimal("73"), Decimal("136"))  # China's extent
LATITUDE = (Decimal("3"), Decimal("54"))

# Positions in FIELDS, worked out once: the checks run on a list of cells in this order.
_AT = {name: i for i, name in enumerate(FIELDS)}
_TEXTS = tuple((_AT[name], name, LENGTHS[name], name in REQUIRED) for name in
               ("name", "products", "varieties", "location", "coverage", "techniques", "responsible_person"))
_CHOICES = ((_AT["base_type"], "base_type", BaseType), (_AT["level"], "level", BaseLevel))
_AMOUNTS = ((_AT["area_mu"], "area_mu", MAX_AREA_MU), (_AT["output_tons"], "output_tons", MAX_OUTPUT_TONS))
_PLACE = ((_AT["longitude"], "longitude", LONGITUDE), (_AT["latitude"], "latitude", LATITUDE))
_NAME, _COUNTY, _OPERATOR = _AT["name"], _AT["county"], _AT["operator"]
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")


@dataclass
class Lookups:
    """Counties, operators, the (county, name) pairs already used and the accepted labels of
    type and level. `Lookups()` looks a single base's values up as they are asked for;
    `for_import()` and `extend()` fill them for a whole import with a few queries per batch of rows.

    A found operator is the Entity, or only its id when `ids_only` (an import needs nothing else
    and may name tens of thousands of operators)."""

    counties: dict = field(default_factory=dict)  # code → Region (county level or a city without counties)
    entities: dict = field(default_factory=dict)  # USCC → Entity, or its id when ids_only
    taken: set = field(default_factory=set)  # (county code, name)
    complete: bool = False  # True: a code missing from the dicts does not exist
    ids_only: bool = False
    _accepted: dict = field(default_factory=dict, repr=False)  # choices → {code or label: code}

    @classmethod
    def for_import(cls) -> "Lookups":
        """Empty lookups for a file: `extend()` them with each batch's codes before checking it."""
        return cls(complete=True, ids_only=True)

    def extend(self, counties: set[str], usccs: set[str]) -> None:
        """Load the counties and operators not looked up yet (and the names taken in the new
        counties), so a file is checked batch by batch with a few queries each."""
        counties = {code for code in counties if code not in self.counties}
        if counties:
            found = {r.code: r for r in Region.objects.filter(code__in=counties, is_active=True)}
            accepted = {code: r for code, r in found.items() if _accepts_bases(r)}
            self.counties.update(dict.fromkeys(counties))
            self.counties.update(accepted)
            if accepted:
                self.taken.update(Base.objects.filter(county_id__in=list(accepted)).values_list("county_id", "name"))
        usccs = sorted(uscc for uscc in usccs if uscc not in self.entities)
        for i in range(0, len(usccs), 900):  # below SQLite's limit of bound parameters
            batch = usccs[i:i + 900]
            self.entities.update(dict.fromkeys(batch))
            found = Entity.objects.filter(uscc__in=batch)
            if self.ids_only:
                self.entities.update(found.values_list("uscc", "pk"))
            else:
                self.entities.update({e.uscc: e for e in found})

    def county(self, code: str):
        if code not in self.counties and not self.complete:
            region = Region.objects.filter(code=code, is_active=True).first()
            self.counties[code] = region if region is not None and _accepts_bases(region) else None
        return self.counties.get(code)

    def entity(self, uscc: str):
        if uscc not in self.entities and not self.complete:
            self.entities[uscc] = Entity.objects.filter(uscc=uscc).first()
        return self.entities.get(uscc)

    def is_taken(self, county_code: str, name: str, exclude_pk=None) -> bool:
        if self.complete:
            return (county_code, name) in self.taken
        clash = Base.objects.filter(county_id=county_code, name=name)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        return clash.exists()

    def accepted(self, choices) -> dict:
        """Codes and labels (in the language active when first asked) → code."""
        found = self._accepted.get(choices)
        if found is None:
            found = self._accepted[choices] = _accepted(choices)
        return found


def _accepts_bases(region: Region) -> bool:
    return region.level == RegionLevel.COUNTY or (region.level == RegionLevel.CITY and region.accepts_entities())


def _accepted(choices) -> dict:
    return {**{str(label): code for code, label in choices.choices}, **{code: code for code in choices.values}}


def _text(value) -> str:
    if type(value) is str:  # the usual case (form, API, spreadsheet): no other test needed
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _choice_error(name: str, given: str, choices) -> str:
    if not given:
        return _("必填")
    label = _("基地类型") if name == "base_type" else _("基地级别")
    return _("%(label)s“%(v)s”不正确，应为：%(all)s") % {
        "label": label, "v": given, "all": "、".join(str(lb) for lb in choices.labels)}


def _amount_error(name: str, raw, number, ceiling) -> str | None:
    if number is None:
        return _("应为数字") if _text(raw) else _("必填")
    if name == "area_mu" and number <= 0:
        return _("面积应大于 0")
    if number < 0:
        return _("年产量不能为负数")
    if number > ceiling:
        return _("超出合理范围（不超过 %(max)s %(unit)s），请检查单位") % {
            "max": f"{ceiling:,}", "unit": _("亩") if name == "area_mu" else _("吨")}
    return None


def clean_cells(cells, lookups: Lookups, *, exclude_pk=None) -> tuple[list, dict]:
    """The checks themselves, on the values in the order of FIELDS: (cleaned values in that
    order, {field: reason}). An import calls this for each row; clean_base for one base."""
    errors: dict[str, str] = {}
    out = list(cells)
    for i, name, limit, required in _TEXTS:
        text = _text(cells[i])
        if len(text) > limit:
            errors[name] = _("不能超过 %(n)d 个字") % {"n": limit}
        elif required and not text:
            errors[name] = _("必填")
        out[i] = text
    for i, name, choices in _CHOICES:
        raw, accepted = cells[i], lookups.accepted(choices)
        code = accepted.get(raw) if type(raw) is str else None
        if code is None:  # not an exact code or label: " GF " with spaces, a number, nothing
            given = _text(raw)
            code = accepted.get(given)
            if code is None:
                errors[name] = _choice_error(name, given, choices)
        out[i] = code

    county = cells[_COUNTY]
    county_code = county.code if isinstance(county, Region) else _text(county)
    if not county_code:
        out[_COUNTY] = None
        errors["county"] = _("必填")
    else:
        out[_COUNTY] = found = lookups.county(county_code)
        if found is None:
            errors["county"] = _("“%(v)s”不是现行的县级区划代码") % {"v": county_code}

    operator = cells[_OPERATOR]
    if isinstance(operator, Entity):
        out[_OPERATOR] = operator
    else:
        uscc = _text(operator).upper()
        if not uscc:
            out[_OPERATOR] = None
            errors["operator"] = _("必填")
        else:
            out[_OPERATOR] = found = lookups.entity(uscc)
            if found is None:
                errors["operator"] = _("统一社会信用代码 %(v)s 的主体尚未登记") % {"v": uscc}

    for i, name, ceiling in _AMOUNTS:
        raw = cells[i]
        number = _decimal(raw)
        if number is not None and (number > 0 if name == "area_mu" else number >= 0) and number <= ceiling:
            out[i] = number.quantize(CENT)
        else:
            errors[name] = _amount_error(name, raw, number, ceiling)
            out[i] = None

    for i, name, (low, high) in _PLACE:
        raw = cells[i]
        out[i] = None
        if not _text(raw):
            continue
        number = _decimal(raw)
        if number is None:
            errors[name] = _("应为数字")
        elif not low <= number <= high:
            label = _("经度") if name == "longitude" else _("纬度")
            errors[name] = _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}
        else:
            out[i] = number.quantize(MICRO)

    name, county = out[_NAME], out[_COUNTY]
    if name and county is not None and lookups.is_taken(county.code, name, exclude_pk):
        errors["name"] = _("%(county)s已有名为“%(name)s”的基地") % {"county": county.name, "name": name}
    return out, errors


def clean_base(values: dict, lookups: Lookups | None = None, *, exclude_pk=None) -> tuple[dict, dict]:
    """(cleaned values, {field: reason}). `operator` may be an Entity or a USCC, `county` a
    Region or a code; the cleaned values hold the objects."""
    out, errors = clean_cells([values.get(name) for name in FIELDS], lookups or Lookups(), exclude_pk=exclude_pk)
    return dict(zip(FIELDS, out, strict=True)), errors
