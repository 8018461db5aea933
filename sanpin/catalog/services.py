"""Every change to regions, countries, entities and trademarks, and applicant self-sign-up.

Each service is one transaction that checks who may act and where, validates with Chinese
messages per field, changes the rows and appends one audit event per changed record. The
SYSTEM user (command-line loads, demo data) acts everywhere; it holds no roles.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.accounts.models import RoleAssignment, User
from sanpin.core import audit
from sanpin.core.access import ALL, REGION, access_by_id, can, require_role, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.numbering import next_value

from . import io as region_io
from .choices import EntityKind, NumberCodeBasis, RegionLevel
from .models import Country, Entity, Region, Trademark
from .reference import (
    COUNTRIES,
    FOREIGN_NUMBER_CODE_KEY,
    FOREIGN_NUMBER_CODE_START,
    PROVINCE_NUMBER_CODES,
    RegionFixture,
    read_region_fixture,
)
from .validators import validate_phone, validate_uscc

# --- who may act ------------------------------------------------------------------------------


def _is_system(actor) -> bool:
    return bool(getattr(actor, "is_system", False))


def _require_national(actor) -> None:
    """Region and country master data is national: system administrators and national reviewers."""
    if not _is_system(actor):
        require_role(actor, NATIONAL_ROLES)


def entity_region_prefix(actor, action: str) -> str | None:
    """The code prefix of the regions where `actor` may place entities: "" for everywhere,
    None for nowhere (an applicant, or a role without the action)."""
    if _is_system(actor):
        return ""
    scope = scope_for(actor, action, Entity)
    if scope.kind == ALL:
        return ""
    if scope.kind == REGION:
        return scope.value
    return None


def _access_entity(actor, entity, action: str) -> Entity:
    """The entity locked for change, or PermissionDenied (role) / NotFound (scope)."""
    queryset = Entity.objects.select_for_update()
    if _is_system(actor):
        return queryset.get(pk=entity.pk)
    return access_by_id(queryset, actor, entity.pk, action)


def _acts_as_staff(actor) -> bool:
    return _is_system(actor) or bool(actor.roles & REVIEW_STAFF_ROLES)


# --- regions ----------------------------------------------------------------------------------

REGION_EDITABLE = (
    "number_code", "number_code_basis", "number_code_source",
    "poverty_exit_county", "poverty_exit_year", "key_assistance_county", "flags_source",
)
NUMBER_CODE_RE = re.compile(r"^\d{2}$")
EARLIEST_EXIT_YEAR = 2000
PROVINCE_CODE_MAX = FOREIGN_NUMBER_CODE_START - 1


def region_snapshot(region: Region) -> dict:
    return {name: getattr(region, name) for name in REGION_EDITABLE}


def _parse_year(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError
    return int(text)


def _check_region_values(region: Region, values: dict, *, taken: dict[str, str]) -> dict[str, str]:
    """Field errors for the merged values of one region. `taken` maps number codes in use by
    other regions to their names."""
    errors = {}
    number_code = values["number_code"]
    if number_code:
        if region.level != RegionLevel.PROVINCE:
            errors["number_code"] = _("只有省级区划有编号省份代码")
        elif not NUMBER_CODE_RE.match(number_code) or not 1 <= int(number_code) <= PROVINCE_CODE_MAX:
            errors["number_code"] = _("编号省份代码应为两位数字 01–%(max)02d（51 起用于国外产品）") % {
                "max": PROVINCE_CODE_MAX
            }
        elif number_code in taken:
            errors["number_code"] = _("编号省份代码 %(code)s 已被%(name)s使用") % {
                "code": number_code, "name": taken[number_code],
            }
    if values["number_code_basis"] and values["number_code_basis"] not in NumberCodeBasis.values:
        errors["number_code_basis"] = _("省份代码依据无效")
    if region.level != RegionLevel.PROVINCE:
        for name in ("number_code_basis", "number_code_source"):
            if values[name]:
                errors[name] = _("只有省级区划有编号省份代码")
    flagged = values["poverty_exit_county"] or values["key_assistance_county"]
    if region.level != RegionLevel.COUNTY:
        if values["poverty_exit_county"]:
            errors["poverty_exit_county"] = _("只有县级区划可以标为脱贫县")
        if values["key_assistance_county"]:
            errors["key_assistance_county"] = _("只有县级区划可以标为国家乡村振兴重点帮扶县")
        if values["poverty_exit_year"] is not None:
            errors["poverty_exit_year"] = _("只有县级区划有脱贫年份")
        if values["flags_source"].strip():
            errors["flags_source"] = _("只有县级区划有减免标识来源")
        return errors
    year = values["poverty_exit_year"]
    this_year = timezone.localdate().year
    if values["poverty_exit_county"]:
        if year is None:
            errors["poverty_exit_year"] = _("脱贫县须填写脱贫摘帽年份")
        elif not EARLIEST_EXIT_YEAR <= year <= this_year:
            errors["poverty_exit_year"] = _("脱贫年份应在 %(a)d 至 %(b)d 年之间") % {
                "a": EARLIEST_EXIT_YEAR, "b": this_year,
            }
    elif year is not None:
        errors["poverty_exit_year"] = _("未标为脱贫县时不应填写脱贫年份")
    if flagged and not values["flags_source"].strip():
        errors["flags_source"] = _("请填写标识来源（如公告名称、文号和日期）")
    return errors


def _taken_number_codes(exclude: set[str]) -> dict[str, str]:
    return dict(
        Region.objects.exclude(number_code="").exclude(code__in=exclude).values_list("number_code", "name")
    )


def _coerce_region_data(data: dict) -> tuple[dict, dict]:
    """Types of the editable fields from a form, the API or a sheet; errors per field."""
    values, errors = {}, {}
    for name, value in data.items():
        if name not in REGION_EDITABLE:
            errors[name] = _("此项不能修改")
        elif name == "poverty_exit_year":
            try:
                values[name] = _parse_year(value)
            except ValueError:
                errors[name] = _("脱贫年份应为四位数字年份")
        elif name in ("poverty_exit_county", "key_assistance_county"):
            if not isinstance(value, bool):
                errors[name] = _("请填写“是”或“否”")
            else:
                values[name] = value
        else:
            text = "" if value is None else str(value).strip()
            if len(text) > 255:
                errors[name] = _("内容过长（最多255字）")
            values[name] = text
    return values, errors


@transaction.atomic
def region_update(*, region: Region, actor, data: dict, reason: str) -> Region:
    """An administrator corrects a province's sequence code or a county's fee-waiver flags.

    Side effects: marks the region as edited by hand (load_regions keeps these values from
    then on); one audit event with the values before and after. Nothing changed → nothing written.
    """
    _require_national(actor)
    region = Region.objects.select_for_update().get(pk=region.pk)
    values, errors = _coerce_region_data(data)
    if not (reason or "").strip():
        errors["reason"] = _("请填写修改理由")
    before = region_snapshot(region)
    merged = {**before, **values}
    errors = {**_check_region_values(region, merged, taken=_taken_number_codes({region.code})), **errors}
    if errors:
        raise ValidationFailed(fields=errors)
    old, new = audit.diff(before, merged)
    if not new:
        return region
    for name, value in new.items():
        setattr(region, name, value)
    region.admin_edited_at = timezone.now()
    region.save(update_fields=[*new, "admin_edited_at", "updated_at"])
    audit.record(actor=actor, verb="region.update", target=region, old=old, new=new, reason=reason.strip())
    return region


@dataclass
class RegionLoadReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: list[str] = field(default_factory=list)
    number_codes_set: dict[str, str] = field(default_factory=dict)
    number_codes_kept: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "source": self.source, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "deactivated": self.deactivated, "number_codes_set": self.number_codes_set,
            "number_codes_kept": self.number_codes_kept,
        }


TREE_FIELDS = ("name", "level", "parent_id", "full_name", "is_active")


@transaction.atomic
def regions_load(*, actor, fixture: RegionFixture | None = None) -> RegionLoadReport:
    """Create or update every region of the fixture in bulk and give provinces their sequence
    codes (SPEC §10). Idempotent.

    Never touches a region's code or flags once an administrator has edited them, nor a code
    another region already holds; regions missing from the fixture are marked not current
    (kept: entities and agencies point at them). One audit event summarises the load.
    """
    _require_national(actor)
    fixture = fixture or read_region_fixture()
    report = RegionLoadReport(source=fixture.label)
    existing = {r.code: r for r in Region.objects.all()}
    in_use = {r.number_code: r.code for r in existing.values() if r.number_code}
    to_create, to_update, code_updates = [], [], []

    for row in fixture.rows:
        tree = {"name": row.name, "level": row.level, "parent_id": row.parent, "full_name": row.full_name,
                "is_active": True}
        region = existing.get(row.code)
        if region is None:
            region = Region(code=row.code, **tree)
            to_create.append(region)
            report.created += 1
            if row.code in PROVINCE_NUMBER_CODES:
                _assign_province_code(region, in_use, report)
            continue
        tree_changed = any(getattr(region, k) != v for k, v in tree.items())
        if tree_changed:
            for key, value in tree.items():
                setattr(region, key, value)
            to_update.append(region)
            report.updated += 1
        code_changed = row.code in PROVINCE_NUMBER_CODES and _assign_province_code(region, in_use, report)
        if code_changed and not tree_changed:
            code_updates.append(region)
        elif not tree_changed:
            report.unchanged += 1

    fixture_codes = {row.code for row in fixture.rows}
    for code, region in existing.items():
        if code not in fixture_codes and region.is_active:
            region.is_active = False
            to_update.append(region)
            report.deactivated.append(code)

    now = timezone.now()
    for region in to_create + to_update + code_updates:
        region.updated_at = now
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, [*TREE_FIELDS, *NUMBER_FIELDS, "updated_at"], batch_size=500)
    Region.objects.bulk_update(code_updates, [*NUMBER_FIELDS, "updated_at"], batch_size=500)
    if report.created or report.updated or report.deactivated or report.number_codes_set:
        audit.record(actor=actor, verb="regions.load", new=report.as_dict(), reason=fixture.label)
    return report


NUMBER_FIELDS = ("number_code", "number_code_source", "number_code_basis")


def _assign_province_code(region: Region, in_use: dict[str, str], report: RegionLoadReport) -> bool:
    """Give a province its code from the table unless an administrator set it, it has another
    code, or another region holds this one. True when a field changed."""
    code, source, basis = PROVINCE_NUMBER_CODES[region.code]
    if region.admin_edited_at is not None or region.number_code not in ("", code):
        report.number_codes_kept.append(region.code)
        return False
    if in_use.get(code, region.code) != region.code:
        report.number_codes_kept.append(region.code)
        return False
    wanted = {"number_code": code, "number_code_source": source, "number_code_basis": basis}
    if all(getattr(region, k) == v for k, v in wanted.items()):
        return False
    for key, value in wanted.items():
        setattr(region, key, value)
    in_use[code] = region.code
    report.number_codes_set[region.code] = code
    return True


@dataclass
class RegionImportRow:
    """One sheet row after validation: what would change, or why it cannot."""

    row_no: int
    code: str
    name: str = ""
    changes: dict = field(default_factory=dict)  # field → (old, new)
    errors: list[str] = field(default_factory=list)

    @property
    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """(column label, old, new) for display, booleans as 是/否."""
        def show(value):
            if isinstance(value, bool):
                return _("是") if value else _("否")
            return "—" if value in (None, "") else str(value)

        return [(FIELD_LABELS.get(k, k), show(old), show(new)) for k, (old, new) in self.changes.items()]


@dataclass
class RegionImportResult:
    file_name: str
    dry_run: bool
    rows: list[RegionImportRow]
    written: int = 0

    @property
    def bad_rows(self) -> list[RegionImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.bad_rows

    @property
    def changed_rows(self) -> list[RegionImportRow]:
        return [r for r in self.rows if r.changes and not r.errors]


FIELD_LABELS = {
    "code": gettext_lazy("区划代码"), "number_code": gettext_lazy("编号省份代码"),
    "number_code_basis": gettext_lazy("省份代码依据"), "number_code_source": gettext_lazy("省份代码来源"),
    "poverty_exit_county": gettext_lazy("脱贫县"), "poverty_exit_year": gettext_lazy("脱贫年份"),
    "key_assistance_county": gettext_lazy("国家乡村振兴重点帮扶县"), "flags_source": gettext_lazy("来源"),
}
FLAG_COLUMNS = ("poverty_exit_county", "key_assistance_county", "poverty_exit_year", "flags_source")


def _sheet_values(cells: dict, region: Region) -> tuple[dict, list[str]]:
    """The region fields a sheet row sets. Flag columns speak for county rows only: blank flags
    mean 否 there; on other rows they must be blank or 否."""
    data, problems = {}, []
    if region.level == RegionLevel.COUNTY:
        for name in ("poverty_exit_county", "key_assistance_county"):
            if name in cells:
                parsed = region_io.parse_yes_no(cells[name])
                if parsed is None:
                    problems.append(_("%(col)s应填“是”或“否”") % {"col": FIELD_LABELS[name]})
                else:
                    data[name] = parsed
        for name in ("poverty_exit_year", "flags_source"):
            if name in cells:
                data[name] = cells[name]
    else:
        for name in FLAG_COLUMNS:
            text = cells.get(name, "")
            if text and not (name in ("poverty_exit_county", "key_assistance_county")
                             and region_io.parse_yes_no(text) is False):
                problems.append(_("%(col)s只能用于县级区划") % {"col": FIELD_LABELS[name]})
    # A blank code cell leaves the code alone: clearing one is a deliberate edit on the region page.
    number_code = cells.get("number_code", "")
    if number_code:
        data["number_code"] = number_code.zfill(2) if number_code.isdigit() else number_code
    return data, problems


@transaction.atomic
def regions_import_xlsx(*, actor, file, dry_run: bool, file_name: str = "") -> RegionImportResult:
    """Set county flags and province codes from an Excel sheet (columns 区划代码, 脱贫县, 脱贫年份,
    国家乡村振兴重点帮扶县, 来源, optionally 编号省份代码).

    Every row is validated first; any bad row means nothing is written and every bad row is
    listed with its Excel row number. A dry run only validates. Side effects: each changed region
    is marked as edited by hand and gets one audit event naming the file.
    """
    _require_national(actor)
    file_name = file_name or getattr(file, "name", "") or "upload.xlsx"
    sheet_rows = region_io.read_region_sheet(file)[1]
    codes = {row.cells["code"] for row in sheet_rows}
    regions = Region.objects.select_for_update().in_bulk([c for c in codes if c])
    result = RegionImportResult(file_name=file_name, dry_run=dry_run, rows=[])
    seen: dict[str, int] = {}
    planned_codes: dict[str, str] = {}  # region code → its number code after the import
    staged = []

    for sheet_row in sheet_rows:
        code = sheet_row.cells["code"]
        row = RegionImportRow(row_no=sheet_row.row_no, code=code)
        result.rows.append(row)
        if not re.fullmatch(r"\d{6}", code):
            row.errors.append(_("区划代码应为6位数字") if code else _("区划代码不能为空"))
            continue
        if code in seen:
            row.errors.append(_("区划代码 %(code)s 与第 %(n)d 行重复") % {"code": code, "n": seen[code]})
            continue
        seen[code] = row.row_no
        region = regions.get(code)
        if region is None:
            row.errors.append(_("区划代码 %(code)s 不存在") % {"code": code})
            continue
        row.name = region.full_name or region.name
        data, problems = _sheet_values(sheet_row.cells, region)
        values, field_errors = _coerce_region_data(data)
        before = region_snapshot(region)
        merged = {**before, **values}
        if region.level == RegionLevel.COUNTY and not merged["poverty_exit_county"] and "poverty_exit_year" not in data:
            merged["poverty_exit_year"] = None
        row.errors.extend(problems)
        row.errors.extend(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in field_errors.items())
        if merged["number_code"]:
            planned_codes[code] = merged["number_code"]
        staged.append((row, region, before, merged, set(field_errors)))

    taken_outside = _taken_number_codes(set(planned_codes) | {item[1].code for item in staged})
    holders: dict[str, list[str]] = {}
    for region_code, number_code in planned_codes.items():
        holders.setdefault(number_code, []).append(region_code)
    for row, region, before, merged, unreadable in staged:
        taken = dict(taken_outside)
        for number_code, owners in holders.items():
            others = [c for c in owners if c != region.code]
            if others:
                taken[number_code] = regions[others[0]].name
        errors = _check_region_values(region, merged, taken=taken)
        row.errors.extend(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in errors.items() if k not in unreadable)
        old, new = audit.diff(before, merged)
        row.changes = {k: (old[k], new[k]) for k in new}

    if dry_run or not result.ok:
        return result

    now = timezone.now()
    changed = [(row, regions[row.code]) for row in result.changed_rows]
    # Clear moving codes first so that two provinces may swap codes within one file.
    movers = [region for row, region in changed if "number_code" in row.changes and region.number_code]
    for region in movers:
        region.number_code = ""
    Region.objects.bulk_update(movers, ["number_code"])
    for row, region in changed:
        old = {k: v[0] for k, v in row.changes.items()}
        new = {k: v[1] for k, v in row.changes.items()}
        for name, value in new.items():
            setattr(region, name, value)
        region.admin_edited_at = now
        region.save(update_fields=[*REGION_EDITABLE, "admin_edited_at", "updated_at"])
        audit.record(actor=actor, verb="region.import", target=region, old=old, new=new,
                     reason=_("Excel 导入：%(name)s 第 %(n)d 行") % {"name": file_name, "n": row.row_no})
        result.written += 1
    return result


# --- countries --------------------------------------------------------------------------------


@transaction.atomic
def countries_load(*, actor) -> int:
    """Add the common source countries that are missing (names of existing rows are kept)."""
    _require_national(actor)
    existing = set(Country.objects.values_list("iso_code", flat=True))
    new = [Country(iso_code=iso, name=name) for iso, name in COUNTRIES if iso not in existing]
    Country.objects.bulk_create(new)
    if new:
        audit.record(actor=actor, verb="countries.load", new={"added": [c.iso_code for c in new]})
    return len(new)


@transaction.atomic
def country_number_code_assign(*, country: Country, actor, on_date: datetime.date) -> Country:
    """Give a country the next foreign code (51, 52, ...) when its first product is certified
    [004 §17]. Idempotent: a country that has a code keeps it.

    Side effects: moves the "country-number-code" sequence on; one audit event.
    """
    _require_national(actor)
    country = Country.objects.select_for_update().get(pk=country.pk)
    if country.number_code:
        return country
    used = set(Country.objects.exclude(number_code="").values_list("number_code", flat=True))
    while True:
        value = FOREIGN_NUMBER_CODE_START + next_value(FOREIGN_NUMBER_CODE_KEY) - 1
        if value > 99:
            raise Conflict(_("国外编号代码已用尽（最大 99）"))
        if str(value) not in used:
            break
    country.number_code = str(value)
    country.first_certified_on = on_date
    country.save(update_fields=["number_code", "first_certified_on", "updated_at"])
    audit.record(actor=actor, verb="country.number_code_assign", target=country,
                 new={"number_code": country.number_code, "first_certified_on": on_date})
    return country


# --- entities ---------------------------------------------------------------------------------

ENTITY_FIELDS = (
    "name", "uscc", "kind", "region", "address", "legal_representative", "contact_name", "contact_phone", "email",
)
STAFF_EDITABLE = (*ENTITY_FIELDS, "is_active")
# An organisation's own applicant keeps its contact data current; name, code, legal
# representative and location change through the agency (a change procedure [004 §21]).
APPLICANT_EDITABLE = ("address", "contact_name", "contact_phone", "email")
SIGNUP_KINDS = (
    EntityKind.ENTERPRISE, EntityKind.COOPERATIVE, EntityKind.FAMILY_FARM, EntityKind.ASSOCIATION,
    EntityKind.INPUT_MANUFACTURER,
)
TEXT_LIMITS = {"name": 120, "address": 200, "legal_representative": 60, "contact_name": 60}
REQUIRED_MESSAGES = {
    "name": gettext_lazy("请填写主体名称"),
    "address": gettext_lazy("请填写地址"),
    "legal_representative": gettext_lazy("请填写法定代表人"),
    "contact_name": gettext_lazy("请填写联系人"),
}


def entity_snapshot(entity: Entity) -> dict:
    return {
        "name": entity.name, "uscc": entity.uscc, "kind": entity.kind, "region": entity.region_id,
        "address": entity.address, "legal_representative": entity.legal_representative,
        "contact_name": entity.contact_name, "contact_phone": entity.contact_phone, "email": entity.email,
        "is_active": entity.is_active,
    }


def _resolve_region(value, *, prefix: str | None) -> tuple[Region | None, str | None]:
    code = value.code if isinstance(value, Region) else str(value or "").strip()
    if not code:
        return None, _("请选择所在县区")
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None, _("区划代码 %(code)s 不存在") % {"code": code}
    if not region.is_active:
        return None, _("%(name)s 已不是现行区划") % {"name": region}
    if not region.accepts_entities():
        return None, _("请选择县级行政区划（区、县、县级市），不能选择%(name)s") % {"name": region}
    if prefix is None or not region.code.startswith(prefix):
        return None, _("所选县区不在您的管辖范围内")
    return region, None


def _clean_entity_fields(data: dict, *, prefix: str | None, kinds=None) -> tuple[dict, dict]:
    """Normalised values and per-field Chinese errors for the given entity fields."""
    values, errors = {}, {}
    for name, raw in data.items():
        if name == "region":
            region, error = _resolve_region(raw, prefix=prefix)
            if error:
                errors[name] = error
            values[name] = region
            continue
        if name == "is_active":
            if not isinstance(raw, bool):
                errors[name] = _("请填写“是”或“否”")
            values[name] = bool(raw)
            continue
        text = str(raw or "").strip()
        try:
            if name == "uscc":
                text = validate_uscc(text)
            elif name == "contact_phone":
                text = validate_phone(text)
            elif name == "email":
                if text:
                    validate_email(text)
            elif name == "kind":
                allowed = kinds or EntityKind.values
                if text not in allowed:
                    raise ValidationError(_("请选择主体类型"))
            elif name in REQUIRED_MESSAGES:
                if not text:
                    raise ValidationError(str(REQUIRED_MESSAGES[name]))
                if len(text) > TEXT_LIMITS[name]:
                    raise ValidationError(_("最多%(n)d个字") % {"n": TEXT_LIMITS[name]})
            else:
                raise ValidationError(_("此项不能修改"))
        except ValidationError as exc:
            message = exc.messages[0]
            if name == "email" and exc.code == "invalid":
                message = _("电子邮箱格式不正确")
            errors[name] = message
        values[name] = text
    return values, errors


def _uscc_taken_message(uscc: str, *, actor, exclude_pk=None) -> str | None:
    """None when the code is free; otherwise a message naming the holder only if the actor may
    see it (the existence of an organisation elsewhere is not disclosed)."""
    holder = Entity.objects.filter(uscc=uscc).exclude(pk=exclude_pk).first()
    if holder is None:
        return None
    visible = _is_system(actor) or (
        actor is not None and actor.is_authenticated
        and Entity.objects.restrict(actor, "view").filter(pk=holder.pk).exists()
    )
    if visible:
        return _("该统一社会信用代码已登记为“%(name)s”") % {"name": holder.name}
    return _("该统一社会信用代码已登记")


def _raise_duplicate(message: str):
    raise ValidationFailed(_("统一社会信用代码重复"), code="duplicate", fields={"uscc": message})


@transaction.atomic
def entity_create(
    *, actor, name, uscc, kind, region, address, legal_representative, contact_name, contact_phone, email=""
) -> Entity:
    """Agency staff register an organisation in a county of their region.

    Side effects: one audit event with the new record.
    """
    if not (_is_system(actor) or can(actor, "create", Entity)):
        raise PermissionDenied()
    prefix = entity_region_prefix(actor, "create")
    values, errors = _clean_entity_fields(
        {"name": name, "uscc": uscc, "kind": kind, "region": region, "address": address,
         "legal_representative": legal_representative, "contact_name": contact_name,
         "contact_phone": contact_phone, "email": email},
        prefix=prefix,
    )
    if "uscc" not in errors:
        taken = _uscc_taken_message(values["uscc"], actor=actor)
        if taken and not errors:
            _raise_duplicate(taken)
        if taken:
            errors["uscc"] = taken
    if errors:
        raise ValidationFailed(fields=errors)
    entity = _insert_entity(values, registered_by=actor, actor=actor)
    audit.record(actor=actor, verb="entity.create", target=entity, new=entity_snapshot(entity))
    return entity


def _insert_entity(values: dict, *, registered_by, actor) -> Entity:
    try:
        with transaction.atomic():  # savepoint: a concurrent insert of the same code loses here
            return Entity.objects.create(registered_by=registered_by, **values)
    except IntegrityError:
        _raise_duplicate(_uscc_taken_message(values["uscc"], actor=actor) or _("该统一社会信用代码已登记"))


@transaction.atomic
def entity_update(*, entity: Entity, actor, data: dict, reason: str = "") -> Entity:
    """Staff in scope correct an organisation; its own applicant updates the contact data.

    Side effects: one audit event with the changed fields. Nothing changed → nothing written.
    """
    entity = _access_entity(actor, entity, "change")
    staff = _acts_as_staff(actor)
    editable = STAFF_EDITABLE if staff else APPLICANT_EDITABLE
    refused = {
        name: _("申请人不能直接修改此项，请联系所在地工作机构办理变更") if name in STAFF_EDITABLE else _("此项不能修改")
        for name in data if name not in editable
    }
    if refused:
        raise ValidationFailed(fields=refused)
    prefix = entity_region_prefix(actor, "change") if staff else None
    values, errors = _clean_entity_fields(data, prefix=prefix)
    if errors:
        raise ValidationFailed(fields=errors)
    if "uscc" in values and values["uscc"] != entity.uscc:
        taken = _uscc_taken_message(values["uscc"], actor=actor, exclude_pk=entity.pk)
        if taken:
            _raise_duplicate(taken)
    before = entity_snapshot(entity)
    after = {**before, **{k: (v.code if isinstance(v, Region) else v) for k, v in values.items()}}
    old, new = audit.diff(before, after)
    if not new:
        return entity
    for name in new:
        setattr(entity, name, values[name])
    try:
        with transaction.atomic():
            entity.save(update_fields=[*new, "updated_at"])
    except IntegrityError:
        _raise_duplicate(_("该统一社会信用代码已登记"))
    audit.record(actor=actor, verb="entity.update", target=entity, old=old, new=new, reason=reason.strip())
    return entity


# --- trademarks -------------------------------------------------------------------------------

REGISTRATION_NO_RE = re.compile(r"^\d{4,12}$")


@transaction.atomic
def trademark_add(*, entity: Entity, actor, name, registration_no, nice_class=None, valid_until=None) -> Trademark:
    """Record a registered trademark of the organisation (warnings on green-food drafts look
    for one [001 §5]). Side effects: one audit event."""
    entity = _access_entity(actor, entity, "change")
    errors = {}
    name = str(name or "").strip()
    registration_no = re.sub(r"\s", "", str(registration_no or ""))
    if not name:
        errors["name"] = _("请填写商标名称")
    elif len(name) > 80:
        errors["name"] = _("最多80个字")
    if not REGISTRATION_NO_RE.match(registration_no):
        errors["registration_no"] = _("商标注册号应为4至12位数字")
    elif entity.trademarks.filter(registration_no=registration_no).exists():
        errors["registration_no"] = _("该商标注册号已登记")
    if nice_class not in (None, ""):
        try:
            nice_class = int(nice_class)
        except (TypeError, ValueError):
            nice_class = 0
        if not 1 <= nice_class <= 45:
            errors["nice_class"] = _("商标类别应为 1 至 45")
    else:
        nice_class = None
    if valid_until not in (None, "") and not isinstance(valid_until, datetime.date):
        errors["valid_until"] = _("日期格式应为 YYYY-MM-DD")
    if errors:
        raise ValidationFailed(fields=errors)
    trademark = Trademark.objects.create(
        entity=entity, name=name, registration_no=registration_no, nice_class=nice_class,
        valid_until=valid_until or None,
    )
    audit.record(actor=actor, verb="trademark.add", target=trademark, new={
        "entity": entity.pk, "name": name, "registration_no": registration_no, "nice_class": nice_class,
        "valid_until": trademark.valid_until,
    })
    return trademark


@transaction.atomic
def trademark_remove(*, trademark: Trademark, actor, reason: str = "") -> None:
    """Remove a trademark record (expired or entered by mistake). Side effects: one audit event
    keeping what was removed."""
    entity = _access_entity(actor, trademark.entity, "change")
    trademark = Trademark.objects.select_for_update().get(pk=trademark.pk, entity=entity)
    audit.record(actor=actor, verb="trademark.remove", target=trademark, old={
        "entity": entity.pk, "name": trademark.name, "registration_no": trademark.registration_no,
        "nice_class": trademark.nice_class, "valid_until": trademark.valid_until,
    }, reason=reason.strip())
    trademark.delete()


# --- applicant self-sign-up -------------------------------------------------------------------

username_validator = UnicodeUsernameValidator()


def signup_clean(
    *, username, password, display_name, phone, name, uscc, kind, region, address, legal_representative,
    contact_name, contact_phone, email="", kinds=SIGNUP_KINDS,
) -> tuple[dict, dict, dict]:
    """Validate a self-sign-up (an account and its organisation) without writing anything.

    Returns (account, entity values, per-field Chinese errors). Shared by `applicant_signup` and the
    market's buyer sign-up, which differ only in the organisation kinds and the role given.
    """
    errors = {}
    username = str(username or "").strip()
    display_name = str(display_name or "").strip()
    if not username:
        errors["username"] = _("请填写用户名")
    elif len(username) > 150:
        errors["username"] = _("用户名最多150个字符")
    else:
        try:
            username_validator(username)
        except ValidationError:
            errors["username"] = _("用户名只能包含字母、数字和 @ . + - _")
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = _("该用户名已被使用")
    if not display_name:
        errors["display_name"] = _("请填写姓名")
    elif len(display_name) > 60:
        errors["display_name"] = _("姓名最多60个字")
    try:
        phone = validate_phone(phone, mobile_only=True)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if not password:
        errors["password"] = _("请设置密码")
    else:
        try:
            password_validation.validate_password(
                password, user=User(username=username, display_name=display_name, email=email or "")
            )
        except ValidationError as exc:
            errors["password"] = exc.messages
    values, entity_errors = _clean_entity_fields(
        {"name": name, "uscc": uscc, "kind": kind, "region": region, "address": address,
         "legal_representative": legal_representative, "contact_name": contact_name,
         "contact_phone": contact_phone, "email": email},
        prefix="", kinds=[str(k) for k in kinds],
    )
    errors.update(entity_errors)
    if "uscc" not in errors and Entity.objects.filter(uscc=values["uscc"]).exists():
        errors["uscc"] = _("该统一社会信用代码已登记；如为本单位，请联系所在地工作机构开通账号")
    account = {"username": username, "password": password, "display_name": display_name, "phone": phone}
    return account, values, errors


def signup_create(*, account: dict, values: dict, role: str) -> User:
    """Create the user (with `role`) and its organisation from `signup_clean`'s output. Runs inside
    the caller's transaction, which also writes the audit event."""
    user = User.objects.create_user(
        username=account["username"], password=account["password"], display_name=account["display_name"],
        phone=account["phone"], email=values["email"],
    )
    RoleAssignment.objects.create(user=user, role=role)
    entity = _insert_entity(values, registered_by=user, actor=None)
    user.entity = entity
    user.save(update_fields=["entity"])
    user.__dict__.pop("roles", None)
    return user


