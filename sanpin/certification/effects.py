"""What actions do besides moving the state, and the checks on what an application contains.

Each effect runs inside the engine's transaction before the move; it may refuse (raise), record
(assignments, reports, fees, notices) and return details for the log. `after` effects run once
the application has entered its new step (e.g. assigning the lab to the special-test step)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts import registries
from sanpin.catalog.models import Country, Region
from sanpin.catalog.services import entity_update
from sanpin.core import clock
from sanpin.core.dates import add_months
from sanpin.core.errors import Conflict, ValidationFailed

from .choices import TERMINAL, ApplicationKind, AttachmentKind
from .models import Application, Assignment, Notice
from .notifications import notify_assigned
from .schemes.base import STAY

REQUIRED_MATERIALS = {
    ApplicationKind.INITIAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.BUSINESS_LICENCE,
                              AttachmentKind.ADMIN_LICENCE),
    ApplicationKind.RENEWAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.ADMIN_LICENCE),
    ApplicationKind.CHANGE: (AttachmentKind.APPLICATION_FORM,),
    ApplicationKind.STOP: (),
}
# [004 §21]: what the 使用证 states. The company name lives on the entity and changes there.
CHANGEABLE = ("product_name", "trademark", "approved_output", "company_name")


# --- what an application contains -------------------------------------------------------------------


def check_kind_and_certificate(config, kind, entity, certificate) -> None:
    from sanpin.certificates.models import Certificate

    if kind == ApplicationKind.INITIAL:
        if certificate is not None:
            raise ValidationFailed(fields={"certificate": _("首次申请不应关联已有证书")})
        return
    if certificate is None:
        raise ValidationFailed(fields={"certificate": _("续展、变更或停止使用须指明所涉证书")})
    if certificate.holder_id != entity.pk or certificate.scheme != config.code:
        raise ValidationFailed(fields={"certificate": _("该证书不属于本单位或不属于本认证类型")})
    status = certificate.effective_status(clock.today())
    if status in ("revoked", "stopped"):
        raise ValidationFailed(fields={"certificate": _("该证书已被取消或停止使用，不能办理")})
    if kind == ApplicationKind.RENEWAL and status == "expired":
        raise ValidationFailed(fields={"certificate": _(
            "证书已过期：逾期视为放弃续展，标志不得继续使用；请重新提出首次申请（将获得新的产品编号）")})
    if Application.objects.filter(certificate=certificate).exclude(state__in=TERMINAL).exists():
        raise Conflict(_("该证书已有正在办理的申请"))
    assert isinstance(certificate, Certificate)


def clean_products(config, kind, products, certificate) -> list[dict]:
    if kind == ApplicationKind.RENEWAL:
        return [{
            "name": certificate.product_name, "category": certificate.category, "trademark": certificate.trademark,
            "approved_output": certificate.approved_output, "output_unit": certificate.output_unit,
        }]
    if kind in (ApplicationKind.CHANGE, ApplicationKind.STOP):
        return []
    if not products:
        raise ValidationFailed(fields={"products": _("请至少填写一个申请产品")})
    categories = dict(config.categories)
    cleaned, errors = [], {}
    for i, product in enumerate(products):
        name = str(product.get("name", "")).strip()
        category = str(product.get("category", "")).strip()
        try:
            output = Decimal(str(product.get("approved_output", "")))
        except InvalidOperation:
            output = None
        if not name:
            errors[f"products[{i}].name"] = _("请填写产品名称")
        if category not in categories:
            errors[f"products[{i}].category"] = _("产品类别不正确，应为：%s") % "、".join(
                f"{code} {label}" for code, label in config.categories)
        if output is None or not output.is_finite() or output <= 0 or output >= Decimal("1e12"):
            errors[f"products[{i}].approved_output"] = _("申请产量应为大于 0 的数字")
        cleaned.append({
            "name": name[:120], "category": category, "trademark": str(product.get("trademark", "")).strip()[:80],
            "approved_output": output, "output_unit": str(product.get("output_unit", "吨")).strip()[:10] or "吨",
            "registration_no": str(product.get("registration_no", "")).strip()[:60],
        })
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def clean_data(config, data) -> dict:
    """Checklists of applicant and product conditions (code → true/false) and, for a change,
    the new values."""
    data = dict(data or {})
    out = {}
    for key, items in (("applicant_conditions", config.applicant_conditions),
                       ("product_conditions", config.product_conditions)):
        given = data.get(key) or {}
        if not isinstance(given, dict):
            raise ValidationFailed(fields={key: _("条件清单格式不正确")})
        unknown = set(given) - {code for code, _label in items}
        if unknown:
            raise ValidationFailed(fields={key: _("未知的条件：%s") % "、".join(sorted(unknown))})
        out[key] = {code: bool(given.get(code)) for code, _label in items}
    for spec in config.data_fields:
        value = data.get(spec.code)
        if value in (None, ""):
            continue
        if spec.kind == "bool":
            out[spec.code] = bool(value)
        elif spec.kind == "date":
            try:
                out[spec.code] = date.fromisoformat(str(value)).isoformat()
            except ValueError as exc:
                raise ValidationFailed(fields={spec.code: _("日期格式有误，应为 YYYY-MM-DD")}) from exc
        else:
            out[spec.code] = str(value).strip()[:500]
    changes = data.get("changes") or {}
    if changes:
        if not isinstance(changes, dict) or set(changes) - set(CHANGEABLE):
            raise ValidationFailed(fields={"changes": _("可变更的内容为：产品名称、商标、核准产量、单位名称")})
        out["changes"] = {k: str(v).strip() for k, v in changes.items() if str(v).strip()}
    if data.get("stop_reason"):
        out["stop_reason"] = str(data["stop_reason"]).strip()[:500]
    if data.get("lost_on"):
        try:
            out["lost_on"] = date.fromisoformat(str(data["lost_on"])).isoformat()
        except ValueError as exc:
            raise ValidationFailed(fields={"lost_on": _("日期格式有误，应为 YYYY-MM-DD")}) from exc
    if data.get("origin_country"):
        code = str(data["origin_country"]).strip().upper()
        if not Country.objects.filter(iso_code=code).exists():
            raise ValidationFailed(fields={"origin_country": _("未知的国家/地区代码：%s") % code})
        out["origin_country"] = code  # a product made abroad: numbered by country from 51 [004 §17]
    return out


def check_ready_to_submit(application: Application, config) -> None:
    errors = {}
    kind = application.kind
    if kind in (ApplicationKind.INITIAL, ApplicationKind.RENEWAL):
        if not application.products.exists():
            errors["products"] = _("请至少填写一个申请产品")
        for key, items, label in (("applicant_conditions", config.applicant_conditions, _("申请人条件")),
                                  ("product_conditions", config.product_conditions, _("产品条件"))):
            unmet = [str(text) for code, text in items if not application.data.get(key, {}).get(code)]
            if unmet:
                errors[key] = _("%(label)s尚未全部确认：%(items)s") % {"label": label, "items": "；".join(unmet)}
    if kind == ApplicationKind.CHANGE and not application.data.get("changes"):
        errors["changes"] = _("请填写变更内容")
    if kind == ApplicationKind.STOP:
        if not application.data.get("stop_reason"):
            errors["stop_reason"] = _("请说明停止使用的原因（如丧失生产条件的情况）")
        if not application.data.get("lost_on"):
            errors["lost_on"] = _("请填写丧失生产条件的日期")
        elif date.fromisoformat(application.data["lost_on"]) > clock.today():
            errors["lost_on"] = _("丧失生产条件的日期不能晚于今天")
    present = set(application.attachments.values_list("kind", flat=True))
    required = (config.required_materials or REQUIRED_MATERIALS).get(kind, ())
    missing = [AttachmentKind(k).label for k in required if k not in present]
    if missing:
        errors["attachments"] = _("缺少材料：%s") % "、".join(str(m) for m in missing)
    if kind == ApplicationKind.RENEWAL:
        latest = config.renewal_latest_day(application.certificate.valid_until)
        # Organic accepts a late renewal until expiry and flags it (organic_rules.renewal_timing).
        if clock.today() > latest and not config.extra.get("late_renewal_accepted"):
            window = (_("%d 个月") % config.renewal_min_months_before_expiry if config.renewal_min_months_before_expiry
                      else _("%d 天") % config.renewal_min_days_before_expiry)
            errors["certificate"] = _(
                "续展申请须在有效期满前 %(window)s提出（最迟 %(date)s）；逾期视为放弃续展，"
                "有效期满后不得继续使用标志，需重新申请") % {"window": window, "date": latest.isoformat()}
    if errors:
        raise ValidationFailed(_("申请尚不完整，不能提交"), fields=errors)


# --- effects of actions -------------------------------------------------------------------------------


def scheme_config(code: str):
    # Imported when called: scheme modules import their rules modules, which import this one.
    from .schemes import scheme_config as config

    return config(code)


def register(name: str):
    """Decorator for a scheme's own effect, kept in the scheme's rules module."""
    def wrap(function):
        EFFECTS[name] = function
        return function
    return wrap


def run(name, *, application, step, actor, data):
    if not name:
        return {}
    return EFFECTS[name](application=application, step=step, actor=actor, data=data)


def after(name, *, application, new_step, actor, data) -> None:
    if name == "assign_lab" and new_step is not None:
        Assignment.objects.create(step=new_step, lab=data.lab, role="lab",
                                  details={"tests": list(data.lab_tests), "reason": data.reason})
        notify_assigned(application, list(data.lab.users.filter(is_active=True)), _("专项检测任务"))


def _province_code(application) -> str:
    return application.entity.region_id[:2] + "0000"


def assign_inspector(*, application, step, actor, data):
    config = scheme_config(application.scheme)
    registries.inspector_check_assignable(
        user=data.inspector, province_code=_province_code(application), kinds=config.extra["inspector_kinds"],
        on_date=clock.today(),
    )
    if step.assignments.filter(role="inspector", details__has_key="report").exists():
        raise Conflict(_("检查报告已提交，不能更换检查员"))
    step.assignments.filter(role="inspector").delete()
    Assignment.objects.create(step=step, user=data.inspector, role="inspector")
    notify_assigned(application, [data.inspector], _("现场检查任务"))
    return {"inspector": data.inspector.get_username()}


def inspection_report(*, application, step, actor, data):
    assignment = step.assignments.get(role="inspector", user=actor)
    assignment.details = {**assignment.details, "report": data.opinion, "reported_at": clock.now().isoformat()}
    assignment.save(update_fields=["details"])
    return {"report": True}


def renewal_inspection_waived(application) -> bool:
    """A renewal whose applicant's credit (stored at submission) waives the site inspection, in a
    scheme that allows the waiver."""
    config = scheme_config(application.scheme)
    return bool(application.kind == ApplicationKind.RENEWAL and config.extra.get("renewal_inspection_waivable")
                and (application.data.get("credit") or {}).get("renewal_inspection_waived"))


def _has_inspection_report(step) -> bool:
    return step.assignments.filter(role="inspector", details__has_key="report").exists()


def _no_inspection_report():
    return ValidationFailed(_("现场检查报告尚未提交，不能报送"), fields={"action": _("请先由检查员提交现场检查报告")})


def require_inspection_report(*, application, step, actor, data):
    """The inspector's report is in, or the application's credit waives a renewal's site inspection."""
    if _has_inspection_report(step):
        return {}
    if renewal_inspection_waived(application):
        credit = application.data["credit"]
        return {"inspection_waived": {"grade": credit.get("grade"), "rulebook_version": credit.get("rulebook_version")}}
    raise _no_inspection_report()


