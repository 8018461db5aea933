"""Master data: administrative regions, countries for foreign products, and the entities
(applicants, producers, purchasers, labs, banks) that act in the system."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

from .choices import EntityKind, NumberCodeBasis, RegionLevel


class Region(models.Model):
    """An administrative division of GB/T 2260 (province, prefecture, county), keyed by its
    6-digit code so that a subtree is a code prefix: 45 → Guangxi, 4501 → Nanning.

    Provinces carry the two-digit sequence code used in green-food and green-input official
    numbers (SPEC §10); counties carry the flags that drive fee waivers [001 §4, 002 §3(1)4].
    """

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField(_("全称"), max_length=120, blank=True)
    is_active = models.BooleanField(_("现行"), default=True)
    number_code = models.CharField(
        _("编号省份代码"), max_length=2, blank=True, help_text=_("绿色食品/绿色生资产品编号中的省份序号")
    )
    number_code_source = models.CharField(_("省份代码来源"), max_length=255, blank=True)
    number_code_basis = models.CharField(
        _("省份代码依据"), max_length=20, choices=NumberCodeBasis.choices, blank=True
    )
    poverty_exit_county = models.BooleanField(_("脱贫县"), default=False)
    poverty_exit_year = models.PositiveSmallIntegerField(_("脱贫摘帽年份"), null=True, blank=True)
    key_assistance_county = models.BooleanField(_("国家乡村振兴重点帮扶县"), default=False)
    flags_source = models.CharField(_("标识来源"), max_length=255, blank=True)
    # Set when an administrator edits the code or flags (page, API or Excel import): from then on
    # load_regions leaves those values alone, so a reload never undoes a deliberate correction.
    admin_edited_at = models.DateTimeField(_("人工修改时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.UniqueConstraint(
                fields=["number_code"], condition=~models.Q(number_code=""), name="region_number_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(poverty_exit_county=False) | models.Q(poverty_exit_year__isnull=False),
                name="region_exit_year_with_flag",
            ),
        ]

    def __str__(self):
        return self.full_name or self.name

    @property
    def scope_prefix(self) -> str:
        """The code prefix shared by this region and every region below it."""
        return {RegionLevel.PROVINCE: self.code[:2], RegionLevel.CITY: self.code[:4]}.get(self.level, self.code)

    def contains(self, other_code: str) -> bool:
        return other_code.startswith(self.scope_prefix)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def is_county(self) -> bool:
        return self.level == RegionLevel.COUNTY

    def accepts_entities(self) -> bool:
        """Entities sit in a county-level division; the four prefecture-level cities without
        counties (东莞, 中山, 儋州, 嘉峪关) administer towns directly and count as one."""
        if self.level == RegionLevel.COUNTY:
            return True
        return self.level == RegionLevel.CITY and not self.children.exists()

    def ancestors(self) -> list["Region"]:
        """From the province down to the parent (at most two queries: the tree is shallow)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Country(BaseModel):
    """A foreign country of origin for certified products. Number codes are given from 51 up
    in the order of each country's first certified product [004 §17]."""

    iso_code = models.CharField(_("ISO 代码"), max_length=2, unique=True)
    name = models.CharField(_("中文名称"), max_length=60)
    number_code = models.CharField(_("编号国家代码"), max_length=2, blank=True)
    first_certified_on = models.DateField(_("首个获证产品日期"), null=True, blank=True)

    class Meta:
        ordering = ["number_code", "iso_code"]
        verbose_name = _("国家/地区")
        verbose_name_plural = _("国家/地区")
        constraints = [
            models.UniqueConstraint(
                fields=["number_code"], condition=~models.Q(number_code=""), name="country_number_code_unique"
            )
        ]

    def __str__(self):
        return self.name


ENTITY_ACTIONS = {
    # Agency staff see and correct entities of their region; an organisation's own users see it
    # and its applicant may correct it. Inspectors read what they inspect.
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR} | ENTITY_ROLES,
    "change": REVIEW_STAFF_ROLES | {Role.APPLICANT},
    "create": REVIEW_STAFF_ROLES,
}


class Entity(BaseModel):
    """An organisation that applies, holds certificates, buys, tests or lends (申请人/生产经营主体).

    Identified by its unified social credit code (USCC, GB 32100) and located in a county."""

    name = models.CharField(_("名称"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("主体类型"), max_length=30, choices=EntityKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在县区"), on_delete=models.PROTECT, related_name="entities"
    )
    address = models.CharField(_("地址"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=60)
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    green_food_code = models.CharField(
        _("绿色食品企业信息码"), max_length=14, blank=True,
        help_text=_("GF + 县级行政区划代码 + 首次获证年份后两位 + 4 位序号，首次获证时赋予，终身不变"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", entity_field="pk", actions=ENTITY_ACTIONS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("申请人/生产经营主体")
        verbose_name_plural = _("申请人/生产经营主体")
        indexes = [models.Index(fields=["region", "name"], name="entity_region_name_idx")]
        constraints = [
            models.UniqueConstraint(fields=["green_food_code"], condition=~models.Q(green_food_code=""),
                                    name="entity_green_food_code_unique"),
        ]

    def __str__(self):
        return self.name


class Trademark(BaseModel):
    """A registered trademark of an entity; green-food products without one get a warning
    when an application is drafted [001 §5]."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="trademarks")
    name = models.CharField(_("商标名称"), max_length=80)
    registration_no = models.CharField(_("注册号"), max_length=30)
    nice_class = models.PositiveSmallIntegerField(_("类别"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=ENTITY_ACTIONS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("注册商标")
        verbose_name_plural = _("注册商标")
        constraints = [
            models.UniqueConstraint(fields=["entity", "registration_no"], name="trademark_once_per_entity")
        ]

    def __str__(self):
        return f"{self.name}（{self.registration_no}）"
