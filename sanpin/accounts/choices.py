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


class ExpertSpecialty(models.TextChoices):
    """What an expert may review. For green production inputs these are the product categories
    of [004 §6]; an expert panel is drawn per category."""

    FERTILIZER = "fertilizer", _("肥料")
    PESTICIDE = "pesticide", _("农药")
    FEED = "feed", _("饲料及饲料添加剂")
    VETERINARY_DRUG = "veterinary_drug", _("兽药")
    FOOD_ADDITIVE = "food_additive", _("食品添加剂")
    OTHER = "other", _("其它")
    # Green food, organic and 名特优新 panels are drawn by production field.
    CROPS = "crops", _("种植业产品")
    LIVESTOCK = "livestock", _("畜禽产品")
    AQUATIC = "aquatic", _("水产品")
    PROCESSED_FOOD = "processed_food", _("加工食品")
    QUALITY_EVALUATION = "quality_evaluation", _("品质评价")


class DesignationScheme(models.TextChoices):
    """The schemes a testing lab can be designated for [001 §19]."""

    GREEN_INPUTS = "green_inputs", _("绿色食品生产资料")
    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")
    GI = "gi", _("农产品地理标志")


class LabTest(models.TextChoices):
    """Test items a designated lab may perform. Beyond the routine items of the product
    standard, the association may order special tests during re-review [004 §11(3)]; these
    codes name them so a lab's scope can be checked before it is assigned."""

    ROUTINE = "routine", _("常规检项（产品标准规定项目）")
    HEAVY_METALS = "heavy_metals", _("重金属")
    PESTICIDE_RESIDUES = "pesticide_residues", _("农药残留")
    VET_DRUG_RESIDUES = "vet_drug_residues", _("兽药残留")
    BANNED_SUBSTANCES = "banned_substances", _("禁用物质")
    MICROBIOLOGY = "microbiology", _("微生物")
    NUTRIENT_CONTENT = "nutrient_content", _("养分/有效成分含量")
    MYCOTOXINS = "mycotoxins", _("真菌毒素")
    GMO = "gmo", _("转基因成分")
    ENVIRONMENT = "environment", _("产地环境监测")
