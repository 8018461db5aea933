"""Every change in product sampling (抽检) [001 §6, 004 §23, SPEC §4]: national staff create a
year's plan for a scheme and set its quotas per province; the draw picks certified products at
random, weighted by risk and credit, from a stored seed, and gives each one to a lab designated for
the scheme and its tests; the lab reports results per indicator; the conclusion is computed from
the standards table, and a failing report opens a rectification (sanpin.supervision) and tells the
province. Each service is one transaction with its audit event; people are told after commit."""

import datetime
import hashlib
import json
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, Role
from sanpin.accounts.models import User, system_user
from sanpin.accounts.registries import designated_labs, lab_check_assignable
from sanpin.catalog.models import Entity, Region
from sanpin.certificates.choices import Status, category_label
from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock, numbering
from sanpin.core.access import access_by_id, require_role
from sanpin.core.errors import Conflict, DomainError, NotFound, TransitionNotAllowed, ValidationFailed
from sanpin.inputs.selectors import residue_limits
from sanpin.notifications.services import notify

from . import weights as weighting
from .draw import rng_for, weighted_sample
from .models import (
    TASK_ACTIONS,
    Conclusion,
    Draw,
    LabReport,
    LimitBasis,
    PlanStatus,
    Quota,
    Result,
    SamplingPlan,
    SamplingScheme,
    SamplingTask,
    Standard,
    TaskStatus,
)

SEED_LIMIT = 2**63  # stored in a signed 64-bit column
# Certificates that are on the market under the mark on the day of the draw.
SAMPLED_STATUSES = (Status.VALID, Status.IN_RECTIFICATION)
MAX_VALUE = Decimal("100000000")


def _is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def _require_national(actor) -> None:
    if not _is_system(actor):
        require_role(actor, NATIONAL_ROLES)


def _tell(users, title, body, url):
    users = list(users)
    if users:
        transaction.on_commit(lambda: notify(recipients=users, title=title, body=body, url=url))


def _province_staff(region_code: str):
    return User.objects.filter(agency__region_id=region_code[:2] + "0000", is_active=True,
                               role_assignments__role=Role.PROVINCIAL_REVIEWER).distinct()


def _lab_users(lab_id: int):
    return User.objects.filter(entity_id=lab_id, is_active=True, role_assignments__role=Role.LAB).distinct()


def _locked_plan(plan) -> SamplingPlan:
    return SamplingPlan.objects.select_for_update().get(pk=plan.pk)


# --- plans and quotas ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, year: int, scheme: str, title: str = "") -> SamplingPlan:
    """A draft plan for one scheme and year, numbered CJ + year + 4 digits (national staff)."""
    _require_national(actor)
    errors = {}
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("年度须为 2000 至 2100 之间的整数")
    if scheme not in SamplingScheme.values:
        errors["scheme"] = _("认证类型应为：%s") % "、".join(str(label) for label in SamplingScheme.labels)
    if errors:
        raise ValidationFailed(fields=errors)
    title = (title or "").strip() or _("%(year)s 年%(scheme)s产品质量抽检计划") % {
        "year": year, "scheme": SamplingScheme(scheme).label}
    plan = SamplingPlan.objects.create(number=f"CJ{year}{numbering.next_value(f'cj:{year}'):04d}", year=year,
                                       scheme=scheme, title=title[:120], created_by=actor)
    audit.record(actor=actor, verb="sampling.plan_create", target=plan,
                 new={"year": year, "scheme": scheme, "title": plan.title})
    return plan


@transaction.atomic
def quota_set(*, actor, plan, region, count: int) -> Quota | None:
    """Set how many products are drawn in a province (0 removes the province). Only before the draw."""
    _require_national(actor)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise TransitionNotAllowed(_("计划已抽取，不能再修改任务数"))
    errors = {}
    if not isinstance(region, Region) or region.level != "province":
        errors["region"] = _("请选择省级行政区划")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 100000:
        errors["count"] = _("抽检数量须为 0 至 100000 之间的整数")
    if errors:
        raise ValidationFailed(fields=errors)
    quota = Quota.objects.filter(plan=plan, region=region).first()
    old = quota.count if quota else 0
    if count == 0:
        if quota:
            quota.delete()
        quota = None
    elif quota:
        quota.count = count
        quota.save(update_fields=["count", "updated_at"])
    else:
        quota = Quota.objects.create(plan=plan, region=region, count=count)
    audit.record(actor=actor, verb="sampling.quota_set", target=plan, old={region.code: old},
                 new={region.code: count})
    return quota


