"""Entering targets: who may set which region's target, the checks on a value, and the one service
that writes it (with its audit event). The page, the API and the Excel import all go through
`check_target` and `target_set`.

Who sets what (seed 002 §3(1)4: the provincial plan gives each city its number; the national
plan gives each province its number):
- national staff (system administrators, national reviewers, or staff of a national agency) set
  the targets of provinces;
- provincial reviewers of a provincial agency set the targets of the regions directly below
  their province (its cities, and counties directly under it)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, AgencyLevel, Role
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import audit
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .models import Target, TargetMeasure

TARGET_ROLES = NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_VALUE = 1_000_000
SOURCE_LENGTH = 200


def _agency_region(actor) -> Region | None:
    return actor.agency.region if actor.agency_id and actor.agency.region_id else None


def is_national(actor) -> bool:
    if actor.agency_id and actor.agency.level == AgencyLevel.NATIONAL:
        return bool(actor.roles & TARGET_ROLES)
    return bool(actor.roles & NATIONAL_ROLES) and _agency_region(actor) is None


def may_set_targets(actor) -> bool:
    """Whether the actor sets any targets at all (national or provincial staff)."""
    if is_national(actor):
        return True
    return (Role.PROVINCIAL_REVIEWER in actor.roles and actor.agency_id is not None
            and actor.agency.level == AgencyLevel.PROVINCE and actor.agency.region_id is not None)


def settable_regions(actor) -> list[Region]:
    """The regions whose targets the actor sets: provinces (national staff) or the regions
    directly below the actor's province."""
    if is_national(actor):
        return list(Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True).order_by("code"))
    if may_set_targets(actor):
        return list(actor.agency.region.children.filter(is_active=True).order_by("code"))
    return []


def region_error(actor, region: Region) -> str | None:
    """Why the actor may not set this region's target (None: it may)."""
    if is_national(actor):
        return None if region.level == RegionLevel.PROVINCE else _("国家级只填报各省（自治区、直辖市）的目标")
    own = _agency_region(actor)
    if own is None or not region.code.startswith(own.scope_prefix):
        return _("该地区不在本机构管辖范围内")
    if region.parent_id != own.code:
        return _("省级只填报本省各市（含省直辖县）的目标")
    return None


@dataclass
class CleanTarget:
    region: Region
    year: int
    measure: str
    value: int
    source: str


def measure_from_text(text: str) -> str | None:
    """A measure from its code (green_organic) or its Chinese label (绿色食品、有机农产品)."""
    text = (text or "").strip()
    if text in TargetMeasure.values:
        return text
    plain = text.replace("，", "、").replace(",", "、").replace(" ", "")
    for value, label in TargetMeasure.choices:
        if plain == str(label):
            return value
    return None


def check_target(actor, *, region, year, measure, value, source="") -> tuple[CleanTarget | None, dict]:
    """The cleaned target, or the problems as {field: Chinese message}. `region` is a Region or a
    code; `year` and `value` may be text (as read from a form or a workbook)."""
    errors: dict[str, str] = {}
    if not isinstance(region, Region):
        code = str(region or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            errors["region"] = _("地区代码 %(code)s 不存在") % {"code": code} if code else _("请填写地区代码")
    if region is not None:
        problem = region_error(actor, region)
        if problem:
            errors["region"] = problem
    try:
        year = int(str(year).strip().removesuffix(".0"))
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("年度应为 %(low)d–%(high)d 的整数") % {"low": MIN_YEAR, "high": MAX_YEAR}
    clean_measure = measure_from_text(measure)
    if clean_measure is None:
        errors["measure"] = _("指标应为：%(v)s") % {"v": "；".join(str(label) for label in TargetMeasure.labels)}
    text = str(value if value is not None else "").strip().removesuffix(".0")
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None:
        errors["value"] = _("计划数应为整数") if text else _("请填写计划数")
    elif number < 0:
        errors["value"] = _("计划数不能为负数")
    elif number > MAX_VALUE:
        errors["value"] = _("计划数不能超过 %(max)s") % {"max": f"{MAX_VALUE:,}"}
    source = str(source or "").strip()
    if len(source) > SOURCE_LENGTH:
        errors["source"] = _("依据不超过 %(n)d 个字") % {"n": SOURCE_LENGTH}
    if errors:
        return None, errors
    return CleanTarget(region, year, clean_measure, number, source), {}


def _require_role(actor) -> None:
    if not may_set_targets(actor):
        raise PermissionDenied(_("只有国家级和省级工作机构可以填报发展目标"))


@transaction.atomic
def target_set(*, actor, region, year, measure, value, source: str = "") -> Target:
    """Enter or change the target of one region, year and measure.

    Raises PermissionDenied (a role that sets no targets), NotFound (a region outside the actor's
    scope), ValidationFailed (Chinese messages per field). Side effects: one audit event."""
    _require_role(actor)
    if isinstance(region, Region):
        own = _agency_region(actor)
        if own is not None and not is_national(actor) and not region.code.startswith(own.scope_prefix):
            raise NotFound()
    clean, errors = check_target(actor, region=region, year=year, measure=measure, value=value, source=source)
    if errors:
        raise ValidationFailed(fields=errors)
    return _write(actor, clean)


def _write(actor, clean: CleanTarget) -> Target:
    target = (Target.objects.select_for_update()
              .filter(region=clean.region, year=clean.year, measure=clean.measure).first())
    old = None
    if target is None:
        target = Target.objects.create(region=clean.region, year=clean.year, measure=clean.measure,
                                       value=clean.value, source=clean.source, updated_by=actor)
    elif (target.value, target.source) == (clean.value, clean.source):
        return target  # nothing changes: nothing to record
    else:
        old = {"value": target.value, "source": target.source}
        target.value, target.source, target.updated_by = clean.value, clean.source, actor
        target.save(update_fields=["value", "source", "updated_by", "updated_at"])
    audit.record(actor=actor, verb="stats.target_set", target=target, old=old,
                 new={"region": clean.region.code, "year": clean.year, "measure": clean.measure,
                      "value": clean.value, "source": clean.source})
    return target


@transaction.atomic
def targets_write(*, actor, targets: list[CleanTarget]) -> list[Target]:
    """Write targets already checked with `check_target` (the Excel import), all or none."""
    _require_role(actor)
    return [_write(actor, clean) for clean in targets]


@transaction.atomic
def targets_load(*, actor, rows: list[dict]) -> list[Target]:
    """Load a published plan from the command line (manage.py load_demo_targets): the rows are
    checked like any other, but not against the actor's scope, since the actor is the SYSTEM user.
    Rows whose value and source are already stored are left alone, so loading twice changes nothing."""
    out, problems = [], {}
    for row in rows:
        region = Region.objects.filter(code=row["region"]).first()
        if region is None:
            problems[row["region"]] = _("地区代码 %(code)s 不存在") % {"code": row["region"]}
            continue
        clean = CleanTarget(region, int(row["year"]), row["measure"], int(row["value"]), row.get("source", ""))
        out.append(_write(actor, clean))
    if problems:
        raise ValidationFailed(fields=problems)
    return out
