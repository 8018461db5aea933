"""绿色食品 (green food): the mark-use licence procedure of 绿色食品标志管理办法 (2012, amended 2019
and 2022) as engine configuration, with the seeds' review flags [001 §5] and fees [001 §4].
Time limits are working days; each step cites its article (docs/decisions/0018-green-food.md)."""

from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import QualificationKind as Q
from sanpin.accounts.choices import Role
from sanpin.certificates.choices import GreenFoodCategory

from ..choices import ISSUED, SPECIAL_TEST, ApplicationKind, AttachmentKind, FeeItem, Level
from .base import STAY, Action, DataField, SchemeConfig, StepSpec
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
LAW = "绿色食品标志管理办法"

APPLICANT_CONDITIONS = (  # Art. 10
    ("independent_liability", _("能够独立承担民事责任（企业法人、农民专业合作社、个人独资企业、合伙企业、"
                                "家庭农场等）")),
    ("stable_base", _("具有稳定的生产基地")),
    ("quality_system", _("具有绿色食品生产的环境条件和生产技术")),
    ("management_system", _("具有完善的质量管理和质量保证体系")),
    ("technical_staff", _("具有与生产规模相适应的生产技术人员和质量控制人员")),
    ("no_violation_3y", _("申请前三年内无质量安全事故和不良诚信记录")),
    ("not_barred", _("未因违规被取消标志使用权而处于禁止申请期内")),
)
PRODUCT_CONDITIONS = (  # Art. 9
    ("approved_category", _("产品属于绿色食品标志许可的产品类别")),
    ("environment_standard", _("产品或产品原料产地环境符合绿色食品产地环境质量标准")),
    ("input_rules", _("农药、肥料、饲料、兽药等投入品使用符合绿色食品投入品使用准则")),
    ("product_standard", _("产品质量符合绿色食品产品质量标准")),
    ("packaging_standard", _("包装贮运符合绿色食品包装贮运标准")),
)
MATERIALS = {  # Art. 11: application form, production rules and quality-control norms, other proof
    ApplicationKind.INITIAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.BUSINESS_LICENCE,
                              AttachmentKind.QUALITY_SYSTEM, AttachmentKind.PRODUCTION_RULES,
                              AttachmentKind.BASE_PROOF),
    ApplicationKind.RENEWAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.QUALITY_SYSTEM,
                              AttachmentKind.BASE_PROOF),
}
DATA_FIELDS = (
    DataField("parallel_production", _("存在平行生产"), help=_("同一生产单元同时生产绿色食品和常规产品 [001 §5]")),
    DataField("contract_processing", _("存在委托加工"), help=_("产品委托其他单位加工 [001 §5]")),
    DataField("production_period", _("产品生产期"), kind="text", kinds=("initial", "renewal"),
              help=_("如 4月—10月；现场检查在生产期内进行（第十三条）")),
)

FIRST_STEP = {ApplicationKind.INITIAL: "acceptance", ApplicationKind.RENEWAL: "renewal_review"}

