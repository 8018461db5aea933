"""Rules of the green food review that are its own: product testing and environment monitoring by
a designated lab the applicant entrusts (20 and 30 working days from sampling, 绿色食品标志管理办法
Art. 13), the stricter
review that parallel production or contract processing calls for [001 §5], and the warnings shown
while drafting."""

from django.utils.translation import gettext as _

from sanpin.accounts import registries
from sanpin.core import clock
from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.workdays import add_working_days

from .effects import register as effect
from .models import Assignment
from .notifications import notify_assigned
from .warnings import register as warning

PRODUCT_TEST_WD = 20  # product test report within 20 working days of sampling (Art. 13)
ENVIRONMENT_WD = 30  # environment monitoring report within 30 working days of sampling (Art. 13)
REPORTS = {"product_report": _("产品检验报告"), "environment_report": _("环境监测报告")}


def _lab_assignment(step, lab_id=None):
    assignments = step.assignments.filter(role="lab")
    return assignments.filter(lab_id=lab_id).first() if lab_id else assignments.first()


@effect("assign_test_lab")
def assign_test_lab(*, application, step, actor, data):
    """The applicant entrusts a designated lab with the product test and environment monitoring
    on the day of sampling; the report due dates are fixed then."""
    today = clock.today()
    registries.lab_check_assignable(lab_entity=data.lab, scheme=application.scheme, test_codes=list(data.lab_tests),
                                    on_date=today)
    current = _lab_assignment(step)
    if current and any(key in current.details for key in REPORTS):
        raise Conflict(_("检测机构已提交报告，不能更换"))
    step.assignments.filter(role="lab").delete()
    product_due = add_working_days(today, PRODUCT_TEST_WD).date
    environment_due = add_working_days(today, ENVIRONMENT_WD).date
    Assignment.objects.create(step=step, lab=data.lab, role="lab", details={
        "tests": list(data.lab_tests), "sampled_on": today.isoformat(),
        "product_due": product_due.isoformat(), "environment_due": environment_due.isoformat()})
    notify_assigned(application, list(data.lab.users.filter(is_active=True)), _("产品检测和产地环境监测任务"))
    return {"lab": data.lab.name, "sampled_on": today.isoformat(), "product_due": product_due.isoformat(),
            "environment_due": environment_due.isoformat()}


def _report(kind, due_key, *, step, actor, data):
    assignment = _lab_assignment(step, actor.entity_id)
    if kind in assignment.details:
        raise Conflict(_("%(report)s已提交") % {"report": REPORTS[kind]})
    today = clock.today()
    late = today.isoformat() > assignment.details[due_key]
    assignment.details = {**assignment.details, kind: {
        "conclusion": "pass" if data.favourable else "fail", "summary": data.opinion, "at": clock.now().isoformat(),
        "late": late}}
    assignment.save(update_fields=["details"])
    return {kind: assignment.details[kind]["conclusion"], "late": late}


@effect("product_report")
def product_report(*, application, step, actor, data):
    return _report("product_report", "product_due", step=step, actor=actor, data=data)


@effect("environment_report")
def environment_report(*, application, step, actor, data):
    return _report("environment_report", "environment_due", step=step, actor=actor, data=data)


@effect("require_test_reports")
def require_test_reports(*, application, step, actor, data):
    """The province moves on only with both reports in hand; a failing report means the
    application cannot pass (the province rejects it instead)."""
    assignment = _lab_assignment(step)
    missing = [str(label) for key, label in REPORTS.items() if not assignment or key not in assignment.details]
    if missing:
        raise ValidationFailed(_("检测报告尚未齐全"), fields={"action": _("尚缺：%s") % "、".join(missing)})
    failed = [str(REPORTS[key]) for key in REPORTS if assignment.details[key]["conclusion"] != "pass"]
    if failed:
        raise ValidationFailed(_("检测结论不合格，不能通过"), fields={"action": _("不合格：%s") % "、".join(failed)})
    return {"reports": {key: assignment.details[key]["conclusion"] for key in REPORTS}}


def needs_stricter_review(application) -> bool:
    return bool(application.data.get("parallel_production") or application.data.get("contract_processing"))


@effect("route_after_preliminary_opinion")
def route_after_preliminary_opinion(*, application, step, actor, data):
    """Parallel production or contract processing adds the stricter review before the national
    written review [001 §5]."""
    return {"_target": "stricter_review", "stricter_review": True} if needs_stricter_review(application) else {}


@warning("stricter_review_ahead")
def stricter_review_ahead(application) -> list[str]:
    if not needs_stricter_review(application):
        return []
    causes = [label for key, label in (("parallel_production", _("平行生产")), ("contract_processing", _("委托加工")))
              if application.data.get(key)]
    return [_("申报产品存在%(causes)s：审核将增加平行生产/委托加工专项审查环节，请备齐区分管理措施和委托加工合同等材料")
            % {"causes": "、".join(str(c) for c in causes)}]
