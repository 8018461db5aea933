"""有机农产品 (organic products certified by 中绿华夏有机产品认证中心, COFCC) as engine configuration:
acceptance and document review by the provincial office, the certification contract, the site
inspection in the production season by a qualified organic inspector, the sampling test by a lab
designated for organic, the certifier's decision, fees and the one-year certificate (SPEC §2, §10;
seed 002 §3(1)4, §4). The seeds and SPEC set no time limit for these steps: the limits below are
the system's own defaults in working days (docs/decisions/0019-organic-scheme.md). Its own effects
and review flags are in sanpin.certification.organic_rules (registered in apps.RULE_MODULES)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import QualificationKind as Q
from sanpin.accounts.choices import Role
from sanpin.certificates.choices import OrganicCategory

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

PROVINCE = frozenset({Role.PROVINCIAL_REVIEWER})  # the provincial office, 中绿华夏's branch (分中心)
CERTIFIER = frozenset({Role.NATIONAL_REVIEWER})  # 中绿华夏 itself
INSPECTOR = frozenset({Role.INSPECTOR})
LAB = frozenset({Role.LAB})
RULES = "有机产品认证实施规则"
SAMPLING_TEST = "sampling_test"  # the samples taken at the site inspection, tested by a designated lab

# Conditions on the applicant (认证委托人) and the products, after the national organic rules.
APPLICANT_CONDITIONS = (
    ("legal_status", _("取得市场主体登记（法人资格），相关行政许可齐全")),
    ("management_system", _("已建立并实施文件化的有机产品管理体系，有效运行3个月以上")),
    ("internal_inspector", _("已指定内部检查员，保存完整的生产、销售记录")),
    ("no_revocation_5y", _("5年内未因提供虚假信息、使用禁用物质、超范围使用认证标志或重大质量安全事故被撤销有机认证")),
    ("no_revocation_1y", _("1年内未因其他原因被撤销有机产品认证证书")),
    ("no_serious_default", _("未被列入严重违法失信名单")),
)
PRODUCT_CONDITIONS = (
    ("in_catalogue", _("申请认证的产品在《有机产品认证目录》内")),
    ("standard_production", _("按 GB/T 19630 生产：不使用化学合成的农药、肥料、生长调节剂、饲料添加剂等禁用物质")),
    ("non_gmo_no_irradiation", _("不使用转基因生物及其衍生物，不使用辐照技术")),
    ("conversion_done", _("生产基地已完成规定的转换期")),
    ("environment_buffer", _("产地环境符合要求，与常规生产区域设有缓冲带或物理屏障")),
    ("traceable", _("产品可追溯，平行生产有区分管理措施")),
)
MATERIALS = {
    ApplicationKind.INITIAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.BUSINESS_LICENCE,
                              AttachmentKind.QUALITY_SYSTEM, AttachmentKind.PRODUCTION_RULES,
                              AttachmentKind.BASE_PROOF),
    ApplicationKind.RENEWAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.QUALITY_SYSTEM,
                              AttachmentKind.PRODUCTION_RULES),
}
DATA_FIELDS = (
    DataField("production_season", _("生产季节"), kind="text",
              help=_("如 3月—10月（收获期 9月）；现场检查须在生产季节进行 [002 §4(1)(2)]")),
    DataField("annual_crop", _("一年生作物"), kinds=("initial",),
              help=_("一年生作物应尽量在播种前一个月提交申报材料 [002 §4(1)]")),
    DataField("planned_sowing_date", _("计划播种日期"), kind="date", kinds=("initial",)),
    DataField("transfer_from_other_certifier", _("从其他认证机构转入"), kinds=("initial",),
              help=_("须在原证书到期前4个月按首次认证清单提交申报材料 [002 §4(1)]")),
    DataField("other_certifier", _("原认证机构"), kind="text", kinds=("initial",)),
    DataField("other_certificate_valid_until", _("原证书有效期至"), kind="date", kinds=("initial",)),
)

# Re-certification takes the whole path again: every year an on-site inspection (SPEC §10).
FIRST_STEP = {ApplicationKind.INITIAL: "acceptance", ApplicationKind.RENEWAL: "acceptance"}

STEPS = {
    "acceptance": StepSpec(
        "acceptance", _("申请受理"), Level.PROVINCE, 10,
        (
            Action("accept", _("材料齐全，予以受理"), "contract", PROVINCE, requires=("opinion",)),
            Action("refuse", _("不予受理"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source=f"002 §4(1)：做好申报申请的受理和审核工作；{RULES}（受理决定）",
    ),
    "contract": StepSpec(
        "contract", _("签订认证合同"), Level.NATIONAL, None,
        (Action("sign_contract", _("认证合同已签订"), "document_review", CERTIFIER, requires=("opinion",)),),
        source=RULES,
    ),
    "document_review": StepSpec(
        "document_review", _("文件审核"), Level.PROVINCE, 15,
        (
            Action("pass", _("文件审核合格，安排现场检查"), "site_inspection", PROVINCE, requires=("opinion",)),
            Action("fail", _("文件审核不合格"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            order_rectification(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        source=f"002 §4(1)、§3(5)：按申请条件、审查内容与要点开展审查；{RULES}（文件评审）",
    ),
    # In the production season: no working-day limit, the season sets the date (002 §4(2) "在生产季节").
    "site_inspection": StepSpec(
        "site_inspection", _("现场检查（生产季节）"), Level.PROVINCE, None,
        (
            Action("assign_inspector", _("委派有机产品检查员"), STAY, PROVINCE, requires=("inspector",),
                   effect="assign_inspector"),
            # The inspector takes the samples during the inspection and sends them to a designated lab.
            Action("submit_inspection_report", _("提交现场检查报告并送样检测"), SAMPLING_TEST, INSPECTOR,
                   requires=("opinion", "lab_tests"), assigned_only=True, effect="assign_lab"),
            order_rectification(PROVINCE),
            suspend_review(PROVINCE),
            request_supplement(PROVINCE),
            withdraw(),
        ),
        assignee="inspector",
        source=f"{RULES}：每年至少一次现场检查（SPEC §10）；002 §4(1)(2)",
    ),
    SAMPLING_TEST: StepSpec(
        SAMPLING_TEST, _("样品检测"), Level.LAB, 20,
        (Action("submit_test_report", _("提交检测报告"), "decision", LAB, requires=("opinion", "favourable"),
                assigned_only=True, effect="organic_test_report"),),
        assignee="lab",
        source=f"{RULES}：由认证机构委托的检测机构检测；001 §19",
    ),
    "decision": StepSpec(
        "decision", _("认证决定"), Level.NATIONAL, 20,
        (
            Action("approve", _("批准认证"), "fees", CERTIFIER, requires=("opinion",), effect="require_passing_test"),
            Action("reject", _("不予认证"), NOTICE_STEP, CERTIFIER, requires=("reason",)),
            # Further tests beyond those of the samples: the decision clock waits for the lab.
            Action("order_special_test", _("委托补充检测"), SPECIAL_TEST, CERTIFIER,
                   requires=("lab_tests", "days", "reason"), effect="assign_lab"),
            request_supplement(CERTIFIER),
        ),
        source=f"{RULES}（认证决定）",
    ),
    "fees": StepSpec(
        "fees", _("缴纳申请费、审核费和注册费"), Level.APPLICANT, None,
        (Action("confirm_payment", _("确认费用已缴纳（或已减免）"), "licence", CERTIFIER, requires=("opinion",),
                effect="confirm_payment"),),
        source="002 §3(1)4",
    ),
    "licence": StepSpec(
        "licence", _("颁发证书"), Level.NATIONAL, None,
        (Action("issue_licence", _("颁发有机产品认证证书"), ISSUED, CERTIFIER, effect="issue_licence"),),
        source="SPEC §10：证书有效期1年",
    ),
    **shared_steps(province_roles=PROVINCE, national_roles=CERTIFIER, lab_roles=LAB, notice_limit_wd=10,
                   notice_source="不予受理、审核不合格或不予认证的，书面通知申请人并说明理由"),
    **credit_inspection_step(province_roles=PROVINCE, first_steps=FIRST_STEP),
}

ORGANIC = SchemeConfig(
    code="organic",
    name="有机农产品",
    steps=STEPS,
    first_step=FIRST_STEP,
    validity_years=1,  # SPEC §10, 002 §4(2)
    renewal_min_days_before_expiry=90,
    renewal_min_months_before_expiry=3,  # SPEC §10: at least three months before expiry
    categories=tuple(OrganicCategory.choices),
    fee_items=(FeeItem.APPLICATION, FeeItem.REVIEW, FeeItem.REGISTRATION),  # 002 §3(1)4
    applicant_conditions=APPLICANT_CONDITIONS,
    product_conditions=PRODUCT_CONDITIONS,
    application_prefix="YJ",
    required_materials=MATERIALS,
    data_fields=DATA_FIELDS,
    warnings=("organic_annual_crop_sowing", "organic_transfer_deadline", "organic_renewal_timing"),
    renewal_new_number=True,  # re-issued every year with a new number, linked to the predecessor
    extra={
        "inspector_kinds": (Q.ORGANIC_INSPECTOR,),
        "certifier_code": settings.ORGANIC_CERTIFIER_CODE,
        # 002 §4(2): after expiry a renewal is a new application; late but before expiry: accepted, flagged.
        "late_renewal_becomes_initial": True,
        "late_renewal_accepted": True,
        # 002 §4(2): agencies organise re-certification from 4 months before expiry.
        "renewal_reminder_days": 120,
        "renewal_reminder_levels": (Level.PROVINCE,),
        "renewal_reminder_body": _(
            "%(product)s（%(number)s）的有机产品认证证书将于 %(until)s 到期。请在生产季节安排再认证，"
            "申请最迟于 %(latest)s 前提出；证书到期后才提出的按新申请办理，证书不连续 [002 §4(2)]。"),
    },
)
