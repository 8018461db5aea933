"""The listing of a quality production base (优质农产品生产基地) as engine configuration: built to
standard → acceptance (验收) by the level that builds it → review (复核) by the level above →
listed in the directory and published [003 att.2 §5].

Which agency accepts and which reviews depends on the base's level: a district (county) or
provincial base is accepted by its county; a district base is reviewed by its city (by the
province where no city agency stands between), a provincial base by the province; a national
base is accepted by the province ("市级验收") and reviewed by the ministry ("部级复核") after the
county has checked the declaration. The route is chosen by the `base_accepted` effect
(sanpin/bases/rules.py); `base_list` puts the base in the directory.

The applicant is the base's operating entity; the application is started from the base's page
(sanpin.bases.services.base_apply_for_listing), never from the generic application form. No time
limit is published: each limit below is the system's own default in working days
(docs/decisions/0029-production-bases.md)."""

from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import Role
from sanpin.bases.choices import BaseType

from ..choices import COMPLETED, SUPPLEMENT, ApplicationKind, AttachmentKind, Level
from .base import Action, SchemeConfig, StepSpec
from .shared import NOTICE_STEP, shared_steps, withdraw

LOCAL = frozenset({Role.LOCAL_STAFF})
PROVINCE = frozenset({Role.PROVINCIAL_REVIEWER})
NATIONAL = frozenset({Role.NATIONAL_REVIEWER})
COUNTY_LEVEL = frozenset({"county"})
CITY_LEVEL = frozenset({"city"})
NOTICE_ROLES = LOCAL | PROVINCE | NATIONAL

LIMITS = {
    "county_acceptance": 20,  # includes the on-site acceptance
    "provincial_acceptance": 20,
    "city_review": 15,
    "provincial_review": 15,
    "national_review": 20,
    "notice": 10,
}


def _review_actions(roles, levels=frozenset()):
    return (
        Action("pass", _("复核通过，纳入目录并公布"), COMPLETED, roles, requires=("opinion",), effect="base_list",
               levels=levels),
        Action("request_supplement", _("要求补正"), SUPPLEMENT, roles, requires=("reason",), levels=levels),
        Action("reject", _("复核不通过，书面通知"), NOTICE_STEP, roles, requires=("reason",), levels=levels),
        withdraw(),
    )


STEPS = {
    "county_acceptance": StepSpec(
        "county_acceptance", _("县级验收"), Level.COUNTY, LIMITS["county_acceptance"],
        (
            # The effect sends the base to the reviewing level its own level calls for.
            Action("pass", _("验收合格，报送复核"), "city_review", LOCAL, requires=("opinion",),
                   effect="base_accepted", levels=COUNTY_LEVEL,
                   routes=("provincial_review", "provincial_acceptance")),
            Action("request_supplement", _("要求补正"), SUPPLEMENT, LOCAL, requires=("reason",), levels=COUNTY_LEVEL),
            Action("reject", _("验收不合格，书面通知"), NOTICE_STEP, LOCAL, requires=("reason",),
                   levels=COUNTY_LEVEL),
            withdraw(),
        ),
        source="003 附件2 五(一)",
    ),
    "provincial_acceptance": StepSpec(
        "provincial_acceptance", _("省级验收"), Level.PROVINCE, LIMITS["provincial_acceptance"],
        (
            Action("pass", _("验收合格，报送农业农村部复核"), "national_review", PROVINCE, requires=("opinion",)),
            Action("request_supplement", _("要求补正"), SUPPLEMENT, PROVINCE, requires=("reason",)),
            Action("reject", _("验收不合格，书面通知"), NOTICE_STEP, PROVINCE, requires=("reason",)),
            withdraw(),
        ),
        source="003 附件2 五(一)",
    ),
    "city_review": StepSpec(
        "city_review", _("市级复核"), Level.CITY, LIMITS["city_review"], _review_actions(LOCAL, CITY_LEVEL),
        source="003 附件2 五(二)",
    ),
    "provincial_review": StepSpec(
        "provincial_review", _("省级复核"), Level.PROVINCE, LIMITS["provincial_review"], _review_actions(PROVINCE),
        source="003 附件2 五(二)",
    ),
    "national_review": StepSpec(
        "national_review", _("部级复核"), Level.NATIONAL, LIMITS["national_review"], _review_actions(NATIONAL),
        source="003 附件2 五(二)",
    ),
    **{code: spec for code, spec in shared_steps(
        province_roles=PROVINCE, national_roles=NOTICE_ROLES, lab_roles=frozenset({Role.LAB}),
        notice_limit_wd=LIMITS["notice"], notice_source="003 附件2 五",
    ).items() if code in (SUPPLEMENT, NOTICE_STEP)},
}

BASES = SchemeConfig(
    code="base",
    name="优质农产品生产基地",
    steps=STEPS,
    first_step={ApplicationKind.INITIAL: "county_acceptance"},
    application_prefix="JD",
    validity_years=0,  # a listing has no term: it lasts until the base is removed
    renewal_min_days_before_expiry=0,
    categories=tuple(BaseType.choices),
    required_materials={
        ApplicationKind.INITIAL: (AttachmentKind.APPLICATION_FORM, AttachmentKind.PRODUCTION_RULES),
    },
    # Started only by sanpin.bases.services.base_apply_for_listing, which names the base.
    extra={"created_from": "bases"},
)
