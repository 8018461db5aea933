"""One set of checks for a base's data, shared by the form, the API and the Excel import.

Values come in as text (a form field, a JSON string, a spreadsheet cell) or already typed; the
result is the cleaned values and, per field, the Chinese reason each bad one is refused. The
lookups (counties, entities, names already taken) are loaded once per import, not per row."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import get_language
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


@dataclass
class Lookups:
    """Counties, operators and the (county, name) pairs already used. `load()` for one base;
    `for_rows()` fills them for a whole import with a few queries."""

    counties: dict = field(default_factory=dict)  # code → Region (county level or a city without counties)
    entities: dict = field(default_factory=dict)  # USCC → Entity
    taken: set = field(default_factory=set)  # (county code, name)
    complete: bool = False  # True: a code missing from the dicts does not exist

    @classmethod
    def for_rows(cls, counties: set[str], usccs: set[str]) -> "Lookups":
        found = {r.code: r for r in Region.objects.filter(code__in=counties, is_active=True)}
        accepted = {code: r for code, r in found.items() if _accepts_bases(r)}
        entities = {}
        usccs = sorted(usccs)
        for i in range(0, len(usccs), 900):  # below SQLite's limit of bound parameters
            entities.update({e.uscc: e for e in Entity.objects.filter(uscc__in=usccs[i:i + 900])})
        taken = set(Base.objects.filter(county_id__in=list(accepted)).values_list("county_id", "name"))
        return cls(accepted, entities, taken, complete=True)

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


def _accepts_bases(region: Region) -> bool:
    return region.level == RegionLevel.COUNTY or (region.level == RegionLevel.CITY and region.accepts_entities())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@lru_cache(maxsize=16)
def _accepted(choices, language: str) -> dict:
    """Codes and labels (in the active language) → code; built once, not per imported row."""
    return {**{str(label): code for code, label in choices.choices}, **{code: code for code in choices.values}}


def _choice(value, choices) -> str | None:
    """A code or its label ("GF" or "绿色食品原料标准化生产基地")."""
    return _accepted(choices, get_language() or "").get(_text(value))


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def clean_base(values: dict, lookups: Lookups | None = None, *, exclude_pk=None) -> tuple[dict, dict]:
    """(cleaned values, {field: reason}). `operator` may be an Entity or a USCC, `county` a
    Region or a code; the cleaned values hold the objects."""
    lookups = lookups or Lookups()
    errors: dict[str, str] = {}
    out: dict = {}
    for name in ("name", "products", "varieties", "location", "coverage", "techniques", "responsible_person"):
        text = _text(values.get(name))
        if len(text) > LENGTHS[name]:
            errors[name] = _("不能超过 %(n)d 个字") % {"n": LENGTHS[name]}
        out[name] = text
    for name in REQUIRED:
        if name in out and not out[name]:
            errors[name] = _("必填")
    for name, choices, label in (("base_type", BaseType, _("基地类型")), ("level", BaseLevel, _("基地级别"))):
        code = _choice(values.get(name), choices)
        if code is None:
            given = _text(values.get(name))
            errors[name] = (_("%(label)s“%(v)s”不正确，应为：%(all)s") % {
                "label": label, "v": given, "all": "、".join(str(lb) for lb in choices.labels)} if given else _("必填"))
        out[name] = code

    county = values.get("county")
    if isinstance(county, Region):
        county = county.code
    county_code = _text(county)
    out["county"] = lookups.county(county_code) if county_code else None
    if not county_code:
        errors["county"] = _("必填")
    elif out["county"] is None:
        errors["county"] = _("“%(v)s”不是现行的县级区划代码") % {"v": county_code}

    operator = values.get("operator")
    uscc = operator.uscc if isinstance(operator, Entity) else _text(operator).upper()
    out["operator"] = operator if isinstance(operator, Entity) else (lookups.entity(uscc) if uscc else None)
    if not uscc:
        errors["operator"] = _("必填")
    elif out["operator"] is None:
        errors["operator"] = _("统一社会信用代码 %(v)s 的主体尚未登记") % {"v": uscc}

    for name, ceiling, unit in (("area_mu", MAX_AREA_MU, _("亩")), ("output_tons", MAX_OUTPUT_TONS, _("吨"))):
        raw = values.get(name)
        number = _decimal(raw)
        if number is None:
            errors[name] = _("应为数字") if _text(raw) else _("必填")
        elif name == "area_mu" and number <= 0:
            errors[name] = _("面积应大于 0")
        elif number < 0:
            errors[name] = _("年产量不能为负数")
        elif number > ceiling:
            errors[name] = _("超出合理范围（不超过 %(max)s %(unit)s），请检查单位") % {
                "max": f"{ceiling:,}", "unit": unit}
        out[name] = number.quantize(Decimal("0.01")) if number is not None and name not in errors else None

    for name, (low, high), label in (("longitude", LONGITUDE, _("经度")), ("latitude", LATITUDE, _("纬度"))):
        raw = values.get(name)
        number = _decimal(raw)
        if not _text(raw):
            out[name] = None
        elif number is None:
            errors[name] = _("应为数字")
        elif not low <= number <= high:
            errors[name] = _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}
        else:
            out[name] = number.quantize(Decimal("0.000001"))
        out.setdefault(name, None)

    if out["name"] and out["county"] is not None and lookups.is_taken(out["county"].code, out["name"], exclude_pk):
        errors["name"] = _("%(county)s已有名为“%(name)s”的基地") % {"county": out["county"].name, "name": out["name"]}
    return out, errors
