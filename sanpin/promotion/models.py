"""Promotion (SPEC §8, seeds 000 §3(2)(3), 001 §8 §12 §13, 003 att.4 §3–§4): fairs and campaigns with
the entities that show their certified products there, the "十百千万" sales channels (market zones,
supermarket counters) and promotion specialists counted against targets, and published award lists.

Rows are changed only by sanpin.promotion.services (one audit event each)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

from .choices import AwardListStatus, EventKind, EventStatus, FlagSource, OutletKind, ParticipationStatus

# Agency staff of the organiser's region or above manage events and award lists; scope follows
# the organising agency's region, so an event of the national centre is managed by national staff.
ORGANISED_ACTIONS = {"view": REVIEW_STAFF_ROLES, "manage": REVIEW_STAFF_ROLES}
PARTICIPATION_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.APPLICANT},  # the organiser's staff; the entity its own
    "review": REVIEW_STAFF_ROLES,
}
# Outlets and specialists are registered per district by staff of that district or above.
REGISTRY_ACTIONS = {"view": REVIEW_STAFF_ROLES, "change": REVIEW_STAFF_ROLES}


class Event(BaseModel):
    """A fair or campaign (展会与宣传活动): 绿博会, 有机博览会, 地标专展, 绿色食品宣传月, 名特优新推介 or a local
    推介/展销. Entities sign up while it is open, with the certificates whose marks they will show;
    after it is held the organiser records visitors and deals."""

    kind = models.CharField(_("类型"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=200)
    organiser = models.ForeignKey("accounts.Agency", verbose_name=_("主办机构"), on_delete=models.PROTECT,
                                  related_name="promotion_events")
    signup_deadline = models.DateField(_("报名截止日期"))
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT,
                              db_index=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    # Results (三展一训 results reported upwards): filled when the event is recorded as held.
    visitors = models.PositiveIntegerField(_("观众人次"), null=True, blank=True)
    deals_count = models.PositiveIntegerField(_("签约/成交笔数"), null=True, blank=True)
    deals_amount = models.DecimalField(_("签约/成交金额（万元）"), max_digits=12, decimal_places=2, null=True,
                                       blank=True)
    results_note = models.TextField(_("成效说明"), blank=True)
    results_recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="organiser__region", actions=ORGANISED_ACTIONS)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("展会与宣传活动")
        verbose_name_plural = _("展会与宣传活动")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="promotion_event_dates"),
            models.CheckConstraint(condition=Q(signup_deadline__lte=F("ends_on")),
                                   name="promotion_event_signup_before_end"),
        ]

    def __str__(self):
        return self.title


class Participation(BaseModel):
    """An entity's sign-up for an event, with the certificates it will show (each held by it and
    valid on the sign-up day) and the products. The organiser approves or rejects it; its
    certificates are re-checked the day before the event and whenever one is suspended or revoked."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="participations")
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("参展主体"), on_delete=models.PROTECT,
                               related_name="promotion_participations")
    products = models.TextField(_("展示产品"), help_text=_("每行一个产品"))
    booth = models.CharField(_("展位/联系人"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ParticipationStatus.choices,
                              default=ParticipationStatus.PENDING, db_index=True)
    signed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报名人"), on_delete=models.PROTECT,
                                     related_name="+")
    signed_up_on = models.DateField(_("报名日期"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    # Optional results per participant.
    deals_count = models.PositiveIntegerField(_("签约/成交笔数"), null=True, blank=True)
    deals_amount = models.DecimalField(_("签约/成交金额（万元）"), max_digits=12, decimal_places=2, null=True,
                                       blank=True)
    results_note = models.CharField(_("成效说明"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="event__organiser__region", entity_field="entity", actions=PARTICIPATION_ACTIONS)

    class Meta:
        ordering = ["event", "entity__name", "pk"]
        verbose_name = _("参展报名")
        verbose_name_plural = _("参展报名")
        constraints = [models.UniqueConstraint(fields=["event", "entity"], name="promotion_participation_once")]

    def __str__(self):
        return f"{self.event_id} {self.entity_id}"

    @property
    def product_list(self) -> list[str]:
        return [line.strip() for line in self.products.splitlines() if line.strip()]


class ShownCertificate(models.Model):
    """A certificate a participant shows at an event, and the flag set when it stops being valid
    before or during the event (the participant may not show that mark). A flag is kept as a
    record: it is not lifted when the certificate is reinstated."""

    participation = models.ForeignKey(Participation, verbose_name=_("报名"), on_delete=models.CASCADE,
                                      related_name="shown")
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="promotion_shown")
    flagged_on = models.DateField(_("标记日期"), null=True, blank=True)
    flag_reason = models.CharField(_("标记原因"), max_length=300, blank=True)
    flag_source = models.CharField(_("发现途径"), max_length=30, choices=FlagSource.choices, blank=True)

    class Meta:
        ordering = ["participation", "pk"]
        verbose_name = _("参展证书")
        verbose_name_plural = _("参展证书")
        constraints = [models.UniqueConstraint(fields=["participation", "certificate"],
                                               name="promotion_shown_once")]

    def __str__(self):
        return f"{self.participation_id} {self.certificate_id}"

    @property
    def flagged(self) -> bool:
        return self.flagged_on is not None


class Outlet(BaseModel):
    """A 市场专区 in a wholesale market or a 商超专柜 in a supermarket ("十百千万" 工程), in a district
    (county-level region). Counted against targets while open: opened_on ≤ day < closed_on."""

    kind = models.CharField(_("类型"), max_length=20, choices=OutletKind.choices, db_index=True)
    host_name = models.CharField(_("所在市场/商超"), max_length=120)
    district = models.ForeignKey("catalog.Region", verbose_name=_("所在区（县）"), on_delete=models.PROTECT,
                                 related_name="promotion_outlets")
    address = models.CharField(_("地址"), max_length=200)
    opened_on = models.DateField(_("开设日期"))
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    closed_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="district", actions=REGISTRY_ACTIONS)

    class Meta:
        ordering = ["district_id", "kind", "host_name", "pk"]
        verbose_name = _("专区专柜")
        verbose_name_plural = _("专区专柜")
        constraints = [models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gt=F("opened_on")),
                                              name="promotion_outlet_dates")]
        indexes = [models.Index(fields=["kind", "opened_on"], name="promotion_outlet_kind_open")]

    def __str__(self):
        return f"{self.host_name}（{self.get_kind_display()}）"

    def open_on(self, day) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


