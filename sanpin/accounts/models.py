"""Users, the agencies they work for, their roles and inspector qualifications."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanpin.core.models import BaseModel

from .choices import (
    ENTITY_ROLES,
    NATIONAL_ROLES,
    STAFF_ROLES,
    AgencyLevel,
    DesignationScheme,
    ExpertSpecialty,
    LabTest,
    QualificationKind,
    Role,
)

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


# --- Registries the review workflow draws on: experts and designated testing labs -------------


def _unknown_codes(values, allowed) -> list[str]:
    return [str(v) for v in (values or []) if v not in allowed]


class ExpertProfile(BaseModel):
    """A member of the expert pool (专家库) [001 §21]: what they may review and, for conflicts of
    interest, who employs them and where they live. Panels are drawn at random from active
    profiles by `registries.expert_panel_draw` [004 §11(4)]."""

    user = models.OneToOneField(User, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="expert_profile")
    specialties = models.JSONField(_("评审专业"), default=list, blank=True,
                                   help_text=_("专业代码列表，见 ExpertSpecialty"))
    title = models.CharField(_("职称"), max_length=60, blank=True)
    organisation = models.CharField(_("工作单位"), max_length=120, blank=True)
    entity = models.ForeignKey(
        "catalog.Entity", verbose_name=_("受雇主体"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("专家受雇于某一申请人时，不参加该申请人的评审"),
    )
    region = models.ForeignKey(
        "catalog.Region", verbose_name=_("常住县区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("专家不参加本县区申请人的评审"),
    )
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self):
        return str(self.user)

    def clean(self):
        errors = {}
        if self.user_id and Role.EXPERT not in self.user.roles:
            errors["user"] = _("该用户没有评审专家角色")
        if not isinstance(self.specialties, list) or not self.specialties:
            errors["specialties"] = _("请至少选择一个评审专业")
        else:
            unknown = _unknown_codes(self.specialties, ExpertSpecialty.values)
            if unknown:
                errors["specialties"] = _("未知的评审专业：%(codes)s") % {"codes": "、".join(unknown)}
        if errors:
            raise ValidationError(errors)

    def specialty_labels(self) -> list[str]:
        labels = dict(ExpertSpecialty.choices)
        return [str(labels.get(code, code)) for code in self.specialties]


class ExpertDraw(models.Model):
    """One random draw of an expert panel, kept for ever so that anyone can re-run it: the seed
    and the ordered candidate list reproduce the picks exactly (`registries.expert_draw_replay`).
    Written once by `expert_panel_draw`, never changed."""

    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    subject_label = models.CharField(_("评审对象"), max_length=200)
    specialty = models.CharField(_("评审专业"), max_length=40, choices=ExpertSpecialty.choices)
    size = models.PositiveSmallIntegerField(_("抽取人数"))
    seed = models.PositiveBigIntegerField(_("随机种子"))
    excluded_entity_ids = models.JSONField(_("回避主体"), default=list, blank=True)
    excluded_region_codes = models.JSONField(_("回避区划"), default=list, blank=True)
    candidate_ids = models.JSONField(_("候选专家"), default=list, help_text=_("按编号升序的候选用户编号"))
    picked_ids = models.JSONField(_("抽中专家"), default=list, help_text=_("按抽中顺序的用户编号"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")

    def __str__(self):
        return f"{self.subject_label} · {self.get_specialty_display()}"


class LabDesignation(BaseModel):
    """A testing lab designated (定点/委托) for one scheme and a list of test items [001 §19].

    Only a lab whose designation is valid on the day, not suspended and covers every requested
    test may be assigned tests (`registries.lab_check_assignable`)."""

    lab = models.ForeignKey(
        "catalog.Entity", verbose_name=_("检测机构"), on_delete=models.PROTECT, related_name="lab_designations",
        limit_choices_to={"kind": "lab"},
    )
    scheme = models.CharField(_("业务类型"), max_length=30, choices=DesignationScheme.choices)
    tests = models.JSONField(_("检测项目"), default=list, help_text=_("检测项目代码列表，见 LabTest"))
    basis = models.CharField(_("指定依据"), max_length=200, blank=True, help_text=_("指定文件的文号或名称"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    is_suspended = models.BooleanField(_("暂停"), default=False)
    suspension_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["lab__name", "scheme", "-valid_until"]
        verbose_name = _("定点检测机构")
        verbose_name_plural = _("定点检测机构")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="lab_designation_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.lab} · {self.get_scheme_display()}"

    def clean(self):
        errors = {}
        if not isinstance(self.tests, list) or not self.tests:
            errors["tests"] = _("请至少选择一个检测项目")
        else:
            unknown = _unknown_codes(self.tests, LabTest.values)
            if unknown:
                errors["tests"] = _("未知的检测项目：%(codes)s") % {"codes": "、".join(unknown)}
        if self.lab_id and self.lab.kind != "lab":
            errors["lab"] = _("只有检测机构类主体可以被指定")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("有效期至不能早于有效期起")
        if self.is_suspended and not (self.suspension_reason or "").strip():
            errors["suspension_reason"] = _("暂停时须说明原因")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_until and not self.is_suspended

    def test_labels(self) -> list[str]:
        labels = dict(LabTest.choices)
        return [str(labels.get(code, code)) for code in self.tests]