@transaction.atomic
def applicant_signup(
    *, username, password, display_name, phone, name, uscc, kind, region, address, legal_representative,
    contact_name, contact_phone, email="",
) -> User:
    """A new applicant opens an account and registers its organisation in one step.

    Either both the user and the entity are created or neither. Side effects: the user gets the
    APPLICANT role and belongs to the entity; one audit event with the new user as actor.
    """
    account, values, errors = signup_clean(
        username=username, password=password, display_name=display_name, phone=phone, name=name, uscc=uscc,
        kind=kind, region=region, address=address, legal_representative=legal_representative,
        contact_name=contact_name, contact_phone=contact_phone, email=email,
    )
    if errors:
        raise ValidationFailed(fields=errors)
    user = signup_create(account=account, values=values, role=Role.APPLICANT)
    audit.record(actor=user, verb="entity.signup", target=user.entity,
                 new={**entity_snapshot(user.entity), "username": account["username"], "role": Role.APPLICANT})
    return user


def green_food_code_assign(*, entity: Entity, actor, on_date: datetime.date) -> str:
    """The entity's green food enterprise information code, given at its first green food
    certificate and kept for life: GF + county code + two-digit year + a 4-digit serial per county
    and year (SPEC §10). Called inside the issuing transaction; a second call returns the code."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.green_food_code:
        return entity.green_food_code
    yy = f"{on_date:%y}"
    serial = next_value(f"green_food_code:{entity.region_id}:{yy}")
    if serial > 9999:
        raise Conflict(_("%(county)s %(year)s 年的绿色食品企业信息码序号已用尽") % {
            "county": entity.region_id, "year": on_date.year}, code="number_exhausted")
    entity.green_food_code = f"GF{entity.region_id}{yy}{serial:04d}"
    entity.save(update_fields=["green_food_code", "updated_at"])
    audit.record(actor=actor, verb="entity.green_food_code", target=entity,
                 new={"green_food_code": entity.green_food_code})
    return entity.green_food_code