# --- the draw -----------------------------------------------------------------------------------------


def candidates(plan, region, today) -> list[tuple[Certificate, Decimal]]:
    """The plan scheme's certificates of the province on the market on `today`, ordered by id, with
    their weights (sanpin.sampling.weights)."""
    failed, open_rectification = weighting.holder_risk()
    rows = (Certificate.objects.filter(scheme=plan.scheme, renewed=False, status__in=SAMPLED_STATUSES,
                                       valid_from__lte=today, valid_until__gte=today,
                                       holder__region__code__startswith=region.scope_prefix)
            .select_related("holder").order_by("pk"))
    rows = list(rows)
    # One read of the credit standings for every holder, not one score per candidate.
    credit = weighting.credit_weights({c.holder_id for c in rows})
    return [(c, weighting.weight(c.holder, failed_samples=failed.get(c.holder_id, 0),
                                 open_rectification=c.holder_id in open_rectification,
                                 credit=credit[c.holder_id])) for c in rows]


def _weights_digest(table: dict) -> str:
    return hashlib.sha256(json.dumps(table, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _select(seed: int, table: dict, quotas: dict) -> dict:
    return {code: weighted_sample([(pk, Decimal(w)) for pk, w in table[code]], quotas[code], rng_for(seed, code))
            for code in sorted(table)}


def tests_for(certificate) -> tuple[list[str], list[Standard]]:
    """The test items a lab needs for a certificate, from the standards of its scheme and category."""
    standards = list(Standard.objects.filter(scheme=certificate.scheme, category=certificate.category))
    return sorted({s.test for s in standards}), standards


def _choose_lab(certificate, tests, today, load: dict) -> tuple[Entity | None, str]:
    """A lab designated for the scheme and every test, valid today: one in the holder's province
    first, then the one with the fewest tasks of this draw, then by name. (lab, why not)."""
    if not tests:
        return None, _("该产品类别（%(c)s）尚无抽检限量标准") % {
            "c": category_label(certificate.scheme, certificate.category)}
    labs = list(designated_labs(scheme=certificate.scheme, test_codes=tests, on_date=today))
    if not labs:
        return None, _("没有定点范围覆盖全部检测项目的有效定点检测机构")
    province = certificate.holder.region_id[:2]
    labs.sort(key=lambda lab: (lab.region_id[:2] != province, load.get(lab.pk, 0), lab.name))
    lab = labs[0]
    lab_check_assignable(lab_entity=lab, scheme=certificate.scheme, test_codes=tests, on_date=today)
    return lab, ""


@transaction.atomic
def plan_draw(*, actor, plan, seed: int | None = None) -> Draw:
    """Draw the plan: in each province its quota of certified products, at random weighted by risk
    and credit, from `seed` (a new random one when not given). Side effects: the Draw row (seed,
    every candidate's weight, the selection), one task per drawn product given to a designated lab
    (or left for national staff to assign, with the reason), the plan marked drawn, one audit
    event, and the labs and provinces told."""
    _require_national(actor)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise TransitionNotAllowed(_("该计划已于 %(day)s 抽取，不能重复抽取") % {"day": plan.draw.drawn_on})
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < SEED_LIMIT):
        raise ValidationFailed(fields={"seed": _("随机种子须为 0 至 2^63-1 之间的整数")})
    quotas = {q.region.code: q for q in plan.quotas.select_related("region")}
    if not sum(q.count for q in quotas.values()):
        raise ValidationFailed(fields={"quotas": _("请先为至少一个省份设置抽检数量")})
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    today = clock.today()
    pool, table = {}, {}
    for code, quota in quotas.items():
        rows = candidates(plan, quota.region, today)
        pool.update({c.pk: (c, w) for c, w in rows})
        table[code] = [[c.pk, str(w)] for c, w in rows]
    selected = _select(seed, table, {code: q.count for code, q in quotas.items()})
    draw = Draw.objects.create(plan=plan, seed=seed, drawn_on=today, drawn_at=clock.now(), drawn_by=actor,
                               candidates=table, selected=selected, weights_sha256=_weights_digest(table))
    load, serial = {}, 0
    for code in sorted(selected):
        for pk in selected[code]:
            certificate, weight = pool[pk]
            tests, _standards = tests_for(certificate)
            try:
                lab, reason = _choose_lab(certificate, tests, today, load)
            except ValidationFailed as exc:
                lab, reason = None, exc.message
            serial += 1
            SamplingTask.objects.create(
                number=f"{plan.number}-{serial:04d}", plan=plan, certificate=certificate, weight=weight, tests=tests,
                lab=lab, assigned_on=today if lab else None, unassigned_reason=reason[:300],
                status=TaskStatus.ASSIGNED if lab else TaskStatus.UNASSIGNED)
            if lab:
                load[lab.pk] = load.get(lab.pk, 0) + 1
    plan.status = PlanStatus.DRAWN
    plan.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, verb="sampling.plan_draw", target=plan, old={"status": PlanStatus.DRAFT},
                 new={"status": PlanStatus.DRAWN, "seed": str(seed), "weights_sha256": draw.weights_sha256,
                      "quotas": {code: q.count for code, q in quotas.items()},
                      "candidates": {code: len(rows) for code, rows in table.items()},
                      "weights_not_1": {code: {str(pk): w for pk, w in rows if Decimal(w) != 1}
                                        for code, rows in table.items()},
                      "selected": selected})
    url = reverse("sampling:plan", args=[plan.pk])
    for lab_id, n in load.items():
        _tell(_lab_users(lab_id), _("抽检任务：%(plan)s") % {"plan": plan.title},
              _("%(plan)s 委托贵机构检测 %(n)s 个产品，请在系统中查看任务并提交检测报告。") % {
                  "plan": plan.title, "n": n},
              reverse("sampling:tasks"))
    for code, ids in selected.items():
        _tell(_province_staff(code), _("抽检计划已抽取：%(plan)s") % {"plan": plan.title},
              _("本省抽中 %(n)s 个产品（任务数 %(q)s）。") % {"n": len(ids), "q": quotas[code].count}, url)
    return draw


