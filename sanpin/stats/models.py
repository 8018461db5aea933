"""Statistics that are entered or frozen rather than computed: targets per region, year and measure
(the guiding plans of seed 002's annex), and monthly snapshots of the indicators so a published
report can be reproduced later. Everything else is aggregated from the other modules' tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.core.models import AppendOnlyModel, BaseModel


class TargetMeasure(models.TextChoices):
    """What a target counts: products with a valid certificate on the counting day, or (the
    "十百千万" 工程 of seed 003 att.4 §3) market zones and supermarket counters open on that day and
    promotion specialists trained by then and not left, from sanpin.promotion."""

    GREEN_ORGANIC = "green_organic", _("绿色食品、有机农产品")
    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")
    GI = "gi", _("农产品地理标志")
    FEATURED = "featured", _("名特优新农产品")
    MARKET_ZONE = "market_zone", _("市场专区")
    STORE_COUNTER = "store_counter", _("商超专柜")
    SPECIALIST = "specialist", _("推广专员")


# Measures counted from the promotion registry rather than from certificates.
CHANNEL_MEASURES = frozenset({TargetMeasure.MARKET_ZONE, TargetMeasure.STORE_COUNTER, TargetMeasure.SPECIALIST})
# What the count column is called per measure (products for the others).
COUNT_LABELS = {
    TargetMeasure.MARKET_ZONE: _("开设中的市场专区数"),
    TargetMeasure.STORE_COUNTER: _("开设中的商超专柜数"),
    TargetMeasure.SPECIALIST: _("在岗且已培训的推广专员数"),
}
PRODUCT_COUNT_LABEL = _("有效产品数")


class Target(BaseModel):
    """The number a region is to reach by the end of a year (counted on 31 December)."""

    region = models.ForeignKey("catalog.Region", verbose_name=_("地区"), on_delete=models.PROTECT,
                               related_name="stats_targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    measure = models.CharField(_("指标"), max_length=20, choices=TargetMeasure.choices)
    value = models.PositiveIntegerField(_("计划数"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("文件名称或文号"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["year", "measure", "region_id"]
        verbose_name = _("发展目标")
        verbose_name_plural = _("发展目标")
        constraints = [models.UniqueConstraint(fields=["region", "year", "measure"], name="stats_target_once")]

    def __str__(self):
        return f"{self.year} {self.region_id} {self.measure} {self.value}"


class Snapshot(AppendOnlyModel):
    """The indicators as they stood at the end of a month, frozen so that a report published from
    them can be produced again unchanged. One per month; never changed."""

    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    frozen_at = models.DateTimeField(_("冻结时间"))
    figures = models.JSONField(_("统计数据"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("冻结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-month"]
        verbose_name = _("月度统计快照")
        verbose_name_plural = _("月度统计快照")

    def __str__(self):
        return self.month.strftime("%Y-%m")


class ValidCountDay(models.Model):
    """A day whose valid-product counts are kept in ValidCount (sanpin.stats.valid_store): the
    31 December of each target year that has ended, and today. Written only by the nightly refresh."""

    day = models.DateField(_("日期"), primary_key=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("有效产品数汇总日")
        verbose_name_plural = _("有效产品数汇总日")

    def __str__(self):
        return str(self.day)


class ValidCount(models.Model):
    """Products valid on a kept day, per holder region and scheme ("gi" for GI registrations):
    derived data, rebuilt from the certificates; cells with no product are not stored."""

    day = models.ForeignKey(ValidCountDay, on_delete=models.CASCADE, related_name="counts", db_column="day")
    # No database constraint: a derived table should not hold locks on the region tree.
    region = models.ForeignKey("catalog.Region", verbose_name=_("区划"), on_delete=models.DO_NOTHING,
                               db_constraint=False, related_name="+")
    scheme = models.CharField(_("类别"), max_length=20)
    n = models.PositiveIntegerField(_("有效产品数"))

    class Meta:
        verbose_name = _("有效产品数汇总")
        verbose_name_plural = _("有效产品数汇总")
        constraints = [models.UniqueConstraint(fields=["day", "region", "scheme"], name="stats_validcount_once")]

    def __str__(self):
        return f"{self.day_id} {self.region_id} {self.scheme} {self.n}"


class ValidCountStale(models.Model):
    """A (holder region, scheme) cell whose certificates changed since the last refresh: its kept
    counts are not used, it is counted live until the next refresh recomputes it."""

    region_code = models.CharField(_("区划代码"), max_length=6)
    scheme = models.CharField(_("类别"), max_length=20)
    marked_at = models.DateTimeField(_("标记时间"))

    class Meta:
        verbose_name = _("待重算的有效产品数")
        verbose_name_plural = _("待重算的有效产品数")
        constraints = [models.UniqueConstraint(fields=["region_code", "scheme"], name="stats_validstale_once")]

    def __str__(self):
        return f"{self.region_code} {self.scheme}"


class PassRateRefresh(models.Model):
    """When the first-pass counts (PassRateCount) were last brought up to date by the refresh
    (sanpin.stats.pass_store). One row; before the first refresh the rates are counted live."""

    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("一次通过率汇总")
        verbose_name_plural = _("一次通过率汇总")

    def __str__(self):
        return str(self.computed_at)


class PassRateCount(models.Model):
    """Applications whose review ended in a year (issued or not passed), per applicant region,
    scheme and kind (first or renewal), and how many of them passed without being sent back:
    derived data, rebuilt from the applications and their events; empty cells are not stored."""

    year = models.PositiveSmallIntegerField(_("年度"))
    # No database constraint: a derived table should not hold locks on the region tree.
    region = models.ForeignKey("catalog.Region", verbose_name=_("区划"), on_delete=models.DO_NOTHING,
                               db_constraint=False, related_name="+")
    scheme = models.CharField(_("认证类型"), max_length=30)
    kind = models.CharField(_("申请类型"), max_length=20)
    decided = models.PositiveIntegerField(_("审结数"))
    passed = models.PositiveIntegerField(_("一次通过数"))

    class Meta:
        verbose_name = _("一次通过率汇总")
        verbose_name_plural = _("一次通过率汇总")
        constraints = [models.UniqueConstraint(fields=["year", "region", "scheme", "kind"],
                                               name="stats_passratecount_once")]

    def __str__(self):
        return f"{self.year} {self.region_id} {self.scheme} {self.kind} {self.passed}/{self.decided}"


class PassRateStale(models.Model):
    """An (applicant region, scheme) pair whose decided applications changed since the last refresh:
    its kept first-pass counts are not used, it is counted live until the next refresh."""

    region_code = models.CharField(_("区划代码"), max_length=6)
    scheme = models.CharField(_("认证类型"), max_length=30)
    marked_at = models.DateTimeField(_("标记时间"))

    class Meta:
        verbose_name = _("待重算的一次通过率")
        verbose_name_plural = _("待重算的一次通过率")
        constraints = [models.UniqueConstraint(fields=["region_code", "scheme"], name="stats_passratestale_once")]

    def __str__(self):
        return f"{self.region_code} {self.scheme}"
