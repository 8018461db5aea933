"""Oversight of designated labs [001 §19] and the training of inspectors, supervisors and
enterprise internal inspectors [001 §21]. Changed only through sanpin.workforce.services.

A lab's proficiency tests and flying inspections are evidence: they are never edited, only
voided with a reason (a voided record no longer counts). Whether a lab may be assigned tests is
read from them on the day (selectors.lab_blocks), never stored."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import DesignationScheme, LabTest
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

from .choices import LAB_ROLES, PEOPLE_ROLES, InspectionConclusion, ProficiencyResult

LAB_ACTIONS = {"view": LAB_ROLES, "change": LAB_ROLES}
TRAINING_ACTIONS = {"view": PEOPLE_ROLES, "change": PEOPLE_ROLES}


class LabRecord(BaseModel):
    """Fields shared by a lab's proficiency tests and flying inspections."""

    lab = models.ForeignKey("catalog.Entity", verbose_name=_("检测机构"), on_delete=models.PROTECT,
                            related_name="+", limit_choices_to={"kind": "lab"})
    scheme = models.CharField(_("定点业务类型"), max_length=30, choices=DesignationScheme.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(actions=LAB_ACTIONS)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class ProficiencyTest(LabRecord):
    """One result of a lab in a proficiency-testing round (能力验证) for one test item of a
    scheme. An unsatisfactory result makes the lab unassignable for that scheme and test until a
    later satisfactory one; a questionable result is shown but does not block."""

    programme = models.CharField(_("能力验证计划"), max_length=200)
    test = models.CharField(_("检测项目"), max_length=40, choices=LabTest.choices)
    organiser = models.CharField(_("组织单位"), max_length=120)
    tested_on = models.DateField(_("结果日期"), db_index=True)
    result = models.CharField(_("结果"), max_length=20, choices=ProficiencyResult.choices)
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-tested_on", "-pk"]
        verbose_name = _("能力验证结果")
        verbose_name_plural = _("能力验证结果")
        indexes = [models.Index(fields=["lab", "scheme", "test", "tested_on"], name="pt_lab_scheme_test_idx")]

    def __str__(self):
        return f"{self.lab} {self.programme} {self.get_test_display()}"


class LabInspection(LabRecord):
    """A flying (unannounced) inspection of a lab for one scheme (飞行检查). A failed one makes
    the lab unassignable for every test of that scheme until a later inspection passes."""

    inspected_on = models.DateField(_("检查日期"), db_index=True)
    inspectors = models.CharField(_("检查组"), max_length=200, blank=True)
    findings = models.TextField(_("检查发现"))
    conclusion = models.CharField(_("检查结论"), max_length=10, choices=InspectionConclusion.choices)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("检测机构飞行检查")
        verbose_name_plural = _("检测机构飞行检查")
        indexes = [models.Index(fields=["lab", "scheme", "inspected_on"], name="lab_inspection_idx")]

    def __str__(self):
        return f"{self.lab} {self.inspected_on} {self.get_conclusion_display()}"


class TrainingRecord(BaseModel):
    """A course attended by an inspector, supervisor or internal inspector [001 §21], recorded by
    the province the person is registered in (their qualification's province)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="training_records")
    province = models.ForeignKey("catalog.Region", verbose_name=_("注册省份"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to={"level": "province"})
    course = models.CharField(_("培训班/课程"), max_length=200)
    organiser = models.CharField(_("主办单位"), max_length=120)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    certificate_number = models.CharField(_("结业证书编号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="province", actions=TRAINING_ACTIONS)

    class Meta:
        ordering = ["-ended_on", "-pk"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=F("started_on")), name="training_dates_ordered"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self):
        return f"{self.person} {self.course}"