def draw_replay(draw: Draw) -> dict:
    """Recompute the selection from the stored seed and weights; equal to `draw.selected` unless
    the record was altered."""
    quotas = {code: len(ids) for code, ids in draw.selected.items()}
    return _select(draw.seed, draw.candidates, quotas)


# --- tasks --------------------------------------------------------------------------------------------


@transaction.atomic
def task_assign_lab(*, actor, task, lab) -> SamplingTask:
    """Give a task (not yet reported) to a lab, which must be designated for the scheme and every
    test on the day (registries.lab_check_assignable) (national staff)."""
    queryset = SamplingTask.objects.select_for_update(of=("self",)).select_related("certificate__holder", "plan")
    task = queryset.get(pk=task.pk) if _is_system(actor) else access_by_id(queryset, actor, task.pk, "assign")
    if task.status == TaskStatus.REPORTED:
        raise TransitionNotAllowed(_("该任务已出检测报告，不能更换检测机构"))
    tests, _standards = tests_for(task.certificate)
    if not tests:
        raise ValidationFailed(fields={"lab": _("该产品类别（%(c)s）尚无抽检限量标准，请先在标准表中录入") % {
            "c": category_label(task.certificate.scheme, task.certificate.category)}})
    if not isinstance(lab, Entity):
        raise ValidationFailed(fields={"lab": _("请选择检测机构")})
    lab_check_assignable(lab_entity=lab, scheme=task.certificate.scheme, test_codes=tests, on_date=clock.today())
    old = {"lab": task.lab_id, "status": task.status}
    task.lab, task.tests, task.assigned_on = lab, tests, clock.today()
    task.status, task.unassigned_reason = TaskStatus.ASSIGNED, ""
    task.save(update_fields=["lab", "tests", "assigned_on", "status", "unassigned_reason", "updated_at"])
    audit.record(actor=actor, verb="sampling.task_assign", target=task, old=old,
                 new={"lab": lab.pk, "status": task.status, "tests": tests})
    _tell(_lab_users(lab.pk), _("抽检任务：%(n)s") % {"n": task.number},
          _("%(product)s（%(cert)s）委托贵机构检测。") % {"product": task.certificate.product_name,
                                                     "cert": task.certificate.number},
          reverse("sampling:task", args=[task.pk]))
    return task