def credit_inspection_passed(*, application, step, actor, data):
    """The credit site inspection passed with the inspector's report: on to the first step of the
    application's kind (the action's target is the initial kind's; a renewal may start elsewhere)."""
    if not _has_inspection_report(step):  # never waived: the grade is why the inspection is made
        raise _no_inspection_report()
    config = scheme_config(application.scheme)
    first = config.first_step[application.kind]
    target = config.step(step.code).action("pass").target
    return {"credit_inspection": "pass", **({"_target": first} if first != target else {})}


def assign_lab(*, application, step, actor, data):
    registries.lab_check_assignable(lab_entity=data.lab, scheme=application.scheme, test_codes=list(data.lab_tests),
                                    on_date=clock.today())
    return {"lab": data.lab.name, "tests": list(data.lab_tests)}


def draw_experts(*, application, step, actor, data):
    config = scheme_config(application.scheme)
    if step.assignments.filter(role="expert", details__has_key="favourable").exists():
        raise Conflict(_("已有专家提交评审意见，不能重新抽取"))
    size = int(data.experts.get("size") or config.extra["expert_panel_size"])
    draw = registries.expert_panel_draw(
        actor=actor, subject_label=application.number, specialty=data.experts.get("specialty", ""), size=size,
        exclude_entity_ids=[application.entity_id], exclude_region_codes=[application.entity.region_id],
    )
    step.assignments.filter(role="expert").delete()
    panel = registries.expert_draw_panel(draw)
    for user in panel:
        Assignment.objects.create(step=step, user=user, role="expert", details={"draw": draw.pk})
    notify_assigned(application, panel, _("专家评审任务"))
    return {"experts": [u.get_username() for u in panel], "draw": draw.pk, "seed": draw.seed}