class PromotionSpecialist(BaseModel):
    """A 推广专员 of green, organic and GI products ("十百千万" 工程), registered in a district.
    Counted against targets once trained at least once by the counting day and not left."""

    name = models.CharField(_("姓名"), max_length=60)
    employer = models.CharField(_("工作单位"), max_length=120)
    district = models.ForeignKey("catalog.Region", verbose_name=_("所在区（县）"), on_delete=models.PROTECT,
                                 related_name="promotion_specialists")
    registered_on = models.DateField(_("登记日期"))
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="district", actions=REGISTRY_ACTIONS)

    class Meta:
        ordering = ["district_id", "name", "pk"]
        verbose_name = _("推广专员")
        verbose_name_plural = _("推广专员")
        constraints = [models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("registered_on")),
                                              name="promotion_specialist_dates")]

    def __str__(self):
        return f"{self.name}（{self.employer}）"


class SpecialistTraining(BaseModel):
    """One training a specialist attended (course, day, hours, organiser) [003 att.4 §4(4)]."""

    specialist = models.ForeignKey(PromotionSpecialist, verbose_name=_("推广专员"), on_delete=models.CASCADE,
                                   related_name="trainings")
    course = models.CharField(_("培训课程"), max_length=200)
    trained_on = models.DateField(_("培训日期"), db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    organiser = models.CharField(_("培训组织单位"), max_length=120)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-trained_on", "-pk"]
        verbose_name = _("推广专员培训")
        verbose_name_plural = _("推广专员培训")

    def __str__(self):
        return f"{self.specialist_id} {self.course} {self.trained_on}"


class AwardList(BaseModel):
    """A 品鉴评优获奖名单 [003 att.4 §4(1)]: drafted by staff, published through a service; published
    lists are public and every entry links to its certificate's verify page."""

    title = models.CharField(_("名单名称"), max_length=200)
    organiser = models.ForeignKey("accounts.Agency", verbose_name=_("组织机构"), on_delete=models.PROTECT,
                                  related_name="promotion_award_lists")
    year = models.PositiveSmallIntegerField(_("年度"))
    event = models.ForeignKey(Event, verbose_name=_("相关活动"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="award_lists")
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("发布文件名称或文号"))
    status = models.CharField(_("状态"), max_length=20, choices=AwardListStatus.choices,
                              default=AwardListStatus.DRAFT, db_index=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="organiser__region", actions=ORGANISED_ACTIONS)

    class Meta:
        ordering = ["-year", "-published_on", "-pk"]
        verbose_name = _("品鉴评优获奖名单")
        verbose_name_plural = _("品鉴评优获奖名单")

    def __str__(self):
        return self.title


class AwardEntry(models.Model):
    """One award on a list: the certified product and the award (title or level) and rank."""

    award_list = models.ForeignKey(AwardList, verbose_name=_("名单"), on_delete=models.CASCADE,
                                   related_name="entries")
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="promotion_awards")
    product = models.CharField(_("获奖产品"), max_length=120)
    award = models.CharField(_("奖项/等级"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        ordering = ["award_list", "rank", "pk"]
        verbose_name = _("获奖条目")
        verbose_name_plural = _("获奖条目")
        constraints = [models.UniqueConstraint(fields=["award_list", "certificate"], name="promotion_award_once")]

    def __str__(self):
        return f"{self.award} {self.product}"
