"""Allowed-input lists for green food (绿色食品可用投入品清单): versioned lists per issuer and
kind (e.g. 广西绿色食品可用农药清单（2024）, seed 002 §3(7)), the inputs on them and, for each
input, its residue limits per crop. Reference data like catalog: the application input check
(certification) and the sampling judgement (sampling) read it; it imports neither. Changed only
through sanpin.inputs.services."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import REGION, RestrictedQuerySet, ScopeRule, apply_scope, scope_for
from sanpin.core.models import BaseModel

from .choices import CROP_CATEGORIES, InputCategory, InputKind, ListStatus, ResidueUnit

LIST_ACTIONS = {
    # Every agency reads every list (they are published rules); national lists included.
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR},
    # National staff manage national lists and any province's; a province manages its own.
    "manage": NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER},
}


class ListQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Region scope on the issuer; national lists (no issuer region) are readable by every
        agency but managed only by national staff."""
        scope = scope_for(user, action, self.model)
        if scope.kind == REGION and action == "view":
            return self.filter(Q(issuer_region__isnull=True) | Q(issuer_region__code__startswith=scope.value))
        return apply_scope(self, scope)


class AllowedInputList(BaseModel):
    """One version of an allowed-inputs list of one issuer (a province, or national when
    `issuer_region` is empty) for one kind of input. Draft → published → superseded (when the
    next version of the same issuer and kind is published, from that version's effective day) or
    retired. A list is in force on the days from `effective_from` to `effective_until`."""

    title = models.CharField(_("清单名称"), max_length=120)
    kind = models.CharField(_("投入品类别"), max_length=20, choices=InputKind.choices)
    issuer_region = models.ForeignKey("catalog.Region", verbose_name=_("适用地区"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text=_("省级区划；空为全国"))
    issuer_name = models.CharField(_("发布机构"), max_length=120)
    source_document = models.CharField(_("发布文件"), max_length=200,
                                       help_text=_("文件名称及文号，如 桂绿发〔2024〕X 号"))
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT,
                              db_index=True)
    note = models.TextField(_("说明"), blank=True)
    previous = models.ForeignKey("self", verbose_name=_("上一版本"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")

    objects = ListQuerySet.as_manager()
    scope = ScopeRule(region_field="issuer_region", actions=LIST_ACTIONS)

    class Meta:
        ordering = ["kind", "issuer_region_id", "-effective_from", "-pk"]
        verbose_name = _("可用投入品清单")
        verbose_name_plural = _("可用投入品清单")
        indexes = [models.Index(fields=["kind", "status", "effective_from"], name="inputs_list_in_force")]

    def __str__(self):
        return self.title

    @property
    def is_national(self) -> bool:
        return self.issuer_region_id is None

    def in_force_on(self, day) -> bool:
        return (self.status in (ListStatus.PUBLISHED, ListStatus.SUPERSEDED, ListStatus.RETIRED)
                and self.effective_from <= day and (self.effective_until is None or day <= self.effective_until))


class AllowedInput(BaseModel):
    """One input on a list: its common name (通用名, what applicants and labs write), active
    ingredient, category and any restriction on its use."""

    list = models.ForeignKey(AllowedInputList, verbose_name=_("清单"), on_delete=models.CASCADE,
                             related_name="inputs")
    common_name = models.CharField(_("通用名"), max_length=80)
    active_ingredient = models.CharField(_("有效成分"), max_length=120, blank=True)
    category = models.CharField(_("类别"), max_length=30, choices=InputCategory.choices, blank=True)
    restrictions = models.TextField(_("使用限制/备注"), blank=True)

    class Meta:
        ordering = ["common_name", "pk"]
        verbose_name = _("可用投入品")
        verbose_name_plural = _("可用投入品")
        constraints = [models.UniqueConstraint(fields=["list", "common_name"], name="inputs_input_once_per_list")]

    def __str__(self):
        return self.common_name


class ResidueLimit(BaseModel):
    """The maximum residue of an allowed input on one crop, with the green food product category
    the crop belongs to (the code the sampling standards use), the standard it comes from and the
    days it applies. `is_demo` marks figures not checked against the cited standard."""

    input = models.ForeignKey(AllowedInput, verbose_name=_("投入品"), on_delete=models.CASCADE, related_name="limits")
    crop = models.CharField(_("作物"), max_length=60)
    crop_category = models.CharField(_("产品类别"), max_length=4, choices=CROP_CATEGORIES)
    max_value = models.DecimalField(_("最大残留限量"), max_digits=12, decimal_places=6)
    unit = models.CharField(_("单位"), max_length=10, choices=ResidueUnit.choices)
    source_standard = models.CharField(_("依据标准"), max_length=120, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True, help_text=_("空为随清单生效"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("数值仅供演示，未与依据标准逐条核对"))

    class Meta:
        ordering = ["crop_category", "crop", "effective_from"]
        verbose_name = _("农药残留限量")
        verbose_name_plural = _("农药残留限量")
        constraints = [
            models.CheckConstraint(condition=Q(max_value__gt=0), name="inputs_limit_positive"),
            models.CheckConstraint(condition=Q(effective_from__isnull=True) | Q(effective_until__isnull=True)
                                   | Q(effective_until__gte=F("effective_from")), name="inputs_limit_dates"),
        ]

    def __str__(self):
        return f"{self.input} {self.crop} ≤ {self.max_value.normalize():f} {self.unit}"

    def applies_on(self, day) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_until is None or day <= self.effective_until)
