"""Every change to the allowed-input lists: create and edit a draft version, add and remove its
inputs and residue limits (by hand or from an Excel file, all or nothing), publish it (which
supersedes the previous version of the same issuer and kind from its effective day), retire it,
and start the next version from a published one. Each checks role and region scope (a province
manages its own lists, national staff every list), validates, writes and appends one audit event in
the same transaction."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import audit, clock
from sanpin.core.access import NONE, REGION, access_by_id, scope_for
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import transitions
from .choices import InputKind, ListStatus
from .cleaning import clean_limit, normalise_name, overlap, overlap_message, parse_category, parse_date
from .models import AllowedInput, AllowedInputList, ResidueLimit

ONE_DAY = datetime.timedelta(days=1)


# --- access ---------------------------------------------------------------------------------------


def _managed(actor, lst) -> AllowedInputList:
    """The list, locked, if the actor manages it (403 for a role that never does, 404 out of scope)."""
    access_by_id(AllowedInputList, actor, getattr(lst, "pk", lst), "manage")
    return (AllowedInputList.objects.select_for_update(of=("self",)).select_related("issuer_region")
            .get(pk=getattr(lst, "pk", lst)))


def _draft(actor, lst) -> AllowedInputList:
    lst = _managed(actor, lst)
    if lst.status != ListStatus.DRAFT:
        raise Conflict(_("已发布的清单不能修改；如需调整，请基于它创建新版本"))
    return lst


def _issuer_region(actor, code: str) -> Region | None:
    """Where a new list applies: national staff choose national (blank) or a province; a province's
    staff create lists for their own province only."""
    scope = scope_for(actor, "manage", AllowedInputList)
    code = (code or "").strip()
    if scope.kind == NONE:
        raise PermissionDenied(_("只有省级或国家级工作人员可以管理可用投入品清单"))
    if scope.kind == REGION:
        own = actor.agency.region if actor.agency_id else None
        if own is None or own.level != RegionLevel.PROVINCE:
            raise PermissionDenied(_("只有省级工作机构可以发布本省清单"))
        if code and code != own.code:
            raise ValidationFailed(fields={"issuer_region": _("只能为本省（%s）发布清单") % own.name})
        return own
    if not code:
        return None
    region = Region.objects.filter(code=code, level=RegionLevel.PROVINCE).first()
    if region is None:
        raise ValidationFailed(fields={"issuer_region": _("适用地区应为省级区划代码（如 450000），全国清单留空")})
    return region


# --- list fields ----------------------------------------------------------------------------------


def _clean_list_fields(*, title, issuer_name, source_document, effective_from, effective_until, note) -> dict:
    errors = {}
    title, issuer_name = (title or "").strip(), (issuer_name or "").strip()
    source_document, note = (source_document or "").strip(), (note or "").strip()
    if not title:
        errors["title"] = _("请填写清单名称，如 广西绿色食品可用农药清单（2024）")
    elif len(title) > 120:
        errors["title"] = _("清单名称不超过 120 字")
    if not issuer_name:
        errors["issuer_name"] = _("请填写发布机构")
    elif len(issuer_name) > 120:
        errors["issuer_name"] = _("发布机构不超过 120 字")
    if not source_document:
        errors["source_document"] = _("请填写发布文件（文件名称及文号）")
    elif len(source_document) > 200:
        errors["source_document"] = _("发布文件不超过 200 字")
    start, problem = parse_date(effective_from)
    if problem or start is None:
        errors["effective_from"] = problem or _("请填写生效日期")
    end, problem = parse_date(effective_until)
    if problem:
        errors["effective_until"] = problem
    elif start and end and end < start:
        errors["effective_until"] = _("失效日期不能早于生效日期")
    if errors:
        raise ValidationFailed(fields=errors)
    return {"title": title, "issuer_name": issuer_name, "source_document": source_document,
            "effective_from": start, "effective_until": end, "note": note}


def _snapshot(lst) -> dict:
    return {"title": lst.title, "kind": lst.kind, "issuer_region": lst.issuer_region_id, "status": lst.status,
            "effective_from": lst.effective_from.isoformat(),
            "effective_until": lst.effective_until.isoformat() if lst.effective_until else None,
            "source_document": lst.source_document}


@transaction.atomic
def list_create(*, actor, kind: str, title: str, issuer_region: str = "", issuer_name: str,
                source_document: str, effective_from, effective_until=None, note: str = "") -> AllowedInputList:
    """A draft version of a list. Side effects: one audit event."""
    region = _issuer_region(actor, issuer_region)
    if kind not in InputKind.values:
        raise ValidationFailed(fields={"kind": _("投入品类别应为：%s") % "、".join(str(k.label) for k in InputKind)})
    values = _clean_list_fields(title=title, issuer_name=issuer_name, source_document=source_document,
                                effective_from=effective_from, effective_until=effective_until, note=note)
    lst = AllowedInputList.objects.create(kind=kind, issuer_region=region, created_by=actor, **values)
    audit.record(actor=actor, verb="inputs.list.create", target=lst, new=_snapshot(lst))
    return lst


@transaction.atomic
def list_update(*, actor, lst, title: str, issuer_name: str, source_document: str, effective_from,
                effective_until=None, note: str = "") -> AllowedInputList:
    """Correct a draft's title, issuer, document and dates. Side effects: one audit event."""
    lst = _draft(actor, lst)
    old = _snapshot(lst)
    values = _clean_list_fields(title=title, issuer_name=issuer_name, source_document=source_document,
                                effective_from=effective_from, effective_until=effective_until, note=note)
    for name, value in values.items():
        setattr(lst, name, value)
    lst.save(update_fields=[*values, "updated_at"])
    audit.record(actor=actor, verb="inputs.list.update", target=lst, old=old, new=_snapshot(lst))
    return lst


