"""Producer credit (SPEC §7): the events of an entity's credit file and the versioned rulebook that
turns them into a score and a grade. Scores are not stored: they are computed from the events and
the rulebook in force on the day asked for, so any past grade can be recomputed (scoring.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import AppendOnlyModel

from .choices import CreditKind

CREDIT_ACTIONS = {
    # Staff of the entity's region (inspectors read what they inspect) and the entity's own applicant.
    # Banks read a report only with the entity's consent: not part of this step.
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
    # Manual events: provincial and national staff.
    "record": NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER},
}


class CreditEvent(models.Model):
    """One fact in an entity's credit file: what happened, when, and where it came from. Feeds from
    other modules name their source (app and model label + object id); kind + source is unique, so
    a feed that runs twice records the fact once. Manual events have no source and carry evidence."""

    entity = models.ForeignKey("catalog.Entity", verbose_name=_("主体"), on_delete=models.PROTECT,
                               related_name="credit_events")
    kind = models.CharField(_("类型"), max_length=40, choices=CreditKind.choices)
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    source_type = models.CharField(_("来源"), max_length=60, blank=True,
                                   help_text=_("来源记录的应用与模型，如 sampling.labreport；人工录入为空"))
    source_id = models.CharField(_("来源记录"), max_length=40, blank=True)
    summary = models.CharField(_("摘要"), max_length=300)
    evidence = models.TextField(_("依据"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=CREDIT_ACTIONS)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("信用事件")
        verbose_name_plural = _("信用事件")
        indexes = [models.Index(fields=["entity", "occurred_on"], name="credit_event_entity_day")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_type", "source_id"], condition=~Q(source_type=""),
                                    name="credit_event_once_per_source"),
        ]

    def __str__(self):
        return f"{self.entity_id} {self.kind} {self.occurred_on}"


class Rulebook(AppendOnlyModel):
    """One published version of the credit rules: points per event kind, the half life over which an
    event's weight decays, the base score, the grade thresholds and the sampling weight per grade.
    Append-only: a change is a new version with its own effective_from; the version in force on a
    day is the one with the latest effective_from on or before it."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日期"), db_index=True)
    published_at = models.DateTimeField(_("发布时间"))
    weights = models.JSONField(_("事件分值"), help_text=_("{类型: 分值}，负数扣分"))
    half_life_days = models.PositiveIntegerField(_("半衰期（天）"))
    thresholds = models.JSONField(_("等级分界"), help_text=_('{"A": 90, "B": 75, "C": 60}，低于 C 为 D'))
    base_score = models.DecimalField(_("基础分"), max_digits=5, decimal_places=1)
    sampling_weights = models.JSONField(_("抽检权重"), default=dict,
                                        help_text=_('{"A": 0.5, "B": 1, "C": 2, "D": 3}（监管+信用）'))
    effects = models.JSONField(_("信用应用规则"), default=dict,
                               help_text=_("申报+信用：哪些等级加做现场检查、禁止新申请、可免续展现场检查"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-effective_from", "-version"]
        verbose_name = _("信用评价规则")
        verbose_name_plural = _("信用评价规则")

    def __str__(self):
        return f"v{self.version}（{self.effective_from} 起）"


class CreditStanding(models.Model):
    """An entity's score and grade as last computed: one row per entity, refreshed when an event is
    recorded and every night (decay moves scores, a new rulebook version takes effect). Lists,
    the public A list, the sampling draw and the grade distribution read this table instead of
    recomputing every entity; the credit file page and the API compute afresh."""

    entity = models.OneToOneField("catalog.Entity", verbose_name=_("主体"), on_delete=models.CASCADE,
                                  related_name="credit_standing")
    score = models.DecimalField(_("信用分"), max_digits=4, decimal_places=1)
    grade = models.CharField(_("等级"), max_length=1, db_index=True)
    rulebook_version = models.PositiveIntegerField(_("规则版本"))
    computed_on = models.DateField(_("评价日期"))
    negative_since = models.DateField(_("最近不良事件"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=CREDIT_ACTIONS)

    class Meta:
        verbose_name = _("信用等级")
        verbose_name_plural = _("信用等级")

    def __str__(self):
        return f"{self.entity_id} {self.grade} {self.score}"


class BankConsent(models.Model):
    """An entity's consent that one bank may read its credit report until a day ("信用+金融").
    The entity may withdraw it earlier; a withdrawn or lapsed consent reads as none."""

    entity = models.ForeignKey("catalog.Entity", verbose_name=_("授权主体"), on_delete=models.PROTECT,
                               related_name="credit_consents")
    bank = models.ForeignKey("catalog.Entity", verbose_name=_("金融机构"), on_delete=models.PROTECT,
                             related_name="credit_consents_received")
    purpose = models.CharField(_("用途"), max_length=200)
    valid_until = models.DateField(_("授权截止日期"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权人"), on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("授权时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("信用报告查询授权")
        verbose_name_plural = _("信用报告查询授权")
        indexes = [models.Index(fields=["bank", "entity", "valid_until"], name="credit_consent_bank_entity")]

    def __str__(self):
        return f"{self.entity_id} → {self.bank_id} ≤ {self.valid_until}"


class CreditReportRead(AppendOnlyModel):
    """One read of an entity's credit report by a bank under a consent: shown to the entity."""

    consent = models.ForeignKey(BankConsent, verbose_name=_("授权"), on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT,
                               related_name="+")
    read_at = models.DateTimeField(_("查询时间"), db_index=True)
    format = models.CharField(_("形式"), max_length=10, help_text=_("page 或 pdf"))
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-read_at"]
        verbose_name = _("信用报告查询记录")
        verbose_name_plural = _("信用报告查询记录")

    def __str__(self):
        return f"{self.consent_id} {self.read_at:%Y-%m-%d %H:%M}"
