"""Writes for the standards and procedures library: standards and their withdrawal, procedures and
their transitions, deliveries and training. Each checks role and region, validates (bad input →
ValidationFailed naming the fields, nothing written), writes and appends one audit event in the
same transaction."""

import datetime
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, Role
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, require_role, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import files, numbers, transitions
from .choices import DeliveryMeans, ProcedureKind, ProcedureStatus, ProductField, StandardKind, TrainingKind
from .models import Attendance, Distribution, Procedure, Standard, TrainingSession
from .recipients import Recipient, resolve, within

STANDARD_ROLES = NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}
EARLIEST = datetime.date(1950, 1, 1)
MAX_COPIES = 100_000
MAX_PEOPLE = 10_000


# --- helpers --------------------------------------------------------------------------------------


def _text(errors: dict, values: dict, name: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (values.get(name) or "").strip()
    if required and not value:
        errors[name] = _("请填写%s") % label
    elif len(value) > max_length:
        errors[name] = _("%(label)s不超过 %(n)d 字") % {"label": label, "n": max_length}
    return value


def _day(errors: dict, values: dict, name: str, label: str, *, required: bool = True, past: bool = True):
    value = values.get(name)
    if value in (None, ""):
        if required:
            errors[name] = _("请填写%s") % label
        return None
    if not isinstance(value, datetime.date):
        errors[name] = _("%s格式应为 YYYY-MM-DD") % label
        return None
    if value < EARLIEST:
        errors[name] = _("%s不能早于 1950 年") % label
    elif past and value > clock.today():
        errors[name] = _("%s不能晚于今天") % label
    return value


def region_prefix(actor, model, action: str) -> str | None:
    """The code prefix of the region `actor` acts in for `action` (None: the whole country), or
    PermissionDenied for a role that may not act at all."""
    scope = scope_for(actor, action, model)
    if scope.kind == ALL:
        return None
    if scope.kind == REGION:
        return scope.value
    raise PermissionDenied()


# --- standards ------------------------------------------------------------------------------------


def may_manage_standard(actor, kind: str, number: str = "") -> bool:
    """National staff manage every standard; provincial staff only their own province's local
    standards (DB45… for Guangxi)."""
    roles = actor.roles if getattr(actor, "is_authenticated", False) else frozenset()
    if roles & NATIONAL_ROLES:
        return True
    if Role.PROVINCIAL_REVIEWER in roles and kind == StandardKind.LOCAL and actor.agency_id:
        region = actor.agency.region
        return region is not None and numbers.normalise(number).startswith(f"DB{region.code[:2]}")
    return False


def _standard_values(values: dict, *, exclude_pk=None) -> dict:
    errors = {}
    kind = values.get("kind") or ""
    parsed = None
    try:
        parsed = numbers.parse(kind, values.get("number") or "")
    except ValidationFailed as exc:
        errors.update({k: v[0] for k, v in exc.fields.items()})
    title = _text(errors, values, "title", _("标准名称"), 200)
    published_on = _day(errors, values, "published_on", _("发布日期"))
    effective_on = _day(errors, values, "effective_on", _("实施日期"), past=False)
    if published_on and effective_on and effective_on < published_on:
        errors["effective_on"] = _("实施日期不能早于发布日期")
    if parsed is not None:
        if published_on and parsed.year != published_on.year:
            errors["published_on"] = _("发布日期的年份应与标准编号中的年号 %d 一致") % parsed.year
        if parsed.province and not Region.objects.filter(code=f"{parsed.province}0000",
                                                         level=RegionLevel.PROVINCE).exists():
            errors["number"] = _("地方标准代号 DB%s 不是有效的省级行政区划代码") % parsed.province
        elif Standard.objects.filter(number=parsed.number).exclude(pk=exclude_pk).exists():
            errors["number"] = _("标准 %s 已在库中") % parsed.number
    product_field = values.get("product_field") or ProductField.GENERAL
    if product_field not in ProductField.values:
        errors["product_field"] = _("适用领域不正确")
    summary = _text(errors, values, "summary", _("内容摘要"), 2000, required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    return {"kind": kind, "number": parsed.number, "title": title, "published_on": published_on,
            "effective_on": effective_on, "product_field": product_field, "summary": summary,
            "file_public": bool(values.get("file_public"))}


def _snapshot(standard: Standard) -> dict:
    return {"number": standard.number, "title": standard.title, "published_on": standard.published_on,
            "effective_on": standard.effective_on, "withdrawn_on": standard.withdrawn_on,
            "replaced_by": standard.replaced_by.number if standard.replaced_by else None,
            "file_public": standard.file_public, "sha256": standard.sha256}


@transaction.atomic
def standard_create(*, actor, upload=None, is_demo: bool = False, **values) -> Standard:
    """Add a standard to the library (national staff; provincial staff their local standards),
    with its full text when given. Side effects: one audit event."""
    require_role(actor, STANDARD_ROLES)
    if not may_manage_standard(actor, values.get("kind") or "", values.get("number") or ""):
        raise PermissionDenied(_("省级工作人员只能录入本省的地方标准"))
    cleaned = _standard_values(values)
    standard = Standard(**cleaned, is_demo=is_demo, created_by=actor)
    if upload is not None:
        files.attach(standard, upload)
    standard.save()
    audit.record(actor=actor, verb="knowledge.standard.create", target=standard, new=_snapshot(standard))
    return standard


@transaction.atomic
def standard_update(*, actor, standard: Standard, upload=None, **values) -> Standard:
    """Correct a standard's data or replace its file. Side effects: one audit event."""
    require_role(actor, STANDARD_ROLES)
    if not (may_manage_standard(actor, standard.kind, standard.number)
            and may_manage_standard(actor, values.get("kind") or "", values.get("number") or "")):
        raise PermissionDenied(_("省级工作人员只能修改本省的地方标准"))
    cleaned = _standard_values(values, exclude_pk=standard.pk)
    if standard.withdrawn_on and standard.withdrawn_on < cleaned["published_on"]:
        raise ValidationFailed(fields={"published_on": _("发布日期不能晚于已登记的废止日期")})
    old = _snapshot(standard)
    for name, value in cleaned.items():
        setattr(standard, name, value)
    if upload is not None:
        files.attach(standard, upload)
    standard.save()
    audit.record(actor=actor, verb="knowledge.standard.update", target=standard, old=old, new=_snapshot(standard))
    return standard


@transaction.atomic
def standard_withdraw(*, actor, standard: Standard, withdrawn_on, replaced_by: Standard | None = None,
                      reason: str = "") -> Standard:
    """Record that a standard is withdrawn (废止) from a day, and by which standard it is replaced.
    From that day the library shows it as withdrawn and it can no longer be delivered.
    Side effects: one audit event."""
    require_role(actor, STANDARD_ROLES)
    if not may_manage_standard(actor, standard.kind, standard.number):
        raise PermissionDenied(_("省级工作人员只能废止本省的地方标准"))
    if standard.withdrawn_on:
        raise Conflict(_("该标准已于 %s 登记废止") % standard.withdrawn_on.isoformat())
    errors = {}
    day = _day(errors, {"withdrawn_on": withdrawn_on}, "withdrawn_on", _("废止日期"), past=False)
    if day and day < standard.published_on:
        errors["withdrawn_on"] = _("废止日期不能早于发布日期")
    if replaced_by is not None:
        if replaced_by.pk == standard.pk:
            errors["replaced_by"] = _("不能由自身代替")
        elif replaced_by.withdrawn_on:
            errors["replaced_by"] = _("代替标准本身已废止")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写废止依据（公告或文号）")
    if errors:
        raise ValidationFailed(fields=errors)
    old = _snapshot(standard)
    standard.withdrawn_on, standard.replaced_by = day, replaced_by
    standard.save(update_fields=["withdrawn_on", "replaced_by", "updated_at"])
    audit.record(actor=actor, verb="knowledge.standard.withdraw", target=standard, old=old, new=_snapshot(standard),
                 reason=reason)
    return standard


# --- procedures and sheets ------------------------------------------------------------------------


def _procedure_values(actor, values: dict) -> dict:
    errors = {}
    title = _text(errors, values, "title", _("名称"), 200)
    kind = values.get("kind") or ""
    if kind not in ProcedureKind.values:
        errors["kind"] = _("请选择类别")
    product = _text(errors, values, "product", _("产品"), 100)
    product_field = values.get("product_field") or ""
    if product_field not in ProductField.values:
        errors["product_field"] = _("请选择产品领域")
    region = values.get("region")
    prefix = region_prefix(actor, Procedure, "change")
    if not isinstance(region, Region):
        errors["region"] = _("请选择适用区域")
    elif prefix is not None and not region.code.startswith(prefix):
        errors["region"] = _("只能选择本辖区及下级区域")
    issuing_agency = _text(errors, values, "issuing_agency", _("发布单位"), 120)
    issued_on = _day(errors, values, "issued_on", _("发布日期"), required=False)
    version = _text(errors, values, "version", _("版本"), 30)
    summary = _text(errors, values, "summary", _("内容摘要"), 2000, required=False)
    standards = list(values.get("standards") or [])
    if any(not isinstance(s, Standard) for s in standards):
        errors["standards"] = _("相关标准不正确")
    if errors:
        raise ValidationFailed(fields=errors)
    return {"title": title, "kind": kind, "product": product, "product_field": product_field, "region": region,
            "issuing_agency": issuing_agency, "issued_on": issued_on, "version": version, "summary": summary,
            "standards": standards}


def _procedure_snapshot(procedure: Procedure) -> dict:
    return {"title": procedure.title, "kind": procedure.kind, "product": procedure.product,
            "region": procedure.region_id, "version": procedure.version, "issued_on": procedure.issued_on,
            "status": procedure.status, "sha256": procedure.sha256}


def _unique_version(cleaned: dict, exclude_pk=None) -> None:
    clash = Procedure.objects.filter(region=cleaned["region"], kind=cleaned["kind"], title=cleaned["title"],
                                     version=cleaned["version"]).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationFailed(fields={"version": _("本区域已有同名同版本的文件，请修改版本号")})


@transaction.atomic
def procedure_create(*, actor, upload=None, **values) -> Procedure:
    """Draft a procedure or sheet for a region in the actor's scope. Side effects: one audit event."""
    cleaned = _procedure_values(actor, values)
    _unique_version(cleaned)
    standards = cleaned.pop("standards")
    procedure = Procedure(**cleaned, created_by=actor)
    if upload is not None:
        files.attach(procedure, upload)
    procedure.save()
    procedure.standards.set(standards)
    audit.record(actor=actor, verb="knowledge.procedure.create", target=procedure, new=_procedure_snapshot(procedure))
    return procedure


@transaction.atomic
def procedure_update(*, actor, procedure: Procedure, upload=None, **values) -> Procedure:
    """Correct a draft (a published document is retired and a new version drafted instead).
    Side effects: one audit event."""
    if procedure.status != ProcedureStatus.DRAFT:
        raise Conflict(_("只能修改草稿；已发布的文件请停用后起草新版本"))
    cleaned = _procedure_values(actor, values)
    _unique_version(cleaned, exclude_pk=procedure.pk)
    standards = cleaned.pop("standards")
    old = _procedure_snapshot(procedure)
    for name, value in cleaned.items():
        setattr(procedure, name, value)
    if upload is not None:
        files.attach(procedure, upload)
    procedure.save()
    procedure.standards.set(standards)
    audit.record(actor=actor, verb="knowledge.procedure.update", target=procedure, old=old,
                 new=_procedure_snapshot(procedure))
    return procedure


@transaction.atomic
def procedure_transition(*, actor, procedure: Procedure, action: str, reason: str = "") -> Procedure:
    """Move a procedure along the table in sanpin.knowledge.transitions: publish (draft → in the
    public library; needs its file and issue date) or retire (published → off the library and no
    longer deliverable; needs a reason). Side effects: one audit event."""
    prefix = region_prefix(actor, Procedure, "change")
    if prefix is not None and not procedure.region_id.startswith(prefix):
        raise PermissionDenied()
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    transition = transitions.find(action, procedure.status)
    if transition is None:
        raise TransitionNotAllowed(_("当前状态（%s）不允许此操作") % procedure.get_status_display())
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationFailed(fields={"reason": _("请填写停用原因")})
    if transition.guard:
        errors = transition.guard(procedure)
        if errors:
            raise ValidationFailed(fields={k: str(v) for k, v in errors.items()})
    old = procedure.status
    procedure.status = transition.target
    procedure.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, verb=f"knowledge.procedure.{action}", target=procedure, old={"status": old},
                 new={"status": procedure.status}, reason=reason)
    return procedure


# --- delivery -------------------------------------------------------------------------------------


def _document(errors: dict, standard, procedure, on) -> None:
    if (standard is None) == (procedure is None):
        errors["document"] = _("请选择一项标准或一份规程/明白纸")
    elif standard is not None and on and standard.withdrawn_on and standard.withdrawn_on <= on:
        errors["document"] = _("标准 %s 已废止，不能发放") % standard.number
    elif procedure is not None and procedure.status != ProcedureStatus.PUBLISHED:
        errors["document"] = _("只能发放已发布的规程/明白纸")


def _recipients(codes, *, prefix: str | None, region: Region | None = None) -> tuple[list[Recipient], list[str]]:
    """Every line resolved, or the list of what is wrong with which line (numbered from 1)."""
    found, problems, seen = [], [], set()
    for n, code in enumerate(codes, start=1):
        result = resolve(code, prefix=prefix)
        if isinstance(result, str):
            problems.append(_("第 %(n)d 行 %(code)s：%(why)s") % {"n": n, "code": (code or "").strip(), "why": result})
        elif result.key in seen:
            problems.append(_("第 %(n)d 行 %(code)s：与前面的行重复") % {"n": n, "code": code.strip()})
        elif region is not None and not within(result, region):
            problems.append(_("第 %(n)d 行 %(code)s：不在%(region)s") % {"n": n, "code": code.strip(),
                                                                         "region": region.name})
        else:
            seen.add(result.key)
            found.append(result)
    return found, problems


@transaction.atomic
def distribution_record(*, actor, recipients: list[str], delivered_on, means: str, copies, delivered_by: str,
                        standard: Standard | None = None, procedure: Procedure | None = None) -> list[Distribution]:
    """Record that one document was delivered to one or many organisations or bases in the actor's
    region on a day. All or nothing: one bad recipient (unknown, outside the region, repeated, or
    already given the same document that day) writes nothing and is named with its line.
    Side effects: one audit event for the batch."""
    prefix = region_prefix(actor, Distribution, "record")
    errors = {}
    day = _day(errors, {"delivered_on": delivered_on}, "delivered_on", _("发放日期"))
    _document(errors, standard, procedure, day)
    if means not in DeliveryMeans.values:
        errors["means"] = _("请选择发放方式")
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        errors["copies"] = _("份数应为 1–%d 的整数") % MAX_COPIES
    by = _text(errors, {"delivered_by": delivered_by}, "delivered_by", _("发放人"), 60)
    codes = [c for c in (recipients or []) if (c or "").strip()]
    if not codes:
        errors["recipients"] = [_("请至少填写一个接收主体或基地")]
    found, problems = _recipients(codes, prefix=prefix)
    if day and not problems and "document" not in errors:
        already = Distribution.objects.filter(delivered_on=day, standard=standard, procedure=procedure)
        given = {("base", b) for b in already.filter(base__isnull=False).values_list("base_id", flat=True)}
        given |= {("entity", e) for e in already.filter(base__isnull=True).values_list("entity_id", flat=True)}
        problems = [_("%s：当天已登记发放过该文件") % r.label for r in found if r.key in given]
    if problems:
        errors["recipients"] = problems
    if errors:
        raise ValidationFailed(fields=errors)
    batch = uuid.uuid4()
    rows = Distribution.objects.bulk_create([
        Distribution(standard=standard, procedure=procedure, entity=r.entity, base=r.base, region_id=r.region_id,
                     delivered_on=day, means=means, copies=copies, delivered_by=by, batch=batch, recorded_by=actor)
        for r in found
    ])
    document = standard or procedure
    audit.record(actor=actor, verb="knowledge.distribution.record", target=document, new={
        "batch": str(batch), "delivered_on": day, "means": means, "copies": copies, "delivered_by": by,
        "recipients": [r.base.name if r.base else r.entity.uscc for r in found]})
    return rows


# --- training -------------------------------------------------------------------------------------


@transaction.atomic
def training_create(*, actor, kind: str, title: str, held_on, region, location: str, trainer: str,
                    standards=(), procedures=()) -> TrainingSession:
    """Record a training class, briefing or on-site visit held in the actor's region, with the
    documents it covered. Side effects: one audit event."""
    prefix = region_prefix(actor, TrainingSession, "change")
    errors = {}
    if kind not in TrainingKind.values:
        errors["kind"] = _("请选择类型")
    values = {"title": title, "location": location, "trainer": trainer}
    title = _text(errors, values, "title", _("主题"), 200)
    location = _text(errors, values, "location", _("地点"), 200)
    trainer = _text(errors, values, "trainer", _("授课/指导人员"), 120)
    day = _day(errors, {"held_on": held_on}, "held_on", _("日期"))
    if not isinstance(region, Region):
        errors["region"] = _("请选择举办地区")
    elif prefix is not None and not region.code.startswith(prefix):
        errors["region"] = _("只能选择本辖区及下级区域")
    procedures = list(procedures or [])
    if any(p.status != ProcedureStatus.PUBLISHED for p in procedures):
        errors["procedures"] = _("只能选择已发布的规程/明白纸")
    if errors:
        raise ValidationFailed(fields=errors)
    session = TrainingSession.objects.create(kind=kind, title=title, held_on=day, region=region, location=location,
                                             trainer=trainer, recorded_by=actor)
    session.standards.set(list(standards or []))
    session.procedures.set(procedures)
    audit.record(actor=actor, verb="knowledge.training.create", target=session, new={
        "kind": kind, "title": title, "held_on": day, "region": region.code,
        "standards": [s.number for s in standards or []], "procedures": [p.pk for p in procedures]})
    return session


@transaction.atomic
def training_record_attendance(*, actor, session: TrainingSession, rows: list[tuple[str, object]]) -> list[Attendance]:
    """Record who attended a session: (organisation or base code, number of people) per row, each
    in the session's region. All or nothing, like deliveries. Side effects: one audit event."""
    prefix = region_prefix(actor, TrainingSession, "change")
    if prefix is not None and not session.region_id.startswith(prefix):
        raise PermissionDenied()
    problems = []
    rows = [(code, people) for code, people in (rows or []) if (code or "").strip()]
    if not rows:
        raise ValidationFailed(fields={"rows": [_("请至少填写一个参训主体或基地")]})
    found, problems = _recipients([code for code, _people in rows], prefix=prefix, region=session.region)
    for n, (code, people) in enumerate(rows, start=1):
        if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
            problems.append(_("第 %(n)d 行 %(code)s：人数应为 1–%(max)d 的整数") % {
                "n": n, "code": code.strip(), "max": MAX_PEOPLE})
    if not problems:
        existing = {("base", b) if b else ("entity", e)
                    for e, b in session.attendance.values_list("entity_id", "base_id")}
        problems = [_("%s：已在本次参训名单中") % r.label for r in found if r.key in existing]
    if problems:
        raise ValidationFailed(fields={"rows": problems})
    people_by_key = {}
    for recipient, (_code, people) in zip(found, rows, strict=True):
        people_by_key[recipient.key] = people
    created = Attendance.objects.bulk_create([
        Attendance(session=session, entity=r.entity, base=r.base, region_id=r.region_id,
                   people=people_by_key[r.key], recorded_by=actor) for r in found
    ])
    audit.record(actor=actor, verb="knowledge.training.attendance", target=session, new={
        "rows": [[r.base.name if r.base else r.entity.uscc, people_by_key[r.key]] for r in found]})
    return created
