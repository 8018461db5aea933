"""全国名特优新农产品 (nationally listed famous, special, quality and new agricultural products): the
listing procedure of SPEC §10 as engine configuration — county quality test → city review →
provincial review → national centre check → expert review → conclusion → public notice (公示) →
listing and certificate [002 §3(3)]. Listings are long-term but confirmed every year (年度确认);
the life of a listing after it is issued is in `sanpin.featured`.

No time limit of this procedure is published in the seeds: every limit below is the system's own
default in working days (docs/decisions/0020-featured-products.md)."""

from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import QualificationKind as Q
from sanpin.accounts.choices import Role
from sanpin.certificates.choices import FeaturedCategory

from ..choices import ISSUED, SUPPLEMENT, ApplicationKind, AttachmentKind, Level
from .base import STAY, Action, SchemeConfig, StepSpec
from .shared import NOTICE_STEP, credit_inspection_step, request_supplement, shared_steps, withdraw

LOCAL = frozenset({Role.LOCAL_STAFF})
PROVINCE = frozenset({Role.PROVINCIAL_REVIEWER})
NATIONAL = frozenset({Role.NATIONAL_REVIEWER})
EXPERT = frozenset({Role.EXPERT})
COUNTY_LEVEL = frozenset({"county"})
CITY_LEVEL = frozenset({"city"})
# A written notice of rejection is sent by the agency that rejected, whichever level it is.
NOTICE_ROLES = LOCAL | PROVINCE | NATIONAL

# The system's own time limits (working days); the public notice lasts PUBLICITY_WD.
PUBLICITY_WD = 5
LIMITS = {
    "county_review": 20,  # includes sampling and the quality test by a lab
    "city_review": 10,
    "provincial_review": 10,
    "national_check": 15,
    "expert_review": 15,
    "review_conclusion": 10,
    "publicity": PUBLICITY_WD,
    "notice": 10,
}

APPLICANT_CONDITIONS = (
    ("legal_entity", _("申请主体为依法登记的农业生产经营主体，生产经营一年以上")),
    ("local_origin", _("产品产自本县（市、区）行政区域，具有明显的地域特色或品质特征")),
    ("quality_safe", _("近三年未发生农产品质量安全事故，未列入失信名单")),
)
PRODUCT_CONDITIONS = (
    ("edible_primary", _("产品为食用农产品（初级农产品或初加工产品）")),
    ("stable_output", _("产品具有稳定的生产规模和供应能力")),
    ("quality_feature", _("产品具有独特的营养品质或特征品质，可通过检测证实")),
)


def reject(roles, levels=frozenset()):
    return Action("reject", _("不予通过，书面通知申请人"), NOTICE_STEP, roles, requires=("reason",), levels=levels)


FIRST_STEP = {ApplicationKind.INITIAL: "county_review"}

