"""The fee engine: what an application owes, computed from data (fee schedules and waiver rules
in force on the day) and frozen on the application when it is submitted.

Waivers follow the county of the applicant (catalog.Region flags):
- 脱贫县: within the transition period after the exit year. Only the exit *year* is recorded, so
  the period is counted in whole calendar years: exit in 2020 with a five-year period covers
  2021–2025, the exit year itself included (docs/decisions/0012-fees-and-waivers.md).
- 国家乡村振兴重点帮扶县: while the county carries the flag.
When several rules apply to an item, the largest reduction wins (they are not added up).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from sanpin.core.errors import ValidationFailed

from .choices import FeeItem, WaiverCondition
from .models import Fee, FeeSchedule, FeeWaiverRule

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeLine:
    item: str
    quantity: int
    schedule: FeeSchedule
    gross: Decimal
    waived: Decimal
    due: Decimal
    rule: FeeWaiverRule | None
    reason: str


def _in_force(queryset, on: date):
    return queryset.filter(effective_from__lte=on).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))


def schedule_for(scheme: str, item: str, on: date) -> FeeSchedule | None:
    return _in_force(FeeSchedule.objects.filter(scheme=scheme, item=item), on).order_by("-effective_from").first()


def rule_applies(rule: FeeWaiverRule, county, on: date) -> bool:
    if rule.condition == WaiverCondition.KEY_ASSISTANCE:
        return county.key_assistance_county
    if rule.condition == WaiverCondition.POVERTY_EXIT:
        if not (county.poverty_exit_county and county.poverty_exit_year):
            return False
        return on.year <= county.poverty_exit_year + (rule.years_after_exit or 0)
    return False


def _reason(rule: FeeWaiverRule, county) -> str:
    if rule.condition == WaiverCondition.POVERTY_EXIT:
        return _("%(county)s 为脱贫县（%(year)s 年摘帽，过渡期 %(n)s 年）：%(rule)s") % {
            "county": county.name, "year": county.poverty_exit_year, "n": rule.years_after_exit, "rule": rule.source}
    return _("%(county)s 为国家乡村振兴重点帮扶县：%(rule)s") % {"county": county.name, "rule": rule.source}


def compute(*, scheme: str, items, county, quantity: int, on: date) -> list[FeeLine]:
    """The fee lines for `quantity` products of `scheme` for an applicant in `county` on `on`."""
    rules = [r for r in _in_force(FeeWaiverRule.objects.filter(scheme=scheme), on) if rule_applies(r, county, on)]
    lines, missing = [], []
    for item in items:
        schedule = schedule_for(scheme, item, on)
        if schedule is None:
            missing.append(str(FeeItem(item).label))
            continue
        gross = (schedule.amount * quantity).quantize(CENT)
        best = max((r for r in rules if item in r.items), key=lambda r: r.reduction_percent, default=None)
        waived = (gross * best.reduction_percent / 100).quantize(CENT, ROUND_HALF_UP) if best else Decimal("0.00")
        lines.append(FeeLine(item, quantity, schedule, gross, waived, gross - waived, best,
                             _reason(best, county) if best else ""))
    if missing:
        raise ValidationFailed(_("尚未设置当日有效的收费标准：%s。请系统管理员先维护收费标准") % "、".join(missing),
                               fields={"fees": _("缺少收费标准：%s") % "、".join(missing)})
    return lines


def freeze(application, lines: list[FeeLine], on: date) -> list[Fee]:
    """Write the lines on the application (replacing an earlier assessment that was not paid)."""
    if application.fees.filter(paid_at__isnull=False).exists():
        return list(application.fees.all())
    application.fees.all().delete()
    return [
        Fee.objects.create(
            application=application, item=line.item, quantity=line.quantity, unit_amount=line.schedule.amount,
            gross_amount=line.gross, waived_amount=line.waived, amount_due=line.due, schedule=line.schedule,
            waiver_rule=line.rule, waiver_reason=line.reason, assessed_on=on,
        )
        for line in lines
    ]


def waivers_granted(*, year: int | None = None, region_prefix: str = "", scheme: str = ""):
    """Waived amounts by scheme and item (for reports): sums over frozen fees."""
    fees = Fee.objects.filter(waived_amount__gt=0)
    if year:
        fees = fees.filter(assessed_on__year=year)
    if region_prefix:
        fees = fees.filter(application__entity__region__code__startswith=region_prefix)
    if scheme:
        fees = fees.filter(application__scheme=scheme)
    return list(fees.values("application__scheme", "item").annotate(waived=Sum("waived_amount"), gross=Sum(
        "gross_amount")).order_by("application__scheme", "item"))