def _parse_value(raw):
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, _("请填写检测值")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, _("检测值须为数字")
    if not value.is_finite():
        return None, _("检测值须为数字")
    if value < 0:
        return None, _("检测值不能为负数")
    if value >= MAX_VALUE:
        return None, _("检测值超出可记录范围")
    return value.quantize(Decimal("0.000001")), ""


def _judge(task, standards, results, allowed=None) -> tuple[list[dict], list[str]]:
    """Each submitted row checked against the standards of the task's product: (rows, errors).
    `allowed` ({indicator: AppliedLimit}) holds the allowed-pesticide list's limits: where one is
    stricter than the standards table's maximum, the value is judged against it."""
    allowed = allowed or {}
    by_indicator = {s.indicator: s for s in standards}
    rows, errors, seen = [], [], set()
    if not isinstance(results, list | tuple) or not results:
        return [], [_("请填写各项检测指标的结果")]
    for index, item in enumerate(results, start=1):
        item = item if isinstance(item, dict) else {}
        name = str(item.get("indicator") or "").strip()
        where = _("第 %(i)s 项（%(name)s）") % {"i": index, "name": name or _("未填指标")}
        standard = by_indicator.get(name)
        if standard is None:
            errors.append(_("%(where)s：未知的检测指标，本产品的指标为：%(known)s") % {
                "where": where, "known": "、".join(by_indicator) or _("无")})
            continue
        if name in seen:
            errors.append(_("%(where)s：该指标重复填写") % {"where": where})
            continue
        seen.add(name)
        unit = str(item.get("unit") or "").strip()
        if not unit:
            errors.append(_("%(where)s：请填写单位（%(unit)s）") % {"where": where, "unit": standard.unit})
            continue
        if unit.lower() != standard.unit.lower():
            errors.append(_("%(where)s：单位应为 %(unit)s，不能是 %(given)s") % {
                "where": where, "unit": standard.unit, "given": unit})
            continue
        value, problem = _parse_value(item.get("value"))
        if problem:
            errors.append(f"{where}：{problem}")
            continue
        if standard.unit == "%" and value > 100:
            errors.append(_("%(where)s：百分含量不能超过 100") % {"where": where})
            continue
        limit_max, basis, source = standard.limit_max, LimitBasis.STANDARDS_TABLE, standard.source_standard
        listed = allowed.get(name)
        listed_max = listed.in_unit(standard.unit) if listed is not None else None
        if listed_max is not None and listed_max < limit_max:
            limit_max = listed_max.quantize(Decimal("0.000001"))
            basis, source = LimitBasis.ALLOWED_INPUTS, listed.source
        passed = value <= limit_max and (standard.limit_min is None or value >= standard.limit_min)
        rows.append({"standard": standard, "indicator": name, "value": value, "unit": standard.unit,
                     "limit_min": standard.limit_min, "limit_max": limit_max, "limit_basis": basis,
                     "limit_source": source[:300], "passed": passed})
    missing = [name for name in by_indicator if name not in seen]
    if missing and not errors:
        errors.append(_("缺少以下指标的结果：%s") % "、".join(missing))
    return rows, errors


