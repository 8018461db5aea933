"""Results and conclusions of lab oversight [001 §19] and the groups of people [001 §21]."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, QualificationKind, Role


class ProficiencyResult(models.TextChoices):
    """The usual three-way judgement of a proficiency test (|z| ≤ 2, 2 < |z| < 3, |z| ≥ 3)."""

    SATISFACTORY = "satisfactory", _("满意")
    QUESTIONABLE = "questionable", _("可疑")
    UNSATISFACTORY = "unsatisfactory", _("不满意")


class InspectionConclusion(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# Labs are a national registry (designations are made nationally): national staff record and read.
LAB_ROLES = NATIONAL_ROLES
# People are registered per province: provincial staff see and train their province's people,
# national staff everyone's.
PEOPLE_ROLES = NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}


class PersonGroup(models.TextChoices):
    """The three registers of people [001 §21], by the qualifications they hold."""

    INSPECTOR = "inspector", _("检查员")
    SUPERVISOR = "supervisor", _("监管员")
    INTERNAL = "internal", _("企业内检员")


GROUP_KINDS = {
    PersonGroup.INSPECTOR: (QualificationKind.GREEN_FOOD_INSPECTOR, QualificationKind.GREEN_INPUTS_ADMIN,
                            QualificationKind.ORGANIC_INSPECTOR, QualificationKind.GI_VERIFIER),
    PersonGroup.SUPERVISOR: (QualificationKind.GREEN_FOOD_SUPERVISOR,),
    PersonGroup.INTERNAL: (QualificationKind.INTERNAL_INSPECTOR,),
}