def expert_opinion(*, application, step, actor, data):
    assignment = step.assignments.get(role="expert", user=actor)
    if "favourable" in assignment.details:
        raise Conflict(_("您已提交评审意见"))
    assignment.details = {**assignment.details, "favourable": bool(data.favourable), "opinion": data.opinion,
                          "at": clock.now().isoformat()}
    assignment.save(update_fields=["details"])
    panel = list(step.assignments.filter(role="expert"))
    if all("favourable" in a.details for a in panel):
        yes = sum(1 for a in panel if a.details["favourable"])
        return {"panel": {"favourable": yes, "unfavourable": len(panel) - yes}}
    return {"_target": STAY, "panel_pending": sum(1 for a in panel if "favourable" not in a.details)}


def confirm_payment(*, application, step, actor, data):
    fees = list(application.fees.all())
    now = clock.now()
    for fee in fees:
        fee.paid_at = now
        fee.save(update_fields=["paid_at"])
    return {"paid": {f.item: str(f.amount_due) for f in fees}}


def issue_licence(*, application, step, actor, data):
    """One certificate per product: a new one, or for a renewal the next term of the old one
    (its number kept or, where the scheme numbers renewals afresh, a new one)."""
    from sanpin.certificates.services import certificate_issue, validity_end

    config = scheme_config(application.scheme)
    today = clock.today()
    country = application.data.get("origin_country")
    origin = {"country": Country.objects.get(iso_code=country), "province": None} if country else {
        "province": Region.objects.get(code=_province_code(application)), "country": None}
    renewal = application.kind == ApplicationKind.RENEWAL
    old = application.certificate if renewal else None
    valid_from = max(old.valid_until + timedelta(days=1), today) if old else today
    issued = []
    for product in application.products.select_for_update():
        certificate = certificate_issue(
            actor=actor, scheme=application.scheme, holder=application.entity, product_name=product.name,
            category=product.category, trademark=product.trademark, approved_output=product.approved_output,
            output_unit=product.output_unit, approved_on=today, valid_from=valid_from,
            valid_until=validity_end(valid_from, config.validity_years), **origin, predecessor=old,
            new_number=config.renewal_new_number, certifier_code=config.extra.get("certifier_code", ""),
            reference=application.number,
        )
        product.certificate = certificate
        product.save(update_fields=["certificate"])
        issued.append(certificate.number)
    return {"certificates": issued}