@transaction.atomic
def report_submit(*, actor, task, results, report_number: str = "", sampled_on=None, note: str = "") -> LabReport:
    """The lab's report of a task given to it: one result per indicator of the product's standards
    (value and unit). Refused, with nothing written, for a task not given to the actor's lab, a
    second report, an unknown indicator, a missing or wrong unit, a negative or non-numeric value.
    The conclusion is computed (fail if any value is outside its limit). A failing report opens a
    rectification as the system user (source sampling, cause sampling_failed, the task as
    reference) and tells the province."""
    require_role(actor, TASK_ACTIONS["report"])
    queryset = SamplingTask.objects.select_for_update(of=("self",)).select_related("certificate__holder", "plan", "lab")
    try:
        task = access_by_id(queryset, actor, getattr(task, "pk", task), "report")
    except NotFound:
        raise NotFound(_("该抽检任务不存在，或未委托给本机构")) from None
    if task.status == TaskStatus.REPORTED:
        raise Conflict(_("该任务已提交检测报告，不能重复提交"))
    if task.status != TaskStatus.ASSIGNED or task.lab_id != actor.entity_id:
        raise NotFound(_("该抽检任务不存在，或未委托给本机构"))
    certificate = task.certificate
    lab_check_assignable(lab_entity=task.lab, scheme=certificate.scheme, test_codes=task.tests,
                         on_date=clock.today())
    _tests, standards = tests_for(certificate)
    rows, errors = _judge(task, standards, results, _allowed_limits(certificate, standards, sampled_on))
    if errors:
        raise ValidationFailed(errors[0], fields={"results": errors})
    conclusion = Conclusion.PASS if all(r["passed"] for r in rows) else Conclusion.FAIL
    report = LabReport.objects.create(task=task, lab=task.lab, report_number=(report_number or "").strip()[:60],
                                      sampled_on=sampled_on, submitted_by=actor, submitted_at=clock.now(),
                                      conclusion=conclusion, note=(note or "").strip())
    Result.objects.bulk_create([Result(report=report, **row) for row in rows])
    task.status, task.conclusion = TaskStatus.REPORTED, conclusion
    task.save(update_fields=["status", "conclusion", "updated_at"])
    failing = [r for r in rows if not r["passed"]]
    audit.record(actor=actor, verb="sampling.report", target=task, old={"status": TaskStatus.ASSIGNED},
                 new={"status": TaskStatus.REPORTED, "conclusion": conclusion,
                      "results": {r["indicator"]: f"{r['value'].normalize():f} {r['unit']}" for r in rows}})
    if conclusion == Conclusion.FAIL:
        _after_failure(task, failing)
    return report


def _allowed_limits(certificate, standards, sampled_on) -> dict:
    """Green food only: the allowed-pesticide list's limits for the certificate's category, from the
    list in force for the holder's region on the sampling day (today when not given)."""
    if certificate.scheme != SamplingScheme.GREEN_FOOD:
        return {}
    day = sampled_on if isinstance(sampled_on, datetime.date) else clock.today()
    return residue_limits(region_code=certificate.holder.region_id, category=certificate.category,
                          indicators=[s.indicator for s in standards], day=day,
                          product_name=certificate.product_name)


def _failing_text(failing) -> str:
    def limit(r):
        if r["limit_min"] is not None:
            return f"{r['limit_min'].normalize():f}～{r['limit_max'].normalize():f}"
        return f"≤{r['limit_max'].normalize():f}"

    return "；".join(f"{r['indicator']} {r['value'].normalize():f} {r['unit']}（限量 {limit(r)}）" for r in failing)


def _after_failure(task, failing) -> None:
    from sanpin.supervision import causes
    from sanpin.supervision.models import Source
    from sanpin.supervision.services import rectification_open

    certificate = task.certificate
    detail = _("抽检任务 %(task)s 检测不合格：%(items)s") % {"task": task.number, "items": _failing_text(failing)}
    try:
        with transaction.atomic():
            rectification = rectification_open(actor=system_user(), certificate=certificate,
                                               cause=causes.SAMPLING_FAILED, detail=detail, source=Source.SAMPLING,
                                               source_ref=task.number)
    except DomainError as exc:  # e.g. already in rectification: the province decides what follows
        task.follow_up_note = (_("未能自动作出整改决定：%s") % exc.message)[:300]
        task.save(update_fields=["follow_up_note", "updated_at"])
        url = reverse("sampling:task", args=[task.pk])
    else:
        task.rectification_number = rectification.number
        task.follow_up_note = _("已自动作出整改决定 %s") % rectification.number
        task.save(update_fields=["rectification_number", "follow_up_note", "updated_at"])
        url = reverse("supervision:rectification", args=[rectification.pk])
    _tell(_province_staff(certificate.holder.region_id), _("抽检不合格：%(n)s") % {"n": certificate.number},
          _("%(holder)s 的 %(product)s（%(n)s）%(detail)s。%(follow)s") % {
              "holder": certificate.holder.name, "product": certificate.product_name, "n": certificate.number,
              "detail": detail, "follow": task.follow_up_note}, url)