STEPS = {
    "county_review": StepSpec(
        "county_review", _("县级初审及品质检测"), Level.COUNTY, LIMITS["county_review"],
        (
            # The county uploads the lab's quality test report (检验报告) before passing it on.
            Action("pass", _("品质检测合格，初审通过，报送市级"), "city_review", LOCAL, requires=("opinion",),
                   effect="featured_county_quality_test", levels=COUNTY_LEVEL),
            Action("request_supplement", _("要求补正"), SUPPLEMENT, LOCAL, requires=("reason",), levels=COUNTY_LEVEL),
            reject(LOCAL, COUNTY_LEVEL),
            withdraw(),
        ),
        source="SPEC §10; 002 §3(3)",
    ),
    "city_review": StepSpec(
        "city_review", _("市级审核"), Level.CITY, LIMITS["city_review"],
        (
            Action("pass", _("审核通过，报送省级"), "provincial_review", LOCAL, requires=("opinion",),
                   levels=CITY_LEVEL),
            Action("request_supplement", _("要求补正"), SUPPLEMENT, LOCAL, requires=("reason",), levels=CITY_LEVEL),
            reject(LOCAL, CITY_LEVEL),
            withdraw(),
        ),
        source="SPEC §10",
    ),
    "provincial_review": StepSpec(
        "provincial_review", _("省级审核"), Level.PROVINCE, LIMITS["provincial_review"],
        (
            Action("pass", _("审核通过，报送农业农村部农产品质量安全中心"), "national_check", PROVINCE,
                   requires=("opinion",)),
            request_supplement(PROVINCE),
            reject(PROVINCE),
            withdraw(),
        ),
        source="SPEC §10",
    ),
    "national_check": StepSpec(
        "national_check", _("中心复核"), Level.NATIONAL, LIMITS["national_check"],
        (
            Action("pass", _("复核通过，提交专家评审"), "expert_review", NATIONAL, requires=("opinion",)),
            request_supplement(NATIONAL),
            reject(NATIONAL),
            withdraw(),
        ),
        source="SPEC §10",
    ),
    "expert_review": StepSpec(
        "expert_review", _("专家评审"), Level.EXPERT, LIMITS["expert_review"],
        (
            Action("draw_experts", _("抽取评审专家"), STAY, NATIONAL, requires=("experts",), effect="draw_experts"),
            # Moves on with the last panel member's opinion; until then the effect holds it here.
            Action("submit_expert_opinion", _("提交评审意见"), "review_conclusion", EXPERT,
                   requires=("opinion", "favourable"), assigned_only=True, effect="expert_opinion"),
        ),
        assignee="expert_panel",
        source="SPEC §10",
    ),
    "review_conclusion": StepSpec(
        "review_conclusion", _("评审结论"), Level.NATIONAL, LIMITS["review_conclusion"],
        (
            Action("publish", _("评审通过，予以公示"), "publicity", NATIONAL, requires=("opinion",)),
            reject(NATIONAL),
        ),
        source="SPEC §10",
    ),
    "publicity": StepSpec(
        "publicity", _("公示"), Level.NATIONAL, PUBLICITY_WD,
        (
            # Only once the publicity period is over (the effect checks the step's due date).
            Action("no_objection", _("公示期满无异议，予以登录"), "listing", NATIONAL, requires=("opinion",),
                   effect="featured_publicity_over"),
            Action("objection_upheld", _("公示异议成立，不予登录"), NOTICE_STEP, NATIONAL, requires=("reason",)),
        ),
        source="SPEC §10",
    ),
    "listing": StepSpec(
        "listing", _("登录并颁发证书"), Level.NATIONAL, None,
        (Action("issue_licence", _("登录名录，颁发证书"), ISSUED, NATIONAL, effect="issue_licence"),),
        source="SPEC §10",
    ),
    **{code: spec for code, spec in shared_steps(
        province_roles=PROVINCE, national_roles=NOTICE_ROLES, lab_roles=frozenset({Role.LAB}),
        notice_limit_wd=LIMITS["notice"], notice_source="SPEC §10",
    ).items() if code in (SUPPLEMENT, NOTICE_STEP)},
    **credit_inspection_step(province_roles=PROVINCE, first_steps=FIRST_STEP),
}

FEATURED = SchemeConfig(
    code="featured",
    name="全国名特优新农产品",
    steps=STEPS,
    first_step=FIRST_STEP,
    application_prefix="MT",
    # The certificate's valid_until is the next annual confirmation (年度确认) due date; each
    # confirmation moves it on by one year (sanpin.featured.services.confirmation_decide).
    validity_years=1,
    renewal_min_days_before_expiry=0,  # no renewal: listings are long-term, confirmed yearly
    categories=tuple(FeaturedCategory.choices),
    applicant_conditions=APPLICANT_CONDITIONS,
    product_conditions=PRODUCT_CONDITIONS,
    required_materials={
        ApplicationKind.INITIAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.BUSINESS_LICENCE),
    },
    extra={
        # Who may make a credit site inspection of a featured product's producer: the qualifications
        # sent on its unannounced inspections (sanpin.oversight.models.FLIGHT_QUALIFICATIONS).
        "inspector_kinds": (Q.GREEN_FOOD_INSPECTOR, Q.GI_VERIFIER),
        "expert_panel_size": 3,
        "publicity_wd": PUBLICITY_WD,
        "confirmation_window_days": 90,  # the holder may confirm from 90 days before the due date
        "confirmation_reminder_days": (60, 30),
        "quality_test_years": 3,
    },
)
