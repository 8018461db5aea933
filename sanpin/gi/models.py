"""Agricultural GI registrations (农产品地理标志登记), their append-only status history, the
holder's mark-use authorisations to producers (用标授权) and the GI quality database.

MARA stopped accepting new registrations in March 2022 and existing registrations are long-term
(SPEC §10), so registrations enter the system only by importing the historical register.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import AppendOnlyModel, BaseModel

from .choices import EXPIRED, EXPIRED_LABEL, AuthorizationStatus, RegistrationStatus

GI_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR} | ENTITY_ROLES,
    # Importing the register and recording quality data: agency staff of the holder's region.
    "change": REVIEW_STAFF_ROLES,
    # Authorising producers: the holder association, or staff acting for it.
    "authorize": REVIEW_STAFF_ROLES | {Role.APPLICANT},
    # Revocation is a decision of the national level.
    "revoke": NATIONAL_ROLES,
}


def quantity_text(value) -> str:
    """A Decimal as people write it: 5000, 12.5 (never 5E+3 or 5000.000)."""
    return format(value.normalize(), "f") if value is not None else ""


class GIRegistration(BaseModel):
    """One agricultural GI registration certificate (农产品地理标志登记证书), held by an
    entity — usually an association — for one product from a defined geographic area.

    Long-term: it has no expiry. Status changes only in sanpin.gi.services, each with a row in
    GIStatusChange.
    """

    number = models.CharField(_("登记证书编号"), max_length=20, unique=True)
    holder = models.ForeignKey(
        "catalog.Entity", verbose_name=_("证书持有人"), on_delete=models.PROTECT, related_name="gi_registrations"
    )
    product_name = models.CharField(_("产品名称"), max_length=120, db_index=True)
    registered_on = models.DateField(_("登记日期"))
    scope_text = models.TextField(_("地域范围"))
    counties = models.ManyToManyField(
        "catalog.Region", verbose_name=_("地域范围（县级区划）"), related_name="gi_registrations"
    )
    quality_characteristics = models.TextField(_("品质特征"))
    specification = models.TextField(_("生产技术规范"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED,
        db_index=True,
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="holder__region", entity_field="holder", actions=GI_ACTIONS)

    class Meta:
        ordering = ["number"]
        verbose_name = _("农产品地理标志登记")
        verbose_name_plural = _("农产品地理标志登记")

    def __str__(self):
        return f"{self.number} {self.product_name}"


class GIStatusChange(AppendOnlyModel):
    """One entry of a registration's status history (registration on import, revocation).
    Append-only: rows are never changed or deleted."""

    registration = models.ForeignKey(GIRegistration, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=RegistrationStatus.choices)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("登记状态变更")
        verbose_name_plural = _("登记状态变更")

    def __str__(self):
        return f"{self.registration_id}: {self.from_status or '-'} → {self.to_status}"



class GIAuthorization(BaseModel):
    """A mark-use authorisation (用标授权) by the registration holder to a producer inside the
    registration's geographic scope, for a product and quantity over a fixed period.

    "Expired" is not stored: it is computed from valid_until when read (`effective_status`).
    """

    registration = models.ForeignKey(
        GIRegistration, verbose_name=_("登记证书"), on_delete=models.PROTECT, related_name="authorizations"
    )
    user_entity = models.ForeignKey(
        "catalog.Entity", verbose_name=_("授权用标主体"), on_delete=models.PROTECT, related_name="gi_authorizations"
    )
    product = models.CharField(_("用标产品"), max_length=120)
    quantity = models.DecimalField(_("授权数量"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("数量单位"), max_length=20)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=AuthorizationStatus.choices, default=AuthorizationStatus.VALID,
        db_index=True,
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("终止理由"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="registration__holder__region", entity_field="registration__holder",
                      actions=GI_ACTIONS)

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("用标授权")
        verbose_name_plural = _("用标授权")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="gi_authorization_valid_range"),
        ]

    def __str__(self):
        return f"{self.registration_id} → {self.user_entity_id} {self.product}"

    @property
    def quantity_text(self) -> str:
        return quantity_text(self.quantity)

    def effective_status(self, today: datetime.date) -> str:
        if self.status == AuthorizationStatus.VALID and self.valid_until < today:
            return EXPIRED
        return self.status

    def effective_status_label(self, today: datetime.date) -> str:
        status = self.effective_status(today)
        return str(EXPIRED_LABEL if status == EXPIRED else AuthorizationStatus(status).label)


class GIQualityRecord(BaseModel):
    """One measured quality indicator of a GI product in a year (GI quality database
    [001 §3, §6]): what was measured, the result, by which method and lab, sampled when."""

    registration = models.ForeignKey(
        GIRegistration, verbose_name=_("登记证书"), on_delete=models.PROTECT, related_name="quality_records"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    indicator = models.CharField(_("指标名称"), max_length=80)
    value = models.DecimalField(_("检测值"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    method = models.CharField(_("检测方法/标准"), max_length=120, blank=True)
    lab = models.CharField(_("检测机构"), max_length=120, blank=True)
    sampled_on = models.DateField(_("抽样日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="registration__holder__region", entity_field="registration__holder",
                      actions=GI_ACTIONS)

    class Meta:
        ordering = ["-year", "indicator", "sampled_on", "pk"]
        verbose_name = _("地理标志品质数据")
        verbose_name_plural = _("地理标志品质数据")

    def __str__(self):
        return f"{self.registration_id} {self.year} {self.indicator}"

    @property
    def value_text(self) -> str:
        return quantity_text(self.value)
