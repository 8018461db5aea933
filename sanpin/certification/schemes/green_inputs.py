"""绿色食品生产资料 (green production inputs): the licence procedure of 绿色食品生产资料标志管理办法
[004 §9–§22] as engine configuration. Time limits are working days."""

from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import QualificationKind as Q
from sanpin.accounts.choices import Role
from sanpin.certificates.choices import GreenInputCategory

from ..choices import COMPLETED, ISSUED, SPECIAL_TEST, ApplicationKind, FeeItem, Level
from .base import STAY, Action, SchemeConfig, StepSpec
from .shared import (
    NOTICE_STEP,
    credit_inspection_step,
    order_rectification,
    request_supplement,
    shared_steps,
    suspend_review,
    withdraw,
)

PROVINCE = frozenset({Role.PROVINCIAL_REVIEWER})
NATIONAL = frozenset({Role.NATIONAL_REVIEWER})
INSPECTOR = frozenset({Role.INSPECTOR})
EXPERT = frozenset({Role.EXPERT})
LAB = frozenset({Role.LAB})

# [004 §6], with the number codes used in product numbers [004 §17]
CATEGORIES = tuple(GreenInputCategory.choices)
APPLICANT_CONDITIONS = (  # [004 §9]
    ("legal_person_licensed", _("具有法人资格，并获得相关行政许可")),
    ("civil_liability", _("能够独立承担民事责任")),
    ("stable_base", _("具有稳定的生产基地")),
    ("environment_technique", _("具有绿色生资生产的环境条件和生产技术")),
    ("quality_system_one_year", _("具有完善的质量管理体系，并至少稳定运行一年")),
    ("technical_staff", _("具有与生产规模相适应的生产技术人员和质量控制人员")),
)
PRODUCT_CONDITIONS = (  # [004 §10]
    ("inspected_registered", _("经国家法定部门检验、登记")),
    ("meets_standards", _("质量符合相关标准及绿色食品生产资料使用准则，不造成有害物质积累")),
    ("beneficial", _("有利于保护和促进使用对象的生长或品质")),
    ("environmentally_sound", _("生产符合环保要求，对生态环境无不良影响")),
    ("non_gmo", _("非转基因产品和以非转基因原料加工的产品")),
)

FIRST_STEP = {
    ApplicationKind.INITIAL: "preliminary_review",
    ApplicationKind.RENEWAL: "preliminary_review",
    ApplicationKind.CHANGE: "change_review",
    ApplicationKind.STOP: "stop_review",
}

