"""States every scheme shares: supplements, rectification, suspension, special tests, written
notices of rejection. A scheme adds them to its steps with the roles that act in it."""

from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import Role

from ..choices import RECTIFICATION, REJECTED, SPECIAL_TEST, SUPPLEMENT, SUSPENDED, WITHDRAWN, Level
from .base import RESUME, RETURN, STAY, Action, StepSpec

APPLICANT = frozenset({Role.APPLICANT})
NOTICE_STEP = "rejection_notice"
# 信用核查现场检查: entered at submission, before the kind's first step, when the applicant's credit
# grade calls for it (the rulebook's "申报+信用" effects; sanpin.certification.policies).
CREDIT_INSPECTION = "credit_inspection"
CREDIT_INSPECTION_WD = 20  # the system's own limit (docs/decisions/0030-credit.md)


def request_supplement(roles):
    return Action("request_supplement", _("要求补正"), SUPPLEMENT, roles, requires=("reason",))


def order_rectification(roles):
    return Action("order_rectification", _("作出整改决定"), RECTIFICATION, roles, requires=("reason", "days"))


def suspend_review(roles):
    return Action("suspend_review", _("暂停审核"), SUSPENDED, roles, requires=("reason", "days"))


def withdraw():
    return Action("withdraw", _("撤回申请"), WITHDRAWN, APPLICANT, requires=("reason",))


def shared_steps(*, province_roles, national_roles, lab_roles, notice_limit_wd, notice_source):
    """Supplement and rectification are answered by the applicant; suspension is lifted or ends
    the review at the province; special tests are reported by the assigned lab; the written
    notice of rejection is sent by the national body within its own limit."""
    return {
        SUPPLEMENT: StepSpec(
            SUPPLEMENT, _("补正材料"), Level.APPLICANT, None,
            (Action("answer_supplement", _("提交补正材料"), RESUME, APPLICANT, requires=("opinion",)), withdraw()),
            source=_("补正期间暂停计时，补正后按剩余工作日继续"),
        ),
        RECTIFICATION: StepSpec(
            RECTIFICATION, _("整改"), Level.APPLICANT, None,
            (
                Action("submit_rectification", _("提交整改材料"), RETURN, APPLICANT, requires=("opinion",)),
                Action("suspend_review", _("暂停审核"), SUSPENDED, province_roles, requires=("reason", "days")),
                withdraw(),
            ),
            source="004 §11(2)",
        ),
        SUSPENDED: StepSpec(
            SUSPENDED, _("暂停审核"), Level.PROVINCE, None,
            (
                Action("resume_review", _("恢复审核"), RETURN, province_roles, requires=("opinion",)),
                Action("terminate_review", _("终止审核"), REJECTED, province_roles, requires=("reason",)),
                withdraw(),
            ),
            source="004 §11(2)",
        ),
        SPECIAL_TEST: StepSpec(
            SPECIAL_TEST, _("专项检测"), Level.LAB, None,
            (Action("submit_test_report", _("提交检测报告"), RESUME, lab_roles, requires=("opinion",),
                    assigned_only=True),),
            assignee="lab",
            source="004 §11(3)",
        ),
        NOTICE_STEP: StepSpec(
            NOTICE_STEP, _("书面通知未通过"), Level.NATIONAL, notice_limit_wd,
            (Action("send_notice", _("发出书面通知"), REJECTED, national_roles, requires=("opinion",),
                    effect="send_notice"),),
            source=notice_source,
        ),
    }


def credit_inspection_step(*, province_roles, first_steps: dict):
    """The credit site inspection every engine-reviewed scheme shares for its initial and renewal
    kinds: the province assigns a qualified inspector of the scheme, who reports; the province
    passes it (the application goes on to its kind's first step: `first_steps` by kind) or fails it
    (the written notice of rejection); the applicant may withdraw. The pass action's target is the
    initial kind's first step; a renewal whose first step differs is routed there by the effect."""
    initial = first_steps["initial"]
    others = tuple(dict.fromkeys(code for kind, code in first_steps.items()
                                 if kind in ("initial", "renewal") and code != initial))
    return {
        CREDIT_INSPECTION: StepSpec(
            CREDIT_INSPECTION, _("信用核查现场检查"), Level.PROVINCE, CREDIT_INSPECTION_WD,
            (
                Action("assign_inspector", _("委派检查员"), STAY, province_roles, requires=("inspector",),
                       effect="assign_inspector"),
                Action("submit_inspection_report", _("提交信用核查检查报告"), STAY, frozenset({Role.INSPECTOR}),
                       requires=("opinion",), assigned_only=True, effect="inspection_report"),
                Action("pass", _("信用核查合格，转入审核"), initial, province_roles, requires=("opinion",),
                       effect="credit_inspection_passed", routes=others),
                Action("fail", _("信用核查不合格"), NOTICE_STEP, province_roles, requires=("reason",)),
                withdraw(),
            ),
            assignee="inspector",
            source=_("信用评价规则（申报+信用）：评价等级为规则所列等级的申请人，受理审核前须进行信用核查现场检查"),
        ),
    }
