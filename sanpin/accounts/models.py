"""Users, the agencies they work for, their roles and inspector qualifications."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanpin.core.models import BaseModel

from .choices import ENTITY_ROLES, NATIONAL_ROLES, STAFF_ROLES, AgencyLevel, QualificationKind, Role

SYSTEM_USERNAME = "system"


class Agency(BaseModel):
    """A working body (工作机构) at one level: the national centre/association, a provincial
    station, a city or county bureau. Its region bounds what its staff can see and do;
    a national agency has no region (the whole country)."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    level = models.CharField(_("层级"), max_length=20, choices=AgencyLevel.choices)
    region = models.ForeignKey(
        "catalog.Region", verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("工作机构")
        verbose_name_plural = _("工作机构")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="national", region__isnull=True)
                | (~models.Q(level="national") & models.Q(region__isnull=False)),
                name="agency_region_matches_level",
            )
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in. Staff belong to an Agency; applicants, purchasers, labs and
    banks belong to an Entity. Roles come from RoleAssignment rows."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    entity = models.ForeignKey(
        "catalog.Entity", verbose_name=_("所属主体"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    is_system = models.BooleanField(_("系统账号"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True) | models.Q(entity__isnull=True),
                name="user_agency_or_entity",
            )
        ]

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or super().get_full_name()

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_staff_user(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_national(self) -> bool:
        return bool(self.roles & NATIONAL_ROLES) or (self.agency_id and self.agency.level == AgencyLevel.NATIONAL)

    @property
    def acts_for_entity(self) -> bool:
        return bool(self.roles & ENTITY_ROLES) and self.entity_id is not None


class RoleAssignment(BaseModel):
    """One role held by one user. Scope comes from the user's agency or entity."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=40, choices=Role.choices)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class InspectorQualification(BaseModel):
    """A qualification certificate of an inspector, supervisor or green-input administrator.

    Only qualified, unexpired people of the right kind and province may be assigned
    inspections [001 §21, 004 §11(2)]."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("资质类型"), max_length=40, choices=QualificationKind.choices)
    number = models.CharField(_("证书编号"), max_length=60, unique=True)
    province = models.ForeignKey(
        "catalog.Region", verbose_name=_("注册省份"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "province"},
    )
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("检查员资质")
        verbose_name_plural = _("检查员资质")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="qualification_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day <= self.valid_until


def system_user() -> User:
    """The actor for scheduled jobs and command-line imports (never None in an audit row)."""
    # Created by migration 0003; re-created here if a database was emptied since (e.g. a flush).
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"display_name": "系统", "is_active": False, "is_system": True, "password": "!"},
    )
    return user