STEPS = {
    "acceptance": StepSpec(
        "acceptance", _("材料审查与受理"), Level.PROVINCE, 10,
        (
            Action("accept", _("材料审查合格，予以受理"), "site_inspection", PROVINCE, requires=("opinion",)),
            Action("refuse", _("不予受理"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source=f"{LAW} 第十二条",
    ),
    "site_inspection": StepSpec(
        "site_inspection", _("现场检查"), Level.PROVINCE, None,
        (
            Action("assign_inspector", _("委派绿色食品检查员"), STAY, PROVINCE, requires=("inspector",),
                   effect="assign_inspector"),
            Action("submit_inspection_report", _("提交现场检查报告"), STAY, INSPECTOR, requires=("opinion",),
                   assigned_only=True, effect="inspection_report"),
            Action("pass", _("现场检查合格，抽样送检"), "testing", PROVINCE, requires=("opinion",),
                   effect="require_inspection_report"),
            Action("fail", _("现场检查不合格"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            order_rectification(PROVINCE),
            suspend_review(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        assignee="inspector",
        source=f"{LAW} 第十二条：在产品及产品原料生产期内组织有资质的检查员完成现场检查",
    ),
    "testing": StepSpec(
        "testing", _("产品检测与产地环境监测"), Level.LAB, 30,
        (
            # The applicant entrusts a designated lab (Art. 13); the registry checks its designation.
            Action("assign_test_lab", _("委托定点检测机构"), STAY, frozenset({Role.APPLICANT}),
                   requires=("lab_tests",), effect="assign_test_lab"),
            Action("submit_product_report", _("提交产品检验报告"), STAY, LAB, requires=("opinion", "favourable"),
                   assigned_only=True, effect="product_report"),
            Action("submit_environment_report", _("提交环境监测报告"), STAY, LAB,
                   requires=("opinion", "favourable"), assigned_only=True, effect="environment_report"),
            Action("pass", _("检测合格，进入初审"), "preliminary_opinion", PROVINCE, requires=("opinion",),
                   effect="require_test_reports"),
            Action("fail", _("检测不合格"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            withdraw(),
        ),
        assignee="lab",
        source=f"{LAW} 第十三条：申请人委托检测机构，产品抽样之日起二十个工作日内、"
               "环境抽样之日起三十个工作日内完成检测",
    ),
    "preliminary_opinion": StepSpec(
        "preliminary_opinion", _("省级初审"), Level.PROVINCE, 20,
        (
            Action("pass", _("初审合格，报送中心"), "national_review", PROVINCE, requires=("opinion",),
                   effect="route_after_preliminary_opinion", routes=("stricter_review",)),
            Action("fail", _("初审不合格"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            order_rectification(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source=f"{LAW} 第十四条：收到检验报告和监测报告之日起二十个工作日内提出初审意见",
    ),
    # Parallel production or contract processing: a mandatory stricter review [001 §5]; its limit is
    # the system's own (docs/decisions/0018-green-food.md).
    "stricter_review": StepSpec(
        "stricter_review", _("平行生产/委托加工专项审查"), Level.NATIONAL, 10,
        (
            Action("pass", _("专项审查合格"), "national_review", NATIONAL, requires=("opinion",)),
            Action("fail", _("专项审查不合格"), NOTICE_STEP, NATIONAL, requires=("reason",)),
            request_supplement(NATIONAL),
            withdraw(),
        ),
        source="001 §5：严格平行生产、委托加工审查",
    ),
    "national_review": StepSpec(
        "national_review", _("中心书面审查"), Level.NATIONAL, 30,
        (
            Action("pass", _("书面审查合格，提交专家评审"), "expert_review", NATIONAL, requires=("opinion",)),
            Action("fail", _("书面审查不合格"), NOTICE_STEP, NATIONAL, requires=("reason",)),
            Action("order_special_test", _("委托专项检测"), SPECIAL_TEST, NATIONAL,
                   requires=("lab_tests", "days", "reason"), effect="assign_lab"),
            request_supplement(NATIONAL),
            withdraw(),
        ),
        source=f"{LAW} 第十五条：中心自收到省级工作机构报送的材料之日起三十个工作日内完成书面审查",
    ),
    "expert_review": StepSpec(
        "expert_review", _("专家评审"), Level.EXPERT, 20,
        (
            Action("draw_experts", _("抽取评审专家"), STAY, NATIONAL, requires=("experts",), effect="draw_experts"),
            Action("submit_expert_opinion", _("提交评审意见"), "decision", EXPERT,
                   requires=("opinion", "favourable"), assigned_only=True, effect="expert_opinion"),
        ),
        assignee="expert_panel",
        source=f"{LAW} 第十五条：二十个工作日内组织专家评审",
    ),
    "decision": StepSpec(
        "decision", _("颁证决定"), Level.NATIONAL, 5,
        (
            Action("approve", _("决定颁证"), "contract", NATIONAL, requires=("opinion",)),
            Action("reject", _("决定不予颁证"), NOTICE_STEP, NATIONAL, requires=("reason",)),
        ),
        source=f"{LAW} 第十六条：根据专家评审意见五个工作日内作出是否颁证的决定",
    ),
    "contract": StepSpec(
        "contract", _("签订标志使用合同"), Level.NATIONAL, None,
        (Action("sign_contract", _("合同已签订"), "fees", NATIONAL, requires=("opinion",)),),
        source=f"{LAW} 第十六条",
    ),
    "fees": StepSpec(
        "fees", _("缴纳审核评价费和标志使用费"), Level.APPLICANT, None,
        (Action("confirm_payment", _("确认费用已缴纳（或已减免）"), "licence", NATIONAL, requires=("opinion",),
                effect="confirm_payment"),),
        source="001 §4",
    ),
    "licence": StepSpec(
        "licence", _("颁发证书"), Level.NATIONAL, None,
        (Action("issue_licence", _("颁发绿色食品标志使用证书"), ISSUED, NATIONAL, effect="issue_licence"),),
        source=f"{LAW} 第十六条、第十七条",
    ),
    # Renewal: the province completes its part (materials, inspection, testing as needed) within
    # 40 working days and the centre decides within 10 (Art. 18).
    "renewal_review": StepSpec(
        "renewal_review", _("续展省级审核"), Level.PROVINCE, 40,
        (
            Action("assign_inspector", _("委派绿色食品检查员"), STAY, PROVINCE, requires=("inspector",),
                   effect="assign_inspector"),
            Action("submit_inspection_report", _("提交现场检查报告"), STAY, INSPECTOR, requires=("opinion",),
                   assigned_only=True, effect="inspection_report"),
            # The province passes with the inspector's report in hand, unless the applicant's credit
            # waives the renewal's site inspection (extra["renewal_inspection_waivable"]).
            Action("pass", _("续展审核合格，报送中心"), "renewal_decision", PROVINCE, requires=("opinion",),
                   effect="require_inspection_report"),
            Action("fail", _("续展审核不合格"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            order_rectification(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source=f"{LAW} 第十八条",
    ),
    "renewal_decision": StepSpec(
        "renewal_decision", _("续展决定"), Level.NATIONAL, 10,
        (
            Action("approve", _("决定准予续展"), "contract", NATIONAL, requires=("opinion",)),
            Action("reject", _("不予续展"), NOTICE_STEP, NATIONAL, requires=("reason",)),
            request_supplement(NATIONAL),
        ),
        source=f"{LAW} 第十八条",
    ),
    **shared_steps(province_roles=PROVINCE, national_roles=NATIONAL, lab_roles=LAB, notice_limit_wd=10,
                   notice_source=f"{LAW} 第十二条、第十四条、第十六条：不予受理、初审不合格或不予颁证的，"
                                 "书面通知申请人并告知理由"),
    **credit_inspection_step(province_roles=PROVINCE, first_steps=FIRST_STEP),
}

GREEN_FOOD = SchemeConfig(
    code="green_food",
    name="绿色食品",
    steps=STEPS,
    first_step=FIRST_STEP,
    validity_years=3,  # Art. 17
    renewal_min_days_before_expiry=90,
    renewal_min_months_before_expiry=3,  # Art. 18: at least three months before expiry
    categories=tuple(GreenFoodCategory.choices),
    fee_items=(FeeItem.REVIEW, FeeItem.MARK_USE),  # [001 §4]
    applicant_conditions=APPLICANT_CONDITIONS,
    product_conditions=PRODUCT_CONDITIONS,
    application_prefix="LS",
    required_materials=MATERIALS,
    data_fields=DATA_FIELDS,
    warnings=("trademark_unregistered", "stricter_review_ahead", "declared_inputs_not_allowed"),
    renewal_new_number=True,
    extra={
        "inspector_kinds": (Q.GREEN_FOOD_INSPECTOR,), "expert_panel_size": 3, "renewal_reminder_days": 180,
        # A renewal's site inspection may be waived for an applicant of good credit: 绿色食品标志管理办法
        # 第十八条 has the provincial office complete a renewal's inspection, testing and document review
        # ("相关检查、检测及材料审核") within 40 working days, and the credit rulebook's "申报+信用"
        # effects (renewal_inspection_waiver) say whose credit lets it do without the site inspection.
        "renewal_inspection_waivable": True,
        # Applicants declare the pesticides, fertilisers and other inputs they use; the review flags
        # any not on the allowed-input list of their province (NY/T 393; seed 002 §3(7)).
        "declares_inputs": True,
    },
)