def apply_change(*, application, step, actor, data):
    from sanpin.certificates.services import certificate_change

    changes = dict(application.data.get("changes", {}))
    company_name = changes.pop("company_name", None)
    if company_name:
        entity_update(entity=application.entity, actor=actor, data={"name": company_name},
                      reason=f"{application.number} {data.opinion}")
    if "approved_output" in changes:
        changes["approved_output"] = Decimal(changes["approved_output"])
    if changes:
        certificate_change(actor=actor, certificate=application.certificate, changes=changes,
                           reason=data.opinion, reference=application.number)
    return {"changes": application.data.get("changes", {})}


def apply_stop(*, application, step, actor, data):
    from sanpin.certificates.services import certificate_set_status

    certificate_set_status(actor=actor, certificate=application.certificate, status="stopped",
                           reason=application.data.get("stop_reason", "") or data.opinion,
                           reference=application.number)
    lost_on = date.fromisoformat(application.data["lost_on"])
    reported = timezone.localdate(application.submitted_at)
    # The holder must report within one month of losing the conditions [004 §22].
    late = reported > _one_month_after(lost_on)
    return {"stopped": application.certificate.number, "lost_on": lost_on.isoformat(), "late_report": late}


def _one_month_after(day: date) -> date:
    return add_months(day, 1)


def send_notice(*, application, step, actor, data):
    grounds = application.events.exclude(opinion="").order_by("-at", "-pk").values_list("opinion", flat=True).first()
    reasons = "\n".join(filter(None, [grounds, data.opinion]))
    notice = Notice.objects.create(application=application, kind="rejection", reasons=reasons,
                                   issued_at=clock.now(), issued_by=actor)
    return {"notice": notice.pk}


EFFECTS = {
    "assign_inspector": assign_inspector,
    "inspection_report": inspection_report,
    "require_inspection_report": require_inspection_report,
    "credit_inspection_passed": credit_inspection_passed,
    "assign_lab": assign_lab,
    "draw_experts": draw_experts,
    "expert_opinion": expert_opinion,
    "confirm_payment": confirm_payment,
    "issue_licence": issue_licence,
    "apply_change": apply_change,
    "apply_stop": apply_stop,
    "send_notice": send_notice,
}
