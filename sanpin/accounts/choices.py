"""Roles and agency levels, with the named groups the access rules use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    NATIONAL_REVIEWER = "national_reviewer", _("国家级审核人员")
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("省级审核人员")
    LOCAL_STAFF = "local_staff", _("市县工作人员")
    INSPECTOR = "inspector", _("检查员")
    EXPERT = "expert", _("评审专家")
    LAB = "lab", _("检测机构")
    APPLICANT = "applicant", _("申请人")
    PURCHASER = "purchaser", _("收购者/市场")
    BANK = "bank", _("金融机构")


class AgencyLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


# Staff of working agencies: they act on records of their region and the regions below it.
STAFF_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER, Role.PROVINCIAL_REVIEWER, Role.LOCAL_STAFF, Role.INSPECTOR}
)
# Agency staff who review and correct master data (inspectors and experts only read).
REVIEW_STAFF_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER, Role.PROVINCIAL_REVIEWER, Role.LOCAL_STAFF}
)
# Users who act for one organisation and see only its records.
ENTITY_ROLES = frozenset({Role.APPLICANT, Role.PURCHASER, Role.LAB, Role.BANK})
NATIONAL_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER})


class QualificationKind(models.TextChoices):
    GREEN_FOOD_INSPECTOR = "green_food_inspector", _("绿色食品检查员")
    GREEN_FOOD_SUPERVISOR = "green_food_supervisor", _("绿色食品监管员")
    GREEN_INPUTS_ADMIN = "green_inputs_admin", _("绿色生资管理员")
    ORGANIC_INSPECTOR = "organic_inspector", _("有机产品检查员")
    GI_VERIFIER = "gi_verifier", _("地理标志核查员")
    INTERNAL_INSPECTOR = "internal_inspector", _("企业内检员")