STEPS = {
    "preliminary_review": StepSpec(
        "preliminary_review", _("省级初审"), Level.PROVINCE, 10,
        (
            Action("pass", _("初审通过，组织现场检查"), "site_inspection", PROVINCE, requires=("opinion",)),
            order_rectification(PROVINCE),
            suspend_review(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source="004 §11(2)",
    ),
    "site_inspection": StepSpec(
        "site_inspection", _("现场检查"), Level.PROVINCE, 20,
        (
            Action("assign_inspector", _("指派绿色生资管理员"), STAY, PROVINCE, requires=("inspector",),
                   effect="assign_inspector"),
            Action("submit_inspection_report", _("提交现场检查报告"), STAY, INSPECTOR, requires=("opinion",),
                   assigned_only=True, effect="inspection_report"),
            Action("pass", _("初审合格，报送协会"), "re_review", PROVINCE, requires=("opinion",),
                   effect="require_inspection_report"),
            order_rectification(PROVINCE),
            suspend_review(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        assignee="inspector",
        source="004 §11(2)",
    ),
    "re_review": StepSpec(
        "re_review", _("协会复审"), Level.NATIONAL, 20,
        (
            Action("pass", _("复审合格，提交专家评审"), "expert_review", NATIONAL, requires=("opinion",)),
            Action("fail", _("复审不合格"), NOTICE_STEP, NATIONAL, requires=("reason",)),
            Action("order_special_test", _("委托专项检测"), SPECIAL_TEST, NATIONAL,
                   requires=("lab_tests", "days", "reason"), effect="assign_lab"),
            request_supplement(NATIONAL),
            withdraw(),
        ),
        source="004 §11(3)(4)",
    ),
    "expert_review": StepSpec(
        "expert_review", _("专家评审"), Level.EXPERT, 15,
        (
            Action("draw_experts", _("抽取评审专家"), STAY, NATIONAL, requires=("experts",), effect="draw_experts"),
            # Moves on with the last panel member's opinion; until then the effect holds it here.
            Action("submit_expert_opinion", _("提交评审意见"), "decision", EXPERT,
                   requires=("opinion", "favourable"), assigned_only=True, effect="expert_opinion"),
        ),
        assignee="expert_panel",
        source="004 §11(4)",
    ),
    "decision": StepSpec(
        "decision", _("审核结论"), Level.NATIONAL, 15,
        (
            Action("approve", _("审核合格"), "contract", NATIONAL, requires=("opinion",)),
            Action("reject", _("审核不合格"), NOTICE_STEP, NATIONAL, requires=("reason",)),
        ),
        source="004 §11(5), §12",
    ),
    "contract": StepSpec(
        "contract", _("签订许可合同"), Level.NATIONAL, None,
        (Action("sign_contract", _("合同已签订"), "fees", NATIONAL, requires=("opinion",)),),
        source="004 §12",
    ),
    "fees": StepSpec(
        "fees", _("缴纳审核费和管理费"), Level.APPLICANT, None,
        (Action("confirm_payment", _("确认费用已缴纳"), "licence", NATIONAL, requires=("opinion",),
                effect="confirm_payment"),),
        source="004 §13",
    ),
    "licence": StepSpec(
        "licence", _("颁发使用证"), Level.NATIONAL, None,
        (Action("issue_licence", _("颁发《使用证》"), ISSUED, NATIONAL, effect="issue_licence"),),
        source="004 §14",
    ),
    # Change of product name, trademark or approved output [004 §21]; stop of use [004 §22].
    "change_review": StepSpec(
        "change_review", _("变更审核"), Level.NATIONAL, 20,
        (
            Action("approve_change", _("同意变更"), COMPLETED, NATIONAL, requires=("opinion",),
                   effect="apply_change"),
            Action("reject", _("不同意变更"), NOTICE_STEP, NATIONAL, requires=("reason",)),
            request_supplement(NATIONAL),
            withdraw(),
        ),
        source="004 §21",
    ),
    "stop_review": StepSpec(
        "stop_review", _("停止使用确认"), Level.NATIONAL, 10,
        (Action("confirm_stop", _("办理停止使用"), COMPLETED, NATIONAL, requires=("opinion",),
                effect="apply_stop"),),
        source="004 §22",
    ),
    **shared_steps(province_roles=PROVINCE, national_roles=NATIONAL, lab_roles=LAB, notice_limit_wd=10,
                   notice_source="004 §11(4), §12"),
    **credit_inspection_step(province_roles=PROVINCE, first_steps=FIRST_STEP),
}

GREEN_INPUTS = SchemeConfig(
    code="green_inputs",
    name="绿色食品生产资料",
    steps=STEPS,
    first_step=FIRST_STEP,
    application_prefix="SZ",
    validity_years=3,  # [004 §20]
    renewal_min_days_before_expiry=90,  # [004 §20]
    categories=CATEGORIES,
    fee_items=(FeeItem.REVIEW, FeeItem.MANAGEMENT),  # [004 §13]
    applicant_conditions=APPLICANT_CONDITIONS,
    product_conditions=PRODUCT_CONDITIONS,
    extra={"inspector_kinds": (Q.GREEN_INPUTS_ADMIN,), "expert_panel_size": 3, "renewal_reminder_days": 180},
)
