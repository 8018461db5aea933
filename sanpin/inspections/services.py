"""Every change in annual inspection (年检): generating a province's yearly plan from the
certificates valid on a day, adding holders certified since (never dropping an item), assigning
a qualified inspector to an item, and recording the inspection. A "rectify" conclusion opens a
rectification per certificate and a "fail" a revocation request, through sanpin.supervision
(this module never changes a certificate's status itself). Each service is one transaction with
its audit event; people are told after commit."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.models import User, system_user
from sanpin.accounts.registries import inspector_check_assignable
from sanpin.catalog.models import Region
from sanpin.certificates.choices import EXPIRED, FINAL, Status
from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock, numbering
from sanpin.core.access import access_by_id, require_role, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.notifications.services import notify
from sanpin.supervision import causes as cause_tables
from sanpin.supervision import services as supervision
from sanpin.supervision.models import RevocationRequest, RevocationStatus, Source

from .models import (
    INSPECTED_SCHEMES,
    PLAN_ACTIONS,
    PROVINCE_ROLES,
    QUALIFICATIONS,
    AnnualInspectionPlan,
    Conclusion,
    InspectionRecord,
    PlanItem,
)

# The revocation cause a failed annual inspection is reported under, per scheme (decision 0022):
# green food names it (绿色食品标志管理办法 Art. 26: 年度检查不合格); the seven causes of green inputs
# [004 §26] do not, and the closest is §26(1), the product no longer conforming to the technical
# specification the inspection checks.
FAIL_CAUSES = {
    "green_food": cause_tables.INSPECTION_FAILED,
    "green_inputs": "not_conforming",
}
# Certificates that count as held on the basis date: valid, or valid while under rectification.
HELD = (Status.VALID, Status.IN_RECTIFICATION)


def _is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def _require_province(actor, province: Region) -> None:
    """The actor plans for this province: national staff anywhere, provincial staff their own."""
    if _is_system(actor):
        return
    require_role(actor, PLAN_ACTIONS["generate"])
    scope = scope_for(actor, "generate", AnnualInspectionPlan)
    if scope.kind == "all":
        return
    if scope.kind == "region" and province.code.startswith(str(scope.value)):
        return
    raise PermissionDenied(_("只能为本省制定年检计划"))


def _tell(users, title, body, url):
    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(lambda: notify(recipients=users, title=title, body=body, url=url))


def held_certificates(*, province: Region, schemes, on: datetime.date):
    """Certificates of `schemes` whose holder is in `province` (the provincial office supervises
    by territory [004 §24]) and that are valid or under rectification on `on`."""
    return (Certificate.objects.with_effective_status(on)
            .filter(effective__in=list(HELD), scheme__in=list(schemes), valid_from__lte=on,
                    holder__region__code__startswith=province.scope_prefix)
            .order_by("holder_id", "number", "pk"))


def _fill(plan: AnnualInspectionPlan, on: datetime.date) -> tuple[int, int]:
    """Add an item per new holder and link newly held certificates; returns (items, links) added."""
    items = {item.entity_id: item for item in plan.items.all()}
    linked = set(PlanItem.certificates.through.objects.filter(planitem__plan=plan)
                 .values_list("planitem_id", "certificate_id"))
    new_items = new_links = 0
    for certificate in held_certificates(province=plan.province, schemes=plan.schemes, on=on):
        item = items.get(certificate.holder_id)
        if item is None:
            item = items[certificate.holder_id] = PlanItem.objects.create(plan=plan, entity_id=certificate.holder_id,
                                                                          added_on=on)
            new_items += 1
        if (item.pk, certificate.pk) not in linked:
            item.certificates.add(certificate)
            linked.add((item.pk, certificate.pk))
            new_links += 1
    return new_items, new_links


def _clean_plan_input(province, year, schemes, on) -> tuple[list[str], datetime.date]:
    errors = {}
    if not isinstance(province, Region) or province.level != "province":
        errors["province"] = _("请选择省级行政区划")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("年度应为 2000–2100 的整数")
    schemes = list(dict.fromkeys(schemes or []))
    if not schemes:
        errors["schemes"] = _("请至少选择一种认证类型")
    elif set(schemes) - set(INSPECTED_SCHEMES):
        errors["schemes"] = _("年检的认证类型只能是绿色食品、绿色食品生产资料")
    if "year" not in errors:
        on = on or datetime.date(year, 1, 1)
        if on.year != year:
            errors["on"] = _("名单基准日应在 %(year)s 年内") % {"year": year}
    if errors:
        raise ValidationFailed(fields=errors)
    return schemes, on


@transaction.atomic
def plan_generate(*, actor, province: Region, year: int, schemes, on: datetime.date | None = None
                  ) -> AnnualInspectionPlan:
    """A province's plan for `year`: one item per entity holding at least one certificate of
    `schemes` valid (or under rectification) on `on` (default 1 January), with those certificates.
    One plan per province and year (a second is a conflict: regenerate it instead)."""
    schemes, on = _clean_plan_input(province, year, schemes, on)
    _require_province(actor, province)
    if AnnualInspectionPlan.objects.filter(province=province, year=year).exists():
        raise Conflict(_("%(province)s %(year)s 年的年检计划已存在，请在计划页面重新生成名单")
                       % {"province": province.name, "year": year})
    plan = AnnualInspectionPlan.objects.create(province=province, year=year, schemes=schemes, basis_date=on,
                                               last_generated_on=on, created_by=actor)
    items, links = _fill(plan, on)
    audit.record(actor=actor, verb="inspection.plan_generate", target=plan,
                 new={"province": province.code, "year": year, "schemes": schemes, "basis_date": on,
                      "items": items, "certificates": links})
    return plan


@transaction.atomic
def plan_regenerate(*, actor, plan: AnnualInspectionPlan, on: datetime.date | None = None) -> tuple[int, int]:
    """Add the holders certified since (valid on `on`, default today within the plan's year) and
    their new certificates. Items already in the plan stay, whatever happened to their
    certificates. Returns (items added, certificates linked)."""
    plan = AnnualInspectionPlan.objects.select_for_update(of=("self",)).select_related("province").get(pk=plan.pk)
    _require_province(actor, plan.province)
    if on is None:
        today = clock.today()
        on = min(max(today, datetime.date(plan.year, 1, 1)), datetime.date(plan.year, 12, 31))
    if on.year != plan.year:
        raise ValidationFailed(fields={"on": _("名单基准日应在 %(year)s 年内") % {"year": plan.year}})
    items, links = _fill(plan, on)
    plan.last_generated_on = on
    plan.save(update_fields=["last_generated_on", "updated_at"])
    audit.record(actor=actor, verb="inspection.plan_regenerate", target=plan,
                 new={"on": on, "items_added": items, "certificates_linked": links})
    return items, links


def item_schemes(item: PlanItem) -> list[str]:
    return sorted({c.scheme for c in item.certificates.all()})


def check_inspector(item: PlanItem, inspector: User, on: datetime.date) -> None:
    """Refuse (ValidationFailed on "inspector") someone without a valid qualification in the
    plan's province for every scheme of the item's certificates."""
    for scheme in item_schemes(item) or list(item.plan.schemes):
        inspector_check_assignable(user=inspector, province_code=item.plan.province_id,
                                   kinds=QUALIFICATIONS.get(scheme, ()), on_date=on)


def _locked_item(actor, item, action) -> PlanItem:
    queryset = PlanItem.objects.select_for_update(of=("self",)).select_related("plan__province", "entity", "inspector")
    if _is_system(actor):
        return queryset.get(pk=item.pk)
    if action == "record":
        mine = queryset.filter(pk=item.pk, inspector_id=actor.pk).first()
        if mine is not None:
            return mine
        if not actor.roles & PROVINCE_ROLES:
            # An inspector who may see the item but is not the one assigned to it.
            access_by_id(PlanItem.objects.all(), actor, item.pk, "view")
            raise PermissionDenied(_("只有指派的检查员或省级工作机构可以录入该单位的检查结果"))
    return access_by_id(queryset, actor, item.pk, action)


@transaction.atomic
def item_assign(*, actor, item: PlanItem, inspector: User | None) -> PlanItem:
    """Assign the inspector of an item: a qualified inspector of the plan's province, valid
    today, for every scheme of the item's certificates. Not after the inspection is recorded."""
    item = _locked_item(actor, item, "assign")
    if inspector is None:
        raise ValidationFailed(fields={"inspector": _("请选择检查员")})
    if InspectionRecord.objects.filter(item=item).exists():
        raise TransitionNotAllowed(_("该单位的年检结果已录入，不能再更换检查员"))
    check_inspector(item, inspector, clock.today())
    old = item.inspector
    item.inspector, item.assigned_at, item.assigned_by = inspector, clock.now(), actor
    item.save(update_fields=["inspector", "assigned_at", "assigned_by", "updated_at"])
    audit.record(actor=actor, verb="inspection.assign", target=item,
                 old={"inspector": old.username if old else None}, new={"inspector": inspector.username})
    _tell([inspector], _("年检任务：%(entity)s") % {"entity": item.entity.name},
          _("您被指派对 %(entity)s 开展 %(year)s 年度检查。") % {"entity": item.entity.name, "year": item.plan.year},
          reverse("inspections:item", args=[item.pk]))
    return item


def _in_force(certificate: Certificate, today: datetime.date) -> Certificate:
    """The term in force today of the licence `certificate` began: follow renewals that have started."""
    current = certificate
    for _step in range(50):
        nxt = Certificate.objects.filter(predecessor=current, valid_from__lte=today).first()
        if nxt is None:
            break
        current = nxt
    return current


def _clean_record(item, inspected_on, findings, conclusion, today) -> dict:
    errors = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = _("请选择检查结论：合格、限期整改或不合格")
    if not isinstance(inspected_on, datetime.date):
        errors["inspected_on"] = _("请填写检查日期")
    elif inspected_on > today:
        errors["inspected_on"] = _("检查日期不能晚于今天")
    elif inspected_on.year != item.plan.year:
        errors["inspected_on"] = _("检查日期应在 %(year)s 年内") % {"year": item.plan.year}
    if conclusion in (Conclusion.RECTIFY, Conclusion.FAIL) and not (findings or "").strip():
        errors["findings"] = _("结论为限期整改或不合格时，请写明检查发现的问题")
    return errors


@transaction.atomic
def inspection_record(*, actor, item: PlanItem, inspected_on, findings: str, conclusion: str) -> InspectionRecord:
    """The year's inspection of an item, by its assigned inspector or provincial staff in scope.

    Side effects: "rectify" opens a rectification (cause 年度检查不合格, source annual inspection)
    for each of the item's certificates still valid; "fail" a revocation request with the scheme's
    cause (FAIL_CAUSES) for each still in force. Certificates that no longer qualify (expired,
    revoked, already under rectification or with a pending request) are listed in `skipped`.
    One record per item: a second is a conflict."""
    item = _locked_item(actor, item, "record")
    today = clock.today()
    errors = _clean_record(item, inspected_on, findings, conclusion, today)
    if item.inspector is None:
        raise TransitionNotAllowed(_("请先为该单位指派检查员，再录入检查结果"))
    if "inspected_on" not in errors:
        try:
            check_inspector(item, item.inspector, inspected_on)
        except ValidationFailed as exc:
            errors["inspector"] = exc.fields.get("inspector", [exc.message])
    if errors:
        raise ValidationFailed(fields=errors)
    if InspectionRecord.objects.filter(item=item).exists():
        raise Conflict(_("%(entity)s 的 %(year)s 年度检查结果已录入") % {"entity": item.entity.name,
                                                                       "year": item.plan.year})
    findings = (findings or "").strip()
    record = InspectionRecord.objects.create(
        number=f"NJ{item.plan.year}{numbering.next_value(f'nj:{item.plan.year}'):06d}", item=item,
        inspector=item.inspector, inspected_on=inspected_on, findings=findings, conclusion=conclusion,
        recorded_by=actor)
    if conclusion != Conclusion.PASS:
        _follow_up(actor, record, today)
    audit.record(actor=actor, verb="inspection.record", target=record,
                 new={"item": item.pk, "entity": item.entity.name, "inspector": item.inspector.username,
                      "inspected_on": inspected_on, "conclusion": conclusion,
                      "rectifications": [r.number for r in record.rectifications.all()],
                      "revocation_requests": [r.number for r in record.revocation_requests.all()],
                      "skipped": record.skipped})
    return record


def _follow_up(actor, record: InspectionRecord, today: datetime.date) -> None:
    """Open the rectifications or revocation requests the conclusion calls for."""
    # Provincial staff decide in their own name; an inspector's conclusion is carried out by the system.
    acting = actor if (actor.roles & PROVINCE_ROLES and not _is_system(actor)) else system_user()
    detail = _("年度检查 %(n)s（%(day)s）：%(findings)s") % {
        "n": record.number, "day": record.inspected_on, "findings": record.findings}
    terms = {}
    for certificate in record.item.certificates.order_by("number", "pk"):
        term = _in_force(certificate, today)
        terms.setdefault(term.pk, term)
    skipped = []
    for term in terms.values():
        effective = term.effective_status(today)
        if record.conclusion == Conclusion.RECTIFY:
            if effective != Status.VALID:
                skipped.append({"certificate": term.number, "reason": _("证书当前为“%(s)s”，未作整改决定")
                                % {"s": term.effective_status_label(today)}})
                continue
            record.rectifications.add(supervision.rectification_open(
                actor=acting, certificate=term, cause=cause_tables.INSPECTION_FAILED, detail=detail,
                source=Source.ANNUAL_INSPECTION, source_ref=record.number))
        else:
            if term.status in FINAL or effective == EXPIRED:
                skipped.append({"certificate": term.number, "reason": _("证书当前为“%(s)s”，未报请取消")
                                % {"s": term.effective_status_label(today)}})
                continue
            if RevocationRequest.objects.filter(certificate=term, status=RevocationStatus.PENDING).exists():
                skipped.append({"certificate": term.number, "reason": _("已有待决定的取消申请")})
                continue
            cause = FAIL_CAUSES.get(term.scheme)
            if cause is None:
                skipped.append({"certificate": term.number, "reason": _("该认证类型没有对应的取消原因")})
                continue
            record.revocation_requests.add(supervision.revocation_request_open(
                actor=acting, certificate=term, causes=[cause], detail=detail))
    if skipped:
        record.skipped = skipped
        record.save(update_fields=["skipped", "updated_at"])