# --- transitions ----------------------------------------------------------------------------------


def _transition(lst, action: str) -> transitions.Transition:
    step = transitions.find(action, lst.status)
    if step is None:
        label = {"publish": _("发布"), "retire": _("废止")}.get(action, action)
        raise TransitionNotAllowed(_("清单当前为“%(status)s”，不能%(action)s") % {
            "status": lst.get_status_display(), "action": label})
    if step.guard:
        errors = step.guard(lst)
        if errors:
            raise ValidationFailed(next(iter(errors.values())), fields=errors)
    return step


def _predecessor(lst) -> AllowedInputList | None:
    return (AllowedInputList.objects.select_for_update()
            .filter(kind=lst.kind, issuer_region=lst.issuer_region, status=ListStatus.PUBLISHED)
            .exclude(pk=lst.pk).order_by("-effective_from").first())


@transaction.atomic
def list_publish(*, actor, lst) -> AllowedInputList:
    """Publish a draft. The published version of the same issuer and kind, if any, is superseded
    from the new version's effective day (it stays in force for the days before, so past
    applications and sampling results are still judged by it). Side effects: the predecessor's
    end date and status; one audit event per list changed."""
    lst = _managed(actor, lst)
    step = _transition(lst, "publish")
    before = _predecessor(lst)
    if before is not None:
        if lst.effective_from <= before.effective_from:
            raise ValidationFailed(fields={"effective_from": _(
                "生效日期须晚于现行版本《%(title)s》的生效日期 %(day)s") % {
                "title": before.title, "day": before.effective_from.isoformat()}})
        old = _snapshot(before)
        last_day = lst.effective_from - ONE_DAY
        if before.effective_until is None or before.effective_until > last_day:
            before.effective_until = last_day
        supersede = transitions.find("supersede", before.status)
        before.status = supersede.target
        before.save(update_fields=["effective_until", "status", "updated_at"])
        audit.record(actor=actor, verb="inputs.list.supersede", target=before, old=old, new=_snapshot(before),
                     reason=_("被《%s》替代") % lst.title)
        if lst.previous_id is None:
            lst.previous = before
    old = _snapshot(lst)
    lst.status, lst.published_at = step.target, clock.now()
    lst.save(update_fields=["status", "published_at", "previous", "updated_at"])
    audit.record(actor=actor, verb="inputs.list.publish", target=lst, old=old, new=_snapshot(lst))
    return lst


@transaction.atomic
def list_retire(*, actor, lst, reason: str, from_day: datetime.date | None = None) -> AllowedInputList:
    """Retire a published list from `from_day` (today when not given), without a successor: it is
    no longer in force from that day. Side effects: one audit event."""
    lst = _managed(actor, lst)
    step = _transition(lst, "retire")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("请说明废止的原因和依据")})
    from_day = from_day or clock.today()
    old = _snapshot(lst)
    last_day = from_day - ONE_DAY
    if lst.effective_until is None or lst.effective_until > last_day:
        lst.effective_until = last_day
    lst.status = step.target
    lst.save(update_fields=["status", "effective_until", "updated_at"])
    audit.record(actor=actor, verb="inputs.list.retire", target=lst, old=old, new=_snapshot(lst), reason=reason)
    return lst


@transaction.atomic
def list_new_version(*, actor, lst, title: str, source_document: str, effective_from) -> AllowedInputList:
    """A draft next version of a published list, with its inputs and limits copied to edit.
    Side effects: one audit event."""
    lst = _managed(actor, lst)
    if lst.status != ListStatus.PUBLISHED:
        raise Conflict(_("只能基于现行（已发布）的清单创建新版本"))
    values = _clean_list_fields(title=title, issuer_name=lst.issuer_name, source_document=source_document,
                                effective_from=effective_from, effective_until=None, note="")
    if values["effective_from"] <= lst.effective_from:
        raise ValidationFailed(fields={
            "effective_from": _("新版本的生效日期须晚于 %s") % lst.effective_from.isoformat()})
    draft = AllowedInputList.objects.create(kind=lst.kind, issuer_region=lst.issuer_region, previous=lst,
                                            created_by=actor, **values)
    for item in lst.inputs.prefetch_related("limits"):
        copy = AllowedInput.objects.create(list=draft, common_name=item.common_name,
                                           active_ingredient=item.active_ingredient, category=item.category,
                                           restrictions=item.restrictions)
        ResidueLimit.objects.bulk_create([ResidueLimit(
            input=copy, crop=limit.crop, crop_category=limit.crop_category, max_value=limit.max_value,
            unit=limit.unit, source_standard=limit.source_standard, effective_from=limit.effective_from,
            effective_until=limit.effective_until, is_demo=limit.is_demo) for limit in item.limits.all()])
    audit.record(actor=actor, verb="inputs.list.new_version", target=draft,
                 new={**_snapshot(draft), "previous": lst.pk, "inputs": draft.inputs.count()})
    return draft


# --- inputs and limits ----------------------------------------------------------------------------


def clean_input(raw: dict) -> tuple[dict, dict]:
    errors = {}
    name = str(raw.get("common_name") or "").strip()
    if not name:
        errors["common_name"] = _("请填写通用名")
    elif len(name) > 80:
        errors["common_name"] = _("通用名不超过 80 字")
    ingredient = str(raw.get("active_ingredient") or "").strip()
    if len(ingredient) > 120:
        errors["active_ingredient"] = _("有效成分不超过 120 字")
    category, problem = parse_category(raw.get("category"))
    if problem:
        errors["category"] = problem
    return {"common_name": name, "active_ingredient": ingredient, "category": category,
            "restrictions": str(raw.get("restrictions") or "").strip()}, errors


def _limit_text(values: dict) -> str:
    return f"{values['crop']} ≤ {values['max_value'].normalize():f} {values['unit']}"


@transaction.atomic
def input_add(*, actor, lst, common_name: str, active_ingredient: str = "", category: str = "",
              restrictions: str = "", limits=()) -> AllowedInput:
    """Put an input on a draft list, with any residue limits given (all or nothing: one bad limit
    and nothing is written, every problem named). Side effects: one audit event."""
    lst = _draft(actor, lst)
    values, errors = clean_input({"common_name": common_name, "active_ingredient": active_ingredient,
                                  "category": category, "restrictions": restrictions})
    if values["common_name"] and any(normalise_name(n) == normalise_name(values["common_name"])
                                     for n in lst.inputs.values_list("common_name", flat=True)):
        errors["common_name"] = _("“%s”已在本清单中") % values["common_name"]
    cleaned = []
    for i, raw in enumerate(limits or ()):
        limit, problems = clean_limit(raw if isinstance(raw, dict) else {})
        for field, problem in problems.items():
            errors[f"limits[{i}].{field}"] = problem
        if not problems:
            clash = overlap(limit, cleaned)
            if clash:
                errors[f"limits[{i}].effective_from"] = overlap_message(limit["crop"], clash)
            cleaned.append(limit)
    if errors:
        raise ValidationFailed(fields=errors)
    item = AllowedInput.objects.create(list=lst, **values)
    ResidueLimit.objects.bulk_create([ResidueLimit(input=item, **limit) for limit in cleaned])
    audit.record(actor=actor, verb="inputs.input.add", target=lst,
                 new={"common_name": item.common_name, "limits": [_limit_text(v) for v in cleaned]})
    return item


def _item(actor, item) -> AllowedInput:
    pk = getattr(item, "pk", item)
    found = AllowedInput.objects.filter(pk=pk).values_list("list_id", flat=True).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    _draft(actor, found)
    return AllowedInput.objects.select_related("list").get(pk=pk)


@transaction.atomic
def input_remove(*, actor, item) -> None:
    """Take an input (and its limits) off a draft list. Side effects: one audit event."""
    item = _item(actor, item)
    audit.record(actor=actor, verb="inputs.input.remove", target=item.list, old={"common_name": item.common_name})
    item.delete()


@transaction.atomic
def limit_add(*, actor, item, **raw) -> ResidueLimit:
    """A residue limit for an input of a draft list. Refused, with nothing written, without crop,
    product category or unit, for a negative, zero or absurd value, or when its days overlap
    another limit of the same input on the same crop. Side effects: one audit event."""
    item = _item(actor, item)
    values, errors = clean_limit(raw)
    if not errors:
        clash = overlap(values, item.limits.all())
        if clash:
            errors["effective_from"] = overlap_message(values["crop"], clash)
    if errors:
        raise ValidationFailed(fields=errors)
    limit = ResidueLimit.objects.create(input=item, **values)
    audit.record(actor=actor, verb="inputs.limit.add", target=item.list,
                 new={"common_name": item.common_name, "limit": _limit_text(values),
                      "source_standard": values["source_standard"]})
    return limit


@transaction.atomic
def limit_remove(*, actor, limit) -> None:
    """Remove a residue limit from an input of a draft list. Side effects: one audit event."""
    pk = getattr(limit, "pk", limit)
    row = ResidueLimit.objects.filter(pk=pk).select_related("input").first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound()
    _item(actor, row.input_id)
    audit.record(actor=actor, verb="inputs.limit.remove", target=row.input.list,
                 old={"common_name": row.input.common_name, "limit": str(row)})
    row.delete()


# --- import ---------------------------------------------------------------------------------------


@transaction.atomic
def list_import(*, actor, lst, data: bytes, dry_run: bool = False):
    """Inputs and limits from the Excel template into a draft list. Every row is checked first;
    a dry run only reports. A file with any bad row writes nothing and names every bad row (with a
    dry run they are returned in the outcome, otherwise raised). Side effects (when written): one
    audit event."""
    from .io import plan_import, read_rows

    lst = _draft(actor, lst)
    outcome = plan_import(lst, read_rows(data))
    outcome.dry_run = dry_run
    if outcome.problems:
        if dry_run:
            return outcome
        raise ValidationFailed(_("文件中有 %d 行有误，未导入任何数据") % len(outcome.problems),
                               fields={"rows": outcome.problems})
    if dry_run:
        return outcome
    existing = {normalise_name(i.common_name): i for i in lst.inputs.all()}
    for planned in outcome.inputs:
        key = normalise_name(planned["values"]["common_name"])
        item = existing.get(key)
        if item is None:
            item = existing[key] = AllowedInput.objects.create(list=lst, **planned["values"])
        ResidueLimit.objects.bulk_create([ResidueLimit(input=item, **limit) for limit in planned["limits"]])
    outcome.written = True
    audit.record(actor=actor, verb="inputs.list.import", target=lst,
                 new={"inputs": outcome.new_inputs, "limits": outcome.limit_count, "rows": outcome.rows})
    return outcome
